// SPDX-License-Identifier: GPL-2.0
/*
 * Which group each runnable task is counted in.
 *
 * A group is active while it has a runnable task, so wfqmon counts the
 * runnable tasks of each group. The scheduler's own tracepoints do not
 * say whether a wake-up really made a task runnable (a task woken before
 * it got to block was never dequeued), so each task in a group gets a
 * slot that remembers the group it is counted in, if any. The hot path
 * must not allocate, so the slots are a table allocated at load time:
 * a task hashes to one bucket of WFQ_BUCKET_SLOTS slots, claimed with a
 * cmpxchg on the task pointer. A full bucket leaves the task untracked
 * (counted in the statistics, never an error).
 *
 * A slot is only changed under the rq lock of its task's runqueue (every
 * caller but two is a scheduler tracepoint that holds it), or when the
 * task is being freed and nothing else can reach it. The other is the
 * charge timer, which may uncount the task running on its CPU; so a
 * count is only ever dropped by whoever swaps group_id to 0, and each
 * group is uncounted once for each time it was counted. A task keeps its
 * slot, asleep or not, until it exits.
 *
 * A task counted in a group can leave it while runnable: moved to a
 * cgroup no group covers, or left behind when its group is bound
 * elsewhere. It is uncounted there at its next switch-in, or at the
 * next charge tick while it runs (wfq_task_ungrouped()), so that the
 * group it deserted goes idle and stops holding s_min back. The slot stores the group's id,
 * and its pointer with the bind generation it was found under: while
 * the generation is unchanged the pointer is good (see group.c), and
 * after a change the id is looked up again, so a destroyed group is
 * simply not found when the task is uncounted.
 */

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include "wfqmon.h"

#define WFQ_BUCKET_SLOTS	4

struct wfq_task_slot {
	struct task_struct *task;
	struct wfq_group *group;	/* counted in, valid while ... */
	unsigned long gen;		/* ... this is the bind generation */
	u32 group_id;			/* counted in; 0: not counted */
};

static struct wfq_task_slot *wfq_slots;
static unsigned int wfq_bucket_bits;
static atomic_t wfq_slots_used = ATOMIC_INIT(0);

static struct wfq_task_slot *wfq_bucket(const struct task_struct *p)
{
	return &wfq_slots[hash_ptr(p, wfq_bucket_bits) * WFQ_BUCKET_SLOTS];
}

static struct wfq_task_slot *wfq_slot_find(const struct task_struct *p)
{
	struct wfq_task_slot *slot = wfq_bucket(p);
	int i;

	for (i = 0; i < WFQ_BUCKET_SLOTS; i++)
		if (READ_ONCE(slot[i].task) == p)
			return &slot[i];
	return NULL;
}

static struct wfq_task_slot *wfq_slot_claim(struct task_struct *p)
{
	struct wfq_task_slot *slot = wfq_bucket(p);
	int i;

	for (i = 0; i < WFQ_BUCKET_SLOTS; i++) {
		if (!READ_ONCE(slot[i].task) &&
		    !cmpxchg(&slot[i].task, NULL, p)) {
			atomic_inc(&wfq_slots_used);
			slot[i].group_id = 0;
			return &slot[i];
		}
	}
	this_cpu_inc(wfq_stats.untracked);
	return NULL;
}

static void wfq_slot_release(struct wfq_task_slot *slot)
{
	slot->group_id = 0;
	/* The next owner, claiming by cmpxchg, must see group_id cleared. */
	smp_store_release(&slot->task, NULL);
	atomic_dec(&wfq_slots_used);
}

/* Callers run with IRQs off: an RCU read-side section for the group. */
static void wfq_slot_uncount(struct wfq_task_slot *slot)
{
	u32 id = xchg(&slot->group_id, 0);
	struct wfq_group *g;

	if (!id)	/* the charge timer uncounted it meanwhile */
		return;
	g = slot->group;
	if (slot->gen != wfq_bind_generation() || g->id != id)
		g = wfq_group_lookup_rcu(id);
	if (g)
		wfq_group_runnable_dec(g);
}

/*
 * @p is runnable and belongs to @g, found after reading bind generation
 * @gen: make sure it is counted there.
 */
void wfq_task_runnable(struct task_struct *p, struct wfq_group *g,
		       unsigned long gen)
{
	struct wfq_task_slot *slot = wfq_slot_find(p);

	if (slot && slot->group_id == g->id) {
		/* The same group: refresh the pointer's generation. */
		slot->group = g;
		slot->gen = gen;
		return;
	}
	if (!slot)
		slot = wfq_slot_claim(p);
	if (!slot)
		return;
	if (slot->group_id)	/* moved to another group while runnable */
		wfq_slot_uncount(slot);
	slot->group_id = g->id;
	slot->group = g;
	slot->gen = gen;
	wfq_group_runnable_inc(g);
}

/*
 * @p is runnable but in no group: uncount it from the group it was
 * counted in, if any. Either under @p's rq lock, or from the charge
 * timer on the CPU @p runs on: only a remote wake-up probe can then
 * write @p's slot (@p is about to block), and the swap of group_id in
 * wfq_slot_uncount() keeps the two from uncounting it twice.
 */
void wfq_task_ungrouped(struct task_struct *p)
{
	struct wfq_task_slot *slot;

	if (!atomic_read(&wfq_slots_used))
		return;
	slot = wfq_slot_find(p);
	if (slot && READ_ONCE(slot->group_id))
		wfq_slot_uncount(slot);
}

/* @p left the runqueue to sleep, or for good when @dead. */
void wfq_task_blocked(struct task_struct *p, bool dead)
{
	struct wfq_task_slot *slot;

	if (!atomic_read(&wfq_slots_used))
		return;
	slot = wfq_slot_find(p);
	if (!slot)
		return;
	if (slot->group_id)
		wfq_slot_uncount(slot);
	if (dead)
		wfq_slot_release(slot);
}

/* @p is being freed: drop a slot its last switch did not release. */
void wfq_task_forget(struct task_struct *p)
{
	struct wfq_task_slot *slot;

	if (!atomic_read(&wfq_slots_used))
		return;
	slot = wfq_slot_find(p);
	if (slot)
		wfq_slot_release(slot);
}

u32 wfq_tasks_tracked(void)
{
	return atomic_read(&wfq_slots_used);
}

u32 wfq_tasks_capacity(void)
{
	return WFQ_BUCKET_SLOTS << wfq_bucket_bits;
}

/* Twice the slots asked for, so that buckets rarely fill up. */
int wfq_tasks_init(void)
{
	unsigned long buckets = roundup_pow_of_two(max(wfq_max_tasks, 2U) * 2 /
						   WFQ_BUCKET_SLOTS);
	size_t size;

	wfq_bucket_bits = ilog2(buckets);
	size = array_size(buckets * WFQ_BUCKET_SLOTS, sizeof(*wfq_slots));
	wfq_slots = vzalloc(size);
	if (!wfq_slots)
		return -ENOMEM;
	atomic64_add(size, &wfq_mem_bytes);
	return 0;
}

void wfq_tasks_exit(void)
{
	atomic64_sub(array_size(wfq_tasks_capacity(), sizeof(*wfq_slots)),
		     &wfq_mem_bytes);
	vfree(wfq_slots);
	wfq_slots = NULL;
}
