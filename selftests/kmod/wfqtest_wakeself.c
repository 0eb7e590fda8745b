// SPDX-License-Identifier: GPL-2.0
/*
 * Selftest helper: the task that loads this module wakes itself
 * @wakeups times, each time after setting a sleep state, as kernel code
 * does when its wake-up comes before it got to schedule(). For the
 * running task try_to_wake_up() takes a shortcut: no rq lock and, here,
 * IRQs on. The sched_wakeup probes must cope with that; on a lockdep
 * kernel a probe that assumes IRQs off warns.
 */

#include <linux/module.h>
#include <linux/sched.h>

static unsigned int wakeups = 1000;
module_param(wakeups, uint, 0444);
MODULE_PARM_DESC(wakeups, "Times the loading task wakes itself");

static int __init wfqtest_wakeself_init(void)
{
	unsigned int i, woken = 0;

	for (i = 0; i < wakeups; i++) {
		set_current_state(TASK_INTERRUPTIBLE);
		woken += wake_up_process(current);
	}
	__set_current_state(TASK_RUNNING);
	pr_info("the loading task woke itself %u of %u times\n", woken,
		wakeups);
	return woken == wakeups ? 0 : -EIO;
}

static void __exit wfqtest_wakeself_exit(void)
{
}

module_init(wfqtest_wakeself_init);
module_exit(wfqtest_wakeself_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("wfqmon selftest helper: a task that wakes itself");
