// SPDX-License-Identifier: GPL-2.0
/*
 * What every command's option parsing shares: the global options after
 * the command name, and one wording for each kind of usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"

int cmd_usage_error(struct wfqnl_err *err, const char *cmd, const char *fmt,
		    ...)
{
	char what[WFQNL_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!cmd)
		wfqnl_err_explain(err, EINVAL, "%s (see wfqtool --help)", what);
	else
		wfqnl_err_explain(err, EINVAL, "%s: %s (see wfqtool %s --help)",
				  cmd, what, cmd);
	return EXIT_USAGE;
}

int cmd_value_error(struct wfqnl_err *err, const char *cmd,
		    const char *option)
{
	char why[WFQNL_ERRMSG_MAX];

	snprintf(why, sizeof(why), "%s", err->msg);
	return cmd_usage_error(err, cmd, "%s: %s", option, why);
}

int cmd_exclusive_error(struct wfqnl_err *err, const char *cmd,
			const char *a, const char *b)
{
	return cmd_usage_error(err, cmd, "give %s or %s, not both", a, b);
}

int cmd_common_opt(struct cmd_ctx *ctx, const char *cmd, int opt,
		   char **argv, struct wfqnl_err *err)
{
	switch (opt) {
	case OPT_HELP:
		return CMD_HELP;
	case OPT_CGROUP_ROOT:
		if (!*optarg)
			return cmd_usage_error(err, cmd,
					       "--cgroup-root: give a directory");
		ctx->cgroup_root = optarg;
		return EXIT_OK;
	case ':':
		return cmd_usage_error(err, cmd, "%s needs a value",
				       argv[optind - 1]);
	}
	/* getopt names a short option in optopt; a long one is the word. */
	if (optopt && optopt < 256 && argv[optind - 1][1] != '-')
		return cmd_usage_error(err, cmd, "unknown option -%c", optopt);
	return cmd_usage_error(err, cmd, "unknown option %s", argv[optind - 1]);
}
