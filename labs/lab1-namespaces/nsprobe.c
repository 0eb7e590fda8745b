// SPDX-License-Identifier: GPL-2.0
/*
 * nsprobe: what one process sees of the system, as one line of JSON.
 * Lab 1 runs it inside containers and on the host, and copies it (it is
 * linked statically) into the small root filesystems of the chroot,
 * pivot_root and overlay experiments.
 *
 *   nsprobe see [--tmpfs-at DIR [--mount]] [--secret FILE] [--hold]
 *        pid, processes, hostname, interfaces, ids, SysV IPC keys, mounts,
 *        namespace inodes; --mount first mounts a tmpfs at DIR, --hold then
 *        waits for EOF on stdin (the caller looks from outside meanwhile)
 *   nsprobe ipc-make KEY | ipc-remove KEY
 *        a SysV shared memory segment and message queue with that key
 *   nsprobe escape MARKER
 *        the classic chroot escape; is the absolute path MARKER visible
 *        before and after it?
 *   nsprobe overlay
 *        write /hello.txt, append to /etc/motd, delete /data/delete-me
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *const ns_names[] = { "pid", "mnt", "uts", "ipc", "net",
					"user" };

/* A JSON string: only the characters the probed names can contain. */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* The first line of a small file, without its newline; "" if unreadable. */
static void read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

static bool is_number(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Processes visible in this /proc: what `ps -e` would list. */
static int count_processes(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += is_number(e->d_name);
	closedir(d);
	return n;
}

/* "KEY" of each line of /proc/sysvipc/FILE (field 1), as a JSON list. */
static void print_ipc_keys(const char *file)
{
	char path[64], line[512];
	bool first = true;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", file);
	putchar('[');
	f = fopen(path, "re");
	if (f) {
		/* The first line is the header. */
		if (fgets(line, sizeof(line), f)) {
			while (fgets(line, sizeof(line), f)) {
				long key = strtol(line, NULL, 10);

				printf("%s\"0x%08lx\"", first ? "" : ",",
				       key & 0xffffffffL);
				first = false;
			}
		}
		fclose(f);
	}
	putchar(']');
}

/* Mounts in this mount namespace, and whether DIR is a tmpfs mount point. */
static int count_mounts(const char *dir, bool *tmpfs_at_dir)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	int n = 0;

	*tmpfs_at_dir = false;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char mnt[1024], fstype[64];
		const char *sep = strstr(line, " - ");

		n++;
		if (!dir || !sep ||
		    sscanf(line, "%*s %*s %*s %*s %1023s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s", fstype) != 1)
			continue;
		if (!strcmp(mnt, dir) && !strcmp(fstype, "tmpfs"))
			*tmpfs_at_dir = true;
	}
	fclose(f);
	return n;
}

static void print_netdevs(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	putchar('[');
	for (i = ifs; i && i->if_index; i++) {
		if (i != ifs)
			putchar(',');
		json_str(i->if_name);
	}
	putchar(']');
	if (ifs)
		if_freenameindex(ifs);
}

/* "pid:[4026531836]" -> 4026531836, the namespace's identity. */
static void print_ns_inodes(void)
{
	putchar('{');
	for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
		char path[64], link[64] = "";
		const char *open;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[i]);
		if (readlink(path, link, sizeof(link) - 1) < 0)
			link[0] = '\0';
		open = strchr(link, '[');
		printf("%s\"%s\":%lu", i ? "," : "", ns_names[i],
		       open ? strtoul(open + 1, NULL, 10) : 0UL);
	}
	putchar('}');
}

/* CapEff of /proc/self/status: the capabilities this process has. */
static void read_cap_eff(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];

	snprintf(buf, size, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %63s", buf) == 1)
			break;
	fclose(f);
}

static int cmd_see(int argc, char **argv)
{
	const char *dir = NULL, *secret = NULL;
	bool mount_it = false, hold = false, tmpfs_at_dir;
	char pid1[64], uid_map[128], caps[64];
	struct utsname u;
	int mounts;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--tmpfs-at") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--secret") && i + 1 < argc) {
			secret = argv[++i];
		} else if (!strcmp(argv[i], "--mount")) {
			mount_it = true;
		} else if (!strcmp(argv[i], "--hold")) {
			hold = true;
		} else {
			fprintf(stderr, "nsprobe see: unknown argument %s\n",
				argv[i]);
			return 2;
		}
	}
	if (mount_it && (!dir || mount("lab1", dir, "tmpfs", 0, "size=1m"))) {
		fprintf(stderr, "nsprobe: mount tmpfs at %s: %s\n",
			dir ? dir : "(no --tmpfs-at)", strerror(errno));
		return 1;
	}
	uname(&u);
	read_line("/proc/1/comm", pid1, sizeof(pid1));
	read_line("/proc/self/uid_map", uid_map, sizeof(uid_map));
	read_cap_eff(caps, sizeof(caps));
	mounts = count_mounts(dir, &tmpfs_at_dir);

	printf("{\"pid\":%d,\"ppid\":%d,\"pid1_comm\":", getpid(), getppid());
	json_str(pid1);
	printf(",\"processes\":%d,\"hostname\":", count_processes());
	json_str(u.nodename);
	printf(",\"netdevs\":");
	print_netdevs();
	printf(",\"uid\":%u,\"gid\":%u,\"uid_map\":", getuid(), getgid());
	json_str(uid_map);
	printf(",\"cap_eff\":");
	json_str(caps);
	printf(",\"shm_keys\":");
	print_ipc_keys("shm");
	printf(",\"msg_keys\":");
	print_ipc_keys("msg");
	printf(",\"mounts\":%d", mounts);
	if (dir) {
		printf(",\"tmpfs_at\":");
		json_str(dir);
		printf(",\"tmpfs_mounted\":%s", tmpfs_at_dir ? "true" : "false");
	}
	if (secret) {
		int fd = open(secret, O_RDONLY | O_CLOEXEC);

		printf(",\"secret\":");
		json_str(fd >= 0 ? "readable" : strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	printf(",\"ns\":");
	print_ns_inodes();
	printf("}\n");
	fflush(stdout);
	if (hold) {
		char c;

		while (read(STDIN_FILENO, &c, 1) > 0)
			;
	}
	return 0;
}

static int cmd_ipc(bool make, const char *arg)
{
	key_t key = (key_t)strtol(arg, NULL, 0);
	int flags = make ? IPC_CREAT | 0600 : 0;
	int shm = shmget(key, make ? 4096 : 0, flags);
	int msg = msgget(key, flags);

	if (shm < 0 || msg < 0) {
		fprintf(stderr, "nsprobe: SysV IPC key %s: %s\n", arg,
			strerror(errno));
		return 1;
	}
	if (!make && (shmctl(shm, IPC_RMID, NULL) || msgctl(msg, IPC_RMID, NULL))) {
		fprintf(stderr, "nsprobe: remove SysV IPC key %s: %s\n", arg,
			strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * chroot() moves only this process's root; its working directory stays
 * where it is. So: chroot into a subdirectory while standing at the old
 * root, and ".." from the working directory climbs past the new root,
 * up to the root of the mount namespace; chroot(".") there.
 */
static int cmd_escape(const char *marker)
{
	bool before = access(marker, F_OK) == 0, after;
	struct dirent *e;
	bool first = true;
	DIR *d;

	if ((mkdir("/.escape", 0700) && errno != EEXIST) || chdir("/") ||
	    chroot("/.escape")) {
		fprintf(stderr, "nsprobe: escape: chroot /.escape: %s\n",
			strerror(errno));
		return 1;
	}
	for (int i = 0; i < 64; i++)
		if (chdir(".."))
			break;
	if (chroot(".")) {
		fprintf(stderr, "nsprobe: escape: chroot .: %s\n",
			strerror(errno));
		return 1;
	}
	after = access(marker, F_OK) == 0;
	printf("{\"marker\":");
	json_str(marker);
	printf(",\"before\":%s,\"after\":%s,\"root_after\":[",
	       before ? "true" : "false", after ? "true" : "false");
	d = opendir("/");
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		printf("%s", first ? "" : ",");
		json_str(e->d_name);
		first = false;
	}
	if (d)
		closedir(d);
	printf("]}\n");
	return 0;
}

static int write_file(const char *path, const char *text, int flags)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	ssize_t len = (ssize_t)strlen(text);

	if (fd < 0 || write(fd, text, (size_t)len) != len) {
		fprintf(stderr, "nsprobe: overlay: write %s: %s\n", path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Three kinds of write into the merged root: create, modify, delete. */
static int cmd_overlay(void)
{
	char motd[256] = "";
	FILE *f;
	size_t n;

	if (write_file("/hello.txt", "written inside the container\n",
		       O_TRUNC) ||
	    write_file("/etc/motd", "changed inside the container\n",
		       O_APPEND))
		return 1;
	if (unlink("/data/delete-me")) {
		fprintf(stderr, "nsprobe: overlay: delete /data/delete-me: %s\n",
			strerror(errno));
		return 1;
	}
	f = fopen("/etc/motd", "re");
	n = f ? fread(motd, 1, sizeof(motd) - 1, f) : 0;
	motd[n] = '\0';
	if (f)
		fclose(f);
	printf("{\"hello_exists\":%s,\"motd\":",
	       access("/hello.txt", F_OK) == 0 ? "true" : "false");
	json_str(motd);
	printf(",\"delete_me_exists\":%s}\n",
	       access("/data/delete-me", F_OK) == 0 ? "true" : "false");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "see"))
		return cmd_see(argc - 2, argv + 2);
	if ((!strcmp(cmd, "ipc-make") || !strcmp(cmd, "ipc-remove")) &&
	    argc == 3)
		return cmd_ipc(!strcmp(cmd, "ipc-make"), argv[2]);
	if (!strcmp(cmd, "escape") && argc == 3)
		return cmd_escape(argv[2]);
	if (!strcmp(cmd, "overlay") && argc == 2)
		return cmd_overlay();
	fprintf(stderr,
		"usage: nsprobe see [--tmpfs-at DIR [--mount]] [--secret FILE] [--hold]\n"
		"       nsprobe ipc-make KEY | ipc-remove KEY | escape MARKER | overlay\n");
	return 2;
}
