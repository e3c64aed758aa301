/*
 * kinds.h — the kinds of CSV file casey imports and their columns.
 *
 * One static table describes every kind of PRODUCT.md §1: its canonical
 * columns, their types, which are required, which identify a row, and the
 * aliases real exports use for them. Import, kind detection and the
 * documentation all read this one table; adding a column is one line here
 * plus, if it is stored, a migration.
 */
#ifndef CASEY_KINDS_H
#define CASEY_KINDS_H

#include <stdbool.h>
#include <stddef.h>

enum cs_coltype {
	CT_TEXT,	/* free text, trimmed */
	CT_LOWER,	/* short text stored lower-case (ticket status, channel) */
	CT_ID,		/* an identifier: non-empty, at most CS_ID_MAX bytes */
	CT_CUSTOMER,	/* a customer reference: by customer_id, else exact name */
	CT_FEATURE,	/* a feature reference: by feature_id, else exact name */
	CT_DAY,		/* a calendar date, stored YYYY-MM-DD */
	CT_TIME,	/* a date or date-time, stored ISO (UTC) */
	CT_MONEY,	/* a non-negative amount: "1,234.50", "$120k" */
	CT_REAL,	/* a non-negative decimal */
	CT_COUNT,	/* a non-negative whole number */
	CT_DAYS30,	/* days active in 30 days: 0..31 */
	CT_BOOL,	/* yes/no */
	CT_STATUS,	/* customer status: active, cancel_requested, ... */
	CT_SENTIMENT,	/* positive, neutral, frustrated, angry */
	CT_LEVEL,	/* low, medium, high (urgency, impact; P0..P4, urgent) */
	CT_NPS,		/* 0..10 */
	CT_CSAT,	/* 1..5, or Good/Bad (stored in a second column) */
	CT_PAYMENT,	/* payment status: paid, pending, overdue, failed, refunded, void */
	CT_CHANGE,	/* plan change: upgrade, downgrade, cancel */
	CT_REVIEW,	/* a business-review type of assets/plans.ini (key, label, alias) */
	CT_RATING,	/* 1..5 */
};

#define CS_ID_MAX 200

enum {
	CF_REQUIRED = 1 << 0,	/* the column must be in the file and non-empty */
	CF_KEY	    = 1 << 1,	/* part of the row's identity (upsert key) */
	CF_OPTKEY   = 1 << 2,	/* identity when present, else derived (response_id) */
};

struct cs_column {
	const char *name;	/* canonical name, as in PRODUCT.md */
	enum cs_coltype type;
	unsigned flags;
	const char *db;		/* stored in this column; NULL = not stored */
	const char *db2;	/* CT_CSAT: the Good/Bad column */
	const char *aliases;	/* normalised aliases, '|'-separated */
	const char *dflt;	/* parsed in place of an empty field; NULL = store NULL */
};

struct cs_kind {
	const char *name;	/* "customers", ... */
	const char *table;
	int rank;		/* import order: lower ranks first (dependencies) */
	const struct cs_column *cols;
	int ncols;
	/*
	 * Kinds whose rows have no natural id (outreach, and nps/csat without
	 * a response_id) are keyed by a derived text column: the values of
	 * the columns named here, plus the row's occurrence number among
	 * identical ones in the file, so re-importing a file is idempotent and
	 * two identical answers stay two.
	 */
	const char *derived_key;	/* db column holding it, or NULL */
	const char *derived_from;	/* canonical names, ',' separated */
	/*
	 * A db column set, when a row is inserted, to the import's day
	 * (cs_import_opts.today) and left alone on re-import: when a
	 * business review was logged in casey. NULL for none.
	 */
	const char *stamp;
	/*
	 * The db column that dates a row for the retention purge (purge.c
	 * deletes the rows dated before its cutoff), or NULL for kinds it
	 * keeps. An import leaves out the rows dated before the latest
	 * purge's cutoff: stored again, the next purge would count them in
	 * the monthly aggregates a second time.
	 */
	const char *purged_by;
};

extern const struct cs_kind cs_kinds[];
extern const int cs_nkinds;

/* The kind named name (canonical, case-insensitive), or NULL. */
const struct cs_kind *cs_kind_find(const char *name);
/*
 * The canonical word a normalised value of a CT_PAYMENT or CT_CHANGE
 * column names ("Card declined" -> "failed"), or NULL; *what is set to the
 * accepted words, for the error message.
 */
const char *cs_kind_word(enum cs_coltype type, const char *norm, const char **what);
/* Index of the canonical column name in kind, or -1. */
int cs_kind_column(const struct cs_kind *kind, const char *name);

/*
 * Normalise a header cell for matching: ASCII letters lower-cased, digits
 * kept, everything else (spaces, punctuation, non-ASCII) dropped.
 * "Customer ID" and "customer_id" both become "customerid".
 */
void cs_header_norm(const char *in, char *out, size_t size);

/*
 * How well a header cell names column c: 0 not at all, 3 the canonical
 * name, 2 the first alias, 1 a later alias. Input is normalised.
 */
int cs_column_match(const struct cs_column *c, const char *norm);

#endif
