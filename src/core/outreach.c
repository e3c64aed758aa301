/*
 * outreach.c — check-in drafts, feature announcements, contact logging.
 * See outreach.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/outreach.h"
#include "casey/value.h"
#include "report_int.h"

/* The metric name behind a measure of the profile, or NULL. */
static const char *metric_of(const struct cs_report_env *env, const char *comp,
			     const char *measure)
{
	const struct cs_profile *p = &env->prof;

	for (int i = 0; i < p->nmeasures; i++)
		if (!strcmp(p->measures[i].name, measure) &&
		    !strcmp(p->comps[p->measures[i].component].name, comp))
			return cs_metric_names[p->measures[i].metric];
	return NULL;
}

static const char *checkin_text(const struct cs_report_env *env, const char *key)
{
	return cs_report_text(env->cfg.checkin, env->cfg.ncheckin, key);
}

/* "A, B and C" into buf. */
static void and_list(char *buf, size_t size, char (*items)[128], int n)
{
	size_t o = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s",
				      i == 0 ? "" : i == n - 1 ? " and " : ", ", items[i]);
}

static void line(FILE *out, const char *tmpl, const char *const *vars)
{
	rp_template(out, tmpl, vars, rp_plain);
	putc('\n', out);
}

int cs_draft_checkin(sqlite3 *db, const struct cs_report_env *env, const char *customer_id,
		     int32_t as_of, FILE *out, struct cs_diag *diag)
{
	struct rp_customer *c = malloc(sizeof(*c));
	struct cs_anon *anon = NULL;
	char active_days[16] = "few", users[16] = "?", seats[16] = "?", used[16] = "?",
	     total[16] = "?", tickets[16], nps[16] = "no", change[16] = "", unused[420];
	char *subject = NULL, *comment = NULL, what[160];
	const char *done[2] = { NULL, NULL };
	const char *csm;
	int rc, i, shown = 0;

	if (!c)
		return cs_error(diag, "out of memory");
	rc = rp_customer_load(db, env, customer_id, as_of, c, diag);
	if (rc <= 0) {
		if (!rc)
			cs_error(diag, "no customer '%s'", customer_id);
		free(c);
		return -1;
	}
	if (!(anon = rp_customer_anon(db, c, diag))) {
		rc = -1;
		goto out;
	}
	csm = *c->csm ? c->csm : "Your customer success team";
	if (c->has_metrics && c->m.m[M_ACTIVE_DAYS_30D].present)
		snprintf(active_days, sizeof(active_days), "%.0f", c->m.m[M_ACTIVE_DAYS_30D].value);
	if (c->has_usage) {
		snprintf(users, sizeof(users), "%ld", c->active_users);
		snprintf(seats, sizeof(seats), "%ld", c->seats);
		snprintf(used, sizeof(used), "%ld", c->paid_used);
		snprintf(total, sizeof(total), "%ld", c->paid_total);
	}
	snprintf(tickets, sizeof(tickets), "%ld", c->tickets_90d);
	if (c->has_nps)
		snprintf(nps, sizeof(nps), "%d", c->nps_score);
	if (c->has_metrics && c->m.m[M_USAGE_CHANGE_30D].present)
		snprintf(change, sizeof(change), "%.0f%%", -100 * c->m.m[M_USAGE_CHANGE_30D].value);
	if (c->nunused)
		and_list(unused, sizeof(unused), c->unused, c->nunused);
	else
		snprintf(unused, sizeof(unused), "The features you have not tried yet");
	/* the recent ticket to mention: the newest frustrated or angry one, else the newest */
	for (i = 0; i < c->ntickets && !subject; i++)
		if (!strcmp(c->tickets[i].sentiment, "frustrated") ||
		    !strcmp(c->tickets[i].sentiment, "angry"))
			subject = rp_quote(anon, c->tickets[i].subject, 120);
	if (!subject && c->ntickets)
		subject = rp_quote(anon, c->tickets[0].subject, 120);
	{
		const char *const vars[] = {
			"customer", c->name, "csm", csm, "active_days", active_days,
			"active_users", users, "seats", seats, "features_used", used,
			"features_total", total, "unused_features", unused, "tickets", tickets,
			"ticket_subject", subject ? subject : "", "nps", nps,
			"usage_change", change, "plan", c->plan, NULL,
		};

		fputs("To: ", out);
		rp_plain(out, c->name);
		fputs(" (", out);
		rp_plain(out, c->id);
		fputs(")", out);
		if (*c->segment) {
			fputs(", ", out);
			rp_plain(out, c->segment);
		}
		if (*c->plan) {
			fputs(", plan ", out);
			rp_plain(out, c->plan);
		}
		fputs("\nFrom: ", out);
		rp_plain(out, csm);
		fputs("\nSubject: ", out);
		line(out, checkin_text(env, "subject"), vars);
		putc('\n', out);
		line(out, checkin_text(env, "greeting"), vars);
		putc('\n', out);
		line(out, checkin_text(env, "opening"), vars);
		for (i = 0; i < c->nweak && shown < 2; i++) {
			const char *metric = metric_of(env, c->weak[i].comp, c->weak[i].name);
			const char *t = metric ? checkin_text(env, metric) : NULL;

			if (!t)
				t = checkin_text(env, "default");
			if (t == done[0])
				continue;
			putc('\n', out);
			line(out, t, vars);
			done[shown++] = t;
		}
		if (!shown) {
			putc('\n', out);
			line(out, checkin_text(env, "default"), vars);
		}
		putc('\n', out);
		line(out, checkin_text(env, "closing"), vars);
		putc('\n', out);
		line(out, checkin_text(env, "signature"), vars);
	}

	fputs("\n-----------------------------------------------------------------------\n"
	      "Talking points (for the CSM, not for sending)\n\n", out);
	fputs("- Why now: ", out);
	if (c->scored) {
		fprintf(out, "%s (%d)", c->snap.band, c->snap.score);
		if (c->snap.has_delta30)
			fprintf(out, ", %+d in 30 days", c->snap.delta30);
	} else {
		fputs("not scored", out);
	}
	if (c->has_metrics && c->m.m[M_DAYS_SINCE_CONTACT].present)
		fprintf(out, "; last contact %.0f days ago", c->m.m[M_DAYS_SINCE_CONTACT].value);
	else
		fputs("; no contact on record", out);
	for (i = 0; i < c->nactions; i++)
		if (!strcmp(c->actions[i].kind, "check_in"))
			fprintf(out, " (check-in action #%ld, due %s%s)", c->actions[i].id,
				c->actions[i].due, c->actions[i].overdue ? ", overdue" : "");
	fputs("\n", out);
	if (c->nweak)
		fputs("- Weakest measures (health points they cost):\n", out);
	for (i = 0; i < c->nweak; i++) {
		cs_report_describe(env, c->weak[i].comp, c->weak[i].name, c->weak[i].present,
				   c->weak[i].raw, what, sizeof(what));
		fprintf(out, "  - %s.%s: %.0f points (costs %.1f): %s\n", c->weak[i].comp,
			c->weak[i].name, c->weak[i].points, c->weak[i].lost, what);
	}
	if (c->has_usage) {
		fprintf(out, "- Usage (telemetry of %s): %ld of %ld seats active, %ld of %ld paid "
			"features used, %ld errors in 30 days", c->usage_date, c->active_users,
			c->seats, c->paid_used, c->paid_total, c->errors);
		if (*change)
			fprintf(out, ", core actions %+.0f%% against 30 days ago",
				100 * c->m.m[M_USAGE_CHANGE_30D].value);
		fputs("\n", out);
	} else {
		fputs("- Usage: no telemetry on or before the day\n", out);
	}
	fprintf(out, "- Tickets in 90 days: %ld (%ld open)\n", c->tickets_90d, c->open_90d);
	for (i = 0; i < c->ntickets; i++) {
		char *q = rp_quote(anon, c->tickets[i].subject, 120);

		fprintf(out, "  - %s ", c->tickets[i].date);
		rp_plain(out, c->tickets[i].id);
		fputs(" \"", out);
		rp_plain(out, q ? q : "");
		fputs("\" (", out);
		rp_plain(out, *c->tickets[i].category ? c->tickets[i].category : "uncategorised");
		if (*c->tickets[i].status) {
			fputs(", ", out);
			rp_plain(out, c->tickets[i].status);
		}
		if (*c->tickets[i].sentiment) {
			fputs(", ", out);
			rp_plain(out, c->tickets[i].sentiment);
		}
		fputs(")\n", out);
		free(q);
	}
	if (c->has_nps) {
		fprintf(out, "- NPS: %d (%s) on %s", c->nps_score, c->nps_score >= 9 ? "promoter" :
			c->nps_score >= 7 ? "passive" : "detractor", c->nps_date);
		if (c->nps_comment && (comment = rp_quote(anon, c->nps_comment, env->cfg.quote_max))) {
			fputs(": \"", out);
			rp_plain(out, comment);
			putc('"', out);
		}
		fputs("\n", out);
	} else {
		fputs("- NPS: no answer in 180 days\n", out);
	}
	if (c->nunused) {
		fputs("- Opportunities: paid features not used yet: ", out);
		rp_plain(out, unused);
		fputs("\n", out);
	}
	fputs("- Objectives: first understand ", out);
	if (c->nweak) {
		cs_report_describe(env, c->weak[0].comp, c->weak[0].name, c->weak[0].present,
				   c->weak[0].raw, what, sizeof(what));
		fprintf(out, "the weakest measure (%s.%s: %s)", c->weak[0].comp, c->weak[0].name,
			what);
	} else {
		fputs("how things are going", out);
	}
	fputs("; then discover opportunities (unused features, more seats)\n", out);
	fputs("- Afterwards: log it, escalate what needs it, schedule the follow-up:\n"
	      "  casey contact ", out);
	rp_plain(out, c->id);
	fputs(" --channel email --responded yes --note \"...\"\n", out);
	rc = 0;
out:
	free(subject);
	free(comment);
	cs_anon_free(anon);
	rp_customer_free(c);
	free(c);
	return rc;
}

/* ---- feature announcements --------------------------------------------------- */

#define ANNOUNCE_TOP 10
#define ANNOUNCE_SEGMENTS 16

struct who_row {
	char id[201], name[256], segment[64], band[8];
	bool arr_known;
	double arr;
	long n;
};

static void who_line(FILE *out, const struct who_row *w, const char *what)
{
	char money[40];

	fputs("  - ", out);
	rp_plain(out, w->name);
	fputs(" (", out);
	rp_plain(out, w->id);
	fputs("), ", out);
	rp_plain(out, *w->segment ? w->segment : "unsegmented");
	fprintf(out, ", %s", rp_money(money, w->arr_known, w->arr));
	if (*w->band)
		fprintf(out, ", %s", w->band);
	if (what)
		fprintf(out, ", %ld %s%s", w->n, what, rp_s(w->n));
	fputs("\n", out);
}

static void fill_who(struct who_row *w, sqlite3_stmt *st)
{
	snprintf(w->id, sizeof(w->id), "%s", rp_col(st, 0));
	snprintf(w->name, sizeof(w->name), "%s", rp_col(st, 1));
	snprintf(w->segment, sizeof(w->segment), "%s", rp_col(st, 2));
	w->arr_known = sqlite3_column_type(st, 3) != SQLITE_NULL;
	w->arr = sqlite3_column_double(st, 3);
	snprintf(w->band, sizeof(w->band), "%s", rp_col(st, 4));
}

int cs_draft_announce(sqlite3 *db, const struct cs_report_env *env, const char *feature_id,
		      int32_t as_of, FILE *out, struct cs_diag *diag)
{
	static const char feature_sql[] =
		"SELECT name, coalesce(released_at, ''), paid FROM features WHERE feature_id = ?1";
	/* customers whose tickets name the feature: requests, and the others */
	static const char asked_sql[] =
		"SELECT c.customer_id, c.name, coalesce(c.segment, ''), c.arr,"
		"       coalesce(s.band, ''),"
		"       count(*) FILTER (WHERE t.category = 'Feature Request'),"
		"       count(*) FILTER (WHERE coalesce(t.category, '') <> 'Feature Request')"
		"  FROM tickets t JOIN customers c ON c.customer_id = t.customer_id"
		"  LEFT JOIN snapshots s ON s.profile = ?4 AND s.as_of = ?5"
		"       AND s.customer_id = c.customer_id"
		" WHERE t.feature = ?1 AND t.created_at >= ?2 AND t.created_at < ?3"
		"   AND c.status <> 'churned'"
		" GROUP BY c.customer_id"
		" ORDER BY c.arr DESC, c.customer_id";
	static const char segment_sql[] =
		"SELECT coalesce(c.segment, ''), count(*),"
		"       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM feature_usage u"
		"           WHERE u.customer_id = c.customer_id AND u.feature_id = ?1"
		"             AND (u.first_used_at IS NULL OR u.first_used_at <= ?2)"
		"             AND coalesce(u.uses, 1) <> 0))"
		"  FROM customers c WHERE c.status <> 'churned'"
		"   AND (c.created_at IS NULL OR c.created_at <= ?2)"
		" GROUP BY 1 ORDER BY 2 DESC, 1";
	static const char nonuser_sql[] =
		"SELECT c.customer_id, c.name, coalesce(c.segment, ''), c.arr,"
		"       coalesce(s.band, '')"
		"  FROM customers c LEFT JOIN snapshots s ON s.profile = ?3 AND s.as_of = ?4"
		"       AND s.customer_id = c.customer_id"
		" WHERE c.status <> 'churned' AND (c.created_at IS NULL OR c.created_at <= ?2)"
		"   AND NOT EXISTS (SELECT 1 FROM feature_usage u"
		"           WHERE u.customer_id = c.customer_id AND u.feature_id = ?1"
		"             AND (u.first_used_at IS NULL OR u.first_used_at <= ?2)"
		"             AND coalesce(u.uses, 1) <> 0)"
		" ORDER BY c.arr DESC, c.customer_id DESC LIMIT ?5";
	static const char docs_sql[] =
		"SELECT coalesce(subject, ''), count(*) FROM tickets"
		" WHERE feature = ?1 AND created_at >= ?2 AND created_at < ?3"
		"   AND category IN ('How-To Question', 'Documentation Gap')"
		" GROUP BY lower(subject) ORDER BY 2 DESC, 1 LIMIT 3";
	const struct cs_report_cfg *cfg = &env->cfg;
	struct who_row top[ANNOUNCE_TOP];
	struct { char name[64]; long active, nonusers; } seg[ANNOUNCE_SEGMENTS];
	char name[128] = "", released[11] = "", day[11], next[11], from[11], from90[11];
	char snap[11] = "", money[40], *asked_about[3] = { NULL, NULL, NULL };
	int asked_n[3] = { 0, 0, 0 };
	long asked = 0, struggled = 0, docs = 0;
	double asked_arr = 0;
	int ntop = 0, nseg = 0, paid = -1, rc, i;
	struct cs_anon *anon = NULL;
	sqlite3_stmt *st;

	cs_format_day(as_of, day);
	cs_format_day(as_of + 1, next);
	cs_format_day(as_of - (env->casey.retention_days - 1), from);
	cs_format_day(as_of - 89, from90);
	if (sqlite3_prepare_v2(db, feature_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the feature");
	sqlite3_bind_text(st, 1, feature_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(name, sizeof(name), "%s", rp_col(st, 0));
		snprintf(released, sizeof(released), "%.10s", rp_col(st, 1));
		paid = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no feature '%s'", feature_id);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading the feature");
	if (cs_snapshot_latest_date(db, env->profile, as_of, snap, diag) < 0)
		return -1;

	fputs("Feature announcement: ", out);
	rp_plain(out, name);
	fputs(" (", out);
	rp_plain(out, feature_id);
	fputs(")\n", out);
	if (*released) {
		int32_t r = 0;

		cs_parse_day(released, &r);
		fprintf(out, "Released %s (%d days before %s)", released, as_of - r, day);
	} else {
		fputs("Release date unknown", out);
	}
	fprintf(out, ", %s.\n\nWho would benefit\n\n", paid == 1 ? "a paid feature" :
		paid == 0 ? "included in every plan" : "plan unknown");

	/* 1. asked for it, or struggled with it */
	if (sqlite3_prepare_v2(db, asked_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the requests");
	sqlite3_bind_text(st, 1, feature_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, next, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, snap, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long fr = sqlite3_column_int(st, 5);

		if (!fr) {
			struggled++;
			continue;
		}
		asked++;
		asked_arr += sqlite3_column_double(st, 3);
		if (ntop < ANNOUNCE_TOP) {
			fill_who(&top[ntop], st);
			top[ntop++].n = fr;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the requests");
	fprintf(out, "- Asked for it: %ld customer%s (Feature Request tickets naming it in the "
		"last %d days), %s ARR\n", asked, rp_s(asked), env->casey.retention_days,
		rp_money(money, true, asked_arr));
	for (i = 0; i < ntop; i++)
		who_line(out, &top[i], "request");
	if (asked > ntop)
		fprintf(out, "  - … and %ld more\n", asked - ntop);
	fprintf(out, "- Struggled with it: %ld more customer%s filed other tickets about it "
		"(how-to, usability, bugs): tell them what changed\n", struggled, rp_s(struggled));

	/* 2. not using it yet, by segment */
	if (sqlite3_prepare_v2(db, segment_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading feature use");
	sqlite3_bind_text(st, 1, feature_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && nseg < ANNOUNCE_SEGMENTS) {
		snprintf(seg[nseg].name, sizeof(seg[0].name), "%s", rp_col(st, 0));
		seg[nseg].active = (long)sqlite3_column_int64(st, 1);
		seg[nseg++].nonusers = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading feature use");
	fputs("- Not using it yet, by segment (active customers):\n", out);
	for (i = 0; i < nseg; i++) {
		fputs("  - ", out);
		rp_plain(out, *seg[i].name ? seg[i].name : "unsegmented");
		fprintf(out, ": %ld of %ld (%.0f%%)\n", seg[i].nonusers, seg[i].active,
			rp_pct((double)seg[i].nonusers, (double)seg[i].active));
	}
	if (sqlite3_prepare_v2(db, nonuser_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading feature use");
	sqlite3_bind_text(st, 1, feature_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, snap, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, ANNOUNCE_TOP);
	fputs("- Largest accounts not using it (reach out personally):\n", out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct who_row w;

		fill_who(&w, st);
		who_line(out, &w, NULL);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading feature use");

	/* 3. a draft per segment, and one for those who asked */
	{
		const char *const vars[] = { "feature", name, "released", released, NULL };
		const char *subject = cs_report_text(cfg->announce, cfg->nannounce, "subject");

		fputs("\nDrafts\n", out);
		for (i = 0; i < nseg; i++) {
			const char *t = cs_report_text(cfg->announce, cfg->nannounce, seg[i].name);

			if (!t)
				t = cs_report_text(cfg->announce, cfg->nannounce, "default");
			fputs("\n=== ", out);
			rp_plain(out, *seg[i].name ? seg[i].name : "unsegmented");
			fprintf(out, " (%ld not using it yet) ===\nSubject: ", seg[i].nonusers);
			line(out, subject, vars);
			putc('\n', out);
			line(out, t, vars);
		}
		if (asked) {
			fprintf(out, "\n=== The %ld customer%s who asked for it ({customer}: their "
				"name) ===\nSubject: ", asked, rp_s(asked));
			line(out, subject, vars);
			putc('\n', out);
			line(out, cs_report_text(cfg->announce, cfg->nannounce, "requested"), vars);
		}
	}

	/* 4. docs with Thomas: what customers asked about it lately */
	if (sqlite3_prepare_v2(db, docs_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	sqlite3_bind_text(st, 1, feature_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from90, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, next, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && docs < 3) {
		asked_about[docs] = strdup(rp_col(st, 0));
		asked_n[docs++] = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		rc = cs_db_error(db, diag, "reading tickets");
	else if (!(anon = rp_anon_for(db, (const char *const *)asked_about, (int)docs, diag)))
		rc = -1;
	else
		rc = 0;
	fputs("\nSupporting documentation (with Thomas, Docs)\n\n", out);
	for (i = 0; !rc && i < docs; i++) {
		char *q = rp_quote(anon, asked_about[i] ? asked_about[i] : "", 120);

		if (!i)
			fputs("- Before announcing, confirm with Thomas that the help article answers "
			      "what customers asked in the last 90 days:\n", out);
		fputs("  - \"", out);
		rp_plain(out, q ? q : "");
		fprintf(out, "\" (%d ticket%s)\n", asked_n[i], rp_s(asked_n[i]));
		free(q);
	}
	for (i = 0; i < docs; i++)
		free(asked_about[i]);
	cs_anon_free(anon);
	if (rc)
		return -1;
	if (!docs)
		fputs("- No how-to or documentation tickets about it in the last 90 days; still "
		      "confirm with Thomas that its help article is published.\n", out);
	fputs("- Record the announcement on the release checklist (item 1, Customer "
	      "Communication; item 11, Customer Segmentation).\n", out);
	return 0;
}

char *cs_draft_text(sqlite3 *db, const struct cs_report_env *env, enum cs_draft_kind kind,
		    const char *id, int32_t as_of, struct cs_diag *diag)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc;

	if (!mem) {
		cs_error(diag, "out of memory");
		return NULL;
	}
	rc = kind == CS_DRAFT_CHECKIN ? cs_draft_checkin(db, env, id, as_of, mem, diag) :
	     cs_draft_announce(db, env, id, as_of, mem, diag);
	if (fclose(mem) && !rc)
		rc = cs_error(diag, "out of memory");
	if (rc) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- logging a contact ------------------------------------------------------ */

int cs_contact_log(sqlite3 *db, const struct cs_contact *c, long *resolved,
		   struct cs_diag *diag)
{
	static const char exists_sql[] = "SELECT 1 FROM customers WHERE customer_id = ?1";
	static const char count_sql[] =
		"SELECT count(*) FROM outreach WHERE customer_id = ?1"
		"   AND substr(outreach_key, 1, length(?2)) = ?2";
	static const char insert_sql[] =
		"INSERT INTO outreach (outreach_key, customer_id, date, channel, responded, note)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	static const char find_sql[] =
		"SELECT action_id FROM actions WHERE customer_id = ?1 AND kind = 'check_in'"
		"   AND status IN ('open', 'draft', 'sent', 'acknowledged')"
		" ORDER BY action_id DESC LIMIT 1";
	static const char resolve_sql[] =
		"UPDATE actions SET status = 'resolved', resolved_at = ?2, outcome = ?3"
		" WHERE action_id = ?1";
	char day[11], prefix[260], key[280], outcome[300];
	sqlite3_stmt *st = NULL;
	long n = 0, action = 0;
	int rc;

	if (resolved)
		*resolved = 0;
	cs_format_day(c->date, day);
	if (cs_db_begin(db, diag))
		return -1;
	if (sqlite3_prepare_v2(db, exists_sql, -1, &st, NULL) != SQLITE_OK)
		goto db_fail;
	sqlite3_bind_text(st, 1, c->customer_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) {
		cs_error(diag, "no customer '%s'", c->customer_id);
		goto fail;
	}
	if (rc != SQLITE_ROW)
		goto db_fail;
	snprintf(prefix, sizeof(prefix), "casey:%s:%s:", c->customer_id, day);
	if (sqlite3_prepare_v2(db, count_sql, -1, &st, NULL) != SQLITE_OK)
		goto db_fail;
	sqlite3_bind_text(st, 1, c->customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, prefix, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	snprintf(key, sizeof(key), "%s%ld", prefix, n + 1);
	if (sqlite3_prepare_v2(db, insert_sql, -1, &st, NULL) != SQLITE_OK)
		goto db_fail;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, c->channel, -1, SQLITE_STATIC);
	if (c->responded >= 0)
		sqlite3_bind_int(st, 5, c->responded);
	if (c->note)
		sqlite3_bind_text(st, 6, c->note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto db_fail;
	if (sqlite3_prepare_v2(db, find_sql, -1, &st, NULL) != SQLITE_OK)
		goto db_fail;
	sqlite3_bind_text(st, 1, c->customer_id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		action = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (action) {
		snprintf(outcome, sizeof(outcome), "contacted by %.64s on %s%s", c->channel, day,
			 c->responded > 0 ? ", responded" : c->responded == 0 ? ", no response yet" :
			 "");
		if (sqlite3_prepare_v2(db, resolve_sql, -1, &st, NULL) != SQLITE_OK)
			goto db_fail;
		sqlite3_bind_int64(st, 1, action);
		sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, outcome, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			goto db_fail;
	}
	if (cs_db_commit(db, diag))
		return -1;
	if (resolved)
		*resolved = action;
	return 0;
db_fail:
	cs_db_error(db, diag, "logging the contact");
fail:
	cs_db_rollback(db);
	return -1;
}
