/*
 * subargs.h — the subcommand front of `casey plan` and `casey review`:
 * "COMMAND SUB OPERANDS... [OPTIONS]" with options anywhere among the
 * operands ("--" ends them), as `casey checklist` reads its own. Every
 * problem with the command line is a usage error (exit 2) naming the
 * argument, quoted terminal-safe:
 *
 *   casey: plan milestone add: --due '2026-02-30' is not a date (YYYY-MM-DD)
 *   usage: casey plan milestone add PLAN_ID TITLE --due DATE ...
 */
#ifndef CASEY_CLI_SUBARGS_H
#define CASEY_CLI_SUBARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"

enum {
	OPT_TITLE = 1 << 0,	/* --title TEXT */
	OPT_EMPTY = 1 << 1,	/* --empty */
	OPT_ALL = 1 << 2,	/* --all */
	OPT_FORMAT = 1 << 3,	/* --format text|json */
	OPT_STATUS = 1 << 4,	/* --status S */
	OPT_OBJECTIVES = 1 << 5,	/* --objectives TEXT */
	OPT_PROFILE = 1 << 6,	/* --profile NAME */
	OPT_DUE = 1 << 7,	/* --due DATE */
	OPT_OWNER = 1 << 8,	/* --owner NAME */
	OPT_PRIORITY = 1 << 9,	/* --priority P */
	OPT_DATE = 1 << 10,	/* --date DATE */
	OPT_REVIEW = 1 << 11,	/* --attendees --achievements --challenges --decisions
				   --action-items --rating */
};

#define SUB_OPERANDS_MAX 3

struct args {
	const char *op[SUB_OPERANDS_MAX];
	int nop;
	const char *format, *title, *status, *objectives, *profile, *due, *owner, *priority, *date;
	const char *attendees, *achievements, *challenges, *decisions, *action_items, *rating;
	bool empty, all, json;
};

struct sub {
	const char *name;	/* "list", "milestone add" */
	int (*run)(struct cli *cli, const struct sub *s, struct args *a);
	int min, max;		/* operands */
	unsigned opts;		/* OPT_* accepted */
	const char *usage;	/* "plan list [CUSTOMER_ID] ..." */
};

/* "COMMAND SUB: what's wrong" then the subcommand's usage line; returns EXIT_USAGE. */
int sub_usage(const struct sub *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A positive decimal id, else a usage error "WHAT, not 'ARG'". */
int sub_id(const struct sub *s, const char *arg, const char *what, int64_t *id);

/*
 * Check a text argument as the core will store it (plans.h:
 * cs_plan_text): NULL passes; else a usage error naming it, e.g.
 * "--title must not contain control characters (nor line breaks or tabs)".
 */
int sub_text(const struct sub *s, const char *text, bool multiline, size_t max,
	     const char *what);
/* Whether text has anything but blanks. */
bool sub_nonblank(const char *text);

/*
 * Run the subcommand argv[1] (or "argv[1] argv[2]" when argv[1] is the
 * first word of a two-word one) of command cmd; "help" prints every usage
 * line and notes.
 */
int sub_dispatch(struct cli *cli, const char *cmd, const struct sub *subs, const char *notes,
		 int argc, char **argv);

#endif
