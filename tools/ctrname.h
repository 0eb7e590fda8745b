/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Container names from the runtimes' own state files, read as root the
 * way a monitor without a daemon API can (cAdvisor's Docker and Podman
 * handlers label a container with its name, "/" stripped, and keep the
 * bare id beside it; we read the same "Name" from the files the daemons
 * write instead of asking them):
 *
 *	Podman  GRAPHROOT/<driver>-containers/containers.json: [{"id", "names"}]
 *	Docker  DOCKER_ROOT/containers/<id>/config.v2.json: {"Name": "/NAME"}
 *
 * A file absent or unreadable is no error: the caller keeps the short id.
 */
#ifndef WFQTOOL_CTRNAME_H
#define WFQTOOL_CTRNAME_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* A container id: 64 hex digits, the sha256 of its config. */
#define CTRNAME_ID_LEN		64

enum ctr_runtime {
	CTR_PODMAN = 1,
	CTR_DOCKER,
};

/* Where the runtimes keep their state. */
struct ctr_roots {
	char podman[PATH_MAX];	/* Podman's graph root */
	char docker[PATH_MAX];	/* Docker's data root */
};

/*
 * The roots of a rootful host: Podman's graphroot from the storage.conf
 * it reads ($CONTAINERS_STORAGE_CONF, else /etc/containers/storage.conf),
 * else /var/lib/containers/storage; Docker's /var/lib/docker.
 */
void ctr_roots_default(struct ctr_roots *r);

/*
 * The Podman or Docker container whose cgroup is at path: libpod-ID[.scope],
 * libpod-payload-ID, docker-ID.scope, docker/ID. Its id into id (65 bytes).
 */
bool ctr_cgroup_id(const char *path, enum ctr_runtime *rt, char *id);

/* The container's name as `podman ps`/`docker ps` print it; false if unknown. */
bool ctr_name(const struct ctr_roots *r, enum ctr_runtime rt, const char *id,
	      char *buf, size_t size);

#endif /* WFQTOOL_CTRNAME_H */
