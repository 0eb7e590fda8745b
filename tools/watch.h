/* SPDX-License-Identifier: GPL-2.0 */
/*
 * watch: keep one kernel group bound to every cgroup under a directory,
 * to a depth, as cgroups come and go, with the group's weight equal to
 * the cgroup's live cpu.weight. It never moves a process nor writes a
 * cgroup file; it unbinds only the groups it bound.
 *
 * watch_sync() rescans the tree (readdir, so nothing is missed however
 * the events arrived) and binds, rebinds and unbinds; watch_weights()
 * copies every cpu.weight that changed. inotify on the directories (not
 * their files: cgroupfs sends no event for a write to cpu.weight) says
 * when to rescan.
 */
#ifndef WFQTOOL_WATCH_H
#define WFQTOOL_WATCH_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ctrname.h"
#include "wfqnl.h"

struct watch_opts {
	const char *dir;	/* absolute, no trailing '/' */
	const char *match;	/* fnmatch() of directory names; NULL: all */
	unsigned int depth;	/* 1: dir's children */
	bool json;		/* one JSON object a line */
	FILE *out;		/* where each action is told */
};

/* One cgroup found under dir, and its kernel group if bound. */
struct watch_entry {
	char path[PATH_MAX];
	uint64_t cgroup_id;
	uint32_t group_id;	/* 0: not bound (skipped) */
	uint32_t weight;
	char name[WFQMON_NAME_MAX + 1];
	char container_id[CTRNAME_ID_LEN + 1];	/* "": not a container */
	bool seen;		/* found by the current rescan */
};

struct watch {
	struct watch_opts o;
	struct wfqnl *nl;
	struct ctr_roots roots;	/* where container names are found */
	int inotify_fd;
	struct watch_entry *e;
	size_t n, cap;
};

/* Open inotify; nl stays the caller's. */
int watch_init(struct watch *w, const struct watch_opts *o, struct wfqnl *nl,
	       struct wfqnl_err *err);
/*
 * Rescan and bind new cgroups, unbind removed ones. A cgroup that cannot
 * be bound is told and skipped; an error of the module (permission, the
 * module gone) fails.
 */
int watch_sync(struct watch *w, struct wfqnl_err *err);
/* Read the inotify events waiting: true if a rescan is due. */
bool watch_drain_events(struct watch *w);
/* Copy each cgroup's cpu.weight that changed to its group. */
int watch_weights(struct watch *w, struct wfqnl_err *err);
/* Unbind every group this watch bound, close inotify. */
void watch_stop(struct watch *w);

#endif /* WFQTOOL_WATCH_H */
