// SPDX-License-Identifier: GPL-2.0
/*
 * The charge timer: one pinned hard-IRQ hrtimer per CPU.
 *
 * A quantum can last long (a task alone on its CPU may never switch
 * out), so the timer charges the running task every WFQ_CHARGE_PERIOD_NS
 * while it is in a group, and gives the virtual time its tick (re-key,
 * stalled groups: vtime.c). It replaces a probe on sched_stat_runtime,
 * which fires from every update_curr(), several times per context
 * switch: that probe cost the scheduler more than all the other probes'
 * work together (Documentation/performance.rst). Each CPU's timer lives
 * and dies with the CPU through the CPU hotplug state machine.
 */

#include <linux/cpuhotplug.h>
#include <linux/smp.h>

#include "compat.h"
#include "quantum.h"

DEFINE_PER_CPU(struct wfq_cpu_quantum, wfq_cpu_quanta);

/* Our CPU hotplug state (dynamic), 0 while not set up. */
static int wfq_cpuhp_state;

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
	struct wfq_cpu_quantum *cq = container_of(timer, struct wfq_cpu_quantum,
						  charge_timer);
	struct task_struct *p = current;
	struct wfq_group *g = NULL;
	struct css_set *cset;
	unsigned long gen;

	/* Cancelled before its CPU goes down (wfq_cpu_offline()): never migrated. */
	if (WARN_ON_ONCE(cq != this_cpu_ptr(&wfq_cpu_quanta)))
		return HRTIMER_NORESTART;
	if (is_idle_task(p)) {
		cq->curr = NULL;
		goto stop;
	}
	cset = rcu_dereference_sched(p->cgroups);
	gen = wfq_bind_generation();
	g = wfq_group_of_task(p);
	if (cq->curr != p)
		wfq_quantum_start(cq, p, g, gen, cset);
	cq->group = g;
	cq->gen = gen;
	cq->cset = cset;
	wfq_quantum_charge(cq, g);
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
	cq->timer_armed = false;
	return HRTIMER_NORESTART;
}

static void wfq_kick_cpu(void *unused)
{
	struct wfq_cpu_quantum *cq = this_cpu_ptr(&wfq_cpu_quanta);

	/* The timer starts timing current if the record does not. */
	if (!is_idle_task(current))
		wfq_charge_timer_arm(cq);
}

/*
 * A binding changed: tasks that are running now, and so will not switch
 * in soon, may just have come into a group. Have every CPU look.
 */
void wfq_charge_timers_kick(void)
{
	on_each_cpu(wfq_kick_cpu, NULL, 1);
}

/*
 * CPU hotplug, on the CPU coming up: forget what it timed before it went
 * down (that task may be gone) and let its next switch-in arm the timer.
 */
static int wfq_cpu_online(unsigned int cpu)
{
	struct wfq_cpu_quantum *cq = this_cpu_ptr(&wfq_cpu_quanta);

	local_irq_disable();
	cq->curr = NULL;
	cq->counted = NULL;
	cq->timer_armed = false;
	cq->online = true;
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
	struct wfq_cpu_quantum *cq = this_cpu_ptr(&wfq_cpu_quanta);

	local_irq_disable();
	cq->online = false;
	local_irq_enable();
	hrtimer_cancel(&cq->charge_timer);
	local_irq_disable();
	cq->timer_armed = false;
	cq->curr = NULL;
	local_irq_enable();
	return 0;
}

/* Set up every CPU's timer; on success they run from now on. */
int wfq_charge_timers_init(void)
{
	int cpu, err;

	for_each_possible_cpu(cpu) {
		struct wfq_cpu_quantum *cq = per_cpu_ptr(&wfq_cpu_quanta, cpu);

		wfq_hrtimer_setup(&cq->charge_timer, wfq_charge_tick,
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
	return 0;
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
