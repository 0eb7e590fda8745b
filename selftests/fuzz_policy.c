// SPDX-License-Identifier: GPL-2.0
/*
 * A family's ops and policies from nlctrl, and a model of the kernel's
 * strict attribute validation (lib/nlattr.c: __nla_validate_parse() and
 * validate_nla(), the same in 6.1 and 6.12 for the types modelled).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_policy.h"

/* MAX_POLICY_RECURSION_DEPTH: nests deeper are refused. */
#define FUZZ_MAX_DEPTH	10

static uint32_t ctrl_seq = 0x7f000000;

static size_t ctrl_begin(struct fuzz_buf *b, uint8_t cmd, uint16_t flags)
{
	fuzz_buf_reset(b);
	return fuzz_msg_begin(b, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK | flags,
			      ++ctrl_seq, cmd, 1);
}

static int put_u16(struct fuzz_buf *b, uint16_t type, uint16_t v)
{
	fuzz_put_attr(b, type, &v, sizeof(v));
	return b->overflow ? -EMSGSIZE : 0;
}

static const struct nlattr *genl_attrs(const struct nlmsghdr *nlh, int *len)
{
	*len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return (const struct nlattr *)((const uint8_t *)NLMSG_DATA(nlh) +
				       GENL_HDRLEN);
}

static int parse_ops(struct fuzz_family *fam, const struct nlattr *ops)
{
	const struct nlattr *op, *a;
	int rem, rem2;

	fuzz_attr_for_each(op, fuzz_attr_data(ops), fuzz_attr_len(ops), rem) {
		struct fuzz_op *o;
		uint64_t v;

		if (fam->n_ops == FUZZ_MAX_OPS)
			return -E2BIG;
		o = &fam->ops[fam->n_ops++];
		o->do_policy = o->dump_policy = FUZZ_NO_POLICY;
		fuzz_attr_for_each(a, fuzz_attr_data(op), fuzz_attr_len(op), rem2) {
			if (!fuzz_attr_uint(a, &v))
				return -EBADMSG;
			if (fuzz_attr_type(a) == CTRL_ATTR_OP_ID)
				o->cmd = v;
			else if (fuzz_attr_type(a) == CTRL_ATTR_OP_FLAGS)
				o->flags = v;
		}
	}
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct fuzz_family *fam = arg;
	const struct nlattr *a, *attrs;
	int len, rem, ret;
	uint64_t v;

	attrs = genl_attrs(nlh, &len);
	fuzz_attr_for_each(a, attrs, len, rem) {
		switch (fuzz_attr_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (!fuzz_attr_uint(a, &v))
				return -EBADMSG;
			fam->id = v;
			break;
		case CTRL_ATTR_VERSION:
		case CTRL_ATTR_HDRSIZE:
		case CTRL_ATTR_MAXATTR:
			if (!fuzz_attr_uint(a, &v))
				return -EBADMSG;
			if (fuzz_attr_type(a) == CTRL_ATTR_VERSION)
				fam->version = v;
			else if (fuzz_attr_type(a) == CTRL_ATTR_HDRSIZE)
				fam->hdrsize = v;
			else
				fam->maxattr = v;
			break;
		case CTRL_ATTR_OPS:
			ret = parse_ops(fam, a);
			if (ret)
				return ret;
			break;
		}
	}
	return 0;
}

static struct fuzz_op *find_op(struct fuzz_family *fam, uint32_t cmd)
{
	for (int i = 0; i < fam->n_ops; i++)
		if (fam->ops[i].cmd == cmd)
			return &fam->ops[i];
	return NULL;
}

const struct fuzz_op *fuzz_family_op(const struct fuzz_family *fam,
				     uint32_t cmd)
{
	return find_op((struct fuzz_family *)fam, cmd);
}

/* CTRL_ATTR_OP_POLICY: { cmd: { POLICY_DO: idx, POLICY_DUMP: idx } } */
static int parse_op_policy(struct fuzz_family *fam, const struct nlattr *nest)
{
	const struct nlattr *op, *a;
	int rem, rem2;
	uint64_t v;

	fuzz_attr_for_each(op, fuzz_attr_data(nest), fuzz_attr_len(nest), rem) {
		struct fuzz_op *o = find_op(fam, fuzz_attr_type(op));

		if (!o)
			return -ENOENT;
		fuzz_attr_for_each(a, fuzz_attr_data(op), fuzz_attr_len(op), rem2) {
			if (!fuzz_attr_uint(a, &v) || v >= FUZZ_MAX_POLICIES)
				return -EBADMSG;
			if (fuzz_attr_type(a) == CTRL_ATTR_POLICY_DO)
				o->do_policy = v;
			else if (fuzz_attr_type(a) == CTRL_ATTR_POLICY_DUMP)
				o->dump_policy = v;
		}
	}
	return 0;
}

static int parse_attr_policy(struct fuzz_attr_pol *p, const struct nlattr *desc)
{
	const struct nlattr *a;
	int rem;
	uint64_t v;

	memset(p, 0, sizeof(*p));
	p->nested = FUZZ_NO_POLICY;
	fuzz_attr_for_each(a, fuzz_attr_data(desc), fuzz_attr_len(desc), rem) {
		if (fuzz_attr_type(a) == NL_POLICY_TYPE_ATTR_PAD)
			continue;
		if (!fuzz_attr_uint(a, &v))
			return -EBADMSG;
		switch (fuzz_attr_type(a)) {
		case NL_POLICY_TYPE_ATTR_TYPE:
			p->type = v;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			p->has_range_s = true;
			p->min_s = (int64_t)v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			p->has_range_s = true;
			p->max_s = (int64_t)v;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			p->has_range_u = true;
			p->min_u = v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			p->has_range_u = true;
			p->max_u = v;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			p->min_len = v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			p->max_len = v;
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			if (v >= FUZZ_MAX_POLICIES)
				return -E2BIG;
			p->nested = v;
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE:
			p->nested_maxtype = v;
			break;
		case NL_POLICY_TYPE_ATTR_BITFIELD32_MASK:
			p->bitfield32_mask = v;
			break;
		case NL_POLICY_TYPE_ATTR_MASK:
			p->has_mask = true;
			p->mask = v;
			break;
		default:
			/* A newer kernel says more than the model knows. */
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

/* Types whose validation the model reproduces exactly. */
static bool type_modelled(const struct fuzz_attr_pol *p)
{
	switch (p->type) {
	case NL_ATTR_TYPE_FLAG:
	case NL_ATTR_TYPE_U8:
	case NL_ATTR_TYPE_U16:
	case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_U64:
	case NL_ATTR_TYPE_S8:
	case NL_ATTR_TYPE_S16:
	case NL_ATTR_TYPE_S32:
	case NL_ATTR_TYPE_S64:
	case NL_ATTR_TYPE_BINARY:
	case NL_ATTR_TYPE_BITFIELD32:
		return true;
	case NL_ATTR_TYPE_STRING:
	case NL_ATTR_TYPE_NUL_STRING:
		/* A length range (not just .len) is validated otherwise. */
		return !p->min_len;
	case NL_ATTR_TYPE_NESTED:
		return true;
	}
	return false;
}

/* CTRL_ATTR_POLICY: { idx: { attr type: { NL_POLICY_TYPE_ATTR_*... } } } */
static int parse_policy(struct fuzz_family *fam, const struct nlattr *nest)
{
	const struct nlattr *pol, *attr;
	int rem, rem2, ret;

	fuzz_attr_for_each(pol, fuzz_attr_data(nest), fuzz_attr_len(nest), rem) {
		uint16_t idx = fuzz_attr_type(pol);
		struct fuzz_policy *p;

		if (idx >= FUZZ_MAX_POLICIES)
			return -E2BIG;
		p = &fam->policy[idx];
		fuzz_attr_for_each(attr, fuzz_attr_data(pol), fuzz_attr_len(pol), rem2) {
			uint16_t type = fuzz_attr_type(attr);

			if (type > FUZZ_MAX_ATTR)
				return -E2BIG;
			ret = parse_attr_policy(&p->attr[type], attr);
			if (ret)
				return ret;
			if (!type_modelled(&p->attr[type]))
				return -EOPNOTSUPP;
			if (type > p->maxtype)
				p->maxtype = type;
		}
	}
	return 0;
}

static int policy_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct fuzz_family *fam = arg;
	const struct nlattr *a, *attrs;
	int len, rem, ret = 0;

	attrs = genl_attrs(nlh, &len);
	fuzz_attr_for_each(a, attrs, len, rem) {
		if (fuzz_attr_type(a) == CTRL_ATTR_OP_POLICY)
			ret = parse_op_policy(fam, a);
		else if (fuzz_attr_type(a) == CTRL_ATTR_POLICY)
			ret = parse_policy(fam, a);
		if (ret)
			return ret;
	}
	return 0;
}

/* GETPOLICY for the whole family: every op's do and dump policy. */
static int dump_policy(const struct fuzz_sock *s, struct fuzz_family *fam)
{
	struct fuzz_buf *b = malloc(sizeof(*b));
	size_t start;
	int ret;

	if (!b)
		return -ENOMEM;
	start = ctrl_begin(b, CTRL_CMD_GETPOLICY, NLM_F_DUMP);
	ret = put_u16(b, CTRL_ATTR_FAMILY_ID, fam->id);
	fuzz_msg_end(b, start);
	if (!ret)
		ret = fuzz_ctrl_request(s, b, policy_cb, fam);
	free(b);
	return ret;
}

int fuzz_family_discover(const struct fuzz_sock *s, const char *name,
			 struct fuzz_family *fam, char *why, size_t why_size)
{
	struct fuzz_buf *b = malloc(sizeof(*b));
	size_t start;
	int ret;

	if (!b)
		return -ENOMEM;
	memset(fam, 0, sizeof(*fam));
	start = ctrl_begin(b, CTRL_CMD_GETFAMILY, 0);
	fuzz_put_str(b, CTRL_ATTR_FAMILY_NAME, name);
	fuzz_msg_end(b, start);
	ret = fuzz_ctrl_request(s, b, family_cb, fam);
	free(b);
	if (ret || !fam->id) {
		snprintf(why, why_size, "nlctrl GETFAMILY %s: %s", name,
			 strerror(ret ? -ret : ENOENT));
		return ret ? ret : -ENOENT;
	}
	ret = dump_policy(s, fam);
	if (ret) {
		snprintf(why, why_size, "nlctrl GETPOLICY %s: %s", name,
			 strerror(-ret));
		return ret;
	}
	return 0;
}

struct id_list {
	uint16_t *ids;
	int max, n;
};

/* Only the id: other families may have more ops than we keep. */
static int family_id_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct id_list *list = arg;
	const struct nlattr *a, *attrs;
	int len, rem;
	uint64_t v;

	attrs = genl_attrs(nlh, &len);
	fuzz_attr_for_each(a, attrs, len, rem) {
		if (fuzz_attr_type(a) != CTRL_ATTR_FAMILY_ID)
			continue;
		if (!fuzz_attr_uint(a, &v))
			return -EBADMSG;
		if (list->n == list->max)
			return -E2BIG;
		list->ids[list->n++] = v;
	}
	return 0;
}

int fuzz_family_ids(const struct fuzz_sock *s, uint16_t *ids, int max, int *n)
{
	struct id_list list = { .ids = ids, .max = max };
	struct fuzz_buf *b = malloc(sizeof(*b));
	size_t start;
	int ret;

	if (!b)
		return -ENOMEM;
	start = ctrl_begin(b, CTRL_CMD_GETFAMILY, NLM_F_DUMP);
	fuzz_msg_end(b, start);
	ret = fuzz_ctrl_request(s, b, family_id_cb, &list);
	free(b);
	*n = list.n;
	return ret;
}

/* nla_attr_len[]: the exact payload size of fixed-size types. */
static int fixed_len(uint32_t type)
{
	switch (type) {
	case NL_ATTR_TYPE_U8:
	case NL_ATTR_TYPE_S8:
		return 1;
	case NL_ATTR_TYPE_U16:
	case NL_ATTR_TYPE_S16:
		return 2;
	case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_S32:
		return 4;
	case NL_ATTR_TYPE_U64:
	case NL_ATTR_TYPE_S64:
		return 8;
	}
	return 0;
}

static bool is_signed(uint32_t type)
{
	return type == NL_ATTR_TYPE_S8 || type == NL_ATTR_TYPE_S16 ||
	       type == NL_ATTR_TYPE_S32 || type == NL_ATTR_TYPE_S64;
}

static int64_t sign_extend(uint64_t v, int bytes)
{
	int shift = 64 - 8 * bytes;

	return (int64_t)(v << shift) >> shift;
}

static void reject(struct fuzz_verdict *v, int err, int off)
{
	v->err = err;
	v->bad_off = off;
	v->msg = true;
}

static void validate_parse(const struct fuzz_family *fam, int pol,
			   const uint8_t *msg, size_t off, int len,
			   const struct nlattr **tb, int depth,
			   struct fuzz_verdict *v);

/* validate_nla() for one attribute at offset off of a listed type. */
static void validate_attr(const struct fuzz_family *fam,
			  const struct fuzz_attr_pol *pt, const uint8_t *msg,
			  size_t off, int depth, struct fuzz_verdict *v)
{
	const struct nlattr *a = (const struct nlattr *)(msg + off);
	const uint8_t *data = fuzz_attr_data(a);
	int attrlen = fuzz_attr_len(a), flen = fixed_len(pt->type);
	bool nested = pt->type == NL_ATTR_TYPE_NESTED;
	uint64_t u;

	if (flen && attrlen != flen)
		return reject(v, -EINVAL, off);
	if (nested != !!(a->nla_type & NLA_F_NESTED))
		return reject(v, -EINVAL, off);

	switch (pt->type) {
	case NL_ATTR_TYPE_FLAG:
		if (attrlen > 0)
			reject(v, -ERANGE, off);
		return;
	case NL_ATTR_TYPE_BITFIELD32: {
		uint32_t bf[2];

		if (attrlen != 8)
			return reject(v, -ERANGE, off);
		memcpy(bf, data, sizeof(bf));
		if (!pt->bitfield32_mask || bf[1] & ~pt->bitfield32_mask ||
		    bf[0] & ~pt->bitfield32_mask || bf[0] & ~bf[1])
			reject(v, -EINVAL, off);
		return;
	}
	case NL_ATTR_TYPE_NUL_STRING: {
		int minlen = attrlen;

		if (pt->max_len && (int)pt->max_len + 1 < attrlen)
			minlen = pt->max_len + 1;
		if (!minlen || !memchr(data, '\0', minlen))
			return reject(v, -EINVAL, off);
	}
		/* fall through */
	case NL_ATTR_TYPE_STRING:
		if (attrlen < 1)
			return reject(v, -ERANGE, off);
		if (pt->max_len) {
			if (!data[attrlen - 1])
				attrlen--;
			if (attrlen > (int)pt->max_len)
				reject(v, -ERANGE, off);
		}
		return;
	case NL_ATTR_TYPE_BINARY:
		if ((pt->max_len && attrlen > (int)pt->max_len) ||
		    attrlen < (int)pt->min_len)
			reject(v, -ERANGE, off);
		return;
	case NL_ATTR_TYPE_NESTED:
		if (attrlen == 0)
			return;
		if (attrlen < NLA_HDRLEN)
			return reject(v, -ERANGE, off);
		if (pt->nested != FUZZ_NO_POLICY)
			validate_parse(fam, pt->nested, msg, off + NLA_HDRLEN,
				       attrlen, NULL, depth + 1, v);
		return;
	}

	/* Integers: the exact length is checked above. */
	fuzz_attr_uint(a, &u);
	if (pt->has_mask && (u & ~pt->mask))
		return reject(v, -EINVAL, off);
	if (is_signed(pt->type)) {
		int64_t s = sign_extend(u, flen);

		if (pt->has_range_s && (s < pt->min_s || s > pt->max_s))
			reject(v, -ERANGE, off);
	} else if (pt->has_range_u && (u < pt->min_u || u > pt->max_u)) {
		reject(v, -ERANGE, off);
	}
}

static void validate_parse(const struct fuzz_family *fam, int pol,
			   const uint8_t *msg, size_t off, int len,
			   const struct nlattr **tb, int depth,
			   struct fuzz_verdict *v)
{
	const struct fuzz_policy *p = &fam->policy[pol];
	const struct nlattr *a;
	int rem;

	if (depth >= FUZZ_MAX_DEPTH) {
		v->err = -EINVAL;
		v->msg = true;
		return;
	}
	fuzz_attr_for_each(a, msg + off, len, rem) {
		size_t a_off = (const uint8_t *)a - msg;
		uint16_t type = fuzz_attr_type(a);

		/* Unknown, or known but not accepted: "Unsupported attribute". */
		if (!type || type > p->maxtype || !p->attr[type].type)
			return reject(v, -EINVAL, a_off);
		validate_attr(fam, &p->attr[type], msg, a_off, depth, v);
		if (v->err)
			return;
		if (tb)
			tb[type] = a;
	}
	if (rem > 0) {
		/* "bytes leftover after parsing attributes": no attribute named */
		v->err = -EINVAL;
		v->msg = true;
	}
}

void fuzz_policy_validate(const struct fuzz_family *fam, int pol,
			  const uint8_t *msg, size_t attrs_off, int len,
			  const struct nlattr *tb[FUZZ_MAX_ATTR + 1],
			  struct fuzz_verdict *v)
{
	memset(tb, 0, sizeof(*tb) * (FUZZ_MAX_ATTR + 1));
	memset(v, 0, sizeof(*v));
	v->bad_off = -1;
	/* No policy: the kernel does not parse attributes at all. */
	if (pol == FUZZ_NO_POLICY)
		return;
	validate_parse(fam, pol, msg, attrs_off, len, tb, 0, v);
	if (v->err)
		memset(tb, 0, sizeof(*tb) * (FUZZ_MAX_ATTR + 1));
}
