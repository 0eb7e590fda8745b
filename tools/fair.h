/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fairness math, defined once here and in wfqtool(8):
 *
 * Ideal allocation (weighted max-min, "water-filling"): CAPACITY CPUs
 * are shared by the active groups; group i gets
 *
 *	E_i = min(cap_i, lambda * w_i)
 *
 * w_i is the weight the scheduler stores for cpu.weight w:
 * round(w * 1024 / 100) (fair_kernel_weight()), so 1:2:3 is 10:20:31.
 * with lambda the largest level such that sum(E_i) <= CAPACITY. A
 * group whose cap is below its weighted level keeps only its cap and
 * the rest flows to the others. If every group is capped below its
 * level, all get their caps and capacity is left unused.
 *
 * cap_i = min(runnable threads, CPUs in its cpuset, cpu.max quota/period);
 * any of the three may be unknown (<= 0) and is then no bound.
 *
 * Jain's index over x_i = actual_i / ideal_i: (sum x)^2 / (n * sum x^2),
 * 1 when every group gets the same fraction of its ideal, 1/n at worst.
 *
 * Lag: V - s_i, with V = sum(w_i * s_i) / sum(w_i) over active groups.
 */
#ifndef WFQTOOL_FAIR_H
#define WFQTOOL_FAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Any bound <= 0 is unknown: no limit from it. Returns HUGE_VAL if none. */
double fair_cap(double runnable_threads, double cpuset_cpus, double quota_cpus);

/*
 * Water-filling. weight[i] > 0 and active[i] for a group that competes;
 * inactive groups get 0. ideal[i] is in CPUs. Returns the CPUs handed out.
 */
double fair_water_fill(size_t n, const double *weight, const double *cap,
		       const bool *active, double capacity, double *ideal);

/* Jain's index of x[0..n-1]; 1 for n == 0 or all x == 0. */
double fair_jain(size_t n, const double *x);

/* Weighted mean of vtime over active groups; 0 when none is active. */
double fair_vtime_mean(size_t n, const uint32_t *weight,
		       const uint64_t *vtime, const bool *active);

#endif /* WFQTOOL_FAIR_H */
