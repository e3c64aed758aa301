/*
 * test_billing_import.c — the payments and plan_changes kinds: detected
 * from their headers, typed (statuses and change kinds by their synonyms,
 * the change kind derived when the export leaves it out), all-or-nothing
 * with exact FILE:LINE errors, and idempotent when imported again.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_import_stats stats[4];
};

static const char customers_csv[] =
	"customer_id,name,plan,arr,seats\n"
	"C1,Acme,Growth,12000,10\n"
	"C2,Beta Logistics,Starter,6000,5\n";

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/b%d.db", scratch_dir(), n++);
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

static int import1(struct fixture *f, const char *path, const char *kind)
{
	struct cs_import_opts o = { .kind = kind };
	const char *files[1] = { path };

	f->diag = capture_diag(&f->cap);
	return cs_import_files(f->db, files, 1, &o, f->stats, &f->diag);
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
	assert_int_equal(import1(f, write_file("customers.csv", customers_csv), NULL), 0);
}

static void test_payments_detected_and_typed(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("billing-export.csv",
		"Invoice Number,Customer ID,Invoice Date,Amount,Payment Status\n"
		"INV-1,C1,2026-10-01,\"1,000.00\",Paid\n"
		"INV-2,C1,2026-11-01,1000,Card declined\n"
		"INV-3,Beta Logistics,2026-11-02,$500,refunded\n"
		"INV-4,C2,2026-11-03,,Past due\n");

	load_customers(f);
	assert_int_equal(import1(f, path, NULL), 0);
	assert_string_equal(f->stats[0].kind, "payments");
	assert_int_equal(f->stats[0].inserted, 4);
	assert_string_equal(q_rows(f->db, "SELECT payment_id, customer_id, date, amount, status"
				   " FROM payments ORDER BY payment_id"),
			    "INV-1|C1|2026-10-01|1000.0|paid;INV-2|C1|2026-11-01|1000.0|failed;"
			    "INV-3|C2|2026-11-02|500.0|refunded;INV-4|C2|2026-11-03|-|overdue");
	/* The same file again: nothing changes. */
	assert_int_equal(import1(f, path, NULL), 0);
	assert_int_equal(f->stats[0].inserted, 0);
	assert_int_equal(f->stats[0].updated, 0);
	assert_int_equal(f->stats[0].unchanged, 4);
	/* A corrected status updates the one row. */
	assert_int_equal(import1(f, write_file("billing-fix.csv",
		"payment_id,customer_id,date,amount,status\nINV-2,C1,2026-11-01,1000,paid\n"),
		NULL), 0);
	assert_int_equal(f->stats[0].updated, 1);
	assert_string_equal(q_rows(f->db, "SELECT status FROM payments WHERE payment_id = 'INV-2'"),
			    "paid");
}

static void test_plan_changes_derive_the_kind(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("changes.csv",
		"customer_id,Change Date,Old Plan,New Plan,ARR before,ARR after,Change Type\n"
		"C1,2026-09-01,Starter,Growth,6000,12000,Upgrade\n"
		"C1,2026-10-15,Growth,Starter,12000,6000,\n"
		"C1,2026-10-20,Starter,Growth,6000,9000,\n"
		"C2,2026-11-01,Starter,,6000,,\n"
		"C2,2026-11-05,Starter,Starter,,,\n"
		"C2,2026-11-06,Starter,Starter,100,100,Contraction\n"
		"C2,2026-11-07,Growth,None,,,\n");

	load_customers(f);
	assert_int_equal(import1(f, path, NULL), 0);
	assert_string_equal(f->stats[0].kind, "plan_changes");
	assert_int_equal(f->stats[0].inserted, 7);
	/* named; ARR down; ARR up; no plan after; nothing tells; a synonym; "None" */
	assert_string_equal(q_rows(f->db, "SELECT customer_id, date, from_plan, to_plan, kind"
				   " FROM plan_changes ORDER BY customer_id, date"),
			    "C1|2026-09-01|Starter|Growth|upgrade;C1|2026-10-15|Growth|Starter|downgrade;"
			    "C1|2026-10-20|Starter|Growth|upgrade;C2|2026-11-01|Starter|-|cancel;"
			    "C2|2026-11-05|Starter|Starter|-;C2|2026-11-06|Starter|Starter|downgrade;"
			    "C2|2026-11-07|Growth|None|cancel");
	assert_int_equal(import1(f, path, NULL), 0);
	assert_int_equal(f->stats[0].unchanged, 7);
	assert_int_equal(f->stats[0].inserted + f->stats[0].updated, 0);
}

struct bad_case {
	const char *name, *kind, *csv, *want;
};

static void test_errors_name_file_line_column(void **state)
{
	static const struct bad_case cases[] = {
		{ "pay-status.csv", NULL,
		  "payment_id,customer_id,date,amount,status\n"
		  "P1,C1,2026-11-01,10,paid\n"
		  "P2,C1,2026-11-02,10,maybe\n",
		  ":3: column 'status': 'maybe' is not a payment status (paid, pending, "
		  "overdue, failed, refunded, void)" },
		{ "pay-amount.csv", NULL,
		  "payment_id,customer_id,date,amount,status\n"
		  "P1,C1,2026-11-01,10,paid\n"
		  "P2,C1,2026-11-02,ten,paid\n",
		  ":3: column 'amount': 'ten' is not a number" },
		{ "pay-neg.csv", NULL,
		  "payment_id,customer_id,date,amount,status\n"
		  "P1,C1,2026-11-01,-10,refunded\n",
		  ":2: column 'amount': '-10' must not be negative" },
		{ "pay-cust.csv", NULL,
		  "payment_id,customer_id,date,amount,status\n"
		  "P1,C1,2026-11-01,10,paid\n"
		  "P2,C1,2026-11-01,10,paid\n"
		  "P3,C404,2026-11-01,10,paid\n",
		  ":4: column 'customer_id': unknown customer 'C404'" },
		{ "pay-nostatus.csv", NULL,
		  "payment_id,customer_id,date,amount,status\n"
		  "P1,C1,2026-11-01,10,\n"
		  "P2,C1,2026-11-01,10,paid\n",
		  ":2: column 'status': a value is required" },
		{ "pay-dup.csv", NULL,
		  "Invoice ID,Customer,Invoice Date,Status\n"
		  "P1,C1,2026-11-01,paid\n"
		  "P1,C1,2026-11-02,paid\n",
		  ":3: duplicate Invoice ID 'P1' (first on line 2)" },
		{ "chg-kind.csv", NULL,
		  "customer_id,date,from_plan,to_plan,kind\n"
		  "C1,2026-11-01,Growth,Starter,downgrade\n"
		  "C2,2026-11-01,Starter,Growth,sideways\n",
		  ":3: column 'kind': 'sideways' is not a plan change (upgrade, downgrade, cancel)" },
		{ "chg-date.csv", NULL,
		  "customer_id,date,from_plan,to_plan\n"
		  "C1,2026-11-31,Growth,Starter\n",
		  ":2: column 'date': '2026-11-31' is not a valid date" },
		{ "chg-from.csv", NULL,
		  "customer_id,date,from_plan,to_plan\n"
		  "C1,2026-11-01,Growth,Starter\n"
		  "C1,2026-11-02,,Starter\n",
		  ":3: column 'from_plan': a value is required" },
		{ "chg-forced.csv", "plan_changes",
		  "customer_id,date,to_plan\n"
		  "C1,2026-11-01,Starter\n",
		  ":1: no column for 'from_plan' in the header (a plan_changes file needs "
		  "customer_id, date, from_plan)" },
	};
	struct fixture *f = *state;
	char want[512];
	size_t i;

	load_customers(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = write_file(cases[i].name, cases[i].csv);

		assert_int_equal(import1(f, path, cases[i].kind), -1);
		snprintf(want, sizeof(want), "%s%s", path, cases[i].want);
		assert_true(captured_has(&f->cap, want));
	}
	/* All or nothing: the good rows before each bad one were not kept. */
	assert_string_equal(q_rows(f->db, "SELECT (SELECT count(*) FROM payments) || '/' ||"
				   " (SELECT count(*) FROM plan_changes)"), "0/0");
}

static void test_skip_bad_keeps_the_good_rows(void **state)
{
	struct fixture *f = *state;
	struct cs_import_opts o = { .skip_bad = true };
	const char *path = write_file("pay-skip.csv",
		"payment_id,customer_id,date,amount,status\n"
		"P1,C1,2026-11-01,10,paid\n"
		"P2,C1,2026-11-02,10,maybe\n"
		"P3,C2,2026-11-03,10,failed\n");
	const char *files[1] = { path };
	char want[512];

	load_customers(f);
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_files(f->db, files, 1, &o, f->stats, &f->diag), 0);
	assert_int_equal(f->stats[0].inserted, 2);
	assert_int_equal(f->stats[0].skipped, 1);
	snprintf(want, sizeof(want), "%s:3: column 'status': 'maybe' is not a payment status "
		 "(paid, pending, overdue, failed, refunded, void) (row skipped)", path);
	assert_true(captured_has(&f->cap, want));
	assert_string_equal(q_rows(f->db, "SELECT group_concat(payment_id || '=' || status, ',')"
				   " FROM (SELECT * FROM payments ORDER BY payment_id)"),
			    "P1=paid,P3=failed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_payments_detected_and_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_changes_derive_the_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_name_file_line_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_bad_keeps_the_good_rows, setup, teardown),
	};

	return cmocka_run_group_tests_name("billing import", tests, NULL, NULL);
}
