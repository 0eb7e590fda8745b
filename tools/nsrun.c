// SPDX-License-Identifier: GPL-2.0
/* Namespaces and the init of run; see nsrun.h. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/sched.h>

#include "cmd.h"
#include "nsrun.h"

/* What a failed step inside tells the parent before exiting. */
struct setup_error {
	int errnum;
	int status;		/* the exit status it ends with */
	char msg[WFQNL_ERRMSG_MAX];
};

/* The signals a person sends to stop or poke a command. */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
				 SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };

static void forward_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

static int wait_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return EXIT_RUN_FAIL;
}

/* Report a failed step to the parent and end with status. */
__attribute__((noreturn, format(printf, 4, 5)))
static void die_inside(int err_fd, int errnum, int status, const char *fmt,
		       ...)
{
	struct setup_error e = { .errnum = errnum, .status = status };
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.msg, sizeof(e.msg), fmt, ap);
	va_end(ap);
	len = strlen(e.msg);
	if (errnum)
		snprintf(e.msg + len, sizeof(e.msg) - len, ": %s",
			 strerror(errnum));
	if (write(err_fd, &e, sizeof(e)) < 0) {
		/* The parent is gone: nobody to tell. */
	}
	_exit(status);
}

static int write_file(const char *path, const char *val)
{
	size_t len = strlen(val);
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, len) != (ssize_t)len)
		ret = -errno;
	close(fd);
	return ret;
}

/* The parent writes the id maps: only it has rights in the outer namespace. */
static int write_id_maps(pid_t pid, const struct nsrun_opts *o,
			 struct wfqnl_err *err)
{
	struct id_map uid = { 0, (uint32_t)geteuid(), 1 };
	struct id_map gid = { 0, (uint32_t)getegid(), 1 };
	char path[64], line[64];
	int ret;

	if (o->has_uid_map)
		uid = o->uid_map;
	if (o->has_gid_map)
		gid = o->gid_map;
	else if (o->has_uid_map)
		gid = o->uid_map;
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	snprintf(line, sizeof(line), "%u %u %u\n", uid.inside, uid.outside,
		 uid.count);
	ret = write_file(path, line);
	if (ret)
		return wfqnl_err_set(err, -ret, "user namespace: uid_map \"%u:%u:%u\"",
				     uid.inside, uid.outside, uid.count);
	/* Without CAP_SETGID outside, gid_map needs setgroups denied first. */
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		write_file(path, "deny");
	}
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	snprintf(line, sizeof(line), "%u %u %u\n", gid.inside, gid.outside,
		 gid.count);
	ret = write_file(path, line);
	if (ret)
		return wfqnl_err_set(err, -ret, "user namespace: gid_map \"%u:%u:%u\"",
				     gid.inside, gid.outside, gid.count);
	return 0;
}

static int loopback_up(void)
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret = 0;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr))
			ret = -errno;
	} else {
		ret = -errno;
	}
	close(fd);
	return ret;
}

/* overlayfs: DIR/upper (writes) over the read-only lower, at DIR/merged. */
static void mount_overlay(const struct nsrun_opts *o, const char *dir,
			  int err_fd)
{
	char data[3 * PATH_MAX + 64], merged[PATH_MAX];
	int n;

	if (strpbrk(o->overlay_lower, ",:"))
		die_inside(err_fd, EINVAL, EXIT_RUN_FAIL,
			   "overlay: lower dir \"%s\" has a ',' or ':'",
			   o->overlay_lower);
	/* Inside a user namespace only user.* xattrs are ours (5.11+). */
	n = snprintf(data, sizeof(data),
		     "lowerdir=%s,upperdir=%s/upper,workdir=%s/work%s",
		     o->overlay_lower, dir, dir,
		     o->ns & NS_USER ? ",userxattr" : "");
	snprintf(merged, sizeof(merged), "%s/merged", dir);
	if (n < 0 || (size_t)n >= sizeof(data) ||
	    mount("overlay", merged, "overlay", 0, data))
		die_inside(err_fd, errno, EXIT_RUN_FAIL,
			   "overlay: mount %s over %s at %s", dir,
			   o->overlay_lower, merged);
}

/* pivot_root(".", ".") stacks the old root on the new; detach it. */
static void enter_root(const char *root, int err_fd)
{
	if (mount(root, root, NULL, MS_BIND | MS_REC, NULL))
		die_inside(err_fd, errno, EXIT_RUN_FAIL,
			   "root %s: bind mount", root);
	if (chdir(root))
		die_inside(err_fd, errno, EXIT_RUN_FAIL, "root %s: chdir",
			   root);
	if (syscall(SYS_pivot_root, ".", "."))
		die_inside(err_fd, errno, EXIT_RUN_FAIL, "root %s: pivot_root",
			   root);
	if (umount2(".", MNT_DETACH))
		die_inside(err_fd, errno, EXIT_RUN_FAIL,
			   "root %s: detach the old root", root);
	if (chdir("/"))
		die_inside(err_fd, errno, EXIT_RUN_FAIL, "root %s: chdir /",
			   root);
}

/* Inside, after the parent's go: become root of a new user namespace, then
 * set up what each namespace needs. Each step is one clearly named call.
 */
static void setup_inside(const struct nsrun_opts *o, const char *dir,
			 int err_fd)
{
	char merged[PATH_MAX];

	snprintf(merged, sizeof(merged), "%s/merged", dir);
	if (o->ns & NS_USER) {
		uid_t uid = o->has_uid_map ? o->uid_map.inside : 0;
		gid_t gid = o->has_gid_map ? o->gid_map.inside :
			    o->has_uid_map ? o->uid_map.inside : 0;

		if (setresgid(gid, gid, gid))
			die_inside(err_fd, errno, EXIT_RUN_FAIL,
				   "user namespace: setresgid %u", gid);
		if (setresuid(uid, uid, uid))
			die_inside(err_fd, errno, EXIT_RUN_FAIL,
				   "user namespace: setresuid %u", uid);
	}
	if ((o->ns & NS_MNT) &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		die_inside(err_fd, errno, EXIT_RUN_FAIL,
			   "mount namespace: make / private");
	if (o->overlay_lower)
		mount_overlay(o, dir, err_fd);
	if (o->overlay_lower || o->root)
		enter_root(o->overlay_lower ? merged : o->root, err_fd);
	if ((o->ns & NS_PID) &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL))
		die_inside(err_fd, errno, EXIT_RUN_FAIL,
			   "pid namespace: mount /proc");
	if (o->hostname && sethostname(o->hostname, strlen(o->hostname)))
		die_inside(err_fd, errno, EXIT_RUN_FAIL,
			   "uts namespace: hostname \"%s\"", o->hostname);
	if (o->ns & NS_NET) {
		int ret = loopback_up();

		if (ret)
			die_inside(err_fd, -ret, EXIT_RUN_FAIL,
				   "net namespace: bring lo up");
	}
}

/*
 * Wait for signals (blocked since before clone3): SIGCHLD reaps, the
 * others go to target. Returns target's wait status once it has ended.
 */
static int supervise(pid_t target, bool reap_all)
{
	sigset_t set;

	forward_set(&set);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);

		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(target, sig);
			continue;
		}
		for (;;) {
			int wstatus;
			pid_t pid = waitpid(reap_all ? -1 : target, &wstatus,
					    WNOHANG);

			if (pid <= 0)
				break;
			if (pid == target)
				return wstatus;
		}
	}
}

static void noop_handler(int sig)
{
	(void)sig;
}

/* The init: never returns. */
__attribute__((noreturn))
static void run_init(const struct nsrun_opts *o, const char *dir, int go_fd,
		     int err_fd, const sigset_t *old_mask)
{
	struct sigaction sa = { .sa_handler = noop_handler };
	char go;
	pid_t cmd;

	if (read(go_fd, &go, 1) != 1)
		_exit(EXIT_RUN_FAIL);	/* the parent failed and said so */
	close(go_fd);
	/*
	 * Without a terminal, pid 1 leads a session of its own, as runc's
	 * init does: CRIU dumps a pid namespace only from an init that
	 * leads its session. With one, stay in the caller's session, where
	 * the terminal's job control works.
	 */
	if ((o->ns & NS_PID) && !isatty(STDIN_FILENO))
		setsid();
	/* Not pid 1: still adopt and reap the command's orphans. */
	if (!(o->ns & NS_PID))
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	/* pid 1 drops signals it has no handler for, even blocked ones. */
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaction(forwarded[i], &sa, NULL);
	setup_inside(o, dir, err_fd);

	cmd = fork();
	if (cmd < 0)
		die_inside(err_fd, errno, EXIT_RUN_FAIL, "fork the command");
	if (cmd == 0) {
		sigprocmask(SIG_SETMASK, old_mask, NULL);
		signal(SIGCHLD, SIG_DFL);
		for (size_t i = 0;
		     i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
			signal(forwarded[i], SIG_DFL);
		execvp(o->argv[0], o->argv);
		die_inside(err_fd, errno,
			   errno == ENOENT ? EXIT_RUN_NOTFOUND :
					     EXIT_RUN_NOEXEC,
			   "exec %s", o->argv[0]);
	}
	close(err_fd);
	_exit(wait_status(supervise(cmd, true)));
}

static unsigned long long clone_flags(unsigned int ns)
{
	unsigned long long f = CLONE_INTO_CGROUP;

	f |= ns & NS_PID ? CLONE_NEWPID : 0;
	f |= ns & NS_MNT ? CLONE_NEWNS : 0;
	f |= ns & NS_UTS ? CLONE_NEWUTS : 0;
	f |= ns & NS_IPC ? CLONE_NEWIPC : 0;
	f |= ns & NS_NET ? CLONE_NEWNET : 0;
	f |= ns & NS_USER ? CLONE_NEWUSER : 0;
	return f;
}

/* After go: EOF means CMD was exec'd; a record means a step failed. */
static void read_setup_error(int err_fd, struct wfqnl_err *err)
{
	struct setup_error e;
	ssize_t n;

	do {
		n = read(err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(e)) {
		e.msg[sizeof(e.msg) - 1] = '\0';
		wfqnl_err_explain(err, e.errnum ? e.errnum : EIO, "%s", e.msg);
	}
}

static int nsrun_in(const struct nsrun_opts *o, const char *dir, int *status,
		    struct wfqnl_err *err);

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/*
 * DIR/{upper,work,merged} for the overlay: in overlay_dir if given,
 * else in a new temporary directory (*tmp set) removed after the run.
 * The upper layer belongs to whoever is root inside.
 */
static int make_overlay_dir(const struct nsrun_opts *o, char *dir,
			    size_t size, bool *tmp, struct wfqnl_err *err)
{
	static const char *const subdirs[] = { "upper", "work", "merged" };
	const char *tmpdir = getenv("TMPDIR");
	char path[PATH_MAX];

	*tmp = !o->overlay_dir;
	if (o->overlay_dir) {
		snprintf(dir, size, "%s", o->overlay_dir);
		if (mkdir(dir, 0755) && errno != EEXIST)
			return wfqnl_err_set(err, errno, "overlay dir %s", dir);
	} else {
		snprintf(dir, size, "%s/wfqtool-overlay.XXXXXX",
			 tmpdir && *tmpdir ? tmpdir : "/tmp");
		if (!mkdtemp(dir))
			return wfqnl_err_set(err, errno, "overlay dir %s", dir);
		chmod(dir, 0755);
	}
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, subdirs[i]);
		if (mkdir(path, 0755) && errno != EEXIST)
			return wfqnl_err_set(err, errno, "overlay dir %s", path);
		if ((o->ns & NS_USER) && i < 2 &&
		    chown(path, o->has_uid_map ? o->uid_map.outside : geteuid(),
			  o->has_gid_map ? o->gid_map.outside :
			  o->has_uid_map ? o->uid_map.outside : getegid()))
			return wfqnl_err_set(err, errno, "overlay dir %s", path);
	}
	return 0;
}

int nsrun(const struct nsrun_opts *o, int *status, struct wfqnl_err *err)
{
	bool tmp = false;
	char dir[PATH_MAX] = "";
	int ret = 0;

	if (o->overlay_lower)
		ret = make_overlay_dir(o, dir, sizeof(dir), &tmp, err);
	if (!ret)
		ret = nsrun_in(o, dir, status, err);
	/* The overlay mount went with the init's mount namespace. */
	if (tmp)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return ret;
}

static int nsrun_in(const struct nsrun_opts *o, const char *dir, int *status,
		    struct wfqnl_err *err)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	int go[2], errp[2], ret;
	sigset_t set, old_mask;
	pid_t pid;

	if (pipe2(go, O_CLOEXEC))
		return wfqnl_err_set(err, errno, "run: pipe");
	if (pipe2(errp, O_CLOEXEC)) {
		ret = wfqnl_err_set(err, errno, "run: pipe");
		goto err_close_go;
	}
	/* Blocked before the clone: no signal slips past either supervisor. */
	forward_set(&set);
	sigprocmask(SIG_BLOCK, &set, &old_mask);

	args.flags = clone_flags(o->ns);
	args.cgroup = (uint64_t)o->cgroup_fd;
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		ret = wfqnl_err_set(err, errno, "run: clone3 into the cgroup with the namespaces");
		goto err_restore;
	}
	if (pid == 0) {
		close(go[1]);
		close(errp[0]);
		run_init(o, dir, go[0], errp[1], &old_mask);
	}
	close(go[0]);
	close(errp[1]);
	ret = (o->ns & NS_USER) ? write_id_maps(pid, o, err) : 0;
	if (ret == 0 && write(go[1], "g", 1) != 1)
		ret = wfqnl_err_set(err, errno, "run: start the init");
	close(go[1]);
	if (ret == 0)
		read_setup_error(errp[0], err);
	close(errp[0]);
	*status = wait_status(supervise(pid, false));
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	/* A failed map: the init saw no go and exited; report the map. */
	return ret;

err_restore:
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(errp[0]);
	close(errp[1]);
err_close_go:
	close(go[0]);
	close(go[1]);
	return ret;
}
