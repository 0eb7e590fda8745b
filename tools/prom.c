// SPDX-License-Identifier: GPL-2.0
/* Prometheus text of one moment; see prom.h and Documentation/metrics.rst. */
#include <inttypes.h>
#include <stddef.h>
#include <string.h>

#include "cgname.h"
#include "cgroup.h"
#include "prom.h"

void prom_ns_seconds(char *buf, size_t size, uint64_t ns)
{
	snprintf(buf, size, "%" PRIu64 ".%09" PRIu64, ns / UINT64_C(1000000000),
		 ns % UINT64_C(1000000000));
}

static void header(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fprintf(f, "\\%c", *v);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

/* How a u64 of struct wfqnl_group is printed. */
enum unit {
	UNIT_COUNT,		/* as is */
	UNIT_NS,		/* ns as exact seconds */
};

struct group_u64 {
	const char *name;
	const char *type;
	const char *help;
	uint64_t (*get)(const struct wfqnl_group *g);
	enum unit unit;
};

#define GETTER(field)							\
	static uint64_t get_##field(const struct wfqnl_group *g)	\
	{								\
		return g->field;					\
	}
GETTER(runtime_ns)
GETTER(wait_ns)
GETTER(active_ns)
GETTER(quanta)
GETTER(activations)
GETTER(catchups)
GETTER(catchup_vtime)
GETTER(forks)
GETTER(exits)
GETTER(vtime)
GETTER(quantum_max_ns)
GETTER(wait_max_ns)
GETTER(nr_runnable)
GETTER(active)
#define G(field) get_##field

static const struct group_u64 group_u64s[] = {
	{ "wfqmon_group_runtime_seconds_total", "counter",
	  "CPU time charged to the group's tasks.", G(runtime_ns), UNIT_NS },
	{ "wfqmon_group_wait_seconds_total", "counter",
	  "Time the group's tasks were runnable but not running.",
	  G(wait_ns), UNIT_NS },
	{ "wfqmon_group_active_seconds_total", "counter",
	  "Time the group had a runnable task.", G(active_ns), UNIT_NS },
	{ "wfqmon_group_quanta_total", "counter",
	  "Bursts of the group's tasks on a CPU.", G(quanta), UNIT_COUNT },
	{ "wfqmon_group_activations_total", "counter",
	  "Transitions from idle to active.", G(activations), UNIT_COUNT },
	{ "wfqmon_group_catchups_total", "counter",
	  "Activations that raised the virtual time to s_min.",
	  G(catchups), UNIT_COUNT },
	{ "wfqmon_group_catchup_vtime_seconds_total", "counter",
	  "Virtual time forgiven by catch-ups, seconds of CPU per unit of weight.",
	  G(catchup_vtime), UNIT_NS },
	{ "wfqmon_group_forks_total", "counter",
	  "Tasks forked in the group.", G(forks), UNIT_COUNT },
	{ "wfqmon_group_exits_total", "counter",
	  "Tasks that exited in the group.", G(exits), UNIT_COUNT },
	{ "wfqmon_group_vtime_seconds", "gauge",
	  "Virtual time s_i: seconds of CPU per unit of weight.",
	  G(vtime), UNIT_NS },
	{ "wfqmon_group_quantum_max_seconds", "gauge",
	  "Longest burst on a CPU since creation or reset.",
	  G(quantum_max_ns), UNIT_NS },
	{ "wfqmon_group_wait_max_seconds", "gauge",
	  "Longest single wait since creation or reset.",
	  G(wait_max_ns), UNIT_NS },
	{ "wfqmon_group_runnable_tasks", "gauge",
	  "Tasks of the group runnable at the scrape.", G(nr_runnable),
	  UNIT_COUNT },
	{ "wfqmon_group_active", "gauge",
	  "1 while the group has a runnable task.", G(active), UNIT_COUNT },
};

static void print_value(FILE *f, uint64_t v, enum unit unit)
{
	char buf[32];

	if (unit == UNIT_NS) {
		prom_ns_seconds(buf, sizeof(buf), v);
		fprintf(f, " %s\n", buf);
	} else {
		fprintf(f, " %" PRIu64 "\n", v);
	}
}

static void module_u64(FILE *f, const char *name, const char *type,
		       const char *help, uint64_t v, enum unit unit)
{
	header(f, name, type, help);
	fputs(name, f);
	print_value(f, v, unit);
}

static void module_metrics(FILE *f, const struct prom_scrape *s)
{
	const struct wfqnl_stats *st = &s->stats;

	module_u64(f, "wfqmon_family_version", "gauge",
		   "Version of the wfqmon generic netlink family.",
		   s->family_version, UNIT_COUNT);
	module_u64(f, "wfqmon_groups", "gauge", "Groups that exist.",
		   st->nr_groups, UNIT_COUNT);
	module_u64(f, "wfqmon_max_groups", "gauge",
		   "Groups the module allows (max_groups).", st->max_groups,
		   UNIT_COUNT);
	module_u64(f, "wfqmon_active_groups", "gauge",
		   "Groups with a runnable task.", st->nr_active, UNIT_COUNT);
	module_u64(f, "wfqmon_active_weight", "gauge",
		   "Sum of the weights of the active groups.",
		   st->weight_active, UNIT_COUNT);
	module_u64(f, "wfqmon_vtime_min_seconds", "gauge",
		   "s_min: seconds of CPU per unit of weight; never decreases.",
		   st->vtime_min, UNIT_NS);
	module_u64(f, "wfqmon_vtime_mean_seconds", "gauge",
		   "V, weighted mean s_i of the active groups (kernel's).",
		   st->vtime_avg, UNIT_NS);
	module_u64(f, "wfqmon_tasks_tracked", "gauge",
		   "Task slots in use.", st->tasks_tracked, UNIT_COUNT);
	module_u64(f, "wfqmon_tasks_max", "gauge",
		   "Task slots available (max_tasks).", st->tasks_max,
		   UNIT_COUNT);
	module_u64(f, "wfqmon_untracked_tasks_total", "counter",
		   "Times a task found no slot and went unaccounted.",
		   st->tasks_untracked, UNIT_COUNT);
	module_u64(f, "wfqmon_notifications_sent_total", "counter",
		   "Notifications multicast on the events group.",
		   st->events_sent, UNIT_COUNT);
	module_u64(f, "wfqmon_notifications_coalesced_total", "counter",
		   "Active/idle changes folded into one notification.",
		   st->events_coalesced, UNIT_COUNT);
	module_u64(f, "wfqmon_charged_seconds_total", "counter",
		   "CPU time charged to any group.", st->charged_ns, UNIT_NS);
	module_u64(f, "wfqmon_switches_total", "counter",
		   "sched_switch probe hits.", st->switches, UNIT_COUNT);
	module_u64(f, "wfqmon_memory_bytes", "gauge",
		   "Memory the module holds.", st->memory_bytes, UNIT_COUNT);
}

/* "NAMESUFFIX{group="G"": more labels may follow; names can hold \ and ". */
static void group_labels_open(FILE *f, const char *name, const char *suffix,
			      const struct wfqnl_group *g)
{
	fprintf(f, "%s%s{group=\"", name, suffix);
	label_value(f, g->name);
	fputc('"', f);
}

static void group_label(FILE *f, const char *name, const char *suffix,
			const struct wfqnl_group *g)
{
	group_labels_open(f, name, suffix, g);
	fputc('}', f);
}

/* The container's name or id from its cgroup's directory name. */
static const char *container_of(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');

	return cgname_container(base ? base + 1 : path, buf, size);
}

/* The path as cAdvisor's id label has it: from the cgroup2 mount, "/" first. */
static const char *cadvisor_id(const char *path)
{
	size_t len = strlen(CG_MOUNT);

	if (!strncmp(path, CG_MOUNT, len) &&
	    (path[len] == '/' || !path[len]))
		return path[len] ? path + len : "/";
	return NULL;
}

static void group_info(FILE *f, const struct snapshot *snap)
{
	header(f, "wfqmon_group_info", "gauge",
	       "1 per group; cgroup labels as the cgroup tree and cAdvisor (id) name it.");
	for (size_t i = 0; i < snap->n; i++) {
		const struct group_sample *s = &snap->groups[i];
		const char *id, *container;
		char buf[256];

		group_labels_open(f, "wfqmon_group_info", "", &s->g);
		fprintf(f, ",group_id=\"%u\",cgroup_id=\"%" PRIu64 "\"",
			s->g.id, s->g.cgroup_id);
		if (s->cgroup_path[0]) {
			fputs(",cgroup=\"", f);
			label_value(f, s->cgroup_path);
			fputc('"', f);
			id = cadvisor_id(s->cgroup_path);
			if (id) {
				fputs(",id=\"", f);
				label_value(f, id);
				fputc('"', f);
			}
			container = container_of(s->cgroup_path, buf,
						 sizeof(buf));
			if (container) {
				fputs(",container=\"", f);
				label_value(f, container);
				fputc('"', f);
			}
		}
		fputs("} 1\n", f);
	}
}

/* Bucket k of <linux/wfqmon.h> ends below 2^(k + SHIFT) ns; the last is open. */
static void histogram(FILE *f, const char *name, const char *help,
		      const struct snapshot *snap, bool wait)
{
	char le[32], sum[32];

	header(f, name, "histogram", help);
	for (size_t i = 0; i < snap->n; i++) {
		const struct wfqnl_group *g = &snap->groups[i].g;
		const uint64_t *counts = wait ? g->wait_hist : g->quantum_hist;
		unsigned int len = wait ? g->wait_hist_len : g->hist_len;
		uint64_t cumulative = 0;

		if (!len)
			continue;	/* not reported: left out */
		for (unsigned int k = 0; k < len; k++) {
			cumulative += counts[k];
			if (k + 1 < WFQMON_HIST_BUCKETS)
				prom_ns_seconds(le, sizeof(le),
						1ull << (k + WFQMON_HIST_SHIFT));
			else
				snprintf(le, sizeof(le), "+Inf");
			group_labels_open(f, name, "_bucket", g);
			fprintf(f, ",le=\"%s\"} %" PRIu64 "\n", le,
				cumulative);
		}
		if (len < WFQMON_HIST_BUCKETS) {
			group_labels_open(f, name, "_bucket", g);
			fprintf(f, ",le=\"+Inf\"} %" PRIu64 "\n", cumulative);
		}
		prom_ns_seconds(sum, sizeof(sum),
				wait ? g->wait_ns : g->runtime_ns);
		group_label(f, name, "_sum", g);
		fprintf(f, " %s\n", sum);
		group_label(f, name, "_count", g);
		fprintf(f, " %" PRIu64 "\n", cumulative);
	}
}

static void cgroup_metrics(FILE *f, const struct snapshot *snap)
{
	char buf[32];

	header(f, "wfqmon_group_weight", "gauge",
	       "The group's weight in the module (1..10000).");
	for (size_t i = 0; i < snap->n; i++) {
		group_label(f, "wfqmon_group_weight", "", &snap->groups[i].g);
		fprintf(f, " %u\n", snap->groups[i].g.weight);
	}
	header(f, "wfqmon_group_cpu_weight", "gauge",
	       "cpu.weight of the group's cgroup: the weight the scheduler uses.");
	for (size_t i = 0; i < snap->n; i++) {
		if (!snap->groups[i].have_cpu_weight)
			continue;
		group_label(f, "wfqmon_group_cpu_weight", "",
			    &snap->groups[i].g);
		fprintf(f, " %u\n", snap->groups[i].cpu_weight);
	}
	header(f, "wfqmon_group_cpu_usage_seconds_total", "counter",
	       "usage_usec of the cgroup's cpu.stat.");
	for (size_t i = 0; i < snap->n; i++) {
		const struct group_sample *s = &snap->groups[i];

		if (!s->have_cpu_stat)
			continue;
		prom_ns_seconds(buf, sizeof(buf), s->usage_usec * 1000);
		group_label(f, "wfqmon_group_cpu_usage_seconds_total", "",
			    &s->g);
		fprintf(f, " %s\n", buf);
	}
	header(f, "wfqmon_group_cpu_throttled_seconds_total", "counter",
	       "throttled_usec of the cgroup's cpu.stat (cpu.max).");
	for (size_t i = 0; i < snap->n; i++) {
		const struct group_sample *s = &snap->groups[i];

		if (!s->have_cpu_stat || !s->have_throttled)
			continue;
		prom_ns_seconds(buf, sizeof(buf), s->throttled_usec * 1000);
		group_label(f, "wfqmon_group_cpu_throttled_seconds_total", "",
			    &s->g);
		fprintf(f, " %s\n", buf);
	}
}

/* Lag V - s_i of the active groups, V from this same dump. */
static void lag_metric(FILE *f, const struct snapshot *snap)
{
	double vsum = 0, wsum = 0, v;

	header(f, "wfqmon_group_lag_seconds", "gauge",
	       "V - s_i for an active group, V the weighted mean s_i of the active groups; seconds of CPU per unit of weight.");
	for (size_t i = 0; i < snap->n; i++) {
		const struct wfqnl_group *g = &snap->groups[i].g;

		if (!g->active)
			continue;
		vsum += (double)g->weight * (double)g->vtime;
		wsum += g->weight;
	}
	if (wsum <= 0)
		return;
	v = vsum / wsum;
	for (size_t i = 0; i < snap->n; i++) {
		const struct wfqnl_group *g = &snap->groups[i].g;

		if (!g->active)
			continue;
		group_label(f, "wfqmon_group_lag_seconds", "", g);
		fprintf(f, " %.9f\n", (v - (double)g->vtime) / 1e9);
	}
}

/* report --prometheus: the window's shares, labelled with its length. */
static void window_metrics(FILE *f, const struct report *r)
{
	module_u64(f, "wfqmon_report_window_seconds", "gauge",
		   "Length of the window the share metrics are over.",
		   r->interval_ns, UNIT_NS);
	header(f, "wfqmon_report_jain_index_ratio", "gauge",
	       "Jain's index on share / ideal share of the window's active groups.");
	fprintf(f, "wfqmon_report_jain_index_ratio %.9g\n", r->jain_index);
	header(f, "wfqmon_group_share_ratio", "gauge",
	       "Part of the CPU time charged to all groups in the window.");
	for (size_t i = 0; i < r->n; i++) {
		group_label(f, "wfqmon_group_share_ratio", "",
			    &r->rows[i].now->g);
		fprintf(f, " %.9g\n", r->rows[i].share);
	}
	header(f, "wfqmon_group_ideal_share_ratio", "gauge",
	       "Water-filling ideal share in the window (weights, caps, demand).");
	for (size_t i = 0; i < r->n; i++) {
		group_label(f, "wfqmon_group_ideal_share_ratio", "",
			    &r->rows[i].now->g);
		fprintf(f, " %.9g\n", r->rows[i].ideal_share);
	}
}

void prom_write(FILE *f, const struct prom_scrape *s)
{
	module_u64(f, "wfqmon_up", "gauge",
		   "1 if the wfqmon module answered this scrape.", s->up,
		   UNIT_COUNT);
	if (!s->up)
		return;
	module_metrics(f, s);
	group_info(f, s->snap);
	cgroup_metrics(f, s->snap);
	for (size_t m = 0; m < sizeof(group_u64s) / sizeof(group_u64s[0]);
	     m++) {
		const struct group_u64 *gm = &group_u64s[m];

		header(f, gm->name, gm->type, gm->help);
		for (size_t i = 0; i < s->snap->n; i++) {
			group_label(f, gm->name, "", &s->snap->groups[i].g);
			print_value(f, gm->get(&s->snap->groups[i].g), gm->unit);
		}
	}
	lag_metric(f, s->snap);
	histogram(f, "wfqmon_group_wait_before_quantum_seconds",
		  "Wait before each burst on a CPU (log2 buckets).", s->snap,
		  true);
	histogram(f, "wfqmon_group_quantum_seconds",
		  "Bursts on a CPU (log2 buckets); _sum is the runtime, with the running burst's part.",
		  s->snap, false);
	if (s->window)
		window_metrics(f, s->window);
}
