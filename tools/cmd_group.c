// SPDX-License-Identifier: GPL-2.0
/* Commands that change groups: create, destroy, set, attach. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Parse limit options (and --name for create) into lim; usage status. */
static int parse_limits(struct cmd_ctx *ctx, const char *cmd, int argc,
			char **argv, const char **name, struct cg_limits *lim,
			struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		CMD_LIMIT_LONGOPTS,
		{ "name", required_argument, NULL, 'n' },
		{ 0 },
	};
	int opt, ret, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hw:n:", longopts, NULL)) != -1) {
		if (opt == 'n' && name && !*name) {
			*name = optarg;
			continue;
		}
		ret = cmd_limit_opt(opt, optarg, lim, err);
		if (ret < 0) {
			wfqnl_err_wrap(err, "%s", cmd);
			return EXIT_USAGE;
		}
		if (ret > 0)
			continue;
		status = cmd_common_opt(ctx, cmd, opt, argv, err);
		if (status)
			return status;
	}
	return EXIT_OK;
}

/*
 * All or nothing: the command line is checked and the module found
 * before anything is made; a failure after that removes the cgroup
 * and whatever directories above it this call created.
 */
int cmd_create(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	struct cg_limits lim = { .has_weight = true,
				 .weight = WFQMON_WEIGHT_DEFAULT };
	const char *name = NULL;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	int status;

	status = parse_limits(ctx, "create", argc, argv, &name, &lim, err);
	if (!status)
		status = cmd_take_name("create", argc, argv, 0, &name, err);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (cg_create(ctx->cgroup_root, name, &lim, &h, err)) {
		wfqnl_err_wrap(err, "create \"%s\"", name);
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	if (wfqnl_group_new(nl, name, lim.weight, wfqnl_bind_fd(h.dir_fd), &g,
			    err)) {
		cg_undo(&h);
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	printf("%s id=%u cgroup=%s\n", g.name, g.id, h.path);
	cg_close(&h);
	wfqnl_close(nl);
	return EXIT_OK;
}

int cmd_destroy(struct cmd_ctx *ctx, int argc, char **argv,
		struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "kill", no_argument, NULL, 'k' },
		{ 0 },
	};
	const char *name = NULL;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	bool kill = false, populated, have_cgroup;
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hk", longopts, NULL)) != -1) {
		if (opt == 'k') {
			kill = true;
			continue;
		}
		status = cmd_common_opt(ctx, "destroy", opt, argv, err);
		if (status)
			return status;
	}
	status = cmd_take_name("destroy", argc, argv, 0, &name, err);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;

	status = cmd_group_cgroup(ctx, nl, name, &g, &h, err);
	if (status == EXIT_NO_GROUP)
		goto out;
	/* A cgroup that is not the group's own is left alone. */
	have_cgroup = status == EXIT_OK;
	if (have_cgroup && !kill && !cg_populated(&h, &populated, err) &&
	    populated) {
		wfqnl_err_explain(err, EBUSY,
				  "destroy \"%s\": cgroup %s: tasks are still running in it (use --kill)",
				  name, h.path);
		cg_close(&h);
		status = EXIT_BUSY;
		goto out;
	}
	status = EXIT_OK;
	if (wfqnl_group_del(nl, wfqnl_ref_id(g.id), err)) {
		status = cmd_group_status(err);
		if (have_cgroup)
			cg_close(&h);
		goto out;
	}
	if (have_cgroup && cg_remove(&h, kill, err)) {
		wfqnl_err_wrap(err, "destroy \"%s\"", name);
		status = err->errnum == EBUSY ? EXIT_BUSY : EXIT_FAIL;
	}
out:
	wfqnl_close(nl);
	return status;
}

/* Cgroup first, then the kernel: cpu.weight and the group's weight agree. */
int cmd_set(struct cmd_ctx *ctx, int argc, char **argv,
	    struct wfqnl_err *err)
{
	struct cg_limits lim = { 0 };
	const char *name = NULL;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	int status;

	status = parse_limits(ctx, "set", argc, argv, NULL, &lim, err);
	if (!status)
		status = cmd_take_name("set", argc, argv, 0, &name, err);
	if (!status && !lim.has_weight && !lim.has_cpu_max && !lim.has_cpus &&
	    !lim.has_memory_max)
		status = cmd_usage_error(err, "set",
					 "nothing to change: give --weight, --cpu-max, --cpus or --memory-max");
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	status = cmd_group_cgroup(ctx, nl, name, &g, &h, err);
	/* wfqtool writes only the cgroups it made: ROOT/NAME. */
	if (status == EXIT_FAIL &&
	    (err->errnum == ENOENT || err->errnum == ESTALE))
		wfqnl_err_explain(err, EPERM,
				  "set \"%s\": bound to a cgroup wfqtool did not create (not %s/%s): change its cpu.weight with its manager; wfqtool watch follows it",
				  name, ctx->cgroup_root, name);
	if (status)
		goto out;
	if (cg_apply(&h, &lim, err)) {
		wfqnl_err_wrap(err, "set \"%s\"", name);
		status = EXIT_FAIL;
	} else if (lim.has_weight &&
		   wfqnl_group_set(nl, wfqnl_ref_id(g.id), lim.weight,
				   wfqnl_bind_none(), NULL, err)) {
		status = cmd_group_status(err);
	}
	cg_close(&h);
out:
	wfqnl_close(nl);
	return status;
}

int cmd_attach(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ 0 },
	};
	const char *name = NULL;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	int opt, status, first, pid;

	optind = 0;
	opterr = 0;
	/* Options anywhere: "attach web --help" is help, not a pid. */
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		status = cmd_common_opt(ctx, "attach", opt, argv, err);
		if (status)
			return status;
	}
	status = cmd_take_name("attach", argc, argv, 1, &name, err);
	if (status)
		return status;
	first = optind;
	for (int i = first; i < argc; i++)
		if (parse_pid(argv[i], &pid, err)) {
			wfqnl_err_wrap(err, "attach");
			return EXIT_USAGE;
		}
	status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	status = cmd_group_cgroup(ctx, nl, name, &g, &h, err);
	for (int i = first; !status && i < argc; i++) {
		parse_pid(argv[i], &pid, err);
		if (cg_attach(&h, pid, err)) {
			wfqnl_err_wrap(err, "attach \"%s\"", name);
			status = EXIT_FAIL;
		}
	}
	if (h.dir_fd >= 0)
		cg_close(&h);
	wfqnl_close(nl);
	return status;
}
