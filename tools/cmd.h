/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands. Each parses its own options, does its job and returns
 * an exit status; on failure it fills err and main prints it once as
 * "wfqtool: <err->msg>". CMD_HELP asks main to print the usage.
 */
#ifndef WFQTOOL_CMD_H
#define WFQTOOL_CMD_H

#include "cgroup.h"
#include "wfqnl.h"

/* Exit statuses, documented in wfqtool(8). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed */
	EXIT_USAGE = 2,		/* bad command line or value */
	EXIT_NO_MODULE = 3,	/* wfqmon.ko is not loaded */
	EXIT_NO_GROUP = 4,	/* no such group */
	EXIT_BUSY = 5,		/* destroy: tasks remain (use --kill) */
	/* run: CMD's own status, or these, as env(1) and chroot(1) do. */
	EXIT_RUN_FAIL = 125,
	EXIT_RUN_NOEXEC = 126,
	EXIT_RUN_NOTFOUND = 127,
	CMD_HELP = -1,
};

struct cmd_ctx {
	const char *cgroup_root;	/* --cgroup-root, $WFQTOOL_CGROUP_ROOT */
};

int cmd_create(const struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err);
int cmd_destroy(const struct cmd_ctx *ctx, int argc, char **argv,
		struct wfqnl_err *err);
int cmd_set(const struct cmd_ctx *ctx, int argc, char **argv,
	    struct wfqnl_err *err);
int cmd_attach(const struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err);
int cmd_list(const struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err);
int cmd_show(const struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err);
int cmd_report(const struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err);
int cmd_top(const struct cmd_ctx *ctx, int argc, char **argv,
	    struct wfqnl_err *err);
int cmd_run(const struct cmd_ctx *ctx, int argc, char **argv,
	    struct wfqnl_err *err);
int cmd_events(const struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err);
int cmd_exporter(const struct cmd_ctx *ctx, int argc, char **argv,
		 struct wfqnl_err *err);
int cmd_simulate(const struct cmd_ctx *ctx, int argc, char **argv,
		 struct wfqnl_err *err);

/* Shared by the commands (cmd_util.c). */

/* Connect to the family; the exit status for a failure. */
int cmd_open_nl(struct wfqnl **nl, struct wfqnl_err *err);
/* The exit status for a failed request about a named group. */
int cmd_group_status(const struct wfqnl_err *err);
/*
 * The group NAME and its cgroup ROOT/NAME, which must be the cgroup the
 * group is bound to. Returns an exit status.
 */
int cmd_group_cgroup(const struct cmd_ctx *ctx, struct wfqnl *nl,
		     const char *name, struct wfqnl_group *g,
		     struct cg_handle *h, struct wfqnl_err *err);
/* Reject a command line with a message; returns EXIT_USAGE. */
int cmd_usage_error(struct wfqnl_err *err, const char *cmd, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
/* Option values of the limit options of create and set. */
enum {
	OPT_WEIGHT = 'w',
	OPT_CPU_MAX = 256,
	OPT_CPUS,
	OPT_MEMORY_MAX,
};
#define CMD_LIMIT_LONGOPTS					\
	{ "weight", required_argument, NULL, OPT_WEIGHT },	\
	{ "cpu-max", required_argument, NULL, OPT_CPU_MAX },	\
	{ "cpus", required_argument, NULL, OPT_CPUS },		\
	{ "memory-max", required_argument, NULL, OPT_MEMORY_MAX }

/* 1: opt was a limit option and arg is stored; 0: not one; < 0: bad arg. */
int cmd_limit_opt(int opt, const char *arg, struct cg_limits *lim,
		  struct wfqnl_err *err);

#endif /* WFQTOOL_CMD_H */
