// SPDX-License-Identifier: GPL-2.0
/* STATS_GET: the module's global state. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "wfqnl_priv.h"

static const struct {
	int type;
	size_t off;
} stats_u32_attrs[] = {
	{ WFQMON_A_STATS_NR_GROUPS, offsetof(struct wfqnl_stats, nr_groups) },
	{ WFQMON_A_STATS_MAX_GROUPS, offsetof(struct wfqnl_stats, max_groups) },
	{ WFQMON_A_STATS_NR_ACTIVE, offsetof(struct wfqnl_stats, nr_active) },
	{ WFQMON_A_STATS_TASKS_TRACKED,
	  offsetof(struct wfqnl_stats, tasks_tracked) },
	{ WFQMON_A_STATS_TASKS_MAX, offsetof(struct wfqnl_stats, tasks_max) },
	{ WFQMON_A_STATS_NR_STALLED, offsetof(struct wfqnl_stats, nr_stalled) },
}, stats_u64_attrs[] = {
	{ WFQMON_A_STATS_VTIME_MIN, offsetof(struct wfqnl_stats, vtime_min) },
	{ WFQMON_A_STATS_VTIME_AVG, offsetof(struct wfqnl_stats, vtime_avg) },
	{ WFQMON_A_STATS_WEIGHT_ACTIVE,
	  offsetof(struct wfqnl_stats, weight_active) },
	{ WFQMON_A_STATS_SWITCHES, offsetof(struct wfqnl_stats, switches) },
	{ WFQMON_A_STATS_RUNTIME_EVENTS,
	  offsetof(struct wfqnl_stats, runtime_events) },
	{ WFQMON_A_STATS_WAKEUPS, offsetof(struct wfqnl_stats, wakeups) },
	{ WFQMON_A_STATS_FORKS, offsetof(struct wfqnl_stats, forks) },
	{ WFQMON_A_STATS_EXITS, offsetof(struct wfqnl_stats, exits) },
	{ WFQMON_A_STATS_CHARGED_NS, offsetof(struct wfqnl_stats, charged_ns) },
	{ WFQMON_A_STATS_TASKS_UNTRACKED,
	  offsetof(struct wfqnl_stats, tasks_untracked) },
	{ WFQMON_A_STATS_EVENTS_SENT, offsetof(struct wfqnl_stats, events_sent) },
	{ WFQMON_A_STATS_EVENTS_COALESCED,
	  offsetof(struct wfqnl_stats, events_coalesced) },
	{ WFQMON_A_STATS_MEMORY_BYTES,
	  offsetof(struct wfqnl_stats, memory_bytes) },
	{ WFQMON_A_STATS_STALLS, offsetof(struct wfqnl_stats, stalls) },
};

struct stats_reply {
	struct wfqnl_stats *stats;
	struct wfqnl_err *err;
};

static int stats_reply_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[WFQMON_A_STATS_MAX + 1];
	struct stats_reply *reply = arg;
	struct wfqnl_stats *st = reply->stats;
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, WFQMON_A_STATS_MAX,
			  NULL) < 0)
		return wfqnl_err_set(reply->err, EPROTO,
				     "malformed stats message");
	for (size_t i = 0; !ret && i < ARRAY_SIZE(stats_u32_attrs); i++)
		ret = wfqnl_attr_u32(tb, stats_u32_attrs[i].type,
				     (uint32_t *)((char *)st +
						  stats_u32_attrs[i].off),
				     &st->present);
	for (size_t i = 0; !ret && i < ARRAY_SIZE(stats_u64_attrs); i++)
		ret = wfqnl_attr_u64(tb, stats_u64_attrs[i].type,
				     (uint64_t *)((char *)st +
						  stats_u64_attrs[i].off),
				     &st->present);
	if (ret)
		return wfqnl_err_set(reply->err, -ret,
				     "stats message: attribute of unexpected size");
	return 0;
}

int wfqnl_stats_get(struct wfqnl *nl, struct wfqnl_stats *out,
		    struct wfqnl_err *err)
{
	struct stats_reply reply = { .stats = out, .err = err };
	struct nl_msg *msg;
	int ret;

	memset(out, 0, sizeof(*out));
	msg = wfqnl_msg_new(nl, WFQMON_CMD_STATS_GET, 0, err);
	if (!msg) {
		ret = -err->errnum;
	} else {
		ret = wfqnl_request(nl, msg, stats_reply_fn, &reply, NULL,
				    err);
		nlmsg_free(msg);
	}
	if (!ret && !out->present)
		ret = wfqnl_err_set(err, EPROTO, "no reply");
	if (ret < 0)
		wfqnl_err_wrap(err, "read " WFQMON_FAMILY_NAME " stats");
	return ret;
}
