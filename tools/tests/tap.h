/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny TAP producer for the host unit tests. Each check prints one
 * "ok N - name" or "not ok N - name" line (with the values on failure);
 * tap_done() prints the plan and returns the exit status.
 */
#ifndef WFQTOOL_TAP_H
#define WFQTOOL_TAP_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct tap {
	int run;
	int failed;
};

__attribute__((format(printf, 3, 4)))
static inline bool tap_ok(struct tap *t, bool cond, const char *fmt, ...)
{
	va_list ap;

	t->run++;
	if (!cond)
		t->failed++;
	printf("%sok %d - ", cond ? "" : "not ", t->run);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

static inline bool tap_near(struct tap *t, double got, double want,
			    double tol, const char *name)
{
	bool ok = fabs(got - want) <= tol;

	tap_ok(t, ok, "%s", name);
	if (!ok)
		printf("#   got %.9g, want %.9g (tolerance %g)\n", got, want,
		       tol);
	return ok;
}

static inline bool tap_eq_u64(struct tap *t, unsigned long long got,
			      unsigned long long want, const char *name)
{
	bool ok = got == want;

	tap_ok(t, ok, "%s", name);
	if (!ok)
		printf("#   got %llu, want %llu\n", got, want);
	return ok;
}

static inline bool tap_eq_str(struct tap *t, const char *got,
			      const char *want, const char *name)
{
	bool ok = !strcmp(got, want);

	tap_ok(t, ok, "%s", name);
	if (!ok)
		printf("#   got \"%s\", want \"%s\"\n", got, want);
	return ok;
}

/* Run call with FILE *f_ writing into the malloc'ed string buf. */
#define CAPTURE(buf, call)						\
	do {								\
		size_t len_;						\
		FILE *f_ = open_memstream(&(buf), &len_);		\
		call;							\
		fclose(f_);						\
	} while (0)

static inline int tap_done(struct tap *t)
{
	printf("1..%d\n", t->run);
	return t->failed ? 1 : 0;
}

#endif /* WFQTOOL_TAP_H */
