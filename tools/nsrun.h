/* SPDX-License-Identifier: GPL-2.0 */
/*
 * run: start a command in new namespaces inside a cgroup from its first
 * instruction (clone3 with CLONE_INTO_CGROUP), under a minimal init
 * that reaps every child, forwards signals to the command and exits
 * with the command's status.
 *
 *	wfqtool (parent)          waits, forwards signals to init
 *	  `- init  (pid 1 with --ns pid)  maps, overlay, pivot_root,
 *	       |                          /proc, hostname, lo up
 *	       `- CMD                     execvp
 */
#ifndef WFQTOOL_NSRUN_H
#define WFQTOOL_NSRUN_H

#include <stdbool.h>

#include "parse.h"
#include "wfqnl.h"

struct nsrun_opts {
	unsigned int ns;		/* NS_* from parse.h */
	int cgroup_fd;			/* the cgroup to start in */
	const char *hostname;		/* needs NS_UTS; NULL: unchanged */
	bool has_uid_map, has_gid_map;	/* none: 0 -> caller's id, 1 id */
	struct id_map uid_map, gid_map;
	const char *root;		/* pivot_root into it; needs NS_MNT */
	const char *overlay_lower;	/* root = overlay on it; needs NS_MNT */
	const char *overlay_dir;	/* keeps upper/ work/ merged/; NULL: temporary */
	char *const *argv;		/* CMD and its arguments */
};

/*
 * Run and wait. Returns 0 with *status = the command's exit status
 * (128 + N if signal N ended it), or -errno if nothing could start.
 * err is filled when the set-up inside failed, also with 0 returned
 * and *status 125, 126 or 127 (see wfqtool(8)).
 */
int nsrun(const struct nsrun_opts *o, int *status, struct wfqnl_err *err);

#endif /* WFQTOOL_NSRUN_H */
