/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	Documentation/netlink/specs/wfqmon.yaml */
/* YNL-GEN kernel header */
/* YNL-ARG --function-prefix wfq-nl */
/* To regenerate run: tools/net/ynl/ynl-regen.sh */

#ifndef _LINUX_WFQMON_GEN_H
#define _LINUX_WFQMON_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/wfqmon.h>

/* Ops table for wfqmon */
extern const struct genl_split_ops wfqmon_nl_ops[7];

int wfq_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int wfq_nl_group_reset_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);

enum {
	WFQMON_NLGRP_EVENTS,
};

#endif /* _LINUX_WFQMON_GEN_H */
