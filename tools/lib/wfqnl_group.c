// SPDX-License-Identifier: GPL-2.0
/* Group requests: create, change, destroy, read, reset, dump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "wfqnl_priv.h"

/* "group 12" or "group \"web\"": the object an error is about. */
static const char *ref_str(struct wfqnl_ref ref, char *buf, size_t size)
{
	if (ref.id)
		snprintf(buf, size, "group %u", ref.id);
	else if (ref.name)
		snprintf(buf, size, "group \"%s\"", ref.name);
	else
		snprintf(buf, size, "group (no id or name)");
	return buf;
}

static int put_ref(struct nl_msg *msg, struct wfqnl_ref ref)
{
	if (ref.id)
		return nla_put_u32(msg, WFQMON_A_GROUP_ID, ref.id);
	if (ref.name)
		return nla_put_string(msg, WFQMON_A_GROUP_NAME, ref.name);
	return 0;
}

static int put_weight_bind(struct nl_msg *msg, uint32_t weight,
			   struct wfqnl_bind bind)
{
	int ret = 0;

	if (weight)
		ret = nla_put_u32(msg, WFQMON_A_GROUP_WEIGHT, weight);
	if (!ret && bind.kind == WFQNL_BIND_FD)
		ret = nla_put_u32(msg, WFQMON_A_GROUP_CGROUP_FD,
				  (uint32_t)bind.fd);
	if (!ret && bind.kind == WFQNL_BIND_ID)
		ret = nla_put_u64(msg, WFQMON_A_GROUP_CGROUP_ID,
				  bind.cgroup_id);
	return ret;
}

struct group_reply {
	struct wfqnl_group *group;	/* NULL: reply not wanted */
	struct wfqnl_err *err;
};

int wfqnl_group_reply_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct group_reply *reply = arg;

	if (!reply->group)
		return 0;
	return wfqnl_group_parse(nlh, reply->group, reply->err);
}

/* Send a built request, free it, decode the reply into out (may be NULL). */
static int group_request(struct wfqnl *nl, struct nl_msg *msg, int put_ret,
			 struct wfqnl_group *out, struct wfqnl_err *err)
{
	struct group_reply reply = { .group = out, .err = err };
	int ret;

	if (out)
		memset(out, 0, sizeof(*out));
	if (put_ret < 0)
		ret = wfqnl_err_set(err, EMSGSIZE, "build request");
	else
		ret = wfqnl_request(nl, msg, wfqnl_group_reply_fn, &reply,
				    NULL, err);
	nlmsg_free(msg);
	return ret;
}

/* NEW, with LAG only when @lag is given: older modules refuse it. */
static int group_new(struct wfqnl *nl, const char *name, uint32_t weight,
		     const int64_t *lag, struct wfqnl_bind bind,
		     struct wfqnl_group *out, struct wfqnl_err *err)
{
	struct nl_msg *msg;
	int ret = 0;

	msg = wfqnl_msg_new(nl, WFQMON_CMD_GROUP_NEW, 0, err);
	if (!msg)
		goto err;
	if (name)
		ret = nla_put_string(msg, WFQMON_A_GROUP_NAME, name);
	if (!ret)
		ret = put_weight_bind(msg, weight, bind);
	if (!ret && lag)
		ret = nla_put_s64(msg, WFQMON_A_GROUP_LAG, *lag);
	ret = group_request(nl, msg, ret, out, err);
	if (!ret)
		return 0;
err:
	wfqnl_err_wrap(err, "create group \"%s\"", name ? name : "");
	return -err->errnum;
}

int wfqnl_group_new(struct wfqnl *nl, const char *name, uint32_t weight,
		    struct wfqnl_bind bind, struct wfqnl_group *out,
		    struct wfqnl_err *err)
{
	return group_new(nl, name, weight, NULL, bind, out, err);
}

int wfqnl_group_new_lag(struct wfqnl *nl, const char *name, uint32_t weight,
			int64_t lag, struct wfqnl_bind bind,
			struct wfqnl_group *out, struct wfqnl_err *err)
{
	return group_new(nl, name, weight, &lag, bind, out, err);
}

int wfqnl_group_set(struct wfqnl *nl, struct wfqnl_ref ref, uint32_t weight,
		    struct wfqnl_bind bind, struct wfqnl_group *out,
		    struct wfqnl_err *err)
{
	struct nl_msg *msg;
	char what[WFQMON_NAME_MAX + 32];
	int ret;

	msg = wfqnl_msg_new(nl, WFQMON_CMD_GROUP_SET, 0, err);
	if (!msg)
		goto err;
	ret = put_ref(msg, ref);
	if (!ret)
		ret = put_weight_bind(msg, weight, bind);
	ret = group_request(nl, msg, ret, out, err);
	if (!ret)
		return 0;
err:
	wfqnl_err_wrap(err, "change %s", ref_str(ref, what, sizeof(what)));
	return -err->errnum;
}

/* GET's flag attributes for WFQNL_GET_* @flags. */
static int put_get_flags(struct nl_msg *msg, unsigned int flags)
{
	if (flags & WFQNL_GET_HISTOGRAMS)
		return nla_put_flag(msg, WFQMON_A_GROUP_HISTOGRAMS);
	return 0;
}

/* DEL, GET and RESET: a reference, and GET's flags. */
static int group_ref_cmd(struct wfqnl *nl, uint8_t cmd, const char *verb,
			 struct wfqnl_ref ref, unsigned int flags,
			 struct wfqnl_group *out, struct wfqnl_err *err)
{
	char what[WFQMON_NAME_MAX + 32];
	struct nl_msg *msg;
	int ret;

	msg = wfqnl_msg_new(nl, cmd, 0, err);
	if (!msg)
		goto err;
	ret = put_ref(msg, ref);
	if (!ret)
		ret = put_get_flags(msg, flags);
	ret = group_request(nl, msg, ret, out, err);
	if (!ret)
		return 0;
err:
	wfqnl_err_wrap(err, "%s %s", verb, ref_str(ref, what, sizeof(what)));
	return -err->errnum;
}

int wfqnl_group_del(struct wfqnl *nl, struct wfqnl_ref ref,
		    struct wfqnl_err *err)
{
	return group_ref_cmd(nl, WFQMON_CMD_GROUP_DEL, "destroy", ref, 0, NULL,
			     err);
}

int wfqnl_group_get(struct wfqnl *nl, struct wfqnl_ref ref, unsigned int flags,
		    struct wfqnl_group *out, struct wfqnl_err *err)
{
	struct wfqnl_group scratch;
	int ret;

	ret = group_ref_cmd(nl, WFQMON_CMD_GROUP_GET, "read", ref, flags,
			    out ? out : &scratch, err);
	if (!ret && !(out ? out : &scratch)->present) {
		char what[WFQMON_NAME_MAX + 32];

		return wfqnl_err_set(err, EPROTO, "read %s: no reply",
				     ref_str(ref, what, sizeof(what)));
	}
	return ret;
}

struct cpus_reply {
	struct wfqnl_group *group;
	struct wfqnl_cpu *cpus;
	unsigned int nr_cpus;
	struct wfqnl_err *err;
};

static int cpus_reply_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct cpus_reply *reply = arg;
	int ret;

	ret = wfqnl_group_parse(nlh, reply->group, reply->err);
	if (ret)
		return ret;
	free(reply->cpus);
	return wfqnl_group_parse_cpus(nlh, &reply->cpus, &reply->nr_cpus,
				      reply->err);
}

int wfqnl_group_get_cpus(struct wfqnl *nl, struct wfqnl_ref ref,
			 unsigned int flags, struct wfqnl_group *out,
			 struct wfqnl_cpu **cpus, unsigned int *nr_cpus,
			 struct wfqnl_err *err)
{
	struct cpus_reply reply = { .group = out, .err = err };
	char what[WFQMON_NAME_MAX + 32];
	struct nl_msg *msg;
	int ret;

	*cpus = NULL;
	*nr_cpus = 0;
	memset(out, 0, sizeof(*out));
	msg = wfqnl_msg_new(nl, WFQMON_CMD_GROUP_GET, 0, err);
	if (!msg)
		goto err;
	ret = put_ref(msg, ref);
	if (!ret)
		ret = put_get_flags(msg, flags);
	if (!ret)
		ret = nla_put_flag(msg, WFQMON_A_GROUP_PERCPU);
	if (ret < 0)
		ret = wfqnl_err_set(err, EMSGSIZE, "build request");
	else
		ret = wfqnl_request(nl, msg, cpus_reply_fn, &reply, NULL, err);
	nlmsg_free(msg);
	if (!ret && !out->present)
		ret = wfqnl_err_set(err, EPROTO, "no reply");
	if (!ret) {
		*cpus = reply.cpus;
		*nr_cpus = reply.nr_cpus;
		return 0;
	}
	free(reply.cpus);
err:
	wfqnl_err_wrap(err, "read per-CPU counters of %s",
		       ref_str(ref, what, sizeof(what)));
	return -err->errnum;
}

int wfqnl_group_reset(struct wfqnl *nl, struct wfqnl_ref ref,
		      struct wfqnl_group *out, struct wfqnl_err *err)
{
	return group_ref_cmd(nl, WFQMON_CMD_GROUP_RESET, "reset", ref, 0, out,
			     err);
}

struct dump_ctx {
	wfqnl_group_fn fn;
	void *arg;
	struct wfqnl_err *err;
	struct wfqnl_group group;
};

static int dump_msg_fn(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *ctx = arg;
	int ret = wfqnl_group_parse(nlh, &ctx->group, ctx->err);

	return ret ? ret : ctx->fn(&ctx->group, ctx->arg);
}

int wfqnl_group_dump(struct wfqnl *nl, unsigned int flags, wfqnl_group_fn fn,
		     void *arg, bool *intr, struct wfqnl_err *err)
{
	struct dump_ctx ctx = { .fn = fn, .arg = arg, .err = err };
	unsigned int seen = 0;
	struct nl_msg *msg;
	int ret;

	if (intr)
		*intr = false;
	msg = wfqnl_msg_new(nl, WFQMON_CMD_GROUP_GET, NLM_F_DUMP, err);
	if (!msg) {
		wfqnl_err_wrap(err, "dump groups");
		return -err->errnum;
	}
	if (put_get_flags(msg, flags) < 0)
		ret = wfqnl_err_set(err, EMSGSIZE, "build request");
	else
		ret = wfqnl_request(nl, msg, dump_msg_fn, &ctx, &seen, err);
	nlmsg_free(msg);
	if (intr)
		*intr = seen & NLM_F_DUMP_INTR;
	if (ret < 0)
		wfqnl_err_wrap(err, "dump groups");
	return ret;
}
