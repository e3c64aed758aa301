/*
 * insights.c — the satisfaction, adoption and onboarding screens: what
 * `casey nps`, `csat`, `adoption` and `onboarding` print, laid out for
 * the terminal (casey/analytics.h computes every figure; thresholds and
 * windows come from assets/analytics.ini).
 *
 *   NPS/CSAT    NPS of the survey window with promoters, passives and
 *               detractors; the monthly trend as a sparkline over its
 *               figures, the quarters; detractor reason themes, each with
 *               an anonymised quote; CSAT mean and % satisfied; the
 *               contexts, features and months flagged low, with n;
 *               satisfaction by feature use (correlation, not causation).
 *   Adoption    per feature: % of active customers, by health band,
 *               median days to first use, status; the gaps, with their
 *               tickets, likely cause and owner.
 *   Onboarding  time to first value, activation rate, tickets in the
 *               first days, and where customers without first value stall
 *               (counts per furthest milestone).
 *
 * Each screen reads its report once at open (R reads again) and lays its
 * text out for the width on the first draw and when the width changes;
 * the moving keys scroll it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/analytics.h"
#include "casey/value.h"
#include "tui.h"
#include "wrap.h"

#define CORRELATION_NOTE "correlation, not causation"

struct insight {
	struct cs_analytics_config *cfg;
	struct cs_nps_report *nps;
	struct cs_csat_report *csat;
	struct cs_adoption_report *adoption;
	struct cs_onboarding_report *onboarding;
	void (*build)(struct insight *in, struct lines *l, int w);
	struct lines lines;
	int built_w;
};

static double pct(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* Read the configuration; returns a zeroed report of size bytes, or NULL (reported). */
static void *insight_begin(struct view *v, size_t size)
{
	struct insight *in = v->priv;
	void *report;

	lines_init(&in->lines);
	if (!(in->cfg = malloc(sizeof(*in->cfg)))) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return NULL;
	}
	if (cs_analytics_config_load(NULL, in->cfg, &v->tui->diag))
		return NULL;
	if (!(report = calloc(1, size)))
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	return report;
}

static void insight_close(struct view *v)
{
	struct insight *in = v->priv;

	/* Freeing a zeroed report, or one whose reading failed (and freed it), is harmless. */
	if (in->nps)
		cs_nps_report_free(in->nps);
	if (in->csat)
		cs_csat_report_free(in->csat);
	if (in->adoption)
		cs_adoption_report_free(in->adoption);
	free(in->nps);
	free(in->csat);
	free(in->adoption);
	free(in->onboarding);
	free(in->cfg);
	lines_release(&in->lines);
	memset(in, 0, sizeof(*in));
}

static void insight_draw(struct view *v, struct rect b)
{
	struct insight *in = v->priv;
	struct rect r = { b.y, b.x + 1, b.h, b.w - 2 };

	if (in->built_w != r.w) {
		int top = in->lines.top;

		lines_release(&in->lines);
		in->build(in, &in->lines, r.w);
		in->lines.top = top;
		in->built_w = r.w;
	}
	if (in->lines.oom)
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	lines_draw(&in->lines, r);
}

static unsigned insight_handle(struct view *v, enum action a)
{
	struct insight *in = v->priv;

	if (lines_scroll(&in->lines, a, v->body.h))
		return R_HANDLED | R_REDRAW;
	return 0;
}

/* A heading line, after a blank one unless it is the first. */
static void heading(struct lines *l, const char *text)
{
	if (l->n)
		lines_add(l);
	lines_add(l);
	span_add(l, ROLE_HEADING, 0, false, text);
}

/* Wrapped text under an indent. */
struct para {
	struct lines *l;
	int indent;
	enum role role;
};

static void para_line(void *ctx, const char *text)
{
	struct para *p = ctx;

	lines_add(p->l);
	span_add(p->l, ROLE_NORMAL, p->indent, false, "");
	span_add(p->l, p->role, 0, false, text);
}

static void para(struct lines *l, int w, int indent, enum role role, const char *text)
{
	struct para p = { l, indent, role };

	if (wrap_text(text, w - indent, para_line, &p) < 0)
		l->oom = true;
}

/* ------------------------------------------------------------------ */
/* NPS and CSAT                                                         */

static enum role nps_role(const struct cs_nps *n)
{
	if (!n->responses)
		return ROLE_MUTED;
	return n->score >= 30 ? ROLE_GREEN : n->score < 0 ? ROLE_RED : ROLE_YELLOW;
}

static void fmt_nps(char *buf, size_t size, const struct cs_nps *n)
{
	if (n->responses)
		snprintf(buf, size, "%+.0f", n->score);
	else
		snprintf(buf, size, "-");
}

/* "Nov" of "2026-11". */
static const char *month_name(const char *label)
{
	static const char *const names[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int m = atoi(label + 5);

	return strlen(label) >= 7 && m >= 1 && m <= 12 ? names[m - 1] : label;
}

#define CELL 5		/* a month of the trend */

static void build_trend(const struct cs_nps_report *r, struct lines *l, int w)
{
	int cells = (w - 4) / CELL, first = r->nmonths - cells, i;
	double lo = 101, hi = -101;
	char buf[32];

	if (first < 0)
		first = 0;
	if (!r->nmonths)
		return;
	snprintf(buf, sizeof(buf), "Monthly NPS, %s to %s", r->months[first].label,
		 r->months[r->nmonths - 1].label);
	heading(l, buf);
	for (i = first; i < r->nmonths; i++) {
		if (!r->months[i].nps.responses)
			continue;
		lo = r->months[i].nps.score < lo ? r->months[i].nps.score : lo;
		hi = r->months[i].nps.score > hi ? r->months[i].nps.score : hi;
	}
	lines_add(l);
	span_add(l, ROLE_MUTED, 4, false, "");
	for (i = first; i < r->nmonths; i++)
		span_add(l, ROLE_MUTED, CELL, true, month_name(r->months[i].label));
	/* The sparkline, scaled to the months' own range (the figures are below it). */
	lines_add(l);
	span_add(l, ROLE_MUTED, 4, false, "");
	for (i = first; i < r->nmonths; i++) {
		const struct cs_nps *n = &r->months[i].nps;
		int level = hi > lo ? (int)((n->score - lo) * 7 / (hi - lo) + 0.5) : 4;

		span_add(l, nps_role(n), CELL, true, n->responses ? glyph->spark[level] : " ");
	}
	lines_add(l);
	span_add(l, ROLE_NORMAL, 4, false, " NPS");
	for (i = first; i < r->nmonths; i++) {
		fmt_nps(buf, sizeof(buf), &r->months[i].nps);
		span_add(l, nps_role(&r->months[i].nps), CELL, true, buf);
	}
	lines_add(l);
	span_add(l, ROLE_MUTED, 4, false, " n");
	for (i = first; i < r->nmonths; i++)
		span_addf(l, ROLE_MUTED, CELL, true, "%ld", r->months[i].nps.responses);
	lines_add(l);
	span_add(l, ROLE_NORMAL, 0, false, " Quarters");
	for (i = 0; i < r->nquarters; i++) {
		fmt_nps(buf, sizeof(buf), &r->quarters[i].nps);
		span_addf(l, ROLE_MUTED, 0, false, "%s%s ", i ? glyph->dot : "  ",
			  r->quarters[i].label);
		span_add(l, nps_role(&r->quarters[i].nps), 0, false, buf);
	}
}

static void build_reasons(const struct cs_nps_report *r, struct lines *l, int w)
{
	char buf[256];

	snprintf(buf, sizeof(buf), "Detractor reasons: %ld of %ld detractors commented "
		 "(quotes anonymised)", r->commented, r->commented + r->uncommented);
	heading(l, buf);
	if (!r->nreasons) {
		lines_add(l);
		span_add(l, ROLE_MUTED, 0, false, "   none");
	}
	for (int k = 0; k < r->nreasons; k++) {
		const struct cs_reason *re = &r->reasons[k];
		int dw = 18, lw = w - 7 - dw > 10 ? w - 7 - dw : 10;

		lines_add(l);
		span_addf(l, ROLE_NORMAL, 6, true, "%ld", re->count);
		span_add(l, ROLE_NORMAL, 1, false, "");
		span_add(l, ROLE_HEADING, lw, false, re->label);
		if (w >= 7 + 10 + dw)
			span_addf(l, ROLE_MUTED, dw, true, "latest %s", re->quote_date);
		snprintf(buf, sizeof(buf), "\"%s\"", re->quote ? re->quote : "");
		para(l, w, 7, ROLE_NORMAL, buf);
	}
	if (r->other) {
		lines_add(l);
		span_addf(l, ROLE_NORMAL, 6, true, "%ld", r->other);
		span_add(l, ROLE_MUTED, 0, false, " other comments");
	}
}

/* The groups of a breakdown flagged low, under what ("context"). */
static int build_flagged(const struct cs_csat_breakdown *b, const char *what, struct lines *l,
			 int w)
{
	int shown = 0, kw = w - 40 > 12 ? (w - 40 < 30 ? w - 40 : 30) : 12;

	for (int k = 0; k < b->n; k++) {
		const struct cs_csat_group *g = &b->groups[k];

		if (!g->flagged)
			continue;
		lines_add(l);
		span_addf(l, ROLE_MUTED, 11, false, "   %s", what);
		span_add(l, ROLE_NORMAL, kw, false, g->key);
		span_addf(l, ROLE_NORMAL, 7, true, "n %ld", g->csat.responses);
		span_addf(l, ROLE_RED, 9, true, "%.1f%%", g->csat.satisfied_pct);
		span_addf(l, ROLE_RED, 11, true, "%+.1f pts", -g->below);
		shown++;
	}
	return shown;
}

static void build_csat(const struct cs_csat_report *r, const struct cs_analytics_config *cfg,
		       struct lines *l, int w)
{
	const struct cs_csat *c = &r->window;
	char buf[256];
	int flagged = 0;

	heading(l, "CSAT");
	lines_add(l);
	if (!c->responses) {
		span_addf(l, ROLE_MUTED, 0, false, "   no answers from %s to %s", r->from, r->to);
		return;
	}
	if (c->scored)
		span_addf(l, ROLE_HEADING, 0, false, "   %.2f", c->average);
	span_addf(l, ROLE_NORMAL, 0, false, " average of %ld answers (1-5)%s", c->scored,
		  glyph->dot);
	span_addf(l, c->satisfied_pct >= 80 ? ROLE_GREEN : c->satisfied_pct < 60 ? ROLE_RED :
		  ROLE_YELLOW, 0, false, "%.1f%% satisfied", c->satisfied_pct);
	span_addf(l, ROLE_NORMAL, 0, false, " (%ld of %ld)", c->satisfied, c->responses);
	snprintf(buf, sizeof(buf), "Low satisfaction: %g+ points below the rate, %d+ answers",
		 cfg->csat_flag_points, cfg->csat_min_n);
	heading(l, buf);
	flagged += build_flagged(&r->by_context, "context", l, w);
	flagged += build_flagged(&r->by_feature, "feature", l, w);
	flagged += build_flagged(&r->by_month, "month", l, w);
	if (!flagged) {
		lines_add(l);
		span_add(l, ROLE_MUTED, 0, false, "   none flagged");
	}
}

/* One feature's NPS or CSAT split: "+39 (148)" or "61.7% (543)". */
static void split_cell(char *buf, size_t size, bool csat, const struct cs_nps *n,
		       const struct cs_csat *c)
{
	if (csat && c->responses)
		snprintf(buf, size, "%.1f%% (%ld)", c->satisfied_pct, c->responses);
	else if (!csat && n->responses)
		snprintf(buf, size, "%+.0f (%ld)", n->score, n->responses);
	else
		snprintf(buf, size, "- (0)");
}

/* The by-feature-use table: NPS (what 0), CSAT (1) or both (2). */
static void build_usage_table(const struct insight *in, struct lines *l, int w, int what)
{
	const struct cs_nps_report *n = in->nps;
	const struct cs_csat_report *c = in->csat;
	int fixed = what == 2 ? 10 + 10 + 6 + 12 + 12 + 7 : what ? 12 + 12 + 7 : 10 + 10 + 6;
	int nw = w - 1 - fixed, count = n->nfeatures > c->nfeatures ? n->nfeatures : c->nfeatures;
	char buf[48];

	if (nw > 24)
		nw = 24;
	if (nw < 8)
		nw = 8;
	lines_add(l);
	span_add(l, ROLE_HEADER, 1, false, "");
	span_add(l, ROLE_HEADER, nw, false, "Feature");
	if (what != 1) {
		span_add(l, ROLE_HEADER, 10, true, "NPS users");
		span_add(l, ROLE_HEADER, 10, true, "others");
		span_add(l, ROLE_HEADER, 6, true, "diff");
	}
	if (what) {
		span_add(l, ROLE_HEADER, 12, true, "CSAT users");
		span_add(l, ROLE_HEADER, 12, true, "others");
		span_add(l, ROLE_HEADER, 7, true, "diff");
	}
	for (int k = 0; k < count; k++) {
		const struct cs_feature_split *fn = k < n->nfeatures ? &n->features[k] : NULL;
		const struct cs_feature_split *fc = k < c->nfeatures ? &c->features[k] : NULL;
		const struct cs_feature_split *f = fn ? fn : fc;

		/* The two reports list the same features in the same order; trust but check. */
		if (fn && fc && strcmp(fn->feature_id, fc->feature_id))
			fc = NULL;
		lines_add(l);
		span_add(l, ROLE_NORMAL, 1, false, "");
		span_add(l, ROLE_NORMAL, nw, false, f->name);
		if (what != 1) {
			if (fn) {
				split_cell(buf, sizeof(buf), false, &fn->nps_users, NULL);
				span_add(l, ROLE_NORMAL, 10, true, buf);
				split_cell(buf, sizeof(buf), false, &fn->nps_others, NULL);
				span_add(l, ROLE_NORMAL, 10, true, buf);
				if (fn->nps_comparable)
					span_addf(l, fn->nps_diff < 0 ? ROLE_RED : ROLE_NORMAL, 6,
						  true, "%+.0f", fn->nps_diff);
				else
					span_add(l, ROLE_MUTED, 6, true, "-");
			} else {
				span_add(l, ROLE_MUTED, 26, true, "-");
			}
		}
		if (what) {
			if (fc) {
				split_cell(buf, sizeof(buf), true, NULL, &fc->csat_users);
				span_add(l, ROLE_NORMAL, 12, true, buf);
				split_cell(buf, sizeof(buf), true, NULL, &fc->csat_others);
				span_add(l, ROLE_NORMAL, 12, true, buf);
				if (fc->csat_comparable)
					span_addf(l, fc->csat_diff < 0 ? ROLE_RED : ROLE_NORMAL, 7,
						  true, "%+.1f", fc->csat_diff);
				else
					span_add(l, ROLE_MUTED, 7, true, "-");
			} else {
				span_add(l, ROLE_MUTED, 31, true, "-");
			}
		}
	}
}

static void build_usage(const struct insight *in, struct lines *l, int w)
{
	char buf[320];

	snprintf(buf, sizeof(buf), "Satisfaction by feature use (%s)", CORRELATION_NOTE);
	heading(l, buf);
	if (w >= 1 + 14 + 10 + 10 + 6 + 12 + 12 + 7) {
		build_usage_table(in, l, w, 2);
	} else {
		build_usage_table(in, l, w, 0);
		lines_add(l);
		build_usage_table(in, l, w, 1);
	}
	lines_add(l);
	snprintf(buf, sizeof(buf), "users: customers using the feature; diff: users minus "
		 "others, NPS points or %%-points satisfied; - where a side has fewer than %d "
		 "answers. Users differ from non-users in many ways: %s.",
		 in->cfg->usage_min_n, CORRELATION_NOTE);
	para(l, w, 3, ROLE_MUTED, buf);
}

static void build_satisfaction(struct insight *in, struct lines *l, int w)
{
	const struct cs_nps_report *r = in->nps;
	const struct cs_nps *n = &r->window;

	lines_add(l);
	span_add(l, ROLE_HEADING, 0, false, "NPS ");
	if (!n->responses) {
		span_addf(l, ROLE_MUTED, 0, false, " no answers from %s to %s", r->from, r->to);
	} else {
		span_addf(l, nps_role(n), 0, false, "%+.0f", n->score);
		span_addf(l, ROLE_NORMAL, 0, false, "  %ld answers, %s to %s", n->responses,
			  r->from, r->to);
		/* On one line when it fits, else one each. */
		bool one = w >= 72;

		lines_add(l);
		span_addf(l, ROLE_GREEN, 0, false, one ? "   promoters %ld (%.1f%%)" :
			  "   promoters  %4ld (%.1f%%)", n->promoters,
			  pct(n->promoters, n->responses));
		if (!one)
			lines_add(l);
		span_addf(l, ROLE_NORMAL, 0, false, one ? "%spassives %ld (%.1f%%)" :
			  "%spassives   %4ld (%.1f%%)", one ? glyph->dot : "   ", n->passives,
			  pct(n->passives, n->responses));
		if (!one)
			lines_add(l);
		span_addf(l, ROLE_RED, 0, false, one ? "%sdetractors %ld (%.1f%%)" :
			  "%sdetractors %4ld (%.1f%%)", one ? glyph->dot : "   ", n->detractors,
			  pct(n->detractors, n->responses));
	}
	build_trend(r, l, w);
	build_reasons(r, l, w);
	build_csat(in->csat, in->cfg, l, w);
	build_usage(in, l, w);
}

static int satisfaction_open(struct view *v, const char *arg)
{
	struct insight *in = v->priv;
	struct tui *t = v->tui;

	(void)arg;
	in->build = build_satisfaction;
	if (!(in->nps = insight_begin(v, sizeof(*in->nps))))
		return -1;
	if (!(in->csat = calloc(1, sizeof(*in->csat)))) {
		tui_message(t, ROLE_ERROR, "out of memory");
		return -1;
	}
	if (cs_satisfaction_report(t->db, t->as_of, in->cfg, t->cancel, in->nps, in->csat,
				   &t->diag))
		return -1;
	return 0;
}

const struct view_ops view_satisfaction = {
	.name = "NPS and CSAT",
	.priv_size = sizeof(struct insight),
	.open = satisfaction_open,
	.draw = insight_draw,
	.handle = insight_handle,
	.close = insight_close,
};

/* ------------------------------------------------------------------ */
/* Adoption                                                             */

static const char *status_text(enum cs_adoption_status s)
{
	static const char *const t[] = { "new", "GAP", "below target", "on target", "undated" };

	return (unsigned)s < sizeof(t) / sizeof(t[0]) ? t[s] : "?";
}

static enum role status_role(enum cs_adoption_status s)
{
	return s == CS_ADOPT_GAP ? ROLE_RED : s == CS_ADOPT_BELOW_TARGET ? ROLE_YELLOW :
	       s == CS_ADOPT_ON_TARGET ? ROLE_GREEN : ROLE_MUTED;
}

static void band_cell(struct lines *l, const struct cs_adoption_report *r,
		      const struct cs_adoption_feature *f, int b, enum role role)
{
	if (r->band_active[b])
		span_addf(l, role, 7, true, "%.1f%%", pct(f->band_users[b], r->band_active[b]));
	else
		span_add(l, ROLE_MUTED, 7, true, "-");
}

static void build_adoption(struct insight *in, struct lines *l, int w)
{
	const struct cs_adoption_report *r = in->adoption;
	const struct cs_analytics_config *cfg = in->cfg;
	bool bands = r->banded && w >= 20 + 5 + 6 + 8 + 3 * 7 + 7 + 10;
	int nw = w - (5 + 6 + 8 + (bands ? 21 : 0) + 7 + 14);
	char day[11], buf[512];

	if (nw > 24)
		nw = 24;
	if (nw < 10)
		nw = 10;
	cs_format_day(r->as_of, day);
	lines_add(l);
	span_addf(l, ROLE_HEADING, 0, false, "%ld active customers", r->active);
	if (r->banded)
		span_addf(l, ROLE_NORMAL, 0, false, "%s%ld green, %ld yellow, %ld red",
			  glyph->dot, r->band_active[CS_ADOPT_GREEN],
			  r->band_active[CS_ADOPT_YELLOW], r->band_active[CS_ADOPT_RED]);
	if (r->banded && r->band_active[CS_ADOPT_UNSCORED])
		span_addf(l, ROLE_NORMAL, 0, false, ", %ld unscored",
			  r->band_active[CS_ADOPT_UNSCORED]);
	lines_add(l);
	if (r->banded)
		span_addf(l, ROLE_MUTED, 0, false, "bands of the '%s' scores of %s", r->profile,
			  r->snapshot_date);
	else
		span_addf(l, ROLE_MUTED, 0, false, "no '%s' scores on or before %s: no bands "
			  "(run casey score)", r->profile, day);
	lines_add(l);
	span_addf(l, ROLE_MUTED, 0, false, "GAP: released %d+ days ago, used by under %g%%; "
		  "target %g%%", cfg->adoption_min_days, cfg->adoption_low_pct,
		  cfg->adoption_target_pct);
	lines_add(l);
	lines_add(l);
	span_add(l, ROLE_HEADER, nw, false, "Feature");
	span_add(l, ROLE_HEADER, 5, true, "Days");
	span_add(l, ROLE_HEADER, 6, true, "Users");
	span_add(l, ROLE_HEADER, 8, true, "Adopted");
	if (bands) {
		span_add(l, ROLE_HEADER, 7, true, "Green");
		span_add(l, ROLE_HEADER, 7, true, "Yellow");
		span_add(l, ROLE_HEADER, 7, true, "Red");
	}
	span_add(l, ROLE_HEADER, 7, true, "Median");
	span_add(l, ROLE_HEADER, 2, false, "");
	span_add(l, ROLE_HEADER, 12, false, "Status");
	for (int k = 0; k < r->nfeatures; k++) {
		const struct cs_adoption_feature *f = &r->features[k];
		bool gap = f->status == CS_ADOPT_GAP;
		enum role role = gap ? ROLE_RED : ROLE_NORMAL;

		lines_add(l);
		span_add(l, role, nw, false, f->name);
		if (f->released_at[0])
			span_addf(l, role, 5, true, "%d", f->days_since_release);
		else
			span_add(l, ROLE_MUTED, 5, true, "?");
		span_addf(l, role, 6, true, "%ld", f->users);
		if (r->active)
			span_addf(l, role, 8, true, "%.1f%%", f->pct);
		else
			span_add(l, ROLE_MUTED, 8, true, "-");
		if (bands) {
			band_cell(l, r, f, CS_ADOPT_GREEN, role);
			band_cell(l, r, f, CS_ADOPT_YELLOW, role);
			band_cell(l, r, f, CS_ADOPT_RED, role);
		}
		if (f->first_use_n)
			span_addf(l, role, 7, true, "%.0f", f->median_days);
		else
			span_add(l, ROLE_MUTED, 7, true, "-");
		span_add(l, ROLE_NORMAL, 2, false, "");
		span_addf(l, status_role(f->status), 0, false, "%s%s", status_text(f->status),
			  f->recent ? " (recent)" : "");
	}
	lines_add(l);
	para(l, w, 0, ROLE_MUTED, "Days: since release. Median: days to first use, from the "
	     "release or the customer's start, whichever is later. Adopted and bands: % of "
	     "active customers.");
	snprintf(buf, sizeof(buf), "Adoption gaps: %ld", r->gaps);
	heading(l, buf);
	if (!r->gaps) {
		lines_add(l);
		span_add(l, ROLE_MUTED, 0, false, "   none");
	}
	for (int k = 0; k < r->nfeatures; k++) {
		const struct cs_adoption_feature *f = &r->features[k];

		if (f->status != CS_ADOPT_GAP)
			continue;
		lines_add(l);
		span_addf(l, ROLE_RED, 0, false, "   %s", f->name);
		span_addf(l, ROLE_NORMAL, 0, false, ": %.1f%% of active customers after %d days",
			  f->pct, f->days_since_release);
		snprintf(buf, sizeof(buf), "tickets about it in %d days: %ld how-to or docs, %ld "
			 "usability, %ld other", cfg->adoption_ticket_days, f->tickets_docs,
			 f->tickets_usability, f->tickets_other);
		para(l, w, 5, ROLE_NORMAL, buf);
		lines_add(l);
		span_add(l, ROLE_NORMAL, 5, false, "");
		span_add(l, ROLE_NORMAL, 0, false, "likely cause ");
		span_add(l, ROLE_HEADING, 0, false, f->cause ? f->cause : "?");
		span_add(l, ROLE_NORMAL, 0, false, glyph->dot);
		span_add(l, ROLE_NORMAL, 0, false, "owner ");
		span_add(l, ROLE_HEADING, 0, false, f->owner ? f->owner : "?");
	}
}

static int adoption_open(struct view *v, const char *arg)
{
	struct insight *in = v->priv;
	struct tui *t = v->tui;

	(void)arg;
	in->build = build_adoption;
	if (!(in->adoption = insight_begin(v, sizeof(*in->adoption))))
		return -1;
	return cs_adoption_report(t->db, t->as_of, in->cfg, t->cancel, in->adoption, &t->diag);
}

const struct view_ops view_adoption = {
	.name = "Adoption",
	.priv_size = sizeof(struct insight),
	.open = adoption_open,
	.draw = insight_draw,
	.handle = insight_handle,
	.close = insight_close,
};

/* ------------------------------------------------------------------ */
/* Onboarding                                                           */

/* A label in the first column, then the rest of the line. */
static void field(struct lines *l, const char *label)
{
	lines_add(l);
	span_add(l, ROLE_HEADING, 22, false, label);
}

static void stall_row(struct lines *l, int nw, const char *name, const char *reached,
		      long stalled, long in_progress, bool most, int bar_w, long max)
{
	char bar[256];
	size_t n = 0;
	int cells = max ? (int)((double)stalled * bar_w / (double)max + 0.5) : 0;

	lines_add(l);
	span_add(l, ROLE_NORMAL, 3, false, "");
	span_add(l, most ? ROLE_RED : ROLE_NORMAL, nw, false, name);
	span_add(l, ROLE_NORMAL, 8, true, reached);
	span_addf(l, most ? ROLE_RED : ROLE_NORMAL, 8, true, "%ld", stalled);
	span_addf(l, ROLE_NORMAL, 12, true, "%ld", in_progress);
	if (bar_w > 0) {
		bar[0] = '\0';
		for (int i = 0; i < cells && n + 4 < sizeof(bar); i++)
			n += (size_t)snprintf(bar + n, sizeof(bar) - n, "%s", glyph->bar[8]);
		span_add(l, ROLE_NORMAL, 2, false, "");
		span_add(l, most ? ROLE_RED : ROLE_MUTED, 0, false, bar);
	}
	if (most)
		span_add(l, ROLE_RED, 0, false, bar_w > 0 ? " most stall here" : " most");
}

static void build_onboarding(struct insight *in, struct lines *l, int w)
{
	const struct cs_onboarding_report *r = in->onboarding;
	char day[11], buf[64];
	long max = r->stalled_none;
	int nw = 19, bar_w;

	cs_format_day(r->as_of, day);
	lines_add(l);
	span_addf(l, ROLE_HEADING, 0, false, "%ld new customers", r->cohort);
	span_addf(l, ROLE_NORMAL, 0, false, ", created %s to %s", r->from, r->to);
	lines_add(l);

	field(l, " Time to first value");
	if (r->ttfv_n) {
		span_addf(l, ROLE_NORMAL, 0, false, "median %.1f days, mean %.1f", r->ttfv_median,
			  r->ttfv_mean);
		lines_add(l);
		span_add(l, ROLE_NORMAL, 22, false, "");
		span_addf(l, ROLE_MUTED, 0, false, "%ld reached '%s'", r->reached, r->first_value);
	} else {
		span_addf(l, ROLE_MUTED, 0, false, "nobody has reached '%s' yet", r->first_value);
	}
	field(l, " Activation rate");
	if (r->eligible) {
		span_addf(l, r->activation_pct < 50 ? ROLE_RED : ROLE_GREEN, 0, false, "%.1f%%",
			  r->activation_pct);
		span_addf(l, ROLE_NORMAL, 0, false, ": %ld of %ld within %d days", r->activated,
			  r->eligible, r->activation_days);
		lines_add(l);
		span_add(l, ROLE_NORMAL, 22, false, "");
		span_addf(l, ROLE_MUTED, 0, false, "of customers created %d+ days ago",
			  r->activation_days);
	} else {
		span_addf(l, ROLE_MUTED, 0, false, "no customer created %d+ days ago",
			  r->activation_days);
	}
	if (r->young) {
		lines_add(l);
		span_add(l, ROLE_NORMAL, 22, false, "");
		span_addf(l, ROLE_MUTED, 0, false, "%ld newer: %ld there already", r->young,
			  r->young_activated);
	}
	snprintf(buf, sizeof(buf), " First %d days", r->early_days);
	field(l, buf);
	if (r->early_customers) {
		span_addf(l, ROLE_NORMAL, 0, false, "%.2f tickets per customer",
			  (double)r->early_tickets / (double)r->early_customers);
		lines_add(l);
		span_add(l, ROLE_NORMAL, 22, false, "");
		span_addf(l, ROLE_MUTED, 0, false, "%ld tickets from %ld of %ld customers",
			  r->early_tickets, r->early_ticket_customers, r->early_customers);
		lines_add(l);
		span_add(l, ROLE_NORMAL, 22, false, "");
		span_addf(l, ROLE_MUTED, 0, false, "%.2f features first used per customer",
			  (double)r->early_features / (double)r->early_customers);
	} else {
		span_addf(l, ROLE_MUTED, 0, false, "no customer created %d+ days ago",
			  r->early_days);
	}

	snprintf(buf, sizeof(buf), "Where customers stall: %ld stalled, %ld in progress",
		 r->stalled, r->in_progress);
	heading(l, buf);
	for (int k = 0; k < r->nmilestones; k++)
		max = r->milestones[k].stalled > max ? r->milestones[k].stalled : max;
	bar_w = w - 3 - nw - 8 - 8 - 12 - 2 - 17;
	if (bar_w > 20)
		bar_w = 20;
	lines_add(l);
	span_add(l, ROLE_HEADER, 3, false, "");
	span_add(l, ROLE_HEADER, nw, false, "Furthest milestone");
	span_add(l, ROLE_HEADER, 8, true, "Reached");
	span_add(l, ROLE_HEADER, 8, true, "Stalled");
	span_add(l, ROLE_HEADER, 12, true, "In progress");
	stall_row(l, nw, "(none yet)", "", r->stalled_none, r->in_progress_none,
		  r->stalled && r->stall_at < 0, bar_w, max);
	for (int k = 0; k < r->nmilestones; k++) {
		snprintf(buf, sizeof(buf), "%ld", r->milestones[k].reached);
		stall_row(l, nw, r->milestones[k].name, buf, r->milestones[k].stalled,
			  r->milestones[k].in_progress, r->stalled && r->stall_at == k, bar_w,
			  max);
	}
	lines_add(l);
	snprintf(buf, sizeof(buf), "%d", r->activation_days);
	{
		char note[512];

		snprintf(note, sizeof(note), "Stalled: created %s+ days ago, without first value, "
			 "stopped at this milestone; in progress: younger ones. Reached: cohort "
			 "customers who got there by %s.", buf, day);
		para(l, w, 3, ROLE_MUTED, note);
	}
	if (r->unknown_milestones) {
		lines_add(l);
		span_addf(l, ROLE_MUTED, 0, false, "   %ld milestone rows are not in "
			  "analytics.ini's order", r->unknown_milestones);
	}
}

static int onboarding_open(struct view *v, const char *arg)
{
	struct insight *in = v->priv;
	struct tui *t = v->tui;

	(void)arg;
	in->build = build_onboarding;
	if (!(in->onboarding = insight_begin(v, sizeof(*in->onboarding))))
		return -1;
	return cs_onboarding_report(t->db, t->as_of, in->cfg, in->onboarding, &t->diag);
}

const struct view_ops view_onboarding = {
	.name = "Onboarding",
	.priv_size = sizeof(struct insight),
	.open = onboarding_open,
	.draw = insight_draw,
	.handle = insight_handle,
	.close = insight_close,
};
