// SPDX-License-Identifier: GPL-2.0
/* What every wfqmon selftest shares: naming and removing its groups. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "clock.h"
#include "wfqtest.h"

void wfqtest_prefix(char *buf, size_t size)
{
	snprintf(buf, size, "st%d-", (int)getpid());
}

struct wfqnl *wfqtest_open(struct wfqnl_err *err, int *skip)
{
	struct wfqnl *nl = wfqnl_open(err);

	*skip = !nl && err->errnum == ENOENT;
	return nl;
}

int wfqtest_env_setup(struct wfqtest_env *env, bool cpu, char *why,
		      size_t why_size)
{
	struct wfqnl_err err;
	int skip, ret;

	env->cg.dir_fd = -1;
	wfqtest_prefix(env->prefix, sizeof(env->prefix));
	env->nl = wfqtest_open(&err, &skip);
	if (!env->nl) {
		snprintf(why, why_size, "%s", err.msg);
		return skip ? 1 : -1;
	}
	ret = cgtest_setup(&env->cg, cpu, why, why_size);
	if (ret) {
		wfqnl_close(env->nl);
		env->nl = NULL;
		/* No root or no cgroup v2: the test cannot run here. */
		return ret == -EPERM || ret == -ENOENT ? 1 : -1;
	}
	return 0;
}

void wfqtest_env_teardown(struct wfqtest_env *env)
{
	/* Groups first: a bound cgroup may refuse to go otherwise. */
	wfqtest_delete_prefixed(env->nl, env->prefix);
	cgtest_cleanup(&env->cg);
	wfqnl_close(env->nl);
	env->nl = NULL;
}

const char *wfqtest_name(const struct wfqtest_env *env, char *buf,
			 const char *suffix)
{
	snprintf(buf, WFQMON_NAME_MAX + 1, "%s%s", env->prefix, suffix);
	return buf;
}

int wfqtest_get_settled(struct wfqnl *nl, const struct wfqnl_group *g,
			struct wfqnl_group *out, int n, unsigned int flags,
			struct wfqnl_err *err)
{
	uint64_t deadline = now_ns() + 10000000000ull;
	int i, ret;

	for (;;) {
		for (i = 0; i < n; i++) {
			ret = wfqnl_group_get(nl, wfqnl_ref_id(g[i].id), flags,
					      &out[i], err);
			if (ret)
				return ret;
			if (out[i].active)
				break;
		}
		if (i == n)
			return 0;
		if (now_ns() > deadline)
			return wfqnl_err_explain(err, ETIMEDOUT,
						 "group %s still active 10 s after its cgroup froze",
						 out[i].name);
		sleep_ms(1);
	}
}

int wfqtest_mkcg(struct wfqtest_env *env, const char *name)
{
	int ret = cgtest_mkdir(&env->cg, name);

	return ret ? ret : cgtest_open(&env->cg, name);
}

struct id_list {
	const char *prefix;
	uint32_t *ids;
	size_t len, cap;
};

static int collect_prefixed(const struct wfqnl_group *g, void *arg)
{
	struct id_list *list = arg;

	if (strncmp(g->name, list->prefix, strlen(list->prefix)))
		return 0;
	if (list->len == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		uint32_t *ids = realloc(list->ids, cap * sizeof(*ids));

		if (!ids)
			return -ENOMEM;
		list->ids = ids;
		list->cap = cap;
	}
	list->ids[list->len++] = g->id;
	return 0;
}

unsigned long wfqtest_taint(void)
{
	unsigned long taint = 0;
	FILE *f = fopen("/proc/sys/kernel/tainted", "re");

	if (f) {
		if (fscanf(f, "%lu", &taint) != 1)
			taint = 0;
		fclose(f);
	}
	return taint;
}

int wfqtest_load_module(const char *path, const char *params)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}

int wfqtest_delete_prefixed(struct wfqnl *nl, const char *prefix)
{
	struct id_list list = { .prefix = prefix };
	struct wfqnl_err err;
	int deleted = 0;

	if (!nl)
		return 0;
	/* Collect first: deleting while dumping would make the dump retry. */
	wfqnl_group_dump(nl, 0, collect_prefixed, &list, NULL, &err);
	for (size_t i = 0; i < list.len; i++)
		if (!wfqnl_group_del(nl, wfqnl_ref_id(list.ids[i]), &err))
			deleted++;
	free(list.ids);
	return deleted;
}
