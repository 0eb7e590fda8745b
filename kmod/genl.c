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

/*
 * The request attributes of SET, DEL and RESET, in enum order, so that
 * DEL and RESET, which only name a group, accept a prefix of it
 * (maxattr NAME).
 */
static const struct nla_policy wfq_group_policy[WFQMON_A_GROUP_CGROUP_ID + 1] = {
	[WFQMON_A_GROUP_ID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME]		= { .type = NLA_NUL_STRING,
					    .len = WFQMON_NAME_MAX },
	[WFQMON_A_GROUP_WEIGHT]		= NLA_POLICY_RANGE(NLA_U32,
							   WFQMON_WEIGHT_MIN,
							   WFQMON_WEIGHT_MAX),
	[WFQMON_A_GROUP_CGROUP_FD]	= NLA_POLICY_FULL_RANGE(NLA_U32,
								&wfq_fd_range),
	[WFQMON_A_GROUP_CGROUP_ID]	= NLA_POLICY_MIN(NLA_U64, 1),
};

/* NEW: the same without ID, which the kernel assigns. */
static const struct nla_policy wfq_group_new_policy[WFQMON_A_GROUP_CGROUP_ID + 1] = {
	[WFQMON_A_GROUP_NAME]		= { .type = NLA_NUL_STRING,
					    .len = WFQMON_NAME_MAX },
	[WFQMON_A_GROUP_WEIGHT]		= NLA_POLICY_RANGE(NLA_U32,
							   WFQMON_WEIGHT_MIN,
							   WFQMON_WEIGHT_MAX),
	[WFQMON_A_GROUP_CGROUP_FD]	= NLA_POLICY_FULL_RANGE(NLA_U32,
								&wfq_fd_range),
	[WFQMON_A_GROUP_CGROUP_ID]	= NLA_POLICY_MIN(NLA_U64, 1),
};

#define WFQ_GROUP_ALL_ATTRS	WFQMON_A_GROUP_CGROUP_ID
#define WFQ_GROUP_SEL_ATTRS	WFQMON_A_GROUP_NAME

/*
 * GET names a group (or dumps them all) and may ask for its histograms
 * and per-CPU counters. The reply-only attributes between NAME and
 * HISTOGRAMS have no entry: strict validation refuses them. The other
 * commands' maxattr stops before PERCPU. Before Linux 6.2 a dump shares
 * its op's policy: the dump handler refuses ID, NAME and PERCPU itself.
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
		.policy		= wfq_group_new_policy,
		.maxattr	= WFQ_GROUP_ALL_ATTRS,
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
		.maxattr	= WFQ_GROUP_ALL_ATTRS,
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
 * Open to every user, like GROUP_GET and STATS_GET (netlink-api.rst,
 * Permissions): the run-state notifications are coalesced to one per
 * event_interval_ms, so a listener learns what a reader polling
 * GROUP_GET at that interval learns, and no more.
 */
static const struct genl_multicast_group wfq_mcgrps[] = {
	[WFQ_MCGRP_EVENTS] = { .name = WFQMON_MCGRP_EVENTS, },
};

struct genl_family wfq_family __ro_after_init = {
	.name		= WFQMON_FAMILY_NAME,
	.version	= WFQMON_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= wfq_ops,
	.n_ops		= ARRAY_SIZE(wfq_ops),
	.mcgrps		= wfq_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(wfq_mcgrps),
	.parallel_ops	= true,
};
