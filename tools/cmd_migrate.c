// SPDX-License-Identifier: GPL-2.0
/*
 * export and import: a group's state carried to another machine. The
 * cgroup is rebound by type (made afresh in the destination's
 * hierarchy), the weight and limits copied by value, and the lag
 * renormalised: the destination starts the group at its own s_min less
 * the lag the source measured.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "atomic_file.h"
#include "cmd.h"
#include "group_state.h"

/* import's --cgroup: long only (-c is --count elsewhere). */
enum { OPT_CGROUP = 300 };

/* An exported state is a few hundred bytes; refuse anything huge. */
#define STATE_FILE_MAX	(64 * 1024)

/* A cgroup file's one line into buf, without its newline. */
static int read_line(const struct cg_handle *h, const char *file, char *buf,
		     size_t size, struct wfqnl_err *err)
{
	int ret = cg_read(h, file, buf, size, err);

	if (!ret)
		buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

static int read_limits(const struct cg_handle *h, struct group_state_cgroup *c,
		       struct wfqnl_err *err)
{
	char weight[16];
	int ret;

	snprintf(c->path, sizeof(c->path), "%s", h->path);
	ret = read_line(h, "cpu.weight", weight, sizeof(weight), err);
	if (!ret && parse_weight(weight, &c->cpu_weight, err)) {
		wfqnl_err_wrap(err, "cgroup %s: cpu.weight", h->path);
		ret = -err->errnum;
	}
	if (!ret)
		ret = read_line(h, "cpu.max", c->cpu_max, sizeof(c->cpu_max),
				err);
	if (!ret)
		ret = read_line(h, "cpuset.cpus", c->cpuset_cpus,
				sizeof(c->cpuset_cpus), err);
	if (!ret)
		ret = read_line(h, "memory.max", c->memory_max,
				sizeof(c->memory_max), err);
	return ret;
}

/* Write s to path ("-" or NULL: standard output), atomically. */
static int write_state(const char *path, const struct group_state *s,
		       struct wfqnl_err *err)
{
	struct atomic_file af;

	if (!path || !strcmp(path, "-")) {
		group_state_write(stdout, s);
		return fflush(stdout) ? wfqnl_err_set(err, errno, "stdout") : 0;
	}
	if (atomic_file_open(&af, path, err))
		return -err->errnum;
	group_state_write(af.f, s);
	return atomic_file_commit(&af, err);
}

static int export_opt(void *opts, int opt, const char *arg,
		      struct wfqnl_err *err)
{
	(void)err;
	if (opt != 'o')
		return CMD_NOT_OWN_OPT;
	*(const char **)opts = arg;
	return EXIT_OK;
}

int cmd_export(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ 0 },
	};
	static const struct cmd_on_group export = {
		.cmd = "export", .shortopts = ":ho:", .longopts = longopts,
		.own_opt = export_opt,
	};
	struct group_state s = { 0 };
	const char *name = NULL, *output = NULL;
	struct wfqnl_stats st;
	struct wfqnl_group g;
	struct timespec now;
	struct utsname uts;
	struct cg_handle h;
	struct wfqnl *nl;
	int status;

	status = cmd_on_group_begin(ctx, &export, &output, argc, argv, &name,
				    &nl, err);
	if (status)
		return status;
	/* STATS_GET refreshes s_min: the lag is measured against today's. */
	if (wfqnl_stats_get(nl, &st, err)) {
		status = EXIT_FAIL;
		goto out;
	}
	status = cmd_group_cgroup(ctx, nl, name, &g, &h, err);
	if (status)
		goto out;
	group_state_from_group(&s, &g, st.vtime_min);
	clock_gettime(CLOCK_REALTIME, &now);
	s.time_ns = (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec;
	if (!uname(&uts))
		snprintf(s.kernel, sizeof(s.kernel), "%s", uts.release);
	if (read_limits(&h, &s.cgroup, err) || write_state(output, &s, err)) {
		wfqnl_err_wrap(err, "export \"%s\"", name);
		status = EXIT_FAIL;
	}
	cg_close(&h);
out:
	wfqnl_close(nl);
	return status;
}

/* The whole of path ("-": standard input) as a string; free() it. */
static char *read_file(const char *path, struct wfqnl_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf;
	size_t len;

	if (!f) {
		wfqnl_err_set(err, errno, "%s", path);
		return NULL;
	}
	buf = malloc(STATE_FILE_MAX + 1);
	if (!buf) {
		wfqnl_err_set(err, ENOMEM, "%s", path);
	} else {
		len = fread(buf, 1, STATE_FILE_MAX + 1, f);
		if (ferror(f) || len > STATE_FILE_MAX) {
			if (ferror(f))
				wfqnl_err_set(err, EIO, "%s", path);
			else
				wfqnl_err_explain(err, EFBIG,
						  "%s: larger than %d bytes: not an exported group",
						  path, STATE_FILE_MAX);
			free(buf);
			buf = NULL;
		} else {
			buf[len] = '\0';
		}
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

/* The state in path, with its limits; a usage status on a bad file. */
static int load_state(const char *path, struct group_state *s,
		      struct cg_limits *lim, struct wfqnl_err *err)
{
	char *text = read_file(path, err);
	int ret;

	if (!text)
		return EXIT_FAIL;
	ret = group_state_parse(text, s, err);
	free(text);
	if (!ret)
		ret = group_state_limits(s, lim, err);
	if (ret) {
		wfqnl_err_wrap(err, "import: %s", path);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* --cgroup PATH splits into the root and the directory made in it. */
static int split_cgroup(const char *path, char *root, size_t size,
			const char **leaf, struct wfqnl_err *err)
{
	char *slash;

	snprintf(root, size, "%s", path);
	while (strlen(root) > 1 && root[strlen(root) - 1] == '/')
		root[strlen(root) - 1] = '\0';
	slash = strrchr(root, '/');
	if (!slash || slash == root || parse_group_name(slash + 1, err))
		return cmd_usage_error(err, "import",
				       "--cgroup %s: give ROOT/DIR, DIR a group name, ROOT not /",
				       path);
	*slash = '\0';
	*leaf = slash + 1;	/* root holds "ROOT\0DIR" now */
	return EXIT_OK;
}

int cmd_import(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "name", required_argument, NULL, 'n' },
		{ "cgroup", required_argument, NULL, OPT_CGROUP },
		{ 0 },
	};
	const char *name = NULL, *cgroup = NULL, *file, *leaf;
	char root[PATH_MAX];
	struct group_state s;
	struct cg_limits lim;
	struct wfqnl_group g;
	struct cg_handle h;
	struct wfqnl *nl;
	int opt, status;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hn:", longopts, NULL)) != -1) {
		if (opt == 'n' || opt == OPT_CGROUP) {
			*(opt == 'n' ? &name : &cgroup) = optarg;
			continue;
		}
		status = cmd_common_opt(ctx, "import", opt, argv, err);
		if (status)
			return status;
	}
	if (optind >= argc)
		return cmd_usage_error(err, "import", "a FILE is needed");
	file = argv[optind++];
	if (optind < argc)
		return cmd_usage_error(err, "import", "unexpected argument \"%s\"",
				       argv[optind]);
	if (name && parse_group_name(name, err)) {
		wfqnl_err_wrap(err, "import: --name");
		return EXIT_USAGE;
	}
	status = load_state(file, &s, &lim, err);
	if (status)
		return status;
	if (!name)
		name = s.group.name;
	snprintf(root, sizeof(root), "%s", ctx->cgroup_root);
	leaf = name;
	if (cgroup)
		status = split_cgroup(cgroup, root, sizeof(root), &leaf, err);
	if (!status)
		status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (cg_create(root, leaf, &lim, &h, err)) {
		wfqnl_err_wrap(err, "import \"%s\"", name);
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	if (wfqnl_group_new_lag(nl, name, s.group.weight, s.group.lag,
				wfqnl_bind_fd(h.dir_fd), &g, err)) {
		cg_undo(&h);
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	printf("%s id=%u cgroup=%s weight=%u lag_ns=%lld\n", g.name, g.id,
	       h.path, g.weight, (long long)g.lag);
	cg_close(&h);
	wfqnl_close(nl);
	return EXIT_OK;
}
