/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cgroups by id: the kernel names a group's cgroup by its id (the
 * directory's inode number); its path is found by walking the cgroup2
 * tree once for every id wanted.
 */
#ifndef WFQTOOL_CGFIND_H
#define WFQTOOL_CGFIND_H

#include <stddef.h>
#include <stdint.h>

/* One cgroup wanted: path (PATH_MAX bytes) is filled if it is found. */
struct cg_wanted {
	uint64_t cgroup_id;
	char *path;
};

/*
 * Look the ids of wanted[0..n) up among the directories under the
 * cgroup2 mount, the mount itself included; sorts wanted by id.
 * Returns how many were found; the others' paths are left as they were.
 */
size_t cg_find_by_id(struct cg_wanted *wanted, size_t n);

#endif /* WFQTOOL_CGFIND_H */
