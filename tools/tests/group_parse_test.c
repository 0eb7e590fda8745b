// SPDX-License-Identifier: GPL-2.0
/* wfqnl_group_parse() on group messages built here as the module builds them. */
#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "../lib/wfqnl.h"
#include "tap.h"

/* A GROUP_GET reply with a quantum and a wait histogram of nbuckets. */
static struct nl_msg *group_msg(unsigned int nbuckets, uint64_t wait_base)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	if (!msg || !genlmsg_put(msg, 0, 0, 1, 0, 0, WFQMON_CMD_GROUP_GET, 1))
		return NULL;
	nla_put_u32(msg, WFQMON_A_GROUP_ID, 7);
	nla_put_u64(msg, WFQMON_A_GROUP_QUANTA, 3);
	nest = nla_nest_start(msg, WFQMON_A_GROUP_QUANTUM_HIST);
	for (unsigned int i = 0; i < nbuckets; i++)
		nla_put_u64(msg, WFQMON_A_HIST_BUCKET, i);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, WFQMON_A_GROUP_WAIT_HIST);
	for (unsigned int i = 0; i < nbuckets; i++)
		nla_put_u64(msg, WFQMON_A_HIST_BUCKET, wait_base + i);
	nla_nest_end(msg, nest);
	return msg;
}

static void test_wait_hist(struct tap *t)
{
	struct nl_msg *msg = group_msg(WFQMON_HIST_BUCKETS, 100);
	struct wfqnl_err err = { 0 };
	struct wfqnl_group g;

	if (!tap_ok(t, msg && !wfqnl_group_parse(nlmsg_hdr(msg), &g, &err),
		    "a reply with both histograms parses"))
		return;
	tap_ok(t, g.wait_hist_len == WFQMON_HIST_BUCKETS &&
		  g.hist_len == WFQMON_HIST_BUCKETS,
	       "all %d buckets of each histogram are kept", WFQMON_HIST_BUCKETS);
	tap_ok(t, g.wait_hist[0] == 100 &&
		  g.wait_hist[WFQMON_HIST_BUCKETS - 1] ==
			  100 + WFQMON_HIST_BUCKETS - 1 &&
		  g.quantum_hist[1] == 1,
	       "wait buckets land in wait_hist, quantum buckets in quantum_hist");
	tap_ok(t, (g.present & (1u << WFQMON_A_GROUP_WAIT_HIST)) &&
		  (g.present & (1u << WFQMON_A_GROUP_QUANTUM_HIST)),
	       "both histograms are marked present");
	nlmsg_free(msg);

	msg = group_msg(WFQMON_HIST_BUCKETS + 5, 0);
	tap_ok(t, msg && !wfqnl_group_parse(nlmsg_hdr(msg), &g, &err) &&
		  g.wait_hist_len == WFQMON_HIST_BUCKETS,
	       "buckets beyond WFQMON_HIST_BUCKETS (a newer module) are ignored");
	nlmsg_free(msg);
}

static void test_no_wait_hist(struct tap *t)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct wfqnl_err err = { 0 };
	struct wfqnl_group g;

	genlmsg_put(msg, 0, 0, 1, 0, 0, WFQMON_CMD_GROUP_GET, 1);
	nla_put_u32(msg, WFQMON_A_GROUP_ID, 7);
	tap_ok(t, !wfqnl_group_parse(nlmsg_hdr(msg), &g, &err) &&
		  g.wait_hist_len == 0 &&
		  !(g.present & (1u << WFQMON_A_GROUP_WAIT_HIST)),
	       "a reply from an older module without wait-hist parses, none present");
	nlmsg_free(msg);
}

int main(void)
{
	struct tap t = { 0 };

	test_wait_hist(&t);
	test_no_wait_hist(&t);
	return tap_done(&t);
}
