/* aside.c — read-only work on a thread of its own. See aside.h. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/aside.h"
#include "casey/db.h"

/* The messages work reports, kept for the caller's thread. */
#define ASIDE_LINES 8

struct cs_aside {
	sqlite3 *db;			/* work's own connection; NULL: it ran inline */
	cs_aside_fn work;
	void *ctx;
	pthread_t th;
	int rc;
	struct cs_diag diag;		/* work's, collecting into lines */
	int nlines;
	enum cs_level level[ASIDE_LINES];
	char lines[ASIDE_LINES][512];
};

static void keep(void *ctx, enum cs_level level, const char *msg)
{
	struct cs_aside *a = ctx;

	if (level == CS_PROGRESS || a->nlines == ASIDE_LINES)
		return;
	a->level[a->nlines] = level;
	snprintf(a->lines[a->nlines++], sizeof(a->lines[0]), "%s", msg);
}

static void *run(void *arg)
{
	struct cs_aside *a = arg;

	a->rc = a->work(a->db, a->ctx, &a->diag);
	return NULL;
}

struct cs_aside *cs_aside_start(sqlite3 *db, cs_aside_fn work, void *ctx,
				struct cs_diag *diag)
{
	const char *path = sqlite3_db_filename(db, "main");
	struct cs_aside *a = calloc(1, sizeof(*a));
	struct cs_diag quiet = { 0 };

	if (!a) {
		cs_error(diag, "out of memory");
		return NULL;
	}
	a->work = work;
	a->ctx = ctx;
	a->diag.emit = keep;
	a->diag.ctx = a;
	if (path && path[0] && !getenv("CASEY_ONE_THREAD") && sqlite3_threadsafe() &&
	    !cs_db_open(path, CS_DB_READONLY, &a->db, &quiet)) {
		if (!pthread_create(&a->th, NULL, run, a))
			return a;
		cs_db_close(a->db);
		a->db = NULL;
	}
	/* No second connection or thread: the same work, here and now. */
	a->rc = work(db, ctx, &a->diag);
	return a;
}

int cs_aside_finish(struct cs_aside *a, struct cs_diag *diag)
{
	int rc;

	if (!a)
		return -1;
	if (a->db) {
		pthread_join(a->th, NULL);
		cs_db_close(a->db);
	}
	for (int i = 0; i < a->nlines; i++)
		cs_report(diag, a->level[i], "%s", a->lines[i]);
	rc = a->rc;
	free(a);
	return rc;
}
