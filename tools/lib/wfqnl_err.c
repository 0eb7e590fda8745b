// SPDX-License-Identifier: GPL-2.0
/* The error object: errno, the kernel's extended ack, a printable message. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>

#include "wfqnl_priv.h"

/* Append src to dst, truncating: a long message still says what failed. */
static void str_append(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(dst, size);

	if (len + 1 >= size)
		return;
	snprintf(dst + len, size - len, "%s", src);
}

void wfqnl_err_clear(struct wfqnl_err *err)
{
	memset(err, 0, sizeof(*err));
}

/* The one place that resets err and formats its message. */
static void err_vformat(struct wfqnl_err *err, int errnum, const char *fmt,
			va_list ap)
{
	wfqnl_err_clear(err);
	err->errnum = errnum;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int wfqnl_err_set(struct wfqnl_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vformat(err, errnum, fmt, ap);
	va_end(ap);
	str_append(err->msg, sizeof(err->msg), ": ");
	str_append(err->msg, sizeof(err->msg), strerror(errnum));
	return -errnum;
}

int wfqnl_err_explain(struct wfqnl_err *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vformat(err, errnum, fmt, ap);
	va_end(ap);
	return -errnum;
}

void wfqnl_err_wrap(struct wfqnl_err *err, const char *fmt, ...)
{
	char inner[WFQNL_ERRMSG_MAX];
	va_list ap;

	memcpy(inner, err->msg, sizeof(inner));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	str_append(err->msg, sizeof(err->msg), ": ");
	str_append(err->msg, sizeof(err->msg), inner);
}

/* The TLVs NETLINK_EXT_ACK appends: message, attribute offset, missing type. */
static void parse_ext_ack(struct wfqnl_err *err, const unsigned char *tlvs,
			  int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { 0 };

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)tlvs,
				  len, NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(err->extack, tb[NLMSGERR_ATTR_MSG],
			    sizeof(err->extack));
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    nla_len(tb[NLMSGERR_ATTR_OFFS]) == sizeof(uint32_t))
		err->bad_attr_offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == sizeof(uint32_t))
		err->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
}

int wfqnl_err_from_ack(struct wfqnl_err *err, const struct nlmsghdr *nlh)
{
	const unsigned char *payload = NLMSG_DATA(nlh);
	size_t len = nlh->nlmsg_len - NLMSG_HDRLEN;
	size_t tlv_off;
	int error;

	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const struct nlmsgerr *)payload;

		if (len < sizeof(*e))
			return wfqnl_err_set(err, EPROTO,
					     "truncated netlink error message");
		error = e->error;
		tlv_off = sizeof(*e);
		/* Without NETLINK_CAP_ACK the whole request is echoed first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
		    e->msg.nlmsg_len >= NLMSG_HDRLEN)
			tlv_off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	} else {
		/* NLMSG_DONE: an int, the dump's final status. */
		if (len < sizeof(int))
			return 0;
		memcpy(&error, payload, sizeof(error));
		tlv_off = sizeof(int);
	}
	if (error == 0)
		return 0;
	if (error > 0)
		error = -EPROTO;	/* not an errno: do not pass it on */

	wfqnl_err_clear(err);
	err->errnum = -error;
	tlv_off = NLMSG_ALIGN(tlv_off);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && tlv_off < len)
		parse_ext_ack(err, payload + tlv_off, (int)(len - tlv_off));
	snprintf(err->msg, sizeof(err->msg), "%s", strerror(err->errnum));
	if (err->extack[0]) {
		str_append(err->msg, sizeof(err->msg), ": ");
		str_append(err->msg, sizeof(err->msg), err->extack);
	}
	return error;
}
