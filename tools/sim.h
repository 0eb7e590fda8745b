/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A discrete simulator of the course notes' WFQ algorithm on N CPUs,
 * in steps of one quantum q of wall time:
 *
 * 1. Each group's state for the step is set: runnable (it wants the
 *    CPU and is not throttled by its cap) or not.
 * 2. With the catch-up rule a group that becomes runnable again gets
 *    s_i = max(s_min, s_i) (wfq_catchup()), s_min being the monotonic
 *    floor of the runnable groups' s_i, as wfqmon.ko keeps it
 *    (Documentation/design.rst); without it the group keeps its old
 *    s_i. A group's first activation puts it at s_min in both modes.
 * 3. The CPUs are handed out one at a time to the runnable group with
 *    the smallest s_i (wfq_pick(), ties to the first group given), all
 *    s_i as they were at the start of the step; a group with k threads
 *    can take up to k CPUs, and no more than its remaining burst or
 *    quota needs. So on N CPUs the N smallest s_i run, one per CPU.
 * 4. A group given c CPUs runs min(c q, burst left, quota left) ns of
 *    CPU, and s_i += that / w_i (the remainder carried, as the module's
 *    charge does). A CPU whose group needs less than q idles the rest.
 *
 * Times are in whole quanta: a burst that ends inside a step sleeps
 * from the end of that step, and a group wakes at the first step at or
 * after its wake-up time. A cap is cpu.max's quota per period, periods
 * starting at time 0: a group that used its quota is throttled until
 * the next period and, like the kernel's throttled cfs_rq, leaves the
 * runnable set (it rejoins through the catch-up rule).
 * Pure: no I/O, so the unit tests drive it directly.
 */
#ifndef WFQTOOL_SIM_H
#define WFQTOOL_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_GROUPS_MAX	32
#define SIM_NAME_MAX	64
#define SIM_CPUS_MAX	64

/* [start_ns, end_ns): a stretch of time the group wants the CPU. */
struct sim_busy {
	uint64_t start_ns;
	uint64_t end_ns;
};

/*
 * When a group wants the CPU, from start_ns on:
 * - burst_ns > 0 (CPU demand): until it has received burst_ns of CPU,
 *   then it sleeps sleep_ns of wall time, repeated;
 * - else on_ns of wall time then off_ns idle, repeated (off_ns == 0:
 *   always);
 * - or, when busy is set (a replay), exactly the nbusy listed stretches.
 * It runs on up to threads CPUs at once (0 counts as 1), and at most
 * cap_quota_ns of CPU in each cap_period_ns (cap_quota_ns == 0: no cap).
 */
struct sim_group {
	char name[SIM_NAME_MAX];
	uint32_t weight;
	uint64_t start_ns;
	uint64_t on_ns;
	uint64_t off_ns;
	uint64_t burst_ns;
	uint64_t sleep_ns;
	uint32_t threads;
	uint64_t cap_quota_ns;
	uint64_t cap_period_ns;
	struct sim_busy *busy;	/* owned; sorted, disjoint */
	size_t nbusy;
};

struct sim_workload {
	struct sim_group g[SIM_GROUPS_MAX];
	size_t n;
};

struct wfq_policy;

struct sim_params {
	const struct wfq_policy *policy;	/* NULL: sim_policy.c's */
	uint64_t quantum_ns;
	uint64_t duration_ns;
	unsigned int cpus;	/* 0 counts as 1 */
	bool catchup;
};

struct sim_stats {
	uint64_t runtime_ns;	/* CPU time received */
	double ideal_ns;	/* fluid (GPS) share of the runnable time */
	uint64_t vtime;		/* final s_i, ns per unit of weight */
	uint64_t catchups;	/* activations that raised s_i */
	uint64_t forgiven;	/* sum of those raises: credit forgiven */
	uint64_t max_wait_ns;	/* longest stretch runnable but not run */
	uint64_t activations;	/* idle -> runnable transitions */
	uint64_t throttled_ns;	/* wanted the CPU but held by its cap */
};

/*
 * Called after every step, for a time series; may be NULL. ran[c] is
 * the group that ran on CPU c (-1: idle), c < ncpus.
 */
struct sim_observer {
	void (*step)(void *arg, uint64_t t_ns, const int *ran, size_t ncpus,
		     const uint64_t *vtime, const bool *runnable, size_t n);
	void (*catchup)(void *arg, uint64_t t_ns, size_t group,
			uint64_t from, uint64_t to);
	void *arg;
};

/*
 * Does group g want the CPU at time t? For the wall-time patterns and
 * replays only: a burst group's state depends on the CPU it received.
 */
bool sim_runnable(const struct sim_group *g, uint64_t t_ns);

/*
 * Run the workload; st[i] for group i. Returns 0, -EINVAL for a bad
 * workload, or -ERANGE when the policy picked a group that is not
 * there, not runnable or already has all the CPUs it can use.
 */
int sim_run(const struct sim_workload *w, const struct sim_params *p,
	    const struct sim_observer *obs, struct sim_stats *st);

void sim_workload_free(struct sim_workload *w);

#endif /* WFQTOOL_SIM_H */
