/* assets.c — locating configuration files. See assets.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "casey/assets.h"

#ifndef CASEY_DATADIR
#define CASEY_DATADIR "/usr/local/share/casey"
#endif

static int try_path(char *buf, size_t size, const char *dir, const char *sub,
		    const char *rel)
{
	int n = snprintf(buf, size, "%s%s/%s", dir, sub, rel);

	return n > 0 && (size_t)n < size && access(buf, R_OK) == 0 ? 0 : -1;
}

/* The directory of the running binary, from /proc (Linux). */
static int exe_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

int cs_asset_find(const char *rel, char *buf, size_t size)
{
	const char *env;
	char dir[PATH_MAX];

	if ((env = getenv("CASEY_ASSETS")) && *env && !try_path(buf, size, env, "", rel))
		return 0;
	if ((env = getenv("XDG_CONFIG_HOME")) && *env == '/') {
		if (!try_path(buf, size, env, "/casey", rel))
			return 0;
	} else if ((env = getenv("HOME")) && *env) {
		if (!try_path(buf, size, env, "/.config/casey", rel))
			return 0;
	}
	if (!exe_dir(dir, sizeof(dir))) {
		if (!try_path(buf, size, dir, "/assets", rel) ||
		    !try_path(buf, size, dir, "/../share/casey", rel))
			return 0;
	}
	return try_path(buf, size, CASEY_DATADIR, "", rel);
}

int cs_asset_check_safe(const char *path, struct cs_diag *diag)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	if (st.st_mode & S_IWOTH)
		return cs_error(diag, "%s: refusing a configuration file that every "
				"user may write to (mode %03o)", path,
				(unsigned)(st.st_mode & 0777));
	return 0;
}
