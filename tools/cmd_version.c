// SPDX-License-Identifier: GPL-2.0
/* wfqtool version: the tool's version and both ends' family versions. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"

#ifndef WFQTOOL_VERSION
#error "WFQTOOL_VERSION: tools/Makefile defines it from the file VERSION"
#endif

int cmd_version(struct cmd_ctx *ctx, int argc, char **argv,
		struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ 0 },
	};
	uint32_t loaded;
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		status = cmd_common_opt(ctx, "version", opt, argv, err);
		if (status)
			return status;
	}
	if (optind < argc)
		return cmd_usage_error(err, "version",
				       "unexpected argument \"%s\"",
				       argv[optind]);
	printf("wfqtool %s\n", WFQTOOL_VERSION);
	printf("family %s version %u (built for)\n", WFQMON_FAMILY_NAME,
	       WFQMON_FAMILY_VERSION);
	if (wfqnl_family_probe(&loaded, err)) {
		printf("module: none answering\n");
		fflush(stdout);
		return cmd_no_family_status(err);
	}
	printf("module: family version %u\n", loaded);
	if (loaded != WFQMON_FAMILY_VERSION) {
		fflush(stdout);
		wfqnl_err_explain(err, EPROTONOSUPPORT,
				  "the loaded wfqmon module speaks family version %u, this wfqtool version %u: use the wfqtool built with the module",
				  loaded, WFQMON_FAMILY_VERSION);
		return EXIT_VERSION;
	}
	return EXIT_OK;
}
