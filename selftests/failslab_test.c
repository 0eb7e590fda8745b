// SPDX-License-Identifier: GPL-2.0
/*
 * Slab fault injection, systematically: for k = 1, 2, ... the k-th slab
 * allocation this thread makes fails (/proc/thread-self/fail-nth), until
 * an operation completes without reaching k. Every failure must reach
 * the caller as an error and leave nothing behind; the one exception is
 * ENOBUFS, which netlink returns when the reply or ACK itself could not
 * be allocated: the request may then have been carried out, and the
 * state must be consistent either way.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and
 * CONFIG_FAULT_INJECTION_DEBUG_FS (the debug kernel; Debian's kernels
 * have none of them): skips otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "wfqtest.h"

#define FAIL_NTH		"/proc/thread-self/fail-nth"
#define DEBUGFS			"/sys/kernel/debug"
#define FAILSLAB		DEBUGFS "/failslab"
/* No operation here makes this many slab allocations: the loop ends. */
#define MAX_NTH			1000
/* Enough groups for a dump of several skbs. */
#define DUMP_GROUPS		100

/* Failslab knobs we change, restored afterwards. */
static const struct {
	const char *file;
	const char *value;
} failslab_knobs[] = {
	/* GFP_KERNEL may reclaim: count those allocations too. */
	{ "ignore-gfp-wait", "N" },
	/* fail-nth fails exactly one; nothing random besides it. */
	{ "probability", "0" },
	/* No stack dump per failure: the kernel log stays readable. */
	{ "verbose", "0" },
};
#define NR_KNOBS (sizeof(failslab_knobs) / sizeof(failslab_knobs[0]))

/* What the failures of one loop did, for the log. */
struct nth_tally {
	int allocations;	/* slab allocations of one complete run */
	int absorbed;		/* failed allocation, request still succeeded */
	int enobufs_done;	/* reply lost, request carried out */
	int enobufs_undone;	/* reply lost, request not carried out */
	int errors;		/* other error returned, nothing changed */
	int last_errno;
};

FIXTURE(failslab) {
	struct wfqtest_env env;
	char saved[NR_KNOBS][32];
	int nth_fd;
	struct wfqnl *listener;
	struct wfqnl_stats base;
};

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int set_knobs(const char values[][32], char saved[][32])
{
	char path[128];

	for (size_t i = 0; i < NR_KNOBS; i++) {
		int ret;

		snprintf(path, sizeof(path), FAILSLAB "/%s",
			 failslab_knobs[i].file);
		if (saved) {
			ret = read_file(path, saved[i], sizeof(saved[i]));
			if (ret)
				return ret;
		}
		ret = write_file(path, values ? values[i] :
					      failslab_knobs[i].value);
		if (ret)
			return ret;
	}
	return 0;
}

/* Arm: the k-th slab allocation of this thread from now on fails. */
static int arm(int nth_fd, int k)
{
	char val[16];
	int len = snprintf(val, sizeof(val), "%d", k);

	return pwrite(nth_fd, val, len, 0) == len ? 0 : -errno;
}

/* Disarm; true if the armed failure was injected (the count ran out). */
static bool disarm(int nth_fd)
{
	char val[16] = "";
	ssize_t n = pread(nth_fd, val, sizeof(val) - 1, 0);

	/* Read first: writing 0 would hide whether it fired. */
	pwrite(nth_fd, "0", 1, 0);
	return n > 0 && atoi(val) == 0;
}

FIXTURE_SETUP(failslab)
{
	struct wfqnl_err err;
	int skip;

	if (access(FAIL_NTH, F_OK))
		SETUP_SKIP("no %s: kernel without CONFIG_FAULT_INJECTION",
			   FAIL_NTH);
	if (access(FAILSLAB, F_OK))
		mount("debugfs", DEBUGFS, "debugfs", 0, NULL);
	if (access(FAILSLAB, F_OK))
		SETUP_SKIP("no %s: kernel without CONFIG_FAILSLAB and CONFIG_FAULT_INJECTION_DEBUG_FS",
			   FAILSLAB);
	self->nth_fd = -1;
	WFQTEST_SETUP(&self->env, false);
	/* Notifications are built in the request's context: fail them too. */
	self->listener = wfqtest_open(&err, &skip);
	ASSERT_NE(NULL, self->listener) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_events_subscribe(self->listener, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &self->base, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, set_knobs(NULL, self->saved))
		TH_LOG("configure %s: %s", FAILSLAB, strerror(errno));
	self->nth_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth_fd) TH_LOG("%s: %s", FAIL_NTH, strerror(errno));
}

FIXTURE_TEARDOWN(failslab)
{
	if (self->nth_fd >= 0) {
		disarm(self->nth_fd);
		close(self->nth_fd);
	}
	set_knobs((const char (*)[32])self->saved, NULL);
	wfqnl_close(self->listener);
	wfqtest_env_teardown(&self->env);
}

/* Keep the listener's queue short, so every round notifies alike. */
static void drain(struct wfqnl *listener)
{
	struct wfqnl_event ev;
	struct wfqnl_err err;
	int ret;

	do
		ret = wfqnl_event_recv(listener, 0, &ev, &err);
	while (ret == 1 || ret == -ENOBUFS);
}

static int find_name(const struct wfqnl_group *g, void *arg)
{
	return !strcmp(g->name, arg) ? 1 : 0;
}

/*
 * After a create of @name returned @ret: GET by name, the dump and the
 * counters agree on whether the group exists. Returns 1 if it does, 0 if
 * not, -1 (with why in err) if they disagree or cannot be read.
 */
static int group_state(struct wfqnl *nl, const char *name,
		       const struct wfqnl_stats *base, struct wfqnl_err *err)
{
	struct wfqnl_stats st;
	struct wfqnl_group g;
	int got, dumped;

	got = wfqnl_group_get(nl, wfqnl_ref_name(name), 0, &g, err);
	if (got && got != -ENOENT)
		return -1;
	dumped = wfqnl_group_dump(nl, 0, find_name, (void *)name, NULL, err);
	if (dumped < 0 || wfqnl_stats_get(nl, &st, err))
		return -1;
	if ((got == 0) != (dumped == 1) ||
	    st.nr_groups != base->nr_groups + (got == 0)) {
		wfqnl_err_explain(err, EPROTO,
				  "group %s: GET %s, dump %s, nr_groups %u (was %u)",
				  name, got ? "ENOENT" : "found",
				  dumped ? "lists it" : "does not",
				  st.nr_groups, base->nr_groups);
		return -1;
	}
	return got == 0;
}

/* Back to the baseline: no group of ours left, memory as before. */
static int check_baseline(struct wfqnl *nl, const struct wfqnl_stats *base,
			  struct wfqnl_err *err)
{
	struct wfqnl_stats st;

	if (wfqnl_stats_get(nl, &st, err))
		return -1;
	if (st.nr_groups != base->nr_groups ||
	    st.memory_bytes != base->memory_bytes)
		return wfqnl_err_explain(err, EPROTO,
					 "nr_groups %u, memory_bytes %llu; before: %u, %llu",
					 st.nr_groups,
					 (unsigned long long)st.memory_bytes,
					 base->nr_groups,
					 (unsigned long long)base->memory_bytes);
	return 0;
}

static void log_tally(struct __test_metadata *_metadata, const char *what,
		      const struct nth_tally *t)
{
	TH_LOG("%s: %d slab allocations; failing each: %d errors (last %s), %d ENOBUFS with the request done, %d ENOBUFS undone, %d absorbed",
	       what, t->allocations, t->errors, strerror(t->last_errno),
	       t->enobufs_done, t->enobufs_undone, t->absorbed);
}

TEST_F_TIMEOUT(failslab, create_fails_whole_or_not_at_all, 600)
{
	char name[WFQMON_NAME_MAX + 1];
	/* The failed operation's error; err serves the checks after it. */
	struct wfqnl_err err, op_err;
	struct nth_tally t = { 0 };
	struct wfqnl_group g;
	int cg_fd, k;

	cg_fd = wfqtest_mkcg(&self->env, "f");
	ASSERT_LE(0, cg_fd) TH_LOG("mkdir cgroup f: %s", strerror(-cg_fd));
	wfqtest_name(&self->env, name, "f");

	for (k = 1; k <= MAX_NTH; k++) {
		bool injected;
		int ret, exists;

		ASSERT_EQ(0, arm(self->nth_fd, k));
		ret = wfqnl_group_new(self->env.nl, name, 0,
				      wfqnl_bind_fd(cg_fd), &g, &op_err);
		injected = disarm(self->nth_fd);

		exists = group_state(self->env.nl, name, &self->base, &err);
		ASSERT_LE(0, exists) TH_LOG("k=%d: %s", k, err.msg);
		if (ret == 0) {
			EXPECT_EQ(1, exists)
				TH_LOG("k=%d: create succeeded, no group", k);
		} else if (ret == -ENOBUFS) {
			/* The reply was lost, not necessarily the request. */
			if (exists)
				t.enobufs_done++;
			else
				t.enobufs_undone++;
		} else {
			t.errors++;
			t.last_errno = -ret;
			EXPECT_EQ(0, exists)
				TH_LOG("k=%d: create failed (%s) but group %s exists",
				       k, op_err.msg, name);
		}
		if (exists) {
			ASSERT_EQ(0, wfqnl_group_del(self->env.nl,
						     wfqnl_ref_name(name), &err))
				TH_LOG("k=%d: %s", k, err.msg);
		}
		ASSERT_EQ(0, check_baseline(self->env.nl, &self->base, &err))
			TH_LOG("k=%d: %s", k, err.msg);
		drain(self->listener);
		if (!injected) {
			ASSERT_EQ(0, ret) TH_LOG("k=%d, nothing injected: %s",
						 k, op_err.msg);
			break;
		}
		if (ret == 0)
			t.absorbed++;
	}
	close(cg_fd);
	t.allocations = k - 1;
	log_tally(_metadata, "GROUP_NEW", &t);
	ASSERT_GE(MAX_NTH, k) TH_LOG("create never completed");
	/* k=1 fails the request skb itself: something was injected. */
	EXPECT_LT(1, k);
}

TEST_F_TIMEOUT(failslab, rebind_fails_whole_or_not_at_all, 600)
{
	char name[WFQMON_NAME_MAX + 1];
	/* The failed operation's error; err serves the checks after it. */
	struct wfqnl_err err, op_err;
	struct nth_tally t = { 0 };
	struct wfqnl_group g, now;
	uint64_t cgid[2];
	int fd[2], k;

	for (int i = 0; i < 2; i++) {
		const char *cg = i ? "b" : "a";

		fd[i] = wfqtest_mkcg(&self->env, cg);
		ASSERT_LE(0, fd[i]) TH_LOG("mkdir cgroup %s", cg);
		ASSERT_EQ(0, cgtest_id(&self->env.cg, cg, &cgid[i]));
	}
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl,
				     wfqtest_name(&self->env, name, "a"), 0,
				     wfqnl_bind_fd(fd[0]), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &self->base, &err))
		TH_LOG("%s", err.msg);

	/* Move it to the other cgroup, with a new weight, each round. */
	for (k = 1; k <= MAX_NTH; k++) {
		uint32_t weight = 100 + k;
		bool injected, moved, reweighted;
		int to, ret;

		ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0,
					     &g, &err))
			TH_LOG("k=%d: %s", k, err.msg);
		/* To the cgroup it is not bound to now. */
		to = g.cgroup_id == cgid[0];
		ASSERT_EQ(0, arm(self->nth_fd, k));
		ret = wfqnl_group_set(self->env.nl, wfqnl_ref_id(g.id), weight,
				      wfqnl_bind_fd(fd[to]), &now, &op_err);
		injected = disarm(self->nth_fd);

		ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0,
					     &now, &err))
			TH_LOG("k=%d: %s", k, err.msg);
		moved = now.cgroup_id == cgid[to];
		reweighted = now.weight == weight;
		ASSERT_EQ(0, check_baseline(self->env.nl, &self->base, &err))
			TH_LOG("k=%d: %s", k, err.msg);
		/* Whole or nothing: never moved without the weight or back. */
		EXPECT_EQ(moved, reweighted)
			TH_LOG("k=%d: moved %d, reweighted %d", k, moved,
			       reweighted);
		if (ret == 0) {
			EXPECT_TRUE(moved) TH_LOG("k=%d: set succeeded, not applied", k);
		} else if (ret == -ENOBUFS) {
			if (moved)
				t.enobufs_done++;
			else
				t.enobufs_undone++;
		} else {
			t.errors++;
			t.last_errno = -ret;
			EXPECT_FALSE(moved)
				TH_LOG("k=%d: set failed (%s) but was applied",
				       k, op_err.msg);
		}
		drain(self->listener);
		if (!injected) {
			ASSERT_EQ(0, ret) TH_LOG("k=%d, nothing injected: %s",
						 k, op_err.msg);
			break;
		}
		if (ret == 0)
			t.absorbed++;
	}
	close(fd[0]);
	close(fd[1]);
	t.allocations = k - 1;
	log_tally(_metadata, "GROUP_SET", &t);
	ASSERT_GE(MAX_NTH, k) TH_LOG("rebind never completed");
	EXPECT_LT(1, k);
}

struct dump_seen {
	const char *prefix;
	int ours;
};

static int count_ours(const struct wfqnl_group *g, void *arg)
{
	struct dump_seen *seen = arg;

	if (!strncmp(g->name, seen->prefix, strlen(seen->prefix)))
		seen->ours++;
	return 0;
}

TEST_F_TIMEOUT(failslab, dump_fails_with_an_error_never_short, 600)
{
	char cgname[16], name[WFQMON_NAME_MAX + 1];
	/* The failed operation's error; err serves the checks after it. */
	struct wfqnl_err err, op_err;
	struct nth_tally t = { 0 };
	int groups = DUMP_GROUPS, k;
	struct wfqnl_group g;

	if (groups > (int)(self->base.max_groups - self->base.nr_groups))
		groups = (int)(self->base.max_groups - self->base.nr_groups);
	for (int i = 0; i < groups; i++) {
		int fd, ret;

		snprintf(cgname, sizeof(cgname), "d%d", i);
		fd = wfqtest_mkcg(&self->env, cgname);
		ASSERT_LE(0, fd) TH_LOG("mkdir cgroup %s", cgname);
		ret = wfqnl_group_new(self->env.nl,
				      wfqtest_name(&self->env, name, cgname), 0,
				      wfqnl_bind_fd(fd), &g, &err);
		close(fd);
		ASSERT_EQ(0, ret) TH_LOG("%s", err.msg);
	}
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &self->base, &err))
		TH_LOG("%s", err.msg);

	for (k = 1; k <= MAX_NTH; k++) {
		struct dump_seen seen = { .prefix = self->env.prefix };
		struct wfqnl *nl;
		bool injected;
		int skip, ret;

		/* A fresh socket each time: a failed dump may stay open on it. */
		nl = wfqtest_open(&err, &skip);
		ASSERT_NE(NULL, nl) TH_LOG("%s", err.msg);
		ASSERT_EQ(0, arm(self->nth_fd, k));
		ret = wfqnl_group_dump(nl, 0, count_ours, &seen, NULL, &op_err);
		injected = disarm(self->nth_fd);
		wfqnl_close(nl);

		/* A timeout would mean a dump that neither ends nor fails. */
		EXPECT_NE(-ETIMEDOUT, ret) TH_LOG("k=%d: %s", k, op_err.msg);
		if (ret == 0) {
			EXPECT_EQ(groups, seen.ours)
				TH_LOG("k=%d: dump succeeded with %d of %d groups",
				       k, seen.ours, groups);
		} else {
			t.errors++;
			t.last_errno = -ret;
		}
		ASSERT_EQ(0, check_baseline(self->env.nl, &self->base, &err))
			TH_LOG("k=%d: %s", k, err.msg);
		if (!injected) {
			ASSERT_EQ(0, ret) TH_LOG("k=%d, nothing injected: %s",
						 k, op_err.msg);
			break;
		}
		if (ret == 0)
			t.absorbed++;
	}
	t.allocations = k - 1;
	log_tally(_metadata, "GROUP_GET dump", &t);
	ASSERT_GE(MAX_NTH, k) TH_LOG("dump never completed");
	EXPECT_LT(1, k);
}

TEST_HARNESS_MAIN
