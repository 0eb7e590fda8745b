// SPDX-License-Identifier: GPL-2.0
/* Tables, JSON and Prometheus text for list, show and report. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "json.h"
#include "output.h"

#define NS_PER_S	1e9
#define NS_PER_MS	1e6
#define NS_PER_US	1e3

static double sec(uint64_t ns)
{
	return (double)ns / NS_PER_S;
}

/*
 * Bucket k of a log2 histogram (<linux/wfqmon.h>) holds values in
 * [lo, hi): lo = 0 for k = 0, else 2^(k + SHIFT - 1); hi = 2^(k + SHIFT),
 * none (open-ended) for the last bucket.
 */
static uint64_t hist_lo_ns(unsigned int k)
{
	return k ? 1ull << (k + WFQMON_HIST_SHIFT - 1) : 0;
}

static bool hist_hi_ns(unsigned int k, uint64_t *hi)
{
	if (k + 1 >= WFQMON_HIST_BUCKETS)
		return false;
	*hi = 1ull << (k + WFQMON_HIST_SHIFT);
	return true;
}

/*
 * "key": [{"ge_ns":lo,"lt_ns":hi|"max","count":n}, ...], or null if the
 * module did not send it.
 */
static void hist_json(struct json *j, const char *key, const uint64_t *counts,
		      unsigned int len)
{
	uint64_t hi;

	if (!len) {
		json_null(j, key);
		return;
	}
	json_arr_begin(j, key);
	for (unsigned int k = 0; k < len; k++) {
		json_obj_begin(j, NULL);
		json_u64(j, "ge_ns", hist_lo_ns(k));
		if (hist_hi_ns(k, &hi))
			json_u64(j, "lt_ns", hi);
		else
			json_str(j, "lt_ns", JSON_UNBOUNDED);
		json_u64(j, "count", counts[k]);
		json_end(j, '}');
	}
	json_end(j, ']');
}

/* A bucket bound for people: "1.02us", "268ms"; 3 significant digits. */
static void ns_str(uint64_t ns, char *buf, size_t size)
{
	if (ns < 1000)
		snprintf(buf, size, "%" PRIu64 "ns", ns);
	else if (ns < 1000000)
		snprintf(buf, size, "%.3gus", (double)ns / NS_PER_US);
	else if (ns < 1000000000)
		snprintf(buf, size, "%.3gms", (double)ns / NS_PER_MS);
	else
		snprintf(buf, size, "%.3gs", (double)ns / NS_PER_S);
}

/* The non-empty buckets, one "  [lo, hi)  count  percent" line each. */
static void hist_text(FILE *f, const char *title, const uint64_t *counts,
		      unsigned int len)
{
	char lo[16], hi[16];
	uint64_t total = 0, top;
	const char *note;

	for (unsigned int k = 0; k < len; k++)
		total += counts[k];
	note = len ? (total ? "" : " empty") : " not reported by the module";
	fprintf(f, "%s%s\n", title, note);
	for (unsigned int k = 0; k < len && total; k++) {
		if (!counts[k])
			continue;
		ns_str(hist_lo_ns(k), lo, sizeof(lo));
		if (hist_hi_ns(k, &top))
			ns_str(top, hi, sizeof(hi));
		else
			snprintf(hi, sizeof(hi), "inf");
		fprintf(f, "  [%7s, %7s) %12" PRIu64 " %6.2f%%\n", lo, hi,
			counts[k], 100.0 * (double)counts[k] / (double)total);
	}
}

/* One line per CPU; share is the CPU's part of the runtime listed. */
static void cpus_text(FILE *f, const struct group_sample *s)
{
	uint64_t total = 0;

	for (unsigned int i = 0; i < s->nr_cpus; i++)
		total += s->cpus[i].runtime_ns;
	fprintf(f, "per CPU:        %4s %12s %6s %12s %10s\n", "CPU",
		"RUNTIME_S", "SHARE", "WAIT_S", "QUANTA");
	for (unsigned int i = 0; i < s->nr_cpus; i++) {
		const struct wfqnl_cpu *c = &s->cpus[i];

		fprintf(f, "                %4u %12.6f %6.3f %12.6f %10" PRIu64
			"\n", c->cpu, sec(c->runtime_ns),
			total ? (double)c->runtime_ns / (double)total : 0,
			sec(c->wait_ns), c->quanta);
	}
}

/* The narrowest a name is cut to. */
#define NAME_CUT_MIN	10

/*
 * A name in a column of width: whole if it fits, else cut with an
 * ellipsis. Names are ASCII, so bytes are columns.
 */
static void put_name(FILE *f, const char *name, int width)
{
	int len = (int)strlen(name);

	if (len <= width)
		fprintf(f, "%-*s", width, name);
	else
		fprintf(f, "%.*s\u2026", width > 1 ? width - 1 : 0, name);
}

/*
 * The name column: as wide as the longest name (at least min), but
 * narrower when a line of rest more columns would not fit in max_width
 * (0: no limit, in a pipe), down to NAME_CUT_MIN.
 */
static int name_width(size_t longest, int min, int rest, size_t max_width)
{
	int w = longest > (size_t)min ? (int)longest : min;

	if (max_width && (size_t)(w + rest) > max_width)
		w = (int)max_width - rest;
	/* A name cut shorter than this says nothing: let the line wrap. */
	if (w < NAME_CUT_MIN)
		w = longest < NAME_CUT_MIN ? (int)longest : NAME_CUT_MIN;
	return w < min ? min : w;
}

/* Of rows order[0..n) of r, or its first n rows if order is NULL. */
static size_t longest_report_name(const struct report *r,
				  const size_t *order, size_t n)
{
	size_t longest = 0;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(r->rows[order ? order[i] : i].now->g.name);

		if (len > longest)
			longest = len;
	}
	return longest;
}

static const char *state_str(const struct wfqnl_group *g)
{
	return g->active ? "active" : "idle";
}

static void limits_str(const struct group_sample *s, char *cpu_max,
		       size_t cm_size, char *cpus, size_t cpus_size,
		       char *mem, size_t mem_size)
{
	snprintf(cpu_max, cm_size, "-");
	snprintf(cpus, cpus_size, "-");
	snprintf(mem, mem_size, "-");
	if (s->have_cpu_max && s->cpu_max.unlimited)
		snprintf(cpu_max, cm_size, "max");
	else if (s->have_cpu_max)
		snprintf(cpu_max, cm_size, "%" PRIu64 "/%" PRIu64,
			 s->cpu_max.quota_us, s->cpu_max.period_us);
	if (s->have_cpuset)
		cpulist_format(&s->cpuset, cpus, cpus_size);
	if (s->have_memory_max && s->memory_max.unlimited)
		snprintf(mem, mem_size, "max");
	else if (s->have_memory_max)
		snprintf(mem, mem_size, "%" PRIu64, s->memory_max.bytes);
}

/* Columns after NAME up to CGROUP, which may run past the width. */
#define LIST_REST_COLS	69

void out_list_table(FILE *f, const struct snapshot *snap, size_t width,
		    bool legend)
{
	size_t longest = 0;
	int nw;

	for (size_t i = 0; i < snap->n; i++)
		if (strlen(snap->groups[i].g.name) > longest)
			longest = strlen(snap->groups[i].g.name);
	nw = name_width(longest, 4, LIST_REST_COLS, width);
	if (legend)
		fprintf(f, "%4s %-*s %6s %-6s %5s %10s %10s %9s %9s  %s\n",
			"ID", nw, "NAME", "WEIGHT", "STATE", "PROCS",
			"RUNTIME_S", "VTIME_S", "QUANTA", "WAIT_S", "CGROUP");
	for (size_t i = 0; i < snap->n; i++) {
		const struct group_sample *s = &snap->groups[i];
		const struct wfqnl_group *g = &s->g;

		fprintf(f, "%4u ", g->id);
		put_name(f, g->name, nw);
		fprintf(f, " %6u %-6s %5u %10.3f %10.3f %9" PRIu64
			" %9.3f  %s\n",
			g->weight, state_str(g), s->nr_procs,
			sec(g->runtime_ns), sec(g->vtime), g->quanta,
			sec(g->wait_ns),
			s->cgroup_path[0] ? s->cgroup_path : "-");
	}
}

void out_show_text(FILE *f, const struct group_sample *s)
{
	const struct wfqnl_group *g = &s->g;
	char cpu_max[64], cpus[256], mem[32];

	limits_str(s, cpu_max, sizeof(cpu_max), cpus, sizeof(cpus), mem,
		   sizeof(mem));
	fprintf(f, "name:           %s\n", g->name);
	fprintf(f, "id:             %u\n", g->id);
	fprintf(f, "weight:         %u (cpu.weight %u)\n", g->weight,
		g->weight);
	fprintf(f, "cgroup:         %s (id %" PRIu64 ")\n",
		s->cgroup_path[0] ? s->cgroup_path : "-", g->cgroup_id);
	fprintf(f, "limits:         cpu.max %s, cpuset %s, memory.max %s\n",
		cpu_max, cpus, mem);
	fprintf(f, "state:          %s, %u runnable, %u processes\n",
		state_str(g), g->nr_runnable, s->nr_procs);
	fprintf(f, "runtime:        %.6f s\n", sec(g->runtime_ns));
	if (s->have_cpu_stat)
		fprintf(f, "cpu.stat:       usage %.6f s, throttled %.6f s\n",
			(double)s->usage_usec / 1e6,
			(double)s->throttled_usec / 1e6);
	fprintf(f, "vtime:          %" PRIu64 " ns/weight\n", g->vtime);
	fprintf(f, "quanta:         %" PRIu64 ", mean %.1f us, max %.1f us\n",
		g->quanta,
		g->quanta ? (double)g->runtime_ns / (double)g->quanta /
			    NS_PER_US : 0,
		(double)g->quantum_max_ns / NS_PER_US);
	fprintf(f, "wait:           %.6f s, max %.3f ms\n", sec(g->wait_ns),
		(double)g->wait_max_ns / NS_PER_MS);
	fprintf(f, "active:         %.6f s over %" PRIu64
		" activations, %" PRIu64 " catch-ups\n",
		sec(g->active_ns), g->activations, g->catchups);
	fprintf(f, "forks/exits:    %" PRIu64 "/%" PRIu64 "\n", g->forks,
		g->exits);
	hist_text(f, "wait histogram:", g->wait_hist, g->wait_hist_len);
	if (s->cpus)
		cpus_text(f, s);
}

/* One group's members, shared by list --json and show --json. */
static void group_json(struct json *j, const struct group_sample *s)
{
	const struct wfqnl_group *g = &s->g;
	char cpus[256];

	json_str(j, "name", g->name);
	json_u64(j, "id", g->id);
	json_u64(j, "weight", g->weight);
	json_u64(j, "cpu_weight", g->weight);
	if (s->cgroup_path[0])
		json_str(j, "cgroup", s->cgroup_path);
	else
		json_null(j, "cgroup");
	json_u64(j, "cgroup_id", g->cgroup_id);
	json_u64(j, "parent_id", g->parent_id);
	json_u64(j, "depth", g->depth);
	json_bool(j, "active", g->active);
	json_u64(j, "nr_runnable", g->nr_runnable);
	json_u64(j, "nr_active_children", g->nr_active_children);
	json_u64(j, "nr_procs", s->nr_procs);
	json_u64(j, "vtime_ns_per_weight", g->vtime);
	json_u64(j, "runtime_ns", g->runtime_ns);
	json_u64(j, "quanta", g->quanta);
	json_u64(j, "quantum_max_ns", g->quantum_max_ns);
	json_u64(j, "wait_ns", g->wait_ns);
	json_u64(j, "wait_max_ns", g->wait_max_ns);
	json_u64(j, "active_ns", g->active_ns);
	json_u64(j, "activations", g->activations);
	json_u64(j, "catchups", g->catchups);
	json_u64(j, "catchup_vtime_ns_per_weight", g->catchup_vtime);
	json_u64(j, "forks", g->forks);
	json_u64(j, "exits", g->exits);
	json_u64(j, "since_ns", g->since_ns);
	hist_json(j, "quantum_hist", g->quantum_hist, g->hist_len);
	hist_json(j, "wait_hist", g->wait_hist, g->wait_hist_len);
	if (s->cpus) {
		json_arr_begin(j, "cpus");
		for (unsigned int i = 0; i < s->nr_cpus; i++) {
			json_obj_begin(j, NULL);
			json_u64(j, "cpu", s->cpus[i].cpu);
			json_u64(j, "runtime_ns", s->cpus[i].runtime_ns);
			json_u64(j, "wait_ns", s->cpus[i].wait_ns);
			json_u64(j, "quanta", s->cpus[i].quanta);
			json_end(j, '}');
		}
		json_end(j, ']');
	}
	if (s->have_cpu_stat) {
		json_u64(j, "cpu_usage_ns", s->usage_usec * 1000);
		json_u64(j, "cpu_throttled_ns", s->throttled_usec * 1000);
	} else {
		json_null(j, "cpu_usage_ns");
		json_null(j, "cpu_throttled_ns");
	}
	if (s->have_cpu_max && !s->cpu_max.unlimited)
		json_u64(j, "cpu_max_quota_us", s->cpu_max.quota_us);
	else if (s->have_cpu_max)
		json_str(j, "cpu_max_quota_us", JSON_UNBOUNDED);
	else
		json_null(j, "cpu_max_quota_us");
	if (s->have_cpu_max)
		json_u64(j, "cpu_max_period_us", s->cpu_max.period_us);
	else
		json_null(j, "cpu_max_period_us");
	if (s->have_cpuset) {
		cpulist_format(&s->cpuset, cpus, sizeof(cpus));
		json_str(j, "cpuset_cpus", cpus);
	} else {
		json_null(j, "cpuset_cpus");
	}
	if (s->have_memory_max && !s->memory_max.unlimited)
		json_u64(j, "memory_max_bytes", s->memory_max.bytes);
	else if (s->have_memory_max)
		json_str(j, "memory_max_bytes", JSON_UNBOUNDED);
	else
		json_null(j, "memory_max_bytes");
}

void out_json_header(struct json *j, uint64_t time_ns)
{
	json_u64(j, "schema_version", OUT_SCHEMA_VERSION);
	json_u64(j, "time_ns", time_ns);
}

void out_list_json(FILE *f, const struct snapshot *snap)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	out_json_header(&j, snap->time_ns);
	json_arr_begin(&j, "groups");
	for (size_t i = 0; i < snap->n; i++) {
		json_obj_begin(&j, NULL);
		group_json(&j, &snap->groups[i]);
		json_end(&j, '}');
	}
	json_end(&j, ']');
	json_end(&j, '}');
}

void out_show_json(FILE *f, const struct snapshot *snap)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	out_json_header(&j, snap->time_ns);
	group_json(&j, &snap->groups[0]);
	json_end(&j, '}');
}

/* Columns after NAME in the report's and top's tables. */
#define REPORT_REST_COLS	76
#define TOP_REST_COLS		65

void out_report_table(FILE *f, const struct report *r, size_t width,
		      bool legend)
{
	int nw = name_width(longest_report_name(r, NULL, r->n), 4,
			    REPORT_REST_COLS, width);

	if (legend) {
		fprintf(f, "window %.2f s, %g CPUs, %u active, Jain's index %.4f\n",
			sec(r->interval_ns), r->capacity_cpus, r->nr_active,
			r->jain_index);
		fprintf(f, "%-*s %5s %6s %6s %6s %5s %8s %8s %8s %7s %7s  %s\n",
			nw, "NAME", "W", "IDEAL", "SHARE", "ERR", "X",
			"LAG_MS", "RUN_MS", "QMEAN_US", "WAIT_MS", "THR_MS",
			"CGROUP");
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct report_row *row = &r->rows[i];
		const char *cgroup = row->now->cgroup_path[0] ?
				     row->now->cgroup_path : "-";

		put_name(f, row->now->g.name, nw);
		if (!row->active) {
			fprintf(f, " %5u %6s %6s %6s %5s %8s %8s %8s %7s %7s  %s\n",
				row->now->g.weight, "-", "-", "-", "-", "-",
				"0", "-", "-", "-", cgroup);
			continue;
		}
		fprintf(f, " %5u %6.3f %6.3f %+6.3f %5.2f %8.1f %8.1f"
			" %8.0f %7.1f %7.1f  %s\n",
			row->now->g.weight,
			row->ideal_share, row->share, row->share_error,
			row->x, row->lag / NS_PER_MS,
			(double)row->runtime_ns / NS_PER_MS,
			(double)row->quantum_mean_ns / NS_PER_US,
			(double)row->wait_ns / NS_PER_MS,
			(double)row->throttled_ns / NS_PER_MS, cgroup);
	}
}

/* Narrower than this, top leaves its CGROUP column out. */
#define TOP_CGROUP_MIN	12

/* The tail of path (where a cgroup's own name is) in room columns. */
static void put_path_tail(FILE *f, const char *path, size_t room)
{
	size_t len = strlen(path);

	if (!room || len <= room)
		fprintf(f, "  %s", path);
	else
		fprintf(f, "  \u2026%s", path + len - (room - 1));
}

/*
 * The report sized to width columns (names cut to fit), rows in the
 * order given, at most max_rows of them (0: all): the live view of
 * wfqtool top.
 */
void out_top_table(FILE *f, const struct report *r, const size_t *order,
		   size_t max_rows, const char *sorted_by, size_t width,
		   bool legend)
{
	size_t rows = max_rows && max_rows < r->n ? max_rows : r->n;
	int nw = name_width(longest_report_name(r, order, rows), 4,
			    TOP_REST_COLS, width);
	size_t used = (size_t)nw + TOP_REST_COLS + 2;
	/* 0: no limit; the column is left out when it cannot say enough. */
	size_t room = width ? (width > used ? width - used : 0) : 0;
	bool cgroups = !width || room >= TOP_CGROUP_MIN;

	if (legend) {
		fprintf(f, "window %.2f s, %g CPUs, %u/%zu active, Jain's index %.4f, by %s\n",
			sec(r->interval_ns), r->capacity_cpus, r->nr_active,
			r->n, r->jain_index, sorted_by);
		fprintf(f, "%-*s %5s %6s %6s %6s %5s %8s %7s %7s %6s%s\n", nw,
			"NAME", "W", "IDEAL", "SHARE", "ERR", "X", "LAG_MS",
			"RUN_MS", "WAIT_MS", "THR_MS",
			cgroups ? "  CGROUP" : "");
	}
	for (size_t i = 0; i < rows; i++) {
		const struct report_row *row = &r->rows[order[i]];
		double lag_ms = row->lag / NS_PER_MS;

		/* No "-0.0" for a lag that rounds to nothing. */
		if (fabs(lag_ms) < 0.05)
			lag_ms = 0;
		put_name(f, row->now->g.name, nw);
		if (!row->active)
			fprintf(f, " %5u %6s %6s %6s %5s %8s %7s %7s %6s",
				row->now->g.weight, "-", "-", "-", "-", "-",
				"0", "-", "-");
		else
			fprintf(f, " %5u %6.3f %6.3f %+6.3f %5.2f %8.1f %7.0f"
				" %7.0f %6.0f",
				row->now->g.weight, row->ideal_share,
				row->share, row->share_error, row->x, lag_ms,
				(double)row->runtime_ns / NS_PER_MS,
				(double)row->wait_ns / NS_PER_MS,
				(double)row->throttled_ns / NS_PER_MS);
		if (cgroups)
			put_path_tail(f, row->now->cgroup_path[0] ?
				      row->now->cgroup_path : "-", room);
		fputc('\n', f);
	}
	if (rows < r->n)
		fprintf(f, "(%zu more)\n", r->n - rows);
}

void out_report_json(FILE *f, const struct report *r)
{
	struct json j;

	json_init(&j, f);
	json_obj_begin(&j, NULL);
	out_json_header(&j, r->time_ns);
	json_u64(&j, "interval_ns", r->interval_ns);
	json_double(&j, "capacity_cpus", r->capacity_cpus);
	json_u64(&j, "nr_active", r->nr_active);
	json_double(&j, "vtime_mean_ns_per_weight", r->vtime_mean);
	json_double(&j, "jain_index", r->jain_index);
	json_arr_begin(&j, "groups");
	for (size_t i = 0; i < r->n; i++) {
		const struct report_row *row = &r->rows[i];
		const struct wfqnl_group *g = &row->now->g;

		json_obj_begin(&j, NULL);
		json_str(&j, "name", g->name);
		json_u64(&j, "id", g->id);
		json_u64(&j, "parent_id", g->parent_id);
		if (row->now->cgroup_path[0])
			json_str(&j, "cgroup", row->now->cgroup_path);
		else
			json_null(&j, "cgroup");
		json_u64(&j, "weight", g->weight);
		json_bool(&j, "active", row->active);
		if (isinf(row->cap_cpus))
			json_str(&j, "cap_cpus", JSON_UNBOUNDED);
		else
			json_double(&j, "cap_cpus", row->cap_cpus);
		json_double(&j, "ideal_cpus", row->ideal_cpus);
		json_double(&j, "ideal_share", row->ideal_share);
		json_str(&j, "ideal_parent",
			 row->ideal_parent ? row->ideal_parent : "");
		json_double(&j, "level_share", row->level_share);
		json_double(&j, "actual_cpus", row->actual_cpus);
		json_double(&j, "share", row->share);
		json_double(&j, "share_error", row->share_error);
		json_double(&j, "share_to_ideal_ratio", row->x);
		json_u64(&j, "vtime_ns_per_weight", g->vtime);
		json_double(&j, "lag_vtime_ns_per_weight", row->lag);
		json_u64(&j, "runtime_ns", row->runtime_ns);
		if (row->now->have_cpu_stat) {
			json_u64(&j, "cpu_usage_ns", row->usage_ns);
			json_u64(&j, "cpu_throttled_ns", row->throttled_ns);
		} else {
			json_null(&j, "cpu_usage_ns");
			json_null(&j, "cpu_throttled_ns");
		}
		json_u64(&j, "quanta", row->quanta);
		json_u64(&j, "quantum_mean_ns", row->quantum_mean_ns);
		json_u64(&j, "quantum_max_ns", g->quantum_max_ns);
		json_u64(&j, "wait_ns", row->wait_ns);
		hist_json(&j, "wait_hist", row->wait_hist, row->wait_hist_len);
		json_end(&j, '}');
	}
	json_end(&j, ']');
	json_end(&j, '}');
}
