// SPDX-License-Identifier: GPL-2.0
/* Checks of everything the kernel sends the fuzzer. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_model.h"
#include "fuzz_reply.h"

/* The largest errno the kernel returns to user space (MAX_ERRNO). */
#define FUZZ_MAX_ERRNO	4095
/*
 * No counter of a group or of the module comes near 2^63; a value up
 * there is a kernel address (0xffff8...) or a counter gone below zero.
 */
#define FUZZ_SANE_U64_MAX	(1ull << 63)

/*
 * What each attribute of a reply must be. K_ANY: not classified yet (a
 * newer attribute): only its framing is checked, so adding attributes to
 * the uapi does not break the fuzzer; give it a kind here to check more.
 */
enum kind { K_ANY, K_REQ, K_U8, K_U32, K_U64, K_STR, K_PAD, K_HIST, K_CPU };

static const enum kind group_kind[WFQMON_A_GROUP_MAX + 1] = {
	[0] = K_REQ,			/* no attribute has type 0 */
	[WFQMON_A_GROUP_ID] = K_U32,
	[WFQMON_A_GROUP_NAME] = K_STR,
	[WFQMON_A_GROUP_WEIGHT] = K_U32,
	[WFQMON_A_GROUP_CGROUP_FD] = K_REQ,
	[WFQMON_A_GROUP_CGROUP_ID] = K_U64,
	[WFQMON_A_GROUP_PAD] = K_PAD,
	[WFQMON_A_GROUP_ACTIVE] = K_U8,
	[WFQMON_A_GROUP_NR_RUNNABLE] = K_U32,
	[WFQMON_A_GROUP_VTIME] = K_U64,
	[WFQMON_A_GROUP_RUNTIME_NS] = K_U64,
	[WFQMON_A_GROUP_QUANTA] = K_U64,
	[WFQMON_A_GROUP_QUANTUM_MAX_NS] = K_U64,
	[WFQMON_A_GROUP_QUANTUM_HIST] = K_HIST,
	[WFQMON_A_GROUP_WAIT_NS] = K_U64,
	[WFQMON_A_GROUP_WAIT_MAX_NS] = K_U64,
	[WFQMON_A_GROUP_ACTIVE_NS] = K_U64,
	[WFQMON_A_GROUP_ACTIVATIONS] = K_U64,
	[WFQMON_A_GROUP_CATCHUPS] = K_U64,
	[WFQMON_A_GROUP_CATCHUP_VTIME] = K_U64,
	[WFQMON_A_GROUP_FORKS] = K_U64,
	[WFQMON_A_GROUP_EXITS] = K_U64,
	[WFQMON_A_GROUP_SINCE_NS] = K_U64,
	[WFQMON_A_GROUP_WAIT_HIST] = K_HIST,
	[WFQMON_A_GROUP_PERCPU] = K_REQ,
	[WFQMON_A_GROUP_CPU] = K_CPU,
	[WFQMON_A_GROUP_HISTOGRAMS] = K_REQ,
	[WFQMON_A_GROUP_LAG] = K_U64,
	[WFQMON_A_GROUP_PARENT_ID] = K_U32,
	[WFQMON_A_GROUP_DEPTH] = K_U32,
	[WFQMON_A_GROUP_NR_ACTIVE_CHILDREN] = K_U32,
};

static const enum kind stats_kind[WFQMON_A_STATS_MAX + 1] = {
	[0] = K_REQ,
	[WFQMON_A_STATS_PAD] = K_PAD,
	[WFQMON_A_STATS_VTIME_MIN] = K_U64,
	[WFQMON_A_STATS_VTIME_AVG] = K_U64,
	[WFQMON_A_STATS_NR_GROUPS] = K_U32,
	[WFQMON_A_STATS_MAX_GROUPS] = K_U32,
	[WFQMON_A_STATS_NR_ACTIVE] = K_U32,
	[WFQMON_A_STATS_WEIGHT_ACTIVE] = K_U64,
	[WFQMON_A_STATS_SWITCHES] = K_U64,
	[WFQMON_A_STATS_RUNTIME_EVENTS] = K_U64,
	[WFQMON_A_STATS_WAKEUPS] = K_U64,
	[WFQMON_A_STATS_FORKS] = K_U64,
	[WFQMON_A_STATS_EXITS] = K_U64,
	[WFQMON_A_STATS_CHARGED_NS] = K_U64,
	[WFQMON_A_STATS_TASKS_TRACKED] = K_U32,
	[WFQMON_A_STATS_TASKS_MAX] = K_U32,
	[WFQMON_A_STATS_TASKS_UNTRACKED] = K_U64,
	[WFQMON_A_STATS_EVENTS_SENT] = K_U64,
	[WFQMON_A_STATS_EVENTS_COALESCED] = K_U64,
	[WFQMON_A_STATS_MEMORY_BYTES] = K_U64,
	[WFQMON_A_STATS_NR_STALLED] = K_U32,
	[WFQMON_A_STATS_STALLS] = K_U64,
};

static int bad(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

int fuzz_check_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		   struct fuzz_ack *out, char *why, size_t why_size)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(sizeof(*e));
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { 0 };
	const struct nlattr *a;
	uint64_t v;
	int rem;

	memset(out, 0, sizeof(*out));
	if (len < 0)
		return bad(why, why_size, "NLMSG_ERROR of %u bytes", nlh->nlmsg_len);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		return bad(why, why_size, "ack not capped despite NETLINK_CAP_ACK");
	if (!!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) != (len > 0))
		return bad(why, why_size, "NLM_F_ACK_TLVS %s but %d bytes of TLVs",
			   nlh->nlmsg_flags & NLM_F_ACK_TLVS ? "set" : "clear", len);
	if (e->error > 0 || e->error < -FUZZ_MAX_ERRNO)
		return bad(why, why_size, "error %d is no -errno", e->error);
	if (memcmp(&e->msg, req, sizeof(*req)))
		return bad(why, why_size, "the ack echoes another header");
	out->error = e->error;

	fuzz_attr_for_each(a, (const uint8_t *)(e + 1), len, rem) {
		uint16_t type = fuzz_attr_type(a);

		if (!type || type > NLMSGERR_ATTR_MAX || tb[type])
			return bad(why, why_size, "ack TLV %u unknown or repeated",
				   type);
		tb[type] = a;
	}
	if (rem)
		return bad(why, why_size, "%d bytes after the ack's TLVs", rem);

	a = tb[NLMSGERR_ATTR_MSG];
	if (a) {
		int n = fuzz_attr_len(a);
		const char *s = fuzz_attr_data(a);

		if (n < 2 || s[n - 1] || strlen(s) != (size_t)n - 1)
			return bad(why, why_size, "extack message not one string");
		out->has_msg = true;
		snprintf(out->msg, sizeof(out->msg), "%s", s);
	}
	if (!e->error && (tb[NLMSGERR_ATTR_OFFS] || tb[NLMSGERR_ATTR_POLICY] ||
			  tb[NLMSGERR_ATTR_MISS_TYPE] || tb[NLMSGERR_ATTR_MISS_NEST]))
		return bad(why, why_size, "a success ack names a culprit");
	a = tb[NLMSGERR_ATTR_OFFS];
	if (a) {
		if (!fuzz_attr_uint(a, &v) || fuzz_attr_len(a) != 4)
			return bad(why, why_size, "NLMSGERR_ATTR_OFFS not a u32");
		if (v < NLMSG_LENGTH(GENL_HDRLEN) || v + NLA_HDRLEN > req->nlmsg_len)
			return bad(why, why_size,
				   "NLMSGERR_ATTR_OFFS %llu outside the %u-byte request",
				   (unsigned long long)v, req->nlmsg_len);
		out->has_offs = true;
		out->offs = v;
	}
	a = tb[NLMSGERR_ATTR_MISS_TYPE];
	if (a) {
		if (!fuzz_attr_uint(a, &v) || fuzz_attr_len(a) != 4 || !v)
			return bad(why, why_size, "NLMSGERR_ATTR_MISS_TYPE not a type");
		out->miss_type = v;
	}
	return 0;
}

int fuzz_check_done(const struct nlmsghdr *nlh, int *error, char *why,
		    size_t why_size)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*error)))
		return bad(why, why_size, "NLMSG_DONE of %u bytes", nlh->nlmsg_len);
	if (!(nlh->nlmsg_flags & NLM_F_MULTI))
		return bad(why, why_size, "NLMSG_DONE without NLM_F_MULTI");
	memcpy(error, NLMSG_DATA(nlh), sizeof(*error));
	return 0;
}

/* A histogram nest: WFQMON_HIST_BUCKETS u64 buckets, pads aside. */
static int check_hist(const struct nlattr *nest, char *why, size_t why_size)
{
	const struct nlattr *a;
	int rem, buckets = 0;
	uint64_t v;

	if (!(nest->nla_type & NLA_F_NESTED))
		return bad(why, why_size, "histogram %u without NLA_F_NESTED",
			   fuzz_attr_type(nest));
	fuzz_attr_for_each(a, fuzz_attr_data(nest), fuzz_attr_len(nest), rem) {
		if (a->nla_type == WFQMON_A_HIST_PAD && !fuzz_attr_len(a))
			continue;
		if (a->nla_type != WFQMON_A_HIST_BUCKET || fuzz_attr_len(a) != 8)
			return bad(why, why_size, "histogram holds attribute %u of %d bytes",
				   a->nla_type, fuzz_attr_len(a));
		fuzz_attr_uint(a, &v);
		if (v >= FUZZ_SANE_U64_MAX)
			return bad(why, why_size, "histogram bucket 0x%llx",
				   (unsigned long long)v);
		buckets++;
	}
	if (rem || buckets != WFQMON_HIST_BUCKETS)
		return bad(why, why_size, "histogram of %d buckets, %d bytes left",
			   buckets, rem);
	return 0;
}

/* One CPU's nest: its id and u64 counters, pads aside. */
static int check_cpu(const struct nlattr *nest, char *why, size_t why_size)
{
	const struct nlattr *a;
	int rem, want;
	uint64_t v;

	if (!(nest->nla_type & NLA_F_NESTED))
		return bad(why, why_size, "CPU nest without NLA_F_NESTED");
	fuzz_attr_for_each(a, fuzz_attr_data(nest), fuzz_attr_len(nest), rem) {
		if (a->nla_type == WFQMON_A_CPU_PAD && !fuzz_attr_len(a))
			continue;
		want = a->nla_type == WFQMON_A_CPU_ID ? 4 : 8;
		if (!a->nla_type || a->nla_type > WFQMON_A_CPU_MAX ||
		    fuzz_attr_len(a) != want)
			return bad(why, why_size, "CPU nest holds attribute %u of %d bytes",
				   a->nla_type, fuzz_attr_len(a));
		fuzz_attr_uint(a, &v);
		if (v >= FUZZ_SANE_U64_MAX)
			return bad(why, why_size, "CPU counter 0x%llx",
				   (unsigned long long)v);
	}
	if (rem)
		return bad(why, why_size, "%d bytes left in a CPU nest", rem);
	return 0;
}

/* An attribute not classified yet: only that nests hold whole attributes. */
static int check_framing(const struct nlattr *a, char *why, size_t why_size)
{
	const struct nlattr *in;
	int rem;

	if (!(a->nla_type & NLA_F_NESTED))
		return 0;
	fuzz_attr_for_each(in, fuzz_attr_data(a), fuzz_attr_len(a), rem)
		;
	if (rem)
		return bad(why, why_size, "nest %u: %d bytes left",
			   fuzz_attr_type(a), rem);
	return 0;
}

/*
 * Walk a wfqmon message: every attribute in the uapi header, not one of
 * the request's, once (CPU nests aside), of its exact size, no flags but
 * on nests; the histograms if and only if @hist (the request asked).
 * seen[] gets each attribute (pads aside).
 */
static int check_attrs(const struct nlmsghdr *nlh, const struct fuzz_family *fam,
		       const enum kind *kinds, int max, bool hist,
		       const struct nlattr **seen, char *why, size_t why_size)
{
	static const int kind_len[] = { [K_U8] = 1, [K_U32] = 4, [K_U64] = 8 };
	const struct genlmsghdr *hdr = NLMSG_DATA(nlh);
	const struct nlattr *a;
	int rem, len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	uint64_t v;

	if (len < 0)
		return bad(why, why_size, "%u bytes: no genl header", nlh->nlmsg_len);
	if (hdr->version != fam->version || hdr->reserved)
		return bad(why, why_size, "genl version %u reserved %u",
			   hdr->version, hdr->reserved);
	fuzz_attr_for_each(a, (const uint8_t *)hdr + GENL_HDRLEN, len, rem) {
		uint16_t type = fuzz_attr_type(a);
		enum kind k = type <= max ? kinds[type] : K_REQ;

		if (k == K_REQ)
			return bad(why, why_size, "attribute %u in a reply", type);
		if (k == K_PAD) {
			if (fuzz_attr_len(a))
				return bad(why, why_size, "pad of %d bytes",
					   fuzz_attr_len(a));
			continue;
		}
		if (k == K_CPU) {
			if (check_cpu(a, why, why_size))
				return -EBADMSG;
			continue;
		}
		if (seen[type])
			return bad(why, why_size, "attribute %u twice", type);
		seen[type] = a;
		if (k == K_ANY) {
			if (check_framing(a, why, why_size))
				return -EBADMSG;
			continue;
		}
		if (k == K_HIST) {
			if (!hist)
				return bad(why, why_size,
					   "histogram %u not asked for", type);
			if (check_hist(a, why, why_size))
				return -EBADMSG;
			continue;
		}
		if (a->nla_type & ~NLA_TYPE_MASK)
			return bad(why, why_size, "attribute %u has flags", type);
		if (k == K_STR)
			continue;
		if (fuzz_attr_len(a) != kind_len[k])
			return bad(why, why_size, "attribute %u: %d bytes, uapi says %d",
				   type, fuzz_attr_len(a), kind_len[k]);
		fuzz_attr_uint(a, &v);
		if (v >= FUZZ_SANE_U64_MAX)
			return bad(why, why_size,
				   "attribute %u = 0x%llx: a kernel pointer?",
				   type, (unsigned long long)v);
	}
	if (rem)
		return bad(why, why_size, "%d bytes after the last attribute", rem);
	for (int t = 1; t <= max; t++)
		if (kinds[t] >= K_U8 && kinds[t] <= K_HIST && kinds[t] != K_PAD &&
		    (kinds[t] != K_HIST || hist) && !seen[t])
			return bad(why, why_size, "attribute %d missing", t);
	return 0;
}

static uint64_t seen_uint(const struct nlattr *a)
{
	uint64_t v = 0;

	fuzz_attr_uint(a, &v);
	return v;
}

int fuzz_check_group(const struct nlmsghdr *nlh, const struct fuzz_family *fam,
		     bool hist, struct fuzz_group_seen *out, char *why,
		     size_t why_size)
{
	const struct nlattr *seen[WFQMON_A_GROUP_MAX + 1] = { 0 };
	const struct nlattr *name;
	int n;

	if (check_attrs(nlh, fam, group_kind, WFQMON_A_GROUP_MAX, hist, seen,
			why, why_size))
		return -EBADMSG;
	name = seen[WFQMON_A_GROUP_NAME];
	n = fuzz_attr_len(name);
	if (n < 2 || n > WFQMON_NAME_MAX + 1 ||
	    ((const char *)fuzz_attr_data(name))[n - 1])
		return bad(why, why_size, "name of %d bytes, or without its NUL", n);
	memcpy(out->name, fuzz_attr_data(name), n);
	if (!fuzz_name_valid(out->name))
		return bad(why, why_size, "name \"%s\" the kernel would refuse",
			   out->name);
	out->id = seen_uint(seen[WFQMON_A_GROUP_ID]);
	out->weight = seen_uint(seen[WFQMON_A_GROUP_WEIGHT]);
	out->cgroup_id = seen_uint(seen[WFQMON_A_GROUP_CGROUP_ID]);
	if (!out->id || out->weight < WFQMON_WEIGHT_MIN ||
	    out->weight > WFQMON_WEIGHT_MAX || !out->cgroup_id)
		return bad(why, why_size, "id %u weight %u cgroup %llu",
			   out->id, out->weight,
			   (unsigned long long)out->cgroup_id);
	if (seen_uint(seen[WFQMON_A_GROUP_ACTIVE]) > 1)
		return bad(why, why_size, "active is neither 0 nor 1");
	return 0;
}

int fuzz_check_stats(const struct nlmsghdr *nlh, const struct fuzz_family *fam,
		     struct fuzz_stats_seen *out, char *why, size_t why_size)
{
	const struct nlattr *seen[WFQMON_A_STATS_MAX + 1] = { 0 };

	if (check_attrs(nlh, fam, stats_kind, WFQMON_A_STATS_MAX, false, seen,
			why, why_size))
		return -EBADMSG;
	out->nr_groups = seen_uint(seen[WFQMON_A_STATS_NR_GROUPS]);
	out->max_groups = seen_uint(seen[WFQMON_A_STATS_MAX_GROUPS]);
	out->memory_bytes = seen_uint(seen[WFQMON_A_STATS_MEMORY_BYTES]);
	if (out->nr_groups > out->max_groups ||
	    seen_uint(seen[WFQMON_A_STATS_TASKS_TRACKED]) >
	    seen_uint(seen[WFQMON_A_STATS_TASKS_MAX]))
		return bad(why, why_size, "%u of %u groups, tasks over capacity",
			   out->nr_groups, out->max_groups);
	return 0;
}
