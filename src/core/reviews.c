/* reviews.c — business reviews and their cadence. See reviews.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/reviews.h"
#include "casey/tiers.h"
#include "casey/value.h"

int cs_review_cadence(const struct cs_tiers *tiers, const char *segment, bool arr_known,
		      double arr, char *tier)
{
	int t = cs_tier_of(tiers, segment, arr_known, arr);

	if (tier)
		snprintf(tier, 32, "%s", t >= 0 ? tiers->t[t].name : "");
	return t >= 0 && tiers->t[t].review_days > 0 ? tiers->t[t].review_days : 0;
}

/*
 * casey_review_days(segment, arr): cs_review_cadence() for SQL. A run asks
 * it for every customer, whose segments are a handful of texts: the tier
 * each names (cs_tier_find(), which normalises) is remembered by text.
 */
#define SEGMENTS_KEPT 8

struct review_days {
	const struct cs_tiers *tiers;
	int n;
	struct {
		char text[32];
		int tier;		/* cs_tier_find(): -1 when it names none */
	} seg[SEGMENTS_KEPT];
};

static int segment_tier(struct review_days *rd, const char *segment)
{
	int i, t;

	if (!segment)
		return -1;
	for (i = 0; i < rd->n; i++)
		if (!strcmp(rd->seg[i].text, segment))
			return rd->seg[i].tier;
	t = cs_tier_find(rd->tiers, segment);
	if (rd->n < SEGMENTS_KEPT && strlen(segment) < sizeof(rd->seg[0].text)) {
		snprintf(rd->seg[rd->n].text, sizeof(rd->seg[0].text), "%s", segment);
		rd->seg[rd->n++].tier = t;
	}
	return t;
}

static void sql_review_days(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct review_days *rd = sqlite3_user_data(ctx);
	bool known = sqlite3_value_type(argv[1]) != SQLITE_NULL;
	int t = segment_tier(rd, (const char *)sqlite3_value_text(argv[0]));

	(void)argc;
	if (t < 0)
		t = cs_tier_of_arr(rd->tiers, known, known ? sqlite3_value_double(argv[1]) : 0);
	sqlite3_result_int(ctx, t >= 0 && rd->tiers->t[t].review_days > 0 ?
			   rd->tiers->t[t].review_days : 0);
}

/* casey_review_days() and casey_tier() on db, for the statements below. */
static int register_sql(sqlite3 *db, const struct cs_tiers *tiers, struct cs_diag *diag)
{
	struct review_days *rd = calloc(1, sizeof(*rd));

	if (!rd)
		return cs_error(diag, "out of memory");
	rd->tiers = tiers;
	/* the function owns rd: freed when replaced or taken back */
	if (sqlite3_create_function_v2(db, "casey_review_days", 2,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC, rd, sql_review_days,
				       NULL, NULL, free) != SQLITE_OK)
		return cs_db_error(db, diag, "registering casey_review_days()");
	return cs_tiers_sql(db, tiers, diag);
}

/*
 * The due date of one customer's next review: the cadence after its last
 * review, else after it became a customer. Shared by cs_review_due(), the
 * resolution after a review is logged, and the actions of a run.
 */
#define DUE_SQL \
	"date(coalesce((SELECT max(r.date) FROM business_reviews r" \
	"  WHERE r.customer_id = c.customer_id), c.created_at)," \
	"  '+' || casey_review_days(c.segment, c.arr) || ' days')"

int cs_review_due(sqlite3 *db, const struct cs_tiers *tiers, const char *customer_id,
		  int32_t day, struct cs_review_due *out, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT c.segment, c.arr, c.status,"
		" (SELECT max(r.date) FROM business_reviews r WHERE r.customer_id = c.customer_id),"
		" " DUE_SQL
		" FROM customers c WHERE c.customer_id = ?1";
	sqlite3_stmt *st;
	char d[11];
	int rc;

	memset(out, 0, sizeof(*out));
	if (register_sql(db, tiers, diag) || cs_db_prepare(db, sql, &st, diag, "business reviews"))
		return -1;
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		bool known = sqlite3_column_type(st, 1) != SQLITE_NULL;
		const char *status = (const char *)sqlite3_column_text(st, 2);

		out->cadence = cs_review_cadence(tiers, (const char *)sqlite3_column_text(st, 0),
						 known, sqlite3_column_double(st, 1), out->tier);
		cs_db_col_text(st, 3, out->last, sizeof(out->last));
		if (status && !strcmp(status, "churned"))
			out->cadence = 0;
		if (out->cadence)
			cs_db_col_text(st, 4, out->next, sizeof(out->next));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no customer '%s'", customer_id);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading the next business review");
	cs_format_day(day, d);
	out->overdue = out->next[0] && strcmp(out->next, d) < 0;
	return 0;
}

/* A text of the input into a malloc'd, checked copy (NULL stays NULL). */
static int checked(const char *in, bool multiline, size_t max, const char *what, char **out,
		   struct cs_diag *diag)
{
	*out = NULL;
	if (!in)
		return 0;
	*out = malloc(max + 1);
	if (!*out)
		return cs_error(diag, "out of memory");
	return cs_plan_text(in, multiline, max, *out, what, diag);
}

int cs_review_log(sqlite3 *db, const struct cs_plans_def *def, const struct cs_tiers *tiers,
		  const struct cs_review_input *in, int32_t day, int64_t *id, long *resolved,
		  struct cs_diag *diag)
{
	static const char insert[] =
		"INSERT INTO business_reviews (customer_id, type, date, attendees, achievements,"
		" challenges, decisions, action_items, rating, logged_at)"
		" SELECT customer_id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM customers"
		" WHERE customer_id = ?1";
	/* The review action of the customer, when its next review is no longer overdue. */
	static const char resolve[] =
		"UPDATE actions SET status = 'resolved', resolved_at = ?2,"
		" outcome = 'business review logged'"
		" WHERE status NOT IN ('resolved','dismissed') AND rule_key = 'review:' || ?1"
		"   AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.customer_id = ?1"
		"     AND casey_review_days(c.segment, c.arr) > 0 AND " DUE_SQL " < ?2)"
		" RETURNING action_id";
	static const char *const names[] = { "attendees", "achievements", "challenges",
					     "decisions", "action items" };
	const char *texts[5] = { in->attendees, in->achievements, in->challenges, in->decisions,
				 in->action_items };
	char *clean[5] = { NULL };
	char d[11], date[11];
	sqlite3_stmt *st = NULL;
	int rc = -1, i;

	if (resolved)
		*resolved = 0;
	if (cs_review_type_find(def, in->type) < 0) {
		char keys[400];

		cs_review_type_keys(def, keys, sizeof(keys));
		return cs_error(diag, "'%s' is not a business-review type (%s)",
				in->type ? in->type : "", keys);
	}
	cs_format_day(day, d);
	cs_format_day(in->date, date);
	if (in->date > day)
		return cs_error(diag, "the review date %s is after the as-of date %s", date, d);
	if (in->rating && (in->rating < CS_REVIEW_RATING_MIN || in->rating > CS_REVIEW_RATING_MAX))
		return cs_error(diag, "the rating is %d..%d, not %d", CS_REVIEW_RATING_MIN,
				CS_REVIEW_RATING_MAX, in->rating);
	for (i = 0; i < 5; i++)
		if (checked(texts[i], i > 0, i ? CS_REVIEW_TEXT_MAX : CS_REVIEW_ATTENDEES_MAX,
			    names[i], &clean[i], diag))
			goto out;
	if (register_sql(db, tiers, diag) || cs_db_begin(db, diag))
		goto out;
	if (cs_db_prepare(db, insert, &st, diag, "business reviews"))
		goto fail;
	sqlite3_bind_text(st, 1, in->customer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, in->type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
	for (i = 0; i < 5; i++)
		cs_db_bind_text_or_null(st, 4 + i, clean[i]);
	if (in->rating)
		sqlite3_bind_int(st, 9, in->rating);
	sqlite3_bind_text(st, 10, d, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE) {
		cs_db_error(db, diag, "logging a business review");
		goto fail;
	}
	if (!sqlite3_changes(db)) {
		cs_error(diag, "no customer '%s'", in->customer_id);
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(db);
	sqlite3_finalize(st);
	if (cs_db_prepare(db, resolve, &st, diag, "business reviews"))
		goto fail;
	sqlite3_bind_text(st, 1, in->customer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, d, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (resolved)
			*resolved = (long)sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE) {
		cs_db_error(db, diag, "resolving the business review's action");
		rc = -1;
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = cs_db_commit(db, diag);
	goto out;
fail:
	rc = -1;
	sqlite3_finalize(st);
	st = NULL;
	cs_db_rollback(db);
out:
	sqlite3_finalize(st);
	for (i = 0; i < 5; i++)
		free(clean[i]);
	return rc;
}

int cs_review_load(sqlite3 *db, int64_t id, struct cs_review *r, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT r.review_id, r.customer_id, c.name, r.type, r.date, r.logged_at,"
		" r.attendees, r.achievements, r.challenges, r.decisions, r.action_items,"
		" coalesce(r.rating, 0)"
		" FROM business_reviews r JOIN customers c USING (customer_id)"
		" WHERE r.review_id = ?1";
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	if (cs_db_prepare(db, sql, &st, diag, "business reviews"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		cs_db_col_text(st, 1, r->customer_id, sizeof(r->customer_id));
		cs_db_col_text(st, 2, r->customer_name, sizeof(r->customer_name));
		cs_db_col_text(st, 3, r->type, sizeof(r->type));
		cs_db_col_text(st, 4, r->date, sizeof(r->date));
		cs_db_col_text(st, 5, r->logged_at, sizeof(r->logged_at));
		cs_db_col_text(st, 6, r->attendees, sizeof(r->attendees));
		cs_db_col_text(st, 7, r->achievements, sizeof(r->achievements));
		cs_db_col_text(st, 8, r->challenges, sizeof(r->challenges));
		cs_db_col_text(st, 9, r->decisions, sizeof(r->decisions));
		cs_db_col_text(st, 10, r->action_items, sizeof(r->action_items));
		r->rating = sqlite3_column_int(st, 11);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no review %lld", (long long)id);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "reading a business review");
}

int cs_reviews_list(sqlite3 *db, const char *customer_id, int max,
		    struct cs_review_summary **out, int *n, struct cs_diag *diag)
{
	/*
	 * One customer's (the detail screen) through their index: "?1 IS NULL
	 * OR customer_id = ?1" sorted every review (a quarter of a second at
	 * a million customers).
	 */
#define REVIEWS_SQL(FILTER) \
		"SELECT r.review_id, r.customer_id, c.name, r.type, r.date, coalesce(r.rating, 0)," \
		" coalesce(r.attendees, '')" \
		" FROM business_reviews r JOIN customers c USING (customer_id)" \
		" WHERE " FILTER \
		" ORDER BY r.date DESC, r.review_id DESC LIMIT ?2"
	static const char *const sql[2] = { REVIEWS_SQL("1"), REVIEWS_SQL("r.customer_id = ?1") };
#undef REVIEWS_SQL
	struct cs_review_summary *rows = NULL, *grown;
	sqlite3_stmt *st;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (cs_db_prepare(db, sql[customer_id != NULL], &st, diag, "business reviews"))
		return -1;
	cs_db_bind_text_or_null(st, 1, customer_id);
	sqlite3_bind_int(st, 2, max > 0 ? max : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_review_summary *r;

		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(rows, (size_t)cap * sizeof(*rows));
			if (!grown) {
				sqlite3_finalize(st);
				free(rows);
				*n = 0;
				return cs_error(diag, "out of memory");
			}
			rows = grown;
		}
		r = &rows[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		cs_db_col_text(st, 1, r->customer_id, sizeof(r->customer_id));
		cs_db_col_text(st, 2, r->customer_name, sizeof(r->customer_name));
		cs_db_col_text(st, 3, r->type, sizeof(r->type));
		cs_db_col_text(st, 4, r->date, sizeof(r->date));
		r->rating = sqlite3_column_int(st, 5);
		cs_db_col_text(st, 6, r->attendees, sizeof(r->attendees));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(rows);
		*n = 0;
		return cs_db_error(db, diag, "listing business reviews");
	}
	*out = rows;
	return 0;
}

#define REVIEW_SEEN "9999-12-31"

/* One overdue review found by cs_reviews_due_find(): texts in the arena. */
enum { DUE_KEY, DUE_CUSTOMER, DUE_REASON, DUE_OWNER, DUE_AT, DUE_EVIDENCE, DUE_TEXTS };

struct due_row {
	size_t text[DUE_TEXTS];		/* offsets into cs_reviews_due.arena */
	bool has_arr;
	double arr;
};

struct cs_reviews_due {
	char day[11];
	struct due_row *rows;
	size_t n, cap;
	char *arena;
	size_t len, size;
};

void cs_reviews_due_free(struct cs_reviews_due *due)
{
	if (!due)
		return;
	free(due->rows);
	free(due->arena);
	free(due);
}

/* Keep text (NULL as "") in the arena; its offset, or (size_t)-1 when out of memory. */
static size_t keep_text(struct cs_reviews_due *due, const unsigned char *text)
{
	size_t n = text ? strlen((const char *)text) : 0, at = due->len;

	if (due->len + n + 1 > due->size) {
		size_t size = due->size ? due->size : 1 << 16;
		char *a;

		while (due->len + n + 1 > size)
			size *= 2;
		if (!(a = realloc(due->arena, size)))
			return (size_t)-1;
		due->arena = a;
		due->size = size;
	}
	memcpy(due->arena + at, n ? (const char *)text : "", n);
	due->arena[at + n] = '\0';
	due->len += n + 1;
	return at;
}

static int keep_row(struct cs_reviews_due *due, sqlite3_stmt *st)
{
	static const int cols[DUE_TEXTS] = { 0, 1, 3, 4, 5, 6 };	/* the SELECT's */
	struct due_row *r;

	if (due->n == due->cap) {
		size_t cap = due->cap ? 2 * due->cap : 256;
		struct due_row *rows = realloc(due->rows, cap * sizeof(*rows));

		if (!rows)
			return -1;
		due->rows = rows;
		due->cap = cap;
	}
	r = &due->rows[due->n];
	for (int i = 0; i < DUE_TEXTS; i++)
		if ((r->text[i] = keep_text(due, sqlite3_column_text(st, cols[i]))) == (size_t)-1)
			return -1;
	r->has_arr = sqlite3_column_type(st, 2) != SQLITE_NULL;
	r->arr = sqlite3_column_double(st, 2);
	due->n++;
	return 0;
}

/*
 * An overdue review stays due until a review is logged or imported, the
 * customer churns or changes tier, none of which a daily run can tell in
 * advance. Rewriting each open review action every day only to move its
 * last_seen to the run day (so that cs_action_store_close(), which
 * resolves the open actions last seen before the run day, leaves it) was
 * most of this pass's cost; so an open review action carries last_seen
 * REVIEW_SEEN, which that close never takes, and each pass:
 *
 *   1. finds every customer's overdue review (cs_reviews_due_find(): one
 *      pass over the customers, the latest review of each by one seek of
 *      the (customer_id, date) index rather than a grouping of every
 *      review, the cadence of its tier by function), which only reads, so
 *      `casey score` does it on a second connection (aside.h);
 *   2. puts them in temp.review_due and marks the open actions whose
 *      review is no longer overdue with last_seen '', so this run's close
 *      resolves them ("cleared: the rule no longer fires"), the same day a
 *      review history is imported;
 *   3. inserts the new ones and rewrites an existing one only when its
 *      reason, evidence, ARR, owner or due time changed.
 *
 * A run for a day before the latest scored day (a backfill) clears
 * nothing, as before, when every open action had been seen by that later
 * run: it skips step 2's marking.
 */
int cs_reviews_due_find(sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			struct cs_reviews_due **out, struct cs_diag *diag)
{
	/*
	 * Each step a co-routine: LIMIT -1 keeps SQLite from folding it into
	 * the next, which would call the cadence function and date() again
	 * for each use of their column.
	 */
	static const char due_sql[] =
		"WITH tiered AS (SELECT c.customer_id, c.arr, c.csm, c.segment,"
		"   date(c.created_at) AS since, casey_review_days(c.segment, c.arr) AS cadence"
		"   FROM customers c WHERE c.status <> 'churned' LIMIT -1),"
		" due AS (SELECT *, (SELECT max(r.date) FROM business_reviews r"
		"     WHERE r.customer_id = t.customer_id) AS last"
		"   FROM tiered t WHERE cadence > 0 LIMIT -1),"
		" late AS (SELECT *, date(coalesce(last, since), '+' || cadence || ' days') AS next"
		"   FROM due WHERE coalesce(last, since) IS NOT NULL LIMIT -1)"
		" SELECT 'review:' || customer_id, customer_id, arr,"
		"  'business review overdue since ' || next || ' (' || casey_tier(segment, arr)"
		"   || ': every ' || cadence || ' days; ' || CASE WHEN last IS NULL"
		"   THEN 'never reviewed, customer since ' || since ELSE 'last ' || last END || ')',"
		"  coalesce(csm, 'CSM'), next || ' 23:59:59',"
		"  'log it: casey review log ' || customer_id || ' TYPE --date YYYY-MM-DD'"
		"  FROM late WHERE next < ?1";
	struct cs_reviews_due *due = calloc(1, sizeof(*due));
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_NOMEM;

	*out = NULL;
	if (!due)
		return cs_error(diag, "out of memory");
	cs_format_day(day, due->day);
	if (register_sql(db, tiers, diag))
		goto out;
	if (cs_db_prepare(db, due_sql, &st, diag, "business reviews"))
		goto out;
	sqlite3_bind_text(st, 1, due->day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (keep_row(due, st)) {
			rc = SQLITE_NOMEM;
			break;
		}
	if (rc == SQLITE_NOMEM)
		cs_error(diag, "out of memory finding the overdue business reviews");
	else if (rc != SQLITE_DONE)
		cs_db_error(db, diag, "finding the overdue business reviews");
	sqlite3_finalize(st);
out:
	/* the SQL functions point at tiers: take them back before it goes */
	sqlite3_create_function(db, "casey_review_days", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	sqlite3_create_function(db, "casey_tier", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	if (rc != SQLITE_DONE) {
		cs_reviews_due_free(due);
		return -1;
	}
	*out = due;
	return 0;
}

long cs_reviews_due_raise(sqlite3 *db, const struct cs_reviews_due *due, struct cs_diag *diag)
{
	static const char table_sql[] =
		"DROP TABLE IF EXISTS temp.review_due;"
		"CREATE TEMP TABLE review_due (rule_key TEXT PRIMARY KEY, customer_id TEXT,"
		" arr REAL, reason TEXT, owner TEXT, due_at TEXT, evidence TEXT)";
	static const char fill_sql[] =
		"INSERT INTO temp.review_due (rule_key, customer_id, arr, reason, owner, due_at,"
		"  evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
	/* a backfill: the latest day scored is after day */
	static const char earlier_sql[] =
		"SELECT coalesce(max(as_of) > ?1, 0) FROM snapshot_stats";
	/* acted-on ones too: the close leaves them, a later pass may need them again */
	static const char stale_sql[] =
		"UPDATE actions SET last_seen = ''"
		" WHERE kind = 'business_review'"
		"   AND status IN ('open','draft','sent','acknowledged') AND last_seen <> ''"
		"   AND rule_key NOT IN (SELECT rule_key FROM temp.review_due)";
	static const char raise_sql[] =
		"INSERT INTO actions (kind, rule_key, customer_id, arr, reason, owner,"
		"  created_at, last_seen, due_at, evidence)"
		" SELECT 'business_review', rule_key, customer_id, arr, reason, owner, ?1,"
		"  '" REVIEW_SEEN "', due_at, evidence FROM temp.review_due WHERE true"
		" ON CONFLICT (rule_key) WHERE status NOT IN ('resolved','dismissed')"
		" DO UPDATE SET reason = excluded.reason, evidence = excluded.evidence,"
		"  arr = excluded.arr, owner = excluded.owner, due_at = excluded.due_at,"
		"  last_seen = excluded.last_seen"
		" WHERE (reason, evidence, arr, owner, due_at, last_seen) IS NOT"
		"  (excluded.reason, excluded.evidence, excluded.arr, excluded.owner,"
		"   excluded.due_at, excluded.last_seen)";
	static const char what[] = "raising the overdue business reviews' actions";
	static const char *const steps[] = { earlier_sql, stale_sql, raise_sql };
	static const int cols[DUE_TEXTS] = { 1, 2, 4, 5, 6, 7 };	/* fill_sql's */
	bool earlier = false;
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	if (sqlite3_exec(db, table_sql, NULL, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, what);
	if (cs_db_prepare(db, fill_sql, &st, diag, "business reviews")) {
		rc = SQLITE_ERROR;
		goto out;
	}
	for (size_t i = 0; i < due->n && rc == SQLITE_DONE; i++) {
		const struct due_row *r = &due->rows[i];

		sqlite3_reset(st);
		for (int k = 0; k < DUE_TEXTS; k++)
			sqlite3_bind_text(st, cols[k], due->arena + r->text[k], -1, SQLITE_STATIC);
		if (r->has_arr)
			sqlite3_bind_double(st, 3, r->arr);
		else
			sqlite3_bind_null(st, 3);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < sizeof(steps) / sizeof(*steps) && rc == SQLITE_DONE; i++) {
		if (steps[i] == stale_sql && earlier)
			continue;
		if (cs_db_prepare(db, steps[i], &st, diag, "business reviews")) {
			sqlite3_exec(db, "DROP TABLE temp.review_due", NULL, NULL, NULL);
			return -1;
		}
		if (steps[i] != stale_sql)
			sqlite3_bind_text(st, 1, due->day, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (steps[i] == earlier_sql && rc == SQLITE_ROW) {
			earlier = sqlite3_column_int(st, 0);
			rc = sqlite3_step(st);
		}
		sqlite3_finalize(st);
	}
	if (rc != SQLITE_DONE)
		cs_db_error(db, diag, what);
out:
	if (sqlite3_exec(db, "DROP TABLE temp.review_due", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == SQLITE_DONE) {
		cs_db_error(db, diag, what);
		rc = SQLITE_ERROR;
	}
	return rc == SQLITE_DONE ? (long)due->n : -1;
}

long cs_reviews_raise_actions(sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			      struct cs_diag *diag)
{
	struct cs_reviews_due *due;
	long n;

	if (cs_reviews_due_find(db, tiers, day, &due, diag))
		return -1;
	n = cs_reviews_due_raise(db, due, diag);
	cs_reviews_due_free(due);
	return n;
}

long cs_success_raise_actions(sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			      struct cs_diag *diag)
{
	long plans, reviews = -1;

	if ((plans = cs_plans_raise_actions(db, day, diag)) >= 0 &&
	    (reviews = cs_reviews_raise_actions(db, tiers, day, diag)) >= 0)
		reviews += plans;
	return reviews;
}
