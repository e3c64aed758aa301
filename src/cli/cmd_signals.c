/*
 * cmd_signals.c — casey churn, and the churn-risk lines of casey explain.
 * The figures come from the core (signals.h); this file only prints them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/signals.h"
#include "cli.h"

#define PAGE 256

/* "high,medium" into a mask of churn segments; "all" is every one. */
static int segment_mask(const char *s, unsigned *mask)
{
	char buf[128], *tok, *save = NULL;
	int seg;

	*mask = 0;
	if (!strcmp(s, "all")) {
		*mask = (1u << CS_CHURN_NSEG) - 1;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if ((seg = cs_churn_segment_find(tok)) < 0)
			return -1;
		*mask |= 1u << seg;
	}
	return *mask ? 0 : -1;
}

static void churn_json(const struct cs_signals_config *c, const struct cs_churn_row *r,
		       int n)
{
	char what[96];

	printf("%s{\"customer_id\":", n ? ",\n" : "");
	json_str(stdout, r->customer_id);
	printf(",\"name\":");
	json_str(stdout, r->name);
	if (r->arr_known)
		printf(",\"arr\":%.2f", r->arr);
	else
		printf(",\"arr\":null");
	printf(",\"health\":%d,\"band\":\"%s\",\"churn_risk\":%d,\"segment\":\"%s\","
	       "\"factors\":{", r->health, r->band, r->churn.score,
	       cs_churn_segment_names[r->churn.segment]);
	for (int i = 0; i < CS_RISK_NFACTORS; i++) {
		cs_churn_factor_text(c, &r->f, i, what, sizeof(what));
		printf("%s\"%s\":{\"points\":%d,\"what\":", i ? "," : "",
		       cs_churn_factor_names[i], r->churn.points[i]);
		json_str(stdout, what);
		putchar('}');
	}
	printf("},\"step\":");
	json_str(stdout, r->churn.step);
	putchar('}');
}

static void churn_csv(const struct cs_churn_row *r, int n)
{
	if (!n) {
		printf("customer_id,name,arr,health,band,churn_risk,segment");
		for (int i = 0; i < CS_RISK_NFACTORS; i++)
			printf(",%s_points", cs_churn_factor_names[i]);
		printf(",step\n");
	}
	csv_cell(stdout, r->customer_id);
	putchar(',');
	csv_cell(stdout, r->name);
	putchar(',');
	if (r->arr_known)
		printf("%.2f", r->arr);
	printf(",%d,%s,%d,%s", r->health, r->band, r->churn.score,
	       cs_churn_segment_names[r->churn.segment]);
	for (int i = 0; i < CS_RISK_NFACTORS; i++)
		printf(",%d", r->churn.points[i]);
	putchar(',');
	csv_cell(stdout, r->churn.step);
	putchar('\n');
}

static void churn_table(const struct cs_churn_row *r, int n)
{
	char arr[32], why[256];

	if (!n)
		printf("%-10s %-28s %10s %6s %4s %-6s  %s\n", "ID", "NAME", "ARR", "HEALTH",
		       "RISK", "SEG", "FACTORS");
	if (r->arr_known)
		snprintf(arr, sizeof(arr), "%.0f", r->arr);
	else
		snprintf(arr, sizeof(arr), "unknown");
	cs_churn_reasons(&r->churn, why, sizeof(why));
	term_safe_width(stdout, r->customer_id, 10);
	putchar(' ');
	term_safe_width(stdout, r->name, 28);
	printf(" %10s %6d %4d %-6s  %s\n", arr, r->health, r->churn.score,
	       cs_churn_segment_names[r->churn.segment], why[0] ? why : "-");
}

int cmd_churn(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "segment", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_signals_config *c = malloc(sizeof(*c));
	struct cs_churn_row *rows = malloc(PAGE * sizeof(*rows));
	struct cs_signal_key key = { .set = false };
	const char *format = "table";
	unsigned mask = (1u << CS_CHURN_HIGH) | (1u << CS_CHURN_MEDIUM) | (1u << CS_CHURN_LOW);
	long limit = 0, shown = 0;
	sqlite3 *db = NULL;
	int opt, rc = EXIT_FAIL, got, i;
	char *end;

	if (!c || !rows) {
		cs_error(&cli->diag, "out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (segment_mask(optarg, &mask)) {
				rc = cli_usage("churn: --segment is high, medium, low, none (or "
					       "several, comma-separated, or all), not '%s'", optarg);
				goto out;
			}
			break;
		case 'f':
			format = optarg;
			break;
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (!*optarg || *end || limit < 0) {
				rc = cli_usage("churn: --limit is a whole number, not '%s'", optarg);
				goto out;
			}
			break;
		default:
			rc = cli_usage("churn: unknown option");
			goto out;
		}
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		rc = cli_usage("churn: --format is table, csv or json, not '%s'", format);
		goto out;
	}
	if (optind < argc) {
		rc = cli_usage("churn: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cs_signals_config_load(NULL, c, &cli->diag) || cli_open_db(cli, &db))
		goto out;
	if (!strcmp(format, "json"))
		printf("[");
	do {
		got = cs_churn_list(db, c, cli->as_of, mask, &key, rows, PAGE, &cli->diag);
		if (got < 0)
			goto out;
		for (i = 0; i < got && (!limit || shown < limit); i++, shown++) {
			if (!strcmp(format, "json"))
				churn_json(c, &rows[i], (int)shown);
			else if (!strcmp(format, "csv"))
				churn_csv(&rows[i], (int)shown);
			else
				churn_table(&rows[i], (int)shown);
		}
		if (got)
			key = rows[got - 1].key;
	} while (got == PAGE && (!limit || shown < limit));
	if (!strcmp(format, "json"))
		printf("]\n");
	rc = EXIT_OK;
out:
	if (db)
		cs_db_close(db);
	free(rows);
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* casey explain                                                        */

int explain_signals(struct cli *cli, sqlite3 *db, const char *id, bool json)
{
	struct cs_signals_config *c = malloc(sizeof(*c));
	struct cs_churn_factors f;
	struct cs_churn ch;
	char what[96];
	bool found;
	int rc = -1;

	if (!c)
		return cs_error(&cli->diag, "out of memory");
	if (cs_signals_config_load(NULL, c, &cli->diag) ||
	    cs_churn_get(db, c, id, cli->as_of, &f, &ch, &found, &cli->diag) || !found)
		goto out;
	if (json) {
		printf(",\"churn_risk\":{\"score\":%d,\"segment\":\"%s\",\"factors\":{",
		       ch.score, cs_churn_segment_names[ch.segment]);
		for (int i = 0; i < CS_RISK_NFACTORS; i++) {
			cs_churn_factor_text(c, &f, i, what, sizeof(what));
			printf("%s\"%s\":{\"points\":%d,\"what\":", i ? "," : "",
			       cs_churn_factor_names[i], ch.points[i]);
			json_str(stdout, what);
			putchar('}');
		}
		printf("},\"step\":");
		json_str(stdout, ch.step);
		putchar('}');
	} else {
		printf("\nChurn risk %d, %s (assets/signals.ini)\n", ch.score,
		       cs_churn_segment_names[ch.segment]);
		for (int i = 0; i < CS_RISK_NFACTORS; i++) {
			cs_churn_factor_text(c, &f, i, what, sizeof(what));
			printf("  %-18s %-30s %+4d\n", cs_churn_factor_names[i], what, ch.points[i]);
		}
		{
			int sum = 0;

			for (int i = 0; i < CS_RISK_NFACTORS; i++)
				sum += ch.points[i];
			printf("  %-18s %-30s %4d%s\n", "total", "", sum,
			       sum > 100 ? ", capped at 100" : "");
		}
		printf("  Playbook: ");
		term_safe(stdout, ch.step);
		putchar('\n');
	}
	rc = 0;
out:
	free(c);
	return rc;
}
