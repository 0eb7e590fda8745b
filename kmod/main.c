// SPDX-License-Identifier: GPL-2.0
/*
 * wfqmon: makes weighted fair sharing of CPU between container groups
 * visible. Module parameters, load and unload.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "compat.h"
#include "wfqmon.h"

unsigned int wfq_max_groups = 16384;
module_param_named(max_groups, wfq_max_groups, uint, 0444);
MODULE_PARM_DESC(max_groups, "Most groups that may exist at once (default 16384)");

unsigned int wfq_max_tasks = 32768;
module_param_named(max_tasks, wfq_max_tasks, uint, 0444);
MODULE_PARM_DESC(max_tasks, "Tasks that may run in groups at once: each keeps a slot until it exits (default 32768)");

unsigned int wfq_event_interval_ms = 100;
module_param_named(event_interval_ms, wfq_event_interval_ms, uint, 0444);
MODULE_PARM_DESC(event_interval_ms, "Shortest interval between two active/idle notifications of a group (default 100)");

static int wfq_check_params(void)
{
	if (wfq_max_groups < 1 || wfq_max_groups > (1U << 20)) {
		pr_err("max_groups must be 1..%u\n", 1U << 20);
		return -EINVAL;
	}
	if (wfq_max_tasks < 64 || wfq_max_tasks > (1U << 24)) {
		pr_err("max_tasks must be 64..%u\n", 1U << 24);
		return -EINVAL;
	}
	if (wfq_event_interval_ms < 1 || wfq_event_interval_ms > 60000) {
		pr_err("event_interval_ms must be 1..60000\n");
		return -EINVAL;
	}
	return 0;
}

static int __init wfq_init(void)
{
	int err;

	err = wfq_check_params();
	if (err)
		return err;
	err = wfq_tasks_init();
	if (err)
		return err;
	wfq_events_init();
	err = wfq_probes_register();
	if (err)
		goto err_tasks_exit;
	err = wfq_family_register();
	if (err)
		goto err_probes_unregister;
	return 0;

err_probes_unregister:
	wfq_probes_unregister();
	wfq_charge_timers_cancel();
	wfq_events_stop();
err_tasks_exit:
	wfq_tasks_exit();
	return err;
}

/*
 * Probes first: once tracepoint_synchronize_unregister() returns nothing
 * touches groups or task slots but the work, which is stopped next, so
 * no notification is sent after the family goes, and the charge timers.
 * No request can run after genl_unregister_family() (a dump in progress
 * holds a module reference, so we cannot get here during one), so then
 * nothing can arm a timer again and they are cancelled for good. Then
 * the groups go, and rcu_barrier() waits for their RCU frees.
 */
static void __exit wfq_exit(void)
{
	wfq_probes_unregister();
	wfq_events_stop();
	genl_unregister_family(&wfq_family);
	wfq_charge_timers_cancel();
	wfq_groups_destroy_all();
	rcu_barrier();
	wfq_tasks_exit();
}

module_init(wfq_init);
module_exit(wfq_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Per-container-group CPU accounting with WFQ virtual time");
MODULE_AUTHOR("The wfqmon developers");
