/* tiers.c — customer tiers from assets/tiers.ini. See tiers.h. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/db.h"
#include "casey/ini.h"
#include "casey/snapshot.h"
#include "casey/tiers.h"
#include "casey/value.h"

/* Lowercase ASCII letters and digits of s, the rest dropped; -1 if it does not fit. */
static int normalise(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x80 && !isalnum(ch))
			continue;
		if (n + 1 >= size)
			return -1;
		out[n++] = (char)(ch < 0x80 ? tolower(ch) : ch);
	}
	out[n] = '\0';
	return 0;
}

/* ---- loading ------------------------------------------------------------ */

/* What the checks after parsing need: the line each setting was on. */
struct tier_lines {
	int first, arr_min, arr_below;
	bool has_arr_min, has_sla, has_review, has_ratio;
};

struct load {
	struct cs_tiers *tiers;
	struct tier_lines lines[CS_TIERS_MAX];
	char section[64];		/* the section being read */
	int cur;			/* its tier */
};

/* A whole number 0..INT_MAX filling s; 0 or -1. */
static int whole(const char *s, int *out)
{
	double v;

	if (cs_ini_number(s, &v) || v < 0 || v != floor(v) || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int add_alias(struct cs_ini *ini, struct cs_tiers *tiers, int cur, const char *alias)
{
	struct cs_tier *t = &tiers->t[cur];
	char norm[32];

	if (normalise(alias, norm, sizeof(norm)) || !norm[0])
		return cs_ini_fail(ini, "'%s' is not a usable tier name (1-31 letters or digits)",
				   alias);
	if (!strcmp(norm, CS_TIER_NONE))
		return cs_ini_fail(ini, "'%s' cannot name a tier: it means no tier", alias);
	for (int i = 0; i <= cur; i++)
		for (int a = 0; a < tiers->t[i].naliases; a++)
			if (!strcmp(tiers->t[i].aliases[a], norm))
				return cs_ini_fail(ini, "'%s' already names [%s]", alias,
						   tiers->t[i].name);
	if (t->naliases == CS_TIER_ALIASES_MAX)
		return cs_ini_fail(ini, "more than %d names for one tier", CS_TIER_ALIASES_MAX);
	snprintf(t->aliases[t->naliases++], sizeof(t->aliases[0]), "%s", norm);
	return 1;
}

/* "< 2 h" (within) or "48 h+" (at least); blanks optional. */
static int parse_sla(const char *v, struct cs_tier *t)
{
	char buf[64], *p = buf, *q;
	size_t n = 0;
	long h;

	for (; *v && n + 1 < sizeof(buf); v++)
		if (!isspace((unsigned char)*v))
			buf[n++] = *v;
	buf[n] = '\0';
	t->response_at_least = false;
	if (*p == '<')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	h = strtol(p, &q, 10);
	if (h <= 0 || h > 10000 || *q != 'h')
		return -1;
	q++;
	if (*q == '+' && buf[0] != '<') {
		t->response_at_least = true;
		q++;
	} else if (buf[0] != '<') {
		return -1;
	}
	if (*q)
		return -1;
	t->response_hours = (int)h;
	return 0;
}

static int handler(struct cs_ini *ini, const char *section, const char *name, const char *value)
{
	struct load *ld = ini->user;
	struct cs_tiers *tiers = ld->tiers;
	struct cs_tier *t;
	struct tier_lines *tl;
	double v;

	if (!section[0])
		return cs_ini_fail(ini, "'%s' is outside any [tier] section", name);
	if (strcmp(section, ld->section) || !tiers->n) {
		char norm[32];

		if (normalise(section, norm, sizeof(norm)) || !norm[0] ||
		    strlen(section) >= sizeof(tiers->t[0].name))
			return cs_ini_fail(ini, "[%s] is not a usable tier name (1-31 characters)",
					   section);
		for (int i = 0; i < tiers->n; i++)
			if (!strcmp(tiers->t[i].name, section))
				return cs_ini_fail(ini, "[%s] appears twice", section);
		if (tiers->n == CS_TIERS_MAX)
			return cs_ini_fail(ini, "more than %d tiers", CS_TIERS_MAX);
		ld->cur = tiers->n++;
		snprintf(ld->section, sizeof(ld->section), "%s", section);
		t = &tiers->t[ld->cur];
		snprintf(t->name, sizeof(t->name), "%s", section);
		snprintf(t->label, sizeof(t->label), "%.7s", section);
		ld->lines[ld->cur].first = ini->line;
		if (add_alias(ini, tiers, ld->cur, section) != 1)
			return 0;
	}
	t = &tiers->t[ld->cur];
	tl = &ld->lines[ld->cur];
	if (!strcmp(name, "label")) {
		if (!*value || strlen(value) >= sizeof(t->label))
			return cs_ini_fail(ini, "label is 1-%zu characters, not '%s'",
					   sizeof(t->label) - 1, value);
		snprintf(t->label, sizeof(t->label), "%s", value);
	} else if (!strcmp(name, "aliases")) {
		char buf[512], *save = NULL, *tok;

		snprintf(buf, sizeof(buf), "%s", value);
		for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			size_t n;

			while (isspace((unsigned char)*tok))
				tok++;
			n = strlen(tok);
			while (n && isspace((unsigned char)tok[n - 1]))
				tok[--n] = '\0';
			if (add_alias(ini, tiers, ld->cur, tok) != 1)
				return 0;
		}
	} else if (!strcmp(name, "arr_min") || !strcmp(name, "arr_below")) {
		bool below = name[4] == 'b';

		if (cs_ini_number(value, &v) || v < 0)
			return cs_ini_fail(ini, "%s must be a non-negative amount, not '%s'", name,
					   value);
		if (below) {
			t->has_arr_below = true;
			t->arr_below = v;
			tl->arr_below = ini->line;
		} else {
			t->arr_min = v;
			tl->has_arr_min = true;
			tl->arr_min = ini->line;
		}
	} else if (!strcmp(name, "response_sla")) {
		if (parse_sla(value, t))
			return cs_ini_fail(ini, "response_sla is '< N h' or 'N h+', not '%s'", value);
		tl->has_sla = true;
	} else if (!strcmp(name, "review_days")) {
		if (!strcmp(value, "none"))
			t->review_days = 0;
		else if (whole(value, &t->review_days) || !t->review_days)
			return cs_ini_fail(ini, "review_days is a whole number of days or 'none', "
					   "not '%s'", value);
		tl->has_review = true;
	} else if (!strcmp(name, "csm_ratio")) {
		int n;

		if (!strcmp(value, "automated"))
			t->csm_ratio = 0;
		else if (strncmp(value, "1:", 2) || whole(value + 2, &n) || !n)
			return cs_ini_fail(ini, "csm_ratio is '1:N' or 'automated', not '%s'", value);
		else
			t->csm_ratio = n;
		tl->has_ratio = true;
	} else if (!strcmp(name, "onboarding_days")) {
		if (!strcmp(value, "self-paced"))
			t->onboarding_days = 0;
		else if (whole(value, &t->onboarding_days))
			return cs_ini_fail(ini, "onboarding_days is a whole number of days or "
					   "'self-paced', not '%s'", value);
	} else {
		return cs_ini_fail(ini, "unknown setting '%s' in [%s]", name, section);
	}
	return 1;
}

/* Tier indexes by arr_min, lowest first. */
static void by_arr(const struct cs_tiers *tiers, int *order)
{
	for (int i = 0; i < tiers->n; i++)
		order[i] = i;
	for (int i = 1; i < tiers->n; i++)
		for (int j = i; j > 0 && tiers->t[order[j]].arr_min < tiers->t[order[j - 1]].arr_min; j--) {
			int tmp = order[j];

			order[j] = order[j - 1];
			order[j - 1] = tmp;
		}
}

/* The ARR ranges cover 0 and up once each, with no gap. */
static int check_ranges(const struct load *ld, struct cs_diag *diag)
{
	const struct cs_tiers *tiers = ld->tiers;
	const char *path = tiers->path;
	int order[CS_TIERS_MAX];

	for (int i = 0; i < tiers->n; i++) {
		const struct cs_tier *t = &tiers->t[i];
		const struct tier_lines *tl = &ld->lines[i];

		if (!tl->has_arr_min)
			return cs_error(diag, "%s:%d: [%s] needs arr_min", path, tl->first, t->name);
		if (!tl->has_sla)
			return cs_error(diag, "%s:%d: [%s] needs response_sla", path, tl->first,
					t->name);
		if (!tl->has_review)
			return cs_error(diag, "%s:%d: [%s] needs review_days", path, tl->first,
					t->name);
		if (!tl->has_ratio)
			return cs_error(diag, "%s:%d: [%s] needs csm_ratio", path, tl->first,
					t->name);
		if (t->has_arr_below && t->arr_below <= t->arr_min)
			return cs_error(diag, "%s:%d: [%s] arr_below %.2f is not above its arr_min "
					"%.2f", path, tl->arr_below, t->name, t->arr_below,
					t->arr_min);
	}
	by_arr(tiers, order);
	if (tiers->t[order[0]].arr_min > 0)
		return cs_error(diag, "%s:%d: ARR below %.2f has no tier ([%s] is the lowest)",
				path, ld->lines[order[0]].arr_min, tiers->t[order[0]].arr_min,
				tiers->t[order[0]].name);
	for (int k = 0; k + 1 < tiers->n; k++) {
		const struct cs_tier *a = &tiers->t[order[k]], *b = &tiers->t[order[k + 1]];
		const struct tier_lines *la = &ld->lines[order[k]], *lb = &ld->lines[order[k + 1]];

		if (a->arr_min == b->arr_min)
			return cs_error(diag, "%s:%d: [%s] and [%s] overlap: both start at %.2f",
					path, lb->arr_min, a->name, b->name, b->arr_min);
		if (!a->has_arr_below)
			return cs_error(diag, "%s:%d: [%s] has no arr_below, so it overlaps [%s] "
					"from %.2f", path, la->arr_min, a->name, b->name, b->arr_min);
		if (a->arr_below > b->arr_min)
			return cs_error(diag, "%s:%d: [%s] overlaps [%s]: ARR from %.2f to %.2f is "
					"in both", path, la->arr_below, a->name, b->name,
					b->arr_min, a->arr_below);
		if (a->arr_below < b->arr_min)
			return cs_error(diag, "%s:%d: ARR from %.2f to %.2f has no tier ([%s] ends, "
					"[%s] starts later)", path, la->arr_below, a->arr_below,
					b->arr_min, a->name, b->name);
	}
	if (tiers->t[order[tiers->n - 1]].has_arr_below)
		return cs_error(diag, "%s:%d: ARR of %.2f and more has no tier ([%s] is the "
				"highest; leave out its arr_below)", path,
				ld->lines[order[tiers->n - 1]].arr_below,
				tiers->t[order[tiers->n - 1]].arr_below,
				tiers->t[order[tiers->n - 1]].name);
	return 0;
}

int cs_tiers_load(const char *name, struct cs_tiers *tiers, struct cs_diag *diag)
{
	struct load *ld;
	char rel[PATH_MAX];
	int rc = -1;

	memset(tiers, 0, sizeof(*tiers));
	if (!name)
		name = "tiers";
	if (strchr(name, '/')) {
		snprintf(tiers->path, sizeof(tiers->path), "%s", name);
	} else {
		snprintf(rel, sizeof(rel), "%s.ini", name);
		if (cs_asset_find(rel, tiers->path, sizeof(tiers->path)))
			return cs_error(diag, "no tiers file '%s' in the assets directories", rel);
	}
	if (cs_asset_check_safe(tiers->path, diag))
		return -1;
	ld = calloc(1, sizeof(*ld));
	if (!ld)
		return cs_error(diag, "out of memory");
	ld->tiers = tiers;
	if (!cs_ini_parse(tiers->path, handler, ld, diag)) {
		if (!tiers->n)
			cs_error(diag, "%s: no tiers", tiers->path);
		else
			rc = check_ranges(ld, diag);
	}
	free(ld);
	if (rc)
		tiers->n = 0;
	return rc;
}

/* ---- lookups ------------------------------------------------------------ */

int cs_tier_find(const struct cs_tiers *tiers, const char *s)
{
	char norm[32];

	if (!s || normalise(s, norm, sizeof(norm)) || !norm[0])
		return -1;
	for (int i = 0; i < tiers->n; i++)
		for (int a = 0; a < tiers->t[i].naliases; a++)
			if (!strcmp(tiers->t[i].aliases[a], norm))
				return i;
	return -1;
}

int cs_tier_of_arr(const struct cs_tiers *tiers, bool arr_known, double arr)
{
	if (!arr_known || !isfinite(arr))
		return -1;
	for (int i = 0; i < tiers->n; i++) {
		const struct cs_tier *t = &tiers->t[i];

		if (arr >= t->arr_min && (!t->has_arr_below || arr < t->arr_below))
			return i;
	}
	return -1;
}

int cs_tier_of(const struct cs_tiers *tiers, const char *segment, bool arr_known, double arr)
{
	int t = cs_tier_find(tiers, segment);

	return t >= 0 ? t : cs_tier_of_arr(tiers, arr_known, arr);
}

void cs_tier_sla(const struct cs_tier *t, char *buf, size_t size)
{
	if (t->response_at_least)
		snprintf(buf, size, "%d h+", t->response_hours);
	else
		snprintf(buf, size, "< %d h", t->response_hours);
}

void cs_tier_ratio(const struct cs_tier *t, char *buf, size_t size)
{
	if (t->csm_ratio)
		snprintf(buf, size, "1:%d", t->csm_ratio);
	else
		snprintf(buf, size, "automated");
}

/* casey_tier(segment, arr): the tier's name, or NULL. */
static void sql_tier(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct cs_tiers *tiers = sqlite3_user_data(ctx);
	const char *segment = (const char *)sqlite3_value_text(argv[0]);
	bool known = sqlite3_value_type(argv[1]) != SQLITE_NULL;
	int t;

	(void)argc;
	t = cs_tier_of(tiers, segment, known, known ? sqlite3_value_double(argv[1]) : 0);
	if (t < 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_text(ctx, tiers->t[t].name, -1, SQLITE_STATIC);
}

int cs_tiers_sql(sqlite3 *db, const struct cs_tiers *tiers, struct cs_diag *diag)
{
	if (sqlite3_create_function(db, "casey_tier", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    (void *)tiers, sql_tier, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "registering casey_tier()");
	return 0;
}

/*
 * The run's at-risk customers with their segment. The run's snapshots are
 * walked in their primary key's order, which is customer_id's, so the
 * customers are looked up in order too: at a million customers (214,000
 * at risk, synthetic snapshots) 0.6 s, 0.9 s cold, where walking
 * snapshots_at_risk (by ARR) and looking each customer up at random took
 * 3.6-4.3 s.
 */
static const char at_risk_sql[] =
	"SELECT c.segment, s.arr FROM snapshots s"
	"  CROSS JOIN customers c ON c.customer_id = s.customer_id"
	" WHERE s.profile = ?1 AND s.as_of = ?2 AND s.at_risk = 1";

/* The tiers as counted: names, aliases and ranges; another is stale. */
static void signature(const struct cs_tiers *tiers, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < tiers->n && len < size; i++) {
		const struct cs_tier *t = &tiers->t[i];

		len += (size_t)snprintf(buf + len, size - len, "%s[%.2f,%.2f%s]", t->name, t->arr_min,
					t->arr_below, t->has_arr_below ? "" : "+");
		for (int a = 0; a < t->naliases && len < size; a++)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", a ? "," : "",
						t->aliases[a]);
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, ";");
	}
}

void cs_tier_sums_add(const struct cs_tiers *tiers, struct cs_tier_sum sums[CS_TIERS_MAX + 1],
		      const char *segment, bool arr_known, double arr)
{
	int t = cs_tier_of(tiers, segment, arr_known, arr);
	struct cs_tier_sum *sum = &sums[t >= 0 ? t : tiers->n];

	sum->customers++;
	if (arr_known)
		sum->arr += arr;
}

static const char stored_del_sql[] = "DELETE FROM tier_risk WHERE profile = ?1 AND as_of = ?2";
static const char stored_put_sql[] =
	"INSERT INTO tier_risk (profile, as_of, tiers, import_id, tier, customers, arr)"
	" VALUES (?1, ?2, ?3, (SELECT coalesce(max(import_id), 0) FROM imports), ?4, ?5, ?6)";
static const char stored_get_sql[] =
	"SELECT tier, customers, arr FROM tier_risk"
	" WHERE profile = ?1 AND as_of = ?2 AND tiers = ?3"
	"   AND import_id = (SELECT coalesce(max(import_id), 0) FROM imports)";

int cs_tiers_at_risk_store(sqlite3 *db, const struct cs_tiers *tiers, const char *profile,
			   int32_t as_of, const struct cs_tier_sum sums[CS_TIERS_MAX + 1],
			   struct cs_diag *diag)
{
	char day[11], sig[CS_TIERS_MAX * 480];
	sqlite3_stmt *del, *put;
	int rc = SQLITE_DONE;

	cs_format_day(as_of, day);
	signature(tiers, sig, sizeof(sig));
	if (sqlite3_prepare_v2(db, stored_del_sql, -1, &del, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "keeping the at-risk customers by tier");
	if (sqlite3_prepare_v2(db, stored_put_sql, -1, &put, NULL) != SQLITE_OK) {
		sqlite3_finalize(del);
		return cs_db_error(db, diag, "keeping the at-risk customers by tier");
	}
	sqlite3_bind_text(del, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(del, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(del);
	for (int i = 0; rc == SQLITE_DONE && i <= tiers->n; i++) {
		sqlite3_reset(put);
		sqlite3_bind_text(put, 1, profile, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 2, day, -1, SQLITE_STATIC);
		sqlite3_bind_text(put, 3, sig, -1, SQLITE_STATIC);
		sqlite3_bind_int(put, 4, i);
		sqlite3_bind_int64(put, 5, sums[i].customers);
		sqlite3_bind_double(put, 6, sums[i].arr);
		rc = sqlite3_step(put);
	}
	sqlite3_finalize(del);
	sqlite3_finalize(put);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "keeping the at-risk customers by tier");
}

/* The kept figures of the run of day; 1 when they hold, 0 when not, -1. */
static int stored(sqlite3 *db, const struct cs_tiers *tiers, const char *profile,
		  const char *day, struct cs_tier_sum sums[CS_TIERS_MAX + 1], struct cs_diag *diag)
{
	char sig[CS_TIERS_MAX * 480];
	sqlite3_stmt *st;
	int rc, n = 0;

	signature(tiers, sig, sizeof(sig));
	if (sqlite3_prepare_v2(db, stored_get_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the at-risk customers by tier");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sig, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int i = sqlite3_column_int(st, 0);

		if (i < 0 || i > tiers->n)
			continue;
		sums[i].customers = (long)sqlite3_column_int64(st, 1);
		sums[i].arr = sqlite3_column_double(st, 2);
		n++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading the at-risk customers by tier");
	if (n == tiers->n + 1)
		return 1;
	memset(sums, 0, (CS_TIERS_MAX + 1) * sizeof(*sums));
	return 0;
}

int cs_tiers_at_risk(sqlite3 *db, const struct cs_tiers *tiers, const char *profile,
		     int32_t as_of, struct cs_tier_sum sums[CS_TIERS_MAX + 1],
		     struct cs_diag *diag)
{
	char day[11];
	sqlite3_stmt *st;
	int rc, found;

	memset(sums, 0, (CS_TIERS_MAX + 1) * sizeof(*sums));
	found = cs_snapshot_latest_date(db, profile, as_of, day, diag);
	if (found <= 0)
		return found;
	if ((found = stored(db, tiers, profile, day, sums, diag)))
		return found < 0 ? -1 : 0;
	if (sqlite3_prepare_v2(db, at_risk_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the at-risk customers by tier");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cs_tier_sums_add(tiers, sums, (const char *)sqlite3_column_text(st, 0),
				 sqlite3_column_type(st, 1) != SQLITE_NULL, sqlite3_column_double(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading the at-risk customers by tier");
}
