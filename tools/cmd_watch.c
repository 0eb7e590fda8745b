// SPDX-License-Identifier: GPL-2.0
/*
 * The watch command: options, the cgroup to watch, and the loop that
 * waits for directory events, the interval's weight poll and the
 * signals that stop it (see watch.h for what each step does).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "watch.h"

enum {
	OPT_MATCH = 'm',
	OPT_DEPTH = 'd',
	OPT_INTERVAL = 'i',
	OPT_JSON = 300,
};

/* Deeper than any tree systemd or a container manager makes. */
#define WATCH_DEPTH_MAX		16
#define WATCH_INTERVAL_NS	1000000000ull

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* SIGINT and SIGTERM as a file descriptor: the loop polls it. */
static int stop_signals_fd(struct wfqnl_err *err)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return wfqnl_err_set(err, errno, "watch: block signals");
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "watch: signalfd");
	return fd;
}

/* Until SIGINT or SIGTERM: rescan on events and each interval. */
static int watch_loop(struct watch *w, int sig_fd, uint64_t interval_ns,
		      struct wfqnl_err *err)
{
	uint64_t next = mono_ns() + interval_ns;
	struct pollfd fds[2] = {
		{ .fd = sig_fd, .events = POLLIN },
		{ .fd = w->inotify_fd, .events = POLLIN },
	};

	for (;;) {
		uint64_t now = mono_ns();
		int timeout = now >= next ? 0 :
			      (int)((next - now + 999999) / 1000000);
		bool rescan;

		if (poll(fds, 2, timeout) < 0 && errno != EINTR)
			return wfqnl_err_set(err, errno, "watch: poll");
		if (fds[0].revents)
			return 0;
		rescan = fds[1].revents && watch_drain_events(w);
		if (mono_ns() >= next) {
			/* Events can be lost (a full queue): rescan anyway. */
			rescan = true;
			next += interval_ns;
			if (next < mono_ns())
				next = mono_ns() + interval_ns;
			if (watch_weights(w, err))
				return -err->errnum;
		}
		if (rescan && watch_sync(w, err))
			return -err->errnum;
	}
}

int cmd_watch(struct cmd_ctx *ctx, int argc, char **argv,
	      struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "match", required_argument, NULL, OPT_MATCH },
		{ "depth", required_argument, NULL, OPT_DEPTH },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "json", no_argument, NULL, OPT_JSON },
		{ 0 },
	};
	struct watch_opts o = { .depth = 1, .out = stdout };
	uint64_t interval_ns = WATCH_INTERVAL_NS, depth;
	struct cg_handle h;
	struct wfqnl *nl;
	struct watch w;
	int opt, status, sig_fd;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hm:d:i:", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case OPT_MATCH:
			o.match = optarg;
			continue;
		case OPT_DEPTH:
			if (parse_count(optarg, WATCH_DEPTH_MAX, &depth, err))
				return cmd_value_error(err, "watch", "--depth");
			o.depth = (unsigned int)depth;
			continue;
		case OPT_INTERVAL:
			if (parse_duration(optarg, DURATION_BARE_SECONDS,
					   &interval_ns, err))
				return cmd_value_error(err, "watch",
						       "--interval");
			continue;
		case OPT_JSON:
			o.json = true;
			continue;
		}
		status = cmd_common_opt(ctx, "watch", opt, argv, err);
		if (status)
			return status;
	}
	if (optind + 1 != argc)
		return cmd_usage_error(err, "watch",
				       optind < argc ? "give one DIR" :
				       "a cgroup DIR to watch is needed");
	status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	status = EXIT_FAIL;
	/* The path as every line shows it: absolute, no trailing '/'. */
	if (cg_open_path(argv[optind], &h, err)) {
		wfqnl_err_wrap(err, "watch");
		goto out_close_nl;
	}
	cg_close(&h);
	o.dir = h.path;
	sig_fd = stop_signals_fd(err);
	if (sig_fd < 0)
		goto out_close_nl;
	if (watch_init(&w, &o, nl, err))
		goto out_close_sig;
	if (!watch_sync(&w, err) && !watch_loop(&w, sig_fd, interval_ns, err))
		status = EXIT_OK;
	else
		wfqnl_err_wrap(err, "watch %s", o.dir);
	watch_stop(&w);
out_close_sig:
	close(sig_fd);
out_close_nl:
	wfqnl_close(nl);
	return status;
}
