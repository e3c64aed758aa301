/* profile.c — loading, validating and applying health profiles. See profile.h. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/assets.h"
#include "casey/ini.h"
#include "casey/profile.h"

const char *const cs_band_names[3] = { "red", "yellow", "green" };

/* Weights must sum to 1 within this tolerance (0.4 + 0.3 + 0.3 in binary). */
#define WEIGHT_EPS 1e-6

struct load {
	struct cs_profile *p;
	struct cs_ini *ini;
	int bands_line;
};

#define fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)
#define number cs_ini_number

static int find_component(struct cs_profile *p, const char *name)
{
	int i;

	for (i = 0; i < p->ncomps; i++)
		if (!strcmp(p->comps[i].name, name))
			return i;
	return -1;
}

/*
 * Component and measure names are stored in every run's layout and read
 * back split on ':', ';', '.' and '|' (score.c): letters, digits, '_'
 * and '-' only.
 */
static bool plain_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

/* The measure for section "measure.COMP.NAME", created on first sight. */
static struct cs_measure *section_measure(struct load *ld, const char *section)
{
	struct cs_profile *p = ld->p;
	const char *dot = strchr(section, '.');
	char comp[32];
	int c, i;

	if (!dot || dot == section || !dot[1] || (size_t)(dot - section) >= sizeof(comp)) {
		fail(ld, "a measure section is [measure.COMPONENT.NAME], not [measure.%s]", section);
		return NULL;
	}
	snprintf(comp, sizeof(comp), "%.*s", (int)(dot - section), section);
	c = find_component(p, comp);
	if (c < 0) {
		fail(ld, "measure '%s' belongs to unknown component '%s' (declare "
		     "[component.%s] first)", dot + 1, comp, comp);
		return NULL;
	}
	for (i = 0; i < p->nmeasures; i++)
		if (p->measures[i].component == c && !strcmp(p->measures[i].name, dot + 1))
			return &p->measures[i];
	if (p->nmeasures == CS_MAX_MEASURES) {
		fail(ld, "more than %d measures", CS_MAX_MEASURES);
		return NULL;
	}
	if (strlen(dot + 1) >= sizeof(p->measures[0].name)) {
		fail(ld, "measure name '%s' is too long", dot + 1);
		return NULL;
	}
	if (!plain_name(dot + 1)) {
		fail(ld, "bad measure name '%s' (letters, digits, '_' and '-' only)", dot + 1);
		return NULL;
	}
	struct cs_measure *m = &p->measures[p->nmeasures++];

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", dot + 1);
	m->component = c;
	m->metric = -1;
	m->weight = NAN;
	m->missing_points = NAN;
	m->line = ld->ini->line;
	return m;
}

/*
 * "buckets = >=20:100, >=8:80, >0:30, n<2:30, else:0". Thresholds must
 * descend, so that at most one bucket can match first and none is dead.
 */
static int parse_buckets(struct load *ld, struct cs_measure *m, const char *value)
{
	char buf[512], *tok, *save = NULL;
	double last = INFINITY;
	int last_ge = 0;

	snprintf(buf, sizeof(buf), "%s", value);
	m->nbuckets = 0;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct cs_bucket *b;
		char *colon = strrchr(tok, ':'), *cond = tok;

		while (isspace((unsigned char)*cond))
			cond++;
		if (!colon)
			return fail(ld, "bucket '%s' has no ':POINTS'", cond);
		*colon = '\0';
		if (m->nbuckets == CS_MAX_BUCKETS)
			return fail(ld, "more than %d buckets", CS_MAX_BUCKETS);
		b = &m->buckets[m->nbuckets];
		if (number(colon + 1, &b->points) || b->points < 0 || b->points > 100)
			return fail(ld, "bucket '%s': points must be 0..100", cond);
		for (char *e = cond + strlen(cond); e > cond && isspace((unsigned char)e[-1]); )
			*--e = '\0';
		if (m->nbuckets && m->buckets[m->nbuckets - 1].op == B_ELSE)
			return fail(ld, "bucket '%s' comes after 'else' and can never match", cond);
		if (!strcmp(cond, "else")) {
			b->op = B_ELSE;
		} else if (!strncmp(cond, "n<", 2)) {
			b->op = B_FEW;
			if (number(cond + 2, &b->x))
				return fail(ld, "bucket '%s': not a number after 'n<'", cond);
		} else if (!strncmp(cond, ">=", 2) || cond[0] == '>') {
			int ge = cond[1] == '=';

			b->op = ge ? B_GE : B_GT;
			if (number(cond + (ge ? 2 : 1), &b->x))
				return fail(ld, "bucket '%s': not a number", cond);
			/* >=x after >x (same x) is fine; anything not lower overlaps. */
			if (b->x > last || (b->x == last && !(ge && !last_ge)))
				return fail(ld, "buckets overlap: '%s' comes after a threshold "
					    "no higher than it (list them from high to low)", cond);
			last = b->x;
			last_ge = ge;
		} else {
			return fail(ld, "bucket '%s': expected >=X, >X, n<X or else", cond);
		}
		m->nbuckets++;
	}
	if (!m->nbuckets)
		return fail(ld, "no buckets");
	if (m->buckets[m->nbuckets - 1].op != B_ELSE)
		return fail(ld, "the last bucket must be 'else:POINTS', so every value scores");
	return 1;
}

static int measure_key(struct load *ld, struct cs_measure *m, const char *name,
		       const char *value)
{
	if (!strcmp(name, "metric")) {
		int k = cs_metric_find(value);

		if (k < 0)
			return fail(ld, "unknown metric '%s'", value);
		m->metric = k;
	} else if (!strcmp(name, "scheme")) {
		if (!strcmp(value, "buckets"))
			m->scheme = S_BUCKETS;
		else if (!strcmp(value, "linear"))
			m->scheme = S_LINEAR;
		else if (!strcmp(value, "percentile"))
			m->scheme = S_PERCENTILE;
		else
			return fail(ld, "unknown scheme '%s' (buckets, linear or percentile)", value);
	} else if (!strcmp(name, "buckets")) {
		return parse_buckets(ld, m, value);
	} else if (!strcmp(name, "range")) {
		char buf[64], *comma;

		snprintf(buf, sizeof(buf), "%s", value);
		comma = strchr(buf, ',');
		if (!comma)
			return fail(ld, "range is 'LOW, HIGH' (LOW scores 0, HIGH 100)");
		*comma = '\0';
		if (number(buf, &m->lo) || number(comma + 1, &m->hi) || m->lo == m->hi)
			return fail(ld, "range is 'LOW, HIGH' with two different numbers");
	} else if (!strcmp(name, "zero")) {
		if (number(value, &m->zero_points) || m->zero_points < 0 || m->zero_points > 100)
			return fail(ld, "zero: points must be 0..100");
		m->has_zero = true;
	} else if (!strcmp(name, "weight")) {
		if (number(value, &m->weight) || m->weight < 0 || m->weight > 1)
			return fail(ld, "weight must be a number from 0 to 1");
	} else if (!strcmp(name, "missing")) {
		if (!strcmp(value, "exclude")) {
			m->exclude_missing = true;
		} else if (!strncmp(value, "points ", 7)) {
			if (number(value + 7, &m->missing_points) ||
			    m->missing_points < 0 || m->missing_points > 100)
				return fail(ld, "missing: 'points N' needs N from 0 to 100");
		} else {
			return fail(ld, "missing is 'exclude' or 'points N'");
		}
	} else {
		return fail(ld, "unknown setting '%s' in a measure", name);
	}
	return 1;
}

static int handler(struct cs_ini *ini, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = ini->user;
	struct cs_profile *p = ld->p;
	double v;

	ld->ini = ini;
	if (!strcmp(section, "profile")) {
		if (!strcmp(name, "name"))
			snprintf(p->name, sizeof(p->name), "%s", value);
		else if (!strcmp(name, "version"))
			snprintf(p->version, sizeof(p->version), "%s", value);
		else if (!strcmp(name, "description"))
			snprintf(p->description, sizeof(p->description), "%s", value);
		else
			return fail(ld, "unknown setting '%s' in [profile]", name);
		return 1;
	}
	if (!strcmp(section, "bands")) {
		ld->bands_line = ld->ini->line;
		if (number(value, &v) || v <= 0 || v > 100 || v != floor(v))
			return fail(ld, "band edge '%s' must be a whole number from 1 to 100", value);
		if (!strcmp(name, "green"))
			p->green = v;
		else if (!strcmp(name, "yellow"))
			p->yellow = v;
		else
			return fail(ld, "unknown band '%s' (green, yellow; red is the rest)", name);
		return 1;
	}
	if (!strncmp(section, "component.", 10)) {
		int c = find_component(p, section + 10);

		if (c < 0) {
			if (p->ncomps == CS_MAX_COMPONENTS)
				return fail(ld, "more than %d components", CS_MAX_COMPONENTS);
			if (strlen(section + 10) >= sizeof(p->comps[0].name) ||
			    !plain_name(section + 10))
				return fail(ld, "bad component name '%s' (letters, digits, '_' and"
					    " '-' only)", section + 10);
			c = p->ncomps++;
			snprintf(p->comps[c].name, sizeof(p->comps[c].name), "%s", section + 10);
			p->comps[c].weight = NAN;
			p->comps[c].line = ld->ini->line;
		}
		if (strcmp(name, "weight"))
			return fail(ld, "unknown setting '%s' in a component", name);
		if (number(value, &p->comps[c].weight) || p->comps[c].weight < 0 ||
		    p->comps[c].weight > 1)
			return fail(ld, "weight must be a number from 0 to 1");
		return 1;
	}
	if (!strncmp(section, "measure.", 8)) {
		struct cs_measure *m = section_measure(ld, section + 8);

		return m ? measure_key(ld, m, name, value) : 0;
	}
	return fail(ld, "unknown section [%s]", section);
}

/* Whole-profile checks once the file is read. Returns 0 or -1 after reporting. */
static int validate(struct cs_profile *p, struct cs_diag *diag)
{
	double sum = 0;
	int c, i;

	if (!p->name[0] || !p->version[0])
		return cs_error(diag, "%s:1: [profile] needs a name and a version", p->path);
	if (!(p->green > p->yellow && p->yellow > 0))
		return cs_error(diag, "%s: bands must have green above yellow above 0 "
				"(green = %g, yellow = %g)", p->path, p->green, p->yellow);
	if (!p->ncomps)
		return cs_error(diag, "%s: no [component.NAME] sections", p->path);
	for (c = 0; c < p->ncomps; c++) {
		double msum = 0;
		int n = 0;

		if (isnan(p->comps[c].weight))
			return cs_error(diag, "%s:%d: component '%s' has no weight", p->path,
					p->comps[c].line, p->comps[c].name);
		sum += p->comps[c].weight;
		for (i = 0; i < p->nmeasures; i++) {
			struct cs_measure *m = &p->measures[i];

			if (m->component != c)
				continue;
			n++;
			if ((int)m->metric < 0)
				return cs_error(diag, "%s:%d: measure '%s' has no metric",
						p->path, m->line, m->name);
			if (isnan(m->weight))
				return cs_error(diag, "%s:%d: measure '%s' has no weight",
						p->path, m->line, m->name);
			if (!m->exclude_missing && isnan(m->missing_points))
				return cs_error(diag, "%s:%d: measure '%s' needs a missing-data "
						"policy ('missing = exclude' or 'missing = "
						"points N')", p->path, m->line, m->name);
			if (m->scheme != S_LINEAR && !m->nbuckets)
				return cs_error(diag, "%s:%d: measure '%s' needs buckets",
						p->path, m->line, m->name);
			if (m->scheme == S_LINEAR && m->lo == m->hi)
				return cs_error(diag, "%s:%d: measure '%s' needs a range",
						p->path, m->line, m->name);
			msum += m->weight;
		}
		if (!n)
			return cs_error(diag, "%s:%d: component '%s' has no measures",
					p->path, p->comps[c].line, p->comps[c].name);
		if (fabs(msum - 1) > WEIGHT_EPS)
			return cs_error(diag, "%s:%d: the weights of component '%s''s "
					"measures sum to %g, not 1", p->path,
					p->comps[c].line, p->comps[c].name, msum);
	}
	if (fabs(sum - 1) > WEIGHT_EPS)
		return cs_error(diag, "%s:%d: the component weights sum to %g, not 1",
				p->path, p->comps[0].line, sum);
	return 0;
}

int cs_profile_load(const char *name, struct cs_profile *p, struct cs_diag *diag)
{
	struct load ld = { .p = p };
	char rel[PATH_MAX];

	memset(p, 0, sizeof(*p));
	if (strchr(name, '/')) {
		snprintf(p->path, sizeof(p->path), "%s", name);
	} else {
		snprintf(rel, sizeof(rel), "profiles/%s.ini", name);
		if (cs_asset_find(rel, p->path, sizeof(p->path)))
			return cs_error(diag, "no profile '%s' (looked for %s in the assets "
					"directories)", name, rel);
	}
	if (cs_asset_check_safe(p->path, diag))
		return -1;
	if (cs_ini_parse(p->path, handler, &ld, diag))
		return -1;
	return validate(p, diag);
}

enum cs_band cs_profile_band(const struct cs_profile *p, int score)
{
	if (score >= p->green)
		return CS_GREEN;
	if (score >= p->yellow)
		return CS_YELLOW;
	return CS_RED;
}

/* The first bucket that matches value (with n observations). */
static double bucket_points(const struct cs_measure *m, double value, long n)
{
	int i;

	for (i = 0; i < m->nbuckets; i++) {
		const struct cs_bucket *b = &m->buckets[i];

		if ((b->op == B_GE && value >= b->x) || (b->op == B_GT && value > b->x) ||
		    (b->op == B_FEW && (double)n < b->x) || b->op == B_ELSE)
			return b->points;
	}
	return 0;	/* unreachable: validation requires a final else */
}

double cs_measure_points(const struct cs_measure *m, const struct cs_customer_metrics *cm)
{
	const struct cs_metric_value *v = &cm->m[m->metric];
	double t;

	if (m->has_zero && v->value == 0)
		return m->zero_points;
	switch (m->scheme) {
	case S_LINEAR:
		t = (v->value - m->lo) / (m->hi - m->lo);
		return 100 * (t < 0 ? 0 : t > 1 ? 1 : t);
	case S_PERCENTILE:
		/* p = customers below / customers ranked, on the same usage date */
		t = cm->core_ranked ? (double)cm->core_lower / (double)cm->core_ranked : 0;
		return bucket_points(m, t, v->n);
	case S_BUCKETS:
	default:
		return bucket_points(m, v->value, v->n);
	}
}

void cs_profile_score(const struct cs_profile *p, const struct cs_customer_metrics *cm,
		      struct cs_score *out)
{
	double total_w = 0, covered_w = 0, comp_sum = 0, comp_w_sum = 0;
	int c, i;

	memset(out, 0, sizeof(*out));
	for (c = 0; c < p->ncomps; c++) {
		double wsum = 0, psum = 0;

		for (i = 0; i < p->nmeasures; i++) {
			const struct cs_measure *m = &p->measures[i];
			struct cs_measure_score *ms = &out->ms[i];
			const struct cs_metric_value *v = &cm->m[m->metric];

			if (m->component != c)
				continue;
			total_w += p->comps[c].weight * m->weight;
			ms->present = v->present;
			ms->raw = v->value;
			if (v->present) {
				ms->points = cs_measure_points(m, cm);
				covered_w += p->comps[c].weight * m->weight;
			} else if (m->exclude_missing) {
				ms->excluded = true;
				continue;
			} else {
				ms->points = m->missing_points;
			}
			ms->weight = m->weight;
			wsum += m->weight;
			psum += m->weight * ms->points;
		}
		/* Renormalise over the measures that count; none: drop the component. */
		if (wsum <= 0) {
			out->comp_excluded[c] = true;
			continue;
		}
		for (i = 0; i < p->nmeasures; i++)
			if (p->measures[i].component == c && !out->ms[i].excluded)
				out->ms[i].weight = p->measures[i].weight / wsum;
		out->comp[c] = psum / wsum;
		comp_sum += p->comps[c].weight * out->comp[c];
		comp_w_sum += p->comps[c].weight;
	}
	for (c = 0; c < p->ncomps; c++)
		if (!out->comp_excluded[c] && comp_w_sum > 0)
			out->comp_weight[c] = p->comps[c].weight / comp_w_sum;
	out->total = comp_w_sum > 0 ? comp_sum / comp_w_sum : 0;
	/* round() of the weighted sum; the nudge keeps 79.5 from becoming 79.4999... */
	out->score = (int)floor(out->total + 0.5 + 1e-9);
	if (out->score > 100)
		out->score = 100;
	if (out->score < 0)
		out->score = 0;
	out->band = cs_profile_band(p, out->score);
	out->coverage = total_w > 0 ? 100 * covered_w / total_w : 0;
}
