// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests for the WFQ simulator and its workload parsers. The
 * expected numbers are worked out in the comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sim.h"
#include "../sim_workload.h"
#include "tap.h"

#define MS 1000000ull

static struct sim_workload *workload(struct tap *t, const char *const *specs)
{
	static struct sim_workload w;
	struct wfqnl_err err = { 0 };

	sim_workload_free(&w);
	for (; *specs; specs++)
		if (sim_parse_group(*specs, &w, &err))
			tap_ok(t, false, "parse %s: %s", *specs, err.msg);
	return &w;
}

/* The first picks on CPU 0 (and CPU 1), recorded by the observer. */
struct picks {
	int ran[8];
	int ran1[8];
	size_t n;
};

static void record_pick(void *arg, uint64_t t_ns, const int *ran,
			size_t ncpus, const uint64_t *vt, const bool *run,
			size_t n)
{
	struct picks *p = arg;

	(void)t_ns, (void)vt, (void)run, (void)n;
	if (p->n >= 8)
		return;
	p->ran1[p->n] = ncpus > 1 ? ran[1] : -1;
	p->ran[p->n++] = ran[0];
}

/* The same workload without the catch-up rule (off) and with it (on). */
static void run_both(const struct sim_workload *w, struct sim_params *p,
		     struct sim_stats *off, struct sim_stats *on)
{
	p->catchup = false;
	sim_run(w, p, NULL, off);
	p->catchup = true;
	sim_run(w, p, NULL, on);
}

static void test_pick_smallest(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:3", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 3 * MS, .duration_ns = 24 * MS,
				.catchup = true };
	struct picks pk = { .n = 0 };
	struct sim_observer obs = { .step = record_pick, .arg = &pk };
	struct sim_stats st[2];
	/*
	 * Both start at 0, the tie goes to a (s_a = 3ms); then b runs
	 * while s_b < s_a: 1ms, 2ms, 3ms; the tie at 3ms goes to a again.
	 */
	static const int want[8] = { 0, 1, 1, 1, 0, 1, 1, 1 };

	sim_run(w, &p, &obs, st);
	tap_ok(t, pk.n == 8 && !memcmp(pk.ran, want, sizeof(want)),
	       "pick-smallest: a b b b a b b b for weights 1:3");
	tap_eq_u64(t, st[0].vtime, 6 * MS, "pick-smallest: s_a = 2 q / 1");
	tap_eq_u64(t, st[1].vtime, 6 * MS, "pick-smallest: s_b = 6 q / 3");
}

static void test_shares_123(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:2", "c:3", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 4 * MS,
				.duration_ns = 60000 * MS, .catchup = true };
	struct sim_stats st[3];
	/* Within one quantum per group over the run: 4ms / 60s. */
	double tol = 4.0 / 60000;

	tap_ok(t, !sim_run(w, &p, NULL, st), "1:2:3 runs");
	for (size_t i = 0; i < 3; i++) {
		char name[64];

		snprintf(name, sizeof(name), "1:2:3 share of %s is %zu/6",
			 w->g[i].name, i + 1);
		tap_near(t, (double)st[i].runtime_ns / p.duration_ns,
			 (double)(i + 1) / 6, tol, name);
		tap_near(t, st[i].ideal_ns / p.duration_ns, (double)(i + 1) / 6,
			 1e-9, "1:2:3 ideal share is w_i / sum w");
	}
}

/*
 * hog busy, sleeper runnable 200 ms of each second, weight 1:1, q 1 ms.
 * 0-200 ms: they alternate, 100 ms each. The sleeper is away 800 ms, the
 * hog reaches s = 900 ms. At 1 s the sleeper returns at s = 100 ms.
 * Without the rule it runs the whole 200 ms alone (hog waits 200 ms)
 * and keeps 600 ms of credit, and so every second: 20% of the CPU.
 * With it, s = max(s_min = 900, 100): 800 ms forgiven, the two
 * alternate again, 10% for the sleeper; 9 returns in 10 s.
 */
static void test_catchup(struct tap *t)
{
	static const char *const specs[] = {
		"hog:1", "sleeper:1:on=200ms,off=800ms", NULL,
	};
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 1 * MS,
				.duration_ns = 10000 * MS };
	struct sim_stats off[2], on[2];

	run_both(w, &p, off, on);
	tap_eq_u64(t, off[0].max_wait_ns, 200 * MS,
		   "no catch-up: the hog starves 200 ms after each return");
	tap_eq_u64(t, off[1].runtime_ns, 1900 * MS,
		   "no catch-up: sleeper gets 100 + 9 x 200 ms");
	tap_eq_u64(t, off[1].catchups, 0, "no catch-up: none counted");
	tap_ok(t, on[0].max_wait_ns <= 1 * MS,
	       "catch-up: the hog waits at most one quantum");
	tap_eq_u64(t, on[1].runtime_ns, 1000 * MS,
		   "catch-up: sleeper gets 10 x 100 ms");
	tap_eq_u64(t, on[1].catchups, 9, "catch-up: 9 returns caught up");
	tap_eq_u64(t, on[1].activations, 9, "catch-up: 9 activations");
	tap_eq_u64(t, on[1].forgiven, 9 * 800 * MS,
		   "catch-up: 800 ms forgiven at each return");
	tap_eq_u64(t, on[0].catchups, 0, "catch-up: the hog never idles");
}

/*
 * The burst model, hog:1 and io:1:burst=100ms,sleep=S, q = 1 ms, by
 * hand. 0-200 ms: they alternate (the tie at 0 goes to the hog, the
 * first group), io runs at the odd ms and ends its 100 ms burst at
 * 200 ms, level with the hog: s = 100 ms each. Asleep S ms, the hog
 * reaches s = 100 + S.
 * Without the rule io comes back at s = 100 and runs alone until it is
 * level (S ms) or its burst is done (100 ms), whichever comes first:
 * the hog waits min(S, 100) ms, so 20, 40, 80, then 100 for S = 400.
 * For S <= 100 they are level again, so every cycle repeats this; for
 * S = 400 io keeps 300 ms of credit per cycle: in 10 s it bursts at
 * 0, then at 600 + 500 k (alone, 100 ms) for k = 0..18: 20 x 100 ms,
 * 20% of the CPU; the hog gains 300 ms per cycle and runs the last
 * 300 ms alone: it ends 19 x 300 + 300 = 6000 ms ahead (8000 - 2000).
 * With the rule io rejoins at s_min = the hog's s, so the hog waits one
 * quantum at most; the cycle is 200 ms of sharing plus S asleep, io
 * forgives S ms at each return: for S = 400, 600 ms cycles, bursts at
 * 0, 600, ..., 9600: 17 x 100 ms = 17%, 16 catch-ups of 400 ms.
 */
static void test_burst_starvation_grows(struct tap *t)
{
	static const uint64_t sleep_ms[] = { 20, 40, 80, 400 };
	struct sim_params p = { .quantum_ns = 1 * MS,
				.duration_ns = 10000 * MS };
	struct sim_stats off[2], on[2];
	char name[128];

	for (size_t k = 0; k < sizeof(sleep_ms) / sizeof(sleep_ms[0]); k++) {
		char io[64];
		const char *specs[] = { "hog:1", io, NULL };
		uint64_t s = sleep_ms[k];
		struct sim_workload *w;

		snprintf(io, sizeof(io), "io:1:burst=100ms,sleep=%llums",
			 (unsigned long long)s);
		w = workload(t, specs);
		run_both(w, &p, off, on);
		snprintf(name, sizeof(name),
			 "burst, sleep %llu ms, no catch-up: the hog waits min(sleep, burst)",
			 (unsigned long long)s);
		tap_eq_u64(t, off[0].max_wait_ns, (s < 100 ? s : 100) * MS,
			   name);
		snprintf(name, sizeof(name),
			 "burst, sleep %llu ms, catch-up: the hog waits one quantum",
			 (unsigned long long)s);
		tap_eq_u64(t, on[0].max_wait_ns, 1 * MS, name);
	}
	tap_eq_u64(t, off[1].runtime_ns, 2000 * MS,
		   "burst, sleep 400 ms, no catch-up: io gets 20 x 100 ms");
	tap_eq_u64(t, off[0].vtime - off[1].vtime, 6000 * MS,
		   "burst, sleep 400 ms, no catch-up: io keeps 300 ms per cycle");
	tap_eq_u64(t, on[1].runtime_ns, 1700 * MS,
		   "burst, sleep 400 ms, catch-up: io gets 17 x 100 ms");
	tap_eq_u64(t, on[1].catchups, 16, "burst, catch-up: 16 returns");
	tap_eq_u64(t, on[1].forgiven, 16 * 400 * MS,
		   "burst, catch-up: the sleep forgiven at each return");
}

/*
 * 2 CPUs, q = 1 ms, a:1:threads=2, b:1, c:1, all busy. Step 0: all at
 * 0, a is first and takes both CPUs (s_a = 2 ms); steps 1 and 2: b and
 * c (s = 1, then 2 ms); step 3: all at 2 ms, a again. So a b b a ... on
 * CPU 0, a c c a on CPU 1, a third of the machine each, as
 * water-filling says (caps 2, 1, 1 CPUs; equal weights: 2/3 CPU each).
 */
static void test_two_cpus(struct tap *t)
{
	static const char *const specs[] = { "a:1:threads=2", "b:1", "c:1",
					     NULL };
	static const int want0[8] = { 0, 1, 1, 0, 1, 1, 0, 1 };
	static const int want1[8] = { 0, 2, 2, 0, 2, 2, 0, 2 };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 1 * MS, .duration_ns = 3000 * MS,
				.cpus = 2, .catchup = true };
	struct picks pk = { .n = 0 };
	struct sim_observer obs = { .step = record_pick, .arg = &pk };
	struct sim_stats st[3];

	tap_ok(t, !sim_run(w, &p, &obs, st), "2 CPUs runs");
	tap_ok(t, pk.n == 8 && !memcmp(pk.ran, want0, sizeof(want0)) &&
		  !memcmp(pk.ran1, want1, sizeof(want1)),
	       "2 CPUs: the two smallest s_i run, a 2-thread group on both");
	for (size_t i = 0; i < 3; i++) {
		char name[128];

		snprintf(name, sizeof(name), "2 CPUs: %s gets 2 of 6 CPU-seconds",
			 w->g[i].name);
		tap_eq_u64(t, st[i].runtime_ns, 2000 * MS, name);
		snprintf(name, sizeof(name),
			 "2 CPUs: %s's water-filled ideal is 2/3 CPU",
			 w->g[i].name);
		tap_near(t, st[i].ideal_ns, 2000.0 * MS, 1e-6 * MS, name);
	}
}

/*
 * 1 CPU, q = 1 ms, a:1 busy, b:1:cap=25% (25 ms per 100 ms period).
 * They alternate, b at the odd ms, so b has used its quota at 50 ms and
 * is throttled to 100 ms: 25% for b. Without the rule b returns 50 ms
 * behind (a ran 50..100 alone) and spends its whole quota alone: a
 * waits 25 ms. With it b rejoins level: a waits one quantum, b is
 * caught up 9 times (at 100, ..., 900 ms) by 50 ms, throttled 50 ms
 * per period.
 */
static void test_cap(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:1:cap=25%", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 1 * MS,
				.duration_ns = 1000 * MS };
	struct sim_stats off[2], on[2];

	run_both(w, &p, off, on);
	tap_eq_u64(t, on[1].runtime_ns, 250 * MS, "cap=25%: b gets 25%");
	tap_eq_u64(t, off[1].runtime_ns, 250 * MS,
		   "cap=25%: the cap holds without the rule too");
	tap_eq_u64(t, off[0].max_wait_ns, 25 * MS,
		   "cap, no catch-up: a waits for b's whole quota");
	tap_eq_u64(t, on[0].max_wait_ns, 1 * MS,
		   "cap, catch-up: a waits one quantum");
	tap_eq_u64(t, on[1].catchups, 9, "cap: 9 returns from throttling");
	tap_eq_u64(t, on[1].forgiven, 9 * 50 * MS,
		   "cap: 50 ms forgiven at each return");
	tap_eq_u64(t, on[1].throttled_ns, 500 * MS,
		   "cap: throttled 50 ms per period");
	tap_near(t, on[1].ideal_ns, 250.0 * MS, 1e-6 * MS,
		 "cap: the ideal is the cap");
}

/* A group that starts late joins at s_min in both modes. */
static void test_late_start(struct tap *t)
{
	static const char *const specs[] = { "a:1", "b:1:start=1s", NULL };
	struct sim_workload *w = workload(t, specs);
	struct sim_params p = { .quantum_ns = 1 * MS,
				.duration_ns = 2000 * MS };
	struct sim_stats st[2];

	tap_ok(t, !sim_runnable(&w->g[1], 999 * MS) &&
		  sim_runnable(&w->g[1], 1000 * MS),
	       "start=1s: runnable from 1 s on");
	sim_run(w, &p, NULL, st);
	tap_eq_u64(t, st[1].runtime_ns, 500 * MS,
		   "start=1s without the rule: half of the last second");
	tap_eq_u64(t, st[0].max_wait_ns, 1 * MS,
		   "start=1s: no burst for the new group");
}

static FILE *text(const char *s)
{
	FILE *f = tmpfile();

	fputs(s, f);
	rewind(f);
	return f;
}

static void test_replay(struct tap *t)
{
	/* t0 = 1000 ns; x idle first: busy since the record began. */
	FILE *f = text(
		"{\"time_ns\":1000,\"event\":\"new\",\"id\":1,\"name\":\"a\",\"weight\":100,\"active\":false}\n"
		"{\"time_ns\":50001000,\"event\":\"idle\",\"id\":2,\"name\":\"x\",\"weight\":300,\"active\":false}\n"
		"\n"
		"{\"time_ns\":100001000,\"event\":\"active\",\"id\":1,\"name\":\"a\",\"weight\":200,\"active\":true}\n"
		"{\"time_ns\":300001000,\"event\":\"idle\",\"id\":1,\"name\":\"a\",\"weight\":200,\"active\":false}\n"
		"{\"time_ns\":400001000,\"event\":\"active\",\"id\":1,\"name\":\"a\",\"weight\":200,\"active\":true}\n"
		"{\"time_ns\":500001000,\"event\":\"change\",\"id\":2,\"name\":\"x\",\"weight\":300,\"active\":false}\n");
	FILE *l = text("{\"groups\":[{\"name\":\"a\",\"id\":1,\"weight\":250},"
		       "{\"name\":\"z\",\"id\":3,\"weight\":7}]}\n");
	struct sim_workload w = { .n = 0 };
	struct wfqnl_err err = { 0 };
	uint64_t end = 0;
	int ret = sim_parse_events(f, "ev", &w, &end, &err);

	tap_ok(t, !ret && w.n == 2, "replay: two groups (%s)", err.msg);
	if (ret || w.n != 2)
		return;
	tap_eq_u64(t, end, 500 * MS, "replay: ends at the last line");
	tap_ok(t, w.g[0].nbusy == 2 && w.g[0].busy[0].start_ns == 100 * MS &&
		  w.g[0].busy[0].end_ns == 300 * MS &&
		  w.g[0].busy[1].start_ns == 400 * MS &&
		  w.g[0].busy[1].end_ns == 500 * MS,
	       "replay: a busy 100-300 ms and 400 ms to the end");
	tap_ok(t, w.g[1].nbusy == 1 && w.g[1].busy[0].start_ns == 0 &&
		  w.g[1].busy[0].end_ns == 50 * MS,
	       "replay: idle first means busy from the start");
	tap_ok(t, w.g[0].weight == 200 && w.g[1].weight == 300,
	       "replay: the last weights seen");
	ret = sim_parse_weights(l, "list", &w, &err);
	tap_ok(t, !ret && w.n == 3 && w.g[0].weight == 250 &&
		  w.g[2].weight == 7 && !sim_runnable(&w.g[2], 0),
	       "weights: list --json overrides, adds idle groups (%s)",
	       err.msg);
	fclose(f);
	fclose(l);
	sim_workload_free(&w);
}

static void expect_error(struct tap *t, int ret, const struct wfqnl_err *err,
			 const char *token, const char *what)
{
	tap_ok(t, ret && strstr(err->msg, token), "%s names %s", what, token);
	if (!ret || !strstr(err->msg, token))
		printf("#   got \"%s\"\n", err->msg);
}

static void test_errors(struct tap *t)
{
	static const char *const bad[][2] = {
		{ "a", "\"a\"" },
		{ "a:x", "\"x\"" },
		{ "a:0", "\"0\"" },
		{ "a:1:on=5ms", "on= and off=" },
		{ "a:1:foo=1s", "\"foo=1s\"" },
		{ "a:1:on=5parsecs,off=1s", "\"5parsecs\"" },
		{ ":1", "\"\"" },
		{ "a:1:burst=5ms", "burst= and sleep=" },
		{ "a:1:burst=5ms,sleep=0ms", "burst= and sleep=" },
		{ "a:1:on=1s,off=1s,burst=5ms,sleep=1s", "not both" },
		{ "a:1:threads=0", "threads" },
		{ "a:1:threads=65", "threads" },
		{ "a:1:cap=0%", "cap \"0%\"" },
		{ "a:1:cap=50", "cpu.max \"50\"" },
		{ "a:1:cap=12345678901234567%", "cap \"12345678901234567%\"" },
	};
	struct sim_workload w = { .n = 0 };
	struct wfqnl_err err = { 0 };
	uint64_t end;
	FILE *f;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		expect_error(t, sim_parse_group(bad[i][0], &w, &err), &err,
			     bad[i][1], bad[i][0]);
	}
	tap_ok(t, w.n == 0, "bad specs add no group");
	sim_parse_group("a:1", &w, &err);
	expect_error(t, sim_parse_group("a:2", &w, &err), &err, "\"a\"",
		     "a group given twice");
	memset(&w, 0, sizeof(w));
	expect_error(t, sim_parse_group("b:1:on=4,off=1s", &w, &err), &err,
		     "4ms", "a pattern duration without a unit");
	sim_workload_free(&w);

	f = text("{\"time_ns\":1,\"event\":\"new\",\"name\":\"a\",\"active\":false}\n"
		 "{\"schema_version\":1,\"time_ns\":2,\"event\":\"lost\"}\n");
	expect_error(t, sim_parse_events(f, "ev.jsonl", &w, &end, &err), &err,
		     "ev.jsonl:2: notifications were lost",
		     "a record with lost notifications");
	fclose(f);
	sim_workload_free(&w);
	memset(&w, 0, sizeof(w));

	f = text("{\"time_ns\":1,\"event\":\"new\",\"name\":\"a\",\"active\":false}\n"
		 "{\"time_ns\":2,\"event\":\"idle\",\"active\":false}\n");
	expect_error(t, sim_parse_events(f, "ev.jsonl", &w, &end, &err), &err,
		     "ev.jsonl:2:", "an event without a name");
	fclose(f);
	sim_workload_free(&w);
	f = text("{\"time_ns\":5,\"event\":\"new\",\"name\":\"a\",\"active\":false}\n"
		 "{\"time_ns\":2,\"event\":\"idle\",\"name\":\"a\",\"active\":false}\n");
	expect_error(t, sim_parse_events(f, "ev.jsonl", &w, &end, &err), &err,
		     "ev.jsonl:2: time_ns 2", "time going backwards");
	fclose(f);
	sim_workload_free(&w);
	f = text("");
	expect_error(t, sim_parse_events(f, "empty", &w, &end, &err), &err,
		     "empty: no events", "an empty record");
	fclose(f);
	f = text("{\"groups\":[{\"name\":\"a\",\"weight\":0}]}");
	expect_error(t, sim_parse_weights(f, "list.json", &w, &err), &err,
		     "list.json", "weight 0 in a list");
	fclose(f);
	sim_workload_free(&w);
}

int main(void)
{
	struct tap t = { 0 };

	test_pick_smallest(&t);
	test_shares_123(&t);
	test_catchup(&t);
	test_burst_starvation_grows(&t);
	test_two_cpus(&t);
	test_cap(&t);
	test_late_start(&t);
	test_replay(&t);
	test_errors(&t);
	return tap_done(&t);
}
