/* checklist.c — the release quality checklist: model, rules, export. See checklist.h. */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/ini.h"
#include "casey/checklist.h"
#include "casey/db.h"
#include "casey/value.h"
#include "text.h"

#define DEFAULT_DEF "checklist.ini"

static const char *const answer_names[] = { NULL, "yes", "no", "na" };
static const char *const answer_labels[] = { "unanswered", "Yes", "No", "N/A" };
static const char *const approval_names[] = { NULL, "approved", "gaps", "unready" };
static const char *const gap_names[] = { "docs", "training", "communication" };

const char *cs_answer_name(enum cs_answer a)
{
	return (unsigned)a < 4 ? answer_names[a] : NULL;
}

const char *cs_answer_label(enum cs_answer a)
{
	return (unsigned)a < 4 ? answer_labels[a] : "?";
}

const char *cs_approval_name(enum cs_approval a)
{
	return (unsigned)a < CS_APPROVALS ? approval_names[a] : NULL;
}

const char *cs_gap_kind_name(enum cs_gap_kind k)
{
	return (unsigned)k < CS_GAP_KINDS ? gap_names[k] : NULL;
}

int cs_answer_parse(const char *s, enum cs_answer *out)
{
	int i;

	for (i = 1; s && i < 4; i++)
		if (!strcmp(s, answer_names[i])) {
			*out = (enum cs_answer)i;
			return 0;
		}
	return -1;
}

int cs_approval_parse(const char *s, enum cs_approval *out)
{
	int i;

	for (i = 1; s && i < CS_APPROVALS; i++)
		if (!strcmp(s, approval_names[i])) {
			*out = (enum cs_approval)i;
			return 0;
		}
	return -1;
}

int cs_gap_kind_parse(const char *s, enum cs_gap_kind *out)
{
	int i;

	for (i = 0; s && i < CS_GAP_KINDS; i++)
		if (!strcmp(s, gap_names[i])) {
			*out = (enum cs_gap_kind)i;
			return 0;
		}
	return -1;
}

/* ---- the definition: assets/checklist.ini ------------------------------ */

struct def_load {
	struct cs_checklist_def *def;
	struct cs_ini *ini;
	int item_line[CS_CHECKLIST_MAX_ITEMS];	/* where [item.N] was seen, 0 if not */
};

#define def_fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)

/* Copy value into dst (size bytes); 0 with a message when it does not fit. */
static int def_copy(struct def_load *ld, char *dst, size_t size, const char *value,
		    const char *section, const char *name)
{
	size_t n = strlen(value);

	if (!n)
		return def_fail(ld, "[%s] %s is empty", section, name);
	if (n >= size)
		return def_fail(ld, "[%s] %s is longer than %zu bytes", section, name,
				size - 1);
	if (!cs_utf8_valid(value, n) || cs_has_control(value, n))
		return def_fail(ld, "[%s] %s is not plain UTF-8 text", section, name);
	memcpy(dst, value, n + 1);
	return 1;
}

static int def_handler(struct cs_ini *ini, const char *section, const char *name,
		       const char *value)
{
	struct def_load *ld = ini->user;
	struct cs_checklist_def *def = ld->def;
	const char *key;
	char *end;
	long n;

	ld->ini = ini;
	if (!strcmp(section, "checklist")) {
		if (!strcmp(name, "name"))
			return def_copy(ld, def->name, sizeof(def->name), value, section, name);
		if (!strcmp(name, "version"))
			return def_copy(ld, def->version, sizeof(def->version), value,
					section, name);
		return def_fail(ld, "unknown setting '%s' in [%s]", name, section);
	}
	if (!strncmp(section, "item.", 5)) {
		key = section + 5;
		n = isdigit((unsigned char)*key) && *key != '0' ? strtol(key, &end, 10) : 0;
		if (n < 1 || *end || n > CS_CHECKLIST_MAX_ITEMS)
			return def_fail(ld, "[%s]: items are numbered 1..%d", section,
					CS_CHECKLIST_MAX_ITEMS);
		if (!ld->item_line[n - 1])
			ld->item_line[n - 1] = ld->ini->line;
		if (n > def->nitems)
			def->nitems = (int)n;
		if (!strcmp(name, "title"))
			return def_copy(ld, def->items[n - 1].title,
					sizeof(def->items[0].title), value, section, name);
		if (!strcmp(name, "text"))
			return def_copy(ld, def->items[n - 1].text,
					sizeof(def->items[0].text), value, section, name);
		return def_fail(ld, "unknown setting '%s' in [%s]", name, section);
	}
	if (!strncmp(section, "approval.", 9)) {
		enum cs_approval a;

		if (cs_approval_parse(section + 9, &a))
			return def_fail(ld, "[%s]: the approvals are approved, gaps and "
					"unready", section);
		if (!strcmp(name, "label"))
			return def_copy(ld, def->approval_label[a],
					sizeof(def->approval_label[0]), value, section, name);
		if (!strcmp(name, "text"))
			return def_copy(ld, def->approval_text[a],
					sizeof(def->approval_text[0]), value, section, name);
		return def_fail(ld, "unknown setting '%s' in [%s]", name, section);
	}
	if (!strncmp(section, "gap.", 4)) {
		enum cs_gap_kind k;

		if (cs_gap_kind_parse(section + 4, &k))
			return def_fail(ld, "[%s]: the gap kinds are docs, training and "
					"communication", section);
		if (!strcmp(name, "label"))
			return def_copy(ld, def->gap_label[k], sizeof(def->gap_label[0]),
					value, section, name);
		return def_fail(ld, "unknown setting '%s' in [%s]", name, section);
	}
	return def_fail(ld, "unknown section [%s]", section);
}

static int def_validate(struct def_load *ld, struct cs_diag *diag)
{
	struct cs_checklist_def *def = ld->def;
	const char *path = def->path;
	int i;

	if (!def->name[0])
		return cs_error(diag, "%s: no 'name' in [checklist]", path);
	if (!def->version[0])
		return cs_error(diag, "%s: no 'version' in [checklist]", path);
	if (!def->nitems)
		return cs_error(diag, "%s: no items ([item.1], [item.2], ...)", path);
	for (i = 0; i < def->nitems; i++) {
		if (!ld->item_line[i])
			return cs_error(diag, "%s: no [item.%d] (items are numbered "
					"1..%d without holes)", path, i + 1, def->nitems);
		if (!def->items[i].title[0] || !def->items[i].text[0])
			return cs_error(diag, "%s:%d: [item.%d] needs a title and a text",
					path, ld->item_line[i], i + 1);
	}
	for (i = 1; i < CS_APPROVALS; i++)
		if (!def->approval_label[i][0])
			return cs_error(diag, "%s: no label for [approval.%s]", path,
					approval_names[i]);
	for (i = 0; i < CS_GAP_KINDS; i++)
		if (!def->gap_label[i][0])
			return cs_error(diag, "%s: no label for [gap.%s]", path, gap_names[i]);
	return 0;
}

int cs_checklist_def_load(const char *name, struct cs_checklist_def *def,
			  struct cs_diag *diag)
{
	struct def_load *ld;
	int rc;

	memset(def, 0, sizeof(*def));
	if (name && strchr(name, '/')) {
		if ((size_t)snprintf(def->path, sizeof(def->path), "%s", name) >=
		    sizeof(def->path))
			return cs_error(diag, "checklist definition path is too long");
	} else {
		if (!name)
			name = DEFAULT_DEF;
		if (cs_asset_find(name, def->path, sizeof(def->path)))
			return cs_error(diag, "no checklist definition '%s' (looked in the "
					"assets directories)", name);
	}
	if (cs_asset_check_safe(def->path, diag))
		return -1;
	ld = calloc(1, sizeof(*ld));
	if (!ld)
		return cs_error(diag, "out of memory");
	ld->def = def;
	rc = cs_ini_parse(def->path, def_handler, ld, diag);
	if (!rc)
		rc = def_validate(ld, diag);
	free(ld);
	return rc;
}

/* ---- text checks --------------------------------------------------------- */

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

int cs_checklist_issue_norm(const char *issue, char *out, const char **why)
{
	static const char bad[] = "is not an issue reference (#123, PROJ-45 or owner/repo#123)";
	const char *s = issue ? issue : "", *end, *p, *hash;
	size_t len;
	int slashes = 0;

	while (*s && is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		end--;
	len = (size_t)(end - s);
	*why = bad;
	if (!len)
		return -1;
	for (p = s; p < end && isdigit((unsigned char)*p); p++)
		;
	if (p == end) {
		/* "123": the form's "Issue #: 123" */
		if (len + 1 > CS_CHECKLIST_ISSUE_MAX)
			goto too_long;
		out[0] = '#';
		memcpy(out + 1, s, len);
		out[len + 1] = '\0';
		return 0;
	}
	if (len > CS_CHECKLIST_ISSUE_MAX)
		goto too_long;
	hash = memchr(s, '#', len);
	if (hash) {
		/* "#123", "repo#123", "owner/repo#123" */
		if (hash + 1 == end)
			return -1;
		for (p = hash + 1; p < end; p++)
			if (!isdigit((unsigned char)*p))
				return -1;
		for (p = s; p < hash; p++) {
			if (*p == '/') {
				if (p == s || p[-1] == '/' || p + 1 == hash || ++slashes > 1)
					return -1;
			} else if (!isalnum((unsigned char)*p) && !strchr("_.-", *p)) {
				return -1;
			}
		}
		memcpy(out, s, len);
		out[len] = '\0';
		return 0;
	}
	/* "PROJ-45": a letter, letters/digits/_, a dash, digits */
	if (!isalpha((unsigned char)*s))
		return -1;
	for (p = s; p < end && (isalnum((unsigned char)*p) || *p == '_'); p++)
		;
	if (p == end || *p != '-' || p + 1 == end)
		return -1;
	for (p++; p < end; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	for (p = s; p < end; p++)
		out[p - s] = (char)toupper((unsigned char)*p);
	out[len] = '\0';
	return 0;
too_long:
	*why = "is too long for an issue reference";
	return -1;
}

/* ---- database helpers ----------------------------------------------------- */

static enum cs_approval col_approval(sqlite3_stmt *st, int col)
{
	enum cs_approval a = CS_APPROVAL_NONE;

	cs_approval_parse((const char *)sqlite3_column_text(st, col), &a);
	return a;
}

/* Load checklist id inside the caller's transaction (or none). */
static int load_tx(sqlite3 *db, int64_t id, struct cs_checklist *c, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	memset(c, 0, sizeof(*c));
	if (cs_db_prepare(db, "SELECT title, version, revision, parent_id, approval, notes, "
		    "reviewer, signed_at, created_at, (SELECT r.checklist_id FROM "
		    "checklists r WHERE r.parent_id = c.checklist_id) "
		    "FROM checklists c WHERE checklist_id = ?1", &st, diag, "checklist"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->id = id;
		cs_db_col_text(st, 0, c->title, sizeof(c->title));
		cs_db_col_text(st, 1, c->version, sizeof(c->version));
		c->revision = sqlite3_column_int(st, 2);
		c->parent_id = sqlite3_column_int64(st, 3);
		c->approval = col_approval(st, 4);
		cs_db_col_text(st, 5, c->notes, sizeof(c->notes));
		cs_db_col_text(st, 6, c->reviewer, sizeof(c->reviewer));
		cs_db_col_text(st, 7, c->signed_at, sizeof(c->signed_at));
		c->is_signed = sqlite3_column_type(st, 7) != SQLITE_NULL;
		cs_db_col_text(st, 8, c->created_at, sizeof(c->created_at));
		c->revised_by = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no checklist %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading a checklist");

	if (cs_db_prepare(db, "SELECT item, title, text, answer, note FROM checklist_items "
		    "WHERE checklist_id = ?1 ORDER BY item", &st, diag, "checklist"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_checklist_item *it = &c->items[c->nitems];

		if (c->nitems == CS_CHECKLIST_MAX_ITEMS ||
		    sqlite3_column_int(st, 0) != c->nitems + 1) {
			sqlite3_finalize(st);
			return cs_error(diag, "checklist %lld is damaged: its items are not "
					"numbered 1..N (at most %d)", (long long)id,
					CS_CHECKLIST_MAX_ITEMS);
		}
		it->number = ++c->nitems;
		cs_db_col_text(st, 1, it->title, sizeof(it->title));
		cs_db_col_text(st, 2, it->text, sizeof(it->text));
		cs_answer_parse((const char *)sqlite3_column_text(st, 3), &it->answer);
		cs_db_col_text(st, 4, it->note, sizeof(it->note));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading a checklist's items");

	if (cs_db_prepare(db, "SELECT kind, issue FROM checklist_gaps WHERE checklist_id = ?1 "
		    "ORDER BY CASE kind WHEN 'docs' THEN 0 WHEN 'training' THEN 1 "
		    "ELSE 2 END, issue", &st, diag, "checklist"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_checklist_gap *g = &c->gaps[c->ngaps];

		if (c->ngaps == CS_CHECKLIST_MAX_GAPS) {
			sqlite3_finalize(st);
			return cs_error(diag, "checklist %lld has more than %d gaps",
					(long long)id, CS_CHECKLIST_MAX_GAPS);
		}
		cs_gap_kind_parse((const char *)sqlite3_column_text(st, 0), &g->kind);
		cs_db_col_text(st, 1, g->issue, sizeof(g->issue));
		c->ngaps++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading a checklist's gaps");
	return 0;
}

int cs_checklist_load(sqlite3 *db, int64_t id, struct cs_checklist *c,
		      struct cs_diag *diag)
{
	bool own = sqlite3_get_autocommit(db);
	int rc;

	/* One read transaction: the three queries see the same state. */
	if (own && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading a checklist");
	rc = load_tx(db, id, c, diag);
	if (own)
		sqlite3_exec(db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
	return rc;
}

int cs_checklist_list(sqlite3 *db, struct cs_checklist_summary **out, int *n,
		      struct cs_diag *diag)
{
	struct cs_checklist_summary *rows = NULL, *r;
	sqlite3_stmt *st;
	int rc, cap = 0;

	*out = NULL;
	*n = 0;
	if (cs_db_prepare(db, "SELECT c.checklist_id, c.title, c.version, c.revision, c.parent_id, "
		    "(SELECT r.checklist_id FROM checklists r WHERE r.parent_id = c.checklist_id), "
		    "c.approval, c.reviewer, c.signed_at, c.created_at, "
		    "(SELECT count(answer) FROM checklist_items i "
		    " WHERE i.checklist_id = c.checklist_id), "
		    "(SELECT count(*) FROM checklist_items i "
		    " WHERE i.checklist_id = c.checklist_id) "
		    "FROM checklists c ORDER BY c.checklist_id", &st, diag, "checklist"))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int ncap = cap ? cap * 2 : 16;
			struct cs_checklist_summary *grown = realloc(rows, (size_t)ncap * sizeof(*rows));

			if (!grown) {
				sqlite3_finalize(st);
				free(rows);
				return cs_error(diag, "out of memory");
			}
			rows = grown;
			cap = ncap;
		}
		r = &rows[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		cs_db_col_text(st, 1, r->title, sizeof(r->title));
		cs_db_col_text(st, 2, r->version, sizeof(r->version));
		r->revision = sqlite3_column_int(st, 3);
		r->parent_id = sqlite3_column_int64(st, 4);
		r->revised_by = sqlite3_column_int64(st, 5);
		r->approval = col_approval(st, 6);
		cs_db_col_text(st, 7, r->reviewer, sizeof(r->reviewer));
		cs_db_col_text(st, 8, r->signed_at, sizeof(r->signed_at));
		r->is_signed = sqlite3_column_type(st, 8) != SQLITE_NULL;
		cs_db_col_text(st, 9, r->created_at, sizeof(r->created_at));
		r->answered = sqlite3_column_int(st, 10);
		r->nitems = sqlite3_column_int(st, 11);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(rows);
		*n = 0;
		return cs_db_error(db, diag, "listing checklists");
	}
	*out = rows;
	return 0;
}

int cs_checklist_create(sqlite3 *db, const struct cs_checklist_def *def,
			const char *title, int32_t day, int64_t *id,
			struct cs_diag *diag)
{
	char clean[CS_CHECKLIST_TITLE_MAX + 1], date[11];
	sqlite3_stmt *st;
	int64_t new_id;
	int i;

	if (cs_text_clean(title, false, CS_CHECKLIST_TITLE_MAX, clean, "the title", diag))
		return -1;
	if (!clean[0])
		return cs_error(diag, "the title is empty");
	if (def->nitems < 1 || def->nitems > CS_CHECKLIST_MAX_ITEMS)
		return cs_error(diag, "the checklist definition has no items");
	cs_format_day(day, date);
	if (cs_db_begin(db, diag))
		return -1;
	if (cs_db_prepare(db, "INSERT INTO checklists (title, version, created_at) "
		    "VALUES (?1, ?2, ?3)", &st, diag, "checklist"))
		goto fail;
	sqlite3_bind_text(st, 1, clean, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, def->version, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
	if (cs_db_run(db, st, diag, "creating a checklist"))
		goto fail;
	new_id = sqlite3_last_insert_rowid(db);
	for (i = 0; i < def->nitems; i++) {
		if (cs_db_prepare(db, "INSERT INTO checklist_items (checklist_id, item, title, text) "
			    "VALUES (?1, ?2, ?3, ?4)", &st, diag, "checklist"))
			goto fail;
		sqlite3_bind_int64(st, 1, new_id);
		sqlite3_bind_int(st, 2, i + 1);
		sqlite3_bind_text(st, 3, def->items[i].title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, def->items[i].text, -1, SQLITE_STATIC);
		if (cs_db_run(db, st, diag, "creating a checklist"))
			goto fail;
	}
	if (cs_db_commit(db, diag))
		return -1;
	*id = new_id;
	return 0;
fail:
	cs_db_rollback(db);
	return -1;
}

/* ---- changes ----------------------------------------------------------- */

static int locked_error(const struct cs_checklist *c, struct cs_diag *diag)
{
	if (c->revised_by)
		cs_error(diag, "checklist %lld was signed by %s on %s and is locked; it "
			 "was revised as checklist %lld", (long long)c->id, c->reviewer,
			 c->signed_at, (long long)c->revised_by);
	else
		cs_error(diag, "checklist %lld was signed by %s on %s and is locked; "
			 "changes need a new revision", (long long)c->id, c->reviewer,
			 c->signed_at);
	return CS_CHECKLIST_LOCKED;
}

/*
 * Start a change: a write transaction with checklist id loaded into *c
 * (malloc'd; free it). Returns 0 with the transaction open, or -1 or
 * CS_CHECKLIST_LOCKED with nothing open.
 */
static int edit_begin(sqlite3 *db, int64_t id, struct cs_checklist **c,
		      struct cs_diag *diag)
{
	*c = malloc(sizeof(**c));
	if (!*c)
		return cs_error(diag, "out of memory");
	if (cs_db_begin(db, diag))
		goto fail;
	if (load_tx(db, id, *c, diag)) {
		cs_db_rollback(db);
		goto fail;
	}
	if ((*c)->is_signed) {
		cs_db_rollback(db);
		locked_error(*c, diag);
		free(*c);
		*c = NULL;
		return CS_CHECKLIST_LOCKED;
	}
	return 0;
fail:
	free(*c);
	*c = NULL;
	return -1;
}

/* Finish a change begun by edit_begin(): commit when rc is 0, else roll back. */
static int edit_end(sqlite3 *db, struct cs_checklist *c, int rc, struct cs_diag *diag)
{
	free(c);
	if (rc) {
		cs_db_rollback(db);
		return rc;
	}
	return cs_db_commit(db, diag);
}

static int check_item(const struct cs_checklist *c, int item, struct cs_diag *diag)
{
	if (item < 1 || item > c->nitems)
		return cs_error(diag, "checklist %lld has no item %d (items are 1..%d)",
				(long long)c->id, item, c->nitems);
	return 0;
}

static int update_item(sqlite3 *db, int64_t id, int item, bool set_answer,
		       enum cs_answer answer, const char *note, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	const char *sql;

	if (set_answer && note)
		sql = "UPDATE checklist_items SET answer = ?3, note = ?4 "
		      "WHERE checklist_id = ?1 AND item = ?2";
	else if (set_answer)
		sql = "UPDATE checklist_items SET answer = ?3 "
		      "WHERE checklist_id = ?1 AND item = ?2";
	else
		sql = "UPDATE checklist_items SET note = ?4 "
		      "WHERE checklist_id = ?1 AND item = ?2";
	if (cs_db_prepare(db, sql, &st, diag, "checklist"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, item);
	if (set_answer)
		cs_db_bind_text_or_null(st, 3, cs_answer_name(answer));
	if (!set_answer || note)
		cs_db_bind_text_or_null(st, 4, note);
	return cs_db_run(db, st, diag, "changing a checklist item");
}

static int item_change(sqlite3 *db, int64_t id, int item, bool set_answer,
		       enum cs_answer answer, const char *note, struct cs_diag *diag)
{
	char clean[CS_CHECKLIST_NOTE_MAX + 1], what[48];
	struct cs_checklist *c;
	int rc;

	if (set_answer && (unsigned)answer > CS_ANSWER_NA)
		return cs_error(diag, "not an answer: %d", (int)answer);
	snprintf(what, sizeof(what), "the note of item %d", item);
	if (note && cs_text_clean(note, true, CS_CHECKLIST_NOTE_MAX, clean, what, diag))
		return -1;
	rc = edit_begin(db, id, &c, diag);
	if (rc)
		return rc;
	rc = check_item(c, item, diag);
	if (!rc)
		rc = update_item(db, id, item, set_answer, answer, note ? clean : NULL, diag);
	return edit_end(db, c, rc, diag);
}

int cs_checklist_set_answer(sqlite3 *db, int64_t id, int item, enum cs_answer answer,
			    const char *note, struct cs_diag *diag)
{
	return item_change(db, id, item, true, answer, note, diag);
}

int cs_checklist_set_item_note(sqlite3 *db, int64_t id, int item, const char *note,
			       struct cs_diag *diag)
{
	return item_change(db, id, item, false, CS_ANSWER_NONE, note ? note : "", diag);
}

int cs_checklist_set_approval(sqlite3 *db, int64_t id, enum cs_approval a,
			      struct cs_diag *diag)
{
	struct cs_checklist *c;
	sqlite3_stmt *st;
	int rc;

	if ((unsigned)a >= CS_APPROVALS)
		return cs_error(diag, "not an approval: %d", (int)a);
	rc = edit_begin(db, id, &c, diag);
	if (rc)
		return rc;
	rc = cs_db_prepare(db, "UPDATE checklists SET approval = ?2 WHERE checklist_id = ?1",
		     &st, diag, "checklist");
	if (!rc) {
		sqlite3_bind_int64(st, 1, id);
		cs_db_bind_text_or_null(st, 2, cs_approval_name(a));
		rc = cs_db_run(db, st, diag, "changing a checklist's approval");
	}
	return edit_end(db, c, rc, diag);
}

int cs_checklist_set_notes(sqlite3 *db, int64_t id, const char *notes,
			   struct cs_diag *diag)
{
	char *clean = malloc(CS_CHECKLIST_NOTES_MAX + 1);
	struct cs_checklist *c;
	sqlite3_stmt *st;
	int rc;

	if (!clean)
		return cs_error(diag, "out of memory");
	if (cs_text_clean(notes, true, CS_CHECKLIST_NOTES_MAX, clean, "the notes", diag)) {
		free(clean);
		return -1;
	}
	rc = edit_begin(db, id, &c, diag);
	if (!rc) {
		rc = cs_db_prepare(db, "UPDATE checklists SET notes = ?2 WHERE checklist_id = ?1",
			     &st, diag, "checklist");
		if (!rc) {
			sqlite3_bind_int64(st, 1, id);
			cs_db_bind_text_or_null(st, 2, clean);
			rc = cs_db_run(db, st, diag, "changing a checklist's notes");
		}
		rc = edit_end(db, c, rc, diag);
	}
	free(clean);
	return rc;
}

static int gap_change(sqlite3 *db, int64_t id, enum cs_gap_kind kind, const char *issue,
		      bool add, struct cs_diag *diag)
{
	char norm[CS_CHECKLIST_ISSUE_MAX + 1];
	struct cs_checklist *c;
	sqlite3_stmt *st;
	const char *why;
	bool listed = false;
	int rc, i;

	if ((unsigned)kind >= CS_GAP_KINDS)
		return cs_error(diag, "not a gap kind: %d", (int)kind);
	if (cs_checklist_issue_norm(issue, norm, &why))
		return cs_error(diag, "'%s' %s", issue ? issue : "", why);
	rc = edit_begin(db, id, &c, diag);
	if (rc)
		return rc;
	for (i = 0; i < c->ngaps; i++)
		if (c->gaps[i].kind == kind && !strcmp(c->gaps[i].issue, norm))
			listed = true;
	if (add && listed)
		return edit_end(db, c, 0, diag);
	if (!add && !listed) {
		cs_error(diag, "checklist %lld has no %s gap %s", (long long)id,
			 gap_names[kind], norm);
		return edit_end(db, c, -1, diag);
	}
	if (add && c->ngaps == CS_CHECKLIST_MAX_GAPS) {
		cs_error(diag, "checklist %lld already has %d gaps, the most it can hold",
			 (long long)id, CS_CHECKLIST_MAX_GAPS);
		return edit_end(db, c, -1, diag);
	}
	rc = cs_db_prepare(db, add ? "INSERT INTO checklist_gaps (checklist_id, kind, issue) "
			       "VALUES (?1, ?2, ?3)"
			     : "DELETE FROM checklist_gaps WHERE checklist_id = ?1 "
			       "AND kind = ?2 AND issue = ?3", &st, diag, "checklist");
	if (!rc) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, gap_names[kind], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, norm, -1, SQLITE_STATIC);
		rc = cs_db_run(db, st, diag, "changing a checklist's gaps");
	}
	return edit_end(db, c, rc, diag);
}

int cs_checklist_gap_add(sqlite3 *db, int64_t id, enum cs_gap_kind kind,
			 const char *issue, struct cs_diag *diag)
{
	return gap_change(db, id, kind, issue, true, diag);
}

int cs_checklist_gap_remove(sqlite3 *db, int64_t id, enum cs_gap_kind kind,
			    const char *issue, struct cs_diag *diag)
{
	return gap_change(db, id, kind, issue, false, diag);
}

/* ---- signing and revising ----------------------------------------------- */

int cs_checklist_problems(const struct cs_checklist *c, struct cs_checklist_problems *out)
{
	int i;

	out->n = 0;
	for (i = 0; i < c->nitems && i < CS_CHECKLIST_MAX_ITEMS; i++) {
		const struct cs_checklist_item *it = &c->items[i];
		enum cs_checklist_problem_kind kind;
		const char *what;

		if (it->answer == CS_ANSWER_NONE) {
			kind = CS_PROBLEM_UNANSWERED;
			what = "is unanswered";
		} else if (it->answer == CS_ANSWER_NO && !it->note[0]) {
			kind = CS_PROBLEM_NO_RISK;
			what = "is No without a customer-support risk note";
		} else if (it->answer == CS_ANSWER_NA && !it->note[0]) {
			kind = CS_PROBLEM_NA_REASON;
			what = "is N/A without a justification";
		} else {
			continue;
		}
		out->p[out->n].kind = kind;
		out->p[out->n].item = it->number;
		snprintf(out->p[out->n].msg, sizeof(out->p[0].msg), "item %d (%s) %s",
			 it->number, it->title, what);
		out->n++;
	}
	if (c->approval == CS_APPROVAL_NONE) {
		out->p[out->n].kind = CS_PROBLEM_NO_APPROVAL;
		out->p[out->n].item = 0;
		snprintf(out->p[out->n].msg, sizeof(out->p[0].msg),
			 "no approval chosen (approved, gaps or unready)");
		out->n++;
	}
	return out->n;
}

int cs_checklist_sign(sqlite3 *db, int64_t id, const char *reviewer, int32_t day,
		      struct cs_checklist_problems *probs, struct cs_diag *diag)
{
	char name[CS_CHECKLIST_REVIEWER_MAX + 1], date[11];
	struct cs_checklist_problems local;
	struct cs_checklist *c;
	sqlite3_stmt *st;
	int rc, i;

	if (!probs)
		probs = &local;
	probs->n = 0;
	if (cs_text_clean(reviewer, false, CS_CHECKLIST_REVIEWER_MAX, name,
		       "the reviewer's name", diag))
		return -1;
	if (!name[0])
		return cs_error(diag, "the reviewer's name is empty");
	rc = edit_begin(db, id, &c, diag);
	if (rc)
		return rc;
	if (cs_checklist_problems(c, probs)) {
		for (i = 0; i < probs->n; i++)
			cs_error(diag, "cannot sign checklist %lld: %s", (long long)id,
				 probs->p[i].msg);
		return edit_end(db, c, -1, diag);
	}
	cs_format_day(day, date);
	rc = cs_db_prepare(db, "UPDATE checklists SET reviewer = ?2, signed_at = ?3 "
		     "WHERE checklist_id = ?1", &st, diag, "checklist");
	if (!rc) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
		rc = cs_db_run(db, st, diag, "signing a checklist");
	}
	return edit_end(db, c, rc, diag);
}

int cs_checklist_revise(sqlite3 *db, int64_t id, int32_t day, int64_t *new_id,
			struct cs_diag *diag)
{
	static const char *const copies[] = {
		"INSERT INTO checklist_items (checklist_id, item, title, text, answer, note) "
		"SELECT ?2, item, title, text, answer, note FROM checklist_items "
		"WHERE checklist_id = ?1",
		"INSERT INTO checklist_gaps (checklist_id, kind, issue) "
		"SELECT ?2, kind, issue FROM checklist_gaps WHERE checklist_id = ?1",
	};
	struct cs_checklist *c = malloc(sizeof(*c));
	char date[11];
	sqlite3_stmt *st;
	int64_t nid;
	size_t i;

	if (!c)
		return cs_error(diag, "out of memory");
	if (cs_db_begin(db, diag)) {
		free(c);
		return -1;
	}
	if (load_tx(db, id, c, diag))
		goto fail;
	if (!c->is_signed) {
		cs_error(diag, "checklist %lld is not signed: change it directly (a new "
			 "revision is for a signed checklist)", (long long)id);
		goto fail;
	}
	if (c->revised_by) {
		cs_error(diag, "checklist %lld was already revised as checklist %lld",
			 (long long)id, (long long)c->revised_by);
		goto fail;
	}
	cs_format_day(day, date);
	if (cs_db_prepare(db, "INSERT INTO checklists (title, revision, parent_id, version, "
		    "approval, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		    &st, diag, "checklist"))
		goto fail;
	sqlite3_bind_text(st, 1, c->title, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, c->revision + 1);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_text(st, 4, c->version, -1, SQLITE_STATIC);
	cs_db_bind_text_or_null(st, 5, cs_approval_name(c->approval));
	cs_db_bind_text_or_null(st, 6, c->notes);
	sqlite3_bind_text(st, 7, date, -1, SQLITE_STATIC);
	if (cs_db_run(db, st, diag, "revising a checklist"))
		goto fail;
	nid = sqlite3_last_insert_rowid(db);
	for (i = 0; i < sizeof(copies) / sizeof(copies[0]); i++) {
		if (cs_db_prepare(db, copies[i], &st, diag, "checklist"))
			goto fail;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, nid);
		if (cs_db_run(db, st, diag, "revising a checklist"))
			goto fail;
	}
	free(c);
	if (cs_db_commit(db, diag))
		return -1;
	*new_id = nid;
	return 0;
fail:
	free(c);
	cs_db_rollback(db);
	return -1;
}

/* ---- Markdown ------------------------------------------------------------ */

/*
 * Write user text so Markdown shows it as typed: \ ` * _ [ ] < ~ are
 * escaped everywhere, and what would open a block at the start of a line
 * (# > - + = and "1." / "1)") is escaped there. Lines are trimmed, runs of
 * blank lines become one (a paragraph break), a single line break stays
 * one (a backslash before it), and each line after the first is indented by
 * indent spaces so it stays inside its list item. first_at_start: the text
 * begins a line (else it follows a label).
 */
static void md_text(FILE *out, const char *s, int indent, bool first_at_start)
{
	bool first = true, pending_blank = false;

	while (*s) {
		size_t len = strcspn(s, "\n");
		const char *end = s + len, *p = s;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (p == end) {
			pending_blank = !first;
		} else {
			/* A line break stays one: "\" ends the line (CommonMark). */
			if (!first)
				fprintf(out, "%s\n%*s", pending_blank ? "\n" : "\\", indent, "");
			pending_blank = false;
			if (!first || first_at_start) {
				const char *d = p;

				while (d < end && isdigit((unsigned char)*d) && d - p < 9)
					d++;
				if (strchr("#>-+=", *p)) {
					fputc('\\', out);
				} else if (d > p && d < end && (*d == '.' || *d == ')')) {
					fwrite(p, 1, (size_t)(d - p), out);
					fputc('\\', out);
					p = d;
				}
			}
			for (; p < end; p++) {
				unsigned char ch = (unsigned char)*p;

				if (ch && strchr("\\`*_[]<~", ch))
					fputc('\\', out);
				if (ch == '\t')
					ch = ' ';
				else if (ch < 0x20 || ch == 0x7f)
					ch = '?';
				fputc(ch, out);
			}
			first = false;
		}
		s += len;
		if (*s == '\n')
			s++;
	}
}

static const char *note_label(enum cs_answer a)
{
	switch (a) {
	case CS_ANSWER_NO:
		return "Customer-support risk";
	case CS_ANSWER_NA:
		return "Justification";
	default:
		return "Note";
	}
}

int cs_checklist_export_md(const struct cs_checklist *c,
			   const struct cs_checklist_def *def, FILE *out)
{
	int i, k, j, indent;

	fprintf(out, "# %s: ", def->name);
	md_text(out, c->title, 0, false);
	fprintf(out, "\n\n- **Checklist Version**: %s\n- **Revision**: %d\n"
		"- **Status**: %s\n\n## Checklist Items\n\n", c->version, c->revision,
		c->is_signed ? "Signed" : "Draft (not signed)");
	for (i = 0; i < c->nitems; i++) {
		const struct cs_checklist_item *it = &c->items[i];

		indent = fprintf(out, "%d. ", it->number);
		fprintf(out, "**%s**: %s\n%*s- **Answer**: %s\n", it->title, it->text,
			indent, "", it->answer == CS_ANSWER_NONE ? "_unanswered_" :
			cs_answer_label(it->answer));
		if (it->note[0]) {
			fprintf(out, "%*s- **%s**: ", indent, "", note_label(it->answer));
			md_text(out, it->note, indent + 2, false);
			fputc('\n', out);
		}
	}
	fputs("\n## Approval\n\n", out);
	for (k = 1; k < CS_APPROVALS; k++) {
		fprintf(out, "- [%c] %s", c->approval == (enum cs_approval)k ? 'x' : ' ',
			def->approval_label[k]);
		if (def->approval_text[k][0])
			fprintf(out, " (%s)", def->approval_text[k]);
		fputc('\n', out);
	}
	fputs("\n## Support Readiness Gaps\n\n", out);
	for (k = 0; k < CS_GAP_KINDS; k++) {
		int n = 0;

		for (j = 0; j < c->ngaps; j++)
			n += c->gaps[j].kind == (enum cs_gap_kind)k;
		fprintf(out, "- [%c] %s", n ? 'x' : ' ', def->gap_label[k]);
		if (n) {
			fprintf(out, " (%s: ", n > 1 ? "issues" : "issue");
			for (j = 0; j < c->ngaps; j++) {
				if (c->gaps[j].kind != (enum cs_gap_kind)k)
					continue;
				md_text(out, c->gaps[j].issue, 0, false);
				if (--n)
					fputs(", ", out);
			}
			fputc(')', out);
		}
		fputc('\n', out);
	}
	fputs("\n## Notes\n\n", out);
	if (c->notes[0])
		md_text(out, c->notes, 0, true);
	else
		fputs("_None._", out);
	fputs("\n\n## Sign-off\n\n- **Reviewer**: ", out);
	if (c->is_signed)
		md_text(out, c->reviewer, 0, false);
	else
		fputs("_not signed_", out);
	fprintf(out, "\n- **Date**: %s\n- **Checklist Version**: %s\n- **Signature**: ",
		c->is_signed ? c->signed_at : "_not signed_", c->version);
	if (c->is_signed) {
		fputs("/s/ ", out);
		md_text(out, c->reviewer, 0, false);
	} else {
		fputs("_not signed_", out);
	}
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}
