// SPDX-License-Identifier: GPL-2.0
/* Decode a message carrying a group's attributes into struct wfqnl_group. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "wfqnl_priv.h"

/*
 * Where each fixed-size attribute of a group lands, by type: one table
 * lookup per attribute, so a dump of many groups decodes in one pass.
 */
struct group_field {
	uint16_t off;
	uint8_t size;		/* 0: not a fixed-size member */
};

#define FIELD(member)							\
	{ offsetof(struct wfqnl_group, member),				\
	  sizeof(((struct wfqnl_group *)0)->member) }

static const struct group_field group_fields[WFQMON_A_GROUP_MAX + 1] = {
	[WFQMON_A_GROUP_ID] = FIELD(id),
	[WFQMON_A_GROUP_WEIGHT] = FIELD(weight),
	[WFQMON_A_GROUP_CGROUP_ID] = FIELD(cgroup_id),
	[WFQMON_A_GROUP_NR_RUNNABLE] = FIELD(nr_runnable),
	[WFQMON_A_GROUP_VTIME] = FIELD(vtime),
	[WFQMON_A_GROUP_RUNTIME_NS] = FIELD(runtime_ns),
	[WFQMON_A_GROUP_QUANTA] = FIELD(quanta),
	[WFQMON_A_GROUP_QUANTUM_MAX_NS] = FIELD(quantum_max_ns),
	[WFQMON_A_GROUP_WAIT_NS] = FIELD(wait_ns),
	[WFQMON_A_GROUP_WAIT_MAX_NS] = FIELD(wait_max_ns),
	[WFQMON_A_GROUP_ACTIVE_NS] = FIELD(active_ns),
	[WFQMON_A_GROUP_ACTIVATIONS] = FIELD(activations),
	[WFQMON_A_GROUP_CATCHUPS] = FIELD(catchups),
	[WFQMON_A_GROUP_CATCHUP_VTIME] = FIELD(catchup_vtime),
	[WFQMON_A_GROUP_FORKS] = FIELD(forks),
	[WFQMON_A_GROUP_EXITS] = FIELD(exits),
	[WFQMON_A_GROUP_SINCE_NS] = FIELD(since_ns),
	[WFQMON_A_GROUP_LAG] = FIELD(lag),
	[WFQMON_A_GROUP_PARENT_ID] = FIELD(parent_id),
	[WFQMON_A_GROUP_DEPTH] = FIELD(depth),
	[WFQMON_A_GROUP_NR_ACTIVE_CHILDREN] = FIELD(nr_active_children),
};

/*
 * libnl's nla_ok(), nla_next(), nla_len() and nla_data() are calls into
 * the library; a dump of many groups walks some twenty attributes a
 * group, so these walk them inline (the same checks as nla_ok()).
 */
#define group_for_each_attr(pos, head, len, rem)			\
	for (pos = (head), rem = (len); attr_ok(pos, rem);		\
	     pos = attr_next(pos, &(rem)))

static inline bool attr_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= rem;
}

static inline struct nlattr *attr_next(const struct nlattr *a, int *rem)
{
	int step = NLA_ALIGN(a->nla_len);

	*rem -= step;
	return (struct nlattr *)((char *)a + step);
}

static inline int attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline void *attr_data(const struct nlattr *a)
{
	return (char *)a + NLA_HDRLEN;
}

/* Fill buckets[] (WFQMON_HIST_BUCKETS long) from a nest of HIST_BUCKETs. */
static int parse_hist(struct nlattr *nest, uint64_t *buckets,
		      unsigned int *len)
{
	struct nlattr *bucket;
	int rem;

	group_for_each_attr(bucket, attr_data(nest), attr_len(nest), rem) {
		if (attr_type(bucket) != WFQMON_A_HIST_BUCKET)
			continue;
		if (attr_len(bucket) != sizeof(uint64_t))
			return -EPROTO;
		/* Buckets beyond ours would be a newer contract: ignore. */
		if (*len < WFQMON_HIST_BUCKETS)
			memcpy(&buckets[(*len)++], attr_data(bucket),
			       sizeof(uint64_t));
	}
	return 0;
}

/*
 * Repeated attributes are in the message, not in the parsed table (it
 * keeps the last one): walk the top-level attributes.
 */
static struct nlattr *group_attrs(const struct nlmsghdr *nlh, int *len)
{
	struct genlmsghdr *ghdr = nlmsg_data(nlh);

	*len = genlmsg_attrlen(ghdr, 0);
	return genlmsg_attrdata(ghdr, 0);
}

/* One WFQMON_A_GROUP_CPU nest: every member present, of its size. */
static int parse_cpu(struct nlattr *nest, struct wfqnl_cpu *c)
{
	struct nlattr *tb[WFQMON_A_CPU_MAX + 1];
	uint32_t present = 0;
	int ret;

	if (nla_parse_nested(tb, WFQMON_A_CPU_MAX, nest, NULL) < 0)
		return -EPROTO;
	ret = wfqnl_attr_u32(tb, WFQMON_A_CPU_ID, &c->cpu, &present);
	if (!ret)
		ret = wfqnl_attr_u64(tb, WFQMON_A_CPU_RUNTIME_NS,
				     &c->runtime_ns, &present);
	if (!ret)
		ret = wfqnl_attr_u64(tb, WFQMON_A_CPU_WAIT_NS, &c->wait_ns,
				     &present);
	if (!ret)
		ret = wfqnl_attr_u64(tb, WFQMON_A_CPU_QUANTA, &c->quanta,
				     &present);
	if (!ret && present != ((1u << WFQMON_A_CPU_ID) |
				(1u << WFQMON_A_CPU_RUNTIME_NS) |
				(1u << WFQMON_A_CPU_WAIT_NS) |
				(1u << WFQMON_A_CPU_QUANTA)))
		ret = -EPROTO;
	return ret;
}

int wfqnl_group_parse_cpus(const struct nlmsghdr *nlh, struct wfqnl_cpu **cpus,
			   unsigned int *nr_cpus, struct wfqnl_err *err)
{
	struct wfqnl_cpu *out = NULL;
	unsigned int n = 0, i = 0;
	struct nlattr *a, *head;
	int len, rem;

	*cpus = NULL;
	*nr_cpus = 0;
	head = group_attrs(nlh, &len);
	group_for_each_attr(a, head, len, rem)
		n += attr_type(a) == WFQMON_A_GROUP_CPU;
	if (!n)
		return 0;
	out = calloc(n, sizeof(*out));
	if (!out)
		return wfqnl_err_set(err, ENOMEM, "group message: %u CPUs", n);
	group_for_each_attr(a, head, len, rem) {
		if (attr_type(a) != WFQMON_A_GROUP_CPU)
			continue;
		if (parse_cpu(a, &out[i])) {
			free(out);
			return wfqnl_err_set(err, EPROTO,
					     "group message: CPU entry %u malformed",
					     i);
		}
		i++;
	}
	*cpus = out;
	*nr_cpus = n;
	return 0;
}

static int parse_name(struct nlattr *attr, struct wfqnl_group *g)
{
	int len = attr_len(attr);

	if (len < 1 || len > WFQMON_NAME_MAX + 1)
		return -EPROTO;
	nla_strlcpy(g->name, attr, sizeof(g->name));
	g->present |= 1u << WFQMON_A_GROUP_NAME;
	return 0;
}

/* One top-level attribute of a group message into @g. */
static int parse_group_attr(struct nlattr *a, struct wfqnl_group *g)
{
	int type = attr_type(a);
	const struct group_field *f;
	uint8_t active;
	int ret = 0;

	/* Newer attributes than ours: ignore. */
	if (type > WFQMON_A_GROUP_MAX)
		return 0;
	f = &group_fields[type];
	if (f->size) {
		if ((size_t)attr_len(a) != f->size)
			return -EPROTO;
		/* Constant sizes: a move each, not a call to memcpy(). */
		if (f->size == sizeof(uint64_t))
			memcpy((char *)g + f->off, attr_data(a), sizeof(uint64_t));
		else
			memcpy((char *)g + f->off, attr_data(a), sizeof(uint32_t));
	} else {
		switch (type) {
		case WFQMON_A_GROUP_NAME:
			return parse_name(a, g);
		case WFQMON_A_GROUP_ACTIVE:
			if (attr_len(a) != sizeof(active))
				return -EPROTO;
			memcpy(&active, attr_data(a), sizeof(active));
			g->active = active;
			break;
		case WFQMON_A_GROUP_QUANTUM_HIST:
			g->hist_len = 0;	/* the last one counts */
			ret = parse_hist(a, g->quantum_hist, &g->hist_len);
			break;
		case WFQMON_A_GROUP_WAIT_HIST:
			g->wait_hist_len = 0;
			ret = parse_hist(a, g->wait_hist, &g->wait_hist_len);
			break;
		case WFQMON_A_GROUP_CPU:
			break;		/* wfqnl_group_parse_cpus() */
		default:
			return 0;	/* request-only, padding */
		}
	}
	if (!ret)
		g->present |= 1u << type;
	return ret;
}

int wfqnl_group_parse(const struct nlmsghdr *nlh, struct wfqnl_group *g,
		      struct wfqnl_err *err)
{
	struct nlattr *a, *head;
	int len, rem;

	memset(g, 0, sizeof(*g));
	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return wfqnl_err_set(err, EPROTO, "malformed group message");
	head = group_attrs(nlh, &len);
	group_for_each_attr(a, head, len, rem) {
		if (parse_group_attr(a, g))
			return wfqnl_err_set(err, EPROTO,
					     "group message: attribute %d of unexpected size",
					     attr_type(a));
	}
	return 0;
}
