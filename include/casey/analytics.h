/*
 * analytics.h — satisfaction, adoption and onboarding analytics: what
 * `casey nps`, `casey csat`, `casey adoption` and `casey onboarding` show
 * (spec 000 "Customer Satisfaction Measurement", "Identify feature adoption
 * gap", "Track onboarding effectiveness"; seed 001 "Feature Adoption
 * Tracking"; PRODUCT.md §3).
 *
 * Every report is computed as of a day from the database into a plain
 * struct, which the command line prints as text or JSON and the dashboard
 * shows; nothing here prints. Every threshold comes from
 * assets/analytics.ini (struct cs_analytics_config), never from a literal.
 * Dates are "YYYY-MM-DD"; percentages 0..100; a figure over no data is
 * marked as such (n == 0, or a bool), never shown as 0.
 *
 * The windows:
 *   - NPS and CSAT: the 90 days up to and including the as-of day, as
 *     satisfaction.h computes them (an answer 89 days old counts, one 90
 *     days old does not); trends per calendar month and quarter, the last
 *     bucket ending on the as-of day.
 *   - Feature use "as of" a day: a feature_usage row whose first_used_at is
 *     on or before the day (or unknown) and whose uses is not 0. Features
 *     released after the day are left out.
 *   - Active customers: not churned, created on or before the day (or of
 *     unknown creation date).
 *   - Onboarding: customers created in the window of [onboarding] days up
 *     to the as-of day; milestones and tickets on or before the as-of day.
 */
#ifndef CASEY_ANALYTICS_H
#define CASEY_ANALYTICS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/satisfaction.h"

struct sqlite3;
struct cs_anon;

#define CS_MAX_TREND 36		/* months or quarters in a trend */
#define CS_MAX_STOP_WORDS 512
#define CS_MAX_MILESTONES 16

/* assets/analytics.ini: see that file for what each key means. */
struct cs_analytics_config {
	char path[4096];		/* the file loaded */
	/* [trend] */
	int trend_months, trend_quarters;
	/* [reasons]: grouping detractor comments into themes */
	double reason_similarity;	/* Jaccard of salient terms to join a theme, 0..1 */
	int reason_max_themes;
	int reason_min_term;		/* shorter words are not salient */
	int nstop;
	char stop[CS_MAX_STOP_WORDS][24];	/* lowercase, sorted */
	/* [csat] */
	int csat_min_n;			/* groups with fewer answers are never flagged */
	double csat_flag_points;	/* flag this many points below the baseline */
	/* [usage]: satisfaction of a feature's users vs non-users */
	int usage_min_n;		/* both sides need this many answers to compare */
	/* [adoption] */
	double adoption_low_pct;	/* a gap: used by fewer than this % ... */
	int adoption_min_days;		/* ... of active customers, released this long ago */
	double adoption_target_pct;
	int adoption_recent_days;	/* the measurement period after a launch */
	int adoption_ticket_days;	/* tickets looked at for the likely cause of a gap */
	char adoption_profile[64];	/* the score profile whose bands are used */
	char owner_docs[64], owner_usability[64], owner_awareness[64];
	/* [onboarding] */
	int onboarding_days;		/* customers created in this many days */
	int activation_days;		/* first value within this many days is activation */
	int early_days;			/* tickets and features "in the first N days" */
	char first_value[64];		/* the milestone that is first value */
	int nmilestones;
	char milestones[CS_MAX_MILESTONES][64];	/* in order */
};

/*
 * Load the configuration: name NULL is "analytics.ini" from the assets
 * directories (assets.h), a name with a '/' is a path. Every key is
 * required; errors name the file and line.
 */
int cs_analytics_config_load(const char *name, struct cs_analytics_config *cfg,
			     struct cs_diag *diag);

/* --- satisfaction vs usage ------------------------------------------------ */

/*
 * One feature: the NPS and CSAT answers of the survey window split by
 * whether the answering customer uses the feature as of the day. This is
 * correlation, not causation: users differ from non-users in many ways.
 */
struct cs_feature_split {
	char feature_id[64];
	char name[128];
	struct cs_nps nps_users, nps_others;
	struct cs_csat csat_users, csat_others;
	bool nps_comparable;	/* both sides have usage_min_n answers */
	bool csat_comparable;
	double nps_diff;	/* users minus non-users, NPS points, when comparable */
	double csat_diff;	/* users minus non-users, satisfied %-points, when comparable */
};

/* Every released feature, in feature_id order; *out malloc'd (free()). */
int cs_satisfaction_by_feature(struct sqlite3 *db, int32_t as_of,
			       const struct cs_analytics_config *cfg,
			       struct cs_feature_split **out, int *n, struct cs_diag *diag);

/* --- NPS ---------------------------------------------------------------------- */

struct cs_nps_bucket {
	char label[24];		/* "2026-11" or "2026-Q4" */
	char from[11], to[11];	/* the last bucket ends on the as-of day */
	struct cs_nps nps;
};

/* A theme of detractor comments. */
struct cs_reason {
	char label[96];		/* its salient terms, the most shared first */
	long count;		/* comments in it */
	char *quote;		/* the newest, anonymised, on one line (malloc'd) */
	char quote_date[11];
};

struct cs_nps_report {
	int32_t as_of;
	char from[11], to[11];			/* the survey window */
	struct cs_nps window;
	int nmonths, nquarters;
	struct cs_nps_bucket months[CS_MAX_TREND];	/* oldest first */
	struct cs_nps_bucket quarters[CS_MAX_TREND];
	long commented;		/* detractor answers of the window with a comment */
	long uncommented;	/* ... without */
	int nreasons;
	struct cs_reason *reasons;	/* most comments first */
	long other;		/* comments in themes beyond reason_max_themes */
	int nfeatures;
	struct cs_feature_split *features;
};

int cs_nps_report(struct sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
		  struct cs_nps_report *out, struct cs_diag *diag);
void cs_nps_report_free(struct cs_nps_report *r);

/* The calendar months (quarter false) or quarters ending with the as-of day's, oldest first. */
void cs_trend_buckets(int32_t as_of, int n, bool quarter, struct cs_nps_bucket *out);

/*
 * Group comments into themes (pure; the NPS report uses it on detractor
 * comments). Comments are taken in the order given; each joins the theme
 * whose first comment shares the most salient terms with it (Jaccard
 * similarity at least reason_similarity), else starts a theme. Salient
 * terms are lowercase words of at least reason_min_term characters that
 * are not stop words or numbers, a plural "s" dropped, found after
 * cs_anonymise_blank(anon, ...): a name never labels a theme. Comments without a
 * salient term join no theme (and count in *other). The quote of a theme is
 * the comment with the greatest date (the later one on a tie), through
 * cs_anonymise(anon, ...). Themes beyond reason_max_themes count in *other.
 */
struct cs_comment {
	const char *text;
	const char *date;	/* "YYYY-MM-DD" */
};
int cs_reason_themes(const struct cs_comment *c, long n, const struct cs_analytics_config *cfg,
		     const struct cs_anon *anon, struct cs_reason **out, int *nout,
		     long *other);
void cs_reasons_free(struct cs_reason *r, int n);

/* --- CSAT --------------------------------------------------------------------- */

struct cs_csat_group {
	char key[128];		/* the context, the feature's name, or the month */
	char id[64];		/* by feature: the feature_id (or the ticket's value) */
	struct cs_csat csat;
	bool flagged;		/* responses >= csat_min_n and below >= csat_flag_points */
	double below;		/* baseline satisfied % minus this group's (negative: above) */
};

struct cs_csat_breakdown {
	char from[11], to[11];		/* the answers looked at */
	struct cs_csat baseline;	/* all of them: what the groups are compared with */
	long ungrouped;			/* answers that fall in no group */
	int n;
	struct cs_csat_group *groups;	/* lowest satisfied % first; months oldest first */
};

struct cs_csat_report {
	int32_t as_of;
	char from[11], to[11];
	struct cs_csat window;
	struct cs_csat_breakdown by_context;	/* the answer's context, survey window */
	struct cs_csat_breakdown by_feature;	/* the related ticket's feature, same window */
	struct cs_csat_breakdown by_month;	/* calendar months of the trend */
	int nfeatures;
	struct cs_feature_split *features;
};

int cs_csat_report(struct sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
		   struct cs_csat_report *out, struct cs_diag *diag);
void cs_csat_report_free(struct cs_csat_report *r);

/*
 * Both reports at once, as the satisfaction screen shows them: the CSAT
 * report and satisfaction against feature use are worked out on a second,
 * read-only connection on a thread of its own (aside.h) while the NPS
 * report is worked out on db, and the feature use is read once for both.
 * cancel (NULL: none) is the flag cs_db_cancel_when() watches on db; the
 * second connection watches it too. The same results as the two calls.
 */
int cs_satisfaction_report(struct sqlite3 *db, int32_t as_of,
			   const struct cs_analytics_config *cfg,
			   const volatile sig_atomic_t *cancel, struct cs_nps_report *nps,
			   struct cs_csat_report *csat, struct cs_diag *diag);

/* Set flagged and below of every group against b->baseline (pure). */
void cs_csat_flag(struct cs_csat_breakdown *b, const struct cs_analytics_config *cfg);

/* --- feature adoption ------------------------------------------------------------- */

enum cs_adoption_status {
	CS_ADOPT_NEW,		/* released fewer than adoption_min_days ago */
	CS_ADOPT_GAP,		/* old enough and used by < adoption_low_pct */
	CS_ADOPT_BELOW_TARGET,	/* < adoption_target_pct */
	CS_ADOPT_ON_TARGET,
	CS_ADOPT_UNDATED,	/* no release date: cannot tell */
};
extern const char *const cs_adoption_status_names[5];	/* "new", "gap", ... */

/* Health bands of the snapshot used, and customers it did not score. */
enum { CS_ADOPT_RED, CS_ADOPT_YELLOW, CS_ADOPT_GREEN, CS_ADOPT_UNSCORED, CS_ADOPT_NBANDS };
extern const char *const cs_adoption_band_names[CS_ADOPT_NBANDS];

struct cs_adoption_feature {
	char feature_id[64];
	char name[128];
	char released_at[11];	/* "" when unknown */
	int paid;		/* 1, 0, or -1 unknown */
	int days_since_release;	/* when released_at is known */
	bool recent;		/* released within adoption_recent_days */
	long users;		/* active customers using it */
	double pct;		/* of active customers */
	long band_users[CS_ADOPT_NBANDS];
	long first_use_n;	/* users with a known first use */
	double median_days;	/* release (or the customer's creation, if later) to first use */
	enum cs_adoption_status status;
	/* For a gap: tickets about the feature in the last adoption_ticket_days. */
	long tickets_docs;	/* How-To Question, Documentation Gap */
	long tickets_usability;	/* Usability Issue */
	long tickets_other;
	const char *cause;	/* "docs", "usability" or "awareness"; NULL unless a gap */
	const char *owner;	/* from the configuration; NULL unless a gap */
};

struct cs_adoption_report {
	int32_t as_of;
	long active;				/* active customers */
	bool banded;				/* a snapshot was found */
	char snapshot_date[11];
	char profile[64];
	long band_active[CS_ADOPT_NBANDS];
	int nfeatures;
	struct cs_adoption_feature *features;	/* feature_id order */
	long gaps;
};

/*
 * Half of the customers are read on a second, read-only connection on a
 * thread of its own (aside.h) beside the other half on db. cancel (NULL:
 * none) is the flag cs_db_cancel_when() watches on db; the second
 * connection watches it too.
 */
int cs_adoption_report(struct sqlite3 *db, int32_t as_of,
		       const struct cs_analytics_config *cfg,
		       const volatile sig_atomic_t *cancel,
		       struct cs_adoption_report *out, struct cs_diag *diag);
void cs_adoption_report_free(struct cs_adoption_report *r);

/* The status of a feature from its figures (pure). */
enum cs_adoption_status cs_adoption_status_of(const struct cs_analytics_config *cfg,
					      bool dated, int days_since_release,
					      long users, long active);

/* --- onboarding --------------------------------------------------------------------- */

struct cs_onboarding_milestone {
	char name[64];
	long reached;		/* cohort customers who reached it by the as-of day */
	long stalled;		/* eligible customers without first value who got no further */
	long in_progress;	/* younger customers without first value who got no further */
};

struct cs_onboarding_report {
	int32_t as_of;
	char from[11], to[11];		/* the creation dates of the cohort */
	char first_value[64];
	int activation_days, early_days;
	long cohort;			/* customers created in the window */
	long reached;			/* reached first value by the as-of day */
	long ttfv_n;			/* ... with a known creation and milestone date */
	double ttfv_median, ttfv_mean;	/* days from creation to first value */
	long eligible;			/* created activation_days or more before as_of */
	long activated;			/* of those, first value within activation_days */
	double activation_pct;		/* when eligible */
	long young, young_activated;	/* the others, and how many already got there */
	long early_customers;		/* created at least early_days before the as-of day */
	long early_tickets;		/* their tickets in their first early_days */
	long early_ticket_customers;	/* ... customers with at least one */
	long early_features;		/* features they first used in those days */
	/*
	 * Where customers stall: the furthest milestone of the eligible
	 * customers without first value (younger ones are still in progress,
	 * counted apart).
	 */
	long stalled, stalled_none;	/* ... and those of them with no milestone */
	long in_progress, in_progress_none;
	int nmilestones;
	struct cs_onboarding_milestone milestones[CS_MAX_MILESTONES];
	int stall_at;			/* the milestone most stalled customers stopped at:
					   an index, -1 before the first; when stalled > 0 */
	long unknown_milestones;	/* rows of milestones not in the configured order */
};

int cs_onboarding_report(struct sqlite3 *db, int32_t as_of,
			 const struct cs_analytics_config *cfg,
			 struct cs_onboarding_report *out, struct cs_diag *diag);

/* The median of v[0..n) (reorders v); 0 when n is 0. */
double cs_median(double *v, long n);

#endif
