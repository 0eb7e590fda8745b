// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 6's processes, in C because under TCG a python loop is too slow to
 * time sub-millisecond wake-ups.
 *
 *   lab6load hog
 *	burn CPU forever
 *   lab6load sleeper PERIOD_US RUN_US SECONDS OUT [SLICE_US]
 *	every PERIOD_US wake up (absolute timer) and run RUN_US; write to OUT
 *	each wake-up's latency: CLOCK_MONOTONIC at the start of the run minus
 *	the time the timer was set for. SLICE_US > 0 asks the scheduler for
 *	that slice (sched_setattr sched_runtime: EEVDF's request size since
 *	6.12; older kernels accept and ignore it).
 *   lab6load returner SLEEP_MS BURST_MS CYCLES OUT
 *	CYCLES times: sleep SLEEP_MS, then run BURST_MS; write per return the
 *	wake-up latency, the first uninterrupted run and the time off CPU.
 *
 * "Running" is measured from inside: the loop reads CLOCK_MONOTONIC and
 * a step longer than GAP_NS means the task was off the CPU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_US 1000LL
#define NS_PER_MS 1000000LL
#define NS_PER_S 1000000000LL
/* A clock step this long is time off the CPU, not loop overhead (TCG). */
#define GAP_NS (200 * NS_PER_US)

/* The kernel's struct sched_attr (first version, 48 bytes). */
struct lab6_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

struct run_stats {
	int64_t first_run_ns;	/* on CPU until the first gap */
	int64_t off_ns;		/* sum of the gaps */
	long gaps;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

static void sleep_until(int64_t t)
{
	struct timespec ts = { .tv_sec = t / NS_PER_S, .tv_nsec = t % NS_PER_S };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Run for `run_ns` of time on the CPU, starting at `start`. */
static struct run_stats burn(int64_t start, int64_t run_ns)
{
	struct run_stats s = { .first_run_ns = -1 };
	int64_t prev = start, ran = 0;

	while (ran < run_ns) {
		int64_t t = now_ns(), step = t - prev;

		if (step > GAP_NS) {
			if (s.first_run_ns < 0)
				s.first_run_ns = ran;
			s.off_ns += step;
			s.gaps++;
		} else {
			ran += step;
		}
		prev = t;
	}
	if (s.first_run_ns < 0)
		s.first_run_ns = ran;
	return s;
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		fprintf(stderr, "lab6load: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "lab6load: %s: write failed\n", path);
		exit(1);
	}
}

/* Returns "ok", or the errno text of a refused request. */
static const char *request_slice(int64_t slice_ns)
{
	struct lab6_sched_attr a = {
		.size = sizeof(a),
		.sched_runtime = (uint64_t)slice_ns,
	};

	if (syscall(SYS_sched_setattr, 0, &a, 0))
		return strerror(errno);
	return "ok";
}

static int sleeper(int64_t period, int64_t run, int64_t secs,
		   const char *out, int64_t slice)
{
	long n = 0, cap = secs * NS_PER_S / period + 1, missed = 0;
	int64_t *lat = calloc((size_t)cap, sizeof(*lat));
	const char *slice_res = slice ? request_slice(slice) : "none";
	int64_t next, end;
	FILE *f;

	if (!lat) {
		fprintf(stderr, "lab6load: sleeper: out of memory\n");
		return 1;
	}
	next = now_ns() + period;
	end = next + secs * NS_PER_S;
	while (next < end && n < cap) {
		int64_t woke;

		sleep_until(next);
		woke = now_ns();
		lat[n++] = woke - next;
		burn(woke, run);
		next += period;
		/* An overrun skips periods rather than queueing wake-ups. */
		for (woke = now_ns(); next <= woke; next += period)
			missed++;
	}
	f = open_out(out);
	fprintf(f, "{\"period_ns\":%lld,\"run_ns\":%lld,\"slice_ns\":%lld,"
		"\"slice_request\":\"%s\",\"missed\":%ld,\"lat_ns\":[",
		(long long)period, (long long)run, (long long)slice, slice_res,
		missed);
	for (long i = 0; i < n; i++)
		fprintf(f, "%s%lld", i ? "," : "", (long long)lat[i]);
	fprintf(f, "]}\n");
	close_out(f, out);
	free(lat);
	return 0;
}

static int returner(int64_t sleep_ns, int64_t burst, long cycles,
		    const char *out)
{
	FILE *f = open_out(out);

	fprintf(f, "{\"sleep_ns\":%lld,\"burst_ns\":%lld,\"returns\":[",
		(long long)sleep_ns, (long long)burst);
	for (long i = 0; i < cycles; i++) {
		int64_t due = now_ns() + sleep_ns, woke, done;
		struct run_stats s;

		sleep_until(due);
		woke = now_ns();
		s = burn(woke, burst);
		done = now_ns();
		fprintf(f, "%s{\"wake_lat_ns\":%lld,\"first_run_ns\":%lld,"
			"\"off_ns\":%lld,\"gaps\":%ld,\"wall_ns\":%lld}",
			i ? "," : "", (long long)(woke - due),
			(long long)s.first_run_ns, (long long)s.off_ns, s.gaps,
			(long long)(done - woke));
	}
	fprintf(f, "]}\n");
	close_out(f, out);
	return 0;
}

static int64_t arg(const char *s, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "lab6load: %s: not a count: %s\n", what, s);
		exit(2);
	}
	return v;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: lab6load hog\n"
		"       lab6load sleeper PERIOD_US RUN_US SECONDS OUT [SLICE_US]\n"
		"       lab6load returner SLEEP_MS BURST_MS CYCLES OUT\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "hog")) {
		for (;;)
			;
	}
	/* Wake when the timer says, not up to 50 us later. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "sleeper")) {
		int64_t period = arg(argv[2], "PERIOD_US") * NS_PER_US;

		if (!period)
			return usage();
		return sleeper(period, arg(argv[3], "RUN_US") * NS_PER_US,
			       arg(argv[4], "SECONDS"), argv[5],
			       argc == 7 ? arg(argv[6], "SLICE_US") * NS_PER_US : 0);
	}
	if (argc == 6 && !strcmp(argv[1], "returner"))
		return returner(arg(argv[2], "SLEEP_MS") * NS_PER_MS,
				arg(argv[3], "BURST_MS") * NS_PER_MS,
				(long)arg(argv[4], "CYCLES"), argv[5]);
	return usage();
}
