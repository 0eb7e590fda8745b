// SPDX-License-Identifier: GPL-2.0
/*
 * Lab 7's program with state: a counter in memory, a log file it keeps
 * open, a listening TCP socket, and MIB MiB of touched memory (so that
 * the checkpoint image has a size to measure).
 *
 *   lab7-counter LOG PORT MIB
 *
 * Every 100 ms the counter goes up by one and "N\n" is appended to LOG
 * through the descriptor opened at the start (never reopened: after a
 * restore, the lines go on only if the open file came back). A client
 * connecting to 127.0.0.1:PORT reads the counter's current value: the
 * socket came back if it still answers. The counter starts at 0 when
 * the program starts from its code; only a restored process goes on.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS		100

static int listen_on(int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, 4)) {
		fprintf(stderr, "lab7-counter: 127.0.0.1:%d: %s\n", port,
			strerror(errno));
		exit(1);
	}
	return fd;
}

/* Answer a client with the counter, then hang up. */
static void answer(int lfd, unsigned long counter)
{
	char line[32];
	int n, c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (c < 0)
		return;
	n = snprintf(line, sizeof(line), "%lu\n", counter);
	if (write(c, line, n) != n)
		perror("lab7-counter: client");
	close(c);
}

int main(int argc, char **argv)
{
	unsigned long counter = 0;
	struct pollfd pfd;
	size_t mib, len;
	char line[32];
	char *mem;
	int log, n;

	if (argc != 4) {
		fprintf(stderr, "usage: lab7-counter LOG PORT MIB\n");
		return 2;
	}
	log = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log < 0) {
		fprintf(stderr, "lab7-counter: %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	pfd = (struct pollfd){ .fd = listen_on(atoi(argv[2])), .events = POLLIN };
	mib = strtoul(argv[3], NULL, 10);
	len = mib << 20;
	if (len) {
		mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (mem == MAP_FAILED) {
			perror("lab7-counter: mmap");
			return 1;
		}
		/* Distinct bytes per page: nothing for a dumper to dedupe. */
		for (size_t i = 0; i < len; i += 4096)
			memset(mem + i, (int)(i >> 12), 4096);
	}
	for (;;) {
		if (poll(&pfd, 1, TICK_MS) > 0)
			answer(pfd.fd, counter);
		counter++;
		n = snprintf(line, sizeof(line), "%lu\n", counter);
		if (write(log, line, n) != n) {
			perror("lab7-counter: log");
			return 1;
		}
	}
}
