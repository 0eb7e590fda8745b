// SPDX-License-Identifier: GPL-2.0
/*
 * The wfqmon generic netlink family: the ops and policies generated from
 * Documentation/netlink/specs/wfqmon.yaml (genl.c, genl.h), and the
 * struct genl_family the generator leaves to a genetlink-legacy family.
 * The family is not netnsok: it exists in the initial network namespace
 * only.
 */

#include "compat.h"
#include "wfqmon.h"

/* The generated tables are static: the family is defined beside them. */
#include "genl.c"

#ifndef WFQ_HAVE_SPLIT_OPS
/* Linux < 6.2: one struct genl_ops per command, filled at registration. */
static struct genl_ops wfq_ops[ARRAY_SIZE(wfqmon_nl_ops)] __ro_after_init;
#endif

struct genl_family wfq_family __ro_after_init = {
	.name		= WFQMON_FAMILY_NAME,
	.version	= WFQMON_FAMILY_VERSION,
	.module		= THIS_MODULE,
#ifdef WFQ_HAVE_SPLIT_OPS
	.split_ops	= wfqmon_nl_ops,
	.n_split_ops	= ARRAY_SIZE(wfqmon_nl_ops),
#else
	.ops		= wfq_ops,
#endif
	.mcgrps		= wfqmon_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(wfqmon_nl_mcgrps),
	.parallel_ops	= true,
};

#ifdef WFQ_HAVE_SPLIT_OPS

int wfq_family_register(void)
{
	return genl_register_family(&wfq_family);
}

#else

/*
 * Fold the split table into one op per command. An op has one policy
 * for its do and its dump here: the do's, which admits more, so the dump
 * handler refuses what the dump's own policy would.
 */
static unsigned int wfq_fold_split_ops(void)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < ARRAY_SIZE(wfqmon_nl_ops); i++) {
		const struct genl_split_ops *s = &wfqmon_nl_ops[i];
		struct genl_ops *op;

		for (j = 0; j < n && wfq_ops[j].cmd != s->cmd; j++)
			;
		op = &wfq_ops[j];
		if (j == n) {
			op->cmd = s->cmd;
			n++;
		}
		if (s->doit)
			op->doit = s->doit;
		if (s->dumpit)
			op->dumpit = s->dumpit;
		if (s->doit || !op->policy) {
			op->policy = s->policy;
			op->maxattr = s->maxattr;
		}
		op->flags |= s->flags & GENL_ADMIN_PERM;
	}
	return n;
}

int wfq_family_register(void)
{
	wfq_family.n_ops = wfq_fold_split_ops();
	return genl_register_family(&wfq_family);
}

#endif /* WFQ_HAVE_SPLIT_OPS */
