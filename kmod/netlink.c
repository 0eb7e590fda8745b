// SPDX-License-Identifier: GPL-2.0
/*
 * Request handlers of the wfqmon family: parse, check, call the group
 * core under wfq_lock, reply. Every rejection carries an extack message
 * that names what was wrong.
 */

#include <linux/file.h>

#include "compat.h"
#include "wfqmon.h"
#include "genl.h"

struct wfq_dump_ctx {
	unsigned long next_id;
};

/* What a reply carries besides the counters every group reply has. */
enum wfq_nl_extra {
	WFQ_NL_HIST	= BIT(0),	/* QUANTUM_HIST, WAIT_HIST */
	WFQ_NL_PERCPU	= BIT(1),	/* one CPU nest per possible CPU */
};

/*
 * Printable ASCII but space and '/': what cgroup directory names of
 * systemd units and container managers use, and still one word in a
 * table or a shell.
 */
static bool wfq_name_char_valid(char c)
{
	return c >= 0x21 && c <= 0x7e && c != '/';
}

static bool wfq_name_valid(const char *name)
{
	const char *c;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (c = name; *c; c++)
		if (!wfq_name_char_valid(*c))
			return false;
	return true;
}

/* The cgroup v2 directory named by CGROUP_FD or CGROUP_ID, referenced. */
static struct cgroup *wfq_nl_cgroup(struct genl_info *info)
{
	struct nlattr *fd_attr = info->attrs[WFQMON_A_GROUP_CGROUP_FD];
	struct nlattr *id_attr = info->attrs[WFQMON_A_GROUP_CGROUP_ID];
	struct cgroup *cgrp;

	if (fd_attr && id_attr) {
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "give the cgroup by fd or by id, not both");
		return ERR_PTR(-EINVAL);
	}
	if (fd_attr) {
		cgrp = cgroup_get_from_fd(nla_get_u32(fd_attr));
		if (IS_ERR(cgrp))
			NL_SET_ERR_MSG_ATTR(info->extack, fd_attr,
					    "not an open cgroup v2 directory");
		return cgrp;
	}
	cgrp = wfq_cgroup_get_from_id(nla_get_u64(id_attr));
	if (cgrp == ERR_PTR(-EOPNOTSUPP))
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "this kernel cannot check a cgroup id against the caller's cgroup namespace: give CGROUP_FD");
	else if (IS_ERR(cgrp))
		NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
				    "no cgroup v2 with this id");
	return cgrp;
}

static bool wfq_nl_has_cgroup(struct genl_info *info)
{
	return info->attrs[WFQMON_A_GROUP_CGROUP_FD] ||
	       info->attrs[WFQMON_A_GROUP_CGROUP_ID];
}

/* The group named by ID and/or NAME; both, if given, must agree. */
static struct wfq_group *wfq_nl_group(struct genl_info *info)
{
	struct nlattr *id_attr = info->attrs[WFQMON_A_GROUP_ID];
	struct nlattr *name_attr = info->attrs[WFQMON_A_GROUP_NAME];
	struct wfq_group *g;

	lockdep_assert_held(&wfq_lock);

	if (!id_attr && !name_attr) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, WFQMON_A_GROUP_ID);
		NL_SET_ERR_MSG(info->extack, "name the group by id or name");
		return ERR_PTR(-EINVAL);
	}
	if (id_attr) {
		g = wfq_group_find_id(nla_get_u32(id_attr));
		if (!g) {
			NL_SET_ERR_MSG_ATTR(info->extack, id_attr,
					    "no group with this id");
			return ERR_PTR(-ENOENT);
		}
		if (name_attr && nla_strcmp(name_attr, g->name)) {
			NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
					    "id and name refer to different groups");
			return ERR_PTR(-EINVAL);
		}
		return g;
	}
	g = wfq_group_find_name(nla_data(name_attr));
	if (!g) {
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "no group with this name");
		return ERR_PTR(-ENOENT);
	}
	return g;
}

/* A u32 or u64 attribute of a group reply. */
struct wfq_nl_num {
	u16 type;
	u16 size;
	u64 value;
};

#define WFQ_NL_U32(t, v)	{ .type = (t), .size = sizeof(u32), .value = (v) }
#define WFQ_NL_U64(t, v)	{ .type = (t), .size = sizeof(u64), .value = (v) }

/* Put @n numbers, each with nla_put_*(): the helpers size, align and pad. */
static int wfq_nl_put_nums(struct sk_buff *skb, const struct wfq_nl_num *v,
			   int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].size == sizeof(u32) ?
		    nla_put_u32(skb, v[i].type, v[i].value) :
		    nla_put_u64_64bit(skb, v[i].type, v[i].value,
				      WFQMON_A_GROUP_PAD))
			return -EMSGSIZE;
	return 0;
}

static int wfq_nl_put_hist(struct sk_buff *skb, int type, const u64 *buckets)
{
	struct nlattr *hist;
	int i;

	hist = nla_nest_start(skb, type);
	if (!hist)
		return -EMSGSIZE;
	for (i = 0; i < WFQMON_HIST_BUCKETS; i++)
		if (nla_put_u64_64bit(skb, WFQMON_A_HIST_BUCKET, buckets[i],
				      WFQMON_A_HIST_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, hist);
	return 0;
}

/* One WFQMON_A_GROUP_CPU nest per possible CPU, offline ones included. */
static int wfq_nl_put_cpus(struct sk_buff *skb, struct wfq_group *g)
{
	struct wfq_cpu_counters c;
	struct nlattr *nest;
	int cpu;

	for_each_possible_cpu(cpu) {
		wfq_group_read_cpu(g, cpu, &c);
		nest = nla_nest_start(skb, WFQMON_A_GROUP_CPU);
		if (!nest ||
		    nla_put_u32(skb, WFQMON_A_CPU_ID, cpu) ||
		    nla_put_u64_64bit(skb, WFQMON_A_CPU_RUNTIME_NS, c.runtime_ns,
				      WFQMON_A_CPU_PAD) ||
		    nla_put_u64_64bit(skb, WFQMON_A_CPU_WAIT_NS, c.wait_ns,
				      WFQMON_A_CPU_PAD) ||
		    nla_put_u64_64bit(skb, WFQMON_A_CPU_QUANTA, c.quanta,
				      WFQMON_A_CPU_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* Reply room for wfq_nl_put_cpus() on top of the group's attributes. */
static size_t wfq_nl_cpus_size(void)
{
	size_t one = nla_total_size(0) + nla_total_size(sizeof(u32)) +
		     3 * nla_total_size_64bit(sizeof(u64));

	return one * num_possible_cpus();
}

/* The group's numbers, with the counters @c read just before. */
static int wfq_nl_put_counters(struct sk_buff *skb, const struct wfq_group *g,
			       const struct wfq_counters *c)
{
	s64 vtime = atomic64_read(&g->vtime);
	/*
	 * Against its siblings' s_min as last refreshed (a charge tick
	 * refreshes it). The parent is stable under wfq_lock; a dead
	 * group's may be gone, and it has no siblings.
	 */
	s64 lag = (READ_ONCE(g->dead) ? vtime : wfq_vtime_min(g->parent)) - vtime;
	const struct wfq_nl_num nums[] = {
		WFQ_NL_U32(WFQMON_A_GROUP_ID, g->id),
		WFQ_NL_U32(WFQMON_A_GROUP_WEIGHT, READ_ONCE(g->weight)),
		WFQ_NL_U64(WFQMON_A_GROUP_CGROUP_ID, g->cgroup_id),
		WFQ_NL_U32(WFQMON_A_GROUP_NR_RUNNABLE, c->nr_runnable),
		WFQ_NL_U64(WFQMON_A_GROUP_VTIME, vtime),
		WFQ_NL_U64(WFQMON_A_GROUP_LAG, lag),
		WFQ_NL_U64(WFQMON_A_GROUP_RUNTIME_NS, c->sum.runtime_ns),
		WFQ_NL_U64(WFQMON_A_GROUP_QUANTA, c->sum.quanta),
		WFQ_NL_U64(WFQMON_A_GROUP_QUANTUM_MAX_NS, c->quantum_max_ns),
		WFQ_NL_U64(WFQMON_A_GROUP_WAIT_NS, c->sum.wait_ns),
		WFQ_NL_U64(WFQMON_A_GROUP_WAIT_MAX_NS, c->wait_max_ns),
		WFQ_NL_U64(WFQMON_A_GROUP_ACTIVE_NS, c->active_ns),
		WFQ_NL_U64(WFQMON_A_GROUP_ACTIVATIONS, c->activations),
		WFQ_NL_U64(WFQMON_A_GROUP_CATCHUPS, c->catchups),
		WFQ_NL_U64(WFQMON_A_GROUP_CATCHUP_VTIME, c->catchup_vtime),
		WFQ_NL_U64(WFQMON_A_GROUP_FORKS, c->sum.forks),
		WFQ_NL_U64(WFQMON_A_GROUP_EXITS, c->sum.exits),
		WFQ_NL_U64(WFQMON_A_GROUP_SINCE_NS, g->since_ns),
		WFQ_NL_U32(WFQMON_A_GROUP_PARENT_ID, g->parent_id),
		WFQ_NL_U32(WFQMON_A_GROUP_DEPTH, g->depth),
		WFQ_NL_U32(WFQMON_A_GROUP_NR_ACTIVE_CHILDREN, c->nr_active_children),
	};

	return wfq_nl_put_nums(skb, nums, ARRAY_SIZE(nums));
}

static int wfq_nl_put_group(struct sk_buff *skb, struct wfq_group *g,
			    unsigned int extra)
{
	struct wfq_counters c;

	wfq_group_read(g, &c, extra & WFQ_NL_HIST);

	if (wfq_nl_put_counters(skb, g, &c) ||
	    nla_put_string(skb, WFQMON_A_GROUP_NAME, g->name) ||
	    nla_put_u8(skb, WFQMON_A_GROUP_ACTIVE, c.active))
		return -EMSGSIZE;

	if ((extra & WFQ_NL_HIST) &&
	    (wfq_nl_put_hist(skb, WFQMON_A_GROUP_QUANTUM_HIST, c.sum.hist) ||
	     wfq_nl_put_hist(skb, WFQMON_A_GROUP_WAIT_HIST, c.sum.wait_hist)))
		return -EMSGSIZE;
	if ((extra & WFQ_NL_PERCPU) && wfq_nl_put_cpus(skb, g))
		return -EMSGSIZE;
	return 0;
}

static int wfq_nl_fill_group(struct sk_buff *skb, struct wfq_group *g,
			     u32 portid, u32 seq, int flags, u8 cmd,
			     struct netlink_callback *cb, unsigned int extra)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &wfq_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (wfq_nl_put_group(skb, g, extra)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Replies are allocated before a request changes anything: once a group
 * is created or changed, nothing may fail and report an error for a
 * change that was made.
 */
static struct sk_buff *wfq_nl_reply_alloc(void)
{
	return genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
}

/* Fill @rsp with @g (and the @extra parts), send it; consumes @rsp. */
static int wfq_nl_reply_group(struct sk_buff *rsp, struct genl_info *info,
			      struct wfq_group *g, unsigned int extra)
{
	int err;

	err = wfq_nl_fill_group(rsp, g, info->snd_portid, info->snd_seq, 0,
				info->genlhdr->cmd, NULL, extra);
	if (WARN_ON_ONCE(err)) {
		nlmsg_free(rsp);
		return err;
	}
	return genlmsg_reply(rsp, info);
}

/* Multicast @g's attributes as @cmd to the events group, if anyone listens. */
int wfq_nl_notify(struct wfq_group *g, u8 cmd, gfp_t gfp)
{
	struct sk_buff *skb;
	int err;

	if (!genl_has_listeners(&wfq_family, &init_net, WFQMON_NLGRP_EVENTS))
		return -ESRCH;
	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return -ENOMEM;
	err = wfq_nl_fill_group(skb, g, 0, 0, 0, cmd, NULL, 0);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_multicast(&wfq_family, skb, 0, WFQMON_NLGRP_EVENTS, gfp);
}

int wfq_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[WFQMON_A_GROUP_NAME];
	struct nlattr *weight_attr = info->attrs[WFQMON_A_GROUP_WEIGHT];
	struct nlattr *lag_attr = info->attrs[WFQMON_A_GROUP_LAG];
	u32 weight = WFQMON_WEIGHT_DEFAULT;
	struct sk_buff *rsp;
	s64 lag = 0;
	struct wfq_group *g;
	struct cgroup *cgrp;
	int err;

	if (!name_attr) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, WFQMON_A_GROUP_NAME);
		NL_SET_ERR_MSG(info->extack, "a group needs a name");
		return -EINVAL;
	}
	if (!wfq_name_valid(nla_data(name_attr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "group names are printable ASCII, no space or /, not . or ..");
		return -EINVAL;
	}
	if (!wfq_nl_has_cgroup(info)) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL,
				     WFQMON_A_GROUP_CGROUP_FD);
		NL_SET_ERR_MSG(info->extack,
			       "bind the group to a cgroup by fd or id");
		return -EINVAL;
	}
	if (weight_attr)
		weight = nla_get_u32(weight_attr);
	if (lag_attr)
		lag = nla_get_s64(lag_attr);

	rsp = wfq_nl_reply_alloc();
	if (!rsp)
		return -ENOMEM;
	cgrp = wfq_nl_cgroup(info);
	if (IS_ERR(cgrp)) {
		err = PTR_ERR(cgrp);
		goto err_free_rsp;
	}

	mutex_lock(&wfq_lock);
	g = wfq_group_create(nla_data(name_attr), weight, lag, cgrp,
			     info->extack);
	if (IS_ERR(g)) {
		mutex_unlock(&wfq_lock);
		cgroup_put(cgrp);
		err = PTR_ERR(g);
		goto err_free_rsp;
	}
	wfq_nl_notify(g, WFQMON_CMD_GROUP_NEW_NTF, GFP_KERNEL);
	err = wfq_nl_reply_group(rsp, info, g, 0);
	mutex_unlock(&wfq_lock);
	return err;

err_free_rsp:
	nlmsg_free(rsp);
	return err;
}

int wfq_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct wfq_group *g;
	int err = 0;

	mutex_lock(&wfq_lock);
	g = wfq_nl_group(info);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
		goto out_unlock;
	}
	wfq_nl_notify(g, WFQMON_CMD_GROUP_DEL_NTF, GFP_KERNEL);
	wfq_group_destroy(g);
out_unlock:
	mutex_unlock(&wfq_lock);
	return err;
}

int wfq_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *weight_attr = info->attrs[WFQMON_A_GROUP_WEIGHT];
	struct cgroup *cgrp = NULL;
	struct sk_buff *rsp;
	struct wfq_group *g;
	int err;

	if (!weight_attr && !wfq_nl_has_cgroup(info)) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, WFQMON_A_GROUP_WEIGHT);
		NL_SET_ERR_MSG(info->extack,
			       "nothing to change: give a weight or a cgroup");
		return -EINVAL;
	}
	rsp = wfq_nl_reply_alloc();
	if (!rsp)
		return -ENOMEM;
	if (wfq_nl_has_cgroup(info)) {
		cgrp = wfq_nl_cgroup(info);
		if (IS_ERR(cgrp)) {
			nlmsg_free(rsp);
			return PTR_ERR(cgrp);
		}
	}

	mutex_lock(&wfq_lock);
	g = wfq_nl_group(info);
	if (IS_ERR(g)) {
		err = PTR_ERR(g);
		goto err_put_cgroup;
	}
	if (cgrp) {
		err = wfq_group_rebind(g, cgrp, info->extack);
		if (err)
			goto err_put_cgroup;
	}
	if (weight_attr)
		wfq_group_set_weight(g, nla_get_u32(weight_attr));
	wfq_nl_notify(g, WFQMON_CMD_GROUP_CHANGE_NTF, GFP_KERNEL);
	err = wfq_nl_reply_group(rsp, info, g, 0);
	mutex_unlock(&wfq_lock);
	return err;

err_put_cgroup:
	mutex_unlock(&wfq_lock);
	if (cgrp)
		cgroup_put(cgrp);
	nlmsg_free(rsp);
	return err;
}

int wfq_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	unsigned int extra = 0;
	struct sk_buff *rsp;
	struct wfq_group *g;
	int err;

	if (nla_get_flag(info->attrs[WFQMON_A_GROUP_HISTOGRAMS]))
		extra |= WFQ_NL_HIST;
	if (nla_get_flag(info->attrs[WFQMON_A_GROUP_PERCPU]))
		extra |= WFQ_NL_PERCPU;

	if (extra & WFQ_NL_PERCPU)
		rsp = genlmsg_new(NLMSG_GOODSIZE + wfq_nl_cpus_size(),
				  GFP_KERNEL);
	else
		rsp = wfq_nl_reply_alloc();
	if (!rsp)
		return -ENOMEM;
	mutex_lock(&wfq_lock);
	g = wfq_nl_group(info);
	if (IS_ERR(g)) {
		nlmsg_free(rsp);
		err = PTR_ERR(g);
	} else {
		err = wfq_nl_reply_group(rsp, info, g, extra);
	}
	mutex_unlock(&wfq_lock);
	return err;
}

/*
 * The dump takes HISTOGRAMS only (its policy in the YNL spec). One
 * group is a GET without NLM_F_DUMP: a dump that named one and listed
 * them all would answer a question it was not asked.
 */
static int wfq_nl_dump_check(struct netlink_callback *cb)
{
	const struct nlattr *attr;

	attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, WFQMON_A_GROUP_ID);
	if (attr) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr,
				    "a dump lists every group: get one by id without NLM_F_DUMP");
		return -EINVAL;
	}
	attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, WFQMON_A_GROUP_NAME);
	if (attr) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr,
				    "a dump lists every group: get one by name without NLM_F_DUMP");
		return -EINVAL;
	}
	attr = nlmsg_find_attr(cb->nlh, GENL_HDRLEN, WFQMON_A_GROUP_PERCPU);
	if (attr) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attr,
				    "per-CPU counters come with one group: name it by id or name");
		return -EINVAL;
	}
	return 0;
}

int wfq_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct wfq_dump_ctx *ctx = (struct wfq_dump_ctx *)cb->ctx;
	unsigned int extra = 0;
	struct wfq_group *g;
	int err;

	BUILD_BUG_ON(sizeof(*ctx) > sizeof(cb->ctx));

	/* The core validated the request; find the flags without the parsed table. */
	err = wfq_nl_dump_check(cb);
	if (err)
		return err;
	if (nlmsg_find_attr(cb->nlh, GENL_HDRLEN, WFQMON_A_GROUP_HISTOGRAMS))
		extra |= WFQ_NL_HIST;

	mutex_lock(&wfq_lock);
	cb->seq = wfq_groups_seq;
	for (g = wfq_group_next(&ctx->next_id); g;
	     ctx->next_id++, g = wfq_group_next(&ctx->next_id)) {
		err = wfq_nl_fill_group(skb, g, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI,
					WFQMON_CMD_GROUP_GET, cb, extra);
		if (err)
			break;
	}
	mutex_unlock(&wfq_lock);

	/* A full skb ends this round; the next one resumes at next_id. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err;
}

int wfq_nl_group_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *rsp;
	struct wfq_group *g;
	int err;

	rsp = wfq_nl_reply_alloc();
	if (!rsp)
		return -ENOMEM;
	mutex_lock(&wfq_lock);
	g = wfq_nl_group(info);
	if (IS_ERR(g)) {
		nlmsg_free(rsp);
		err = PTR_ERR(g);
		goto out_unlock;
	}
	wfq_group_reset(g);
	err = wfq_nl_reply_group(rsp, info, g, 0);
out_unlock:
	mutex_unlock(&wfq_lock);
	return err;
}

static int wfq_nl_put_stats(struct sk_buff *skb)
{
	struct wfq_stats_pcpu sum = {};
	struct wfq_vtime_summary vt;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct wfq_stats_pcpu *s = per_cpu_ptr(&wfq_stats, cpu);

		sum.switches += READ_ONCE(s->switches);
		sum.runtime_events += READ_ONCE(s->runtime_events);
		sum.wakeups += READ_ONCE(s->wakeups);
		sum.forks += READ_ONCE(s->forks);
		sum.exits += READ_ONCE(s->exits);
		sum.charged_ns += READ_ONCE(s->charged_ns);
		sum.untracked += READ_ONCE(s->untracked);
	}
	wfq_vtime_summary(&vt);

	if (nla_put_u64_64bit(skb, WFQMON_A_STATS_VTIME_MIN, vt.s_min, WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_VTIME_AVG, vt.avg, WFQMON_A_STATS_PAD) ||
	    nla_put_u32(skb, WFQMON_A_STATS_NR_GROUPS, atomic_read(&wfq_nr_groups)) ||
	    nla_put_u32(skb, WFQMON_A_STATS_MAX_GROUPS, wfq_max_groups) ||
	    nla_put_u32(skb, WFQMON_A_STATS_NR_ACTIVE, vt.nr_queued + vt.nr_stalled) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_WEIGHT_ACTIVE, vt.weight, WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_SWITCHES, sum.switches, WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_RUNTIME_EVENTS, sum.runtime_events,
			      WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_WAKEUPS, sum.wakeups, WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_FORKS, sum.forks, WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_EXITS, sum.exits, WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_CHARGED_NS, sum.charged_ns,
			      WFQMON_A_STATS_PAD) ||
	    nla_put_u32(skb, WFQMON_A_STATS_TASKS_TRACKED, wfq_tasks_tracked()) ||
	    nla_put_u32(skb, WFQMON_A_STATS_TASKS_MAX, wfq_tasks_capacity()) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_TASKS_UNTRACKED, sum.untracked,
			      WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_EVENTS_SENT, wfq_events_sent(),
			      WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_EVENTS_COALESCED,
			      wfq_events_coalesced(), WFQMON_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_MEMORY_BYTES,
			      atomic64_read(&wfq_mem_bytes), WFQMON_A_STATS_PAD) ||
	    nla_put_u32(skb, WFQMON_A_STATS_NR_STALLED, vt.nr_stalled) ||
	    nla_put_u64_64bit(skb, WFQMON_A_STATS_STALLS, vt.stalls, WFQMON_A_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

int wfq_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *rsp;
	void *hdr;

	/*
	 * The spec gives STATS_GET no request attributes. The core rejects
	 * them for an op without a policy, except a split op on some
	 * kernels (6.12 accepts them): refuse them here too.
	 */
	if (genlmsg_len(info->genlhdr)) {
		const struct nlattr *attr = genlmsg_data(info->genlhdr);

		/* Like the core: point at the first attribute if it is whole. */
		if (nla_ok(attr, genlmsg_len(info->genlhdr)))
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "STATS_GET takes no attributes");
		else
			NL_SET_ERR_MSG(info->extack,
				       "STATS_GET takes no attributes");
		return -EINVAL;
	}
	rsp = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!rsp)
		return -ENOMEM;
	hdr = genlmsg_put(rsp, info->snd_portid, info->snd_seq, &wfq_family, 0,
			  WFQMON_CMD_STATS_GET);
	if (!hdr || wfq_nl_put_stats(rsp)) {
		nlmsg_free(rsp);
		return -EMSGSIZE;
	}
	genlmsg_end(rsp, hdr);
	return genlmsg_reply(rsp, info);
}
