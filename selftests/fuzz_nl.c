// SPDX-License-Identifier: GPL-2.0
/* Raw generic netlink for the fuzzer: socket, message bytes, attributes. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_nl.h"

/* Replies of a whole batch queue up before we read them. */
#define FUZZ_RCVBUF	(4 * 1024 * 1024)

int fuzz_sock_open(struct fuzz_sock *s)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sa_len = sizeof(sa);
	int one = 1, rcvbuf = FUZZ_RCVBUF;

	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (s->fd < 0)
		return -errno;
	/* FORCE needs CAP_NET_ADMIN; unprivileged, rmem_max applies. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	if (setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(s->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &sa_len)) {
		int ret = -errno;

		close(s->fd);
		s->fd = -1;
		return ret;
	}
	s->portid = sa.nl_pid;
	return 0;
}

void fuzz_sock_close(struct fuzz_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int fuzz_send(const struct fuzz_sock *s, const void *buf, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	n = sendto(s->fd, buf, len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel));
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

ssize_t fuzz_recv(const struct fuzz_sock *s, void *buf, size_t size,
		  int timeout_ms)
{
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
	ssize_t n;
	int ret;

	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0)
		return -errno;
	if (ret == 0)
		return 0;
	n = recv(s->fd, buf, size, MSG_TRUNC);
	if (n < 0)
		return -errno;
	return (size_t)n > size ? -EMSGSIZE : n;
}

void fuzz_buf_reset(struct fuzz_buf *b)
{
	b->len = 0;
	b->overflow = false;
}

size_t fuzz_buf_put(struct fuzz_buf *b, const void *data, size_t len)
{
	size_t off = b->len;

	if (len > sizeof(b->data) - b->len) {
		b->overflow = true;
		return off;
	}
	if (data)
		memcpy(b->data + off, data, len);
	else
		memset(b->data + off, 0, len);
	b->len += len;
	return off;
}

void fuzz_buf_align(struct fuzz_buf *b)
{
	fuzz_buf_put(b, NULL, NLMSG_ALIGN(b->len) - b->len);
}

size_t fuzz_msg_begin(struct fuzz_buf *b, uint16_t type, uint16_t flags,
		      uint32_t seq, uint8_t cmd, uint8_t version)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq,
	};
	struct genlmsghdr genl = { .cmd = cmd, .version = version };
	size_t start;

	fuzz_buf_align(b);
	start = fuzz_buf_put(b, &nlh, sizeof(nlh));
	fuzz_buf_put(b, &genl, sizeof(genl));
	return start;
}

void fuzz_msg_end(struct fuzz_buf *b, size_t start)
{
	uint32_t len = b->len - start;

	if (!b->overflow)
		memcpy(b->data + start, &len, sizeof(len));
}

size_t fuzz_put_attr(struct fuzz_buf *b, uint16_t type, const void *data,
		     size_t len)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + len, .nla_type = type };
	size_t off;

	if (len > UINT16_MAX - NLA_HDRLEN) {
		b->overflow = true;
		return b->len;
	}
	off = fuzz_buf_put(b, &nla, sizeof(nla));
	fuzz_buf_put(b, data, len);
	fuzz_buf_align(b);
	return off;
}

size_t fuzz_put_u32(struct fuzz_buf *b, uint16_t type, uint32_t v)
{
	return fuzz_put_attr(b, type, &v, sizeof(v));
}

size_t fuzz_put_u64(struct fuzz_buf *b, uint16_t type, uint64_t v)
{
	return fuzz_put_attr(b, type, &v, sizeof(v));
}

size_t fuzz_put_str(struct fuzz_buf *b, uint16_t type, const char *s)
{
	return fuzz_put_attr(b, type, s, strlen(s) + 1);
}

/* nla_ok(): the header and the whole attribute fit in rem. */
static const struct nlattr *attr_ok(const struct nlattr *a, int rem)
{
	if (rem < (int)sizeof(*a) || a->nla_len < sizeof(*a) ||
	    a->nla_len > rem)
		return NULL;
	return a;
}

const struct nlattr *fuzz_attr_first(const void *data, int len, int *rem)
{
	*rem = len;
	return attr_ok(data, len);
}

const struct nlattr *fuzz_attr_next(const struct nlattr *a, int *rem)
{
	int total = NLA_ALIGN(a->nla_len);

	*rem -= total;
	return attr_ok((const struct nlattr *)((const uint8_t *)a + total),
		       *rem);
}

bool fuzz_attr_uint(const struct nlattr *a, uint64_t *v)
{
	const void *p = fuzz_attr_data(a);
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;

	switch (fuzz_attr_len(a)) {
	case 1:
		memcpy(&v8, p, 1);
		*v = v8;
		return true;
	case 2:
		memcpy(&v16, p, 2);
		*v = v16;
		return true;
	case 4:
		memcpy(&v32, p, 4);
		*v = v32;
		return true;
	case 8:
		memcpy(v, p, 8);
		return true;
	}
	return false;
}

int fuzz_ctrl_request(const struct fuzz_sock *s, struct fuzz_buf *b,
		      fuzz_msg_cb cb, void *arg)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)b->data;
	uint32_t seq = req->nlmsg_seq;
	uint8_t *buf;
	int ret;

	if (b->overflow)
		return -EMSGSIZE;
	buf = malloc(FUZZ_RECV_SIZE);
	if (!buf)
		return -ENOMEM;
	ret = fuzz_send(s, b->data, b->len);
	while (!ret) {
		ssize_t n = fuzz_recv(s, buf, FUZZ_RECV_SIZE, 10000);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		size_t rem = n > 0 ? n : 0;

		if (n <= 0) {
			ret = n ? (int)n : -ETIMEDOUT;
			break;
		}
		for (; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE)
				goto out;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					ret = -EBADMSG;
				else
					ret = e->error;
				goto out;
			}
			ret = cb(nlh, arg);
			if (ret)
				goto out;
		}
	}
out:
	free(buf);
	return ret;
}
