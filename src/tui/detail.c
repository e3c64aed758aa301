/*
 * detail.c — one customer: the record, the score with every measure of
 * its breakdown (and what changed since the previous snapshot), a history
 * sparkline, recent tickets, NPS and CSAT answers and outreach.
 *
 * The data is read once at open (all through core functions); the text
 * is laid out for the screen's width on the first draw and again when the
 * width changes, then scrolled.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/actions.h"
#include "casey/escalate.h"
#include "casey/lists.h"
#include "casey/outreach.h"
#include "casey/plans.h"
#include "casey/renewals.h"
#include "casey/reviews.h"
#include "casey/tiers.h"
#include "casey/value.h"
#include "casey/report.h"
#include "casey/signals.h"
#include "casey/snapshot.h"
#include "editor.h"
#include "tui.h"
#include "wrap.h"

#define HISTORY_MAX 52		/* a year of weekly snapshots */
#define TICKETS_MAX 8
#define FEEDBACK_MAX 8
#define OUTREACH_MAX 6
#define TICKET_WINDOW_DAYS 90
#define REVIEWS_MAX 5

struct detail {
	struct cs_customer_info info;
	struct cs_snapshot snap, prev;
	bool found, prev_found;
	struct cs_history_point hist[HISTORY_MAX];
	int nhist;
	struct cs_ticket_line tickets[TICKETS_MAX];
	int ntickets;
	long tickets_window;
	struct cs_feedback_line fb[FEEDBACK_MAX];
	int nfb;
	struct cs_outreach_line out[OUTREACH_MAX];
	int nout;
	char as_of[11];
	struct lines lines;
	int built_w;
	struct cs_report_env *env;	/* loaded on first use: drafts, escalations */
	char draft[512];		/* the last draft's file */
	const struct cs_tiers *tiers;
	struct cs_renewals *renewals;	/* NULL when renewals.ini would not load */
	struct cs_renewal_row renewal;	/* the coming renewal, its risk and next step */
	bool has_renewal;
	/* churn risk (signals.h): computed at open; known false when it cannot be */
	bool churn_known;
	struct cs_churn churn;
	char churn_step[CS_SIGNALS_TEXT];
	struct cs_plan_summary *plans;	/* the open success plans */
	int nplans;
	bool proposed;			/* a recovery plan is proposed (plans.h) */
	struct cs_review_summary *reviews;	/* the latest business reviews */
	int nreviews;
	struct cs_review_due due;
	struct cs_plans_def *def;	/* plans.ini: review types; NULL if it would not load */
	struct cs_review_input rq;	/* a review being logged, question by question */
	char rq_text[5][CS_REVIEW_TEXT_MAX + 1];
	bool behaviour_known;
	enum cs_behaviour behaviour;
	struct cs_behaviour_inputs beh_in;
	char behaviour_action[CS_SIGNALS_TEXT];
};

/* The churn risk; a broken assets/signals.ini leaves it out (and says why). */
static void load_signals(struct view *v, const char *id)
{
	struct detail *d = v->priv;
	struct cs_signals_config *c = malloc(sizeof(*c));
	struct cs_churn_factors f;
	bool found;

	d->churn_known = false;
	if (!c || cs_signals_config_load(NULL, c, &v->tui->diag)) {
		free(c);
		return;
	}
	if (!cs_churn_get(v->tui->db, c, id, v->tui->as_of, &f, &d->churn, &found,
			  &v->tui->diag) && found) {
		d->churn_known = true;
		snprintf(d->churn_step, sizeof(d->churn_step), "%s", d->churn.step);
		d->churn.step = d->churn_step;
	}
	if (!cs_behaviour_get(v->tui->db, c, id, v->tui->as_of, &d->beh_in, &d->behaviour, &found,
			      &v->tui->diag) && found) {
		d->behaviour_known = true;
		snprintf(d->behaviour_action, sizeof(d->behaviour_action), "%s",
			 c->action[d->behaviour]);
	}
	free(c);
}

/* The latest reviews and when the next is due (again, after one is logged). */
static int read_reviews(struct view *v)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;

	free(d->reviews);
	d->reviews = NULL;
	d->nreviews = 0;
	memset(&d->due, 0, sizeof(d->due));
	if (d->tiers && cs_review_due(t->db, d->tiers, d->info.customer_id, t->as_of, &d->due,
				      &t->diag))
		return -1;
	return cs_reviews_list(t->db, d->info.customer_id, REVIEWS_MAX, &d->reviews,
			       &d->nreviews, &t->diag);
}

/* The open plans and the recovery proposal (again, after the plan screen). */
static int read_plans(struct view *v)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	long n;

	free(d->plans);
	d->plans = NULL;
	d->nplans = 0;
	n = cs_plans_proposed(t->db, t->profile, t->as_of, d->info.customer_id, NULL, NULL,
			      &t->diag);
	d->proposed = n > 0;
	return n < 0 || cs_plans_list(t->db, d->info.customer_id, false, t->as_of, &d->plans,
				      &d->nplans, &t->diag) ? -1 : 0;
}

static int detail_open(struct view *v, const char *id)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	bool found;

	lines_init(&d->lines);
	d->tiers = t->tiers;
	snprintf(d->as_of, sizeof(d->as_of), "%s", t->as_of_text);
	if (cs_customer_get(t->db, id, &d->info, &found, &t->diag))
		return -1;
	if (!found) {
		tui_message(t, ROLE_ERROR, "no customer with that id");
		return -1;
	}
	if (cs_snapshot_get(t->db, t->profile, id, t->as_of, &d->snap, &d->found, &d->prev,
			    &d->prev_found, &t->diag) ||
	    (d->nhist = cs_score_history(t->db, t->profile, id, t->as_of, d->hist, HISTORY_MAX,
					 &t->diag)) < 0 ||
	    (d->ntickets = cs_recent_tickets(t->db, id, t->as_of, TICKET_WINDOW_DAYS, d->tickets,
					     TICKETS_MAX, &d->tickets_window, &t->diag)) < 0 ||
	    (d->nfb = cs_recent_feedback(t->db, id, t->as_of, d->fb, FEEDBACK_MAX,
					 &t->diag)) < 0 ||
	    (d->nout = cs_recent_outreach(t->db, id, t->as_of, d->out, OUTREACH_MAX,
					  &t->diag)) < 0 ||
	    read_plans(v))
		return -1;
	load_signals(v, id);
	{
		struct cs_diag quiet = { 0 };

		d->def = malloc(sizeof(*d->def));
		if (d->def && cs_plans_def_load(NULL, d->def, &quiet)) {
			free(d->def);
			d->def = NULL;
		}
	}
	if (read_reviews(v))
		return -1;
	{
		struct cs_diag quiet = { 0 };

		d->renewals = malloc(sizeof(*d->renewals));
		if (d->renewals && cs_renewals_load(NULL, d->renewals, &quiet)) {
			free(d->renewals);
			d->renewals = NULL;
		}
		if (d->renewals &&
		    cs_renewal_get(t->db, d->renewals, t->profile, t->as_of, id, &d->renewal,
				   &d->has_renewal, &t->diag))
			return -1;
	}
	snprintf(v->title, sizeof(v->title), "%s", d->info.name);
	return 0;
}

static void detail_close(struct view *v)
{
	struct detail *d = v->priv;

	lines_release(&d->lines);
	cs_report_env_free(d->env);
	free(d->plans);
	free(d->reviews);
	free(d->def);
	free(d->renewals);
}

/* Back from the plan screen: the plans may have changed. */
static void detail_resume(struct view *v)
{
	struct detail *d = v->priv;

	read_plans(v);
	read_reviews(v);
	d->built_w = 0;
}

/* "a · b · c" of the non-empty parts. */
static void join(char *buf, size_t size, const char *const *parts, int n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (!parts[i] || !parts[i][0])
			continue;
		len += (size_t)snprintf(buf + len, size > len ? size - len : 0, "%s%s",
					len ? glyph->dot : "", parts[i]);
		if (len >= size)
			break;
	}
}

/* The tier, why it is that one, and what the tier is promised. */
static void add_tier(struct detail *d)
{
	const struct cs_customer_info *c = &d->info;
	const struct cs_tiers *tiers = d->tiers;
	int t = cs_tier_find(tiers, c->segment);
	bool named = t >= 0;
	char sla[16], ratio[16];

	if (!named)
		t = cs_tier_of_arr(tiers, c->arr_known, c->arr);
	if (t < 0) {
		span_add(&d->lines, ROLE_MUTED, 0, false,
			 "No tier: the ARR is unknown and the segment names none");
		return;
	}
	cs_tier_sla(&tiers->t[t], sla, sizeof(sla));
	cs_tier_ratio(&tiers->t[t], ratio, sizeof(ratio));
	span_addf(&d->lines, ROLE_NORMAL, 0, false, "%s tier", tiers->t[t].name);
	span_addf(&d->lines, ROLE_MUTED, 0, false, " (%s)", named ? "named" : "by ARR");
	span_addf(&d->lines, ROLE_NORMAL, 0, false, "%sresponse %s", glyph->dot, sla);
	if (tiers->t[t].review_days)
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "%sreview every %d days", glyph->dot,
			  tiers->t[t].review_days);
	else
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "%sno reviews", glyph->dot);
	span_addf(&d->lines, ROLE_NORMAL, 0, false, "%sCSM %s", glyph->dot, ratio);
}

static void add_record(struct detail *d)
{
	const struct cs_customer_info *c = &d->info;
	char arr[40], money[32], seats[32] = "", plan[80] = "", csm[140] = "", line[512];
	char renew[32] = "", since[40] = "", contact[48] = "", status[24];

	span_add(&d->lines, ROLE_HEADING, 0, false, c->name);
	span_addf(&d->lines, ROLE_MUTED, 0, false, "  %s", c->customer_id);
	lines_add(&d->lines);
	fmt_money(money, sizeof(money), c->arr, c->arr_known);
	snprintf(arr, sizeof(arr), "ARR %s", money);
	if (c->seats_known)
		snprintf(seats, sizeof(seats), "%ld seats", c->seats);
	if (c->plan[0])
		snprintf(plan, sizeof(plan), "%s plan", c->plan);
	if (c->csm[0])
		snprintf(csm, sizeof(csm), "CSM %s", c->csm);
	{
		const char *parts[] = { c->segment, plan, arr, seats, csm };

		join(line, sizeof(line), parts, 5);
		span_add(&d->lines, ROLE_NORMAL, 0, false, line);
	}
	lines_add(&d->lines);
	add_tier(d);
	lines_add(&d->lines);
	if (c->renewal_date[0])
		snprintf(renew, sizeof(renew), "renews %s", c->renewal_date);
	if (c->created_at[0])
		snprintf(since, sizeof(since), "customer since %s", c->created_at);
	if (c->last_contact_at[0])
		snprintf(contact, sizeof(contact), "last contact %s", c->last_contact_at);
	{
		const char *parts[] = { renew, status, since, contact };
		char *u;

		snprintf(status, sizeof(status), "%s", c->status);
		while ((u = strchr(status, '_')))
			*u = ' ';

		join(line, sizeof(line), parts, 4);
		span_add(&d->lines, ROLE_NORMAL, 0, false, line);
	}
	if (c->executive_escalation)
		span_addf(&d->lines, ROLE_RED, 0, false, "%sexecutive escalation", glyph->dot);
}

static void add_health(struct detail *d, int w)
{
	const struct cs_snapshot *s = &d->snap;
	int lo = 100, hi = 0, i, first;

	lines_add(&d->lines);
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Health  ");
	if (!d->found) {
		span_add(&d->lines, ROLE_MUTED, 0, false, "not scored yet; run: casey score");
		return;
	}
	span_addf(&d->lines, band_role(s->band), 0, false, "%d %s", s->score, s->band);
	span_add(&d->lines, ROLE_NORMAL, 0, false, "   ");
	if (s->has_delta30)
		span_addf(&d->lines, trend_role(s->trend), 0, false, "%s %+d in 30 days (%s)",
			  trend_arrow(s->trend), s->delta30, s->trend);
	else
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "%s %s (no score 30 days before)",
			  trend_arrow(s->trend), s->trend);
	if (s->drop20)
		span_add(&d->lines, ROLE_RED, 0, false, "  fell 20+");
	span_addf(&d->lines, ROLE_NORMAL, 0, false, "   coverage %.0f%%", s->coverage);
	lines_add(&d->lines);
	span_addf(&d->lines, ROLE_MUTED, 0, false, "        snapshot %s%sprofile %s v%s", s->as_of,
		  glyph->dot, s->profile, s->version);
	if (d->prev_found)
		span_addf(&d->lines, ROLE_MUTED, 0, false, "%sbefore: %d on %s", glyph->dot,
			  d->prev.score, d->prev.as_of);
	lines_add(&d->lines);

	/* The sparkline: the latest points that fit, scaled to their own range. */
	span_add(&d->lines, ROLE_HEADING, 0, false, "History ");
	first = d->nhist - (w - 50 > 4 ? w - 50 : 4);
	if (first < 0)
		first = 0;
	for (i = first; i < d->nhist; i++) {
		lo = d->hist[i].score < lo ? d->hist[i].score : lo;
		hi = d->hist[i].score > hi ? d->hist[i].score : hi;
	}
	for (i = first; i < d->nhist; i++) {
		int level = hi > lo ? (d->hist[i].score - lo) * 7 / (hi - lo) : 3;

		span_add(&d->lines, band_role(d->hist[i].band), 0, false, glyph->spark[level]);
	}
	if (d->nhist)
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "  %d..%d over %d snapshot%s since %s",
			  lo, hi, d->nhist - first, d->nhist - first == 1 ? "" : "s",
			  d->hist[first].as_of);
}

static void add_indented(void *ctx, const char *text)
{
	struct detail *d = ctx;

	lines_add(&d->lines);
	span_addf(&d->lines, ROLE_MUTED, 0, false, "        %s", text);
}

/* Churn risk beside health: the figure, its segment, the factors, the step. */
static void add_signals(struct detail *d, int w)
{
	char why[256];

	if (!d->churn_known)
		return;
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Churn   ");
	span_addf(&d->lines, churn_role(d->churn.segment), 0, false, "%d %s",
		  d->churn.score, cs_churn_segment_names[d->churn.segment]);
	cs_churn_reasons(&d->churn, why, sizeof(why));
	span_addf(&d->lines, ROLE_NORMAL, 0, false, "   %s", why[0] ? why : "no factor");
	if (wrap_text(d->churn.step, w - 10 > 20 ? w - 10 : 20, add_indented, d) < 0)
		d->lines.oom = true;
	if (!d->behaviour_known)
		return;
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Segment ");
	span_add(&d->lines, d->behaviour == CS_BEH_DETRACTOR ? ROLE_RED :
		 d->behaviour == CS_BEH_AT_RISK ? ROLE_YELLOW :
		 d->behaviour == CS_BEH_CHAMPION ? ROLE_GREEN : ROLE_NORMAL, 0, false,
		 cs_behaviour_labels[d->behaviour]);
	if (d->beh_in.nps_known)
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "   NPS %d on %s: ", d->beh_in.nps,
			  d->beh_in.nps_date);
	else
		span_add(&d->lines, ROLE_NORMAL, 0, false, "   no recent NPS: ");
	span_add(&d->lines, ROLE_NORMAL, 0, false, d->behaviour_action);
}

/* One line per open plan, and the proposed recovery plan of a Red customer. */
static void add_plans(struct detail *d)
{
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Plans   ");
	if (!d->nplans && !d->proposed)
		span_add(&d->lines, ROLE_MUTED, 0, false, "none open (P: the success plans)");
	for (int i = 0; i < d->nplans; i++) {
		const struct cs_plan_summary *p = &d->plans[i];

		if (i) {
			lines_add(&d->lines);
			span_add(&d->lines, ROLE_NORMAL, 8, false, "");
		}
		span_add(&d->lines, ROLE_NORMAL, 0, false, p->title);
		span_addf(&d->lines, ROLE_MUTED, 0, false, "%s%s%s%d/%d done", glyph->dot,
			  cs_plan_status_name(p->status), glyph->dot, p->done, p->nms);
		if (p->overdue)
			span_addf(&d->lines, ROLE_RED, 0, false, "%s%d overdue", glyph->dot,
				  p->overdue);
		else if (p->next_due[0])
			span_addf(&d->lines, ROLE_MUTED, 0, false, "%snext %s", glyph->dot,
				  p->next_due);
	}
	if (d->proposed) {
		if (d->nplans) {
			lines_add(&d->lines);
			span_add(&d->lines, ROLE_NORMAL, 8, false, "");
		}
		span_add(&d->lines, ROLE_RED, 0, false,
			 "recovery plan proposed (Red): P, then Enter accepts");
	}
}

static const char *review_label(const struct detail *d, const char *type)
{
	int k = d->def ? cs_review_type_find(d->def, type) : -1;

	return k >= 0 ? d->def->reviews[k].label : type;
}

/* The last review and when the next is due, from the tier's cadence. */
static void add_review_due(struct detail *d)
{
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Reviews ");
	if (d->nreviews)
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "last %s %s", d->reviews[0].type,
			  d->reviews[0].date);
	else
		span_add(&d->lines, ROLE_MUTED, 0, false, "none logged (V logs one)");
	if (!d->tiers) {
		span_addf(&d->lines, ROLE_MUTED, 0, false, "%stiers.ini would not load",
			  glyph->dot);
	} else if (!d->due.cadence) {
		span_addf(&d->lines, ROLE_MUTED, 0, false, "%sno cadence%s%s", glyph->dot,
			  d->due.tier[0] ? " for " : "", d->due.tier);
	} else if (d->due.next[0]) {
		span_addf(&d->lines, d->due.overdue ? ROLE_RED : ROLE_NORMAL, 0, false,
			  "%snext due %s%s", glyph->dot, d->due.next,
			  d->due.overdue ? ", overdue" : "");
		span_addf(&d->lines, ROLE_MUTED, 0, false, " (every %d days)", d->due.cadence);
	}
}

/* The coming renewal (renewals.h): when, its risk, the first step not done. */
static void add_renewal(struct detail *d)
{
	const struct cs_renewal_row *r = &d->renewal;
	const struct cs_renewal_step *s;

	if (!strcmp(d->info.status, "churned"))
		return;
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Renewal ");
	if (!d->renewals) {
		span_add(&d->lines, ROLE_MUTED, 0, false, "renewals.ini would not load");
		return;
	}
	if (!d->has_renewal) {
		span_add(&d->lines, ROLE_MUTED, 0, false, "no renewal date ahead");
		return;
	}
	span_addf(&d->lines, ROLE_NORMAL, 0, false, "%s in %d day%s", r->renewal_date, r->days,
		  r->days == 1 ? "" : "s");
	span_addf(&d->lines, r->risk == CS_RISK_HIGH ? ROLE_RED :
		  r->risk == CS_RISK_MEDIUM ? ROLE_YELLOW : ROLE_NORMAL, 0, false,
		  "%srisk %s", glyph->dot, cs_renewal_risk_names[r->risk]);
	if (r->step < 0) {
		span_addf(&d->lines, ROLE_MUTED, 0, false, "%severy step done", glyph->dot);
		return;
	}
	s = &d->renewals->steps[r->step];
	/* a late step with how many more are late, else since when it is due */
	if (r->step_due && r->ndue > 1)
		span_addf(&d->lines, ROLE_RED, 0, false, "%s%s due (+%d more) %s", glyph->dot,
			  s->label, r->ndue - 1, s->title);
	else if (r->step_due)
		span_addf(&d->lines, ROLE_RED, 0, false, "%s%s due since %s %s", glyph->dot,
			  s->label, r->step_date, s->title);
	else
		span_addf(&d->lines, ROLE_NORMAL, 0, false, "%snext %s on %s %s", glyph->dot,
			  s->label, r->step_date, s->title);
}

static void add_reviews(struct detail *d)
{
	lines_add(&d->lines);
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Business reviews");
	if (!d->nreviews) {
		lines_add(&d->lines);
		span_add(&d->lines, ROLE_MUTED, 0, false, " none (V logs one)");
	}
	for (int i = 0; i < d->nreviews; i++) {
		const struct cs_review_summary *r = &d->reviews[i];

		lines_add(&d->lines);
		span_addf(&d->lines, ROLE_NORMAL, 12, false, " %s", r->date);
		span_add(&d->lines, ROLE_NORMAL, 33, false, review_label(d, r->type));
		if (r->rating)
			span_addf(&d->lines, r->rating >= 4 ? ROLE_GREEN : r->rating <= 2 ?
				  ROLE_RED : ROLE_YELLOW, 5, false, "%d/5", r->rating);
		else
			span_add(&d->lines, ROLE_MUTED, 5, false, "-");
		span_add(&d->lines, ROLE_NORMAL, 0, false, r->attendees);
	}
}

static void fmt_raw(char *buf, size_t size, double raw, bool present)
{
	if (!present)
		snprintf(buf, size, "missing");
	else if (raw == floor(raw) && fabs(raw) < 1e9)
		snprintf(buf, size, "%.0f", raw);
	else
		snprintf(buf, size, "%.2f", raw);
}

static double prev_contribution(const struct detail *d, const char *comp, const char *name,
				bool *found)
{
	*found = false;
	if (!d->prev_found)
		return 0;
	for (int i = 0; i < d->prev.nmeasures; i++) {
		if (!strcmp(d->prev.measures[i].comp, comp) &&
		    !strcmp(d->prev.measures[i].name, name)) {
			*found = true;
			return d->prev.measures[i].contribution;
		}
	}
	return 0;
}

static double prev_component(const struct detail *d, const char *comp, bool *found)
{
	*found = false;
	if (!d->prev_found)
		return 0;
	for (int i = 0; i < d->prev.ncomps; i++) {
		if (!strcmp(d->prev.comps[i].name, comp)) {
			*found = true;
			return d->prev.comps[i].excluded ? 0 :
			       d->prev.comps[i].points * d->prev.comps[i].weight;
		}
	}
	return 0;
}

/* One row of the breakdown: name, raw, points, weight, adds, change. */
static void breakdown_row(struct detail *d, int name_w, enum role role, const char *name,
			  const char *raw, const char *points, const char *weight,
			  const char *adds, const char *change)
{
	lines_add(&d->lines);
	span_add(&d->lines, role, name_w, false, name);
	span_add(&d->lines, role, 10, true, raw);
	span_add(&d->lines, role, 8, true, points);
	span_add(&d->lines, role, 8, true, weight);
	span_add(&d->lines, role, 8, true, adds);
	span_add(&d->lines, role, 8, true, change);
}

static void fmt_change(char *buf, size_t size, double now, double before, bool found)
{
	if (!found || fabs(now - before) < 0.05)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%+.1f", now - before);
}

static void add_breakdown(struct detail *d, int w)
{
	const struct cs_snapshot *s = &d->snap;
	int name_w = w - 44 > 30 ? 30 : w - 44 < 14 ? 14 : w - 44;
	char name[80], raw[32], points[16], weight[16], adds[16], change[16];
	bool found;

	if (!d->found)
		return;
	lines_add(&d->lines);
	breakdown_row(d, name_w, ROLE_HEADER, "Score breakdown", "raw", "points", "weight",
		      "adds", d->prev_found ? "change" : "");
	for (int c = 0; c < s->ncomps; c++) {
		double now = s->comps[c].excluded ? 0 : s->comps[c].points * s->comps[c].weight;
		double before = prev_component(d, s->comps[c].name, &found);

		snprintf(name, sizeof(name), " %s", s->comps[c].name);
		if (s->comps[c].excluded) {
			breakdown_row(d, name_w, ROLE_HEADING, name, "", "excluded", "-", "-", "");
			continue;
		}
		snprintf(points, sizeof(points), "%.1f", s->comps[c].points);
		snprintf(weight, sizeof(weight), "%.2f", s->comps[c].weight);
		snprintf(adds, sizeof(adds), "%.1f", now);
		fmt_change(change, sizeof(change), now, before, found);
		breakdown_row(d, name_w, ROLE_HEADING, name, "", points, weight, adds, change);
		for (int m = 0; m < s->nmeasures; m++) {
			if (strcmp(s->measures[m].comp, s->comps[c].name))
				continue;
			snprintf(name, sizeof(name), "   %s", s->measures[m].name);
			fmt_raw(raw, sizeof(raw), s->measures[m].raw, s->measures[m].present);
			if (s->measures[m].excluded)
				snprintf(points, sizeof(points), "excluded");
			else
				snprintf(points, sizeof(points), "%.0f", s->measures[m].points);
			snprintf(weight, sizeof(weight), "%.2f", s->measures[m].weight);
			snprintf(adds, sizeof(adds), "%.1f", s->measures[m].contribution);
			before = prev_contribution(d, s->measures[m].comp, s->measures[m].name,
						   &found);
			fmt_change(change, sizeof(change), s->measures[m].contribution, before,
				   found);
			breakdown_row(d, name_w, ROLE_NORMAL, name, raw, points, weight, adds,
				      change);
		}
	}
}

static void add_tickets(struct detail *d)
{
	lines_add(&d->lines);
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Recent tickets");
	span_addf(&d->lines, ROLE_MUTED, 0, false, "%s%ld in the %d days to %s", glyph->dot,
		  d->tickets_window, TICKET_WINDOW_DAYS, d->as_of);
	if (!d->ntickets) {
		lines_add(&d->lines);
		span_add(&d->lines, ROLE_MUTED, 0, false, " none");
	}
	for (int i = 0; i < d->ntickets; i++) {
		const struct cs_ticket_line *tk = &d->tickets[i];

		lines_add(&d->lines);
		span_addf(&d->lines, ROLE_NORMAL, 12, false, " %s", tk->created_at);
		span_add(&d->lines, ROLE_MUTED, 9, false, tk->ticket_id);
		span_add(&d->lines, ROLE_NORMAL, 18, false,
			 tk->category[0] ? tk->category : "uncategorised");
		span_add(&d->lines, ROLE_NORMAL, 9, false, tk->status);
		span_add(&d->lines, ROLE_NORMAL, 0, false, tk->subject);
	}
}

static void add_feedback(struct detail *d)
{
	char score[16];

	lines_add(&d->lines);
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "NPS and CSAT");
	if (!d->nfb) {
		lines_add(&d->lines);
		span_add(&d->lines, ROLE_MUTED, 0, false, " none");
	}
	for (int i = 0; i < d->nfb; i++) {
		const struct cs_feedback_line *f = &d->fb[i];
		enum role role = ROLE_NORMAL;

		if (f->nps) {
			snprintf(score, sizeof(score), "NPS %d", f->score);
			role = f->score >= 9 ? ROLE_GREEN : f->score <= 6 ? ROLE_RED : ROLE_YELLOW;
		} else if (f->good >= 0) {
			snprintf(score, sizeof(score), "CSAT %s", f->good ? "Good" : "Bad");
			role = f->good ? ROLE_GREEN : ROLE_RED;
		} else {
			snprintf(score, sizeof(score), "CSAT %d", f->score);
			role = f->score >= 4 ? ROLE_GREEN : f->score <= 2 ? ROLE_RED : ROLE_YELLOW;
		}
		lines_add(&d->lines);
		span_addf(&d->lines, ROLE_NORMAL, 12, false, " %s", f->date);
		span_add(&d->lines, role, 10, false, score);
		if (f->context[0])
			span_addf(&d->lines, ROLE_MUTED, 0, false, "%s  ", f->context);
		span_add(&d->lines, ROLE_NORMAL, 0, false, f->comment);
	}
}

static void add_outreach(struct detail *d)
{
	lines_add(&d->lines);
	lines_add(&d->lines);
	span_add(&d->lines, ROLE_HEADING, 0, false, "Outreach");
	if (!d->nout) {
		lines_add(&d->lines);
		span_add(&d->lines, ROLE_MUTED, 0, false, " none");
	}
	for (int i = 0; i < d->nout; i++) {
		const struct cs_outreach_line *o = &d->out[i];

		lines_add(&d->lines);
		span_addf(&d->lines, ROLE_NORMAL, 12, false, " %s", o->date);
		span_add(&d->lines, ROLE_NORMAL, 8, false, o->channel);
		span_add(&d->lines, o->responded == 1 ? ROLE_GREEN : ROLE_NORMAL, 10, false,
			 o->responded == 1 ? "answered" : o->responded == 0 ? "no reply" : "");
		span_add(&d->lines, ROLE_NORMAL, 0, false, o->note);
	}
}

static void build(struct detail *d, int w)
{
	int top = d->lines.top;

	lines_release(&d->lines);
	add_record(d);
	add_health(d, w);
	add_signals(d, w);
	add_plans(d);
	add_review_due(d);
	add_renewal(d);
	add_breakdown(d, w);
	add_tickets(d);
	add_feedback(d);
	add_outreach(d);
	add_reviews(d);
	d->lines.top = top;
	d->built_w = w;
}

static void detail_draw(struct view *v, struct rect b)
{
	struct detail *d = v->priv;

	if (d->built_w != b.w)
		build(d, b.w);
	if (d->lines.oom)
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	lines_draw(&d->lines, (struct rect){ b.y, b.x + 1, b.h, b.w - 1 });
}

/* The wording and profile drafts and escalations need, read once. */
static struct cs_report_env *env_of(struct view *v)
{
	struct detail *d = v->priv;

	if (!d->env)
		d->env = cs_report_env_load(v->tui->profile, &v->tui->diag);
	return d->env;
}

static void log_contact(struct view *v, const char *channel, const char *note)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	struct cs_contact c = { .customer_id = d->info.customer_id, .date = t->as_of,
				.channel = channel, .responded = -1, .note = note };
	long resolved = 0;
	int n;

	if (cs_contact_log(t->db, &c, &resolved, &t->diag))
		return;
	tui_changed(v);
	/* This screen shows the outreach too: read it again and rebuild. */
	if ((n = cs_recent_outreach(t->db, d->info.customer_id, t->as_of, d->out,
				    OUTREACH_MAX, &t->diag)) >= 0)
		d->nout = n;
	d->built_w = 0;
	if (resolved)
		tui_message(t, ROLE_STATUS, "contact logged (%s); check-in action %ld resolved",
			    channel, resolved);
	else
		tui_message(t, ROLE_STATUS, "contact logged (%s)", channel);
}

static void contact_answered(struct view *v, const char *channel)
{
	if (*channel)
		log_contact(v, channel, NULL);
}

static void checkin_answered(struct view *v, const char *channel)
{
	if (*channel)
		log_contact(v, channel, "check-in (drafted in casey)");
}

static unsigned draft_checkin(struct view *v)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	struct cs_report_env *env = env_of(v);
	char *text, hint[64];

	if (!env)
		return R_HANDLED | R_REDRAW;
	text = cs_draft_text(t->db, env, CS_DRAFT_CHECKIN, d->info.customer_id, t->as_of,
			     &t->diag);
	if (!text)
		return R_HANDLED | R_REDRAW;
	/* ids are free text: keep the file name to safe characters */
	snprintf(hint, sizeof(hint), "checkin-");
	for (const char *c = d->info.customer_id; *c && strlen(hint) < sizeof(hint) - 1; c++) {
		size_t n = strlen(hint);

		hint[n] = (isalnum((unsigned char)*c) || *c == '-' || *c == '_') ? *c : '_';
		hint[n + 1] = '\0';
	}
	if (!tui_edit_text(t, hint, text, d->draft, sizeof(d->draft)))
		tui_prompt(t, v, "sent? log the contact by channel (email, call; empty: not now)",
			   "email", checkin_answered);
	free(text);
	return R_HANDLED | R_REDRAW;
}

/* The customer's most urgent escalation: at risk, churn risk or immediate. */
struct pick {
	long id;
};

static int pick_escalation(void *ctx, const struct cs_action_row *r)
{
	struct pick *p = ctx;

	if (!strcmp(r->kind, "at_risk") || !strcmp(r->kind, "churn_risk") ||
	    !strcmp(r->kind, "immediate")) {
		p->id = r->id;
		return 1;
	}
	return 0;
}

static unsigned escalate(struct view *v)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	struct cs_action_query q = { .as_of = t->as_of, .customer_id = d->info.customer_id };
	struct cs_report_env *env;
	struct pick p = { 0 };
	char *text = NULL, hint[32];

	if (cs_actions_list(t->db, &q, pick_escalation, &p, &t->diag) < 0)
		return R_HANDLED | R_REDRAW;
	if (!p.id) {
		tui_message(t, ROLE_STATUS, "no open at-risk, churn-risk or 24-hour action for "
			    "this customer");
		return R_HANDLED | R_REDRAW;
	}
	env = env_of(v);
	if (!env || cs_escalation_prepare(t->db, env, p.id, t->as_of, false, &text, &t->diag))
		return R_HANDLED | R_REDRAW;
	tui_changed(v);
	snprintf(hint, sizeof(hint), "escalation-%ld", p.id);
	if (!tui_edit_text(t, hint, text, d->draft, sizeof(d->draft)))
		tui_message(t, ROLE_STATUS, "action %ld is a draft; the document is in %s "
			    "(casey escalate %ld --send hands it over)", p.id, d->draft, p.id);
	free(text);
	return R_HANDLED | R_REDRAW;
}

/* ---- logging a business review: type, date, five texts, rating ---- */

static const char *const review_questions[] = {
	"Attendees: ", "Achievements: ", "Challenges: ", "Decisions: ", "Action items: ",
};

static void review_rating_chosen(struct view *v, int choice)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	int64_t id;
	long resolved;

	d->rq.customer_id = d->info.customer_id;
	d->rq.attendees = d->rq_text[0];
	d->rq.achievements = d->rq_text[1];
	d->rq.challenges = d->rq_text[2];
	d->rq.decisions = d->rq_text[3];
	d->rq.action_items = d->rq_text[4];
	d->rq.rating = choice < 5 ? choice + 1 : 0;	/* the last choice: none */
	if (!d->def || !d->tiers) {
		tui_message(t, ROLE_ERROR, "plans.ini or tiers.ini would not load: not logged");
		return;
	}
	if (cs_review_log(t->db, d->def, d->tiers, &d->rq, t->as_of, &id, &resolved, &t->diag))
		return;
	tui_changed(v);
	read_reviews(v);
	d->built_w = 0;
	if (resolved)
		tui_message(t, ROLE_STATUS, "review %lld logged; overdue-review action %ld resolved",
			    (long long)id, resolved);
	else
		tui_message(t, ROLE_STATUS, "review %lld logged", (long long)id);
}

static void review_text_done(struct view *v, const char *text);

/* The next text question, or the rating after the last. */
static void review_next(struct view *v, int i)
{
	static const char *const ratings[] = { "1", "2", "3", "4", "5", "no rating" };
	struct detail *d = v->priv;

	if (i == 5) {
		tui_choose(v->tui, v, "Rating (1 poor .. 5 excellent): ", ratings, 6, 5,
			   review_rating_chosen);
		return;
	}
	d->rq.rating = i;	/* which question is open, until the rating */
	tui_prompt(v->tui, v, review_questions[i], NULL, review_text_done)->max =
		i ? CS_REVIEW_TEXT_MAX : CS_REVIEW_ATTENDEES_MAX;
}

static void review_text_done(struct view *v, const char *text)
{
	struct detail *d = v->priv;
	int i = d->rq.rating;

	if (cs_plan_text(text, false, i ? CS_REVIEW_TEXT_MAX : CS_REVIEW_ATTENDEES_MAX,
			 d->rq_text[i], review_questions[i], &v->tui->diag))
		return;
	review_next(v, i + 1);
}

static void review_date_done(struct view *v, const char *text)
{
	struct detail *d = v->priv;
	struct tui *t = v->tui;
	char buf[16];

	if (cs_plan_text(text, false, sizeof(buf) - 1, buf, "the date", &t->diag) ||
	    cs_parse_day(buf, &d->rq.date)) {
		tui_message(t, ROLE_ERROR, "'%s' is not a date (YYYY-MM-DD); nothing logged", text);
		return;
	}
	if (d->rq.date > t->as_of) {
		tui_message(t, ROLE_ERROR, "%s is after the as-of date %s; nothing logged", buf,
			    t->as_of_text);
		return;
	}
	review_next(v, 0);
}

static void review_type_chosen(struct view *v, int choice)
{
	struct detail *d = v->priv;

	d->rq.type = d->def->reviews[choice].key;
	tui_prompt(v->tui, v, "Held on (YYYY-MM-DD): ", v->tui->as_of_text,
		   review_date_done)->max = 10;
}

static unsigned log_review(struct view *v)
{
	struct detail *d = v->priv;
	const char *choices[PROMPT_CHOICES_MAX];
	int n = 0;

	if (!d->def || !d->tiers) {
		tui_message(v->tui, ROLE_ERROR, "plans.ini or tiers.ini would not load");
		return R_HANDLED | R_REDRAW;
	}
	memset(&d->rq, 0, sizeof(d->rq));
	memset(d->rq_text, 0, sizeof(d->rq_text));
	for (; n < d->def->nreviews && n < PROMPT_CHOICES_MAX; n++)
		choices[n] = d->def->reviews[n].label;
	tui_choose(v->tui, v, "Business review: ", choices, n, 0, review_type_chosen);
	return R_HANDLED | R_REDRAW;
}

static unsigned detail_handle(struct view *v, enum action a)
{
	struct detail *d = v->priv;

	if (lines_scroll(&d->lines, a, v->body.h))
		return R_HANDLED | R_REDRAW;
	switch (a) {
	case ACT_DRAFT_CHECKIN:
		return draft_checkin(v);
	case ACT_LOG_CONTACT:
		tui_prompt(v->tui, v, "log a contact: channel (email, call, meeting)", "call",
			   contact_answered);
		return R_HANDLED | R_REDRAW;
	case ACT_ESCALATE:
		return escalate(v);
	case ACT_PLANS:
		return R_HANDLED | tui_push(v->tui, &view_plans, d->info.customer_id);
	case ACT_LOG_REVIEW:
		return log_review(v);
	default:
		return 0;
	}
}

const struct view_ops view_detail = {
	.name = "Customer",
	.priv_size = sizeof(struct detail),
	.open = detail_open,
	.draw = detail_draw,
	.handle = detail_handle,
	.close = detail_close,
	.resume = detail_resume,
};
