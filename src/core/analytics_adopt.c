/*
 * analytics_adopt.c — feature adoption (with gaps and their likely causes)
 * and onboarding effectiveness. See analytics.h.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "casey/analytics.h"
#include "casey/aside.h"
#include "casey/db.h"
#include "casey/kinds.h"
#include "casey/snapshot.h"
#include "casey/value.h"
#include "analytics_int.h"

/* No date: sorts before every real day. */
#define NO_DAY INT32_MIN

const char *const cs_adoption_status_names[5] = {
	"new", "gap", "below_target", "on_target", "undated",
};

const char *const cs_adoption_band_names[CS_ADOPT_NBANDS] = {
	"red", "yellow", "green", "unscored",
};

static const char *text(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? s : "";
}

/* A day column, or NO_DAY when empty or not a day. */
static int32_t day_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	char buf[11];
	int32_t d;

	if (!s || strnlen(s, 10) < 10)
		return NO_DAY;
	memcpy(buf, s, 10);	/* a date-time's day; no printf: called per use */
	buf[10] = '\0';
	return cs_parse_day(buf, &d) ? NO_DAY : d;
}

/* A new customer of the onboarding report, found by id in an array sorted by id. */
struct cust {
	char id[201];
	int32_t created;	/* NO_DAY if unknown */
	int furthest;		/* index of the furthest milestone, -1 none */
	int32_t fv;		/* first value day, NO_DAY if not reached */
};

static struct cust *find_cust(struct cust *v, long n, const char *id)
{
	long lo = 0, hi = n - 1;

	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid].id, id);

		if (!c)
			return &v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/*
 * The customers the statement returns as (customer_id, created_at), in
 * customer_id order; *out malloc'd.
 */
static int load_custs(sqlite3 *db, sqlite3_stmt *st, struct cust **out, long *n,
		      const char *what, struct cs_diag *diag)
{
	struct cust *v = NULL;
	long cap = 0;
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cust *c;

		if (*n == cap) {
			long ncap = cap ? 2 * cap : 256;
			struct cust *nv = realloc(v, (size_t)ncap * sizeof(*v));

			if (!nv) {
				sqlite3_finalize(st);
				free(v);
				return cs_error(diag, "out of memory");
			}
			v = nv;
			cap = ncap;
		}
		c = &v[(*n)++];
		snprintf(c->id, sizeof(c->id), "%s", text(st, 0));
		c->created = day_col(st, 1);
		c->furthest = -1;
		c->fv = NO_DAY;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return cs_db_error(db, diag, what);
	}
	*out = v;
	return 0;
}

/* --- adoption ---------------------------------------------------------------------- */

enum cs_adoption_status cs_adoption_status_of(const struct cs_analytics_config *cfg,
					      bool dated, int days_since_release,
					      long users, long active)
{
	if (!dated)
		return CS_ADOPT_UNDATED;
	if (days_since_release < cfg->adoption_min_days)
		return CS_ADOPT_NEW;
	/* users / active < pct / 100, without dividing */
	if ((double)users * 100 < cfg->adoption_low_pct * (double)active)
		return CS_ADOPT_GAP;
	if ((double)users * 100 < cfg->adoption_target_pct * (double)active)
		return CS_ADOPT_BELOW_TARGET;
	return CS_ADOPT_ON_TARGET;
}

static int load_adoption_features(sqlite3 *db, const char *day, struct cs_adoption_report *r,
				  struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT feature_id, name, released_at, paid FROM features"
		" WHERE released_at IS NULL OR released_at <= ?1 ORDER BY feature_id";
	sqlite3_stmt *st;
	int rc, cap = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading features");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_adoption_feature *f;
		int32_t rel = day_col(st, 2);

		if (r->nfeatures == cap) {
			int ncap = cap ? 2 * cap : 16;
			struct cs_adoption_feature *v = realloc(r->features,
								(size_t)ncap * sizeof(*v));

			if (!v) {
				sqlite3_finalize(st);
				return cs_error(diag, "out of memory");
			}
			r->features = v;
			cap = ncap;
		}
		f = &r->features[r->nfeatures++];
		memset(f, 0, sizeof(*f));
		snprintf(f->feature_id, sizeof(f->feature_id), "%s", text(st, 0));
		snprintf(f->name, sizeof(f->name), "%s", text(st, 1));
		f->paid = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
			  sqlite3_column_int(st, 3) != 0;
		if (rel != NO_DAY) {
			cs_format_day(rel, f->released_at);
			f->days_since_release = r->as_of - rel;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading features");
	return 0;
}

static struct cs_adoption_feature *find_feature(struct cs_adoption_report *r, const char *id)
{
	int lo = 0, hi = r->nfeatures - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(r->features[mid].feature_id, id);

		if (!c)
			return &r->features[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/*
 * One feature's days from release (or sign-up) to first use, counted by
 * day: a day is whole and lies between 0 and the feature's days since
 * release, so the counts take a few kilobytes where the days themselves
 * took 8 bytes a use (62 MB at a million customers), and the median is
 * read off them without a sort.
 */
struct first_days {
	long *count;		/* count[d]: users who took d days */
	int len;		/* days_since_release + 1 */
	long n;
	bool seen;		/* a user counted: its median is set */
};

static int first_days_add(struct first_days *d, int len, int v)
{
	if (!d->count) {
		if (!(d->count = calloc((size_t)len, sizeof(*d->count))))
			return -1;
		d->len = len;
	}
	d->count[v < d->len ? v : d->len - 1]++;
	d->n++;
	return 0;
}

/* The k-th smallest day (from 0) of the counts. */
static int first_days_kth(const struct first_days *d, long k)
{
	long seen = 0;
	int v;

	for (v = 0; v < d->len - 1; v++)
		if ((seen += d->count[v]) > k)
			break;
	return v;
}

/* The median as cs_median() takes it: the middle, or the mean of the two. */
static double first_days_median(const struct first_days *d)
{
	if (!d->n)
		return 0;
	if (d->n % 2)
		return first_days_kth(d, d->n / 2);
	return (first_days_kth(d, d->n / 2 - 1) + first_days_kth(d, d->n / 2)) / 2.0;
}

/*
 * The report is worked out in two halves of the customers, split at a
 * customer id: the first on the caller's connection, the second beside
 * it on the machine's other core (aside.h), each with its own counts,
 * added up at the end. Each half is three walks in customer id order:
 * the active customers, the day's snapshots (their bands) and the
 * feature uses. Its statements: [range] for all customers, those before
 * the split (?9) and those from it on.
 */
static const char *const active_sql[3] = {
#define ACTIVE(R) \
	"SELECT customer_id, created_at FROM customers" \
	" WHERE status <> 'churned' AND (created_at IS NULL OR created_at <= ?1)" R \
	" ORDER BY customer_id"
	ACTIVE(""), ACTIVE(" AND customer_id < ?9"), ACTIVE(" AND customer_id >= ?9"),
#undef ACTIVE
};
static const char *const snap_sql[3] = {
#define SNAP(R) \
	"SELECT customer_id, band FROM snapshots WHERE profile = ?2 AND as_of = ?3" R \
	" ORDER BY customer_id"
	SNAP(""), SNAP(" AND customer_id < ?9"), SNAP(" AND customer_id >= ?9"),
#undef SNAP
};
static const char *const uses_sql[3] = {
#define USES(R) \
	"SELECT u.feature_id, u.customer_id, u.first_used_at FROM feature_usage u" \
	" WHERE " CS_USED_AS_OF("?1") R \
	" ORDER BY u.customer_id, u.feature_id"
	USES(""), USES(" AND u.customer_id < ?9"), USES(" AND u.customer_id >= ?9"),
#undef USES
};

/* One half's work and counts. */
struct part {
	const char *day;		/* the as-of day */
	const char *profile, *snapshot;	/* the bands' snapshots */
	const char *split;		/* NULL: every customer */
	int range;			/* 0 all, 1 before split, 2 from it */
	const volatile sig_atomic_t *cancel;	/* watched on the second connection */
	struct cs_adoption_report rep;	/* active, band_active, features' counts */
	struct first_days *fd;		/* per feature */
};

/*
 * The active customer the walk is at, and the counts of those it passed.
 * Their bands come from a second walk, over the day's snapshots in the
 * same id order: a join seeking each customer's snapshot by key took
 * 1.6 s of the report at a million customers, the two walks 0.5 s.
 */
struct walk {
	sqlite3_stmt *st;	/* (customer_id, created_at) in id order */
	sqlite3_stmt *snap;	/* (customer_id, band) of the day, in id order */
	int rc;			/* the last step of either: SQLITE_ROW while both go */
	int snap_rc;		/* snap's last step */
	const char *id;		/* valid until the next step */
	int32_t created;	/* NO_DAY if unknown */
	int band;		/* CS_ADOPT_* */
};

/* The band of the customer w->id from the snapshots' walk, kept in step. */
static int walk_band(struct walk *w)
{
	int c = 1;

	if (!w->snap_rc)
		w->snap_rc = sqlite3_step(w->snap);
	while (w->snap_rc == SQLITE_ROW && (c = strcmp(text(w->snap, 0), w->id)) < 0)
		w->snap_rc = sqlite3_step(w->snap);
	if (w->snap_rc != SQLITE_ROW && w->snap_rc != SQLITE_DONE) {
		w->rc = w->snap_rc;	/* an error: the walk stops there */
		return CS_ADOPT_UNSCORED;
	}
	if (w->snap_rc == SQLITE_ROW && !c) {
		const char *b = text(w->snap, 1);

		for (int k = 0; k < CS_ADOPT_UNSCORED; k++)
			if (!strcmp(b, cs_adoption_band_names[k]))
				return k;
	}
	return CS_ADOPT_UNSCORED;
}

static void walk_next(struct walk *w, struct cs_adoption_report *r)
{
	if ((w->rc = sqlite3_step(w->st)) != SQLITE_ROW)
		return;
	w->id = text(w->st, 0);
	w->created = day_col(w->st, 1);
	w->band = walk_band(w);
	if (w->rc != SQLITE_ROW)
		return;
	r->active++;
	r->band_active[w->band]++;
}

/*
 * Who uses what, and how long it took them. The uses come in the table's
 * key order (customer, feature), and the active customers, in id order
 * with their band, are walked alongside: a merge that holds no customer
 * in memory (holding them all took 216 bytes each, and with the days of
 * every use 279 MiB at a million customers). Read by feature instead,
 * every use was a lookup from feature_usage_feature into the table and a
 * seek into customers (6.5 s for 7.7 million uses at a million).
 */
static int adoption_usage(sqlite3 *db, struct part *p, struct walk *w, struct cs_diag *diag)
{
	struct cs_adoption_report *r = &p->rep;
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(db, uses_sql[p->range], -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading feature use");
	sqlite3_bind_text(st, 1, p->day, -1, SQLITE_STATIC);
	if (p->split)
		sqlite3_bind_text(st, 9, p->split, -1, SQLITE_STATIC);
	walk_next(w, r);
	while (w->rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cs_adoption_feature *f = find_feature(r, text(st, 0));
		const char *id = text(st, 1);
		int32_t first = day_col(st, 2);
		struct first_days *d;
		int c = -1;

		while (w->rc == SQLITE_ROW && (c = strcmp(w->id, id)) < 0)
			walk_next(w, r);
		if (!f || c != 0)
			continue;	/* a feature released after the day; churned, or not yet */
		d = &p->fd[f - r->features];
		d->seen = true;
		f->users++;
		f->band_users[w->band]++;
		if (first != NO_DAY && f->released_at[0]) {
			int32_t start = r->as_of - f->days_since_release;

			if (w->created != NO_DAY && w->created > start)
				start = w->created;
			/* Use before the release (a beta) counts as day 0. */
			if (first_days_add(d, f->days_since_release + 1,
					   first > start ? first - start : 0)) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
	}
	/* the uses after the last customer are not theirs: count the rest */
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		while (w->rc == SQLITE_ROW)
			walk_next(w, r);
	if (rc == SQLITE_ROW)
		rc = SQLITE_DONE;
	sqlite3_finalize(st);
	if (rc == SQLITE_NOMEM)
		return cs_error(diag, "out of memory");
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading feature use");
	if (w->rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading active customers");
	return 0;
}

/* One half: its walks, on db. */
static int part_work(sqlite3 *db, void *ctx, struct cs_diag *diag)
{
	struct part *p = ctx;
	struct walk w = { 0 };
	int rc;

	if (p->cancel)	/* NULL for the caller's half: its db watches what it set */
		cs_db_cancel_when(db, p->cancel);
	if (sqlite3_prepare_v2(db, active_sql[p->range], -1, &w.st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, snap_sql[p->range], -1, &w.snap, NULL) != SQLITE_OK) {
		sqlite3_finalize(w.st);
		return cs_db_error(db, diag, "reading active customers");
	}
	sqlite3_bind_text(w.st, 1, p->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(w.snap, 2, p->profile, -1, SQLITE_STATIC);
	sqlite3_bind_text(w.snap, 3, p->snapshot, -1, SQLITE_STATIC);
	if (p->split) {
		sqlite3_bind_text(w.st, 9, p->split, -1, SQLITE_STATIC);
		sqlite3_bind_text(w.snap, 9, p->split, -1, SQLITE_STATIC);
	}
	rc = adoption_usage(db, p, &w, diag);
	sqlite3_finalize(w.st);
	sqlite3_finalize(w.snap);
	return rc;
}

/* A half with r's features, its counts at zero. */
static int part_init(struct part *p, const struct cs_adoption_report *r)
{
	size_t n = (size_t)r->nfeatures;

	p->rep = *r;
	p->rep.features = malloc((n ? n : 1) * sizeof(*p->rep.features));
	p->fd = calloc(n + 1, sizeof(*p->fd));
	if (!p->rep.features || !p->fd)
		return -1;
	if (n)
		memcpy(p->rep.features, r->features, n * sizeof(*r->features));
	return 0;
}

static void part_free(struct part *p)
{
	for (int i = 0; p->fd && i < p->rep.nfeatures; i++)
		free(p->fd[i].count);
	free(p->fd);
	free(p->rep.features);
}

/* The half's counts added to r's and to the first days in fd; -1 out of memory. */
static int part_add(struct cs_adoption_report *r, struct first_days *fd, const struct part *p)
{
	r->active += p->rep.active;
	for (int b = 0; b < CS_ADOPT_NBANDS; b++)
		r->band_active[b] += p->rep.band_active[b];
	for (int i = 0; i < r->nfeatures; i++) {
		struct cs_adoption_feature *f = &r->features[i];
		const struct first_days *pd = &p->fd[i];

		f->users += p->rep.features[i].users;
		for (int b = 0; b < CS_ADOPT_NBANDS; b++)
			f->band_users[b] += p->rep.features[i].band_users[b];
		fd[i].seen |= pd->seen;
		fd[i].n += pd->n;
		if (!pd->count)
			continue;
		if (!fd[i].count) {
			if (!(fd[i].count = calloc((size_t)pd->len, sizeof(*fd[i].count))))
				return -1;
			fd[i].len = pd->len;
		}
		for (int v = 0; v < pd->len; v++)
			fd[i].count[v] += pd->count[v];
	}
	return 0;
}

/*
 * The customer id that splits the customers in two halves, about equal:
 * the table's rows are counted by its largest rowid, which is cheap and
 * close enough. 0 and *split set, 1 when there is nothing to split, -1
 * on an error.
 */
static int split_point(sqlite3 *db, char *split, size_t size, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT customer_id FROM customers ORDER BY customer_id LIMIT 1"
		" OFFSET (SELECT coalesce(max(rowid), 0) FROM customers) / 2";
	sqlite3_stmt *st;
	int rc, ret = 1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "splitting the customers");
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = text(st, 0);

		if (*id && strlen(id) < size) {
			memcpy(split, id, strlen(id) + 1);
			ret = 0;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cs_db_error(db, diag, "splitting the customers");
	return ret;
}

/*
 * Both halves (or, with nothing to split, every customer on db) into r:
 * its active customers, their bands and the features' counts and medians.
 */
static int adoption_counts(sqlite3 *db, const char *day, const volatile sig_atomic_t *cancel,
			   struct cs_adoption_report *r, struct cs_diag *diag)
{
	char split[CS_ID_MAX + 1];
	struct part p[2] = { { 0 } };
	struct first_days *fd = calloc((size_t)r->nfeatures + 1, sizeof(*fd));
	struct cs_aside *a = NULL;
	int whole, rc = -1;

	if (!fd)
		return cs_error(diag, "out of memory");
	if ((whole = split_point(db, split, sizeof(split), diag)) < 0)
		goto done;
	for (int i = 0; i < 2 - whole; i++) {
		if (part_init(&p[i], r)) {
			cs_error(diag, "out of memory");
			goto done;
		}
		p[i].day = day;
		p[i].profile = r->profile;
		p[i].snapshot = r->snapshot_date;
		p[i].split = whole ? NULL : split;
		p[i].range = whole ? 0 : i + 1;
		p[i].cancel = i ? cancel : NULL;
	}
	if (!whole && !(a = cs_aside_start(db, part_work, &p[1], diag)))
		goto done;
	rc = part_work(db, &p[0], diag);
	if (a && cs_aside_finish(a, diag))
		rc = -1;
	for (int i = 0; !rc && i < 2 - whole; i++)
		if (part_add(r, fd, &p[i]))
			rc = cs_error(diag, "out of memory");
	for (int i = 0; !rc && i < r->nfeatures; i++) {
		if (fd[i].seen) {
			r->features[i].first_use_n = fd[i].n;
			r->features[i].median_days = first_days_median(&fd[i]);
		}
	}
done:
	for (int i = 0; i < 2; i++)
		part_free(&p[i]);
	for (int i = 0; i < r->nfeatures; i++)
		free(fd[i].count);
	free(fd);
	return rc;
}

/* The likely cause of a gap from the tickets about the feature. */
static int gap_cause(sqlite3 *db, const struct cs_analytics_config *cfg,
		     struct cs_adoption_report *r, struct cs_adoption_feature *f,
		     struct cs_diag *diag)
{
	/* the window's range of tickets_created, not a scan of every ticket */
	static const char sql[] =
		"SELECT coalesce(category, export_category), count(*) FROM tickets"
		" WHERE created_at >= ?1 AND created_at < ?2"
		"   AND (trim(feature) = ?3 OR lower(trim(feature)) = lower(?4))"
		" GROUP BY 1";
	char from[11], to[11];
	sqlite3_stmt *st;
	int rc;

	cs_format_day(r->as_of - (cfg->adoption_ticket_days - 1), from);
	cs_format_day(r->as_of + 1, to);
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading tickets about a feature");
	sqlite3_bind_text(st, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->feature_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *cat = text(st, 0);
		long n = (long)sqlite3_column_int64(st, 1);

		if (!strcasecmp(cat, "How-To Question") || !strcasecmp(cat, "Documentation Gap"))
			f->tickets_docs += n;
		else if (!strcasecmp(cat, "Usability Issue"))
			f->tickets_usability += n;
		else
			f->tickets_other += n;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading tickets about a feature");
	if (f->tickets_docs && f->tickets_docs >= f->tickets_usability) {
		f->cause = "docs";
		f->owner = cfg->owner_docs;
	} else if (f->tickets_usability) {
		f->cause = "usability";
		f->owner = cfg->owner_usability;
	} else {
		f->cause = "awareness";
		f->owner = cfg->owner_awareness;
	}
	return 0;
}

int cs_adoption_report(sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
		       const volatile sig_atomic_t *cancel, struct cs_adoption_report *r,
		       struct cs_diag *diag)
{
	char day[11];
	int found, k;

	memset(r, 0, sizeof(*r));
	r->as_of = as_of;
	cs_format_day(as_of, day);
	snprintf(r->profile, sizeof(r->profile), "%s", cfg->adoption_profile);
	found = cs_snapshot_latest_date(db, cfg->adoption_profile, as_of, r->snapshot_date, diag);
	if (found < 0)
		return -1;
	r->banded = found;
	if (!found)
		r->snapshot_date[0] = '\0';
	if (load_adoption_features(db, day, r, diag) || adoption_counts(db, day, cancel, r, diag))
		goto fail;
	for (k = 0; k < r->nfeatures; k++) {
		struct cs_adoption_feature *f = &r->features[k];
		bool dated = f->released_at[0] != '\0';

		f->pct = r->active ? 100.0 * (double)f->users / (double)r->active : 0;
		f->recent = dated && f->days_since_release < cfg->adoption_recent_days;
		f->status = cs_adoption_status_of(cfg, dated, f->days_since_release, f->users,
						  r->active);
		if (f->status == CS_ADOPT_GAP) {
			r->gaps++;
			if (gap_cause(db, cfg, r, f, diag))
				goto fail;
		}
	}
	return 0;
fail:
	cs_adoption_report_free(r);
	return -1;
}

void cs_adoption_report_free(struct cs_adoption_report *r)
{
	free(r->features);
	r->features = NULL;
	r->nfeatures = 0;
}

/* --- onboarding ----------------------------------------------------------------------- */

static int milestone_index(const struct cs_analytics_config *cfg, const char *name)
{
	int k;

	for (k = 0; k < cfg->nmilestones; k++)
		if (!strcasecmp(cfg->milestones[k], name))
			return k;
	return -1;
}

static int onboarding_milestones(sqlite3 *db, const struct cs_analytics_config *cfg,
				 struct cs_onboarding_report *r, struct cust *cs, long ncs,
				 int fv, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT o.customer_id, o.milestone, o.reached_at FROM onboarding o"
		"  JOIN customers c ON c.customer_id = o.customer_id"
		" WHERE c.created_at BETWEEN ?1 AND ?2"
		"   AND o.reached_at IS NOT NULL AND o.reached_at <= ?2";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading onboarding milestones");
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cust *c = find_cust(cs, ncs, text(st, 0));
		int k = milestone_index(cfg, text(st, 1));
		int32_t when = day_col(st, 2);

		if (!c || when == NO_DAY)
			continue;
		if (k < 0) {
			r->unknown_milestones++;
			continue;
		}
		r->milestones[k].reached++;
		if (k > c->furthest)
			c->furthest = k;
		if (k == fv)
			c->fv = when;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading onboarding milestones");
	return 0;
}

/*
 * Tickets (pass 0) or features first used (pass 1) of the customers who
 * have had their first early_days, within those days.
 */
static int onboarding_early(sqlite3 *db, const struct cs_analytics_config *cfg,
			    struct cs_onboarding_report *r, struct cust *cs, long ncs,
			    struct cs_diag *diag)
{
	/*
	 * The new customers drive both (CROSS JOIN keeps SQLite from turning
	 * them round), each seeking its tickets and features by customer:
	 * left to itself SQLite scanned every use and looked its customer up
	 * (2.4 s for 7.7 million uses at a million customers, against 0.3 s).
	 */
	static const char tickets_sql[] =
		"SELECT t.customer_id, substr(t.created_at, 1, 10) FROM customers c"
		"  CROSS JOIN tickets t ON t.customer_id = c.customer_id"
		" WHERE c.created_at BETWEEN ?1 AND ?3"
		"   AND substr(t.created_at, 1, 10) BETWEEN c.created_at AND ?2"
		" ORDER BY c.customer_id";
	static const char features_sql[] =
		"SELECT u.customer_id, u.first_used_at FROM customers c"
		"  CROSS JOIN feature_usage u ON u.customer_id = c.customer_id"
		" WHERE c.created_at BETWEEN ?1 AND ?3 AND u.first_used_at IS NOT NULL"
		"   AND " CS_USED_AS_OF("?2");
	char last[11];
	int pass, rc;

	cs_format_day(r->as_of - cfg->early_days, last);
	for (pass = 0; pass < 2; pass++) {
		char prev_id[201] = "";
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(db, pass ? features_sql : tickets_sql, -1, &st, NULL) !=
		    SQLITE_OK)
			return cs_db_error(db, diag, "reading early tickets and features");
		sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, last, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct cust *c = find_cust(cs, ncs, text(st, 0));
			int32_t when = day_col(st, 1);

			if (!c || when == NO_DAY || c->created == NO_DAY ||
			    when - c->created > cfg->early_days || when < c->created)
				continue;
			if (pass) {
				r->early_features++;
				continue;
			}
			r->early_tickets++;
			/* Rows come customer by customer. */
			if (strcmp(prev_id, c->id)) {
				r->early_ticket_customers++;
				snprintf(prev_id, sizeof(prev_id), "%s", c->id);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return cs_db_error(db, diag, "reading early tickets and features");
	}
	return 0;
}

int cs_onboarding_report(sqlite3 *db, int32_t as_of, const struct cs_analytics_config *cfg,
			 struct cs_onboarding_report *r, struct cs_diag *diag)
{
	static const char cohort_sql[] =
		"SELECT customer_id, created_at FROM customers"
		" WHERE created_at BETWEEN ?1 AND ?2 ORDER BY customer_id";
	struct cust *cs = NULL;
	double *ttfv = NULL;
	sqlite3_stmt *st;
	long ncs = 0, i, best;
	int fv, k, rc = -1;

	memset(r, 0, sizeof(*r));
	r->as_of = as_of;
	r->activation_days = cfg->activation_days;
	r->early_days = cfg->early_days;
	snprintf(r->first_value, sizeof(r->first_value), "%s", cfg->first_value);
	cs_format_day(as_of - (cfg->onboarding_days - 1), r->from);
	cs_format_day(as_of, r->to);
	r->nmilestones = cfg->nmilestones;
	for (k = 0; k < cfg->nmilestones; k++)
		snprintf(r->milestones[k].name, sizeof(r->milestones[k].name), "%s",
			 cfg->milestones[k]);
	fv = milestone_index(cfg, cfg->first_value);
	if (sqlite3_prepare_v2(db, cohort_sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading new customers");
	sqlite3_bind_text(st, 1, r->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, r->to, -1, SQLITE_STATIC);
	if (load_custs(db, st, &cs, &ncs, "reading new customers", diag))
		return -1;
	r->cohort = ncs;
	if (onboarding_milestones(db, cfg, r, cs, ncs, fv, diag) ||
	    onboarding_early(db, cfg, r, cs, ncs, diag))
		goto out;
	ttfv = malloc((size_t)(ncs ? ncs : 1) * sizeof(*ttfv));
	if (!ttfv) {
		cs_error(diag, "out of memory");
		goto out;
	}
	for (i = 0; i < ncs; i++) {
		const struct cust *c = &cs[i];
		int32_t d = c->fv != NO_DAY ? c->fv - c->created : 0;
		bool eligible;

		if (d < 0)
			d = 0;	/* reached before the account existed: a data quirk */
		if (c->fv != NO_DAY) {
			r->reached++;
			ttfv[r->ttfv_n++] = d;
			r->ttfv_mean += d;
		}
		eligible = as_of - c->created >= cfg->activation_days;
		if (eligible) {
			r->eligible++;
			r->activated += c->fv != NO_DAY && d <= cfg->activation_days;
		} else {
			r->young++;
			r->young_activated += c->fv != NO_DAY;
		}
		if (as_of - c->created >= cfg->early_days)
			r->early_customers++;
		if (c->fv != NO_DAY)
			continue;
		if (eligible) {
			r->stalled++;
			if (c->furthest < 0)
				r->stalled_none++;
			else
				r->milestones[c->furthest].stalled++;
		} else {
			r->in_progress++;
			if (c->furthest < 0)
				r->in_progress_none++;
			else
				r->milestones[c->furthest].in_progress++;
		}
	}
	if (r->ttfv_n)
		r->ttfv_mean /= (double)r->ttfv_n;
	r->ttfv_median = cs_median(ttfv, r->ttfv_n);
	r->activation_pct = r->eligible ? 100.0 * (double)r->activated / (double)r->eligible : 0;
	/* Where most stop; on a tie the earlier point, where they stop first. */
	r->stall_at = -1;
	best = r->stalled_none;
	for (k = 0; k < r->nmilestones; k++) {
		if (r->milestones[k].stalled > best) {
			best = r->milestones[k].stalled;
			r->stall_at = k;
		}
	}
	rc = 0;
out:
	free(cs);
	free(ttfv);
	return rc;
}
