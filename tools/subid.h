/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subordinate ids a user namespace maps its ids to when root starts
 * it, so the container's root is not the host's root: the user's range
 * in /etc/subuid or /etc/subgid (subuid(5)), else SUBID_DEFAULT_START
 * and SUBID_DEFAULT_COUNT, the range LXC documents for unprivileged
 * containers (100000, 65536 ids).
 */
#ifndef WFQTOOL_SUBID_H
#define WFQTOOL_SUBID_H

#include <sys/types.h>

#include "parse.h"

#define SUBID_DEFAULT_START	100000u
#define SUBID_DEFAULT_COUNT	65536u

/*
 * 0 -> the first range of user (by name, or by the number id) in file
 * ("NAME:START:COUNT" lines), as map; the default range when the file
 * is missing or has no entry for the user.
 */
void subid_map(const char *file, const char *user, unsigned int id,
	       struct id_map *map);

#endif /* WFQTOOL_SUBID_H */
