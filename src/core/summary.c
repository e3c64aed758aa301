/* summary.c — the figures of the summary. See summary.h. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/summary.h"
#include "casey/value.h"

static int count_customers(sqlite3 *db, struct cs_summary *s, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT count(*),"
		"       count(*) FILTER (WHERE status = 'churned') FROM customers";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting customers");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->customers = (long)sqlite3_column_int64(st, 0);
		s->churned = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting customers");
}

static int band_counts(sqlite3 *db, struct cs_summary *s, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT as_of, count(*) FILTER (WHERE band = 'green'),"
		"       count(*) FILTER (WHERE band = 'yellow'),"
		"       count(*) FILTER (WHERE band = 'red'), avg(score)"
		"  FROM snapshots WHERE as_of = (SELECT max(as_of) FROM snapshots"
		"                                 WHERE as_of <= ?1)"
		" GROUP BY as_of";
	char day[11];
	sqlite3_stmt *st;
	int rc;

	cs_format_day(s->as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading scores");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->scored = true;
		snprintf(s->snapshot_date, sizeof(s->snapshot_date), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		s->green = (long)sqlite3_column_int64(st, 1);
		s->yellow = (long)sqlite3_column_int64(st, 2);
		s->red = (long)sqlite3_column_int64(st, 3);
		s->average_score = sqlite3_column_double(st, 4);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading scores");
}

int cs_summary_load(sqlite3 *db, int32_t as_of, struct cs_summary *out,
		    struct cs_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->as_of = as_of;
	if (count_customers(db, out, diag) || band_counts(db, out, diag) ||
	    cs_nps_window(db, as_of, &out->nps, diag) ||
	    cs_csat_window(db, as_of, &out->csat, diag))
		return -1;
	return 0;
}
