/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for what users type and what cgroup files hold: weights,
 * sizes, CPU lists and cpu.max. Pure functions: no I/O, no printing.
 * Each returns 0 or -errno and explains a rejection in err.
 */
#ifndef WFQTOOL_PARSE_H
#define WFQTOOL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wfqnl.h"

/* CPUs a cpu list can name: 0 .. CPULIST_MAX - 1. */
#define CPULIST_MAX	1024
#define CPULIST_WORDS	(CPULIST_MAX / 64)

struct cpulist {
	uint64_t bits[CPULIST_WORDS];
};

/* cpu.max's default period, and the limits the kernel enforces. */
#define CPU_MAX_PERIOD_DEFAULT_US	100000
#define CPU_MAX_PERIOD_MIN_US		1000
#define CPU_MAX_PERIOD_MAX_US		1000000
#define CPU_MAX_QUOTA_MIN_US		1000

struct cpu_max {
	bool unlimited;		/* "max": no quota */
	uint64_t quota_us;	/* CPU time per period, when limited */
	uint64_t period_us;
};

/* A memory size: bytes, or "max" for no limit. */
struct mem_size {
	bool unlimited;
	uint64_t bytes;
};

/* A group name as the kernel accepts it: 1..63 of [A-Za-z0-9_.-], not . or .. */
int parse_group_name(const char *s, struct wfqnl_err *err);

/* Decimal, WFQMON_WEIGHT_MIN..WFQMON_WEIGHT_MAX. */
int parse_weight(const char *s, uint32_t *weight, struct wfqnl_err *err);

/* "max" or N[K|M|G|T] (powers of 1024), optional trailing "B" or "iB". */
int parse_size(const char *s, struct mem_size *size, struct wfqnl_err *err);

/* "0-2,5": a non-empty list of CPUs and ranges, as in cpuset.cpus. */
int parse_cpulist(const char *s, struct cpulist *cpus, struct wfqnl_err *err);
/* Same, but an empty (or all-blank) string is the empty set. */
int parse_cpulist_file(const char *s, struct cpulist *cpus,
		       struct wfqnl_err *err);
unsigned int cpulist_count(const struct cpulist *cpus);
/* The canonical "0-2,5" form; "" for the empty set. Truncates safely. */
void cpulist_format(const struct cpulist *cpus, char *buf, size_t size);
void cpulist_or(struct cpulist *dst, const struct cpulist *src);

/*
 * "QUOTA[/PERIOD]" in microseconds, or "max[/PERIOD]". The file form
 * "QUOTA PERIOD" (a space instead of the slash) is accepted too.
 */
int parse_cpu_max(const char *s, struct cpu_max *cm, struct wfqnl_err *err);
/* CPUs the quota allows: quota/period; 0 when unlimited. */
double cpu_max_cpus(const struct cpu_max *cm);

/* Namespaces for run: a comma list of pid,mnt,uts,ipc,net,user, or "all". */
#define NS_PID		(1u << 0)
#define NS_MNT		(1u << 1)
#define NS_UTS		(1u << 2)
#define NS_IPC		(1u << 3)
#define NS_NET		(1u << 4)
#define NS_USER		(1u << 5)
#define NS_ALL		(NS_PID | NS_MNT | NS_UTS | NS_IPC | NS_NET | NS_USER)
int parse_ns_list(const char *s, unsigned int *ns, struct wfqnl_err *err);

/* A user namespace id map line, "INSIDE:OUTSIDE:COUNT", COUNT >= 1. */
struct id_map {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};
int parse_id_map(const char *s, struct id_map *map, struct wfqnl_err *err);

/* Decimal pid > 0. */
int parse_pid(const char *s, int *pid, struct wfqnl_err *err);
/* Decimal unsigned, for option values like --count. */
int parse_uint(const char *s, uint64_t max, uint64_t *val,
	       struct wfqnl_err *err);
/* A count for --count: decimal, 1..max. */
int parse_count(const char *s, uint64_t max, uint64_t *val,
		struct wfqnl_err *err);
/*
 * One duration syntax for every option: a decimal number with an
 * optional fraction and a unit, ns, us, ms, s, m or h: "500ms", "1.5s",
 * "2m". A bare number is refused (the message suggests a unit) unless
 * DURATION_BARE_SECONDS, for options documented in seconds. At most a
 * day; more than 0 unless DURATION_ZERO_OK.
 */
#define DURATION_BARE_SECONDS	(1u << 0)
#define DURATION_ZERO_OK	(1u << 1)
#define DURATION_MAX_NS		86400000000000ull
int parse_duration(const char *s, unsigned int flags, uint64_t *ns,
		   struct wfqnl_err *err);

/*
 * A listen address "HOST:PORT", "[IPv6]:PORT" or ":PORT" (every
 * address): host gets HOST without brackets ("" for none), port 1..65535.
 */
int parse_host_port(const char *s, char *host, size_t host_size,
		    uint16_t *port, struct wfqnl_err *err);

#endif /* WFQTOOL_PARSE_H */
