/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test workloads: a child process placed in a cgroup before it does
 * anything, then released to sleep and/or spin.
 */
#ifndef WFQ_HOG_H
#define WFQ_HOG_H

#include <stdint.h>
#include <sys/types.h>

#include "cgtest.h"

struct hog_spec {
	const char *cgroup;	/* child of the test's cgroup tree */
	int cpu;		/* pin to this CPU, -1: anywhere */
	int sleep_ms;		/* blocked this long first */
	int forks;		/* then fork this many children that exit */
	int spin_ms;		/* then burn CPU this long, -1: until killed */
	int flap_ms;		/* then block and wake every ~1 ms this long */
	int rt_prio;		/* > 0: run SCHED_FIFO at this priority */
};

struct hog {
	pid_t pid;
	int go_fd;		/* write end: one byte releases the hog */
};

/* Fork, move the child into spec->cgroup; it waits for hog_release(). */
int hog_start(struct cgtest *cg, const struct hog_spec *spec, struct hog *h);
int hog_release(struct hog *h);
/* Wait for the hog to finish; -ECHILD etc. on failure, else its status. */
int hog_wait(struct hog *h);
void hog_kill(struct hog *h);

#endif /* WFQ_HOG_H */
