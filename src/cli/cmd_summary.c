/* cmd_summary.c — casey summary: the dashboard's figures as text or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/rules.h"
#include "casey/score.h"
#include "casey/summary.h"
#include "casey/tiers.h"
#include "casey/value.h"
#include "cli.h"

static double pct(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void json_bands(const char *key, const struct cs_band_counts *b)
{
	printf("\"%s\":{\"green\":%ld,\"yellow\":%ld,\"red\":%ld}", key, b->green,
	       b->yellow, b->red);
}

/* The at-risk customers by tier (tiers.h), the ones with none last. */
struct by_tier {
	const struct cs_tiers *tiers;
	struct cs_tier_sum sums[CS_TIERS_MAX + 1];
};

static void json_by_tier(const struct by_tier *bt)
{
	printf(",\"at_risk_by_tier\":[");
	for (int i = 0; i <= bt->tiers->n; i++) {
		printf("%s{\"tier\":", i ? "," : "");
		json_str(stdout, i < bt->tiers->n ? bt->tiers->t[i].name : NULL);
		printf(",\"customers\":%ld,\"arr\":%.2f}", bt->sums[i].customers, bt->sums[i].arr);
	}
	putchar(']');
}

static void text_by_tier(const struct by_tier *bt)
{
	printf("  by tier:");
	for (int i = 0; i <= bt->tiers->n; i++) {
		if (i == bt->tiers->n && !bt->sums[i].customers)
			break;
		printf("%s %s %ld, $%.0f", i ? ";" : "",
		       i < bt->tiers->n ? bt->tiers->t[i].name : "no tier", bt->sums[i].customers,
		       bt->sums[i].arr);
	}
	putchar('\n');
}

static void print_json(const struct cs_summary *s, const struct by_tier *bt)
{
	char day[11];
	int i;

	cs_format_day(s->as_of, day);
	printf("{\"as_of\":\"%s\",\"profile\":", day);
	json_str(stdout, s->profile);
	printf(",\"customers\":%ld,\"churned\":%ld,\"snapshot\":", s->customers, s->churned);
	json_str(stdout, s->now.scored ? s->now.date : NULL);
	putchar(',');
	json_bands("bands", &s->now);
	printf(",\"average_score\":");
	s->now.scored ? printf("%.1f", s->now.average) : printf("null");
	printf(",\"week_ago\":");
	if (s->week_ago.scored) {
		printf("{\"snapshot\":\"%s\",", s->week_ago.date);
		json_bands("bands", &s->week_ago);
		printf(",\"average_score\":%.1f}", s->week_ago.average);
	} else {
		printf("null");
	}
	printf(",\"nps\":");
	s->nps.responses ? printf("%.1f", s->nps.score) : printf("null");
	printf(",\"nps_responses\":{\"promoters\":%ld,\"passives\":%ld,\"detractors\":%ld}",
	       s->nps.promoters, s->nps.passives, s->nps.detractors);
	printf(",\"csat\":{\"responses\":%ld,\"average\":", s->csat.responses);
	s->csat.scored ? printf("%.2f", s->csat.average) : printf("null");
	printf(",\"satisfied_pct\":");
	s->csat.responses ? printf("%.1f", s->csat.satisfied_pct) : printf("null");
	printf("},\"at_risk_count\":%ld,\"at_risk_arr\":%.2f,\"at_risk\":[",
	       s->at_risk_count, s->at_risk_arr);
	for (i = 0; i < s->nat_risk; i++) {
		const struct cs_at_risk *a = &s->at_risk[i];

		printf("%s{\"customer_id\":", i ? "," : "");
		json_str(stdout, a->customer_id);
		printf(",\"name\":");
		json_str(stdout, a->name);
		printf(",\"arr\":");
		a->arr_known ? printf("%.2f", a->arr) : printf("null");
		printf(",\"score\":%d,\"band\":\"%s\",\"trend\":\"%s\",\"top_reason\":",
		       a->score, a->band, a->trend);
		json_str(stdout, a->top_reason);
		putchar('}');
	}
	putchar(']');
	json_by_tier(bt);
	printf(",\"themes\":[");
	for (i = 0; i < s->nthemes; i++) {
		printf("%s{\"category\":", i ? "," : "");
		json_str(stdout, s->themes[i].category);
		printf(",\"theme\":");
		json_str(stdout, s->themes[i].theme);
		printf(",\"tickets\":%ld,\"customers\":%ld,\"arr\":%.2f,\"escalate\":%s}",
		       s->themes[i].tickets, s->themes[i].customers, s->themes[i].arr,
		       s->themes[i].escalate ? "true" : "false");
	}
	printf("]}\n");
}

static void band_line(const char *name, long n, long total, long before, bool has_before)
{
	printf("  %-8s %5ld  %5.1f%%", name, n, pct(n, total));
	if (has_before)
		printf("  (%+ld vs last week)", n - before);
	putchar('\n');
}

static void print_text(const struct cs_summary *s, const struct by_tier *bt)
{
	const struct cs_band_counts *b = &s->now, *w = &s->week_ago;
	long total = b->green + b->yellow + b->red;
	char day[11];
	int i;

	cs_format_day(s->as_of, day);
	printf("casey summary as of %s (profile %s)\n\n", day, s->profile);
	printf("Customers   %ld (%ld churned)\n", s->customers, s->churned);
	if (b->scored) {
		printf("Health      scored %s, average %.1f", b->date, b->average);
		if (w->scored)
			printf(" (%+.1f vs %s)", b->average - w->average, w->date);
		putchar('\n');
		band_line("Green", b->green, total, w->green, w->scored);
		band_line("Yellow", b->yellow, total, w->yellow, w->scored);
		band_line("Red", b->red, total, w->red, w->scored);
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
	if (!b->scored)
		return;
	printf("\nAt risk     %ld customers, $%.0f ARR (Red, or Yellow and declining)\n",
	       s->at_risk_count, s->at_risk_arr);
	text_by_tier(bt);
	for (i = 0; i < s->nat_risk && i < 10; i++) {
		const struct cs_at_risk *a = &s->at_risk[i];
		char arr[32];

		if (a->arr_known)
			snprintf(arr, sizeof(arr), "$%.0f", a->arr);
		else
			snprintf(arr, sizeof(arr), "unknown");
		printf("  ");
		term_safe_width(stdout, a->name, 28);
		printf(" %10s %3d %-6s %-9s %s\n", arr, a->score, a->band, a->trend, a->top_reason);
	}
	printf("\nTicket themes of the %d days to %s\n", CS_SUMMARY_THEME_DAYS, day);
	for (i = 0; i < s->nthemes; i++) {
		printf("  %s ", s->themes[i].escalate ? "!" : " ");
		term_safe_width(stdout, s->themes[i].category, 20);
		putchar(' ');
		term_safe_width(stdout, s->themes[i].theme, 28);
		printf(" %3ld tickets %3ld customers $%.0f\n", s->themes[i].tickets,
		       s->themes[i].customers, s->themes[i].arr);
	}
	if (!s->nthemes)
		printf("  none\n");
}

int cmd_summary(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text", *profile = CS_DEFAULT_PROFILE;
	struct cs_rules rules;
	struct cs_summary s;
	struct cs_tiers tiers;
	struct by_tier bt = { .tiers = &tiers };
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'f')
			format = optarg;
		else if (opt == 'p')
			profile = optarg;
		else
			return cli_usage("summary: unknown option");
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage("summary: --format is text or json, not '%s'", format);
	if (optind < argc)
		return cli_usage("summary: unexpected argument '%s'", argv[optind]);
	if (cs_rules_load("rules", &rules, &cli->diag) ||
	    cs_tiers_load(NULL, &tiers, &cli->diag) || cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_summary_load(db, profile, &rules, cli->as_of, &s, &cli->diag) ||
	     cs_tiers_at_risk(db, &tiers, profile, cli->as_of, bt.sums, &cli->diag);
	cs_db_close(db);
	if (rc)
		return EXIT_FAIL;
	if (!strcmp(format, "json"))
		print_json(&s, &bt);
	else
		print_text(&s, &bt);
	return EXIT_OK;
}
