// SPDX-License-Identifier: GPL-2.0
/* cgroup v2 wiring for wfqtool groups; see cgroup.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#include "cgroup.h"

/* Tasks take a moment to leave after cgroup.kill: wait this long. */
#define CG_KILL_WAIT_MS		5000

enum cg_ctrl {
	CG_CTRL_CPU = 1 << 0,
	CG_CTRL_CPUSET = 1 << 1,
	CG_CTRL_MEMORY = 1 << 2,
};

static const struct {
	enum cg_ctrl bit;
	const char *name;
} cg_ctrls[] = {
	{ CG_CTRL_CPU, "cpu" },
	{ CG_CTRL_CPUSET, "cpuset" },
	{ CG_CTRL_MEMORY, "memory" },
};

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Errors name the file; the caller wraps them with "cgroup PATH". */
static int write_at(int dir_fd, const char *file, const char *val,
		    struct wfqnl_err *err)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = openat(dir_fd, file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "%s", file);
	n = write(fd, val, len);
	if (n != (ssize_t)len) {
		int e = n < 0 ? errno : EIO;

		close(fd);
		return wfqnl_err_set(err, e, "%s", file);
	}
	close(fd);
	return 0;
}

static int read_at(int dir_fd, const char *file, char *buf, size_t size,
		   struct wfqnl_err *err)
{
	ssize_t n;
	int fd;

	fd = openat(dir_fd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "%s", file);
	n = read(fd, buf, size - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return wfqnl_err_set(err, e, "%s", file);
	}
	close(fd);
	buf[n] = '\0';
	return 0;
}

/* Is word one of the blank-separated words of list? */
static bool has_word(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += len) {
		bool start = p == list || p[-1] == ' ';
		bool end = p[len] == '\0' || p[len] == ' ' || p[len] == '\n';

		if (start && end)
			return true;
	}
	return false;
}

static bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return !statfs(path, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

int cg_group_path(char *buf, size_t size, const char *root, const char *name,
		  struct wfqnl_err *err)
{
	int n;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return wfqnl_err_explain(err, EINVAL,
					 "group name \"%s\": not a plain name",
					 name);
	n = snprintf(buf, size, "%s/%s", root, name);
	if (n < 0 || (size_t)n >= size)
		return wfqnl_err_set(err, ENAMETOOLONG, "cgroup %s/%s", root,
				     name);
	return 0;
}

/*
 * Enable the controllers for dir's children. Those in need must work;
 * the others are enabled when available so that "set" can use them later.
 */
static int enable_controllers(const char *dir, unsigned int need,
			      struct wfqnl_err *err)
{
	char avail[512], enabled[512], val[32];
	int fd, ret = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "cgroup %s", dir);
	ret = read_at(fd, "cgroup.controllers", avail, sizeof(avail), err);
	if (!ret)
		ret = read_at(fd, "cgroup.subtree_control", enabled,
			      sizeof(enabled), err);
	for (size_t i = 0; !ret && i < sizeof(cg_ctrls) / sizeof(cg_ctrls[0]);
	     i++) {
		bool needed = need & cg_ctrls[i].bit;

		if (has_word(enabled, cg_ctrls[i].name))
			continue;
		if (!has_word(avail, cg_ctrls[i].name)) {
			if (needed)
				ret = wfqnl_err_explain(err, ENODEV,
							"the %s controller is not available (cgroup.controllers: %.*s)",
							cg_ctrls[i].name,
							(int)strcspn(avail, "\n"),
							avail);
			continue;
		}
		snprintf(val, sizeof(val), "+%s", cg_ctrls[i].name);
		ret = write_at(fd, "cgroup.subtree_control", val, err);
		if (ret && !needed)
			ret = 0;
		else if (ret)
			wfqnl_err_wrap(err, "enable %s", cg_ctrls[i].name);
	}
	close(fd);
	if (ret)
		wfqnl_err_wrap(err, "cgroup %s", dir);
	return ret;
}

/*
 * Walk ROOT from "/": make the missing directories below the cgroup v2
 * mount and enable the controllers in every cgroup on the way.
 */
static int prepare_root(const char *root, unsigned int need,
			struct cg_handle *h, struct wfqnl_err *err)
{
	char prefix[PATH_MAX];
	size_t len = strlen(root);
	bool in_cgroup = false;
	int ret;

	if (root[0] != '/' || len >= sizeof(prefix))
		return wfqnl_err_explain(err, EINVAL,
					 "cgroup root \"%s\": not an absolute path",
					 root);
	for (size_t end = 1; end <= len; end++) {
		if (end < len && root[end] != '/')
			continue;
		memcpy(prefix, root, end);
		prefix[end] = '\0';
		if (mkdir(prefix, 0755) == 0) {
			if (!in_cgroup || h->nr_created == CG_MAX_CREATED) {
				rmdir(prefix);
				return wfqnl_err_explain(err, ENOTDIR,
							 "cgroup root %s: not inside a cgroup v2 hierarchy",
							 root);
			}
			snprintf(h->created[h->nr_created++], PATH_MAX, "%s",
				 prefix);
		} else if (errno != EEXIST) {
			return wfqnl_err_set(err, errno, "cgroup %s", prefix);
		}
		if (!is_cgroup2(prefix)) {
			if (in_cgroup)
				return wfqnl_err_explain(err, ENOTDIR,
							 "cgroup %s: not a cgroup v2 directory",
							 prefix);
			continue;
		}
		in_cgroup = true;
		ret = enable_controllers(prefix, need, err);
		if (ret)
			return ret;
	}
	if (!in_cgroup)
		return wfqnl_err_explain(err, ENOTDIR,
					 "cgroup root %s: not inside a cgroup v2 hierarchy (is cgroup2 mounted at /sys/fs/cgroup?)",
					 root);
	return 0;
}

static void cpu_max_str(const struct cpu_max *cm, char *buf, size_t size)
{
	if (cm->unlimited)
		snprintf(buf, size, "max %" PRIu64, cm->period_us);
	else
		snprintf(buf, size, "%" PRIu64 " %" PRIu64, cm->quota_us,
			 cm->period_us);
}

int cg_apply(const struct cg_handle *h, const struct cg_limits *lim,
	     struct wfqnl_err *err)
{
	char val[64];
	int ret = 0;

	if (lim->has_weight) {
		snprintf(val, sizeof(val), "%u", lim->weight);
		ret = write_at(h->dir_fd, "cpu.weight", val, err);
	}
	if (!ret && lim->has_cpu_max) {
		cpu_max_str(&lim->cpu_max, val, sizeof(val));
		ret = write_at(h->dir_fd, "cpu.max", val, err);
	}
	if (!ret && lim->has_cpus)
		ret = write_at(h->dir_fd, "cpuset.cpus", lim->cpus, err);
	if (!ret && lim->has_memory_max) {
		if (lim->memory_max.unlimited)
			snprintf(val, sizeof(val), "max");
		else
			snprintf(val, sizeof(val), "%" PRIu64,
				 lim->memory_max.bytes);
		ret = write_at(h->dir_fd, "memory.max", val, err);
	}
	if (ret)
		wfqnl_err_wrap(err, "cgroup %s", h->path);
	return ret;
}

static void handle_init(struct cg_handle *h)
{
	h->path[0] = '\0';
	h->dir_fd = -1;
	h->nr_created = 0;
}

int cg_create(const char *root, const char *name, const struct cg_limits *lim,
	      struct cg_handle *h, struct wfqnl_err *err)
{
	unsigned int need = CG_CTRL_CPU;
	int ret;

	handle_init(h);
	if (lim->has_cpus)
		need |= CG_CTRL_CPUSET;
	if (lim->has_memory_max)
		need |= CG_CTRL_MEMORY;
	ret = cg_group_path(h->path, sizeof(h->path), root, name, err);
	if (!ret)
		ret = prepare_root(root, need, h, err);
	if (ret)
		goto err_undo;
	if (mkdir(h->path, 0755)) {
		ret = errno == EEXIST ?
		      wfqnl_err_explain(err, EEXIST,
					"cgroup %s: already exists (destroy the group, or remove the directory)",
					h->path) :
		      wfqnl_err_set(err, errno, "cgroup %s", h->path);
		goto err_undo;
	}
	memcpy(h->created[h->nr_created++], h->path, sizeof(h->path));
	h->dir_fd = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dir_fd < 0) {
		ret = wfqnl_err_set(err, errno, "cgroup %s", h->path);
		goto err_undo;
	}
	ret = cg_apply(h, lim, err);
	if (ret)
		goto err_undo;
	return 0;

err_undo:
	cg_undo(h);
	return ret;
}

void cg_undo(struct cg_handle *h)
{
	cg_close(h);
	while (h->nr_created > 0)
		rmdir(h->created[--h->nr_created]);
}

int cg_open(const char *root, const char *name, struct cg_handle *h,
	    struct wfqnl_err *err)
{
	int ret;

	handle_init(h);
	ret = cg_group_path(h->path, sizeof(h->path), root, name, err);
	if (ret)
		return ret;
	h->dir_fd = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dir_fd < 0)
		return wfqnl_err_set(err, errno, "cgroup %s", h->path);
	return 0;
}

int cg_open_path(const char *path, struct cg_handle *h,
		 struct wfqnl_err *err)
{
	struct statfs sfs;
	int n;

	handle_init(h);
	n = path[0] == '/' ?
	    snprintf(h->path, sizeof(h->path), "%s", path) :
	    snprintf(h->path, sizeof(h->path), "%s/%s", CG_MOUNT, path);
	if (n < 0 || (size_t)n >= sizeof(h->path))
		return wfqnl_err_set(err, ENAMETOOLONG, "cgroup %s", path);
	/* "a/b/" and "a/b" are one cgroup: shown one way. */
	while (n > 1 && h->path[n - 1] == '/')
		h->path[--n] = '\0';
	h->dir_fd = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dir_fd < 0)
		return wfqnl_err_set(err, errno, "cgroup %s", h->path);
	if (fstatfs(h->dir_fd, &sfs) || sfs.f_type != CGROUP2_SUPER_MAGIC) {
		cg_close(h);
		return wfqnl_err_explain(err, ENOTDIR,
					 "cgroup %s: not a cgroup v2 directory",
					 h->path);
	}
	return 0;
}

int cg_read_weight(const struct cg_handle *h, uint32_t *weight,
		   struct wfqnl_err *err)
{
	char buf[32];
	int ret = cg_read(h, "cpu.weight", buf, sizeof(buf), err);

	if (ret)
		return ret;
	buf[strcspn(buf, "\n")] = '\0';
	if (parse_weight(buf, weight, err)) {
		wfqnl_err_wrap(err, "cgroup %s: cpu.weight", h->path);
		return -err->errnum;
	}
	return 0;
}

int cg_bind_weight(const struct cg_handle *h, uint32_t *weight,
		   bool *defaulted, struct wfqnl_err *err)
{
	*defaulted = false;
	if (!cg_read_weight(h, weight, err))
		return 0;
	if (err->errnum != ENOENT)
		return -err->errnum;
	*weight = WFQMON_WEIGHT_DEFAULT;
	*defaulted = true;
	return 0;
}

void cg_close(struct cg_handle *h)
{
	if (h->dir_fd >= 0)
		close(h->dir_fd);
	h->dir_fd = -1;
}

int cg_id(const struct cg_handle *h, uint64_t *id, struct wfqnl_err *err)
{
	struct stat st;

	if (fstat(h->dir_fd, &st))
		return wfqnl_err_set(err, errno, "cgroup %s", h->path);
	*id = st.st_ino;
	return 0;
}

int cg_attach(const struct cg_handle *h, pid_t pid, struct wfqnl_err *err)
{
	char val[32];
	int ret;

	snprintf(val, sizeof(val), "%d", (int)pid);
	ret = write_at(h->dir_fd, "cgroup.procs", val, err);
	if (ret)
		wfqnl_err_wrap(err, "cgroup %s: move pid %d", h->path,
			       (int)pid);
	return ret;
}

int cg_read(const struct cg_handle *h, const char *file, char *buf,
	    size_t size, struct wfqnl_err *err)
{
	int ret = read_at(h->dir_fd, file, buf, size, err);

	if (ret)
		wfqnl_err_wrap(err, "cgroup %s", h->path);
	return ret;
}

int cg_count_lines(const struct cg_handle *h, const char *file,
		   unsigned int *lines, struct wfqnl_err *err)
{
	char buf[16384];
	unsigned int n = 0;
	ssize_t len;
	int fd, e;

	fd = openat(h->dir_fd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	while ((len = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < len; i++)
			n += buf[i] == '\n';
	if (len < 0) {
		e = errno;
		close(fd);
		errno = e;
		goto fail;
	}
	close(fd);
	*lines = n;
	return 0;
fail:
	return wfqnl_err_set(err, errno, "cgroup %s: %s", h->path, file);
}

int cg_parse_key(const char *text, const char *key, uint64_t *val)
{
	size_t klen = strlen(key);

	for (const char *p = text, *nl; *p; p = nl + 1) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return sscanf(p + klen + 1, "%" SCNu64, val) == 1 ?
			       0 : -EPROTO;
		nl = strchr(p, '\n');
		if (!nl)
			break;
	}
	return -ENOENT;
}

int cg_read_key(const struct cg_handle *h, const char *file, const char *key,
		uint64_t *val, struct wfqnl_err *err)
{
	char buf[2048] = "";
	int ret = cg_read(h, file, buf, sizeof(buf), err);

	if (ret)
		return ret;
	ret = cg_parse_key(buf, key, val);
	if (ret == -EPROTO)
		return wfqnl_err_explain(err, EPROTO, "cgroup %s: %s: bad %s",
					 h->path, file, key);
	if (ret)
		return wfqnl_err_explain(err, ENOENT, "cgroup %s: %s: no %s",
					 h->path, file, key);
	return 0;
}

int cg_populated(const struct cg_handle *h, bool *populated,
		 struct wfqnl_err *err)
{
	uint64_t v = 0;
	int ret = cg_read_key(h, "cgroup.events", "populated", &v, err);

	*populated = !ret && v;
	return ret;
}

/* Depth first: a cgroup can only go once it has no children. */
static int remove_tree(int parent_fd, const char *name)
{
	struct dirent *de;
	DIR *dir;
	int fd, ret = 0;

	fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(dir))) {
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") &&
		    strcmp(de->d_name, ".."))
			remove_tree(dirfd(dir), de->d_name);
	}
	closedir(dir);
	/* The last task may still be leaving: EBUSY for a moment. */
	for (int waited = 0;; waited += 10) {
		if (!unlinkat(parent_fd, name, AT_REMOVEDIR))
			break;
		ret = -errno;
		if (ret != -EBUSY || waited >= CG_KILL_WAIT_MS)
			break;
		sleep_ms(10);
		ret = 0;
	}
	return ret;
}

int cg_remove(struct cg_handle *h, bool kill, struct wfqnl_err *err)
{
	bool populated;
	int ret;

	ret = cg_populated(h, &populated, err);
	if (ret)
		goto out;
	if (populated && !kill) {
		ret = wfqnl_err_explain(err, EBUSY,
					"cgroup %s: tasks are still running in it (use --kill)",
					h->path);
		goto out;
	}
	if (populated) {
		ret = write_at(h->dir_fd, "cgroup.kill", "1", err);
		if (ret) {
			wfqnl_err_wrap(err, "cgroup %s", h->path);
			goto out;
		}
		for (int waited = 0; populated && waited < CG_KILL_WAIT_MS;
		     waited += 10) {
			sleep_ms(10);
			ret = cg_populated(h, &populated, err);
			if (ret)
				goto out;
		}
	}
	cg_close(h);
	ret = remove_tree(AT_FDCWD, h->path);
	if (ret)
		return wfqnl_err_set(err, -ret, "cgroup %s", h->path);
	return 0;
out:
	cg_close(h);
	return ret;
}
