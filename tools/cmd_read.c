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
	OPT_OUTPUT,
};

/* Longest window: a day, as parse_seconds() allows; --count up to this. */
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
	const char *output;	/* report --prometheus --output FILE */
};

static int parse_read_opts(const char *cmd, int argc, char **argv,
			   enum read_cmd which, struct read_opts *o,
			   struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "per-cpu", no_argument, NULL, OPT_PER_CPU },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool report = which == READ_REPORT;
	const char *what = NULL;
	int opt;

	*o = (struct read_opts){ .format = FORMAT_TABLE,
				 .interval_ns = 1000000000ull, .count = 1 };
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hi:c:o:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			return CMD_HELP;
		case OPT_JSON:
			o->format = FORMAT_JSON;
			break;
		case OPT_PER_CPU:
			if (which != READ_SHOW)
				goto unknown;
			o->per_cpu = true;
			break;
		case OPT_PROMETHEUS:
			if (!report)
				goto unknown;
			o->format = FORMAT_PROMETHEUS;
			break;
		case 'i':
		case OPT_INTERVAL:
			if (!report)
				goto unknown;
			what = "--interval";
			if (parse_seconds(optarg, &o->interval_ns, err))
				goto bad_value;
			break;
		case 'c':
		case OPT_COUNT:
			if (!report)
				goto unknown;
			what = "--count";
			if (parse_count(optarg, REPORT_COUNT_MAX, &o->count, err))
				goto bad_value;
			break;
		case 'o':
		case OPT_OUTPUT:
			if (!report)
				goto unknown;
			o->output = optarg;
			break;
		case ':':
			return cmd_usage_error(err, cmd, "%s needs a value",
					       argv[optind - 1]);
		default:
			goto unknown;
		}
	}
	if (o->output && o->format != FORMAT_PROMETHEUS)
		return cmd_usage_error(err, cmd, "--output needs --prometheus");
	return EXIT_OK;
unknown:
	return cmd_usage_error(err, cmd, "unknown option %s", argv[optind - 1]);
bad_value:
	wfqnl_err_wrap(err, "%s: %s", cmd, what);
	return EXIT_USAGE;
}

int cmd_list(const struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err)
{
	struct read_opts o;
	struct snapshot snap;
	struct wfqnl *nl;
	int status;

	status = parse_read_opts("list", argc, argv, READ_LIST, &o, err);
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
		out_list_table(stdout, &snap);
	snapshot_free(&snap);
	wfqnl_close(nl);
	return EXIT_OK;
}

int cmd_show(const struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err)
{
	struct read_opts o;
	struct snapshot snap;
	struct wfqnl *nl;
	int status;

	status = parse_read_opts("show", argc, argv, READ_SHOW, &o, err);
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
		out_show_json(stdout, &snap.groups[0]);
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

static void print_report(enum format format, const struct report *r)
{
	if (format == FORMAT_JSON)
		out_report_json(stdout, r);
	else
		out_report_table(stdout, r);
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
int cmd_report(const struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	struct snapshot snap[2];
	struct read_opts o;
	struct wfqnl *nl;
	int status, cur = 0;

	status = parse_read_opts("report", argc, argv, READ_REPORT, &o,
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
	for (uint64_t i = 0; i < o.count && !status; i++) {
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
				print_report(o.format, &r);
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
