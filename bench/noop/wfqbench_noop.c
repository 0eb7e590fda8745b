// SPDX-License-Identifier: GPL-2.0
/*
 * wfqbench_noop: a probe on sched_switch that does nothing.
 *
 * It is the floor any tracepoint-based monitor pays: the call through the
 * tracepoint's static call / iterator plus an empty function. make bench
 * compares wfqmon against it (configuration a'). It attaches the same way
 * wfqmon does: sched_switch is not exported, so it is found by name with
 * for_each_kernel_tracepoint() and attached with
 * tracepoint_probe_register().
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>

static struct tracepoint *noop_tp;

static void noop_probe_switch(void *data, bool preempt,
			      struct task_struct *prev,
			      struct task_struct *next,
			      unsigned int prev_state)
{
}

static void __maybe_unused noop_check_types(void)
{
	check_trace_callback_type_sched_switch(noop_probe_switch);
}

static void noop_find_tracepoint(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_switch"))
		noop_tp = tp;
}

static int __init noop_init(void)
{
	int err;

	for_each_kernel_tracepoint(noop_find_tracepoint, NULL);
	if (!noop_tp) {
		pr_err("tracepoint sched_switch not found\n");
		return -ENOENT;
	}
	err = tracepoint_probe_register(noop_tp, noop_probe_switch, NULL);
	if (err)
		pr_err("cannot attach to sched_switch: %d\n", err);
	return err;
}

static void __exit noop_exit(void)
{
	tracepoint_probe_unregister(noop_tp, noop_probe_switch, NULL);
	tracepoint_synchronize_unregister();
}

module_init(noop_init);
module_exit(noop_exit);
MODULE_DESCRIPTION("Empty sched_switch probe: the floor for make bench");
MODULE_LICENSE("GPL");
