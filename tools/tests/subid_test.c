// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the subordinate id ranges of run --ns user. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../subid.h"
#include "tap.h"

static void map_is(struct tap *t, const struct id_map *m, unsigned int start,
		   unsigned int count, const char *name)
{
	tap_ok(t, m->inside == 0 && m->outside == start && m->count == count,
	       "%s", name);
	if (m->outside != start || m->count != count)
		printf("#   got 0:%u:%u, want 0:%u:%u\n", m->outside, m->count,
		       start, count);
}

int main(void)
{
	char file[] = "/tmp/wfqtool-subid-test.XXXXXX";
	struct tap t = { 0 };
	struct id_map m;
	int fd = mkstemp(file);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!tap_ok(&t, f != NULL, "make a subuid file"))
		return tap_done(&t);
	fputs("# comment\nalice:100000:65536\nbroken line\n"
	      "root:not-a-number:5\nroot:231072:65536\n1001:296608:1000\n"
	      "root:900000:10\n", f);
	fclose(f);

	subid_map(file, "root", 0, &m);
	map_is(&t, &m, 231072, 65536,
	       "root's first valid range, past a malformed one");
	subid_map(file, "alice", 1000, &m);
	map_is(&t, &m, 100000, 65536, "a user's range by name");
	subid_map(file, "bob", 1001, &m);
	map_is(&t, &m, 296608, 1000, "a user's range by uid");
	subid_map(file, "carol", 1002, &m);
	map_is(&t, &m, SUBID_DEFAULT_START, SUBID_DEFAULT_COUNT,
	       "no entry: the unprivileged default 100000, 65536 ids");
	unlink(file);
	subid_map(file, "root", 0, &m);
	map_is(&t, &m, SUBID_DEFAULT_START, SUBID_DEFAULT_COUNT,
	       "no file: the unprivileged default");
	tap_ok(&t, SUBID_DEFAULT_START != 0, "the default never maps to root");
	return tap_done(&t);
}
