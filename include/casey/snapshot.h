/*
 * snapshot.h — reading stored score snapshots back: one customer's
 * breakdown (for `casey explain` and the detail screen) and lists of
 * customers with their latest scores (for `casey customers` and the
 * customer list), page by page.
 */
#ifndef CASEY_SNAPSHOT_H
#define CASEY_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/profile.h"

struct sqlite3;

struct cs_snapshot {
	char as_of[11];
	char profile[64];
	char version[32];
	int score;
	char band[8];
	double coverage;
	bool has_delta30;
	int delta30;
	char trend[12];
	bool drop20;
	int ncomps;
	struct {
		char name[32];
		bool excluded;
		double points, weight;
	} comps[CS_MAX_COMPONENTS];
	int nmeasures;
	struct {
		char comp[32], name[32];
		bool present, excluded;
		double raw, points, weight;
		double contribution;	/* health points this measure adds */
	} measures[CS_MAX_MEASURES];
};

/*
 * The profile's latest snapshot of customer_id on or before as_of (*found 0
 * if none) and, when prev is not NULL, the one before it (prev_found).
 */
int cs_snapshot_get(struct sqlite3 *db, const char *profile, const char *customer_id,
		    int32_t as_of, struct cs_snapshot *snap, bool *found,
		    struct cs_snapshot *prev, bool *prev_found, struct cs_diag *diag);

/*
 * Fill snap's components and measures from their stored text forms and
 * their run's layout (snapshot_stats.layout; NULL or "" for rows that
 * name everything themselves, as those before migration 14 do).
 */
void cs_snapshot_decode(struct cs_snapshot *snap, const char *layout, const char *components,
			const char *measures);
/*
 * The measure that costs the most health points (weight x points short of
 * 100), as "component.measure", into out; "" when none costs a point.
 */
void cs_snapshot_weakest(const struct cs_snapshot *snap, char *out, size_t size);

/* A customer row of a list: the customer and their latest snapshot. */
struct cs_customer_row {
	const char *customer_id, *name, *segment, *csm, *renewal_date, *status;
	bool arr_known;
	double arr;
	int score;
	const char *band, *trend;
	bool has_delta30;
	int delta30;
	bool drop20;
	bool has_comp[3];
	double engagement, sentiment, growth;
	double coverage;
	const char *as_of;
};

struct cs_customer_query {
	const char *profile;
	int32_t as_of;
	const char *band;	/* "green", "yellow", "red" or NULL */
	enum { CS_BY_ID, CS_BY_SCORE } order;	/* by score: lowest first, then id */
	int limit;		/* 0: no limit */
};

typedef int (*cs_customer_cb)(void *ctx, const struct cs_customer_row *row);
/*
 * Customers scored in the profile's latest snapshot on or before as_of,
 * in the order asked, with their data. Strings in the row
 * are valid only during the callback.
 */
int cs_customers_list(struct sqlite3 *db, const struct cs_customer_query *q,
		      cs_customer_cb cb, void *ctx, struct cs_diag *diag);

/* The date of the profile's latest snapshot on or before as_of; 0 if none. */
int cs_snapshot_latest_date(struct sqlite3 *db, const char *profile, int32_t as_of,
			    char *out, struct cs_diag *diag);

#endif
