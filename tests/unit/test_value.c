/*
 * test_value.c — the value parsers against hand-checked expectations.
 *
 * Day numbers were worked out by hand from the calendar: 2026-01-01 is
 * 56 * 365 + 14 leap days (1972..2024) = 20454 days after 1970-01-01, so
 * 2026-03-15 is 20454 + 31 + 28 + 14 = 20527. Excel serials count from
 * 1899-12-30, so serial 25569 is day 0 and 45000 is day 19431, 2023-03-15
 * (2023-01-01 is 53 * 365 + 13 = 19358, + 31 + 28 + 14).
 */
#include "testutil.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>

#include "casey/value.h"

static const char NOT_DATE[] = "is not a date";
static const char BAD_DATE[] = "is not a valid date";
static const char RANGE[] = "is out of range (1970-2099)";
static const char AMBIG_DATE[] =
	"is ambiguous (day/month or month/day?); give --date-format";
static const char TWO_DIGIT[] = "has a two-digit year; give --date-format";
static const char NAN_[] = "is not a number";
static const char AMBIG_NUM[] =
	"is ambiguous (decimal comma?); write 1.5 or 1500";

/* Parse s (with fmt) and compare the ISO rendering and has_time. */
static void check_time(const char *s, const char *fmt, const char *iso,
		       bool has_time)
{
	struct cs_time t = { -1, !has_time };
	const char *why = NULL;
	char buf[CS_TIME_ISO_MAX];

	if (cs_parse_time(s, fmt, &t, &why) != 0)
		fail_msg("'%s' (format %s): %s", s, fmt ? fmt : "none", why);
	cs_format_time(&t, buf);
	if (strcmp(buf, iso) != 0 || t.has_time != has_time)
		fail_msg("'%s': got %s (has_time %d), want %s (%d)", s, buf,
			 t.has_time, iso, has_time);
}

static void check_time_err(const char *s, const char *fmt, const char *want)
{
	struct cs_time t = { 0, false };
	const char *why = NULL;

	if (cs_parse_time(s, fmt, &t, &why) != -1)
		fail_msg("'%s' (format %s): accepted, want \"%s\"", s,
			 fmt ? fmt : "none", want);
	if (!why || strcmp(why, want) != 0)
		fail_msg("'%s': why \"%s\", want \"%s\"", s, why ? why : "(null)",
			 want);
}

static void check_dec(const char *s, double want)
{
	const char *why = NULL;
	double v = -12345.678;

	if (cs_parse_decimal(s, &v, &why) != 0)
		fail_msg("'%s': %s", s, why);
	if (v != want)
		fail_msg("'%s': got %.17g, want %.17g", s, v, want);
}

static void check_dec_err(const char *s, const char *want)
{
	const char *why = NULL;
	double v = 0;

	if (cs_parse_decimal(s, &v, &why) != -1)
		fail_msg("'%s': accepted as %.17g, want \"%s\"", s, v, want);
	if (!why || strcmp(why, want) != 0)
		fail_msg("'%s': why \"%s\", want \"%s\"", s, why ? why : "(null)",
			 want);
}

static void check_int(const char *s, int64_t want)
{
	const char *why = NULL;
	int64_t v = -1;

	if (cs_parse_int(s, &v, &why) != 0)
		fail_msg("'%s': %s", s, why);
	assert_int_equal(v, want);
}

static void check_int_err(const char *s, const char *want)
{
	const char *why = NULL;
	int64_t v = 0;

	if (cs_parse_int(s, &v, &why) != -1)
		fail_msg("'%s': accepted, want \"%s\"", s, want);
	if (!why || strcmp(why, want) != 0)
		fail_msg("'%s': why \"%s\", want \"%s\"", s, why ? why : "(null)",
			 want);
}

static void check_bool(const char *s, int want)
{
	const char *why = NULL;
	int v = -1;

	if (cs_parse_bool(s, &v, &why) != 0)
		fail_msg("'%s': %s", s, why);
	if (v != want)
		fail_msg("'%s': got %d, want %d", s, v, want);
}

static void check_bool_err(const char *s)
{
	const char *why = NULL;
	int v = -1;

	if (cs_parse_bool(s, &v, &why) != -1)
		fail_msg("'%s': accepted", s);
	assert_string_equal(why, "is not yes or no");
}

/* ---- calendar ---------------------------------------------------------- */

static void test_days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(cs_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(cs_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(cs_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(cs_days_from_civil(1971, 1, 1), 365);
	assert_int_equal(cs_days_from_civil(1973, 1, 1), 365 * 3 + 1);
	/* 30 years with 7 leap days (1972..1996) to 2000-01-01. */
	assert_int_equal(cs_days_from_civil(2000, 1, 1), 10957);
	assert_int_equal(cs_days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(cs_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(cs_days_from_civil(2026, 3, 15), 20527);
	assert_int_equal(cs_days_from_civil(2023, 3, 15), 19431);
	/* 130 years, 32 leap days (1972..2096): 47482 is 2100-01-01. */
	assert_int_equal(cs_days_from_civil(2099, 12, 31), 47481);
	/* 370 years, 93 multiples of 4 less 1700, 1800, 1900. */
	assert_int_equal(cs_days_from_civil(1600, 1, 1), -135140);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walk every day from 1600 to 2400 and check both directions. */
static void test_civil_round_trip(void **state)
{
	static const int dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };
	int32_t want = cs_days_from_civil(1600, 1, 1);
	int y, m, d, yy, mm, dd, n;

	(void)state;
	assert_true(leap(2000) && leap(2024) && !leap(1900) && !leap(2100) &&
		    !leap(2026));
	for (y = 1600; y <= 2400; y++) {
		for (m = 1; m <= 12; m++) {
			n = dm[m - 1] + (m == 2 && leap(y));
			for (d = 1; d <= n; d++, want++) {
				if (cs_days_from_civil(y, m, d) != want)
					fail_msg("%d-%d-%d: %d, want %d", y, m,
						 d, cs_days_from_civil(y, m, d),
						 want);
				cs_civil_from_days(want, &yy, &mm, &dd);
				if (yy != y || mm != m || dd != d)
					fail_msg("day %d: %d-%d-%d", want, yy,
						 mm, dd);
			}
		}
	}
	assert_int_equal(want, cs_days_from_civil(2401, 1, 1));
}

/* ---- formatting -------------------------------------------------------- */

static void test_format(void **state)
{
	struct cs_time t;
	char buf[CS_TIME_ISO_MAX];
	char day[11];

	(void)state;
	t.epoch = 0;
	t.has_time = false;
	cs_format_time(&t, buf);
	assert_string_equal(buf, "1970-01-01");
	t.has_time = true;
	cs_format_time(&t, buf);
	assert_string_equal(buf, "1970-01-01 00:00:00");
	/* A second before the epoch is the previous day, not "-00:00:01". */
	t.epoch = -1;
	cs_format_time(&t, buf);
	assert_string_equal(buf, "1969-12-31 23:59:59");
	/* 2026-03-15 is day 20527; 14:02:05 is 50525 s. */
	t.epoch = 20527LL * 86400 + 50525;
	cs_format_time(&t, buf);
	assert_string_equal(buf, "2026-03-15 14:02:05");
	assert_int_equal(strlen(buf) + 1, CS_TIME_ISO_MAX);
	t.epoch = 47481LL * 86400 + 86399;
	cs_format_time(&t, buf);
	assert_string_equal(buf, "2099-12-31 23:59:59");

	cs_format_day(0, day);
	assert_string_equal(day, "1970-01-01");
	cs_format_day(11016, day);
	assert_string_equal(day, "2000-02-29");
	cs_format_day(20527, day);
	assert_string_equal(day, "2026-03-15");
	cs_format_day(-135140, day);
	assert_string_equal(day, "1600-01-01");
}

/* Every day the parsers accept survives format -> parse unchanged. */
static void test_format_round_trip(void **state)
{
	int32_t first = cs_days_from_civil(CS_YEAR_MIN, 1, 1);
	int32_t last = cs_days_from_civil(CS_YEAR_MAX, 12, 31);
	int32_t days, back;
	struct cs_time t, u;
	char buf[CS_TIME_ISO_MAX];
	const char *why;

	(void)state;
	for (days = first; days <= last; days++) {
		cs_format_day(days, buf);
		assert_int_equal(cs_parse_day(buf, &back), 0);
		assert_int_equal(back, days);

		t.epoch = (int64_t)days * 86400;
		t.has_time = false;
		cs_format_time(&t, buf);
		assert_int_equal(cs_parse_time(buf, NULL, &u, &why), 0);
		assert_true(u.epoch == t.epoch && !u.has_time);

		/* A different time of day each day, to cover the clock. */
		t.epoch += (int64_t)days * 7919 % 86400;
		t.has_time = true;
		cs_format_time(&t, buf);
		assert_int_equal(cs_parse_time(buf, NULL, &u, &why), 0);
		assert_true(u.epoch == t.epoch && u.has_time);
	}
}

static void test_parse_day(void **state)
{
	int32_t d = -1;

	(void)state;
	assert_int_equal(cs_parse_day("2026-03-15", &d), 0);
	assert_int_equal(d, 20527);
	assert_int_equal(cs_parse_day("1970-01-01", &d), 0);
	assert_int_equal(d, 0);
	assert_int_equal(cs_parse_day("2024-02-29", &d), 0);
	assert_int_equal(d, cs_days_from_civil(2024, 2, 29));
	assert_int_equal(cs_parse_day("2026-02-29", &d), -1);
	assert_int_equal(cs_parse_day("2026-02-30", &d), -1);
	assert_int_equal(cs_parse_day("2026-13-01", &d), -1);
	assert_int_equal(cs_parse_day("2026-00-10", &d), -1);
	assert_int_equal(cs_parse_day("2026-3-15", &d), -1);
	assert_int_equal(cs_parse_day("2026-03-15T00:00", &d), -1);
	assert_int_equal(cs_parse_day("2026/03/15", &d), -1);
	assert_int_equal(cs_parse_day("2026-03-1", &d), -1);
	assert_int_equal(cs_parse_day("1900-01-01", &d), -1);
	assert_int_equal(cs_parse_day("2200-01-01", &d), -1);
	assert_int_equal(cs_parse_day("", &d), -1);
}

/* ---- dates ------------------------------------------------------------- */

static void test_time_iso(void **state)
{
	struct cs_time t;
	const char *why;

	(void)state;
	check_time("2026-03-15", NULL, "2026-03-15", false);
	assert_int_equal(cs_parse_time("2026-03-15", NULL, &t, &why), 0);
	assert_true(t.epoch == 20527LL * 86400);
	check_time("2026-03-15T14:02", NULL, "2026-03-15 14:02:00", true);
	check_time("2026-03-15T14:02:05", NULL, "2026-03-15 14:02:05", true);
	check_time("2026-03-15 14:02:05", NULL, "2026-03-15 14:02:05", true);
	check_time("2026-03-15T14:02:05.123", NULL, "2026-03-15 14:02:05",
		   true);
	check_time("2026-03-15T14:02:05.999999Z", NULL, "2026-03-15 14:02:05",
		   true);
	check_time("2026-03-15T14:02:05Z", NULL, "2026-03-15 14:02:05", true);
	check_time("2026-03-15T14:02Z", NULL, "2026-03-15 14:02:00", true);
	assert_int_equal(cs_parse_time("2026-03-15T14:02:05Z", NULL, &t, &why),
			 0);
	assert_true(t.epoch == 20527LL * 86400 + 50525);
	/* Offsets are converted to UTC, across days, months and years. */
	check_time("2026-03-15T23:30:00-02:00", NULL, "2026-03-16 01:30:00",
		   true);
	check_time("2026-03-15T14:02:05+05:30", NULL, "2026-03-15 08:32:05",
		   true);
	check_time("2026-03-15 14:02:05+0530", NULL, "2026-03-15 08:32:05",
		   true);
	check_time("2026-03-15 14:02:05.5-0100", NULL, "2026-03-15 15:02:05",
		   true);
	check_time("2026-03-01T00:30:00+01:00", NULL, "2026-02-28 23:30:00",
		   true);
	check_time("2024-03-01T00:30:00+01:00", NULL, "2024-02-29 23:30:00",
		   true);
	check_time("2026-12-31T23:00:00-01:30", NULL, "2027-01-01 00:30:00",
		   true);
	check_time("2026-03-15T00:00:00+00:00", NULL, "2026-03-15 00:00:00",
		   true);
	check_time("2026-03-15T00:00:00-00:30", NULL, "2026-03-15 00:30:00",
		   true);
	/* PostgreSQL writes "+00"; some tools put a space before the zone. */
	check_time("2026-03-15 14:02:05.123+00", NULL, "2026-03-15 14:02:05",
		   true);
	check_time("2026-03-15 14:02:05 +0200", NULL, "2026-03-15 12:02:05",
		   true);
	check_time("2026-03-15 14:02:05 UTC", NULL, "2026-03-15 14:02:05",
		   true);
	check_time("2099-12-31T23:59:59", NULL, "2099-12-31 23:59:59", true);
	check_time("1970-01-01", NULL, "1970-01-01", false);

	check_time_err("2026-03-15T", NULL, NOT_DATE);
	check_time_err("2026-03-15x", NULL, NOT_DATE);
	check_time_err("2026-03-15T14", NULL, NOT_DATE);
	check_time_err("2026-03-15T14:2", NULL, NOT_DATE);
	check_time_err("2026-03-15T14:02:05+", NULL, NOT_DATE);
	check_time_err("2026-03-15T14:02:05+5", NULL, NOT_DATE);
	check_time_err("2026-03-15T14:02:05+05:", NULL, NOT_DATE);
	check_time_err("2026-03-15T14:02:05+05:30x", NULL, NOT_DATE);
	check_time_err("2026-03-15T14:02:05.", NULL, NOT_DATE);
	check_time_err("2026-03-15Z", NULL, NOT_DATE);
	check_time_err("2026-03", NULL, NOT_DATE);
	check_time_err("2026", NULL, NOT_DATE);
	check_time_err("2026-03/15", NULL, NOT_DATE);
	check_time_err("20260-03-15", NULL, NOT_DATE);
	check_time_err("2026-003-15", NULL, NOT_DATE);
	check_time_err("hello", NULL, NOT_DATE);
	check_time_err("-2026-03-15", NULL, NOT_DATE);
	check_time_err("", NULL, NOT_DATE);
}

static void test_time_invalid(void **state)
{
	(void)state;
	check_time("2024-02-29", NULL, "2024-02-29", false);
	check_time("2000-02-29", NULL, "2000-02-29", false);
	check_time_err("2026-02-29", NULL, BAD_DATE);
	check_time_err("2026-02-30", NULL, BAD_DATE);
	check_time_err("2026-04-31", NULL, BAD_DATE);
	check_time_err("2026-13-01", NULL, BAD_DATE);
	check_time_err("2026-00-10", NULL, BAD_DATE);
	check_time_err("2026-03-00", NULL, BAD_DATE);
	check_time_err("2026-03-15T24:00", NULL, BAD_DATE);
	check_time_err("2026-03-15T14:60", NULL, BAD_DATE);
	check_time_err("2026-03-15T14:02:60", NULL, BAD_DATE);
	check_time_err("2026-03-15T14:02+24:00", NULL, BAD_DATE);

	check_time_err("1900-01-01", NULL, RANGE);
	check_time_err("1969-12-31", NULL, RANGE);
	check_time_err("2100-01-01", NULL, RANGE);
	check_time_err("2200-06-15", NULL, RANGE);
	check_time_err("15/03/1900", NULL, RANGE);
	check_time_err("03/04/2200", NULL, RANGE);
	check_time_err("15 Mar 2200", NULL, RANGE);
	check_time_err("Mar 15, 1900", NULL, RANGE);
	/* The range goes before the calendar: 2100 is not a leap year. */
	check_time_err("2100-02-29", NULL, RANGE);
}

static void test_time_slashes(void **state)
{
	(void)state;
	check_time("2026/03/15", NULL, "2026-03-15", false);
	check_time("2026/3/5", NULL, "2026-03-05", false);
	check_time("2026.03.15", NULL, "2026-03-15", false);
	check_time("2026/03/15 14:02", NULL, "2026-03-15 14:02:00", true);

	/* Day first or month first, when a part above 12 tells. */
	check_time("15/03/2026", NULL, "2026-03-15", false);
	check_time("03/15/2026", NULL, "2026-03-15", false);
	check_time("3/15/2026", NULL, "2026-03-15", false);
	check_time("15/3/2026", NULL, "2026-03-15", false);
	check_time("15.03.2026", NULL, "2026-03-15", false);
	check_time("15-03-2026", NULL, "2026-03-15", false);
	check_time("12/31/2026", NULL, "2026-12-31", false);
	check_time("31/12/2026", NULL, "2026-12-31", false);
	check_time("29/02/2024", NULL, "2024-02-29", false);
	/* Both readings are the same day. */
	check_time("03/03/2026", NULL, "2026-03-03", false);

	check_time("15/03/2026 14:02", NULL, "2026-03-15 14:02:00", true);
	check_time("15/03/2026 14:02:05", NULL, "2026-03-15 14:02:05", true);
	check_time("15.03.2026 09:05", NULL, "2026-03-15 09:05:00", true);
	check_time("3/15/2026 2:02 PM", NULL, "2026-03-15 14:02:00", true);
	check_time("3/15/2026 2:02:05 pm", NULL, "2026-03-15 14:02:05", true);
	check_time("3/15/2026, 2:02 PM", NULL, "2026-03-15 14:02:00", true);
	check_time("3/15/2026 9:30 AM", NULL, "2026-03-15 09:30:00", true);
	check_time("3/15/2026 12:00 AM", NULL, "2026-03-15 00:00:00", true);
	check_time("3/15/2026 12:30 PM", NULL, "2026-03-15 12:30:00", true);
	check_time("3/15/2026 11:59PM", NULL, "2026-03-15 23:59:00", true);

	check_time_err("03/04/2026", NULL, AMBIG_DATE);
	check_time_err("04/03/2026", NULL, AMBIG_DATE);
	check_time_err("1/2/2026", NULL, AMBIG_DATE);
	check_time_err("03.04.2026", NULL, AMBIG_DATE);
	check_time_err("03/04/2026 14:02", NULL, AMBIG_DATE);
	check_time_err("31/02/2026", NULL, BAD_DATE);
	check_time_err("02/31/2026", NULL, BAD_DATE);
	check_time_err("13/13/2026", NULL, BAD_DATE);
	check_time_err("00/15/2026", NULL, BAD_DATE);
	check_time_err("00/05/2026", NULL, BAD_DATE);
	check_time_err("3/15/2026 13:00 PM", NULL, BAD_DATE);
	check_time_err("3/15/2026 0:30 AM", NULL, BAD_DATE);
	check_time_err("15/03-2026", NULL, NOT_DATE);
	check_time_err("15/03/2026 14", NULL, NOT_DATE);
	check_time_err("15/03/2026x", NULL, NOT_DATE);
	check_time_err("15/03/20261", NULL, NOT_DATE);
	check_time_err("15/03/202", NULL, NOT_DATE);
	check_time_err("15 03 2026", NULL, NOT_DATE);
	check_time_err("150/03/2026", NULL, NOT_DATE);
}

static void test_time_two_digit_year(void **state)
{
	(void)state;
	check_time_err("15/03/26", NULL, TWO_DIGIT);
	check_time_err("03/15/26", NULL, TWO_DIGIT);
	check_time_err("3/4/26", NULL, TWO_DIGIT);
	check_time_err("26-03-15", NULL, TWO_DIGIT);
	check_time_err("15.03.26", NULL, TWO_DIGIT);
	check_time_err("15-Mar-26", NULL, TWO_DIGIT);
	check_time_err("Mar 15, 26", NULL, TWO_DIGIT);
	check_time_err("15 March 26", NULL, TWO_DIGIT);
}

static void test_time_month_names(void **state)
{
	(void)state;
	check_time("15 Mar 2026", NULL, "2026-03-15", false);
	check_time("15 March 2026", NULL, "2026-03-15", false);
	check_time("Mar 15, 2026", NULL, "2026-03-15", false);
	check_time("Mar 15 2026", NULL, "2026-03-15", false);
	check_time("March 15 2026", NULL, "2026-03-15", false);
	check_time("March 15, 2026", NULL, "2026-03-15", false);
	check_time("15-Mar-2026", NULL, "2026-03-15", false);
	check_time("15-MAR-2026", NULL, "2026-03-15", false);
	check_time("march 15, 2026", NULL, "2026-03-15", false);
	check_time("1 jan 2026", NULL, "2026-01-01", false);
	check_time("Feb 29, 2024", NULL, "2024-02-29", false);
	check_time("May 1 2026", NULL, "2026-05-01", false);
	check_time("June 30 2026", NULL, "2026-06-30", false);
	check_time("Sep 1, 2026", NULL, "2026-09-01", false);
	check_time("Sept 1, 2026", NULL, "2026-09-01", false);
	check_time("September 1, 2026", NULL, "2026-09-01", false);
	check_time("Dec. 31, 2026", NULL, "2026-12-31", false);
	check_time("31 December 2026", NULL, "2026-12-31", false);
	check_time("Mar 15, 2026 2:30 PM", NULL, "2026-03-15 14:30:00", true);
	check_time("15 Mar 2026 14:02:05", NULL, "2026-03-15 14:02:05", true);

	check_time_err("Feb 29, 2026", NULL, BAD_DATE);
	check_time_err("31-Apr-2026", NULL, BAD_DATE);
	check_time_err("Mars 15, 2026", NULL, NOT_DATE);
	check_time_err("Ma 15, 2026", NULL, NOT_DATE);
	check_time_err("15 Mrz 2026", NULL, NOT_DATE);
	check_time_err("March 2026", NULL, NOT_DATE);
	check_time_err("Mar 150, 2026", NULL, NOT_DATE);
	check_time_err("15 Mar", NULL, NOT_DATE);
	check_time_err("Mar15 2026", NULL, NOT_DATE);
}

static void test_time_excel(void **state)
{
	(void)state;
	check_time("25569", NULL, "1970-01-01", false);
	check_time("45000", NULL, "2023-03-15", false);
	/* 2026-03-15 is day 20527, serial 20527 + 25569. */
	check_time("46096", NULL, "2026-03-15", false);
	check_time("73050", NULL, "2099-12-31", false);
	check_time("45000.5", NULL, "2023-03-15 12:00:00", true);
	check_time("45000.25", NULL, "2023-03-15 06:00:00", true);
	check_time("45000.0", NULL, "2023-03-15 00:00:00", true);
	/* 14:02:05 = 50525 s = 0.584780092592592... of a day. */
	check_time("45000.584780092592593", NULL, "2023-03-15 14:02:05", true);
	check_time("45000.58478", NULL, "2023-03-15 14:02:05", true);
	/* Rounding up to midnight rolls the day over. */
	check_time("45000.9999999", NULL, "2023-03-16 00:00:00", true);

	/* 20000..25568 are Excel serials before 1970. */
	check_time_err("20000", NULL, RANGE);
	check_time_err("25568", NULL, RANGE);
	check_time_err("19999", NULL, NOT_DATE);
	check_time_err("73051", NULL, NOT_DATE);
	check_time_err("1234", NULL, NOT_DATE);
	check_time_err("123456", NULL, NOT_DATE);
	check_time_err("45000.", NULL, NOT_DATE);
	check_time_err("45000.5x", NULL, NOT_DATE);
	check_time_err("45000,5", NULL, NOT_DATE);
}

static void test_time_format(void **state)
{
	(void)state;
	check_time("15/03/2026", "%d/%m/%Y", "2026-03-15", false);
	check_time("03/04/2026", "%d/%m/%Y", "2026-04-03", false);
	check_time("03/04/2026", "%m/%d/%Y", "2026-03-04", false);
	check_time("15.03.26", "%d.%m.%y", "2026-03-15", false);
	check_time("15 Mar 2026", "%d %b %Y", "2026-03-15", false);
	check_time("2026-03", "%Y-%m", "2026-03-01", false);
	check_time("2026-03-15 14:02:05", "%Y-%m-%d %H:%M:%S",
		   "2026-03-15 14:02:05", true);
	check_time("15/03/2026 02:02 PM", "%d/%m/%Y %I:%M %p",
		   "2026-03-15 14:02:00", true);
	check_time("2026-03-15T23:30:00-02:00", "%Y-%m-%dT%H:%M:%S%z",
		   "2026-03-16 01:30:00", true);
	check_time("2026-03-15 14:02 +0530", "%Y-%m-%d %H:%M %z",
		   "2026-03-15 08:32:00", true);

	/* The whole field must match: no trailing characters. */
	check_time_err("15/03/2026x", "%d/%m/%Y", NOT_DATE);
	check_time_err("15/03/2026 14:02", "%d/%m/%Y", NOT_DATE);
	check_time_err("2026-03-15", "%d/%m/%Y", NOT_DATE);
	check_time_err("2026-03-15T14:02:05", "%Y-%m-%dT%H:%M:%S%z", NOT_DATE);
	check_time_err("30/02/2026", "%d/%m/%Y", BAD_DATE);
	check_time_err("29/02/2026", "%d/%m/%Y", BAD_DATE);
	check_time_err("15/03/1900", "%d/%m/%Y", RANGE);
	check_time_err("15/03/2200", "%d/%m/%Y", RANGE);
}

/* ---- numbers ----------------------------------------------------------- */

static void test_decimal(void **state)
{
	const char *why;
	double v;

	(void)state;
	check_dec("1234", 1234);
	check_dec("1234.5", 1234.5);
	check_dec("-12.5", -12.5);
	check_dec("+7", 7);
	check_dec("0", 0);
	check_dec("0.1", 0.1);
	check_dec(".5", 0.5);
	check_dec("5.", 5);
	check_dec("1,234.50", 1234.5);
	check_dec("1,234", 1234);
	check_dec("1,234,567.89", 1234567.89);
	check_dec("-1,000", -1000);
	check_dec("123456789.25", 123456789.25);
	/* Currency signs in front, with or without a space. */
	check_dec("$120", 120);
	check_dec("$1,234.50", 1234.5);
	check_dec("€ 5", 5);
	check_dec("€5", 5);
	check_dec("£1,000", 1000);
	check_dec("€\xc2\xa0" "12", 12);
	check_dec("-$5", -5);
	check_dec("$-5", -5);
	check_dec("5 €", 5);
	/* ISO codes, in front or behind. */
	check_dec("USD 1200", 1200);
	check_dec("USD1200", 1200);
	check_dec("1200 EUR", 1200);
	check_dec("1200EUR", 1200);
	check_dec("GBP -3.5", -3.5);
	/* Multipliers, done in the exponent so they stay exact. */
	check_dec("$120k", 120000);
	check_dec("120K", 120000);
	check_dec("1.2M", 1200000);
	check_dec("1.2m", 1200000);
	check_dec("$1.5bn", 1500000000);
	check_dec("2B", 2000000000);
	check_dec("2.5BN", 2500000000.0);
	check_dec("120k USD", 120000);
	/* Accounting negatives. */
	check_dec("(1,234)", -1234);
	check_dec("(1,234.50)", -1234.5);
	check_dec("($1,234)", -1234);
	check_dec("(5)", -5);
	/* Exponents are fine as long as the result is finite. */
	check_dec("1e5", 100000);
	check_dec("1.5E-3", 0.0015);
	check_dec("1E+06", 1000000);
	/* No negative zero. */
	assert_int_equal(cs_parse_decimal("-0", &v, &why), 0);
	assert_true(v == 0 && !signbit(v));
	assert_int_equal(cs_parse_decimal("(0)", &v, &why), 0);
	assert_true(v == 0 && !signbit(v));
	/* 20 significant digits take the slow path: within an ulp. */
	assert_int_equal(cs_parse_decimal("12345678901234567890.5", &v, &why),
			 0);
	assert_true(v >= 12345678901234567890.5 * (1 - DBL_EPSILON) &&
		    v <= 12345678901234567890.5 * (1 + DBL_EPSILON));
	assert_int_equal(cs_parse_decimal("1e300", &v, &why), 0);
	assert_true(v >= 1e300 * (1 - DBL_EPSILON) &&
		    v <= 1e300 * (1 + DBL_EPSILON));
}

static void test_decimal_errors(void **state)
{
	char big[420];

	(void)state;
	check_dec_err("1,5", AMBIG_NUM);
	check_dec_err("12,50", AMBIG_NUM);
	check_dec_err("1234,5", AMBIG_NUM);
	check_dec_err("1234,567", AMBIG_NUM);
	check_dec_err("0,123", AMBIG_NUM);
	check_dec_err("1.234,50", AMBIG_NUM);
	check_dec_err("1.234.567", AMBIG_NUM);
	check_dec_err("1.234.567,89", AMBIG_NUM);
	check_dec_err("€1.234,50", AMBIG_NUM);
	check_dec_err("-1,5", AMBIG_NUM);

	check_dec_err("12abc", NAN_);
	check_dec_err("", NAN_);
	check_dec_err("--1", NAN_);
	check_dec_err("-+1", NAN_);
	check_dec_err("nan", NAN_);
	check_dec_err("NaN", NAN_);
	check_dec_err("inf", NAN_);
	check_dec_err("-inf", NAN_);
	check_dec_err("infinity", NAN_);
	check_dec_err("1e400", NAN_);
	check_dec_err("-1e400", NAN_);
	check_dec_err("1e-400", NAN_);
	check_dec_err("1,23,456", NAN_);
	check_dec_err("1,234,5", NAN_);
	check_dec_err("1,,234", NAN_);
	check_dec_err("1234,", NAN_);
	check_dec_err(",5", NAN_);
	check_dec_err("1 234", NAN_);
	check_dec_err("1.2.3", NAN_);
	check_dec_err(".", NAN_);
	check_dec_err("$", NAN_);
	check_dec_err("$$5", NAN_);
	check_dec_err("(5", NAN_);
	check_dec_err("(-5)", NAN_);
	check_dec_err("()", NAN_);
	check_dec_err("USD", NAN_);
	check_dec_err("USD 5 EUR", NAN_);
	check_dec_err("$5 USD", NAN_);
	check_dec_err("-$-5", NAN_);
	check_dec_err("5 k", NAN_);
	check_dec_err("5kk", NAN_);
	check_dec_err("5b", NAN_);
	check_dec_err("1e", NAN_);
	check_dec_err("0x10", NAN_);
	check_dec_err("12%", NAN_);
	check_dec_err("k", NAN_);

	/* 400 nines overflow a double. */
	memset(big, '9', 400);
	big[400] = '\0';
	check_dec_err(big, NAN_);
}

static void test_int(void **state)
{
	(void)state;
	check_int("42", 42);
	check_int("0", 0);
	check_int("-0", 0);
	check_int("1,234", 1234);
	check_int("1,234,567", 1234567);
	check_int("-3", -3);
	check_int("+7", 7);
	check_int("12.0", 12);
	check_int("12.000", 12);
	check_int("12.", 12);
	check_int("-1,000.00", -1000);
	check_int("9223372036854775807", INT64_MAX);
	check_int("-9223372036854775808", INT64_MIN);
	check_int("9,223,372,036,854,775,807", INT64_MAX);

	check_int_err("12.5", "is not a whole number");
	check_int_err("0.1", "is not a whole number");
	check_int_err("12.0001", "is not a whole number");
	check_int_err("99999999999999999999", "is out of range");
	check_int_err("9223372036854775808", "is out of range");
	check_int_err("-9223372036854775809", "is out of range");
	check_int_err("1,000,000,000,000,000,000,000", "is out of range");
	check_int_err("abc", NAN_);
	check_int_err("", NAN_);
	check_int_err("12abc", NAN_);
	check_int_err("12.5x", NAN_);
	check_int_err("--1", NAN_);
	check_int_err("1,5", NAN_);
	check_int_err("1,23,456", NAN_);
	check_int_err(".0", NAN_);
	check_int_err("1e3", NAN_);
	check_int_err("$5", NAN_);
	check_int_err("nan", NAN_);
	check_int_err(" 1", NAN_);
}

static void test_bool(void **state)
{
	(void)state;
	check_bool("yes", 1);
	check_bool("YES", 1);
	check_bool("Yes", 1);
	check_bool("no", 0);
	check_bool("NO", 0);
	check_bool("y", 1);
	check_bool("Y", 1);
	check_bool("n", 0);
	check_bool("N", 0);
	check_bool("true", 1);
	check_bool("TRUE", 1);
	check_bool("True", 1);
	check_bool("false", 0);
	check_bool("FALSE", 0);
	check_bool("t", 1);
	check_bool("T", 1);
	check_bool("f", 0);
	check_bool("F", 0);
	check_bool("1", 1);
	check_bool("0", 0);
	check_bool("on", 1);
	check_bool("ON", 1);
	check_bool("off", 0);
	check_bool("Off", 0);
	check_bool("x", 1);
	check_bool("X", 1);

	check_bool_err("");
	check_bool_err("maybe");
	check_bool_err("2");
	check_bool_err("-1");
	check_bool_err("yess");
	check_bool_err("ye");
	check_bool_err("nope");
	check_bool_err("o");
	check_bool_err("of");
	check_bool_err("xx");
	check_bool_err("01");
	check_bool_err("yes ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_from_civil),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_parse_day),
		cmocka_unit_test(test_time_iso),
		cmocka_unit_test(test_time_invalid),
		cmocka_unit_test(test_time_slashes),
		cmocka_unit_test(test_time_two_digit_year),
		cmocka_unit_test(test_time_month_names),
		cmocka_unit_test(test_time_excel),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_decimal_errors),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_bool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
