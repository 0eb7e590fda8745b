// SPDX-License-Identifier: GPL-2.0
/*
 * The reference WFQ policy: pick and catch-up. See sim_policy.h.
 */
#include "sim_policy.h"

int wfq_pick(const struct wfq_group *g, size_t n, const bool *skip)
{
	int best = -1;

	for (size_t i = 0; i < n; i++) {
		if (!g[i].runnable || skip[i])
			continue;
		/* Strictly smaller: a tie keeps the lower index. */
		if (best < 0 || g[i].vtime < g[best].vtime)
			best = (int)i;
	}
	return best;
}

uint64_t wfq_catchup(const struct wfq_group *g, uint64_t smin)
{
	return g->vtime < smin ? smin : g->vtime;
}
