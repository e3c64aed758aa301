/*
 * cmd_plan.c — casey plan: success plans and their milestones (plans.h)
 * from the command line, shaped like `casey checklist`: a subcommand, its
 * operands, options anywhere among them ("--" ends them); `new`, `accept`
 * and `milestone add` print only the new id; `list`, `show` and `proposed`
 * have --format json. Every argument is checked before the database is
 * opened, and a bad one is named: "plan milestone add: --due '2026-02-30'
 * is not a date (YYYY-MM-DD)". Text typed by users reaches the terminal
 * through term_safe(), JSON through json_str().
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/plans.h"
#include "casey/score.h"
#include "casey/value.h"
#include "cli.h"
#include "subargs.h"

/* ---- subcommands ------------------------------------------------------------- */

/* Load assets/plans.ini (malloc'd); NULL when it cannot be (reported). */
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

static int pl_new(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_plans_def *def;
	sqlite3 *db = NULL;
	int64_t id;
	int rc;

	if ((rc = sub_text(s, a->title, false, CS_PLAN_TITLE_MAX, "--title")))
		return rc;
	if (!(def = load_def(cli)))
		return EXIT_FAIL;
	if (cs_plan_type_find(def, a->op[1]) < 0) {
		char keys[400];

		cs_plan_type_keys(def, keys, sizeof(keys));
		rc = sub_usage(s, "TYPE is one of %s, not '%s'", keys, a->op[1]);
		free(def);
		return rc;
	}
	rc = EXIT_FAIL;
	if (!cli_open_db(cli, &db) &&
	    !cs_plan_create(db, def, a->op[0], a->op[1], a->title, !a->empty, cli->as_of, &id,
			    &cli->diag)) {
		printf("%lld\n", (long long)id);
		rc = EXIT_OK;
	}
	cs_db_close(db);
	free(def);
	return rc;
}

static void json_str_or_null(const char *s)
{
	json_str(stdout, *s ? s : NULL);
}

static int pl_list(struct cli *cli, const struct sub *s, struct args *a)
{
	const char *cust = a->nop ? a->op[0] : NULL;
	struct cs_plan_summary *rows;
	sqlite3 *db;
	int n, i;

	(void)s;
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (cs_plans_list(db, cust, a->all, cli->as_of, &rows, &n, &cli->diag)) {
		cs_db_close(db);
		return EXIT_FAIL;
	}
	cs_db_close(db);
	if (a->json) {
		putchar('[');
		for (i = 0; i < n; i++) {
			const struct cs_plan_summary *r = &rows[i];

			printf("%s{\"id\":%lld,\"customer_id\":", i ? "," : "", (long long)r->id);
			json_str(stdout, r->customer_id);
			printf(",\"customer\":");
			json_str(stdout, r->customer_name);
			printf(",\"type\":");
			json_str(stdout, r->type);
			printf(",\"title\":");
			json_str(stdout, r->title);
			printf(",\"status\":\"%s\",\"created_at\":\"%s\",\"milestones\":%d,"
			       "\"completed\":%d,\"overdue\":%d,\"next_due\":",
			       cs_plan_status_name(r->status), r->created_at, r->nms, r->done,
			       r->overdue);
			json_str_or_null(r->next_due);
			putchar('}');
		}
		puts("]");
	} else if (!n) {
		printf("no %splans%s (start one: casey plan new CUSTOMER_ID TYPE)\n",
		       a->all ? "" : "open ", cust ? " for this customer" : "");
	} else {
		printf("%4s  %-10s %-10s %-9s %5s %7s %-10s  %s\n", "ID", "CUSTOMER", "TYPE",
		       "STATUS", "DONE", "OVERDUE", "NEXT DUE", "TITLE");
		for (i = 0; i < n; i++) {
			const struct cs_plan_summary *r = &rows[i];
			char done[24];

			snprintf(done, sizeof(done), "%d/%d", r->done, r->nms);
			printf("%4lld  ", (long long)r->id);
			term_safe_width(stdout, r->customer_id, 10);
			putchar(' ');
			term_safe_width(stdout, r->type, 10);
			printf(" %-9s %5s %7d %-10s  ", cs_plan_status_name(r->status), done,
			       r->overdue, r->next_due[0] ? r->next_due : "-");
			term_safe(stdout, r->title);
			putchar('\n');
		}
	}
	free(rows);
	return EXIT_OK;
}

/* Load plan id (malloc'd into *p); EXIT_FAIL when it cannot be. */
static int load(struct cli *cli, sqlite3 *db, int64_t id, struct cs_plan **p)
{
	*p = malloc(sizeof(**p));
	if (!*p) {
		cs_error(&cli->diag, "out of memory");
		return EXIT_FAIL;
	}
	if (cs_plan_load(db, id, cli->as_of, *p, &cli->diag)) {
		free(*p);
		*p = NULL;
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static void show_json(const struct cs_plan *p)
{
	printf("{\"id\":%lld,\"customer_id\":", (long long)p->id);
	json_str(stdout, p->customer_id);
	printf(",\"customer\":");
	json_str(stdout, p->customer_name);
	printf(",\"type\":");
	json_str(stdout, p->type);
	printf(",\"title\":");
	json_str(stdout, p->title);
	printf(",\"status\":\"%s\",\"objectives\":", cs_plan_status_name(p->status));
	json_str_or_null(p->objectives);
	printf(",\"created_at\":\"%s\",\"updated_at\":\"%s\",\"completed\":%d,\"overdue\":%d,"
	       "\"milestones\":[", p->created_at, p->updated_at, p->done, p->overdue);
	for (int i = 0; i < p->nms; i++) {
		const struct cs_milestone *m = &p->ms[i];

		printf("%s{\"id\":%lld,\"title\":", i ? "," : "", (long long)m->id);
		json_str(stdout, m->title);
		printf(",\"due\":\"%s\",\"owner\":", m->due);
		json_str_or_null(m->owner);
		printf(",\"priority\":\"%s\",\"status\":\"%s\",\"completed_at\":",
		       cs_ms_priority_name(m->priority), cs_ms_status_name(m->status));
		json_str_or_null(m->completed_at);
		printf(",\"overdue\":%s}", m->overdue ? "true" : "false");
	}
	printf("]}\n");
}

static void show_text(const struct cs_plan *p, const struct cs_plans_def *def)
{
	int k = cs_plan_type_find(def, p->type);

	printf("plan %lld: ", (long long)p->id);
	term_safe(stdout, p->title);
	printf("\ncustomer: ");
	term_safe(stdout, p->customer_name);
	printf(" (");
	term_safe(stdout, p->customer_id);
	printf(")\ntype %s, %s, created %s, updated %s\n", k >= 0 ? def->types[k].label : p->type,
	       cs_plan_status_name(p->status), p->created_at, p->updated_at);
	if (p->objectives[0]) {
		printf("objectives: ");
		term_safe(stdout, p->objectives);
		putchar('\n');
	}
	printf("\n%5s  %-10s  %-8s  %-11s  %-16s  %s\n", "ID", "DUE", "PRIORITY", "STATUS",
	       "OWNER", "MILESTONE");
	if (!p->nms)
		printf("%5s  none yet (casey plan milestone add %lld TITLE --due DATE)\n", "",
		       (long long)p->id);
	for (int i = 0; i < p->nms; i++) {
		const struct cs_milestone *m = &p->ms[i];

		printf("%5lld  %-10s  %-8s  %-11s  ", (long long)m->id, m->due,
		       cs_ms_priority_name(m->priority),
		       m->overdue ? "OVERDUE" : cs_ms_status_name(m->status));
		term_safe_width(stdout, m->owner[0] ? m->owner : "-", 16);
		printf("  ");
		term_safe(stdout, m->title);
		if (m->status == CS_MS_COMPLETED)
			printf(" (done %s)", m->completed_at);
		putchar('\n');
	}
	printf("\n%d of %d done", p->done, p->nms);
	if (p->overdue)
		printf(", %d overdue", p->overdue);
	putchar('\n');
}

static int pl_show(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_plans_def *def = NULL;
	struct cs_plan *p = NULL;
	sqlite3 *db = NULL;
	int64_t id;
	int rc;

	if ((rc = sub_id(s, a->op[0], "ID is a plan number", &id)))
		return rc;
	rc = EXIT_FAIL;
	if ((!a->json && !(def = load_def(cli))) || cli_open_db(cli, &db) ||
	    load(cli, db, id, &p))
		goto out;
	if (a->json)
		show_json(p);
	else
		show_text(p, def);
	rc = EXIT_OK;
out:
	cs_db_close(db);
	free(p);
	free(def);
	return rc;
}

static int pl_set(struct cli *cli, const struct sub *s, struct args *a)
{
	enum cs_plan_status status = CS_PLAN_ACTIVE;
	sqlite3 *db;
	int64_t id;
	int rc;

	if ((rc = sub_id(s, a->op[0], "ID is a plan number", &id)) ||
	    (rc = sub_text(s, a->title, false, CS_PLAN_TITLE_MAX, "--title")) ||
	    (rc = sub_text(s, a->objectives, true, CS_PLAN_TEXT_MAX, "--objectives")))
		return rc;
	if (a->title && !sub_nonblank(a->title))
		return sub_usage(s, "--title cannot be empty");
	if (a->status && cs_plan_status_parse(a->status, &status))
		return sub_usage(s, "--status is active, on_hold, completed or cancelled, not '%s'",
				 a->status);
	if (!a->title && !a->status && !a->objectives)
		return sub_usage(s, "nothing to change (--title, --status, --objectives)");
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_plan_update(db, id, a->title, a->status != NULL, status, a->objectives,
			    cli->as_of, &cli->diag) ? EXIT_FAIL : EXIT_OK;
	cs_db_close(db);
	if (!rc)
		printf("plan %lld updated\n", (long long)id);
	return rc;
}

struct proposed_ctx {
	bool json;
	long n;
};

static int print_proposal(void *ctx, const struct cs_plan_proposal *p)
{
	struct proposed_ctx *pc = ctx;

	if (pc->json) {
		printf("%s{\"customer_id\":", pc->n ? "," : "");
		json_str(stdout, p->customer_id);
		printf(",\"name\":");
		json_str(stdout, p->name);
		printf(",\"csm\":");
		json_str_or_null(p->csm);
		if (p->arr_known)
			printf(",\"arr\":%.2f", p->arr);
		else
			printf(",\"arr\":null");
		printf(",\"score\":%d,\"scored_on\":\"%s\"}", p->score, p->as_of);
	} else {
		char arr[32];

		if (!pc->n)
			printf("%-10s %-32s %12s %5s  %s\n", "ID", "NAME", "ARR", "SCORE", "CSM");
		if (p->arr_known)
			snprintf(arr, sizeof(arr), "%.0f", p->arr);
		else
			snprintf(arr, sizeof(arr), "unknown");
		term_safe_width(stdout, p->customer_id, 10);
		putchar(' ');
		term_safe_width(stdout, p->name, 32);
		printf(" %12s %5d  ", arr, p->score);
		term_safe(stdout, p->csm[0] ? p->csm : "-");
		putchar('\n');
	}
	pc->n++;
	return 0;
}

static int pl_proposed(struct cli *cli, const struct sub *s, struct args *a)
{
	struct proposed_ctx pc = { .json = a->json };
	sqlite3 *db;
	long n;

	(void)s;
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (pc.json)
		putchar('[');
	n = cs_plans_proposed(db, a->profile ? a->profile : CS_DEFAULT_PROFILE, cli->as_of,
			      NULL, print_proposal, &pc, &cli->diag);
	cs_db_close(db);
	if (pc.json)
		puts("]");
	else if (n == 0)
		puts("no recovery plan to propose: every Red customer has an open one");
	else if (n > 0)
		printf("%ld Red customer%s without an open recovery plan; accept one with: "
		       "casey plan accept CUSTOMER_ID\n", n, n == 1 ? "" : "s");
	return n < 0 ? EXIT_FAIL : EXIT_OK;
}

static int pl_accept(struct cli *cli, const struct sub *s, struct args *a)
{
	const char *profile = a->profile ? a->profile : CS_DEFAULT_PROFILE;
	struct cs_plans_def *def;
	sqlite3 *db = NULL;
	int64_t id;
	long n;
	int rc = EXIT_FAIL;

	(void)s;
	if (!(def = load_def(cli)))
		return EXIT_FAIL;
	if (cli_open_db(cli, &db))
		goto out;
	n = cs_plans_proposed(db, profile, cli->as_of, a->op[0], NULL, NULL, &cli->diag);
	if (n < 0)
		goto out;
	if (n == 0) {
		char day[11];

		cs_format_day(cli->as_of, day);
		cs_error(&cli->diag, "no recovery plan is proposed for '%s' on %s: it is not "
			 "Red in its latest '%s' score, or it has an open recovery plan "
			 "(casey plan list %s)", a->op[0], day, profile, a->op[0]);
		goto out;
	}
	if (cs_plan_create(db, def, a->op[0], "recovery", NULL, true, cli->as_of, &id,
			   &cli->diag))
		goto out;
	printf("%lld\n", (long long)id);
	rc = EXIT_OK;
out:
	cs_db_close(db);
	free(def);
	return rc;
}

static int pl_ms_add(struct cli *cli, const struct sub *s, struct args *a)
{
	enum cs_ms_priority prio = CS_PRIO_MEDIUM;
	sqlite3 *db;
	int64_t plan, id;
	int32_t due;
	int rc;

	if ((rc = sub_id(s, a->op[0], "PLAN_ID is a plan number", &plan)) ||
	    (rc = sub_text(s, a->op[1], false, CS_PLAN_TITLE_MAX, "TITLE")) ||
	    (rc = sub_text(s, a->owner, false, CS_PLAN_OWNER_MAX, "--owner")))
		return rc;
	if (!sub_nonblank(a->op[1]))
		return sub_usage(s, "TITLE cannot be empty");
	if (!a->due)
		return sub_usage(s, "--due DATE is required");
	if (cs_parse_day(a->due, &due))
		return sub_usage(s, "--due '%s' is not a date (YYYY-MM-DD)", a->due);
	if (a->priority && cs_ms_priority_parse(a->priority, &prio))
		return sub_usage(s, "--priority is low, medium, high or critical, not '%s'",
				 a->priority);
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_milestone_add(db, plan, a->op[1], due, a->owner, prio, cli->as_of, &id,
			      &cli->diag) ? EXIT_FAIL : EXIT_OK;
	cs_db_close(db);
	if (!rc)
		printf("%lld\n", (long long)id);
	return rc;
}

/* The milestone change of the options; EXIT_OK or a usage error. */
static int ms_change(const struct sub *s, struct args *a, struct cs_milestone_change *ch)
{
	int rc;

	memset(ch, 0, sizeof(*ch));
	if ((rc = sub_text(s, a->title, false, CS_PLAN_TITLE_MAX, "--title")) ||
	    (rc = sub_text(s, a->owner, false, CS_PLAN_OWNER_MAX, "--owner")))
		return rc;
	if (a->title && !sub_nonblank(a->title))
		return sub_usage(s, "--title cannot be empty");
	ch->title = a->title;
	ch->owner = a->owner;
	if (a->due && cs_parse_day(a->due, &ch->due))
		return sub_usage(s, "--due '%s' is not a date (YYYY-MM-DD)", a->due);
	ch->due_set = a->due != NULL;
	if (a->priority && cs_ms_priority_parse(a->priority, &ch->priority))
		return sub_usage(s, "--priority is low, medium, high or critical, not '%s'",
				 a->priority);
	ch->priority_set = a->priority != NULL;
	if (a->status && cs_ms_status_parse(a->status, &ch->status))
		return sub_usage(s, "--status is pending, in_progress, completed or cancelled, "
				 "not '%s'", a->status);
	ch->status_set = a->status != NULL;
	return EXIT_OK;
}

static int ms_apply(struct cli *cli, int64_t id, const struct cs_milestone_change *ch,
		    const char *what)
{
	sqlite3 *db;
	long resolved;
	int rc;

	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_milestone_update(db, id, ch, cli->as_of, &resolved, &cli->diag) ?
	     EXIT_FAIL : EXIT_OK;
	cs_db_close(db);
	if (!rc) {
		printf("milestone %lld %s", (long long)id, what);
		if (resolved)
			printf("; action %ld resolved", resolved);
		putchar('\n');
	}
	return rc;
}

static int pl_ms_done(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_milestone_change ch = { .status_set = true, .status = CS_MS_COMPLETED };
	int64_t id;
	int rc;

	if ((rc = sub_id(s, a->op[0], "MILESTONE_ID is a milestone number", &id)))
		return rc;
	return ms_apply(cli, id, &ch, "completed");
}

static int pl_ms_set(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_milestone_change ch;
	int64_t id;
	int rc;

	if ((rc = sub_id(s, a->op[0], "MILESTONE_ID is a milestone number", &id)) ||
	    (rc = ms_change(s, a, &ch)))
		return rc;
	if (!ch.title && !ch.owner && !ch.due_set && !ch.priority_set && !ch.status_set)
		return sub_usage(s, "nothing to change (--title, --due, --owner, --priority, "
				 "--status)");
	return ms_apply(cli, id, &ch, "updated");
}

static const struct sub subs[] = {
	{ "new", pl_new, 2, 2, OPT_TITLE | OPT_EMPTY,
	  "plan new CUSTOMER_ID TYPE [--title TEXT] [--empty]" },
	{ "list", pl_list, 0, 1, OPT_ALL | OPT_FORMAT,
	  "plan list [CUSTOMER_ID] [--all] [--format text|json]" },
	{ "show", pl_show, 1, 1, OPT_FORMAT, "plan show ID [--format text|json]" },
	{ "set", pl_set, 1, 1, OPT_TITLE | OPT_STATUS | OPT_OBJECTIVES,
	  "plan set ID [--title TEXT] [--status active|on_hold|completed|cancelled] "
	  "[--objectives TEXT]" },
	{ "proposed", pl_proposed, 0, 0, OPT_FORMAT | OPT_PROFILE,
	  "plan proposed [--profile NAME] [--format text|json]" },
	{ "accept", pl_accept, 1, 1, OPT_PROFILE, "plan accept CUSTOMER_ID [--profile NAME]" },
	{ "milestone add", pl_ms_add, 2, 2, OPT_DUE | OPT_OWNER | OPT_PRIORITY,
	  "plan milestone add PLAN_ID TITLE --due DATE [--owner NAME] "
	  "[--priority low|medium|high|critical]" },
	{ "milestone done", pl_ms_done, 1, 1, 0, "plan milestone done MILESTONE_ID" },
	{ "milestone set", pl_ms_set, 1, 1,
	  OPT_TITLE | OPT_DUE | OPT_OWNER | OPT_PRIORITY | OPT_STATUS,
	  "plan milestone set MILESTONE_ID [--title TEXT] [--due DATE] [--owner NAME] "
	  "[--priority P] [--status pending|in_progress|completed|cancelled]" },
	{ NULL, NULL, 0, 0, 0, NULL },
};

static const char notes[] =
	"TYPE is a [type.KEY] of plans.ini: onboarding, quarterly, annual, expansion,\n"
	"recovery as shipped; a new plan gets the type's milestones (due N days after\n"
	"--as-of) unless --empty. A Red customer without an open recovery plan is\n"
	"proposed one ('proposed' lists them; 'accept' creates it). A milestone is\n"
	"overdue when due before --as-of and not completed or cancelled, in an active\n"
	"plan; 'casey score' raises each overdue milestone in today's actions, and\n"
	"'milestone done' resolves its action. Dates are YYYY-MM-DD.\n";

int cmd_plan(struct cli *cli, int argc, char **argv)
{
	return sub_dispatch(cli, "plan", subs, notes, argc, argv);
}
