// SPDX-License-Identifier: GPL-2.0
/* Decode a message carrying a group's attributes into struct wfqnl_group. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "wfqnl_priv.h"

static const struct {
	int type;
	size_t off;
} group_u64_attrs[] = {
	{ WFQMON_A_GROUP_CGROUP_ID, offsetof(struct wfqnl_group, cgroup_id) },
	{ WFQMON_A_GROUP_VTIME, offsetof(struct wfqnl_group, vtime) },
	{ WFQMON_A_GROUP_RUNTIME_NS, offsetof(struct wfqnl_group, runtime_ns) },
	{ WFQMON_A_GROUP_QUANTA, offsetof(struct wfqnl_group, quanta) },
	{ WFQMON_A_GROUP_QUANTUM_MAX_NS,
	  offsetof(struct wfqnl_group, quantum_max_ns) },
	{ WFQMON_A_GROUP_WAIT_NS, offsetof(struct wfqnl_group, wait_ns) },
	{ WFQMON_A_GROUP_WAIT_MAX_NS, offsetof(struct wfqnl_group, wait_max_ns) },
	{ WFQMON_A_GROUP_ACTIVE_NS, offsetof(struct wfqnl_group, active_ns) },
	{ WFQMON_A_GROUP_ACTIVATIONS,
	  offsetof(struct wfqnl_group, activations) },
	{ WFQMON_A_GROUP_CATCHUPS, offsetof(struct wfqnl_group, catchups) },
	{ WFQMON_A_GROUP_CATCHUP_VTIME,
	  offsetof(struct wfqnl_group, catchup_vtime) },
	{ WFQMON_A_GROUP_FORKS, offsetof(struct wfqnl_group, forks) },
	{ WFQMON_A_GROUP_EXITS, offsetof(struct wfqnl_group, exits) },
	{ WFQMON_A_GROUP_SINCE_NS, offsetof(struct wfqnl_group, since_ns) },
};

/* Fill buckets[] (WFQMON_HIST_BUCKETS long) from a nest of HIST_BUCKETs. */
static int parse_hist(struct nlattr *nest, uint64_t *buckets,
		      unsigned int *len)
{
	struct nlattr *bucket;
	int rem;

	nla_for_each_nested(bucket, nest, rem) {
		if (nla_type(bucket) != WFQMON_A_HIST_BUCKET)
			continue;
		if (nla_len(bucket) != sizeof(uint64_t))
			return -EPROTO;
		/* Buckets beyond ours would be a newer contract: ignore. */
		if (*len < WFQMON_HIST_BUCKETS)
			buckets[(*len)++] = nla_get_u64(bucket);
	}
	return 0;
}

static int parse_hist_attr(struct nlattr **tb, int type, uint64_t *buckets,
			   unsigned int *len, uint32_t *present)
{
	int ret;

	if (!tb[type])
		return 0;
	ret = parse_hist(tb[type], buckets, len);
	if (!ret)
		*present |= 1u << type;
	return ret;
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
	nla_for_each_attr(a, head, len, rem)
		n += nla_type(a) == WFQMON_A_GROUP_CPU;
	if (!n)
		return 0;
	out = calloc(n, sizeof(*out));
	if (!out)
		return wfqnl_err_set(err, ENOMEM, "group message: %u CPUs", n);
	nla_for_each_attr(a, head, len, rem) {
		if (nla_type(a) != WFQMON_A_GROUP_CPU)
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
	int len = nla_len(attr);

	if (len < 1 || len > WFQMON_NAME_MAX + 1)
		return -EPROTO;
	nla_strlcpy(g->name, attr, sizeof(g->name));
	g->present |= 1u << WFQMON_A_GROUP_NAME;
	return 0;
}

int wfqnl_group_parse(const struct nlmsghdr *nlh, struct wfqnl_group *g,
		      struct wfqnl_err *err)
{
	struct nlattr *tb[WFQMON_A_GROUP_MAX + 1];
	uint8_t active = 0;
	int ret;

	memset(g, 0, sizeof(*g));
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, WFQMON_A_GROUP_MAX,
			  NULL) < 0)
		return wfqnl_err_set(err, EPROTO, "malformed group message");

	ret = wfqnl_attr_u32(tb, WFQMON_A_GROUP_ID, &g->id, &g->present);
	if (!ret)
		ret = wfqnl_attr_u32(tb, WFQMON_A_GROUP_WEIGHT, &g->weight,
				     &g->present);
	if (!ret)
		ret = wfqnl_attr_u32(tb, WFQMON_A_GROUP_NR_RUNNABLE,
				     &g->nr_runnable, &g->present);
	if (!ret)
		ret = wfqnl_attr_u8(tb, WFQMON_A_GROUP_ACTIVE, &active,
				    &g->present);
	for (size_t i = 0; !ret && i < ARRAY_SIZE(group_u64_attrs); i++)
		ret = wfqnl_attr_u64(tb, group_u64_attrs[i].type,
				     (uint64_t *)((char *)g +
						  group_u64_attrs[i].off),
				     &g->present);
	if (!ret && tb[WFQMON_A_GROUP_NAME])
		ret = parse_name(tb[WFQMON_A_GROUP_NAME], g);
	if (!ret)
		ret = parse_hist_attr(tb, WFQMON_A_GROUP_QUANTUM_HIST,
				      g->quantum_hist, &g->hist_len,
				      &g->present);
	if (!ret)
		ret = parse_hist_attr(tb, WFQMON_A_GROUP_WAIT_HIST,
				      g->wait_hist, &g->wait_hist_len,
				      &g->present);
	/* The nests themselves: wfqnl_group_parse_cpus(). */
	if (tb[WFQMON_A_GROUP_CPU])
		g->present |= 1u << WFQMON_A_GROUP_CPU;
	if (ret)
		return wfqnl_err_set(err, -ret,
				     "group message: attribute of unexpected size");
	g->active = active;
	return 0;
}
