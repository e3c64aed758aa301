/*
 * import.h — importing CSV exports into the database.
 *
 * Each file is one transaction: every row is parsed, validated and upserted,
 * and a single bad row anywhere means nothing from that file is stored
 * (unless skip_bad, which leaves the bad rows out and lists them). Files
 * are imported in dependency order whatever order they were given in
 * (customers and features before the rows that refer to them).
 *
 * Errors read "FILE:LINE: column 'arr': 'abc' is not a number", LINE being
 * the physical line where the record starts. At most CS_IMPORT_MAX_ERRORS
 * are listed per file, then a count.
 */
#ifndef CASEY_IMPORT_H
#define CASEY_IMPORT_H

#include <stdbool.h>

#include "casey/diag.h"

struct sqlite3;

#define CS_IMPORT_MAX_ERRORS 10
/*
 * A field longer than this is refused: no export has one, a broken file
 * (a quote never closed) may. It is cut off as it is read, so a hostile
 * file never makes casey hold more than about this much of one field.
 * (The fuzz build defines these limits small, so short inputs reach them.)
 */
#ifndef CS_FIELD_MAX
#define CS_FIELD_MAX (1 << 20)
#endif
/* Fields of one row beyond this are counted, not kept (Excel's column limit). */
#ifndef CS_FIELDS_MAX
#define CS_FIELDS_MAX 16384
#endif
/* A row holding more than this many bytes in all is refused. */
#ifndef CS_RECORD_MAX
#define CS_RECORD_MAX (16 << 20)
#endif

struct cs_import_opts {
	const char *kind;		/* force this kind; NULL = detect from the header */
	const char *map;		/* mapping profile name or path; NULL = none */
	const char *date_format;	/* strptime format for ambiguous dates; NULL */
	bool dry_run;			/* validate everything, store nothing */
	bool skip_bad;			/* store the good rows, list the bad ones */
	bool progress;			/* report CS_PROGRESS lines for large files */
	const char *today;		/* 'YYYY-MM-DD' for kinds with a stamp; NULL: now */
};

struct cs_import_stats {
	const char *kind;	/* detected or given kind, NULL if never known */
	long rows;		/* data rows read (not the header, footers, blank lines) */
	long inserted, updated, unchanged, skipped;
	long purged;		/* rows left out: dated before the latest purge's cutoff */
	char purged_before[11];	/* that cutoff, "YYYY-MM-DD" ("" when none) */
};

/*
 * Import the files. Returns 0 when every file was imported, -1 when any
 * failed (the others are still imported). stats, when not NULL, receives
 * one entry per file, in the order given.
 */
int cs_import_files(struct sqlite3 *db, const char *const *files, int nfiles,
		    const struct cs_import_opts *opts, struct cs_import_stats *stats,
		    struct cs_diag *diag);

/*
 * Check the options before the database is opened: --kind names a kind,
 * --map loads and fits it. Returns 0, or -1 with the problem reported
 * (FILE:LINE for a broken mapping profile).
 */
int cs_import_check(const struct cs_import_opts *opts, struct cs_diag *diag);

/*
 * Import the n bytes at data as one file called name (used in messages and
 * to tell kinds apart by file name), in its own transaction exactly like
 * one file of cs_import_files(). For the fuzzer and tests: the whole path
 * without reading a file.
 */
int cs_import_buffer(struct sqlite3 *db, const char *name, const char *data, size_t n,
		     const struct cs_import_opts *opts, struct cs_import_stats *stats,
		     struct cs_diag *diag);

#endif
