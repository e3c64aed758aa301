/* summary.c — the figures of the summary. See summary.h. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/figures.h"
#include "casey/rules.h"
#include "casey/snapshot.h"
#include "casey/summary.h"
#include "casey/tickets.h"
#include "casey/value.h"

/* "Change vs last week" compares with the snapshot this many days before. */
#define WEEK_DAYS 7

/* The totals of the profile's latest run on or before as_of (score.c keeps them). */
static int band_counts(sqlite3 *db, const char *profile, int32_t as_of,
		       struct cs_band_counts *b, long *at_risk, double *at_risk_arr,
		       struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT as_of, green, yellow, red, average, at_risk, at_risk_arr"
		"  FROM snapshot_stats WHERE profile = ?1 AND as_of <= ?2"
		" ORDER BY as_of DESC LIMIT 1";
	char day[11];
	sqlite3_stmt *st;
	int rc;

	memset(b, 0, sizeof(*b));
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading scores");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b->scored = true;
		snprintf(b->date, sizeof(b->date), "%s", (const char *)sqlite3_column_text(st, 0));
		b->green = (long)sqlite3_column_int64(st, 1);
		b->yellow = (long)sqlite3_column_int64(st, 2);
		b->red = (long)sqlite3_column_int64(st, 3);
		b->average = sqlite3_column_double(st, 4);
		if (at_risk)
			*at_risk = (long)sqlite3_column_int64(st, 5);
		if (at_risk_arr)
			*at_risk_arr = sqlite3_column_double(st, 6);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading scores");
}

/* The at-risk customers of the run, largest ARR first, from their index. */
int cs_at_risk_list(sqlite3 *db, const char *profile, const char *date,
		    struct cs_at_risk *out, int max, int *n, struct cs_diag *diag)
{
	static const char list_sql[] =
		"SELECT s.customer_id, c.name, s.arr, s.score, s.band, s.trend, s.delta30,"
		"       s.components, s.measures,"
		"       (SELECT layout FROM snapshot_stats WHERE profile = ?1 AND as_of = ?2)"
		"  FROM snapshots s JOIN customers c USING (customer_id)"
		" WHERE s.profile = ?1 AND s.as_of = ?2 AND s.at_risk = 1"
		" ORDER BY s.arr DESC, s.customer_id LIMIT ?3";
	struct cs_snapshot snap;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the at-risk list");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max);
	/* LIMIT max: never more rows than out holds */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_at_risk *a = &out[(*n)++];

		snprintf(a->customer_id, sizeof(a->customer_id), "%s", sqlite3_column_text(st, 0));
		snprintf(a->name, sizeof(a->name), "%s", sqlite3_column_text(st, 1));
		a->arr_known = sqlite3_column_type(st, 2) != SQLITE_NULL;
		a->arr = sqlite3_column_double(st, 2);
		a->score = sqlite3_column_int(st, 3);
		snprintf(a->band, sizeof(a->band), "%s", sqlite3_column_text(st, 4));
		snprintf(a->trend, sizeof(a->trend), "%s", sqlite3_column_text(st, 5));
		a->has_delta30 = sqlite3_column_type(st, 6) != SQLITE_NULL;
		a->delta30 = sqlite3_column_int(st, 6);
		memset(&snap, 0, sizeof(snap));
		cs_snapshot_decode(&snap, (const char *)sqlite3_column_text(st, 9),
				   (const char *)sqlite3_column_text(st, 7),
				   (const char *)sqlite3_column_text(st, 8));
		cs_snapshot_weakest(&snap, a->top_reason, sizeof(a->top_reason));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading the at-risk list");
}

/* The head a score run kept (figures.h) while it holds, else from the snapshots. */
static int at_risk(sqlite3 *db, struct cs_summary *s, struct cs_diag *diag)
{
	bool current;

	if (!s->now.scored)
		return 0;
	if (cs_figures_at_risk(db, s->profile, s->now.date, s->at_risk, CS_SUMMARY_AT_RISK,
			       &s->nat_risk, &current, diag))
		return -1;
	return current ? 0 : cs_at_risk_list(db, s->profile, s->now.date, s->at_risk,
					      CS_SUMMARY_AT_RISK, &s->nat_risk, diag);
}

struct theme_ctx {
	struct cs_summary *s;
	const struct cs_rules *rules;
};

/* cs_themes() gives them by ARR, highest first: keep the first few. */
static int add_theme(void *ctx, const struct cs_theme *t)
{
	struct theme_ctx *tc = ctx;
	struct cs_summary *s = tc->s;
	int i = s->nthemes;

	if (i == CS_SUMMARY_THEMES)
		return 1;
	snprintf(s->themes[i].category, sizeof(s->themes[i].category), "%s", t->category);
	snprintf(s->themes[i].theme, sizeof(s->themes[i].theme), "%s", t->theme);
	s->themes[i].tickets = t->tickets;
	s->themes[i].customers = t->customers;
	s->themes[i].arr = t->arr;
	if (tc->rules) {
		const struct cs_rule_cfg *c = &tc->rules->r[A_THEME];

		s->themes[i].escalate = t->tickets >= c->min_tickets || t->arr >= c->arr_at_least;
	}
	s->nthemes++;
	return 0;
}

static int32_t week_before(const char *date)
{
	int32_t d = 0;

	cs_parse_day(date, &d);
	return d - WEEK_DAYS;
}

/* The figures a score run kept for as_of (figures.h), or else from the data. */
static int window_figures(sqlite3 *db, int32_t as_of, struct cs_summary *s,
			  struct cs_diag *diag)
{
	struct cs_figures f;
	int rc = cs_figures_load(db, as_of, &f, diag);

	if (rc == 0)
		rc = cs_figures_compute(db, as_of, &f, diag) ? -1 : 1;
	if (rc < 0)
		return -1;
	s->customers = f.customers;
	s->churned = f.churned;
	s->nps = f.nps;
	s->csat = f.csat;
	return 0;
}

int cs_summary_load(sqlite3 *db, const char *profile, const struct cs_rules *rules,
		    int32_t as_of, struct cs_summary *out, struct cs_diag *diag)
{
	struct theme_ctx tc = { .s = out, .rules = rules };

	memset(out, 0, sizeof(*out));
	out->as_of = as_of;
	snprintf(out->profile, sizeof(out->profile), "%s", profile);
	if (window_figures(db, as_of, out, diag) ||
	    band_counts(db, profile, as_of, &out->now, &out->at_risk_count,
			&out->at_risk_arr, diag) ||
	    (out->now.scored && band_counts(db, profile, week_before(out->now.date),
					    &out->week_ago, NULL, NULL, diag)) ||
	    at_risk(db, out, diag) ||
	    cs_themes(db, as_of - (CS_SUMMARY_THEME_DAYS - 1), as_of, add_theme, &tc, diag) < 0)
		return -1;
	return 0;
}
