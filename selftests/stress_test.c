// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: threads create, destroy, re-weight, rebind and dump groups at
 * once while CPU hogs, a fork/exit storm and sleep/wake churn run in
 * their cgroups, and cgroups are removed while a group is still bound to
 * them. Afterwards the groups that watched one cgroup for its whole life
 * agree with its cpu.stat, the counters agree with a dump, and nothing
 * (group, cgroup reference) is left behind.
 *
 * WFQ_STRESS_SECONDS sets the duration (default 20, or 5 on a debug
 * kernel, WFQ_DEBUG_KERNEL=1 or lockdep present: KASAN and lockdep make
 * everything ~5-10x slower).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "hog.h"
#include "wfqtest.h"

#define STRESS_SECONDS_DEFAULT		20
#define STRESS_SECONDS_DEBUG		5
/* The harness kills a test past its timeout: keep the run well inside. */
#define STRESS_SECONDS_MAX		300
#define STRESS_TIMEOUT_S		(STRESS_SECONDS_MAX + 240)

/* Cgroups whose group churns: created, destroyed, rebound, re-weighted. */
#define CHURN_SLOTS	6
/* Spare cgroups the rebinder moves churn groups to (and back). */
#define SPARE_CGROUPS	4
/* The three workloads whose groups stay bound from start to end. */
enum stable { STABLE_CPU, STABLE_FORK, STABLE_FLAP, NR_STABLE };
static const char *const stable_cg[NR_STABLE] = { "cpu", "fork", "flap" };

/* Churn workloads: one spinner, the rest sleep and wake every ~1 ms. */
#define NR_WORKERS	(NR_STABLE + CHURN_SLOTS + SPARE_CGROUPS)
/*
 * Idle groups that make every dump take several rounds (~60 groups fit
 * in one 32 KiB skb), so that churn interrupts some dumps mid-way.
 */
#define FILLER_GROUPS	96

/*
 * Both sum se.sum_exec_runtime, so they agree to the µs that usage_usec
 * truncates (measured: under 1 µs apart on 6.1 and 6.12 after 20 s of
 * stress); the tolerance is far wider, yet catches lost final quanta.
 */
#define RUNTIME_REL_TOL		0.002
#define RUNTIME_ABS_TOL_NS	100000ull
/* Last quanta are charged at the tasks' final switches. */
#define SETTLE_MS		200
/* A removed cgroup goes once its last reference does (RCU, workqueue). */
#define DYING_WAIT_MS		10000

enum op {
	OP_CREATE, OP_CREATE_BUSY, OP_DESTROY,
	OP_REWEIGHT, OP_REWEIGHT_GONE, OP_REBIND, OP_REBIND_BUSY,
	OP_REBIND_GONE, OP_DUMP, OP_DUMP_INTR, OP_DUMPED_GROUPS, OP_STATS,
	OP_CG_LIFE, OP_RMDIR_BOUND, OP_UNEXPECTED, NR_OPS
};

static const char *const op_name[NR_OPS] = {
	"create", "create EBUSY (cgroup taken)", "destroy", "reweight", "reweight ENOENT",
	"rebind", "rebind EBUSY (cgroup taken)", "rebind ENOENT",
	"dump", "dump NLM_F_DUMP_INTR", "groups seen by dumps", "stats get",
	"cgroup life cycles", "rmdir while bound", "unexpected errors",
};

struct stress {
	struct wfqtest_env *env;
	uint64_t end_ns;
	atomic_bool stop;
	/* Group id per churn slot, 0 while none; racy on purpose. */
	_Atomic uint32_t churn_id[CHURN_SLOTS];
	uint32_t stable_id[NR_STABLE];
	atomic_ullong ops[NR_OPS];
	pthread_mutex_t err_lock;
	char first_err[WFQNL_ERRMSG_MAX + 64];
};

static bool running(struct stress *s)
{
	return !atomic_load(&s->stop) && now_ns() < s->end_ns;
}

static void count(struct stress *s, enum op op)
{
	atomic_fetch_add(&s->ops[op], 1);
}

/* Remember the first unexpected failure: the test body reports it. */
static void unexpected(struct stress *s, const char *what,
		       const struct wfqnl_err *err)
{
	count(s, OP_UNEXPECTED);
	pthread_mutex_lock(&s->err_lock);
	if (!s->first_err[0])
		snprintf(s->first_err, sizeof(s->first_err), "%s: %s", what,
			 err->msg);
	pthread_mutex_unlock(&s->err_lock);
}

/* xorshift: each thread its own cheap, reproducible-enough sequence. */
static uint32_t next_rand(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static struct wfqnl *open_handle(struct stress *s)
{
	struct wfqnl_err err;
	int skip;
	struct wfqnl *nl = wfqtest_open(&err, &skip);

	if (!nl)
		unexpected(s, "open a handle", &err);
	return nl;
}

static int bind_cg(struct stress *s, const char *cgname, struct wfqnl *nl,
		   uint32_t id, const char *name, uint32_t weight,
		   struct wfqnl_group *g, struct wfqnl_err *err)
{
	int fd = cgtest_open(&s->env->cg, cgname), ret;

	if (fd < 0)
		return wfqnl_err_set(err, -fd, "open cgroup %s", cgname);
	if (id)
		ret = wfqnl_group_set(nl, wfqnl_ref_id(id), 0,
				      wfqnl_bind_fd(fd), g, err);
	else
		ret = wfqnl_group_new(nl, name, weight, wfqnl_bind_fd(fd), g,
				      err);
	close(fd);
	return ret;
}

/* Flip each churn slot: create its group if it has none, else destroy. */
static void *creator_main(void *arg)
{
	struct stress *s = arg;
	struct wfqnl *nl = open_handle(s);
	char cgname[16], suffix[32], name[WFQMON_NAME_MAX + 1];
	uint32_t rnd = 0x9e3779b9, serial = 0;
	struct wfqnl_group g;
	struct wfqnl_err err;

	while (nl && running(s)) {
		int slot = next_rand(&rnd) % CHURN_SLOTS, ret;
		uint32_t id = atomic_load(&s->churn_id[slot]);

		if (id) {
			atomic_store(&s->churn_id[slot], 0);
			/* Only this thread destroys: the group must be there. */
			if (wfqnl_group_del(nl, wfqnl_ref_id(id), &err))
				unexpected(s, "destroy churn group", &err);
			else
				count(s, OP_DESTROY);
			continue;
		}
		snprintf(cgname, sizeof(cgname), "c%d", slot);
		snprintf(suffix, sizeof(suffix), "c%d-%" PRIu32, slot, serial++);
		ret = bind_cg(s, cgname, nl, 0, wfqtest_name(s->env, name, suffix),
			      1 + next_rand(&rnd) % WFQMON_WEIGHT_MAX, &g, &err);
		if (!ret) {
			atomic_store(&s->churn_id[slot], g.id);
			count(s, OP_CREATE);
		} else if (ret == -EBUSY) {
			/* The rebinder moved another group onto this cgroup. */
			count(s, OP_CREATE_BUSY);
		} else {
			unexpected(s, "create churn group", &err);
		}
	}
	wfqnl_close(nl);
	return NULL;
}

/* Any group of ours, churning or stable: weights change under load. */
static void *reweighter_main(void *arg)
{
	struct stress *s = arg;
	struct wfqnl *nl = open_handle(s);
	uint32_t rnd = 0x12345679;
	struct wfqnl_group g;
	struct wfqnl_err err;

	while (nl && running(s)) {
		uint32_t pick = next_rand(&rnd) % (CHURN_SLOTS + NR_STABLE);
		uint32_t id = pick < CHURN_SLOTS ?
			      atomic_load(&s->churn_id[pick]) :
			      s->stable_id[pick - CHURN_SLOTS];
		int ret;

		if (!id)
			continue;
		ret = wfqnl_group_set(nl, wfqnl_ref_id(id),
				      1 + next_rand(&rnd) % WFQMON_WEIGHT_MAX,
				      wfqnl_bind_none(), &g, &err);
		if (!ret)
			count(s, OP_REWEIGHT);
		else if (ret == -ENOENT)
			count(s, OP_REWEIGHT_GONE);
		else
			unexpected(s, "re-weight group", &err);
	}
	wfqnl_close(nl);
	return NULL;
}

/* Move churn groups between their own, the spare and other slots' cgroups. */
static void *rebinder_main(void *arg)
{
	struct stress *s = arg;
	struct wfqnl *nl = open_handle(s);
	uint32_t rnd = 0xdeadbeef;
	struct wfqnl_group g;
	struct wfqnl_err err;
	char cgname[16];

	while (nl && running(s)) {
		uint32_t id = atomic_load(&s->churn_id[next_rand(&rnd) %
						       CHURN_SLOTS]);
		uint32_t to = next_rand(&rnd) % (CHURN_SLOTS + SPARE_CGROUPS);
		int ret;

		if (!id)
			continue;
		if (to < CHURN_SLOTS)
			snprintf(cgname, sizeof(cgname), "c%u", to);
		else
			snprintf(cgname, sizeof(cgname), "r%u", to - CHURN_SLOTS);
		ret = bind_cg(s, cgname, nl, id, NULL, 0, &g, &err);
		if (!ret)
			count(s, OP_REBIND);
		else if (ret == -EBUSY)
			count(s, OP_REBIND_BUSY);
		else if (ret == -ENOENT)
			count(s, OP_REBIND_GONE);
		else
			unexpected(s, "rebind group", &err);
	}
	wfqnl_close(nl);
	return NULL;
}

struct dump_check {
	uint32_t last_id;
	uint64_t seen;
	uint64_t out_of_order;
};

static int check_dumped(const struct wfqnl_group *g, void *arg)
{
	struct dump_check *dc = arg;

	if (g->id <= dc->last_id)
		dc->out_of_order++;
	dc->last_id = g->id;
	dc->seen++;
	return 0;
}

/* Dumps resume by id: even an interrupted one lists ids in rising order. */
static void *dumper_main(void *arg)
{
	struct stress *s = arg;
	struct wfqnl *nl = open_handle(s);
	struct wfqnl_stats st;
	struct wfqnl_err err;

	while (nl && running(s)) {
		struct dump_check dc = { 0 };
		bool intr = false;
		int ret = wfqnl_group_dump(nl, 0, check_dumped, &dc, &intr, &err);

		if (ret) {
			unexpected(s, "dump groups", &err);
			continue;
		}
		if (dc.out_of_order) {
			wfqnl_err_explain(&err, EPROTO,
					  "%" PRIu64 " ids not above the previous one",
					  dc.out_of_order);
			unexpected(s, "dump order", &err);
		}
		count(s, OP_DUMP);
		if (intr)
			count(s, OP_DUMP_INTR);
		atomic_fetch_add(&s->ops[OP_DUMPED_GROUPS], dc.seen);
		if (wfqnl_stats_get(nl, &st, &err))
			unexpected(s, "get stats", &err);
		else
			count(s, OP_STATS);
	}
	wfqnl_close(nl);
	return NULL;
}

static int read_cg_file(struct cgtest *cg, const char *name, const char *file,
			char *buf, size_t size)
{
	char rel[128];
	ssize_t n;
	int fd;

	snprintf(rel, sizeof(rel), "%s%s%s", name ? name : "", name ? "/" : "",
		 file);
	fd = openat(cg->dir_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* The value of "key N" in a cgroup's flat-keyed file, or -errno. */
static long long cg_key(struct cgtest *cg, const char *name, const char *file,
			const char *key)
{
	char buf[1024], *at;
	size_t len = strlen(key);
	int ret = read_cg_file(cg, name, file, buf, sizeof(buf));

	if (ret)
		return ret;
	for (at = buf; (at = strstr(at, key)); at += len)
		if ((at == buf || at[-1] == '\n') && at[len] == ' ')
			return atoll(at + len + 1);
	return -ENOENT;
}

static int wait_unpopulated(struct cgtest *cg, const char *name, int max_ms)
{
	for (int waited = 0; waited < max_ms; waited += 10) {
		long long populated = cg_key(cg, name, "cgroup.events",
					     "populated");

		if (populated <= 0)
			return populated < 0 ? (int)populated : 0;
		sleep_ms(10);
	}
	return -EBUSY;
}

/*
 * One cgroup's whole life under a group: mkdir, bind, a short forking
 * task, then rmdir while still bound (every other time, the first time
 * too: a short debug-kernel run may make only one) or after the
 * group is gone. The group must outlive its removed cgroup cleanly.
 */
static int cg_life(struct stress *s, struct wfqnl *nl, uint32_t serial,
		   struct wfqnl_err *err)
{
	struct hog_spec spec = { .cpu = -1, .forks = 3, .spin_ms = 5 };
	bool rmdir_first = !(serial & 1);
	char cgname[16], name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g, after;
	struct hog h;
	int ret;

	snprintf(cgname, sizeof(cgname), "t%" PRIu32, serial);
	spec.cgroup = cgname;
	ret = cgtest_mkdir(&s->env->cg, cgname);
	if (ret)
		return wfqnl_err_set(err, -ret, "mkdir cgroup %s", cgname);
	ret = bind_cg(s, cgname, nl, 0, wfqtest_name(s->env, name, cgname), 0,
		      &g, err);
	if (ret)
		return ret;
	ret = hog_start(&s->env->cg, &spec, &h);
	if (!ret)
		ret = hog_release(&h);
	if (!ret)
		ret = hog_wait(&h) == 0 ? 0 : -ECHILD;
	if (!ret)
		ret = wait_unpopulated(&s->env->cg, cgname, 5000);
	if (ret) {
		hog_kill(&h);
		return wfqnl_err_set(err, -ret, "task in cgroup %s", cgname);
	}
	if (rmdir_first) {
		if (unlinkat(s->env->cg.dir_fd, cgname, AT_REMOVEDIR))
			return wfqnl_err_set(err, errno, "rmdir bound cgroup %s",
					     cgname);
		ret = wfqnl_group_get(nl, wfqnl_ref_id(g.id), 0, &after, err);
		if (ret)
			return ret;
		if (after.cgroup_id != g.cgroup_id || after.forks < 3)
			return wfqnl_err_explain(err, EPROTO,
						 "group %s after rmdir: cgroup id %" PRIu64 " (was %" PRIu64 "), %" PRIu64 " forks (3 made)",
						 name, after.cgroup_id,
						 g.cgroup_id, after.forks);
		count(s, OP_RMDIR_BOUND);
	}
	ret = wfqnl_group_del(nl, wfqnl_ref_id(g.id), err);
	if (ret)
		return ret;
	if (!rmdir_first &&
	    unlinkat(s->env->cg.dir_fd, cgname, AT_REMOVEDIR))
		return wfqnl_err_set(err, errno, "rmdir cgroup %s", cgname);
	count(s, OP_CG_LIFE);
	return 0;
}

static void *lifecycle_main(void *arg)
{
	struct stress *s = arg;
	struct wfqnl *nl = open_handle(s);
	struct wfqnl_err err;
	uint32_t serial = 0;

	while (nl && running(s))
		if (cg_life(s, nl, serial++, &err))
			unexpected(s, "cgroup life cycle", &err);
	wfqnl_close(nl);
	return NULL;
}

static int stress_seconds(void)
{
	const char *env = getenv("WFQ_STRESS_SECONDS");
	const char *debug = getenv("WFQ_DEBUG_KERNEL");
	bool slow = (debug && !strcmp(debug, "1")) || !access("/proc/lockdep", F_OK);
	int secs = slow ? STRESS_SECONDS_DEBUG : STRESS_SECONDS_DEFAULT;

	if (env && atoi(env) > 0)
		secs = atoi(env);
	return secs < STRESS_SECONDS_MAX ? secs : STRESS_SECONDS_MAX;
}

FIXTURE(stress) {
	struct wfqtest_env env;
	struct stress s;
	struct hog workers[NR_WORKERS];
	int fillers;
};

FIXTURE_SETUP(stress)
{
	WFQTEST_SETUP(&self->env, true);
	self->s.env = &self->env;
	pthread_mutex_init(&self->s.err_lock, NULL);
}

FIXTURE_TEARDOWN(stress)
{
	for (int i = 0; i < NR_WORKERS; i++)
		hog_kill(&self->workers[i]);
	wfqtest_env_teardown(&self->env);
}

static int start_worker(FIXTURE_DATA(stress) *self, int i, const char *cgname,
			int forks, int spin_ms, int flap_ms)
{
	struct hog_spec spec = { .cgroup = cgname, .cpu = -1, .forks = forks,
				 .spin_ms = spin_ms, .flap_ms = flap_ms };
	int ret = hog_start(&self->env.cg, &spec, &self->workers[i]);

	return ret ? ret : hog_release(&self->workers[i]);
}

/* Every cgroup, its stable group, and the tasks; churn starts later. */
static int set_up_world(FIXTURE_DATA(stress) *self, int secs,
			struct wfqnl_err *err)
{
	char name[WFQMON_NAME_MAX + 1], cgname[16];
	/* Flappers outlive the run; the teardown kills them. */
	int flap_ms = (secs + 60) * 1000, w = 0, ret;
	struct wfqnl_group g;

	for (int i = 0; i < NR_STABLE; i++) {
		ret = cgtest_mkdir(&self->env.cg, stable_cg[i]);
		if (ret)
			return wfqnl_err_set(err, -ret, "mkdir cgroup %s",
					     stable_cg[i]);
		/* Bound before any task enters: it sees the whole life. */
		ret = bind_cg(&self->s, stable_cg[i], self->env.nl, 0,
			      wfqtest_name(&self->env, name, stable_cg[i]), 0,
			      &g, err);
		if (ret)
			return ret;
		self->s.stable_id[i] = g.id;
	}
	for (int i = 0; i < self->fillers; i++) {
		snprintf(cgname, sizeof(cgname), "idle%d", i);
		ret = cgtest_mkdir(&self->env.cg, cgname);
		if (ret)
			return wfqnl_err_set(err, -ret, "mkdir cgroup %s", cgname);
		ret = bind_cg(&self->s, cgname, self->env.nl, 0,
			      wfqtest_name(&self->env, name, cgname), 0, &g, err);
		if (ret)
			return ret;
	}
	for (int i = 0; i < CHURN_SLOTS + SPARE_CGROUPS; i++) {
		if (i < CHURN_SLOTS)
			snprintf(cgname, sizeof(cgname), "c%d", i);
		else
			snprintf(cgname, sizeof(cgname), "r%d", i - CHURN_SLOTS);
		ret = cgtest_mkdir(&self->env.cg, cgname);
		if (!ret)
			ret = i ? start_worker(self, w++, cgname, 0, 0, flap_ms) :
				  start_worker(self, w++, cgname, 0, -1, 0);
		if (ret)
			return wfqnl_err_set(err, -ret, "worker in cgroup %s",
					     cgname);
	}
	ret = start_worker(self, w++, stable_cg[STABLE_CPU], 0, -1, 0);
	if (!ret)
		ret = start_worker(self, w++, stable_cg[STABLE_FORK], 1 << 30, 0, 0);
	if (!ret)
		ret = start_worker(self, w++, stable_cg[STABLE_FLAP], 0, 0, flap_ms);
	return ret ? wfqnl_err_set(err, -ret, "start stable workers") : 0;
}

/* Stop every task and wait until the stable cgroups are empty. */
static int stop_workers(FIXTURE_DATA(stress) *self)
{
	int ret = 0;

	for (int i = 0; i < NR_WORKERS; i++)
		hog_kill(&self->workers[i]);
	for (int i = 0; i < NR_STABLE && !ret; i++)
		ret = wait_unpopulated(&self->env.cg, stable_cg[i], 10000);
	sleep_ms(SETTLE_MS);
	return ret;
}

struct group_count {
	const char *prefix;
	uint64_t all;
	uint64_t ours;
};

static int count_groups(const struct wfqnl_group *g, void *arg)
{
	struct group_count *gc = arg;

	gc->all++;
	if (!strncmp(g->name, gc->prefix, strlen(gc->prefix)))
		gc->ours++;
	return 0;
}

TEST_F_TIMEOUT(stress, concurrent_ops_under_load_keep_accounting_and_leave_nothing,
	       STRESS_TIMEOUT_S)
{
	void *(*const thread_fn[])(void *) = {
		creator_main, reweighter_main, rebinder_main, dumper_main,
		lifecycle_main,
	};
	enum { NR_THREADS = sizeof(thread_fn) / sizeof(thread_fn[0]) };
	struct wfqnl_stats base, st;
	struct wfqnl_group g;
	struct wfqnl_err err;
	pthread_t threads[NR_THREADS];
	struct group_count gc = { .prefix = self->env.prefix };
	int secs = stress_seconds(), ret;
	long long dying = -1;

	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &base, &err))
		TH_LOG("%s", err.msg);
	/* Leave room for the churn under a small max_groups. */
	self->fillers = (int)(base.max_groups - base.nr_groups) - NR_STABLE -
			CHURN_SLOTS - 2;
	if (self->fillers > FILLER_GROUPS)
		self->fillers = FILLER_GROUPS;
	if (self->fillers < 0)
		self->fillers = 0;
	ASSERT_EQ(0, set_up_world(self, secs, &err)) TH_LOG("%s", err.msg);

	TH_LOG("%d s of concurrent operations (WFQ_STRESS_SECONDS), %d idle groups besides",
	       secs, self->fillers);
	self->s.end_ns = now_ns() + (uint64_t)secs * 1000000000ull;
	for (int i = 0; i < NR_THREADS; i++) {
		ret = pthread_create(&threads[i], NULL, thread_fn[i], &self->s);
		if (ret) {
			atomic_store(&self->s.stop, true);
			for (int j = 0; j < i; j++)
				pthread_join(threads[j], NULL);
			ASSERT_EQ(0, ret) TH_LOG("pthread_create: %s", strerror(ret));
		}
	}
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(threads[i], NULL);

	for (int i = 0; i < NR_OPS; i++)
		TH_LOG("ops: %-30s %llu", op_name[i],
		       (unsigned long long)atomic_load(&self->s.ops[i]));
	EXPECT_EQ(0, atomic_load(&self->s.ops[OP_UNEXPECTED]))
		TH_LOG("first: %s", self->s.first_err);
	EXPECT_LT(0, atomic_load(&self->s.ops[OP_CREATE]));
	EXPECT_LT(0, atomic_load(&self->s.ops[OP_DESTROY]));
	EXPECT_LT(0, atomic_load(&self->s.ops[OP_REWEIGHT]));
	EXPECT_LT(0, atomic_load(&self->s.ops[OP_REBIND]));
	EXPECT_LT(0, atomic_load(&self->s.ops[OP_DUMP]));
	EXPECT_LT(0, atomic_load(&self->s.ops[OP_RMDIR_BOUND]));

	/* Whole-life groups agree with their cgroup's own CPU time. */
	ASSERT_EQ(0, stop_workers(self));
	for (int i = 0; i < NR_STABLE; i++) {
		uint64_t usage_usec, usage_ns, diff, tol;

		ASSERT_EQ(0, wfqnl_group_get(self->env.nl,
					     wfqnl_ref_id(self->s.stable_id[i]), 0,
					     &g, &err))
			TH_LOG("%s", err.msg);
		ASSERT_EQ(0, cgtest_usage_usec(&self->env.cg, stable_cg[i],
					       &usage_usec));
		usage_ns = usage_usec * 1000;
		diff = g.runtime_ns > usage_ns ? g.runtime_ns - usage_ns :
						 usage_ns - g.runtime_ns;
		tol = (uint64_t)(usage_ns * RUNTIME_REL_TOL) + RUNTIME_ABS_TOL_NS;
		TH_LOG("%-4s: runtime_ns %" PRIu64 ", cpu.stat %" PRIu64 " us: %" PRIu64 " ns apart (tolerance %" PRIu64 "); %" PRIu64 " quanta, %" PRIu64 " forks, %" PRIu64 " activations",
		       stable_cg[i], g.runtime_ns, usage_usec, diff, tol,
		       g.quanta, g.forks, g.activations);
		EXPECT_GE(tol, diff);
		EXPECT_LT(0, g.runtime_ns);
	}

	/* Quiet now: the counters agree with a dump. */
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_dump(self->env.nl, 0, count_groups, &gc, NULL,
				      &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(st.nr_groups, gc.all);

	/* Remove all of ours: back to where we started, no cgroup pinned. */
	wfqtest_delete_prefixed(self->env.nl, self->env.prefix);
	gc.all = gc.ours = 0;
	ASSERT_EQ(0, wfqnl_group_dump(self->env.nl, 0, count_groups, &gc, NULL,
				      &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_stats_get(self->env.nl, &st, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(0, gc.ours);
	EXPECT_EQ(st.nr_groups, gc.all);
	EXPECT_EQ(base.nr_groups, st.nr_groups);
	EXPECT_EQ(base.memory_bytes, st.memory_bytes);

	/* Empty the tree; a cgroup still referenced would stay "dying". */
	for (int i = 0; i < NR_WORKERS; i++)
		hog_kill(&self->workers[i]);
	cgtest_write(&self->env.cg, NULL, "cgroup.kill", "1");
	ASSERT_EQ(0, wait_unpopulated(&self->env.cg, NULL, 10000));
	for (int i = 0; i < CHURN_SLOTS + SPARE_CGROUPS + NR_STABLE; i++) {
		char cgname[16];

		if (i < CHURN_SLOTS)
			snprintf(cgname, sizeof(cgname), "c%d", i);
		else if (i < CHURN_SLOTS + SPARE_CGROUPS)
			snprintf(cgname, sizeof(cgname), "r%d", i - CHURN_SLOTS);
		else
			snprintf(cgname, sizeof(cgname), "%s",
				 stable_cg[i - CHURN_SLOTS - SPARE_CGROUPS]);
		EXPECT_EQ(0, unlinkat(self->env.cg.dir_fd, cgname, AT_REMOVEDIR))
			TH_LOG("rmdir %s: %s", cgname, strerror(errno));
	}
	for (int i = 0; i < self->fillers; i++) {
		char cgname[16];

		snprintf(cgname, sizeof(cgname), "idle%d", i);
		EXPECT_EQ(0, unlinkat(self->env.cg.dir_fd, cgname, AT_REMOVEDIR))
			TH_LOG("rmdir %s: %s", cgname, strerror(errno));
	}
	for (int waited = 0; waited < DYING_WAIT_MS; waited += 50) {
		dying = cg_key(&self->env.cg, NULL, "cgroup.stat",
			       "nr_dying_descendants");
		if (dying <= 0)
			break;
		sleep_ms(50);
	}
	EXPECT_EQ(0, dying) TH_LOG("cgroups still referenced after %d ms",
				   DYING_WAIT_MS);
}

TEST_HARNESS_MAIN
