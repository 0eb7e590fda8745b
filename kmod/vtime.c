// SPDX-License-Identifier: GPL-2.0
/*
 * WFQ virtual time.
 *
 * Each group i keeps s_i, advanced for every charge of q ns of CPU time:
 *
 *	s_i += q / w_i
 *
 * in units of ns of CPU per unit of weight (the scale is 1: a group of
 * weight 1 advances as fast as its runtime). The division is exact:
 * each CPU carries the remainder (< w_i) into its next charge, so no
 * fixed-point fraction is needed and no time is lost. A group's s_i
 * grows by its own charges and by catch-ups to another group's s_i, so
 * no s_i exceeds the CPU time charged to all groups together; s_i is
 * compared as s64, which lasts 2^63 ns: 292 CPU-years.
 *
 * s_min is the minimum s_i over active groups (those with a runnable
 * task). It never moves backward: it is recomputed as
 *
 *	s_min = max(s_min, min{ s_i : i active })
 *
 * from the periodic work while any group is active (every
 * WFQ_VTIME_REFRESH_MS) and on every read, and left alone while no
 * group is active. Between refreshes it can only lag below the true
 * minimum, never run ahead of it.
 *
 * When a group goes from idle to active it catches up,
 *
 *	s_i = max(s_min, s_i)
 *
 * so credit saved while blocked cannot starve the others; the catch-up
 * and the credit it forgave are counted.
 */

#include <linux/math64.h>
#include <linux/ktime.h>

#include "wfqmon.h"

static atomic64_t wfq_vtime_floor = ATOMIC64_INIT(0);

/* Active groups, for s_min and the weighted mean. Taken inside state_lock. */
static DEFINE_RAW_SPINLOCK(wfq_active_lock);
static LIST_HEAD(wfq_active_list);
static unsigned int wfq_nr_active;

/*
 * Called from probes with IRQs off, possibly for a task on another CPU's
 * runqueue: the remainder is this CPU's, which is all it needs to be.
 */
void wfq_vtime_charge(struct wfq_group *g, u64 delta_ns)
{
	struct wfq_group_pcpu *pc = this_cpu_ptr(g->pcpu);
	u32 weight = READ_ONCE(g->weight);
	u32 rem;
	u64 dv;

	dv = div_u64_rem(delta_ns + pc->vtime_rem, weight, &rem);
	pc->vtime_rem = rem;
	pc->sum.runtime_ns += delta_ns;
	atomic64_add(dv, &g->vtime);
}

u64 wfq_vtime_min(void)
{
	return atomic64_read(&wfq_vtime_floor);
}

/* Raise s_min to the smallest s_i of the active groups. */
static void wfq_vtime_refresh_locked(void)
{
	struct wfq_group *g;
	s64 min = S64_MAX;

	lockdep_assert_held(&wfq_active_lock);

	list_for_each_entry(g, &wfq_active_list, active_node)
		min = min_t(s64, min, atomic64_read(&g->vtime));
	if (min != S64_MAX && min > atomic64_read(&wfq_vtime_floor))
		atomic64_set(&wfq_vtime_floor, min);
}

/* Refresh s_min; returns the number of active groups. */
unsigned int wfq_vtime_refresh(void)
{
	unsigned long flags;
	unsigned int nr;

	raw_spin_lock_irqsave(&wfq_active_lock, flags);
	wfq_vtime_refresh_locked();
	nr = wfq_nr_active;
	raw_spin_unlock_irqrestore(&wfq_active_lock, flags);
	return nr;
}

/*
 * s_min, the weighted mean V = sum(w_i * s_i) / sum(w_i) over active
 * groups, their number and total weight. V is accumulated as a running
 * mean of s_i - s_min so that nothing overflows.
 */
void wfq_vtime_summary(u64 *vmin, u64 *vavg, u32 *nr_active,
		       u64 *weight_active)
{
	unsigned long flags;
	struct wfq_group *g;
	u64 wsum = 0;
	s64 mean = 0;

	raw_spin_lock_irqsave(&wfq_active_lock, flags);
	wfq_vtime_refresh_locked();
	*vmin = atomic64_read(&wfq_vtime_floor);
	list_for_each_entry(g, &wfq_active_list, active_node) {
		u32 w = READ_ONCE(g->weight);
		s64 d = atomic64_read(&g->vtime) - (s64)*vmin;

		wsum += w;
		mean += div64_s64((d - mean) * w, wsum);
	}
	*nr_active = wfq_nr_active;
	raw_spin_unlock_irqrestore(&wfq_active_lock, flags);

	*vavg = *vmin + mean;
	*weight_active = wsum;
}

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
	s64 floor, v;

	lockdep_assert_held(&g->state_lock);

	/*
	 * Catch up and join the active list in one step under the list's
	 * lock, so a refresh cannot raise s_min between the two and leave
	 * an active group below it.
	 */
	raw_spin_lock(&wfq_active_lock);
	floor = atomic64_read(&wfq_vtime_floor);
	v = atomic64_read(&g->vtime);
	/* s_i = max(s_min, s_i); charges may race, hence the cmpxchg. */
	while (v < floor && !atomic64_try_cmpxchg(&g->vtime, &v, floor))
		;
	list_add_tail(&g->active_node, &wfq_active_list);
	wfq_nr_active++;
	raw_spin_unlock(&wfq_active_lock);

	if (v < floor) {
		g->catchups++;
		g->catchup_vtime += floor - v;
	}
	g->active = true;
	g->active_since_ns = now;
	g->activations++;
}

static void wfq_group_deactivate(struct wfq_group *g, u64 now)
{
	lockdep_assert_held(&g->state_lock);

	g->active = false;
	g->active_ns += wfq_elapsed_ns(g->active_since_ns, now);

	raw_spin_lock(&wfq_active_lock);
	list_del_init(&g->active_node);
	wfq_nr_active--;
	raw_spin_unlock(&wfq_active_lock);
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
 * Take a group being destroyed off the active list for good: probes
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

/* Fill the run-state part of a counter snapshot. */
void wfq_group_read_state(struct wfq_group *g, struct wfq_counters *c,
			  bool *active)
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
	*active = g->active;
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}
