// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for reading cgroup files, on a plain directory that
 * stands in for a cgroup (the reads do not care).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../cgroup.h"
#include "tap.h"

static void test_count_lines(struct tap *t)
{
	char dir[] = "/tmp/wfqtool-cgroup-test.XXXXXX", file[PATH_MAX];
	struct cg_handle h = { .dir_fd = -1 };
	struct wfqnl_err err = { 0 };
	unsigned int lines = 0;
	FILE *f;

	if (!tap_ok(t, mkdtemp(dir) != NULL, "make a directory to read"))
		return;
	snprintf(h.path, sizeof(h.path), "%s", dir);
	h.dir_fd = open(dir, O_RDONLY | O_DIRECTORY);
	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	f = fopen(file, "w");
	/* 1,200 pids of 7 digits and a newline: 9,600 bytes, over 4 KiB. */
	for (int i = 0; f && i < 1200; i++)
		fprintf(f, "%d\n", 1000000 + i);
	if (f)
		fclose(f);

	tap_ok(t, cg_count_lines(&h, "cgroup.procs", &lines, &err) == 0 &&
		  lines == 1200,
	       "cgroup.procs of 1,200 processes (9,600 bytes) counts 1,200");
	if (lines != 1200)
		printf("#   got %u: %s\n", lines, err.msg);
	tap_ok(t, cg_count_lines(&h, "cgroup.threads", &lines, &err) < 0 &&
		  strstr(err.msg, dir) && strstr(err.msg, "cgroup.threads"),
	       "a missing file fails naming the cgroup and the file");
	printf("#   %s\n", err.msg);

	unlink(file);
	close(h.dir_fd);
	rmdir(dir);
}

int main(void)
{
	struct tap t = { 0 };

	test_count_lines(&t);
	return tap_done(&t);
}
