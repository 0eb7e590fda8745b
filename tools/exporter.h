/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The exporter's HTTP side (libmicrohttpd): GET or HEAD of /metrics
 * scrapes the module, / is a short page, any other path is 404 and any
 * other method 405. One thread per connection, at most
 * EXPORTER_MAX_CONNECTIONS at once: every scrape opens its own netlink
 * socket, reads the whole dump into memory and only then formats and
 * sends it, so a slow client never holds a dump open in the kernel.
 */
#ifndef WFQTOOL_EXPORTER_H
#define WFQTOOL_EXPORTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wfqnl.h"

#define EXPORTER_MAX_CONNECTIONS	16
#define EXPORTER_TIMEOUT_S		30

struct exporter;

/* Listen on HOST:PORT ("" HOST: every address). NULL on failure. */
struct exporter *exporter_start(const char *host, uint16_t port,
				const char *cgroup_root,
				struct wfqnl_err *err);
/* Stop listening and wait for the scrapes under way. */
void exporter_stop(struct exporter *ex);

/*
 * One scrape's exposition, malloc'ed (free() it); NULL if out of memory.
 * *up tells whether the module answered.
 */
char *exporter_scrape(const char *cgroup_root, size_t *len, bool *up);

#endif /* WFQTOOL_EXPORTER_H */
