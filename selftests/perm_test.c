// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what (Documentation/netlink-api.rst, Permissions): reads
 * and notifications are open to every user, as cpu.stat and
 * cgroup.events are in cgroupfs; writes need CAP_NET_ADMIN in the
 * initial user namespace. Each variant is a caller without it, in the initial
 * network namespace (where the family lives):
 *
 *  - nobody:           uid 65534, no capabilities anywhere;
 *  - root_in_user_ns:  uid 0 with every capability, in a new user
 *                      namespace (a rootless container's root);
 *  - kept_root_socket: nobody, using a socket root opened before the
 *                      privileges were dropped;
 *  - container_host_socket: root of a new user and network namespace (a
 *                      container) using a socket opened on the host.
 *
 * For each: every write is refused with EPERM and changes nothing; every
 * command the kernel marks admin-only is refused even without attributes;
 * reads (GET, dump, STATS) work; joining the "events" multicast group
 * works and the listener then receives the notification of a change root
 * makes. A plain test checks the family's operation table itself: every
 * command but the two reads is admin-only.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "privdrop.h"
#include "wfqtest.h"

/* nobody/nogroup: a uid change from 0 drops every capability. */

/* The family's operations, as nlctrl reports them. */
struct family_ops {
	unsigned int n;
	struct {
		uint32_t cmd;
		uint32_t flags;		/* GENL_ADMIN_PERM, GENL_CMD_CAP_* */
	} op[32];
	int events_grp;			/* "events" multicast group id, 0: none */
};

static void parse_ops(struct nlattr *ops, struct family_ops *fo)
{
	struct nlattr *op;
	int rem;

	nla_for_each_nested(op, ops, rem) {
		struct nlattr *tb[CTRL_ATTR_OP_MAX + 1];

		if (fo->n == sizeof(fo->op) / sizeof(fo->op[0]) ||
		    nla_parse_nested(tb, CTRL_ATTR_OP_MAX, op, NULL) ||
		    !tb[CTRL_ATTR_OP_ID])
			continue;
		fo->op[fo->n].cmd = nla_get_u32(tb[CTRL_ATTR_OP_ID]);
		fo->op[fo->n].flags = tb[CTRL_ATTR_OP_FLAGS] ?
				      nla_get_u32(tb[CTRL_ATTR_OP_FLAGS]) : 0;
		fo->n++;
	}
}

static void parse_groups(struct nlattr *groups, struct family_ops *fo)
{
	struct nlattr *grp;
	int rem;

	nla_for_each_nested(grp, groups, rem) {
		struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, grp, NULL) ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(nla_get_string(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    WFQMON_MCGRP_EVENTS))
			fo->events_grp = (int)nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static int family_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CTRL_ATTR_MAX, NULL))
		return -EPROTO;
	if (tb[CTRL_ATTR_OPS])
		parse_ops(tb[CTRL_ATTR_OPS], arg);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		parse_groups(tb[CTRL_ATTR_MCAST_GROUPS], arg);
	return 0;
}

/* Ask nlctrl, over @nl's socket, for the family's ops and groups. */
static int get_family_ops(struct wfqnl *nl, struct family_ops *fo,
			  struct wfqnl_err *err)
{
	struct nl_msg *msg = nlmsg_alloc();
	int ret;

	memset(fo, 0, sizeof(*fo));
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL,
				 0, 0, CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, WFQMON_FAMILY_NAME)) {
		nlmsg_free(msg);
		return wfqnl_err_set(err, ENOMEM, "build nlctrl request");
	}
	ret = wfqnl_request(nl, msg, family_reply, fo, NULL, err);
	nlmsg_free(msg);
	return ret;
}

/* The commands anyone may send: reads. */
static bool is_read_cmd(uint32_t cmd)
{
	return cmd == WFQMON_CMD_GROUP_GET || cmd == WFQMON_CMD_STATS_GET;
}

/* The family's own operation table: every command but the reads is admin-only. */
TEST(family_marks_every_write_command_admin_only)
{
	bool seen[WFQMON_CMD_MAX + 1] = { false };
	struct family_ops fo;
	struct wfqnl_err err;
	struct wfqnl *nl;
	int skip;

	nl = wfqtest_open(&err, &skip);
	if (!nl && skip)
		SKIP(return, "%s", err.msg);
	ASSERT_NE(NULL, nl) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, get_family_ops(nl, &fo, &err)) TH_LOG("%s", err.msg);
	wfqnl_close(nl);

	ASSERT_LT(0, fo.n) TH_LOG("nlctrl listed no operations");
	for (unsigned int i = 0; i < fo.n; i++) {
		uint32_t cmd = fo.op[i].cmd;

		if (cmd <= WFQMON_CMD_MAX)
			seen[cmd] = true;
		if (is_read_cmd(cmd)) {
			EXPECT_EQ(0, fo.op[i].flags & GENL_ADMIN_PERM)
				TH_LOG("read command %u is admin-only", cmd);
		} else {
			EXPECT_NE(0, fo.op[i].flags & GENL_ADMIN_PERM)
				TH_LOG("command %u changes state but anyone may send it",
				       cmd);
		}
	}
	/* The table is the one this test knows: its writes are all there. */
	EXPECT_TRUE(seen[WFQMON_CMD_GROUP_NEW]);
	EXPECT_TRUE(seen[WFQMON_CMD_GROUP_DEL]);
	EXPECT_TRUE(seen[WFQMON_CMD_GROUP_SET]);
	EXPECT_TRUE(seen[WFQMON_CMD_GROUP_RESET]);
	EXPECT_TRUE(seen[WFQMON_CMD_GROUP_GET]);
	EXPECT_TRUE(seen[WFQMON_CMD_STATS_GET]);
}

/* How the child gives up its standing before sending requests. */
enum drop {
	DROP_TO_NOBODY,
	DROP_TO_USERNS_ROOT,
	DROP_TO_NOBODY_KEEPING_SOCKET,
	DROP_TO_CONTAINER_KEEPING_SOCKET,
};

FIXTURE(perm) {
	struct wfqtest_env env;
	int fd[2];
	struct wfqnl_group victim;
	struct family_ops ops;
};

FIXTURE_VARIANT(perm) {
	enum drop how;
};

FIXTURE_VARIANT_ADD(perm, nobody) {
	.how = DROP_TO_NOBODY,
};

FIXTURE_VARIANT_ADD(perm, root_in_user_ns) {
	.how = DROP_TO_USERNS_ROOT,
};

FIXTURE_VARIANT_ADD(perm, kept_root_socket) {
	.how = DROP_TO_NOBODY_KEEPING_SOCKET,
};

FIXTURE_VARIANT_ADD(perm, container_host_socket) {
	.how = DROP_TO_CONTAINER_KEEPING_SOCKET,
};

FIXTURE_SETUP(perm)
{
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_err err;

	WFQTEST_SETUP(&self->env, false);
	self->fd[0] = wfqtest_mkcg(&self->env, "victim");
	self->fd[1] = wfqtest_mkcg(&self->env, "spare");
	ASSERT_TRUE(self->fd[0] >= 0 && self->fd[1] >= 0)
		wfqtest_env_teardown(&self->env);
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl,
				     wfqtest_name(&self->env, name, "victim"),
				     77, wfqnl_bind_fd(self->fd[0]),
				     &self->victim, &err))
		wfqtest_env_teardown(&self->env);
	ASSERT_EQ(0, get_family_ops(self->env.nl, &self->ops, &err)) {
		TH_LOG("%s", err.msg);
		wfqtest_env_teardown(&self->env);
	}
}

FIXTURE_TEARDOWN(perm)
{
	for (int i = 0; i < 2; i++)
		if (self->fd[i] > 0)
			close(self->fd[i]);
	wfqtest_env_teardown(&self->env);
}

/* What each request returned in the unprivileged child. */
struct unpriv_results {
	int drop;		/* dropping privileges */
	int open;
	int new, set, del, reset;
	int get, dump, stats;
	int dumped;		/* groups the dump returned */
	int join;		/* joining the "events" group */
	int event_cmd;		/* the first notification after it, or -errno */
	uint32_t event_id;	/* the group it names */
	/* Each op of the family, sent with no attributes. */
	int op_err[sizeof(((struct family_ops *)0)->op) /
		   sizeof(((struct family_ops *)0)->op[0])];
};

static int count_group(const struct wfqnl_group *g, void *arg)
{
	(void)g;
	(*(int *)arg)++;
	return 0;
}

static bool keeps_socket(enum drop how)
{
	return how == DROP_TO_NOBODY_KEEPING_SOCKET ||
	       how == DROP_TO_CONTAINER_KEEPING_SOCKET;
}

static int drop_privileges(enum drop how)
{
	switch (how) {
	case DROP_TO_NOBODY:
	case DROP_TO_NOBODY_KEEPING_SOCKET:
		return privdrop_to_nobody();
	case DROP_TO_USERNS_ROOT:
		return privdrop_to_userns_root(0);
	case DROP_TO_CONTAINER_KEEPING_SOCKET:
		return privdrop_to_userns_root(CLONE_NEWNET);
	}
	return -EINVAL;
}

/* Send @cmd with no attributes: what does the kernel answer? */
static int bare_request(struct wfqnl *nl, uint8_t cmd)
{
	struct wfqnl_err err;
	struct nl_msg *msg = wfqnl_msg_new(nl, cmd, 0, &err);
	int ret;

	if (!msg)
		return -err.errnum;
	ret = wfqnl_request(nl, msg, NULL, NULL, NULL, &err);
	nlmsg_free(msg);
	return ret;
}

/* Tell the parent we listen, then take the notification of its change. */
static void wait_for_event(struct wfqnl *nl, int ready_fd,
			   struct unpriv_results *res)
{
	struct wfqnl_event ev;
	struct wfqnl_err err;
	int ret;

	res->event_cmd = -ETIMEDOUT;
	if (write(ready_fd, "j", 1) != 1) {
		res->event_cmd = -errno;
		return;
	}
	ret = wfqnl_event_recv(nl, 5000, &ev, &err);
	if (ret < 0)
		res->event_cmd = ret;
	if (ret != 1)
		return;
	res->event_cmd = ev.cmd;
	res->event_id = ev.group.id;
}

static void unprivileged_requests(FIXTURE_DATA(perm) *self, enum drop how,
				  int ready_fd, struct unpriv_results *res)
{
	struct wfqnl_ref victim = wfqnl_ref_id(self->victim.id);
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_stats stats;
	struct wfqnl_group g;
	struct wfqnl_err err;
	struct wfqnl *nl = NULL;

	/* The socket is root's: the kernel must check the sender too. */
	if (keeps_socket(how)) {
		nl = wfqnl_open(&err);
		res->open = nl ? 0 : -err.errnum;
		if (!nl)
			return;
	}
	res->drop = drop_privileges(how);
	if (res->drop)
		goto out;
	if (!nl) {
		nl = wfqnl_open(&err);
		res->open = nl ? 0 : -err.errnum;
		if (!nl)
			return;
	}
	res->new = wfqnl_group_new(nl, wfqtest_name(&self->env, name, "intruder"),
				   0, wfqnl_bind_fd(self->fd[1]), &g, &err);
	res->set = wfqnl_group_set(nl, victim, 5, wfqnl_bind_none(), &g, &err);
	res->reset = wfqnl_group_reset(nl, victim, &g, &err);
	res->del = wfqnl_group_del(nl, victim, &err);
	for (unsigned int i = 0; i < self->ops.n; i++)
		res->op_err[i] = bare_request(nl, (uint8_t)self->ops.op[i].cmd);
	res->get = wfqnl_group_get(nl, victim, 0, &g, &err);
	res->dump = wfqnl_group_dump(nl, 0, count_group, &res->dumped, NULL, &err);
	res->stats = wfqnl_stats_get(nl, &stats, &err);
	res->join = wfqnl_events_subscribe(nl, &err) ? -err.errnum : 0;
	if (!res->join)
		wait_for_event(nl, ready_fd, res);
out:
	wfqnl_close(nl);
}

/*
 * Run the requests in a child that gave up root; results come by pipe.
 * Once the child listens to the events group (a byte on @ready), root
 * sets the victim's weight to what it is, which sends a notification.
 */
static int run_unprivileged(FIXTURE_DATA(perm) *self, enum drop how,
			    struct unpriv_results *res)
{
	int pipefd[2], ready[2], status;
	struct wfqnl_err err;
	char joined;
	ssize_t n;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe(pipefd))
		return -errno;
	if (pipe(ready))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(pipefd[0]);
		close(ready[0]);
		unprivileged_requests(self, how, ready[1], res);
		_exit(write(pipefd[1], res, sizeof(*res)) == sizeof(*res) ?
		      0 : 1);
	}
	close(pipefd[1]);
	close(ready[1]);
	/* EOF instead: the child ended before it listened. */
	if (read(ready[0], &joined, 1) == 1)
		wfqnl_group_set(self->env.nl, wfqnl_ref_id(self->victim.id),
				self->victim.weight, wfqnl_bind_none(), NULL,
				&err);
	close(ready[0]);
	n = read(pipefd[0], res, sizeof(*res));
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || n != sizeof(*res))
		return -ECHILD;
	return 0;
}

#define ASSERT_DROPPED(res) do {					\
	ASSERT_EQ(0, (res).drop) TH_LOG("giving up privileges: %s",	\
					strerror(-(res).drop));		\
	ASSERT_EQ(0, (res).open) TH_LOG("opening the family: %s",	\
					strerror(-(res).open));		\
} while (0)

TEST_F(perm, writes_fail_with_eperm_and_change_nothing)
{
	char name[WFQMON_NAME_MAX + 1];
	struct unpriv_results res;
	struct wfqnl_group after;
	struct wfqnl_err err;

	ASSERT_EQ(0, run_unprivileged(self, variant->how, &res));
	ASSERT_DROPPED(res);
	EXPECT_EQ(-EPERM, res.new);
	EXPECT_EQ(-EPERM, res.set);
	EXPECT_EQ(-EPERM, res.reset);
	EXPECT_EQ(-EPERM, res.del);

	ASSERT_EQ(0, wfqnl_group_get(self->env.nl,
				     wfqnl_ref_id(self->victim.id), 0, &after,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(77, after.weight);
	EXPECT_EQ(self->victim.since_ns, after.since_ns);
	EXPECT_EQ(-ENOENT, wfqnl_group_get(self->env.nl,
					   wfqnl_ref_name(wfqtest_name(&self->env, name, "intruder")), 0,
					   &after, &err));
}

/*
 * The permission check comes before any attribute is looked at, so a
 * command the kernel marks admin-only (today's or a future one) answers
 * EPERM even to an empty request; a read answers with its own error.
 */
TEST_F(perm, every_admin_command_fails_with_eperm)
{
	struct unpriv_results res;
	unsigned int admin = 0;

	ASSERT_EQ(0, run_unprivileged(self, variant->how, &res));
	ASSERT_DROPPED(res);
	for (unsigned int i = 0; i < self->ops.n; i++) {
		if (!(self->ops.op[i].flags & GENL_ADMIN_PERM)) {
			EXPECT_NE(-EPERM, res.op_err[i])
				TH_LOG("read command %u refused", self->ops.op[i].cmd);
			continue;
		}
		admin++;
		EXPECT_EQ(-EPERM, res.op_err[i])
			TH_LOG("command %u: %s", self->ops.op[i].cmd,
			       strerror(-res.op_err[i]));
	}
	/* NEW, DEL, SET and RESET at least. */
	EXPECT_LE(4, admin);
}

TEST_F(perm, reads_succeed)
{
	struct unpriv_results res;

	ASSERT_EQ(0, run_unprivileged(self, variant->how, &res));
	ASSERT_DROPPED(res);
	EXPECT_EQ(0, res.get);
	EXPECT_EQ(0, res.dump);
	EXPECT_LE(1, res.dumped);
	EXPECT_EQ(0, res.stats);
}

/*
 * An unprivileged listener joins the "events" group and is told of a
 * change root makes afterwards: the group is as open as the reads.
 */
TEST_F(perm, events_group_is_open)
{
	struct unpriv_results res;

	ASSERT_NE(0, self->ops.events_grp);
	ASSERT_EQ(0, run_unprivileged(self, variant->how, &res));
	ASSERT_DROPPED(res);
	EXPECT_EQ(0, res.join) TH_LOG("join: %s", strerror(-res.join));
	EXPECT_EQ(WFQMON_CMD_GROUP_CHANGE_NTF, res.event_cmd)
		TH_LOG("after joining: %s", res.event_cmd < 0 ?
		       strerror(-res.event_cmd) : "another notification");
	EXPECT_EQ(self->victim.id, res.event_id);
}

TEST_HARNESS_MAIN
