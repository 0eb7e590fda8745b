// SPDX-License-Identifier: GPL-2.0
/* Subordinate id ranges from /etc/subuid and /etc/subgid; see subid.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subid.h"

/* "NAME:START:COUNT" for user or id: the range, else -1. */
static int parse_line(char *line, const char *user, unsigned int id,
		      struct id_map *map)
{
	char *owner = strtok(line, ":\n"), *start = strtok(NULL, ":\n");
	char *count = strtok(NULL, ":\n"), *end;
	unsigned long s, c;
	char idbuf[16];

	if (!owner || !start || !count)
		return -1;
	snprintf(idbuf, sizeof(idbuf), "%u", id);
	if ((!user || strcmp(owner, user)) && strcmp(owner, idbuf))
		return -1;
	s = strtoul(start, &end, 10);
	if (*end)
		return -1;
	c = strtoul(count, &end, 10);
	if (*end || !c || s > UINT32_MAX || c > UINT32_MAX - s + 1)
		return -1;
	*map = (struct id_map){ .inside = 0, .outside = (uint32_t)s,
				.count = (uint32_t)c };
	return 0;
}

void subid_map(const char *file, const char *user, unsigned int id,
	       struct id_map *map)
{
	FILE *f = fopen(file, "re");
	char line[512];

	*map = (struct id_map){ .inside = 0, .outside = SUBID_DEFAULT_START,
				.count = SUBID_DEFAULT_COUNT };
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && !parse_line(line, user, id, map))
			break;
	fclose(f);
}
