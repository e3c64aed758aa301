/* cmd_summary.c — casey summary: the dashboard's figures as text or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/summary.h"
#include "casey/value.h"
#include "cli.h"

static double pct(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void print_json(const struct cs_summary *s)
{
	char day[11];

	cs_format_day(s->as_of, day);
	printf("{\"as_of\":\"%s\",\"customers\":%ld,\"churned\":%ld,", day,
	       s->customers, s->churned);
	if (s->scored)
		printf("\"snapshot\":\"%s\",", s->snapshot_date);
	else
		printf("\"snapshot\":null,");
	printf("\"bands\":{\"green\":%ld,\"yellow\":%ld,\"red\":%ld},",
	       s->green, s->yellow, s->red);
	if (s->scored)
		printf("\"average_score\":%.1f,", s->average_score);
	else
		printf("\"average_score\":null,");
	if (s->nps.responses)
		printf("\"nps\":%.1f,", s->nps.score);
	else
		printf("\"nps\":null,");
	printf("\"nps_responses\":{\"promoters\":%ld,\"passives\":%ld,\"detractors\":%ld},",
	       s->nps.promoters, s->nps.passives, s->nps.detractors);
	printf("\"csat\":{\"responses\":%ld,", s->csat.responses);
	if (s->csat.scored)
		printf("\"average\":%.2f,", s->csat.average);
	else
		printf("\"average\":null,");
	if (s->csat.responses)
		printf("\"satisfied_pct\":%.1f},", s->csat.satisfied_pct);
	else
		printf("\"satisfied_pct\":null},");
	printf("\"at_risk\":[],\"themes\":[]}\n");
}

static void print_text(const struct cs_summary *s)
{
	long total = s->green + s->yellow + s->red;
	char day[11];

	cs_format_day(s->as_of, day);
	printf("casey summary as of %s\n\n", day);
	printf("Customers   %ld (%ld churned)\n", s->customers, s->churned);
	if (s->scored) {
		printf("Health      scored %s, average %.1f\n", s->snapshot_date,
		       s->average_score);
		printf("  Green     %5ld  %5.1f%%\n", s->green, pct(s->green, total));
		printf("  Yellow    %5ld  %5.1f%%\n", s->yellow, pct(s->yellow, total));
		printf("  Red       %5ld  %5.1f%%\n", s->red, pct(s->red, total));
	} else {
		printf("Health      not scored yet (run 'casey score')\n");
	}
	if (s->nps.responses)
		printf("NPS         %+.0f  (%ld responses in 90 days: %ld promoters, "
		       "%ld passives, %ld detractors)\n", s->nps.score, s->nps.responses,
		       s->nps.promoters, s->nps.passives, s->nps.detractors);
	else
		printf("NPS         no responses in the 90 days to %s\n", day);
	if (s->csat.responses)
		printf("CSAT        %.2f average, %.1f%% satisfied (%ld responses)\n",
		       s->csat.average, s->csat.satisfied_pct, s->csat.responses);
	else
		printf("CSAT        no responses in the 90 days to %s\n", day);
}

int cmd_summary(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	struct cs_summary s;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt != 'f')
			return cli_usage("summary: unknown option");
		format = optarg;
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage("summary: --format is text or json, not '%s'", format);
	if (optind < argc)
		return cli_usage("summary: unexpected argument '%s'", argv[optind]);
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_summary_load(db, cli->as_of, &s, &cli->diag);
	cs_db_close(db);
	if (rc)
		return EXIT_FAIL;
	if (!strcmp(format, "json"))
		print_json(&s);
	else
		print_text(&s);
	return EXIT_OK;
}
