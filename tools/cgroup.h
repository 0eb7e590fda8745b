/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 wiring: a group NAME lives in ROOT/NAME (ROOT defaults to
 * /sys/fs/cgroup/wfqmon). Creating one makes ROOT if needed, enables the
 * cpu, cpuset and memory controllers down to ROOT's cgroup.subtree_control,
 * and writes the limits:
 *
 *	cpu.weight  = W            (identity: both ranges are 1..10000)
 *	cpu.max     = QUOTA PERIOD | max PERIOD
 *	cpuset.cpus = LIST
 *	memory.max  = BYTES | max
 *
 * Errors read "cgroup PATH: FILE: why". Nothing here prints.
 */
#ifndef WFQTOOL_CGROUP_H
#define WFQTOOL_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "parse.h"
#include "wfqnl.h"

/* Where the cgroup2 hierarchy is mounted. */
#define CG_MOUNT		"/sys/fs/cgroup"
#define CG_ROOT_DEFAULT		CG_MOUNT "/wfqmon"
/* The environment variable that overrides CG_ROOT_DEFAULT. */
#define CG_ROOT_ENV		"WFQTOOL_CGROUP_ROOT"
/* Directories wfqtool may create above a group: ROOT and its parents. */
#define CG_MAX_CREATED		8

/* What to write; a flag per limit, so "set" changes only what it was given. */
struct cg_limits {
	bool has_weight;
	uint32_t weight;
	bool has_cpu_max;
	struct cpu_max cpu_max;
	bool has_cpus;
	const char *cpus;	/* validated by parse_cpulist() */
	bool has_memory_max;
	struct mem_size memory_max;
};

/* An open group cgroup, and what creating it made (for cg_undo()). */
struct cg_handle {
	char path[PATH_MAX];
	int dir_fd;
	int nr_created;
	char created[CG_MAX_CREATED][PATH_MAX];	/* outermost first */
};

/* "ROOT/NAME"; NAME must be a valid group name (no '/'). */
int cg_group_path(char *buf, size_t size, const char *root, const char *name,
		  struct wfqnl_err *err);

/* Make ROOT/NAME (it must not exist) with the limits applied. */
int cg_create(const char *root, const char *name, const struct cg_limits *lim,
	      struct cg_handle *h, struct wfqnl_err *err);
/* Remove what cg_create() made, innermost first. Best effort. */
void cg_undo(struct cg_handle *h);
/* Open an existing ROOT/NAME. */
int cg_open(const char *root, const char *name, struct cg_handle *h,
	    struct wfqnl_err *err);
/*
 * Open an existing cgroup v2 directory: PATH as given when absolute,
 * else under the cgroup2 mount (system.slice/foo.service).
 */
int cg_open_path(const char *path, struct cg_handle *h,
		 struct wfqnl_err *err);
void cg_close(struct cg_handle *h);
/* The cgroup's cpu.weight; ENOENT for the root or without the cpu controller. */
int cg_read_weight(const struct cg_handle *h, uint32_t *weight,
		   struct wfqnl_err *err);
/*
 * The weight to bind cgroup h with: its live cpu.weight, or, with
 * *defaulted set, WFQMON_WEIGHT_DEFAULT when it has none (the root
 * cgroup, or no cpu controller: nothing shares CPU by weight with it).
 */
int cg_bind_weight(const struct cg_handle *h, uint32_t *weight,
		   bool *defaulted, struct wfqnl_err *err);

int cg_apply(const struct cg_handle *h, const struct cg_limits *lim,
	     struct wfqnl_err *err);
/* The cgroup id the kernel uses (the directory's inode number). */
int cg_id(const struct cg_handle *h, uint64_t *id, struct wfqnl_err *err);
int cg_attach(const struct cg_handle *h, pid_t pid, struct wfqnl_err *err);
int cg_populated(const struct cg_handle *h, bool *populated,
		 struct wfqnl_err *err);
/*
 * Remove the cgroup and any child cgroups. With kill, kill its tasks
 * first (cgroup.kill) and wait for them to go; without, -EBUSY if any
 * task is left. Closes h.
 */
int cg_remove(struct cg_handle *h, bool kill, struct wfqnl_err *err);

/* Read a whole cgroup file of h into buf (NUL-terminated). */
int cg_read(const struct cg_handle *h, const char *file, char *buf,
	    size_t size, struct wfqnl_err *err);
/*
 * Lines of a cgroup file of any length (cgroup.procs, cgroup.threads):
 * a cgroup of 1,200 processes does not fit one 4 KiB read.
 */
int cg_count_lines(const struct cg_handle *h, const char *file,
		   unsigned int *lines, struct wfqnl_err *err);
/*
 * The value after "key " in the text of a flat-keyed file like cpu.stat:
 * 0, -ENOENT (no such key) or -EPROTO (not a number).
 */
int cg_parse_key(const char *text, const char *key, uint64_t *val);
/* The value after "key " in a flat-keyed file like cpu.stat. */
int cg_read_key(const struct cg_handle *h, const char *file, const char *key,
		uint64_t *val, struct wfqnl_err *err);

#endif /* WFQTOOL_CGROUP_H */
