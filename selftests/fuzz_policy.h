/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic netlink family as the kernel describes it: nlctrl's
 * CTRL_CMD_GETFAMILY (id, version, ops and their flags) and
 * CTRL_CMD_GETPOLICY (each op's attribute policy). And a model of the
 * kernel's strict attribute validation against such a policy, which
 * predicts what the kernel answers to any attribute bytes.
 */
#ifndef WFQ_FUZZ_POLICY_H
#define WFQ_FUZZ_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_nl.h"

#define FUZZ_MAX_OPS		32
#define FUZZ_MAX_POLICIES	8
/* Attribute types above this are never in a policy we model. */
#define FUZZ_MAX_ATTR		63
#define FUZZ_NO_POLICY		(-1)

/* One attribute type of a policy; type NL_ATTR_TYPE_INVALID: rejected. */
struct fuzz_attr_pol {
	uint32_t type;			/* enum netlink_attribute_type */
	bool has_range_u, has_range_s, has_mask;
	uint64_t min_u, max_u, mask;
	int64_t min_s, max_s;
	uint32_t min_len, max_len;	/* 0: not given */
	uint32_t bitfield32_mask;
	int nested;			/* policy index, or FUZZ_NO_POLICY */
	uint32_t nested_maxtype;
};

struct fuzz_policy {
	uint32_t maxtype;		/* highest listed attribute */
	struct fuzz_attr_pol attr[FUZZ_MAX_ATTR + 1];
};

struct fuzz_op {
	uint32_t cmd;
	uint32_t flags;			/* GENL_ADMIN_PERM, GENL_CMD_CAP_* */
	int do_policy, dump_policy;	/* index, or FUZZ_NO_POLICY */
};

struct fuzz_family {
	uint16_t id;
	uint32_t version, hdrsize, maxattr;
	int n_ops;
	struct fuzz_op ops[FUZZ_MAX_OPS];
	struct fuzz_policy policy[FUZZ_MAX_POLICIES];
};

/* Fill fam from nlctrl; on failure why[] names the step. */
int fuzz_family_discover(const struct fuzz_sock *s, const char *name,
			 struct fuzz_family *fam, char *why, size_t why_size);
/* Every registered family id (a CTRL_CMD_GETFAMILY dump). */
int fuzz_family_ids(const struct fuzz_sock *s, uint16_t *ids, int max,
		    int *n);
const struct fuzz_op *fuzz_family_op(const struct fuzz_family *fam,
				     uint32_t cmd);

/* The kernel's verdict on one request, as far as the model knows it. */
struct fuzz_verdict {
	int err;		/* 0 or -errno */
	int bad_off;		/* NLMSGERR_ATTR_OFFS expected, or -1: none */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE expected, or 0 */
	bool msg;		/* an extack message is expected */
};

/*
 * Validate attrs (len bytes at offset attrs_off of the message msg)
 * against policy pol like __nla_validate_parse() in strict mode. On
 * success tb[type] holds the last attribute of each type (NULL if
 * absent), as the kernel's attribute table would.
 */
void fuzz_policy_validate(const struct fuzz_family *fam, int pol,
			  const uint8_t *msg, size_t attrs_off, int len,
			  const struct nlattr *tb[FUZZ_MAX_ATTR + 1],
			  struct fuzz_verdict *v);

#endif /* WFQ_FUZZ_POLICY_H */
