/*
 * fuzz_import.c — libFuzzer harness for the CSV import.
 *
 * Each input is imported with cs_import_buffer(), the whole path a file
 * takes (BOM, delimiter sniffing, line feeding, header detection, typed
 * validation, the upsert) minus the mmap, into an in-memory database
 * restored from a snapshot before every run, so runs are independent and
 * repeatable. The snapshot holds a few customers and features, so that
 * rows of the other kinds can resolve their references.
 *
 * An input may start with one option byte (0x00-0x1f, not TAB, LF or CR;
 * real exports never start with one): bits 0-1 choose plain, --skip-bad,
 * --dry-run or both; bits 2-4 choose nothing, --map zendesk, --map
 * hubspot, --date-format %d/%m/%Y, or --kind customers, tickets, nps or
 * usage. The rest is the file.
 *
 * Besides the sanitizers, it aborts when the import breaks a promise:
 *   - a file that fails, and every dry run, leaves the database
 *     byte-for-byte as it was (one transaction per file);
 *   - --dry-run accepts exactly the files the import accepts, with the
 *     same counts;
 *   - a file that imports, imported again, inserts and updates nothing
 *     (re-imports are idempotent), and the database passes quick_check;
 *   - every message names the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/diag.h"
#include "casey/import.h"

#define NAME "input.csv"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;
static unsigned char *snapshot;
static sqlite3_int64 snapshot_len;

static const char seed_customers[] =
	"customer_id,name,arr\n"
	"C00001,Nova Outdoor Ltd,2300\n"
	"C00002,Pioneer Mobility Partners,2347.27\n"
	"C00003,Aurora Manufacturing Inc.,\n"
	"C00004,Acme,100\n"
	"C00005,Acme,200\n"
	"C1,Acme Analytics,120000\n";
static const char seed_features[] =
	"feature_id,name,released_at,paid\n"
	"F01,Dashboards,2024-12-08,no\n"
	"F02,Scheduled Reports,2025-01-21,yes\n"
	"F1,Bulk export,2025-01-01,yes\n";

static void die(const char *what)
{
	fprintf(stderr, "fuzz_import: %s\n", what);
	abort();
}

static void check_emit(void *ctx, enum cs_level level, const char *msg)
{
	(void)ctx;
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "[%d] %s\n", level, msg);
	if (level != CS_PROGRESS && strncmp(msg, NAME ":", strlen(NAME ":"))) {
		fprintf(stderr, "message does not name the file: %s\n", msg);
		die("a message without the file name");
	}
}

static void quiet_emit(void *ctx, enum cs_level level, const char *msg)
{
	(void)ctx;
	if (level == CS_ERROR)
		fprintf(stderr, "setup: %s\n", msg);
}

static void exec_or_die(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db));
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const struct cs_import_opts none;
	struct cs_diag diag = { quiet_emit, NULL, 0 };

	(void)argc;
	(void)argv;
	/* The mapping profiles: the source tree's, when run from its top. */
	setenv("CASEY_ASSETS", "assets", 0);
	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		die("cannot open an in-memory database");
	sqlite3_extended_result_codes(db, 1);
	exec_or_die("PRAGMA foreign_keys = ON");
	if (cs_db_migrate(db, &diag) ||
	    cs_import_buffer(db, "customers.csv", seed_customers, sizeof(seed_customers) - 1,
			     &none, NULL, &diag) ||
	    cs_import_buffer(db, "features.csv", seed_features, sizeof(seed_features) - 1,
			     &none, NULL, &diag))
		die("cannot set up the database");
	/* The import log's timestamps would make the snapshots differ. */
	exec_or_die("DELETE FROM imports");
	snapshot = sqlite3_serialize(db, "main", &snapshot_len, 0);
	if (!snapshot)
		die("cannot serialize the database");
	return 0;
}

/* Put the database back to the snapshot. */
static void restore(void)
{
	unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)snapshot_len);

	if (!copy)
		die("out of memory");
	memcpy(copy, snapshot, (size_t)snapshot_len);
	if (sqlite3_deserialize(db, "main", copy, snapshot_len, snapshot_len,
				SQLITE_DESERIALIZE_FREEONCLOSE |
				SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
		die(sqlite3_errmsg(db));
}

static int unchanged(void)
{
	sqlite3_int64 n;
	unsigned char *now = sqlite3_serialize(db, "main", &n, 0);
	int same = now && n == snapshot_len && !memcmp(now, snapshot, (size_t)n);

	sqlite3_free(now);
	return same;
}

static void quick_check(void)
{
	sqlite3_stmt *st;
	const unsigned char *r;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK)
		die(sqlite3_errmsg(db));
	if (sqlite3_step(st) != SQLITE_ROW || !(r = sqlite3_column_text(st, 0)) ||
	    strcmp((const char *)r, "ok"))
		die("quick_check failed");
	sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "customers", "tickets", "nps", "usage" };
	struct cs_import_opts o = { 0 };
	struct cs_diag diag = { check_emit, NULL, 0 };
	struct cs_import_stats st, again;
	const char *p = (const char *)data;
	int rc;

	if (size && data[0] < 0x20 && data[0] != '\t' && data[0] != '\n' && data[0] != '\r') {
		unsigned sel = (data[0] >> 2) & 7;

		o.skip_bad = data[0] & 1;
		o.dry_run = (data[0] >> 1) & 1;
		if (sel == 1)
			o.map = "zendesk";
		else if (sel == 2)
			o.map = "hubspot";
		else if (sel == 3)
			o.date_format = "%d/%m/%Y";
		else if (sel >= 4)
			o.kind = kinds[sel - 4];
		p++;
		size--;
	}
	restore();
	if (!o.dry_run) {
		/* --dry-run must say what the import will do: same verdict, same counts. */
		struct cs_import_opts dry = o;
		struct cs_import_stats dst;
		int drc;

		dry.dry_run = true;
		drc = cs_import_buffer(db, NAME, p, size, &dry, &dst, &diag);
		if (!unchanged())
			die("a dry run changed the database");
		rc = cs_import_buffer(db, NAME, p, size, &o, &st, &diag);
		if (rc != drc)
			die(rc ? "the dry run passed a file the import refused" :
			    "the dry run refused a file the import took");
		if (!rc && (st.rows != dst.rows || st.inserted != dst.inserted ||
			    st.updated != dst.updated || st.skipped != dst.skipped))
			die("the dry run's counts differ from the import's");
	} else {
		rc = cs_import_buffer(db, NAME, p, size, &o, &st, &diag);
	}
	if (rc || o.dry_run) {
		if (!unchanged())
			die(rc ? "a failed import changed the database" :
			    "a dry run changed the database");
		return 0;
	}
	quick_check();
	if (cs_import_buffer(db, NAME, p, size, &o, &again, &diag))
		die("a file that imported fails the second time");
	if (again.inserted || again.updated) {
		fprintf(stderr, "second import: %ld inserted, %ld updated\n",
			again.inserted, again.updated);
		die("re-importing the same file changed rows");
	}
	return 0;
}
