// SPDX-License-Identifier: GPL-2.0
/*
 * wfqtool simulate: run the course notes' WFQ algorithm on a workload
 * from the command line or replayed from the module's activity record,
 * with or without the catch-up rule, and print what each group got.
 * No netlink: it works without the module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "output.h"
#include "parse.h"
#include "sim.h"
#include "sim_workload.h"

#define NS_PER_MS		1e6
#define QUANTUM_DEFAULT_NS	4000000ull
#define DURATION_DEFAULT_NS	10000000000ull

enum {
	OPT_GROUP = 'g',
	OPT_QUANTUM = 'q',
	OPT_DURATION = 'd',
	OPT_REPLAY = 400,
	OPT_WEIGHTS,
	OPT_NO_CATCHUP,
	OPT_COMPARE,
	OPT_SIM_JSON,
	OPT_TRACE,
	OPT_SIM_CPUS,
};

struct sim_opts {
	struct sim_workload w;
	const char *replay;
	const char *weights;
	const char *trace;
	uint64_t quantum_ns;
	uint64_t duration_ns;	/* 0: default, or the record's length */
	unsigned int cpus;
	bool no_catchup;
	bool compare;
	bool json;
};

/* The trace's writer: one JSON line per step and per catch-up. */
struct trace {
	FILE *f;
	const char *run;
	const struct sim_workload *w;
};

static void json_group_or_null(struct json *j, const char *key,
			       const struct sim_workload *w, int group)
{
	if (group >= 0)
		json_str(j, key, w->g[group].name);
	else
		json_null(j, key);
}

static void trace_step(void *arg, uint64_t t_ns, const int *ran,
		       size_t ncpus, const uint64_t *vt, const bool *runnable,
		       size_t n)
{
	struct trace *tr = arg;
	struct json j;

	json_init(&j, tr->f);
	json_obj_begin(&j, NULL);
	json_str(&j, "run", tr->run);
	json_u64(&j, "t_ns", t_ns);
	json_group_or_null(&j, "ran", tr->w, ran[0]);
	json_arr_begin(&j, "cpus");
	for (size_t c = 0; c < ncpus; c++)
		json_group_or_null(&j, NULL, tr->w, ran[c]);
	json_end(&j, ']');
	json_arr_begin(&j, "vtime_ns_per_weight");
	for (size_t i = 0; i < n; i++)
		json_u64(&j, NULL, vt[i]);
	json_end(&j, ']');
	json_arr_begin(&j, "runnable");
	for (size_t i = 0; i < n; i++)
		json_bool(&j, NULL, runnable[i]);
	json_end(&j, ']');
	json_end(&j, '}');
}

static void trace_catchup(void *arg, uint64_t t_ns, size_t group,
			  uint64_t from, uint64_t to)
{
	struct trace *tr = arg;
	struct json j;

	json_init(&j, tr->f);
	json_obj_begin(&j, NULL);
	json_str(&j, "run", tr->run);
	json_u64(&j, "t_ns", t_ns);
	json_str(&j, "catchup", tr->w->g[group].name);
	json_u64(&j, "from_vtime_ns_per_weight", from);
	json_u64(&j, "to_vtime_ns_per_weight", to);
	json_end(&j, '}');
}

static void trace_header(struct trace *tr, const struct sim_params *p)
{
	struct json j;

	json_init(&j, tr->f);
	json_obj_begin(&j, NULL);
	json_u64(&j, "schema_version", OUT_SCHEMA_VERSION);
	json_str(&j, "run", tr->run);
	json_u64(&j, "quantum_ns", p->quantum_ns);
	json_u64(&j, "duration_ns", p->duration_ns);
	json_u64(&j, "cpus", p->cpus);
	json_arr_begin(&j, "groups");
	for (size_t i = 0; i < tr->w->n; i++)
		json_str(&j, NULL, tr->w->g[i].name);
	json_end(&j, ']');
	json_arr_begin(&j, "weights");
	for (size_t i = 0; i < tr->w->n; i++)
		json_u64(&j, NULL, tr->w->g[i].weight);
	json_end(&j, ']');
	json_end(&j, '}');
}

static const char *run_name(bool catchup)
{
	return catchup ? "catchup" : "no-catchup";
}

/* A share of the whole machine: of cpus x the simulated time. */
static double share(double ns, const struct sim_params *p)
{
	double total = (double)p->duration_ns * p->cpus;

	return total ? ns / total : 0;
}

static void print_json(const struct sim_opts *o, const struct sim_params *p,
		       const bool *modes, size_t nmodes,
		       struct sim_stats st[][SIM_GROUPS_MAX])
{
	struct json j;

	json_init(&j, stdout);
	json_obj_begin(&j, NULL);
	json_u64(&j, "schema_version", OUT_SCHEMA_VERSION);
	json_u64(&j, "quantum_ns", p->quantum_ns);
	json_u64(&j, "duration_ns", p->duration_ns);
	json_u64(&j, "cpus", p->cpus);
	json_arr_begin(&j, "runs");
	for (size_t m = 0; m < nmodes; m++) {
		json_obj_begin(&j, NULL);
		json_str(&j, "run", run_name(modes[m]));
		json_bool(&j, "catchup", modes[m]);
		json_arr_begin(&j, "groups");
		for (size_t i = 0; i < o->w.n; i++) {
			const struct sim_stats *s = &st[m][i];

			json_obj_begin(&j, NULL);
			json_str(&j, "name", o->w.g[i].name);
			json_u64(&j, "weight", o->w.g[i].weight);
			json_double(&j, "ideal_share", share(s->ideal_ns, p));
			json_double(&j, "share", share(s->runtime_ns, p));
			json_u64(&j, "runtime_ns", s->runtime_ns);
			json_u64(&j, "vtime_ns_per_weight", s->vtime);
			json_u64(&j, "activations", s->activations);
			json_u64(&j, "catchups", s->catchups);
			json_u64(&j, "catchup_vtime_ns_per_weight",
				 s->forgiven);
			json_u64(&j, "wait_max_ns", s->max_wait_ns);
			json_u64(&j, "throttled_ns", s->throttled_ns);
			json_end(&j, '}');
		}
		json_end(&j, ']');
		json_end(&j, '}');
	}
	json_end(&j, ']');
	json_end(&j, '}');
}

static void print_table(const struct sim_opts *o, const struct sim_params *p,
			const bool *modes, size_t nmodes,
			struct sim_stats st[][SIM_GROUPS_MAX])
{
	printf("WFQ on %u CPU%s, quantum %.3f ms, %.3f s simulated\n",
	       p->cpus, p->cpus == 1 ? "" : "s",
	       (double)p->quantum_ns / NS_PER_MS,
	       (double)p->duration_ns / 1e9);
	printf("%-16s %6s %7s", "GROUP", "WEIGHT", "IDEAL%");
	for (size_t m = 0; m < nmodes; m++)
		printf(" | %-10s %7s %9s %8s %11s %11s",
		       modes[m] ? "catch-up" : "no-rule", "SHARE%",
		       "VTIME_ms", "CATCHUPS", "FORGIVEN_ms", "MAXWAIT_ms");
	putchar('\n');
	for (size_t i = 0; i < o->w.n; i++) {
		printf("%-16s %6u %7.2f", o->w.g[i].name, o->w.g[i].weight,
		       100 * share(st[0][i].ideal_ns, p));
		for (size_t m = 0; m < nmodes; m++) {
			const struct sim_stats *s = &st[m][i];

			printf(" | %-10s %7.2f %9.3f %8llu %11.3f %11.3f", "",
			       100 * share(s->runtime_ns, p),
			       (double)s->vtime / NS_PER_MS,
			       (unsigned long long)s->catchups,
			       (double)s->forgiven / NS_PER_MS,
			       (double)s->max_wait_ns / NS_PER_MS);
		}
		putchar('\n');
	}
	puts("Shares are of all CPUs' time. IDEAL: water-filling by weight among the\n"
	     "runnable groups (capped by threads, burst and cap), step by step (GPS).\n"
	     "MAXWAIT: longest time runnable without running. VTIME, FORGIVEN in\n"
	     "ms of CPU per unit of weight.");
}

static int load_replay(struct sim_opts *o, struct wfqnl_err *err)
{
	uint64_t end_ns = 0;
	FILE *f = fopen(o->replay, "r");
	int ret;

	if (!f)
		return wfqnl_err_set(err, errno, "%s", o->replay);
	ret = sim_parse_events(f, o->replay, &o->w, &end_ns, err);
	fclose(f);
	if (ret)
		return ret;
	if (!o->duration_ns)
		o->duration_ns = end_ns;
	if (!o->weights)
		return 0;
	f = fopen(o->weights, "r");
	if (!f)
		return wfqnl_err_set(err, errno, "%s", o->weights);
	ret = sim_parse_weights(f, o->weights, &o->w, err);
	fclose(f);
	return ret;
}

static int parse_opts(struct cmd_ctx *ctx, struct sim_opts *o, int argc,
		      char **argv, struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "quantum", required_argument, NULL, OPT_QUANTUM },
		{ "duration", required_argument, NULL, OPT_DURATION },
		{ "replay", required_argument, NULL, OPT_REPLAY },
		{ "weights", required_argument, NULL, OPT_WEIGHTS },
		{ "no-catchup", no_argument, NULL, OPT_NO_CATCHUP },
		{ "compare", no_argument, NULL, OPT_COMPARE },
		{ "json", no_argument, NULL, OPT_SIM_JSON },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "cpus", required_argument, NULL, OPT_SIM_CPUS },
		{ 0 },
	};
	uint64_t cpus;
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hg:q:d:", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_GROUP:
			if (sim_parse_group(optarg, &o->w, err))
				return cmd_value_error(err, "simulate",
						       "--group");
			break;
		case OPT_QUANTUM:
			/* No bare numbers: "4" is 4 ms or 4 s to different readers. */
			if (parse_duration(optarg, 0, &o->quantum_ns, err))
				return cmd_value_error(err, "simulate",
						       "--quantum");
			break;
		case OPT_DURATION:
			if (parse_duration(optarg, 0, &o->duration_ns, err))
				return cmd_value_error(err, "simulate",
						       "--duration");
			break;
		case OPT_REPLAY:
			o->replay = optarg;
			break;
		case OPT_WEIGHTS:
			o->weights = optarg;
			break;
		case OPT_NO_CATCHUP:
			o->no_catchup = true;
			break;
		case OPT_COMPARE:
			o->compare = true;
			break;
		case OPT_SIM_JSON:
			o->json = true;
			break;
		case OPT_TRACE:
			o->trace = optarg;
			break;
		case OPT_SIM_CPUS:
			if (parse_count(optarg, SIM_CPUS_MAX, &cpus, err))
				return cmd_value_error(err, "simulate", "--cpus");
			o->cpus = (unsigned int)cpus;
			break;
		default:
			status = cmd_common_opt(ctx, "simulate", opt, argv, err);
			if (status)
				return status;
			break;
		}
	}
	if (optind < argc)
		return cmd_usage_error(err, "simulate", "unexpected argument \"%s\"",
				       argv[optind]);
	if (o->replay && o->w.n)
		return cmd_exclusive_error(err, "simulate", "--group",
					   "--replay");
	if (!o->replay && !o->w.n)
		return cmd_usage_error(err, "simulate",
				       "give --group specs or --replay FILE");
	if (o->weights && !o->replay)
		return cmd_usage_error(err, "simulate", "--weights needs --replay");
	if (o->compare && o->no_catchup)
		return cmd_exclusive_error(err, "simulate", "--no-catchup",
					   "--compare");
	return 0;
}

static int simulate(struct sim_opts *o, struct wfqnl_err *err)
{
	static struct sim_stats st[2][SIM_GROUPS_MAX];
	bool modes[2] = { !o->no_catchup, false };
	size_t nmodes = o->compare ? 2 : 1;
	struct trace tr = { .w = &o->w };
	struct sim_observer obs = {
		.step = trace_step, .catchup = trace_catchup, .arg = &tr,
	};
	struct sim_params p = { .quantum_ns = o->quantum_ns, .cpus = o->cpus };

	if (o->replay && load_replay(o, err))
		return EXIT_FAIL;
	p.duration_ns = o->duration_ns ? o->duration_ns : DURATION_DEFAULT_NS;
	if (o->trace) {
		tr.f = fopen(o->trace, "w");
		if (!tr.f) {
			wfqnl_err_set(err, errno, "%s", o->trace);
			return EXIT_FAIL;
		}
	}
	for (size_t m = 0; m < nmodes; m++) {
		p.catchup = modes[m];
		tr.run = run_name(modes[m]);
		if (tr.f)
			trace_header(&tr, &p);
		int ret = sim_run(&o->w, &p, tr.f ? &obs : NULL, st[m]);

		if (ret) {
			wfqnl_err_explain(err, -ret, "simulate: %s",
					  ret == -ERANGE ?
					  "wfq_pick() chose a group that is not runnable or already has its CPUs" :
					  "bad workload");
			if (tr.f)
				fclose(tr.f);
			return EXIT_FAIL;
		}
	}
	if (tr.f && fclose(tr.f)) {
		wfqnl_err_set(err, errno, "%s", o->trace);
		return EXIT_FAIL;
	}
	if (o->json)
		print_json(o, &p, modes, nmodes, st);
	else
		print_table(o, &p, modes, nmodes, st);
	return EXIT_OK;
}

int cmd_simulate(struct cmd_ctx *ctx, int argc, char **argv,
		 struct wfqnl_err *err)
{
	struct sim_opts o = { .quantum_ns = QUANTUM_DEFAULT_NS, .cpus = 1 };
	int status;

	status = parse_opts(ctx, &o, argc, argv, err);
	if (!status)
		status = simulate(&o, err);
	sim_workload_free(&o.w);
	return status;
}
