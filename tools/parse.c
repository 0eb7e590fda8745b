// SPDX-License-Identifier: GPL-2.0
/* Parsers for weights, sizes, CPU lists and cpu.max; see parse.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

#include "parse.h"

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

/*
 * Strict unsigned decimal: digits only (no sign, no blanks), no
 * overflow past max. *end gets the first character after the digits.
 */
static int scan_u64(const char *s, uint64_t max, uint64_t *val,
		    const char **end)
{
	uint64_t v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	for (; isdigit((unsigned char)*p); p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*val = v;
	*end = p;
	return 0;
}

int parse_uint(const char *s, uint64_t max, uint64_t *val,
	       struct wfqnl_err *err)
{
	const char *end;
	int ret = scan_u64(s, max, val, &end);

	if (ret == -ERANGE)
		return wfqnl_err_explain(err, ERANGE,
					 "\"%s\": larger than %llu", s,
					 (unsigned long long)max);
	if (ret || *end)
		return wfqnl_err_explain(err, EINVAL,
					 "\"%s\": not a decimal number", s);
	return 0;
}

int parse_count(const char *s, uint64_t max, uint64_t *val,
		struct wfqnl_err *err)
{
	if (parse_uint(s, max, val, err))
		return -err->errnum;
	if (*val == 0)
		return wfqnl_err_explain(err, EINVAL, "count must be at least 1");
	return 0;
}

int parse_group_name(const char *s, struct wfqnl_err *err)
{
	size_t len = strlen(s);
	bool ok = len > 0 && len <= WFQMON_NAME_MAX && strcmp(s, ".") &&
		  strcmp(s, "..");

	/* The kernel's rule: printable ASCII but space and '/'. */
	for (const char *p = s; ok && *p; p++)
		ok = *p >= 0x21 && *p <= 0x7e && *p != '/';
	if (!ok)
		return wfqnl_err_explain(err, EINVAL,
					 "group name \"%s\": use 1..%d bytes of printable ASCII, no space or / (not . or ..)",
					 s, WFQMON_NAME_MAX);
	return 0;
}

int parse_weight(const char *s, uint32_t *weight, struct wfqnl_err *err)
{
	uint64_t v;
	const char *end;
	int ret = scan_u64(s, UINT32_MAX, &v, &end);

	if (ret || *end || v < WFQMON_WEIGHT_MIN || v > WFQMON_WEIGHT_MAX)
		return wfqnl_err_explain(err, EINVAL,
					 "weight \"%s\": not a whole number in %d..%d",
					 s, WFQMON_WEIGHT_MIN,
					 WFQMON_WEIGHT_MAX);
	*weight = (uint32_t)v;
	return 0;
}

int parse_pid(const char *s, int *pid, struct wfqnl_err *err)
{
	uint64_t v;
	const char *end;

	if (scan_u64(s, INT32_MAX, &v, &end) || *end || v == 0)
		return wfqnl_err_explain(err, EINVAL,
					 "pid \"%s\": not a process id", s);
	*pid = (int)v;
	return 0;
}

/* Duration units, longest suffix first so "ms" is not read as "m". */
static const struct {
	const char *suffix;
	uint64_t ns;
} duration_units[] = {
	{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	{ "m", 60000000000ull }, { "h", 3600000000000ull },
};

int parse_duration(const char *s, unsigned int flags, uint64_t *ns,
		   struct wfqnl_err *err)
{
	uint64_t whole = 0, frac = 0, frac_scale = 1, unit = 0, v;
	const char *p = s, *end;
	double frac_ns;

	if (*p != '.' && scan_u64(p, DURATION_MAX_NS, &whole, &end) == 0)
		p = end;
	else if (*p != '.')
		goto bad;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		/* Digits past the ninth cannot matter at ns resolution. */
		for (; isdigit((unsigned char)*p); p++) {
			if (frac_scale < 1000000000000000000ull) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_scale *= 10;
			}
		}
	}
	for (size_t i = 0; i < ARRAY_LEN(duration_units); i++)
		if (!strcmp(p, duration_units[i].suffix))
			unit = duration_units[i].ns;
	if (!*p && (flags & DURATION_BARE_SECONDS))
		unit = 1000000000;
	/* Zero is zero in any unit. */
	if (!*p && !whole && !frac)
		unit = 1;
	if (!*p && !unit)
		return wfqnl_err_explain(err, EINVAL,
					 "\"%s\": give a unit, like %sms or %ss (ns, us, ms, s, m, h)",
					 s, s, s);
	if (!unit)
		goto bad;
	frac_ns = (double)frac / (double)frac_scale * (double)unit;
	if (whole > DURATION_MAX_NS / unit)
		goto range;
	v = whole * unit + (uint64_t)llround(frac_ns);
	if (v > DURATION_MAX_NS)
		goto range;
	if (!v && !(flags & DURATION_ZERO_OK))
		return wfqnl_err_explain(err, EINVAL,
					 "\"%s\": must be more than 0", s);
	*ns = v;
	return 0;
range:
	return wfqnl_err_explain(err, ERANGE, "\"%s\": longer than a day", s);
bad:
	return wfqnl_err_explain(err, EINVAL,
				 "\"%s\": not a duration like 500ms, 1.5s or 2m (units ns, us, ms, s, m, h)",
				 s);
}

int parse_size(const char *s, struct mem_size *size, struct wfqnl_err *err)
{
	static const char units[] = "KMGT";
	uint64_t v, mult = 1;
	const char *end, *u;

	if (!strcmp(s, "max")) {
		*size = (struct mem_size){ .unlimited = true };
		return 0;
	}
	if (scan_u64(s, UINT64_MAX, &v, &end))
		goto bad;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			goto bad;
		for (const char *k = units; k <= u; k++)
			mult *= 1024;
		end++;
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
		else if (end[-1] == 'i')
			goto bad;
	}
	if (*end)
		goto bad;
	if (v > UINT64_MAX / mult)
		return wfqnl_err_explain(err, ERANGE, "size \"%s\": too large",
					 s);
	*size = (struct mem_size){ .bytes = v * mult };
	return 0;
bad:
	return wfqnl_err_explain(err, EINVAL,
				 "size \"%s\": expected \"max\" or a number with an optional K, M, G or T suffix",
				 s);
}

static void cpulist_set(struct cpulist *cpus, unsigned int cpu)
{
	cpus->bits[cpu / 64] |= 1ull << (cpu % 64);
}

static int cpulist_scan(const char *s, struct cpulist *cpus, bool allow_empty,
			struct wfqnl_err *err)
{
	const char *p = s;
	size_t len = strlen(s);

	memset(cpus, 0, sizeof(*cpus));
	/* Files end in a newline; users do not type one. */
	while (allow_empty && len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0) {
		if (allow_empty)
			return 0;
		goto bad;
	}
	for (;;) {
		uint64_t lo, hi;
		const char *end;

		if (scan_u64(p, CPULIST_MAX - 1, &lo, &end))
			goto bad;
		hi = lo;
		p = end;
		if (*p == '-' &&
		    (scan_u64(p + 1, CPULIST_MAX - 1, &hi, &end) || hi < lo))
			goto bad;
		if (*p == '-')
			p = end;
		for (uint64_t c = lo; c <= hi; c++)
			cpulist_set(cpus, (unsigned int)c);
		if ((size_t)(p - s) == len)
			return 0;
		if (*p != ',')
			goto bad;
		p++;
	}
bad:
	return wfqnl_err_explain(err, EINVAL,
				 "cpu list \"%s\": expected CPUs and ranges like 0-2,5 (CPUs 0..%d)",
				 s, CPULIST_MAX - 1);
}

int parse_cpulist(const char *s, struct cpulist *cpus, struct wfqnl_err *err)
{
	return cpulist_scan(s, cpus, false, err);
}

int parse_cpulist_file(const char *s, struct cpulist *cpus,
		       struct wfqnl_err *err)
{
	return cpulist_scan(s, cpus, true, err);
}

unsigned int cpulist_count(const struct cpulist *cpus)
{
	unsigned int n = 0;

	for (int i = 0; i < CPULIST_WORDS; i++)
		n += (unsigned int)__builtin_popcountll(cpus->bits[i]);
	return n;
}

static bool cpulist_has(const struct cpulist *cpus, unsigned int cpu)
{
	return cpus->bits[cpu / 64] & (1ull << (cpu % 64));
}

void cpulist_format(const struct cpulist *cpus, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (unsigned int lo = 0; lo < CPULIST_MAX; lo++) {
		unsigned int hi = lo;
		int n;

		if (!cpulist_has(cpus, lo))
			continue;
		while (hi + 1 < CPULIST_MAX && cpulist_has(cpus, hi + 1))
			hi++;
		n = hi == lo ? snprintf(buf + len, size - len, "%s%u",
					len ? "," : "", lo) :
			       snprintf(buf + len, size - len, "%s%u-%u",
					len ? "," : "", lo, hi);
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
		lo = hi;
	}
}

void cpulist_or(struct cpulist *dst, const struct cpulist *src)
{
	for (int i = 0; i < CPULIST_WORDS; i++)
		dst->bits[i] |= src->bits[i];
}

int parse_cpu_max(const char *s, struct cpu_max *cm, struct wfqnl_err *err)
{
	struct cpu_max v = { .period_us = CPU_MAX_PERIOD_DEFAULT_US };
	size_t len = strlen(s);
	const char *p = s, *end;

	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (!strncmp(p, "max", 3)) {
		v.unlimited = true;
		p += 3;
	} else if (scan_u64(p, UINT32_MAX, &v.quota_us, &end) == 0) {
		p = end;
	} else {
		goto bad;
	}
	if ((size_t)(p - s) < len) {
		if (*p != '/' && *p != ' ')
			goto bad;
		if (scan_u64(p + 1, UINT32_MAX, &v.period_us, &end) ||
		    (size_t)(end - s) != len)
			goto bad;
	}
	if (v.period_us < CPU_MAX_PERIOD_MIN_US ||
	    v.period_us > CPU_MAX_PERIOD_MAX_US)
		return wfqnl_err_explain(err, EINVAL,
					 "cpu.max \"%s\": period must be %d..%d us",
					 s, CPU_MAX_PERIOD_MIN_US,
					 CPU_MAX_PERIOD_MAX_US);
	if (!v.unlimited && v.quota_us < CPU_MAX_QUOTA_MIN_US)
		return wfqnl_err_explain(err, EINVAL,
					 "cpu.max \"%s\": quota must be at least %d us",
					 s, CPU_MAX_QUOTA_MIN_US);
	*cm = v;
	return 0;
bad:
	return wfqnl_err_explain(err, EINVAL,
				 "cpu.max \"%s\": expected QUOTA[/PERIOD] in microseconds or max[/PERIOD]",
				 s);
}

double cpu_max_cpus(const struct cpu_max *cm)
{
	if (cm->unlimited || cm->period_us == 0)
		return 0;
	return (double)cm->quota_us / (double)cm->period_us;
}

int parse_ns_list(const char *s, unsigned int *ns, struct wfqnl_err *err)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} names[] = {
		{ "pid", NS_PID }, { "mnt", NS_MNT }, { "uts", NS_UTS },
		{ "ipc", NS_IPC }, { "net", NS_NET }, { "user", NS_USER },
		{ "all", NS_ALL },
	};
	unsigned int v = 0;
	const char *p = s;

	for (;;) {
		size_t len = strcspn(p, ",");
		size_t i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (len == strlen(names[i].name) &&
			    !strncmp(p, names[i].name, len))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return wfqnl_err_explain(err, EINVAL,
						 "namespaces \"%s\": expected a comma list of pid, mnt, uts, ipc, net, user, or all",
						 s);
		v |= names[i].bit;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	*ns = v;
	return 0;
}

int parse_id_map(const char *s, struct id_map *map, struct wfqnl_err *err)
{
	uint64_t v[3];
	const char *p = s, *end;

	for (int i = 0; i < 3; i++) {
		if (scan_u64(p, UINT32_MAX, &v[i], &end) ||
		    *end != (i < 2 ? ':' : '\0'))
			goto bad;
		p = end + 1;
	}
	if (v[2] == 0 || v[0] + v[2] - 1 > UINT32_MAX ||
	    v[1] + v[2] - 1 > UINT32_MAX)
		goto bad;
	*map = (struct id_map){ .inside = (uint32_t)v[0],
				.outside = (uint32_t)v[1],
				.count = (uint32_t)v[2] };
	return 0;
bad:
	return wfqnl_err_explain(err, EINVAL,
				 "id map \"%s\": expected INSIDE:OUTSIDE:COUNT, COUNT at least 1",
				 s);
}

int parse_host_port(const char *s, char *host, size_t host_size,
		    uint16_t *port, struct wfqnl_err *err)
{
	const char *colon = strrchr(s, ':'), *h = s;
	size_t len;
	uint64_t v = 0;

	if (!colon)
		return wfqnl_err_explain(err, EINVAL,
					 "\"%s\": not HOST:PORT", s);
	len = (size_t)(colon - s);
	if (len && s[0] == '[') {
		if (s[len - 1] != ']' || len < 3)
			return wfqnl_err_explain(err, EINVAL,
						 "\"%s\": not [IPv6]:PORT", s);
		h++;
		len -= 2;
	} else if (memchr(s, ':', len)) {
		return wfqnl_err_explain(err, EINVAL,
					 "\"%s\": an IPv6 address needs brackets: [ADDR]:PORT",
					 s);
	}
	if (len >= host_size)
		return wfqnl_err_explain(err, ENAMETOOLONG,
					 "\"%s\": host name too long", s);
	if (parse_uint(colon + 1, 65535, &v, err))
		return -err->errnum;
	if (!v)
		return wfqnl_err_explain(err, EINVAL, "\"%s\": port 0", s);
	memcpy(host, h, len);
	host[len] = '\0';
	*port = (uint16_t)v;
	return 0;
}
