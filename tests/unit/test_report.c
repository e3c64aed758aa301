/*
 * test_report.c — reports and hand-offs (report.h, escalate.h,
 * outreach.h) on a small hand-built company: every escalation document,
 * quotes anonymised (a name, an email, a phone number, a signature), the
 * intake run with an argv that no shell ever sees, the deadline restarting
 * when an escalation is sent, the retention purge keeping the NPS trend
 * and the snapshots, the metrics export, contact logging, drafts, and a
 * weekly report that is the same bytes every time.
 */
#include "testutil.h"

#include <sys/stat.h>

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "casey/escalate.h"
#include "casey/import.h"
#include "casey/outreach.h"
#include "casey/report.h"
#include "casey/score.h"
#include "casey/tickets.h"
#include "casey/value.h"

#define AS_OF "2026-11-20"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_report_env *env;
	int32_t as_of;
};

static const char customers_csv[] =
	"customer_id,name,segment,plan,arr,seats,csm,created_at,status,last_contact_at,"
	"executive_escalation\n"
	"C1,Acme Analytics Inc.,Mid-Market,Growth,150000,20,Dana Scully,2025-01-01,active,"
	"2026-08-01,no\n"
	"C2,Borealis Foods,Enterprise,Enterprise,300000,50,Dana Scully,2024-03-01,"
	"cancel_requested,2026-11-01,yes\n"
	"C3,Cobalt Labs,Small Business,Starter,10000,5,Fox Mulder,2026-09-01,active,"
	"2026-11-10,no\n"
	"C4,Delta Works,Trial,Starter,,3,Fox Mulder,2026-10-01,active,,no\n";

static const char features_csv[] =
	"feature_id,name,released_at,paid\n"
	"F1,Bulk Export,2026-01-05,yes\nF2,Smart Alerts,2026-10-01,no\nF3,Audit Trail,2025-06-01,yes\n";

static const char feature_usage_csv[] =
	"customer_id,feature_id,first_used_at,uses\n"
	"C3,F1,2026-09-10,40\nC3,F3,2026-09-10,12\n";

static const char usage_csv[] =
	"customer_id,date,active_days_30d,active_users,seats,paid_features_used,"
	"paid_features_total,core_actions_30d,session_minutes_avg,errors_30d\n"
	"C1,2026-10-20,12,10,20,2,2,900,20,1\nC1,2026-11-18,2,3,20,0,2,100,5,9\n"
	"C2,2026-10-20,20,40,50,2,2,3000,30,0\nC2,2026-11-18,3,10,40,1,2,200,10,3\n"
	"C3,2026-10-20,25,5,5,2,2,800,25,0\nC3,2026-11-18,26,5,5,2,2,850,25,0\n";

/* Feature requests for SSO (one quoting a name, an email, a phone number and a
 * signature), bugs with reproduction steps, how-to questions. */
static const char tickets_csv[] =
	"ticket_id,customer_id,created_at,subject,description,category,tags,priority,impact,"
	"status,sentiment,feature\n"
	"T1,C1,2026-11-18,Request: SAML single sign-on,\"Acme Analytics needs SAML SSO before "
	"renewal. Mail jo.smith@acme.io or call +1 555 010 2233. Regards, Jo Smith\","
	"Feature Request,sso,normal,medium,open,frustrated,\n"
	"T2,C2,2026-11-17,Do you support SSO with Okta?,\"Our security team requires Okta SSO, "
	"as Cobalt Labs has.\","
	"Feature Request,sso,high,high,open,angry,\n"
	"T3,C3,2026-10-02,SSO needed for our security review,We need SSO for the audit.,"
	"Feature Request,sso,normal,low,open,,\n"
	"T4,C1,2026-11-19,Export turns names into question marks,\"Accented letters break. "
	"Steps to reproduce: 1. Open Reports. 2. Click Export. 3. Open the file. Expected: "
	"readable names. Actual: question marks. The message says: \"\"Export failed\"\"\","
	"Bug Report,export,high,high,open,frustrated,F1\n"
	"T5,C2,2026-11-18,Export garbles names,Same as last week.,Bug Report,export,urgent,high,"
	"open,angry,F1\n"
	"H1,C1,2026-09-01,How do I schedule a report?,,How-To Question,schedule,low,low,solved,,\n"
	"H2,C2,2026-09-02,How do I schedule a report?,,How-To Question,schedule,low,low,solved,,\n"
	"H3,C3,2026-09-03,Set up a recurring report,,How-To Question,schedule,low,low,solved,,\n"
	"H4,C4,2026-09-04,Schedule a report for my team,,How-To Question,schedule,low,low,solved,,\n"
	"H5,C1,2026-09-05,How do I schedule a report?,,How-To Question,schedule,low,low,solved,,\n"
	"P1,C3,2026-11-19,Dashboard slow,Takes a minute.,Performance Issue,slow,low,low,open,,\n";

/* NPS answers over the year: the trend the purge must keep. */
static const char nps_csv[] =
	"response_id,customer_id,date,score,comment\n"
	"N1,C1,2026-01-15,9,\nN2,C2,2026-01-20,3,\nN3,C3,2026-02-10,10,\nN4,C1,2026-03-05,7,\n"
	"N5,C2,2026-04-15,2,Too slow\nN6,C3,2026-06-01,9,\nN7,C1,2026-09-15,4,\"Acme Analytics "
	"is unhappy, call Dana Scully on 555-0142\"\nN8,C3,2026-10-15,10,\nN9,C2,2026-11-01,6,\n";

static void import(struct fixture *f, const char *name, const char *data)
{
	struct cs_import_opts o = { 0 };

	if (cs_import_buffer(f->db, name, data, strlen(data), &o, NULL, &f->diag)) {
		for (int i = 0; i < f->cap.n; i++)
			fprintf(stderr, "%s\n", f->cap.lines[i]);
		fail_msg("importing %s failed", name);
	}
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);

	if (rc != SQLITE_OK)
		fprintf(stderr, "%s\n", err);
	sqlite3_free(err);
	assert_int_equal(rc, SQLITE_OK);
}

static long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void text_of(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, size, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* Every action kind, raised by hand (the rules have their own tests). */
static const char actions_sql[] =
	"INSERT INTO actions (action_id, kind, rule_key, customer_id, category, theme, arr, reason,"
	" owner, created_at, last_seen, due_at, evidence) VALUES"
	" (1, 'product_gap', 'product_gap:Feature Request/sso', NULL, 'Feature Request', 'sso',"
	"  460000, 'Feature Request ''sso'': 3 tickets from 3 customers, $460000 ARR in 90 days',"
	"  'Peter (Product)', '" AS_OF "', '" AS_OF "', '2026-11-22 00:00:00',"
	"  'RICE inputs: reach 3 customers (3 requests)'),"
	" (2, 'bug', 'bug:Bug Report/export', NULL, 'Bug Report', 'export', 450000,"
	"  'Bug Report ''export'': 2 tickets from 2 customers, $450000 ARR in 7 days',"
	"  'Tucker (QA)', '" AS_OF "', '" AS_OF "', '2026-11-21 00:00:00',"
	"  '2 tickets, 2 customers, $450000 ARR'),"
	" (3, 'documentation_gap', 'documentation_gap:How-To Question/schedule', NULL,"
	"  'How-To Question', 'schedule', 460000, 'How-To Question ''schedule'': 5 tickets',"
	"  'Thomas (Docs)', '" AS_OF "', '" AS_OF "', '2026-11-27 00:00:00',"
	"  '5 tickets, 4 customers, $460000 ARR'),"
	" (4, 'churn_risk', 'churn_risk:C2', 'C2', NULL, NULL, 300000,"
	"  'cancellation requested', 'Peter (Product)', '" AS_OF "', '" AS_OF "',"
	"  '2026-11-21 00:00:00', ''),"
	" (5, 'immediate', 'immediate:C2', 'C2', NULL, NULL, 300000,"
	"  'cancellation requested; executive escalation', 'Peter (Product)', '" AS_OF "',"
	"  '" AS_OF "', '2026-11-21 00:00:00', ''),"
	" (6, 'at_risk', 'at_risk:C1', 'C1', NULL, NULL, 150000, 'Red (40)',"
	"  'Peter (Product)', '" AS_OF "', '" AS_OF "', '2026-11-22 00:00:00', ''),"
	" (7, 'adoption_gap', 'adoption_gap:F2', NULL, NULL, 'Smart Alerts', NULL,"
	"  'Smart Alerts is used by 0% of active customers', 'Thomas (Docs)', '" AS_OF "',"
	"  '" AS_OF "', '2026-11-27 00:00:00', ''),"
	" (8, 'theme_escalation', 'theme_escalation:Performance Issue/slow', NULL,"
	"  'Performance Issue', 'slow', 10000, 'Performance Issue ''slow'': 1 ticket',"
	"  'Peter (Product)', '" AS_OF "', '" AS_OF "', '2026-11-27 00:00:00', ''),"
	" (9, 'check_in', 'check_in:C1', 'C1', NULL, NULL, 150000,"
	"  'Yellow (60), no contact for 111 days', 'Dana Scully', '" AS_OF "', '" AS_OF "',"
	"  '2026-11-23 00:00:00', ''),"
	" (10, 'weekly_review', 'weekly_review:C3', 'C3', NULL, NULL, 10000, 'Yellow (70)',"
	"  'Fox Mulder', '" AS_OF "', '" AS_OF "', '2026-11-27 00:00:00', '')";

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	struct cs_profile p;
	struct cs_score_stats stats;
	char path[512];

	f->diag = capture_diag(&f->cap);
	cs_parse_day(AS_OF, &f->as_of);
	snprintf(path, sizeof(path), "%s/r%d.db", scratch_dir(), n++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	import(f, "customers.csv", customers_csv);
	import(f, "features.csv", features_csv);
	import(f, "feature_usage.csv", feature_usage_csv);
	import(f, "usage.csv", usage_csv);
	import(f, "tickets.csv", tickets_csv);
	import(f, "nps.csv", nps_csv);
	assert_true(cs_tickets_categorise(f->db, &f->diag) >= 0);
	assert_int_equal(cs_profile_load("default", &p, &f->diag), 0);
	assert_int_equal(cs_score_run(f->db, &p, f->as_of - 7, &stats, NULL, &f->diag), 0);
	assert_int_equal(cs_score_run(f->db, &p, f->as_of, &stats, NULL, &f->diag), 0);
	exec(f->db, actions_sql);
	f->env = cs_report_env_load("default", &f->diag);
	assert_non_null(f->env);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cs_report_env_free(f->env);
	cs_db_close(f->db);
	free(f);
	return 0;
}

static char *document(struct fixture *f, long id, unsigned flags)
{
	char *text = NULL;

	if (cs_escalation_text(f->db, f->env, id, f->as_of, flags, &text, &f->diag)) {
		for (int i = 0; i < f->cap.n; i++)
			fprintf(stderr, "%s\n", f->cap.lines[i]);
		fail_msg("no document for action %ld", id);
	}
	return text;
}

static void has(const char *text, const char *want)
{
	if (!strstr(text, want)) {
		fprintf(stderr, "--- document ---\n%s\n--- wanted ---\n%s\n", text, want);
		fail_msg("missing: %s", want);
	}
}

static void has_not(const char *text, const char *unwanted)
{
	if (strstr(text, unwanted)) {
		fprintf(stderr, "--- document ---\n%s\n", text);
		fail_msg("should not contain: %s", unwanted);
	}
}

/* ---- the documents -------------------------------------------------------- */

static void test_feature_request(void **state)
{
	struct fixture *f = *state;
	char *doc = document(f, 1, 0), *mine;

	has(doc, "# Feature Request Escalation: sso\n");
	has(doc, "- **To**: Peter (Product), acknowledge within 48 hours of receiving it\n");
	has(doc, "3 customers asked for \"sso\" in 3 tickets between 2026-08-23 and 2026-11-20. "
		 "Together they pay $460,000 ARR");
	has(doc, "- **Number of requests**: 3 tickets from 3 customers, first on 2026-10-02, "
		 "latest on 2026-11-18");
	has(doc, "- **Customer segments**: 1 Enterprise, 1 Mid-Market, 1 Small Business\n");
	/* customers by segment and id, never by name */
	has(doc, "| an Enterprise customer (C2) | Enterprise | $300,000 |");
	has(doc, "| a Mid-Market customer (C1) | Mid-Market | $150,000 |");
	has(doc, "## Usage Context\n");
	has(doc, "| Reach | 3 customers per 90 days |");
	has(doc, "| Impact | 2 (high) | $460,000 combined ARR of the requesters |");
	has(doc, "| Confidence | 80% (medium) | 3 requests |");
	/* the quote: customer name, email, phone number and signature gone */
	has(doc, "> \"a Mid-Market customer needs SAML SSO before renewal. Mail \\[email\\] or "
		 "call \\[phone\\]. Regards, \\[name\\]\"\n");
	/* another customer named in a quote goes too */
	has(doc, "> \"Our security team requires Okta SSO, as a Small Business customer has.\"\n");
	has_not(doc, "Acme");
	has_not(doc, "Borealis");
	has_not(doc, "Cobalt");
	has_not(doc, "jo.smith");
	has_not(doc, "555");
	has_not(doc, "Jo Smith");
	/* the CSM's own view names them */
	mine = document(f, 1, CS_DOC_NAMES);
	has(mine, "| Borealis Foods (C2) | Enterprise | $300,000 |");
	has(mine, "customer names shown for the CSM's own reading, not for sending");
	free(mine);
	free(doc);
}

static void test_bug(void **state)
{
	struct fixture *f = *state;
	char *doc = document(f, 2, 0);

	has(doc, "# Bug Escalation: export\n");
	has(doc, "- **To**: Tucker (QA), triage within 24 hours of receiving it\n");
	has(doc, "- **Affected customers**: 2\n");
	has(doc, "- **Total ARR**: $450,000\n");
	has(doc, "## Reproduction Steps\n\nFrom ticket T4:\n\n1. Open Reports.\n2. Click Export.\n"
		 "3. Open the file.\n\nExpected: readable names.\n");
	has(doc, "## Error Messages\n\n> \"Export failed\"\n");
	/* the tickets' highest priority, raised for $450,000 of ARR */
	has(doc, "- **Priority**: P0 (recommended)\n");
	has(doc, "Features affected: Bulk Export (2).");
	has(doc, "- T4 (2026-11-19, customer_id C1)\n");
	free(doc);
}

static void test_documentation_gap(void **state)
{
	struct fixture *f = *state;
	char *doc = document(f, 3, 0);

	has(doc, "# Documentation Gap: schedule\n");
	has(doc, "- **To**: Thomas (Docs), acknowledge and update within 1 week of receiving it\n");
	has(doc, "## Feature Area\n\n- **Topic**: schedule\n- **Ticket category**: How-To Question\n");
	has(doc, "## Confusion Points\n");
	has(doc, "- How do I schedule a report? (3 tickets)\n");
	has(doc, "## Suggested Improvements\n");
	has(doc, "Once the docs are updated, Casey checks with the 4 customers who asked");
	free(doc);
}

static void test_churn_alert_and_at_risk(void **state)
{
	struct fixture *f = *state;
	char *churn = document(f, 4, 0), *imm = document(f, 5, 0), *risk = document(f, 6, 0);

	/* one named account: name, ARR, risk factors, retention actions, timeline */
	has(churn, "# Churn Alert: Borealis Foods\n");
	has(churn, "| Customer | Borealis Foods (C2) |\n");
	has(churn, "| ARR | $300,000 |\n");
	has(churn, "| Status | cancel_requested, executive escalation |\n");
	has(churn, "## Churn Risk Factors\n\n- **Signals**: cancellation requested; executive "
		   "escalation\n");
	has(churn, "## Recommended Retention Actions\n\n1. Executive call within 24 h");
	has(churn, "- **By 2026-11-21**: first contact");
	has(churn, "## Outcome Tracking\n");
	has(churn, "`casey action 4 resolved --outcome \"retained: ...\"`");
	/* its NPS comment is a quote: the name, the CSM and the phone number go */
	has(churn, "- **NPS**: 6 (detractor) on 2026-11-01\n");
	has(imm, "# Churn Alert: Borealis Foods\n");
	has(risk, "# At-Risk Customer Escalation: Acme Analytics Inc.\n");
	has(risk, "**ARR at risk: $150,000.**");
	has(risk, "## Root Cause Analysis\n");
	has(risk, "| Measure | Points | Costs | What it is |\n");
	has(risk, "## Recommended Actions\n");
	has(risk, "## Timeline for Intervention\n");
	has(risk, "- **NPS**: 4 (detractor) on 2026-09-15: \"a Mid-Market customer is unhappy, "
		  "call \\[name\\] on \\[phone\\]\"\n");
	has_not(risk, "Dana Scully on");
	free(churn);
	free(imm);
	free(risk);
}

static void test_other_documents(void **state)
{
	struct fixture *f = *state;
	char *adopt = document(f, 7, 0), *theme = document(f, 8, 0), *checkin = document(f, 9, 0);
	char *text = NULL;

	has(adopt, "# Feature Adoption Gap: Smart Alerts\n");
	has(adopt, "- **Used by**: 0 of 4 active customers (0.0%)");
	has(adopt, "The likely cause is **awareness**; the intervention belongs to Peter.");
	has(theme, "# Ticket Theme Escalation: slow\n");
	has(theme, "- **Category**: Performance Issue (routed to Engrid + Isabel (Engineering))");
	has(checkin, "To: Acme Analytics Inc. (C1), Mid-Market, plan Growth\n");
	has(checkin, "Talking points (for the CSM, not for sending)");
	/* weekly review actions are the CSM's own list: no document */
	assert_int_equal(cs_escalation_text(f->db, f->env, 10, f->as_of, 0, &text, &f->diag), -1);
	assert_true(captured_has(&f->cap, "action 10 is a weekly_review action: it has no hand-off "
				 "document (it is the CSM's own list in 'casey report weekly')"));
	assert_null(text);
	assert_int_equal(cs_escalation_text(f->db, f->env, 99, f->as_of, 0, &text, &f->diag), -1);
	assert_true(captured_has(&f->cap, "no action 99"));
	free(adopt);
	free(theme);
	free(checkin);
}

/* Writing the document stores it and makes the action a draft; once sent it stays. */
static void test_prepare_and_send(void **state)
{
	struct fixture *f = *state;
	char *doc, *again, stored[8192], due[32];

	assert_int_equal(cs_escalation_prepare(f->db, f->env, 1, f->as_of, false, &doc, &f->diag), 0);
	text_of(f->db, "SELECT status FROM actions WHERE action_id = 1", stored, sizeof(stored));
	assert_string_equal(stored, "draft");
	text_of(f->db, "SELECT document FROM actions WHERE action_id = 1", stored, sizeof(stored));
	assert_string_equal(stored, doc);
	/* sent two days later: acknowledge within 48 hours of that day */
	assert_int_equal(cs_action_set_status(f->db, 1, "sent", NULL, f->as_of + 2, &f->diag), 0);
	text_of(f->db, "SELECT due_at || ' ' || sent_at FROM actions WHERE action_id = 1", due,
		sizeof(due));
	assert_string_equal(due, "2026-11-24 00:00:00 2026-11-22");
	/* the data changes; the sent document does not */
	exec(f->db, "UPDATE tickets SET subject = 'Changed' WHERE ticket_id = 'T2'");
	assert_int_equal(cs_escalation_prepare(f->db, f->env, 1, f->as_of, false, &again,
					       &f->diag), 0);
	assert_string_equal(again, doc);
	free(again);
	/* overdue in the list of actions once the new deadline passes */
	assert_int_equal(count(f->db, "SELECT status = 'sent' FROM actions WHERE action_id = 1"), 1);
	free(doc);
}

/* ---- Peter's intake ---------------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = calloc(1, (size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n)
		n = 0;
	fclose(fp);
	return buf;
}

static void test_intake_argv(void **state)
{
	struct fixture *f = *state;
	static const char request[] =
		"He said \"ship it\"; $(touch PWNED) `touch PWNED` && rm -rf ~ ; 'quoted' \\n\n"
		"second line * ? [x] > out < in | cat";
	struct cs_intake_result r;
	char dir[600], path[700], *arg;
	const char *stub;

	(void)state;
	/* a stub intake that writes each argument to a file of its own */
	stub = write_file("peter-stub",
			  "#!/bin/sh\nd=$(dirname \"$0\")\ni=0\nfor a in \"$@\"; do i=$((i+1)); "
			  "printf '%s' \"$a\" > \"$d/arg$i\"; done\necho \"$i\" > \"$d/argc\"\n"
			  "echo 'intake #7 created'\n");
	assert_int_equal(chmod(stub, 0755), 0);
	snprintf(dir, sizeof(dir), "%s", scratch_dir());
	assert_true(strlen(stub) < sizeof(f->env->casey.command));
	memcpy(f->env->casey.command, stub, strlen(stub) + 1);
	assert_true(cs_intake_applies(&f->env->casey, "product_gap"));
	assert_false(cs_intake_applies(&f->env->casey, "bug"));
	assert_int_equal(cs_intake_run(&f->env->casey, request, &r, &f->diag), 0);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.output, "intake #7 created\n");
	snprintf(path, sizeof(path), "%s/argc", dir);
	arg = slurp(path);
	assert_string_equal(arg, "3\n");
	free(arg);
	snprintf(path, sizeof(path), "%s/arg1", dir);
	arg = slurp(path);
	assert_string_equal(arg, "intake");
	free(arg);
	snprintf(path, sizeof(path), "%s/arg2", dir);
	arg = slurp(path);
	assert_string_equal(arg, "customer-success");
	free(arg);
	snprintf(path, sizeof(path), "%s/arg3", dir);
	arg = slurp(path);
	assert_string_equal(arg, request);	/* verbatim: nothing was interpreted */
	free(arg);
	snprintf(path, sizeof(path), "%s/PWNED", dir);
	assert_int_equal(access(path, F_OK), -1);
	/* a failing intake reports its status; a missing one is not run */
	stub = write_file("peter-fails", "#!/bin/sh\necho 'no such team' >&2\nexit 3\n");
	assert_int_equal(chmod(stub, 0755), 0);
	assert_true(strlen(stub) < sizeof(f->env->casey.command));
	memcpy(f->env->casey.command, stub, strlen(stub) + 1);
	assert_int_equal(cs_intake_run(&f->env->casey, request, &r, &f->diag), 0);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.output, "no such team\n");
	snprintf(f->env->casey.command, sizeof(f->env->casey.command), "no-such-peter-intake");
	assert_int_equal(cs_intake_find(&f->env->casey, path, sizeof(path)), -1);
	assert_int_equal(cs_intake_run(&f->env->casey, request, &r, &f->diag), -1);
	assert_true(captured_has(&f->cap, "intake command 'no-such-peter-intake' not found on PATH"));
}

static void test_shell_quote(void **state)
{
	const char *argv[] = { "peter", "intake", "customer-success", "it's \"a\" $(x);", "", NULL };
	char buf[256];
	FILE *mem = fmemopen(buf, sizeof(buf), "w");

	(void)state;
	cs_shell_quote_argv(mem, argv);
	fclose(mem);
	assert_string_equal(buf, "peter intake customer-success 'it'\\''s \"a\" $(x);' ''\n");
}

/* ---- retention ----------------------------------------------------------------- */

static void test_purge_keeps_aggregates(void **state)
{
	struct fixture *f = *state;
	struct cs_nps_bucket before[12], after[12];
	struct cs_purge_result r;
	long snapshots = count(f->db, "SELECT count(*) FROM snapshots");
	long tickets = count(f->db, "SELECT count(*) FROM tickets");

	assert_int_equal(cs_nps_monthly(f->db, f->as_of, 12, before, &f->diag), 0);
	/* shorter than the scoring windows: refused */
	assert_int_equal(cs_purge(f->db, f->env, f->as_of, 90, false, &r, &f->diag), -1);
	/* a dry run counts and changes nothing */
	assert_int_equal(cs_purge(f->db, f->env, f->as_of, 200, true, &r, &f->diag), 0);
	assert_string_equal(r.cutoff, "2026-06-01");
	assert_int_equal(r.nps, 5);
	assert_int_equal(count(f->db, "SELECT count(*) FROM nps"), 9);
	assert_int_equal(count(f->db, "SELECT count(*) FROM monthly_aggregates"), 0);
	/* 200 days before 2026-11-20 is 2026-05-04: whole months, so up to 2026-06-01 */
	assert_int_equal(cs_purge(f->db, f->env, f->as_of, 200, false, &r, &f->diag), 0);
	assert_int_equal(r.nps, 5);
	assert_int_equal(r.tickets, 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM nps"), 4);
	assert_int_equal(count(f->db, "SELECT count(*) FROM nps WHERE date < '2026-06-01'"), 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM monthly_aggregates WHERE kind = 'nps'"),
			 4);
	assert_int_equal(count(f->db, "SELECT promoters * 100 + passives * 10 + detractors FROM "
			       "monthly_aggregates WHERE kind = 'nps' AND month = '2026-01'"), 101);
	/* the trend reads the same, month by month; history and the rest stay */
	assert_int_equal(cs_nps_monthly(f->db, f->as_of, 12, after, &f->diag), 0);
	for (int i = 0; i < 12; i++) {
		assert_string_equal(before[i].label, after[i].label);
		assert_int_equal(before[i].nps.responses, after[i].nps.responses);
		assert_int_equal(before[i].nps.promoters, after[i].nps.promoters);
		assert_int_equal(before[i].nps.detractors, after[i].nps.detractors);
		assert_true(before[i].nps.score == after[i].nps.score);
	}
	assert_int_equal(count(f->db, "SELECT count(*) FROM snapshots"), snapshots);
	assert_int_equal(count(f->db, "SELECT count(*) FROM tickets"), tickets);
	/* purging again adds nothing */
	assert_int_equal(cs_purge(f->db, f->env, f->as_of, 200, false, &r, &f->diag), 0);
	assert_int_equal(r.nps + r.tickets + r.csat + r.outreach + r.usage + r.months, 0);
}

/* Closed actions older than the cutoff go; open ones and newer closed ones stay. */
static void test_purge_closed_actions(void **state)
{
	struct fixture *f = *state;
	struct cs_purge_result r;

	assert_int_equal(sqlite3_exec(f->db,
		"INSERT INTO actions (kind, rule_key, reason, created_at, last_seen, status,"
		" resolved_at) VALUES"
		" ('at_risk', 'p:1', 'old, resolved', '2026-01-01', '2026-01-01', 'resolved',"
		"  '2026-05-31 09:00:00'),"
		" ('at_risk', 'p:2', 'old, dismissed', '2026-01-01', '2026-01-01', 'dismissed',"
		"  '2026-02-01 09:00:00'),"
		" ('at_risk', 'p:3', 'new, resolved', '2026-01-01', '2026-01-01', 'resolved',"
		"  '2026-06-01 00:00:00'),"
		" ('at_risk', 'p:4', 'old, open', '2026-01-01', '2026-01-01', 'open', NULL),"
		" ('at_risk', 'p:5', 'old, sent', '2026-01-01', '2026-01-01', 'sent',"
		"  '2026-01-02')", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cs_purge(f->db, f->env, f->as_of, 200, false, &r, &f->diag), 0);
	assert_string_equal(r.cutoff, "2026-06-01");
	assert_int_equal(r.actions, 2);
	assert_int_equal(count(f->db, "SELECT count(*) FROM actions WHERE rule_key LIKE 'p:%'"), 3);
	assert_int_equal(count(f->db, "SELECT count(*) FROM actions WHERE rule_key IN"
			       " ('p:3', 'p:4', 'p:5')"), 3);
}

/* ---- metrics, contacts, drafts ------------------------------------------------ */

static void test_export_metrics(void **state)
{
	struct fixture *f = *state;
	struct cs_metric_export e;
	struct cs_team_metrics t;

	assert_int_equal(cs_export_metrics(f->db, f->env, CS_DIM_ARR_TIER, f->as_of, &e, &f->diag),
			 0);
	assert_string_equal(e.snapshot, AS_OF);
	/* seed 003's tiers, highest first, unknown ARR last: $300,000 and $150,000 are
	 * Enterprise ($100,000 or more), $10,000 Small Business, Delta's ARR unknown */
	assert_int_equal(e.n, 3);
	assert_string_equal(e.groups[0].key, "Enterprise");
	assert_string_equal(e.groups[1].key, "Small Business");
	assert_string_equal(e.groups[2].key, "(none)");
	assert_int_equal(e.groups[0].customers, 2);
	assert_true(e.groups[0].arr == 450000);
	assert_true(e.groups[0].has_components);
	cs_metric_export_free(&e);
	assert_int_equal(cs_export_metrics(f->db, f->env, CS_DIM_TENURE, f->as_of, &e, &f->diag), 0);
	/* days from created_at to the as-of day: 994, 688, 80 and 50 */
	assert_int_equal(e.n, 3);
	assert_string_equal(e.groups[0].key, "2+ years");
	assert_string_equal(e.groups[1].key, "1-2 years");
	assert_string_equal(e.groups[2].key, "0-3 months");
	assert_int_equal(e.groups[2].customers, 2);
	cs_metric_export_free(&e);
	assert_int_equal(cs_export_team(f->db, f->env, f->as_of, &t, &f->diag), 0);
	assert_int_equal(t.customers, 4);
	assert_int_equal(t.nmonths, CS_TEAM_MONTHS);
	assert_string_equal(t.months[CS_TEAM_MONTHS - 1].label, "2026-11");
	assert_true(t.nissues > 0);
}

static void test_contact(void **state)
{
	struct fixture *f = *state;
	struct cs_contact c = { .customer_id = "C1", .date = f->as_of, .channel = "email",
				.responded = 1, .note = "=HYPERLINK(\"x\") asked about SSO" };
	char outcome[300];
	long resolved;

	assert_int_equal(cs_contact_log(f->db, &c, &resolved, &f->diag), 0);
	assert_int_equal(resolved, 9);
	text_of(f->db, "SELECT outcome FROM actions WHERE action_id = 9", outcome, sizeof(outcome));
	assert_string_equal(outcome, "contacted by email on 2026-11-20, responded");
	assert_int_equal(count(f->db, "SELECT count(*) FROM outreach WHERE outreach_key = "
			       "'casey:C1:2026-11-20:1' AND responded = 1"), 1);
	/* a second contact the same day gets its own row */
	assert_int_equal(cs_contact_log(f->db, &c, &resolved, &f->diag), 0);
	assert_int_equal(resolved, 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM outreach WHERE customer_id = 'C1'"), 2);
	c.customer_id = "NOPE";
	assert_int_equal(cs_contact_log(f->db, &c, &resolved, &f->diag), -1);
	assert_true(captured_has(&f->cap, "no customer 'NOPE'"));
}

static void test_drafts(void **state)
{
	struct fixture *f = *state;
	char *checkin = cs_draft_text(f->db, f->env, CS_DRAFT_CHECKIN, "C1", f->as_of, &f->diag);
	char *announce = cs_draft_text(f->db, f->env, CS_DRAFT_ANNOUNCE, "F1", f->as_of, &f->diag);

	assert_non_null(checkin);
	assert_non_null(announce);
	has(checkin, "Subject: Checking in: how is Acme Analytics Inc. getting on?\n");
	has(checkin, "Hi Acme Analytics Inc. team,\n");
	has(checkin, "Best regards,\nDana Scully\n");
	/* talking points from usage and recent tickets */
	has(checkin, "- Usage (telemetry of 2026-11-18): 3 of 20 seats active, 0 of 2 paid "
		     "features used, 9 errors in 30 days");
	has(checkin, "- Tickets in 90 days: 4 (2 open)\n");
	has(checkin, "  - 2026-11-19 T4 \"Export turns names into question marks\" (Bug Report, "
		     "open, frustrated)\n");
	has(checkin, "casey contact C1 --channel email --responded yes --note \"...\"\n");
	has(announce, "Feature announcement: Bulk Export (F1)\n");
	has(announce, "=== Enterprise (1 not using it yet) ===\n");
	has(announce, "Bulk Export is now available to your organisation.");
	has(announce, "Struggled with it: 2 more customers filed other tickets about it");
	free(checkin);
	free(announce);
	assert_null(cs_draft_text(f->db, f->env, CS_DRAFT_CHECKIN, "NOPE", f->as_of, &f->diag));
	assert_true(captured_has(&f->cap, "no customer 'NOPE'"));
}

/* ---- the weekly report ----------------------------------------------------------- */

static char *weekly(struct fixture *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_int_equal(cs_report_weekly(f->db, f->env, f->as_of, mem, &f->diag), 0);
	fclose(mem);
	return buf;
}

static void test_weekly_report(void **state)
{
	static const char *const headings[] = {
		"# Weekly Customer Health Report: week ending 2026-11-20\n",
		"\n## 1. Executive Summary\n", "\n## 2. Immediate Action Required\n",
		"\n### Churn risks requiring action\n", "\n## 3. Support Ticket Analysis\n",
		"\n## 4. Key Insights & Recommendations\n", "\n### Feature requests (last 90 days",
		"\n### Documentation gaps", "\n### Bugs routed to QA", "\n## 5. Feature Adoption Update\n",
		"\n## 6. Follow-Up on Previous Escalations\n",
		"\n## 7. Recommended Priorities for Next Week\n",
		"\n## 8. Key Performance Indicators\n",
	};
	struct fixture *f = *state;
	char *a = weekly(f), *b = weekly(f);
	const char *at = a;

	assert_string_equal(a, b);	/* no clock: the same bytes every time */
	for (size_t i = 0; i < sizeof(headings) / sizeof(headings[0]); i++) {
		const char *h = strstr(at, headings[i]);

		if (!h) {
			fprintf(stderr, "%s\n", a);
			fail_msg("heading %s missing or out of order", headings[i]);
		}
		at = h;
	}
	has(a, "| Borealis Foods (C2) | Enterprise | $300,000 |");
	has(a, "1. **sso**: 3 requests from 3 customers, $460,000 ARR");
	/* the report's quote, anonymised */
	has(a, "\"a Mid-Market customer needs SAML SSO before renewal. Mail \\[email\\] or call "
	       "\\[phone\\]. Regards, \\[name\\]\"");
	has_not(a, "jo.smith");
	has(a, "| Average health score | > 75 |");
	has(a, "| Weekly report on time | 100% | this one: as of Friday 2026-11-20, due Friday "
	       "2026-11-20 | - | met |");
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_feature_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_documentation_gap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_churn_alert_and_at_risk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_and_send, setup, teardown),
		cmocka_unit_test_setup_teardown(test_intake_argv, setup, teardown),
		cmocka_unit_test(test_shell_quote),
		cmocka_unit_test_setup_teardown(test_purge_closed_actions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_keeps_aggregates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drafts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weekly_report, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
