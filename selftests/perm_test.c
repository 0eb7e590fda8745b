// SPDX-License-Identifier: GPL-2.0
/*
 * Without CAP_NET_ADMIN every write is refused with EPERM and changes
 * nothing, while reads (GET, dump, STATS) still work.
 */
#include <errno.h>
#include <grp.h>
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

static int drop_privileges(void)
{
	if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
	    setresuid(NOBODY, NOBODY, NOBODY))
		return -errno;
	return 0;
}

static void unprivileged_requests(FIXTURE_DATA(perm) *self,
				  struct unpriv_results *res)
{
	struct wfqnl_ref victim = wfqnl_ref_id(self->victim.id);
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_stats stats;
	struct wfqnl_group g;
	struct wfqnl_err err;
	struct wfqnl *nl;

	res->drop = drop_privileges();
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
static int run_unprivileged(FIXTURE_DATA(perm) *self,
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
		unprivileged_requests(self, res);
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

TEST_F(perm, unprivileged_writes_fail_with_eperm_and_change_nothing)
{
	char name[WFQMON_NAME_MAX + 1];
	struct unpriv_results res;
	struct wfqnl_group after;
	struct wfqnl_err err;

	ASSERT_EQ(0, run_unprivileged(self, &res));
	ASSERT_EQ(0, res.drop) TH_LOG("drop to uid %d: %s", NOBODY,
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

TEST_F(perm, unprivileged_reads_succeed)
{
	struct unpriv_results res;

	ASSERT_EQ(0, run_unprivileged(self, &res));
	ASSERT_EQ(0, res.drop) TH_LOG("drop to uid %d: %s", NOBODY,
				      strerror(-res.drop));
	ASSERT_EQ(0, res.open);
	EXPECT_EQ(0, res.get);
	EXPECT_EQ(0, res.dump);
	EXPECT_LE(1, res.dumped);
	EXPECT_EQ(0, res.stats);
}

TEST_HARNESS_MAIN
