/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A group's state as it travels between machines (wfqtool export and
 * import; Documentation/schemas/export.schema.json): what is copied by
 * value (weight, cgroup limits), the lag that is renormalised to the
 * destination's s_min, and the counters, kept as history only. Pure:
 * no netlink, no cgroup I/O, no printing.
 */
#ifndef WFQTOOL_GROUP_STATE_H
#define WFQTOOL_GROUP_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cgroup.h"
#include "wfqnl.h"

#define GROUP_STATE_KIND		"wfqmon-group"
#define GROUP_STATE_SCHEMA_VERSION	1

/* The cgroup's limits as its files hold them, without the newline. */
struct group_state_cgroup {
	char path[PATH_MAX];		/* on the source: for the record */
	uint32_t cpu_weight;
	char cpu_max[64];		/* "QUOTA PERIOD" or "max PERIOD" */
	char cpuset_cpus[256];		/* "" when the cgroup names none */
	char memory_max[32];		/* bytes or "max" */
};

/*
 * The group as the source's kernel reported it: name, weight, vtime,
 * lag and activity, and its counters, which are only history here (the
 * destination's start at zero). Other members of it are not exported.
 */
struct group_state {
	uint64_t time_ns;		/* CLOCK_REALTIME of the export */
	char kernel[65];		/* the source's uname release */
	uint64_t vtime_min;		/* s_min on the source */
	struct wfqnl_group group;	/* .lag is s_min - s_i on the source */
	struct group_state_cgroup cgroup;
};

/* The kernel's reply, with the lag computed if the module has no LAG. */
void group_state_from_group(struct group_state *s, const struct wfqnl_group *g,
			    uint64_t vtime_min);
/* The state as one JSON document (and a newline). */
void group_state_write(FILE *f, const struct group_state *s);
/*
 * Parse and check a document: kind, schema version, name, weight, lag
 * and limits in range. 0 or -errno with err saying which member.
 */
int group_state_parse(const char *text, struct group_state *s,
		      struct wfqnl_err *err);
/* The cgroup limits to apply on the destination (cpus points into s). */
int group_state_limits(const struct group_state *s, struct cg_limits *lim,
		       struct wfqnl_err *err);

#endif /* WFQTOOL_GROUP_STATE_H */
