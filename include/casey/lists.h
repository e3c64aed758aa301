/*
 * lists.h — what the dashboard's list and detail screens read: customers
 * a page at a time, one customer's record, score history, recent tickets,
 * survey answers and outreach.
 *
 * The customer list is virtual. A screen never loads every customer: it
 * asks for the page after (or before) a key — the sort value and the
 * customer_id of a row it already shows — and the query walks an index
 * from that key ("keyset paging"), so a page costs the same on the first
 * screen and the ten-thousandth, and opening the list of a million
 * customers is as fast as opening the sample's three hundred. The one
 * exception is a search string, matched inside names and ids, which no
 * index can serve: a page then reads the customers table once (about
 * 0.15 s for a million customers) and sorts what matches.
 *
 * Rows are the customers scored in the profile's latest snapshot on or
 * before the as-of date (the snapshot the dashboard counts), each with
 * that snapshot's score. Every row carries its key; pass it back to get
 * the neighbouring page. Results are copied into caller-owned arrays: no
 * pointer into SQLite outlives a call. Text longer than a field is cut at
 * a character boundary.
 */
#ifndef CASEY_LISTS_H
#define CASEY_LISTS_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/kinds.h"
#include "casey/tickets.h"

struct sqlite3;
struct cs_signals_config;

/*
 * Every order breaks ties by customer_id, so no two rows ever tie: in
 * ascending order, except among equal known ARRs (descending, so one index
 * walk serves the whole order). Unknown values come last, by customer_id.
 */
enum cs_list_sort {
	CS_SORT_SCORE,		/* lowest score first */
	CS_SORT_ARR,		/* largest ARR first; unknown ARR last */
	CS_SORT_TREND,		/* steepest 30-day fall first; no history last */
	CS_SORT_RENEWAL,	/* soonest renewal first; none last */
	CS_SORT_COUNT
};
/* "score", "arr", "trend", "renewal". */
extern const char *const cs_list_sort_names[CS_SORT_COUNT];

struct cs_list_query {
	const char *profile;
	int32_t as_of;			/* the latest snapshot on or before this day */
	enum cs_list_sort sort;
	/* Filters; NULL or "" for none. Matching ignores ASCII case. */
	const char *band;		/* "green", "yellow" or "red" */
	const char *segment;		/* segment starts with this */
	const char *csm;		/* CSM's name starts with this */
	const char *search;		/* name or customer_id contains this */
	/*
	 * A tier's name as tiers.h names it, or CS_TIER_NONE for the customers
	 * with no tier. Needs casey_tier() on db (cs_tiers_sql()).
	 */
	const char *tier;
	/*
	 * A behavioural segment's name (signals.h: "champion", ...), with the
	 * configuration that defines them; NULL for none.
	 */
	const char *behaviour;
	const struct cs_signals_config *signals;
};

/* Where a row sits in its order. Opaque to callers: copy it, pass it back. */
struct cs_list_key {
	bool set;			/* false: "the start" (or, going back, "the end") */
	bool null;			/* the sort value is unknown (listed last) */
	double num;			/* the sort value of score, ARR and trend */
	char text[11];			/* the sort value of renewal */
	char customer_id[CS_ID_MAX + 1];
};

struct cs_list_row {
	char customer_id[CS_ID_MAX + 1];
	char name[256];
	char segment[64];
	char csm[128];
	char renewal_date[11];		/* "" when unknown */
	char status[24];
	bool arr_known;
	double arr;
	int score;
	char band[8];			/* "green", "yellow", "red" */
	char trend[12];			/* "improving", "stable", "declining" */
	bool has_delta30;
	int delta30;			/* score change vs about 30 days before */
	bool drop20;			/* fell 20 or more points in 30 days */
	struct cs_list_key key;
};

/*
 * Up to max rows of q's order: with before false, the rows after key (from
 * the first row when key is NULL or unset); with before true, the rows
 * just before key (the last rows when key is NULL or unset). Either way
 * rows[] is filled in display order. Returns how many (0 when nothing is
 * scored, or at either end), or -1 with the error reported.
 */
int cs_list_customers(struct sqlite3 *db, const struct cs_list_query *q,
		      const struct cs_list_key *key, bool before,
		      struct cs_list_row *rows, int max, struct cs_diag *diag);

/* ------------------------------------------------------------------ */
/* One customer, for the detail screen                                  */

struct cs_customer_info {
	char customer_id[CS_ID_MAX + 1];
	char name[256];
	char segment[64];
	char plan[64];
	char csm[128];
	bool arr_known;
	double arr;
	bool seats_known;
	long seats;
	char created_at[11];		/* "" when unknown (likewise below) */
	char renewal_date[11];
	char status[24];
	char last_contact_at[11];
	bool executive_escalation;
};

/* The customer's record; *found false (and 0 returned) when there is none. */
int cs_customer_get(struct sqlite3 *db, const char *customer_id,
		    struct cs_customer_info *out, bool *found, struct cs_diag *diag);

struct cs_history_point {
	char as_of[11];
	int score;
	char band[8];
};

/*
 * The profile's latest max snapshots of the customer on or before as_of,
 * oldest first (for a sparkline). Returns how many, or -1.
 */
int cs_score_history(struct sqlite3 *db, const char *profile, const char *customer_id,
		     int32_t as_of, struct cs_history_point *pts, int max,
		     struct cs_diag *diag);

struct cs_ticket_line {
	char ticket_id[CS_ID_MAX + 1];
	char created_at[11];		/* the day */
	char subject[160];
	char category[32];		/* "" until categorised */
	char status[24];
	char urgency[8];		/* low, medium, high; "" */
	char sentiment[12];		/* "" when none */
	int csat;			/* 1..5; 0 none */
};

/*
 * The customer's latest max tickets created on or before as_of, newest
 * first; *in_window (when not NULL) counts every ticket of the
 * window_days up to and including as_of. Returns how many lines, or -1.
 */
int cs_recent_tickets(struct sqlite3 *db, const char *customer_id, int32_t as_of,
		      int window_days, struct cs_ticket_line *out, int max,
		      long *in_window, struct cs_diag *diag);

struct cs_feedback_line {
	char date[11];
	bool nps;			/* an NPS answer; else a CSAT one */
	int score;			/* NPS 0..10; CSAT 1..5, or 0 for Good/Bad */
	int good;			/* CSAT Good 1, Bad 0; -1 otherwise */
	char context[64];		/* CSAT context; "" */
	char comment[200];
};

/* The latest max NPS and CSAT answers on or before as_of, newest first. */
int cs_recent_feedback(struct sqlite3 *db, const char *customer_id, int32_t as_of,
		       struct cs_feedback_line *out, int max, struct cs_diag *diag);

struct cs_outreach_line {
	char date[11];
	char channel[24];
	int responded;			/* 1, 0, or -1 unknown */
	char note[200];
};

/* The latest max outreach attempts on or before as_of, newest first. */
int cs_recent_outreach(struct sqlite3 *db, const char *customer_id, int32_t as_of,
		       struct cs_outreach_line *out, int max, struct cs_diag *diag);

/* ------------------------------------------------------------------ */
/* Tickets a page at a time: the triage queue, a theme's tickets        */

/*
 * Which tickets: those created on or before as_of (within the days days
 * up to and including it when days > 0); when uncategorised, only those
 * `casey tickets --uncategorised` lists (no category, or one a rule or
 * the model proposed); when theme is not NULL, only that theme of that
 * category ("" for the tickets without a category), as cs_themes()
 * groups them.
 */
struct cs_ticket_filter {
	int32_t as_of;
	int days;			/* 0: every day up to as_of */
	bool uncategorised;
	const char *category;		/* with theme */
	const char *theme;		/* NULL: any */
};

/*
 * Where a ticket sits in the order, newest first: created_at, then
 * ticket_id, both descending. Opaque: copy it, pass it back.
 */
struct cs_ticket_key {
	bool set;			/* false: "the start" (or, going back, "the end") */
	char created_at[32];
	char ticket_id[CS_ID_MAX + 1];
};

struct cs_ticket_item {
	char ticket_id[CS_ID_MAX + 1];
	char customer_id[CS_ID_MAX + 1];
	char customer[256];		/* the customer's name; "" when unknown */
	char created_at[20];		/* 'YYYY-MM-DD HH:MM:SS' */
	char subject[256];
	char status[24];
	char resolved_at[20];		/* "" when not resolved */
	char urgency[8], impact[8];	/* low, medium, high; "" when missing */
	int category;			/* -1: none */
	enum cs_source source;
	double confidence;		/* 0 when no category */
	char theme[CS_THEME_MAX];	/* "" when none */
	struct cs_ticket_key key;
};

/*
 * Up to max tickets of f in its order (see cs_ticket_key): with before
 * false, the tickets after key (from the newest when key is NULL or
 * unset); with before true, those just before key (the oldest when key
 * is NULL or unset). Either way rows[] is filled in display order. Each
 * page is an index walk from its key (tickets_created), so the thousandth
 * page costs what the first does. Returns how many, or -1.
 */
int cs_list_tickets(struct sqlite3 *db, const struct cs_ticket_filter *f,
		    const struct cs_ticket_key *key, bool before,
		    struct cs_ticket_item *rows, int max, struct cs_diag *diag);

/* How many tickets f selects (a counter for the screen: it reads every one). */
int cs_count_tickets(struct sqlite3 *db, const struct cs_ticket_filter *f, long *n,
		     struct cs_diag *diag);

/* A description longer than this is cut (at a character boundary). */
#define CS_TICKET_TEXT_MAX 16384

/* One ticket in full, for the ticket and triage screens. */
struct cs_ticket_full {
	struct cs_ticket_item t;
	char tags[256];			/* as imported; "" when none */
	char export_category[64];
	char sentiment[12];		/* "" when none */
	char description[CS_TICKET_TEXT_MAX];
	bool description_cut;		/* it was longer than the buffer */
};

/* The ticket; *found false (and 0 returned) when there is none. */
int cs_ticket_get(struct sqlite3 *db, const char *ticket_id, struct cs_ticket_full *out,
		  bool *found, struct cs_diag *diag);

#endif
