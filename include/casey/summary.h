/*
 * summary.h — what the dashboard's first screen and `casey summary` show:
 * the customer count, the Green/Yellow/Red distribution of the profile's
 * latest snapshot on or before the as-of date and of the one a week
 * earlier, the customers at risk, NPS and CSAT.
 */
#ifndef CASEY_SUMMARY_H
#define CASEY_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/satisfaction.h"

struct sqlite3;

/* At-risk customers listed (highest ARR first); the count covers all. */
#define CS_SUMMARY_AT_RISK 25
/* Ticket themes of the week listed (highest ARR first). */
#define CS_SUMMARY_THEMES 10
#define CS_SUMMARY_THEME_DAYS 7

struct cs_rules;

struct cs_band_counts {
	bool scored;		/* a snapshot exists */
	char date[11];		/* its date */
	long green, yellow, red;
	double average;
};

struct cs_at_risk {
	char customer_id[201];
	char name[256];
	bool arr_known;
	double arr;
	int score;
	char band[8];
	char trend[12];
	bool has_delta30;
	int delta30;
	char top_reason[72];	/* the weakest measure, "component.measure" */
};

struct cs_summary {
	int32_t as_of;
	char profile[64];
	long customers;		/* every customer in the database */
	long churned;		/* of which churned */
	struct cs_band_counts now, week_ago;
	long at_risk_count;	/* Red, or Yellow and declining */
	double at_risk_arr;	/* their known ARR */
	int nat_risk;
	struct cs_at_risk at_risk[CS_SUMMARY_AT_RISK];
	int nthemes;
	struct {
		char category[32];
		char theme[96];
		long tickets, customers;
		double arr;
		bool escalate;	/* meets the theme-escalation rule */
	} themes[CS_SUMMARY_THEMES];
	struct cs_nps nps;
	struct cs_csat csat;
};

/*
 * The at-risk customers of the profile's run of date (YYYY-MM-DD), from
 * its snapshots, largest ARR first: at most max of them into out, *n how
 * many. The summary reads the copy a score run kept of them (figures.h)
 * while it holds, else this.
 */
int cs_at_risk_list(struct sqlite3 *db, const char *profile, const char *date,
		    struct cs_at_risk *out, int max, int *n, struct cs_diag *diag);

/*
 * Load the summary. rules (may be NULL) decides which themes are flagged
 * for escalation.
 */
int cs_summary_load(struct sqlite3 *db, const char *profile, const struct cs_rules *rules,
		    int32_t as_of, struct cs_summary *out, struct cs_diag *diag);

#endif
