// SPDX-License-Identifier: GPL-2.0
/*
 * wfqbench: the set-up and read-path steps of make bench that must not
 * pay a fork+exec per cgroup or per group (slow under TCG).
 *
 *   wfqbench mkcg DIR N             mkdir DIR/g00000 .. g<N-1>
 *   wfqbench rmcg DIR N             rmdir them
 *   wfqbench groups DIR FROM TO     wfqmon groups b<i> bound to DIR/g<i>
 *   wfqbench bind NAME CGDIR        one group NAME bound to CGDIR
 *   wfqbench get NAME               a group's runtime_ns
 *   wfqbench stats                  the module's global counters
 *   wfqbench read DIR N REPS        time a dump of all groups (counters,
 *                                   then with histograms) against
 *                                   reading DIR/g<i>/cpu.stat, i < N
 *   wfqbench runnable DIR N CPU     a child in each DIR/g<i>, i < N,
 *                                   pinned to CPU, all woken at once
 *                                   when a line is read from stdin:
 *                                   with CPU held by a SCHED_FIFO
 *                                   spinner they stay runnable, so N
 *                                   groups stay active
 *   wfqbench hammer S               STATS_GET in a loop for S seconds
 *
 * Every command prints one JSON object on stdout; errors go to stderr
 * as "wfqbench: <what>: <why>" with exit status 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wfqnl.h"

#define CG_PATH_MAX	512

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(const char *what, const char *why)
{
	fprintf(stderr, "wfqbench: %s: %s\n", what, why);
	return 1;
}

static void cg_path(char *buf, const char *dir, unsigned int i)
{
	snprintf(buf, CG_PATH_MAX, "%s/g%05u", dir, i);
}

static struct wfqnl *open_nl(void)
{
	struct wfqnl_err err;
	struct wfqnl *nl = wfqnl_open(&err);

	if (!nl)
		fail("connect", err.msg);
	return nl;
}

static int cmd_mkcg(const char *dir, unsigned int n)
{
	char path[CG_PATH_MAX];
	double t0 = now_s();
	unsigned int i;

	for (i = 0; i < n; i++) {
		cg_path(path, dir, i);
		if (mkdir(path, 0755) && errno != EEXIST)
			return fail(path, strerror(errno));
	}
	printf("{\"cgroups\": %u, \"seconds\": %.6f}\n", n, now_s() - t0);
	return 0;
}

static int cmd_rmcg(const char *dir, unsigned int n)
{
	char path[CG_PATH_MAX];
	double t0 = now_s();
	unsigned int i;

	for (i = 0; i < n; i++) {
		cg_path(path, dir, i);
		if (rmdir(path) && errno != ENOENT)
			return fail(path, strerror(errno));
	}
	printf("{\"cgroups\": %u, \"seconds\": %.6f}\n", n, now_s() - t0);
	return 0;
}

static int bind_one(struct wfqnl *nl, const char *name, const char *cgdir)
{
	struct wfqnl_err err;
	int fd, ret;

	fd = open(cgdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail(cgdir, strerror(errno));
	ret = wfqnl_group_new(nl, name, 0, wfqnl_bind_fd(fd), NULL, &err);
	close(fd);
	if (ret < 0)
		return fail(name, err.msg);
	return 0;
}

static int cmd_groups(const char *dir, unsigned int from, unsigned int to)
{
	char path[CG_PATH_MAX], name[WFQMON_NAME_MAX + 1];
	struct wfqnl *nl = open_nl();
	double t0 = now_s();
	unsigned int i;

	if (!nl)
		return 1;
	for (i = from; i < to; i++) {
		cg_path(path, dir, i);
		snprintf(name, sizeof(name), "b%05u", i);
		if (bind_one(nl, name, path))
			return 1;
	}
	printf("{\"groups\": %u, \"seconds\": %.6f}\n", to - from, now_s() - t0);
	wfqnl_close(nl);
	return 0;
}

static int cmd_bind(const char *name, const char *cgdir)
{
	struct wfqnl *nl = open_nl();
	int ret;

	if (!nl)
		return 1;
	ret = bind_one(nl, name, cgdir);
	if (!ret)
		printf("{\"group\": \"%s\"}\n", name);
	wfqnl_close(nl);
	return ret;
}

static int cmd_get(const char *name)
{
	struct wfqnl *nl = open_nl();
	struct wfqnl_group g;
	struct wfqnl_err err;

	if (!nl)
		return 1;
	if (wfqnl_group_get(nl, wfqnl_ref_name(name), 0, &g, &err) < 0)
		return fail(name, err.msg);
	printf("{\"group\": \"%s\", \"runtime_ns\": %" PRIu64
	       ", \"quanta\": %" PRIu64 ", \"forks\": %" PRIu64 "}\n",
	       name, g.runtime_ns, g.quanta, g.forks);
	wfqnl_close(nl);
	return 0;
}

static int cmd_stats(void)
{
	struct wfqnl *nl = open_nl();
	struct wfqnl_stats s;
	struct wfqnl_err err;

	if (!nl)
		return 1;
	if (wfqnl_stats_get(nl, &s, &err) < 0)
		return fail("stats", err.msg);
	printf("{\"nr_groups\": %u, \"memory_bytes\": %" PRIu64
	       ", \"switches\": %" PRIu64 ", \"runtime_events\": %" PRIu64
	       ", \"wakeups\": %" PRIu64 ", \"tasks_tracked\": %u"
	       ", \"tasks_max\": %u, \"tasks_untracked\": %" PRIu64 "}\n",
	       s.nr_groups, s.memory_bytes, s.switches, s.runtime_events,
	       s.wakeups, s.tasks_tracked, s.tasks_max, s.tasks_untracked);
	wfqnl_close(nl);
	return 0;
}

struct dump_sum {
	unsigned int groups;
	uint64_t runtime_ns;
};

static int add_group(const struct wfqnl_group *g, void *arg)
{
	struct dump_sum *sum = arg;

	sum->groups++;
	sum->runtime_ns += g->runtime_ns;
	return 0;
}

/* What a cgroupfs monitor does per cgroup: open, read, parse, close. */
static int read_usage(const char *dir, unsigned int i, uint64_t *usage_usec)
{
	char path[CG_PATH_MAX + 16], buf[1024];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/g%05u/cpu.stat", dir, i);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (sscanf(buf, "usage_usec %" SCNu64, usage_usec) != 1)
		return -EINVAL;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define READ_REPS_MAX	16

/* One dump of every group, timed into *secs: 0, or 1 after saying why. */
static int timed_dump(struct wfqnl *nl, unsigned int flags,
		      struct dump_sum *sum, bool *intr, double *secs)
{
	struct wfqnl_err err;
	double t0;

	*sum = (struct dump_sum){ 0 };
	t0 = now_s();
	if (wfqnl_group_dump(nl, flags, add_group, sum, intr, &err) < 0)
		return fail("dump", err.msg);
	*secs = now_s() - t0;
	return 0;
}

static int cmd_read(const char *dir, unsigned int n, unsigned int reps)
{
	double dump_s[READ_REPS_MAX], hist_s[READ_REPS_MAX];
	double cg_s[READ_REPS_MAX], t0;
	struct wfqnl *nl = open_nl();
	struct dump_sum sum = { 0 }, hsum = { 0 };
	uint64_t usage, total = 0;
	unsigned int r, i;
	bool intr = false, hintr = false;
	int ret;

	if (!nl)
		return 1;
	if (reps < 1 || reps > READ_REPS_MAX)
		return fail("read", "REPS must be 1..16");
	for (r = 0; r < reps; r++) {
		if (timed_dump(nl, 0, &sum, &intr, &dump_s[r]) ||
		    timed_dump(nl, WFQNL_GET_HISTOGRAMS, &hsum, &hintr,
			       &hist_s[r]))
			return 1;

		total = 0;
		t0 = now_s();
		for (i = 0; i < n; i++) {
			ret = read_usage(dir, i, &usage);
			if (ret)
				return fail("cpu.stat", strerror(-ret));
			total += usage;
		}
		cg_s[r] = now_s() - t0;
	}
	qsort(dump_s, reps, sizeof(double), cmp_double);
	qsort(hist_s, reps, sizeof(double), cmp_double);
	qsort(cg_s, reps, sizeof(double), cmp_double);
	printf("{\"reps\": %u, \"dump_groups\": %u, \"dump_intr\": %s, "
	       "\"dump_s\": {\"min\": %.6f, \"median\": %.6f, \"max\": %.6f}, "
	       "\"dump_hist_groups\": %u, "
	       "\"dump_hist_s\": {\"min\": %.6f, \"median\": %.6f, \"max\": %.6f}, "
	       "\"cgroups\": %u, \"cgroup_usage_usec_sum\": %" PRIu64 ", "
	       "\"cpustat_s\": {\"min\": %.6f, \"median\": %.6f, \"max\": %.6f}}\n",
	       reps, sum.groups, intr || hintr ? "true" : "false",
	       dump_s[0], dump_s[reps / 2], dump_s[reps - 1], hsum.groups,
	       hist_s[0], hist_s[reps / 2], hist_s[reps - 1], n, total,
	       cg_s[0], cg_s[reps / 2], cg_s[reps - 1]);
	wfqnl_close(nl);
	return 0;
}

/*
 * Each child starts in its cgroup (clone3() CLONE_INTO_CGROUP: moving
 * 10,000 tasks costs an RCU grace period each) and blocks on a pipe
 * until all are pinned; closing the pipe wakes them all at once, and
 * each is counted runnable in its group. Woken on a CPU that a
 * SCHED_FIFO spinner holds, they stay queued.
 */
static int cmd_runnable(const char *dir, unsigned int n, unsigned int cpu)
{
	char path[CG_PATH_MAX];
	double t0 = now_s();
	cpu_set_t set;
	unsigned int i;
	int gate[2];
	char c;

	if (pipe(gate))
		return fail("pipe", strerror(errno));
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	for (i = 0; i < n; i++) {
		struct clone_args args = { .exit_signal = SIGCHLD,
					   .flags = CLONE_INTO_CGROUP };
		long pid;
		int fd;

		cg_path(path, dir, i);
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return fail(path, strerror(errno));
		args.cgroup = (uint64_t)fd;
		pid = syscall(SYS_clone3, &args, sizeof(args));
		if (pid < 0)
			return fail("clone3", strerror(errno));
		if (pid == 0) {
			close(gate[1]);
			if (read(gate[0], &c, 1) < 0)
				_exit(1);
			for (;;)
				sched_yield();
		}
		close(fd);
		if (sched_setaffinity(pid, sizeof(set), &set))
			return fail("sched_setaffinity", strerror(errno));
	}
	printf("{\"children\": %u, \"seconds\": %.6f}\n", n, now_s() - t0);
	/* The caller starts the spinner, then closes the gate (see below). */
	fflush(stdout);
	if (read(STDIN_FILENO, &c, 1) < 0)
		return fail("stdin", strerror(errno));
	close(gate[1]);
	return 0;
}

/* STATS_GET as fast as one process can: calls, mean and worst latency. */
static int cmd_hammer(unsigned int seconds)
{
	struct wfqnl *nl = open_nl();
	double start = now_s(), worst = 0, t;
	struct wfqnl_stats st;
	struct wfqnl_err err;
	unsigned long calls = 0;

	if (!nl)
		return 1;
	while ((t = now_s()) - start < seconds) {
		if (wfqnl_stats_get(nl, &st, &err) < 0)
			return fail("stats", err.msg);
		t = now_s() - t;
		worst = t > worst ? t : worst;
		calls++;
	}
	printf("{\"calls\": %lu, \"mean_us\": %.3f, \"max_us\": %.3f, "
	       "\"nr_active\": %u}\n", calls, (now_s() - start) * 1e6 / calls,
	       worst * 1e6, st.nr_active);
	wfqnl_close(nl);
	return 0;
}

static unsigned int num(const char *s)
{
	return (unsigned int)strtoul(s, NULL, 10);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "mkcg") && argc == 4)
		return cmd_mkcg(argv[2], num(argv[3]));
	if (!strcmp(cmd, "rmcg") && argc == 4)
		return cmd_rmcg(argv[2], num(argv[3]));
	if (!strcmp(cmd, "groups") && argc == 5)
		return cmd_groups(argv[2], num(argv[3]), num(argv[4]));
	if (!strcmp(cmd, "bind") && argc == 4)
		return cmd_bind(argv[2], argv[3]);
	if (!strcmp(cmd, "get") && argc == 3)
		return cmd_get(argv[2]);
	if (!strcmp(cmd, "stats") && argc == 2)
		return cmd_stats();
	if (!strcmp(cmd, "read") && argc == 5)
		return cmd_read(argv[2], num(argv[3]), num(argv[4]));
	if (!strcmp(cmd, "runnable") && argc == 5)
		return cmd_runnable(argv[2], num(argv[3]), num(argv[4]));
	if (!strcmp(cmd, "hammer") && argc == 3)
		return cmd_hammer(num(argv[2]));
	fprintf(stderr, "usage: see the comment at the top of bench/wfqbench.c\n");
	return 2;
}
