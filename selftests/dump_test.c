// SPDX-License-Identifier: GPL-2.0
/*
 * GROUP_GET dumps: every group exactly once in ascending id, and
 * NLM_F_DUMP_INTR when groups come and go while the dump runs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "wfqtest.h"

#define MANY_GROUPS	5000
/* Enough for a dump of several skbs (~50 groups fit in 32 KiB). */
#define SOME_GROUPS	300
#define CHURN_CGROUPS	8
#define CHURN_MS	1500
/* Pause between changes so that some dumps also run undisturbed. */
#define CHURN_PAUSE_MS	10

FIXTURE(dump) {
	struct wfqtest_env env;
	uint32_t *ids;		/* ids[i]: group "<prefix><i>" */
	int nr;
};

FIXTURE_SETUP(dump)
{
	WFQTEST_SETUP(&self->env, false);
}

FIXTURE_TEARDOWN(dump)
{
	wfqtest_env_teardown(&self->env);
	free(self->ids);
}

/* nr groups, each bound to its own cgroup "g<i>", named "<prefix><i>". */
static int populate(FIXTURE_DATA(dump) *self, int nr, struct wfqnl_err *err)
{
	char cgname[16], suffix[16], name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;

	self->ids = calloc(nr, sizeof(*self->ids));
	if (!self->ids)
		return -ENOMEM;
	for (int i = 0; i < nr; i++) {
		int fd, ret;

		snprintf(cgname, sizeof(cgname), "g%d", i);
		snprintf(suffix, sizeof(suffix), "%d", i);
		fd = wfqtest_mkcg(&self->env, cgname);
		if (fd < 0) {
			snprintf(err->msg, sizeof(err->msg), "mkdir %s: %s",
				 cgname, strerror(-fd));
			return fd;
		}
		ret = wfqnl_group_new(self->env.nl,
				      wfqtest_name(&self->env, name, suffix),
				      1 + i % WFQMON_WEIGHT_MAX,
				      wfqnl_bind_fd(fd), &g, err);
		close(fd);
		if (ret)
			return ret;
		self->ids[i] = g.id;
		self->nr = i + 1;
	}
	return 0;
}

/* What one dump showed, checked against the groups populate() made. */
struct dump_check {
	const FIXTURE_DATA(dump) *self;
	int *hits;		/* per populated group */
	uint32_t last_id;
	int groups;		/* all groups seen, ours or not */
	int out_of_order;	/* ids not strictly ascending */
	int wrong_id;		/* our name, another id */
	int strangers;		/* our prefix, a name we did not make */
	/* Called on the first group, to disturb the dump in flight. */
	void (*on_first)(void *arg);
	void *arg;
};

static int check_group(const struct wfqnl_group *g, void *arg)
{
	struct dump_check *dc = arg;
	const char *prefix = dc->self->env.prefix;
	size_t plen = strlen(prefix);
	char *end;
	long i;

	if (dc->groups++ == 0 && dc->on_first)
		dc->on_first(dc->arg);
	if (dc->groups > 1 && g->id <= dc->last_id)
		dc->out_of_order++;
	dc->last_id = g->id;
	if (strncmp(g->name, prefix, plen))
		return 0;
	i = strtol(g->name + plen, &end, 10);
	if (*end || end == g->name + plen || i < 0 || i >= dc->self->nr) {
		if (strncmp(g->name + plen, "churn", 5) &&
		    strcmp(g->name + plen, "extra"))
			dc->strangers++;
		return 0;
	}
	dc->hits[i]++;
	if (dc->self->ids[i] != g->id)
		dc->wrong_id++;
	return 0;
}

static int run_dump(FIXTURE_DATA(dump) *self, struct wfqnl *nl,
		    struct dump_check *dc, bool *intr, struct wfqnl_err *err)
{
	dc->self = self;
	dc->hits = calloc(self->nr, sizeof(*dc->hits));
	if (!dc->hits)
		return -ENOMEM;
	return wfqnl_group_dump(nl, 0, check_group, dc, intr, err);
}

/* Populated groups seen other than exactly once. */
static int missed_or_repeated(const struct dump_check *dc)
{
	int bad = 0;

	for (int i = 0; i < dc->self->nr; i++)
		bad += dc->hits[i] != 1;
	return bad;
}

TEST_F_TIMEOUT(dump, dump_returns_every_group_once_in_ascending_id, 600)
{
	struct dump_check dc = { 0 };
	struct wfqnl_err err;
	uint64_t t0 = now_ns();
	bool intr;

	ASSERT_EQ(0, populate(self, MANY_GROUPS, &err)) TH_LOG("%s", err.msg);
	TH_LOG("%d cgroups and groups made in %.1f s", MANY_GROUPS,
	       (now_ns() - t0) / 1e9);
	t0 = now_ns();
	ASSERT_EQ(0, run_dump(self, self->env.nl, &dc, &intr, &err))
		TH_LOG("%s", err.msg);
	TH_LOG("dump of %d groups took %.2f s", dc.groups, (now_ns() - t0) / 1e9);
	EXPECT_EQ(0, dc.out_of_order);
	EXPECT_EQ(0, missed_or_repeated(&dc));
	EXPECT_EQ(0, dc.wrong_id);
	EXPECT_EQ(0, dc.strangers);
	EXPECT_FALSE(intr) TH_LOG("nothing changed, yet NLM_F_DUMP_INTR");
	free(dc.hits);
}

struct extra_group {
	struct wfqtest_env *env;
	struct wfqnl *nl;	/* not the dumping socket: it is busy */
	int fd;
	int ret;
	struct wfqnl_err err;
};

static void create_extra(void *arg)
{
	struct extra_group *x = arg;
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;

	x->ret = wfqnl_group_new(x->nl, wfqtest_name(x->env, name, "extra"), 0,
				 wfqnl_bind_fd(x->fd), &g, &x->err);
}

TEST_F_TIMEOUT(dump, dump_created_into_is_flagged_intr, 120)
{
	struct extra_group x = { .env = &self->env, .ret = -1 };
	struct dump_check dc = { .on_first = create_extra, .arg = &x };
	struct wfqnl_err err;
	bool intr;
	int skip;

	ASSERT_EQ(0, populate(self, SOME_GROUPS, &err)) TH_LOG("%s", err.msg);
	x.fd = wfqtest_mkcg(&self->env, "extra");
	ASSERT_LE(0, x.fd);
	x.nl = wfqtest_open(&err, &skip);
	ASSERT_NE(NULL, x.nl) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, run_dump(self, self->env.nl, &dc, &intr, &err))
		TH_LOG("%s", err.msg);
	wfqnl_close(x.nl);
	close(x.fd);
	ASSERT_EQ(0, x.ret) TH_LOG("%s", x.err.msg);
	EXPECT_TRUE(intr) TH_LOG("a group was created mid-dump (%d groups)",
				 dc.groups);
	EXPECT_EQ(0, dc.out_of_order);
	EXPECT_EQ(0, missed_or_repeated(&dc));
	free(dc.hits);
}

/* Child: create and destroy groups on spare cgroups until time is up. */
static void __attribute__((noreturn)) churn(struct wfqtest_env *env,
					    const int *fds)
{
	char suffix[16], name[WFQMON_NAME_MAX + 1];
	uint64_t end = now_ns() + CHURN_MS * 1000000ull;
	struct wfqnl_group g;
	struct wfqnl_err err;
	struct wfqnl *nl;
	int skip;

	nl = wfqtest_open(&err, &skip);
	if (!nl)
		_exit(1);
	for (unsigned int n = 0; now_ns() < end; n++) {
		int k = n % CHURN_CGROUPS;

		snprintf(suffix, sizeof(suffix), "churn%d", k);
		wfqtest_name(env, name, suffix);
		if (wfqnl_group_new(nl, name, 0, wfqnl_bind_fd(fds[k]), &g,
				    &err) ||
		    wfqnl_group_del(nl, wfqnl_ref_id(g.id), &err))
			_exit(2);
		sleep_ms(CHURN_PAUSE_MS);
	}
	wfqnl_close(nl);
	_exit(0);
}

TEST_F_TIMEOUT(dump, dump_racing_with_churn_is_intr_or_consistent, 120)
{
	int fds[CHURN_CGROUPS], consistent = 0, flagged = 0, status;
	struct wfqnl_err err;
	pid_t pid;

	ASSERT_EQ(0, populate(self, SOME_GROUPS, &err)) TH_LOG("%s", err.msg);
	for (int k = 0; k < CHURN_CGROUPS; k++) {
		char cgname[16];

		snprintf(cgname, sizeof(cgname), "churn%d", k);
		fds[k] = wfqtest_mkcg(&self->env, cgname);
		ASSERT_LE(0, fds[k]);
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		churn(&self->env, fds);

	while (waitpid(pid, &status, WNOHANG) == 0) {
		struct dump_check dc = { 0 };
		bool intr;

		ASSERT_EQ(0, run_dump(self, self->env.nl, &dc, &intr, &err))
			kill(pid, SIGKILL);
		if (intr) {
			flagged++;
		} else {
			consistent++;
			EXPECT_EQ(0, dc.out_of_order);
			EXPECT_EQ(0, missed_or_repeated(&dc));
			EXPECT_EQ(0, dc.strangers);
		}
		free(dc.hits);
	}
	TH_LOG("%d dumps flagged NLM_F_DUMP_INTR, %d consistent", flagged,
	       consistent);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("churning child failed: status 0x%x", status);
	EXPECT_LT(0, flagged + consistent);
	for (int k = 0; k < CHURN_CGROUPS; k++)
		close(fds[k]);
}

TEST_HARNESS_MAIN
