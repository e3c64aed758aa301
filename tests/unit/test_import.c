/*
 * test_import.c — importing CSV exports: every kind, every class of error
 * with its exact message, all-or-nothing files, idempotent re-imports, the
 * Zendesk and HubSpot profiles, and the shapes real exports come in (BOM,
 * CRLF, CR-only, quoted newlines, footers).
 */
#include "testutil.h"

#include <sys/stat.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"
#include "casey/kinds.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_import_stats stats[8];
};

static const char customers_csv[] =
	"customer_id,name,segment,plan,arr,seats,csm,created_at,renewal_date,status,"
	"last_contact_at,executive_escalation\n"
	"C1,Acme Analytics,Enterprise,Enterprise,\"120,000\",250,Dana,2023-01-15,"
	"2027-01-15,active,2026-10-01,no\n"
	"C2,\"Beta \"\"B\"\" Logistics, Inc.\",Mid-Market,Growth,$48k,40,Lee,2024-03-01,"
	"2027-03-01,Downgrade Requested,2026-09-12,yes\n"
	"C3,Müller Logistik GmbH,Small Business,Starter,,12,Dana,2026-10-01,2027-10-01,"
	"active,,\n";

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/t%d.db", scratch_dir(), n++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cs_db_close(f->db);
	free(f);
	return 0;
}

/* Import one file with the given options; resets the captured lines. */
static int import1(struct fixture *f, const char *path, const struct cs_import_opts *o)
{
	static const struct cs_import_opts none;
	const char *files[1] = { path };

	f->diag = capture_diag(&f->cap);
	return cs_import_files(f->db, files, 1, o ? o : &none, f->stats, &f->diag);
}

static long long q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -999;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The first column of the first row as text ("NULL" for NULL). */
static const char *q_text(sqlite3 *db, const char *sql)
{
	static char buf[1024];
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	snprintf(buf, sizeof(buf), "(no row)");
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);

		snprintf(buf, sizeof(buf), "%s", t ? (const char *)t : "NULL");
	}
	sqlite3_finalize(st);
	return buf;
}

/* A digest of everything in the database, to prove it did not change. */
static const char *content_digest(sqlite3 *db)
{
	return q_text(db,
		"SELECT (SELECT group_concat(customer_id||name||coalesce(arr,'-'),';') FROM customers)"
		" || '|' || (SELECT count(*) FROM tickets) || '|' || "
		"(SELECT coalesce(group_concat(ticket_id||subject,';'),'') FROM tickets)");
}

static const char *load_customers(struct fixture *f)
{
	const char *path = write_file("customers.csv", customers_csv);

	assert_int_equal(import1(f, path, NULL), 0);
	return path;
}

/* ---- each kind ---------------------------------------------------------- */

static void test_customers(void **state)
{
	struct fixture *f = *state;
	const char *path = load_customers(f);
	char want[600];

	assert_string_equal(f->stats[0].kind, "customers");
	assert_int_equal(f->stats[0].inserted, 3);
	assert_int_equal(q_int(f->db, "SELECT arr FROM customers WHERE customer_id='C1'"), 120000);
	assert_int_equal(q_int(f->db, "SELECT arr FROM customers WHERE customer_id='C2'"), 48000);
	assert_string_equal(q_text(f->db, "SELECT arr FROM customers WHERE customer_id='C3'"), "NULL");
	assert_string_equal(q_text(f->db, "SELECT name FROM customers WHERE customer_id='C2'"),
			    "Beta \"B\" Logistics, Inc.");
	assert_string_equal(q_text(f->db, "SELECT status FROM customers WHERE customer_id='C2'"),
			    "downgrade_requested");
	assert_int_equal(q_int(f->db, "SELECT executive_escalation FROM customers WHERE customer_id='C2'"), 1);
	assert_string_equal(q_text(f->db, "SELECT name FROM customers WHERE customer_id='C3'"),
			    "Müller Logistik GmbH");
	snprintf(want, sizeof(want), "%s: customers: 3 rows: 3 inserted, 0 updated, "
		 "0 unchanged, 0 skipped", path);
	assert_true(captured_has(&f->cap, want));
}

static void test_every_other_kind(void **state)
{
	struct fixture *f = *state;
	const char *files[8];
	static const struct cs_import_opts none;

	/* Given in the wrong order on purpose: dependencies come first. */
	files[0] = write_file("fu.csv", "customer_id,feature_id,first_used_at,uses\n"
			      "C1,F1,2026-01-10,42\nC2,Bulk export,2026-02-01,3\n");
	files[1] = write_file("usage.csv", "customer_id,date,active_days_30d,active_users,"
			      "seats,paid_features_used,paid_features_total,core_actions_30d,"
			      "session_minutes_avg,errors_30d\n"
			      "C1,2026-11-20,22,180,250,7,8,5400,31.5,3\n");
	files[2] = write_file("nps.csv", "response_id,customer_id,date,score,comment\n"
			      "R1,C1,2026-11-01,9,Love it\nR2,C2,2026-10-01,3,Reports are slow\n");
	files[3] = write_file("csat.csv", "customer_id,date,score,context,ticket_id,comment\n"
			      "C1,2026-11-02,5,Reporting,,\nC2,2026-11-03,Bad,Billing,,\n");
	files[4] = write_file("outreach.csv", "customer_id,date,channel,responded,note\n"
			      "C2,2026-11-05,Email,no,QBR invite\n");
	files[5] = write_file("onboarding.csv", "customer_id,milestone,reached_at\n"
			      "C3,Kickoff,2026-10-03\nC3,admin_setup,2026-10-10\n");
	files[6] = write_file("features.csv", "feature_id,name,released_at,paid\n"
			      "F1,SSO,2025-01-01,yes\nF2,Bulk export,2026-10-01,no\n");
	files[7] = write_file("customers.csv", customers_csv);
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_files(f->db, files, 8, &none, f->stats, &f->diag), 0);
	assert_string_equal(f->stats[0].kind, "feature_usage");
	assert_string_equal(f->stats[1].kind, "usage");
	assert_string_equal(f->stats[2].kind, "nps");
	assert_string_equal(f->stats[3].kind, "csat");
	assert_string_equal(f->stats[4].kind, "outreach");
	assert_string_equal(f->stats[5].kind, "onboarding");
	assert_string_equal(f->stats[6].kind, "features");
	assert_string_equal(f->stats[7].kind, "customers");
	/* The feature named by name resolves to its id. */
	assert_string_equal(q_text(f->db, "SELECT feature_id FROM feature_usage WHERE customer_id='C2'"), "F2");
	assert_int_equal(q_int(f->db, "SELECT core_actions_30d FROM usage"), 5400);
	assert_string_equal(q_text(f->db, "SELECT session_minutes_avg FROM usage"), "31.5");
	assert_int_equal(q_int(f->db, "SELECT score FROM nps WHERE response_key='R2'"), 3);
	assert_int_equal(q_int(f->db, "SELECT good FROM csat WHERE customer_id='C2'"), 0);
	assert_string_equal(q_text(f->db, "SELECT score FROM csat WHERE customer_id='C2'"), "NULL");
	assert_string_equal(q_text(f->db, "SELECT channel FROM outreach"), "email");
	assert_int_equal(q_int(f->db, "SELECT responded FROM outreach"), 0);
	assert_string_equal(q_text(f->db, "SELECT group_concat(milestone) FROM onboarding"),
			    "admin_setup,kickoff");
	assert_int_equal(q_int(f->db, "SELECT paid FROM features WHERE feature_id='F1'"), 1);
}

static void test_tickets_dates_and_levels(void **state)
{
	struct fixture *f = *state;

	load_customers(f);
	assert_int_equal(import1(f, write_file("tickets.csv",
		"ticket_id,customer_id,created_at,subject,description,priority,impact,"
		"status,resolved_at,sentiment,csat\n"
		"T1,C1,2026-11-01T10:00:00-02:00,Export fails,\"Steps:\n1. open\n2. click\","
		"Urgent,High,Solved,2026-11-02 09:30,Frustrated,4\n"
		"T2,Acme Analytics,15/10/2026,How do I add SSO?,,low,,Open,,,Good with comment\n"), NULL), 0);
	assert_string_equal(q_text(f->db, "SELECT created_at FROM tickets WHERE ticket_id='T1'"),
			    "2026-11-01 12:00:00");
	assert_string_equal(q_text(f->db, "SELECT description FROM tickets WHERE ticket_id='T1'"),
			    "Steps:\n1. open\n2. click");
	assert_string_equal(q_text(f->db, "SELECT urgency||'/'||impact||'/'||status||'/'||sentiment"
				   " FROM tickets WHERE ticket_id='T1'"), "high/high/solved/frustrated");
	/* By exact name, and a day/month date that can only be one thing. */
	assert_string_equal(q_text(f->db, "SELECT customer_id||' '||created_at FROM tickets "
				   "WHERE ticket_id='T2'"), "C1 2026-10-15");
	assert_int_equal(q_int(f->db, "SELECT csat_good FROM tickets WHERE ticket_id='T2'"), 1);
	assert_int_equal(q_int(f->db, "SELECT csat FROM tickets WHERE ticket_id='T1'"), 4);
}

/* ---- errors, each with its exact line ---------------------------------- */

struct bad_case {
	const char *name;
	const char *content;
	const char *message;	/* after "<path>" */
};

static void expect_error(struct fixture *f, const struct bad_case *c)
{
	char want[1200];
	const char *path = write_file(c->name, c->content);

	if (import1(f, path, NULL) != -1)
		fail_msg("%s was imported", c->name);
	snprintf(want, sizeof(want), "%s%s", path, c->message);
	assert_true(captured_has(&f->cap, want));
}

static void test_error_messages(void **state)
{
	static const struct bad_case cases[] = {
		{ "arr.csv", "customer_id,name,arr\nC9,X,abc\n",
		  ":2: column 'arr': 'abc' is not a number" },
		{ "neg.csv", "customer_id,name,arr\nC9,X,-5\n",
		  ":2: column 'arr': '-5' must not be negative" },
		{ "date.csv", "customer_id,name,created_at\nC9,X,yesterday\n",
		  ":2: column 'created_at': 'yesterday' is not a date" },
		{ "ambig.csv", "customer_id,name,created_at\nC9,X,03/04/2026\n",
		  ":2: column 'created_at': '03/04/2026' is ambiguous (day/month or "
		  "month/day?); give --date-format" },
		{ "req.csv", "customer_id,name,arr\nC9,,5\n",
		  ":2: column 'name': a value is required" },
		{ "unknown.csv", "ticket_id,customer_id,created_at\nT9,C404,2026-11-01\n",
		  ":2: column 'customer_id': unknown customer 'C404'" },
		{ "missing.csv", "ticket_id,customer_id,subject\nT9,C1,Hello\n",
		  ":1: cannot tell what this file holds: its header names no known "
		  "kind's required columns (e.g. customers need customer_id, name; "
		  "tickets need ticket_id, customer_id, created_at); give --kind or --map" },
		{ "dup.csv", "customer_id,name\nC8,A\nC9,B\nC8,C\n",
		  ":4: duplicate customer_id 'C8' (first on line 2)" },
		{ "wide.csv", "customer_id,name\nC9,B,extra\n",
		  ":2: 3 fields, but the header has 2" },
		{ "latin1.csv", "customer_id,name\nC9,M\xfcller\n",
		  ":2: column 'name': is not valid UTF-8 (save the file as \"CSV UTF-8\")" },
		{ "quote.csv", "customer_id,name\nC9,\"Open\nC10,B\n",
		  ":2: a quoted field is never closed (a '\"' is missing)" },
		{ "empty.csv", "", ": the file is empty" },
		{ "nps.csv", "customer_id,date,score\nC1,2026-11-01,11\n",
		  ":2: column 'score': '11' is not an NPS score (0-10)" },
		{ "status.csv", "customer_id,name,status\nC9,X,paused\n",
		  ":2: column 'status': 'paused' is not a status (active, "
		  "cancel_requested, downgrade_requested, churned)" },
		{ "answers.csv", "customer_id,date,score\nC1,2026-11-01,9\n",
		  ":1: the header fits more than one kind of file (nps, csat); give --kind" },
		{ "days.csv", "customer_id,date,active_days_30d\nC1,2026-11-01,45\n",
		  ":2: column 'active_days_30d': '45' is more days than a month has (0-31)" },
	};
	struct fixture *f = *state;
	size_t i;

	load_customers(f);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_error(f, &cases[i]);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM customers"), 3);
}

static void test_forced_kind_names_missing_column(void **state)
{
	struct fixture *f = *state;
	struct cs_import_opts o = { .kind = "tickets" };
	const char *path = write_file("k.csv", "ticket_id,customer_id,subject\nT9,C1,Hi\n");
	char want[600];

	assert_int_equal(import1(f, path, &o), -1);
	snprintf(want, sizeof(want), "%s:1: no column for 'created_at' in the header "
		 "(a tickets file needs ticket_id, customer_id, created_at)", path);
	assert_true(captured_has(&f->cap, want));
	o.kind = "invoices";
	assert_int_equal(import1(f, path, &o), -1);
	assert_true(captured_has(&f->cap, "unknown kind 'invoices' (one of: customers, "
				 "features, usage, tickets, nps, csat, outreach, "
				 "feature_usage, onboarding, payments, plan_changes, reviews)"));
}

static void test_error_line_after_quoted_newlines(void **state)
{
	struct fixture *f = *state;
	const char *path;
	char want[600];

	load_customers(f);
	/* Record 1 spans lines 2-4; the bad record starts on line 5. */
	path = write_file("ml.csv", "ticket_id,customer_id,created_at,description\n"
			  "T1,C1,2026-11-01,\"one\ntwo\nthree\"\n"
			  "T2,C1,2026-13-01,x\n");
	assert_int_equal(import1(f, path, NULL), -1);
	snprintf(want, sizeof(want), "%s:5: column 'created_at': '2026-13-01' is not a "
		 "valid date", path);
	assert_true(captured_has(&f->cap, want));
}

/* A bad row at line 5,000 leaves the database exactly as it was. */
static void test_bad_row_at_5000_changes_nothing(void **state)
{
	struct fixture *f = *state;
	size_t cap = 5000 * 64, n = 0;
	char *csv = malloc(cap), before[1024], want[600];
	const char *path;
	int line;

	load_customers(f);
	assert_int_equal(import1(f, write_file("t0.csv", "ticket_id,customer_id,created_at,subject\n"
					       "T0,C1,2026-11-01,Original subject\n"), NULL), 0);
	snprintf(before, sizeof(before), "%s", content_digest(f->db));
	n += (size_t)snprintf(csv + n, cap - n, "ticket_id,customer_id,created_at,subject\n");
	/* T0 is updated by line 2: that must be undone too. */
	n += (size_t)snprintf(csv + n, cap - n, "T0,C1,2026-11-01,Changed subject\n");
	for (line = 3; line < 5000; line++)
		n += (size_t)snprintf(csv + n, cap - n, "T%d,C%d,2026-11-01,Row %d\n",
				      line, 1 + line % 3, line);
	n += (size_t)snprintf(csv + n, cap - n, "T5000,C1,2026-11-01T25:00,Bad\n");
	path = write_file("t5000.csv", csv);
	free(csv);
	assert_int_equal(import1(f, path, NULL), -1);
	snprintf(want, sizeof(want), "%s:5000: column 'created_at': '2026-11-01T25:00' "
		 "is not a valid date", path);
	assert_true(captured_has(&f->cap, want));
	snprintf(want, sizeof(want), "%s: nothing imported: 1 bad row (fix it or use "
		 "--skip-bad)", path);
	assert_true(captured_has(&f->cap, want));
	assert_string_equal(content_digest(f->db), before);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM imports WHERE file='t5000.csv'"), 0);
}

/*
 * The import's bulk settings (a large page cache, foreign keys off while it
 * checks references itself) end with it, whether the file went in or not,
 * and a reference to no customer is still refused.
 */
static void test_bulk_settings_are_restored(void **state)
{
	struct fixture *f = *state;
	const char *path;
	char want[600];

	assert_int_equal(q_int(f->db, "PRAGMA cache_size"), -2000);
	load_customers(f);
	assert_int_equal(q_int(f->db, "PRAGMA cache_size"), -2000);
	assert_int_equal(q_int(f->db, "PRAGMA foreign_keys"), 1);
	path = write_file("orphan.csv", "ticket_id,customer_id,created_at\n"
			  "T1,C1,2026-11-01\nT2,C99,2026-11-01\n");
	assert_int_equal(import1(f, path, NULL), -1);
	snprintf(want, sizeof(want), "%s:3: column 'customer_id': unknown customer 'C99'", path);
	assert_true(captured_has(&f->cap, want));
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM tickets"), 0);
	assert_int_equal(q_int(f->db, "PRAGMA cache_size"), -2000);
	assert_int_equal(q_int(f->db, "PRAGMA foreign_keys"), 1);
	/* A cache made larger than the import's is left as it is. */
	assert_int_equal(sqlite3_exec(f->db, "PRAGMA cache_size = -1048576", NULL, NULL, NULL),
			 SQLITE_OK);
	load_customers(f);
	assert_int_equal(q_int(f->db, "PRAGMA cache_size"), -1048576);
	assert_int_equal(sqlite3_exec(f->db, "PRAGMA cache_size = 100", NULL, NULL, NULL),
			 SQLITE_OK);
	load_customers(f);
	assert_int_equal(q_int(f->db, "PRAGMA cache_size"), 100);
}

/* The schema as SQLite records it, root pages included. */
static char *schema_digest(sqlite3 *db)
{
	return strdup(q_text(db, "SELECT group_concat(x, ';') FROM (SELECT type||' '||name||' '||"
			     "tbl_name||' '||rootpage||' '||coalesce(sql,'') AS x FROM sqlite_master "
			     "ORDER BY name)"));
}

/* Every byte of the database file, the WAL checkpointed into it first. */
static char *db_bytes(sqlite3 *db, long *len)
{
	FILE *fp;
	char *buf;

	assert_int_equal(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL),
			 SQLITE_OK);
	fp = fopen(sqlite3_db_filename(db, "main"), "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	*len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)*len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)*len, fp), (size_t)*len);
	fclose(fp);
	return buf;
}

/* tickets.csv of rows T1..T<n-1> (lines 2..n), then a last line of its own. */
static const char *tickets_file(const char *name, int n, const char *last)
{
	size_t cap = (size_t)n * 64 + 256, len = 0;
	char *csv = malloc(cap);
	const char *path;
	int line;

	assert_non_null(csv);
	len += (size_t)snprintf(csv + len, cap - len, "ticket_id,customer_id,created_at,subject\n");
	for (line = 2; line < n; line++)
		len += (size_t)snprintf(csv + len, cap - len, "T%d,C%d,2026-%02d-%02d,Row %d\n",
					line - 1, 1 + line % 3, 1 + line % 12, 1 + line % 28, line);
	snprintf(csv + len, cap - len, "%s", last);
	path = write_file(name, csv);
	free(csv);
	return path;
}

/*
 * A file with many more rows than its table has goes in with the table's
 * secondary indexes dropped and rebuilt inside its transaction: when it
 * fails, the indexes, the rows and every byte of the database are as they
 * were; when it succeeds, the same indexes are back, each matching its table.
 */
static void test_large_file_rebuilds_indexes(void **state)
{
	struct fixture *f = *state;
	char *schema, *bytes, *after, want[600], tc[256], tr[256], all[1024];
	const char *path;
	long len, len2;
	long long version, nidx;
	/* The table's plain indexes, those later migrations added too. */
	static const char nplain[] = "SELECT count(*) FROM sqlite_master WHERE type='index' "
		"AND tbl_name='tickets' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'";
	static const char plain[] = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM "
		"sqlite_master WHERE type='index' AND tbl_name='tickets' AND sql IS NOT NULL "
		"ORDER BY name)";

	load_customers(f);
	assert_int_equal(import1(f, write_file("t0.csv", "ticket_id,customer_id,created_at,subject\n"
					       "T0,C1,2026-11-01,First\n"), NULL), 0);
	snprintf(tc, sizeof(tc), "%s", q_text(f->db, "SELECT sql FROM sqlite_master WHERE "
					      "name='tickets_customer'"));
	snprintf(tr, sizeof(tr), "%s", q_text(f->db, "SELECT sql FROM sqlite_master WHERE "
					      "name='tickets_created'"));
	assert_true(!strncmp(tc, "CREATE INDEX tickets_customer ON tickets(", 41));
	assert_true(!strncmp(tr, "CREATE INDEX tickets_created ON tickets(", 40));
	nidx = q_int(f->db, nplain);
	assert_true(nidx >= 2);
	snprintf(all, sizeof(all), "%s", q_text(f->db, plain));
	schema = schema_digest(f->db);
	bytes = db_bytes(f->db, &len);

	/* 6,000 lines against a table of one row; the last line is bad. */
	path = tickets_file("big.csv", 6000, "T5999,C2,2026-02-30,Bad\n");
	assert_int_equal(import1(f, path, NULL), -1);
	snprintf(want, sizeof(want), "%s:6000: column 'created_at': '2026-02-30' is not a "
		 "valid date", path);
	assert_true(captured_has(&f->cap, want));
	after = db_bytes(f->db, &len2);
	assert_int_equal(len2, len);
	assert_memory_equal(after, bytes, (size_t)len);
	free(after);
	after = schema_digest(f->db);
	assert_string_equal(after, schema);
	free(after);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM tickets"), 1);
	assert_int_equal(q_int(f->db, "PRAGMA foreign_keys"), 1);

	/* The same file fixed: every row in, the same indexes, consistent. */
	path = tickets_file("big.csv", 6000, "T5999,C2,2026-02-28,Good\n");
	version = q_int(f->db, "PRAGMA schema_version");
	assert_int_equal(import1(f, path, NULL), 0);
	/* Each index dropped and created: two schema changes apiece. */
	assert_int_equal(q_int(f->db, "PRAGMA schema_version"), version + 2 * nidx);
	assert_int_equal(f->stats[0].inserted, 5999);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM tickets"), 6000);
	assert_int_equal(q_int(f->db, nplain), nidx);
	assert_string_equal(q_text(f->db, plain), all);
	assert_string_equal(q_text(f->db, "SELECT sql FROM sqlite_master WHERE "
				   "name='tickets_customer'"), tc);
	assert_string_equal(q_text(f->db, "SELECT sql FROM sqlite_master WHERE "
				   "name='tickets_created'"), tr);
	assert_string_equal(q_text(f->db, "PRAGMA integrity_check"), "ok");
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM tickets INDEXED BY tickets_created "
			       "WHERE created_at >= '2026-12-01'"), 500);
	/* Re-imported, the file is no larger than the table: nothing is rebuilt. */
	free(schema);
	schema = schema_digest(f->db);
	assert_int_equal(import1(f, path, NULL), 0);
	assert_int_equal(f->stats[0].unchanged, 5999);
	assert_int_equal(q_int(f->db, "PRAGMA schema_version"), version + 2 * nidx);
	after = schema_digest(f->db);
	assert_string_equal(after, schema);
	free(after);
	free(schema);
	free(bytes);
}

static void test_skip_bad_and_dry_run(void **state)
{
	struct fixture *f = *state;
	struct cs_import_opts skip = { .skip_bad = true }, dry = { .dry_run = true };
	const char *path = write_file("mixed.csv", "customer_id,name,arr\nC7,Good,10\n"
				      "C8,Bad,ten\nC9,Also good,20\n");
	char want[600];

	/* A dry run reports what a real run would, and stores nothing. */
	assert_int_equal(import1(f, path, &dry), -1);
	snprintf(want, sizeof(want), "%s:3: column 'arr': 'ten' is not a number", path);
	assert_true(captured_has(&f->cap, want));
	assert_int_equal(import1(f, write_file("good.csv", "customer_id,name\nC1,A\n"), &dry), 0);
	assert_int_equal(f->stats[0].inserted, 1);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM customers"), 0);
	assert_int_equal(import1(f, path, &skip), 0);
	snprintf(want, sizeof(want), "%s:3: column 'arr': 'ten' is not a number (row skipped)", path);
	assert_true(captured_has(&f->cap, want));
	snprintf(want, sizeof(want), "%s: customers: 3 rows: 2 inserted, 0 updated, "
		 "0 unchanged, 1 skipped", path);
	assert_true(captured_has(&f->cap, want));
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM customers"), 2);
}

static void test_dry_run_sees_customers_of_same_command(void **state)
{
	struct fixture *f = *state;
	struct cs_import_opts dry = { .dry_run = true };
	const char *files[2];

	files[0] = write_file("t.csv", "ticket_id,customer_id,created_at\nT1,C1,2026-11-01\n");
	files[1] = write_file("customers.csv", customers_csv);
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_files(f->db, files, 2, &dry, f->stats, &f->diag), 0);
	assert_int_equal(f->stats[0].inserted, 1);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM customers"), 0);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM tickets"), 0);
}

/* ---- idempotence -------------------------------------------------------- */

static void test_reimport_is_idempotent(void **state)
{
	struct fixture *f = *state;
	const char *nps = write_file("nps.csv", "customer_id,date,score\n"
				     "C1,2026-11-01,9\nC1,2026-11-01,9\nC2,2026-11-01,4\n");

	load_customers(f);
	load_customers(f);
	assert_int_equal(f->stats[0].inserted, 0);
	assert_int_equal(f->stats[0].unchanged, 3);
	/* Two identical answers without ids stay two, on every import. */
	assert_int_equal(import1(f, nps, NULL), 0);
	assert_int_equal(import1(f, nps, NULL), 0);
	assert_int_equal(f->stats[0].unchanged, 3);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM nps"), 3);
	/* A changed value is an update; a partial file leaves other columns alone. */
	assert_int_equal(import1(f, write_file("c2.csv", "customer_id,name\nC1,Acme Analytics AG\n"),
				 NULL), 0);
	assert_int_equal(f->stats[0].updated, 1);
	assert_string_equal(q_text(f->db, "SELECT name||' '||arr FROM customers WHERE customer_id='C1'"),
			    "Acme Analytics AG 120000.0");
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM imports"), 5);
}

/* ---- real export shapes ------------------------------------------------- */

static void test_bom_crlf_cr_and_semicolons(void **state)
{
	struct fixture *f = *state;
	char want[600];
	const char *path;

	assert_int_equal(import1(f, write_file("bom.csv", "\xef\xbb\xbf" "Customer ID,Company Name\r\n"
					       "C1,Acme\r\n\r\n"), NULL), 0);
	assert_int_equal(f->stats[0].inserted, 1);
	assert_int_equal(import1(f, write_file("cr.csv", "customer_id,name\rC2,Beta\rC3,\"Ga\rmma\"\r"),
				 NULL), 0);
	assert_int_equal(f->stats[0].inserted, 2);
	assert_string_equal(q_text(f->db, "SELECT name FROM customers WHERE customer_id='C3'"), "Ga\rmma");
	assert_int_equal(import1(f, write_file("semi.csv", "Kunden-ID;Firmenname;ARR\n"
					       "C4;Delta GmbH;\"1,5\"\n"), NULL), -1);
	path = f->cap.lines[0];
	assert_non_null(strstr(path, "semi.csv:2: column 'ARR': '1,5' is ambiguous"));
	/* CR-only: the error line counts CR as a line end. */
	path = write_file("crbad.csv", "customer_id,name,arr\rC5,E,1\rC6,F,x\r");
	assert_int_equal(import1(f, path, NULL), -1);
	snprintf(want, sizeof(want), "%s:3: column 'arr': 'x' is not a number", path);
	assert_true(captured_has(&f->cap, want));
}

static void test_footer_rows(void **state)
{
	struct fixture *f = *state;
	const char *path;
	char want[600];

	path = write_file("report.csv", "Customer report,,\n"
			  "customer_id,name,arr\nC1,A,10\nC2,B,20\n,,\nTotal,,30\n"
			  "Generated 2026-11-20 by CRM,,\n\n");
	assert_int_equal(import1(f, path, NULL), 0);
	assert_int_equal(f->stats[0].inserted, 2);
	snprintf(want, sizeof(want), "%s: ignored 2 trailing summary rows (from line 6)", path);
	assert_true(captured_has(&f->cap, want));
	/* The same row in the middle is a data row with its id missing. */
	path = write_file("mid.csv", "customer_id,name,arr\nC1,A,10\n,Total,30\nC2,B,20\n");
	assert_int_equal(import1(f, path, NULL), -1);
	snprintf(want, sizeof(want), "%s:3: column 'customer_id': a value is required", path);
	assert_true(captured_has(&f->cap, want));
}

static const char zendesk_header[] =
	"Summation column,Id,Requester,Requester id,Requester external id,"
	"Requester email,Requester domain,Submitter,Assignee,Group,Subject,Tags,"
	"Status,Priority,Via,Ticket type,Created at,Updated at,Assigned at,"
	"Organization,Due date,Initially assigned at,Solved at,Resolution time,"
	"Satisfaction Score,Group stations,Assignee stations,Reopens,Replies,"
	"First reply time in minutes\n";

static void test_zendesk_profile(void **state)
{
	struct fixture *f = *state;
	struct cs_import_opts o = { .map = "zendesk" };
	char csv[4096];
	const char *path;

	load_customers(f);
	snprintf(csv, sizeof(csv), "%s"
		 "1,4101,Jane Roe,901,,jane@acme.example,acme.example,Jane Roe,Sam,Support,"
		 "CSV export times out,export timeout,Solved,Urgent,Web form,Problem,"
		 "2026-11-03 09:12,2026-11-04,2026-11-03,Acme Analytics,,2026-11-03,"
		 "2026-11-04 10:00,25,Good with comment,1,1,0,3,14\n"
		 "1,4102,Ola,902,,ola@beta.example,beta.example,Ola,Sam,Support,"
		 "How do I invite users?,,Open,Normal,Email,Question,2026-11-05 11:00,,,"
		 "C2,,,,,Offered,1,1,0,1,30\n", zendesk_header);
	path = write_file("zendesk.csv", csv);
	assert_int_equal(import1(f, path, &o), 0);
	assert_string_equal(f->stats[0].kind, "tickets");
	assert_int_equal(f->stats[0].inserted, 2);
	assert_string_equal(q_text(f->db, "SELECT customer_id||'|'||export_category||'|'||urgency"
				   "||'|'||status||'|'||resolved_at||'|'||csat_good||'|'||tags"
				   " FROM tickets WHERE ticket_id='4101'"),
			    "C1|Problem|high|solved|2026-11-04 10:00:00|1|export timeout");
	assert_string_equal(q_text(f->db, "SELECT customer_id||'|'||coalesce(csat_good,'none')"
				   " FROM tickets WHERE ticket_id='4102'"), "C2|none");
	/* Every column is named by the profile: no note about ignored ones. */
	for (int i = 0; i < f->cap.n; i++)
		assert_null(strstr(f->cap.lines[i], "ignoring"));
	/* Without --map the header is still recognised as tickets. */
	assert_int_equal(import1(f, path, NULL), 0);
	assert_int_equal(f->stats[0].unchanged, 2);
}

static void test_hubspot_profile(void **state)
{
	struct fixture *f = *state;
	struct cs_import_opts o = { .map = "hubspot" };
	const char *path = write_file("hubspot.csv",
		"\"Record ID\",\"Company name\",\"Company owner\",\"Create Date\",\"Annual Revenue\","
		"\"Annual recurring revenue\",\"Customer tier\"\n"
		"\"18234\",\"Acme Analytics\",\"Dana Scully\",\"2024-03-15 14:02\",\"5000000\","
		"\"120000\",\"Enterprise\"\n");

	assert_int_equal(import1(f, path, &o), 0);
	assert_string_equal(q_text(f->db, "SELECT customer_id||'|'||name||'|'||csm||'|'||created_at"
				   "||'|'||arr||'|'||segment FROM customers"),
			    "18234|Acme Analytics|Dana Scully|2024-03-15|120000.0|Enterprise");
}

static void test_unknown_columns_get_one_note(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("extra.csv", "customer_id,name,Favourite colour,Notes\n"
				      "C1,A,blue,x\n");
	char want[600];

	assert_int_equal(import1(f, path, NULL), 0);
	snprintf(want, sizeof(want), "%s: ignoring 2 columns casey does not use: "
		 "'Favourite colour', 'Notes'", path);
	assert_true(captured_has(&f->cap, want));
}

/* ---- the database ------------------------------------------------------- */

/*
 * Migration 15: the CHECKs of the tables written a row per customer or
 * event are comparisons, not IN lists, and they still refuse what they
 * refused; a database from before it (version 14) keeps its rows.
 */
static int exec_rc(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static void assert_checks_hold(sqlite3 *db)
{
	static const char *const refused[] = {
		"INSERT INTO customers (customer_id, name, status) VALUES ('X', 'X', 'asleep')",
		"INSERT INTO tickets (ticket_id, customer_id, created_at, sentiment)"
		" VALUES ('TX', 'A', '2026-11-01', 'meh')",
		"INSERT INTO tickets (ticket_id, customer_id, created_at, category_source)"
		" VALUES ('TX', 'A', '2026-11-01', 'guess')",
		"INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band,"
		" coverage, trend, components, measures) VALUES ('A', '2026-11-02', 'default', '1',"
		" 50, 'blue', 1, 'stable', '', '')",
		"INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band,"
		" coverage, trend, components, measures) VALUES ('A', '2026-11-02', 'default', '1',"
		" 50, 'green', 1, 'sideways', '', '')",
		"UPDATE actions SET status = 'forgotten'",
	};

	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		/* cs_db_open() turns on the extended result codes */
		assert_int_equal(exec_rc(db, refused[i]), SQLITE_CONSTRAINT_CHECK);
	}
	/* The values allowed still go in. */
	assert_int_equal(exec_rc(db, "UPDATE actions SET status = 'acknowledged'"), SQLITE_OK);
	assert_int_equal(exec_rc(db, "INSERT INTO tickets (ticket_id, customer_id, created_at,"
				 " sentiment, category_source) VALUES ('TY', 'A', '2026-11-01',"
				 " 'angry', 'csm')"), SQLITE_OK);
	assert_int_equal(exec_rc(db, "DELETE FROM tickets WHERE ticket_id = 'TY'"), SQLITE_OK);
	assert_string_equal(q_text(db, "PRAGMA integrity_check"), "ok");
}

static void test_checks_without_in_lists(void **state)
{
	static const char v14_sql[] =
		/* the CHECK as versions before 15 wrote it */
		"PRAGMA writable_schema = ON;"
		"UPDATE sqlite_schema SET sql = replace(sql,"
		"  '(band = ''green'' OR band = ''yellow'' OR band = ''red'')',"
		"  'band IN (''green'',''yellow'',''red'')')"
		" WHERE type = 'table' AND name = 'snapshots';"
		"PRAGMA writable_schema = RESET;"
		"CREATE TABLE step (x); DROP TABLE step;"
		"PRAGMA user_version = 14;";
	static const char in_lists[] =
		"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
		" ('customers', 'tickets', 'snapshots', 'actions', 'payments', 'plan_changes')"
		" AND (sql LIKE '%status IN%' OR sql LIKE '%sentiment IN%'"
		"      OR sql LIKE '%category_source IN%' OR sql LIKE '%band IN%'"
		"      OR sql LIKE '%trend IN%' OR sql LIKE '%change_kind IN%')";
	char path[512];
	sqlite3 *raw, *db;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	snprintf(path, sizeof(path), "%s/checks.db", scratch_dir());
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	assert_int_equal(q_int(db, in_lists), 0);
	assert_int_equal(exec_rc(db, "INSERT INTO customers (customer_id, name) VALUES ('A', 'Alpha');"
				 "INSERT INTO snapshots (customer_id, as_of, profile, profile_version,"
				 " score, band, coverage, trend, components, measures) VALUES ('A',"
				 " '2026-11-01', 'default', '1', 40, 'red', 1, 'stable', '', '');"
				 "INSERT INTO actions (kind, rule_key, customer_id, reason, created_at,"
				 " last_seen) VALUES ('at_risk', 'at_risk:A', 'A', 'Red (40)',"
				 " '2026-11-01', '2026-11-01')"), SQLITE_OK);
	assert_checks_hold(db);
	cs_db_close(db);

	/* A version 14 database with the IN list and a row: migrated, row kept. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(exec_rc(raw, v14_sql), SQLITE_OK);
	assert_int_equal(q_int(raw, "SELECT count(*) FROM sqlite_schema WHERE name = 'snapshots'"
			       " AND sql LIKE '%band IN (%'"), 1);
	sqlite3_close(raw);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	assert_int_equal(q_int(db, "PRAGMA user_version"), cs_db_schema_version());
	assert_int_equal(q_int(db, in_lists), 0);
	assert_int_equal(q_int(db, "SELECT score FROM snapshots WHERE customer_id = 'A'"), 40);
	assert_checks_hold(db);
	cs_db_close(db);

	/* The same from a connection SQLite made defensive, which stays so. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(exec_rc(raw, v14_sql), SQLITE_OK);
	assert_int_equal(sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL),
			 SQLITE_OK);
	assert_int_equal(cs_db_migrate(raw, &d), 0);
	assert_int_equal(q_int(raw, in_lists), 0);
	assert_int_equal(q_int(raw, "PRAGMA user_version"), cs_db_schema_version());
	{
		int defensive = 0;

		sqlite3_db_config(raw, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
		assert_int_equal(defensive, 1);
	}
	sqlite3_close(raw);
}

/*
 * Events of a purged period are left out of an import (migration 17): a
 * database purged before it gets its cutoff from its monthly aggregates,
 * and an import then stores only the answers dated on or after it, saying
 * how many it left out. Each kind a purge deletes is dated by its own
 * column (kinds.h, purged_by).
 */
static void test_purged_period_left_out(void **state)
{
	static const char nps_csv[] =
		"customer_id,date,score,comment\n"
		"C1,2026-05-31,3,before\n"
		"C1,2026-06-01,9,on the cutoff\n"
		"C2,2026-07-15,8,after\n";
	static const char tickets_csv[] =
		"ticket_id,customer_id,created_at,subject\n"
		"T1,C1,2026-05-31T23:59:00Z,before\n"
		"T2,C1,2026-06-01T00:00:00Z,on the cutoff\n";
	struct fixture *f = *state;
	char path[512], want[700];
	const char *file;
	sqlite3 *raw;

	load_customers(f);
	snprintf(path, sizeof(path), "%s", sqlite3_db_filename(f->db, "main"));
	cs_db_close(f->db);
	/* As a version 16 database purged up to June left it: aggregates, no purges table. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(exec_rc(raw,
		"INSERT INTO monthly_aggregates (month, kind, events, customers, detractors)"
		" VALUES ('2026-04', 'nps', 2, 1, 2), ('2026-05', 'nps', 1, 1, 1);"
		"DROP TABLE purges; PRAGMA user_version = 16;"), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	assert_string_equal(q_text(f->db, "SELECT purged_on || '|' || cutoff FROM purges"),
			    "|2026-06-01");

	file = write_file("nps.csv", nps_csv);
	assert_int_equal(import1(f, file, NULL), 0);
	assert_int_equal(f->stats[0].rows, 3);
	assert_int_equal(f->stats[0].inserted, 2);
	assert_int_equal(f->stats[0].unchanged, 0);
	assert_int_equal(f->stats[0].purged, 1);
	assert_string_equal(f->stats[0].purged_before, "2026-06-01");
	assert_string_equal(q_text(f->db, "SELECT group_concat(comment, ',') FROM nps"),
			    "on the cutoff,after");
	snprintf(want, sizeof(want), "%s: nps: 3 rows: 2 inserted, 0 updated, 0 unchanged, "
		 "0 skipped, 1 dated before 2026-06-01 left out (purged: kept as monthly "
		 "aggregates)", file);
	assert_true(captured_has(&f->cap, want));
	/* Again: the same two unchanged, the same one left out. */
	assert_int_equal(import1(f, file, NULL), 0);
	assert_int_equal(f->stats[0].unchanged, 2);
	assert_int_equal(f->stats[0].purged, 1);

	/* Tickets are dated by created_at, to the second (stored UTC). */
	file = write_file("tickets.csv", tickets_csv);
	assert_int_equal(import1(f, file, NULL), 0);
	assert_int_equal(f->stats[0].inserted, 1);
	assert_int_equal(f->stats[0].purged, 1);
	assert_string_equal(q_text(f->db, "SELECT group_concat(ticket_id) FROM tickets"), "T2");

	/* A later purge moves the cutoff: its own row, the latest one counts. */
	assert_int_equal(exec_rc(f->db, "INSERT INTO purges VALUES ('2026-11-20', '2026-07-01')"),
			 SQLITE_OK);
	file = write_file("nps.csv", nps_csv);
	assert_int_equal(import1(f, file, NULL), 0);
	assert_int_equal(f->stats[0].purged, 2);
	assert_string_equal(f->stats[0].purged_before, "2026-07-01");
	/* Kinds a purge keeps are never left out. */
	for (int i = 0; i < cs_nkinds; i++) {
		const char *t = cs_kinds[i].table;
		bool purged = !strcmp(t, "tickets") || !strcmp(t, "nps") || !strcmp(t, "csat") ||
			      !strcmp(t, "outreach") || !strcmp(t, "usage");

		assert_int_equal(cs_kinds[i].purged_by != NULL, purged);
	}
}

static void test_migrates_empty_database(void **state)
{
	char path[512];
	sqlite3 *raw, *db;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/empty.db", scratch_dir());
	/* An existing, empty SQLite file at user_version 0. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=0", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	chmod(path, 0600);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	assert_int_equal(q_int(db, "PRAGMA user_version"), cs_db_schema_version());
	assert_int_equal(q_int(db, "SELECT count(*) FROM sqlite_master WHERE name IN ('customers',"
			       "'usage','tickets','nps','csat','outreach','features','feature_usage',"
			       "'onboarding','snapshots','actions','checklists')"), 12);
	assert_string_equal(q_text(db, "PRAGMA journal_mode"), "wal");
	assert_int_equal(q_int(db, "PRAGMA foreign_keys"), 1);
	cs_db_close(db);
	/* A newer schema is refused, not touched. */
	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), -1);
	{
		char want[200];

		snprintf(want, sizeof(want), "the database has schema version 999, newer than "
			 "this casey understands (%d); upgrade casey", cs_db_schema_version());
		assert_true(captured_has(&cap, want));
	}
	/* A new database file is private. */
	snprintf(path, sizeof(path), "%s/sub/dir/new.db", scratch_dir());
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	cs_db_close(db);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A world-writable one is refused with the reason. */
	chmod(path, 0666);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), -1);
	{
		char want[600];

		snprintf(want, sizeof(want), "%s: refusing a database that every user may "
			 "write to (mode 666); run chmod 600 on it", path);
		assert_true(captured_has(&cap, want));
	}
}

/*
 * cs_db_cancel_when: a statement running when the flag goes up stops with
 * SQLITE_INTERRUPT (the dashboard's screens, on SIGTERM), one started with
 * it down runs to the end, and NULL takes the check away again.
 */
static void test_cancel_stops_a_running_statement(void **state)
{
	static const char count_sql[] =
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)"
		" SELECT count(*) FROM n";
	static volatile sig_atomic_t flag;
	char path[512];
	sqlite3 *db;
	sqlite3_stmt *st;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	snprintf(path, sizeof(path), "%s/cancel.db", scratch_dir());
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	cs_db_cancel_when(db, &flag);
	flag = 0;
	assert_int_equal(q_int(db, count_sql), 200000);
	assert_int_equal(exec_rc(db, "CREATE TABLE t (i INTEGER)"), SQLITE_OK);

	flag = SIGTERM;
	assert_int_equal(sqlite3_prepare_v2(db, count_sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_INTERRUPT);
	sqlite3_finalize(st);
	/* nothing half-done: a write under the flag is refused whole */
	assert_int_equal(exec_rc(db, "INSERT INTO t WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL"
				 " SELECT i + 1 FROM n WHERE i < 200000) SELECT i FROM n"),
			 SQLITE_INTERRUPT);

	cs_db_cancel_when(db, NULL);
	assert_int_equal(q_int(db, count_sql), 200000);
	assert_int_equal(q_int(db, "SELECT count(*) FROM t"), 0);
	flag = 0;
	cs_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_customers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_other_kind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tickets_dates_and_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forced_kind_names_missing_column, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_line_after_quoted_newlines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_row_at_5000_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_settings_are_restored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_large_file_rebuilds_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_bad_and_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run_sees_customers_of_same_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reimport_is_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bom_crlf_cr_and_semicolons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_footer_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zendesk_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hubspot_profile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_columns_get_one_note, setup, teardown),
		cmocka_unit_test(test_migrates_empty_database),
		cmocka_unit_test(test_checks_without_in_lists),
		cmocka_unit_test_setup_teardown(test_purged_period_left_out, setup, teardown),
		cmocka_unit_test(test_cancel_stops_a_running_statement),
	};

	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
