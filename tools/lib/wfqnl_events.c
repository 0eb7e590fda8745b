// SPDX-License-Identifier: GPL-2.0
/* The "events" multicast group: subscribe, then take notifications one by one. */
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "wfqnl_priv.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Room for a burst of notifications; the kernel may clamp it (rmem_max). */
#define WFQNL_EVENTS_RCVBUF	(1 << 20)

int wfqnl_events_subscribe(struct wfqnl *nl, struct wfqnl_err *err)
{
	int grp = (int)nl->events_grp_id;
	int rcvbuf = WFQNL_EVENTS_RCVBUF;
	int fd = wfqnl_fd(nl);

	wfqnl_err_clear(err);
	if (!grp)
		return wfqnl_err_set(err, ENOENT,
				     WFQMON_FAMILY_NAME ": no \"" WFQMON_MCGRP_EVENTS "\" multicast group");
	if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &grp,
		       sizeof(grp)))
		return wfqnl_err_set(err, errno,
				     WFQMON_FAMILY_NAME ": join multicast group \"" WFQMON_MCGRP_EVENTS "\"");
	/* Best effort: a smaller buffer only means earlier ENOBUFS. */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	nl->subscribed = true;
	nl->ev_off = nl->ev_len = 0;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Hand out the next buffered notification of our family: 1, or 0 if none. */
static int next_buffered(struct wfqnl *nl, struct wfqnl_event *ev,
			 struct wfqnl_err *err)
{
	while (nl->ev_off < nl->ev_len) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(nl->buf + nl->ev_off);
		int left = (int)(nl->ev_len - nl->ev_off);
		const struct genlmsghdr *gnlh;
		int ret;

		if (!NLMSG_OK(nlh, left)) {
			nl->ev_off = nl->ev_len;
			break;
		}
		nl->ev_off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_type != nl->family_id ||
		    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
			continue;
		gnlh = NLMSG_DATA(nlh);
		ret = wfqnl_group_parse(nlh, &ev->group, err);
		if (ret < 0) {
			wfqnl_err_wrap(err, "notification %u", gnlh->cmd);
			return ret;
		}
		ev->cmd = gnlh->cmd;
		return 1;
	}
	return 0;
}

int wfqnl_event_recv(struct wfqnl *nl, int timeout_ms, struct wfqnl_event *ev,
		     struct wfqnl_err *err)
{
	int64_t deadline = now_ms() + timeout_ms;

	wfqnl_err_clear(err);
	for (;;) {
		struct pollfd pfd = { .fd = wfqnl_fd(nl), .events = POLLIN };
		int wait_ms = -1;
		ssize_t n;
		int ret;

		ret = next_buffered(nl, ev, err);
		if (ret)
			return ret;
		if (timeout_ms >= 0) {
			int64_t left = deadline - now_ms();

			wait_ms = left > 0 ? (int)left : 0;
		}
		ret = poll(&pfd, 1, wait_ms);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return wfqnl_err_set(err, errno, "wait for events");
		if (ret == 0)
			return 0;

		n = recv(pfd.fd, nl->buf, nl->buf_size,
			 MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0 && errno == ENOBUFS)
			return wfqnl_err_explain(err, ENOBUFS,
					     "events lost: socket receive buffer overrun");
		if (n < 0)
			return wfqnl_err_set(err, errno, "receive events");
		if ((size_t)n > nl->buf_size)
			return wfqnl_err_set(err, EMSGSIZE,
					     "notification of %zd bytes truncated",
					     n);
		nl->ev_off = 0;
		nl->ev_len = (size_t)n;
	}
}
