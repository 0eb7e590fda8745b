// SPDX-License-Identifier: GPL-2.0
/*
 * events: follow the module's "events" multicast group and print one
 * line per notification, as text or as a JSON object per line.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "cmd.h"
#include "json.h"
#include "output.h"
#include "parse.h"

enum {
	OPT_JSON = 300,
	OPT_COUNT,
	OPT_TIMEOUT,
};

static const char *event_name(uint8_t cmd)
{
	switch (cmd) {
	case WFQMON_CMD_GROUP_NEW_NTF:
		return "new";
	case WFQMON_CMD_GROUP_DEL_NTF:
		return "del";
	case WFQMON_CMD_GROUP_CHANGE_NTF:
		return "change";
	case WFQMON_CMD_GROUP_ACTIVE_NTF:
		return "active";
	case WFQMON_CMD_GROUP_IDLE_NTF:
		return "idle";
	}
	return "unknown";
}

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A line of events --json up to its "event" member. */
static void event_json_begin(struct json *j, const char *event)
{
	json_init(j, stdout);
	json_obj_begin(j, NULL);
	out_json_header(j, realtime_ns());
	json_str(j, "event", event);
}

/*
 * The receive buffer overflowed: the kernel dropped notifications. In
 * JSON a line of its own, so a reader of the stream (a replay) knows
 * the record has a hole; on stderr too, for whoever watches.
 */
static void print_lost(bool json)
{
	fprintf(stderr, "wfqtool: events: some notifications were lost\n");
	if (json) {
		struct json j;

		event_json_begin(&j, "lost");
		json_end(&j, '}');
		fflush(stdout);
	}
}

static void print_event(const struct wfqnl_event *ev, bool json)
{
	const struct wfqnl_group *g = &ev->group;

	if (json) {
		struct json j;

		event_json_begin(&j, event_name(ev->cmd));
		json_u64(&j, "id", g->id);
		json_str(&j, "name", g->name);
		json_u64(&j, "weight", g->weight);
		json_bool(&j, "active", g->active);
		json_u64(&j, "nr_runnable", g->nr_runnable);
		json_u64(&j, "activations", g->activations);
		json_u64(&j, "vtime_ns_per_weight", g->vtime);
		json_u64(&j, "runtime_ns", g->runtime_ns);
		json_end(&j, '}');
	} else {
		printf("%-6s %-20s id=%u weight=%u %s runnable=%u activations=%llu vtime=%llu\n",
		       event_name(ev->cmd), g->name, g->id, g->weight,
		       g->active ? "active" : "idle", g->nr_runnable,
		       (unsigned long long)g->activations,
		       (unsigned long long)g->vtime);
	}
	fflush(stdout);
}

int cmd_events(struct cmd_ctx *ctx, int argc, char **argv,
	       struct wfqnl_err *err)
{
	static const struct option longopts[] = {
		CMD_COMMON_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "count", required_argument, NULL, OPT_COUNT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ 0 },
	};
	uint64_t count = 0, seen = 0, timeout_ns = 0, deadline = 0;
	struct wfqnl_event ev;
	struct wfqnl *nl;
	bool json = false;
	int opt, status = EXIT_OK, ret;

	optind = 0;
	opterr = 0;
	while (!status &&
	       (opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case OPT_JSON:
			json = true;
			break;
		case OPT_COUNT:
			if (parse_count(optarg, UINT32_MAX, &count, err))
				status = cmd_value_error(err, "events", "--count");
			break;
		case OPT_TIMEOUT:
			if (parse_duration(optarg, DURATION_BARE_SECONDS,
					   &timeout_ns, err))
				status = cmd_value_error(err, "events",
							 "--timeout");
			break;
		default:
			status = cmd_common_opt(ctx, "events", opt, argv, err);
			break;
		}
	}
	if (!status && optind < argc)
		status = cmd_usage_error(err, "events",
					 "unexpected argument \"%s\"",
					 argv[optind]);
	if (status)
		return status;

	status = cmd_open_nl(&nl, err);
	if (status)
		return status;
	if (wfqnl_events_subscribe(nl, err)) {
		wfqnl_close(nl);
		return EXIT_FAIL;
	}
	if (timeout_ns)
		deadline = realtime_ns() + timeout_ns;
	status = EXIT_OK;
	while (!count || seen < count) {
		int wait_ms = -1;

		if (deadline) {
			uint64_t now = realtime_ns();

			if (now >= deadline)
				break;
			wait_ms = (int)((deadline - now + 999999) / 1000000);
		}
		ret = wfqnl_event_recv(nl, wait_ms, &ev, err);
		if (ret == -ENOBUFS) {
			/* The socket overflowed: say so, keep following. */
			print_lost(json);
			continue;
		}
		if (ret < 0) {
			status = EXIT_FAIL;
			break;
		}
		if (ret == 0)
			continue;
		print_event(&ev, json);
		seen++;
	}
	wfqnl_close(nl);
	return status;
}
