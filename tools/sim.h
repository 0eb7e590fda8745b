/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A discrete simulator of the course notes' WFQ algorithm on one CPU:
 * at each step run the runnable group with the smallest s_i for one
 * quantum q and add q / w_i to its s_i. With the catch-up rule a group
 * that becomes runnable again gets s_i = max(s_min, s_i), s_min being
 * the monotonic floor of the runnable groups' s_i, as wfqmon.ko keeps
 * it (Documentation/design.rst); without it the group keeps its old s_i.
 * Pure: no I/O, so the unit tests drive it directly.
 */
#ifndef WFQTOOL_SIM_H
#define WFQTOOL_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_GROUPS_MAX	32
#define SIM_NAME_MAX	64

/* [start_ns, end_ns): a stretch of time the group wants the CPU. */
struct sim_busy {
	uint64_t start_ns;
	uint64_t end_ns;
};

/*
 * When a group is runnable: from start_ns on, on_ns of wall time then
 * off_ns idle, repeated (off_ns == 0: busy always after start_ns); or,
 * when busy is set (a replay), exactly the nbusy listed stretches.
 */
struct sim_group {
	char name[SIM_NAME_MAX];
	uint32_t weight;
	uint64_t start_ns;
	uint64_t on_ns;
	uint64_t off_ns;
	struct sim_busy *busy;	/* owned; sorted, disjoint */
	size_t nbusy;
};

struct sim_workload {
	struct sim_group g[SIM_GROUPS_MAX];
	size_t n;
};

struct sim_params {
	uint64_t quantum_ns;
	uint64_t duration_ns;
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
};

/* Called after every step, for a time series; may be NULL. */
struct sim_observer {
	void (*step)(void *arg, uint64_t t_ns, int ran, const uint64_t *vtime,
		     const bool *runnable, size_t n);
	void (*catchup)(void *arg, uint64_t t_ns, size_t group,
			uint64_t from, uint64_t to);
	void *arg;
};

/* Is group g runnable at time t? */
bool sim_runnable(const struct sim_group *g, uint64_t t_ns);

/* Run the workload; st[i] for group i. Returns 0, or -EINVAL. */
int sim_run(const struct sim_workload *w, const struct sim_params *p,
	    const struct sim_observer *obs, struct sim_stats *st);

void sim_workload_free(struct sim_workload *w);

#endif /* WFQTOOL_SIM_H */
