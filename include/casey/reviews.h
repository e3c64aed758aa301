/*
 * reviews.h — business reviews (seed 003): logged per customer with a
 * type (a [review.KEY] of assets/plans.ini: weekly, monthly, qbr, annual,
 * ebr, strategic as shipped), the day it was held, attendees,
 * achievements, challenges, decisions, action items and a rating 1..5; and
 * when the next one is due. The model behind `casey review` and the
 * dashboard's business-review lines.
 *
 * Cadence: the customer's tier (tiers.h: the segment its export names,
 * else its ARR) gives review_days; a tier with none (Trial/Freemium as
 * shipped) or no tier at all means no review is due. The next review is
 * due on the last review's day + the cadence; a customer never reviewed
 * counts from its created_at (its first review is due one cadence after it
 * became a customer), and one with neither has no due date. Churned
 * customers have none. A review is overdue on day D when its due date is
 * before D (due today is not overdue yet).
 *
 * Today's actions: cs_reviews_raise_actions(), called inside `casey
 * score`'s run, raises one action per customer whose review is overdue:
 * kind "business_review", rule_key "review:<customer_id>", due at the end
 * of the due date, owned by the customer's CSM ("CSM" when none). Logging
 * a review that makes the next one no longer overdue resolves the action
 * at once.
 *
 * Conventions as in plans.h: report through diag, 0 or -1; days are day
 * numbers chosen by the caller (the --as-of day); texts trimmed, valid
 * UTF-8 without control characters (the long fields may hold newlines and
 * tabs), refused when too long; logging is one transaction.
 */
#ifndef CASEY_REVIEWS_H
#define CASEY_REVIEWS_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/kinds.h"
#include "casey/plans.h"

struct sqlite3;
struct cs_tiers;

#define CS_REVIEW_ATTENDEES_MAX 1000
#define CS_REVIEW_TEXT_MAX 4000		/* achievements, challenges, decisions, action items */
#define CS_REVIEW_RATING_MIN 1
#define CS_REVIEW_RATING_MAX 5

/*
 * The business-review cadence of a customer in days, 0 when none is due
 * (no tier, or a tier without reviews); tier (may be NULL, 32 bytes)
 * receives the tier's name, "" for none. This is the one place the
 * cadence is looked up.
 */
int cs_review_cadence(const struct cs_tiers *tiers, const char *segment, bool arr_known,
		      double arr, char *tier);

/* What cs_review_log() records; texts may be NULL or "" (none). */
struct cs_review_input {
	const char *customer_id;
	const char *type;		/* a review type's key */
	int32_t date;			/* the day it was held: not after the as-of day */
	const char *attendees, *achievements, *challenges, *decisions, *action_items;
	int rating;			/* 1..5, or 0 for none */
};

/*
 * Log a review on day (the as-of day: logged_at). *id receives its id;
 * *resolved (may be NULL) the id of the review action it resolved, 0 if
 * none. Refused, nothing written: an unknown type or customer, a date
 * after day, a rating outside 1..5, a bad text.
 */
int cs_review_log(struct sqlite3 *db, const struct cs_plans_def *def,
		  const struct cs_tiers *tiers, const struct cs_review_input *in, int32_t day,
		  int64_t *id, long *resolved, struct cs_diag *diag);

struct cs_review {
	int64_t id;
	char customer_id[CS_ID_MAX + 1];
	char customer_name[256];
	char type[CS_PLAN_KEY_MAX + 1];
	char date[11], logged_at[11];
	char attendees[CS_REVIEW_ATTENDEES_MAX + 1];
	char achievements[CS_REVIEW_TEXT_MAX + 1];
	char challenges[CS_REVIEW_TEXT_MAX + 1];
	char decisions[CS_REVIEW_TEXT_MAX + 1];
	char action_items[CS_REVIEW_TEXT_MAX + 1];
	int rating;			/* 0: none */
};

/* Load review id into *r (big: allocate it). */
int cs_review_load(struct sqlite3 *db, int64_t id, struct cs_review *r, struct cs_diag *diag);

/* One row of cs_reviews_list(). */
struct cs_review_summary {
	int64_t id;
	char customer_id[CS_ID_MAX + 1];
	char customer_name[256];
	char type[CS_PLAN_KEY_MAX + 1];
	char date[11];
	int rating;
	char attendees[CS_REVIEW_ATTENDEES_MAX + 1];
};

/*
 * The reviews of customer_id (NULL: everyone's), newest first, at most max
 * (0: all). *out is malloc'd (*n rows; NULL when none): free() it.
 */
int cs_reviews_list(struct sqlite3 *db, const char *customer_id, int max,
		    struct cs_review_summary **out, int *n, struct cs_diag *diag);

/* When a customer's next review is due, as of day. */
struct cs_review_due {
	char tier[32];			/* "" when none */
	int cadence;			/* days; 0: no review due (then the rest is empty) */
	char last[11];			/* the latest review's day, "" when never reviewed */
	char next[11];			/* due date; "" when unknown (no review, no created_at) */
	bool overdue;			/* next is before day */
};

int cs_review_due(struct sqlite3 *db, const struct cs_tiers *tiers, const char *customer_id,
		  int32_t day, struct cs_review_due *out, struct cs_diag *diag);

/*
 * Raise or refresh the action of every customer whose review is overdue on
 * day (inside `casey score`'s run, before cs_action_store_close()); the
 * open ones no longer overdue (reviews imported since, even earlier the
 * same day; the customer churned or moved tier) are cleared by that close.
 * Only new or changed actions are written (cs_lifecycle_raise(), plans.h).
 * Returns how many, or -1.
 */
long cs_reviews_raise_actions(struct sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			      struct cs_diag *diag);

/*
 * cs_reviews_raise_actions() in two halves, so `casey score` can find the
 * overdue reviews on a second, read-only connection while it raises its
 * other actions (aside.h): cs_reviews_due_find() only reads (it registers
 * the tier functions on db and takes them back); cs_reviews_due_raise()
 * writes their actions in the caller's transaction and returns how many,
 * or -1. Free with cs_reviews_due_free().
 */
struct cs_reviews_due;
int cs_reviews_due_find(struct sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			struct cs_reviews_due **out, struct cs_diag *diag);
long cs_reviews_due_raise(struct sqlite3 *db, const struct cs_reviews_due *due,
			  struct cs_diag *diag);
void cs_reviews_due_free(struct cs_reviews_due *due);

/*
 * Everything success plans and reviews raise in a scoring run: the overdue
 * milestones (plans.h) and reviews, with tiers (assets/tiers.ini, loaded
 * by the caller before the run touches the database, so a broken file is
 * refused before anything is written), on one connection. Returns how
 * many, or -1.
 */
long cs_success_raise_actions(struct sqlite3 *db, const struct cs_tiers *tiers, int32_t day,
			      struct cs_diag *diag);

#endif
