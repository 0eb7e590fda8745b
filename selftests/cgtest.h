/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A private cgroup v2 tree for one test: /sys/fs/cgroup/wfqmon-selftest-<pid>/
 * and the children a test makes in it. Functions return 0 or -errno;
 * cgtest_setup() explains a failure in why[] so the caller can SKIP.
 */
#ifndef WFQ_CGTEST_H
#define WFQ_CGTEST_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CGTEST_MOUNT	"/sys/fs/cgroup"

struct cgtest {
	char path[PATH_MAX];	/* the test's own directory */
	int dir_fd;		/* open on path, -1 before setup */
};

/* cpu: enable the cpu controller for the children (cpu.weight). */
int cgtest_setup(struct cgtest *cg, bool cpu, char *why, size_t why_size);
/* Kill every task below, wait for them to leave, remove the whole tree. */
void cgtest_cleanup(struct cgtest *cg);

int cgtest_mkdir(struct cgtest *cg, const char *name);
/* An O_RDONLY | O_DIRECTORY fd on a child, or -errno. */
int cgtest_open(struct cgtest *cg, const char *name);
int cgtest_id(struct cgtest *cg, const char *name, uint64_t *id);
int cgtest_write(struct cgtest *cg, const char *name, const char *file,
		 const char *val);
int cgtest_move(struct cgtest *cg, const char *name, pid_t pid);
/*
 * Freeze (or thaw) every task of the test's tree at once and wait until
 * the kernel says it is done: counters of two groups, or of a group and
 * its cgroup, read while frozen belong to one moment.
 */
int cgtest_freeze(struct cgtest *cg, bool frozen);
/* usage_usec from the child's cpu.stat. */
int cgtest_usage_usec(struct cgtest *cg, const char *name, uint64_t *usec);

#endif /* WFQ_CGTEST_H */
