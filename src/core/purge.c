/*
 * purge.c — deleting individual events past the retention period, keeping
 * monthly aggregates of them. See report.h.
 */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/figures.h"
#include "casey/report.h"
#include "casey/value.h"

/*
 * What goes, kind by kind: first its monthly aggregates are added to
 * monthly_aggregates, then its rows are deleted. ?1 is the cutoff day.
 */
static const char *const aggregate_sql[] = {
	"INSERT INTO monthly_aggregates (month, kind, category, events, customers, promoters,"
	"                                passives, detractors)"
	" SELECT substr(date, 1, 7), 'nps', '', count(*), count(DISTINCT customer_id),"
	"        sum(score >= 9), sum(score BETWEEN 7 AND 8), sum(score <= 6)"
	"   FROM nps WHERE date < ?1 GROUP BY 1"
	" ON CONFLICT (month, kind, category) DO UPDATE SET"
	"   events = events + excluded.events, customers = customers + excluded.customers,"
	"   promoters = promoters + excluded.promoters, passives = passives + excluded.passives,"
	"   detractors = detractors + excluded.detractors",

	"INSERT INTO monthly_aggregates (month, kind, category, events, customers, scored,"
	"                                score_sum, satisfied)"
	" SELECT substr(date, 1, 7), 'csat', '', count(*), count(DISTINCT customer_id),"
	"        count(score), coalesce(sum(score), 0),"
	"        sum(CASE WHEN score >= 4 OR (score IS NULL AND good = 1) THEN 1 ELSE 0 END)"
	"   FROM csat WHERE date < ?1 GROUP BY 1"
	" ON CONFLICT (month, kind, category) DO UPDATE SET"
	"   events = events + excluded.events, customers = customers + excluded.customers,"
	"   scored = scored + excluded.scored, score_sum = score_sum + excluded.score_sum,"
	"   satisfied = satisfied + excluded.satisfied",

	"INSERT INTO monthly_aggregates (month, kind, category, events, customers)"
	" SELECT substr(created_at, 1, 7), 'tickets', coalesce(category, ''), count(*),"
	"        count(DISTINCT customer_id)"
	"   FROM tickets WHERE created_at < ?1 GROUP BY 1, 3"
	" ON CONFLICT (month, kind, category) DO UPDATE SET"
	"   events = events + excluded.events, customers = customers + excluded.customers",

	"INSERT INTO monthly_aggregates (month, kind, category, events, customers, responded)"
	" SELECT substr(date, 1, 7), 'outreach', '', count(*), count(DISTINCT customer_id),"
	"        coalesce(sum(responded = 1), 0)"
	"   FROM outreach WHERE date < ?1 GROUP BY 1"
	" ON CONFLICT (month, kind, category) DO UPDATE SET"
	"   events = events + excluded.events, customers = customers + excluded.customers,"
	"   responded = responded + excluded.responded",

	"INSERT INTO monthly_aggregates (month, kind, category, events, customers)"
	" SELECT substr(date, 1, 7), 'usage', '', count(*), count(DISTINCT customer_id)"
	"   FROM usage WHERE date < ?1 GROUP BY 1"
	" ON CONFLICT (month, kind, category) DO UPDATE SET"
	"   events = events + excluded.events, customers = customers + excluded.customers",
};

/* In the order of struct cs_purge_result's counts. */
static const char *const delete_sql[] = {
	"DELETE FROM tickets WHERE created_at < ?1",
	"DELETE FROM nps WHERE date < ?1",
	"DELETE FROM csat WHERE date < ?1",
	"DELETE FROM outreach WHERE date < ?1",
	"DELETE FROM usage WHERE date < ?1",
	"DELETE FROM actions WHERE status IN ('resolved', 'dismissed') AND resolved_at < ?1",
};

static int run(sqlite3 *db, const char *sql, const char *cutoff, long *changed,
	       struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "purging");
	sqlite3_bind_text(st, 1, cutoff, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "purging");
	*changed += sqlite3_changes(db);
	return 0;
}

/* Keep the cutoff: imports leave out what it deleted (kinds.h, purged_by). */
static int record(sqlite3 *db, int32_t as_of, const char *cutoff, struct cs_diag *diag)
{
	static const char sql[] = "INSERT INTO purges (purged_on, cutoff) VALUES (?1, ?2)";
	sqlite3_stmt *st;
	char day[11];
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "purging");
	cs_format_day(as_of, day);
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cutoff, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "purging");
}

int cs_purge(sqlite3 *db, const struct cs_report_env *env, int32_t as_of, int days,
	     bool dry_run, struct cs_purge_result *out, struct cs_diag *diag)
{
	long *counts[] = { &out->tickets, &out->nps, &out->csat, &out->outreach, &out->usage,
			   &out->actions };
	int32_t cut;
	int y, m, d;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (days < env->casey.min_retention_days)
		return cs_error(diag, "refusing to purge events younger than %d days (%s "
				"[privacy] min_retention_days): scoring reads that far back",
				env->casey.min_retention_days, env->casey.path);
	/* up to the first day of a month, so every month left is whole */
	cs_civil_from_days(as_of - days, &y, &m, &d);
	cut = cs_days_from_civil(y, m, 1);
	if (d != 1)
		cut = cs_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
	cs_format_day(cut, out->cutoff);
	/* deleted text is overwritten, not left in free pages of the file */
	if (sqlite3_exec(db, "PRAGMA secure_delete = ON", NULL, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "purging");
	if (cs_db_begin(db, diag))
		return -1;
	for (i = 0; i < sizeof(aggregate_sql) / sizeof(aggregate_sql[0]); i++)
		if (run(db, aggregate_sql[i], out->cutoff, &out->months, diag))
			goto fail;
	for (i = 0; i < sizeof(delete_sql) / sizeof(delete_sql[0]); i++)
		if (run(db, delete_sql[i], out->cutoff, counts[i], diag))
			goto fail;
	if (record(db, as_of, out->cutoff, diag))
		goto fail;
	if (cs_figures_forget(db, diag))
		goto fail;
	if (dry_run) {
		cs_db_rollback(db);
		return 0;
	}
	if (cs_db_commit(db, diag))
		return -1;
	/* and not in the write-ahead log either */
	sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return 0;
fail:
	cs_db_rollback(db);
	return -1;
}
