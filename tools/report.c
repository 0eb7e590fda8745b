// SPDX-License-Identifier: GPL-2.0
/* The fairness report between two snapshots; see report.h and fair.h. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fair.h"
#include "fair_tree.h"
#include "report.h"

static uint64_t delta(uint64_t now, uint64_t then)
{
	return now > then ? now - then : 0;
}

static void row_deltas(struct report_row *row, const struct group_sample *a,
		       const struct group_sample *b)
{
	static const struct group_sample zero;

	if (!a)
		a = &zero;
	row->now = b;
	row->runtime_ns = delta(b->g.runtime_ns, a->g.runtime_ns);
	row->quanta = delta(b->g.quanta, a->g.quanta);
	row->wait_ns = delta(b->g.wait_ns, a->g.wait_ns);
	row->quantum_mean_ns = row->quanta ? row->runtime_ns / row->quanta : 0;
	row->wait_hist_len = b->g.wait_hist_len;
	for (unsigned int k = 0; k < row->wait_hist_len; k++)
		row->wait_hist[k] = delta(b->g.wait_hist[k],
					  k < a->g.wait_hist_len ?
					  a->g.wait_hist[k] : 0);
	if (b->have_cpu_stat && (a == &zero || a->have_cpu_stat)) {
		row->usage_ns = delta(b->usage_usec, a->usage_usec) * 1000;
		row->throttled_ns =
			delta(b->throttled_usec, a->throttled_usec) * 1000;
	}
	row->active = row->runtime_ns > 0 || b->g.active;
	/* Demand: threads seen runnable at either end, at least one. */
	if (row->active) {
		uint32_t threads = b->g.nr_runnable > a->g.nr_runnable ?
				   b->g.nr_runnable : a->g.nr_runnable;

		row->cap_cpus = fair_cap(threads ? threads : 1,
					 b->have_cpuset ?
					 cpulist_count(&b->cpuset) : 0,
					 b->have_cpu_max ?
					 cpu_max_cpus(&b->cpu_max) : 0);
	}
}

/* The CPUs the active groups may use: the union of their cpusets. */
static double capacity_of(const struct report *r, unsigned int online_cpus)
{
	struct cpulist all = { { 0 } };
	unsigned int n;

	for (size_t i = 0; i < r->n; i++) {
		if (!r->rows[i].active)
			continue;
		if (!r->rows[i].now->have_cpuset)
			return online_cpus;
		cpulist_or(&all, &r->rows[i].now->cpuset);
	}
	n = cpulist_count(&all);
	return n ? n : online_cpus;
}

/* The demand of a group in threads: the most seen runnable, at least one. */
static double row_threads(const struct report_row *row,
			  const struct group_sample *a,
			  const struct group_sample *b)
{
	uint32_t threads = b->g.nr_runnable;

	if (!row->active)
		return 0;
	if (a && a->g.nr_runnable > threads)
		threads = a->g.nr_runnable;
	return threads ? threads : 1;
}

/* CPUs a cgroup outside the report used in the window: its demand. */
static double sibling_cpus(const struct snapshot *before,
			   const struct cg_tree_node *node, uint64_t interval_ns)
{
	const struct cg_tree_node *then = cg_tree_find(&before->tree, node->path);

	if (!then || !then->have_usage || !node->have_usage || !interval_ns ||
	    node->usage_usec <= then->usage_usec)
		return 0;
	return (double)(node->usage_usec - then->usage_usec) * 1000 /
	       (double)interval_ns;
}

/* 1 to WFQMON_DEPTH_MAX, whatever the reply said. */
static uint32_t group_depth(const struct group_sample *s)
{
	if (!s->g.depth)
		return 1;
	return s->g.depth < WFQMON_DEPTH_MAX ? s->g.depth : WFQMON_DEPTH_MAX;
}

static bool group_has_children(const struct snapshot *snap, uint32_t id)
{
	for (size_t j = 0; j < snap->n; j++)
		if (snap->groups[j].g.parent_id == id)
			return true;
	return false;
}

/*
 * Group i, whose cgroup is not in the snapshot's tree, as a node: under
 * its parent group's node when that is in the report, else under the
 * root. A parent's own demand is its own runnable threads: its children
 * bring theirs.
 */
static struct fair_node group_node(const struct snapshot *before,
				   const struct snapshot *after,
				   const struct report *r,
				   const size_t *node_of, size_t i)
{
	const struct group_sample *b = &after->groups[i];
	const struct group_sample *p = b->g.parent_id ?
				       snapshot_find(after, b->g.parent_id) : NULL;
	double threads = r->rows[i].active ? r->rows[i].cap_cpus : 0;
	size_t parent = p ? node_of[p - after->groups] : SIZE_MAX;

	if (group_has_children(after, b->g.id)) {
		const struct group_sample *a = snapshot_find(before, b->g.id);

		threads = b->g.nr_runnable;
		if (a && a->g.nr_runnable > threads)
			threads = a->g.nr_runnable;
	}
	return (struct fair_node){
		.parent = parent == SIZE_MAX ? 0 : (int)parent,
		.weight = fair_kernel_weight(b->g.weight),
		.threads = threads,
	};
}

/*
 * The snapshot's cgroup tree as fair_tree nodes, then the groups whose
 * cgroup is not in it: nested as the kernel nests them, the top-level
 * ones as children of its root (all of them, as the kernel nests them,
 * when there is no tree). node_of[i] is group i's node.
 */
static size_t tree_nodes(const struct snapshot *before,
			 const struct snapshot *after, const struct report *r,
			 struct fair_node *fn, size_t *node_of)
{
	const struct cg_tree *t = &after->tree;
	size_t m = t->n ? t->n : 1;

	fn[0] = (struct fair_node){ .parent = -1 };
	for (size_t k = 0; k < t->n; k++) {
		const struct cg_tree_node *node = &t->node[k];
		double threads = 0;

		if (node->group >= 0 && !node->ancestor) {
			const struct group_sample *b = &after->groups[node->group];

			threads = row_threads(&r->rows[node->group],
					      snapshot_find(before, b->g.id), b);
		} else if (node->group < 0 && !node->ancestor) {
			threads = sibling_cpus(before, node, r->interval_ns);
		}
		fn[k] = (struct fair_node){
			.parent = node->parent,
			.weight = fair_kernel_weight(node->cpu_weight),
			.quota_cpus = node->quota_cpus,
			.cpuset_cpus = node->cpuset_cpus,
			.threads = threads,
		};
	}
	for (size_t i = 0; i < after->n; i++)
		node_of[i] = SIZE_MAX;
	for (size_t k = 0; k < t->n; k++)
		if (t->node[k].group >= 0)
			node_of[t->node[k].group] = k;
	/* Parents first: by the kernel's depth, each under its parent group. */
	for (uint32_t d = 1; d <= WFQMON_DEPTH_MAX; d++) {
		for (size_t i = 0; i < after->n; i++) {
			if (node_of[i] != SIZE_MAX ||
			    group_depth(&after->groups[i]) != d)
				continue;
			fn[m] = group_node(before, after, r, node_of, i);
			node_of[i] = m++;
		}
	}
	return m;
}

/* Each group's weight among its siblings that want CPU. */
static double level_share(size_t m, const struct fair_node *fn, size_t k)
{
	double sum = 0;

	if (fn[k].parent < 0)
		return 1;
	for (size_t s = 1; s < m; s++)
		if (fn[s].parent == fn[k].parent && fn[s].cap > 0)
			sum += fn[s].weight;
	return sum > 0 && fn[k].cap > 0 ? fn[k].weight / sum : 0;
}

/*
 * The most node k's subtree can use: its own cap and every ancestor's,
 * since an ancestor's cpu.max and cpuset bound all below it.
 */
static double path_cap(const struct fair_node *fn, size_t k)
{
	double cap = fn[k].cap;

	for (int p = fn[k].parent; p >= 0; p = fn[p].parent)
		cap = fmin(cap, fn[p].cap);
	return cap;
}

/* Hierarchical water-filling down the real cgroup tree (fair_tree.h). */
static int ideal_from_tree(const struct snapshot *before,
			   const struct snapshot *after, struct report *r,
			   double *ideal)
{
	size_t n = after->n, m = (after->tree.n ? after->tree.n : 1) + n;
	struct fair_node *fn = calloc(m, sizeof(*fn));
	size_t *node_of = calloc(n ? n : 1, sizeof(*node_of));
	int ret = -ENOMEM;

	if (fn && node_of) {
		m = tree_nodes(before, after, r, fn, node_of);
		ret = fair_tree_fill(m, fn, r->capacity_cpus);
	}
	for (size_t i = 0; !ret && i < n; i++) {
		size_t k = node_of[i];
		int p = fn[k].parent;

		ideal[i] = fn[k].ideal;
		if (r->rows[i].active)
			r->rows[i].cap_cpus = path_cap(fn, k);
		r->rows[i].level_share = level_share(m, fn, k);
		r->rows[i].ideal_parent = k < after->tree.n && p >= 0 ?
					  after->tree.node[p].path : "";
	}
	free(fn);
	free(node_of);
	return ret;
}

/*
 * A group whose parent group is not in the report: the sums of runtime
 * and ideal are over these only, since a parent's runtime and ideal
 * already include its children's.
 */
static bool row_is_top(const struct snapshot *after, size_t i)
{
	uint32_t parent = after->groups[i].g.parent_id;

	return !parent || !snapshot_find(after, parent);
}

/*
 * V of the active siblings of each group (the groups with its parent),
 * which the kernel compares its vtime with: lag[i] = V - s_i. Flat, V
 * is the report's own mean and costs nothing more.
 */
static void sibling_lags(const struct snapshot *after, struct report *r,
			 const uint32_t *w32, const uint64_t *vtime,
			 const bool *active, bool *mask)
{
	size_t n = after->n;

	for (size_t i = 0; i < n; i++) {
		uint32_t parent = after->groups[i].g.parent_id;
		double v = r->vtime_mean;

		if (!r->rows[i].active) {
			r->rows[i].lag = 0;
			continue;
		}
		if (parent) {
			for (size_t j = 0; j < n; j++)
				mask[j] = active[j] &&
					  after->groups[j].g.parent_id == parent;
			v = fair_vtime_mean(n, w32, vtime, mask);
		}
		r->rows[i].lag = v - (double)vtime[i];
	}
}

int report_compute(const struct snapshot *before, const struct snapshot *after,
		   struct report *r, struct wfqnl_err *err)
{
	size_t n = after->n;
	double *weight, *cap, *ideal, *x, ideal_sum = 0, runtime_sum = 0;
	uint32_t *w32;
	uint64_t *vtime;
	bool *active, *top;
	size_t nx = 0;

	memset(r, 0, sizeof(*r));
	r->interval_ns = delta(after->mono_ns, before->mono_ns);
	r->time_ns = after->time_ns;
	r->rows = calloc(n ? n : 1, sizeof(*r->rows));
	weight = calloc(n ? n : 1, 4 * sizeof(double));
	w32 = calloc(n ? n : 1, sizeof(*w32));
	vtime = calloc(n ? n : 1, sizeof(*vtime));
	active = calloc(n ? n : 1, 2 * sizeof(*active));
	if (!r->rows || !weight || !w32 || !vtime || !active) {
		free(weight);
		free(w32);
		free(vtime);
		free(active);
		report_free(r);
		return wfqnl_err_set(err, ENOMEM, "compute report");
	}
	cap = weight + n;
	ideal = cap + n;
	x = ideal + n;
	top = active + n;
	r->n = n;

	for (size_t i = 0; i < n; i++) {
		const struct group_sample *b = &after->groups[i];
		struct report_row *row = &r->rows[i];

		row_deltas(row, snapshot_find(before, b->g.id), b);
		/* Ideal shares from the weights the scheduler really uses. */
		weight[i] = fair_kernel_weight(b->g.weight);
		w32[i] = b->g.weight;
		vtime[i] = b->g.vtime;
		cap[i] = row->cap_cpus;
		active[i] = row->active;
		r->nr_active += row->active;
		if (row_is_top(after, i))
			runtime_sum += (double)row->runtime_ns;
	}
	r->capacity_cpus = capacity_of(r, after->online_cpus);
	if (ideal_from_tree(before, after, r, ideal)) {
		/* Out of memory, or a tree out of order: the flat answer. */
		fair_water_fill(n, weight, cap, active, r->capacity_cpus, ideal);
	}
	/* V of the top level: nested groups are compared with their siblings. */
	for (size_t i = 0; i < n; i++)
		top[i] = active[i] && !after->groups[i].g.parent_id;
	r->vtime_mean = fair_vtime_mean(n, w32, vtime, top);

	for (size_t i = 0; i < n; i++)
		if (row_is_top(after, i))
			ideal_sum += ideal[i];
	for (size_t i = 0; i < n; i++) {
		struct report_row *row = &r->rows[i];

		row->ideal_cpus = ideal[i];
		row->ideal_share = ideal_sum > 0 ? ideal[i] / ideal_sum : 0;
		row->share = runtime_sum > 0 ?
			     (double)row->runtime_ns / runtime_sum : 0;
		row->actual_cpus = r->interval_ns ?
				   (double)row->runtime_ns /
				   (double)r->interval_ns : 0;
		row->share_error = row->share - row->ideal_share;
		row->x = row->ideal_share > 0 ? row->share / row->ideal_share : 0;
		if (row->active && row->ideal_share > 0)
			x[nx++] = row->x;
	}
	sibling_lags(after, r, w32, vtime, active, top);
	r->jain_index = fair_jain(nx, x);
	free(weight);
	free(w32);
	free(vtime);
	free(active);
	return 0;
}

void report_free(struct report *r)
{
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}
