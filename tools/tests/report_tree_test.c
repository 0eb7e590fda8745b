// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the hierarchical ideal share of the report, on
 * trees hand-computed in metrics.rst. The cgroup tree is a directory
 * tree in a temporary directory holding the files the report reads
 * (cpu.weight, cpu.max, cpuset.cpus.effective, cpu.stat): the code is
 * the one that reads /sys/fs/cgroup, pointed at another root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../report.h"
#include "tap.h"

#define TOL 1e-9
#define SEC 1000000000ull
#define NR_GROUPS 3

static char root[] = "/tmp/wfqtool-tree-test.XXXXXX";

static void put(const char *dir, const char *file, const char *text)
{
	/* dir is at most PATH_MAX; the file names are short. */
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* ROOT/rel with cpu.weight, cpu.max, cpuset ("" for none) and usage. */
static void cgroup(const char *rel, const char *weight, const char *max,
		   const char *cpus, unsigned long long usage_usec)
{
	char dir[PATH_MAX], stat[64];

	snprintf(dir, sizeof(dir), "%s/%s", root, rel);
	mkdir(dir, 0755);
	put(dir, "cpu.weight", weight);
	put(dir, "cpu.max", max);
	if (cpus[0])
		put(dir, "cpuset.cpus.effective", cpus);
	snprintf(stat, sizeof(stat), "usage_usec %llu\nuser_usec 0\n",
		 usage_usec);
	put(dir, "cpu.stat", stat);
}

/* One cgroup of a tree given as a table; usage 0. */
struct cg_spec {
	const char *rel, *weight, *max, *cpus;
};

static void cgroups(const struct cg_spec *spec, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cgroup(spec[i].rel, spec[i].weight, spec[i].max, spec[i].cpus,
		       0);
}

static void remove_tree(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd))
		printf("# could not remove %s\n", root);
}

/* A window of 1 s over groups in cgroups rel[i], each runnable with threads[i]. */
struct window {
	struct group_sample a[NR_GROUPS], b[NR_GROUPS];
	struct snapshot before, after;
	struct report r;
};

static void window_open(struct window *w, const char *const *rel,
			const unsigned int *threads, const char *cpus)
{
	const char *path[NR_GROUPS];
	struct wfqnl_err err;

	memset(w, 0, sizeof(*w));
	for (int i = 0; i < NR_GROUPS; i++) {
		struct group_sample *s = &w->b[i];

		s->g.id = i + 1;
		snprintf(s->g.name, sizeof(s->g.name), "g%d", i + 1);
		s->g.weight = 100;
		s->g.active = true;
		s->g.nr_runnable = threads[i];
		s->g.runtime_ns = SEC / 3;
		s->have_cpuset = !parse_cpulist(cpus, &s->cpuset, &err);
		snprintf(s->cgroup_path, sizeof(s->cgroup_path), "%s/%s",
			 root, rel[i]);
		w->a[i] = *s;
		w->a[i].g.runtime_ns = 0;
		path[i] = s->cgroup_path;
	}
	w->before = (struct snapshot){ .mono_ns = SEC, .online_cpus = 2,
				       .n = NR_GROUPS, .groups = w->a };
	w->after = (struct snapshot){ .mono_ns = 2 * SEC, .online_cpus = 2,
				      .n = NR_GROUPS, .groups = w->b };
	cg_tree_read(&w->before.tree, root, NR_GROUPS, path);
}

/* The window's end: read the tree again (usage may have moved) and compute. */
static bool window_close(struct tap *t, struct window *w, const char *name)
{
	const char *path[NR_GROUPS];
	struct wfqnl_err err;

	for (int i = 0; i < NR_GROUPS; i++)
		path[i] = w->b[i].cgroup_path;
	cg_tree_read(&w->after.tree, root, NR_GROUPS, path);
	return tap_ok(t, report_compute(&w->before, &w->after, &w->r,
					&err) == 0, "%s: report computes", name);
}

static void window_free(struct window *w)
{
	report_free(&w->r);
	cg_tree_free(&w->before.tree);
	cg_tree_free(&w->after.tree);
	remove_tree();
}

static void ideal_is(struct tap *t, const struct window *w,
		     const double *cpus, const char *name)
{
	char what[160];

	for (int i = 0; i < NR_GROUPS; i++) {
		snprintf(what, sizeof(what), "%s: g%d's ideal is %g CPUs",
			 name, i + 1, cpus[i]);
		tap_near(t, w->r.rows[i].ideal_cpus, cpus[i], TOL, what);
	}
}

static bool make_root(struct tap *t)
{
	return tap_ok(t, mkdtemp(strcpy(root, "/tmp/wfqtool-tree-test.XXXXXX")),
		      "make a directory for the cgroup tree");
}

/* The example: two slices of weight 100, one and two services. */
static void test_two_slices(struct tap *t)
{
	static const char *const rel[] = { "system.slice/a.service",
		"system.slice/b.service", "user.slice/c.scope" };
	static const unsigned int threads[] = { 1, 1, 1 };
	static const double want[] = { 0.25, 0.25, 0.5 };
	char parent[PATH_MAX];
	struct window w;

	if (!make_root(t))
		return;
	cgroup("system.slice", "100", "max 100000", "", 0);
	cgroup("system.slice/a.service", "100", "max 100000", "", 0);
	cgroup("system.slice/b.service", "100", "max 100000", "", 0);
	cgroup("user.slice", "100", "max 100000", "", 0);
	cgroup("user.slice/c.scope", "100", "max 100000", "", 0);
	cgroup("init.scope", "100", "max 100000", "", 5);	/* idle */
	window_open(&w, rel, threads, "0");
	if (window_close(t, &w, "two slices")) {
		ideal_is(t, &w, want, "two slices on one CPU");
		tap_near(t, w.r.rows[0].ideal_share, 0.25, TOL,
			 "a.service's ideal share is 0.25, not 1/3");
		tap_near(t, w.r.rows[2].ideal_share, 0.5, TOL,
			 "c.scope's ideal share is 0.5, not 1/3");
		tap_near(t, w.r.rows[0].level_share, 0.5, TOL,
			 "a.service has half of system.slice's weight");
		tap_near(t, w.r.rows[2].level_share, 1, TOL,
			 "c.scope has all of user.slice's weight");
		snprintf(parent, sizeof(parent), "%s/system.slice", root);
		tap_eq_str(t, w.r.rows[1].ideal_parent, parent,
			   "b.service's ideal comes from system.slice");
	}
	window_free(&w);
}

/* wfqtool's own layout: siblings under one parent give the flat answer. */
static void test_flat(struct tap *t)
{
	static const char *const rel[] = { "wfq/a", "wfq/b", "wfq/c" };
	static const unsigned int threads[] = { 1, 1, 1 };
	struct window w;

	if (!make_root(t))
		return;
	cgroup("wfq", "100", "max 100000", "", 0);
	cgroup("wfq/a", "1", "max 100000", "", 0);
	cgroup("wfq/b", "2", "max 100000", "", 0);
	cgroup("wfq/c", "3", "max 100000", "", 0);
	cgroup("init.scope", "100", "max 100000", "", 0);
	window_open(&w, rel, threads, "0");
	if (window_close(t, &w, "flat")) {
		tap_near(t, w.r.rows[0].ideal_share, 10.0 / 61, TOL,
			 "flat 1:2:3: weight 1 has 10/61 as before");
		tap_near(t, w.r.rows[1].ideal_share, 20.0 / 61, TOL,
			 "flat 1:2:3: weight 2 has 20/61 as before");
		tap_near(t, w.r.rows[2].ideal_share, 31.0 / 61, TOL,
			 "flat 1:2:3: weight 3 has 31/61 as before");
	}
	window_free(&w);
}

/* system.slice capped at half a CPU of two; c.scope has two threads. */
static void test_capped_parent(struct tap *t)
{
	static const char *const rel[] = { "system.slice/a.service",
		"system.slice/b.service", "user.slice/c.scope" };
	static const unsigned int threads[] = { 1, 1, 2 };
	static const double want[] = { 0.25, 0.25, 1.5 };
	struct window w;

	if (!make_root(t))
		return;
	cgroup("system.slice", "100", "50000 100000", "", 0);
	cgroup("system.slice/a.service", "100", "max 100000", "", 0);
	cgroup("system.slice/b.service", "100", "max 100000", "", 0);
	cgroup("user.slice", "100", "max 100000", "", 0);
	cgroup("user.slice/c.scope", "100", "max 100000", "", 0);
	window_open(&w, rel, threads, "0-1");
	if (window_close(t, &w, "capped parent"))
		ideal_is(t, &w, want, "system.slice capped at 0.5 CPU");
	window_free(&w);
}

/*
 * d.service, not watched, used 0.1 CPU in the window beside a.service:
 * a gets system.slice's half less that. b is elsewhere and idle.
 */
static void test_unwatched_sibling(struct tap *t)
{
	static const char *const rel[] = { "system.slice/a.service",
		"other.slice/b.service", "user.slice/c.scope" };
	static const unsigned int threads[] = { 1, 1, 1 };
	static const double want[] = { 0.4, 0, 0.5 };
	struct window w;

	if (!make_root(t))
		return;
	cgroup("system.slice", "100", "max 100000", "", 0);
	cgroup("system.slice/a.service", "100", "max 100000", "", 0);
	cgroup("system.slice/d.service", "100", "max 100000", "", 1000000);
	cgroup("other.slice", "100", "max 100000", "", 0);
	cgroup("other.slice/b.service", "100", "max 100000", "", 0);
	cgroup("user.slice", "100", "max 100000", "", 0);
	cgroup("user.slice/c.scope", "100", "max 100000", "", 0);
	window_open(&w, rel, threads, "0");
	w.b[1].g.active = false;
	w.b[1].g.nr_runnable = 0;
	w.b[1].g.runtime_ns = 0;
	cgroup("system.slice/d.service", "100", "max 100000", "", 1100000);
	if (window_close(t, &w, "unwatched sibling")) {
		ideal_is(t, &w, want, "d.service used 0.1 CPU");
		tap_near(t, w.r.rows[0].ideal_share, 0.4 / 0.9, TOL,
			 "a.service's ideal share is 0.4 / 0.9 of the watched");
	}
	window_free(&w);
}

/* pinned/ has one CPU of two for its two children; free/c has both. */
static void test_cpuset_children(struct tap *t)
{
	static const char *const rel[] = { "pinned/a", "pinned/b", "free/c" };
	static const unsigned int threads[] = { 2, 2, 2 };
	static const double want[] = { 0.5, 0.5, 1 };
	struct window w;

	if (!make_root(t))
		return;
	cgroup("pinned", "100", "max 100000", "1", 0);
	cgroup("pinned/a", "100", "max 100000", "1", 0);
	cgroup("pinned/b", "100", "max 100000", "1", 0);
	cgroup("free", "100", "max 100000", "0-1", 0);
	cgroup("free/c", "100", "max 100000", "0-1", 0);
	window_open(&w, rel, threads, "0-1");
	if (window_close(t, &w, "cpuset children"))
		ideal_is(t, &w, want, "two children share pinned/'s one CPU");
	window_free(&w);
}

static void cap_is(struct tap *t, const struct window *w, const double *cpus,
		   const char *name)
{
	char what[160];

	for (int i = 0; i < NR_GROUPS; i++) {
		snprintf(what, sizeof(what), "%s: g%d's cap is %g CPUs", name,
			 i + 1, cpus[i]);
		tap_near(t, w->r.rows[i].cap_cpus, cpus[i], TOL, what);
	}
}

/*
 * Two CPUs. team/ has cpu.max 0.6 CPU and no threads of its own; its
 * children web/a (weight 100) and batch/b (300) one thread each, so the
 * cap is their grandparent's. other/c has two threads. Root: 1 CPU each
 * slice by weight; team keeps 0.6 and c gets the 1.4 left. team's 0.6
 * goes 1:3 through web and batch: a 0.15, b 0.45. Each of a and b may
 * use at most 0.6 CPU (the ancestor's cpu.max), c its 2 threads.
 */
static void test_ancestor_cap_shared(struct tap *t)
{
	static const char *const rel[] = { "team/web/a", "team/batch/b",
		"other/c" };
	static const unsigned int threads[] = { 1, 1, 2 };
	static const double want[] = { 0.15, 0.45, 1.4 };
	static const double caps[] = { 0.6, 0.6, 2 };
	static const struct cg_spec tree[] = {
		{ "team", "100", "60000 100000", "" },
		{ "team/web", "100", "max 100000", "" },
		{ "team/web/a", "100", "max 100000", "" },
		{ "team/batch", "300", "max 100000", "" },
		{ "team/batch/b", "100", "max 100000", "" },
		{ "other", "100", "max 100000", "" },
		{ "other/c", "100", "max 100000", "" },
	};
	struct window w;

	if (!make_root(t))
		return;
	cgroups(tree, sizeof(tree) / sizeof(tree[0]));
	window_open(&w, rel, threads, "0-1");
	if (window_close(t, &w, "ancestor's cap")) {
		ideal_is(t, &w, want, "a grandparent's cpu.max shared 1:3");
		cap_is(t, &w, caps, "a grandparent's cpu.max");
	}
	window_free(&w);
}

/*
 * Two CPUs. svc/a (weight 300, two threads) asked for CPUs 0-3 in
 * cpuset.cpus but its effective cpuset is CPU 1 alone; svc/b (100, two
 * threads) has 0-1; other/c is idle. svc gets both CPUs; by weight a
 * would get 1.5, its effective cpuset holds it to 1, b takes the other.
 */
static void test_cpuset_limited_child(struct tap *t)
{
	static const char *const rel[] = { "svc/a", "svc/b", "other/c" };
	static const unsigned int threads[] = { 2, 2, 0 };
	static const double want[] = { 1, 1, 0 };
	static const double caps[] = { 1, 2, 0 };
	static const struct cg_spec tree[] = {
		{ "svc", "100", "max 100000", "0-1" },
		{ "svc/a", "300", "max 100000", "1" },
		{ "svc/b", "100", "max 100000", "0-1" },
		{ "other", "100", "max 100000", "0-1" },
		{ "other/c", "100", "max 100000", "0-1" },
	};
	char dir[PATH_MAX];
	struct wfqnl_err err;
	struct window w;

	if (!make_root(t))
		return;
	cgroups(tree, sizeof(tree) / sizeof(tree[0]));
	snprintf(dir, sizeof(dir), "%s/svc/a", root);
	put(dir, "cpuset.cpus", "0-3");
	window_open(&w, rel, threads, "0-1");
	/* The module's sample reads the same effective cpuset. */
	parse_cpulist("1", &w.b[0].cpuset, &err);
	w.b[2].g.active = false;
	w.b[2].g.runtime_ns = 0;
	if (window_close(t, &w, "cpuset-limited child")) {
		ideal_is(t, &w, want, "a child's effective cpuset of 1 CPU");
		cap_is(t, &w, caps, "a child's effective cpuset");
	}
	window_free(&w);
}

/*
 * A tree as wide as a node with thousands of containers: every cgroup
 * is found by its path (the index grows many times on the way), each
 * watched one as its group's node, with cpu.stat's two keys from one
 * read.
 */
static void test_many_siblings(struct tap *t)
{
	enum { NR = 3000, WATCHED = 1000 };
	static char watched[WATCHED][PATH_MAX];
	const char *path[WATCHED];
	struct cg_tree tree = { 0 };
	unsigned int lost = 0, wrong = 0;
	char rel[32], dir[PATH_MAX], stat[96];

	if (!make_root(t))
		return;
	snprintf(dir, sizeof(dir), "%s/many", root);
	mkdir(dir, 0755);
	for (int i = 0; i < NR; i++) {
		snprintf(rel, sizeof(rel), "many/c%04d", i);
		cgroup(rel, "100", "max", "", 1000 + i);
		snprintf(dir, sizeof(dir), "%s/%s", root, rel);
		snprintf(stat, sizeof(stat),
			 "usage_usec %d\nuser_usec 0\nthrottled_usec %d\n",
			 1000 + i, i);
		put(dir, "cpu.stat", stat);
		if (i % 3 == 0) {
			snprintf(watched[i / 3], PATH_MAX, "%s", dir);
			path[i / 3] = watched[i / 3];
		}
	}
	tap_ok(t, cg_tree_read(&tree, root, WATCHED, path) == 0,
	       "many siblings: the tree reads");
	tap_ok(t, tree.n == NR + 2, "many siblings: %zu nodes, want %d",
	       tree.n, NR + 2);
	for (int i = 0; i < NR; i++) {
		const struct cg_tree_node *node;

		snprintf(dir, sizeof(dir), "%s/many/c%04d", root, i);
		node = cg_tree_find(&tree, dir);
		if (!node) {
			lost++;
			continue;
		}
		wrong += node->group != (i % 3 ? -1 : i / 3) ||
			 !node->have_usage || node->usage_usec != 1000u + i ||
			 !node->have_throttled ||
			 node->throttled_usec != (uint64_t)i;
	}
	tap_ok(t, !lost, "many siblings: every cgroup found (%u lost)", lost);
	tap_ok(t, !wrong, "many siblings: each with its group and cpu.stat (%u wrong)",
	       wrong);
	snprintf(dir, sizeof(dir), "%s/many/c%04d", root, NR);
	tap_ok(t, !cg_tree_find(&tree, dir), "many siblings: no node for a path not there");
	cg_tree_free(&tree);
	remove_tree();
}

/*
 * A group whose cgroup lies outside the mount (another mount of the
 * hierarchy) is left out of the tree, not the end of it; its files read
 * alone come out as the tree's own.
 */
static void test_outside_mount(struct tap *t)
{
	char mnt[PATH_MAX], a[PATH_MAX], b[PATH_MAX], out[PATH_MAX];
	const char *path[] = { out, a, "", b };
	const struct cg_tree_node *na, *nb;
	struct cg_tree tree = { 0 };
	struct cg_tree_node alone;

	if (!make_root(t))
		return;
	cgroup("mnt", "100", "max", "", 0);
	cgroup("mnt/a", "100", "max", "", 10);
	cgroup("mnt/b", "200", "max", "", 20);
	cgroup("elsewhere", "100", "max", "", 0);
	cgroup("elsewhere/x", "300", "20000 100000", "0-1", 30);
	snprintf(mnt, sizeof(mnt), "%s/mnt", root);
	snprintf(a, sizeof(a), "%s/mnt/a", root);
	snprintf(b, sizeof(b), "%s/mnt/b", root);
	snprintf(out, sizeof(out), "%s/elsewhere/x", root);
	tap_ok(t, cg_tree_read(&tree, mnt, 4, path) == 0,
	       "outside the mount: the tree still reads");
	na = cg_tree_find(&tree, a);
	nb = cg_tree_find(&tree, b);
	tap_ok(t, na && na->group == 1 && nb && nb->group == 3 &&
	       nb->cpu_weight == 200 && nb->usage_usec == 20,
	       "outside the mount: the groups after it are in the tree");
	tap_ok(t, !cg_tree_find(&tree, out) && tree.n == 3,
	       "outside the mount: no node for it (%zu nodes)", tree.n);
	cg_tree_node_read(&alone, out);
	tap_ok(t, alone.have_cpu_weight && alone.cpu_weight == 300 &&
	       alone.have_cpu_max && alone.quota_cpus == 0.2 &&
	       alone.have_cpuset && alone.cpuset_cpus == 2 &&
	       alone.have_usage && alone.usage_usec == 30 &&
	       alone.group == -1 && !strcmp(alone.path, out),
	       "outside the mount: read alone like a node of the tree");
	cg_tree_free(&tree);
	remove_tree();
}

int main(void)
{
	struct tap t = { 0 };

	test_two_slices(&t);
	test_flat(&t);
	test_capped_parent(&t);
	test_unwatched_sibling(&t);
	test_cpuset_children(&t);
	test_ancestor_cap_shared(&t);
	test_cpuset_limited_child(&t);
	test_many_siblings(&t);
	test_outside_mount(&t);
	return tap_done(&t);
}
