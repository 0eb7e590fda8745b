// SPDX-License-Identifier: GPL-2.0
/* The row order of wfqtool top; see top.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "top.h"

static const char *const sort_names[] = {
	[TOP_SORT_SHARE] = "share",
	[TOP_SORT_WEIGHT] = "weight",
	[TOP_SORT_RUNTIME] = "runtime",
	[TOP_SORT_WAIT] = "wait",
	[TOP_SORT_NAME] = "name",
};

int top_parse_sort(const char *s, enum top_sort *key, struct wfqnl_err *err)
{
	for (size_t i = 0; i < sizeof(sort_names) / sizeof(sort_names[0]); i++) {
		if (!strcmp(s, sort_names[i])) {
			*key = (enum top_sort)i;
			return 0;
		}
	}
	return wfqnl_err_explain(err, EINVAL,
				 "\"%s\": not one of share, weight, runtime, wait, name",
				 s);
}

const char *top_sort_name(enum top_sort key)
{
	return sort_names[key];
}

/* qsort() has no context argument: the sort runs on (row, key) pairs. */
struct top_item {
	const struct report_row *row;
	size_t index;
	enum top_sort key;
};

/* -1, 0, 1 as a < b, for "largest first" keys called with (b, a). */
static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_items(const void *pa, const void *pb)
{
	const struct top_item *a = pa, *b = pb;
	const struct report_row *ra = a->row, *rb = b->row;
	int c = (int)rb->active - (int)ra->active;

	if (c)
		return c;
	switch (a->key) {
	case TOP_SORT_SHARE:
		c = cmp_double(rb->share, ra->share);
		break;
	case TOP_SORT_WEIGHT:
		c = cmp_u64(rb->now->g.weight, ra->now->g.weight);
		break;
	case TOP_SORT_RUNTIME:
		c = cmp_u64(rb->runtime_ns, ra->runtime_ns);
		break;
	case TOP_SORT_WAIT:
		c = cmp_u64(rb->wait_ns, ra->wait_ns);
		break;
	case TOP_SORT_NAME:
		break;
	}
	if (!c)
		c = strcmp(ra->now->g.name, rb->now->g.name);
	return c ? c : cmp_u64(a->index, b->index);
}

void top_order(const struct report *r, enum top_sort key, size_t *order)
{
	struct top_item *items = calloc(r->n ? r->n : 1, sizeof(*items));

	if (!items) {
		/* Out of memory: the kernel's order is still a valid frame. */
		for (size_t i = 0; i < r->n; i++)
			order[i] = i;
		return;
	}
	for (size_t i = 0; i < r->n; i++)
		items[i] = (struct top_item){ &r->rows[i], i, key };
	qsort(items, r->n, sizeof(*items), cmp_items);
	for (size_t i = 0; i < r->n; i++)
		order[i] = items[i].index;
	free(items);
}
