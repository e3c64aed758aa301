/* actions.c — listing and updating actions. See actions.h. */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "casey/value.h"

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/*
 * Which of the statements below: the open ones (0..2) or all (3..5), each
 * as every action's, one customer's or one action.
 */
static int query_form(const struct cs_action_query *q)
{
	return 3 * q->all + (q->id > 0 ? 2 : q->customer_id ? 1 : 0);
}

/* The query's filters, numbered alike in the listing and the count (day, next: its days). */
static void bind_query(sqlite3_stmt *st, const struct cs_action_query *q, const char *day,
		       const char *next)
{
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, next, -1, SQLITE_STATIC);
	if (q->kind)
		sqlite3_bind_text(st, 4, q->kind, -1, SQLITE_STATIC);
	if (q->customer_id)
		sqlite3_bind_text(st, 6, q->customer_id, -1, SQLITE_STATIC);
	if (q->id > 0)
		sqlite3_bind_int64(st, 7, q->id);
}

int cs_actions_list(sqlite3 *db, const struct cs_action_query *q,
		    cs_action_row_cb cb, void *ctx, struct cs_diag *diag)
{
	/*
	 * By due time, so what is overdue comes first. The open-only form
	 * names the status literally so SQLite can walk the partial index
	 * actions_open_due instead of sorting every action. One customer's
	 * actions are found through actions_customer and one action by its
	 * id, each by its own statement: "?6 IS NULL OR customer_id = ?6"
	 * walked every open action (seconds at a million customers).
	 */
#define ACTIONS_SQL(STATUS, FILTER) \
		"SELECT a.action_id, a.kind, a.rule_key, a.customer_id, c.name, a.category," \
		"       a.theme, a.arr, a.reason, a.owner, a.created_at, a.due_at, a.status," \
		"       a.evidence, a.acknowledged_at, a.resolved_at, a.outcome," \
		"       a.due_at < ?2 AND a.status IN ('open','draft','sent') AS overdue" \
		"  FROM actions a LEFT JOIN customers c USING (customer_id)" \
		" WHERE a.created_at <= ?1 AND " STATUS " AND " FILTER \
		"   AND (?4 IS NULL OR a.kind = ?4)" \
		" ORDER BY a.due_at, a.arr IS NULL, a.arr DESC, a.action_id" \
		" LIMIT ?5"
#define OPEN "a.status NOT IN ('resolved','dismissed')"
	static const char *const sql[6] = {
		ACTIONS_SQL(OPEN, "1"), ACTIONS_SQL(OPEN, "a.customer_id = ?6"),
		ACTIONS_SQL(OPEN, "a.action_id = ?7"),
		ACTIONS_SQL("1", "1"), ACTIONS_SQL("1", "a.customer_id = ?6"),
		ACTIONS_SQL("1", "a.action_id = ?7"),
	};
#undef OPEN
#undef ACTIONS_SQL
	char day[11], next[11];
	sqlite3_stmt *st;
	int rc, stop = 0;

	cs_format_day(q->as_of, day);
	cs_format_day(q->as_of + 1, next);
	if (sqlite3_prepare_v2(db, sql[query_form(q)], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "listing actions");
	bind_query(st, q, day, next);
	sqlite3_bind_int(st, 5, q->limit > 0 ? q->limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_action_row r = {
			.id = (long)sqlite3_column_int64(st, 0), .kind = col(st, 1),
			.rule_key = col(st, 2), .customer_id = col(st, 3), .name = col(st, 4),
			.category = col(st, 5), .theme = col(st, 6),
			.arr_known = sqlite3_column_type(st, 7) != SQLITE_NULL,
			.arr = sqlite3_column_double(st, 7), .reason = col(st, 8),
			.owner = col(st, 9), .created_at = col(st, 10), .due_at = col(st, 11),
			.status = col(st, 12), .evidence = col(st, 13),
			.acknowledged_at = col(st, 14), .resolved_at = col(st, 15),
			.outcome = col(st, 16), .overdue = sqlite3_column_int(st, 17) != 0,
		};

		if ((stop = cb(ctx, &r)))
			break;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = cs_db_error(db, diag, "listing actions");
	sqlite3_finalize(st);
	return stop;
}

int cs_actions_count(sqlite3 *db, const struct cs_action_query *q, long *total,
		     long *overdue, struct cs_diag *diag)
{
	/*
	 * The same rows as cs_actions_list, counted from an index alone: all
	 * open ones from actions_report, which holds each action's kind,
	 * status, due and creation times (0.4 s for 1.6 million open actions,
	 * where reading them through actions_open_due and the table took 3 to
	 * 14 s); one customer's through actions_customer.
	 */
#define COUNT_SQL(STATUS, FROM, FILTER) \
		"SELECT count(*), count(*) FILTER (WHERE a.due_at < ?2" \
		"       AND a.status IN ('open','draft','sent'))" \
		"  FROM " FROM \
		" WHERE a.created_at <= ?1 AND " STATUS " AND " FILTER \
		"   AND (?4 IS NULL OR a.kind = ?4)"
#define OPEN "a.status NOT IN ('resolved','dismissed')"
#define ALL "actions a INDEXED BY actions_report"
#define CUSTOMER "actions a INDEXED BY actions_customer"
	static const char *const sql[6] = {
		COUNT_SQL(OPEN, ALL, "1"), COUNT_SQL(OPEN, CUSTOMER, "a.customer_id = ?6"),
		COUNT_SQL(OPEN, "actions a", "a.action_id = ?7"),
		COUNT_SQL("1", ALL, "1"), COUNT_SQL("1", CUSTOMER, "a.customer_id = ?6"),
		COUNT_SQL("1", "actions a", "a.action_id = ?7"),
	};
#undef CUSTOMER
#undef ALL
#undef OPEN
#undef COUNT_SQL
	char day[11], next[11];
	sqlite3_stmt *st;
	int rc;

	*total = *overdue = 0;
	cs_format_day(q->as_of, day);
	cs_format_day(q->as_of + 1, next);
	if (sqlite3_prepare_v2(db, sql[query_form(q)], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting actions");
	bind_query(st, q, day, next);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*total = (long)sqlite3_column_int64(st, 0);
		*overdue = (long)sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting actions");
}

int cs_action_set_status(sqlite3 *db, long id, const char *status, const char *outcome,
			 int32_t as_of, struct cs_diag *diag)
{
	static const char sql[] =
		"UPDATE actions SET status = ?2,"
		/* the first send restarts the owner's clock: as long again from today */
		"  due_at = CASE WHEN ?2 = 'sent' AND sent_at IS NULL AND due_at IS NOT NULL"
		"    THEN datetime(julianday(?3) + julianday(due_at) - julianday(created_at))"
		"    ELSE due_at END,"
		"  sent_at = CASE WHEN ?2 = 'sent' THEN coalesce(sent_at, ?3) ELSE sent_at END,"
		"  acknowledged_at = CASE WHEN ?2 = 'acknowledged' THEN ?3 ELSE acknowledged_at END,"
		"  resolved_at = CASE WHEN ?2 IN ('resolved','dismissed') THEN ?3 ELSE resolved_at END,"
		"  outcome = coalesce(?4, outcome)"
		" WHERE action_id = ?1";
	static const char *const statuses[] = {
		"draft", "sent", "acknowledged", "resolved", "dismissed", NULL,
	};
	char day[11];
	sqlite3_stmt *st;
	int i, rc;

	for (i = 0; statuses[i] && strcmp(statuses[i], status); i++)
		;
	if (!statuses[i])
		return cs_error(diag, "'%s' is not a status (draft, sent, acknowledged, "
				"resolved, dismissed)", status);
	cs_format_day(as_of, day);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "updating the action");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, day, -1, SQLITE_STATIC);
	if (outcome)
		sqlite3_bind_text(st, 4, outcome, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "updating the action");
	if (sqlite3_changes(db) != 1)
		return cs_error(diag, "no action %ld", id);
	return 0;
}
