/*
 * cli.h — what the command-line front end shares between its commands.
 *
 * Exit codes, stable for scripts: 0 success, 1 the command failed (bad
 * data, a refused operation, a database error), 2 the command line itself
 * was wrong (unknown command or option, missing argument).
 */
#ifndef CASEY_CLI_H
#define CASEY_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "casey/diag.h"

struct sqlite3;

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
	const char *db_option;	/* --db, or NULL */
	char db_path[4096];	/* resolved */
	int32_t as_of;		/* --as-of, or today (local time) */
	struct cs_diag diag;	/* prints to stderr */
};

/*
 * Resolve the path and open the database, migrating it. cli_open_db()
 * refuses one that does not exist ("no such database; run 'casey init'
 * and 'casey import' first"): a mistyped --db must not become a new,
 * empty database that reports no customers. Only `casey init`,
 * `casey import` and `casey checklist new` (the release checklist needs no
 * customer data) create one, with cli_create_db().
 */
int cli_open_db(struct cli *cli, struct sqlite3 **db);
int cli_create_db(struct cli *cli, struct sqlite3 **db);

/* "casey: usage: ..." on stderr; returns EXIT_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* JSON output helpers: a string with every needed escape, a number or null. */
void json_str(FILE *out, const char *s);

/*
 * Write s to out, replacing control characters, DEL, C1 controls and bidi
 * overrides with visible placeholders, so data can never drive the terminal.
 */
void term_safe(FILE *out, const char *s);
/* term_safe() in exactly width terminal columns: padded, or cut with "…". */
void term_safe_width(FILE *out, const char *s, int width);
/*
 * One CSV cell: quoted when needed, and a cell starting with = + - @ (or a
 * tab or CR) prefixed with ' so a spreadsheet never runs it as a formula.
 */
void csv_cell(FILE *out, const char *s);

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_summary(struct cli *cli, int argc, char **argv);
int cmd_score(struct cli *cli, int argc, char **argv);
int cmd_explain(struct cli *cli, int argc, char **argv);
int cmd_customers(struct cli *cli, int argc, char **argv);
int cmd_renewals(struct cli *cli, int argc, char **argv);
int cmd_tui(struct cli *cli, int argc, char **argv);	/* src/tui/cmd_tui.c */
int cmd_checklist(struct cli *cli, int argc, char **argv);
int cmd_tickets(struct cli *cli, int argc, char **argv);
int cmd_themes(struct cli *cli, int argc, char **argv);
int cmd_actions(struct cli *cli, int argc, char **argv);
int cmd_action(struct cli *cli, int argc, char **argv);
int cmd_nps(struct cli *cli, int argc, char **argv);
int cmd_csat(struct cli *cli, int argc, char **argv);
int cmd_adoption(struct cli *cli, int argc, char **argv);
int cmd_onboarding(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);	/* cmd_report.c */
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_purge(struct cli *cli, int argc, char **argv);
int cmd_compact(struct cli *cli, int argc, char **argv);
int cmd_escalate(struct cli *cli, int argc, char **argv);	/* cmd_escalate.c */
int cmd_draft(struct cli *cli, int argc, char **argv);
int cmd_contact(struct cli *cli, int argc, char **argv);
int cmd_churn(struct cli *cli, int argc, char **argv);	/* cmd_signals.c */
int cmd_segments(struct cli *cli, int argc, char **argv);
int cmd_expansion(struct cli *cli, int argc, char **argv);
/*
 * casey explain's churn-risk part: text lines, or (json) the fields to add
 * to its object, each starting with ','. 0, or -1 with the error reported.
 */
int explain_signals(struct cli *cli, struct sqlite3 *db, const char *id, bool json);
int cmd_plan(struct cli *cli, int argc, char **argv);	/* cmd_plan.c */
int cmd_review(struct cli *cli, int argc, char **argv);	/* cmd_review.c */

/*
 * Write an exported document: to path, private to the user (0600; an
 * existing file is refused unless force, then replaced atomically), or,
 * path NULL, to stdout (terminal-safe on a terminal). 0 or -1, reported.
 */
int cli_output(struct cli *cli, const char *path, bool force, const char *buf, size_t len);

#endif
