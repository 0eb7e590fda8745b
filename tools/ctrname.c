// SPDX-License-Identifier: GPL-2.0
/* Container names from the runtimes' state files; see ctrname.h. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ctrname.h"

static bool is_id(const char *s, size_t len)
{
	if (len != CTRNAME_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!strchr("0123456789abcdef", s[i]) || !s[i])
			return false;
	return true;
}

/* The value of `graphroot = "..."` in the storage.conf at path. */
static bool graphroot_of(const char *path, char *buf, size_t size)
{
	char line[PATH_MAX + 64];
	bool found = false;
	FILE *f = fopen(path, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t"), *end;

		if (strncmp(p, "graphroot", 9))
			continue;
		p += 9 + strspn(p + 9, " \t");
		if (*p++ != '=')
			continue;
		p += strspn(p, " \t");
		if (*p++ != '"')
			continue;
		end = strchr(p, '"');
		if (end && end > p && (size_t)(end - p) < size) {
			snprintf(buf, size, "%.*s", (int)(end - p), p);
			found = true;
		}
	}
	fclose(f);
	return found;
}

void ctr_roots_default(struct ctr_roots *r)
{
	const char *conf = getenv("CONTAINERS_STORAGE_CONF");

	if (!conf || !*conf)
		conf = "/etc/containers/storage.conf";
	if (!graphroot_of(conf, r->podman, sizeof(r->podman)))
		snprintf(r->podman, sizeof(r->podman), "/var/lib/containers/storage");
	snprintf(r->docker, sizeof(r->docker), "/var/lib/docker");
}

bool ctr_cgroup_id(const char *path, enum ctr_runtime *rt, char *id)
{
	static const struct {
		const char *prefix;
		enum ctr_runtime rt;
	} forms[] = {
		{ "libpod-payload-", CTR_PODMAN },
		{ "libpod-", CTR_PODMAN },
		{ "docker-", CTR_DOCKER },
	};
	const char *base = strrchr(path, '/');
	size_t parent_len;

	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		size_t len = strlen(forms[i].prefix);
		const char *p = base + len;

		if (strncmp(base, forms[i].prefix, len))
			continue;
		if (!is_id(p, strcspn(p, ".")) ||
		    (p[CTRNAME_ID_LEN] && strcmp(p + CTRNAME_ID_LEN, ".scope")))
			return false;
		*rt = forms[i].rt;
		snprintf(id, CTRNAME_ID_LEN + 1, "%s", p);
		return true;
	}
	/* Docker's cgroupfs driver: docker/ID. */
	parent_len = base - path;
	if (is_id(base, strlen(base)) && parent_len >= 7 &&
	    !strncmp(base - 7, "docker/", 7) &&
	    (parent_len == 7 || base[-8] == '/')) {
		*rt = CTR_DOCKER;
		snprintf(id, CTRNAME_ID_LEN + 1, "%s", base);
		return true;
	}
	return false;
}

/* The string member key of obj, or NULL. */
static const char *str_member(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool copy_name(const char *name, char *buf, size_t size)
{
	if (!name || !*name || strlen(name) >= size)
		return false;
	snprintf(buf, size, "%s", name);
	return true;
}

/* The first of "names" of the entry with this "id" in containers.json. */
static bool podman_name_in(const char *file, const char *id, char *buf,
			   size_t size)
{
	struct json_object *all = json_object_from_file(file), *names, *first;
	bool found = false;

	if (!all || !json_object_is_type(all, json_type_array)) {
		json_object_put(all);
		return false;
	}
	for (size_t i = 0; i < json_object_array_length(all) && !found; i++) {
		struct json_object *c = json_object_array_get_idx(all, i);
		const char *cid = str_member(c, "id");

		if (!cid || strcmp(cid, id) ||
		    !json_object_object_get_ex(c, "names", &names) ||
		    !json_object_is_type(names, json_type_array) ||
		    !json_object_array_length(names))
			continue;
		first = json_object_array_get_idx(names, 0);
		found = json_object_is_type(first, json_type_string) &&
			copy_name(json_object_get_string(first), buf, size);
	}
	json_object_put(all);
	return found;
}

static bool podman_name(const char *graphroot, const char *id, char *buf,
			size_t size)
{
	char pattern[PATH_MAX + 64];
	bool found = false;
	glob_t g;

	/* One containers.json per storage driver: overlay-, vfs-, ... */
	snprintf(pattern, sizeof(pattern), "%s/*-containers/containers.json",
		 graphroot);
	if (glob(pattern, 0, NULL, &g))
		return false;
	for (size_t i = 0; i < g.gl_pathc && !found; i++)
		found = podman_name_in(g.gl_pathv[i], id, buf, size);
	globfree(&g);
	return found;
}

static bool docker_name(const char *root, const char *id, char *buf,
			size_t size)
{
	char file[PATH_MAX + 128];
	struct json_object *config;
	const char *name;
	bool found;

	snprintf(file, sizeof(file), "%s/containers/%s/config.v2.json", root,
		 id);
	config = json_object_from_file(file);
	if (!config)
		return false;
	name = str_member(config, "Name");
	if (name && *name == '/')
		name++;
	found = copy_name(name, buf, size);
	json_object_put(config);
	return found;
}

bool ctr_name(const struct ctr_roots *r, enum ctr_runtime rt, const char *id,
	      char *buf, size_t size)
{
	if (rt == CTR_PODMAN)
		return podman_name(r->podman, id, buf, size);
	return docker_name(r->docker, id, buf, size);
}
