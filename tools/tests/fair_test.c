// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the fairness math, with hand-computed answers
 * (the arithmetic is in each comment).
 */
#include <math.h>
#include <stdbool.h>

#include "../fair.h"
#include "tap.h"

#define TOL 1e-9
#define N_MAX 8

/* Water-fill and check every group against the expected CPUs. */
static void check_fill(struct tap *t, const char *name, size_t n,
		       const double *w, const double *cap, const bool *active,
		       double capacity, const double *want)
{
	double ideal[N_MAX];
	bool ok = true;

	fair_water_fill(n, w, cap, active, capacity, ideal);
	for (size_t i = 0; i < n; i++)
		ok &= fabs(ideal[i] - want[i]) <= TOL;
	tap_ok(t, ok, "%s", name);
	if (!ok)
		for (size_t i = 0; i < n; i++)
			printf("#   group %zu: got %.9g CPUs, want %.9g\n", i,
			       ideal[i], want[i]);
}

static void test_water_fill(struct tap *t)
{
	const double inf = HUGE_VAL;
	const bool all3[] = { true, true, true };

	/* 2 CPUs over 3 equal weights: 2/3 each. */
	check_fill(t, "equal weights share 2 CPUs as 2/3 each", 3,
		   (double[]){ 1, 1, 1 }, (double[]){ inf, inf, inf }, all3,
		   2, (double[]){ 2.0 / 3, 2.0 / 3, 2.0 / 3 });
	/* 1 CPU, 1:2:3: lambda = 1/6. */
	check_fill(t, "weights 1:2:3 on one CPU get 1/6, 2/6, 3/6", 3,
		   (double[]){ 1, 2, 3 }, (double[]){ inf, inf, inf }, all3,
		   1, (double[]){ 1.0 / 6, 2.0 / 6, 3.0 / 6 });
	/* 2 CPUs, 1:2:3 with 4 threads each: lambda = 1/3, nobody capped. */
	check_fill(t, "weights 1:2:3 on two CPUs with enough threads get 1/3, 2/3, 1",
		   3, (double[]){ 1, 2, 3 }, (double[]){ 4, 4, 4 }, all3, 2,
		   (double[]){ 1.0 / 3, 2.0 / 3, 1 });
	/* 3 CPUs, equal weights, A capped at 0.5 by cpu.max: the rest 2.5 / 2. */
	check_fill(t, "a group capped at 0.5 CPU gives the rest to the others", 3,
		   (double[]){ 1, 1, 1 }, (double[]){ 0.5, inf, inf }, all3,
		   3, (double[]){ 0.5, 1.25, 1.25 });
	/*
	 * 2 CPUs, weights 2:1, A single-threaded. Plain weights say 4/3 and
	 * 2/3, but A cannot use more than one CPU: A 1, B 1.
	 */
	check_fill(t, "a single-threaded group on two CPUs gets one CPU, not 4/3",
		   2, (double[]){ 2, 1 }, (double[]){ 1, inf },
		   (bool[]){ true, true }, 2, (double[]){ 1, 1 });
	/* Idle C is excluded: 1 CPU over 1:2. */
	check_fill(t, "an idle group is excluded and gets nothing", 3,
		   (double[]){ 1, 2, 3 }, (double[]){ inf, inf, inf },
		   (bool[]){ true, true, false }, 1,
		   (double[]){ 1.0 / 3, 2.0 / 3, 0 });
	/*
	 * Caps cascade: 3 CPUs, equal weights, caps 0.5, 1.2, inf.
	 * Round 1: lambda 1 caps A (0.5). Round 2: lambda 2.5/2 = 1.25
	 * caps B (1.2). C takes 3 - 0.5 - 1.2 = 1.3.
	 */
	check_fill(t, "caps that only bind after another group is capped cascade",
		   3, (double[]){ 1, 1, 1 }, (double[]){ 0.5, 1.2, inf },
		   all3, 3, (double[]){ 0.5, 1.2, 1.3 });
	/* 1:2:3 on 2 CPUs, C capped at 0.6: A, B share 1.4 as 1:2. */
	check_fill(t, "weights 1:2:3 with the heaviest capped at 0.6 CPU", 3,
		   (double[]){ 1, 2, 3 }, (double[]){ 4, 4, 0.6 }, all3, 2,
		   (double[]){ 1.4 / 3, 2.8 / 3, 0.6 });
	/* Too little demand: each gets its cap and a CPU stays unused. */
	check_fill(t, "when every group is capped each gets its cap", 2,
		   (double[]){ 1, 5 }, (double[]){ 1, 1 },
		   (bool[]){ true, true }, 4, (double[]){ 1, 1 });
	{
		double ideal[2];
		double given = fair_water_fill(2, (double[]){ 1, 5 },
					       (double[]){ 1, 1 },
					       (bool[]){ true, true }, 4, ideal);

		tap_near(t, given, 2, TOL,
			 "water-filling returns the CPUs handed out (2 of 4)");
	}
	check_fill(t, "no active group: everyone gets 0", 2,
		   (double[]){ 1, 1 }, (double[]){ inf, inf },
		   (bool[]){ false, false }, 2, (double[]){ 0, 0 });
}

static void test_cap(struct tap *t)
{
	tap_near(t, fair_cap(1, 2, 0), 1, TOL,
		 "cap: one runnable thread on a 2-CPU cpuset is 1 CPU");
	tap_near(t, fair_cap(4, 2, 0), 2, TOL,
		 "cap: four threads on a 2-CPU cpuset is 2 CPUs");
	tap_near(t, fair_cap(4, 2, 0.5), 0.5, TOL,
		 "cap: cpu.max of half a CPU bounds four threads on two CPUs");
	tap_ok(t, isinf(fair_cap(0, 0, 0)), "cap: no bound known is infinite");
}

static void test_jain(struct tap *t)
{
	tap_near(t, fair_jain(3, (double[]){ 1, 1, 1 }), 1, TOL,
		 "Jain's index of x = 1, 1, 1 is 1");
	tap_near(t, fair_jain(3, (double[]){ 0.5, 0.5, 0.5 }), 1, TOL,
		 "Jain's index is 1 when all get the same fraction of ideal");
	/* (0.5 + 1.5)^2 / (2 * (0.25 + 2.25)) = 4 / 5 */
	tap_near(t, fair_jain(2, (double[]){ 0.5, 1.5 }), 0.8, TOL,
		 "Jain's index of x = 0.5, 1.5 is 0.8");
	tap_near(t, fair_jain(4, (double[]){ 4, 0, 0, 0 }), 0.25, TOL,
		 "Jain's index is 1/n when one group takes everything");
}

static void test_lag(struct tap *t)
{
	const uint32_t w[] = { 1, 2, 3 };
	const uint64_t s[] = { 300, 600, 10 };
	const bool active[] = { true, true, false };
	/* (1 * 300 + 2 * 600) / 3 = 500; C is idle and left out. */
	double v = fair_vtime_mean(3, w, s, active);

	tap_near(t, v, 500, TOL, "V is the weighted mean vtime of active groups");
	tap_near(t, v - (double)s[0], 200, TOL,
		 "lag of the group behind V is positive (200)");
	tap_near(t, v - (double)s[1], -100, TOL,
		 "lag of the group ahead of V is negative (-100)");
	/* Large vtimes: no precision lost around 2^50 ns. */
	tap_near(t, fair_vtime_mean(2, (uint32_t[]){ 1, 1 },
				    (uint64_t[]){ 1ull << 50, (1ull << 50) + 8 },
				    (bool[]){ true, true }),
		 (double)(1ull << 50) + 4, TOL,
		 "V keeps nanosecond precision for vtimes near 2^50");
	tap_near(t, fair_vtime_mean(1, w, s, (bool[]){ false }), 0, TOL,
		 "V is 0 when no group is active");
}

int main(void)
{
	struct tap t = { 0 };

	test_water_fill(&t);
	test_cap(&t);
	test_jain(&t);
	test_lag(&t);
	return tap_done(&t);
}
