/* SPDX-License-Identifier: GPL-2.0 */
/* CLOCK_MONOTONIC in ns, and a sleep in ms: what every test measures with. */
#ifndef WFQ_CLOCK_H
#define WFQ_CLOCK_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

#endif /* WFQ_CLOCK_H */
