/*
 * analytics.c — the analytics configuration, trend buckets, medians, and
 * satisfaction of feature users vs non-users. See analytics.h.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "casey/analytics.h"
#include "casey/assets.h"
#include "casey/ini.h"
#include "casey/db.h"
#include "casey/value.h"
#include "analytics_int.h"

#define CONFIG_NAME "analytics.ini"

enum ktype { K_INT, K_NUM, K_STR, K_WORDS, K_LIST };

struct key {
	const char *section, *name;
	enum ktype type;
	size_t off;
	double lo, hi;		/* K_INT, K_NUM: the accepted range */
	size_t size;		/* K_STR: the buffer */
};

#define OFF(f) offsetof(struct cs_analytics_config, f)
#define STR(f) OFF(f), 0, 0, sizeof(((struct cs_analytics_config *)0)->f)

static const struct key keys[] = {
	{ "trend", "months", K_INT, OFF(trend_months), 1, CS_MAX_TREND, 0 },
	{ "trend", "quarters", K_INT, OFF(trend_quarters), 1, CS_MAX_TREND, 0 },
	{ "reasons", "similarity", K_NUM, OFF(reason_similarity), 0.01, 1, 0 },
	{ "reasons", "max_themes", K_INT, OFF(reason_max_themes), 1, 1000, 0 },
	{ "reasons", "min_term_length", K_INT, OFF(reason_min_term), 1, 20, 0 },
	{ "reasons", "stop_words", K_WORDS, OFF(stop), 0, 0, 0 },
	{ "csat", "min_n", K_INT, OFF(csat_min_n), 1, 1e9, 0 },
	{ "csat", "flag_points", K_NUM, OFF(csat_flag_points), 0, 100, 0 },
	{ "usage", "min_n", K_INT, OFF(usage_min_n), 1, 1e9, 0 },
	{ "adoption", "low_pct", K_NUM, OFF(adoption_low_pct), 0, 100, 0 },
	{ "adoption", "min_days_since_release", K_INT, OFF(adoption_min_days), 0, 3650, 0 },
	{ "adoption", "target_pct", K_NUM, OFF(adoption_target_pct), 0, 100, 0 },
	{ "adoption", "recent_days", K_INT, OFF(adoption_recent_days), 0, 3650, 0 },
	{ "adoption", "ticket_days", K_INT, OFF(adoption_ticket_days), 1, 3650, 0 },
	{ "adoption", "snapshot_profile", K_STR, STR(adoption_profile) },
	{ "adoption", "owner_docs", K_STR, STR(owner_docs) },
	{ "adoption", "owner_usability", K_STR, STR(owner_usability) },
	{ "adoption", "owner_awareness", K_STR, STR(owner_awareness) },
	{ "onboarding", "cohort_days", K_INT, OFF(onboarding_days), 1, 3650, 0 },
	{ "onboarding", "first_value", K_STR, STR(first_value) },
	{ "onboarding", "activation_days", K_INT, OFF(activation_days), 0, 3650, 0 },
	{ "onboarding", "early_days", K_INT, OFF(early_days), 0, 3650, 0 },
	{ "onboarding", "milestones", K_LIST, OFF(milestones), 0, 0, 0 },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

struct load {
	struct cs_analytics_config *c;
	struct cs_ini *ini;
	int seen[NKEYS];
};

#define fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)

/* Trim s in place; returns the first non-blank character. */
static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Add the comma-separated items of value to a word list (stop words) or the milestones. */
static int add_items(struct load *ld, const struct key *k, const char *value)
{
	struct cs_analytics_config *c = ld->c;
	char buf[1024], *tok, *save = NULL;

	if (strlen(value) >= sizeof(buf))
		return fail(ld, "%s: the line is too long (split it over several '%s =' lines)",
			    k->name, k->name);
	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *w = trim(tok), *p;
		int i;

		if (!*w)
			continue;
		if (k->type == K_WORDS) {
			if (strlen(w) >= sizeof(c->stop[0]))
				return fail(ld, "stop word '%s' is too long", w);
			for (p = w; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			for (i = 0; i < c->nstop && strcmp(c->stop[i], w); i++)
				;
			if (i < c->nstop)
				continue;
			if (c->nstop == CS_MAX_STOP_WORDS)
				return fail(ld, "more than %d stop words", CS_MAX_STOP_WORDS);
			snprintf(c->stop[c->nstop++], sizeof(c->stop[0]), "%s", w);
		} else {
			if (strlen(w) >= sizeof(c->milestones[0]))
				return fail(ld, "milestone '%s' is too long", w);
			for (i = 0; i < c->nmilestones; i++)
				if (!strcasecmp(c->milestones[i], w))
					return fail(ld, "milestone '%s' is listed twice", w);
			if (c->nmilestones == CS_MAX_MILESTONES)
				return fail(ld, "more than %d milestones", CS_MAX_MILESTONES);
			snprintf(c->milestones[c->nmilestones++], sizeof(c->milestones[0]),
				 "%s", w);
		}
	}
	return 1;
}

static int handler(struct cs_ini *ini, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = ini->user;
	char *base = (char *)ld->c;
	size_t i;

	ld->ini = ini;
	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			break;
	if (i == NKEYS)
		return fail(ld, "unknown key '%s' in [%s]", name, section);
	const struct key *k = &keys[i];

	if (ld->seen[i] && k->type != K_WORDS && k->type != K_LIST)
		return fail(ld, "[%s] %s is set twice", section, name);
	ld->seen[i] = 1;
	switch (k->type) {
	case K_INT:
	case K_NUM: {
		char *end;
		double v = strtod(value, &end);

		while (isspace((unsigned char)*end))
			end++;
		if (end == value || *end || !isfinite(v))
			return fail(ld, "[%s] %s: '%s' is not a number", section, name, value);
		if (k->type == K_INT && v != floor(v))
			return fail(ld, "[%s] %s: '%s' is not a whole number", section, name,
				    value);
		if (v < k->lo || v > k->hi)
			return fail(ld, "[%s] %s: %s is out of range (%g-%g)", section, name, value,
				    k->lo, k->hi);
		if (k->type == K_INT)
			*(int *)(base + k->off) = (int)v;
		else
			*(double *)(base + k->off) = v;
		return 1;
	}
	case K_STR:
		if (!*value)
			return fail(ld, "[%s] %s is empty", section, name);
		if (strlen(value) >= k->size)
			return fail(ld, "[%s] %s is too long", section, name);
		snprintf(base + k->off, k->size, "%s", value);
		return 1;
	case K_WORDS:
	case K_LIST:
		return add_items(ld, k, value);
	}
	return 0;
}

static int cmp_word(const void *a, const void *b)
{
	return strcmp(a, b);
}

int cs_analytics_config_load(const char *name, struct cs_analytics_config *c,
			     struct cs_diag *diag)
{
	struct load ld = { .c = c };
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!name)
		name = CONFIG_NAME;
	if (strchr(name, '/')) {
		snprintf(c->path, sizeof(c->path), "%s", name);
	} else if (cs_asset_find(name, c->path, sizeof(c->path))) {
		return cs_error(diag, "no analytics configuration '%s' (looked in the assets "
				"directories)", name);
	}
	if (cs_asset_check_safe(c->path, diag))
		return -1;
	if (cs_ini_parse(c->path, handler, &ld, diag))
		return -1;
	for (i = 0; i < NKEYS; i++)
		if (!ld.seen[i])
			return cs_error(diag, "%s: [%s] %s is missing", c->path, keys[i].section,
					keys[i].name);
	if (!c->nmilestones)
		return cs_error(diag, "%s: [onboarding] milestones is empty", c->path);
	for (i = 0; i < (size_t)c->nmilestones; i++)
		if (!strcasecmp(c->milestones[i], c->first_value))
			break;
	if (i == (size_t)c->nmilestones)
		return cs_error(diag, "%s: [onboarding] first_value '%s' is not one of the "
				"milestones", c->path, c->first_value);
	qsort(c->stop, (size_t)c->nstop, sizeof(c->stop[0]), cmp_word);
	return 0;
}

void cs_survey_window(int32_t as_of, char *from, char *to)
{
	cs_format_day(as_of - (CS_SURVEY_WINDOW_DAYS - 1), from);
	cs_format_day(as_of, to);
}

void cs_trend_buckets(int32_t as_of, int n, bool quarter, struct cs_nps_bucket *out)
{
	int y, m, d, k, step = quarter ? 3 : 1;
	long idx;

	cs_civil_from_days(as_of, &y, &m, &d);
	/* Months since year 0 of the first month of the as-of day's bucket. */
	idx = (long)y * 12 + (m - 1) / step * step;
	for (k = 0; k < n; k++) {
		long first = idx - (long)(n - 1 - k) * step, next = first + step;
		int32_t from = cs_days_from_civil((int)(first / 12), (int)(first % 12) + 1, 1);
		int32_t to = cs_days_from_civil((int)(next / 12), (int)(next % 12) + 1, 1) - 1;
		struct cs_nps_bucket *b = &out[k];

		memset(b, 0, sizeof(*b));
		if (to > as_of)
			to = as_of;
		if (quarter)
			snprintf(b->label, sizeof(b->label), "%04d-Q%d", (int)(first / 12),
				 (int)(first % 12 / 3 + 1));
		else
			snprintf(b->label, sizeof(b->label), "%04d-%02d", (int)(first / 12),
				 (int)(first % 12 + 1));
		cs_format_day(from, b->from);
		cs_format_day(to, b->to);
	}
}

/*
 * The k-th smallest of v[0..n) (from 0), by Hoare's selection: v is
 * reordered so that v[0..k) <= v[k] <= v[k+1..n). Linear on average,
 * where sorting took most of the adoption report's own time at a million
 * customers (7.7 million days to first use).
 */
static double select_kth(double *v, long n, long k)
{
	long lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2], t;
		long i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;		/* between the two: equal to the pivot */
	}
	return v[k];
}

double cs_median(double *v, long n)
{
	double upper, lower;

	if (n <= 0)
		return 0;
	upper = select_kth(v, n, n / 2);
	if (n % 2)
		return upper;
	/* the lower middle: the largest of the half below */
	lower = v[0];
	for (long i = 1; i < n / 2; i++)
		if (v[i] > lower)
			lower = v[i];
	return (lower + upper) / 2;
}

/* --- satisfaction vs usage ------------------------------------------------ */

static int load_features(sqlite3 *db, const char *day, struct cs_feature_split **out, int *n,
			 struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT feature_id, name FROM features"
		" WHERE released_at IS NULL OR released_at <= ?1 ORDER BY feature_id";
	struct cs_feature_split *v = NULL;
	sqlite3_stmt *st;
	int rc, cap = 0;

	*n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading features");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int ncap = cap ? 2 * cap : 16;
			struct cs_feature_split *nv = realloc(v, (size_t)ncap * sizeof(*v));

			if (!nv) {
				sqlite3_finalize(st);
				free(v);
				return cs_error(diag, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		memset(&v[*n], 0, sizeof(v[0]));
		snprintf(v[*n].feature_id, sizeof(v[0].feature_id), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(v[*n].name, sizeof(v[0].name), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		(*n)++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return cs_db_error(db, diag, "reading features");
	}
	*out = v;
	return 0;
}

static struct cs_feature_split *find_split(struct cs_feature_split *v, int n, const char *id)
{
	int lo = 0, hi = n - 1;

	/* v is in feature_id order (SQLite's BINARY collation is strcmp's). */
	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(v[mid].feature_id, id);

		if (!c)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

int cs_satisfaction_by_feature(sqlite3 *db, int32_t as_of,
			       const struct cs_analytics_config *cfg,
			       struct cs_feature_split **out, int *n, struct cs_diag *diag)
{
	/*
	 * Every answer of the window against every released feature, used or
	 * not. The answers (from their per-customer indexes) and feature use
	 * (in its key order) are walked together by customer, and each
	 * customer's features are marked once: an EXISTS per feature and
	 * answer was ten million seeks at a million customers (12 s).
	 */
	static const char *const sql[3] = {
		"SELECT customer_id, score, -1 FROM nps"
		" WHERE +date BETWEEN ?1 AND ?2 ORDER BY customer_id",
		"SELECT customer_id, coalesce(score, 0), coalesce(good, -1) FROM csat"
		" WHERE +date BETWEEN ?1 AND ?2 ORDER BY customer_id",
		"SELECT u.customer_id, u.feature_id FROM feature_usage u"
		" WHERE " CS_USED_AS_OF("?2") " ORDER BY u.customer_id, u.feature_id",
	};
	struct cs_feature_split *v = NULL;
	sqlite3_stmt *st[3] = { NULL };
	int rc[3], k, i, ret = -1;
	char from[11], to[11], *cur = NULL;
	bool *used = NULL;

	cs_survey_window(as_of, from, to);
	if (load_features(db, to, &v, n, diag))
		return -1;
	if (!(used = calloc((size_t)*n + 1, sizeof(*used)))) {
		cs_error(diag, "out of memory");
		goto out;
	}
	for (k = 0; k < 3; k++) {
		if (sqlite3_prepare_v2(db, sql[k], -1, &st[k], NULL) != SQLITE_OK) {
			cs_db_error(db, diag, "comparing satisfaction with feature use");
			goto out;
		}
		sqlite3_bind_text(st[k], 1, from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st[k], 2, to, -1, SQLITE_STATIC);
		rc[k] = sqlite3_step(st[k]);
	}
	while (rc[0] == SQLITE_ROW || rc[1] == SQLITE_ROW) {
		/* the next customer with an answer: the smaller of the two ids */
		const char *a = rc[0] == SQLITE_ROW ? (const char *)sqlite3_column_text(st[0], 0) : NULL;
		const char *b = rc[1] == SQLITE_ROW ? (const char *)sqlite3_column_text(st[1], 0) : NULL;

		free(cur);
		if (!(cur = strdup(!a ? b : !b ? a : strcmp(a, b) <= 0 ? a : b))) {
			cs_error(diag, "out of memory");
			goto out;
		}
		while (rc[2] == SQLITE_ROW &&
		       strcmp((const char *)sqlite3_column_text(st[2], 0), cur) < 0)
			rc[2] = sqlite3_step(st[2]);
		memset(used, 0, (size_t)*n * sizeof(*used));
		for (; rc[2] == SQLITE_ROW &&
		       !strcmp((const char *)sqlite3_column_text(st[2], 0), cur);
		     rc[2] = sqlite3_step(st[2])) {
			struct cs_feature_split *f =
				find_split(v, *n, (const char *)sqlite3_column_text(st[2], 1));

			if (f)
				used[f - v] = true;
		}
		for (; rc[0] == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st[0], 0), cur);
		     rc[0] = sqlite3_step(st[0]))
			for (i = 0; i < *n; i++)
				cs_nps_add(used[i] ? &v[i].nps_users : &v[i].nps_others,
					   sqlite3_column_int(st[0], 1));
		for (; rc[1] == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st[1], 0), cur);
		     rc[1] = sqlite3_step(st[1]))
			for (i = 0; i < *n; i++)
				cs_csat_add(used[i] ? &v[i].csat_users : &v[i].csat_others,
					    sqlite3_column_int(st[1], 1), sqlite3_column_int(st[1], 2));
	}
	for (k = 0; k < 3; k++)
		if (rc[k] != SQLITE_ROW && rc[k] != SQLITE_DONE) {
			cs_db_error(db, diag, "comparing satisfaction with feature use");
			goto out;
		}
	ret = 0;
out:
	for (k = 0; k < 3; k++)
		sqlite3_finalize(st[k]);
	free(cur);
	free(used);
	if (ret) {
		free(v);
		*n = 0;
		return -1;
	}
	for (i = 0; i < *n; i++) {
		struct cs_feature_split *f = &v[i];

		cs_nps_finish(&f->nps_users);
		cs_nps_finish(&f->nps_others);
		cs_csat_finish(&f->csat_users);
		cs_csat_finish(&f->csat_others);
		f->nps_comparable = f->nps_users.responses >= cfg->usage_min_n &&
				    f->nps_others.responses >= cfg->usage_min_n;
		f->csat_comparable = f->csat_users.responses >= cfg->usage_min_n &&
				     f->csat_others.responses >= cfg->usage_min_n;
		if (f->nps_comparable)
			f->nps_diff = f->nps_users.score - f->nps_others.score;
		if (f->csat_comparable)
			f->csat_diff = f->csat_users.satisfied_pct - f->csat_others.satisfied_pct;
	}
	*out = v;
	return 0;
}
