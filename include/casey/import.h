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
/* A field longer than this is refused: no export has one, a broken file may. */
#define CS_FIELD_MAX (1 << 20)

struct cs_import_opts {
	const char *kind;		/* force this kind; NULL = detect from the header */
	const char *map;		/* mapping profile name or path; NULL = none */
	const char *date_format;	/* strptime format for ambiguous dates; NULL */
	bool dry_run;			/* validate everything, store nothing */
	bool skip_bad;			/* store the good rows, list the bad ones */
	bool progress;			/* report CS_PROGRESS lines for large files */
};

struct cs_import_stats {
	const char *kind;	/* detected or given kind, NULL if never known */
	long rows;		/* data rows read (not the header, footers, blank lines) */
	long inserted, updated, unchanged, skipped;
};

/*
 * Import the files. Returns 0 when every file was imported, -1 when any
 * failed (the others are still imported). stats, when not NULL, receives
 * one entry per file, in the order given.
 */
int cs_import_files(struct sqlite3 *db, const char *const *files, int nfiles,
		    const struct cs_import_opts *opts, struct cs_import_stats *stats,
		    struct cs_diag *diag);

#endif
