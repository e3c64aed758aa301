/* snapshot.c — reading snapshots back. See snapshot.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/score.h"
#include "casey/snapshot.h"
#include "casey/value.h"

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? (const char *)t : "";
}

/* Component i from its name and "points[:weight]" (weight otherwise w). */
static void set_comp(struct cs_snapshot *s, int i, const char *name, const char *val, double w)
{
	const char *colon = strchr(val, ':');

	snprintf(s->comps[i].name, sizeof(s->comps[i].name), "%s", name);
	s->comps[i].excluded = val[0] == '-';
	s->comps[i].points = s->comps[i].excluded ? 0 : atof(val);
	s->comps[i].weight = colon ? atof(colon + 1) : w;
}

/*
 * Measure i from its names and "raw:points[:weight]" (weight otherwise w);
 * false if val has no points.
 */
static bool set_measure(struct cs_snapshot *s, int i, const char *comp, const char *name,
			const char *val, double w)
{
	const char *p2 = strchr(val, ':'), *p3 = p2 ? strchr(p2 + 1, ':') : NULL;

	if (!p2)
		return false;
	snprintf(s->measures[i].comp, sizeof(s->measures[i].comp), "%s", comp);
	snprintf(s->measures[i].name, sizeof(s->measures[i].name), "%s", name);
	/* missing is a lone "-"; "-1" (contracting) is a value */
	s->measures[i].present = !(val[0] == '-' && val + 1 == p2);
	s->measures[i].raw = s->measures[i].present ? atof(val) : NAN;
	s->measures[i].excluded = p2[1] == '-';
	s->measures[i].points = s->measures[i].excluded ? 0 : atof(p2 + 1);
	s->measures[i].weight = p3 ? atof(p3 + 1) : w;
	return true;
}

/* The form before migration 14: "a=1.5:0.4;b=-:0" -> components. */
static void decode_comps(struct cs_snapshot *s, const char *text)
{
	char buf[1024], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, ";", &save); tok && s->ncomps < CS_MAX_COMPONENTS;
	     tok = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			continue;
		*eq = '\0';
		set_comp(s, s->ncomps++, tok, eq + 1, 0);
	}
}

/* ... and "comp.measure=raw:points:weight;..." -> measures. */
static void decode_measures(struct cs_snapshot *s, const char *text)
{
	char buf[4096], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", text);
	for (tok = strtok_r(buf, ";", &save); tok && s->nmeasures < CS_MAX_MEASURES;
	     tok = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(tok, '='), *dot = strchr(tok, '.'), *p2;

		if (!eq || !dot || dot > eq)
			continue;
		*eq = *dot = '\0';
		/* every weight is spelled out in this form */
		if (!(p2 = strchr(eq + 1, ':')) || !strchr(p2 + 1, ':'))
			continue;
		if (set_measure(s, s->nmeasures, tok, dot + 1, eq + 1, 0))
			s->nmeasures++;
	}
}

/*
 * The compact form (score.c): the run's layout names the components and
 * measures with the profile's weights, "c:w;...|c.m:w;...", and the row
 * holds the values in that order. A row without its layout (its run's
 * totals gone) has no breakdown rather than a wrong one.
 */
static void decode_compact(struct cs_snapshot *s, const char *layout, const char *components,
			   const char *measures)
{
	char lay[CS_LAYOUT_MAX], comps[1024], meas[4096];
	char *lsave = NULL, *rsave = NULL, *bar, *tok, *val;

	snprintf(lay, sizeof(lay), "%s", layout);
	snprintf(comps, sizeof(comps), "%s", components);
	snprintf(meas, sizeof(meas), "%s", measures);
	if (!(bar = strchr(lay, '|')))
		return;
	*bar = '\0';
	for (tok = strtok_r(lay, ";", &lsave), val = strtok_r(comps, ";", &rsave);
	     tok && val && s->ncomps < CS_MAX_COMPONENTS;
	     tok = strtok_r(NULL, ";", &lsave), val = strtok_r(NULL, ";", &rsave)) {
		char *colon = strrchr(tok, ':');

		if (!colon)
			break;
		*colon = '\0';
		set_comp(s, s->ncomps++, tok, val, atof(colon + 1));
	}
	lsave = rsave = NULL;
	for (tok = strtok_r(bar + 1, ";", &lsave), val = strtok_r(meas, ";", &rsave);
	     tok && val && s->nmeasures < CS_MAX_MEASURES;
	     tok = strtok_r(NULL, ";", &lsave), val = strtok_r(NULL, ";", &rsave)) {
		char *dot = strchr(tok, '.'), *colon = strrchr(tok, ':');

		if (!dot || !colon || colon < dot)
			break;
		*dot = *colon = '\0';
		if (!set_measure(s, s->nmeasures, tok, dot + 1, val, atof(colon + 1)))
			break;
		s->nmeasures++;
	}
}

/* Each measure's health points: component weight x measure weight x points. */
static void contributions(struct cs_snapshot *s)
{
	for (int i = 0; i < s->nmeasures; i++) {
		s->measures[i].contribution = 0;
		for (int c = 0; c < s->ncomps; c++)
			if (!strcmp(s->comps[c].name, s->measures[i].comp) &&
			    !s->measures[i].excluded)
				s->measures[i].contribution = s->comps[c].weight *
					s->measures[i].weight * s->measures[i].points;
	}
}

static void read_row(sqlite3_stmt *st, struct cs_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->as_of, sizeof(s->as_of), "%s", col(st, 0));
	snprintf(s->profile, sizeof(s->profile), "%s", col(st, 1));
	snprintf(s->version, sizeof(s->version), "%s", col(st, 2));
	s->score = sqlite3_column_int(st, 3);
	snprintf(s->band, sizeof(s->band), "%s", col(st, 4));
	s->coverage = sqlite3_column_double(st, 5);
	s->has_delta30 = sqlite3_column_type(st, 6) != SQLITE_NULL;
	s->delta30 = sqlite3_column_int(st, 6);
	snprintf(s->trend, sizeof(s->trend), "%s", col(st, 7));
	s->drop20 = sqlite3_column_int(st, 8) != 0;
	cs_snapshot_decode(s, col(st, 11), col(st, 9), col(st, 10));
}

void cs_snapshot_decode(struct cs_snapshot *snap, const char *layout, const char *components,
			const char *measures)
{
	snap->ncomps = snap->nmeasures = 0;
	/* the form before migration 14 names everything in the row */
	if (strchr(components, '=') || strchr(measures, '=')) {
		decode_comps(snap, components);
		decode_measures(snap, measures);
	} else if (layout && layout[0]) {
		decode_compact(snap, layout, components, measures);
	}
	contributions(snap);
}

void cs_snapshot_weakest(const struct cs_snapshot *snap, char *out, size_t size)
{
	double worst = 0.5;
	int i;

	out[0] = '\0';
	for (i = 0; i < snap->nmeasures; i++) {
		double w = 0, loss;

		if (snap->measures[i].excluded)
			continue;
		for (int c = 0; c < snap->ncomps; c++)
			if (!strcmp(snap->comps[c].name, snap->measures[i].comp))
				w = snap->comps[c].weight;
		loss = w * snap->measures[i].weight * (100 - snap->measures[i].points);
		if (loss > worst) {
			worst = loss;
			snprintf(out, size, "%s.%s", snap->measures[i].comp, snap->measures[i].name);
		}
	}
}

int cs_snapshot_get(sqlite3 *db, const char *profile, const char *customer_id,
		    int32_t as_of, struct cs_snapshot *snap, bool *found,
		    struct cs_snapshot *prev, bool *prev_found, struct cs_diag *diag)
{
	static const char sql[] =
		/* the run dates, newest first, each one primary-key seek */
		"WITH RECURSIVE d(day) AS ("
		"  SELECT max(as_of) FROM snapshots WHERE profile = ?2 AND as_of <= ?3"
		"  UNION ALL"
		"  SELECT (SELECT max(as_of) FROM snapshots WHERE profile = ?2 AND as_of < d.day)"
		"    FROM d WHERE d.day IS NOT NULL)"
		"SELECT s.as_of, s.profile, s.profile_version, s.score, s.band, s.coverage,"
		"       s.delta30, s.trend, s.drop20, s.components, s.measures,"
		"       (SELECT layout FROM snapshot_stats t WHERE t.profile = s.profile"
		"         AND t.as_of = s.as_of)"
		"  FROM d CROSS JOIN snapshots s"
		"    ON s.profile = ?2 AND s.as_of = d.day AND s.customer_id = ?1"
		" ORDER BY s.as_of DESC LIMIT 2";
	char day[11];
	sqlite3_stmt *st;
	int rc;

	*found = false;
	if (prev_found)
		*prev_found = false;
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading snapshots");
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, snap);
		*found = true;
		if (prev && (rc = sqlite3_step(st)) == SQLITE_ROW) {
			read_row(st, prev);
			*prev_found = true;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading snapshots");
	return 0;
}

int cs_snapshot_latest_date(sqlite3 *db, const char *profile, int32_t as_of, char *out,
			    struct cs_diag *diag)
{
	sqlite3_stmt *st;
	char day[11];
	int rc, found = 0;

	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, "SELECT max(as_of) FROM snapshots WHERE profile = ?1"
			       " AND as_of <= ?2", -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading snapshots");
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(out, 11, "%s", col(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading snapshots");
	return found;
}

int cs_customers_list(sqlite3 *db, const struct cs_customer_query *q,
		      cs_customer_cb cb, void *ctx, struct cs_diag *diag)
{
	static const char by_id[] =
		"SELECT c.customer_id, c.name, c.segment, c.csm, c.renewal_date, c.status,"
		"       c.arr, s.score, s.band, s.trend, s.delta30, s.drop20, s.engagement,"
		"       s.sentiment, s.growth, s.coverage"
		"  FROM snapshots s JOIN customers c USING (customer_id)"
		" WHERE s.profile = ?1 AND s.as_of = ?2 AND (?3 IS NULL OR s.band = ?3)"
		" ORDER BY c.customer_id LIMIT ?4";
	static const char by_score[] =
		"SELECT c.customer_id, c.name, c.segment, c.csm, c.renewal_date, c.status,"
		"       c.arr, s.score, s.band, s.trend, s.delta30, s.drop20, s.engagement,"
		"       s.sentiment, s.growth, s.coverage"
		"  FROM snapshots s JOIN customers c USING (customer_id)"
		" WHERE s.profile = ?1 AND s.as_of = ?2 AND (?3 IS NULL OR s.band = ?3)"
		" ORDER BY s.score, c.customer_id LIMIT ?4";
	char day[11];
	sqlite3_stmt *st;
	int rc, found, stop = 0;

	found = cs_snapshot_latest_date(db, q->profile, q->as_of, day, diag);
	if (found <= 0)
		return found;
	if (sqlite3_prepare_v2(db, q->order == CS_BY_SCORE ? by_score : by_id, -1, &st,
			       NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "listing customers");
	sqlite3_bind_text(st, 1, q->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_STATIC);
	if (q->band)
		sqlite3_bind_text(st, 3, q->band, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, q->limit > 0 ? q->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_customer_row r = {
			.customer_id = col(st, 0), .name = col(st, 1), .segment = col(st, 2),
			.csm = col(st, 3), .renewal_date = col(st, 4), .status = col(st, 5),
			.arr_known = sqlite3_column_type(st, 6) != SQLITE_NULL,
			.arr = sqlite3_column_double(st, 6), .score = sqlite3_column_int(st, 7),
			.band = col(st, 8), .trend = col(st, 9),
			.has_delta30 = sqlite3_column_type(st, 10) != SQLITE_NULL,
			.delta30 = sqlite3_column_int(st, 10),
			.drop20 = sqlite3_column_int(st, 11) != 0,
			.engagement = sqlite3_column_double(st, 12),
			.sentiment = sqlite3_column_double(st, 13),
			.growth = sqlite3_column_double(st, 14),
			.coverage = sqlite3_column_double(st, 15), .as_of = day,
		};

		for (int i = 0; i < 3; i++)
			r.has_comp[i] = sqlite3_column_type(st, 12 + i) != SQLITE_NULL;
		if ((stop = cb(ctx, &r)))
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = cs_db_error(db, diag, "listing customers");
	sqlite3_finalize(st);
	return stop;
}
