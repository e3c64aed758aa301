/*
 * tiers.h — customer tiers (seed 003) and what each tier is promised.
 *
 * A customer's tier is the one its export names (customers.segment, matched
 * against each tier's name and aliases ignoring case, blanks and
 * punctuation: "mid market", "Mid-Market" and "MIDMARKET" are one), else
 * the one its ARR falls in. Unknown ARR and no named tier: no tier (-1),
 * shown as such. Every number is in assets/tiers.ini; the defaults:
 *
 *   tier             ARR                  response  reviews    CSM
 *   Enterprise       >= 100,000           < 2 h     30 days    1:1
 *   Mid-Market       25,000 - 99,999.99   < 4 h     30 days    1:5
 *   Small Business    5,000 - 24,999.99   < 24 h    90 days    1:20
 *   Trial/Freemium   < 5,000              48 h+     none       automated
 *
 * ARR ranges are [arr_min, arr_below): $99,999.99 is Mid-Market and
 * $100,000.00 Enterprise. The file is refused (FILE:LINE) when the ranges
 * overlap, leave a gap, or a number is bad.
 *
 * Use:
 *
 *	struct cs_tiers tiers;
 *	if (cs_tiers_load(NULL, &tiers, diag))	// assets/tiers.ini
 *		return -1;
 *	int t = cs_tier_of(&tiers, c.segment, c.arr_known, c.arr);
 *	if (t >= 0 && tiers.t[t].review_days)
 *		next_review = last_review + tiers.t[t].review_days;
 *
 * A struct cs_tiers is plain data (no pointers): copy it, keep it as long
 * as you like, nothing to free. Tier indexes follow the file's order
 * (Enterprise first in the shipped file).
 */
#ifndef CASEY_TIERS_H
#define CASEY_TIERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/diag.h"

struct sqlite3;

#define CS_TIERS_MAX 8
/* What filters call "no tier" (no tier may be named so). */
#define CS_TIER_NONE "none"
#define CS_TIER_ALIASES_MAX 12

struct cs_tier {
	char name[32];			/* "Mid-Market": the section's name */
	char label[8];			/* short, for narrow columns: "Mid" */
	/* normalised (lowercase letters and digits only), the name's first */
	char aliases[CS_TIER_ALIASES_MAX][32];
	int naliases;
	double arr_min;			/* ARR from this (inclusive) ... */
	bool has_arr_below;		/* ... to arr_below (exclusive); the top tier has none */
	double arr_below;
	int response_hours;		/* first response: within (< N h), or ... */
	bool response_at_least;		/* ... N h or more ("48 h+") */
	int review_days;		/* business-review cadence in days; 0: none */
	int csm_ratio;			/* customers per CSM (1:N); 0: automated */
	int onboarding_days;		/* onboarding duration; 0: self-paced */
};

struct cs_tiers {
	char path[512];
	int n;
	struct cs_tier t[CS_TIERS_MAX];
};

/*
 * Load assets/tiers.ini (name NULL or "tiers"), another asset name, or a
 * path with '/'. Returns 0, or -1 with "FILE:LINE: what is wrong".
 */
int cs_tiers_load(const char *name, struct cs_tiers *tiers, struct cs_diag *diag);

/* The tier named s (a name or an alias, any case or punctuation); -1 none. */
int cs_tier_find(const struct cs_tiers *tiers, const char *s);

/* The tier of ARR alone; -1 when unknown (!arr_known) or outside every range. */
int cs_tier_of_arr(const struct cs_tiers *tiers, bool arr_known, double arr);

/*
 * A customer's tier: the one segment names, else the one of its ARR;
 * -1 for no tier. segment may be NULL or "".
 */
int cs_tier_of(const struct cs_tiers *tiers, const char *segment, bool arr_known, double arr);

/* The response SLA as people write it: "< 2 h", "48 h+". */
void cs_tier_sla(const struct cs_tier *t, char *buf, size_t size);
/* The CSM ratio: "1:5", "automated". */
void cs_tier_ratio(const struct cs_tier *t, char *buf, size_t size);

/* Customers and their known ARR (unknown counts 0). */
struct cs_tier_sum {
	long customers;
	double arr;
};

/*
 * The at-risk customers (Red, or Yellow and declining) of the profile's
 * latest snapshot on or before as_of, by tier: sums[i] for tier i,
 * sums[tiers->n] for those with none. All zero when nothing is scored.
 * What the scoring run of that date kept (cs_tiers_at_risk_store()) when
 * it still holds (no import since, the same tiers), else counted from the
 * run's snapshots and each at-risk customer's record.
 */
int cs_tiers_at_risk(struct sqlite3 *db, const struct cs_tiers *tiers, const char *profile,
		     int32_t as_of, struct cs_tier_sum sums[CS_TIERS_MAX + 1],
		     struct cs_diag *diag);

/* A scoring run adds up its at-risk customers as it scores them ... */
void cs_tier_sums_add(const struct cs_tiers *tiers, struct cs_tier_sum sums[CS_TIERS_MAX + 1],
		      const char *segment, bool arr_known, double arr);
/* ... and keeps them for its date, inside its transaction. 0 or -1. */
int cs_tiers_at_risk_store(struct sqlite3 *db, const struct cs_tiers *tiers, const char *profile,
			   int32_t as_of, const struct cs_tier_sum sums[CS_TIERS_MAX + 1],
			   struct cs_diag *diag);

/*
 * Make casey_tier(segment, arr) available to SQL on db: the tier's name,
 * or NULL for no tier (lists filter and reports group with it). tiers
 * must stay valid as long as db uses the function.
 */
int cs_tiers_sql(struct sqlite3 *db, const struct cs_tiers *tiers, struct cs_diag *diag);

#endif
