/*
 * actions.h — the actions the rules raised (rules.h), as a to-do list:
 * listing them for "today's actions" and moving them along
 * (open -> draft -> sent -> acknowledged -> resolved, or dismissed).
 */
#ifndef CASEY_ACTIONS_H
#define CASEY_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"

struct sqlite3;

struct cs_action_row {
	long id;
	const char *kind, *rule_key, *customer_id, *name, *category, *theme;
	bool arr_known;
	double arr;
	const char *reason, *owner, *created_at, *due_at, *status, *evidence;
	const char *acknowledged_at, *resolved_at, *outcome;
	bool overdue;		/* due before the as-of moment and not acknowledged */
};

struct cs_action_query {
	int32_t as_of;
	bool all;		/* include resolved and dismissed ones */
	const char *customer_id;	/* one customer's actions, or NULL */
	const char *kind;	/* one kind, or NULL */
	long id;		/* one action (cs_action_row.id), or 0 */
	int limit;		/* 0: all */
};

typedef int (*cs_action_row_cb)(void *ctx, const struct cs_action_row *r);

/*
 * Actions raised on or before as_of by due time, so the overdue come first
 * (then the larger ARR). "Overdue" (the row's flag): due before the end of
 * the as-of day and still open, draft or sent (an acknowledged action has
 * been picked up, though it keeps its place in the order).
 */
int cs_actions_list(struct sqlite3 *db, const struct cs_action_query *q,
		    cs_action_row_cb cb, void *ctx, struct cs_diag *diag);

/*
 * How many actions cs_actions_list would list without a limit, and how
 * many of them are overdue, without reading them: a screen that shows the
 * first page of a million open actions still says how many there are.
 */
int cs_actions_count(struct sqlite3 *db, const struct cs_action_query *q, long *total,
		     long *overdue, struct cs_diag *diag);

/*
 * Move action id to status (draft, sent, acknowledged, resolved,
 * dismissed), stamping the time as the as-of day; outcome may be NULL.
 * The first 'sent' stamps sent_at and restarts the deadline: due_at
 * becomes the as-of day plus the time the rule gave (due_at - created_at),
 * so "acknowledge within 48 h" counts from the hand-off.
 */
int cs_action_set_status(struct sqlite3 *db, long id, const char *status,
			 const char *outcome, int32_t as_of, struct cs_diag *diag);

#endif
