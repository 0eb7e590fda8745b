// SPDX-License-Identifier: GPL-2.0
/* Dropping privileges in a test's child process. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "privdrop.h"

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -errno;
	close(fd);
	return ret;
}

int privdrop_to_nobody(void)
{
	/* A uid change away from 0 clears every capability set. */
	if (setgroups(0, NULL) ||
	    setresgid(PRIVDROP_NOBODY, PRIVDROP_NOBODY, PRIVDROP_NOBODY) ||
	    setresuid(PRIVDROP_NOBODY, PRIVDROP_NOBODY, PRIVDROP_NOBODY))
		return -errno;
	return 0;
}

int privdrop_to_userns_root(int flags)
{
	int ret;

	if (unshare(CLONE_NEWUSER | flags))
		return -errno;
	/* An unprivileged gid_map needs setgroups denied first. */
	ret = write_file("/proc/self/setgroups", "deny");
	if (!ret)
		ret = write_file("/proc/self/uid_map", "0 0 1");
	if (!ret)
		ret = write_file("/proc/self/gid_map", "0 0 1");
	return ret;
}
