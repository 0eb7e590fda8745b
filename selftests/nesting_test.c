// SPDX-License-Identifier: GPL-2.0
/*
 * Nested groups: a group bound to a cgroup below another bound cgroup is
 * its parent's child. Each level is charged (a parent's counters cover
 * its subtree, like cpu.stat), keeps its own virtual time against its
 * siblings only, and follows a parent created or destroyed above it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "hog.h"
#include "wfqtest.h"

#define NR_HOGS	3
/* Longer than event_interval_ms (100) and the work's 4 ms period. */
#define SETTLE_MS	300

FIXTURE(nest) {
	struct wfqtest_env env;
	struct hog hogs[NR_HOGS];
};

FIXTURE_SETUP(nest)
{
	WFQTEST_SETUP(&self->env, true);
}

FIXTURE_TEARDOWN(nest)
{
	for (int i = 0; i < NR_HOGS; i++)
		hog_kill(&self->hogs[i]);
	wfqtest_env_teardown(&self->env);
}

/*
 * mkdir the cgroup @path of the test's tree (its parent exists) and, if
 * @subtree, enable the cpu controller for its children.
 */
static int make_cgroup(FIXTURE_DATA(nest) *self, const char *path,
		       bool subtree, struct wfqnl_err *err)
{
	int ret = cgtest_mkdir(&self->env.cg, path);

	if (ret)
		return wfqnl_err_set(err, -ret, "mkdir cgroup %s", path);
	ret = subtree ? cgtest_write(&self->env.cg, path,
				     "cgroup.subtree_control", "+cpu") : 0;
	if (ret)
		return wfqnl_err_set(err, -ret, "%s: cgroup.subtree_control",
				     path);
	return 0;
}

/* A group named <prefix>@suffix bound to the existing cgroup @path. */
static int bind_group(FIXTURE_DATA(nest) *self, const char *path,
		      const char *suffix, uint32_t weight,
		      struct wfqnl_group *g, struct wfqnl_err *err)
{
	char name[WFQMON_NAME_MAX + 1];
	int fd = cgtest_open(&self->env.cg, path), ret;

	if (fd < 0)
		return wfqnl_err_set(err, -fd, "open cgroup %s", path);
	wfqtest_name(&self->env, name, suffix);
	ret = wfqnl_group_new(self->env.nl, name, weight, wfqnl_bind_fd(fd),
			      g, err);
	close(fd);
	return ret;
}

static int get(FIXTURE_DATA(nest) *self, const struct wfqnl_group *g,
	       struct wfqnl_group *out, struct wfqnl_err *err)
{
	return wfqnl_group_get(self->env.nl, wfqnl_ref_id(g->id), 0, out,
			       err);
}

/* @n groups as they were at one moment: read with the tree frozen. */
static int get_frozen(FIXTURE_DATA(nest) *self, const struct wfqnl_group *g,
		      struct wfqnl_group *out, int n, struct wfqnl_err *err)
{
	int ret = cgtest_freeze(&self->env.cg, true);

	if (ret)
		return wfqnl_err_set(err, -ret, "%s: cgroup.freeze",
				     self->env.cg.path);
	return wfqtest_get_settled(self->env.nl, g, out, n, 0, err);
}

static int start_hog(FIXTURE_DATA(nest) *self, int i, const char *cgroup,
		     int sleep_ms)
{
	struct hog_spec spec = { .cgroup = cgroup, .cpu = 0,
				 .sleep_ms = sleep_ms, .spin_ms = -1 };
	int ret = hog_start(&self->env.cg, &spec, &self->hogs[i]);

	return ret ? ret : hog_release(&self->hogs[i]);
}

/*
 * p bound, p/a and p/b bound below it, p/own not bound: its task is p's
 * own. p's runtime is the whole subtree's, as in p's cpu.stat, and each
 * level matches its own cgroup's cpu.stat.
 */
TEST_F(nest, each_level_charged_like_its_cpu_stat)
{
	const char *paths[] = { "p", "p/a", "p/b" };
	struct wfqnl_group g[3], r[3];
	uint64_t usec[3], own_usec;
	struct wfqnl_err err;
	double own_ns;

	ASSERT_EQ(0, make_cgroup(self, "p", true, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "p/a", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "p/b", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "p/own", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "p", "p", 100, &g[0], &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "p/a", "p-a", 100, &g[1], &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "p/b", "p-b", 100, &g[2], &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, g[0].parent_id);
	EXPECT_EQ(1, g[0].depth);
	EXPECT_EQ(g[0].id, g[1].parent_id);
	EXPECT_EQ(g[0].id, g[2].parent_id);
	EXPECT_EQ(2, g[1].depth);

	ASSERT_EQ(0, start_hog(self, 0, "p/a", 0));
	ASSERT_EQ(0, start_hog(self, 1, "p/b", 0));
	ASSERT_EQ(0, start_hog(self, 2, "p/own", 0));
	sleep_ms(1500);
	/* Hogs never block: p is active through its task and both children. */
	ASSERT_EQ(0, get(self, &g[0], &r[0], &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, r[0].active);
	EXPECT_EQ(2, r[0].nr_active_children);
	EXPECT_EQ(1, r[0].nr_runnable);

	ASSERT_EQ(0, get_frozen(self, g, r, 3, &err)) TH_LOG("%s", err.msg);
	for (int i = 0; i < 3; i++)
		ASSERT_EQ(0, cgtest_usage_usec(&self->env.cg, paths[i], &usec[i]));
	ASSERT_EQ(0, cgtest_usage_usec(&self->env.cg, "p/own", &own_usec));
	cgtest_freeze(&self->env.cg, false);

	for (int i = 0; i < 3; i++) {
		double diff = wfqtest_rel_diff(r[i].runtime_ns, usec[i] * 1000.0);

		TH_LOG("%s: runtime_ns %llu, cpu.stat %llu us: %.3f%% apart",
		       paths[i], (unsigned long long)r[i].runtime_ns,
		       (unsigned long long)usec[i], diff * 100);
		EXPECT_LT(2e8, r[i].runtime_ns) TH_LOG("%s hardly ran", paths[i]);
		EXPECT_GE(0.02, diff);
	}
	/* Charged at every level in one step: the sums agree exactly. */
	ASSERT_LE(r[1].runtime_ns + r[2].runtime_ns, r[0].runtime_ns);
	own_ns = r[0].runtime_ns - r[1].runtime_ns - r[2].runtime_ns;
	EXPECT_GE(0.02, wfqtest_rel_diff(own_ns, own_usec * 1000.0))
		TH_LOG("p's own task: %.0f ns charged, cpu.stat %llu us",
		       own_ns, (unsigned long long)own_usec);
	EXPECT_LT(r[1].quanta + r[2].quanta, r[0].quanta);
}

/*
 * Two subtrees on one CPU: x/{x1,x2}, weight 1, advance fast; y/y1,
 * weight 100, slowly. x2 wakes after a second: it must catch up to its
 * sibling x1, not to the slow s_min of the other subtree.
 */
TEST_F(nest, catch_up_to_siblings_s_min)
{
	struct wfqnl_group g[5], r[5];
	struct wfqnl_err err;
	double diff;

	ASSERT_EQ(0, make_cgroup(self, "x", true, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "x/x1", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "x/x2", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "y", true, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "y/y1", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "x", "x", 100, &g[0], &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "x/x1", "x1", 1, &g[1], &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "x/x2", "x2", 1, &g[2], &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "y", "y", 100, &g[3], &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "y/y1", "y1", 100, &g[4], &err)) TH_LOG("%s", err.msg);

	ASSERT_EQ(0, start_hog(self, 0, "x/x1", 0));
	ASSERT_EQ(0, start_hog(self, 1, "y/y1", 0));
	ASSERT_EQ(0, start_hog(self, 2, "x/x2", 1000));
	sleep_ms(1500);

	ASSERT_EQ(0, get_frozen(self, g, r, 5, &err)) TH_LOG("%s", err.msg);
	cgtest_freeze(&self->env.cg, false);
	diff = wfqtest_rel_diff(r[2].vtime - g[2].vtime, r[1].vtime - g[1].vtime);
	TH_LOG("vtime advanced: x1 %llu, x2 %llu (%.2f%% apart), y1 %llu; x2 caught up by %llu",
	       (unsigned long long)(r[1].vtime - g[1].vtime),
	       (unsigned long long)(r[2].vtime - g[2].vtime), diff * 100,
	       (unsigned long long)(r[4].vtime - g[4].vtime),
	       (unsigned long long)r[2].catchup_vtime);
	EXPECT_LE(1, r[2].catchups);
	/* Level with x1 after the catch-up; far ahead of y1. */
	EXPECT_GE(0.05, diff);
	EXPECT_LT(10 * (r[4].vtime - g[4].vtime), r[2].vtime - g[2].vtime);
}

/*
 * A parent group created above two active children adopts them, and
 * destroyed again gives them back to the top level: run state, counts
 * and the module's totals right at each step, nothing left behind.
 */
TEST_F(nest, parent_created_and_destroyed_above_active_children)
{
	struct wfqnl_stats st0, st1, st2, st3;
	struct wfqnl_group a, b, p, r;
	struct wfqnl_err err;

	ASSERT_EQ(0, make_cgroup(self, "p", true, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "p/a", false, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, make_cgroup(self, "p/b", false, &err)) TH_LOG("%s", err.msg);
	/* A destroyed group's memory goes with its last queued notification. */
	sleep_ms(SETTLE_MS);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st0, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "p/a", "a", 100, &a, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, bind_group(self, "p/b", "b", 100, &b, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, start_hog(self, 0, "p/a", 0));
	ASSERT_EQ(0, start_hog(self, 1, "p/b", 0));
	sleep_ms(200);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st1, &err)) TH_LOG("%s", err.msg);

	ASSERT_EQ(0, bind_group(self, "p", "p", 100, &p, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, p.active);
	EXPECT_EQ(2, p.nr_active_children);
	EXPECT_EQ(0, p.nr_runnable);
	ASSERT_EQ(0, get(self, &a, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(p.id, r.parent_id);
	EXPECT_EQ(2, r.depth);
	EXPECT_EQ(1, r.active);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st2, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(st1.nr_active + 1, st2.nr_active);
	sleep_ms(300);
	ASSERT_EQ(0, get(self, &p, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_LT(1e8, r.runtime_ns) TH_LOG("the adopted children are not charged to p");

	ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_id(p.id), &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, get(self, &b, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, r.parent_id);
	EXPECT_EQ(1, r.depth);
	EXPECT_EQ(1, r.active);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st3, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(st1.nr_active, st3.nr_active);

	hog_kill(&self->hogs[0]);
	hog_kill(&self->hogs[1]);
	sleep_ms(100);
	for (int i = 0; i < 2; i++) {
		ASSERT_EQ(0, get(self, i ? &b : &a, &r, &err)) TH_LOG("%s", err.msg);
		EXPECT_EQ(0, r.active) TH_LOG("%s left active", r.name);
		EXPECT_EQ(0, r.nr_runnable);
	}
	ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_id(a.id), &err));
	ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_id(b.id), &err));
	sleep_ms(SETTLE_MS);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st3, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(st0.nr_groups, st3.nr_groups);
	EXPECT_EQ(st0.nr_active, st3.nr_active);
	EXPECT_EQ(st0.memory_bytes, st3.memory_bytes);
}

/*
 * WFQMON_DEPTH_MAX groups in a chain fit; a ninth, below or above them,
 * is refused with a message naming the limit.
 */
TEST_F(nest, depth_limit_refused_with_extack)
{
	char path[256] = "", name[16];
	struct wfqnl_group g;
	struct wfqnl_err err;

	for (int i = 0; i <= WFQMON_DEPTH_MAX; i++) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 "%sd%d", i ? "/" : "", i);
		ASSERT_EQ(0, make_cgroup(self, path, false, &err))
			TH_LOG("%s", err.msg);
		if (!i)
			continue;
		snprintf(name, sizeof(name), "d%d", i);
		ASSERT_EQ(0, bind_group(self, path, name, 100, &g, &err))
			TH_LOG("%s", err.msg);
		EXPECT_EQ((uint32_t)i, g.depth);
	}
	/* d1 ... d8 bound: d0 above them would make d8 the ninth level. */
	EXPECT_EQ(-EMLINK, bind_group(self, "d0", "d0", 100, &g, &err));
	TH_LOG("%s", err.extack);
	EXPECT_NE(NULL, strstr(err.extack, "WFQMON_DEPTH_MAX (8)"));
	/* And one below the deepest. */
	snprintf(path + strlen(path), sizeof(path) - strlen(path), "/d9");
	ASSERT_EQ(0, make_cgroup(self, path, false, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(-EMLINK, bind_group(self, path, "d9", 100, &g, &err));
	EXPECT_NE(NULL, strstr(err.extack, "WFQMON_DEPTH_MAX (8)"));
}

/*
 * A hog at the deepest level: its activation goes up all eight levels
 * (the state locks nest eight deep: lockdep on the debug kernel), and
 * each level is charged the same time.
 */
TEST_F(nest, deepest_chain_active_and_charged_at_every_level)
{
	struct wfqnl_group g[WFQMON_DEPTH_MAX], r[WFQMON_DEPTH_MAX];
	char path[256] = "", name[16];
	struct wfqnl_err err;

	for (int i = 0; i < WFQMON_DEPTH_MAX; i++) {
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			 "%sd%d", i ? "/" : "", i + 1);
		ASSERT_EQ(0, make_cgroup(self, path, false, &err))
			TH_LOG("%s", err.msg);
		snprintf(name, sizeof(name), "d%d", i + 1);
		ASSERT_EQ(0, bind_group(self, path, name, 100, &g[i], &err))
			TH_LOG("%s", err.msg);
	}
	ASSERT_EQ(0, start_hog(self, 0, path, 0));
	sleep_ms(500);
	for (int i = 0; i < WFQMON_DEPTH_MAX; i++) {
		int level = i + 1;

		ASSERT_EQ(0, get(self, &g[i], &r[i], &err)) TH_LOG("%s", err.msg);
		EXPECT_EQ(1, r[i].active) TH_LOG("level %d", level);
		EXPECT_EQ(level < WFQMON_DEPTH_MAX, r[i].nr_active_children);
	}
	ASSERT_EQ(0, get_frozen(self, g, r, WFQMON_DEPTH_MAX, &err))
		TH_LOG("%s", err.msg);
	cgtest_freeze(&self->env.cg, false);
	EXPECT_LT(1e8, r[0].runtime_ns);
	for (int i = 1; i < WFQMON_DEPTH_MAX; i++) {
		int level = i + 1;

		EXPECT_EQ(r[0].runtime_ns, r[i].runtime_ns) TH_LOG("level %d", level);
	}
	hog_kill(&self->hogs[0]);
	sleep_ms(100);
	ASSERT_EQ(0, get(self, &g[0], &r[0], &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, r[0].active) TH_LOG("the idle chain left the top active");
}

/*
 * Issue 12's example, on one CPU: system.slice/{a,b}.service and
 * user.slice/c.scope, all weight 100, one hog each. CFS gives
 * 0.25/0.25/0.5; each level's groups advance their vtime together.
 * Measured over 3 s between two frozen reads, after 1 s of settling:
 * a new group's entity weight follows its load average, and the window
 * from the start was 0.33/0.32/0.35 once on 7.3 (one TCG thread); since
 * then 0.250/0.250/0.500 +-0.001 there. The vtimes get 10%: the thaw
 * after the first read lets every sibling catch up to its set's s_min,
 * a jump of up to a few quanta inside the window (seen: 3.3% in 2 s).
 */
TEST_F(nest, two_slices_share_per_level)
{
	const char *paths[] = { "system.slice", "system.slice/a.service",
				"system.slice/b.service", "user.slice",
				"user.slice/c.scope" };
	const char *names[] = { "sys", "a", "b", "user", "c" };
	struct wfqnl_group g[5], r0[5], r[5];
	struct wfqnl_err err;
	double dv[5], dt[5], total, top, sys;

	for (int i = 0; i < 5; i++) {
		ASSERT_EQ(0, make_cgroup(self, paths[i], i == 0 || i == 3, &err))
			TH_LOG("%s", err.msg);
		ASSERT_EQ(0, bind_group(self, paths[i], names[i], 100, &g[i], &err))
			TH_LOG("%s", err.msg);
	}
	ASSERT_EQ(0, start_hog(self, 0, paths[1], 0));
	ASSERT_EQ(0, start_hog(self, 1, paths[2], 0));
	ASSERT_EQ(0, start_hog(self, 2, paths[4], 0));
	sleep_ms(1000);
	ASSERT_EQ(0, get_frozen(self, g, r0, 5, &err)) TH_LOG("%s", err.msg);
	cgtest_freeze(&self->env.cg, false);
	sleep_ms(3000);
	ASSERT_EQ(0, get_frozen(self, g, r, 5, &err)) TH_LOG("%s", err.msg);
	cgtest_freeze(&self->env.cg, false);

	for (int i = 0; i < 5; i++) {
		dt[i] = r[i].runtime_ns - r0[i].runtime_ns;
		dv[i] = r[i].vtime - r0[i].vtime;
	}
	total = dt[1] + dt[2] + dt[4];
	ASSERT_LT(1e9, total);
	TH_LOG("shares a %.3f b %.3f c %.3f",
	       dt[1] / total, dt[2] / total, dt[4] / total);
	EXPECT_GE(0.05, wfqtest_abs_diff(dt[1] / total, 0.25));
	EXPECT_GE(0.05, wfqtest_abs_diff(dt[2] / total, 0.25));
	EXPECT_GE(0.05, wfqtest_abs_diff(dt[4] / total, 0.5));
	EXPECT_EQ(r[1].runtime_ns + r[2].runtime_ns, r[0].runtime_ns);
	EXPECT_EQ(r[4].runtime_ns, r[3].runtime_ns);

	top = wfqtest_rel_diff(dv[0], dv[3]);
	sys = wfqtest_rel_diff(dv[1], dv[2]);
	TH_LOG("vtime advanced: slices %.0f / %.0f (%.2f%% apart), services %.0f / %.0f (%.2f%% apart), scope %.0f",
	       dv[0], dv[3], top * 100, dv[1], dv[2], sys * 100, dv[4]);
	EXPECT_GE(0.10, top);
	EXPECT_GE(0.10, sys);
}

TEST_HARNESS_MAIN
