// SPDX-License-Identifier: GPL-2.0
/*
 * The wfqmon generic netlink family: operations and their policies.
 * Documentation/netlink/specs/wfqmon.yaml describes the same family.
 *
 * Each operation accepts only the attributes up to its maxattr; the
 * family is new, so strict validation rejects anything else (unknown
 * or unlisted attributes, trailing data).
 */

#include <linux/limits.h>

#include "compat.h"
#include "wfqmon.h"
#include "netlink.h"

/* A file descriptor is a non-negative int (not const: 6.1 wants it so). */
static struct netlink_range_validation wfq_fd_range = {
	.max = INT_MAX,
};

/* An initial lag of at most an hour of CPU per unit of weight, either way. */
static struct netlink_range_validation_signed wfq_lag_range = {
	.min = -WFQMON_LAG_MAX_NS,
	.max = WFQMON_LAG_MAX_NS,
};

/*
 * The request attributes of every group operation, in enum order, so
 * that DEL, GET and RESET, which only name a group, accept a prefix of
 * it (maxattr NAME) and SET one up to CGROUP_ID. NEW refuses ID in its
 * handler: ids are the kernel's. Only NEW reaches LAG; the reply-only
 * attributes before it have no entry, so strict validation refuses them.
 */
static const struct nla_policy wfq_group_policy[WFQMON_A_GROUP_LAG + 1] = {
	[WFQMON_A_GROUP_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME]		= { .type = NLA_NUL_STRING,
					    .len = WFQMON_NAME_MAX },
	[WFQMON_A_GROUP_WEIGHT]		= NLA_POLICY_RANGE(NLA_U32,
							   WFQMON_WEIGHT_MIN,
							   WFQMON_WEIGHT_MAX),
	[WFQMON_A_GROUP_CGROUP_FD]	= NLA_POLICY_FULL_RANGE(NLA_U32,
								&wfq_fd_range),
	[WFQMON_A_GROUP_CGROUP_ID]	= NLA_POLICY_MIN(NLA_U64, 1),
	[WFQMON_A_GROUP_LAG]		= NLA_POLICY_FULL_RANGE_SIGNED(NLA_S64,
								       &wfq_lag_range),
};

#define WFQ_GROUP_NEW_ATTRS	WFQMON_A_GROUP_LAG
#define WFQ_GROUP_SET_ATTRS	WFQMON_A_GROUP_CGROUP_ID
#define WFQ_GROUP_SEL_ATTRS	WFQMON_A_GROUP_NAME

/*
 * GET names a group (or dumps them all) and may ask for its histograms
 * and per-CPU counters. The reply-only attributes between NAME and
 * HISTOGRAMS have no entry: strict validation refuses them. The other
 * commands' maxattr stops before PERCPU.
 */
static const struct nla_policy wfq_group_get_policy[WFQMON_A_GROUP_HISTOGRAMS + 1] = {
	[WFQMON_A_GROUP_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME]		= { .type = NLA_NUL_STRING,
					    .len = WFQMON_NAME_MAX },
	[WFQMON_A_GROUP_PERCPU]		= { .type = NLA_FLAG },
	[WFQMON_A_GROUP_HISTOGRAMS]	= { .type = NLA_FLAG },
};

static const struct genl_ops wfq_ops[] = {
	{
		.cmd		= WFQMON_CMD_GROUP_NEW,
		.doit		= wfq_nl_group_new_doit,
		.policy		= wfq_group_policy,
		.maxattr	= WFQ_GROUP_NEW_ATTRS,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_DEL,
		.doit		= wfq_nl_group_del_doit,
		.policy		= wfq_group_policy,
		.maxattr	= WFQ_GROUP_SEL_ATTRS,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_SET,
		.doit		= wfq_nl_group_set_doit,
		.policy		= wfq_group_policy,
		.maxattr	= WFQ_GROUP_SET_ATTRS,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_GET,
		.doit		= wfq_nl_group_get_doit,
		.dumpit		= wfq_nl_group_get_dumpit,
		.policy		= wfq_group_get_policy,
		.maxattr	= WFQMON_A_GROUP_HISTOGRAMS,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_RESET,
		.doit		= wfq_nl_group_reset_doit,
		.policy		= wfq_group_policy,
		.maxattr	= WFQ_GROUP_SEL_ATTRS,
		.flags		= GENL_ADMIN_PERM,
	},
	{
		.cmd		= WFQMON_CMD_STATS_GET,
		.doit		= wfq_nl_stats_get_doit,
	},
};

/*
 * Listening needs CAP_NET_ADMIN in the initial user namespace, like
 * writing: events push to the listener when another container's group
 * starts and stops running. A kernel that cannot require it gets no
 * events group (compat.h).
 */
#if WFQ_HAVE_ADMIN_MCAST
static const struct genl_multicast_group wfq_mcgrps[] = {
	[WFQ_MCGRP_EVENTS] = {
		.name	= WFQMON_MCGRP_EVENTS,
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
	},
};
#endif

struct genl_family wfq_family __ro_after_init = {
	.name		= WFQMON_FAMILY_NAME,
	.version	= WFQMON_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= wfq_ops,
	.n_ops		= ARRAY_SIZE(wfq_ops),
#if WFQ_HAVE_ADMIN_MCAST
	.mcgrps		= wfq_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(wfq_mcgrps),
#endif
	.parallel_ops	= true,
};
