/*
 * test_ticket_pages.c — the ticket reads of the triage and themes screens
 * (lists.h: cs_list_tickets, cs_count_tickets, cs_ticket_get) and the
 * triage's undo (tickets.h: cs_ticket_category_save / _restore).
 *
 * Paging is checked against an oracle computed here in C, for every
 * filter (all, uncategorised, a theme, a theme without a category, a
 * window), page sizes 1 to 7 and 100, forwards from the start, backwards
 * from the end and both ways from every row; created_at ties everywhere.
 * Undo is checked to put back category, source, confidence (to the last
 * bit) and theme, NULLs included, and to take the ticket out of the
 * CSM's hands for the next categorisation.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/lists.h"
#include "casey/tickets.h"
#include "casey/value.h"

#define N 64
#define AS_OF "2026-11-20"

struct tk {
	char id[8];
	char created[32];
	const char *category, *source, *theme;
};

static struct tk tks[N];
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

static const char *q_text(const char *sql)
{
	static char buf[1024];
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	snprintf(buf, sizeof(buf), "(no row)");
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(buf, sizeof(buf), "%s", t ? (const char *)t : "NULL");
	}
	sqlite3_finalize(st);
	return buf;
}

/*
 * Four tickets share each created_at (ids in no particular order), from
 * 2026-11-06 to 2026-11-21 (the last day is after the as-of date); every
 * source, and NULL; three themes, one of them also without a category.
 */
static void make_data(void)
{
	static const char *const cats[] = { "Bug Report", "Feature Request", NULL };
	static const char *const srcs[] = { "export", "rule", "model", "csm", NULL };
	static const char *const themes[] = { "csv export", "sso", "login" };
	sqlite3_stmt *st;

	exec("INSERT INTO customers(customer_id, name, arr) VALUES ('A', 'Acme', 1000),"
	     " ('B', 'Beta', NULL)");
	assert_int_equal(sqlite3_prepare_v2(db,
		"INSERT INTO tickets(ticket_id, customer_id, created_at, subject, category,"
		" category_source, confidence, theme)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &st, NULL), SQLITE_OK);
	for (int i = 0; i < N; i++) {
		struct tk *t = &tks[i];

		snprintf(t->id, sizeof(t->id), "T%02d", (i * 37) % N);
		snprintf(t->created, sizeof(t->created), "2026-11-%02d 0%d:00:00", 6 + i / 4,
			 i % 4 == 3 ? 9 : 8);
		t->source = srcs[i % 5];
		t->category = t->source ? cats[i % 3 == 2 ? 0 : i % 3] : NULL;
		if (i % 7 == 0)
			t->category = NULL, t->source = NULL;
		t->theme = themes[i % 3];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, t->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, i % 2 ? "A" : "B", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, t->created, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, "a subject", -1, SQLITE_STATIC);
		if (t->category)
			sqlite3_bind_text(st, 5, t->category, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 5);
		if (t->source)
			sqlite3_bind_text(st, 6, t->source, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 6);
		if (t->category)
			sqlite3_bind_double(st, 7, 0.5);
		else
			sqlite3_bind_null(st, 7);
		sqlite3_bind_text(st, 8, t->theme, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	}
	sqlite3_finalize(st);
}

static int setup(void **state)
{
	static int n;
	char path[512];

	(void)state;
	diag = capture_diag(&cap);
	snprintf(path, sizeof(path), "%s/p%d.db", scratch_dir(), n++);
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

/* ---- the oracle ----------------------------------------------------------- */

static bool selects(const struct cs_ticket_filter *f, const struct tk *t)
{
	char from[11] = "", to[11];

	if (f->days > 0)
		cs_format_day(f->as_of - f->days + 1, from);
	cs_format_day(f->as_of + 1, to);
	if (strcmp(t->created, from) < 0 || strcmp(t->created, to) >= 0)
		return false;
	if (f->uncategorised && t->source && strcmp(t->source, "rule") &&
	    strcmp(t->source, "model"))
		return false;
	if (f->theme && (strcmp(t->theme, f->theme) ||
			 strcmp(t->category ? t->category : "", f->category)))
		return false;
	return true;
}

/* Newest first: created_at, then id, descending. */
static int newest_first(const void *a, const void *b)
{
	const struct tk *x = *(const struct tk *const *)a, *y = *(const struct tk *const *)b;
	int c = strcmp(y->created, x->created);

	return c ? c : strcmp(y->id, x->id);
}

static int oracle(const struct cs_ticket_filter *f, const struct tk **out)
{
	int n = 0;

	for (int i = 0; i < N; i++)
		if (selects(f, &tks[i]))
			out[n++] = &tks[i];
	qsort(out, (size_t)n, sizeof(*out), newest_first);
	return n;
}

/* ---- paging --------------------------------------------------------------- */

static void check_filter(const struct cs_ticket_filter *f)
{
	static const int sizes[] = { 1, 2, 3, 5, 7, 100 };
	const struct tk *want[N];
	struct cs_ticket_item rows[100];
	int n = oracle(f, want);
	long count;

	assert_int_equal(cs_count_tickets(db, f, &count, &diag), 0);
	assert_int_equal(count, n);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		int size = sizes[s], seen = 0, got;
		struct cs_ticket_key key = { .set = false };

		/* Forwards from the start. */
		while ((got = cs_list_tickets(db, f, &key, false, rows, size, &diag)) > 0) {
			for (int i = 0; i < got; i++) {
				assert_true(seen + i < n);
				assert_string_equal(rows[i].ticket_id, want[seen + i]->id);
			}
			seen += got;
			key = rows[got - 1].key;
		}
		assert_int_equal(got, 0);
		assert_int_equal(seen, n);
		/* Backwards from the end. */
		seen = 0;
		got = cs_list_tickets(db, f, NULL, true, rows, size, &diag);
		while (got > 0) {
			for (int i = 0; i < got; i++)
				assert_string_equal(rows[i].ticket_id,
						    want[n - seen - got + i]->id);
			seen += got;
			key = rows[0].key;
			got = cs_list_tickets(db, f, &key, true, rows, size, &diag);
		}
		assert_int_equal(got, 0);
		assert_int_equal(seen, n);
		/* Both ways from every row. */
		for (int at = 0; at < n && size <= 3; at++) {
			struct cs_ticket_key k = { .set = true };

			snprintf(k.created_at, sizeof(k.created_at), "%s", want[at]->created);
			snprintf(k.ticket_id, sizeof(k.ticket_id), "%s", want[at]->id);
			got = cs_list_tickets(db, f, &k, false, rows, size, &diag);
			assert_int_equal(got, n - at - 1 < size ? n - at - 1 : size);
			for (int i = 0; i < got; i++)
				assert_string_equal(rows[i].ticket_id, want[at + 1 + i]->id);
			got = cs_list_tickets(db, f, &k, true, rows, size, &diag);
			assert_int_equal(got, at < size ? at : size);
			for (int i = 0; i < got; i++)
				assert_string_equal(rows[i].ticket_id, want[at - got + i]->id);
		}
	}
}

static void test_pages_match_the_oracle(void **state)
{
	struct cs_ticket_filter f = { .as_of = as_of };

	(void)state;
	check_filter(&f);
	f.uncategorised = true;
	check_filter(&f);
	f.theme = "sso";
	f.category = "Feature Request";
	check_filter(&f);
	f.uncategorised = false;
	check_filter(&f);
	/* The tickets of a theme without a category. */
	f.theme = "login";
	f.category = "";
	check_filter(&f);
	/* A window: the 7 days to the as-of date. */
	f.theme = NULL;
	f.days = 7;
	check_filter(&f);
	f.uncategorised = true;
	check_filter(&f);
	/* Keys outside the window: all of it is after (or before) them. */
	{
		const struct tk *want[N];
		struct cs_ticket_item rows[3];
		struct cs_ticket_key newer = { .set = true, .created_at = "2026-12-01",
					       .ticket_id = "T00" };
		struct cs_ticket_key older = { .set = true, .created_at = "2026-01-01",
					       .ticket_id = "T00" };
		int n = oracle(&f, want);

		assert_true(n > 3);
		assert_int_equal(cs_list_tickets(db, &f, &newer, false, rows, 3, &diag), 3);
		assert_string_equal(rows[0].ticket_id, want[0]->id);
		assert_int_equal(cs_list_tickets(db, &f, &newer, true, rows, 3, &diag), 0);
		assert_int_equal(cs_list_tickets(db, &f, &older, true, rows, 3, &diag), 3);
		assert_string_equal(rows[2].ticket_id, want[n - 1]->id);
		assert_int_equal(cs_list_tickets(db, &f, &older, false, rows, 3, &diag), 0);
	}
	/* Nothing: a theme nobody has. */
	f.theme = "nothing";
	check_filter(&f);
	assert_int_equal(cap.n, 0);
}

static void test_rows_carry_the_ticket(void **state)
{
	struct cs_ticket_filter f = { .as_of = as_of, .uncategorised = true };
	struct cs_ticket_item rows[2];

	(void)state;
	exec("UPDATE tickets SET subject = 'Export fails', status = 'open', urgency = 'high',"
	     " impact = 'low', resolved_at = '2026-11-20 10:00:00', category = 'Bug Report',"
	     " category_source = 'model', confidence = 0.75"
	     " WHERE ticket_id = (SELECT ticket_id FROM tickets"
	     " WHERE created_at < '2026-11-21' ORDER BY created_at DESC, ticket_id DESC LIMIT 1)");
	assert_int_equal(cs_list_tickets(db, &f, NULL, false, rows, 1, &diag), 1);
	assert_string_equal(rows[0].subject, "Export fails");
	assert_string_equal(rows[0].status, "open");
	assert_string_equal(rows[0].urgency, "high");
	assert_string_equal(rows[0].impact, "low");
	assert_string_equal(rows[0].resolved_at, "2026-11-20 10:00:00");
	assert_string_equal(rows[0].created_at, "2026-11-20 09:00:00");
	assert_int_equal(rows[0].category, CAT_BUG);
	assert_int_equal(rows[0].source, CS_SRC_MODEL);
	assert_true(rows[0].confidence == 0.75);
	assert_string_equal(rows[0].customer, strcmp(rows[0].customer_id, "A") ? "Beta" : "Acme");
}

static void test_ticket_get(void **state)
{
	static struct cs_ticket_full t;
	char *desc = malloc(3 * CS_TICKET_TEXT_MAX);
	sqlite3_stmt *st;
	bool found;
	size_t n;

	(void)state;
	assert_non_null(desc);
	/* A description of two-byte characters longer than the buffer. */
	for (n = 0; n + 2 < 3 * CS_TICKET_TEXT_MAX; n += 2)
		memcpy(desc + n, "\xc3\xa9", 2);
	desc[n] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE tickets SET description = ?1,"
		" tags = 'csv, export', sentiment = 'angry', export_category = 'problem'"
		" WHERE ticket_id = 'T00'", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, desc, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	free(desc);
	assert_int_equal(cs_ticket_get(db, "T00", &t, &found, &diag), 0);
	assert_true(found);
	assert_string_equal(t.t.ticket_id, "T00");
	assert_string_equal(t.tags, "csv, export");
	assert_string_equal(t.sentiment, "angry");
	assert_string_equal(t.export_category, "problem");
	assert_true(t.description_cut);
	n = strlen(t.description);
	assert_true(n > CS_TICKET_TEXT_MAX - 3 && n < CS_TICKET_TEXT_MAX);
	assert_int_equal(n % 2, 0);	/* whole characters only */
	/* A short one is whole. */
	exec("UPDATE tickets SET description = 'short' WHERE ticket_id = 'T01'");
	assert_int_equal(cs_ticket_get(db, "T01", &t, &found, &diag), 0);
	assert_string_equal(t.description, "short");
	assert_false(t.description_cut);
	/* None. */
	assert_int_equal(cs_ticket_get(db, "NOPE", &t, &found, &diag), 0);
	assert_false(found);
	assert_int_equal(cap.n, 0);
}

/* ---- undo ------------------------------------------------------------------- */

/* "category|source|confidence|theme" as stored, NULL as "-". */
static const char *stored(const char *id)
{
	char sql[300];

	snprintf(sql, sizeof(sql), "SELECT coalesce(category, '-') || '|' ||"
		 " coalesce(category_source, '-') || '|' || coalesce(confidence, '-') ||"
		 " '|' || coalesce(theme, '-') FROM tickets WHERE ticket_id = '%s'", id);
	return q_text(sql);
}

static void test_undo_restores_exactly(void **state)
{
	struct cs_ticket_category_state s, t;
	struct captured c2;
	struct cs_diag d2 = capture_diag(&c2);
	char before[256];
	sqlite3_stmt *st;

	(void)state;
	/* A model's proposal with a confidence no decimal text would round-trip. */
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE tickets SET category = 'Bug Report',"
		" category_source = 'model', confidence = ?1, theme = 'csv export'"
		" WHERE ticket_id = 'T05'", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_double(st, 1, 0.1 + 0.2);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	snprintf(before, sizeof(before), "%s", stored("T05"));
	assert_int_equal(cs_ticket_category_save(db, "T05", &s, &diag), 0);
	assert_true(s.has_category && s.has_confidence && s.has_theme);
	assert_string_equal(s.category, "Bug Report");
	assert_int_equal(s.source, CS_SRC_MODEL);
	assert_true(s.confidence == 0.1 + 0.2);
	assert_int_equal(cs_ticket_set_category(db, "T05", CAT_HOWTO, &diag), 0);
	assert_string_equal(stored("T05"), "How-To Question|csm|1.0|csv export");
	assert_int_equal(cs_ticket_category_restore(db, "T05", &s, &diag), 0);
	assert_string_equal(stored("T05"), before);
	/* To the last bit. */
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT confidence FROM tickets"
		" WHERE ticket_id = 'T05'", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_double(st, 0) == 0.1 + 0.2);
	sqlite3_finalize(st);

	/* All NULL (never categorised) comes back all NULL. */
	exec("UPDATE tickets SET category = NULL, category_source = NULL, confidence = NULL,"
	     " theme = NULL WHERE ticket_id = 'T06'");
	assert_int_equal(cs_ticket_category_save(db, "T06", &t, &diag), 0);
	assert_false(t.has_category || t.has_confidence || t.has_theme);
	assert_int_equal(t.source, CS_SRC_NONE);
	assert_int_equal(cs_ticket_set_category(db, "T06", CAT_BUG, &diag), 0);
	assert_int_equal(cs_ticket_category_restore(db, "T06", &t, &diag), 0);
	assert_string_equal(stored("T06"), "-|-|-|-");

	/* Undone, the decision no longer binds the categoriser: T05 is a rule's. */
	{
		struct cs_tickets_config *cfg = NULL;

		/* The shipped rules: "times out" in a subject is a Performance Issue. */
		assert_int_equal(cs_tickets_config_load(NULL, &cfg, &diag), 0);
		exec("UPDATE tickets SET subject = 'Export times out' WHERE ticket_id = 'T05'");
		assert_int_equal(cs_ticket_set_category(db, "T05", CAT_HOWTO, &diag), 0);
		assert_int_equal(cs_ticket_category_restore(db, "T05", &s, &diag), 0);
		assert_true(cs_tickets_categorise_cfg(db, cfg, &diag) >= 0);
		assert_string_equal(q_text("SELECT category || '|' || category_source FROM"
					   " tickets WHERE ticket_id = 'T05'"), "Performance Issue|rule");
		cs_tickets_config_free(cfg);
	}
	assert_int_equal(cap.n, 0);

	/* Errors. */
	assert_int_equal(cs_ticket_category_save(db, "NOPE", &t, &d2), -1);
	assert_true(captured_has(&c2, "no ticket 'NOPE'"));
	assert_int_equal(cs_ticket_category_restore(db, "NOPE", &s, &d2), -1);
	assert_int_equal(c2.n, 2);
	/* A category too long to keep is refused, not cut. */
	exec("UPDATE tickets SET category = hex(zeroblob(40)) WHERE ticket_id = 'T07'");
	assert_int_equal(cs_ticket_category_save(db, "T07", &t, &d2), -1);
	assert_true(captured_has(&c2, "ticket 'T07': its stored category cannot be kept to "
				 "put back"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pages_match_the_oracle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_carry_the_ticket, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undo_restores_exactly, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
