/*
 * signals.h — the churn-risk score of seed 002: a 0-100 figure added up
 * from factors (health, inactivity, tickets, unresolved critical tickets,
 * failed payments, a downgrade, a cancellation), its segment (high,
 * medium, low, none) and the playbook step for that segment.
 *
 * Every weight, threshold, window and step is in assets/signals.ini
 * (cs_signals_config_load; a broken file is refused with FILE:LINE).
 *
 * Nothing is stored: the score is computed when it is shown, from what
 * the database holds as of a day. One customer's factors cost a handful of
 * index lookups (cs_churn_get); a list walks the scored customers in ARR
 * order from a key and computes each one until a page of the wanted
 * segments is full (cs_churn_list), so the first page of a million
 * customers costs what a page of the sample does.
 */
#ifndef CASEY_SIGNALS_H
#define CASEY_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/kinds.h"

struct sqlite3;
struct sqlite3_stmt;

#define CS_SIGNALS_STEPS 8	/* health and inactivity steps at most */
#define CS_SIGNALS_TEXT 256	/* playbook steps and actions */

enum cs_churn_segment {
	CS_CHURN_HIGH, CS_CHURN_MEDIUM, CS_CHURN_LOW, CS_CHURN_NONE, CS_CHURN_NSEG
};
/* "high", "medium", "low", "none" */
extern const char *const cs_churn_segment_names[CS_CHURN_NSEG];
/* The segment named s (case-insensitive); -1 when none is. */
int cs_churn_segment_find(const char *s);

enum cs_churn_factor {
	CS_RISK_HEALTH, CS_RISK_INACTIVITY, CS_RISK_TICKETS, CS_RISK_CRITICAL,
	CS_RISK_PAYMENTS, CS_RISK_DOWNGRADE, CS_RISK_CANCEL, CS_RISK_NFACTORS
};
/* "health", "inactivity", "tickets", "critical_tickets", "failed_payments",
 * "downgrade", "cancellation" */
extern const char *const cs_churn_factor_names[CS_RISK_NFACTORS];

/* Seed 002's behavioural segments, from health x the latest NPS answer. */
enum cs_behaviour {
	CS_BEH_CHAMPION, CS_BEH_LOYALIST, CS_BEH_AT_RISK, CS_BEH_DETRACTOR, CS_BEH_NONE,
	CS_BEH_N
};
/* "champion", "loyalist", "at-risk", "detractor", "none" */
extern const char *const cs_behaviour_names[CS_BEH_N];
/* "Champions", "Loyalists", "At-Risk", "Detractors", "Unsegmented" */
extern const char *const cs_behaviour_labels[CS_BEH_N];
/* The segment named s (a name or a label, case-insensitive); -1 when none is. */
int cs_behaviour_find(const char *s);

struct cs_signals_config {
	char path[512];
	/* [health] the profile whose latest snapshot score is the health */
	char profile[64];
	/* [churn] */
	int nhealth;			/* health below [i].limit: [i].points (first match) */
	struct { int limit, points; } health[CS_SIGNALS_STEPS];
	int ninactive;			/* inactive at least [i].limit days: [i].points */
	struct { int limit, points; } inactive[CS_SIGNALS_STEPS];
	int ticket_days, ticket_points, ticket_cap;
	char critical_urgency[16];	/* low, medium or high */
	int critical_hours, critical_points;
	int payment_days, failed_points;
	int change_days, downgrade_points, cancel_points;
	/* [churn.segments] the lowest score of high, medium and low */
	int seg_min[CS_CHURN_NONE];
	/* [churn.playbook] */
	char step[CS_CHURN_NSEG][CS_SIGNALS_TEXT];
	/* [segments] the first rule that matches, in enum order */
	int nps_days;			/* the latest NPS answer within these days */
	int champion_health, champion_nps;	/* health and NPS at least */
	int loyalist_health, loyalist_nps;
	int at_risk_min, at_risk_max;	/* health in [min, max] */
	int detractor_health;		/* health below this ... */
	int detractor_nps;		/* ... or NPS at most this */
	/* [segments.actions] */
	char action[CS_BEH_N][CS_SIGNALS_TEXT];
	/* [expansion] */
	int exp_min_health;		/* healthy: health at least this */
	int exp_seat_pct;		/* near the limit: active users >= this % of seats */
	int exp_promoter_nps;		/* a promoter: the latest NPS at least this */
	int exp_rising_days;		/* usage compared with the row this many days before */
	int exp_rising_pct;		/* rising: active users or core actions up this % */
	int exp_min_signals;		/* of promoter and rising usage, at least this many */
	int exp_seat_growth_pct;	/* the estimate: this share more seats */
	/* [expansion.actions] */
	char exp_action[CS_SIGNALS_TEXT];	/* the suggested action */
	char exp_action_promoter[CS_SIGNALS_TEXT];	/* ... when a promoter */
};

/*
 * Load name ("signals.ini" when NULL; a path when it has a '/') from the
 * assets directories. Every key is required; a bad or missing one is
 * reported as FILE:LINE: ... (or FILE: ... is missing). Returns 0 or -1.
 */
int cs_signals_config_load(const char *name, struct cs_signals_config *c,
			   struct cs_diag *diag);

/* What the churn-risk score reads, as of a day. */
struct cs_churn_factors {
	bool health_known;		/* a snapshot of the profile on or before the day */
	int health;
	bool usage_known;		/* a usage row on or before the day */
	int inactive_days;		/* see cs_churn_get */
	int tickets;			/* created in the ticket_days up to the day */
	int critical;			/* critical and unresolved (see signals.ini) */
	int failed_payments;		/* failed in the payment_days up to the day */
	bool downgrade;			/* downgrade_requested, or a downgrade in change_days */
	bool cancel;			/* cancel_requested, or a cancellation in change_days */
};

struct cs_churn {
	int score;			/* 0..100 */
	enum cs_churn_segment segment;
	int points[CS_RISK_NFACTORS];	/* what each factor added (before the cap) */
	const char *step;		/* the segment's playbook step (in the config) */
};

/* The score of factors f: pure arithmetic, the seed's rules. */
void cs_churn_score(const struct cs_signals_config *c, const struct cs_churn_factors *f,
		    struct cs_churn *out);

/*
 * What factor i read, in words: "health 35", "about 30 days inactive",
 * "3 tickets in 30 days", "no usage data", ...
 */
void cs_churn_factor_text(const struct cs_signals_config *c, const struct cs_churn_factors *f,
			  int i, char *buf, size_t size);
/* The factors that added points, largest first: "cancellation +50, health +40". */
void cs_churn_reasons(const struct cs_churn *ch, char *buf, size_t size);

/*
 * One customer's factors as of as_of, and their score. Inactivity is read
 * from the latest usage row on or before as_of: the days since that row
 * plus the usual gap between active days, 30 / active_days_30d rounded
 * down (30 when it shows no active day). *found is false (and 0 returned)
 * when there is no such customer.
 */
int cs_churn_get(struct sqlite3 *db, const struct cs_signals_config *c,
		 const char *customer_id, int32_t as_of, struct cs_churn_factors *f,
		 struct cs_churn *out, bool *found, struct cs_diag *diag);

/*
 * The behavioural segment of a health score and the latest NPS answer
 * (either may be unknown), by seed 002's rules, the first that matches:
 * Champions (health 80+, NPS 9-10), Loyalists (70+, NPS 7-10), At-Risk
 * (health 40-60), Detractors (health below 40 or NPS 0-6); otherwise none.
 */
enum cs_behaviour cs_behaviour_of(const struct cs_signals_config *c, bool health_known,
				  int health, bool nps_known, int nps);

struct cs_behaviour_inputs {
	bool health_known;		/* as cs_churn_factors */
	int health;
	bool nps_known;			/* an answer within nps_days of the day */
	int nps;
	char nps_date[11];
};

/* One customer's segment as of as_of; *found false when there is no such customer. */
int cs_behaviour_get(struct sqlite3 *db, const struct cs_signals_config *c,
		     const char *customer_id, int32_t as_of, struct cs_behaviour_inputs *in,
		     enum cs_behaviour *out, bool *found, struct cs_diag *diag);

/* How many customers of the latest snapshot are in each segment, and their ARR. */
int cs_behaviour_counts(struct sqlite3 *db, const struct cs_signals_config *c, int32_t as_of,
			long counts[CS_BEH_N], double arr[CS_BEH_N], struct cs_diag *diag);

/*
 * For the customer list's filter (lists.c): an SQL expression, the
 * behavioural segment (enum cs_behaviour) of customer c whose snapshot is
 * s, reading parameters ?22 to ?31, which cs_behaviour_bind() binds.
 */
extern const char cs_behaviour_sql[];
void cs_behaviour_bind(struct sqlite3_stmt *st, const struct cs_signals_config *c,
		       int32_t as_of);

/*
 * Expansion opportunities (seed 003): healthy, engaged customers near
 * their seat limit. What the test reads, as of a day:
 */
struct cs_expansion_inputs {
	bool health_known;
	int health;
	bool usage_known;		/* a usage row in the 30 days up to the day */
	long users, seats;		/* its active users and seats (else the customer's) */
	long core;			/* its core actions */
	bool earlier_known;		/* the latest row on or before rising_days earlier */
	long earlier_users, earlier_core;
	bool nps_known;			/* as the behavioural segments read it */
	int nps;
	bool arr_known;
	double arr;
};

struct cs_expansion {
	bool eligible;			/* an opportunity */
	bool near_limit, promoter, rising;
	int util_pct;			/* active users per seat, whole % rounded down */
	int users_change_pct, core_change_pct;	/* vs the earlier row (0 when unknown) */
	long extra_seats;		/* the estimate: this many more seats ... */
	bool estimate_known;		/* ... at ARR / seats each (false: ARR unknown) */
	double seat_price, estimate;
	char reason[256];		/* "47 of 50 seats in use (94%); promoter (NPS 10); ..." */
	const char *action;		/* the suggested action (in the config) */
};

/*
 * The test, pure: health >= exp_min_health, active users >= exp_seat_pct
 * percent of the seats (47 of 50 is 94%; 899 of 1000, 89.9%, is not 90%),
 * and at least exp_min_signals of: a promoter, usage rising (active users
 * or core actions up exp_rising_pct percent on the earlier row).
 */
void cs_expansion_eval(const struct cs_signals_config *c, const struct cs_expansion_inputs *in,
		       struct cs_expansion *out);

/* One customer's test as of as_of; *found false when there is no such customer. */
int cs_expansion_get(struct sqlite3 *db, const struct cs_signals_config *c,
		     const char *customer_id, int32_t as_of, struct cs_expansion_inputs *in,
		     struct cs_expansion *out, bool *found, struct cs_diag *diag);

/*
 * cs_churn_get() for n customers at once (one statement, prepared once):
 * out[i] and found[i] for ids[i]. For a screen's visible rows.
 */
int cs_churn_get_many(struct sqlite3 *db, const struct cs_signals_config *c,
		      const char *const *ids, int n, int32_t as_of, struct cs_churn *out,
		      bool *found, struct cs_diag *diag);

/* Where a row sits in the list: ARR, largest first, unknown last, then id. */
struct cs_signal_key {
	bool set;			/* false: from the start */
	bool null;			/* the ARR is unknown */
	double arr;
	char customer_id[CS_ID_MAX + 1];
};

struct cs_churn_row {
	char customer_id[CS_ID_MAX + 1];
	char name[256];
	bool arr_known;
	double arr;
	int health;
	char band[8];
	struct cs_churn_factors f;
	struct cs_churn churn;
	struct cs_signal_key key;
};

struct cs_expansion_row {
	char customer_id[CS_ID_MAX + 1];
	char name[256];
	bool arr_known;
	double arr;
	char band[8];
	struct cs_expansion_inputs in;
	struct cs_expansion x;
	struct cs_signal_key key;
};

/*
 * Up to max opportunities among the customers of the profile's latest
 * snapshot on or before as_of, in ARR order after key (from the start when
 * key is NULL or unset). Only customers at least exp_min_health are
 * tested. Returns how many (fewer than max only at the end), or -1.
 */
int cs_expansion_list(struct sqlite3 *db, const struct cs_signals_config *c, int32_t as_of,
		      const struct cs_signal_key *key, struct cs_expansion_row *rows, int max,
		      struct cs_diag *diag);

/*
 * Up to max customers of the profile's latest snapshot on or before
 * as_of whose churn segment is in mask (bit 1 << segment; 0 for all),
 * in ARR order after key (from the start when key is NULL or unset).
 * Returns how many (fewer than max only at the end), or -1.
 */
int cs_churn_list(struct sqlite3 *db, const struct cs_signals_config *c, int32_t as_of,
		  unsigned mask, const struct cs_signal_key *key, struct cs_churn_row *rows,
		  int max, struct cs_diag *diag);

#endif
