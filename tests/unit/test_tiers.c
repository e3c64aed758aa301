/*
 * test_tiers.c — customer tiers (seed 003): the shipped file's edges to
 * the cent, named tiers overriding ARR, unknown ARR, the SQL function, and
 * every way assets/tiers.ini can be broken with its exact FILE:LINE.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/tiers.h"
#include "casey/value.h"

static struct cs_tiers tiers;

static int setup(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	/* The shipped file: make test points CASEY_ASSETS at assets/. */
	assert_int_equal(cs_tiers_load(NULL, &tiers, &d), 0);
	return 0;
}

static const char *tier_name(int t)
{
	return t < 0 ? "(none)" : tiers.t[t].name;
}

static void test_shipped_tiers(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(tiers.n, 4);
	assert_string_equal(tiers.t[0].name, "Enterprise");
	assert_string_equal(tiers.t[1].name, "Mid-Market");
	assert_string_equal(tiers.t[2].name, "Small Business");
	assert_string_equal(tiers.t[3].name, "Trial/Freemium");
	assert_string_equal(tiers.t[3].label, "Trial");
	/* response SLA < 2 h, < 4 h, < 24 h, 48 h+ */
	cs_tier_sla(&tiers.t[0], buf, sizeof(buf));
	assert_string_equal(buf, "< 2 h");
	cs_tier_sla(&tiers.t[1], buf, sizeof(buf));
	assert_string_equal(buf, "< 4 h");
	cs_tier_sla(&tiers.t[2], buf, sizeof(buf));
	assert_string_equal(buf, "< 24 h");
	cs_tier_sla(&tiers.t[3], buf, sizeof(buf));
	assert_string_equal(buf, "48 h+");
	assert_true(tiers.t[3].response_at_least);
	assert_int_equal(tiers.t[3].response_hours, 48);
	/* reviews monthly, monthly, quarterly, none */
	assert_int_equal(tiers.t[0].review_days, 30);
	assert_int_equal(tiers.t[1].review_days, 30);
	assert_int_equal(tiers.t[2].review_days, 90);
	assert_int_equal(tiers.t[3].review_days, 0);
	/* CSM ratios 1:1, 1:5, 1:20, automated */
	assert_int_equal(tiers.t[0].csm_ratio, 1);
	assert_int_equal(tiers.t[1].csm_ratio, 5);
	assert_int_equal(tiers.t[2].csm_ratio, 20);
	cs_tier_ratio(&tiers.t[3], buf, sizeof(buf));
	assert_string_equal(buf, "automated");
	cs_tier_ratio(&tiers.t[2], buf, sizeof(buf));
	assert_string_equal(buf, "1:20");
	assert_int_equal(tiers.t[0].onboarding_days, 45);
	assert_int_equal(tiers.t[3].onboarding_days, 0);
}

static void test_arr_edges(void **state)
{
	(void)state;
	assert_string_equal(tier_name(cs_tier_of(&tiers, NULL, true, 100000.00)), "Enterprise");
	assert_string_equal(tier_name(cs_tier_of(&tiers, NULL, true, 99999.99)), "Mid-Market");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "", true, 25000.00)), "Mid-Market");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "", true, 24999.99)), "Small Business");
	assert_string_equal(tier_name(cs_tier_of(&tiers, NULL, true, 5000.00)), "Small Business");
	assert_string_equal(tier_name(cs_tier_of(&tiers, NULL, true, 4999.99)), "Trial/Freemium");
	assert_string_equal(tier_name(cs_tier_of(&tiers, NULL, true, 0)), "Trial/Freemium");
	assert_string_equal(tier_name(cs_tier_of(&tiers, NULL, true, 12e6)), "Enterprise");
	/* Unknown ARR and no named tier: no tier. */
	assert_int_equal(cs_tier_of(&tiers, NULL, false, 0), -1);
	assert_int_equal(cs_tier_of(&tiers, "", false, 250000), -1);
	/* A segment that names no tier leaves the ARR to decide. */
	assert_int_equal(cs_tier_of(&tiers, "Public Sector", false, 0), -1);
	assert_string_equal(tier_name(cs_tier_of(&tiers, "Public Sector", true, 30000)),
			    "Mid-Market");
}

static void test_named_tier_overrides_arr(void **state)
{
	(void)state;
	/* The export's name wins over the ARR, and over an unknown ARR. */
	assert_string_equal(tier_name(cs_tier_of(&tiers, "Enterprise", true, 1200)), "Enterprise");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "Trial", true, 250000)), "Trial/Freemium");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "Small Business", false, 0)),
			    "Small Business");
	/* Case, blanks and punctuation do not count; aliases are names too. */
	assert_string_equal(tier_name(cs_tier_of(&tiers, "MID MARKET", true, 1)), "Mid-Market");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "mid_market", true, 1)), "Mid-Market");
	assert_string_equal(tier_name(cs_tier_of(&tiers, " small-business ", true, 1)),
			    "Small Business");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "SMB", true, 1)), "Small Business");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "Tier 1", true, 1)), "Enterprise");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "trial/freemium", false, 0)),
			    "Trial/Freemium");
	assert_string_equal(tier_name(cs_tier_of(&tiers, "Freemium", true, 50000)),
			    "Trial/Freemium");
	/* Not a prefix match: "Enterprises" names nothing. */
	assert_int_equal(cs_tier_find(&tiers, "Enterprises"), -1);
	assert_int_equal(cs_tier_find(&tiers, "--"), -1);
	assert_int_equal(cs_tier_find(&tiers, NULL), -1);
}

static void test_sql_function(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	static const char *const want[] = { "Enterprise", "Mid-Market", "Small Business",
					    "Trial/Freemium", NULL, "Enterprise" };
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	int i = 0;

	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(cs_tiers_sql(db, &tiers, &d), 0);
	assert_int_equal(sqlite3_prepare_v2(db,
		"WITH v(s, a) AS (VALUES (NULL, 100000.0), ('', 99999.99),"
		" ('small business', NULL), (NULL, 4999.99), ('Other', NULL),"
		" ('ENTERPRISE', 10)) SELECT casey_tier(s, a) FROM v", -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *got = (const char *)sqlite3_column_text(st, 0);

		if (want[i])
			assert_string_equal(got, want[i]);
		else
			assert_null(got);
		i++;
	}
	assert_int_equal(i, 6);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A tiers file with body, loaded: the first error line, or "" when it loads. */
static const char *load_error(const char *name, const char *body)
{
	static char line[1024];
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_tiers t;
	const char *path = write_file(name, body);
	int rc = cs_tiers_load(path, &t, &d);

	line[0] = '\0';
	if (rc) {
		assert_true(cap.n > 0);
		/* Without the scratch directory, which changes per run. */
		snprintf(line, sizeof(line), "%s",
			 strncmp(cap.lines[0], path, strlen(path) - strlen(name)) ? cap.lines[0] :
			 cap.lines[0] + strlen(path) - strlen(name));
	} else {
		assert_int_equal(cap.n, 0);
	}
	return line;
}

#define TIER(name, extra) \
	"[" name "]\n" extra "response_sla = < 4 h\nreview_days = 30\ncsm_ratio = 1:5\n"

static void test_file_errors(void **state)
{
	(void)state;
	/* Two tiers covering everything load. */
	assert_string_equal(load_error("ok.ini",
		TIER("Big", "arr_min = 1000\n") TIER("Small", "arr_min = 0\narr_below = 1000\n")),
		"");
	/* A gap: Small ends at 999, Big starts at 1000 (line 8: Small's arr_below). */
	assert_string_equal(load_error("gap.ini",
		TIER("Big", "arr_min = 1000\n") TIER("Small", "arr_min = 0\narr_below = 999\n")),
		"gap.ini:8: ARR from 999.00 to 1000.00 has no tier ([Small] ends, [Big] starts later)");
	/* An overlap. */
	assert_string_equal(load_error("overlap.ini",
		TIER("Big", "arr_min = 1000\n") TIER("Small", "arr_min = 0\narr_below = 1000.01\n")),
		"overlap.ini:8: [Small] overlaps [Big]: ARR from 1000.00 to 1000.01 is in both");
	/* Two tiers starting at the same ARR. */
	assert_string_equal(load_error("same.ini",
		TIER("Big", "arr_min = 0\n") TIER("Small", "arr_min = 0\narr_below = 10\n")),
		"same.ini:7: [Big] and [Small] overlap: both start at 0.00");
	/* A lower tier with no end overlaps the next. */
	assert_string_equal(load_error("open.ini",
		TIER("Big", "arr_min = 1000\n") TIER("Small", "arr_min = 0\n")),
		"open.ini:7: [Small] has no arr_below, so it overlaps [Big] from 1000.00");
	/* Nothing from 0. */
	assert_string_equal(load_error("floor.ini", TIER("Only", "arr_min = 5\n")),
			    "floor.ini:2: ARR below 5.00 has no tier ([Only] is the lowest)");
	/* The highest tier ends: no tier above it. */
	assert_string_equal(load_error("ceiling.ini", TIER("Only", "arr_min = 0\narr_below = 9\n")),
			    "ceiling.ini:3: ARR of 9.00 and more has no tier ([Only] is the "
			    "highest; leave out its arr_below)");
	assert_string_equal(load_error("inverted.ini",
		TIER("Only", "arr_min = 50\narr_below = 40\n")),
		"inverted.ini:3: [Only] arr_below 40.00 is not above its arr_min 50.00");
	/* Bad numbers. */
	assert_string_equal(load_error("num.ini", TIER("Only", "arr_min = 1,000\n")),
			    "num.ini:2: arr_min must be a non-negative amount, not '1,000'");
	assert_string_equal(load_error("neg.ini", TIER("Only", "arr_min = -1\n")),
			    "neg.ini:2: arr_min must be a non-negative amount, not '-1'");
	assert_string_equal(load_error("sla.ini", "[Only]\narr_min = 0\nresponse_sla = 2 h\n"),
			    "sla.ini:3: response_sla is '< N h' or 'N h+', not '2 h'");
	assert_string_equal(load_error("days.ini", "[Only]\narr_min = 0\nreview_days = 7.5\n"),
			    "days.ini:3: review_days is a whole number of days or 'none', not '7.5'");
	assert_string_equal(load_error("ratio.ini", "[Only]\narr_min = 0\ncsm_ratio = 5\n"),
			    "ratio.ini:3: csm_ratio is '1:N' or 'automated', not '5'");
	assert_string_equal(load_error("onb.ini", "[Only]\narr_min = 0\nonboarding_days = soon\n"),
			    "onb.ini:3: onboarding_days is a whole number of days or 'self-paced', "
			    "not 'soon'");
	/* Names, keys and sections. */
	assert_string_equal(load_error("key.ini", "[Only]\narr_min = 0\ncolour = red\n"),
			    "key.ini:3: unknown setting 'colour' in [Only]");
	assert_string_equal(load_error("outside.ini", "arr_min = 0\n"),
			    "outside.ini:1: 'arr_min' is outside any [tier] section");
	assert_string_equal(load_error("alias.ini",
		TIER("Big", "arr_min = 1000\naliases = large, huge\n")
		TIER("Small", "arr_min = 0\narr_below = 1000\naliases = tiny, LARGE\n")),
		"alias.ini:10: 'LARGE' already names [Big]");
	assert_string_equal(load_error("twice.ini",
		TIER("Big", "arr_min = 1000\n") TIER("Small", "arr_min = 0\narr_below = 1000\n")
		"[Big]\nlabel = B\n"),
		"twice.ini:13: [Big] appears twice");
	assert_string_equal(load_error("label.ini", "[Only]\nlabel = Enormous\n"),
			    "label.ini:2: label is 1-7 characters, not 'Enormous'");
	assert_string_equal(load_error("needs.ini", "[Only]\narr_min = 0\n"),
			    "needs.ini:2: [Only] needs response_sla");
	assert_string_equal(load_error("none.ini", "[Big]\naliases = none\n"),
			    "none.ini:2: 'none' cannot name a tier: it means no tier");
	assert_string_equal(load_error("empty.ini", "; nothing\n"), "empty.ini: no tiers");
}

/*
 * The at-risk customers of the latest snapshot by tier, by hand:
 *   A1 Enterprise by ARR $150,000      A2 named Enterprise, ARR $1,000
 *   A3 Mid-Market by ARR $99,999.99    A4 named "smb", ARR unknown
 *   A5 no tier (unknown ARR, no name)  A6 $200,000 but not at risk
 *   A7 at risk only in an older snapshot
 * Enterprise 2, $151,000; Mid-Market 1, $99,999.99; Small Business 1, $0;
 * Trial/Freemium 0; no tier 1.
 */
static void test_at_risk_by_tier(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_tier_sum sums[CS_TIERS_MAX + 1];
	char path[512], *err = NULL;
	int32_t as_of;
	sqlite3 *db;

	(void)state;
	snprintf(path, sizeof(path), "%s/at-risk.db", scratch_dir());
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &db, &d), 0);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO customers (customer_id, name, segment, arr) VALUES"
		" ('A1', 'a', NULL, 150000), ('A2', 'b', 'Enterprise', 1000),"
		" ('A3', 'c', '', 99999.99), ('A4', 'd', 'smb', NULL), ('A5', 'e', NULL, NULL),"
		" ('A6', 'f', NULL, 200000), ('A7', 'g', NULL, 300000);"
		"INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band,"
		"                       coverage, trend, components, measures, at_risk, arr) VALUES"
		" ('A1', '2026-11-20', 'default', '1', 40, 'red', 100, 'stable', '', '', 1, 150000),"
		" ('A2', '2026-11-20', 'default', '1', 55, 'yellow', 100, 'declining', '', '', 1, 1000),"
		" ('A3', '2026-11-20', 'default', '1', 30, 'red', 100, 'stable', '', '', 1, 99999.99),"
		" ('A4', '2026-11-20', 'default', '1', 30, 'red', 100, 'stable', '', '', 1, NULL),"
		" ('A5', '2026-11-20', 'default', '1', 30, 'red', 100, 'stable', '', '', 1, NULL),"
		" ('A6', '2026-11-20', 'default', '1', 90, 'green', 100, 'stable', '', '', 0, 200000),"
		" ('A7', '2026-11-13', 'default', '1', 30, 'red', 100, 'stable', '', '', 1, 300000),"
		" ('A7', '2026-11-20', 'default', '1', 85, 'green', 100, 'improving', '', '', 0, 300000)",
		NULL, NULL, &err), SQLITE_OK);
	assert_int_equal(cs_parse_day("2026-11-21", &as_of), 0);
	assert_int_equal(cs_tiers_at_risk(db, &tiers, "default", as_of, sums, &d), 0);
	assert_int_equal(sums[0].customers, 2);
	assert_true(sums[0].arr == 151000);
	assert_int_equal(sums[1].customers, 1);
	assert_true(sums[1].arr == 99999.99);
	assert_int_equal(sums[2].customers, 1);
	assert_true(sums[2].arr == 0);
	assert_int_equal(sums[3].customers, 0);
	assert_int_equal(sums[4].customers, 1);	/* no tier */
	/* What a run kept is read instead, while no import came after it ... */
	{
		struct cs_tier_sum kept[CS_TIERS_MAX + 1] = { { 7, 700 }, { 0, 0 }, { 0, 0 },
							      { 0, 0 }, { 1, 1 } };

		assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
		assert_int_equal(cs_tiers_at_risk_store(db, &tiers, "default", as_of, kept, &d), 0);
		assert_int_equal(cs_tiers_at_risk(db, &tiers, "default", as_of, sums, &d), 0);
		assert_int_equal(sums[0].customers, 7);
		assert_true(sums[0].arr == 700);
		assert_int_equal(sums[1].customers, 0);
		assert_int_equal(sums[4].customers, 1);
		/* ... and under other tiers it is not. */
		{
			struct cs_tiers other = tiers;

			other.t[1].arr_min = 20000;
			other.t[2].arr_below = 20000;
			assert_int_equal(cs_tiers_at_risk(db, &other, "default", as_of, sums, &d), 0);
			assert_int_equal(sums[0].customers, 2);
		}
		/* An import since: counted from the snapshots again. */
		assert_int_equal(sqlite3_exec(db,
			"INSERT INTO imports (file, kind, imported_at, rows_inserted, rows_updated,"
			" rows_unchanged, rows_skipped) VALUES ('x.csv', 'nps', 'now', 1, 0, 0, 0)",
			NULL, NULL, &err), SQLITE_OK);
		assert_int_equal(cs_tiers_at_risk(db, &tiers, "default", as_of, sums, &d), 0);
		assert_int_equal(sums[0].customers, 2);
		assert_true(sums[0].arr == 151000);
	}
	/* Before any snapshot: all zero. */
	assert_int_equal(cs_parse_day("2026-11-12", &as_of), 0);
	assert_int_equal(cs_tiers_at_risk(db, &tiers, "default", as_of, sums, &d), 0);
	assert_int_equal(sums[0].customers + sums[1].customers + sums[4].customers, 0);
	cs_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_tiers),
		cmocka_unit_test(test_arr_edges),
		cmocka_unit_test(test_named_tier_overrides_arr),
		cmocka_unit_test(test_sql_function),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_at_risk_by_tier),
	};

	return cmocka_run_group_tests_name("tiers", tests, setup, NULL);
}
