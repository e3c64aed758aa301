/* db.c — opening, creating and migrating the database. See db.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "schema.sql.h"

#define N_MIGRATIONS ((int)(sizeof(cs_migrations) / sizeof(cs_migrations[0])))

/* How long one statement waits for a lock before SQLITE_BUSY. */
#define BUSY_TIMEOUT_MS 5000
/* How many times cs_db_begin() retries after a timed-out wait. */
#define BEGIN_RETRIES 6

/*
 * Test hooks, from the environment; neither can do more than make casey
 * give up sooner:
 *   CASEY_TEST_BUSY_MS    the busy timeout, so a test of a database that
 *                         another writer holds need not wait 35 s;
 *   CASEY_TEST_MAX_PAGES  PRAGMA max_page_count, so a test can fill the
 *                         "disk" (SQLITE_FULL) without a small filesystem.
 */
static long env_long(const char *name, long dflt, long min, long max)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return dflt;
	v = strtol(s, &end, 10);
	return *end || v < min || v > max ? dflt : v;
}

static int busy_ms(void)
{
	return (int)env_long("CASEY_TEST_BUSY_MS", BUSY_TIMEOUT_MS, 1, BUSY_TIMEOUT_MS);
}

int cs_db_schema_version(void)
{
	return N_MIGRATIONS;
}

/*
 * The system's reason for the last failed read or write, else SQLite's.
 * A write that fails while COMMIT writes the WAL leaves no system errno on
 * the connection: the WAL file itself still knows it.
 */
static const char *io_reason(sqlite3 *db)
{
	int e = sqlite3_system_errno(db);
	sqlite3_file *wal = NULL;

	if (!e && sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) ==
		  SQLITE_OK && wal && wal->pMethods &&
	    wal->pMethods->xFileControl(wal, SQLITE_FCNTL_LAST_ERRNO, &e) != SQLITE_OK)
		e = 0;
	return e ? strerror(e) : sqlite3_errmsg(db);
}

int cs_db_error(sqlite3 *db, struct cs_diag *diag, const char *what)
{
	int code = sqlite3_extended_errcode(db);

	if ((code & 0xff) == SQLITE_FULL)
		return cs_error(diag, "%s: the disk is full; nothing was written", what);
	if (code == SQLITE_IOERR_READ || code == SQLITE_IOERR_SHORT_READ)
		return cs_error(diag, "%s: cannot read the database file (%s)", what,
				io_reason(db));
	/* A write refused by the system: a file size limit, a quota, EIO. */
	if ((code & 0xff) == SQLITE_IOERR)
		return cs_error(diag, "%s: cannot write to the disk (%s); nothing was written",
				what, io_reason(db));
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return cs_error(diag, "%s: the database is busy (another casey is "
				"writing to it); try again in a moment", what);
	return cs_error(diag, "%s: %s", what, sqlite3_errmsg(db));
}

int cs_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, struct cs_diag *diag,
		  const char *what)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return cs_db_error(db, diag, what);
	}
	return 0;
}

int cs_db_run(sqlite3 *db, sqlite3_stmt *st, struct cs_diag *diag, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, what);
}

void cs_db_bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void cs_db_col_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", s ? (const char *)s : "");
}

int cs_db_resolve_path(const char *explicit_path, char *buf, size_t size,
		       struct cs_diag *diag)
{
	const char *env;
	int n;

	if (explicit_path && *explicit_path)
		n = snprintf(buf, size, "%s", explicit_path);
	else if ((env = getenv("CASEY_DB")) && *env)
		n = snprintf(buf, size, "%s", env);
	else if ((env = getenv("XDG_DATA_HOME")) && *env == '/')
		n = snprintf(buf, size, "%s/casey/casey.db", env);
	else if ((env = getenv("HOME")) && *env)
		n = snprintf(buf, size, "%s/.local/share/casey/casey.db", env);
	else
		return cs_error(diag, "no database location: give --db PATH or set CASEY_DB");
	if (n < 0 || (size_t)n >= size)
		return cs_error(diag, "database path is too long");
	return 0;
}

/* mkdir -p of the directory holding path, private to the user. */
static int make_parent_dirs(const char *path, struct cs_diag *diag)
{
	char dir[PATH_MAX];
	char *p;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return cs_error(diag, "%s: path is too long", path);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return cs_error(diag, "%s: cannot create directory: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return cs_error(diag, "%s: cannot create directory: %s", dir, strerror(errno));
	return 0;
}

/*
 * Create the file ourselves with O_EXCL and mode 0600 before SQLite opens
 * it: SQLite would create it with the process umask, and its -wal and -shm
 * files copy the main file's mode.
 */
static int create_private_file(const char *path, struct cs_diag *diag)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		return cs_error(diag, "%s: cannot create database: %s", path, strerror(errno));
	}
	/* The umask may have stripped bits we asked for, never added any. */
	if (fchmod(fd, 0600))
		(void)0;
	close(fd);
	return 0;
}

static int check_file_safety(const char *path, struct cs_diag *diag)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	if (!S_ISREG(st.st_mode))
		return cs_error(diag, "%s: not a regular file", path);
	if (st.st_mode & S_IWOTH)
		return cs_error(diag, "%s: refusing a database that every user may "
				"write to (mode %03o); run chmod 600 on it",
				path, (unsigned)(st.st_mode & 0777));
	return 0;
}

static int exec_sql(sqlite3 *db, const char *sql, struct cs_diag *diag, const char *what)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, what);
	return 0;
}

/*
 * PRAGMA name = value. PRAGMAs take no bound parameters, so the statement
 * is built: name is always a literal of this file, value an integer.
 */
static int pragma_set(sqlite3 *db, const char *name, long value, struct cs_diag *diag,
		      const char *what)
{
	char sql[96];

	snprintf(sql, sizeof(sql), "PRAGMA %s = %ld", name, value);
	return exec_sql(db, sql, diag, what);
}

/*
 * Switch to WAL. Two caseys opening a new database at once both do this,
 * and the switch needs the file to itself: SQLite then answers
 * SQLITE_BUSY at once, without its busy handler, so wait here, as long as
 * the busy timeout.
 */
static int set_wal(sqlite3 *db, struct cs_diag *diag, const char *path)
{
	int waited = 0, rc;

	while ((rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL)) !=
	       SQLITE_OK) {
		if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) ||
		    waited >= busy_ms())
			return cs_db_error(db, diag, path);
		sqlite3_sleep(10);
		waited += 10;
	}
	return 0;
}

static int user_version(sqlite3 *db, int *version)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* The integer a PRAGMA reads back, or -1. */
static long pragma_get(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The file's size and page size as SQLite sees them: 0, or -1. */
static int file_pages(sqlite3 *db, long *page_size, long long *bytes)
{
	long count = pragma_get(db, "PRAGMA page_count");

	*page_size = pragma_get(db, "PRAGMA page_size");
	if (count < 0 || *page_size <= 0)
		return -1;
	*bytes = (long long)count * *page_size;
	return 0;
}

/*
 * Leave WAL mode: 1 done, 0 refused because another connection has the
 * file open (SQLite then reads back the mode it kept), -1 an error.
 */
static int leave_wal(sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc, done = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = DELETE", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		done = !strcmp((const char *)sqlite3_column_text(st, 0), "delete");
	else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		done = 0;
	sqlite3_finalize(st);
	return done;
}

int cs_db_compact(sqlite3 *db, const char *path, struct cs_db_compact *out,
		  struct cs_diag *diag)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (file_pages(db, &out->page_size_before, &out->bytes_before) ||
	    (out->free_pages_before = pragma_get(db, "PRAGMA freelist_count")) < 0)
		return cs_db_error(db, diag, path);
	/* Refused or failed, WAL mode is as it was: nothing to restore. */
	switch (leave_wal(db)) {
	case 1:
		break;
	case 0:
		return cs_error(diag, "%s: in use by another casey or program; close it and try "
				"again (compacting needs the file to itself)", path);
	default:
		return cs_db_error(db, diag, path);
	}
	if (pragma_set(db, "page_size", CS_DB_PAGE_SIZE, diag, path) ||
	    exec_sql(db, "VACUUM", diag, path))
		rc = -1;
	if (set_wal(db, rc ? NULL : diag, path))
		rc = -1;
	if (!rc && file_pages(db, &out->page_size_after, &out->bytes_after))
		rc = cs_db_error(db, diag, path);
	return rc;
}

int cs_db_bulk_begin(sqlite3 *db, struct cs_db_bulk *saved, struct cs_diag *diag)
{
	long page, kib;

	saved->active = 0;
	saved->foreign_keys = (int)pragma_get(db, "PRAGMA foreign_keys");
	saved->cache_size = pragma_get(db, "PRAGMA cache_size");
	page = pragma_get(db, "PRAGMA page_size");
	if (saved->foreign_keys < 0 || page <= 0)
		return cs_db_error(db, diag, "preparing the import");
	/* Never shrink a cache someone made larger. */
	kib = saved->cache_size < 0 ? -saved->cache_size : saved->cache_size * (page / 1024);
	if (kib < CS_DB_BULK_CACHE_KIB &&
	    pragma_set(db, "cache_size", -CS_DB_BULK_CACHE_KIB, diag, "preparing the import"))
		return -1;
	if (saved->foreign_keys &&
	    exec_sql(db, "PRAGMA foreign_keys = OFF", diag, "preparing the import")) {
		pragma_set(db, "cache_size", saved->cache_size, NULL, "");
		return -1;
	}
	saved->active = 1;
	return 0;
}

void cs_db_bulk_end(sqlite3 *db, struct cs_db_bulk *saved)
{
	if (!saved->active)
		return;
	/* Shrinking the cache frees what the import filled. */
	sqlite3_exec(db, saved->foreign_keys ? "PRAGMA foreign_keys = ON" :
		     "PRAGMA foreign_keys = OFF", NULL, NULL, NULL);
	pragma_set(db, "cache_size", saved->cache_size, NULL, "");
	saved->active = 0;
}

/* Each migration in its own transaction, from version up. */
static int migrate(sqlite3 *db, int version, struct cs_diag *diag)
{
	while (version < N_MIGRATIONS) {
		if (cs_db_begin(db, diag))
			return -1;
		/* Re-read under the write lock: another process may have migrated. */
		if (user_version(db, &version)) {
			cs_db_rollback(db);
			return cs_db_error(db, diag, "reading the schema version");
		}
		if (version >= N_MIGRATIONS) {
			cs_db_rollback(db);
			break;
		}
		if (exec_sql(db, cs_migrations[version], diag, "migrating the database") ||
		    pragma_set(db, "user_version", version + 1, diag, "migrating the database")) {
			cs_db_rollback(db);
			return -1;
		}
		if (cs_db_commit(db, diag))
			return -1;
		version++;
	}
	return 0;
}

int cs_db_migrate(sqlite3 *db, struct cs_diag *diag)
{
	int version, defensive = 0, rc;

	if (user_version(db, &version))
		return cs_db_error(db, diag, "reading the schema version");
	if (version > N_MIGRATIONS)
		return cs_error(diag, "the database has schema version %d, newer than "
				"this casey understands (%d); upgrade casey",
				version, N_MIGRATIONS);
	/*
	 * Migration 15 edits the stored schema (writable_schema), which an
	 * SQLite built to start connections defensive refuses; casey runs
	 * only its own SQL (tests/sql-check.pl), so the migrations lift it
	 * and put it back.
	 */
	if (version < N_MIGRATIONS) {
		sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
		if (defensive)
			sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 0, (int *)NULL);
	}
	rc = migrate(db, version, diag);
	if (defensive)
		sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	return rc;
}

/*
 * Each connection is used by one thread only (scoring reads the metrics on
 * a second thread, through its own connection: metrics.c), so SQLite's
 * per-connection mutexes only cost time; MULTITHREAD leaves them out but
 * keeps the ones around allocation and the shared page-cache state, which
 * two threads do share. The allocation statistics cost a few per cent of
 * an import and nothing reads them. This has to be set before SQLite
 * initialises; if something else has already initialised it, SQLite
 * refuses and keeps its defaults (serialized), which are correct too.
 */
static void configure_sqlite(void)
{
	static int done;

	if (done++)
		return;
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int cs_db_open(const char *path, enum cs_db_mode mode, sqlite3 **out,
	       struct cs_diag *diag)
{
	sqlite3 *db = NULL;
	int flags;

	*out = NULL;
	configure_sqlite();
	if (mode == CS_DB_OPEN) {
		if (make_parent_dirs(path, diag) || create_private_file(path, diag))
			return -1;
		flags = SQLITE_OPEN_READWRITE;
	} else {
		if (access(path, F_OK))
			return cs_error(diag, "%s: no such database; run 'casey init' "
					"and 'casey import' first", path);
		flags = SQLITE_OPEN_READONLY;
	}
	if (check_file_safety(path, diag))
		return -1;
	if (sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		cs_error(diag, "%s: cannot open database: %s", path,
			 db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, busy_ms());
	if (exec_sql(db, "PRAGMA foreign_keys = ON", diag, path))
		goto fail;
	if (getenv("CASEY_TEST_MAX_PAGES") &&
	    pragma_set(db, "max_page_count", env_long("CASEY_TEST_MAX_PAGES", 1073741823, 1,
						      1073741823), diag, path))
		goto fail;
	if (mode == CS_DB_OPEN) {
		/*
		 * Not a database at all? Say so before anything else. The page
		 * size is only taken by a new, empty file, and must come first.
		 */
		if (pragma_set(db, "page_size", CS_DB_PAGE_SIZE, diag, path) ||
		    set_wal(db, diag, path) ||
		    exec_sql(db, "PRAGMA synchronous = NORMAL", diag, path) ||
		    cs_db_migrate(db, diag))
			goto fail;
	} else {
		int version;

		if (user_version(db, &version)) {
			cs_db_error(db, diag, path);
			goto fail;
		}
		if (version != N_MIGRATIONS) {
			cs_error(diag, "%s: schema version %d, expected %d; open it "
				 "read-write once to migrate", path, version, N_MIGRATIONS);
			goto fail;
		}
	}
	*out = db;
	return 0;
fail:
	sqlite3_close(db);
	return -1;
}

void cs_db_close(sqlite3 *db)
{
	sqlite3_close(db);
}

int cs_db_begin(sqlite3 *db, struct cs_diag *diag)
{
	int attempt, rc;

	for (attempt = 0; attempt <= BEGIN_RETRIES; attempt++) {
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY)
			break;
	}
	if ((sqlite3_extended_errcode(db) & 0xff) == SQLITE_BUSY)
		return cs_error(diag, "the database is busy: another casey has been "
				"writing to it for over %d s; try again when it is done",
				busy_ms() * (BEGIN_RETRIES + 1) / 1000);
	return cs_db_error(db, diag, "starting a transaction");
}

/* How often a running statement looks at the flag, in SQLite's steps. */
#define CANCEL_STEPS 1000
/* A wait for a lock, one sleep of the busy handler at a time. */
#define CANCEL_SLEEP_MS 10

static int cancel_progress(void *flag)
{
	return *(const volatile sig_atomic_t *)flag != 0;
}

/* The busy timeout's wait, given up as soon as the flag is set. */
static int cancel_busy(void *flag, int tries)
{
	if (*(const volatile sig_atomic_t *)flag ||
	    (long)tries * CANCEL_SLEEP_MS >= busy_ms())
		return 0;
	sqlite3_sleep(CANCEL_SLEEP_MS);
	return 1;
}

void cs_db_cancel_when(sqlite3 *db, const volatile sig_atomic_t *flag)
{
	void *ctx = (void *)(uintptr_t)flag;

	if (!flag) {
		sqlite3_progress_handler(db, 0, NULL, NULL);
		sqlite3_busy_timeout(db, busy_ms());
		return;
	}
	sqlite3_progress_handler(db, CANCEL_STEPS, cancel_progress, ctx);
	sqlite3_busy_handler(db, cancel_busy, ctx);
}

int cs_db_commit(sqlite3 *db, struct cs_diag *diag)
{
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		cs_db_error(db, diag, "committing");
		cs_db_rollback(db);
		return -1;
	}
	return 0;
}

void cs_db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}
