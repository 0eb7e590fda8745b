// SPDX-License-Identifier: GPL-2.0
/*
 * The socket: connect, resolve the family, send one request and collect
 * its replies up to the ACK or NLMSG_DONE, with the kernel's extack.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "wfqnl_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int wfqnl_fd(const struct wfqnl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

uint32_t wfqnl_family_version(const struct wfqnl *nl)
{
	return nl->family_version;
}

ssize_t wfqnl_recv(struct wfqnl *nl, struct wfqnl_err *err)
{
	ssize_t n;

	do {
		/* MSG_TRUNC: learn the real size if the buffer was short. */
		n = recv(wfqnl_fd(nl), nl->buf, nl->buf_size, MSG_TRUNC);
	} while (n < 0 && errno == EINTR);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return wfqnl_err_explain(err, ETIMEDOUT,
				     WFQMON_FAMILY_NAME ": no reply from the kernel in %d s",
				     WFQNL_REPLY_TIMEOUT_S);
	if (n < 0)
		return wfqnl_err_set(err, errno, "receive from netlink socket");
	if ((size_t)n > nl->buf_size)
		return wfqnl_err_set(err, EMSGSIZE,
				     "netlink message of %zd bytes truncated",
				     n);
	return n;
}

static struct nl_msg *msg_new_for(int family, uint8_t cmd, uint8_t version,
				  int nlm_flags, struct wfqnl_err *err)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, nlm_flags,
			 cmd, version)) {
		nlmsg_free(msg);
		wfqnl_err_set(err, ENOMEM, "allocate netlink message");
		return NULL;
	}
	return msg;
}

struct nl_msg *wfqnl_msg_new(struct wfqnl *nl, uint8_t cmd, int nlm_flags,
			     struct wfqnl_err *err)
{
	return msg_new_for(nl->family_id, cmd, WFQMON_FAMILY_VERSION,
			   nlm_flags, err);
}

int wfqnl_request(struct wfqnl *nl, struct nl_msg *msg, wfqnl_msg_fn fn,
		  void *arg, unsigned int *nlm_flags, struct wfqnl_err *err)
{
	struct nlmsghdr *req = nlmsg_hdr(msg);
	uint32_t port = nl_socket_get_local_port(nl->sk);
	unsigned int seen = 0;
	int fn_ret = 0;
	int ret;

	wfqnl_err_clear(err);
	/* The reply overwrites the buffer: pending notifications are gone. */
	nl->ev_off = nl->ev_len = 0;
	/* The ACK (or NLMSG_DONE for a dump) is what ends the wait. */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	nl_complete_msg(nl->sk, msg);
	if (send(wfqnl_fd(nl), req, req->nlmsg_len, 0) < 0)
		return wfqnl_err_set(err, errno, "send netlink request");

	for (;;) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)nl->buf;
		ssize_t n = wfqnl_recv(nl, err);

		/* Lost notifications on a subscribed handle: not our reply. */
		if (n == -ENOBUFS && nl->subscribed)
			continue;
		if (n < 0) {
			ret = (int)n;
			goto out;
		}
		for (int len = (int)n; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			/* Notifications and leftovers of older requests. */
			if (nlh->nlmsg_pid != port ||
			    nlh->nlmsg_seq != req->nlmsg_seq)
				continue;
			seen |= nlh->nlmsg_flags;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				ret = wfqnl_err_from_ack(err, nlh);
				goto out;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			/* After fn stops, keep reading: a dump must drain. */
			if (fn && fn_ret == 0)
				fn_ret = fn(nlh, arg);
		}
	}
out:
	if (nlm_flags)
		*nlm_flags = seen;
	return ret < 0 ? ret : fn_ret;
}

struct family_info {
	int id;
	uint32_t version;
	uint32_t events_grp;
};

static void parse_mcast_groups(struct nlattr *groups, struct family_info *fi)
{
	struct nlattr *grp;
	int rem;

	nla_for_each_nested(grp, groups, rem) {
		struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, grp, NULL) ||
		    !tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(nla_get_string(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    WFQMON_MCGRP_EVENTS))
			fi->events_grp = nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
}

static int family_reply_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_info *fi = arg;

	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CTRL_ATTR_MAX, NULL))
		return 0;
	if (tb[CTRL_ATTR_FAMILY_ID])
		fi->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (tb[CTRL_ATTR_VERSION])
		fi->version = nla_get_u32(tb[CTRL_ATTR_VERSION]);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		parse_mcast_groups(tb[CTRL_ATTR_MCAST_GROUPS], fi);
	return 0;
}

/* The id, version and events group; the version must match if check. */
static int resolve_family(struct wfqnl *nl, bool check_version,
			  struct wfqnl_err *err)
{
	struct family_info fi = { 0 };
	struct nl_msg *msg;
	int ret;

	msg = msg_new_for(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0, err);
	if (!msg)
		return -err->errnum;
	ret = nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, WFQMON_FAMILY_NAME);
	if (ret == 0)
		ret = wfqnl_request(nl, msg, family_reply_fn, &fi, NULL, err);
	else
		ret = wfqnl_err_set(err, ENOMEM, "build family request");
	nlmsg_free(msg);

	if (ret == -ENOENT)
		return wfqnl_err_explain(err, ENOENT,
				     WFQMON_FAMILY_NAME ": generic netlink family not found: is wfqmon.ko loaded? (insmod wfqmon.ko)");
	if (ret < 0) {
		wfqnl_err_wrap(err, WFQMON_FAMILY_NAME ": resolve generic netlink family");
		return ret;
	}
	if (!fi.id)
		return wfqnl_err_set(err, EPROTO,
				     WFQMON_FAMILY_NAME ": family reply without an id");
	nl->family_version = fi.version;
	if (check_version && fi.version != WFQMON_FAMILY_VERSION)
		return wfqnl_err_explain(err, EPROTONOSUPPORT,
				     WFQMON_FAMILY_NAME ": kernel speaks version %u, this tool version %u",
				     fi.version, WFQMON_FAMILY_VERSION);
	nl->family_id = fi.id;
	nl->events_grp_id = fi.events_grp;
	return 0;
}

/* Ask for extended acks with a short echo; timeouts so a test never hangs. */
static int setup_socket(struct wfqnl *nl, struct wfqnl_err *err)
{
	struct timeval tv = { .tv_sec = WFQNL_REPLY_TIMEOUT_S };
	int fd = wfqnl_fd(nl);
	int one = 1;

	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		return wfqnl_err_set(err, errno,
				     "enable extended acks on netlink socket");
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		return wfqnl_err_set(err, errno,
				     "set netlink receive timeout");
	return 0;
}

static struct wfqnl *open_handle(bool check_version, struct wfqnl_err *err)
{
	struct wfqnl *nl = calloc(1, sizeof(*nl));

	wfqnl_err_clear(err);
	if (!nl)
		goto err_nomem;
	nl->buf_size = WFQNL_RECV_BUF_SIZE;
	nl->buf = malloc(nl->buf_size);
	nl->sk = nl_socket_alloc();
	if (!nl->buf || !nl->sk)
		goto err_nomem;
	/* wfqnl_request() adds NLM_F_ACK itself, dumps excepted. */
	nl_socket_disable_auto_ack(nl->sk);
	if (genl_connect(nl->sk)) {
		wfqnl_err_set(err, errno ? errno : EIO,
			      "connect generic netlink socket");
		goto err_close;
	}
	if (setup_socket(nl, err) || resolve_family(nl, check_version, err))
		goto err_close;
	return nl;

err_nomem:
	wfqnl_err_set(err, ENOMEM, "allocate netlink handle");
err_close:
	wfqnl_close(nl);
	return NULL;
}

struct wfqnl *wfqnl_open(struct wfqnl_err *err)
{
	return open_handle(true, err);
}

int wfqnl_family_probe(uint32_t *version, struct wfqnl_err *err)
{
	struct wfqnl *nl = open_handle(false, err);

	if (!nl)
		return -err->errnum;
	*version = nl->family_version;
	wfqnl_close(nl);
	return 0;
}

void wfqnl_close(struct wfqnl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl->buf);
	free(nl);
}
