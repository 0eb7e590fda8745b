// SPDX-License-Identifier: GPL-2.0
/* Test workloads: children that enter their cgroup before they run. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "hog.h"

static void spin_for(int spin_ms)
{
	uint64_t end = now_ns() + (uint64_t)spin_ms * 1000000ull;
	/* volatile: the busy loop is the point, keep the compiler from folding it. */
	volatile uint64_t work = 0;

	while (spin_ms < 0 || now_ns() < end)
		for (int i = 0; i < 10000; i++)
			work++;
}

/* Sleep/wake churn: the group turns idle and active about 1000 times a second. */
static void flap_for(int flap_ms)
{
	uint64_t end = now_ns() + (uint64_t)flap_ms * 1000000ull;
	struct timespec tick = { 0, 1000000L };

	while (now_ns() < end)
		nanosleep(&tick, NULL);
}

static void __attribute__((noreturn)) hog_main(const struct hog_spec *spec,
					       int go_fd)
{
	char go;

	/* A test that dies must not leave hogs behind. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* hog_start()'s wake-up on its CPU, then hog_release()'s go. */
	if (read(go_fd, &go, 1) != 1 || read(go_fd, &go, 1) != 1)
		_exit(2);
	if (spec->rt_prio > 0) {
		struct sched_param sp = { .sched_priority = spec->rt_prio };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			_exit(5);
	}
	if (spec->sleep_ms > 0)
		sleep_ms(spec->sleep_ms);
	for (int i = 0; i < spec->forks; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			_exit(4);
	}
	if (spec->spin_ms)
		spin_for(spec->spin_ms);
	if (spec->flap_ms > 0)
		flap_for(spec->flap_ms);
	_exit(0);
}

/*
 * Until @pid sleeps (its read of the go pipe) and, if @cpu >= 0, last
 * ran on @cpu: up to 5 s, then go on, as a busy host only makes the
 * placement below less exact.
 */
static void hog_wait_asleep(pid_t pid, int cpu)
{
	char path[64], buf[512], *p;
	int fd, field, last_cpu;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (int i = 0; i < 5000; i++) {
		ssize_t n = -1;

		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
		}
		if (n <= 0)
			return;
		buf[n] = '\0';
		/* "pid (comm) S ...": comm may hold spaces and parentheses. */
		p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S') {
			/* Field 39, "processor": the CPU it last ran on. */
			for (field = 3, p += 2; p && field < 39; field++) {
				p = strchr(p, ' ');
				p = p ? p + 1 : NULL;
			}
			if (cpu < 0 || (p && sscanf(p, "%d", &last_cpu) == 1 &&
					last_cpu == cpu))
				return;
		}
		sleep_ms(1);
	}
}

static int hog_pin(const struct hog_spec *spec, pid_t pid)
{
	cpu_set_t set;

	if (spec->cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(spec->cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set) ? -errno : 0;
}

int hog_start(struct cgtest *cg, const struct hog_spec *spec, struct hog *h)
{
	int go[2], ret;
	pid_t pid;

	h->pid = 0;
	h->go_fd = -1;
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(go[0]);
		close(go[1]);
		return ret;
	}
	if (pid == 0) {
		close(go[1]);
		hog_main(spec, go[0]);
	}
	close(go[0]);
	h->pid = pid;
	h->go_fd = go[1];
	/*
	 * Pinned, and asleep on its CPU, before it enters its cgroup: a
	 * sleeping task joins the group's runqueue on the CPU it last ran
	 * on, bringing its load; had that been another CPU, an idle CPU
	 * drops that load late, and the group's weight on the hog's own
	 * CPU shrinks meanwhile (7.3: a lone hog got 0.35 where its
	 * slice's weight promised 0.5; 6.12-rt: a group created 400 ms
	 * ahead lost its lead in 1.5 s). A child that went to sleep on
	 * the other CPU before the pin stays there until woken: the first
	 * byte wakes it on its own CPU, where it sleeps again for the go.
	 * Pinned again after: entering a cpuset resets the affinity;
	 * asleep, it cannot be balanced away in between.
	 */
	ret = hog_pin(spec, pid);
	if (!ret && write(h->go_fd, "p", 1) != 1)
		ret = -errno;
	if (!ret) {
		/* It blocks on the pipe: no CPU time lands outside its cgroup. */
		hog_wait_asleep(pid, spec->cpu);
		ret = cgtest_move(cg, spec->cgroup, pid);
	}
	if (!ret)
		ret = hog_pin(spec, pid);
	if (ret)
		hog_kill(h);
	return ret;
}

int hog_release(struct hog *h)
{
	int ret = write(h->go_fd, "g", 1) == 1 ? 0 : -errno;

	close(h->go_fd);
	h->go_fd = -1;
	return ret;
}

int hog_wait(struct hog *h)
{
	int status;

	if (h->pid <= 0)
		return -ECHILD;
	if (waitpid(h->pid, &status, 0) < 0)
		return -errno;
	h->pid = 0;
	return status;
}

void hog_kill(struct hog *h)
{
	if (h->go_fd >= 0) {
		close(h->go_fd);
		h->go_fd = -1;
	}
	if (h->pid > 0) {
		kill(h->pid, SIGKILL);
		waitpid(h->pid, NULL, 0);
		h->pid = 0;
	}
}
