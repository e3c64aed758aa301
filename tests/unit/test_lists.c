/*
 * test_lists.c — the dashboard's list and detail reads (lists.h): keyset
 * paging checked against an independent oracle for every order, filter,
 * page size and direction (forwards from the start, backwards from the
 * end, both ways from the middle), the snapshot date chosen, LIKE
 * wildcards taken literally, text cut at a character boundary; one
 * customer's record, history, tickets, survey answers and outreach; and
 * the terminal-safety rule the screens draw through (termsafe.h).
 */
#include "testutil.h"

#include <strings.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/lists.h"
#include "casey/termsafe.h"
#include "casey/tiers.h"
#include "casey/value.h"

#define N 40		/* customers; the last one is never scored */
#define AS_OF "2026-11-20"

struct cust {
	char id[16];
	char name[600];
	const char *segment, *csm, *band;
	bool has_arr, has_renewal, has_delta;
	double arr;
	char renewal[11];
	int score, delta;
};

static struct cust custs[N];
static sqlite3 *db;
static struct captured cap;
static struct cs_diag diag;
static int32_t as_of;

static void exec(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
}

/*
 * Ties everywhere: scores repeat every 30 customers, ARR every 11, deltas
 * every 11; NULL ARR every 5th, no renewal every 4th, no 30-day history
 * every 3rd.
 */
static void make_data(void)
{
	static const char *const segments[] = { "Enterprise", "Mid-Market", "Small Business" };
	static const char *const csms[] = { "Maya Chen", "Jonas Becker", "maya lin" };
	sqlite3_stmt *cst, *sst;
	int i;

	exec("BEGIN");
	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO customers(customer_id, name, segment, csm, arr, renewal_date)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &cst, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO snapshots(customer_id, as_of, profile, profile_version, score, band,"
		" coverage, delta30, trend, drop20, components, measures)"
		" VALUES (?1, ?2, 'default', '1', ?3, ?4, 100, ?5, ?6, 0, '', '')", -1, &sst,
		NULL), SQLITE_OK);
	for (i = 0; i < N; i++) {
		struct cust *c = &custs[i];

		snprintf(c->id, sizeof(c->id), "C%03d", i);
		if (i == 5)
			snprintf(c->name, sizeof(c->name), "100%% Pure_Water Ltd");
		else if (i == 6)
			snprintf(c->name, sizeof(c->name), "1000 Pure Water Ltd");
		else if (i == 7) {
			/* 200 two-byte characters: 400 bytes, cut to fit 255 */
			for (int k = 0; k < 200; k++)
				memcpy(c->name + 2 * k, "\xc3\xa9", 2);
			c->name[400] = '\0';
		} else
			snprintf(c->name, sizeof(c->name), "Customer %d %s", i,
				 i % 2 ? "Acme" : "Beta");
		c->segment = segments[i % 3];
		c->csm = csms[i % 3];
		c->has_arr = i % 5 != 0;
		c->arr = (i * 37 % 11) * 1000.0;
		c->has_renewal = i % 4 != 0;
		snprintf(c->renewal, sizeof(c->renewal), "2027-01-%02d", i % 9 + 1);
		c->score = (i * 7 % 30) * 2 + 40;
		c->band = c->score >= 80 ? "green" : c->score >= 50 ? "yellow" : "red";
		c->has_delta = i % 3 != 0;
		c->delta = i % 11 - 5;

		sqlite3_bind_text(cst, 1, c->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(cst, 2, c->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(cst, 3, c->segment, -1, SQLITE_STATIC);
		sqlite3_bind_text(cst, 4, c->csm, -1, SQLITE_STATIC);
		if (c->has_arr)
			sqlite3_bind_double(cst, 5, c->arr);
		else
			sqlite3_bind_null(cst, 5);
		if (c->has_renewal)
			sqlite3_bind_text(cst, 6, c->renewal, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(cst, 6);
		assert_int_equal(sqlite3_step(cst), SQLITE_DONE);
		sqlite3_reset(cst);
		if (i == N - 1)
			continue;	/* never scored: never listed */
		/* the listed snapshot, one a week before, one after the as-of date */
		for (int d = 0; d < 3; d++) {
			static const char *const dates[] = { AS_OF, "2026-11-13", "2026-11-27" };
			int score = d == 0 ? c->score : (c->score + 17 * d) % 100;

			sqlite3_bind_text(sst, 1, c->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(sst, 2, dates[d], -1, SQLITE_STATIC);
			sqlite3_bind_int(sst, 3, score);
			sqlite3_bind_text(sst, 4, score >= 80 ? "green" : score >= 50 ? "yellow" :
					  "red", -1, SQLITE_STATIC);
			if (c->has_delta)
				sqlite3_bind_int(sst, 5, c->delta);
			else
				sqlite3_bind_null(sst, 5);
			sqlite3_bind_text(sst, 6, c->has_delta && c->delta <= -5 ? "declining" :
					  c->has_delta && c->delta >= 5 ? "improving" : "stable", -1,
					  SQLITE_STATIC);
			assert_int_equal(sqlite3_step(sst), SQLITE_DONE);
			sqlite3_reset(sst);
		}
	}
	sqlite3_finalize(cst);
	sqlite3_finalize(sst);
	exec("COMMIT");
}

static int setup(void **state)
{
	char path[512];

	(void)state;
	diag = capture_diag(&cap);
	snprintf(path, sizeof(path), "%s/lists.db", scratch_dir());
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &diag), 0);
	assert_int_equal(cs_parse_day(AS_OF, &as_of), 0);
	make_data();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cs_db_close(db);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The oracle: lists.h's orders and filters, written out by hand        */

static enum cs_list_sort oracle_sort;

/* NULL values last, by id; known ones by value then id (ARR: both descending). */
static int oracle_cmp(const void *pa, const void *pb)
{
	const struct cust *a = *(const struct cust *const *)pa, *b = *(const struct cust *const *)pb;
	bool an, bn;
	double av = 0, bv = 0;
	int c;

	switch (oracle_sort) {
	case CS_SORT_SCORE:
		if (a->score != b->score)
			return a->score < b->score ? -1 : 1;
		return strcmp(a->id, b->id);
	case CS_SORT_ARR:
		an = !a->has_arr, bn = !b->has_arr, av = a->arr, bv = b->arr;
		break;
	case CS_SORT_TREND:
		an = !a->has_delta, bn = !b->has_delta, av = a->delta, bv = b->delta;
		break;
	default:
		an = !a->has_renewal, bn = !b->has_renewal;
		if (an != bn)
			return an ? 1 : -1;
		if (an)
			return strcmp(a->id, b->id);
		c = strcmp(a->renewal, b->renewal);
		return c ? c : strcmp(a->id, b->id);
	}
	if (an != bn)
		return an ? 1 : -1;
	if (an)
		return strcmp(a->id, b->id);
	if (oracle_sort == CS_SORT_ARR) {
		if (av != bv)
			return av > bv ? -1 : 1;
		return -strcmp(a->id, b->id);
	}
	if (av != bv)
		return av < bv ? -1 : 1;
	return strcmp(a->id, b->id);
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return !*needle;
}

/* assets/tiers.ini, once test_tier_filters loads it (casey_tier() in SQL) */
static struct cs_tiers tiers;

static bool oracle_tier(const struct cust *c, const char *tier)
{
	int t = cs_tier_of(&tiers, c->segment, c->has_arr, c->arr);

	if (!strcmp(tier, CS_TIER_NONE))
		return t < 0;
	return t >= 0 && !strcmp(tiers.t[t].name, tier);
}

static bool oracle_match(const struct cust *c, const struct cs_list_query *q)
{
	if (q->tier && *q->tier && !oracle_tier(c, q->tier))
		return false;
	if (q->band && *q->band && strcmp(c->band, q->band))
		return false;
	if (q->segment && *q->segment && strncasecmp(c->segment, q->segment, strlen(q->segment)))
		return false;
	if (q->csm && *q->csm && strncasecmp(c->csm, q->csm, strlen(q->csm)))
		return false;
	if (q->search && *q->search && !contains_ci(c->name, q->search) &&
	    !contains_ci(c->id, q->search))
		return false;
	return true;
}

static int oracle(const struct cs_list_query *q, const struct cust **out)
{
	int n = 0;

	for (int i = 0; i < N - 1; i++)
		if (oracle_match(&custs[i], q))
			out[n++] = &custs[i];
	oracle_sort = q->sort;
	qsort(out, (size_t)n, sizeof(out[0]), oracle_cmp);
	return n;
}

/* ------------------------------------------------------------------ */
/* Walking the list page by page                                        */

/* Our ids are "C000".."C039". */
static void copy_id(char dst[8], const char *id)
{
	size_t n = strlen(id);

	assert_true(n < 8);
	memcpy(dst, id, n + 1);
}

/* Forwards from key (NULL: the start) until the end; ids in order. */
static int walk_forward(const struct cs_list_query *q, const struct cs_list_key *from, int page,
			char ids[][8])
{
	struct cs_list_row rows[16];
	struct cs_list_key key;
	int n = 0, got;

	if (from)
		key = *from;
	else
		memset(&key, 0, sizeof(key));
	do {
		got = cs_list_customers(db, q, &key, false, rows, page, &diag);
		assert_true(got >= 0 && got <= page);
		for (int i = 0; i < got; i++)
			copy_id(ids[n++], rows[i].customer_id);
		if (got)
			key = rows[got - 1].key;
	} while (got == page);
	return n;
}

/* Backwards from key (NULL: the end) to the start; ids in display order. */
static int walk_backward(const struct cs_list_query *q, const struct cs_list_key *from, int page,
			 char ids[][8])
{
	struct cs_list_row rows[16];
	struct cs_list_key key;
	char rev[N][8];
	int n = 0, got;

	if (from)
		key = *from;
	else
		memset(&key, 0, sizeof(key));
	do {
		got = cs_list_customers(db, q, &key, true, rows, page, &diag);
		assert_true(got >= 0 && got <= page);
		for (int i = got - 1; i >= 0; i--)
			copy_id(rev[n++], rows[i].customer_id);
		if (got)
			key = rows[0].key;
	} while (got == page);
	for (int i = 0; i < n; i++)
		copy_id(ids[i], rev[n - 1 - i]);
	return n;
}

/* The key of the row with position pos (0-based) in q's order. */
static struct cs_list_key key_at(const struct cs_list_query *q, int pos)
{
	struct cs_list_row rows[N];
	int got = cs_list_customers(db, q, NULL, false, rows, pos + 1, &diag);

	assert_int_equal(got, pos + 1);
	return rows[pos].key;
}

static void check_query(const struct cs_list_query *q)
{
	const struct cust *want[N];
	char got[N][8];
	int n = oracle(q, want), m, page, mid, i;

	for (page = 1; page <= 7; page += 3) {
		m = walk_forward(q, NULL, page, got);
		assert_int_equal(m, n);
		for (i = 0; i < n; i++)
			assert_string_equal(got[i], want[i]->id);
		m = walk_backward(q, NULL, page, got);
		assert_int_equal(m, n);
		for (i = 0; i < n; i++)
			assert_string_equal(got[i], want[i]->id);
		if (n < 3)
			continue;
		/* from a row in the middle: the rows after it, and before it */
		mid = n / 2;
		{
			struct cs_list_key k = key_at(q, mid);

			m = walk_forward(q, &k, page, got);
			assert_int_equal(m, n - mid - 1);
			for (i = 0; i < m; i++)
				assert_string_equal(got[i], want[mid + 1 + i]->id);
			m = walk_backward(q, &k, page, got);
			assert_int_equal(m, mid);
			for (i = 0; i < m; i++)
				assert_string_equal(got[i], want[i]->id);
		}
	}
}

static void test_every_order_and_filter(void **state)
{
	static const char *const bands[] = { NULL, "red", "yellow", "green" };
	static const char *const segments[] = { NULL, "mid", "ENTERPRISE" };
	static const char *const csms[] = { NULL, "maya" };
	static const char *const searches[] = { NULL, "acme", "c01", "zzz" };
	struct cs_list_query q = { .profile = "default", .as_of = as_of };

	(void)state;
	for (int s = 0; s < CS_SORT_COUNT; s++)
		for (int b = 0; b < 4; b++)
			for (int g = 0; g < 3; g++)
				for (int c = 0; c < 2; c++)
					for (int x = 0; x < 4; x++) {
						q.sort = (enum cs_list_sort)s;
						q.band = bands[b];
						q.segment = segments[g];
						q.csm = csms[c];
						q.search = searches[x];
						check_query(&q);
					}
	assert_int_equal(diag.errors, 0);
}

/*
 * Unscored customers, never listed, that make "acme" match more than
 * lists.c's SEARCH_SPARSE (5000): that search then walks the order's
 * index, where a search matching few scans the matches. Both must agree
 * with the oracle. (Runs last of the list tests: the fillers slow down the
 * orders read through the customers table.)
 */
static void test_dense_search(void **state)
{
	static const char *const searches[] = { "acme", "c01" };
	struct cs_list_query q = { .profile = "default", .as_of = as_of };

	(void)state;
	exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)"
	     " INSERT INTO customers(customer_id, name, segment, csm, arr, renewal_date)"
	     " SELECT printf('X%05d', i), 'Acme filler', 'Mid-Market', 'Maya Chen', 1,"
	     " '2027-01-01' FROM n");
	for (int s = 0; s < CS_SORT_COUNT; s++)
		for (int x = 0; x < 2; x++) {
			q.sort = (enum cs_list_sort)s;
			q.search = searches[x];
			q.band = x ? NULL : "red";
			check_query(&q);
		}
	exec("DELETE FROM customers WHERE customer_id LIKE 'X%'");
	assert_int_equal(diag.errors, 0);
}

/*
 * The tier filter, a function of segment and ARR that no index serves:
 * every tier and "none" (a segment naming no tier and no ARR), in every
 * order, with and without a band. Few customers match each, so the list
 * reads the matches and sorts them (lists.c: SEARCH_SPARSE); then 5,001
 * unscored Mid-Market fillers make that tier walk the order's index,
 * and both must agree with the oracle.
 */
static void test_tier_filters(void **state)
{
	static const char *const bands[] = { NULL, "red" };
	const char *names[CS_TIERS_MAX + 1];
	struct cs_list_query q = { .profile = "default", .as_of = as_of };
	int ntiers, nnone = 0;

	(void)state;
	assert_int_equal(cs_tiers_load(NULL, &tiers, &diag), 0);
	assert_int_equal(cs_tiers_sql(db, &tiers, &diag), 0);
	for (ntiers = 0; ntiers < tiers.n; ntiers++)
		names[ntiers] = tiers.t[ntiers].name;
	names[ntiers++] = CS_TIER_NONE;
	/* every 7th customer's export names no tier: its ARR decides, or none */
	for (int i = 0; i < N; i += 7) {
		custs[i].segment = "Partner";
		nnone += i < N - 1 && !custs[i].has_arr;
	}
	exec("UPDATE customers SET segment = 'Partner' WHERE CAST(substr(customer_id, 2) AS INT) % 7 = 0");
	assert_int_equal(nnone, 2);	/* C000 and C035 */
	for (int s = 0; s < CS_SORT_COUNT; s++)
		for (int t = 0; t < ntiers; t++)
			for (int b = 0; b < 2; b++) {
				q.sort = (enum cs_list_sort)s;
				q.tier = names[t];
				q.band = bands[b];
				check_query(&q);
			}
	exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)"
	     " INSERT INTO customers(customer_id, name, segment, csm, arr, renewal_date)"
	     " SELECT printf('X%05d', i), 'Filler', 'Mid-Market', 'Maya Chen', 1,"
	     " '2027-01-01' FROM n");
	for (int s = 0; s < CS_SORT_COUNT; s++) {
		q.sort = (enum cs_list_sort)s;
		q.band = NULL;
		q.tier = "Mid-Market";
		check_query(&q);
		q.tier = CS_TIER_NONE;
		check_query(&q);
	}
	exec("DELETE FROM customers WHERE customer_id LIKE 'X%'");
	assert_int_equal(diag.errors, 0);
}

static void test_rows_carry_the_as_of_snapshot(void **state)
{
	struct cs_list_query q = { .profile = "default", .as_of = as_of, .sort = CS_SORT_SCORE };
	struct cs_list_row rows[N];
	int n, i;

	(void)state;
	n = cs_list_customers(db, &q, NULL, false, rows, N, &diag);
	assert_int_equal(n, N - 1);		/* the unscored one is not listed */
	for (i = 0; i < n; i++) {
		const struct cust *c = &custs[atoi(rows[i].customer_id + 1)];

		assert_int_equal(rows[i].score, c->score);	/* not the 11-13 or 11-27 one */
		assert_string_equal(rows[i].band, c->band);
		assert_int_equal(rows[i].arr_known, c->has_arr);
		assert_int_equal(rows[i].has_delta30, c->has_delta);
		assert_string_equal(rows[i].renewal_date, c->has_renewal ? c->renewal : "");
	}
	/* Before the first snapshot nothing is listed, and that is no error. */
	q.as_of = as_of - 30;
	assert_int_equal(cs_list_customers(db, &q, NULL, false, rows, N, &diag), 0);
	assert_int_equal(diag.errors, 0);
}

static void test_like_wildcards_are_literal(void **state)
{
	struct cs_list_query q = { .profile = "default", .as_of = as_of, .search = "100%" };
	struct cs_list_row rows[N];

	(void)state;
	assert_int_equal(cs_list_customers(db, &q, NULL, false, rows, N, &diag), 1);
	assert_string_equal(rows[0].customer_id, "C005");
	q.search = "Pure_";
	assert_int_equal(cs_list_customers(db, &q, NULL, false, rows, N, &diag), 1);
	assert_string_equal(rows[0].customer_id, "C005");
	q.search = "\\";
	assert_int_equal(cs_list_customers(db, &q, NULL, false, rows, N, &diag), 0);
}

static void test_long_names_cut_at_a_character(void **state)
{
	struct cs_list_query q = { .profile = "default", .as_of = as_of, .search = "C007" };
	struct cs_list_row rows[1];
	size_t len;

	(void)state;
	assert_int_equal(cs_list_customers(db, &q, NULL, false, rows, 1, &diag), 1);
	len = strlen(rows[0].name);
	assert_int_equal(len, 254);		/* 127 whole two-byte characters */
	assert_int_equal((unsigned char)rows[0].name[len - 2], 0xc3);
}

/* ------------------------------------------------------------------ */
/* One customer                                                         */

static void test_customer_and_history(void **state)
{
	struct cs_customer_info info;
	struct cs_history_point pts[8];
	bool found;

	(void)state;
	assert_int_equal(cs_customer_get(db, "C001", &info, &found, &diag), 0);
	assert_true(found);
	assert_string_equal(info.name, "Customer 1 Acme");
	assert_string_equal(info.segment, "Mid-Market");
	assert_true(info.arr_known);
	assert_true(info.arr == 4000);
	assert_string_equal(info.renewal_date, "2027-01-02");
	assert_int_equal(cs_customer_get(db, "nobody", &info, &found, &diag), 0);
	assert_false(found);

	/* oldest first, nothing after the as-of date */
	assert_int_equal(cs_score_history(db, "default", "C001", as_of, pts, 8, &diag), 2);
	assert_string_equal(pts[0].as_of, "2026-11-13");
	assert_string_equal(pts[1].as_of, AS_OF);
	assert_int_equal(pts[1].score, custs[1].score);
	/* the latest max */
	assert_int_equal(cs_score_history(db, "default", "C001", as_of + 7, pts, 2, &diag), 2);
	assert_string_equal(pts[0].as_of, AS_OF);
	assert_string_equal(pts[1].as_of, "2026-11-27");
	assert_int_equal(cs_score_history(db, "other", "C001", as_of, pts, 8, &diag), 0);
}

static void test_recent_tickets_feedback_outreach(void **state)
{
	struct cs_ticket_line t[4];
	struct cs_feedback_line f[4];
	struct cs_outreach_line o[4];
	long window;

	(void)state;
	exec("INSERT INTO tickets(ticket_id, customer_id, created_at, subject, category, status)"
	     " VALUES ('T1', 'C002', '2026-06-01 10:00:00', 'old one', NULL, 'closed'),"
	     "        ('T2', 'C002', '2026-11-20 23:59:59', 'last second', 'Bug Report', 'open'),"
	     "        ('T3', 'C002', '2026-11-21 00:00:00', 'tomorrow', NULL, 'open'),"
	     "        ('T4', 'C002', '2026-08-23 00:00:00', 'first day of 90', NULL, 'open'),"
	     "        ('T5', 'C002', '2026-08-22 23:59:59', 'just before', NULL, 'open')");
	assert_int_equal(cs_recent_tickets(db, "C002", as_of, 90, t, 4, &window, &diag), 4);
	assert_int_equal(window, 2);		/* T2 and T4: the 90 days to 11-20 */
	assert_string_equal(t[0].ticket_id, "T2");
	assert_string_equal(t[0].created_at, AS_OF);
	assert_string_equal(t[0].category, "Bug Report");
	assert_string_equal(t[1].ticket_id, "T4");
	assert_string_equal(t[3].ticket_id, "T1");
	assert_string_equal(t[3].category, "");

	exec("INSERT INTO nps(response_key, customer_id, date, score, comment)"
	     " VALUES ('N1', 'C002', '2026-10-01', 9, 'great'), ('N2', 'C002', '2026-12-01', 0, 'x')");
	exec("INSERT INTO csat(response_key, customer_id, date, score, good, context)"
	     " VALUES ('S1', 'C002', '2026-11-01', 2, NULL, 'Reports'),"
	     "        ('S2', 'C002', '2026-09-01', NULL, 1, '')");
	assert_int_equal(cs_recent_feedback(db, "C002", as_of, f, 4, &diag), 3);
	assert_string_equal(f[0].date, "2026-11-01");
	assert_false(f[0].nps);
	assert_int_equal(f[0].score, 2);
	assert_int_equal(f[0].good, -1);
	assert_string_equal(f[0].context, "Reports");
	assert_true(f[1].nps);
	assert_int_equal(f[1].score, 9);
	assert_string_equal(f[1].comment, "great");
	assert_int_equal(f[2].good, 1);

	exec("INSERT INTO outreach(outreach_key, customer_id, date, channel, responded, note)"
	     " VALUES ('O1', 'C002', '2026-11-19', 'call', 0, 'voicemail'),"
	     "        ('O2', 'C002', '2026-11-20', 'email', NULL, 'sent'),"
	     "        ('O3', 'C002', '2026-11-25', 'email', 1, 'later')");
	assert_int_equal(cs_recent_outreach(db, "C002", as_of, o, 4, &diag), 2);
	assert_string_equal(o[0].date, AS_OF);
	assert_int_equal(o[0].responded, -1);
	assert_int_equal(o[1].responded, 0);
	assert_string_equal(o[1].note, "voicemail");
	assert_int_equal(diag.errors, 0);
}

/* ------------------------------------------------------------------ */
/* The terminal-safety rule                                             */

static const char *safe(const char *s, unsigned flags)
{
	static char out[256];
	char ph[CS_TERM_PLACEHOLDER_MAX];
	size_t n = 0, k;

	while (*s) {
		if ((k = cs_term_unsafe(s, flags, ph))) {
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s", ph);
			s += k;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

static void test_term_unsafe(void **state)
{
	(void)state;
	assert_string_equal(safe("\033]0;pwned\007Evil", 0), "^[]0;pwned^GEvil");
	assert_string_equal(safe("a\tb\nc\r", 0), "a^Ib^Jc^M");
	assert_string_equal(safe("a\tb\nc\r", CS_TERM_KEEP_LINES), "a\tb\nc^M");
	assert_string_equal(safe("del\177", 0), "del^?");
	assert_string_equal(safe("csi\302\233x", 0), "csi<9B>x");
	assert_string_equal(safe("a\342\200\256b\342\201\246c\342\201\251", 0), "a<BIDI>b<BIDI>c<BIDI>");
	/* neighbours of the controls pass */
	assert_string_equal(safe("\302\240\342\200\251\342\200\257\342\201\245\303\251", 0),
			    "\302\240\342\200\251\342\200\257\342\201\245\303\251");
	/* a sequence cut by the end of the string never reads past it */
	assert_string_equal(safe("x\342\200", 0), "x\342\200");
	assert_string_equal(safe("x\302", 0), "x\302");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_order_and_filter),
		cmocka_unit_test(test_dense_search),
		cmocka_unit_test(test_tier_filters),
		cmocka_unit_test(test_rows_carry_the_as_of_snapshot),
		cmocka_unit_test(test_like_wildcards_are_literal),
		cmocka_unit_test(test_long_names_cut_at_a_character),
		cmocka_unit_test(test_customer_and_history),
		cmocka_unit_test(test_recent_tickets_feedback_outreach),
		cmocka_unit_test(test_term_unsafe),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
