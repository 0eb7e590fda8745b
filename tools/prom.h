/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format (version 0.0.4) of one moment:
 * the module's own state, and every group with what its cgroup says.
 * One writer serves the exporter's /metrics and report --prometheus.
 *
 * Counters are printed exactly: integers in full, nanoseconds as
 * seconds with nine decimals. A value that could not be read (cpu.stat
 * without the cpu controller, a cgroup not found) is left out, never
 * printed as 0. Metric names are listed in Documentation/metrics.rst.
 */
#ifndef WFQTOOL_PROM_H
#define WFQTOOL_PROM_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"
#include "sample.h"

#define PROM_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct prom_scrape {
	/* false: the module could not be reached; only wfqmon_up is set. */
	bool up;
	uint32_t family_version;
	struct wfqnl_stats stats;
	/* Every group; snap->groups need their histograms. */
	const struct snapshot *snap;
	/* Shares over a window that ends at snap (report), or NULL. */
	const struct report *window;
};

void prom_write(FILE *f, const struct prom_scrape *s);

/* "12.345678901" from 12345678901 ns: exact, no rounding. */
void prom_ns_seconds(char *buf, size_t size, uint64_t ns);

#endif /* WFQTOOL_PROM_H */
