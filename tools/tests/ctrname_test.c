// SPDX-License-Identifier: GPL-2.0
/*
 * Container names from the runtimes' files (ctrname.c), in a temp dir
 * laid out as Podman's graph root and Docker's data root are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../ctrname.h"
#include "tap.h"

#define ID_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static bool write_file(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return false;
	fputs(text, f);
	return !fclose(f);
}

static void test_cgroup_ids(struct tap *t)
{
	static const struct {
		const char *path;
		enum ctr_runtime rt;	/* 0: not a container */
	} cases[] = {
		{ "/sys/fs/cgroup/libpod_parent/libpod-" ID_A, CTR_PODMAN },
		{ "/sys/fs/cgroup/machine.slice/libpod-" ID_A ".scope", CTR_PODMAN },
		{ "/sys/fs/cgroup/libpod_parent/libpod-payload-" ID_A, CTR_PODMAN },
		{ "/sys/fs/cgroup/system.slice/docker-" ID_A ".scope", CTR_DOCKER },
		{ "/sys/fs/cgroup/docker/" ID_A, CTR_DOCKER },
		{ "docker/" ID_A, CTR_DOCKER },
		{ "/sys/fs/cgroup/notdocker/" ID_A, 0 },
		{ "/sys/fs/cgroup/libpod_parent/libpod-conmon-" ID_A, 0 },
		{ "/sys/fs/cgroup/docker-" ID_A ".slice", 0 },
		{ "/sys/fs/cgroup/docker-0123.scope", 0 },
		{ "/sys/fs/cgroup/lxc.payload.c1", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum ctr_runtime rt = 0;
		char id[CTRNAME_ID_LEN + 1] = "";
		bool is = ctr_cgroup_id(cases[i].path, &rt, id);

		tap_ok(t, cases[i].rt ? is && rt == cases[i].rt &&
				       !strcmp(id, ID_A) : !is,
		       "...%s: %s", cases[i].path + strlen(cases[i].path) - 24,
		       cases[i].rt == CTR_PODMAN ? "Podman's" :
		       cases[i].rt == CTR_DOCKER ? "Docker's" : "no container");
	}
}

static void name_is(struct tap *t, const struct ctr_roots *r,
		    enum ctr_runtime rt, const char *id, const char *want,
		    const char *what)
{
	char buf[256] = "";
	bool found = ctr_name(r, rt, id, buf, sizeof(buf));

	tap_ok(t, want ? found && !strcmp(buf, want) : !found,
	       "%s (got %s \"%s\")", what, found ? "found" : "not found", buf);
}

static void test_names(struct tap *t, const char *dir)
{
	struct ctr_roots r;

	snprintf(r.podman, sizeof(r.podman), "%s/storage", dir);
	snprintf(r.docker, sizeof(r.docker), "%s/docker", dir);
	tap_ok(t, write_file(dir, "storage/vfs-containers/containers.json",
			     "[{\"id\":\"" ID_B "\",\"names\":[\"other\"]},"
			     "{\"id\":\"" ID_A "\",\"names\":[\"web\",\"alias\"],"
			     "\"image\":\"x\"}]\n") &&
		  write_file(dir, "docker/containers/" ID_A "/config.v2.json",
			     "{\"ID\":\"" ID_A "\",\"Name\":\"/db-1\"}") &&
		  write_file(dir, "docker/containers/" ID_B "/config.v2.json",
			     "{\"ID\":\"" ID_B "\",\"Name\":"),
	       "lay out a graph root and a Docker root in %s", dir);
	name_is(t, &r, CTR_PODMAN, ID_A, "web",
		"Podman: the first of \"names\" of the entry with its id");
	name_is(t, &r, CTR_PODMAN, ID_B, "other", "Podman: another entry");
	name_is(t, &r, CTR_DOCKER, ID_A, "db-1",
		"Docker: config.v2.json's \"Name\" without its \"/\"");
	name_is(t, &r, CTR_DOCKER, ID_B, NULL,
		"Docker: a truncated config.v2.json gives no name");
	snprintf(r.podman, sizeof(r.podman), "%s/absent", dir);
	snprintf(r.docker, sizeof(r.docker), "%s/absent", dir);
	name_is(t, &r, CTR_PODMAN, ID_A, NULL, "Podman: no storage, no name");
	name_is(t, &r, CTR_DOCKER, ID_A, NULL, "Docker: no root, no name");
	snprintf(r.podman, sizeof(r.podman), "%s/storage", dir);
	write_file(dir, "storage/vfs-containers/containers.json", "{}");
	name_is(t, &r, CTR_PODMAN, ID_A, NULL,
		"Podman: a containers.json not a list gives no name");
}

static void test_graphroot(struct tap *t, const char *dir)
{
	char conf[PATH_MAX], want[PATH_MAX], text[PATH_MAX + 128];
	struct ctr_roots r;

	snprintf(conf, sizeof(conf), "%s/storage.conf", dir);
	snprintf(want, sizeof(want), "%s/graph", dir);
	snprintf(text, sizeof(text),
		 "[storage]\ndriver = \"vfs\"\n# graphroot = \"/no\"\n"
		 "runroot = \"/run/x\"\n  graphroot = \"%s\"\n", want);
	write_file(dir, "storage.conf", text);
	setenv("CONTAINERS_STORAGE_CONF", conf, 1);
	ctr_roots_default(&r);
	tap_ok(t, !strcmp(r.podman, want),
	       "graphroot from $CONTAINERS_STORAGE_CONF (got %s)", r.podman);
	snprintf(conf, sizeof(conf), "%s/absent.conf", dir);
	setenv("CONTAINERS_STORAGE_CONF", conf, 1);
	ctr_roots_default(&r);
	tap_ok(t, !strcmp(r.podman, "/var/lib/containers/storage") &&
		  !strcmp(r.docker, "/var/lib/docker"),
	       "no storage.conf: rootful defaults (got %s, %s)", r.podman,
	       r.docker);
}

int main(void)
{
	char dir[] = "/tmp/wfqtool-ctrname-test.XXXXXX";
	struct tap t = { 0 };
	char cmd[sizeof(dir) + 16];

	if (!tap_ok(&t, mkdtemp(dir) != NULL, "make a temp dir"))
		return tap_done(&t);
	test_cgroup_ids(&t);
	test_names(&t, dir);
	test_graphroot(&t, dir);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		tap_ok(&t, false, "remove %s", dir);
	return tap_done(&t);
}
