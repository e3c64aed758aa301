/*
 * signals.c — the churn-risk score: its configuration, its arithmetic, and
 * the queries that gather its factors. See signals.h.
 */
#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/db.h"
#include "casey/ini.h"
#include "casey/lists.h"
#include "casey/signals.h"
#include "casey/snapshot.h"
#include "casey/value.h"

#define CONFIG_NAME "signals.ini"

const char *const cs_churn_segment_names[CS_CHURN_NSEG] = {
	"high", "medium", "low", "none",
};

const char *const cs_churn_factor_names[CS_RISK_NFACTORS] = {
	"health", "inactivity", "tickets", "critical_tickets", "failed_payments",
	"downgrade", "cancellation",
};

const char *const cs_behaviour_names[CS_BEH_N] = {
	"champion", "loyalist", "at-risk", "detractor", "none",
};

const char *const cs_behaviour_labels[CS_BEH_N] = {
	"Champions", "Loyalists", "At-Risk", "Detractors", "Unsegmented",
};

int cs_behaviour_find(const char *s)
{
	for (int i = 0; i < CS_BEH_N; i++)
		if (!strcasecmp(s, cs_behaviour_names[i]) || !strcasecmp(s, cs_behaviour_labels[i]))
			return i;
	return -1;
}

int cs_churn_segment_find(const char *s)
{
	for (int i = 0; i < CS_CHURN_NSEG; i++)
		if (!strcasecmp(s, cs_churn_segment_names[i]))
			return i;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

enum ktype { K_INT, K_STEPS_BELOW, K_STEPS_AT_LEAST, K_STR, K_LEVEL };

struct key {
	const char *section, *name;
	enum ktype type;
	size_t off;
	int lo, hi;		/* K_INT and the steps' points: the accepted range */
	size_t size;		/* K_STR, K_LEVEL: the buffer */
};

#define OFF(f) offsetof(struct cs_signals_config, f)
#define STR(f) OFF(f), 0, 0, sizeof(((struct cs_signals_config *)0)->f)

static const struct key keys[] = {
	{ "health", "profile", K_STR, STR(profile) },
	{ "churn", "health", K_STEPS_BELOW, OFF(health), 0, 100, 0 },
	{ "churn", "inactive", K_STEPS_AT_LEAST, OFF(inactive), 0, 100, 0 },
	{ "churn", "ticket_days", K_INT, OFF(ticket_days), 1, 3650, 0 },
	{ "churn", "ticket_points", K_INT, OFF(ticket_points), 0, 100, 0 },
	{ "churn", "ticket_cap", K_INT, OFF(ticket_cap), 0, 100, 0 },
	{ "churn", "critical_urgency", K_LEVEL, STR(critical_urgency) },
	{ "churn", "critical_hours", K_INT, OFF(critical_hours), 0, 24 * 3650, 0 },
	{ "churn", "critical_points", K_INT, OFF(critical_points), 0, 100, 0 },
	{ "churn", "payment_days", K_INT, OFF(payment_days), 1, 3650, 0 },
	{ "churn", "failed_points", K_INT, OFF(failed_points), 0, 100, 0 },
	{ "churn", "change_days", K_INT, OFF(change_days), 1, 3650, 0 },
	{ "churn", "downgrade_points", K_INT, OFF(downgrade_points), 0, 100, 0 },
	{ "churn", "cancel_points", K_INT, OFF(cancel_points), 0, 100, 0 },
	{ "churn.segments", "high", K_INT, OFF(seg_min[CS_CHURN_HIGH]), 0, 100, 0 },
	{ "churn.segments", "medium", K_INT, OFF(seg_min[CS_CHURN_MEDIUM]), 0, 100, 0 },
	{ "churn.segments", "low", K_INT, OFF(seg_min[CS_CHURN_LOW]), 0, 100, 0 },
	{ "churn.playbook", "high", K_STR, STR(step[CS_CHURN_HIGH]) },
	{ "churn.playbook", "medium", K_STR, STR(step[CS_CHURN_MEDIUM]) },
	{ "churn.playbook", "low", K_STR, STR(step[CS_CHURN_LOW]) },
	{ "churn.playbook", "none", K_STR, STR(step[CS_CHURN_NONE]) },
	{ "segments", "nps_days", K_INT, OFF(nps_days), 1, 3650, 0 },
	{ "segments", "champion_health", K_INT, OFF(champion_health), 0, 100, 0 },
	{ "segments", "champion_nps", K_INT, OFF(champion_nps), 0, 10, 0 },
	{ "segments", "loyalist_health", K_INT, OFF(loyalist_health), 0, 100, 0 },
	{ "segments", "loyalist_nps", K_INT, OFF(loyalist_nps), 0, 10, 0 },
	{ "segments", "at_risk_min", K_INT, OFF(at_risk_min), 0, 100, 0 },
	{ "segments", "at_risk_max", K_INT, OFF(at_risk_max), 0, 100, 0 },
	{ "segments", "detractor_health", K_INT, OFF(detractor_health), 0, 101, 0 },
	{ "segments", "detractor_nps", K_INT, OFF(detractor_nps), -1, 10, 0 },
	{ "segments.actions", "champion", K_STR, STR(action[CS_BEH_CHAMPION]) },
	{ "segments.actions", "loyalist", K_STR, STR(action[CS_BEH_LOYALIST]) },
	{ "segments.actions", "at-risk", K_STR, STR(action[CS_BEH_AT_RISK]) },
	{ "segments.actions", "detractor", K_STR, STR(action[CS_BEH_DETRACTOR]) },
	{ "segments.actions", "none", K_STR, STR(action[CS_BEH_NONE]) },
	{ "expansion", "min_health", K_INT, OFF(exp_min_health), 0, 100, 0 },
	{ "expansion", "seat_pct", K_INT, OFF(exp_seat_pct), 1, 1000, 0 },
	{ "expansion", "promoter_nps", K_INT, OFF(exp_promoter_nps), 0, 10, 0 },
	{ "expansion", "rising_days", K_INT, OFF(exp_rising_days), 1, 3650, 0 },
	{ "expansion", "rising_pct", K_INT, OFF(exp_rising_pct), 0, 1000, 0 },
	{ "expansion", "min_signals", K_INT, OFF(exp_min_signals), 0, 2, 0 },
	{ "expansion", "seat_growth_pct", K_INT, OFF(exp_seat_growth_pct), 1, 1000, 0 },
	{ "expansion.actions", "default", K_STR, STR(exp_action) },
	{ "expansion.actions", "promoter", K_STR, STR(exp_action_promoter) },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct load {
	struct cs_signals_config *c;
	struct cs_ini *ini;
	int seen[NKEYS];
};

#define fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)

/* A whole number filling s (blanks around it allowed); 0 or -1. */
static int whole(const char *s, int lo, int hi, int *out)
{
	double v;

	if (cs_ini_number(s, &v) || v != floor(v) || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/*
 * "LIMIT:POINTS, ..." into steps: limits rising (below) or falling (at
 * least), so that the first step that matches is the right one.
 */
static int parse_steps(struct load *ld, const struct key *k, const char *value)
{
	struct { int limit, points; } *steps = (void *)((char *)ld->c + k->off);
	int *n = k->type == K_STEPS_BELOW ? &ld->c->nhealth : &ld->c->ninactive;
	char buf[512], *tok, *save = NULL, *colon;

	if (strlen(value) >= sizeof(buf))
		return fail(ld, "[%s] %s is too long", k->section, k->name);
	snprintf(buf, sizeof(buf), "%s", value);
	*n = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		colon = strchr(tok, ':');
		if (*n == CS_SIGNALS_STEPS)
			return fail(ld, "[%s] %s: more than %d steps", k->section, k->name,
				    CS_SIGNALS_STEPS);
		if (colon)
			*colon = '\0';
		if (!colon || whole(tok, 0, 100000, &steps[*n].limit) ||
		    whole(colon + 1, k->lo, k->hi, &steps[*n].points))
			return fail(ld, "[%s] %s: step %d is not LIMIT:POINTS (whole numbers, "
				    "points %d-%d)", k->section, k->name, *n + 1, k->lo, k->hi);
		if (*n && (k->type == K_STEPS_BELOW ? steps[*n].limit <= steps[*n - 1].limit
						    : steps[*n].limit >= steps[*n - 1].limit))
			return fail(ld, "[%s] %s: the limits must %s (step %d)", k->section,
				    k->name, k->type == K_STEPS_BELOW ? "rise" : "fall", *n + 1);
		(*n)++;
	}
	if (!*n)
		return fail(ld, "[%s] %s has no step", k->section, k->name);
	return 1;
}

static int handler(struct cs_ini *ini, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = ini->user;
	char *base = (char *)ld->c;
	const struct key *k;
	size_t i;

	ld->ini = ini;
	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			break;
	if (i == NKEYS)
		return fail(ld, "unknown key '%s' in [%s]", name, section);
	k = &keys[i];
	if (ld->seen[i])
		return fail(ld, "[%s] %s is set twice", section, name);
	ld->seen[i] = 1;
	switch (k->type) {
	case K_INT:
		if (whole(value, k->lo, k->hi, (int *)(base + k->off)))
			return fail(ld, "[%s] %s: '%s' is not a whole number from %d to %d",
				    section, name, value, k->lo, k->hi);
		return 1;
	case K_STEPS_BELOW:
	case K_STEPS_AT_LEAST:
		return parse_steps(ld, k, value);
	case K_LEVEL:
		if (strcmp(value, "low") && strcmp(value, "medium") && strcmp(value, "high"))
			return fail(ld, "[%s] %s: '%s' is not low, medium or high", section,
				    name, value);
		/* fall through */
	case K_STR:
		if (!*value)
			return fail(ld, "[%s] %s is empty", section, name);
		if (strlen(value) >= k->size)
			return fail(ld, "[%s] %s is too long", section, name);
		snprintf(base + k->off, k->size, "%s", value);
		return 1;
	}
	return 0;
}

int cs_signals_config_load(const char *name, struct cs_signals_config *c,
			   struct cs_diag *diag)
{
	struct load ld = { .c = c };
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!name)
		name = CONFIG_NAME;
	if (strchr(name, '/'))
		snprintf(c->path, sizeof(c->path), "%s", name);
	else if (cs_asset_find(name, c->path, sizeof(c->path)))
		return cs_error(diag, "no signals configuration '%s' (looked in the assets "
				"directories)", name);
	if (cs_asset_check_safe(c->path, diag) || cs_ini_parse(c->path, handler, &ld, diag))
		return -1;
	for (i = 0; i < NKEYS; i++)
		if (!ld.seen[i])
			return cs_error(diag, "%s: [%s] %s is missing", c->path, keys[i].section,
					keys[i].name);
	if (!(c->seg_min[CS_CHURN_HIGH] > c->seg_min[CS_CHURN_MEDIUM] &&
	      c->seg_min[CS_CHURN_MEDIUM] > c->seg_min[CS_CHURN_LOW]))
		return cs_error(diag, "%s: [churn.segments] needs high > medium > low", c->path);
	if (c->at_risk_min > c->at_risk_max)
		return cs_error(diag, "%s: [segments] at_risk_min is above at_risk_max", c->path);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The score                                                            */

void cs_churn_score(const struct cs_signals_config *c, const struct cs_churn_factors *f,
		    struct cs_churn *out)
{
	int i, sum = 0, seg;

	memset(out, 0, sizeof(*out));
	if (f->health_known)
		for (i = 0; i < c->nhealth; i++)
			if (f->health < c->health[i].limit) {
				out->points[CS_RISK_HEALTH] = c->health[i].points;
				break;
			}
	if (f->usage_known)
		for (i = 0; i < c->ninactive; i++)
			if (f->inactive_days >= c->inactive[i].limit) {
				out->points[CS_RISK_INACTIVITY] = c->inactive[i].points;
				break;
			}
	out->points[CS_RISK_TICKETS] = f->tickets * c->ticket_points;
	if (out->points[CS_RISK_TICKETS] > c->ticket_cap)
		out->points[CS_RISK_TICKETS] = c->ticket_cap;
	out->points[CS_RISK_CRITICAL] = f->critical * c->critical_points;
	out->points[CS_RISK_PAYMENTS] = f->failed_payments * c->failed_points;
	/* A cancellation outweighs a downgrade; they do not add up (seed 002). */
	if (f->cancel)
		out->points[CS_RISK_CANCEL] = c->cancel_points;
	else if (f->downgrade)
		out->points[CS_RISK_DOWNGRADE] = c->downgrade_points;
	for (i = 0; i < CS_RISK_NFACTORS; i++)
		sum += out->points[i];
	out->score = sum > 100 ? 100 : sum < 0 ? 0 : sum;
	for (seg = CS_CHURN_HIGH; seg < CS_CHURN_NONE; seg++)
		if (out->score >= c->seg_min[seg])
			break;
	out->segment = (enum cs_churn_segment)seg;
	out->step = c->step[seg];
}

void cs_churn_factor_text(const struct cs_signals_config *c, const struct cs_churn_factors *f,
			  int i, char *buf, size_t size)
{
	switch (i) {
	case CS_RISK_HEALTH:
		if (f->health_known)
			snprintf(buf, size, "health %d", f->health);
		else
			snprintf(buf, size, "no health score");
		return;
	case CS_RISK_INACTIVITY:
		if (f->usage_known)
			snprintf(buf, size, "about %d day%s inactive", f->inactive_days,
				 f->inactive_days == 1 ? "" : "s");
		else
			snprintf(buf, size, "no usage data");
		return;
	case CS_RISK_TICKETS:
		snprintf(buf, size, "%d ticket%s in %d days", f->tickets,
			 f->tickets == 1 ? "" : "s", c->ticket_days);
		return;
	case CS_RISK_CRITICAL:
		snprintf(buf, size, "%d critical unresolved", f->critical);
		return;
	case CS_RISK_PAYMENTS:
		snprintf(buf, size, "%d failed in %d days", f->failed_payments, c->payment_days);
		return;
	case CS_RISK_DOWNGRADE:
		snprintf(buf, size, "%s", f->downgrade ? "downgrade" : "none");
		return;
	case CS_RISK_CANCEL:
		snprintf(buf, size, "%s", f->cancel ? "cancellation" : "none");
		return;
	}
	snprintf(buf, size, "?");
}

void cs_churn_reasons(const struct cs_churn *ch, char *buf, size_t size)
{
	bool used[CS_RISK_NFACTORS] = { false };
	size_t n = 0;

	buf[0] = '\0';
	for (;;) {
		int best = -1;

		for (int i = 0; i < CS_RISK_NFACTORS; i++)
			if (!used[i] && ch->points[i] > 0 &&
			    (best < 0 || ch->points[i] > ch->points[best]))
				best = i;
		if (best < 0 || n >= size)
			break;
		used[best] = true;
		n += (size_t)snprintf(buf + n, size - n, "%s%s +%d", n ? ", " : "",
				      cs_churn_factor_names[best], ch->points[best]);
	}
}

/* ------------------------------------------------------------------ */
/* The factors                                                          */

/*
 * The factors of customer c as columns, every one an index lookup:
 * ?3 the as-of day, ?4 the first day of the ticket window, ?5 the day
 * after the as-of day, ?6 the instant before which an unresolved critical
 * ticket counts, ?8 and ?9 the first days of the payment and plan-change
 * windows. The critical urgency is written into the text (one statement
 * per level), so that the 'high' one reads the partial index
 * tickets_critical instead of every ticket of the customer.
 */
#define FACTOR_COLS(level) \
	" c.status," \
	" (SELECT u.date || ' ' || coalesce(u.active_days_30d, '') FROM usage u" \
	"   WHERE u.customer_id = c.customer_id AND u.date <= ?3" \
	"   ORDER BY u.date DESC LIMIT 1)," \
	" (SELECT count(*) FROM tickets t WHERE t.customer_id = c.customer_id" \
	"   AND t.created_at >= ?4 AND t.created_at < ?5)," \
	" (SELECT count(*) FROM tickets t WHERE t.customer_id = c.customer_id" \
	"   AND t.urgency = '" level "' AND t.created_at < ?6" \
	"   AND (t.resolved_at >= ?5 OR (t.resolved_at IS NULL" \
	"        AND coalesce(t.status, '') NOT IN ('solved', 'closed', 'resolved'))))," \
	" (SELECT count(*) FROM payments p WHERE p.customer_id = c.customer_id" \
	"   AND p.status = 'failed' AND p.date >= ?8 AND p.date <= ?3)," \
	" (SELECT group_concat(DISTINCT g.kind) FROM plan_changes g" \
	"   WHERE g.customer_id = c.customer_id AND g.date >= ?9 AND g.date <= ?3)"

struct window {
	char day[11], ticket_from[11], next[11], critical_before[32], payment_from[11],
	     change_from[11];
	int32_t as_of;
};

static void window_init(const struct cs_signals_config *c, int32_t as_of, struct window *w)
{
	int64_t secs = (int64_t)(as_of + 1) * 86400 - (int64_t)c->critical_hours * 3600;
	int32_t d = (int32_t)(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400);
	int64_t rest = secs - (int64_t)d * 86400;
	char day[11];

	w->as_of = as_of;
	cs_format_day(as_of, w->day);
	cs_format_day(as_of - c->ticket_days + 1, w->ticket_from);
	cs_format_day(as_of + 1, w->next);
	cs_format_day(d, day);
	snprintf(w->critical_before, sizeof(w->critical_before), "%s %02d:%02d:%02d", day,
		 (int)(rest / 3600), (int)(rest / 60 % 60), (int)(rest % 60));
	cs_format_day(as_of - c->payment_days + 1, w->payment_from);
	cs_format_day(as_of - c->change_days + 1, w->change_from);
}

/* 0 low, 1 medium, 2 high: the statement variant of the critical urgency. */
static int level_of(const struct cs_signals_config *c)
{
	return !strcmp(c->critical_urgency, "low") ? 0 :
	       !strcmp(c->critical_urgency, "medium") ? 1 : 2;
}

static void bind_window(sqlite3_stmt *st, const struct cs_signals_config *c,
			const struct window *w)
{
	sqlite3_bind_text(st, 2, c->profile, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, w->day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, w->ticket_from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, w->next, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, w->critical_before, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, w->payment_from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, w->change_from, -1, SQLITE_TRANSIENT);
}

/* Read FACTOR_COLS starting at column i into f (health is the caller's). */
static void read_factors(sqlite3_stmt *st, int i, const struct window *w,
			 struct cs_churn_factors *f)
{
	const char *status = (const char *)sqlite3_column_text(st, i);
	const char *usage = (const char *)sqlite3_column_text(st, i + 1);
	const char *kinds = (const char *)sqlite3_column_text(st, i + 5);
	char day_text[11];
	int32_t day;

	/* "YYYY-MM-DD N": the latest usage row's date and active days ("" unknown) */
	f->usage_known = false;
	if (usage && strlen(usage) > 11 && usage[10] == ' ') {
		memcpy(day_text, usage, 10);
		day_text[10] = '\0';
		if (!cs_parse_day(day_text, &day)) {
			int active = atoi(usage + 11);

			f->usage_known = true;
			f->inactive_days = (int)(w->as_of - day) + (active > 0 ? 30 / active : 30);
		}
	}
	f->tickets = sqlite3_column_int(st, i + 2);
	f->critical = sqlite3_column_int(st, i + 3);
	f->failed_payments = sqlite3_column_int(st, i + 4);
	f->downgrade = (status && !strcmp(status, "downgrade_requested")) ||
		       (kinds && strstr(kinds, "downgrade"));
	f->cancel = (status && !strcmp(status, "cancel_requested")) ||
		    (kinds && strstr(kinds, "cancel"));
}

/* Copy src into dst, cut at a character boundary when it does not fit. */
static void copy_text(char *dst, size_t size, const unsigned char *src)
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

/*
 * The score of customer c in the newest run of profile ?2 on or before ?3:
 * two primary-key seeks. NULL when that run did not score the customer
 * (churned or not yet a customer then): their newest snapshot, if any, is
 * in an earlier run (health_fallback()). There is no per-customer snapshot
 * index to ask directly: every scoring run would have to rewrite it.
 */
#define LATEST_SCORE \
	"(SELECT s.score FROM snapshots s WHERE s.profile = ?2" \
	"    AND s.as_of = (SELECT max(as_of) FROM snapshots WHERE profile = ?2 AND as_of <= ?3)" \
	"    AND s.customer_id = c.customer_id)"

/*
 * When LATEST_SCORE is NULL: the customer's newest snapshot on or before
 * as_of in an earlier run, found by walking the run dates by primary key
 * (cs_score_history).
 */
static int health_fallback(sqlite3 *db, const char *profile, const char *customer_id,
			   int32_t as_of, bool *known, int *health, struct cs_diag *diag)
{
	struct cs_history_point pt;
	int n = cs_score_history(db, profile, customer_id, as_of, &pt, 1, diag);

	if (n < 0)
		return -1;
	*known = n == 1;
	*health = n == 1 ? pt.score : 0;
	return 0;
}

#define GET_SQL(level) \
		"SELECT " LATEST_SCORE "," \
		FACTOR_COLS(level) \
		"  FROM customers c WHERE c.customer_id = ?1"
static const char *const get_sql[3] = { GET_SQL("low"), GET_SQL("medium"), GET_SQL("high") };
#undef GET_SQL

/* One customer through the prepared get_sql statement st. */
static int get_one(sqlite3 *db, sqlite3_stmt *st, const struct cs_signals_config *c,
		   const struct window *w, int32_t as_of, const char *customer_id,
		   struct cs_churn_factors *f, struct cs_churn *out, bool *found,
		   struct cs_diag *diag)
{
	int rc;

	memset(f, 0, sizeof(*f));
	memset(out, 0, sizeof(*out));
	*found = false;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		f->health_known = sqlite3_column_type(st, 0) != SQLITE_NULL;
		f->health = sqlite3_column_int(st, 0);
		read_factors(st, 1, w, f);
		if (!f->health_known &&
		    health_fallback(db, c->profile, customer_id, as_of, &f->health_known,
				    &f->health, diag))
			return -1;
		cs_churn_score(c, f, out);
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0
	       : cs_db_error(db, diag, "reading the churn-risk factors");
}

int cs_churn_get(sqlite3 *db, const struct cs_signals_config *c, const char *customer_id,
		 int32_t as_of, struct cs_churn_factors *f, struct cs_churn *out,
		 bool *found, struct cs_diag *diag)
{
	struct window w;
	sqlite3_stmt *st;
	int rc;

	memset(f, 0, sizeof(*f));
	memset(out, 0, sizeof(*out));
	*found = false;
	window_init(c, as_of, &w);
	if (sqlite3_prepare_v2(db, get_sql[level_of(c)], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the churn-risk factors");
	bind_window(st, c, &w);
	rc = get_one(db, st, c, &w, as_of, customer_id, f, out, found, diag);
	sqlite3_finalize(st);
	return rc;
}

int cs_churn_get_many(sqlite3 *db, const struct cs_signals_config *c,
		      const char *const *ids, int n, int32_t as_of, struct cs_churn *out,
		      bool *found, struct cs_diag *diag)
{
	struct cs_churn_factors f;
	struct window w;
	sqlite3_stmt *st;
	int rc = 0;

	if (n <= 0)
		return 0;
	window_init(c, as_of, &w);
	if (sqlite3_prepare_v2(db, get_sql[level_of(c)], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the churn-risk factors");
	bind_window(st, c, &w);
	for (int i = 0; i < n && !rc; i++)
		rc = get_one(db, st, c, &w, as_of, ids[i], &f, &out[i], &found[i], diag);
	sqlite3_finalize(st);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The list                                                             */

/*
 * The scored customers in ARR order (customers_arr walked downwards, ties
 * by the larger id first, as the customer list does), from a key, then
 * those of unknown ARR by id. ?10 the snapshot day, ?11 and ?12 the key.
 */
#define LIST_HEAD(level) \
	"SELECT c.customer_id, c.name, c.arr, s.score, s.band," FACTOR_COLS(level) \
	"  FROM customers c CROSS JOIN snapshots s ON s.profile = ?2 AND s.as_of = ?10" \
	"   AND s.customer_id = c.customer_id"
/* [part * 2 + from a key]: known ARR, then unknown; each from the start or a key */
#define LIST_SQL(level) \
	LIST_HEAD(level) " WHERE c.arr IS NOT NULL ORDER BY c.arr DESC, c.customer_id DESC", \
	LIST_HEAD(level) " WHERE c.arr IS NOT NULL AND (c.arr, c.customer_id) < (?11, ?12)" \
	" ORDER BY c.arr DESC, c.customer_id DESC", \
	LIST_HEAD(level) " WHERE c.arr IS NULL ORDER BY c.customer_id", \
	LIST_HEAD(level) " WHERE c.arr IS NULL AND c.customer_id > ?12 ORDER BY c.customer_id"
/* [level * 4 + part * 2 + from a key] */
static const char *const list_sql[12] = {
	LIST_SQL("low"), LIST_SQL("medium"), LIST_SQL("high"),
};

int cs_churn_list(sqlite3 *db, const struct cs_signals_config *c, int32_t as_of,
		  unsigned mask, const struct cs_signal_key *key, struct cs_churn_row *rows,
		  int max, struct cs_diag *diag)
{
	char snap_day[11];
	struct window w;
	int n = 0, part, found, rc = SQLITE_DONE;

	if (max <= 0)
		return 0;
	if (key && !key->set)
		key = NULL;
	found = cs_snapshot_latest_date(db, c->profile, as_of, snap_day, diag);
	if (found <= 0)
		return found;
	window_init(c, as_of, &w);
	for (part = key && key->null ? 1 : 0; part < 2 && n < max; part++) {
		sqlite3_stmt *st;

		bool from_key = key && key->null == (part == 1);

		if (sqlite3_prepare_v2(db, list_sql[level_of(c) * 4 + part * 2 + from_key], -1,
				       &st, NULL) != SQLITE_OK)
			return cs_db_error(db, diag, "listing churn risk");
		bind_window(st, c, &w);
		sqlite3_bind_text(st, 10, snap_day, -1, SQLITE_TRANSIENT);
		if (from_key) {
			if (!part)
				sqlite3_bind_double(st, 11, key->arr);
			sqlite3_bind_text(st, 12, key->customer_id, -1, SQLITE_TRANSIENT);
		}
		while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct cs_churn_row *r = &rows[n];

			memset(r, 0, sizeof(*r));
			r->f.health_known = true;
			r->f.health = r->health = sqlite3_column_int(st, 3);
			read_factors(st, 5, &w, &r->f);
			cs_churn_score(c, &r->f, &r->churn);
			if (mask && !(mask & (1u << r->churn.segment)))
				continue;
			copy_text(r->customer_id, sizeof(r->customer_id), sqlite3_column_text(st, 0));
			copy_text(r->name, sizeof(r->name), sqlite3_column_text(st, 1));
			r->arr_known = sqlite3_column_type(st, 2) != SQLITE_NULL;
			r->arr = sqlite3_column_double(st, 2);
			copy_text(r->band, sizeof(r->band), sqlite3_column_text(st, 4));
			r->key.set = true;
			r->key.null = !r->arr_known;
			r->key.arr = r->arr;
			snprintf(r->key.customer_id, sizeof(r->key.customer_id), "%s",
				 r->customer_id);
			n++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return cs_db_error(db, diag, "listing churn risk");
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Behavioural segments                                                 */

enum cs_behaviour cs_behaviour_of(const struct cs_signals_config *c, bool health_known,
				  int health, bool nps_known, int nps)
{
	if (health_known && nps_known && health >= c->champion_health && nps >= c->champion_nps)
		return CS_BEH_CHAMPION;
	if (health_known && nps_known && health >= c->loyalist_health && nps >= c->loyalist_nps)
		return CS_BEH_LOYALIST;
	if (health_known && health >= c->at_risk_min && health <= c->at_risk_max)
		return CS_BEH_AT_RISK;
	if ((health_known && health < c->detractor_health) || (nps_known && nps <= c->detractor_nps))
		return CS_BEH_DETRACTOR;
	return CS_BEH_NONE;
}

/* The latest NPS answer of c.customer_id in [?30, ?31). */
#define LATEST_NPS \
	"(SELECT n.score FROM nps n WHERE n.customer_id = c.customer_id" \
	"   AND n.date >= ?30 AND n.date < ?31 ORDER BY n.date DESC, n.response_key DESC LIMIT 1)"

/* cs_behaviour_of() in SQL, the same rules in the same order (NULL: unknown). */
#define BEHAVIOUR_EXPR \
	"(SELECT CASE WHEN s.score >= ?22 AND x.v >= ?23 THEN 0" \
	"             WHEN s.score >= ?24 AND x.v >= ?25 THEN 1" \
	"             WHEN s.score BETWEEN ?26 AND ?27 THEN 2" \
	"             WHEN s.score < ?28 OR x.v <= ?29 THEN 3 ELSE 4 END" \
	"   FROM (SELECT " LATEST_NPS " AS v) x)"
const char cs_behaviour_sql[] = BEHAVIOUR_EXPR;

void cs_behaviour_bind(sqlite3_stmt *st, const struct cs_signals_config *c, int32_t as_of)
{
	char from[11], next[11];

	sqlite3_bind_int(st, 22, c->champion_health);
	sqlite3_bind_int(st, 23, c->champion_nps);
	sqlite3_bind_int(st, 24, c->loyalist_health);
	sqlite3_bind_int(st, 25, c->loyalist_nps);
	sqlite3_bind_int(st, 26, c->at_risk_min);
	sqlite3_bind_int(st, 27, c->at_risk_max);
	sqlite3_bind_int(st, 28, c->detractor_health);
	sqlite3_bind_int(st, 29, c->detractor_nps);
	cs_format_day(as_of - c->nps_days + 1, from);
	cs_format_day(as_of + 1, next);
	sqlite3_bind_text(st, 30, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 31, next, -1, SQLITE_TRANSIENT);
}

int cs_behaviour_get(sqlite3 *db, const struct cs_signals_config *c, const char *customer_id,
		     int32_t as_of, struct cs_behaviour_inputs *in, enum cs_behaviour *out,
		     bool *found, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT " LATEST_SCORE ","
		"       (SELECT n.score FROM nps n WHERE n.customer_id = c.customer_id"
		"          AND n.date >= ?30 AND n.date < ?31"
		"          ORDER BY n.date DESC, n.response_key DESC LIMIT 1),"
		"       (SELECT n.date FROM nps n WHERE n.customer_id = c.customer_id"
		"          AND n.date >= ?30 AND n.date < ?31"
		"          ORDER BY n.date DESC, n.response_key DESC LIMIT 1)"
		"  FROM customers c WHERE c.customer_id = ?1";
	char day[11];
	sqlite3_stmt *st;
	int rc;

	memset(in, 0, sizeof(*in));
	*out = CS_BEH_NONE;
	*found = false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the behavioural segment");
	cs_format_day(as_of, day);
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, c->profile, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
	cs_behaviour_bind(st, c, as_of);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		in->health_known = sqlite3_column_type(st, 0) != SQLITE_NULL;
		in->health = sqlite3_column_int(st, 0);
		in->nps_known = sqlite3_column_type(st, 1) != SQLITE_NULL;
		in->nps = sqlite3_column_int(st, 1);
		copy_text(in->nps_date, sizeof(in->nps_date), sqlite3_column_text(st, 2));
		if (!in->health_known &&
		    health_fallback(db, c->profile, customer_id, as_of, &in->health_known,
				    &in->health, diag)) {
			sqlite3_finalize(st);
			return -1;
		}
		*out = cs_behaviour_of(c, in->health_known, in->health, in->nps_known, in->nps);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the behavioural segment");
	return 0;
}

int cs_behaviour_counts(sqlite3 *db, const struct cs_signals_config *c, int32_t as_of,
			long counts[CS_BEH_N], double arr[CS_BEH_N], struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT seg, count(*), total(arr) FROM (SELECT c.arr AS arr, "
		BEHAVIOUR_EXPR " AS seg"
		"  FROM snapshots s CROSS JOIN customers c ON c.customer_id = s.customer_id"
		" WHERE s.profile = ?2 AND s.as_of = ?10) GROUP BY seg";
	char snap_day[11];
	sqlite3_stmt *st;
	int rc, found;

	for (int i = 0; i < CS_BEH_N; i++) {
		counts[i] = 0;
		arr[i] = 0;
	}
	found = cs_snapshot_latest_date(db, c->profile, as_of, snap_day, diag);
	if (found <= 0)
		return found;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting the behavioural segments");
	sqlite3_bind_text(st, 2, c->profile, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 10, snap_day, -1, SQLITE_TRANSIENT);
	cs_behaviour_bind(st, c, as_of);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int seg = sqlite3_column_int(st, 0);

		if (seg >= 0 && seg < CS_BEH_N) {
			counts[seg] = (long)sqlite3_column_int64(st, 1);
			arr[seg] = sqlite3_column_double(st, 2);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "counting the behavioural segments");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Expansion opportunities                                              */

/* (now - before) / before in whole percent, rounded down; 0 when before is 0. */
static int change_pct(long now, long before)
{
	if (before <= 0)
		return 0;
	return (int)((now - before) * 100 / before);
}

/* now is up at least pct percent on before (anything on nothing counts). */
static bool up_by(long now, long before, int pct)
{
	if (now <= before)
		return false;
	return (long long)now * 100 >= (long long)before * (100 + pct);
}

void cs_expansion_eval(const struct cs_signals_config *c, const struct cs_expansion_inputs *in,
		       struct cs_expansion *out)
{
	size_t n = 0;
	int signals;

	memset(out, 0, sizeof(*out));
	if (in->usage_known && in->seats > 0) {
		out->util_pct = (int)(in->users * 100 / in->seats);
		out->near_limit = (long long)in->users * 100 >= (long long)c->exp_seat_pct * in->seats;
	}
	out->promoter = in->nps_known && in->nps >= c->exp_promoter_nps;
	if (in->usage_known && in->earlier_known) {
		out->users_change_pct = change_pct(in->users, in->earlier_users);
		out->core_change_pct = change_pct(in->core, in->earlier_core);
		out->rising = up_by(in->users, in->earlier_users, c->exp_rising_pct) ||
			      up_by(in->core, in->earlier_core, c->exp_rising_pct);
	}
	signals = out->promoter + out->rising;
	out->eligible = in->health_known && in->health >= c->exp_min_health && out->near_limit &&
			signals >= c->exp_min_signals;
	if (in->seats > 0) {
		out->extra_seats = (in->seats * c->exp_seat_growth_pct + 99) / 100;
		if (out->extra_seats < 1)
			out->extra_seats = 1;
		if (in->arr_known) {
			out->estimate_known = true;
			out->seat_price = in->arr / (double)in->seats;
			out->estimate = out->seat_price * (double)out->extra_seats;
		}
	}
	out->action = out->promoter ? c->exp_action_promoter : c->exp_action;
#define PUT(...) do { if (n < sizeof(out->reason)) \
		n += (size_t)snprintf(out->reason + n, sizeof(out->reason) - n, __VA_ARGS__); \
	} while (0)
	if (in->usage_known && in->seats > 0)
		PUT("%ld of %ld seats in use (%d%%)", in->users, in->seats, out->util_pct);
	else
		PUT("no recent usage");
	if (out->promoter)
		PUT("; promoter (NPS %d)", in->nps);
	if (out->rising) {
		if (up_by(in->users, in->earlier_users, c->exp_rising_pct))
			PUT("; active users %+d%% in %d days", out->users_change_pct,
			    c->exp_rising_days);
		else
			PUT("; core actions %+d%% in %d days", out->core_change_pct,
			    c->exp_rising_days);
	}
#undef PUT
}

/*
 * What the test reads for customer c, as columns: ?3 the as-of day, ?32
 * the first day of usage that counts as recent, ?33 the day rising usage
 * compares with, ?30 and ?31 the NPS window (cs_behaviour_bind).
 */
#define EXPANSION_COLS \
	" (SELECT u.date || '|' || coalesce(u.active_users, '') || '|' ||" \
	"         coalesce(u.seats, '') || '|' || coalesce(u.core_actions_30d, '')" \
	"    FROM usage u WHERE u.customer_id = c.customer_id AND u.date <= ?3" \
	"   ORDER BY u.date DESC LIMIT 1)," \
	" (SELECT coalesce(u.active_users, '') || '|' || coalesce(u.core_actions_30d, '')" \
	"    FROM usage u WHERE u.customer_id = c.customer_id AND u.date <= ?33" \
	"   ORDER BY u.date DESC LIMIT 1)," \
	" " LATEST_NPS ", c.seats, c.arr"

static void expansion_bind(sqlite3_stmt *st, const struct cs_signals_config *c, int32_t as_of)
{
	char day[11], recent[11], earlier[11];

	cs_format_day(as_of, day);
	cs_format_day(as_of - 29, recent);
	cs_format_day(as_of - c->exp_rising_days, earlier);
	sqlite3_bind_text(st, 2, c->profile, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 32, recent, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 33, earlier, -1, SQLITE_TRANSIENT);
	cs_behaviour_bind(st, c, as_of);
}

/* The next '|'-separated field of *p as a count; false when it is empty. */
static bool read_count(const char **p, long *out)
{
	const char *q = *p;
	char *end;
	bool ok = *q >= '0' && *q <= '9';

	if (ok)
		*out = strtol(q, &end, 10);
	while (*q && *q != '|')
		q++;
	*p = *q ? q + 1 : q;
	return ok;
}

/* EXPANSION_COLS from column i into in (health is the caller's). */
static void read_expansion(sqlite3_stmt *st, int i, const char *recent,
			   struct cs_expansion_inputs *in)
{
	const char *latest = (const char *)sqlite3_column_text(st, i);
	const char *earlier = (const char *)sqlite3_column_text(st, i + 1);
	long seats = 0;
	bool has_seats;

	in->usage_known = false;
	if (latest && strlen(latest) > 10 && latest[10] == '|' && strncmp(latest, recent, 10) >= 0) {
		const char *p = latest + 11;

		in->usage_known = read_count(&p, &in->users);
		has_seats = read_count(&p, &seats);
		if (!read_count(&p, &in->core))
			in->core = 0;
		if (!has_seats && sqlite3_column_type(st, i + 3) != SQLITE_NULL) {
			seats = (long)sqlite3_column_int64(st, i + 3);
			has_seats = true;
		}
		in->seats = has_seats ? seats : 0;
	}
	in->earlier_known = false;
	if (earlier) {
		const char *p = earlier;

		in->earlier_known = read_count(&p, &in->earlier_users);
		if (!read_count(&p, &in->earlier_core))
			in->earlier_core = 0;
	}
	in->nps_known = sqlite3_column_type(st, i + 2) != SQLITE_NULL;
	in->nps = sqlite3_column_int(st, i + 2);
	in->arr_known = sqlite3_column_type(st, i + 4) != SQLITE_NULL;
	in->arr = sqlite3_column_double(st, i + 4);
}

int cs_expansion_get(sqlite3 *db, const struct cs_signals_config *c, const char *customer_id,
		     int32_t as_of, struct cs_expansion_inputs *in, struct cs_expansion *out,
		     bool *found, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT " LATEST_SCORE ","
		EXPANSION_COLS
		"  FROM customers c WHERE c.customer_id = ?1";
	char recent[11];
	sqlite3_stmt *st;
	int rc;

	memset(in, 0, sizeof(*in));
	memset(out, 0, sizeof(*out));
	*found = false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the expansion signals");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	expansion_bind(st, c, as_of);
	cs_format_day(as_of - 29, recent);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = true;
		in->health_known = sqlite3_column_type(st, 0) != SQLITE_NULL;
		in->health = sqlite3_column_int(st, 0);
		read_expansion(st, 1, recent, in);
		if (!in->health_known &&
		    health_fallback(db, c->profile, customer_id, as_of, &in->health_known,
				    &in->health, diag)) {
			sqlite3_finalize(st);
			return -1;
		}
		cs_expansion_eval(c, in, out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the expansion signals");
	return 0;
}

/*
 * The healthy customers of the snapshot in ARR order, as cs_churn_list
 * walks them (?10 the snapshot day, ?11 and ?12 the key, ?34 the least
 * health): the score is checked before any other column is read.
 */
#define EXP_HEAD \
	"SELECT c.customer_id, c.name, s.score, s.band," EXPANSION_COLS \
	"  FROM customers c CROSS JOIN snapshots s ON s.profile = ?2 AND s.as_of = ?10" \
	"   AND s.customer_id = c.customer_id WHERE s.score >= ?34"
/* [part * 2 + from a key] */
static const char *const exp_sql[4] = {
	EXP_HEAD " AND c.arr IS NOT NULL ORDER BY c.arr DESC, c.customer_id DESC",
	EXP_HEAD " AND c.arr IS NOT NULL AND (c.arr, c.customer_id) < (?11, ?12)"
	" ORDER BY c.arr DESC, c.customer_id DESC",
	EXP_HEAD " AND c.arr IS NULL ORDER BY c.customer_id",
	EXP_HEAD " AND c.arr IS NULL AND c.customer_id > ?12 ORDER BY c.customer_id",
};

int cs_expansion_list(sqlite3 *db, const struct cs_signals_config *c, int32_t as_of,
		      const struct cs_signal_key *key, struct cs_expansion_row *rows, int max,
		      struct cs_diag *diag)
{
	char snap_day[11], recent[11];
	int n = 0, part, found, rc = SQLITE_DONE;

	if (max <= 0)
		return 0;
	if (key && !key->set)
		key = NULL;
	found = cs_snapshot_latest_date(db, c->profile, as_of, snap_day, diag);
	if (found <= 0)
		return found;
	cs_format_day(as_of - 29, recent);
	for (part = key && key->null ? 1 : 0; part < 2 && n < max; part++) {
		bool from_key = key && key->null == (part == 1);
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db, exp_sql[part * 2 + from_key], -1, &st, NULL) != SQLITE_OK)
			return cs_db_error(db, diag, "listing expansion opportunities");
		expansion_bind(st, c, as_of);
		sqlite3_bind_text(st, 10, snap_day, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 34, c->exp_min_health);
		if (from_key) {
			if (!part)
				sqlite3_bind_double(st, 11, key->arr);
			sqlite3_bind_text(st, 12, key->customer_id, -1, SQLITE_TRANSIENT);
		}
		while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct cs_expansion_row *r = &rows[n];

			memset(r, 0, sizeof(*r));
			r->in.health_known = true;
			r->in.health = sqlite3_column_int(st, 2);
			read_expansion(st, 4, recent, &r->in);
			cs_expansion_eval(c, &r->in, &r->x);
			if (!r->x.eligible)
				continue;
			copy_text(r->customer_id, sizeof(r->customer_id), sqlite3_column_text(st, 0));
			copy_text(r->name, sizeof(r->name), sqlite3_column_text(st, 1));
			copy_text(r->band, sizeof(r->band), sqlite3_column_text(st, 3));
			r->arr_known = r->in.arr_known;
			r->arr = r->in.arr;
			r->key.set = true;
			r->key.null = !r->arr_known;
			r->key.arr = r->arr;
			snprintf(r->key.customer_id, sizeof(r->key.customer_id), "%s",
				 r->customer_id);
			n++;
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return cs_db_error(db, diag, "listing expansion opportunities");
	}
	return n;
}
