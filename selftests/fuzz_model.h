/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzzer's oracle: what the kernel must answer to each message of a
 * batch, from the message bytes alone. It runs the batch through a model
 * of netlink_rcv_skb(), genetlink's header, command and permission
 * checks, the family's policies (fuzz_policy.h) and wfqmon's handlers
 * (kmod/netlink.c), keeping a model of the groups the handlers change.
 */
#ifndef WFQ_FUZZ_MODEL_H
#define WFQ_FUZZ_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/wfqmon.h>

#include "fuzz_policy.h"

#define FUZZ_MAX_CGROUPS	12
/* Model capacity: our groups (one per private cgroup) and others'. */
#define FUZZ_MAX_GROUPS		256
/* cgroup v2 directories on the system that the model knows exist. */
#define FUZZ_MAX_SYS_CGROUPS	4096
#define FUZZ_MAX_BATCH		48
/*
 * Group ids start at 1 and count up (xa_alloc_cyclic()): no run gets
 * near this, so no group made in the current batch (its id not yet
 * learnt from the reply) can have an id from here up.
 */
#define FUZZ_UNKNOWN_ID_MIN	0x80000000u

struct fuzz_group {
	bool used;
	bool foreign;		/* existed before the fuzzer: never changed */
	uint32_t gen;		/* tells a reused slot apart */
	uint32_t id;		/* 0 until the reply to its GROUP_NEW says */
	char name[WFQMON_NAME_MAX + 1];
	uint32_t weight;
	uint64_t cgroup_id;
};

/* A cgroup we made and may bind; fd is open on it. */
struct fuzz_cgroup {
	int fd;
	uint64_t id;
};

struct fuzz_world {
	const struct fuzz_family *fam;
	/* Kernel >= 6.2: do and dump are looked up before permissions. */
	bool split_ops;
	/* CAP_NET_ADMIN in the initial user namespace. */
	bool privileged;
	uint32_t max_groups;
	char prefix[24];
	int n_cgroups;
	struct fuzz_cgroup cg[FUZZ_MAX_CGROUPS];
	int not_cgroup_fd;	/* open, but not a cgroup directory */
	int n_sys_cgroups;
	uint64_t sys_cgroup[FUZZ_MAX_SYS_CGROUPS];	/* sorted */
	uint16_t unknown_family;	/* an id no family has */
	uint32_t seq;
	uint32_t gen;
	struct fuzz_group g[FUZZ_MAX_GROUPS];
};

/* What a message carries when it succeeds, before its ack (if any). */
enum fuzz_reply_kind {
	FUZZ_REPLY_NONE,
	FUZZ_REPLY_GROUP,	/* one group, cmd = the request's */
	FUZZ_REPLY_STATS,
	FUZZ_REPLY_DUMP,	/* every group, then NLMSG_DONE */
};

/* What a request does to the groups if the kernel accepts it. */
enum fuzz_effect {
	FUZZ_EFFECT_NONE,
	FUZZ_EFFECT_ADD,
	FUZZ_EFFECT_DEL,
	FUZZ_EFFECT_SET,
};

/* The oracle's prediction for one message, and what came back. */
struct fuzz_expect {
	size_t off, len;	/* bytes of the batch buffer */
	uint32_t seq;
	uint16_t type;		/* nlmsg_type */
	int cat;		/* enum fuzz_cat of the generator */
	bool dropped;		/* the kernel never reads it */
	bool forbidden;		/* would touch what is not the fuzzer's */
	bool ack;		/* an NLMSG_ERROR must answer it */
	bool admin_op;		/* reached an op that needs CAP_NET_ADMIN */
	struct fuzz_verdict v;
	enum fuzz_reply_kind reply;
	bool hist;		/* GET asked for the histograms */
	enum fuzz_effect effect;
	int slot;		/* the group changed or shown, or -1 */
	uint32_t slot_gen;
	struct fuzz_group shown;	/* its state right after the request */
	int nr_groups;		/* FUZZ_REPLY_STATS: groups at that point */
	/* Filled while receiving. */
	int n_replies;		/* data messages (a dump: one per group) */
	bool got_ack, got_done;
	int got_err;
};

/* Groups whose name starts with world->prefix are the fuzzer's. */
bool fuzz_world_is_ours(const struct fuzz_world *w, const char *name);
struct fuzz_group *fuzz_world_find_name(const struct fuzz_world *w,
					const char *name);
struct fuzz_group *fuzz_world_find_id(const struct fuzz_world *w,
				      uint32_t id);
/* Add a group as the kernel reported it (set-up, or a learnt NEW). */
struct fuzz_group *fuzz_world_add(struct fuzz_world *w,
				  const struct fuzz_group *g);
int fuzz_world_count(const struct fuzz_world *w);
/* Our cgroup with this id / fd, or NULL. */
const struct fuzz_cgroup *fuzz_world_cgroup_id(const struct fuzz_world *w,
					       uint64_t id);
/* The group bound to cgroup id, or NULL. */
struct fuzz_group *fuzz_world_bound(const struct fuzz_world *w,
				    uint64_t cgid);

/*
 * Predict the answer to the message at msg, with len bytes from its
 * start to the end of its send() (so a message claiming more is
 * dropped). Fills e (but e->off, len, cat) without changing w.
 */
void fuzz_model_message(const struct fuzz_world *w, const uint8_t *msg,
			size_t len, struct fuzz_expect *e);
/* Predict a message that netlink_rcv_skb() stopped before: nothing. */
void fuzz_model_unread(struct fuzz_expect *e);
/* Apply a predicted message's effect to w (e->slot: where it landed). */
void fuzz_model_apply(struct fuzz_world *w, struct fuzz_expect *e);

/* A group name the kernel accepts (wfq_name_valid()). */
bool fuzz_name_valid(const char *name);

#endif /* WFQ_FUZZ_MODEL_H */
