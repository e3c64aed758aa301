/*
 * report_weekly.h — the figures of the weekly report, gathered by
 * report_data.c and written by report.c. Private to src/core.
 *
 * Every list is a top N read with ORDER BY ... LIMIT, and every count an
 * aggregate in SQL, so the report costs little more at a million
 * customers than at a thousand. The actions are read in one pass, which
 * yields every action figure at once.
 */
#ifndef CASEY_REPORT_WEEKLY_H
#define CASEY_REPORT_WEEKLY_H

#include "casey/report.h"
#include "casey/summary.h"
#include "report_int.h"

#define RP_WEEK 7
#define RP_MONTH 30
#define RP_NPS_MONTHS 3		/* NPS by month in the insights */
#define RP_ADOPT 16		/* features in the adoption update */

struct theme_row {
	char category[32], theme[CS_THEME_MAX];
	long tickets, customers, last_week;
	double arr;
	bool escalate;
};

struct risk_row {
	char id[201], name[256], segment[64];
	bool arr_known, scored, has_delta;
	double arr;
	int score, delta;
	char band[8], cause[72];
	char why[300];		/* the reasons of the customer's actions, each part once */
	char esc[200];		/* the most urgent of them */
	bool overdue;
};

struct fr_seg {
	char name[64];
	long n;
};

/* A ticket theme over a rule's window: feature requests, docs gaps, bugs. */
struct fr_row {
	char category[32], theme[CS_THEME_MAX];
	long tickets, customers, at_risk;
	double arr, at_risk_arr;
	bool figures;		/* tickets and customers known */
	int nseg;
	struct fr_seg seg[RP_SEGMENTS];
	long seg_other;
	char *quote;
	char quote_segment[64];
	char quote_customer[201];
	long action;
	char action_status[16];
	bool action_overdue;
};

struct follow {
	long id;
	char kind[24], about[256], owner[128], status[16], created[11], due[20], outcome[300];
	bool overdue;
};

struct adopt_row {
	char id[64], name[128], released[11];
	int days;		/* since release */
	bool recent;
	long users;
	double pct;
	enum cs_adoption_status status;
	long docs, usability, other;	/* tickets about it, for a gap */
	const char *cause, *owner;
};

struct outcome_row {
	char name[256], outcome[300], date[11];
};

struct weekly {
	int32_t as_of;
	char day[11], next[11];
	struct cs_summary sum;
	long active;			/* not churned, created by the day */
	/* tickets */
	int nthemes;
	struct theme_row themes[CS_REPORT_MAX_THEMES];
	long week_tickets, prev_tickets, tickets30;
	long cat_now[CAT_COUNT + 1], cat_prev[CAT_COUNT + 1];	/* [CAT_COUNT]: none */
	/* at risk */
	long risk_customers, risk_imm, risk_overdue;
	double risk_arr;
	struct cs_tier_sum tier_risk[CS_TIERS_MAX + 1];	/* the at-risk by tier (tiers.h) */
	int nrisk;
	struct risk_row risk[CS_REPORT_MAX_ROWS];
	long churn_customers, churn_cancel, churn_downgrade, churn_red, churn_exec, churn_usage;
	double churn_arr;
	long churn_cleared;
	int noutcomes;
	struct outcome_row outcomes[CS_REPORT_MAX_INSIGHTS];
	/* insights: themes over their rules' windows, the most ARR first */
	int nfr, ndocs, nbugs;
	long fr_total, docs_total, bugs_total;
	struct fr_row fr[CS_REPORT_MAX_INSIGHTS], docs[CS_REPORT_MAX_INSIGHTS],
		      bugs[CS_REPORT_MAX_INSIGHTS];
	struct cs_nps_bucket months[RP_NPS_MONTHS];
	/* adoption */
	int nadopt;
	struct adopt_row adopt[RP_ADOPT];
	long adopt_gaps;		/* open adoption-gap actions */
	/* follow-up */
	long by_status[6], by_late[4], resolved_week;	/* late: past due, not acknowledged */
	long open_handoffs, open_overdue;
	char open_oldest[11];
	long kind_open[A_KIND_COUNT];
	int nfollow;
	struct follow follow[CS_REPORT_MAX_ROWS];
	/* KPIs */
	long red_alerts, red_on_time, red_late, red_open, red_pending;
	long checkins;
};

/* Fill w (as_of set by the caller). 0, or -1 reported. */
int rp_weekly_gather(sqlite3 *db, const struct cs_report_env *env, struct weekly *w,
		     struct cs_diag *diag);
void rp_weekly_free(struct weekly *w);

#endif
