// SPDX-License-Identifier: GPL-2.0
/* Cgroup paths from cgroup ids, by one walk of the tree; see cgfind.h. */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgfind.h"
#include "cgroup.h"

struct id_walk {
	struct cg_wanted *wanted;
	size_t n, left;
	char path[PATH_MAX];
};

static int cmp_wanted(const void *a, const void *b)
{
	const struct cg_wanted *x = a, *y = b;

	return x->cgroup_id < y->cgroup_id ? -1 : x->cgroup_id > y->cgroup_id;
}

static void place_dir(struct id_walk *w, int fd)
{
	struct cg_wanted key, *hit;
	struct stat st;

	if (fstat(fd, &st))
		return;
	key.cgroup_id = st.st_ino;
	hit = bsearch(&key, w->wanted, w->n, sizeof(*w->wanted), cmp_wanted);
	if (hit) {
		memcpy(hit->path, w->path, sizeof(w->path));
		w->left--;
	}
}

/* Depth first over the directories under w->path (fd, closed here). */
static void walk_dirs(struct id_walk *w, int fd)
{
	size_t len = strlen(w->path);
	struct dirent *de;
	DIR *dir = fdopendir(fd);

	if (!dir) {
		close(fd);
		return;
	}
	while (w->left && (de = readdir(dir))) {
		int sub;

		/* cgroupfs gives d_type: its many files are never opened. */
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(w->path + len, sizeof(w->path) - len, "/%s",
				     de->d_name) >= sizeof(w->path) - len)
			continue;
		sub = openat(dirfd(dir), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub >= 0) {
			place_dir(w, sub);
			walk_dirs(w, sub);
		}
	}
	w->path[len] = '\0';
	closedir(dir);
}

size_t cg_find_by_id(struct cg_wanted *wanted, size_t n)
{
	struct id_walk w = { .wanted = wanted, .n = n, .left = n };
	int fd;

	if (!n)
		return 0;
	qsort(wanted, n, sizeof(*wanted), cmp_wanted);
	snprintf(w.path, sizeof(w.path), "%s", CG_MOUNT);
	fd = open(w.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		place_dir(&w, fd);
		walk_dirs(&w, fd);
	}
	return n - w.left;
}
