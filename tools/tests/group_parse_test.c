// SPDX-License-Identifier: GPL-2.0
/* wfqnl_group_parse() on group messages built here as the module builds them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

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
	struct wfqnl_group g = { 0 };

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

/* One CPU nest as the module writes it; skip = a member to leave out. */
static void put_cpu(struct nl_msg *msg, uint32_t cpu, uint64_t runtime,
		    int skip)
{
	struct nlattr *nest = nla_nest_start(msg, WFQMON_A_GROUP_CPU);

	nla_put_u32(msg, WFQMON_A_CPU_ID, cpu);
	nla_put_u64(msg, WFQMON_A_CPU_RUNTIME_NS, runtime);
	nla_put_u64(msg, WFQMON_A_CPU_WAIT_NS, runtime / 10);
	if (skip != WFQMON_A_CPU_QUANTA)
		nla_put_u64(msg, WFQMON_A_CPU_QUANTA, cpu + 1);
	nla_nest_end(msg, nest);
}

static void test_cpus(struct tap *t)
{
	struct nl_msg *msg = group_msg(WFQMON_HIST_BUCKETS, 0);
	struct wfqnl_err err = { 0 };
	struct wfqnl_cpu *cpus = NULL;
	unsigned int n = 0;
	struct wfqnl_group g;

	if (!tap_ok(t, msg != NULL, "build a group message"))
		return;
	/* Around the other attributes, as a newer module might order them. */
	put_cpu(msg, 0, 5000, 0);
	nla_put_u64(msg, WFQMON_A_GROUP_RUNTIME_NS, 12000);
	put_cpu(msg, 1, 7000, 0);
	put_cpu(msg, 3, 0, 0);
	tap_ok(t, !wfqnl_group_parse(nlmsg_hdr(msg), &g, &err) &&
		  wfqnl_group_has(&g, WFQMON_A_GROUP_CPU) &&
		  g.runtime_ns == 12000,
	       "a reply with CPU nests parses as a group, CPUs marked present");
	if (tap_ok(t, !wfqnl_group_parse_cpus(nlmsg_hdr(msg), &cpus, &n, &err) &&
		      n == 3,
		   "every CPU nest is returned, not only the last"))
		tap_ok(t, cpus[0].cpu == 0 && cpus[0].runtime_ns == 5000 &&
			  cpus[1].cpu == 1 && cpus[1].runtime_ns == 7000 &&
			  cpus[1].wait_ns == 700 && cpus[1].quanta == 2 &&
			  cpus[2].cpu == 3 && cpus[2].runtime_ns == 0,
		       "CPU number, runtime, wait and quanta in the kernel's order");
	free(cpus);
	nlmsg_free(msg);

	msg = group_msg(WFQMON_HIST_BUCKETS, 0);
	if (!msg)
		return;
	tap_ok(t, !wfqnl_group_parse_cpus(nlmsg_hdr(msg), &cpus, &n, &err) &&
		  n == 0 && !cpus,
	       "no CPU nests: zero CPUs, nothing allocated");
	put_cpu(msg, 0, 1, WFQMON_A_CPU_QUANTA);
	tap_ok(t, wfqnl_group_parse_cpus(nlmsg_hdr(msg), &cpus, &n, &err) ==
			  -EPROTO && n == 0 && !cpus,
	       "a CPU nest without quanta is a contract error");
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
	test_cpus(&t);
	return tap_done(&t);
}
