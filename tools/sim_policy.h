/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two decisions of the course notes' WFQ, behind the interface
 * that the simulator (sim.c) calls: which group runs, and where a
 * group that wakes up rejoins. tools/sim_policy.c is the reference
 * that wfqtool simulate uses; lab 8's students write their own
 * (labs/lab8-scheduler/student/wfq.c) and the grader swaps it in.
 * The simulator keeps everything else: time, charging s_i += q / w_i,
 * the floor s_min, CPUs, sleeps and caps.
 */
#ifndef WFQTOOL_SIM_POLICY_H
#define WFQTOOL_SIM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a policy sees of one group. */
struct wfq_group {
	uint32_t weight;	/* w_i, >= 1 */
	uint64_t vtime;		/* s_i, ns of CPU per unit of weight */
	bool runnable;		/* wants the CPU this quantum */
};

/*
 * The group to run next: among g[0..n-1] that are runnable and not
 * skip[i], the one with the smallest vtime; on a tie the lowest index.
 * -1 when there is none. The simulator calls it once per CPU and sets
 * skip[] for a group that already has all the CPUs it can use.
 */
int wfq_pick(const struct wfq_group *g, size_t n, const bool *skip);

/*
 * The catch-up rule, for a group that was runnable before, slept, and
 * is runnable again: the vtime it rejoins with, given s_min, the
 * smallest vtime of the groups that stayed runnable (never decreasing).
 * The simulator calls it only when the rule is on.
 */
uint64_t wfq_catchup(const struct wfq_group *g, uint64_t smin);

/* A policy to simulate instead of these two (lab 8's grader). */
struct wfq_policy {
	int (*pick)(const struct wfq_group *g, size_t n, const bool *skip);
	uint64_t (*catchup)(const struct wfq_group *g, uint64_t smin);
};

#endif /* WFQTOOL_SIM_POLICY_H */
