// SPDX-License-Identifier: GPL-2.0
/* The test's private cgroup tree: make it, fill it, tear it down. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgtest.h"
#include "clock.h"

/* Removing a cgroup races with its last task leaving: retry this long. */
#define CGTEST_RMDIR_WAIT_MS	5000
/* Freezing waits for every task to reach the freezer: generous under TCG. */
#define CGTEST_FREEZE_WAIT_NS	(10 * 1000000000ull)

static int write_at(int dir_fd, const char *rel, const char *val)
{
	size_t len = strlen(val);
	int fd, ret = 0;

	fd = openat(dir_fd, rel, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_at(int dir_fd, const char *rel, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = openat(dir_fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* "name/file", or "file" itself for the test's own directory. */
static int child_path(char *buf, size_t size, const char *name,
		      const char *file)
{
	int n = name ? snprintf(buf, size, "%s/%s", name, file) :
		       snprintf(buf, size, "%s", file);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int cgtest_setup(struct cgtest *cg, bool cpu, char *why, size_t why_size)
{
	struct statfs sfs;
	int ret;

	cg->dir_fd = -1;
	if (geteuid() != 0) {
		snprintf(why, why_size, "needs root to create cgroups");
		return -EPERM;
	}
	if (statfs(CGTEST_MOUNT, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		snprintf(why, why_size, "no cgroup v2 hierarchy at %s",
			 CGTEST_MOUNT);
		return -ENOENT;
	}
	snprintf(cg->path, sizeof(cg->path), "%s/wfqmon-selftest-%d",
		 CGTEST_MOUNT, (int)getpid());
	if (mkdir(cg->path, 0755) && errno != EEXIST) {
		ret = -errno;
		snprintf(why, why_size, "mkdir %s: %s", cg->path,
			 strerror(-ret));
		return ret;
	}
	cg->dir_fd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dir_fd < 0) {
		ret = -errno;
		snprintf(why, why_size, "open %s: %s", cg->path,
			 strerror(-ret));
		rmdir(cg->path);
		return ret;
	}
	if (!cpu)
		return 0;
	ret = write_at(AT_FDCWD, CGTEST_MOUNT "/cgroup.subtree_control", "+cpu");
	if (!ret)
		ret = write_at(cg->dir_fd, "cgroup.subtree_control", "+cpu");
	if (ret) {
		snprintf(why, why_size, "enable the cpu controller under %s: %s",
			 CGTEST_MOUNT, strerror(-ret));
		cgtest_cleanup(cg);
	}
	return ret;
}

static int wait_unpopulated(int dir_fd)
{
	char buf[256];

	for (int waited = 0; waited < CGTEST_RMDIR_WAIT_MS; waited += 10) {
		if (read_at(dir_fd, "cgroup.events", buf, sizeof(buf)) ||
		    strstr(buf, "populated 0"))
			return 0;
		sleep_ms(10);
	}
	return -EBUSY;
}

/* Wait until cgroup.events says "frozen STATE" (0 or 1). */
static int wait_frozen(int dir_fd, int state)
{
	uint64_t deadline = now_ns() + CGTEST_FREEZE_WAIT_NS;
	char buf[256], want[16];
	int ret;

	snprintf(want, sizeof(want), "frozen %d", state);
	for (;;) {
		ret = read_at(dir_fd, "cgroup.events", buf, sizeof(buf));
		if (ret)
			return ret;
		if (strstr(buf, want))
			return 0;
		if (now_ns() > deadline)
			return -ETIMEDOUT;
		sleep_ms(1);
	}
}

int cgtest_freeze(struct cgtest *cg, bool frozen)
{
	int ret = write_at(cg->dir_fd, "cgroup.freeze", frozen ? "1" : "0");

	return ret ? ret : wait_frozen(cg->dir_fd, frozen);
}

/* Depth first: a cgroup can only go once it has no children. */
static void remove_tree(int parent_fd, const char *name)
{
	struct dirent *de;
	DIR *dir;
	int fd;

	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir))) {
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			remove_tree(dirfd(dir), de->d_name);
	}
	closedir(dir);
	for (int waited = 0; unlinkat(parent_fd, name, AT_REMOVEDIR) &&
			     errno == EBUSY && waited < CGTEST_RMDIR_WAIT_MS;
	     waited += 10)
		sleep_ms(10);
}

void cgtest_cleanup(struct cgtest *cg)
{
	if (cg->dir_fd < 0)
		return;
	/* cgroup.kill (5.14+) takes the whole subtree in one write. */
	write_at(cg->dir_fd, "cgroup.kill", "1");
	wait_unpopulated(cg->dir_fd);
	close(cg->dir_fd);
	cg->dir_fd = -1;
	remove_tree(AT_FDCWD, cg->path);
}

int cgtest_mkdir(struct cgtest *cg, const char *name)
{
	return mkdirat(cg->dir_fd, name, 0755) ? -errno : 0;
}

int cgtest_open(struct cgtest *cg, const char *name)
{
	int fd = openat(cg->dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int cgtest_id(struct cgtest *cg, const char *name, uint64_t *id)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[sizeof(uint64_t)];
	} h = { .fh.handle_bytes = sizeof(uint64_t) };
	struct stat st;
	int mount_id;

	/* cgroupfs file handles are the 64-bit cgroup id itself. */
	if (!name_to_handle_at(cg->dir_fd, name, &h.fh, &mount_id, 0) &&
	    h.fh.handle_bytes == sizeof(uint64_t)) {
		memcpy(id, h.fh.f_handle, sizeof(*id));
		return 0;
	}
	if (fstatat(cg->dir_fd, name, &st, 0))
		return -errno;
	*id = st.st_ino;
	return 0;
}

int cgtest_write(struct cgtest *cg, const char *name, const char *file,
		 const char *val)
{
	char rel[PATH_MAX];
	int ret = child_path(rel, sizeof(rel), name, file);

	return ret ? ret : write_at(cg->dir_fd, rel, val);
}

int cgtest_move(struct cgtest *cg, const char *name, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return cgtest_write(cg, name, "cgroup.procs", val);
}

int cgtest_usage_usec(struct cgtest *cg, const char *name, uint64_t *usec)
{
	char rel[PATH_MAX], buf[1024];
	const char *line;
	int ret;

	ret = child_path(rel, sizeof(rel), name, "cpu.stat");
	if (!ret)
		ret = read_at(cg->dir_fd, rel, buf, sizeof(buf));
	if (ret)
		return ret;
	line = strstr(buf, "usage_usec ");
	if (!line || sscanf(line, "usage_usec %" SCNu64, usec) != 1)
		return -EPROTO;
	return 0;
}
