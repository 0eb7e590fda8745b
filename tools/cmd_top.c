// SPDX-License-Identifier: GPL-2.0
/*
 * wfqtool top: the report of cmd_report, redrawn every interval, sorted
 * and in 80 columns. On a terminal it clears the screen between frames
 * and reads single keys (q quits); otherwise it prints one frame after
 * another, so a pipe or a test sees them all.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "output.h"
#include "report.h"
#include "sample.h"
#include "top.h"

/* As report: a window of at most a day, --count up to this; 0: until q. */
#define TOP_COUNT_MAX	1000000
/* Lines around the rows: two of header, one of footer, one spare. */
#define TOP_FRAME_LINES	4

enum {
	OPT_INTERVAL = 'i',
	OPT_COUNT = 'c',
	OPT_SORT = 's',
	OPT_NO_LEGEND = 300,
};

struct top_opts {
	uint64_t interval_ns;
	uint64_t count;		/* frames; 0: until q or a signal */
	enum top_sort sort;
	bool no_legend;
};

struct top_term {
	bool screen;		/* stdout is a terminal: redraw in place */
	bool keys;		/* stdin is a terminal in raw mode */
	struct termios saved;
};

static volatile sig_atomic_t top_stop;

static void on_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

static int parse_top_opts(struct cmd_ctx *ctx, int argc, char **argv,
			  struct top_opts *o, struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "no-legend", no_argument, NULL, OPT_NO_LEGEND },
		{ 0 },
	};
	int opt, status = EXIT_OK;

	*o = (struct top_opts){ .interval_ns = 1000000000ull,
				.sort = TOP_SORT_SHARE };
	optind = 0;
	opterr = 0;
	while (!status && (opt = getopt_long(argc, argv, ":hi:c:s:", longopts,
					     NULL)) != -1) {
		switch (opt) {
		case OPT_INTERVAL:
			if (parse_duration(optarg, DURATION_BARE_SECONDS,
					   &o->interval_ns, err))
				status = cmd_value_error(err, "top", "--interval");
			break;
		case OPT_COUNT:
			if (parse_uint(optarg, TOP_COUNT_MAX, &o->count, err))
				status = cmd_value_error(err, "top", "--count");
			break;
		case OPT_SORT:
			if (top_parse_sort(optarg, &o->sort, err))
				status = cmd_value_error(err, "top", "--sort");
			break;
		case OPT_NO_LEGEND:
			o->no_legend = true;
			break;
		default:
			status = cmd_common_opt(ctx, "top", opt, argv, err);
			break;
		}
	}
	if (!status && optind < argc)
		status = cmd_usage_error(err, "top", "unexpected argument \"%s\"",
					 argv[optind]);
	return status;
}

/* Signals end the loop instead of the process, so the terminal is restored. */
static void term_setup(struct top_term *t)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct termios raw;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	t->screen = isatty(STDOUT_FILENO);
	t->keys = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &t->saved);
	if (!t->keys)
		return;
	/* Keys without Enter and without echo; ISIG stays: Ctrl-C is SIGINT. */
	raw = t->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	t->keys = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

static void term_restore(const struct top_term *t)
{
	if (t->keys)
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Wait ns, or less if q is typed or a signal comes; false to stop. */
static bool top_wait(const struct top_term *t, uint64_t ns)
{
	uint64_t end = now_ns() + ns;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	while (!top_stop) {
		uint64_t now = now_ns();
		int ms, ret;
		char c;

		if (now >= end)
			return true;
		ms = (int)((end - now + 999999) / 1000000);
		ret = poll(&pfd, t->keys ? 1 : 0, ms);
		if (ret > 0 && read(STDIN_FILENO, &c, 1) == 1 &&
		    (c == 'q' || c == 'Q'))
			return false;
		if (ret < 0 && errno != EINTR)
			return true;
	}
	return false;
}

static size_t screen_rows(const struct top_term *t)
{
	struct winsize ws;

	if (!t->screen || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ||
	    ws.ws_row <= TOP_FRAME_LINES)
		return 0;
	return ws.ws_row - TOP_FRAME_LINES;
}

/* The terminal's width; 80 columns when there is none, as in a pipe. */
static size_t screen_cols(void)
{
	size_t cols = cmd_table_width(stdout);

	return cols ? cols : OUT_WIDTH_DEFAULT;
}

static int draw(const struct top_term *t, const struct top_opts *o,
		const struct report *r, uint64_t frame, struct wfqnl_err *err)
{
	size_t *order = calloc(r->n ? r->n : 1, sizeof(*order));

	if (!order)
		return wfqnl_err_set(err, ENOMEM, "top");
	top_order(r, o->sort, order);
	if (t->screen)
		fputs("\033[H\033[2J", stdout);	/* home, clear */
	else if (frame)
		putchar('\n');
	out_top_table(stdout, r, order, screen_rows(t), top_sort_name(o->sort),
		      screen_cols(), !o->no_legend);
	if (t->keys)
		fputs("q or Ctrl-C quits\n", stdout);
	fflush(stdout);
	free(order);
	return 0;
}

int cmd_top(struct cmd_ctx *ctx, int argc, char **argv,
	    struct wfqnl_err *err)
{
	struct top_term term = { 0 };
	struct snapshot snap[2];
	struct top_opts o;
	struct wfqnl *nl;
	int status, cur = 0;

	status = parse_top_opts(ctx, argc, argv, &o, err);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (snapshot_take(nl, ctx->cgroup_root, NULL, false, &snap[cur],
			  err)) {
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	term_setup(&term);
	for (uint64_t frame = 0; !o.count || frame < o.count; frame++) {
		struct report r;

		if (!top_wait(&term, o.interval_ns))
			break;
		if (snapshot_take(nl, ctx->cgroup_root, NULL, false,
				  &snap[!cur], err)) {
			status = EXIT_FAIL;
			break;
		}
		if (report_compute(&snap[cur], &snap[!cur], &r, err)) {
			status = EXIT_FAIL;
		} else {
			if (draw(&term, &o, &r, frame, err))
				status = EXIT_FAIL;
			report_free(&r);
		}
		snapshot_free(&snap[cur]);
		cur = !cur;
		if (status)
			break;
	}
	term_restore(&term);
	snapshot_free(&snap[cur]);
	wfqnl_close(nl);
	return status;
}
