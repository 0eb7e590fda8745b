// SPDX-License-Identifier: GPL-2.0
/*
 * The group hierarchy.
 *
 * A group's parent is the group bound to the nearest bound ancestor of
 * its cgroup, the same rule wfq_group_of_task() applies to tasks; a
 * group with none is at the top level. Parents and children lists
 * change only under wfq_lock, when a group is bound (created), unbound
 * (destroyed) or rebound: the groups it now covers or uncovers move,
 * active or not, with wfq_group_set_parent() (runstate.c), which keeps
 * their place in the active sets and the runnable counts up both chains
 * right while probes run. Nothing here runs under a lock the probes or
 * interrupts take, so walking a list of children is allowed.
 *
 * Groups nest at most WFQMON_DEPTH_MAX deep (depth 1 is the top level):
 * that bounds the charge path, the recursion below, and the state locks
 * a transition holds at once (runstate.c).
 */

#include <linux/stringify.h>

#include "wfqmon.h"

static LIST_HEAD(wfq_top_groups);

static struct list_head *wfq_children_of(struct wfq_group *parent)
{
	return parent ? &parent->children : &wfq_top_groups;
}

/* The depth of a group under @parent (NULL: the top level, depth 1). */
static u32 wfq_depth_under(struct wfq_group *parent)
{
	return parent ? parent->depth + 1 : 1;
}

/* Levels of @g's subtree, @g included. */
static u32 wfq_tree_height(struct wfq_group *g)
{
	struct wfq_group *c;
	u32 h = 0;

	list_for_each_entry(c, &g->children, sibling)
		h = max(h, wfq_tree_height(c));
	return h + 1;
}

static void wfq_tree_set_depth(struct wfq_group *g, u32 depth)
{
	struct wfq_group *c;

	g->depth = depth;
	list_for_each_entry(c, &g->children, sibling)
		wfq_tree_set_depth(c, depth + 1);
}

/*
 * May @g, out of the tree (new, or detached for a rebind), be bound to
 * @cgrp without a group nesting deeper than WFQMON_DEPTH_MAX?
 */
int wfq_tree_check(struct wfq_group *g, struct cgroup *cgrp,
		   struct netlink_ext_ack *extack)
{
	struct wfq_group *parent = wfq_group_bound_above(cgrp, g);
	u32 depth = wfq_depth_under(parent);
	struct wfq_group *c;
	u32 below = 0;

	lockdep_assert_held(&wfq_lock);

	list_for_each_entry(c, wfq_children_of(parent), sibling)
		if (c != g && cgroup_is_descendant(c->cgrp, cgrp))
			below = max(below, wfq_tree_height(c));
	if (depth + below <= WFQMON_DEPTH_MAX)
		return 0;
	NL_SET_ERR_MSG(extack, "groups nest at most WFQMON_DEPTH_MAX ("
		       __stringify(WFQMON_DEPTH_MAX) ") deep");
	return -EMLINK;
}

/* Move @c, with its subtree, under @parent. */
static void wfq_tree_move(struct wfq_group *c, struct wfq_group *parent)
{
	list_move_tail(&c->sibling, wfq_children_of(parent));
	wfq_group_set_parent(c, parent);
	wfq_tree_set_depth(c, wfq_depth_under(parent));
}

/*
 * Put @g, bound to @cgrp (and checked by wfq_tree_check()), in the tree:
 * under the group bound above @cgrp, and above the groups of that
 * parent that @cgrp covers. A new group comes with its parent set.
 */
void wfq_tree_link(struct wfq_group *g, struct cgroup *cgrp)
{
	struct wfq_group *parent = wfq_group_bound_above(cgrp, g);
	struct wfq_group *c, *tmp;

	lockdep_assert_held(&wfq_lock);

	if (g->parent != parent)
		wfq_group_set_parent(g, parent);
	list_add_tail(&g->sibling, wfq_children_of(parent));
	wfq_tree_set_depth(g, wfq_depth_under(parent));
	list_for_each_entry_safe(c, tmp, wfq_children_of(parent), sibling)
		if (c != g && cgroup_is_descendant(c->cgrp, cgrp))
			wfq_tree_move(c, g);
}

/*
 * Take @g out of the tree: its children move up to its parent. @g keeps
 * its parent pointer (it may still be active there) until it is linked
 * again or killed.
 */
void wfq_tree_unlink(struct wfq_group *g)
{
	struct wfq_group *c, *tmp;

	lockdep_assert_held(&wfq_lock);

	list_for_each_entry_safe(c, tmp, &g->children, sibling)
		wfq_tree_move(c, g->parent);
	list_del_init(&g->sibling);
}
