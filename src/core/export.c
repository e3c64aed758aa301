/*
 * export.c — the metrics of the analytics dashboards: per segment, plan,
 * tenure or ARR tier, the team's customer-success figures, and the NPS
 * trend that survives a purge. See report.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/report.h"
#include "casey/summary.h"
#include "casey/value.h"
#include "report_int.h"

const char *const cs_dim_names[CS_DIM_COUNT] = {
	[CS_DIM_SEGMENT] = "segment",
	[CS_DIM_PLAN] = "plan",
	[CS_DIM_TENURE] = "tenure",
	[CS_DIM_ARR_TIER] = "arr_tier",
	[CS_DIM_TIER] = "tier",
};

int cs_dim_find(const char *name)
{
	for (int i = 0; i < CS_DIM_COUNT; i++)
		if (!strcmp(cs_dim_names[i], name))
			return i;
	return -1;
}

#define NONE "(none)"

/* A JSON string of s into f. */
static void json_text(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

/* The configured bands of a dimension as a JSON array of {name, lo}, malloc'd. */
static char *bands_json(const struct cs_report_cfg *c, enum cs_dim dim)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n = dim == CS_DIM_TENURE ? c->ntenure : dim == CS_DIM_ARR_TIER ? c->ntiers : 0;

	if (!f)
		return NULL;
	putc('[', f);
	for (int i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_text(f, dim == CS_DIM_TENURE ? c->tenure[i].name : c->tiers[i].name);
		if (dim == CS_DIM_TENURE)
			fprintf(f, ",\"lo\":%d}", c->tenure[i].days);
		else
			fprintf(f, ",\"lo\":%.17g}", c->tiers[i].floor);
	}
	putc(']', f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Where key sits in the configured order (the none group last), for sorting. */
static int band_rank(const struct cs_report_cfg *c, enum cs_dim dim, const char *key)
{
	int n = dim == CS_DIM_TENURE ? c->ntenure : c->ntiers;

	for (int i = 0; i < n; i++)
		if (!strcmp(key, dim == CS_DIM_TENURE ? c->tenure[i].name : c->tiers[i].name))
			return i;
	return n;
}

static const struct cs_report_cfg *sort_cfg;
static const struct cs_tiers *sort_tiers;
static enum cs_dim sort_dim;

static int by_group(const void *x, const void *y)
{
	const struct cs_metric_group *a = x, *b = y;
	bool an = !strcmp(a->key, NONE), bn = !strcmp(b->key, NONE);

	if (sort_dim == CS_DIM_TIER) {
		/* the tiers in their file's order, then none */
		int ra = an ? sort_tiers->n : cs_tier_find(sort_tiers, a->key);
		int rb = bn ? sort_tiers->n : cs_tier_find(sort_tiers, b->key);

		return ra != rb ? ra - rb : strcmp(a->key, b->key);
	}
	if (sort_dim == CS_DIM_TENURE || sort_dim == CS_DIM_ARR_TIER) {
		int ra = band_rank(sort_cfg, sort_dim, a->key), rb = band_rank(sort_cfg, sort_dim,
										b->key);

		return ra != rb ? ra - rb : strcmp(a->key, b->key);
	}
	if (an != bn)
		return an ? 1 : -1;
	if (a->customers != b->customers)
		return a->customers > b->customers ? -1 : 1;
	return strcmp(a->key, b->key);
}

int cs_export_metrics(sqlite3 *db, const struct cs_report_env *env, enum cs_dim dim,
		      int32_t as_of, struct cs_metric_export *out, struct cs_diag *diag)
{
	static const char sql[] =
		"WITH b AS MATERIALIZED (SELECT json_extract(value, '$.name') AS name,"
		"                               json_extract(value, '$.lo') AS lo"
		"                          FROM json_each(?4)),"
		"     x AS (SELECT CASE ?1"
		"                  WHEN 'segment' THEN coalesce(nullif(c.segment, ''), '" NONE "')"
		"                  WHEN 'plan' THEN coalesce(nullif(c.plan, ''), '" NONE "')"
		"                  WHEN 'tier' THEN coalesce(casey_tier(c.segment, c.arr), '" NONE "')"
		"                  WHEN 'tenure' THEN CASE WHEN c.created_at IS NULL THEN '" NONE "'"
		"                    ELSE coalesce((SELECT b.name FROM b WHERE julianday(?3)"
		"                           - julianday(substr(c.created_at, 1, 10)) >= b.lo"
		"                         ORDER BY b.lo DESC LIMIT 1), '" NONE "') END"
		"                  ELSE CASE WHEN c.arr IS NULL THEN '" NONE "'"
		"                    ELSE coalesce((SELECT b.name FROM b WHERE c.arr >= b.lo"
		"                         ORDER BY b.lo DESC LIMIT 1), '" NONE "') END"
		"                  END AS key, c.arr, s.score, s.band, s.engagement, s.sentiment,"
		"                  s.growth"
		"             FROM snapshots s JOIN customers c ON c.customer_id = s.customer_id"
		"            WHERE s.profile = ?2 AND s.as_of = ?5)"
		" SELECT key, count(*), total(arr), avg(score), count(engagement), avg(engagement),"
		"        avg(sentiment), avg(growth), total(band = 'green'), total(band = 'yellow'),"
		"        total(band = 'red')"
		"   FROM x GROUP BY key";
	char *json;
	sqlite3_stmt *st;
	int rc, found, cap = 0;

	memset(out, 0, sizeof(*out));
	out->dim = dim;
	cs_format_day(as_of, out->as_of);
	snprintf(out->profile, sizeof(out->profile), "%s", env->prof.name);
	found = cs_snapshot_latest_date(db, env->profile, as_of, out->snapshot, diag);
	if (found < 0)
		return -1;
	if (!found)
		return 0;
	/* the statement names casey_tier() whichever the dimension */
	if (cs_tiers_sql(db, &env->tiers, diag))
		return -1;
	json = bands_json(&env->cfg, dim);
	if (!json)
		return cs_error(diag, "out of memory");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		free(json);
		return cs_db_error(db, diag, "computing the metrics");
	}
	sqlite3_bind_text(st, 1, cs_dim_names[dim], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, env->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, out->as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, json, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, out->snapshot, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_metric_group *g;

		if (out->n == cap) {
			int ncap = cap ? 2 * cap : 16;
			struct cs_metric_group *v = realloc(out->groups, (size_t)ncap * sizeof(*v));

			if (!v) {
				sqlite3_finalize(st);
				free(json);
				cs_metric_export_free(out);
				return cs_error(diag, "out of memory");
			}
			out->groups = v;
			cap = ncap;
		}
		g = &out->groups[out->n++];
		memset(g, 0, sizeof(*g));
		snprintf(g->key, sizeof(g->key), "%s", rp_col(st, 0));
		g->customers = (long)sqlite3_column_int64(st, 1);
		g->arr = sqlite3_column_double(st, 2);
		g->average = sqlite3_column_double(st, 3);
		g->has_components = sqlite3_column_int64(st, 4) > 0;
		g->engagement = sqlite3_column_double(st, 5);
		g->sentiment = sqlite3_column_double(st, 6);
		g->growth = sqlite3_column_double(st, 7);
		g->green = (long)sqlite3_column_double(st, 8);
		g->yellow = (long)sqlite3_column_double(st, 9);
		g->red = (long)sqlite3_column_double(st, 10);
	}
	sqlite3_finalize(st);
	free(json);
	if (rc != SQLITE_DONE) {
		cs_metric_export_free(out);
		return cs_db_error(db, diag, "computing the metrics");
	}
	sort_cfg = &env->cfg;
	sort_tiers = &env->tiers;
	sort_dim = dim;
	if (out->n)
		qsort(out->groups, (size_t)out->n, sizeof(out->groups[0]), by_group);
	return 0;
}

void cs_metric_export_free(struct cs_metric_export *e)
{
	free(e->groups);
	e->groups = NULL;
	e->n = 0;
}

/* ---- NPS by month, with what purges left ----------------------------------- */

int cs_nps_monthly(sqlite3 *db, int32_t as_of, int nmonths, struct cs_nps_bucket *out,
		   struct cs_diag *diag)
{
	static const char rows_sql[] =
		"SELECT substr(date, 1, 7), score, count(*) FROM nps"
		" WHERE date >= ?1 AND date <= ?2 GROUP BY 1, 2";
	static const char kept_sql[] =
		"SELECT month, promoters, passives, detractors FROM monthly_aggregates"
		" WHERE kind = 'nps' AND month >= ?1 AND month <= ?2";
	char first[8], last[8];
	sqlite3_stmt *st;
	int rc, k;

	if (nmonths < 1)
		return 0;
	cs_trend_buckets(as_of, nmonths, false, out);
	snprintf(first, sizeof(first), "%.7s", out[0].label);
	snprintf(last, sizeof(last), "%.7s", out[nmonths - 1].label);
	if (sqlite3_prepare_v2(db, rows_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "computing the NPS trend");
	sqlite3_bind_text(st, 1, out[0].from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, out[nmonths - 1].to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < nmonths && strcmp(out[k].label, rp_col(st, 0)); k++)
			;
		for (long n = sqlite3_column_int64(st, 2); k < nmonths && n > 0; n--)
			cs_nps_add(&out[k].nps, sqlite3_column_int(st, 1));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing the NPS trend");
	if (sqlite3_prepare_v2(db, kept_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "computing the NPS trend");
	sqlite3_bind_text(st, 1, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, last, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (k = 0; k < nmonths && strcmp(out[k].label, rp_col(st, 0)); k++)
			;
		if (k == nmonths)
			continue;
		out[k].nps.promoters += sqlite3_column_int64(st, 1);
		out[k].nps.passives += sqlite3_column_int64(st, 2);
		out[k].nps.detractors += sqlite3_column_int64(st, 3);
		out[k].nps.responses += sqlite3_column_int64(st, 1) + sqlite3_column_int64(st, 2) +
					sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "computing the NPS trend");
	for (k = 0; k < nmonths; k++)
		cs_nps_finish(&out[k].nps);
	return 0;
}

/* ---- the team's figures ------------------------------------------------------ */

struct issue_ctx {
	struct cs_team_metrics *t;
	const struct cs_report_env *env;
};

static int add_issue(void *ctx, const struct cs_theme *th)
{
	struct issue_ctx *ic = ctx;
	struct cs_team_metrics *t = ic->t;
	int c = *th->category ? cs_category_find(th->category) : -1;
	int i = t->nissues;

	if (i == CS_TEAM_ISSUES)
		return 1;
	snprintf(t->issues[i].category, sizeof(t->issues[i].category), "%s", th->category);
	snprintf(t->issues[i].theme, sizeof(t->issues[i].theme), "%s", th->theme);
	snprintf(t->issues[i].owner, sizeof(t->issues[i].owner), "%s",
		 c >= 0 ? cs_routing_owner(ic->env->tickets, c) : "");
	t->issues[i].tickets = th->tickets;
	t->issues[i].customers = th->customers;
	t->issues[i].arr = th->arr;
	t->nissues++;
	return 0;
}

/* The profile's snapshot closest to 30 days before as_of, 23 to 37 days back. */
static int month_ago(sqlite3 *db, const char *profile, int32_t as_of, char *out,
		     struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT 1 FROM snapshots WHERE profile = ?1 AND as_of = ?2 LIMIT 1";
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading snapshots");
	/* 30, 31, 29, 32, 28, ...: the closest, the earlier one on a tie */
	for (int k = 0; k <= 14 && !out[0]; k++) {
		int32_t d = as_of - 30 + (k % 2 ? -(k + 1) / 2 : k / 2);
		char day[11];

		cs_format_day(d, day);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			snprintf(out, 11, "%s", day);
		else if (rc != SQLITE_DONE)
			break;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading snapshots");
}

int cs_export_team(sqlite3 *db, const struct cs_report_env *env, int32_t as_of,
		   struct cs_team_metrics *out, struct cs_diag *diag)
{
	static const char churn_sql[] =
		"SELECT count(*), total(c.status = 'churned')"
		"  FROM snapshots s JOIN customers c ON c.customer_id = s.customer_id"
		" WHERE s.profile = ?1 AND s.as_of = ?2";
	struct issue_ctx ic = { .t = out, .env = env };
	struct cs_summary *s = malloc(sizeof(*s));
	sqlite3_stmt *st;
	int rc;

	if (!s)
		return cs_error(diag, "out of memory");
	memset(out, 0, sizeof(*out));
	cs_format_day(as_of, out->as_of);
	if (cs_summary_load(db, env->profile, &env->rules, as_of, s, diag)) {
		free(s);
		return -1;
	}
	if (s->now.scored) {
		snprintf(out->snapshot, sizeof(out->snapshot), "%s", s->now.date);
		out->green = s->now.green;
		out->yellow = s->now.yellow;
		out->red = s->now.red;
		out->customers = out->green + out->yellow + out->red;
		out->average = s->now.average;
	}
	out->nps = s->nps;
	out->csat = s->csat;
	free(s);
	if (month_ago(db, env->profile, as_of, out->churn_since, diag))
		return -1;
	if (out->churn_since[0]) {
		if (sqlite3_prepare_v2(db, churn_sql, -1, &st, NULL) != SQLITE_OK)
			return cs_db_error(db, diag, "computing churn");
		sqlite3_bind_text(st, 1, env->profile, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, out->churn_since, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			out->churn_base = (long)sqlite3_column_int64(st, 0);
			out->churned = (long)sqlite3_column_double(st, 1);
			out->churn_known = out->churn_base > 0;
			out->churn_pct = rp_pct((double)out->churned, (double)out->churn_base);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW)
			return cs_db_error(db, diag, "computing churn");
	}
	rc = cs_themes(db, as_of - 29, as_of, add_issue, &ic, diag);
	if (rc < 0)
		return -1;
	out->nmonths = CS_TEAM_MONTHS;
	return cs_nps_monthly(db, as_of, CS_TEAM_MONTHS, out->months, diag);
}
