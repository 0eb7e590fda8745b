/* SPDX-License-Identifier: GPL-2.0 */
/* What every wfqmon selftest shares: skipping, naming and removing groups. */
#ifndef WFQ_WFQTEST_H
#define WFQ_WFQTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "cgtest.h"
#include "wfqnl.h"

/*
 * The 6.1 harness runs the test body even after SKIP() in FIXTURE_SETUP.
 * Leaving the test's child with the harness's skip status (255) does not;
 * teardown is skipped too, so use this before acquiring anything.
 */
#define SETUP_SKIP(fmt, ...) SKIP(_exit(255), fmt, ##__VA_ARGS__)

/* A fixture's world: a handle, a private cgroup tree, a name prefix. */
struct wfqtest_env {
	struct wfqnl *nl;
	struct cgtest cg;
	char prefix[24];
};

/*
 * 0: ready. > 0: a prerequisite is missing, skip. < 0: failure.
 * why[] explains; on non-zero nothing is left to tear down.
 */
int wfqtest_env_setup(struct wfqtest_env *env, bool cpu, char *why,
		      size_t why_size);
/* Destroy the env's groups, kill its tasks, remove its cgroups. */
void wfqtest_env_teardown(struct wfqtest_env *env);

#define WFQTEST_SETUP(env, cpu) do {					\
	char __why[256];						\
	int __ret = wfqtest_env_setup(env, cpu, __why, sizeof(__why));	\
	if (__ret > 0)							\
		SETUP_SKIP("%s", __why);				\
	ASSERT_EQ(0, __ret) TH_LOG("%s", __why);			\
} while (0)

/* "<prefix><suffix>" into buf of WFQMON_NAME_MAX + 1 bytes. */
const char *wfqtest_name(const struct wfqtest_env *env, char *buf,
			 const char *suffix);
/* |a - b| / max(a, b), 0 when both are 0: how far apart two measures are. */
static inline double wfqtest_rel_diff(double a, double b)
{
	double hi = a > b ? a : b;

	return hi > 0 ? (a > b ? a - b : b - a) / hi : 0;
}

static inline double wfqtest_abs_diff(double a, double b)
{
	return a > b ? a - b : b - a;
}

/*
 * @n groups as they were at one moment, from a tree already frozen: read
 * them until none is active. cgroup v2 says "frozen 1" as the last task
 * enters the freezer, before its final schedule(); the module charges that
 * last quantum at the switch, before it counts the task blocked, so a
 * group read idle has every quantum of its subtree counted. @flags as for
 * wfqnl_group_get(). 0, or -errno (-ETIMEDOUT: still active after 10 s).
 */
int wfqtest_get_settled(struct wfqnl *nl, const struct wfqnl_group *g,
			struct wfqnl_group *out, int n, unsigned int flags,
			struct wfqnl_err *err);

/* mkdir a child cgroup and return an fd on it, or -errno. */
int wfqtest_mkcg(struct wfqtest_env *env, const char *name);

/* Every group a test makes is named "st<pid>-...": teardown finds them. */
void wfqtest_prefix(char *buf, size_t size);

/*
 * Open a handle. NULL with *skip set when the module is not loaded (a
 * reason to skip), NULL with *skip clear on any other failure.
 */
struct wfqnl *wfqtest_open(struct wfqnl_err *err, int *skip);

/* Destroy every group whose name starts with prefix; returns how many. */
int wfqtest_delete_prefixed(struct wfqnl *nl, const char *prefix);

/* Taint bits that mean the kernel complained: BAD_PAGE, DIE, WARN, SOFTLOCKUP. */
#define WFQTEST_TAINT_COMPLAINED \
	((1ul << 5) | (1ul << 7) | (1ul << 9) | (1ul << 14))

/* /proc/sys/kernel/tainted, 0 if it cannot be read. */
unsigned long wfqtest_taint(void);

/* finit_module() of the file at @path with @params; 0 or -errno. */
int wfqtest_load_module(const char *path, const char *params);

#endif /* WFQ_WFQTEST_H */
