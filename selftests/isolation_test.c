// SPDX-License-Identifier: GPL-2.0
/*
 * What wfqmon shows, and to whom.
 *
 * The family is not netnsok: a process in another network namespace
 * (with or without its own user namespace, i.e. a container) cannot
 * resolve it, does not find it in nlctrl's list, gets ENOENT for every
 * command even when it sends the family id learned on the host, and
 * receives no notification even when it joins the group id learned on
 * the host.
 *
 * Every reply and notification, read byte by byte: no 8-byte value looks
 * like a kernel address, alignment padding is zero, every attribute has
 * a scalar size or is a nest, the name is the one given and terminated,
 * histograms have their fixed number of buckets, and the dump holds as
 * many groups as STATS counts, no more than max_groups.
 *
 * Raw sockets throughout: the bytes the kernel wrote, with no library
 * in between that could hide an extra attribute.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "kselftest_harness.h"

#include "privdrop.h"
#include "wfqtest.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Any 8-byte value at or above this is in the kernel half (LA57 included). */
#define KERNEL_ADDR_MIN		0xff00000000000000ull
#define REPLY_TIMEOUT_S		10
#define RECV_BUF_SIZE		(64 * 1024)

/* ---- a minimal generic netlink client on a plain socket ---- */

struct req {
	union {
		struct nlmsghdr nlh;
		unsigned char buf[1024];
	};
};

static void req_init(struct req *r, uint16_t type, uint16_t flags,
		     uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g;

	memset(r, 0, sizeof(*r));
	r->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nlh.nlmsg_type = type;
	r->nlh.nlmsg_flags = NLM_F_REQUEST | flags;
	g = NLMSG_DATA(&r->nlh);
	g->cmd = cmd;
	g->version = version;
}

static void req_put(struct req *r, uint16_t type, const void *data,
		    size_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->nlh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	memcpy((unsigned char *)a + NLA_HDRLEN, data, len);
	r->nlh.nlmsg_len = NLMSG_ALIGN(r->nlh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static int sock_open(void)
{
	struct timeval tv = { .tv_sec = REPLY_TIMEOUT_S };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

typedef int (*reply_fn)(const struct nlmsghdr *nlh, void *arg);

/* Send @r (ACKed unless a dump) and hand every reply to @fn: 0 or -errno. */
static int request(int fd, struct req *r, reply_fn fn, void *arg)
{
	static uint32_t seq;
	int ret = -EPROTO, fn_ret = 0;
	unsigned char *buf;

	r->nlh.nlmsg_seq = ++seq;
	if ((r->nlh.nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		r->nlh.nlmsg_flags |= NLM_F_ACK;
	if (send(fd, &r->nlh, r->nlh.nlmsg_len, 0) < 0)
		return -errno;
	buf = malloc(RECV_BUF_SIZE);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n = recv(fd, buf, RECV_BUF_SIZE, 0);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		if (n < 0) {
			ret = -errno;
			break;
		}
		for (int len = (int)n; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != r->nlh.nlmsg_seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				ret = *(int *)NLMSG_DATA(nlh);
				/* NLMSG_DONE carries -errno; NLMSG_ERROR too. */
				goto out;
			}
			if (fn && !fn_ret)
				fn_ret = fn(nlh, arg);
		}
	}
out:
	free(buf);
	return ret ? ret : fn_ret;
}

#define for_each_attr(a, data, len)					\
	for (a = (const struct nlattr *)(data);				\
	     (const unsigned char *)(a) + NLA_HDRLEN <=			\
		(const unsigned char *)(data) + (len) &&		\
	     a->nla_len >= NLA_HDRLEN &&				\
	     (const unsigned char *)(a) + a->nla_len <=		\
		(const unsigned char *)(data) + (len);			\
	     a = (const struct nlattr *)((const unsigned char *)(a) +	\
					 NLA_ALIGN(a->nla_len)))

static const void *attr_data(const struct nlattr *a)
{
	return (const unsigned char *)a + NLA_HDRLEN;
}

static size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static const struct nlattr *genl_attrs(const struct nlmsghdr *nlh, size_t *len)
{
	*len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return (const struct nlattr *)((const unsigned char *)NLMSG_DATA(nlh) +
				       GENL_HDRLEN);
}

struct family {
	uint16_t id;
	uint32_t events_grp;
	bool wfqmon_listed, nlctrl_listed;	/* in nlctrl's dump */
};

static int family_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct family *f = arg;
	const struct nlattr *a, *grp, *ga;
	size_t len;

	for_each_attr(a, genl_attrs(nlh, &len), len) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case CTRL_ATTR_FAMILY_ID:
			f->id = *(const uint16_t *)attr_data(a);
			break;
		case CTRL_ATTR_FAMILY_NAME:
			f->wfqmon_listed |= !strcmp(attr_data(a), WFQMON_FAMILY_NAME);
			f->nlctrl_listed |= !strcmp(attr_data(a), "nlctrl");
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			for_each_attr(grp, attr_data(a), attr_len(a)) {
				uint32_t id = 0;
				bool events = false;

				for_each_attr(ga, attr_data(grp), attr_len(grp)) {
					if (ga->nla_type == CTRL_ATTR_MCAST_GRP_ID)
						id = *(const uint32_t *)attr_data(ga);
					if (ga->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
						events = !strcmp(attr_data(ga),
								 WFQMON_MCGRP_EVENTS);
				}
				if (events)
					f->events_grp = id;
			}
			break;
		}
	}
	return 0;
}

/* Resolve wfqmon through nlctrl on @fd's network namespace. */
static int resolve(int fd, struct family *f)
{
	struct req r;

	req_init(&r, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	req_put(&r, CTRL_ATTR_FAMILY_NAME, WFQMON_FAMILY_NAME,
		sizeof(WFQMON_FAMILY_NAME));
	return request(fd, &r, family_reply, f);
}

/* Every family nlctrl lists in @fd's network namespace. */
static int list_families(int fd, struct family *f)
{
	struct req r;

	req_init(&r, GENL_ID_CTRL, NLM_F_DUMP, CTRL_CMD_GETFAMILY, 1);
	return request(fd, &r, family_reply, f);
}

/* ---- another network namespace ---- */

/* A container: root (uid 0 mapped to 0) of a new user and network namespace. */
static int enter_container(void)
{
	return privdrop_to_userns_root(CLONE_NEWNET);
}

static int enter_netns(void)
{
	return unshare(CLONE_NEWNET) ? -errno : 0;
}

/* What a process in the other namespace got. */
struct away_results {
	int enter;
	int sock;
	int resolve;		/* CTRL_CMD_GETFAMILY "wfqmon" */
	int list;		/* nlctrl's dump */
	bool wfqmon_listed, nlctrl_listed;
	int cmd[WFQMON_CMD_STATS_GET + 1];	/* each command, by host id */
	int dump;		/* GROUP_GET dump, by host id */
	int join;		/* the host's events group id */
	int received;		/* datagrams after the host's changes */
};

FIXTURE(away) {
	struct wfqtest_env env;
	int cg_fd, other_fd;
	struct family host;
	struct wfqnl_group victim;
};

FIXTURE_VARIANT(away) {
	int (*enter)(void);
};

/* Root of the host's user namespace, in a new network namespace. */
FIXTURE_VARIANT_ADD(away, new_netns) {
	.enter = enter_netns,
};

/* Root of a new user namespace that owns a new network namespace. */
FIXTURE_VARIANT_ADD(away, container) {
	.enter = enter_container,
};

FIXTURE_SETUP(away)
{
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_err err;
	int fd;

	WFQTEST_SETUP(&self->env, false);
	self->cg_fd = wfqtest_mkcg(&self->env, "seen");
	self->other_fd = wfqtest_mkcg(&self->env, "other");
	ASSERT_TRUE(self->cg_fd >= 0 && self->other_fd >= 0)
		wfqtest_env_teardown(&self->env);
	ASSERT_EQ(0, wfqnl_group_new(self->env.nl,
				     wfqtest_name(&self->env, name, "seen"),
				     0, wfqnl_bind_fd(self->cg_fd),
				     &self->victim, &err))
		wfqtest_env_teardown(&self->env);
	memset(&self->host, 0, sizeof(self->host));
	fd = sock_open();
	ASSERT_LE(0, fd) wfqtest_env_teardown(&self->env);
	ASSERT_EQ(0, resolve(fd, &self->host)) wfqtest_env_teardown(&self->env);
	close(fd);
	ASSERT_NE(0, self->host.id) wfqtest_env_teardown(&self->env);
	ASSERT_NE(0, self->host.events_grp) wfqtest_env_teardown(&self->env);
}

FIXTURE_TEARDOWN(away)
{
	if (self->cg_fd > 0)
		close(self->cg_fd);
	if (self->other_fd > 0)
		close(self->other_fd);
	wfqtest_env_teardown(&self->env);
}

/*
 * In the child: enter the namespaces, try everything, write 'r' on
 * @ready_fd once joined and wait for the host's 'g' on @go_fd, count what
 * arrives. Returns false if it stopped before the join.
 */
static bool away_requests(FIXTURE_DATA(away) *self, int (*enter)(void),
			  int ready_fd, int go_fd, struct away_results *res)
{
	struct family there = { 0 };
	uint32_t id = self->victim.id;
	struct pollfd pfd;
	unsigned char buf[4096];
	struct req r;
	char c;
	int fd;

	res->enter = enter();
	if (res->enter)
		return false;
	fd = sock_open();
	res->sock = fd < 0 ? fd : 0;
	if (fd < 0)
		return false;
	res->resolve = resolve(fd, &there);
	res->list = list_families(fd, &there);
	res->wfqmon_listed = there.wfqmon_listed;
	res->nlctrl_listed = there.nlctrl_listed;
	for (int cmd = WFQMON_CMD_GROUP_NEW; cmd <= WFQMON_CMD_STATS_GET; cmd++) {
		req_init(&r, self->host.id, 0, (uint8_t)cmd, WFQMON_FAMILY_VERSION);
		if (cmd != WFQMON_CMD_STATS_GET)
			req_put(&r, WFQMON_A_GROUP_ID, &id, sizeof(id));
		res->cmd[cmd] = request(fd, &r, NULL, NULL);
	}
	req_init(&r, self->host.id, NLM_F_DUMP, WFQMON_CMD_GROUP_GET,
		 WFQMON_FAMILY_VERSION);
	res->dump = request(fd, &r, NULL, NULL);
	res->join = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &self->host.events_grp,
			       sizeof(self->host.events_grp)) ? -errno : 0;

	/* Let the host make its changes, then see what arrived. */
	if (write(ready_fd, "r", 1) != 1 || read(go_fd, &c, 1) != 1) {
		res->received = -EPIPE;
		close(fd);
		return true;
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (poll(&pfd, 1, 200) > 0 &&
	       recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		res->received++;
	close(fd);
	return true;
}

/* The host changes things; its own subscribed socket counts the events. */
static int host_changes(FIXTURE_DATA(away) *self, int listen_fd)
{
	char name[WFQMON_NAME_MAX + 1];
	unsigned char buf[4096];
	struct wfqnl_group g;
	struct wfqnl_err err;
	int got = 0;

	/* CHANGE, NEW and DEL notifications. */
	if (wfqnl_group_set(self->env.nl, wfqnl_ref_id(self->victim.id), 33,
			    wfqnl_bind_none(), &g, &err) ||
	    wfqnl_group_new(self->env.nl, wfqtest_name(&self->env, name, "gone"),
			    0, wfqnl_bind_fd(self->other_fd), &g, &err) ||
	    wfqnl_group_del(self->env.nl, wfqnl_ref_id(g.id), &err))
		return -1;
	while (recv(listen_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		got++;
	return got;
}

static int run_away(FIXTURE_DATA(away) *self, int (*enter)(void),
		    struct away_results *res, int *host_got)
{
	int to_host[2], to_away[2], listen_fd, status;
	ssize_t n = 0;
	pid_t pid;
	char c;

	memset(res, 0, sizeof(*res));
	listen_fd = sock_open();
	if (listen_fd < 0)
		return listen_fd;
	if (setsockopt(listen_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &self->host.events_grp, sizeof(self->host.events_grp)) ||
	    pipe(to_host) || pipe(to_away))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		close(to_host[0]);
		close(to_away[1]);
		if (!away_requests(self, enter, to_host[1], to_away[0], res) &&
		    write(to_host[1], "x", 1) != 1)
			_exit(1);
		_exit(write(to_host[1], res, sizeof(*res)) == sizeof(*res) ?
		      0 : 1);
	}
	close(to_host[1]);
	close(to_away[0]);
	/* 'r': the child joined and waits for changes; 'x': it stopped early. */
	if (read(to_host[0], &c, 1) == 1) {
		if (c == 'r') {
			*host_got = host_changes(self, listen_fd);
			if (write(to_away[1], "g", 1) != 1)
				*host_got = -1;
		}
		n = read(to_host[0], res, sizeof(*res));
	}
	close(to_away[1]);
	close(to_host[0]);
	close(listen_fd);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) || n != sizeof(*res))
		return -ECHILD;
	return 0;
}

#define RUN_AWAY(res, host_got) do {					\
	ASSERT_EQ(0, run_away(self, variant->enter, &(res), &(host_got)))\
		TH_LOG("child stopped: enter %s, socket %s",		\
		       strerror(-(res).enter), strerror(-(res).sock));	\
	ASSERT_EQ(0, (res).enter);					\
	ASSERT_EQ(0, (res).sock);					\
} while (0)

TEST_F(away, family_cannot_be_resolved)
{
	struct away_results res;
	int host_got;

	RUN_AWAY(res, host_got);
	EXPECT_EQ(-ENOENT, res.resolve);
}

TEST_F(away, family_is_not_listed)
{
	struct away_results res;
	int host_got;

	RUN_AWAY(res, host_got);
	ASSERT_EQ(0, res.list);
	EXPECT_TRUE(res.nlctrl_listed);
	EXPECT_FALSE(res.wfqmon_listed);
}

/* ENOENT comes before any permission or attribute check: nothing leaks. */
TEST_F(away, every_command_by_host_id_fails_with_enoent)
{
	struct away_results res;
	struct wfqnl_group after;
	struct wfqnl_err err;
	int host_got;

	RUN_AWAY(res, host_got);
	for (int cmd = WFQMON_CMD_GROUP_NEW; cmd <= WFQMON_CMD_STATS_GET; cmd++) {
		EXPECT_EQ(-ENOENT, res.cmd[cmd]) TH_LOG("command %d: %s", cmd,
							strerror(-res.cmd[cmd]));
	}
	EXPECT_EQ(-ENOENT, res.dump);
	/* The host's changes in host_changes() are all that happened. */
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(self->victim.id), 0,
				     &after, &err))
		TH_LOG("%s", err.msg);
	EXPECT_EQ(33, after.weight);
}

/*
 * Joining by number is the kernel's business (it checks the capability
 * in the socket's own namespace); either way the family multicasts in the
 * initial namespace only, so nothing may arrive.
 */
TEST_F(away, events_do_not_cross_into_the_namespace)
{
	struct away_results res;
	int host_got = 0;

	RUN_AWAY(res, host_got);
	TH_LOG("joining the host's group id from there: %s",
	       res.join ? strerror(-res.join) : "allowed");
	EXPECT_LE(3, host_got) TH_LOG("the host's listener got %d", host_got);
	EXPECT_EQ(0, res.received);
}

/* ---- what replies carry ---- */

/* Every datagram the kernel sent in the fixture's requests, back to back. */
struct replies {
	unsigned char *buf;
	size_t len, size;
	unsigned int n;
};

static int keep_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct replies *rp = arg;

	if (rp->len + nlh->nlmsg_len > rp->size) {
		size_t size = (rp->size ? rp->size * 2 : 65536) + nlh->nlmsg_len;
		unsigned char *buf = realloc(rp->buf, size);

		if (!buf)
			return -ENOMEM;
		rp->buf = buf;
		rp->size = size;
	}
	memcpy(rp->buf + rp->len, nlh, nlh->nlmsg_len);
	rp->len += NLMSG_ALIGN(nlh->nlmsg_len);
	rp->n++;
	return 0;
}

/* What can be wrong with a reply. */
enum bad {
	BAD_ADDR,	/* an 8-byte value in the kernel's address range */
	BAD_PAD,	/* padding or a reserved field not zero */
	BAD_SHAPE,	/* not a scalar nor a nest, or trailing bytes */
	BAD_NAME,	/* unterminated, too long, or odd characters */
	BAD_HIST,	/* a histogram without its fixed bucket count */
	NR_BAD
};

/* What the replies showed, and what was wrong with them. */
struct audit {
	unsigned int msgs, u64s, names, own_names, hists, dumped, stats_msgs;
	uint32_t nr_groups, max_groups, tasks_tracked, tasks_max, nr_active;
	unsigned int bad[NR_BAD];
	char why[NR_BAD][128];		/* the first of each kind */
};

static void audit_fail(struct audit *au, enum bad kind, const char *what,
		       uint8_t cmd, int type, int depth)
{
	if (!au->bad[kind]++)
		snprintf(au->why[kind], sizeof(au->why[kind]),
			 "cmd %u: attribute %d (depth %d): %s",
			 cmd, type, depth, what);
}

static bool pad_is_zero(const struct nlattr *a, const unsigned char *end)
{
	const unsigned char *p = (const unsigned char *)a + a->nla_len;
	const unsigned char *pad_end = (const unsigned char *)a + NLA_ALIGN(a->nla_len);

	for (; p < pad_end && p < end; p++)
		if (*p)
			return false;
	return true;
}

/* 1..WFQMON_NAME_MAX characters of [A-Za-z0-9_.-], one NUL, nothing after. */
static bool name_is_clean(const struct nlattr *a)
{
	const char *s = attr_data(a);
	size_t len = attr_len(a);

	if (len < 2 || len > WFQMON_NAME_MAX + 1 || s[len - 1] != '\0' ||
	    strlen(s) != len - 1)
		return false;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			 "0123456789_.-") == len - 1;
}

static void audit_attrs(struct audit *au, uint8_t cmd, const void *data,
			size_t len, int depth, const char *name)
{
	const unsigned char *end = (const unsigned char *)data + len;
	const struct nlattr *a;
	size_t seen = 0;

	for_each_attr(a, data, len) {
		int type = a->nla_type & NLA_TYPE_MASK;
		bool group_msg = cmd != WFQMON_CMD_STATS_GET;

		seen = (size_t)((const unsigned char *)a - (const unsigned char *)data) +
		       NLA_ALIGN(a->nla_len);
		if (!pad_is_zero(a, end))
			audit_fail(au, BAD_PAD, "non-zero padding", cmd, type, depth);
		if (a->nla_type & NLA_F_NESTED) {
			if (depth == 0 && group_msg &&
			    (type == WFQMON_A_GROUP_QUANTUM_HIST ||
			     type == WFQMON_A_GROUP_WAIT_HIST)) {
				const struct nlattr *b;
				unsigned int n = 0;

				for_each_attr(b, attr_data(a), attr_len(a))
					n += b->nla_type == WFQMON_A_HIST_BUCKET;
				au->hists++;
				if (n != WFQMON_HIST_BUCKETS)
					audit_fail(au, BAD_HIST, "bucket count",
						   cmd, type, depth);
			}
			audit_attrs(au, cmd, attr_data(a), attr_len(a), depth + 1,
				    NULL);
			continue;
		}
		if (depth == 0 && group_msg && type == WFQMON_A_GROUP_NAME) {
			au->names++;
			if (!name_is_clean(a))
				audit_fail(au, BAD_NAME, "name", cmd, type, depth);
			else if (!strcmp(attr_data(a), name))
				au->own_names++;
			continue;
		}
		switch (attr_len(a)) {
		case 8: {
			uint64_t v;

			memcpy(&v, attr_data(a), sizeof(v));
			au->u64s++;
			if (v >= KERNEL_ADDR_MIN)
				audit_fail(au, BAD_ADDR,
					   "value in the kernel's address range",
					   cmd, type, depth);
			break;
		}
		case 0: case 1: case 2: case 4:
			break;
		default:
			audit_fail(au, BAD_SHAPE, "not a scalar", cmd, type, depth);
		}
	}
	if (seen != len)
		audit_fail(au, BAD_SHAPE, "trailing bytes", cmd, -1, depth);
}

static uint32_t stats_u32(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *a;
	size_t len;

	for_each_attr(a, genl_attrs(nlh, &len), len)
		if (a->nla_type == type && attr_len(a) == sizeof(uint32_t))
			return *(const uint32_t *)attr_data(a);
	return UINT32_MAX;
}

static void audit_replies(const struct replies *rp, const char *name,
			  struct audit *au)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)rp->buf;

	memset(au, 0, sizeof(*au));
	for (int len = (int)rp->len; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
		const struct genlmsghdr *g = NLMSG_DATA(nlh);
		const struct nlattr *attrs;
		size_t alen;

		if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN)) {
			audit_fail(au, BAD_SHAPE, "short message", 0, -1, -1);
			continue;
		}
		au->msgs++;
		if (g->reserved)
			audit_fail(au, BAD_PAD, "genl reserved field", g->cmd, -1, -1);
		attrs = genl_attrs(nlh, &alen);
		audit_attrs(au, g->cmd, attrs, alen, 0, name);
		if (g->cmd == WFQMON_CMD_GROUP_GET && (nlh->nlmsg_flags & NLM_F_MULTI))
			au->dumped++;
		if (g->cmd == WFQMON_CMD_STATS_GET) {
			au->stats_msgs++;
			au->nr_groups = stats_u32(nlh, WFQMON_A_STATS_NR_GROUPS);
			au->max_groups = stats_u32(nlh, WFQMON_A_STATS_MAX_GROUPS);
			au->nr_active = stats_u32(nlh, WFQMON_A_STATS_NR_ACTIVE);
			au->tasks_tracked = stats_u32(nlh, WFQMON_A_STATS_TASKS_TRACKED);
			au->tasks_max = stats_u32(nlh, WFQMON_A_STATS_TASKS_MAX);
		}
	}
}

FIXTURE(replies) {
	struct wfqtest_env env;
	int cg_fd[2];
	char name[WFQMON_NAME_MAX + 1];	/* the longest name there is */
	struct replies rp;
	struct audit au;
};

static uint32_t find_group_id(const struct replies *rp)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)rp->buf;

	for (int len = (int)rp->len; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
		const struct nlattr *a;
		size_t alen;

		for_each_attr(a, genl_attrs(nlh, &alen), alen)
			if (a->nla_type == WFQMON_A_GROUP_ID &&
			    attr_len(a) == sizeof(uint32_t))
				return *(const uint32_t *)attr_data(a);
	}
	return 0;
}

/*
 * Create, change, read, dump, reset, read STATS and destroy a group
 * through a raw socket, with a second one subscribed to the events; keep
 * every reply and notification.
 */
static int collect_replies(FIXTURE_DATA(replies) *self, int *step)
{
	struct family fam = { 0 };
	unsigned char buf[RECV_BUF_SIZE];
	uint32_t weight = 300, fd_a = (uint32_t)self->cg_fd[0];
	uint32_t fd_b = (uint32_t)self->cg_fd[1], id;
	int fd, listen_fd, ret;
	ssize_t n;
	struct req r;

	*step = 0;
	fd = sock_open();
	listen_fd = sock_open();
	if (fd < 0 || listen_fd < 0)
		return -EBADF;
	ret = resolve(fd, &fam);
	if (ret)
		goto out;
	(*step)++;
	ret = setsockopt(listen_fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			 &fam.events_grp, sizeof(fam.events_grp)) ? -errno : 0;
	if (ret)
		goto out;

	(*step)++;
	req_init(&r, fam.id, 0, WFQMON_CMD_GROUP_NEW, WFQMON_FAMILY_VERSION);
	req_put(&r, WFQMON_A_GROUP_NAME, self->name, strlen(self->name) + 1);
	req_put(&r, WFQMON_A_GROUP_WEIGHT, &weight, sizeof(weight));
	req_put(&r, WFQMON_A_GROUP_CGROUP_FD, &fd_a, sizeof(fd_a));
	ret = request(fd, &r, keep_reply, &self->rp);
	id = find_group_id(&self->rp);
	if (ret || !id) {
		ret = ret ? ret : -EPROTO;
		goto out;
	}

	(*step)++;
	req_init(&r, fam.id, 0, WFQMON_CMD_GROUP_SET, WFQMON_FAMILY_VERSION);
	req_put(&r, WFQMON_A_GROUP_ID, &id, sizeof(id));
	req_put(&r, WFQMON_A_GROUP_CGROUP_FD, &fd_b, sizeof(fd_b));
	ret = request(fd, &r, keep_reply, &self->rp);
	for (int cmd = WFQMON_CMD_GROUP_GET; !ret && cmd <= WFQMON_CMD_GROUP_RESET;
	     cmd++) {
		(*step)++;
		req_init(&r, fam.id, 0, (uint8_t)cmd, WFQMON_FAMILY_VERSION);
		req_put(&r, WFQMON_A_GROUP_ID, &id, sizeof(id));
		if (cmd == WFQMON_CMD_GROUP_GET)
			req_put(&r, WFQMON_A_GROUP_HISTOGRAMS, "", 0);
		ret = request(fd, &r, keep_reply, &self->rp);
	}
	if (ret)
		goto out;

	(*step)++;
	req_init(&r, fam.id, NLM_F_DUMP, WFQMON_CMD_GROUP_GET, WFQMON_FAMILY_VERSION);
	req_put(&r, WFQMON_A_GROUP_HISTOGRAMS, "", 0);
	ret = request(fd, &r, keep_reply, &self->rp);
	if (ret)
		goto out;
	(*step)++;
	req_init(&r, fam.id, 0, WFQMON_CMD_STATS_GET, WFQMON_FAMILY_VERSION);
	ret = request(fd, &r, keep_reply, &self->rp);
	if (ret)
		goto out;

	(*step)++;
	req_init(&r, fam.id, 0, WFQMON_CMD_GROUP_DEL, WFQMON_FAMILY_VERSION);
	req_put(&r, WFQMON_A_GROUP_ID, &id, sizeof(id));
	ret = request(fd, &r, keep_reply, &self->rp);
	if (ret)
		goto out;

	/* NEW, CHANGE and DEL were multicast before each request returned. */
	(*step)++;
	while ((n = recv(listen_fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;

		for (int len = (int)n; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len))
			if (nlh->nlmsg_type == fam.id &&
			    (ret = keep_reply(nlh, &self->rp)))
				goto out;
	}
out:
	if (fd >= 0)
		close(fd);
	if (listen_fd >= 0)
		close(listen_fd);
	return ret;
}

FIXTURE_SETUP(replies)
{
	int len, step;

	memset(&self->rp, 0, sizeof(self->rp));
	WFQTEST_SETUP(&self->env, false);
	self->cg_fd[0] = wfqtest_mkcg(&self->env, "a");
	self->cg_fd[1] = wfqtest_mkcg(&self->env, "b");
	ASSERT_TRUE(self->cg_fd[0] >= 0 && self->cg_fd[1] >= 0)
		wfqtest_env_teardown(&self->env);
	len = snprintf(self->name, sizeof(self->name), "%s", self->env.prefix);
	memset(self->name + len, 'n', WFQMON_NAME_MAX - len);
	self->name[WFQMON_NAME_MAX] = '\0';
	ASSERT_EQ(0, collect_replies(self, &step)) {
		TH_LOG("collecting replies failed at step %d", step);
		wfqtest_env_teardown(&self->env);
	}
	audit_replies(&self->rp, self->name, &self->au);
}

FIXTURE_TEARDOWN(replies)
{
	free(self->rp.buf);
	for (int i = 0; i < 2; i++)
		if (self->cg_fd[i] > 0)
			close(self->cg_fd[i]);
	wfqtest_env_teardown(&self->env);
}

/* NEW, SET, GET, RESET, our group in the dump, STATS, NEW/CHANGE/DEL events. */
#define MIN_REPLIES	9

TEST_F(replies, carry_no_kernel_addresses)
{
	EXPECT_LE(MIN_REPLIES, self->au.msgs);
	EXPECT_LT(100, self->au.u64s);
	EXPECT_EQ(0, self->au.bad[BAD_ADDR])
		TH_LOG("first: %s", self->au.why[BAD_ADDR]);
}

TEST_F(replies, pad_with_zeros_and_hold_only_scalars_and_nests)
{
	EXPECT_LE(MIN_REPLIES, self->au.msgs);
	EXPECT_EQ(0, self->au.bad[BAD_PAD])
		TH_LOG("first: %s", self->au.why[BAD_PAD]);
	EXPECT_EQ(0, self->au.bad[BAD_SHAPE])
		TH_LOG("first: %s", self->au.why[BAD_SHAPE]);
}

/* Every group message names its group: ours in all but the dump's others. */
TEST_F(replies, names_are_bounded_and_terminated)
{
	EXPECT_EQ(WFQMON_NAME_MAX, strlen(self->name));
	EXPECT_EQ(0, self->au.bad[BAD_NAME])
		TH_LOG("first: %s", self->au.why[BAD_NAME]);
	EXPECT_EQ(MIN_REPLIES - 1, self->au.own_names);
	EXPECT_EQ(self->au.msgs - self->au.stats_msgs, self->au.names);
}

TEST_F(replies, counts_are_bounded)
{
	ASSERT_EQ(1, self->au.stats_msgs);
	EXPECT_EQ(0, self->au.bad[BAD_HIST])
		TH_LOG("first: %s", self->au.why[BAD_HIST]);
	/* Two histograms in GET's reply and in each dumped group: no others. */
	EXPECT_EQ(2 * (1 + self->au.dumped), self->au.hists);
	EXPECT_EQ(self->au.nr_groups, self->au.dumped);
	EXPECT_LE(self->au.nr_groups, self->au.max_groups);
	EXPECT_LE(self->au.nr_active, self->au.nr_groups);
	EXPECT_LE(self->au.tasks_tracked, self->au.tasks_max);
}

TEST_HARNESS_MAIN
