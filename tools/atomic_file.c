// SPDX-License-Identifier: GPL-2.0
/* Temporary file + rename; see atomic_file.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

int atomic_file_open(struct atomic_file *af, const char *path,
		     struct wfqnl_err *err)
{
	const char *slash = strrchr(path, '/');
	int dir_len = slash ? (int)(slash - path + 1) : 0;
	int fd;

	memset(af, 0, sizeof(*af));
	af->path = path;
	if (snprintf(af->tmp_path, sizeof(af->tmp_path), "%.*s.%s.tmp.XXXXXX",
		     dir_len, path, path + dir_len) >=
	    (int)sizeof(af->tmp_path))
		return wfqnl_err_set(err, ENAMETOOLONG, "%s", path);
	fd = mkstemp(af->tmp_path);
	if (fd < 0)
		return wfqnl_err_set(err, errno, "%s", af->tmp_path);
	/* mkstemp makes it 0600; the collector may run as another user. */
	if (fchmod(fd, 0644) || !(af->f = fdopen(fd, "w"))) {
		int e = errno;

		close(fd);
		unlink(af->tmp_path);
		return wfqnl_err_set(err, e, "%s", af->tmp_path);
	}
	return 0;
}

int atomic_file_commit(struct atomic_file *af, struct wfqnl_err *err)
{
	int e = 0;

	if (fflush(af->f) || fsync(fileno(af->f)))
		e = errno;
	if (fclose(af->f) && !e)
		e = errno;
	af->f = NULL;
	if (!e && rename(af->tmp_path, af->path))
		e = errno;
	if (!e)
		return 0;
	unlink(af->tmp_path);
	return wfqnl_err_set(err, e, "%s", af->path);
}
