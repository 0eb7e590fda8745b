/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz loop: batches of generated messages in one send() each, a
 * STATS_GET after every batch to know when all answers are in, and
 * every answer checked against the oracle and for well-formedness.
 */
#ifndef WFQ_FUZZ_RUN_H
#define WFQ_FUZZ_RUN_H

#include <stdint.h>

#include "fuzz_gen.h"
#include "fuzz_model.h"
#include "fuzz_nl.h"
#include "fuzz_reply.h"

enum fuzz_outcome {
	FUZZ_OUT_OK,		/* a reply, an ack of 0 or a whole dump */
	FUZZ_OUT_SILENT,	/* no answer at all */
	FUZZ_OUT_EINVAL,
	FUZZ_OUT_ERANGE,
	FUZZ_OUT_ENOENT,
	FUZZ_OUT_EEXIST,
	FUZZ_OUT_EBUSY,
	FUZZ_OUT_EBADF,
	FUZZ_OUT_EPERM,
	FUZZ_OUT_EOPNOTSUPP,
	FUZZ_OUT_ENOSPC,
	FUZZ_OUT_OTHER,
	FUZZ_OUT_NR
};

/* Plain numbers only: an unprivileged child fills them in shared memory. */
struct fuzz_totals {
	uint64_t sent[FUZZ_CAT_NR];
	uint64_t outcome[FUZZ_CAT_NR][FUZZ_OUT_NR];
	uint64_t mismatches;	/* answers the oracle did not predict */
	uint64_t malformed;	/* of which: answers not well formed */
	uint64_t gen_errors;	/* messages not of their category */
	uint64_t writes_ok;	/* admin ops that succeeded */
	uint64_t writes_refused;	/* admin ops refused with EPERM */
	uint64_t regenerated;	/* candidates that would touch others' */
	uint64_t batches, replies;
	int setup_err;		/* the child could not start: -errno */
};

struct fuzz_run {
	struct fuzz_sock sock;
	struct fuzz_gen gen;
	struct fuzz_world *w;
	struct fuzz_totals *tot;
	int logged;		/* mismatch reports printed */
};

/* Send n messages (whole batches: a few more at most). 0 or -errno. */
int fuzz_run_messages(struct fuzz_run *r, uint64_t n);
void fuzz_totals_print(const struct fuzz_totals *t, const char *who);

#endif /* WFQ_FUZZ_RUN_H */
