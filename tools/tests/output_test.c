// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the output formats: the JSON keys are a stable
 * interface, so the exact text of a small report is checked.
 */
#include <stdlib.h>
#include <string.h>

#include "../json.h"
#include "../output.h"
#include "tap.h"

static void test_json_writer(struct tap *t)
{
	char *out = NULL;
	struct json j;

	CAPTURE(out, (json_init(&j, f_), json_obj_begin(&j, NULL),
		      json_str(&j, "name", "a\"b\\c\n"),
		      json_double(&j, "x", 0.5),
		      json_double(&j, "cap", HUGE_VAL),
		      json_arr_begin(&j, "l"), json_u64(&j, NULL, 1),
		      json_i64(&j, NULL, -2), json_end(&j, ']'),
		      json_bool(&j, "ok", true), json_end(&j, '}')));
	tap_eq_str(t, out,
		   "{\"name\":\"a\\\"b\\\\c\\u000a\",\"x\":0.5,\"cap\":null,"
		   "\"l\":[1,-2],\"ok\":true}\n",
		   "JSON writer escapes strings, writes inf as null, nests");
	free(out);
}

static void test_report_json(struct tap *t)
{
	struct group_sample s = { 0 };
	struct report_row row = {
		.now = &s, .active = true, .cap_cpus = 1, .ideal_cpus = 0.5,
		.ideal_share = 0.5, .actual_cpus = 0.25, .share = 0.25,
		.share_error = -0.25, .x = 0.5, .lag = -100, .runtime_ns = 7,
		.usage_ns = 8000, .throttled_ns = 0, .quanta = 1,
		.quantum_mean_ns = 7, .wait_ns = 3,
	};
	struct report r = { .time_ns = 1700000000000000000ull,
			    .interval_ns = 28, .capacity_cpus = 1,
			    .vtime_mean = 900, .jain_index = 1,
			    .nr_active = 1, .n = 1, .rows = &row };
	char *out = NULL;

	snprintf(s.g.name, sizeof(s.g.name), "web");
	snprintf(s.cgroup_path, sizeof(s.cgroup_path),
		 "/sys/fs/cgroup/system.slice/web.service");
	s.g.id = 4;
	s.g.weight = 200;
	s.g.vtime = 1000;
	s.g.quantum_max_ns = 9;
	s.have_cpu_stat = true;
	CAPTURE(out, out_report_json(f_, &r));
	tap_eq_str(t, out,
		   "{\"schema_version\":1,\"time_ns\":1700000000000000000,"
		   "\"interval_ns\":28,\"capacity_cpus\":1,\"nr_active\":1,"
		   "\"vtime_mean_ns_per_weight\":900,\"jain_index\":1,"
		   "\"groups\":[{"
		   "\"name\":\"web\",\"id\":4,\"parent_id\":0,"
		   "\"cgroup\":\"/sys/fs/cgroup/system.slice/web.service\","
		   "\"weight\":200,\"active\":true,"
		   "\"cap_cpus\":1,\"ideal_cpus\":0.5,\"ideal_share\":0.5,"
		   "\"ideal_parent\":\"\",\"level_share\":0,"
		   "\"actual_cpus\":0.25,\"share\":0.25,\"share_error\":-0.25,"
		   "\"share_to_ideal_ratio\":0.5,\"vtime_ns_per_weight\":1000,"
		   "\"lag_vtime_ns_per_weight\":-100,"
		   "\"runtime_ns\":7,\"cpu_usage_ns\":8000,"
		   "\"cpu_throttled_ns\":0,\"quanta\":1,\"quantum_mean_ns\":7,"
		   "\"quantum_max_ns\":9,\"wait_ns\":3,\"wait_hist\":null}]}\n",
		   "report JSON keeps its keys, order and units");
	free(out);
	row.cap_cpus = INFINITY;
	CAPTURE(out, out_report_json(f_, &r));
	tap_ok(t, strstr(out, "\"cap_cpus\":\"max\",") != NULL,
	       "an unbounded cap is \"max\", not null");
	free(out);
	row.cap_cpus = 1;
	snprintf(s.g.name, sizeof(s.g.name), "a-rather-long-group-name");
	CAPTURE(out, out_report_table(f_, &r, 0, true));
	tap_ok(t, strstr(out, "\na-rather-long-group-name   200 ") != NULL,
	       "in a pipe the report table has whole names");
	tap_ok(t, strstr(out, " RUN_MS QMEAN_US WAIT_MS ") &&
		  strstr(out, "     0.0        0     0.0 "),
	       "the report's columns are as wide as their names");
	free(out);
	CAPTURE(out, out_report_table(f_, &r, 80, false));
	tap_ok(t, !strncmp(out, "a-rather-\u2026   200 ",
			   strlen("a-rather-\u2026   200 ")) &&
		  strchr(out, '\n') == strrchr(out, '\n'),
	       "sized to 80 columns the name is cut; no legend: rows only");
	free(out);
}

/* show --json: histograms with explicit bounds, and the CPUs if read. */
static void test_show_json_hist_cpus(struct tap *t)
{
	struct wfqnl_cpu cpus[2] = {
		{ .cpu = 0, .runtime_ns = 10, .wait_ns = 1, .quanta = 2 },
		{ .cpu = 1, .runtime_ns = 30, .wait_ns = 3, .quanta = 4 },
	};
	struct group_sample s = { 0 };
	struct snapshot snap = { .time_ns = 5, .n = 1, .groups = &s };
	char *out = NULL;

	snprintf(s.g.name, sizeof(s.g.name), "web");
	s.g.wait_hist_len = WFQMON_HIST_BUCKETS;
	s.g.wait_hist[0] = 5;
	s.g.wait_hist[1] = 6;
	s.g.wait_hist[WFQMON_HIST_BUCKETS - 1] = 7;
	CAPTURE(out, out_show_json(f_, &snap));
	tap_ok(t, strstr(out, "\"wait_hist\":[{\"ge_ns\":0,\"lt_ns\":1024,"
			 "\"count\":5},{\"ge_ns\":1024,\"lt_ns\":2048,"
			 "\"count\":6},{\"ge_ns\":2048,") != NULL,
	       "wait_hist: bucket 0 is [0, 2^SHIFT), bucket k [2^(k+SHIFT-1), 2^(k+SHIFT))");
	tap_ok(t, strstr(out, "{\"ge_ns\":268435456,\"lt_ns\":\"max\","
			 "\"count\":7}]") != NULL,
	       "the last wait bucket is open-ended: lt_ns \"max\"");
	tap_ok(t, !strncmp(out, "{\"schema_version\":1,\"time_ns\":5,",
			   strlen("{\"schema_version\":1,\"time_ns\":5,")),
	       "show --json starts with its schema version and time");
	tap_ok(t, strstr(out, "\"quantum_hist\":null") != NULL &&
		  strstr(out, "\"cpus\"") == NULL,
	       "a histogram not received is null; no cpus key unless read");
	free(out);

	s.cpus = cpus;
	s.nr_cpus = 2;
	CAPTURE(out, out_show_json(f_, &snap));
	tap_ok(t, strstr(out, "\"cpus\":[{\"cpu\":0,\"runtime_ns\":10,"
			 "\"wait_ns\":1,\"quanta\":2},{\"cpu\":1,"
			 "\"runtime_ns\":30,\"wait_ns\":3,\"quanta\":4}]") != NULL,
	       "show --per-cpu --json lists each CPU's runtime, wait and quanta");
	free(out);
	CAPTURE(out, out_show_text(f_, &s));
	tap_ok(t, strstr(out, "wait histogram:\n  [    0ns,  1.02us)            5  27.78%\n"
			 "  [ 1.02us,  2.05us)            6  33.33%\n") &&
		  strstr(out, "  [  268ms,     inf)            7  38.89%\n") &&
		  strstr(out, "                   1     0.000000  0.750") != NULL,
	       "show prints the non-empty wait buckets and each CPU's share");
	free(out);
}

int main(void)
{
	struct tap t = { 0 };

	test_json_writer(&t);
	test_report_json(&t);
	test_show_json_hist_cpus(&t);
	return tap_done(&t);
}
