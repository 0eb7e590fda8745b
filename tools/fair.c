// SPDX-License-Identifier: GPL-2.0
/* Fairness math; the definitions are in fair.h. */
#include <math.h>

#include "fair.h"

static double bound(double cap, double limit)
{
	return limit > 0 && limit < cap ? limit : cap;
}

double fair_cap(double runnable_threads, double cpuset_cpus, double quota_cpus)
{
	double cap = HUGE_VAL;

	cap = bound(cap, runnable_threads);
	cap = bound(cap, cpuset_cpus);
	return bound(cap, quota_cpus);
}

/*
 * Each round fixes the groups whose cap lies below the current level
 * lambda = remaining / (sum of unfixed weights); when none does, the
 * unfixed groups all get lambda * w_i. At most n rounds.
 */
double fair_water_fill(size_t n, const double *weight, const double *cap,
		       const bool *active, double capacity, double *ideal)
{
	double remaining = capacity, given = 0;
	bool fixed[n ? n : 1];

	for (size_t i = 0; i < n; i++) {
		fixed[i] = !active[i] || weight[i] <= 0;
		ideal[i] = 0;
	}
	for (;;) {
		double wsum = 0, lambda;
		bool capped_any = false;

		for (size_t i = 0; i < n; i++)
			if (!fixed[i])
				wsum += weight[i];
		if (wsum <= 0 || remaining <= 0)
			break;
		lambda = remaining / wsum;
		for (size_t i = 0; i < n; i++) {
			if (fixed[i] || cap[i] > lambda * weight[i])
				continue;
			ideal[i] = cap[i];
			remaining -= cap[i];
			given += cap[i];
			fixed[i] = true;
			capped_any = true;
		}
		if (capped_any)
			continue;
		for (size_t i = 0; i < n; i++) {
			if (fixed[i])
				continue;
			ideal[i] = lambda * weight[i];
			given += ideal[i];
		}
		break;
	}
	return given;
}

double fair_jain(size_t n, const double *x)
{
	double sum = 0, sum_sq = 0;

	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		sum_sq += x[i] * x[i];
	}
	if (n == 0 || sum_sq == 0)
		return 1;
	return sum * sum / ((double)n * sum_sq);
}

/* Accumulate around the first active vtime: the sums stay small. */
double fair_vtime_mean(size_t n, const uint32_t *weight,
		       const uint64_t *vtime, const bool *active)
{
	double wsum = 0, acc = 0;
	uint64_t base = 0;
	bool have_base = false;

	for (size_t i = 0; i < n; i++) {
		if (!active[i] || !weight[i])
			continue;
		if (!have_base) {
			base = vtime[i];
			have_base = true;
		}
		acc += (double)weight[i] * ((double)vtime[i] - (double)base);
		wsum += weight[i];
	}
	return wsum > 0 ? (double)base + acc / wsum : 0;
}
