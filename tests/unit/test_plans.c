/*
 * test_plans.c — success plans (plans.h): overdue at its edges (due
 * yesterday, today, tomorrow; done, cancelled, plans on hold), the
 * template's due dates, the recovery plan proposed for exactly the Red
 * customers without an open one, actions raised once per overdue milestone
 * and resolved when it is ticked, plans.ini errors and hostile text.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/plans.h"
#include "casey/rules.h"
#include "casey/value.h"

static struct cs_plans_def *def;
static int32_t as_of;	/* 2026-11-20 */

static int setup(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	def = malloc(sizeof(*def));
	assert_non_null(def);
	assert_int_equal(cs_plans_def_load(NULL, def, &d), 0);
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(def);
	return 0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
}

static long q_long(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The text of the first row's first column ("" for NULL), in buf. */
static const char *q_text(sqlite3 *db, const char *sql)
{
	static char buf[1024];
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, sizeof(buf), "%s",
		 sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	return buf;
}

/* A fresh database with customers C1 (CSM Maya Chen) and C2 (no CSM). */
static sqlite3 *fresh_db(const char *name)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/%s", scratch_dir(), name);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	exec(db, "INSERT INTO customers (customer_id, name, arr, csm) VALUES"
		 " ('C1', 'Acme', 50000, 'Maya Chen'), ('C2', 'Globex', NULL, NULL)");
	return db;
}

static int64_t new_plan(sqlite3 *db, const char *cust, const char *type, bool template)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	int64_t id = 0;

	assert_int_equal(cs_plan_create(db, def, cust, type, NULL, template, as_of, &id, &d), 0);
	return id;
}

static int64_t add_ms(sqlite3 *db, int64_t plan, const char *title, const char *due,
		      const char *owner)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	int64_t id = 0;
	int32_t day;

	assert_int_equal(cs_parse_day(due, &day), 0);
	assert_int_equal(cs_milestone_add(db, plan, title, day, owner, CS_PRIO_HIGH, as_of, &id,
					  &d), 0);
	return id;
}

static void set_status(sqlite3 *db, int64_t ms, enum cs_ms_status s)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_milestone_change ch = { .status_set = true, .status = s };

	assert_int_equal(cs_milestone_update(db, ms, &ch, as_of, NULL, &d), 0);
}

/* Due yesterday is overdue; today and tomorrow are not; done and cancelled never. */
static void test_overdue_edges(void **state)
{
	sqlite3 *db = fresh_db("overdue.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_plan *p = malloc(sizeof(*p));
	struct cs_plan_summary *rows;
	int64_t plan, hold, y, t, tm, done, canc, prog, old;
	int n;

	(void)state;
	assert_non_null(p);
	plan = new_plan(db, "C1", "quarterly", false);
	y = add_ms(db, plan, "due yesterday", "2026-11-19", "Sam");
	t = add_ms(db, plan, "due today", "2026-11-20", NULL);
	tm = add_ms(db, plan, "due tomorrow", "2026-11-21", NULL);
	done = add_ms(db, plan, "done long ago", "2026-10-01", NULL);
	canc = add_ms(db, plan, "cancelled", "2026-10-02", NULL);
	prog = add_ms(db, plan, "in progress, late", "2026-11-01", NULL);
	set_status(db, done, CS_MS_COMPLETED);
	set_status(db, canc, CS_MS_CANCELLED);
	set_status(db, prog, CS_MS_IN_PROGRESS);
	/* A plan on hold: its late milestone is not overdue. */
	hold = new_plan(db, "C2", "expansion", false);
	old = add_ms(db, hold, "paused", "2026-09-01", NULL);
	assert_int_equal(cs_plan_update(db, hold, NULL, true, CS_PLAN_ON_HOLD, NULL, as_of, &d), 0);

	assert_int_equal(cs_plan_load(db, plan, as_of, p, &d), 0);
	assert_int_equal(p->nms, 6);
	/* by due date: done 10-01, cancelled 10-02, in progress 11-01, 11-19, 11-20, 11-21 */
	assert_int_equal(p->ms[0].id, done);
	assert_false(p->ms[0].overdue);
	assert_string_equal(p->ms[0].completed_at, "2026-11-20");
	assert_int_equal(p->ms[1].id, canc);
	assert_false(p->ms[1].overdue);
	assert_int_equal(p->ms[2].id, prog);
	assert_true(p->ms[2].overdue);
	assert_int_equal(p->ms[3].id, y);
	assert_true(p->ms[3].overdue);
	assert_int_equal(p->ms[4].id, t);
	assert_false(p->ms[4].overdue);
	assert_int_equal(p->ms[5].id, tm);
	assert_false(p->ms[5].overdue);
	assert_int_equal(p->done, 1);
	assert_int_equal(p->overdue, 2);
	/* the day after, today's milestone is late too */
	assert_int_equal(cs_plan_load(db, plan, as_of + 1, p, &d), 0);
	assert_int_equal(p->overdue, 3);

	assert_int_equal(cs_plan_load(db, hold, as_of, p, &d), 0);
	assert_int_equal(p->ms[0].id, old);
	assert_false(p->ms[0].overdue);
	assert_int_equal(p->overdue, 0);

	/* the list: open plans, counts as of the day */
	assert_int_equal(cs_plans_list(db, NULL, false, as_of, &rows, &n, &d), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].customer_id, "C1");
	assert_int_equal(rows[0].nms, 6);
	assert_int_equal(rows[0].done, 1);
	assert_int_equal(rows[0].overdue, 2);
	assert_string_equal(rows[0].next_due, "2026-11-01");
	assert_int_equal(rows[1].status, CS_PLAN_ON_HOLD);
	assert_int_equal(rows[1].overdue, 0);
	free(rows);
	/* closed plans only with all */
	assert_int_equal(cs_plan_update(db, hold, NULL, true, CS_PLAN_CANCELLED, NULL, as_of, &d), 0);
	assert_int_equal(cs_plans_list(db, NULL, false, as_of, &rows, &n, &d), 0);
	assert_int_equal(n, 1);
	free(rows);
	assert_int_equal(cs_plans_list(db, "C2", true, as_of, &rows, &n, &d), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].status, CS_PLAN_CANCELLED);
	free(rows);
	free(p);
	cs_db_close(db);
}

/* The recovery template from 2026-11-20: +2, +5, +14, +30, +45 days, owned by the CSM. */
static void test_template(void **state)
{
	sqlite3 *db = fresh_db("template.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_plan *p = malloc(sizeof(*p));
	static const char *const due[] = { "2026-11-22", "2026-11-25", "2026-12-04", "2026-12-20",
					   "2027-01-04" };
	int64_t id;

	(void)state;
	assert_non_null(p);
	id = new_plan(db, "C1", "recovery", true);
	assert_int_equal(cs_plan_load(db, id, as_of, p, &d), 0);
	assert_string_equal(p->title, "Recovery plan");
	assert_string_equal(p->type, "recovery");
	assert_int_equal(p->status, CS_PLAN_ACTIVE);
	assert_int_equal(p->nms, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(p->ms[i].due, due[i]);
		assert_string_equal(p->ms[i].owner, "Maya Chen");
		assert_int_equal(p->ms[i].status, CS_MS_PENDING);
	}
	assert_int_equal(p->ms[0].priority, CS_PRIO_CRITICAL);
	assert_int_equal(p->ms[4].priority, CS_PRIO_MEDIUM);
	/* no CSM: no owner */
	id = new_plan(db, "C2", "recovery", true);
	assert_int_equal(cs_plan_load(db, id, as_of, p, &d), 0);
	assert_string_equal(p->ms[0].owner, "");
	/* --empty */
	id = new_plan(db, "C2", "annual", false);
	assert_int_equal(cs_plan_load(db, id, as_of, p, &d), 0);
	assert_int_equal(p->nms, 0);
	assert_string_equal(p->title, "Annual plan");
	free(p);
	cs_db_close(db);
}

static int collect_ids(void *ctx, const struct cs_plan_proposal *p)
{
	char *buf = ctx;

	strcat(buf, p->customer_id);
	strcat(buf, " ");
	return 0;
}

/* Proposed: Red in the latest run, without an active or on-hold recovery plan. */
static void test_proposals(void **state)
{
	sqlite3 *db = fresh_db("proposals.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char ids[256] = "";
	int64_t p;

	(void)state;
	exec(db, "INSERT INTO customers (customer_id, name, arr) VALUES"
		 " ('R1', 'red, no plan', 10000), ('R2', 'red, active recovery', 90000),"
		 " ('R3', 'red, cancelled recovery', 30000), ('R4', 'red, recovery on hold', 80000),"
		 " ('R5', 'red, onboarding plan only', 20000), ('Y1', 'yellow now, red before', 70000),"
		 " ('G1', 'green', 60000), ('R6', 'red, unknown ARR', NULL)");
	/* the run before: Y1 was Red; the latest run (2026-11-20): Y1 Yellow */
	exec(db, "INSERT INTO snapshot_stats (profile, as_of, customers, green, yellow, red,"
		 " average, at_risk, at_risk_arr)"
		 " VALUES ('default', '2026-11-13', 1, 0, 0, 1, 40, 1, 0),"
		 " ('default', '2026-11-20', 8, 1, 1, 6, 40, 6, 0)");
	exec(db, "INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band,"
		 " coverage, trend, components, measures, at_risk, arr) VALUES"
		 " ('Y1', '2026-11-13', 'default', '1', 40, 'red', 100, 'stable', '', '', 1, 70000),"
		 " ('R1', '2026-11-20', 'default', '1', 40, 'red', 100, 'stable', '', '', 1, 10000),"
		 " ('R2', '2026-11-20', 'default', '1', 41, 'red', 100, 'stable', '', '', 1, 90000),"
		 " ('R3', '2026-11-20', 'default', '1', 42, 'red', 100, 'stable', '', '', 1, 30000),"
		 " ('R4', '2026-11-20', 'default', '1', 43, 'red', 100, 'stable', '', '', 1, 80000),"
		 " ('R5', '2026-11-20', 'default', '1', 49, 'red', 100, 'stable', '', '', 1, 20000),"
		 " ('R6', '2026-11-20', 'default', '1', 10, 'red', 100, 'stable', '', '', 1, NULL),"
		 " ('Y1', '2026-11-20', 'default', '1', 50, 'yellow', 100, 'declining', '', '', 1, 70000),"
		 " ('G1', '2026-11-20', 'default', '1', 80, 'green', 100, 'stable', '', '', 0, 60000)");
	new_plan(db, "R2", "recovery", false);
	p = new_plan(db, "R3", "recovery", false);
	assert_int_equal(cs_plan_update(db, p, NULL, true, CS_PLAN_CANCELLED, NULL, as_of, &d), 0);
	p = new_plan(db, "R4", "recovery", false);
	assert_int_equal(cs_plan_update(db, p, NULL, true, CS_PLAN_ON_HOLD, NULL, as_of, &d), 0);
	new_plan(db, "R5", "onboarding", false);

	assert_int_equal(cs_plans_proposed(db, "default", as_of, NULL, collect_ids, ids, &d), 4);
	assert_string_equal(ids, "R3 R5 R1 R6 ");	/* largest ARR first, unknown last */
	/* as of the earlier run, only Y1 was Red */
	ids[0] = '\0';
	assert_int_equal(cs_plans_proposed(db, "default", as_of - 1, NULL, collect_ids, ids, &d), 1);
	assert_string_equal(ids, "Y1 ");
	/* one customer */
	assert_int_equal(cs_plans_proposed(db, "default", as_of, "R1", NULL, NULL, &d), 1);
	assert_int_equal(cs_plans_proposed(db, "default", as_of, "R2", NULL, NULL, &d), 0);
	assert_int_equal(cs_plans_proposed(db, "default", as_of, "G1", NULL, NULL, &d), 0);
	/* one customer as of the earlier run: Red then, Yellow now; R1 not scored then */
	assert_int_equal(cs_plans_proposed(db, "default", as_of - 1, "Y1", NULL, NULL, &d), 1);
	assert_int_equal(cs_plans_proposed(db, "default", as_of, "Y1", NULL, NULL, &d), 0);
	assert_int_equal(cs_plans_proposed(db, "default", as_of - 1, "R1", NULL, NULL, &d), 0);
	assert_int_equal(cs_plans_proposed(db, "default", as_of, "nobody", NULL, NULL, &d), 0);
	/* accepted: R1's proposal is gone */
	new_plan(db, "R1", "recovery", true);
	assert_int_equal(cs_plans_proposed(db, "default", as_of, NULL, NULL, NULL, &d), 3);
	/* another profile has no run: nothing proposed */
	assert_int_equal(cs_plans_proposed(db, "five-dimension", as_of, NULL, NULL, NULL, &d), 0);
	cs_db_close(db);
}

/* A scoring run's store around the milestones' actions, as `casey score` does. */
static long run_day(sqlite3 *db, int32_t day)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action_store *s;
	long n;

	assert_int_equal(cs_db_begin(db, &d), 0);
	s = cs_action_store_open(db, day, &d);
	assert_non_null(s);
	n = cs_plans_raise_actions(db, day, &d);
	assert_true(cs_action_store_close(s) >= 0);
	assert_int_equal(cs_db_commit(db, &d), 0);
	return n;
}

/* One action per overdue milestone, refreshed not duplicated, resolved when ticked. */
static void test_actions(void **state)
{
	sqlite3 *db = fresh_db("actions.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_milestone_change done = { .status_set = true, .status = CS_MS_COMPLETED };
	struct cs_milestone_change later = { .due_set = true };
	int64_t plan, y, t, nobody, canc;
	long resolved = -1;
	char sql[256];

	(void)state;
	plan = new_plan(db, "C1", "recovery", false);
	y = add_ms(db, plan, "call the sponsor", "2026-11-19", "Sam Okafor");
	t = add_ms(db, plan, "due today", "2026-11-20", NULL);
	nobody = add_ms(db, plan, "no owner", "2026-11-10", NULL);
	canc = add_ms(db, plan, "cancelled", "2026-11-01", NULL);
	set_status(db, canc, CS_MS_CANCELLED);

	assert_int_equal(run_day(db, as_of), 2);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions"), 2);
	snprintf(sql, sizeof(sql), "SELECT kind || '|' || owner || '|' || due_at || '|' || status"
		 " || '|' || customer_id || '|' || arr FROM actions WHERE rule_key = 'milestone:%lld'",
		 (long long)y);
	assert_string_equal(q_text(db, sql),
			    "milestone|Sam Okafor|2026-11-19 23:59:59|open|C1|50000.0");
	/* no owner: the customer's CSM */
	snprintf(sql, sizeof(sql), "SELECT owner || '|' || reason FROM actions"
		 " WHERE rule_key = 'milestone:%lld'", (long long)nobody);
	assert_string_equal(q_text(db, sql), "Maya Chen|success plan milestone overdue: no owner"
			    " (due 2026-11-10)");
	/* the same day again, and the next: refreshed, not duplicated (today's joins) */
	assert_int_equal(run_day(db, as_of), 2);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions"), 2);
	assert_int_equal(run_day(db, as_of + 1), 3);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions"), 3);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM actions WHERE rule_key = 'milestone:%lld'"
		 " AND created_at = '2026-11-21'", (long long)t);
	assert_int_equal(q_long(db, sql), 1);

	/* ticking it done resolves its action at once */
	assert_int_equal(cs_milestone_update(db, y, &done, as_of + 1, &resolved, &d), 0);
	snprintf(sql, sizeof(sql), "SELECT action_id FROM actions WHERE rule_key = 'milestone:%lld'",
		 (long long)y);
	assert_int_equal(resolved, q_long(db, sql));
	snprintf(sql, sizeof(sql), "SELECT status || '|' || resolved_at || '|' || outcome"
		 " FROM actions WHERE rule_key = 'milestone:%lld'", (long long)y);
	assert_string_equal(q_text(db, sql), "resolved|2026-11-21|milestone completed");
	/* and the next run does not raise it again */
	assert_int_equal(run_day(db, as_of + 1), 2);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 2);

	/* moved to a later date: no longer overdue, resolved by the change */
	assert_int_equal(cs_parse_day("2026-12-01", &later.due), 0);
	assert_int_equal(cs_milestone_update(db, nobody, &later, as_of + 1, &resolved, &d), 0);
	assert_true(resolved > 0);
	/* a change that leaves it overdue resolves nothing */
	assert_int_equal(cs_milestone_update(db, t, &(struct cs_milestone_change){
		.status_set = true, .status = CS_MS_IN_PROGRESS }, as_of + 1, &resolved, &d), 0);
	assert_int_equal(resolved, 0);
	/* closing the plan resolves the rest */
	assert_int_equal(cs_plan_update(db, plan, NULL, true, CS_PLAN_COMPLETED, NULL, as_of + 1,
					&d), 0);
	assert_int_equal(q_long(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 0);
	assert_int_equal(run_day(db, as_of + 2), 0);
	/* reopened: the next run raises a new one for what is still late */
	assert_int_equal(cs_plan_update(db, plan, NULL, true, CS_PLAN_ACTIVE, NULL, as_of + 2, &d),
			 0);
	assert_int_equal(run_day(db, as_of + 2), 1);
	cs_db_close(db);
}

/* Bad arguments are refused with the reason, and nothing is written. */
static void test_refused(void **state)
{
	sqlite3 *db = fresh_db("refused.db");
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char long_title[CS_PLAN_TITLE_MAX + 2];
	int64_t id = 0, plan;

	(void)state;
	assert_int_equal(cs_plan_create(db, def, "C1", "renewal", NULL, true, as_of, &id, &d), -1);
	assert_true(captured_has(&cap, "'renewal' is not a plan type (onboarding, quarterly, "
				 "annual, expansion, recovery)"));
	assert_int_equal(cs_plan_create(db, def, "ZZ", "recovery", NULL, true, as_of, &id, &d), -1);
	assert_true(captured_has(&cap, "no customer 'ZZ'"));
	assert_int_equal(cs_plan_create(db, def, "C1", "recovery", "x\033]0;pwned\007", true, as_of,
					&id, &d), -1);
	assert_true(captured_has(&cap, "the title must not contain control characters (nor line "
				 "breaks or tabs)"));
	memset(long_title, 'x', sizeof(long_title) - 1);
	long_title[sizeof(long_title) - 1] = '\0';
	assert_int_equal(cs_plan_create(db, def, "C1", "recovery", long_title, true, as_of, &id,
					&d), -1);
	assert_true(captured_has(&cap, "the title must be at most 200 bytes"));
	assert_int_equal(cs_plan_create(db, def, "C1", "recovery", "\xff\xfe", true, as_of, &id,
					&d), -1);
	assert_true(captured_has(&cap, "the title must be valid UTF-8"));
	assert_int_equal(q_long(db, "SELECT count(*) FROM success_plans"), 0);
	assert_int_equal(q_long(db, "SELECT count(*) FROM milestones"), 0);

	assert_int_equal(cs_milestone_add(db, 99, "x", as_of, NULL, CS_PRIO_LOW, as_of, NULL, &d),
			 -1);
	assert_true(captured_has(&cap, "no plan 99"));
	plan = new_plan(db, "C1", "quarterly", false);
	assert_int_equal(cs_milestone_add(db, plan, "  ", as_of, NULL, CS_PRIO_LOW, as_of, NULL,
					  &d), -1);
	assert_true(captured_has(&cap, "a milestone needs a title"));
	assert_int_equal(cs_milestone_add(db, plan, "ok", as_of, "tab\there", CS_PRIO_LOW, as_of,
					  NULL, &d), -1);
	assert_true(captured_has(&cap, "the owner must not contain control characters (nor line "
				 "breaks or tabs)"));
	assert_int_equal(cs_milestone_update(db, 77, &(struct cs_milestone_change){
		.status_set = true }, as_of, NULL, &d), -1);
	assert_true(captured_has(&cap, "no milestone 77"));
	assert_int_equal(cs_plan_update(db, plan, "", false, 0, NULL, as_of, &d), -1);
	assert_true(captured_has(&cap, "the title cannot be empty"));
	assert_int_equal(q_long(db, "SELECT count(*) FROM milestones"), 0);
	/* a bidi override is text, stored as typed (shown as a placeholder) */
	assert_int_equal(cs_milestone_add(db, plan, "Evil \xe2\x80\xaegnp.exe", as_of, NULL,
					  CS_PRIO_LOW, as_of, NULL, &d), 0);
	/* the most a plan holds */
	for (int i = 1; i < CS_PLAN_MILESTONES_MAX; i++)
		assert_int_equal(cs_milestone_add(db, plan, "m", as_of, NULL, CS_PRIO_LOW, as_of,
						  NULL, &d), 0);
	assert_int_equal(cs_milestone_add(db, plan, "m", as_of, NULL, CS_PRIO_LOW, as_of, NULL, &d),
			 -1);
	assert_true(captured_has(&cap, "plan 1 already has 100 milestones, the most a plan holds"));
	cs_db_close(db);
}

/* plans.ini: every problem at its line. */
static void test_def_errors(void **state)
{
	struct cs_plans_def *bad = malloc(sizeof(*bad));
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	const char *p;
	char line[600];

	(void)state;
	assert_non_null(bad);
	p = write_file("p1.ini", "[type.recovery]\nlabel = Recovery\n"
			 "milestone.1 = 2 | csm | urgent | Call\n[review.qbr]\nlabel = QBR\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:3: [type.recovery] milestone.1: 'urgent' is not a "
		 "priority (low, medium, high, critical)", p);
	assert_true(captured_has(&cap, line));

	p = write_file("p2.ini", "[type.recovery]\nlabel = Recovery\n"
			 "milestone.2 = 2 | csm | high | Call\n[review.qbr]\nlabel = QBR\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:2: [type.recovery] has no milestone.1 (milestones are "
		 "numbered 1..2 without holes)", p);
	assert_true(captured_has(&cap, line));

	p = write_file("p3.ini", "[type.onboarding]\nlabel = Onboarding\n[review.qbr]\nlabel = QBR\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s: no [type.recovery] (the plan proposed for Red "
		 "customers)", p);
	assert_true(captured_has(&cap, line));

	p = write_file("p4.ini", "[type.recovery]\nlabel = Recovery\n"
			 "milestone.1 = soon | csm | high | Call\n[review.qbr]\nlabel = QBR\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:3: [type.recovery] milestone.1: 'soon' is not a number "
		 "of days (0..3660)", p);
	assert_true(captured_has(&cap, line));

	/* A name from an export must mean one review type: aliases, keys, labels. */
	p = write_file("p-alias.ini", "[type.recovery]\nlabel = Recovery\n"
			 "[review.qbr]\nlabel = QBR\naliases = quarterly, Business review\n"
			 "[review.ebr]\nlabel = EBR\naliases = exec review, business-review\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:8: [review.ebr] aliases: 'business-review' already "
		 "names [review.qbr]", p);
	assert_true(captured_has(&cap, line));
	p = write_file("p-label.ini", "[type.recovery]\nlabel = Recovery\n"
			 "[review.qbr]\nlabel = QBR\naliases = quarterly\n"
			 "[review.q]\nlabel = Quarterly\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:7: [review.q]: 'Quarterly' already names [review.qbr]",
		 p);
	assert_true(captured_has(&cap, line));
	/* The shipped file: keys, labels and aliases, any case or punctuation. */
	assert_int_equal(cs_plans_def_load(NULL, bad, &d), 0);
	assert_int_equal(cs_review_type_match(bad, "QBR"), cs_review_type_find(bad, "qbr"));
	assert_int_equal(cs_review_type_match(bad, "Quarterly Business Review (QBR)"),
			 cs_review_type_find(bad, "qbr"));
	assert_int_equal(cs_review_type_match(bad, "Executive  business-review"),
			 cs_review_type_find(bad, "ebr"));
	assert_int_equal(cs_review_type_match(bad, "check-in"), cs_review_type_find(bad, "weekly"));
	assert_int_equal(cs_review_type_match(bad, "Lunch"), -1);
	assert_int_equal(cs_review_type_match(bad, ""), -1);

	p = write_file("p5.ini", "[type.Recovery]\nlabel = Recovery\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:2: [type.Recovery]: 'Recovery' is not a key (lowercase "
		 "letters, digits, _; at most 31)", p);
	assert_true(captured_has(&cap, line));

	p = write_file("p6.ini", "[type.recovery]\nlabel = Recovery\nmilestone.1 = 2 | csm | high\n"
			 "[review.qbr]\nlabel = QBR\n");
	assert_int_equal(cs_plans_def_load(p, bad, &d), -1);
	snprintf(line, sizeof(line), "%s:3: [type.recovery] milestone.1 is not DAYS | OWNER | "
		 "PRIORITY | TITLE", p);
	assert_true(captured_has(&cap, line));
	free(bad);

	/* the shipped file: five plan types, six review types */
	assert_int_equal(def->ntypes, 5);
	assert_int_equal(def->nreviews, 6);
	assert_int_equal(cs_plan_type_find(def, "recovery"), 4);
	assert_int_equal(cs_review_type_find(def, "qbr"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overdue_edges),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_proposals),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_def_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
