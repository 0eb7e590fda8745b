// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading: rmmod while groups have running tasks and a listener is
 * subscribed succeeds, removes the family and warns nothing.
 * It leaves the module unloaded: run it last (selftests/run.sh does).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "hog.h"
#include "wfqtest.h"

#define BUSY_GROUPS	3

FIXTURE(unload) {
	struct wfqtest_env env;
	struct wfqnl *listener;
	struct hog hogs[BUSY_GROUPS];
};

FIXTURE_SETUP(unload)
{
	WFQTEST_SETUP(&self->env, false);
}

FIXTURE_TEARDOWN(unload)
{
	for (int i = 0; i < BUSY_GROUPS; i++)
		hog_kill(&self->hogs[i]);
	wfqnl_close(self->listener);
	wfqtest_env_teardown(&self->env);
}

TEST_F(unload, rmmod_with_busy_groups_removes_family_cleanly)
{
	char cgname[16], name[WFQMON_NAME_MAX + 1];
	unsigned long taint_before;
	struct wfqnl_group g;
	struct wfqnl_err err;
	int skip, ret;

	for (int i = 0; i < BUSY_GROUPS; i++) {
		struct hog_spec spec = { .cgroup = cgname, .cpu = -1,
					 .spin_ms = -1 };
		int fd;

		snprintf(cgname, sizeof(cgname), "busy%d", i);
		fd = wfqtest_mkcg(&self->env, cgname);
		ASSERT_LE(0, fd);
		ret = wfqnl_group_new(self->env.nl,
				      wfqtest_name(&self->env, name, cgname),
				      0, wfqnl_bind_fd(fd), &g, &err);
		close(fd);
		ASSERT_EQ(0, ret) TH_LOG("%s", err.msg);
		ASSERT_EQ(0, hog_start(&self->env.cg, &spec, &self->hogs[i]));
		ASSERT_EQ(0, hog_release(&self->hogs[i]));
	}
	self->listener = wfqtest_open(&err, &skip);
	ASSERT_NE(NULL, self->listener) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_events_subscribe(self->listener, &err))
		TH_LOG("%s", err.msg);
	sleep_ms(300);

	taint_before = wfqtest_taint();
	/* What rmmod does: O_NONBLOCK fails rather than waits if in use. */
	ret = syscall(SYS_delete_module, "wfqmon", O_NONBLOCK);
	ASSERT_EQ(0, ret) TH_LOG("delete_module(wfqmon): %s", strerror(errno));

	EXPECT_EQ(NULL, wfqnl_open(&err));
	EXPECT_EQ(ENOENT, err.errnum) TH_LOG("%s", err.msg);
	EXPECT_NE(0, access("/sys/module/wfqmon", F_OK));
	for (int i = 0; i < BUSY_GROUPS; i++) {
		EXPECT_EQ(0, kill(self->hogs[i].pid, 0))
			TH_LOG("hog %d died with the module", i);
	}
	EXPECT_EQ(0, (wfqtest_taint() & ~taint_before) & WFQTEST_TAINT_COMPLAINED)
		TH_LOG("kernel tainted 0x%lx during rmmod", wfqtest_taint());
}

TEST_HARNESS_MAIN
