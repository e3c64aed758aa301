/*
 * test_analytics.c — the analytics of analytics.h on small hand-built
 * databases whose answers are worked out by hand: the configuration, NPS
 * trend buckets, detractor reason themes and the anonymiser, CSAT
 * low-satisfaction flags, satisfaction vs feature use, feature adoption
 * and its gap edges, onboarding activation and stalls.
 */
#include "testutil.h"

#include <math.h>

#include <sqlite3.h>

#include "casey/analytics.h"
#include "casey/anonymise.h"
#include "casey/db.h"
#include "casey/value.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_analytics_config cfg;
};

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/a%d.db", scratch_dir(), n++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	/* The shipped thresholds: make test points CASEY_ASSETS at assets/. */
	assert_int_equal(cs_analytics_config_load(NULL, &f->cfg, &f->diag), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cs_db_close(f->db);
	free(f);
	return 0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &err);

	if (rc != SQLITE_OK)
		fprintf(stderr, "%s\n", err);
	sqlite3_free(err);
	assert_int_equal(rc, SQLITE_OK);
}

static int32_t day(const char *s)
{
	int32_t d;

	assert_int_equal(cs_parse_day(s, &d), 0);
	return d;
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

/* --- configuration ------------------------------------------------------------ */

static void test_config_shipped(void **state)
{
	struct fixture *f = *state;
	const struct cs_analytics_config *c = &f->cfg;

	assert_true(near(c->adoption_low_pct, 20));
	assert_true(near(c->adoption_target_pct, 30));
	assert_int_equal(c->adoption_min_days, 30);
	assert_int_equal(c->adoption_recent_days, 60);
	assert_int_equal(c->trend_months, 12);
	assert_int_equal(c->trend_quarters, 4);
	assert_int_equal(c->csat_min_n, 5);
	assert_int_equal(c->activation_days, 30);
	assert_string_equal(c->first_value, "first_value");
	assert_int_equal(c->nmilestones, 5);
	assert_string_equal(c->milestones[0], "kickoff");
	assert_string_equal(c->milestones[3], "first_value");
	assert_string_equal(c->owner_docs, "Thomas");
	assert_true(c->nstop > 100);
}

/* The shipped file with one line replaced, as a scratch file; returns its path. */
static const char *config_with(const char *path, const char *old, const char *new,
			       int *line)
{
	static char text[32768], out[32768];
	FILE *in = fopen(path, "r");
	size_t n;
	char *at;

	assert_non_null(in);
	n = fread(text, 1, sizeof(text) - 1, in);
	fclose(in);
	text[n] = '\0';
	at = strstr(text, old);
	assert_non_null(at);
	*line = 1;
	for (char *p = text; p < at; p++)
		*line += *p == '\n';
	snprintf(out, sizeof(out), "%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
	return write_file("analytics-test.ini", out);
}

static void test_config_errors(void **state)
{
	static const struct {
		const char *old, *new, *msg;
	} t[] = {
		{ "low_pct = 20", "low_pct = abc", "[adoption] low_pct: 'abc' is not a number" },
		{ "low_pct = 20", "low_pct = 120", "[adoption] low_pct: 120 is out of range (0-100)" },
		{ "months = 12", "months = 1.5", "[trend] months: '1.5' is not a whole number" },
		{ "months = 12", "monthz = 12", "unknown key 'monthz' in [trend]" },
	};
	struct fixture *f = *state;
	struct cs_analytics_config *c = malloc(sizeof(*c));
	char want[1024];
	size_t i;
	int line;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *path = config_with(f->cfg.path, t[i].old, t[i].new, &line);

		f->diag = capture_diag(&f->cap);
		assert_int_equal(cs_analytics_config_load(path, c, &f->diag), -1);
		snprintf(want, sizeof(want), "%s:%d: %s", path, line, t[i].msg);
		assert_true(captured_has(&f->cap, want));
	}
	/* A key left out, and a first-value milestone that is not a milestone. */
	{
		const char *path = config_with(f->cfg.path, "ticket_days = 90\n", "", &line);

		f->diag = capture_diag(&f->cap);
		assert_int_equal(cs_analytics_config_load(path, c, &f->diag), -1);
		snprintf(want, sizeof(want), "%s: [adoption] ticket_days is missing", path);
		assert_true(captured_has(&f->cap, want));
	}
	{
		const char *path = config_with(f->cfg.path, "first_value = first_value",
					       "first_value = live", &line);

		f->diag = capture_diag(&f->cap);
		assert_int_equal(cs_analytics_config_load(path, c, &f->diag), -1);
		snprintf(want, sizeof(want), "%s: [onboarding] first_value 'live' is not one "
			 "of the milestones", path);
		assert_true(captured_has(&f->cap, want));
	}
	/* The milestone name is configuration: "go_live" works once listed. */
	{
		const char *path = config_with(f->cfg.path, "first_value = first_value",
					       "first_value = data_import", &line);

		f->diag = capture_diag(&f->cap);
		assert_int_equal(cs_analytics_config_load(path, c, &f->diag), 0);
		assert_string_equal(c->first_value, "data_import");
	}
	free(c);
}

/* --- trend buckets ------------------------------------------------------------------ */

static void test_trend_buckets(void **state)
{
	struct cs_nps_bucket b[12];

	(void)state;
	cs_trend_buckets(day("2026-11-20"), 12, false, b);
	assert_string_equal(b[0].label, "2025-12");
	assert_string_equal(b[0].from, "2025-12-01");
	assert_string_equal(b[0].to, "2025-12-31");
	assert_string_equal(b[2].label, "2026-02");
	assert_string_equal(b[2].to, "2026-02-28");
	assert_string_equal(b[11].label, "2026-11");
	assert_string_equal(b[11].from, "2026-11-01");
	assert_string_equal(b[11].to, "2026-11-20");	/* ends on the as-of day */

	cs_trend_buckets(day("2026-11-20"), 4, true, b);
	assert_string_equal(b[0].label, "2026-Q1");
	assert_string_equal(b[0].from, "2026-01-01");
	assert_string_equal(b[0].to, "2026-03-31");
	assert_string_equal(b[3].label, "2026-Q4");
	assert_string_equal(b[3].from, "2026-10-01");
	assert_string_equal(b[3].to, "2026-11-20");

	/* Across a year, and a leap February. */
	cs_trend_buckets(day("2028-02-15"), 4, true, b);
	assert_string_equal(b[0].label, "2027-Q2");
	assert_string_equal(b[3].label, "2028-Q1");
	assert_string_equal(b[3].to, "2028-02-15");
	cs_trend_buckets(day("2028-03-01"), 2, false, b);
	assert_string_equal(b[0].to, "2028-02-29");
}

static void test_nps_monthly_trend(void **state)
{
	struct fixture *f = *state;
	struct cs_nps_report *r = malloc(sizeof(*r));

	exec(f->db,
	     "INSERT INTO customers (customer_id, name) VALUES ('C1', 'One');"
	     "INSERT INTO nps (response_key, customer_id, date, score) VALUES"
	     /* November 2025: before the 12 months */
	     " ('a', 'C1', '2025-11-30', 0),"
	     /* December 2025: 1 promoter, 1 detractor -> 0 */
	     " ('b', 'C1', '2025-12-01', 10), ('c', 'C1', '2025-12-31', 6),"
	     /* October 2026: 3 promoters, 1 passive -> +75 */
	     " ('d', 'C1', '2026-10-01', 9), ('e', 'C1', '2026-10-15', 9),"
	     " ('f', 'C1', '2026-10-31', 10), ('g', 'C1', '2026-10-20', 7),"
	     /* November 2026: 1 detractor by the as-of day; one after it */
	     " ('h', 'C1', '2026-11-20', 2), ('i', 'C1', '2026-11-21', 10);");
	assert_int_equal(cs_nps_report(f->db, day("2026-11-20"), &f->cfg, r, &f->diag), 0);
	assert_int_equal(r->nmonths, 12);
	assert_string_equal(r->months[0].label, "2025-12");
	assert_int_equal(r->months[0].nps.responses, 2);
	assert_true(near(r->months[0].nps.score, 0));
	assert_int_equal(r->months[1].nps.responses, 0);
	assert_string_equal(r->months[10].label, "2026-10");
	assert_int_equal(r->months[10].nps.responses, 4);
	assert_true(near(r->months[10].nps.score, 75));
	assert_int_equal(r->months[11].nps.responses, 1);
	assert_true(near(r->months[11].nps.score, -100));
	/* Quarters: 2026-Q4 holds October and November; 2025-12 is before Q1. */
	assert_string_equal(r->quarters[3].label, "2026-Q4");
	assert_int_equal(r->quarters[3].nps.responses, 5);
	assert_true(near(r->quarters[3].nps.score, 100.0 * (3 - 1) / 5));
	assert_int_equal(r->quarters[0].nps.responses, 0);
	/* The 90-day window: 2026-08-23 .. 2026-11-20. */
	assert_string_equal(r->from, "2026-08-23");
	assert_int_equal(r->window.responses, 5);
	cs_nps_report_free(r);
	free(r);
}

/* --- anonymiser and reasons ------------------------------------------------------------ */

static void test_anonymise(void **state)
{
	struct cs_anon *a = cs_anon_new();
	char *s;

	(void)state;
	assert_non_null(a);
	assert_int_equal(cs_anon_add_customer(a, "Acme Analytics Inc.", "Mid-Market"), 0);
	assert_int_equal(cs_anon_add_customer(a, "Orbit Logistics GmbH", "Enterprise"), 0);
	assert_int_equal(cs_anon_add(a, "Dana Scully", "[name]"), 0);

	s = cs_anonymise(a, "I'm Jo from Acme Analytics Inc.; mail me at jo.smith+cs@acme.io "
			 "or call +1 (555) 010-2233. ORBIT LOGISTICS had the same issue, "
			 "ask Dana Scully.");
	assert_string_equal(s, "I'm Jo from a Mid-Market customer; mail me at [email] "
			    "or call [phone]. an Enterprise customer had the same issue, "
			    "ask [name].");
	free(s);

	/* Phone numbers in other shapes; what is not a phone number stays. */
	s = cs_anonymise(a, "Tel 030 1234 5678, or 555-0142. Since 2026-11-20 we paid "
			 "$1234567 for 50k rows, ticket #123456789, v2.3.1, 2025-2026, "
			 "1234567.89 and order 1234567.");
	assert_string_equal(s, "Tel [phone], or [phone]. Since 2026-11-20 we paid "
			    "$1234567 for 50k rows, ticket #123456789, v2.3.1, 2025-2026, "
			    "1234567.89 and order 1234567.");
	free(s);

	/* Whole words only, any case, and the short name after the legal form went. */
	s = cs_anonymise(a, "Acmeanalytics is not acme analytics's rival (acme@x.org)");
	assert_string_equal(s, "Acmeanalytics is not a Mid-Market customer's rival ([email])");
	free(s);
	cs_anon_free(a);

	/* No names at all: emails and phones still go. */
	s = cs_anonymise(NULL, "a@b.co 0049 30 12345678");
	assert_string_equal(s, "[email] [phone]");
	free(s);
}

/*
 * Names found by their first word (anonymise.c): a name whose first word
 * is cut by punctuation, one starting with a bracket, non-ASCII words, the
 * longest of several names sharing a first word, a word inside another,
 * and thousands of names with the same first letter.
 */
static void test_anonymise_names_by_word(void **state)
{
	struct cs_anon *a = cs_anon_new();
	char name[32], *s;

	(void)state;
	assert_non_null(a);
	for (int i = 0; i < 5000; i++) {	/* "Oak 0" .. "Oak 4999": one first word */
		snprintf(name, sizeof(name), "Oak %d", i);
		assert_int_equal(cs_anon_add(a, name, "[oak]"), 0);
	}
	assert_int_equal(cs_anon_add(a, "O'Brien", "[name]"), 0);
	assert_int_equal(cs_anon_add(a, "Oakley", "[name]"), 0);
	assert_int_equal(cs_anon_add(a, "Oak Tree Partners", "[partner]"), 0);
	assert_int_equal(cs_anon_add(a, "(Bracket) Labs", "[labs]"), 0);
	assert_int_equal(cs_anon_add(a, "Müller Bau", "[bau]"), 0);
	assert_int_equal(cs_anon_add(a, "Smith-Jones", "[name]"), 0);

	s = cs_anonymise(a, "o'brien, OAK 4999 and oak 12x met Oakley at Oak Tree Partners; "
			 "(bracket) labs and MüLLER BAU (not Müllerbau) saw Smith-Jones's "
			 "smith-jonesy oak 49990 Oak 49.");
	assert_string_equal(s, "[name], [oak] and oak 12x met [name] at [partner]; "
			    "[labs] and [bau] (not Müllerbau) saw [name]'s "
			    "smith-jonesy oak 49990 [oak].");
	free(s);
	s = cs_anonymise(a, "x(Bracket) Labs and Oak 7");
	assert_string_equal(s, "x[labs] and [oak]");
	free(s);
	cs_anon_free(a);
}

/*
 * The names' text is kept in 64 KiB blocks (anonymise.c): names spread
 * over many blocks, and a name longer than a block, are all still found.
 */
static void test_anonymise_many_blocks(void **state)
{
	struct cs_anon *a = cs_anon_new();
	size_t long_len = 70000;
	char name[32], *s, *longname = malloc(long_len + 1), *text = malloc(long_len + 16);

	(void)state;
	assert_non_null(a);
	assert_non_null(longname);
	assert_non_null(text);
	for (int i = 0; i < 30000; i++) {	/* about 400 KiB of names and replacements */
		snprintf(name, sizeof(name), "Elm Street %05d", i);
		assert_int_equal(cs_anon_add_customer(a, name, i % 2 ? "SMB" : "Enterprise"), 0);
	}
	memcpy(longname, "Zed ", 4);
	memset(longname + 4, 'q', long_len - 4);
	longname[long_len] = '\0';
	assert_int_equal(cs_anon_add(a, longname, "[long]"), 0);
	assert_int_equal(cs_anon_add(a, "Last Name Added", "[last]"), 0);

	s = cs_anonymise(a, "elm street 00000, Elm Street 29999 and Elm Street 30000 met "
			 "Last Name Added");
	assert_string_equal(s, "an Enterprise customer, a SMB customer and Elm Street 30000 met "
			    "[last]");
	free(s);
	snprintf(text, long_len + 16, "see %s now", longname);
	s = cs_anonymise(a, text);
	assert_string_equal(s, "see [long] now");
	free(s);
	cs_anon_free(a);
	free(longname);
	free(text);
}

/*
 * Told the texts first (cs_anon_words), a set keeps only the names that
 * could match in them, and anonymises those texts exactly as a set of
 * every name does: case, a curly quote or a byte inside a character
 * before the name, a name after a dash, two-word and legal-form names.
 */
static void test_anonymise_only_words(void **state)
{
	static const char *const texts[] = {
		"ACME analytics keeps timing out; ask acme.",
		"\xe2\x80\x9cM\xc3\xbcller\xe2\x80\x9d said the export -Zeta broke",
		"Globex Corporation and globex, call +1 555 010 2233",
		"nothing to see here",
		"",
	};
	static const struct { const char *name, *segment; } customers[] = {
		{ "Acme Analytics Inc.", "Enterprise" }, { "M\xc3\xbcller GmbH", "SMB" },
		{ "Zeta", NULL }, { "Globex Corporation", "Mid-Market" },
		{ "Initech LLC", "SMB" }, { "Umbrella", "Enterprise" },
	};
	struct cs_anon *all = cs_anon_new(), *few = cs_anon_new();
	size_t i;

	(void)state;
	assert_non_null(all);
	assert_non_null(few);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_int_equal(cs_anon_words(few, texts[i]), 0);
	for (i = 0; i < sizeof(customers) / sizeof(customers[0]); i++) {
		assert_int_equal(cs_anon_add_customer(all, customers[i].name, customers[i].segment), 0);
		assert_int_equal(cs_anon_add_customer(few, customers[i].name, customers[i].segment), 0);
	}
	assert_int_equal(cs_anon_add(all, "Dana Scully", "[name]"), 0);
	assert_int_equal(cs_anon_add(few, "Dana Scully", "[name]"), 0);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *x = cs_anonymise(all, texts[i]), *y = cs_anonymise(few, texts[i]);

		assert_non_null(x);
		assert_non_null(y);
		assert_string_equal(y, x);
		free(x);
		free(y);
	}
	{
		char *s = cs_anonymise(few, texts[0]);

		assert_string_equal(s, "an Enterprise customer keeps timing out; ask acme.");
		free(s);
		s = cs_anonymise(few, texts[1]);
		assert_string_equal(s, "\xe2\x80\x9c" "a SMB customer\xe2\x80\x9d said the export "
				    "-a customer broke");
		free(s);
	}
	/* Names whose first word no text has were never kept: the other texts lose nothing. */
	{
		char *s = cs_anonymise(few, "Initech LLC and Umbrella and Dana Scully");

		assert_string_equal(s, "Initech LLC and Umbrella and Dana Scully");
		free(s);
	}
	cs_anon_free(all);
	cs_anon_free(few);
}

static void test_reason_themes(void **state)
{
	struct fixture *f = *state;
	static const struct cs_comment c[] = {
		{ "CSV exports time out, so we copy data by hand.", "2026-10-01" },
		{ "Too expensive for what we get.", "2026-10-02" },
		{ "The CSV exports keep timing out!", "2026-10-03" },
		{ "csv export times out again", "2026-10-09" },
		{ "Too expensive.", "2026-10-04" },
		{ "...", "2026-10-05" },
		{ "Support never answers.", "2026-10-06" },
	};
	struct cs_reason *r;
	long other;
	int n;

	f->cfg.reason_max_themes = 2;
	assert_int_equal(cs_reason_themes(c, 7, &f->cfg, NULL, &r, &n, &other), 0);
	assert_int_equal(n, 2);
	/*
	 * "csv export time out" ({csv, export, time, copy, data, hand} vs
	 * {csv, export, time}: 3/6 = 0.5) joins the first; "timing" is not
	 * "time", so the third ({csv, export, timing}: 2/7) starts its own.
	 */
	assert_int_equal(r[0].count, 2);
	assert_string_equal(r[0].label, "csv exports time");
	assert_string_equal(r[0].quote, "csv export times out again");
	assert_string_equal(r[0].quote_date, "2026-10-09");
	assert_int_equal(r[1].count, 2);
	assert_string_equal(r[1].label, "expensive");
	assert_string_equal(r[1].quote, "Too expensive.");
	/* Beyond the two themes: the timing comment and support; "..." has no terms. */
	assert_int_equal(other, 3);
	cs_reasons_free(r, n);

	/* UTF-8: curly quotes and dashes separate words, letters do not. */
	{
		static const struct cs_comment u[] = {
			{ "\u201cGr\u00f6\u00dfe\u201d probl\u00e8me \u2014 exports\u2019 speed",
			  "2026-10-01" },
			{ "probl\u00e8me, Gr\u00f6\u00dfe!", "2026-10-02" },
		};

		assert_int_equal(cs_reason_themes(u, 2, &f->cfg, NULL, &r, &n, &other), 0);
		assert_int_equal(n, 1);
		assert_int_equal(r[0].count, 2);
		assert_string_equal(r[0].label, "gr\u00f6\u00dfe probl\u00e8me exports");
		cs_reasons_free(r, n);
	}
}

/* Detractor reasons from the database: only detractors, anonymised quotes. */
static void test_nps_reasons_anonymised(void **state)
{
	struct fixture *f = *state;
	struct cs_nps_report *r = malloc(sizeof(*r));

	exec(f->db,
	     "INSERT INTO customers (customer_id, name, segment, csm) VALUES"
	     " ('C1', 'Acme Analytics Inc.', 'Mid-Market', 'Maya Chen'),"
	     " ('C2', 'Orbit Logistics GmbH', 'Enterprise', NULL);"
	     "INSERT INTO nps (response_key, customer_id, date, score, comment) VALUES"
	     " ('a', 'C1', '2026-11-01', 3, 'Acme Analytics needs SSO; Maya Chen knows,"
	     " call 555-010-2233 or write it@acme.io'),"
	     " ('b', 'C2', '2026-11-02', 5, 'We need SSO'),"
	     " ('c', 'C2', '2026-11-03', 9, 'We need SSO badly but love it'),"
	     " ('d', 'C2', '2026-11-04', 6, '   '),"
	     " ('e', 'C2', '2026-11-05', 2, NULL);");
	f->cfg.reason_similarity = 0.2;
	assert_int_equal(cs_nps_report(f->db, day("2026-11-20"), &f->cfg, r, &f->diag), 0);
	assert_int_equal(r->commented, 2);
	assert_int_equal(r->uncommented, 2);
	assert_int_equal(r->nreasons, 1);
	assert_int_equal(r->reasons[0].count, 2);
	/* Terms of the names, the phone number and the address are not salient. */
	assert_string_equal(r->reasons[0].label, "needs sso knows");
	/* The newest is the Orbit one; then check the anonymiser on the first. */
	assert_string_equal(r->reasons[0].quote, "We need SSO");
	cs_nps_report_free(r);

	exec(f->db, "DELETE FROM nps WHERE response_key = 'b'");
	assert_int_equal(cs_nps_report(f->db, day("2026-11-20"), &f->cfg, r, &f->diag), 0);
	assert_int_equal(r->nreasons, 1);
	assert_string_equal(r->reasons[0].quote,
			    "a Mid-Market customer needs SSO; [name] knows, call [phone] "
			    "or write [email]");
	cs_nps_report_free(r);
	free(r);
}

/* --- satisfaction vs usage ------------------------------------------------------------ */

static const char usage_fixture[] =
	"INSERT INTO customers (customer_id, name) VALUES ('C1', 'c1'), ('C2', 'c2'),"
	" ('C3', 'c3'), ('C4', 'c4'), ('C5', 'c5'), ('C6', 'c6');"
	"INSERT INTO features (feature_id, name, released_at) VALUES"
	" ('F1', 'Exports', '2026-01-01'), ('F2', 'Alerts', '2026-02-01'),"
	" ('F3', 'Future', '2026-12-01');"
	"INSERT INTO feature_usage (customer_id, feature_id, first_used_at, uses) VALUES"
	" ('C1', 'F1', '2026-02-01', 10), ('C2', 'F1', NULL, NULL), ('C3', 'F1', '2026-03-01', 1),"
	/* after the as-of day, and never really used: not users */
	" ('C4', 'F1', '2026-11-21', 5), ('C5', 'F1', '2026-03-01', 0);"
	"INSERT INTO nps (response_key, customer_id, date, score) VALUES"
	" ('n1', 'C1', '2026-11-01', 10), ('n2', 'C2', '2026-11-01', 9),"
	" ('n3', 'C3', '2026-11-01', 6), ('n4', 'C4', '2026-11-01', 3),"
	" ('n5', 'C5', '2026-11-01', 8), ('n6', 'C6', '2026-11-01', 0),"
	" ('n7', 'C1', '2026-01-01', 0);"	/* outside the window */
	"INSERT INTO csat (response_key, customer_id, date, score, good) VALUES"
	" ('s1', 'C1', '2026-11-01', 5, NULL), ('s2', 'C2', '2026-11-01', NULL, 1),"
	" ('s3', 'C3', '2026-11-01', 2, NULL), ('s4', 'C4', '2026-11-01', 1, NULL),"
	" ('s5', 'C5', '2026-11-01', NULL, 0), ('s6', 'C6', '2026-11-01', 4, NULL);";

static void test_satisfaction_by_feature(void **state)
{
	struct fixture *f = *state;
	struct cs_feature_split *v;
	int n;

	exec(f->db, usage_fixture);
	f->cfg.usage_min_n = 3;
	assert_int_equal(cs_satisfaction_by_feature(f->db, day("2026-11-20"), &f->cfg, &v, &n,
						    &f->diag), 0);
	assert_int_equal(n, 2);		/* F3 is not released yet */
	assert_string_equal(v[0].feature_id, "F1");
	/* Users C1 10, C2 9, C3 6: (2 - 1) / 3. Others C4 3, C5 8, C6 0: (0 - 2) / 3. */
	assert_int_equal(v[0].nps_users.responses, 3);
	assert_true(near(v[0].nps_users.score, 100.0 / 3));
	assert_int_equal(v[0].nps_others.responses, 3);
	assert_true(near(v[0].nps_others.score, -200.0 / 3));
	assert_true(v[0].nps_comparable);
	assert_true(near(v[0].nps_diff, 100));
	/* CSAT: users 5, Good, 2 -> 2 of 3; others 1, Bad, 4 -> 1 of 3. */
	assert_int_equal(v[0].csat_users.responses, 3);
	assert_true(near(v[0].csat_users.satisfied_pct, 200.0 / 3));
	assert_true(near(v[0].csat_users.average, 3.5));
	assert_true(near(v[0].csat_others.satisfied_pct, 100.0 / 3));
	assert_true(near(v[0].csat_diff, 100.0 / 3));
	/* Nobody uses F2: nothing to compare. */
	assert_int_equal(v[1].nps_users.responses, 0);
	assert_int_equal(v[1].nps_others.responses, 6);
	assert_false(v[1].nps_comparable);
	assert_false(v[1].csat_comparable);
	free(v);

	/* With the shipped minimum of 5 answers a side, F1 is not compared either. */
	f->cfg.usage_min_n = 5;
	assert_int_equal(cs_satisfaction_by_feature(f->db, day("2026-11-20"), &f->cfg, &v, &n,
						    &f->diag), 0);
	assert_false(v[0].nps_comparable);
	free(v);
}

/* The CSAT answers of test_csat_flags' kind, for the combined report. */
static const char both_fixture[] =
	"INSERT INTO tickets (ticket_id, customer_id, created_at, feature) VALUES"
	" ('T1', 'C1', '2026-10-01 10:00:00', 'F1'), ('T2', 'C2', '2026-10-01 10:00:00', 'alerts');"
	"UPDATE csat SET context = CASE WHEN score >= 4 OR good = 1 THEN 'Billing' ELSE 'Reports' END,"
	"  ticket_id = CASE WHEN customer_id IN ('C1', 'C3') THEN 'T1' ELSE 'T2' END;"
	"UPDATE nps SET comment = CASE customer_id WHEN 'C3' THEN 'Exports are slow'"
	"  WHEN 'C4' THEN 'exports slow again' WHEN 'C6' THEN 'Alerts never arrive' END;";

static void same_split(const struct cs_feature_split *a, const struct cs_feature_split *b)
{
	assert_string_equal(a->feature_id, b->feature_id);
	assert_int_equal(a->nps_users.responses, b->nps_users.responses);
	assert_int_equal(a->nps_others.responses, b->nps_others.responses);
	assert_true(near(a->nps_users.score, b->nps_users.score));
	assert_int_equal(a->csat_users.satisfied, b->csat_users.satisfied);
	assert_int_equal(a->csat_others.satisfied, b->csat_others.satisfied);
	assert_int_equal(a->nps_comparable, b->nps_comparable);
	assert_int_equal(a->csat_comparable, b->csat_comparable);
}

static void same_groups(const struct cs_csat_breakdown *a, const struct cs_csat_breakdown *b)
{
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->ungrouped, b->ungrouped);
	for (int i = 0; i < a->n; i++) {
		assert_string_equal(a->groups[i].key, b->groups[i].key);
		assert_int_equal(a->groups[i].csat.responses, b->groups[i].csat.responses);
		assert_int_equal(a->groups[i].csat.satisfied, b->groups[i].csat.satisfied);
		assert_int_equal(a->groups[i].flagged, b->groups[i].flagged);
	}
}

/*
 * The satisfaction screen's report: the CSAT half and the feature use
 * worked out on a second connection beside the NPS half, feature use read
 * once. It must say what the two reports say, threaded or not.
 */
static void test_satisfaction_report_both(void **state)
{
	struct fixture *f = *state;
	struct cs_nps_report *n1 = malloc(sizeof(*n1)), *n2 = malloc(sizeof(*n2));
	struct cs_csat_report *c1 = malloc(sizeof(*c1)), *c2 = malloc(sizeof(*c2));
	volatile sig_atomic_t cancel = 0;

	exec(f->db, usage_fixture);
	exec(f->db, both_fixture);
	f->cfg.usage_min_n = 3;
	f->cfg.reason_similarity = 0.3;
	assert_int_equal(cs_nps_report(f->db, day("2026-11-20"), &f->cfg, n1, &f->diag), 0);
	assert_int_equal(cs_csat_report(f->db, day("2026-11-20"), &f->cfg, c1, &f->diag), 0);
	/* The hand-worked figures first: 6 answers, 2 promoters, 3 detractors. */
	assert_int_equal(n1->window.responses, 6);
	assert_int_equal(n1->window.detractors, 3);
	assert_int_equal(n1->commented, 3);
	assert_int_equal(n1->nreasons, 2);
	assert_string_equal(n1->reasons[0].label, "exports slow");
	assert_int_equal(n1->reasons[0].count, 2);
	assert_string_equal(n1->reasons[0].quote, "exports slow again");
	assert_int_equal(c1->by_context.n, 2);
	assert_int_equal(c1->by_feature.n, 2);
	assert_int_equal(n1->nfeatures, 2);

	for (int one = 0; one < 2; one++) {
		if (one)
			setenv("CASEY_ONE_THREAD", "1", 1);
		assert_int_equal(cs_satisfaction_report(f->db, day("2026-11-20"), &f->cfg, &cancel,
							n2, c2, &f->diag), 0);
		unsetenv("CASEY_ONE_THREAD");
		assert_int_equal(n2->window.responses, n1->window.responses);
		assert_int_equal(n2->commented, n1->commented);
		assert_int_equal(n2->nreasons, n1->nreasons);
		for (int i = 0; i < n1->nreasons; i++) {
			assert_string_equal(n2->reasons[i].label, n1->reasons[i].label);
			assert_int_equal(n2->reasons[i].count, n1->reasons[i].count);
			assert_string_equal(n2->reasons[i].quote, n1->reasons[i].quote);
		}
		assert_int_equal(c2->window.responses, c1->window.responses);
		same_groups(&c2->by_context, &c1->by_context);
		same_groups(&c2->by_feature, &c1->by_feature);
		same_groups(&c2->by_month, &c1->by_month);
		/* Each report owns its copy of the one feature-use pass. */
		assert_int_equal(n2->nfeatures, n1->nfeatures);
		assert_int_equal(c2->nfeatures, c1->nfeatures);
		assert_ptr_not_equal(n2->features, c2->features);
		for (int i = 0; i < n1->nfeatures; i++) {
			same_split(&n2->features[i], &n1->features[i]);
			same_split(&c2->features[i], &c1->features[i]);
		}
		cs_nps_report_free(n2);
		cs_csat_report_free(c2);
	}
	cs_nps_report_free(n1);
	cs_csat_report_free(c1);
	free(n1);
	free(n2);
	free(c1);
	free(c2);
}

/*
 * The dashboard's cancel flag (SIGTERM, Ctrl-C) stops both halves: the
 * second connection watches it too, so the screen does not wait for the
 * CSAT half to finish reading.
 */
static void test_satisfaction_report_cancelled(void **state)
{
	struct fixture *f = *state;
	struct cs_nps_report *n = malloc(sizeof(*n));
	struct cs_csat_report *c = malloc(sizeof(*c));
	volatile sig_atomic_t cancel = 1;

	/* Enough answers that each half's first query runs past SQLite's 1000 steps. */
	exec(f->db,
	     "INSERT INTO customers (customer_id, name) VALUES ('C1', 'c1');"
	     "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000)"
	     " INSERT INTO nps (response_key, customer_id, date, score)"
	     " SELECT 'n' || i, 'C1', '2026-11-01', i % 11 FROM k;"
	     "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000)"
	     " INSERT INTO csat (response_key, customer_id, date, score)"
	     " SELECT 's' || i, 'C1', '2026-11-01', 1 + i % 5 FROM k;");
	cs_db_cancel_when(f->db, &cancel);
	assert_int_equal(cs_satisfaction_report(f->db, day("2026-11-20"), &f->cfg, &cancel, n, c,
						&f->diag), -1);
	cs_db_cancel_when(f->db, NULL);
	assert_true(captured_has(&f->cap, "computing NPS: interrupted"));
	/* the other connection's first query: CSAT by feature (analytics_sat.c) */
	assert_true(captured_has(&f->cap, "grouping CSAT by feature: interrupted"));
	/* Nothing is left half-built: the reports were freed. */
	assert_null(n->reasons);
	assert_null(n->features);
	assert_null(c->by_context.groups);
	assert_null(c->features);
	free(n);
	free(c);
}

/* --- CSAT patterns ------------------------------------------------------------------------ */

static void test_csat_flags(void **state)
{
	struct fixture *f = *state;
	struct cs_csat_report *r = malloc(sizeof(*r));
	const struct cs_csat_group *g;
	int i;

	/*
	 * 20 answers in the window: Billing 10 (8 satisfied, 80%), Reports 5
	 * (1 satisfied, 20%), Mobile 4 (0 satisfied), no context 1 (satisfied).
	 * Overall 10 of 20 = 50%: Reports (n 5, 30 points below) is flagged,
	 * Mobile (n 4, 50 below) is not: too few answers.
	 */
	exec(f->db,
	     "INSERT INTO customers (customer_id, name) VALUES ('C1', 'c1');"
	     "INSERT INTO features (feature_id, name) VALUES ('F1', 'Reporting');"
	     "INSERT INTO tickets (ticket_id, customer_id, created_at, feature) VALUES"
	     " ('T1', 'C1', '2026-10-01 10:00:00', 'F1'), ('T2', 'C1', '2026-10-01 10:00:00', 'reporting'),"
	     " ('T3', 'C1', '2026-10-01 10:00:00', 'Widgets'), ('T4', 'C1', '2026-10-01 10:00:00', NULL);"
	     "INSERT INTO csat (response_key, customer_id, date, score, good, context, ticket_id) VALUES"
	     " ('b1', 'C1', '2026-11-01', 5, NULL, 'Billing', 'T1'),"
	     " ('b2', 'C1', '2026-11-01', 5, NULL, 'billing ', 'T1'),"
	     " ('b3', 'C1', '2026-11-01', 4, NULL, 'Billing', 'T2'),"
	     " ('b4', 'C1', '2026-11-01', 4, NULL, 'Billing', 'T2'),"
	     " ('b5', 'C1', '2026-11-01', NULL, 1, 'Billing', 'T3'),"
	     " ('b6', 'C1', '2026-11-01', NULL, 1, 'Billing', 'T4'),"
	     " ('b7', 'C1', '2026-11-01', 4, NULL, 'Billing', 'T9'),"
	     " ('b8', 'C1', '2026-10-15', 5, NULL, 'Billing', NULL),"
	     " ('b9', 'C1', '2026-10-15', 1, NULL, 'Billing', NULL),"
	     " ('b10', 'C1', '2026-10-15', NULL, 0, 'Billing', NULL),"
	     " ('r1', 'C1', '2026-10-15', 4, NULL, 'Reports', 'T1'),"
	     " ('r2', 'C1', '2026-10-15', 3, NULL, 'Reports', 'T1'),"
	     " ('r3', 'C1', '2026-10-15', 2, NULL, 'Reports', 'T1'),"
	     " ('r4', 'C1', '2026-10-15', 1, NULL, 'Reports', 'T2'),"
	     " ('r5', 'C1', '2026-10-15', NULL, 0, 'Reports', 'T2'),"
	     " ('m1', 'C1', '2026-10-15', 1, NULL, 'Mobile', NULL),"
	     " ('m2', 'C1', '2026-10-15', 2, NULL, 'Mobile', NULL),"
	     " ('m3', 'C1', '2026-10-15', 3, NULL, 'Mobile', NULL),"
	     " ('m4', 'C1', '2026-10-15', NULL, 0, 'Mobile', NULL),"
	     " ('x1', 'C1', '2026-10-15', 5, NULL, NULL, NULL),"
	     /* outside the window: in the month trend only */
	     " ('o1', 'C1', '2026-06-15', 1, NULL, 'Reports', NULL);");
	assert_int_equal(cs_csat_report(f->db, day("2026-11-20"), &f->cfg, r, &f->diag), 0);
	assert_int_equal(r->window.responses, 20);
	assert_true(near(r->window.satisfied_pct, 50));

	assert_int_equal(r->by_context.n, 3);
	assert_int_equal(r->by_context.ungrouped, 1);
	/* Lowest satisfied first: Mobile 0%, Reports 20%, Billing 80%. */
	g = &r->by_context.groups[0];
	assert_string_equal(g->key, "Mobile");
	assert_int_equal(g->csat.responses, 4);
	assert_true(near(g->below, 50));
	assert_false(g->flagged);
	g = &r->by_context.groups[1];
	assert_string_equal(g->key, "Reports");
	assert_int_equal(g->csat.responses, 5);
	assert_true(near(g->csat.satisfied_pct, 20));
	assert_true(near(g->below, 30));
	assert_true(g->flagged);
	g = &r->by_context.groups[2];
	assert_string_equal(g->key, "Billing");	/* "billing " is the same context */
	assert_int_equal(g->csat.responses, 10);
	assert_true(near(g->below, -30));
	assert_false(g->flagged);

	/*
	 * By the related ticket's feature: T1 and T2 are F1 (by id and by
	 * name): b1-b4 and r1-r5, 9 answers, 5 satisfied. T3 names an unknown
	 * feature (b5); T4 names none and T9 does not exist.
	 */
	assert_int_equal(r->by_feature.n, 2);
	for (i = 0; i < r->by_feature.n; i++) {
		g = &r->by_feature.groups[i];
		if (!strcmp(g->id, "F1")) {
			assert_string_equal(g->key, "Reporting");
			assert_int_equal(g->csat.responses, 9);
			assert_int_equal(g->csat.satisfied, 5);
		} else {
			assert_string_equal(g->key, "Widgets");
			assert_int_equal(g->csat.responses, 1);
		}
	}
	assert_int_equal(r->by_feature.ungrouped, 10);

	/* By month: 12 months; June holds the old answer; the baseline is all 21. */
	assert_int_equal(r->by_month.n, 12);
	assert_int_equal(r->by_month.baseline.responses, 21);
	assert_string_equal(r->by_month.groups[6].key, "2026-06");
	assert_int_equal(r->by_month.groups[6].csat.responses, 1);
	assert_false(r->by_month.groups[6].flagged);	/* n 1 */
	assert_int_equal(r->by_month.groups[10].csat.responses, 13);	/* October */
	assert_int_equal(r->by_month.groups[11].csat.responses, 7);	/* November */
	cs_csat_report_free(r);
	free(r);
}

/* Exactly flag_points below is flagged; a hair less is not; n below min_n never. */
static void test_csat_flag_edges(void **state)
{
	struct fixture *f = *state;
	struct cs_csat_group g[3];
	struct cs_csat_breakdown b = { .n = 3, .groups = g };
	int i;

	memset(g, 0, sizeof(g));
	/* Baseline 60% of 10. */
	for (i = 0; i < 10; i++)
		cs_csat_add(&b.baseline, i < 6 ? 5 : 1, -1);
	cs_csat_finish(&b.baseline);
	/* 5 answers, 50%? Not possible with 5: use 10 answers, 5 satisfied (50%: 10 below). */
	for (i = 0; i < 10; i++)
		cs_csat_add(&g[0].csat, i < 5 ? 4 : 2, -1);
	/* 100 answers, 51 satisfied: 9 points below. */
	for (i = 0; i < 100; i++)
		cs_csat_add(&g[1].csat, i < 51 ? 4 : 2, -1);
	/* 4 answers, none satisfied: 60 below, but n 4. */
	for (i = 0; i < 4; i++)
		cs_csat_add(&g[2].csat, 1, -1);
	for (i = 0; i < 3; i++)
		cs_csat_finish(&g[i].csat);
	cs_csat_flag(&b, &f->cfg);
	assert_true(near(g[0].below, 10));
	assert_true(g[0].flagged);
	assert_true(near(g[1].below, 9));
	assert_false(g[1].flagged);
	assert_false(g[2].flagged);
}

/* --- adoption ---------------------------------------------------------------------------- */

/* 20% exactly is not a gap, 19.9% is; 30 days since release is old enough, 29 is not. */
static void test_adoption_status_edges(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 30, 200, 1000), CS_ADOPT_BELOW_TARGET);
	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 30, 199, 1000), CS_ADOPT_GAP);
	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 29, 199, 1000), CS_ADOPT_NEW);
	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 29, 0, 1000), CS_ADOPT_NEW);
	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 30, 0, 1000), CS_ADOPT_GAP);
	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 400, 300, 1000), CS_ADOPT_ON_TARGET);
	assert_int_equal(cs_adoption_status_of(&f->cfg, true, 400, 299, 1000),
			 CS_ADOPT_BELOW_TARGET);
	assert_int_equal(cs_adoption_status_of(&f->cfg, false, 0, 0, 1000), CS_ADOPT_UNDATED);
}

static const char adoption_fixture[] =
	/* five active customers, one churned, one created after the as-of day */
	"INSERT INTO customers (customer_id, name, created_at, status) VALUES"
	" ('C1', 'c1', '2025-01-01', 'active'), ('C2', 'c2', '2025-01-01', 'active'),"
	" ('C3', 'c3', '2026-10-10', 'cancel_requested'), ('C4', 'c4', NULL, 'active'),"
	" ('C5', 'c5', '2025-06-01', 'downgrade_requested'),"
	" ('C6', 'c6', '2025-01-01', 'churned'), ('C7', 'c7', '2026-11-25', 'active');"
	/* as of 2026-11-20: A released 30 days ago, B 29 days ago, C long ago, D undated */
	"INSERT INTO features (feature_id, name, released_at, paid) VALUES"
	" ('A', 'Alpha', '2026-10-21', 1), ('B', 'Beta', '2026-10-22', 0),"
	" ('C', 'Gamma', '2026-01-01', NULL), ('D', 'Delta', NULL, 1),"
	" ('E', 'Epsilon', '2026-12-01', 1);"
	"INSERT INTO feature_usage (customer_id, feature_id, first_used_at, uses) VALUES"
	/* A: C1 only (1 of 5 = 20%); the churned and future customers do not count */
	" ('C1', 'A', '2026-10-25', 3), ('C6', 'A', '2026-10-25', 3), ('C7', 'A', '2026-11-26', 3),"
	/* C: C1 (day 10), C2 (day 30), C3 (from its creation: day 4), C4 (day 20);
	 *    C5 first used it after the as-of day, so not yet */
	" ('C1', 'C', '2026-01-11', 1), ('C2', 'C', '2026-01-31', 1), ('C3', 'C', '2026-10-14', 1),"
	" ('C4', 'C', '2026-01-21', 1), ('C5', 'C', '2026-11-21', 1),"
	/* D: one user with an unknown first use, one who never used it */
	" ('C2', 'D', NULL, 4), ('C3', 'D', '2026-05-01', 0);"
	"INSERT INTO tickets (ticket_id, customer_id, created_at, category, feature) VALUES"
	" ('T1', 'C1', '2026-11-01 09:00:00', 'How-To Question', 'A'),"
	" ('T2', 'C1', '2026-11-02 09:00:00', 'Documentation Gap', 'alpha'),"
	" ('T3', 'C1', '2026-11-03 09:00:00', 'Usability Issue', 'A'),"
	" ('T4', 'C1', '2026-11-03 09:00:00', 'Bug Report', 'A'),"
	" ('T5', 'C1', '2026-05-03 09:00:00', 'Usability Issue', 'A');";

static void snapshot(struct fixture *f, const char *id, const char *as_of, const char *band)
{
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(f->db,
		"INSERT INTO snapshots (customer_id, as_of, profile, profile_version, score, band,"
		" coverage, trend, components, measures) VALUES (?1, ?2, 'default', '1', 50, ?3,"
		" 100, 'stable', '', '')", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, as_of, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, band, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
}

static void test_adoption_report(void **state)
{
	struct fixture *f = *state;
	struct cs_adoption_report r;
	const struct cs_adoption_feature *a, *b, *c, *d;

	exec(f->db, adoption_fixture);
	assert_int_equal(cs_adoption_report(f->db, day("2026-11-20"), &f->cfg, NULL, &r, &f->diag), 0);
	assert_int_equal(r.active, 5);
	assert_false(r.banded);
	assert_int_equal(r.band_active[CS_ADOPT_UNSCORED], 5);
	assert_int_equal(r.nfeatures, 4);	/* E is not released yet */
	a = &r.features[0];
	b = &r.features[1];
	c = &r.features[2];
	d = &r.features[3];

	assert_string_equal(a->feature_id, "A");
	assert_int_equal(a->days_since_release, 30);
	assert_int_equal(a->users, 1);
	assert_true(near(a->pct, 20));
	assert_int_equal(a->status, CS_ADOPT_BELOW_TARGET);	/* 20% is not under 20% */
	assert_true(a->recent);
	/* one user, four days after the release: the middle of an odd count */
	assert_int_equal(a->first_use_n, 1);
	assert_true(near(a->median_days, 4));

	assert_int_equal(b->days_since_release, 29);
	assert_int_equal(b->users, 0);
	assert_int_equal(b->status, CS_ADOPT_NEW);

	assert_int_equal(c->users, 4);
	assert_true(near(c->pct, 80));
	assert_int_equal(c->status, CS_ADOPT_ON_TARGET);
	assert_false(c->recent);
	/* Days to first use 10, 30, 4, 20: median (10 + 20) / 2. */
	assert_int_equal(c->first_use_n, 4);
	assert_true(near(c->median_days, 15));
	assert_int_equal(c->paid, -1);

	assert_int_equal(d->users, 1);
	assert_int_equal(d->status, CS_ADOPT_UNDATED);
	assert_int_equal(d->first_use_n, 0);
	assert_int_equal(r.gaps, 0);
	cs_adoption_report_free(&r);

	/* A sixth active customer: 1 of 6 (16.7%) makes A a gap, with its likely cause. */
	exec(f->db, "INSERT INTO customers (customer_id, name) VALUES ('C8', 'c8')");
	snapshot(f, "C1", "2026-11-13", "green");
	snapshot(f, "C2", "2026-11-13", "red");
	snapshot(f, "C1", "2026-11-27", "red");	/* after the day: not used */
	/* The churned C6's snapshot lies between the active customers' in id
	 * order: the bands' walk passes it by. */
	snapshot(f, "C6", "2026-11-13", "red");
	assert_int_equal(cs_adoption_report(f->db, day("2026-11-20"), &f->cfg, NULL, &r, &f->diag), 0);
	assert_int_equal(r.active, 6);
	assert_true(r.banded);
	assert_string_equal(r.snapshot_date, "2026-11-13");
	assert_int_equal(r.band_active[CS_ADOPT_GREEN], 1);
	assert_int_equal(r.band_active[CS_ADOPT_RED], 1);
	assert_int_equal(r.band_active[CS_ADOPT_UNSCORED], 4);
	a = &r.features[0];
	assert_int_equal(a->status, CS_ADOPT_GAP);
	assert_int_equal(a->band_users[CS_ADOPT_GREEN], 1);
	assert_int_equal(a->band_users[CS_ADOPT_RED], 0);
	assert_int_equal(r.gaps, 1);
	/* 2 docs tickets (one naming it by name), 1 usability, 1 other; T5 is too old. */
	assert_int_equal(a->tickets_docs, 2);
	assert_int_equal(a->tickets_usability, 1);
	assert_int_equal(a->tickets_other, 1);
	assert_string_equal(a->cause, "docs");
	assert_string_equal(a->owner, "Thomas");
	cs_adoption_report_free(&r);
}

/*
 * A cancelled adoption report stops on both connections and leaves
 * nothing half-built. 3,000 customers, so that each walk runs past
 * SQLite's 1000 steps between looks at the flag.
 */
static void test_adoption_report_cancelled(void **state)
{
	struct fixture *f = *state;
	struct cs_adoption_report r;
	volatile sig_atomic_t cancel = 1;

	exec(f->db,
	     "INSERT INTO features (feature_id, name, released_at) VALUES ('A', 'a', '2026-01-01');"
	     "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000)"
	     " INSERT INTO customers (customer_id, name) SELECT printf('K%04d', i), 'k' FROM k;"
	     "INSERT INTO feature_usage (customer_id, feature_id, first_used_at)"
	     " SELECT customer_id, 'A', '2026-02-01' FROM customers;");
	/* The caller's connection watches the flag: the split stops at once. */
	cs_db_cancel_when(f->db, &cancel);
	assert_int_equal(cs_adoption_report(f->db, day("2026-11-20"), &f->cfg, &cancel, &r,
					    &f->diag), -1);
	cs_db_cancel_when(f->db, NULL);
	assert_true(captured_has(&f->cap, "splitting the customers: interrupted"));
	assert_null(r.features);
	/* Only the flag handed over: the other half's connection watches it. */
	f->cap.n = 0;
	assert_int_equal(cs_adoption_report(f->db, day("2026-11-20"), &f->cfg, &cancel, &r,
					    &f->diag), -1);
	cs_db_cancel_when(f->db, NULL);
	assert_true(captured_has(&f->cap, "reading feature use: interrupted"));
	assert_null(r.features);
	/* Not cancelled, the same database gives its figures. */
	cancel = 0;
	assert_int_equal(cs_adoption_report(f->db, day("2026-11-20"), &f->cfg, &cancel, &r,
					    &f->diag), 0);
	cs_db_cancel_when(f->db, NULL);
	assert_int_equal(r.active, 3000);
	assert_int_equal(r.features[0].users, 3000);
	cs_adoption_report_free(&r);
}

/* --- onboarding ----------------------------------------------------------------------------- */

static void test_onboarding(void **state)
{
	struct fixture *f = *state;
	struct cs_onboarding_report r;

	/*
	 * As of 2026-11-20 the cohort is created 2026-08-23 .. 2026-11-20.
	 * N1 reaches first value on day 30 (activated), N2 on day 31 (not),
	 * N3 stalls after admin_setup, N4 after kickoff, N5 after admin_setup,
	 * N6 is 10 days old and at kickoff (in progress), N7 10 days old and
	 * there already; OLD was created before the window.
	 */
	exec(f->db,
	     "INSERT INTO customers (customer_id, name, created_at) VALUES"
	     " ('N1', 'n1', '2026-09-01'), ('N2', 'n2', '2026-09-01'), ('N3', 'n3', '2026-08-23'),"
	     " ('N4', 'n4', '2026-09-15'), ('N5', 'n5', '2026-10-01'), ('N6', 'n6', '2026-11-10'),"
	     " ('N7', 'n7', '2026-11-10'), ('OLD', 'old', '2026-08-22');"
	     "INSERT INTO onboarding (customer_id, milestone, reached_at) VALUES"
	     " ('N1', 'kickoff', '2026-09-02'), ('N1', 'first_value', '2026-10-01'),"
	     " ('N2', 'kickoff', '2026-09-02'), ('N2', 'First_Value', '2026-10-02'),"
	     " ('N3', 'kickoff', '2026-08-25'), ('N3', 'admin_setup', '2026-09-01'),"
	     " ('N3', 'data_import', NULL), ('N3', 'first_value', '2026-11-21'),"
	     " ('N4', 'kickoff', '2026-09-20'), ('N4', 'party', '2026-09-21'),"
	     " ('N5', 'kickoff', '2026-10-02'), ('N5', 'admin_setup', '2026-10-05'),"
	     " ('N6', 'kickoff', '2026-11-11'),"
	     " ('N7', 'first_value', '2026-11-15'),"
	     " ('OLD', 'kickoff', '2026-08-23');"
	     "INSERT INTO tickets (ticket_id, customer_id, created_at) VALUES"
	     " ('T1', 'N1', '2026-09-01 08:00:00'), ('T2', 'N1', '2026-10-01 23:00:00'),"
	     " ('T3', 'N1', '2026-10-02 08:00:00'), ('T4', 'N2', '2026-09-10 08:00:00'),"
	     " ('T5', 'N6', '2026-11-12 08:00:00'), ('T6', 'OLD', '2026-09-01 08:00:00');");
	assert_int_equal(cs_onboarding_report(f->db, day("2026-11-20"), &f->cfg, &r, &f->diag), 0);
	assert_string_equal(r.from, "2026-08-23");
	assert_int_equal(r.cohort, 7);
	/* First value: N1 day 30, N2 day 31, N7 day 5; N3's is after the as-of day. */
	assert_int_equal(r.reached, 3);
	assert_true(near(r.ttfv_median, 30));
	assert_true(near(r.ttfv_mean, 22));
	/* Activation: of N1..N5 (30+ days old), only N1 got there within 30 days. */
	assert_int_equal(r.eligible, 5);
	assert_int_equal(r.activated, 1);
	assert_true(near(r.activation_pct, 20));
	assert_int_equal(r.young, 2);
	assert_int_equal(r.young_activated, 1);
	/* Tickets within 30 days of creation: N1's T1 (day 0) and T2 (day 30), N2's T4. */
	assert_int_equal(r.early_customers, 5);
	assert_int_equal(r.early_tickets, 3);
	assert_int_equal(r.early_ticket_customers, 2);
	/* Reached: kickoff N1-N6, admin_setup N3 N5, first_value N1 N2 N7. */
	assert_int_equal(r.milestones[0].reached, 6);
	assert_int_equal(r.milestones[1].reached, 2);
	assert_int_equal(r.milestones[2].reached, 0);
	assert_int_equal(r.milestones[3].reached, 3);
	/* Stalled (30+ days, no first value): N3, N5 at admin_setup; N4 at kickoff. */
	assert_int_equal(r.stalled, 3);
	assert_int_equal(r.stalled_none, 0);
	assert_int_equal(r.milestones[0].stalled, 1);
	assert_int_equal(r.milestones[1].stalled, 2);
	assert_int_equal(r.stall_at, 1);
	assert_string_equal(r.milestones[r.stall_at].name, "admin_setup");
	assert_int_equal(r.in_progress, 1);
	assert_int_equal(r.milestones[0].in_progress, 1);
	assert_int_equal(r.unknown_milestones, 1);	/* "party" */
}

/* The activation edge on its own: day 30 of 30 counts, day 31 does not. */
static void test_onboarding_activation_edge(void **state)
{
	struct fixture *f = *state;
	struct cs_onboarding_report r;

	exec(f->db,
	     "INSERT INTO customers (customer_id, name, created_at) VALUES"
	     " ('A', 'a', '2026-10-01'), ('B', 'b', '2026-10-01');"
	     "INSERT INTO onboarding (customer_id, milestone, reached_at) VALUES"
	     " ('A', 'first_value', '2026-10-31'), ('B', 'first_value', '2026-11-01');");
	assert_int_equal(cs_onboarding_report(f->db, day("2026-11-20"), &f->cfg, &r, &f->diag), 0);
	assert_int_equal(r.eligible, 2);
	assert_int_equal(r.activated, 1);
	assert_true(near(r.activation_pct, 50));
	/* On 2026-10-31, day 30, both are eligible; B's first value is a day away. */
	assert_int_equal(cs_onboarding_report(f->db, day("2026-10-31"), &f->cfg, &r, &f->diag), 0);
	assert_int_equal(r.eligible, 2);
	assert_int_equal(r.activated, 1);
	assert_int_equal(r.stalled, 1);	/* B */
	assert_int_equal(r.stall_at, -1);
	assert_int_equal(cs_onboarding_report(f->db, day("2026-10-30"), &f->cfg, &r, &f->diag), 0);
	assert_int_equal(r.eligible, 0);
	assert_int_equal(r.young, 2);
}

static void test_median(void **state)
{
	double a[] = { 5, 1, 3 }, b[] = { 4, 1, 3, 2 };

	(void)state;
	assert_true(near(cs_median(a, 3), 3));
	assert_true(near(cs_median(b, 4), 2.5));
	assert_true(near(cs_median(NULL, 0), 0));
}

/* The selection's median against sorting's, on orders and ties that trip partitions. */
static void test_median_orders(void **state)
{
	enum { N = 1001 };
	static double v[N], w[N];
	unsigned seed = 12345;

	(void)state;
	for (int form = 0; form < 6; form++) {
		for (long n = 1; n <= N; n += form < 3 ? 1 : 97) {
			for (long i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				v[i] = form == 0 ? (double)i : form == 1 ? (double)(n - i) :
				       form == 2 ? (double)(seed >> 16) :
				       form == 3 ? 7 : form == 4 ? (double)(i % 3) :
				       (double)((seed >> 16) % 5);
				w[i] = v[i];
			}
			/* the median by insertion sort: a few thousand elements at most */
			for (long i = 1; i < n; i++)
				for (long j = i; j > 0 && w[j - 1] > w[j]; j--) {
					double t = w[j];

					w[j] = w[j - 1];
					w[j - 1] = t;
				}
			assert_true(near(cs_median(v, n), n % 2 ? w[n / 2] :
					 (w[n / 2 - 1] + w[n / 2]) / 2));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_config_shipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_errors, setup, teardown),
		cmocka_unit_test(test_trend_buckets),
		cmocka_unit_test_setup_teardown(test_nps_monthly_trend, setup, teardown),
		cmocka_unit_test(test_anonymise),
		cmocka_unit_test(test_anonymise_names_by_word),
		cmocka_unit_test(test_anonymise_many_blocks),
		cmocka_unit_test(test_anonymise_only_words),
		cmocka_unit_test_setup_teardown(test_reason_themes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nps_reasons_anonymised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_satisfaction_by_feature, setup, teardown),
		cmocka_unit_test_setup_teardown(test_satisfaction_report_both, setup, teardown),
		cmocka_unit_test_setup_teardown(test_satisfaction_report_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csat_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csat_flag_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adoption_status_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adoption_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_adoption_report_cancelled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onboarding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_onboarding_activation_edge, setup, teardown),
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_median_orders),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
