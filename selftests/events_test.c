// SPDX-License-Identifier: GPL-2.0
/* The "events" multicast group: one notification per change, with the group's id. */
#include <errno.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "clock.h"
#include "hog.h"
#include "wfqtest.h"

/* Notifications are immediate or deferred by ~100 ms: allow for TCG. */
#define EVENT_TIMEOUT_MS	3000

FIXTURE(ev) {
	struct wfqtest_env env;
	struct wfqnl *events;
	int fd;
	char name[WFQMON_NAME_MAX + 1];
};

FIXTURE_SETUP(ev)
{
	struct wfqnl_err err;
	int skip;

	WFQTEST_SETUP(&self->env, false);
	self->fd = wfqtest_mkcg(&self->env, "a");
	ASSERT_LE(0, self->fd) wfqtest_env_teardown(&self->env);
	self->events = wfqtest_open(&err, &skip);
	ASSERT_NE(NULL, self->events) wfqtest_env_teardown(&self->env);
	ASSERT_EQ(0, wfqnl_events_subscribe(self->events, &err)) {
		TH_LOG("%s", err.msg);
		wfqtest_env_teardown(&self->env);
	}
	wfqtest_name(&self->env, self->name, "ev");
}

FIXTURE_TEARDOWN(ev)
{
	wfqnl_close(self->events);
	if (self->fd > 0)
		close(self->fd);
	wfqtest_env_teardown(&self->env);
}

/* Skip other groups' notifications until cmd arrives for id. */
static int wait_event(struct wfqnl *events, uint8_t cmd, uint32_t id,
		      struct wfqnl_event *ev, struct wfqnl_err *err)
{
	uint64_t deadline = now_ns() + EVENT_TIMEOUT_MS * 1000000ull;

	for (;;) {
		int64_t left_ms = ((int64_t)deadline - (int64_t)now_ns()) / 1000000;
		int ret;

		if (left_ms <= 0)
			return -ETIMEDOUT;
		ret = wfqnl_event_recv(events, (int)left_ms, ev, err);
		if (ret == -ENOBUFS)
			continue;
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -ETIMEDOUT;
		if (ev->cmd == cmd && ev->group.id == id)
			return 0;
	}
}

TEST_F(ev, create_notifies_group_new_with_id)
{
	struct wfqnl_event ev;
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wait_event(self->events, WFQMON_CMD_GROUP_NEW_NTF, g.id,
				&ev, &err));
	EXPECT_STREQ(self->name, ev.group.name);
}

TEST_F(ev, set_notifies_group_change_with_id)
{
	struct wfqnl_event ev;
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_set(self->env.nl, wfqnl_ref_id(g.id), 42,
				     wfqnl_bind_none(), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wait_event(self->events, WFQMON_CMD_GROUP_CHANGE_NTF,
				g.id, &ev, &err));
	EXPECT_EQ(42, ev.group.weight);
}

TEST_F(ev, destroy_notifies_group_del_with_id)
{
	struct wfqnl_event ev;
	struct wfqnl_group g;
	struct wfqnl_err err;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wfqnl_group_del(self->env.nl, wfqnl_ref_id(g.id), &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, wait_event(self->events, WFQMON_CMD_GROUP_DEL_NTF, g.id,
				&ev, &err));
}

TEST_F(ev, running_task_notifies_active_then_idle)
{
	struct hog_spec spec = { .cgroup = "a", .cpu = -1, .spin_ms = 300 };
	struct wfqnl_event ev;
	struct wfqnl_group g;
	struct wfqnl_err err;
	struct hog hog;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, hog_start(&self->env.cg, &spec, &hog));
	ASSERT_EQ(0, hog_release(&hog)) hog_kill(&hog);
	EXPECT_EQ(0, wait_event(self->events, WFQMON_CMD_GROUP_ACTIVE_NTF,
				g.id, &ev, &err));
	EXPECT_EQ(0, hog_wait(&hog));
	EXPECT_EQ(0, wait_event(self->events, WFQMON_CMD_GROUP_IDLE_NTF, g.id,
				&ev, &err));
	EXPECT_LE(1, ev.group.activations);
}

/*
 * A group that turns idle and active hundreds of times a second costs
 * listeners at most one notification per event interval (100 ms by
 * default), each carrying the activation count.
 */
TEST_F(ev, flapping_group_notifications_are_coalesced)
{
	struct hog_spec spec = { .cgroup = "a", .cpu = -1, .flap_ms = 1500 };
	uint64_t deadline, activations = 0;
	unsigned int state_events = 0;
	struct wfqnl_event ev;
	struct wfqnl_group g, after;
	struct wfqnl_err err;
	struct hog hog;

	ASSERT_EQ(0, wfqnl_group_new(self->env.nl, self->name, 0,
				     wfqnl_bind_fd(self->fd), &g, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, hog_start(&self->env.cg, &spec, &hog));
	ASSERT_EQ(0, hog_release(&hog)) hog_kill(&hog);
	ASSERT_EQ(0, hog_wait(&hog));

	/* Drain what the flapping produced, plus the last idle event. */
	deadline = now_ns() + EVENT_TIMEOUT_MS * 1000000ull;
	while (now_ns() < deadline) {
		int ret = wfqnl_event_recv(self->events, 200, &ev, &err);

		if (ret == -ENOBUFS)
			continue;
		ASSERT_LE(0, ret) TH_LOG("%s", err.msg);
		if (ret == 0 || ev.group.id != g.id)
			continue;
		if (ev.cmd == WFQMON_CMD_GROUP_ACTIVE_NTF ||
		    ev.cmd == WFQMON_CMD_GROUP_IDLE_NTF) {
			state_events++;
			activations = ev.group.activations;
		}
	}
	ASSERT_EQ(0, wfqnl_group_get(self->env.nl, wfqnl_ref_id(g.id), 0, &after,
				     &err))
		TH_LOG("%s", err.msg);
	TH_LOG("%llu activations, %u notifications",
	       (unsigned long long)after.activations, state_events);
	/* The churn was real: far more transitions than notifications. */
	EXPECT_LE(100, after.activations);
	EXPECT_LE(1, state_events);
	/* 1.5 s of churn at one flush per 100 ms, with slack for TCG. */
	EXPECT_GE(25, state_events);
	EXPECT_EQ(after.activations, activations);
}

TEST_HARNESS_MAIN
