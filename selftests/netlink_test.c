// SPDX-License-Identifier: GPL-2.0
/* The wfqmon family: resolution, and create/get/set/reset/destroy round trips. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "wfqtest.h"

/* What GET with HISTOGRAMS adds to a group reply. */
#define GROUP_HIST_ATTRS						\
	((1u << WFQMON_A_GROUP_QUANTUM_HIST) | (1u << WFQMON_A_GROUP_WAIT_HIST))

/*
 * Every attribute a group reply carries: all but the request-only ones,
 * the histograms (GET with HISTOGRAMS) and the per-CPU nests (GET with
 * PERCPU).
 */
#define GROUP_REPLY_ATTRS						\
	(((1u << (WFQMON_A_GROUP_MAX + 1)) - 1) &			\
	 ~(1u | (1u << WFQMON_A_GROUP_CGROUP_FD) |		\
	   (1u << WFQMON_A_GROUP_PAD) | (1u << WFQMON_A_GROUP_PERCPU) |	\
	   (1u << WFQMON_A_GROUP_CPU) | (1u << WFQMON_A_GROUP_HISTOGRAMS) | \
	   GROUP_HIST_ATTRS))

#define STATS_REPLY_ATTRS						\
	(((1u << (WFQMON_A_STATS_MAX + 1)) - 1) &			\
	 ~(1u | (1u << WFQMON_A_STATS_PAD)))

TEST(family_resolves_with_the_header_version)
{
	struct wfqnl_err err;
	struct wfqnl *nl;
	int skip;

	nl = wfqtest_open(&err, &skip);
	if (!nl && skip)
		SKIP(return, "%s", err.msg);
	ASSERT_NE(NULL, nl) TH_LOG("%s", err.msg);
	EXPECT_EQ(WFQMON_FAMILY_VERSION, wfqnl_family_version(nl));
	wfqnl_close(nl);
}

FIXTURE(rt) {
	struct wfqtest_env env;
	int fd[3];
	uint64_t cgid[3];
	char name[WFQMON_NAME_MAX + 1];
};

FIXTURE_SETUP(rt)
{
	static const char *const cgroups[] = { "a", "b", "c" };

	WFQTEST_SETUP(&self->env, false);
	for (int i = 0; i < 3; i++) {
		self->fd[i] = wfqtest_mkcg(&self->env, cgroups[i]);
		ASSERT_LE(0, self->fd[i]) wfqtest_env_teardown(&self->env);
		ASSERT_EQ(0, cgtest_id(&self->env.cg, cgroups[i],
				       &self->cgid[i]))
			wfqtest_env_teardown(&self->env);
	}
	wfqtest_name(&self->env, self->name, "rt");
}

FIXTURE_TEARDOWN(rt)
{
	for (int i = 0; i < 3; i++)
		if (self->fd[i] > 0)
			close(self->fd[i]);
	wfqtest_env_teardown(&self->env);
}

TEST_F(rt, create_replies_with_every_attribute)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(GROUP_REPLY_ATTRS, g.present)
		TH_LOG("missing attributes: 0x%x", GROUP_REPLY_ATTRS & ~g.present);
	EXPECT_NE(0, g.id);
	EXPECT_STREQ(self->name, g.name);
	EXPECT_EQ(WFQMON_WEIGHT_DEFAULT, g.weight);
	EXPECT_EQ(self->cgid[0], g.cgroup_id);
	EXPECT_EQ(0, g.hist_len);
	EXPECT_EQ(0, g.wait_hist_len);
	EXPECT_EQ(0, g.runtime_ns);
	EXPECT_LT(0, g.since_ns);
	EXPECT_GE(now_ns(), g.since_ns);
}

TEST_F(rt, get_by_id_and_by_name_return_created_values)
{
	struct wfqnl_group made, by_id, by_name;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 250,
				     wfqnl_bind_id(self->cgid[1]), &made, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(self->cgid[1], made.cgroup_id);
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(made.id), 0,
				     &by_id, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_name(self->name), 0,
				     &by_name, &err))
		TH_LOG("%s", err.msg);
	for (int i = 0; i < 2; i++) {
		const struct wfqnl_group *g = i ? &by_name : &by_id;

		EXPECT_EQ(made.id, g->id);
		EXPECT_STREQ(self->name, g->name);
		EXPECT_EQ(250, g->weight);
		EXPECT_EQ(self->cgid[1], g->cgroup_id);
		EXPECT_EQ(made.since_ns, g->since_ns);
	}
}

TEST_F(rt, set_weight_is_read_back_at_bounds_and_between)
{
	static const uint32_t weights[] = { WFQMON_WEIGHT_MIN,
					    WFQMON_WEIGHT_MAX, 7 };
	struct wfqnl_group g, reply;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(weights); i++) {
		ASSERT_EQ(0, wfqnl_group_set(self->env.nl, wfqnl_ref_id(g.id),
					     weights[i], wfqnl_bind_none(),
					     &reply, &err))
			TH_LOG("%s", err.msg);
		EXPECT_EQ(weights[i], reply.weight);
		ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0,
					     &reply, &err))
			TH_LOG("%s", err.msg);
		EXPECT_EQ(weights[i], reply.weight);
		EXPECT_EQ(self->cgid[0], reply.cgroup_id);
	}
}

TEST_F(rt, set_binding_moves_group_and_frees_old_cgroup)
{
	struct wfqnl_group g, reply, other;
	struct wfqnl_err err;
	char name2[WFQMON_NAME_MAX + 1];

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 300,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_set(self->env.nl, wfqnl_ref_name(self->name),
				     0, wfqnl_bind_fd(self->fd[1]), &reply,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(self->cgid[1], reply.cgroup_id);
	EXPECT_EQ(300, reply.weight);
	ASSERT_EQ(0, wfqnl_group_set(self->env.nl, wfqnl_ref_id(g.id), 0,
				     wfqnl_bind_id(self->cgid[2]), &reply,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(self->cgid[2], reply.cgroup_id);
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0, &reply,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(self->cgid[2], reply.cgroup_id);
	/* The cgroups it left are free for another group. */
	EXPECT_EQ(0, wfqnl_group_new(self->env.nl,
				     wfqtest_name(&self->env, name2, "other"),
				     0, wfqnl_bind_fd(self->fd[0]), &other,
				     &err))
		TH_LOG("%s", err.msg);
}

TEST_F(rt, del_makes_group_unknown_and_frees_cgroup)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_name(self->name),
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(-ENOENT, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0,
					   &g, &err));
	EXPECT_EQ(-ENOENT, wfqnl_group_get(self->env.nl,
					   wfqnl_ref_name(self->name), 0, &g,
					   &err));
	EXPECT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
}

TEST_F(rt, reset_restarts_since_and_keeps_identity)
{
	struct wfqnl_group g, after;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 42,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	sleep_ms(20);
	ASSERT_EQ(0, wfqnl_group_reset(self->env.nl, wfqnl_ref_id(g.id), NULL,
				       &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0, &after,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_LT(g.since_ns + 10 * 1000000ull, after.since_ns);
	EXPECT_EQ(g.id, after.id);
	EXPECT_STREQ(g.name, after.name);
	EXPECT_EQ(42, after.weight);
	EXPECT_EQ(g.cgroup_id, after.cgroup_id);
	EXPECT_EQ(0, after.runtime_ns);
	EXPECT_EQ(0, after.quanta);
	EXPECT_EQ(0, after.forks);
	EXPECT_EQ(0, after.exits);
}

TEST_F(rt, stats_report_every_attribute_and_count_groups)
{
	struct wfqnl_stats before, after;
	struct wfqnl_group g;
	struct wfqnl_err err;
	char name2[WFQMON_NAME_MAX + 1];

	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &before, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(STATS_REPLY_ATTRS, before.present)
		TH_LOG("missing attributes: 0x%x",
		       STATS_REPLY_ATTRS & ~before.present);
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl,
				     wfqtest_name(&self->env, name2, "two"), 0,
				     wfqnl_bind_fd(self->fd[1]), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &after, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(before.nr_groups + 2, after.nr_groups);
	EXPECT_LE(after.nr_groups, after.max_groups);
	EXPECT_LE(before.vtime_min, after.vtime_min);
	EXPECT_LT(0, after.memory_bytes);
}

/* How many CPUs /sys/devices/system/cpu/possible lists, or -errno. */
static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	unsigned int lo, hi;
	int n = 0, c;

	if (!f)
		return -errno;
	/* "0-3,8-11" or "0" */
	do {
		if (fscanf(f, "%u", &lo) != 1)
			break;
		hi = lo;
		c = fgetc(f);
		if (c == '-' && fscanf(f, "%u", &hi) == 1)
			c = fgetc(f);
		n += (int)(hi - lo + 1);
	} while (c == ',');
	fclose(f);
	return n ? n : -EPROTO;
}

TEST_F(rt, get_per_cpu_gives_one_entry_per_possible_cpu)
{
	struct wfqnl_cpu *cpus = NULL;
	struct wfqnl_group g, plain;
	unsigned int nr_cpus = 0;
	struct wfqnl_err err;
	int possible = possible_cpus();

	ASSERT_LT(0, possible) TH_LOG("possible CPUs: %s", strerror(-possible));
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_get_cpus(self->env.nl, wfqnl_ref_id(g.id), 0,
					  &g, &cpus, &nr_cpus, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(GROUP_REPLY_ATTRS | (1u << WFQMON_A_GROUP_CPU), g.present)
		TH_LOG("attributes 0x%x", g.present);
	EXPECT_EQ(possible, nr_cpus);
	for (unsigned int i = 0; i < nr_cpus; i++) {
		/* Ascending and distinct; nothing ran in the empty cgroup. */
		if (i)
			EXPECT_LT(cpus[i - 1].cpu, cpus[i].cpu);
		EXPECT_EQ(0, cpus[i].runtime_ns);
		EXPECT_EQ(0, cpus[i].quanta);
	}
	free(cpus);

	/* Without the flag, the same group comes without CPU nests. */
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0, &plain,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(GROUP_REPLY_ATTRS, plain.present);
}

/* Where the kernel should point NLMSGERR_ATTR_OFFS for this attribute. */
static uint32_t attr_offset(struct nl_msg *msg, int type)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *attr;

	attr = nla_find(genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0),
			type);
	return attr ? (uint32_t)((char *)attr - (char *)nlh) : 0;
}

/*
 * PERCPU and HISTOGRAMS are GET flags: NEW, SET, DEL and RESET refuse
 * them, pointing at them, and change nothing; a dump refuses PERCPU
 * (one group only).
 */
TEST_F(rt, get_flags_are_refused_by_the_other_commands)
{
	static const uint8_t cmds[] = { WFQMON_CMD_GROUP_NEW,
					WFQMON_CMD_GROUP_SET,
					WFQMON_CMD_GROUP_DEL,
					WFQMON_CMD_GROUP_RESET };
	static const char *const names[] = { "NEW", "SET", "DEL", "RESET" };
	static const int flags[] = { WFQMON_A_GROUP_PERCPU,
				     WFQMON_A_GROUP_HISTOGRAMS };
	struct wfqnl_group g, after;
	char other[WFQMON_NAME_MAX + 1];
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 30,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	wfqtest_name(&self->env, other, "other");
	for (size_t i = 0; i < sizeof(cmds) * 2; i++) {
		struct nl_msg *msg = wfqnl_msg_new(self->env.nl, cmds[i / 2], 0,
						   &err);
		int flag = flags[i % 2];
		uint32_t offs;
		int ret;

		ASSERT_NE(NULL, msg) TH_LOG("%s", err.msg);
		if (cmds[i / 2] == WFQMON_CMD_GROUP_NEW) {
			ASSERT_EQ(0, nla_put_string(msg, WFQMON_A_GROUP_NAME,
						    other));
			ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_CGROUP_FD,
						 self->fd[1]));
		} else {
			ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_ID, g.id));
		}
		if (cmds[i / 2] == WFQMON_CMD_GROUP_SET)
			ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_WEIGHT, 60));
		ASSERT_EQ(0, nla_put_flag(msg, flag));
		offs = attr_offset(msg, flag);
		ret = wfqnl_request(self->env.nl, msg, NULL, NULL, NULL, &err);
		nlmsg_free(msg);
		EXPECT_EQ(-EINVAL, ret)
			TH_LOG("%s, flag %d: %s", names[i / 2], flag, err.msg);
		EXPECT_STRNE("", err.extack)
			TH_LOG("%s, flag %d: no extack", names[i / 2], flag);
		EXPECT_EQ(offs, err.bad_attr_offs)
			TH_LOG("%s, flag %d", names[i / 2], flag);
	}
	/* Nothing happened: no new group, the old one unchanged and alive. */
	EXPECT_EQ(-ENOENT, wfqnl_group_get(self->env.nl, wfqnl_ref_name(other), 0,
					   &after, &err));
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0, &after,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(30, after.weight);
	EXPECT_EQ(g.since_ns, after.since_ns);

	{
		struct nl_msg *msg = wfqnl_msg_new(self->env.nl,
						   WFQMON_CMD_GROUP_GET,
						   NLM_F_DUMP, &err);
		int ret;

		ASSERT_NE(NULL, msg) TH_LOG("%s", err.msg);
		ASSERT_EQ(0, nla_put_flag(msg, WFQMON_A_GROUP_PERCPU));
		ret = wfqnl_request(self->env.nl, msg, NULL, NULL, NULL, &err);
		nlmsg_free(msg);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("dump: %s", err.msg);
		/* The dump's own policy (6.2+), or its handler (before). */
		EXPECT_TRUE(strstr(err.extack, "Unsupported attribute") ||
			    strstr(err.extack, "one group"))
			TH_LOG("dump extack: \"%s\"", err.extack);
	}
}

struct hist_seen {
	uint32_t id;
	unsigned int found;
	struct wfqnl_group g;
};

static int find_group(const struct wfqnl_group *g, void *arg)
{
	struct hist_seen *seen = arg;

	if (g->id == seen->id) {
		seen->found++;
		seen->g = *g;
	}
	return 0;
}

/* Histograms come with GET and dump only when asked for, in full. */
TEST_F(rt, histograms_come_only_when_asked_for)
{
	struct wfqnl_group g, plain, hist;
	struct wfqnl_cpu *cpus = NULL;
	unsigned int nr_cpus = 0;
	struct hist_seen seen;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);

	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0,
				     &plain, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(GROUP_REPLY_ATTRS, plain.present);
	EXPECT_EQ(0, plain.hist_len);

	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id),
				     WFQNL_GET_HISTOGRAMS, &hist, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(GROUP_REPLY_ATTRS | GROUP_HIST_ATTRS, hist.present)
		TH_LOG("attributes 0x%x", hist.present);
	EXPECT_EQ(WFQMON_HIST_BUCKETS, hist.hist_len);
	EXPECT_EQ(WFQMON_HIST_BUCKETS, hist.wait_hist_len);

	/* Both flags at once: histograms and CPU nests in one reply. */
	ASSERT_EQ(0, wfqnl_group_get_cpus(self->env.nl, wfqnl_ref_id(g.id),
					  WFQNL_GET_HISTOGRAMS, &hist, &cpus,
					  &nr_cpus, &err))
		TH_LOG("%s", err.msg);
	free(cpus);
	EXPECT_EQ(GROUP_REPLY_ATTRS | GROUP_HIST_ATTRS |
		  (1u << WFQMON_A_GROUP_CPU), hist.present)
		TH_LOG("attributes 0x%x", hist.present);
	EXPECT_LT(0, nr_cpus);

	for (int with = 0; with < 2; with++) {
		seen = (struct hist_seen){ .id = g.id };
		ASSERT_EQ(0, wfqnl_group_dump(self->env.nl,
					      with ? WFQNL_GET_HISTOGRAMS : 0,
					      find_group, &seen, NULL, &err))
			TH_LOG("%s", err.msg);
		ASSERT_EQ(1, seen.found);
		EXPECT_EQ(GROUP_REPLY_ATTRS | (with ? GROUP_HIST_ATTRS : 0),
			  seen.g.present)
			TH_LOG("dump %s histograms: attributes 0x%x",
			       with ? "with" : "without", seen.g.present);
		EXPECT_EQ(with ? WFQMON_HIST_BUCKETS : 0, seen.g.hist_len);
		EXPECT_EQ(with ? WFQMON_HIST_BUCKETS : 0, seen.g.wait_hist_len);
	}
}

TEST_HARNESS_MAIN
