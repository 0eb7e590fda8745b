/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * wfqmon: per-container-group CPU accounting with WFQ virtual time.
 *
 * This header is the whole contract between wfqmon.ko and user space:
 * the generic netlink family, its commands, attributes and limits.
 * Documentation/netlink/specs/wfqmon.yaml describes the same family in
 * the kernel's YNL format; keep both in step.
 */
#ifndef _UAPI_LINUX_WFQMON_H
#define _UAPI_LINUX_WFQMON_H

#define WFQMON_FAMILY_NAME	"wfqmon"
#define WFQMON_FAMILY_VERSION	2
#define WFQMON_MCGRP_EVENTS	"events"

/*
 * Group names: 1..WFQMON_NAME_MAX bytes of printable ASCII other than
 * space and '/' (0x21..0x7e), not "." or "..": room for a cgroup's
 * directory name (docker-<64 hex>.scope, foo@bar.service, \x2d escapes).
 */
#define WFQMON_NAME_MAX		255

/* Weights use the cgroup v2 cpu.weight range and default. */
#define WFQMON_WEIGHT_MIN	1
#define WFQMON_WEIGHT_MAX	10000
#define WFQMON_WEIGHT_DEFAULT	100

/*
 * Log2 histograms (quantum lengths, and the wait before each quantum):
 * bucket 0 counts values shorter than 2^WFQMON_HIST_SHIFT ns; bucket
 * k >= 1 counts values in [2^(k + WFQMON_HIST_SHIFT - 1),
 * 2^(k + WFQMON_HIST_SHIFT)) ns; the last bucket is open-ended.
 */
#define WFQMON_HIST_SHIFT	10
#define WFQMON_HIST_BUCKETS	20

enum wfqmon_cmd {
	WFQMON_CMD_UNSPEC,
	WFQMON_CMD_GROUP_NEW,		/* create a group */
	WFQMON_CMD_GROUP_DEL,		/* destroy a group */
	WFQMON_CMD_GROUP_SET,		/* change weight and/or binding */
	WFQMON_CMD_GROUP_GET,		/* one group, or dump all */
	WFQMON_CMD_GROUP_RESET,		/* zero a group's counters */
	WFQMON_CMD_STATS_GET,		/* global state */

	/* Notifications on the "events" multicast group. */
	WFQMON_CMD_GROUP_NEW_NTF,
	WFQMON_CMD_GROUP_DEL_NTF,
	WFQMON_CMD_GROUP_CHANGE_NTF,
	WFQMON_CMD_GROUP_ACTIVE_NTF,
	WFQMON_CMD_GROUP_IDLE_NTF,

	__WFQMON_CMD_MAX,
	WFQMON_CMD_MAX = __WFQMON_CMD_MAX - 1
};

/*
 * Group attributes. A group is named in requests by ID or NAME.
 * Times are nanoseconds; VTIME is in nanoseconds of CPU time per unit
 * of weight (see Documentation/design.rst).
 */
enum wfqmon_group_attr {
	WFQMON_A_GROUP_UNSPEC,
	WFQMON_A_GROUP_ID,		/* u32, kernel-assigned, never 0 */
	WFQMON_A_GROUP_NAME,		/* string */
	WFQMON_A_GROUP_WEIGHT,		/* u32, WFQMON_WEIGHT_MIN..MAX */
	WFQMON_A_GROUP_CGROUP_FD,	/* u32, request only: open cgroup v2 dir */
	WFQMON_A_GROUP_CGROUP_ID,	/* u64, cgroup v2 id (inode number) */
	WFQMON_A_GROUP_PAD,
	WFQMON_A_GROUP_ACTIVE,		/* u8, 1 while any task is runnable */
	WFQMON_A_GROUP_NR_RUNNABLE,	/* u32 */
	WFQMON_A_GROUP_VTIME,		/* u64, s_i */
	WFQMON_A_GROUP_RUNTIME_NS,	/* u64, CPU time charged */
	WFQMON_A_GROUP_QUANTA,		/* u64, bursts on a CPU */
	WFQMON_A_GROUP_QUANTUM_MAX_NS,	/* u64 */
	WFQMON_A_GROUP_QUANTUM_HIST,	/* nest of WFQMON_A_HIST_BUCKET; HISTOGRAMS */
	WFQMON_A_GROUP_WAIT_NS,		/* u64, runnable but not running */
	WFQMON_A_GROUP_WAIT_MAX_NS,	/* u64, longest single wait */
	WFQMON_A_GROUP_ACTIVE_NS,	/* u64, time spent active */
	WFQMON_A_GROUP_ACTIVATIONS,	/* u64, idle -> active transitions */
	WFQMON_A_GROUP_CATCHUPS,	/* u64, activations that raised s_i */
	WFQMON_A_GROUP_CATCHUP_VTIME,	/* u64, credit forgiven by them */
	WFQMON_A_GROUP_FORKS,		/* u64 */
	WFQMON_A_GROUP_EXITS,		/* u64 */
	WFQMON_A_GROUP_SINCE_NS,	/* u64, CLOCK_MONOTONIC of creation or reset */
	WFQMON_A_GROUP_WAIT_HIST,	/* the same, of waits; HISTOGRAMS */
	WFQMON_A_GROUP_PERCPU,		/* flag, GET request only: add CPU nests */
	WFQMON_A_GROUP_CPU,		/* nest of WFQMON_A_CPU_*, one per possible CPU */
	WFQMON_A_GROUP_HISTOGRAMS,	/* flag, GET request only: add the *_HIST nests */

	__WFQMON_A_GROUP_MAX,
	WFQMON_A_GROUP_MAX = __WFQMON_A_GROUP_MAX - 1
};

enum wfqmon_hist_attr {
	WFQMON_A_HIST_UNSPEC,
	WFQMON_A_HIST_BUCKET,		/* u64, one per bucket, in order */
	WFQMON_A_HIST_PAD,

	__WFQMON_A_HIST_MAX,
	WFQMON_A_HIST_MAX = __WFQMON_A_HIST_MAX - 1
};

/*
 * One CPU's part of a group's counters since creation or reset, in
 * replies to GET with WFQMON_A_GROUP_PERCPU. Runtime, quanta and the
 * wait before each quantum count on the CPU the quantum ran on.
 */
enum wfqmon_cpu_attr {
	WFQMON_A_CPU_UNSPEC,
	WFQMON_A_CPU_PAD,
	WFQMON_A_CPU_ID,		/* u32, CPU number */
	WFQMON_A_CPU_RUNTIME_NS,	/* u64 */
	WFQMON_A_CPU_WAIT_NS,		/* u64 */
	WFQMON_A_CPU_QUANTA,		/* u64 */

	__WFQMON_A_CPU_MAX,
	WFQMON_A_CPU_MAX = __WFQMON_A_CPU_MAX - 1
};

enum wfqmon_stats_attr {
	WFQMON_A_STATS_UNSPEC,
	WFQMON_A_STATS_PAD,
	WFQMON_A_STATS_VTIME_MIN,	/* u64, s_min: never moves backward */
	WFQMON_A_STATS_VTIME_AVG,	/* u64, weighted mean s_i of active groups */
	WFQMON_A_STATS_NR_GROUPS,	/* u32 */
	WFQMON_A_STATS_MAX_GROUPS,	/* u32 */
	WFQMON_A_STATS_NR_ACTIVE,	/* u32 */
	WFQMON_A_STATS_WEIGHT_ACTIVE,	/* u64, sum of weights of active groups */
	WFQMON_A_STATS_SWITCHES,	/* u64, sched_switch probe hits */
	WFQMON_A_STATS_RUNTIME_EVENTS,	/* u64, charges of running tasks (charge timer) */
	WFQMON_A_STATS_WAKEUPS,		/* u64, sched_wakeup{,_new} probe hits */
	WFQMON_A_STATS_FORKS,		/* u64 */
	WFQMON_A_STATS_EXITS,		/* u64 */
	WFQMON_A_STATS_CHARGED_NS,	/* u64, CPU time charged to any group */
	WFQMON_A_STATS_TASKS_TRACKED,	/* u32, task slots in use */
	WFQMON_A_STATS_TASKS_MAX,	/* u32, task slots available */
	WFQMON_A_STATS_TASKS_UNTRACKED,	/* u64, times a task found no slot */
	WFQMON_A_STATS_EVENTS_SENT,	/* u64, notifications multicast */
	WFQMON_A_STATS_EVENTS_COALESCED, /* u64, state changes folded into one */
	WFQMON_A_STATS_MEMORY_BYTES,	/* u64, memory the module holds */

	__WFQMON_A_STATS_MAX,
	WFQMON_A_STATS_MAX = __WFQMON_A_STATS_MAX - 1
};

#endif /* _UAPI_LINUX_WFQMON_H */
