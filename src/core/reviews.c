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

/* casey_review_days(segment, arr): cs_review_cadence() for SQL. */
static void sql_review_days(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct cs_tiers *tiers = sqlite3_user_data(ctx);
	bool known = sqlite3_value_type(argv[1]) != SQLITE_NULL;

	(void)argc;
	sqlite3_result_int(ctx, cs_review_cadence(tiers, (const char *)sqlite3_value_text(argv[0]),
						   known, known ? sqlite3_value_double(argv[1]) : 0,
						   NULL));
}

/* casey_review_days() and casey_tier() on db, for the statements below. */
static int register_sql(sqlite3 *db, const struct cs_tiers *tiers, struct cs_diag *diag)
{
	if (sqlite3_create_function(db, "casey_review_days", 2,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC, (void *)tiers,
				    sql_review_days, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "registering casey_review_days()");
	return cs_tiers_sql(db, tiers, diag);
}

static int prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct cs_diag *diag)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return cs_db_error(db, diag, "business reviews");
	}
	return 0;
}

static void col_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", s ? (const char *)s : "");
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
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
	if (register_sql(db, tiers, diag) || prepare(db, sql, &st, diag))
		return -1;
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		bool known = sqlite3_column_type(st, 1) != SQLITE_NULL;
		const char *status = (const char *)sqlite3_column_text(st, 2);

		out->cadence = cs_review_cadence(tiers, (const char *)sqlite3_column_text(st, 0),
						 known, sqlite3_column_double(st, 1), out->tier);
		col_text(st, 3, out->last, sizeof(out->last));
		if (status && !strcmp(status, "churned"))
			out->cadence = 0;
		if (out->cadence)
			col_text(st, 4, out->next, sizeof(out->next));
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
	if (prepare(db, insert, &st, diag))
		goto fail;
	sqlite3_bind_text(st, 1, in->customer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, in->type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, date, -1, SQLITE_TRANSIENT);
	for (i = 0; i < 5; i++)
		bind_text_or_null(st, 4 + i, clean[i]);
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
	if (prepare(db, resolve, &st, diag))
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
	if (prepare(db, sql, &st, diag))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r->id = sqlite3_column_int64(st, 0);
		col_text(st, 1, r->customer_id, sizeof(r->customer_id));
		col_text(st, 2, r->customer_name, sizeof(r->customer_name));
		col_text(st, 3, r->type, sizeof(r->type));
		col_text(st, 4, r->date, sizeof(r->date));
		col_text(st, 5, r->logged_at, sizeof(r->logged_at));
		col_text(st, 6, r->attendees, sizeof(r->attendees));
		col_text(st, 7, r->achievements, sizeof(r->achievements));
		col_text(st, 8, r->challenges, sizeof(r->challenges));
		col_text(st, 9, r->decisions, sizeof(r->decisions));
		col_text(st, 10, r->action_items, sizeof(r->action_items));
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
	static const char sql[] =
		"SELECT r.review_id, r.customer_id, c.name, r.type, r.date, coalesce(r.rating, 0),"
		" coalesce(r.attendees, '')"
		" FROM business_reviews r JOIN customers c USING (customer_id)"
		" WHERE ?1 IS NULL OR r.customer_id = ?1"
		" ORDER BY r.date DESC, r.review_id DESC LIMIT ?2";
	struct cs_review_summary *rows = NULL, *grown;
	sqlite3_stmt *st;
	int cap = 0, rc;

	*out = NULL;
	*n = 0;
	if (prepare(db, sql, &st, diag))
		return -1;
	bind_text_or_null(st, 1, customer_id);
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
		col_text(st, 1, r->customer_id, sizeof(r->customer_id));
		col_text(st, 2, r->customer_name, sizeof(r->customer_name));
		col_text(st, 3, r->type, sizeof(r->type));
		col_text(st, 4, r->date, sizeof(r->date));
		r->rating = sqlite3_column_int(st, 5);
		col_text(st, 6, r->attendees, sizeof(r->attendees));
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

long cs_reviews_raise_actions(sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			      struct cs_diag *diag)
{
	/*
	 * One pass over the customers: the latest review of each from the
	 * (customer_id, date) index, the cadence of its tier by function.
	 */
	static const char sql[] =
		"WITH last AS (SELECT customer_id, max(date) AS d FROM business_reviews"
		"              GROUP BY customer_id),"
		" due AS (SELECT c.customer_id, c.arr, c.csm, c.segment, date(c.created_at) AS since,"
		"   l.d AS last, casey_review_days(c.segment, c.arr) AS cadence"
		"   FROM customers c LEFT JOIN last l USING (customer_id)"
		"  WHERE c.status <> 'churned'),"
		" late AS (SELECT *, date(coalesce(last, since), '+' || cadence || ' days') AS next"
		"   FROM due WHERE cadence > 0 AND coalesce(last, since) IS NOT NULL)"
		"INSERT INTO actions (kind, rule_key, customer_id, arr, reason, owner,"
		"  created_at, last_seen, due_at, evidence)"
		" SELECT 'business_review', 'review:' || customer_id, customer_id, arr,"
		"  'business review overdue since ' || next || ' (' || casey_tier(segment, arr)"
		"   || ': every ' || cadence || ' days; ' || CASE WHEN last IS NULL"
		"   THEN 'never reviewed, customer since ' || since ELSE 'last ' || last END || ')',"
		"  coalesce(csm, 'CSM'), ?1, ?1, next || ' 23:59:59',"
		"  'log it: casey review log ' || customer_id || ' TYPE --date YYYY-MM-DD'"
		"  FROM late WHERE next < ?1"
		" ON CONFLICT (rule_key) WHERE status NOT IN ('resolved','dismissed')"
		" DO UPDATE SET reason = excluded.reason, evidence = excluded.evidence,"
		"  arr = excluded.arr, owner = excluded.owner, due_at = excluded.due_at,"
		"  last_seen = max(last_seen, excluded.last_seen)";
	/*
	 * An earlier run of the same day raised these: they count as seen the
	 * day before until the statement above raises them again, so that
	 * cs_action_store_close() clears the ones no longer overdue (a review
	 * history imported since) without waiting for the next day.
	 */
	static const char rerun[] =
		"UPDATE actions SET last_seen = date(?1, '-1 day')"
		" WHERE status = 'open' AND kind = 'business_review' AND last_seen = ?1";
	sqlite3_stmt *st;
	char d[11];
	int rc;

	cs_format_day(day, d);
	if (register_sql(db, tiers, diag) || prepare(db, rerun, &st, diag))
		return -1;
	sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "raising the overdue business reviews' actions");
	if (prepare(db, sql, &st, diag))
		return -1;
	sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "raising the overdue business reviews' actions");
	return sqlite3_changes(db);
}

long cs_success_raise_actions(sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			      struct cs_diag *diag)
{
	long plans, reviews = -1;

	if ((plans = cs_plans_raise_actions(db, day, diag)) >= 0 &&
	    (reviews = cs_reviews_raise_actions(db, tiers, day, diag)) >= 0)
		reviews += plans;
	/* the SQL functions point at tiers: take them back before it goes */
	sqlite3_create_function(db, "casey_review_days", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	sqlite3_create_function(db, "casey_tier", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	return reviews;
}
