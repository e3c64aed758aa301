/*
 * cmd_tickets.c — casey tickets (list, evaluate, categorise, set) and
 * casey themes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/tickets.h"
#include "casey/value.h"
#include "cli.h"

/* Days of `casey themes` without --days: the week to --as-of. */
#define THEME_DAYS 7
/* Held out by `casey tickets evaluate` without --every: one in five. */
#define EVAL_EVERY 5

static bool is_format(const char *f, const char *a, const char *b, const char *c)
{
	return !strcmp(f, a) || !strcmp(f, b) || (c && !strcmp(f, c));
}

/* The configuration, then the database, categorised when new tickets came in. */
static int open_all(struct cli *cli, struct cs_tickets_config **cfg, sqlite3 **db,
		    bool ensure)
{
	*db = NULL;
	if (cs_tickets_config_load(NULL, cfg, &cli->diag))
		return -1;
	if (cli_open_db(cli, db) || (ensure && cs_tickets_ensure(*db, *cfg, &cli->diag) < 0)) {
		if (*db)
			cs_db_close(*db);
		cs_tickets_config_free(*cfg);
		return -1;
	}
	return 0;
}

static const char *breach_name(const struct cs_sla *s)
{
	if (s->response_breach && s->resolution_breach)
		return "both";
	if (s->response_breach)
		return "response";
	if (s->resolution_breach)
		return "resolution";
	return "none";
}

/* The last cell of a table row: like term_safe_width(), without trailing blanks. */
static void last_cell(const char *s, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		return;
	term_safe_width(mem, s, width);
	fclose(mem);
	while (len && buf[len - 1] == ' ')
		len--;
	fwrite(buf, 1, len, stdout);
	free(buf);
}

struct list_ctx {
	const char *format;
	long n;
};

static void print_json_row(const struct cs_ticket_row *r)
{
	bool cat = r->category >= 0;

	printf("{\"ticket_id\":");
	json_str(stdout, r->ticket_id);
	printf(",\"customer_id\":");
	json_str(stdout, r->customer_id);
	printf(",\"created_at\":");
	json_str(stdout, r->created_at);
	printf(",\"status\":");
	json_str(stdout, r->status[0] ? r->status : NULL);
	printf(",\"subject\":");
	json_str(stdout, r->subject);
	printf(",\"category\":");
	json_str(stdout, cat ? cs_category_names[r->category] : NULL);
	printf(",\"category_source\":");
	json_str(stdout, cs_source_names[r->source]);
	if (cat)
		printf(",\"confidence\":%.4f", r->confidence);
	else
		printf(",\"confidence\":null");
	printf(",\"owner\":");
	json_str(stdout, cat ? r->owner : NULL);
	printf(",\"priority\":\"P%d\",\"response_sla_hours\":%g,\"resolution_sla_hours\":%g",
	       r->priority.level, (double)r->priority.response_s / 3600,
	       (double)r->priority.resolution_s / 3600);
	printf(",\"open\":%s,\"response_breach\":%s,\"resolution_breach\":%s",
	       r->sla.open ? "true" : "false", r->sla.response_breach ? "true" : "false",
	       r->sla.resolution_breach ? "true" : "false");
	printf(",\"theme\":");
	json_str(stdout, r->theme[0] ? r->theme : NULL);
	printf("}");
}

static int print_row(void *ctx, const struct cs_ticket_row *r)
{
	struct list_ctx *lc = ctx;
	const char *cat = r->category >= 0 ? cs_category_names[r->category] : "";
	const char *src = r->source ? cs_source_names[r->source] : "";
	char conf[16] = "", pri[4];

	if (r->category >= 0)
		snprintf(conf, sizeof(conf), "%.3f", r->confidence);
	snprintf(pri, sizeof(pri), "P%d", r->priority.level);
	if (!strcmp(lc->format, "json")) {
		printf("%s", lc->n ? ",\n" : "");
		print_json_row(r);
	} else if (!strcmp(lc->format, "csv")) {
		if (!lc->n)
			printf("ticket_id,customer_id,created_at,status,category,category_source,"
			       "confidence,owner,priority,sla_breach,theme,subject\n");
		csv_cell(stdout, r->ticket_id);
		putchar(',');
		csv_cell(stdout, r->customer_id);
		putchar(',');
		csv_cell(stdout, r->created_at);
		putchar(',');
		csv_cell(stdout, r->status);
		printf(",%s,%s,%s,", cat, src, conf);
		csv_cell(stdout, r->owner);
		printf(",%s,%s,", pri, breach_name(&r->sla));
		csv_cell(stdout, r->theme);
		putchar(',');
		csv_cell(stdout, r->subject);
		putchar('\n');
	} else {
		if (!lc->n)
			printf("%-10s %-8s %-10s %-3s %-10s %-20s %-6s %5s %-24s %-28s %s\n",
			       "TICKET", "CUSTOMER", "CREATED", "PRI", "BREACH", "CATEGORY",
			       "SOURCE", "CONF", "OWNER", "THEME", "SUBJECT");
		term_safe_width(stdout, r->ticket_id, 10);
		putchar(' ');
		term_safe_width(stdout, r->customer_id, 8);
		printf(" %-10.10s %-3s %-10s %-20s %-6s %5s ", r->created_at, pri,
		       breach_name(&r->sla), cat, src, conf);
		term_safe_width(stdout, r->owner, 24);
		putchar(' ');
		term_safe_width(stdout, r->theme, 28);
		putchar(' ');
		last_cell(r->subject, 40);
		putchar('\n');
	}
	lc->n++;
	return 0;
}

static int tickets_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "uncategorised", no_argument, NULL, 'u' },
		{ "uncategorized", no_argument, NULL, 'u' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_ticket_query q = { .as_of = cli->as_of };
	struct list_ctx lc = { .format = "table" };
	struct cs_tickets_config *cfg;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'u')
			q.uncategorised = true;
		else if (opt == 'f')
			lc.format = optarg;
		else
			return cli_usage("tickets: unknown option");
	}
	if (!is_format(lc.format, "table", "csv", "json"))
		return cli_usage("tickets: --format is table, csv or json, not '%s'", lc.format);
	if (optind < argc)
		return cli_usage("tickets: unexpected argument '%s'", argv[optind]);
	if (open_all(cli, &cfg, &db, true))
		return EXIT_FAIL;
	if (!strcmp(lc.format, "json"))
		printf("[");
	rc = cs_tickets_list(db, cfg, &q, print_row, &lc, &cli->diag);
	if (!strcmp(lc.format, "json"))
		printf("]\n");
	cs_db_close(db);
	cs_tickets_config_free(cfg);
	return rc ? EXIT_FAIL : EXIT_OK;
}

static double pct(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void eval_json(const struct cs_eval *e)
{
	int c;

	printf("{\"every\":%d,\"labelled\":%ld,\"trained\":%ld,\"held_out\":%ld,"
	       "\"correct\":%ld,\"accuracy\":%.4f,\"model_accuracy\":%.4f,"
	       "\"rules\":{\"fired\":%ld,\"correct\":%ld},\"categories\":[",
	       e->every, e->labelled, e->trained, e->held_out, e->correct,
	       pct(e->correct, e->held_out) / 100, pct(e->model_correct, e->held_out) / 100,
	       e->rule_fired, e->rule_correct);
	for (c = 0; c < CAT_COUNT; c++) {
		printf("%s{\"category\":\"%s\",\"n\":%ld,\"predicted\":%ld,\"correct\":%ld,",
		       c ? "," : "", cs_category_names[c], e->cat[c].n, e->cat[c].predicted,
		       e->cat[c].correct);
		if (e->cat[c].predicted)
			printf("\"precision\":%.4f,",
			       pct(e->cat[c].correct, e->cat[c].predicted) / 100);
		else
			printf("\"precision\":null,");
		if (e->cat[c].n)
			printf("\"recall\":%.4f}", pct(e->cat[c].correct, e->cat[c].n) / 100);
		else
			printf("\"recall\":null}");
	}
	printf("]}\n");
}

static void eval_text(const struct cs_eval *e)
{
	int c;

	printf("Classifier (phrase rules, then naive Bayes) on held-out tickets\n");
	printf("labelled tickets  %ld: every %d%s by ticket id held out (%ld), "
	       "trained on %ld\n", e->labelled, e->every,
	       e->every == 2 ? "nd" : e->every == 3 ? "rd" : "th", e->held_out, e->trained);
	printf("accuracy          %.1f%% (%ld of %ld)\n", pct(e->correct, e->held_out),
	       e->correct, e->held_out);
	printf("  model alone     %.1f%%\n", pct(e->model_correct, e->held_out));
	printf("  rules decided   %ld (%ld right, %.1f%%)\n\n", e->rule_fired, e->rule_correct,
	       pct(e->rule_correct, e->rule_fired));
	printf("%-22s %6s %10s %8s\n", "category", "n", "precision", "recall");
	for (c = 0; c < CAT_COUNT; c++) {
		printf("%-22s %6ld", cs_category_names[c], e->cat[c].n);
		if (e->cat[c].predicted)
			printf(" %9.1f%%", pct(e->cat[c].correct, e->cat[c].predicted));
		else
			printf(" %10s", "-");
		if (e->cat[c].n)
			printf(" %7.1f%%\n", pct(e->cat[c].correct, e->cat[c].n));
		else
			printf(" %8s\n", "-");
	}
}

static int tickets_evaluate(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "every", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	struct cs_tickets_config *cfg;
	struct cs_eval e;
	sqlite3 *db;
	int opt, every = EVAL_EVERY, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'e') {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || end == optarg || v < 2 || v > 1000)
				return cli_usage("tickets evaluate: --every is a number from 2 "
						 "to 1000, not '%s'", optarg);
			every = (int)v;
		} else if (opt == 'f') {
			format = optarg;
		} else {
			return cli_usage("tickets evaluate: unknown option");
		}
	}
	if (!is_format(format, "text", "json", NULL))
		return cli_usage("tickets evaluate: --format is text or json, not '%s'", format);
	if (optind < argc)
		return cli_usage("tickets evaluate: unexpected argument '%s'", argv[optind]);
	if (open_all(cli, &cfg, &db, false))
		return EXIT_FAIL;
	rc = cs_tickets_evaluate(db, cfg, every, &e, &cli->diag);
	if (!rc && !e.held_out) {
		cs_error(&cli->diag, "no tickets with a known category to evaluate on");
		rc = -1;
	}
	if (!rc)
		!strcmp(format, "json") ? eval_json(&e) : eval_text(&e);
	cs_db_close(db);
	cs_tickets_config_free(cfg);
	return rc ? EXIT_FAIL : EXIT_OK;
}

static int tickets_categorise(struct cli *cli, int argc, char **argv)
{
	struct cs_tickets_config *cfg;
	sqlite3 *db;
	int n;

	(void)argv;
	if (argc > 1)
		return cli_usage("tickets categorise takes no arguments");
	if (open_all(cli, &cfg, &db, false))
		return EXIT_FAIL;
	n = cs_tickets_categorise_cfg(db, cfg, &cli->diag);
	if (n >= 0)
		printf("%d ticket%s changed\n", n, n == 1 ? "" : "s");
	cs_db_close(db);
	cs_tickets_config_free(cfg);
	return n < 0 ? EXIT_FAIL : EXIT_OK;
}

static int tickets_set(struct cli *cli, int argc, char **argv)
{
	sqlite3 *db;
	int c, rc;

	if (argc != 3)
		return cli_usage("usage: casey tickets set TICKET_ID CATEGORY|auto");
	if (!strcmp(argv[2], "auto")) {
		c = -1;
	} else if ((c = cs_category_find(argv[2])) < 0) {
		return cli_usage("tickets set: '%s' is not a category (Bug Report, Feature "
				 "Request, Documentation Gap, Usability Issue, Performance Issue, "
				 "Integration Question, How-To Question, or auto)", argv[2]);
	}
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_ticket_set_category(db, argv[1], c, &cli->diag);
	if (!rc) {
		term_safe(stdout, argv[1]);
		printf(": %s\n", c >= 0 ? cs_category_names[c] :
		       "categorised automatically again from the next run");
	}
	cs_db_close(db);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_tickets(struct cli *cli, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "evaluate"))
		return tickets_evaluate(cli, argc - 1, argv + 1);
	if (argc > 1 && (!strcmp(argv[1], "categorise") || !strcmp(argv[1], "categorize")))
		return tickets_categorise(cli, argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "set"))
		return tickets_set(cli, argc - 1, argv + 1);
	return tickets_list(cli, argc, argv);
}

struct theme_ctx {
	const char *format;
	long n;
};

static int print_theme(void *ctx, const struct cs_theme *t)
{
	struct theme_ctx *tc = ctx;

	if (!strcmp(tc->format, "json")) {
		printf("%s{\"category\":", tc->n ? ",\n" : "");
		json_str(stdout, t->category[0] ? t->category : NULL);
		printf(",\"theme\":");
		json_str(stdout, t->theme);
		printf(",\"tickets\":%ld,\"customers\":%ld,\"arr\":%.2f}", t->tickets,
		       t->customers, t->arr);
	} else if (!strcmp(tc->format, "csv")) {
		if (!tc->n)
			printf("category,theme,tickets,customers,arr\n");
		csv_cell(stdout, t->category);
		putchar(',');
		csv_cell(stdout, t->theme);
		printf(",%ld,%ld,%.2f\n", t->tickets, t->customers, t->arr);
	} else {
		if (!tc->n)
			printf("%-20s %-36s %7s %9s %12s\n", "CATEGORY", "THEME", "TICKETS",
			       "CUSTOMERS", "ARR");
		printf("%-20s ", t->category[0] ? t->category : "(none)");
		term_safe_width(stdout, t->theme, 36);
		printf(" %7ld %9ld %12.0f\n", t->tickets, t->customers, t->arr);
	}
	tc->n++;
	return 0;
}

int cmd_themes(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "days", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct theme_ctx tc = { .format = "table" };
	struct cs_tickets_config *cfg;
	long days = THEME_DAYS;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'd') {
			char *end;

			days = strtol(optarg, &end, 10);
			if (*end || end == optarg || days < 1 || days > 36500)
				return cli_usage("themes: --days is a number of days from 1 to "
						 "36500, not '%s'", optarg);
		} else if (opt == 'f') {
			tc.format = optarg;
		} else {
			return cli_usage("themes: unknown option");
		}
	}
	if (!is_format(tc.format, "table", "csv", "json"))
		return cli_usage("themes: --format is table, csv or json, not '%s'", tc.format);
	if (optind < argc)
		return cli_usage("themes: unexpected argument '%s'", argv[optind]);
	if (open_all(cli, &cfg, &db, true))
		return EXIT_FAIL;
	if (!strcmp(tc.format, "json"))
		printf("[");
	rc = cs_themes(db, cli->as_of - (int32_t)(days - 1), cli->as_of, print_theme, &tc,
		       &cli->diag);
	if (!strcmp(tc.format, "json"))
		printf("]\n");
	cs_db_close(db);
	cs_tickets_config_free(cfg);
	return rc ? EXIT_FAIL : EXIT_OK;
}
