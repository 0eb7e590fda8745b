/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-CPU quantum record: what one CPU is timing.
 *
 * Runtime is measured from the task itself, so it is the same number the
 * scheduler and cgroup cpu.stat use: when a task switches in, its CPU's
 * record keeps se.sum_exec_runtime, and the growth since the last charge
 * is charged at switch-out (probes.c) and by the charge timer while it
 * runs (charge.c). One switch-in to switch-out is one quantum. Likewise
 * the wait before a quantum is the growth of the task's
 * sched_info.run_delay, which the scheduler adds when the task arrives
 * on the CPU.
 *
 * A record is only touched on its own CPU with IRQs off: by sched_switch
 * (which runs on that CPU), by the charge timer (hardirq) and by the
 * kick that arms it (IPI), so these never run concurrently. It is not
 * the scheduler's runqueue and takes no lock.
 *
 * The group found at switch-in is kept in the record with the bind
 * generation it was looked up under and the task's css_set: while the
 * generation is unchanged no binding has changed, so the group still
 * exists (see group.c), and while the css_set is the same the task has
 * not moved to another cgroup, so the switch-out need not look it up
 * again.
 *
 * The helpers are inline: they are the hot path of every switch.
 */
#ifndef _WFQMON_QUANTUM_H
#define _WFQMON_QUANTUM_H

#include <linux/hrtimer.h>
#include <linux/sched.h>

#include "wfqmon.h"

/*
 * Longest a running task goes uncharged: readers and s_min see a CPU
 * hog's runtime at most this late. At 250 Hz per busy CPU the timer
 * costs far less than the sched_stat_runtime probe it replaces.
 */
#define WFQ_CHARGE_PERIOD_NS	(4 * NSEC_PER_MSEC)

struct wfq_cpu_quantum {
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

DECLARE_PER_CPU(struct wfq_cpu_quantum, wfq_cpu_quanta);

static inline u64 wfq_task_run_delay(struct task_struct *p)
{
#ifdef CONFIG_SCHED_INFO
	return p->sched_info.run_delay;
#else
	return 0;
#endif
}

/* @g was looked up after reading @gen and @cset: each may only be older. */
static inline void wfq_quantum_start(struct wfq_cpu_quantum *cq,
				     struct task_struct *p,
				     struct wfq_group *g, unsigned long gen,
				     struct css_set *cset)
{
	cq->curr = p;
	cq->group = g;
	cq->gen = gen;
	cq->cset = cset;
	cq->runtime_at_in = p->se.sum_exec_runtime;
	cq->runtime_charged = cq->runtime_at_in;
	cq->run_delay_at_in = wfq_task_run_delay(p);
}

/*
 * cq->curr's group; looked up again only if a binding changed or the
 * task moved to another cgroup while it ran (cgroup.procs written by
 * another task), so that cpu.stat and the group agree on its time.
 */
static inline struct wfq_group *wfq_quantum_group(struct wfq_cpu_quantum *cq)
{
	struct css_set *cset = rcu_dereference_sched(cq->curr->cgroups);
	unsigned long gen = wfq_bind_generation();

	if (cq->gen != gen || cq->cset != cset) {
		cq->group = wfq_group_of_task(cq->curr);
		cq->gen = gen;
		cq->cset = cset;
	}
	return cq->group;
}

/* Charge cq->curr's runtime since the last charge to @g. */
static inline void wfq_quantum_charge(struct wfq_cpu_quantum *cq,
				      struct wfq_group *g)
{
	u64 sum = cq->curr->se.sum_exec_runtime;
	u64 delta = sum - cq->runtime_charged;

	cq->runtime_charged = sum;
	if (g && delta) {
		wfq_vtime_charge(g, delta);
		this_cpu_add(wfq_stats.charged_ns, delta);
	}
}

/* Start this CPU's charge timer (charge.c) unless it runs already. */
static inline void wfq_charge_timer_arm(struct wfq_cpu_quantum *cq)
{
	if (cq->timer_armed || !cq->online)
		return;
	cq->timer_armed = true;
	hrtimer_start(&cq->charge_timer, ns_to_ktime(WFQ_CHARGE_PERIOD_NS),
		      HRTIMER_MODE_REL_PINNED_HARD);
}

#endif /* _WFQMON_QUANTUM_H */
