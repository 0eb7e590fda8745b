/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the wfqnl source files; not part of the API. */
#ifndef WFQNL_PRIV_H
#define WFQNL_PRIV_H

#include <stddef.h>
#include <sys/types.h>

#include "wfqnl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct nl_sock;
struct nlattr;

struct wfqnl {
	struct nl_sock *sk;
	int family_id;
	uint32_t family_version;
	uint32_t events_grp_id;		/* "events" multicast group, 0: none */
	bool subscribed;
	unsigned char *buf;		/* receive buffer */
	size_t buf_size;
	/* Notifications already received but not yet handed out. */
	size_t ev_off;
	size_t ev_len;
};

/* Largest datagram the kernel sends us: dump skbs are capped at 32 KiB. */
#define WFQNL_RECV_BUF_SIZE	(64 * 1024)

/* Replies must come within this; a silent kernel is a bug, not a wait. */
#define WFQNL_REPLY_TIMEOUT_S	10

void wfqnl_err_clear(struct wfqnl_err *err);
/* Fill err from an NLMSG_ERROR or NLMSG_DONE carrying an error. */
int wfqnl_err_from_ack(struct wfqnl_err *err, const struct nlmsghdr *nlh);

/* Receive one datagram into nl->buf. Returns its length or -errno. */
ssize_t wfqnl_recv(struct wfqnl *nl, struct wfqnl_err *err);

/* Request helper: for a reply carrying a group, copy it to arg. */
int wfqnl_group_reply_fn(const struct nlmsghdr *nlh, void *arg);

/*
 * Attribute readers: copy the value when the attribute is present and
 * has the right size, and set its bit in *present. A wrong-sized
 * attribute fails with -EPROTO (a contract mismatch, not a value).
 */
int wfqnl_attr_u32(struct nlattr **tb, int type, uint32_t *dst,
		   uint32_t *present);
int wfqnl_attr_u64(struct nlattr **tb, int type, uint64_t *dst,
		   uint32_t *present);

#endif /* WFQNL_PRIV_H */
