/*
 * renewals.h — the renewal timeline (seed 004) and the renewal pipeline.
 *
 * Every customer with a renewal_date has a timeline of steps, each due
 * offset_days before the renewal (assets/renewals.ini: T-120 internal
 * kickoff and ROI, T-90 executive engagement and QBR, T-60 proposal, T-30
 * contract, T-0 the renewal). A step is due on day D when
 *
 *	renewal_date - offset_days <= D <= renewal_date
 *
 * (so T-121 has none, T-120 the kickoff, and the day after the renewal
 * none). On a scoring run cs_renewals_raise() makes every due step of every
 * customer who has not churned an action of kind "renewal" (rule key
 * "renewal:CUSTOMER:RENEWAL_DATE:STEP", owner the CSM, due on the step's
 * T-date), in one statement per step; a step whose action was resolved or
 * dismissed is never raised again for that renewal.
 *
 * Renewal risk, from what is known today (cs_renewal_risk()):
 *   high    a cancellation or downgrade request, Red, Yellow and declining,
 *           or a fall of 20+ points in 30 days;
 *   medium  otherwise Yellow, Green and declining, or an executive
 *           escalation;
 *   low     otherwise (Green, not declining);
 *   unknown not scored.
 *
 * The pipeline: the customers renewing from the as-of day to within days
 * after it, in the configured windows (0-30, 31-60, 61-90, 91-120 days),
 * with their ARR by health band, trend and renewal risk of the profile's
 * latest snapshot; and the same customers a page at a time (keyset paging
 * on the customers_renewal index), soonest first, each with its next step.
 */
#ifndef CASEY_RENEWALS_H
#define CASEY_RENEWALS_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/kinds.h"

struct sqlite3;

#define CS_RENEWAL_STEPS_MAX 12
#define CS_RENEWAL_WINDOWS_MAX 8

struct cs_renewal_step {
	char label[16];			/* "T-90": the section's name */
	int offset;			/* days before the renewal */
	char title[64];
	char text[200];
};

struct cs_renewals {
	char path[512];
	int nsteps;			/* by offset, largest first (the timeline's order) */
	struct cs_renewal_step steps[CS_RENEWAL_STEPS_MAX];
	int nwindows;			/* ascending */
	int windows[CS_RENEWAL_WINDOWS_MAX];
	char owner[128];		/* a step's owner when the customer has no CSM */
};

/*
 * Load assets/renewals.ini (name NULL or "renewals"), another asset name or
 * a path with '/'. Returns 0, or -1 with "FILE:LINE: what is wrong".
 */
int cs_renewals_load(const char *name, struct cs_renewals *r, struct cs_diag *diag);

/*
 * The step due on day as_of for a renewal on day renewal: the latest one
 * whose T-date has come (the smallest offset at least renewal - as_of);
 * -1 before the first step and after the renewal. Every step before it in
 * the timeline is due too.
 */
int cs_renewal_current_step(const struct cs_renewals *r, int32_t renewal, int32_t as_of);

/*
 * Raise every due step as of as_of (see above), inside the caller's
 * transaction and action run (rules.h: before cs_action_store_close(),
 * which clears the open ones not raised again). *n gets how many were
 * raised or refreshed. Returns 0 or -1.
 */
int cs_renewals_raise(struct sqlite3 *db, const struct cs_renewals *r, int32_t as_of, long *n,
		      struct cs_diag *diag);

enum cs_renewal_risk { CS_RISK_HIGH, CS_RISK_MEDIUM, CS_RISK_LOW, CS_RISK_UNKNOWN,
		       CS_RISK_COUNT };
/* "high", "medium", "low", "unknown". */
extern const char *const cs_renewal_risk_names[CS_RISK_COUNT];

/*
 * The renewal risk (see above). band and trend as snapshots store them, or
 * NULL when not scored; status as customers store it.
 */
enum cs_renewal_risk cs_renewal_risk(const char *band, const char *trend, bool drop20,
				     const char *status, bool executive_escalation);

/* ---- the pipeline --------------------------------------------------------- */

/* Health bands and trends as the pipeline counts them: the last is "not scored". */
enum { CS_PB_GREEN, CS_PB_YELLOW, CS_PB_RED, CS_PB_UNSCORED, CS_PB_COUNT };
enum { CS_PT_IMPROVING, CS_PT_STABLE, CS_PT_DECLINING, CS_PT_UNSCORED, CS_PT_COUNT };

struct cs_pipeline_cell {
	long customers;
	double arr;			/* known ARR (unknown counts 0) */
};

struct cs_pipeline_window {
	int from, to;			/* days to the renewal, inclusive */
	struct cs_pipeline_cell all;
	long arr_unknown;		/* customers whose ARR is unknown */
	struct cs_pipeline_cell band[CS_PB_COUNT];
	struct cs_pipeline_cell trend[CS_PT_COUNT];
	struct cs_pipeline_cell risk[CS_RISK_COUNT];
};

struct cs_pipeline {
	char as_of[11];
	char snapshot[11];		/* the snapshot read; "" when none */
	int within;			/* days */
	int nwindows;			/* the windows up to within, then ... */
	struct cs_pipeline_window w[CS_RENEWAL_WINDOWS_MAX + 1];
	struct cs_pipeline_window total;
};

/*
 * The pipeline of the customers renewing within days of as_of (0 <= days
 * to the renewal <= within), churned customers left out; the windows are
 * r's, the last cut at within. Reads each such customer once.
 */
int cs_renewal_pipeline(struct sqlite3 *db, const struct cs_renewals *r, const char *profile,
			int32_t as_of, int within, struct cs_pipeline *out,
			struct cs_diag *diag);

/* Where a row sits in the list: (renewal_date, customer_id). Opaque. */
struct cs_renewal_key {
	bool set;
	char renewal_date[11];
	char customer_id[CS_ID_MAX + 1];
};

struct cs_renewal_row {
	char customer_id[CS_ID_MAX + 1];
	char name[256];
	char segment[64];
	char csm[128];
	char renewal_date[11];
	int days;			/* to the renewal */
	bool arr_known;
	double arr;
	bool scored;
	int score;
	char band[8], trend[12];	/* "" when not scored */
	enum cs_renewal_risk risk;
	/*
	 * The next step: the first of the timeline not resolved or dismissed;
	 * -1 when every step is done. step_due: its T-date has come.
	 */
	int step;
	bool step_due;
	char step_date[11];		/* its T-date */
	int ndue;			/* due steps not done, this one included */
	struct cs_renewal_key key;
};

/*
 * Up to max rows of the customers renewing within days of as_of, soonest
 * first (then by customer_id), after key (from the first when key is NULL
 * or unset); with before, those just before key (the last when unset), in
 * display order either way. Returns how many, or -1.
 */
int cs_renewal_list(struct sqlite3 *db, const struct cs_renewals *r, const char *profile,
		    int32_t as_of, int within, const struct cs_renewal_key *key, bool before,
		    struct cs_renewal_row *rows, int max, struct cs_diag *diag);

/*
 * One customer's row as the list has it (its renewal from as_of on, not
 * churned); *found false when it has none. Returns 0 or -1.
 */
int cs_renewal_get(struct sqlite3 *db, const struct cs_renewals *r, const char *profile,
		   int32_t as_of, const char *customer_id, struct cs_renewal_row *row,
		   bool *found, struct cs_diag *diag);

#endif
