/*
 * tickets.c — tickets in the database: categorising, the CSM's decisions,
 * themes, the ticket list and the classifier's evaluation. See tickets.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/figures.h"
#include "casey/value.h"
#include "tickets_int.h"

/* Tables of at least this many tickets report progress while categorising. */
#define PROGRESS_MIN 100000
#define PROGRESS_EVERY 65536

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int count_tickets(sqlite3 *db, long *n, struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM tickets", -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "counting tickets");
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : cs_db_error(db, diag, "counting tickets");
}

/* The category a ticket is known to have: the CSM's, else the export's; -1. */
static int known_category(const struct cs_tickets_config *cfg, const char *source,
			  const char *category, const char *export_category, const char *tags)
{
	if (source && !strcmp(source, "csm"))
		return cs_category_find(category);
	return cs_export_category(cfg, export_category, tags);
}

/* ------------------------------------------------------------------ */
/* Theme classes: tag keys, interned                                    */

struct themes {
	char (*key)[CS_THEME_MAX];
	long (*cat)[CAT_COUNT];	/* labelled tickets of each category */
	int n, cap;
	uint64_t *slot_hash;
	int *slot_id;
	size_t slots;
	bool *allow[CAT_COUNT];	/* [category][class], after training */
};

static void themes_free(struct themes *t)
{
	free(t->key);
	free(t->cat);
	free(t->slot_hash);
	free(t->slot_id);
	for (int c = 0; c < CAT_COUNT; c++)
		free(t->allow[c]);
}

static size_t slot_of(uint64_t h, size_t cap)
{
	h ^= h >> 31;
	h *= 0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 17) & (cap - 1);
}

/* The class of key, added when new; -1 out of memory. */
static int theme_class(struct themes *t, const char *key)
{
	uint64_t h = tok_hash(key, strlen(key));
	size_t i;

	if (2 * ((size_t)t->n + 1) > t->slots) {
		size_t cap = t->slots ? 2 * t->slots : 256, j;
		uint64_t *sh = calloc(cap, sizeof(*sh));
		int *sid = malloc(cap * sizeof(*sid));

		if (!sh || !sid) {
			free(sh);
			free(sid);
			return -1;
		}
		for (j = 0; j < t->slots; j++) {
			if (!t->slot_hash[j])
				continue;
			for (i = slot_of(t->slot_hash[j], cap); sh[i]; i = (i + 1) & (cap - 1))
				;
			sh[i] = t->slot_hash[j];
			sid[i] = t->slot_id[j];
		}
		free(t->slot_hash);
		free(t->slot_id);
		t->slot_hash = sh;
		t->slot_id = sid;
		t->slots = cap;
	}
	for (i = slot_of(h, t->slots); t->slot_hash[i]; i = (i + 1) & (t->slots - 1))
		if (t->slot_hash[i] == h && !strcmp(t->key[t->slot_id[i]], key))
			return t->slot_id[i];
	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		void *k = realloc(t->key, (size_t)cap * sizeof(*t->key));

		if (!k)
			return -1;
		t->key = k;
		k = realloc(t->cat, (size_t)cap * sizeof(*t->cat));
		if (!k)
			return -1;
		t->cat = k;
		t->cap = cap;
	}
	snprintf(t->key[t->n], CS_THEME_MAX, "%s", key);
	memset(t->cat[t->n], 0, sizeof(t->cat[0]));
	t->slot_hash[i] = h;
	t->slot_id[i] = t->n;
	return t->n++;
}

struct theme_size {
	long docs;
	const char *key;
	int id;
};

/* Most tickets first, then by key: which themes the model may choose. */
static int by_size(const void *a, const void *b)
{
	const struct theme_size *x = a, *y = b;

	if (x->docs != y->docs)
		return x->docs < y->docs ? 1 : -1;
	return strcmp(x->key, y->key);
}

/*
 * Which theme classes an untagged ticket of each category may be given:
 * the infer_max_themes largest with infer_min_tickets tagged tickets,
 * whose labelled tickets are mostly of that category (or unlabelled).
 */
static int themes_allow(struct themes *t, const struct nb *m,
			const struct cs_tickets_config *cfg)
{
	size_t size = (size_t)(t->n ? t->n : 1);
	struct theme_size *order = malloc(size * sizeof(*order));
	int i, c, n = 0;

	for (c = 0; c < CAT_COUNT; c++)
		if (!(t->allow[c] = calloc(size, sizeof(bool))))
			break;
	if (!order || c < CAT_COUNT) {
		free(order);
		return -1;
	}
	for (i = 0; i < t->n; i++)
		if (nb_docs(m, i) >= cfg->infer_min_tickets)
			order[n++] = (struct theme_size){ nb_docs(m, i), t->key[i], i };
	qsort(order, (size_t)n, sizeof(*order), by_size);
	if (n > cfg->infer_max_themes)
		n = cfg->infer_max_themes;
	for (i = 0; i < n; i++) {
		int k = order[i].id;
		long top = 0;

		for (c = 0; c < CAT_COUNT; c++)
			if (t->cat[k][c] > top)
				top = t->cat[k][c];
		for (c = 0; c < CAT_COUNT; c++)
			t->allow[c][k] = !top || t->cat[k][c] == top;
	}
	free(order);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Categorise                                                           */

struct run {
	sqlite3 *db;
	const struct cs_tickets_config *cfg;
	struct cs_diag *diag;
	struct cs_classifier *model;
	struct nb *theme_nb;
	struct themes themes;
	struct hvec subj, desc, doc;
	double *tpost;
	long total;
	long unknown_exports;		/* export categories tickets.ini does not map */
	char unknown_example[64];
};

static void progress(struct run *r, long done, const char *what)
{
	if (r->total >= PROGRESS_MIN && !(done % PROGRESS_EVERY))
		cs_report(r->diag, CS_PROGRESS, "%s tickets: %ld%%", what,
			  100 * done / r->total);
}

/* Pass 1: train the category model and the theme model. */
static int train(struct run *r)
{
	static const char sql[] =
		"SELECT subject, description, tags, export_category, category, category_source"
		"  FROM tickets ORDER BY rowid";
	const struct cs_tickets_config *cfg = r->cfg;
	sqlite3_stmt *st;
	size_t nwords;
	long done = 0;
	int rc;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(r->db, r->diag, "reading tickets");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *subject = col_text(st, 0), *description = col_text(st, 1);
		const char *tags = col_text(st, 2);
		int label = known_category(cfg, col_text(st, 5), col_text(st, 4),
					   col_text(st, 3), tags);

		progress(r, ++done, "training on");
		if (label < 0 && !(cfg->infer && tags && *tags))
			continue;
		if (ticket_tokens(cfg, subject, description, tags, NULL, NULL, &r->doc, &nwords))
			goto oom;
		if (label >= 0 && classifier_train_doc(r->model, &r->doc, label))
			goto oom;
		if (cfg->infer && tags && *tags) {
			struct hvec words = { r->doc.h, nwords, r->doc.cap };
			char key[CS_THEME_MAX];
			int k;

			cs_theme_from_tags(tags, key);
			if (!key[0])
				continue;
			k = theme_class(&r->themes, key);
			if (k < 0 || nb_train(r->theme_nb, &words, k))
				goto oom;
			if (label >= 0)
				r->themes.cat[k][label]++;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(r->db, r->diag, "reading tickets");
	if (themes_allow(&r->themes, r->theme_nb, cfg))
		return cs_error(r->diag, "out of memory categorising tickets");
	r->tpost = malloc((size_t)(r->themes.n ? r->themes.n : 1) * sizeof(*r->tpost));
	return r->tpost ? 0 : cs_error(r->diag, "out of memory categorising tickets");
oom:
	sqlite3_finalize(st);
	return cs_error(r->diag, "out of memory categorising tickets");
}

/* The theme of a ticket without tags: the tag theme it reads like, else its subject. */
static void infer_theme(struct run *r, int category, const char *subject,
			const struct hvec *words, char theme[CS_THEME_MAX])
{
	const struct cs_tickets_config *cfg = r->cfg;
	int k;

	theme[0] = '\0';
	if (cfg->infer && category >= 0 && r->themes.n) {
		k = nb_predict(r->theme_nb, words, r->themes.allow[category], r->tpost);
		if (k >= 0 && r->tpost[k] >= cfg->infer_min_posterior)
			snprintf(theme, CS_THEME_MAX, "%s", r->themes.key[k]);
	}
	if (!theme[0])
		cs_theme_from_subject(cfg, subject, theme);
}

struct verdict {
	int category;
	enum cs_source source;
	double confidence;
	char theme[CS_THEME_MAX];
};

static int decide(struct run *r, sqlite3_stmt *st, struct verdict *v)
{
	const struct cs_tickets_config *cfg = r->cfg;
	const char *subject = col_text(st, 1), *description = col_text(st, 2);
	const char *tags = col_text(st, 3), *source = col_text(st, 6);
	const char *export = col_text(st, 4);
	double post[CAT_COUNT];
	size_t nwords;
	int c;

	v->category = -1;
	v->source = CS_SRC_NONE;
	v->confidence = 0;
	if (export && *export && !export_value_known(cfg, export) && !r->unknown_exports++)
		snprintf(r->unknown_example, sizeof(r->unknown_example), "%s", export);
	if (source && !strcmp(source, "csm") && (c = cs_category_find(col_text(st, 5))) >= 0) {
		v->category = c;
		v->source = CS_SRC_CSM;
		v->confidence = 1;
	} else if ((c = cs_export_category(cfg, export, tags)) >= 0) {
		v->category = c;
		v->source = CS_SRC_EXPORT;
		v->confidence = 1;
	}
	/* The words are needed for the rules and the models only. */
	if ((v->category < 0 || !tags || !*tags) &&
	    ticket_tokens(cfg, subject, description, tags, &r->subj, &r->desc, &r->doc, &nwords))
		return -1;
	if (v->category >= 0)
		;
	else if ((c = rule_verdict(cfg, &r->subj, &r->desc, &v->confidence, NULL)) >= 0) {
		v->category = c;
		v->source = CS_SRC_RULE;
	} else if (cs_classifier_size(r->model) >= cfg->min_training &&
		   (c = classifier_predict_doc(r->model, &r->doc, post)) >= 0) {
		v->category = c;
		v->source = CS_SRC_MODEL;
		v->confidence = post[c];
	}
	if (tags && *tags)
		cs_theme_from_tags(tags, v->theme);
	else
		v->theme[0] = '\0';
	if (!v->theme[0]) {
		struct hvec words = { r->doc.h, nwords, r->doc.cap };

		infer_theme(r, v->category, subject, &words, v->theme);
	}
	if (!v->theme[0])
		snprintf(v->theme, sizeof(v->theme), "%s", cfg->fallback);
	return 0;
}

/* Does the stored row already say what v says? */
static bool unchanged(sqlite3_stmt *st, const struct verdict *v)
{
	const char *cat = col_text(st, 5), *src = col_text(st, 6), *theme = col_text(st, 8);

	if (v->category < 0) {
		if (cat || src || sqlite3_column_type(st, 7) != SQLITE_NULL)
			return false;
	} else {
		if (!cat || strcmp(cat, cs_category_names[v->category]) || !src ||
		    strcmp(src, cs_source_names[v->source]) ||
		    sqlite3_column_type(st, 7) == SQLITE_NULL ||
		    sqlite3_column_double(st, 7) != v->confidence)
			return false;
	}
	return theme && !strcmp(theme, v->theme);
}

/* Pass 2: decide every ticket, write those that change. */
static int apply(struct run *r, long *changed)
{
	static const char sql[] =
		"SELECT rowid, subject, description, tags, export_category, category,"
		"       category_source, confidence, theme FROM tickets ORDER BY rowid";
	static const char upd[] =
		"UPDATE tickets SET category = ?1, category_source = ?2, confidence = ?3,"
		"       theme = ?4 WHERE rowid = ?5";
	sqlite3_stmt *st = NULL, *up = NULL;
	struct verdict v;
	long done = 0;
	int rc;

	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, upd, -1, &up, NULL) != SQLITE_OK) {
		cs_db_error(r->db, r->diag, "categorising tickets");
		goto fail;
	}
	/* Rows are only ever rewritten in place, behind the scan (by rowid). */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		progress(r, ++done, "categorising");
		if (decide(r, st, &v)) {
			cs_error(r->diag, "out of memory categorising tickets");
			goto fail;
		}
		if (unchanged(st, &v))
			continue;
		sqlite3_reset(up);
		if (v.category >= 0) {
			sqlite3_bind_text(up, 1, cs_category_names[v.category], -1, SQLITE_STATIC);
			sqlite3_bind_text(up, 2, cs_source_names[v.source], -1, SQLITE_STATIC);
			sqlite3_bind_double(up, 3, v.confidence);
		} else {
			sqlite3_bind_null(up, 1);
			sqlite3_bind_null(up, 2);
			sqlite3_bind_null(up, 3);
		}
		sqlite3_bind_text(up, 4, v.theme, -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 5, sqlite3_column_int64(st, 0));
		if (sqlite3_step(up) != SQLITE_DONE) {
			cs_db_error(r->db, r->diag, "storing ticket categories");
			goto fail;
		}
		(*changed)++;
	}
	if (rc != SQLITE_DONE) {
		cs_db_error(r->db, r->diag, "categorising tickets");
		goto fail;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return -1;
}

int cs_tickets_categorise_cfg(sqlite3 *db, const struct cs_tickets_config *cfg,
			      struct cs_diag *diag)
{
	struct run r = { .db = db, .cfg = cfg, .diag = diag };
	long changed = 0;
	int rc = -1;

	r.model = cs_classifier_new(cfg);
	r.theme_nb = nb_new(cfg->alpha);
	if (!r.model || !r.theme_nb) {
		cs_error(diag, "out of memory categorising tickets");
		goto out;
	}
	if (cs_db_begin(db, diag))
		goto out;
	if (count_tickets(db, &r.total, diag) || train(&r) || apply(&r, &changed) ||
	    (changed && cs_figures_forget_themes(db, diag))) {
		cs_db_rollback(db);
		goto out;
	}
	if (cs_db_commit(db, diag))
		goto out;
	if (r.unknown_exports)
		cs_warn(diag, "%s: %ld ticket%s an export category it does not map, such as "
			"'%s'; add it to [export] (they are categorised from their text)",
			cfg->path, r.unknown_exports, r.unknown_exports == 1 ? " has" : "s have",
			r.unknown_example);
	rc = changed > INT32_MAX ? INT32_MAX : (int)changed;
out:
	cs_classifier_free(r.model);
	nb_free(r.theme_nb);
	themes_free(&r.themes);
	hvec_free(&r.subj);
	hvec_free(&r.desc);
	hvec_free(&r.doc);
	free(r.tpost);
	return rc;
}

int cs_tickets_categorise(sqlite3 *db, struct cs_diag *diag)
{
	struct cs_tickets_config *cfg;
	int rc;

	if (cs_tickets_config_load(NULL, &cfg, diag))
		return -1;
	rc = cs_tickets_categorise_cfg(db, cfg, diag);
	cs_tickets_config_free(cfg);
	return rc;
}

int cs_tickets_ensure(sqlite3 *db, const struct cs_tickets_config *cfg,
		      struct cs_diag *diag)
{
	sqlite3_stmt *st;
	int rc, need;

	if (sqlite3_prepare_v2(db, "SELECT EXISTS (SELECT 1 FROM tickets WHERE theme IS NULL)",
			       -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	rc = sqlite3_step(st);
	need = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading tickets");
	return need ? cs_tickets_categorise_cfg(db, cfg, diag) : 0;
}

int cs_ticket_set_category(sqlite3 *db, const char *ticket_id, int category,
			   struct cs_diag *diag)
{
	static const char set[] =
		"UPDATE tickets SET category = ?2, category_source = 'csm', confidence = 1"
		" WHERE ticket_id = ?1";
	/* Withdrawn: no theme either, so the next run categorises it again. */
	static const char clear[] =
		"UPDATE tickets SET category = NULL, category_source = NULL,"
		"       confidence = NULL, theme = NULL"
		" WHERE ticket_id = ?1 AND category_source = 'csm'";
	static const char exists[] = "SELECT 1 FROM tickets WHERE ticket_id = ?1";
	sqlite3_stmt *st;
	int rc;

	if (category < -1 || category >= CAT_COUNT)
		return cs_error(diag, "category %d is not one of the seven", category);
	if (sqlite3_prepare_v2(db, exists, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	sqlite3_bind_text(st, 1, ticket_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no ticket '%s'", ticket_id);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading tickets");
	/* First, so that no moment has the stored themes current and wrong. */
	if (cs_figures_forget_themes(db, diag))
		return -1;
	if (sqlite3_prepare_v2(db, category < 0 ? clear : set, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "storing the category");
	sqlite3_bind_text(st, 1, ticket_id, -1, SQLITE_STATIC);
	if (category >= 0)
		sqlite3_bind_text(st, 2, cs_category_names[category], -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "storing the category");
}

/* Copy column i into out (size bytes); false when it does not fit. */
static bool copy_whole(sqlite3_stmt *st, int i, char *out, size_t size)
{
	const char *s = col_text(st, i);
	size_t n = s ? (size_t)sqlite3_column_bytes(st, i) : 0;

	if (n >= size)
		return false;
	if (n)
		memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

int cs_ticket_category_save(sqlite3 *db, const char *ticket_id,
			    struct cs_ticket_category_state *out, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT category, category_source, confidence, theme"
		"  FROM tickets WHERE ticket_id = ?1";
	sqlite3_stmt *st;
	int rc, s;
	bool fits = true;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading the ticket's category");
	sqlite3_bind_text(st, 1, ticket_id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src = col_text(st, 1);

		out->has_category = sqlite3_column_type(st, 0) != SQLITE_NULL;
		out->has_confidence = sqlite3_column_type(st, 2) != SQLITE_NULL;
		out->has_theme = sqlite3_column_type(st, 3) != SQLITE_NULL;
		out->confidence = sqlite3_column_double(st, 2);
		fits = copy_whole(st, 0, out->category, sizeof(out->category)) &&
		       copy_whole(st, 3, out->theme, sizeof(out->theme));
		/* The schema allows only these; anything else could not be restored. */
		for (s = 1; src && s < 5 && strcmp(src, cs_source_names[s]); s++)
			;
		if (src && s == 5)
			fits = false;
		out->source = src ? (enum cs_source)s : CS_SRC_NONE;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return cs_error(diag, "no ticket '%s'", ticket_id);
	if (rc != SQLITE_ROW)
		return cs_db_error(db, diag, "reading the ticket's category");
	if (!fits)
		return cs_error(diag, "ticket '%s': its stored category cannot be kept to "
				"put back", ticket_id);
	return 0;
}

int cs_ticket_category_restore(sqlite3 *db, const char *ticket_id,
			       const struct cs_ticket_category_state *in,
			       struct cs_diag *diag)
{
	static const char sql[] =
		"UPDATE tickets SET category = ?2, category_source = ?3, confidence = ?4,"
		"       theme = ?5 WHERE ticket_id = ?1";
	sqlite3_stmt *st;
	int rc;

	if ((unsigned)in->source > CS_SRC_CSM)
		return cs_error(diag, "ticket '%s': not a saved category", ticket_id);
	if (cs_figures_forget_themes(db, diag))
		return -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "restoring the category");
	sqlite3_bind_text(st, 1, ticket_id, -1, SQLITE_STATIC);
	if (in->has_category)
		sqlite3_bind_text(st, 2, in->category, -1, SQLITE_STATIC);
	if (in->source != CS_SRC_NONE)
		sqlite3_bind_text(st, 3, cs_source_names[in->source], -1, SQLITE_STATIC);
	if (in->has_confidence)
		sqlite3_bind_double(st, 4, in->confidence);
	if (in->has_theme)
		sqlite3_bind_text(st, 5, in->theme, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "restoring the category");
	if (sqlite3_changes(db) != 1)
		return cs_error(diag, "no ticket '%s'", ticket_id);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Themes                                                               */

static int themes_live(sqlite3 *db, int32_t from_day, int32_t to_day,
		       int (*cb)(void *ctx, const struct cs_theme *t), void *ctx,
		       struct cs_diag *diag);

int cs_themes(sqlite3 *db, int32_t from_day, int32_t to_day,
	      int (*cb)(void *ctx, const struct cs_theme *t), void *ctx,
	      struct cs_diag *diag)
{
	bool current = false;
	int rc;

	/* The week a score run kept (figures.h), while it holds. */
	if (to_day - from_day + 1 == CS_FIGURES_THEME_DAYS) {
		rc = cs_figures_themes(db, to_day, &current, cb, ctx, diag);
		if (rc || current)
			return rc;
	}
	return themes_live(db, from_day, to_day, cb, ctx, diag);
}

static int themes_live(sqlite3 *db, int32_t from_day, int32_t to_day,
		       int (*cb)(void *ctx, const struct cs_theme *t), void *ctx,
		       struct cs_diag *diag)
{
	/* Each customer's ARR once per group, however many tickets they filed. */
	static const char sql[] =
		/* One grouping pass to (theme, customer) pairs, then per theme:
		 * half the time of counting and de-duplicating separately. */
		"SELECT t.category, t.theme, sum(t.n) AS n, count(*), total(cu.arr) AS arr"
		"  FROM (SELECT coalesce(category, '') AS category, theme, customer_id,"
		"               count(*) AS n"
		"          FROM tickets"
		"         WHERE created_at >= ?1 AND created_at < ?2 AND theme IS NOT NULL"
		"         GROUP BY 1, 2, 3) t"
		"  LEFT JOIN customers cu ON cu.customer_id = t.customer_id"
		" GROUP BY t.category, t.theme"
		" ORDER BY arr DESC, n DESC, t.category, t.theme";
	char from[11], to[11];
	struct cs_theme t;
	sqlite3_stmt *st;
	int rc, stop = 0;

	cs_format_day(from_day, from);
	cs_format_day(to_day + 1, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading ticket themes");
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(t.category, sizeof(t.category), "%s", col_text(st, 0));
		snprintf(t.theme, sizeof(t.theme), "%s", col_text(st, 1));
		t.tickets = (long)sqlite3_column_int64(st, 2);
		t.customers = (long)sqlite3_column_int64(st, 3);
		t.arr = sqlite3_column_double(st, 4);
		if ((stop = cb(ctx, &t)))
			break;
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading ticket themes");
}

/* ------------------------------------------------------------------ */
/* The list                                                             */

int cs_tickets_list(sqlite3 *db, const struct cs_tickets_config *cfg,
		    const struct cs_ticket_query *q,
		    int (*cb)(void *ctx, const struct cs_ticket_row *row), void *ctx,
		    struct cs_diag *diag)
{
	static const char all[] =
		"SELECT ticket_id, customer_id, created_at, coalesce(subject, ''),"
		"       coalesce(status, ''), resolved_at, category, category_source,"
		"       confidence, coalesce(theme, ''), urgency, impact"
		"  FROM tickets WHERE created_at < ?1 ORDER BY created_at, ticket_id";
	static const char triage[] =
		"SELECT ticket_id, customer_id, created_at, coalesce(subject, ''),"
		"       coalesce(status, ''), resolved_at, category, category_source,"
		"       confidence, coalesce(theme, ''), urgency, impact"
		"  FROM tickets WHERE created_at < ?1"
		"   AND " CS_TRIAGE_WAITING("")
		" ORDER BY created_at, ticket_id";
	int64_t now = ((int64_t)q->as_of + 1) * 86400;
	struct cs_ticket_row row;
	char end[11];
	sqlite3_stmt *st;
	int rc, stop = 0;

	cs_format_day(q->as_of + 1, end);
	if (sqlite3_prepare_v2(db, q->uncategorised ? triage : all, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets");
	sqlite3_bind_text(st, 1, end, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src = col_text(st, 7);
		int s;

		memset(&row, 0, sizeof(row));
		row.ticket_id = col_text(st, 0);
		row.customer_id = col_text(st, 1);
		row.created_at = col_text(st, 2);
		row.subject = col_text(st, 3);
		row.status = col_text(st, 4);
		row.resolved_at = col_text(st, 5);
		row.category = cs_category_find(col_text(st, 6));
		for (s = 1; src && s < 5; s++)
			if (!strcmp(src, cs_source_names[s]))
				row.source = (enum cs_source)s;
		row.confidence = row.category >= 0 ? sqlite3_column_double(st, 8) : 0;
		row.owner = cs_routing_owner(cfg, row.category);
		row.theme = col_text(st, 9);
		cs_ticket_priority(cfg, col_text(st, 10), col_text(st, 11), &row.priority);
		cs_ticket_sla(cfg, &row.priority, row.status, row.created_at, row.resolved_at,
			      now, &row.sla);
		if ((stop = cb(ctx, &row)))
			break;
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : cs_db_error(db, diag, "reading tickets");
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                           */

int cs_tickets_evaluate(sqlite3 *db, const struct cs_tickets_config *cfg, int every,
			struct cs_eval *out, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT subject, description, tags, export_category, category, category_source"
		"  FROM tickets ORDER BY ticket_id";
	struct cs_classifier *m;
	struct hvec s = { 0 }, d = { 0 }, doc = { 0 };
	sqlite3_stmt *st = NULL;
	int pass, rc = -1;

	memset(out, 0, sizeof(*out));
	out->every = every;
	if (every < 2)
		return cs_error(diag, "hold out every N-th ticket with N of at least 2, not %d",
				every);
	m = cs_classifier_new(cfg);
	if (!m)
		return cs_error(diag, "out of memory evaluating the classifier");
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		cs_db_error(db, diag, "reading tickets");
		goto out;
	}
	/* Pass 0 trains on the kept tickets, pass 1 tests on the held-out ones. */
	for (pass = 0; pass < 2; pass++) {
		long i = 0;
		int step;

		sqlite3_reset(st);
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *subject = col_text(st, 0), *description = col_text(st, 1);
			const char *tags = col_text(st, 2);
			int truth = known_category(cfg, col_text(st, 5), col_text(st, 4),
						   col_text(st, 3), tags);
			bool held;
			double conf, post[CAT_COUNT];
			int mc, c;

			if (truth < 0)
				continue;
			held = i++ % every == every - 1;
			if (pass == 0) {
				out->labelled++;
				if (held)
					continue;
				if (cs_classifier_train(m, subject, description, tags, truth))
					goto oom;
				out->trained++;
				continue;
			}
			if (!held)
				continue;
			out->held_out++;
			if (ticket_tokens(cfg, subject, description, tags, &s, &d, &doc, NULL))
				goto oom;
			mc = classifier_predict_doc(m, &doc, post);
			c = rule_verdict(cfg, &s, &d, &conf, NULL);
			if (c >= 0) {
				out->rule_fired++;
				out->rule_correct += c == truth;
			} else {
				c = mc;
			}
			out->model_correct += mc == truth;
			out->correct += c == truth;
			out->cat[truth].n++;
			if (c >= 0) {
				out->cat[c].predicted++;
				out->cat[c].correct += c == truth;
			}
		}
		if (step != SQLITE_DONE) {
			cs_db_error(db, diag, "reading tickets");
			goto out;
		}
	}
	rc = 0;
	goto out;
oom:
	cs_error(diag, "out of memory evaluating the classifier");
out:
	sqlite3_finalize(st);
	cs_classifier_free(m);
	hvec_free(&s);
	hvec_free(&d);
	hvec_free(&doc);
	return rc;
}
