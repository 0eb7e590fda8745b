// SPDX-License-Identifier: GPL-2.0
/*
 * The group limit (module parameter max_groups): creating past it fails
 * with ENOSPC and says why; freeing a group makes room again. Memory
 * (STATS memory_bytes) grows by one fixed size per group, so it is
 * bounded by max_groups, and a refused create holds none. run.sh loads
 * the module with a small max_groups for this test.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "wfqtest.h"

/* Above this, creating every group takes too long under emulation. */
#define LIMIT_MAX_TESTED	4096

FIXTURE(limits) {
	struct wfqtest_env env;
	struct wfqnl_stats stats;
};

FIXTURE_SETUP(limits)
{
	struct wfqnl_err err;

	WFQTEST_SETUP(&self->env, false);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &self->stats, &err))
		TH_LOG("%s", err.msg);
	if (self->stats.max_groups > LIMIT_MAX_TESTED) {
		wfqtest_env_teardown(&self->env);
		SETUP_SKIP("max_groups is %u: load wfqmon.ko with max_groups<=%d",
			   self->stats.max_groups, LIMIT_MAX_TESTED);
	}
}

FIXTURE_TEARDOWN(limits)
{
	wfqtest_env_teardown(&self->env);
}

static int new_group(FIXTURE_DATA(limits) *self, int i, struct wfqnl_group *g,
		     struct wfqnl_err *err)
{
	char cgname[16], name[WFQMON_NAME_MAX + 1];
	int fd, ret;

	snprintf(cgname, sizeof(cgname), "l%d", i);
	fd = wfqtest_mkcg(&self->env, cgname);
	if (fd < 0)
		return wfqnl_err_set(err, -fd, "mkdir cgroup %s", cgname);
	ret = wfqnl_group_new(self->env.nl, wfqtest_name(&self->env, name, cgname),
			      0, wfqnl_bind_fd(fd), g, err);
	close(fd);
	return ret;
}

static int stats(FIXTURE_DATA(limits) *self, struct wfqnl_stats *st,
		 struct wfqnl_err *err)
{
	return wfqnl_stats_get(self->env.nl, st, err);
}

TEST_F(limits, create_past_max_groups_fails_with_enospc_and_message)
{
	int room = (int)self->stats.max_groups - (int)self->stats.nr_groups;
	uint64_t mem = self->stats.memory_bytes, per_group = 0;
	struct wfqnl_group g, first;
	struct wfqnl_stats st;
	struct wfqnl_err err;

	ASSERT_LT(0, room);
	for (int i = 0; i < room; i++) {
		int ret = new_group(self, i, i ? &g : &first, &err);

		if (ret)
			TH_LOG("group %d of %d: %s", i, room, err.msg);
		ASSERT_EQ(0, ret);
		/* Memory grows by the same size for every group. */
		ASSERT_EQ(0, stats(self, &st, &err)) TH_LOG("%s", err.msg);
		if (i == 0)
			per_group = st.memory_bytes - mem;
		EXPECT_EQ(mem + per_group, st.memory_bytes)
			TH_LOG("group %d: memory_bytes %llu, expected %llu",
			       i, (unsigned long long)st.memory_bytes,
			       (unsigned long long)(mem + per_group));
		mem = st.memory_bytes;
	}
	EXPECT_LT(0, per_group);
	/* The bound max_groups promises: the groups not made cost nothing. */
	EXPECT_EQ(self->stats.memory_bytes + (uint64_t)room * per_group, mem);
	TH_LOG("%llu bytes per group; %u groups (the limit) hold %llu bytes, module total %llu",
	       (unsigned long long)per_group, self->stats.max_groups,
	       (unsigned long long)(per_group * self->stats.max_groups),
	       (unsigned long long)mem);

	EXPECT_EQ(-ENOSPC, new_group(self, room, &g, &err));
	EXPECT_NE(NULL, strstr(err.extack, "max_groups"))
		TH_LOG("extack: '%s'", err.extack);
	/* A refused create holds nothing. */
	ASSERT_EQ(0, stats(self, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(mem, st.memory_bytes);
	EXPECT_EQ(self->stats.max_groups, st.nr_groups);

	/* Destroying one makes room for exactly one more. */
	ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_id(first.id), &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, stats(self, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(mem - per_group, st.memory_bytes);
	EXPECT_EQ(0, new_group(self, room + 1, &g, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(-ENOSPC, new_group(self, room + 2, &g, &err));
	ASSERT_EQ(0, stats(self, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(mem, st.memory_bytes);
}

TEST_HARNESS_MAIN
