/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building the fuzzer's world from the running system: the family (via
 * nlctrl), the cgroups that exist, the groups that exist, an unused
 * family id. Functions return 0 or -errno and say why in why[].
 */
#ifndef WFQ_FUZZ_SETUP_H
#define WFQ_FUZZ_SETUP_H

#include <stddef.h>

#include "fuzz_model.h"
#include "wfqnl.h"

/* Every cgroup v2 directory's id, so the oracle knows which ids exist. */
int fuzz_world_scan_cgroups(struct fuzz_world *w, char *why, size_t why_size);
/* Groups that exist now: ours if prefixed, else foreign (never touched). */
int fuzz_world_load_groups(struct fuzz_world *w, struct wfqnl *nl, char *why,
			   size_t why_size);
/* A family id nlctrl does not list. */
int fuzz_world_unknown_family(struct fuzz_world *w, const struct fuzz_sock *s,
			      char *why, size_t why_size);
/* Kernels from 6.2 look commands up by do/dump before permissions. */
bool fuzz_kernel_has_split_ops(void);

#endif /* WFQ_FUZZ_SETUP_H */
