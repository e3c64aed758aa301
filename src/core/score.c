/* score.c — scoring runs and snapshots. See score.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/metrics.h"
#include "casey/score.h"
#include "casey/value.h"

const char *const cs_trend_names[3] = { "stable", "improving", "declining" };

bool cs_is_at_risk(enum cs_band band, bool has_delta30, int delta30)
{
	return band == CS_RED ||
	       (band == CS_YELLOW && has_delta30 && cs_trend_of(delta30) == CS_DECLINING);
}

enum cs_trend cs_trend_of(int delta)
{
	if (delta >= CS_TREND_POINTS)
		return CS_IMPROVING;
	if (delta <= -CS_TREND_POINTS)
		return CS_DECLINING;
	return CS_STABLE;
}

/* "%g" that never writes "-0" or an exponent for the values we store. */
static int num(char *buf, size_t size, double v)
{
	if (fabs(v) < 5e-7)
		v = 0;
	return snprintf(buf, size, "%.6g", v);
}

void cs_score_encode(const struct cs_profile *p, const struct cs_score *s,
		     char *components, size_t csize, char *measures, size_t msize)
{
	size_t n = 0;
	int i;
	char a[32], b[32], c[32];

	components[0] = measures[0] = '\0';
	for (i = 0; i < p->ncomps && n < csize; i++) {
		if (s->comp_excluded[i])
			snprintf(a, sizeof(a), "-");
		else
			num(a, sizeof(a), s->comp[i]);
		num(c, sizeof(c), s->comp_weight[i]);
		n += (size_t)snprintf(components + n, csize - n, "%s%s=%s:%s",
				      i ? ";" : "", p->comps[i].name, a, c);
	}
	n = 0;
	for (i = 0; i < p->nmeasures && n < msize; i++) {
		const struct cs_measure *m = &p->measures[i];
		const struct cs_measure_score *ms = &s->ms[i];

		if (ms->present)
			num(a, sizeof(a), ms->raw);
		else
			snprintf(a, sizeof(a), "-");
		if (ms->excluded)
			snprintf(b, sizeof(b), "-");
		else
			num(b, sizeof(b), ms->points);
		num(c, sizeof(c), ms->weight);
		n += (size_t)snprintf(measures + n, msize - n, "%s%s.%s=%s:%s:%s",
				      i ? ";" : "", p->comps[m->component].name, m->name,
				      a, b, c);
	}
}

/* The date of the profile's snapshot closest to 30 days before as_of, if any. */
static int earlier_date(sqlite3 *db, const char *profile, int32_t as_of, char *out)
{
	static const char sql[] =
		"SELECT as_of FROM snapshots WHERE profile = ?1 AND as_of BETWEEN ?2 AND ?3"
		" GROUP BY as_of ORDER BY abs(julianday(as_of) - julianday(?4)), as_of DESC"
		" LIMIT 1";
	char lo[11], hi[11], target[11];
	sqlite3_stmt *st;
	int found = 0;

	cs_format_day(as_of - CS_TREND_LAG - CS_TREND_SLACK, lo);
	cs_format_day(as_of - CS_TREND_LAG + CS_TREND_SLACK, hi);
	cs_format_day(as_of - CS_TREND_LAG, target);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hi, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, target, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, 11, "%s", sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* The run's totals, so the summary never re-counts a million snapshots. */
static int store_stats(sqlite3 *db, const char *profile, const char *day,
		       const struct cs_score_stats *st, struct cs_diag *diag)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO snapshot_stats (profile, as_of, customers, green,"
		" yellow, red, average, at_risk, at_risk_arr)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "storing the run's totals");
	sqlite3_bind_text(s, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, st->scored);
	sqlite3_bind_int64(s, 4, st->green);
	sqlite3_bind_int64(s, 5, st->yellow);
	sqlite3_bind_int64(s, 6, st->red);
	if (st->scored)
		sqlite3_bind_double(s, 7, st->average);
	sqlite3_bind_int64(s, 8, st->at_risk);
	sqlite3_bind_double(s, 9, st->at_risk_arr);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "storing the run's totals");
}

struct run {
	sqlite3 *db;
	const struct cs_profile *p;
	struct cs_score_stats *stats;
	struct cs_diag *diag;
	sqlite3_stmt *insert, *earlier;
	cs_scored_cb on_scored;
	void *ctx;
	int earlier_rc;		/* merge-join state over the earlier snapshot */
	int comp_default[3];	/* engagement, sentiment, growth: component index or -1 */
	char day[11];
	double sum;
};

static int earlier_score(struct run *r, const char *id)
{
	while (r->earlier_rc == SQLITE_ROW) {
		int c = strcmp((const char *)sqlite3_column_text(r->earlier, 0), id);

		if (c == 0)
			return sqlite3_column_int(r->earlier, 1);
		if (c > 0)
			break;
		r->earlier_rc = sqlite3_step(r->earlier);
	}
	return -1;
}

static int score_one(void *ctx, const struct cs_customer_metrics *cm)
{
	struct run *r = ctx;
	struct cs_score s;
	char comps[512], measures[2048];
	int before, i;
	bool at_risk;
	sqlite3_stmt *st = r->insert;

	if (!strcmp(cm->status, "churned")) {
		r->stats->skipped_churned++;
		return 0;
	}
	cs_profile_score(r->p, cm, &s);
	cs_score_encode(r->p, &s, comps, sizeof(comps), measures, sizeof(measures));
	before = r->earlier ? earlier_score(r, cm->customer_id) : -1;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, cm->customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, s.score);
	sqlite3_bind_text(st, 3, cs_band_names[s.band], -1, SQLITE_STATIC);
	for (i = 0; i < 3; i++) {
		int c = r->comp_default[i];

		if (c >= 0 && !s.comp_excluded[c])
			sqlite3_bind_double(st, 4 + i, s.comp[c]);
		else
			sqlite3_bind_null(st, 4 + i);
	}
	sqlite3_bind_double(st, 7, s.coverage);
	if (before >= 0) {
		sqlite3_bind_int(st, 8, s.score - before);
		sqlite3_bind_text(st, 9, cs_trend_names[cs_trend_of(s.score - before)], -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(st, 10, s.score - before <= -CS_DROP_POINTS);
	} else {
		sqlite3_bind_null(st, 8);
		sqlite3_bind_text(st, 9, cs_trend_names[CS_STABLE], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 10, 0);
	}
	sqlite3_bind_text(st, 11, comps, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, measures, -1, SQLITE_STATIC);
	at_risk = cs_is_at_risk(s.band, before >= 0, s.score - before);
	sqlite3_bind_int(st, 16, at_risk);
	if (isnan(cm->arr))
		sqlite3_bind_null(st, 17);
	else
		sqlite3_bind_double(st, 17, cm->arr);
	if (sqlite3_step(st) != SQLITE_DONE)
		return cs_db_error(r->db, r->diag, "storing the snapshot");
	if (r->on_scored && (i = r->on_scored(r->ctx, cm, &s, before >= 0, s.score - before)))
		return i;
	r->stats->scored++;
	r->sum += s.score;
	if (at_risk) {
		r->stats->at_risk++;
		if (!isnan(cm->arr))
			r->stats->at_risk_arr += cm->arr;
	}
	if (s.band == CS_GREEN)
		r->stats->green++;
	else if (s.band == CS_YELLOW)
		r->stats->yellow++;
	else
		r->stats->red++;
	return 0;
}

int cs_score_run(sqlite3 *db, const struct cs_profile *p, int32_t as_of,
		 struct cs_score_stats *stats, cs_scored_cb on_scored, void *ctx,
		 struct cs_diag *diag)
{
	static const char *const defaults[3] = { "engagement", "sentiment", "growth" };
	struct run r = { .db = db, .p = p, .stats = stats, .diag = diag,
			 .on_scored = on_scored, .ctx = ctx };
	char before[11];
	sqlite3_stmt *del = NULL;
	int i, c, rc = -1;

	memset(stats, 0, sizeof(*stats));
	cs_format_day(as_of, r.day);
	for (i = 0; i < 3; i++) {
		r.comp_default[i] = -1;
		for (c = 0; c < p->ncomps; c++)
			if (!strcmp(p->comps[c].name, defaults[i]))
				r.comp_default[i] = c;
	}
	if (cs_db_begin(db, diag))
		return -1;
	if (sqlite3_prepare_v2(db, "DELETE FROM snapshots WHERE profile = ?1 AND as_of = ?2",
			       -1, &del, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
		"INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score,"
		" band, engagement, sentiment, growth, coverage, delta30, trend, drop20,"
		" components, measures, at_risk, arr) VALUES (?1, ?13, ?14, ?15, ?2, ?3, ?4,"
		" ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?16, ?17)", -1, &r.insert, NULL) != SQLITE_OK) {
		cs_db_error(db, diag, "scoring");
		goto out;
	}
	sqlite3_bind_text(del, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(del, 2, r.day, -1, SQLITE_STATIC);
	if (sqlite3_step(del) != SQLITE_DONE) {
		cs_db_error(db, diag, "replacing the earlier run");
		goto out;
	}
	sqlite3_bind_text(r.insert, 13, r.day, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.insert, 14, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.insert, 15, p->version, -1, SQLITE_STATIC);
	if (earlier_date(db, p->name, as_of, before) == 1) {
		if (sqlite3_prepare_v2(db, "SELECT customer_id, score FROM snapshots WHERE"
				       " profile = ?1 AND as_of = ?2 ORDER BY customer_id",
				       -1, &r.earlier, NULL) != SQLITE_OK) {
			cs_db_error(db, diag, "scoring");
			goto out;
		}
		sqlite3_bind_text(r.earlier, 1, p->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(r.earlier, 2, before, -1, SQLITE_STATIC);
		r.earlier_rc = sqlite3_step(r.earlier);
	}
	if (cs_metrics_compute(db, as_of, NULL, score_one, &r, diag))
		goto out;
	stats->average = stats->scored ? r.sum / (double)stats->scored : 0;
	if (store_stats(db, p->name, r.day, stats, diag))
		goto out;
	rc = 0;
out:
	sqlite3_finalize(del);
	sqlite3_finalize(r.insert);
	sqlite3_finalize(r.earlier);
	if (rc == 0)
		rc = cs_db_commit(db, diag);
	else
		cs_db_rollback(db);
	return rc;
}
