/* rules.c — the escalation rules and the action store. See rules.h. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/db.h"
#include "casey/ini.h"
#include "casey/rules.h"
#include "casey/score.h"
#include "casey/tickets.h"
#include "casey/value.h"
#include "analytics_int.h"
#include "keyset.h"

const char *const cs_action_names[A_KIND_COUNT] = {
	[A_AT_RISK] = "at_risk",
	[A_IMMEDIATE] = "immediate",
	[A_WEEKLY_REVIEW] = "weekly_review",
	[A_CHURN_RISK] = "churn_risk",
	[A_CHECK_IN] = "check_in",
	[A_PRODUCT_GAP] = "product_gap",
	[A_DOCS_GAP] = "documentation_gap",
	[A_BUG] = "bug",
	[A_ADOPTION_GAP] = "adoption_gap",
	[A_THEME] = "theme_escalation",
};

/* ---- configuration ------------------------------------------------------ */

struct load {
	struct cs_rules *r;
	struct cs_ini *ini;
};

#define fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)

/* A non-negative number filling all of s. */
static int number(const char *s, double *out)
{
	return cs_ini_number(s, out) || *out < 0 ? -1 : 0;
}

/* Which setting of which rule a key names; the table is the documentation. */
static const struct {
	const char *key;
	size_t off;
	bool integer;
} settings[] = {
#define S(k, f, i) { k, offsetof(struct cs_rule_cfg, f), i }
	S("due_hours", due_hours, true),
	S("min_tickets", min_tickets, false),
	S("arr_above", arr_above, false),
	S("arr_at_least", arr_at_least, false),
	S("window_days", window_days, true),
	S("drop_points", drop_points, true),
	S("usage_drop", usage_drop, false),
	S("no_contact_days", no_contact_days, true),
	S("tickets_30d", tickets_30d, true),
	S("min_days_released", min_days_released, true),
	S("max_share", max_share, false),
#undef S
};

static const char *const section_names[A_KIND_COUNT] = {
	[A_AT_RISK] = "at_risk", [A_IMMEDIATE] = "immediate",
	[A_WEEKLY_REVIEW] = "weekly_review", [A_CHURN_RISK] = "churn_risk",
	[A_CHECK_IN] = "check_in", [A_PRODUCT_GAP] = "product_gap",
	[A_DOCS_GAP] = "documentation_gap", [A_BUG] = "bug",
	[A_ADOPTION_GAP] = "adoption_gap", [A_THEME] = "theme_escalation",
};

static int handler(struct cs_ini *ini, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = ini->user;
	struct cs_rules *r = ld->r;
	double v;
	size_t i;
	int k;

	ld->ini = ini;
	if (!strcmp(section, "general")) {
		if (strcmp(name, "weakest") || number(value, &v) || v < 1 || v > 10)
			return fail(ld, "[general] has 'weakest = N' (1-10) only");
		r->weakest = (int)v;
		return 1;
	}
	if (!strcmp(section, "advice")) {
		if (r->nadvice == CS_MAX_MEASURES)
			return fail(ld, "too many [advice] lines");
		snprintf(r->advice[r->nadvice].measure, sizeof(r->advice[0].measure), "%s", name);
		snprintf(r->advice[r->nadvice].text, sizeof(r->advice[0].text), "%s", value);
		r->nadvice++;
		return 1;
	}
	for (k = 0; k < A_KIND_COUNT; k++)
		if (!strcmp(section, section_names[k]))
			break;
	if (k == A_KIND_COUNT)
		return fail(ld, "unknown section [%s]", section);
	if (!strcmp(name, "owner")) {
		snprintf(r->r[k].owner, sizeof(r->r[k].owner), "%s", value);
		return 1;
	}
	if (!strcmp(name, "enabled")) {
		r->r[k].enabled = !strcmp(value, "yes");
		if (strcmp(value, "yes") && strcmp(value, "no"))
			return fail(ld, "enabled is yes or no");
		return 1;
	}
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		if (strcmp(name, settings[i].key))
			continue;
		if (number(value, &v) || (settings[i].integer && (v != floor(v) || v > INT_MAX)))
			return fail(ld, "%s must be a %snon-negative number, not '%s'", name,
				    settings[i].integer ? "whole " : "", value);
		if (settings[i].integer)
			*(int *)((char *)&r->r[k] + settings[i].off) = (int)v;
		else
			*(double *)((char *)&r->r[k] + settings[i].off) = v;
		return 1;
	}
	return fail(ld, "unknown setting '%s' in [%s]", name, section);
}

int cs_rules_load(const char *name, struct cs_rules *r, struct cs_diag *diag)
{
	struct load ld = { .r = r };
	char rel[PATH_MAX];
	int k;

	memset(r, 0, sizeof(*r));
	r->weakest = 3;
	for (k = 0; k < A_KIND_COUNT; k++)
		r->r[k].enabled = true;
	if (strchr(name, '/')) {
		snprintf(r->path, sizeof(r->path), "%s", name);
	} else {
		snprintf(rel, sizeof(rel), "%s.ini", name);
		if (cs_asset_find(rel, r->path, sizeof(r->path)))
			return cs_error(diag, "no rules file '%s' in the assets directories", rel);
	}
	if (cs_asset_check_safe(r->path, diag))
		return -1;
	if (cs_ini_parse(r->path, handler, &ld, diag))
		return -1;
	for (k = 0; k < A_KIND_COUNT; k++)
		if (!r->r[k].owner[0])
			return cs_error(diag, "%s: [%s] needs an owner", r->path, section_names[k]);
	return 0;
}

/* ---- customer rules ----------------------------------------------------- */

int cs_action_list_add(void *list, const struct cs_action *a)
{
	struct cs_action_list *l = list;

	if (l->n >= CS_CUSTOMER_ACTIONS)
		return -1;
	l->content[l->n] = cs_action_content(a);
	l->a[l->n++] = *a;
	return 0;
}

static void due(int32_t as_of, int hours, char *out)
{
	struct cs_time t = { .epoch = (int64_t)as_of * 86400 + (int64_t)hours * 3600,
			     .has_time = true };

	cs_format_time(&t, out);
}

static const char *advice_for(const struct cs_rules *r, const char *measure)
{
	for (int i = 0; i < r->nadvice; i++)
		if (!strcmp(r->advice[i].measure, measure))
			return r->advice[i].text;
	return NULL;
}

/*
 * Root causes: the measures that cost the most health points (weight x
 * the points short of 100), with the advice for each.
 */
static void root_causes(const struct cs_rules *r, const struct cs_rule_customer *in,
			char *out, size_t size)
{
	const struct cs_profile *p = in->profile;
	const struct cs_score *s = in->score;
	bool used[CS_MAX_MEASURES] = { false };
	size_t n = 0;
	int k, i;

	out[0] = '\0';
	for (k = 0; k < r->weakest; k++) {
		int worst = -1;
		double worst_loss = 0.5;	/* under half a point is no cause */

		for (i = 0; i < p->nmeasures; i++) {
			int c = p->measures[i].component;
			double loss;

			if (used[i] || s->ms[i].excluded || s->comp_excluded[c])
				continue;
			loss = s->comp_weight[c] * s->ms[i].weight * (100 - s->ms[i].points);
			if (loss > worst_loss) {
				worst_loss = loss;
				worst = i;
			}
		}
		if (worst < 0)
			break;
		used[worst] = true;
		{
			const char *adv = advice_for(r, p->measures[worst].name);

			n += (size_t)snprintf(out + n, n < size ? size - n : 0,
					      "%s%s.%s %.0f pts (-%.1f)%s%s", n ? "; " : "",
					      p->comps[p->measures[worst].component].name,
					      p->measures[worst].name, s->ms[worst].points,
					      worst_loss, adv ? ": " : "", adv ? adv : "");
		}
	}
	if (!out[0])
		snprintf(out, size, "no single weak measure");
}

/* What every action about one customer says alike, formatted once. */
struct customer_text {
	bool done;
	char causes[700], arr[40], trend[64];
};

static int emit(const struct cs_rules *r, enum cs_action_kind kind,
		const struct cs_rule_customer *in, int32_t as_of, const char *reason,
		struct customer_text *ct, cs_action_cb cb, void *ctx)
{
	const struct cs_customer_metrics *cm = in->cm;
	const struct cs_score *s = in->score;
	struct cs_action a;

	if (!r->r[kind].enabled)
		return 0;
	if (!ct->done) {
		root_causes(r, in, ct->causes, sizeof(ct->causes));
		if (isnan(cm->arr))
			snprintf(ct->arr, sizeof(ct->arr), "unknown");
		else
			snprintf(ct->arr, sizeof(ct->arr), "$%.0f", cm->arr);
		if (in->has_delta30)
			snprintf(ct->trend, sizeof(ct->trend), "%+d in 30 days", in->delta30);
		else
			snprintf(ct->trend, sizeof(ct->trend), "no score 30 days ago");
		ct->done = true;
	}
	/* Not memset: the buffers are filled below, and a is large. */
	a.kind = kind;
	a.category[0] = a.theme[0] = '\0';
	a.kind = kind;
	snprintf(a.rule_key, sizeof(a.rule_key), "%s:%s", cs_action_names[kind], cm->customer_id);
	a.customer_id = cm->customer_id;
	a.name = cm->name;
	a.arr = cm->arr;
	snprintf(a.reason, sizeof(a.reason), "%s", reason);
	snprintf(a.owner, sizeof(a.owner), "%s", !strcmp(r->r[kind].owner, "CSM") && cm->csm[0] ?
		 cm->csm : r->r[kind].owner);
	due(as_of, r->r[kind].due_hours, a.due_at);
	snprintf(a.evidence, sizeof(a.evidence),
		 "ARR at risk %s; health %d (%s), %s; status %s; root causes: %s; "
		 "timeline: contact within %d h, plan agreed within 1 week, review in 30 days",
		 ct->arr, s->score, cs_band_names[s->band], ct->trend, cm->status, ct->causes,
		 r->r[kind].due_hours);
	return cb(ctx, &a);
}

int cs_rules_customer(const struct cs_rules *r, const struct cs_rule_customer *in,
		      int32_t as_of, cs_action_cb cb, void *ctx)
{
	const struct cs_customer_metrics *cm = in->cm;
	enum cs_band band = in->score->band;
	bool declining = in->has_delta30 && cs_trend_of(in->delta30) == CS_DECLINING;
	const struct cs_metric_value *tickets = &cm->m[M_TICKETS_30D];
	const struct cs_metric_value *usage = &cm->m[M_USAGE_CHANGE_30D];
	const struct cs_metric_value *contact = &cm->m[M_DAYS_SINCE_CONTACT];
	bool cancel = !strcmp(cm->status, "cancel_requested");
	bool downgrade = !strcmp(cm->status, "downgrade_requested");
	struct customer_text ct = { .done = false };
	char why[300];
	size_t n;
	int rc = 0;

#define WHY(...) (n += (size_t)snprintf(why + n, n < sizeof(why) ? sizeof(why) - n : 0, __VA_ARGS__))
	if (cs_is_at_risk(band, in->has_delta30, in->delta30)) {
		n = 0;
		why[0] = '\0';
		if (band == CS_RED)
			WHY("Red (%d)", in->score->score);
		else
			WHY("Yellow (%d) and declining (%+d in 30 days)", in->score->score,
			    in->delta30);
		rc = rc ? rc : emit(r, A_AT_RISK, in, as_of, why, &ct, cb, ctx);
	}
	n = 0;
	why[0] = '\0';
	if (band == CS_RED)
		WHY("Red (%d)", in->score->score);
	if (band == CS_YELLOW && in->has_delta30 && in->delta30 <= -r->r[A_IMMEDIATE].drop_points)
		WHY("%sYellow with a %d-point drop in 30 days", n ? "; " : "", -in->delta30);
	if (cancel)
		WHY("%scancellation requested", n ? "; " : "");
	if (cm->executive_escalation)
		WHY("%sexecutive escalation", n ? "; " : "");
	if (n)
		rc = rc ? rc : emit(r, A_IMMEDIATE, in, as_of, why, &ct, cb, ctx);

	n = 0;
	why[0] = '\0';
	if (band == CS_YELLOW)
		WHY("Yellow (%d)", in->score->score);
	if (band == CS_GREEN && declining)
		WHY("Green and declining (%+d in 30 days)", in->delta30);
	if (tickets->present && tickets->value >= r->r[A_WEEKLY_REVIEW].tickets_30d)
		WHY("%s%.0f tickets in 30 days", n ? "; " : "", tickets->value);
	if (n)
		rc = rc ? rc : emit(r, A_WEEKLY_REVIEW, in, as_of, why, &ct, cb, ctx);

	n = 0;
	why[0] = '\0';
	if (band == CS_RED)
		WHY("Red (%d)", in->score->score);
	if (downgrade)
		WHY("%sdowngrade requested", n ? "; " : "");
	if (cancel)
		WHY("%scancellation requested", n ? "; " : "");
	if (usage->present && usage->value < -r->r[A_CHURN_RISK].usage_drop)
		WHY("%susage down %.0f%% against 30 days ago", n ? "; " : "", -100 * usage->value);
	if (n)
		rc = rc ? rc : emit(r, A_CHURN_RISK, in, as_of, why, &ct, cb, ctx);

	if (band == CS_YELLOW && (!contact->present ||
				  contact->value >= r->r[A_CHECK_IN].no_contact_days)) {
		/*
		 * The day of the last contact, not "for N days": the reason
		 * stays true as the list is read on later days, and an
		 * unchanged action is not rewritten every day (the store).
		 */
		if (contact->present) {
			char since[11];

			cs_format_day(as_of - (int32_t)lround(contact->value), since);
			snprintf(why, sizeof(why), "Yellow (%d), no contact since %s",
				 in->score->score, since);
		}
		else
			snprintf(why, sizeof(why), "Yellow (%d), no contact on record",
				 in->score->score);
		rc = rc ? rc : emit(r, A_CHECK_IN, in, as_of, why, &ct, cb, ctx);
	}
#undef WHY
	return rc;
}

/* ---- theme, bug and adoption rules -------------------------------------- */

struct theme_ctx {
	const struct cs_rules *r;
	enum cs_action_kind kind;
	int32_t as_of;
	cs_action_cb cb;
	void *ctx;
	int rc;
};

static bool is_category(const struct cs_theme *t, int cat)
{
	return cs_category_find(t->category) == cat;
}

static int on_theme(void *ctx, const struct cs_theme *t)
{
	struct theme_ctx *tc = ctx;
	const struct cs_rule_cfg *c = &tc->r->r[tc->kind];
	struct cs_action a;
	bool fire = false;

	switch (tc->kind) {
	case A_PRODUCT_GAP:
		fire = is_category(t, CAT_FEATURE) &&
		       (t->tickets >= c->min_tickets || t->arr > c->arr_above);
		break;
	case A_DOCS_GAP:
		fire = (is_category(t, CAT_HOWTO) || is_category(t, CAT_DOCS)) &&
		       t->tickets >= c->min_tickets;
		break;
	case A_BUG:
		fire = is_category(t, CAT_BUG) && t->tickets >= c->min_tickets;
		break;
	case A_THEME:
		fire = t->tickets >= c->min_tickets || t->arr >= c->arr_at_least;
		break;
	default:
		break;
	}
	if (!fire || !c->enabled)
		return 0;
	memset(&a, 0, sizeof(a));
	a.kind = tc->kind;
	snprintf(a.rule_key, sizeof(a.rule_key), "%s:%s/%s", cs_action_names[tc->kind],
		 t->category, t->theme);
	snprintf(a.category, sizeof(a.category), "%s", t->category);
	snprintf(a.theme, sizeof(a.theme), "%s", t->theme);
	a.arr = t->arr;
	snprintf(a.reason, sizeof(a.reason), "%s '%s': %ld ticket%s from %ld customer%s, "
		 "$%.0f ARR in %d days", t->category, t->theme, t->tickets,
		 t->tickets == 1 ? "" : "s", t->customers, t->customers == 1 ? "" : "s",
		 t->arr, c->window_days);
	snprintf(a.owner, sizeof(a.owner), "%.127s", c->owner);
	due(tc->as_of, c->due_hours, a.due_at);
	/* RICE inputs for Product: reach = customers, impact from ARR, confidence from volume. */
	if (tc->kind == A_PRODUCT_GAP)
		snprintf(a.evidence, sizeof(a.evidence), "RICE inputs: reach %ld customers "
			 "(%ld requests); impact: $%.0f combined ARR; confidence: %s (%ld "
			 "tickets in %d days)", t->customers, t->tickets, t->arr,
			 t->tickets >= 10 ? "high" : t->tickets >= c->min_tickets ? "medium" : "low",
			 t->tickets, c->window_days);
	else
		snprintf(a.evidence, sizeof(a.evidence), "%ld tickets, %ld customers, $%.0f "
			 "ARR", t->tickets, t->customers, t->arr);
	tc->rc = tc->cb(tc->ctx, &a);
	return tc->rc;
}

/* Features released long enough ago and used by too few active customers. */
static int adoption_rules(sqlite3 *db, const struct cs_rules *r, int32_t as_of,
			  cs_action_cb cb, void *ctx, struct cs_diag *diag)
{
	/*
	 * A feature's users, as the adoption report counts them (active
	 * customers using it as of the day, CS_USED_AS_OF): all its rows
	 * (counted on the feature index), less the rows not in use on the day
	 * (first used after it, or no uses), less the in-use rows of customers
	 * who are not active (churned, or created after the day: few, found
	 * through the customers they belong to). Joining every usage row to
	 * its customer would cost a lookup per row.
	 */
	static const char sql[] =
		"WITH late AS MATERIALIZED ("
		"  SELECT feature_id, count(*) AS n FROM feature_usage"
		"   WHERE first_used_at > ?1 OR uses = 0 GROUP BY +feature_id),"
		" gone AS MATERIALIZED ("
		"  SELECT u.feature_id, count(*) AS n"
		"    FROM customers c CROSS JOIN feature_usage u ON u.customer_id = c.customer_id"
		"   WHERE (c.status = 'churned' OR c.created_at > ?1) AND " CS_USED_AS_OF("?1")
		"   GROUP BY u.feature_id)"
		"SELECT f.feature_id, f.name, f.released_at,"
		"       (SELECT count(*) FROM feature_usage u WHERE u.feature_id = f.feature_id)"
		"       - coalesce((SELECT n FROM late WHERE late.feature_id = f.feature_id), 0)"
		"       - coalesce((SELECT n FROM gone WHERE gone.feature_id = f.feature_id), 0),"
		"       (SELECT count(*) FROM customers WHERE status <> 'churned'"
		"           AND (created_at IS NULL OR created_at <= ?1))"
		"  FROM features f WHERE f.released_at <= ?2 ORDER BY f.feature_id";
	const struct cs_rule_cfg *c = &r->r[A_ADOPTION_GAP];
	char day[11], released[11];
	sqlite3_stmt *st;
	int rc, ret = 0;

	if (!c->enabled)
		return 0;
	cs_format_day(as_of, day);
	cs_format_day(as_of - c->min_days_released, released);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "evaluating adoption");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, released, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !ret) {
		long users = sqlite3_column_int(st, 3), active = sqlite3_column_int(st, 4);
		double share = active ? (double)users / (double)active : 0;
		struct cs_action a;

		if (!active || share >= c->max_share)
			continue;
		memset(&a, 0, sizeof(a));
		a.kind = A_ADOPTION_GAP;
		snprintf(a.rule_key, sizeof(a.rule_key), "adoption_gap:%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(a.theme, sizeof(a.theme), "%s", (const char *)sqlite3_column_text(st, 1));
		a.arr = NAN;
		snprintf(a.reason, sizeof(a.reason), "'%s' (released %s) is used by %.1f%% of "
			 "active customers (%ld of %ld), under %.0f%%", a.theme,
			 (const char *)sqlite3_column_text(st, 2), 100 * share, users, active,
			 100 * c->max_share);
		snprintf(a.owner, sizeof(a.owner), "%.127s", c->owner);
		due(as_of, c->due_hours, a.due_at);
		snprintf(a.evidence, sizeof(a.evidence), "likely causes to check: documentation "
			 "(how-to tickets about it) -> Thomas; usability (usability tickets) -> "
			 "Dexter; awareness and positioning (no tickets at all) -> Peter");
		ret = cb(ctx, &a);
	}
	sqlite3_finalize(st);
	if (!ret && rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cs_db_error(db, diag, "evaluating adoption");
	return ret;
}

/* One pass over a window's themes serves every rule with that window. */
struct window_ctx {
	struct theme_ctx tc[4];
	int n;
};

static int on_window_theme(void *ctx, const struct cs_theme *t)
{
	struct window_ctx *w = ctx;
	int i, rc;

	for (i = 0; i < w->n; i++)
		if ((rc = on_theme(&w->tc[i], t)))
			return rc;
	return 0;
}

int cs_rules_themes(sqlite3 *db, const struct cs_rules *r, int32_t as_of,
		    cs_action_cb cb, void *ctx, struct cs_diag *diag)
{
	static const enum cs_action_kind kinds[] = { A_PRODUCT_GAP, A_DOCS_GAP, A_BUG, A_THEME };
	bool done[4] = { false };
	size_t i, j;

	for (i = 0; i < 4; i++) {
		struct window_ctx w = { .n = 0 };
		int days = r->r[kinds[i]].window_days;

		if (done[i])
			continue;
		for (j = i; j < 4; j++) {
			if (done[j] || r->r[kinds[j]].window_days != days)
				continue;
			done[j] = true;
			w.tc[w.n++] = (struct theme_ctx){ .r = r, .kind = kinds[j], .as_of = as_of,
							  .cb = cb, .ctx = ctx };
		}
		if (cs_themes(db, as_of - (days > 0 ? days - 1 : 0), as_of, on_window_theme, &w,
			      diag)) {
			for (j = 0; j < (size_t)w.n; j++)
				if (w.tc[j].rc)
					return w.tc[j].rc;
			return -1;
		}
	}
	return adoption_rules(db, r, as_of, cb, ctx, diag);
}

/* ---- themes counted during the scoring pass ------------------------------ */

#define ACC_WINDOWS 4

struct acc_theme {
	char *category, *theme;
	unsigned hash;
	long tickets[ACC_WINDOWS], customers[ACC_WINDOWS], last[ACC_WINDOWS];
	double arr[ACC_WINDOWS];
};

struct cs_theme_acc {
	const struct cs_rules *r;
	int32_t as_of;
	int nwin;
	int days[ACC_WINDOWS];		/* window lengths, as the rules name them */
	char from[ACC_WINDOWS][11];	/* their first days */
	int32_t first;			/* the earliest of them */
	struct acc_theme *t;
	size_t n, cap;			/* entries; cap a power of two */
	size_t *slot;			/* open addressing: index + 1, 0 empty */
	long seq;			/* the current customer's number */
	char last_id[201];
	int failed;
};

static const enum cs_action_kind theme_kinds[4] = { A_PRODUCT_GAP, A_DOCS_GAP, A_BUG, A_THEME };

static int window_days(const struct cs_rules *r, enum cs_action_kind k)
{
	return r->r[k].window_days > 0 ? r->r[k].window_days : 1;
}

struct cs_theme_acc *cs_theme_acc_new(const struct cs_rules *r, int32_t as_of)
{
	struct cs_theme_acc *a = calloc(1, sizeof(*a));
	int i, w;

	if (!a)
		return NULL;
	a->r = r;
	a->as_of = as_of;
	a->first = as_of;
	for (i = 0; i < 4; i++) {
		int days = window_days(r, theme_kinds[i]);

		for (w = 0; w < a->nwin && a->days[w] != days; w++)
			;
		if (w == a->nwin) {
			a->days[a->nwin] = days;
			cs_format_day(as_of - (days - 1), a->from[a->nwin]);
			if (as_of - (days - 1) < a->first)
				a->first = as_of - (days - 1);
			a->nwin++;
		}
	}
	return a;
}

int32_t cs_theme_acc_from(const struct cs_theme_acc *a)
{
	return a->first;
}

static unsigned str_hash(const char *s, unsigned h)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int acc_grow(struct cs_theme_acc *a)
{
	size_t ncap = a->cap ? a->cap * 2 : 64, i;
	size_t *slot = calloc(ncap, sizeof(*slot));
	struct acc_theme *t = realloc(a->t, ncap * sizeof(*t));

	if (!slot || !t) {
		free(slot);
		if (t)
			a->t = t;
		return -1;
	}
	a->t = t;
	for (i = 0; i < a->n; i++) {
		size_t j = t[i].hash & (ncap - 1);

		while (slot[j])
			j = (j + 1) & (ncap - 1);
		slot[j] = i + 1;
	}
	free(a->slot);
	a->slot = slot;
	a->cap = ncap;
	return 0;
}

int cs_theme_acc_add(void *ctx, const struct cs_customer_metrics *cm, const char *created_at,
		     const char *category, const char *theme)
{
	struct cs_theme_acc *a = ctx;
	unsigned h = str_hash(theme, str_hash(category, 2166136261u) * 31u);
	struct acc_theme *e = NULL;
	size_t j;
	int w;

	if (strcmp(a->last_id, cm->customer_id)) {
		snprintf(a->last_id, sizeof(a->last_id), "%s", cm->customer_id);
		a->seq++;
	}
	if (2 * (a->n + 1) > a->cap && acc_grow(a))
		return a->failed = -1;
	for (j = h & (a->cap - 1); a->slot[j]; j = (j + 1) & (a->cap - 1)) {
		struct acc_theme *c = &a->t[a->slot[j] - 1];

		if (c->hash == h && !strcmp(c->category, category) && !strcmp(c->theme, theme)) {
			e = c;
			break;
		}
	}
	if (!e) {
		e = &a->t[a->n];
		memset(e, 0, sizeof(*e));
		e->category = strdup(category);
		e->theme = strdup(theme);
		if (!e->category || !e->theme) {
			free(e->category);
			free(e->theme);
			return a->failed = -1;
		}
		e->hash = h;
		a->slot[j] = ++a->n;
	}
	for (w = 0; w < a->nwin; w++) {
		if (strcmp(created_at, a->from[w]) < 0)
			continue;
		e->tickets[w]++;
		if (e->last[w] != a->seq) {
			/* each customer's ARR once per theme, unknown counting 0 */
			e->last[w] = a->seq;
			e->customers[w]++;
			if (!isnan(cm->arr))
				e->arr[w] += cm->arr;
		}
	}
	return 0;
}

void cs_theme_acc_free(struct cs_theme_acc *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->t[i].category);
		free(a->t[i].theme);
	}
	free(a->t);
	free(a->slot);
	free(a);
}

/* As cs_themes orders them: most ARR first, then most tickets, then by name. */
static int acc_window;

static int acc_cmp(const void *x, const void *y)
{
	const struct acc_theme *a = *(struct acc_theme *const *)x, *b = *(struct acc_theme *const *)y;
	int w = acc_window, c;

	if (a->arr[w] != b->arr[w])
		return a->arr[w] > b->arr[w] ? -1 : 1;
	if (a->tickets[w] != b->tickets[w])
		return a->tickets[w] > b->tickets[w] ? -1 : 1;
	if ((c = strcmp(a->category, b->category)))
		return c;
	return strcmp(a->theme, b->theme);
}

int cs_rules_themes_acc(struct sqlite3 *db, const struct cs_theme_acc *acc, cs_action_cb cb,
			void *ctx, struct cs_diag *diag)
{
	const struct cs_rules *r = acc->r;
	struct acc_theme **list;
	bool done[4] = { false };
	size_t i, j, k, n;
	int w;

	if (acc->failed)
		return cs_error(diag, "out of memory");
	list = malloc((acc->n ? acc->n : 1) * sizeof(*list));
	if (!list)
		return cs_error(diag, "out of memory");
	/* The windows in cs_rules_themes' order, each serving its rules at once. */
	for (i = 0; i < 4; i++) {
		struct window_ctx wc = { .n = 0 };
		int days = r->r[theme_kinds[i]].window_days;

		if (done[i])
			continue;
		for (j = i; j < 4; j++) {
			if (done[j] || r->r[theme_kinds[j]].window_days != days)
				continue;
			done[j] = true;
			wc.tc[wc.n++] = (struct theme_ctx){ .r = r, .kind = theme_kinds[j],
							    .as_of = acc->as_of, .cb = cb,
							    .ctx = ctx };
		}
		for (w = 0; acc->days[w] != window_days(r, theme_kinds[i]); w++)
			;
		for (n = k = 0; k < acc->n; k++)
			if (acc->t[k].tickets[w])
				list[n++] = &acc->t[k];
		acc_window = w;
		qsort(list, n, sizeof(*list), acc_cmp);
		for (k = 0; k < n; k++) {
			struct cs_theme t;
			int rc;

			snprintf(t.category, sizeof(t.category), "%s", list[k]->category);
			snprintf(t.theme, sizeof(t.theme), "%s", list[k]->theme);
			t.tickets = list[k]->tickets[w];
			t.customers = list[k]->customers[w];
			t.arr = list[k]->arr[w];
			if ((rc = on_window_theme(&wc, &t))) {
				free(list);
				return rc;
			}
		}
	}
	free(list);
	return adoption_rules(db, r, acc->as_of, cb, ctx, diag);
}

/* ---- the store ---------------------------------------------------------- */

/*
 * A daily run raises the same actions day after day: most customers'
 * at-risk, check-in or churn-risk action is unchanged since yesterday.
 * Rewriting each of those rows (a million at scale, each carrying its
 * evidence) only to move last_seen was most of a scoring run's writes, so
 * the store keeps the open actions of the rules' kinds in memory (key,
 * row id, a hash of what an upsert would change, and its ARR) and writes
 * only what is new or different. An action raised again keeps the
 * last_seen of the day it was raised new, changed or not: a changed one
 * has its texts rewritten in place, and its ARR only when that moved,
 * since the ARR and last_seen are in indexes (actions_report,
 * actions_open_due, actions_open_seen) and the texts in none, so a
 * score that moved a point rewrites one row and no index entry. The
 * close then clears the open actions last seen before the run day that
 * this run did not raise.
 *
 * A run for a day before the latest scoring run (snapshot_stats) keeps
 * the old way: it first brings last_seen up to that latest day for the
 * open actions of the rules' kinds (every one of them was raised by it)
 * and then upserts each action, so nothing raised later is cleared.
 */
struct open_action {
	int64_t id;		/* -1: not known (see store_put) */
	uint64_t content;	/* content_hash() of the stored row */
	double arr;		/* its ARR, NAN for none: indexed, set only when it moves */
	bool seen;		/* raised by this run, stored as it is now */
};

struct cs_action_store {
	sqlite3 *db;
	struct cs_diag *diag;
	sqlite3_stmt *upsert, *update, *update_texts;
	char day[11];
	long stored;
	int failed;
	bool diff;		/* write only what changed (see above) */
	struct keyset keys;	/* rule key -> 1 + its index in open */
	struct open_action *open;
	size_t nopen, cap;
};

/*
 * What an upsert of an existing action would write, as one fingerprint,
 * with the action's key: two actions of one customer often say the same
 * (at risk and churn risk: the same reason, evidence, ARR and owner), and
 * a new key whose hash is an open action's (keyset.h) must not be taken
 * for that action unchanged.
 */
static uint64_t content_hash(const char *key, const char *reason, const char *evidence,
			     bool has_arr, double arr, const char *owner)
{
	uint64_t h = KEYSET_FOLD_START;

	h = keyset_fold(h, key, strlen(key) + 1);
	h = keyset_fold(h, reason, strlen(reason) + 1);
	h = keyset_fold(h, evidence, strlen(evidence) + 1);
	h = keyset_fold(h, &has_arr, sizeof(has_arr));
	if (has_arr)
		h = keyset_fold(h, &arr, sizeof(arr));
	return keyset_fold(h, owner, strlen(owner) + 1);
}

uint64_t cs_action_content(const struct cs_action *a)
{
	return content_hash(a->rule_key, a->reason, a->evidence, !isnan(a->arr),
			    isnan(a->arr) ? 0 : a->arr, a->owner);
}

/*
 * The open action of a rule key, a new one made for it if none: NULL when
 * out of memory. Keys are told apart by a 64-bit hash (keyset.h); two
 * open actions whose keys share one are both marked unknown (id -1) and
 * go through the upsert, an update by id also checks the key, and the
 * fingerprint compared covers the key (content_hash), so a collision
 * costs a write, never a wrong or a lost row.
 */
static struct open_action *store_put(struct cs_action_store *s, const char *key, int64_t id,
				     uint64_t content, double arr, bool *found)
{
	uint32_t v;

	if (s->nopen == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct open_action *o = cap < UINT32_MAX ? realloc(s->open, cap * sizeof(*o)) : NULL;

		if (!o)
			return NULL;
		s->open = o;
		s->cap = cap;
	}
	v = keyset_put(&s->keys, key, strlen(key), (uint32_t)s->nopen + 1);
	if (v == KEYSET_OOM)
		return NULL;
	*found = v != 0;
	if (*found)
		return &s->open[v - 1];
	s->open[s->nopen] = (struct open_action){ .id = id, .content = content, .arr = arr };
	return &s->open[s->nopen++];
}

/* '["at_risk", ...]': the kinds the rules raise through a store, bound as a parameter. */
static void rule_kinds(char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "[");

	for (int k = 0; k < A_KIND_COUNT && n < size; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s\"%s\"", k ? ", " : "",
				      cs_action_names[k]);
	if (n < size)
		snprintf(buf + n, size - n, "]");
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* Load the open actions of the rules' kinds, for a run that writes only changes. */
static int store_load(struct cs_action_store *s)
{
	static const char sql[] =
		"SELECT action_id, rule_key, reason, evidence, arr, owner FROM actions"
		" WHERE status NOT IN ('resolved','dismissed')"
		"   AND kind IN (SELECT value FROM json_each(?1))";
	char kinds[512];
	sqlite3_stmt *st;
	int rc;

	rule_kinds(kinds, sizeof(kinds));
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(s->db, s->diag, "reading the open actions");
	sqlite3_bind_text(st, 1, kinds, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		bool has_arr = sqlite3_column_type(st, 4) != SQLITE_NULL;
		uint64_t c = content_hash(col(st, 1), col(st, 2), col(st, 3), has_arr,
					  has_arr ? sqlite3_column_double(st, 4) : 0, col(st, 5));

		struct open_action *e;
		bool found;

		if (!(e = store_put(s, col(st, 1), sqlite3_column_int64(st, 0), c,
				    has_arr ? sqlite3_column_double(st, 4) : NAN, &found))) {
			sqlite3_finalize(st);
			return cs_error(s->diag, "out of memory reading the open actions");
		}
		if (found)
			e->id = -1;	/* two keys, one hash: see store_put() */
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(s->db, s->diag, "reading the open actions");
}

/*
 * The latest day scored, when it is after day: a run for an earlier day
 * first brings the unchanged actions' last_seen up to it (see above).
 */
static int store_catch_up(struct cs_action_store *s, bool *earlier)
{
	static const char latest_sql[] = "SELECT max(as_of) FROM snapshot_stats";
	static const char catch_up_sql[] =
		"UPDATE actions SET last_seen = ?1"
		" WHERE status = 'open' AND last_seen < ?1"
		"   AND kind IN (SELECT value FROM json_each(?2))";
	char kinds[512];
	sqlite3_stmt *st, *up;
	int rc;

	*earlier = false;
	if (sqlite3_prepare_v2(s->db, latest_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(s->db, s->diag, "reading the latest run");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL ||
	    strcmp(col(st, 0), s->day) <= 0) {
		sqlite3_finalize(st);
		return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
		       cs_db_error(s->db, s->diag, "reading the latest run");
	}
	*earlier = true;
	rule_kinds(kinds, sizeof(kinds));
	if (sqlite3_prepare_v2(s->db, catch_up_sql, -1, &up, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return cs_db_error(s->db, s->diag, "reading the latest run");
	}
	sqlite3_bind_text(up, 1, col(st, 0), -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(up, 2, kinds, -1, SQLITE_TRANSIENT);
	sqlite3_finalize(st);
	rc = sqlite3_step(up);
	sqlite3_finalize(up);
	return rc == SQLITE_DONE ? 0 : cs_db_error(s->db, s->diag, "reading the latest run");
}

static void store_free(struct cs_action_store *s)
{
	sqlite3_finalize(s->upsert);
	sqlite3_finalize(s->update);
	sqlite3_finalize(s->update_texts);
	keyset_release(&s->keys);
	free(s->open);
	free(s);
}

struct cs_action_store *cs_action_store_open(sqlite3 *db, int32_t as_of, struct cs_diag *diag)
{
	static const char sql[] =
		"INSERT INTO actions (kind, rule_key, customer_id, category, theme, arr, reason,"
		" owner, created_at, last_seen, due_at, evidence)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11)"
		" ON CONFLICT (rule_key) WHERE status NOT IN ('resolved','dismissed')"
		" DO UPDATE SET reason = excluded.reason, evidence = excluded.evidence,"
		"  arr = excluded.arr, owner = excluded.owner,"
		"  last_seen = max(last_seen, excluded.last_seen)"
		/* raised again unchanged the same day: nothing to write */
		" WHERE (reason, evidence, arr, owner) IS NOT"
		"  (excluded.reason, excluded.evidence, excluded.arr, excluded.owner)"
		"  OR last_seen < excluded.last_seen";
	/* an open action raised with a new ARR (and its texts and owner) */
	static const char update[] =
		"UPDATE actions SET reason = ?1, evidence = ?2, arr = ?3, owner = ?4"
		" WHERE action_id = ?5 AND rule_key = ?6";
	/* one raised with new texts or owner, its ARR as stored: no index holds what it sets */
	static const char update_texts[] =
		"UPDATE actions SET reason = ?1, evidence = ?2, owner = ?4"
		" WHERE action_id = ?5 AND rule_key = ?6";
	struct cs_action_store *s = calloc(1, sizeof(*s));
	bool earlier;

	if (!s) {
		cs_error(diag, "out of memory");
		return NULL;
	}
	s->db = db;
	s->diag = diag;
	cs_format_day(as_of, s->day);
	if (sqlite3_prepare_v2(db, sql, -1, &s->upsert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, update, -1, &s->update, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, update_texts, -1, &s->update_texts, NULL) != SQLITE_OK) {
		cs_db_error(db, diag, "storing actions");
		store_free(s);
		return NULL;
	}
	if (store_catch_up(s, &earlier) || (!earlier && store_load(s))) {
		store_free(s);
		return NULL;
	}
	s->diff = !earlier;
	return s;
}

static int store_failed(struct cs_action_store *s, const char *what)
{
	s->failed = 1;
	return cs_db_error(s->db, s->diag, what);
}

int cs_action_store(void *store, const struct cs_action *a)
{
	return cs_action_store_known(store, a, cs_action_content(a));
}

int cs_action_store_known(void *store, const struct cs_action *a, uint64_t content)
{
	struct cs_action_store *s = store;
	sqlite3_stmt *st = s->upsert;
	struct open_action *e = NULL;
	sqlite3_int64 before;
	bool found = false;

	if (s->diff) {
		if (!(e = store_put(s, a->rule_key, -1, content, a->arr, &found))) {
			s->failed = 1;
			return cs_error(s->diag, "out of memory storing actions");
		}
		if (found && e->id >= 0 && e->content == content) {
			e->seen = true;		/* unchanged: nothing to write */
			s->stored++;
			return 0;
		}
		if (found && e->id >= 0) {
			bool same_arr = isnan(e->arr) ? isnan(a->arr) : e->arr == a->arr;

			st = same_arr ? s->update_texts : s->update;
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, a->reason, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, a->evidence, -1, SQLITE_STATIC);
			if (isnan(a->arr))
				sqlite3_bind_null(st, 3);
			else
				sqlite3_bind_double(st, 3, a->arr);
			sqlite3_bind_text(st, 4, a->owner, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 5, e->id);
			sqlite3_bind_text(st, 6, a->rule_key, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				return store_failed(s, "storing an action");
			if (sqlite3_changes(s->db) == 1) {
				e->content = content;
				e->arr = a->arr;
				e->seen = true;
				s->stored++;
				return 0;
			}
			e->id = -1;	/* another key with the same hash: upsert */
		}
		st = s->upsert;
	}
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, cs_action_names[a->kind], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->rule_key, -1, SQLITE_STATIC);
	if (a->customer_id)
		sqlite3_bind_text(st, 3, a->customer_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	if (a->category[0])
		sqlite3_bind_text(st, 4, a->category, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 4);
	if (a->theme[0])
		sqlite3_bind_text(st, 5, a->theme, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 5);
	if (isnan(a->arr))
		sqlite3_bind_null(st, 6);
	else
		sqlite3_bind_double(st, 6, a->arr);
	sqlite3_bind_text(st, 7, a->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, a->owner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, s->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, a->due_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, a->evidence, -1, SQLITE_STATIC);
	before = sqlite3_last_insert_rowid(s->db);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_failed(s, "storing an action");
	/* A new row: a second raise this run compares with what it wrote. */
	if (e && !found && sqlite3_last_insert_rowid(s->db) != before)
		e->id = sqlite3_last_insert_rowid(s->db);
	s->stored++;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The ids this run raised unchanged, sorted; *n of them. NULL: none or no memory. */
static int64_t *seen_ids(const struct cs_action_store *s, size_t *n, bool *nomem)
{
	int64_t *v;
	size_t i;

	*n = 0;
	*nomem = false;
	for (i = 0; i < s->nopen; i++)
		*n += s->open[i].seen && s->open[i].id >= 0;
	if (!*n)
		return NULL;
	if (!(v = malloc(*n * sizeof(*v)))) {
		*nomem = true;
		return NULL;
	}
	*n = 0;
	for (i = 0; i < s->nopen; i++)
		if (s->open[i].seen && s->open[i].id >= 0)
			v[(*n)++] = s->open[i].id;
	qsort(v, *n, sizeof(*v), cmp_id);
	return v;
}

/*
 * Resolve the open actions last seen before the run day that this run did
 * not raise: read their ids first, then resolve them one by one (changing
 * the rows under a running SELECT of the same index is not defined), in
 * id order rather than the index's order of last_seen.
 */
static int store_clear(struct cs_action_store *s)
{
	static const char stale[] =
		/* only the candidates, not every open action (migration 9) */
		"SELECT action_id FROM actions INDEXED BY actions_open_seen"
		" WHERE status = 'open' AND last_seen < ?1";
	static const char resolve[] =
		"UPDATE actions SET status = 'resolved', resolved_at = ?1,"
		" outcome = 'cleared: the rule no longer fires' WHERE action_id = ?2";
	int64_t *seen, *gone = NULL;
	size_t nseen, ngone = 0, cap = 0, i;
	sqlite3_stmt *st = NULL;
	bool nomem;
	int rc;

	seen = seen_ids(s, &nseen, &nomem);
	if (nomem)
		return cs_error(s->diag, "out of memory clearing actions");
	if (sqlite3_prepare_v2(s->db, stale, -1, &st, NULL) != SQLITE_OK)
		goto db_error;
	sqlite3_bind_text(st, 1, s->day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (nseen && bsearch(&id, seen, nseen, sizeof(*seen), cmp_id))
			continue;
		if (ngone == cap) {
			int64_t *g = realloc(gone, (cap = cap ? cap * 2 : 256) * sizeof(*g));

			if (!g) {
				sqlite3_finalize(st);
				free(seen);
				free(gone);
				return cs_error(s->diag, "out of memory clearing actions");
			}
			gone = g;
		}
		gone[ngone++] = id;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE ||
	    sqlite3_prepare_v2(s->db, resolve, -1, &st, NULL) != SQLITE_OK)
		goto db_error;
	/* in row order: the table's pages are then read and written once each */
	if (ngone)	/* qsort() takes no NULL, even for none */
		qsort(gone, ngone, sizeof(*gone), cmp_id);
	sqlite3_bind_text(st, 1, s->day, -1, SQLITE_STATIC);
	for (i = 0; i < ngone; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 2, gone[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto db_error;
	}
	sqlite3_finalize(st);
	free(seen);
	free(gone);
	return 0;
db_error:
	cs_db_error(s->db, s->diag, "clearing actions");
	sqlite3_finalize(st);
	free(seen);
	free(gone);
	return -1;
}

void cs_action_store_discard(struct cs_action_store *s)
{
	if (s)
		store_free(s);
}

long cs_action_store_close(struct cs_action_store *s)
{
	long n;

	if (!s)
		return -1;
	/* Open actions no run raises any more are done; acted-on ones stay. */
	if (!s->failed && store_clear(s))
		s->failed = 1;
	n = s->failed ? -1 : s->stored;
	store_free(s);
	return n;
}
