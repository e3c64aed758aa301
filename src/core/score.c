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
	/* Whole numbers (points, counts, days) are most values: no printf. */
	if (v == floor(v) && fabs(v) < 1e6 && size >= 9) {
		char tmp[8];
		long n = (long)(v < 0 ? -v : v);
		int k = 0, len = 0;

		do {
			tmp[k++] = (char)('0' + n % 10);
			n /= 10;
		} while (n);
		if (v < 0)
			buf[len++] = '-';
		while (k)
			buf[len++] = tmp[--k];
		buf[len] = '\0';
		return len;
	}
	return snprintf(buf, size, "%.6g", v);
}

/*
 * A snapshot's breakdown is stored compact: the names and the profile's
 * weights once per run, as its layout (snapshot_stats.layout), and in
 * each row only the values, in the layout's order:
 *   components  "points[:weight];..."     ("-" for an excluded one)
 *   measures    "raw:points[:weight];..."  (raw "-" when missing, points
 *                                           "-" when excluded)
 * with a weight only where it differs from the layout's (renormalised
 * around something missing). A day of snapshots takes half the space it
 * took when every row spelled out every name and weight, as rows written
 * before migration 14 still do; snapshot.c reads both.
 */

/* Append text to buf[*n..size), keeping it terminated; stops when full. */
static void put(char *buf, size_t size, size_t *n, const char *text, size_t len)
{
	if (*n + len >= size)
		len = *n + 1 < size ? size - *n - 1 : 0;
	memcpy(buf + *n, text, len);
	*n += len;
	buf[*n] = '\0';
}

static void put_num(char *buf, size_t size, size_t *n, double v)
{
	char t[32];

	put(buf, size, n, t, (size_t)num(t, sizeof(t), v));
}

static void put_str(char *buf, size_t size, size_t *n, const char *text)
{
	put(buf, size, n, text, strlen(text));
}

void cs_score_layout(const struct cs_profile *p, char *out, size_t size)
{
	size_t n = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < p->ncomps; i++) {
		if (i)
			put_str(out, size, &n, ";");
		put_str(out, size, &n, p->comps[i].name);
		put_str(out, size, &n, ":");
		put_num(out, size, &n, p->comps[i].weight);
	}
	put_str(out, size, &n, "|");
	for (i = 0; i < p->nmeasures; i++) {
		if (i)
			put_str(out, size, &n, ";");
		put_str(out, size, &n, p->comps[p->measures[i].component].name);
		put_str(out, size, &n, ".");
		put_str(out, size, &n, p->measures[i].name);
		put_str(out, size, &n, ":");
		put_num(out, size, &n, p->measures[i].weight);
	}
}

void cs_score_encode(const struct cs_profile *p, const struct cs_score *s,
		     char *components, size_t csize, char *measures, size_t msize)
{
	size_t n = 0;
	int i;

	components[0] = measures[0] = '\0';
	for (i = 0; i < p->ncomps; i++) {
		if (i)
			put(components, csize, &n, ";", 1);
		if (s->comp_excluded[i])
			put(components, csize, &n, "-", 1);
		else
			put_num(components, csize, &n, s->comp[i]);
		if (s->comp_weight[i] != p->comps[i].weight) {
			put(components, csize, &n, ":", 1);
			put_num(components, csize, &n, s->comp_weight[i]);
		}
	}
	n = 0;
	for (i = 0; i < p->nmeasures; i++) {
		const struct cs_measure_score *ms = &s->ms[i];

		if (i)
			put(measures, msize, &n, ";", 1);
		if (ms->present)
			put_num(measures, msize, &n, ms->raw);
		else
			put(measures, msize, &n, "-", 1);
		put(measures, msize, &n, ":", 1);
		if (ms->excluded)
			put(measures, msize, &n, "-", 1);
		else
			put_num(measures, msize, &n, ms->points);
		if (ms->weight != p->measures[i].weight) {
			put(measures, msize, &n, ":", 1);
			put_num(measures, msize, &n, ms->weight);
		}
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
		       const struct cs_score_stats *st, const char *layout, struct cs_diag *diag)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO snapshot_stats (profile, as_of, customers, green,"
		" yellow, red, average, at_risk, at_risk_arr, layout)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
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
	sqlite3_bind_text(s, 10, layout, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "storing the run's totals");
}

/*
 * A customer's snapshot row, as written: the values of the insert's
 * columns, copied out of the reader's ring slot (reused once the customer
 * is done) so the first run of a day can write SNAP_BATCH rows with one
 * statement.
 */
/* A snapshot's encoded breakdown (cs_score_encode), components and measures. */
#define SNAP_COMPS_MAX 512
#define SNAP_MEASURES_MAX 2048

struct snap_row {
	char customer_id[sizeof(((struct cs_customer_metrics *)0)->customer_id)];
	int score;
	enum cs_band band;
	bool has_comp[3];
	double comp[3];			/* engagement, sentiment, growth */
	double coverage;
	bool has_before;		/* a snapshot about 30 days before: delta30 */
	int delta30;
	bool at_risk;
	bool has_arr;
	double arr;
	const char *comps, *measures;
	char comps_buf[SNAP_COMPS_MAX], measures_buf[SNAP_MEASURES_MAX];	/* the first run's copies */
};

/*
 * Rows per statement on the first run of a day. One statement a row paid
 * its start and end for each of a million customers; 16 at a time cut the
 * snapshots' share of the writer by a third (1M, inserting one day's rows
 * alone: 4.70 s one a row, 3.08 s 16 a row, 2.96 s 64 a row). INSERT OR
 * FAIL, with the foreign keys off for the run (cs_score_run), needs no
 * statement journal, which a multi-row INSERT that may abort halfway keeps
 * in a temporary file. A failure still fails the run, which rolls back.
 */
#define SNAP_BATCH 16
#define SNAP_COLS 17

struct run {
	sqlite3 *db;
	const struct cs_profile *p;
	struct cs_score_stats *stats;
	struct cs_diag *diag;
	sqlite3_stmt *insert, *gone, *batch;
	bool first;		/* no snapshot of the profile and day yet */
	struct cs_score_hooks hooks;
	int comp_default[3];	/* engagement, sentiment, growth: component index or -1 */
	char day[11];
	double sum;
	struct snap_row *pending;	/* the first run's rows not yet written */
	int npending;
};

/*
 * One customer's score, worked out on the metrics reader's thread (see
 * metrics.h): everything but the writing. The hooks' own work follows.
 */
struct score_work {
	bool churned;
	int before;		/* the earlier snapshot's score, -1 if none */
	struct cs_score s;
	char comps[SNAP_COMPS_MAX], measures[SNAP_MEASURES_MAX];
};
#define HOOK_WORK_AT CS_WORK_ALIGN(sizeof(struct score_work))

/* A customer's snapshot, its columns in the order bind_row() binds them. */
#define INSERT_COLS \
	" INTO snapshots (customer_id, as_of, profile, profile_version," \
	" score, band, engagement, sentiment, growth, coverage, delta30, trend, drop20," \
	" components, measures, at_risk, arr) VALUES "
#define ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
#define ROWS4 ROW "," ROW "," ROW "," ROW
static const char insert_sql[] = "INSERT" INSERT_COLS ROW;
/* SNAP_BATCH rows (see there for OR FAIL) */
static const char batch_sql[] = "INSERT OR FAIL" INSERT_COLS ROWS4 "," ROWS4 "," ROWS4 ","
	ROWS4;
/* ... replacing an earlier run's row only where it differs */
static const char upsert_sql[] = "INSERT" INSERT_COLS ROW
	" ON CONFLICT (profile, as_of, customer_id) DO UPDATE SET"
	"  profile_version = excluded.profile_version, score = excluded.score,"
	"  band = excluded.band, engagement = excluded.engagement,"
	"  sentiment = excluded.sentiment, growth = excluded.growth,"
	"  coverage = excluded.coverage, delta30 = excluded.delta30,"
	"  trend = excluded.trend, drop20 = excluded.drop20,"
	"  components = excluded.components, measures = excluded.measures,"
	"  at_risk = excluded.at_risk, arr = excluded.arr"
	" WHERE (profile_version, score, band, engagement, sentiment, growth, coverage,"
	"        delta30, trend, drop20, components, measures, at_risk, arr)"
	"  IS NOT (excluded.profile_version, excluded.score, excluded.band,"
	"        excluded.engagement, excluded.sentiment, excluded.growth,"
	"        excluded.coverage, excluded.delta30, excluded.trend, excluded.drop20,"
	"        excluded.components, excluded.measures, excluded.at_risk, excluded.arr)";
#undef ROWS4
#undef ROW
#undef INSERT_COLS

/* Bind row's SNAP_COLS values from parameter base + 1 on. */
static void bind_row(const struct run *r, sqlite3_stmt *st, int base, const struct snap_row *row)
{
	int i;

	sqlite3_bind_text(st, base + 1, row->customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 2, r->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 3, r->p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 4, r->p->version, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, base + 5, row->score);
	sqlite3_bind_text(st, base + 6, cs_band_names[row->band], -1, SQLITE_STATIC);
	for (i = 0; i < 3; i++)
		if (row->has_comp[i])
			sqlite3_bind_double(st, base + 7 + i, row->comp[i]);
		else
			sqlite3_bind_null(st, base + 7 + i);
	sqlite3_bind_double(st, base + 10, row->coverage);
	if (row->has_before) {
		sqlite3_bind_int(st, base + 11, row->delta30);
		sqlite3_bind_text(st, base + 12, cs_trend_names[cs_trend_of(row->delta30)], -1,
				  SQLITE_STATIC);
		sqlite3_bind_int(st, base + 13, row->delta30 <= -CS_DROP_POINTS);
	} else {
		sqlite3_bind_null(st, base + 11);
		sqlite3_bind_text(st, base + 12, cs_trend_names[CS_STABLE], -1, SQLITE_STATIC);
		sqlite3_bind_int(st, base + 13, 0);
	}
	sqlite3_bind_text(st, base + 14, row->comps, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, base + 15, row->measures, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, base + 16, row->at_risk);
	if (row->has_arr)
		sqlite3_bind_double(st, base + 17, row->arr);
	else
		sqlite3_bind_null(st, base + 17);
}

/* Write one row with the single-row insert or upsert. */
static int write_row(struct run *r, const struct snap_row *row)
{
	sqlite3_reset(r->insert);
	bind_row(r, r->insert, 0, row);
	if (sqlite3_step(r->insert) != SQLITE_DONE)
		return cs_db_error(r->db, r->diag, "storing the snapshot");
	return 0;
}

/* Write the first run's pending rows: a full batch at once, else one by one. */
static int flush_rows(struct run *r)
{
	int i, n = r->npending;

	r->npending = 0;
	if (n == SNAP_BATCH) {
		sqlite3_reset(r->batch);
		for (i = 0; i < n; i++)
			bind_row(r, r->batch, i * SNAP_COLS, &r->pending[i]);
		if (sqlite3_step(r->batch) != SQLITE_DONE)
			return cs_db_error(r->db, r->diag, "storing the snapshot");
		return 0;
	}
	for (i = 0; i < n; i++)
		if (write_row(r, &r->pending[i]))
			return -1;
	return 0;
}

/* Whether the profile has a snapshot of the day: 1, 0, or -1 on error. */
static int day_scored(sqlite3 *db, const char *profile, const char *day)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM snapshots WHERE profile = ?1 AND as_of = ?2"
			       " LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* On the caller's thread, once the reader is going: the hooks' setup. */
static int score_begin(void *ctx)
{
	const struct run *r = ctx;

	return r->hooks.begin(r->hooks.ctx);
}

/* On the reader's thread: read-only use of the run, writes only to work. */
static int score_prepare(void *ctx, const struct cs_customer_metrics *cm, int earlier,
			 void *work)
{
	const struct run *r = ctx;
	struct score_work *w = work;

	w->churned = !strcmp(cm->status, "churned");
	if (w->churned)
		return 0;
	w->before = earlier;
	cs_profile_score(r->p, cm, &w->s);
	cs_score_encode(r->p, &w->s, w->comps, sizeof(w->comps), w->measures,
			sizeof(w->measures));
	if (r->hooks.prepare)
		return r->hooks.prepare(r->hooks.ctx, cm, &w->s, earlier >= 0,
					w->s.score - earlier, (char *)work + HOOK_WORK_AT);
	return 0;
}

static int score_one(void *ctx, const struct cs_customer_metrics *cm, void *work)
{
	struct run *r = ctx;
	const struct score_work *w = work;
	const struct cs_score *s = &w->s;
	int before = w->before, i;
	struct snap_row one, *row;
	bool at_risk;

	if (w->churned) {
		r->stats->skipped_churned++;
		if (r->first)
			return 0;
		/* An earlier run of the day may have scored them: not any more. */
		sqlite3_reset(r->gone);
		sqlite3_bind_text(r->gone, 3, cm->customer_id, -1, SQLITE_STATIC);
		if (sqlite3_step(r->gone) != SQLITE_DONE)
			return cs_db_error(r->db, r->diag, "replacing the earlier run");
		return 0;
	}
	at_risk = cs_is_at_risk(s->band, before >= 0, s->score - before);
	/* The first run's row waits for its batch, copied; a re-run's is written now. */
	row = r->first ? &r->pending[r->npending] : &one;
	snprintf(row->customer_id, sizeof(row->customer_id), "%s", cm->customer_id);
	row->score = s->score;
	row->band = s->band;
	for (i = 0; i < 3; i++) {
		int c = r->comp_default[i];

		row->has_comp[i] = c >= 0 && !s->comp_excluded[c];
		row->comp[i] = row->has_comp[i] ? s->comp[c] : 0;
	}
	row->coverage = s->coverage;
	row->has_before = before >= 0;
	row->delta30 = before >= 0 ? s->score - before : 0;
	row->at_risk = at_risk;
	row->has_arr = !isnan(cm->arr);
	row->arr = cm->arr;
	if (r->first) {
		memcpy(row->comps_buf, w->comps, sizeof(row->comps_buf));
		memcpy(row->measures_buf, w->measures, sizeof(row->measures_buf));
		row->comps = row->comps_buf;
		row->measures = row->measures_buf;
		if (++r->npending == SNAP_BATCH && flush_rows(r))
			return -1;
	} else {
		row->comps = w->comps;
		row->measures = w->measures;
		if (write_row(r, row))
			return -1;
	}
	if (r->hooks.on_scored &&
	    (i = r->hooks.on_scored(r->hooks.ctx, cm, s, before >= 0, s->score - before,
				    (char *)work + HOOK_WORK_AT)))
		return i;
	r->stats->scored++;
	r->sum += s->score;
	if (at_risk) {
		r->stats->at_risk++;
		if (!isnan(cm->arr))
			r->stats->at_risk_arr += cm->arr;
	}
	if (s->band == CS_GREEN)
		r->stats->green++;
	else if (s->band == CS_YELLOW)
		r->stats->yellow++;
	else
		r->stats->red++;
	return 0;
}

/* PRAGMA foreign_keys: 1, 0, or -1 on error. */
static int foreign_keys(sqlite3 *db)
{
	sqlite3_stmt *st;
	int on = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		on = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return on;
}

int cs_score_run(sqlite3 *db, const struct cs_profile *p, int32_t as_of,
		 struct cs_score_stats *stats, const struct cs_score_hooks *hooks,
		 struct cs_diag *diag)
{
	static const char *const defaults[3] = { "engagement", "sentiment", "growth" };
	struct run r = { .db = db, .p = p, .stats = stats, .diag = diag };
	struct cs_metrics_stage stage = { .prepare = score_prepare, .ctx = &r,
					  .profile = p->name };
	char before[11], layout[CS_LAYOUT_MAX];
	int i, c, fk, rc = -1;

	if (hooks)
		r.hooks = *hooks;
	stage.size = HOOK_WORK_AT + r.hooks.work_size;
	if (r.hooks.begin)
		stage.begin = score_begin;
	memset(stats, 0, sizeof(*stats));
	cs_format_day(as_of, r.day);
	for (i = 0; i < 3; i++) {
		r.comp_default[i] = -1;
		for (c = 0; c < p->ncomps; c++)
			if (!strcmp(p->comps[c].name, defaults[i]))
				r.comp_default[i] = c;
	}
	/*
	 * Every customer_id and action this run writes comes from the customers
	 * it reads under its own write lock (the reader's snapshot starts
	 * after it, metrics.h), so the parent-key checks can only pass; off,
	 * they let the snapshots go in SNAP_BATCH at a time without a
	 * statement journal. Set outside the transaction (SQLite ignores the
	 * pragma inside one), and back after it.
	 */
	if ((fk = foreign_keys(db)) < 0)
		return cs_db_error(db, diag, "scoring");
	if (fk && sqlite3_exec(db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "scoring");
	if (cs_db_begin(db, diag)) {
		if (fk)
			sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
		return -1;
	}
	/*
	 * A run replaces any earlier run of the same profile and day: each
	 * customer's row is written only when it differs from the one stored
	 * (re-scoring unchanged data rewrites nothing), and the customers it
	 * no longer scores (churned since) lose theirs. The first run of a day
	 * has nothing to compare with or remove: plain INSERTs, no upsert
	 * clause (its probe and comparison), no DELETE of the churned.
	 */
	if ((i = day_scored(db, p->name, r.day)) < 0) {
		cs_db_error(db, diag, "scoring");
		goto out;
	}
	r.first = i == 0;
	if (r.first && !(r.pending = malloc(SNAP_BATCH * sizeof(*r.pending)))) {
		cs_error(diag, "out of memory");
		goto out;
	}
	if (sqlite3_prepare_v2(db, "DELETE FROM snapshots WHERE profile = ?1 AND as_of = ?2"
			       " AND customer_id = ?3", -1, &r.gone, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, r.first ? insert_sql : upsert_sql, -1, &r.insert, NULL)
	    != SQLITE_OK ||
	    (r.first && sqlite3_prepare_v2(db, batch_sql, -1, &r.batch, NULL) != SQLITE_OK)) {
		cs_db_error(db, diag, "scoring");
		goto out;
	}
	sqlite3_bind_text(r.gone, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(r.gone, 2, r.day, -1, SQLITE_STATIC);
	/* The trend's earlier scores are read beside the metrics. */
	if ((i = earlier_date(db, p->name, as_of, before)) < 0) {
		cs_db_error(db, diag, "scoring");
		goto out;
	}
	if (i == 1)
		stage.earlier_day = before;
	if (cs_metrics_compute_staged(db, as_of, r.hooks.obs, &stage, score_one, &r, diag) ||
	    flush_rows(&r))
		goto out;
	stats->average = stats->scored ? r.sum / (double)stats->scored : 0;
	cs_score_layout(p, layout, sizeof(layout));
	if (store_stats(db, p->name, r.day, stats, layout, diag))
		goto out;
	rc = 0;
out:
	sqlite3_finalize(r.gone);
	sqlite3_finalize(r.insert);
	sqlite3_finalize(r.batch);
	free(r.pending);
	if (rc == 0)
		rc = cs_db_commit(db, diag);
	else
		cs_db_rollback(db);
	if (fk)
		sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return rc;
}
