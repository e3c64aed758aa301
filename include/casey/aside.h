/*
 * aside.h — read-only work beside the caller's, on a thread of its own.
 *
 * A scoring run ends with a few phases on one thread while the machine's
 * other core is idle: the day's figures and the reviews that came due
 * only read, so they can be worked out there, on a second, read-only
 * connection to the same file, while the caller writes its actions.
 *
 *	struct cs_aside *a = cs_aside_start(db, work, &ctx, diag);
 *	... the caller's own writing on db ...
 *	if (cs_aside_finish(a, diag))	// waits; work's result
 *		return -1;
 *	... store what work found, on db ...
 *
 * work(rdb, ctx, diag) runs with its own connection rdb, which reads the
 * database as it was committed when work began (WAL): it sees nothing of
 * the caller's open transaction, so the two must not depend on each
 * other's writes. Its messages are kept and reported by cs_aside_finish()
 * on the caller's thread, in order.
 *
 * When there is no second connection to be had (a database without a
 * file, an SQLite without threads, CASEY_ONE_THREAD set, a thread that
 * cannot start), cs_aside_start() runs work at once on db itself and
 * cs_aside_finish() only reports. Started before the caller's transaction,
 * or with work reading nothing that transaction has written so far, the
 * result is the same, only slower.
 * cs_aside_start() returns NULL only when out of memory (reported).
 */
#ifndef CASEY_ASIDE_H
#define CASEY_ASIDE_H

#include "casey/diag.h"

struct sqlite3;
struct cs_aside;

typedef int (*cs_aside_fn)(struct sqlite3 *db, void *ctx, struct cs_diag *diag);

struct cs_aside *cs_aside_start(struct sqlite3 *db, cs_aside_fn work, void *ctx,
				struct cs_diag *diag);

/* Wait for work, report its messages, free a; work's result (0 or -1). */
int cs_aside_finish(struct cs_aside *a, struct cs_diag *diag);

#endif
