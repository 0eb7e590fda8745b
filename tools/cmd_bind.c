// SPDX-License-Identifier: GPL-2.0
/*
 * bind and unbind: a kernel group for a cgroup someone else made
 * (systemd, a container manager). Neither moves a process nor writes a
 * cgroup file; unbind removes the kernel group only.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>

#include "cgfind.h"
#include "cmd.h"

enum {
	OPT_CGROUP = 'c',
	OPT_CGROUP_ID = 300,
};

/* --cgroup-id: the cgroup of that id, found in the tree and opened. */
static int open_cgroup_id(const char *arg, struct cg_handle *h,
			  struct wfqnl_err *err)
{
	char path[PATH_MAX] = "";
	struct cg_wanted want = { .path = path };
	uint64_t id;

	h->dir_fd = -1;
	if (parse_uint(arg, UINT64_MAX, &want.cgroup_id, err) ||
	    !want.cgroup_id) {
		wfqnl_err_explain(err, EINVAL, "\"%s\": not a cgroup id", arg);
		return -EINVAL;
	}
	if (!cg_find_by_id(&want, 1))
		return wfqnl_err_explain(err, ENOENT,
					 "cgroup id %s: no cgroup v2 directory has it under " CG_MOUNT,
					 arg);
	if (cg_open_path(path, h, err))
		return -err->errnum;
	/* Removed and another made in between: not the one asked for. */
	if (cg_id(h, &id, err) || id != want.cgroup_id) {
		cg_close(h);
		return wfqnl_err_explain(err, ENOENT,
					 "cgroup id %s: gone", arg);
	}
	return 0;
}

int cmd_bind(struct cmd_ctx *ctx, int argc, char **argv,
	     struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ "cgroup-id", required_argument, NULL, OPT_CGROUP_ID },
		{ "weight", required_argument, NULL, OPT_WEIGHT },
		{ 0 },
	};
	const char *name = NULL, *path = NULL, *id = NULL;
	bool defaulted = false;
	uint32_t weight = 0;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hc:w:", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_CGROUP:
			path = optarg;
			continue;
		case OPT_CGROUP_ID:
			id = optarg;
			continue;
		case OPT_WEIGHT:
			if (parse_weight(optarg, &weight, err))
				return cmd_value_error(err, "bind", "--weight");
			continue;
		}
		status = cmd_common_opt(ctx, "bind", opt, argv, err);
		if (status)
			return status;
	}
	status = cmd_take_name("bind", argc, argv, 0, &name, err);
	if (status)
		return status;
	if (path && id)
		return cmd_exclusive_error(err, "bind", "--cgroup", "--cgroup-id");
	if (!path && !id)
		return cmd_usage_error(err, "bind",
				       "give the cgroup: --cgroup PATH or --cgroup-id ID");
	status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	status = EXIT_FAIL;
	if (path ? cg_open_path(path, &h, err) : open_cgroup_id(id, &h, err)) {
		wfqnl_err_wrap(err, "bind \"%s\"", name);
		goto out_close_nl;
	}
	if (!weight && cg_bind_weight(&h, &weight, &defaulted, err)) {
		wfqnl_err_wrap(err, "bind \"%s\"", name);
		goto out_close_cg;
	}
	if (wfqnl_group_new(nl, name, weight, wfqnl_bind_fd(h.dir_fd), &g,
			    err))
		goto out_close_cg;
	status = EXIT_OK;
	printf("%s id=%u cgroup=%s weight=%u\n", g.name, g.id, h.path,
	       g.weight);
	if (defaulted)
		fprintf(stderr,
			"wfqtool: bind \"%s\": cgroup %s has no cpu.weight (the root, or no cpu controller): weight %u\n",
			name, h.path, g.weight);
out_close_cg:
	cg_close(&h);
out_close_nl:
	wfqnl_close(nl);
	return status;
}

int cmd_unbind(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ 0 },
	};
	const char *name = NULL;
	struct wfqnl *nl;
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		status = cmd_common_opt(ctx, "unbind", opt, argv, err);
		if (status)
			return status;
	}
	status = cmd_take_name("unbind", argc, argv, 0, &name, err);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (wfqnl_group_del(nl, wfqnl_ref_name(name), err))
		status = cmd_group_status(err);
	wfqnl_close(nl);
	return status;
}
