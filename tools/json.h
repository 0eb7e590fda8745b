/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal streaming JSON writer: objects, arrays, and scalar members.
 * Keys are NULL inside arrays. Non-finite numbers are written as null.
 */
#ifndef WFQTOOL_JSON_H
#define WFQTOOL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX	8
/*
 * The value of a limit that is not set ("max" as cgroup files write
 * it). null means only "not known": not reported, or not defined.
 */
#define JSON_UNBOUNDED	"max"

struct json {
	FILE *f;
	int depth;
	bool need_comma[JSON_DEPTH_MAX];
};

void json_init(struct json *j, FILE *f);
void json_obj_begin(struct json *j, const char *key);
void json_arr_begin(struct json *j, const char *key);
/* Close the innermost object or array; a newline after the outermost. */
void json_end(struct json *j, char close);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_i64(struct json *j, const char *key, int64_t val);
void json_double(struct json *j, const char *key, double val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

#endif /* WFQTOOL_JSON_H */
