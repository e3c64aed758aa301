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
#include "casey/lists.h"
#include "casey/signals.h"
#include "casey/snapshot.h"
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
/* casey segments                                                       */

static void print_segment_row(const struct cs_signals_config *c, const char *format,
			      const struct cs_list_row *r, const struct cs_behaviour_inputs *in,
			      int n)
{
	char arr[32], nps[8] = "";

	if (in->nps_known)
		snprintf(nps, sizeof(nps), "%d", in->nps);
	if (!strcmp(format, "json")) {
		printf("%s{\"customer_id\":", n ? ",\n" : "");
		json_str(stdout, r->customer_id);
		printf(",\"name\":");
		json_str(stdout, r->name);
		if (r->arr_known)
			printf(",\"arr\":%.2f", r->arr);
		else
			printf(",\"arr\":null");
		printf(",\"health\":%d,\"band\":\"%s\",\"nps\":%s,\"nps_date\":", r->score,
		       r->band, in->nps_known ? nps : "null");
		json_str(stdout, in->nps_known ? in->nps_date : NULL);
		putchar('}');
		return;
	}
	if (!strcmp(format, "csv")) {
		if (!n)
			printf("customer_id,name,arr,health,band,nps,nps_date\n");
		csv_cell(stdout, r->customer_id);
		putchar(',');
		csv_cell(stdout, r->name);
		putchar(',');
		if (r->arr_known)
			printf("%.2f", r->arr);
		printf(",%d,%s,%s,%s\n", r->score, r->band, nps, in->nps_known ? in->nps_date : "");
		return;
	}
	(void)c;
	if (!n)
		printf("%-10s %-32s %10s %6s %3s  %s\n", "ID", "NAME", "ARR", "HEALTH", "NPS",
		       "ANSWERED");
	if (r->arr_known)
		snprintf(arr, sizeof(arr), "%.0f", r->arr);
	else
		snprintf(arr, sizeof(arr), "unknown");
	term_safe_width(stdout, r->customer_id, 10);
	putchar(' ');
	term_safe_width(stdout, r->name, 32);
	printf(" %10s %6d %3s  %s\n", arr, r->score, in->nps_known ? nps : "-",
	       in->nps_known ? in->nps_date : "-");
}

/* The customers of one segment, by ARR, through the customer list's filter. */
static int list_segment(struct cli *cli, sqlite3 *db, const struct cs_signals_config *c,
			int seg, const char *format)
{
	struct cs_list_query q = { .profile = c->profile, .as_of = cli->as_of,
				   .sort = CS_SORT_ARR, .signals = c,
				   .behaviour = cs_behaviour_names[seg] };
	struct cs_list_row *rows = malloc(PAGE * sizeof(*rows));
	struct cs_list_key key = { .set = false };
	struct cs_behaviour_inputs in;
	enum cs_behaviour b;
	int got, shown = 0;
	bool found;

	if (!rows)
		return cs_error(&cli->diag, "out of memory");
	if (!strcmp(format, "json"))
		printf("[");
	do {
		got = cs_list_customers(db, &q, &key, false, rows, PAGE, &cli->diag);
		for (int i = 0; i < got; i++) {
			if (cs_behaviour_get(db, c, rows[i].customer_id, cli->as_of, &in, &b, &found,
					     &cli->diag)) {
				free(rows);
				return -1;
			}
			print_segment_row(c, format, &rows[i], &in, shown++);
		}
		if (got > 0)
			key = rows[got - 1].key;
	} while (got == PAGE);
	if (!strcmp(format, "json"))
		printf("]\n");
	free(rows);
	return got < 0 ? -1 : 0;
}

int cmd_segments(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "segment", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_signals_config *c = malloc(sizeof(*c));
	const char *format = "table";
	long counts[CS_BEH_N], total = 0;
	double arr[CS_BEH_N];
	sqlite3 *db = NULL;
	int opt, rc = EXIT_FAIL, seg = -1;

	if (!c) {
		cs_error(&cli->diag, "out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if ((seg = cs_behaviour_find(optarg)) < 0) {
				rc = cli_usage("segments: --segment is champion, loyalist, at-risk, "
					       "detractor or none, not '%s'", optarg);
				goto out;
			}
			break;
		case 'f':
			format = optarg;
			break;
		default:
			rc = cli_usage("segments: unknown option");
			goto out;
		}
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		rc = cli_usage("segments: --format is table, csv or json, not '%s'", format);
		goto out;
	}
	if (optind < argc) {
		rc = cli_usage("segments: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cs_signals_config_load(NULL, c, &cli->diag) || cli_open_db(cli, &db))
		goto out;
	if (seg >= 0) {
		if (!list_segment(cli, db, c, seg, format))
			rc = EXIT_OK;
		goto out;
	}
	if (cs_behaviour_counts(db, c, cli->as_of, counts, arr, &cli->diag))
		goto out;
	for (int i = 0; i < CS_BEH_N; i++)
		total += counts[i];
	for (int i = 0; i < CS_BEH_N; i++) {
		double pct = total ? 100.0 * (double)counts[i] / (double)total : 0;

		if (!strcmp(format, "json")) {
			printf("%s{\"segment\":\"%s\",\"label\":\"%s\",\"customers\":%ld,"
			       "\"pct\":%.1f,\"arr\":%.2f,\"action\":", i ? "," : "[",
			       cs_behaviour_names[i], cs_behaviour_labels[i], counts[i], pct, arr[i]);
			json_str(stdout, c->action[i]);
			putchar('}');
		} else if (!strcmp(format, "csv")) {
			if (!i)
				printf("segment,label,customers,pct,arr,action\n");
			printf("%s,%s,%ld,%.1f,%.2f,", cs_behaviour_names[i], cs_behaviour_labels[i],
			       counts[i], pct, arr[i]);
			csv_cell(stdout, c->action[i]);
			putchar('\n');
		} else {
			if (!i)
				printf("%-12s %9s %6s %12s  %s\n", "SEGMENT", "CUSTOMERS", "%", "ARR",
				       "ACTION");
			printf("%-12s %9ld %5.1f%% %12.0f  ", cs_behaviour_labels[i], counts[i], pct,
			       arr[i]);
			term_safe(stdout, c->action[i]);
			putchar('\n');
		}
	}
	if (!strcmp(format, "json"))
		printf("]\n");
	rc = EXIT_OK;
out:
	if (db)
		cs_db_close(db);
	free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* casey expansion                                                      */

static void expansion_row(const char *format, const struct cs_expansion_row *r, int n)
{
	const struct cs_expansion *x = &r->x;
	char arr[32], est[32];

	if (!strcmp(format, "json")) {
		printf("%s{\"customer_id\":", n ? ",\n" : "");
		json_str(stdout, r->customer_id);
		printf(",\"name\":");
		json_str(stdout, r->name);
		r->arr_known ? printf(",\"arr\":%.2f", r->arr) : printf(",\"arr\":null");
		printf(",\"health\":%d,\"band\":\"%s\",\"active_users\":%ld,\"seats\":%ld,"
		       "\"utilisation_pct\":%d,\"promoter\":%s,\"rising\":%s,\"extra_seats\":%ld,",
		       r->in.health, r->band, r->in.users, r->in.seats, x->util_pct,
		       x->promoter ? "true" : "false", x->rising ? "true" : "false", x->extra_seats);
		x->estimate_known ? printf("\"estimated_arr\":%.2f", x->estimate) :
				    printf("\"estimated_arr\":null");
		printf(",\"reason\":");
		json_str(stdout, x->reason);
		printf(",\"action\":");
		json_str(stdout, x->action);
		putchar('}');
		return;
	}
	if (!strcmp(format, "csv")) {
		if (!n)
			printf("customer_id,name,arr,health,active_users,seats,utilisation_pct,promoter,"
			       "rising,extra_seats,estimated_arr,reason,action\n");
		csv_cell(stdout, r->customer_id);
		putchar(',');
		csv_cell(stdout, r->name);
		putchar(',');
		if (r->arr_known)
			printf("%.2f", r->arr);
		printf(",%d,%ld,%ld,%d,%s,%s,%ld,", r->in.health, r->in.users, r->in.seats,
		       x->util_pct, x->promoter ? "yes" : "no", x->rising ? "yes" : "no",
		       x->extra_seats);
		if (x->estimate_known)
			printf("%.2f", x->estimate);
		putchar(',');
		csv_cell(stdout, x->reason);
		putchar(',');
		csv_cell(stdout, x->action);
		putchar('\n');
		return;
	}
	if (!n)
		printf("%-10s %-26s %9s %6s %9s %9s  %s\n", "ID", "NAME", "ARR", "HEALTH", "SEATS",
		       "EST. ARR", "WHY");
	snprintf(arr, sizeof(arr), r->arr_known ? "%.0f" : "unknown", r->arr);
	if (x->estimate_known)
		snprintf(est, sizeof(est), "+%.0f", x->estimate);
	else
		snprintf(est, sizeof(est), "unknown");
	term_safe_width(stdout, r->customer_id, 10);
	putchar(' ');
	term_safe_width(stdout, r->name, 26);
	printf(" %9s %6d %4ld/%-4ld %9s  ", arr, r->in.health, r->in.users, r->in.seats, est);
	term_safe(stdout, x->reason);
	putchar('\n');
}

int cmd_expansion(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_signals_config *c = malloc(sizeof(*c));
	struct cs_expansion_row *rows = malloc(PAGE * sizeof(*rows));
	struct cs_signal_key key = { .set = false };
	const char *format = "table";
	long limit = 0, shown = 0;
	sqlite3 *db = NULL;
	int opt, rc = EXIT_FAIL, got;
	char *end;

	if (!c || !rows) {
		cs_error(&cli->diag, "out of memory");
		goto out;
	}
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'f') {
			format = optarg;
		} else if (opt == 'l') {
			limit = strtol(optarg, &end, 10);
			if (!*optarg || *end || limit < 0) {
				rc = cli_usage("expansion: --limit is a whole number, not '%s'", optarg);
				goto out;
			}
		} else {
			rc = cli_usage("expansion: unknown option");
			goto out;
		}
	}
	if (strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "json")) {
		rc = cli_usage("expansion: --format is table, csv or json, not '%s'", format);
		goto out;
	}
	if (optind < argc) {
		rc = cli_usage("expansion: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cs_signals_config_load(NULL, c, &cli->diag) || cli_open_db(cli, &db))
		goto out;
	if (!strcmp(format, "json"))
		printf("[");
	do {
		got = cs_expansion_list(db, c, cli->as_of, &key, rows, PAGE, &cli->diag);
		if (got < 0)
			goto out;
		for (int i = 0; i < got && (!limit || shown < limit); i++, shown++)
			expansion_row(format, &rows[i], (int)shown);
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
	struct cs_behaviour_inputs in;
	struct cs_expansion_inputs xin;
	struct cs_expansion x;
	enum cs_behaviour b;
	char what[96];
	bool found;
	int rc = -1;

	if (!c)
		return cs_error(&cli->diag, "out of memory");
	if (cs_signals_config_load(NULL, c, &cli->diag) ||
	    cs_churn_get(db, c, id, cli->as_of, &f, &ch, &found, &cli->diag) || !found ||
	    cs_behaviour_get(db, c, id, cli->as_of, &in, &b, &found, &cli->diag) || !found ||
	    cs_expansion_get(db, c, id, cli->as_of, &xin, &x, &found, &cli->diag) || !found)
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
		printf("},\"behaviour\":{\"segment\":\"%s\",\"label\":\"%s\",\"nps\":",
		       cs_behaviour_names[b], cs_behaviour_labels[b]);
		in.nps_known ? printf("%d", in.nps) : printf("null");
		printf(",\"action\":");
		json_str(stdout, c->action[b]);
		printf("},\"expansion\":{\"opportunity\":%s,\"reason\":",
		       x.eligible ? "true" : "false");
		json_str(stdout, x.reason);
		if (x.eligible) {
			printf(",\"extra_seats\":%ld,\"estimated_arr\":", x.extra_seats);
			x.estimate_known ? printf("%.2f", x.estimate) : printf("null");
			printf(",\"action\":");
			json_str(stdout, x.action);
		}
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
		printf("\nSegment %s (health %d, ", cs_behaviour_labels[b], in.health);
		if (in.nps_known)
			printf("NPS %d on %s)\n", in.nps, in.nps_date);
		else
			printf("no NPS answer in %d days)\n", c->nps_days);
		printf("  Action: ");
		term_safe(stdout, c->action[b]);
		putchar('\n');
		printf("\nExpansion: %s (", x.eligible ? "an opportunity" : "no opportunity");
		term_safe(stdout, x.reason);
		printf(")\n");
		if (x.eligible) {
			if (x.estimate_known)
				printf("  Estimate: +%ld seats at %.2f = +%.2f ARR\n", x.extra_seats,
				       x.seat_price, x.estimate);
			else
				printf("  Estimate: +%ld seats (ARR unknown)\n", x.extra_seats);
			printf("  Action: ");
			term_safe(stdout, x.action);
			putchar('\n');
		}
	}
	rc = 0;
out:
	free(c);
	return rc;
}
