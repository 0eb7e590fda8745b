// SPDX-License-Identifier: GPL-2.0
/*
 * Run state: a group is active while it has a runnable task counted in
 * it (task.c counts them) or an active child group. On each idle <->
 * active transition the group joins or leaves its parent's active set,
 * which that set's s_min and V are taken over (vtime.c), the parent
 * counts one active child more or less (which may make it change state
 * in turn, up the chain), and a notification is queued (events.c).
 *
 * A parent's nr_active_children changes under the child's state_lock
 * and then the parent's, so a child's transitions reach its parent in
 * the order they happened, also while it moves to another parent
 * (wfq_group_set_parent()). State locks nest child first, at most
 * WFQMON_DEPTH_MAX deep: the lockdep subclass is the position in the
 * chain being walked.
 */

#include <linux/ktime.h>

#include "wfqmon.h"

/*
 * ktime_get_mono_fast_ns() is NMI-safe but not monotonic across CPUs
 * and timekeeping updates: a group made active on one CPU may go idle
 * on another whose reading is a little behind. Such an interval is
 * empty, not 2^64 ns.
 */
static u64 wfq_elapsed_ns(u64 since, u64 now)
{
	return now > since ? now - since : 0;
}

static void wfq_chain_child_changed(struct wfq_group *p, bool active,
				    unsigned int subclass);

/* Under @g's state_lock, taken at @subclass. */
static void wfq_group_activate(struct wfq_group *g, u64 now,
			       unsigned int subclass)
{
	lockdep_assert_held(&g->state_lock);

	wfq_vtime_activate(g);
	g->active = true;
	g->active_since_ns = now;
	g->activations++;
	wfq_chain_child_changed(g->parent, true, subclass + 1);
}

static void wfq_group_deactivate(struct wfq_group *g, u64 now,
				 unsigned int subclass)
{
	lockdep_assert_held(&g->state_lock);

	g->active = false;
	g->active_ns += wfq_elapsed_ns(g->active_since_ns, now);
	wfq_vtime_deactivate(g);
	wfq_chain_child_changed(g->parent, false, subclass + 1);
}

/* Under its state_lock: what the group's state should be. */
static bool wfq_group_wants_active(struct wfq_group *g)
{
	return !g->dead &&
	       (atomic_read(&g->nr_runnable) > 0 || g->nr_active_children);
}

/*
 * A child of @p (NULL: the top level, nothing to do) became active or
 * idle; under the child's state_lock. Recursion is at most
 * WFQMON_DEPTH_MAX - 1 deep.
 */
static void wfq_chain_child_changed(struct wfq_group *p, bool active,
				    unsigned int subclass)
{
	u64 now;

	if (!p)
		return;
	raw_spin_lock_nested(&p->state_lock, subclass);
	if (active)
		p->nr_active_children++;
	else if (!WARN_ON_ONCE(!p->nr_active_children))
		p->nr_active_children--;
	if (wfq_group_wants_active(p) != p->active) {
		now = ktime_get_mono_fast_ns();
		if (p->active)
			wfq_group_deactivate(p, now, subclass);
		else
			wfq_group_activate(p, now, subclass);
		wfq_event_state_changed(p);
	}
	raw_spin_unlock(&p->state_lock);
}

/*
 * nr_runnable changes without a lock except on 0 <-> 1, where the
 * state_lock orders the transition against one in the other direction
 * (the refcount_dec_and_lock() pattern).
 */
void wfq_group_runnable_inc(struct wfq_group *g)
{
	unsigned long flags;
	bool woke = false;

	if (atomic_inc_not_zero(&g->nr_runnable))
		return;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	if (atomic_inc_return(&g->nr_runnable) == 1 && !g->active &&
	    !g->dead) {
		wfq_group_activate(g, ktime_get_mono_fast_ns(), 0);
		woke = true;
	}
	raw_spin_unlock_irqrestore(&g->state_lock, flags);

	if (woke)
		wfq_event_state_changed(g);
}

void wfq_group_runnable_dec(struct wfq_group *g)
{
	int nr = atomic_read(&g->nr_runnable);
	unsigned long flags;
	bool idle = false;

	/* Lock-free while another task stays runnable; never below 0. */
	while (nr > 1)
		if (atomic_try_cmpxchg(&g->nr_runnable, &nr, nr - 1))
			return;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	if (atomic_read(&g->nr_runnable) > 0 &&
	    atomic_dec_and_test(&g->nr_runnable) && g->active &&
	    !g->nr_active_children) {
		wfq_group_deactivate(g, ktime_get_mono_fast_ns(), 0);
		idle = true;
	}
	raw_spin_unlock_irqrestore(&g->state_lock, flags);

	if (idle)
		wfq_event_state_changed(g);
}

/*
 * Take a group being destroyed out of the active set for good: probes
 * that found it before it was unpublished may still count tasks in it,
 * but it will not become active again. Its children have moved to its
 * parent already (tree.c).
 */
void wfq_group_kill(struct wfq_group *g)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	g->dead = true;
	if (g->active)
		wfq_group_deactivate(g, ktime_get_mono_fast_ns(), 0);
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}

/*
 * Move @g under @parent (NULL: the top level); under wfq_lock. If @g is
 * active, the old parent's chain loses an active child and the new one
 * gains one, each in one step with the move under @g's state_lock, so
 * that no transition of @g is counted in the wrong chain.
 */
void wfq_group_set_parent(struct wfq_group *g, struct wfq_group *parent)
{
	struct wfq_group *old;
	unsigned long flags;

	lockdep_assert_held(&wfq_lock);

	raw_spin_lock_irqsave(&g->state_lock, flags);
	old = g->parent;
	/* Gain first: an ancestor common to both chains does not flap. */
	if (g->active)
		wfq_chain_child_changed(parent, true, 1);
	wfq_vtime_reparent(g, parent);
	if (g->active)
		wfq_chain_child_changed(old, false, 1);
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
	g->parent_id = parent ? parent->id : 0;
}

/*
 * Fill the run-state part of a counter snapshot. Under the state_lock
 * nr_runnable and nr_active_children are both 0 exactly when the group
 * is idle (a dead group aside): read apart, a reader racing a transition
 * could report both "idle" and a runnable task.
 */
void wfq_group_read_state(struct wfq_group *g, struct wfq_counters *c)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	c->active_ns = g->active_ns;
	if (g->active)
		c->active_ns += wfq_elapsed_ns(g->active_since_ns,
					       ktime_get_mono_fast_ns());
	c->activations = g->activations;
	c->catchups = g->catchups;
	c->catchup_vtime = g->catchup_vtime;
	c->nr_runnable = max(atomic_read(&g->nr_runnable), 0);
	c->nr_active_children = g->nr_active_children;
	c->active = g->active;
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}
