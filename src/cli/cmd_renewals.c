/*
 * cmd_renewals.c — casey renewals: the renewal pipeline (renewals.h) and
 * each renewing customer with its next step.
 *
 *   casey renewals [--within DAYS] [--format table|csv|json] [--profile NAME]
 *
 * Table and JSON: the pipeline by window (ARR by band, trend, risk), then
 * the customers; CSV: the customers only, one row each. The customers are
 * read a page at a time, so a million of them stream in constant memory.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/renewals.h"
#include "casey/score.h"
#include "casey/tiers.h"
#include "cli.h"

#define PAGE 500

struct run {
	const struct cs_renewals *r;
	const struct cs_tiers *tiers;
	const char *format;
	long n;
};

static const char *const band_keys[CS_PB_COUNT] = { "green", "yellow", "red", "unscored" };
static const char *const trend_keys[CS_PT_COUNT] = { "improving", "stable", "declining",
						     "unscored" };

static void json_cell(const char *name, const struct cs_pipeline_cell *c, bool comma)
{
	printf("%s\"%s\":{\"customers\":%ld,\"arr\":%.2f}", comma ? "," : "", name, c->customers,
	       c->arr);
}

static void json_window(const struct cs_pipeline_window *w)
{
	printf("{\"from\":%d,\"to\":%d,\"customers\":%ld,\"arr\":%.2f,\"arr_unknown\":%ld,"
	       "\"bands\":{", w->from, w->to, w->all.customers, w->all.arr, w->arr_unknown);
	for (int i = 0; i < CS_PB_COUNT; i++)
		json_cell(band_keys[i], &w->band[i], i);
	printf("},\"trends\":{");
	for (int i = 0; i < CS_PT_COUNT; i++)
		json_cell(trend_keys[i], &w->trend[i], i);
	printf("},\"risk\":{");
	for (int i = 0; i < CS_RISK_COUNT; i++)
		json_cell(cs_renewal_risk_names[i], &w->risk[i], i);
	printf("}}");
}

static void window_name(const struct cs_pipeline_window *w, char *buf, size_t size)
{
	snprintf(buf, size, "%d-%d", w->from, w->to);
}

static void text_money(double v)
{
	printf(" %12.0f", v);
}

static void print_pipeline_text(const struct cs_pipeline *p)
{
	static const char *const heads[3] = { "BY BAND", "BY TREND", "BY RISK" };
	static const char *const cols[3][4] = {
		{ "GREEN", "YELLOW", "RED", "UNSCORED" },
		{ "IMPROVING", "STABLE", "DECLINING", "UNSCORED" },
		{ "HIGH", "MEDIUM", "LOW", "UNKNOWN" },
	};

	printf("Renewals within %d days of %s", p->within, p->as_of);
	if (p->snapshot[0])
		printf(" (health of %s)", p->snapshot);
	else
		printf(" (not scored yet)");
	printf(": %ld customers, ARR %.0f", p->total.all.customers, p->total.all.arr);
	if (p->total.arr_unknown)
		printf(" (%ld with ARR unknown)", p->total.arr_unknown);
	printf("\n");
	for (int t = 0; t < 3; t++) {
		printf("\n%-10s %9s %12s", heads[t], "CUSTOMERS", "ARR");
		for (int c = 0; c < 4; c++)
			printf(" %12s", cols[t][c]);
		printf("\n");
		for (int w = 0; w <= p->nwindows; w++) {
			const struct cs_pipeline_window *pw = w < p->nwindows ? &p->w[w] : &p->total;
			char name[24];

			if (w < p->nwindows)
				window_name(pw, name, sizeof(name));
			else
				snprintf(name, sizeof(name), "total");
			printf("%-10s %9ld", name, pw->all.customers);
			text_money(pw->all.arr);
			for (int c = 0; c < 4; c++)
				text_money(t == 0 ? pw->band[c].arr : t == 1 ? pw->trend[c].arr :
					   pw->risk[c].arr);
			printf("\n");
		}
	}
}

static void step_text(const struct run *rn, const struct cs_renewal_row *row, char *buf,
		      size_t size)
{
	const struct cs_renewal_step *s;

	if (row->step < 0) {
		snprintf(buf, size, "all steps done");
		return;
	}
	s = &rn->r->steps[row->step];
	if (row->ndue > 1)
		snprintf(buf, size, "%s %s due since %s (+%d due)", s->label, s->title,
			 row->step_date, row->ndue - 1);
	else
		snprintf(buf, size, "%s %s %s %s", s->label, s->title,
			 row->step_due ? "due since" : "on", row->step_date);
}

static void print_row(struct run *rn, const struct cs_renewal_row *row)
{
	int t = cs_tier_of(rn->tiers, row->segment, row->arr_known, row->arr);
	const char *tier = t >= 0 ? rn->tiers->t[t].name : NULL;
	const struct cs_renewal_step *s = row->step >= 0 ? &rn->r->steps[row->step] : NULL;

	if (!strcmp(rn->format, "json")) {
		printf("%s{\"customer_id\":", rn->n ? ",\n" : "");
		json_str(stdout, row->customer_id);
		printf(",\"name\":");
		json_str(stdout, row->name);
		printf(",\"renewal_date\":\"%s\",\"days\":%d,\"arr\":", row->renewal_date, row->days);
		row->arr_known ? printf("%.2f", row->arr) : printf("null");
		printf(",\"tier\":");
		json_str(stdout, tier);
		printf(",\"csm\":");
		json_str(stdout, row->csm[0] ? row->csm : NULL);
		if (row->scored)
			printf(",\"score\":%d,\"band\":\"%s\",\"trend\":\"%s\"", row->score, row->band,
			       row->trend);
		else
			printf(",\"score\":null,\"band\":null,\"trend\":null");
		printf(",\"risk\":\"%s\",\"next_step\":", cs_renewal_risk_names[row->risk]);
		if (s) {
			printf("{\"step\":");
			json_str(stdout, s->label);
			printf(",\"title\":");
			json_str(stdout, s->title);
			printf(",\"date\":\"%s\",\"due\":%s,\"due_steps\":%d}", row->step_date,
			       row->step_due ? "true" : "false", row->ndue);
		} else {
			printf("null");
		}
		printf("}");
	} else if (!strcmp(rn->format, "csv")) {
		if (!rn->n)
			printf("renewal_date,days,customer_id,name,arr,tier,csm,score,band,trend,risk,"
			       "next_step,next_step_title,next_step_date,next_step_due\n");
		printf("%s,%d,", row->renewal_date, row->days);
		csv_cell(stdout, row->customer_id);
		putchar(',');
		csv_cell(stdout, row->name);
		putchar(',');
		if (row->arr_known)
			printf("%.2f", row->arr);
		putchar(',');
		csv_cell(stdout, tier ? tier : "");
		putchar(',');
		csv_cell(stdout, row->csm);
		if (row->scored)
			printf(",%d,%s,%s,", row->score, row->band, row->trend);
		else
			printf(",,,,");
		printf("%s,", cs_renewal_risk_names[row->risk]);
		if (s) {
			csv_cell(stdout, s->label);
			putchar(',');
			csv_cell(stdout, s->title);
			printf(",%s,%s\n", row->step_date, row->step_due ? "yes" : "no");
		} else {
			printf(",,,\n");
		}
	} else {
		char arr[32], score[8], step[128];

		if (!rn->n)
			printf("\n%-10s %4s %-10s %-24s %10s %-5s %5s %-6s %-9s %-7s %s\n", "RENEWAL",
			       "DAYS", "ID", "NAME", "ARR", "TIER", "SCORE", "BAND", "TREND", "RISK",
			       "NEXT STEP");
		if (row->arr_known)
			snprintf(arr, sizeof(arr), "%.0f", row->arr);
		else
			snprintf(arr, sizeof(arr), "unknown");
		snprintf(score, sizeof(score), "%d", row->score);
		step_text(rn, row, step, sizeof(step));
		printf("%-10s %4d ", row->renewal_date, row->days);
		term_safe_width(stdout, row->customer_id, 10);
		putchar(' ');
		term_safe_width(stdout, row->name, 24);
		printf(" %10s %-5s %5s %-6s %-9s %-7s %s\n", arr, t >= 0 ? rn->tiers->t[t].label : "-",
		       row->scored ? score : "-", row->scored ? row->band : "-",
		       row->scored ? row->trend : "-", cs_renewal_risk_names[row->risk], step);
	}
	rn->n++;
}

int cmd_renewals(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "within", required_argument, NULL, 'w' },
		{ "format", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *profile = CS_DEFAULT_PROFILE, *format = "table";
	struct cs_renewals *r = malloc(sizeof(*r));
	struct cs_tiers *tiers = malloc(sizeof(*tiers));
	struct cs_renewal_row *rows = malloc(PAGE * sizeof(*rows));
	struct cs_pipeline *p = malloc(sizeof(*p));
	struct run rn = { .r = r, .tiers = tiers };
	struct cs_renewal_key key = { .set = false };
	long within = -1;
	sqlite3 *db = NULL;
	int opt, got, rc = EXIT_FAIL;
	char *end;

	if (!r || !tiers || !rows || !p) {
		cs_error(&cli->diag, "out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			within = strtol(optarg, &end, 10);
			if (*end || end == optarg || within < 0 || within > 3650) {
				rc = cli_usage("renewals: --within is a number of days 0-3650, not '%s'",
					       optarg);
				goto out;
			}
			break;
		case 'f':
			format = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		default:
			rc = cli_usage("renewals: unknown option");
			goto out;
		}
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		rc = cli_usage("renewals: --format is table, csv or json, not '%s'", format);
		goto out;
	}
	if (optind < argc) {
		rc = cli_usage("renewals: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	rn.format = format;
	if (cs_renewals_load(NULL, r, &cli->diag) || cs_tiers_load(NULL, tiers, &cli->diag) ||
	    cli_open_db(cli, &db))
		goto out;
	if (within < 0)
		within = r->windows[r->nwindows - 1];
	if (strcmp(format, "csv")) {
		if (cs_renewal_pipeline(db, r, profile, cli->as_of, (int)within, p, &cli->diag))
			goto out;
		if (!strcmp(format, "json")) {
			printf("{\"as_of\":\"%s\",\"snapshot\":", p->as_of);
			json_str(stdout, p->snapshot[0] ? p->snapshot : NULL);
			printf(",\"within\":%d,\"windows\":[", p->within);
			for (int w = 0; w < p->nwindows; w++) {
				if (w)
					putchar(',');
				json_window(&p->w[w]);
			}
			printf("],\"total\":");
			json_window(&p->total);
			printf(",\"customers\":[");
		} else {
			print_pipeline_text(p);
		}
	}
	do {
		got = cs_renewal_list(db, r, profile, cli->as_of, (int)within, &key, false, rows,
				      PAGE, &cli->diag);
		if (got < 0)
			goto out;
		for (int i = 0; i < got; i++)
			print_row(&rn, &rows[i]);
		if (got)
			key = rows[got - 1].key;
	} while (got == PAGE);
	if (!strcmp(format, "json"))
		printf("]}\n");
	rc = EXIT_OK;
out:
	if (db)
		cs_db_close(db);
	free(r);
	free(tiers);
	free(rows);
	free(p);
	return rc;
}
