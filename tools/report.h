/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fairness report over a window between two snapshots: per group
 * the deltas of the kernel's counters and cpu.stat, the ideal share by
 * water-filling (fair.h) and the actual share; Jain's index over x_i.
 */
#ifndef WFQTOOL_REPORT_H
#define WFQTOOL_REPORT_H

#include "sample.h"

struct report_row {
	const struct group_sample *now;	/* the group at the window's end */
	bool active;			/* ran, or was runnable, in the window */
	double cap_cpus;		/* INFINITY when unbounded */
	double ideal_cpus;		/* water-filling allocation */
	double ideal_share;		/* ideal_cpus / sum(ideal_cpus) */
	/* Where the ideal came from: the parent cgroup ("" if unknown). */
	const char *ideal_parent;
	/* weight / the weights of the siblings that want CPU, at its level */
	double level_share;
	double actual_cpus;		/* runtime_ns / interval_ns */
	/* runtime_ns / the top-level groups' sum (a parent's includes its children's) */
	double share;
	double share_error;		/* share - ideal_share */
	double x;			/* share / ideal_share, 0 if no ideal */
	double lag;			/* V of its siblings - s_i at the window's end */
	uint64_t runtime_ns;		/* all deltas over the window */
	uint64_t usage_ns;		/* cpu.stat usage_usec * 1000 */
	uint64_t throttled_ns;
	uint64_t quanta;
	uint64_t quantum_mean_ns;
	uint64_t wait_ns;
	/* Waits per log2 bucket in the window; 0 buckets if not reported. */
	unsigned int wait_hist_len;
	uint64_t wait_hist[WFQMON_HIST_BUCKETS];
};

struct report {
	uint64_t time_ns;	/* CLOCK_REALTIME at the window's end */
	uint64_t interval_ns;
	double capacity_cpus;	/* CPUs of the active groups' cpusets */
	double vtime_mean;	/* V over the active top-level groups */
	double jain_index;	/* on x_i of the active groups */
	unsigned int nr_active;
	size_t n;
	struct report_row *rows;
};

/* Groups are matched by id; one absent from before counts from zero. */
int report_compute(const struct snapshot *before, const struct snapshot *after,
		   struct report *r, struct wfqnl_err *err);
void report_free(struct report *r);

#endif /* WFQTOOL_REPORT_H */
