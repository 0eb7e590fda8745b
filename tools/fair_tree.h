/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ideal share the real cgroup v2 hierarchy promises. The scheduler
 * shares CPU level by level (one runqueue per cgroup and CPU): a cgroup's
 * CPU time is divided among its children that want CPU, by their
 * weights, and each child's part again among its own children. So the
 * ideal allocation of a node follows from its parent's, not from a flat
 * comparison with every other group:
 *
 *	cap(c)   = min(quota(c), cpus(c), threads(c) + sum of cap(children of c))
 *	ideal(r) = min(capacity, cap(r))                 for the root r
 *	ideal(c) = water-fill of ideal(parent) over the parent's children,
 *	           by weight, each bounded by its cap (fair_water_fill())
 *
 * quota(c) is cpu.max as CPUs (quota / period), cpus(c) the size of the
 * effective cpuset, threads(c) the runnable threads in the cgroup itself.
 * A cgroup's own threads compete with its children as one more child of
 * weight 1024 per thread, as the scheduler sees nice-0 tasks beside
 * group entities of weight round(cpu.weight * 1024 / 100).
 *
 * A cpuset bounds a subtree by its number of CPUs; siblings pinned to the
 * same CPUs are not bounded together (they are when their parent's cpuset
 * is that set). On one level with no caps, this is fair_water_fill().
 */
#ifndef WFQTOOL_FAIR_TREE_H
#define WFQTOOL_FAIR_TREE_H

#include <stddef.h>

struct fair_node {
	int parent;		/* index of the parent, below its own; -1: root */
	double weight;		/* the kernel's weight: fair_kernel_weight() */
	double quota_cpus;	/* cpu.max quota / period; <= 0: max */
	double cpuset_cpus;	/* CPUs in the effective cpuset; <= 0: unknown */
	double threads;		/* runnable threads in this cgroup itself */
	double cap;		/* out: the most the subtree can use, CPUs */
	double ideal;		/* out: its ideal allocation, CPUs */
};

/* The weight the scheduler stores for a cpu.weight: round(w * 1024 / 100). */
double fair_kernel_weight(unsigned int cpu_weight);

/*
 * Fill cap and ideal of node[0..n-1]: node[0] is the root (parent -1),
 * every other node's parent comes before it. 0, -EINVAL if the order is
 * not so, -ENOMEM.
 */
int fair_tree_fill(size_t n, struct fair_node *node, double capacity);

#endif /* WFQTOOL_FAIR_TREE_H */
