/*
 * figures.h — the figures of a scoring run's as-of windows, kept so the
 * summary, the dashboard and the reports read a row instead of scanning a
 * million customers, answers and tickets: the customer count, NPS and CSAT
 * of the 90 days to the run's date (satisfaction.h) and every ticket theme
 * of the 7 days to it (cs_themes()).
 *
 * `casey score` stores them for the date it scores (cs_figures_store()).
 * They are read only while they still say what a fresh computation would:
 *
 *   - an import since they were stored (a newer row in `imports`) makes
 *     them stale: the readers compute the figures from the data instead,
 *     until the next score run stores them again;
 *   - a ticket recategorised (triage, its undo, a categorising run) makes
 *     the stored themes stale (cs_figures_forget_themes());
 *   - a purge forgets them all (cs_figures_forget()).
 *
 * The run also keeps the head of its profile's at-risk list (the
 * summary's CS_SUMMARY_AT_RISK customers, with their names and weakest
 * measure): stale after an import likewise, and forgotten before any run
 * replaces that profile's snapshots of that date (cs_figures_forget_run()).
 *
 * So a reader never shows a stale figure; it is only slower until the
 * next `casey score`.
 */
#ifndef CASEY_FIGURES_H
#define CASEY_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/satisfaction.h"

struct sqlite3;
struct cs_theme;
struct cs_at_risk;

/* The themes window kept: the week to the run's date. */
#define CS_FIGURES_THEME_DAYS 7

struct cs_figures {
	long customers;		/* every customer in the database */
	long churned;		/* of which churned */
	struct cs_nps nps;	/* the 90 days to the date */
	struct cs_csat csat;
};

/*
 * Compute the figures for as_of from the data, and the head of profile's
 * at-risk list from its snapshots of that date, and store them (replacing
 * any for that date). Run inside the caller's transaction.
 */
int cs_figures_store(struct sqlite3 *db, const char *profile, int32_t as_of,
		     struct cs_diag *diag);

/*
 * cs_figures_store() in two halves, so a scoring run can work the figures
 * out on a second, read-only connection while it raises its other actions
 * (cs_aside, aside.h): cs_figures_prepare() only reads; cs_figures_put()
 * stores what it found, in the caller's transaction. Free the run with
 * cs_figures_run_free().
 */
struct cs_figures_run;
int cs_figures_prepare(struct sqlite3 *db, const char *profile, int32_t as_of,
		       struct cs_figures_run **out, struct cs_diag *diag);
int cs_figures_put(struct sqlite3 *db, const struct cs_figures_run *run,
		   struct cs_diag *diag);
void cs_figures_run_free(struct cs_figures_run *run);

/* The figures for as_of from the data (what cs_figures_store() keeps): 0 or -1. */
int cs_figures_compute(struct sqlite3 *db, int32_t as_of, struct cs_figures *out,
		       struct cs_diag *diag);

/* The stored figures for as_of: 1 when current, 0 when none are (compute them), -1 error. */
int cs_figures_load(struct sqlite3 *db, int32_t as_of, struct cs_figures *out,
		    struct cs_diag *diag);

/*
 * The stored themes of the CS_FIGURES_THEME_DAYS days to as_of, in
 * cs_themes() order, to cb (which returns 0 to go on). *current says
 * whether they were current; when not, cb was not called. Returns what
 * cs_themes() returns.
 */
int cs_figures_themes(struct sqlite3 *db, int32_t as_of, bool *current,
		      int (*cb)(void *ctx, const struct cs_theme *t), void *ctx,
		      struct cs_diag *diag);

/*
 * The stored head of profile's at-risk list of date (YYYY-MM-DD): at most
 * max customers into out, *n how many. *current says whether it was
 * current (else nothing was read: use cs_at_risk_list(), summary.h).
 */
int cs_figures_at_risk(struct sqlite3 *db, const char *profile, const char *date,
		       struct cs_at_risk *out, int max, int *n, bool *current,
		       struct cs_diag *diag);

/* Before profile's snapshots of as_of are replaced: forget that run's head. */
int cs_figures_forget_run(struct sqlite3 *db, const char *profile, int32_t as_of,
			  struct cs_diag *diag);

/* A ticket's category or theme changed: the stored themes no longer hold. */
int cs_figures_forget_themes(struct sqlite3 *db, struct cs_diag *diag);

/* Events were deleted: no stored figure holds. */
int cs_figures_forget(struct sqlite3 *db, struct cs_diag *diag);

#endif
