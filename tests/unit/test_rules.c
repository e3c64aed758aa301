/*
 * test_rules.c — every rule of PRODUCT.md §3 at and just past its
 * threshold, and the action store (one open action per subject, statuses
 * kept across runs, cleared when the rule stops firing).
 */
#include "testutil.h"

#include <math.h>

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "casey/import.h"
#include "casey/profile.h"
#include "casey/rules.h"
#include "casey/tickets.h"
#include "casey/value.h"

static struct cs_rules rules;
static struct cs_profile prof;

static int setup(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	assert_int_equal(cs_rules_load("rules", &rules, &d), 0);
	assert_int_equal(cs_profile_load("default", &prof, &d), 0);
	return 0;
}

struct fired {
	int count[A_KIND_COUNT];
	struct cs_action last[A_KIND_COUNT];
};

static int collect(void *ctx, const struct cs_action *a)
{
	struct fired *f = ctx;

	f->count[a->kind]++;
	f->last[a->kind] = *a;
	return 0;
}

/* A customer's metrics and score: band, tickets, usage change and contact. */
static void customer(struct cs_customer_metrics *cm, struct cs_score *s, enum cs_band band,
		     int score, double tickets30, double usage_change, double contact_days,
		     const char *status, bool exec)
{
	memset(cm, 0, sizeof(*cm));
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < M_COUNT; i++)
		cm->m[i].value = NAN;
	snprintf(cm->customer_id, sizeof(cm->customer_id), "C1");
	snprintf(cm->name, sizeof(cm->name), "Acme");
	snprintf(cm->status, sizeof(cm->status), "%s", status);
	snprintf(cm->csm, sizeof(cm->csm), "Dana");
	cm->arr = 120000;
	cm->executive_escalation = exec;
	cm->m[M_TICKETS_30D] = (struct cs_metric_value){ true, tickets30, (long)tickets30 };
	if (!isnan(usage_change))
		cm->m[M_USAGE_CHANGE_30D] = (struct cs_metric_value){ true, usage_change, 1 };
	if (!isnan(contact_days))
		cm->m[M_DAYS_SINCE_CONTACT] = (struct cs_metric_value){ true, contact_days, 1 };
	s->score = score;
	s->band = band;
	for (int i = 0; i < prof.nmeasures; i++) {
		s->ms[i].points = 100;
		s->ms[i].weight = prof.measures[i].weight;
	}
	s->ms[0].points = 20;	/* login frequency: the weakest */
	for (int c = 0; c < prof.ncomps; c++)
		s->comp_weight[c] = prof.comps[c].weight;
}

/* The rules that fire for such a customer with the given delta. */
static struct fired run_customer(enum cs_band band, int score, bool has_delta, int delta,
				 double tickets30, double usage_change, double contact_days,
				 const char *status, bool exec)
{
	struct cs_customer_metrics cm;
	struct cs_score s;
	struct fired f;
	struct cs_rule_customer in = { .cm = &cm, .profile = &prof, .score = &s,
				       .has_delta30 = has_delta, .delta30 = delta };
	int32_t as_of;

	memset(&f, 0, sizeof(f));
	customer(&cm, &s, band, score, tickets30, usage_change, contact_days, status, exec);
	cs_parse_day("2026-11-20", &as_of);
	assert_int_equal(cs_rules_customer(&rules, &in, as_of, collect, &f), 0);
	return f;
}

/*
 * The customer rules as a scoring run works them out on the reader's
 * thread: into a list, each with its fingerprint, never more than one
 * per customer rule.
 */
static void test_action_list(void **state)
{
	struct cs_customer_metrics cm;
	struct cs_score s;
	struct cs_rule_customer in = { .cm = &cm, .profile = &prof, .score = &s,
				       .has_delta30 = true, .delta30 = -25 };
	struct cs_action_list list = { .n = 0 };
	struct cs_action a;
	int32_t as_of;
	uint64_t before;

	(void)state;
	/* Red, cancelling, escalated, 9 tickets, usage down 80 %: four rules fire. */
	customer(&cm, &s, CS_RED, 30, 9, -0.8, NAN, "cancel_requested", true);
	cs_parse_day("2026-11-20", &as_of);
	assert_int_equal(cs_rules_customer(&rules, &in, as_of, cs_action_list_add, &list), 0);
	assert_int_equal(list.n, 4);
	assert_int_equal(list.a[0].kind, A_AT_RISK);
	assert_int_equal(list.a[1].kind, A_IMMEDIATE);
	assert_int_equal(list.a[2].kind, A_WEEKLY_REVIEW);
	assert_int_equal(list.a[3].kind, A_CHURN_RISK);
	for (int i = 0; i < list.n; i++)
		assert_true(list.content[i] == cs_action_content(&list.a[i]));
	/* The fingerprint follows the stored text: one character changes it. */
	a = list.a[0];
	before = cs_action_content(&a);
	a.evidence[strlen(a.evidence) - 1] ^= 1;
	assert_true(cs_action_content(&a) != before);
	a = list.a[0];
	a.arr = NAN;
	assert_true(cs_action_content(&a) != before);
	a = list.a[0];
	assert_true(cs_action_content(&a) == before);
	/*
	 * Two actions saying the same thing under two keys (at risk and
	 * churn risk of one customer) have two fingerprints: the store tells
	 * keys apart by hash, and a new key sharing an open one's must not
	 * pass for it unchanged.
	 */
	a = list.a[0];
	snprintf(a.rule_key, sizeof(a.rule_key), "%s", list.a[3].rule_key);
	assert_string_not_equal(a.rule_key, list.a[0].rule_key);
	assert_true(cs_action_content(&a) != before);
	/* Full after one per customer rule: a sixth is refused. */
	assert_int_equal(cs_action_list_add(&list, &list.a[0]), 0);
	assert_int_equal(list.n, CS_CUSTOMER_ACTIONS);
	assert_int_equal(cs_action_list_add(&list, &list.a[0]), -1);
	assert_int_equal(list.n, CS_CUSTOMER_ACTIONS);
}

static void test_customer_rules_at_thresholds(void **state)
{
	struct fired f;

	(void)state;
	/* Red: at risk, immediate, churn risk. */
	f = run_customer(CS_RED, 42, false, 0, 0, NAN, 3, "active", false);
	assert_int_equal(f.count[A_AT_RISK], 1);
	assert_int_equal(f.count[A_IMMEDIATE], 1);
	assert_int_equal(f.count[A_CHURN_RISK], 1);
	assert_int_equal(f.count[A_WEEKLY_REVIEW], 0);
	assert_string_equal(f.last[A_AT_RISK].reason, "Red (42)");
	assert_string_equal(f.last[A_AT_RISK].owner, "Peter (Product)");
	assert_string_equal(f.last[A_AT_RISK].due_at, "2026-11-22 00:00:00");
	assert_string_equal(f.last[A_IMMEDIATE].due_at, "2026-11-21 00:00:00");
	assert_non_null(strstr(f.last[A_AT_RISK].evidence, "ARR at risk $120000"));
	assert_non_null(strstr(f.last[A_AT_RISK].evidence,
			       "root causes: engagement.login_frequency 20 pts (-9.6): Re-engage"));
	/* Yellow declining: at risk at -5, not at -4. */
	f = run_customer(CS_YELLOW, 60, true, -5, 0, NAN, 3, "active", false);
	assert_int_equal(f.count[A_AT_RISK], 1);
	f = run_customer(CS_YELLOW, 60, true, -4, 0, NAN, 3, "active", false);
	assert_int_equal(f.count[A_AT_RISK], 0);
	/* Immediate: a Yellow drop of 20, not 19. */
	f = run_customer(CS_YELLOW, 60, true, -20, 0, NAN, 3, "active", false);
	assert_int_equal(f.count[A_IMMEDIATE], 1);
	assert_string_equal(f.last[A_IMMEDIATE].reason, "Yellow with a 20-point drop in 30 days");
	f = run_customer(CS_YELLOW, 60, true, -19, 0, NAN, 3, "active", false);
	assert_int_equal(f.count[A_IMMEDIATE], 0);
	/* Immediate: cancellation and executive escalation, even when Green. */
	f = run_customer(CS_GREEN, 90, false, 0, 0, NAN, 3, "cancel_requested", true);
	assert_int_equal(f.count[A_IMMEDIATE], 1);
	assert_string_equal(f.last[A_IMMEDIATE].reason,
			    "cancellation requested; executive escalation");
	assert_int_equal(f.count[A_CHURN_RISK], 1);
	/* Weekly review: all Yellow; Green declining; 5 tickets, not 4. */
	f = run_customer(CS_GREEN, 85, false, 0, 5, NAN, 3, "active", false);
	assert_int_equal(f.count[A_WEEKLY_REVIEW], 1);
	assert_string_equal(f.last[A_WEEKLY_REVIEW].reason, "5 tickets in 30 days");
	assert_string_equal(f.last[A_WEEKLY_REVIEW].owner, "Dana");
	f = run_customer(CS_GREEN, 85, false, 0, 4, NAN, 3, "active", false);
	assert_int_equal(f.count[A_WEEKLY_REVIEW], 0);
	f = run_customer(CS_GREEN, 85, true, -5, 0, NAN, 3, "active", false);
	assert_int_equal(f.count[A_WEEKLY_REVIEW], 1);
	/* Churn risk: usage down more than 50% (51% fires, 50% does not); downgrade. */
	f = run_customer(CS_GREEN, 85, false, 0, 0, -0.51, 3, "active", false);
	assert_int_equal(f.count[A_CHURN_RISK], 1);
	assert_string_equal(f.last[A_CHURN_RISK].reason, "usage down 51% against 30 days ago");
	f = run_customer(CS_GREEN, 85, false, 0, 0, -0.50, 3, "active", false);
	assert_int_equal(f.count[A_CHURN_RISK], 0);
	f = run_customer(CS_GREEN, 85, false, 0, 0, NAN, 3, "downgrade_requested", false);
	assert_int_equal(f.count[A_CHURN_RISK], 1);
	/* Check-in: Yellow and no contact for 30 days (29 is recent enough). */
	f = run_customer(CS_YELLOW, 70, false, 0, 0, NAN, 30, "active", false);
	assert_int_equal(f.count[A_CHECK_IN], 1);
	assert_string_equal(f.last[A_CHECK_IN].reason, "Yellow (70), no contact since 2026-10-21");
	f = run_customer(CS_YELLOW, 70, false, 0, 0, NAN, 29, "active", false);
	assert_int_equal(f.count[A_CHECK_IN], 0);
	f = run_customer(CS_YELLOW, 70, false, 0, 0, NAN, NAN, "active", false);
	assert_int_equal(f.count[A_CHECK_IN], 1);
}

/* ---- theme rules on a database ------------------------------------------ */

static sqlite3 *db_with_tickets(const char *tickets, const char *features,
				const char *feature_usage)
{
	static int n;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_import_opts o = { 0 };
	const char *files[4];
	char path[512], name[64];
	int nf = 0;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/rules%d.db", scratch_dir(), n);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	/* 10 customers, with ARR chosen to sit on the rules' edges. */
	files[nf++] = write_file("customers.csv",
		"customer_id,name,arr\nC1,A,50000\nC2,B,50000\nC3,C,50001\nC4,D,49999\n"
		"C5,E,50000\nC6,F,1\nC7,G,1\nC8,H,1\nC9,I,1\nC10,J,1\n");
	snprintf(name, sizeof(name), "tickets%d.csv", n);
	files[nf++] = write_file(name, tickets);
	if (features) {
		files[nf++] = write_file("features.csv", features);
		files[nf++] = write_file("feature_usage.csv", feature_usage);
	}
	n++;
	if (cs_import_files(db, files, nf, &o, NULL, &d)) {
		for (int i = 0; i < cap.n; i++)
			fprintf(stderr, "%s\n", cap.lines[i]);
		fail_msg("import failed");
	}
	if (cs_tickets_categorise(db, &d) < 0) {
		for (int i = 0; i < cap.n; i++)
			fprintf(stderr, "%s\n", cap.lines[i]);
		fail_msg("categorise failed");
	}
	return db;
}

static struct fired run_themes(sqlite3 *db)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct fired f;
	int32_t as_of;

	memset(&f, 0, sizeof(f));
	cs_parse_day("2026-11-20", &as_of);
	assert_int_equal(cs_rules_themes(db, &rules, as_of, collect, &f, &d), 0);
	return f;
}

#define FR "Feature Request"
static void test_product_gap_thresholds(void **state)
{
	sqlite3 *db;
	struct fired f;

	(void)state;
	/* 2 tickets worth $2: nothing; 3 tickets: fires. */
	db = db_with_tickets("ticket_id,customer_id,created_at,category,tags\n"
			     "T1,C7,2026-10-01," FR ",sso\nT2,C8,2026-10-02," FR ",sso\n", NULL, NULL);
	f = run_themes(db);
	assert_int_equal(f.count[A_PRODUCT_GAP], 0);
	cs_db_close(db);
	db = db_with_tickets("ticket_id,customer_id,created_at,category,tags\n"
			     "T1,C7,2026-10-01," FR ",sso\nT2,C8,2026-10-02," FR ",sso\n"
			     "T3,C9,2026-10-03," FR ",sso\n", NULL, NULL);
	f = run_themes(db);
	assert_int_equal(f.count[A_PRODUCT_GAP], 1);
	assert_string_equal(f.last[A_PRODUCT_GAP].reason,
			    "Feature Request 'sso': 3 tickets from 3 customers, $3 ARR in 90 days");
	assert_string_equal(f.last[A_PRODUCT_GAP].evidence,
			    "RICE inputs: reach 3 customers (3 requests); impact: $3 combined ARR; "
			    "confidence: medium (3 tickets in 90 days)");
	assert_string_equal(f.last[A_PRODUCT_GAP].owner, "Peter (Product)");
	cs_db_close(db);
	/* Two tickets each: $100,000 exactly does not fire, $100,001 does. */
	db = db_with_tickets("ticket_id,customer_id,created_at,category,tags\n"
			     "T1,C1,2026-10-01," FR ",alpha\nT2,C2,2026-10-02," FR ",alpha\n"
			     "T3,C1,2026-10-01," FR ",beta\nT4,C3,2026-10-02," FR ",beta\n",
			     NULL, NULL);
	f = run_themes(db);
	assert_int_equal(f.count[A_PRODUCT_GAP], 1);
	assert_string_equal(f.last[A_PRODUCT_GAP].theme, "beta");
	cs_db_close(db);
}

static void test_theme_escalation_and_docs_gap(void **state)
{
	sqlite3 *db;
	struct fired f;

	(void)state;
	/* In the week: 'x' $49,999 (no), 'y' $50,000 (yes), 'z' 3 tickets from
	 * one $1 customer (yes), 'w' 2 tickets (no). In 90 days: 5 how-to
	 * tickets on 'schedule' (a documentation gap), 4 on 'filters' (not). */
	db = db_with_tickets("ticket_id,customer_id,created_at,category,tags\n"
			     "X1,C4,2026-11-18,Usability Issue,x\nY1,C5,2026-11-19,Bug Report,y\n"
			     "Z1,C7,2026-11-14,Usability Issue,z\nZ2,C7,2026-11-15,Usability Issue,z\n"
			     "Z3,C7,2026-11-20,Usability Issue,z\n"
			     "W1,C8,2026-11-18,Usability Issue,w\nW2,C9,2026-11-18,Usability Issue,w\n"
			     "H1,C6,2026-09-01,How-To Question,schedule\nH2,C7,2026-09-02,How-To Question,schedule\n"
			     "H3,C8,2026-09-03,How-To Question,schedule\nH4,C9,2026-09-04,How-To Question,schedule\n"
			     "H5,C10,2026-09-05,How-To Question,schedule\n"
			     "H6,C6,2026-09-01,How-To Question,filters\nH7,C7,2026-09-02,How-To Question,filters\n"
			     "H8,C8,2026-09-03,How-To Question,filters\nH9,C9,2026-09-04,How-To Question,filters\n",
			     NULL, NULL);
	f = run_themes(db);
	assert_int_equal(f.count[A_THEME], 2);
	assert_int_equal(f.count[A_DOCS_GAP], 1);
	assert_string_equal(f.last[A_DOCS_GAP].theme, "schedule");
	assert_string_equal(f.last[A_DOCS_GAP].owner, "Thomas (Docs)");
	assert_int_equal(f.count[A_BUG], 1);
	assert_string_equal(f.last[A_BUG].theme, "y");
	assert_string_equal(f.last[A_BUG].owner, "Tucker (QA)");
	cs_db_close(db);
}

static void test_adoption_gap_edges(void **state)
{
	sqlite3 *db;
	struct fired f;

	(void)state;
	/* 10 active customers. F1 released 30 days ago, used by 1 (10%): gap.
	 * F2 released 29 days ago, used by none: too new. F3 used by 2 (20%):
	 * not under 20%. */
	db = db_with_tickets("ticket_id,customer_id,created_at\nT1,C1,2026-01-01\n",
			     "feature_id,name,released_at\nF1,Bulk edit,2026-10-21\n"
			     "F2,Dark mode,2026-10-22\nF3,SSO,2026-01-01\n",
			     "customer_id,feature_id,first_used_at\nC1,F1,2026-11-01\n"
			     "C1,F3,2026-02-01\nC2,F3,2026-02-01\n");
	f = run_themes(db);
	assert_int_equal(f.count[A_ADOPTION_GAP], 1);
	assert_string_equal(f.last[A_ADOPTION_GAP].reason,
			    "'Bulk edit' (released 2026-10-21) is used by 10.0% of active "
			    "customers (1 of 10), under 20%");
	cs_db_close(db);
}

/*
 * A feature's users are counted as the adoption report counts them
 * (CS_USED_AS_OF): a row with no uses is no user, and a customer created
 * after the day is neither active nor a user. F1 is used by C1 and by
 * C2 with 0 uses: 1 of 10 (a gap, where 2 of 10 would not be). F2 by C1
 * and by C11, created after the day: 1 of 10, a gap.
 */
static void test_adoption_gap_counts_as_the_report(void **state)
{
	sqlite3 *db;
	struct fired f;

	(void)state;
	db = db_with_tickets("ticket_id,customer_id,created_at\nT1,C1,2026-01-01\n",
			     "feature_id,name,released_at\nF1,Bulk edit,2026-01-01\n"
			     "F2,SSO,2026-01-01\n",
			     "customer_id,feature_id,first_used_at\nC1,F1,2026-02-01\n"
			     "C2,F1,2026-02-01\nC1,F2,2026-02-01\n");
	assert_int_equal(sqlite3_exec(db,
		"UPDATE feature_usage SET uses = 0 WHERE customer_id = 'C2';"
		"INSERT INTO customers (customer_id, name, created_at)"
		" VALUES ('C11', 'K', '2026-12-01');"
		"INSERT INTO feature_usage (customer_id, feature_id, first_used_at)"
		" VALUES ('C11', 'F2', NULL);", NULL, NULL, NULL), SQLITE_OK);
	f = run_themes(db);
	assert_int_equal(f.count[A_ADOPTION_GAP], 2);
	assert_string_equal(f.last[A_ADOPTION_GAP].reason,
			    "'SSO' (released 2026-01-01) is used by 10.0% of active "
			    "customers (1 of 10), under 20%");
	cs_db_close(db);
}

/* ---- the store ------------------------------------------------------------ */

static void test_action_store(void **state)
{
	sqlite3 *db = db_with_tickets("ticket_id,customer_id,created_at\nT1,C1,2026-01-01\n",
				      NULL, NULL);
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action a = { .kind = A_CHURN_RISK, .customer_id = "C1", .arr = 30000 };
	struct cs_action_store *s;
	int32_t day1, day2;

	(void)state;
	cs_parse_day("2026-11-19", &day1);
	cs_parse_day("2026-11-20", &day2);
	snprintf(a.rule_key, sizeof(a.rule_key), "churn_risk:C1");
	snprintf(a.reason, sizeof(a.reason), "Red (40)");
	snprintf(a.owner, sizeof(a.owner), "Peter");
	snprintf(a.due_at, sizeof(a.due_at), "2026-11-20 00:00:00");
	s = cs_action_store_open(db, day1, &d);
	assert_int_equal(cs_action_store(s, &a), 0);
	assert_int_equal(cs_action_store_close(s), 1);
	/* The CSM acts on it; the next run refreshes, never duplicates. */
	assert_int_equal(cs_action_set_status(db, 1, "sent", NULL, day1, &d), 0);
	snprintf(a.reason, sizeof(a.reason), "Red (38)");
	s = cs_action_store_open(db, day2, &d);
	assert_int_equal(cs_action_store(s, &a), 0);
	assert_int_equal(cs_action_store_close(s), 1);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), max(status), max(reason),"
						    " max(created_at) FROM actions", -1, &st, NULL), 0);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 1);
		assert_string_equal((const char *)sqlite3_column_text(st, 1), "sent");
		assert_string_equal((const char *)sqlite3_column_text(st, 2), "Red (38)");
		assert_string_equal((const char *)sqlite3_column_text(st, 3), "2026-11-19");
		sqlite3_finalize(st);
	}
	assert_int_equal(cs_action_set_status(db, 1, "maybe", NULL, day1, &d), -1);
	assert_true(captured_has(&cap, "'maybe' is not a status (draft, sent, acknowledged, "
				 "resolved, dismissed)"));
	assert_int_equal(cs_action_set_status(db, 99, "sent", NULL, day1, &d), -1);
	assert_true(captured_has(&cap, "no action 99"));
	cs_db_close(db);
}

static int q_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int n;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), 0);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* One action's status, reason and last_seen, as "status|reason|last_seen|resolved_at". */
static void action_row(sqlite3 *db, const char *key, char *buf, size_t size)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT status || '|' || reason || '|' ||"
					    " last_seen || '|' || coalesce(resolved_at, '-')"
					    " FROM actions WHERE rule_key = ?1"
					    " ORDER BY action_id DESC LIMIT 1", -1, &st, NULL), 0);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static void raise_arr(struct cs_action_store *s, enum cs_action_kind kind, const char *cust,
		      const char *reason, double arr)
{
	struct cs_action a = { .kind = kind, .customer_id = cust, .arr = arr };

	snprintf(a.rule_key, sizeof(a.rule_key), "%s:%s", cs_action_names[kind], cust);
	snprintf(a.reason, sizeof(a.reason), "%s", reason);
	snprintf(a.owner, sizeof(a.owner), "Peter");
	snprintf(a.due_at, sizeof(a.due_at), "2026-11-20 00:00:00");
	assert_int_equal(cs_action_store(s, &a), 0);
}

static void raise_one(struct cs_action_store *s, enum cs_action_kind kind, const char *cust,
		      const char *reason)
{
	raise_arr(s, kind, cust, reason, 1000);
}

/*
 * A daily run writes only what is new or changed: an action raised again,
 * changed or not, keeps the day it was raised new (a change rewrites its
 * texts, and its ARR when that moved), one not raised is cleared; a run
 * for a day before the latest scored day clears nothing raised later.
 */
static void test_action_store_writes_changes(void **state)
{
	sqlite3 *db = db_with_tickets("ticket_id,customer_id,created_at\nT1,C1,2026-01-01\n",
				      NULL, NULL);
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action_store *s;
	int32_t d18, d19, d20;
	char row[256];

	(void)state;
	cs_parse_day("2026-11-18", &d18);
	cs_parse_day("2026-11-19", &d19);
	cs_parse_day("2026-11-20", &d20);
	s = cs_action_store_open(db, d18, &d);
	raise_one(s, A_CHURN_RISK, "C1", "Red (40)");
	raise_one(s, A_CHECK_IN, "C2", "Yellow (60), no contact since 2026-09-01");
	raise_one(s, A_AT_RISK, "C3", "Red (30)");
	assert_int_equal(cs_action_store_close(s), 3);

	s = cs_action_store_open(db, d19, &d);
	raise_one(s, A_CHURN_RISK, "C1", "Red (40)");			/* unchanged */
	raise_one(s, A_CHECK_IN, "C2", "Yellow (61), no contact since 2026-09-01");
	raise_one(s, A_CHECK_IN, "C2", "Yellow (61), no contact since 2026-09-01");
	raise_one(s, A_IMMEDIATE, "C4", "Red (20)");			/* new */
	raise_arr(s, A_IMMEDIATE, "C4", "Red (21)", 1500);		/* new, then changed */
	assert_int_equal(cs_action_store_close(s), 5);
	action_row(db, "churn_risk:C1", row, sizeof(row));
	assert_string_equal(row, "open|Red (40)|2026-11-18|-");
	action_row(db, "check_in:C2", row, sizeof(row));
	assert_string_equal(row, "open|Yellow (61), no contact since 2026-09-01|2026-11-18|-");
	assert_int_equal(q_count(db, "SELECT arr FROM actions WHERE rule_key = 'check_in:C2'"),
			 1000);
	assert_int_equal(q_count(db, "SELECT arr FROM actions WHERE rule_key = 'immediate:C4'"),
			 1500);
	/* the ARR's indexes follow the row they were rewritten with */
	assert_int_equal(q_count(db, "SELECT count(*) FROM actions INDEXED BY actions_open_due"
				 " WHERE status NOT IN ('resolved','dismissed') AND due_at > ''"
				 "   AND arr = 1500"), 1);
	action_row(db, "at_risk:C3", row, sizeof(row));
	assert_string_equal(row, "resolved|Red (30)|2026-11-18|2026-11-19");
	action_row(db, "immediate:C4", row, sizeof(row));
	assert_string_equal(row, "open|Red (21)|2026-11-19|-");
	assert_int_equal(q_count(db, "SELECT count(*) FROM actions"), 4);

	/*
	 * The 20th raises the same again (nothing written) and is the latest
	 * day scored; a run for the 19th after it clears none of them.
	 */
	s = cs_action_store_open(db, d20, &d);
	raise_one(s, A_CHURN_RISK, "C1", "Red (40)");
	raise_one(s, A_CHECK_IN, "C2", "Yellow (61), no contact since 2026-09-01");
	raise_arr(s, A_IMMEDIATE, "C4", "Red (21)", 1500);
	assert_int_equal(cs_action_store_close(s), 3);
	action_row(db, "churn_risk:C1", row, sizeof(row));
	assert_string_equal(row, "open|Red (40)|2026-11-18|-");
	assert_int_equal(sqlite3_exec(db, "INSERT INTO snapshot_stats (profile, as_of, customers,"
				      " green, yellow, red, at_risk, at_risk_arr)"
				      " VALUES ('default', '2026-11-20', 4, 0, 0, 4, 0, 0)",
				      NULL, NULL, NULL), SQLITE_OK);
	s = cs_action_store_open(db, d19, &d);
	raise_one(s, A_AT_RISK, "C3", "Red (35)");
	assert_int_equal(cs_action_store_close(s), 1);
	action_row(db, "churn_risk:C1", row, sizeof(row));
	assert_string_equal(row, "open|Red (40)|2026-11-20|-");
	action_row(db, "check_in:C2", row, sizeof(row));
	assert_string_equal(row, "open|Yellow (61), no contact since 2026-09-01|2026-11-20|-");
	action_row(db, "immediate:C4", row, sizeof(row));
	assert_string_equal(row, "open|Red (21)|2026-11-20|-");
	action_row(db, "at_risk:C3", row, sizeof(row));
	assert_string_equal(row, "open|Red (35)|2026-11-19|-");
	assert_int_equal(q_count(db, "SELECT count(*) FROM actions WHERE status = 'open'"), 4);
	assert_int_equal(cap.n, 0);
	cs_db_close(db);
}

static int collect_action(void *ctx, const struct cs_action_row *r)
{
	char *ids = ctx;

	snprintf(ids + strlen(ids), 256 - strlen(ids), "%ld%s ", r->id, r->overdue ? "!" : "");
	return 0;
}

/* The ids the query lists, "3 1! ..." ('!': overdue), into ids[256]. */
static const char *listed(sqlite3 *db, const struct cs_action_query *q, char *ids)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	ids[0] = '\0';
	assert_int_equal(cs_actions_list(db, q, collect_action, ids, &d), 0);
	return ids;
}

/*
 * The listing and its count read the same actions by their own statements
 * (all, one customer's, one by id): the count matches what a listing
 * without a limit returns, however few rows a limited one reads.
 */
static void test_actions_list_and_count(void **state)
{
	sqlite3 *db = db_with_tickets("ticket_id,customer_id,created_at\nT1,C1,2026-01-01\n",
				      NULL, NULL);
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_action_query q = { 0 };
	char ids[256];
	long total, overdue;

	(void)state;
	cs_parse_day("2026-11-20", &q.as_of);
	/* ids 1..6: due times and statuses around the as-of day 2026-11-20 */
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO actions (action_id, kind, rule_key, customer_id, arr, reason,"
		" created_at, last_seen, due_at, status) VALUES"
		" (1, 'at_risk', 'k1', 'C1', 100, 'r', '2026-11-01', '2026-11-01',"
		"  '2026-11-19 09:00:00', 'open'),"
		" (2, 'check_in', 'k2', 'C2', 200, 'r', '2026-11-01', '2026-11-01',"
		"  '2026-11-20 23:59:59', 'sent'),"
		" (3, 'at_risk', 'k3', 'C1', 300, 'r', '2026-11-01', '2026-11-01',"
		"  '2026-11-18 09:00:00', 'acknowledged'),"
		" (4, 'at_risk', 'k4', 'C1', 400, 'r', '2026-11-01', '2026-11-01',"
		"  '2026-11-25 09:00:00', 'open'),"
		" (5, 'at_risk', 'k5', 'C1', 500, 'r', '2026-11-01', '2026-11-01',"
		"  '2026-11-10 09:00:00', 'resolved'),"
		" (6, 'at_risk', 'k6', 'C2', 600, 'r', '2026-11-21', '2026-11-21',"
		"  '2026-11-10 09:00:00', 'open')", NULL, NULL, NULL), SQLITE_OK);

	/* open ones raised by the as-of day, by due time; acknowledged is not overdue */
	assert_string_equal(listed(db, &q, ids), "3 1! 2! 4 ");
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total, 4);
	assert_int_equal(overdue, 2);
	q.limit = 2;
	assert_string_equal(listed(db, &q, ids), "3 1! ");
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total, 4);
	q.limit = 0;

	/* one customer's, with the closed ones too */
	q.customer_id = "C1";
	assert_string_equal(listed(db, &q, ids), "3 1! 4 ");
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total * 10 + overdue, 31);
	q.all = true;
	assert_string_equal(listed(db, &q, ids), "5 3 1! 4 ");
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total * 10 + overdue, 41);

	/* one action by id: a resolved one only with the closed ones */
	q.customer_id = NULL;
	q.id = 5;
	assert_string_equal(listed(db, &q, ids), "5 ");
	q.all = false;
	assert_string_equal(listed(db, &q, ids), "");
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total, 0);
	q.id = 2;
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total * 10 + overdue, 11);
	/* raised after the as-of day: not there yet */
	q.id = 6;
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total, 0);

	/* one kind */
	q.id = 0;
	q.kind = "check_in";
	assert_int_equal(cs_actions_count(db, &q, &total, &overdue, &d), 0);
	assert_int_equal(total * 10 + overdue, 11);
	assert_int_equal(cap.n, 0);
	cs_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_customer_rules_at_thresholds),
		cmocka_unit_test(test_product_gap_thresholds),
		cmocka_unit_test(test_theme_escalation_and_docs_gap),
		cmocka_unit_test(test_adoption_gap_edges),
		cmocka_unit_test(test_adoption_gap_counts_as_the_report),
		cmocka_unit_test(test_action_store),
		cmocka_unit_test(test_action_store_writes_changes),
		cmocka_unit_test(test_action_list),
		cmocka_unit_test(test_actions_list_and_count),
	};

	return cmocka_run_group_tests_name("rules", tests, setup, NULL);
}
