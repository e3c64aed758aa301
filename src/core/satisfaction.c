/* satisfaction.c — NPS and CSAT. See satisfaction.h. */
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/satisfaction.h"
#include "casey/value.h"

void cs_nps_add(struct cs_nps *n, int score)
{
	if (score >= 9)
		n->promoters++;
	else if (score >= 7)
		n->passives++;
	else
		n->detractors++;
	n->responses++;
}

void cs_nps_finish(struct cs_nps *n)
{
	n->score = n->responses ?
		100.0 * (double)(n->promoters - n->detractors) / (double)n->responses : 0;
}

void cs_csat_add(struct cs_csat *c, int score, int good)
{
	if (score >= 1 && score <= 5) {
		c->responses++;
		c->scored++;
		c->average += score;	/* a sum until cs_csat_finish() */
		if (score >= 4)
			c->satisfied++;
	} else if (good >= 0) {
		c->responses++;
		if (good)
			c->satisfied++;
	}
}

void cs_csat_finish(struct cs_csat *c)
{
	c->average = c->scored ? c->average / (double)c->scored : 0;
	c->satisfied_pct = c->responses ?
		100.0 * (double)c->satisfied / (double)c->responses : 0;
}

static void window(int32_t as_of, char *from, char *to)
{
	cs_format_day(as_of - (CS_SURVEY_WINDOW_DAYS - 1), from);
	cs_format_day(as_of, to);
}

int cs_nps_window(sqlite3 *db, int32_t as_of, struct cs_nps *out, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT score, count(*) FROM nps WHERE date BETWEEN ?1 AND ?2 GROUP BY score";
	char from[11], to[11];
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	window(as_of, from, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "computing NPS");
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int score = sqlite3_column_int(st, 0);
		long n = (long)sqlite3_column_int64(st, 1);

		while (n--)
			cs_nps_add(out, score);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing NPS");
	cs_nps_finish(out);
	return 0;
}

int cs_csat_window(sqlite3 *db, int32_t as_of, struct cs_csat *out, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT coalesce(score, 0), coalesce(good, -1), count(*) FROM csat "
		"WHERE date BETWEEN ?1 AND ?2 GROUP BY 1, 2";
	char from[11], to[11];
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	window(as_of, from, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "computing CSAT");
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int score = sqlite3_column_int(st, 0), good = sqlite3_column_int(st, 1);
		long n = (long)sqlite3_column_int64(st, 2);

		while (n--)
			cs_csat_add(out, score, good);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing CSAT");
	cs_csat_finish(out);
	return 0;
}
