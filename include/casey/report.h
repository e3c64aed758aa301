/*
 * report.h — what casey hands to others: the weekly report for Product
 * (PRODUCT.md §6, seed 001 "Weekly Report Structure", spec 000 "Report
 * weekly customer insights"), the metrics of the analytics dashboard
 * (spec 000 "Integration with Ana"), and the retention purge that keeps
 * the aggregates those trends read (§7).
 *
 * Everything is computed from the database as of a day and written to a
 * FILE* the caller gives, or returned in plain structs; nothing here
 * prints on its own or reads the clock, so the same database and as-of day
 * give the same bytes. Every threshold, target, tier and wording lives in
 * assets/report.ini and assets/casey.ini (struct cs_report_env), never in
 * code.
 *
 * Scale: figures are aggregated in SQL and only the top N of any list is
 * read, so a million customers cost seconds, not memory.
 *
 * Privacy: quotes (ticket text, survey comments) in every document go
 * through cs_anonymise() (customer and CSM names, emails, phone numbers).
 * The weekly report names the customers it asks Product to act on (the
 * spec's "at-risk customers requiring action"); customers behind a feature
 * request are counted by ARR tier, never named.
 */
#ifndef CASEY_REPORT_H
#define CASEY_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "casey/analytics.h"
#include "casey/diag.h"
#include "casey/profile.h"
#include "casey/rules.h"
#include "casey/satisfaction.h"
#include "casey/tickets.h"
#include "casey/tiers.h"

struct sqlite3;

#define CS_REPORT_TIERS 8
#define CS_REPORT_TEXT 600	/* a configured sentence or template */
/* Upper bounds of report.ini's list lengths. */
#define CS_REPORT_MAX_THEMES 20
#define CS_REPORT_MAX_ROWS 50
#define CS_REPORT_MAX_INSIGHTS 10

/* A configured text for one key (a measure, a category, a segment). */
struct cs_report_text {
	char key[64];
	char text[CS_REPORT_TEXT];
};
#define CS_REPORT_TEXTS 24

/* assets/report.ini: see that file for what each key means. */
struct cs_report_cfg {
	char path[512];
	/* [report] */
	int themes_summary, themes_analysis;	/* 5 and 10 */
	int customers, escalations, insights;	/* rows per table */
	int quote_max;				/* bytes of a quote */
	int due_weekday;			/* 0 Sunday .. 6 Saturday */
	/* [kpi]: seed 001 "Success Metrics" */
	double kpi_health, kpi_churn_pct, kpi_tickets_month, kpi_nps, kpi_adoption_pct;
	int kpi_red_hours;
	/* [arr_tiers] and [tenure]: name and floor, highest floor first */
	int ntiers;
	struct { char name[32]; double floor; } tiers[CS_REPORT_TIERS];
	int ntenure;
	struct { char name[32]; int days; } tenure[CS_REPORT_TIERS];
	/* [rice] */
	double rice_massive_arr, rice_high_arr, rice_medium_arr;
	int rice_high_tickets, rice_medium_tickets;
	/* [bug_priority]: raise the tickets' priority one level at this impact */
	int bug_raise_customers;
	double bug_raise_arr;
	/* texts: [recommend] per category, [retention] per churn signal,
	 * [checkin] and [announce] templates */
	int nrecommend, nretention, ncheckin, nannounce;
	struct cs_report_text recommend[CS_REPORT_TEXTS], retention[CS_REPORT_TEXTS];
	struct cs_report_text checkin[CS_REPORT_TEXTS], announce[CS_REPORT_TEXTS];
};

/* assets/casey.ini: the hand-off command and the retention period. */
#define CS_INTAKE_ARGS 16
struct cs_casey_cfg {
	char path[512];
	/* [intake]: command, its fixed arguments, then the request */
	char command[256];		/* "" when none is configured */
	int nargs;
	char args[CS_INTAKE_ARGS][64];
	bool intake_kind[A_KIND_COUNT];	/* the action kinds it takes */
	/* [privacy] */
	int retention_days, min_retention_days;
};

/* Everything the reports read besides the database, loaded once. */
struct cs_report_env {
	char profile[64];		/* the score profile's name (or path) */
	struct cs_profile prof;		/* ... loaded: measure -> metric */
	struct cs_report_cfg cfg;
	struct cs_casey_cfg casey;
	struct cs_rules rules;
	struct cs_analytics_config analytics;
	struct cs_tickets_config *tickets;
	struct cs_tiers tiers;		/* assets/tiers.ini */
};

/*
 * Load report.ini, casey.ini, rules.ini, tickets.ini, analytics.ini, tiers.ini and
 * the score profile from the assets directories (assets.h). Errors name the file and line. Returns a malloc'd environment
 * (free with cs_report_env_free()) or NULL.
 */
struct cs_report_env *cs_report_env_load(const char *profile, struct cs_diag *diag);
void cs_report_env_free(struct cs_report_env *env);

/* The configured text for key in one of the cfg's tables, or NULL. */
const char *cs_report_text(const struct cs_report_text *t, int n, const char *key);

/*
 * A measure's raw value in words ("6 login days in 30", "missing"), by
 * the metric the profile gives it, into buf.
 */
void cs_report_describe(const struct cs_report_env *env, const char *comp, const char *measure,
			bool present, double raw, char *buf, size_t size);

/* --- the weekly report ------------------------------------------------------ */

/*
 * The weekly report as of as_of, in Markdown, to out. Its sections follow
 * seed 001: executive summary (distribution and its change against the
 * snapshot a week earlier, average, top 5 themes), immediate action
 * required (at-risk customers with their escalations, churn risks), the
 * week's top 10 ticket themes with owner and recommendation, key insights
 * (feature requests with RICE inputs, documentation gaps, bugs, NPS/CSAT),
 * feature adoption, follow-up on earlier escalations (status, age,
 * overdue), recommended priorities, and the KPI table against seed 001's
 * targets. No wall-clock time: the as-of day is the report's date.
 */
int cs_report_weekly(struct sqlite3 *db, const struct cs_report_env *env, int32_t as_of,
		     FILE *out, struct cs_diag *diag);

/* --- metrics for the analytics dashboard ------------------------------------ */

/* CS_DIM_TIER: the customer tiers of tiers.h (a named tier over the ARR's) */
enum cs_dim { CS_DIM_SEGMENT, CS_DIM_PLAN, CS_DIM_TENURE, CS_DIM_ARR_TIER, CS_DIM_TIER,
	      CS_DIM_COUNT };
extern const char *const cs_dim_names[CS_DIM_COUNT];	/* "segment", "plan", ... */
int cs_dim_find(const char *name);			/* -1 if none */

struct cs_metric_group {
	char key[128];		/* the segment, plan, tenure band or tier; "(none)" */
	long customers;
	double arr;		/* known ARR, summed */
	double average;		/* health */
	bool has_components;	/* engagement/sentiment/growth exist (default profile) */
	double engagement, sentiment, growth;
	long green, yellow, red;
};

struct cs_metric_export {
	char as_of[11], snapshot[11];	/* snapshot "" when none */
	char profile[64];
	enum cs_dim dim;
	int n;
	struct cs_metric_group *groups;	/* in the configured order, or by key */
};

/*
 * The customers of the profile's latest snapshot on or before as_of,
 * grouped by dim. Tenure is days from created_at to as_of (unknown:
 * "(none)"); ARR tiers are report.ini's (unknown ARR: "(none)").
 */
int cs_export_metrics(struct sqlite3 *db, const struct cs_report_env *env, enum cs_dim dim,
		      int32_t as_of, struct cs_metric_export *out, struct cs_diag *diag);
void cs_metric_export_free(struct cs_metric_export *e);

#define CS_TEAM_ISSUES 5
#define CS_TEAM_MONTHS 12

/* What Ana's team dashboard shows of customer success. */
struct cs_team_metrics {
	char as_of[11], snapshot[11];
	long customers;			/* scored */
	double average;
	long green, yellow, red;
	struct cs_nps nps;		/* the 90 days */
	struct cs_csat csat;
	/*
	 * Churn: customers of the snapshot about 30 days earlier (23-37
	 * days) who are churned now, of all of that snapshot's customers.
	 */
	bool churn_known;
	char churn_since[11];
	long churn_base, churned;
	double churn_pct;
	int nissues;			/* top ticket themes of the 30 days, by ARR */
	struct {
		char category[32], theme[CS_THEME_MAX], owner[128];
		long tickets, customers;
		double arr;
	} issues[CS_TEAM_ISSUES];
	int nmonths;			/* NPS per calendar month, oldest first */
	struct cs_nps_bucket months[CS_TEAM_MONTHS];
};

int cs_export_team(struct sqlite3 *db, const struct cs_report_env *env, int32_t as_of,
		   struct cs_team_metrics *out, struct cs_diag *diag);

/*
 * NPS per calendar month, the last one ending on as_of, oldest first:
 * the answers still in the database plus the monthly aggregates a purge
 * left of the deleted ones, so a trend reads the same after a purge.
 */
int cs_nps_monthly(struct sqlite3 *db, int32_t as_of, int nmonths,
		   struct cs_nps_bucket *out, struct cs_diag *diag);

/* --- retention -------------------------------------------------------------- */

struct cs_purge_result {
	char cutoff[11];	/* events dated before this day went */
	long tickets, nps, csat, outreach, usage, actions;
	long months;		/* monthly aggregate rows written or added to */
};

/*
 * Delete the individual events older than days before as_of (PRODUCT.md
 * §7, seed 001: 365 days max): tickets, NPS and CSAT answers, outreach and
 * usage rows, and actions closed before the cutoff. The cutoff is rounded
 * up to the first day of a month, so every month still in the database is
 * whole. What goes is first added to monthly_aggregates (NPS categories,
 * CSAT sums, ticket counts per category, contacts and answers, usage rows),
 * and score snapshots, customers, features and open actions stay, so
 * history and trends survive. One transaction, with secure_delete on so
 * the deleted text does not linger in the file. days below casey.ini's
 * min_retention_days is refused. dry_run counts and changes nothing.
 */
int cs_purge(struct sqlite3 *db, const struct cs_report_env *env, int32_t as_of, int days,
	     bool dry_run, struct cs_purge_result *out, struct cs_diag *diag);

#endif
