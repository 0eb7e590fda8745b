// SPDX-License-Identifier: GPL-2.0
/* Snapshots: the kernel's groups and their cgroups, read together. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgfind.h"
#include "cgroup.h"
#include "sample.h"

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The group's cgroup, found by place_by_name() or place_by_id(), if it
 * is still the cgroup the group is bound to; anything unreadable is
 * left out (have_* false) rather than failing the whole snapshot.
 */
static int open_cgroup(const struct group_sample *s, struct cg_handle *h)
{
	struct wfqnl_err err;
	uint64_t id;

	if (!s->cgroup_path[0])
		return -1;
	h->nr_created = 0;
	memcpy(h->path, s->cgroup_path, sizeof(h->path));
	h->dir_fd = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dir_fd < 0)
		return -1;
	if (cg_id(h, &id, &err) || id != s->g.cgroup_id) {
		cg_close(h);
		return -1;
	}
	return 0;
}

/* wfqtool's own layout first: ROOT/NAME, if it is the group's cgroup. */
static void place_by_name(const char *root, struct group_sample *s)
{
	struct wfqnl_err err;
	struct cg_handle h;
	uint64_t id;

	if (cg_open(root, s->g.name, &h, &err))
		return;
	if (!cg_id(&h, &id, &err) && id == s->g.cgroup_id)
		memcpy(s->cgroup_path, h.path, sizeof(s->cgroup_path));
	cg_close(&h);
}

/*
 * Groups bound elsewhere (a container manager's cgroup, or a group
 * renamed): look their cgroup ids up among the directories of the
 * cgroup2 tree, once for all of them.
 */
static void place_by_id(struct snapshot *snap)
{
	struct cg_wanted *wanted;
	size_t n = 0;

	for (size_t i = 0; i < snap->n; i++)
		n += !snap->groups[i].cgroup_path[0];
	if (!n)
		return;
	wanted = calloc(n, sizeof(*wanted));
	if (!wanted)
		return;
	n = 0;
	for (size_t i = 0; i < snap->n; i++)
		if (!snap->groups[i].cgroup_path[0])
			wanted[n++] = (struct cg_wanted){
				.cgroup_id = snap->groups[i].g.cgroup_id,
				.path = snap->groups[i].cgroup_path };
	cg_find_by_id(wanted, n);
	free(wanted);
}

/*
 * What was read of the group's cgroup: its limits and its cpu.stat (in
 * the tree: at the one moment the tree read every cgroup's, right after
 * the dump).
 */
static void sample_from_node(struct group_sample *s,
			     const struct cg_tree_node *node)
{
	s->have_cpu_stat = node->have_usage;
	s->usage_usec = node->usage_usec;
	s->have_throttled = node->have_throttled;
	s->throttled_usec = node->throttled_usec;
	s->have_cpu_weight = node->have_cpu_weight;
	s->cpu_weight = node->cpu_weight;
	s->have_cpu_max = node->have_cpu_max;
	s->cpu_max = node->cpu_max;
	s->have_cpuset = node->have_cpuset;
	s->cpuset = node->cpuset;
}

/*
 * The group's cgroup files, if it is still the group's cgroup (not
 * removed, nor another in its place): what the tree read of it, else
 * (outside the cgroup2 mount) the same files read now; then the files
 * the tree does not read.
 */
static void sample_cgroup(const struct snapshot *snap, struct group_sample *s)
{
	const struct cg_tree_node *node;
	struct cg_tree_node alone;
	struct wfqnl_err err;
	struct cg_handle h;
	char buf[4096];

	if (open_cgroup(s, &h))
		return;
	node = cg_tree_find(&snap->tree, s->cgroup_path);
	if (!node) {
		cg_tree_node_read(&alone, s->cgroup_path);
		node = &alone;
	}
	sample_from_node(s, node);
	if (!cg_read(&h, "memory.max", buf, sizeof(buf), &err)) {
		buf[strcspn(buf, "\n")] = '\0';
		s->have_memory_max = !parse_size(buf, &s->memory_max, &err);
	}
	cg_count_lines(&h, "cgroup.procs", &s->nr_procs, &err);
	cg_close(&h);
}

/* The cgroup tree around the groups' cgroups, under the cgroup2 mount. */
static int read_tree(struct snapshot *snap, struct wfqnl_err *err)
{
	const char **path = calloc(snap->n ? snap->n : 1, sizeof(*path));
	int ret;

	if (!path)
		return wfqnl_err_set(err, ENOMEM, "read cgroup tree");
	for (size_t i = 0; i < snap->n; i++)
		path[i] = snap->groups[i].cgroup_path;
	ret = cg_tree_read(&snap->tree, CG_MOUNT, snap->n, path);
	free(path);
	if (ret < 0)
		return wfqnl_err_set(err, -ret, "read cgroup tree");
	return 0;
}

struct dump_arg {
	struct snapshot *snap;
	size_t cap;
};

static int add_group(const struct wfqnl_group *g, void *arg)
{
	struct dump_arg *d = arg;
	struct snapshot *snap = d->snap;

	if (snap->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 16;
		void *p = realloc(snap->groups, cap * sizeof(*snap->groups));

		if (!p)
			return -ENOMEM;
		snap->groups = p;
		d->cap = cap;
	}
	memset(&snap->groups[snap->n], 0, sizeof(snap->groups[0]));
	snap->groups[snap->n++].g = *g;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	uint32_t x = ((const struct group_sample *)a)->g.id;
	uint32_t y = ((const struct group_sample *)b)->g.id;

	return (x > y) - (x < y);
}

/* The dump comes in id order; sort only if it did not. */
static void sort_by_id(struct snapshot *snap)
{
	for (size_t i = 1; i < snap->n; i++) {
		if (snap->groups[i - 1].g.id > snap->groups[i].g.id) {
			qsort(snap->groups, snap->n, sizeof(*snap->groups),
			      by_id);
			return;
		}
	}
}

int snapshot_take(struct wfqnl *nl, const char *cgroup_root, const char *name,
		  bool per_cpu, struct snapshot *snap, struct wfqnl_err *err)
{
	struct dump_arg d = { .snap = snap };
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int ret;

	memset(snap, 0, sizeof(*snap));
	snap->online_cpus = cpus > 0 ? (unsigned int)cpus : 1;
	if (name) {
		struct wfqnl_cpu *cpus = NULL;
		unsigned int nr_cpus = 0;
		struct wfqnl_group g;

		if (per_cpu)
			ret = wfqnl_group_get_cpus(nl, wfqnl_ref_name(name),
						   WFQNL_GET_HISTOGRAMS, &g,
						   &cpus, &nr_cpus, err);
		else
			ret = wfqnl_group_get(nl, wfqnl_ref_name(name),
					      WFQNL_GET_HISTOGRAMS, &g, err);
		if (!ret)
			ret = add_group(&g, &d);
		if (!ret) {
			snap->groups[0].cpus = cpus;
			snap->groups[0].nr_cpus = nr_cpus;
		} else {
			free(cpus);
		}
	} else {
		ret = wfqnl_group_dump(nl, WFQNL_GET_HISTOGRAMS, add_group, &d,
				       NULL, err);
	}
	snap->mono_ns = clock_ns(CLOCK_MONOTONIC);
	snap->time_ns = clock_ns(CLOCK_REALTIME);
	if (ret == -ENOMEM && !err->errnum)
		ret = wfqnl_err_set(err, ENOMEM, "read groups");
	if (ret < 0) {
		snapshot_free(snap);
		return ret;
	}
	sort_by_id(snap);
	for (size_t i = 0; i < snap->n; i++)
		place_by_name(cgroup_root, &snap->groups[i]);
	place_by_id(snap);
	ret = read_tree(snap, err);
	if (ret < 0) {
		snapshot_free(snap);
		return ret;
	}
	for (size_t i = 0; i < snap->n; i++)
		sample_cgroup(snap, &snap->groups[i]);
	return 0;
}

void snapshot_free(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->n; i++)
		free(snap->groups[i].cpus);
	free(snap->groups);
	snap->groups = NULL;
	snap->n = 0;
	cg_tree_free(&snap->tree);
}

static int id_is(const void *key, const void *elem)
{
	uint32_t x = *(const uint32_t *)key;
	uint32_t y = ((const struct group_sample *)elem)->g.id;

	return (x > y) - (x < y);
}

/* A report looks up every group's parent and past self: no linear scan. */
const struct group_sample *snapshot_find(const struct snapshot *snap,
					 uint32_t id)
{
	if (!snap->n)
		return NULL;
	return bsearch(&id, snap->groups, snap->n, sizeof(*snap->groups),
		       id_is);
}
