// SPDX-License-Identifier: GPL-2.0
/*
 * Without CAP_NET_ADMIN in the initial user namespace every write is
 * refused with EPERM and changes nothing, while reads (GET, dump, STATS)
 * still work: for a plain unprivileged user and for root inside a user
 * namespace (a container's root). A new network namespace does not see
 * the family at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "wfqtest.h"

/* nobody/nogroup: a uid change from 0 drops every capability. */
#define NOBODY	65534

FIXTURE(perm) {
	struct wfqtest_env env;
	int fd[2];
	struct wfqnl_group victim;
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
};

static int count_group(const struct wfqnl_group *g, void *arg)
{
	(void)g;
	(*(int *)arg)++;
	return 0;
}

/* How the child gives up its standing before sending requests. */
enum drop {
	DROP_TO_NOBODY,		/* uid 65534: no capabilities anywhere */
	DROP_TO_USERNS_ROOT,	/* uid 0 with every capability, in a new user ns */
	DROP_TO_NEW_NETNS,	/* still root, in a new network namespace */
};

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -errno;
	close(fd);
	return ret;
}

/* Root inside: map our own uid and gid 0 to 0, as a container runtime would. */
static int enter_user_ns(void)
{
	int ret;

	if (unshare(CLONE_NEWUSER))
		return -errno;
	ret = write_file("/proc/self/setgroups", "deny");
	if (!ret)
		ret = write_file("/proc/self/uid_map", "0 0 1");
	if (!ret)
		ret = write_file("/proc/self/gid_map", "0 0 1");
	return ret;
}

static int drop_privileges(enum drop how)
{
	switch (how) {
	case DROP_TO_NOBODY:
		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			return -errno;
		return 0;
	case DROP_TO_USERNS_ROOT:
		return enter_user_ns();
	case DROP_TO_NEW_NETNS:
		return unshare(CLONE_NEWNET) ? -errno : 0;
	}
	return -EINVAL;
}

static void unprivileged_requests(FIXTURE_DATA(perm) *self, enum drop how,
				  struct unpriv_results *res)
{
	struct wfqnl_ref victim = wfqnl_ref_id(self->victim.id);
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_stats stats;
	struct wfqnl_group g;
	struct wfqnl_err err;
	struct wfqnl *nl;

	res->drop = drop_privileges(how);
	if (res->drop)
		return;
	nl = wfqnl_open(&err);
	res->open = nl ? 0 : -err.errnum;
	if (!nl)
		return;
	res->new = wfqnl_group_new(nl, wfqtest_name(&self->env, name, "intruder"),
				   0, wfqnl_bind_fd(self->fd[1]), &g, &err);
	res->set = wfqnl_group_set(nl, victim, 5, wfqnl_bind_none(), &g, &err);
	res->reset = wfqnl_group_reset(nl, victim, &g, &err);
	res->del = wfqnl_group_del(nl, victim, &err);
	res->get = wfqnl_group_get(nl, victim, &g, &err);
	res->dump = wfqnl_group_dump(nl, count_group, &res->dumped, NULL, &err);
	res->stats = wfqnl_stats_get(nl, &stats, &err);
	wfqnl_close(nl);
}

/* Run the requests in a child that gave up root; results come by pipe. */
static int run_unprivileged(FIXTURE_DATA(perm) *self, enum drop how,
			    struct unpriv_results *res)
{
	int pipefd[2], status;
	ssize_t n;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(pipefd[0]);
		unprivileged_requests(self, how, res);
		_exit(write(pipefd[1], res, sizeof(*res)) == sizeof(*res) ?
		      0 : 1);
	}
	close(pipefd[1]);
	n = read(pipefd[0], res, sizeof(*res));
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || n != sizeof(*res))
		return -ECHILD;
	return 0;
}

static void expect_writes_refused(struct __test_metadata *_metadata,
				  FIXTURE_DATA(perm) *self, enum drop how)
{
	char name[WFQMON_NAME_MAX + 1];
	struct unpriv_results res;
	struct wfqnl_group after;
	struct wfqnl_err err;

	ASSERT_EQ(0, run_unprivileged(self, how, &res));
	ASSERT_EQ(0, res.drop) TH_LOG("giving up privileges: %s",
				      strerror(-res.drop));
	ASSERT_EQ(0, res.open);
	EXPECT_EQ(-EPERM, res.new);
	EXPECT_EQ(-EPERM, res.set);
	EXPECT_EQ(-EPERM, res.reset);
	EXPECT_EQ(-EPERM, res.del);

	ASSERT_EQ(0, wfqnl_group_get(self->env.nl,
				     wfqnl_ref_id(self->victim.id), &after,
				     &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(77, after.weight);
	EXPECT_EQ(self->victim.since_ns, after.since_ns);
	EXPECT_EQ(-ENOENT, wfqnl_group_get(self->env.nl,
					   wfqnl_ref_name(wfqtest_name(&self->env, name, "intruder")),
					   &after, &err));
}

static void expect_reads_work(struct __test_metadata *_metadata,
			      FIXTURE_DATA(perm) *self, enum drop how)
{
	struct unpriv_results res;

	ASSERT_EQ(0, run_unprivileged(self, how, &res));
	ASSERT_EQ(0, res.drop) TH_LOG("giving up privileges: %s",
				      strerror(-res.drop));
	ASSERT_EQ(0, res.open);
	EXPECT_EQ(0, res.get);
	EXPECT_EQ(0, res.dump);
	EXPECT_LE(1, res.dumped);
	EXPECT_EQ(0, res.stats);
}

TEST_F(perm, unprivileged_writes_fail_with_eperm_and_change_nothing)
{
	expect_writes_refused(_metadata, self, DROP_TO_NOBODY);
}

TEST_F(perm, unprivileged_reads_succeed)
{
	expect_reads_work(_metadata, self, DROP_TO_NOBODY);
}

TEST_F(perm, root_in_a_user_namespace_cannot_write)
{
	expect_writes_refused(_metadata, self, DROP_TO_USERNS_ROOT);
}

TEST_F(perm, root_in_a_user_namespace_can_read)
{
	expect_reads_work(_metadata, self, DROP_TO_USERNS_ROOT);
}

/* The family lives in the initial network namespace only. */
TEST_F(perm, new_network_namespace_does_not_see_the_family)
{
	struct unpriv_results res;

	ASSERT_EQ(0, run_unprivileged(self, DROP_TO_NEW_NETNS, &res));
	ASSERT_EQ(0, res.drop) TH_LOG("unshare(CLONE_NEWNET): %s",
				      strerror(-res.drop));
	EXPECT_EQ(-ENOENT, res.open);
}

TEST_HARNESS_MAIN
