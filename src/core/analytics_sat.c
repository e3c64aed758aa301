/*
 * analytics_sat.c — the NPS report (trend, detractor reasons) and the CSAT
 * report (low-satisfaction patterns). See analytics.h.
 */
#include <ctype.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "casey/analytics.h"
#include "casey/anonymise.h"
#include "casey/aside.h"
#include "casey/db.h"
#include "casey/value.h"
#include "analytics_int.h"

/* Salient terms kept per comment, and their longest length (longer words are dropped). */
#define MAX_TERMS 48
#define TERM_MAX 32
/* Terms named in a theme's label. */
#define LABEL_TERMS 3

/* --- trend ------------------------------------------------------------------ */

/* The bucket holding day (YYYY-MM-DD), or NULL; buckets are consecutive, oldest first. */
static struct cs_nps_bucket *bucket_of(struct cs_nps_bucket *b, int n, const char *day)
{
	int k;

	for (k = n - 1; k >= 0; k--)
		if (strcmp(day, b[k].from) >= 0)
			return strcmp(day, b[k].to) <= 0 ? &b[k] : NULL;
	return NULL;
}

static int nps_trend(sqlite3 *db, struct cs_nps_report *r, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT date, score FROM nps WHERE date BETWEEN ?1 AND ?2";
	static const char agg_sql[] =
		"SELECT month, promoters, passives, detractors FROM monthly_aggregates"
		" WHERE kind = 'nps' AND month BETWEEN ?1 AND ?2";
	const char *first;
	char to[11];
	sqlite3_stmt *st;
	int rc, k;

	cs_trend_buckets(r->as_of, r->nmonths, false, r->months);
	cs_trend_buckets(r->as_of, r->nquarters, true, r->quarters);
	first = strcmp(r->months[0].from, r->quarters[0].from) < 0 ?
		r->months[0].from : r->quarters[0].from;
	cs_format_day(r->as_of, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "computing the NPS trend");
	sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *day = (const char *)sqlite3_column_text(st, 0);
		int score = sqlite3_column_int(st, 1);
		struct cs_nps_bucket *b;

		if ((b = bucket_of(r->months, r->nmonths, day)))
			cs_nps_add(&b->nps, score);
		if ((b = bucket_of(r->quarters, r->nquarters, day)))
			cs_nps_add(&b->nps, score);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing the NPS trend");
	/* Months a retention purge folded into aggregates (purge.c) still count. */
	if (sqlite3_prepare_v2(db, agg_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "computing the NPS trend");
	sqlite3_bind_text(st, 1, first, 7, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, 7, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char day[11];
		long p = sqlite3_column_int64(st, 1), pa = sqlite3_column_int64(st, 2);
		long d = sqlite3_column_int64(st, 3);
		struct cs_nps_bucket *bk[2];

		snprintf(day, sizeof(day), "%.7s-15", (const char *)sqlite3_column_text(st, 0));
		bk[0] = bucket_of(r->months, r->nmonths, day);
		bk[1] = bucket_of(r->quarters, r->nquarters, day);
		for (k = 0; k < 2; k++) {
			if (!bk[k])
				continue;
			bk[k]->nps.promoters += p;
			bk[k]->nps.passives += pa;
			bk[k]->nps.detractors += d;
			bk[k]->nps.responses += p + pa + d;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing the NPS trend");
	for (k = 0; k < r->nmonths; k++)
		cs_nps_finish(&r->months[k].nps);
	for (k = 0; k < r->nquarters; k++)
		cs_nps_finish(&r->quarters[k].nps);
	return 0;
}

/* --- detractor reasons ------------------------------------------------------------- */

/* A comment's salient terms in the order they first appear. */
struct terms {
	int n;
	char stem[MAX_TERMS][TERM_MAX];		/* what is compared */
	char surface[MAX_TERMS][TERM_MAX];	/* what a label shows */
};

struct theme {
	struct terms leader;		/* the first comment's terms */
	char sorted[MAX_TERMS][TERM_MAX];	/* leader.stem, sorted */
	int df[MAX_TERMS];		/* comments sharing each leader term */
	long count;
	long first;			/* index of the first comment: the tie-break */
	long newest;			/* index of the quote */
};

/*
 * Is the character at p part of a word? ASCII letters and digits, and
 * every other UTF-8 character but the common punctuation (U+00A0..U+00BF,
 * U+2000..U+20FF, U+3000..U+303F). The apostrophe is handled by the caller.
 */
static bool word_at(const unsigned char *p)
{
	if (*p < 0x80)
		return isalnum(*p);
	if (p[0] == 0xc2 && p[1] >= 0xa0 && p[1] <= 0xbf)
		return false;
	if (p[0] == 0xe2 && p[1] >= 0x80 && p[1] <= 0x83)
		return false;
	if (p[0] == 0xe3 && p[1] == 0x80)
		return false;
	return true;
}

/* Bytes of the UTF-8 character at p (1 for a stray byte; never past the end). */
static int seqlen(const unsigned char *p)
{
	int n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 1, k;

	for (k = 1; k < n; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* Length of an apostrophe at p (' or U+2019), else 0. */
static int apostrophe(const unsigned char *p)
{
	if (*p == '\'')
		return 1;
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99)
		return 3;
	return 0;
}

static bool stop_word(const struct cs_analytics_config *cfg, const char *w)
{
	int lo = 0, hi = cfg->nstop - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(cfg->stop[mid], w);

		if (!c)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* Consider the word w (lowercase) as a salient term of t. */
static void add_term(struct terms *t, const struct cs_analytics_config *cfg, char *w)
{
	char stem[TERM_MAX];
	size_t len = strlen(w), i;
	bool digits = true;
	int k;

	/* "admin's" is "admin" */
	if (len > 2 && w[len - 2] == '\'' && w[len - 1] == 's')
		w[len -= 2] = '\0';
	for (i = 0; i < len; i++)
		digits &= isdigit((unsigned char)w[i]) != 0;
	if (digits || (int)len < cfg->reason_min_term || stop_word(cfg, w))
		return;
	snprintf(stem, sizeof(stem), "%s", w);
	/* A plural: "queries" -> "query", "exports" -> "export"; not "access", "status". */
	if (len > 4 && !strcmp(w + len - 3, "ies"))
		snprintf(stem + len - 3, sizeof(stem) - (len - 3), "y");
	else if (len > 3 && w[len - 1] == 's' && w[len - 2] != 's' && w[len - 2] != 'u' &&
		 w[len - 2] != 'i' && w[len - 2] != '\'')
		stem[len - 1] = '\0';
	if (stop_word(cfg, stem))
		return;
	for (k = 0; k < t->n; k++)
		if (!strcmp(t->stem[k], stem))
			return;
	if (t->n == MAX_TERMS)
		return;
	snprintf(t->stem[t->n], TERM_MAX, "%s", stem);
	snprintf(t->surface[t->n], TERM_MAX, "%s", w);
	t->n++;
}

static void tokenise(const char *text, const struct cs_analytics_config *cfg, struct terms *t)
{
	const unsigned char *p = (const unsigned char *)text;
	char w[TERM_MAX];
	size_t len = 0;
	bool too_long = false;

	t->n = 0;
	for (;;) {
		int ap = apostrophe(p);

		/* An apostrophe inside a word is part of it: "don't". */
		if (ap && len && word_at(p + ap)) {
			if (len + 1 < sizeof(w))
				w[len++] = '\'';
			p += ap;
			continue;
		}
		if (*p && word_at(p)) {
			int k, n = seqlen(p);

			if (len + (size_t)n < sizeof(w))
				for (k = 0; k < n; k++)
					w[len++] = (char)(p[k] < 0x80 ? tolower(p[k]) : p[k]);
			else
				too_long = true;
			p += n;
			continue;
		}
		if (len) {
			w[len] = '\0';
			if (!too_long)
				add_term(t, cfg, w);
			len = 0;
			too_long = false;
		}
		if (!*p)
			break;
		p += seqlen(p);
	}
}

static int cmp_term(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void sort_stems(const struct terms *t, char out[][TERM_MAX])
{
	memcpy(out, t->stem, (size_t)t->n * TERM_MAX);
	qsort(out, (size_t)t->n, TERM_MAX, cmp_term);
}

/* Jaccard similarity of two sorted term sets. */
static double jaccard(char a[][TERM_MAX], int na, char b[][TERM_MAX], int nb)
{
	int i = 0, j = 0, both = 0;

	while (i < na && j < nb) {
		int c = strcmp(a[i], b[j]);

		if (!c) {
			both++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return na + nb - both ? (double)both / (double)(na + nb - both) : 0;
}

static bool has_stem(char v[][TERM_MAX], int n, const char *s)
{
	return bsearch(s, v, (size_t)n, TERM_MAX, cmp_term) != NULL;
}

/* Collapse every run of blanks into one space and trim: a quote fits on a line. */
static char *one_line(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	bool space = false;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = o != out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *s;
	}
	*o = '\0';
	return out;
}

static void make_label(const struct theme *th, char *out, size_t size)
{
	int order[MAX_TERMS], i, j, n = th->leader.n;
	size_t len = 0;

	for (i = 0; i < n; i++)
		order[i] = i;
	/* By how many comments share the term, then where it comes in the first one. */
	for (i = 1; i < n; i++) {
		int x = order[i];

		for (j = i; j > 0 && th->df[order[j - 1]] < th->df[x]; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
	out[0] = '\0';
	for (i = 0; i < n && i < LABEL_TERMS; i++) {
		const char *w = th->leader.surface[order[i]];

		if (len + strlen(w) + 2 > size)
			break;
		len += (size_t)snprintf(out + len, size - len, "%s%s", i ? " " : "", w);
	}
}

static int by_count(const void *a, const void *b)
{
	const struct theme *x = *(const struct theme *const *)a;
	const struct theme *y = *(const struct theme *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

void cs_reasons_free(struct cs_reason *r, int n)
{
	int i;

	for (i = 0; r && i < n; i++)
		free(r[i].quote);
	free(r);
}

int cs_reason_themes(const struct cs_comment *c, long n, const struct cs_analytics_config *cfg,
		     const struct cs_anon *anon, struct cs_reason **out, int *nout, long *other)
{
	struct theme *th = NULL, **order = NULL;
	struct terms *t = malloc(sizeof(*t));
	char (*sorted)[TERM_MAX] = malloc(MAX_TERMS * TERM_MAX);
	struct cs_reason *r = NULL;
	long i, nth = 0, cap = 0;
	int k, rc = -1;

	*out = NULL;
	*nout = 0;
	*other = 0;
	if (!t || !sorted)
		goto out;
	for (i = 0; i < n; i++) {
		long best = -1;
		double best_sim = 0;
		char *blank;

		/* Names, emails and phone numbers are never salient: labels must not show them. */
		blank = cs_anonymise_blank(anon, c[i].text);
		if (!blank)
			goto out;
		tokenise(blank, cfg, t);
		free(blank);
		if (!t->n) {
			(*other)++;
			continue;
		}
		sort_stems(t, sorted);
		for (long j = 0; j < nth; j++) {
			double sim = jaccard(sorted, t->n, th[j].sorted, th[j].leader.n);

			if (sim > best_sim) {
				best_sim = sim;
				best = j;
			}
		}
		if (best < 0 || best_sim < cfg->reason_similarity) {
			if (nth == cap) {
				long ncap = cap ? 2 * cap : 16;
				struct theme *v = realloc(th, (size_t)ncap * sizeof(*th));

				if (!v)
					goto out;
				th = v;
				cap = ncap;
			}
			best = nth++;
			memset(&th[best], 0, sizeof(th[0]));
			th[best].leader = *t;
			memcpy(th[best].sorted, sorted, (size_t)t->n * TERM_MAX);
			th[best].first = th[best].newest = i;
		}
		th[best].count++;
		for (k = 0; k < th[best].leader.n; k++)
			if (has_stem(sorted, t->n, th[best].leader.stem[k]))
				th[best].df[k]++;
		if (strcmp(c[i].date, c[th[best].newest].date) >= 0)
			th[best].newest = i;
	}
	order = malloc((size_t)(nth ? nth : 1) * sizeof(*order));
	r = calloc((size_t)(nth < cfg->reason_max_themes ? nth : cfg->reason_max_themes) + 1,
		   sizeof(*r));
	if (!order || !r)
		goto out;
	for (i = 0; i < nth; i++)
		order[i] = &th[i];
	qsort(order, (size_t)nth, sizeof(*order), by_count);
	for (i = 0; i < nth; i++) {
		const struct theme *x = order[i];
		struct cs_reason *y = &r[*nout];
		char *line;

		if (*nout == cfg->reason_max_themes) {
			*other += x->count;
			continue;
		}
		make_label(x, y->label, sizeof(y->label));
		y->count = x->count;
		snprintf(y->quote_date, sizeof(y->quote_date), "%s", c[x->newest].date);
		line = one_line(c[x->newest].text);
		y->quote = line ? cs_anonymise(anon, line) : NULL;
		free(line);
		if (!y->quote)
			goto out;
		(*nout)++;
	}
	*out = r;
	r = NULL;
	rc = 0;
out:
	if (rc) {
		cs_reasons_free(r, *nout);
		*nout = 0;
	}
	free(order);
	free(th);
	free(t);
	free(sorted);
	return rc;
}

/* Is an answer of this score a detractor? satisfaction.c decides. */
static bool detractor(int score)
{
	struct cs_nps one = { 0 };

	cs_nps_add(&one, score);
	return one.detractors == 1;
}

/* The highest score that is a detractor's (satisfaction.c decides). */
static int detractor_max(void)
{
	int s = 10;

	while (s > 0 && !detractor(s))
		s--;
	return s;
}

static int nps_reasons(sqlite3 *db, const struct cs_analytics_config *cfg,
		       struct cs_nps_report *r, struct cs_diag *diag)
{
	/*
	 * Only detractors' comments are grouped: the date index holds the
	 * score, so only their rows are looked up in the table (a window at a
	 * million customers holds 571,000 answers and 76,000 detractors).
	 */
	static const char sql[] =
		"SELECT score, comment, date FROM nps"
		" WHERE date BETWEEN ?1 AND ?2 AND score <= ?3"
		" ORDER BY date, response_key";
	struct cs_comment *c = NULL;
	struct cs_anon *anon = NULL;
	long n = 0, cap = 0, i;
	sqlite3_stmt *st;
	int rc, ret = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading NPS comments");
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, detractor_max());
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(st, 1);
		const char *p = text;

		if (!detractor(sqlite3_column_int(st, 0)))
			continue;
		while (p && isspace((unsigned char)*p))
			p++;
		if (!p || !*p) {
			r->uncommented++;
			continue;
		}
		if (n == cap) {
			long ncap = cap ? 2 * cap : 64;
			struct cs_comment *v = realloc(c, (size_t)ncap * sizeof(*c));

			if (!v)
				break;
			c = v;
			cap = ncap;
		}
		c[n].text = strdup(text);
		c[n].date = strdup((const char *)sqlite3_column_text(st, 2));
		if (!c[n].text || !c[n].date) {
			free((char *)c[n].text);
			free((char *)c[n].date);
			break;
		}
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		if (rc == SQLITE_ROW)
			cs_error(diag, "out of memory");
		else
			cs_db_error(db, diag, "reading NPS comments");
		goto out;
	}
	r->commented = n;
	anon = cs_anon_new();
	if (!anon) {
		cs_error(diag, "out of memory");
		goto out;
	}
	/* only the names these comments could hold (anonymise.h); none without comments */
	for (i = 0; i < n; i++)
		if (cs_anon_words(anon, c[i].text)) {
			cs_error(diag, "out of memory");
			goto out;
		}
	if (n && cs_anon_load(anon, db, diag))
		goto out;
	if (cs_reason_themes(c, n, cfg, anon, &r->reasons, &r->nreasons, &r->other)) {
		cs_error(diag, "out of memory");
		goto out;
	}
	ret = 0;
out:
	for (i = 0; i < n; i++) {
		free((char *)c[i].text);
		free((char *)c[i].date);
	}
	free(c);
	cs_anon_free(anon);
	return ret;
}

/*
 * Both reports end with satisfaction against feature use (analytics.c),
 * which reads every answer of the window and every customer's features:
 * about 1.5 s at a million customers. It only reads, and reads nothing
 * the rest of a report depends on, so it is worked out beside the rest
 * (aside.h), on the machine's other core; the satisfaction screen, which
 * shows both reports, works it out once, and with it CSAT by feature
 * (1.15 s at a million: a ticket looked up per answer), so that each
 * core has about half: the NPS report and the rest of CSAT here, those
 * two there (2.65 s each at a million, where the whole CSAT report
 * beside the feature use took 3.7 s).
 */
struct beside {
	int32_t as_of;
	const struct cs_analytics_config *cfg;
	const volatile sig_atomic_t *cancel;
	struct cs_csat_report *csat;	/* also its CSAT by feature; NULL: not */
	long grouped;			/* the answers that CSAT by feature grouped */
	struct cs_feature_split *features;
	int nfeatures;
};

static int csat_feature_part(sqlite3 *db, struct cs_csat_report *r, long *grouped,
			     struct cs_diag *diag);

static int beside_work(sqlite3 *db, void *ctx, struct cs_diag *diag)
{
	struct beside *b = ctx;

	if (b->cancel)
		cs_db_cancel_when(db, b->cancel);
	if (b->csat && csat_feature_part(db, b->csat, &b->grouped, diag))
		return -1;
	return cs_satisfaction_by_feature(db, b->as_of, b->cfg, &b->features, &b->nfeatures,
					  diag);
}

static void nps_init(struct cs_nps_report *r, int32_t as_of,
		     const struct cs_analytics_config *cfg)
{
	memset(r, 0, sizeof(*r));
	r->as_of = as_of;
	r->nmonths = cfg->trend_months;
	r->nquarters = cfg->trend_quarters;
	cs_survey_window(as_of, r->from, r->to);
}

static int nps_parts(sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
		     struct cs_nps_report *r, struct cs_diag *diag)
{
	return cs_nps_window(db, as_of, &r->window, diag) || nps_trend(db, r, diag) ||
	       nps_reasons(db, cfg, r, diag) ? -1 : 0;
}

int cs_nps_report(sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
		  struct cs_nps_report *r, struct cs_diag *diag)
{
	struct beside b = { .as_of = as_of, .cfg = cfg };
	struct cs_aside *a;
	int rc;

	nps_init(r, as_of, cfg);
	if (!(a = cs_aside_start(db, beside_work, &b, diag)))
		return -1;
	rc = nps_parts(db, as_of, cfg, r, diag);
	if (cs_aside_finish(a, diag) || rc) {
		free(b.features);
		cs_nps_report_free(r);
		return -1;
	}
	r->features = b.features;
	r->nfeatures = b.nfeatures;
	return 0;
}

void cs_nps_report_free(struct cs_nps_report *r)
{
	cs_reasons_free(r->reasons, r->nreasons);
	r->reasons = NULL;
	r->nreasons = 0;
	free(r->features);
	r->features = NULL;
	r->nfeatures = 0;
}

/* --- CSAT -------------------------------------------------------------------------- */

void cs_csat_flag(struct cs_csat_breakdown *b, const struct cs_analytics_config *cfg)
{
	int i;

	for (i = 0; i < b->n; i++) {
		struct cs_csat_group *g = &b->groups[i];

		g->below = b->baseline.responses && g->csat.responses ?
			b->baseline.satisfied_pct - g->csat.satisfied_pct : 0;
		/* A hair's tolerance, so 10.0 points below is "10 or more" in binary too. */
		g->flagged = b->baseline.responses && g->csat.responses >= cfg->csat_min_n &&
			     g->below >= cfg->csat_flag_points - 1e-9;
	}
}

static int by_satisfied(const void *a, const void *b)
{
	const struct cs_csat_group *x = a, *y = b;

	if (x->csat.satisfied_pct != y->csat.satisfied_pct)
		return x->csat.satisfied_pct < y->csat.satisfied_pct ? -1 : 1;
	return strcmp(x->key, y->key);
}

/*
 * Group the rows of st — (id, display name, score, good, count), ordered by
 * id — into b->groups, counting the answers grouped in *grouped. Rows with
 * the same id (case aside) make one group.
 */
static int collect_groups(sqlite3 *db, sqlite3_stmt *st, struct cs_csat_breakdown *b,
			  long *grouped, const char *what, struct cs_diag *diag)
{
	int rc, cap = 0, i;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		long cnt = (long)sqlite3_column_int64(st, 4);
		struct cs_csat_group *g;

		if (!b->n || strcasecmp(b->groups[b->n - 1].id, id)) {
			if (b->n == cap) {
				int ncap = cap ? 2 * cap : 16;
				struct cs_csat_group *v = realloc(b->groups,
								  (size_t)ncap * sizeof(*v));

				if (!v) {
					sqlite3_finalize(st);
					return cs_error(diag, "out of memory");
				}
				b->groups = v;
				cap = ncap;
			}
			g = &b->groups[b->n++];
			memset(g, 0, sizeof(*g));
			snprintf(g->id, sizeof(g->id), "%s", id);
			snprintf(g->key, sizeof(g->key), "%s", name ? name : id);
		}
		g = &b->groups[b->n - 1];
		*grouped += cnt;
		while (cnt--)
			cs_csat_add(&g->csat, sqlite3_column_int(st, 2), sqlite3_column_int(st, 3));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, what);
	for (i = 0; i < b->n; i++)
		cs_csat_finish(&b->groups[i].csat);
	return 0;
}

/* The groups of r's window that sql makes (collect_groups), not yet flagged. */
static int csat_collect(sqlite3 *db, const char *sql, const struct cs_csat_report *r,
			struct cs_csat_breakdown *b, long *grouped, const char *what,
			struct cs_diag *diag)
{
	sqlite3_stmt *st;

	*grouped = 0;
	snprintf(b->from, sizeof(b->from), "%s", r->from);
	snprintf(b->to, sizeof(b->to), "%s", r->to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, what);
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	return collect_groups(db, st, b, grouped, what, diag);
}

/* Against the window (r->window, known by now): what is left over, the flags, the order. */
static void csat_flag_groups(const struct cs_csat_report *r, struct cs_csat_breakdown *b,
			     long grouped, const struct cs_analytics_config *cfg)
{
	b->baseline = r->window;
	b->ungrouped = b->baseline.responses - grouped;
	cs_csat_flag(b, cfg);
	if (b->n)
		qsort(b->groups, (size_t)b->n, sizeof(b->groups[0]), by_satisfied);
}

static int csat_by(sqlite3 *db, const char *sql, struct cs_csat_report *r,
		   struct cs_csat_breakdown *b, const struct cs_analytics_config *cfg,
		   const char *what, struct cs_diag *diag)
{
	long grouped;

	if (csat_collect(db, sql, r, b, &grouped, what, diag))
		return -1;
	csat_flag_groups(r, b, grouped, cfg);
	return 0;
}

static int csat_by_month(sqlite3 *db, struct cs_csat_report *r,
			 const struct cs_analytics_config *cfg, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT date, coalesce(score, 0), coalesce(good, -1) FROM csat"
		" WHERE date BETWEEN ?1 AND ?2";
	struct cs_csat_breakdown *b = &r->by_month;
	struct cs_nps_bucket *months;
	sqlite3_stmt *st;
	int rc, k, n = cfg->trend_months;

	months = calloc((size_t)n, sizeof(*months));
	b->groups = calloc((size_t)n, sizeof(*b->groups));
	if (!months || !b->groups) {
		free(months);
		return cs_error(diag, "out of memory");
	}
	b->n = n;
	cs_trend_buckets(r->as_of, n, false, months);
	for (k = 0; k < n; k++)
		snprintf(b->groups[k].key, sizeof(b->groups[k].key), "%s", months[k].label);
	snprintf(b->from, sizeof(b->from), "%s", months[0].from);
	snprintf(b->to, sizeof(b->to), "%s", r->to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(months);
		return cs_db_error(db, diag, "computing the CSAT trend");
	}
	sqlite3_bind_text(st, 1, b->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, b->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *day = (const char *)sqlite3_column_text(st, 0);
		struct cs_nps_bucket *m = bucket_of(months, n, day);
		int score = sqlite3_column_int(st, 1), good = sqlite3_column_int(st, 2);

		if (!m)
			continue;
		cs_csat_add(&b->groups[m - months].csat, score, good);
		cs_csat_add(&b->baseline, score, good);
	}
	sqlite3_finalize(st);
	free(months);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing the CSAT trend");
	for (k = 0; k < n; k++)
		cs_csat_finish(&b->groups[k].csat);
	cs_csat_finish(&b->baseline);
	cs_csat_flag(b, cfg);
	return 0;
}

/* The answer's own context, trimmed; case does not split a group. */
static const char csat_by_context_sql[] =
	"SELECT lower(trim(context)), min(trim(context)), coalesce(score, 0),"
	"       coalesce(good, -1), count(*)"
	"  FROM csat WHERE date BETWEEN ?1 AND ?2 AND trim(coalesce(context, '')) <> ''"
	" GROUP BY 1, 3, 4 ORDER BY 1";

/* The related ticket's feature: a feature_id, or a feature's name. */
static const char csat_by_feature_sql[] =
	"WITH a AS (SELECT r.score, r.good, trim(t.feature) AS tf"
	"             FROM csat r JOIN tickets t ON t.ticket_id = r.ticket_id"
	"            WHERE r.date BETWEEN ?1 AND ?2"
	"              AND trim(coalesce(t.feature, '')) <> ''),"
	"     b AS (SELECT a.*, coalesce("
	"                 (SELECT feature_id FROM features WHERE feature_id = a.tf),"
	"                 (SELECT min(feature_id) FROM features"
	"                   WHERE lower(name) = lower(a.tf)))"
	"               AS fid FROM a)"
	" SELECT coalesce(b.fid, lower(b.tf)), coalesce(f.name, min(b.tf)),"
	"        coalesce(b.score, 0), coalesce(b.good, -1), count(*)"
	"   FROM b LEFT JOIN features f ON f.feature_id = b.fid"
	"  GROUP BY 1, 3, 4 ORDER BY 1";

static void csat_init(struct cs_csat_report *r, int32_t as_of)
{
	memset(r, 0, sizeof(*r));
	r->as_of = as_of;
	cs_survey_window(as_of, r->from, r->to);
}

/* CSAT by feature's groups, to be flagged once the window is known (csat_flag_groups). */
static int csat_feature_part(sqlite3 *db, struct cs_csat_report *r, long *grouped,
			     struct cs_diag *diag)
{
	return csat_collect(db, csat_by_feature_sql, r, &r->by_feature, grouped,
			    "grouping CSAT by feature", diag);
}

/* Everything of r but CSAT by feature and the feature use. */
static int csat_own_parts(sqlite3 *db, const struct cs_analytics_config *cfg,
			  struct cs_csat_report *r, struct cs_diag *diag)
{
	return cs_csat_window(db, r->as_of, &r->window, diag) ||
	       csat_by(db, csat_by_context_sql, r, &r->by_context, cfg,
		       "grouping CSAT by context", diag) ||
	       csat_by_month(db, r, cfg, diag) ? -1 : 0;
}

/* Everything of r but the feature use. */
static int csat_parts(sqlite3 *db, const struct cs_analytics_config *cfg,
		      struct cs_csat_report *r, struct cs_diag *diag)
{
	long grouped;

	if (csat_own_parts(db, cfg, r, diag) || csat_feature_part(db, r, &grouped, diag))
		return -1;
	csat_flag_groups(r, &r->by_feature, grouped, cfg);
	return 0;
}

int cs_csat_report(sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
		   struct cs_csat_report *r, struct cs_diag *diag)
{
	struct beside b = { .as_of = as_of, .cfg = cfg };
	struct cs_aside *a;
	int rc;

	csat_init(r, as_of);	/* freeable even when the start fails */
	if (!(a = cs_aside_start(db, beside_work, &b, diag)))
		return -1;
	rc = csat_parts(db, cfg, r, diag);
	if (cs_aside_finish(a, diag) || rc) {
		free(b.features);
		cs_csat_report_free(r);
		return -1;
	}
	r->features = b.features;
	r->nfeatures = b.nfeatures;
	return 0;
}

int cs_satisfaction_report(sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
			   const volatile sig_atomic_t *cancel, struct cs_nps_report *nps,
			   struct cs_csat_report *csat, struct cs_diag *diag)
{
	struct beside b = { .as_of = as_of, .cfg = cfg, .cancel = cancel, .csat = csat };
	struct cs_aside *a;
	int rc;

	nps_init(nps, as_of, cfg);
	/* set up before the other thread fills its by_feature */
	csat_init(csat, as_of);
	if (!(a = cs_aside_start(db, beside_work, &b, diag)))
		return -1;
	rc = nps_parts(db, as_of, cfg, nps, diag) || csat_own_parts(db, cfg, csat, diag);
	if (cs_aside_finish(a, diag) || rc)
		goto fail;
	csat_flag_groups(csat, &csat->by_feature, b.grouped, cfg);
	if (b.nfeatures) {
		size_t size = (size_t)b.nfeatures * sizeof(*b.features);

		if (!(nps->features = malloc(size))) {
			cs_error(diag, "out of memory");
			goto fail;
		}
		memcpy(nps->features, b.features, size);
	}
	nps->nfeatures = csat->nfeatures = b.nfeatures;
	csat->features = b.features;
	return 0;
fail:
	free(b.features);
	cs_nps_report_free(nps);
	cs_csat_report_free(csat);
	return -1;
}

void cs_csat_report_free(struct cs_csat_report *r)
{
	free(r->by_context.groups);
	free(r->by_feature.groups);
	free(r->by_month.groups);
	free(r->features);
	r->by_context.groups = r->by_feature.groups = r->by_month.groups = NULL;
	r->by_context.n = r->by_feature.n = r->by_month.n = 0;
	r->features = NULL;
	r->nfeatures = 0;
}
