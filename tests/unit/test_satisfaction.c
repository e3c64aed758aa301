/*
 * test_satisfaction.c — NPS and CSAT as PRODUCT.md §3 defines them, with
 * hand-computed reference values, and the edges of the 90-day window.
 */
#include "testutil.h"

#include <math.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/satisfaction.h"
#include "casey/value.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
};

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/s%d.db", scratch_dir(), n++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	assert_int_equal(sqlite3_exec(f->db, "INSERT INTO customers (customer_id, name)"
				      " VALUES ('C1', 'One')", NULL, NULL, NULL), SQLITE_OK);
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

static int32_t day(const char *s)
{
	int32_t d;

	assert_int_equal(cs_parse_day(s, &d), 0);
	return d;
}

/* Insert an NPS answer given days before as_of. */
static void nps_at(struct fixture *f, int32_t as_of, int days_before, int score)
{
	static int key;
	char d[11], k[16];
	sqlite3_stmt *st;

	cs_format_day(as_of - days_before, d);
	snprintf(k, sizeof(k), "N%d", key++);
	assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO nps (response_key, customer_id,"
					    " date, score) VALUES (?1, 'C1', ?2, ?3)", -1, &st,
					    NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, score);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* Insert a CSAT answer given days before as_of: score 1-5, or 0 with good 1/0. */
static void csat_at(struct fixture *f, int32_t as_of, int days_before, int score, int good)
{
	static int key;
	char d[11], k[16];
	sqlite3_stmt *st;

	cs_format_day(as_of - days_before, d);
	snprintf(k, sizeof(k), "S%d", key++);
	assert_int_equal(sqlite3_prepare_v2(f->db, "INSERT INTO csat (response_key, customer_id,"
					    " date, score, good) VALUES (?1, 'C1', ?2, ?3, ?4)",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d, -1, SQLITE_STATIC);
	if (score)
		sqlite3_bind_int(st, 3, score);
	else
		sqlite3_bind_null(st, 3);
	if (score)
		sqlite3_bind_null(st, 4);
	else
		sqlite3_bind_int(st, 4, good);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

/* 3,4,5,6 detractors; 8,8,8 passives; 9,10,10 promoters: 30% - 40% = -10. */
static void test_nps_reference_ten(void **state)
{
	static const int scores[] = { 3, 4, 5, 6, 8, 8, 8, 9, 10, 10 };
	struct cs_nps n = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scores) / sizeof(scores[0]); i++)
		cs_nps_add(&n, scores[i]);
	cs_nps_finish(&n);
	assert_int_equal(n.detractors, 4);
	assert_int_equal(n.passives, 3);
	assert_int_equal(n.promoters, 3);
	assert_int_equal(n.responses, 10);
	assert_true(fabs(n.score - -10.0) < 1e-9);
}

/* 60 detractors, 90 passives, 100 promoters: (100 - 60) / 250 = 16. */
static void test_nps_reference_250(void **state)
{
	struct cs_nps n = { 0 };
	int i;

	(void)state;
	for (i = 0; i < 60; i++)
		cs_nps_add(&n, i % 7);		/* 0..6 */
	for (i = 0; i < 90; i++)
		cs_nps_add(&n, 7 + i % 2);	/* 7, 8 */
	for (i = 0; i < 100; i++)
		cs_nps_add(&n, 9 + i % 2);	/* 9, 10 */
	cs_nps_finish(&n);
	assert_int_equal(n.detractors, 60);
	assert_int_equal(n.passives, 90);
	assert_int_equal(n.promoters, 100);
	assert_true(fabs(n.score - 16.0) < 1e-9);
}

/* The category edges: 6 is a detractor, 7 and 8 passives, 9 a promoter, 0 and 10 count. */
static void test_nps_category_edges(void **state)
{
	static const struct { int score; long d, pa, p; } t[] = {
		{ 0, 1, 0, 0 }, { 6, 1, 0, 0 }, { 7, 0, 1, 0 }, { 8, 0, 1, 0 },
		{ 9, 0, 0, 1 }, { 10, 0, 0, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cs_nps n = { 0 };

		cs_nps_add(&n, t[i].score);
		assert_int_equal(n.detractors, t[i].d);
		assert_int_equal(n.passives, t[i].pa);
		assert_int_equal(n.promoters, t[i].p);
	}
}

/*
 * The window is the 90 days up to and including the as-of day:
 * [as_of - 89, as_of]. An answer 89 days old counts; one 90 days old does
 * not; nor does one after the as-of day.
 */
static void test_nps_window_edges(void **state)
{
	struct fixture *f = *state;
	int32_t as_of = day("2026-11-20");
	struct cs_nps n;

	nps_at(f, as_of, 90, 0);	/* 2026-08-22: outside */
	nps_at(f, as_of, 89, 10);	/* 2026-08-23: the first day in */
	nps_at(f, as_of, 0, 9);		/* the as-of day itself */
	nps_at(f, as_of, -1, 0);	/* tomorrow: outside */
	assert_int_equal(cs_nps_window(f->db, as_of, &n, &f->diag), 0);
	assert_int_equal(n.responses, 2);
	assert_int_equal(n.promoters, 2);
	assert_int_equal(n.detractors, 0);
	assert_true(fabs(n.score - 100.0) < 1e-9);
	/* A day later, the 89-day-old answer is 90 days old and drops out. */
	assert_int_equal(cs_nps_window(f->db, as_of + 1, &n, &f->diag), 0);
	assert_int_equal(n.responses, 2);	/* the as-of answer and "tomorrow"'s 0 */
	assert_int_equal(n.promoters, 1);
	assert_int_equal(n.detractors, 1);
}

/* No answers: zero responses, and the score is not a number to show. */
static void test_nps_empty(void **state)
{
	struct fixture *f = *state;
	struct cs_nps n;

	assert_int_equal(cs_nps_window(f->db, day("2026-11-20"), &n, &f->diag), 0);
	assert_int_equal(n.responses, 0);
}

/*
 * 42, 32, 10, 9, 14 answers of 5, 4, 3, 2, 1 (107 in all): 74 satisfied,
 * 69.2%; mean 400 / 107 = 3.74.
 */
static void test_csat_reference(void **state)
{
	static const int count[5] = { 14, 9, 10, 32, 42 };	/* of 1..5 */
	struct cs_csat c = { 0 };
	int s, i;

	(void)state;
	for (s = 1; s <= 5; s++)
		for (i = 0; i < count[s - 1]; i++)
			cs_csat_add(&c, s, -1);
	cs_csat_finish(&c);
	assert_int_equal(c.responses, 107);
	assert_int_equal(c.scored, 107);
	assert_int_equal(c.satisfied, 74);
	assert_true(fabs(c.satisfied_pct - 7400.0 / 107) < 1e-9);
	assert_true(fabs(c.satisfied_pct - 69.2) < 0.05);
	assert_true(fabs(c.average - 400.0 / 107) < 1e-9);
	assert_true(fabs(c.average - 3.74) < 0.005);
}

/* Good counts as satisfied and Bad not, in the share only: the mean is of the 1-5 answers. */
static void test_csat_good_bad(void **state)
{
	struct cs_csat c = { 0 };

	(void)state;
	cs_csat_add(&c, 5, -1);
	cs_csat_add(&c, 2, -1);
	cs_csat_add(&c, 0, 1);	/* Good */
	cs_csat_add(&c, 0, 1);	/* Good */
	cs_csat_add(&c, 0, 0);	/* Bad */
	cs_csat_add(&c, 0, -1);	/* neither: not an answer */
	cs_csat_finish(&c);
	assert_int_equal(c.responses, 5);
	assert_int_equal(c.scored, 2);
	assert_int_equal(c.satisfied, 3);
	assert_true(fabs(c.satisfied_pct - 60.0) < 1e-9);
	assert_true(fabs(c.average - 3.5) < 1e-9);
}

static void test_csat_window(void **state)
{
	struct fixture *f = *state;
	int32_t as_of = day("2026-11-20");
	struct cs_csat c;

	csat_at(f, as_of, 90, 1, -1);	/* outside */
	csat_at(f, as_of, 89, 5, -1);
	csat_at(f, as_of, 10, 0, 1);	/* Good */
	csat_at(f, as_of, 0, 3, -1);
	csat_at(f, as_of, -1, 1, -1);	/* outside */
	assert_int_equal(cs_csat_window(f->db, as_of, &c, &f->diag), 0);
	assert_int_equal(c.responses, 3);
	assert_int_equal(c.scored, 2);
	assert_int_equal(c.satisfied, 2);
	assert_true(fabs(c.average - 4.0) < 1e-9);
	assert_true(fabs(c.satisfied_pct - 200.0 / 3) < 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nps_reference_ten),
		cmocka_unit_test(test_nps_reference_250),
		cmocka_unit_test(test_nps_category_edges),
		cmocka_unit_test_setup_teardown(test_nps_window_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nps_empty, setup, teardown),
		cmocka_unit_test(test_csat_reference),
		cmocka_unit_test(test_csat_good_bad),
		cmocka_unit_test_setup_teardown(test_csat_window, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
