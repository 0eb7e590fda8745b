// SPDX-License-Identifier: GPL-2.0
/*
 * WFQ virtual time: s_i, s_min and the weighted mean V.
 *
 * Each group i keeps s_i, advanced for every charge of q ns of CPU time:
 *
 *	s_i += q / w_i
 *
 * in units of ns of CPU per unit of weight (the scale is 1: a group of
 * weight 1 advances as fast as its runtime). The division is exact:
 * each CPU carries the remainder (< w_i) into its next charge.
 *
 * Groups are compared with their siblings only: each parent (a group,
 * or the top level) has an active set, struct wfq_active_set, with its
 * own s_min and V, as CFS keeps min_vruntime per cfs_rq; a charge
 * advances s_i of the group and of each of its ancestors, each with its
 * own weight. One lock, wfq_vtime_lock, covers all the sets: what it
 * guards below is per set, and no section under it walks more than
 * one set's WFQ_VTIME_SCAN groups per level.
 *
 * The groups that count for a set's s_min and V (active, and not
 * stalled: see Documentation/design.rst) sit in its rbtree,
 * ordered by a key that is s_i as of the group's last re-key. s_i only
 * grows between re-keys (a weight change re-keys under the lock), so
 *
 *	key_i <= s_i < key_i + WFQ_VTIME_REKEY	for every queued group
 *
 * (a charge re-keys its group once s_i is WFQ_VTIME_REKEY past its key,
 * and the charge timer re-keys the group it charges every tick). So the
 * leftmost key is a lower bound of the minimum s_i, and
 *
 *	s_min = max(s_min, min over the first WFQ_VTIME_SCAN queued groups
 *			   in key order of s_i, bounded by the next key)
 *
 * never runs ahead of the true minimum and never moves backward. It is
 * refreshed at every change of the tree, at every activation and before
 * a read, in O(WFQ_VTIME_SCAN + log n): nothing walks all groups.
 *
 * V = sum(w_i * s_i) / sum(w_i) over queued groups is kept, like
 * fair.c's avg_vruntime, as sum(w_i * (key_i - s_min)), adjusted when
 * s_min moves: it is the mean of the keys, so it trails the true mean
 * by less than WFQ_VTIME_REKEY (plus one unit from the division).
 */

#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/rbtree.h>
#include <linux/sched/clock.h>

#include "compat.h"
#include "wfqmon.h"

/*
 * How far s_i may run ahead of its key: 1 ms of CPU per unit of weight.
 * Bounds how far s_min and V may trail; a group of weight w re-keys
 * from a switch at most once per w ms of its CPU time.
 */
#define WFQ_VTIME_REKEY		NSEC_PER_MSEC
/* Groups whose s_i a refresh of s_min reads, in key order. */
#define WFQ_VTIME_SCAN		8
/*
 * A queued group not charged for this long, and for this many charge
 * ticks of other groups, is stalled (throttled, or its runnable tasks
 * untracked): it leaves the tree until it is charged again. Ten charge
 * periods: longer than the scheduler makes a runnable group of a few
 * wait, shorter than a cpu.max period's throttled part (100 ms by
 * default). Counting ticks too keeps time stolen from a virtual CPU,
 * when no tick runs, from looking like a stall.
 */
#define WFQ_VTIME_STALL_MS	40
#define WFQ_VTIME_STALL_TICKS	10

static DEFINE_RAW_SPINLOCK(wfq_vtime_lock);
/* The top level's active set; each group has one for its children. */
static struct wfq_active_set wfq_top_set = { .tree = RB_ROOT_CACHED };
/* Over all levels: queued and stalled groups, stalls so far. */
static unsigned int wfq_nr_queued;
static unsigned int wfq_nr_stalled;
static u64 wfq_nr_stalls;
/* Charge ticks so far, of all CPUs: written under wfq_vtime_lock. */
static unsigned long wfq_nr_ticks;

/*
 * For the bench (Documentation/performance.rst): the longest section
 * under wfq_vtime_lock, with interrupts off, from the attempt to take
 * it to its release, while debug_lock_timing is set. Root may reset
 * the maximum by writing 0.
 */
static bool wfq_lock_timing;
module_param_named(debug_lock_timing, wfq_lock_timing, bool, 0600);
MODULE_PARM_DESC(debug_lock_timing, "Time the sections under the virtual-time lock (bench)");
static unsigned long long wfq_lock_max_ns;
module_param_named(debug_lock_max_ns, wfq_lock_max_ns, ullong, 0600);
MODULE_PARM_DESC(debug_lock_max_ns, "Longest of them in ns, with debug_lock_timing set");

/* With IRQs off; returns what wfq_vtime_unlock() needs. */
static u64 wfq_vtime_lock_take(void)
	__acquires(&wfq_vtime_lock)
{
	u64 t0 = READ_ONCE(wfq_lock_timing) ? local_clock() : 0;

	raw_spin_lock(&wfq_vtime_lock);
	return t0;
}

static void wfq_vtime_unlock(u64 t0)
	__releases(&wfq_vtime_lock)
{
	/* Under the lock: the maximum needs no atomic. */
	if (t0) {
		u64 ns = local_clock() - t0;

		if (ns > wfq_lock_max_ns)
			WRITE_ONCE(wfq_lock_max_ns, ns);
	}
	raw_spin_unlock(&wfq_vtime_lock);
}

static bool wfq_vtime_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct wfq_group, vtime_node)->vtime_key <
	       rb_entry(b, struct wfq_group, vtime_node)->vtime_key;
}

void wfq_vtime_set_init(struct wfq_active_set *set)
{
	*set = (struct wfq_active_set){ .tree = RB_ROOT_CACHED };
}

/* The set the children of @parent (NULL: the top level) compete in. */
static struct wfq_active_set *wfq_parent_set(struct wfq_group *parent)
{
	return parent ? &parent->child_set : &wfq_top_set;
}

static void wfq_s_min_raise(struct wfq_active_set *set, s64 v)
{
	if (v <= set->s_min)
		return;
	set->wkey -= (s64)set->weight * (v - set->s_min);
	WRITE_ONCE(set->s_min, v);
}

/* See the header comment: exact unless WFQ_VTIME_SCAN groups are close. */
static void wfq_s_min_update(struct wfq_active_set *set)
{
	struct rb_node *n = rb_first_cached(&set->tree);
	s64 min = S64_MAX;
	int i;

	lockdep_assert_held(&wfq_vtime_lock);

	for (i = 0; n; i++, n = rb_next(n)) {
		struct wfq_group *g = rb_entry(n, struct wfq_group, vtime_node);

		if (g->vtime_key >= min)
			break;
		if (i == WFQ_VTIME_SCAN) {
			min = g->vtime_key;
			break;
		}
		min = min_t(s64, min, atomic64_read(&g->vtime));
	}
	if (min != S64_MAX)
		wfq_s_min_raise(set, min);
}

static void wfq_vtime_enqueue(struct wfq_active_set *set, struct wfq_group *g)
{
	WRITE_ONCE(g->vtime_key, atomic64_read(&g->vtime));
	g->vtime_weight = READ_ONCE(g->weight);
	rb_add_cached(&g->vtime_node, &set->tree, wfq_vtime_less);
	set->weight += g->vtime_weight;
	set->wkey += (s64)g->vtime_weight * (g->vtime_key - set->s_min);
	set->nr_queued++;
	wfq_nr_queued++;
	g->vtime_set = set;
	WRITE_ONCE(g->vtime_queued, true);
}

static void wfq_vtime_dequeue(struct wfq_group *g)
{
	struct wfq_active_set *set = g->vtime_set;

	rb_erase_cached(&g->vtime_node, &set->tree);
	set->weight -= g->vtime_weight;
	set->wkey -= (s64)g->vtime_weight * (g->vtime_key - set->s_min);
	set->nr_queued--;
	wfq_nr_queued--;
	WRITE_ONCE(g->vtime_queued, false);
}

static void wfq_vtime_rekey_locked(struct wfq_group *g)
{
	struct wfq_active_set *set = g->vtime_set;

	wfq_vtime_dequeue(g);
	wfq_vtime_enqueue(set, g);
}

/* s_i = max(s_min, s_i); charges may race, hence the cmpxchg. */
static s64 wfq_vtime_catch_up(struct wfq_group *g, s64 s_min)
{
	s64 v = atomic64_read(&g->vtime);

	while (v < s_min && !atomic64_try_cmpxchg(&g->vtime, &v, s_min))
		;
	return v < s_min ? s_min - v : 0;
}

static void wfq_count_catch_up(struct wfq_group *g, s64 raised)
{
	lockdep_assert_held(&g->state_lock);
	if (raised) {
		g->catchups++;
		g->catchup_vtime += raised;
	}
}

/*
 * Join its parent's set, caught up to a fresh s_min of that set: in one
 * step under the lock, so s_min cannot rise between the two and leave
 * the group below it. Under @g's state_lock, which keeps its parent.
 */
static void wfq_vtime_join_locked(struct wfq_group *g)
{
	struct wfq_active_set *set = wfq_parent_set(g->parent);

	wfq_s_min_update(set);
	wfq_count_catch_up(g, wfq_vtime_catch_up(g, set->s_min));
	wfq_vtime_enqueue(set, g);
}

/* @g becomes active; under its state_lock. */
void wfq_vtime_activate(struct wfq_group *g)
{
	u64 t0;

	lockdep_assert_held(&g->state_lock);

	t0 = wfq_vtime_lock_take();
	g->vtime_stalled = false;
	/* Waiting for a CPU is not a stall: the window starts now. */
	WRITE_ONCE(g->charged_at, jiffies);
	WRITE_ONCE(g->charged_tick, wfq_nr_ticks);
	wfq_vtime_join_locked(g);
	wfq_vtime_unlock(t0);
}

/*
 * @g moves under @parent (NULL: the top level); under its state_lock.
 * Its lag against its parent's s_min is kept: s_i moves by the
 * difference of the two sets' s_min (values of two sets are not
 * comparable). A queued group joins the new set caught up; a stalled
 * one stays stalled until it is charged.
 */
void wfq_vtime_reparent(struct wfq_group *g, struct wfq_group *parent)
{
	struct wfq_active_set *from = wfq_parent_set(g->parent);
	struct wfq_active_set *to = wfq_parent_set(parent);
	bool queued;
	u64 t0;

	lockdep_assert_held(&g->state_lock);

	t0 = wfq_vtime_lock_take();
	queued = g->vtime_queued;
	if (queued)
		wfq_vtime_dequeue(g);
	wfq_s_min_update(from);
	wfq_s_min_update(to);
	atomic64_add(to->s_min - from->s_min, &g->vtime);
	WRITE_ONCE(g->parent, parent);
	if (queued)
		wfq_vtime_join_locked(g);
	wfq_vtime_unlock(t0);
}

/* @g goes idle; under its state_lock. */
void wfq_vtime_deactivate(struct wfq_group *g)
{
	u64 t0;

	lockdep_assert_held(&g->state_lock);

	t0 = wfq_vtime_lock_take();
	if (g->vtime_queued)
		wfq_vtime_dequeue(g);
	if (g->vtime_stalled) {
		g->vtime_stalled = false;
		wfq_nr_stalled--;
	}
	wfq_vtime_unlock(t0);
}

/* A stalled group was charged: it competes again, caught up. */
static void wfq_vtime_rejoin(struct wfq_group *g)
{
	unsigned long flags;
	u64 t0;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	t0 = wfq_vtime_lock_take();
	if (g->active && g->vtime_stalled) {
		g->vtime_stalled = false;
		wfq_nr_stalled--;
		wfq_vtime_join_locked(g);
	}
	wfq_vtime_unlock(t0);
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}

static void wfq_vtime_rekey(struct wfq_group *g)
{
	unsigned long flags;
	u64 t0;

	local_irq_save(flags);
	t0 = wfq_vtime_lock_take();
	if (g->vtime_queued) {
		wfq_vtime_rekey_locked(g);
		wfq_s_min_update(g->vtime_set);
	}
	wfq_vtime_unlock(t0);
	local_irq_restore(flags);
}

/* One level of wfq_vtime_charge(). */
static void wfq_vtime_charge_one(struct wfq_group *g, u64 delta_ns)
{
	struct wfq_group_pcpu *pc = this_cpu_ptr(g->pcpu);
	u32 weight = READ_ONCE(g->weight);
	u32 rem;
	s64 v;

	v = atomic64_add_return(div_u64_rem(delta_ns + pc->vtime_rem, weight,
					    &rem), &g->vtime);
	pc->vtime_rem = rem;
	pc->sum.runtime_ns += delta_ns;
	WRITE_ONCE(g->charged_at, jiffies);
	WRITE_ONCE(g->charged_tick, READ_ONCE(wfq_nr_ticks));
	if (unlikely(READ_ONCE(g->vtime_stalled)))
		wfq_vtime_rejoin(g);
	else if (unlikely(v - READ_ONCE(g->vtime_key) >= WFQ_VTIME_REKEY) &&
		 READ_ONCE(g->vtime_queued))
		wfq_vtime_rekey(g);
}

/*
 * Charge @g and each of its ancestors, each with its own weight. Called
 * from probes with IRQs off, possibly for a task on another CPU's
 * runqueue: the remainders are this CPU's, which is all they need to be.
 * The parent chain is read without a lock: a group being re-parented
 * is charged to its old or its new parent, both still valid in this
 * RCU read-side section (group.c).
 */
void wfq_vtime_charge(struct wfq_group *g, u64 delta_ns)
{
	do {
		wfq_vtime_charge_one(g, delta_ns);
		g = READ_ONCE(g->parent);
	} while (unlikely(g));
}

/* Not charged for WFQ_VTIME_STALL_MS and WFQ_VTIME_STALL_TICKS. */
static bool wfq_vtime_stalled(struct wfq_group *g, unsigned long stall)
{
	return time_after(jiffies, READ_ONCE(g->charged_at) + stall) &&
	       wfq_nr_ticks - READ_ONCE(g->charged_tick) >= WFQ_VTIME_STALL_TICKS;
}

/* One level of wfq_vtime_tick(): @g and its siblings. */
static void wfq_vtime_tick_one(struct wfq_group *g, unsigned long stall)
{
	struct wfq_active_set *set;
	struct rb_node *n;

	if (g->vtime_queued) {
		set = g->vtime_set;
		wfq_vtime_rekey_locked(g);
	} else {
		/* The parent is written under this lock (reparent). */
		set = wfq_parent_set(READ_ONCE(g->parent));
	}
	while ((n = rb_first_cached(&set->tree))) {
		struct wfq_group *first = rb_entry(n, struct wfq_group,
						   vtime_node);

		if (first == g || !wfq_vtime_stalled(first, stall))
			break;
		wfq_vtime_dequeue(first);
		WRITE_ONCE(first->vtime_stalled, true);
		wfq_nr_stalled++;
		wfq_nr_stalls++;
	}
	wfq_s_min_update(set);
}

/*
 * The charge timer charged @g (IRQs off): at each level of its chain,
 * re-key the group, and take out of its parent's set the groups holding
 * that s_min back that were not charged for WFQ_VTIME_STALL_MS while it
 * was. Each stall is one O(log n) step; a tick costs O(depth log n).
 */
void wfq_vtime_tick(struct wfq_group *g)
{
	unsigned long stall = msecs_to_jiffies(WFQ_VTIME_STALL_MS);
	u64 t0;

	t0 = wfq_vtime_lock_take();
	wfq_nr_ticks++;
	for (; g; g = READ_ONCE(g->parent))
		wfq_vtime_tick_one(g, stall);
	wfq_vtime_unlock(t0);
}

/*
 * s_min of @parent's children (NULL: the top level) as last raised, for
 * a report: no lock, no refresh.
 */
s64 wfq_vtime_min(const struct wfq_group *parent)
{
	const struct wfq_active_set *set = parent ? &parent->child_set :
						    &wfq_top_set;

	return READ_ONCE(set->s_min);
}

/* Where a new child of @parent starts: level with its active siblings. */
s64 wfq_vtime_start(struct wfq_group *parent)
{
	struct wfq_active_set *set;
	unsigned long flags;
	s64 v;
	u64 t0;

	local_irq_save(flags);
	t0 = wfq_vtime_lock_take();
	set = wfq_parent_set(parent);
	wfq_s_min_update(set);
	v = set->s_min;
	wfq_vtime_unlock(t0);
	local_irq_restore(flags);
	return v;
}

/* s_min, V and what they are taken over, at one moment. */
void wfq_vtime_summary(struct wfq_vtime_summary *s)
{
	unsigned long flags;
	u64 t0;

	local_irq_save(flags);
	t0 = wfq_vtime_lock_take();
	wfq_s_min_update(&wfq_top_set);
	s->s_min = wfq_top_set.s_min;
	s->weight = wfq_top_set.weight;
	s->avg = wfq_top_set.s_min;
	if (wfq_top_set.weight)
		s->avg += div64_s64(wfq_top_set.wkey, wfq_top_set.weight);
	s->nr_queued = wfq_nr_queued;
	s->nr_stalled = wfq_nr_stalled;
	s->stalls = wfq_nr_stalls;
	wfq_vtime_unlock(t0);
	local_irq_restore(flags);
}

/* lag * w_old / w_new, saturated rather than wrapped. */
static s64 wfq_lag_rescale(s64 lag, u32 w_old, u32 w_new)
{
	s64 prod;

	if (check_mul_overflow(lag, (s64)w_old, &prod))
		return lag < 0 ? S64_MIN / 2 : S64_MAX / 2;
	return div64_s64(prod, w_new);
}

/*
 * A weight change keeps the group's lag in ns of CPU: w * (V - s_i) is
 * the same before and after (see Documentation/design.rst), so
 *
 *	s_i' = V - (V - s_i) * w_old / w_new
 *
 * which also leaves V unchanged. An idle or stalled group is not in V:
 * its debt above s_min is kept in ns the same way, and its credit below
 * s_min is left for its activation to forgive. s_i' never goes below
 * s_min: lag that would take it there is forgiven and counted as a
 * catch-up.
 * Called under wfq_lock, so weights change one at a time.
 */
void wfq_vtime_reweight(struct wfq_group *g, u32 weight)
{
	u32 old = READ_ONCE(g->weight);
	struct wfq_active_set *set;
	unsigned long flags;
	s64 ref, v, target;
	u64 t0;

	raw_spin_lock_irqsave(&g->state_lock, flags);
	t0 = wfq_vtime_lock_take();
	set = wfq_parent_set(g->parent);
	if (g->vtime_queued) {
		wfq_vtime_rekey_locked(g);
		wfq_s_min_update(set);
		ref = set->s_min + div64_s64(set->wkey, set->weight);
	} else {
		ref = set->s_min;
	}
	v = atomic64_read(&g->vtime);
	target = ref - wfq_lag_rescale(ref - v, old, weight);
	if (!g->vtime_queued && v <= set->s_min)
		target = v;	/* credit: catching up forgives it anyway */
	if (target < set->s_min) {
		wfq_count_catch_up(g, set->s_min - target);
		target = set->s_min;
	}
	/* An add, not a set: charges racing with us are kept. */
	atomic64_add(target - v, &g->vtime);
	WRITE_ONCE(g->weight, weight);
	if (g->vtime_queued) {
		wfq_vtime_rekey_locked(g);
		wfq_s_min_update(set);
	}
	wfq_vtime_unlock(t0);
	raw_spin_unlock_irqrestore(&g->state_lock, flags);
}
