// SPDX-License-Identifier: GPL-2.0
/* The fuzz loop: generate, predict, send, receive, compare, count. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_run.h"

#define MIN_BATCH	8
/* What a send() may not hold: a dump and a truncated tail come last. */
#define MAX_BATCH	(FUZZ_MAX_BATCH - 4)
/* Candidates refused as touching others' groups before giving up. */
#define MAX_TRIES	32
/* Mismatches reported in full; the rest are only counted. */
#define MAX_LOGGED	25
#define ANSWER_TIMEOUT_MS	20000

struct batch {
	struct fuzz_buf msgs, sentinel;
	struct fuzz_expect exp[FUZZ_MAX_BATCH + 1];
	int n;			/* exp[n] is the sentinel */
	int dump;		/* the dump's index, or -1 */
	int n_dumped;
	struct fuzz_group_seen dumped[FUZZ_MAX_GROUPS];
	uint8_t rbuf[FUZZ_RECV_SIZE];
};

static const struct nlmsghdr *req_of(const struct batch *bt,
				     const struct fuzz_expect *e)
{
	const struct fuzz_buf *b = e == &bt->exp[bt->n] ? &bt->sentinel :
				   &bt->msgs;

	return (const struct nlmsghdr *)(b->data + e->off);
}

static void hexdump(const uint8_t *p, size_t len)
{
	if (len > 96)
		len = 96;
	for (size_t i = 0; i < len; i += 16) {
		fprintf(stderr, "#   %04zx:", i);
		for (size_t j = i; j < i + 16 && j < len; j++)
			fprintf(stderr, " %02x", p[j]);
		fprintf(stderr, "\n");
	}
}

/* Count a wrong answer; describe the first few with the request. */
static void mismatch(struct fuzz_run *r, const struct batch *bt,
		     const struct fuzz_expect *e, const char *fmt, ...)
{
	va_list ap;

	r->tot->mismatches++;
	if (r->logged++ >= MAX_LOGGED)
		return;
	fprintf(stderr, "# MISMATCH [%s seq %u]: ",
		e && e->cat < FUZZ_CAT_NR ? fuzz_cat_name[e->cat] : "-",
		e ? e->seq : 0);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e) {
		fprintf(stderr, "\n#   predicted: err %d msg %d offs %d miss %u "
			"ack %d reply %d dropped %d\n", e->v.err, e->v.msg,
			e->v.bad_off, e->v.miss_type, e->ack, e->reply,
			e->dropped);
		hexdump((const uint8_t *)req_of(bt, e), e->len);
	} else {
		fprintf(stderr, "\n");
	}
}

static struct fuzz_expect *find_seq(struct batch *bt, uint32_t seq)
{
	for (int i = 0; i <= bt->n; i++)
		if (bt->exp[i].seq == seq && bt->exp[i].len >= NLMSG_HDRLEN)
			return &bt->exp[i];
	return NULL;
}

static bool valid_errno(int err)
{
	return !err || err == -EEXIST || err == -EBUSY || err == -ENOENT ||
	       err == -ENOSPC;
}

/* Did the generator make what it meant to? (Root only: EPERM masks.) */
static void check_category(struct fuzz_run *r, struct batch *bt,
			   const struct fuzz_expect *e)
{
	bool ok = true;

	if (!r->w->privileged || e->dropped)
		return;
	if (e->cat == FUZZ_CAT_VALID)
		ok = valid_errno(e->v.err);
	else if (e->cat == FUZZ_CAT_POLICY)
		ok = e->v.err == -EINVAL || e->v.err == -ERANGE;
	if (!ok) {
		r->tot->gen_errors++;
		mismatch(r, bt, e, "generator: a %s message predicted %d",
			 fuzz_cat_name[e->cat], e->v.err);
		r->tot->mismatches--;
	}
}

/* Generate one message of cat into the batch; false if it did not fit. */
static bool add_message(struct fuzz_run *r, struct batch *bt,
			enum fuzz_cat cat, bool after_drop)
{
	struct fuzz_buf *b = &bt->msgs;
	struct fuzz_expect *e = &bt->exp[bt->n];

	for (int tries = 0; tries < MAX_TRIES; tries++) {
		fuzz_buf_align(b);
		e->off = b->len;
		e->seq = ++r->w->seq;
		fuzz_gen_message(&r->gen, cat, b, e->seq);
		e->len = b->len - e->off;
		e->cat = cat;
		if (b->overflow) {
			b->len = e->off;
			b->overflow = false;
			return false;
		}
		if (after_drop) {
			fuzz_model_unread(e);
			break;
		}
		fuzz_model_message(r->w, b->data + e->off, e->len, e);
		if (!e->forbidden)
			break;
		r->tot->regenerated++;
		b->len = e->off;
	}
	if (e->forbidden) {
		b->len = e->off;
		return true;
	}
	fuzz_model_apply(r->w, e);
	bt->n++;
	check_category(r, bt, e);
	return true;
}

static void build(struct fuzz_run *r, struct batch *bt, uint64_t left)
{
	int want = MIN_BATCH + fuzz_below(&r->gen.rng, MAX_BATCH - MIN_BATCH + 1);
	bool dump = false, truncated = false;
	struct fuzz_expect *s;
	size_t start;

	fuzz_buf_reset(&bt->msgs);
	bt->n = 0;
	bt->dump = -1;
	bt->n_dumped = 0;
	if ((uint64_t)want > left)
		want = left;
	for (int i = 0; i < want; i++) {
		enum fuzz_cat cat = fuzz_gen_pick(&r->gen);

		/* One dump per send, answered last; a truncation ends a send. */
		if (cat == FUZZ_CAT_DUMP && !dump)
			dump = true;
		else if (cat == FUZZ_CAT_TRUNCATED && !truncated)
			truncated = true;
		else if (cat == FUZZ_CAT_DUMP || cat == FUZZ_CAT_TRUNCATED)
			i--;
		else if (!add_message(r, bt, cat, false))
			break;
	}
	if (dump) {
		bt->dump = bt->n;
		if (!add_message(r, bt, FUZZ_CAT_DUMP, false) ||
		    bt->exp[bt->dump].cat != FUZZ_CAT_DUMP)
			bt->dump = -1;
	}
	if (truncated && add_message(r, bt, FUZZ_CAT_TRUNCATED, false) &&
	    fuzz_below(&r->gen.rng, 2)) {
		const struct fuzz_expect *t = &bt->exp[bt->n - 1];
		const struct nlmsghdr *nlh = req_of(bt, t);

		/* Behind a header too short to walk past, nothing is read. */
		if (t->len >= NLMSG_HDRLEN && nlh->nlmsg_len < NLMSG_HDRLEN)
			add_message(r, bt, FUZZ_CAT_VALID, true);
	}

	/* The sentinel: its answer comes after all of the batch's. */
	s = &bt->exp[bt->n];
	fuzz_buf_reset(&bt->sentinel);
	s->seq = ++r->w->seq;
	start = fuzz_msg_begin(&bt->sentinel, r->w->fam->id,
			       NLM_F_REQUEST | NLM_F_ACK, s->seq,
			       WFQMON_CMD_STATS_GET, r->w->fam->version);
	fuzz_msg_end(&bt->sentinel, start);
	s->off = start;
	s->len = bt->sentinel.len;
	s->cat = FUZZ_CAT_NR;
	fuzz_model_message(r->w, bt->sentinel.data, s->len, s);
}

static void on_ack(struct fuzz_run *r, struct batch *bt, struct fuzz_expect *e,
		   const struct nlmsghdr *nlh)
{
	struct fuzz_ack ack;
	char why[160];

	if (fuzz_check_ack(nlh, req_of(bt, e), &ack, why, sizeof(why))) {
		r->tot->malformed++;
		return mismatch(r, bt, e, "malformed ack: %s", why);
	}
	if (e->got_ack)
		return mismatch(r, bt, e, "a second ack (%d)", ack.error);
	e->got_ack = true;
	e->got_err = ack.error;
	if (!e->ack)
		return mismatch(r, bt, e, "an ack (%d) where none is due",
				ack.error);
	if (ack.error != e->v.err)
		return mismatch(r, bt, e, "errno %d, predicted %d (extack \"%s\")",
				ack.error, e->v.err, ack.msg);
	if (!ack.error) {
		if (e->reply != FUZZ_REPLY_NONE && e->n_replies != 1)
			mismatch(r, bt, e, "ack without the reply before it");
		return;
	}
	if (ack.has_msg != e->v.msg)
		mismatch(r, bt, e, "extack message %s (\"%s\")",
			 ack.has_msg ? "unexpected" : "missing", ack.msg);
	if (e->v.bad_off >= 0 ? !ack.has_offs || (int)ack.offs != e->v.bad_off :
	    ack.has_offs)
		mismatch(r, bt, e, "extack names offset %d, predicted %d (\"%s\")",
			 ack.has_offs ? (int)ack.offs : -1, e->v.bad_off,
			 ack.msg);
	if (ack.miss_type != e->v.miss_type)
		mismatch(r, bt, e, "extack misses attribute %u, predicted %u",
			 ack.miss_type, e->v.miss_type);
}

/* A group reply to GROUP_NEW/SET/GET/RESET: the group the model holds. */
static void on_group(struct fuzz_run *r, struct batch *bt,
		     struct fuzz_expect *e, const struct fuzz_group_seen *g)
{
	struct fuzz_group *slot = e->slot >= 0 ? &r->w->g[e->slot] : NULL;
	struct fuzz_group *other;

	if (e->n_replies++)
		return mismatch(r, bt, e, "a second reply");
	if (strcmp(g->name, e->shown.name) || g->weight != e->shown.weight ||
	    g->cgroup_id != e->shown.cgroup_id)
		return mismatch(r, bt, e,
				"reply shows %s weight %u cgroup %llu, model %s weight %u cgroup %llu",
				g->name, g->weight,
				(unsigned long long)g->cgroup_id, e->shown.name,
				e->shown.weight,
				(unsigned long long)e->shown.cgroup_id);
	/* Learn the id the kernel gave a group made in this batch. */
	if (slot && slot->used && slot->gen == e->slot_gen && !slot->id) {
		other = fuzz_world_find_id(r->w, g->id);
		if (other)
			return mismatch(r, bt, e, "new group got id %u of %s",
					g->id, other->name);
		slot->id = g->id;
		return;
	}
	if (e->shown.id && g->id != e->shown.id)
		mismatch(r, bt, e, "reply shows id %u, model %u", g->id,
			 e->shown.id);
}

static void on_family_msg(struct fuzz_run *r, struct batch *bt,
			  struct fuzz_expect *e, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *hdr = NLMSG_DATA(nlh);
	const struct genlmsghdr *req = NLMSG_DATA(req_of(bt, e));
	struct fuzz_group_seen g;
	struct fuzz_stats_seen st;
	char why[160];
	int ret;

	r->tot->replies++;
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return mismatch(r, bt, e, "reply of %u bytes", nlh->nlmsg_len);
	switch (e->reply) {
	case FUZZ_REPLY_NONE:
		return mismatch(r, bt, e, "a reply (cmd %u) where none is due",
				hdr->cmd);
	case FUZZ_REPLY_STATS:
		ret = fuzz_check_stats(nlh, r->w->fam, &st, why, sizeof(why));
		if (ret) {
			r->tot->malformed++;
			return mismatch(r, bt, e, "malformed stats: %s", why);
		}
		if (hdr->cmd != WFQMON_CMD_STATS_GET || e->n_replies++)
			return mismatch(r, bt, e, "stats reply cmd %u, #%d",
					hdr->cmd, e->n_replies);
		if ((int)st.nr_groups != e->nr_groups ||
		    st.max_groups != r->w->max_groups)
			mismatch(r, bt, e, "stats: %u of %u groups, model %d of %u",
				 st.nr_groups, st.max_groups, e->nr_groups,
				 r->w->max_groups);
		return;
	case FUZZ_REPLY_GROUP:
	case FUZZ_REPLY_DUMP:
		ret = fuzz_check_group(nlh, r->w->fam, e->hist, &g, why,
				       sizeof(why));
		if (ret) {
			r->tot->malformed++;
			return mismatch(r, bt, e, "malformed group: %s", why);
		}
		break;
	}
	if (e->reply == FUZZ_REPLY_GROUP) {
		if (hdr->cmd != req->cmd)
			return mismatch(r, bt, e, "reply cmd %u to cmd %u",
					hdr->cmd, req->cmd);
		return on_group(r, bt, e, &g);
	}
	if (hdr->cmd != WFQMON_CMD_GROUP_GET ||
	    (nlh->nlmsg_flags & (NLM_F_MULTI | NLM_F_DUMP_INTR)) != NLM_F_MULTI)
		return mismatch(r, bt, e, "dump message cmd %u flags 0x%x",
				hdr->cmd, nlh->nlmsg_flags);
	if (e->got_done || bt->n_dumped == FUZZ_MAX_GROUPS)
		return mismatch(r, bt, e, "dump goes on");
	e->n_replies++;
	bt->dumped[bt->n_dumped++] = g;
}

static void on_message(struct fuzz_run *r, struct batch *bt,
		       const struct nlmsghdr *nlh)
{
	struct fuzz_expect *e = find_seq(bt, nlh->nlmsg_seq);
	char why[160];

	if (!e)
		return mismatch(r, bt, NULL, "answer type %u with seq %u nobody sent",
				nlh->nlmsg_type, nlh->nlmsg_seq);
	if (nlh->nlmsg_pid != r->sock.portid)
		return mismatch(r, bt, e, "answer for port %u", nlh->nlmsg_pid);
	if (e->dropped)
		return mismatch(r, bt, e, "answer (type %u) to a dropped message",
				nlh->nlmsg_type);
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return on_ack(r, bt, e, nlh);
	if (nlh->nlmsg_type == NLMSG_DONE) {
		int error;

		if (fuzz_check_done(nlh, &error, why, sizeof(why))) {
			r->tot->malformed++;
			return mismatch(r, bt, e, "malformed done: %s", why);
		}
		if (e->reply != FUZZ_REPLY_DUMP || e->got_done)
			return mismatch(r, bt, e, "NLMSG_DONE where none is due");
		e->got_done = true;
		/* A dump its handler refused ends at once, with the error. */
		if (error != e->v.err)
			return mismatch(r, bt, e, "dump ended with %d, model %d",
					error, e->v.err);
		return;
	}
	if (nlh->nlmsg_type == r->w->fam->id)
		return on_family_msg(r, bt, e, nlh);
	r->tot->malformed++;
	mismatch(r, bt, e, "answer of type %u", nlh->nlmsg_type);
}

static bool answered(const struct batch *bt)
{
	const struct fuzz_expect *d = bt->dump >= 0 ? &bt->exp[bt->dump] : NULL;

	return bt->exp[bt->n].got_ack &&
	       (!d || d->reply != FUZZ_REPLY_DUMP || d->got_done || d->got_ack);
}

static int receive(struct fuzz_run *r, struct batch *bt)
{
	while (!answered(bt)) {
		ssize_t n = fuzz_recv(&r->sock, bt->rbuf, sizeof(bt->rbuf),
				      ANSWER_TIMEOUT_MS);
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)bt->rbuf;
		size_t rem = n > 0 ? n : 0;

		if (n == 0) {
			mismatch(r, bt, NULL, "no answer for %d ms",
				 ANSWER_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		if (n < 0)
			return n;
		for (; NLMSG_OK(nlh, rem); nlh = NLMSG_NEXT(nlh, rem))
			on_message(r, bt, nlh);
		if (rem) {
			r->tot->malformed++;
			mismatch(r, bt, NULL, "%zu stray bytes after the answers",
				 rem);
		}
	}
	return 0;
}

static const struct fuzz_group_seen *dumped_name(const struct batch *bt,
						 const char *name)
{
	for (int i = 0; i < bt->n_dumped; i++)
		if (!strcmp(bt->dumped[i].name, name))
			return &bt->dumped[i];
	return NULL;
}

/* The dump came last in its batch: it shows the model's final groups. */
static void check_dump(struct fuzz_run *r, struct batch *bt,
		       const struct fuzz_expect *e)
{
	const struct fuzz_group_seen *d;
	int groups = fuzz_world_count(r->w);

	for (int i = 1; i < bt->n_dumped; i++)
		if (bt->dumped[i].id <= bt->dumped[i - 1].id)
			return mismatch(r, bt, e, "dump ids not ascending: %u, %u",
					bt->dumped[i - 1].id, bt->dumped[i].id);
	if (bt->n_dumped != groups)
		return mismatch(r, bt, e, "dump of %d groups, model has %d",
				bt->n_dumped, groups);
	for (int i = 0; i < FUZZ_MAX_GROUPS; i++) {
		const struct fuzz_group *g = &r->w->g[i];

		if (!g->used)
			continue;
		d = dumped_name(bt, g->name);
		if (!d || (g->id && d->id != g->id) || d->weight != g->weight ||
		    d->cgroup_id != g->cgroup_id)
			return mismatch(r, bt, e, "dump shows %s other than the model",
					g->name);
	}
}

static enum fuzz_outcome outcome_of(const struct fuzz_expect *e)
{
	switch (e->got_ack ? -e->got_err : -1) {
	case -1:
		return e->n_replies || e->got_done ? FUZZ_OUT_OK : FUZZ_OUT_SILENT;
	case 0:
		return FUZZ_OUT_OK;
	case EINVAL:
		return FUZZ_OUT_EINVAL;
	case ERANGE:
		return FUZZ_OUT_ERANGE;
	case ENOENT:
		return FUZZ_OUT_ENOENT;
	case EEXIST:
		return FUZZ_OUT_EEXIST;
	case EBUSY:
		return FUZZ_OUT_EBUSY;
	case EBADF:
		return FUZZ_OUT_EBADF;
	case EPERM:
		return FUZZ_OUT_EPERM;
	case EOPNOTSUPP:
		return FUZZ_OUT_EOPNOTSUPP;
	case ENOSPC:
		return FUZZ_OUT_ENOSPC;
	}
	return FUZZ_OUT_OTHER;
}

/* What is still missing once everything has come in; then count. */
static void settle(struct fuzz_run *r, struct batch *bt)
{
	for (int i = 0; i <= bt->n; i++) {
		struct fuzz_expect *e = &bt->exp[i];
		enum fuzz_outcome out = outcome_of(e);

		if (e->ack && !e->got_ack)
			mismatch(r, bt, e, "no ack");
		else if (e->reply == FUZZ_REPLY_DUMP && !e->got_done)
			mismatch(r, bt, e, "dump without NLMSG_DONE");
		else if (e->reply == FUZZ_REPLY_DUMP && !e->v.err)
			check_dump(r, bt, e);
		else if ((e->reply == FUZZ_REPLY_GROUP ||
			  e->reply == FUZZ_REPLY_STATS) && e->n_replies != 1)
			mismatch(r, bt, e, "%d replies", e->n_replies);
		if (i == bt->n)
			continue;
		if (e->admin_op && out == FUZZ_OUT_OK)
			r->tot->writes_ok++;
		if (e->admin_op && out == FUZZ_OUT_EPERM)
			r->tot->writes_refused++;
		r->tot->sent[e->cat]++;
		r->tot->outcome[e->cat][out]++;
	}
}

int fuzz_run_messages(struct fuzz_run *r, uint64_t n)
{
	struct batch *bt = malloc(sizeof(*bt));
	uint64_t sent = 0;
	int ret = 0;

	if (!bt)
		return -ENOMEM;
	while (sent < n && !ret) {
		build(r, bt, n - sent);
		ret = fuzz_send(&r->sock, bt->msgs.data, bt->msgs.len);
		if (!ret)
			ret = fuzz_send(&r->sock, bt->sentinel.data,
					bt->sentinel.len);
		if (!ret)
			ret = receive(r, bt);
		if (!ret)
			settle(r, bt);
		sent += bt->n;
		r->tot->batches++;
	}
	free(bt);
	return ret;
}

static const char *const outcome_name[FUZZ_OUT_NR] = {
	"ok", "silent", "EINVAL", "ERANGE", "ENOENT", "EEXIST", "EBUSY",
	"EBADF", "EPERM", "EOPNOTSUPP", "ENOSPC", "other",
};

/* One row: a category (or all of them) by answer. */
static void print_row(const char *who, const char *what, uint64_t sent,
		      const uint64_t *outcome)
{
	fprintf(stderr, "# %s: %-10s %7llu", who, what, (unsigned long long)sent);
	for (int o = 0; o < FUZZ_OUT_NR; o++)
		fprintf(stderr, " %*llu", o == FUZZ_OUT_EOPNOTSUPP ? 10 : 6,
			(unsigned long long)outcome[o]);
	fprintf(stderr, "\n");
}

/* On stderr, like TH_LOG, so that the lines keep their order. */
void fuzz_totals_print(const struct fuzz_totals *t, const char *who)
{
	uint64_t total = 0, by_outcome[FUZZ_OUT_NR] = { 0 };

	fprintf(stderr, "# %s: %-10s %7s", who, "category", "sent");
	for (int o = 0; o < FUZZ_OUT_NR; o++)
		fprintf(stderr, " %*s", o == FUZZ_OUT_EOPNOTSUPP ? 10 : 6,
			outcome_name[o]);
	fprintf(stderr, "\n");
	for (int c = 0; c < FUZZ_CAT_NR; c++) {
		total += t->sent[c];
		for (int o = 0; o < FUZZ_OUT_NR; o++)
			by_outcome[o] += t->outcome[c][o];
		print_row(who, fuzz_cat_name[c], t->sent[c], t->outcome[c]);
	}
	print_row(who, "all", total, by_outcome);
	fprintf(stderr, "# %s: %llu messages in %llu sends, %llu replies; "
		"%llu mismatches (%llu malformed), %llu generator errors; "
		"writes: %llu ok, %llu EPERM; %llu candidates regenerated\n",
		who, (unsigned long long)total, (unsigned long long)t->batches,
		(unsigned long long)t->replies,
		(unsigned long long)t->mismatches,
		(unsigned long long)t->malformed,
		(unsigned long long)t->gen_errors,
		(unsigned long long)t->writes_ok,
		(unsigned long long)t->writes_refused,
		(unsigned long long)t->regenerated);
}
