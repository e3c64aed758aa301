/*
 * report.c — the weekly report for Product. See report.h.
 *
 * Two phases: every figure is gathered first (report_data.c), then the
 * Markdown is written, so that the executive summary and the recommended
 * priorities can draw on every section.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/value.h"
#include "report_weekly.h"

/* ---- writing -------------------------------------------------------------- */

static const char *const weekday_names[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

static int weekday(int32_t day)
{
	return (int)(((day + 4) % 7 + 7) % 7);	/* 1970-01-01 was a Thursday */
}

/* The due day of the as-of day's week (Monday to Sunday). */
static int32_t due_day(const struct cs_report_env *env, int32_t as_of)
{
	int32_t monday = as_of - (weekday(as_of) + 6) % 7;

	return monday + (env->cfg.due_weekday + 6) % 7;
}

static const char *route(const struct cs_report_env *env, const char *category)
{
	int c = *category ? cs_category_find(category) : -1;
	const char *o = c >= 0 ? cs_routing_owner(env->tickets, c) : "";

	return *o ? o : "CSM (uncategorised)";
}

static const char *recommend(const struct cs_report_env *env, const char *category)
{
	const struct cs_report_cfg *c = &env->cfg;
	const char *t = cs_report_text(c->recommend, c->nrecommend, category);

	return t ? t : cs_report_text(c->recommend, c->nrecommend, "default");
}

static void write_header(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	int32_t due = due_day(env, w->as_of);
	char d[11];

	cs_format_day(due, d);
	fprintf(out, "# Weekly Customer Health Report: week ending %s\n\n", w->day);
	fputs("- **For**: Peter (Product), before the weekly planning meeting\n", out);
	fputs("- **From**: Casey (Customer Success)\n", out);
	fprintf(out, "- **As of**: %s %s (due %s %s, end of day)\n", weekday_names[weekday(w->as_of)],
		w->day, weekday_names[weekday(due)], d);
	fputs("- **Scores**: profile ", out);
	rp_md(out, env->prof.name);
	if (w->sum.now.scored) {
		fprintf(out, ", snapshot %s", w->sum.now.date);
		if (w->sum.week_ago.scored)
			fprintf(out, ", compared with %s", w->sum.week_ago.date);
	} else {
		fputs(", no snapshot yet (run 'casey score')", out);
	}
	fputs("\n\n", out);
}

static void band_row(FILE *out, const char *name, int lo, int hi, long n, long total,
		     const struct cs_band_counts *prev, long before)
{
	fprintf(out, "| %s (%d-%d) | %ld | %.1f%% | ", name, lo, hi, n, rp_pct((double)n,
		(double)total));
	if (prev->scored)
		fprintf(out, "%ld | %+ld |\n", before, n - before);
	else
		fputs("- | - |\n", out);
}

static void theme_line(FILE *out, const struct theme_row *t)
{
	char money[40];

	fputs("**", out);
	rp_md(out, t->theme);
	fputs("** (", out);
	rp_md(out, *t->category ? t->category : "uncategorised");
	fprintf(out, "): %ld ticket%s from %ld customer%s, %s ARR%s", t->tickets, rp_s(t->tickets),
		t->customers, rp_s(t->customers), rp_money(money, true, t->arr),
		t->escalate ? " (escalation threshold met)" : "");
}

static void write_summary(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	const struct cs_band_counts *b = &w->sum.now, *p = &w->sum.week_ago;
	const struct cs_profile *pr = &env->prof;
	long total = b->green + b->yellow + b->red;
	int g = (int)pr->green, y = (int)pr->yellow;
	char money[40];

	fputs("## 1. Executive Summary\n\n", out);
	if (!b->scored) {
		fputs("No health scores on or before this day: run `casey score` first.\n\n", out);
		return;
	}
	fprintf(out, "**Average health %.1f**", b->average);
	if (p->scored)
		fprintf(out, " (%+.1f against last week)", b->average - p->average);
	fprintf(out, ", target above %g. %ld customers scored; %ld in the database, %ld of them "
		"churned.\n\n", env->cfg.kpi_health, total, w->sum.customers, w->sum.churned);
	fputs("| Band | Customers | Share | Last week | Change |\n"
	      "| --- | ---: | ---: | ---: | ---: |\n", out);
	band_row(out, "Green", g, 100, b->green, total, p, p->green);
	band_row(out, "Yellow", y, g - 1, b->yellow, total, p, p->yellow);
	band_row(out, "Red", 0, y - 1, b->red, total, p, p->red);
	fputs("\n", out);
	fprintf(out, "- **At risk**: %ld customers with %s ARR (Red, or Yellow and declining); "
		"%ld need contact within 24 hours (section 2)\n", w->sum.at_risk_count,
		rp_money(money, true, w->sum.at_risk_arr), w->risk_imm);
	/* by tier (assets/tiers.ini); "no tier" only when some have none */
	fputs("- **At-risk ARR by tier**:", out);
	for (int i = 0; i <= env->tiers.n; i++) {
		if (i == env->tiers.n && !w->tier_risk[i].customers)
			break;
		fprintf(out, "%s %s %s (%ld)", i ? "," : "",
			i < env->tiers.n ? env->tiers.t[i].name : "no tier",
			rp_money(money, true, w->tier_risk[i].arr), w->tier_risk[i].customers);
	}
	fputs("\n", out);
	fprintf(out, "- **Churn risk (Red + Yellow)**: %.1f%% of scored customers, target below "
		"%g%%\n", rp_pct((double)(b->red + b->yellow), (double)total),
		env->cfg.kpi_churn_pct);
	if (w->sum.nps.responses)
		fprintf(out, "- **NPS** %+.0f (%ld answers in 90 days)", w->sum.nps.score,
			w->sum.nps.responses);
	else
		fputs("- **NPS**: no answers in 90 days", out);
	if (w->sum.csat.scored)
		fprintf(out, "; **CSAT** %.2f of 5, %.1f%% satisfied\n", w->sum.csat.average,
			w->sum.csat.satisfied_pct);
	else
		fputs("; **CSAT**: no answers in 90 days\n", out);
	fprintf(out, "- **Escalations**: %ld hand-offs not yet sent (%ld overdue), %ld sent and "
		"awaiting acknowledgement (%ld overdue) (section 6)\n\n",
		w->open_handoffs + w->by_status[1], w->open_overdue + w->by_late[1],
		w->by_status[2], w->by_late[2]);
	fprintf(out, "**Top %d ticket themes this week** (by ARR; section 3):\n\n",
		env->cfg.themes_summary);
	for (int i = 0; i < w->nthemes && i < env->cfg.themes_summary; i++) {
		fprintf(out, "%d. ", i + 1);
		theme_line(out, &w->themes[i]);
		fputs("\n", out);
	}
	if (!w->nthemes)
		fputs(w->week_tickets ? "No ticket of the week has a theme yet.\n" :
		      "No tickets this week.\n", out);
	fputs("\n", out);
}

static void write_immediate(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	char money[40];
	int i;

	fputs("## 2. Immediate Action Required\n\n", out);
	fprintf(out, "%ld customers (%s ARR) have an open at-risk, churn-risk or 24-hour alert; "
		"%ld of them need contact within 24 hours and %ld have an overdue alert.\n\n",
		w->risk_customers, rp_money(money, true, w->risk_arr), w->risk_imm,
		w->risk_overdue);
	if (w->nrisk) {
		fprintf(out, "### Customers needing action (the %d with the highest ARR)\n\n"
			"| Customer | Segment | ARR | Health | 30 days | Why | Weakest measure | "
			"Escalation |\n| --- | --- | ---: | --- | ---: | --- | --- | --- |\n",
			w->nrisk);
	}
	for (i = 0; i < w->nrisk; i++) {
		const struct risk_row *r = &w->risk[i];

		fputs("| ", out);
		rp_md(out, r->name);
		fputs(" (", out);
		rp_md(out, r->id);
		fputs(") | ", out);
		rp_md(out, *r->segment ? r->segment : "-");
		fprintf(out, " | %s | ", rp_money(money, r->arr_known, r->arr));
		if (r->scored)
			fprintf(out, "%d %s", r->score, r->band);
		else
			fputs("-", out);
		fputs(" | ", out);
		if (r->has_delta)
			fprintf(out, "%+d", r->delta);
		else
			fputs("-", out);
		fputs(" | ", out);
		rp_md(out, r->why);
		/* measure and kind names are the profile's and casey's own */
		fprintf(out, " | %s | %s%s |\n", *r->cause ? r->cause : "-",
			r->overdue ? "**OVERDUE** " : "", r->esc);
	}
	if (w->risk_customers > w->nrisk)
		fprintf(out, "\n… and %ld more: `casey actions --kind immediate`, `--kind "
			"churn_risk`, `--kind at_risk`.\n", w->risk_customers - w->nrisk);
	fputs(w->nrisk ? "\n### Churn risks requiring action\n\n" :
	      "### Churn risks requiring action\n\n", out);
	fprintf(out, "%ld customers (%s ARR) show churn signals: %ld Red, %ld cancellation "
		"request%s, %ld downgrade request%s, and %ld more whose usage fell by more than "
		"%.0f%% in 30 days. %ld of the customers needing action have an executive "
		"escalation.", w->churn_customers, rp_money(money, true, w->churn_arr), w->churn_red,
		w->churn_cancel, rp_s(w->churn_cancel), w->churn_downgrade,
		rp_s(w->churn_downgrade), w->churn_usage,
		100 * env->rules.r[A_CHURN_RISK].usage_drop, w->churn_exec);
	fputs(" Each has a churn alert with risk factors, retention actions and a timeline: "
	      "`casey escalate ID`.\n\n", out);
	fprintf(out, "Retention outcomes of the last 30 days: %ld recorded, %ld customer%s "
		"recovered (the alert cleared itself).\n", (long)w->noutcomes, w->churn_cleared,
		rp_s(w->churn_cleared));
	for (i = 0; i < w->noutcomes; i++) {
		fprintf(out, "%s- %s ", i ? "" : "\n", w->outcomes[i].date);
		rp_md(out, w->outcomes[i].name);
		fputs(": ", out);
		rp_md(out, w->outcomes[i].outcome);
		fputs("\n", out);
	}
	fputs("\n", out);
}

static void write_tickets(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	char money[40];
	int c, i;

	fputs("## 3. Support Ticket Analysis\n\n", out);
	fprintf(out, "%ld tickets this week (%+ld against the week before).\n\n",
		w->week_tickets, w->week_tickets - w->prev_tickets);
	fputs("| Category | This week | Week before | Owner |\n| --- | ---: | ---: | --- |\n", out);
	for (c = 0; c <= CAT_COUNT; c++) {
		if (c == CAT_COUNT && !w->cat_now[c] && !w->cat_prev[c])
			continue;
		fprintf(out, "| %s | %ld | %ld | ", c < CAT_COUNT ? cs_category_names[c] :
			"Uncategorised", w->cat_now[c], w->cat_prev[c]);
		rp_md(out, c < CAT_COUNT ? cs_routing_owner(env->tickets, c) : "CSM");
		fputs(" |\n", out);
	}
	fprintf(out, "\n### Top %d themes of the week (by ARR)\n\n", env->cfg.themes_analysis);
	if (!w->nthemes) {
		fputs(w->week_tickets ? "No ticket of the week has a theme yet: `casey score` "
		      "categorises them.\n\n" : "No tickets this week.\n\n", out);
		return;
	}
	fputs("| # | Theme | Category | Tickets | Week before | Customers | ARR | Escalate | "
	      "Owner | Recommendation |\n"
	      "| ---: | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n", out);
	for (i = 0; i < w->nthemes; i++) {
		const struct theme_row *t = &w->themes[i];

		fprintf(out, "| %d | ", i + 1);
		rp_md(out, t->theme);
		fputs(" | ", out);
		rp_md(out, *t->category ? t->category : "Uncategorised");
		fprintf(out, " | %ld | %ld | %ld | %s | %s | ", t->tickets, t->last_week,
			t->customers, rp_money(money, true, t->arr), t->escalate ? "yes" : "no");
		rp_md(out, route(env, t->category));
		fputs(" | ", out);
		rp_md(out, recommend(env, t->category));
		fputs(" |\n", out);
	}
	fprintf(out, "\nEscalate: %g or more tickets, or %s ARR or more, in the week "
		"(seed 001).\n\n", env->rules.r[A_THEME].min_tickets,
		rp_money(money, true, env->rules.r[A_THEME].arr_at_least));
}

static void action_ref(FILE *out, long id, const char *status, bool overdue)
{
	if (!id) {
		fputs("no open escalation", out);
		return;
	}
	fprintf(out, "escalation #%ld %s%s", id, status, overdue ? ", **OVERDUE**" : "");
}

static void theme_table(FILE *out, const struct cs_report_env *env, const struct fr_row *rows,
			int n, long total, const char *kind)
{
	char money[40];

	if (!n) {
		fputs("None open.\n\n", out);
		return;
	}
	fputs("| Topic | Category | Tickets | Customers | ARR | Owner | Escalation |\n"
	      "| --- | --- | ---: | ---: | ---: | --- | --- |\n", out);
	for (int i = 0; i < n; i++) {
		const struct fr_row *f = &rows[i];

		fputs("| ", out);
		rp_md(out, f->theme);
		fputs(" | ", out);
		rp_md(out, f->category);
		if (f->figures)
			fprintf(out, " | %ld | %ld | ", f->tickets, f->customers);
		else
			fputs(" | ? | ? | ", out);
		fprintf(out, "%s | ", rp_money(money, true, f->arr));
		rp_md(out, route(env, f->category));
		fputs(" | ", out);
		action_ref(out, f->action, f->action_status, f->action_overdue);
		fputs(" |\n", out);
	}
	if (total > n)
		fprintf(out, "\n… and %ld more: `casey actions --kind %s`.\n", total - n, kind);
	fputs("\n", out);
}

static void write_insights(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	const struct cs_rule_cfg *pg = &env->rules.r[A_PRODUCT_GAP];
	char money[40], money2[40];
	int i, k, shown = 0;

	fputs("## 4. Key Insights & Recommendations\n\n", out);
	fprintf(out, "### Feature requests (last %d days, by ARR)\n\n", pg->window_days);
	if (!w->nfr)
		fputs("No feature requests in the window.\n", out);
	for (i = 0; i < w->nfr; i++) {
		const struct fr_row *f = &w->fr[i];
		struct rp_rice r;

		rp_rice(&env->cfg, f->customers, w->active, f->tickets, f->arr, f->at_risk, &r);
		fprintf(out, "%d. **", i + 1);
		rp_md(out, f->theme);
		fprintf(out, "**: %ld request%s from %ld customer%s, %s ARR", f->tickets,
			rp_s(f->tickets), f->customers, rp_s(f->customers),
			rp_money(money, true, f->arr));
		if (f->at_risk)
			fprintf(out, "; %ld at risk (%s)", f->at_risk,
				rp_money(money2, true, f->at_risk_arr));
		fputs(".\n   - Customers by ARR tier: ", out);
		for (k = 0; k < f->nseg; k++) {
			fprintf(out, "%s%ld ", k ? ", " : "", f->seg[k].n);
			rp_md(out, *f->seg[k].name ? f->seg[k].name : "unsegmented");
		}
		if (f->seg_other)
			fprintf(out, ", %ld other", f->seg_other);
		fprintf(out, "\n   - RICE inputs: reach %ld customers (%.1f%% of active), impact %g "
			"(%s), confidence %d%% (%s), urgency %s\n", r.reach, r.reach_pct, r.impact,
			r.impact_word, r.confidence, r.confidence_word, r.urgency);
		if (f->quote) {
			fputs("   - In their words: \"", out);
			rp_md(out, f->quote);
			fputs("\" (", out);
			if (*f->quote_segment) {
				fputs(strchr("AEIOUaeiou", f->quote_segment[0]) ? "an " : "a ", out);
				rp_md(out, f->quote_segment);
				fputs(" customer)\n", out);
			} else {
				fputs("a customer)\n", out);
			}
		}
		fputs("   - Peter: ", out);
		action_ref(out, f->action, f->action_status, f->action_overdue);
		if (f->action)
			fprintf(out, " (`casey escalate %ld --send`)", f->action);
		else
			fputs(" (below the product-gap threshold)", out);
		fputs("\n", out);
	}
	if (w->fr_total > w->nfr)
		fprintf(out, "\n%ld more requested themes: `casey themes --days %d`.\n",
			w->fr_total - w->nfr, pg->window_days);
	fprintf(out, "\n### Documentation gaps (last %d days)\n\n",
		env->rules.r[A_DOCS_GAP].window_days);
	theme_table(out, env, w->docs, w->ndocs, w->docs_total, "documentation_gap");
	fprintf(out, "### Bugs routed to QA (last %d days)\n\n", env->rules.r[A_BUG].window_days);
	theme_table(out, env, w->bugs, w->nbugs, w->bugs_total, "bug");
	fputs("Each escalation's document (customer impact, reproduction steps, priority, "
	      "confusion points): `casey escalate ID`.\n\n", out);
	fprintf(out, "### Satisfaction\n\n- NPS by month (months with answers, last %d):",
		RP_NPS_MONTHS);
	for (i = 0; i < RP_NPS_MONTHS; i++) {
		if (!w->months[i].nps.responses)
			continue;
		fprintf(out, "%s %s %+.0f (%ld)", shown++ ? ";" : "", w->months[i].label,
			w->months[i].nps.score, w->months[i].nps.responses);
	}
	if (!shown)
		fputs(" none", out);
	fprintf(out, "\n- Detractors in 90 days: %ld of %ld answers; their reasons: `casey nps`\n",
		w->sum.nps.detractors, w->sum.nps.responses);
	if (w->sum.csat.responses)
		fprintf(out, "- CSAT: %.1f%% satisfied of %ld answers; low-satisfaction contexts "
			"and features: `casey csat`\n", w->sum.csat.satisfied_pct,
			w->sum.csat.responses);
	fputs("\n", out);
}

static void write_adoption(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	const struct cs_analytics_config *c = &env->analytics;
	int i;

	fputs("## 5. Feature Adoption Update\n\n", out);
	fprintf(out, "Features released in the last %d days, and every feature with an open "
		"adoption gap (used by fewer than %.0f%% of the %ld active customers %d days or "
		"more after release); target %.0f%%.\n\n", c->adoption_recent_days,
		c->adoption_low_pct, w->active, c->adoption_min_days, c->adoption_target_pct);
	if (!w->nadopt) {
		fputs("No recent feature and no adoption gap.\n\n", out);
		return;
	}
	fputs("| Feature | Released | Days | Used by | Status | Likely cause | Owner |\n"
	      "| --- | --- | ---: | ---: | --- | --- | --- |\n", out);
	for (i = 0; i < w->nadopt; i++) {
		const struct adopt_row *a = &w->adopt[i];

		fputs("| ", out);
		rp_md(out, a->name);
		fprintf(out, " | %s | %d | %.1f%% (%ld) | %s | ", a->released, a->days, a->pct,
			a->users, cs_adoption_status_names[a->status]);
		if (a->cause)
			fprintf(out, "%s (%ld how-to, %ld usability tickets in %d days)", a->cause,
				a->docs, a->usability, c->adoption_ticket_days);
		else
			fputs("-", out);
		fputs(" | ", out);
		rp_md(out, a->owner ? a->owner : "-");
		fputs(" |\n", out);
	}
	fputs("\nBy health band and time to first use: `casey adoption`.\n\n", out);
}

static void write_followup(FILE *out, const struct weekly *w)
{
	int i, k;

	fputs("## 6. Follow-Up on Previous Escalations\n\n", out);
	fprintf(out, "- **Sent, awaiting acknowledgement**: %ld (%ld overdue)\n", w->by_status[2],
		w->by_late[2]);
	fprintf(out, "- **Drafted, not yet sent**: %ld (%ld overdue)\n", w->by_status[1],
		w->by_late[1]);
	fprintf(out, "- **Acknowledged, in progress**: %ld\n", w->by_status[3]);
	fprintf(out, "- **Closed this week**: %ld\n", w->resolved_week);
	fprintf(out, "- **Raised, not yet escalated**: %ld (%ld past their deadline", w->open_handoffs,
		w->open_overdue);
	if (w->open_oldest[0])
		fprintf(out, "; the oldest raised %s", w->open_oldest);
	fputs(")", out);
	for (k = 0, i = 0; k < A_KIND_COUNT; k++) {
		if (!w->kind_open[k] || !rp_handoff_kind(cs_action_names[k]))
			continue;
		fprintf(out, "%s%s %ld", i++ ? ", " : ": ", cs_action_names[k], w->kind_open[k]);
	}
	fputs("\n\n", out);
	if (!w->nfollow) {
		fputs("No escalation has been drafted or sent yet: `casey escalate ID` writes one, "
		      "`--send` hands it to Peter's intake.\n\n", out);
		return;
	}
	fputs("| # | Kind | About | Owner | Status | Raised | Age | Due | Outcome |\n"
	      "| ---: | --- | --- | --- | --- | --- | ---: | --- | --- |\n", out);
	for (i = 0; i < w->nfollow; i++) {
		const struct follow *f = &w->follow[i];
		int32_t raised = 0;

		cs_parse_day(f->created, &raised);
		fprintf(out, "| %ld | %s | ", f->id, f->kind);
		rp_md(out, f->about);
		fputs(" | ", out);
		rp_md(out, f->owner);
		fprintf(out, " | %s | %s | %d d | %s%s | ", f->status, f->created,
			w->as_of - raised, f->overdue ? "**OVERDUE** " : "", f->due);
		rp_md(out, *f->outcome ? f->outcome : "-");
		fputs(" |\n", out);
	}
	fputs("\n", out);
}

static void write_priorities(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	const struct adopt_row *gap = NULL;
	const struct theme_row *top = NULL;
	char money[40];
	long late;
	int n = 0, i;

	fputs("## 7. Recommended Priorities for Next Week\n\n", out);
	if (w->risk_imm) {
		fprintf(out, "%d. **Contact the %ld customers flagged for 24-hour action** ", ++n,
			w->risk_imm);
		fputs("(largest first:", out);
		for (i = 0; i < w->nrisk && i < 3; i++) {
			fputs(i ? ", " : " ", out);
			rp_md(out, w->risk[i].name);
		}
		fputs("). Owner: the CSMs, with Peter for the churn alerts.\n", out);
	}
	late = w->open_overdue + w->by_late[1] + w->by_late[2];
	if (late) {
		fprintf(out, "%d. **Clear %ld overdue escalation%s**: send the ones not yet sent, "
			"chase the acknowledgements (`casey actions`). Owners: as listed in "
			"section 6.\n", ++n, late, rp_s(late));
	}
	for (i = 0; i < w->nthemes && !top; i++)
		if (w->themes[i].escalate)
			top = &w->themes[i];
	if (top) {
		fprintf(out, "%d. **Act on \"", ++n);
		rp_md(out, top->theme);
		fputs("\"** (", out);
		rp_md(out, *top->category ? top->category : "uncategorised");
		fprintf(out, "): %ld tickets from %ld customers, %s ARR this week. Owner: ",
			top->tickets, top->customers, rp_money(money, true, top->arr));
		rp_md(out, route(env, top->category));
		fputs(". ", out);
		rp_md(out, recommend(env, top->category));
		fputs(".\n", out);
	}
	if (w->nfr) {
		const struct fr_row *f = &w->fr[0];

		fprintf(out, "%d. **Score \"", ++n);
		rp_md(out, f->theme);
		fprintf(out, "\" with RICE**: %ld customers, %s ARR, %ld at risk. Owner: Peter.\n",
			f->customers, rp_money(money, true, f->arr), f->at_risk);
	}
	if (w->ndocs) {
		const struct fr_row *d = &w->docs[0];

		fprintf(out, "%d. **Fix the documentation gap \"", ++n);
		rp_md(out, d->theme);
		fprintf(out, "\"**: %ld tickets from %ld customers, %s ARR. Owner: ", d->tickets,
			d->customers, rp_money(money, true, d->arr));
		rp_md(out, route(env, d->category));
		fputs(".\n", out);
	}
	if (w->nbugs) {
		const struct fr_row *b = &w->bugs[0];

		fprintf(out, "%d. **Triage the bug \"", ++n);
		rp_md(out, b->theme);
		fprintf(out, "\"**: %ld tickets from %ld customers this week, %s ARR. Owner: ",
			b->tickets, b->customers, rp_money(money, true, b->arr));
		rp_md(out, route(env, b->category));
		fputs(".\n", out);
	}
	for (i = 0; i < w->nadopt && !gap; i++)
		if (w->adopt[i].status == CS_ADOPT_GAP)
			gap = &w->adopt[i];
	if (gap) {
		fprintf(out, "%d. **Lift the adoption of ", ++n);
		rp_md(out, gap->name);
		fprintf(out, "** (%.1f%% after %d days; likely cause: ", gap->pct, gap->days);
		rp_md(out, gap->cause ? gap->cause : "unknown");
		fputs("). Owner: ", out);
		rp_md(out, gap->owner ? gap->owner : "Peter");
		fputs(".\n", out);
	}
	if (w->checkins)
		fprintf(out, "%d. **Send %ld check-in%s** to Yellow customers without contact for "
			"%d days or more (`casey draft checkin ID`). Owner: the CSMs.\n", ++n,
			w->checkins, rp_s(w->checkins), env->rules.r[A_CHECK_IN].no_contact_days);
	if (!n)
		fputs("Nothing stands out: keep the routine monitoring.\n", out);
	fputs("\n", out);
}

static void kpi_row(FILE *out, const char *metric, const char *target, const char *now,
		    const char *before, int met)
{
	fprintf(out, "| %s | %s | %s | %s | %s |\n", metric, target, now, before,
		met < 0 ? "no data" : met ? "met" : "**missed**");
}

static void write_kpis(FILE *out, const struct cs_report_env *env, const struct weekly *w)
{
	const struct cs_report_cfg *c = &env->cfg;
	const struct cs_band_counts *b = &w->sum.now, *p = &w->sum.week_ago;
	long total = b->green + b->yellow + b->red, ptotal = p->green + p->yellow + p->red;
	char t[64], now[160], before[64];
	int32_t due = due_day(env, w->as_of);
	long recent = 0, recent_ok = 0;
	double churn = rp_pct((double)(b->red + b->yellow), (double)total);
	double tpc = w->active ? (double)w->tickets30 / (double)w->active : 0;

	fputs("## 8. Key Performance Indicators\n\n", out);
	fputs("| Metric | Target | This week | Last week | Status |\n"
	      "| --- | --- | --- | --- | --- |\n", out);
	snprintf(t, sizeof(t), "> %g", c->kpi_health);
	snprintf(now, sizeof(now), "%.1f", b->average);
	snprintf(before, sizeof(before), p->scored ? "%.1f" : "-", p->average);
	kpi_row(out, "Average health score", t, b->scored ? now : "-", before,
		b->scored ? b->average > c->kpi_health : -1);
	snprintf(t, sizeof(t), "< %g%%", c->kpi_churn_pct);
	snprintf(now, sizeof(now), "%.1f%%", churn);
	snprintf(before, sizeof(before), p->scored ? "%.1f%%" : "-",
		 rp_pct((double)(p->red + p->yellow), (double)ptotal));
	kpi_row(out, "Churn risk (Red + Yellow)", t, b->scored ? now : "-", before,
		b->scored ? churn < c->kpi_churn_pct : -1);
	snprintf(t, sizeof(t), "< %g a month", c->kpi_tickets_month);
	snprintf(now, sizeof(now), "%.2f (%ld tickets in 30 days, %ld active customers)", tpc,
		 w->tickets30, w->active);
	kpi_row(out, "Support tickets per customer", t, now, "-",
		w->active ? tpc < c->kpi_tickets_month : -1);
	snprintf(t, sizeof(t), "> %g", c->kpi_nps);
	snprintf(now, sizeof(now), "%+.0f (%ld answers, 90 days)", w->sum.nps.score,
		 w->sum.nps.responses);
	kpi_row(out, "NPS", t, w->sum.nps.responses ? now : "-", "-",
		w->sum.nps.responses ? w->sum.nps.score > c->kpi_nps : -1);
	/* features 30 days or more after release, within the measurement period */
	now[0] = '\0';
	for (int i = 0; i < w->nadopt; i++) {
		const struct adopt_row *f = &w->adopt[i];
		size_t len = strlen(now);

		if (!f->recent || f->days < env->analytics.adoption_min_days)
			continue;
		recent++;
		recent_ok += f->pct > c->kpi_adoption_pct;
		snprintf(now + len, sizeof(now) - len, "%s%s %.1f%%", len ? ", " : "", f->name,
			 f->pct);
	}
	snprintf(t, sizeof(t), "> %g%% at 30 days", c->kpi_adoption_pct);
	if (!recent)
		snprintf(now, sizeof(now), "no feature released %d-%d days ago",
			 env->analytics.adoption_min_days, env->analytics.adoption_recent_days);
	fprintf(out, "| Feature adoption | %s | ", t);
	rp_md(out, now);
	fprintf(out, " | - | %s |\n", !recent ? "no data" : recent_ok == recent ? "met" :
		"**missed**");
	snprintf(t, sizeof(t), "< %d hours", c->kpi_red_hours);
	if (w->red_alerts)
		snprintf(now, sizeof(now), "%ld alerts in 30 days: %ld answered in time, %ld late, "
			 "%ld unanswered past the deadline, %ld still within it", w->red_alerts,
			 w->red_on_time, w->red_late, w->red_open, w->red_pending);
	else
		snprintf(now, sizeof(now), "no alerts in 30 days");
	kpi_row(out, "Response time to Red alerts", t, now, "-",
		w->red_alerts == w->red_pending ? -1 : !w->red_late && !w->red_open);
	cs_format_day(due, before);
	snprintf(now, sizeof(now), "this one: as of %s %s, due %s %s",
		 weekday_names[weekday(w->as_of)], w->day, weekday_names[weekday(due)], before);
	kpi_row(out, "Weekly report on time", "100%", now, "-", w->as_of <= due);
	fputs("\n", out);
}

static void write_footer(FILE *out, const struct weekly *w)
{
	fprintf(out, "---\n\n_Written by casey from its database as of %s: `casey --as-of %s "
		"report weekly` writes the same report again. Quotes are anonymised (names, "
		"emails, phone numbers) as far as casey knows the names; customers behind feature "
		"requests are counted by ARR tier, not named._\n", w->day, w->day);
}

int cs_report_weekly(sqlite3 *db, const struct cs_report_env *env, int32_t as_of, FILE *out,
		     struct cs_diag *diag)
{
	struct weekly *w = calloc(1, sizeof(*w));
	int rc;

	if (!w)
		return cs_error(diag, "out of memory");
	w->as_of = as_of;
	rc = rp_weekly_gather(db, env, w, diag);
	if (!rc) {
		write_header(out, env, w);
		write_summary(out, env, w);
		write_immediate(out, env, w);
		write_tickets(out, env, w);
		write_insights(out, env, w);
		write_adoption(out, env, w);
		write_followup(out, w);
		write_priorities(out, env, w);
		write_kpis(out, env, w);
		write_footer(out, w);
	}
	rp_weekly_free(w);
	free(w);
	return rc;
}
