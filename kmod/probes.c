// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduler tracepoint probes and the charge timer: the hot path.
 *
 * Runtime is measured from the task itself, so it is the same number the
 * scheduler and cgroup cpu.stat use: when a task switches in, its CPU's
 * wfq_rq records se.sum_exec_runtime, and the growth since the last
 * charge is charged at switch-out. One switch-in to switch-out is one
 * quantum. Likewise the wait before a quantum is the growth of the
 * task's sched_info.run_delay, which the scheduler adds when the task
 * arrives on the CPU.
 *
 * A quantum can last long (a task alone on its CPU may never switch
 * out), so a per-CPU charge timer also charges the running task every
 * WFQ_CHARGE_PERIOD_NS while it is in a group. That timer replaces a
 * probe on sched_stat_runtime, which fires from every update_curr(),
 * several times per context switch: the probe cost the scheduler more
 * than all the other probes' work together (Documentation/performance.rst).
 *
 * A wfq_rq is only touched on its own CPU with IRQs off: by sched_switch
 * (which runs on the rq's CPU), by the charge timer (hardirq) and by the
 * kick that arms it (IPI), so these never run concurrently.
 *
 * The group found at switch-in is kept in the wfq_rq with the bind
 * generation it was looked up under and the task's css_set: while the
 * generation is unchanged no binding has changed, so the group still
 * exists (see group.c), and while the css_set is the same the task has
 * not moved to another cgroup, so the switch-out need not look it up
 * again.
 *
 * The wake-up probes run with the task's rq lock held and IRQs off, but
 * for a task waking itself (see wfq_probe_wakeup()); the fork/exit/free
 * probes run with IRQs on and disable them around what they share with
 * the others.
 */

#include <linux/cpuhotplug.h>
#include <linux/hrtimer.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/smp.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

#include "compat.h"
#include "wfqmon.h"

/*
 * Longest a running task goes uncharged: readers and s_min see a CPU
 * hog's runtime at most this late. At 250 Hz per busy CPU the timer
 * costs far less than the sched_stat_runtime probe it replaces.
 */
#define WFQ_CHARGE_PERIOD_NS	(4 * NSEC_PER_MSEC)

struct wfq_rq {
	struct task_struct *curr;	/* task whose quantum we are timing */
	struct wfq_group *group;	/* curr's group, NULL if none ... */
	unsigned long gen;		/* ... as of this bind generation */
	struct css_set *cset;		/* ... and of this css_set of curr */
	u64 runtime_at_in;		/* curr's sum_exec_runtime at switch-in */
	u64 runtime_charged;		/* ... up to which it has been charged */
	u64 run_delay_at_in;		/* curr's run_delay at switch-in */
	struct hrtimer charge_timer;	/* pinned to this CPU, hard IRQ */
	bool timer_armed;
	bool online;			/* the timer may be armed here */
	/*
	 * The last task a wake-up on this CPU counted runnable, in which
	 * group, under which bind generation: its switch-in here need not
	 * check its slot again. Only a hint, consumed by the next
	 * switch-in; a task is only uncounted when it blocks, after it ran.
	 */
	struct task_struct *counted;
	struct wfq_group *counted_group;
	unsigned long counted_gen;
};

static DEFINE_PER_CPU(struct wfq_rq, wfq_rqs);
DEFINE_PER_CPU(struct wfq_stats_pcpu, wfq_stats);

/* Our CPU hotplug state (dynamic), 0 while not set up. */
static int wfq_cpuhp_state;

static u64 wfq_task_run_delay(struct task_struct *p)
{
#ifdef CONFIG_SCHED_INFO
	return p->sched_info.run_delay;
#else
	return 0;
#endif
}

/* @g was looked up after reading @gen and @cset: each may only be older. */
static void wfq_rq_start(struct wfq_rq *rq, struct task_struct *p,
			 struct wfq_group *g, unsigned long gen,
			 struct css_set *cset)
{
	rq->curr = p;
	rq->group = g;
	rq->gen = gen;
	rq->cset = cset;
	rq->runtime_at_in = p->se.sum_exec_runtime;
	rq->runtime_charged = rq->runtime_at_in;
	rq->run_delay_at_in = wfq_task_run_delay(p);
}

/*
 * rq->curr's group; looked up again only if a binding changed or the
 * task moved to another cgroup while it ran (cgroup.procs written by
 * another task), so that cpu.stat and the group agree on its time.
 */
static struct wfq_group *wfq_rq_group(struct wfq_rq *rq)
{
	struct css_set *cset = rcu_dereference_sched(rq->curr->cgroups);
	unsigned long gen = wfq_bind_generation();

	if (rq->gen != gen || rq->cset != cset) {
		rq->group = wfq_group_of_task(rq->curr);
		rq->gen = gen;
		rq->cset = cset;
	}
	return rq->group;
}

/* Charge rq->curr's runtime since the last charge to @g. */
static void wfq_rq_charge(struct wfq_rq *rq, struct wfq_group *g)
{
	u64 sum = rq->curr->se.sum_exec_runtime;
	u64 delta = sum - rq->runtime_charged;

	rq->runtime_charged = sum;
	if (g && delta) {
		wfq_vtime_charge(g, delta);
		this_cpu_add(wfq_stats.charged_ns, delta);
	}
}

static void wfq_rq_arm_timer(struct wfq_rq *rq)
{
	if (rq->timer_armed || !rq->online)
		return;
	rq->timer_armed = true;
	hrtimer_start(&rq->charge_timer, ns_to_ktime(WFQ_CHARGE_PERIOD_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

/*
 * Charge whatever runs here now. The group is looked up afresh, so a
 * task moved to another cgroup while running is charged to its new
 * group from the next period on. A task we never saw switch in (it was
 * running when a group was made for it) is picked up here. The timer
 * stops once this CPU runs nothing in a group; the next switch-in of a
 * task in a group arms it again.
 */
static enum hrtimer_restart wfq_charge_tick(struct hrtimer *timer)
{
	struct wfq_rq *rq = container_of(timer, struct wfq_rq, charge_timer);
	struct task_struct *p = current;
	struct wfq_group *g = NULL;
	struct css_set *cset;
	unsigned long gen;

	/* Cancelled before its CPU goes down (wfq_cpu_offline()): never migrated. */
	if (WARN_ON_ONCE(rq != this_cpu_ptr(&wfq_rqs)))
		return HRTIMER_NORESTART;
	if (is_idle_task(p)) {
		rq->curr = NULL;
		goto stop;
	}
	cset = rcu_dereference_sched(p->cgroups);
	gen = wfq_bind_generation();
	g = wfq_group_of_task(p);
	if (rq->curr != p)
		wfq_rq_start(rq, p, g, gen, cset);
	rq->group = g;
	rq->gen = gen;
	rq->cset = cset;
	wfq_rq_charge(rq, g);
	if (!g) {
		/* Moved out of its group while running: that group may be idle now. */
		wfq_task_ungrouped(p);
		goto stop;
	}
	wfq_vtime_tick(g);
	this_cpu_inc(wfq_stats.runtime_events);
	hrtimer_forward_now(timer, ns_to_ktime(WFQ_CHARGE_PERIOD_NS));
	return HRTIMER_RESTART;
stop:
	rq->timer_armed = false;
	return HRTIMER_NORESTART;
}

static void wfq_kick_cpu(void *unused)
{
	struct wfq_rq *rq = this_cpu_ptr(&wfq_rqs);

	/* The timer starts timing current if the record does not. */
	if (!is_idle_task(current))
		wfq_rq_arm_timer(rq);
}

/*
 * A binding changed: tasks that are running now, and so will not switch
 * in soon, may just have come into a group. Have every CPU look.
 */
void wfq_probes_kick(void)
{
	on_each_cpu(wfq_kick_cpu, NULL, 1);
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

static void wfq_switch(struct wfq_rq *rq, bool preempt,
		       struct task_struct *prev, struct task_struct *next)
{
	struct wfq_group *g;
	struct css_set *cset;
	unsigned long gen;

	if (rq->curr == prev) {
		g = wfq_rq_group(rq);
		wfq_rq_charge(rq, g);
		if (g)
			wfq_account_quantum(g, rq->runtime_charged - rq->runtime_at_in,
					    wfq_task_run_delay(prev) - rq->run_delay_at_in);
	}

	/*
	 * prev_state is sampled before a pending signal may have kept the
	 * task runnable; the current state says whether it really blocked.
	 */
	if (!preempt && wfq_task_state(prev) != TASK_RUNNING)
		wfq_task_blocked(prev, wfq_task_state(prev) & TASK_DEAD);

	if (is_idle_task(next)) {
		rq->curr = NULL;
		return;
	}
	cset = rcu_dereference_sched(next->cgroups);
	gen = wfq_bind_generation();
	g = wfq_group_of_task(next);
	wfq_rq_start(rq, next, g, gen, cset);
	if (g) {
		if (next != rq->counted || g != rq->counted_group ||
		    gen != rq->counted_gen)
			wfq_task_runnable(next, g, gen);
		wfq_rq_arm_timer(rq);
	} else {
		/* It may have left a group while it waited to run. */
		wfq_task_ungrouped(next);
	}
	rq->counted = NULL;
}

static void wfq_probe_switch(void *data,
			     WFQ_SCHED_SWITCH_PARAMS)
{
	struct wfq_rq *rq = this_cpu_ptr(&wfq_rqs);

	this_cpu_inc(wfq_stats.switches);
	/*
	 * Nothing to charge while no group exists. Forget the task timed
	 * here: its record goes stale, and the first group's kick starts
	 * timing afresh.
	 */
	if (unlikely(!atomic_read(&wfq_nr_groups))) {
		rq->curr = NULL;
		return;
	}
	wfq_switch(rq, preempt, prev, next);
}

static void wfq_probe_wakeup(void *data, struct task_struct *p)
{
	struct wfq_rq *rq = this_cpu_ptr(&wfq_rqs);
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
	rq->counted = p;
	rq->counted_group = g;
	rq->counted_gen = gen;
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
	g = wfq_group_of_task(p);
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

/*
 * CPU hotplug, on the CPU coming up: forget what it timed before it went
 * down (that task may be gone) and let its next switch-in arm the timer.
 */
static int wfq_cpu_online(unsigned int cpu)
{
	struct wfq_rq *rq = this_cpu_ptr(&wfq_rqs);

	local_irq_disable();
	rq->curr = NULL;
	rq->counted = NULL;
	rq->timer_armed = false;
	rq->online = true;
	local_irq_enable();
	return 0;
}

/*
 * On the CPU going down, after the scheduler has stopped placing tasks
 * on it: stop its timer here rather than let hrtimer migrate it to a
 * CPU that would run it on the wrong record. Probes and kicks still
 * running here see !online and do not arm it again.
 */
static int wfq_cpu_offline(unsigned int cpu)
{
	struct wfq_rq *rq = this_cpu_ptr(&wfq_rqs);

	local_irq_disable();
	rq->online = false;
	local_irq_enable();
	hrtimer_cancel(&rq->charge_timer);
	local_irq_disable();
	rq->timer_armed = false;
	rq->curr = NULL;
	local_irq_enable();
	return 0;
}

int wfq_probes_register(void)
{
	int i, cpu, err;

	for_each_possible_cpu(cpu) {
		struct wfq_rq *rq = per_cpu_ptr(&wfq_rqs, cpu);

		wfq_hrtimer_setup(&rq->charge_timer, wfq_charge_tick,
				  CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	}
	/* Runs wfq_cpu_online() on every CPU up now. */
	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "wfqmon:charge_timer",
				wfq_cpu_online, wfq_cpu_offline);
	if (err < 0) {
		pr_err("cannot set up the CPU hotplug state: %d\n", err);
		return err;
	}
	wfq_cpuhp_state = err;

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
 * may: requests still in progress can kick them (wfq_probes_kick()).
 */
void wfq_probes_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(wfq_probes) - 1; i >= 0; i--)
		tracepoint_probe_unregister(wfq_probes[i].tp,
					    wfq_probes[i].func, NULL);
	tracepoint_synchronize_unregister();
}

/*
 * Once no probe can arm them again: on return no charge timer is pending
 * or running, and none will be armed (removing the hotplug state runs
 * wfq_cpu_offline() on every CPU up; a CPU down has no timer).
 */
void wfq_charge_timers_cancel(void)
{
	if (!wfq_cpuhp_state)
		return;
	cpuhp_remove_state(wfq_cpuhp_state);
	wfq_cpuhp_state = 0;
}
