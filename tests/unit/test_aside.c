/*
 * test_aside.c — read-only work beside the caller (aside.h): it runs on a
 * connection of its own, reads what was committed and none of the
 * caller's open transaction, while the caller writes; its messages reach
 * the caller's diagnostics in order, with its result; and without a
 * second thread (CASEY_ONE_THREAD) the same work runs inline with the
 * same answer.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "casey/aside.h"
#include "casey/db.h"

struct seen {
	sqlite3 *caller;
	pthread_t caller_thread;
	bool own_connection, own_thread;
	long rows;
	bool fail;
};

/* Count t's rows; say so, and fail when asked to. */
static int count_rows(sqlite3 *db, void *ctx, struct cs_diag *diag)
{
	struct seen *s = ctx;
	sqlite3_stmt *st;

	s->own_connection = db != s->caller;
	s->own_thread = !pthread_equal(pthread_self(), s->caller_thread);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting");
	if (sqlite3_step(st) == SQLITE_ROW)
		s->rows = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	cs_warn(diag, "counted %ld rows", s->rows);
	return s->fail ? cs_error(diag, "asked to fail") : 0;
}

static int exec_rc(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Start the work, then write a row the work must not see, then finish. */
static int run_beside_a_write(sqlite3 *db, struct seen *s, struct cs_diag *d)
{
	struct cs_aside *a;

	s->caller = db;
	s->caller_thread = pthread_self();
	a = cs_aside_start(db, count_rows, s, d);
	assert_non_null(a);
	assert_int_equal(exec_rc(db, "BEGIN IMMEDIATE; INSERT INTO t VALUES (4)"), SQLITE_OK);
	return cs_aside_finish(a, d);
}

static void test_aside(void **state)
{
	char path[512];
	sqlite3 *db;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct seen s;

	(void)state;
	snprintf(path, sizeof(path), "%s/aside.db", scratch_dir());
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	assert_int_equal(exec_rc(db, "CREATE TABLE t (i INTEGER); INSERT INTO t VALUES (1), (2), (3)"),
			 SQLITE_OK);

	/* beside: its own connection and thread, the committed three rows */
	memset(&s, 0, sizeof(s));
	assert_int_equal(run_beside_a_write(db, &s, &d), 0);
	assert_true(s.own_connection);
	assert_true(s.own_thread);
	assert_int_equal(s.rows, 3);
	assert_int_equal(cap.n, 1);
	assert_string_equal(cap.lines[0], "counted 3 rows");
	assert_int_equal(cap.level[0], CS_WARN);
	assert_int_equal(d.errors, 0);
	assert_int_equal(exec_rc(db, "ROLLBACK"), SQLITE_OK);

	/* a failure: its lines in order, the error counted on the caller's side */
	memset(&s, 0, sizeof(s));
	s.fail = true;
	cap.n = 0;
	assert_int_equal(run_beside_a_write(db, &s, &d), -1);
	assert_int_equal(cap.n, 2);
	assert_string_equal(cap.lines[0], "counted 3 rows");
	assert_string_equal(cap.lines[1], "asked to fail");
	assert_int_equal(cap.level[1], CS_ERROR);
	assert_int_equal(d.errors, 1);
	assert_int_equal(exec_rc(db, "ROLLBACK"), SQLITE_OK);

	/* no second thread: inline, on the caller's connection, the same answer */
	memset(&s, 0, sizeof(s));
	cap.n = 0;
	setenv("CASEY_ONE_THREAD", "1", 1);
	assert_int_equal(run_beside_a_write(db, &s, &d), 0);
	unsetenv("CASEY_ONE_THREAD");
	assert_false(s.own_connection);
	assert_false(s.own_thread);
	assert_int_equal(s.rows, 3);
	assert_string_equal(cap.lines[0], "counted 3 rows");
	assert_int_equal(exec_rc(db, "ROLLBACK"), SQLITE_OK);
	cs_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aside),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
