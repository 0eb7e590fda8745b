// SPDX-License-Identifier: GPL-2.0
/* The cgroup tree around the watched groups; see cg_tree.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cg_tree.h"
#include "cgroup.h"
#include "parse.h"

/* FNV-1a: the paths share long prefixes, so every byte counts. */
static size_t path_hash(const char *path)
{
	uint64_t h = 14695981039346656037ull;

	for (; *path; path++)
		h = (h ^ (unsigned char)*path) * 1099511628211ull;
	return (size_t)h;
}

/* The slot of path: its node's, or the empty one where it would go. */
static size_t slot_of(const struct cg_tree *t, const char *path)
{
	size_t mask = t->nr_slots - 1, i = path_hash(path) & mask;

	while (t->slot[i] && strcmp(t->node[t->slot[i] - 1].path, path))
		i = (i + 1) & mask;
	return i;
}

/*
 * A tree of 10,000 watched cgroups has as many nodes: looked up by path
 * for each one added, a linear search made reading it quadratic.
 */
static int find(const struct cg_tree *t, const char *path)
{
	if (!t->nr_slots)
		return -1;
	return (int)t->slot[slot_of(t, path)] - 1;
}

/* Room for one more node in the index, at most half full; -ENOMEM. */
static int index_reserve(struct cg_tree *t)
{
	size_t nr = t->nr_slots ? t->nr_slots : 64;
	unsigned int *old = t->slot;
	size_t old_nr = t->nr_slots;

	if (2 * (t->n + 1) <= t->nr_slots)
		return 0;
	while (2 * (t->n + 1) > nr)
		nr *= 2;
	t->slot = calloc(nr, sizeof(*t->slot));
	if (!t->slot) {
		t->slot = old;
		return -ENOMEM;
	}
	t->nr_slots = nr;
	for (size_t i = 0; i < old_nr; i++)
		if (old[i])
			t->slot[slot_of(t, t->node[old[i] - 1].path)] = old[i];
	free(old);
	return 0;
}

const struct cg_tree_node *cg_tree_find(const struct cg_tree *t,
					const char *path)
{
	int k = find(t, path);

	return k < 0 ? NULL : &t->node[k];
}

/* Nothing read yet: no limits, the default weight. */
static void node_init(struct cg_tree_node *node, const char *path, int parent)
{
	memset(node, 0, sizeof(*node));
	snprintf(node->path, sizeof(node->path), "%s", path);
	node->parent = parent;
	node->group = -1;
	node->cpu_weight = 100;
}

/* The node of path under parent, added if new; -ENOMEM. */
static int add(struct cg_tree *t, const char *path, int parent)
{
	int k = find(t, path);

	if (k >= 0)
		return k;
	if (index_reserve(t))
		return -ENOMEM;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		void *p = realloc(t->node, cap * sizeof(*t->node));

		if (!p)
			return -ENOMEM;
		t->node = p;
		t->cap = cap;
	}
	node_init(&t->node[t->n], path, parent);
	t->slot[slot_of(t, path)] = (unsigned int)++t->n;
	return (int)t->n - 1;
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
	unsigned int w;
	char buf[4096];

	if (open_node(node, &h))
		return;
	if (!cg_read(&h, "cpu.weight", buf, sizeof(buf), &err) &&
	    sscanf(buf, "%u", &w) == 1 && w) {
		node->have_cpu_weight = true;
		node->cpu_weight = w;
	}
	if (!cg_read(&h, "cpu.max", buf, sizeof(buf), &err) &&
	    !parse_cpu_max(buf, &node->cpu_max, &err)) {
		node->have_cpu_max = true;
		node->quota_cpus = cpu_max_cpus(&node->cpu_max);
	}
	if (!cg_read(&h, "cpuset.cpus.effective", buf, sizeof(buf), &err) &&
	    !parse_cpulist_file(buf, &node->cpuset, &err)) {
		node->cpuset_cpus = cpulist_count(&node->cpuset);
		node->have_cpuset = node->cpuset_cpus > 0;
	}
	cg_close(&h);
}

/* cpu.stat, read once for both keys. */
static void read_usage(struct cg_tree_node *node)
{
	struct cg_handle h;
	struct wfqnl_err err;
	char buf[2048] = "";

	if (open_node(node, &h))
		return;
	if (!cg_read(&h, "cpu.stat", buf, sizeof(buf), &err)) {
		node->have_usage = !cg_parse_key(buf, "usage_usec",
						 &node->usage_usec);
		/* Without the cpu controller there is no throttling. */
		node->have_throttled = !cg_parse_key(buf, "throttled_usec",
						     &node->throttled_usec);
	}
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
		if (ret == -EINVAL) {
			ret = 0;	/* outside the mount: read alone */
			continue;
		}
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

void cg_tree_node_read(struct cg_tree_node *node, const char *path)
{
	node_init(node, path, -1);
	read_limits(node);
	read_usage(node);
}

void cg_tree_free(struct cg_tree *t)
{
	free(t->slot);
	free(t->node);
	memset(t, 0, sizeof(*t));
}
