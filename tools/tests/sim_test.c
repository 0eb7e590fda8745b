// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the WFQ simulator and its workload parsers. The
 * expected numbers are worked out in the comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim.h"
#include "../sim_workload.h"
#include "tap.h"

#define MS 1000000ull

static struct sim_workload *workload(struct tap *t, const char *const *specs)
{
	static struct sim_workload w;
	struct wfqnl_err err = { 0 };

	sim_workload_free(&w);
	for (; *specs; specs++)
		if (sim_parse_group(*specs, &w, &err))
			tap_ok(t, false, "parse %s: %s", *specs, err.msg);
	return &w;
}

/* The first picks, recorded by the observer. */
struct picks {
	int ran[8];
	size_t n;
};

static void record_pick(void *arg, uint64_t t_ns, int ran,
			const uint64_t *vt, const bool *run, size_t n)
{
	struct picks *p = arg;

	(void)t_ns, (void)vt, (void)run, (void)n;
	if (p->n < 8)
		p->ran[p->n++] = ran;
}

static void test_pick_smallest(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:3", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 3 * MS, .duration_ns = 24 * MS,
				.catchup = true };
	struct picks pk = { .n = 0 };
	struct sim_observer obs = { .step = record_pick, .arg = &pk };
	struct sim_stats st[2];
	/*
	 * Both start at 0, the tie goes to a (s_a = 3ms); then b runs
	 * while s_b < s_a: 1ms, 2ms, 3ms; the tie at 3ms goes to a again.
	 */
	static const int want[8] = { 0, 1, 1, 1, 0, 1, 1, 1 };

	sim_run(w, &p, &obs, st);
	tap_ok(t, pk.n == 8 && !memcmp(pk.ran, want, sizeof(want)),
	       "pick-smallest: a b b b a b b b for weights 1:3");
	tap_eq_u64(t, st[0].vtime, 6 * MS, "pick-smallest: s_a = 2 q / 1");
	tap_eq_u64(t, st[1].vtime, 6 * MS, "pick-smallest: s_b = 6 q / 3");
}

static void test_shares_123(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:2", "c:3", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 4 * MS,
				.duration_ns = 60000 * MS, .catchup = true };
	struct sim_stats st[3];
	/* Within one quantum per group over the run: 4ms / 60s. */
	double tol = 4.0 / 60000;

	tap_ok(t, !sim_run(w, &p, NULL, st), "1:2:3 runs");
	for (size_t i = 0; i < 3; i++) {
		char name[64];

		snprintf(name, sizeof(name), "1:2:3 share of %s is %zu/6",
			 w->g[i].name, i + 1);
		tap_near(t, (double)st[i].runtime_ns / p.duration_ns,
			 (double)(i + 1) / 6, tol, name);
		tap_near(t, st[i].ideal_ns / p.duration_ns, (double)(i + 1) / 6,
			 1e-9, "1:2:3 ideal share is w_i / sum w");
	}
}

/*
 * hog busy, sleeper runnable 200 ms of each second, weight 1:1, q 1 ms.
 * 0-200 ms: they alternate, 100 ms each. The sleeper is away 800 ms, the
 * hog reaches s = 900 ms. At 1 s the sleeper returns at s = 100 ms.
 * Without the rule it runs the whole 200 ms alone (hog waits 200 ms)
 * and keeps 600 ms of credit, and so every second: 20% of the CPU.
 * With it, s = max(s_min = 900, 100): 800 ms forgiven, the two
 * alternate again, 10% for the sleeper; 9 returns in 10 s.
 */
static void test_catchup(struct tap *t)
{
	static const char *const specs[] = {
		"hog:1", "sleeper:1:on=200ms,off=800ms", NULL,
	};
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 1 * MS,
				.duration_ns = 10000 * MS };
	struct sim_stats off[2], on[2];

	p.catchup = false;
	sim_run(w, &p, NULL, off);
	p.catchup = true;
	sim_run(w, &p, NULL, on);
	tap_eq_u64(t, off[0].max_wait_ns, 200 * MS,
		   "no catch-up: the hog starves 200 ms after each return");
	tap_eq_u64(t, off[1].runtime_ns, 1900 * MS,
		   "no catch-up: sleeper gets 100 + 9 x 200 ms");
	tap_eq_u64(t, off[1].catchups, 0, "no catch-up: none counted");
	tap_ok(t, on[0].max_wait_ns <= 1 * MS,
	       "catch-up: the hog waits at most one quantum");
	tap_eq_u64(t, on[1].runtime_ns, 1000 * MS,
		   "catch-up: sleeper gets 10 x 100 ms");
	tap_eq_u64(t, on[1].catchups, 9, "catch-up: 9 returns caught up");
	tap_eq_u64(t, on[1].activations, 9, "catch-up: 9 activations");
	tap_eq_u64(t, on[1].forgiven, 9 * 800 * MS,
		   "catch-up: 800 ms forgiven at each return");
	tap_eq_u64(t, on[0].catchups, 0, "catch-up: the hog never idles");
}

/* A group that starts late joins at s_min in both modes. */
static void test_late_start(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:1:start=1s", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 1 * MS,
				.duration_ns = 2000 * MS };
	struct sim_stats st[2];

	tap_ok(t, !sim_runnable(&w->g[1], 999 * MS) &&
		  sim_runnable(&w->g[1], 1000 * MS),
	       "start=1s: runnable from 1 s on");
	sim_run(w, &p, NULL, st);
	tap_eq_u64(t, st[1].runtime_ns, 500 * MS,
		   "start=1s without the rule: half of the last second");
	tap_eq_u64(t, st[0].max_wait_ns, 1 * MS,
		   "start=1s: no burst for the new group");
}

static FILE *text(const char *s)
{
	FILE *f = tmpfile();

	fputs(s, f);
	rewind(f);
	return f;
}

static void test_replay(struct tap *t)
{
	/* t0 = 1000 ns; x idle first: busy since the record began. */
	FILE *f = text(
		"{\"time_ns\":1000,\"event\":\"new\",\"id\":1,\"name\":\"a\",\"weight\":100,\"active\":false}\n"
		"{\"time_ns\":50001000,\"event\":\"idle\",\"id\":2,\"name\":\"x\",\"weight\":300,\"active\":false}\n"
		"\n"
		"{\"time_ns\":100001000,\"event\":\"active\",\"id\":1,\"name\":\"a\",\"weight\":200,\"active\":true}\n"
		"{\"time_ns\":300001000,\"event\":\"idle\",\"id\":1,\"name\":\"a\",\"weight\":200,\"active\":false}\n"
		"{\"time_ns\":400001000,\"event\":\"active\",\"id\":1,\"name\":\"a\",\"weight\":200,\"active\":true}\n"
		"{\"time_ns\":500001000,\"event\":\"change\",\"id\":2,\"name\":\"x\",\"weight\":300,\"active\":false}\n");
	FILE *l = text("{\"groups\":[{\"name\":\"a\",\"id\":1,\"weight\":250},"
		       "{\"name\":\"z\",\"id\":3,\"weight\":7}]}\n");
	struct sim_workload w = { .n = 0 };
	struct wfqnl_err err = { 0 };
	uint64_t end = 0;
	int ret = sim_parse_events(f, "ev", &w, &end, &err);

	tap_ok(t, !ret && w.n == 2, "replay: two groups (%s)", err.msg);
	if (ret || w.n != 2)
		return;
	tap_eq_u64(t, end, 500 * MS, "replay: ends at the last line");
	tap_ok(t, w.g[0].nbusy == 2 && w.g[0].busy[0].start_ns == 100 * MS &&
		  w.g[0].busy[0].end_ns == 300 * MS &&
		  w.g[0].busy[1].start_ns == 400 * MS &&
		  w.g[0].busy[1].end_ns == 500 * MS,
	       "replay: a busy 100-300 ms and 400 ms to the end");
	tap_ok(t, w.g[1].nbusy == 1 && w.g[1].busy[0].start_ns == 0 &&
		  w.g[1].busy[0].end_ns == 50 * MS,
	       "replay: idle first means busy from the start");
	tap_ok(t, w.g[0].weight == 200 && w.g[1].weight == 300,
	       "replay: the last weights seen");
	ret = sim_parse_weights(l, "list", &w, &err);
	tap_ok(t, !ret && w.n == 3 && w.g[0].weight == 250 &&
		  w.g[2].weight == 7 && !sim_runnable(&w.g[2], 0),
	       "weights: list --json overrides, adds idle groups (%s)",
	       err.msg);
	fclose(f);
	fclose(l);
	sim_workload_free(&w);
}

static void expect_error(struct tap *t, int ret, const struct wfqnl_err *err,
			 const char *token, const char *what)
{
	tap_ok(t, ret && strstr(err->msg, token), "%s names %s", what, token);
	if (!ret || !strstr(err->msg, token))
		printf("#   got \"%s\"\n", err->msg);
}

static void test_errors(struct tap *t)
{
	static const char *const bad[][2] = {
		{ "a", "\"a\"" },
		{ "a:x", "\"x\"" },
		{ "a:0", "\"0\"" },
		{ "a:1:on=5ms", "on= and off=" },
		{ "a:1:foo=1s", "\"foo=1s\"" },
		{ "a:1:on=5parsecs,off=1s", "\"5parsecs\"" },
		{ ":1", "\"\"" },
	};
	struct sim_workload w = { .n = 0 };
	struct wfqnl_err err = { 0 };
	uint64_t end;
	FILE *f;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		expect_error(t, sim_parse_group(bad[i][0], &w, &err), &err,
			     bad[i][1], bad[i][0]);
	}
	tap_ok(t, w.n == 0, "bad specs add no group");
	sim_parse_group("a:1", &w, &err);
	expect_error(t, sim_parse_group("a:2", &w, &err), &err, "\"a\"",
		     "a group given twice");
	memset(&w, 0, sizeof(w));
	expect_error(t, sim_parse_group("b:1:on=4,off=1s", &w, &err), &err,
		     "4ms", "a pattern duration without a unit");
	sim_workload_free(&w);

	f = text("{\"time_ns\":1,\"event\":\"new\",\"name\":\"a\",\"active\":false}\n"
		 "{\"schema_version\":1,\"time_ns\":2,\"event\":\"lost\"}\n");
	expect_error(t, sim_parse_events(f, "ev.jsonl", &w, &end, &err), &err,
		     "ev.jsonl:2: notifications were lost",
		     "a record with lost notifications");
	fclose(f);
	sim_workload_free(&w);
	memset(&w, 0, sizeof(w));

	f = text("{\"time_ns\":1,\"event\":\"new\",\"name\":\"a\",\"active\":false}\n"
		 "{\"time_ns\":2,\"event\":\"idle\",\"active\":false}\n");
	expect_error(t, sim_parse_events(f, "ev.jsonl", &w, &end, &err), &err,
		     "ev.jsonl:2:", "an event without a name");
	fclose(f);
	sim_workload_free(&w);
	f = text("{\"time_ns\":5,\"event\":\"new\",\"name\":\"a\",\"active\":false}\n"
		 "{\"time_ns\":2,\"event\":\"idle\",\"name\":\"a\",\"active\":false}\n");
	expect_error(t, sim_parse_events(f, "ev.jsonl", &w, &end, &err), &err,
		     "ev.jsonl:2: time_ns 2", "time going backwards");
	fclose(f);
	sim_workload_free(&w);
	f = text("");
	expect_error(t, sim_parse_events(f, "empty", &w, &end, &err), &err,
		     "empty: no events", "an empty record");
	fclose(f);
	f = text("{\"groups\":[{\"name\":\"a\",\"weight\":0}]}");
	expect_error(t, sim_parse_weights(f, "list.json", &w, &err), &err,
		     "list.json", "weight 0 in a list");
	fclose(f);
	sim_workload_free(&w);
}

int main(void)
{
	struct tap t = { 0 };

	test_pick_smallest(&t);
	test_shares_123(&t);
	test_catchup(&t);
	test_late_start(&t);
	test_replay(&t);
	test_errors(&t);
	return tap_done(&t);
}
