/*
 * test_signals.c — the churn-risk score of seed 002 with the shipped
 * assets/signals.ini: each factor alone at its edges, factors combined, the
 * segments exactly at their thresholds, the cap; the factors read from a
 * constructed database at the edges of every window; the list's order,
 * filter and paging; a broken configuration refused with FILE:LINE.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/assets.h"
#include "casey/db.h"
#include "casey/lists.h"
#include "casey/signals.h"
#include "casey/value.h"

static struct cs_signals_config cfg;

static int load_config(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);

	(void)state;
	if (cs_signals_config_load(NULL, &cfg, &d)) {
		fprintf(stderr, "%s\n", cap.lines[0]);
		return -1;
	}
	return 0;
}

/* A customer with no risk at all: healthy, active daily, nothing open. */
static struct cs_churn_factors calm(void)
{
	struct cs_churn_factors f = { .health_known = true, .health = 90,
				      .usage_known = true, .inactive_days = 1 };
	return f;
}

static struct cs_churn score_of(const struct cs_churn_factors *f)
{
	struct cs_churn ch;

	cs_churn_score(&cfg, f, &ch);
	return ch;
}

static void test_each_factor_alone(void **state)
{
	struct cs_churn_factors f;
	/* health: below 40 +40, below 60 +25, below 80 +10 */
	static const int health[][2] = {
		{ 0, 40 }, { 39, 40 }, { 40, 25 }, { 59, 25 }, { 60, 10 }, { 79, 10 }, { 80, 0 },
		{ 100, 0 },
	};
	/* inactivity: 14+ days +30, 7+ days +15 */
	static const int inactive[][2] = {
		{ 0, 0 }, { 6, 0 }, { 7, 15 }, { 13, 15 }, { 14, 30 }, { 90, 30 },
	};
	/* tickets in 30 days: 5 each, at most 15 */
	static const int tickets[][2] = { { 0, 0 }, { 1, 5 }, { 2, 10 }, { 3, 15 }, { 9, 15 } };
	size_t i;

	(void)state;
	assert_int_equal(score_of(&(struct cs_churn_factors){ 0 }).score, 0);
	f = calm();
	assert_int_equal(score_of(&f).score, 0);
	assert_int_equal(score_of(&f).segment, CS_CHURN_NONE);
	for (i = 0; i < sizeof(health) / sizeof(health[0]); i++) {
		f = calm();
		f.health = health[i][0];
		assert_int_equal(score_of(&f).points[CS_RISK_HEALTH], health[i][1]);
		assert_int_equal(score_of(&f).score, health[i][1]);
	}
	f = calm();
	f.health_known = false;
	f.health = 0;
	assert_int_equal(score_of(&f).score, 0);
	for (i = 0; i < sizeof(inactive) / sizeof(inactive[0]); i++) {
		f = calm();
		f.inactive_days = inactive[i][0];
		assert_int_equal(score_of(&f).points[CS_RISK_INACTIVITY], inactive[i][1]);
		assert_int_equal(score_of(&f).score, inactive[i][1]);
	}
	f = calm();
	f.usage_known = false;
	f.inactive_days = 99;
	assert_int_equal(score_of(&f).score, 0);
	for (i = 0; i < sizeof(tickets) / sizeof(tickets[0]); i++) {
		f = calm();
		f.tickets = tickets[i][0];
		assert_int_equal(score_of(&f).points[CS_RISK_TICKETS], tickets[i][1]);
	}
	/* 10 per unresolved critical ticket, 10 per failed payment, no cap of their own */
	f = calm();
	f.critical = 3;
	assert_int_equal(score_of(&f).points[CS_RISK_CRITICAL], 30);
	assert_int_equal(score_of(&f).score, 30);
	f = calm();
	f.failed_payments = 2;
	assert_int_equal(score_of(&f).points[CS_RISK_PAYMENTS], 20);
	assert_int_equal(score_of(&f).score, 20);
	/* downgrade +25, cancellation +50, and a cancellation outweighs a downgrade */
	f = calm();
	f.downgrade = true;
	assert_int_equal(score_of(&f).score, 25);
	f.cancel = true;
	assert_int_equal(score_of(&f).score, 50);
	assert_int_equal(score_of(&f).points[CS_RISK_DOWNGRADE], 0);
	assert_int_equal(score_of(&f).points[CS_RISK_CANCEL], 50);
}

static void test_segments_at_their_thresholds(void **state)
{
	struct cs_churn_factors f;
	struct cs_churn ch;
	char why[256];

	(void)state;
	/* 70 = health 39 (+40) + 14 days inactive (+30): high */
	f = calm();
	f.health = 39;
	f.inactive_days = 14;
	ch = score_of(&f);
	assert_int_equal(ch.score, 70);
	assert_int_equal(ch.segment, CS_CHURN_HIGH);
	assert_string_equal(ch.step, cfg.step[CS_CHURN_HIGH]);
	cs_churn_reasons(&ch, why, sizeof(why));
	assert_string_equal(why, "health +40, inactivity +30");
	/* 65 = health 39 (+40) + a downgrade (+25): medium */
	f = calm();
	f.health = 39;
	f.downgrade = true;
	assert_int_equal(score_of(&f).score, 65);
	assert_int_equal(score_of(&f).segment, CS_CHURN_MEDIUM);
	/* 40 = health 39 alone: medium */
	f = calm();
	f.health = 39;
	assert_int_equal(score_of(&f).segment, CS_CHURN_MEDIUM);
	/* 35 = health 59 (+25) + one critical ticket (+10): low */
	f = calm();
	f.health = 59;
	f.critical = 1;
	assert_int_equal(score_of(&f).score, 35);
	assert_int_equal(score_of(&f).segment, CS_CHURN_LOW);
	/* 20 = two failed payments: low; 15 = three tickets: none */
	f = calm();
	f.failed_payments = 2;
	assert_int_equal(score_of(&f).segment, CS_CHURN_LOW);
	assert_string_equal(score_of(&f).step, cfg.step[CS_CHURN_LOW]);
	f = calm();
	f.tickets = 3;
	assert_int_equal(score_of(&f).score, 15);
	assert_int_equal(score_of(&f).segment, CS_CHURN_NONE);
	/* everything at once: 40 + 30 + 15 + 20 + 30 + 50 = 185, capped at 100 */
	f = (struct cs_churn_factors){ .health_known = true, .health = 10, .usage_known = true,
				       .inactive_days = 40, .tickets = 7, .critical = 2,
				       .failed_payments = 3, .downgrade = true, .cancel = true };
	ch = score_of(&f);
	assert_int_equal(ch.score, 100);
	assert_int_equal(ch.segment, CS_CHURN_HIGH);
	cs_churn_reasons(&ch, why, sizeof(why));
	assert_string_equal(why, "cancellation +50, health +40, inactivity +30, "
			    "failed_payments +30, critical_tickets +20, tickets +15");
}

/* ---- the factors from a database ---------------------------------------- */

static sqlite3 *db;

static void exec_sql(const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s\n", err);
		fail();
	}
}

static int open_db(void **state)
{
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	char path[512];

	(void)state;
	snprintf(path, sizeof(path), "%s/signals.db", scratch_dir());
	return cs_db_open(path, CS_DB_OPEN, &db, &d);
}

static int close_db(void **state)
{
	(void)state;
	cs_db_close(db);
	return 0;
}

#define SNAP(id, day, score, band) \
	"INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band," \
	" coverage, trend, components, measures) VALUES ('" id "', '" day "', 'default', '1', " \
	#score ", '" band "', 100, 'stable', '', '');"

/*
 * As of 2026-11-20: K1 is the customer at every window's edge; K2 has
 * nothing but a Red score; K3 asked to cancel; K4 has no ARR.
 */
static void load_world(void)
{
	exec_sql(
	"INSERT INTO customers (customer_id, name, arr, status) VALUES"
	" ('K1', 'Edge Co', 50000, 'active'), ('K2', 'Quiet Red', 90000, 'active'),"
	" ('K3', 'Leaving Ltd', 20000, 'cancel_requested'), ('K4', 'No ARR', NULL, 'active');"
	SNAP("K1", "2026-11-13", 90, "green") SNAP("K1", "2026-11-20", 55, "yellow")
	SNAP("K2", "2026-11-20", 30, "red") SNAP("K3", "2026-11-20", 85, "green")
	SNAP("K4", "2026-11-20", 70, "yellow")
	/* K1's latest usage row is 3 days old with 4 active days: 3 + 30/4 = 10 days */
	"INSERT INTO usage (customer_id, date, active_days_30d) VALUES"
	" ('K1', '2026-11-10', 20), ('K1', '2026-11-17', 4), ('K1', '2026-11-27', 30),"
	" ('K2', '2026-11-20', 25), ('K3', '2026-11-20', 0);"
	/* tickets of the 30 days 2026-10-22..11-20: T2, T3, T4 (T1 is a day early,
	 * T9 a day late) */
	"INSERT INTO tickets (ticket_id, customer_id, created_at, urgency, status, resolved_at)"
	" VALUES ('T1', 'K1', '2026-10-21 23:59:59', 'high', 'open', NULL),"
	" ('T2', 'K1', '2026-10-22 00:00:00', 'low', 'open', NULL),"
	/* critical: opened 48 hours or more before the end of the as-of day */
	" ('T3', 'K1', '2026-11-18 23:59:59', 'high', 'open', NULL),"
	" ('T4', 'K1', '2026-11-19 00:00:00', 'high', 'open', NULL),"
	/* resolved after the as-of day: unresolved then; solved without a date: resolved */
	" ('T5', 'K1', '2026-09-01 10:00:00', 'high', 'solved', '2026-11-21 09:00:00'),"
	" ('T6', 'K1', '2026-09-01 10:00:00', 'high', 'solved', NULL),"
	" ('T7', 'K1', '2026-09-01 10:00:00', 'high', 'closed', '2026-11-20 18:00:00'),"
	" ('T8', 'K1', '2026-09-01 10:00:00', 'medium', 'open', NULL),"
	" ('T9', 'K1', '2026-11-21 08:00:00', 'high', 'open', NULL);"
	/* failed payments of the 90 days 2026-08-23..11-20: P2, P3 */
	"INSERT INTO payments (payment_id, customer_id, date, amount, status) VALUES"
	" ('P1', 'K1', '2026-08-22', 10, 'failed'), ('P2', 'K1', '2026-08-23', 10, 'failed'),"
	" ('P3', 'K1', '2026-11-20', 10, 'failed'), ('P4', 'K1', '2026-11-21', 10, 'failed'),"
	" ('P5', 'K1', '2026-10-01', 10, 'paid'), ('P6', 'K1', '2026-10-02', 10, 'overdue');"
	/* a downgrade on the window's first day counts; a cancellation tomorrow does not */
	"INSERT INTO plan_changes (customer_id, date, from_plan, to_plan, change_kind) VALUES"
	" ('K1', '2026-08-23', 'Growth', 'Starter', 'downgrade'),"
	" ('K1', '2026-11-21', 'Starter', NULL, NULL),"
	" ('K2', '2026-08-22', 'Growth', NULL, 'cancel');"
	/* NPS answers of the 180 days 2026-05-25..11-20, the latest of each counting:
	 * K2 a promoter (but Red), K3 a promoter on the window's first day (its
	 * older detractor answer no longer counts), K4 a passive a day too early */
	"INSERT INTO nps (response_key, customer_id, date, score) VALUES"
	" ('N1', 'K2', '2026-11-01', 10), ('N2', 'K3', '2026-05-25', 9),"
	" ('N3', 'K3', '2026-05-01', 3), ('N4', 'K4', '2026-05-24', 8),"
	" ('N5', 'K1', '2026-11-21', 0);");
}

static void test_factors_at_window_edges(void **state)
{
	struct cs_churn_factors f;
	struct cs_churn ch;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	bool found;
	int32_t as_of;
	char what[96];

	(void)state;
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	assert_int_equal(cs_churn_get(db, &cfg, "K1", as_of, &f, &ch, &found, &d), 0);
	assert_true(found);
	assert_true(f.health_known);
	assert_int_equal(f.health, 55);
	assert_true(f.usage_known);
	assert_int_equal(f.inactive_days, 10);
	assert_int_equal(f.tickets, 3);			/* T2, T3, T4 */
	assert_int_equal(f.critical, 3);		/* T1, T3, T5 */
	assert_int_equal(f.failed_payments, 2);		/* P2, P3 */
	assert_true(f.downgrade);
	assert_false(f.cancel);
	/* 25 (health) + 15 (10 days) + 15 (capped) + 30 + 20 + 25 = 130 -> 100 */
	assert_int_equal(ch.points[CS_RISK_HEALTH], 25);
	assert_int_equal(ch.points[CS_RISK_INACTIVITY], 15);
	assert_int_equal(ch.points[CS_RISK_TICKETS], 15);
	assert_int_equal(ch.points[CS_RISK_CRITICAL], 30);
	assert_int_equal(ch.points[CS_RISK_PAYMENTS], 20);
	assert_int_equal(ch.points[CS_RISK_DOWNGRADE], 25);
	assert_int_equal(ch.score, 100);
	cs_churn_factor_text(&cfg, &f, CS_RISK_INACTIVITY, what, sizeof(what));
	assert_string_equal(what, "about 10 days inactive");
	cs_churn_factor_text(&cfg, &f, CS_RISK_PAYMENTS, what, sizeof(what));
	assert_string_equal(what, "2 failed in 90 days");

	/* A week earlier: the 2026-11-13 score (90), the 11-10 usage row (3 + 1 day). */
	assert_int_equal(cs_churn_get(db, &cfg, "K1", as_of - 7, &f, &ch, &found, &d), 0);
	assert_int_equal(f.health, 90);
	assert_int_equal(f.inactive_days, 4);
	assert_int_equal(ch.points[CS_RISK_HEALTH], 0);
	assert_int_equal(ch.points[CS_RISK_INACTIVITY], 0);

	/* K2: Red alone (+40); its cancellation is older than 90 days. */
	assert_int_equal(cs_churn_get(db, &cfg, "K2", as_of, &f, &ch, &found, &d), 0);
	assert_int_equal(ch.score, 40);
	assert_int_equal(ch.segment, CS_CHURN_MEDIUM);
	assert_false(f.cancel);
	/* K3: no active day in 30 days (0 + 30: +30) and a cancellation request (+50). */
	assert_int_equal(cs_churn_get(db, &cfg, "K3", as_of, &f, &ch, &found, &d), 0);
	assert_int_equal(f.inactive_days, 30);
	assert_true(f.cancel);
	assert_int_equal(ch.score, 80);
	assert_int_equal(ch.segment, CS_CHURN_HIGH);
	/* K4: no usage at all: inactivity is unknown, not zero. */
	assert_int_equal(cs_churn_get(db, &cfg, "K4", as_of, &f, &ch, &found, &d), 0);
	assert_false(f.usage_known);
	cs_churn_factor_text(&cfg, &f, CS_RISK_INACTIVITY, what, sizeof(what));
	assert_string_equal(what, "no usage data");
	assert_int_equal(ch.score, 10);
	assert_int_equal(ch.segment, CS_CHURN_NONE);
	/* No such customer. */
	assert_int_equal(cs_churn_get(db, &cfg, "K9", as_of, &f, &ch, &found, &d), 0);
	assert_false(found);
}

static void test_list_order_filter_and_pages(void **state)
{
	struct cs_churn_row rows[8];
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	struct cs_signal_key key;
	int32_t as_of;
	int n;

	(void)state;
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	/* Every segment, by ARR: K2 90000, K1 50000, K3 20000, then K4 (unknown). */
	n = cs_churn_list(db, &cfg, as_of, 0, NULL, rows, 8, &d);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].customer_id, "K2");
	assert_string_equal(rows[1].customer_id, "K1");
	assert_int_equal(rows[1].churn.score, 100);
	assert_string_equal(rows[2].customer_id, "K3");
	assert_string_equal(rows[3].customer_id, "K4");
	assert_false(rows[3].arr_known);
	/* High only: K1, K3. */
	n = cs_churn_list(db, &cfg, as_of, 1u << CS_CHURN_HIGH, NULL, rows, 8, &d);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].customer_id, "K1");
	assert_string_equal(rows[1].customer_id, "K3");
	/* A page of one at a time, across the unknown-ARR part. */
	memset(&key, 0, sizeof(key));
	for (int i = 0; i < 4; i++) {
		static const char *const want[] = { "K2", "K1", "K3", "K4" };

		assert_int_equal(cs_churn_list(db, &cfg, as_of, 0, &key, rows, 1, &d), 1);
		assert_string_equal(rows[0].customer_id, want[i]);
		key = rows[0].key;
	}
	assert_int_equal(cs_churn_list(db, &cfg, as_of, 0, &key, rows, 1, &d), 0);
	/* Medium or none: K2 (40), K4 (10). */
	n = cs_churn_list(db, &cfg, as_of, (1u << CS_CHURN_MEDIUM) | (1u << CS_CHURN_NONE),
			  NULL, rows, 8, &d);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].customer_id, "K2");
	assert_string_equal(rows[1].customer_id, "K4");
}

/* ---- behavioural segments ------------------------------------------------ */

static void test_behaviour_edges(void **state)
{
	/* health (-1 unknown), NPS (-1 unknown), segment */
	static const int cases[][3] = {
		{ 80, 9, CS_BEH_CHAMPION }, { 100, 10, CS_BEH_CHAMPION },
		{ 79, 9, CS_BEH_LOYALIST }, { 80, 8, CS_BEH_LOYALIST }, { 70, 7, CS_BEH_LOYALIST },
		{ 69, 7, CS_BEH_NONE }, { 69, 10, CS_BEH_NONE }, { 70, -1, CS_BEH_NONE },
		{ 85, -1, CS_BEH_NONE }, { 61, 7, CS_BEH_NONE },
		{ 60, 10, CS_BEH_AT_RISK }, { 60, 5, CS_BEH_AT_RISK }, { 40, 0, CS_BEH_AT_RISK },
		{ 40, -1, CS_BEH_AT_RISK }, { 50, 9, CS_BEH_AT_RISK },
		{ 39, 10, CS_BEH_DETRACTOR }, { 39, -1, CS_BEH_DETRACTOR },
		{ 61, 6, CS_BEH_DETRACTOR }, { 85, 6, CS_BEH_DETRACTOR }, { 70, 6, CS_BEH_DETRACTOR },
		{ -1, 3, CS_BEH_DETRACTOR }, { -1, 9, CS_BEH_NONE }, { -1, -1, CS_BEH_NONE },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum cs_behaviour b = cs_behaviour_of(&cfg, cases[i][0] >= 0, cases[i][0],
						      cases[i][1] >= 0, cases[i][1]);

		if ((int)b != cases[i][2])
			fprintf(stderr, "health %d, NPS %d: %s, not %s\n", cases[i][0], cases[i][1],
				cs_behaviour_names[b], cs_behaviour_names[cases[i][2]]);
		assert_int_equal(b, cases[i][2]);
	}
	assert_int_equal(cs_behaviour_find("at-risk"), CS_BEH_AT_RISK);
	assert_int_equal(cs_behaviour_find("Champions"), CS_BEH_CHAMPION);
	assert_int_equal(cs_behaviour_find("fans"), -1);
}

/* One customer, the counts and the list filter agree on the constructed world. */
static void test_behaviour_from_the_database(void **state)
{
	static const struct { const char *id; int health, nps; enum cs_behaviour b; } want[] = {
		{ "K1", 55, -1, CS_BEH_AT_RISK },	/* its answer is dated after the day */
		{ "K2", 30, 10, CS_BEH_DETRACTOR },
		{ "K3", 85, 9, CS_BEH_CHAMPION },
		{ "K4", 70, -1, CS_BEH_NONE },		/* a Loyalist, were its answer a day later */
	};
	struct cs_behaviour_inputs in;
	struct cs_list_row rows[8];
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	enum cs_behaviour b;
	long counts[CS_BEH_N];
	double arr[CS_BEH_N];
	int32_t as_of;
	bool found;

	(void)state;
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct cs_list_query q = { .profile = "default", .as_of = as_of,
					   .sort = CS_SORT_ARR, .signals = &cfg,
					   .behaviour = cs_behaviour_names[want[i].b] };

		assert_int_equal(cs_behaviour_get(db, &cfg, want[i].id, as_of, &in, &b, &found,
						  &d), 0);
		assert_true(found);
		assert_int_equal(in.health, want[i].health);
		assert_int_equal(in.nps_known, want[i].nps >= 0);
		if (want[i].nps >= 0)
			assert_int_equal(in.nps, want[i].nps);
		assert_int_equal(b, want[i].b);
		assert_int_equal(cs_list_customers(db, &q, NULL, false, rows, 8, &d), 1);
		assert_string_equal(rows[0].customer_id, want[i].id);
	}
	assert_string_equal(in.nps_date, "");
	assert_int_equal(cs_behaviour_get(db, &cfg, "K3", as_of, &in, &b, &found, &d), 0);
	assert_string_equal(in.nps_date, "2026-05-25");
	assert_int_equal(cs_behaviour_counts(db, &cfg, as_of, counts, arr, &d), 0);
	assert_int_equal(counts[CS_BEH_CHAMPION], 1);
	assert_int_equal(counts[CS_BEH_LOYALIST], 0);
	assert_int_equal(counts[CS_BEH_AT_RISK], 1);
	assert_int_equal(counts[CS_BEH_DETRACTOR], 1);
	assert_int_equal(counts[CS_BEH_NONE], 1);
	assert_true(arr[CS_BEH_DETRACTOR] == 90000);
	assert_true(arr[CS_BEH_NONE] == 0);	/* K4's ARR is unknown */
}

/* ---- expansion opportunities --------------------------------------------- */

/* Healthy, 900 of 1000 seats in use, a promoter, flat usage, $100,000 ARR. */
static struct cs_expansion_inputs near_limit(void)
{
	struct cs_expansion_inputs in = {
		.health_known = true, .health = 80, .usage_known = true, .users = 900,
		.seats = 1000, .core = 5000, .earlier_known = true, .earlier_users = 900,
		.earlier_core = 5000, .nps_known = true, .nps = 9, .arr_known = true,
		.arr = 100000,
	};
	return in;
}

static struct cs_expansion eval(const struct cs_expansion_inputs *in)
{
	struct cs_expansion x;

	cs_expansion_eval(&cfg, in, &x);
	return x;
}

static void test_expansion_edges(void **state)
{
	struct cs_expansion_inputs in;
	struct cs_expansion x;

	(void)state;
	/* 90.0% of the seats, health 80, a promoter: an opportunity */
	in = near_limit();
	x = eval(&in);
	assert_true(x.eligible);
	assert_true(x.near_limit);
	assert_int_equal(x.util_pct, 90);
	assert_string_equal(x.reason, "900 of 1000 seats in use (90%); promoter (NPS 9)");
	assert_string_equal(x.action, cfg.exp_action_promoter);
	/* 20% more seats: 200, at $100 each */
	assert_int_equal(x.extra_seats, 200);
	assert_true(x.estimate_known);
	assert_true(x.estimate == 20000);
	/* 89.9% is not 90% */
	in.users = 899;
	x = eval(&in);
	assert_false(x.near_limit);
	assert_false(x.eligible);
	assert_int_equal(x.util_pct, 89);
	/* health 79 is not healthy; unknown health neither */
	in = near_limit();
	in.health = 79;
	assert_false(eval(&in).eligible);
	in.health = 80;
	in.health_known = false;
	assert_false(eval(&in).eligible);
	/* no recent usage: nothing is near its limit */
	in = near_limit();
	in.usage_known = false;
	assert_false(eval(&in).eligible);
	assert_string_equal(eval(&in).reason, "no recent usage; promoter (NPS 9)");
	/* engaged: a promoter or rising usage; NPS 8 with flat usage is neither */
	in = near_limit();
	in.nps = 8;
	assert_false(eval(&in).eligible);
	/* active users up 10% (990 on 900): rising; up 9.9% (989): not */
	in.users = in.earlier_users = 900;
	in.seats = 1000;
	in.earlier_users = 900;
	in.users = 990;
	x = eval(&in);
	assert_true(x.rising);
	assert_true(x.eligible);
	assert_string_equal(x.reason, "990 of 1000 seats in use (99%); active users +10% in 30 days");
	assert_string_equal(x.action, cfg.exp_action);
	in.users = 989;
	assert_false(eval(&in).rising);
	assert_false(eval(&in).eligible);
	/* core actions up 10% count too; no earlier row, no rise */
	in = near_limit();
	in.nps_known = false;
	in.core = 5500;
	x = eval(&in);
	assert_true(x.rising);
	assert_true(x.eligible);
	assert_string_equal(x.reason, "900 of 1000 seats in use (90%); core actions +10% in 30 days");
	in.earlier_known = false;
	assert_false(eval(&in).eligible);
	/* more users than seats is past the limit */
	in = near_limit();
	in.users = 1050;
	assert_int_equal(eval(&in).util_pct, 105);
	assert_true(eval(&in).eligible);
	/* the estimate: 45 seats, $33,100: 9 more at $735.56 = $6,620; one seat: one more;
	 * ARR unknown: seats but no amount */
	in = near_limit();
	in.users = 42;
	in.seats = 45;
	in.arr = 33100;
	x = eval(&in);
	assert_int_equal(x.extra_seats, 9);
	assert_true(x.estimate > 6619.995 && x.estimate < 6620.005);
	in.users = in.seats = 1;
	assert_int_equal(eval(&in).extra_seats, 1);
	in.arr_known = false;
	assert_false(eval(&in).estimate_known);
	assert_true(eval(&in).eligible);
}

/* X1..X4 as of 2026-11-20: the usage rows at the edges of both windows. */
static void test_expansion_from_the_database(void **state)
{
	struct cs_expansion_inputs in;
	struct cs_expansion x;
	struct cs_expansion_row rows[8];
	struct cs_signal_key key = { .set = false };
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	int32_t as_of;
	bool found;

	(void)state;
	exec_sql(
	"INSERT INTO customers (customer_id, name, arr, seats) VALUES"
	" ('X1', 'Near Limit', 60000, 40), ('X2', 'Stale Usage', 70000, 50),"
	" ('X3', 'Rising', 30000, 20), ('X4', 'Not Quite', 80000, 100);"
	SNAP("X1", "2026-11-20", 90, "green") SNAP("X2", "2026-11-20", 95, "green")
	SNAP("X3", "2026-11-20", 80, "green") SNAP("X4", "2026-11-20", 85, "green")
	/* X1: 45 of 50 seats on the first day of the 30 (the row's seats win over
	 * the customer's 40), a promoter */
	"INSERT INTO usage (customer_id, date, active_users, seats, core_actions_30d) VALUES"
	" ('X1', '2026-10-22', 45, 50, 100),"
	/* X2: the latest row is a day older than 30 days */
	" ('X2', '2026-10-21', 50, 50, 100),"
	/* X3: 18 of 20 (no seats in the row: the customer's 20); 16 users on
	 * 2026-10-21 (30 days before), 18 is +12.5%; the 10-22 row is too late */
	" ('X3', '2026-10-21', 16, NULL, 100), ('X3', '2026-10-22', 18, NULL, 100),"
	" ('X3', '2026-11-20', 18, NULL, 100),"
	/* X4: 89 of 100 */
	" ('X4', '2026-11-20', 89, 100, 100);"
	"INSERT INTO nps (response_key, customer_id, date, score) VALUES"
	" ('NX1', 'X1', '2026-11-01', 10), ('NX2', 'X2', '2026-11-01', 10),"
	" ('NX4', 'X4', '2026-11-01', 10);");
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	assert_int_equal(cs_expansion_get(db, &cfg, "X1", as_of, &in, &x, &found, &d), 0);
	assert_true(found);
	assert_int_equal(in.users, 45);
	assert_int_equal(in.seats, 50);
	assert_true(x.eligible);
	assert_int_equal(x.extra_seats, 10);		/* 20% of 50 */
	assert_true(x.estimate == 12000);		/* 10 x $1,200 */
	assert_int_equal(cs_expansion_get(db, &cfg, "X2", as_of, &in, &x, &found, &d), 0);
	assert_false(in.usage_known);
	assert_false(x.eligible);
	assert_int_equal(cs_expansion_get(db, &cfg, "X3", as_of, &in, &x, &found, &d), 0);
	assert_int_equal(in.seats, 20);
	assert_true(in.earlier_known);
	assert_int_equal(in.earlier_users, 16);
	assert_true(x.rising);
	assert_false(x.promoter);
	assert_true(x.eligible);
	assert_string_equal(x.reason, "18 of 20 seats in use (90%); active users +12% in 30 days");
	assert_int_equal(cs_expansion_get(db, &cfg, "X4", as_of, &in, &x, &found, &d), 0);
	assert_false(x.eligible);
	/* The list: X1 ($60,000), then X3 ($30,000); K3 (health 85, no usage) is not one. */
	assert_int_equal(cs_expansion_list(db, &cfg, as_of, NULL, rows, 8, &d), 2);
	assert_string_equal(rows[0].customer_id, "X1");
	assert_string_equal(rows[1].customer_id, "X3");
	assert_int_equal(cs_expansion_list(db, &cfg, as_of, &key, rows, 1, &d), 1);
	key = rows[0].key;
	assert_int_equal(cs_expansion_list(db, &cfg, as_of, &key, rows, 1, &d), 1);
	assert_string_equal(rows[0].customer_id, "X3");
	key = rows[0].key;
	assert_int_equal(cs_expansion_list(db, &cfg, as_of, &key, rows, 1, &d), 0);
}

/*
 * A customer the newest run did not score (churned since, say) keeps the
 * health of their own newest snapshot before it: H1 was scored on 11-06
 * (48) and 11-13 (35) but not in the 11-20 run; H2 never was.
 */
static void test_health_from_an_earlier_run(void **state)
{
	const char *ids[3] = { "H1", "K1", "H2" };
	struct cs_churn_factors f;
	struct cs_churn ch, many[3];
	struct cs_behaviour_inputs in;
	struct cs_expansion_inputs xin;
	struct cs_expansion x;
	struct captured cap;
	struct cs_diag d = capture_diag(&cap);
	enum cs_behaviour b;
	int32_t as_of;
	bool found, found3[3];

	(void)state;
	exec_sql("INSERT INTO customers (customer_id, name, arr, status) VALUES"
		 " ('H1', 'Gone Quiet', 10000, 'churned'), ('H2', 'Never Scored', 5000, 'active');"
		 SNAP("H1", "2026-11-06", 48, "yellow") SNAP("H1", "2026-11-13", 35, "red"));
	assert_int_equal(cs_parse_day("2026-11-20", &as_of), 0);
	assert_int_equal(cs_churn_get(db, &cfg, "H1", as_of, &f, &ch, &found, &d), 0);
	assert_true(found);
	assert_true(f.health_known);
	assert_int_equal(f.health, 35);
	assert_int_equal(ch.points[CS_RISK_HEALTH], 40);	/* below 40 */
	assert_int_equal(cs_behaviour_get(db, &cfg, "H1", as_of, &in, &b, &found, &d), 0);
	assert_true(in.health_known);
	assert_int_equal(in.health, 35);
	assert_int_equal(cs_expansion_get(db, &cfg, "H1", as_of, &xin, &x, &found, &d), 0);
	assert_true(xin.health_known);
	assert_int_equal(xin.health, 35);
	/* a week before the 11-13 run: the 11-06 one */
	assert_int_equal(cs_churn_get(db, &cfg, "H1", as_of - 8, &f, &ch, &found, &d), 0);
	assert_int_equal(f.health, 48);
	assert_int_equal(ch.points[CS_RISK_HEALTH], 25);	/* below 60 */
	/* before any run */
	assert_int_equal(cs_churn_get(db, &cfg, "H1", as_of - 15, &f, &ch, &found, &d), 0);
	assert_true(found);
	assert_false(f.health_known);
	assert_int_equal(cs_churn_get(db, &cfg, "H2", as_of, &f, &ch, &found, &d), 0);
	assert_true(found);
	assert_false(f.health_known);
	assert_int_equal(cs_behaviour_get(db, &cfg, "H2", as_of, &in, &b, &found, &d), 0);
	assert_false(in.health_known);
	/* one statement for several: each customer's own run */
	assert_int_equal(cs_churn_get_many(db, &cfg, ids, 3, as_of, many, found3, &d), 0);
	assert_true(found3[0] && found3[1] && found3[2]);
	assert_int_equal(many[0].points[CS_RISK_HEALTH], 40);
	assert_int_equal(cs_churn_get(db, &cfg, "H1", as_of, &f, &ch, &found, &d), 0);
	assert_int_equal(many[0].score, ch.score);
	assert_int_equal(cs_churn_get(db, &cfg, "K1", as_of, &f, &ch, &found, &d), 0);
	assert_int_equal(many[1].score, ch.score);
	assert_int_equal(cs_churn_get(db, &cfg, "H2", as_of, &f, &ch, &found, &d), 0);
	assert_int_equal(many[2].score, ch.score);
	exec_sql("DELETE FROM snapshots WHERE customer_id IN ('H1', 'H2');"
		 "DELETE FROM customers WHERE customer_id IN ('H1', 'H2');");
}

/* ---- the configuration --------------------------------------------------- */

static void test_broken_config_is_refused(void **state)
{
	/* each replaces the shipped file's "health = ..." line */
	static const struct { const char *line, *want; } cases[] = {
		{ "health = 40:40, 30:25", "[churn] health: the limits must rise (step 2)" },
		{ "health = 40", "[churn] health: step 1 is not LIMIT:POINTS (whole numbers, "
		  "points 0-100)" },
		{ "health = 40:140", "[churn] health: step 1 is not LIMIT:POINTS (whole numbers, "
		  "points 0-100)" },
		{ "ticket_days = -3", "[churn] ticket_days: '-3' is not a whole number from 1 "
		  "to 3650" },
		{ "critical_urgency = severe", "[churn] critical_urgency: 'severe' is not low, "
		  "medium or high" },
		{ "bogus = 1", "unknown key 'bogus' in [churn]" },
	};
	char path[512], text[8192], want[700], src[512];
	struct cs_signals_config c;
	struct captured cap;
	struct cs_diag d;
	FILE *in;
	size_t n, i;

	(void)state;
	assert_int_equal(cs_asset_find("signals.ini", src, sizeof(src)), 0);
	in = fopen(src, "r");
	assert_non_null(in);
	n = fread(text, 1, sizeof(text) - 1, in);
	fclose(in);
	text[n] = '\0';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = text;
		int line = 1, at = 0;
		FILE *out;

		snprintf(path, sizeof(path), "%s/broken%zu.ini", scratch_dir(), i);
		out = fopen(path, "w");
		assert_non_null(out);
		for (; *p; line++) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);

			if (!at && !strncmp(p, "health = ", 9)) {
				at = line;
				fprintf(out, "%s\n", cases[i].line);
			} else {
				fwrite(p, 1, len, out);
			}
			p += len;
		}
		fclose(out);
		assert_true(at > 0);
		d = capture_diag(&cap);
		assert_int_equal(cs_signals_config_load(path, &c, &d), -1);
		snprintf(want, sizeof(want), "%s:%d: %s", path, at, cases[i].want);
		assert_true(captured_has(&cap, want));
	}
	/* A missing key names itself; segments out of order are refused. */
	snprintf(path, sizeof(path), "%s/short.ini", scratch_dir());
	in = fopen(path, "w");
	assert_non_null(in);
	fputs("[health]\nprofile = default\n", in);
	fclose(in);
	d = capture_diag(&cap);
	assert_int_equal(cs_signals_config_load(path, &c, &d), -1);
	snprintf(want, sizeof(want), "%s: [churn] health is missing", path);
	assert_true(captured_has(&cap, want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_factor_alone),
		cmocka_unit_test(test_segments_at_their_thresholds),
		cmocka_unit_test(test_factors_at_window_edges),
		cmocka_unit_test(test_list_order_filter_and_pages),
		cmocka_unit_test(test_behaviour_edges),
		cmocka_unit_test(test_behaviour_from_the_database),
		cmocka_unit_test(test_expansion_edges),
		cmocka_unit_test(test_expansion_from_the_database),
		cmocka_unit_test(test_health_from_an_earlier_run),
		cmocka_unit_test(test_broken_config_is_refused),
	};
	int rc;

	if (load_config(NULL) || open_db(NULL))
		return 1;
	load_world();
	rc = cmocka_run_group_tests_name("signals", tests, NULL, NULL);
	close_db(NULL);
	return rc;
}
