/* lists.c — pages of customers and one customer's recent history. See lists.h. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/lists.h"
#include "casey/signals.h"
#include "casey/snapshot.h"
#include "casey/tiers.h"
#include "casey/value.h"
#include "tickets_int.h"

const char *const cs_list_sort_names[CS_SORT_COUNT] = {
	"score", "arr", "trend", "renewal",
};

/*
 * Each order is a plain column walked through its index (schema.sql.h:
 * snapshots_score, snapshots_trend, customers_arr, customers_renewal),
 * with customer_id breaking ties. The table owning the index drives the
 * join (CROSS JOIN keeps SQLite from reordering it). A page continues from
 * its key with a row-value comparison, (col, id) > (?, ?), which SQLite
 * turns into an index seek. Rows whose column is NULL (unknown ARR, no
 * renewal date, no 30-day history) come after all the others, by
 * customer_id: a second "segment" read the same way.
 */
static const struct order {
	const char *from;
	const char *col;
	const char *id;
	bool desc;			/* largest first (ties: largest id first) */
	bool nullable;
	bool text;			/* the key is text (else a number) */
} orders[CS_SORT_COUNT] = {
	[CS_SORT_SCORE] = {
		"snapshots s CROSS JOIN customers c ON c.customer_id = s.customer_id",
		"s.score", "s.customer_id", false, false, false },
	[CS_SORT_ARR] = {
		"customers c CROSS JOIN snapshots s ON s.profile = ?1 AND s.as_of = ?2"
		" AND s.customer_id = c.customer_id",
		"c.arr", "c.customer_id", true, true, false },
	[CS_SORT_TREND] = {
		"snapshots s CROSS JOIN customers c ON c.customer_id = s.customer_id",
		"s.delta30", "s.customer_id", false, true, false },
	[CS_SORT_RENEWAL] = {
		"customers c CROSS JOIN snapshots s ON s.profile = ?1 AND s.as_of = ?2"
		" AND s.customer_id = c.customer_id",
		"c.renewal_date", "c.customer_id", false, true, true },
};

/* Copy src into dst, cut at a character boundary when it does not fit. */
static void copy(char *dst, size_t size, const unsigned char *src)
{
	size_t n = src ? strlen((const char *)src) : 0;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && (src[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int i)
{
	copy(dst, size, sqlite3_column_text(st, i));
}

static bool set(const char *s)
{
	return s && *s;
}

/* A LIKE pattern matching s literally, with '%' before (contains) and after. */
static int like_pattern(char *out, size_t size, const char *s, bool contains)
{
	size_t n = 0;

	if (contains && n + 1 < size)
		out[n++] = '%';
	for (; *s; s++) {
		if (n + 3 >= size)
			return -1;
		if (*s == '%' || *s == '_' || *s == '\\')
			out[n++] = '\\';
		out[n++] = *s;
	}
	out[n++] = '%';
	out[n] = '\0';
	return 0;
}

static void next_day(int32_t as_of, char *out)
{
	cs_format_day(as_of + 1, out);
}

/*
 * A search ("name contains") or a tier (a function of segment and ARR)
 * cannot use an index. When few customers match them, reading them all
 * from the customers table and sorting them is quick, where walking the
 * order's index would look up every customer to find none (4 s at a
 * million for a tier no one is in); when many match, the index walk finds
 * a page at once. A capped count decides.
 */
#define SEARCH_SPARSE 5000	/* count_matches() counts to one more */
static const char sparse_from[] =
	"customers c NOT INDEXED CROSS JOIN snapshots s ON s.profile = ?1 AND s.as_of = ?2"
	" AND s.customer_id = c.customer_id";

/* The query's filters, as bound LIKE patterns. */
struct filters {
	char day[11];
	char segment[160], csm[160], search[600];
	bool sparse;			/* few match the search or tier: see above */
};

/*
 * The filters on the customer row alone, appended to sql[*len..size) as
 * " AND ..." with the parameters ?4 segment, ?5 CSM, ?6 search, ?10 tier
 * (bind_customer_filters). Returns -1 when it does not fit.
 */
static int customer_filters(char *sql, size_t size, size_t *len, const struct cs_list_query *q)
{
#define ADD(...) (*len += (size_t)snprintf(sql + *len, *len < size ? size - *len : 0, \
					   __VA_ARGS__))
	if (set(q->segment))
		ADD(" AND c.segment LIKE ?4 ESCAPE '\\'");
	if (set(q->csm))
		ADD(" AND c.csm LIKE ?5 ESCAPE '\\'");
	if (set(q->search))
		ADD(" AND (c.name LIKE ?6 ESCAPE '\\' OR c.customer_id LIKE ?6 ESCAPE '\\')");
	if (set(q->tier))
		ADD(" AND casey_tier(c.segment, c.arr) %s",
		    strcmp(q->tier, CS_TIER_NONE) ? "= ?10" : "IS NULL");
#undef ADD
	return *len < size ? 0 : -1;
}

static void bind_customer_filters(sqlite3_stmt *st, const struct cs_list_query *q,
				  const struct filters *f)
{
	if (set(q->segment))
		sqlite3_bind_text(st, 4, f->segment, -1, SQLITE_STATIC);
	if (set(q->csm))
		sqlite3_bind_text(st, 5, f->csm, -1, SQLITE_STATIC);
	if (set(q->search))
		sqlite3_bind_text(st, 6, f->search, -1, SQLITE_STATIC);
	if (set(q->tier) && strcmp(q->tier, CS_TIER_NONE))
		sqlite3_bind_text(st, 10, q->tier, -1, SQLITE_STATIC);
}

static int count_matches(sqlite3 *db, const struct cs_list_query *q, struct filters *f,
			 struct cs_diag *diag)
{
	char sql[1024] = "SELECT count(*) FROM (SELECT 1 FROM customers c WHERE 1";
	size_t len = strlen(sql);
	sqlite3_stmt *st;
	int rc;

	if (customer_filters(sql, sizeof(sql), &len, q) ||
	    len + sizeof(" LIMIT 5001)") > sizeof(sql))
		return cs_error(diag, "listing customers: query too long");
	memcpy(sql + len, " LIMIT 5001)", sizeof(" LIMIT 5001)"));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "listing customers");
	bind_customer_filters(st, q, f);
	rc = sqlite3_step(st);
	f->sparse = rc == SQLITE_ROW && sqlite3_column_int(st, 0) <= SEARCH_SPARSE;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "listing customers");
}

/*
 * One segment of one order: the non-NULL rows (null false) or the NULL
 * ones, after key (or from the start when key is NULL), walking forwards
 * or backwards in display order. Appends up to max rows; returns how many
 * or -1.
 */
static int segment(sqlite3 *db, const struct cs_list_query *q, const struct filters *f,
		   bool null, const struct cs_list_key *key, bool back,
		   struct cs_list_row *rows, int max, struct cs_diag *diag)
{
	const struct order *o = &orders[q->sort];
	/* Walking the column's index downwards: a desc order forwards, or back. */
	bool down = null ? back : o->desc != back;
	char sql[4096];
	sqlite3_stmt *st;
	int n = 0, rc = SQLITE_DONE;
	size_t len;

	len = (size_t)snprintf(sql, sizeof(sql),
		"SELECT c.customer_id, c.name, c.segment, c.csm, c.renewal_date, c.status,"
		"       c.arr, s.score, s.band, s.trend, s.delta30, s.drop20, %s"
		"  FROM %s WHERE s.profile = ?1 AND s.as_of = ?2", o->col,
		f->sparse ? sparse_from : o->from);
#define ADD(...) len += (size_t)snprintf(sql + len, len < sizeof(sql) ? sizeof(sql) - len : 0, \
					  __VA_ARGS__)
	if (set(q->band))
		ADD(" AND s.band = ?3");
	if (customer_filters(sql, sizeof(sql), &len, q))
		return cs_error(diag, "listing customers: query too long");
	if (set(q->behaviour) && q->signals)
		ADD(" AND %s = ?21", cs_behaviour_sql);
	if (null) {
		ADD(" AND %s IS NULL", o->col);
		if (key)
			ADD(" AND %s %s ?8", o->id, down ? "<" : ">");
		ADD(" ORDER BY %s %s", o->id, down ? "DESC" : "ASC");
	} else {
		if (o->nullable)
			ADD(" AND %s IS NOT NULL", o->col);
		if (key)
			ADD(" AND (%s, %s) %s (?7, ?8)", o->col, o->id, down ? "<" : ">");
		ADD(" ORDER BY %s %s, %s %s", o->col, down ? "DESC" : "ASC", o->id,
		    down ? "DESC" : "ASC");
	}
	ADD(" LIMIT ?9");
#undef ADD
	if (len >= sizeof(sql))
		return cs_error(diag, "listing customers: query too long");

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "listing customers");
	sqlite3_bind_text(st, 1, q->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->day, -1, SQLITE_STATIC);
	if (set(q->band))
		sqlite3_bind_text(st, 3, q->band, -1, SQLITE_STATIC);
	bind_customer_filters(st, q, f);
	if (key) {
		if (o->text)
			sqlite3_bind_text(st, 7, key->text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_double(st, 7, key->num);
		sqlite3_bind_text(st, 8, key->customer_id, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 9, max);
	if (set(q->behaviour) && q->signals) {
		sqlite3_bind_int(st, 21, cs_behaviour_find(q->behaviour));
		cs_behaviour_bind(st, q->signals, q->as_of);
	}

	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_list_row *r = &rows[n++];

		memset(r, 0, sizeof(*r));
		copy_col(r->customer_id, sizeof(r->customer_id), st, 0);
		copy_col(r->name, sizeof(r->name), st, 1);
		copy_col(r->segment, sizeof(r->segment), st, 2);
		copy_col(r->csm, sizeof(r->csm), st, 3);
		copy_col(r->renewal_date, sizeof(r->renewal_date), st, 4);
		copy_col(r->status, sizeof(r->status), st, 5);
		r->arr_known = sqlite3_column_type(st, 6) != SQLITE_NULL;
		r->arr = r->arr_known ? sqlite3_column_double(st, 6) : 0;
		r->score = sqlite3_column_int(st, 7);
		copy_col(r->band, sizeof(r->band), st, 8);
		copy_col(r->trend, sizeof(r->trend), st, 9);
		r->has_delta30 = sqlite3_column_type(st, 10) != SQLITE_NULL;
		r->delta30 = sqlite3_column_int(st, 10);
		r->drop20 = sqlite3_column_int(st, 11) != 0;
		r->key.set = true;
		r->key.null = sqlite3_column_type(st, 12) == SQLITE_NULL;
		if (o->text)
			copy_col(r->key.text, sizeof(r->key.text), st, 12);
		else
			r->key.num = sqlite3_column_double(st, 12);
		snprintf(r->key.customer_id, sizeof(r->key.customer_id), "%s", r->customer_id);
	}
	sqlite3_finalize(st);
	if (n < max && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "listing customers");
	return n;
}

int cs_list_customers(sqlite3 *db, const struct cs_list_query *q,
		      const struct cs_list_key *key, bool before,
		      struct cs_list_row *rows, int max, struct cs_diag *diag)
{
	struct filters f = { .sparse = false };
	const struct order *o;
	int found, n = 0, got;

	if ((unsigned)q->sort >= CS_SORT_COUNT || max <= 0)
		return cs_error(diag, "listing customers: bad query");
	o = &orders[q->sort];
	if (key && !key->set)
		key = NULL;
	found = cs_snapshot_latest_date(db, q->profile, q->as_of, f.day, diag);
	if (found <= 0)
		return found;
	if ((set(q->segment) && like_pattern(f.segment, sizeof(f.segment), q->segment, false)) ||
	    (set(q->csm) && like_pattern(f.csm, sizeof(f.csm), q->csm, false)) ||
	    (set(q->search) && like_pattern(f.search, sizeof(f.search), q->search, true)))
		return cs_error(diag, "listing customers: the filter is too long");
	if ((set(q->search) || set(q->tier)) && count_matches(db, q, &f, diag))
		return -1;

	/*
	 * Display order: the known values, then the NULL ones. Forwards from a
	 * key among the known values, the rest of them, then the NULLs from
	 * their start; backwards, the mirror image. Rows come back in walking
	 * order and are put in display order at the end.
	 */
	if (!before) {
		if (!key || !key->null) {
			got = segment(db, q, &f, false, key, false, rows, max, diag);
			if (got < 0)
				return -1;
			n += got;
			key = NULL;
		}
		if (o->nullable && n < max) {
			got = segment(db, q, &f, true, key, false, rows + n, max - n, diag);
			if (got < 0)
				return -1;
			n += got;
		}
		return n;
	}
	if (o->nullable && (!key || key->null)) {
		got = segment(db, q, &f, true, key, true, rows, max, diag);
		if (got < 0)
			return -1;
		n += got;
		key = NULL;
	}
	if (n < max) {
		got = segment(db, q, &f, false, key, true, rows + n, max - n, diag);
		if (got < 0)
			return -1;
		n += got;
	}
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		struct cs_list_row tmp = rows[i];

		rows[i] = rows[j];
		rows[j] = tmp;
	}
	return n;
}

int cs_customer_get(sqlite3 *db, const char *customer_id, struct cs_customer_info *out,
		    bool *found, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT customer_id, name, segment, plan, csm, arr, seats, created_at,"
		"       renewal_date, status, last_contact_at, executive_escalation"
		"  FROM customers WHERE customer_id = ?1";
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	*found = false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the customer");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*found = true;
		copy_col(out->customer_id, sizeof(out->customer_id), st, 0);
		copy_col(out->name, sizeof(out->name), st, 1);
		copy_col(out->segment, sizeof(out->segment), st, 2);
		copy_col(out->plan, sizeof(out->plan), st, 3);
		copy_col(out->csm, sizeof(out->csm), st, 4);
		out->arr_known = sqlite3_column_type(st, 5) != SQLITE_NULL;
		out->arr = sqlite3_column_double(st, 5);
		out->seats_known = sqlite3_column_type(st, 6) != SQLITE_NULL;
		out->seats = (long)sqlite3_column_int64(st, 6);
		copy_col(out->created_at, sizeof(out->created_at), st, 7);
		copy_col(out->renewal_date, sizeof(out->renewal_date), st, 8);
		copy_col(out->status, sizeof(out->status), st, 9);
		copy_col(out->last_contact_at, sizeof(out->last_contact_at), st, 10);
		out->executive_escalation = sqlite3_column_int(st, 11) != 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the customer");
	return 0;
}

int cs_score_history(sqlite3 *db, const char *profile, const char *customer_id,
		     int32_t as_of, struct cs_history_point *pts, int max,
		     struct cs_diag *diag)
{
	static const char sql[] =
		/* the run dates, newest first, each one primary-key seek */
		"WITH RECURSIVE d(day) AS ("
		"  SELECT max(as_of) FROM snapshots WHERE profile = ?2 AND as_of <= ?3"
		"  UNION ALL"
		"  SELECT (SELECT max(as_of) FROM snapshots WHERE profile = ?2 AND as_of < d.day)"
		"    FROM d WHERE d.day IS NOT NULL)"
		"SELECT s.as_of, s.score, s.band FROM d CROSS JOIN snapshots s"
		"    ON s.profile = ?2 AND s.as_of = d.day AND s.customer_id = ?1"
		" ORDER BY s.as_of DESC LIMIT ?4";
	char day[11];
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, n = 0;

	if (max <= 0)
		return 0;
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the score history");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		copy_col(pts[n].as_of, sizeof(pts[n].as_of), st, 0);
		pts[n].score = sqlite3_column_int(st, 1);
		copy_col(pts[n].band, sizeof(pts[n].band), st, 2);
		n++;
	}
	if (n < max && rc != SQLITE_DONE) {
		sqlite3_finalize(st);
		return cs_db_error(db, diag, "reading the score history");
	}
	sqlite3_finalize(st);
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		struct cs_history_point tmp = pts[i];

		pts[i] = pts[j];
		pts[j] = tmp;
	}
	return n;
}

int cs_recent_tickets(sqlite3 *db, const char *customer_id, int32_t as_of,
		      int window_days, struct cs_ticket_line *out, int max,
		      long *in_window, struct cs_diag *diag)
{
	static const char count_sql[] =
		"SELECT count(*) FROM tickets"
		" WHERE customer_id = ?1 AND created_at >= ?2 AND created_at < ?3";
	static const char list_sql[] =
		"SELECT ticket_id, substr(created_at, 1, 10), subject, category, status,"
		"       urgency, sentiment, csat"
		"  FROM tickets WHERE customer_id = ?1 AND created_at < ?3"
		" ORDER BY created_at DESC, ticket_id DESC LIMIT ?4";
	char from[11], to[11];
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, n = 0;

	cs_format_day(as_of - window_days + 1, from);
	next_day(as_of, to);
	if (in_window) {
		*in_window = 0;
		if (sqlite3_prepare_v2(db, count_sql, -1, &st, NULL) != SQLITE_OK)
			return cs_db_error(db, diag, "reading tickets");
		sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*in_window = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return cs_db_error(db, diag, "reading tickets");
	}
	if (max <= 0)
		return 0;
	if (sqlite3_prepare_v2(db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_ticket_line *t = &out[n++];

		copy_col(t->ticket_id, sizeof(t->ticket_id), st, 0);
		copy_col(t->created_at, sizeof(t->created_at), st, 1);
		copy_col(t->subject, sizeof(t->subject), st, 2);
		copy_col(t->category, sizeof(t->category), st, 3);
		copy_col(t->status, sizeof(t->status), st, 4);
		copy_col(t->urgency, sizeof(t->urgency), st, 5);
		copy_col(t->sentiment, sizeof(t->sentiment), st, 6);
		t->csat = sqlite3_column_int(st, 7);
	}
	sqlite3_finalize(st);
	if (n < max && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading tickets");
	return n;
}

int cs_recent_feedback(sqlite3 *db, const char *customer_id, int32_t as_of,
		       struct cs_feedback_line *out, int max, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT substr(date, 1, 10) AS d, 1, score, -1, '', comment, response_key"
		"  FROM nps WHERE customer_id = ?1 AND date < ?2"
		" UNION ALL "
		"SELECT substr(date, 1, 10), 0, coalesce(score, 0), coalesce(good, -1),"
		"       context, comment, response_key"
		"  FROM csat WHERE customer_id = ?1 AND date < ?2"
		" ORDER BY 1 DESC, 2 DESC, 7 LIMIT ?3";
	char to[11];
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, n = 0;

	if (max <= 0)
		return 0;
	next_day(as_of, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading survey answers");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_feedback_line *f = &out[n++];

		copy_col(f->date, sizeof(f->date), st, 0);
		f->nps = sqlite3_column_int(st, 1) != 0;
		f->score = sqlite3_column_int(st, 2);
		f->good = sqlite3_column_int(st, 3);
		copy_col(f->context, sizeof(f->context), st, 4);
		copy_col(f->comment, sizeof(f->comment), st, 5);
	}
	sqlite3_finalize(st);
	if (n < max && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading survey answers");
	return n;
}

int cs_recent_outreach(sqlite3 *db, const char *customer_id, int32_t as_of,
		       struct cs_outreach_line *out, int max, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT substr(date, 1, 10), channel, responded, note"
		"  FROM outreach WHERE customer_id = ?1 AND date < ?2"
		" ORDER BY date DESC, outreach_key LIMIT ?3";
	char to[11];
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, n = 0;

	if (max <= 0)
		return 0;
	next_day(as_of, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading outreach");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_outreach_line *o = &out[n++];

		copy_col(o->date, sizeof(o->date), st, 0);
		copy_col(o->channel, sizeof(o->channel), st, 1);
		o->responded = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 :
			       sqlite3_column_int(st, 2) != 0;
		copy_col(o->note, sizeof(o->note), st, 3);
	}
	sqlite3_finalize(st);
	if (n < max && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading outreach");
	return n;
}

/* ------------------------------------------------------------------ */
/* Tickets a page at a time                                             */

/*
 * The columns of a cs_ticket_item and the filters of a cs_ticket_filter,
 * every value a parameter: ?1 and ?2 the window (created_at >= ?1 and
 * < ?2; ?1 '' for no lower bound), ?3 uncategorised only, ?4 and ?5 the
 * category and theme (?5 NULL: any), ?6 and ?7 the key, ?8 the limit.
 * A page is a walk of tickets_created (of tickets_triage, for the triage
 * queue) over a range of created_at: the window, or from a key, the
 * key's created_at to the far end of the window. The key's side of the
 * range is then the key alone (a second bound on that side would leave
 * SQLite free to start the walk there, reading every page before the
 * key); cs_list_tickets() makes sure the key is inside the window.
 */
#define TICKET_COLS \
	"SELECT t.ticket_id, t.customer_id, coalesce(c.name, ''), t.created_at," \
	"       t.subject, t.status, t.resolved_at, t.urgency, t.impact, t.category," \
	"       t.category_source, t.confidence, t.theme"
#define TICKET_FROM \
	"  FROM tickets t LEFT JOIN customers c ON c.customer_id = t.customer_id"
/*
 * Any ticket (?3 = 0) or those waiting for triage (?3 = 1); the second set
 * of statements, for the triage queue, names only the latter, which lets
 * SQLite walk the partial index tickets_triage instead of every ticket.
 */
#define TICKET_ANY \
	"   AND (?3 = 0 OR " CS_TRIAGE_WAITING("t.") ")"
#define TICKET_WAITING \
	"   AND ?3 = 1 AND " CS_TRIAGE_WAITING("t.")
#define TICKET_FILTER(WHICH) WHICH \
	"   AND (?5 IS NULL OR (coalesce(t.category, '') = ?4 AND t.theme = ?5))"
#define TICKET_WHERE(WHICH) \
	" WHERE t.created_at >= ?1 AND t.created_at < ?2" TICKET_FILTER(WHICH)

/* The four statements of a page, in the order of ticket_pages below. */
#define TICKET_PAGES(WHICH) \
	TICKET_COLS TICKET_FROM TICKET_WHERE(WHICH) \
	" ORDER BY t.created_at DESC, t.ticket_id DESC LIMIT ?8", \
	TICKET_COLS TICKET_FROM \
	" WHERE t.created_at >= ?1 AND t.created_at <= ?6" TICKET_FILTER(WHICH) \
	"   AND (t.created_at, t.ticket_id) < (?6, ?7)" \
	" ORDER BY t.created_at DESC, t.ticket_id DESC LIMIT ?8", \
	TICKET_COLS TICKET_FROM TICKET_WHERE(WHICH) \
	" ORDER BY t.created_at, t.ticket_id LIMIT ?8", \
	TICKET_COLS TICKET_FROM \
	" WHERE t.created_at >= ?6 AND t.created_at < ?2" TICKET_FILTER(WHICH) \
	"   AND (t.created_at, t.ticket_id) > (?6, ?7)" \
	" ORDER BY t.created_at, t.ticket_id LIMIT ?8"
/* [4 * waiting for triage only + 2 * backwards + from a key] */
static const char *const ticket_pages[8] = {
	TICKET_PAGES(TICKET_ANY),
	TICKET_PAGES(TICKET_WAITING),
};
#undef TICKET_PAGES

static const char *const ticket_count_sql[2] = {
	"SELECT count(*) FROM tickets t" TICKET_WHERE(TICKET_ANY),
	"SELECT count(*) FROM tickets t" TICKET_WHERE(TICKET_WAITING),
};

static const char ticket_get_sql[] =
	TICKET_COLS ", t.tags, t.export_category, t.sentiment, t.description"
	TICKET_FROM " WHERE t.ticket_id = ?1";

/* The filter's window into from and to, bound with the rest as ?1 to ?5. */
static void bind_ticket_filter(sqlite3_stmt *st, const struct cs_ticket_filter *f,
			       char from[11], char to[11])
{
	if (f->days > 0)
		cs_format_day(f->as_of - f->days + 1, from);
	else
		from[0] = '\0';
	next_day(f->as_of, to);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, f->uncategorised);
	if (f->theme) {
		sqlite3_bind_text(st, 4, f->category ? f->category : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, f->theme, -1, SQLITE_STATIC);
	}
}

/* One row of TICKET_COLS into it. */
static void read_ticket_item(sqlite3_stmt *st, struct cs_ticket_item *it)
{
	const char *src = (const char *)sqlite3_column_text(st, 10);

	memset(it, 0, sizeof(*it));
	copy_col(it->ticket_id, sizeof(it->ticket_id), st, 0);
	copy_col(it->customer_id, sizeof(it->customer_id), st, 1);
	copy_col(it->customer, sizeof(it->customer), st, 2);
	copy_col(it->created_at, sizeof(it->created_at), st, 3);
	copy_col(it->subject, sizeof(it->subject), st, 4);
	copy_col(it->status, sizeof(it->status), st, 5);
	copy_col(it->resolved_at, sizeof(it->resolved_at), st, 6);
	copy_col(it->urgency, sizeof(it->urgency), st, 7);
	copy_col(it->impact, sizeof(it->impact), st, 8);
	it->category = cs_category_find((const char *)sqlite3_column_text(st, 9));
	for (int s = 1; src && s < 5; s++)
		if (!strcmp(src, cs_source_names[s]))
			it->source = (enum cs_source)s;
	it->confidence = it->category >= 0 ? sqlite3_column_double(st, 11) : 0;
	copy_col(it->theme, sizeof(it->theme), st, 12);
	it->key.set = true;
	copy_col(it->key.created_at, sizeof(it->key.created_at), st, 3);
	copy_col(it->key.ticket_id, sizeof(it->key.ticket_id), st, 0);
}

int cs_list_tickets(sqlite3 *db, const struct cs_ticket_filter *f,
		    const struct cs_ticket_key *key, bool before,
		    struct cs_ticket_item *rows, int max, struct cs_diag *diag)
{
	char from[11], to[11];
	sqlite3_stmt *st;
	int rc = SQLITE_DONE, n = 0;

	if (max <= 0)
		return 0;
	if (key && !key->set)
		key = NULL;
	if (sqlite3_prepare_v2(db, ticket_pages[4 * f->uncategorised + 2 * before + (key != NULL)],
			       -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "listing tickets");
	bind_ticket_filter(st, f, from, to);
	/* A key past the window's far end, seen from the window, is no key. */
	if (key && (before ? strcmp(key->created_at, from) < 0 :
		    strcmp(key->created_at, to) >= 0)) {
		sqlite3_finalize(st);
		return cs_list_tickets(db, f, NULL, before, rows, max, diag);
	}
	if (key) {
		sqlite3_bind_text(st, 6, key->created_at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, key->ticket_id, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 8, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
		read_ticket_item(st, &rows[n++]);
	sqlite3_finalize(st);
	if (n < max && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "listing tickets");
	if (before) {
		for (int i = 0, j = n - 1; i < j; i++, j--) {
			struct cs_ticket_item tmp = rows[i];

			rows[i] = rows[j];
			rows[j] = tmp;
		}
	}
	return n;
}

int cs_count_tickets(sqlite3 *db, const struct cs_ticket_filter *f, long *n,
		     struct cs_diag *diag)
{
	char from[11], to[11];
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(db, ticket_count_sql[f->uncategorised], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting tickets");
	bind_ticket_filter(st, f, from, to);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting tickets");
}

int cs_ticket_get(sqlite3 *db, const char *ticket_id, struct cs_ticket_full *out,
		  bool *found, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	out->t.category = -1;
	*found = false;
	if (sqlite3_prepare_v2(db, ticket_get_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the ticket");
	sqlite3_bind_text(st, 1, ticket_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*found = true;
		read_ticket_item(st, &out->t);
		copy_col(out->tags, sizeof(out->tags), st, 13);
		copy_col(out->export_category, sizeof(out->export_category), st, 14);
		copy_col(out->sentiment, sizeof(out->sentiment), st, 15);
		copy_col(out->description, sizeof(out->description), st, 16);
		out->description_cut = sqlite3_column_bytes(st, 16) >= (int)sizeof(out->description);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the ticket");
	return 0;
}
