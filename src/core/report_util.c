/*
 * report_util.c — the pieces the weekly report, the escalation documents
 * and the outreach drafts share. See report_int.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/termsafe.h"
#include "casey/value.h"
#include "report_int.h"

bool rp_handoff_kind(const char *kind)
{
	return kind && strcmp(kind, "check_in") && strcmp(kind, "weekly_review");
}

/* ---- text ------------------------------------------------------------- */

void rp_md(FILE *out, const char *s)
{
	char ph[CS_TERM_PLACEHOLDER_MAX];
	bool blank = false;
	size_t n;

	if (!s)
		return;
	while (*s) {
		if (*s == '\n' || *s == '\r' || *s == '\t' || *s == ' ') {
			blank = true;
			s++;
			continue;
		}
		if (blank) {
			putc(' ', out);
			blank = false;
		}
		if ((n = cs_term_unsafe(s, 0, ph))) {
			fputs(ph, out);
			s += n;
			continue;
		}
		if (strchr("\\`*_[]<|~", *s))
			putc('\\', out);
		putc(*s++, out);
	}
	if (blank)
		putc(' ', out);
}

void rp_plain(FILE *out, const char *s)
{
	char ph[CS_TERM_PLACEHOLDER_MAX];
	size_t n;

	if (!s)
		return;
	while (*s) {
		if ((n = cs_term_unsafe(s, CS_TERM_KEEP_LINES, ph))) {
			fputs(ph, out);
			s += n;
		} else {
			putc(*s++, out);
		}
	}
}

const char *rp_money(char buf[40], bool known, double v)
{
	char digits[32];
	size_t len, i, o = 0;

	if (!known || isnan(v)) {
		snprintf(buf, 40, "unknown");
		return buf;
	}
	snprintf(digits, sizeof(digits), "%.0f", fabs(v) < 1e15 ? fabs(v) : 0);
	len = strlen(digits);
	buf[o++] = '$';
	for (i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

double rp_pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

const char *rp_s(long n)
{
	return n == 1 ? "" : "s";
}

/*
 * Sign-offs after which a ticket names its writer ("Regards, Olu Kim"):
 * casey does not know that person's name, so everything after the
 * sign-off becomes "[name]".
 */
static const char *const signoffs[] = {
	"best regards", "kind regards", "warm regards", "many thanks", "thank you", "regards",
	"thanks", "cheers", "best", "sincerely", NULL,
};

void rp_cut_signoff(char *s)
{
	for (char *p = s; *p; p++) {
		if (p > s && (isalnum((unsigned char)p[-1]) || (unsigned char)p[-1] >= 0x80))
			continue;
		for (int i = 0; signoffs[i]; i++) {
			size_t n = strlen(signoffs[i]);
			char *q = p + n;

			if (strncasecmp(p, signoffs[i], n) || *q != ',')
				continue;
			q++;
			while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
				q++;
			/* a capitalised word: a name */
			if ((*q >= 'A' && *q <= 'Z') || ((unsigned char)*q >= 0xc0)) {
				char *end = p + n + 1;

				memcpy(end, " [name]", sizeof(" [name]"));
				return;
			}
		}
	}
}

char *rp_quote(const struct cs_anon *a, const char *text, int max)
{
	char *anon, *out;
	size_t i, o = 0, len;
	bool blank = false;

	if (!text)
		return NULL;
	anon = cs_anonymise(a, text);
	if (!anon)
		return NULL;
	out = malloc(strlen(anon) + 4);
	if (!out) {
		free(anon);
		return NULL;
	}
	for (i = 0; anon[i]; i++) {
		if (isspace((unsigned char)anon[i])) {
			blank = o > 0;
			continue;
		}
		if (blank)
			out[o++] = ' ';
		blank = false;
		out[o++] = anon[i];
	}
	out[o] = '\0';
	free(anon);
	rp_cut_signoff(out);
	len = strlen(out);
	if (!len) {
		free(out);
		return NULL;
	}
	if (max > 8 && len > (size_t)max) {
		size_t cut = (size_t)max;

		/* at a word, never inside a UTF-8 character */
		while (cut > (size_t)max / 2 && out[cut] != ' ')
			cut--;
		if (out[cut] != ' ') {
			cut = (size_t)max;
			while (cut > 0 && ((unsigned char)out[cut] & 0xc0) == 0x80)
				cut--;
		}
		while (cut > 0 && strchr(" ,.;:-", out[cut - 1]))
			cut--;
		memcpy(out + cut, "…", sizeof("…"));
	}
	return out;
}

/* ---- anonymising the texts of one document ---------------------------- */

/*
 * A word for finding the names a text may hold: a run of ASCII letters and
 * digits. Finer than the anonymiser's words (which take in UTF-8 letters),
 * so every name it could match has its first word among the text's.
 */
static bool token_byte(unsigned char c)
{
	return c < 0x80 && isalnum(c);
}

/* The hash of the lowercase word at s[0..n). */
static uint64_t token_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)s[i])) * 1099511628211ull;
	return h ? h : 1;
}

struct token_set {
	uint64_t *slots;
	size_t cap, used;
};

static int token_add(struct token_set *t, uint64_t h)
{
	size_t i;

	if ((t->used + 1) * 2 > t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 256;
		uint64_t *n = calloc(ncap, sizeof(*n));

		if (!n)
			return -1;
		for (size_t k = 0; k < t->cap; k++) {
			if (!t->slots[k])
				continue;
			for (i = t->slots[k] & (ncap - 1); n[i]; i = (i + 1) & (ncap - 1))
				;
			n[i] = t->slots[k];
		}
		free(t->slots);
		t->slots = n;
		t->cap = ncap;
	}
	for (i = h & (t->cap - 1); t->slots[i]; i = (i + 1) & (t->cap - 1))
		if (t->slots[i] == h)
			return 0;
	t->slots[i] = h;
	t->used++;
	return 0;
}

static bool token_has(const struct token_set *t, uint64_t h)
{
	if (!t->cap)
		return false;
	for (size_t i = h & (t->cap - 1); t->slots[i]; i = (i + 1) & (t->cap - 1))
		if (t->slots[i] == h)
			return true;
	return false;
}

struct cs_anon *rp_anon_for(sqlite3 *db, const char *const *texts, int n, struct cs_diag *diag)
{
	/* every customer and CSM name, as cs_anon_load() reads them, in one pass */
	static const char sql[] = "SELECT name, segment, csm FROM customers";
	struct token_set words = { 0 }, csms = { 0 };
	struct cs_anon *a = cs_anon_new();
	sqlite3_stmt *st;
	int rc, failed = 0;

	if (!a)
		goto oom;
	for (int i = 0; i < n; i++) {
		const char *p = texts[i];

		while (p && *p) {
			size_t len = 0;

			while (*p && !token_byte((unsigned char)*p))
				p++;
			while (p[len] && token_byte((unsigned char)p[len]))
				len++;
			if (len && token_add(&words, token_hash(p, len)))
				goto oom;
			p += len;
		}
	}
	if (!words.used)
		return a;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(words.slots);
		cs_anon_free(a);
		cs_db_error(db, diag, "reading customer names");
		return NULL;
	}
	while (!failed && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int k = 0; k < 3 && !failed; k += 2) {
			const char *name = (const char *)sqlite3_column_text(st, k), *p = name;
			size_t len = 0;

			if (!name)
				continue;
			/* a name can only match a text holding its first word */
			while (*p && !token_byte((unsigned char)*p))
				p++;
			while (p[len] && token_byte((unsigned char)p[len]))
				len++;
			if (len && !token_has(&words, token_hash(p, len)))
				continue;
			if (!k) {
				failed = cs_anon_add_customer(a, name,
							      (const char *)sqlite3_column_text(st, 1));
			} else {
				/* a CSM has many customers: register the name once */
				uint64_t h = token_hash(name, strlen(name));

				if (token_has(&csms, h))
					continue;
				failed = token_add(&csms, h) || cs_anon_add(a, name, "[name]");
			}
		}
	}
	sqlite3_finalize(st);
	free(words.slots);
	free(csms.slots);
	if (failed)
		goto oom_a;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		cs_anon_free(a);
		cs_db_error(db, diag, "reading customer names");
		return NULL;
	}
	return a;
oom:
	free(words.slots);
oom_a:
	cs_anon_free(a);
	cs_error(diag, "out of memory");
	return NULL;
}

const char *rp_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

void rp_template(FILE *out, const char *tmpl, const char *const *vars,
		 void (*put)(FILE *, const char *))
{
	const char *p = tmpl;

	while (*p) {
		const char *close;
		size_t len;
		int i;

		if (*p != '{' || !(close = strchr(p + 1, '}'))) {
			putc(*p++, out);
			continue;
		}
		len = (size_t)(close - p - 1);
		for (i = 0; vars && vars[i]; i += 2)
			if (strlen(vars[i]) == len && !strncmp(vars[i], p + 1, len))
				break;
		if (vars && vars[i]) {
			put(out, vars[i + 1] ? vars[i + 1] : "");
			p = close + 1;
		} else {
			putc(*p++, out);
		}
	}
}

void rp_rice(const struct cs_report_cfg *c, long customers, long active, long tickets,
	     double arr, long at_risk, struct rp_rice *out)
{
	memset(out, 0, sizeof(*out));
	out->reach = customers;
	out->reach_pct = rp_pct((double)customers, (double)active);
	if (arr >= c->rice_massive_arr) {
		out->impact = 3;
		out->impact_word = "massive";
	} else if (arr >= c->rice_high_arr) {
		out->impact = 2;
		out->impact_word = "high";
	} else if (arr >= c->rice_medium_arr) {
		out->impact = 1;
		out->impact_word = "medium";
	} else {
		out->impact = 0.5;
		out->impact_word = "low";
	}
	if (tickets >= c->rice_high_tickets) {
		out->confidence = 100;
		out->confidence_word = "high";
	} else if (tickets >= c->rice_medium_tickets) {
		out->confidence = 80;
		out->confidence_word = "medium";
	} else {
		out->confidence = 50;
		out->confidence_word = "low";
	}
	out->urgency = at_risk > 0 ? "immediate" : "planned";
}

int rp_active_customers(sqlite3 *db, int32_t as_of, long *n, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT count(*) FROM customers WHERE status <> 'churned'"
		"   AND (created_at IS NULL OR created_at <= ?1)";
	sqlite3_stmt *st;
	char day[11];
	int rc;

	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting active customers");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting active customers");
}

void rp_merge_reason(char *why, size_t size, const char *reason)
{
	const char *p = reason;

	while (*p) {
		size_t n = strcspn(p, ";"), len = strlen(why);
		char part[300];

		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		if (*part && !strstr(why, part))
			snprintf(why + len, size - len, "%s%s", len ? "; " : "", part);
		p += n;
		while (*p == ';' || *p == ' ')
			p++;
	}
}

const char *rp_advice(const struct cs_rules *r, const char *measure)
{
	for (int i = 0; i < r->nadvice; i++)
		if (!strcmp(r->advice[i].measure, measure))
			return r->advice[i].text;
	return NULL;
}

/* ---- one customer ------------------------------------------------------- */

static int metrics_cb(void *ctx, const struct cs_customer_metrics *cm)
{
	struct rp_customer *c = ctx;

	c->m = *cm;
	c->has_metrics = true;
	return 0;
}

/* The measures that cost the most health points, worst first. */
static void weakest(struct rp_customer *c)
{
	const struct cs_snapshot *s = &c->snap;
	bool used[CS_MAX_MEASURES] = { false };

	for (int k = 0; k < RP_WEAK; k++) {
		int worst = -1;
		double worst_loss = 0.5;	/* under half a point is no cause */

		for (int i = 0; i < s->nmeasures; i++) {
			double w = 0, loss;

			if (used[i] || s->measures[i].excluded)
				continue;
			for (int j = 0; j < s->ncomps; j++)
				if (!strcmp(s->comps[j].name, s->measures[i].comp))
					w = s->comps[j].excluded ? 0 : s->comps[j].weight;
			loss = w * s->measures[i].weight * (100 - s->measures[i].points);
			if (loss > worst_loss) {
				worst_loss = loss;
				worst = i;
			}
		}
		if (worst < 0)
			break;
		used[worst] = true;
		snprintf(c->weak[k].comp, sizeof(c->weak[k].comp), "%s", s->measures[worst].comp);
		snprintf(c->weak[k].name, sizeof(c->weak[k].name), "%s", s->measures[worst].name);
		c->weak[k].points = s->measures[worst].points;
		c->weak[k].lost = worst_loss;
		c->weak[k].present = s->measures[worst].present;
		c->weak[k].raw = s->measures[worst].raw;
		c->nweak++;
	}
}

static int customer_row(sqlite3 *db, const char *id, struct rp_customer *c,
			struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT customer_id, name, coalesce(segment, ''), coalesce(plan, ''),"
		"       coalesce(csm, ''), status, coalesce(renewal_date, ''),"
		"       coalesce(substr(created_at, 1, 10), ''),"
		"       coalesce(substr(last_contact_at, 1, 10), ''), arr, executive_escalation"
		"  FROM customers WHERE customer_id = ?1";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the customer");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(c->id, sizeof(c->id), "%s", rp_col(st, 0));
		snprintf(c->name, sizeof(c->name), "%s", rp_col(st, 1));
		snprintf(c->segment, sizeof(c->segment), "%s", rp_col(st, 2));
		snprintf(c->plan, sizeof(c->plan), "%s", rp_col(st, 3));
		snprintf(c->csm, sizeof(c->csm), "%s", rp_col(st, 4));
		snprintf(c->status, sizeof(c->status), "%s", rp_col(st, 5));
		snprintf(c->renewal, sizeof(c->renewal), "%s", rp_col(st, 6));
		snprintf(c->created, sizeof(c->created), "%s", rp_col(st, 7));
		snprintf(c->last_contact, sizeof(c->last_contact), "%s", rp_col(st, 8));
		c->arr_known = sqlite3_column_type(st, 9) != SQLITE_NULL;
		c->arr = sqlite3_column_double(st, 9);
		c->exec = sqlite3_column_int(st, 10) != 0;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the customer");
	return rc == SQLITE_ROW;
}

static int customer_usage(sqlite3 *db, struct rp_customer *c, const char *day,
			  struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT date, active_users, seats, paid_features_used, paid_features_total,"
		"       errors_30d"
		"  FROM usage WHERE customer_id = ?1 AND date <= ?2 ORDER BY date DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading usage");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->has_usage = true;
		snprintf(c->usage_date, sizeof(c->usage_date), "%s", rp_col(st, 0));
		c->active_users = sqlite3_column_int(st, 1);
		c->seats = sqlite3_column_int(st, 2);
		c->paid_used = sqlite3_column_int(st, 3);
		c->paid_total = sqlite3_column_int(st, 4);
		c->errors = sqlite3_column_int(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading usage");
}

static int customer_tickets(sqlite3 *db, struct rp_customer *c, const char *from,
			    const char *next, struct cs_diag *diag)
{
	static const char count_sql[] =
		"SELECT count(*), count(*) FILTER (WHERE resolved_at IS NULL"
		"         AND coalesce(status, '') NOT IN ('solved', 'closed', 'resolved'))"
		"  FROM tickets WHERE customer_id = ?1 AND created_at >= ?2 AND created_at < ?3";
	static const char list_sql[] =
		"SELECT ticket_id, substr(created_at, 1, 10), coalesce(subject, ''),"
		"       coalesce(category, ''), coalesce(status, ''), coalesce(sentiment, '')"
		"  FROM tickets WHERE customer_id = ?1 AND created_at >= ?2 AND created_at < ?3"
		" ORDER BY created_at DESC, ticket_id DESC LIMIT ?4";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, count_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, next, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->tickets_90d = (long)sqlite3_column_int64(st, 0);
		c->open_90d = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading tickets");
	if (sqlite3_prepare_v2(db, list_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, next, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, RP_TICKETS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int i = c->ntickets++;

		snprintf(c->tickets[i].id, sizeof(c->tickets[i].id), "%s", rp_col(st, 0));
		snprintf(c->tickets[i].date, sizeof(c->tickets[i].date), "%s", rp_col(st, 1));
		snprintf(c->tickets[i].subject, sizeof(c->tickets[i].subject), "%s", rp_col(st, 2));
		snprintf(c->tickets[i].category, sizeof(c->tickets[i].category), "%s",
			 rp_col(st, 3));
		snprintf(c->tickets[i].status, sizeof(c->tickets[i].status), "%s", rp_col(st, 4));
		snprintf(c->tickets[i].sentiment, sizeof(c->tickets[i].sentiment), "%s",
			 rp_col(st, 5));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading tickets");
}

static int customer_nps(sqlite3 *db, struct rp_customer *c, const char *from, const char *day,
			struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT score, date, comment FROM nps"
		" WHERE customer_id = ?1 AND date BETWEEN ?2 AND ?3"
		" ORDER BY date DESC, response_key DESC LIMIT 1";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading NPS answers");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->has_nps = true;
		c->nps_score = sqlite3_column_int(st, 0);
		snprintf(c->nps_date, sizeof(c->nps_date), "%s", rp_col(st, 1));
		if (sqlite3_column_type(st, 2) != SQLITE_NULL && *rp_col(st, 2))
			c->nps_comment = strdup(rp_col(st, 2));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 :
		cs_db_error(db, diag, "reading NPS answers");
}

static int customer_unused(sqlite3 *db, struct rp_customer *c, const char *day,
			   struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT f.name FROM features f"
		" WHERE f.paid = 1 AND (f.released_at IS NULL OR f.released_at <= ?2)"
		"   AND NOT EXISTS (SELECT 1 FROM feature_usage u WHERE u.customer_id = ?1"
		"                      AND u.feature_id = f.feature_id"
		"                      AND (u.first_used_at IS NULL OR u.first_used_at <= ?2)"
		"                      AND coalesce(u.uses, 1) <> 0)"
		" ORDER BY f.released_at DESC, f.feature_id LIMIT ?3";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading feature use");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, RP_UNUSED);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		snprintf(c->unused[c->nunused++], sizeof(c->unused[0]), "%s", rp_col(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading feature use");
}

static int customer_actions(sqlite3 *db, struct rp_customer *c, const char *day,
			    const char *next, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT action_id, kind, status, coalesce(due_at, ''), reason,"
		"       due_at < ?3 AND status IN ('open','draft','sent')"
		"  FROM actions WHERE customer_id = ?1 AND created_at <= ?2"
		"   AND status NOT IN ('resolved', 'dismissed')"
		" ORDER BY action_id DESC LIMIT ?4";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading actions");
	sqlite3_bind_text(st, 1, c->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, next, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, RP_ACTIONS);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int i = c->nactions++;

		c->actions[i].id = (long)sqlite3_column_int64(st, 0);
		snprintf(c->actions[i].kind, sizeof(c->actions[i].kind), "%s", rp_col(st, 1));
		snprintf(c->actions[i].status, sizeof(c->actions[i].status), "%s", rp_col(st, 2));
		snprintf(c->actions[i].due, sizeof(c->actions[i].due), "%.16s", rp_col(st, 3));
		snprintf(c->actions[i].reason, sizeof(c->actions[i].reason), "%s", rp_col(st, 4));
		c->actions[i].overdue = sqlite3_column_int(st, 5) != 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading actions");
}

int rp_customer_load(sqlite3 *db, const struct cs_report_env *env, const char *id,
		     int32_t as_of, struct rp_customer *c, struct cs_diag *diag)
{
	char day[11], next[11], from90[11], from180[11];
	bool found = false;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = customer_row(db, id, c, diag)) <= 0)
		return rc;
	cs_format_day(as_of, day);
	cs_format_day(as_of + 1, next);
	cs_format_day(as_of - (CS_SURVEY_WINDOW_DAYS - 1), from90);
	cs_format_day(as_of - 180, from180);
	if (cs_snapshot_get(db, env->profile, c->id, as_of, &c->snap, &found, NULL, NULL, diag))
		return -1;
	c->scored = found;
	if (cs_metrics_compute(db, as_of, c->id, metrics_cb, c, diag) ||
	    customer_usage(db, c, day, diag) ||
	    customer_tickets(db, c, from90, next, diag) ||
	    customer_nps(db, c, from180, day, diag) ||
	    customer_unused(db, c, day, diag) ||
	    customer_actions(db, c, day, next, diag)) {
		rp_customer_free(c);
		return -1;
	}
	if (found)
		weakest(c);
	return 1;
}

struct cs_anon *rp_customer_anon(sqlite3 *db, const struct rp_customer *c,
				 struct cs_diag *diag)
{
	const char *texts[RP_TICKETS + 1];
	int n = 0;

	for (int i = 0; i < c->ntickets; i++)
		texts[n++] = c->tickets[i].subject;
	if (c->nps_comment)
		texts[n++] = c->nps_comment;
	return rp_anon_for(db, texts, n, diag);
}

void rp_customer_free(struct rp_customer *c)
{
	free(c->nps_comment);
	c->nps_comment = NULL;
}

/* ---- the tickets of one theme ----------------------------------------- */

/* Case-insensitive search (ASCII), or NULL. */
static const char *ci_find(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s; s++)
		if (!strncasecmp(s, word, n))
			return s;
	return NULL;
}

/* A copy of s[0..n) with whitespace runs as one blank, trimmed. */
static char *squeeze(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	size_t o = 0;
	bool blank = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n && s[i]; i++) {
		if (isspace((unsigned char)s[i])) {
			blank = o > 0;
			continue;
		}
		if (blank)
			out[o++] = ' ';
		blank = false;
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/*
 * The reproduction steps of a ticket's description: what follows "steps
 * to reproduce", up to "Expected" or "Actual"; its "Expected ..." part;
 * and an error message it quotes after "message says". Each malloc'd or
 * NULL.
 */
static void extract(const char *desc, char **steps, char **expected, char **error)
{
	const char *p, *end, *q;

	*steps = *expected = *error = NULL;
	if ((p = ci_find(desc, "steps to reproduce"))) {
		p += strlen("steps to reproduce");
		p += strspn(p, ": \t\r\n");
		end = ci_find(p, "expected");
		if ((q = ci_find(p, "actual")) && (!end || q < end))
			end = q;
		if (!end)
			end = p + strlen(p);
		if (end - p > 800)
			end = p + 800;
		*steps = squeeze(p, (size_t)(end - p));
	}
	if ((p = ci_find(desc, "expected"))) {
		end = p + strcspn(p, "\r\n");
		if ((q = ci_find(p, "actual")) && q < end)
			end = q;
		if (end - p > 300)
			end = p + 300;
		*expected = squeeze(p, (size_t)(end - p));
	}
	if ((p = ci_find(desc, "message says"))) {
		p += strlen("message says");
		p += strspn(p, ": \t\r\n");
		if (*p == '"') {
			end = strchr(p + 1, '"');
			end = end ? end + 1 : p + strcspn(p, "\r\n");
		} else {
			end = p + strcspn(p, "\r\n");
		}
		if (end - p > 300)
			end = p + 300;
		*error = squeeze(p, (size_t)(end - p));
	}
}

#define RP_DISTINCT 64	/* distinct subjects counted before picking the top */

struct subject_count {
	char *text;
	long n;
};

struct theme_pass {
	struct rp_theme *t;
	struct subject_count subj[RP_DISTINCT];
	int nsubj;
	/* the newest tickets for quotes: raw text, date, segment */
	struct { char *text, *subject; char date[11], id[64], segment[64]; } q[3];
	int nq;
	char *steps_desc;	/* the newest description with reproduction steps */
	char steps_date[11], steps_id[64];
	char *error_desc;	/* the newest with an error message */
	char error_date[11];
};

static void count_subject(struct theme_pass *tp, const char *subject)
{
	int i;

	if (!*subject)
		return;
	for (i = 0; i < tp->nsubj; i++)
		if (!strcasecmp(tp->subj[i].text, subject)) {
			tp->subj[i].n++;
			return;
		}
	if (tp->nsubj < RP_DISTINCT && (tp->subj[tp->nsubj].text = strdup(subject)))
		tp->subj[tp->nsubj++].n = 1;
}

/* Keep the three newest tickets with distinct subjects (by date, then id). */
static void keep_quote(struct theme_pass *tp, const char *id, const char *date,
		       const char *subject, const char *desc, const char *segment)
{
	int i, k;

	for (i = 0; i < tp->nq; i++)
		if (!strcasecmp(tp->q[i].subject, subject)) {
			if (strcmp(date, tp->q[i].date) < 0 ||
			    (!strcmp(date, tp->q[i].date) && strcmp(id, tp->q[i].id) < 0))
				return;
			break;
		}
	if (i == tp->nq) {
		/* the place among the newest, or none */
		for (i = 0; i < tp->nq; i++)
			if (strcmp(date, tp->q[i].date) > 0 ||
			    (!strcmp(date, tp->q[i].date) && strcmp(id, tp->q[i].id) > 0))
				break;
		if (i == 3)
			return;
		if (tp->nq == 3) {
			free(tp->q[2].text);
			free(tp->q[2].subject);
			tp->nq--;
		}
		for (k = tp->nq; k > i; k--)
			tp->q[k] = tp->q[k - 1];
		tp->nq++;
	} else {
		free(tp->q[i].text);
		free(tp->q[i].subject);
		/* move it up to keep the order */
		while (i > 0 && (strcmp(date, tp->q[i - 1].date) > 0 ||
				 (!strcmp(date, tp->q[i - 1].date) && strcmp(id, tp->q[i - 1].id) > 0))) {
			tp->q[i] = tp->q[i - 1];
			i--;
		}
	}
	tp->q[i].text = strdup(*desc ? desc : subject);
	tp->q[i].subject = strdup(subject);
	snprintf(tp->q[i].date, sizeof(tp->q[i].date), "%s", date);
	snprintf(tp->q[i].id, sizeof(tp->q[i].id), "%s", id);
	snprintf(tp->q[i].segment, sizeof(tp->q[i].segment), "%s", segment);
}

static void keep_newest(char **desc, char *date, const char *d, const char *when,
			char *id_out, const char *id)
{
	if (*desc && strcmp(when, date) <= 0)
		return;
	free(*desc);
	*desc = strdup(d);
	snprintf(date, 11, "%s", when);
	if (id_out)
		snprintf(id_out, 64, "%s", id);
}

static void add_sample(struct rp_theme *t, const char *id, const char *customer,
		       const char *date)
{
	int i, k;

	for (i = 0; i < t->nsamples; i++)
		if (strcmp(date, t->samples[i].date) > 0 ||
		    (!strcmp(date, t->samples[i].date) && strcmp(id, t->samples[i].id) > 0))
			break;
	if (i == RP_SAMPLES)
		return;
	if (t->nsamples < RP_SAMPLES)
		t->nsamples++;
	for (k = t->nsamples - 1; k > i; k--)
		t->samples[k] = t->samples[k - 1];
	snprintf(t->samples[i].id, sizeof(t->samples[i].id), "%s", id);
	snprintf(t->samples[i].customer, sizeof(t->samples[i].customer), "%s", customer);
	snprintf(t->samples[i].date, sizeof(t->samples[i].date), "%s", date);
}

/* A customer's first row: count them once. */
static void add_customer(struct rp_theme *t, sqlite3_stmt *st)
{
	const char *segment = rp_col(st, 12), *band = rp_col(st, 15);
	bool arr_known = sqlite3_column_type(st, 13) != SQLITE_NULL;
	double arr = arr_known ? sqlite3_column_double(st, 13) : 0;
	int i, k;

	t->customers++;
	t->arr += arr;
	if (*band) {
		int b = !strcmp(band, "red") ? 0 : !strcmp(band, "yellow") ? 1 : 2;

		t->bands[b]++;
		t->scored++;
		t->health_sum += sqlite3_column_int(st, 14);
		if (b == 0 || (b == 1 && !strcmp(rp_col(st, 16), "declining"))) {
			t->at_risk++;
			t->at_risk_arr += arr;
		}
	}
	if (sqlite3_column_type(st, 17) != SQLITE_NULL) {
		t->usage_rows++;
		t->users += sqlite3_column_int(st, 17);
		t->active_days_sum += sqlite3_column_int(st, 18);
	}
	for (i = 0; i < t->nsegments; i++)
		if (!strcmp(t->segments[i].name, segment))
			break;
	if (i == t->nsegments && t->nsegments < RP_SEGMENTS)
		snprintf(t->segments[t->nsegments++].name, sizeof(t->segments[0].name), "%s",
			 segment);
	if (i < t->nsegments) {
		t->segments[i].customers++;
		t->segments[i].arr += arr;
	} else {
		t->other_segments++;
	}
	/* the customers with the highest ARR (unknown last), then by id */
	for (i = 0; i < t->ntop; i++)
		if (arr_known && (!t->top[i].arr_known || arr > t->top[i].arr))
			break;
	if (i == RP_TOP)
		return;
	if (t->ntop < RP_TOP)
		t->ntop++;
	for (k = t->ntop - 1; k > i; k--)
		t->top[k] = t->top[k - 1];
	snprintf(t->top[i].id, sizeof(t->top[i].id), "%s", rp_col(st, 1));
	snprintf(t->top[i].name, sizeof(t->top[i].name), "%s", rp_col(st, 11));
	snprintf(t->top[i].segment, sizeof(t->top[i].segment), "%s", segment);
	snprintf(t->top[i].band, sizeof(t->top[i].band), "%s", band);
	t->top[i].arr_known = arr_known;
	t->top[i].arr = arr;
	t->top[i].scored = *band != '\0';
	t->top[i].score = sqlite3_column_int(st, 14);
	t->top[i].tickets = 0;
}

/* Most frequent first; ties keep the first seen first (qsort is not stable: by text). */
static int by_count(const void *x, const void *y)
{
	const struct subject_count *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->text, b->text);
}

int rp_theme_load(sqlite3 *db, const struct cs_report_env *env, const char *category,
		  const char *theme, int32_t from, int32_t to, struct rp_theme *t,
		  struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT t.ticket_id, t.customer_id, substr(t.created_at, 1, 10),"
		"       coalesce(t.subject, ''), coalesce(t.description, ''), t.urgency, t.impact,"
		"       coalesce(t.status, ''), t.resolved_at, coalesce(t.feature, ''),"
		"       coalesce(f.name, ''), c.name, coalesce(c.segment, ''), c.arr,"
		"       s.score, coalesce(s.band, ''), coalesce(s.trend, ''),"
		"       (SELECT u.active_users FROM usage u WHERE u.customer_id = t.customer_id"
		"           AND u.date <= ?6 ORDER BY u.date DESC LIMIT 1),"
		"       (SELECT u.active_days_30d FROM usage u WHERE u.customer_id = t.customer_id"
		"           AND u.date <= ?6 ORDER BY u.date DESC LIMIT 1)"
		"  FROM tickets t JOIN customers c ON c.customer_id = t.customer_id"
		"  LEFT JOIN features f ON f.feature_id = t.feature"
		"  LEFT JOIN snapshots s ON s.profile = ?5 AND s.as_of = ?7"
		"       AND s.customer_id = t.customer_id"
		" WHERE t.created_at >= ?1 AND t.created_at < ?2"
		"   AND coalesce(t.category, '') = ?3 AND t.theme = ?4"
		" ORDER BY t.customer_id, t.created_at DESC, t.ticket_id DESC";
	struct theme_pass tp = { .t = t };
	const char *texts[RP_SUBJECTS + 3 + 2];
	struct cs_anon *anon = NULL;
	int ntexts = 0;
	char next[11], day[11], snap[11] = "";
	char prev[201] = "";
	sqlite3_stmt *st;
	int rc, i, k;

	memset(t, 0, sizeof(*t));
	snprintf(t->category, sizeof(t->category), "%s", category);
	snprintf(t->theme, sizeof(t->theme), "%s", theme);
	cs_format_day(from, t->from);
	cs_format_day(to, t->to);
	cs_format_day(to, day);
	cs_format_day(to + 1, next);
	t->worst_priority = 5;
	if (cs_snapshot_latest_date(db, env->profile, to, snap, diag) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the theme's tickets");
	sqlite3_bind_text(st, 1, t->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, next, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, category, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, theme, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, snap, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = rp_col(st, 0), *cust = rp_col(st, 1), *date = rp_col(st, 2);
		const char *subject = rp_col(st, 3), *desc = rp_col(st, 4);
		struct cs_priority p;

		if (strcmp(prev, cust)) {
			snprintf(prev, sizeof(prev), "%s", cust);
			add_customer(t, st);
		}
		for (i = 0; i < t->ntop; i++)
			if (!strcmp(t->top[i].id, cust))
				t->top[i].tickets++;
		t->tickets++;
		if (!t->first[0] || strcmp(date, t->first) < 0)
			snprintf(t->first, sizeof(t->first), "%s", date);
		if (strcmp(date, t->last) > 0)
			snprintf(t->last, sizeof(t->last), "%s", date);
		cs_ticket_priority(env->tickets, (const char *)sqlite3_column_text(st, 5),
				   (const char *)sqlite3_column_text(st, 6), &p);
		if (p.level < t->worst_priority)
			t->worst_priority = p.level;
		if (sqlite3_column_type(st, 8) == SQLITE_NULL &&
		    strcasecmp(rp_col(st, 7), "solved") && strcasecmp(rp_col(st, 7), "closed") &&
		    strcasecmp(rp_col(st, 7), "resolved"))
			t->open++;
		if (*rp_col(st, 9)) {
			for (k = 0; k < t->nfeatures; k++)
				if (!strcmp(t->features[k].id, rp_col(st, 9)))
					break;
			if (k == t->nfeatures && k < RP_FEATURES) {
				snprintf(t->features[k].id, sizeof(t->features[k].id), "%s",
					 rp_col(st, 9));
				snprintf(t->features[k].name, sizeof(t->features[k].name), "%s",
					 *rp_col(st, 10) ? rp_col(st, 10) : rp_col(st, 9));
				t->nfeatures++;
			}
			if (k < t->nfeatures)
				t->features[k].n++;
		}
		count_subject(&tp, subject);
		keep_quote(&tp, id, date, subject, desc, rp_col(st, 12));
		add_sample(t, id, cust, date);
		if (ci_find(desc, "steps to reproduce"))
			keep_newest(&tp.steps_desc, tp.steps_date, desc, date, tp.steps_id, id);
		if (ci_find(desc, "message says"))
			keep_newest(&tp.error_desc, tp.error_date, desc, date, NULL, NULL);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		cs_db_error(db, diag, "reading the theme's tickets");
		goto fail;
	}
	if (t->worst_priority > 4)
		t->worst_priority = 4;
	/* the most frequent subjects, then the quotes, anonymised */
	qsort(tp.subj, (size_t)tp.nsubj, sizeof(tp.subj[0]), by_count);
	for (i = 0; i < tp.nsubj && i < RP_SUBJECTS; i++)
		texts[ntexts++] = tp.subj[i].text;
	for (i = 0; i < tp.nq; i++)
		texts[ntexts++] = tp.q[i].text;
	if (tp.steps_desc)
		texts[ntexts++] = tp.steps_desc;
	if (tp.error_desc)
		texts[ntexts++] = tp.error_desc;
	if (!(anon = rp_anon_for(db, texts, ntexts, diag)))
		goto fail;
	for (i = 0; i < tp.nsubj && t->nsubjects < RP_SUBJECTS; i++) {
		char *q = rp_quote(anon, tp.subj[i].text, 160);

		if (q) {
			t->subjects[t->nsubjects].text = q;
			t->subjects[t->nsubjects++].n = tp.subj[i].n;
		}
	}
	for (i = 0; i < tp.nq; i++) {
		char *q = rp_quote(anon, tp.q[i].text, env->cfg.quote_max);

		if (q) {
			snprintf(t->quote_segment[t->nquotes], sizeof(t->quote_segment[0]), "%s",
				 tp.q[i].segment);
			t->quotes[t->nquotes++] = q;
		}
	}
	snprintf(t->steps_ticket, sizeof(t->steps_ticket), "%s", tp.steps_id);
	if (tp.steps_desc) {
		char *anon_desc = cs_anonymise(anon, tp.steps_desc), *unused = NULL;

		if (anon_desc) {
			rp_cut_signoff(anon_desc);
			extract(anon_desc, &t->steps, &t->expected, &unused);
			free(unused);
			free(anon_desc);
		}
	}
	if (tp.error_desc) {
		char *anon_desc = cs_anonymise(anon, tp.error_desc), *s = NULL, *e = NULL;

		if (anon_desc) {
			rp_cut_signoff(anon_desc);
			extract(anon_desc, &s, &e, &t->error);
			free(s);
			free(e);
			free(anon_desc);
		}
	}
	/* features most named first */
	for (i = 1; i < t->nfeatures; i++)
		for (k = i; k > 0 && t->features[k].n > t->features[k - 1].n; k--) {
			struct rp_feature tmp = t->features[k];

			t->features[k] = t->features[k - 1];
			t->features[k - 1] = tmp;
		}
	rc = 0;
	goto out;
fail:
	rc = -1;
	rp_theme_free(t);
out:
	cs_anon_free(anon);
	for (i = 0; i < tp.nsubj; i++)
		free(tp.subj[i].text);
	for (i = 0; i < tp.nq; i++) {
		free(tp.q[i].text);
		free(tp.q[i].subject);
	}
	free(tp.steps_desc);
	free(tp.error_desc);
	return rc;
}

void rp_theme_free(struct rp_theme *t)
{
	int i;

	for (i = 0; i < t->nsubjects; i++)
		free(t->subjects[i].text);
	for (i = 0; i < t->nquotes; i++)
		free(t->quotes[i]);
	free(t->steps);
	free(t->expected);
	free(t->error);
	t->nsubjects = t->nquotes = 0;
	t->steps = t->expected = t->error = NULL;
}

void rp_segments(const struct rp_theme *t, char *buf, size_t size)
{
	size_t n = 0;
	int order[RP_SEGMENTS], i, k;

	buf[0] = '\0';
	for (i = 0; i < t->nsegments; i++)
		order[i] = i;
	/* most customers first, then by name */
	for (i = 1; i < t->nsegments; i++)
		for (k = i; k > 0; k--) {
			const struct rp_segment *a = &t->segments[order[k]];
			const struct rp_segment *b = &t->segments[order[k - 1]];
			int tmp;

			if (a->customers < b->customers ||
			    (a->customers == b->customers && strcmp(a->name, b->name) >= 0))
				break;
			tmp = order[k];
			order[k] = order[k - 1];
			order[k - 1] = tmp;
		}
	for (i = 0; i < t->nsegments; i++) {
		const struct rp_segment *s = &t->segments[order[i]];

		n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%ld %s", n ? ", " : "",
				      s->customers, *s->name ? s->name : "unsegmented");
	}
	if (t->other_segments)
		snprintf(buf + n, n < size ? size - n : 0, "%s%ld other", n ? ", " : "",
			 t->other_segments);
}
