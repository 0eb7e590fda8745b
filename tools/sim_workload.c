// SPDX-License-Identifier: GPL-2.0
/*
 * Workload parsing for wfqtool simulate. See sim_workload.h.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "sim_workload.h"

#define LINE_MAX_LEN	4096
#define WEIGHT_MAX	10000

static struct sim_group *find_group(struct sim_workload *w, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->g[i].name, name))
			return &w->g[i];
	return NULL;
}

static struct sim_group *add_group(struct sim_workload *w, const char *name,
				   struct wfqnl_err *err)
{
	struct sim_group *g;

	if (!*name || strlen(name) >= SIM_NAME_MAX)
		return wfqnl_err_explain(err, EINVAL,
					 "group name \"%s\": 1 to %d characters",
					 name, SIM_NAME_MAX - 1), NULL;
	if (w->n >= SIM_GROUPS_MAX)
		return wfqnl_err_explain(err, E2BIG,
					 "group \"%s\": more than %d groups",
					 name, SIM_GROUPS_MAX), NULL;
	g = &w->g[w->n++];
	memset(g, 0, sizeof(*g));
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->weight = 100;
	return g;
}

static int parse_weight_tok(const char *s, uint32_t *weight,
			    struct wfqnl_err *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || !v ||
	    v > WEIGHT_MAX)
		return wfqnl_err_explain(err, EINVAL,
					 "weight \"%s\": want 1..%d", s,
					 WEIGHT_MAX);
	*weight = (uint32_t)v;
	return 0;
}

#define PATTERN_ITEMS \
	"on=D, off=D, burst=D, sleep=D, start=D, threads=K or cap=PCT%%|QUOTA/PERIOD"

/* Which items a pattern gave, to check that pairs come together. */
struct pattern_seen {
	bool on, off, burst, sleep;
};

/* cap=PCT% of one CPU per 100 ms, or cap=QUOTA/PERIOD as cpu.max (us). */
static int parse_cap(const char *v, struct sim_group *g, struct wfqnl_err *err)
{
	struct cpu_max cm;
	size_t len = strlen(v);

	if (len && v[len - 1] == '%') {
		char num[16];
		uint64_t pct;

		if (len > sizeof(num))
			return wfqnl_err_explain(err, EINVAL,
						 "cap \"%s\": want PCT%% of one CPU",
						 v);
		memcpy(num, v, len - 1);
		num[len - 1] = '\0';
		if (parse_count(num, 100 * SIM_CPUS_MAX, &pct, err)) {
			wfqnl_err_wrap(err, "cap \"%s\"", v);
			return -EINVAL;
		}
		g->cap_period_ns = CPU_MAX_PERIOD_DEFAULT_US * 1000ull;
		g->cap_quota_ns = pct * g->cap_period_ns / 100;
		return 0;
	}
	if (parse_cpu_max(v, &cm, err))
		return -EINVAL;
	if (cm.unlimited)
		return 0;
	g->cap_quota_ns = cm.quota_us * 1000;
	g->cap_period_ns = cm.period_us * 1000;
	return 0;
}

/* One "key=VALUE" item of a pattern. */
static int parse_pattern_item(char *item, struct sim_group *g,
			      struct pattern_seen *seen, struct wfqnl_err *err)
{
	char *eq = strchr(item, '=');
	uint64_t *dst, threads;

	if (!eq)
		return wfqnl_err_explain(err, EINVAL,
					 "pattern item \"%s\": want " PATTERN_ITEMS,
					 item);
	*eq = '\0';
	if (!strcmp(item, "on")) {
		dst = &g->on_ns;
		seen->on = true;
	} else if (!strcmp(item, "off")) {
		dst = &g->off_ns;
		seen->off = true;
	} else if (!strcmp(item, "burst")) {
		dst = &g->burst_ns;
		seen->burst = true;
	} else if (!strcmp(item, "sleep")) {
		dst = &g->sleep_ns;
		seen->sleep = true;
	} else if (!strcmp(item, "start")) {
		dst = &g->start_ns;
	} else if (!strcmp(item, "threads")) {
		if (parse_count(eq + 1, SIM_CPUS_MAX, &threads, err)) {
			wfqnl_err_wrap(err, "threads");
			return -EINVAL;
		}
		g->threads = (uint32_t)threads;
		return 0;
	} else if (!strcmp(item, "cap")) {
		return parse_cap(eq + 1, g, err);
	} else {
		*eq = '=';
		return wfqnl_err_explain(err, EINVAL,
					 "pattern item \"%s\": want " PATTERN_ITEMS,
					 item);
	}
	return parse_duration(eq + 1, DURATION_ZERO_OK, dst, err);
}

static int parse_pattern(char *pat, struct sim_group *g, struct wfqnl_err *err)
{
	struct pattern_seen seen = { false };
	char *save = NULL;

	if (!strcmp(pat, "busy"))
		return 0;
	for (char *it = strtok_r(pat, ",", &save); it;
	     it = strtok_r(NULL, ",", &save))
		if (parse_pattern_item(it, g, &seen, err))
			return -EINVAL;
	if (seen.on != seen.off || (seen.on && (!g->on_ns || !g->off_ns)))
		return wfqnl_err_explain(err, EINVAL,
					 "group \"%s\": on= and off= go together and must be > 0",
					 g->name);
	if (seen.burst != seen.sleep ||
	    (seen.burst && (!g->burst_ns || !g->sleep_ns)))
		return wfqnl_err_explain(err, EINVAL,
					 "group \"%s\": burst= and sleep= go together and must be > 0",
					 g->name);
	if (seen.on && seen.burst)
		return wfqnl_err_explain(err, EINVAL,
					 "group \"%s\": give on=/off= (wall time) or burst=/sleep= (CPU demand), not both",
					 g->name);
	return 0;
}

int sim_parse_group(const char *spec, struct sim_workload *w,
		    struct wfqnl_err *err)
{
	char buf[512], *weight, *pat;
	struct sim_group *g;
	int ret = -EINVAL;

	if (strlen(spec) >= sizeof(buf))
		return wfqnl_err_explain(err, EINVAL, "group \"%.40s...\": too long",
					 spec);
	snprintf(buf, sizeof(buf), "%s", spec);
	weight = strchr(buf, ':');
	if (!weight)
		return wfqnl_err_explain(err, EINVAL,
					 "group \"%s\": want NAME:WEIGHT[:PATTERN]",
					 spec);
	*weight++ = '\0';
	pat = strchr(weight, ':');
	if (pat)
		*pat++ = '\0';
	if (find_group(w, buf))
		return wfqnl_err_explain(err, EEXIST, "group \"%s\": given twice",
					 buf);
	g = add_group(w, buf, err);
	if (!g)
		return -EINVAL;
	if (!parse_weight_tok(weight, &g->weight, err) &&
	    (!pat || !parse_pattern(pat, g, err)))
		ret = 0;
	if (ret) {
		w->n--;
		wfqnl_err_wrap(err, "group \"%s\"", spec);
	}
	return ret;
}

/* Minimal lookups in one flat JSON object, as wfqtool prints them. */
static const char *json_key(const char *line, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = strchr(line, '"'); p; p = strchr(p + 1, '"'))
		if (!strncmp(p + 1, key, k) && p[k + 1] == '"') {
			p += k + 2;
			while (isspace((unsigned char)*p))
				p++;
			if (*p != ':')
				continue;
			p++;
			while (isspace((unsigned char)*p))
				p++;
			return p;
		}
	return NULL;
}

static bool json_get_u64(const char *line, const char *key, uint64_t *v)
{
	const char *p = json_key(line, key);
	char *end;

	if (!p || !isdigit((unsigned char)*p))
		return false;
	errno = 0;
	*v = strtoull(p, &end, 10);
	return !errno;
}

static bool json_get_str(const char *line, const char *key, char *buf,
			 size_t size)
{
	const char *p = json_key(line, key), *q;

	if (!p || *p != '"')
		return false;
	q = strchr(p + 1, '"');
	if (!q || (size_t)(q - p - 1) >= size)
		return false;
	memcpy(buf, p + 1, (size_t)(q - p - 1));
	buf[q - p - 1] = '\0';
	return true;
}

static bool json_get_bool(const char *line, const char *key, bool *v)
{
	const char *p = json_key(line, key);

	if (p && !strncmp(p, "true", 4))
		*v = true;
	else if (p && !strncmp(p, "false", 5))
		*v = false;
	else
		return false;
	return true;
}

static int add_busy(struct sim_group *g, uint64_t start, uint64_t end,
		    struct wfqnl_err *err)
{
	struct sim_busy *b;

	if (end <= start)
		return 0;
	b = realloc(g->busy, (g->nbusy + 1) * sizeof(*b));
	if (!b)
		return wfqnl_err_set(err, ENOMEM, "group \"%s\"", g->name);
	g->busy = b;
	b[g->nbusy].start_ns = start;
	b[g->nbusy].end_ns = end;
	g->nbusy++;
	return 0;
}

/* Per group while reading: is it runnable, and since when. */
struct replay_state {
	bool known;
	bool active;
	uint64_t since;
};

static int replay_line(const char *line, const char *what, unsigned int ln,
		       struct sim_workload *w, struct replay_state *rs,
		       uint64_t *t0, uint64_t *end, struct wfqnl_err *err)
{
	char name[SIM_NAME_MAX], ev[16];
	uint64_t t, weight;
	struct sim_group *g;
	struct replay_state *r;
	bool active;

	/* A hole in the record: what ran in it is not known. */
	if (json_get_str(line, "event", ev, sizeof(ev)) && !strcmp(ev, "lost"))
		return wfqnl_err_explain(err, EIO,
					 "%s:%u: notifications were lost here (\"event\": \"lost\"): the record cannot be replayed",
					 what, ln);
	if (!json_get_u64(line, "time_ns", &t) ||
	    !json_get_str(line, "event", ev, sizeof(ev)) ||
	    !json_get_str(line, "name", name, sizeof(name)) ||
	    !json_get_bool(line, "active", &active))
		return wfqnl_err_explain(err, EINVAL,
					 "%s:%u: \"%.60s\": want an events --json line with time_ns, event, name, active",
					 what, ln, line);
	if (*t0 == UINT64_MAX)
		*t0 = t;
	if (t < *t0 || t - *t0 < *end)
		return wfqnl_err_explain(err, EINVAL,
					 "%s:%u: time_ns %llu goes backwards",
					 what, ln, (unsigned long long)t);
	t -= *t0;
	*end = t;
	g = find_group(w, name);
	if (!g) {
		g = add_group(w, name, err);
		if (!g)
			return -EINVAL;
	}
	r = &rs[g - w->g];
	if (json_get_u64(line, "weight", &weight) && weight &&
	    weight <= WEIGHT_MAX)
		g->weight = (uint32_t)weight;
	if (!strcmp(ev, "del"))
		active = false;
	if (!r->known && !active && !strcmp(ev, "idle")) {
		/* Idle first: it was active before the record began. */
		r->active = true;
		r->since = 0;
	}
	r->known = true;
	if (active && !r->active) {
		r->active = true;
		r->since = t;
	} else if (!active && r->active) {
		r->active = false;
		return add_busy(g, r->since, t, err);
	}
	return 0;
}

int sim_parse_events(FILE *f, const char *what, struct sim_workload *w,
		     uint64_t *end_ns, struct wfqnl_err *err)
{
	struct replay_state rs[SIM_GROUPS_MAX] = { 0 };
	uint64_t t0 = UINT64_MAX, end = 0;
	char line[LINE_MAX_LEN];
	unsigned int ln = 0;
	size_t first = w->n;

	while (fgets(line, sizeof(line), f)) {
		ln++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[strspn(line, " \t\r")])
			continue;
		if (replay_line(line, what, ln, w, rs, &t0, &end, err))
			return -EINVAL;
	}
	if (ferror(f))
		return wfqnl_err_set(err, EIO, "%s", what);
	if (!ln || t0 == UINT64_MAX)
		return wfqnl_err_explain(err, EINVAL, "%s: no events", what);
	for (size_t i = first; i < w->n; i++) {
		/* A replayed group is defined by its stretches alone. */
		if (rs[i].active && add_busy(&w->g[i], rs[i].since, end, err))
			return -ENOMEM;
		if (!w->g[i].busy) {
			w->g[i].busy = calloc(1, sizeof(struct sim_busy));
			if (!w->g[i].busy)
				return wfqnl_err_set(err, ENOMEM, "%s", what);
		}
	}
	*end_ns = end;
	return 0;
}

int sim_parse_weights(FILE *f, const char *what, struct sim_workload *w,
		      struct wfqnl_err *err)
{
	char *doc = NULL;
	size_t size = 0;
	const char *p;
	int found = 0;
	FILE *m = open_memstream(&doc, &size);
	int c;

	if (!m)
		return wfqnl_err_set(err, errno, "%s", what);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	/* Every group object of list --json begins with its name. */
	for (p = doc ? strstr(doc, "{\"name\"") : NULL; p;
	     p = strstr(p + 1, "{\"name\"")) {
		char name[SIM_NAME_MAX];
		uint64_t weight;
		struct sim_group *g;

		if (!json_get_str(p, "name", name, sizeof(name)) ||
		    !json_get_u64(p, "weight", &weight) || !weight ||
		    weight > WEIGHT_MAX) {
			wfqnl_err_explain(err, EINVAL,
					  "%s: \"%.60s\": want a group with name and weight 1..%d",
					  what, p, WEIGHT_MAX);
			free(doc);
			return -EINVAL;
		}
		g = find_group(w, name);
		if (!g) {
			g = add_group(w, name, err);
			if (!g || !(g->busy = calloc(1, sizeof(*g->busy)))) {
				free(doc);
				return g ? wfqnl_err_set(err, ENOMEM, "%s", what) :
					   -EINVAL;
			}
		}
		g->weight = (uint32_t)weight;
		found++;
	}
	free(doc);
	if (!found)
		return wfqnl_err_explain(err, EINVAL,
					 "%s: no groups (want wfqtool list --json output)",
					 what);
	return 0;
}
