// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the Prometheus text (prom.h): exact numbers, the
 * histogram's cumulative buckets, values left out when unread, one
 * HELP/TYPE per family, and promtool's own check when it is installed
 * (vm/deps.sh installs it; PROMTOOL overrides the path).
 */
#include <stdlib.h>
#include <string.h>

#include "../prom.h"
#include "tap.h"

static struct group_sample sample(uint32_t id, const char *name)
{
	struct group_sample s = { 0 };

	s.g.id = id;
	snprintf(s.g.name, sizeof(s.g.name), "%s", name);
	s.g.weight = 200;
	s.g.cgroup_id = 4242;
	s.g.active = true;
	s.g.nr_runnable = 2;
	s.g.vtime = 3000000000ull;
	s.g.runtime_ns = 12345678901ull;
	s.g.quanta = 12345678901ull;
	s.g.wait_ns = 7;
	s.g.hist_len = WFQMON_HIST_BUCKETS;
	s.g.wait_hist_len = WFQMON_HIST_BUCKETS;
	s.g.wait_hist[0] = 5;
	s.g.wait_hist[1] = 6;
	s.g.wait_hist[WFQMON_HIST_BUCKETS - 1] = 7;
	snprintf(s.cgroup_path, sizeof(s.cgroup_path),
		 "/sys/fs/cgroup/libpod_parent/libpod-0123abcd");
	s.have_cpu_weight = true;
	s.cpu_weight = 39;
	return s;
}

static bool has(const char *out, const char *want)
{
	bool ok = strstr(out, want) != NULL;

	if (!ok)
		printf("#   missing: %s\n", want);
	return ok;
}

/* Every "# TYPE name" once. */
static bool one_type_per_family(const char *out)
{
	for (const char *p = strstr(out, "# TYPE "); p;
	     p = strstr(p + 1, "# TYPE ")) {
		size_t len = strcspn(p + 7, " ");
		char key[160];

		snprintf(key, sizeof(key), "# TYPE %.*s ", (int)len, p + 7);
		if (strstr(p + 1, key)) {
			printf("#   twice: %s\n", key);
			return false;
		}
	}
	return true;
}

/* 0 if promtool accepts out, 77 if it is not installed. */
static int promtool_run(const char *out)
{
	const char *promtool = getenv("PROMTOOL");
	char cmd[512];
	FILE *p;

	if (!promtool)
		promtool = "promtool";
	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null || exit 77; "
		 "%s check metrics", promtool, promtool);
	p = popen(cmd, "w");
	if (!p)
		return -1;
	fputs(out, p);
	return WEXITSTATUS(pclose(p));
}

static void promtool_check(struct tap *t, const char *out, const char *name)
{
	int status = promtool_run(out);

	if (status == 77)
		tap_ok(t, true, "%s # SKIP promtool not installed", name);
	else
		tap_ok(t, status == 0, "%s", name);
}

static void test_scrape(struct tap *t)
{
	struct group_sample g[2] = { sample(1, "web"), sample(2, "batch") };
	struct snapshot snap = { .n = 2, .groups = g };
	struct prom_scrape s = {
		.up = true, .family_version = 2, .snap = &snap,
		.stats = { .nr_groups = 2, .max_groups = 16384,
			   .tasks_untracked = 3, .events_sent = 10,
			   .events_coalesced = 4 },
	};
	char *out = NULL;

	g[1].g.weight = 100;
	g[1].g.vtime = 6000000000ull;
	g[1].have_cpu_stat = true;
	g[1].usage_usec = 1234567;
	g[1].have_throttled = true;
	g[1].throttled_usec = 1;
	g[1].cgroup_path[0] = '\0';
	g[1].have_cpu_weight = false;
	CAPTURE(out, prom_write(f_, &s));
	tap_ok(t, has(out, "wfqmon_group_runtime_seconds_total{group=\"web\"} 12.345678901\n") &&
		  has(out, "wfqmon_group_quanta_total{group=\"web\"} 12345678901\n"),
	       "counters exact: seconds with 9 decimals, integers in full");
	tap_ok(t, has(out, "wfqmon_group_cpu_usage_seconds_total{group=\"batch\"} 1.234567000\n") &&
		  has(out, "wfqmon_group_cpu_throttled_seconds_total{group=\"batch\"} 0.000001000\n") &&
		  !strstr(out, "cpu_usage_seconds_total{group=\"web\"}") &&
		  !strstr(out, "throttled_seconds_total{group=\"web\"}"),
	       "cpu.stat exported exactly when read, left out when not");
	tap_ok(t, has(out, "wfqmon_group_cpu_weight{group=\"web\"} 39\n") &&
		  has(out, "wfqmon_group_weight{group=\"web\"} 200\n") &&
		  !strstr(out, "cpu_weight{group=\"batch\"}"),
	       "the cgroup's real cpu.weight beside the group's weight");
	tap_ok(t, has(out, "wfqmon_group_info{group=\"web\",group_id=\"1\",cgroup_id=\"4242\","
		      "cgroup=\"/sys/fs/cgroup/libpod_parent/libpod-0123abcd\","
		      "id=\"/libpod_parent/libpod-0123abcd\",container=\"0123abcd\"} 1\n") &&
		  has(out, "wfqmon_group_info{group=\"batch\",group_id=\"2\",cgroup_id=\"4242\"} 1\n"),
	       "info: cgroup path, cAdvisor's id, container; only what is known");
	/* V = (200 * 3 s + 100 * 6 s) / 300 = 4 s. */
	tap_ok(t, has(out, "wfqmon_group_lag_seconds{group=\"web\"} 1.000000000\n") &&
		  has(out, "wfqmon_group_lag_seconds{group=\"batch\"} -2.000000000\n") &&
		  has(out, "wfqmon_group_vtime_seconds{group=\"web\"} 3.000000000\n"),
	       "vtime and lag in seconds of CPU per unit of weight");
	tap_ok(t, has(out, "wfqmon_group_wait_before_quantum_seconds_bucket{group=\"web\",le=\"0.000001024\"} 5\n"
		      "wfqmon_group_wait_before_quantum_seconds_bucket{group=\"web\",le=\"0.000002048\"} 11\n") &&
		  has(out, "wfqmon_group_wait_before_quantum_seconds_bucket{group=\"web\",le=\"0.268435456\"} 11\n"
		      "wfqmon_group_wait_before_quantum_seconds_bucket{group=\"web\",le=\"+Inf\"} 18\n"
		      "wfqmon_group_wait_before_quantum_seconds_sum{group=\"web\"} 0.000000007\n"
		      "wfqmon_group_wait_before_quantum_seconds_count{group=\"web\"} 18\n"),
	       "histogram: cumulative log2 buckets, +Inf, _sum and _count");
	tap_ok(t, has(out, "wfqmon_up 1\n") &&
		  has(out, "wfqmon_max_groups 16384\n") &&
		  has(out, "wfqmon_untracked_tasks_total 3\n") &&
		  has(out, "wfqmon_notifications_coalesced_total 4\n") &&
		  has(out, "wfqmon_family_version 2\n"),
	       "module self-metrics");
	tap_ok(t, one_type_per_family(out), "one HELP/TYPE per family");
	promtool_check(t, out, "promtool check metrics accepts it");
	free(out);

	s.up = false;
	CAPTURE(out, prom_write(f_, &s));
	tap_eq_str(t, out, "# HELP wfqmon_up 1 if the wfqmon module answered this scrape.\n"
		   "# TYPE wfqmon_up gauge\nwfqmon_up 0\n",
		   "module missing: wfqmon_up 0 and nothing else");
	free(out);
}

/* report --prometheus adds the window's shares, with its length. */
static void test_window(struct tap *t)
{
	struct group_sample g = sample(1, "web");
	struct snapshot snap = { .n = 1, .groups = &g };
	struct report_row row = { .now = &g, .active = true,
				  .ideal_share = 1, .share = 1 };
	struct report r = { .interval_ns = 1500000000ull, .jain_index = 1,
			    .n = 1, .rows = &row };
	struct prom_scrape s = { .up = true, .snap = &snap, .window = &r };
	char *out = NULL;

	CAPTURE(out, prom_write(f_, &s));
	tap_ok(t, has(out, "wfqmon_report_window_seconds 1.500000000\n") &&
		  has(out, "wfqmon_group_ideal_share_ratio{group=\"web\"} 1\n"),
	       "report: shares over a window whose length is exported");
	promtool_check(t, out, "promtool accepts the report's text");
	free(out);
}

int main(void)
{
	struct tap t = { 0 };

	test_scrape(&t);
	test_window(&t);
	return tap_done(&t);
}
