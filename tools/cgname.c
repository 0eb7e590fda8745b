// SPDX-License-Identifier: GPL-2.0
/* Group names from cgroup directory names; see cgname.h. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <linux/wfqmon.h>

#include "cgname.h"

/* Container ids are 64 hex digits: sha256 of the container's config. */
#define CONTAINER_ID_LEN	64

const char *cgname_container(const char *base, char *buf, size_t size)
{
	static const char *const prefixes[] = {
		"lxc.payload.", "libpod-", "docker-", "crio-", "cri-containerd-",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t len = strlen(prefixes[i]);

		if (strncmp(base, prefixes[i], len) || !base[len])
			continue;
		snprintf(buf, size, "%s", base + len);
		/* ".scope" of systemd's scopes; LXC names have no dot. */
		if (i > 0)
			buf[strcspn(buf, ".")] = '\0';
		return buf;
	}
	return NULL;
}

static bool is_container_id(const char *s)
{
	return strlen(s) == CONTAINER_ID_LEN &&
	       strspn(s, "0123456789abcdef") == CONTAINER_ID_LEN;
}

/* What a group name may not hold becomes '_' (wfq_name_char_valid()). */
static void sanitize(char *name)
{
	for (char *p = name; *p; p++)
		if (*p < 0x21 || *p > 0x7e || *p == '/')
			*p = '_';
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		name[0] = '_';
}

void cgname_derive(const char *base, const char *container, char *buf)
{
	char id[WFQMON_NAME_MAX + 1];

	if (container && *container) {
		snprintf(buf, WFQMON_NAME_MAX + 1, "%s", container);
	} else if (cgname_container(base, id, sizeof(id))) {
		if (is_container_id(id))
			id[CGNAME_SHORT_ID] = '\0';
		snprintf(buf, WFQMON_NAME_MAX + 1, "%s", id);
	} else {
		snprintf(buf, WFQMON_NAME_MAX + 1, "%s", base);
	}
	if (!buf[0])
		snprintf(buf, WFQMON_NAME_MAX + 1, "_");
	sanitize(buf);
}

void cgname_fallback(const char *name, const char *rel, uint64_t cgroup_id,
		     int attempt, char *buf)
{
	char suffix[32];
	size_t keep;

	if (attempt == 1 && strlen(rel) <= WFQMON_NAME_MAX) {
		snprintf(buf, WFQMON_NAME_MAX + 1, "%s", rel);
		for (char *p = buf; *p; p++)
			if (*p == '/')
				*p = ':';
		sanitize(buf);
		return;
	}
	snprintf(suffix, sizeof(suffix), "~%" PRIu64, cgroup_id);
	keep = WFQMON_NAME_MAX - strlen(suffix);
	snprintf(buf, WFQMON_NAME_MAX + 1, "%.*s%s", (int)keep, name, suffix);
}
