// SPDX-License-Identifier: GPL-2.0
/*
 * Message generators. A request is first described (struct req_spec:
 * header fields and a list of attributes), then twisted by its category,
 * then laid out byte for byte; values come from the policies nlctrl
 * reported, names and cgroups from the model's world.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_gen.h"

#define MAX_SPEC_ATTRS	8
/* Room for a too-long name: max_len + 2 + up to 19 bytes. */
#define MAX_ATTR_BYTES	(WFQMON_NAME_MAX + 24)
/* The largest attribute type (NLA_TYPE_MASK is an int with high bits set). */
#define MAX_NLA_TYPE	(NLA_TYPE_MASK & 0xffff)
#define NAME_CHARS \
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-" \
	"@:\\+~!\"#$%&'()*,;<=>?[]^`{|}"

const char *const fuzz_cat_name[FUZZ_CAT_NR] = {
	[FUZZ_CAT_VALID] = "valid",
	[FUZZ_CAT_BOUNDARY] = "boundary",
	[FUZZ_CAT_POLICY] = "policy",
	[FUZZ_CAT_SEMANTIC] = "semantic",
	[FUZZ_CAT_HEADER] = "header",
	[FUZZ_CAT_VERSION] = "version",
	[FUZZ_CAT_UNKNOWN] = "unknown",
	[FUZZ_CAT_IGNORED] = "ignored",
	[FUZZ_CAT_MUTATED] = "mutated",
	[FUZZ_CAT_DUMP] = "dump",
	[FUZZ_CAT_TRUNCATED] = "truncated",
};

/* How often each category comes up, in parts of the total. */
static const unsigned int cat_weight[FUZZ_CAT_NR] = {
	[FUZZ_CAT_VALID] = 26,
	[FUZZ_CAT_BOUNDARY] = 10,
	[FUZZ_CAT_POLICY] = 20,
	[FUZZ_CAT_SEMANTIC] = 14,
	[FUZZ_CAT_HEADER] = 8,
	[FUZZ_CAT_VERSION] = 3,
	[FUZZ_CAT_UNKNOWN] = 5,
	[FUZZ_CAT_IGNORED] = 3,
	[FUZZ_CAT_MUTATED] = 8,
	[FUZZ_CAT_DUMP] = 2,
	[FUZZ_CAT_TRUNCATED] = 1,
};

void fuzz_rng_seed(struct fuzz_rng *r, uint64_t seed)
{
	/* splitmix64 once: any seed, even 0, gives a good state. */
	seed += 0x9e3779b97f4a7c15ull;
	seed = (seed ^ (seed >> 30)) * 0xbf58476d1ce4e5b9ull;
	seed = (seed ^ (seed >> 27)) * 0x94d049bb133111ebull;
	r->state = (seed ^ (seed >> 31)) | 1;
}

uint64_t fuzz_rand(struct fuzz_rng *r)
{
	uint64_t x = r->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->state = x;
	return x * 0x2545f4914f6cdd1dull;
}

uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n)
{
	return (uint32_t)((fuzz_rand(r) >> 32) * n >> 32);
}

static bool chance(struct fuzz_gen *g, unsigned int percent)
{
	return fuzz_below(&g->rng, 100) < percent;
}

enum fuzz_cat fuzz_gen_pick(struct fuzz_gen *g)
{
	unsigned int total = 0, x;
	int c;

	for (c = 0; c < FUZZ_CAT_NR; c++)
		total += cat_weight[c];
	x = fuzz_below(&g->rng, total);
	for (c = 0; x >= cat_weight[c]; c++)
		x -= cat_weight[c];
	return c;
}

struct attr_spec {
	uint16_t type;		/* with NLA_F_* flags */
	uint16_t len;		/* payload bytes */
	int nla_len;		/* header's nla_len if not len + 4, or -1 */
	uint8_t data[MAX_ATTR_BYTES];
};

struct req_spec {
	uint16_t type, flags;
	uint8_t cmd, version, reserved;
	int n;
	struct attr_spec a[MAX_SPEC_ATTRS];
	int trailing;		/* junk bytes after the attributes */
	int nlmsg_len;		/* header's nlmsg_len if not natural, or -1 */
	bool cut;		/* lay out only nlmsg_len bytes */
};

static struct attr_spec *add_attr(struct req_spec *s, uint16_t type,
				  const void *data, size_t len)
{
	struct attr_spec *a;

	if (s->n == MAX_SPEC_ATTRS)
		return NULL;
	if (len > MAX_ATTR_BYTES)
		len = MAX_ATTR_BYTES;
	a = &s->a[s->n++];
	a->type = type;
	a->len = len;
	a->nla_len = -1;
	memcpy(a->data, data, len);
	return a;
}

static void add_u32(struct req_spec *s, uint16_t type, uint32_t v)
{
	add_attr(s, type, &v, sizeof(v));
}

static void add_u64(struct req_spec *s, uint16_t type, uint64_t v)
{
	add_attr(s, type, &v, sizeof(v));
}

static void add_str(struct req_spec *s, uint16_t type, const char *str)
{
	add_attr(s, type, str, strlen(str) + 1);
}

static struct attr_spec *find_attr(struct req_spec *s, uint16_t type)
{
	for (int i = s->n - 1; i >= 0; i--)
		if ((s->a[i].type & NLA_TYPE_MASK) == type)
			return &s->a[i];
	return NULL;
}

static void drop_attr(struct req_spec *s, uint16_t type)
{
	for (int i = 0; i < s->n; i++) {
		if ((s->a[i].type & NLA_TYPE_MASK) != type)
			continue;
		memmove(&s->a[i], &s->a[i + 1], (s->n - i - 1) * sizeof(s->a[0]));
		s->n--;
		i--;
	}
}

/* Returns the offset the message starts at. */
static size_t lay_out(const struct req_spec *s, struct fuzz_buf *b,
		      uint32_t seq)
{
	size_t start = fuzz_msg_begin(b, s->type, s->flags, seq, s->cmd,
				      s->version);
	struct nlmsghdr *nlh;

	b->data[start + NLMSG_HDRLEN + 2] = s->reserved;
	for (int i = 0; i < s->n; i++) {
		const struct attr_spec *a = &s->a[i];
		struct nlattr nla = { .nla_type = a->type,
				      .nla_len = a->nla_len >= 0 ? a->nla_len :
						 NLA_HDRLEN + a->len };

		fuzz_buf_put(b, &nla, sizeof(nla));
		fuzz_buf_put(b, a->data, a->len);
		fuzz_buf_align(b);
	}
	for (int i = 0; i < s->trailing; i++)
		fuzz_buf_put(b, "\xa5", 1);
	fuzz_msg_end(b, start);
	if (b->overflow || s->nlmsg_len < 0)
		return start;
	nlh = (struct nlmsghdr *)(b->data + start);
	nlh->nlmsg_len = s->nlmsg_len;
	if (s->cut && start + s->nlmsg_len < b->len)
		b->len = start + s->nlmsg_len;
	return start;
}

static const struct fuzz_attr_pol *pol_attr(const struct fuzz_world *w,
					    uint8_t cmd, uint16_t type)
{
	const struct fuzz_op *op = fuzz_family_op(w->fam, cmd);
	const struct fuzz_policy *p;

	if (!op || op->do_policy == FUZZ_NO_POLICY)
		return NULL;
	p = &w->fam->policy[op->do_policy];
	if (type > p->maxtype || !p->attr[type].type)
		return NULL;
	return &p->attr[type];
}

/* A value the policy accepts, often one of its ends. */
static uint64_t valid_value(struct fuzz_gen *g, const struct fuzz_attr_pol *p)
{
	uint64_t lo = p->has_range_u ? p->min_u : 0;
	uint64_t hi = p->has_range_u ? p->max_u : UINT32_MAX;

	switch (fuzz_below(&g->rng, 8)) {
	case 0:
		return lo;
	case 1:
		return hi;
	}
	if (hi - lo < UINT32_MAX)
		return lo + fuzz_below(&g->rng, hi - lo + 1);
	return lo + fuzz_rand(&g->rng) % (hi - lo);
}

static uint32_t weight_value(struct fuzz_gen *g)
{
	const struct fuzz_attr_pol *p = pol_attr(g->w, WFQMON_CMD_GROUP_NEW,
						 WFQMON_A_GROUP_WEIGHT);

	return p ? valid_value(g, p) : WFQMON_WEIGHT_DEFAULT;
}

static uint32_t name_max(const struct fuzz_world *w)
{
	const struct fuzz_attr_pol *p = pol_attr(w, WFQMON_CMD_GROUP_NEW,
						 WFQMON_A_GROUP_NAME);

	return p && p->max_len ? p->max_len : WFQMON_NAME_MAX;
}

/* "<prefix><n>-<random chars>", up to len characters in all. */
static void fresh_name(struct fuzz_gen *g, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len + 1, "%s%u-", g->w->prefix, ++g->names);
	n = strlen(buf);
	for (size_t extra = fuzz_below(&g->rng, 8); extra && n < len; extra--)
		buf[n++] = NAME_CHARS[fuzz_below(&g->rng, sizeof(NAME_CHARS) - 1)];
	buf[n] = '\0';
}

/* One of our groups, with a known id if need_id; NULL if none. */
static const struct fuzz_group *pick_group(struct fuzz_gen *g, bool need_id)
{
	const struct fuzz_group *cand[FUZZ_MAX_GROUPS];
	int n = 0;

	for (int i = 0; i < FUZZ_MAX_GROUPS; i++) {
		const struct fuzz_group *x = &g->w->g[i];

		if (x->used && !x->foreign && (x->id || !need_id))
			cand[n++] = x;
	}
	return n ? cand[fuzz_below(&g->rng, n)] : NULL;
}

/* One of our cgroups, preferring a free one. */
static const struct fuzz_cgroup *pick_cgroup(struct fuzz_gen *g, bool free)
{
	const struct fuzz_cgroup *cand[FUZZ_MAX_CGROUPS];
	int n = 0;

	for (int i = 0; i < g->w->n_cgroups; i++)
		if (!free || !fuzz_world_bound(g->w, g->w->cg[i].id))
			cand[n++] = &g->w->cg[i];
	if (!n)
		return &g->w->cg[fuzz_below(&g->rng, g->w->n_cgroups)];
	return cand[fuzz_below(&g->rng, n)];
}

static uint32_t unknown_id(struct fuzz_gen *g)
{
	uint32_t id;

	do
		id = FUZZ_UNKNOWN_ID_MIN +
		     fuzz_below(&g->rng, UINT32_MAX - FUZZ_UNKNOWN_ID_MIN);
	while (fuzz_world_find_id(g->w, id));
	return id;
}

static void unknown_name(struct fuzz_gen *g, char *buf)
{
	snprintf(buf, WFQMON_NAME_MAX + 1, "%snx%08x", g->w->prefix,
		 (uint32_t)fuzz_rand(&g->rng));
}

/* Name a group by id, name or both; NULL: one that does not exist. */
static void add_ref(struct fuzz_gen *g, struct req_spec *s,
		    const struct fuzz_group *grp)
{
	char name[WFQMON_NAME_MAX + 1];
	unsigned int how = fuzz_below(&g->rng, 3);

	if (grp && !grp->id)
		how = 1;
	if (how != 1)
		add_u32(s, WFQMON_A_GROUP_ID, grp ? grp->id : unknown_id(g));
	if (how != 0) {
		if (grp)
			add_str(s, WFQMON_A_GROUP_NAME, grp->name);
		else if (how == 1)
			unknown_name(g, name), add_str(s, WFQMON_A_GROUP_NAME, name);
		else
			add_str(s, WFQMON_A_GROUP_NAME, "");
	}
	/* Unknown by id and name: drop the empty name again. */
	if (!grp && how == 2)
		drop_attr(s, WFQMON_A_GROUP_NAME);
}

static void add_cgroup(struct fuzz_gen *g, struct req_spec *s,
		       const struct fuzz_cgroup *cg)
{
	if (chance(g, 50))
		add_u32(s, WFQMON_A_GROUP_CGROUP_FD, cg->fd);
	else
		add_u64(s, WFQMON_A_GROUP_CGROUP_ID, cg->id);
}

static uint8_t pick_cmd(struct fuzz_gen *g)
{
	int groups = 0, free_cg = 0;
	unsigned int w[WFQMON_CMD_STATS_GET + 1] = { 0 }, total = 0, x;
	uint8_t cmd;

	for (int i = 0; i < FUZZ_MAX_GROUPS; i++)
		groups += g->w->g[i].used && !g->w->g[i].foreign;
	for (int i = 0; i < g->w->n_cgroups; i++)
		free_cg += !fuzz_world_bound(g->w, g->w->cg[i].id);
	/* Keep groups coming and going rather than full or empty. */
	w[WFQMON_CMD_GROUP_NEW] = free_cg ? 25 : 4;
	w[WFQMON_CMD_GROUP_DEL] = groups > g->w->n_cgroups / 2 ? 16 : 5;
	w[WFQMON_CMD_GROUP_SET] = 20;
	w[WFQMON_CMD_GROUP_GET] = 15;
	w[WFQMON_CMD_GROUP_RESET] = 10;
	w[WFQMON_CMD_STATS_GET] = 12;
	for (cmd = 0; cmd <= WFQMON_CMD_STATS_GET; cmd++)
		total += w[cmd];
	x = fuzz_below(&g->rng, total);
	for (cmd = 0; x >= w[cmd]; cmd++)
		x -= w[cmd];
	return cmd;
}

static void spec_init(struct fuzz_gen *g, struct req_spec *s, uint8_t cmd)
{
	memset(s, 0, sizeof(*s));
	s->type = g->w->fam->id;
	s->flags = NLM_F_REQUEST;
	if (chance(g, 80))
		s->flags |= NLM_F_ACK;
	if (chance(g, 5))
		s->flags |= NLM_F_ECHO;
	s->cmd = cmd;
	s->version = g->w->fam->version;
	s->nlmsg_len = -1;
}

/* Now and then each flag the op's policy lists (GET's PERCPU, say). */
static void add_flags(struct fuzz_gen *g, struct req_spec *s)
{
	const struct fuzz_op *op = fuzz_family_op(g->w->fam, s->cmd);
	const struct fuzz_policy *p;

	if (!op || op->do_policy == FUZZ_NO_POLICY)
		return;
	p = &g->w->fam->policy[op->do_policy];
	for (uint16_t t = 1; t <= p->maxtype; t++)
		if (p->attr[t].type == NL_ATTR_TYPE_FLAG && chance(g, 30))
			add_attr(s, t, "", 0);
}

/* A well-formed request; it may still meet EEXIST, EBUSY or ENOENT. */
static void gen_valid(struct fuzz_gen *g, struct req_spec *s, uint8_t cmd)
{
	const struct fuzz_group *grp = NULL;
	char name[WFQMON_NAME_MAX + 1];
	bool weight, cgroup;

	spec_init(g, s, cmd);
	if (cmd != WFQMON_CMD_GROUP_NEW && cmd != WFQMON_CMD_STATS_GET)
		grp = chance(g, 90) ? pick_group(g, false) : NULL;
	switch (cmd) {
	case WFQMON_CMD_GROUP_NEW:
		grp = chance(g, 10) ? pick_group(g, false) : NULL;
		if (grp)
			add_str(s, WFQMON_A_GROUP_NAME, grp->name);
		else
			fresh_name(g, name, name_max(g->w)),
			add_str(s, WFQMON_A_GROUP_NAME, name);
		if (chance(g, 70))
			add_u32(s, WFQMON_A_GROUP_WEIGHT, weight_value(g));
		add_cgroup(g, s, pick_cgroup(g, chance(g, 90)));
		break;
	case WFQMON_CMD_GROUP_SET:
		add_ref(g, s, grp);
		weight = chance(g, 70);
		cgroup = !weight || chance(g, 40);
		if (weight)
			add_u32(s, WFQMON_A_GROUP_WEIGHT, weight_value(g));
		if (cgroup)
			add_cgroup(g, s, pick_cgroup(g, chance(g, 70)));
		break;
	case WFQMON_CMD_GROUP_DEL:
	case WFQMON_CMD_GROUP_GET:
	case WFQMON_CMD_GROUP_RESET:
		add_ref(g, s, grp);
		break;
	}
	add_flags(g, s);
	/* Attributes in any order: the kernel does not care. */
	if (s->n > 1 && chance(g, 20)) {
		struct attr_spec t = s->a[0];

		s->a[0] = s->a[s->n - 1];
		s->a[s->n - 1] = t;
	}
}

static void set_u32(struct attr_spec *a, uint32_t v)
{
	a->len = sizeof(v);
	memcpy(a->data, &v, sizeof(v));
}

/* Edges of what the policy and the handlers accept. */
static void gen_boundary(struct fuzz_gen *g, struct req_spec *s)
{
	const struct fuzz_attr_pol *wp = pol_attr(g->w, WFQMON_CMD_GROUP_NEW,
						  WFQMON_A_GROUP_WEIGHT);
	char name[WFQMON_NAME_MAX + 8];
	struct attr_spec *a;
	size_t n;

	gen_valid(g, s, pick_cmd(g));
	switch (fuzz_below(&g->rng, 8)) {
	case 0:	/* the weight's exact limits */
		a = find_attr(s, WFQMON_A_GROUP_WEIGHT);
		if (a && wp)
			set_u32(a, chance(g, 50) ? wp->min_u : wp->max_u);
		break;
	case 1:	/* a name of exactly the longest length */
		a = find_attr(s, WFQMON_A_GROUP_NAME);
		if (a && s->cmd == WFQMON_CMD_GROUP_NEW) {
			fresh_name(g, name, name_max(g->w));
			for (n = strlen(name); n < name_max(g->w); n++)
				name[n] = 'x';
			name[n] = '\0';
			a->len = n + 1;
			memcpy(a->data, name, a->len);
		}
		break;
	case 2:	/* bytes after the name's NUL */
		a = find_attr(s, WFQMON_A_GROUP_NAME);
		if (a && a->len + 3u <= name_max(g->w))
			memcpy(a->data + a->len, "ab", 3), a->len += 3;
		break;
	case 3:	/* every attribute twice: the last one counts */
		for (int i = s->n - 1; i >= 0 && s->n < MAX_SPEC_ATTRS; i--) {
			s->a[s->n] = s->a[i];
			s->n++;
			if (chance(g, 50) && (s->a[i].type & NLA_TYPE_MASK) ==
			    WFQMON_A_GROUP_WEIGHT)
				set_u32(&s->a[i], weight_value(g));
		}
		break;
	case 4:	/* NLA_F_NET_BYTEORDER, which the kernel ignores here */
		for (int i = 0; i < s->n; i++)
			if (s->a[i].len == 4 || s->a[i].len == 8)
				s->a[i].type |= NLA_F_NET_BYTEORDER;
		break;
	case 5:	/* the largest fd, not open */
		a = find_attr(s, WFQMON_A_GROUP_CGROUP_FD);
		if (a)
			set_u32(a, INT_MAX);
		break;
	case 6:	/* cgroup ids: the largest; the root's (refused if bound) */
		a = find_attr(s, WFQMON_A_GROUP_CGROUP_ID);
		if (a) {
			uint64_t id = chance(g, 50) ? UINT64_MAX : 1;

			memcpy(a->data, &id, sizeof(id));
		}
		break;
	case 7:	/* group ids at the ends of the range */
		a = find_attr(s, WFQMON_A_GROUP_ID);
		if (a)
			set_u32(a, chance(g, 50) ? UINT32_MAX : 1);
		break;
	}
}

/* A payload size that the policy type pt always refuses. */
static uint16_t wrong_len(struct fuzz_gen *g, const struct fuzz_attr_pol *pt)
{
	static const uint16_t lens[] = { 0, 1, 2, 3, 5, 6, 7, 8, 12, 16 };
	uint16_t len;

	switch (pt->type) {
	case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_U64:
		do
			len = lens[fuzz_below(&g->rng, 10)];
		while (len == (pt->type == NL_ATTR_TYPE_U32 ? 4 : 8));
		return len;
	case NL_ATTR_TYPE_FLAG:
		return 1 + fuzz_below(&g->rng, 8);
	}
	return 0;	/* strings: empty is invalid too */
}

/* One attribute the op's policy rejects, among otherwise valid ones. */
static void gen_policy(struct fuzz_gen *g, struct req_spec *s)
{
	const struct fuzz_op *op;
	const struct fuzz_policy *p;
	const struct fuzz_attr_pol *pt;
	struct attr_spec bad = { .nla_len = -1 };
	uint16_t type, maxtype;
	int pos;

	/* Without a policy the kernel reads no attributes: nothing to break. */
	do {
		gen_valid(g, s, pick_cmd(g));
		op = fuzz_family_op(g->w->fam, s->cmd);
	} while (!op || op->do_policy == FUZZ_NO_POLICY);
	p = &g->w->fam->policy[op->do_policy];
	maxtype = p->maxtype;
	type = 1 + fuzz_below(&g->rng, maxtype ? maxtype : 1);
	pt = &p->attr[type];
	bad.type = type;

	switch (pt->type ? fuzz_below(&g->rng, 9) : 9) {
	case 0:		/* a payload of a size the type never has */
		bad.len = wrong_len(g, pt);
		memset(bad.data, 0x11, bad.len);
		break;
	case 1:		/* just outside the range */
	case 2:
		if (pt->type == NL_ATTR_TYPE_U32 || pt->type == NL_ATTR_TYPE_U64) {
			uint64_t v = pt->min_u ? pt->min_u - 1 : pt->max_u + 1;

			if (pt->min_u && (pt->max_u == UINT64_MAX ||
					  (pt->type == NL_ATTR_TYPE_U32 &&
					   pt->max_u == UINT32_MAX) || chance(g, 50)))
				v = pt->min_u - 1;
			else if (fuzz_below(&g->rng, 4) == 0)
				v = pt->max_u + 1 + fuzz_below(&g->rng, 1000);
			bad.len = pt->type == NL_ATTR_TYPE_U32 ? 4 : 8;
			memcpy(bad.data, &v, bad.len);
			break;
		}
		/* A string: too long, then. */
		/* fall through */
	case 3:
		/* With its NUL: at least max_len + 1 characters. */
		bad.len = pt->max_len ? pt->max_len + 2 + fuzz_below(&g->rng, 20) :
			  MAX_ATTR_BYTES;
		if (bad.len > MAX_ATTR_BYTES)
			bad.len = MAX_ATTR_BYTES;
		memset(bad.data, 'y', bad.len);
		bad.data[bad.len - 1] = '\0';
		break;
	case 4:		/* a string with no NUL */
		bad.len = pt->type == NL_ATTR_TYPE_NUL_STRING ?
			  1 + fuzz_below(&g->rng, 80) : wrong_len(g, pt);
		memset(bad.data, 'z', bad.len);
		break;
	case 5:		/* NLA_F_NESTED on a plain attribute */
		bad.type |= NLA_F_NESTED;
		bad.len = pt->type == NL_ATTR_TYPE_U64 ? 8 : 4;
		memset(bad.data, 0, bad.len);
		bad.data[0] = 1;
		break;
	case 6:		/* a header that does not fit: parsing stops */
		bad.len = 4;
		bad.nla_len = chance(g, 50) ? fuzz_below(&g->rng, NLA_HDRLEN) :
			      NLA_HDRLEN + 4 + 1 + fuzz_below(&g->rng, 64);
		s->a[s->n < MAX_SPEC_ATTRS ? s->n++ : s->n - 1] = bad;
		return;
	case 7:		/* junk after the last attribute */
		s->trailing = 1 + fuzz_below(&g->rng, 3);
		return;
	default:	/* a type the op does not list, or none at all */
		bad.type = chance(g, 20) ? 0 :
			   maxtype + 1 + fuzz_below(&g->rng, MAX_NLA_TYPE - maxtype);
		if (chance(g, 30))
			bad.type = WFQMON_A_GROUP_WEIGHT;	/* listed by others */
		bad.len = fuzz_below(&g->rng, 12);
		memset(bad.data, 0x5a, bad.len);
		break;
	}
	pos = s->n < MAX_SPEC_ATTRS ? s->n++ : s->n - 1;
	/* Anywhere among the good ones. */
	if (pos > 0 && chance(g, 50)) {
		int at = fuzz_below(&g->rng, pos);

		s->a[pos] = s->a[at];
		pos = at;
	}
	s->a[pos] = bad;
}

/* Past the policy, into what the handlers refuse. */
static void gen_semantic(struct fuzz_gen *g, struct req_spec *s)
{
	static const char *const bad_names[] = {
		"", ".", "..", " ", "a b", "x/y", "\x80", "\xc3\xa9", "tab\t",
	};
	char name[WFQMON_NAME_MAX + 1];
	const struct fuzz_group *other;
	struct attr_spec *a;

	gen_valid(g, s, pick_cmd(g));
	switch (fuzz_below(&g->rng, 7)) {
	case 0:	/* no group named, or nothing to change */
		drop_attr(s, WFQMON_A_GROUP_ID);
		drop_attr(s, WFQMON_A_GROUP_NAME);
		if (s->cmd == WFQMON_CMD_GROUP_SET) {
			drop_attr(s, WFQMON_A_GROUP_WEIGHT);
			drop_attr(s, WFQMON_A_GROUP_CGROUP_FD);
			drop_attr(s, WFQMON_A_GROUP_CGROUP_ID);
			add_ref(g, s, pick_group(g, false));
		}
		break;
	case 1:	/* a name the kernel refuses, or no cgroup */
		if (s->cmd == WFQMON_CMD_GROUP_NEW && chance(g, 70)) {
			drop_attr(s, WFQMON_A_GROUP_NAME);
			snprintf(name, sizeof(name), "%s%s", chance(g, 50) ?
				 g->w->prefix : "",
				 bad_names[fuzz_below(&g->rng, 9)]);
			add_str(s, WFQMON_A_GROUP_NAME, name);
		} else {
			drop_attr(s, WFQMON_A_GROUP_CGROUP_FD);
			drop_attr(s, WFQMON_A_GROUP_CGROUP_ID);
		}
		break;
	case 2:	/* an id on NEW, or id and name of different groups */
		other = pick_group(g, true);
		if (s->cmd == WFQMON_CMD_GROUP_NEW) {
			add_u32(s, WFQMON_A_GROUP_ID, other ? other->id : 1);
		} else if (find_attr(s, WFQMON_A_GROUP_ID)) {
			drop_attr(s, WFQMON_A_GROUP_NAME);
			unknown_name(g, name);
			add_str(s, WFQMON_A_GROUP_NAME, name);
		}
		break;
	case 3:	/* a cgroup given both ways */
		if (find_attr(s, WFQMON_A_GROUP_CGROUP_FD) ||
		    find_attr(s, WFQMON_A_GROUP_CGROUP_ID)) {
			const struct fuzz_cgroup *cg = pick_cgroup(g, true);

			drop_attr(s, WFQMON_A_GROUP_CGROUP_FD);
			drop_attr(s, WFQMON_A_GROUP_CGROUP_ID);
			add_u32(s, WFQMON_A_GROUP_CGROUP_FD, cg->fd);
			add_u64(s, WFQMON_A_GROUP_CGROUP_ID, cg->id);
		}
		break;
	case 4:	/* an fd that is not a cgroup directory */
		a = find_attr(s, WFQMON_A_GROUP_CGROUP_FD);
		if (a)
			set_u32(a, chance(g, 50) ? (uint32_t)g->w->not_cgroup_fd :
				1000 + fuzz_below(&g->rng, 100000));
		break;
	case 5:	/* a cgroup id no cgroup has */
		a = find_attr(s, WFQMON_A_GROUP_CGROUP_ID);
		if (a) {
			uint64_t id = (1ull << 62) + fuzz_rand(&g->rng) % (1ull << 40);

			memcpy(a->data, &id, sizeof(id));
		}
		break;
	default:	/* a group that does not exist */
		if (s->cmd != WFQMON_CMD_GROUP_NEW &&
		    s->cmd != WFQMON_CMD_STATS_GET) {
			drop_attr(s, WFQMON_A_GROUP_ID);
			drop_attr(s, WFQMON_A_GROUP_NAME);
			add_ref(g, s, NULL);
		}
		break;
	}
}

static void gen_header(struct fuzz_gen *g, struct req_spec *s)
{
	static const uint16_t bad_flags[] = {
		NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, 0x40, 0x80,
		NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_APPEND, 0x1000,
		0x2000, 0x4000, 0x8000,
	};
	uint8_t cmd;

	gen_valid(g, s, pick_cmd(g));
	switch (fuzz_below(&g->rng, 4)) {
	case 0:
		s->flags |= bad_flags[fuzz_below(&g->rng, 13)];
		if (chance(g, 20))
			s->flags |= (uint16_t)fuzz_rand(&g->rng) & ~NLM_F_DUMP;
		break;
	case 1:
		s->reserved = 1 + fuzz_below(&g->rng, 255);
		break;
	case 2:	/* nlmsg_len covers the nlmsghdr, not the genl header */
		s->nlmsg_len = NLMSG_HDRLEN + fuzz_below(&g->rng, GENL_HDRLEN);
		s->cut = true;
		break;
	default:	/* a dump of a command that has none */
		do
			cmd = pick_cmd(g);
		while (cmd == WFQMON_CMD_GROUP_GET);
		gen_valid(g, s, cmd);
		s->flags |= NLM_F_DUMP;
		break;
	}
}

static void gen_unknown(struct fuzz_gen *g, struct req_spec *s)
{
	gen_valid(g, s, pick_cmd(g));
	if (chance(g, 30)) {
		s->type = g->w->unknown_family;
		return;
	}
	do
		s->cmd = chance(g, 50) ? fuzz_below(&g->rng, 16) :
			 fuzz_below(&g->rng, 256);
	while (fuzz_family_op(g->w->fam, s->cmd));
}

static void gen_ignored(struct fuzz_gen *g, struct req_spec *s)
{
	gen_valid(g, s, pick_cmd(g));
	if (chance(g, 50))
		s->flags &= ~NLM_F_REQUEST;
	else
		s->type = 1 + fuzz_below(&g->rng, NLMSG_MIN_TYPE - 1);
}

static void gen_dump(struct fuzz_gen *g, struct req_spec *s)
{
	spec_init(g, s, WFQMON_CMD_GROUP_GET);
	switch (fuzz_below(&g->rng, 6)) {
	case 0:
	case 1:	/* the dump ignores a valid selector */
		add_ref(g, s, pick_group(g, false));
		break;
	case 2:	/* but not a policy violation */
		add_u32(s, WFQMON_A_GROUP_WEIGHT, 1);
		break;
	}
	s->flags |= NLM_F_DUMP;
}

static void mutate(struct fuzz_gen *g, struct fuzz_buf *b, size_t start)
{
	size_t len = b->len - start;

	for (int n = 1 + fuzz_below(&g->rng, 4); n; n--) {
		/* Flags (keeping the dump bits) or anything past the seq. */
		if (chance(g, 15)) {
			uint16_t *flags = (uint16_t *)(b->data + start + 6);

			*flags ^= (1u << fuzz_below(&g->rng, 16)) & ~NLM_F_DUMP;
		} else if (len > NLMSG_HDRLEN) {
			size_t at = start + NLMSG_HDRLEN +
				    fuzz_below(&g->rng, len - NLMSG_HDRLEN);

			if (chance(g, 50))
				b->data[at] ^= 1u << fuzz_below(&g->rng, 8);
			else
				b->data[at] = fuzz_rand(&g->rng);
		}
	}
}

static void gen_truncated(struct fuzz_gen *g, struct req_spec *s,
			  struct fuzz_buf *b, uint32_t seq)
{
	struct nlmsghdr *nlh;
	size_t start;

	gen_valid(g, s, pick_cmd(g));
	if (chance(g, 15)) {
		/* Less than a header left in the send. */
		fuzz_buf_align(b);
		fuzz_buf_put(b, "\x10\0\0\0\x22\0\x05", 1 + fuzz_below(&g->rng, 7));
		return;
	}
	start = lay_out(s, b, seq);
	if (b->overflow)
		return;
	/* Shorter than a header, or longer than what is left. */
	nlh = (struct nlmsghdr *)(b->data + start);
	nlh->nlmsg_len = chance(g, 50) ? fuzz_below(&g->rng, NLMSG_HDRLEN) :
			 b->len - start + 1 + fuzz_below(&g->rng, 64);
}

void fuzz_gen_message(struct fuzz_gen *g, enum fuzz_cat cat,
		      struct fuzz_buf *b, uint32_t seq)
{
	struct req_spec s;
	size_t start;

	switch (cat) {
	case FUZZ_CAT_VALID:
		gen_valid(g, &s, pick_cmd(g));
		break;
	case FUZZ_CAT_BOUNDARY:
		gen_boundary(g, &s);
		break;
	case FUZZ_CAT_POLICY:
		gen_policy(g, &s);
		break;
	case FUZZ_CAT_SEMANTIC:
		gen_semantic(g, &s);
		break;
	case FUZZ_CAT_HEADER:
		gen_header(g, &s);
		break;
	case FUZZ_CAT_VERSION:
		gen_valid(g, &s, pick_cmd(g));
		do
			s.version = fuzz_below(&g->rng, 256);
		while (s.version == g->w->fam->version);
		break;
	case FUZZ_CAT_UNKNOWN:
		gen_unknown(g, &s);
		break;
	case FUZZ_CAT_IGNORED:
		gen_ignored(g, &s);
		break;
	case FUZZ_CAT_MUTATED:
		gen_valid(g, &s, pick_cmd(g));
		start = lay_out(&s, b, seq);
		mutate(g, b, start);
		return;
	case FUZZ_CAT_DUMP:
		gen_dump(g, &s);
		break;
	case FUZZ_CAT_TRUNCATED:
		gen_truncated(g, &s, b, seq);
		return;
	default:
		return;
	}
	lay_out(&s, b, seq);
}
