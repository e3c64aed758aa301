/*
 * report_data.c — gathering the weekly report's figures. See
 * report_weekly.h for the approach: aggregates in SQL, top N only, the
 * actions read once.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/value.h"
#include "report_weekly.h"

static const char *const statuses[6] = {
	"open", "draft", "sent", "acknowledged", "resolved", "dismissed",
};

static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct cs_diag *diag,
		const char *what)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, what);
	return 0;
}

/* Finalize st; 0 when the last step was SQLITE_DONE, else the error reported. */
static int done(sqlite3 *db, sqlite3_stmt *st, int rc, struct cs_diag *diag, const char *what)
{
	int ret = rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, what);

	sqlite3_finalize(st);
	return ret;
}

static int kind_index(const char *kind)
{
	for (int k = 0; k < A_KIND_COUNT; k++)
		if (!strcmp(cs_action_names[k], kind))
			return k;
	return -1;
}

/* ---- tickets of the week ---------------------------------------------------- */


/*
 * Copy src into dst (size bytes), cut if need be. snprintf("%s") would do,
 * but gcc -O1 cannot tell two members of one struct apart and warns
 * (-Wrestrict) about an overlap that cannot happen.
 */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memmove(dst, src, n);
	dst[n] = '\0';
}

struct theme_ctx {
	struct weekly *w;
	const struct cs_report_env *env;
};

static int add_theme(void *ctx, const struct cs_theme *t)
{
	struct theme_ctx *tc = ctx;
	struct weekly *w = tc->w;
	const struct cs_rule_cfg *c = &tc->env->rules.r[A_THEME];
	struct theme_row *r;

	if (w->nthemes == tc->env->cfg.themes_analysis)
		return 1;
	r = &w->themes[w->nthemes++];
	snprintf(r->category, sizeof(r->category), "%s", t->category);
	snprintf(r->theme, sizeof(r->theme), "%s", t->theme);
	r->tickets = t->tickets;
	r->customers = t->customers;
	r->arr = t->arr;
	r->escalate = c->enabled && (t->tickets >= c->min_tickets || t->arr >= c->arr_at_least);
	return 0;
}

static int category_index(const char *name)
{
	int c = *name ? cs_category_find(name) : -1;

	return c < 0 ? CAT_COUNT : c;
}

static int gather_tickets(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
			  struct cs_diag *diag)
{
	/* the two weeks in one pass: per category, and last week's themes */
	static const char weeks_sql[] =
		"SELECT coalesce(category, ''), coalesce(theme, ''), created_at >= ?2, count(*)"
		"  FROM tickets WHERE created_at >= ?1 AND created_at < ?3 GROUP BY 1, 2, 3";
	static const char t30_sql[] =
		"SELECT count(*) FROM tickets WHERE created_at >= ?1 AND created_at < ?2";
	struct theme_ctx tc = { .w = w, .env = env };
	char prev[11], week[11], month[11];
	sqlite3_stmt *st;
	int rc, i;

	cs_format_day(w->as_of - (2 * RP_WEEK - 1), prev);
	cs_format_day(w->as_of - (RP_WEEK - 1), week);
	cs_format_day(w->as_of - (RP_MONTH - 1), month);
	if (env->cfg.themes_analysis <= w->sum.nthemes || w->sum.nthemes < CS_SUMMARY_THEMES) {
		/* the summary has read them already (the same week, by ARR) */
		for (i = 0; i < w->sum.nthemes && i < env->cfg.themes_analysis; i++) {
			struct theme_row *r = &w->themes[w->nthemes++];

			copy_str(r->category, sizeof(r->category), w->sum.themes[i].category);
			copy_str(r->theme, sizeof(r->theme), w->sum.themes[i].theme);
			r->tickets = w->sum.themes[i].tickets;
			r->customers = w->sum.themes[i].customers;
			r->arr = w->sum.themes[i].arr;
			r->escalate = w->sum.themes[i].escalate;
		}
	} else if (cs_themes(db, w->as_of - (RP_WEEK - 1), w->as_of, add_theme, &tc, diag) < 0) {
		return -1;
	}
	if (prep(db, weeks_sql, &st, diag, "counting tickets"))
		return -1;
	sqlite3_bind_text(st, 1, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, week, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->next, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int c = category_index(rp_col(st, 0));
		long n = (long)sqlite3_column_int64(st, 3);

		if (sqlite3_column_int(st, 2)) {
			w->cat_now[c] += n;
			w->week_tickets += n;
			continue;
		}
		w->cat_prev[c] += n;
		w->prev_tickets += n;
		for (i = 0; i < w->nthemes; i++)
			if (!strcmp(w->themes[i].category, rp_col(st, 0)) &&
			    !strcmp(w->themes[i].theme, rp_col(st, 1)))
				w->themes[i].last_week = n;
	}
	if (done(db, st, rc, diag, "counting tickets"))
		return -1;
	if (prep(db, t30_sql, &st, diag, "counting tickets"))
		return -1;
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->next, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		w->tickets30 = (long)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	return done(db, st, rc, diag, "counting tickets");
}

/* ---- the actions, read once ------------------------------------------------- */

/* One listed customer: its record, snapshot and open alerts. */
static int risk_details(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
			struct risk_row *r, struct cs_diag *diag)
{
	static const char cust_sql[] =
		"SELECT c.name, coalesce(c.segment, ''), s.score, coalesce(s.band, ''), s.delta30,"
		"       s.components, s.measures,"
		"       (SELECT layout FROM snapshot_stats WHERE profile = ?2 AND as_of = ?3)"
		"  FROM customers c LEFT JOIN snapshots s ON s.profile = ?2 AND s.as_of = ?3"
		"       AND s.customer_id = c.customer_id"
		" WHERE c.customer_id = ?1";
	static const char actions_sql[] =
		"SELECT action_id, kind, status, coalesce(substr(due_at, 1, 10), ''), reason,"
		"       due_at < ?3 AND status IN ('open','draft','sent')"
		"  FROM actions WHERE customer_id = ?1 AND created_at <= ?2"
		"   AND kind IN ('immediate', 'churn_risk', 'at_risk')"
		"   AND status NOT IN ('resolved', 'dismissed')"
		" ORDER BY kind = 'at_risk', kind = 'churn_risk', action_id";
	sqlite3_stmt *st;
	int rc, n = 0;

	if (prep(db, cust_sql, &st, diag, "reading the customers at risk"))
		return -1;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->sum.now.scored ? w->sum.now.date : "", -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(r->name, sizeof(r->name), "%s", rp_col(st, 0));
		snprintf(r->segment, sizeof(r->segment), "%s", rp_col(st, 1));
		r->scored = sqlite3_column_type(st, 2) != SQLITE_NULL;
		r->score = sqlite3_column_int(st, 2);
		snprintf(r->band, sizeof(r->band), "%s", rp_col(st, 3));
		r->has_delta = sqlite3_column_type(st, 4) != SQLITE_NULL;
		r->delta = sqlite3_column_int(st, 4);
		if (r->scored) {
			struct cs_snapshot s;

			memset(&s, 0, sizeof(s));
			cs_snapshot_decode(&s, rp_col(st, 7), rp_col(st, 5), rp_col(st, 6));
			cs_snapshot_weakest(&s, r->cause, sizeof(r->cause));
		}
		rc = SQLITE_DONE;
	}
	if (done(db, st, rc, diag, "reading the customers at risk"))
		return -1;
	if (prep(db, actions_sql, &st, diag, "reading actions"))
		return -1;
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->next, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rp_merge_reason(r->why, sizeof(r->why), rp_col(st, 4));
		if (!n++)
			snprintf(r->esc, sizeof(r->esc), "#%lld %s %s, due %s",
				 (long long)sqlite3_column_int64(st, 0), rp_col(st, 1),
				 rp_col(st, 2), rp_col(st, 3));
		r->overdue |= sqlite3_column_int(st, 5) != 0;
	}
	if (n > 1) {
		size_t len = strlen(r->esc);

		snprintf(r->esc + len, sizeof(r->esc) - len, " (+%d)", n - 1);
	}
	return done(db, st, rc, diag, "reading actions");
}

/* A hand-off worth following up, before its details are read. */
struct follow_key {
	long id;
	bool late, closed;
	char due[20];
};

/* Overdue first, then open before closed, then by due time and id. */
static bool follow_before(const struct follow_key *a, const struct follow_key *b)
{
	int c;

	if (a->late != b->late)
		return a->late;
	if (a->closed != b->closed)
		return !a->closed;
	if ((c = strcmp(a->due, b->due)))
		return c < 0;
	return a->id < b->id;
}

struct outcome_key {
	long id;
	char date[11];
};

/* A customer with open at-risk, churn-risk or 24-hour alerts. */
struct risk_cust {
	char *id;		/* NULL: an empty slot */
	bool arr_known, imm, churn, late;
	double arr;
};

/* What a pass over the actions collects (w holds the totals). */
struct pass {
	struct weekly *w;
	const struct cs_report_env *env;
	int max_risk, max_follow;
	/* the customers needing action: open addressing on a hash of the id */
	struct risk_cust *slots;
	size_t cap, used;
	/* customers whose churn alert cleared itself in 30 days: the same, no flags */
	struct risk_cust *cleared;
	size_t ccap, cused;
	int nfollow;
	struct follow_key follow[CS_REPORT_MAX_ROWS];
	int noutcomes;
	struct outcome_key outcomes[CS_REPORT_MAX_INSIGHTS];
};

static uint64_t hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot of id in a table (inserted when new), or NULL when out of memory. */
static struct risk_cust *slot_of(struct risk_cust **tab, size_t *cap, size_t *used,
				 const char *id)
{
	size_t i;

	if ((*used + 1) * 2 > *cap) {
		size_t ncap = *cap ? 2 * *cap : 1024;
		struct risk_cust *n = calloc(ncap, sizeof(*n));

		if (!n)
			return NULL;
		for (size_t k = 0; k < *cap; k++) {
			if (!(*tab)[k].id)
				continue;
			for (i = hash_id((*tab)[k].id) & (ncap - 1); n[i].id; i = (i + 1) & (ncap - 1))
				;
			n[i] = (*tab)[k];
		}
		free(*tab);
		*tab = n;
		*cap = ncap;
	}
	for (i = hash_id(id) & (*cap - 1); (*tab)[i].id; i = (i + 1) & (*cap - 1))
		if (!strcmp((*tab)[i].id, id))
			return &(*tab)[i];
	if (!((*tab)[i].id = strdup(id)))
		return NULL;
	++*used;
	return &(*tab)[i];
}

/* The customer's entry, or NULL. */
static const struct risk_cust *slot_find(const struct pass *p, const char *id)
{
	if (!p->cap)
		return NULL;
	for (size_t i = hash_id(id) & (p->cap - 1); p->slots[i].id; i = (i + 1) & (p->cap - 1))
		if (!strcmp(p->slots[i].id, id))
			return &p->slots[i];
	return NULL;
}

static void free_slots(struct risk_cust *tab, size_t cap)
{
	for (size_t i = 0; i < cap; i++)
		free(tab[i].id);
	free(tab);
}

/* The most ARR first (unknown last), then by customer_id. */
static bool risk_before(const struct risk_cust *a, const struct risk_row *b)
{
	if (a->arr_known != b->arr_known)
		return a->arr_known;
	if (a->arr_known && a->arr != b->arr)
		return a->arr > b->arr;
	return strcmp(a->id, b->id) < 0;
}

/* Total up the customers and keep those with the most ARR. */
static void end_pass(struct pass *p)
{
	struct weekly *w = p->w;
	int i, k;

	for (size_t j = 0; j < p->cap; j++) {
		const struct risk_cust *c = &p->slots[j];

		if (!c->id)
			continue;
		w->risk_customers++;
		w->risk_arr += c->arr_known ? c->arr : 0;
		w->risk_imm += c->imm;
		w->risk_overdue += c->late;
		if (c->churn) {
			w->churn_customers++;
			w->churn_arr += c->arr_known ? c->arr : 0;
		}
		for (i = 0; i < w->nrisk && !risk_before(c, &w->risk[i]); i++)
			;
		if (i == p->max_risk)
			continue;
		if (w->nrisk < p->max_risk)
			w->nrisk++;
		for (k = w->nrisk - 1; k > i; k--)
			w->risk[k] = w->risk[k - 1];
		memset(&w->risk[i], 0, sizeof(w->risk[i]));
		snprintf(w->risk[i].id, sizeof(w->risk[i].id), "%s", c->id);
		w->risk[i].arr_known = c->arr_known;
		w->risk[i].arr = c->arr;
	}
}

static void keep_follow(struct pass *p, const struct follow_key *f)
{
	int i, k;

	for (i = 0; i < p->nfollow && !follow_before(f, &p->follow[i]); i++)
		;
	if (i == p->max_follow)
		return;
	if (p->nfollow < p->max_follow)
		p->nfollow++;
	for (k = p->nfollow - 1; k > i; k--)
		p->follow[k] = p->follow[k - 1];
	p->follow[i] = *f;
}

static void keep_outcome(struct pass *p, long id, const char *date)
{
	int i, k;

	for (i = 0; i < p->noutcomes; i++)
		if (strcmp(date, p->outcomes[i].date) > 0 ||
		    (!strcmp(date, p->outcomes[i].date) && id > p->outcomes[i].id))
			break;
	if (i == CS_REPORT_MAX_INSIGHTS)
		return;
	if (p->noutcomes < CS_REPORT_MAX_INSIGHTS)
		p->noutcomes++;
	for (k = p->noutcomes - 1; k > i; k--)
		p->outcomes[k] = p->outcomes[k - 1];
	p->outcomes[i].id = id;
	snprintf(p->outcomes[i].date, sizeof(p->outcomes[i].date), "%s", date);
}

/* Whole days from day a to day b ("YYYY-MM-DD..."), or 0 when either is not a day. */
static int days_between(const char *a, const char *b)
{
	char da[11], db_[11];
	int32_t x, y;

	snprintf(da, sizeof(da), "%.10s", a);
	snprintf(db_, sizeof(db_), "%.10s", b);
	if (cs_parse_day(da, &x) || cs_parse_day(db_, &y))
		return 0;
	return y - x;
}

/* A 24-hour alert answered on day answered, or not (NULL): on time, late, open, pending. */
static void red_alert(const struct cs_report_env *env, struct weekly *w, const char *created,
		      const char *answered)
{
	int hours = env->cfg.kpi_red_hours;

	w->red_alerts++;
	if (answered) {
		if (days_between(created, answered) * 24 < hours)
			w->red_on_time++;
		else
			w->red_late++;
	} else if ((days_between(created, w->day) + 1) * 24 > hours) {
		w->red_open++;		/* unanswered at the end of the as-of day, past due */
	} else {
		w->red_pending++;
	}
}

/*
 * Every action the report looks at, in one pass over the actions_report
 * index (never the table's text): the open ones, those closed in the last
 * 30 days, and the 24-hour alerts of 30 days. Customers are gathered in a
 * hash table, not sorted; only the top N of each list is kept and the rest
 * are counted. Then the few rows that need more: the churn signals from
 * the customers (cancellation and downgrade requests, executive
 * escalations), and the closed alerts' outcomes.
 */
static int gather_actions(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
			  struct cs_diag *diag)
{
	/*
	 * The rules' kinds (rules.h: cs_action_names) but the CSM's own lists
	 * (check-ins, weekly review), which are only counted: named, so the
	 * index skips the kinds the report does not read (business reviews,
	 * renewal steps, milestones: hundreds of thousands at a million).
	 */
	static const char sql[] =
		"SELECT customer_id, kind, status, arr, created_at, due_at, resolved_at,"
		"       coalesce(sent_at, acknowledged_at), action_id"
		"  FROM actions WHERE kind IN ('at_risk', 'immediate', 'churn_risk', 'product_gap',"
		"                              'documentation_gap', 'bug', 'adoption_gap',"
		"                              'theme_escalation') AND created_at <= ?1"
		"   AND (status NOT IN ('resolved', 'dismissed') OR resolved_at >= ?2"
		"        OR (kind = 'immediate' AND created_at >= ?2))";
	static const char checkin_sql[] =
		"SELECT count(*) FROM actions WHERE kind = 'check_in' AND status = 'open'"
		"   AND created_at <= ?1";
	/* the customers with a churn signal other than their score */
	static const char signal_sql[] =
		"SELECT c.customer_id, c.status, c.executive_escalation <> 0,"
		"       coalesce(s.band, '') = 'red'"
		"  FROM customers c LEFT JOIN snapshots s ON s.profile = ?1 AND s.as_of = ?2"
		"       AND s.customer_id = c.customer_id"
		" WHERE c.status IN ('cancel_requested', 'downgrade_requested')"
		"    OR c.executive_escalation <> 0";
	/* closed churn alerts of 30 days: outcomes, recoveries, answers by hand */
	static const char closed_sql[] =
		"SELECT coalesce(customer_id, ''), action_id, substr(resolved_at, 1, 10), kind,"
		"       substr(created_at, 1, 10), coalesce(outcome, '') LIKE 'cleared:%',"
		"       outcome IS NOT NULL, sent_at IS NOT NULL OR acknowledged_at IS NOT NULL"
		"  FROM actions WHERE kind IN ('churn_risk', 'immediate')"
		"   AND status IN ('resolved', 'dismissed') AND resolved_at >= ?1"
		"   AND created_at <= ?2";
	static const char follow_sql[] =
		"SELECT a.kind, coalesce(c.name, a.theme, ''), coalesce(a.owner, ''), a.status,"
		"       substr(a.created_at, 1, 10), coalesce(substr(a.due_at, 1, 16), ''),"
		"       coalesce(a.outcome, '')"
		"  FROM actions a LEFT JOIN customers c ON c.customer_id = a.customer_id"
		" WHERE a.action_id = ?1";
	static const char outcome_sql[] =
		"SELECT coalesce(c.name, a.customer_id, ''), a.outcome FROM actions a"
		"  LEFT JOIN customers c ON c.customer_id = a.customer_id WHERE a.action_id = ?1";
	struct pass *p = calloc(1, sizeof(*p));
	long red_churn = 0;
	char week[11], month[11];
	sqlite3_stmt *st;
	int rc, i;

	if (!p)
		return cs_error(diag, "out of memory");
	p->w = w;
	p->env = env;
	p->max_risk = env->cfg.customers;
	p->max_follow = env->cfg.escalations;
	cs_format_day(w->as_of - (RP_WEEK - 1), week);
	cs_format_day(w->as_of - (RP_MONTH - 1), month);
	if (prep(db, sql, &st, diag, "reading actions")) {
		free(p);
		return -1;
	}
	sqlite3_bind_text(st, 1, w->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, month, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cust = rp_col(st, 0), *status = rp_col(st, 2);
		const char *created = rp_col(st, 4), *due = rp_col(st, 5);
		const char *resolved = rp_col(st, 6), *answered = rp_col(st, 7);
		int k = kind_index(rp_col(st, 1)), s;
		bool handled = *answered != '\0', late, closed, open;

		for (s = 0; s < 6 && strcmp(statuses[s], status); s++)
			;
		if (k < 0 || s == 6)
			continue;
		closed = s >= 4;
		open = !closed;
		late = s <= 2 && *due && strcmp(due, w->next) < 0;
		/* the census of open actions and the hand-offs in progress */
		{
			bool this_week = closed && handled && strcmp(resolved, week) >= 0;

			if (s == 0) {
				w->kind_open[k]++;
				w->open_handoffs++;
				w->open_overdue += late;
				if (!w->open_oldest[0] || strcmp(created, w->open_oldest) < 0)
					snprintf(w->open_oldest, sizeof(w->open_oldest), "%s", created);
			} else if (open) {
				w->by_status[s]++;
				w->by_late[s] += late;
			} else if (this_week) {
				w->resolved_week++;
			}
			if ((s >= 1 && open) || this_week) {
				struct follow_key f = { .id = (long)sqlite3_column_int64(st, 8),
							.late = late, .closed = closed };

				snprintf(f.due, sizeof(f.due), "%s", due);
				keep_follow(p, &f);
			}
		}
		/* the 24-hour alerts of 30 days (those closed by hand: below) */
		if (k == A_IMMEDIATE && strcmp(created, month) >= 0 && (handled || open))
			red_alert(env, w, created, handled ? answered : NULL);
		/* the customers needing action */
		if (open && *cust && (k == A_IMMEDIATE || k == A_CHURN_RISK || k == A_AT_RISK)) {
			struct risk_cust *c = slot_of(&p->slots, &p->cap, &p->used, cust);

			if (!c)
				goto oom;
			if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
				double arr = sqlite3_column_double(st, 3);

				if (!c->arr_known || arr > c->arr)
					c->arr = arr;
				c->arr_known = true;
			}
			c->late |= late;
			c->imm |= k == A_IMMEDIATE;
			c->churn |= k == A_CHURN_RISK;
		}
	}
	if (done(db, st, rc, diag, "reading actions"))
		goto fail;
	end_pass(p);
	if (prep(db, checkin_sql, &st, diag, "reading actions"))
		goto fail;
	sqlite3_bind_text(st, 1, w->day, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		w->checkins = (long)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	if (done(db, st, rc, diag, "reading actions"))
		goto fail;

	/* churn signals: Red (every Red customer has a churn alert), requests, escalations */
	w->churn_red = w->sum.now.scored ? w->sum.now.red : 0;
	if (prep(db, signal_sql, &st, diag, "reading churn signals"))
		goto fail;
	sqlite3_bind_text(st, 1, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->sum.now.scored ? w->sum.now.date : "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct risk_cust *c = slot_find(p, rp_col(st, 0));
		bool request = strcmp(rp_col(st, 1), "downgrade_requested") == 0 ||
			       strcmp(rp_col(st, 1), "cancel_requested") == 0;

		if (!c)
			continue;
		if (sqlite3_column_int(st, 2))
			w->churn_exec++;
		if (!c->churn || !request)
			continue;
		if (!strcmp(rp_col(st, 1), "cancel_requested"))
			w->churn_cancel++;
		else
			w->churn_downgrade++;
		red_churn += sqlite3_column_int(st, 3) != 0;
	}
	if (done(db, st, rc, diag, "reading churn signals"))
		goto fail;
	/* the rest have no other signal than the fall of their usage */
	w->churn_usage = w->churn_customers - w->churn_red - (w->churn_cancel + w->churn_downgrade -
							      red_churn);
	if (w->churn_usage < 0)
		w->churn_usage = 0;

	if (prep(db, closed_sql, &st, diag, "reading retention outcomes"))
		goto fail;
	sqlite3_bind_text(st, 1, month, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cust = rp_col(st, 0), *resolved = rp_col(st, 2);
		bool cleared = sqlite3_column_int(st, 5) != 0;

		if (cleared && *cust) {
			if (!slot_of(&p->cleared, &p->ccap, &p->cused, cust))
				goto oom;
		} else if (!cleared && sqlite3_column_int(st, 6)) {
			keep_outcome(p, (long)sqlite3_column_int64(st, 1), resolved);
		}
		/* a 24-hour alert closed by hand without being sent: answered then */
		if (!strcmp(rp_col(st, 3), "immediate") && !sqlite3_column_int(st, 7) && !cleared &&
		    strcmp(rp_col(st, 4), month) >= 0)
			red_alert(env, w, rp_col(st, 4), resolved);
	}
	if (done(db, st, rc, diag, "reading retention outcomes"))
		goto fail;
	w->churn_cleared = (long)p->cused;

	for (i = 0; i < w->nrisk; i++)
		if (risk_details(db, env, w, &w->risk[i], diag))
			goto fail;
	for (i = 0; i < p->nfollow; i++) {
		struct follow *f = &w->follow[w->nfollow];

		if (prep(db, follow_sql, &st, diag, "reading escalations"))
			goto fail;
		sqlite3_bind_int64(st, 1, p->follow[i].id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			f->id = p->follow[i].id;
			f->overdue = p->follow[i].late;
			snprintf(f->kind, sizeof(f->kind), "%s", rp_col(st, 0));
			snprintf(f->about, sizeof(f->about), "%s", rp_col(st, 1));
			snprintf(f->owner, sizeof(f->owner), "%s", rp_col(st, 2));
			snprintf(f->status, sizeof(f->status), "%s", rp_col(st, 3));
			snprintf(f->created, sizeof(f->created), "%s", rp_col(st, 4));
			snprintf(f->due, sizeof(f->due), "%s", rp_col(st, 5));
			snprintf(f->outcome, sizeof(f->outcome), "%s", rp_col(st, 6));
			w->nfollow++;
			rc = SQLITE_DONE;
		}
		if (done(db, st, rc, diag, "reading escalations"))
			goto fail;
	}
	for (i = 0; i < p->noutcomes; i++) {
		struct outcome_row *o = &w->outcomes[w->noutcomes];

		if (prep(db, outcome_sql, &st, diag, "reading retention outcomes"))
			goto fail;
		sqlite3_bind_int64(st, 1, p->outcomes[i].id);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			snprintf(o->name, sizeof(o->name), "%s", rp_col(st, 0));
			snprintf(o->outcome, sizeof(o->outcome), "%s", rp_col(st, 1));
			snprintf(o->date, sizeof(o->date), "%s", p->outcomes[i].date);
			w->noutcomes++;
			rc = SQLITE_DONE;
		}
		if (done(db, st, rc, diag, "reading retention outcomes"))
			goto fail;
	}
	free_slots(p->slots, p->cap);
	free_slots(p->cleared, p->ccap);
	free(p);
	return 0;
oom:
	sqlite3_finalize(st);
	cs_error(diag, "out of memory");
fail:
	free_slots(p->slots, p->cap);
	free_slots(p->cleared, p->ccap);
	free(p);
	return -1;
}

/* ---- feature requests, documentation gaps, bugs -------------------------------- */

/* The open action of a rule key (the partial unique index finds it). */
static int open_action(sqlite3 *db, const char *key, const char *next, struct fr_row *f,
		       struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT action_id, status, due_at < ?2 AND status IN ('open','draft','sent')"
		"  FROM actions WHERE rule_key = ?1 AND status NOT IN ('resolved','dismissed')";
	sqlite3_stmt *st;
	int rc;

	f->action = 0;
	if (prep(db, sql, &st, diag, "reading actions"))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, next, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f->action = (long)sqlite3_column_int64(st, 0);
		snprintf(f->action_status, sizeof(f->action_status), "%s", rp_col(st, 1));
		f->action_overdue = sqlite3_column_int(st, 2) != 0;
		rc = SQLITE_DONE;
	}
	return done(db, st, rc, diag, "reading actions");
}

/* More ARR first, then more tickets, then by category and theme. */
static int by_arr(const void *x, const void *y)
{
	const struct fr_row *a = x, *b = y;
	int c;

	if (a->arr != b->arr)
		return a->arr > b->arr ? -1 : 1;
	if (a->tickets != b->tickets)
		return a->tickets > b->tickets ? -1 : 1;
	c = strcmp(a->category, b->category);
	return c ? c : strcmp(a->theme, b->theme);
}

/*
 * One pass over the feature-request window: per request theme, its
 * customers by ARR tier (the ARR of the latest snapshot, so that only the
 * snapshot is joined; report.ini's tiers fill the eight slots ?7..?22, an
 * unused slot matches nothing), and, for the features of the adoption
 * update (ids and names in the JSON array ids), their tickets by category,
 * the likely cause of a gap.
 */
static int gather_window(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
			 const char *ids, struct cs_diag *diag)
{
	/*
	 * The requests from their partial index (tickets_requests), the
	 * tickets about the listed features from tickets_created, which holds
	 * the feature: neither reads the window's tickets themselves.
	 */
	static const char sql[] =
		"WITH t AS (SELECT customer_id, theme, count(*) AS n FROM tickets"
		"            WHERE category = 'Feature Request' AND created_at >= ?1"
		"              AND created_at < ?2 AND theme IS NOT NULL"
		"            GROUP BY customer_id, theme)"
		" SELECT 0, t.theme, count(*), sum(t.n), total(s.arr), total(s.at_risk),"
		"        total(CASE WHEN s.at_risk THEN s.arr END), count(s.customer_id),"
		"        count(s.arr),"
		"        total(s.arr >= ?7 AND s.arr < ?8), total(s.arr >= ?9 AND s.arr < ?10),"
		"        total(s.arr >= ?11 AND s.arr < ?12), total(s.arr >= ?13 AND s.arr < ?14),"
		"        total(s.arr >= ?15 AND s.arr < ?16), total(s.arr >= ?17 AND s.arr < ?18),"
		"        total(s.arr >= ?19 AND s.arr < ?20), total(s.arr >= ?21 AND s.arr < ?22)"
		"   FROM t LEFT JOIN snapshots s ON s.profile = ?3 AND s.as_of = ?4"
		"        AND s.customer_id = t.customer_id"
		"  GROUP BY t.theme"
		" UNION ALL"
		" SELECT 1, feature, count(*), coalesce(category, ''), 0, 0, 0, 0, 0,"
		"        0, 0, 0, 0, 0, 0, 0, 0"
		"   FROM tickets WHERE created_at >= ?1 AND created_at < ?2"
		"    AND feature IN (SELECT value FROM json_each(?5)) GROUP BY feature, 4";
	const struct cs_report_cfg *c = &env->cfg;
	const struct cs_rule_cfg *pg = &env->rules.r[A_PRODUCT_GAP];
	const char *snap = w->sum.now.scored ? w->sum.now.date : "";
	int days = pg->window_days > 0 ? pg->window_days : 90, nall = 0, cap = 0, rc, i, k;
	struct fr_row *all = NULL;
	char from[11], key[400];
	sqlite3_stmt *st;

	cs_format_day(w->as_of - (days - 1), from);
	if (prep(db, sql, &st, diag, "reading feature requests"))
		return -1;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w->next, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, snap, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ids, -1, SQLITE_STATIC);
	for (k = 0; k < CS_REPORT_TIERS; k++) {
		/* tier k holds [its floor, the floor of the tier above) */
		sqlite3_bind_double(st, 7 + 2 * k, k < c->ntiers ? c->tiers[k].floor : 1);
		sqlite3_bind_double(st, 8 + 2 * k, k >= c->ntiers ? 0 :
				    k ? c->tiers[k - 1].floor : HUGE_VAL);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = rp_col(st, 1);
		long n = sqlite3_column_int(st, 2), scored, known, tiered = 0;
		struct fr_row *f;

		if (sqlite3_column_int(st, 0)) {
			/* tickets about a feature of the adoption update */
			const char *cat = rp_col(st, 3);

			for (i = 0; i < w->nadopt; i++) {
				struct adopt_row *a = &w->adopt[i];

				if (strcmp(a->id, name) && strcmp(a->name, name))
					continue;
				if (!strcmp(cat, "How-To Question") || !strcmp(cat, "Documentation Gap"))
					a->docs += n;
				else if (!strcmp(cat, "Usability Issue"))
					a->usability += n;
				else
					a->other += n;
			}
			continue;
		}
		if (nall == cap) {
			int ncap = cap ? 2 * cap : 64;
			struct fr_row *v = realloc(all, (size_t)ncap * sizeof(*v));

			if (!v) {
				sqlite3_finalize(st);
				free(all);
				return cs_error(diag, "out of memory");
			}
			all = v;
			cap = ncap;
		}
		f = &all[nall++];
		memset(f, 0, sizeof(*f));
		snprintf(f->category, sizeof(f->category), "Feature Request");
		snprintf(f->theme, sizeof(f->theme), "%s", name);
		f->figures = true;
		f->customers = n;
		f->tickets = sqlite3_column_int(st, 3);
		f->arr = sqlite3_column_double(st, 4);
		f->at_risk = (long)sqlite3_column_double(st, 5);
		f->at_risk_arr = sqlite3_column_double(st, 6);
		scored = sqlite3_column_int(st, 7);
		known = sqlite3_column_int(st, 8);
		for (k = 0; k < c->ntiers && f->nseg < RP_SEGMENTS; k++) {
			long m = (long)sqlite3_column_double(st, 9 + k);

			tiered += m;
			if (!m)
				continue;
			snprintf(f->seg[f->nseg].name, sizeof(f->seg[0].name), "%s", c->tiers[k].name);
			f->seg[f->nseg++].n = m;
		}
		if (known - tiered > 0 && f->nseg < RP_SEGMENTS) {
			snprintf(f->seg[f->nseg].name, sizeof(f->seg[0].name), "below every tier");
			f->seg[f->nseg++].n = known - tiered;
		}
		if (scored - known > 0 && f->nseg < RP_SEGMENTS) {
			snprintf(f->seg[f->nseg].name, sizeof(f->seg[0].name), "ARR unknown");
			f->seg[f->nseg++].n = scored - known;
		}
		if (n - scored > 0 && f->nseg < RP_SEGMENTS) {
			snprintf(f->seg[f->nseg].name, sizeof(f->seg[0].name), "not scored");
			f->seg[f->nseg++].n = n - scored;
		}
	}
	if (done(db, st, rc, diag, "reading feature requests")) {
		free(all);
		return -1;
	}
	if (nall)
		qsort(all, (size_t)nall, sizeof(*all), by_arr);
	w->fr_total = nall;
	for (i = 0; i < nall && w->nfr < env->cfg.insights; i++) {
		struct fr_row *f = &w->fr[w->nfr++];

		*f = all[i];
		snprintf(key, sizeof(key), "product_gap:Feature Request/%s", f->theme);
		if (open_action(db, key, w->next, f, diag)) {
			free(all);
			return -1;
		}
	}
	free(all);
	return 0;
}

/*
 * The newest request of each listed theme, quoted, anonymised with every
 * customer and CSM name the quotes could hold (rp_anon_for).
 */
static int gather_quotes(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
			 struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT coalesce(nullif(t.description, ''), t.subject), coalesce(c.segment, '')"
		"  FROM tickets t JOIN customers c ON c.customer_id = t.customer_id"
		" WHERE t.created_at >= ?1 AND t.created_at < ?2"
		"   AND t.category = 'Feature Request' AND t.theme = ?3"
		" ORDER BY t.created_at DESC, t.ticket_id DESC LIMIT 1";
	const struct cs_rule_cfg *pg = &env->rules.r[A_PRODUCT_GAP];
	int days = pg->window_days > 0 ? pg->window_days : 90, i, rc, ret = -1;
	char *raw[CS_REPORT_MAX_INSIGHTS] = { NULL };
	struct cs_anon *anon = NULL;
	char from[11];
	sqlite3_stmt *st;

	cs_format_day(w->as_of - (days - 1), from);
	for (i = 0; i < w->nfr; i++) {
		struct fr_row *f = &w->fr[i];

		if (prep(db, sql, &st, diag, "reading feature requests"))
			goto out;
		sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, w->next, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, f->theme, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			raw[i] = strdup(rp_col(st, 0));
			snprintf(f->quote_segment, sizeof(f->quote_segment), "%s", rp_col(st, 1));
			rc = SQLITE_DONE;
		}
		if (done(db, st, rc, diag, "reading feature requests"))
			goto out;
	}
	if (!(anon = rp_anon_for(db, (const char *const *)raw, w->nfr, diag)))
		goto out;
	for (i = 0; i < w->nfr; i++)
		if (raw[i])
			w->fr[i].quote = rp_quote(anon, raw[i], env->cfg.quote_max);
	ret = 0;
out:
	cs_anon_free(anon);
	for (i = 0; i < w->nfr; i++)
		free(raw[i]);
	return ret;
}

/*
 * The open actions of a rule (documentation gaps, bugs), the most ARR
 * first, with the figures the rule stored ("N tickets, M customers, $X
 * ARR"): found through the index of open actions, no ticket read.
 */
static int gather_rule(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
		       enum cs_action_kind kind, struct fr_row *out, int *n, long *total,
		       struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT action_id, coalesce(category, ''), coalesce(theme, ''), status,"
		"       due_at < ?4 AND status IN ('open','draft','sent'), arr,"
		"       coalesce(evidence, ''), count(*) OVER ()"
		"  FROM actions WHERE rule_key >= ?1 AND rule_key < ?2"
		"   AND status NOT IN ('resolved','dismissed') AND created_at <= ?3"
		" ORDER BY arr DESC, action_id LIMIT ?5";
	char lo[40], hi[40];
	sqlite3_stmt *st;
	int rc;

	snprintf(lo, sizeof(lo), "%s:", cs_action_names[kind]);
	snprintf(hi, sizeof(hi), "%s;", cs_action_names[kind]);	/* ';' follows ':' */
	if (prep(db, sql, &st, diag, "reading actions"))
		return -1;
	sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w->next, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, env->cfg.insights);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fr_row *f = &out[(*n)++];
		double arr;

		memset(f, 0, sizeof(*f));
		f->action = (long)sqlite3_column_int64(st, 0);
		snprintf(f->category, sizeof(f->category), "%s", rp_col(st, 1));
		snprintf(f->theme, sizeof(f->theme), "%s", rp_col(st, 2));
		snprintf(f->action_status, sizeof(f->action_status), "%s", rp_col(st, 3));
		f->action_overdue = sqlite3_column_int(st, 4) != 0;
		f->arr = sqlite3_column_double(st, 5);
		/* the evidence of rules.c's theme rules */
		f->figures = sscanf(rp_col(st, 6), "%ld tickets, %ld customers, $%lf ARR",
				    &f->tickets, &f->customers, &arr) == 3;
		*total = (long)sqlite3_column_int64(st, 7);
	}
	return done(db, st, rc, diag, "reading actions");
}

/* ---- adoption ----------------------------------------------------------------- */

/*
 * The features of the update: released in the last adoption_recent_days,
 * or with an open adoption-gap action (the rules measured them at the last
 * score run). Each one's users are counted through the feature_usage
 * index, so only its own users are read.
 */
static int gather_adoption(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
			   char **ids, struct cs_diag *diag)
{
	static const char features_sql[] =
		"SELECT f.feature_id, f.name, coalesce(substr(f.released_at, 1, 10), ''),"
		"       EXISTS (SELECT 1 FROM actions a WHERE a.rule_key = 'adoption_gap:' ||"
		"               f.feature_id AND a.status NOT IN ('resolved','dismissed'))"
		"  FROM features f WHERE f.released_at <= ?1 ORDER BY f.feature_id";
	static const char users_sql[] =
		"SELECT count(*) FROM feature_usage u JOIN customers c"
		"    ON c.customer_id = u.customer_id"
		" WHERE u.feature_id = ?1 AND (u.first_used_at IS NULL OR u.first_used_at <= ?2)"
		"   AND coalesce(u.uses, 1) <> 0 AND c.status <> 'churned'"
		"   AND (c.created_at IS NULL OR c.created_at <= ?2)";
	const struct cs_analytics_config *ac = &env->analytics;
	char *buf = NULL;
	size_t len = 0;
	FILE *json;
	sqlite3_stmt *st;
	int rc, i;

	*ids = NULL;
	if (prep(db, features_sql, &st, diag, "reading features"))
		return -1;
	sqlite3_bind_text(st, 1, w->day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && w->nadopt < RP_ADOPT) {
		struct adopt_row *a = &w->adopt[w->nadopt];
		int32_t r = 0;

		memset(a, 0, sizeof(*a));
		snprintf(a->id, sizeof(a->id), "%s", rp_col(st, 0));
		snprintf(a->name, sizeof(a->name), "%s", rp_col(st, 1));
		snprintf(a->released, sizeof(a->released), "%s", rp_col(st, 2));
		if (cs_parse_day(a->released, &r))
			continue;
		a->days = w->as_of - r;
		a->recent = a->days <= ac->adoption_recent_days;
		if (sqlite3_column_int(st, 3))
			w->adopt_gaps++;
		if (a->recent || sqlite3_column_int(st, 3))
			w->nadopt++;
	}
	if (done(db, st, rc == SQLITE_ROW ? SQLITE_DONE : rc, diag, "reading features"))
		return -1;
	json = open_memstream(&buf, &len);
	if (!json)
		return cs_error(diag, "out of memory");
	putc('[', json);
	for (i = 0; i < w->nadopt; i++) {
		struct adopt_row *a = &w->adopt[i];

		if (prep(db, users_sql, &st, diag, "reading feature use")) {
			fclose(json);
			free(buf);
			return -1;
		}
		sqlite3_bind_text(st, 1, a->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, w->day, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			a->users = (long)sqlite3_column_int64(st, 0);
			rc = SQLITE_DONE;
		}
		if (done(db, st, rc, diag, "reading feature use")) {
			fclose(json);
			free(buf);
			return -1;
		}
		a->pct = rp_pct((double)a->users, (double)w->active);
		a->status = cs_adoption_status_of(ac, true, a->days, a->users, w->active);
		for (int k = 0; k < 2; k++) {
			fputs(i || k ? ",\"" : "\"", json);
			for (const char *p = k ? a->name : a->id; *p; p++) {
				if (*p == '"' || *p == '\\')
					putc('\\', json);
				if ((unsigned char)*p >= 0x20)
					putc(*p, json);
			}
			putc('"', json);
		}
	}
	putc(']', json);
	if (fclose(json)) {
		free(buf);
		return cs_error(diag, "out of memory");
	}
	*ids = buf;
	return 0;
}

/* The likely cause of each gap, as `casey adoption` decides it. */
static void adoption_causes(const struct cs_report_env *env, struct weekly *w)
{
	const struct cs_analytics_config *ac = &env->analytics;

	for (int i = 0; i < w->nadopt; i++) {
		struct adopt_row *a = &w->adopt[i];

		if (a->status != CS_ADOPT_GAP)
			continue;
		if (a->docs && a->docs >= a->usability) {
			a->cause = "docs";
			a->owner = ac->owner_docs;
		} else if (a->usability) {
			a->cause = "usability";
			a->owner = ac->owner_usability;
		} else {
			a->cause = "awareness";
			a->owner = ac->owner_awareness;
		}
	}
}

/* ---- all of it ------------------------------------------------------------------ */

/*
 * The connection's temp_store, and setting it back: the report's temporary
 * table and sorts are kept in memory while it runs (twice as fast at a
 * million actions as a temporary file).
 */
static const char *const temp_store_sql[3] = {
	"PRAGMA temp_store = 0", "PRAGMA temp_store = 1", "PRAGMA temp_store = 2",
};

static int temp_store(sqlite3 *db)
{
	static const char sql[] = "PRAGMA temp_store";
	sqlite3_stmt *st;
	int v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v >= 0 && v <= 2 ? v : 0;
}

int rp_weekly_gather(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
		     struct cs_diag *diag)
{
	int saved = temp_store(db);
	char *ids = NULL;
	int rc = -1;

	sqlite3_exec(db, temp_store_sql[2], NULL, NULL, NULL);
	cs_format_day(w->as_of, w->day);
	cs_format_day(w->as_of + 1, w->next);
	if (cs_summary_load(db, env->profile, &env->rules, w->as_of, &w->sum, diag) ||
	    rp_active_customers(db, w->as_of, &w->active, diag) ||
	    gather_tickets(db, env, w, diag) ||
	    gather_actions(db, env, w, diag) ||
	    gather_adoption(db, env, w, &ids, diag) ||
	    gather_window(db, env, w, ids, diag) ||
	    gather_quotes(db, env, w, diag) ||
	    gather_rule(db, env, w, A_DOCS_GAP, w->docs, &w->ndocs, &w->docs_total, diag) ||
	    gather_rule(db, env, w, A_BUG, w->bugs, &w->nbugs, &w->bugs_total, diag) ||
	    cs_nps_monthly(db, w->as_of, RP_NPS_MONTHS, w->months, diag) ||
	    cs_tiers_at_risk(db, &env->tiers, env->profile, w->as_of, w->tier_risk, diag))
		goto out;
	adoption_causes(env, w);
	rc = 0;
out:
	free(ids);
	if (saved != 2)
		sqlite3_exec(db, temp_store_sql[saved], NULL, NULL, NULL);
	return rc;
}

void rp_weekly_free(struct weekly *w)
{
	for (int i = 0; i < w->nfr; i++)
		free(w->fr[i].quote);
}
