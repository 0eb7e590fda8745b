// SPDX-License-Identifier: GPL-2.0
/*
 * Run state: a group is active while it has a runnable task counted in
 * it (task.c counts them). On each idle <-> active transition the group
 * joins or leaves the active set that s_min and V are taken over
 * (vtime.c), and a notification is queued (events.c).
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

static void wfq_group_activate(struct wfq_group *g, u64 now)
{
	lockdep_assert_held(&g->state_lock);

	wfq_vtime_activate(g);
	g->active = true;
	g->active_since_ns = now;
	g->activations++;
}

static void wfq_group_deactivate(struct wfq_group *g, u64 now)
{
	lockdep_assert_held(&g->state_lock);

	g->active = false;
	g->active_ns += wfq_elapsed_ns(g->active_since_ns, now);
	wfq_vtime_deactivate(g);
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
	if (atomic_inc_return(&g->nr_runnable) == 1 && !g->dead) {
		wfq_group_activate(g, ktime_get_mono_fast_ns());
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
	    atomic_dec_and_test(&g->nr_runnable) && g->active) {
		wfq_group_deactivate(g, ktime_get_mono_fast_ns());
		idle = true;
	}
	raw_spin_unlock_irqrestore(&g->state_lock, flags);

	if (idle)
		wfq_event_state_changed(g);
}

/*
 * Take a group being destroyed out of the active set for good: probes
 * that found it before it was unpublished may still count tasks in it,
 * but it will not become active again.
 */
void wfq_group_kill(struct wfq_group *g)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	g->dead = true;
	if (g->active)
		wfq_group_deactivate(g, ktime_get_mono_fast_ns());
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}

/*
 * Fill the run-state part of a counter snapshot. Under the state_lock
 * nr_runnable is 0 exactly when the group is idle (a dead group aside):
 * read apart, a reader racing a transition could report both "idle" and
 * a runnable task.
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
	c->active = g->active;
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}
