// SPDX-License-Identifier: GPL-2.0
/* Host unit tests for the parsers: accepted forms and rejections. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../parse.h"
#include "tap.h"

static void test_weight(struct tap *t)
{
	static const char *const bad[] = {
		"0", "10001", "-1", "+5", " 5", "5 ", "1e3", "", "abc",
		"99999999999999999999",
	};
	struct wfqnl_err err;
	uint32_t w = 0;

	tap_ok(t, parse_weight("1", &w, &err) == 0 && w == 1,
	       "weight 1 (the minimum) is accepted");
	tap_ok(t, parse_weight("10000", &w, &err) == 0 && w == 10000,
	       "weight 10000 (the maximum) is accepted");
	tap_ok(t, parse_weight("250", &w, &err) == 0 && w == 250,
	       "weight 250 parses to 250");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(t, parse_weight(bad[i], &w, &err) == -EINVAL &&
			  err.errnum == EINVAL && strstr(err.msg, "weight"),
		       "weight \"%s\" is rejected with a message", bad[i]);
}

static void test_group_name(struct tap *t)
{
	static const char *const good[] = {
		"web-1.prod_2", "foo@bar.service", "-.slice",
		"sys-dev-x\\x2dy.device", "lxc.payload.c1", "a:b*c~d!",
		"docker-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope",
	};
	static const char *const bad[] = {
		"", ".", "..", "a/b", "a b", "a\tb", "a\x7f", "\xc3\xa9t\xc3\xa9",
	};
	char longest[WFQMON_NAME_MAX + 2];
	struct wfqnl_err err;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		tap_ok(t, parse_group_name(good[i], &err) == 0,
		       "group name \"%.24s\" is accepted", good[i]);
	memset(longest, 'x', WFQMON_NAME_MAX);
	longest[WFQMON_NAME_MAX] = '\0';
	tap_ok(t, parse_group_name(longest, &err) == 0,
	       "a %d-byte group name is accepted", WFQMON_NAME_MAX);
	longest[WFQMON_NAME_MAX] = 'x';
	longest[WFQMON_NAME_MAX + 1] = '\0';
	tap_ok(t, parse_group_name(longest, &err) == -EINVAL,
	       "a %d-byte group name is rejected", WFQMON_NAME_MAX + 1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(t, parse_group_name(bad[i], &err) == -EINVAL,
		       "group name #%zu (\"%.8s\") is rejected", i, bad[i]);
}

static void test_size(struct tap *t)
{
	static const struct {
		const char *in;
		uint64_t bytes;
	} good[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "512M", 512ull << 20 },
		{ "512m", 512ull << 20 },
		{ "1G", 1ull << 30 },
		{ "1GiB", 1ull << 30 },
		{ "1GB", 1ull << 30 },
		{ "64K", 64ull << 10 },
		{ "2T", 2ull << 40 },
	};
	static const char *const bad[] = {
		"", "12X", "1.5G", "G", "-1M", "1Gi", "1 G", "maxx",
		"16777216T",
	};
	struct wfqnl_err err;
	struct mem_size sz;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		tap_ok(t, parse_size(good[i].in, &sz, &err) == 0 &&
			  !sz.unlimited && sz.bytes == good[i].bytes,
		       "size \"%s\" is %llu bytes", good[i].in,
		       (unsigned long long)good[i].bytes);
	tap_ok(t, parse_size("max", &sz, &err) == 0 && sz.unlimited,
	       "size \"max\" is unlimited");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(t, parse_size(bad[i], &sz, &err) < 0 &&
			  strstr(err.msg, bad[i]),
		       "size \"%s\" is rejected, naming the input", bad[i]);
}

static bool cpu_in(const struct cpulist *c, unsigned int cpu)
{
	return c->bits[cpu / 64] & (1ull << (cpu % 64));
}

static void test_cpulist(struct tap *t)
{
	static const char *const bad[] = {
		"", "a", "0-", "-1", "2-1", "0,,1", "0,", ",0", "1024",
		"0-1024", "0 1",
	};
	struct wfqnl_err err;
	struct cpulist c;

	tap_ok(t, parse_cpulist("0-2,5", &c, &err) == 0 &&
		  cpulist_count(&c) == 4 && cpu_in(&c, 0) && cpu_in(&c, 1) &&
		  cpu_in(&c, 2) && !cpu_in(&c, 3) && !cpu_in(&c, 4) &&
		  cpu_in(&c, 5),
	       "cpu list 0-2,5 is CPUs 0 1 2 5");
	tap_ok(t, parse_cpulist("7", &c, &err) == 0 &&
		  cpulist_count(&c) == 1 && cpu_in(&c, 7),
	       "cpu list 7 is CPU 7 alone");
	tap_ok(t, parse_cpulist("0-1023", &c, &err) == 0 &&
		  cpulist_count(&c) == 1024,
	       "cpu list 0-1023 is 1024 CPUs");
	tap_ok(t, parse_cpulist("3,1-2,2", &c, &err) == 0 &&
		  cpulist_count(&c) == 3,
	       "overlapping cpu list 3,1-2,2 counts each CPU once");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(t, parse_cpulist(bad[i], &c, &err) == -EINVAL &&
			  strstr(err.msg, "cpu list"),
		       "cpu list \"%s\" is rejected", bad[i]);
	tap_ok(t, parse_cpulist("0-2,5\n", &c, &err) == -EINVAL,
	       "cpu list with a trailing newline is rejected from users");
	{
		char buf[64];

		parse_cpulist("5,0-2,7,8,9", &c, &err);
		cpulist_format(&c, buf, sizeof(buf));
		tap_eq_str(t, buf, "0-2,5,7-9",
			   "cpu list 5,0-2,7,8,9 formats as 0-2,5,7-9");
	}
	tap_ok(t, parse_cpulist_file("0-1\n", &c, &err) == 0 &&
		  cpulist_count(&c) == 2,
	       "cpuset file 0-1\\n is CPUs 0 1");
	tap_ok(t, parse_cpulist_file("\n", &c, &err) == 0 &&
		  cpulist_count(&c) == 0,
	       "empty cpuset file is the empty set");
}

static void test_cpu_max(struct tap *t)
{
	static const char *const bad[] = {
		"", "max/", "50000/", "/100000", "50000/100000/1", "500",
		"50000/999", "50000/1000001", "maxi", "-1", "20%",
	};
	struct wfqnl_err err;
	struct cpu_max cm;

	tap_ok(t, parse_cpu_max("50000", &cm, &err) == 0 && !cm.unlimited &&
		  cm.quota_us == 50000 && cm.period_us == 100000,
	       "cpu.max 50000 takes the default period 100000");
	tap_ok(t, parse_cpu_max("20000/50000", &cm, &err) == 0 &&
		  cm.quota_us == 20000 && cm.period_us == 50000,
	       "cpu.max 20000/50000 is quota 20000 period 50000");
	tap_near(t, cpu_max_cpus(&cm), 0.4, 1e-12,
		 "cpu.max 20000/50000 allows 0.4 CPUs");
	tap_ok(t, parse_cpu_max("200000/100000", &cm, &err) == 0,
	       "cpu.max 200000/100000 (two CPUs) is accepted");
	tap_near(t, cpu_max_cpus(&cm), 2.0, 1e-12,
		 "cpu.max 200000/100000 allows 2 CPUs");
	tap_ok(t, parse_cpu_max("max", &cm, &err) == 0 && cm.unlimited &&
		  cm.period_us == 100000 && cpu_max_cpus(&cm) == 0,
	       "cpu.max max is unlimited");
	tap_ok(t, parse_cpu_max("max/20000", &cm, &err) == 0 &&
		  cm.unlimited && cm.period_us == 20000,
	       "cpu.max max/20000 keeps the period");
	tap_ok(t, parse_cpu_max("max 100000\n", &cm, &err) == 0 &&
		  cm.unlimited,
	       "cpu.max file form \"max 100000\\n\" parses");
	tap_ok(t, parse_cpu_max("30000 100000\n", &cm, &err) == 0 &&
		  cm.quota_us == 30000 && cm.period_us == 100000,
	       "cpu.max file form \"30000 100000\\n\" parses");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(t, parse_cpu_max(bad[i], &cm, &err) == -EINVAL &&
			  strstr(err.msg, "cpu.max"),
		       "cpu.max \"%s\" is rejected", bad[i]);
}

static void test_numbers(struct tap *t)
{
	struct wfqnl_err err;
	uint64_t ns, v;
	int pid;

	static const struct {
		const char *s;
		unsigned int flags;
		uint64_t ns;		/* 0: rejected */
		const char *why;	/* in the message of a rejection */
	} durations[] = {
		{ "500ms", 0, 500000000ull, NULL },
		{ "1.5s", 0, 1500000000ull, NULL },
		{ "2m", 0, 120000000000ull, NULL },
		{ "250us", 0, 250000ull, NULL },
		{ "100ns", 0, 100, NULL },
		{ "1h", 0, 3600000000000ull, NULL },
		{ ".25s", 0, 250000000ull, NULL },
		{ "2", DURATION_BARE_SECONDS, 2000000000ull, NULL },
		{ "0.25", DURATION_BARE_SECONDS, 250000000ull, NULL },
		{ "0", DURATION_ZERO_OK, 0, NULL },
		{ "4", 0, 0, "like 4ms" },
		{ "0", 0, 0, "more than 0" },
		{ "0s", DURATION_BARE_SECONDS, 0, "more than 0" },
		{ "1.", DURATION_BARE_SECONDS, 0, "not a duration" },
		{ "x", 0, 0, "not a duration" },
		{ "-1s", 0, 0, "not a duration" },
		{ "1 s", 0, 0, "not a duration" },
		{ "5d", 0, 0, "not a duration" },
		{ "25h", 0, 0, "longer than a day" },
		{ "99999999999999999999s", 0, 0, "not a duration" },
	};

	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		int ret;

		memset(&err, 0, sizeof(err));
		ns = 1;
		ret = parse_duration(durations[i].s, durations[i].flags, &ns,
				     &err);
		if (durations[i].why)
			tap_ok(t, ret < 0 && strstr(err.msg, durations[i].why),
			       "duration \"%s\" is rejected: %s",
			       durations[i].s, err.msg);
		else
			tap_ok(t, ret == 0 && ns == durations[i].ns,
			       "duration \"%s\" is %llu ns", durations[i].s,
			       (unsigned long long)durations[i].ns);
	}
	tap_ok(t, parse_pid("1234", &pid, &err) == 0 && pid == 1234,
	       "pid 1234 parses");
	tap_ok(t, parse_pid("0", &pid, &err) < 0 &&
		  parse_pid("12a", &pid, &err) < 0,
	       "pids 0 and 12a are rejected");
	tap_ok(t, parse_uint("7", 10, &v, &err) == 0 && v == 7 &&
		  parse_uint("11", 10, &v, &err) == -ERANGE,
	       "count 7 is accepted and 11 is over a maximum of 10");
	tap_ok(t, parse_count("1", 10, &v, &err) == 0 && v == 1 &&
		  parse_count("0", 10, &v, &err) == -EINVAL &&
		  strstr(err.msg, "at least 1") &&
		  parse_count("x", 10, &v, &err) == -EINVAL &&
		  parse_count("11", 10, &v, &err) == -ERANGE,
	       "a count is 1..max: 0, x and 11 are rejected with a reason");
}

static void test_ns(struct tap *t)
{
	static const char *const bad[] = {
		"", "pid,", ",pid", "pids", "cgroup", "pid net", "PID",
	};
	struct wfqnl_err err;
	struct id_map m;
	unsigned int ns;

	tap_ok(t, parse_ns_list("pid,net", &ns, &err) == 0 &&
		  ns == (NS_PID | NS_NET),
	       "namespaces pid,net are pid and net");
	tap_ok(t, parse_ns_list("all", &ns, &err) == 0 && ns == NS_ALL,
	       "namespaces all are all six");
	tap_ok(t, parse_ns_list("user,mnt,uts,ipc", &ns, &err) == 0 &&
		  ns == (NS_USER | NS_MNT | NS_UTS | NS_IPC),
	       "namespaces user,mnt,uts,ipc parse in any order");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tap_ok(t, parse_ns_list(bad[i], &ns, &err) == -EINVAL,
		       "namespaces \"%s\" are rejected", bad[i]);
	tap_ok(t, parse_id_map("0:100000:65536", &m, &err) == 0 &&
		  m.inside == 0 && m.outside == 100000 && m.count == 65536,
	       "id map 0:100000:65536 parses");
	tap_ok(t, parse_id_map("0:1000:0", &m, &err) < 0 &&
		  parse_id_map("0:1000", &m, &err) < 0 &&
		  parse_id_map("0:4294967295:2", &m, &err) < 0 &&
		  parse_id_map("0 1000 1", &m, &err) < 0,
	       "id maps with count 0, two fields, overflow or blanks are rejected");
}

static void test_host_port(struct tap *t)
{
	struct wfqnl_err err;
	char host[64];
	uint16_t port = 0;

	tap_ok(t, !parse_host_port("127.0.0.1:9464", host, sizeof(host), &port,
				   &err) && !strcmp(host, "127.0.0.1") &&
		  port == 9464, "listen 127.0.0.1:9464");
	tap_ok(t, !parse_host_port("[::1]:80", host, sizeof(host), &port,
				   &err) && !strcmp(host, "::1") && port == 80,
	       "listen [::1]:80: brackets dropped");
	tap_ok(t, !parse_host_port(":9464", host, sizeof(host), &port, &err) &&
		  !host[0], "listen :9464: every address");
	tap_ok(t, parse_host_port("::1:80", host, sizeof(host), &port,
				  &err) == -EINVAL &&
		  parse_host_port("localhost", host, sizeof(host), &port,
				  &err) == -EINVAL &&
		  parse_host_port("h:0", host, sizeof(host), &port,
				  &err) == -EINVAL &&
		  parse_host_port("h:65536", host, sizeof(host), &port,
				  &err) == -ERANGE,
	       "listen: bare IPv6, no port, port 0 and 65536 rejected");
}

int main(void)
{
	struct tap t = { 0 };

	test_weight(&t);
	test_group_name(&t);
	test_size(&t);
	test_cpulist(&t);
	test_cpu_max(&t);
	test_numbers(&t);
	test_ns(&t);
	test_host_port(&t);
	return tap_done(&t);
}
