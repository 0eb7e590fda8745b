/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wfqtool top's pure part: the sort keys and the order of a report's
 * rows. Active groups come first, then by the key (largest first, names
 * A to Z), ties broken by name so the order is stable between frames.
 */
#ifndef WFQTOOL_TOP_H
#define WFQTOOL_TOP_H

#include <stddef.h>

#include "report.h"

enum top_sort {
	TOP_SORT_SHARE,
	TOP_SORT_WEIGHT,
	TOP_SORT_RUNTIME,
	TOP_SORT_WAIT,
	TOP_SORT_NAME,
};

/* "share", "weight", "runtime", "wait" or "name". */
int top_parse_sort(const char *s, enum top_sort *key, struct wfqnl_err *err);
const char *top_sort_name(enum top_sort key);

/* order[0..r->n-1]: indexes into r->rows, sorted by key. */
void top_order(const struct report *r, enum top_sort key, size_t *order);

#endif /* WFQTOOL_TOP_H */
