/*
 * escalate.c — the hand-off documents, filled from the database, and
 * Peter's intake. See escalate.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "casey/escalate.h"
#include "casey/outreach.h"
#include "casey/value.h"
#include "report_int.h"

/* An action, with everything a document reads of it. */
struct action {
	struct cs_escalation e;
	char rule_key[300];
	char reason[300];
	char evidence[1024];
	bool arr_known;
	double arr;
};

static int read_action(sqlite3 *db, long id, struct action *a, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT action_id, kind, status, coalesce(owner, ''), coalesce(customer_id, ''),"
		"       coalesce(category, ''), coalesce(theme, ''), substr(created_at, 1, 10),"
		"       coalesce(due_at, ''), coalesce(substr(sent_at, 1, 10), ''),"
		"       document IS NOT NULL, rule_key, reason, coalesce(evidence, ''), arr"
		"  FROM actions WHERE action_id = ?1";
	sqlite3_stmt *st;
	int rc;

	memset(a, 0, sizeof(*a));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the action");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct cs_escalation *e = &a->e;

		e->id = (long)sqlite3_column_int64(st, 0);
		snprintf(e->kind, sizeof(e->kind), "%s", rp_col(st, 1));
		snprintf(e->status, sizeof(e->status), "%s", rp_col(st, 2));
		snprintf(e->owner, sizeof(e->owner), "%s", rp_col(st, 3));
		snprintf(e->customer_id, sizeof(e->customer_id), "%s", rp_col(st, 4));
		snprintf(e->category, sizeof(e->category), "%s", rp_col(st, 5));
		snprintf(e->theme, sizeof(e->theme), "%s", rp_col(st, 6));
		snprintf(e->created_at, sizeof(e->created_at), "%s", rp_col(st, 7));
		snprintf(e->due_at, sizeof(e->due_at), "%s", rp_col(st, 8));
		snprintf(e->sent_at, sizeof(e->sent_at), "%s", rp_col(st, 9));
		e->has_document = sqlite3_column_int(st, 10) != 0;
		snprintf(a->rule_key, sizeof(a->rule_key), "%s", rp_col(st, 11));
		snprintf(a->reason, sizeof(a->reason), "%s", rp_col(st, 12));
		snprintf(a->evidence, sizeof(a->evidence), "%s", rp_col(st, 13));
		a->arr_known = sqlite3_column_type(st, 14) != SQLITE_NULL;
		a->arr = sqlite3_column_double(st, 14);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		cs_error(diag, "no action %ld", id);
		return 0;
	}
	return rc == SQLITE_ROW ? 1 : cs_db_error(db, diag, "reading the action");
}

int cs_escalation_get(sqlite3 *db, long id, struct cs_escalation *e, struct cs_diag *diag)
{
	struct action *a = malloc(sizeof(*a));
	int rc;

	if (!a)
		return cs_error(diag, "out of memory");
	rc = read_action(db, id, a, diag);
	if (rc > 0)
		*e = a->e;
	free(a);
	return rc;
}

/* ---- pieces of every document ------------------------------------------- */

enum doc { D_FEATURE, D_BUG, D_DOCS, D_CHURN, D_AT_RISK, D_ADOPTION, D_THEME, D_CHECKIN,
	   D_NONE };

static enum doc doc_of(const struct action *a)
{
	const char *k = a->e.kind;
	int cat;

	if (!strcmp(k, "product_gap"))
		return D_FEATURE;
	if (!strcmp(k, "bug"))
		return D_BUG;
	if (!strcmp(k, "documentation_gap"))
		return D_DOCS;
	if (!strcmp(k, "churn_risk") || !strcmp(k, "immediate"))
		return D_CHURN;
	if (!strcmp(k, "at_risk"))
		return D_AT_RISK;
	if (!strcmp(k, "adoption_gap"))
		return D_ADOPTION;
	if (!strcmp(k, "check_in"))
		return D_CHECKIN;
	if (!strcmp(k, "theme_escalation")) {
		cat = cs_category_find(a->e.category);
		if (cat == CAT_FEATURE)
			return D_FEATURE;
		if (cat == CAT_BUG)
			return D_BUG;
		if (cat == CAT_HOWTO || cat == CAT_DOCS)
			return D_DOCS;
		return D_THEME;
	}
	return D_NONE;
}

static int kind_index(const char *kind)
{
	for (int k = 0; k < A_KIND_COUNT; k++)
		if (!strcmp(cs_action_names[k], kind))
			return k;
	return -1;
}

/* The hours the rule gives the owner, and their window in days. */
static int due_hours(const struct cs_report_env *env, const char *kind)
{
	int k = kind_index(kind);

	return k < 0 ? 0 : env->rules.r[k].due_hours;
}

static int window_days(const struct cs_report_env *env, const char *kind)
{
	int k = kind_index(kind), d = k < 0 ? 0 : env->rules.r[k].window_days;

	return d > 0 ? d : 1;
}

static void hours_words(int hours, char *buf, size_t size)
{
	if (hours && hours % 168 == 0)
		snprintf(buf, size, "%d week%s", hours / 168, hours == 168 ? "" : "s");
	else
		snprintf(buf, size, "%d hours", hours);
}

/* The day hours after the start of as_of, rounded up to a whole day. */
static void day_after(int32_t as_of, int hours, char out[11])
{
	cs_format_day(as_of + (hours + 23) / 24, out);
}

static void header(FILE *out, const char *title, const char *subject, const struct action *a,
		   const struct cs_report_env *env, int32_t as_of, const char *priority,
		   const char *verb)
{
	char day[11], hw[32];

	cs_format_day(as_of, day);
	hours_words(due_hours(env, a->e.kind), hw, sizeof(hw));
	fprintf(out, "# %s: ", title);
	rp_md(out, subject);
	fprintf(out, "\n\n- **Submitted by**: Casey (Customer Success)\n- **Date**: %s\n", day);
	fputs("- **To**: ", out);
	rp_md(out, a->e.owner);
	fprintf(out, ", %s within %s of receiving it\n", verb, hw);
	if (priority)
		fprintf(out, "- **Priority**: %s\n", priority);
	fprintf(out, "- **Casey action**: #%ld (%s)\n\n", a->e.id, a->e.kind);
}

static void footer(FILE *out, int32_t as_of, unsigned flags, bool many)
{
	char day[11];

	cs_format_day(as_of, day);
	fprintf(out, "---\n\n_Written by casey from its database as of %s. Quotes are "
		"anonymised (names, emails, phone numbers) as far as casey knows the names", day);
	if (many)
		fputs(flags & CS_DOC_NAMES ? "; customer names shown for the CSM's own reading, "
		      "not for sending" : "; customers are shown by segment and id", out);
	fputs("._\n", out);
}

/* "an Enterprise customer (C00042)", or the name in the CSM's view. */
static void who(FILE *out, unsigned flags, const char *name, const char *segment,
		const char *id)
{
	if (flags & CS_DOC_NAMES) {
		rp_md(out, name);
	} else if (segment && *segment) {
		fputs(strchr("AEIOUaeiou", segment[0]) ? "an " : "a ", out);
		rp_md(out, segment);
		fputs(" customer", out);
	} else {
		fputs("a customer", out);
	}
	fputs(" (", out);
	rp_md(out, id);
	putc(')', out);
}

static void quotes(FILE *out, const struct rp_theme *t)
{
	for (int i = 0; i < t->nquotes; i++) {
		fputs("> \"", out);
		rp_md(out, t->quotes[i]);
		fputs("\"\n>\n> — ", out);
		if (t->quote_segment[i][0]) {
			fputs(strchr("AEIOUaeiou", t->quote_segment[i][0]) ? "an " : "a ", out);
			rp_md(out, t->quote_segment[i]);
			fputs(" customer\n\n", out);
		} else {
			fputs("a customer\n\n", out);
		}
	}
	if (!t->nquotes)
		fputs("No ticket text to quote.\n\n", out);
}

static void subjects(FILE *out, const struct rp_theme *t)
{
	for (int i = 0; i < t->nsubjects; i++) {
		fputs("- ", out);
		rp_md(out, t->subjects[i].text);
		fprintf(out, " (%ld ticket%s)\n", t->subjects[i].n, rp_s(t->subjects[i].n));
	}
	if (t->nsubjects)
		putc('\n', out);
}

static void features_named(FILE *out, const struct rp_theme *t, const char *lead)
{
	if (!t->nfeatures)
		return;
	fputs(lead, out);
	for (int i = 0; i < t->nfeatures; i++) {
		fputs(i ? ", " : "", out);
		rp_md(out, t->features[i].name);
		fprintf(out, " (%ld)", t->features[i].n);
	}
	fputs(".\n\n", out);
}

static void affected(FILE *out, const struct rp_theme *t, unsigned flags)
{
	char money[40];

	fputs("| Customer | Segment | ARR | Health | Tickets |\n| --- | --- | --- | --- | --- |\n",
	      out);
	for (int i = 0; i < t->ntop; i++) {
		fputs("| ", out);
		who(out, flags, t->top[i].name, t->top[i].segment, t->top[i].id);
		fputs(" | ", out);
		rp_md(out, *t->top[i].segment ? t->top[i].segment : "-");
		fprintf(out, " | %s | ", rp_money(money, t->top[i].arr_known, t->top[i].arr));
		if (t->top[i].scored)
			fprintf(out, "%d (%s)", t->top[i].score, t->top[i].band);
		else
			fputs("not scored", out);
		fprintf(out, " | %ld |\n", t->top[i].tickets);
	}
	if (t->customers > t->ntop)
		fprintf(out, "\n… and %ld more customer%s.\n", t->customers - t->ntop,
			rp_s(t->customers - t->ntop));
	putc('\n', out);
}

static void samples(FILE *out, const struct rp_theme *t)
{
	for (int i = 0; i < t->nsamples; i++) {
		fputs(i ? ", " : "", out);
		rp_md(out, t->samples[i].id);
	}
}

static void impact_lines(FILE *out, const struct rp_theme *t, const char *what)
{
	char money[40], segs[300];

	rp_segments(t, segs, sizeof(segs));
	fprintf(out, "- **%s**: %ld tickets from %ld customer%s, first on %s, latest on %s "
		"(%ld still open)\n", what, t->tickets, t->customers, rp_s(t->customers), t->first,
		t->last, t->open);
	fputs("- **Customer segments**: ", out);
	rp_md(out, segs);
	fprintf(out, "\n- **Total ARR**: %s\n", rp_money(money, true, t->arr));
	fprintf(out, "- **ARR at risk**: %s (%ld customer%s Red, or Yellow and declining)\n",
		rp_money(money, true, t->at_risk_arr), t->at_risk, rp_s(t->at_risk));
}

/* ---- feature request ----------------------------------------------------- */

static int doc_feature(sqlite3 *db, const struct cs_report_env *env, const struct action *a,
		       const struct rp_theme *t, int32_t as_of, unsigned flags, FILE *out,
		       struct cs_diag *diag)
{
	const struct cs_report_cfg *c = &env->cfg;
	const char *rec = cs_report_text(c->recommend, c->nrecommend, "Feature Request");
	struct rp_rice r;
	char money[40], money2[40];
	long active;
	const char *priority;

	if (rp_active_customers(db, as_of, &active, diag))
		return -1;
	rp_rice(c, t->customers, active, t->tickets, t->arr, t->at_risk, &r);
	priority = t->at_risk > 0 || t->arr >= c->rice_high_arr ? "High" :
		   t->tickets >= c->rice_medium_tickets ? "Medium" : "Low";
	header(out, "Feature Request Escalation", t->theme, a, env, as_of, priority, "acknowledge");
	fputs("## Summary\n\n", out);
	fprintf(out, "%ld customer%s asked for \"", t->customers, rp_s(t->customers));
	rp_md(out, t->theme);
	fprintf(out, "\" in %ld ticket%s between %s and %s. Together they pay %s ARR", t->tickets,
		rp_s(t->tickets), t->from, t->to, rp_money(money, true, t->arr));
	if (t->at_risk)
		fprintf(out, ", and %ld of them (%s ARR) are at risk", t->at_risk,
			rp_money(money2, true, t->at_risk_arr));
	fputs(".\n\n## Feature Description\n\nWhat customers ask for, in the words of their "
	      "tickets (the most frequent subjects):\n\n", out);
	subjects(out, t);
	features_named(out, t, "Existing features the requests are about: ");
	fputs("## Customer Evidence\n\n", out);
	impact_lines(out, t, "Number of requests");
	fputs("- **Sample tickets**: ", out);
	samples(out, t);
	fputs("\n\n### Affected customers (highest ARR first)\n\n", out);
	affected(out, t, flags);
	fputs("## Usage Context\n\n", out);
	if (t->scored)
		fprintf(out, "- Health of the requesting customers: average %.0f (%ld Green, %ld "
			"Yellow, %ld Red)\n", t->health_sum / (double)t->scored, t->bands[2],
			t->bands[1], t->bands[0]);
	if (t->usage_rows)
		fprintf(out, "- Their latest telemetry: %.1f login days in 30 and %.1f active users "
			"per account on average\n", t->active_days_sum / (double)t->usage_rows,
			(double)t->users / (double)t->usage_rows);
	fprintf(out, "- They are %.1f%% of the %ld active customers\n\n", r.reach_pct, active);
	fputs("## Customer Quotes\n\n", out);
	quotes(out, t);
	fputs("## RICE Inputs\n\n| Input | Suggested | Based on |\n| --- | --- | --- |\n", out);
	fprintf(out, "| Reach | %ld customers per %d days | %.1f%% of active customers asked |\n",
		r.reach, window_days(env, a->e.kind), r.reach_pct);
	fprintf(out, "| Impact | %g (%s) | %s combined ARR of the requesters |\n", r.impact,
		r.impact_word, rp_money(money, true, t->arr));
	fprintf(out, "| Confidence | %d%% (%s) | %ld request%s |\n", r.confidence,
		r.confidence_word, t->tickets, rp_s(t->tickets));
	fputs("| Effort | for Engineering to estimate | |\n", out);
	fprintf(out, "| Urgency | %s | %ld at-risk customer%s (%s ARR) ask for it |\n\n", r.urgency,
		t->at_risk, rp_s(t->at_risk), rp_money(money, true, t->at_risk_arr));
	fputs("## Recommended Action\n\n", out);
	rp_md(out, rec ? rec : "");
	fputs(".\n\n## Expected Impact\n\n", out);
	fprintf(out, "- **Retention**: lowers the churn risk of %ld at-risk customer%s (%s ARR)\n",
		t->at_risk, rp_s(t->at_risk), rp_money(money, true, t->at_risk_arr));
	fprintf(out, "- **Reach**: %ld customer%s who asked, %s ARR\n\n", t->customers,
		rp_s(t->customers), rp_money(money, true, t->arr));
	footer(out, as_of, flags, true);
	return 0;
}

/* ---- bug to QA --------------------------------------------------------------- */

/* "1. a 2. b" (or one per line) as a numbered list; else the text as it is. */
static void steps_list(FILE *out, const char *s)
{
	const char *p = s;
	int n = 0;

	while (*p) {
		const char *start, *end;
		char *num_end;
		long k = strtol(p, &num_end, 10);

		if (num_end == p || *num_end != '.' || k != n + 1)
			break;
		start = num_end + 1;
		while (*start == ' ')
			start++;
		/* up to the next " N+1." */
		end = start;
		for (;;) {
			end = strchr(end, ' ');
			if (!end)
				break;
			if (strtol(end + 1, &num_end, 10) == n + 2 && *num_end == '.' &&
			    num_end > end + 1)
				break;
			end++;
		}
		if (!end)
			end = start + strlen(start);
		fprintf(out, "%d. ", ++n);
		{
			char *step = strndup(start, (size_t)(end - start));

			rp_md(out, step ? step : "");
			free(step);
		}
		putc('\n', out);
		p = *end ? end + 1 : end;
	}
	if (!n) {
		rp_md(out, s);
		putc('\n', out);
	}
}

static int doc_bug(sqlite3 *db, const struct cs_report_env *env, const struct action *a,
		   const struct rp_theme *t, int32_t as_of, unsigned flags, FILE *out,
		   struct cs_diag *diag)
{
	const struct cs_report_cfg *c = &env->cfg;
	const char *rec = cs_report_text(c->recommend, c->nrecommend, "Bug Report");
	bool raise = t->customers >= c->bug_raise_customers || t->arr >= c->bug_raise_arr;
	int level = raise && t->worst_priority > 0 ? t->worst_priority - 1 : t->worst_priority;
	char money[40], pr[40];

	(void)db;
	(void)diag;
	snprintf(pr, sizeof(pr), "P%d (recommended)", level);
	header(out, "Bug Escalation", t->theme, a, env, as_of, pr, "triage");
	fputs("## Issue Description\n\n", out);
	fprintf(out, "%ld customer%s reported \"", t->customers, rp_s(t->customers));
	rp_md(out, t->theme);
	fprintf(out, "\" in %ld ticket%s between %s and %s.", t->tickets, rp_s(t->tickets),
		t->from, t->to);
	fputs(" How they describe it (the most frequent subjects):\n\n", out);
	subjects(out, t);
	features_named(out, t, "Features affected: ");
	fputs("## Customer Impact\n\n", out);
	fprintf(out, "- **Affected customers**: %ld\n", t->customers);
	if (t->usage_rows)
		fprintf(out, "- **Affected users**: %ld active users in their accounts\n", t->users);
	impact_lines(out, t, "Tickets");
	fputs("\n## Reproduction Steps\n\n", out);
	if (t->steps) {
		fputs("From ticket ", out);
		rp_md(out, t->steps_ticket[0] ? t->steps_ticket : "the newest one with steps");
		fputs(":\n\n", out);
		steps_list(out, t->steps);
		if (t->expected) {
			fputs("\n", out);
			rp_md(out, t->expected);
			putc('\n', out);
		}
	} else {
		fputs("No ticket gives steps to reproduce; ask the customers of the sample "
		      "tickets below.\n", out);
	}
	fputs("\n## Error Messages\n\n", out);
	if (t->error) {
		fputs("> ", out);
		rp_md(out, t->error);
		fputs("\n\n", out);
	} else {
		fputs("None quoted in the tickets.\n\n", out);
	}
	fputs("## Priority Recommendation\n\n", out);
	fprintf(out, "**P%d**. The tickets' highest priority is P%d (urgency × impact, seed "
		"002's matrix)", level, t->worst_priority);
	if (raise && level != t->worst_priority)
		fprintf(out, ", raised one level because %ld customers and %s ARR are affected "
			"(at least %d customers or %s)", t->customers, rp_money(money, true, t->arr),
			c->bug_raise_customers, rp_money(pr, true, c->bug_raise_arr));
	fputs(". ", out);
	rp_md(out, rec ? rec : "");
	fputs(".\n\n## Sample Tickets\n\n", out);
	for (int i = 0; i < t->nsamples; i++) {
		fputs("- ", out);
		rp_md(out, t->samples[i].id);
		fprintf(out, " (%s, customer_id ", t->samples[i].date);
		rp_md(out, t->samples[i].customer);
		fputs(")\n", out);
	}
	fputs("\n## Follow-up\n\n", out);
	fprintf(out, "Casey tracks this escalation (action #%ld) and tells the %ld affected "
		"customer%s when the fix ships.\n\n", a->e.id, t->customers, rp_s(t->customers));
	footer(out, as_of, flags, false);
	return 0;
}

/* ---- documentation gap ------------------------------------------------------ */

static int doc_docs(const struct cs_report_env *env, const struct action *a,
		    const struct rp_theme *t, int32_t as_of, unsigned flags, FILE *out)
{
	const struct cs_report_cfg *c = &env->cfg;
	const char *rec = cs_report_text(c->recommend, c->nrecommend, t->category);

	if (!rec)
		rec = cs_report_text(c->recommend, c->nrecommend, "default");
	header(out, "Documentation Gap", t->theme, a, env, as_of, NULL, "acknowledge and update");
	fputs("## Feature Area\n\n- **Topic**: ", out);
	rp_md(out, t->theme);
	fputs("\n- **Ticket category**: ", out);
	rp_md(out, t->category);
	fputs("\n", out);
	if (t->nfeatures) {
		fputs("- **Features**: ", out);
		for (int i = 0; i < t->nfeatures; i++) {
			fputs(i ? ", " : "", out);
			rp_md(out, t->features[i].name);
			fprintf(out, " (%ld ticket%s)", t->features[i].n, rp_s(t->features[i].n));
		}
		fputs("\n", out);
	}
	fputs("\n## Confusion Points\n\nWhat customers asked (the most frequent ticket "
	      "subjects):\n\n", out);
	subjects(out, t);
	fputs("In their words:\n\n", out);
	quotes(out, t);
	fputs("## Impact\n\n", out);
	impact_lines(out, t, "Tickets");
	fputs("\n## Suggested Improvements\n\n- ", out);
	rp_md(out, rec);
	fputs(".\n", out);
	if (t->nsubjects) {
		fputs("- Answer these questions in the article, in the customers' words: ", out);
		for (int i = 0; i < t->nsubjects && i < 3; i++) {
			fputs(i ? ", \"" : "\"", out);
			rp_md(out, t->subjects[i].text);
			putc('"', out);
		}
		fputs(".\n", out);
	}
	if (t->nfeatures) {
		fputs("- Link the article from the ", out);
		rp_md(out, t->features[0].name);
		fputs(" screen and from the onboarding steps that lead to it.\n", out);
	}
	fputs("- Add the remaining questions to the FAQ.\n\n## Verification\n\n", out);
	fprintf(out, "Once the docs are updated, Casey checks with the %ld customer%s who asked "
		"that the docs now answer their question (action #%ld).\n\n", t->customers,
		rp_s(t->customers), a->e.id);
	footer(out, as_of, flags, false);
	return 0;
}

/* ---- a theme of another category ------------------------------------------- */

static int doc_theme(const struct cs_report_env *env, const struct action *a,
		     const struct rp_theme *t, int32_t as_of, unsigned flags, FILE *out)
{
	const struct cs_report_cfg *c = &env->cfg;
	int cat = cs_category_find(t->category);
	const char *rec = cs_report_text(c->recommend, c->nrecommend, t->category);
	const char *route = cat >= 0 ? cs_routing_owner(env->tickets, cat) : "";

	if (!rec)
		rec = cs_report_text(c->recommend, c->nrecommend, "default");
	header(out, "Ticket Theme Escalation", t->theme, a, env, as_of, NULL, "acknowledge");
	fputs("## Theme\n\n- **Category**: ", out);
	rp_md(out, *t->category ? t->category : "uncategorised");
	if (*route) {
		fputs(" (routed to ", out);
		rp_md(out, route);
		putc(')', out);
	}
	fputs("\n\nThe most frequent subjects:\n\n", out);
	subjects(out, t);
	features_named(out, t, "Features named: ");
	fputs("## Impact\n\n", out);
	impact_lines(out, t, "Tickets");
	fputs("\n## Customer Quotes\n\n", out);
	quotes(out, t);
	fputs("## Recommendation\n\n", out);
	rp_md(out, rec);
	fputs(".\n\n", out);
	footer(out, as_of, flags, false);
	return 0;
}

/* ---- one customer: churn alert and at-risk escalation ---------------------- */

static void customer_table(FILE *out, const struct rp_customer *c, int32_t as_of)
{
	char money[40];
	int32_t d;

	fputs("| | |\n| --- | --- |\n| Customer | ", out);
	rp_md(out, c->name);
	fputs(" (", out);
	rp_md(out, c->id);
	fputs(") |\n| Segment, plan | ", out);
	rp_md(out, *c->segment ? c->segment : "-");
	fputs(", ", out);
	rp_md(out, *c->plan ? c->plan : "-");
	fprintf(out, " |\n| ARR | %s |\n| Health | ", rp_money(money, c->arr_known, c->arr));
	if (c->scored) {
		fprintf(out, "%d (%s) on %s", c->snap.score, c->snap.band, c->snap.as_of);
		if (c->snap.has_delta30)
			fprintf(out, ", %+d in 30 days (%s)", c->snap.delta30, c->snap.trend);
	} else {
		fputs("not scored", out);
	}
	/* one of the statuses the schema allows */
	fprintf(out, " |\n| Status | %s", c->status);
	if (c->exec)
		fputs(", executive escalation", out);
	fputs(" |\n| Renewal | ", out);
	if (c->renewal[0] && !cs_parse_day(c->renewal, &d))
		fprintf(out, "%s (in %d days)", c->renewal, d - as_of);
	else
		fputs("unknown", out);
	fputs(" |\n| CSM | ", out);
	rp_md(out, *c->csm ? c->csm : "none");
	fputs(" |\n| Last contact | ", out);
	if (c->has_metrics && c->m.m[M_DAYS_SINCE_CONTACT].present)
		fprintf(out, "%.0f days ago", c->m.m[M_DAYS_SINCE_CONTACT].value);
	else
		fputs("none on record", out);
	fputs(" |\n\n", out);
}

static void risk_factors(FILE *out, const struct cs_report_env *env, const struct rp_customer *c,
			 const struct action *a, const struct cs_anon *anon)
{
	char what[160], signals[600];
	bool any = false;
	int i;

	fputs("## Churn Risk Factors\n\n", out);
	/* the reasons of every open action on this customer, once each */
	signals[0] = '\0';
	rp_merge_reason(signals, sizeof(signals), a->reason);
	for (i = 0; i < c->nactions; i++)
		if (!strcmp(c->actions[i].kind, "immediate") ||
		    !strcmp(c->actions[i].kind, "churn_risk") ||
		    !strcmp(c->actions[i].kind, "at_risk"))
			rp_merge_reason(signals, sizeof(signals), c->actions[i].reason);
	fputs("- **Signals**: ", out);
	rp_md(out, signals);
	fputs("\n", out);
	for (i = 0; i < c->nweak; i++) {
		if (!any)
			fputs("- **Weakest measures** (health points they cost):\n", out);
		any = true;
		cs_report_describe(env, c->weak[i].comp, c->weak[i].name, c->weak[i].present,
				   c->weak[i].raw, what, sizeof(what));
		fprintf(out, "  - %s.%s: %.0f points (costs %.1f): ", c->weak[i].comp,
			c->weak[i].name, c->weak[i].points, c->weak[i].lost);
		rp_md(out, what);
		putc('\n', out);
	}
	if (c->has_usage) {
		fprintf(out, "- **Usage** (telemetry of %s): %ld of %ld seats active, %ld of %ld paid "
			"features used, %ld errors in 30 days", c->usage_date, c->active_users,
			c->seats, c->paid_used, c->paid_total, c->errors);
		if (c->has_metrics && c->m.m[M_USAGE_CHANGE_30D].present)
			fprintf(out, "; core actions %+.0f%% against 30 days ago",
				100 * c->m.m[M_USAGE_CHANGE_30D].value);
		fputs("\n", out);
	}
	fprintf(out, "- **Tickets**: %ld in 90 days, %ld open", c->tickets_90d, c->open_90d);
	if (c->ntickets) {
		char *q = rp_quote(anon, c->tickets[0].subject, 120);

		fprintf(out, "; latest %s: \"", c->tickets[0].date);
		rp_md(out, q ? q : "");
		fputs("\" (", out);
		rp_md(out, *c->tickets[0].category ? c->tickets[0].category : "uncategorised");
		putc(')', out);
		free(q);
	}
	fputs("\n", out);
	if (c->has_nps) {
		fprintf(out, "- **NPS**: %d (%s) on %s", c->nps_score, c->nps_score >= 9 ? "promoter" :
			c->nps_score >= 7 ? "passive" : "detractor", c->nps_date);
		if (c->nps_comment) {
			char *q = rp_quote(anon, c->nps_comment, env->cfg.quote_max);

			fputs(": \"", out);
			rp_md(out, q ? q : "");
			putc('"', out);
			free(q);
		}
		fputs("\n", out);
	}
	fputs("\n", out);
}

static void retention_actions(FILE *out, const struct cs_report_env *env,
			      const struct rp_customer *c)
{
	const struct cs_report_cfg *cfg = &env->cfg;
	const char *keys[6];
	int n = 0, i, step = 0;

	if (!strcmp(c->status, "cancel_requested"))
		keys[n++] = "cancel_requested";
	if (!strcmp(c->status, "downgrade_requested"))
		keys[n++] = "downgrade_requested";
	if (c->exec)
		keys[n++] = "executive_escalation";
	if (c->has_metrics && c->m.m[M_USAGE_CHANGE_30D].present &&
	    c->m.m[M_USAGE_CHANGE_30D].value < -env->rules.r[A_CHURN_RISK].usage_drop)
		keys[n++] = "usage_drop";
	if (c->scored && !strcmp(c->snap.band, "red"))
		keys[n++] = "red";
	if (!n)
		keys[n++] = "default";
	for (i = 0; i < n; i++) {
		const char *t = cs_report_text(cfg->retention, cfg->nretention, keys[i]);

		if (!t)
			continue;
		fprintf(out, "%d. ", ++step);
		rp_md(out, t);
		fputs("\n", out);
	}
	for (i = 0; i < c->nweak; i++) {
		const char *adv = rp_advice(&env->rules, c->weak[i].name);

		if (!adv)
			continue;
		fprintf(out, "%d. ", ++step);
		rp_md(out, adv);
		fprintf(out, " (%s.%s)\n", c->weak[i].comp, c->weak[i].name);
	}
	fputs("\n", out);
}

static void timeline(FILE *out, const struct cs_report_env *env, const struct action *a,
		     int32_t as_of)
{
	char first[11], week[11], month[11];

	day_after(as_of, due_hours(env, a->e.kind), first);
	cs_format_day(as_of + 7, week);
	cs_format_day(as_of + 30, month);
	fputs("## Timeline for Intervention\n\n", out);
	fprintf(out, "- **By %s**: first contact with the account's sponsor (CSM), Product "
		"informed\n", first);
	fprintf(out, "- **By %s**: retention plan agreed, owners and dates\n", week);
	fprintf(out, "- **On %s**: review: health, usage and the renewal outlook\n\n", month);
}

static int doc_customer(sqlite3 *db, const struct cs_report_env *env, const struct action *a,
			int32_t as_of, bool churn, unsigned flags, FILE *out, struct cs_diag *diag)
{
	struct rp_customer *c = malloc(sizeof(*c));
	struct cs_anon *anon;
	char money[40], what[160];
	int rc;

	if (!c)
		return cs_error(diag, "out of memory");
	rc = rp_customer_load(db, env, a->e.customer_id, as_of, c, diag);
	if (rc <= 0) {
		if (!rc)
			cs_error(diag, "action %ld: its customer '%s' is no longer in the database",
				 a->e.id, a->e.customer_id);
		free(c);
		return -1;
	}
	if (!(anon = rp_customer_anon(db, c, diag))) {
		rp_customer_free(c);
		free(c);
		return -1;
	}
	if (churn) {
		header(out, "Churn Alert", c->name, a, env, as_of, "Immediate", "act");
		fputs("## Summary\n\n", out);
		rp_md(out, c->name);
		fprintf(out, " (%s ARR) shows churn risk: ", rp_money(money, c->arr_known, c->arr));
		rp_md(out, a->reason);
		fputs(".\n\n", out);
		customer_table(out, c, as_of);
		risk_factors(out, env, c, a, anon);
		fputs("## Recommended Retention Actions\n\n", out);
		retention_actions(out, env, c);
		timeline(out, env, a, as_of);
		fputs("## Outcome Tracking\n\n", out);
		fprintf(out, "Casey tracks the outcome of this alert (action #%ld). When it is "
			"known:\n`casey action %ld resolved --outcome \"retained: ...\"` (or "
			"\"churned: ...\").\n\n", a->e.id, a->e.id);
	} else {
		header(out, "At-Risk Customer Escalation", c->name, a, env, as_of, "High",
		       "acknowledge");
		fputs("## Summary\n\n", out);
		fprintf(out, "**ARR at risk: %s.** ", rp_money(money, c->arr_known, c->arr));
		rp_md(out, c->name);
		fputs(" is at risk: ", out);
		rp_md(out, a->reason);
		fputs(".\n\n", out);
		customer_table(out, c, as_of);
		fputs("## Root Cause Analysis\n\nThe measures that cost the most health points:\n\n"
		      "| Measure | Points | Costs | What it is |\n| --- | --- | --- | --- |\n", out);
		for (int i = 0; i < c->nweak; i++) {
			cs_report_describe(env, c->weak[i].comp, c->weak[i].name, c->weak[i].present,
					   c->weak[i].raw, what, sizeof(what));
			fprintf(out, "| %s.%s | %.0f | %.1f | ", c->weak[i].comp, c->weak[i].name,
				c->weak[i].points, c->weak[i].lost);
			rp_md(out, what);
			fputs(" |\n", out);
		}
		if (!c->nweak)
			fputs("| none costs a point | | | |\n", out);
		fputs("\n", out);
		risk_factors(out, env, c, a, anon);
		fputs("## Recommended Actions\n\n", out);
		retention_actions(out, env, c);
		timeline(out, env, a, as_of);
	}
	footer(out, as_of, flags, false);
	cs_anon_free(anon);
	rp_customer_free(c);
	free(c);
	return 0;
}

/* ---- adoption gap ------------------------------------------------------------ */

static int doc_adoption(sqlite3 *db, const struct cs_report_env *env, const struct action *a,
			int32_t as_of, unsigned flags, FILE *out, struct cs_diag *diag)
{
	const char *fid = strchr(a->rule_key, ':');
	struct cs_adoption_report rep;
	const struct cs_adoption_feature *f = NULL;
	int i;

	if (cs_adoption_report(db, as_of, &env->analytics, NULL, &rep, diag))
		return -1;
	for (i = 0; fid && i < rep.nfeatures; i++)
		if (!strcmp(rep.features[i].feature_id, fid + 1))
			f = &rep.features[i];
	if (!f) {
		cs_adoption_report_free(&rep);
		return cs_error(diag, "action %ld: feature '%s' is no longer in the database",
				a->e.id, fid ? fid + 1 : a->rule_key);
	}
	header(out, "Feature Adoption Gap", f->name, a, env, as_of, NULL, "acknowledge");
	fputs("## Adoption\n\n", out);
	fputs("- **Feature**: ", out);
	rp_md(out, f->name);
	fputs(" (", out);
	rp_md(out, f->feature_id);
	fprintf(out, "), released %s, %d days ago\n", f->released_at[0] ? f->released_at : "?",
		f->days_since_release);
	fprintf(out, "- **Used by**: %ld of %ld active customers (%.1f%%); gap below %.0f%%, "
		"target %.0f%%\n", f->users, rep.active, f->pct, env->analytics.adoption_low_pct,
		env->analytics.adoption_target_pct);
	if (rep.banded)
		fprintf(out, "- **By health** (snapshot %s): %ld Green, %ld Yellow, %ld Red users\n",
			rep.snapshot_date, f->band_users[CS_ADOPT_GREEN],
			f->band_users[CS_ADOPT_YELLOW], f->band_users[CS_ADOPT_RED]);
	if (f->first_use_n)
		fprintf(out, "- **Time to first use**: median %.0f days (%ld users)\n",
			f->median_days, f->first_use_n);
	fprintf(out, "\n## Likely Cause\n\nTickets about it in the last %d days: %ld how-to or "
		"documentation, %ld usability, %ld other.\n\n",
		env->analytics.adoption_ticket_days, f->tickets_docs, f->tickets_usability,
		f->tickets_other);
	if (f->cause) {
		fputs("The likely cause is **", out);
		rp_md(out, f->cause);
		fputs("**; the intervention belongs to ", out);
		rp_md(out, f->owner ? f->owner : "");
		fputs(".\n\n", out);
	}
	fputs("## Recommended Interventions\n\n- Documentation (Thomas): a getting-started "
	      "article and in-app help\n- Usability (Dexter): review the first-use flow\n"
	      "- Awareness and positioning (Peter): announce it to the segments that would "
	      "benefit (`casey draft announce ", out);
	rp_md(out, f->feature_id);
	fputs("`)\n\n", out);
	footer(out, as_of, flags, false);
	cs_adoption_report_free(&rep);
	return 0;
}

/* ---- dispatch ------------------------------------------------------------------ */

static int write_doc(sqlite3 *db, const struct cs_report_env *env, const struct action *a,
		     int32_t as_of, unsigned flags, FILE *out, struct cs_diag *diag)
{
	enum doc d = doc_of(a);
	struct rp_theme *t = NULL;
	int rc = -1;

	if (d == D_NONE)
		return cs_error(diag, "action %ld is a %s action: it has no hand-off document "
				"(it is the CSM's own list in 'casey report weekly')", a->e.id,
				a->e.kind);
	if (d == D_CHECKIN)
		return cs_draft_checkin(db, env, a->e.customer_id, as_of, out, diag);
	switch (d) {
	case D_FEATURE:
	case D_BUG:
	case D_DOCS:
	case D_THEME:
		if (!(t = malloc(sizeof(*t)))) {
			cs_error(diag, "out of memory");
			break;
		}
		if (rp_theme_load(db, env, a->e.category, a->e.theme,
				  as_of - (window_days(env, a->e.kind) - 1), as_of, t, diag))
			break;
		if (!t->tickets) {
			cs_error(diag, "action %ld: no '%s' tickets about '%s' in the %d days to "
				 "--as-of any more", a->e.id, a->e.category, a->e.theme,
				 window_days(env, a->e.kind));
		} else if (d == D_FEATURE) {
			rc = doc_feature(db, env, a, t, as_of, flags, out, diag);
		} else if (d == D_BUG) {
			rc = doc_bug(db, env, a, t, as_of, flags, out, diag);
		} else if (d == D_DOCS) {
			rc = doc_docs(env, a, t, as_of, flags, out);
		} else {
			rc = doc_theme(env, a, t, as_of, flags, out);
		}
		rp_theme_free(t);
		break;
	case D_CHURN:
	case D_AT_RISK:
		rc = doc_customer(db, env, a, as_of, d == D_CHURN, flags, out, diag);
		break;
	case D_ADOPTION:
		rc = doc_adoption(db, env, a, as_of, flags, out, diag);
		break;
	default:
		break;
	}
	free(t);
	return rc;
}

int cs_escalation_write(sqlite3 *db, const struct cs_report_env *env, long id, int32_t as_of,
			unsigned flags, FILE *out, struct cs_diag *diag)
{
	struct action *a = malloc(sizeof(*a));
	int rc;

	if (!a)
		return cs_error(diag, "out of memory");
	rc = read_action(db, id, a, diag);
	rc = rc > 0 ? write_doc(db, env, a, as_of, flags, out, diag) : -1;
	free(a);
	return rc;
}

int cs_escalation_text(sqlite3 *db, const struct cs_report_env *env, long id, int32_t as_of,
		       unsigned flags, char **text, struct cs_diag *diag)
{
	size_t len = 0;
	FILE *mem;
	int rc;

	*text = NULL;
	mem = open_memstream(text, &len);
	if (!mem)
		return cs_error(diag, "out of memory");
	rc = cs_escalation_write(db, env, id, as_of, flags, mem, diag);
	if (fclose(mem) && !rc)
		rc = cs_error(diag, "out of memory");
	if (rc) {
		free(*text);
		*text = NULL;
	}
	return rc;
}

static int stored_document(sqlite3 *db, long id, char **text, struct cs_diag *diag)
{
	static const char sql[] = "SELECT document FROM actions WHERE action_id = ?1";
	sqlite3_stmt *st;
	int rc;

	*text = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the document");
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*text = strdup(rp_col(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading the document");
	return *text ? 0 : cs_error(diag, "out of memory");
}

int cs_escalation_prepare(sqlite3 *db, const struct cs_report_env *env, long id, int32_t as_of,
			  bool refresh, char **text, struct cs_diag *diag)
{
	static const char store[] =
		"UPDATE actions SET document = ?2,"
		"  status = CASE WHEN status = 'open' THEN 'draft' ELSE status END"
		" WHERE action_id = ?1";
	struct cs_escalation e;
	sqlite3_stmt *st;
	int rc;

	*text = NULL;
	rc = cs_escalation_get(db, id, &e, diag);
	if (rc <= 0)
		return -1;
	/* what was sent stays what was sent */
	if (!refresh && e.has_document && strcmp(e.status, "open") && strcmp(e.status, "draft"))
		return stored_document(db, id, text, diag);
	/* written before the write lock is taken: readers and writers wait less */
	if (cs_escalation_text(db, env, id, as_of, 0, text, diag))
		return -1;
	if (cs_db_begin(db, diag))
		goto fail;
	if (sqlite3_prepare_v2(db, store, -1, &st, NULL) != SQLITE_OK) {
		cs_db_error(db, diag, "storing the document");
		cs_db_rollback(db);
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, *text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cs_db_error(db, diag, "storing the document");
		cs_db_rollback(db);
		goto fail;
	}
	if (cs_db_commit(db, diag))
		goto fail;
	return 0;
fail:
	free(*text);
	*text = NULL;
	return -1;
}

/* ---- Peter's intake --------------------------------------------------------------- */

bool cs_intake_applies(const struct cs_casey_cfg *cfg, const char *kind)
{
	int k = kind_index(kind);

	return k >= 0 && cfg->intake_kind[k];
}

int cs_intake_argv(const struct cs_casey_cfg *cfg, const char *request, const char **argv)
{
	int n = 0;

	if (!cfg->command[0])
		return 0;
	argv[n++] = cfg->command;
	for (int i = 0; i < cfg->nargs; i++)
		argv[n++] = cfg->args[i];
	argv[n++] = request;
	argv[n] = NULL;
	return n;
}

static bool executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

int cs_intake_find(const struct cs_casey_cfg *cfg, char *buf, size_t size)
{
	const char *path = getenv("PATH"), *p;

	if (!cfg->command[0])
		return -1;
	if (strchr(cfg->command, '/')) {
		if ((size_t)snprintf(buf, size, "%s", cfg->command) >= size)
			return -1;
		return executable(buf) ? 0 : -1;
	}
	for (p = path ? path : ""; *p;) {
		size_t n = strcspn(p, ":");

		/* an empty entry (the current directory) is never searched */
		if (n && (size_t)snprintf(buf, size, "%.*s/%s", (int)n, p, cfg->command) < size &&
		    executable(buf))
			return 0;
		p += n + (p[n] == ':');
	}
	return -1;
}

int cs_intake_run(const struct cs_casey_cfg *cfg, const char *request,
		  struct cs_intake_result *r, struct cs_diag *diag)
{
	const char *argv[CS_INTAKE_ARGS + 3];
	char path[4096];
	size_t got = 0;
	int fds[2], status;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (!cs_intake_argv(cfg, request, argv))
		return cs_error(diag, "no intake command is configured (%s [intake] command)",
				cfg->path);
	if (cs_intake_find(cfg, path, sizeof(path)))
		return cs_error(diag, "intake command '%s' not found on PATH", cfg->command);
	if (pipe(fds))
		return cs_error(diag, "running %s: %s", cfg->command, strerror(errno));
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return cs_error(diag, "running %s: %s", cfg->command, strerror(errno));
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, STDIN_FILENO) < 0 || dup2(fds[1], STDOUT_FILENO) < 0 ||
		    dup2(fds[1], STDERR_FILENO) < 0)
			_exit(126);
		signal(SIGPIPE, SIG_DFL);
		execv(path, (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		char sink[512];
		ssize_t n;

		if (got + 1 < sizeof(r->output))
			n = read(fds[0], r->output + got, sizeof(r->output) - 1 - got);
		else
			n = read(fds[0], sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got + 1 < sizeof(r->output))
			got += (size_t)n;
	}
	r->output[got] = '\0';
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cs_error(diag, "waiting for %s: %s", cfg->command, strerror(errno));
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) :
		    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
	return 0;
}

void cs_shell_quote_argv(FILE *out, const char *const *argv)
{
	for (int i = 0; argv[i]; i++) {
		const char *s = argv[i];
		bool plain = *s != '\0';

		for (const char *p = s; *p && plain; p++)
			plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789_-./:=,+@%", *p) != NULL;
		if (i)
			putc(' ', out);
		if (plain) {
			fputs(s, out);
			continue;
		}
		putc('\'', out);
		for (; *s; s++) {
			if (*s == '\'')
				fputs("'\\''", out);
			else
				putc(*s, out);
		}
		putc('\'', out);
	}
	putc('\n', out);
}
