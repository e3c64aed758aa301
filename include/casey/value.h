/*
 * value.h — typed parsing of the values found in CSV exports.
 *
 * Every parser takes a NUL-terminated field (already trimmed of surrounding
 * blanks by the caller, never NULL, never empty: empty fields are "absent"
 * and handled by the caller) and returns 0 on success or -1 on failure.
 * On failure *why is set to a static string that completes the sentence
 * "'<value>' <why>", e.g. "is not a number", "is not a date". The import
 * code turns it into `FILE:LINE: column 'arr': 'abc' is not a number`.
 *
 * The parsers never allocate and never touch global state (strptime aside,
 * which only reads the C locale's month names), so they are safe to call
 * from any thread and cheap enough for the import hot path.
 */
#ifndef CASEY_VALUE_H
#define CASEY_VALUE_H

#include <stdbool.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian civil date. */
int32_t cs_days_from_civil(int y, int m, int d);
/* The inverse of cs_days_from_civil(). */
void cs_civil_from_days(int32_t days, int *y, int *m, int *d);

/* Years outside this range are rejected as "is out of range (1970-2099)". */
#define CS_YEAR_MIN 1970
#define CS_YEAR_MAX 2099

/*
 * A parsed timestamp: seconds since the epoch in UTC, and whether the field
 * carried a time of day (a bare date is midnight UTC with has_time false).
 */
struct cs_time {
	int64_t epoch;
	bool has_time;
};

/*
 * Parse a date or date-time.
 *
 * With fmt == NULL, accepted are:
 *   - ISO 8601: 2026-03-15, 2026-03-15T14:02, 2026-03-15T14:02:05,
 *     fractional seconds (.123), a trailing Z or ±HH:MM / ±HHMM offset
 *     (converted to UTC), and a space instead of the T;
 *   - 2026/03/15 (year first is never ambiguous);
 *   - day/month/year or month/day/year with '/', '.' or '-' separators and
 *     a 4-digit year, only when unambiguous: 15/03/2026 is 15 March,
 *     03/15/2026 is 15 March, 03/04/2026 fails with
 *     "is ambiguous (day/month or month/day?); give --date-format";
 *     an optional time "HH:MM[:SS]" (24 h) or "H:MM AM/PM" may follow;
 *   - month names in English: "15 Mar 2026", "Mar 15, 2026",
 *     "March 15 2026", "15-Mar-2026" (Excel), case-insensitive;
 *   - an Excel serial day number 20000..73050 (1954..2099) written as
 *     digits only, optionally with a fraction for the time of day.
 * Two-digit years are refused ("has a two-digit year; give --date-format").
 *
 * With fmt != NULL the field must match that strptime(3) format exactly
 * (trailing characters are an error); e.g. "%d/%m/%Y".
 *
 * Invalid calendar dates (2026-02-30) fail with "is not a valid date".
 * Years outside CS_YEAR_MIN..CS_YEAR_MAX fail with
 * "is out of range (1970-2099)". Anything else: "is not a date".
 */
int cs_parse_time(const char *s, const char *fmt, struct cs_time *out,
		  const char **why);

/*
 * Format as ISO 8601 into out (at least CS_TIME_ISO_MAX bytes):
 * "2026-03-15" when !has_time, else "2026-03-15 14:02:05" (UTC, the form
 * SQLite's date functions read).
 */
#define CS_TIME_ISO_MAX 20
void cs_format_time(const struct cs_time *t, char *out);
/* "2026-03-15" for a day number. out holds at least 11 bytes. */
void cs_format_day(int32_t days, char *out);
/* Parse exactly YYYY-MM-DD (used for --as-of and the like). */
int cs_parse_day(const char *s, int32_t *days);

/*
 * Parse a decimal amount. Accepted: "1234", "1234.5", "-12.5", "1,234.50"
 * (commas only as thousands separators in groups of three), a leading
 * currency sign ($, €, £, with or without a space), a trailing or leading
 * ISO code ("USD 1200", "1200 EUR"), a k/K (×1e3), m/M (×1e6) or
 * bn/B (×1e9) suffix ("$120k", "1.2M"), and accounting negatives "(1,234)".
 * Refused:
 *   "1,5" or "1.234,50"  -> "is ambiguous (decimal comma?); write 1.5 or 1500"
 *   "12abc", "", "--1"   -> "is not a number"
 *   "1e400", "nan", "inf"-> "is not a number"
 */
int cs_parse_decimal(const char *s, double *out, const char **why);

/*
 * Parse a whole number: "42", "1,234", "-3", "+7". "12.5" fails with
 * "is not a whole number", "12.0" is accepted as 12. Out of int64 range:
 * "is out of range". Other junk: "is not a number".
 */
int cs_parse_int(const char *s, int64_t *out, const char **why);

/*
 * Parse a yes/no value, case-insensitively: yes/no, y/n, true/false, t/f,
 * 1/0, on/off, x (yes). *out is 1 or 0. Else "is not yes or no".
 */
int cs_parse_bool(const char *s, int *out, const char **why);

#endif
