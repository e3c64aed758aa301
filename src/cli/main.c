/*
 * main.c — casey's entry point: global options, then one command.
 *
 *   casey [--db PATH] [--as-of YYYY-MM-DD] COMMAND [ARGS]
 *
 * Every command is a function in the table below; the same table prints
 * the help text, so a command cannot exist without being listed.
 */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/value.h"
#include "cli.h"

#ifndef CASEY_VERSION
#define CASEY_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *args;
	const char *help;
};

static const struct command commands[] = {
	{ "init", cmd_init, "", "create the database, or migrate it to this version" },
	{ "import", cmd_import,
	  "[--kind K] [--map P] [--date-format F] [--dry-run] [--skip-bad] FILE...",
	  "import CSV exports (customers, usage, tickets, nps, csat, outreach, "
	  "features, feature_usage, onboarding, payments, plan_changes, reviews)" },
	{ "score", cmd_score, "[--profile NAME] [--from DATE --to DATE]",
	  "score every customer and store the snapshot (weekly from..to)" },
	{ "summary", cmd_summary, "[--format text|json]",
	  "customer count, health distribution, NPS and CSAT" },
	{ "customers", cmd_customers,
	  "[--band green|yellow|red] [--tier NAME|none] [--format table|csv|json] "
	  "[--profile NAME]",
	  "customers with their latest scores and tiers" },
	{ "renewals", cmd_renewals, "[--within DAYS] [--format table|csv|json] [--profile NAME]",
	  "the renewal pipeline: ARR renewing by window, band, trend and risk; next steps" },
	{ "actions", cmd_actions, "[--all] [--kind K] [--format table|json]",
	  "what the rules raised: overdue first, then by due time" },
	{ "action", cmd_action, "ID draft|sent|acknowledged|resolved|dismissed [--outcome TEXT]",
	  "move an action along" },
	{ "churn", cmd_churn, "[--segment high|medium|low|none|all] [--format table|csv|json] "
	  "[--limit N]",
	  "churn-risk score (seed 002) of the scored customers by ARR, with its factors" },
	{ "segments", cmd_segments,
	  "[--segment champion|loyalist|at-risk|detractor|none] [--format table|csv|json]",
	  "behavioural segments (seed 002) with their action, or one segment's customers" },
	{ "expansion", cmd_expansion, "[--format table|csv|json] [--limit N]",
	  "expansion opportunities (seed 003): healthy, engaged customers near their seat limit" },
	{ "explain", cmd_explain, "[--format text|json] [--profile NAME] CUSTOMER_ID",
	  "every point of a customer's score, and what changed" },
	{ "tickets", cmd_tickets,
	  "[--uncategorised] [--format table|csv|json] | evaluate [--every N] "
	  "[--format text|json] | categorise | set TICKET_ID CATEGORY|auto",
	  "tickets with category, source, confidence, owner, priority, SLA and theme" },
	{ "themes", cmd_themes, "[--days N] [--format table|csv|json]",
	  "ticket themes of the N days to --as-of (7) by ARR: tickets, customers" },
	{ "nps", cmd_nps, "[--format text|json]",
	  "NPS of the 90 days, monthly/quarterly trend, detractor reasons, by feature use" },
	{ "csat", cmd_csat, "[--format text|json]",
	  "CSAT of the 90 days, low satisfaction by context, feature, month; by feature use" },
	{ "adoption", cmd_adoption, "[--format text|json]",
	  "feature adoption of active customers, by health band, and adoption gaps" },
	{ "onboarding", cmd_onboarding, "[--format text|json]",
	  "new customers: time to first value, activation, early tickets, where they stall" },
	{ "report", cmd_report, "weekly [-o FILE [--force]] [--profile NAME]",
	  "the weekly report for Product (Markdown): health, at risk, themes, requests, KPIs" },
	{ "escalate", cmd_escalate,
	  "ACTION_ID [-o FILE [--force]] [--send] [--refresh] | ACTION_ID --names",
	  "an action's hand-off document (marks it draft); --send runs Peter's intake" },
	{ "draft", cmd_draft, "checkin CUSTOMER_ID | announce FEATURE_ID [-o FILE [--force]]",
	  "a personalised check-in, or a feature announcement per segment" },
	{ "contact", cmd_contact,
	  "CUSTOMER_ID --channel C [--responded yes|no] [--note TEXT]",
	  "log a contact with a customer (resolves its check-in action)" },
	{ "export", cmd_export,
	  "metrics --by segment|plan|tenure|arr_tier|tier | team [--format csv|json]",
	  "metrics for the analytics dashboards" },
	{ "purge", cmd_purge, "[--older-than DAYSd] [--dry-run]",
	  "delete events past retention (365 days), keeping monthly aggregates" },
	{ "compact", cmd_compact, "",
	  "rewrite the database file with casey's page size, giving back what a purge freed" },
	{ "checklist", cmd_checklist,
	  "new|list|show|set|approve|gap|notes|sign|revise|export ARGS",
	  "the release quality checklist (spec 000 v1.0); see 'casey checklist help'" },
	{ "plan", cmd_plan,
	  "new|list|show|set|proposed|accept|milestone add|done|set ARGS",
	  "success plans and their milestones; see 'casey plan help'" },
	{ "review", cmd_review, "log|list|show|due ARGS",
	  "business reviews and when the next is due; see 'casey review help'" },
	{ "tui", cmd_tui, "[--profile NAME]",
	  "the dashboard (what casey runs on a terminal without a command); ? lists the keys" },
	{ NULL, NULL, NULL, NULL },
};

static void help(FILE *out)
{
	const struct command *c;

	fprintf(out,
		"usage: casey [--db PATH] [--as-of YYYY-MM-DD] COMMAND [ARGS]\n"
		"\n"
		"  --db PATH          the database (default $CASEY_DB, else\n"
		"                     $XDG_DATA_HOME/casey/casey.db)\n"
		"  --as-of DATE       compute everything as of this day (default today)\n"
		"\n"
		"commands:\n");
	for (c = commands; c->name; c++)
		fprintf(out, "  %-8s %s\n           %s\n", c->name, c->args, c->help);
	fprintf(out, "\nExit status: 0 success, 1 failure, 2 bad command line.\n"
		"See casey(1) for the file formats.\n");
}

/*
 * Core messages go to stderr, made terminal-safe: an error may quote a
 * field of the file, and the file is not trusted. A progress line is
 * rewritten in place on a terminal and never printed otherwise.
 */
static void emit_stderr(void *ctx, enum cs_level level, const char *msg)
{
	static int progress_shown;
	int *tty = ctx;

	if (level == CS_PROGRESS) {
		if (*tty) {
			fputs("\r\033[K", stderr);
			term_safe(stderr, msg);
			progress_shown = 1;
		}
		return;
	}
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
	if (level == CS_NOTE) {
		/* Closing lines and notes: the command's normal output. */
		term_safe(stdout, msg);
		fputc('\n', stdout);
		fflush(stdout);
		return;
	}
	fputs(level == CS_ERROR ? "casey: " : "casey: warning: ", stderr);
	term_safe(stderr, msg);
	fputc('\n', stderr);
}

static int open_db(struct cli *cli, sqlite3 **db, bool create)
{
	if (cs_db_resolve_path(cli->db_option, cli->db_path, sizeof(cli->db_path),
			       &cli->diag))
		return -1;
	if (!create && access(cli->db_path, F_OK))
		return cs_error(&cli->diag, "%s: no such database; run 'casey init' and "
				"'casey import' first", cli->db_path);
	return cs_db_open(cli->db_path, CS_DB_OPEN, db, &cli->diag);
}

int cli_open_db(struct cli *cli, sqlite3 **db)
{
	return open_db(cli, db, false);
}

int cli_create_db(struct cli *cli, sqlite3 **db)
{
	return open_db(cli, db, true);
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
	sqlite3 *db;

	(void)argv;
	if (argc > 1)
		return cli_usage("init takes no arguments");
	if (cli_create_db(cli, &db))
		return EXIT_FAIL;
	printf("%s: schema version %d\n", cli->db_path, cs_db_schema_version());
	cs_db_close(db);
	return EXIT_OK;
}

static int32_t today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return cs_days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static int stderr_tty;
	struct cli cli = { 0 };
	const struct command *c;
	const char *name;
	int opt;

	/* Everything casey writes (database, exports) is private to the user. */
	umask(077);
	setlocale(LC_ALL, "");
	/* Numbers in files and output are always "1234.5", whatever the locale. */
	setlocale(LC_NUMERIC, "C");
	stderr_tty = isatty(STDERR_FILENO);
	cli.diag.emit = emit_stderr;
	cli.diag.ctx = &stderr_tty;
	cli.as_of = today();

	while ((opt = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			cli.db_option = optarg;
			break;
		case 'a':
			if (cs_parse_day(optarg, &cli.as_of))
				return cli_usage("--as-of '%s' is not a date (YYYY-MM-DD)", optarg);
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		case 'V':
			printf("casey %s (SQLite %s)\n", CASEY_VERSION, sqlite3_libversion());
			return EXIT_OK;
		default:
			return cli_usage("unknown option");
		}
	}
	if (optind >= argc) {
		/* No command: the dashboard on a terminal, else the summary as text. */
		static char *tui_argv[] = { "tui", NULL };
		static char *summary_argv[] = { "summary", NULL };

		optind = 0;
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_tui(&cli, 1, tui_argv);
		return cmd_summary(&cli, 1, summary_argv);
	}
	name = argv[optind];
	if (!strcmp(name, "help")) {
		help(stdout);
		return EXIT_OK;
	}
	for (c = commands; c->name; c++) {
		if (!strcmp(c->name, name)) {
			int first = optind;

			/* Each command parses its own options, argv[0] being its name. */
			optind = 0;
			return c->run(&cli, argc - first, argv + first);
		}
	}
	return cli_usage("unknown command '%s'", name);
}
