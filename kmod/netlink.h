/* SPDX-License-Identifier: GPL-2.0 */
/* Request handlers of the wfqmon family (netlink.c), used by genl.c. */
#ifndef _WFQMON_NETLINK_H
#define _WFQMON_NETLINK_H

#include <net/genetlink.h>

enum wfq_mcgrp {
	WFQ_MCGRP_EVENTS,
};

int wfq_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int wfq_nl_group_reset_doit(struct sk_buff *skb, struct genl_info *info);
int wfq_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _WFQMON_NETLINK_H */
