/*
 * testutil.h — what every cmocka test of casey includes first.
 *
 * cmocka needs <stdarg.h>, <stddef.h>, <stdint.h> and <setjmp.h> before
 * <cmocka.h>. The helpers below make a scratch directory per test, write
 * files into it, collect the core's diagnostics and query the database.
 * Everything is static inline so each test binary stays one file.
 */
#ifndef CASEY_TESTUTIL_H
#define CASEY_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <unistd.h>
#include <cmocka.h>

#include "casey/diag.h"

/* A diagnostics sink that keeps every line for assertions. */
struct captured {
	char lines[64][1024];
	enum cs_level level[64];
	int n;
};

static inline void capture_emit(void *ctx, enum cs_level level, const char *msg)
{
	struct captured *c = ctx;

	if (level == CS_PROGRESS || c->n == 64)
		return;
	c->level[c->n] = level;
	snprintf(c->lines[c->n++], sizeof(c->lines[0]), "%s", msg);
}

static inline struct cs_diag capture_diag(struct captured *c)
{
	struct cs_diag d = { capture_emit, c, 0 };

	memset(c, 0, sizeof(*c));
	return d;
}

/* Is line among the captured ones? Prints them all when it is not. */
static inline int captured_has(const struct captured *c, const char *line)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->lines[i], line))
			return 1;
	fprintf(stderr, "expected line not found: %s\ncaptured:\n", line);
	for (i = 0; i < c->n; i++)
		fprintf(stderr, "  [%d] %s\n", c->level[i], c->lines[i]);
	return 0;
}

static char scratch_path[256];

static inline int scratch_rm(const char *path, const struct stat *st, int flag,
			     struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void scratch_cleanup(void)
{
	if (scratch_path[0] && !getenv("CASEY_KEEP_SCRATCH"))
		nftw(scratch_path, scratch_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh scratch directory, removed at exit (keep it: CASEY_KEEP_SCRATCH=1). */
static inline const char *scratch_dir(void)
{
	if (!scratch_path[0]) {
		const char *tmp = getenv("TMPDIR");

		snprintf(scratch_path, sizeof(scratch_path), "%s/casey-test-XXXXXX",
			 tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(scratch_path))
			abort();
		atexit(scratch_cleanup);
	}
	return scratch_path;
}

/* Write content to name inside the scratch directory; returns the path. */
static inline const char *write_file(const char *name, const char *content)
{
	static char paths[16][512];
	static int next;
	char *path = paths[next++ % 16];
	FILE *f;

	snprintf(path, 512, "%s/%s", scratch_dir(), name);
	f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(content, 1, strlen(content), f);
	fclose(f);
	return path;
}

#endif
