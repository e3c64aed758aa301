/* figures.c — a scoring run's window figures, kept. See figures.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/figures.h"
#include "casey/tickets.h"
#include "casey/value.h"

/* The newest import: figures computed before it are stale. */
#define LAST_IMPORT "(SELECT coalesce(max(import_id), 0) FROM imports)"

static int count_customers(sqlite3 *db, struct cs_figures *f, struct cs_diag *diag)
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
		f->customers = (long)sqlite3_column_int64(st, 0);
		f->churned = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting customers");
}

struct theme_list {
	struct cs_theme *v;
	size_t n, cap;
	bool oom;
};

static int collect_theme(void *ctx, const struct cs_theme *t)
{
	struct theme_list *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct cs_theme *v = realloc(l->v, cap * sizeof(*v));

		if (!v) {
			l->oom = true;
			return 1;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return 0;
}

static int exec_day(sqlite3 *db, const char *sql, const char *day, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "storing the run's figures");
	if (day)
		sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "storing the run's figures");
}

static int insert_figures(sqlite3 *db, const char *day, const struct cs_figures *f,
			  struct cs_diag *diag)
{
	static const char sql[] =
		"INSERT INTO run_figures (as_of, import_id, customers, churned,"
		" nps_promoters, nps_passives, nps_detractors, csat_responses, csat_scored,"
		" csat_satisfied, csat_average, csat_satisfied_pct, themes_ok)"
		" VALUES (?1, " LAST_IMPORT ", ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1)";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "storing the run's figures");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->customers);
	sqlite3_bind_int64(st, 3, f->churned);
	sqlite3_bind_int64(st, 4, f->nps.promoters);
	sqlite3_bind_int64(st, 5, f->nps.passives);
	sqlite3_bind_int64(st, 6, f->nps.detractors);
	sqlite3_bind_int64(st, 7, f->csat.responses);
	sqlite3_bind_int64(st, 8, f->csat.scored);
	sqlite3_bind_int64(st, 9, f->csat.satisfied);
	sqlite3_bind_double(st, 10, f->csat.average);
	sqlite3_bind_double(st, 11, f->csat.satisfied_pct);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "storing the run's figures");
}

static int insert_themes(sqlite3 *db, const char *day, const struct theme_list *l,
			 struct cs_diag *diag)
{
	static const char sql[] =
		"INSERT INTO run_themes (as_of, rank, category, theme, tickets, customers, arr)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	sqlite3_stmt *st;
	size_t i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "storing the run's themes");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	for (i = 0; i < l->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, l->v[i].category, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, l->v[i].theme, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, l->v[i].tickets);
		sqlite3_bind_int64(st, 6, l->v[i].customers);
		sqlite3_bind_double(st, 7, l->v[i].arr);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return cs_db_error(db, diag, "storing the run's themes");
		}
	}
	sqlite3_finalize(st);
	return 0;
}

int cs_figures_store(sqlite3 *db, int32_t as_of, struct cs_diag *diag)
{
	struct theme_list themes = { 0 };
	struct cs_figures f;
	char day[11];
	int rc = -1;

	memset(&f, 0, sizeof(f));
	cs_format_day(as_of, day);
	/* Computed first (the themes may come from the rows being replaced). */
	if (count_customers(db, &f, diag) || cs_nps_window(db, as_of, &f.nps, diag) ||
	    cs_csat_window(db, as_of, &f.csat, diag))
		goto out;
	if (cs_themes(db, as_of - (CS_FIGURES_THEME_DAYS - 1), as_of, collect_theme, &themes,
		      diag)) {
		if (themes.oom)
			cs_error(diag, "out of memory storing the run's themes");
		goto out;
	}
	if (exec_day(db, "DELETE FROM run_themes WHERE as_of = ?1", day, diag) ||
	    exec_day(db, "DELETE FROM run_figures WHERE as_of = ?1", day, diag) ||
	    insert_figures(db, day, &f, diag) || insert_themes(db, day, &themes, diag))
		goto out;
	rc = 0;
out:
	free(themes.v);
	return rc;
}

int cs_figures_load(sqlite3 *db, int32_t as_of, struct cs_figures *out, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT customers, churned, nps_promoters, nps_passives, nps_detractors,"
		"       csat_responses, csat_scored, csat_satisfied, csat_average,"
		"       csat_satisfied_pct"
		"  FROM run_figures WHERE as_of = ?1 AND import_id = " LAST_IMPORT;
	char day[11];
	sqlite3_stmt *st;
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the run's figures");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->customers = (long)sqlite3_column_int64(st, 0);
		out->churned = (long)sqlite3_column_int64(st, 1);
		out->nps.promoters = (long)sqlite3_column_int64(st, 2);
		out->nps.passives = (long)sqlite3_column_int64(st, 3);
		out->nps.detractors = (long)sqlite3_column_int64(st, 4);
		out->nps.responses = out->nps.promoters + out->nps.passives + out->nps.detractors;
		cs_nps_finish(&out->nps);
		out->csat.responses = (long)sqlite3_column_int64(st, 5);
		out->csat.scored = (long)sqlite3_column_int64(st, 6);
		out->csat.satisfied = (long)sqlite3_column_int64(st, 7);
		out->csat.average = sqlite3_column_double(st, 8);
		out->csat.satisfied_pct = sqlite3_column_double(st, 9);
		found = 1;
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the run's figures");
	if (!found)
		memset(out, 0, sizeof(*out));
	return found;
}

int cs_figures_themes(sqlite3 *db, int32_t as_of, bool *current,
		      int (*cb)(void *ctx, const struct cs_theme *t), void *ctx,
		      struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT 1 FROM run_figures"
		" WHERE as_of = ?1 AND themes_ok AND import_id = " LAST_IMPORT;
	static const char list_sql[] =
		"SELECT category, theme, tickets, customers, arr FROM run_themes"
		" WHERE as_of = ?1 ORDER BY rank";
	char day[11];
	struct cs_theme t;
	sqlite3_stmt *st;
	int rc, stop = 0;

	*current = false;
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the run's themes");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;	/* none stored, or stale */
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading the run's themes");
	*current = true;
	if (sqlite3_prepare_v2(db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the run's themes");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(t.category, sizeof(t.category), "%s", sqlite3_column_text(st, 0));
		snprintf(t.theme, sizeof(t.theme), "%s", sqlite3_column_text(st, 1));
		t.tickets = (long)sqlite3_column_int64(st, 2);
		t.customers = (long)sqlite3_column_int64(st, 3);
		t.arr = sqlite3_column_double(st, 4);
		if ((stop = cb(ctx, &t)))
			break;
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading the run's themes");
}

int cs_figures_forget_themes(sqlite3 *db, struct cs_diag *diag)
{
	return exec_day(db, "UPDATE run_figures SET themes_ok = 0 WHERE themes_ok", NULL, diag) ||
	       exec_day(db, "DELETE FROM run_themes", NULL, diag) ? -1 : 0;
}

int cs_figures_forget(sqlite3 *db, struct cs_diag *diag)
{
	return exec_day(db, "DELETE FROM run_themes", NULL, diag) ||
	       exec_day(db, "DELETE FROM run_figures", NULL, diag) ? -1 : 0;
}
