// SPDX-License-Identifier: GPL-2.0
/*
 * Deferred work: active/idle notifications.
 *
 * Probes run under the runqueue lock, where nothing may be sent or
 * woken. A group that changes state is queued once on a lock-free list
 * (event_pending says it already is, so a group flapping a thousand
 * times between two flushes costs one message) and the periodic work is
 * armed. Like PSI, the probe only arms the work's timer (a delayed work
 * with a non-zero delay queues nothing until the timer fires), which is
 * safe under the rq lock.
 *
 * The work looks every WFQ_WORK_PERIOD_MS while notifications are
 * pending and sends them at most every event_interval_ms, from process
 * context.
 */

#include <linux/jiffies.h>
#include <linux/workqueue.h>

#include "wfqmon.h"

#define WFQ_WORK_PERIOD_MS	4
#define WFQ_EVENT_PENDING	0

static LLIST_HEAD(wfq_event_list);
static atomic64_t wfq_nr_events_sent = ATOMIC64_INIT(0);
static atomic64_t wfq_nr_events_coalesced = ATOMIC64_INIT(0);
static unsigned long wfq_next_flush;

static void wfq_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(wfq_work, wfq_work_fn);

static unsigned long wfq_work_delay(void)
{
	return max(1UL, msecs_to_jiffies(WFQ_WORK_PERIOD_MS));
}

void wfq_work_kick(void)
{
	queue_delayed_work(system_unbound_wq, &wfq_work, wfq_work_delay());
}

/* From a probe: @g went idle -> active or back. */
void wfq_event_state_changed(struct wfq_group *g)
{
	if (test_and_set_bit(WFQ_EVENT_PENDING, &g->event_pending)) {
		atomic64_inc(&wfq_nr_events_coalesced);
		return;
	}
	/* The event holds a reference; a group being freed gets none. */
	if (!refcount_inc_not_zero(&g->ref)) {
		clear_bit(WFQ_EVENT_PENDING, &g->event_pending);
		return;
	}
	llist_add(&g->event_node, &wfq_event_list);
	wfq_work_kick();
}

static void wfq_events_flush(void)
{
	struct llist_node *list = llist_del_all(&wfq_event_list);
	struct wfq_group *g, *tmp;

	/* Reading a group's counters races with a reset otherwise. */
	mutex_lock(&wfq_lock);
	llist_for_each_entry_safe(g, tmp, list, event_node) {
		clear_bit(WFQ_EVENT_PENDING, &g->event_pending);
		/* Report the state now: what it settled on since the last flush. */
		if (!READ_ONCE(g->dead) &&
		    !wfq_nl_notify(g, READ_ONCE(g->active) ?
				   WFQMON_CMD_GROUP_ACTIVE_NTF :
				   WFQMON_CMD_GROUP_IDLE_NTF, GFP_KERNEL))
			atomic64_inc(&wfq_nr_events_sent);
		wfq_group_put(g);
	}
	mutex_unlock(&wfq_lock);
}

static void wfq_work_fn(struct work_struct *work)
{
	if (time_after_eq(jiffies, wfq_next_flush)) {
		wfq_events_flush();
		wfq_next_flush = jiffies + msecs_to_jiffies(wfq_event_interval_ms);
	}
	if (!llist_empty(&wfq_event_list))
		wfq_work_kick();
}

void wfq_events_init(void)
{
	wfq_next_flush = jiffies;
}

/* Probes are gone: stop the work and drop queued events. */
void wfq_events_stop(void)
{
	struct llist_node *list;
	struct wfq_group *g, *tmp;

	cancel_delayed_work_sync(&wfq_work);
	list = llist_del_all(&wfq_event_list);
	llist_for_each_entry_safe(g, tmp, list, event_node)
		wfq_group_put(g);
}

u64 wfq_events_sent(void)
{
	return atomic64_read(&wfq_nr_events_sent);
}

u64 wfq_events_coalesced(void)
{
	return atomic64_read(&wfq_nr_events_coalesced);
}
