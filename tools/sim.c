// SPDX-License-Identifier: GPL-2.0
/*
 * The WFQ simulator: N CPUs, discrete quanta. See sim.h; the pick and
 * the catch-up rule are sim_policy.c's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fair.h"
#include "sim.h"
#include "sim_policy.h"

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

/* What the simulator tracks per group besides s_i. */
struct sim_state {
	uint64_t rem;		/* charge remainder, < weight */
	uint64_t burst_left;	/* CPU still wanted in this burst */
	uint64_t wake_ns;	/* burst model: asleep until then */
	uint64_t window;	/* cap: the current period's index */
	uint64_t quota_used;	/* cap: CPU used in this period */
	uint64_t waiting;	/* runnable and not run, since */
	bool seen;		/* has been runnable once */
	bool run;		/* in the runnable set since it joined */
};

static uint32_t threads_of(const struct sim_group *g)
{
	return g->threads ? g->threads : 1;
}

static bool wants_cpu(const struct sim_group *g, const struct sim_state *s,
		      uint64_t t)
{
	if (!g->burst_ns)
		return sim_runnable(g, t);
	return t >= g->start_ns && t >= s->wake_ns;
}

/* Held by its cap for the rest of this period? */
static bool throttled(const struct sim_group *g, struct sim_state *s,
		      uint64_t t)
{
	if (!g->cap_quota_ns)
		return false;
	if (t / g->cap_period_ns != s->window) {
		s->window = t / g->cap_period_ns;
		s->quota_used = 0;
	}
	return s->quota_used >= g->cap_quota_ns;
}

/* CPU time the group can still take in this step, at most max. */
static uint64_t need_of(const struct sim_group *g, const struct sim_state *s,
			uint64_t max)
{
	if (g->burst_ns && s->burst_left < max)
		max = s->burst_left;
	if (g->cap_quota_ns && g->cap_quota_ns - s->quota_used < max)
		max = g->cap_quota_ns - s->quota_used;
	return max;
}

/* The floor only rises, as wfqmon's s_min does. */
static void refresh_smin(uint64_t *smin, const struct wfq_group *wg,
			 size_t n)
{
	bool any = false;
	uint64_t lo = 0;

	for (size_t i = 0; i < n; i++)
		if (wg[i].runnable && (!any || wg[i].vtime < lo)) {
			lo = wg[i].vtime;
			any = true;
		}
	if (any && lo > *smin)
		*smin = lo;
}

static const struct wfq_policy reference = {
	.pick = wfq_pick,
	.catchup = wfq_catchup,
};

/* Groups that turned runnable in this step: first start or catch-up. */
static void activate(const struct sim_workload *w, const struct sim_params *p,
		     const struct sim_observer *obs, uint64_t t, uint64_t smin,
		     struct wfq_group *wg, struct sim_state *s,
		     struct sim_stats *st)
{
	const struct wfq_policy *pol = p->policy ? p->policy : &reference;

	for (size_t i = 0; i < w->n; i++) {
		uint64_t to;

		if (!wg[i].runnable || s[i].run)
			continue;
		s[i].run = true;
		s[i].waiting = 0;
		if (!s[i].seen) {
			/* A new group starts at s_min, in both modes. */
			s[i].seen = true;
			wg[i].vtime = smin;
			continue;
		}
		st[i].activations++;
		if (!p->catchup)
			continue;
		to = pol->catchup(&wg[i], smin);
		if (to == wg[i].vtime)
			continue;
		/* A policy that lowers s_i is reported, not counted. */
		if (obs && obs->catchup)
			obs->catchup(obs->arg, t, i, wg[i].vtime, to);
		if (to > wg[i].vtime) {
			st[i].catchups++;
			st[i].forgiven += to - wg[i].vtime;
		}
		wg[i].vtime = to;
	}
}

/*
 * The fluid (GPS) share of this step: water-filling over the CPUs among
 * the groups that want the CPU, a cap counted as its rate (the fluid
 * model spreads the quota over the period instead of throttling).
 */
static void add_ideal(const struct sim_workload *w, const bool *wants,
		      const struct sim_state *s, unsigned int cpus,
		      uint64_t len, struct sim_stats *st)
{
	double weight[SIM_GROUPS_MAX], cap[SIM_GROUPS_MAX];
	double ideal[SIM_GROUPS_MAX];
	bool active[SIM_GROUPS_MAX];

	for (size_t i = 0; i < w->n; i++) {
		const struct sim_group *g = &w->g[i];
		double quota = g->cap_quota_ns ?
			(double)g->cap_quota_ns / g->cap_period_ns : 0;

		weight[i] = g->weight;
		active[i] = wants[i];
		cap[i] = fair_cap(threads_of(g), 0, quota);
		if (g->burst_ns && (double)s[i].burst_left / len < cap[i])
			cap[i] = (double)s[i].burst_left / len;
	}
	fair_water_fill(w->n, weight, cap, active, cpus, ideal);
	for (size_t i = 0; i < w->n; i++)
		st[i].ideal_ns += ideal[i] * (double)len;
}

/*
 * Hand the CPUs out, smallest s_i first; ran[c] gets CPU c's group.
 * -ERANGE if the policy picks a group it may not.
 */
static int assign_cpus(const struct sim_workload *w,
		       const struct wfq_policy *pol, const struct wfq_group *wg,
		       const struct sim_state *s, unsigned int cpus,
		       uint64_t len, int *ran, uint32_t *given)
{
	bool full[SIM_GROUPS_MAX] = { false };

	memset(given, 0, w->n * sizeof(*given));
	for (unsigned int c = 0; c < cpus; c++) {
		int k = pol->pick(wg, w->n, full);

		ran[c] = k;
		if (k < 0)
			continue;
		if ((size_t)k >= w->n || !wg[k].runnable || full[k])
			return -ERANGE;
		given[k]++;
		full[k] = given[k] >= threads_of(&w->g[k]) ||
			  given[k] * len >= need_of(&w->g[k], &s[k], UINT64_MAX);
	}
	return 0;
}

static void charge(const struct sim_group *g, struct sim_state *s,
		   struct wfq_group *wg, struct sim_stats *st, uint64_t t,
		   uint64_t len, uint32_t cpus_given)
{
	uint64_t ran = need_of(g, s, cpus_given * len);
	/* Carry the remainder, as the module's charge does. */
	uint64_t x = ran + s->rem;

	wg->vtime += x / g->weight;
	s->rem = x % g->weight;
	st->runtime_ns += ran;
	s->quota_used += ran;
	if (!g->burst_ns)
		return;
	s->burst_left -= ran;
	if (!s->burst_left) {
		/* The burst is done: asleep from the end of this step. */
		s->wake_ns = t + len + g->sleep_ns;
		s->burst_left = g->burst_ns;
	}
}

int sim_run(const struct sim_workload *w, const struct sim_params *p,
	    const struct sim_observer *obs, struct sim_stats *st)
{
	struct wfq_group wg[SIM_GROUPS_MAX] = { 0 };
	struct sim_state s[SIM_GROUPS_MAX] = { 0 };
	unsigned int cpus = p->cpus ? p->cpus : 1;
	const uint64_t q = p->quantum_ns;
	uint64_t smin = 0;
	size_t n = w->n;

	if (!q || n > SIM_GROUPS_MAX || cpus > SIM_CPUS_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		const struct sim_group *g = &w->g[i];

		if (!g->weight || (g->burst_ns && !g->sleep_ns) ||
		    (g->cap_quota_ns && !g->cap_period_ns))
			return -EINVAL;
		wg[i].weight = g->weight;
		s[i].burst_left = g->burst_ns;
	}
	memset(st, 0, n * sizeof(*st));

	for (uint64_t t = 0; t < p->duration_ns; t += q) {
		uint64_t len = p->duration_ns - t < q ? p->duration_ns - t : q;
		uint32_t given[SIM_GROUPS_MAX];
		uint64_t vt[SIM_GROUPS_MAX];
		bool wants[SIM_GROUPS_MAX], now[SIM_GROUPS_MAX];
		int ran[SIM_CPUS_MAX];

		for (size_t i = 0; i < n; i++) {
			bool held;

			wants[i] = wants_cpu(&w->g[i], &s[i], t);
			held = wants[i] && throttled(&w->g[i], &s[i], t);
			if (held)
				st[i].throttled_ns += len;
			now[i] = wants[i] && !held;
			/* Leavers go first, so they cannot hold the floor down. */
			s[i].run = s[i].run && now[i];
			wg[i].runnable = s[i].run;
		}
		refresh_smin(&smin, wg, n);
		for (size_t i = 0; i < n; i++)
			wg[i].runnable = now[i];
		activate(w, p, obs, t, smin, wg, s, st);
		add_ideal(w, wants, s, cpus, len, st);
		if (assign_cpus(w, p->policy ? p->policy : &reference, wg, s,
				cpus, len, ran, given))
			return -ERANGE;
		for (size_t i = 0; i < n; i++) {
			if (given[i]) {
				s[i].waiting = 0;
				charge(&w->g[i], &s[i], &wg[i], &st[i], t, len,
				       given[i]);
				continue;
			}
			if (!wg[i].runnable)
				continue;
			s[i].waiting += len;
			if (s[i].waiting > st[i].max_wait_ns)
				st[i].max_wait_ns = s[i].waiting;
		}
		if (obs && obs->step) {
			for (size_t i = 0; i < n; i++)
				vt[i] = wg[i].vtime;
			obs->step(obs->arg, t, ran, cpus, vt, now, n);
		}
	}
	for (size_t i = 0; i < n; i++)
		st[i].vtime = wg[i].vtime;
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
