/*
 * report_int.h — what the weekly report, the escalation documents and the
 * outreach drafts share: safe Markdown text, money, quotes, templates,
 * RICE inputs, and two loaders — one customer's context, and the tickets
 * of one theme. Private to src/core.
 */
#ifndef CASEY_REPORT_INT_H
#define CASEY_REPORT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "casey/anonymise.h"
#include "casey/metrics.h"
#include "casey/report.h"
#include "casey/snapshot.h"

/* The kinds that hand work to someone else (not the CSM's own lists). */
bool rp_handoff_kind(const char *kind);

/*
 * Inline Markdown: Markdown's special characters escaped (all but '>',
 * which quotes only at the start of a line, where data never goes), line
 * breaks and tabs as blanks, control characters and bidi overrides as the
 * visible placeholders of termsafe.h. Data can neither format the
 * document nor drive a terminal showing it.
 */
void rp_md(FILE *out, const char *s);
/* Plain text (drafts): only the unsafe sequences become placeholders; lines kept. */
void rp_plain(FILE *out, const char *s);

/* "$1,234,567" (whole dollars), or "unknown". */
const char *rp_money(char buf[40], bool known, double v);
/* 100 * part / whole, 0 when whole is 0. */
double rp_pct(double part, double whole);
/* "s" unless n is 1. */
const char *rp_s(long n);

/*
 * A quote: text anonymised (before anything is cut, so no half name is
 * left), a signature cut (rp_cut_signoff), whitespace runs as one blank,
 * cut at a word to about max bytes with "…". malloc'd; NULL when out of
 * memory or nothing is left.
 */
char *rp_quote(const struct cs_anon *a, const char *text, int max);
/*
 * Cut s after a sign-off followed by a capitalised word ("Regards, Olu
 * Kim" becomes "Regards, [name]"): the writer's name, which casey does not
 * know. rp_quote() does it; so must every other use of ticket text.
 */
void rp_cut_signoff(char *s);

/*
 * The names to take out of texts[0..n): every customer and CSM name of the
 * database that could occur in them (its first word does), registered as
 * cs_anon_load() registers them. cs_anonymise() with it gives the same
 * result on these texts as with every name loaded, without a million
 * names to sort and try. NULL after reporting an error.
 */
struct cs_anon *rp_anon_for(sqlite3 *db, const char *const *texts, int n,
			    struct cs_diag *diag);

/* sqlite3_column_text, "" for NULL. */
const char *rp_col(sqlite3_stmt *st, int i);

/*
 * Write tmpl with each {name} of vars (name, value, ..., NULL) replaced by
 * its value through put (rp_md or rp_plain); unknown names are kept as
 * written.
 */
void rp_template(FILE *out, const char *tmpl, const char *const *vars,
		 void (*put)(FILE *, const char *));

/* RICE inputs (spec 000) from the figures of a request. */
struct rp_rice {
	long reach;		/* customers */
	double reach_pct;	/* of the active customers */
	double impact;		/* RICE scale: 3, 2, 1, 0.5 */
	const char *impact_word;
	int confidence;		/* % */
	const char *confidence_word;
	const char *urgency;	/* "immediate" (an at-risk customer asks) or "planned" */
};
void rp_rice(const struct cs_report_cfg *c, long customers, long active, long tickets,
	     double arr, long at_risk, struct rp_rice *out);

/* Customers not churned and created on or before the day. */
int rp_active_customers(sqlite3 *db, int32_t as_of, long *n, struct cs_diag *diag);

/* ---- one customer ------------------------------------------------------- */

#define RP_TICKETS 5
#define RP_WEAK 3
#define RP_UNUSED 3
#define RP_ACTIONS 8

struct rp_customer {
	char id[201], name[256], segment[64], plan[64], csm[128], status[24];
	char renewal[11], created[11], last_contact[11];
	bool arr_known;
	double arr;
	bool exec;
	bool scored;
	struct cs_snapshot snap;
	int nweak;			/* the measures costing most points, worst first */
	struct {
		char comp[32], name[32];
		double points, lost;	/* health points short of full marks */
		bool present;
		double raw;
	} weak[RP_WEAK];
	bool has_metrics;
	struct cs_customer_metrics m;
	bool has_usage;			/* the latest usage row on or before as_of */
	char usage_date[11];
	long active_users, seats, paid_used, paid_total, errors;
	long tickets_90d, open_90d;
	int ntickets;			/* the newest of the 90 days */
	struct {
		char id[64], date[11], subject[256], category[32], status[24], sentiment[16];
	} tickets[RP_TICKETS];
	bool has_nps;			/* the latest answer of 180 days */
	int nps_score;
	char nps_date[11];
	char *nps_comment;		/* malloc'd, raw (quote it before use) */
	int nunused;			/* paid features released by as_of, never used */
	char unused[RP_UNUSED][128];
	int nactions;			/* not closed, newest first */
	struct {
		long id;
		char kind[24], status[16], due[20], reason[300];
		bool overdue;
	} actions[RP_ACTIONS];
};

/* The names to take out of the customer's quoted texts (rp_anon_for), or NULL. */
struct cs_anon *rp_customer_anon(sqlite3 *db, const struct rp_customer *c,
				 struct cs_diag *diag);
/* 1 found (c filled), 0 no such customer, -1 error. Free with rp_customer_free(). */
int rp_customer_load(sqlite3 *db, const struct cs_report_env *env, const char *id,
		     int32_t as_of, struct rp_customer *c, struct cs_diag *diag);
void rp_customer_free(struct rp_customer *c);
/* Append the "; "-separated parts of reason that why does not hold yet. */
void rp_merge_reason(char *why, size_t size, const char *reason);
/* The advice of rules.ini for a measure name, or NULL. */
const char *rp_advice(const struct cs_rules *r, const char *measure);

/* ---- the tickets of one theme ----------------------------------------- */

#define RP_TOP 10
#define RP_SUBJECTS 8
#define RP_SAMPLES 5
#define RP_SEGMENTS 8
#define RP_FEATURES 16

struct rp_theme {
	char category[32], theme[CS_THEME_MAX];
	char from[11], to[11];		/* the window, inclusive */
	long tickets, customers;
	double arr;			/* known ARR of the customers, once each */
	long at_risk;			/* Red, or Yellow and declining, in the snapshot */
	double at_risk_arr;
	long bands[3];			/* red, yellow, green of those scored */
	double health_sum;		/* for their average */
	long scored;
	char first[11], last[11];	/* first and newest ticket */
	int worst_priority;		/* 0..4, the tickets' highest (lowest number) */
	long open;			/* tickets not resolved */
	long users;			/* active users of the customers' latest usage rows */
	double active_days_sum;		/* and their login days */
	long usage_rows;
	int nsegments;
	struct rp_segment { char name[64]; long customers; double arr; } segments[RP_SEGMENTS];
	long other_segments;
	int ntop;			/* the customers with the highest ARR */
	struct {
		char id[201], name[256], segment[64], band[8];
		bool arr_known, scored;
		double arr;
		int score;
		long tickets;
	} top[RP_TOP];
	int nsubjects;			/* the most frequent subjects (anonymised) */
	struct { char *text; long n; } subjects[RP_SUBJECTS];
	int nsamples;			/* the newest tickets */
	struct { char id[64], customer[201], date[11]; } samples[RP_SAMPLES];
	int nquotes;			/* anonymised, newest first, distinct */
	char *quotes[3];
	char quote_segment[3][64];
	char *steps;			/* reproduction steps of the newest ticket with them */
	char *expected;			/* its "Expected ...", when written */
	char *error;			/* an error message quoted in a ticket */
	char steps_ticket[64];
	int nfeatures;			/* features the tickets name, most named first */
	struct rp_feature { char id[64], name[128]; long n; } features[RP_FEATURES];
};

/*
 * Every ticket of category and theme created in [from, to] (days), with
 * their customers, the profile's latest snapshot on or before to, and the
 * texts quoted anonymised (rp_anon_for). Returns 0 (t->tickets may be 0)
 * or -1.
 */
int rp_theme_load(sqlite3 *db, const struct cs_report_env *env, const char *category,
		  const char *theme, int32_t from, int32_t to, struct rp_theme *t,
		  struct cs_diag *diag);
void rp_theme_free(struct rp_theme *t);
/* "3 Enterprise, 2 Mid-Market" into buf. */
void rp_segments(const struct rp_theme *t, char *buf, size_t size);

#endif
