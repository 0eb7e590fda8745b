/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output formats: human tables, JSON with stable keys whose names carry
 * their units (runtime_ns, share, vtime); Prometheus text is prom.h's.
 * Everything goes to the FILE given; nothing else prints.
 */
#ifndef WFQTOOL_OUTPUT_H
#define WFQTOOL_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "sample.h"

/*
 * The version of the JSON documents' shape, Documentation/schemas/;
 * raised when a key is renamed or removed or changes meaning.
 */
#define OUT_SCHEMA_VERSION	1
/* What every sample's JSON object starts with: schema_version, time_ns. */
struct json;
void out_json_header(struct json *j, uint64_t time_ns);
/* Columns of top when stdout is not a terminal. */
#define OUT_WIDTH_DEFAULT	80

/*
 * Tables: names whole when they fit in width columns (0: no limit),
 * else cut with an ellipsis; legend false leaves the header lines out.
 */
void out_list_table(FILE *f, const struct snapshot *snap, size_t width,
		    bool legend);
void out_list_json(FILE *f, const struct snapshot *snap);
void out_show_text(FILE *f, const struct group_sample *s);
/* The snapshot's only group. */
void out_show_json(FILE *f, const struct snapshot *snap);
void out_report_table(FILE *f, const struct report *r, size_t width,
		      bool legend);
void out_report_json(FILE *f, const struct report *r);
/* order[] from top_order(); max_rows 0 for all. */
void out_top_table(FILE *f, const struct report *r, const size_t *order,
		   size_t max_rows, const char *sorted_by, size_t width,
		   bool legend);

#endif /* WFQTOOL_OUTPUT_H */
