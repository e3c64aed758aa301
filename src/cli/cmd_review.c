/*
 * cmd_review.c — casey review: business reviews (reviews.h) from the
 * command line, shaped like `casey plan` (subargs.h): `log` prints only
 * the new id; `list`, `show` and `due` have --format json. Every argument
 * is checked before the database is opened and a bad one is named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/reviews.h"
#include "casey/tiers.h"
#include "casey/value.h"
#include "cli.h"
#include "subargs.h"

static struct cs_plans_def *load_def(struct cli *cli)
{
	struct cs_plans_def *def = malloc(sizeof(*def));

	if (!def)
		cs_error(&cli->diag, "out of memory");
	else if (cs_plans_def_load(NULL, def, &cli->diag)) {
		free(def);
		def = NULL;
	}
	return def;
}

static struct cs_tiers *load_tiers(struct cli *cli)
{
	struct cs_tiers *t = malloc(sizeof(*t));

	if (!t)
		cs_error(&cli->diag, "out of memory");
	else if (cs_tiers_load(NULL, t, &cli->diag)) {
		free(t);
		t = NULL;
	}
	return t;
}

static int rv_log(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_review_input in = { .customer_id = a->op[0], .type = a->op[1],
				      .date = cli->as_of, .attendees = a->attendees,
				      .achievements = a->achievements,
				      .challenges = a->challenges, .decisions = a->decisions,
				      .action_items = a->action_items };
	struct cs_plans_def *def = NULL;
	struct cs_tiers *tiers = NULL;
	sqlite3 *db = NULL;
	int64_t id;
	long resolved;
	int rc;

	if ((rc = sub_text(s, a->attendees, false, CS_REVIEW_ATTENDEES_MAX, "--attendees")) ||
	    (rc = sub_text(s, a->achievements, true, CS_REVIEW_TEXT_MAX, "--achievements")) ||
	    (rc = sub_text(s, a->challenges, true, CS_REVIEW_TEXT_MAX, "--challenges")) ||
	    (rc = sub_text(s, a->decisions, true, CS_REVIEW_TEXT_MAX, "--decisions")) ||
	    (rc = sub_text(s, a->action_items, true, CS_REVIEW_TEXT_MAX, "--action-items")))
		return rc;
	if (a->date && cs_parse_day(a->date, &in.date))
		return sub_usage(s, "--date '%s' is not a date (YYYY-MM-DD)", a->date);
	if (in.date > cli->as_of) {
		char day[11];

		cs_format_day(cli->as_of, day);
		return sub_usage(s, "--date %s is after the as-of date %s (log a review once it "
				 "is held)", a->date, day);
	}
	if (a->rating) {
		const char *p = a->rating;

		if (p[0] < '1' || p[0] > '5' || p[1])
			return sub_usage(s, "--rating is a whole number 1..5, not '%s'", a->rating);
		in.rating = p[0] - '0';
	}
	if (!(def = load_def(cli)))
		return EXIT_FAIL;
	if (cs_review_type_find(def, a->op[1]) < 0) {
		char keys[400];

		cs_review_type_keys(def, keys, sizeof(keys));
		rc = sub_usage(s, "TYPE is one of %s, not '%s'", keys, a->op[1]);
		free(def);
		return rc;
	}
	rc = EXIT_FAIL;
	if ((tiers = load_tiers(cli)) && !cli_open_db(cli, &db) &&
	    !cs_review_log(db, def, tiers, &in, cli->as_of, &id, &resolved, &cli->diag)) {
		printf("%lld\n", (long long)id);
		if (resolved)
			fprintf(stderr, "casey: action %ld (the overdue business review) resolved\n",
				resolved);
		rc = EXIT_OK;
	}
	cs_db_close(db);
	free(tiers);
	free(def);
	return rc;
}

static int rv_list(struct cli *cli, const struct sub *s, struct args *a)
{
	const char *cust = a->nop ? a->op[0] : NULL;
	struct cs_review_summary *rows;
	sqlite3 *db;
	int n;

	(void)s;
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (cs_reviews_list(db, cust, 0, &rows, &n, &cli->diag)) {
		cs_db_close(db);
		return EXIT_FAIL;
	}
	cs_db_close(db);
	if (a->json) {
		putchar('[');
		for (int i = 0; i < n; i++) {
			printf("%s{\"id\":%lld,\"customer_id\":", i ? "," : "",
			       (long long)rows[i].id);
			json_str(stdout, rows[i].customer_id);
			printf(",\"customer\":");
			json_str(stdout, rows[i].customer_name);
			printf(",\"type\":");
			json_str(stdout, rows[i].type);
			printf(",\"date\":\"%s\",\"rating\":", rows[i].date);
			if (rows[i].rating)
				printf("%d", rows[i].rating);
			else
				printf("null");
			printf(",\"attendees\":");
			json_str(stdout, rows[i].attendees[0] ? rows[i].attendees : NULL);
			putchar('}');
		}
		puts("]");
	} else if (!n) {
		printf("no business reviews logged%s (log one: casey review log CUSTOMER_ID "
		       "TYPE)\n", cust ? " for this customer" : "");
	} else {
		printf("%4s  %-10s  %-10s %-10s %6s  %s\n", "ID", "DATE", "CUSTOMER", "TYPE",
		       "RATING", "ATTENDEES");
		for (int i = 0; i < n; i++) {
			char rating[8] = "-";

			if (rows[i].rating)
				snprintf(rating, sizeof(rating), "%d/5", rows[i].rating);
			printf("%4lld  %-10s  ", (long long)rows[i].id, rows[i].date);
			term_safe_width(stdout, rows[i].customer_id, 10);
			putchar(' ');
			term_safe_width(stdout, rows[i].type, 10);
			printf(" %6s  ", rating);
			term_safe(stdout, rows[i].attendees[0] ? rows[i].attendees : "-");
			putchar('\n');
		}
	}
	free(rows);
	return EXIT_OK;
}

/* "label: text", the text's later lines indented under the first. */
static void field(const char *label, const char *text)
{
	printf("%-15s", label);
	if (!*text) {
		puts("-");
		return;
	}
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n);

		if (p != text)
			printf("%15s", "");
		term_safe(stdout, line ? line : "");
		putchar('\n');
		free(line);
		p += n + (nl ? 1 : 0);
	}
}

static int rv_show(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_review *r = malloc(sizeof(*r));
	struct cs_plans_def *def = NULL;
	sqlite3 *db = NULL;
	int64_t id;
	int rc;

	if (!r)
		return EXIT_FAIL;
	if ((rc = sub_id(s, a->op[0], "ID is a review number", &id))) {
		free(r);
		return rc;
	}
	rc = EXIT_FAIL;
	if ((!a->json && !(def = load_def(cli))) || cli_open_db(cli, &db) ||
	    cs_review_load(db, id, r, &cli->diag))
		goto out;
	if (a->json) {
		printf("{\"id\":%lld,\"customer_id\":", (long long)r->id);
		json_str(stdout, r->customer_id);
		printf(",\"customer\":");
		json_str(stdout, r->customer_name);
		printf(",\"type\":");
		json_str(stdout, r->type);
		printf(",\"date\":\"%s\",\"logged_at\":\"%s\",\"rating\":", r->date, r->logged_at);
		if (r->rating)
			printf("%d", r->rating);
		else
			printf("null");
		printf(",\"attendees\":");
		json_str(stdout, r->attendees[0] ? r->attendees : NULL);
		printf(",\"achievements\":");
		json_str(stdout, r->achievements[0] ? r->achievements : NULL);
		printf(",\"challenges\":");
		json_str(stdout, r->challenges[0] ? r->challenges : NULL);
		printf(",\"decisions\":");
		json_str(stdout, r->decisions[0] ? r->decisions : NULL);
		printf(",\"action_items\":");
		json_str(stdout, r->action_items[0] ? r->action_items : NULL);
		printf("}\n");
	} else {
		int k = cs_review_type_find(def, r->type);
		char rating[8] = "";

		if (r->rating)
			snprintf(rating, sizeof(rating), "%d/5", r->rating);
		printf("review %lld: %s on %s\ncustomer:      ", (long long)r->id,
		       k >= 0 ? def->reviews[k].label : r->type, r->date);
		term_safe(stdout, r->customer_name);
		printf(" (");
		term_safe(stdout, r->customer_id);
		printf(")\n");
		field("rating:", rating);
		field("attendees:", r->attendees);
		field("achievements:", r->achievements);
		field("challenges:", r->challenges);
		field("decisions:", r->decisions);
		field("action items:", r->action_items);
		printf("logged %s\n", r->logged_at);
	}
	rc = EXIT_OK;
out:
	cs_db_close(db);
	free(def);
	free(r);
	return rc;
}

static int rv_due(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_tiers *tiers;
	struct cs_review_due due;
	sqlite3 *db = NULL;
	int rc = EXIT_FAIL;

	(void)s;
	if (!(tiers = load_tiers(cli)))
		return EXIT_FAIL;
	if (cli_open_db(cli, &db) ||
	    cs_review_due(db, tiers, a->op[0], cli->as_of, &due, &cli->diag))
		goto out;
	if (a->json) {
		printf("{\"customer_id\":");
		json_str(stdout, a->op[0]);
		printf(",\"tier\":");
		json_str(stdout, due.tier[0] ? due.tier : NULL);
		printf(",\"cadence_days\":");
		due.cadence ? printf("%d", due.cadence) : printf("null");
		printf(",\"last\":");
		json_str(stdout, due.last[0] ? due.last : NULL);
		printf(",\"next\":");
		json_str(stdout, due.next[0] ? due.next : NULL);
		printf(",\"overdue\":%s}\n", due.overdue ? "true" : "false");
	} else if (!due.cadence) {
		printf("no business review due: %s%s%s\n", due.tier[0] ? "the tier " : "no tier",
		       due.tier, due.tier[0] ? " has no review cadence (or the customer churned)" :
		       "");
	} else if (!due.next[0]) {
		printf("%s, every %d days: never reviewed and no created_at to count from\n",
		       due.tier, due.cadence);
	} else {
		printf("%s, every %d days; last review %s; next due %s%s\n", due.tier, due.cadence,
		       due.last[0] ? due.last : "never (counted from created_at)", due.next,
		       due.overdue ? " (overdue)" : "");
	}
	rc = EXIT_OK;
out:
	cs_db_close(db);
	free(tiers);
	return rc;
}

static const struct sub subs[] = {
	{ "log", rv_log, 2, 2, OPT_DATE | OPT_REVIEW,
	  "review log CUSTOMER_ID TYPE [--date DATE] [--attendees TEXT] [--achievements TEXT] "
	  "[--challenges TEXT] [--decisions TEXT] [--action-items TEXT] [--rating 1-5]" },
	{ "list", rv_list, 0, 1, OPT_FORMAT, "review list [CUSTOMER_ID] [--format text|json]" },
	{ "show", rv_show, 1, 1, OPT_FORMAT, "review show ID [--format text|json]" },
	{ "due", rv_due, 1, 1, OPT_FORMAT, "review due CUSTOMER_ID [--format text|json]" },
	{ NULL, NULL, 0, 0, 0, NULL },
};

static const char notes[] =
	"TYPE is a [review.KEY] of plans.ini: weekly, monthly, qbr, annual, ebr,\n"
	"strategic as shipped. --date (default --as-of) is the day it was held, never\n"
	"after --as-of. The next review is due the tier's cadence (tiers.ini\n"
	"review_days) after the last one; a customer never reviewed counts from its\n"
	"created_at. 'casey score' puts every overdue review in today's actions, and\n"
	"logging the review resolves it.\n";

int cmd_review(struct cli *cli, int argc, char **argv)
{
	return sub_dispatch(cli, "review", subs, notes, argc, argv);
}
