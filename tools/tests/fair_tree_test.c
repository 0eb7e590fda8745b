// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the hierarchical ideal share (fair_tree.h), with
 * trees computed by hand (the arithmetic is in each comment). Weights
 * are the kernel's: cpu.weight 100 is 1024.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "../fair.h"
#include "../fair_tree.h"
#include "tap.h"

#define TOL 1e-9
#define W100 1024.0

/* A node: parent, kernel weight, cpu.max CPUs, cpuset CPUs, threads. */
#define NODE(p, w, q, c, t) \
	{ .parent = (p), .weight = (w), .quota_cpus = (q), \
	  .cpuset_cpus = (c), .threads = (t) }

static void check_tree(struct tap *t, const char *name, size_t n,
		       struct fair_node *node, double capacity,
		       const double *want)
{
	int ret = fair_tree_fill(n, node, capacity);
	bool ok = !ret;

	for (size_t i = 0; ok && i < n; i++)
		ok = fabs(node[i].ideal - want[i]) <= TOL;
	tap_ok(t, ok, "%s", name);
	if (!ok) {
		printf("#   fair_tree_fill: %d\n", ret);
		for (size_t i = 0; i < n; i++)
			printf("#   node %zu: got %.9g CPUs (cap %.9g), want %.9g\n",
			       i, node[i].ideal, node[i].cap, want[i]);
	}
}

static void test_kernel_weight(struct tap *t)
{
	/* cpu_weight_write_u64(): 1, 2, 3 become 10, 20, 31 (10.24, 20.48, 30.72). */
	tap_ok(t, fair_kernel_weight(1) == 10 && fair_kernel_weight(2) == 20 &&
		  fair_kernel_weight(3) == 31,
	       "cpu.weight 1, 2, 3 are the kernel's 10, 20, 31");
	tap_ok(t, fair_kernel_weight(100) == 1024 &&
		  fair_kernel_weight(39) == 399 &&
		  fair_kernel_weight(10000) == 102400,
	       "cpu.weight 100, 39, 10000 are 1024, 399, 102400");
}

static void test_flat(struct tap *t)
{
	/* One level, one CPU: the tree gives what fair_water_fill() gives. */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 0, 0),
		NODE(0, 10, 0, 1, 1), NODE(0, 20, 0, 1, 1), NODE(0, 31, 0, 1, 1),
	};
	double w[] = { 10, 20, 31 }, cap[] = { 1, 1, 1 }, flat[3];

	fair_water_fill(3, w, cap, (bool[]){ true, true, true }, 1, flat);
	check_tree(t, "flat weights 1:2:3 (10:20:31) give 10/61, 20/61, 31/61 as fair_water_fill does",
		   4, node, 1, (double[]){ 1, flat[0], flat[1], flat[2] });
	tap_near(t, node[1].ideal, 10.0 / 61, TOL, "the demo's 0.164 is 10/61");
}

static void test_two_slices(struct tap *t)
{
	/*
	 * The tree on one CPU: system.slice/{a,b}.service and
	 * user.slice/c.scope, all weight 100, one hog each. The slices split
	 * 1/2 : 1/2, system.slice's half 1/4 : 1/4. Flat it would be 1/3 each.
	 */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 0, 0),
		NODE(0, W100, 0, 0, 0),		/* 1 system.slice */
		NODE(1, W100, 0, 0, 1),		/* 2 a.service */
		NODE(1, W100, 0, 0, 1),		/* 3 b.service */
		NODE(0, W100, 0, 0, 0),		/* 4 user.slice */
		NODE(4, W100, 0, 0, 1),		/* 5 c.scope */
	};

	check_tree(t, "two slices on one CPU: a 0.25, b 0.25, c 0.5", 6, node,
		   1, (double[]){ 1, 0.5, 0.25, 0.25, 0.5, 0.5 });
}

static void test_capped_parent(struct tap *t)
{
	/*
	 * One CPU. P (weight 300) is capped at 0.5 CPU by cpu.max and holds
	 * x (100) and y (300); Q (100) beside it. By weight P would get 3/4,
	 * its cap keeps it at 1/2, Q takes the other 1/2. Inside P: 1:3 of
	 * 1/2 is 1/8 and 3/8.
	 */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 0, 0),
		NODE(0, 3 * W100, 0.5, 0, 0),	/* 1 P */
		NODE(1, W100, 0, 0, 1),		/* 2 x */
		NODE(1, 3 * W100, 0, 0, 1),	/* 3 y */
		NODE(0, W100, 0, 0, 1),		/* 4 Q */
	};

	check_tree(t, "a parent capped by cpu.max: P 0.5 (not 0.75), Q 0.5, inside P 1/8 and 3/8",
		   5, node, 1, (double[]){ 1, 0.5, 0.125, 0.375, 0.5 });
	tap_near(t, node[1].cap, 0.5, TOL, "P's cap is its cpu.max");
}

static void test_unwatched_sibling(struct tap *t)
{
	/*
	 * One CPU. system.slice holds a watched a.service and a busy
	 * u.service nobody watches; user.slice has nothing runnable. The
	 * idle slice wants nothing, so system.slice gets the CPU and a and u
	 * half each: an unwatched busy sibling still takes its part.
	 */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 0, 0),
		NODE(0, W100, 0, 0, 0),		/* 1 system.slice */
		NODE(1, W100, 0, 0, 1),		/* 2 a.service */
		NODE(1, W100, 0, 0, 1),		/* 3 u.service, unwatched */
		NODE(0, W100, 0, 0, 0),		/* 4 user.slice, idle */
	};

	check_tree(t, "an unwatched busy sibling takes its half; an idle slice nothing",
		   5, node, 1, (double[]){ 1, 1, 0.5, 0.5, 0 });
}

static void test_cpuset_children(struct tap *t)
{
	/*
	 * Two CPUs, four threads each. a (weight 300) may use one CPU, b
	 * (100) both: by weight a would get 1.5, its cpuset holds it to 1,
	 * and b takes the other CPU.
	 */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 2, 0),
		NODE(0, 3 * W100, 0, 1, 4),	/* 1 a: cpuset 1 CPU */
		NODE(0, W100, 0, 2, 4),		/* 2 b: cpuset 2 CPUs */
	};

	check_tree(t, "a cpuset of one CPU holds a to 1 CPU of 2; b takes the other",
		   3, node, 2, (double[]){ 2, 1, 1 });
}

static void test_nested_caps(struct tap *t)
{
	/*
	 * Two CPUs. A (200) holds A1 (100, two threads) and A2 (100, cpu.max
	 * 0.1); B (100) has three threads. Caps: A1 2, A2 0.1, A 2.1, B 3
	 * (its threads; the root's capacity bounds it later). Root: 2:1
	 * of 2 CPUs is 4/3 and 2/3. Inside A: 2/3 each by weight, A2 capped
	 * at 0.1, A1 gets 4/3 - 0.1.
	 */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 0, 0),
		NODE(0, 2 * W100, 0, 0, 0),	/* 1 A */
		NODE(1, W100, 0, 0, 2),		/* 2 A1 */
		NODE(1, W100, 0.1, 0, 1),	/* 3 A2 */
		NODE(0, W100, 0, 0, 3),		/* 4 B */
	};

	check_tree(t, "nested: A 4/3 of 2 CPUs, its capped child 0.1, the other 4/3 - 0.1",
		   5, node, 2,
		   (double[]){ 2, 4.0 / 3, 4.0 / 3 - 0.1, 0.1, 2.0 / 3 });
}

static void test_own_threads(struct tap *t)
{
	/*
	 * One CPU. The root's own nice-0 task (weight 1024) beside child a
	 * (cpu.weight 100, one hog): half each.
	 */
	struct fair_node node[] = {
		NODE(-1, 0, 0, 0, 1),
		NODE(0, W100, 0, 0, 1),
	};

	check_tree(t, "a cgroup's own task competes with its child like one of weight 100",
		   2, node, 1, (double[]){ 1, 0.5 });
}

static void test_idle_and_invalid(struct tap *t)
{
	struct fair_node idle[] = {
		NODE(-1, 0, 0, 0, 0), NODE(0, W100, 0, 0, 0), NODE(1, W100, 0, 0, 0),
	};
	struct fair_node bad_order[] = {
		NODE(-1, 0, 0, 0, 0), NODE(2, W100, 0, 0, 1), NODE(0, W100, 0, 0, 1),
	};
	struct fair_node two_roots[] = {
		NODE(-1, 0, 0, 0, 0), NODE(-1, W100, 0, 0, 1),
	};

	check_tree(t, "nothing runnable: every ideal is 0", 3, idle, 4,
		   (double[]){ 0, 0, 0 });
	tap_ok(t, fair_tree_fill(3, bad_order, 1) == -EINVAL,
	       "a child listed before its parent is refused");
	tap_ok(t, fair_tree_fill(2, two_roots, 1) == -EINVAL,
	       "a second root is refused");
}

int main(void)
{
	struct tap t = { 0 };

	test_kernel_weight(&t);
	test_flat(&t);
	test_two_slices(&t);
	test_capped_parent(&t);
	test_unwatched_sibling(&t);
	test_cpuset_children(&t);
	test_nested_caps(&t);
	test_own_threads(&t);
	test_idle_and_invalid(&t);
	return tap_done(&t);
}
