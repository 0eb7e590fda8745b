/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Is a message from the kernel well formed? An NLMSG_ERROR with its
 * extended-ack attributes, an NLMSG_DONE, or a wfqmon group or stats
 * message whose every attribute has the type, size and range the uapi
 * header promises (and nothing that looks like a kernel pointer).
 * Each check returns 0, or -EBADMSG with why[] saying what is wrong.
 */
#ifndef WFQ_FUZZ_REPLY_H
#define WFQ_FUZZ_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/wfqmon.h>

#include "fuzz_policy.h"

struct fuzz_ack {
	int error;
	bool has_msg, has_offs;
	char msg[128];
	uint32_t offs;
	uint32_t miss_type;
};

/* An NLMSG_ERROR answering req (capped: only req's header echoed). */
int fuzz_check_ack(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		   struct fuzz_ack *out, char *why, size_t why_size);
/* An NLMSG_DONE; *error gets the error it carries (0: the dump ended well). */
int fuzz_check_done(const struct nlmsghdr *nlh, int *error, char *why,
		    size_t why_size);

struct fuzz_group_seen {
	uint32_t id;
	char name[WFQMON_NAME_MAX + 1];
	uint32_t weight;
	uint64_t cgroup_id;
};

/* @hist: the request asked for the histograms (GET's HISTOGRAMS flag). */
int fuzz_check_group(const struct nlmsghdr *nlh, const struct fuzz_family *fam,
		     bool hist, struct fuzz_group_seen *out, char *why,
		     size_t why_size);

struct fuzz_stats_seen {
	uint32_t nr_groups, max_groups;
	uint64_t memory_bytes;
};

int fuzz_check_stats(const struct nlmsghdr *nlh, const struct fuzz_family *fam,
		     struct fuzz_stats_seen *out, char *why, size_t why_size);

#endif /* WFQ_FUZZ_REPLY_H */
