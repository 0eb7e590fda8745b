// SPDX-License-Identifier: GPL-2.0
/* Hierarchical water-filling; the definitions are in fair_tree.h. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "fair.h"
#include "fair_tree.h"

/* A nice-0 task's weight, and cpu.weight 100's. */
#define FAIR_NICE0_WEIGHT	1024.0

double fair_kernel_weight(unsigned int cpu_weight)
{
	/* DIV_ROUND_CLOSEST_ULL(w * 1024, 100) in cpu_weight_write_u64(). */
	return (double)(((unsigned long long)cpu_weight * 1024 + 50) / 100);
}

static double bound(double value, double limit)
{
	return limit > 0 && limit < value ? limit : value;
}

/* Children of each node as one array: kids[first[i] .. first[i + 1]). */
struct fair_kids {
	size_t *first;
	size_t *kids;
};

static int fair_kids_build(size_t n, const struct fair_node *node,
			   struct fair_kids *k)
{
	size_t *fill;

	k->first = calloc(n + 1, sizeof(*k->first));
	k->kids = calloc(n ? n : 1, sizeof(*k->kids));
	fill = calloc(n + 1, sizeof(*fill));
	if (!k->first || !k->kids || !fill) {
		free(fill);
		return -ENOMEM;
	}
	for (size_t i = 1; i < n; i++)
		k->first[node[i].parent + 1]++;
	for (size_t i = 0; i < n; i++)
		k->first[i + 1] += k->first[i];
	for (size_t i = 1; i < n; i++) {
		size_t p = node[i].parent;

		k->kids[k->first[p] + fill[p]++] = i;
	}
	free(fill);
	return 0;
}

/* Share node[i].ideal among its children and its own threads. */
static void fair_fill_level(struct fair_node *node, size_t i,
			    const struct fair_kids *k, double *weight,
			    double *cap, bool *active, double *ideal)
{
	size_t nk = k->first[i + 1] - k->first[i], m = 0;

	for (size_t j = k->first[i]; j < k->first[i + 1]; j++) {
		const struct fair_node *c = &node[k->kids[j]];

		weight[m] = c->weight;
		cap[m] = c->cap;
		active[m] = c->cap > 0;
		m++;
	}
	/* The cgroup's own threads: one more child, last. */
	weight[m] = FAIR_NICE0_WEIGHT * node[i].threads;
	cap[m] = node[i].threads;
	active[m] = node[i].threads > 0;
	fair_water_fill(nk + 1, weight, cap, active, node[i].ideal, ideal);
	for (size_t j = 0; j < nk; j++)
		node[k->kids[k->first[i] + j]].ideal = ideal[j];
}

int fair_tree_fill(size_t n, struct fair_node *node, double capacity)
{
	struct fair_kids k = { 0 };
	double *sum, *weight, *cap, *ideal;
	bool *active;
	int ret = 0;

	if (!n)
		return 0;
	if (node[0].parent != -1)
		return -EINVAL;
	for (size_t i = 1; i < n; i++)
		if (node[i].parent < 0 || (size_t)node[i].parent >= i)
			return -EINVAL;

	sum = calloc(n, sizeof(*sum));
	weight = calloc(n + 1, sizeof(*weight));
	cap = calloc(n + 1, sizeof(*cap));
	ideal = calloc(n + 1, sizeof(*ideal));
	active = calloc(n + 1, sizeof(*active));
	if (!sum || !weight || !cap || !ideal || !active ||
	    fair_kids_build(n, node, &k)) {
		ret = -ENOMEM;
		goto out;
	}

	/* Bottom up: children come after their parent. */
	for (size_t i = n; i-- > 0;) {
		struct fair_node *c = &node[i];
		double own = c->threads > 0 ? c->threads : 0;

		c->cap = bound(bound(own + sum[i], c->cpuset_cpus),
			       c->quota_cpus);
		if (c->parent >= 0)
			sum[c->parent] += c->cap;
	}
	/* Top down. */
	node[0].ideal = fmin(capacity > 0 ? capacity : 0, node[0].cap);
	for (size_t i = 0; i < n; i++)
		fair_fill_level(node, i, &k, weight, cap, active, ideal);
out:
	free(k.first);
	free(k.kids);
	free(sum);
	free(weight);
	free(cap);
	free(ideal);
	free(active);
	return ret;
}
