/*
 * metrics.h — every customer's inputs to scoring and rules, as of a date.
 *
 * The windows are PRODUCT.md §2's: usage from the latest row on or before
 * the as-of date (older than 30 days counts as missing), NPS from the
 * latest answer within 180 days, tickets and outreach from the 90 days up
 * to the as-of date, growth against the latest usage row on or before 30
 * days earlier. A metric that has no data is "absent", never 0: the
 * profile's missing-data policy decides what that is worth.
 */
#ifndef CASEY_METRICS_H
#define CASEY_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"

struct sqlite3;

/* The metric vocabulary profiles are written in. Keep cs_metric_names in step. */
enum cs_metric {
	M_ACTIVE_DAYS_30D,	/* login days in the trailing 30 days */
	M_FEATURE_BREADTH,	/* paid features used / paid features total, 0..1 */
	M_CORE_ACTIONS_30D,	/* core actions in 30 days (ranked by "percentile") */
	M_SEAT_UTILISATION,	/* active users / seats, 0..1+ */
	M_NPS_LATEST,		/* latest NPS answer within 180 days, 0..10 */
	M_CSAT_AVG_90D,		/* mean 1-5 CSAT of the 90 days (Good 5, Bad 1) */
	M_TICKET_SENTIMENT,	/* mean sentiment points of the 90 days' tickets, 0..100 */
	M_OUTREACH_RESPONSE,	/* answered / attempts in 90 days, 0..1 (n = attempts) */
	M_DAYS_SINCE_CONTACT,	/* days since the last contact (customer field or outreach) */
	M_TICKETS_30D,		/* tickets opened in the 30 days */
	M_GROWTH,		/* -1 contracting, 0 stable, +1 expanding */
	M_USAGE_CHANGE_30D,	/* relative change of core actions vs 30 days earlier */
	M_TENURE_DAYS,		/* days since created_at */
	M_ERRORS_30D,		/* product errors in 30 days */
	M_SESSION_MINUTES,	/* average session minutes */
	M_COUNT
};

extern const char *const cs_metric_names[M_COUNT];
/* The metric called name, or -1. */
int cs_metric_find(const char *name);

struct cs_metric_value {
	bool present;
	double value;
	long n;		/* observations behind the value (answers, attempts, tickets) */
};

/* Ticket sentiment points: PRODUCT.md §2. */
#define CS_SENTIMENT_POSITIVE 100
#define CS_SENTIMENT_NEUTRAL 60
#define CS_SENTIMENT_FRUSTRATED 30
#define CS_SENTIMENT_ANGRY 0

struct cs_customer_metrics {
	char customer_id[201];
	char name[256];
	double arr;		/* NaN when unknown */
	char status[24];	/* active, cancel_requested, downgrade_requested, churned */
	bool executive_escalation;
	char segment[64];
	char csm[128];
	char usage_date[11];	/* the usage row used, "" if none */
	long core_lower;	/* for the percentile: customers below on that date */
	long core_ranked;	/* customers with core actions > 0 on that date */
	struct cs_metric_value m[M_COUNT];
};

/*
 * Compute the metrics of every customer (customer_id NULL) or of one, as
 * of the day as_of, calling cb for each in customer_id order. cb returns 0
 * to go on, non-zero to stop (which is then returned). Churned customers
 * are included; the caller decides what to do with them.
 */
typedef int (*cs_metrics_cb)(void *ctx, const struct cs_customer_metrics *cm);
int cs_metrics_compute(struct sqlite3 *db, int32_t as_of, const char *customer_id,
		       cs_metrics_cb cb, void *ctx, struct cs_diag *diag);

/*
 * Sees every ticket with a theme created from the day `from` (or the
 * metrics' own 90-day window, if that starts earlier) to as_of, customer
 * by customer, before that customer's callback: the theme rules count
 * them in the same pass instead of reading the tickets again. cm has its
 * customer_id and arr. Non-zero stops the run (and is returned).
 */
struct cs_ticket_observer {
	int32_t from;
	int (*on_ticket)(void *ctx, const struct cs_customer_metrics *cm,
			 const char *created_at, const char *category, const char *theme);
	void *ctx;
};

/*
 * Work on each customer done beside the reading, on the reader's thread
 * when there is one (a scoring run's scores and rules): prepare fills
 * `size` bytes of work from the metrics, with no database and nothing
 * shared that it writes, and the callback then gets the metrics and that
 * work on the caller's thread, in customer_id order. With earlier_day set,
 * prepare also gets each customer's score in that day's snapshot of
 * `profile` (-1 when it has none), read in the same pass. Non-zero from
 * prepare stops the run with an error naming the customer; non-zero from
 * cb stops it and is returned.
 */
struct cs_metrics_stage {
	size_t size;
	int (*prepare)(void *ctx, const struct cs_customer_metrics *cm, int earlier,
		       void *work);
	/*
	 * Called on the caller's thread once the reader has started, before
	 * the first callback (or NULL): the caller's own setup overlaps the
	 * reader's first steps (sorting the window's tickets). Non-zero stops
	 * the run and is returned.
	 */
	int (*begin)(void *ctx);
	void *ctx;
	const char *profile;
	const char *earlier_day;	/* 'YYYY-MM-DD' or NULL */
};
typedef int (*cs_staged_cb)(void *ctx, const struct cs_customer_metrics *cm, void *work);
/* a work size rounded up so what follows it is aligned for anything */
#define CS_WORK_ALIGN(n) (((n) + 15) & ~(size_t)15)
int cs_metrics_compute_staged(struct sqlite3 *db, int32_t as_of,
			      const struct cs_ticket_observer *obs,
			      const struct cs_metrics_stage *stage, cs_staged_cb cb, void *ctx,
			      struct cs_diag *diag);

#endif
