/*
 * test_score.c — the health model, by hand: every bucket edge of the
 * default profile, rounding at band edges, missing-data policies, broken
 * profiles, the alternative profile, the metric windows and the trend.
 */
#include "testutil.h"

#include <math.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"
#include "casey/metrics.h"
#include "casey/profile.h"
#include "casey/score.h"
#include "casey/snapshot.h"
#include "casey/value.h"

static struct cs_profile def;

static int load_default(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	assert_int_equal(cs_profile_load("default", &def, &d), 0);
	return 0;
}

/* Metrics with nothing present. */
static void blank(struct cs_customer_metrics *cm)
{
	memset(cm, 0, sizeof(*cm));
	for (int i = 0; i < M_COUNT; i++)
		cm->m[i].value = NAN;
}

static void put(struct cs_customer_metrics *cm, enum cs_metric m, double v, long n)
{
	cm->m[m].present = true;
	cm->m[m].value = v;
	cm->m[m].n = n;
}

static const struct cs_measure *measure(const char *name)
{
	for (int i = 0; i < def.nmeasures; i++)
		if (!strcmp(def.measures[i].name, name))
			return &def.measures[i];
	fail_msg("no measure %s", name);
	return NULL;
}

static double points(const char *name, enum cs_metric m, double v, long n)
{
	struct cs_customer_metrics cm;

	blank(&cm);
	put(&cm, m, v, n);
	return cs_measure_points(measure(name), &cm);
}

static void test_login_frequency_edges(void **state)
{
	(void)state;
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 30, 1) == 100);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 20, 1) == 100);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 19, 1) == 80);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 8, 1) == 80);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 7, 1) == 60);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 4, 1) == 60);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 3, 1) == 40);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 2, 1) == 40);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 1, 1) == 20);
	assert_true(points("login_frequency", M_ACTIVE_DAYS_30D, 0, 1) == 0);
}

static void test_breadth_edges(void **state)
{
	(void)state;
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0.76, 1) == 100);
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0.75, 1) == 75);
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0.50, 1) == 75);
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0.49, 1) == 50);
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0.25, 1) == 50);
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0.24, 1) == 25);
	assert_true(points("feature_breadth", M_FEATURE_BREADTH, 0, 1) == 25);
}

static double depth(long lower, long ranked, double core)
{
	struct cs_customer_metrics cm;

	blank(&cm);
	put(&cm, M_CORE_ACTIONS_30D, core, 1);
	cm.core_lower = lower;
	cm.core_ranked = ranked;
	return cs_measure_points(measure("usage_depth"), &cm);
}

static void test_depth_percentile_edges(void **state)
{
	(void)state;
	assert_true(depth(3, 4, 40) == 100);	/* p = 0.75: top quartile */
	assert_true(depth(74, 100, 40) == 70);	/* p = 0.74 */
	assert_true(depth(1, 4, 20) == 70);	/* p = 0.25 */
	assert_true(depth(24, 100, 5) == 30);	/* p = 0.24: bottom quartile */
	assert_true(depth(0, 4, 10) == 30);	/* the lowest */
	assert_true(depth(0, 0, 0) == 10);	/* no core actions */
}

static void test_sentiment_edges(void **state)
{
	(void)state;
	assert_true(points("nps", M_NPS_LATEST, 10, 1) == 100);
	assert_true(points("nps", M_NPS_LATEST, 9, 1) == 100);
	assert_true(points("nps", M_NPS_LATEST, 8, 1) == 60);
	assert_true(points("nps", M_NPS_LATEST, 7, 1) == 60);
	assert_true(points("nps", M_NPS_LATEST, 6, 1) == 20);
	assert_true(points("nps", M_NPS_LATEST, 0, 1) == 20);
	assert_true(points("ticket_sentiment", M_TICKET_SENTIMENT, 45, 2) == 45);
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0.75, 4) == 100);
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0.74, 50) == 60);
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0.40, 5) == 60);
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0.39, 100) == 30);
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0.01, 100) == 30);
	/* A single unanswered attempt is 30; two or more unanswered are 0. */
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0, 1) == 30);
	assert_true(points("outreach_response", M_OUTREACH_RESPONSE, 0, 2) == 0);
	assert_true(points("trajectory", M_GROWTH, 1, 1) == 100);
	assert_true(points("trajectory", M_GROWTH, 0, 1) == 60);
	assert_true(points("trajectory", M_GROWTH, -1, 1) == 20);
}

static void test_full_score_by_hand(void **state)
{
	struct cs_customer_metrics cm;
	struct cs_score s;

	(void)state;
	blank(&cm);
	put(&cm, M_ACTIVE_DAYS_30D, 10, 1);	/* 80 */
	put(&cm, M_FEATURE_BREADTH, 0.6, 1);	/* 75 */
	put(&cm, M_CORE_ACTIONS_30D, 300, 1);	/* p = 2/4 = 0.5: 70 */
	cm.core_lower = 2;
	cm.core_ranked = 4;
	put(&cm, M_NPS_LATEST, 8, 1);		/* 60 */
	put(&cm, M_TICKET_SENTIMENT, 45, 2);	/* 45 */
	put(&cm, M_OUTREACH_RESPONSE, 0.5, 4);	/* 60 */
	put(&cm, M_GROWTH, 0, 1);		/* 60 */
	cs_profile_score(&def, &cm, &s);
	/* engagement 0.3*80 + 0.4*75 + 0.3*70 = 75; sentiment 0.5*60 + 0.3*45 +
	 * 0.2*60 = 55.5; growth 60; health 0.4*75 + 0.3*55.5 + 0.3*60 = 64.65 */
	assert_true(fabs(s.comp[0] - 75) < 1e-9);
	assert_true(fabs(s.comp[1] - 55.5) < 1e-9);
	assert_true(fabs(s.comp[2] - 60) < 1e-9);
	assert_true(fabs(s.total - 64.65) < 1e-9);
	assert_int_equal(s.score, 65);
	assert_int_equal(s.band, CS_YELLOW);
	assert_true(fabs(s.coverage - 100) < 1e-9);
}

static void test_missing_data_policies(void **state)
{
	struct cs_customer_metrics cm;
	struct cs_score s;

	(void)state;
	/* A new customer: no usage, no NPS, no tickets, no outreach, no history. */
	blank(&cm);
	cs_profile_score(&def, &cm, &s);
	/* Engagement is excluded (its measures say so); sentiment uses the
	 * neutral values 0.5*50 + 0.3*60 + 0.2*60 = 55; growth 60; the two
	 * remaining components renormalise to 0.5 each: 57.5 -> 58. */
	assert_true(s.comp_excluded[0]);
	assert_true(fabs(s.comp[1] - 55) < 1e-9);
	assert_true(fabs(s.total - 57.5) < 1e-9);
	assert_int_equal(s.score, 58);
	assert_true(fabs(s.coverage - 0) < 1e-9);
	/* Only login data: engagement = login points alone, coverage 12%. */
	put(&cm, M_ACTIVE_DAYS_30D, 20, 1);
	cs_profile_score(&def, &cm, &s);
	assert_true(fabs(s.comp[0] - 100) < 1e-9);
	assert_true(fabs(s.ms[0].weight - 1) < 1e-9);
	assert_true(fabs(s.total - (0.4 * 100 + 0.3 * 55 + 0.3 * 60)) < 1e-9);
	assert_true(fabs(s.coverage - 12) < 1e-9);
}

static const char *write_profile(const char *name, const char *body)
{
	return write_file(name, body);
}

/* A one-measure profile whose score is the metric itself. */
static const char identity_profile[] =
	"[profile]\nname = id\nversion = 1\n[bands]\ngreen = 80\nyellow = 50\n"
	"[component.all]\nweight = 1\n"
	"[measure.all.x]\nmetric = ticket_sentiment\nscheme = linear\nrange = 0, 100\n"
	"weight = 1\nmissing = exclude\n";

static void test_rounding_at_band_edges(void **state)
{
	struct cs_profile p;
	struct cs_customer_metrics cm;
	struct cs_score s;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	static const struct { double x; int score; enum cs_band band; } cases[] = {
		{ 79.8, 80, CS_GREEN }, { 79.49, 79, CS_YELLOW }, { 79.5, 80, CS_GREEN },
		{ 49.95, 50, CS_YELLOW }, { 49.4, 49, CS_RED }, { 100, 100, CS_GREEN },
		{ 0, 0, CS_RED },
	};

	(void)state;
	assert_int_equal(cs_profile_load(write_profile("id.ini", identity_profile), &p, &d), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		blank(&cm);
		put(&cm, M_TICKET_SENTIMENT, cases[i].x, 1);
		cs_profile_score(&p, &cm, &s);
		assert_int_equal(s.score, cases[i].score);
		assert_int_equal(s.band, cases[i].band);
	}
}

static void expect_broken(const char *name, const char *body, const char *msg)
{
	struct cs_profile p;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	const char *path = write_profile(name, body);
	char want[1024];

	assert_int_equal(cs_profile_load(path, &p, &d), -1);
	snprintf(want, sizeof(want), "%s%s", path, msg);
	assert_true(captured_has(&cap, want));
}

static void test_broken_profiles(void **state)
{
	static const char head[] = "[profile]\nname = b\nversion = 1\n[bands]\ngreen = 80\nyellow = 50\n";
	char buf[2048];

	(void)state;
	snprintf(buf, sizeof(buf), "%s[component.a]\nweight = 0.6\n[component.b]\nweight = 0.3\n"
		 "[measure.a.x]\nmetric = growth\nscheme = buckets\nbuckets = else:50\n"
		 "weight = 1\nmissing = points 60\n"
		 "[measure.b.y]\nmetric = growth\nscheme = buckets\nbuckets = else:50\n"
		 "weight = 1\nmissing = points 60\n", head);
	expect_broken("w.ini", buf, ":8: the component weights sum to 0.9, not 1");
	snprintf(buf, sizeof(buf), "%s[component.a]\nweight = 1\n[measure.a.x]\nmetric = happiness\n", head);
	expect_broken("m.ini", buf, ":10: unknown metric 'happiness'");
	snprintf(buf, sizeof(buf), "%s[component.a]\nweight = 1\n[measure.a.x]\nmetric = growth\n"
		 "scheme = buckets\nbuckets = >=4:60, >=8:80, else:0\n", head);
	expect_broken("o.ini", buf, ":12: buckets overlap: '>=8' comes after a threshold no "
		      "higher than it (list them from high to low)");
	snprintf(buf, sizeof(buf), "[profile]\nname = b\nversion = 1\n[bands]\ngreen = 50\n"
		 "yellow = 80\n[component.a]\nweight = 1\n[measure.a.x]\nmetric = growth\n"
		 "scheme = buckets\nbuckets = else:1\nweight = 1\nmissing = exclude\n");
	expect_broken("b.ini", buf, ": bands must have green above yellow above 0 (green = 50, "
		      "yellow = 80)");
	snprintf(buf, sizeof(buf), "%s[bands]\ngreen = 80.5\n", head);
	expect_broken("e.ini", buf, ":8: band edge '80.5' must be a whole number from 1 to 100");
	snprintf(buf, sizeof(buf), "%s[component.a]\nweight = 1\n[measure.a.x]\nmetric = growth\n"
		 "scheme = buckets\nbuckets = >=1:100\nweight = 1\nmissing = exclude\n", head);
	expect_broken("n.ini", buf, ":12: the last bucket must be 'else:POINTS', so every "
		      "value scores");
	snprintf(buf, sizeof(buf), "%s[component.a]\nweight = 1\n[measure.a.x]\nmetric = growth\n"
		 "scheme = buckets\nbuckets = else:1\nweight = 1\n", head);
	expect_broken("p.ini", buf, ":10: measure 'x' needs a missing-data policy ('missing = "
		      "exclude' or 'missing = points N')");
	/* Names go into every run's layout, split on ':', ';', '.' and '|'. */
	snprintf(buf, sizeof(buf), "%s[component.a:b]\nweight = 1\n", head);
	expect_broken("c.ini", buf, ":8: bad component name 'a:b' (letters, digits, '_' and "
		      "'-' only)");
	snprintf(buf, sizeof(buf), "%s[component.a]\nweight = 1\n[measure.a.x;y]\nmetric = growth\n",
		 head);
	expect_broken("x.ini", buf, ":10: bad measure name 'x;y' (letters, digits, '_' and "
		      "'-' only)");
}

static void test_alternative_profile(void **state)
{
	struct cs_profile p;
	struct cs_customer_metrics cm;
	struct cs_score s;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	assert_int_equal(cs_profile_load("five-dimension", &p, &d), 0);
	assert_int_equal(p.ncomps, 5);
	blank(&cm);
	put(&cm, M_ACTIVE_DAYS_30D, 10, 1);	/* linear 0..20: 50 */
	put(&cm, M_SEAT_UTILISATION, 0.45, 1);	/* linear 0..0.9: 50 */
	put(&cm, M_FEATURE_BREADTH, 0.75, 1);	/* linear 0..0.75: 100 */
	put(&cm, M_OUTREACH_RESPONSE, 1, 2);	/* 100 */
	put(&cm, M_DAYS_SINCE_CONTACT, 45, 1);	/* >30: 60 */
	put(&cm, M_TICKETS_30D, 2, 2);		/* >=2: 70 */
	put(&cm, M_TICKET_SENTIMENT, 60, 2);	/* 60 */
	put(&cm, M_NPS_LATEST, 9, 1);		/* 100 */
	put(&cm, M_CSAT_AVG_90D, 4, 3);		/* linear 1..5: 75 */
	put(&cm, M_GROWTH, 1, 1);		/* 100 */
	cs_profile_score(&p, &cm, &s);
	/* usage 0.4*50+0.3*50+0.3*100 = 65; engagement 0.6*100+0.4*60 = 84;
	 * support 0.5*70+0.5*60 = 65; satisfaction 0.6*100+0.4*75 = 90;
	 * financial 100. Health 0.3*65+0.25*84+0.2*65+0.15*90+0.1*100 = 77. */
	assert_true(fabs(s.total - 77) < 1e-9);
	assert_int_equal(s.score, 77);
	assert_int_equal(s.band, CS_YELLOW);
}

/* ---- metrics from the database: windows, ranks, growth, trend ----------- */

static sqlite3 *db_with(const char *const *names, const char *const *bodies, int n)
{
	static int count;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_import_opts o = { 0 };
	const char *files[16];
	char path[512];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/score%d.db", scratch_dir(), count++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	for (int i = 0; i < n; i++)
		files[i] = write_file(names[i], bodies[i]);
	if (cs_import_files(db, files, n, &o, NULL, &d)) {
		for (int i = 0; i < cap.n; i++)
			fprintf(stderr, "%s\n", cap.lines[i]);
		fail_msg("import failed");
	}
	return db;
}

struct collect {
	struct cs_customer_metrics m[8];
	int n;
};

static int collect_cb(void *ctx, const struct cs_customer_metrics *cm)
{
	struct collect *c = ctx;

	c->m[c->n++] = *cm;
	return 0;
}

static void test_metric_windows(void **state)
{
	static const char *const names[] = { "c.csv", "u.csv", "nps.csv", "o.csv", "t.csv" };
	static const char *const bodies[] = {
		"customer_id,name,status\nA,Alpha,active\nB,Beta,downgrade_requested\n"
		"C,Gamma,active\nD,Delta,active\nE,Epsilon,active\n",
		/* E's latest row is 30 days old (kept); B's is 31 (missing). */
		"customer_id,date,active_days_30d,seats,paid_features_used,paid_features_total,"
		"core_actions_30d\n"
		"A,2026-11-15,12,10,4,8,40\nB,2026-10-20,12,10,4,8,10\n"
		"C,2026-11-15,3,10,4,8,20\nD,2026-11-15,3,10,2,8,0\nE,2026-10-21,5,5,5,8,5\n"
		"A,2026-10-21,12,8,4,8,80\nC,2026-10-21,3,10,6,8,20\n",
		/* A's answer is 180 days old (kept); C's is 181 (ignored). */
		"customer_id,date,score\nA,2026-05-24,9\nC,2026-05-23,10\n",
		"customer_id,date,channel,responded\nC,2026-11-01,email,no\n"
		"D,2026-10-01,email,no\nD,2026-10-15,call,no\nA,2026-11-02,call,yes\n",
		"ticket_id,customer_id,created_at,sentiment,csat\n"
		"T1,A,2026-11-20 23:59:00,angry,\nT2,A,2026-08-23,,5\nT3,A,2026-08-22,positive,\n",
	};
	sqlite3 *db = db_with(names, bodies, 5);
	struct collect c = { .n = 0 };
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	int32_t as_of;

	(void)state;
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	assert_int_equal(cs_metrics_compute(db, as_of, NULL, collect_cb, &c, &d), 0);
	assert_int_equal(c.n, 5);
	assert_true(c.m[4].m[M_ACTIVE_DAYS_30D].present);
	/* A: ranked among A and C on 11-15 (D has no core actions). */
	assert_true(c.m[0].m[M_ACTIVE_DAYS_30D].present);
	assert_int_equal(c.m[0].core_lower, 1);
	assert_int_equal(c.m[0].core_ranked, 2);
	assert_true(c.m[0].m[M_NPS_LATEST].present);
	assert_true(c.m[0].m[M_NPS_LATEST].value == 9);
	/* A's tickets: T1 (angry, the as-of day counts) and T2 (csat 5 ->
	 * positive, 89 days old); T3 is 90 days old and out. (0 + 100) / 2. */
	assert_true(c.m[0].m[M_TICKET_SENTIMENT].value == 50);
	assert_int_equal(c.m[0].m[M_TICKET_SENTIMENT].n, 2);
	assert_true(c.m[0].m[M_TICKETS_30D].value == 1);
	/* A: more seats than 30 days before: expanding; core actions halved. */
	assert_true(c.m[0].m[M_GROWTH].value == 1);
	assert_true(c.m[0].m[M_USAGE_CHANGE_30D].value == -0.5);
	assert_true(c.m[0].m[M_OUTREACH_RESPONSE].value == 1);
	assert_true(c.m[0].m[M_DAYS_SINCE_CONTACT].value == 18);
	/* B: usage 31 days old is missing; the downgrade request is contraction. */
	assert_false(c.m[1].m[M_ACTIVE_DAYS_30D].present);
	assert_true(c.m[1].m[M_GROWTH].value == -1);
	/* C: NPS 181 days old ignored; one unanswered attempt; fewer paid features. */
	assert_false(c.m[2].m[M_NPS_LATEST].present);
	assert_true(c.m[2].m[M_OUTREACH_RESPONSE].value == 0);
	assert_int_equal(c.m[2].m[M_OUTREACH_RESPONSE].n, 1);
	assert_true(c.m[2].m[M_GROWTH].value == -1);
	assert_int_equal(c.m[2].core_lower, 0);
	/* D: no core actions: not ranked; two unanswered attempts; no earlier row. */
	assert_true(c.m[3].m[M_CORE_ACTIONS_30D].value == 0);
	assert_int_equal(c.m[3].core_ranked, 0);
	assert_int_equal(c.m[3].m[M_OUTREACH_RESPONSE].n, 2);
	assert_false(c.m[3].m[M_GROWTH].present);
	assert_false(c.m[3].m[M_DAYS_SINCE_CONTACT].present);
	cs_db_close(db);
}

/*
 * Each window's first day, against a longer history: rows before a window
 * count for nothing, however many there are, and reading one customer by
 * key (explain, the detail screen) gives what the run over all gives. As
 * of 2026-11-20 the growth floor is 09-21 (60 days), the CSAT floor 08-23
 * (90 days, the as-of day included).
 */
static void test_metric_history_outside_windows(void **state)
{
	static const char *const names[] = { "c.csv", "u.csv", "csat.csv" };
	static const char *const bodies[] = {
		"customer_id,name,status\nA,Alpha,active\nB,Beta,active\nC,Gamma,active\n",
		"customer_id,date,active_days_30d,seats,paid_features_used,paid_features_total,"
		"core_actions_30d\n"
		/* A: the growth row is 60 days old (kept), older history ignored */
		"A,2026-11-13,12,10,4,8,40\nA,2026-09-21,12,8,4,8,80\n"
		"A,2026-09-20,1,50,8,8,1\nA,2026-06-01,1,1000,8,8,1\nA,2025-11-01,1,1,1,8,1\n"
		/* B: the only earlier row is 61 days old: no growth, no change */
		"B,2026-11-13,9,10,4,8,40\nB,2026-09-20,9,50,8,8,400\n"
		/* C: nothing in any window */
		"C,2026-06-01,20,10,8,8,99\nC,2025-12-01,20,10,8,8,99\n",
		"customer_id,date,score\nA,2026-08-23,5\nA,2026-08-22,1\nB,2026-08-22,1\n"
		"C,2026-01-10,2\n",
	};
	sqlite3 *db = db_with(names, bodies, 3);
	struct collect c = { .n = 0 }, one = { .n = 0 };
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	int32_t as_of;

	(void)state;
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	assert_int_equal(cs_metrics_compute(db, as_of, NULL, collect_cb, &c, &d), 0);
	assert_int_equal(c.n, 3);
	/* A: 10 seats against 8 (expanding), core actions 40 against 80. */
	assert_true(c.m[0].m[M_GROWTH].present);
	assert_true(c.m[0].m[M_GROWTH].value == 1);
	assert_true(c.m[0].m[M_USAGE_CHANGE_30D].value == -0.5);
	assert_false(c.m[0].m[M_SEAT_UTILISATION].present);	/* no active_users */
	assert_true(c.m[0].m[M_CORE_ACTIONS_30D].value == 40);
	assert_true(c.m[0].m[M_CSAT_AVG_90D].value == 5);
	assert_int_equal(c.m[0].m[M_CSAT_AVG_90D].n, 1);
	/* B: current usage, but no row in the growth window. */
	assert_true(c.m[1].m[M_ACTIVE_DAYS_30D].value == 9);
	assert_false(c.m[1].m[M_GROWTH].present);
	assert_false(c.m[1].m[M_USAGE_CHANGE_30D].present);
	assert_false(c.m[1].m[M_CSAT_AVG_90D].present);
	/* C: scored, with no usage and no CSAT at all. */
	assert_string_equal(c.m[2].customer_id, "C");
	assert_false(c.m[2].m[M_ACTIVE_DAYS_30D].present);
	assert_false(c.m[2].m[M_GROWTH].present);
	assert_false(c.m[2].m[M_CSAT_AVG_90D].present);
	/* One customer by key reads the same. */
	for (int i = 0; i < 3; i++) {
		const char *id = c.m[i].customer_id;

		one.n = 0;
		assert_int_equal(cs_metrics_compute(db, as_of, id, collect_cb, &one, &d), 0);
		assert_int_equal(one.n, 1);
		assert_string_equal(one.m[0].customer_id, id);
		for (int m = 0; m < M_COUNT; m++) {
			assert_int_equal(one.m[0].m[m].present, c.m[i].m[m].present);
			if (c.m[i].m[m].present)
				assert_true(one.m[0].m[m].value == c.m[i].m[m].value);
		}
	}
	cs_db_close(db);
}

static void test_trend_and_drop(void **state)
{
	static const char *const names[] = { "c.csv", "u.csv" };
	/* One customer, great on 2026-10-21, poor on 2026-11-20. */
	static const char *const bodies[] = {
		"customer_id,name\nA,Alpha\nB,Beta\n",
		"customer_id,date,active_days_30d,seats,paid_features_used,paid_features_total,"
		"core_actions_30d\n"
		"A,2026-10-21,25,10,8,8,500\nA,2026-11-20,1,10,1,8,0\n"
		"B,2026-10-21,10,10,4,8,100\nB,2026-11-20,10,10,4,8,100\n",
	};
	sqlite3 *db = db_with(names, bodies, 2);
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_score_stats st;
	struct cs_snapshot s;
	bool found;
	int32_t early, late;

	(void)state;
	assert_int_equal(cs_trend_of(5), CS_IMPROVING);
	assert_int_equal(cs_trend_of(4), CS_STABLE);
	assert_int_equal(cs_trend_of(-4), CS_STABLE);
	assert_int_equal(cs_trend_of(-5), CS_DECLINING);
	cs_parse_day("2026-10-21", &early);
	cs_parse_day("2026-11-20", &late);
	assert_int_equal(cs_score_run(db, &def, early, &st, NULL, &d), 0);
	assert_int_equal(st.scored, 2);
	assert_int_equal(cs_score_run(db, &def, late, &st, NULL, &d), 0);
	assert_int_equal(cs_snapshot_get(db, "default", "A", late, &s, &found, NULL, NULL, &d), 0);
	assert_true(found);
	/* 10-21: engagement 100 (login 100, breadth 100, depth p=1/2 -> 70? no:
	 * A ranks above B: lower 1 of 2 = 0.5 -> 70) = 30+40+21 = 91; sentiment
	 * neutral 55; growth missing 60: 36.4+16.5+18 = 70.9 -> 71.
	 * 11-20 (A is ranked alone, B's row is at 11-20 too but A has 0):
	 * login 20, breadth 25, depth zero 10: 6+10+3 = 19; growth:
	 * fewer paid features -> 20: 7.6+16.5+6 = 30.1 -> 30. Delta -41. */
	assert_int_equal(s.score, 30);
	assert_true(s.has_delta30);
	assert_int_equal(s.delta30, -41);
	assert_string_equal(s.trend, "declining");
	assert_true(s.drop20);
	assert_int_equal(cs_snapshot_get(db, "default", "B", late, &s, &found, NULL, NULL, &d), 0);
	assert_string_equal(s.trend, "stable");
	assert_false(s.drop20);
	cs_db_close(db);
}

static long long q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Every column of a day's snapshots, in key order, as one text. */
static char *day_rows(sqlite3 *db, const char *day)
{
	sqlite3_stmt *st;
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);

	assert_non_null(out);
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT customer_id || '|' || profile_version || '|' || score || '|' || band || '|' ||"
		" quote(engagement) || '|' || quote(sentiment) || '|' || quote(growth) || '|' ||"
		" coverage || '|' || quote(delta30) || '|' || trend || '|' || drop20 || '|' ||"
		" components || '|' || measures || '|' || at_risk || '|' || quote(arr)"
		" FROM snapshots WHERE profile = 'default' AND as_of = ?1 ORDER BY customer_id",
		-1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		size_t n = strlen(row);

		while (len + n + 2 > cap)
			assert_non_null(out = realloc(out, cap *= 2));
		memcpy(out + len, row, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	sqlite3_finalize(st);
	return out;
}

/*
 * The first run of a day writes its snapshots 16 rows a statement (score.c,
 * SNAP_BATCH), a re-run one row at a time: 37 customers (two full batches
 * and 5 left over; some churned, some without ARR, with and without a
 * month-old score) stored by the first run are exactly what the one-row
 * path stores for them. The run turns the foreign keys off and back on.
 */
static void test_batched_rows_as_single(void **state)
{
	static const char *const names[] = { "c.csv", "u.csv" };
	char customers[8192], usage[16384], *batched, *single;
	const char *bodies[2] = { customers, usage };
	size_t nc, nu;
	sqlite3 *db;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_score_stats st;
	int32_t early, late;

	(void)state;
	nc = (size_t)snprintf(customers, sizeof(customers), "customer_id,name,arr,status\n");
	nu = (size_t)snprintf(usage, sizeof(usage), "customer_id,date,active_days_30d,seats,"
			      "paid_features_used,paid_features_total,core_actions_30d\n");
	for (int i = 0; i < 37; i++) {
		nc += (size_t)snprintf(customers + nc, sizeof(customers) - nc, "K%02d,Kay %d,%s,%s\n",
				       i, i, i % 7 ? "12000" : "", i % 11 == 3 ? "churned" : "active");
		if (i % 3)
			nu += (size_t)snprintf(usage + nu, sizeof(usage) - nu,
					       "K%02d,2026-10-21,%d,10,%d,8,%d\n", i, i % 30, i % 9,
					       i * 13);
		nu += (size_t)snprintf(usage + nu, sizeof(usage) - nu,
				       "K%02d,2026-11-20,%d,10,%d,8,%d\n", i, (i * 7) % 30, i % 8,
				       i * 29 % 400);
	}
	db = db_with(names, bodies, 2);
	cs_parse_day("2026-10-21", &early);
	cs_parse_day("2026-11-20", &late);
	assert_int_equal(cs_score_run(db, &def, early, &st, NULL, &d), 0);
	assert_int_equal(cs_score_run(db, &def, late, &st, NULL, &d), 0);
	assert_int_equal(st.scored, 33);	/* 4 churned */
	assert_int_equal(q_int(db, "PRAGMA foreign_keys"), 1);
	batched = day_rows(db, "2026-11-20");
	/* Keep one row, so the day counts as scored: the re-run writes the rest one by one. */
	assert_int_equal(sqlite3_exec(db, "DELETE FROM snapshots WHERE as_of = '2026-11-20'"
				      " AND customer_id <> 'K01'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cs_score_run(db, &def, late, &st, NULL, &d), 0);
	single = day_rows(db, "2026-11-20");
	assert_string_equal(batched, single);
	assert_int_equal(q_int(db, "SELECT count(*) FROM snapshots WHERE as_of = '2026-11-20'"),
			 33);
	assert_int_equal(q_int(db, "PRAGMA foreign_keys"), 1);
	assert_int_equal(d.errors, 0);
	free(batched);
	free(single);
	cs_db_close(db);
}

/* A stored raw value of -1 (contracting) is a value, a lone "-" is missing. */
static void test_snapshot_decode_negative(void **state)
{
	struct cs_snapshot s;
	char weakest[72];

	(void)state;
	memset(&s, 0, sizeof(s));
	cs_snapshot_decode(&s, NULL, "engagement=-:0;growth=20:1",
			   "engagement.login_frequency=-:-:0;growth.trajectory=-1:20:1");
	assert_int_equal(s.nmeasures, 2);
	assert_false(s.measures[0].present);
	assert_true(s.measures[0].excluded);
	assert_true(s.measures[1].present);
	assert_true(s.measures[1].raw == -1);
	assert_true(s.measures[1].points == 20);
	assert_true(fabs(s.measures[1].contribution - 20) < 1e-9);
	cs_snapshot_weakest(&s, weakest, sizeof(weakest));
	assert_string_equal(weakest, "growth.trajectory");
}

/*
 * The compact form: the run's layout holds the names and the profile's
 * weights, the row the values, a weight only where it was renormalised.
 * Decoding gives back exactly what was scored; a compact row without its
 * layout has no breakdown, not a wrong one.
 */
static void test_snapshot_compact_round_trip(void **state)
{
	struct cs_customer_metrics cm;
	struct cs_score sc;
	struct cs_snapshot s;
	char layout[CS_LAYOUT_MAX], comps[512], meas[2048];
	int i, c;

	(void)state;
	/* No usage at all (engagement excluded), an NPS, usage growth negative. */
	blank(&cm);
	put(&cm, M_NPS_LATEST, 9, 1);
	put(&cm, M_GROWTH, -1, 1);
	cs_profile_score(&def, &cm, &sc);
	cs_score_layout(&def, layout, sizeof(layout));
	cs_score_encode(&def, &sc, comps, sizeof(comps), meas, sizeof(meas));
	assert_null(strchr(comps, '='));
	assert_null(strchr(meas, '.'));
	assert_string_equal(layout, "engagement:0.4;sentiment:0.3;growth:0.3|"
			    "engagement.login_frequency:0.3;engagement.feature_breadth:0.4;"
			    "engagement.usage_depth:0.3;sentiment.nps:0.5;"
			    "sentiment.ticket_sentiment:0.3;sentiment.outreach_response:0.2;"
			    "growth.trajectory:1");
	memset(&s, 0, sizeof(s));
	cs_snapshot_decode(&s, layout, comps, meas);
	assert_int_equal(s.ncomps, def.ncomps);
	assert_int_equal(s.nmeasures, def.nmeasures);
	for (c = 0; c < def.ncomps; c++) {
		assert_string_equal(s.comps[c].name, def.comps[c].name);
		assert_int_equal(s.comps[c].excluded, sc.comp_excluded[c]);
		if (!sc.comp_excluded[c])
			assert_true(fabs(s.comps[c].points - sc.comp[c]) < 1e-4);
		assert_true(fabs(s.comps[c].weight - sc.comp_weight[c]) < 1e-6);
	}
	assert_true(s.comps[0].excluded);	/* engagement: no usage */
	for (i = 0; i < def.nmeasures; i++) {
		assert_string_equal(s.measures[i].comp, def.comps[def.measures[i].component].name);
		assert_string_equal(s.measures[i].name, def.measures[i].name);
		assert_int_equal(s.measures[i].present, sc.ms[i].present);
		assert_int_equal(s.measures[i].excluded, sc.ms[i].excluded);
		if (sc.ms[i].present)
			assert_true(fabs(s.measures[i].raw - sc.ms[i].raw) < 1e-6);
		if (!sc.ms[i].excluded)
			assert_true(fabs(s.measures[i].points - sc.ms[i].points) < 1e-4);
		assert_true(fabs(s.measures[i].weight - sc.ms[i].weight) < 1e-6);
	}
	assert_true(s.measures[6].present && s.measures[6].raw == -1);	/* contracting */
	/* the contributions add up to the unrounded score, as explain shows */
	{
		double sum = 0;

		for (i = 0; i < s.nmeasures; i++)
			sum += s.measures[i].contribution;
		assert_true(fabs(sum - sc.total) < 1e-3);
	}
	/* A row written before migration 14 names everything: it reads the same. */
	{
		struct cs_snapshot old;
		char oc[512] = "", om[2048] = "";
		size_t n = 0;

		for (c = 0; c < def.ncomps; c++) {
			char pts[32] = "-";

			if (!sc.comp_excluded[c])
				snprintf(pts, sizeof(pts), "%.6g", sc.comp[c]);
			n += (size_t)snprintf(oc + n, sizeof(oc) - n, "%s%s=%s:%.6g", c ? ";" : "",
					      def.comps[c].name, pts, sc.comp_weight[c]);
		}
		for (i = 0, n = 0; i < def.nmeasures; i++) {
			char raw[32] = "-", pts[32] = "-";

			if (sc.ms[i].present)
				snprintf(raw, sizeof(raw), "%.6g", sc.ms[i].raw);
			if (!sc.ms[i].excluded)
				snprintf(pts, sizeof(pts), "%.6g", sc.ms[i].points);
			n += (size_t)snprintf(om + n, sizeof(om) - n, "%s%s.%s=%s:%s:%.6g", i ? ";" : "",
					      def.comps[def.measures[i].component].name,
					      def.measures[i].name, raw, pts, sc.ms[i].weight);
		}
		memset(&old, 0, sizeof(old));
		cs_snapshot_decode(&old, layout, oc, om);	/* the row's own names win */
		assert_int_equal(old.ncomps, s.ncomps);
		assert_int_equal(old.nmeasures, s.nmeasures);
		for (c = 0; c < s.ncomps; c++) {
			assert_string_equal(old.comps[c].name, s.comps[c].name);
			assert_int_equal(old.comps[c].excluded, s.comps[c].excluded);
			assert_true(fabs(old.comps[c].weight - s.comps[c].weight) < 1e-9);
		}
		for (i = 0; i < s.nmeasures; i++) {
			assert_string_equal(old.measures[i].name, s.measures[i].name);
			assert_int_equal(old.measures[i].present, s.measures[i].present);
			assert_true(fabs(old.measures[i].contribution -
					 s.measures[i].contribution) < 1e-9);
		}
	}
	memset(&s, 0, sizeof(s));
	cs_snapshot_decode(&s, NULL, comps, meas);
	assert_int_equal(s.ncomps, 0);
	assert_int_equal(s.nmeasures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_frequency_edges),
		cmocka_unit_test(test_breadth_edges),
		cmocka_unit_test(test_depth_percentile_edges),
		cmocka_unit_test(test_sentiment_edges),
		cmocka_unit_test(test_full_score_by_hand),
		cmocka_unit_test(test_batched_rows_as_single),
		cmocka_unit_test(test_missing_data_policies),
		cmocka_unit_test(test_rounding_at_band_edges),
		cmocka_unit_test(test_broken_profiles),
		cmocka_unit_test(test_alternative_profile),
		cmocka_unit_test(test_metric_windows),
		cmocka_unit_test(test_metric_history_outside_windows),
		cmocka_unit_test(test_trend_and_drop),
		cmocka_unit_test(test_snapshot_decode_negative),
		cmocka_unit_test(test_snapshot_compact_round_trip),
	};

	return cmocka_run_group_tests_name("score", tests, load_default, NULL);
}
