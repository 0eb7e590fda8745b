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

/* Run fn into a string; the caller frees it. */
#define CAPTURE(buf, call)						\
	do {								\
		size_t len_;						\
		FILE *f_ = open_memstream(&(buf), &len_);		\
		call;							\
		fclose(f_);						\
	} while (0)

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
	struct report r = { .interval_ns = 28, .capacity_cpus = 1,
			    .vtime_mean = 900, .jain_index = 1,
			    .nr_active = 1, .n = 1, .rows = &row };
	char *out = NULL;

	snprintf(s.g.name, sizeof(s.g.name), "web");
	s.g.id = 4;
	s.g.weight = 200;
	s.g.vtime = 1000;
	s.g.quantum_max_ns = 9;
	s.have_cpu_stat = true;
	CAPTURE(out, out_report_json(f_, &r));
	tap_eq_str(t, out,
		   "{\"interval_ns\":28,\"capacity_cpus\":1,\"nr_active\":1,"
		   "\"vtime_mean\":900,\"jain_index\":1,\"groups\":[{"
		   "\"name\":\"web\",\"id\":4,\"weight\":200,\"active\":true,"
		   "\"cap_cpus\":1,\"ideal_cpus\":0.5,\"ideal_share\":0.5,"
		   "\"actual_cpus\":0.25,\"share\":0.25,\"share_error\":-0.25,"
		   "\"x\":0.5,\"vtime\":1000,\"lag_vtime\":-100,"
		   "\"runtime_ns\":7,\"cpu_usage_ns\":8000,"
		   "\"cpu_throttled_ns\":0,\"quanta\":1,\"quantum_mean_ns\":7,"
		   "\"quantum_max_ns\":9,\"wait_ns\":3}]}\n",
		   "report JSON keeps its keys, order and units");
	free(out);
	CAPTURE(out, out_report_prometheus(f_, &r));
	tap_ok(t, strstr(out, "# TYPE wfqmon_group_share gauge\n"
			 "wfqmon_group_share{group=\"web\"} 0.25\n") &&
		  strstr(out, "wfqmon_jain_index 1\n") &&
		  strstr(out, "# TYPE wfqmon_group_runtime_seconds_total counter\n"),
	       "Prometheus text has typed metrics with a group label");
	free(out);
}

int main(void)
{
	struct tap t = { 0 };

	test_json_writer(&t);
	test_report_json(&t);
	return tap_done(&t);
}
