/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of the cgroup v2 tree that decides the watched groups' ideal
 * share: every ancestor of a watched cgroup up to the mount, and every
 * child of those ancestors (the siblings the watched ones compete with,
 * watched or not), each with the files the scheduler obeys. The
 * definitions are in Documentation/metrics.rst, "Hierarchical ideal".
 */
#ifndef WFQTOOL_CG_TREE_H
#define WFQTOOL_CG_TREE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "parse.h"

struct cg_tree_node {
	char path[PATH_MAX];
	int parent;		/* index, below this one's; -1: the mount */
	int group;		/* the watched group in this cgroup, or -1 */
	bool ancestor;		/* a watched cgroup lies below this one */
	/* have_*: the file was read and made sense. */
	bool have_cpu_weight, have_cpu_max, have_cpuset;
	bool have_usage, have_throttled;
	unsigned int cpu_weight;	/* cpu.weight; 100 where there is none */
	struct cpu_max cpu_max;
	struct cpulist cpuset;		/* cpuset.cpus.effective */
	double quota_cpus;	/* cpu.max as CPUs; 0: max */
	double cpuset_cpus;	/* cpuset.cpus.effective size; 0: unknown */
	uint64_t usage_usec;	/* cpu.stat */
	uint64_t throttled_usec;	/* cpu.stat, with the cpu controller */
};

struct cg_tree {
	size_t n, cap;
	struct cg_tree_node *node;
	/* Open addressing by path: node index + 1, 0 empty; a power of 2. */
	size_t nr_slots;
	unsigned int *slot;
};

/*
 * The tree around the cgroups path[0..n-1] (each under mount; "" for a
 * group whose cgroup is unknown, left out): node[0] is mount itself,
 * node[k].group = i for path[i]. Usage is read last, for all at once.
 * 0 or -ENOMEM.
 */
int cg_tree_read(struct cg_tree *t, const char *mount, size_t n,
		 const char *const *path);
void cg_tree_free(struct cg_tree *t);
/* The same files of one cgroup read alone, e.g. one outside the mount. */
void cg_tree_node_read(struct cg_tree_node *node, const char *path);
/* The node of cgroup path, or NULL. */
const struct cg_tree_node *cg_tree_find(const struct cg_tree *t,
					const char *path);

#endif /* WFQTOOL_CG_TREE_H */
