/*
 * score.h — scoring every customer and storing dated snapshots.
 *
 * A run computes the metrics of every customer who has not churned as of
 * the date, scores them with a profile and stores one snapshot row each,
 * replacing any earlier run for the same profile and date, in a single
 * transaction. Trend compares with the same profile's snapshot about 30
 * days earlier (the run closest to 30 days before, 23 to 37 days back):
 * +5 or more is improving, -5 or less declining, else stable; a fall of
 * 20 or more is flagged on its own.
 */
#ifndef CASEY_SCORE_H
#define CASEY_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/profile.h"

struct sqlite3;

#define CS_DEFAULT_PROFILE "default"
#define CS_TREND_POINTS 5	/* a change of this much is a trend */
#define CS_DROP_POINTS 20	/* a fall of this much in 30 days is flagged */
#define CS_TREND_LAG 30		/* compare with the snapshot this many days back ... */
#define CS_TREND_SLACK 7	/* ... give or take this many */

enum cs_trend { CS_STABLE, CS_IMPROVING, CS_DECLINING };
extern const char *const cs_trend_names[3];
enum cs_trend cs_trend_of(int delta);

/*
 * At risk (PRODUCT.md §3): Red, or Yellow with a declining trend. One
 * definition for the rules, the snapshots and the summary.
 */
bool cs_is_at_risk(enum cs_band band, bool has_delta30, int delta30);

struct cs_score_stats {
	long scored;
	long green, yellow, red;
	long skipped_churned;
	double average;
	long at_risk;
	double at_risk_arr;	/* their known ARR */
};

/*
 * What a run does beside scoring, customer by customer (the rules raise
 * their actions in the same pass). prepare runs on the metrics reader's
 * thread (metrics.h): it may only read its arguments and fill its
 * work_size bytes of work, which on_scored then gets on the caller's
 * thread, inside the run's transaction, in customer_id order. Either may
 * be NULL; non-zero from either aborts the run.
 */
typedef int (*cs_score_prep_cb)(void *ctx, const struct cs_customer_metrics *cm,
				const struct cs_score *s, bool has_delta30, int delta30,
				void *work);
typedef int (*cs_scored_cb)(void *ctx, const struct cs_customer_metrics *cm,
			    const struct cs_score *s, bool has_delta30, int delta30, void *work);
struct cs_ticket_observer;
struct cs_score_hooks {
	/*
	 * Called once the run is reading, inside its transaction, before the
	 * first customer: setup that can overlap the reader's first steps
	 * (the rules load their open actions here). Non-zero aborts the run.
	 */
	int (*begin)(void *ctx);
	cs_score_prep_cb prepare;
	size_t work_size;
	cs_scored_cb on_scored;
	void *ctx;
	const struct cs_ticket_observer *obs;	/* the tickets the run reads, or NULL */
};

/* Score every customer as of as_of and store the snapshot; hooks may be NULL. */
int cs_score_run(struct sqlite3 *db, const struct cs_profile *p, int32_t as_of,
		 struct cs_score_stats *stats, const struct cs_score_hooks *hooks,
		 struct cs_diag *diag);

/*
 * A scored customer's components and measures as a snapshot row stores
 * them, and the profile's layout their run stores beside them (score.c
 * describes both; cs_snapshot_decode reads them back).
 */
void cs_score_encode(const struct cs_profile *p, const struct cs_score *s,
		     char *components, size_t csize, char *measures, size_t msize);
#define CS_LAYOUT_MAX 4096
void cs_score_layout(const struct cs_profile *p, char *out, size_t size);

#endif
