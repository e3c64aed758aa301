/*
 * test_renewals.c — the renewal timeline of seed 004: the step due on each
 * T-date exactly, the actions a scoring run raises (once, refreshed, never
 * again once resolved, cleared after the renewal), the renewal risk, the
 * pipeline's figures on a constructed data set and its keyset pages, and
 * renewals.ini's errors with their lines.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "casey/renewals.h"
#include "casey/rules.h"
#include "casey/value.h"

static struct cs_renewals ren;

static int setup(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	assert_int_equal(cs_renewals_load(NULL, &ren, &d), 0);
	return 0;
}

static int32_t day(const char *s)
{
	int32_t d;

	assert_int_equal(cs_parse_day(s, &d), 0);
	return d;
}

static void test_shipped_timeline(void **state)
{
	static const char *const labels[] = { "T-120", "T-90", "T-60", "T-30", "T-0" };
	static const int offsets[] = { 120, 90, 60, 30, 0 };

	(void)state;
	assert_int_equal(ren.nsteps, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(ren.steps[i].label, labels[i]);
		assert_int_equal(ren.steps[i].offset, offsets[i]);
	}
	assert_string_equal(ren.steps[0].title, "Internal kickoff");
	assert_string_equal(ren.steps[1].title, "Executive engagement");
	assert_int_equal(ren.nwindows, 4);
	assert_int_equal(ren.windows[3], 120);
}

static void test_step_due_on_each_t_date(void **state)
{
	int32_t r = day("2027-02-09");

	(void)state;
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 121), -1);	/* T-121 */
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 120), 0);		/* T-120 */
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 91), 0);
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 90), 1);		/* T-90 */
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 61), 1);
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 60), 2);		/* T-60 */
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 31), 2);
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 30), 3);		/* T-30 */
	assert_int_equal(cs_renewal_current_step(&ren, r, r - 1), 3);
	assert_int_equal(cs_renewal_current_step(&ren, r, r), 4);		/* T-0 */
	assert_int_equal(cs_renewal_current_step(&ren, r, r + 1), -1);		/* after */
}

static sqlite3 *fresh_db(const char *name)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/%s", scratch_dir(), name);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	return db;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s\n", err);
		sqlite3_free(err);
		fail();
	}
}

/* What an import of customers leaves (customers change only through imports). */
#define IMPORTED(inserted_updated) \
	"INSERT INTO imports (file, kind, imported_at, rows_inserted, rows_updated," \
	" rows_unchanged, rows_skipped) VALUES ('customers.csv', 'customers'," \
	" '2026-11-20 09:00:00', " inserted_updated ", 0, 0)"

/* A scoring run's action part: the store, the renewal steps, the clearing. */
static long run(sqlite3 *db, int32_t as_of)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action_store *store;
	long n = -1, closed;

	assert_int_equal(cs_db_begin(db, &d), 0);
	store = cs_action_store_open(db, as_of, &d);
	assert_non_null(store);
	assert_int_equal(cs_renewals_raise(db, &ren, as_of, &n, &d), 0);
	closed = cs_action_store_close(store);
	assert_int_equal(closed, 0);	/* nothing else went through the store */
	assert_int_equal(cs_db_commit(db, &d), 0);
	return n;
}

/* "STEP status|STEP status|..." of the customer's renewal actions by step. */
static const char *steps_of(sqlite3 *db, const char *customer)
{
	static char buf[512];
	sqlite3_stmt *st;
	size_t len = 0;

	buf[0] = '\0';
	/* the label follows "renewal:ID:YYYY-MM-DD:" */
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT substr(rule_key, length(customer_id) + 21), status FROM actions"
		" WHERE kind = 'renewal' AND customer_id = ?1 ORDER BY action_id", -1, &st, NULL),
		SQLITE_OK);
	sqlite3_bind_text(st, 1, customer, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s %s", len ? "|" : "",
					sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return buf;
}

static long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_actions_raised_refreshed_resolved(void **state)
{
	sqlite3 *db = fresh_db("raise.db");
	int32_t r = day("2027-02-09");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	sqlite3_stmt *st;
	long id;

	(void)state;
	exec(db, "INSERT INTO customers (customer_id, name, arr, csm, renewal_date, status) VALUES"
		 " ('C00042', 'Acme', 120000, 'Maya Chen', '2027-02-09', 'active'),"
		 " ('C2', 'No CSM', NULL, NULL, '2027-02-09', 'cancel_requested'),"
		 " ('C3', 'Gone', 5000, 'Maya Chen', '2027-02-09', 'churned'),"
		 " ('C4', 'Later', 5000, 'Maya Chen', '2027-02-10', 'active'),"
		 " ('C5', 'No date', 5000, 'Maya Chen', NULL, 'active')");

	/* T-121: nothing. */
	assert_int_equal(run(db, r - 121), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM actions"), 0);

	/* T-120: the kickoff, for the CSM (or "CSM"), due on its T-date. */
	assert_int_equal(run(db, r - 120), 2);
	assert_string_equal(steps_of(db, "C00042"), "T-120 open");
	assert_string_equal(steps_of(db, "C2"), "T-120 open");
	assert_string_equal(steps_of(db, "C3"), "");
	assert_string_equal(steps_of(db, "C4"), "");
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT rule_key, reason, owner, due_at, arr, evidence, created_at, last_seen"
		"  FROM actions WHERE customer_id = 'C00042'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "renewal:C00042:2027-02-09:T-120");
	assert_string_equal((const char *)sqlite3_column_text(st, 1),
			    "Internal kickoff (T-120 of the renewal on 2027-02-09)");
	assert_string_equal((const char *)sqlite3_column_text(st, 2), "Maya Chen");
	assert_string_equal((const char *)sqlite3_column_text(st, 3), "2026-10-12 00:00:00");
	assert_true(sqlite3_column_double(st, 4) == 120000);
	assert_string_equal((const char *)sqlite3_column_text(st, 5),
			    "Start the renewal: internal kickoff, document the ROI and value delivered");
	assert_string_equal((const char *)sqlite3_column_text(st, 6), "2026-10-12");
	/* open through the renewal day: the clearing takes it the day after */
	assert_string_equal((const char *)sqlite3_column_text(st, 7), "2027-02-09");
	sqlite3_finalize(st);
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE customer_id = 'C2'"
				   " AND owner = 'CSM'"), 1);

	/* Scored again the same day: nothing new, nothing duplicated, nothing cleared. */
	assert_int_equal(run(db, r - 120), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM actions"), 2);
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 2);

	/* T-91: still the kickoff alone (C4 renews a day later: its T-120 comes). */
	assert_int_equal(run(db, r - 91), 1);
	assert_string_equal(steps_of(db, "C00042"), "T-120 open");
	assert_string_equal(steps_of(db, "C4"), "T-120 open");

	/* T-90: executive engagement too; the kickoff stays due. */
	assert_int_equal(run(db, r - 90), 2);
	assert_string_equal(steps_of(db, "C00042"), "T-120 open|T-90 open");
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE rule_key ="
				   " 'renewal:C00042:2027-02-09:T-90' AND due_at = '2026-11-11 00:00:00'"
				   " AND reason = 'Executive engagement (T-90 of the renewal on 2027-02-09)'"),
			 1);

	/* The CSM resolves the kickoff: it is never raised again. */
	id = count(db, "SELECT action_id FROM actions WHERE rule_key ="
		       " 'renewal:C00042:2027-02-09:T-120'");
	assert_int_equal(cs_action_set_status(db, id, "resolved", "kickoff held", r - 89, &d), 0);
	assert_int_equal(run(db, r - 60), 3);	/* C4's T-90; T-60 of C00042 and C2 */
	assert_string_equal(steps_of(db, "C00042"), "T-120 resolved|T-90 open|T-60 open");
	assert_int_equal(run(db, r - 60), 0);
	assert_string_equal(steps_of(db, "C00042"), "T-120 resolved|T-90 open|T-60 open");

	/* T-30. */
	assert_int_equal(run(db, r - 30), 3);	/* C4's T-60; T-30 of C00042 and C2 */
	assert_string_equal(steps_of(db, "C00042"),
			    "T-120 resolved|T-90 open|T-60 open|T-30 open");
	assert_string_equal(steps_of(db, "C2"), "T-120 open|T-90 open|T-60 open|T-30 open");

	/* C2 churns, C4's renewal moves to 2027-06-10: their open steps are cleared. */
	exec(db, "UPDATE customers SET status = 'churned' WHERE customer_id = 'C2';"
		 "UPDATE customers SET renewal_date = '2027-06-10' WHERE customer_id = 'C4';"
		 IMPORTED("0, 2"));
	assert_int_equal(run(db, r - 29), 0);
	assert_string_equal(steps_of(db, "C2"),
			    "T-120 resolved|T-90 resolved|T-60 resolved|T-30 resolved");
	assert_string_equal(steps_of(db, "C4"), "T-120 resolved|T-90 resolved|T-60 resolved");
	assert_string_equal(steps_of(db, "C00042"),
			    "T-120 resolved|T-90 open|T-60 open|T-30 open");

	/* T-0: the renewal day. */
	assert_int_equal(run(db, r), 1);
	assert_string_equal(steps_of(db, "C00042"),
			    "T-120 resolved|T-90 open|T-60 open|T-30 open|T-0 open");
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE rule_key ="
				   " 'renewal:C00042:2027-02-09:T-0' AND due_at = '2027-02-09 00:00:00'"),
			 1);

	/*
	 * The day after the renewal: nothing due for it; its open steps are
	 * cleared. C4's new renewal (2027-06-10) has its T-120 today.
	 */
	assert_int_equal(run(db, r + 1), 1);
	assert_string_equal(steps_of(db, "C00042"),
			    "T-120 resolved|T-90 resolved|T-60 resolved|T-30 resolved|T-0 resolved");
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE customer_id = 'C00042'"
				   " AND outcome = 'cleared: the rule no longer fires'"), 4);
	assert_string_equal(steps_of(db, "C4"),
			    "T-120 resolved|T-90 resolved|T-60 resolved|T-120 open");
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE status = 'open' AND"
				   " rule_key = 'renewal:C4:2027-06-10:T-120'"), 1);
	assert_int_equal(run(db, r + 2), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE customer_id = 'C00042'"), 5);
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 1);

	/* A pass for an earlier day looks at everyone: the resolved stay resolved. */
	assert_int_equal(run(db, r - 1), 0);
	assert_int_equal(count(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 0);
	cs_db_close(db);
}

/*
 * A new customer imported with steps already past is raised in full; an
 * import that changed nothing, or an import of another kind, costs no
 * reconciling (nothing would come of it either way).
 */
static void test_new_customer_gets_every_due_step(void **state)
{
	sqlite3 *db = fresh_db("late.db");
	int32_t r = day("2027-02-09");

	(void)state;
	exec(db, "INSERT INTO customers (customer_id, name, renewal_date) VALUES"
		 " ('A', 'First', '2027-06-01')");
	assert_int_equal(run(db, r - 60), 0);
	exec(db, "INSERT INTO customers (customer_id, name, renewal_date) VALUES"
		 " ('B', 'Late', '2027-02-09');" IMPORTED("1, 0"));
	assert_int_equal(run(db, r - 59), 3);	/* T-120, T-90 and T-60 at once */
	assert_string_equal(steps_of(db, "B"), "T-120 open|T-90 open|T-60 open");
	/* Without an import the new customer would wait for its next T-date. */
	exec(db, "INSERT INTO customers (customer_id, name, renewal_date) VALUES"
		 " ('C', 'Unannounced', '2027-02-09')");
	assert_int_equal(run(db, r - 58), 0);
	assert_string_equal(steps_of(db, "C"), "");
	cs_db_close(db);
}

static void test_risk(void **state)
{
	(void)state;
	assert_int_equal(cs_renewal_risk("green", "stable", false, "active", false), CS_RISK_LOW);
	assert_int_equal(cs_renewal_risk("green", "improving", false, "active", false), CS_RISK_LOW);
	assert_int_equal(cs_renewal_risk("green", "declining", false, "active", false),
			 CS_RISK_MEDIUM);
	assert_int_equal(cs_renewal_risk("green", "stable", false, "active", true), CS_RISK_MEDIUM);
	assert_int_equal(cs_renewal_risk("green", "stable", true, "active", false), CS_RISK_HIGH);
	assert_int_equal(cs_renewal_risk("green", "stable", false, "cancel_requested", false),
			 CS_RISK_HIGH);
	assert_int_equal(cs_renewal_risk("green", "stable", false, "downgrade_requested", false),
			 CS_RISK_HIGH);
	assert_int_equal(cs_renewal_risk("yellow", "improving", false, "active", false),
			 CS_RISK_MEDIUM);
	assert_int_equal(cs_renewal_risk("yellow", "declining", false, "active", false),
			 CS_RISK_HIGH);
	assert_int_equal(cs_renewal_risk("red", "improving", false, "active", false), CS_RISK_HIGH);
	assert_int_equal(cs_renewal_risk(NULL, NULL, false, "active", false), CS_RISK_UNKNOWN);
	assert_int_equal(cs_renewal_risk(NULL, NULL, false, "cancel_requested", false),
			 CS_RISK_HIGH);
}

/*
 * As of 2026-11-20, renewing in (days, ARR, health):
 *   P0 0 $1,000 green improving (low)      P1 30 $2,000 yellow stable (medium)
 *   P2 31 $4,000 red stable (high)         P11 45 $100 green stable, executive
 *                                            escalation (medium)
 *   P3 60 unknown green declining (medium) P4 61 $8,000 not scored (unknown)
 *   P5 90 $16,000 yellow declining (high)  P6 91 $32,000 green stable,
 *                                            cancellation requested (high)
 *   P7 120 $64,000 green stable, fell 20+ (high)
 * and, left out: P8 at 121 days, P9 the day before, P10 churned.
 */
static sqlite3 *pipeline_db(const char *name)
{
	sqlite3 *db = fresh_db(name);

	exec(db, "INSERT INTO customers (customer_id, name, segment, arr, renewal_date, status,"
		 "                       executive_escalation) VALUES"
		 " ('P0', 'Zero', NULL, 1000, '2026-11-20', 'active', 0),"
		 " ('P1', 'Thirty', NULL, 2000, '2026-12-20', 'active', 0),"
		 " ('P2', 'Thirty-one', NULL, 4000, '2026-12-21', 'active', 0),"
		 " ('P11', 'Forty-five', NULL, 100, '2027-01-04', 'active', 1),"
		 " ('P3', 'Sixty', 'Enterprise', NULL, '2027-01-19', 'active', 0),"
		 " ('P4', 'Sixty-one', NULL, 8000, '2027-01-20', 'active', 0),"
		 " ('P5', 'Ninety', NULL, 16000, '2027-02-18', 'active', 0),"
		 " ('P6', 'Ninety-one', NULL, 32000, '2027-02-19', 'cancel_requested', 0),"
		 " ('P7', 'One-twenty', NULL, 64000, '2027-03-20', 'active', 0),"
		 " ('P8', 'One-twenty-one', NULL, 128000, '2027-03-21', 'active', 0),"
		 " ('P9', 'Yesterday', NULL, 256000, '2026-11-19', 'active', 0),"
		 " ('P10', 'Churned', NULL, 512000, '2026-11-30', 'churned', 0)");
	exec(db, "INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band,"
		 "                       coverage, trend, drop20, components, measures) VALUES"
		 " ('P0', '2026-11-20', 'default', '1', 90, 'green', 100, 'improving', 0, '', ''),"
		 " ('P1', '2026-11-20', 'default', '1', 60, 'yellow', 100, 'stable', 0, '', ''),"
		 " ('P2', '2026-11-20', 'default', '1', 30, 'red', 100, 'stable', 0, '', ''),"
		 " ('P11', '2026-11-20', 'default', '1', 85, 'green', 100, 'stable', 0, '', ''),"
		 " ('P3', '2026-11-20', 'default', '1', 81, 'green', 100, 'declining', 0, '', ''),"
		 " ('P5', '2026-11-20', 'default', '1', 55, 'yellow', 100, 'declining', 0, '', ''),"
		 " ('P6', '2026-11-20', 'default', '1', 95, 'green', 100, 'stable', 0, '', ''),"
		 " ('P7', '2026-11-20', 'default', '1', 80, 'green', 100, 'stable', 1, '', ''),"
		 " ('P8', '2026-11-20', 'default', '1', 20, 'red', 100, 'declining', 0, '', ''),"
		 " ('P9', '2026-11-20', 'default', '1', 20, 'red', 100, 'declining', 0, '', '')");
	return db;
}

#define CELL(c, n, a) do { assert_int_equal((c).customers, n); \
		assert_true((c).arr == (a)); } while (0)

static void test_pipeline_figures(void **state)
{
	sqlite3 *db = pipeline_db("figures.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_pipeline p;
	const struct cs_pipeline_window *w;

	(void)state;
	assert_int_equal(cs_renewal_pipeline(db, &ren, "default", day("2026-11-20"), 120, &p, &d), 0);
	assert_string_equal(p.snapshot, "2026-11-20");
	assert_int_equal(p.nwindows, 4);
	/* 0-30: P0, P1 */
	w = &p.w[0];
	assert_int_equal(w->from, 0);
	assert_int_equal(w->to, 30);
	CELL(w->all, 2, 3000);
	CELL(w->band[CS_PB_GREEN], 1, 1000);
	CELL(w->band[CS_PB_YELLOW], 1, 2000);
	CELL(w->band[CS_PB_RED], 0, 0);
	CELL(w->trend[CS_PT_IMPROVING], 1, 1000);
	CELL(w->trend[CS_PT_STABLE], 1, 2000);
	CELL(w->risk[CS_RISK_LOW], 1, 1000);
	CELL(w->risk[CS_RISK_MEDIUM], 1, 2000);
	/* 31-60: P2, P11, P3 (ARR unknown) */
	w = &p.w[1];
	assert_int_equal(w->from, 31);
	assert_int_equal(w->to, 60);
	CELL(w->all, 3, 4100);
	assert_int_equal(w->arr_unknown, 1);
	CELL(w->band[CS_PB_RED], 1, 4000);
	CELL(w->band[CS_PB_GREEN], 2, 100);
	CELL(w->trend[CS_PT_STABLE], 2, 4100);
	CELL(w->trend[CS_PT_DECLINING], 1, 0);
	CELL(w->risk[CS_RISK_HIGH], 1, 4000);
	CELL(w->risk[CS_RISK_MEDIUM], 2, 100);
	/* 61-90: P4 (not scored), P5 */
	w = &p.w[2];
	CELL(w->all, 2, 24000);
	CELL(w->band[CS_PB_UNSCORED], 1, 8000);
	CELL(w->band[CS_PB_YELLOW], 1, 16000);
	CELL(w->trend[CS_PT_UNSCORED], 1, 8000);
	CELL(w->trend[CS_PT_DECLINING], 1, 16000);
	CELL(w->risk[CS_RISK_UNKNOWN], 1, 8000);
	CELL(w->risk[CS_RISK_HIGH], 1, 16000);
	/* 91-120: P6, P7 */
	w = &p.w[3];
	assert_int_equal(w->from, 91);
	assert_int_equal(w->to, 120);
	CELL(w->all, 2, 96000);
	CELL(w->band[CS_PB_GREEN], 2, 96000);
	CELL(w->risk[CS_RISK_HIGH], 2, 96000);
	/* total */
	CELL(p.total.all, 9, 127100);
	assert_int_equal(p.total.arr_unknown, 1);
	CELL(p.total.risk[CS_RISK_HIGH], 4, 116000);
	CELL(p.total.risk[CS_RISK_MEDIUM], 3, 2100);
	CELL(p.total.risk[CS_RISK_LOW], 1, 1000);
	CELL(p.total.risk[CS_RISK_UNKNOWN], 1, 8000);
	CELL(p.total.band[CS_PB_GREEN], 5, 97100);

	/* --within 45: 0-30 and 31-45 (P2, P11). */
	assert_int_equal(cs_renewal_pipeline(db, &ren, "default", day("2026-11-20"), 45, &p, &d), 0);
	assert_int_equal(p.nwindows, 2);
	assert_int_equal(p.w[1].from, 31);
	assert_int_equal(p.w[1].to, 45);
	CELL(p.w[1].all, 2, 4100);
	CELL(p.total.all, 4, 7100);
	/* --within 30: one window. */
	assert_int_equal(cs_renewal_pipeline(db, &ren, "default", day("2026-11-20"), 30, &p, &d), 0);
	assert_int_equal(p.nwindows, 1);
	CELL(p.total.all, 2, 3000);
	cs_db_close(db);
}

static void test_pipeline_pages(void **state)
{
	static const char *const order[] = { "P0", "P1", "P2", "P11", "P3", "P4", "P5", "P6",
					     "P7" };
	sqlite3 *db = pipeline_db("pages.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_renewal_row rows[4];
	struct cs_renewal_key key = { .set = false };
	int32_t as_of = day("2026-11-20");
	int n, seen = 0;

	(void)state;
	/* Forwards, three at a time. */
	do {
		n = cs_renewal_list(db, &ren, "default", as_of, 120, &key, false, rows, 3, &d);
		assert_true(n >= 0);
		for (int i = 0; i < n; i++)
			assert_string_equal(rows[i].customer_id, order[seen++]);
		if (n)
			key = rows[n - 1].key;
	} while (n == 3);
	assert_int_equal(seen, 9);
	/* Backwards from P4: P2, P11, P3, in display order. */
	n = cs_renewal_list(db, &ren, "default", as_of, 120, NULL, false, rows, 4, &d);
	assert_int_equal(n, 4);
	key = rows[3].key;	/* P11 */
	n = cs_renewal_list(db, &ren, "default", as_of, 120, &key, false, rows, 2, &d);
	assert_int_equal(n, 2);
	assert_string_equal(rows[1].customer_id, "P4");
	key = rows[1].key;
	n = cs_renewal_list(db, &ren, "default", as_of, 120, &key, true, rows, 3, &d);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].customer_id, "P2");
	assert_string_equal(rows[1].customer_id, "P11");
	assert_string_equal(rows[2].customer_id, "P3");
	/* The last rows, going back from the end. */
	n = cs_renewal_list(db, &ren, "default", as_of, 120, NULL, true, rows, 2, &d);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].customer_id, "P6");
	assert_string_equal(rows[1].customer_id, "P7");

	/* Each row's figures and next step. */
	n = cs_renewal_list(db, &ren, "default", as_of, 120, NULL, false, rows, 2, &d);
	assert_int_equal(n, 2);
	assert_int_equal(rows[1].days, 30);	/* P1: T-120 .. T-30 are due */
	assert_int_equal(rows[1].step, 0);
	assert_true(rows[1].step_due);
	assert_int_equal(rows[1].ndue, 4);
	assert_string_equal(rows[1].step_date, "2026-08-22");
	assert_int_equal(rows[1].risk, CS_RISK_MEDIUM);
	assert_string_equal(rows[1].band, "yellow");
	exec(db, "INSERT INTO actions (kind, rule_key, customer_id, reason, created_at, last_seen,"
		 "                     status) VALUES"
		 " ('renewal', 'renewal:P1:2026-12-20:T-120', 'P1', 'x', '2026-11-20', '2026-11-20',"
		 "  'resolved'),"
		 " ('renewal', 'renewal:P1:2026-12-20:T-90', 'P1', 'x', '2026-11-20', '2026-11-20',"
		 "  'dismissed'),"
		 " ('renewal', 'renewal:P1:2026-12-20:T-60', 'P1', 'x', '2026-11-20', '2026-11-20',"
		 "  'open'),"
		 " ('renewal', 'renewal:P1:2025-12-20:T-30', 'P1', 'x', '2026-11-20', '2026-11-20',"
		 "  'resolved')");
	n = cs_renewal_list(db, &ren, "default", as_of, 120, NULL, false, rows, 2, &d);
	assert_int_equal(rows[1].step, 2);	/* T-60: open is not done */
	assert_int_equal(rows[1].ndue, 2);
	assert_string_equal(rows[1].step_date, "2026-10-21");
	/* P7 at 120 days: the kickoff is due today; P4 at 61 days, not scored. */
	n = cs_renewal_list(db, &ren, "default", as_of, 120, NULL, true, rows, 4, &d);
	assert_int_equal(n, 4);
	assert_string_equal(rows[3].customer_id, "P7");
	assert_int_equal(rows[3].step, 0);
	assert_int_equal(rows[3].ndue, 1);
	assert_string_equal(rows[3].step_date, "2026-11-20");
	assert_string_equal(rows[0].customer_id, "P4");
	assert_false(rows[0].scored);
	assert_int_equal(rows[0].risk, CS_RISK_UNKNOWN);
	assert_int_equal(rows[0].step, 0);
	assert_int_equal(rows[0].ndue, 2);	/* T-120 and T-90 */

	/* One customer, for the detail screen: beyond the window too. */
	{
		struct cs_renewal_row one;
		bool found;

		assert_int_equal(cs_renewal_get(db, &ren, "default", as_of, "P8", &one, &found, &d), 0);
		assert_true(found);
		assert_int_equal(one.days, 121);
		assert_int_equal(one.step, 0);
		assert_false(one.step_due);
		assert_int_equal(one.ndue, 0);
		assert_string_equal(one.step_date, "2026-11-21");
		assert_int_equal(one.risk, CS_RISK_HIGH);	/* red */
		assert_int_equal(cs_renewal_get(db, &ren, "default", as_of, "P1", &one, &found, &d), 0);
		assert_true(found);
		assert_int_equal(one.step, 2);
		assert_int_equal(one.ndue, 2);
		/* renewed yesterday, churned, unknown: none */
		assert_int_equal(cs_renewal_get(db, &ren, "default", as_of, "P9", &one, &found, &d), 0);
		assert_false(found);
		assert_int_equal(cs_renewal_get(db, &ren, "default", as_of, "P10", &one, &found, &d), 0);
		assert_false(found);
		assert_int_equal(cs_renewal_get(db, &ren, "default", as_of, "nobody", &one, &found, &d), 0);
		assert_false(found);
	}
	cs_db_close(db);
}

static const char *load_error(const char *name, const char *body)
{
	static char line[1024];
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_renewals r;
	const char *path = write_file(name, body);

	line[0] = '\0';
	if (cs_renewals_load(path, &r, &d)) {
		assert_true(cap.n > 0);
		snprintf(line, sizeof(line), "%s", cap.lines[0] + strlen(path) - strlen(name));
	}
	return line;
}

static void test_file_errors(void **state)
{
	(void)state;
	assert_string_equal(load_error("ok.ini", "[pipeline]\nwindows = 30\n[T-1]\noffset_days = 1\n"
				       "title = One\n"), "");
	assert_string_equal(load_error("offset.ini", "[pipeline]\nwindows = 30\n[T-1]\n"
				       "offset_days = soon\n"),
			    "offset.ini:4: offset_days is a whole number of days 0-3650, not 'soon'");
	assert_string_equal(load_error("same.ini", "[pipeline]\nwindows = 30\n[A]\noffset_days = 5\n"
				       "title = A\n[B]\noffset_days = 5\n"),
			    "same.ini:7: [A] and [B] are both 5 days before");
	assert_string_equal(load_error("windows.ini", "[pipeline]\nwindows = 60, 30\n"),
			    "windows.ini:2: windows go up: 30 after 60");
	assert_string_equal(load_error("wbad.ini", "[pipeline]\nwindows = 30, x\n"),
			    "wbad.ini:2: windows are whole days 1-3650, not '30, x'");
	assert_string_equal(load_error("label.ini", "[pipeline]\nwindows = 30\n[T:1]\ntitle = x\n"),
			    "label.ini:4: [T:1]: a step's label is 1-15 letters, digits, '-', '+' or '_'");
	assert_string_equal(load_error("key.ini", "[pipeline]\nwindows = 30\n[T-1]\ncolour = red\n"),
			    "key.ini:4: unknown setting 'colour' in [T-1]");
	assert_string_equal(load_error("title.ini", "[pipeline]\nwindows = 30\n[T-1]\n"
				       "offset_days = 1\n"),
			    "title.ini:4: [T-1] needs a title");
	assert_string_equal(load_error("nooffset.ini", "[pipeline]\nwindows = 30\n[T-1]\n"
				       "title = One\n"),
			    "nooffset.ini:4: [T-1] needs offset_days");
	assert_string_equal(load_error("nosteps.ini", "[pipeline]\nwindows = 30\n"),
			    "nosteps.ini: no steps");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_timeline),
		cmocka_unit_test(test_step_due_on_each_t_date),
		cmocka_unit_test(test_actions_raised_refreshed_resolved),
		cmocka_unit_test(test_new_customer_gets_every_due_step),
		cmocka_unit_test(test_risk),
		cmocka_unit_test(test_pipeline_figures),
		cmocka_unit_test(test_pipeline_pages),
		cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests_name("renewals", tests, setup, NULL);
}
