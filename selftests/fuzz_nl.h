/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for the fuzzer: a socket, a byte buffer that
 * messages are laid out in exactly as generated (libnl would refuse
 * malformed ones), and attribute walking over replies.
 */
#ifndef WFQ_FUZZ_NL_H
#define WFQ_FUZZ_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

/* One recv() returns one skb; a dump skb is at most 32 KiB. */
#define FUZZ_RECV_SIZE	(64 * 1024)
/* Everything one batch sends in one send(). */
#define FUZZ_BUF_SIZE	(32 * 1024)

struct fuzz_sock {
	int fd;
	uint32_t portid;
};

/* Extended acks on, acks capped, a receive buffer for a whole batch. */
int fuzz_sock_open(struct fuzz_sock *s);
void fuzz_sock_close(struct fuzz_sock *s);
/* 0 once the kernel has taken (and processed) all of buf, or -errno. */
int fuzz_send(const struct fuzz_sock *s, const void *buf, size_t len);
/* Bytes received, 0 on timeout, or -errno (-EMSGSIZE if truncated). */
ssize_t fuzz_recv(const struct fuzz_sock *s, void *buf, size_t size,
		  int timeout_ms);

struct fuzz_buf {
	uint8_t data[FUZZ_BUF_SIZE];
	size_t len;
	bool overflow;	/* something did not fit: the buffer is unusable */
};

void fuzz_buf_reset(struct fuzz_buf *b);
/* Append len bytes (NULL: zeros); returns their offset. */
size_t fuzz_buf_put(struct fuzz_buf *b, const void *data, size_t len);
/* Zero-pad to a multiple of 4, as NLMSG_ALIGN/NLA_ALIGN do. */
void fuzz_buf_align(struct fuzz_buf *b);

/*
 * Start a netlink message with a genl header; returns its offset.
 * fuzz_msg_end() sets nlmsg_len to cover everything appended since.
 */
size_t fuzz_msg_begin(struct fuzz_buf *b, uint16_t type, uint16_t flags,
		      uint32_t seq, uint8_t cmd, uint8_t version);
void fuzz_msg_end(struct fuzz_buf *b, size_t start);
/* An attribute: header, payload, padding to 4 bytes. */
size_t fuzz_put_attr(struct fuzz_buf *b, uint16_t type, const void *data,
		     size_t len);
size_t fuzz_put_u32(struct fuzz_buf *b, uint16_t type, uint32_t v);
size_t fuzz_put_u64(struct fuzz_buf *b, uint16_t type, uint64_t v);
size_t fuzz_put_str(struct fuzz_buf *b, uint16_t type, const char *s);

/*
 * Walk the attributes in [data, data + len) the way nla_for_each_attr()
 * does. Returns the next one or NULL; *rem tracks what is left.
 */
const struct nlattr *fuzz_attr_first(const void *data, int len, int *rem);
const struct nlattr *fuzz_attr_next(const struct nlattr *a, int *rem);
#define fuzz_attr_for_each(a, data, len, rem)				\
	for ((a) = fuzz_attr_first(data, len, &(rem)); (a);		\
	     (a) = fuzz_attr_next(a, &(rem)))

static inline const void *fuzz_attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static inline int fuzz_attr_len(const struct nlattr *a)
{
	return (int)a->nla_len - NLA_HDRLEN;
}

static inline uint16_t fuzz_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

/* The value of a u8/u16/u32/u64 attribute of exactly that size. */
bool fuzz_attr_uint(const struct nlattr *a, uint64_t *v);

/*
 * One request to nlctrl: cb sees each data message of the answer (its
 * genl payload and length); returns the answer's error (0 or -errno).
 */
typedef int (*fuzz_msg_cb)(const struct nlmsghdr *nlh, void *arg);
int fuzz_ctrl_request(const struct fuzz_sock *s, struct fuzz_buf *b,
		      fuzz_msg_cb cb, void *arg);

#endif /* WFQ_FUZZ_NL_H */
