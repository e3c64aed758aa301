/* plans.c — success plans, milestones, recovery proposals. See plans.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/db.h"
#include "casey/ini.h"
#include "casey/plans.h"
#include "casey/value.h"
#include "text.h"

#define DEFAULT_DEF "plans.ini"

static const char *const plan_status_names[] = { "active", "on_hold", "completed", "cancelled" };
static const char *const ms_status_names[] = { "pending", "in_progress", "completed",
					       "cancelled" };
static const char *const priority_names[] = { "low", "medium", "high", "critical" };

const char *cs_plan_status_name(enum cs_plan_status s)
{
	return (unsigned)s < CS_PLAN_STATUSES ? plan_status_names[s] : NULL;
}

const char *cs_ms_status_name(enum cs_ms_status s)
{
	return (unsigned)s < CS_MS_STATUSES ? ms_status_names[s] : NULL;
}

const char *cs_ms_priority_name(enum cs_ms_priority p)
{
	return (unsigned)p < CS_PRIORITIES ? priority_names[p] : NULL;
}

/* s among names[0..n), '-' read as '_'; the index or -1. */
static int find_name(const char *s, const char *const *names, int n)
{
	char buf[32];
	size_t i;

	if (!s || strlen(s) >= sizeof(buf))
		return -1;
	for (i = 0; s[i]; i++)
		buf[i] = s[i] == '-' ? '_' : s[i];
	buf[i] = '\0';
	for (int k = 0; k < n; k++)
		if (!strcmp(buf, names[k]))
			return k;
	return -1;
}

int cs_plan_status_parse(const char *s, enum cs_plan_status *out)
{
	int k = find_name(s, plan_status_names, CS_PLAN_STATUSES);

	if (k < 0)
		return -1;
	*out = (enum cs_plan_status)k;
	return 0;
}

int cs_ms_status_parse(const char *s, enum cs_ms_status *out)
{
	int k = s && !strcmp(s, "done") ? CS_MS_COMPLETED :
		find_name(s, ms_status_names, CS_MS_STATUSES);

	if (k < 0)
		return -1;
	*out = (enum cs_ms_status)k;
	return 0;
}

int cs_ms_priority_parse(const char *s, enum cs_ms_priority *out)
{
	int k = find_name(s, priority_names, CS_PRIORITIES);

	if (k < 0)
		return -1;
	*out = (enum cs_ms_priority)k;
	return 0;
}

/* ---- text checks ---------------------------------------------------------- */

int cs_plan_text(const char *in, bool multiline, size_t max, char *out, const char *what,
		 struct cs_diag *diag)
{
	return cs_text_clean(in, multiline, max, out, what, diag);
}

/* ---- the definition: assets/plans.ini -------------------------------------- */

struct def_load {
	struct cs_plans_def *def;
	struct cs_ini *ini;
	/* where each template milestone was given, 0 if not */
	int ms_line[CS_PLAN_TYPES_MAX][CS_PLAN_TEMPLATE_MAX];
	int type_line[CS_PLAN_TYPES_MAX], review_line[CS_PLAN_TYPES_MAX];
};

#define def_fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)

static bool valid_key(const char *k)
{
	size_t n = strlen(k);

	if (!n || n > CS_PLAN_KEY_MAX || !islower((unsigned char)k[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)k[i]) && !isdigit((unsigned char)k[i]) && k[i] != '_')
			return false;
	return true;
}

/* Copy value into dst (size bytes); 0 with a message when it does not fit. */
static int def_copy(struct def_load *ld, char *dst, size_t size, const char *value,
		    const char *section, const char *name)
{
	size_t n = strlen(value);

	if (!n)
		return def_fail(ld, "[%s] %s is empty", section, name);
	if (n >= size)
		return def_fail(ld, "[%s] %s is longer than %zu bytes", section, name, size - 1);
	if (!cs_utf8_valid(value, n) || cs_has_control(value, n))
		return def_fail(ld, "[%s] %s is not plain UTF-8 text", section, name);
	memcpy(dst, value, n + 1);
	return 1;
}

/* The field of "a | b | c | d" starting at s, trimmed, into buf; s moves past it. */
static const char *field(const char **s, char *buf, size_t size, bool last)
{
	const char *p = *s, *end;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	end = last ? p + strlen(p) : strchr(p, '|');
	if (!end)
		return NULL;
	*s = *end ? end + 1 : end;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - p);
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static int template_line(struct def_load *ld, struct cs_plan_template *t, const char *section,
			 const char *name, const char *value)
{
	char days[32], owner[CS_PLAN_OWNER_MAX + 2], prio[32], title[CS_PLAN_TITLE_MAX + 2];
	const char *s = value;
	char *end;
	long d;

	if (!field(&s, days, sizeof(days), false) || !field(&s, owner, sizeof(owner), false) ||
	    !field(&s, prio, sizeof(prio), false) || !field(&s, title, sizeof(title), true))
		return def_fail(ld, "[%s] %s is not DAYS | OWNER | PRIORITY | TITLE", section,
				name);
	d = isdigit((unsigned char)days[0]) ? strtol(days, &end, 10) : -1;
	if (d < 0 || *end || d > 3660)
		return def_fail(ld, "[%s] %s: '%s' is not a number of days (0..3660)", section,
				name, days);
	t->days = (int)d;
	if (cs_ms_priority_parse(prio, &t->priority))
		return def_fail(ld, "[%s] %s: '%s' is not a priority (low, medium, high, "
				"critical)", section, name, prio);
	t->owner_csm = !strcmp(owner, "csm");
	if (!t->owner_csm && !def_copy(ld, t->owner, sizeof(t->owner), owner, section, name))
		return 0;
	return def_copy(ld, t->title, sizeof(t->title), title, section, name);
}

/* Does the normalised name n mean review type t (its key, label or an alias)? */
static bool review_names(const struct cs_review_type *t, const char *n)
{
	char norm[CS_PLAN_LABEL_MAX + 1];
	const char *p = t->aliases, *end;
	size_t len = strlen(n);

	if (!len)
		return false;
	cs_header_norm(t->key, norm, sizeof(norm));
	if (!strcmp(norm, n))
		return true;
	cs_header_norm(t->label, norm, sizeof(norm));
	if (!strcmp(norm, n))
		return true;
	for (; *p; p = *end ? end + 1 : end) {
		end = strchr(p, '|');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) == len && !memcmp(p, n, len))
			return true;
	}
	return false;
}

/* "aliases = QBR, quarterly review": normalised into review type i's list. */
static int review_aliases(struct def_load *ld, int i, const char *section, const char *value)
{
	struct cs_review_type *t = &ld->def->reviews[i];
	char one[CS_PLAN_LABEL_MAX + 1], norm[CS_PLAN_LABEL_MAX + 1];
	const char *p = value;
	size_t n = strlen(t->aliases);

	while (*p) {
		size_t w;

		while (*p == ' ' || *p == '\t')
			p++;
		w = strcspn(p, ",");
		while (w && (p[w - 1] == ' ' || p[w - 1] == '\t'))
			w--;
		if (w >= sizeof(one))
			return def_fail(ld, "[%s] aliases: '%.*s' is longer than %zu bytes",
					section, (int)w, p, sizeof(one) - 1);
		memcpy(one, p, w);
		one[w] = '\0';
		p += w;
		while (*p == ' ' || *p == '\t')
			p++;
		p += *p == ',';
		cs_header_norm(one, norm, sizeof(norm));
		if (!norm[0])
			return def_fail(ld, "[%s] aliases: '%s' has no letters or digits", section,
					one);
		for (int k = 0; k < ld->def->nreviews; k++)
			if (review_names(&ld->def->reviews[k], norm))
				return def_fail(ld, "[%s] aliases: '%s' already names [review.%s]",
						section, one, ld->def->reviews[k].key);
		if (n + strlen(norm) + 1 > CS_REVIEW_ALIASES_MAX)
			return def_fail(ld, "[%s] aliases: more than %d bytes in all", section,
					CS_REVIEW_ALIASES_MAX);
		n += (size_t)snprintf(t->aliases + n, sizeof(t->aliases) - n, "%s%s",
				      n ? "|" : "", norm);
	}
	return 1;
}

static int def_handler(struct cs_ini *ini, const char *section, const char *name,
		       const char *value)
{
	struct def_load *ld = ini->user;
	struct cs_plans_def *def = ld->def;
	bool review = !strncmp(section, "review.", 7);
	const char *key;
	int i;

	ld->ini = ini;
	if (strncmp(section, "type.", 5) && !review)
		return def_fail(ld, "unknown section [%s]", section);
	key = section + (review ? 7 : 5);
	if (!valid_key(key))
		return def_fail(ld, "[%s]: '%s' is not a key (lowercase letters, digits, _; "
				"at most %d)", section, key, CS_PLAN_KEY_MAX);
	if (review) {
		for (i = 0; i < def->nreviews && strcmp(def->reviews[i].key, key); i++)
			;
		if (i == def->nreviews) {
			if (i == CS_PLAN_TYPES_MAX)
				return def_fail(ld, "more than %d review types", CS_PLAN_TYPES_MAX);
			snprintf(def->reviews[i].key, sizeof(def->reviews[i].key), "%s", key);
			ld->review_line[i] = ini->line;
			def->nreviews++;
		}
		if (!strcmp(name, "label"))
			return def_copy(ld, def->reviews[i].label, sizeof(def->reviews[i].label),
					value, section, name);
		if (!strcmp(name, "aliases"))
			return review_aliases(ld, i, section, value);
		return def_fail(ld, "unknown setting '%s' in [%s]", name, section);
	}
	for (i = 0; i < def->ntypes && strcmp(def->types[i].key, key); i++)
		;
	if (i == def->ntypes) {
		if (i == CS_PLAN_TYPES_MAX)
			return def_fail(ld, "more than %d plan types", CS_PLAN_TYPES_MAX);
		snprintf(def->types[i].key, sizeof(def->types[i].key), "%s", key);
		ld->type_line[i] = ini->line;
		def->ntypes++;
	}
	if (!strcmp(name, "label"))
		return def_copy(ld, def->types[i].label, sizeof(def->types[i].label), value,
				section, name);
	if (!strncmp(name, "milestone.", 10)) {
		const char *num = name + 10;
		char *end;
		long n = isdigit((unsigned char)*num) && *num != '0' ? strtol(num, &end, 10) : 0;

		if (n < 1 || *end || n > CS_PLAN_TEMPLATE_MAX)
			return def_fail(ld, "[%s] %s: milestones are numbered 1..%d", section, name,
					CS_PLAN_TEMPLATE_MAX);
		if (ld->ms_line[i][n - 1])
			return def_fail(ld, "[%s] %s is given twice", section, name);
		ld->ms_line[i][n - 1] = ini->line;
		if (n > def->types[i].nms)
			def->types[i].nms = (int)n;
		return template_line(ld, &def->types[i].ms[n - 1], section, name, value);
	}
	return def_fail(ld, "unknown setting '%s' in [%s]", name, section);
}

static int def_validate(struct def_load *ld, struct cs_diag *diag)
{
	struct cs_plans_def *def = ld->def;
	const char *path = def->path;

	for (int i = 0; i < def->ntypes; i++) {
		if (!def->types[i].label[0])
			return cs_error(diag, "%s:%d: [type.%s] needs a label", path,
					ld->type_line[i], def->types[i].key);
		for (int k = 0; k < def->types[i].nms; k++)
			if (!ld->ms_line[i][k])
				return cs_error(diag, "%s:%d: [type.%s] has no milestone.%d "
						"(milestones are numbered 1..%d without holes)",
						path, ld->type_line[i], def->types[i].key, k + 1,
						def->types[i].nms);
	}
	for (int i = 0; i < def->nreviews; i++)
		if (!def->reviews[i].label[0])
			return cs_error(diag, "%s:%d: [review.%s] needs a label", path,
					ld->review_line[i], def->reviews[i].key);
	/* a name from an export must mean one review type */
	for (int i = 0; i < def->nreviews; i++) {
		const char *names[2] = { def->reviews[i].key, def->reviews[i].label };
		char norm[CS_PLAN_LABEL_MAX + 1];

		for (int n = 0; n < 2; n++) {
			cs_header_norm(names[n], norm, sizeof(norm));
			for (int k = 0; k < def->nreviews; k++)
				if (k != i && review_names(&def->reviews[k], norm))
					return cs_error(diag, "%s:%d: [review.%s]: '%s' already "
							"names [review.%s]", path,
							ld->review_line[i], def->reviews[i].key,
							names[n], def->reviews[k].key);
		}
	}
	if (cs_plan_type_find(def, "recovery") < 0)
		return cs_error(diag, "%s: no [type.recovery] (the plan proposed for Red "
				"customers)", path);
	if (!def->nreviews)
		return cs_error(diag, "%s: no business-review types ([review.qbr], ...)", path);
	return 0;
}

int cs_plans_def_load(const char *name, struct cs_plans_def *def, struct cs_diag *diag)
{
	struct def_load *ld;
	int rc;

	memset(def, 0, sizeof(*def));
	if (name && strchr(name, '/')) {
		if ((size_t)snprintf(def->path, sizeof(def->path), "%s", name) >=
		    sizeof(def->path))
			return cs_error(diag, "plans definition path is too long");
	} else {
		if (!name)
			name = DEFAULT_DEF;
		if (cs_asset_find(name, def->path, sizeof(def->path)))
			return cs_error(diag, "no plans definition '%s' (looked in the assets "
					"directories)", name);
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

int cs_plan_type_find(const struct cs_plans_def *def, const char *key)
{
	for (int i = 0; key && i < def->ntypes; i++)
		if (!strcmp(def->types[i].key, key))
			return i;
	return -1;
}

int cs_review_type_find(const struct cs_plans_def *def, const char *key)
{
	for (int i = 0; key && i < def->nreviews; i++)
		if (!strcmp(def->reviews[i].key, key))
			return i;
	return -1;
}

int cs_review_type_match(const struct cs_plans_def *def, const char *name)
{
	char norm[2 * CS_PLAN_LABEL_MAX + 1];

	if (!name)
		return -1;
	/* longer than any name: never one (and not cut into one) */
	if (strlen(name) > 2 * CS_PLAN_LABEL_MAX)
		return -1;
	cs_header_norm(name, norm, sizeof(norm));
	for (int i = 0; i < def->nreviews; i++)
		if (review_names(&def->reviews[i], norm))
			return i;
	return -1;
}

void cs_plan_type_keys(const struct cs_plans_def *def, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < def->ntypes && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					def->types[i].key);
}

void cs_review_type_keys(const struct cs_plans_def *def, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < def->nreviews && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
					def->reviews[i].key);
}

/* ---- database helpers ------------------------------------------------------- */

/*
 * Resolve the open actions of the milestones of plan id (by_plan) or of
 * milestone id that are not overdue on day; *last (may be NULL) gets one
 * resolved action's id, 0 if none.
 */
#define RESOLVE_SQL(WHICH) \
	"UPDATE actions SET status = 'resolved', resolved_at = ?1, outcome = ?3" \
	" WHERE status NOT IN ('resolved','dismissed') AND rule_key IN" \
	" (SELECT 'milestone:' || m.milestone_id FROM milestones m" \
	"   JOIN success_plans p USING (plan_id)" \
	"  WHERE " WHICH " = ?2 AND NOT (m.status IN ('pending','in_progress')" \
	"    AND m.due_date < ?1 AND p.status = 'active'))" \
	" RETURNING action_id"

static int resolve_actions(sqlite3 *db, bool by_plan, int64_t id, int32_t day,
			   const char *outcome, long *last, struct cs_diag *diag)
{
	static const char plan_sql[] = RESOLVE_SQL("m.plan_id");
	static const char ms_sql[] = RESOLVE_SQL("m.milestone_id");
	sqlite3_stmt *st;
	char d[11];
	int rc;

	if (last)
		*last = 0;
	cs_format_day(day, d);
	/* Not overdue: done, cancelled, not yet due, or its plan not active. */
	if (cs_db_prepare(db, by_plan ? plan_sql : ms_sql, &st, diag, "success plans"))
		return -1;
	sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, outcome, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (last)
			*last = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "resolving a milestone's action");
	return 0;
}

/* ---- plans -------------------------------------------------------------- */

/* The customer's CSM into csm ("" when none); -1 with "no customer" when it does not exist. */
static int customer_csm(sqlite3 *db, const char *customer_id, char *csm, size_t size,
			struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (cs_db_prepare(db, "SELECT coalesce(csm, '') FROM customers WHERE customer_id = ?1", &st,
		    diag, "success plans"))
		return -1;
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		cs_db_col_text(st, 0, csm, size);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no customer '%s'", customer_id);
	return cs_db_error(db, diag, "reading the customer");
}

static int insert_milestone(sqlite3 *db, int64_t plan_id, const char *title, int32_t due,
			    const char *owner, enum cs_ms_priority prio, int64_t *id,
			    struct cs_diag *diag)
{
	sqlite3_stmt *st;
	char d[11];

	cs_format_day(due, d);
	if (cs_db_prepare(db, "INSERT INTO milestones (plan_id, title, due_date, owner, priority)"
		    " VALUES (?1, ?2, ?3, ?4, ?5)", &st, diag, "success plans"))
		return -1;
	sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_text(st, 2, title, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, d, -1, SQLITE_TRANSIENT);
	cs_db_bind_text_or_null(st, 4, owner);
	sqlite3_bind_text(st, 5, priority_names[prio], -1, SQLITE_STATIC);
	if (cs_db_run(db, st, diag, "adding a milestone"))
		return -1;
	if (id)
		*id = sqlite3_last_insert_rowid(db);
	return 0;
}

int cs_plan_create(sqlite3 *db, const struct cs_plans_def *def, const char *customer_id,
		   const char *type, const char *title, bool template, int32_t day,
		   int64_t *id, struct cs_diag *diag)
{
	char clean[CS_PLAN_TITLE_MAX + 1], csm[CS_PLAN_OWNER_MAX + 1], d[11];
	const struct cs_plan_type *t;
	sqlite3_stmt *st;
	int k = cs_plan_type_find(def, type);

	if (k < 0) {
		char keys[400];

		cs_plan_type_keys(def, keys, sizeof(keys));
		return cs_error(diag, "'%s' is not a plan type (%s)", type ? type : "", keys);
	}
	t = &def->types[k];
	if (cs_plan_text(title, false, CS_PLAN_TITLE_MAX, clean, "the title", diag))
		return -1;
	if (!clean[0])
		snprintf(clean, sizeof(clean), "%s plan", t->label);
	cs_format_day(day, d);
	if (cs_db_begin(db, diag))
		return -1;
	if (customer_csm(db, customer_id, csm, sizeof(csm), diag) ||
	    cs_db_prepare(db, "INSERT INTO success_plans (customer_id, type, title, created_at,"
		    " updated_at) VALUES (?1, ?2, ?3, ?4, ?4)", &st, diag, "success plans"))
		goto fail;
	sqlite3_bind_text(st, 1, customer_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t->key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, clean, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, d, -1, SQLITE_TRANSIENT);
	if (cs_db_run(db, st, diag, "creating a success plan"))
		goto fail;
	*id = sqlite3_last_insert_rowid(db);
	for (int i = 0; template && i < t->nms; i++)
		if (insert_milestone(db, *id, t->ms[i].title, day + t->ms[i].days,
				     t->ms[i].owner_csm ? csm : t->ms[i].owner,
				     t->ms[i].priority, NULL, diag))
			goto fail;
	return cs_db_commit(db, diag);
fail:
	cs_db_rollback(db);
	return -1;
}

/* Counts of a plan's milestones: all, completed, overdue on ?1 (plan p). */
#define PLAN_COUNTS \
	" (SELECT count(*) FROM milestones m WHERE m.plan_id = p.plan_id)," \
	" (SELECT count(*) FROM milestones m WHERE m.plan_id = p.plan_id" \
	"    AND m.status = 'completed')," \
	" CASE WHEN p.status = 'active' THEN (SELECT count(*) FROM milestones m" \
	"    WHERE m.plan_id = p.plan_id AND m.status IN ('pending','in_progress')" \
	"    AND m.due_date < ?1) ELSE 0 END," \
	" (SELECT min(m.due_date) FROM milestones m WHERE m.plan_id = p.plan_id" \
	"    AND m.status IN ('pending','in_progress'))"

static void read_summary(sqlite3_stmt *st, struct cs_plan_summary *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	cs_db_col_text(st, 1, r->customer_id, sizeof(r->customer_id));
	cs_db_col_text(st, 2, r->customer_name, sizeof(r->customer_name));
	cs_db_col_text(st, 3, r->type, sizeof(r->type));
	cs_db_col_text(st, 4, r->title, sizeof(r->title));
	cs_plan_status_parse((const char *)sqlite3_column_text(st, 5), &r->status);
	cs_db_col_text(st, 6, r->created_at, sizeof(r->created_at));
	r->nms = sqlite3_column_int(st, 7);
	r->done = sqlite3_column_int(st, 8);
	r->overdue = sqlite3_column_int(st, 9);
	cs_db_col_text(st, 10, r->next_due, sizeof(r->next_due));
}

int cs_plans_list(sqlite3 *db, const char *customer_id, bool all, int32_t day,
		  struct cs_plan_summary **out, int *n, struct cs_diag *diag)
{
	/* one customer's by their index, not a walk of every plan (cs_plans_proposed) */
#define PLANS_SQL(FILTER) \
		"SELECT p.plan_id, p.customer_id, c.name, p.type, p.title, p.status," \
		" p.created_at," PLAN_COUNTS \
		" FROM success_plans p JOIN customers c USING (customer_id)" \
		" WHERE " FILTER " AND (?3 OR p.status IN ('active','on_hold'))" \
		" ORDER BY p.customer_id, p.plan_id"
	static const char *const sql[2] = { PLANS_SQL("1"), PLANS_SQL("p.customer_id = ?2") };
#undef PLANS_SQL
	struct cs_plan_summary *rows = NULL, *grown;
	int cap = 0, rc;
	sqlite3_stmt *st;
	char d[11];

	*out = NULL;
	*n = 0;
	cs_format_day(day, d);
	if (cs_db_prepare(db, sql[customer_id != NULL], &st, diag, "success plans"))
		return -1;
	sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
	cs_db_bind_text_or_null(st, 2, customer_id);
	sqlite3_bind_int(st, 3, all);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(rows, (size_t)cap * sizeof(*rows));
			if (!grown) {
				sqlite3_finalize(st);
				free(rows);
				return cs_error(diag, "out of memory");
			}
			rows = grown;
		}
		read_summary(st, &rows[(*n)++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(rows);
		*n = 0;
		return cs_db_error(db, diag, "listing success plans");
	}
	*out = rows;
	return 0;
}

int cs_plan_load(sqlite3 *db, int64_t id, int32_t day, struct cs_plan *p, struct cs_diag *diag)
{
	static const char plan_sql[] =
		"SELECT p.plan_id, p.customer_id, c.name, p.type, p.title, p.status,"
		" coalesce(p.objectives, ''), p.created_at, p.updated_at"
		" FROM success_plans p JOIN customers c USING (customer_id) WHERE p.plan_id = ?1";
	static const char ms_sql[] =
		"SELECT milestone_id, title, due_date, coalesce(owner, ''), priority, status,"
		" coalesce(completed_at, '') FROM milestones WHERE plan_id = ?1"
		" ORDER BY due_date, milestone_id";
	sqlite3_stmt *st;
	char d[11];
	int rc;

	memset(p, 0, sizeof(*p));
	cs_format_day(day, d);
	if (cs_db_prepare(db, plan_sql, &st, diag, "success plans"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->id = sqlite3_column_int64(st, 0);
		cs_db_col_text(st, 1, p->customer_id, sizeof(p->customer_id));
		cs_db_col_text(st, 2, p->customer_name, sizeof(p->customer_name));
		cs_db_col_text(st, 3, p->type, sizeof(p->type));
		cs_db_col_text(st, 4, p->title, sizeof(p->title));
		cs_plan_status_parse((const char *)sqlite3_column_text(st, 5), &p->status);
		cs_db_col_text(st, 6, p->objectives, sizeof(p->objectives));
		cs_db_col_text(st, 7, p->created_at, sizeof(p->created_at));
		cs_db_col_text(st, 8, p->updated_at, sizeof(p->updated_at));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no plan %lld", (long long)id);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading a success plan");
	if (cs_db_prepare(db, ms_sql, &st, diag, "success plans"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && p->nms < CS_PLAN_MILESTONES_MAX) {
		struct cs_milestone *m = &p->ms[p->nms++];

		m->id = sqlite3_column_int64(st, 0);
		m->plan_id = id;
		cs_db_col_text(st, 1, m->title, sizeof(m->title));
		cs_db_col_text(st, 2, m->due, sizeof(m->due));
		cs_db_col_text(st, 3, m->owner, sizeof(m->owner));
		cs_ms_priority_parse((const char *)sqlite3_column_text(st, 4), &m->priority);
		cs_ms_status_parse((const char *)sqlite3_column_text(st, 5), &m->status);
		cs_db_col_text(st, 6, m->completed_at, sizeof(m->completed_at));
		m->overdue = p->status == CS_PLAN_ACTIVE &&
			     (m->status == CS_MS_PENDING || m->status == CS_MS_IN_PROGRESS) &&
			     strcmp(m->due, d) < 0;
		p->done += m->status == CS_MS_COMPLETED;
		p->overdue += m->overdue;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading milestones");
	return 0;
}

/* Does plan id exist? 0 yes, -1 reported. */
static int plan_exists(sqlite3 *db, int64_t id, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (cs_db_prepare(db, "SELECT 1 FROM success_plans WHERE plan_id = ?1", &st, diag, "success plans"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no plan %lld", (long long)id);
	return cs_db_error(db, diag, "reading a success plan");
}

static int touch_plan(sqlite3 *db, int64_t id, const char *day, struct cs_diag *diag)
{
	sqlite3_stmt *st;

	if (cs_db_prepare(db, "UPDATE success_plans SET updated_at = ?2 WHERE plan_id = ?1", &st, diag, "success plans"))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, day, -1, SQLITE_TRANSIENT);
	return cs_db_run(db, st, diag, "updating a success plan");
}

int cs_plan_update(sqlite3 *db, int64_t id, const char *title, bool status_set,
		   enum cs_plan_status status, const char *objectives, int32_t day,
		   struct cs_diag *diag)
{
	char t[CS_PLAN_TITLE_MAX + 1], o[CS_PLAN_TEXT_MAX + 1], d[11];
	sqlite3_stmt *st;

	if (title && cs_plan_text(title, false, CS_PLAN_TITLE_MAX, t, "the title", diag))
		return -1;
	if (title && !t[0])
		return cs_error(diag, "the title cannot be empty");
	if (objectives && cs_plan_text(objectives, true, CS_PLAN_TEXT_MAX, o, "the objectives",
				       diag))
		return -1;
	if (status_set && !cs_plan_status_name(status))
		return cs_error(diag, "not a plan status: %d", (int)status);
	cs_format_day(day, d);
	if (cs_db_begin(db, diag))
		return -1;
	if (plan_exists(db, id, diag) ||
	    cs_db_prepare(db, "UPDATE success_plans SET title = coalesce(?2, title),"
		    " status = coalesce(?3, status),"
		    " objectives = CASE WHEN ?4 IS NULL THEN objectives ELSE nullif(?4, '') END,"
		    " updated_at = ?5 WHERE plan_id = ?1", &st, diag, "success plans"))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (title)
		sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	if (status_set)
		sqlite3_bind_text(st, 3, plan_status_names[status], -1, SQLITE_STATIC);
	if (objectives)
		sqlite3_bind_text(st, 4, o, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, d, -1, SQLITE_TRANSIENT);
	if (cs_db_run(db, st, diag, "updating a success plan") ||
	    resolve_actions(db, true, id, day,
			    "the milestone's plan is no longer active", NULL, diag))
		goto fail;
	return cs_db_commit(db, diag);
fail:
	cs_db_rollback(db);
	return -1;
}

/* ---- milestones --------------------------------------------------------- */

static int count_milestones(sqlite3 *db, int64_t plan_id, int *n, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (cs_db_prepare(db, "SELECT count(*) FROM milestones WHERE plan_id = ?1", &st, diag, "success plans"))
		return -1;
	sqlite3_bind_int64(st, 1, plan_id);
	rc = sqlite3_step(st);
	*n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting milestones");
}

int cs_milestone_add(sqlite3 *db, int64_t plan_id, const char *title, int32_t due,
		     const char *owner, enum cs_ms_priority priority, int32_t day, int64_t *ms_id,
		     struct cs_diag *diag)
{
	char t[CS_PLAN_TITLE_MAX + 1], o[CS_PLAN_OWNER_MAX + 1], d[11];
	int n;

	if (cs_plan_text(title, false, CS_PLAN_TITLE_MAX, t, "the title", diag) ||
	    cs_plan_text(owner, false, CS_PLAN_OWNER_MAX, o, "the owner", diag))
		return -1;
	if (!t[0])
		return cs_error(diag, "a milestone needs a title");
	if (!cs_ms_priority_name(priority))
		return cs_error(diag, "not a priority: %d", (int)priority);
	cs_format_day(day, d);
	if (cs_db_begin(db, diag))
		return -1;
	if (plan_exists(db, plan_id, diag) || count_milestones(db, plan_id, &n, diag))
		goto fail;
	if (n >= CS_PLAN_MILESTONES_MAX) {
		cs_error(diag, "plan %lld already has %d milestones, the most a plan holds",
			 (long long)plan_id, n);
		goto fail;
	}
	if (insert_milestone(db, plan_id, t, due, o, priority, ms_id, diag) ||
	    touch_plan(db, plan_id, d, diag))
		goto fail;
	return cs_db_commit(db, diag);
fail:
	cs_db_rollback(db);
	return -1;
}

int64_t cs_milestone_plan(sqlite3 *db, int64_t id, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int64_t plan = 0;
	int rc;

	if (cs_db_prepare(db, "SELECT plan_id FROM milestones WHERE milestone_id = ?1", &st, diag, "success plans"))
		return 0;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		plan = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		cs_error(diag, "no milestone %lld", (long long)id);
	else if (rc != SQLITE_ROW)
		cs_db_error(db, diag, "reading a milestone");
	return plan;
}

int cs_milestone_update(sqlite3 *db, int64_t id, const struct cs_milestone_change *ch,
			int32_t day, long *resolved, struct cs_diag *diag)
{
	static const char sql[] =
		"UPDATE milestones SET title = coalesce(?2, title),"
		" due_date = coalesce(?3, due_date),"
		" owner = CASE WHEN ?4 IS NULL THEN owner ELSE nullif(?4, '') END,"
		" priority = coalesce(?5, priority),"
		" status = coalesce(?6, status),"
		" completed_at = CASE WHEN ?6 IS NULL THEN completed_at"
		"   WHEN ?6 = 'completed' THEN coalesce(completed_at, ?7) ELSE NULL END"
		" WHERE milestone_id = ?1";
	char t[CS_PLAN_TITLE_MAX + 1], o[CS_PLAN_OWNER_MAX + 1], d[11], due[11];
	sqlite3_stmt *st;
	int64_t plan;
	long res = 0;

	if (resolved)
		*resolved = 0;
	if (ch->title && cs_plan_text(ch->title, false, CS_PLAN_TITLE_MAX, t, "the title", diag))
		return -1;
	if (ch->title && !t[0])
		return cs_error(diag, "a milestone needs a title");
	if (ch->owner && cs_plan_text(ch->owner, false, CS_PLAN_OWNER_MAX, o, "the owner", diag))
		return -1;
	if ((ch->priority_set && !cs_ms_priority_name(ch->priority)) ||
	    (ch->status_set && !cs_ms_status_name(ch->status)))
		return cs_error(diag, "not a priority or status");
	cs_format_day(day, d);
	if (ch->due_set)
		cs_format_day(ch->due, due);
	if (cs_db_begin(db, diag))
		return -1;
	if (!(plan = cs_milestone_plan(db, id, diag)) || cs_db_prepare(db, sql, &st, diag, "success plans"))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (ch->title)
		sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	if (ch->due_set)
		sqlite3_bind_text(st, 3, due, -1, SQLITE_TRANSIENT);
	if (ch->owner)
		sqlite3_bind_text(st, 4, o, -1, SQLITE_TRANSIENT);
	if (ch->priority_set)
		sqlite3_bind_text(st, 5, priority_names[ch->priority], -1, SQLITE_STATIC);
	if (ch->status_set)
		sqlite3_bind_text(st, 6, ms_status_names[ch->status], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, d, -1, SQLITE_TRANSIENT);
	if (cs_db_run(db, st, diag, "updating a milestone") || touch_plan(db, plan, d, diag) ||
	    resolve_actions(db, false, id, day,
			    ch->status_set && ch->status == CS_MS_COMPLETED ?
			    "milestone completed" : "the milestone is no longer overdue",
			    &res, diag))
		goto fail;
	if (cs_db_commit(db, diag))
		return -1;
	if (resolved)
		*resolved = res;
	return 0;
fail:
	cs_db_rollback(db);
	return -1;
}

/* ---- recovery proposals -------------------------------------------------------- */

long cs_plans_proposed(sqlite3 *db, const char *profile, int32_t day, const char *customer_id,
		       cs_plan_proposal_cb cb, void *ctx, struct cs_diag *diag)
{
	/*
	 * The profile's latest run on or before the day; its Red customers
	 * through the at-risk index (Red is always at risk), largest ARR first:
	 * the index's order, no sort (the run's day must be a scalar subquery
	 * for SQLite to pick that index). For one customer (the detail screen,
	 * plan accept) its own statement, which seeks the row by primary key:
	 * "?3 IS NULL OR customer_id = ?3" read every at-risk row of the day
	 * (0.3 s at a million customers).
	 */
#define PROPOSED_SQL(FILTER) \
		"SELECT s.customer_id, c.name, coalesce(c.csm, ''), c.arr, s.score, s.as_of" \
		"  FROM snapshots s JOIN customers c USING (customer_id)" \
		" WHERE s.profile = ?1 AND s.as_of = (SELECT max(as_of) FROM snapshot_stats" \
		"        WHERE profile = ?1 AND as_of <= ?2)" \
		"   AND s.at_risk = 1 AND s.band = 'red' AND " FILTER \
		"   AND NOT EXISTS (SELECT 1 FROM success_plans p" \
		"        WHERE p.customer_id = s.customer_id AND p.type = 'recovery'" \
		"          AND p.status IN ('active','on_hold'))" \
		" ORDER BY s.arr DESC, s.customer_id"
	static const char *const sql[2] = { PROPOSED_SQL("1"), PROPOSED_SQL("s.customer_id = ?3") };
#undef PROPOSED_SQL
	sqlite3_stmt *st;
	long n = 0;
	char d[11];
	int rc;

	cs_format_day(day, d);
	if (cs_db_prepare(db, sql[customer_id != NULL], &st, diag, "success plans"))
		return -1;
	sqlite3_bind_text(st, 1, profile, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, d, -1, SQLITE_TRANSIENT);
	cs_db_bind_text_or_null(st, 3, customer_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_plan_proposal p = {
			.customer_id = (const char *)sqlite3_column_text(st, 0),
			.name = (const char *)sqlite3_column_text(st, 1),
			.csm = (const char *)sqlite3_column_text(st, 2),
			.arr_known = sqlite3_column_type(st, 3) != SQLITE_NULL,
			.arr = sqlite3_column_double(st, 3),
			.score = sqlite3_column_int(st, 4),
			.as_of = (const char *)sqlite3_column_text(st, 5),
		};

		n++;
		if (cb && cb(ctx, &p))
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cs_db_error(db, diag, "listing recovery proposals");
	return n;
}

/* ---- today's actions ------------------------------------------------------------ */

long cs_plans_raise_actions(sqlite3 *db, int32_t day, struct cs_diag *diag)
{
	/*
	 * One statement for every overdue milestone: the partial index
	 * milestones_open_due gives the open ones due before the day, so done
	 * milestones and future ones are never read.
	 */
	static const char sql[] =
		"INSERT INTO actions (kind, rule_key, customer_id, arr, reason, owner,"
		"  created_at, last_seen, due_at, evidence)"
		" SELECT 'milestone', 'milestone:' || m.milestone_id, p.customer_id, c.arr,"
		"  'success plan milestone overdue: ' || m.title || ' (due ' || m.due_date || ')',"
		"  coalesce(m.owner, c.csm, 'CSM'), ?1, ?1, m.due_date || ' 23:59:59',"
		"  'plan ' || p.plan_id || ' (' || p.type || '): ' || p.title || '; milestone '"
		"   || m.milestone_id || ', priority ' || m.priority || ', ' || m.status"
		"   || '; tick it: casey plan milestone done ' || m.milestone_id"
		"  FROM milestones m JOIN success_plans p USING (plan_id)"
		"  JOIN customers c ON c.customer_id = p.customer_id"
		" WHERE m.status IN ('pending','in_progress') AND m.due_date < ?1"
		"   AND p.status = 'active'"
		" ON CONFLICT (rule_key) WHERE status NOT IN ('resolved','dismissed')"
		" DO UPDATE SET reason = excluded.reason, evidence = excluded.evidence,"
		"  arr = excluded.arr, owner = excluded.owner, due_at = excluded.due_at,"
		"  last_seen = max(last_seen, excluded.last_seen)";
	sqlite3_stmt *st;
	char d[11];

	cs_format_day(day, d);
	if (cs_db_prepare(db, sql, &st, diag, "success plans"))
		return -1;
	sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
	if (cs_db_run(db, st, diag, "raising the overdue milestones' actions"))
		return -1;
	return sqlite3_changes(db);
}
