/*
 * metrics.c — the inputs of scoring, for every customer in one pass.
 *
 * Each source (latest usage, earlier usage, NPS, tickets, outreach, CSAT)
 * is one grouped query ordered by customer_id; the customers query drives
 * a merge join over all of them, so scoring a million customers reads each
 * table once instead of running a million small queries. See metrics.h.
 */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/metrics.h"
#include "casey/value.h"

const char *const cs_metric_names[M_COUNT] = {
	[M_ACTIVE_DAYS_30D] = "active_days_30d",
	[M_FEATURE_BREADTH] = "feature_breadth",
	[M_CORE_ACTIONS_30D] = "core_actions_30d",
	[M_SEAT_UTILISATION] = "seat_utilisation",
	[M_NPS_LATEST] = "nps_latest",
	[M_CSAT_AVG_90D] = "csat_avg_90d",
	[M_TICKET_SENTIMENT] = "ticket_sentiment",
	[M_OUTREACH_RESPONSE] = "outreach_response",
	[M_DAYS_SINCE_CONTACT] = "days_since_contact",
	[M_TICKETS_30D] = "tickets_30d",
	[M_GROWTH] = "growth",
	[M_USAGE_CHANGE_30D] = "usage_change_30d",
	[M_TENURE_DAYS] = "tenure_days",
	[M_ERRORS_30D] = "errors_30d",
	[M_SESSION_MINUTES] = "session_minutes_avg",
};

int cs_metric_find(const char *name)
{
	int i;

	for (i = 0; i < M_COUNT; i++)
		if (!strcmp(cs_metric_names[i], name))
			return i;
	return -1;
}

/* Windows, in days before the as-of date (PRODUCT.md §2). */
#define USAGE_MAX_AGE 30	/* a usage row older than this is missing */
#define GROWTH_LAG 30		/* growth compares with the row this long before */
#define GROWTH_MAX_AGE 60	/* ... but not with one older than this */
#define NPS_MAX_AGE 180
#define RECENT_DAYS 90		/* tickets, outreach, CSAT */
#define TICKETS_DAYS 30

enum { Q_CUST, Q_USAGE, Q_NPS, Q_TICKETS, Q_OUTREACH, Q_CSAT, NQ };

/*
 * ?1 as-of day, ?2 the day after (for date-times), ?3 usage floor,
 * ?4 growth day, ?5 growth floor, ?6 NPS floor, ?7 90-day floor,
 * ?8 30-day floor, ?9 one customer (or NULL: all), ?10..?13 sentiment points,
 * ?14 the first ticket day read (the 90-day floor, or earlier for an observer).
 */
/*
 * Usage is read once for both of its windows: every row from the growth
 * floor to the as-of date, each customer's in date order; fill() keeps
 * the latest of the 30 days and the latest of the growth window. "+date"
 * makes SQLite scan the table in primary-key (customer, date) order
 * instead of the date index: no sort, and five times faster for all
 * customers. NPS and CSAT do the same with their per-customer indexes,
 * which hold every column read here (schema migration 13), as outreach's
 * does: their date indexes would find the rows in date order, look each
 * one up in the table and sort them. (Tickets still do that: an index
 * holding their category and theme would cost the categoriser, which sets
 * them, more than it saves here.) For one customer, FILTER selects it by
 * its key.
 */
#define QUERIES(FILTER) { \
	[Q_CUST] = \
	"SELECT customer_id, name, arr, status, executive_escalation, segment, csm," \
	"       created_at, last_contact_at" \
	"  FROM customers WHERE " FILTER " ORDER BY customer_id", \
	[Q_USAGE] = \
	"SELECT customer_id, date, active_days_30d, active_users, seats," \
	"       paid_features_used, paid_features_total, core_actions_30d," \
	"       session_minutes_avg, errors_30d" \
	"  FROM usage WHERE +date BETWEEN ?5 AND ?1 AND " FILTER "" \
	" ORDER BY customer_id, date", \
	[Q_NPS] = \
	"SELECT customer_id, max(date || response_key), score" \
	"  FROM nps WHERE +date BETWEEN ?6 AND ?1 AND " FILTER "" \
	" GROUP BY customer_id ORDER BY customer_id", \
	[Q_TICKETS] = \
	"SELECT customer_id, created_at," \
	"       CASE sentiment WHEN 'positive' THEN ?10 WHEN 'neutral' THEN ?11" \
	"                      WHEN 'frustrated' THEN ?12 WHEN 'angry' THEN ?13" \
	"       ELSE CASE WHEN csat >= 4 THEN ?10 WHEN csat = 3 THEN ?11" \
	"                 WHEN csat = 2 THEN ?12 WHEN csat = 1 THEN ?13" \
	"                 WHEN csat_good = 1 THEN ?10 WHEN csat_good = 0 THEN ?12 END" \
	"       END AS p, coalesce(category, ''), theme" \
	"  FROM tickets WHERE created_at >= ?14 AND created_at < ?2 AND " FILTER "" \
	" ORDER BY customer_id", \
	[Q_OUTREACH] = \
	"SELECT customer_id," \
	"       count(responded) FILTER (WHERE date >= ?7)," \
	"       coalesce(sum(responded) FILTER (WHERE date >= ?7), 0)," \
	"       max(substr(date, 1, 10)) FILTER (WHERE responded = 1)" \
	"  FROM outreach WHERE date < ?2 AND " FILTER "" \
	" GROUP BY customer_id ORDER BY customer_id", \
	[Q_CSAT] = \
	"SELECT customer_id," \
	"       avg(coalesce(score, CASE good WHEN 1 THEN 5 WHEN 0 THEN 1 END)), count(*)" \
	"  FROM csat WHERE +date BETWEEN ?7 AND ?1 AND " FILTER "" \
	" GROUP BY customer_id ORDER BY customer_id", \
}
static const char *const all_queries[NQ] = QUERIES("1");
static const char *const one_queries[NQ] = QUERIES("customer_id = ?9");
#undef QUERIES

/* Sorted positive core-action counts of one usage date, for percentile ranks. */
struct rank_date {
	char date[11];
	int64_t *v;
	long n;
};

struct ranks {
	struct rank_date *d;
	int n, cap;
	sqlite3_stmt *load;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static struct rank_date *ranks_for(struct ranks *r, const char *date)
{
	struct rank_date *d;
	long cap = 0;
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->d[i].date, date))
			return &r->d[i];
	if (r->n == r->cap) {
		int ncap = r->cap ? r->cap * 2 : 16;
		struct rank_date *nd = realloc(r->d, (size_t)ncap * sizeof(*nd));

		if (!nd)
			return NULL;
		r->d = nd;
		r->cap = ncap;
	}
	d = &r->d[r->n];
	memset(d, 0, sizeof(*d));
	snprintf(d->date, sizeof(d->date), "%s", date);
	sqlite3_reset(r->load);
	sqlite3_bind_text(r->load, 1, date, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(r->load) == SQLITE_ROW) {
		if (d->n == cap) {
			long ncap = cap ? cap * 2 : 1024;
			int64_t *nv = realloc(d->v, (size_t)ncap * sizeof(*nv));

			if (!nv) {
				free(d->v);
				return NULL;
			}
			d->v = nv;
			cap = ncap;
		}
		d->v[d->n++] = sqlite3_column_int64(r->load, 0);
	}
	/* The index returns them in order already; sort anyway, it is cheap. */
	qsort(d->v, (size_t)d->n, sizeof(*d->v), cmp_i64);
	r->n++;
	return d;
}

/* How many of the sorted values are below x. */
static long lower_count(const struct rank_date *d, int64_t x)
{
	long lo = 0, hi = d->n;

	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (d->v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void set(struct cs_metric_value *v, double value, long n)
{
	v->present = true;
	v->value = value;
	v->n = n;
}

static int32_t day_of(const unsigned char *text)
{
	int32_t d;
	char buf[11];

	if (!text)
		return INT32_MIN;
	snprintf(buf, sizeof(buf), "%s", (const char *)text);
	return cs_parse_day(buf, &d) ? INT32_MIN : d;
}

/* Advance q until its customer_id >= id; true if it is now on id. */
static bool on_customer(sqlite3_stmt *q, int *rc, const char *id)
{
	while (*rc == SQLITE_ROW) {
		int c = strcmp((const char *)sqlite3_column_text(q, 0), id);

		if (c == 0)
			return true;
		if (c > 0)
			return false;
		*rc = sqlite3_step(q);
	}
	return false;
}

/* Q_USAGE's columns from 2 on, as fill() reads them. */
enum { U_ACTIVE_DAYS, U_ACTIVE_USERS, U_SEATS, U_PF_USED, U_PF_TOTAL, U_CORE, U_SESSION,
       U_ERRORS, U_COLS };

/* One usage row, copied out of the statement before it steps on. */
struct usage_row {
	bool have;
	char date[11];
	bool null[U_COLS];
	int64_t v[U_COLS];	/* the integers (NULL reads as 0) */
	double session;		/* U_SESSION, the one real */
};

static void usage_now(struct usage_row *r, sqlite3_stmt *u, const char *date)
{
	size_t n = strnlen(date, sizeof(r->date) - 1);
	int i;

	r->have = true;
	memcpy(r->date, date, n);
	r->date[n] = '\0';
	for (i = 0; i < U_COLS; i++) {
		r->null[i] = sqlite3_column_type(u, 2 + i) == SQLITE_NULL;
		if (i == U_SESSION)
			r->session = sqlite3_column_double(u, 2 + i);
		else
			r->v[i] = sqlite3_column_int64(u, 2 + i);
	}
}

/* Growth reads seats, paid features used and core actions only (NULL as 0). */
static void usage_then(struct usage_row *r, sqlite3_stmt *u)
{
	static const int cols[] = { U_SEATS, U_PF_USED, U_CORE };
	int i;

	r->have = true;
	for (i = 0; i < 3; i++)
		r->v[cols[i]] = sqlite3_column_int64(u, 2 + cols[i]);
}

/*
 * A customer's usage rows, from the growth floor to the as-of date, in
 * date order: the last one on or after the usage floor (days[2]) is the
 * current row, the last one on or before the growth day (days[3]) the one
 * growth compares with. Leaves q on the next customer's first row.
 */
static void read_usage(sqlite3_stmt *u, int *rc, const char *id, const char (*days)[11],
		       struct usage_row *now, struct usage_row *then)
{
	do {
		const char *date = (const char *)sqlite3_column_text(u, 1);

		if (strcmp(date, days[2]) >= 0)
			usage_now(now, u, date);
		if (strcmp(date, days[3]) <= 0)
			usage_then(then, u);
		*rc = sqlite3_step(u);
	} while (*rc == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(u, 0), id));
}

static int fill(struct cs_customer_metrics *cm, sqlite3_stmt **q, int *rc,
		struct ranks *ranks, int32_t as_of, const char (*days)[11],
		const struct cs_ticket_observer *obs)
{
	sqlite3_stmt *c = q[Q_CUST];
	int32_t created = day_of(sqlite3_column_text(c, 7));
	int32_t contact = day_of(sqlite3_column_text(c, 8));
	struct usage_row now, then;
	int64_t seats_now = 0, pf_now = 0, core_now = 0;
	int i;

	memset(cm, 0, sizeof(*cm));
	now.have = then.have = false;
	snprintf(cm->customer_id, sizeof(cm->customer_id), "%s", sqlite3_column_text(c, 0));
	snprintf(cm->name, sizeof(cm->name), "%s", sqlite3_column_text(c, 1));
	cm->arr = sqlite3_column_type(c, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(c, 2);
	snprintf(cm->status, sizeof(cm->status), "%s", sqlite3_column_text(c, 3));
	cm->executive_escalation = sqlite3_column_int(c, 4) != 0;
	if (sqlite3_column_text(c, 5))
		snprintf(cm->segment, sizeof(cm->segment), "%s", sqlite3_column_text(c, 5));
	if (sqlite3_column_text(c, 6))
		snprintf(cm->csm, sizeof(cm->csm), "%s", sqlite3_column_text(c, 6));
	if (created != INT32_MIN)
		set(&cm->m[M_TENURE_DAYS], as_of - created, 1);

	if (on_customer(q[Q_USAGE], &rc[Q_USAGE], cm->customer_id))
		read_usage(q[Q_USAGE], &rc[Q_USAGE], cm->customer_id, days, &now, &then);

	if (now.have) {
		snprintf(cm->usage_date, sizeof(cm->usage_date), "%s", now.date);
		if (!now.null[U_ACTIVE_DAYS])
			set(&cm->m[M_ACTIVE_DAYS_30D], (int)now.v[U_ACTIVE_DAYS], 1);
		seats_now = now.v[U_SEATS];
		if (!now.null[U_SEATS] && seats_now > 0 && !now.null[U_ACTIVE_USERS])
			set(&cm->m[M_SEAT_UTILISATION],
			    (double)now.v[U_ACTIVE_USERS] / (double)seats_now, 1);
		pf_now = now.v[U_PF_USED];
		if (!now.null[U_PF_USED] && now.v[U_PF_TOTAL] > 0)
			set(&cm->m[M_FEATURE_BREADTH], (double)pf_now / (double)now.v[U_PF_TOTAL], 1);
		if (!now.null[U_CORE]) {
			core_now = now.v[U_CORE];
			set(&cm->m[M_CORE_ACTIONS_30D], (double)core_now, 1);
			if (core_now > 0) {
				struct rank_date *d = ranks_for(ranks, cm->usage_date);

				if (d) {
					cm->core_lower = lower_count(d, core_now);
					cm->core_ranked = d->n;
				}
			}
		}
		if (!now.null[U_SESSION])
			set(&cm->m[M_SESSION_MINUTES], now.session, 1);
		if (!now.null[U_ERRORS])
			set(&cm->m[M_ERRORS_30D], (int)now.v[U_ERRORS], 1);
	}

	/* Growth: a request to leave or shrink is contraction whatever the usage. */
	if (!strcmp(cm->status, "downgrade_requested") || !strcmp(cm->status, "cancel_requested"))
		set(&cm->m[M_GROWTH], -1, 1);
	if (then.have && now.have) {
		int64_t seats_then = then.v[U_SEATS], pf_then = then.v[U_PF_USED];
		int64_t core_then = then.v[U_CORE];

		if (!cm->m[M_GROWTH].present) {
			if (seats_now < seats_then || pf_now < pf_then)
				set(&cm->m[M_GROWTH], -1, 1);
			else if (seats_now > seats_then || pf_now > pf_then)
				set(&cm->m[M_GROWTH], 1, 1);
			else
				set(&cm->m[M_GROWTH], 0, 1);
		}
		if (core_then > 0 && cm->m[M_CORE_ACTIONS_30D].present)
			set(&cm->m[M_USAGE_CHANGE_30D],
			    (double)(core_now - core_then) / (double)core_then, 1);
	}

	if (on_customer(q[Q_NPS], &rc[Q_NPS], cm->customer_id))
		set(&cm->m[M_NPS_LATEST], sqlite3_column_int(q[Q_NPS], 2), 1);

	/*
	 * Tickets one by one: the sentiment of the 90-day window, the count
	 * of the 30-day one, and each themed ticket to the observer.
	 */
	set(&cm->m[M_TICKETS_30D], 0, 0);
	if (on_customer(q[Q_TICKETS], &rc[Q_TICKETS], cm->customer_id)) {
		sqlite3_stmt *t = q[Q_TICKETS];
		long rated = 0, recent = 0;
		int64_t sum = 0;
		int ret;

		do {
			const char *when = (const char *)sqlite3_column_text(t, 1);

			if (strcmp(when, days[6]) >= 0) {
				if (sqlite3_column_type(t, 2) != SQLITE_NULL) {
					sum += sqlite3_column_int64(t, 2);
					rated++;
				}
				if (strcmp(when, days[7]) >= 0)
					recent++;
			}
			if (obs && sqlite3_column_type(t, 4) != SQLITE_NULL &&
			    (ret = obs->on_ticket(obs->ctx, cm, when,
						  (const char *)sqlite3_column_text(t, 3),
						  (const char *)sqlite3_column_text(t, 4))))
				return ret;
			rc[Q_TICKETS] = sqlite3_step(t);
		} while (rc[Q_TICKETS] == SQLITE_ROW &&
			 !strcmp((const char *)sqlite3_column_text(t, 0), cm->customer_id));
		if (rated > 0)
			set(&cm->m[M_TICKET_SENTIMENT], (double)sum / (double)rated, rated);
		set(&cm->m[M_TICKETS_30D], (double)recent, recent);
	}

	if (on_customer(q[Q_OUTREACH], &rc[Q_OUTREACH], cm->customer_id)) {
		sqlite3_stmt *o = q[Q_OUTREACH];
		long attempts = sqlite3_column_int(o, 1);
		int32_t answered = day_of(sqlite3_column_text(o, 3));

		if (attempts > 0)
			set(&cm->m[M_OUTREACH_RESPONSE],
			    (double)sqlite3_column_int(o, 2) / (double)attempts, attempts);
		if (answered != INT32_MIN && (contact == INT32_MIN || answered > contact))
			contact = answered;
	}
	if (contact != INT32_MIN && contact <= as_of)
		set(&cm->m[M_DAYS_SINCE_CONTACT], as_of - contact, 1);

	if (on_customer(q[Q_CSAT], &rc[Q_CSAT], cm->customer_id))
		set(&cm->m[M_CSAT_AVG_90D], sqlite3_column_double(q[Q_CSAT], 1),
		    sqlite3_column_int(q[Q_CSAT], 2));

	for (i = 0; i < M_COUNT; i++)
		if (!cm->m[i].present)
			cm->m[i].value = NAN;
	/* A value of exactly zero must stay distinguishable from missing. */
	if (cm->m[M_TICKETS_30D].present && isnan(cm->m[M_TICKETS_30D].value))
		cm->m[M_TICKETS_30D].value = 0;
	return 0;
}

/* What compute() hands on: a customer's metrics and its earlier score (-1: none). */
typedef int (*row_cb)(void *ctx, const struct cs_customer_metrics *cm, int earlier);

static int compute(sqlite3 *db, int32_t as_of, const char *customer_id,
		   const struct cs_ticket_observer *obs, const struct cs_metrics_stage *stage,
		   row_cb cb, void *ctx, struct cs_diag *diag)
{
	sqlite3_stmt *q[NQ] = { 0 }, *earlier = NULL;
	int rc[NQ], i, ret = 0, earlier_rc = SQLITE_DONE;
	struct ranks ranks = { 0 };
	char day[9][11];
	struct cs_customer_metrics *cm = malloc(sizeof(*cm));
	static const int32_t offsets[8] = {
		0, 1, -USAGE_MAX_AGE, -GROWTH_LAG, -GROWTH_MAX_AGE, -NPS_MAX_AGE,
		-(RECENT_DAYS - 1), -(TICKETS_DAYS - 1),
	};

	if (!cm)
		return cs_error(diag, "out of memory");
	for (i = 0; i < 8; i++)
		cs_format_day(as_of + offsets[i], day[i]);
	cs_format_day(obs && obs->from < as_of + offsets[6] ? obs->from : as_of + offsets[6],
		      day[8]);
	if (sqlite3_prepare_v2(db, "SELECT core_actions_30d FROM usage WHERE date = ?1"
			       " AND core_actions_30d > 0 ORDER BY core_actions_30d",
			       -1, &ranks.load, NULL) != SQLITE_OK) {
		ret = cs_db_error(db, diag, "computing metrics");
		goto out;
	}
	for (i = 0; i < NQ; i++) {
		int p;

		if (sqlite3_prepare_v2(db, (customer_id ? one_queries : all_queries)[i], -1, &q[i],
				       NULL) != SQLITE_OK) {
			ret = cs_db_error(db, diag, "computing metrics");
			goto out;
		}
		/* Binding a parameter a query does not use is a harmless SQLITE_RANGE. */
		for (p = 1; p <= 8; p++)
			sqlite3_bind_text(q[i], p, day[p - 1], -1, SQLITE_STATIC);
		if (customer_id)
			sqlite3_bind_text(q[i], 9, customer_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(q[i], 10, CS_SENTIMENT_POSITIVE);
		sqlite3_bind_int(q[i], 11, CS_SENTIMENT_NEUTRAL);
		sqlite3_bind_int(q[i], 12, CS_SENTIMENT_FRUSTRATED);
		sqlite3_bind_int(q[i], 13, CS_SENTIMENT_ANGRY);
		sqlite3_bind_text(q[i], 14, day[8], -1, SQLITE_STATIC);
		rc[i] = sqlite3_step(q[i]);
	}
	/* The earlier snapshot's scores, for the trend: one more merged source. */
	if (stage && stage->earlier_day) {
		if (sqlite3_prepare_v2(db, "SELECT customer_id, score FROM snapshots"
				       " WHERE profile = ?1 AND as_of = ?2 ORDER BY customer_id",
				       -1, &earlier, NULL) != SQLITE_OK) {
			ret = cs_db_error(db, diag, "computing metrics");
			goto out;
		}
		sqlite3_bind_text(earlier, 1, stage->profile, -1, SQLITE_STATIC);
		sqlite3_bind_text(earlier, 2, stage->earlier_day, -1, SQLITE_STATIC);
		earlier_rc = sqlite3_step(earlier);
	}
	while (rc[Q_CUST] == SQLITE_ROW) {
		int before = -1;

		if ((ret = fill(cm, q, rc, &ranks, as_of, (const char (*)[11])day, obs)))
			goto out;
		if (earlier && on_customer(earlier, &earlier_rc, cm->customer_id))
			before = sqlite3_column_int(earlier, 1);
		if ((ret = cb(ctx, cm, before)))
			goto out;
		rc[Q_CUST] = sqlite3_step(q[Q_CUST]);
	}
	for (i = 0; i < NQ; i++) {
		if (rc[i] != SQLITE_ROW && rc[i] != SQLITE_DONE) {
			ret = cs_db_error(db, diag, "computing metrics");
			break;
		}
	}
	if (!ret && earlier_rc != SQLITE_ROW && earlier_rc != SQLITE_DONE)
		ret = cs_db_error(db, diag, "computing metrics");
out:
	sqlite3_finalize(earlier);
	for (i = 0; i < NQ; i++)
		sqlite3_finalize(q[i]);
	sqlite3_finalize(ranks.load);
	for (i = 0; i < ranks.n; i++)
		free(ranks.d[i].v);
	free(ranks.d);
	free(cm);
	return ret;
}

/*
 * All customers at once: the reading runs on a second thread, with its
 * own read-only connection, while the caller's thread writes through its
 * own. The reader also does the stage's work (the scores and the rules'
 * texts), so the writer does little but write. The two meet in a ring of
 * customers, each slot holding the metrics and the work. The reader sees
 * the database as last committed, which is what the caller's open write
 * transaction has not touched: it writes snapshots and actions, never
 * what the metrics read (the earlier snapshot is another day's).
 */
#define RING 256
/*
 * The threads wake each other in batches: the writer sleeps until BATCH
 * customers are ready (or the reader is done) and hands back every slot it
 * took at once, so a run costs a few hundred wake-ups, not two per
 * customer.
 */
#define BATCH 64

/* The one thing a stage's prepare can say when it fails (it has no diag). */
#define PREPARE_FAILED "scoring customer %s failed"

struct pipe {
	pthread_mutex_t mu;
	pthread_cond_t put_ok, get_ok;
	char *ring;			/* RING slots: metrics, then the work */
	size_t slot;			/* bytes per slot */
	unsigned long head, tail;	/* produced, consumed */
	bool done, stop;
	bool putter_waits, getter_waits;
	int ret;
	char err[512];			/* the reader's first error */
	sqlite3 *db;
	int32_t as_of;
	const struct cs_ticket_observer *obs;
	const struct cs_metrics_stage *stage;
};

static struct cs_customer_metrics *slot_metrics(const struct pipe *pp, unsigned long i)
{
	return (struct cs_customer_metrics *)(void *)(pp->ring + (i % RING) * pp->slot);
}

static void *slot_work(const struct pipe *pp, unsigned long i)
{
	return (char *)slot_metrics(pp, i) + CS_WORK_ALIGN(sizeof(struct cs_customer_metrics));
}

static void pipe_diag(void *ctx, enum cs_level level, const char *msg)
{
	struct pipe *pp = ctx;

	if (level == CS_ERROR && !pp->err[0])
		snprintf(pp->err, sizeof(pp->err), "%s", msg);
}

static int pipe_put(void *ctx, const struct cs_customer_metrics *cm, int earlier)
{
	struct pipe *pp = ctx;
	struct cs_customer_metrics *to;
	int stop;

	pthread_mutex_lock(&pp->mu);
	while (pp->head - pp->tail == RING && !pp->stop) {
		pp->putter_waits = true;
		pthread_cond_wait(&pp->put_ok, &pp->mu);
		pp->putter_waits = false;
	}
	stop = pp->stop;
	pthread_mutex_unlock(&pp->mu);
	if (stop)
		return 1;
	/* The slot is the reader's until head moves past it. */
	to = slot_metrics(pp, pp->head);
	memcpy(to, cm, sizeof(*cm));
	if (pp->stage && pp->stage->prepare &&
	    pp->stage->prepare(pp->stage->ctx, to, earlier, slot_work(pp, pp->head))) {
		/* err is the reader's until the writer joins it */
		if (!pp->err[0])
			snprintf(pp->err, sizeof(pp->err), PREPARE_FAILED, cm->customer_id);
		return -1;
	}
	pthread_mutex_lock(&pp->mu);
	pp->head++;
	if (pp->getter_waits && pp->head - pp->tail >= BATCH)
		pthread_cond_signal(&pp->get_ok);
	pthread_mutex_unlock(&pp->mu);
	return 0;
}

static void *pipe_reader(void *arg)
{
	struct pipe *pp = arg;
	struct cs_diag d = { .emit = pipe_diag, .ctx = pp };
	int ret = compute(pp->db, pp->as_of, NULL, pp->obs, pp->stage, pipe_put, pp, &d);

	pthread_mutex_lock(&pp->mu);
	pp->ret = ret;
	pp->done = true;
	pthread_cond_signal(&pp->get_ok);
	pthread_mutex_unlock(&pp->mu);
	return NULL;
}

/* Without a second thread: the stage's work, then the callback, one by one. */
struct direct {
	const struct cs_metrics_stage *stage;
	void *work;
	cs_staged_cb cb;
	void *ctx;
	struct cs_diag *diag;
};

static int direct_row(void *ctx, const struct cs_customer_metrics *cm, int earlier)
{
	struct direct *d = ctx;

	if (d->stage && d->stage->prepare &&
	    d->stage->prepare(d->stage->ctx, cm, earlier, d->work))
		return cs_error(d->diag, PREPARE_FAILED, cm->customer_id);
	return d->cb(d->ctx, cm, d->work);
}

static int run_direct(sqlite3 *db, int32_t as_of, const char *customer_id,
		      const struct cs_ticket_observer *obs, const struct cs_metrics_stage *stage,
		      cs_staged_cb cb, void *ctx, struct cs_diag *diag)
{
	struct direct d = { .stage = stage, .cb = cb, .ctx = ctx, .diag = diag };
	int ret;

	if (stage && stage->size && !(d.work = calloc(1, stage->size)))
		return cs_error(diag, "out of memory");
	if (stage && stage->begin && (ret = stage->begin(stage->ctx))) {
		free(d.work);
		return ret;
	}
	ret = compute(db, as_of, customer_id, obs, stage, direct_row, &d, diag);
	free(d.work);
	return ret;
}

int cs_metrics_compute_staged(sqlite3 *db, int32_t as_of, const struct cs_ticket_observer *obs,
			      const struct cs_metrics_stage *stage, cs_staged_cb cb, void *ctx,
			      struct cs_diag *diag)
{
	const char *path = sqlite3_db_filename(db, "main");
	struct cs_diag quiet = { 0 };
	struct pipe pp = { .as_of = as_of, .obs = obs, .stage = stage };
	pthread_t th;
	int ret = 0;

	/* A database without a file, or an SQLite built without threads: one thread. */
	if (!path || !path[0] || getenv("CASEY_ONE_THREAD") || !sqlite3_threadsafe() ||
	    cs_db_open(path, CS_DB_READONLY, &pp.db, &quiet))
		return run_direct(db, as_of, NULL, obs, stage, cb, ctx, diag);
	pp.slot = CS_WORK_ALIGN(sizeof(struct cs_customer_metrics)) + CS_WORK_ALIGN(stage ? stage->size : 0);
	pp.ring = malloc(RING * pp.slot);
	if (!pp.ring) {
		cs_db_close(pp.db);
		return cs_error(diag, "out of memory");
	}
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.put_ok, NULL);
	pthread_cond_init(&pp.get_ok, NULL);
	if (pthread_create(&th, NULL, pipe_reader, &pp)) {
		ret = cs_error(diag, "cannot start the metrics reader");
		goto out;
	}
	if (stage && stage->begin && (ret = stage->begin(stage->ctx))) {
		pthread_mutex_lock(&pp.mu);
		pp.stop = true;
		pthread_cond_signal(&pp.put_ok);
		pthread_mutex_unlock(&pp.mu);
	}
	while (!ret) {
		unsigned long from, to;

		pthread_mutex_lock(&pp.mu);
		while (pp.head - pp.tail < BATCH && !pp.done) {
			pp.getter_waits = true;
			pthread_cond_wait(&pp.get_ok, &pp.mu);
			pp.getter_waits = false;
		}
		from = pp.tail;
		to = pp.head;
		pthread_mutex_unlock(&pp.mu);
		if (from == to)
			break;	/* done, and nothing left */
		/* Slots from..to are this thread's until tail moves past them. */
		for (; from != to && !ret; from++)
			ret = cb(ctx, slot_metrics(&pp, from), slot_work(&pp, from));
		pthread_mutex_lock(&pp.mu);
		pp.tail = to;
		if (ret)
			pp.stop = true;
		if (pp.putter_waits || ret)
			pthread_cond_signal(&pp.put_ok);
		pthread_mutex_unlock(&pp.mu);
	}
	pthread_join(th, NULL);
	/* The reader's errors carry their message (a stop the writer asked for has none). */
	if (!ret && pp.ret)
		ret = cs_error(diag, "%s", pp.err[0] ? pp.err : "computing metrics failed");
out:
	pthread_cond_destroy(&pp.get_ok);
	pthread_cond_destroy(&pp.put_ok);
	pthread_mutex_destroy(&pp.mu);
	free(pp.ring);
	cs_db_close(pp.db);
	return ret;
}

/* The plain callbacks, as a stage-less run. */
struct plain {
	cs_metrics_cb cb;
	void *ctx;
};

static int plain_cb(void *ctx, const struct cs_customer_metrics *cm, void *work)
{
	const struct plain *p = ctx;

	(void)work;
	return p->cb(p->ctx, cm);
}

int cs_metrics_compute(sqlite3 *db, int32_t as_of, const char *customer_id,
		       cs_metrics_cb cb, void *ctx, struct cs_diag *diag)
{
	struct plain p = { .cb = cb, .ctx = ctx };

	/* One customer: no second connection. */
	if (customer_id)
		return run_direct(db, as_of, customer_id, NULL, NULL, plain_cb, &p, diag);
	return cs_metrics_compute_staged(db, as_of, NULL, NULL, plain_cb, &p, diag);
}
