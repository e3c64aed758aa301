/* figures.c — a scoring run's window figures, kept. See figures.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/figures.h"
#include "casey/summary.h"
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

/* Run a statement binding profile and day as ?1 and ?2. */
static int exec_run(sqlite3 *db, const char *sql, const char *profile, const char *day,
		    struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "storing the run's at-risk list");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "storing the run's at-risk list");
}

static int forget_run(sqlite3 *db, const char *profile, const char *day, struct cs_diag *diag)
{
	return exec_run(db, "DELETE FROM run_at_risk WHERE profile = ?1 AND as_of = ?2",
			profile, day, diag) ||
	       exec_run(db, "DELETE FROM run_lists WHERE profile = ?1 AND as_of = ?2",
			profile, day, diag) ? -1 : 0;
}

/* What a run keeps, worked out (cs_figures_prepare) before it is stored. */
struct cs_figures_run {
	char profile[64];
	char day[11];
	struct cs_figures f;
	struct theme_list themes;
	struct cs_at_risk *at_risk;	/* the head of the list, CS_SUMMARY_AT_RISK at most */
	int nat_risk;
};

static int store_at_risk(sqlite3 *db, const struct cs_figures_run *r, struct cs_diag *diag)
{
	static const char head_sql[] =
		"INSERT INTO run_lists (profile, as_of, import_id) VALUES (?1, ?2, " LAST_IMPORT ")";
	static const char sql[] =
		"INSERT INTO run_at_risk (profile, as_of, rank, customer_id, name, arr, score,"
		" band, trend, delta30, top_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		" ?10, ?11)";
	const struct cs_at_risk *v = r->at_risk;
	sqlite3_stmt *st = NULL;
	int i, rc = -1;

	if (forget_run(db, r->profile, r->day, diag) ||
	    exec_run(db, head_sql, r->profile, r->day, diag))
		goto out;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		cs_db_error(db, diag, "storing the run's at-risk list");
		goto out;
	}
	sqlite3_bind_text(st, 1, r->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->day, -1, SQLITE_STATIC);
	for (i = 0; i < r->nat_risk; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int(st, 3, i);
		sqlite3_bind_text(st, 4, v[i].customer_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, v[i].name, -1, SQLITE_STATIC);
		if (v[i].arr_known)
			sqlite3_bind_double(st, 6, v[i].arr);
		else
			sqlite3_bind_null(st, 6);
		sqlite3_bind_int(st, 7, v[i].score);
		sqlite3_bind_text(st, 8, v[i].band, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 9, v[i].trend, -1, SQLITE_STATIC);
		if (v[i].has_delta30)
			sqlite3_bind_int(st, 10, v[i].delta30);
		else
			sqlite3_bind_null(st, 10);
		sqlite3_bind_text(st, 11, v[i].top_reason, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			cs_db_error(db, diag, "storing the run's at-risk list");
			goto out;
		}
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cs_figures_compute(sqlite3 *db, int32_t as_of, struct cs_figures *out,
		       struct cs_diag *diag)
{
	memset(out, 0, sizeof(*out));
	return count_customers(db, out, diag) || cs_nps_window(db, as_of, &out->nps, diag) ||
	       cs_csat_window(db, as_of, &out->csat, diag) ? -1 : 0;
}

void cs_figures_run_free(struct cs_figures_run *r)
{
	if (!r)
		return;
	free(r->themes.v);
	free(r->at_risk);
	free(r);
}

int cs_figures_prepare(sqlite3 *db, const char *profile, int32_t as_of,
		       struct cs_figures_run **out, struct cs_diag *diag)
{
	struct cs_figures_run *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r || !(r->at_risk = calloc(CS_SUMMARY_AT_RISK, sizeof(*r->at_risk)))) {
		free(r);
		return cs_error(diag, "out of memory storing the run's figures");
	}
	snprintf(r->profile, sizeof(r->profile), "%s", profile);
	cs_format_day(as_of, r->day);
	if (cs_figures_compute(db, as_of, &r->f, diag) ||
	    cs_themes(db, as_of - (CS_FIGURES_THEME_DAYS - 1), as_of, collect_theme, &r->themes,
		      diag) ||
	    cs_at_risk_list(db, profile, r->day, r->at_risk, CS_SUMMARY_AT_RISK, &r->nat_risk,
			    diag)) {
		if (r->themes.oom)
			cs_error(diag, "out of memory storing the run's themes");
		cs_figures_run_free(r);
		return -1;
	}
	*out = r;
	return 0;
}

int cs_figures_put(sqlite3 *db, const struct cs_figures_run *r, struct cs_diag *diag)
{
	return exec_day(db, "DELETE FROM run_themes WHERE as_of = ?1", r->day, diag) ||
	       exec_day(db, "DELETE FROM run_figures WHERE as_of = ?1", r->day, diag) ||
	       insert_figures(db, r->day, &r->f, diag) ||
	       insert_themes(db, r->day, &r->themes, diag) ||
	       store_at_risk(db, r, diag) ? -1 : 0;
}

int cs_figures_store(sqlite3 *db, const char *profile, int32_t as_of, struct cs_diag *diag)
{
	struct cs_figures_run *r;
	int rc;

	/* Worked out first: the themes may come from the rows being replaced. */
	if (cs_figures_prepare(db, profile, as_of, &r, diag))
		return -1;
	rc = cs_figures_put(db, r, diag);
	cs_figures_run_free(r);
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

int cs_figures_at_risk(sqlite3 *db, const char *profile, const char *date,
		       struct cs_at_risk *out, int max, int *n, bool *current,
		       struct cs_diag *diag)
{
	static const char head_sql[] =
		"SELECT 1 FROM run_lists WHERE profile = ?1 AND as_of = ?2"
		"   AND import_id = " LAST_IMPORT;
	static const char list_sql[] =
		"SELECT customer_id, name, arr, score, band, trend, delta30, top_reason"
		"  FROM run_at_risk WHERE profile = ?1 AND as_of = ?2 ORDER BY rank LIMIT ?3";
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	*current = false;
	if (sqlite3_prepare_v2(db, head_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the run's at-risk list");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;	/* none kept, or stale */
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading the run's at-risk list");
	if (sqlite3_prepare_v2(db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the run's at-risk list");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max);
	/* LIMIT max: never more rows than out holds */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_at_risk *a = &out[(*n)++];

		memset(a, 0, sizeof(*a));
		snprintf(a->customer_id, sizeof(a->customer_id), "%s", sqlite3_column_text(st, 0));
		snprintf(a->name, sizeof(a->name), "%s", sqlite3_column_text(st, 1));
		a->arr_known = sqlite3_column_type(st, 2) != SQLITE_NULL;
		a->arr = sqlite3_column_double(st, 2);
		a->score = sqlite3_column_int(st, 3);
		snprintf(a->band, sizeof(a->band), "%s", sqlite3_column_text(st, 4));
		snprintf(a->trend, sizeof(a->trend), "%s", sqlite3_column_text(st, 5));
		a->has_delta30 = sqlite3_column_type(st, 6) != SQLITE_NULL;
		a->delta30 = sqlite3_column_int(st, 6);
		snprintf(a->top_reason, sizeof(a->top_reason), "%s", sqlite3_column_text(st, 7));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the run's at-risk list");
	*current = true;
	return 0;
}

int cs_figures_forget_run(sqlite3 *db, const char *profile, int32_t as_of,
			  struct cs_diag *diag)
{
	char day[11];

	cs_format_day(as_of, day);
	return forget_run(db, profile, day, diag);
}

int cs_figures_forget_themes(sqlite3 *db, struct cs_diag *diag)
{
	return exec_day(db, "UPDATE run_figures SET themes_ok = 0 WHERE themes_ok", NULL, diag) ||
	       exec_day(db, "DELETE FROM run_themes", NULL, diag) ? -1 : 0;
}

int cs_figures_forget(sqlite3 *db, struct cs_diag *diag)
{
	return exec_day(db, "DELETE FROM run_themes", NULL, diag) ||
	       exec_day(db, "DELETE FROM run_figures", NULL, diag) ||
	       exec_day(db, "DELETE FROM run_at_risk", NULL, diag) ||
	       exec_day(db, "DELETE FROM run_lists", NULL, diag) ? -1 : 0;
}
