// SPDX-License-Identifier: GPL-2.0
/* The fuzzer's world, read from the running system. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cgtest.h"
#include "fuzz_setup.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* A cgroup's id is its directory's inode number on 64-bit kernels. */
static int scan_dir(struct fuzz_world *w, int dir_fd)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int ret = 0;

	if (fstat(dir_fd, &st))
		return -errno;
	if (w->n_sys_cgroups == FUZZ_MAX_SYS_CGROUPS)
		return -E2BIG;
	w->sys_cgroup[w->n_sys_cgroups++] = st.st_ino;
	dir = fdopendir(dir_fd);
	if (!dir)
		return -errno;
	while (!ret && (d = readdir(dir))) {
		int fd;

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") ||
		    !strcmp(d->d_name, ".."))
			continue;
		fd = openat(dirfd(dir), d->d_name,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		/* Gone meanwhile: not there for the oracle either. */
		if (fd < 0)
			continue;
		ret = scan_dir(w, fd);
	}
	closedir(dir);
	return ret;
}

int fuzz_world_scan_cgroups(struct fuzz_world *w, char *why, size_t why_size)
{
	int fd = open(CGTEST_MOUNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret;

	w->n_sys_cgroups = 0;
	ret = fd < 0 ? -errno : scan_dir(w, fd);
	if (ret) {
		snprintf(why, why_size, "scan %s: %s", CGTEST_MOUNT,
			 strerror(-ret));
		return ret;
	}
	qsort(w->sys_cgroup, w->n_sys_cgroups, sizeof(w->sys_cgroup[0]),
	      cmp_u64);
	return 0;
}

static int load_group(const struct wfqnl_group *g, void *arg)
{
	struct fuzz_world *w = arg;
	struct fuzz_group fg = {
		.id = g->id, .weight = g->weight, .cgroup_id = g->cgroup_id,
	};

	snprintf(fg.name, sizeof(fg.name), "%s", g->name);
	fg.foreign = !fuzz_world_is_ours(w, fg.name);
	return fuzz_world_add(w, &fg) ? 0 : -E2BIG;
}

int fuzz_world_load_groups(struct fuzz_world *w, struct wfqnl *nl, char *why,
			   size_t why_size)
{
	struct wfqnl_err err;
	int ret;

	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		w->g[i].used = false;
	ret = wfqnl_group_dump(nl, 0, load_group, w, NULL, &err);
	if (ret)
		snprintf(why, why_size, "%s", err.msg);
	return ret;
}

int fuzz_world_unknown_family(struct fuzz_world *w, const struct fuzz_sock *s,
			      char *why, size_t why_size)
{
	uint16_t ids[1024];
	int n, ret;

	ret = fuzz_family_ids(s, ids, 1024, &n);
	if (ret) {
		snprintf(why, why_size, "nlctrl GETFAMILY dump: %s",
			 strerror(-ret));
		return ret;
	}
	/* From the top of the id space, far from where ids are handed out. */
	for (uint16_t id = UINT16_MAX - 1; id > NLMSG_MIN_TYPE; id--) {
		int i;

		for (i = 0; i < n && ids[i] != id; i++)
			;
		if (i == n) {
			w->unknown_family = id;
			return 0;
		}
	}
	snprintf(why, why_size, "every family id is taken");
	return -ENOSPC;
}

bool fuzz_kernel_has_split_ops(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return true;
	return major > 6 || (major == 6 && minor >= 2);
}
