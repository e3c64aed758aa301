/*
 * cmd_report.c — casey report weekly, casey export metrics|team, casey
 * purge, and the private file writer every exported document uses.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/report.h"
#include "casey/score.h"
#include "cli.h"


/* ---- casey report weekly ---------------------------------------------------- */

int cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'F' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *profile = CS_DEFAULT_PROFILE;
	struct cs_report_env *env;
	bool force = false;
	char *buf = NULL;
	size_t len = 0;
	sqlite3 *db;
	FILE *mem;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'F':
			force = true;
			break;
		case 'p':
			profile = optarg;
			break;
		default:
			return cli_usage("report: unknown option");
		}
	}
	if (optind >= argc || strcmp(argv[optind], "weekly"))
		return cli_usage("report: the report is 'weekly' (casey report weekly [-o FILE])");
	if (optind + 1 < argc)
		return cli_usage("report: unexpected argument '%s'", argv[optind + 1]);
	if (force && !output)
		return cli_usage("report: --force goes with -o FILE");
	env = cs_report_env_load(profile, &cli->diag);
	if (!env)
		return EXIT_FAIL;
	if (cli_open_db(cli, &db)) {
		cs_report_env_free(env);
		return EXIT_FAIL;
	}
	mem = open_memstream(&buf, &len);
	rc = mem ? cs_report_weekly(db, env, cli->as_of, mem, &cli->diag) :
	     cs_error(&cli->diag, "out of memory");
	if (mem && fclose(mem) && !rc)
		rc = cs_error(&cli->diag, "out of memory");
	cs_db_close(db);
	cs_report_env_free(env);
	if (!rc)
		rc = cli_output(cli, output, force, buf, len);
	free(buf);
	return rc ? EXIT_FAIL : EXIT_OK;
}

/* ---- casey export metrics|team ----------------------------------------------- */

static void num_or_empty(FILE *out, bool known, double v, bool json)
{
	if (known)
		fprintf(out, "%.1f", v);
	else if (json)
		fputs("null", out);
}

static void metrics_csv(const struct cs_metric_export *e)
{
	fputs(cs_dim_names[e->dim], stdout);
	fputs(",customers,arr,average_health,engagement,sentiment,growth,green,yellow,red,"
	      "green_pct,yellow_pct,red_pct\n", stdout);
	for (int i = 0; i < e->n; i++) {
		const struct cs_metric_group *g = &e->groups[i];
		double n = (double)g->customers;

		csv_cell(stdout, g->key);
		printf(",%ld,%.2f,%.1f,", g->customers, g->arr, g->average);
		num_or_empty(stdout, g->has_components, g->engagement, false);
		putchar(',');
		num_or_empty(stdout, g->has_components, g->sentiment, false);
		putchar(',');
		num_or_empty(stdout, g->has_components, g->growth, false);
		printf(",%ld,%ld,%ld,%.1f,%.1f,%.1f\n", g->green, g->yellow, g->red,
		       100.0 * (double)g->green / n, 100.0 * (double)g->yellow / n,
		       100.0 * (double)g->red / n);
	}
}

static void metrics_json(const struct cs_metric_export *e)
{
	printf("{\"as_of\":\"%s\",\"snapshot\":", e->as_of);
	json_str(stdout, e->snapshot[0] ? e->snapshot : NULL);
	printf(",\"profile\":");
	json_str(stdout, e->profile);
	printf(",\"by\":\"%s\",\"groups\":[", cs_dim_names[e->dim]);
	for (int i = 0; i < e->n; i++) {
		const struct cs_metric_group *g = &e->groups[i];
		double n = (double)g->customers;

		printf("%s{\"key\":", i ? "," : "");
		json_str(stdout, g->key);
		printf(",\"customers\":%ld,\"arr\":%.2f,\"average_health\":%.1f,\"engagement\":",
		       g->customers, g->arr, g->average);
		num_or_empty(stdout, g->has_components, g->engagement, true);
		printf(",\"sentiment\":");
		num_or_empty(stdout, g->has_components, g->sentiment, true);
		printf(",\"growth\":");
		num_or_empty(stdout, g->has_components, g->growth, true);
		printf(",\"distribution\":{\"green\":%ld,\"yellow\":%ld,\"red\":%ld,"
		       "\"green_pct\":%.1f,\"yellow_pct\":%.1f,\"red_pct\":%.1f}}", g->green,
		       g->yellow, g->red, 100.0 * (double)g->green / n,
		       100.0 * (double)g->yellow / n, 100.0 * (double)g->red / n);
	}
	printf("]}\n");
}

static double share(long part, long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static void team_csv(const struct cs_team_metrics *t)
{
	int i;

	printf("metric,value\nas_of,%s\nsnapshot,", t->as_of);
	csv_cell(stdout, t->snapshot);
	printf("\ncustomers,%ld\naverage_health,%.1f\ngreen,%ld\nyellow,%ld\nred,%ld\n"
	       "green_pct,%.1f\nyellow_pct,%.1f\nred_pct,%.1f\n", t->customers, t->average,
	       t->green, t->yellow, t->red, share(t->green, t->customers),
	       share(t->yellow, t->customers), share(t->red, t->customers));
	printf("nps,");
	if (t->nps.responses)
		printf("%.1f", t->nps.score);
	printf("\nnps_responses,%ld\ncsat_average,", t->nps.responses);
	if (t->csat.scored)
		printf("%.2f", t->csat.average);
	printf("\ncsat_satisfied_pct,");
	if (t->csat.responses)
		printf("%.1f", t->csat.satisfied_pct);
	printf("\nchurn_rate_pct,");
	if (t->churn_known)
		printf("%.1f", t->churn_pct);
	printf("\nchurned,%ld\nchurn_base,%ld\nchurn_since,%s\n", t->churned, t->churn_base,
	       t->churn_since);
	for (i = 0; i < t->nissues; i++) {
		printf("top_issue_%d_category,", i + 1);
		csv_cell(stdout, t->issues[i].category);
		printf("\ntop_issue_%d_theme,", i + 1);
		csv_cell(stdout, t->issues[i].theme);
		printf("\ntop_issue_%d_tickets,%ld\ntop_issue_%d_customers,%ld\n"
		       "top_issue_%d_arr,%.2f\ntop_issue_%d_owner,", i + 1, t->issues[i].tickets,
		       i + 1, t->issues[i].customers, i + 1, t->issues[i].arr, i + 1);
		csv_cell(stdout, t->issues[i].owner);
		putchar('\n');
	}
	for (i = 0; i < t->nmonths; i++) {
		printf("nps_%s,", t->months[i].label);
		if (t->months[i].nps.responses)
			printf("%.1f", t->months[i].nps.score);
		printf("\nnps_%s_responses,%ld\n", t->months[i].label, t->months[i].nps.responses);
	}
}

static void team_json(const struct cs_team_metrics *t)
{
	int i;

	printf("{\"as_of\":\"%s\",\"snapshot\":", t->as_of);
	json_str(stdout, t->snapshot[0] ? t->snapshot : NULL);
	printf(",\"customers\":%ld,\"average_health\":%.1f,\"distribution\":{\"green\":%ld,"
	       "\"yellow\":%ld,\"red\":%ld,\"green_pct\":%.1f,\"yellow_pct\":%.1f,"
	       "\"red_pct\":%.1f}", t->customers, t->average, t->green, t->yellow, t->red,
	       share(t->green, t->customers), share(t->yellow, t->customers),
	       share(t->red, t->customers));
	printf(",\"nps\":{\"score\":");
	t->nps.responses ? printf("%.1f", t->nps.score) : printf("null");
	printf(",\"responses\":%ld,\"promoters\":%ld,\"passives\":%ld,\"detractors\":%ld}",
	       t->nps.responses, t->nps.promoters, t->nps.passives, t->nps.detractors);
	printf(",\"csat\":{\"average\":");
	t->csat.scored ? printf("%.2f", t->csat.average) : printf("null");
	printf(",\"satisfied_pct\":");
	t->csat.responses ? printf("%.1f", t->csat.satisfied_pct) : printf("null");
	printf(",\"responses\":%ld},\"churn\":{\"rate_pct\":", t->csat.responses);
	t->churn_known ? printf("%.1f", t->churn_pct) : printf("null");
	printf(",\"churned\":%ld,\"base\":%ld,\"since\":", t->churned, t->churn_base);
	json_str(stdout, t->churn_since[0] ? t->churn_since : NULL);
	printf("},\"top_issues\":[");
	for (i = 0; i < t->nissues; i++) {
		printf("%s{\"category\":", i ? "," : "");
		json_str(stdout, t->issues[i].category);
		printf(",\"theme\":");
		json_str(stdout, t->issues[i].theme);
		printf(",\"tickets\":%ld,\"customers\":%ld,\"arr\":%.2f,\"owner\":",
		       t->issues[i].tickets, t->issues[i].customers, t->issues[i].arr);
		json_str(stdout, t->issues[i].owner);
		putchar('}');
	}
	printf("],\"nps_trend\":[");
	for (i = 0; i < t->nmonths; i++) {
		printf("%s{\"month\":\"%s\",\"nps\":", i ? "," : "", t->months[i].label);
		t->months[i].nps.responses ? printf("%.1f", t->months[i].nps.score) : printf("null");
		printf(",\"responses\":%ld}", t->months[i].nps.responses);
	}
	printf("]}\n");
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "by", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *by = NULL, *format = "csv", *profile = CS_DEFAULT_PROFILE, *what;
	struct cs_report_env *env;
	sqlite3 *db;
	int opt, rc, dim = -1;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			by = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'p':
			profile = optarg;
			break;
		default:
			return cli_usage("export: unknown option");
		}
	}
	if (optind + 1 != argc)
		return cli_usage("export: give what: metrics --by DIMENSION, or team");
	what = argv[optind];
	if (strcmp(what, "metrics") && strcmp(what, "team"))
		return cli_usage("export: '%s' is not metrics or team", what);
	if (strcmp(format, "csv") && strcmp(format, "json"))
		return cli_usage("export: --format is csv or json, not '%s'", format);
	if (!strcmp(what, "metrics")) {
		if (!by)
			return cli_usage("export metrics: give --by segment|plan|tenure|arr_tier|tier");
		if ((dim = cs_dim_find(by)) < 0)
			return cli_usage("export metrics: --by is segment, plan, tenure, arr_tier or "
					 "tier, not '%s'", by);
	} else if (by) {
		return cli_usage("export team: --by goes with metrics");
	}
	env = cs_report_env_load(profile, &cli->diag);
	if (!env)
		return EXIT_FAIL;
	if (cli_open_db(cli, &db)) {
		cs_report_env_free(env);
		return EXIT_FAIL;
	}
	if (dim >= 0) {
		struct cs_metric_export e;

		rc = cs_export_metrics(db, env, (enum cs_dim)dim, cli->as_of, &e, &cli->diag);
		if (!rc) {
			if (!strcmp(format, "csv"))
				metrics_csv(&e);
			else
				metrics_json(&e);
			cs_metric_export_free(&e);
		}
	} else {
		struct cs_team_metrics *t = malloc(sizeof(*t));

		rc = t ? cs_export_team(db, env, cli->as_of, t, &cli->diag) :
		     cs_error(&cli->diag, "out of memory");
		if (!rc) {
			if (!strcmp(format, "csv"))
				team_csv(t);
			else
				team_json(t);
		}
		free(t);
	}
	cs_db_close(db);
	cs_report_env_free(env);
	if (!rc && fflush(stdout))
		rc = cs_error(&cli->diag, "writing the export: %s", strerror(errno));
	return rc ? EXIT_FAIL : EXIT_OK;
}

/* ---- casey purge ---------------------------------------------------------------- */

int cmd_purge(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "older-than", required_argument, NULL, 'o' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *older = NULL;
	struct cs_report_env *env;
	struct cs_purge_result r;
	bool dry = false;
	long days = 0;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			older = optarg;
			break;
		case 'n':
			dry = true;
			break;
		default:
			return cli_usage("purge: unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("purge: unexpected argument '%s'", argv[optind]);
	if (older) {
		char *end;

		days = strtol(older, &end, 10);
		if (end == older || (*end && strcmp(end, "d")) || days < 1 || days > 100000)
			return cli_usage("purge: --older-than is a number of days, like 365d, not "
					 "'%s'", older);
	}
	env = cs_report_env_load(CS_DEFAULT_PROFILE, &cli->diag);
	if (!env)
		return EXIT_FAIL;
	if (!older)
		days = env->casey.retention_days;
	if (cli_open_db(cli, &db)) {
		cs_report_env_free(env);
		return EXIT_FAIL;
	}
	rc = cs_purge(db, env, cli->as_of, (int)days, dry, &r, &cli->diag);
	cs_db_close(db);
	cs_report_env_free(env);
	if (rc)
		return EXIT_FAIL;
	printf("%s events dated before %s (older than %ldd as of the --as-of day, up to a month "
	       "boundary):\n", dry ? "would purge" : "purged", r.cutoff, days);
	printf("  %ld tickets, %ld NPS answers, %ld CSAT answers, %ld outreach rows, %ld usage "
	       "rows, %ld closed actions\n", r.tickets, r.nps, r.csat, r.outreach, r.usage,
	       r.actions);
	printf("  %ld monthly aggregate rows %s; score snapshots and customers kept\n", r.months,
	       dry ? "would be written" : "written");
	return EXIT_OK;
}

static double mib(long long bytes)
{
	return (double)bytes / (1024.0 * 1024.0);
}

int cmd_compact(struct cli *cli, int argc, char **argv)
{
	struct cs_db_compact r;
	sqlite3 *db;
	int rc;

	(void)argv;
	if (argc > 1)
		return cli_usage("compact takes no arguments");
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_db_compact(db, cli->db_path, &r, &cli->diag);
	cs_db_close(db);
	if (rc)
		return EXIT_FAIL;
	printf("%s: %ld-byte pages -> %ld-byte pages, %.1f MiB -> %.1f MiB "
	       "(%ld free pages given back)\n", cli->db_path, r.page_size_before,
	       r.page_size_after, mib(r.bytes_before), mib(r.bytes_after), r.free_pages_before);
	return EXIT_OK;
}
