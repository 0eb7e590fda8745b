/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replace a file atomically: write a temporary file in the same
 * directory, then rename it over the target, so a reader (such as
 * node_exporter's textfile collector) sees the old content or the new,
 * never a part. The temporary name starts with a dot and does not end
 * in ".prom", so the collector skips it.
 */
#ifndef WFQTOOL_ATOMIC_FILE_H
#define WFQTOOL_ATOMIC_FILE_H

#include <limits.h>
#include <stdio.h>

#include "wfqnl.h"

struct atomic_file {
	FILE *f;			/* write the content here */
	const char *path;
	char tmp_path[PATH_MAX];
};

int atomic_file_open(struct atomic_file *af, const char *path,
		     struct wfqnl_err *err);
/* Flush, sync and rename over the target; the temporary goes on failure. */
int atomic_file_commit(struct atomic_file *af, struct wfqnl_err *err);

#endif /* WFQTOOL_ATOMIC_FILE_H */
