// SPDX-License-Identifier: GPL-2.0
/* Group names from cgroup directory names (cgname.c). */
#include <string.h>

#include <linux/wfqmon.h>

#include "../cgname.h"
#include "tap.h"

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void test_derive(struct tap *t)
{
	static const struct {
		const char *base, *want;
	} cases[] = {
		{ "docker-" ID64 ".scope", "0123456789ab" },
		{ "libpod-" ID64, "0123456789ab" },
		{ "libpod-" ID64 ".scope", "0123456789ab" },
		{ "crio-" ID64 ".scope", "0123456789ab" },
		{ "cri-containerd-" ID64 ".scope", "0123456789ab" },
		{ "lxc.payload.c1", "c1" },
		{ "lxc.payload.web.prod", "web.prod" },
		{ "lxc.monitor.c1", "lxc.monitor.c1" },
		{ "foo@bar.service", "foo@bar.service" },
		{ "-.slice", "-.slice" },
		{ "sys-dev-x\\x2dy.device", "sys-dev-x\\x2dy.device" },
		{ "libpod-conmon-" ID64, "conmon-" ID64 },
		{ "docker-short.scope", "short" },
		{ "two words", "two_words" },
		{ "caf\xc3\xa9", "caf__" },
		{ "libpod_parent", "libpod_parent" },
	};
	char buf[WFQMON_NAME_MAX + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cgname_derive(cases[i].base, NULL, buf);
		tap_ok(t, !strcmp(buf, cases[i].want),
		       "\"%.30s\" is named \"%s\" (got \"%s\")", cases[i].base,
		       cases[i].want, buf);
	}
}

static void test_fallback(struct tap *t)
{
	char buf[WFQMON_NAME_MAX + 1], name[WFQMON_NAME_MAX + 1];
	char rel[WFQMON_NAME_MAX + 8];

	cgname_fallback("foo.service", "user.slice/foo.service", 42, 1, buf);
	tap_ok(t, !strcmp(buf, "user.slice:foo.service"),
	       "a taken name falls back to its path with ':' (got \"%s\")",
	       buf);
	cgname_fallback("foo.service", "user.slice/foo.service", 42, 2, buf);
	tap_ok(t, !strcmp(buf, "foo.service~42"),
	       "then to the name and the cgroup id (got \"%s\")", buf);
	memset(name, 'n', WFQMON_NAME_MAX);
	name[WFQMON_NAME_MAX] = '\0';
	memset(rel, 'r', sizeof(rel) - 1);
	rel[sizeof(rel) - 1] = '\0';
	cgname_fallback(name, rel, 18446744073709551615ull, 1, buf);
	tap_ok(t, strlen(buf) == WFQMON_NAME_MAX &&
		  !strcmp(buf + strlen(buf) - 21, "~18446744073709551615"),
	       "a path too long skips to the id, cut to %d bytes",
	       WFQMON_NAME_MAX);
}

int main(void)
{
	struct tap t = { 0 };

	test_derive(&t);
	test_fallback(&t);
	return tap_done(&t);
}
