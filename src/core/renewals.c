/* renewals.c — the renewal timeline, its actions and the pipeline. See renewals.h. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/db.h"
#include "casey/ini.h"
#include "casey/renewals.h"
#include "casey/snapshot.h"
#include "casey/value.h"

const char *const cs_renewal_risk_names[CS_RISK_COUNT] = {
	[CS_RISK_HIGH] = "high", [CS_RISK_MEDIUM] = "medium", [CS_RISK_LOW] = "low",
	[CS_RISK_UNKNOWN] = "unknown",
};

static const char *col_text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

/* ---- configuration ------------------------------------------------------ */

struct load {
	struct cs_renewals *r;
	char section[64];
	int cur;			/* the step being read; -1 in [pipeline] */
	int offset_line[CS_RENEWAL_STEPS_MAX];
	bool has_title[CS_RENEWAL_STEPS_MAX];
	int first_line[CS_RENEWAL_STEPS_MAX];
};

/* A whole number lo..hi filling s; 0 or -1. */
static int whole(const char *s, int lo, int hi, int *out)
{
	double v;

	if (cs_ini_number(s, &v) || v != floor(v) || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

static int label_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= sizeof(((struct cs_renewal_step *)0)->label))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("-+_", *s))
			return 0;
	return 1;
}

static int pipeline_key(struct cs_ini *ini, struct cs_renewals *r, const char *name,
			const char *value)
{
	if (!strcmp(name, "owner")) {
		if (!*value || strlen(value) >= sizeof(r->owner))
			return cs_ini_fail(ini, "owner is 1-%zu characters", sizeof(r->owner) - 1);
		snprintf(r->owner, sizeof(r->owner), "%s", value);
		return 1;
	}
	if (!strcmp(name, "windows")) {
		char buf[256], *save = NULL, *tok;

		snprintf(buf, sizeof(buf), "%s", value);
		r->nwindows = 0;
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int d;

			if (r->nwindows == CS_RENEWAL_WINDOWS_MAX)
				return cs_ini_fail(ini, "more than %d windows", CS_RENEWAL_WINDOWS_MAX);
			if (whole(tok, 1, 3650, &d))
				return cs_ini_fail(ini, "windows are whole days 1-3650, not '%s'", value);
			if (r->nwindows && d <= r->windows[r->nwindows - 1])
				return cs_ini_fail(ini, "windows go up: %d after %d", d,
						   r->windows[r->nwindows - 1]);
			r->windows[r->nwindows++] = d;
		}
		if (!r->nwindows)
			return cs_ini_fail(ini, "windows lists at least one number of days");
		return 1;
	}
	return cs_ini_fail(ini, "unknown setting '%s' in [pipeline]", name);
}

static int handler(struct cs_ini *ini, const char *section, const char *name, const char *value)
{
	struct load *ld = ini->user;
	struct cs_renewals *r = ld->r;
	struct cs_renewal_step *s;

	if (!section[0])
		return cs_ini_fail(ini, "'%s' is outside any [step] section", name);
	if (!strcmp(section, "pipeline"))
		return pipeline_key(ini, r, name, value);
	if (strcmp(section, ld->section) || ld->cur < 0) {
		if (!label_ok(section))
			return cs_ini_fail(ini, "[%s]: a step's label is 1-15 letters, digits, "
					   "'-', '+' or '_'", section);
		for (int i = 0; i < r->nsteps; i++)
			if (!strcmp(r->steps[i].label, section))
				return cs_ini_fail(ini, "[%s] appears twice", section);
		if (r->nsteps == CS_RENEWAL_STEPS_MAX)
			return cs_ini_fail(ini, "more than %d steps", CS_RENEWAL_STEPS_MAX);
		ld->cur = r->nsteps++;
		snprintf(ld->section, sizeof(ld->section), "%s", section);
		snprintf(r->steps[ld->cur].label, sizeof(r->steps[0].label), "%s", section);
		r->steps[ld->cur].offset = -1;
		ld->first_line[ld->cur] = ini->line;
	}
	s = &r->steps[ld->cur];
	if (!strcmp(name, "offset_days")) {
		if (whole(value, 0, 3650, &s->offset))
			return cs_ini_fail(ini, "offset_days is a whole number of days 0-3650, "
					   "not '%s'", value);
		for (int i = 0; i < r->nsteps; i++)
			if (i != ld->cur && r->steps[i].offset == s->offset)
				return cs_ini_fail(ini, "[%s] and [%s] are both %d days before",
						   r->steps[i].label, s->label, s->offset);
		ld->offset_line[ld->cur] = ini->line;
	} else if (!strcmp(name, "title")) {
		if (!*value || strlen(value) >= sizeof(s->title))
			return cs_ini_fail(ini, "title is 1-%zu characters", sizeof(s->title) - 1);
		snprintf(s->title, sizeof(s->title), "%s", value);
		ld->has_title[ld->cur] = true;
	} else if (!strcmp(name, "text")) {
		if (strlen(value) >= sizeof(s->text))
			return cs_ini_fail(ini, "text is at most %zu characters", sizeof(s->text) - 1);
		snprintf(s->text, sizeof(s->text), "%s", value);
	} else {
		return cs_ini_fail(ini, "unknown setting '%s' in [%s]", name, section);
	}
	return 1;
}

int cs_renewals_load(const char *name, struct cs_renewals *r, struct cs_diag *diag)
{
	struct load ld = { .r = r, .cur = -1 };
	char rel[PATH_MAX];

	memset(r, 0, sizeof(*r));
	snprintf(r->owner, sizeof(r->owner), "CSM");
	if (!name)
		name = "renewals";
	if (strchr(name, '/')) {
		snprintf(r->path, sizeof(r->path), "%s", name);
	} else {
		snprintf(rel, sizeof(rel), "%s.ini", name);
		if (cs_asset_find(rel, r->path, sizeof(r->path)))
			return cs_error(diag, "no renewals file '%s' in the assets directories", rel);
	}
	if (cs_asset_check_safe(r->path, diag) || cs_ini_parse(r->path, handler, &ld, diag))
		return -1;
	if (!r->nsteps)
		return cs_error(diag, "%s: no steps", r->path);
	if (!r->nwindows)
		return cs_error(diag, "%s: [pipeline] needs windows", r->path);
	for (int i = 0; i < r->nsteps; i++) {
		if (r->steps[i].offset < 0)
			return cs_error(diag, "%s:%d: [%s] needs offset_days", r->path,
					ld.first_line[i], r->steps[i].label);
		if (!ld.has_title[i])
			return cs_error(diag, "%s:%d: [%s] needs a title", r->path,
					ld.first_line[i], r->steps[i].label);
	}
	/* The timeline's order: the earliest step (largest offset) first. */
	for (int i = 1; i < r->nsteps; i++)
		for (int j = i; j > 0 && r->steps[j].offset > r->steps[j - 1].offset; j--) {
			struct cs_renewal_step tmp = r->steps[j];

			r->steps[j] = r->steps[j - 1];
			r->steps[j - 1] = tmp;
		}
	return 0;
}

int cs_renewal_current_step(const struct cs_renewals *r, int32_t renewal, int32_t as_of)
{
	int32_t days = renewal - as_of;
	int cur = -1;

	if (days < 0)
		return -1;
	for (int i = 0; i < r->nsteps; i++)
		if (r->steps[i].offset >= days)
			cur = i;
	return cur;
}

/* ---- the actions -------------------------------------------------------- */

/*
 * A step's action stays open while the step is due, through the renewal
 * day: its last_seen is that day, so the action store's clearing
 * (cs_action_store_close(): open actions last seen before the run day)
 * resolves it the day after the renewal with no work here. A pass then
 * only has to raise the steps that came due since the last pass: their
 * T-date in (last, today], customers renewing in a slice of days per step.
 *
 * Customers change only through imports. After an import that inserted or
 * changed customers (or on the first pass, under a changed timeline, or for
 * a day before the last pass) a pass reconciles instead: the open steps of
 * customers who churned or whose renewal date moved are marked stale
 * (last_seen '', so the clearing takes them), and every due step missing
 * is raised.
 *
 * Each step is one INSERT .. SELECT over the customers renewing in a range
 * (customers_renewal); the NOT EXISTS seeks actions_report (kind, status,
 * customer_id) for a resolved or dismissed action of the same key, which
 * is never raised again; an open one is left as it is.
 */
static const char raise_sql[] =
	"INSERT INTO actions (kind, rule_key, customer_id, arr, reason, owner, created_at,"
	"                     last_seen, due_at, evidence)"
	" SELECT 'renewal', 'renewal:' || c.customer_id || ':' || c.renewal_date || ':' || ?1,"
	"        c.customer_id, c.arr,"
	"        ?2 || ' (' || ?1 || ' of the renewal on ' || c.renewal_date || ')',"
	"        coalesce(nullif(c.csm, ''), ?3), ?4, c.renewal_date,"
	"        date(c.renewal_date, ?5) || ' 00:00:00', ?6"
	"   FROM customers c"
	"  WHERE c.renewal_date >= ?7 AND c.renewal_date < ?8 AND c.status <> 'churned'"
	"    AND NOT EXISTS (SELECT 1 FROM actions a"
	"                     WHERE a.kind = 'renewal' AND a.status IN ('resolved','dismissed')"
	"                       AND a.customer_id = c.customer_id"
	"                       AND a.rule_key = 'renewal:' || c.customer_id || ':'"
	"                           || c.renewal_date || ':' || ?1)"
	" ON CONFLICT (rule_key) WHERE status NOT IN ('resolved','dismissed') DO NOTHING";

/*
 * Open steps of a renewal the customer no longer has ("renewal:ID:DATE:"
 * differs), and steps not due yet (a pass for a day before the last).
 */
static const char stale_sql[] =
	"UPDATE actions SET last_seen = '' WHERE kind = 'renewal' AND status = 'open'"
	"   AND (due_at >= ?1 OR NOT EXISTS (SELECT 1 FROM customers c"
	"                    WHERE c.customer_id = actions.customer_id AND c.status <> 'churned'"
	"                      AND substr(actions.rule_key, 1, length(c.customer_id) + 20) ="
	"                          'renewal:' || c.customer_id || ':' || c.renewal_date || ':'))";

static const char state_get_sql[] =
	"SELECT s.as_of, s.steps, s.import_id,"
	"       (SELECT count(*) FROM imports i WHERE i.import_id > s.import_id"
	"           AND i.kind = 'customers' AND i.rows_inserted + i.rows_updated > 0)"
	"  FROM renewal_state s WHERE s.id = 1";
static const char state_put_sql[] =
	"INSERT INTO renewal_state (id, as_of, steps, import_id)"
	" VALUES (1, ?1, ?2, (SELECT coalesce(max(import_id), 0) FROM imports))"
	" ON CONFLICT (id) DO UPDATE SET as_of = excluded.as_of, steps = excluded.steps,"
	"  import_id = excluded.import_id";

/* "T-120=120,T-90=90,...": a pass under another timeline must look at everyone. */
static void signature(const struct cs_renewals *r, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < r->nsteps && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s=%d", i ? "," : "",
					r->steps[i].label, r->steps[i].offset);
}

/*
 * The last pass's day, when this one may follow on from it: same
 * timeline, no customers imported since. 0 otherwise.
 */
static int last_pass(sqlite3 *db, const char *sig, int32_t *prev, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	*prev = 0;
	if (sqlite3_prepare_v2(db, state_get_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "raising renewal steps");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (strcmp(col_text(st, 1), sig) || sqlite3_column_int(st, 3) ||
				 cs_parse_day(col_text(st, 0), prev)))
		*prev = 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
	       cs_db_error(db, diag, "raising renewal steps");
}

/* One statement per step, from prev (0: every due step); *n counts those raised. */
static int raise_steps(sqlite3 *db, const struct cs_renewals *r, int32_t as_of, int32_t prev,
		       long *n, struct cs_diag *diag)
{
	char day[11], lo[11], hi[11], shift[24];
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db, raise_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "raising renewal steps");
	cs_format_day(as_of, day);
	for (int i = 0; i < r->nsteps; i++) {
		const struct cs_renewal_step *s = &r->steps[i];
		/* came due since prev: T-date in (prev, as_of], renewal not past */
		int32_t from = prev && prev + s->offset + 1 > as_of ? prev + s->offset + 1 : as_of;

		if (from > as_of + s->offset)
			continue;
		cs_format_day(from, lo);
		cs_format_day(as_of + s->offset + 1, hi);
		snprintf(shift, sizeof(shift), "-%d days", s->offset);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, s->label, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, s->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, r->owner, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, shift, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, s->text, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, lo, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, hi, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlite3_finalize(st);
			return cs_db_error(db, diag, "raising renewal steps");
		}
		*n += sqlite3_changes(db);
	}
	sqlite3_finalize(st);
	return 0;
}

int cs_renewals_raise(sqlite3 *db, const struct cs_renewals *r, int32_t as_of, long *n,
		      struct cs_diag *diag)
{
	char sig[CS_RENEWAL_STEPS_MAX * 24], day[11];
	int32_t prev;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	signature(r, sig, sizeof(sig));
	if (last_pass(db, sig, &prev, diag))
		return -1;
	if (prev > as_of)
		prev = 0;
	if (!prev) {
		char next[11];

		cs_format_day(as_of + 1, next);
		if (sqlite3_prepare_v2(db, stale_sql, -1, &st, NULL) != SQLITE_OK)
			return cs_db_error(db, diag, "raising renewal steps");
		sqlite3_bind_text(st, 1, next, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return cs_db_error(db, diag, "raising renewal steps");
	}
	if (raise_steps(db, r, as_of, prev, n, diag))
		return -1;
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, state_put_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "raising renewal steps");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, sig, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "raising renewal steps");
}

/* ---- risk --------------------------------------------------------------- */

enum cs_renewal_risk cs_renewal_risk(const char *band, const char *trend, bool drop20,
				     const char *status, bool executive_escalation)
{
	bool declining = trend && !strcmp(trend, "declining");

	if (status && (!strcmp(status, "cancel_requested") ||
		       !strcmp(status, "downgrade_requested")))
		return CS_RISK_HIGH;
	if (!band || !*band)
		return CS_RISK_UNKNOWN;
	if (!strcmp(band, "red") || (!strcmp(band, "yellow") && declining) || drop20)
		return CS_RISK_HIGH;
	if (!strcmp(band, "yellow") || declining || executive_escalation)
		return CS_RISK_MEDIUM;
	return CS_RISK_LOW;
}

/* ---- the pipeline ------------------------------------------------------- */

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

static int band_index(const char *band)
{
	return !strcmp(band, "green") ? CS_PB_GREEN : !strcmp(band, "yellow") ? CS_PB_YELLOW :
	       !strcmp(band, "red") ? CS_PB_RED : CS_PB_UNSCORED;
}

static int trend_index(const char *trend)
{
	return !strcmp(trend, "improving") ? CS_PT_IMPROVING :
	       !strcmp(trend, "stable") ? CS_PT_STABLE :
	       !strcmp(trend, "declining") ? CS_PT_DECLINING : CS_PT_UNSCORED;
}

static void add(struct cs_pipeline_cell *c, bool known, double arr)
{
	c->customers++;
	if (known)
		c->arr += arr;
}

/* Days from day (YYYY-MM-DD) of the as-of day; INT_MIN when not a date. */
static int days_to(const char *date, int32_t as_of)
{
	int32_t d;

	if (strlen(date) < 10)
		return INT_MIN;
	{
		char buf[11];

		memcpy(buf, date, 10);
		buf[10] = '\0';
		if (cs_parse_day(buf, &d))
			return INT_MIN;
	}
	return (int)(d - as_of);
}

/*
 * The customers renewing in [?1, ?2) who have not churned, and the day's
 * snapshots of profile ?1 (day ?2), both in id order: walked together,
 * each customer meets their snapshot without a seek. A join seeking each
 * snapshot by key read the day's pages at random, over and over: 1.2 s
 * of the renewals screen at a million customers.
 */
static const char pipeline_sql[] =
	"SELECT customer_id, renewal_date, arr, status, executive_escalation"
	"  FROM customers"
	" WHERE renewal_date >= ?1 AND renewal_date < ?2 AND status <> 'churned'"
	" ORDER BY customer_id";
static const char pipeline_snap_sql[] =
	"SELECT customer_id, band, trend, drop20 FROM snapshots"
	" WHERE profile = ?1 AND as_of = ?2 ORDER BY customer_id";

int cs_renewal_pipeline(sqlite3 *db, const struct cs_renewals *r, const char *profile,
			int32_t as_of, int within, struct cs_pipeline *out, struct cs_diag *diag)
{
	char end[11];
	sqlite3_stmt *st = NULL, *snap = NULL;
	int rc, snap_rc = 0, found;

	memset(out, 0, sizeof(*out));
	if (within < 0)
		return cs_error(diag, "the pipeline's window is negative");
	cs_format_day(as_of, out->as_of);
	out->within = within;
	for (int i = 0, from = 0; i < r->nwindows && from <= within; i++) {
		out->w[out->nwindows].from = from;
		out->w[out->nwindows].to = r->windows[i] < within ? r->windows[i] : within;
		from = r->windows[i] + 1;
		out->nwindows++;
	}
	/* Beyond the last configured window, one more up to within. */
	if (!out->nwindows || out->w[out->nwindows - 1].to < within) {
		int from = out->nwindows ? out->w[out->nwindows - 1].to + 1 : 0;

		out->w[out->nwindows].from = from;
		out->w[out->nwindows].to = within;
		out->nwindows++;
	}
	out->total.from = 0;
	out->total.to = within;
	found = cs_snapshot_latest_date(db, profile, as_of, out->snapshot, diag);
	if (found < 0)
		return -1;
	if (!found)
		out->snapshot[0] = '\0';
	cs_format_day(as_of + within + 1, end);
	if (sqlite3_prepare_v2(db, pipeline_sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, pipeline_snap_sql, -1, &snap, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cs_db_error(db, diag, "reading the renewal pipeline");
	}
	sqlite3_bind_text(st, 1, out->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
	sqlite3_bind_text(snap, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(snap, 2, out->snapshot, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = col(st, 0);
		int days = days_to(col(st, 1), as_of), w, c = 1;
		bool known = sqlite3_column_type(st, 2) != SQLITE_NULL;
		double arr = sqlite3_column_double(st, 2);
		bool scored;
		const char *band, *trend;
		enum cs_renewal_risk risk;

		if (!snap_rc)
			snap_rc = sqlite3_step(snap);
		while (snap_rc == SQLITE_ROW && (c = strcmp(col(snap, 0), id)) < 0)
			snap_rc = sqlite3_step(snap);
		if (snap_rc != SQLITE_ROW && snap_rc != SQLITE_DONE) {
			rc = snap_rc;
			break;
		}
		scored = snap_rc == SQLITE_ROW && !c;
		band = scored ? col(snap, 1) : NULL;
		trend = scored ? col(snap, 2) : NULL;
		risk = cs_renewal_risk(band, trend, scored && sqlite3_column_int(snap, 3) != 0,
				       col(st, 3), sqlite3_column_int(st, 4) != 0);
		if (days < 0 || days > within)
			continue;
		for (w = 0; w < out->nwindows && days > out->w[w].to; w++)
			;
		for (int k = 0; k < 2; k++) {
			struct cs_pipeline_window *pw = k ? &out->total : &out->w[w];

			add(&pw->all, known, arr);
			if (!known)
				pw->arr_unknown++;
			add(&pw->band[scored ? band_index(band) : CS_PB_UNSCORED], known, arr);
			add(&pw->trend[scored ? trend_index(trend) : CS_PT_UNSCORED], known, arr);
			add(&pw->risk[risk], known, arr);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(snap);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading the renewal pipeline");
}

/* ---- the list ----------------------------------------------------------- */

#define LIST_COLS \
	"SELECT c.customer_id, c.name, c.segment, c.csm, c.renewal_date, c.arr, s.score," \
	"       s.band, s.trend, s.drop20, c.status, c.executive_escalation" \
	"  FROM customers c LEFT JOIN snapshots s" \
	"    ON s.profile = ?3 AND s.as_of = ?4 AND s.customer_id = c.customer_id" \
	" WHERE c.status <> 'churned'"

/* [2 * before + from a key]: ?1 and ?2 the window, ?5 ?6 the key, ?7 the limit */
static const char *const list_sql[4] = {
	LIST_COLS " AND c.renewal_date >= ?1 AND c.renewal_date < ?2"
	" ORDER BY c.renewal_date, c.customer_id LIMIT ?7",
	LIST_COLS " AND c.renewal_date >= ?5 AND c.renewal_date < ?2"
	" AND (c.renewal_date, c.customer_id) > (?5, ?6)"
	" ORDER BY c.renewal_date, c.customer_id LIMIT ?7",
	LIST_COLS " AND c.renewal_date >= ?1 AND c.renewal_date < ?2"
	" ORDER BY c.renewal_date DESC, c.customer_id DESC LIMIT ?7",
	LIST_COLS " AND c.renewal_date >= ?1 AND c.renewal_date <= ?5"
	" AND (c.renewal_date, c.customer_id) < (?5, ?6)"
	" ORDER BY c.renewal_date DESC, c.customer_id DESC LIMIT ?7",
};

/* One customer: ?6, renewing from ?1 on. */
static const char one_sql[] =
	LIST_COLS " AND c.customer_id = ?6 AND c.renewal_date >= ?1";

/* The steps of this renewal whose actions were resolved or dismissed. */
static const char done_sql[] =
	"SELECT rule_key FROM actions"
	" WHERE customer_id = ?1 AND kind = 'renewal' AND status IN ('resolved','dismissed')"
	"   AND rule_key >= ?2 AND rule_key < ?3";

static void copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size) {
		n = size - 1;
		while (n > 0 && (src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The row's next step: the first of the timeline not done. */
static int next_step(sqlite3 *db, sqlite3_stmt *done, const struct cs_renewals *r,
		     int32_t as_of, struct cs_renewal_row *row, struct cs_diag *diag)
{
	char lo[CS_ID_MAX + 40], hi[CS_ID_MAX + 40];
	bool is_done[CS_RENEWAL_STEPS_MAX] = { false };
	int32_t renewal = as_of + row->days;
	int rc;

	snprintf(lo, sizeof(lo), "renewal:%s:%s:", row->customer_id, row->renewal_date);
	snprintf(hi, sizeof(hi), "renewal:%s:%s;", row->customer_id, row->renewal_date);
	sqlite3_reset(done);
	sqlite3_bind_text(done, 1, row->customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(done, 2, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(done, 3, hi, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(done)) == SQLITE_ROW) {
		const char *label = col(done, 0) + strlen(lo);

		for (int i = 0; i < r->nsteps; i++)
			if (!strcmp(r->steps[i].label, label))
				is_done[i] = true;
	}
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading renewal steps");
	row->step = -1;
	row->ndue = 0;
	for (int i = 0; i < r->nsteps; i++)
		if (!is_done[i] && row->days <= r->steps[i].offset)
			row->ndue++;
	for (int i = 0; i < r->nsteps; i++) {
		if (is_done[i])
			continue;
		row->step = i;
		row->step_due = row->days <= r->steps[i].offset;
		cs_format_day(renewal - r->steps[i].offset, row->step_date);
		break;
	}
	return 0;
}

/* One row of LIST_COLS into row, without its next step; -1 when its date is not one. */
static int read_row(sqlite3_stmt *st, int32_t as_of, struct cs_renewal_row *row)
{
	const char *rd = col(st, 4);
	bool scored = sqlite3_column_type(st, 6) != SQLITE_NULL;

	memset(row, 0, sizeof(*row));
	copy(row->customer_id, sizeof(row->customer_id), col(st, 0));
	copy(row->name, sizeof(row->name), col(st, 1));
	copy(row->segment, sizeof(row->segment), col(st, 2));
	copy(row->csm, sizeof(row->csm), col(st, 3));
	copy(row->renewal_date, sizeof(row->renewal_date), rd);
	row->days = days_to(rd, as_of);
	if (row->days == INT_MIN)
		return -1;
	row->arr_known = sqlite3_column_type(st, 5) != SQLITE_NULL;
	row->arr = sqlite3_column_double(st, 5);
	row->scored = scored;
	row->score = sqlite3_column_int(st, 6);
	copy(row->band, sizeof(row->band), scored ? col(st, 7) : "");
	copy(row->trend, sizeof(row->trend), scored ? col(st, 8) : "");
	row->risk = cs_renewal_risk(scored ? row->band : NULL, scored ? row->trend : NULL,
				    sqlite3_column_int(st, 9) != 0, col(st, 10),
				    sqlite3_column_int(st, 11) != 0);
	return 0;
}

int cs_renewal_list(sqlite3 *db, const struct cs_renewals *r, const char *profile,
		    int32_t as_of, int within, const struct cs_renewal_key *key, bool before,
		    struct cs_renewal_row *rows, int max, struct cs_diag *diag)
{
	char day[11], end[11], snap[11];
	sqlite3_stmt *st, *done;
	int rc = SQLITE_DONE, n = 0, found;

	if (max <= 0)
		return 0;
	if (key && !key->set)
		key = NULL;
	found = cs_snapshot_latest_date(db, profile, as_of, snap, diag);
	if (found < 0)
		return -1;
	if (!found)
		snap[0] = '\0';
	cs_format_day(as_of, day);
	cs_format_day(as_of + within + 1, end);
	if (sqlite3_prepare_v2(db, list_sql[2 * before + (key != NULL)], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "listing renewals");
	if (sqlite3_prepare_v2(db, done_sql, -1, &done, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cs_db_error(db, diag, "listing renewals");
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, snap, -1, SQLITE_STATIC);
	if (key) {
		sqlite3_bind_text(st, 5, key->renewal_date, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, key->customer_id, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 7, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_renewal_row *row = &rows[n];

		if (read_row(st, as_of, row))
			continue;	/* not a date: imports never store one */
		row->key.set = true;
		copy(row->key.renewal_date, sizeof(row->key.renewal_date), col(st, 4));
		copy(row->key.customer_id, sizeof(row->key.customer_id), row->customer_id);
		if (next_step(db, done, r, as_of, row, diag)) {
			n = -1;
			break;
		}
		n++;
	}
	sqlite3_finalize(done);
	sqlite3_finalize(st);
	if (n < 0)
		return -1;
	if (n < max && rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cs_db_error(db, diag, "listing renewals");
	if (before)
		for (int i = 0, j = n - 1; i < j; i++, j--) {
			struct cs_renewal_row tmp = rows[i];

			rows[i] = rows[j];
			rows[j] = tmp;
		}
	return n;
}

int cs_renewal_get(sqlite3 *db, const struct cs_renewals *r, const char *profile, int32_t as_of,
		   const char *customer_id, struct cs_renewal_row *row, bool *found,
		   struct cs_diag *diag)
{
	char day[11], snap[11];
	sqlite3_stmt *st, *done;
	int rc, ret = 0, have;

	*found = false;
	have = cs_snapshot_latest_date(db, profile, as_of, snap, diag);
	if (have < 0)
		return -1;
	if (!have)
		snap[0] = '\0';
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, one_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the customer's renewal");
	if (sqlite3_prepare_v2(db, done_sql, -1, &done, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cs_db_error(db, diag, "reading the customer's renewal");
	}
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, snap, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, customer_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && !read_row(st, as_of, row)) {
		*found = true;
		ret = next_step(db, done, r, as_of, row, diag);
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ret = cs_db_error(db, diag, "reading the customer's renewal");
	}
	sqlite3_finalize(done);
	sqlite3_finalize(st);
	return ret;
}
