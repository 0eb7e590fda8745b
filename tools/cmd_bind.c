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

struct bind_opts {
	const char *path, *id;
	uint32_t weight;	/* 0: the cgroup's cpu.weight */
};

static int bind_opt(void *opts, int opt, const char *arg,
		    struct wfqnl_err *err)
{
	struct bind_opts *o = opts;

	switch (opt) {
	case OPT_CGROUP:
		o->path = arg;
		return EXIT_OK;
	case OPT_CGROUP_ID:
		o->id = arg;
		return EXIT_OK;
	case OPT_WEIGHT:
		if (parse_weight(arg, &o->weight, err))
			return cmd_value_error(err, "bind", "--weight");
		return EXIT_OK;
	}
	return CMD_NOT_OWN_OPT;
}

static int bind_check(const void *opts, struct wfqnl_err *err)
{
	const struct bind_opts *o = opts;

	if (o->path && o->id)
		return cmd_exclusive_error(err, "bind", "--cgroup", "--cgroup-id");
	if (!o->path && !o->id)
		return cmd_usage_error(err, "bind",
				       "give the cgroup: --cgroup PATH or --cgroup-id ID");
	return EXIT_OK;
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
	static const struct cmd_on_group bind = {
		.cmd = "bind", .shortopts = ":hc:w:", .longopts = longopts,
		.own_opt = bind_opt, .check = bind_check,
	};
	struct bind_opts o = { 0 };
	const char *name = NULL;
	bool defaulted = false;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	int status;

	status = cmd_on_group_begin(ctx, &bind, &o, argc, argv, &name, &nl,
				    err);
	if (status)
		return status;
	status = EXIT_FAIL;
	if (o.path ? cg_open_path(o.path, &h, err) :
		     open_cgroup_id(o.id, &h, err)) {
		wfqnl_err_wrap(err, "bind \"%s\"", name);
		goto out_close_nl;
	}
	if (!o.weight && cg_bind_weight(&h, &o.weight, &defaulted, err)) {
		wfqnl_err_wrap(err, "bind \"%s\"", name);
		goto out_close_cg;
	}
	if (wfqnl_group_new(nl, name, o.weight, wfqnl_bind_fd(h.dir_fd), &g,
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
	static const struct cmd_on_group unbind = {
		.cmd = "unbind", .shortopts = ":h", .longopts = longopts,
	};
	const char *name = NULL;
	struct wfqnl *nl;
	int status;

	status = cmd_on_group_begin(ctx, &unbind, NULL, argc, argv, &name,
				    &nl, err);
	if (status)
		return status;
	if (wfqnl_group_del(nl, wfqnl_ref_name(name), err))
		status = cmd_group_status(err);
	wfqnl_close(nl);
	return status;
}
