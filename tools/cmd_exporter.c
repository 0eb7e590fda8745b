// SPDX-License-Identifier: GPL-2.0
/* wfqtool exporter: serve /metrics until SIGINT or SIGTERM. */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "cmd.h"
#include "exporter.h"

enum {
	OPT_LISTEN = 'l',
};

int cmd_exporter(struct cmd_ctx *ctx, int argc, char **argv,
		 struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ 0 },
	};
	const char *listen = NULL;
	struct exporter *ex;
	char host[256];
	uint16_t port;
	sigset_t stop;
	int opt, sig, status = EXIT_OK;

	optind = 0;
	opterr = 0;
	while (!status &&
	       (opt = getopt_long(argc, argv, ":hl:", longopts, NULL)) != -1) {
		if (opt == OPT_LISTEN)
			listen = optarg;
		else
			status = cmd_common_opt(ctx, "exporter", opt, argv, err);
	}
	if (!status && optind < argc)
		status = cmd_usage_error(err, "exporter",
					 "unexpected argument \"%s\"",
					 argv[optind]);
	if (status)
		return status;
	if (!listen)
		return cmd_usage_error(err, "exporter",
				       "give --listen ADDR:PORT");
	if (parse_host_port(listen, host, sizeof(host), &port, err)) {
		wfqnl_err_wrap(err, "exporter: --listen");
		return EXIT_USAGE;
	}
	/* Blocked before the server's threads start, so they inherit it. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	ex = exporter_start(host, port, ctx->cgroup_root, err);
	if (!ex)
		return EXIT_FAIL;
	fprintf(stderr, "wfqtool exporter: listening on %s\n", listen);
	sigwait(&stop, &sig);
	exporter_stop(ex);
	return EXIT_OK;
}
