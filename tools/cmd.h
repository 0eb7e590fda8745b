/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The commands. Each parses its own options, does its job and returns
 * an exit status; on failure it fills err and main prints it once as
 * "wfqtool: <err->msg>". CMD_HELP asks main to print the usage.
 */
#ifndef WFQTOOL_CMD_H
#define WFQTOOL_CMD_H

#include <getopt.h>
#include <stdio.h>

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
	EXIT_VERSION = 6,	/* the module speaks another family version */
	/* run: CMD's own status, or these, as env(1) and chroot(1) do. */
	EXIT_RUN_FAIL = 125,
	EXIT_RUN_NOEXEC = 126,
	EXIT_RUN_NOTFOUND = 127,
	CMD_HELP = -1,
};

struct cmd_ctx {
	const char *cgroup_root;	/* --cgroup-root, $WFQTOOL_CGROUP_ROOT */
};

/* A command: parses its own options, returns an exit status. */
typedef int cmd_fn(struct cmd_ctx *ctx, int argc, char **argv,
		   struct wfqnl_err *err);

cmd_fn cmd_create;
cmd_fn cmd_bind;
cmd_fn cmd_unbind;
cmd_fn cmd_watch;
cmd_fn cmd_destroy;
cmd_fn cmd_set;
cmd_fn cmd_attach;
cmd_fn cmd_list;
cmd_fn cmd_show;
cmd_fn cmd_report;
cmd_fn cmd_top;
cmd_fn cmd_run;
cmd_fn cmd_events;
cmd_fn cmd_exporter;
cmd_fn cmd_simulate;
cmd_fn cmd_export;
cmd_fn cmd_import;
cmd_fn cmd_version;

/* A command: its name, its function and what --help prints. */
struct command {
	const char *name;
	cmd_fn *fn;
	const char *summary;	/* one line for wfqtool --help */
	const char *usage;	/* wfqtool help NAME, NAME --help */
};

/* The table of commands (commands.c); a new command is one more entry. */
extern const struct command commands[];
extern const size_t nr_commands;
const struct command *command_find(const char *name);


/* Shared by the commands (cmd_util.c). */

/* Connect to the family; the exit status for a failure. */
int cmd_open_nl(struct wfqnl **nl, struct wfqnl_err *err);
/*
 * The exit status when the family could not be opened; says whether the
 * module is loaded or its family just not visible here.
 */
int cmd_no_family_status(struct wfqnl_err *err);
/*
 * The one positional NAME (or *name from --name), validated; min_rest
 * arguments (PIDs) must follow it, none if 0. Returns an exit status.
 */
int cmd_take_name(const char *cmd, int argc, char **argv, int min_rest,
		  const char **name, struct wfqnl_err *err);
/* The exit status for a failed request about a named group. */
int cmd_group_status(const struct wfqnl_err *err);
/*
 * The group NAME and its cgroup ROOT/NAME, which must be the cgroup the
 * group is bound to. Returns an exit status.
 */
int cmd_group_cgroup(const struct cmd_ctx *ctx, struct wfqnl *nl,
		     const char *name, struct wfqnl_group *g,
		     struct cg_handle *h, struct wfqnl_err *err);
/*
 * Options every command takes, after its name as well as before it
 * (cmd_opts.c). A command's getopt loop lists CMD_COMMON_LONGOPTS and
 * "h" and hands every option it does not know to cmd_common_opt().
 */
enum {
	OPT_HELP = 'h',
	OPT_CGROUP_ROOT = 1000,
};
#define CMD_COMMON_LONGOPTS					\
	{ "help", no_argument, NULL, OPT_HELP },		\
	{ "cgroup-root", required_argument, NULL, OPT_CGROUP_ROOT }
/*
 * --help: CMD_HELP; --cgroup-root: stored in ctx, EXIT_OK; a missing
 * value or an unknown option: EXIT_USAGE with the one wording for all.
 */
int cmd_common_opt(struct cmd_ctx *ctx, const char *cmd, int opt,
		   char **argv, struct wfqnl_err *err);
/*
 * A command on one group: wfqtool CMD [OPTION...] NAME. Its own options
 * go to own_opt, which returns EXIT_OK, an exit status for a bad value,
 * or CMD_NOT_OWN_OPT to leave the option to cmd_common_opt(); check (may
 * be NULL) sees the whole command line before the module is asked.
 */
enum { CMD_NOT_OWN_OPT = -2 };
struct cmd_on_group {
	const char *cmd;
	const char *shortopts;		/* ":h" and the command's own */
	const struct option *longopts;	/* CMD_COMMON_LONGOPTS and its own */
	int (*own_opt)(void *opts, int opt, const char *arg,
		       struct wfqnl_err *err);
	int (*check)(const void *opts, struct wfqnl_err *err);
};
/*
 * Parse the options into opts, take and check NAME, then open the
 * family into *nl (the caller closes it). Returns an exit status; *nl
 * is open only on EXIT_OK.
 */
int cmd_on_group_begin(struct cmd_ctx *ctx, const struct cmd_on_group *c,
		       void *opts, int argc, char **argv, const char **name,
		       struct wfqnl **nl, struct wfqnl_err *err);
/* Reject a command line with a message; returns EXIT_USAGE. */
int cmd_usage_error(struct wfqnl_err *err, const char *cmd, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
/* A bad value of option, err saying why: "CMD: OPTION: why"; EXIT_USAGE. */
int cmd_value_error(struct wfqnl_err *err, const char *cmd,
		    const char *option);
/* Two options given that exclude each other; EXIT_USAGE. */
int cmd_exclusive_error(struct wfqnl_err *err, const char *cmd,
			const char *a, const char *b);
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

/* The columns of the terminal f writes to; 0 (no limit) if not one. */
size_t cmd_table_width(FILE *f);

/* 1: opt was a limit option and arg is stored; 0: not one; < 0: bad arg. */
int cmd_limit_opt(int opt, const char *arg, struct cg_limits *lim,
		  struct wfqnl_err *err);

#endif /* WFQTOOL_CMD_H */
