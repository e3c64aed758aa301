/*
 * escalate.h — the hand-off documents of PRODUCT.md §3 and §6, filled
 * from the database, and Peter's intake.
 *
 * Every action the rules raise (rules.h) can be turned into its document,
 * by kind:
 *
 *   product_gap         feature request to Product (seed 002's template plus
 *                       spec 000: description, number of requests, affected
 *                       customers, total ARR, usage context, RICE inputs)
 *   bug                 bug to QA: customer impact, reproduction steps from
 *                       the tickets, priority recommendation
 *   documentation_gap   documentation gap to Docs: feature area, confusion
 *                       points from the tickets, suggested improvements
 *   churn_risk,         churn alert: name, ARR, risk factors, retention
 *   immediate           actions, timeline, outcome tracking
 *   at_risk             at-risk escalation: ARR at risk, root causes,
 *                       recommended actions, timeline
 *   adoption_gap        adoption gap: figures, likely cause, owner
 *   theme_escalation    the document of its category (feature request,
 *                       bug, documentation), else a theme escalation
 *   check_in            the personalised check-in draft (outreach.h)
 *
 * weekly_review actions have none: they are the CSM's list in the weekly
 * report.
 *
 * The document lives in the action's row (actions.document): writing it
 * moves an open action to draft; the owner, the acknowledgement deadline
 * (due_at: Product 48 h, QA 24 h, Docs 1 week, from rules.ini, counted
 * again from the day it is sent) and the outcome are the action's. Once an
 * action is sent, its stored document is what was sent and is not
 * rewritten unless asked.
 *
 * Privacy: the stored and exported document is anonymised — quotes go
 * through cs_anonymise(), and the customers behind a feature request, bug
 * or documentation gap appear as "an Enterprise customer (C00042)": their
 * segment and id, never their name. A churn alert or at-risk escalation is
 * about one named account and names it (spec 000: "customer name, ARR");
 * its quotes are still anonymised. CS_DOC_NAMES gives the CSM's own view
 * with names, for reading on screen; it is never stored or sent.
 */
#ifndef CASEY_ESCALATE_H
#define CASEY_ESCALATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "casey/diag.h"
#include "casey/report.h"

struct sqlite3;

enum {
	CS_DOC_NAMES = 1 << 0,	/* the CSM's view: customer names instead of segments */
};

/* What an action is, as the documents need it. */
struct cs_escalation {
	long id;
	char kind[24];
	char status[16];
	char owner[128];
	char customer_id[201];
	char category[32], theme[128];
	char created_at[11], due_at[20], sent_at[11];
	bool has_document;	/* a document is stored */
};

/* Read action id; 1 found, 0 not found (reported), -1 error. */
int cs_escalation_get(struct sqlite3 *db, long id, struct cs_escalation *e,
		      struct cs_diag *diag);

/*
 * Write the document of action id, as of as_of, to out (flags: CS_DOC_*).
 * Fails (reported) for a kind without a document.
 */
int cs_escalation_write(struct sqlite3 *db, const struct cs_report_env *env, long id,
			int32_t as_of, unsigned flags, FILE *out, struct cs_diag *diag);
/* The same as a malloc'd string in *text. */
int cs_escalation_text(struct sqlite3 *db, const struct cs_report_env *env, long id,
		       int32_t as_of, unsigned flags, char **text, struct cs_diag *diag);

/*
 * The document to hand off: the stored one when the action was already
 * sent (or later) and refresh is false; else a new anonymised one, stored
 * in the action, which moves to draft when it was open (the document is
 * written first, then stored in a short transaction). *text is malloc'd.
 */
int cs_escalation_prepare(struct sqlite3 *db, const struct cs_report_env *env, long id,
			  int32_t as_of, bool refresh, char **text, struct cs_diag *diag);

/* --- Peter's intake ----------------------------------------------------------- */

/* Does the configured intake take this action kind? */
bool cs_intake_applies(const struct cs_casey_cfg *cfg, const char *kind);

/*
 * The intake's argv for request: command, args..., request, NULL, into
 * argv (room for CS_INTAKE_ARGS + 3). The strings point into cfg and
 * request. Returns the count, or 0 when no command is configured.
 */
int cs_intake_argv(const struct cs_casey_cfg *cfg, const char *request, const char **argv);

/*
 * Where the command would run from: itself when it holds a '/', else the
 * first executable of that name on $PATH. 0 with the path in buf, -1 when
 * not found (nothing reported).
 */
int cs_intake_find(const struct cs_casey_cfg *cfg, char *buf, size_t size);

struct cs_intake_result {
	int status;		/* the exit status, or 128 + signal */
	char output[2048];	/* what it wrote on stdout and stderr (cut) */
};

/*
 * Run the intake for request: fork, then execv of the found command with
 * the argv above — no shell, so nothing in the request is interpreted —
 * its stdin /dev/null, stdout and stderr captured into r->output. Returns
 * 0 when it ran (check r->status), -1 when it could not be run (reported).
 */
int cs_intake_run(const struct cs_casey_cfg *cfg, const char *request,
		  struct cs_intake_result *r, struct cs_diag *diag);

/* Write argv as one POSIX shell command line, each word quoted where needed. */
void cs_shell_quote_argv(FILE *out, const char *const *argv);

#endif
