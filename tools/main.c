// SPDX-License-Identifier: GPL-2.0
/*
 * wfqtool: parse the global options, dispatch to a command, and print
 * its error once as "wfqtool: <object>: <why>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct command {
	const char *name;
	int (*fn)(const struct cmd_ctx *ctx, int argc, char **argv,
		  struct wfqnl_err *err);
	const char *usage;
};

static const struct command commands[] = {
	{ "create", cmd_create,
	  "usage: wfqtool create NAME [--weight W] [--cpu-max QUOTA[/PERIOD]|max]\n"
	  "                      [--cpus LIST] [--memory-max SIZE]\n"
	  "Create cgroup ROOT/NAME with the limits and a wfqmon group bound to it;\n"
	  "print \"NAME id=ID cgroup=PATH\". All or nothing.\n"
	  "  -n, --name NAME     the group name (or give it as the argument)\n"
	  "  -w, --weight W      1..10000, default 100; cpu.weight is set to W\n"
	  "      --cpu-max Q[/P] CPU time quota per period in us, or max\n"
	  "      --cpus LIST     cpuset.cpus, like 0-2,5\n"
	  "      --memory-max S  memory.max: bytes, K/M/G/T suffix, or max\n" },
	{ "destroy", cmd_destroy,
	  "usage: wfqtool destroy NAME [--kill]\n"
	  "Remove the kernel group and its cgroup. Refuses while tasks remain.\n"
	  "  -k, --kill          kill the tasks first (cgroup.kill)\n" },
	{ "set", cmd_set,
	  "usage: wfqtool set NAME [--weight W] [--cpu-max Q[/P]|max] [--cpus LIST]\n"
	  "                   [--memory-max SIZE]\n"
	  "Change a live group: the cgroup's files, then the kernel's weight.\n" },
	{ "attach", cmd_attach,
	  "usage: wfqtool attach NAME PID...\n"
	  "Move running processes into the group's cgroup.\n" },
	{ "run", cmd_run,
	  "usage: wfqtool run NAME [--ns LIST|all] [--hostname H] [--uid-map I:O:N]\n"
	  "                   [--gid-map I:O:N] [--root DIR | --overlay LOWER\n"
	  "                   [--overlay-dir D]] [--] CMD [ARGS...]\n"
	  "Start CMD in the group's cgroup from its first instruction, in new\n"
	  "namespaces, under an init that reaps, forwards signals and exits with\n"
	  "CMD's status.\n"
	  "      --ns LIST       comma list of pid,mnt,uts,ipc,net,user, or all;\n"
	  "                      default none; pid implies mnt (a new /proc)\n"
	  "      --hostname H    needs uts; default with uts: NAME\n"
	  "      --uid-map I:O:N user namespace uid map, default 0:EUID:1\n"
	  "      --gid-map I:O:N default: the uid map, or 0:EGID:1\n"
	  "      --root DIR      pivot_root into DIR (implies mnt)\n"
	  "      --overlay LOWER root is an overlay: a writable upper layer over\n"
	  "                      the read-only LOWER (implies mnt)\n"
	  "      --overlay-dir D keep upper/, work/ and merged/ in D (default: a\n"
	  "                      temporary directory in $TMPDIR or /tmp, removed after)\n" },
	{ "list", cmd_list,
	  "usage: wfqtool list [--json]\n"
	  "Every group: weight, state, tasks, runtime, virtual time, quanta, wait.\n" },
	{ "show", cmd_show,
	  "usage: wfqtool show NAME [--json] [--per-cpu]\n"
	  "One group with its cgroup limits, all its counters and its wait\n"
	  "histogram; --per-cpu adds runtime, wait and quanta per CPU.\n" },
	{ "report", cmd_report,
	  "usage: wfqtool report [--interval S] [--count N] [--json|--prometheus]\n"
	  "                      [--output FILE]\n"
	  "Fairness over windows of S seconds (default 1), N times (default 1):\n"
	  "ideal share by water-filling, actual share, error, x = share/ideal,\n"
	  "lag against the weighted mean vtime, quanta, wait, throttling, and\n"
	  "Jain's index on x. JSON: one object per window and line.\n"
	  "Prometheus: one exposition, of the last window; with --output FILE\n"
	  "each window atomically replaces FILE (node_exporter's textfile\n"
	  "collector).\n" },
	{ "top", cmd_top,
	  "usage: wfqtool top [--interval S] [--count N]\n"
	  "                   [--sort share|weight|runtime|wait|name]\n"
	  "The report as a live view in 80 columns: a new window every S seconds\n"
	  "(default 1), active groups first, sorted by the key (largest first,\n"
	  "names A to Z; default share). On a terminal the screen is redrawn and\n"
	  "q or Ctrl-C quits; otherwise one frame per window is printed.\n"
	  "  -i, --interval S    seconds per window, fractions allowed\n"
	  "  -c, --count N       stop after N frames (default: until q)\n"
	  "  -s, --sort KEY      share, weight, runtime, wait or name\n" },
	{ "events", cmd_events,
	  "usage: wfqtool events [--json] [--count N] [--timeout S]\n"
	  "Follow the module's notifications: groups created (new), changed,\n"
	  "destroyed (del), turning active or idle. Active/idle notifications\n"
	  "are coalesced by the kernel, at most one per group per 100 ms by\n"
	  "default; activations counts every transition.\n"
	  "      --json          one JSON object per line\n"
	  "      --count N       stop after N notifications\n"
	  "      --timeout S     stop after S seconds\n" },
	{ "exporter", cmd_exporter,
	  "usage: wfqtool exporter --listen ADDR:PORT\n"
	  "Serve the groups' counters to Prometheus: GET /metrics scrapes the\n"
	  "module (one netlink dump) and answers in the text format. Runs until\n"
	  "SIGINT or SIGTERM; needs no privilege.\n"
	  "  -l, --listen A:P    HOST:PORT, [IPv6]:PORT, or :PORT for every address\n" },
	{ "simulate", cmd_simulate,
	  "usage: wfqtool simulate (--group NAME:WEIGHT[:PATTERN]... |\n"
	  "                         --replay EVENTS [--weights LIST])\n"
	  "                        [--quantum D] [--duration D]\n"
	  "                        [--no-catchup | --compare] [--json] [--trace FILE]\n"
	  "Simulate WFQ on one CPU (run the runnable group with the smallest s_i\n"
	  "for a quantum, s_i += q/w_i) with the catch-up rule s_i = max(s_min, s_i)\n"
	  "for a group that becomes runnable again, or without it. No module needed.\n"
	  "  -g, --group SPEC    PATTERN: busy (default), or on=D,off=D (runnable D\n"
	  "                      of wall time, then idle D, repeated) and/or start=D\n"
	  "      --replay FILE   the runnable stretches of an events --json record\n"
	  "      --weights FILE  weights from list --json (default: the record's)\n"
	  "  -q, --quantum D     default 4ms; D is a number with ns, us, ms or s\n"
	  "  -d, --duration D    default 10s, or the length of the record\n"
	  "      --no-catchup    without the rule: a returning group keeps its s_i\n"
	  "      --compare       both, side by side\n"
	  "      --json          one JSON object\n"
	  "      --trace FILE    JSON lines: s_i of every group and who ran, per\n"
	  "                      quantum, and each catch-up\n" },
};

static const char main_usage[] =
	"usage: wfqtool [--cgroup-root DIR] COMMAND [ARGS...]\n"
	"Create cgroup v2 groups watched by wfqmon.ko, run programs in them,\n"
	"and report whether each gets the CPU share its weight promises.\n"
	"\n"
	"Commands: create destroy set attach run list show report top events\n"
	"          exporter simulate\n"
	"  wfqtool COMMAND --help    the command's options\n"
	"  --cgroup-root DIR         where groups live (default "
	CG_ROOT_DEFAULT ",\n"
	"                            or $" CG_ROOT_ENV ")\n"
	"See wfqtool(8).\n";

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct cmd_ctx ctx = { .cgroup_root = getenv(CG_ROOT_ENV) };
	struct wfqnl_err err = { 0 };
	const struct command *cmd;
	int i = 1, status;

	if (!ctx.cgroup_root || !*ctx.cgroup_root)
		ctx.cgroup_root = CG_ROOT_DEFAULT;
	if (i + 1 < argc && !strcmp(argv[i], "--cgroup-root")) {
		ctx.cgroup_root = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		fputs(main_usage, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
	    !strcmp(argv[i], "help")) {
		fputs(main_usage, stdout);
		return EXIT_OK;
	}
	cmd = find_command(argv[i]);
	if (!cmd) {
		fprintf(stderr, "wfqtool: unknown command \"%s\" (see wfqtool --help)\n",
			argv[i]);
		return EXIT_USAGE;
	}
	status = cmd->fn(&ctx, argc - i, argv + i, &err);
	if (status == CMD_HELP) {
		fputs(cmd->usage, stdout);
		return EXIT_OK;
	}
	/* run ends with CMD's status: only a failure of ours has a message. */
	if (status != EXIT_OK && err.msg[0])
		fprintf(stderr, "wfqtool: %s\n", err.msg);
	return status;
}
