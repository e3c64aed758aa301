/*
 * db.h — the local SQLite database: location, creation, migrations.
 *
 * One file holds everything casey knows. It is created with mode 0600 (it
 * holds customer data), runs in WAL mode with foreign keys on and a busy
 * timeout, and its schema is migrated forward by PRAGMA user_version every
 * time it is opened, so `casey init` is only ever needed to create it
 * explicitly.
 */
#ifndef CASEY_DB_H
#define CASEY_DB_H

#include <signal.h>
#include <stddef.h>

#include "casey/diag.h"

struct sqlite3;

/* The schema version this build creates and understands. */
int cs_db_schema_version(void);

/*
 * Resolve the database path: explicit (the --db option) if not NULL, else
 * $CASEY_DB, else $XDG_DATA_HOME/casey/casey.db, else
 * $HOME/.local/share/casey/casey.db. Writes into buf; returns 0, or -1 with
 * an error reported when no location can be determined or it is too long.
 */
int cs_db_resolve_path(const char *explicit_path, char *buf, size_t size,
		       struct cs_diag *diag);

enum cs_db_mode {
	CS_DB_OPEN,	/* open, creating and migrating as needed */
	CS_DB_READONLY,	/* open an existing database for reading; never create */
};

/*
 * Open (and, in CS_DB_OPEN mode, create with mode 0600 and migrate) the
 * database at path. Refuses a file that other users may write to, and a
 * database whose schema is newer than this build. On success *out is the
 * connection, owned by the caller (close with cs_db_close()).
 */
int cs_db_open(const char *path, enum cs_db_mode mode, struct sqlite3 **out,
	       struct cs_diag *diag);
void cs_db_close(struct sqlite3 *db);

/* Bring an open connection's schema to the current version. */
int cs_db_migrate(struct sqlite3 *db, struct cs_diag *diag);

/*
 * Run BEGIN IMMEDIATE, retrying while another process holds the write lock
 * (beyond the busy timeout) and reporting a clear message instead of a bare
 * "database is locked" when it never frees.
 */
int cs_db_begin(struct sqlite3 *db, struct cs_diag *diag);
int cs_db_commit(struct sqlite3 *db, struct cs_diag *diag);
void cs_db_rollback(struct sqlite3 *db);

/*
 * Stop early once *flag is non-zero (a signal handler's flag): a running
 * statement fails with SQLITE_INTERRUPT within a few thousand of SQLite's
 * steps, and a wait for another writer's lock gives up at once instead of
 * after the busy timeout. The dashboard sets it, so SIGTERM, SIGHUP and
 * Ctrl-C leave a screen that is still reading a million rows. NULL puts
 * back the plain busy timeout.
 */
void cs_db_cancel_when(struct sqlite3 *db, const volatile sig_atomic_t *flag);

/*
 * The page size of a database casey creates (an existing one keeps its
 * own until cs_db_compact() rewrites it). At a million customers a scoring run
 * rewrites about 400,000 pages and writes every one to the WAL before the
 * checkpoint copies it back; 16 KiB pages do that in a quarter of the
 * reads, writes and WAL frames of 4 KiB ones (SQLite's default), and the
 * run took 16.1-18.0 s against 18.2-21.6 s (docs/performance.md, eleventh
 * round). 32 KiB pages were slower again (19.8-21.5 s). The cost is
 * memory: a dashboard screen that computes from a million rows peaks
 * about 4 MiB higher, 43 MiB with every screen opened in one session
 * against 32 MiB (docs/performance.md).
 */
#define CS_DB_PAGE_SIZE 16384

/*
 * Rewrite the whole file (VACUUM) with CS_DB_PAGE_SIZE pages: how a
 * database made before casey used that size takes it, and how the space a
 * purge freed goes back to the file system. SQLite changes the page size
 * only outside WAL mode, and leaving it needs the file to itself: with
 * another casey (or any program) holding it open, this refuses and
 * changes nothing. The rewrite needs free space for two copies of the
 * file (the rollback journal, and SQLite's temporary copy); if it fails
 * (a full disk) the file is as it was. WAL mode is restored
 * in every case. Returns 0 with *out filled, or -1 after reporting.
 */
struct cs_db_compact {
	long page_size_before, page_size_after;
	long long bytes_before, bytes_after;
	long free_pages_before;		/* the pages the rewrite gave back */
};
int cs_db_compact(struct sqlite3 *db, const char *path, struct cs_db_compact *out,
		  struct cs_diag *diag);

/*
 * Settings for loading many rows at once, scoped to one import: a page
 * cache of CS_DB_BULK_CACHE_KIB, so the B-trees being filled stay in memory
 * instead of spilling to the WAL page by page, and foreign keys off, the
 * importer having checked every reference itself (the rows it writes
 * satisfy them all). Call outside a transaction (SQLite ignores the
 * foreign_keys pragma inside one); cs_db_bulk_end() restores what was set
 * before. The cache is only allocated as it fills.
 */
#define CS_DB_BULK_CACHE_KIB (512L << 10)
struct cs_db_bulk {
	long cache_size;	/* PRAGMA cache_size before (negative: KiB) */
	int foreign_keys;	/* PRAGMA foreign_keys before */
	int active;
};
int cs_db_bulk_begin(struct sqlite3 *db, struct cs_db_bulk *saved, struct cs_diag *diag);
void cs_db_bulk_end(struct sqlite3 *db, struct cs_db_bulk *saved);

/* Report the connection's last error as "what: sqlite message". */
int cs_db_error(struct sqlite3 *db, struct cs_diag *diag, const char *what);

/*
 * Small helpers for the core's statements. cs_db_prepare() compiles sql (a
 * literal or static array: tests/sql-check.pl checks every caller) into
 * *st, NULL on failure, with the error as cs_db_error(what). cs_db_run()
 * steps a statement that returns no rows and finalizes it.
 * cs_db_bind_text_or_null() binds s, or NULL when s is NULL or empty;
 * cs_db_col_text() copies a column's text into dst ("" for NULL).
 */
struct sqlite3_stmt;
int cs_db_prepare(struct sqlite3 *db, const char *sql, struct sqlite3_stmt **st,
		  struct cs_diag *diag, const char *what);
int cs_db_run(struct sqlite3 *db, struct sqlite3_stmt *st, struct cs_diag *diag,
	      const char *what);
void cs_db_bind_text_or_null(struct sqlite3_stmt *st, int i, const char *s);
void cs_db_col_text(struct sqlite3_stmt *st, int col, char *dst, size_t size);

#endif
