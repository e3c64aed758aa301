/*
 * test_reviews_import.c — the reviews kind: business-review history from a
 * CRM or a spreadsheet, detected from its header, types matched through
 * assets/plans.ini's keys, labels and aliases, typed and all-or-nothing
 * with exact FILE:LINE errors, idempotent on re-import (by the export's id,
 * else by customer, date, type and occurrence), stored where `casey review
 * log` writes, so the next scoring run clears the overdue-review action.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"
#include "casey/reviews.h"
#include "casey/rules.h"
#include "casey/tiers.h"
#include "casey/value.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_import_stats stats[4];
};

/* C1 Enterprise (30 days), C2 Small Business by ARR (90), C3 Trial (none). */
static const char customers_csv[] =
	"customer_id,name,segment,arr,created_at\n"
	"C1,Acme,Enterprise,150000,2026-01-01\n"
	"C2,Beta Logistics,,12000,2026-01-01\n"
	"C3,Gamma,Trial,1000,2026-01-01\n";

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/r%d.db", scratch_dir(), n++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cs_db_close(f->db);
	free(f);
	return 0;
}

static int import_on(struct fixture *f, const char *path, const char *today)
{
	struct cs_import_opts o = { .today = today };
	const char *files[1] = { path };

	f->diag = capture_diag(&f->cap);
	return cs_import_files(f->db, files, 1, &o, f->stats, &f->diag);
}

static int import1(struct fixture *f, const char *path)
{
	return import_on(f, path, "2026-11-20");
}

/* Every row of a query, columns '|'-separated, rows ';'-separated. */
static const char *q_rows(sqlite3 *db, const char *sql)
{
	static char buf[2048];
	sqlite3_stmt *st;
	size_t n = 0;

	buf[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const unsigned char *t = sqlite3_column_text(st, i);

			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "|" : n ? ";" : "",
					      t ? (const char *)t : "-");
		}
	}
	sqlite3_finalize(st);
	return buf;
}

static void load_customers(struct fixture *f)
{
	assert_int_equal(import1(f, write_file("customers.csv", customers_csv)), 0);
}

static void test_detected_typed_and_stored_like_logged_ones(void **state)
{
	struct fixture *f = *state;
	/* A CRM's labels; types by alias, label and key in any case. */
	const char *path = write_file("crm-meetings.csv",
		"Review ID,Account,Meeting Date,Review Type,Participants,Wins,Blockers,"
		"Decisions,Next steps,Rating\n"
		"R-1,C1,2026-10-01,QBR,\"Ana Silva, Jonas Becker\",SSO live,Export slow,"
		"Annual plan,\"Send the deck\nBook training\",4\n"
		"R-2,Beta Logistics,2026-09-15,Quarterly Business Review (QBR),,,,,,\n"
		"R-3,C1,2026-09-01,exec review,,,,,,5\n"
		"R-4,C1,2026-08-01,Monthly check-in,,,,,,3\n");

	load_customers(f);
	assert_int_equal(import1(f, path), 0);
	assert_string_equal(f->stats[0].kind, "reviews");
	assert_int_equal(f->stats[0].inserted, 4);
	assert_string_equal(q_rows(f->db, "SELECT import_key, customer_id, type, date, attendees,"
				   " achievements, challenges, decisions, action_items, rating,"
				   " logged_at FROM business_reviews ORDER BY import_key"),
			    "R-1|C1|qbr|2026-10-01|Ana Silva, Jonas Becker|SSO live|Export slow|"
			    "Annual plan|Send the deck\nBook training|4|2026-11-20;"
			    "R-2|C2|qbr|2026-09-15|-|-|-|-|-|-|2026-11-20;"
			    "R-3|C1|ebr|2026-09-01|-|-|-|-|-|5|2026-11-20;"
			    "R-4|C1|monthly|2026-08-01|-|-|-|-|-|3|2026-11-20");
	/* What `casey review` reads. */
	{
		struct cs_review_summary *rows;
		int n;

		assert_int_equal(cs_reviews_list(f->db, "C1", 0, &rows, &n, &f->diag), 0);
		assert_int_equal(n, 3);
		assert_string_equal(rows[0].date, "2026-10-01");
		assert_string_equal(rows[0].type, "qbr");
		assert_int_equal(rows[0].rating, 4);
		free(rows);
	}
}

static void test_reimport_is_idempotent(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("reviews.csv",
		"review_id,customer_id,date,type,rating\n"
		"R1,C1,2026-10-01,qbr,4\n"
		"R2,C2,2026-09-15,qbr,3\n");

	load_customers(f);
	assert_int_equal(import1(f, path), 0);
	assert_int_equal(f->stats[0].inserted, 2);
	/* Again, on a later day: nothing changes, not even when it was logged. */
	assert_int_equal(import_on(f, path, "2026-11-25"), 0);
	assert_int_equal(f->stats[0].inserted, 0);
	assert_int_equal(f->stats[0].updated, 0);
	assert_int_equal(f->stats[0].unchanged, 2);
	/* A corrected rating updates that review in place, logged_at kept. */
	assert_int_equal(import_on(f, write_file("reviews-fix.csv",
		"review_id,customer_id,date,type,rating\nR1,C1,2026-10-01,qbr,5\n"),
		"2026-11-25"), 0);
	assert_int_equal(f->stats[0].inserted, 0);
	assert_int_equal(f->stats[0].updated, 1);
	assert_string_equal(q_rows(f->db, "SELECT import_key, rating, logged_at FROM"
				   " business_reviews ORDER BY import_key"),
			    "R1|5|2026-11-20;R2|3|2026-11-20");
}

static void test_without_ids_keyed_by_content_and_occurrence(void **state)
{
	struct fixture *f = *state;
	/* Two identical rows are two reviews (a morning and an afternoon call). */
	const char *path = write_file("review-log.csv",
		"customer,date,type,attendees\n"
		"C1,2026-10-01,weekly,Ana\n"
		"C1,2026-10-01,weekly,Ana\n"
		"C1,2026-10-08,weekly,Ana\n");

	load_customers(f);
	assert_int_equal(import1(f, path), 0);
	assert_int_equal(f->stats[0].inserted, 3);
	assert_int_equal(import1(f, path), 0);
	assert_int_equal(f->stats[0].inserted, 0);
	assert_int_equal(f->stats[0].unchanged, 3);
	/* The attendees are not the identity: a correction updates the review. */
	assert_int_equal(import1(f, write_file("review-log2.csv",
		"customer,date,type,attendees\nC1,2026-10-08,weekly,Ana and Bo\n")), 0);
	assert_int_equal(f->stats[0].updated, 1);
	assert_string_equal(q_rows(f->db, "SELECT count(*), group_concat(attendees, '/') FROM"
				   " (SELECT * FROM business_reviews ORDER BY date, review_id)"),
			    "3|Ana/Ana/Ana and Bo");
	/* A review logged in casey is never matched by an import. */
	assert_string_equal(q_rows(f->db, "SELECT count(*) FROM business_reviews"
				   " WHERE import_key IS NULL"), "0");
}

struct bad_case {
	const char *name, *csv, *want;
};

static void test_errors_name_file_line_column(void **state)
{
	static const struct bad_case cases[] = {
		{ "rv-date.csv",
		  "customer_id,date,type,rating\n"
		  "C1,2026-10-01,qbr,4\n"
		  "C1,2026-02-30,qbr,4\n",
		  ":3: column 'date': '2026-02-30' is not a valid date" },
		{ "rv-rating.csv",
		  "customer_id,date,type,rating\n"
		  "C1,2026-10-01,qbr,5\n"
		  "C1,2026-10-02,qbr,1\n"
		  "C1,2026-10-03,qbr,6\n",
		  ":4: column 'rating': '6' is not a rating (1-5)" },
		{ "rv-rating0.csv",
		  "customer_id,date,type,Stars\n"
		  "C1,2026-10-01,qbr,0\n",
		  ":2: column 'Stars': '0' is not a rating (1-5)" },
		{ "rv-type.csv",
		  "customer_id,date,Review Type\n"
		  "C1,2026-10-01,qbr\n"
		  "C1,2026-10-02,Lunch\n",
		  ":3: column 'Review Type': 'Lunch' is not a business-review type (weekly, "
		  "monthly, qbr, annual, ebr, strategic, or a label or alias in plans.ini)" },
		{ "rv-cust.csv",
		  "customer_id,date,type\n"
		  "C1,2026-10-01,qbr\n"
		  "C404,2026-10-01,qbr\n",
		  ":3: column 'customer_id': unknown customer 'C404'" },
		{ "rv-notype.csv",
		  "customer_id,date,type\n"
		  "C1,2026-10-01,\n",
		  ":2: column 'type': a value is required" },
		{ "rv-dup.csv",
		  "Review ID,customer_id,date,type\n"
		  "R1,C1,2026-10-01,qbr\n"
		  "R1,C1,2026-10-02,qbr\n",
		  ":3: duplicate Review ID 'R1' (first on line 2)" },
	};
	struct fixture *f = *state;
	char want[512];
	size_t i;

	load_customers(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = write_file(cases[i].name, cases[i].csv);

		assert_int_equal(import1(f, path), -1);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].want);
		assert_true(captured_has(&f->cap, want));
		snprintf(want, sizeof(want), "%s: nothing imported: 1 bad row (fix it or use "
			 "--skip-bad)", path);
		assert_true(captured_has(&f->cap, want));
	}
	/* All or nothing: the good rows before each bad one were not kept. */
	assert_string_equal(q_rows(f->db, "SELECT count(*) FROM business_reviews"), "0");
}

/* A scoring run's review actions on day, as `casey score` raises them. */
static long run_day(sqlite3 *db, const struct cs_tiers *tiers, const char *day)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action_store *s;
	int32_t n_day;
	long n;

	assert_int_equal(cs_parse_day(day, &n_day), 0);
	assert_int_equal(cs_db_begin(db, &d), 0);
	s = cs_action_store_open(db, n_day, &d);
	assert_non_null(s);
	n = cs_success_raise_actions(db, tiers, n_day, &d);
	assert_true(cs_action_store_close(s) >= 0);
	assert_int_equal(cs_db_commit(db, &d), 0);
	return n;
}

static void test_imported_review_clears_the_overdue_action(void **state)
{
	struct fixture *f = *state;
	struct cs_tiers *tiers = malloc(sizeof(*tiers));
	/* Given first, imported second: customers come before their reviews. */
	const char *files[2] = {
		write_file("history.csv", "customer_id,date,type\nC1,2026-11-01,monthly\n"),
		write_file("accounts.csv", customers_csv),
	};
	struct cs_import_opts o = { .today = "2026-11-20" };
	struct cs_review_due due;

	assert_non_null(tiers);
	assert_int_equal(cs_tiers_load(NULL, tiers, &f->diag), 0);
	assert_int_equal(import1(f, write_file("customers.csv", customers_csv)), 0);
	/* Never reviewed: C1 due 2026-01-31, C2 2026-04-01; Trial none. */
	assert_int_equal(run_day(f->db, tiers, "2026-11-20"), 2);
	assert_string_equal(q_rows(f->db, "SELECT rule_key, status, due_at FROM actions"
				   " ORDER BY rule_key"),
			    "review:C1|open|2026-01-31 23:59:59;review:C2|open|2026-04-01 23:59:59");
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_files(f->db, files, 2, &o, f->stats, &f->diag), 0);
	assert_string_equal(f->stats[1].kind, "customers");
	assert_string_equal(f->stats[0].kind, "reviews");
	assert_int_equal(f->stats[0].inserted, 1);
	assert_int_equal(cs_review_due(f->db, tiers, "C1", 0, &due, &f->diag), 0);
	assert_string_equal(due.last, "2026-11-01");
	assert_string_equal(due.next, "2026-12-01");
	/* The next run, the same day: C1 no longer overdue, its action resolved. */
	assert_int_equal(run_day(f->db, tiers, "2026-11-20"), 1);
	assert_string_equal(q_rows(f->db, "SELECT rule_key, status FROM actions"
				   " ORDER BY rule_key"),
			    "review:C1|resolved;review:C2|open");
	free(tiers);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_detected_typed_and_stored_like_logged_ones,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_without_ids_keyed_by_content_and_occurrence,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_name_file_line_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imported_review_clears_the_overdue_action,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
