// SPDX-License-Identifier: GPL-2.0
/* The cgroup tree around the watched groups; see cg_tree.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cg_tree.h"
#include "cgroup.h"
#include "parse.h"

static int find(const struct cg_tree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->node[i].path, path))
			return (int)i;
	return -1;
}

const struct cg_tree_node *cg_tree_find(const struct cg_tree *t,
					const char *path)
{
	int k = find(t, path);

	return k < 0 ? NULL : &t->node[k];
}

/* The node of path under parent, added if new; -ENOMEM. */
static int add(struct cg_tree *t, const char *path, int parent)
{
	int k = find(t, path);

	if (k >= 0)
		return k;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		void *p = realloc(t->node, cap * sizeof(*t->node));

		if (!p)
			return -ENOMEM;
		t->node = p;
		t->cap = cap;
	}
	memset(&t->node[t->n], 0, sizeof(t->node[0]));
	snprintf(t->node[t->n].path, sizeof(t->node[0].path), "%s", path);
	t->node[t->n].parent = parent;
	t->node[t->n].group = -1;
	t->node[t->n].cpu_weight = 100;
	return (int)t->n++;
}

/* mount's chain down to path, ancestors marked; the leaf's index. */
static int add_chain(struct cg_tree *t, const char *mount, const char *path)
{
	size_t len = strlen(mount);
	char sub[PATH_MAX];
	int k = 0;

	if (strncmp(path, mount, len) || (path[len] && path[len] != '/'))
		return -EINVAL;
	snprintf(sub, sizeof(sub), "%s", path);
	while (sub[len]) {
		char *end = strchr(sub + len + 1, '/');
		char keep = end ? *end : '\0';

		if (end)
			*end = '\0';
		t->node[k].ancestor = true;
		k = add(t, sub, k);
		if (k < 0)
			return k;
		len = strlen(sub);
		if (end)
			*end = keep;
	}
	return k;
}

/* The children of an ancestor that are not in the tree yet: siblings. */
static int add_children(struct cg_tree *t, int k)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *dir = opendir(t->node[k].path);
	int ret = 0;

	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		if ((de->d_type != DT_DIR && de->d_type != DT_UNKNOWN) ||
		    !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
				     t->node[k].path, de->d_name) >= sizeof(path))
			continue;
		if (de->d_type == DT_UNKNOWN) {
			DIR *sub = opendir(path);

			if (!sub)
				continue;
			closedir(sub);
		}
		ret = add(t, path, k);
		if (ret < 0)
			break;
	}
	closedir(dir);
	return ret < 0 ? ret : 0;
}

static int open_node(const struct cg_tree_node *node, struct cg_handle *h)
{
	h->nr_created = 0;
	memcpy(h->path, node->path, sizeof(h->path));
	h->dir_fd = open(h->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return h->dir_fd < 0 ? -1 : 0;
}

/* The limits; whatever is unreadable is no limit. */
static void read_limits(struct cg_tree_node *node)
{
	struct cg_handle h;
	struct wfqnl_err err;
	struct cpu_max cm;
	struct cpulist cpus;
	unsigned int w;
	char buf[4096];

	if (open_node(node, &h))
		return;
	if (!cg_read(&h, "cpu.weight", buf, sizeof(buf), &err) &&
	    sscanf(buf, "%u", &w) == 1 && w)
		node->cpu_weight = w;
	if (!cg_read(&h, "cpu.max", buf, sizeof(buf), &err) &&
	    !parse_cpu_max(buf, &cm, &err))
		node->quota_cpus = cpu_max_cpus(&cm);
	if (!cg_read(&h, "cpuset.cpus.effective", buf, sizeof(buf), &err) &&
	    !parse_cpulist_file(buf, &cpus, &err))
		node->cpuset_cpus = cpulist_count(&cpus);
	cg_close(&h);
}

static void read_usage(struct cg_tree_node *node)
{
	struct cg_handle h;
	struct wfqnl_err err;

	if (open_node(node, &h))
		return;
	node->have_usage = !cg_read_key(&h, "cpu.stat", "usage_usec",
					&node->usage_usec, &err);
	cg_close(&h);
}

int cg_tree_read(struct cg_tree *t, const char *mount, size_t n,
		 const char *const *path)
{
	size_t ancestors;
	int ret = add(t, mount, -1);

	for (size_t i = 0; i < n && ret >= 0; i++) {
		if (!path[i][0])
			continue;
		ret = add_chain(t, mount, path[i]);
		if (ret == -EINVAL)
			continue;
		if (ret >= 0)
			t->node[ret].group = (int)i;
	}
	ancestors = t->n;
	for (size_t k = 0; k < ancestors && ret >= 0; k++)
		if (t->node[k].ancestor)
			ret = add_children(t, (int)k);
	if (ret < 0) {
		cg_tree_free(t);
		return ret;
	}
	for (size_t k = 0; k < t->n; k++)
		read_limits(&t->node[k]);
	/* Usage at one moment for all: siblings are compared with ours. */
	for (size_t k = 0; k < t->n; k++)
		read_usage(&t->node[k]);
	return 0;
}

void cg_tree_free(struct cg_tree *t)
{
	free(t->node);
	memset(t, 0, sizeof(*t));
}
