// SPDX-License-Identifier: GPL-2.0
/* The run command: options to nsrun_opts, the group's cgroup, nsrun(). */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "nsrun.h"
#include "subid.h"

enum {
	OPT_NS = 400,
	OPT_HOSTNAME,
	OPT_UID_MAP,
	OPT_GID_MAP,
	OPT_ROOT,
	OPT_OVERLAY,
	OPT_OVERLAY_DIR,
};

/*
 * Started by root, a user namespace maps its root to root's subordinate
 * ids, not to the host's root: a process that escapes the container is
 * nobody outside. 0:0 only when --uid-map asks for it.
 */
static void default_subids(struct nsrun_opts *o)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *user = pw ? pw->pw_name : NULL;

	if (o->has_uid_map)
		return;
	subid_map("/etc/subuid", user, geteuid(), &o->uid_map);
	o->has_uid_map = true;
	if (!o->has_gid_map) {
		subid_map("/etc/subgid", user, geteuid(), &o->gid_map);
		o->has_gid_map = true;
	}
}

static int parse_run_opts(struct cmd_ctx *ctx, int argc, char **argv,
			  struct nsrun_opts *o, struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "ns", required_argument, NULL, OPT_NS },
		{ "hostname", required_argument, NULL, OPT_HOSTNAME },
		{ "uid-map", required_argument, NULL, OPT_UID_MAP },
		{ "gid-map", required_argument, NULL, OPT_GID_MAP },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "overlay", required_argument, NULL, OPT_OVERLAY },
		{ "overlay-dir", required_argument, NULL, OPT_OVERLAY_DIR },
		{ 0 },
	};
	int opt, ret = 0;

	optind = 0;
	opterr = 0;
	/* "+": stop at NAME or CMD, so CMD's own options stay its own. */
	while ((opt = getopt_long(argc, argv, "+:h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_NS:
			ret = parse_ns_list(optarg, &o->ns, err);
			break;
		case OPT_HOSTNAME:
			o->hostname = optarg;
			break;
		case OPT_UID_MAP:
			ret = parse_id_map(optarg, &o->uid_map, err);
			o->has_uid_map = true;
			break;
		case OPT_GID_MAP:
			ret = parse_id_map(optarg, &o->gid_map, err);
			o->has_gid_map = true;
			break;
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_OVERLAY:
			o->overlay_lower = optarg;
			break;
		case OPT_OVERLAY_DIR:
			o->overlay_dir = optarg;
			break;
		default:
			ret = cmd_common_opt(ctx, "run", opt, argv, err);
			if (ret)
				return ret;
			break;
		}
		if (ret) {
			wfqnl_err_wrap(err, "run");
			return EXIT_USAGE;
		}
	}
	return EXIT_OK;
}

/*
 * wfqtool run [OPTIONS] NAME [OPTIONS] [--] CMD [ARGS...]. Returns
 * CMD's status, or one of wfqtool's own for a failure before CMD.
 */
static int run(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	struct nsrun_opts o = { 0 };
	struct wfqnl_group g;
	struct cg_handle h;
	const char *name;
	struct wfqnl *nl;
	int status, ret;

	status = parse_run_opts(ctx, argc, argv, &o, err);
	if (status)
		return status;
	if (optind >= argc)
		return cmd_usage_error(err, "run", "a group NAME is needed");
	argv += optind;
	argc -= optind;
	name = argv[0];
	/* Options may follow NAME too; getopt takes the "--" before CMD. */
	status = parse_run_opts(ctx, argc, argv, &o, err);
	if (status)
		return status;
	if (optind >= argc)
		return cmd_usage_error(err, "run", "a command to run is needed");
	o.argv = argv + optind;
	if (parse_group_name(name, err)) {
		wfqnl_err_wrap(err, "run");
		return EXIT_USAGE;
	}
	if (o.root && o.overlay_lower)
		return cmd_exclusive_error(err, "run", "--root", "--overlay");
	if (o.overlay_dir && !o.overlay_lower)
		return cmd_usage_error(err, "run", "--overlay-dir needs --overlay");
	/* A new /proc or root needs a mount namespace to hold it. */
	if ((o.ns & NS_PID) || o.root || o.overlay_lower)
		o.ns |= NS_MNT;
	if (o.hostname && !(o.ns & NS_UTS))
		return cmd_usage_error(err, "run", "--hostname needs --ns uts");
	if ((o.has_uid_map || o.has_gid_map) && !(o.ns & NS_USER))
		return cmd_usage_error(err, "run",
				       "--uid-map and --gid-map need --ns user");
	if ((o.ns & NS_UTS) && !o.hostname)
		o.hostname = name;
	if ((o.ns & NS_USER) && geteuid() == 0)
		default_subids(&o);

	status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	status = cmd_group_cgroup(ctx, nl, name, &g, &h, err);
	wfqnl_close(nl);
	if (status)
		return status;
	o.cgroup_fd = h.dir_fd;
	ret = nsrun(&o, &status, err);
	cg_close(&h);
	if (ret)
		return EXIT_RUN_FAIL;
	return status;
}

/*
 * CMD's status is run's own, so every failure of wfqtool before CMD
 * starts is 125, as env(1) and chroot(1) do; the message says which.
 */
int cmd_run(struct cmd_ctx *ctx, int argc, char **argv,
	    struct wfqnl_err *err)
{
	int status;

	err->msg[0] = '\0';
	status = run(ctx, argc, argv, err);
	if (status != CMD_HELP && err->msg[0] && status < EXIT_RUN_FAIL)
		return EXIT_RUN_FAIL;
	return status;
}
