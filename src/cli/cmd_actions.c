/* cmd_actions.c — casey actions (the to-do list the rules raise) and casey action. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/actions.h"
#include "casey/db.h"
#include "cli.h"

struct list_ctx {
	bool json;
	int n;
};

static void json_field(const char *key, const char *v)
{
	printf(",\"%s\":", key);
	json_str(stdout, v);
}

static int print_action(void *ctx, const struct cs_action_row *r)
{
	struct list_ctx *lc = ctx;

	if (lc->json) {
		printf("%s{\"id\":%ld", lc->n ? ",\n" : "", r->id);
		json_field("kind", r->kind);
		json_field("customer_id", r->customer_id);
		json_field("name", r->name);
		json_field("category", r->category);
		json_field("theme", r->theme);
		printf(",\"arr\":");
		r->arr_known ? printf("%.2f", r->arr) : printf("null");
		json_field("reason", r->reason);
		json_field("owner", r->owner);
		json_field("created_at", r->created_at);
		json_field("due_at", r->due_at);
		json_field("status", r->status);
		printf(",\"overdue\":%s", r->overdue ? "true" : "false");
		json_field("evidence", r->evidence);
		json_field("outcome", r->outcome);
		putchar('}');
	} else {
		if (!lc->n)
			printf("%-5s %-17s %-9s %-16s %-24s %s\n", "ID", "KIND", "STATUS", "DUE",
			       "OWNER", "ABOUT / REASON");
		printf("%-5ld %-17s %-9s %-16.16s ", r->id, r->kind, r->status, r->due_at);
		term_safe_width(stdout, r->owner ? r->owner : "", 24);
		putchar(' ');
		if (r->overdue)
			printf("OVERDUE ");
		term_safe(stdout, r->name ? r->name : r->theme ? r->theme : "");
		printf(": ");
		term_safe(stdout, r->reason);
		putchar('\n');
	}
	lc->n++;
	return 0;
}

int cmd_actions(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "kind", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_action_query q = { .as_of = cli->as_of };
	struct list_ctx lc = { 0 };
	const char *format = "table";
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			q.all = true;
			break;
		case 'k':
			q.kind = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		default:
			return cli_usage("actions: unknown option");
		}
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage("actions: --format is table or json, not '%s'", format);
	if (optind < argc)
		return cli_usage("actions: unexpected argument '%s'", argv[optind]);
	lc.json = !strcmp(format, "json");
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (lc.json)
		putchar('[');
	rc = cs_actions_list(db, &q, print_action, &lc, &cli->diag);
	if (lc.json)
		printf("]\n");
	else if (!lc.n && !rc)
		printf("no open actions (run 'casey score' to evaluate the rules)\n");
	cs_db_close(db);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_action(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "outcome", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outcome = NULL;
	char *end;
	long id;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt != 'o')
			return cli_usage("action: unknown option");
		outcome = optarg;
	}
	if (optind + 2 != argc)
		return cli_usage("action: give ID and a status (draft, sent, acknowledged, "
				 "resolved, dismissed)");
	id = strtol(argv[optind], &end, 10);
	if (*end || id <= 0)
		return cli_usage("action: '%s' is not an action id", argv[optind]);
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_action_set_status(db, id, argv[optind + 1], outcome, cli->as_of, &cli->diag);
	cs_db_close(db);
	if (!rc)
		printf("action %ld: %s\n", id, argv[optind + 1]);
	return rc ? EXIT_FAIL : EXIT_OK;
}
