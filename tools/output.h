/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output formats: human tables, JSON with stable keys whose names carry
 * their units (runtime_ns, share, vtime); Prometheus text is prom.h's.
 * Everything goes to the FILE given; nothing else prints.
 */
#ifndef WFQTOOL_OUTPUT_H
#define WFQTOOL_OUTPUT_H

#include <stdio.h>

#include "report.h"
#include "sample.h"

void out_list_table(FILE *f, const struct snapshot *snap);
void out_list_json(FILE *f, const struct snapshot *snap);
void out_show_text(FILE *f, const struct group_sample *s);
void out_show_json(FILE *f, const struct group_sample *s);
void out_report_table(FILE *f, const struct report *r);
void out_report_json(FILE *f, const struct report *r);
/* 80 columns; order[] from top_order(); max_rows 0 for all. */
void out_top_table(FILE *f, const struct report *r, const size_t *order,
		   size_t max_rows, const char *sorted_by);

#endif /* WFQTOOL_OUTPUT_H */
