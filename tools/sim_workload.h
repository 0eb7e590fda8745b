/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workloads for the simulator: parsed from --group specs, or replayed
 * from wfqmon's own activity record (wfqtool events --json, with the
 * weights of wfqtool list --json). Errors name the offending token.
 */
#ifndef WFQTOOL_SIM_WORKLOAD_H
#define WFQTOOL_SIM_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>

#include "sim.h"
#include "wfqnl.h"

/*
 * Append the group NAME:WEIGHT[:PATTERN]. PATTERN is "busy" (default)
 * or a comma list of items, each D a duration of parse_duration() with
 * its unit:
 *   burst=D,sleep=D   CPU demand: run until D of CPU received, sleep D
 *   on=D,off=D        wall time: want the CPU for D, then idle for D
 *   start=D           want nothing before D
 *   threads=K         run on up to K CPUs at once (default 1)
 *   cap=PCT%          at most PCT% of one CPU per 100 ms period
 *   cap=QUOTA/PERIOD  cpu.max's form, in microseconds
 * Pairs come together; on/off and burst/sleep exclude each other.
 */
int sim_parse_group(const char *spec, struct sim_workload *w,
		    struct wfqnl_err *err);

/*
 * Append the groups of an events --json record read from f (named
 * what in errors): each group is runnable between an "active" and the
 * next "idle" or "del"; a group whose first notification is "idle" was
 * active from the start. Times are relative to the first line. Sets
 * *end_ns to the last line's time. Weights are the last ones seen.
 */
int sim_parse_events(FILE *f, const char *what, struct sim_workload *w,
		     uint64_t *end_ns, struct wfqnl_err *err);

/*
 * Set the weights from a list --json document read from f; groups not
 * in the record are added, never runnable.
 */
int sim_parse_weights(FILE *f, const char *what, struct sim_workload *w,
		      struct wfqnl_err *err);

#endif /* WFQTOOL_SIM_WORKLOAD_H */
