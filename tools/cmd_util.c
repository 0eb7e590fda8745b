// SPDX-License-Identifier: GPL-2.0
/* What the commands share: connecting, group lookup, limit options. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"

int cmd_open_nl(struct wfqnl **nl, struct wfqnl_err *err)
{
	*nl = wfqnl_open(err);
	if (*nl)
		return EXIT_OK;
	if (err->errnum != ENOENT)
		return EXIT_FAIL;
	wfqnl_err_explain(err, ENOENT,
			  "wfqmon: kernel module not loaded (no generic netlink family \"wfqmon\"): load it with \"make module && insmod build/local/kmod/wfqmon.ko\", or \"modprobe wfqmon\" if installed");
	return EXIT_NO_MODULE;
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

int cmd_usage_error(struct wfqnl_err *err, const char *cmd, const char *fmt,
		    ...)
{
	char what[WFQNL_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	wfqnl_err_explain(err, EINVAL, "%s: %s (see wfqtool %s --help)", cmd,
			  what, cmd);
	return EXIT_USAGE;
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
