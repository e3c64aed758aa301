/*
 * import.c — CSV exports into the database. See import.h.
 *
 * The file is mapped into memory and fed to libcsv one physical line at a
 * time, so that every record knows the line it starts on (libcsv itself
 * keeps no line numbers). Each complete record goes through the header
 * logic until the kind is known, then through typed validation and one
 * prepared upsert statement. Nothing is committed until the whole file has
 * been read without an error.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>
#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"
#include "casey/kinds.h"
#include "casey/mapping.h"
#include "casey/plans.h"
#include "casey/value.h"
#include "keyset.h"
#include "text.h"

/* How many leading rows may precede the header (report titles, notes). */
#define PREAMBLE_MAX 10
/* Files smaller than this never show a progress line. */
#define PROGRESS_MIN_BYTES (4u << 20)
#define MAX_KCOLS 24
/*
 * libcsv grows its field buffer by this much at a time (its default, 128
 * bytes, makes a long field cost a realloc per 128 bytes), and is fed at
 * most this much at a time, so that a field over CS_FIELD_MAX is cut off
 * while it is read instead of being held whole in memory.
 */
#ifndef CSV_BLOCK
#define CSV_BLOCK (64u << 10)
#endif

struct field {
	size_t off, len;
};

/* One column's parsed value, ready to bind. */
struct value {
	enum { V_NULL, V_TEXT, V_INT, V_REAL } type;
	const char *text;
	int len;
	int64_t i;
	double r;
	int good;	/* CT_CSAT: -1 none, 0 Bad, 1 Good */
	char buf[CS_ID_MAX + 1];	/* formatted dates, resolved ids */
};

struct importer {
	sqlite3 *db;
	const struct cs_import_opts *opts;
	struct cs_diag *diag;
	const char *path;
	const struct cs_mapping *map;

	struct csv_parser csv;
	char *data;
	size_t dlen, dcap;
	struct field *f;
	int nf, fcap;
	int long_field;		/* index of a field over CS_FIELD_MAX, or -1 */
	long extra_fields;	/* fields of the record beyond CS_FIELDS_MAX */
	bool long_record;	/* the record is over CS_RECORD_MAX bytes */
	long line;		/* the physical line being fed */
	long rec_line;		/* the line the current record started on */
	bool boundary;		/* between records */
	int preamble;		/* rows read before the header */
	long nohdr_line;	/* the first row, and why it is not a header */
	char nohdr[320];
	bool stop;		/* a fatal error: read no further */
	bool peek;		/* only find the kind (import ordering) */

	const struct cs_kind *kind;
	int nhdr;
	char **hdr;		/* header cells as written, for messages */
	int *colmap;		/* file column -> kind column, or -1 */
	int kfile[MAX_KCOLS];	/* kind column -> file column, or -1 */
	bool has_optkey;	/* the file carries the optional key column */

	sqlite3_stmt *upsert, *cust_id, *cust_name, *feat_id, *feat_name;
	struct last_ref {
		char id[CS_ID_MAX + 1];
		int len;	/* -1: none yet */
	} last_ref[2];		/* the last customer, feature found by id */
	int param[MAX_KCOLS], param2[MAX_KCOLS], key_param, stamp_param;
	struct cs_plans_def *plans;	/* CT_REVIEW: assets/plans.ini's review types */
	struct value val[MAX_KCOLS];
	char *keybuf;
	size_t keycap;
	struct keyset seen;
	uint64_t key_hash;	/* the row's key, to look up in seen */
	bool key_pending;	/* key_hash not looked up yet */

	long footer_line;	/* first pending footer-like row, 0 if none */
	int footer_col;		/* the required column it left empty */
	long nfooters;

	long before;		/* rows in the table when the file started */
	long rows, changed, skipped, bad;
	int purged_col;		/* the kind column dating a row for purges, or -1 */
	char purged_before[11];	/* the latest purge's cutoff ("" none) */
	long purged;		/* rows left out: dated before it */
	int listed;		/* errors printed so far */

	size_t size, fed;
	const char *line_end, *end;	/* the line being fed ends here; the file */
	struct timespec last_progress;

	/* Secondary indexes dropped for the load, recreated before it ends. */
	char **idx_sql;
	int nidx;
};

/* ---- messages ----------------------------------------------------------- */

/* Quote a value for a message: at most 60 bytes, cut on a UTF-8 boundary. */
static const char *shown(const char *s, size_t len, char *buf, size_t size)
{
	size_t n = len;

	if (n > 60) {
		n = 60;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		snprintf(buf, size, "%.*s…", (int)n, s);
	} else {
		snprintf(buf, size, "%.*s", (int)n, s);
	}
	return buf;
}

static const char *colname(struct importer *im, int kc)
{
	int fc = im->kfile[kc];

	return fc >= 0 && fc < im->nhdr ? im->hdr[fc] : im->kind->cols[kc].name;
}

/*
 * Report a bad row. Without --skip-bad the file fails: the first
 * CS_IMPORT_MAX_ERRORS are listed, the rest counted. With it, every
 * skipped row is listed as a warning.
 */
__attribute__((format(printf, 3, 4)))
static void row_error(struct importer *im, long line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	im->bad++;
	if (im->opts->skip_bad) {
		im->skipped++;
		cs_warn(im->diag, "%s:%ld: %s (row skipped)", im->path, line, msg);
		return;
	}
	if (im->listed++ < CS_IMPORT_MAX_ERRORS)
		cs_error(im->diag, "%s:%ld: %s", im->path, line, msg);
}

static void fatal(struct importer *im, long line, const char *msg)
{
	if (line > 0)
		cs_error(im->diag, "%s:%ld: %s", im->path, line, msg);
	else
		cs_error(im->diag, "%s: %s", im->path, msg);
	im->bad++;
	im->stop = true;
}

/* ---- values ------------------------------------------------------------- */

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

struct word {
	const char *norm;
	const char *value;
};

/* Look a normalised word up in a '|'-separated synonym table. */
static const char *lookup_word(const struct word *table, const char *norm)
{
	const struct word *w;

	for (w = table; w->norm; w++) {
		const char *p = w->norm;
		size_t len = strlen(norm);

		while (*p) {
			const char *end = strchr(p, '|');

			if (!end)
				end = p + strlen(p);
			if ((size_t)(end - p) == len && !memcmp(p, norm, len))
				return w->value;
			p = *end ? end + 1 : end;
		}
	}
	return NULL;
}

static const struct word status_words[] = {
	{ "active|activecustomer|customer|live|current|paying|renewed", "active" },
	{ "cancelrequested|cancellationrequested|cancelrequest|pendingcancellation|"
	  "cancelling|canceling|nonrenewing|notrenewing", "cancel_requested" },
	{ "downgraderequested|downgraderequest|pendingdowngrade|downgrading",
	  "downgrade_requested" },
	{ "churned|churn|cancelled|canceled|lost|closedlost|inactive|former", "churned" },
	{ NULL, NULL },
};

static const struct word sentiment_words[] = {
	{ "positive|pos|satisfied|happy", "positive" },
	{ "neutral|neu|mixed", "neutral" },
	{ "frustrated|negative|neg|unhappy|annoyed|dissatisfied", "frustrated" },
	{ "angry|verynegative|furious|hostile", "angry" },
	{ NULL, NULL },
};

static const struct word level_words[] = {
	{ "high|urgent|critical|highest|blocker|severe|p0|p1|sev1|sev2|s1|s2", "high" },
	{ "medium|normal|moderate|med|p2|sev3|s3", "medium" },
	{ "low|lowest|minor|trivial|p3|p4|sev4|s4", "low" },
	{ NULL, NULL },
};

static const struct word good_words[] = {
	{ "good|goodwithcomment|satisfied|positive|thumbsup", "1" },
	{ "bad|badwithcomment|unsatisfied|dissatisfied|negative|thumbsdown", "0" },
	{ "offered|unoffered|notoffered|none|na", "-" },
	{ NULL, NULL },
};

/*
 * The customer or feature a reference names: by id first, then exact name.
 * Exports group rows by customer (a customer's weekly usage rows, their
 * tickets), so the last id found is remembered: the tables referred to do
 * not change while a file that refers to them is read.
 */
static int resolve_ref(struct importer *im, sqlite3_stmt *by_id, sqlite3_stmt *by_name,
		       const char *s, size_t len, struct value *v, const char **why)
{
	struct last_ref *last = &im->last_ref[by_id == im->feat_id];
	int rc, matches = 0;

	if ((size_t)last->len == len && !memcmp(last->id, s, len)) {
		v->type = V_TEXT;
		v->text = s;
		v->len = (int)len;
		return 0;
	}
	sqlite3_reset(by_id);
	sqlite3_bind_text(by_id, 1, s, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(by_id);
	if (rc == SQLITE_ROW) {
		if (len < sizeof(last->id)) {
			memcpy(last->id, s, len);
			last->len = (int)len;
		}
		v->type = V_TEXT;
		v->text = s;
		v->len = (int)len;
		return 0;
	}
	sqlite3_reset(by_name);
	sqlite3_bind_text(by_name, 1, s, (int)len, SQLITE_STATIC);
	while ((rc = sqlite3_step(by_name)) == SQLITE_ROW) {
		if (matches++ == 0)
			snprintf(v->buf, sizeof(v->buf), "%s",
				 (const char *)sqlite3_column_text(by_name, 0));
	}
	if (rc != SQLITE_DONE) {
		*why = sqlite3_errmsg(im->db);
		return -1;
	}
	if (matches == 1) {
		v->type = V_TEXT;
		v->text = v->buf;
		v->len = (int)strlen(v->buf);
		return 0;
	}
	*why = matches ? "names several by name; use the id" : NULL;
	return -1;
}

/* The value quoted for a message: formatted only when there is one. */
#define Q shown(s, len, q, sizeof(q))

/*
 * Parse field s (trimmed, non-empty) for column c into v. Returns 0, or -1
 * with the message completed in msg.
 */
static int parse_value(struct importer *im, const struct cs_column *c,
		       char *s, size_t len, struct value *v, char *msg, size_t msize)
{
	const char *why = NULL;
	char norm[64], q[96];
	struct cs_time t;
	const char *word;

	v->type = V_NULL;
	v->good = -1;
	switch (c->type) {
	case CT_ID:
		if (len > CS_ID_MAX) {
			snprintf(msg, msize, "'%s' is longer than %d characters", Q, CS_ID_MAX);
			return -1;
		}
		if (cs_has_control(s, len)) {
			snprintf(msg, msize, "'%s' contains a control character", Q);
			return -1;
		}
		/* fall through */
	case CT_TEXT:
		v->type = V_TEXT;
		v->text = s;
		v->len = (int)len;
		return 0;
	case CT_LOWER:
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x80)
				s[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
		v->type = V_TEXT;
		v->text = s;
		v->len = (int)len;
		return 0;
	case CT_CUSTOMER:
	case CT_FEATURE:
		if (!resolve_ref(im, c->type == CT_CUSTOMER ? im->cust_id : im->feat_id,
				 c->type == CT_CUSTOMER ? im->cust_name : im->feat_name,
				 s, len, v, &why))
			return 0;
		if (why)
			snprintf(msg, msize, "'%s' %s", Q, why);
		else
			snprintf(msg, msize, "unknown %s '%s'",
				 c->type == CT_CUSTOMER ? "customer" : "feature", Q);
		return -1;
	case CT_DAY:
	case CT_TIME:
		if (cs_parse_time(s, im->opts->date_format, &t, &why))
			break;
		if (c->type == CT_DAY && t.has_time) {
			t.epoch -= ((t.epoch % 86400) + 86400) % 86400;
			t.has_time = false;
		}
		cs_format_time(&t, v->buf);
		v->type = V_TEXT;
		v->text = v->buf;
		v->len = (int)strlen(v->buf);
		return 0;
	case CT_MONEY:
	case CT_REAL:
		if (cs_parse_decimal(s, &v->r, &why))
			break;
		if (v->r < 0) {
			snprintf(msg, msize, "'%s' must not be negative", Q);
			return -1;
		}
		v->type = V_REAL;
		return 0;
	case CT_COUNT:
	case CT_DAYS30:
	case CT_NPS:
		if (cs_parse_int(s, &v->i, &why))
			break;
		if (v->i < 0) {
			snprintf(msg, msize, "'%s' must not be negative", Q);
			return -1;
		}
		if (c->type == CT_DAYS30 && v->i > 31) {
			snprintf(msg, msize, "'%s' is more days than a month has (0-31)", Q);
			return -1;
		}
		if (c->type == CT_NPS && v->i > 10) {
			snprintf(msg, msize, "'%s' is not an NPS score (0-10)", Q);
			return -1;
		}
		v->type = V_INT;
		return 0;
	case CT_BOOL: {
		int b;

		if (cs_parse_bool(s, &b, &why))
			break;
		v->type = V_INT;
		v->i = b;
		return 0;
	}
	case CT_STATUS:
	case CT_SENTIMENT:
	case CT_LEVEL:
		cs_header_norm(s, norm, sizeof(norm));
		word = lookup_word(c->type == CT_STATUS ? status_words :
				   c->type == CT_SENTIMENT ? sentiment_words : level_words,
				   norm);
		if (!word) {
			snprintf(msg, msize, "'%s' is not %s", Q,
				 c->type == CT_STATUS ?
				 "a status (active, cancel_requested, downgrade_requested, churned)" :
				 c->type == CT_SENTIMENT ?
				 "a sentiment (positive, neutral, frustrated, angry)" :
				 "a level (low, medium, high)");
			return -1;
		}
		v->type = V_TEXT;
		v->text = word;
		v->len = (int)strlen(word);
		return 0;
	case CT_PAYMENT:
	case CT_CHANGE: {
		const char *what;

		cs_header_norm(s, norm, sizeof(norm));
		if (!(word = cs_kind_word(c->type, norm, &what))) {
			snprintf(msg, msize, "'%s' is not %s", Q, what);
			return -1;
		}
		v->type = V_TEXT;
		v->text = word;
		v->len = (int)strlen(word);
		return 0;
	}
	case CT_REVIEW: {
		int rt = cs_review_type_match(im->plans, s);
		char keys[256];

		if (rt < 0) {
			cs_review_type_keys(im->plans, keys, sizeof(keys));
			snprintf(msg, msize, "'%s' is not a business-review type (%s, or a label "
				 "or alias in plans.ini)", Q, keys);
			return -1;
		}
		v->type = V_TEXT;
		v->text = im->plans->reviews[rt].key;
		v->len = (int)strlen(v->text);
		return 0;
	}
	case CT_RATING:
		if (!cs_parse_int(s, &v->i, &why) && v->i >= 1 && v->i <= 5) {
			v->type = V_INT;
			return 0;
		}
		snprintf(msg, msize, "'%s' is not a rating (1-5)", Q);
		return -1;
	case CT_CSAT:
		cs_header_norm(s, norm, sizeof(norm));
		word = lookup_word(good_words, norm);
		if (word) {
			if (*word != '-')
				v->good = *word - '0';
			return 0;
		}
		if (!cs_parse_int(s, &v->i, &why) && v->i >= 1 && v->i <= 5) {
			v->type = V_INT;
			return 0;
		}
		snprintf(msg, msize, "'%s' is not a rating (1-5, Good or Bad)", Q);
		return -1;
	}
	snprintf(msg, msize, "'%s' %s", Q, why ? why : "is not valid");
	return -1;
}
#undef Q

static long count_rows(sqlite3 *db, const char *table);

/* ---- secondary indexes -------------------------------------------------- */

/*
 * Filling a table whose secondary indexes are kept up to date costs a
 * B-tree search per index per row, in key order that is random; building
 * an index afterwards sorts its keys once. So when a file brings many more
 * rows than the table holds, the table's plain (non-unique, declared)
 * indexes are dropped when the header is read and recreated, by the very
 * statement SQLite stored for each, when the file is done -- all inside
 * the file's transaction, so a file that fails leaves them exactly as they
 * were. Unique indexes stay: they are constraints the upsert relies on.
 */
#define INDEX_DROP_MIN_ROWS 4096
/* How many bytes past the header the rows are counted in, to guess the file's. */
#define INDEX_SAMPLE_BYTES (1u << 20)

/* Keys reserved up front at most (16 bytes each, twice over). */
#define RESERVE_MAX_ROWS (16L << 20)

/*
 * A guess at the rows after the header: the records of a sample (line
 * ends outside quotes), scaled to the rest of the file.
 */
static long estimate_rows(const struct importer *im)
{
	const char *p = im->line_end, *q, *end;
	size_t left, sample;
	long rows = 0;
	bool quoted = false;

	if (!p || p >= im->end)
		return 0;
	left = (size_t)(im->end - p);
	sample = left < INDEX_SAMPLE_BYTES ? left : INDEX_SAMPLE_BYTES;
	end = p + sample;
	for (q = p; q < end; q++) {
		if (*q == '"')
			quoted = !quoted;
		else if (*q == '\n' && !quoted)
			rows++;
	}
	if (sample < left)
		return (long)((double)rows * (double)left / (double)sample);
	return rows + (end[-1] != '\n');
}

/*
 * Drop the table's plain indexes, keeping the statements that made them.
 * The names and statements are SQLite's own record of the schema casey's
 * migrations created (tests/sql-check.pl allows this function by name).
 */
static int drop_indexes(struct importer *im)
{
	static const char list[] =
		"SELECT s.name, s.sql FROM pragma_index_list(?1) AS l "
		"JOIN sqlite_master AS s ON s.type = 'index' AND s.name = l.name "
		"WHERE l.\"unique\" = 0 AND l.origin = 'c' AND s.tbl_name = ?1 "
		"AND s.sql IS NOT NULL ORDER BY s.name";
	sqlite3_stmt *st;
	char **names = NULL;
	int i, n = 0, rc;

	if (sqlite3_prepare_v2(im->db, list, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, im->kind->table, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **nn = realloc(names, (size_t)(n + 1) * sizeof(*nn));
		char **ns = realloc(im->idx_sql, (size_t)(n + 1) * sizeof(*ns));

		if (nn)
			names = nn;
		if (ns)
			im->idx_sql = ns;
		if (!nn || !ns)
			break;
		names[n] = sqlite3_mprintf("DROP INDEX \"%w\"",
					   (const char *)sqlite3_column_text(st, 0));
		im->idx_sql[n] = strdup((const char *)sqlite3_column_text(st, 1));
		n++;
		if (!names[n - 1] || !im->idx_sql[n - 1])
			break;
	}
	sqlite3_finalize(st);
	im->nidx = n;	/* freed by importer_release(), recreated only on success */
	if (rc != SQLITE_DONE) {
		for (i = 0; i < n; i++)
			sqlite3_free(names[i]);
		free(names);
		if (rc == SQLITE_ROW) {
			fatal(im, 0, "out of memory");
			return -1;
		}
		goto fail;
	}
	for (i = 0; i < n; i++) {
		rc = sqlite3_exec(im->db, names[i], NULL, NULL, NULL);
		sqlite3_free(names[i]);
		if (rc != SQLITE_OK) {
			for (i++; i < n; i++)
				sqlite3_free(names[i]);
			free(names);
			goto fail;
		}
	}
	free(names);
	return 0;
fail:
	cs_db_error(im->db, im->diag, im->path);
	im->bad++;
	im->stop = true;
	return -1;
}

/* Recreate what drop_indexes() dropped (allowed by name in tests/sql-check.pl). */
static int recreate_indexes(struct importer *im)
{
	int i;

	for (i = 0; i < im->nidx; i++) {
		if (sqlite3_exec(im->db, im->idx_sql[i], NULL, NULL, NULL) != SQLITE_OK) {
			cs_db_error(im->db, im->diag, im->path);
			return -1;
		}
	}
	return 0;
}

/* ---- header ------------------------------------------------------------- */

static const char *field_str(struct importer *im, int i)
{
	return im->data + im->f[i].off;
}

/* Which kind column a header cell names, honouring the mapping profile. */
static int header_column(struct importer *im, const struct cs_kind *k,
			 const char *norm, int *strength)
{
	int best = -1, bs = 0, i, s;

	if (im->map && im->map->kind == k) {
		i = cs_mapping_lookup(im->map, norm);
		if (i != -2) {
			*strength = 4;
			return i;
		}
	}
	for (i = 0; i < k->ncols; i++) {
		s = cs_column_match(&k->cols[i], norm);
		if (s > bs) {
			bs = s;
			best = i;
		}
	}
	*strength = bs;
	return best;
}

/*
 * Map the header row onto kind k. Returns the number of columns matched,
 * or -1 if a required column is missing (its index in *missing).
 */
static int match_header(struct importer *im, const struct cs_kind *k, int *colmap,
			int *kfile, int *missing)
{
	int strength[MAX_KCOLS] = { 0 };
	int i, kc, s, matched = 0;
	char norm[128];

	for (i = 0; i < k->ncols; i++)
		kfile[i] = -1;
	for (i = 0; i < im->nf; i++) {
		colmap[i] = -1;
		cs_header_norm(field_str(im, i), norm, sizeof(norm));
		kc = header_column(im, k, norm, &s);
		if (kc < 0)
			continue;
		/* Two cells naming one column: the stronger (or first) wins. */
		if (kfile[kc] >= 0 && strength[kc] >= s)
			continue;
		if (kfile[kc] >= 0)
			colmap[kfile[kc]] = -1;
		else
			matched++;
		kfile[kc] = i;
		colmap[i] = kc;
		strength[kc] = s;
	}
	for (i = 0; i < k->ncols; i++) {
		if ((k->cols[i].flags & CF_REQUIRED) && kfile[i] < 0) {
			*missing = i;
			return -1;
		}
	}
	return matched;
}

static void required_list(const struct cs_kind *k, char *buf, size_t size)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < k->ncols && n < size; i++)
		if (k->cols[i].flags & CF_REQUIRED)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
					      k->cols[i].name);
}

static int prepare(struct importer *im, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v3(im->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL)) {
		cs_db_error(im->db, im->diag, im->path);
		im->stop = true;
		return -1;
	}
	return 0;
}

/* Append to a bounded SQL buffer; the statement text comes only from the kinds table. */
static void sql_add(char *sql, size_t size, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void sql_add(char *sql, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (*n < size)
		*n += (size_t)vsnprintf(sql + *n, size - *n, fmt, ap);
	va_end(ap);
}

/*
 * Build the upsert for the columns this file carries. Columns the file
 * does not have are left alone on update, so a partial export (a CRM
 * without ARR) never blanks what another file set. The text is made of the
 * static kinds table's names only, every value is a ?N parameter
 * (tests/sql-check.pl allows this builder by name).
 */
static int build_upsert(struct importer *im)
{
	const struct cs_kind *k = im->kind;
	char sql[4096], set[2048], differ[2048], keys[256];
	size_t n = 0, ns = 0, nd = 0, nk = 0;
	int i, p = 0;

	set[0] = differ[0] = keys[0] = '\0';
	sql_add(sql, sizeof(sql), &n, "INSERT INTO %s (", k->table);
	for (i = 0; i < k->ncols; i++) {
		const struct cs_column *c = &k->cols[i];

		im->param[i] = im->param2[i] = 0;
		if (!c->db || im->kfile[i] < 0)
			continue;
		if (c->flags & CF_OPTKEY)
			continue;	/* bound through key_param */
		sql_add(sql, sizeof(sql), &n, "%s%s", p ? "," : "", c->db);
		im->param[i] = ++p;
		if (c->flags & CF_KEY)
			sql_add(keys, sizeof(keys), &nk, "%s%s", nk ? "," : "", c->db);
		else {
			sql_add(set, sizeof(set), &ns, "%s%s=excluded.%s", ns ? "," : "",
				c->db, c->db);
			sql_add(differ, sizeof(differ), &nd, "%s%s IS NOT excluded.%s",
				nd ? " OR " : "", c->db, c->db);
		}
		if (c->db2) {
			sql_add(sql, sizeof(sql), &n, ",%s", c->db2);
			im->param2[i] = ++p;
			sql_add(set, sizeof(set), &ns, ",%s=excluded.%s", c->db2, c->db2);
			sql_add(differ, sizeof(differ), &nd, " OR %s IS NOT excluded.%s",
				c->db2, c->db2);
		}
	}
	im->key_param = 0;
	if (k->derived_key) {
		sql_add(sql, sizeof(sql), &n, ",%s", k->derived_key);
		im->key_param = ++p;
		sql_add(keys, sizeof(keys), &nk, "%s", k->derived_key);
	}
	/* set on insert only: not in the update's SET */
	im->stamp_param = 0;
	if (k->stamp) {
		sql_add(sql, sizeof(sql), &n, ",%s", k->stamp);
		im->stamp_param = ++p;
	}
	sql_add(sql, sizeof(sql), &n, ") VALUES (");
	for (i = 1; i <= p; i++)
		sql_add(sql, sizeof(sql), &n, i == im->stamp_param ? "%scoalesce(?%d,date('now'))" :
			"%s?%d", i > 1 ? "," : "", i);
	if (ns)
		sql_add(sql, sizeof(sql), &n, ") ON CONFLICT(%s) DO UPDATE SET %s WHERE %s",
			keys, set, differ);
	else
		sql_add(sql, sizeof(sql), &n, ") ON CONFLICT(%s) DO NOTHING", keys);
	if (n >= sizeof(sql)) {
		fatal(im, 0, "internal error: statement too long");
		return -1;
	}
	return prepare(im, &im->upsert, sql);
}

static void note_ignored_columns(struct importer *im)
{
	char list[512], norm[128];
	size_t n = 0;
	int i, count = 0;

	for (i = 0; i < im->nf; i++) {
		if (im->colmap[i] >= 0)
			continue;
		cs_header_norm(field_str(im, i), norm, sizeof(norm));
		if (im->map && cs_mapping_lookup(im->map, norm) == -1)
			continue;	/* the profile says: ignore silently */
		if (!norm[0] && !im->f[i].len)
			continue;	/* an unnamed trailing column */
		if (count++ < 6 && n < sizeof(list)) {
			char q[96];

			shown(field_str(im, i), im->f[i].len, q, sizeof(q));
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s'%s'",
					      n ? ", " : "", q);
		}
	}
	if (count > 6)
		cs_note(im->diag, "%s: ignoring %d columns casey does not use: %s and %d more",
			im->path, count, list, count - 6);
	else if (count)
		cs_note(im->diag, "%s: ignoring %d column%s casey does not use: %s",
			im->path, count, count == 1 ? "" : "s", list);
}

/* Does the file's name (not its directory) mention the kind: "nps.csv"? */
static bool name_says(const char *path, const char *kind)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(kind);

	for (; *base; base++)
		if (!strncasecmp(base, kind, n))
			return true;
	return false;
}

/*
 * The configuration the kind's column types read (assets/plans.ini for a
 * business-review type), loaded once the kind is known. 0, or -1 after
 * reporting (FILE:LINE of the broken file).
 */
static int load_config(struct importer *im)
{
	for (int i = 0; i < im->kind->ncols; i++) {
		if (im->kind->cols[i].type != CT_REVIEW || im->plans)
			continue;
		im->plans = malloc(sizeof(*im->plans));
		if (!im->plans || cs_plans_def_load(NULL, im->plans, im->diag)) {
			if (!im->plans)
				cs_error(im->diag, "out of memory");
			im->bad++;
			im->stop = true;
			return -1;
		}
	}
	return 0;
}

/* Is this record the header? If so set up the kind and the statements. */
/*
 * The latest retention purge's cutoff, for a kind it deletes: rows dated
 * before it are left out (kinds.h, purged_by). Help-desk and survey
 * exports usually hold the whole history, so a daily import after a
 * purge would otherwise store the purged events again.
 */
static int purge_cutoff(struct importer *im)
{
	static const char sql[] = "SELECT max(cutoff) FROM purges";
	const struct cs_kind *k = im->kind;
	sqlite3_stmt *st;
	int i, rc;

	im->purged_col = -1;
	if (!k->purged_by)
		return 0;
	for (i = 0; i < k->ncols; i++)
		if (k->cols[i].db && !strcmp(k->cols[i].db, k->purged_by))
			im->purged_col = i;
	if (im->purged_col < 0)
		return 0;
	if (sqlite3_prepare_v2(im->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fatal(im, 0, sqlite3_errmsg(im->db));
		return -1;
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		snprintf(im->purged_before, sizeof(im->purged_before), "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		fatal(im, 0, sqlite3_errmsg(im->db));
		return -1;
	}
	if (strlen(im->purged_before) != 10)
		im->purged_col = -1;
	return 0;
}

/* Is the row dated before the latest purge's cutoff? (Its date is stored ISO.) */
static bool purged_row(const struct importer *im)
{
	const struct value *v;

	if (im->purged_col < 0)
		return false;
	v = &im->val[im->purged_col];
	return v->type == V_TEXT && v->len >= 10 && memcmp(v->text, im->purged_before, 10) < 0;
}

static void handle_header(struct importer *im)
{
	int *map = calloc((size_t)im->nf, sizeof(int)), *best_map = NULL;
	int kfile[MAX_KCOLS], best_kfile[MAX_KCOLS], missing = -1, first_missing = -1;
	const struct cs_kind *best = NULL, *forced = NULL, *first_kind = NULL;
	int i, score, best_score = 0, ties = 0;
	long est;
	char tied[160] = "";
	char req[256];

	if (!map) {
		fatal(im, im->rec_line, "out of memory");
		return;
	}
	if (im->opts->kind)
		forced = cs_kind_find(im->opts->kind);
	else if (im->map)
		forced = im->map->kind;
	for (i = 0; i < cs_nkinds; i++) {
		const struct cs_kind *k = &cs_kinds[i];

		if (forced && k != forced)
			continue;
		score = match_header(im, k, map, kfile, &missing);
		if (score < 0) {
			if (!first_kind) {
				first_kind = k;
				first_missing = missing;
			}
			continue;
		}
		if (score > best_score) {
			best_score = score;
			best = k;
			ties = 0;
			tied[0] = '\0';
			free(best_map);
			best_map = map;
			memcpy(best_kfile, kfile, sizeof(kfile));
			map = calloc((size_t)im->nf, sizeof(int));
			if (!map) {
				fatal(im, im->rec_line, "out of memory");
				free(best_map);
				return;
			}
		} else if (score == best_score && best) {
			/* Same strength: the file name may say which (nps.csv). */
			if (name_says(im->path, k->name) && !name_says(im->path, best->name)) {
				best = k;
				memcpy(best_kfile, kfile, sizeof(kfile));
				memcpy(best_map, map, (size_t)im->nf * sizeof(int));
				ties = 0;
				tied[0] = '\0';
			} else if (!(name_says(im->path, best->name) &&
				     !name_says(im->path, k->name))) {
				size_t n = strlen(tied);

				if (!ties++)
					n += (size_t)snprintf(tied, sizeof(tied), "%s", best->name);
				snprintf(tied + n, sizeof(tied) - n, ", %s", k->name);
			}
		}
	}
	free(map);
	if (!best) {
		free(best_map);
		/*
		 * Say what was wrong with the first row: it is the header the
		 * user meant, unless it turns out to be a title row.
		 */
		if (!im->preamble++) {
			im->nohdr_line = im->rec_line;
			if (forced) {
				required_list(forced, req, sizeof(req));
				snprintf(im->nohdr, sizeof(im->nohdr), "no column for '%s' "
					 "in the header (a %s file needs %s)",
					 forced->cols[first_missing].name, forced->name, req);
			} else {
				snprintf(im->nohdr, sizeof(im->nohdr), "cannot tell what this "
					 "file holds: its header names no known kind's required "
					 "columns (e.g. customers need customer_id, name; tickets "
					 "need ticket_id, customer_id, created_at); give --kind "
					 "or --map");
			}
		}
		if (im->preamble > PREAMBLE_MAX)
			fatal(im, im->nohdr_line, im->nohdr);
		return;
	}
	if (ties) {
		char msg[256];

		free(best_map);
		snprintf(msg, sizeof(msg), "the header fits more than one kind of file "
			 "(%s); give --kind", tied);
		fatal(im, im->rec_line, msg);
		return;
	}
	im->kind = best;
	im->colmap = best_map;
	if (im->peek) {
		im->stop = true;
		return;
	}
	memcpy(im->kfile, best_kfile, sizeof(best_kfile));
	im->nhdr = im->nf;
	im->hdr = calloc((size_t)im->nf, sizeof(char *));
	if (!im->hdr) {
		fatal(im, im->rec_line, "out of memory");
		return;
	}
	for (i = 0; i < im->nf; i++) {
		char q[96];

		shown(field_str(im, i), im->f[i].len, q, sizeof(q));
		im->hdr[i] = strdup(q);
		if (!im->hdr[i]) {
			fatal(im, im->rec_line, "out of memory");
			return;
		}
	}
	for (i = 0; i < best->ncols; i++)
		if ((best->cols[i].flags & CF_OPTKEY) && im->kfile[i] >= 0)
			im->has_optkey = true;
	note_ignored_columns(im);
	im->before = count_rows(im->db, best->table);
	est = estimate_rows(im);
	/* Out of memory here is not an error: the set grows as it goes. */
	keyset_reserve(&im->seen, (size_t)(est < RESERVE_MAX_ROWS ? est : RESERVE_MAX_ROWS));
	if (im->before >= 0 && est >= INDEX_DROP_MIN_ROWS && est >= 2 * im->before &&
	    drop_indexes(im))
		return;
	if (load_config(im) || build_upsert(im) ||
	    prepare(im, &im->cust_id, "SELECT 1 FROM customers WHERE customer_id = ?1") ||
	    prepare(im, &im->cust_name, "SELECT customer_id FROM customers WHERE name = ?1 LIMIT 2") ||
	    prepare(im, &im->feat_id, "SELECT 1 FROM features WHERE feature_id = ?1") ||
	    prepare(im, &im->feat_name, "SELECT feature_id FROM features WHERE name = ?1 LIMIT 2"))
		return;
	if (purge_cutoff(im))
		return;
	/* bound once: sqlite3_reset() keeps it */
	if (im->stamp_param && im->opts->today)
		sqlite3_bind_text(im->upsert, im->stamp_param, im->opts->today, -1, SQLITE_STATIC);
}

/* ---- rows --------------------------------------------------------------- */

/*
 * A summary or footer row of a report export ("Total,,,1234", "Generated
 * by ..."): the first required column is empty and the row says little.
 */
static bool footer_like(struct importer *im, int *empty_col)
{
	static const char *const words[] = {
		"total", "sum", "count", "summary", "average", "report",
		"generated", "exported", "filtered", "rows", NULL,
	};
	int i, nonempty = 0, first = -1, kc, key = -1;
	const char *s;

	*empty_col = -1;
	for (kc = 0; kc < im->kind->ncols && *empty_col < 0; kc++) {
		size_t len;

		if (!(im->kind->cols[kc].flags & CF_REQUIRED))
			continue;
		if (key < 0)
			key = kc;
		i = im->kfile[kc];
		s = i < im->nf ? field_str(im, i) : "";
		len = i < im->nf ? im->f[i].len : 0;
		trim(&s, &len);
		if (!len)
			*empty_col = kc;
	}
	if (*empty_col < 0)
		return false;
	for (i = 0; i < im->nf; i++) {
		size_t len = im->f[i].len;

		s = field_str(im, i);
		trim(&s, &len);
		if (len) {
			nonempty++;
			if (first < 0)
				first = i;
		}
	}
	/* "Total", "Generated by ..." (a whole word) opens a summary row. */
	s = field_str(im, first);
	while (*s == ' ')
		s++;
	for (i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);

		if (!strncasecmp(s, words[i], n) && !isalpha((unsigned char)s[n]))
			return true;
	}
	/* Or a near-empty row without the row's identity: ",,30". */
	return *empty_col == key && nonempty <= 2;
}

static bool blank_row(struct importer *im)
{
	int i;

	for (i = 0; i < im->nf; i++) {
		const char *s = field_str(im, i);
		size_t len = im->f[i].len;

		trim(&s, &len);
		if (len)
			return false;
	}
	return true;
}

static int key_append(struct importer *im, size_t *n, const char *s, size_t len)
{
	if (*n + len + 2 > im->keycap) {
		size_t cap = (im->keycap ? im->keycap * 2 : 256) + len;
		char *p = realloc(im->keybuf, cap);

		if (!p)
			return -1;
		im->keybuf = p;
		im->keycap = cap;
	}
	if (*n)
		im->keybuf[(*n)++] = '\x1f';
	memcpy(im->keybuf + *n, s, len);
	*n += len;
	im->keybuf[*n] = '\0';
	return 0;
}

static const char *value_text(struct value *v, char *buf, size_t size, size_t *len)
{
	switch (v->type) {
	case V_TEXT:
		*len = (size_t)v->len;
		return v->text;
	case V_INT:
		*len = (size_t)snprintf(buf, size, "%lld", (long long)v->i);
		return buf;
	case V_REAL:
		*len = (size_t)snprintf(buf, size, "%.17g", v->r);
		return buf;
	default:
		*len = 0;
		return "";
	}
}

/*
 * The row's identity: the key columns (or the derived key, numbered among
 * the identical rows seen in this file). A natural key is checked against
 * the rows already seen by key_seen(), after its slot has had time to come
 * into the cache. Returns 0, or -1 after reporting.
 */
static int row_identity(struct importer *im)
{
	const struct cs_kind *k = im->kind;
	size_t n = 0, len;
	char num[40];
	const char *s;
	bool derived = k->derived_key && !im->has_optkey;
	int i;
	uint32_t prev;

	if (k->derived_key && im->has_optkey) {
		for (i = 0; i < k->ncols; i++)
			if ((k->cols[i].flags & CF_OPTKEY) && im->val[i].type == V_NULL)
				derived = true;
	}
	if (derived) {
		const char *p = k->derived_from;

		while (*p) {
			size_t w = strcspn(p, ",");
			char name[32];

			snprintf(name, sizeof(name), "%.*s", (int)w, p);
			i = cs_kind_column(k, name);
			s = value_text(&im->val[i], num, sizeof(num), &len);
			if (key_append(im, &n, s, len))
				goto oom;
			p += w + (p[w] == ',');
		}
		/* The nth identical row in this file is "#n": stable on re-import. */
		prev = keyset_bump(&im->seen, im->keybuf, n);
		if (prev == KEYSET_OOM)
			goto oom;
		len = (size_t)snprintf(num, sizeof(num), "#%u", prev + 1);
		if (key_append(im, &n, num, len))
			goto oom;
		return 0;
	}
	for (i = 0; i < k->ncols; i++) {
		if (!(k->cols[i].flags & (CF_KEY | CF_OPTKEY)))
			continue;
		s = value_text(&im->val[i], num, sizeof(num), &len);
		if (key_append(im, &n, s, len))
			goto oom;
	}
	/* Looked up by key_seen(), once the slot is in the cache. */
	im->key_hash = keyset_hash(im->keybuf, n);
	keyset_prefetch(&im->seen, im->key_hash);
	im->key_pending = true;
	return 0;
oom:
	fatal(im, im->rec_line, "out of memory");
	return -1;
}

/*
 * The second half of row_identity() for rows with a natural key: has the
 * file had this key before? Returns 0, or -1 after reporting.
 */
static int key_seen(struct importer *im)
{
	const struct cs_kind *k = im->kind;
	size_t len;
	char num[40];
	const char *s;
	int i;
	uint32_t prev;

	if (!im->key_pending)
		return 0;
	im->key_pending = false;
	prev = keyset_put_hash(&im->seen, im->key_hash, (uint32_t)im->rec_line);
	if (prev == KEYSET_OOM) {
		fatal(im, im->rec_line, "out of memory");
		return -1;
	}
	if (prev) {
		char what[256], q[96];
		size_t w = 0;

		for (i = 0; i < k->ncols; i++) {
			if (!(k->cols[i].flags & (CF_KEY | CF_OPTKEY)))
				continue;
			s = value_text(&im->val[i], num, sizeof(num), &len);
			w += (size_t)snprintf(what + w, sizeof(what) - w, "%s%s '%s'",
					      w ? " and " : "", colname(im, i),
					      shown(s, len, q, sizeof(q)));
			if (w >= sizeof(what))
				break;
		}
		row_error(im, im->rec_line, "duplicate %s (first on line %u)", what, prev);
		return -1;
	}
	return 0;
}

static void bind_value(sqlite3_stmt *st, int param, struct value *v)
{
	switch (v->type) {
	case V_NULL:
		sqlite3_bind_null(st, param);
		break;
	case V_TEXT:
		sqlite3_bind_text(st, param, v->text, v->len, SQLITE_STATIC);
		break;
	case V_INT:
		sqlite3_bind_int64(st, param, v->i);
		break;
	case V_REAL:
		sqlite3_bind_double(st, param, v->r);
		break;
	}
}

static void process_row(struct importer *im)
{
	const struct cs_kind *k = im->kind;
	char msg[512], dflt[32];
	int i, empty_col, bad = 0;
	bool write;

	if (im->extra_fields) {
		im->rows++;
		row_error(im, im->rec_line, "%ld fields, more than casey reads in a row (%d)",
			  im->nf + im->extra_fields, CS_FIELDS_MAX);
		return;
	}
	if (im->long_record) {
		im->rows++;
		row_error(im, im->rec_line, "the row is longer than %d bytes (is a '\"' "
			  "missing?)", CS_RECORD_MAX);
		return;
	}
	if (im->long_field >= 0) {
		im->rows++;
		if (im->long_field < im->nhdr && im->colmap[im->long_field] >= 0)
			row_error(im, im->rec_line, "column '%s': the value is longer than "
				  "%d bytes", im->hdr[im->long_field], CS_FIELD_MAX);
		else
			row_error(im, im->rec_line, "field %d is longer than %d bytes",
				  im->long_field + 1, CS_FIELD_MAX);
		return;
	}
	if (blank_row(im))
		return;
	if (footer_like(im, &empty_col)) {
		if (!im->footer_line) {
			im->footer_line = im->rec_line;
			im->footer_col = empty_col;
		}
		im->nfooters++;
		return;
	}
	if (im->footer_line) {
		/* Not trailing after all: the earlier row was a bad data row. */
		im->rows++;
		row_error(im, im->footer_line, "column '%s': a value is required",
			  colname(im, im->footer_col));
		im->footer_line = 0;
		im->nfooters = 0;
	}
	im->rows++;
	for (i = im->nhdr; i < im->nf; i++) {
		const char *s = field_str(im, i);
		size_t len = im->f[i].len;

		trim(&s, &len);
		if (len) {
			row_error(im, im->rec_line, "%d fields, but the header has %d",
				  im->nf, im->nhdr);
			return;
		}
	}
	for (i = 0; i < k->ncols; i++) {
		const struct cs_column *c = &k->cols[i];
		int fc = im->kfile[i];
		const char *cs;
		char *s;
		size_t len;

		im->val[i].type = V_NULL;
		im->val[i].good = -1;
		if (fc < 0)
			continue;
		if (fc >= im->nf) {
			row_error(im, im->rec_line, "%d fields, but the header has %d",
				  im->nf, im->nhdr);
			return;
		}
		cs = field_str(im, fc);
		len = im->f[fc].len;
		trim(&cs, &len);
		s = (char *)cs;
		/* The byte after a field is ours: a NUL or the next field's separator copy. */
		if (len)
			s[len] = '\0';
		if (!len && c->dflt) {
			/* Copied: parse_value may lower-case in place. */
			snprintf(dflt, sizeof(dflt), "%s", c->dflt);
			s = dflt;
			len = strlen(dflt);
		} else if (!len) {
			if (c->flags & CF_REQUIRED) {
				row_error(im, im->rec_line, "column '%s': a value is required",
					  colname(im, i));
				bad = 1;
			}
			continue;
		}
		if (memchr(s, '\0', len)) {
			row_error(im, im->rec_line, "column '%s': contains a NUL byte",
				  colname(im, i));
			bad = 1;
			continue;
		}
		if (!cs_utf8_valid(s, len)) {
			row_error(im, im->rec_line, "column '%s': is not valid UTF-8 (save "
				  "the file as \"CSV UTF-8\")", colname(im, i));
			bad = 1;
			continue;
		}
		if (parse_value(im, c, s, len, &im->val[i], msg, sizeof(msg))) {
			row_error(im, im->rec_line, "column '%s': %s", colname(im, i), msg);
			bad = 1;
		}
	}
	if (bad)
		return;
	if (purged_row(im)) {
		im->purged++;
		return;
	}
	if (row_identity(im))
		return;
	/* Once the file fails, the rest is validated but nothing written. */
	write = !im->bad || im->opts->skip_bad;
	if (write) {
		sqlite3_reset(im->upsert);
		for (i = 0; i < k->ncols; i++) {
			if (im->param[i])
				bind_value(im->upsert, im->param[i], &im->val[i]);
			if (im->param2[i]) {
				if (im->val[i].good >= 0)
					sqlite3_bind_int(im->upsert, im->param2[i],
							 im->val[i].good);
				else
					sqlite3_bind_null(im->upsert, im->param2[i]);
			}
		}
		if (im->key_param)
			sqlite3_bind_text(im->upsert, im->key_param, im->keybuf, -1,
					  SQLITE_STATIC);
	}
	if (key_seen(im) || !write)
		return;
	if (sqlite3_step(im->upsert) != SQLITE_DONE) {
		char where[600];

		snprintf(where, sizeof(where), "%s:%ld", im->path, im->rec_line);
		cs_db_error(im->db, im->diag, where);
		im->bad++;
		im->stop = true;
		return;
	}
	im->changed += sqlite3_changes(im->db);
}

/* ---- libcsv callbacks --------------------------------------------------- */

static void on_field(void *s, size_t len, void *ctx)
{
	struct importer *im = ctx;

	if (im->stop)
		return;
	if (im->nf >= CS_FIELDS_MAX) {
		im->extra_fields++;	/* counted for the message, not kept */
		return;
	}
	if (im->nf == im->fcap) {
		int cap = im->fcap ? im->fcap * 2 : 64;
		struct field *f = realloc(im->f, (size_t)cap * sizeof(*f));

		if (!f) {
			fatal(im, im->rec_line, "out of memory");
			return;
		}
		im->f = f;
		im->fcap = cap;
	}
	/* Too long, or cut off while it was read (cut_field()): kept empty. */
	if (len > CS_FIELD_MAX || im->long_field == im->nf) {
		if (im->long_field < 0)
			im->long_field = im->nf;
		len = 0;
	}
	if (im->dlen + len + 1 > CS_RECORD_MAX) {
		im->long_record = true;
		len = 0;
	}
	if (im->dlen + len + 1 > im->dcap) {
		size_t cap = (im->dcap ? im->dcap * 2 : 4096) + len;
		char *d = realloc(im->data, cap);

		if (!d) {
			fatal(im, im->rec_line, "out of memory");
			return;
		}
		im->data = d;
		im->dcap = cap;
	}
	if (len)
		memcpy(im->data + im->dlen, s, len);
	im->data[im->dlen + len] = '\0';
	im->f[im->nf].off = im->dlen;
	im->f[im->nf].len = len;
	im->nf++;
	im->dlen += len + 1;
}

static void on_record(int term, void *ctx)
{
	struct importer *im = ctx;

	(void)term;
	if (!im->stop && !im->kind && (im->extra_fields || im->long_record)) {
		char msg[128];

		/* Not a header casey could use, nor the title row of a report. */
		if (im->extra_fields)
			snprintf(msg, sizeof(msg), "%ld fields, more than casey reads in a "
				 "row (%d)", im->nf + im->extra_fields, CS_FIELDS_MAX);
		else
			snprintf(msg, sizeof(msg), "the row is longer than %d bytes (is a "
				 "'\"' missing?)", CS_RECORD_MAX);
		fatal(im, im->rec_line, msg);
	}
	if (!im->stop) {
		if (!im->kind)
			handle_header(im);
		else
			process_row(im);
	}
	im->nf = 0;
	im->dlen = 0;
	im->long_field = -1;
	im->extra_fields = 0;
	im->long_record = false;
	im->boundary = true;
}

/*
 * The field being read has grown over CS_FIELD_MAX: mark it and drop what
 * libcsv holds of it, all but the last bytes its state machine may still
 * take back when the field ends (the blanks it counts in spaces, and a
 * closing quote), so memory stays bounded however long the field runs.
 * The struct is public in csv.h; entry_pos is the length held.
 */
static void cut_field(struct importer *im)
{
	struct csv_parser *c = &im->csv;
	size_t keep = c->spaces + 1;

	if (keep > c->entry_pos)
		keep = c->entry_pos;
	if (im->long_field < 0)
		im->long_field = im->nf;
	memmove(c->entry_buf, c->entry_buf + c->entry_pos - keep, keep);
	c->entry_pos = keep;
}

/* Parse one physical line, at most CSV_BLOCK bytes at a time. */
static int parse_line(struct importer *im, const char *p, size_t n)
{
	while (n && !im->stop) {
		size_t k = n < CSV_BLOCK ? n : CSV_BLOCK;

		if (csv_parse(&im->csv, p, k, on_field, on_record, im) != k)
			return -1;
		if (im->csv.entry_pos > CS_FIELD_MAX)
			cut_field(im);
		p += k;
		n -= k;
	}
	return 0;
}

/* ---- the file ----------------------------------------------------------- */

static unsigned char sniff_delimiter(const char *p, size_t n)
{
	size_t i, comma = 0, semi = 0, tab = 0;
	bool quoted = false;

	for (i = 0; i < n && p[i] != '\n' && p[i] != '\r'; i++) {
		if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && p[i] == ',')
			comma++;
		else if (!quoted && p[i] == ';')
			semi++;
		else if (!quoted && p[i] == '\t')
			tab++;
	}
	if (tab > comma && tab > semi)
		return '\t';
	if (semi > comma)
		return ';';
	return ',';
}

static void progress(struct importer *im)
{
	struct timespec now;
	double dt;

	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = (double)(now.tv_sec - im->last_progress.tv_sec) +
	     (double)(now.tv_nsec - im->last_progress.tv_nsec) / 1e9;
	if (dt < 0.2)
		return;
	im->last_progress = now;
	cs_report(im->diag, CS_PROGRESS, "%s: %3d%% (%ld rows)", im->path,
		  (int)(100.0 * (double)im->fed / (double)im->size), im->rows);
}

/* Feed the mapped file to libcsv a physical line at a time. */
static void feed(struct importer *im, const char *p, size_t n)
{
	const char *end = p + n, *q;
	bool cr_only = false;
	char sep;
	unsigned long lines = 0;

	for (q = p; q < end && *q != '\n' && *q != '\r'; q++)
		;
	if (q + 1 < end && q[0] == '\r' && q[1] != '\n')
		cr_only = true;
	if (q + 1 == end && q[0] == '\r')
		cr_only = true;
	sep = cr_only ? '\r' : '\n';
	im->end = end;
	im->line = 1;
	while (p < end && !im->stop) {
		q = memchr(p, sep, (size_t)(end - p));
		q = q ? q + 1 : end;
		if (im->boundary) {
			im->rec_line = im->line;
			/* A blank line between records is not a record. */
			if (q - p == 1 || (q - p == 2 && p[0] == '\r')) {
				p = q;
				im->line++;
				continue;
			}
			im->boundary = false;
		}
		im->line_end = q;
		if (parse_line(im, p, (size_t)(q - p))) {
			fatal(im, im->rec_line, csv_strerror(csv_error(&im->csv)));
			return;
		}
		im->fed += (size_t)(q - p);
		p = q;
		im->line++;
		if (im->opts->progress && im->size >= PROGRESS_MIN_BYTES && !(++lines & 0x3fff))
			progress(im);
	}
	if (im->stop)
		return;
	/*
	 * Still inside a quoted field at the end of the file: the quote was
	 * never closed. libcsv only says so in strict mode, which would also
	 * refuse the stray quotes real exports contain, so read its state
	 * (the struct is public in csv.h; 2 is FIELD_BEGUN).
	 */
	if (im->csv.pstate == 2 && im->csv.quoted) {
		fatal(im, im->rec_line, "a quoted field is never closed (a '\"' is missing)");
		return;
	}
	csv_fini(&im->csv, on_field, on_record, im);
}

/* table is a static kinds entry's, never data (tests/sql-check.pl allows it). */
static long count_rows(sqlite3 *db, const char *table)
{
	char sql[96];
	sqlite3_stmt *st;
	long n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void log_import(struct importer *im, long inserted, long updated, long unchanged)
{
	static const char sql[] =
		"INSERT INTO imports (file, kind, imported_at, rows_inserted, "
		"rows_updated, rows_unchanged, rows_skipped) VALUES "
		"(?1, ?2, strftime('%Y-%m-%d %H:%M:%S','now'), ?3, ?4, ?5, ?6)";
	const char *base = strrchr(im->path, '/') ? strrchr(im->path, '/') + 1 : im->path;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(im->db, sql, -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_text(st, 1, base, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, im->kind->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, inserted);
	sqlite3_bind_int64(st, 4, updated);
	sqlite3_bind_int64(st, 5, unchanged);
	sqlite3_bind_int64(st, 6, im->skipped);
	sqlite3_step(st);
	sqlite3_finalize(st);
}

static void importer_release(struct importer *im)
{
	int i;

	csv_free(&im->csv);
	sqlite3_finalize(im->upsert);
	sqlite3_finalize(im->cust_id);
	sqlite3_finalize(im->cust_name);
	sqlite3_finalize(im->feat_id);
	sqlite3_finalize(im->feat_name);
	free(im->plans);
	for (i = 0; i < im->nhdr; i++)
		free(im->hdr[i]);
	free(im->hdr);
	free(im->colmap);
	free(im->data);
	free(im->f);
	free(im->keybuf);
	keyset_release(&im->seen);
	for (i = 0; i < im->nidx; i++)
		free(im->idx_sql[i]);
	free(im->idx_sql);
}

/* Map the file; returns 0, or -1 after reporting. An empty file maps nothing. */
static int map_file(const char *path, const char **p, size_t *n, struct cs_diag *diag)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO given by mistake is refused below, not waited on. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	*p = NULL;
	*n = 0;
	if (fd < 0)
		return cs_error(diag, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return cs_error(diag, "%s: not a regular file", path);
	}
	if (st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (m == MAP_FAILED) {
			close(fd);
			return cs_error(diag, "%s: %s", path, strerror(errno));
		}
		posix_madvise(m, (size_t)st.st_size, POSIX_MADV_SEQUENTIAL);
		*p = m;
		*n = (size_t)st.st_size;
	}
	close(fd);
	return 0;
}

/* Set up the parser for the bytes p[0..n), past a UTF-8 BOM. */
static int importer_start(struct importer *im, const char **p, size_t *n)
{
	if (*n >= 3 && !memcmp(*p, "\xef\xbb\xbf", 3)) {
		*p += 3;
		*n -= 3;
	} else if (*n >= 2 && (!memcmp(*p, "\xff\xfe", 2) || !memcmp(*p, "\xfe\xff", 2))) {
		fatal(im, 0, "the file is UTF-16; save it as \"CSV UTF-8\"");
		return -1;
	}
	if (csv_init(&im->csv, CSV_APPEND_NULL)) {
		fatal(im, 0, "out of memory");
		return -1;
	}
	csv_set_blk_size(&im->csv, CSV_BLOCK);
	csv_set_delim(&im->csv, sniff_delimiter(*p, *n));
	return 0;
}

/*
 * Import the bytes p[0..n) of the file called path, inside the caller's
 * transaction (rolled back by the caller on failure). Returns 0 or -1.
 */
static int import_bytes(sqlite3 *db, const char *path, const char *p, size_t n,
			const struct cs_mapping *map, const struct cs_import_opts *opts,
			struct cs_import_stats *stats, struct cs_diag *diag)
{
	struct importer im = { .db = db, .opts = opts, .diag = diag, .path = path,
			       .map = map, .boundary = true, .long_field = -1,
			       .purged_col = -1,
			       .last_ref = { { .len = -1 }, { .len = -1 } } };
	int rc = -1;

	memset(stats, 0, sizeof(*stats));
	im.size = n;
	clock_gettime(CLOCK_MONOTONIC, &im.last_progress);
	if (importer_start(&im, &p, &n))
		goto out;
	feed(&im, p, n);
	if (!im.kind && !im.stop) {
		if (im.nohdr_line)
			fatal(&im, im.nohdr_line, im.nohdr);
		else
			fatal(&im, 0, "the file is empty");
	}
	if (im.stop || !im.kind)
		goto out;
	stats->kind = im.kind->name;
	if (im.nfooters)
		cs_note(diag, "%s: ignored %ld trailing summary row%s (from line %ld)",
			path, im.nfooters, im.nfooters == 1 ? "" : "s", im.footer_line);
	if (im.bad && !opts->skip_bad) {
		if (im.listed > CS_IMPORT_MAX_ERRORS)
			cs_error(diag, "%s: … and %d more errors", path,
				 im.listed - CS_IMPORT_MAX_ERRORS);
		cs_error(diag, "%s: nothing imported: %ld bad row%s (fix %s or use "
			 "--skip-bad)", path, im.bad, im.bad == 1 ? "" : "s",
			 im.bad == 1 ? "it" : "them");
		goto out;
	}
	if (recreate_indexes(&im))
		goto out;
	stats->inserted = count_rows(db, im.kind->table) - im.before;
	stats->updated = im.changed - stats->inserted;
	stats->unchanged = im.rows - im.skipped - im.changed - im.purged;
	stats->skipped = im.skipped;
	stats->purged = im.purged;
	snprintf(stats->purged_before, sizeof(stats->purged_before), "%s", im.purged_before);
	if (!opts->dry_run)
		log_import(&im, stats->inserted, stats->updated, stats->unchanged);
	rc = 0;
out:
	stats->rows = im.rows;
	importer_release(&im);
	return rc;
}

/* Map the file and import it; see import_bytes(). */
static int import_file(sqlite3 *db, const char *path, const struct cs_mapping *map,
		       const struct cs_import_opts *opts, struct cs_import_stats *stats,
		       struct cs_diag *diag)
{
	const char *p;
	size_t n;
	int rc;

	memset(stats, 0, sizeof(*stats));
	if (map_file(path, &p, &n, diag))
		return -1;
	rc = import_bytes(db, path, p, n, map, opts, stats, diag);
	if (p)
		munmap((void *)(uintptr_t)p, n);
	return rc;
}

/* The kind a file holds, from its header, for ordering; NULL if unclear. */
static const struct cs_kind *peek_kind(sqlite3 *db, const char *path,
				       const struct cs_mapping *map,
				       const struct cs_import_opts *opts)
{
	struct cs_diag quiet = { 0 };
	struct importer im = { .db = db, .opts = opts, .diag = &quiet, .path = path,
			       .map = map, .boundary = true, .long_field = -1,
			       .purged_col = -1,
			       .peek = true };
	const struct cs_kind *kind = NULL;
	const char *p, *q;
	size_t n, left;

	if (map_file(path, &p, &n, &quiet) || !n)
		return NULL;
	q = p;
	left = n;
	if (!importer_start(&im, &q, &left)) {
		feed(&im, q, left);
		kind = im.kind;
	}
	munmap((void *)(uintptr_t)p, n);
	importer_release(&im);
	return kind;
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Check --kind and load --map (*map: NULL when none). Returns 0 or -1. */
static int load_opts(const struct cs_import_opts *opts, struct cs_mapping **map,
		     struct cs_diag *diag)
{
	*map = NULL;
	if (opts->kind && !cs_kind_find(opts->kind)) {
		char list[256];
		size_t n = 0;
		int i;

		for (i = 0; i < cs_nkinds; i++)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
					      i ? ", " : "", cs_kinds[i].name);
		return cs_error(diag, "unknown kind '%s' (one of: %s)", opts->kind, list);
	}
	if (!opts->map)
		return 0;
	*map = malloc(sizeof(**map));
	if (!*map)
		return cs_error(diag, "out of memory");
	if (cs_mapping_load(opts->map, *map, diag))
		goto fail;
	if (opts->kind && cs_kind_find(opts->kind) != (*map)->kind) {
		cs_error(diag, "mapping profile '%s' is for %s files, not %s",
			 (*map)->name, (*map)->kind->name, opts->kind);
		goto fail;
	}
	return 0;
fail:
	free(*map);
	*map = NULL;
	return -1;
}

int cs_import_check(const struct cs_import_opts *opts, struct cs_diag *diag)
{
	struct cs_mapping *map;

	if (load_opts(opts, &map, diag))
		return -1;
	free(map);
	return 0;
}

/*
 * One file (data NULL: read path; else the n bytes at data) in its own
 * transaction, or in a savepoint of the dry run's. Reports the closing
 * line. Returns 0 or -1.
 */
static int import_one(sqlite3 *db, const char *path, const char *data, size_t n,
		      const struct cs_mapping *map, const struct cs_import_opts *opts,
		      struct cs_import_stats *st, struct cs_diag *diag)
{
	char purged[128] = "";
	int rc;

	memset(st, 0, sizeof(*st));
	if (opts->dry_run ? exec(db, "SAVEPOINT import_file") : cs_db_begin(db, diag)) {
		if (opts->dry_run)
			cs_db_error(db, diag, path);
		return -1;
	}
	if (data)
		rc = import_bytes(db, path, data, n, map, opts, st, diag);
	else
		rc = import_file(db, path, map, opts, st, diag);
	if (rc == 0 && !opts->dry_run) {
		/* With the bulk cache most writes happen here: a failure names the file. */
		if (exec(db, "COMMIT")) {
			cs_db_error(db, diag, path);
			rc = -1;
		}
	} else if (rc == 0) {
		exec(db, "RELEASE import_file");
	}
	if (rc) {
		if (opts->dry_run)
			exec(db, "ROLLBACK TO import_file; RELEASE import_file");
		else
			cs_db_rollback(db);
		return -1;
	}
	if (st->purged)
		snprintf(purged, sizeof(purged), ", %ld dated before %s left out (purged: "
			 "kept as monthly aggregates)", st->purged, st->purged_before);
	cs_note(diag, "%s: %s: %ld row%s: %ld inserted, %ld updated, %ld unchanged, "
		"%ld skipped%s%s", path, st->kind, st->rows, st->rows == 1 ? "" : "s",
		st->inserted, st->updated, st->unchanged, st->skipped, purged,
		opts->dry_run ? " (dry run: nothing stored)" : "");
	return 0;
}

int cs_import_files(sqlite3 *db, const char *const *files, int nfiles,
		    const struct cs_import_opts *opts, struct cs_import_stats *stats,
		    struct cs_diag *diag)
{
	struct cs_mapping *map;
	struct cs_import_stats st;
	struct cs_db_bulk bulk = { 0 };
	int *order, *rank, i, j, failed = 0;

	if (load_opts(opts, &map, diag))
		return -1;
	order = calloc((size_t)nfiles + 1, sizeof(int));
	rank = calloc((size_t)nfiles + 1, sizeof(int));
	if (!order || !rank) {
		free(order);
		free(rank);
		free(map);
		return cs_error(diag, "out of memory");
	}
	/* Dependency order: a stable insertion sort on each file's kind rank. */
	for (i = 0; i < nfiles; i++) {
		const struct cs_kind *k = opts->kind ? cs_kind_find(opts->kind) :
					  peek_kind(db, files[i], map, opts);

		rank[i] = k ? k->rank : 99;
		for (j = i; j > 0 && rank[order[j - 1]] > rank[i]; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	if (cs_db_bulk_begin(db, &bulk, diag)) {
		failed = nfiles;
		goto out;
	}
	/*
	 * A dry run keeps one transaction over all files, so tickets can be
	 * checked against the customers file given with them, and rolls it
	 * all back at the end.
	 */
	if (opts->dry_run && cs_db_begin(db, diag)) {
		failed = nfiles;
		goto out;
	}
	for (j = 0; j < nfiles; j++) {
		if (import_one(db, files[order[j]], NULL, 0, map, opts, &st, diag))
			failed++;
		if (stats)
			stats[order[j]] = st;
	}
	if (opts->dry_run)
		cs_db_rollback(db);
out:
	cs_db_bulk_end(db, &bulk);
	free(order);
	free(rank);
	free(map);
	return failed ? -1 : 0;
}

int cs_import_buffer(sqlite3 *db, const char *name, const char *data, size_t n,
		     const struct cs_import_opts *opts, struct cs_import_stats *stats,
		     struct cs_diag *diag)
{
	struct cs_mapping *map;
	struct cs_import_stats st;
	struct cs_db_bulk bulk;
	int rc;

	if (load_opts(opts, &map, diag))
		return -1;
	if (cs_db_bulk_begin(db, &bulk, diag)) {
		free(map);
		return -1;
	}
	if (opts->dry_run && cs_db_begin(db, diag)) {
		cs_db_bulk_end(db, &bulk);
		free(map);
		return -1;
	}
	/* import_one() reads the file when data is NULL: never for a buffer. */
	rc = import_one(db, name, data ? data : "", n, map, opts, &st, diag);
	if (opts->dry_run)
		cs_db_rollback(db);
	cs_db_bulk_end(db, &bulk);
	if (stats)
		*stats = st;
	free(map);
	return rc;
}
