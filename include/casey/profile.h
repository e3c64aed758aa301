/*
 * profile.h — health-score profiles: components, measures, bands.
 *
 * A profile is an INI file in assets/profiles/ (see default.ini for the
 * annotated format). Health = sum over components of weight x component
 * score; a component score = sum over its measures of weight x points,
 * each measure turning one metric (metrics.h) into 0..100 points by a
 * scheme: a bucket table, a linear range or a percentile rank. A measure
 * whose metric is absent follows its missing-data policy: fixed points, or
 * "exclude", which renormalises the remaining weights. The score is the
 * rounded sum; coverage is the share of the total weight that had data.
 *
 * Scoring is pure arithmetic on a struct cs_customer_metrics, so tests can
 * compute exact scores for hand-built inputs.
 */
#ifndef CASEY_PROFILE_H
#define CASEY_PROFILE_H

#include <stdbool.h>

#include "casey/diag.h"
#include "casey/metrics.h"

#define CS_MAX_COMPONENTS 8
#define CS_MAX_MEASURES 32
#define CS_MAX_BUCKETS 12

enum cs_band { CS_RED, CS_YELLOW, CS_GREEN };
extern const char *const cs_band_names[3];	/* "red", "yellow", "green" */

struct cs_bucket {
	enum { B_GE, B_GT, B_FEW, B_ELSE } op;	/* >=x, >x, n<x, else */
	double x;
	double points;
};

struct cs_measure {
	char name[32];
	int component;
	enum cs_metric metric;
	enum { S_BUCKETS, S_LINEAR, S_PERCENTILE } scheme;
	struct cs_bucket buckets[CS_MAX_BUCKETS];	/* S_BUCKETS, S_PERCENTILE */
	int nbuckets;
	double lo, hi;		/* S_LINEAR: lo -> 0 points, hi -> 100 */
	bool has_zero;		/* a raw value of exactly 0 scores zero_points */
	double zero_points;
	double weight;		/* within its component */
	bool exclude_missing;	/* else missing_points */
	double missing_points;
	int line;
};

struct cs_component {
	char name[32];
	double weight;
	int line;
};

struct cs_profile {
	char name[64];
	char version[32];
	char description[200];
	char path[512];
	double green, yellow;	/* band floors: score >= green is Green */
	struct cs_component comps[CS_MAX_COMPONENTS];
	int ncomps;
	struct cs_measure measures[CS_MAX_MEASURES];
	int nmeasures;
};

/*
 * Load and validate the profile name (assets/profiles/NAME.ini) or, with a
 * '/', the file at that path. Every problem is reported as FILE:LINE.
 */
int cs_profile_load(const char *name, struct cs_profile *p, struct cs_diag *diag);

struct cs_measure_score {
	bool present;		/* the metric had data */
	bool excluded;		/* absent and excluded: no weight */
	double raw;		/* the metric's value, when present */
	double points;		/* 0..100 */
	double weight;		/* effective weight within the component */
};

struct cs_score {
	double total;		/* unrounded weighted sum */
	int score;		/* round(total), 0..100 */
	enum cs_band band;
	double coverage;	/* 0..100: share of the weight backed by data */
	double comp[CS_MAX_COMPONENTS];
	bool comp_excluded[CS_MAX_COMPONENTS];
	double comp_weight[CS_MAX_COMPONENTS];	/* effective, after renormalising */
	struct cs_measure_score ms[CS_MAX_MEASURES];
};

void cs_profile_score(const struct cs_profile *p, const struct cs_customer_metrics *cm,
		      struct cs_score *out);
enum cs_band cs_profile_band(const struct cs_profile *p, int score);

/* The points one measure gives a present value (exposed for tests). */
double cs_measure_points(const struct cs_measure *m, const struct cs_customer_metrics *cm);

#endif
