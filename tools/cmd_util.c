// SPDX-License-Identifier: GPL-2.0
/* What the commands share: connecting, group lookup, limit options. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cmd.h"

/* Where the kernel lists loaded modules; wfqmon may be built in too. */
#define WFQMON_SYSFS_MODULE	"/sys/module/wfqmon"

int cmd_no_family_status(struct wfqnl_err *err)
{
	if (err->errnum == EPROTONOSUPPORT)
		return EXIT_VERSION;
	if (err->errnum != ENOENT)
		return EXIT_FAIL;
	/* Families are not per namespace, but wfqmon's is init_net's only. */
	if (!access(WFQMON_SYSFS_MODULE, F_OK))
		wfqnl_err_explain(err, ENOENT,
				  "wfqmon: module loaded (" WFQMON_SYSFS_MODULE ") but its generic netlink family is not visible in this network namespace: run wfqtool in the host's network namespace");
	else
		wfqnl_err_explain(err, ENOENT,
				  "wfqmon: kernel module not loaded (no " WFQMON_SYSFS_MODULE "): load it with \"modprobe wfqmon\" or \"insmod PATH/wfqmon.ko\"");
	return EXIT_NO_MODULE;
}

int cmd_open_nl(struct wfqnl **nl, struct wfqnl_err *err)
{
	*nl = wfqnl_open(err);
	if (*nl)
		return EXIT_OK;
	return cmd_no_family_status(err);
}

int cmd_group_status(const struct wfqnl_err *err)
{
	return err->errnum == ENOENT ? EXIT_NO_GROUP : EXIT_FAIL;
}

int cmd_group_cgroup(const struct cmd_ctx *ctx, struct wfqnl *nl,
		     const char *name, struct wfqnl_group *g,
		     struct cg_handle *h, struct wfqnl_err *err)
{
	uint64_t id;

	h->dir_fd = -1;
	if (wfqnl_group_get(nl, wfqnl_ref_name(name), 0, g, err))
		return cmd_group_status(err);
	if (cg_open(ctx->cgroup_root, name, h, err))
		return EXIT_FAIL;
	if (cg_id(h, &id, err)) {
		cg_close(h);
		return EXIT_FAIL;
	}
	if (id != g->cgroup_id) {
		wfqnl_err_explain(err, ESTALE,
				  "cgroup %s: not the cgroup group \"%s\" is bound to (cgroup id %llu, not %llu)",
				  h->path, name, (unsigned long long)g->cgroup_id,
				  (unsigned long long)id);
		cg_close(h);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cmd_take_name(const char *cmd, int argc, char **argv, int min_rest,
		  const char **name, struct wfqnl_err *err)
{
	if (!*name && optind < argc)
		*name = argv[optind++];
	if (!*name)
		return cmd_usage_error(err, cmd, "a group NAME is needed");
	if (min_rest == 0 && optind < argc)
		return cmd_usage_error(err, cmd, "unexpected argument \"%s\"",
				       argv[optind]);
	if (argc - optind < min_rest)
		return cmd_usage_error(err, cmd, "nothing to do: give %s",
				       "a PID");
	if (parse_group_name(*name, err)) {
		wfqnl_err_wrap(err, "%s", cmd);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_limit_opt(int opt, const char *arg, struct cg_limits *lim,
		  struct wfqnl_err *err)
{
	struct cpulist cpus;
	int ret;

	switch (opt) {
	case OPT_WEIGHT:
		ret = parse_weight(arg, &lim->weight, err);
		lim->has_weight = !ret;
		break;
	case OPT_CPU_MAX:
		ret = parse_cpu_max(arg, &lim->cpu_max, err);
		lim->has_cpu_max = !ret;
		break;
	case OPT_CPUS:
		ret = parse_cpulist(arg, &cpus, err);
		lim->cpus = arg;
		lim->has_cpus = !ret;
		break;
	case OPT_MEMORY_MAX:
		ret = parse_size(arg, &lim->memory_max, err);
		lim->has_memory_max = !ret;
		break;
	default:
		return 0;
	}
	return ret ? ret : 1;
}

size_t cmd_table_width(FILE *f)
{
	struct winsize ws;

	if (!isatty(fileno(f)) || ioctl(fileno(f), TIOCGWINSZ, &ws))
		return 0;
	return ws.ws_col;
}
