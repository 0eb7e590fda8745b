// SPDX-License-Identifier: GPL-2.0
/*
 * The table of commands: name, function, summary and --help text. A new
 * command joins as one entry; main, help and the usage list follow.
 */
#include <string.h>

#include "cmd.h"

const struct command commands[] = {
	{ "create", cmd_create,
	  "a group: a cgroup with limits and the kernel group bound to it",
	  "usage: wfqtool create NAME [--weight W] [--cpu-max QUOTA[/PERIOD]|max]\n"
	  "                      [--cpus LIST] [--memory-max SIZE]\n"
	  "Create cgroup ROOT/NAME with the limits and a wfqmon group bound to it;\n"
	  "print \"NAME id=ID cgroup=PATH\". All or nothing.\n"
	  "  -n, --name NAME     the group name (or give it as the argument)\n"
	  "  -w, --weight W      1..10000, default 100; cpu.weight is set to W\n"
	  "      --cpu-max Q[/P] CPU time quota per period in us, or max\n"
	  "      --cpus LIST     cpuset.cpus, like 0-2,5\n"
	  "      --memory-max S  memory.max: bytes, K/M/G/T suffix, or max\n" },
	{ "bind", cmd_bind,
	  "a group for an existing cgroup (a service's, a container's)",
	  "usage: wfqtool bind NAME (--cgroup PATH | --cgroup-id ID) [--weight W]\n"
	  "Bind a new wfqmon group to an existing cgroup; print\n"
	  "\"NAME id=ID cgroup=PATH weight=W\". Moves no process, writes no\n"
	  "cgroup file.\n"
	  "  -c, --cgroup PATH   the cgroup: absolute, or under /sys/fs/cgroup\n"
	  "                      (system.slice/foo.service)\n"
	  "      --cgroup-id ID  the cgroup of this id (its inode number)\n"
	  "  -w, --weight W      1..10000; default: the cgroup's cpu.weight, or\n"
	  "                      100 if it has none (the root cgroup)\n" },
	{ "unbind", cmd_unbind,
	  "remove a bound group, leave its cgroup alone",
	  "usage: wfqtool unbind NAME\n"
	  "Remove the kernel group only: its cgroup and processes stay.\n" },
	{ "watch", cmd_watch,
	  "bind every cgroup under a directory, as they come and go",
	  "usage: wfqtool watch DIR [--match GLOB] [--depth N] [--interval D] [--json]\n"
	  "Bind a group to every cgroup under DIR (absolute, or under\n"
	  "/sys/fs/cgroup) down to depth N, follow cgroups made and removed\n"
	  "there, and keep each group's weight equal to its cgroup's\n"
	  "cpu.weight. Names: a container's short id (docker-, libpod-, crio-),\n"
	  "an LXC container's name, else the directory's name; a name taken\n"
	  "falls back to the path below DIR with ':' for '/', then to\n"
	  "NAME~CGROUP_ID. One line per action: bind, weight, unbind.\n"
	  "SIGINT or SIGTERM unbinds every group it bound and exits 0.\n"
	  "Moves no process, writes no cgroup file.\n"
	  "  -m, --match GLOB    only cgroups whose directory name matches GLOB\n"
	  "  -d, --depth N       1 (default): DIR's children; 2: theirs too...\n"
	  "  -i, --interval D    poll cpu.weight and rescan every D (default 1s;\n"
	  "                      new cgroups are bound at once on inotify)\n"
	  "      --json          one JSON object per action and line, with the\n"
	  "                      cgroup's path and id\n" },
	{ "destroy", cmd_destroy,
	  "remove a group and its cgroup",
	  "usage: wfqtool destroy NAME [--kill]\n"
	  "Remove the kernel group and its cgroup ROOT/NAME. Refuses while tasks\n"
	  "remain. A group bound elsewhere (bind, watch) loses only the kernel\n"
	  "group, as with unbind: wfqtool removes no cgroup it did not create.\n"
	  "  -k, --kill          kill the tasks first (cgroup.kill)\n" },
	{ "set", cmd_set,
	  "change a live group's weight and limits",
	  "usage: wfqtool set NAME [--weight W] [--cpu-max Q[/P]|max] [--cpus LIST]\n"
	  "                   [--memory-max SIZE]\n"
	  "Change a live group: the cgroup's files, then the kernel's weight.\n" },
	{ "attach", cmd_attach,
	  "move running processes into a group",
	  "usage: wfqtool attach NAME PID...\n"
	  "Move running processes into the group's cgroup.\n" },
	{ "run", cmd_run,
	  "start a command in a group, in new namespaces",
	  "usage: wfqtool run NAME [--ns LIST|all] [--hostname H] [--uid-map I:O:N]\n"
	  "                   [--gid-map I:O:N] [--root DIR | --overlay LOWER\n"
	  "                   [--overlay-dir D]] [--] CMD [ARGS...]\n"
	  "Start CMD in the group's cgroup from its first instruction, in new\n"
	  "namespaces, under an init that reaps, forwards signals and exits with\n"
	  "CMD's status; 125 when wfqtool itself fails, 126 when CMD cannot be\n"
	  "executed, 127 when it is not found.\n"
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
	  "every group with its counters",
	  "usage: wfqtool list [--json | --no-legend]\n"
	  "Every group: weight, state, processes, runtime, virtual time, quanta, wait.\n" },
	{ "show", cmd_show,
	  "one group in full",
	  "usage: wfqtool show NAME [--json] [--per-cpu]\n"
	  "One group with its cgroup limits, all its counters and its wait\n"
	  "histogram; --per-cpu adds runtime, wait and quanta per CPU.\n" },
	{ "report", cmd_report,
	  "fairness over windows: share against the ideal",
	  "usage: wfqtool report [--interval D] [--count N]\n"
	  "                      [--json | --prometheus [--output FILE] | --no-legend]\n"
	  "Fairness over windows of D (default 1s), N times (default 1; 0: until\n"
	  "interrupted):\n"
	  "ideal share by water-filling, actual share, error, x = share/ideal,\n"
	  "lag against the weighted mean vtime, quanta, wait, throttling, and\n"
	  "Jain's index on x. JSON: one object per window and line.\n"
	  "Prometheus: one exposition, of the last window; with --output FILE\n"
	  "each window atomically replaces FILE (node_exporter's textfile\n"
	  "collector).\n"
	  "  -i, --interval D    500ms, 1.5s, 2m...; a bare number is seconds\n"
	  "  -c, --count N       windows; 0: until interrupted\n"
	  "      --json          one JSON object per window and line\n"
	  "      --prometheus    the Prometheus text format\n"
	  "  -o, --output FILE   with --prometheus: write FILE atomically\n"
	  "      --no-legend     the table without its header lines\n" },
	{ "top", cmd_top,
	  "the report, live",
	  "usage: wfqtool top [--interval D] [--count N]\n"
	  "                   [--sort share|weight|runtime|wait|name] [--no-legend]\n"
	  "The report as a live view sized to the terminal (80 columns when not\n"
	  "one): a new window every D (default 1s), active groups first, sorted by the key (largest first,\n"
	  "names A to Z; default share). On a terminal the screen is redrawn and\n"
	  "q or Ctrl-C quits; otherwise one frame per window is printed.\n"
	  "  -i, --interval D    500ms, 1.5s, 2m...; a bare number is seconds\n"
	  "  -c, --count N       stop after N frames (default 0: until q)\n"
	  "  -s, --sort KEY      share, weight, runtime, wait or name\n"
	  "      --no-legend     the table without its header lines\n" },
	{ "events", cmd_events,
	  "follow the module's notifications",
	  "usage: wfqtool events [--json] [--count N] [--timeout D]\n"
	  "Follow the module's notifications: groups created (new), changed,\n"
	  "destroyed (del), turning active or idle. Active/idle notifications\n"
	  "are coalesced by the kernel, at most one per group per 100 ms by\n"
	  "default; activations counts every transition.\n"
	  "      --json          one JSON object per line; lost notifications are\n"
	  "                      a line with \"event\": \"lost\"\n"
	  "      --count N       stop after N notifications\n"
	  "      --timeout D     stop after D: 500ms, 1.5s, 2m...; a bare number\n"
	  "                      is seconds\n" },
	{ "exporter", cmd_exporter,
	  "serve the counters to Prometheus over HTTP",
	  "usage: wfqtool exporter --listen ADDR:PORT\n"
	  "Serve the groups' counters to Prometheus: GET /metrics scrapes the\n"
	  "module (one netlink dump) and answers in the text format. Runs until\n"
	  "SIGINT or SIGTERM; needs no privilege.\n"
	  "  -l, --listen A:P    HOST:PORT, [IPv6]:PORT, or :PORT for every address\n" },
	{ "simulate", cmd_simulate,
	  "WFQ on one simulated CPU (no module needed)",
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
	  "  -q, --quantum D     default 4ms; every D here needs its unit: ns, us,\n"
	  "                      ms, s, m or h, like 4ms or 1.5s\n"
	  "  -d, --duration D    default 10s, or the length of the record\n"
	  "      --no-catchup    without the rule: a returning group keeps its s_i\n"
	  "      --compare       both, side by side\n"
	  "      --json          one JSON object\n"
	  "      --trace FILE    JSON lines: s_i of every group and who ran, per\n"
	  "                      quantum, and each catch-up\n" },
	{ "version", cmd_version,
	  "this tool's version and the module's family version",
	  "usage: wfqtool version (the same as wfqtool -V)\n"
	  "Print wfqtool's version, the wfqmon family version it was built for\n"
	  "and the one of the loaded module. Exit 3 if no module answers, 6 if\n"
	  "the versions differ.\n" },
};

const size_t nr_commands = sizeof(commands) / sizeof(commands[0]);

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < nr_commands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}
