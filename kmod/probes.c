// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler tracepoint probes: the hot path.
 *
 * Runtime is measured from the task itself, so it is the same number the
 * scheduler and cgroup cpu.stat use: when a task switches in, its CPU's
 * wfq_rq records se.sum_exec_runtime; sched_stat_runtime (every tick and
 * update_curr()) and the switch-out charge the growth since the last
 * charge. One switch-in to switch-out is one quantum. Likewise the wait
 * before a quantum is the growth of the task's sched_info.run_delay,
 * which the scheduler adds when the task arrives on the CPU.
 *
 * A wfq_rq belongs to a runqueue and is only touched under that rq's
 * lock: sched_switch runs on the rq's own CPU, sched_stat_runtime may run
 * on another CPU for a remote rq but holds the remote lock.
 *
 * Everything here runs with IRQs off except the fork/exit/free probes,
 * which disable them around what they share with the others.
 */

#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/ktime.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include "wfqmon.h"

struct wfq_rq {
	struct task_struct *curr;	/* task whose quantum we are timing */
	u64 runtime_at_in;		/* curr's sum_exec_runtime at switch-in */
	u64 runtime_charged;		/* ... up to which it has been charged */
	u64 run_delay_at_in;		/* curr's run_delay at switch-in */
};

static DEFINE_PER_CPU(struct wfq_rq, wfq_rqs);
DEFINE_PER_CPU(struct wfq_stats_pcpu, wfq_stats);

static u64 wfq_task_run_delay(struct task_struct *p)
{
#ifdef CONFIG_SCHED_INFO
	return p->sched_info.run_delay;
#else
	return 0;
#endif
}

static void wfq_rq_start(struct wfq_rq *rq, struct task_struct *p)
{
	rq->curr = p;
	rq->runtime_at_in = p->se.sum_exec_runtime;
	rq->runtime_charged = rq->runtime_at_in;
	rq->run_delay_at_in = wfq_task_run_delay(p);
}

/* Charge rq->curr's runtime since the last charge to its group. */
static struct wfq_group *wfq_rq_charge(struct wfq_rq *rq)
{
	struct task_struct *p = rq->curr;
	u64 sum = p->se.sum_exec_runtime;
	struct wfq_group *g;
	u64 delta = sum - rq->runtime_charged;

	rq->runtime_charged = sum;
	g = wfq_group_of_task(p, true);
	if (g && delta) {
		wfq_vtime_charge(g, delta);
		this_cpu_add(wfq_stats.charged_ns, delta);
	}
	return g;
}

static unsigned int wfq_hist_bucket(u64 ns)
{
	unsigned int b = fls64(ns >> WFQMON_HIST_SHIFT);

	return min_t(unsigned int, b, WFQMON_HIST_BUCKETS - 1);
}

static void wfq_account_quantum(struct wfq_group *g, u64 quantum, u64 wait)
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

static void wfq_probe_switch(void *data, bool preempt,
			     struct task_struct *prev,
			     struct task_struct *next,
			     unsigned int prev_state)
{
	struct wfq_rq *rq = this_cpu_ptr(&wfq_rqs);
	struct wfq_group *g;

	this_cpu_inc(wfq_stats.switches);

	if (rq->curr == prev) {
		g = wfq_rq_charge(rq);
		if (g)
			wfq_account_quantum(g, rq->runtime_charged - rq->runtime_at_in,
					    wfq_task_run_delay(prev) - rq->run_delay_at_in);
	}

	/*
	 * prev_state is sampled before a pending signal may have kept the
	 * task runnable; the current state says whether it really blocked.
	 */
	if (!preempt && READ_ONCE(prev->__state) != TASK_RUNNING)
		wfq_task_blocked(prev, READ_ONCE(prev->__state) & TASK_DEAD);

	if (is_idle_task(next)) {
		rq->curr = NULL;
		return;
	}
	wfq_rq_start(rq, next);
	g = wfq_group_of_task(next, true);
	if (g)
		wfq_task_runnable(next, g);
}

static void wfq_stat_runtime(struct task_struct *p)
{
	struct wfq_rq *rq = per_cpu_ptr(&wfq_rqs, task_cpu(p));

	this_cpu_inc(wfq_stats.runtime_events);
	if (rq->curr == p) {
		wfq_rq_charge(rq);
		return;
	}
	/* First sight of a task already running when we were loaded. */
	if (!rq->curr && READ_ONCE(p->on_cpu) && !is_idle_task(p))
		wfq_rq_start(rq, p);
}

/* sched_stat_runtime lost its vruntime argument in 6.8. */
static void __maybe_unused wfq_probe_stat_runtime(void *data,
						  struct task_struct *p,
						  u64 runtime)
{
	wfq_stat_runtime(p);
}

static void __maybe_unused wfq_probe_stat_runtime_vruntime(void *data,
							   struct task_struct *p,
							   u64 runtime,
							   u64 vruntime)
{
	wfq_stat_runtime(p);
}

#define WFQ_STAT_RUNTIME_PROBE						\
	__builtin_choose_expr(__builtin_types_compatible_p(		\
		typeof(check_trace_callback_type_sched_stat_runtime) *, \
		void (*)(void (*)(void *, struct task_struct *, u64, u64))), \
		wfq_probe_stat_runtime_vruntime, wfq_probe_stat_runtime)

static void wfq_probe_wakeup(void *data, struct task_struct *p)
{
	struct wfq_group *g;

	this_cpu_inc(wfq_stats.wakeups);
	g = wfq_group_of_task(p, true);
	if (g)
		wfq_task_runnable(p, g);
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
	g = wfq_group_of_task(p, true);
	if (g) {
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

static void wfq_probe_exit(void *data, struct task_struct *p)
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
	{ "sched_stat_runtime", WFQ_STAT_RUNTIME_PROBE },
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
	check_trace_callback_type_sched_stat_runtime(WFQ_STAT_RUNTIME_PROBE);
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
	return err;
}

/* On return no probe is running or will run again. */
void wfq_probes_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(wfq_probes) - 1; i >= 0; i--)
		tracepoint_probe_unregister(wfq_probes[i].tp,
					    wfq_probes[i].func, NULL);
	tracepoint_synchronize_unregister();
}
