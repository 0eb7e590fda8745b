// SPDX-License-Identifier: GPL-2.0
/*
 * Unload/reload cycles under load: groups with busy tasks, requests in
 * flight from another process, and a dump in progress. The dump holds a
 * module reference, so delete_module() must fail with EWOULDBLOCK until
 * its socket closes, then succeed; finit_module() brings the family back
 * empty, and the cycle repeats.
 *
 * It needs the module file: WFQ_KO=path/wfqmon.ko (selftests/run.sh
 * passes it). The module is left loaded with the parameters it had.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "hog.h"
#include "wfqtest.h"

/* Cycles per run; WFQ_RELOAD_CYCLES overrides. */
#define RELOAD_CYCLES		20
/*
 * A dump skb of a socket that never received more than 4 KiB holds
 * about 7 groups: after one part is read, this many keep it going.
 */
#define RELOAD_GROUPS		48
#define DUMP_PART_BYTES		4096
#define RELOAD_HOGS		3
/* A closing socket may drop its dump's module reference a bit later. */
#define RELEASE_WAIT_MS		2000
#define MODULE_SYSFS		"/sys/module/wfqmon"

static const char *const module_params[] = {
	"max_groups", "max_tasks", "event_interval_ms",
};

FIXTURE(reload) {
	struct wfqtest_env env;
	const char *ko;
	char params[256];
	struct hog hogs[RELOAD_HOGS];
	pid_t hammer;
};

static int read_sysfs_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f))
		ret = -EIO;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return ret;
}

/* "max_groups=N max_tasks=N ...": what the loaded module was given. */
static int current_params(char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(module_params) / sizeof(module_params[0]); i++) {
		char path[128], val[64];
		int ret, n;

		snprintf(path, sizeof(path), MODULE_SYSFS "/parameters/%s",
			 module_params[i]);
		ret = read_sysfs_line(path, val, sizeof(val));
		if (ret)
			return ret;
		n = snprintf(buf + len, size - len, "%s%s=%s", len ? " " : "",
			     module_params[i], val);
		if (n < 0 || (size_t)n >= size - len)
			return -ENAMETOOLONG;
		len += n;
	}
	return 0;
}

static int module_refcnt(void)
{
	char val[32];

	return read_sysfs_line(MODULE_SYSFS "/refcnt", val, sizeof(val)) ?
	       -1 : atoi(val);
}

static int reload_cycles(void)
{
	const char *env = getenv("WFQ_RELOAD_CYCLES");
	int n = env ? atoi(env) : 0;

	return n > 0 ? n : RELOAD_CYCLES;
}

static int delete_module(unsigned int flags)
{
	return syscall(SYS_delete_module, "wfqmon", flags) ? -errno : 0;
}

/*
 * Requests in flight from another process while the module goes and
 * comes back: GETs and STATS only, as a dump would pin the module.
 */
static void __attribute__((noreturn)) hammer_main(const char *prefix)
{
	char name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;
	struct wfqnl_stats st;
	struct wfqnl_err err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(name, sizeof(name), "%sg0", prefix);
	for (;;) {
		struct wfqnl *nl = wfqnl_open(&err);

		if (!nl) {
			sleep_ms(1);
			continue;
		}
		for (int i = 0; i < 200; i++)
			if (wfqnl_stats_get(nl, &st, &err) ||
			    wfqnl_group_get(nl, wfqnl_ref_name(name), 0, &g, &err))
				break;
		wfqnl_close(nl);
	}
}

/*
 * Start a dump on a socket of its own and leave it unread. A socket
 * that never received has the smallest dump skb (NLMSG_GOODSIZE), so
 * RELOAD_GROUPS groups do not fit in the first parts.
 */
static int start_unread_dump(struct wfqnl *nl, struct wfqnl_err *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	int fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "open netlink socket");
	/* Borrow a well-formed request (family id, version) from nl. */
	msg = wfqnl_msg_new(nl, WFQMON_CMD_GROUP_GET, NLM_F_DUMP, err);
	if (!msg) {
		close(fd);
		return -ENOMEM;
	}
	nlh = nlmsg_hdr(msg);
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	ret = sendto(fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&kernel,
		     sizeof(kernel));
	nlmsg_free(msg);
	if (ret < 0) {
		ret = wfqnl_err_set(err, errno, "send dump request");
		close(fd);
		return ret;
	}
	return fd;
}

FIXTURE_SETUP(reload)
{
	char why[256];
	int ret;

	self->ko = getenv("WFQ_KO");
	if (!self->ko || !*self->ko)
		SETUP_SKIP("set WFQ_KO to the path of wfqmon.ko (selftests/run.sh does)");
	if (access(self->ko, R_OK))
		SETUP_SKIP("WFQ_KO=%s: %s", self->ko, strerror(errno));
	ret = current_params(self->params, sizeof(self->params));
	if (ret)
		SETUP_SKIP("wfqmon is not loaded (%s: %s)", MODULE_SYSFS,
			   strerror(-ret));
	ret = wfqtest_env_setup(&self->env, false, why, sizeof(why));
	if (ret > 0)
		SETUP_SKIP("%s", why);
	ASSERT_EQ(0, ret) TH_LOG("%s", why);
}

FIXTURE_TEARDOWN(reload)
{
	struct wfqnl_err err;
	int skip;

	if (self->hammer > 0) {
		kill(self->hammer, SIGKILL);
		waitpid(self->hammer, NULL, 0);
	}
	for (int i = 0; i < RELOAD_HOGS; i++)
		hog_kill(&self->hogs[i]);
	/* Leave the module loaded, as every later test expects. */
	if (access(MODULE_SYSFS, F_OK))
		wfqtest_load_module(self->ko, self->params);
	/* The handle from setup may name a family id that is gone. */
	wfqnl_close(self->env.nl);
	self->env.nl = wfqtest_open(&err, &skip);
	wfqtest_env_teardown(&self->env);
}

static int create_groups(FIXTURE_DATA(reload) *self, struct wfqnl *nl,
			 struct wfqnl_err *err)
{
	char cgname[16], name[WFQMON_NAME_MAX + 1];
	struct wfqnl_group g;

	for (int i = 0; i < RELOAD_GROUPS; i++) {
		uint64_t cgid;
		int ret;

		snprintf(cgname, sizeof(cgname), "g%d", i);
		ret = cgtest_id(&self->env.cg, cgname, &cgid);
		if (ret)
			return wfqnl_err_set(err, -ret, "cgroup %s", cgname);
		ret = wfqnl_group_new(nl, wfqtest_name(&self->env, name, cgname),
				      0, wfqnl_bind_id(cgid), &g, err);
		if (ret)
			return ret;
	}
	return 0;
}

TEST_F_TIMEOUT(reload, rmmod_waits_for_dump_then_reload_cycles_cleanly, 300)
{
	unsigned long taint_before = wfqtest_taint();
	int cycles = reload_cycles();
	uint64_t fresh_memory = 0;
	struct wfqnl_err err;

	/* Cgroups and tasks live across the cycles; groups do not. */
	for (int i = 0; i < RELOAD_GROUPS; i++) {
		char cgname[16];

		snprintf(cgname, sizeof(cgname), "g%d", i);
		ASSERT_EQ(0, cgtest_mkdir(&self->env.cg, cgname));
	}
	for (int i = 0; i < RELOAD_HOGS; i++) {
		/* One spinner, the others sleep and wake. */
		struct hog_spec spec = { .cgroup = i ? "g1" : "g0", .cpu = -1,
					 .spin_ms = i ? 0 : -1,
					 .flap_ms = i ? 3600 * 1000 : 0 };

		ASSERT_EQ(0, hog_start(&self->env.cg, &spec, &self->hogs[i]));
		ASSERT_EQ(0, hog_release(&self->hogs[i]));
	}
	self->hammer = fork();
	ASSERT_LE(0, self->hammer);
	if (self->hammer == 0)
		hammer_main(self->env.prefix);

	TH_LOG("%d cycles (WFQ_RELOAD_CYCLES), module parameters \"%s\"",
	       cycles, self->params);
	for (int cycle = 0; cycle < cycles; cycle++) {
		int skip, dump_fd, held, ret, waited;
		struct wfqnl_stats st;
		struct wfqnl *nl;
		char buf[DUMP_PART_BYTES];

		nl = wfqtest_open(&err, &skip);
		ASSERT_NE(NULL, nl) TH_LOG("cycle %d: %s", cycle, err.msg);
		ret = create_groups(self, nl, &err);
		if (ret)
			wfqnl_close(nl);
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", cycle, err.msg);

		held = module_refcnt();
		dump_fd = start_unread_dump(nl, &err);
		if (dump_fd < 0)
			wfqnl_close(nl);
		ASSERT_LE(0, dump_fd) TH_LOG("cycle %d: %s", cycle, err.msg);
		/* Read one part: the dump goes on, still holding the module. */
		ret = (int)recv(dump_fd, buf, sizeof(buf), MSG_DONTWAIT);
		EXPECT_LT(0, ret) TH_LOG("cycle %d: first dump part: %s", cycle,
					 strerror(errno));
		TH_LOG("cycle %d: module refcnt %d before the dump, %d during it",
		       cycle, held, module_refcnt());
		EXPECT_LT(held, module_refcnt())
			TH_LOG("cycle %d: the dump took no module reference", cycle);

		ret = delete_module(O_NONBLOCK);
		EXPECT_EQ(-EWOULDBLOCK, ret)
			TH_LOG("cycle %d: delete_module during a dump: %s",
			       cycle, strerror(-ret));
		/* Still serving: the failed unload changed nothing. */
		ret = wfqnl_stats_get(nl, &st, &err);
		EXPECT_EQ(0, ret) TH_LOG("cycle %d: %s", cycle, err.msg);
		EXPECT_EQ(RELOAD_GROUPS, st.nr_groups);

		wfqnl_close(nl);
		close(dump_fd);
		for (waited = 0; (ret = delete_module(O_NONBLOCK)) == -EWOULDBLOCK &&
				 waited < RELEASE_WAIT_MS; waited += 10)
			sleep_ms(10);
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: delete_module after the dump: %s (refcnt %d)",
					 cycle, strerror(-ret), module_refcnt());
		TH_LOG("cycle %d: unloaded %d ms after the dump's socket closed",
		       cycle, waited);
		EXPECT_NE(0, access(MODULE_SYSFS, F_OK));
		EXPECT_EQ(NULL, wfqnl_open(&err));
		EXPECT_EQ(ENOENT, err.errnum) TH_LOG("%s", err.msg);

		ret = wfqtest_load_module(self->ko, self->params);
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: finit_module(%s): %s",
					 cycle, self->ko, strerror(-ret));
		nl = wfqtest_open(&err, &skip);
		ASSERT_NE(NULL, nl) TH_LOG("cycle %d: after reload: %s", cycle,
					   err.msg);
		ret = wfqnl_stats_get(nl, &st, &err);
		wfqnl_close(nl);
		ASSERT_EQ(0, ret) TH_LOG("cycle %d: %s", cycle, err.msg);
		EXPECT_EQ(0, st.nr_groups);
		/* Every load holds the same memory: nothing carried over. */
		if (cycle == 0)
			fresh_memory = st.memory_bytes;
		TH_LOG("cycle %d: reloaded, memory_bytes %" PRIu64, cycle,
		       (uint64_t)st.memory_bytes);
		EXPECT_EQ(fresh_memory, st.memory_bytes);
	}
	for (int i = 0; i < RELOAD_HOGS; i++) {
		EXPECT_EQ(0, kill(self->hogs[i].pid, 0))
			TH_LOG("hog %d died with the module", i);
	}
	EXPECT_EQ(0, (wfqtest_taint() & ~taint_before) & WFQTEST_TAINT_COMPLAINED)
		TH_LOG("kernel tainted 0x%lx during the cycles", wfqtest_taint());
}

TEST_HARNESS_MAIN
