// SPDX-License-Identifier: GPL-2.0
/*
 * The oracle. Each step names the kernel code it models:
 * netlink_rcv_skb() (net/netlink/af_netlink.c), genl_family_rcv_msg()
 * and genl_header_check() (net/netlink/genetlink.c), the policies
 * (fuzz_policy.c), then wfqmon's handlers (kmod/netlink.c) and
 * wfq_group_create()/_rebind() (kmod/group.c), in their order of checks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_model.h"

/* Header flags genl_header_check() lets through (NLM_F_DUMP aside). */
#define FUZZ_GENL_FLAGS_OK	(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)
#define FUZZ_ADMIN_FLAGS	(GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM)

bool fuzz_world_is_ours(const struct fuzz_world *w, const char *name)
{
	return !strncmp(name, w->prefix, strlen(w->prefix));
}

struct fuzz_group *fuzz_world_find_name(const struct fuzz_world *w,
					const char *name)
{
	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		if (w->g[i].used && !strcmp(w->g[i].name, name))
			return (struct fuzz_group *)&w->g[i];
	return NULL;
}

struct fuzz_group *fuzz_world_find_id(const struct fuzz_world *w, uint32_t id)
{
	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		if (w->g[i].used && w->g[i].id == id)
			return (struct fuzz_group *)&w->g[i];
	return NULL;
}

struct fuzz_group *fuzz_world_bound(const struct fuzz_world *w, uint64_t cgid)
{
	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		if (w->g[i].used && w->g[i].cgroup_id == cgid)
			return (struct fuzz_group *)&w->g[i];
	return NULL;
}

struct fuzz_group *fuzz_world_add(struct fuzz_world *w,
				  const struct fuzz_group *g)
{
	for (int i = 0; i < FUZZ_MAX_GROUPS; i++) {
		if (w->g[i].used)
			continue;
		w->g[i] = *g;
		w->g[i].used = true;
		w->g[i].gen = ++w->gen;
		return &w->g[i];
	}
	return NULL;
}

int fuzz_world_count(const struct fuzz_world *w)
{
	int n = 0;

	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		n += w->g[i].used;
	return n;
}

const struct fuzz_cgroup *fuzz_world_cgroup_id(const struct fuzz_world *w,
					       uint64_t id)
{
	for (int i = 0; i < w->n_cgroups; i++)
		if (w->cg[i].id == id)
			return &w->cg[i];
	return NULL;
}

static const struct fuzz_cgroup *cgroup_fd(const struct fuzz_world *w, int fd)
{
	for (int i = 0; i < w->n_cgroups; i++)
		if (w->cg[i].fd == fd)
			return &w->cg[i];
	return NULL;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static bool sys_cgroup_exists(const struct fuzz_world *w, uint64_t id)
{
	return bsearch(&id, w->sys_cgroup, w->n_sys_cgroups,
		       sizeof(w->sys_cgroup[0]), cmp_u64) != NULL;
}

/* wfq_name_char_valid(): printable ASCII but space and '/'. */
static bool name_char_valid(char c)
{
	return c >= 0x21 && c <= 0x7e && c != '/';
}

bool fuzz_name_valid(const char *name)
{
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (const char *c = name; *c; c++)
		if (!name_char_valid(*c))
			return false;
	return true;
}

/* The C string at the start of a NUL_STRING attribute (policy-checked). */
static void attr_cstr(const struct nlattr *a, char *buf, size_t size)
{
	size_t n = strnlen(fuzz_attr_data(a), fuzz_attr_len(a));

	if (n >= size)
		n = size - 1;
	memcpy(buf, fuzz_attr_data(a), n);
	buf[n] = '\0';
}

/* nla_strcmp(): the whole payload minus trailing NULs against str. */
static bool attr_streq(const struct nlattr *a, const char *str)
{
	int len = fuzz_attr_len(a);
	const char *buf = fuzz_attr_data(a);

	while (len > 0 && !buf[len - 1])
		len--;
	return len == (int)strlen(str) && !memcmp(buf, str, len);
}

static uint32_t attr_u32(const struct nlattr *a)
{
	uint64_t v = 0;

	fuzz_attr_uint(a, &v);
	return v;
}

/* What the model is working on: the message, its attributes, a verdict. */
struct req {
	const struct fuzz_world *w;
	const uint8_t *msg;
	const struct nlattr *tb[FUZZ_MAX_ATTR + 1];
	struct fuzz_expect *e;
};

static int fail(struct req *r, int err, const struct nlattr *bad)
{
	r->e->v.err = err;
	r->e->v.msg = true;
	r->e->v.bad_off = bad ? (int)((const uint8_t *)bad - r->msg) : -1;
	return err;
}

static int fail_missing(struct req *r, int err, uint32_t type)
{
	r->e->v.miss_type = type;
	return fail(r, err, NULL);
}

/* wfq_nl_cgroup(): the cgroup named by CGROUP_FD or CGROUP_ID. */
static int resolve_cgroup(struct req *r, uint64_t *cgid)
{
	const struct nlattr *fd = r->tb[WFQMON_A_GROUP_CGROUP_FD];
	const struct nlattr *id = r->tb[WFQMON_A_GROUP_CGROUP_ID];
	const struct fuzz_cgroup *cg;
	uint64_t v;

	if (fd && id)
		return fail(r, -EINVAL, id);
	if (fd) {
		/* cgroup_get_from_fd(): -EBADF for anything not a v2 dir. */
		cg = cgroup_fd(r->w, attr_u32(fd));
		if (!cg)
			return fail(r, -EBADF, fd);
		*cgid = cg->id;
		return 0;
	}
	fuzz_attr_uint(id, &v);
	if (!sys_cgroup_exists(r->w, v))
		return fail(r, -ENOENT, id);
	*cgid = v;
	return 0;
}

static bool has_cgroup(const struct req *r)
{
	return r->tb[WFQMON_A_GROUP_CGROUP_FD] || r->tb[WFQMON_A_GROUP_CGROUP_ID];
}

/* Does a group made in this batch still wait for its id? */
static bool ids_pending(const struct fuzz_world *w)
{
	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		if (w->g[i].used && !w->g[i].id)
			return true;
	return false;
}

/* wfq_nl_group(): the group named by ID and/or NAME. */
static const struct fuzz_group *lookup_group(struct req *r)
{
	const struct nlattr *id = r->tb[WFQMON_A_GROUP_ID];
	const struct nlattr *name = r->tb[WFQMON_A_GROUP_NAME];
	const struct fuzz_group *g;
	char buf[WFQMON_NAME_MAX + 1];

	if (!id && !name) {
		fail_missing(r, -EINVAL, WFQMON_A_GROUP_ID);
		return NULL;
	}
	if (id) {
		g = fuzz_world_find_id(r->w, attr_u32(id));
		if (!g && attr_u32(id) < FUZZ_UNKNOWN_ID_MIN && ids_pending(r->w))
			r->e->forbidden = true;	/* may be a new group's id */
		if (!g) {
			fail(r, -ENOENT, id);
			return NULL;
		}
		if (name && !attr_streq(name, g->name)) {
			fail(r, -EINVAL, name);
			return NULL;
		}
		return g;
	}
	attr_cstr(name, buf, sizeof(buf));
	g = fuzz_world_find_name(r->w, buf);
	if (!g)
		fail(r, -ENOENT, name);
	return g;
}

static void show(struct req *r, const struct fuzz_group *g)
{
	r->e->reply = FUZZ_REPLY_GROUP;
	r->e->slot = g ? (int)(g - r->w->g) : -1;
	r->e->slot_gen = g ? g->gen : 0;
	if (g)
		r->e->shown = *g;
}

static void group_new(struct req *r)
{
	const struct nlattr *name = r->tb[WFQMON_A_GROUP_NAME];
	const struct nlattr *weight = r->tb[WFQMON_A_GROUP_WEIGHT];
	struct fuzz_group *g = &r->e->shown;
	uint64_t cgid;

	if (r->tb[WFQMON_A_GROUP_ID]) {
		fail(r, -EINVAL, r->tb[WFQMON_A_GROUP_ID]);
		return;
	}
	if (!name) {
		fail_missing(r, -EINVAL, WFQMON_A_GROUP_NAME);
		return;
	}
	memset(g, 0, sizeof(*g));
	attr_cstr(name, g->name, sizeof(g->name));
	if (!fuzz_name_valid(g->name)) {
		fail(r, -EINVAL, name);
		return;
	}
	if (!has_cgroup(r)) {
		fail_missing(r, -EINVAL, WFQMON_A_GROUP_CGROUP_FD);
		return;
	}
	g->weight = weight ? attr_u32(weight) : WFQMON_WEIGHT_DEFAULT;
	if (resolve_cgroup(r, &cgid))
		return;
	g->cgroup_id = cgid;
	/* wfq_group_create(), under wfq_lock. */
	if (fuzz_world_find_name(r->w, g->name)) {
		fail(r, -EEXIST, NULL);
		return;
	}
	if (fuzz_world_count(r->w) >= (int)r->w->max_groups) {
		fail(r, -ENOSPC, NULL);
		return;
	}
	if (fuzz_world_bound(r->w, cgid)) {
		fail(r, -EBUSY, NULL);
		return;
	}
	r->e->forbidden = !fuzz_world_is_ours(r->w, g->name) ||
			  !fuzz_world_cgroup_id(r->w, cgid);
	r->e->effect = FUZZ_EFFECT_ADD;
	r->e->reply = FUZZ_REPLY_GROUP;
	r->e->slot = -1;
}

static void group_del(struct req *r)
{
	const struct fuzz_group *g = lookup_group(r);

	if (!g)
		return;
	r->e->forbidden = g->foreign;
	r->e->effect = FUZZ_EFFECT_DEL;
	r->e->slot = g - r->w->g;
	r->e->slot_gen = g->gen;
}

static void group_set(struct req *r)
{
	const struct nlattr *weight = r->tb[WFQMON_A_GROUP_WEIGHT];
	const struct fuzz_group *g, *holder;
	uint64_t cgid = 0;

	if (!weight && !has_cgroup(r)) {
		fail_missing(r, -EINVAL, WFQMON_A_GROUP_WEIGHT);
		return;
	}
	if (has_cgroup(r) && resolve_cgroup(r, &cgid))
		return;
	g = lookup_group(r);
	if (!g)
		return;
	show(r, g);
	if (cgid && cgid != g->cgroup_id) {
		/* wfq_group_rebind(): xa_insert() finds it taken. */
		holder = fuzz_world_bound(r->w, cgid);
		if (holder) {
			fail(r, -EBUSY, NULL);
			r->e->reply = FUZZ_REPLY_NONE;
			return;
		}
		r->e->shown.cgroup_id = cgid;
		r->e->forbidden |= !fuzz_world_cgroup_id(r->w, cgid);
	}
	if (weight)
		r->e->shown.weight = attr_u32(weight);
	r->e->forbidden |= g->foreign;
	r->e->effect = FUZZ_EFFECT_SET;
}

static void group_get(struct req *r, bool reset)
{
	const struct fuzz_group *g = lookup_group(r);

	if (!g)
		return;
	show(r, g);
	r->e->forbidden = reset && g->foreign;
}

/* The handlers of kmod/netlink.c, after the policy let tb through. */
static void handle(struct req *r, uint8_t cmd)
{
	switch (cmd) {
	case WFQMON_CMD_GROUP_NEW:
		return group_new(r);
	case WFQMON_CMD_GROUP_DEL:
		return group_del(r);
	case WFQMON_CMD_GROUP_SET:
		return group_set(r);
	case WFQMON_CMD_GROUP_GET:
		return group_get(r, false);
	case WFQMON_CMD_GROUP_RESET:
		return group_get(r, true);
	case WFQMON_CMD_STATS_GET:
		r->e->reply = FUZZ_REPLY_STATS;
		r->e->nr_groups = fuzz_world_count(r->w);
		return;
	}
	/* An op the model does not know: never generate it. */
	r->e->forbidden = true;
}

/* genl_rcv_msg() .. the handler. Returns 1 when a dump starts. */
static int genl_model(struct req *r, const struct nlmsghdr *nlh)
{
	const struct fuzz_family *fam = r->w->fam;
	const struct genlmsghdr *hdr = NLMSG_DATA(nlh);
	uint16_t flags = nlh->nlmsg_flags;
	size_t hdrlen = GENL_HDRLEN + fam->hdrsize;
	const struct fuzz_op *op;
	bool dump;
	int pol;

	if (nlh->nlmsg_type != fam->id) {
		if (nlh->nlmsg_type != r->w->unknown_family)
			r->e->forbidden = true;	/* someone else's family */
		r->e->v.err = -ENOENT;
		return 0;
	}
	if (nlh->nlmsg_len < NLMSG_LENGTH(hdrlen)) {
		r->e->v.err = -EINVAL;
		return 0;
	}
	/* genl_header_check(): wfqmon validates every command. */
	dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	if (dump)
		flags &= ~NLM_F_DUMP;
	if (hdr->reserved || (flags & ~FUZZ_GENL_FLAGS_OK))
		return fail(r, -EINVAL, NULL), 0;

	op = fuzz_family_op(fam, hdr->cmd);
	if (!op || (r->w->split_ops &&
		    !(op->flags & (dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO)))) {
		r->e->v.err = -EOPNOTSUPP;
		return 0;
	}
	r->e->admin_op = op->flags & FUZZ_ADMIN_FLAGS;
	if (r->e->admin_op && !r->w->privileged) {
		r->e->v.err = -EPERM;
		return 0;
	}
	if (!(op->flags & (dump ? GENL_CMD_CAP_DUMP : GENL_CMD_CAP_DO))) {
		r->e->v.err = -EOPNOTSUPP;
		return 0;
	}
	pol = dump ? op->dump_policy : op->do_policy;
	fuzz_policy_validate(fam, pol, r->msg, NLMSG_LENGTH(hdrlen),
			     nlh->nlmsg_len - NLMSG_LENGTH(hdrlen), r->tb,
			     &r->e->v);
	if (r->e->v.err)
		return 0;
	r->e->hist = hdr->cmd == WFQMON_CMD_GROUP_GET &&
		     r->tb[WFQMON_A_GROUP_HISTOGRAMS];
	if (dump) {
		r->e->reply = FUZZ_REPLY_DUMP;
		if (hdr->cmd != WFQMON_CMD_GROUP_GET)
			r->e->forbidden = true;	/* a dump the model cannot check */
		return 1;
	}
	handle(r, hdr->cmd);
	return 0;
}

/* No answer, no effect: the prediction every message starts from. */
static void expect_nothing(struct fuzz_expect *e)
{
	e->dropped = e->forbidden = e->ack = e->admin_op = false;
	memset(&e->v, 0, sizeof(e->v));
	e->v.bad_off = -1;
	e->reply = FUZZ_REPLY_NONE;
	e->effect = FUZZ_EFFECT_NONE;
	e->slot = -1;
	e->n_replies = 0;
	e->got_ack = e->got_done = false;
	e->got_err = 0;
}

void fuzz_model_unread(struct fuzz_expect *e)
{
	expect_nothing(e);
	e->dropped = true;
}

void fuzz_model_message(const struct fuzz_world *w, const uint8_t *msg,
			size_t len, struct fuzz_expect *e)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)msg;
	struct req r = { .w = w, .msg = msg, .e = e };
	bool dump = false;

	expect_nothing(e);
	/* netlink_rcv_skb(): a length it cannot trust ends the send. */
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > len) {
		e->dropped = true;
		return;
	}
	e->seq = nlh->nlmsg_seq;
	e->type = nlh->nlmsg_type;
	/* Only requests, and no control messages, reach genetlink. */
	if ((nlh->nlmsg_flags & NLM_F_REQUEST) &&
	    nlh->nlmsg_type >= NLMSG_MIN_TYPE)
		dump = genl_model(&r, nlh);
	if (e->v.err) {
		e->reply = FUZZ_REPLY_NONE;
		e->effect = FUZZ_EFFECT_NONE;
	}
	/* A started dump answers with NLMSG_DONE, never an ack. */
	e->ack = !dump && (e->v.err || (nlh->nlmsg_flags & NLM_F_ACK));
}

void fuzz_model_apply(struct fuzz_world *w, struct fuzz_expect *e)
{
	struct fuzz_group *g;

	switch (e->effect) {
	case FUZZ_EFFECT_NONE:
		return;
	case FUZZ_EFFECT_ADD:
		g = fuzz_world_add(w, &e->shown);
		e->slot = g ? (int)(g - w->g) : -1;
		e->slot_gen = g ? g->gen : 0;
		if (g)
			e->shown = *g;
		return;
	case FUZZ_EFFECT_DEL:
		w->g[e->slot].used = false;
		return;
	case FUZZ_EFFECT_SET:
		g = &w->g[e->slot];
		g->weight = e->shown.weight;
		g->cgroup_id = e->shown.cgroup_id;
		return;
	}
}
