/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot: every kernel group with what its cgroup says at the same
 * moment (cpu.stat, limits, effective cpuset). The report is computed
 * from two snapshots; list and show print one.
 */
#ifndef WFQTOOL_SAMPLE_H
#define WFQTOOL_SAMPLE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cg_tree.h"
#include "parse.h"
#include "wfqnl.h"

struct group_sample {
	struct wfqnl_group g;
	/* The group's cgroup: ROOT/NAME, else found by id; "" if neither. */
	char cgroup_path[PATH_MAX];
	bool have_cpu_stat;
	uint64_t usage_usec;		/* cpu.stat */
	bool have_throttled;		/* the cpu controller's part of cpu.stat */
	uint64_t throttled_usec;	/* cpu.stat, 0 without the cpu controller */
	bool have_cpu_weight;
	uint32_t cpu_weight;		/* cpu.weight: what the scheduler uses */
	bool have_cpuset;
	struct cpulist cpuset;		/* cpuset.cpus.effective */
	bool have_cpu_max;
	struct cpu_max cpu_max;
	bool have_memory_max;
	struct mem_size memory_max;
	unsigned int nr_procs;		/* cgroup.procs lines */
	/* Per-CPU breakdown, from the same reply as g; only if asked for. */
	struct wfqnl_cpu *cpus;
	unsigned int nr_cpus;
};

struct snapshot {
	uint64_t mono_ns;		/* CLOCK_MONOTONIC when taken */
	uint64_t time_ns;		/* CLOCK_REALTIME then, for JSON */
	unsigned int online_cpus;
	size_t n;
	struct group_sample *groups;	/* in the kernel's (id) order */
	/* The cgroups around the groups' cgroups, for the ideal share. */
	struct cg_tree tree;
};

/* Every group (name == NULL) or the one named, with its CPUs if per_cpu. */
int snapshot_take(struct wfqnl *nl, const char *cgroup_root, const char *name,
		  bool per_cpu, struct snapshot *snap, struct wfqnl_err *err);
void snapshot_free(struct snapshot *snap);
/* The sample of group id in snap, NULL if absent. */
const struct group_sample *snapshot_find(const struct snapshot *snap,
					 uint32_t id);

#endif /* WFQTOOL_SAMPLE_H */
