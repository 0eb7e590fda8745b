/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels wfqmon builds for (5.10 to 7.x),
 * in one place. All are feature tests, because Debian and the stable
 * series backport APIs inside a series: a macro of the kernel where it
 * has one, else a WFQ_* flag that kmod/Kbuild sets by reading the
 * kernel's headers. Where an older kernel lacks a check the module
 * relies on, the module makes the check itself or refuses the request
 * with a message saying so; it never runs without the check.
 */
#ifndef _WFQMON_COMPAT_H
#define _WFQMON_COMPAT_H

#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/netlink.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <net/genetlink.h>

/* task_struct::state became __state in 5.14, with task_is_running(). */
#ifdef task_is_running
#define wfq_task_state(p)	READ_ONCE((p)->__state)
#else
#define wfq_task_state(p)	READ_ONCE((p)->state)
#endif

/*
 * Probe parameters after `void *data`, named preempt, prev, next and p
 * for the probe's body; probes.c checks them against the tracepoints
 * with check_trace_callback_type_*(). sched_switch gained prev_state in
 * 5.18, sched_process_exit group_dead in 6.16.
 */
#ifdef WFQ_SWITCH_HAS_PREV_STATE
#define WFQ_SCHED_SWITCH_PARAMS						\
	bool preempt, struct task_struct *prev, struct task_struct *next, \
	unsigned int prev_state
#else
#define WFQ_SCHED_SWITCH_PARAMS						\
	bool preempt, struct task_struct *prev, struct task_struct *next
#endif

#ifdef WFQ_EXIT_HAS_GROUP_DEAD
#define WFQ_SCHED_EXIT_PARAMS	struct task_struct *p, bool group_dead
#else
#define WFQ_SCHED_EXIT_PARAMS	struct task_struct *p
#endif

/* hrtimer_setup() came in 6.13; hrtimer_init() went in 6.15. */
static inline void
wfq_hrtimer_setup(struct hrtimer *timer,
		  enum hrtimer_restart (*function)(struct hrtimer *),
		  clockid_t clock_id, enum hrtimer_mode mode)
{
#ifdef WFQ_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, function, clock_id, mode);
#else
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
#endif
}

/*
 * A cgroup by id, referenced, or an ERR_PTR. cgroup_get_from_id() came
 * in 5.14; until 6.1 it returned NULL on failure and any cgroup of the
 * machine, even one outside the caller's cgroup namespace. So the
 * namespace is checked here too. Without the lookup (5.10):
 * -EOPNOTSUPP, the caller must give a directory fd.
 */
static inline struct cgroup *wfq_cgroup_get_from_id(u64 id)
{
#ifdef WFQ_HAVE_CGROUP_GET_FROM_ID
	struct cgroup *cgrp = cgroup_get_from_id(id);
	struct cgroup *ns_root;

	if (IS_ERR_OR_NULL(cgrp))
		return cgrp ? cgrp : ERR_PTR(-ENOENT);
	/* A live task's own nsproxy: only it changes it. */
	ns_root = current->nsproxy->cgroup_ns->root_cset->dfl_cgrp;
	if (!cgroup_is_descendant(cgrp, ns_root)) {
		cgroup_put(cgrp);
		return ERR_PTR(-ENOENT);
	}
	return cgrp;
#else
	return ERR_PTR(-EOPNOTSUPP);
#endif
}

/*
 * genl_split_ops (a policy for each do and each dump) came in 6.2. The
 * generated ops table (genl.c) is one; before 6.2 it is this subset,
 * which family.c folds into struct genl_ops.
 */
#ifndef WFQ_HAVE_SPLIT_OPS
struct genl_split_ops {
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 flags;
};
#endif

/*
 * ynl_gen_c emits NLA_POLICY_FULL_RANGE() for every integer whose range
 * does not fit the policy's s16 min and max, signed ones too (LAG), while
 * netlink.h's macro admits unsigned types only. The signed range pointer
 * shares a union with the unsigned one and the core picks by the type, so
 * one macro serves both. The generated ranges are const, as the pointer
 * is since 6.2; before, it was not, though the core only reads through it.
 */
#ifdef WFQ_HAVE_CONST_RANGE
#define WFQ_RANGE_PTR	const struct netlink_range_validation *
#else
#define WFQ_RANGE_PTR	struct netlink_range_validation *
#endif
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_INT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (WFQ_RANGE_PTR)(_range),				\
}

/* rb_add_cached() came in 5.11; the same insertion for 5.10. */
#ifndef WFQ_HAVE_RB_ADD_CACHED
#include <linux/rbtree.h>

static __always_inline void
rb_add_cached(struct rb_node *node, struct rb_root_cached *tree,
	      bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_root.rb_node;
	struct rb_node *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (less(node, parent)) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(node, parent, link);
	rb_insert_color_cached(node, tree, leftmost);
}
#endif

/*
 * Which attribute was missing, for the extack (6.0). Older kernels only
 * get the message, which names the attribute too.
 */
#ifndef NL_SET_ERR_ATTR_MISS
#define NL_SET_ERR_ATTR_MISS(extack, nest, type)	do { } while (0)
#endif

#endif /* _WFQMON_COMPAT_H */
