/*
 * test_reviews.c — business reviews (reviews.h): the next review's date
 * from each tier's cadence (assets/tiers.ini: Enterprise and Mid-Market 30
 * days, Small Business 90, Trial none) and its overdue edge, customers
 * never reviewed counting from created_at, the overdue-review actions
 * raised once and resolved by logging the review, and what is refused.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/plans.h"
#include "casey/reviews.h"
#include "casey/rules.h"
#include "casey/tiers.h"
#include "casey/value.h"

static struct cs_plans_def *def;
static struct cs_tiers *tiers;
static int32_t as_of;	/* 2026-11-20 */

static int setup(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	def = malloc(sizeof(*def));
	tiers = malloc(sizeof(*tiers));
	assert_non_null(def);
	assert_non_null(tiers);
	assert_int_equal(cs_plans_def_load(NULL, def, &d), 0);
	assert_int_equal(cs_tiers_load(NULL, tiers, &d), 0);
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(def);
	free(tiers);
	return 0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
}

static long q_long(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * The customers, one per case:
 *   ENT  Enterprise by segment, last review 2026-10-21: due 2026-11-20
 *   MID  Mid-Market by segment, never reviewed, customer since 2026-10-20: due 2026-11-19
 *   SMB  Small Business by segment, last 2026-08-21: due 2026-11-19
 *   SMB2 Small Business by segment, last 2026-08-23: due 2026-11-21
 *   TRI  Trial by segment: no cadence
 *   ARR1 no segment, ARR 100,000.00: Enterprise, created 2026-10-22: due 2026-11-21
 *   ARR2 no segment, ARR 99,999.99: Mid-Market, created 2026-10-21: due 2026-11-20
 *   UNK  no segment, unknown ARR: no tier
 *   OLD  Enterprise, never reviewed, no created_at: no due date
 *   GONE Enterprise, churned
 */
static sqlite3 *fresh_db(const char *name)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/%s", scratch_dir(), name);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	exec(db, "INSERT INTO customers (customer_id, name, segment, arr, csm, created_at, status)"
		 " VALUES ('ENT', 'Ent', 'Enterprise', 500000, 'Maya Chen', '2025-01-01', 'active'),"
		 " ('MID', 'Mid', 'Mid-Market', 50000, NULL, '2026-10-20', 'active'),"
		 " ('SMB', 'Smb', 'Small Business', 9000, 'Tom', '2024-01-01', 'active'),"
		 " ('SMB2', 'Smb2', 'small biz', 9000, 'Tom', '2024-01-01', 'active'),"
		 " ('TRI', 'Trial', 'Trial', 1000, 'Tom', '2020-01-01', 'active'),"
		 " ('ARR1', 'Arr1', NULL, 100000, 'Ana', '2026-10-22', 'active'),"
		 " ('ARR2', 'Arr2', NULL, 99999.99, 'Ana', '2026-10-21', 'active'),"
		 " ('UNK', 'Unk', NULL, NULL, 'Ana', '2020-01-01', 'active'),"
		 " ('OLD', 'Old', 'Enterprise', 200000, 'Ana', NULL, 'active'),"
		 " ('GONE', 'Gone', 'Enterprise', 200000, 'Ana', '2020-01-01', 'churned')");
	exec(db, "INSERT INTO business_reviews (customer_id, type, date, logged_at) VALUES"
		 " ('ENT', 'qbr', '2026-09-01', '2026-09-01'), ('ENT', 'qbr', '2026-10-21', '2026-10-21'),"
		 " ('SMB', 'qbr', '2026-08-21', '2026-08-21'), ('SMB2', 'qbr', '2026-08-23', '2026-08-23')");
	return db;
}

static void due(sqlite3 *db, const char *id, int32_t day, const char *tier, int cadence,
		const char *last, const char *next, bool overdue)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_review_due r;

	assert_int_equal(cs_review_due(db, tiers, id, day, &r, &d), 0);
	assert_string_equal(r.tier, tier);
	assert_int_equal(r.cadence, cadence);
	assert_string_equal(r.last, last);
	assert_string_equal(r.next, next);
	if (r.overdue != overdue)
		fprintf(stderr, "%s: overdue %d, expected %d\n", id, r.overdue, overdue);
	assert_true(r.overdue == overdue);
}

/* The next review from each tier's cadence, at its overdue edge. */
static void test_next_review(void **state)
{
	sqlite3 *db = fresh_db("due.db");

	(void)state;
	due(db, "ENT", as_of, "Enterprise", 30, "2026-10-21", "2026-11-20", false);
	due(db, "ENT", as_of + 1, "Enterprise", 30, "2026-10-21", "2026-11-20", true);
	due(db, "MID", as_of, "Mid-Market", 30, "", "2026-11-19", true);
	due(db, "MID", as_of - 1, "Mid-Market", 30, "", "2026-11-19", false);
	due(db, "SMB", as_of, "Small Business", 90, "2026-08-21", "2026-11-19", true);
	due(db, "SMB2", as_of, "Small Business", 90, "2026-08-23", "2026-11-21", false);
	due(db, "TRI", as_of, "Trial/Freemium", 0, "", "", false);
	due(db, "ARR1", as_of, "Enterprise", 30, "", "2026-11-21", false);
	due(db, "ARR2", as_of, "Mid-Market", 30, "", "2026-11-20", false);
	due(db, "ARR2", as_of + 1, "Mid-Market", 30, "", "2026-11-20", true);
	due(db, "UNK", as_of, "", 0, "", "", false);
	due(db, "OLD", as_of, "Enterprise", 30, "", "", false);
	due(db, "GONE", as_of, "Enterprise", 0, "", "", false);
	assert_int_equal(cs_review_cadence(tiers, "Mid-Market", true, 1, NULL), 30);
	assert_int_equal(cs_review_cadence(tiers, NULL, true, 24999.99, NULL), 90);
	assert_int_equal(cs_review_cadence(tiers, NULL, true, 4999.99, NULL), 0);
	cs_db_close(db);
}

static long run_day(sqlite3 *db, int32_t day)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action_store *s;
	long n;

	assert_int_equal(cs_db_begin(db, &d), 0);
	s = cs_action_store_open(db, day, &d);
	assert_non_null(s);
	n = cs_reviews_raise_actions(db, tiers, day, &d);
	assert_true(cs_action_store_close(s) >= 0);
	assert_int_equal(cs_db_commit(db, &d), 0);
	return n;
}

static int64_t log_review(sqlite3 *db, const char *cust, const char *date, long *resolved)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_review_input in = { .customer_id = cust, .type = "qbr", .rating = 4,
				      .attendees = "Ana, Tom" };
	int64_t id = 0;

	assert_int_equal(cs_parse_day(date, &in.date), 0);
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, resolved, &d), 0);
	return id;
}

/* Overdue reviews raised once per customer, resolved when the review is logged. */
static void test_actions(void **state)
{
	sqlite3 *db = fresh_db("actions.db");
	long resolved = -1;

	(void)state;
	/* 2026-11-20: MID (due 11-19) and SMB (due 11-19) */
	assert_int_equal(run_day(db, as_of), 2);
	assert_int_equal(run_day(db, as_of), 2);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions"), 2);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions WHERE kind = 'business_review'"
				" AND status = 'open' AND rule_key IN ('review:MID', 'review:SMB')"),
			 2);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT owner, due_at, reason FROM actions"
						    " WHERE rule_key = 'review:MID'", -1, &st,
						    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0), "CSM");
		assert_string_equal((const char *)sqlite3_column_text(st, 1), "2026-11-19 23:59:59");
		assert_string_equal((const char *)sqlite3_column_text(st, 2),
				    "business review overdue since 2026-11-19 (Mid-Market: every 30 "
				    "days; never reviewed, customer since 2026-10-20)");
		sqlite3_finalize(st);
	}
	/* logging MID's review resolves its action at once */
	log_review(db, "MID", "2026-11-20", &resolved);
	assert_int_equal(resolved, q_long(db, "SELECT action_id FROM actions WHERE rule_key = "
					  "'review:MID'"));
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions WHERE rule_key = 'review:MID'"
				" AND status = 'resolved' AND outcome = 'business review logged'"
				" AND resolved_at = '2026-11-20'"), 1);
	/* a review too old to catch up resolves nothing: SMB still overdue */
	log_review(db, "SMB", "2026-08-01", &resolved);
	assert_int_equal(resolved, 0);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions WHERE rule_key = 'review:SMB'"
				" AND status = 'open'"), 1);
	/* the next day: ENT (11-20) and ARR2 (11-20) join; MID is done; SMB stays */
	assert_int_equal(run_day(db, as_of + 1), 3);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 3);
	cs_db_close(db);
}

/* The rows of sql, "a|b;c|d" (columns joined by '|', rows by ';'). */
static void q_rows(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st;
	size_t n = 0;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			n += (size_t)snprintf(out + n, size - n, "%s%s",
					      i ? "|" : n ? ";" : "", v ? (const char *)v : "-");
			assert_true(n < size);
		}
	sqlite3_finalize(st);
}

#define ROWS(db, sql, want)                                  \
	do {                                                 \
		char got_[2048];                             \
		q_rows((db), (sql), got_, sizeof(got_));     \
		assert_string_equal(got_, (want));           \
	} while (0)

/*
 * A run writes only what is new or changed: an action open and unchanged
 * is not rewritten (it keeps last_seen 9999-12-31, which the close never
 * takes) yet counts as raised; a changed one is rewritten in place; one
 * no longer overdue (churned, a review imported, even the same day) is
 * cleared by that run's close; a dismissed one is raised anew, as before.
 */
static void test_actions_written_when_changed(void **state)
{
	sqlite3 *db = fresh_db("changed.db");

	(void)state;
	/* 2026-11-20: MID and SMB (due 11-19) */
	assert_int_equal(run_day(db, as_of), 2);
	exec(db, "CREATE TEMP TABLE written (rule_key TEXT);"
		 "CREATE TEMP TRIGGER written_upd AFTER UPDATE ON main.actions"
		 " BEGIN INSERT INTO written VALUES (new.rule_key); END;"
		 "CREATE TEMP TRIGGER written_ins AFTER INSERT ON main.actions"
		 " BEGIN INSERT INTO written VALUES (new.rule_key); END;");
	/* 2026-11-21: ENT and ARR2 (due 11-20) join, MID and SMB are not touched */
	assert_int_equal(run_day(db, as_of + 1), 4);
	ROWS(db, "SELECT rule_key FROM written ORDER BY 1", "review:ARR2;review:ENT");
	ROWS(db, "SELECT action_id, rule_key, status, last_seen, created_at FROM actions"
		 " ORDER BY action_id",
	     "1|review:MID|open|9999-12-31|2026-11-20;2|review:SMB|open|9999-12-31|2026-11-20;"
	     "3|review:ENT|open|9999-12-31|2026-11-21;4|review:ARR2|open|9999-12-31|2026-11-21");
	/* the same day again: nothing written */
	exec(db, "DELETE FROM written");
	assert_int_equal(run_day(db, as_of + 1), 4);
	ROWS(db, "SELECT count(*) FROM written", "0");
	/* a new CSM and ARR for MID: its action rewritten in place, only it */
	exec(db, "UPDATE customers SET csm = 'Lee', arr = 60000 WHERE customer_id = 'MID'");
	assert_int_equal(run_day(db, as_of + 1), 4);
	ROWS(db, "SELECT rule_key FROM written", "review:MID");
	ROWS(db, "SELECT action_id, owner, arr, status FROM actions WHERE rule_key = 'review:MID'",
	     "1|Lee|60000.0|open");
	/*
	 * 2026-11-22: SMB churned; a review of ENT imported (not logged);
	 * ARR2's action dismissed; MID's acted on (sent) and reviewed.
	 */
	exec(db, "UPDATE customers SET status = 'churned' WHERE customer_id = 'SMB';"
		 "INSERT INTO business_reviews (customer_id, type, date, logged_at)"
		 " VALUES ('ENT', 'qbr', '2026-11-21', '2026-11-22'),"
		 " ('MID', 'qbr', '2026-11-21', '2026-11-22');"
		 "UPDATE actions SET status = 'dismissed' WHERE rule_key = 'review:ARR2';"
		 "UPDATE actions SET status = 'sent' WHERE rule_key = 'review:MID'");
	/* ARR2 raised anew; SMB2 (due 11-21) and ARR1 (due 11-21) join */
	assert_int_equal(run_day(db, as_of + 2), 3);
	ROWS(db, "SELECT action_id, rule_key, status, coalesce(resolved_at, '-'),"
		 " coalesce(outcome, '-') FROM actions ORDER BY action_id",
	     "1|review:MID|sent|-|-;"
	     "2|review:SMB|resolved|2026-11-22|cleared: the rule no longer fires;"
	     "3|review:ENT|resolved|2026-11-22|cleared: the rule no longer fires;"
	     "4|review:ARR2|dismissed|-|-;5|review:SMB2|open|-|-;6|review:ARR1|open|-|-;"
	     "7|review:ARR2|open|-|-");
	/* a review imported the same day after the run: the rerun clears SMB2 */
	exec(db, "INSERT INTO business_reviews (customer_id, type, date, logged_at)"
		 " VALUES ('SMB2', 'qbr', '2026-11-22', '2026-11-22')");
	assert_int_equal(run_day(db, as_of + 2), 2);
	ROWS(db, "SELECT rule_key, status, coalesce(resolved_at, '-') FROM actions"
		 " WHERE status <> 'resolved' OR resolved_at = '2026-11-22' ORDER BY action_id",
	     "review:MID|sent|-;review:SMB|resolved|2026-11-22;review:ENT|resolved|2026-11-22;"
	     "review:ARR2|dismissed|-;review:SMB2|resolved|2026-11-22;review:ARR1|open|-;"
	     "review:ARR2|open|-");
	cs_db_close(db);
}

/*
 * A run for a day before the latest scored day (a backfill) clears none
 * of the actions the later run raised, as when each was seen that day.
 */
static void test_backfill_clears_nothing(void **state)
{
	sqlite3 *db = fresh_db("backfill.db");

	(void)state;
	assert_int_equal(run_day(db, as_of + 1), 4);
	exec(db, "INSERT INTO snapshot_stats (profile, as_of, customers, green, yellow, red,"
		 " at_risk, at_risk_arr) VALUES ('default', '2026-11-21', 10, 10, 0, 0, 0, 0)");
	/* 2026-11-20: only MID and SMB overdue; ENT and ARR2 stay open */
	assert_int_equal(run_day(db, as_of), 2);
	ROWS(db, "SELECT action_id, rule_key, status FROM actions ORDER BY action_id",
	     "1|review:ENT|open;2|review:MID|open;3|review:SMB|open;4|review:ARR2|open");
	assert_int_equal(run_day(db, as_of + 1), 4);
	ROWS(db, "SELECT count(*) FROM actions WHERE status = 'open'", "4");
	/* scored up to that day, the clearing is back: MID reviewed, gone */
	exec(db, "INSERT INTO business_reviews (customer_id, type, date, logged_at)"
		 " VALUES ('MID', 'qbr', '2026-11-21', '2026-11-21')");
	assert_int_equal(run_day(db, as_of + 1), 3);
	ROWS(db, "SELECT rule_key, status FROM actions WHERE rule_key = 'review:MID'",
	     "review:MID|resolved");
	cs_db_close(db);
}

/* Refused, with the reason, and nothing written. */
static void test_refused(void **state)
{
	sqlite3 *db = fresh_db("refused.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_review_input in = { .customer_id = "ENT", .type = "qbr", .date = as_of };
	int64_t id;
	long before = q_long(db, "SELECT count(*) FROM business_reviews");

	(void)state;
	in.type = "qbrr";
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), -1);
	assert_true(captured_has(&cap, "'qbrr' is not a business-review type (weekly, monthly, "
				 "qbr, annual, ebr, strategic)"));
	in.type = "qbr";
	in.date = as_of + 1;
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), -1);
	assert_true(captured_has(&cap, "the review date 2026-11-21 is after the as-of date "
				 "2026-11-20"));
	in.date = as_of;
	in.rating = 6;
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), -1);
	assert_true(captured_has(&cap, "the rating is 1..5, not 6"));
	in.rating = 0;
	in.decisions = "ok\033[2J";
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), -1);
	assert_true(captured_has(&cap, "decisions must not contain control characters"));
	in.decisions = "line one\nline two";	/* newlines are fine in the long texts */
	in.attendees = "Ana\nTom";
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), -1);
	assert_true(captured_has(&cap, "attendees must not contain control characters (nor line "
				 "breaks or tabs)"));
	in.attendees = NULL;
	in.customer_id = "ZZ";
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), -1);
	assert_true(captured_has(&cap, "no customer 'ZZ'"));
	assert_int_equal(q_long(db, "SELECT count(*) FROM business_reviews"), before);
	/* and the good one, with its multi-line decisions */
	in.customer_id = "ENT";
	in.rating = 5;
	assert_int_equal(cs_review_log(db, def, tiers, &in, as_of, &id, NULL, &d), 0);
	{
		struct cs_review *r = malloc(sizeof(*r));

		assert_non_null(r);
		assert_int_equal(cs_review_load(db, id, r, &d), 0);
		assert_string_equal(r->decisions, "line one\nline two");
		assert_int_equal(r->rating, 5);
		assert_string_equal(r->date, "2026-11-20");
		assert_string_equal(r->attendees, "");
		free(r);
	}
	{
		struct cs_review_summary *rows;
		int n;

		assert_int_equal(cs_reviews_list(db, "ENT", 0, &rows, &n, &d), 0);
		assert_int_equal(n, 3);
		assert_string_equal(rows[0].date, "2026-11-20");	/* newest first */
		assert_string_equal(rows[2].date, "2026-09-01");
		free(rows);
	}
	{
		struct cs_review *r = malloc(sizeof(*r));

		assert_non_null(r);
		assert_int_equal(cs_review_load(db, 999, r, &d), -1);
		assert_true(captured_has(&cap, "no review 999"));
		free(r);
	}
	cs_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_review),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_actions_written_when_changed),
		cmocka_unit_test(test_backfill_clears_nothing),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
