// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the exported group state (group_state.h): what
 * export writes, import reads back member for member; the limits it
 * yields; and every malformed document is refused naming its member.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../group_state.h"
#include "tap.h"

static struct group_state sample(void)
{
	struct group_state s = { 0 };
	struct wfqnl_group g = { 0 };

	snprintf(g.name, sizeof(g.name), "web");
	g.weight = 300;
	g.vtime = 5000000000ull;
	g.lag = -250000000;
	g.present = 1u << WFQMON_A_GROUP_LAG;
	g.active = true;
	g.runtime_ns = 12345678901ull;
	g.quanta = 321;
	g.wait_ns = 77;
	g.activations = 4;
	g.catchups = 2;
	g.catchup_vtime = 999;
	g.forks = 3;
	g.exits = 1;
	g.active_ns = 2000000000ull;
	group_state_from_group(&s, &g, 4750000000ull);
	s.time_ns = 1764840000000000000ull;
	snprintf(s.kernel, sizeof(s.kernel), "6.1.0-57-amd64");
	snprintf(s.cgroup.path, sizeof(s.cgroup.path),
		 "/sys/fs/cgroup/wfqmon/web");
	s.cgroup.cpu_weight = 300;
	snprintf(s.cgroup.cpu_max, sizeof(s.cgroup.cpu_max), "50000 100000");
	snprintf(s.cgroup.cpuset_cpus, sizeof(s.cgroup.cpuset_cpus), "0-1");
	snprintf(s.cgroup.memory_max, sizeof(s.cgroup.memory_max),
		 "268435456");
	return s;
}

/*
 * The document export writes for s, malloc'ed. Not inlined: GCC 12
 * then takes the result for a pointer to the local it was returned in.
 */
__attribute__((noinline)) static char *written(const struct group_state *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	group_state_write(f, s);
	fclose(f);
	return buf;
}

/* The sample's document with the first @from replaced by @to. */
static char *edited(const char *from, const char *to)
{
	struct group_state s = sample();
	char *doc = written(&s), *at = strstr(doc, from), *out;
	size_t size;

	if (!at)
		abort();
	size = strlen(doc) - strlen(from) + strlen(to) + 1;
	out = malloc(size);
	if (!out)
		abort();
	snprintf(out, size, "%.*s%s%s", (int)(at - doc), doc, to,
		 at + strlen(from));
	free(doc);
	return out;
}

static bool history_equal(const struct wfqnl_group *a,
			  const struct wfqnl_group *b)
{
	return a->runtime_ns == b->runtime_ns && a->quanta == b->quanta &&
	       a->wait_ns == b->wait_ns && a->active_ns == b->active_ns &&
	       a->activations == b->activations &&
	       a->catchups == b->catchups &&
	       a->catchup_vtime == b->catchup_vtime &&
	       a->forks == b->forks && a->exits == b->exits;
}

static void round_trip(struct tap *t)
{
	struct group_state s = sample(), back;
	struct wfqnl_err err = { 0 };
	char *doc = written(&s);
	int ret = group_state_parse(doc, &back, &err);

	tap_ok(t, ret == 0, "round trip: parses what export wrote");
	if (ret)
		printf("#   %s\n#   %s", err.msg, doc);
	tap_eq_str(t, back.group.name, "web", "round trip: name");
	tap_eq_u64(t, back.group.weight, 300, "round trip: weight");
	tap_ok(t, back.group.lag == -250000000, "round trip: lag_ns (a debt)");
	tap_eq_u64(t, back.group.vtime, 5000000000ull, "round trip: vtime");
	tap_eq_u64(t, back.vtime_min, 4750000000ull, "round trip: vtime_min");
	tap_ok(t, back.group.active, "round trip: active");
	tap_eq_u64(t, back.time_ns, s.time_ns, "round trip: time_ns");
	tap_eq_str(t, back.kernel, "6.1.0-57-amd64", "round trip: kernel");
	tap_ok(t, history_equal(&back.group, &s.group),
	       "round trip: every history counter");
	tap_ok(t, !memcmp(&back.cgroup, &s.cgroup, sizeof(s.cgroup)),
	       "round trip: the cgroup's path and limits");
	free(doc);
}

static void lag_from_vtime_without_kernel_lag(struct tap *t)
{
	struct wfqnl_group g = { .weight = 100, .vtime = 900 };
	struct group_state s = { 0 };

	group_state_from_group(&s, &g, 1000);
	tap_ok(t, s.group.lag == 100,
	       "a module without LAG: lag is s_min - vtime (credit 100)");
}

static void limits(struct tap *t)
{
	struct group_state s = sample();
	struct wfqnl_err err = { 0 };
	struct cg_limits lim;

	tap_ok(t, group_state_limits(&s, &lim, &err) == 0,
	       "limits: the sample's limits are valid");
	tap_ok(t, lim.has_weight && lim.weight == 300,
	       "limits: cpu.weight by value");
	tap_ok(t, lim.has_cpu_max && !lim.cpu_max.unlimited &&
	       lim.cpu_max.quota_us == 50000 &&
	       lim.cpu_max.period_us == 100000, "limits: cpu.max by value");
	tap_ok(t, lim.has_cpus && !strcmp(lim.cpus, "0-1"),
	       "limits: cpuset.cpus by value");
	tap_ok(t, lim.has_memory_max && lim.memory_max.bytes == 268435456,
	       "limits: memory.max by value");

	s.cgroup.cpuset_cpus[0] = '\0';
	snprintf(s.cgroup.cpu_max, sizeof(s.cgroup.cpu_max), "max 100000");
	snprintf(s.cgroup.memory_max, sizeof(s.cgroup.memory_max), "max");
	tap_ok(t, group_state_limits(&s, &lim, &err) == 0 && !lim.has_cpus &&
	       lim.cpu_max.unlimited && lim.memory_max.unlimited,
	       "limits: empty cpuset.cpus is left to the parent, max stays max");

	snprintf(s.cgroup.cpu_max, sizeof(s.cgroup.cpu_max), "lots");
	tap_ok(t, group_state_limits(&s, &lim, &err) < 0 &&
	       strstr(err.msg, "cgroup.cpu.max"),
	       "limits: a bad cpu.max is refused, named");
}

/* Each edit of the sample's document, refused with this in the message. */
static const struct {
	const char *from, *to, *why;
} bad[] = {
	{ "\"schema_version\":1", "\"schema_version\":2", "schema_version" },
	{ "\"kind\":\"wfqmon-group\"", "\"kind\":\"other\"", "kind" },
	{ "\"name\":\"web\"", "\"name\":\"a/b\"", "" },
	{ "\"name\":\"web\",", "", "name: missing" },
	{ "\"weight\":300", "\"weight\":0", "weight" },
	{ "\"weight\":300", "\"weight\":10001", "weight" },
	{ "\"weight\":300", "\"weight\":\"300\"", "weight: not a int" },
	{ "\"lag_ns\":-250000000", "\"lag_ns\":3600000000001", "lag_ns" },
	{ "\"lag_ns\":-250000000", "\"lag_ns\":-3600000000001", "lag_ns" },
	{ "\"lag_ns\":-250000000", "\"lag_ns\":1.5", "lag_ns" },
	{ "\"cpu.weight\":300", "\"cpu.weight\":0", "cgroup.cpu.weight" },
	{ "\"memory.max\":\"268435456\"", "\"memory.max\":7", "cgroup.memory.max" },
	{ "\"runtime_ns\":12345678901", "\"runtime_ns\":-1", "history.runtime_ns" },
	{ "{\"schema_version\"", "[{\"schema_version\"", "" },
};

static void refusals(struct tap *t)
{
	struct wfqnl_err err = { 0 };
	struct group_state s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *doc = edited(bad[i].from, bad[i].to);
		int ret = group_state_parse(doc, &s, &err);

		tap_ok(t, ret < 0 && strstr(err.msg, bad[i].why),
		       "refused: %s -> %s", bad[i].from, bad[i].to);
		if (ret >= 0 || !strstr(err.msg, bad[i].why))
			printf("#   ret %d, message \"%s\"\n", ret, err.msg);
		free(doc);
	}
	tap_ok(t, group_state_parse("", &s, &err) < 0 &&
	       strstr(err.msg, "not JSON"), "refused: an empty file");
}

int main(int argc, char **argv)
{
	struct tap t = { 0 };

	/* For tools/tests/cli_test.sh: the document, against its schema. */
	if (argc > 1 && !strcmp(argv[1], "--print-sample")) {
		struct group_state s = sample();

		group_state_write(stdout, &s);
		return 0;
	}

	round_trip(&t);
	lag_from_vtime_without_kernel_lag(&t);
	limits(&t);
	refusals(&t);
	return tap_done(&t);
}
