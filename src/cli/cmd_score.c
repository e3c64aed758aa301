/* cmd_score.c — casey score, casey explain, casey customers. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "casey/aside.h"
#include "casey/db.h"
#include "casey/figures.h"
#include "casey/metrics.h"
#include "casey/plans.h"
#include "casey/profile.h"
#include "casey/renewals.h"
#include "casey/reviews.h"
#include "casey/rules.h"
#include "casey/score.h"
#include "casey/snapshot.h"
#include "casey/tickets.h"
#include "casey/tiers.h"
#include "casey/value.h"
#include "cli.h"

/* Days between weekly re-scores with --from/--to. */
#define HISTORY_STEP 7

struct rules_run {
	sqlite3 *db;
	struct cs_diag *diag;
	const struct cs_rules *rules;
	const struct cs_tickets_config *tickets;
	const struct cs_profile *profile;
	struct cs_action_store *store;
	int32_t as_of;
	const struct cs_tiers *tiers;
	struct cs_tier_sum tier_risk[CS_TIERS_MAX + 1];	/* the at-risk by tier (tiers.h) */
};

/*
 * Every configuration file a scoring run reads, loaded and checked before
 * the database is opened: a broken file is refused (FILE:LINE) with
 * nothing written, never halfway through a run.
 */
struct run_config {
	struct cs_profile *profile;
	struct cs_rules *rules;
	struct cs_tickets_config *tickets;
	struct cs_tiers *tiers;		/* review cadences (reviews.h) */
	struct cs_renewals *renewals;	/* the renewal timeline (renewals.h) */
	/*
	 * assets/plans.ini: the run raises milestone and review actions that
	 * are worked through `casey plan` and `casey review`, which need it;
	 * checked here so a broken file is found by the run that points there.
	 */
	struct cs_plans_def *plans;
};

static void run_config_free(struct run_config *c)
{
	free(c->profile);
	free(c->rules);
	cs_tickets_config_free(c->tickets);
	free(c->tiers);
	free(c->renewals);
	free(c->plans);
}

/* Load everything a run of profile needs; 0, or -1 after reporting. */
static int run_config_load(struct run_config *c, const char *profile, struct cs_diag *diag)
{
	memset(c, 0, sizeof(*c));
	c->profile = malloc(sizeof(*c->profile));
	c->rules = malloc(sizeof(*c->rules));
	c->tiers = malloc(sizeof(*c->tiers));
	c->plans = malloc(sizeof(*c->plans));
	c->renewals = malloc(sizeof(*c->renewals));
	if (!c->profile || !c->rules || !c->tiers || !c->plans || !c->renewals)
		return cs_error(diag, "out of memory");
	return cs_profile_load(profile, c->profile, diag) ||
	       cs_rules_load("rules", c->rules, diag) ||
	       cs_renewals_load(NULL, c->renewals, diag) ||
	       cs_tickets_config_load(NULL, &c->tickets, diag) ||
	       cs_tiers_load(NULL, c->tiers, diag) ||
	       cs_plans_def_load(NULL, c->plans, diag) ? -1 : 0;
}

/* With CASEY_TIMING set, each phase's wall time goes to stderr. */
static double phase_start;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void phase(const char *name)
{
	double t = now_s();

	if (name && getenv("CASEY_TIMING"))
		fprintf(stderr, "timing: %-24s %8.1f ms\n", name, 1000 * (t - phase_start));
	phase_start = t;
}

/*
 * The open actions are loaded (about 2 s at a million) while the metrics
 * reader starts, inside the scoring run's transaction (score.h).
 */
static int open_action_store(void *ctx)
{
	struct rules_run *rr = ctx;

	rr->store = cs_action_store_open(rr->db, rr->as_of, rr->diag);
	return rr->store ? 0 : -1;
}

/*
 * The customer rules, worked out on the metrics reader's thread (score.h):
 * their texts are most of their cost. raise_customer_actions stores them.
 */
static int prepare_customer_actions(void *ctx, const struct cs_customer_metrics *cm,
				    const struct cs_score *s, bool has_delta30, int delta30,
				    void *work)
{
	const struct rules_run *rr = ctx;
	struct cs_action_list *list = work;
	struct cs_rule_customer in = { .cm = cm, .profile = rr->profile, .score = s,
				       .has_delta30 = has_delta30, .delta30 = delta30 };

	list->n = 0;
	return cs_rules_customer(rr->rules, &in, rr->as_of, cs_action_list_add, list);
}

static int raise_customer_actions(void *ctx, const struct cs_customer_metrics *cm,
				  const struct cs_score *s, bool has_delta30, int delta30,
				  void *work)
{
	struct rules_run *rr = ctx;
	struct cs_action_list *list = work;
	int i, rc;

	if (cs_is_at_risk(s->band, has_delta30, delta30))
		cs_tier_sums_add(rr->tiers, rr->tier_risk, cm->segment, !isnan(cm->arr), cm->arr);
	for (i = 0; i < list->n; i++) {
		/* They point at the metrics where they were made: here, the same slot. */
		list->a[i].customer_id = cm->customer_id;
		list->a[i].name = cm->name;
		if ((rc = cs_action_store_known(rr->store, &list->a[i], list->content[i])))
			return rc;
	}
	return 0;
}

/*
 * After the scores a run works on one thread while the other core idles.
 * Two of its steps only read, and read nothing the run writes after the
 * scores: the overdue business reviews and the day's figures. They are
 * worked out there, on a connection of their own (aside.h), beside the
 * actions, and stored when they are needed.
 */
struct run_aside {
	const struct run_config *cfg;
	int32_t day;
	struct cs_reviews_due *reviews;
	struct cs_figures_run *figures;
};

static int find_reviews(sqlite3 *db, void *ctx, struct cs_diag *diag)
{
	struct run_aside *ra = ctx;

	return cs_reviews_due_find(db, ra->cfg->tiers, ra->day, &ra->reviews, diag);
}

static int prepare_figures(sqlite3 *db, void *ctx, struct cs_diag *diag)
{
	struct run_aside *ra = ctx;

	return cs_figures_prepare(db, ra->cfg->profile->name, ra->day, &ra->figures, diag);
}

/*
 * The last date of a run also gets its rules: the ticket categories are
 * brought up to date, customer rules fire during scoring, then the theme,
 * bug and adoption rules; open actions that no longer fire are cleared.
 */
static int score_with_rules(struct cli *cli, sqlite3 *db, const struct run_config *cfg,
			    int32_t day, struct cs_score_stats *st, long *nactions)
{
	struct rules_run rr = { .db = db, .diag = &cli->diag, .rules = cfg->rules,
				.profile = cfg->profile, .as_of = day, .tiers = cfg->tiers };
	long plans = 0, nrenewals = 0, nreviews = 0;
	struct cs_ticket_observer obs;
	struct cs_score_hooks hooks = { .begin = open_action_store,
					.prepare = prepare_customer_actions,
					.work_size = sizeof(struct cs_action_list),
					.on_scored = raise_customer_actions, .ctx = &rr, .obs = &obs };
	struct run_aside ra = { .cfg = cfg, .day = day };
	struct cs_aside *aside = NULL;
	struct cs_theme_acc *themes;
	int rc;

	phase(NULL);
	/* Newly imported tickets get their categories; the rest keep theirs. */
	if (cs_tickets_ensure(db, cfg->tickets, &cli->diag) < 0)
		return -1;
	phase("ticket categories");
	if (!(themes = cs_theme_acc_new(cfg->rules, day)))
		return cs_error(&cli->diag, "out of memory");
	/* The scoring pass also counts the tickets' themes for their rules. */
	obs.from = cs_theme_acc_from(themes);
	obs.on_ticket = cs_theme_acc_add;
	obs.ctx = themes;
	rc = cs_score_run(db, cfg->profile, day, st, &hooks, &cli->diag);
	phase("scores + customer rules");
	/* the reviews that came due, read beside the theme rules and renewals */
	if (!rc && !(aside = cs_aside_start(db, find_reviews, &ra, &cli->diag)))
		rc = -1;
	if (!rc && cs_db_begin(db, &cli->diag))
		rc = -1;
	if (!rc && cs_rules_themes_acc(db, themes, cs_action_store, rr.store, &cli->diag))
		rc = -1;
	cs_theme_acc_free(themes);
	phase("theme/adoption rules");
	/* The renewal timeline's due steps (renewals.c), before the clearing. */
	if (!rc && cs_renewals_raise(db, cfg->renewals, day, &nrenewals, &cli->diag))
		rc = -1;
	phase("renewal steps");
	/* overdue success-plan milestones and business reviews (plans.h, reviews.h) */
	if (!rc && (plans = cs_plans_raise_actions(db, day, &cli->diag)) < 0)
		rc = -1;
	if (aside && cs_aside_finish(aside, &cli->diag))
		rc = -1;
	aside = NULL;
	if (!rc && (nreviews = cs_reviews_due_raise(db, ra.reviews, &cli->diag)) < 0)
		rc = -1;
	cs_reviews_due_free(ra.reviews);
	phase("plans and reviews");
	/*
	 * The run's figures, for the summary, dashboard and reports, read
	 * beside the clearing: from what the pipeline committed (or, with one
	 * thread, inside this transaction, which has written only actions).
	 */
	if (!rc && !(aside = cs_aside_start(db, prepare_figures, &ra, &cli->diag)))
		rc = -1;
	/* Only a run that got through raised everything that still fires. */
	if (rc) {
		cs_action_store_discard(rr.store);
		*nactions = -1;
	} else if ((*nactions = cs_action_store_close(rr.store)) >= 0) {
		*nactions += plans + nreviews + nrenewals;
	}
	phase("clearing old actions");
	if (!rc && *nactions < 0)
		rc = -1;
	if (aside && cs_aside_finish(aside, &cli->diag))
		rc = -1;
	if (!rc && (cs_figures_put(db, ra.figures, &cli->diag) ||
		    cs_tiers_at_risk_store(db, cfg->tiers, cfg->profile->name, day,
					   rr.tier_risk, &cli->diag)))
		rc = -1;
	cs_figures_run_free(ra.figures);
	phase("the day's figures");
	if (!sqlite3_get_autocommit(db)) {
		if (rc)
			cs_db_rollback(db);
		else
			rc = cs_db_commit(db, &cli->diag);
	}
	phase("commit");
	return rc;
}

int cmd_score(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *profile = CS_DEFAULT_PROFILE;
	int32_t from = 0, to = 0, day;
	bool history = false;
	struct run_config cfg;
	struct cs_score_stats st;
	sqlite3 *db;
	long nactions = -1;
	int opt, rc = EXIT_OK;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			profile = optarg;
			break;
		case 'f':
		case 't':
			if (cs_parse_day(optarg, opt == 'f' ? &from : &to))
				return cli_usage("score: --%s '%s' is not a date (YYYY-MM-DD)",
						 opt == 'f' ? "from" : "to", optarg);
			history = true;
			break;
		default:
			return cli_usage("score: unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("score: unexpected argument '%s'", argv[optind]);
	if (history && (!from || !to))
		return cli_usage("score: --from and --to go together");
	if (history && from > to)
		return cli_usage("score: --from is after --to");
	if (!history)
		from = to = cli->as_of;
	/* The configuration is checked before the database is touched. */
	if (run_config_load(&cfg, profile, &cli->diag) || cli_open_db(cli, &db)) {
		run_config_free(&cfg);
		return EXIT_FAIL;
	}
	/* History runs oldest first, so each date's trend sees the one before. */
	for (day = from; day <= to; day += HISTORY_STEP) {
		char d[11];

		if (history && day + HISTORY_STEP > to && day != to)
			day = to;	/* always end on --to */
		cs_format_day(day, d);
		if (cs_figures_forget_run(db, cfg.profile->name, day, &cli->diag) ||	/* figures.h */
		    (day == to ? score_with_rules(cli, db, &cfg, day, &st, &nactions) :
		     cs_score_run(db, cfg.profile, day, &st, NULL, &cli->diag))) {
			rc = EXIT_FAIL;
			break;
		}
		printf("%s: %s v%s: %ld customers scored: %ld green, %ld yellow, %ld red; "
		       "average %.1f\n", d, cfg.profile->name, cfg.profile->version, st.scored,
		       st.green, st.yellow, st.red, st.average);
	}
	if (rc == EXIT_OK)
		printf("%ld actions raised or refreshed; see 'casey actions'\n", nactions);
	cs_db_close(db);
	run_config_free(&cfg);
	return rc;
}

static void print_raw(double raw, bool present)
{
	if (!present)
		printf("%-10s", "missing");
	else if (raw == floor(raw) && fabs(raw) < 1e9)
		printf("%-10.0f", raw);
	else
		printf("%-10.4g", raw);
}

static const struct cs_measure *profile_measure(const struct cs_profile *p,
						const char *comp, const char *name)
{
	int i;

	for (i = 0; p && i < p->nmeasures; i++)
		if (!strcmp(p->measures[i].name, name) &&
		    !strcmp(p->comps[p->measures[i].component].name, comp))
			return &p->measures[i];
	return NULL;
}

static void policy(const struct cs_measure *m, char *buf, size_t size)
{
	if (!m)
		snprintf(buf, size, "?");
	else if (m->exclude_missing)
		snprintf(buf, size, "exclude");
	else
		snprintf(buf, size, "points %g", m->missing_points);
}

static void explain_json(const char *id, const char *name, const struct cs_snapshot *s,
			 const struct cs_snapshot *prev, bool has_prev,
			 const struct cs_profile *p)
{
	char pol[32];
	int i;

	printf("{\"customer_id\":");
	json_str(stdout, id);
	printf(",\"name\":");
	json_str(stdout, name);
	printf(",\"as_of\":\"%s\",\"profile\":", s->as_of);
	json_str(stdout, s->profile);
	printf(",\"profile_version\":");
	json_str(stdout, s->version);
	printf(",\"score\":%d,\"band\":\"%s\",\"coverage\":%.1f,\"trend\":\"%s\","
	       "\"drop20\":%s,\"components\":[", s->score, s->band, s->coverage, s->trend,
	       s->drop20 ? "true" : "false");
	for (i = 0; i < s->ncomps; i++) {
		printf("%s{\"name\":", i ? "," : "");
		json_str(stdout, s->comps[i].name);
		if (s->comps[i].excluded)
			printf(",\"points\":null,\"weight\":0}");
		else
			printf(",\"points\":%.4f,\"weight\":%.4f}", s->comps[i].points,
			       s->comps[i].weight);
	}
	printf("],\"measures\":[");
	for (i = 0; i < s->nmeasures; i++) {
		policy(profile_measure(p, s->measures[i].comp, s->measures[i].name), pol,
		       sizeof(pol));
		printf("%s{\"component\":", i ? "," : "");
		json_str(stdout, s->measures[i].comp);
		printf(",\"measure\":");
		json_str(stdout, s->measures[i].name);
		if (s->measures[i].present)
			printf(",\"raw\":%.6g", s->measures[i].raw);
		else
			printf(",\"raw\":null");
		if (s->measures[i].excluded)
			printf(",\"points\":null");
		else
			printf(",\"points\":%.4f", s->measures[i].points);
		printf(",\"weight\":%.4f,\"contribution\":%.4f,\"missing_policy\":\"%s\"}",
		       s->measures[i].weight, s->measures[i].contribution, pol);
	}
	printf("]");
	if (has_prev)
		printf(",\"previous\":{\"as_of\":\"%s\",\"score\":%d}", prev->as_of, prev->score);
}

int cmd_explain(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *profile = CS_DEFAULT_PROFILE, *format = "text", *id;
	struct cs_snapshot *s = malloc(2 * sizeof(*s)), *prev;
	struct cs_profile *p = malloc(sizeof(*p));
	struct captured_name { char name[256]; } nm = { "" };
	bool found, has_prev;
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	double total = 0;
	int opt, i, rc = EXIT_FAIL;

	if (!s || !p)
		goto out;
	prev = s + 1;
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'p')
			profile = optarg;
		else if (opt == 'f')
			format = optarg;
		else {
			rc = cli_usage("explain: unknown option");
			goto out;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		rc = cli_usage("explain: --format is text or json, not '%s'", format);
		goto out;
	}
	if (optind + 1 != argc) {
		rc = cli_usage("explain: give one CUSTOMER_ID");
		goto out;
	}
	id = argv[optind];
	/* The current profile only names the missing-data policies. */
	{
		struct cs_diag quiet = { 0 };

		if (cs_profile_load(profile, p, &quiet)) {
			free(p);
			p = NULL;
		}
	}
	if (cli_open_db(cli, &db))
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT name FROM customers WHERE customer_id = ?1",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(nm.name, sizeof(nm.name), "%s", sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	if (!nm.name[0]) {
		cs_error(&cli->diag, "no customer '%s'", id);
		goto out;
	}
	if (cs_snapshot_get(db, profile, id, cli->as_of, s, &found, prev, &has_prev,
			    &cli->diag))
		goto out;
	if (!found) {
		char day[11];

		cs_format_day(cli->as_of, day);
		cs_error(&cli->diag, "%s has no '%s' score on or before %s; run 'casey score'",
			 id, profile, day);
		goto out;
	}
	rc = EXIT_OK;
	if (!strcmp(format, "json")) {
		explain_json(id, nm.name, s, prev, has_prev, p);
		if (explain_signals(cli, db, id, true))
			rc = EXIT_FAIL;
		printf("}\n");
		goto out;
	}
	term_safe(stdout, nm.name);
	printf(" (");
	term_safe(stdout, id);
	printf(") as of %s, profile %s v%s\n", s->as_of, s->profile, s->version);
	printf("Health %d, %s; coverage %.0f%%; trend %s", s->score, s->band, s->coverage,
	       s->trend);
	if (s->has_delta30)
		printf(" (%+d in 30 days%s)", s->delta30, s->drop20 ? ", a drop of 20+" : "");
	printf("\n\n%-12s %-20s %-10s %7s %7s %8s  %s\n", "component", "measure", "raw",
	       "points", "weight", "adds", "when missing");
	for (i = 0; i < s->ncomps; i++) {
		if (s->comps[i].excluded) {
			printf("%-12s %-20s %-10s %7s %6.1f%% %8s\n", s->comps[i].name, "",
			       "", "-", 0.0, "-");
			continue;
		}
		printf("%-12s %-20s %-10s %7.1f %6.1f%% %8.2f\n", s->comps[i].name, "", "",
		       s->comps[i].points, 100 * s->comps[i].weight,
		       s->comps[i].points * s->comps[i].weight);
		for (int m = 0; m < s->nmeasures; m++) {
			char pol[32];

			if (strcmp(s->measures[m].comp, s->comps[i].name))
				continue;
			policy(profile_measure(p, s->measures[m].comp, s->measures[m].name),
			       pol, sizeof(pol));
			printf("%-12s %-20s ", "", s->measures[m].name);
			print_raw(s->measures[m].raw, s->measures[m].present);
			if (s->measures[m].excluded)
				printf(" %7s %7s %8s  %s (excluded)\n", "-", "-", "-", pol);
			else
				printf(" %7.1f %6.1f%% %8.2f  %s%s\n", s->measures[m].points,
				       100 * s->measures[m].weight, s->measures[m].contribution,
				       pol, s->measures[m].present ? "" : " (applied)");
			total += s->measures[m].contribution;
		}
	}
	printf("%-12s %-20s %-10s %7s %7s %8.2f  rounds to %d\n", "total", "", "", "", "",
	       total, s->score);
	if (has_prev) {
		printf("\nChange since %s: %d -> %d (%+d)\n", prev->as_of, prev->score,
		       s->score, s->score - prev->score);
		for (int m = 0; m < s->nmeasures; m++) {
			for (int k = 0; k < prev->nmeasures; k++) {
				double d;

				if (strcmp(prev->measures[k].comp, s->measures[m].comp) ||
				    strcmp(prev->measures[k].name, s->measures[m].name))
					continue;
				d = s->measures[m].contribution - prev->measures[k].contribution;
				if (fabs(d) >= 0.005) {
					printf("  %-12s %-20s ", s->measures[m].comp,
					       s->measures[m].name);
					print_raw(prev->measures[k].raw, prev->measures[k].present);
					printf(" -> ");
					print_raw(s->measures[m].raw, s->measures[m].present);
					printf(" %+8.2f\n", d);
				}
			}
		}
	}
	if (explain_signals(cli, db, id, false))
		rc = EXIT_FAIL;
out:
	if (db)
		cs_db_close(db);
	free(s);
	free(p);
	return rc;
}

struct list_ctx {
	const char *format;
	int n;
	const struct cs_tiers *tiers;
	int tier;		/* the --tier filter: a tier, -1 no tier, -2 none given */
};

static void csv_num_or_empty(bool known, double v)
{
	if (known)
		printf("%.2f", v);
}

static int print_customer(void *ctx, const struct cs_customer_row *r)
{
	struct list_ctx *lc = ctx;
	int t = cs_tier_of(lc->tiers, r->segment, r->arr_known, r->arr);
	const char *tier = t >= 0 ? lc->tiers->t[t].name : NULL;

	if (lc->tier != -2 && t != lc->tier)
		return 0;
	if (!strcmp(lc->format, "json")) {
		printf("%s{\"customer_id\":", lc->n ? ",\n" : "");
		json_str(stdout, r->customer_id);
		printf(",\"name\":");
		json_str(stdout, r->name);
		printf(",\"segment\":");
		json_str(stdout, r->segment[0] ? r->segment : NULL);
		printf(",\"tier\":");
		json_str(stdout, tier);
		if (r->arr_known)
			printf(",\"arr\":%.2f", r->arr);
		else
			printf(",\"arr\":null");
		printf(",\"score\":%d,\"band\":\"%s\",\"trend\":\"%s\"", r->score, r->band,
		       r->trend);
		printf(",\"engagement\":");
		r->has_comp[0] ? printf("%.2f", r->engagement) : printf("null");
		printf(",\"sentiment\":");
		r->has_comp[1] ? printf("%.2f", r->sentiment) : printf("null");
		printf(",\"growth\":");
		r->has_comp[2] ? printf("%.2f", r->growth) : printf("null");
		printf(",\"coverage\":%.1f,\"drop20\":%s,\"status\":\"%s\"}", r->coverage,
		       r->drop20 ? "true" : "false", r->status);
	} else if (!strcmp(lc->format, "csv")) {
		if (!lc->n)
			printf("customer_id,name,segment,arr,score,band,trend,engagement,"
			       "sentiment,growth,coverage,status,tier\n");
		csv_cell(stdout, r->customer_id);
		putchar(',');
		csv_cell(stdout, r->name);
		putchar(',');
		csv_cell(stdout, r->segment);
		putchar(',');
		csv_num_or_empty(r->arr_known, r->arr);
		printf(",%d,%s,%s,", r->score, r->band, r->trend);
		csv_num_or_empty(r->has_comp[0], r->engagement);
		putchar(',');
		csv_num_or_empty(r->has_comp[1], r->sentiment);
		putchar(',');
		csv_num_or_empty(r->has_comp[2], r->growth);
		printf(",%.1f,%s,", r->coverage, r->status);
		csv_cell(stdout, tier ? tier : "");
		putchar('\n');
	} else {
		char arr[32];

		if (!lc->n)
			printf("%-10s %-32s %12s %5s %-6s %-9s %s\n", "ID", "NAME", "ARR", "SCORE",
			       "BAND", "TREND", "TIER");
		if (r->arr_known)
			snprintf(arr, sizeof(arr), "%.0f", r->arr);
		else
			snprintf(arr, sizeof(arr), "unknown");
		term_safe_width(stdout, r->customer_id, 10);
		putchar(' ');
		term_safe_width(stdout, r->name, 32);
		printf(" %12s %5d %-6s %-9s %s\n", arr, r->score, r->band, r->trend,
		       tier ? tier : "-");
	}
	lc->n++;
	return 0;
}

int cmd_customers(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "band", required_argument, NULL, 'b' },
		{ "format", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'p' },
		{ "tier", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_customer_query q = { .profile = CS_DEFAULT_PROFILE, .as_of = cli->as_of };
	struct list_ctx lc = { .format = "table", .tier = -2 };
	struct cs_tiers tiers;
	const char *tier = NULL;
	sqlite3 *db;
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'b':
			q.band = optarg;
			break;
		case 'f':
			lc.format = optarg;
			break;
		case 'p':
			q.profile = optarg;
			break;
		case 't':
			tier = optarg;
			break;
		default:
			return cli_usage("customers: unknown option");
		}
	}
	if (q.band && strcmp(q.band, "green") && strcmp(q.band, "yellow") && strcmp(q.band, "red"))
		return cli_usage("customers: --band is green, yellow or red, not '%s'", q.band);
	if (strcmp(lc.format, "table") && strcmp(lc.format, "csv") && strcmp(lc.format, "json"))
		return cli_usage("customers: --format is table, csv or json, not '%s'", lc.format);
	if (optind < argc)
		return cli_usage("customers: unexpected argument '%s'", argv[optind]);
	if (cs_tiers_load(NULL, &tiers, &cli->diag))
		return EXIT_FAIL;
	lc.tiers = &tiers;
	if (tier && !strcmp(tier, CS_TIER_NONE)) {
		lc.tier = -1;
	} else if (tier && (lc.tier = cs_tier_find(&tiers, tier)) < 0) {
		char names[256] = "";

		for (int i = 0; i < tiers.n; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s, ",
				 tiers.t[i].name);
		return cli_usage("customers: --tier is one of %snone, not '%s'", names, tier);
	}
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (!strcmp(lc.format, "json"))
		printf("[");
	rc = cs_customers_list(db, &q, print_customer, &lc, &cli->diag);
	if (!strcmp(lc.format, "json"))
		printf("]\n");
	cs_db_close(db);
	return rc ? EXIT_FAIL : EXIT_OK;
}
