// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for wfqtool top: the sort keys, the row order, and
 * that a frame fits in 80 columns even with long names.
 */
#include <stdlib.h>
#include <string.h>

#include "../output.h"
#include "../top.h"
#include "tap.h"

#define NGROUPS 4

struct fixture {
	struct group_sample s[NGROUPS];
	struct report_row rows[NGROUPS];
	struct report r;
};

/* Rows: name, share, runtime_ns, wait_ns, weight, active. */
static void fixture_init(struct fixture *fx)
{
	static const struct {
		const char *name;
		double share;
		uint64_t runtime_ns, wait_ns;
		unsigned int weight;
		bool active;
	} def[NGROUPS] = {
		{ "b", 0.50, 500, 10, 200, true },
		{ "idle", 0.00, 0, 0, 900, false },
		{ "c", 0.25, 250, 30, 300, true },
		{ "a", 0.25, 250, 20, 100, true },
	};

	memset(fx, 0, sizeof(*fx));
	for (size_t i = 0; i < NGROUPS; i++) {
		snprintf(fx->s[i].g.name, sizeof(fx->s[i].g.name), "%s",
			 def[i].name);
		fx->s[i].g.weight = def[i].weight;
		fx->rows[i] = (struct report_row){
			.now = &fx->s[i], .active = def[i].active,
			.share = def[i].share, .ideal_share = def[i].share,
			.x = 1, .runtime_ns = def[i].runtime_ns,
			.wait_ns = def[i].wait_ns,
		};
	}
	fx->r = (struct report){ .interval_ns = 1000000000, .capacity_cpus = 1,
				 .jain_index = 1, .nr_active = 3, .n = NGROUPS,
				 .rows = fx->rows };
}

/* The names in the order top_order() gives, comma separated. */
static void order_str(const struct fixture *fx, enum top_sort key, char *buf,
		      size_t size)
{
	size_t order[NGROUPS], len = 0;

	top_order(&fx->r, key, order);
	buf[0] = '\0';
	for (size_t i = 0; i < NGROUPS; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? "," : "",
					fx->rows[order[i]].now->g.name);
}

static void test_order(struct tap *t)
{
	struct fixture fx;
	char buf[64];

	fixture_init(&fx);
	order_str(&fx, TOP_SORT_SHARE, buf, sizeof(buf));
	tap_eq_str(t, buf, "b,a,c,idle",
		   "sort share: largest first, ties by name, idle last");
	order_str(&fx, TOP_SORT_WEIGHT, buf, sizeof(buf));
	tap_eq_str(t, buf, "c,b,a,idle",
		   "sort weight: idle groups last even with the largest weight");
	order_str(&fx, TOP_SORT_RUNTIME, buf, sizeof(buf));
	tap_eq_str(t, buf, "b,a,c,idle", "sort runtime: largest first");
	order_str(&fx, TOP_SORT_WAIT, buf, sizeof(buf));
	tap_eq_str(t, buf, "c,a,b,idle", "sort wait: largest first");
	order_str(&fx, TOP_SORT_NAME, buf, sizeof(buf));
	tap_eq_str(t, buf, "a,b,c,idle", "sort name: A to Z, active first");
}

static void test_parse_sort(struct tap *t)
{
	struct wfqnl_err err = { 0 };
	enum top_sort key = TOP_SORT_SHARE;
	static const char *const names[] = { "share", "weight", "runtime",
					     "wait", "name" };
	bool all = true;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		all &= !top_parse_sort(names[i], &key, &err) &&
		       !strcmp(top_sort_name(key), names[i]);
	tap_ok(t, all, "every sort key parses and names itself");
	tap_ok(t, top_parse_sort("cpu", &key, &err) < 0 &&
		  strstr(err.msg, "\"cpu\": not one of") != NULL,
	       "an unknown sort key is rejected, naming the choices");
}

/* Longest line of s, in bytes (the table is ASCII). */
/* In columns: UTF-8 continuation bytes (of the ellipsis) take none. */
static size_t widest_line(const char *s)
{
	size_t widest = 0;

	while (*s) {
		size_t len = strcspn(s, "\n"), cols = 0;

		for (size_t i = 0; i < len; i++)
			cols += ((unsigned char)s[i] & 0xc0) != 0x80;
		if (cols > widest)
			widest = cols;
		s += len + (s[len] == '\n');
	}
	return widest;
}

static void test_fits_80_columns(struct tap *t)
{
	struct fixture fx;
	size_t order[NGROUPS], len;
	char *out = NULL;
	FILE *f;

	fixture_init(&fx);
	/* A name of the longest kind, and large numbers in every column. */
	memset(fx.s[0].g.name, 'n', sizeof(fx.s[0].g.name) - 1);
	fx.s[0].g.name[sizeof(fx.s[0].g.name) - 1] = '\0';
	fx.s[0].g.weight = 10000;
	fx.rows[0].lag = -99999.9e6;
	fx.rows[0].runtime_ns = 9999999ull * 1000000;
	fx.rows[0].wait_ns = 9999999ull * 1000000;
	fx.rows[0].throttled_ns = 999999ull * 1000000;
	fx.rows[0].share_error = -1;
	fx.rows[0].x = 99.99;
	fx.r.capacity_cpus = 1024;
	fx.r.n = 1000;	/* "window ..., 3/1000 active": only rows printed */
	top_order(&(struct report){ .n = NGROUPS, .rows = fx.rows },
		  TOP_SORT_SHARE, order);
	f = open_memstream(&out, &len);
	out_top_table(f, &fx.r, order, NGROUPS, "runtime", 80, true);
	fclose(f);
	tap_ok(t, widest_line(out) <= 80, "a frame fits in 80 columns (%zu)",
	       widest_line(out));
	tap_ok(t, strstr(out, "(996 more)\n") != NULL,
	       "rows beyond the screen are counted, not printed");
	tap_ok(t, strstr(out, "nnnnnnnnnnnnnn\u2026 10000") != NULL,
	       "a name too long for the width is cut with an ellipsis");
	free(out);
	f = open_memstream(&out, &len);
	out_top_table(f, &fx.r, order, NGROUPS, "runtime",
		      WFQMON_NAME_MAX + 120, false);
	fclose(f);
	tap_ok(t, strstr(out, fx.s[0].g.name) != NULL &&
		  strstr(out, "window") == NULL && strstr(out, "NAME") == NULL,
	       "on a wide terminal the name is whole; no legend, no header");
	free(out);
}

/* The cgroup's own name is at the end of its path: that end is kept. */
static void test_cgroup_tail(struct tap *t)
{
	struct fixture fx;
	size_t order[NGROUPS], len;
	char *out = NULL;
	FILE *f;

	fixture_init(&fx);
	for (size_t i = 0; i < NGROUPS; i++)
		snprintf(fx.s[i].cgroup_path, sizeof(fx.s[i].cgroup_path),
			 "/sys/fs/cgroup/machine.slice/libpod_parent/x%zu.scope",
			 i);
	top_order(&(struct report){ .n = NGROUPS, .rows = fx.rows },
		  TOP_SORT_SHARE, order);
	f = open_memstream(&out, &len);
	out_top_table(f, &fx.r, order, NGROUPS, "share", 100, true);
	fclose(f);
	tap_ok(t, widest_line(out) <= 100 && strstr(out, "CGROUP") &&
		  strstr(out, "\u2026") && strstr(out, "parent/x0.scope\n"),
	       "on 100 columns the cgroup's path ends each line, cut at its start");
	free(out);
	f = open_memstream(&out, &len);
	out_top_table(f, &fx.r, order, NGROUPS, "share", 80, true);
	fclose(f);
	tap_ok(t, !strstr(out, "CGROUP") && !strstr(out, "x0.scope"),
	       "on 80 columns there is no room for the cgroup: left out");
	free(out);
}

int main(void)
{
	struct tap t = { 0 };

	test_order(&t);
	test_parse_sort(&t);
	test_fits_80_columns(&t);
	test_cgroup_tail(&t);
	return tap_done(&t);
}
