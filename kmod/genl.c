// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/wfqmon.yaml */
/* YNL-GEN kernel source */
/* YNL-ARG --function-prefix wfq-nl */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "genl.h"

#include <uapi/linux/wfqmon.h>

/* Integer value ranges */
static const struct netlink_range_validation wfqmon_a_group_cgroup_fd_range = {
	.max	= S32_MAX,
};

static const struct netlink_range_validation_signed wfqmon_a_group_lag_range = {
	.min	= WFQMON_LAG_MIN,
	.max	= WFQMON_LAG_MAX,
};

/* WFQMON_CMD_GROUP_NEW - do */
static const struct nla_policy wfqmon_group_new_nl_policy[WFQMON_A_GROUP_LAG + 1] = {
	[WFQMON_A_GROUP_NAME] = { .type = NLA_NUL_STRING, .len = WFQMON_NAME_MAX, },
	[WFQMON_A_GROUP_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, WFQMON_WEIGHT_MIN, WFQMON_WEIGHT_MAX),
	[WFQMON_A_GROUP_CGROUP_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &wfqmon_a_group_cgroup_fd_range),
	[WFQMON_A_GROUP_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[WFQMON_A_GROUP_LAG] = NLA_POLICY_FULL_RANGE(NLA_S64, &wfqmon_a_group_lag_range),
};

/* WFQMON_CMD_GROUP_DEL - do */
static const struct nla_policy wfqmon_group_del_nl_policy[WFQMON_A_GROUP_NAME + 1] = {
	[WFQMON_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME] = { .type = NLA_NUL_STRING, .len = WFQMON_NAME_MAX, },
};

/* WFQMON_CMD_GROUP_SET - do */
static const struct nla_policy wfqmon_group_set_nl_policy[WFQMON_A_GROUP_CGROUP_ID + 1] = {
	[WFQMON_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME] = { .type = NLA_NUL_STRING, .len = WFQMON_NAME_MAX, },
	[WFQMON_A_GROUP_WEIGHT] = NLA_POLICY_RANGE(NLA_U32, WFQMON_WEIGHT_MIN, WFQMON_WEIGHT_MAX),
	[WFQMON_A_GROUP_CGROUP_FD] = NLA_POLICY_FULL_RANGE(NLA_U32, &wfqmon_a_group_cgroup_fd_range),
	[WFQMON_A_GROUP_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
};

/* WFQMON_CMD_GROUP_GET - do */
static const struct nla_policy wfqmon_group_get_do_nl_policy[WFQMON_A_GROUP_HISTOGRAMS + 1] = {
	[WFQMON_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME] = { .type = NLA_NUL_STRING, .len = WFQMON_NAME_MAX, },
	[WFQMON_A_GROUP_PERCPU] = { .type = NLA_FLAG, },
	[WFQMON_A_GROUP_HISTOGRAMS] = { .type = NLA_FLAG, },
};

/* WFQMON_CMD_GROUP_GET - dump */
static const struct nla_policy wfqmon_group_get_dump_nl_policy[WFQMON_A_GROUP_HISTOGRAMS + 1] = {
	[WFQMON_A_GROUP_HISTOGRAMS] = { .type = NLA_FLAG, },
};

/* WFQMON_CMD_GROUP_RESET - do */
static const struct nla_policy wfqmon_group_reset_nl_policy[WFQMON_A_GROUP_NAME + 1] = {
	[WFQMON_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[WFQMON_A_GROUP_NAME] = { .type = NLA_NUL_STRING, .len = WFQMON_NAME_MAX, },
};

/* Ops table for wfqmon */
const struct genl_split_ops wfqmon_nl_ops[7] = {
	{
		.cmd		= WFQMON_CMD_GROUP_NEW,
		.doit		= wfq_nl_group_new_doit,
		.policy		= wfqmon_group_new_nl_policy,
		.maxattr	= WFQMON_A_GROUP_LAG,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_DEL,
		.doit		= wfq_nl_group_del_doit,
		.policy		= wfqmon_group_del_nl_policy,
		.maxattr	= WFQMON_A_GROUP_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_SET,
		.doit		= wfq_nl_group_set_doit,
		.policy		= wfqmon_group_set_nl_policy,
		.maxattr	= WFQMON_A_GROUP_CGROUP_ID,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_GET,
		.doit		= wfq_nl_group_get_doit,
		.policy		= wfqmon_group_get_do_nl_policy,
		.maxattr	= WFQMON_A_GROUP_HISTOGRAMS,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_GET,
		.dumpit		= wfq_nl_group_get_dumpit,
		.policy		= wfqmon_group_get_dump_nl_policy,
		.maxattr	= WFQMON_A_GROUP_HISTOGRAMS,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= WFQMON_CMD_GROUP_RESET,
		.doit		= wfq_nl_group_reset_doit,
		.policy		= wfqmon_group_reset_nl_policy,
		.maxattr	= WFQMON_A_GROUP_NAME,
		.flags		= GENL_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= WFQMON_CMD_STATS_GET,
		.doit	= wfq_nl_stats_get_doit,
		.flags	= GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group wfqmon_nl_mcgrps[] = {
	[WFQMON_NLGRP_EVENTS] = { "events", },
};
