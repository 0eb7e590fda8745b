// SPDX-License-Identifier: GPL-2.0
/*
 * wfqtool: parse the global options, dispatch to a command, and print
 * its error once as "wfqtool: <object>: <why>".
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum {
	OPT_VERSION = 'V',
};

static void print_main_usage(FILE *f)
{
	fputs("usage: wfqtool [--cgroup-root DIR] COMMAND [ARGS...]\n"
	      "       wfqtool help [COMMAND] | --help | --version\n"
	      "Create cgroup v2 groups watched by wfqmon.ko, run programs in them,\n"
	      "and report whether each gets the CPU share its weight promises.\n"
	      "\nCommands:\n", f);
	for (size_t i = 0; i < nr_commands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nOptions, before or after COMMAND, also as --option=value:\n"
	      "  -h, --help                this text, or the command's\n"
	      "  -V, --version             wfqtool's and the module's versions\n"
	      "      --cgroup-root DIR     where groups live (default "
	      CG_ROOT_DEFAULT ",\n"
	      "                            or $" CG_ROOT_ENV ")\n"
	      "See wfqtool(8), also for the exit statuses.\n", f);
}

/* wfqtool help [COMMAND] */
static int help(int argc, char **argv)
{
	const struct command *cmd;

	if (argc < 2) {
		print_main_usage(stdout);
		return EXIT_OK;
	}
	cmd = command_find(argv[1]);
	if (!cmd || argc > 2) {
		fprintf(stderr, "wfqtool: help: %s \"%s\" (see wfqtool --help)\n",
			cmd ? "unexpected argument" : "unknown command",
			argv[cmd ? 2 : 1]);
		return EXIT_USAGE;
	}
	fputs(cmd->usage, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "version", no_argument, NULL, OPT_VERSION },
		{ 0 },
	};
	struct cmd_ctx ctx = { .cgroup_root = getenv(CG_ROOT_ENV) };
	struct wfqnl_err err = { 0 };
	const struct command *cmd = NULL;
	int opt, status;

	if (!ctx.cgroup_root || !*ctx.cgroup_root)
		ctx.cgroup_root = CG_ROOT_DEFAULT;
	opterr = 0;
	/* "+": the global options end at COMMAND; its own follow it. */
	while ((opt = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
		if (opt == OPT_VERSION) {
			cmd = command_find("version");
			break;
		}
		status = cmd_common_opt(&ctx, NULL, opt, argv, &err);
		if (status == CMD_HELP) {
			print_main_usage(stdout);
			return EXIT_OK;
		}
		if (status) {
			fprintf(stderr, "wfqtool: %s\n", err.msg);
			return status;
		}
	}
	if (!cmd && optind >= argc) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	if (!cmd && !strcmp(argv[optind], "help"))
		return help(argc - optind, argv + optind);
	if (!cmd)
		cmd = command_find(argv[optind]);
	if (!cmd) {
		fprintf(stderr, "wfqtool: unknown command \"%s\" (see wfqtool --help)\n",
			argv[optind]);
		return EXIT_USAGE;
	}
	if (opt == OPT_VERSION)
		status = cmd->fn(&ctx, 1, (char *[]){ "version", NULL }, &err);
	else
		status = cmd->fn(&ctx, argc - optind, argv + optind, &err);
	if (status == CMD_HELP) {
		fputs(cmd->usage, stdout);
		return EXIT_OK;
	}
	/* run ends with CMD's status: only a failure of ours has a message. */
	if (status != EXIT_OK && err.msg[0])
		fprintf(stderr, "wfqtool: %s\n", err.msg);
	return status;
}
