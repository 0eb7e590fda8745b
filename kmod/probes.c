// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler tracepoint probes: the hot path.
 *
 * sched_switch ends the quantum of the task switching out (charging it,
 * see quantum.h) and starts timing the one switching in; the wake-up
 * probes count tasks runnable in their group (task.c).
 *
 * The wake-up probes run with the task's rq lock held and IRQs off, but
 * for a task waking itself (see wfq_probe_wakeup()); the fork/exit/free
 * probes run with IRQs on and disable them around what they share with
 * the others.
 */

#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include "compat.h"
#include "quantum.h"

DEFINE_PER_CPU(struct wfq_stats_pcpu, wfq_stats);

static unsigned int wfq_hist_bucket(u64 ns)
{
	unsigned int b = fls64(ns >> WFQMON_HIST_SHIFT);

	return min_t(unsigned int, b, WFQMON_HIST_BUCKETS - 1);
}

static void wfq_account_quantum_one(struct wfq_group *g, u64 quantum,
				    u64 wait)
{
	struct wfq_group_pcpu *pc = this_cpu_ptr(g->pcpu);
	u32 seq = READ_ONCE(g->reset_seq);

	if (pc->max_seq != seq) {
		pc->quantum_max_ns = 0;
		pc->wait_max_ns = 0;
		pc->max_seq = seq;
	}
	pc->sum.quanta++;
	pc->sum.hist[wfq_hist_bucket(quantum)]++;
	pc->quantum_max_ns = max(pc->quantum_max_ns, quantum);
	pc->sum.wait_ns += wait;
	pc->sum.wait_hist[wfq_hist_bucket(wait)]++;
	pc->wait_max_ns = max(pc->wait_max_ns, wait);
}

/* A group's counters cover its subtree: count it at every level. */
static void wfq_account_quantum(struct wfq_group *g, u64 quantum, u64 wait)
{
	do {
		wfq_account_quantum_one(g, quantum, wait);
		g = READ_ONCE(g->parent);
	} while (unlikely(g));
}

static void wfq_switch(struct wfq_cpu_quantum *cq, bool preempt,
		       struct task_struct *prev, struct task_struct *next)
{
	struct wfq_group *g;
	struct css_set *cset;
	unsigned long gen;

	if (cq->curr == prev) {
		g = wfq_quantum_group(cq);
		wfq_quantum_charge(cq, g);
		if (g)
			wfq_account_quantum(g, cq->runtime_charged - cq->runtime_at_in,
					    wfq_task_run_delay(prev) - cq->run_delay_at_in);
	}

	/*
	 * prev_state is sampled before a pending signal may have kept the
	 * task runnable; the current state says whether it really blocked.
	 */
	if (!preempt && wfq_task_state(prev) != TASK_RUNNING)
		wfq_task_blocked(prev, wfq_task_state(prev) & TASK_DEAD);

	if (is_idle_task(next)) {
		cq->curr = NULL;
		return;
	}
	cset = rcu_dereference_sched(next->cgroups);
	gen = wfq_bind_generation();
	g = wfq_group_of_task(next);
	wfq_quantum_start(cq, next, g, gen, cset);
	if (g) {
		if (next != cq->counted || g != cq->counted_group ||
		    gen != cq->counted_gen)
			wfq_task_runnable(next, g, gen);
		wfq_charge_timer_arm(cq);
	} else {
		/* It may have left a group while it waited to run. */
		wfq_task_ungrouped(next);
	}
	cq->counted = NULL;
}

static void wfq_probe_switch(void *data,
			     WFQ_SCHED_SWITCH_PARAMS)
{
	struct wfq_cpu_quantum *cq = this_cpu_ptr(&wfq_cpu_quanta);

	this_cpu_inc(wfq_stats.switches);
	/*
	 * Nothing to charge while no group exists. Forget the task timed
	 * here: its record goes stale, and the first group's kick starts
	 * timing afresh.
	 */
	if (unlikely(!atomic_read(&wfq_nr_groups))) {
		cq->curr = NULL;
		return;
	}
	wfq_switch(cq, preempt, prev, next);
}

static void wfq_probe_wakeup(void *data, struct task_struct *p)
{
	struct wfq_cpu_quantum *cq = this_cpu_ptr(&wfq_cpu_quanta);
	struct wfq_group *g;
	unsigned long gen;

	this_cpu_inc(wfq_stats.wakeups);
	/*
	 * Woken before it got to block, the running task never left the
	 * runqueue: it is counted already. try_to_wake_up() takes no lock
	 * for it and may run with IRQs on (a timer softirq waking the task
	 * it interrupted), so nothing below may run.
	 */
	if (p == current)
		return;
	/* Read before the lookup: the group is good for this generation. */
	gen = wfq_bind_generation();
	g = wfq_group_of_task(p);
	if (!g)
		return;
	wfq_task_runnable(p, g, gen);
	cq->counted = p;
	cq->counted_group = g;
	cq->counted_gen = gen;
}

/* fork/exit run with IRQs on: keep the shared per-CPU cache consistent. */
static void wfq_count_task_event(struct task_struct *p, bool fork)
{
	struct wfq_group *g;
	unsigned long flags;

	local_irq_save(flags);
	if (fork)
		this_cpu_inc(wfq_stats.forks);
	else
		this_cpu_inc(wfq_stats.exits);
	for (g = wfq_group_of_task(p); g; g = READ_ONCE(g->parent)) {
		if (fork)
			this_cpu_inc(g->pcpu->sum.forks);
		else
			this_cpu_inc(g->pcpu->sum.exits);
	}
	local_irq_restore(flags);
}

static void wfq_probe_fork(void *data, struct task_struct *parent,
			   struct task_struct *child)
{
	wfq_count_task_event(child, true);
}

static void wfq_probe_exit(void *data, WFQ_SCHED_EXIT_PARAMS)
{
	wfq_count_task_event(p, false);
}

static void wfq_probe_free(void *data, struct task_struct *p)
{
	unsigned long flags;

	local_irq_save(flags);
	wfq_task_forget(p);
	local_irq_restore(flags);
}

struct wfq_probe {
	const char *name;
	void *func;
	struct tracepoint *tp;
};

static struct wfq_probe wfq_probes[] = {
	{ "sched_switch", wfq_probe_switch },
	{ "sched_wakeup", wfq_probe_wakeup },
	{ "sched_wakeup_new", wfq_probe_wakeup },
	{ "sched_process_fork", wfq_probe_fork },
	{ "sched_process_exit", wfq_probe_exit },
	{ "sched_process_free", wfq_probe_free },
};

/* Compile-time checks that each probe matches its tracepoint. */
static void __maybe_unused wfq_probes_check_types(void)
{
	check_trace_callback_type_sched_switch(wfq_probe_switch);
	check_trace_callback_type_sched_wakeup(wfq_probe_wakeup);
	check_trace_callback_type_sched_wakeup_new(wfq_probe_wakeup);
	check_trace_callback_type_sched_process_fork(wfq_probe_fork);
	check_trace_callback_type_sched_process_exit(wfq_probe_exit);
	check_trace_callback_type_sched_process_free(wfq_probe_free);
}

/* The sched tracepoints are not exported: find them by name. */
static void wfq_find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(wfq_probes); i++)
		if (!strcmp(tp->name, wfq_probes[i].name))
			wfq_probes[i].tp = tp;
}

int wfq_probes_register(void)
{
	int i, err;

	err = wfq_charge_timers_init();
	if (err)
		return err;

	for_each_kernel_tracepoint(wfq_find_tracepoint, NULL);
	for (i = 0; i < ARRAY_SIZE(wfq_probes); i++) {
		if (!wfq_probes[i].tp) {
			pr_err("tracepoint %s not found\n", wfq_probes[i].name);
			err = -ENOENT;
			goto err_unregister;
		}
		err = tracepoint_probe_register(wfq_probes[i].tp,
						wfq_probes[i].func, NULL);
		if (err) {
			pr_err("cannot attach to tracepoint %s: %d\n",
			       wfq_probes[i].name, err);
			goto err_unregister;
		}
	}
	return 0;

err_unregister:
	while (--i >= 0)
		tracepoint_probe_unregister(wfq_probes[i].tp,
					    wfq_probes[i].func, NULL);
	tracepoint_synchronize_unregister();
	wfq_charge_timers_cancel();
	return err;
}

/*
 * On return no probe is running or will run again. The charge timers
 * may: requests still in progress can kick them (wfq_charge_timers_kick()).
 */
void wfq_probes_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(wfq_probes) - 1; i >= 0; i--)
		tracepoint_probe_unregister(wfq_probes[i].tp,
					    wfq_probes[i].func, NULL);
	tracepoint_synchronize_unregister();
}
