// SPDX-License-Identifier: GPL-2.0
/* Follow a cgroup subtree with bound groups; see watch.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgname.h"
#include "cgroup.h"
#include "json.h"
#include "output.h"
#include "watch.h"

/* Directory events that change which cgroups exist. */
#define WATCH_DIR_EVENTS	(IN_CREATE | IN_DELETE | IN_MOVED_FROM | \
				 IN_MOVED_TO | IN_ONLYDIR)

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Tell one action: "ACTION NAME id=ID cgroup=PATH weight=W[ NOTE]". */
static void tell(const struct watch *w, const char *action,
		 const struct watch_entry *e, const char *note)
{
	struct json j;

	if (!w->o.json) {
		fprintf(w->o.out, "%s %s id=%u cgroup=%s weight=%u%s%s\n",
			action, e->name, e->group_id, e->path, e->weight,
			note ? " " : "", note ? note : "");
		fflush(w->o.out);
		return;
	}
	json_init(&j, w->o.out);
	json_obj_begin(&j, NULL);
	json_u64(&j, "schema_version", OUT_SCHEMA_VERSION);
	json_u64(&j, "time_ns", realtime_ns());
	json_str(&j, "event", action);
	json_str(&j, "name", e->name);
	json_u64(&j, "group_id", e->group_id);
	json_str(&j, "cgroup", e->path);
	json_u64(&j, "cgroup_id", e->cgroup_id);
	if (e->container_id[0])
		json_str(&j, "container_id", e->container_id);
	json_u64(&j, "weight", e->weight);
	if (note)
		json_str(&j, "note", note);
	json_end(&j, '}');
	fflush(w->o.out);
}

int watch_init(struct watch *w, const struct watch_opts *o, struct wfqnl *nl,
	       struct wfqnl_err *err)
{
	memset(w, 0, sizeof(*w));
	w->o = *o;
	w->nl = nl;
	ctr_roots_default(&w->roots);
	w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->inotify_fd < 0)
		return wfqnl_err_set(err, errno, "inotify");
	return 0;
}

static struct watch_entry *find_path(struct watch *w, const char *path)
{
	for (size_t i = 0; i < w->n; i++)
		if (!strcmp(w->e[i].path, path))
			return &w->e[i];
	return NULL;
}

static struct watch_entry *add_entry(struct watch *w)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		void *p = realloc(w->e, cap * sizeof(*w->e));

		if (!p)
			return NULL;
		w->e = p;
		w->cap = cap;
	}
	memset(&w->e[w->n], 0, sizeof(w->e[0]));
	return &w->e[w->n++];
}

/* Errors that concern one cgroup only: tell them and go on. */
static bool cgroup_error(int errnum)
{
	return errnum == ENOENT || errnum == ENOTDIR || errnum == EBUSY ||
	       errnum == ENOSPC || errnum == ESTALE;
}

/*
 * The name of the Podman or Docker container whose cgroup e is, from its
 * runtime's files, else its short id (docker/ID and libpod-payload-ID
 * have no prefix cgname_derive() knows); NULL if not a container.
 */
static const char *container_name(const struct watch *w,
				  struct watch_entry *e, char *buf,
				  size_t size)
{
	enum ctr_runtime rt;

	e->container_id[0] = '\0';
	if (!ctr_cgroup_id(e->path, &rt, e->container_id))
		return NULL;
	if (!ctr_name(&w->roots, rt, e->container_id, buf, size))
		snprintf(buf, size, "%.*s", CGNAME_SHORT_ID, e->container_id);
	return buf;
}

/*
 * Bind e (path and id set) under its derived name; a name taken falls
 * back as cgname_fallback() says, so the choice depends only on the
 * names already bound.
 */
static int bind_entry(struct watch *w, struct watch_entry *e,
		      struct wfqnl_err *err)
{
	const char *base = strrchr(e->path, '/') + 1;
	const char *rel = e->path + strlen(w->o.dir) + 1;
	char derived[WFQMON_NAME_MAX + 1], container[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;
	struct cg_handle h;
	bool defaulted;
	uint64_t id;
	int ret;

	if (cg_open_path(e->path, &h, err))
		return -err->errnum;
	ret = cg_id(&h, &id, err);
	if (!ret && id != e->cgroup_id)
		ret = wfqnl_err_explain(err, ESTALE,
					"cgroup %s: made again while binding",
					e->path);
	if (!ret)
		ret = cg_bind_weight(&h, &e->weight, &defaulted, err);
	if (ret) {
		cg_close(&h);
		return ret;
	}
	cgname_derive(base, container_name(w, e, container, sizeof(container)),
		      derived);
	snprintf(e->name, sizeof(e->name), "%s", derived);
	for (int attempt = 1;; attempt++) {
		ret = wfqnl_group_new(w->nl, e->name, e->weight,
				      wfqnl_bind_fd(h.dir_fd), &g, err);
		if (ret != -EEXIST || attempt > 2)
			break;
		cgname_fallback(derived, rel, e->cgroup_id, attempt, e->name);
	}
	cg_close(&h);
	if (ret)
		return ret;
	e->group_id = g.id;
	tell(w, "bind", e, defaulted ? "(no cpu.weight: default)" : NULL);
	return 0;
}

static void unbind_entry(struct watch *w, struct watch_entry *e,
			 const char *why)
{
	struct wfqnl_err err;

	if (!e->group_id)
		return;
	/* ENOENT: someone else removed it; gone either way. */
	if (wfqnl_group_del(w->nl, wfqnl_ref_id(e->group_id), &err) &&
	    err.errnum != ENOENT) {
		fprintf(stderr, "wfqtool: watch: %s\n", err.msg);
		return;
	}
	tell(w, "unbind", e, why);
	e->group_id = 0;
}

/* The cgroup at path (id) was found by this rescan. */
static int found(struct watch *w, const char *path, uint64_t id,
		 struct wfqnl_err *err)
{
	struct watch_entry *e = find_path(w, path);
	int ret;

	if (e && e->cgroup_id == id) {
		e->seen = true;
		return 0;
	}
	if (e) {
		/* Removed and made again under the same name. */
		unbind_entry(w, e, "(replaced)");
	} else {
		e = add_entry(w);
		if (!e)
			return wfqnl_err_set(err, ENOMEM, "watch");
		snprintf(e->path, sizeof(e->path), "%s", path);
	}
	e->cgroup_id = id;
	e->seen = true;
	ret = bind_entry(w, e, err);
	if (ret && cgroup_error(-ret)) {
		/* Told once: the entry stays, unbound, until the cgroup goes. */
		fprintf(stderr, "wfqtool: watch: skip cgroup %s: %s\n", path,
			err->msg);
		return 0;
	}
	return ret;
}

static bool wanted(const struct watch *w, const char *name)
{
	return !w->o.match || !fnmatch(w->o.match, name, 0);
}

/* The cgroups under path (fd: closed here) to depth levels below it. */
static int scan(struct watch *w, char *path, int fd, unsigned int levels,
		struct wfqnl_err *err)
{
	size_t len = strlen(path);
	struct dirent **names;
	int n, ret = 0;

	/* Watched first, listed second: nothing made in between is lost. */
	inotify_add_watch(w->inotify_fd, path, WATCH_DIR_EVENTS);
	n = scandirat(fd, ".", &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct stat st;
		int sub;

		if (ret || names[i]->d_type != DT_DIR ||
		    !strcmp(name, ".") || !strcmp(name, "..") ||
		    len + 1 + strlen(name) >= PATH_MAX)
			goto next;
		sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sub < 0)
			goto next;	/* gone already */
		sprintf(path + len, "/%s", name);
		if (fstat(sub, &st)) {
			close(sub);
		} else {
			if (wanted(w, name))
				ret = found(w, path, st.st_ino, err);
			if (levels > 1 && !ret)
				ret = scan(w, path, sub, levels - 1, err);
			else
				close(sub);
		}
		path[len] = '\0';
next:
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	close(fd);
	return ret;
}

int watch_sync(struct watch *w, struct wfqnl_err *err)
{
	char path[PATH_MAX];
	size_t kept = 0;
	int fd, ret;

	for (size_t i = 0; i < w->n; i++)
		w->e[i].seen = false;
	snprintf(path, sizeof(path), "%s", w->o.dir);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "cgroup %s", path);
	ret = scan(w, path, fd, w->o.depth, err);
	if (ret)
		return ret;
	for (size_t i = 0; i < w->n; i++) {
		if (!w->e[i].seen) {
			unbind_entry(w, &w->e[i], "(removed)");
			continue;
		}
		if (kept != i)
			w->e[kept] = w->e[i];
		kept++;
	}
	w->n = kept;
	return 0;
}

bool watch_drain_events(struct watch *w)
{
	char buf[4096]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	bool any = false;

	while (read(w->inotify_fd, buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

int watch_weights(struct watch *w, struct wfqnl_err *err)
{
	for (size_t i = 0; i < w->n; i++) {
		struct watch_entry *e = &w->e[i];
		char note[32];
		uint32_t weight;
		struct cg_handle h;
		uint64_t id;
		bool same;

		if (!e->group_id || cg_open_path(e->path, &h, err))
			continue;	/* gone: the next rescan unbinds it */
		same = !cg_id(&h, &id, err) && id == e->cgroup_id &&
		       !cg_read_weight(&h, &weight, err);
		cg_close(&h);
		if (!same || weight == e->weight)
			continue;
		if (wfqnl_group_set(w->nl, wfqnl_ref_id(e->group_id), weight,
				    wfqnl_bind_none(), NULL, err)) {
			if (err->errnum == ENOENT)
				continue;
			return -err->errnum;
		}
		snprintf(note, sizeof(note), "(was %u)", e->weight);
		e->weight = weight;
		tell(w, "weight", e, note);
	}
	return 0;
}

void watch_stop(struct watch *w)
{
	for (size_t i = 0; i < w->n; i++)
		unbind_entry(w, &w->e[i], "(stopping)");
	free(w->e);
	w->e = NULL;
	w->n = w->cap = 0;
	if (w->inotify_fd >= 0)
		close(w->inotify_fd);
	w->inotify_fd = -1;
}
