// SPDX-License-Identifier: GPL-2.0
/*
 * Group life cycle and lookup.
 *
 * Groups live in two xarrays: wfq_groups by group id (control path and
 * dumps) and wfq_cgroups by bound cgroup id (hot path). Both are written
 * under wfq_lock and read under RCU. A group is freed by RCU after the
 * last reference goes, so a probe that found it may keep using it until
 * the end of its RCU read-side section.
 *
 * Task-to-group lookups cache their last answer per CPU. The cache is
 * keyed by cgroup id (never reused, unlike a cgroup pointer) and by
 * wfq_bind_gen, which every change of a binding bumps after updating
 * wfq_cgroups: an entry with an old generation is never trusted, so it
 * never points at a freed group. The same holds for any group a probe
 * keeps (the group timed on a CPU, a task slot's group): a group is
 * unbound, and the generation bumped, before its last reference goes,
 * and it is freed a grace period after that. So a group found after
 * reading generation G stays valid for as long as the generation still
 * reads G: a reader that sees G began before that grace period.
 */

#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/stringhash.h>

#include "wfqmon.h"

/* Serialises all changes to groups: the netlink handlers. */
DEFINE_MUTEX(wfq_lock);
atomic_t wfq_nr_groups = ATOMIC_INIT(0);
/* Bumped on every create and destroy, for NLM_F_DUMP_INTR. */
u32 wfq_groups_seq = 1;
atomic64_t wfq_mem_bytes = ATOMIC64_INIT(0);

/* Cgroup ids are u64 and index wfq_cgroups directly. */
static_assert(sizeof(unsigned long) >= sizeof(u64));

static DEFINE_XARRAY_ALLOC1(wfq_groups);
static DEFINE_XARRAY(wfq_cgroups);
static DEFINE_HASHTABLE(wfq_names, 10);
static u32 wfq_next_id;
unsigned long wfq_bind_gen;

struct wfq_lookup_cache {
	u64 cgroup_id;
	unsigned long gen;
	struct wfq_group *group;
};

static DEFINE_PER_CPU(struct wfq_lookup_cache, wfq_lookup_cache);

static size_t wfq_group_mem_size(void)
{
	return sizeof(struct wfq_group) +
	       sizeof(struct wfq_group_pcpu) * num_possible_cpus();
}

static u32 wfq_name_hash(const char *name)
{
	return full_name_hash(NULL, name, strlen(name));
}

/* Publish a change of wfq_cgroups to the per-CPU lookup caches. */
static void wfq_bind_changed(void)
{
	/* Pairs with the acquire in wfq_bind_generation(): table, then gen. */
	smp_store_release(&wfq_bind_gen, wfq_bind_gen + 1);
}

static struct wfq_group *wfq_group_bound(struct cgroup *cgrp)
{
	struct wfq_group *g = NULL;

	for (; cgrp; cgrp = cgroup_parent(cgrp)) {
		g = xa_load(&wfq_cgroups, cgroup_id(cgrp));
		if (g)
			break;
	}
	return g;
}

/*
 * The group that @p's CPU time is charged to: the one bound to @p's
 * cgroup v2 or to its nearest bound ancestor. Callers run with IRQs off
 * (the probes, the charge timer): that is an RCU read-side section, so
 * the css_set and cgroup walk needs no rcu_read_lock() (out of line on
 * PREEMPT_RCU kernels, and this runs on every switch and wake-up).
 */
struct wfq_group *wfq_group_of_task(struct task_struct *p)
{
	struct wfq_lookup_cache *cache;
	struct wfq_group *g;
	struct cgroup *cgrp;
	unsigned long gen;
	u64 cgid;

	lockdep_assert_irqs_disabled();
	if (!atomic_read(&wfq_nr_groups))
		return NULL;

	/* A new gen means a new table. */
	gen = wfq_bind_generation();
	/* task_dfl_cgroup(), checked against the section we are in. */
	cgrp = rcu_dereference_sched(p->cgroups)->dfl_cgrp;
	cgid = cgroup_id(cgrp);
	cache = this_cpu_ptr(&wfq_lookup_cache);
	if (cache->cgroup_id == cgid && cache->gen == gen)
		return cache->group;
	g = wfq_group_bound(cgrp);
	cache->cgroup_id = cgid;
	cache->gen = gen;
	cache->group = g;
	return g;
}

/*
 * The group bound to the nearest ancestor of @cgrp (not @cgrp itself)
 * whose group is not @skip: @cgrp's parent group in the tree (tree.c).
 */
struct wfq_group *wfq_group_bound_above(struct cgroup *cgrp,
					struct wfq_group *skip)
{
	struct wfq_group *g;

	lockdep_assert_held(&wfq_lock);

	for (cgrp = cgroup_parent(cgrp); cgrp; cgrp = cgroup_parent(cgrp)) {
		g = xa_load(&wfq_cgroups, cgroup_id(cgrp));
		if (g && g != skip)
			return g;
	}
	return NULL;
}

struct wfq_group *wfq_group_lookup_rcu(u32 id)
{
	return xa_load(&wfq_groups, id);
}

struct wfq_group *wfq_group_find_id(u32 id)
{
	lockdep_assert_held(&wfq_lock);
	return xa_load(&wfq_groups, id);
}

struct wfq_group *wfq_group_find_name(const char *name)
{
	struct wfq_group *g;

	lockdep_assert_held(&wfq_lock);
	hash_for_each_possible(wfq_names, g, name_node, wfq_name_hash(name))
		if (!strcmp(g->name, name))
			return g;
	return NULL;
}

/* Iterate in id order; *id is the first id to consider. */
struct wfq_group *wfq_group_next(unsigned long *id)
{
	lockdep_assert_held(&wfq_lock);
	return xa_find(&wfq_groups, id, ULONG_MAX, XA_PRESENT);
}

static void wfq_group_free_rcu(struct rcu_head *rcu)
{
	struct wfq_group *g = container_of(rcu, struct wfq_group, rcu);

	free_percpu(g->pcpu);
	kfree(g);
}

void wfq_group_put(struct wfq_group *g)
{
	if (!refcount_dec_and_test(&g->ref))
		return;
	atomic64_sub(wfq_group_mem_size(), &wfq_mem_bytes);
	call_rcu(&g->rcu, wfq_group_free_rcu);
}

static int wfq_group_bind(struct wfq_group *g, struct cgroup *cgrp,
			  struct netlink_ext_ack *extack)
{
	u64 cgid = cgroup_id(cgrp);
	int err;

	err = xa_insert(&wfq_cgroups, cgid, g, GFP_KERNEL);
	if (err == -EBUSY) {
		NL_SET_ERR_MSG(extack, "cgroup is already bound to another group");
		return err;
	}
	if (err)
		return err;
	g->cgrp = cgrp;
	g->cgroup_id = cgid;
	wfq_bind_changed();
	return 0;
}

static void wfq_group_unbind(struct wfq_group *g)
{
	xa_erase(&wfq_cgroups, g->cgroup_id);
	wfq_bind_changed();
	cgroup_put(g->cgrp);
	g->cgrp = NULL;
}

/*
 * s_i of a new child of @parent: s_min of its siblings - @lag (lag > 0
 * is credit, < 0 debt). A credit larger than s_min would make s_i
 * negative: it is cut to s_min. Only a debt outlives the group's first
 * activation anyway: the catch-up s_i = max(s_min, s_i) forgives any
 * credit then.
 */
static s64 wfq_group_start_vtime(struct wfq_group *parent, s64 lag)
{
	s64 vmin = wfq_vtime_start(parent);

	return lag > vmin ? 0 : vmin - lag;
}

/*
 * Create a group bound to @cgrp, @lag ns per unit of weight behind s_min.
 * On success the group owns the cgroup reference; on failure the caller
 * still does.
 */
struct wfq_group *wfq_group_create(const char *name, u32 weight, s64 lag,
				   struct cgroup *cgrp,
				   struct netlink_ext_ack *extack)
{
	struct wfq_group *g;
	int err;

	lockdep_assert_held(&wfq_lock);

	if (wfq_group_find_name(name)) {
		NL_SET_ERR_MSG(extack, "a group with this name exists");
		return ERR_PTR(-EEXIST);
	}
	if (atomic_read(&wfq_nr_groups) >= wfq_max_groups) {
		NL_SET_ERR_MSG(extack, "group limit reached (module parameter max_groups)");
		return ERR_PTR(-ENOSPC);
	}
	err = wfq_tree_check(NULL, cgrp, extack);
	if (err)
		return ERR_PTR(err);

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return ERR_PTR(-ENOMEM);
	g->pcpu = alloc_percpu(struct wfq_group_pcpu);
	if (!g->pcpu) {
		err = -ENOMEM;
		goto err_free_group;
	}
	strscpy(g->name, name, sizeof(g->name));
	g->weight = weight;
	refcount_set(&g->ref, 1);
	raw_spin_lock_init(&g->state_lock);
	RB_CLEAR_NODE(&g->vtime_node);
	INIT_LIST_HEAD(&g->children);
	INIT_LIST_HEAD(&g->sibling);
	wfq_vtime_set_init(&g->child_set);
	g->parent = wfq_group_bound_above(cgrp, NULL);
	g->parent_id = g->parent ? g->parent->id : 0;
	/* Start level with its active siblings, less the lag it brings. */
	atomic64_set(&g->vtime, wfq_group_start_vtime(g->parent, lag));
	g->charged_at = jiffies;
	g->since_ns = ktime_get_ns();

	err = xa_alloc_cyclic(&wfq_groups, &g->id, g, xa_limit_32b,
			      &wfq_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_free_pcpu;
	err = wfq_group_bind(g, cgrp, extack);
	if (err)
		goto err_erase_id;

	wfq_tree_link(g, cgrp);
	hash_add(wfq_names, &g->name_node, wfq_name_hash(g->name));
	atomic_inc(&wfq_nr_groups);
	wfq_groups_seq++;
	atomic64_add(wfq_group_mem_size(), &wfq_mem_bytes);
	/* Its tasks running right now get charged without waiting a switch. */
	wfq_charge_timers_kick();
	return g;

err_erase_id:
	xa_erase(&wfq_groups, g->id);
err_free_pcpu:
	free_percpu(g->pcpu);
err_free_group:
	kfree(g);
	return ERR_PTR(err);
}

/*
 * Unpublish @g. Probes that already found it may still charge it until
 * their RCU section ends; the memory goes with the last reference.
 */
void wfq_group_destroy(struct wfq_group *g)
{
	lockdep_assert_held(&wfq_lock);

	hash_del(&g->name_node);
	xa_erase(&wfq_groups, g->id);
	wfq_tree_unlink(g);
	wfq_group_unbind(g);
	wfq_group_kill(g);
	atomic_dec(&wfq_nr_groups);
	wfq_groups_seq++;
	wfq_group_put(g);
}

/*
 * Bind @g to @cgrp instead: for a moment both cgroups lead to @g, while
 * @g leaves the tree and joins it again at its new place, or at its old
 * one if the new would nest too deep.
 */
int wfq_group_rebind(struct wfq_group *g, struct cgroup *cgrp,
		     struct netlink_ext_ack *extack)
{
	struct cgroup *old = g->cgrp;
	u64 old_id = g->cgroup_id;
	int err;

	lockdep_assert_held(&wfq_lock);

	if (cgroup_id(cgrp) == old_id) {
		cgroup_put(cgrp);
		return 0;
	}
	err = xa_insert(&wfq_cgroups, cgroup_id(cgrp), g, GFP_KERNEL);
	if (err == -EBUSY)
		NL_SET_ERR_MSG(extack, "cgroup is already bound to another group");
	if (err)
		return err;
	wfq_tree_unlink(g);
	err = wfq_tree_check(g, cgrp, extack);
	if (err) {
		wfq_tree_link(g, old);
		xa_erase(&wfq_cgroups, cgroup_id(cgrp));
		/* A lookup may have found @g through @cgrp meanwhile. */
		wfq_bind_changed();
		return err;
	}
	wfq_tree_link(g, cgrp);
	g->cgrp = cgrp;
	g->cgroup_id = cgroup_id(cgrp);
	xa_erase(&wfq_cgroups, old_id);
	wfq_bind_changed();
	cgroup_put(old);
	wfq_charge_timers_kick();
	return 0;
}

void wfq_group_set_weight(struct wfq_group *g, u32 weight)
{
	lockdep_assert_held(&wfq_lock);
	if (weight != g->weight)
		wfq_vtime_reweight(g, weight);
}

/* Histograms only when asked for: they are most of what a read costs. */
static void wfq_sums_add(struct wfq_sums *dst, const struct wfq_sums *src,
			 bool hist)
{
	int i;

	dst->runtime_ns += READ_ONCE(src->runtime_ns);
	dst->quanta += READ_ONCE(src->quanta);
	dst->wait_ns += READ_ONCE(src->wait_ns);
	dst->forks += READ_ONCE(src->forks);
	dst->exits += READ_ONCE(src->exits);
	if (!hist)
		return;
	for (i = 0; i < WFQMON_HIST_BUCKETS; i++)
		dst->hist[i] += READ_ONCE(src->hist[i]);
	for (i = 0; i < WFQMON_HIST_BUCKETS; i++)
		dst->wait_hist[i] += READ_ONCE(src->wait_hist[i]);
}

static void wfq_sums_sub(struct wfq_sums *dst, const struct wfq_sums *src,
			 bool hist)
{
	int i;

	dst->runtime_ns -= src->runtime_ns;
	dst->quanta -= src->quanta;
	dst->wait_ns -= src->wait_ns;
	dst->forks -= src->forks;
	dst->exits -= src->exits;
	if (!hist)
		return;
	for (i = 0; i < WFQMON_HIST_BUCKETS; i++)
		dst->hist[i] -= src->hist[i];
	for (i = 0; i < WFQMON_HIST_BUCKETS; i++)
		dst->wait_hist[i] -= src->wait_hist[i];
}

/* Raw totals since creation: per-CPU sums plus the run state. */
static void wfq_group_read_raw(struct wfq_group *g, struct wfq_counters *c,
			       bool hist)
{
	u32 seq = READ_ONCE(g->reset_seq);
	int cpu;

	memset(c, 0, sizeof(*c));
	for_each_possible_cpu(cpu) {
		struct wfq_group_pcpu *pc = per_cpu_ptr(g->pcpu, cpu);

		wfq_sums_add(&c->sum, &pc->sum, hist);
		if (READ_ONCE(pc->max_seq) != seq)
			continue;
		c->quantum_max_ns = max(c->quantum_max_ns,
					READ_ONCE(pc->quantum_max_ns));
		c->wait_max_ns = max(c->wait_max_ns, READ_ONCE(pc->wait_max_ns));
	}
	wfq_group_read_state(g, c);
}

/* Without @hist, c->sum.hist and c->sum.wait_hist stay zero. */
void wfq_group_read(struct wfq_group *g, struct wfq_counters *c, bool hist)
{
	const struct wfq_counters *base = &g->base;

	wfq_group_read_raw(g, c, hist);
	wfq_sums_sub(&c->sum, &base->sum, hist);
	c->active_ns -= base->active_ns;
	c->activations -= base->activations;
	c->catchups -= base->catchups;
	c->catchup_vtime -= base->catchup_vtime;
}

/* @cpu's runtime, wait and quanta relative to its baseline at reset. */
void wfq_group_read_cpu(struct wfq_group *g, int cpu,
			struct wfq_cpu_counters *c)
{
	struct wfq_group_pcpu *pc = per_cpu_ptr(g->pcpu, cpu);

	lockdep_assert_held(&wfq_lock);

	c->runtime_ns = READ_ONCE(pc->sum.runtime_ns) - pc->base_runtime_ns;
	c->wait_ns = READ_ONCE(pc->sum.wait_ns) - pc->base_wait_ns;
	c->quanta = READ_ONCE(pc->sum.quanta) - pc->base_quanta;
}

/*
 * Reset without writing other CPUs' counters (probes may be adding to
 * them right now): remember the totals as the new baseline, and start
 * new maxima by bumping reset_seq. The per-CPU baselines sit next to
 * the counters but only the netlink handlers touch them, under wfq_lock.
 */
void wfq_group_reset(struct wfq_group *g)
{
	int cpu;

	lockdep_assert_held(&wfq_lock);

	WRITE_ONCE(g->reset_seq, g->reset_seq + 1);
	wfq_group_read_raw(g, &g->base, true);
	for_each_possible_cpu(cpu) {
		struct wfq_group_pcpu *pc = per_cpu_ptr(g->pcpu, cpu);

		pc->base_runtime_ns = READ_ONCE(pc->sum.runtime_ns);
		pc->base_wait_ns = READ_ONCE(pc->sum.wait_ns);
		pc->base_quanta = READ_ONCE(pc->sum.quanta);
	}
	g->since_ns = ktime_get_ns();
}

void wfq_groups_destroy_all(void)
{
	struct wfq_group *g;
	unsigned long id;

	mutex_lock(&wfq_lock);
	xa_for_each(&wfq_groups, id, g)
		wfq_group_destroy(g);
	mutex_unlock(&wfq_lock);
}
