/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Message generators: one per category, each building requests from the
 * family's discovered ops and policies and the model's groups. What the
 * kernel must answer is not decided here but by the oracle
 * (fuzz_model.h), from the bytes; the category says what was meant.
 */
#ifndef WFQ_FUZZ_GEN_H
#define WFQ_FUZZ_GEN_H

#include <stdint.h>

#include "fuzz_model.h"
#include "fuzz_nl.h"

enum fuzz_cat {
	FUZZ_CAT_VALID,		/* well-formed, to a group that exists or not */
	FUZZ_CAT_BOUNDARY,	/* policy limits, duplicates, odd legal encodings */
	FUZZ_CAT_POLICY,	/* invalid by policy: -EINVAL or -ERANGE */
	FUZZ_CAT_SEMANTIC,	/* policy-valid, refused by a handler */
	FUZZ_CAT_HEADER,	/* bad nlmsg flags, reserved byte, short header */
	FUZZ_CAT_VERSION,	/* another genl version (the kernel ignores it) */
	FUZZ_CAT_UNKNOWN,	/* unknown command or family */
	FUZZ_CAT_IGNORED,	/* no NLM_F_REQUEST, or a control message type */
	FUZZ_CAT_MUTATED,	/* random bytes changed in a valid request */
	FUZZ_CAT_DUMP,		/* a group dump, last in its send */
	FUZZ_CAT_TRUNCATED,	/* nlmsg_len under 16 or past the send: dropped */
	FUZZ_CAT_NR
};

extern const char *const fuzz_cat_name[FUZZ_CAT_NR];

/* xorshift64*: seeded once, so a run can be replayed from its seed. */
struct fuzz_rng {
	uint64_t state;
};

void fuzz_rng_seed(struct fuzz_rng *r, uint64_t seed);
uint64_t fuzz_rand(struct fuzz_rng *r);
/* Uniform in [0, n), n > 0. */
uint32_t fuzz_below(struct fuzz_rng *r, uint32_t n);

struct fuzz_gen {
	struct fuzz_rng rng;
	struct fuzz_world *w;
	uint32_t names;		/* fresh names made so far */
};

/* A category for the next message, by the mix the fuzzer aims at. */
enum fuzz_cat fuzz_gen_pick(struct fuzz_gen *g);

/* Append one message of category cat with sequence seq to b. */
void fuzz_gen_message(struct fuzz_gen *g, enum fuzz_cat cat,
		      struct fuzz_buf *b, uint32_t seq);

#endif /* WFQ_FUZZ_GEN_H */
