// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the report over a window of two snapshots. */
#include <math.h>
#include <string.h>

#include "../report.h"
#include "tap.h"

#define TOL 1e-9
#define SEC 1000000000ull

static struct group_sample group(uint32_t id, uint32_t weight,
				 uint64_t runtime_ns, uint64_t vtime,
				 unsigned int cpu)
{
	struct group_sample s = { 0 };

	s.g.id = id;
	snprintf(s.g.name, sizeof(s.g.name), "g%u", id);
	s.g.weight = weight;
	s.g.runtime_ns = runtime_ns;
	s.g.vtime = vtime;
	s.g.quanta = runtime_ns / 4000000;	/* 4 ms quanta */
	s.have_cpuset = true;
	s.cpuset.bits[0] = 1ull << cpu;
	s.have_cpu_stat = true;
	s.usage_usec = runtime_ns / 1000;
	return s;
}

/* Weights 1:2 pinned to CPU 0 over 3 s, an idle group on CPU 1. */
static void test_pinned_pair(struct tap *t)
{
	struct group_sample a[] = {
		group(1, 1, 5 * SEC, 5 * SEC, 0),
		group(2, 2, 1 * SEC, SEC / 2, 0),
		group(3, 3, 7 * SEC, 7 * SEC / 3, 1),
	};
	struct group_sample b[] = {
		group(1, 1, 6 * SEC, 6 * SEC, 0),
		group(2, 2, 3 * SEC, 3 * SEC / 2, 0),
		group(3, 3, 7 * SEC, 7 * SEC / 3, 1),
	};
	struct snapshot before = { .mono_ns = 10 * SEC, .online_cpus = 2,
				   .n = 3, .groups = a };
	struct snapshot after = { .mono_ns = 13 * SEC, .online_cpus = 2,
				  .n = 3, .groups = b };
	struct wfqnl_err err;
	struct report r;

	b[0].g.active = b[1].g.active = true;
	b[0].g.nr_runnable = b[1].g.nr_runnable = 1;
	b[0].usage_usec += 1000;	/* cpu.stat 1 ms ahead */
	tap_ok(t, report_compute(&before, &after, &r, &err) == 0,
	       "report of a 3 s window computes");
	tap_eq_u64(t, r.interval_ns, 3 * SEC, "the window is 3 s");
	tap_eq_u64(t, r.nr_active, 2, "the idle group is not counted active");
	tap_near(t, r.capacity_cpus, 1, TOL,
		 "capacity is the active groups' cpuset: 1 CPU");
	tap_near(t, r.rows[0].ideal_share, 1.0 / 3, TOL,
		 "weight 1 of 1:2 has ideal share 1/3");
	tap_near(t, r.rows[1].ideal_share, 2.0 / 3, TOL,
		 "weight 2 of 1:2 has ideal share 2/3");
	tap_near(t, r.rows[2].ideal_share, 0, TOL,
		 "the idle group has ideal share 0");
	tap_near(t, r.rows[0].share, 1.0 / 3, TOL,
		 "1 s of 3 s charged is share 1/3");
	tap_near(t, r.rows[0].actual_cpus, 1.0 / 3, TOL,
		 "1 s of CPU in 3 s is 1/3 CPU");
	tap_near(t, r.rows[1].x, 1, TOL, "x of a group at its ideal is 1");
	tap_near(t, r.jain_index, 1, TOL, "Jain's index at the ideal is 1");
	tap_eq_u64(t, r.rows[0].runtime_ns, SEC, "runtime is the window's delta");
	tap_eq_u64(t, r.rows[0].usage_ns, SEC + 1000000,
		   "cpu.stat usage is the window's delta in ns");
	tap_eq_u64(t, r.rows[0].quantum_mean_ns, 4000000,
		   "mean quantum is runtime over quanta");
	/* V = (1 * 6 + 2 * 1.5) / 3 = 3 s; lags 3 - 6 and 3 - 1.5. */
	tap_near(t, r.vtime_mean, 3.0 * SEC, 1, "V is the weighted mean vtime");
	tap_near(t, r.rows[0].lag, -3.0 * SEC, 1, "lag of the leader is V - s_i < 0");
	tap_near(t, r.rows[1].lag, 1.5 * SEC, 1, "lag of the laggard is V - s_i > 0");
	report_free(&r);
}

/* An unfair window: weights 1:1 but 3:1 CPU time; a group born in it. */
static void test_unfair(struct tap *t)
{
	struct group_sample a[] = { group(1, 1, 0, 0, 0) };
	struct group_sample b[] = {
		group(1, 1, 3 * SEC, 3 * SEC, 0),
		group(2, 1, 1 * SEC, 1 * SEC, 0),
	};
	struct snapshot before = { .mono_ns = 0, .online_cpus = 4, .n = 1,
				   .groups = a };
	struct snapshot after = { .mono_ns = 4 * SEC, .online_cpus = 4,
				  .n = 2, .groups = b };
	struct wfqnl_err err;
	struct report r;

	tap_ok(t, report_compute(&before, &after, &r, &err) == 0,
	       "report with a group born in the window computes");
	tap_near(t, r.rows[1].share, 0.25, TOL,
		 "a group born in the window counts from zero");
	tap_near(t, r.rows[0].share_error, 0.25, TOL,
		 "share error is share - ideal share (0.75 - 0.5)");
	tap_near(t, r.rows[0].x, 1.5, TOL, "x = 0.75 / 0.5 = 1.5");
	/* (1.5 + 0.5)^2 / (2 * (2.25 + 0.25)) = 0.8 */
	tap_near(t, r.jain_index, 0.8, TOL, "Jain's index of x = 1.5, 0.5 is 0.8");
	report_free(&r);
}

/* The window's wait histogram is the bucket-wise difference. */
static void test_wait_hist_window(struct tap *t)
{
	struct group_sample a[] = { group(1, 1, SEC, SEC, 0) };
	struct group_sample b[] = { group(1, 1, 2 * SEC, 2 * SEC, 0),
				    group(2, 1, SEC, SEC, 0) };
	struct snapshot before = { .mono_ns = SEC, .online_cpus = 1,
				   .n = 1, .groups = a };
	struct snapshot after = { .mono_ns = 2 * SEC, .online_cpus = 1,
				  .n = 2, .groups = b };
	struct wfqnl_err err;
	struct report r;

	a[0].g.wait_hist_len = b[0].g.wait_hist_len = WFQMON_HIST_BUCKETS;
	b[1].g.wait_hist_len = WFQMON_HIST_BUCKETS;
	a[0].g.wait_hist[3] = 10;
	b[0].g.wait_hist[3] = 25;
	b[0].g.wait_hist[4] = 2;
	b[1].g.wait_hist[0] = 9;
	if (!tap_ok(t, report_compute(&before, &after, &r, &err) == 0,
		    "report with wait histograms computes"))
		return;
	tap_ok(t, r.rows[0].wait_hist_len == WFQMON_HIST_BUCKETS &&
		  r.rows[0].wait_hist[3] == 15 && r.rows[0].wait_hist[4] == 2 &&
		  r.rows[0].wait_hist[0] == 0,
	       "a window's wait buckets are after minus before");
	tap_ok(t, r.rows[1].wait_hist[0] == 9,
	       "a group born in the window counts its waits from zero");
	report_free(&r);
}

/*
 * Weights 1:2:3 on one CPU: the scheduler stores them as 10:20:31, so the
 * ideal shares are 10/61, 20/61, 31/61 (the demo measures 0.164, 0.328,
 * 0.508), not 1/6, 2/6, 3/6.
 */
static void test_kernel_weights(struct tap *t)
{
	struct group_sample a[] = {
		group(1, 1, 0, 0, 0), group(2, 2, 0, 0, 0), group(3, 3, 0, 0, 0),
	};
	struct group_sample b[] = {
		group(1, 1, SEC, SEC, 0), group(2, 2, SEC, SEC, 0),
		group(3, 3, SEC, SEC, 0),
	};
	struct snapshot before = { .mono_ns = 0, .online_cpus = 1, .n = 3,
				   .groups = a };
	struct snapshot after = { .mono_ns = 3 * SEC, .online_cpus = 1,
				  .n = 3, .groups = b };
	struct wfqnl_err err;
	struct report r;

	if (!tap_ok(t, report_compute(&before, &after, &r, &err) == 0,
		    "report of weights 1:2:3 computes"))
		return;
	tap_near(t, r.rows[0].ideal_share, 10.0 / 61, TOL,
		 "weight 1 of 1:2:3 has ideal share 10/61 (the kernel's 10)");
	tap_near(t, r.rows[1].ideal_share, 20.0 / 61, TOL,
		 "weight 2 of 1:2:3 has ideal share 20/61 (the kernel's 20)");
	tap_near(t, r.rows[2].ideal_share, 31.0 / 61, TOL,
		 "weight 3 of 1:2:3 has ideal share 31/61 (the kernel's 31)");
	report_free(&r);
}

/*
 * Issue 12's two slices as the kernel nests their groups, no cgroup
 * tree: sys (id 1) over a (2) and b (3), user (4) over c (5), weights
 * 100, one CPU. A slice's runtime includes its services': shares are of
 * the top level's total, not of everything summed twice.
 */
static void test_nested_groups(struct tap *t)
{
	struct group_sample a[] = {
		group(1, 100, 0, 0, 0), group(2, 100, 0, 0, 0),
		group(3, 100, 0, 0, 0), group(4, 100, 0, 0, 0),
		group(5, 100, 0, 0, 0),
	};
	struct group_sample b[] = {
		group(1, 100, 2 * SEC, 20000000, 0),
		group(2, 100, 1 * SEC, 10000000, 0),
		group(3, 100, 1 * SEC, 10000000, 0),
		group(4, 100, 2 * SEC, 20000000, 0),
		group(5, 100, 2 * SEC, 20000000, 0),
	};
	struct snapshot before = { .mono_ns = 0, .online_cpus = 1, .n = 5,
				   .groups = a };
	struct snapshot after = { .mono_ns = 4 * SEC, .online_cpus = 1,
				  .n = 5, .groups = b };
	struct wfqnl_err err;
	struct report r;

	for (int i = 0; i < 5; i++) {
		b[i].g.active = true;
		b[i].g.depth = i == 0 || i == 3 ? 1 : 2;
		b[i].g.parent_id = i == 1 || i == 2 ? 1 : i == 4 ? 4 : 0;
		b[i].g.nr_runnable = b[i].g.depth == 2;
		a[i].g = b[i].g;
		a[i].g.runtime_ns = 0;
		a[i].g.vtime = 0;
	}
	if (!tap_ok(t, report_compute(&before, &after, &r, &err) == 0,
		    "report of nested groups computes"))
		return;
	tap_near(t, r.rows[1].share, 0.25, TOL,
		 "a service's share is of the top level's total: 1 s of 4");
	tap_near(t, r.rows[4].share, 0.5, TOL, "the scope's share is 2 s of 4");
	tap_near(t, r.rows[0].share, 0.5, TOL,
		 "a slice's share includes its services'");
	tap_near(t, r.rows[1].ideal_share, 0.25, TOL,
		 "a service's ideal is half of its slice's half");
	tap_near(t, r.rows[4].ideal_share, 0.5, TOL,
		 "the scope's ideal is all of its slice's half");
	tap_near(t, r.rows[3].ideal_share, 0.5, TOL, "each slice's ideal is half");
	tap_near(t, r.jain_index, 1, TOL, "at the ideal at every level: Jain 1");
	tap_near(t, r.rows[1].lag, 0, 1, "a service's lag is against its sibling");
	report_free(&r);
}

int main(void)
{
	struct tap t = { 0 };

	test_pinned_pair(&t);
	test_kernel_weights(&t);
	test_unfair(&t);
	test_wait_hist_window(&t);
	test_nested_groups(&t);
	return tap_done(&t);
}
