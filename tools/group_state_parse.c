// SPDX-License-Identifier: GPL-2.0
/*
 * A group's state for import: parsed with json-c (tools/json.c only
 * writes) and checked member by member, then turned into the limits to
 * apply. Errors name the member: "cgroup.cpu.max: ...".
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "group_state.h"
#include "parse.h"

/* The member @key of @obj, of @type; -EINVAL naming it if not. */
static int member(struct json_object *obj, const char *where, const char *key,
		  enum json_type type, struct json_object **val,
		  struct wfqnl_err *err)
{
	if (!json_object_object_get_ex(obj, key, val))
		return wfqnl_err_explain(err, EINVAL, "%s%s: missing", where,
					 key);
	if (!json_object_is_type(*val, type))
		return wfqnl_err_explain(err, EINVAL, "%s%s: not a %s", where,
					 key, json_type_to_name(type));
	return 0;
}

static int get_i64(struct json_object *obj, const char *where,
		   const char *key, int64_t min, int64_t max, int64_t *out,
		   struct wfqnl_err *err)
{
	struct json_object *v;
	int ret = member(obj, where, key, json_type_int, &v, err);

	if (ret)
		return ret;
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno || *out < min || *out > max)
		return wfqnl_err_explain(err, ERANGE,
					 "%s%s: out of range %lld..%lld", where,
					 key, (long long)min, (long long)max);
	return 0;
}

static int get_u64(struct json_object *obj, const char *where,
		   const char *key, uint64_t *out, struct wfqnl_err *err)
{
	struct json_object *v;
	int ret = member(obj, where, key, json_type_int, &v, err);

	if (ret)
		return ret;
	/* json-c keeps values above INT64_MAX unsigned: not negative. */
	if (json_object_get_int64(v) < 0)
		return wfqnl_err_explain(err, ERANGE, "%s%s: negative", where,
					 key);
	errno = 0;
	*out = json_object_get_uint64(v);
	if (errno)
		return wfqnl_err_explain(err, ERANGE, "%s%s: out of range",
					 where, key);
	return 0;
}

static int get_str(struct json_object *obj, const char *where,
		   const char *key, char *buf, size_t size,
		   struct wfqnl_err *err)
{
	struct json_object *v;
	int ret = member(obj, where, key, json_type_string, &v, err);

	if (ret)
		return ret;
	if ((size_t)json_object_get_string_len(v) >= size)
		return wfqnl_err_explain(err, ERANGE,
					 "%s%s: longer than %zu bytes", where,
					 key, size - 1);
	memcpy(buf, json_object_get_string(v),
	       json_object_get_string_len(v) + 1);
	return 0;
}

/* What import needs: it must be there and valid. */
static int parse_required(struct json_object *doc, struct group_state *s,
			  struct wfqnl_err *err)
{
	struct group_state_cgroup *c = &s->cgroup;
	struct wfqnl_group *g = &s->group;
	struct json_object *cg;
	char kind[32];
	int64_t v = 0;
	int ret;

	ret = get_i64(doc, "", "schema_version", GROUP_STATE_SCHEMA_VERSION,
		      GROUP_STATE_SCHEMA_VERSION, &v, err);
	if (!ret)
		ret = get_str(doc, "", "kind", kind, sizeof(kind), err);
	if (!ret && strcmp(kind, GROUP_STATE_KIND))
		ret = wfqnl_err_explain(err, EINVAL, "kind: \"%s\", not \"%s\"",
					kind, GROUP_STATE_KIND);
	if (!ret)
		ret = get_str(doc, "", "name", g->name, sizeof(g->name), err);
	if (!ret && parse_group_name(g->name, err))
		ret = -err->errnum;
	if (!ret)
		ret = get_i64(doc, "", "weight", WFQMON_WEIGHT_MIN,
			      WFQMON_WEIGHT_MAX, &v, err);
	g->weight = v;
	if (!ret)
		ret = get_i64(doc, "", "lag_ns", WFQMON_LAG_MIN,
			      WFQMON_LAG_MAX, &g->lag, err);
	if (!ret)
		ret = member(doc, "", "cgroup", json_type_object, &cg, err);
	if (ret)
		return ret;
	ret = get_str(cg, "cgroup.", "path", c->path, sizeof(c->path), err);
	if (!ret)
		ret = get_i64(cg, "cgroup.", "cpu.weight", WFQMON_WEIGHT_MIN,
			      WFQMON_WEIGHT_MAX, &v, err);
	c->cpu_weight = v;
	if (!ret)
		ret = get_str(cg, "cgroup.", "cpu.max", c->cpu_max,
			      sizeof(c->cpu_max), err);
	if (!ret)
		ret = get_str(cg, "cgroup.", "cpuset.cpus", c->cpuset_cpus,
			      sizeof(c->cpuset_cpus), err);
	if (!ret)
		ret = get_str(cg, "cgroup.", "memory.max", c->memory_max,
			      sizeof(c->memory_max), err);
	return ret;
}

/* The record of the source: read when present, never needed. */
static int parse_record(struct json_object *doc, struct group_state *s,
			struct wfqnl_err *err)
{
	struct wfqnl_group *h = &s->group;
	const struct {
		const char *key;
		uint64_t *val;
	} counters[] = {
		{ "runtime_ns", &h->runtime_ns },
		{ "quanta", &h->quanta },
		{ "wait_ns", &h->wait_ns },
		{ "active_ns", &h->active_ns },
		{ "activations", &h->activations },
		{ "catchups", &h->catchups },
		{ "catchup_vtime", &h->catchup_vtime },
		{ "forks", &h->forks },
		{ "exits", &h->exits },
	};
	struct json_object *v, *hist;
	int ret = 0;

	if (json_object_object_get_ex(doc, "time_ns", &v))
		ret = get_u64(doc, "", "time_ns", &s->time_ns, err);
	if (!ret && json_object_object_get_ex(doc, "kernel", &v))
		ret = get_str(doc, "", "kernel", s->kernel, sizeof(s->kernel),
			      err);
	if (!ret && json_object_object_get_ex(doc, "vtime", &v))
		ret = get_u64(doc, "", "vtime", &h->vtime, err);
	if (!ret && json_object_object_get_ex(doc, "vtime_min", &v))
		ret = get_u64(doc, "", "vtime_min", &s->vtime_min, err);
	if (!ret && json_object_object_get_ex(doc, "active", &v))
		h->active = json_object_get_boolean(v);
	if (ret || !json_object_object_get_ex(doc, "history", &hist))
		return ret;
	for (size_t i = 0; !ret && i < sizeof(counters) / sizeof(counters[0]);
	     i++)
		if (json_object_object_get_ex(hist, counters[i].key, &v))
			ret = get_u64(hist, "history.", counters[i].key,
				      counters[i].val, err);
	return ret;
}

int group_state_parse(const char *text, struct group_state *s,
		      struct wfqnl_err *err)
{
	enum json_tokener_error jerr;
	struct json_object *doc;
	int ret;

	memset(s, 0, sizeof(*s));
	doc = json_tokener_parse_verbose(text, &jerr);
	if (!doc)
		return wfqnl_err_explain(err, EINVAL, "not JSON: %s",
					 json_tokener_error_desc(jerr));
	if (!json_object_is_type(doc, json_type_object))
		ret = wfqnl_err_explain(err, EINVAL, "not a JSON object");
	else
		ret = parse_required(doc, s, err);
	if (!ret)
		ret = parse_record(doc, s, err);
	json_object_put(doc);
	return ret;
}

int group_state_limits(const struct group_state *s, struct cg_limits *lim,
		       struct wfqnl_err *err)
{
	const struct group_state_cgroup *c = &s->cgroup;
	struct cpulist cpus;

	*lim = (struct cg_limits){
		.has_weight = true,
		.weight = c->cpu_weight,
		.has_cpu_max = true,
		.has_memory_max = true,
	};
	if (parse_cpu_max(c->cpu_max, &lim->cpu_max, err)) {
		wfqnl_err_wrap(err, "cgroup.cpu.max");
		return -err->errnum;
	}
	if (parse_size(c->memory_max, &lim->memory_max, err)) {
		wfqnl_err_wrap(err, "cgroup.memory.max");
		return -err->errnum;
	}
	/* An empty cpuset.cpus takes the parent's: leave it so. */
	if (c->cpuset_cpus[0]) {
		if (parse_cpulist(c->cpuset_cpus, &cpus, err)) {
			wfqnl_err_wrap(err, "cgroup.cpuset.cpus");
			return -err->errnum;
		}
		lim->has_cpus = true;
		lim->cpus = c->cpuset_cpus;
	}
	return 0;
}
