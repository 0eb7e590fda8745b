/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wfqmon internals shared by the module's files.
 *
 * Who touches what:
 *  - probes.c runs in scheduler context (rq lock held, IRQs off) and
 *    charge.c in hard IRQ: with task.c, runstate.c and vtime.c, which
 *    they call, they may only use RCU lookups, per-CPU data, atomics
 *    and raw spinlocks.
 *  - netlink.c runs in process context and takes wfq_lock for anything
 *    that reads or changes groups.
 *  - events.c runs from a delayed work item and takes wfq_lock to read
 *    the groups it notifies about.
 */
#ifndef _WFQMON_H
#define _WFQMON_H

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/llist.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>
#include <net/genetlink.h>

#include <uapi/linux/wfqmon.h>

/* Counters that add up: kept per CPU, summed on read. */
struct wfq_sums {
	u64 runtime_ns;
	u64 quanta;
	u64 wait_ns;
	u64 forks;
	u64 exits;
	u64 hist[WFQMON_HIST_BUCKETS];
	/* Waits before each quantum, bucketed like hist[]. */
	u64 wait_hist[WFQMON_HIST_BUCKETS];
};

/* Per-CPU share of one group's counters. */
struct wfq_group_pcpu {
	struct wfq_sums sum;
	/* Maxima restart when max_seq falls behind the group's reset_seq. */
	u64 quantum_max_ns;
	u64 wait_max_ns;
	u32 max_seq;
	/* Runtime not yet turned into vtime: always < the weight used. */
	u32 vtime_rem;
	/* This CPU's sums at the last reset; written under wfq_lock only. */
	u64 base_runtime_ns;
	u64 base_wait_ns;
	u64 base_quanta;
};

/* One CPU's part of a group's counters since creation or reset. */
struct wfq_cpu_counters {
	u64 runtime_ns;
	u64 wait_ns;
	u64 quanta;
};

/*
 * The active set of one parent (the top level, or one group's children):
 * the groups that count for its s_min and V, in an rbtree by key (see
 * vtime.c). All sets are under wfq_vtime_lock.
 */
struct wfq_active_set {
	struct rb_root_cached tree;
	s64 s_min;		/* written under wfq_vtime_lock, read anywhere */
	u64 weight;		/* sum(w_i) over the queued groups */
	s64 wkey;		/* sum(w_i * (key_i - s_min)) over them */
	u32 nr_queued;
};

/* A snapshot of a group's counters, as reported to user space. */
struct wfq_counters {
	struct wfq_sums sum;
	u64 quantum_max_ns;
	u64 wait_max_ns;
	u64 active_ns;
	u64 activations;
	u64 catchups;
	u64 catchup_vtime;
	/*
	 * Run state, read together: active iff nr_runnable or
	 * nr_active_children is not 0.
	 */
	u32 nr_runnable;
	u32 nr_active_children;
	bool active;
};

struct wfq_group {
	u32 id;
	u32 weight;			/* READ_ONCE() in probes */
	u64 cgroup_id;
	struct cgroup *cgrp;		/* reference held while bound */
	char name[WFQMON_NAME_MAX + 1];
	struct hlist_node name_node;	/* wfq_names, under wfq_lock */

	/*
	 * The hierarchy (tree.c): the group bound to the nearest bound
	 * ancestor cgroup, NULL at the top level. Changed under wfq_lock
	 * and the group's state_lock; probes read it with READ_ONCE().
	 */
	struct wfq_group *parent;
	u32 parent_id;			/* parent's id or 0, under wfq_lock */
	u32 depth;			/* 1 at the top level, under wfq_lock */
	struct list_head children;	/* under wfq_lock */
	struct list_head sibling;
	/* The active set of this group's children (vtime.c). */
	struct wfq_active_set child_set;

	/* Held by the group tables and by a queued event. */
	refcount_t ref;
	struct rcu_head rcu;

	struct wfq_group_pcpu __percpu *pcpu;

	/* s_i, in ns of CPU time per unit of weight (see vtime.c). */
	atomic64_t vtime;
	unsigned long charged_at;	/* jiffies at the last charge */
	unsigned long charged_tick;	/* charge ticks then (vtime.c) */

	/* In its parent's active set (vtime.c), under wfq_vtime_lock. */
	struct wfq_active_set *vtime_set;	/* the set it is queued in */
	struct rb_node vtime_node;
	s64 vtime_key;			/* s_i at the last re-key, <= s_i */
	u32 vtime_weight;		/* weight counted in V */
	bool vtime_queued;		/* in the tree: counts for s_min, V */
	bool vtime_stalled;		/* active, out of the tree: stalled */

	/* Runnable tasks counted in this group itself (see task.c). */
	atomic_t nr_runnable;

	/*
	 * Run state, under state_lock: active while nr_runnable or
	 * nr_active_children is not 0 (runstate.c).
	 */
	raw_spinlock_t state_lock;
	u32 nr_active_children;
	bool active;
	bool dead;			/* unpublished: never active again */
	u64 active_since_ns;
	u64 active_ns;
	u64 activations;
	u64 catchups;
	u64 catchup_vtime;

	/* Deferred active/idle notification (events.c). */
	unsigned long event_pending;
	struct llist_node event_node;

	/* Reset: counters are reported relative to this baseline. */
	struct wfq_counters base;
	u32 reset_seq;
	u64 since_ns;
};

/* Module-wide probe counters, per CPU. */
struct wfq_stats_pcpu {
	u64 switches;
	u64 runtime_events;
	u64 wakeups;
	u64 forks;
	u64 exits;
	u64 charged_ns;
	u64 untracked;
};

DECLARE_PER_CPU(struct wfq_stats_pcpu, wfq_stats);

/* main.c: module parameters */
extern unsigned int wfq_max_groups;
extern unsigned int wfq_max_tasks;
extern unsigned int wfq_event_interval_ms;

/* group.c */
extern struct mutex wfq_lock;
extern atomic_t wfq_nr_groups;
extern u32 wfq_groups_seq;
extern atomic64_t wfq_mem_bytes;
extern unsigned long wfq_bind_gen;

/*
 * Bumped after every change of a binding. Read it before a lookup: a
 * group found then is not freed while the generation stays the same
 * (see group.c), so a probe may keep it without looking it up again.
 */
static inline unsigned long wfq_bind_generation(void)
{
	/* Pairs with the release in wfq_bind_changed(): gen, then table. */
	return smp_load_acquire(&wfq_bind_gen);
}

struct wfq_group *wfq_group_create(const char *name, u32 weight, s64 lag,
				   struct cgroup *cgrp,
				   struct netlink_ext_ack *extack);
void wfq_group_destroy(struct wfq_group *g);
int wfq_group_rebind(struct wfq_group *g, struct cgroup *cgrp,
		     struct netlink_ext_ack *extack);
void wfq_group_set_weight(struct wfq_group *g, u32 weight);
struct wfq_group *wfq_group_find_id(u32 id);
struct wfq_group *wfq_group_find_name(const char *name);
struct wfq_group *wfq_group_next(unsigned long *id);
struct wfq_group *wfq_group_lookup_rcu(u32 id);
struct wfq_group *wfq_group_of_task(struct task_struct *p);
struct wfq_group *wfq_group_bound_above(struct cgroup *cgrp,
					struct wfq_group *skip);
void wfq_group_read(struct wfq_group *g, struct wfq_counters *c, bool hist);
void wfq_group_reset(struct wfq_group *g);
void wfq_group_read_cpu(struct wfq_group *g, int cpu,
			struct wfq_cpu_counters *c);
void wfq_group_put(struct wfq_group *g);
void wfq_groups_destroy_all(void);

/* The top level's s_min and V at one moment, and stalls (vtime.c). */
struct wfq_vtime_summary {
	s64 s_min;
	s64 avg;		/* V, over the queued top-level groups */
	u64 weight;		/* their total weight */
	u32 nr_queued;		/* active groups counted in s_min and V, all levels */
	u32 nr_stalled;		/* active groups not counted: stalled, all levels */
	u64 stalls;		/* times a group was found stalled */
};

/* vtime.c */
void wfq_vtime_set_init(struct wfq_active_set *set);
void wfq_vtime_charge(struct wfq_group *g, u64 delta_ns);
void wfq_vtime_tick(struct wfq_group *g);
void wfq_vtime_activate(struct wfq_group *g);
void wfq_vtime_deactivate(struct wfq_group *g);
void wfq_vtime_reparent(struct wfq_group *g, struct wfq_group *parent);
void wfq_vtime_reweight(struct wfq_group *g, u32 weight);
s64 wfq_vtime_min(const struct wfq_group *parent);
s64 wfq_vtime_start(struct wfq_group *parent);
void wfq_vtime_summary(struct wfq_vtime_summary *s);

/* tree.c */
int wfq_tree_check(struct wfq_group *g, struct cgroup *cgrp,
		   struct netlink_ext_ack *extack);
void wfq_tree_link(struct wfq_group *g, struct cgroup *cgrp);
void wfq_tree_unlink(struct wfq_group *g);

/* runstate.c */
void wfq_group_runnable_inc(struct wfq_group *g);
void wfq_group_runnable_dec(struct wfq_group *g);
void wfq_group_kill(struct wfq_group *g);
void wfq_group_set_parent(struct wfq_group *g, struct wfq_group *parent);
void wfq_group_read_state(struct wfq_group *g, struct wfq_counters *c);

/* task.c */
int wfq_tasks_init(void);
void wfq_tasks_exit(void);
void wfq_task_runnable(struct task_struct *p, struct wfq_group *g,
		       unsigned long gen);
void wfq_task_ungrouped(struct task_struct *p);
void wfq_task_blocked(struct task_struct *p, bool dead);
void wfq_task_forget(struct task_struct *p);
u32 wfq_tasks_tracked(void);
u32 wfq_tasks_capacity(void);

/* probes.c */
int wfq_probes_register(void);
void wfq_probes_unregister(void);

/* charge.c */
int wfq_charge_timers_init(void);
void wfq_charge_timers_cancel(void);
void wfq_charge_timers_kick(void);

/* events.c */
void wfq_event_state_changed(struct wfq_group *g);
void wfq_work_kick(void);
void wfq_events_init(void);
void wfq_events_stop(void);
u64 wfq_events_sent(void);
u64 wfq_events_coalesced(void);

/* netlink.c */
extern struct genl_family wfq_family;
int wfq_family_register(void);
int wfq_nl_notify(struct wfq_group *g, u8 cmd, gfp_t gfp);

#endif /* _WFQMON_H */
