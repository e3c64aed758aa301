/*
 * summary.h — what the dashboard's first screen and `casey summary` show:
 * the customer count, the Green/Yellow/Red distribution of the latest
 * score snapshot on or before the as-of date, NPS and CSAT.
 */
#ifndef CASEY_SUMMARY_H
#define CASEY_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/satisfaction.h"

struct sqlite3;

struct cs_summary {
	int32_t as_of;
	long customers;		/* every customer in the database */
	long churned;		/* of which churned */
	bool scored;		/* a snapshot exists on or before as_of */
	char snapshot_date[11];	/* the snapshot shown, when scored */
	long green, yellow, red;
	double average_score;	/* when scored */
	struct cs_nps nps;
	struct cs_csat csat;
};

int cs_summary_load(struct sqlite3 *db, int32_t as_of, struct cs_summary *out,
		    struct cs_diag *diag);

#endif
