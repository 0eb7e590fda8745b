// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 8's grader: runs the simulator on randomised workloads twice, with
 * the reference pick and catch-up (tools/sim_policy.c) and with the
 * student's (built with their names prefixed student_), and compares
 * every step: the group on each CPU, every s_i after the step, every
 * catch-up. It says which case and step differ and in what, never what
 * the reference did, so that it grades without giving the answers.
 *
 *   grade [--seed S] [--cases N] [--verbose]
 *
 * Exit 0 if every case matched, 1 if one did not, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim.h"
#include "sim_policy.h"

#define MS		1000000ull
#define CASES_DEFAULT	400
#define FAILS_SHOWN	10

int student_wfq_pick(const struct wfq_group *g, size_t n, const bool *skip);
uint64_t student_wfq_catchup(const struct wfq_group *g, uint64_t smin);

static const struct wfq_policy student = {
	.pick = student_wfq_pick,
	.catchup = student_wfq_catchup,
};

/* xorshift64*: the same cases for the same seed on every machine. */
static uint64_t rnd(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 2685821657736338717ull;
}

static uint64_t rnd_in(uint64_t *state, uint64_t lo, uint64_t hi)
{
	return lo + rnd(state) % (hi - lo + 1);
}

/* The four kinds of case, a quarter each, so a student sees what fails. */
enum kind { PICK_ONE_CPU, PICK_CPUS, CATCHUP_ONE_CPU, EVERYTHING, KINDS };

static const char *const kind_name[KINDS] = {
	"the pick, 1 CPU, no catch-up rule",
	"the pick, 2-4 CPUs, threads and caps, no catch-up rule",
	"the catch-up rule, 1 CPU, groups that sleep",
	"everything together",
};

struct grade_case {
	struct sim_workload w;
	struct sim_params p;
};

/* Small weights tie often; large ones leave remainders. */
static uint32_t random_weight(uint64_t *r)
{
	static const uint32_t common[] = { 1, 1, 2, 3, 100, 100, 200, 300 };

	if (rnd(r) % 4)
		return common[rnd(r) % (sizeof(common) / sizeof(common[0]))];
	return (uint32_t)rnd_in(r, 1, 10000);
}

static void random_group(uint64_t *r, enum kind k, unsigned int cpus,
			 struct sim_group *g)
{
	bool sleeps = k == CATCHUP_ONE_CPU || (k == EVERYTHING && rnd(r) % 2);

	g->weight = random_weight(r);
	if (rnd(r) % 4 == 0)
		g->start_ns = rnd_in(r, 1, 100) * MS;
	if (sleeps && rnd(r) % 3) {
		g->burst_ns = rnd_in(r, 1, 80) * MS;
		g->sleep_ns = rnd_in(r, 1, 300) * MS;
	} else if (sleeps) {
		g->on_ns = rnd_in(r, 5, 200) * MS;
		g->off_ns = rnd_in(r, 5, 400) * MS;
	}
	if (cpus > 1 && rnd(r) % 2)
		g->threads = (uint32_t)rnd_in(r, 1, cpus);
	if ((k == PICK_CPUS || k == EVERYTHING) && rnd(r) % 4 == 0) {
		g->cap_period_ns = rnd_in(r, 10, 100) * MS;
		g->cap_quota_ns = g->cap_period_ns * rnd_in(r, 10, 90) / 100;
	}
}

static void random_case(uint64_t *r, enum kind k, struct grade_case *c)
{
	static const uint64_t quanta_ms[] = { 1, 2, 3, 4, 10 };
	unsigned int cpus = 1;

	memset(c, 0, sizeof(*c));
	if (k == PICK_CPUS || k == EVERYTHING)
		cpus = (unsigned int)rnd_in(r, k == PICK_CPUS ? 2 : 1, 4);
	c->p.cpus = cpus;
	c->p.quantum_ns = quanta_ms[rnd(r) % 5] * MS;
	c->p.duration_ns = rnd_in(r, 100, 1500) * MS;
	c->p.catchup = k == CATCHUP_ONE_CPU || (k == EVERYTHING && rnd(r) % 2);
	c->w.n = (size_t)rnd_in(r, 2, 8);
	for (size_t i = 0; i < c->w.n; i++) {
		snprintf(c->w.g[i].name, SIM_NAME_MAX, "g%zu", i);
		random_group(r, k, cpus, &c->w.g[i]);
	}
}

/* What one run did, step by step: the record the runs are compared on. */
struct record {
	size_t ncpus, n, steps, cap;
	int *ran;		/* steps x ncpus */
	uint64_t *vtime;	/* steps x n */
	struct catchup {
		size_t step;
		size_t group;
		uint64_t to;
	} *catchups;
	size_t ncatchups, catchups_cap;
	bool oom;
};

static void *grow(void *p, size_t *cap, size_t need, size_t size, bool *oom)
{
	size_t c = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	p = realloc(p, c * size);
	if (!p)
		*oom = true;
	else
		*cap = c;
	return p;
}

static void record_step(void *arg, uint64_t t_ns, const int *ran,
			size_t ncpus, const uint64_t *vt, const bool *runnable,
			size_t n)
{
	struct record *rec = arg;
	size_t cap = rec->cap, cap2 = rec->cap;

	(void)t_ns, (void)runnable;
	if (rec->oom)
		return;
	rec->ncpus = ncpus;
	rec->n = n;
	rec->ran = grow(rec->ran, &cap, (rec->steps + 1) * ncpus,
			sizeof(int), &rec->oom);
	rec->vtime = grow(rec->vtime, &cap2, (rec->steps + 1) * n,
			  sizeof(uint64_t), &rec->oom);
	if (rec->oom)
		return;
	/* Both arrays grow together: the smaller capacity bounds them. */
	rec->cap = cap < cap2 ? cap : cap2;
	memcpy(rec->ran + rec->steps * ncpus, ran, ncpus * sizeof(int));
	memcpy(rec->vtime + rec->steps * n, vt, n * sizeof(uint64_t));
	rec->steps++;
}

static void record_catchup(void *arg, uint64_t t_ns, size_t group,
			   uint64_t from, uint64_t to)
{
	struct record *rec = arg;

	(void)t_ns, (void)from;
	if (rec->oom)
		return;
	rec->catchups = grow(rec->catchups, &rec->catchups_cap,
			     rec->ncatchups + 1, sizeof(*rec->catchups),
			     &rec->oom);
	if (rec->oom)
		return;
	/* Catch-ups come before their step's record: this step's index. */
	rec->catchups[rec->ncatchups++] = (struct catchup){ rec->steps, group,
							    to };
}

static void record_free(struct record *rec)
{
	free(rec->ran);
	free(rec->vtime);
	free(rec->catchups);
	memset(rec, 0, sizeof(*rec));
}

static int run(const struct grade_case *c, const struct wfq_policy *pol,
	       struct record *rec)
{
	struct sim_stats st[SIM_GROUPS_MAX];
	struct sim_params p = c->p;
	struct sim_observer obs = {
		.step = record_step, .catchup = record_catchup, .arg = rec,
	};
	int ret;

	p.policy = pol;
	ret = sim_run(&c->w, &p, &obs, st);
	return rec->oom ? -ENOMEM : ret;
}

/* The catch-ups of step s from *ci on; *ci moves past them. */
static size_t step_catchups(const struct record *rec, size_t s, size_t *ci)
{
	size_t first = *ci;

	while (*ci < rec->ncatchups && rec->catchups[*ci].step == s)
		(*ci)++;
	return *ci - first;
}

static bool same_catchups(const struct catchup *a, const struct catchup *b,
			  size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].group != b[i].group || a[i].to != b[i].to)
			return false;
	return true;
}

/*
 * The first difference between the reference's record and the
 * student's, described without the reference's values; NULL if none.
 * In each step: the catch-ups (before the pick), the picks, the s_i.
 */
static const char *compare(const struct record *ref, const struct record *got,
			   char *buf, size_t size)
{
	size_t steps = ref->steps < got->steps ? ref->steps : got->steps;
	size_t ra = 0, ga = 0;

	for (size_t s = 0; s < steps; s++) {
		size_t r0 = ra, g0 = ga;
		size_t nr = step_catchups(ref, s, &ra);
		size_t ng = step_catchups(got, s, &ga);

		if (nr != ng || !same_catchups(ref->catchups + r0,
					       got->catchups + g0, nr)) {
			snprintf(buf, size,
				 "step %zu: the catch-ups of the groups that woke differ from the reference's (yours: %zu)",
				 s, ng);
			return buf;
		}
		for (size_t c = 0; c < ref->ncpus; c++) {
			int mine = got->ran[s * ref->ncpus + c];

			if (ref->ran[s * ref->ncpus + c] == mine)
				continue;
			if (mine < 0)
				snprintf(buf, size,
					 "step %zu: your pick left CPU %zu idle, the reference's did not",
					 s, c);
			else
				snprintf(buf, size,
					 "step %zu: the group picked for CPU %zu differs from the reference's (yours: g%d)",
					 s, c, mine);
			return buf;
		}
		for (size_t i = 0; i < ref->n; i++)
			if (ref->vtime[s * ref->n + i] !=
			    got->vtime[s * ref->n + i]) {
				snprintf(buf, size,
					 "step %zu: s_i of g%zu after the step differs from the reference's",
					 s, i);
				return buf;
			}
	}
	return NULL;
}

static void describe(const struct grade_case *c, char *buf, size_t size)
{
	int len = snprintf(buf, size, "%zu groups, %u CPU%s, quantum %llu ms, %llu ms, catch-up rule %s; weights",
			   c->w.n, c->p.cpus, c->p.cpus > 1 ? "s" : "",
			   (unsigned long long)(c->p.quantum_ns / MS),
			   (unsigned long long)(c->p.duration_ns / MS),
			   c->p.catchup ? "on" : "off");

	for (size_t i = 0; i < c->w.n && len > 0 && (size_t)len < size; i++)
		len += snprintf(buf + len, size - len, " %u", c->w.g[i].weight);
}

int main(int argc, char **argv)
{
	uint64_t seed = (uint64_t)time(NULL), cases = CASES_DEFAULT, r;
	size_t passed[KINDS] = { 0 }, total[KINDS] = { 0 }, fails = 0;
	bool verbose = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--cases") && i + 1 < argc)
			cases = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else {
			fprintf(stderr, "usage: grade [--seed S] [--cases N] [--verbose]\n");
			return 2;
		}
	}
	printf("lab 8 grader: %llu randomised cases, seed %llu (--seed %llu repeats them)\n",
	       (unsigned long long)cases, (unsigned long long)seed,
	       (unsigned long long)seed);
	r = seed ? seed : 1;
	for (uint64_t i = 0; i < cases; i++) {
		enum kind k = (enum kind)(i % KINDS);
		static struct grade_case c;
		struct record ref = { 0 }, got = { 0 };
		char why[256], what[512];
		const char *diff = NULL;
		int ret;

		random_case(&r, k, &c);
		if (run(&c, NULL, &ref)) {
			fprintf(stderr, "grade: case %llu: the reference failed\n",
				(unsigned long long)i);
			return 2;
		}
		ret = run(&c, &student, &got);
		if (ret == -ERANGE)
			snprintf(why, sizeof(why),
				 "step %zu: wfq_pick() returned a group that is not there, not runnable, or in skip[]",
				 got.steps);
		else if (ret)
			snprintf(why, sizeof(why), "the simulator refused the run");
		diff = ret ? why : compare(&ref, &got, why, sizeof(why));
		total[k]++;
		if (!diff)
			passed[k]++;
		if (diff && (fails++ < FAILS_SHOWN || verbose)) {
			describe(&c, what, sizeof(what));
			printf("FAIL case %llu (%s; %s): %s\n",
			       (unsigned long long)i, kind_name[k], what, diff);
		}
		record_free(&ref);
		record_free(&got);
	}
	if (fails > FAILS_SHOWN && !verbose)
		printf("... and %zu more failed cases (--verbose lists them)\n",
		       fails - FAILS_SHOWN);
	for (int k = 0; k < KINDS; k++)
		printf("%-56s %zu/%zu\n", kind_name[k], passed[k], total[k]);
	printf("lab 8: %llu of %llu cases match the reference\n",
	       (unsigned long long)(cases - fails), (unsigned long long)cases);
	return fails ? 1 : 0;
}
