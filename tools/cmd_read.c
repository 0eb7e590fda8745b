// SPDX-License-Identifier: GPL-2.0
/* Commands that read: list, show, report. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "atomic_file.h"
#include "cmd.h"
#include "output.h"
#include "prom.h"
#include "report.h"
#include "sample.h"

enum format {
	FORMAT_TABLE,
	FORMAT_JSON,
	FORMAT_PROMETHEUS,
};

enum {
	OPT_JSON = 300,
	OPT_PROMETHEUS,
	OPT_INTERVAL,
	OPT_COUNT,
	OPT_PER_CPU,
	OPT_NO_LEGEND,
	OPT_OUTPUT,
};

/* --count up to this (a window lasts up to a day); 0 is until interrupted. */
#define REPORT_COUNT_MAX	1000000

enum read_cmd {
	READ_LIST,
	READ_SHOW,
	READ_REPORT,
};

struct read_opts {
	enum format format;
	uint64_t interval_ns;
	uint64_t count;
	bool per_cpu;
	bool no_legend;
	const char *output;	/* report --prometheus --output FILE */
};

/* --json and --prometheus are one choice: the second one is an error. */
static int set_format(struct read_opts *o, enum format format,
		      struct wfqnl_err *err)
{
	static const char *const names[] = {
		[FORMAT_JSON] = "--json", [FORMAT_PROMETHEUS] = "--prometheus",
	};

	if (o->format != FORMAT_TABLE && o->format != format)
		return cmd_exclusive_error(err, "report", names[o->format],
					   names[format]);
	o->format = format;
	return EXIT_OK;
}

/* The options the three commands do not share, as typed. */
static const char *opt_name(int opt)
{
	switch (opt) {
	case 'i':
		return "-i";
	case 'c':
		return "-c";
	case OPT_INTERVAL:
		return "--interval";
	case OPT_COUNT:
		return "--count";
	case OPT_PROMETHEUS:
		return "--prometheus";
	case OPT_PER_CPU:
		return "--per-cpu";
	case OPT_NO_LEGEND:
		return "--no-legend";
	case 'o':
		return "-o";
	case OPT_OUTPUT:
		return "--output";
	}
	return "?";
}

static bool opt_taken(enum read_cmd which, int opt)
{
	switch (opt) {
	case 'i':
	case 'c':
	case OPT_INTERVAL:
	case OPT_COUNT:
	case OPT_PROMETHEUS:
	case 'o':
	case OPT_OUTPUT:
		return which == READ_REPORT;
	case OPT_PER_CPU:
		return which == READ_SHOW;
	case OPT_NO_LEGEND:
		return which != READ_SHOW;
	}
	return true;
}

static int parse_read_opts(struct cmd_ctx *ctx, const char *cmd, int argc,
			   char **argv, enum read_cmd which,
			   struct read_opts *o, struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "per-cpu", no_argument, NULL, OPT_PER_CPU },
		{ "no-legend", no_argument, NULL, OPT_NO_LEGEND },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ 0 },
	};
	int opt, status = EXIT_OK;

	*o = (struct read_opts){ .format = FORMAT_TABLE,
				 .interval_ns = 1000000000ull, .count = 1 };
	optind = 0;
	opterr = 0;
	while (!status &&
	       (opt = getopt_long(argc, argv, ":hi:c:o:", longopts, NULL)) != -1) {
		if (!opt_taken(which, opt)) {
			status = cmd_usage_error(err, cmd, "unknown option %s",
						 opt_name(opt));
			break;
		}
		switch (opt) {
		case OPT_JSON:
			status = set_format(o, FORMAT_JSON, err);
			break;
		case OPT_PROMETHEUS:
			status = set_format(o, FORMAT_PROMETHEUS, err);
			break;
		case OPT_PER_CPU:
			o->per_cpu = true;
			break;
		case OPT_NO_LEGEND:
			o->no_legend = true;
			break;
		case 'i':
		case OPT_INTERVAL:
			if (parse_duration(optarg, DURATION_BARE_SECONDS,
					   &o->interval_ns, err))
				status = cmd_value_error(err, cmd, "--interval");
			break;
		case 'c':
		case OPT_COUNT:
			if (parse_uint(optarg, REPORT_COUNT_MAX, &o->count, err))
				status = cmd_value_error(err, cmd, "--count");
			break;
		case 'o':
		case OPT_OUTPUT:
			o->output = optarg;
			break;
		default:
			status = cmd_common_opt(ctx, cmd, opt, argv, err);
			break;
		}
	}
	if (!status && o->output && o->format != FORMAT_PROMETHEUS)
		status = cmd_usage_error(err, cmd, "--output needs --prometheus");
	/* One exposition on standard output: the last window's. */
	if (!status && o->format == FORMAT_PROMETHEUS && !o->output &&
	    !o->count)
		status = cmd_usage_error(err, cmd,
					 "--prometheus with --count 0 needs --output FILE");
	if (!status && o->no_legend && o->format != FORMAT_TABLE)
		status = cmd_exclusive_error(err, cmd, "--no-legend",
					     o->format == FORMAT_JSON ?
					     "--json" : "--prometheus");
	return status;
}

int cmd_list(struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err)
{
	struct read_opts o;
	struct snapshot snap;
	struct wfqnl *nl;
	int status;

	status = parse_read_opts(ctx, "list", argc, argv, READ_LIST, &o, err);
	if (!status && optind < argc)
		status = cmd_usage_error(err, "list", "unexpected argument \"%s\"",
					 argv[optind]);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (snapshot_take(nl, ctx->cgroup_root, NULL, false, &snap, err)) {
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	if (o.format == FORMAT_JSON)
		out_list_json(stdout, &snap);
	else
		out_list_table(stdout, &snap, cmd_table_width(stdout),
			       !o.no_legend);
	snapshot_free(&snap);
	wfqnl_close(nl);
	return EXIT_OK;
}

int cmd_show(struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err)
{
	struct read_opts o;
	struct snapshot snap;
	struct wfqnl *nl;
	int status;

	status = parse_read_opts(ctx, "show", argc, argv, READ_SHOW, &o, err);
	if (!status && optind + 1 != argc)
		status = cmd_usage_error(err, "show", "give one group NAME");
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (snapshot_take(nl, ctx->cgroup_root, argv[optind], o.per_cpu,
			  &snap, err)) {
		wfqnl_close(nl);
		return cmd_group_status(err);
	}
	if (o.format == FORMAT_JSON)
		out_show_json(stdout, &snap);
	else
		out_show_text(stdout, &snap.groups[0]);
	snapshot_free(&snap);
	wfqnl_close(nl);
	return EXIT_OK;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void print_report(const struct read_opts *o, const struct report *r)
{
	if (o->format == FORMAT_JSON)
		out_report_json(stdout, r);
	else
		out_report_table(stdout, r, cmd_table_width(stdout),
				 !o->no_legend);
	fflush(stdout);
}

/*
 * Prometheus text is one moment: each window's exposition replaces the
 * previous one in --output FILE, and only the last window goes to
 * standard output, so that any --count gives one valid exposition.
 */
static int write_prometheus(struct wfqnl *nl, const struct report *r,
			    const struct snapshot *snap, const char *output,
			    struct wfqnl_err *err)
{
	struct prom_scrape s = { .up = true, .snap = snap, .window = r,
				 .family_version = wfqnl_family_version(nl) };
	struct atomic_file af;

	if (wfqnl_stats_get(nl, &s.stats, err))
		return EXIT_FAIL;
	if (!output) {
		prom_write(stdout, &s);
		fflush(stdout);
		return EXIT_OK;
	}
	if (atomic_file_open(&af, output, err))
		return EXIT_FAIL;
	prom_write(af.f, &s);
	return atomic_file_commit(&af, err) ? EXIT_FAIL : EXIT_OK;
}

/* count windows back to back: each window's end starts the next. */
int cmd_report(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	struct snapshot snap[2];
	struct read_opts o;
	struct wfqnl *nl;
	int status, cur = 0;

	status = parse_read_opts(ctx, "report", argc, argv, READ_REPORT, &o,
				 err);
	if (!status && optind < argc)
		status = cmd_usage_error(err, "report",
					 "unexpected argument \"%s\"",
					 argv[optind]);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (snapshot_take(nl, ctx->cgroup_root, NULL, false, &snap[cur],
			  err)) {
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	for (uint64_t i = 0; (!o.count || i < o.count) && !status; i++) {
		struct report r;

		sleep_ns(o.interval_ns);
		if (snapshot_take(nl, ctx->cgroup_root, NULL, false,
				  &snap[!cur], err)) {
			status = EXIT_FAIL;
			break;
		}
		if (report_compute(&snap[cur], &snap[!cur], &r, err)) {
			status = EXIT_FAIL;
		} else {
			if (o.format != FORMAT_PROMETHEUS)
				print_report(&o, &r);
			else if (o.output || i + 1 == o.count)
				status = write_prometheus(nl, &r, &snap[!cur],
							  o.output, err);
			report_free(&r);
		}
		snapshot_free(&snap[cur]);
		cur = !cur;
	}
	snapshot_free(&snap[cur]);
	wfqnl_close(nl);
	return status;
}
