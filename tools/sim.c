// SPDX-License-Identifier: GPL-2.0
/*
 * The WFQ simulator: one CPU, discrete quanta. See sim.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

bool sim_runnable(const struct sim_group *g, uint64_t t_ns)
{
	uint64_t period;

	if (g->busy) {
		for (size_t i = 0; i < g->nbusy; i++)
			if (t_ns >= g->busy[i].start_ns &&
			    t_ns < g->busy[i].end_ns)
				return true;
		return false;
	}
	if (t_ns < g->start_ns)
		return false;
	if (!g->off_ns)
		return true;
	period = g->on_ns + g->off_ns;
	return (t_ns - g->start_ns) % period < g->on_ns;
}

/* The floor only rises, as wfqmon's s_min does. */
static void refresh_smin(uint64_t *smin, const uint64_t *vt,
			 const bool *run, size_t n)
{
	bool any = false;
	uint64_t lo = 0;

	for (size_t i = 0; i < n; i++)
		if (run[i] && (!any || vt[i] < lo)) {
			lo = vt[i];
			any = true;
		}
	if (any && lo > *smin)
		*smin = lo;
}

/* Smallest s_i among runnable groups; ties go to the lower index. */
static int pick(const uint64_t *vt, const bool *run, size_t n)
{
	int best = -1;

	for (size_t i = 0; i < n; i++)
		if (run[i] && (best < 0 || vt[i] < vt[best]))
			best = (int)i;
	return best;
}

int sim_run(const struct sim_workload *w, const struct sim_params *p,
	    const struct sim_observer *obs, struct sim_stats *st)
{
	uint64_t vt[SIM_GROUPS_MAX] = { 0 }, rem[SIM_GROUPS_MAX] = { 0 };
	uint64_t waiting[SIM_GROUPS_MAX] = { 0 }, smin = 0;
	bool run[SIM_GROUPS_MAX] = { false }, seen[SIM_GROUPS_MAX] = { false };
	const uint64_t q = p->quantum_ns;
	size_t n = w->n;

	if (!q || n > SIM_GROUPS_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!w->g[i].weight)
			return -EINVAL;
	memset(st, 0, n * sizeof(*st));

	for (uint64_t t = 0; t < p->duration_ns; t += q) {
		bool now[SIM_GROUPS_MAX];
		uint64_t wsum = 0, len = q;
		int ran;

		if (p->duration_ns - t < q)
			len = p->duration_ns - t;
		for (size_t i = 0; i < n; i++)
			now[i] = sim_runnable(&w->g[i], t);
		/* Leavers go first, so they cannot hold the floor down. */
		for (size_t i = 0; i < n; i++)
			run[i] = run[i] && now[i];
		refresh_smin(&smin, vt, run, n);
		for (size_t i = 0; i < n; i++) {
			if (!now[i] || run[i])
				continue;
			run[i] = true;
			waiting[i] = 0;
			if (!seen[i]) {
				/* A new group starts at s_min, in both modes. */
				seen[i] = true;
				vt[i] = smin;
				continue;
			}
			st[i].activations++;
			if (p->catchup && vt[i] < smin) {
				if (obs && obs->catchup)
					obs->catchup(obs->arg, t, i, vt[i],
						     smin);
				st[i].catchups++;
				st[i].forgiven += smin - vt[i];
				vt[i] = smin;
			}
		}
		ran = pick(vt, run, n);
		for (size_t i = 0; i < n; i++)
			if (run[i])
				wsum += w->g[i].weight;
		for (size_t i = 0; i < n; i++) {
			if (!run[i])
				continue;
			st[i].ideal_ns += (double)len * w->g[i].weight / wsum;
			if ((int)i == ran) {
				waiting[i] = 0;
				continue;
			}
			waiting[i] += len;
			if (waiting[i] > st[i].max_wait_ns)
				st[i].max_wait_ns = waiting[i];
		}
		if (ran >= 0) {
			/* Carry the remainder, as the module's charge does. */
			uint64_t x = len + rem[ran];

			vt[ran] += x / w->g[ran].weight;
			rem[ran] = x % w->g[ran].weight;
			st[ran].runtime_ns += len;
		}
		if (obs && obs->step)
			obs->step(obs->arg, t, ran, vt, run, n);
	}
	for (size_t i = 0; i < n; i++)
		st[i].vtime = vt[i];
	return 0;
}

void sim_workload_free(struct sim_workload *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->g[i].busy);
		w->g[i].busy = NULL;
		w->g[i].nbusy = 0;
	}
	w->n = 0;
}
