// SPDX-License-Identifier: GPL-2.0
/*
 * Every request the contract refuses fails with its errno and an extack
 * message, and leaves no group behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "wfqtest.h"

/* A cgroup id no cgroup has: ids are inode numbers, far below this. */
#define UNKNOWN_CGROUP_ID	0x7ffffffffffff000ull
#define UNKNOWN_GROUP_ID	0xfffffff0u

#define EXPECT_REJECTED(ret, err, want) \
	EXPECT_REJECTED_CTX(ret, err, want, "")

/* ctx: what was sent, when one test sends several requests. */
#define EXPECT_REJECTED_CTX(ret, err, want, ctx) do {			\
	EXPECT_EQ(-(want), (ret)) TH_LOG("%s: %s", ctx, (err).msg);	\
	EXPECT_STRNE("", (err).extack)					\
		TH_LOG("%s: errno %d without an extack message", ctx,	\
		       (err).errnum);					\
} while (0)

/* ERANGE from the policy, or EINVAL from the handler: both are fine. */
#define EXPECT_LENGTH_REJECTED(ret, err) do {				\
	EXPECT_TRUE((ret) == -EINVAL || (ret) == -ERANGE)		\
		TH_LOG("%s", (err).msg);				\
	EXPECT_STRNE("", (err).extack)					\
		TH_LOG("errno %d without an extack message", (err).errnum); \
} while (0)

FIXTURE(rej) {
	struct wfqtest_env env;
	int fd[2];
	uint64_t cgid[2];
	char name[WFQMON_NAME_MAX + 1];
};

FIXTURE_SETUP(rej)
{
	static const char *const cgroups[] = { "a", "b" };

	WFQTEST_SETUP(&self->env, false);
	for (int i = 0; i < 2; i++) {
		self->fd[i] = wfqtest_mkcg(&self->env, cgroups[i]);
		ASSERT_LE(0, self->fd[i]) wfqtest_env_teardown(&self->env);
		ASSERT_EQ(0, cgtest_id(&self->env.cg, cgroups[i],
				       &self->cgid[i]))
			wfqtest_env_teardown(&self->env);
	}
	wfqtest_name(&self->env, self->name, "rej");
}

FIXTURE_TEARDOWN(rej)
{
	for (int i = 0; i < 2; i++)
		if (self->fd[i] > 0)
			close(self->fd[i]);
	wfqtest_env_teardown(&self->env);
}

/* A request for a test to add its one defect to; NULL name: no NAME. */
static struct nl_msg *request(struct wfqnl *nl, uint8_t cmd, const char *name)
{
	struct wfqnl_err err;
	struct nl_msg *msg = wfqnl_msg_new(nl, cmd, 0, &err);

	if (msg && name && nla_put_string(msg, WFQMON_A_GROUP_NAME, name)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
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

static int send_free(struct wfqnl *nl, struct nl_msg *msg,
		     struct wfqnl_err *err)
{
	int ret = wfqnl_request(nl, msg, NULL, NULL, NULL, err);

	nlmsg_free(msg);
	return ret;
}

static bool group_exists(struct wfqnl *nl, const char *name)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	return wfqnl_group_get(nl, wfqnl_ref_name(name), 0, &g, &err) == 0;
}

static void expect_weight_rejected(struct __test_metadata *_metadata,
				   FIXTURE_DATA(rej) *self, uint32_t weight)
{
	struct wfqnl_err err;
	struct nl_msg *msg;
	uint32_t offs;

	msg = request(self->env.nl, WFQMON_CMD_GROUP_NEW, self->name);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_CGROUP_FD, self->fd[0]));
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_WEIGHT, weight));
	offs = attr_offset(msg, WFQMON_A_GROUP_WEIGHT);
	EXPECT_REJECTED(send_free(self->env.nl, msg, &err), err, ERANGE);
	EXPECT_EQ(offs, err.bad_attr_offs)
		TH_LOG("NLMSGERR_ATTR_OFFS does not point at WEIGHT");
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_zero_weight)
{
	expect_weight_rejected(_metadata, self, 0);
}

TEST_F(rej, create_rejects_weight_above_max)
{
	expect_weight_rejected(_metadata, self, WFQMON_WEIGHT_MAX + 1);
}

TEST_F(rej, set_rejects_zero_weight)
{
	struct wfqnl_group g;
	struct wfqnl_err err;
	struct nl_msg *msg;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	msg = request(self->env.nl, WFQMON_CMD_GROUP_SET, NULL);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_ID, g.id));
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_WEIGHT, 0));
	EXPECT_REJECTED(send_free(self->env.nl, msg, &err), err, ERANGE);
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0, &g,
				     &err));
	EXPECT_EQ(WFQMON_WEIGHT_DEFAULT, g.weight);
}

TEST_F(rej, create_rejects_unknown_attribute_type)
{
	struct wfqnl_err err;
	struct nl_msg *msg;
	uint32_t offs;

	msg = request(self->env.nl, WFQMON_CMD_GROUP_NEW, self->name);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_CGROUP_FD, self->fd[0]));
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_MAX + 1, 1));
	offs = attr_offset(msg, WFQMON_A_GROUP_MAX + 1);
	EXPECT_REJECTED(send_free(self->env.nl, msg, &err), err, EINVAL);
	EXPECT_NE(NULL, strstr(err.extack, "Unknown attribute type"))
		TH_LOG("extack: \"%s\"", err.extack);
	EXPECT_EQ(offs, err.bad_attr_offs);
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_overlong_name)
{
	char name[WFQMON_NAME_MAX + 2];
	struct wfqnl_group g;
	struct wfqnl_err err;
	int ret;

	memset(name, 'x', WFQMON_NAME_MAX + 1);
	memcpy(name, self->env.prefix, strlen(self->env.prefix));
	name[WFQMON_NAME_MAX + 1] = '\0';
	ret = wfqnl_group_new(self->env.nl, name, 0,
			      wfqnl_bind_fd(self->fd[0]), &g, &err);
	EXPECT_LENGTH_REJECTED(ret, err);
}

TEST_F(rej, create_accepts_longest_name)
{
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;
	struct wfqnl_err err;

	memset(name, 'x', WFQMON_NAME_MAX);
	memcpy(name, self->env.prefix, strlen(self->env.prefix));
	name[WFQMON_NAME_MAX] = '\0';
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	EXPECT_STREQ(name, g.name);
}

TEST_F(rej, create_rejects_empty_name)
{
	struct wfqnl_group g;
	struct wfqnl_err err;
	int ret;

	ret = wfqnl_group_new(self->env.nl, "", 0, wfqnl_bind_fd(self->fd[0]),
			      &g, &err);
	EXPECT_LENGTH_REJECTED(ret, err);
}

TEST_F(rej, create_rejects_bad_characters)
{
	static const char *const bad[] = { "x/y", "x y", "x\ty", "x\x7f",
					   "x\xc3\xa9", "x\x01" };
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;
	struct wfqnl_err err;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		wfqtest_name(&self->env, name, bad[i]);
		EXPECT_REJECTED(wfqnl_group_new(self->env.nl, name, 0,
						wfqnl_bind_fd(self->fd[0]),
						&g, &err),
				err, EINVAL);
	}
}

/* What systemd units, escapes and container managers put in cgroup names. */
TEST_F(rej, create_accepts_cgroup_directory_names)
{
	static const char *const names[] = {
		"docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope",
		"foo@bar.service", "-.slice", "sys-dev-x\\x2dy.device",
		"lxc.payload.c1", "libpod-conmon-1:2", "x*~!\"#$%&'()+,;<=>?[]^`{|}",
	};
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;
	struct wfqnl_err err;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		wfqtest_name(&self->env, name, names[i]);
		ASSERT_EQ(0, wfqnl_group_new(self->env.nl, name, 0,
					     wfqnl_bind_fd(self->fd[0]), &g,
					     &err))
			TH_LOG("\"%s\": %s", name, err.msg);
		EXPECT_STREQ(name, g.name);
		ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_id(g.id),
					     &err))
			TH_LOG("%s", err.msg);
	}
}

TEST_F(rej, create_rejects_dot_names)
{
	static const char *const dots[] = { ".", ".." };
	struct wfqnl_group g;
	struct wfqnl_err err;

	for (size_t i = 0; i < 2; i++)
		EXPECT_REJECTED(wfqnl_group_new(self->env.nl, dots[i], 0,
						wfqnl_bind_fd(self->fd[0]),
						&g, &err),
				err, EINVAL);
}

TEST_F(rej, create_rejects_duplicate_name)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	EXPECT_REJECTED(wfqnl_group_new(self->env.nl, self->name, 0,
					wfqnl_bind_fd(self->fd[1]), &g, &err),
			err, EEXIST);
}

TEST_F(rej, create_rejects_missing_name)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	EXPECT_EQ(-EINVAL, wfqnl_group_new(self->env.nl, NULL, 0,
					   wfqnl_bind_fd(self->fd[0]), &g,
					   &err));
	/* Either a message or NLMSGERR_ATTR_MISS_TYPE may name it. */
	EXPECT_TRUE(err.extack[0] || err.miss_type == WFQMON_A_GROUP_NAME)
		TH_LOG("extack \"%s\", missing type %u", err.extack,
		       err.miss_type);
}

TEST_F(rej, create_rejects_missing_binding)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	EXPECT_REJECTED(wfqnl_group_new(self->env.nl, self->name, 0,
					wfqnl_bind_none(), &g, &err),
			err, EINVAL);
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_fd_and_id_together)
{
	struct wfqnl_err err;
	struct nl_msg *msg;

	msg = request(self->env.nl, WFQMON_CMD_GROUP_NEW, self->name);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_CGROUP_FD, self->fd[0]));
	ASSERT_EQ(0, nla_put_u64(msg, WFQMON_A_GROUP_CGROUP_ID, self->cgid[0]));
	EXPECT_REJECTED(send_free(self->env.nl, msg, &err), err, EINVAL);
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_an_id_chosen_by_the_caller)
{
	struct wfqnl_err err;
	struct nl_msg *msg;
	uint32_t offs;

	msg = request(self->env.nl, WFQMON_CMD_GROUP_NEW, self->name);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_CGROUP_FD, self->fd[0]));
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_ID, 7));
	offs = attr_offset(msg, WFQMON_A_GROUP_ID);
	EXPECT_REJECTED(send_free(self->env.nl, msg, &err), err, EINVAL);
	EXPECT_EQ(offs, err.bad_attr_offs);
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

/* DEL, GET and RESET only name a group: a weight is not theirs to take. */
TEST_F(rej, del_rejects_attributes_beyond_the_group_name)
{
	struct wfqnl_err err;
	struct nl_msg *msg;

	msg = request(self->env.nl, WFQMON_CMD_GROUP_DEL, self->name);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_WEIGHT, 100));
	EXPECT_REJECTED(send_free(self->env.nl, msg, &err), err, EINVAL);
}

TEST_F(rej, create_rejects_closed_fd)
{
	struct wfqnl_group g;
	struct wfqnl_err err;
	int fd = dup(self->fd[0]);

	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_REJECTED(wfqnl_group_new(self->env.nl, self->name, 0,
					wfqnl_bind_fd(fd), &g, &err),
			err, EBADF);
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_fds_that_are_not_cgroup_dirs)
{
	/* A device, a cgroup's regular file, a directory outside cgroupfs. */
	static const char *const paths[] = { "/dev/null", "cgroup.procs", "/" };
	struct wfqnl_group g;
	struct wfqnl_err err;

	for (size_t i = 0; i < 3; i++) {
		int fd = openat(self->fd[0], paths[i], O_RDONLY | O_CLOEXEC);

		ASSERT_LE(0, fd) TH_LOG("open %s", paths[i]);
		EXPECT_REJECTED_CTX(wfqnl_group_new(self->env.nl, self->name,
						    0, wfqnl_bind_fd(fd), &g,
						    &err),
				    err, EBADF, paths[i]);
		close(fd);
	}
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_unknown_cgroup_id)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	EXPECT_REJECTED(wfqnl_group_new(self->env.nl, self->name, 0,
					wfqnl_bind_id(UNKNOWN_CGROUP_ID), &g,
					&err),
			err, ENOENT);
	EXPECT_FALSE(group_exists(self->env.nl, self->name));
}

TEST_F(rej, create_rejects_cgroup_bound_to_another_group)
{
	char name2[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	wfqtest_name(&self->env, name2, "second");
	EXPECT_REJECTED(wfqnl_group_new(self->env.nl, name2, 0,
					wfqnl_bind_fd(self->fd[0]), &g, &err),
			err, EBUSY);
	EXPECT_REJECTED(wfqnl_group_new(self->env.nl, name2, 0,
					wfqnl_bind_id(self->cgid[0]), &g,
					&err),
			err, EBUSY);
	EXPECT_FALSE(group_exists(self->env.nl, name2));
}

TEST_F(rej, set_rejects_cgroup_bound_to_another_group)
{
	char name2[WFQMON_NAME_MAX + 1];
	struct wfqnl_group a, b, reply;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd[0]), &a, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl,
				     wfqtest_name(&self->env, name2, "b"), 0,
				     wfqnl_bind_fd(self->fd[1]), &b, &err))
		TH_LOG("%s", err.msg);
	EXPECT_REJECTED(wfqnl_group_set(self->env.nl, wfqnl_ref_id(b.id), 0,
					wfqnl_bind_id(self->cgid[0]), &reply,
					&err),
			err, EBUSY);
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(b.id), 0, &reply,
				     &err));
	EXPECT_EQ(self->cgid[1], reply.cgroup_id);
}

TEST_F(rej, del_rejects_unknown_group)
{
	struct wfqnl_err err;

	EXPECT_REJECTED(wfqnl_group_del(self->env.nl,
					wfqnl_ref_id(UNKNOWN_GROUP_ID), &err),
			err, ENOENT);
	EXPECT_REJECTED(wfqnl_group_del(self->env.nl,
					wfqnl_ref_name(self->name), &err),
			err, ENOENT);
}

TEST_F(rej, get_rejects_unknown_group)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	EXPECT_REJECTED(wfqnl_group_get(self->env.nl,
					wfqnl_ref_id(UNKNOWN_GROUP_ID), 0, &g,
					&err),
			err, ENOENT);
	EXPECT_REJECTED(wfqnl_group_get(self->env.nl,
					wfqnl_ref_name(self->name), 0, &g, &err),
			err, ENOENT);
}

TEST_F(rej, set_and_reset_reject_unknown_group)
{
	struct wfqnl_group g;
	struct wfqnl_err err;

	EXPECT_REJECTED(wfqnl_group_set(self->env.nl,
					wfqnl_ref_id(UNKNOWN_GROUP_ID), 5,
					wfqnl_bind_none(), &g, &err),
			err, ENOENT);
	EXPECT_REJECTED(wfqnl_group_reset(self->env.nl,
					  wfqnl_ref_name(self->name), &g,
					  &err),
			err, ENOENT);
}

TEST_F(rej, requests_without_id_or_name_are_rejected)
{
	static const uint8_t cmds[] = { WFQMON_CMD_GROUP_GET,
					WFQMON_CMD_GROUP_DEL,
					WFQMON_CMD_GROUP_SET,
					WFQMON_CMD_GROUP_RESET };
	static const char *const names[] = { "GET", "DEL", "SET", "RESET" };
	struct wfqnl_err err;

	for (size_t i = 0; i < sizeof(cmds); i++) {
		struct nl_msg *msg = request(self->env.nl, cmds[i], NULL);

		ASSERT_NE(NULL, msg);
		if (cmds[i] == WFQMON_CMD_GROUP_SET)
			ASSERT_EQ(0, nla_put_u32(msg, WFQMON_A_GROUP_WEIGHT, 5));
		EXPECT_REJECTED_CTX(send_free(self->env.nl, msg, &err), err,
				    EINVAL, names[i]);
	}
}

TEST_HARNESS_MAIN
