/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for cgroups other managers made, from their directory names:
 *
 *	docker-<64 hex>.scope, libpod-<64 hex>[.scope],
 *	crio-, cri-containerd-<64 hex>.scope   ->  the 12-hex short id
 *	lxc.payload.NAME                       ->  NAME
 *	anything else (foo.service, user.slice) ->  the directory name
 *
 * Nothing here touches the file system: the container's own name, from
 * its runtime's files (ctrname.h), comes in from the caller.
 */
#ifndef WFQTOOL_CGNAME_H
#define WFQTOOL_CGNAME_H

#include <stddef.h>
#include <stdint.h>

/* Docker's and Podman's short container id: the first 12 hex digits. */
#define CGNAME_SHORT_ID		12

/*
 * The container's id or name in directory name base, as the container
 * managers make it (the whole id: no ".scope"); NULL when it is none of
 * theirs.
 */
const char *cgname_container(const char *base, char *buf, size_t size);

/*
 * The group name for the cgroup whose directory name is base: container
 * (its name from the runtime) if not NULL, else the container's short id
 * or name in base, else base; bytes a group name cannot
 * hold (space, '/', not printable ASCII) become '_'. buf holds
 * WFQMON_NAME_MAX + 1 bytes.
 */
void cgname_derive(const char *base, const char *container, char *buf);

/*
 * The name to use when name is taken: rel (the cgroup's path below the
 * watched directory) with '/' as ':', or, if that is taken too or too
 * long, "name~ID" with the cgroup's id, which no other cgroup has.
 * attempt 1 and 2 pick these in turn. buf as for cgname_derive().
 */
void cgname_fallback(const char *name, const char *rel, uint64_t cgroup_id,
		     int attempt, char *buf);

#endif /* WFQTOOL_CGNAME_H */
