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

int cmd_on_group_begin(struct cmd_ctx *ctx, const struct cmd_on_group *c,
		       void *opts, int argc, char **argv, const char **name,
		       struct wfqnl **nl, struct wfqnl_err *err)
{
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, c->shortopts, c->longopts,
				  NULL)) != -1) {
		status = c->own_opt ? c->own_opt(opts, opt, optarg, err) :
				      CMD_NOT_OWN_OPT;
		if (status == CMD_NOT_OWN_OPT)
			status = cmd_common_opt(ctx, c->cmd, opt, argv, err);
		if (status)
			return status;
	}
	status = cmd_take_name(c->cmd, argc, argv, 0, name, err);
	if (!status && c->check)
		status = c->check(opts, err);
	if (!status)
		status = cmd_open_nl(nl, err);
	return status;
}
