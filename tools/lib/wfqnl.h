/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wfqnl: a small client for the wfqmon generic netlink family.
 *
 * Every call returns 0 (or a count) on success and -errno on failure,
 * and fills a struct wfqnl_err. Nothing here prints: the caller decides
 * how to report err->msg.
 *
 * A handle is one netlink socket. Use one handle for requests and a
 * separate one for events: a request on a subscribed handle discards
 * the notifications that arrive while it waits for its reply.
 */
#ifndef WFQNL_H
#define WFQNL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/wfqmon.h>

struct nl_msg;
struct nlmsghdr;
struct wfqnl;

#define WFQNL_EXTACK_MAX	160
#define WFQNL_ERRMSG_MAX	384

struct wfqnl_err {
	int errnum;			/* positive errno, 0 when no error */
	char extack[WFQNL_EXTACK_MAX];	/* kernel's NLMSGERR_ATTR_MSG or "" */
	/* NLMSGERR_ATTR_OFFS: from the request's nlmsghdr, 0 if none given */
	uint32_t bad_attr_offs;
	uint32_t miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, 0 when none */
	char msg[WFQNL_ERRMSG_MAX];	/* "<what>: <why>[: <extack>]" */
};

/* Set errnum and msg = "<fmt>: <strerror(errnum)>". Returns -errnum. */
int wfqnl_err_set(struct wfqnl_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same, for a message that already says why: no strerror() appended. */
int wfqnl_err_explain(struct wfqnl_err *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefix err->msg with context, as in "create group \"web\": <msg>". */
void wfqnl_err_wrap(struct wfqnl_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A group is named in requests by ID when id != 0, else by NAME. */
struct wfqnl_ref {
	uint32_t id;
	const char *name;
};

static inline struct wfqnl_ref wfqnl_ref_id(uint32_t id)
{
	return (struct wfqnl_ref){ .id = id };
}

static inline struct wfqnl_ref wfqnl_ref_name(const char *name)
{
	return (struct wfqnl_ref){ .name = name };
}

/* The cgroup a group is bound to: an open directory fd or a cgroup id. */
enum wfqnl_bind_kind {
	WFQNL_BIND_NONE,
	WFQNL_BIND_FD,
	WFQNL_BIND_ID,
};

struct wfqnl_bind {
	enum wfqnl_bind_kind kind;
	int fd;
	uint64_t cgroup_id;
};

static inline struct wfqnl_bind wfqnl_bind_none(void)
{
	return (struct wfqnl_bind){ .kind = WFQNL_BIND_NONE, .fd = -1 };
}

static inline struct wfqnl_bind wfqnl_bind_fd(int fd)
{
	return (struct wfqnl_bind){ .kind = WFQNL_BIND_FD, .fd = fd };
}

static inline struct wfqnl_bind wfqnl_bind_id(uint64_t cgroup_id)
{
	return (struct wfqnl_bind){ .kind = WFQNL_BIND_ID, .fd = -1,
				    .cgroup_id = cgroup_id };
}

/* One group as the kernel reports it; units as in <linux/wfqmon.h>. */
struct wfqnl_group {
	/* Bit (1u << WFQMON_A_GROUP_x) per attribute found in the reply. */
	uint32_t present;
	uint32_t id;
	char name[WFQMON_NAME_MAX + 1];
	uint32_t weight;
	uint64_t cgroup_id;
	bool active;
	uint32_t nr_runnable;
	uint64_t vtime;
	uint64_t runtime_ns;
	uint64_t quanta;
	uint64_t quantum_max_ns;
	unsigned int hist_len;		/* buckets received */
	uint64_t quantum_hist[WFQMON_HIST_BUCKETS];
	uint64_t wait_ns;
	uint64_t wait_max_ns;
	unsigned int wait_hist_len;	/* buckets received */
	uint64_t wait_hist[WFQMON_HIST_BUCKETS];	/* wait per quantum */
	uint64_t active_ns;
	uint64_t activations;
	uint64_t catchups;
	uint64_t catchup_vtime;
	uint64_t forks;
	uint64_t exits;
	uint64_t since_ns;
	int64_t lag;			/* s_min - vtime: > 0 credit, < 0 debt */
	uint32_t parent_id;		/* 0: top level */
	uint32_t depth;			/* 1: top level */
	uint32_t nr_active_children;
};

/* One CPU's part of a group's counters (GET with WFQMON_A_GROUP_PERCPU). */
struct wfqnl_cpu {
	uint32_t cpu;
	uint64_t runtime_ns;
	uint64_t wait_ns;
	uint64_t quanta;
};

struct wfqnl_stats {
	uint32_t present;		/* bit per WFQMON_A_STATS_x found */
	uint64_t vtime_min;
	uint64_t vtime_avg;
	uint32_t nr_groups;
	uint32_t max_groups;
	uint32_t nr_active;
	uint64_t weight_active;
	uint64_t switches;
	uint64_t runtime_events;
	uint64_t wakeups;
	uint64_t forks;
	uint64_t exits;
	uint64_t charged_ns;
	uint32_t tasks_tracked;
	uint32_t tasks_max;
	uint64_t tasks_untracked;
	uint64_t events_sent;
	uint64_t events_coalesced;
	uint64_t memory_bytes;
	uint32_t nr_stalled;
	uint64_t stalls;
};

struct wfqnl_event {
	uint8_t cmd;			/* WFQMON_CMD_GROUP_*_NTF */
	struct wfqnl_group group;
};

static inline bool wfqnl_group_has(const struct wfqnl_group *g, int attr)
{
	return g->present & (1u << attr);
}

/* Connect, resolve the family and check its version. NULL on failure. */
struct wfqnl *wfqnl_open(struct wfqnl_err *err);
void wfqnl_close(struct wfqnl *nl);
int wfqnl_fd(const struct wfqnl *nl);
uint32_t wfqnl_family_version(const struct wfqnl *nl);
/*
 * The version of the loaded family (CTRL_CMD_GETFAMILY), whatever it
 * is: for telling the user. -ENOENT when the family is not there.
 */
int wfqnl_family_probe(uint32_t *version, struct wfqnl_err *err);

/* weight 0 leaves WEIGHT out: the kernel's default on NEW, unchanged on SET. */
int wfqnl_group_new(struct wfqnl *nl, const char *name, uint32_t weight,
		    struct wfqnl_bind bind, struct wfqnl_group *out,
		    struct wfqnl_err *err);
/*
 * NEW with an initial lag (s_i = s_min - lag, ns per unit of weight):
 * a module without WFQMON_A_GROUP_LAG refuses it.
 */
int wfqnl_group_new_lag(struct wfqnl *nl, const char *name, uint32_t weight,
			int64_t lag, struct wfqnl_bind bind,
			struct wfqnl_group *out, struct wfqnl_err *err);
int wfqnl_group_set(struct wfqnl *nl, struct wfqnl_ref ref, uint32_t weight,
		    struct wfqnl_bind bind, struct wfqnl_group *out,
		    struct wfqnl_err *err);
int wfqnl_group_del(struct wfqnl *nl, struct wfqnl_ref ref,
		    struct wfqnl_err *err);
/*
 * What GET and dump add to the counters every group reply has. Without
 * WFQNL_GET_HISTOGRAMS, hist_len and wait_hist_len are 0: most of a
 * group's reply is its histograms, and most readers want only counters.
 */
#define WFQNL_GET_HISTOGRAMS	(1u << 0)	/* quantum_hist, wait_hist */

int wfqnl_group_get(struct wfqnl *nl, struct wfqnl_ref ref, unsigned int flags,
		    struct wfqnl_group *out, struct wfqnl_err *err);
/*
 * The same, with the per-CPU breakdown from the same reply: *cpus gets
 * a malloc'ed array of *nr_cpus entries, one per possible CPU in the
 * kernel's order (free() it; NULL when 0). Only GET of one group gives it.
 */
int wfqnl_group_get_cpus(struct wfqnl *nl, struct wfqnl_ref ref,
			 unsigned int flags, struct wfqnl_group *out,
			 struct wfqnl_cpu **cpus, unsigned int *nr_cpus,
			 struct wfqnl_err *err);
/* out (may be NULL) gets the kernel's reply; out->present is 0 if none. */
int wfqnl_group_reset(struct wfqnl *nl, struct wfqnl_ref ref,
		      struct wfqnl_group *out, struct wfqnl_err *err);

/*
 * Called once per group, in the kernel's order. A non-zero return stops
 * the calls (the rest of the dump is still read and dropped) and
 * becomes wfqnl_group_dump()'s return value; err is not filled for it.
 */
typedef int (*wfqnl_group_fn)(const struct wfqnl_group *g, void *arg);

/* *intr (may be NULL) tells whether the kernel flagged NLM_F_DUMP_INTR. */
int wfqnl_group_dump(struct wfqnl *nl, unsigned int flags, wfqnl_group_fn fn,
		     void *arg, bool *intr, struct wfqnl_err *err);

int wfqnl_stats_get(struct wfqnl *nl, struct wfqnl_stats *out,
		    struct wfqnl_err *err);

/* Join the "events" multicast group. */
int wfqnl_events_subscribe(struct wfqnl *nl, struct wfqnl_err *err);
/*
 * Wait up to timeout_ms (-1: forever) for one notification.
 * 1: *ev filled; 0: timed out; -ENOBUFS: events were lost (the handle
 * stays usable); other -errno: failure.
 */
int wfqnl_event_recv(struct wfqnl *nl, int timeout_ms, struct wfqnl_event *ev,
		     struct wfqnl_err *err);

/*
 * Raw access, for tools that need a command this API lacks and for tests
 * that send malformed requests. wfqnl_msg_new() returns a request for
 * this family (free it with nlmsg_free()); add attributes with libnl's
 * nla_put_*(). wfqnl_request() sends it, adding NLM_F_ACK unless it is a
 * dump, calls fn for every reply message (fn may be NULL; a negative
 * return stops the calls and is returned) and returns 0 or the kernel's
 * -errno with its extack in err. *nlm_flags (may be NULL) gets the OR of
 * the flags of every reply, NLMSG_DONE included.
 */
typedef int (*wfqnl_msg_fn)(const struct nlmsghdr *nlh, void *arg);

struct nl_msg *wfqnl_msg_new(struct wfqnl *nl, uint8_t cmd, int nlm_flags,
			     struct wfqnl_err *err);
int wfqnl_request(struct wfqnl *nl, struct nl_msg *msg, wfqnl_msg_fn fn,
		  void *arg, unsigned int *nlm_flags, struct wfqnl_err *err);

/* Decode one reply or notification carrying a group's attributes. */
int wfqnl_group_parse(const struct nlmsghdr *nlh, struct wfqnl_group *g,
		      struct wfqnl_err *err);
/* Decode its WFQMON_A_GROUP_CPU nests as wfqnl_group_get_cpus() does. */
int wfqnl_group_parse_cpus(const struct nlmsghdr *nlh, struct wfqnl_cpu **cpus,
			   unsigned int *nr_cpus, struct wfqnl_err *err);

#endif /* WFQNL_H */
