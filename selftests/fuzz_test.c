// SPDX-License-Identifier: GPL-2.0
/*
 * A policy-aware fuzzer for the wfqmon family. It learns the family's
 * ops and policies from nlctrl, sends WFQ_FUZZ_MESSAGES (default 100000)
 * generated messages in batches - valid, at the policy's edges, invalid
 * by policy or by the handlers' rules, with bad headers, unknown
 * commands, truncated - and checks every answer against an oracle that
 * predicts it from the bytes (fuzz_model.c), as root, as nobody and as
 * root in a user namespace. Afterwards the counters must agree and
 * nothing may be left behind.
 *
 *   WFQ_FUZZ_SEED=N       other messages (default 1, so that runs repeat)
 *   WFQ_FUZZ_MESSAGES=N   messages as root; each unprivileged run sends N / 4
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "fuzz_run.h"
#include "fuzz_setup.h"
#include "privdrop.h"
#include "wfqtest.h"

#define DEFAULT_MSGS	100000
/* Fixed, so that a run can be repeated; WFQ_FUZZ_SEED explores others. */
#define DEFAULT_SEED	1
/* Groups made before an unprivileged run, for its GETs to find. */
#define VICTIMS		4

FIXTURE(fuzz) {
	struct wfqtest_env env;
	struct fuzz_family fam;
	struct fuzz_world *w;
	struct fuzz_sock sock;
	uint64_t seed, msgs;
	uint32_t groups_before;
	uint64_t mem_before;
};

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *s = getenv(name);
	char *end;
	uint64_t v;

	if (!s || !*s)
		return dflt;
	errno = 0;
	v = strtoull(s, &end, 0);
	return errno || *end ? dflt : v;
}

/* Our cgroups: the test's own directory and children c1, c2, ... */
static int make_cgroups(struct wfqtest_env *env, struct fuzz_world *w)
{
	char name[16];
	int ret;

	w->cg[0].fd = env->cg.dir_fd;
	ret = cgtest_id(&env->cg, ".", &w->cg[0].id);
	for (w->n_cgroups = 1; !ret && w->n_cgroups < FUZZ_MAX_CGROUPS;
	     w->n_cgroups++) {
		struct fuzz_cgroup *cg = &w->cg[w->n_cgroups];

		snprintf(name, sizeof(name), "c%d", w->n_cgroups);
		cg->fd = wfqtest_mkcg(env, name);
		if (cg->fd < 0)
			return cg->fd;
		ret = cgtest_id(&env->cg, name, &cg->id);
	}
	return ret;
}

static int stats(struct wfqnl *nl, struct wfqnl_stats *st)
{
	struct wfqnl_err err;

	return wfqnl_stats_get(nl, st, &err);
}

/* Everything the oracle needs to know about this system. */
static int world_setup(FIXTURE_DATA(fuzz) *self, char *why, size_t why_size)
{
	const struct fuzz_op *new_op;
	struct fuzz_world *w;
	struct wfqnl_stats st;
	int ret;

	w = self->w = calloc(1, sizeof(*self->w));
	if (!w)
		return -ENOMEM;
	w->not_cgroup_fd = -1;
	ret = fuzz_sock_open(&self->sock);
	if (ret) {
		snprintf(why, why_size, "netlink socket: %s", strerror(-ret));
		return ret;
	}
	ret = fuzz_family_discover(&self->sock, WFQMON_FAMILY_NAME, &self->fam,
				   why, why_size);
	if (ret)
		return ret;
	/* The generators take values and limits from GROUP_NEW's policy. */
	new_op = fuzz_family_op(&self->fam, WFQMON_CMD_GROUP_NEW);
	if (!new_op || new_op->do_policy == FUZZ_NO_POLICY) {
		snprintf(why, why_size, "nlctrl: GROUP_NEW without a policy");
		return -EPROTO;
	}
	w->fam = &self->fam;
	w->split_ops = fuzz_kernel_has_split_ops();
	w->privileged = true;
	snprintf(w->prefix, sizeof(w->prefix), "%s", self->env.prefix);
	ret = make_cgroups(&self->env, w);
	if (ret) {
		snprintf(why, why_size, "cgroups under %s: %s",
			 self->env.cg.path, strerror(-ret));
		return ret;
	}
	w->not_cgroup_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (w->not_cgroup_fd < 0)
		return -errno;
	ret = fuzz_world_scan_cgroups(w, why, why_size);
	if (!ret)
		ret = fuzz_world_unknown_family(w, &self->sock, why, why_size);
	if (!ret)
		ret = fuzz_world_load_groups(w, self->env.nl, why, why_size);
	if (ret)
		return ret;
	ret = stats(self->env.nl, &st);
	if (ret) {
		snprintf(why, why_size, "STATS_GET: %s", strerror(-ret));
		return ret;
	}
	w->max_groups = st.max_groups;
	self->groups_before = st.nr_groups;
	self->mem_before = st.memory_bytes;
	return 0;
}

static void world_teardown(FIXTURE_DATA(fuzz) *self)
{
	if (self->w) {
		for (int i = 1; i < self->w->n_cgroups; i++)
			close(self->w->cg[i].fd);
		if (self->w->not_cgroup_fd >= 0)
			close(self->w->not_cgroup_fd);
		free(self->w);
		self->w = NULL;
	}
	fuzz_sock_close(&self->sock);
	wfqtest_env_teardown(&self->env);
}

FIXTURE_SETUP(fuzz)
{
	char why[256] = "";

	self->sock.fd = -1;
	WFQTEST_SETUP(&self->env, false);
	/* Recognisable, and what teardown deletes. */
	snprintf(self->env.prefix, sizeof(self->env.prefix), "fuzz%d-",
		 (int)getpid());
	ASSERT_EQ(0, world_setup(self, why, sizeof(why))) {
		TH_LOG("%s", why);
		world_teardown(self);
	}
	self->seed = env_u64("WFQ_FUZZ_SEED", DEFAULT_SEED);
	self->msgs = env_u64("WFQ_FUZZ_MESSAGES", DEFAULT_MSGS);
	TH_LOG("seed %" PRIu64 " (WFQ_FUZZ_SEED), %" PRIu64
	       " messages as root (WFQ_FUZZ_MESSAGES), kernel %s ops",
	       self->seed, self->msgs, self->w->split_ops ? "split" : "legacy");
}

FIXTURE_TEARDOWN(fuzz)
{
	world_teardown(self);
}

struct dump_count {
	const char *prefix;
	int all, ours;
};

static int count_group(const struct wfqnl_group *g, void *arg)
{
	struct dump_count *c = arg;

	c->all++;
	c->ours += !strncmp(g->name, c->prefix, strlen(c->prefix));
	return 0;
}

/*
 * After fuzzing: the family answers, STATS agrees with a dump, and once
 * our groups are gone the group count and memory are as before.
 */
static void expect_consistent_and_clean(struct __test_metadata *_metadata,
					FIXTURE_DATA(fuzz) *self)
{
	struct dump_count before = { .prefix = self->env.prefix };
	struct dump_count after = { .prefix = self->env.prefix };
	struct wfqnl_stats st;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_dump(self->env.nl, 0, count_group, &before,
				      NULL, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, stats(self->env.nl, &st));
	EXPECT_EQ(before.all, (int)st.nr_groups);
	EXPECT_EQ(fuzz_world_count(self->w), before.all);

	EXPECT_EQ(before.ours, wfqtest_delete_prefixed(self->env.nl,
						       self->env.prefix));
	ASSERT_EQ(0, wfqnl_group_dump(self->env.nl, 0, count_group, &after,
				      NULL, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, stats(self->env.nl, &st));
	EXPECT_EQ(0, after.ours);
	EXPECT_EQ(self->groups_before, st.nr_groups);
	EXPECT_EQ((uint32_t)after.all, st.nr_groups);
	EXPECT_EQ(self->mem_before, st.memory_bytes);
}

static void run_fuzz(struct fuzz_world *w, uint64_t seed, uint64_t n,
		     struct fuzz_totals *tot)
{
	struct fuzz_run r = { .w = w, .tot = tot };
	int ret;

	r.gen.w = w;
	fuzz_rng_seed(&r.gen.rng, seed);
	ret = fuzz_sock_open(&r.sock);
	if (!ret)
		ret = fuzz_run_messages(&r, n);
	fuzz_sock_close(&r.sock);
	if (ret)
		tot->setup_err = ret;
}

TEST_F(fuzz, policy_is_what_the_uapi_promises)
{
	static const struct {
		uint8_t cmd;
		bool admin, dump;
		uint32_t maxtype;
	} ops[] = {
		{ WFQMON_CMD_GROUP_NEW, true, false, WFQMON_A_GROUP_CGROUP_ID },
		{ WFQMON_CMD_GROUP_DEL, true, false, WFQMON_A_GROUP_NAME },
		{ WFQMON_CMD_GROUP_SET, true, false, WFQMON_A_GROUP_CGROUP_ID },
		{ WFQMON_CMD_GROUP_GET, false, true, WFQMON_A_GROUP_NAME },
		{ WFQMON_CMD_GROUP_RESET, true, false, WFQMON_A_GROUP_NAME },
		{ WFQMON_CMD_STATS_GET, false, false, 0 },
	};
	const struct fuzz_op *op = fuzz_family_op(&self->fam, WFQMON_CMD_GROUP_SET);
	const struct fuzz_op *new_op = fuzz_family_op(&self->fam, WFQMON_CMD_GROUP_NEW);
	const struct fuzz_attr_pol *a, *d;

	EXPECT_EQ(WFQMON_FAMILY_VERSION, self->fam.version);
	EXPECT_EQ(6, self->fam.n_ops);
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		const struct fuzz_op *o = fuzz_family_op(&self->fam, ops[i].cmd);

		ASSERT_NE(NULL, o) TH_LOG("cmd %u missing", ops[i].cmd);
		EXPECT_EQ(ops[i].admin, !!(o->flags & GENL_ADMIN_PERM))
			TH_LOG("cmd %u", ops[i].cmd);
		EXPECT_EQ(ops[i].dump, !!(o->flags & GENL_CMD_CAP_DUMP))
			TH_LOG("cmd %u", ops[i].cmd);
		ASSERT_NE(FUZZ_NO_POLICY, o->do_policy) TH_LOG("cmd %u", ops[i].cmd);
		/* At least these; newer request attributes may follow. */
		EXPECT_LE(ops[i].maxtype, self->fam.policy[o->do_policy].maxtype)
			TH_LOG("cmd %u", ops[i].cmd);
		if (!ops[i].dump)
			continue;
		ASSERT_NE(FUZZ_NO_POLICY, o->dump_policy) TH_LOG("cmd %u", ops[i].cmd);
		d = self->fam.policy[o->dump_policy].attr;
		EXPECT_EQ(NL_ATTR_TYPE_FLAG, d[WFQMON_A_GROUP_HISTOGRAMS].type);
		/* Its own policy names no group (6.2+); before, the do's. */
		if (o->dump_policy != o->do_policy) {
			EXPECT_EQ(0, d[WFQMON_A_GROUP_ID].type);
			EXPECT_EQ(0, d[WFQMON_A_GROUP_NAME].type);
			EXPECT_EQ(0, d[WFQMON_A_GROUP_PERCPU].type);
		}
	}
	/* NEW's policy has no ID: the kernel assigns it. */
	ASSERT_NE(NULL, new_op);
	ASSERT_NE(FUZZ_NO_POLICY, new_op->do_policy);
	EXPECT_EQ(0, self->fam.policy[new_op->do_policy].attr[WFQMON_A_GROUP_ID].type);
	ASSERT_NE(NULL, op);
	a = self->fam.policy[op->do_policy].attr;
	EXPECT_EQ(NL_ATTR_TYPE_U32, a[WFQMON_A_GROUP_ID].type);
	EXPECT_EQ(1, a[WFQMON_A_GROUP_ID].min_u);
	EXPECT_EQ(NL_ATTR_TYPE_NUL_STRING, a[WFQMON_A_GROUP_NAME].type);
	EXPECT_EQ(WFQMON_NAME_MAX, a[WFQMON_A_GROUP_NAME].max_len);
	EXPECT_EQ(NL_ATTR_TYPE_U32, a[WFQMON_A_GROUP_WEIGHT].type);
	EXPECT_EQ(WFQMON_WEIGHT_MIN, a[WFQMON_A_GROUP_WEIGHT].min_u);
	EXPECT_EQ(WFQMON_WEIGHT_MAX, a[WFQMON_A_GROUP_WEIGHT].max_u);
	EXPECT_EQ(NL_ATTR_TYPE_U32, a[WFQMON_A_GROUP_CGROUP_FD].type);
	EXPECT_EQ(0, a[WFQMON_A_GROUP_CGROUP_FD].min_u);
	EXPECT_EQ(INT_MAX, a[WFQMON_A_GROUP_CGROUP_FD].max_u);
	EXPECT_EQ(NL_ATTR_TYPE_U64, a[WFQMON_A_GROUP_CGROUP_ID].type);
	EXPECT_EQ(1, a[WFQMON_A_GROUP_CGROUP_ID].min_u);
	EXPECT_EQ(0, a[WFQMON_A_GROUP_PAD].type);
}

TEST_F_TIMEOUT(fuzz, root_gets_the_predicted_answer_to_every_message, 3600)
{
	struct fuzz_totals tot = { 0 };
	uint64_t start = now_ns();

	run_fuzz(self->w, self->seed, self->msgs, &tot);
	fuzz_totals_print(&tot, "root");
	TH_LOG("root: %.1f s", (now_ns() - start) / 1e9);
	ASSERT_EQ(0, tot.setup_err) TH_LOG("%s", strerror(-tot.setup_err));
	EXPECT_EQ(0, tot.mismatches);
	EXPECT_EQ(0, tot.gen_errors);
	EXPECT_LE(self->msgs, tot.sent[FUZZ_CAT_VALID] +
		  tot.sent[FUZZ_CAT_BOUNDARY] + tot.sent[FUZZ_CAT_POLICY] +
		  tot.sent[FUZZ_CAT_SEMANTIC] + tot.sent[FUZZ_CAT_HEADER] +
		  tot.sent[FUZZ_CAT_VERSION] + tot.sent[FUZZ_CAT_UNKNOWN] +
		  tot.sent[FUZZ_CAT_IGNORED] + tot.sent[FUZZ_CAT_MUTATED] +
		  tot.sent[FUZZ_CAT_DUMP] + tot.sent[FUZZ_CAT_TRUNCATED]);
	/* The generator reached what it aims at. */
	EXPECT_LT(0, tot.outcome[FUZZ_CAT_VALID][FUZZ_OUT_OK]);
	EXPECT_LT(0, tot.outcome[FUZZ_CAT_POLICY][FUZZ_OUT_EINVAL]);
	EXPECT_LT(0, tot.outcome[FUZZ_CAT_POLICY][FUZZ_OUT_ERANGE]);
	EXPECT_LT(0, tot.writes_ok);
	expect_consistent_and_clean(_metadata, self);
}

/* How the child gives up its standing. */
enum drop {
	DROP_TO_NOBODY,		/* uid 65534, no capabilities */
	DROP_TO_USERNS_ROOT,	/* root with every capability, of a new userns */
};

static int no_capabilities_left(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	return d[0].effective || d[1].effective || d[0].permitted ||
	       d[1].permitted ? -ENOTRECOVERABLE : 0;
}

static int drop_privileges(enum drop how)
{
	int ret;

	if (how == DROP_TO_USERNS_ROOT)
		return privdrop_to_userns_root(0);
	ret = privdrop_to_nobody();
	return ret ? ret : no_capabilities_left();
}

/* Groups for the unprivileged to find (and fail to change). */
static void make_victims(struct __test_metadata *_metadata,
			 FIXTURE_DATA(fuzz) *self)
{
	char name[WFQMON_NAME_MAX + 1], why[256];
	struct wfqnl_group g;
	struct wfqnl_err err;

	for (int i = 0; i < VICTIMS; i++) {
		snprintf(name, sizeof(name), "%svictim%d", self->env.prefix, i);
		ASSERT_EQ(0, wfqnl_group_new(self->env.nl, name, 10 + i,
					     wfqnl_bind_fd(self->w->cg[i + 1].fd),
					     &g, &err)) TH_LOG("%s", err.msg);
	}
	ASSERT_EQ(0, fuzz_world_load_groups(self->w, self->env.nl, why,
					    sizeof(why))) TH_LOG("%s", why);
}

/* Each group as it was: weight, binding and counters' epoch. */
static int same_group(const struct wfqnl_group *g, void *arg)
{
	struct fuzz_world *w = arg;
	struct fuzz_group *m = fuzz_world_find_id(w, g->id);

	if (!m || strcmp(m->name, g->name) || m->weight != g->weight ||
	    m->cgroup_id != g->cgroup_id)
		return -EPROTO;
	return 0;
}

static void fuzz_unprivileged(struct __test_metadata *_metadata,
			      FIXTURE_DATA(fuzz) *self, enum drop how,
			      const char *who)
{
	struct fuzz_totals *tot;
	uint64_t n = self->msgs / 4, start = now_ns();
	struct wfqnl_err err;
	int status;
	pid_t pid;

	make_victims(_metadata, self);
	tot = mmap(NULL, sizeof(*tot), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, tot);
	memset(tot, 0, sizeof(*tot));
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		self->w->privileged = false;
		tot->setup_err = drop_privileges(how);
		if (!tot->setup_err)
			run_fuzz(self->w, self->seed + how + 1, n, tot);
		fflush(NULL);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	fuzz_totals_print(tot, who);
	TH_LOG("%s: %.1f s", who, (now_ns() - start) / 1e9);
	ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_EQ(0, tot->setup_err) TH_LOG("%s: %s", who,
					    strerror(-tot->setup_err));
	EXPECT_EQ(0, tot->mismatches);
	EXPECT_EQ(0, tot->writes_ok);
	EXPECT_LT(0, tot->writes_refused);
	EXPECT_LT(0, tot->outcome[FUZZ_CAT_VALID][FUZZ_OUT_OK]);
	/* Nothing changed: every group as the model had it. */
	EXPECT_EQ(0, wfqnl_group_dump(self->env.nl, 0, same_group, self->w, NULL,
				      &err)) TH_LOG("%s", err.msg);
	munmap(tot, sizeof(*tot));
	expect_consistent_and_clean(_metadata, self);
}

TEST_F_TIMEOUT(fuzz, nobody_never_writes_and_reads_as_predicted, 3600)
{
	fuzz_unprivileged(_metadata, self, DROP_TO_NOBODY, "nobody");
}

TEST_F_TIMEOUT(fuzz, userns_root_never_writes_and_reads_as_predicted, 3600)
{
	fuzz_unprivileged(_metadata, self, DROP_TO_USERNS_ROOT, "userns root");
}

TEST_HARNESS_MAIN
