/*
 * cmd_analytics.c — casey nps, casey csat, casey adoption, casey onboarding:
 * the analytics of analytics.h as text or JSON. The JSON keys are part of
 * the command-line contract (docs/casey.1); add keys, never rename them.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/analytics.h"
#include "casey/db.h"
#include "casey/value.h"
#include "cli.h"

#define CORRELATION_NOTE "correlation, not causation"

/*
 * What every analytics command does first: --format, the configuration,
 * the database. Returns EXIT_OK with *cfg and *db set, or an exit code.
 */
static int begin(struct cli *cli, int argc, char **argv, const char *cmd, bool *json,
		 struct cs_analytics_config **cfg, sqlite3 **db)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "text";
	int opt;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt != 'f')
			return cli_usage("%s: unknown option", cmd);
		format = optarg;
	}
	if (strcmp(format, "text") && strcmp(format, "json"))
		return cli_usage("%s: --format is text or json, not '%s'", cmd, format);
	if (optind < argc)
		return cli_usage("%s: unexpected argument '%s'", cmd, argv[optind]);
	*json = !strcmp(format, "json");
	*cfg = malloc(sizeof(**cfg));
	if (!*cfg)
		return EXIT_FAIL;
	if (cs_analytics_config_load(NULL, *cfg, &cli->diag) || cli_open_db(cli, db)) {
		free(*cfg);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

static double pct(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* A JSON number with the given decimals, or null. */
static void jnum(bool known, double v, int decimals)
{
	if (known)
		printf("%.*f", decimals, v);
	else
		printf("null");
}

static void print_day_or_null(const char *day)
{
	json_str(stdout, day[0] ? day : NULL);
}

/* --- casey nps ------------------------------------------------------------------ */

static void nps_json_counts(const struct cs_nps *n)
{
	printf("\"nps\":");
	jnum(n->responses > 0, n->score, 1);
	printf(",\"responses\":%ld,\"promoters\":%ld,\"passives\":%ld,\"detractors\":%ld",
	       n->responses, n->promoters, n->passives, n->detractors);
}

static void nps_json_buckets(const struct cs_nps_bucket *b, int n)
{
	int k;

	printf("[");
	for (k = 0; k < n; k++) {
		printf("%s{\"period\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",", k ? "," : "",
		       b[k].label, b[k].from, b[k].to);
		nps_json_counts(&b[k].nps);
		printf("}");
	}
	printf("]");
}

static void nps_json(const struct cs_nps_report *r, const struct cs_analytics_config *cfg)
{
	char day[11];
	int k;

	cs_format_day(r->as_of, day);
	printf("{\"as_of\":\"%s\",\"window\":{\"from\":\"%s\",\"to\":\"%s\"},", day, r->from,
	       r->to);
	nps_json_counts(&r->window);
	printf(",\"trend\":{\"monthly\":");
	nps_json_buckets(r->months, r->nmonths);
	printf(",\"quarterly\":");
	nps_json_buckets(r->quarters, r->nquarters);
	printf("},\"detractor_reasons\":{\"commented\":%ld,\"uncommented\":%ld,"
	       "\"other\":%ld,\"themes\":[", r->commented, r->uncommented, r->other);
	for (k = 0; k < r->nreasons; k++) {
		printf("%s{\"theme\":", k ? "," : "");
		json_str(stdout, r->reasons[k].label);
		printf(",\"count\":%ld,\"quote\":", r->reasons[k].count);
		json_str(stdout, r->reasons[k].quote);
		printf(",\"quote_date\":");
		json_str(stdout, r->reasons[k].quote_date);
		printf("}");
	}
	printf("]},\"by_feature_use\":{\"note\":\"" CORRELATION_NOTE "\",\"min_n\":%d,"
	       "\"features\":[", cfg->usage_min_n);
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_feature_split *f = &r->features[k];

		printf("%s{\"feature_id\":", k ? "," : "");
		json_str(stdout, f->feature_id);
		printf(",\"name\":");
		json_str(stdout, f->name);
		printf(",\"users\":{\"nps\":");
		jnum(f->nps_users.responses > 0, f->nps_users.score, 1);
		printf(",\"responses\":%ld},\"non_users\":{\"nps\":", f->nps_users.responses);
		jnum(f->nps_others.responses > 0, f->nps_others.score, 1);
		printf(",\"responses\":%ld},\"difference\":", f->nps_others.responses);
		jnum(f->nps_comparable, f->nps_diff, 1);
		printf("}");
	}
	printf("]}}\n");
}

/*
 * A quote in double quotes, wrapped at spaces to about width columns (bytes,
 * so lines of non-ASCII text come out shorter), each line indented.
 */
static void print_quote(const char *q, int indent, int width)
{
	const char *p = q;
	int col = indent + 1;

	printf("%*s\"", indent, "");
	while (*p) {
		size_t n = strcspn(p, " ");
		char word[256];

		if (col > indent + 1 && col + 1 + (int)n > width) {
			printf("\n%*s", indent + 1, "");
			col = indent + 1;
		} else if (col > indent + 1) {
			putchar(' ');
			col++;
		}
		/* A very long word goes out in pieces. */
		while (n) {
			size_t m = n < sizeof(word) - 1 ? n : sizeof(word) - 1;

			memcpy(word, p, m);
			word[m] = '\0';
			term_safe(stdout, word);
			col += (int)m;
			p += m;
			n -= m;
		}
		while (*p == ' ')
			p++;
	}
	printf("\"\n");
}

/* "+42", or "-" for no answers, in width columns. */
static void signed_cell(const struct cs_nps *n, int width)
{
	char buf[16];

	if (n->responses)
		snprintf(buf, sizeof(buf), "%+.0f", n->score);
	else
		snprintf(buf, sizeof(buf), "-");
	printf("%*s", width, buf);
}

static void nps_text_buckets(const char *title, const struct cs_nps_bucket *b, int n)
{
	int k;

	printf("\n%-10s %6s %6s %10s %9s %11s\n", title, "NPS", "n", "promoters", "passives",
	       "detractors");
	for (k = 0; k < n; k++) {
		printf("  %-8s ", b[k].label);
		signed_cell(&b[k].nps, 6);
		printf(" %6ld %10ld %9ld %11ld\n", b[k].nps.responses, b[k].nps.promoters,
		       b[k].nps.passives, b[k].nps.detractors);
	}
}

static void nps_text(const struct cs_nps_report *r)
{
	const struct cs_nps *w = &r->window;
	char day[11];
	int k;

	cs_format_day(r->as_of, day);
	printf("NPS as of %s (answers of %s to %s)\n\n", day, r->from, r->to);
	if (!w->responses) {
		printf("NPS         no responses in the 90 days to %s\n", day);
	} else {
		printf("NPS         %+.0f  (%ld responses)\n", w->score, w->responses);
		printf("  promoters  %5ld  %5.1f%%  (9-10)\n", w->promoters,
		       pct(w->promoters, w->responses));
		printf("  passives   %5ld  %5.1f%%  (7-8)\n", w->passives,
		       pct(w->passives, w->responses));
		printf("  detractors %5ld  %5.1f%%  (0-6)\n", w->detractors,
		       pct(w->detractors, w->responses));
	}
	nps_text_buckets("Monthly", r->months, r->nmonths);
	nps_text_buckets("Quarterly", r->quarters, r->nquarters);

	printf("\nDetractor reasons (%ld of %ld detractors left a comment; quotes anonymised)\n",
	       r->commented, r->commented + r->uncommented);
	if (!r->nreasons)
		printf("  none\n");
	for (k = 0; k < r->nreasons; k++) {
		printf("  %4ld  ", r->reasons[k].count);
		term_safe_width(stdout, r->reasons[k].label, 52);
		printf("  latest ");
		term_safe(stdout, r->reasons[k].quote_date);
		printf("\n");
		print_quote(r->reasons[k].quote, 8, 78);
	}
	if (r->other)
		printf("  %4ld  other comments\n", r->other);

	printf("\nNPS by feature use, last 90 days (%s)\n", CORRELATION_NOTE);
	printf("  %-24s %12s %12s %11s\n", "feature", "users (n)", "others (n)", "difference");
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_feature_split *f = &r->features[k];
		char u[24], o[24];

		snprintf(u, sizeof(u), "%+.0f (%ld)", f->nps_users.score, f->nps_users.responses);
		snprintf(o, sizeof(o), "%+.0f (%ld)", f->nps_others.score, f->nps_others.responses);
		printf("  ");
		term_safe_width(stdout, f->name, 24);
		printf(" %12s %12s ", f->nps_users.responses ? u : "- (0)",
		       f->nps_others.responses ? o : "- (0)");
		if (f->nps_comparable)
			printf("%+11.0f\n", f->nps_diff);
		else
			printf("%11s\n", "n too small");
	}
}

int cmd_nps(struct cli *cli, int argc, char **argv)
{
	struct cs_analytics_config *cfg;
	struct cs_nps_report *r;
	sqlite3 *db;
	bool json;
	int rc = begin(cli, argc, argv, "nps", &json, &cfg, &db);

	if (rc != EXIT_OK)
		return rc;
	r = malloc(sizeof(*r));
	if (!r || cs_nps_report(db, cli->as_of, cfg, r, &cli->diag)) {
		rc = EXIT_FAIL;
	} else {
		if (json)
			nps_json(r, cfg);
		else
			nps_text(r);
		cs_nps_report_free(r);
	}
	cs_db_close(db);
	free(r);
	free(cfg);
	return rc;
}

/* --- casey csat ---------------------------------------------------------------- */

static void csat_json_fields(const struct cs_csat *c)
{
	printf("\"responses\":%ld,\"average\":", c->responses);
	jnum(c->scored > 0, c->average, 2);
	printf(",\"satisfied_pct\":");
	jnum(c->responses > 0, c->satisfied_pct, 1);
}

static void csat_json_breakdown(const char *name, const struct cs_csat_breakdown *b,
				bool feature)
{
	int k;

	printf(",\"%s\":{\"from\":\"%s\",\"to\":\"%s\",\"baseline\":{", name, b->from, b->to);
	csat_json_fields(&b->baseline);
	printf("},\"ungrouped\":%ld,\"groups\":[", b->ungrouped);
	for (k = 0; k < b->n; k++) {
		const struct cs_csat_group *g = &b->groups[k];

		printf("%s{\"group\":", k ? "," : "");
		json_str(stdout, g->key);
		if (feature) {
			printf(",\"feature_id\":");
			json_str(stdout, g->id);
		}
		printf(",");
		csat_json_fields(&g->csat);
		printf(",\"points_below\":");
		jnum(g->csat.responses > 0 && b->baseline.responses > 0, g->below, 1);
		printf(",\"flagged\":%s}", g->flagged ? "true" : "false");
	}
	printf("]}");
}

static void csat_json(const struct cs_csat_report *r, const struct cs_analytics_config *cfg)
{
	char day[11];
	int k;

	cs_format_day(r->as_of, day);
	printf("{\"as_of\":\"%s\",\"window\":{\"from\":\"%s\",\"to\":\"%s\"},", day, r->from,
	       r->to);
	csat_json_fields(&r->window);
	printf(",\"scored\":%ld,\"satisfied\":%ld", r->window.scored, r->window.satisfied);
	printf(",\"flag_rule\":{\"min_n\":%d,\"points_below\":%g}", cfg->csat_min_n,
	       cfg->csat_flag_points);
	csat_json_breakdown("by_context", &r->by_context, false);
	csat_json_breakdown("by_feature", &r->by_feature, true);
	csat_json_breakdown("by_month", &r->by_month, false);
	printf(",\"by_feature_use\":{\"note\":\"" CORRELATION_NOTE "\",\"min_n\":%d,"
	       "\"features\":[", cfg->usage_min_n);
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_feature_split *f = &r->features[k];

		printf("%s{\"feature_id\":", k ? "," : "");
		json_str(stdout, f->feature_id);
		printf(",\"name\":");
		json_str(stdout, f->name);
		printf(",\"users\":{");
		csat_json_fields(&f->csat_users);
		printf("},\"non_users\":{");
		csat_json_fields(&f->csat_others);
		printf("},\"difference\":");
		jnum(f->csat_comparable, f->csat_diff, 1);
		printf("}");
	}
	printf("]}}\n");
}

static void csat_text_breakdown(const char *title, const char *what,
				const struct cs_csat_breakdown *b, const char *ungrouped)
{
	int k;

	printf("\n%s, %s to %s", title, b->from, b->to);
	if (b->baseline.responses)
		printf(" (rate %.1f%% of %ld)", b->baseline.satisfied_pct,
		       b->baseline.responses);
	printf("\n");
	if (b->ungrouped && ungrouped)
		printf("  (%ld answers %s)\n", b->ungrouped, ungrouped);
	if (!b->n) {
		printf("  none\n");
		return;
	}
	printf("  %-26s %6s %6s %10s %8s\n", what, "n", "avg", "satisfied", "vs rate");
	for (k = 0; k < b->n; k++) {
		const struct cs_csat_group *g = &b->groups[k];

		printf("  ");
		term_safe_width(stdout, g->key, 26);
		printf(" %6ld ", g->csat.responses);
		if (g->csat.scored)
			printf("%6.2f ", g->csat.average);
		else
			printf("%6s ", "-");
		if (g->csat.responses)
			printf("%9.1f%% %+8.1f%s\n", g->csat.satisfied_pct, -g->below,
			       g->flagged ? "  LOW" : "");
		else
			printf("%10s %8s\n", "-", "-");
	}
}

static void csat_text(const struct cs_csat_report *r, const struct cs_analytics_config *cfg)
{
	const struct cs_csat *w = &r->window;
	char day[11];
	int k;

	cs_format_day(r->as_of, day);
	printf("CSAT as of %s (answers of %s to %s)\n\n", day, r->from, r->to);
	if (!w->responses) {
		printf("CSAT        no responses in the 90 days to %s\n", day);
	} else {
		if (w->scored)
			printf("CSAT        %.2f average of %ld answers on the 1-5 scale\n",
			       w->average, w->scored);
		printf("Satisfied   %.1f%% (%ld of %ld: 4-5 of 5, or Good)\n", w->satisfied_pct,
		       w->satisfied, w->responses);
	}
	printf("\nLOW: at least %g points below the rate compared with, and %d or more "
	       "answers\n", cfg->csat_flag_points, cfg->csat_min_n);
	csat_text_breakdown("By context", "context", &r->by_context, "without a context");
	csat_text_breakdown("By ticket feature", "feature", &r->by_feature,
			    "without a ticket that names a feature");
	csat_text_breakdown("By month", "month", &r->by_month, NULL);

	printf("\nCSAT by feature use, last 90 days (%s)\n", CORRELATION_NOTE);
	printf("  %-24s %14s %14s %11s\n", "feature", "users (n)", "others (n)", "difference");
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_feature_split *f = &r->features[k];
		char u[32], o[32];

		snprintf(u, sizeof(u), "%.1f%% (%ld)", f->csat_users.satisfied_pct,
			 f->csat_users.responses);
		snprintf(o, sizeof(o), "%.1f%% (%ld)", f->csat_others.satisfied_pct,
			 f->csat_others.responses);
		printf("  ");
		term_safe_width(stdout, f->name, 24);
		printf(" %14s %14s ", f->csat_users.responses ? u : "- (0)",
		       f->csat_others.responses ? o : "- (0)");
		if (f->csat_comparable)
			printf("%+7.1f pts\n", f->csat_diff);
		else
			printf("%11s\n", "n too small");
	}
}

int cmd_csat(struct cli *cli, int argc, char **argv)
{
	struct cs_analytics_config *cfg;
	struct cs_csat_report *r;
	sqlite3 *db;
	bool json;
	int rc = begin(cli, argc, argv, "csat", &json, &cfg, &db);

	if (rc != EXIT_OK)
		return rc;
	r = malloc(sizeof(*r));
	if (!r || cs_csat_report(db, cli->as_of, cfg, r, &cli->diag)) {
		rc = EXIT_FAIL;
	} else {
		if (json)
			csat_json(r, cfg);
		else
			csat_text(r, cfg);
		cs_csat_report_free(r);
	}
	cs_db_close(db);
	free(r);
	free(cfg);
	return rc;
}

/* --- casey adoption ---------------------------------------------------------------- */

static const char *status_text(enum cs_adoption_status s)
{
	static const char *const t[] = { "new", "GAP", "below target", "on target", "undated" };

	return t[s];
}

static void adoption_json(const struct cs_adoption_report *r,
			  const struct cs_analytics_config *cfg)
{
	char day[11];
	int k, b;

	cs_format_day(r->as_of, day);
	printf("{\"as_of\":\"%s\",\"active_customers\":%ld,", day, r->active);
	printf("\"thresholds\":{\"low_pct\":%g,\"min_days_since_release\":%d,"
	       "\"target_pct\":%g,\"recent_days\":%d},", cfg->adoption_low_pct,
	       cfg->adoption_min_days, cfg->adoption_target_pct, cfg->adoption_recent_days);
	printf("\"bands\":{\"profile\":");
	json_str(stdout, r->profile);
	printf(",\"snapshot\":");
	print_day_or_null(r->snapshot_date);
	printf(",\"active\":{");
	for (b = 0; b < CS_ADOPT_NBANDS; b++)
		printf("%s\"%s\":%ld", b ? "," : "", cs_adoption_band_names[b], r->band_active[b]);
	printf("}},\"gaps\":%ld,\"features\":[", r->gaps);
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_adoption_feature *f = &r->features[k];
		bool dated = f->released_at[0] != '\0';

		printf("%s{\"feature_id\":", k ? "," : "");
		json_str(stdout, f->feature_id);
		printf(",\"name\":");
		json_str(stdout, f->name);
		printf(",\"released_at\":");
		print_day_or_null(f->released_at);
		printf(",\"days_since_release\":");
		if (dated)
			printf("%d", f->days_since_release);
		else
			printf("null");
		printf(",\"paid\":%s,\"recent\":%s,\"users\":%ld,\"adoption_pct\":",
		       f->paid < 0 ? "null" : f->paid ? "true" : "false",
		       f->recent ? "true" : "false", f->users);
		jnum(r->active > 0, f->pct, 1);
		printf(",\"by_band\":{");
		for (b = 0; b < CS_ADOPT_NBANDS; b++) {
			printf("%s\"%s\":{\"users\":%ld,\"adoption_pct\":", b ? "," : "",
			       cs_adoption_band_names[b], f->band_users[b]);
			jnum(r->band_active[b] > 0, pct(f->band_users[b], r->band_active[b]), 1);
			printf("}");
		}
		printf("},\"first_use_n\":%ld,\"median_days_to_first_use\":", f->first_use_n);
		jnum(f->first_use_n > 0, f->median_days, 1);
		printf(",\"status\":\"%s\",\"gap\":", cs_adoption_status_names[f->status]);
		if (f->status != CS_ADOPT_GAP) {
			printf("null}");
			continue;
		}
		printf("{\"tickets\":{\"docs\":%ld,\"usability\":%ld,\"other\":%ld},"
		       "\"likely_cause\":\"%s\",\"owner\":", f->tickets_docs, f->tickets_usability,
		       f->tickets_other, f->cause);
		json_str(stdout, f->owner);
		printf("}}");
	}
	printf("]}\n");
}

static void band_cell(const struct cs_adoption_report *r, const struct cs_adoption_feature *f,
		      int b)
{
	if (r->band_active[b])
		printf(" %5.1f%%", pct(f->band_users[b], r->band_active[b]));
	else
		printf(" %6s", "-");
}

static void adoption_text(const struct cs_adoption_report *r,
			  const struct cs_analytics_config *cfg)
{
	char day[11];
	int k;

	cs_format_day(r->as_of, day);
	printf("Feature adoption as of %s: %ld active customers\n", day, r->active);
	if (r->banded) {
		printf("Bands of the '");
		term_safe(stdout, r->profile);
		printf("' scores of ");
		term_safe(stdout, r->snapshot_date);
		printf(": %ld green, %ld yellow, %ld red,\n%ld unscored\n",
		       r->band_active[CS_ADOPT_GREEN], r->band_active[CS_ADOPT_YELLOW],
		       r->band_active[CS_ADOPT_RED], r->band_active[CS_ADOPT_UNSCORED]);
	} else {
		printf("No '");
		term_safe(stdout, r->profile);
		printf("' scores on or before %s: no adoption by health band\n"
		       "(run 'casey score')\n", day);
	}
	printf("GAP: released %d+ days ago and used by under %g%% of active customers; "
	       "target %g%%\n\n", cfg->adoption_min_days, cfg->adoption_low_pct,
	       cfg->adoption_target_pct);
	printf("%-18s %5s %5s %7s", "feature", "days", "users", "adopted");
	if (r->banded)
		printf(" %6s %6s %6s", "green", "yellow", "red");
	printf(" %6s  %s\n", "median", "status");
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_adoption_feature *f = &r->features[k];

		term_safe_width(stdout, f->name, 18);
		if (f->released_at[0])
			printf(" %5d", f->days_since_release);
		else
			printf(" %5s", "?");
		printf(" %5ld ", f->users);
		if (r->active)
			printf("%6.1f%%", f->pct);
		else
			printf("%7s", "-");
		if (r->banded) {
			band_cell(r, f, CS_ADOPT_GREEN);
			band_cell(r, f, CS_ADOPT_YELLOW);
			band_cell(r, f, CS_ADOPT_RED);
		}
		if (f->first_use_n)
			printf(" %6.0f", f->median_days);
		else
			printf(" %6s", "-");
		printf("  %s%s\n", status_text(f->status), f->recent ? " (recent)" : "");
	}
	printf("\ndays: since release. median: days to first use, from the release or the\n"
	       "customer's start, whichever is later\n");
	if (!r->gaps)
		return;
	printf("\nAdoption gaps\n");
	for (k = 0; k < r->nfeatures; k++) {
		const struct cs_adoption_feature *f = &r->features[k];

		if (f->status != CS_ADOPT_GAP)
			continue;
		printf("  ");
		term_safe(stdout, f->name);
		printf(" (");
		term_safe(stdout, f->feature_id);
		printf("): %.1f%% of active customers, released %d days ago\n", f->pct,
		       f->days_since_release);
		printf("    tickets about it in %d days: %ld how-to/docs, %ld usability, "
		       "%ld other\n    likely cause: %s; owner ", cfg->adoption_ticket_days,
		       f->tickets_docs, f->tickets_usability, f->tickets_other, f->cause);
		term_safe(stdout, f->owner);
		printf("\n");
	}
}

int cmd_adoption(struct cli *cli, int argc, char **argv)
{
	struct cs_analytics_config *cfg;
	struct cs_adoption_report r;
	sqlite3 *db;
	bool json;
	int rc = begin(cli, argc, argv, "adoption", &json, &cfg, &db);

	if (rc != EXIT_OK)
		return rc;
	if (cs_adoption_report(db, cli->as_of, cfg, NULL, &r, &cli->diag)) {
		rc = EXIT_FAIL;
	} else {
		if (json)
			adoption_json(&r, cfg);
		else
			adoption_text(&r, cfg);
		cs_adoption_report_free(&r);
	}
	cs_db_close(db);
	free(cfg);
	return rc;
}

/* --- casey onboarding ---------------------------------------------------------------- */

static void onboarding_json(const struct cs_onboarding_report *r)
{
	char day[11];
	int k;

	cs_format_day(r->as_of, day);
	printf("{\"as_of\":\"%s\",\"cohort\":{\"from\":\"%s\",\"to\":\"%s\",\"customers\":%ld},",
	       day, r->from, r->to, r->cohort);
	printf("\"first_value_milestone\":");
	json_str(stdout, r->first_value);
	printf(",\"time_to_first_value\":{\"reached\":%ld,\"median_days\":", r->reached);
	jnum(r->ttfv_n > 0, r->ttfv_median, 1);
	printf(",\"mean_days\":");
	jnum(r->ttfv_n > 0, r->ttfv_mean, 1);
	printf("},\"activation\":{\"days\":%d,\"eligible\":%ld,\"activated\":%ld,\"rate_pct\":",
	       r->activation_days, r->eligible, r->activated);
	jnum(r->eligible > 0, r->activation_pct, 1);
	printf(",\"younger\":%ld,\"younger_activated\":%ld},", r->young, r->young_activated);
	printf("\"first_days\":{\"days\":%d,\"customers\":%ld,\"tickets\":%ld,"
	       "\"customers_with_tickets\":%ld,\"tickets_per_customer\":", r->early_days,
	       r->early_customers, r->early_tickets, r->early_ticket_customers);
	jnum(r->early_customers > 0,
	     r->early_customers ? (double)r->early_tickets / (double)r->early_customers : 0, 2);
	printf(",\"features\":%ld,\"features_per_customer\":", r->early_features);
	jnum(r->early_customers > 0,
	     r->early_customers ? (double)r->early_features / (double)r->early_customers : 0, 2);
	printf("},\"milestones\":[");
	for (k = 0; k < r->nmilestones; k++) {
		printf("%s{\"milestone\":", k ? "," : "");
		json_str(stdout, r->milestones[k].name);
		printf(",\"reached\":%ld,\"stalled\":%ld,\"in_progress\":%ld}",
		       r->milestones[k].reached, r->milestones[k].stalled,
		       r->milestones[k].in_progress);
	}
	printf("],\"in_progress\":{\"customers\":%ld,\"before_first_milestone\":%ld}",
	       r->in_progress, r->in_progress_none);
	printf(",\"stalled\":{\"customers\":%ld,\"before_first_milestone\":%ld,\"stall_at\":",
	       r->stalled, r->stalled_none);
	if (!r->stalled)
		printf("null");
	else if (r->stall_at < 0)
		printf("{\"milestone\":null,\"customers\":%ld}", r->stalled_none);
	else {
		printf("{\"milestone\":");
		json_str(stdout, r->milestones[r->stall_at].name);
		printf(",\"customers\":%ld}", r->milestones[r->stall_at].stalled);
	}
	printf("},\"unknown_milestone_rows\":%ld}\n", r->unknown_milestones);
}

static void onboarding_text(const struct cs_onboarding_report *r)
{
	char day[11], first[32];
	int k;

	cs_format_day(r->as_of, day);
	printf("Onboarding as of %s: %ld customers created %s to %s\n\n", day, r->cohort,
	       r->from, r->to);
	printf("Time to first value  ");
	if (r->ttfv_n)
		printf("median %.1f days, mean %.1f (%ld reached '", r->ttfv_median,
		       r->ttfv_mean, r->reached);
	else
		printf("nobody has reached '");
	term_safe(stdout, r->first_value);
	printf(r->ttfv_n ? "')\n" : "' yet\n");
	printf("Activation           ");
	if (r->eligible)
		printf("%.1f%%: %ld of %ld customers created %d+ days ago got there\n"
		       "                     within %d days", r->activation_pct, r->activated,
		       r->eligible, r->activation_days, r->activation_days);
	else
		printf("no customer was created %d+ days ago", r->activation_days);
	if (r->young)
		printf(" (%ld newer: %ld there already)", r->young, r->young_activated);
	printf("\n");
	snprintf(first, sizeof(first), "First %d days", r->early_days);
	if (r->early_customers)
		printf("%-21s%.2f tickets per customer (%ld tickets, %ld of %ld customers)\n"
		       "                     %.2f features first used per customer\n",
		       first, (double)r->early_tickets / (double)r->early_customers,
		       r->early_tickets, r->early_ticket_customers, r->early_customers,
		       (double)r->early_features / (double)r->early_customers);
	printf("\nWithout first value: %ld stalled (created %d+ days ago), %ld in progress\n",
	       r->stalled, r->activation_days, r->in_progress);
	printf("  %-24s %8s %8s %12s\n", "furthest milestone", "reached", "stalled",
	       "in progress");
	printf("  %-24s %8s %8ld %12ld%s\n", "(none)", "", r->stalled_none,
	       r->in_progress_none, r->stalled && r->stall_at < 0 ? "  <- most stall here" : "");
	for (k = 0; k < r->nmilestones; k++) {
		printf("  ");
		term_safe_width(stdout, r->milestones[k].name, 24);
		printf(" %8ld %8ld %12ld%s\n", r->milestones[k].reached, r->milestones[k].stalled,
		       r->milestones[k].in_progress,
		       r->stalled && r->stall_at == k ? "  <- most stall here" : "");
	}
	printf("  (reached: cohort customers who reached it by %s)\n", day);
	if (r->unknown_milestones)
		printf("(%ld milestone rows name milestones not in analytics.ini's order)\n",
		       r->unknown_milestones);
}

int cmd_onboarding(struct cli *cli, int argc, char **argv)
{
	struct cs_analytics_config *cfg;
	struct cs_onboarding_report r;
	sqlite3 *db;
	bool json;
	int rc = begin(cli, argc, argv, "onboarding", &json, &cfg, &db);

	if (rc != EXIT_OK)
		return rc;
	if (cs_onboarding_report(db, cli->as_of, cfg, &r, &cli->diag)) {
		rc = EXIT_FAIL;
	} else if (json) {
		onboarding_json(&r);
	} else {
		onboarding_text(&r);
	}
	cs_db_close(db);
	free(cfg);
	return rc;
}
