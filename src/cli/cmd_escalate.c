/*
 * cmd_escalate.c — casey escalate (hand-off documents and Peter's intake),
 * casey draft (check-ins, announcements) and casey contact.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "casey/escalate.h"
#include "casey/outreach.h"
#include "casey/score.h"
#include "casey/value.h"
#include "cli.h"

static int parse_action_id(const char *cmd, const char *s, long *id)
{
	char *end;

	errno = 0;
	*id = strtol(s, &end, 10);
	if (end == s || *end || *id <= 0 || errno)
		return cli_usage("%s: '%s' is not an action id", cmd, s);
	return 0;
}

/* Hand the stored document to the intake; EXIT_* */
static int send(struct cli *cli, sqlite3 *db, const struct cs_report_env *env,
		const struct cs_escalation *e, const char *doc)
{
	const char *argv[CS_INTAKE_ARGS + 3] = { NULL };
	struct cs_intake_result r;
	char path[4096];

	if (!cs_intake_applies(&env->casey, e->kind)) {
		cs_error(&cli->diag, "action %ld (%s) does not go through the intake (%s [intake] "
			 "kinds): send the document to %s yourself, then 'casey action %ld sent'",
			 e->id, e->kind, env->casey.path, e->owner, e->id);
		return EXIT_FAIL;
	}
	if (!cs_intake_argv(&env->casey, doc, argv) ||
	    cs_intake_find(&env->casey, path, sizeof(path))) {
		if (!env->casey.command[0])
			cs_note(&cli->diag, "no intake command is configured; run it yourself, then "
				"'casey action %ld sent':", e->id);
		else
			cs_note(&cli->diag, "'%s' is not on PATH; run this yourself, then 'casey "
				"action %ld sent':", env->casey.command, e->id);
		if (argv[0])
			cs_shell_quote_argv(stdout, argv);
		return EXIT_OK;
	}
	if (cs_intake_run(&env->casey, doc, &r, &cli->diag))
		return EXIT_FAIL;
	if (r.status) {
		cs_error(&cli->diag, "%s exited with status %d; action %ld stays %s", path, r.status,
			 e->id, e->status);
		if (r.output[0])
			term_safe(stderr, r.output);
		return EXIT_FAIL;
	}
	if (cs_action_set_status(db, e->id, "sent", NULL, cli->as_of, &cli->diag))
		return EXIT_FAIL;
	printf("action %ld: sent to %s through %s", e->id, e->owner, env->casey.command);
	for (int i = 0; i < env->casey.nargs; i++)
		printf(" %s", env->casey.args[i]);
	putchar('\n');
	if (r.output[0])
		term_safe(stdout, r.output);
	return EXIT_OK;
}

int cmd_escalate(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "names", no_argument, NULL, 'N' },
		{ "send", no_argument, NULL, 'S' },
		{ "refresh", no_argument, NULL, 'R' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *profile = CS_DEFAULT_PROFILE;
	bool force = false, names = false, do_send = false, refresh = false;
	struct cs_report_env *env;
	struct cs_escalation e;
	char *doc = NULL;
	sqlite3 *db;
	long id;
	int opt, rc = EXIT_FAIL;

	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'N':
			names = true;
			break;
		case 'S':
			do_send = true;
			break;
		case 'R':
			refresh = true;
			break;
		case 'p':
			profile = optarg;
			break;
		default:
			return cli_usage("escalate: unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("escalate: give one ACTION_ID (see 'casey actions')");
	if (parse_action_id("escalate", argv[optind], &id))
		return EXIT_USAGE;
	if (force && !output)
		return cli_usage("escalate: --force goes with -o FILE");
	if (names && (output || do_send))
		return cli_usage("escalate: --names is the CSM's own view on screen; documents "
				 "written to a file or sent are anonymised");
	env = cs_report_env_load(profile, &cli->diag);
	if (!env)
		return EXIT_FAIL;
	if (cli_open_db(cli, &db)) {
		cs_report_env_free(env);
		return EXIT_FAIL;
	}
	if (names) {
		if (!cs_escalation_text(db, env, id, cli->as_of, CS_DOC_NAMES, &doc, &cli->diag) &&
		    !cli_output(cli, NULL, false, doc, strlen(doc)))
			rc = EXIT_OK;
		goto out;
	}
	if (cs_escalation_prepare(db, env, id, cli->as_of, refresh, &doc, &cli->diag) ||
	    cs_escalation_get(db, id, &e, &cli->diag) <= 0)
		goto out;
	if (output && cli_output(cli, output, force, doc, strlen(doc)))
		goto out;
	if (do_send) {
		if (strcmp(e.status, "open") && strcmp(e.status, "draft")) {
			cs_error(&cli->diag, "action %ld is already %s (sent on %s); nothing sent",
				 id, e.status, e.sent_at[0] ? e.sent_at : "an unknown day");
			goto out;
		}
		rc = send(cli, db, env, &e, doc);
		goto out;
	}
	if (!output && cli_output(cli, NULL, false, doc, strlen(doc)))
		goto out;
	if (output)
		printf("action %ld: %s document written to %s (status %s)\n", id, e.kind, output,
		       e.status);
	rc = EXIT_OK;
out:
	free(doc);
	cs_db_close(db);
	cs_report_env_free(env);
	return rc;
}

int cmd_draft(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *profile = CS_DEFAULT_PROFILE;
	struct cs_report_env *env;
	enum cs_draft_kind kind;
	bool force = false;
	char *text;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'p':
			profile = optarg;
			break;
		default:
			return cli_usage("draft: unknown option");
		}
	}
	if (optind + 2 != argc)
		return cli_usage("draft: give checkin CUSTOMER_ID or announce FEATURE_ID");
	if (!strcmp(argv[optind], "checkin"))
		kind = CS_DRAFT_CHECKIN;
	else if (!strcmp(argv[optind], "announce"))
		kind = CS_DRAFT_ANNOUNCE;
	else
		return cli_usage("draft: '%s' is not checkin or announce", argv[optind]);
	if (force && !output)
		return cli_usage("draft: --force goes with -o FILE");
	env = cs_report_env_load(profile, &cli->diag);
	if (!env)
		return EXIT_FAIL;
	if (cli_open_db(cli, &db)) {
		cs_report_env_free(env);
		return EXIT_FAIL;
	}
	text = cs_draft_text(db, env, kind, argv[optind + 1], cli->as_of, &cli->diag);
	cs_db_close(db);
	cs_report_env_free(env);
	rc = text ? cli_output(cli, output, force, text, strlen(text)) : -1;
	free(text);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_contact(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "channel", required_argument, NULL, 'c' },
		{ "responded", required_argument, NULL, 'r' },
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_contact c = { .responded = -1, .date = cli->as_of };
	char day[11];
	long resolved = 0;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			c.channel = optarg;
			break;
		case 'r':
			if (!strcasecmp(optarg, "yes"))
				c.responded = 1;
			else if (!strcasecmp(optarg, "no"))
				c.responded = 0;
			else
				return cli_usage("contact: --responded is yes or no, not '%s'", optarg);
			break;
		case 'n':
			c.note = optarg;
			break;
		default:
			return cli_usage("contact: unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("contact: give one CUSTOMER_ID");
	if (!c.channel || !*c.channel)
		return cli_usage("contact: give --channel (email, call, meeting, ...)");
	c.customer_id = argv[optind];
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_contact_log(db, &c, &resolved, &cli->diag);
	cs_db_close(db);
	if (rc)
		return EXIT_FAIL;
	printf("contact logged: ");
	term_safe(stdout, c.customer_id);
	printf(" by ");
	term_safe(stdout, c.channel);
	cs_format_day(c.date, day);
	printf(" on %s%s", day, c.responded > 0 ? ", responded" :
	       c.responded == 0 ? ", no response" : "");
	if (resolved)
		printf("; check-in action %ld resolved", resolved);
	putchar('\n');
	return EXIT_OK;
}
