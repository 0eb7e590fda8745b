// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 8: the two decisions of the course notes' WFQ (section 9.3.1).
 * Write the two functions below; the simulator (wfqtool simulate) calls
 * them and does everything else: time, charging s_i += CPU time / w_i,
 * the floor s_min, CPUs, sleeps and caps. The interface, with what each
 * function must do, is in tools/sim_policy.h; the handout is
 * Documentation/labs/lab8-scheduler.rst.
 *
 *   make -C tools lab8-check    grade this file (hidden randomised cases)
 *   make -C tools lab8          build/tools/lab8/wfqtool, the simulator
 *                               with this file, for the lab 3 replay
 */
#include "sim_policy.h"

/*
 * Which group runs next: among g[0..n-1] with g[i].runnable and not
 * skip[i], the one with the smallest g[i].vtime; on a tie the lowest
 * index. Return its index, or -1 when no group qualifies.
 */
int wfq_pick(const struct wfq_group *g, size_t n, const bool *skip)
{
	/* TODO: write the pick. */
	(void)g;
	(void)n;
	(void)skip;
	return -1;
}

/*
 * Group g was runnable before, slept, and wants the CPU again. Return
 * the vtime it rejoins with under the notes' catch-up rule; smin is the
 * smallest vtime of the groups that stayed runnable.
 */
uint64_t wfq_catchup(const struct wfq_group *g, uint64_t smin)
{
	/* TODO: write the catch-up rule. */
	(void)smin;
	return g->vtime;
}
