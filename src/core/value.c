/*
 * value.c — typed parsing of CSV field values. See value.h.
 *
 * These run once per cell when importing, so the common shapes are parsed
 * by hand in one pass: no allocation, no sscanf, no strtod, and nothing
 * that depends on the locale (the program calls setlocale(LC_ALL, "")).
 * Only an explicit --date-format goes through strptime(3).
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "casey/value.h"

static const char E_NOT_DATE[] = "is not a date";
static const char E_BAD_DATE[] = "is not a valid date";
static const char E_RANGE[] = "is out of range (1970-2099)";
static const char E_AMBIG_DATE[] =
	"is ambiguous (day/month or month/day?); give --date-format";
static const char E_TWO_DIGIT[] = "has a two-digit year; give --date-format";
static const char E_NAN[] = "is not a number";
static const char E_AMBIG_NUM[] =
	"is ambiguous (decimal comma?); write 1.5 or 1500";
static const char E_NOT_WHOLE[] = "is not a whole number";
static const char E_INT_RANGE[] = "is out of range";
static const char E_NOT_BOOL[] = "is not yes or no";

/* Excel counts days from 1899-12-30, so its serial 25569 is 1970-01-01. */
#define EXCEL_EPOCH 25569
#define EXCEL_MIN 20000
#define EXCEL_MAX 73050

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -1;
}

/* ASCII-only classification: <ctype.h> would follow the user's locale. */
static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alpha(char c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

static char to_lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

/* ---- calendar ---------------------------------------------------------- */

/*
 * Howard Hinnant's days_from_civil: shift the year to start in March so
 * the leap day is the last day of the year, then count 400-year eras.
 * 64-bit intermediates keep silly inputs from overflowing.
 */
int32_t cs_days_from_civil(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t)(era * 146097 + doe - 719468);
}

void cs_civil_from_days(int32_t days, int *y, int *m, int *d)
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int mm = (int)(mp < 10 ? mp + 3 : mp - 9);

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = mm;
	*y = (int)(yoe + era * 400 + (mm <= 2));
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const unsigned char dm[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* ---- formatting -------------------------------------------------------- */

static char *put2(char *o, int v)
{
	o[0] = (char)('0' + v / 10);
	o[1] = (char)('0' + v % 10);
	return o + 2;
}

/* Writes "YYYY-MM-DD" without the NUL; returns the end. */
static char *put_day(char *o, int32_t days)
{
	int y, m, d;

	cs_civil_from_days(days, &y, &m, &d);
	/* Keep the fixed width for day numbers no import can produce. */
	if (y < 0) {
		y = 0;
		m = d = 1;
	} else if (y > 9999) {
		y = 9999;
		m = 12;
		d = 31;
	}
	o = put2(o, y / 100);
	o = put2(o, y % 100);
	*o++ = '-';
	o = put2(o, m);
	*o++ = '-';
	return put2(o, d);
}

void cs_format_day(int32_t days, char *out)
{
	*put_day(out, days) = '\0';
}

void cs_format_time(const struct cs_time *t, char *out)
{
	/* Floor division: an epoch before 1970 still has a positive time. */
	int64_t q = t->epoch / 86400, r = t->epoch % 86400;
	char *o;

	if (r < 0) {
		r += 86400;
		q--;
	}
	if (q < INT32_MIN)
		q = INT32_MIN;
	else if (q > INT32_MAX)
		q = INT32_MAX;
	o = put_day(out, (int32_t)q);
	if (t->has_time) {
		*o++ = ' ';
		o = put2(o, (int)(r / 3600));
		*o++ = ':';
		o = put2(o, (int)(r / 60 % 60));
		*o++ = ':';
		o = put2(o, (int)(r % 60));
	}
	*o = '\0';
}

/* ---- dates ------------------------------------------------------------- */

/* What the date parsers found, checked for range and validity in finish(). */
struct stamp {
	int y, m, d;
	int hh, mi, ss;
	int ampm;		/* 0 none, 1 AM, 2 PM */
	int off_sign;		/* +1 east of UTC, -1 west */
	int off_h, off_m;
	bool has_time;
	int64_t extra;		/* seconds already known (Excel fractions) */
};

/*
 * Read a run of digits, at most max + 1 of them so a caller asking for
 * "at most 2" sees 3 and refuses. Returns how many were read.
 */
static int get_num(const char **pp, int max, int *val)
{
	const char *p = *pp;
	int v = 0, n = 0;

	while (n <= max && is_digit(*p)) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	*pp = p;
	*val = v;
	return n;
}

/* Exactly two digits, as in minutes, seconds and zone offsets. */
static bool get2(const char **pp, int *val)
{
	const char *p = *pp;

	if (!is_digit(p[0]) || !is_digit(p[1]))
		return false;
	*val = (p[0] - '0') * 10 + (p[1] - '0');
	*pp = p + 2;
	return true;
}

/* Case-insensitive prefix match of an ASCII word written in lower case. */
static bool has_word(const char *p, const char *word)
{
	for (; *word; p++, word++)
		if (to_lower(*p) != *word)
			return false;
	return true;
}

/*
 * "Z", "UTC", "GMT", "+05:30", "+0530" or "+05", optionally after one
 * space, and nothing after it.
 */
static bool parse_zone(const char *p, struct stamp *st)
{
	if (*p == ' ')
		p++;
	st->off_sign = 1;
	st->off_h = st->off_m = 0;
	if (p[0] == 'Z' && p[1] == '\0')
		return true;
	if (!strcmp(p, "UTC") || !strcmp(p, "GMT"))
		return true;
	if (*p != '+' && *p != '-')
		return false;
	st->off_sign = *p++ == '-' ? -1 : 1;
	if (!get2(&p, &st->off_h))
		return false;
	if (*p == ':') {
		p++;
		if (!get2(&p, &st->off_m))
			return false;
	} else if (*p && !get2(&p, &st->off_m)) {
		return false;
	}
	return *p == '\0';
}

/* "PM", " am" and the like after a time: 0 if none, 1 for AM, 2 for PM. */
static int get_ampm(const char **pp)
{
	const char *q = **pp == ' ' ? *pp + 1 : *pp;

	if (!has_word(q, "am") && !has_word(q, "pm"))
		return 0;
	*pp = q + 2;
	return to_lower(*q) == 'a' ? 1 : 2;
}

/*
 * "H:MM", "HH:MM:SS", "HH:MM:SS.fff", then an optional AM/PM and an
 * optional zone, to the end of the string. Values are checked later.
 */
static const char *parse_clock(const char *p, struct stamp *st)
{
	int n = get_num(&p, 2, &st->hh);

	if (n < 1 || n > 2 || *p++ != ':' || !get2(&p, &st->mi))
		return E_NOT_DATE;
	if (*p == ':') {
		p++;
		if (!get2(&p, &st->ss))
			return E_NOT_DATE;
		/* The epoch has whole seconds: drop the fraction. */
		if ((*p == '.' || *p == ',') && is_digit(p[1]))
			for (p++; is_digit(*p); p++)
				;
	}
	st->ampm = get_ampm(&p);
	st->has_time = true;
	if (*p && !parse_zone(p, st))
		return E_NOT_DATE;
	return NULL;
}

/* After a date: the end, or 'T' or a space (maybe after a comma) and a time. */
static const char *parse_rest(const char *p, struct stamp *st)
{
	if (*p == '\0')
		return NULL;
	if (*p == 'T') {
		p++;
	} else {
		if (*p == ',')
			p++;
		if (*p++ != ' ')
			return E_NOT_DATE;
	}
	return parse_clock(p, st);
}

/* An English month name or abbreviation ("Mar", "March", "Sept"); 0 if none. */
static int get_month(const char **pp)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"
	};
	const char *p = *pp;
	size_t n = 0, i, k;

	while (n < 10 && is_alpha(p[n]))
		n++;
	for (i = 0; i < 12; i++) {
		const char *w = names[i];
		size_t len = strlen(w);

		if (n != 3 && n != len && !(i == 8 && n == 4))
			continue;
		for (k = 0; k < n && to_lower(p[k]) == w[k]; k++)
			;
		if (k == n) {
			*pp = p + n;
			return (int)i + 1;
		}
	}
	return 0;
}

/* Between the parts of "15 Mar 2026", "Mar 15, 2026" or "15-Mar-2026". */
static bool skip_sep(const char **pp)
{
	const char *p = *pp;

	if (*p == ',' || *p == '.')
		p++;
	if (*p == ' ' || *p == '-' || *p == '/')
		p++;
	if (p == *pp)
		return false;
	*pp = p;
	return true;
}

/* A year in a day-first or month-first date: four digits, refuse two. */
static const char *get_year(const char **pp, int *y)
{
	int n = get_num(pp, 4, y);

	if (n == 2)
		return E_TWO_DIGIT;
	return n == 4 ? NULL : E_NOT_DATE;
}

/* "15 Mar 2026", "15-Mar-2026": p is past the day number. */
static const char *parse_day_month(const char *p, struct stamp *st)
{
	const char *err;

	if (!skip_sep(&p) || !(st->m = get_month(&p)) || !skip_sep(&p))
		return E_NOT_DATE;
	if ((err = get_year(&p, &st->y)))
		return err;
	return parse_rest(p, st);
}

/* "Mar 15, 2026", "March 15 2026". */
static const char *parse_month_day(const char *p, struct stamp *st)
{
	const char *err;
	int n;

	if (!(st->m = get_month(&p)) || !skip_sep(&p))
		return E_NOT_DATE;
	n = get_num(&p, 2, &st->d);
	if (n < 1 || n > 2 || !skip_sep(&p))
		return E_NOT_DATE;
	if ((err = get_year(&p, &st->y)))
		return err;
	return parse_rest(p, st);
}

/* An Excel serial day number with an optional fraction of a day. */
static const char *parse_excel(const char *p, struct stamp *st)
{
	int32_t serial = 0;
	uint64_t num = 0, den = 1;
	int i;

	for (i = 0; i < 5; i++)
		serial = serial * 10 + (*p++ - '0');
	if (serial < EXCEL_MIN || serial > EXCEL_MAX)
		return E_NOT_DATE;
	if (*p == '.') {
		if (!is_digit(*++p))
			return E_NOT_DATE;
		/* 13 digits are well below a second, and num * 86400 fits. */
		for (; is_digit(*p); p++) {
			if (den < 10000000000000ULL) {
				num = num * 10 + (uint64_t)(*p - '0');
				den *= 10;
			}
		}
		if (*p)
			return E_NOT_DATE;
		/* Round: Excel stores 14:02:05 as 0.58478009259259... */
		st->extra = (int64_t)((num * 86400 + den / 2) / den);
		st->has_time = true;
	}
	cs_civil_from_days(serial - EXCEL_EPOCH, &st->y, &st->m, &st->d);
	return NULL;
}

/*
 * Everything that starts with a digit: ISO and other year-first dates,
 * day/month/year or month/day/year, "15 Mar 2026" and Excel serials.
 */
static const char *parse_numeric(const char *s, struct stamp *st)
{
	const char *p = s, *err;
	int a, b, n, ny;
	char sep;

	n = get_num(&p, 5, &a);
	sep = *p;
	if (n == 4 && (sep == '-' || sep == '/' || sep == '.')) {
		/* Year first is never ambiguous. */
		st->y = a;
		p++;
		n = get_num(&p, 2, &st->m);
		if (n < 1 || n > 2 || *p++ != sep)
			return E_NOT_DATE;
		n = get_num(&p, 2, &st->d);
		if (n < 1 || n > 2)
			return E_NOT_DATE;
		return parse_rest(p, st);
	}
	if (n == 5 && (sep == '\0' || sep == '.'))
		return parse_excel(s, st);
	if (n < 1 || n > 2)
		return E_NOT_DATE;
	if ((sep == ' ' || sep == '-' || sep == '/' || sep == '.') &&
	    is_alpha(p[1])) {
		st->d = a;
		return parse_day_month(p, st);
	}
	if (sep != '-' && sep != '/' && sep != '.')
		return E_NOT_DATE;
	p++;
	n = get_num(&p, 2, &b);
	if (n < 1 || n > 2 || *p++ != sep)
		return E_NOT_DATE;
	if ((err = get_year(&p, &st->y)))
		return err;
	if ((err = parse_rest(p, st)))
		return err;
	ny = st->y;
	if (ny < CS_YEAR_MIN || ny > CS_YEAR_MAX)
		return E_RANGE;
	/*
	 * Only a part above 12 tells the day; 03/04 could be either, but
	 * 03/03 is the same date both ways, and 00/04 is no date either way.
	 */
	if (a == 0 || b == 0)
		return E_BAD_DATE;
	if (a > 12 || a == b) {
		st->d = a;
		st->m = b;
	} else if (b > 12) {
		st->m = a;
		st->d = b;
	} else {
		return E_AMBIG_DATE;
	}
	return NULL;
}

/* Range and calendar checks, then seconds since the epoch. */
static int finish(struct stamp *st, struct cs_time *out, const char **why)
{
	int64_t secs;

	if (st->y < CS_YEAR_MIN || st->y > CS_YEAR_MAX)
		return fail(why, E_RANGE);
	if (st->m < 1 || st->m > 12 || st->d < 1 ||
	    st->d > days_in_month(st->y, st->m))
		return fail(why, E_BAD_DATE);
	if (st->ampm) {
		if (st->hh < 1 || st->hh > 12)
			return fail(why, E_BAD_DATE);
		st->hh = st->hh % 12 + (st->ampm == 2 ? 12 : 0);
	}
	if (st->hh > 23 || st->mi > 59 || st->ss > 59 || st->off_h > 23 ||
	    st->off_m > 59)
		return fail(why, E_BAD_DATE);
	secs = (int64_t)st->hh * 3600 + st->mi * 60 + st->ss + st->extra -
	       (int64_t)st->off_sign * (st->off_h * 3600 + st->off_m * 60);
	out->epoch = (int64_t)cs_days_from_civil(st->y, st->m, st->d) * 86400 +
		     secs;
	out->has_time = st->has_time;
	return 0;
}

/* Whether a strptime format reads a time of day. */
static bool format_has_time(const char *f)
{
	for (; *f; f++) {
		if (*f != '%')
			continue;
		f++;
		while (*f == 'E' || *f == 'O' || *f == '-' || *f == '_' ||
		       *f == '0' || *f == '^' || *f == '#' || is_digit(*f))
			f++;
		if (*f == '\0')
			break;
		if (strchr("HIklMSTRrcs", *f))
			return true;
	}
	return false;
}

/*
 * With --date-format. glibc's strptime reads %z but keeps the offset in
 * tm_gmtoff, which _POSIX_C_SOURCE hides, so a trailing %z is cut off the
 * format and read here instead.
 */
static int parse_with_format(const char *s, const char *fmt,
			     struct cs_time *out, const char **why)
{
	struct stamp st = { .off_sign = 1 };
	struct tm tm;
	char buf[64];
	const char *f = fmt, *e;
	size_t n = strlen(fmt), pct = 0;
	bool zone = false;

	while (pct + 2 <= n && fmt[n - 2 - pct] == '%')
		pct++;
	if (n >= 2 && fmt[n - 1] == 'z' && pct % 2 == 1 && n - 2 < sizeof(buf)) {
		memcpy(buf, fmt, n - 2);
		buf[n - 2] = '\0';
		f = buf;
		zone = true;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_mday = 1;		/* so "%Y-%m" means the first of the month */
	e = strptime(s, f, &tm);
	if (!e)
		return fail(why, E_NOT_DATE);
	if (zone ? !parse_zone(e, &st) : *e != '\0')
		return fail(why, E_NOT_DATE);
	if (tm.tm_year > 9999 || tm.tm_year < -9999)
		return fail(why, E_RANGE);
	st.y = tm.tm_year + 1900;
	st.m = tm.tm_mon + 1;
	st.d = tm.tm_mday;
	st.hh = tm.tm_hour;
	st.mi = tm.tm_min;
	st.ss = tm.tm_sec;
	st.has_time = format_has_time(fmt);
	return finish(&st, out, why);
}

int cs_parse_time(const char *s, const char *fmt, struct cs_time *out,
		  const char **why)
{
	struct stamp st = { .off_sign = 1 };
	const char *err;

	if (fmt)
		return parse_with_format(s, fmt, out, why);
	if (is_digit(*s))
		err = parse_numeric(s, &st);
	else if (is_alpha(*s))
		err = parse_month_day(s, &st);
	else
		err = E_NOT_DATE;
	if (err)
		return fail(why, err);
	return finish(&st, out, why);
}

int cs_parse_day(const char *s, int32_t *days)
{
	int y, m, d, i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !is_digit(s[i]))
			return -1;
	if (s[10] != '\0')
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < CS_YEAR_MIN || y > CS_YEAR_MAX || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	*days = cs_days_from_civil(y, m, d);
	return 0;
}

/* ---- numbers ----------------------------------------------------------- */

/* The digits of a number as written; commas are still in the integer part. */
struct numtext {
	const char *ip, *ie;	/* integer part */
	const char *fp, *fe;	/* fraction digits */
	int exp;		/* written exponent, clamped */
};

/*
 * Scan "1234", "1,234,567.89", ".5", "5." and, with allow_exp, "1.5e-3".
 * Commas must group thousands: a first group of 1-3 digits not starting
 * with 0 ("0,5" is a decimal comma), then groups of exactly three.
 * Returns the end of what was read, or NULL when no number is there.
 */
static const char *scan_number(const char *p, const char *end, bool allow_exp,
			       struct numtext *nt)
{
	const char *q = p;

	while (q < end && is_digit(*q))
		q++;
	if (q < end && *q == ',' && q - p >= 1 && q - p <= 3 && *p != '0') {
		while (q < end && *q == ',') {
			if (end - q < 4 || !is_digit(q[1]) || !is_digit(q[2]) ||
			    !is_digit(q[3]) || (end - q > 4 && is_digit(q[4])))
				return q;
			q += 4;
		}
	}
	nt->ip = p;
	nt->ie = q;
	nt->fp = nt->fe = q;
	if (q < end && *q == '.') {
		nt->fp = ++q;
		while (q < end && is_digit(*q))
			q++;
		nt->fe = q;
	}
	if (nt->ie == nt->ip && nt->fe == nt->fp)
		return NULL;
	nt->exp = 0;
	if (allow_exp && q < end && (*q == 'e' || *q == 'E')) {
		const char *x = q + 1;
		int sign = 1, v = 0;

		if (x < end && (*x == '+' || *x == '-'))
			sign = *x++ == '-' ? -1 : 1;
		if (x == end || !is_digit(*x))
			return q;
		for (; x < end && is_digit(*x); x++)
			if (v < 100000)
				v = v * 10 + (*x - '0');
		nt->exp = sign * v;
		q = x;
	}
	return q;
}

/*
 * Whether a number that did not scan reads as written with a decimal
 * comma: "1,5", "1234,56" (one comma, no dot), "1.234,50" or "1.234.567"
 * (dots grouping thousands).
 */
static bool decimal_comma(const char *p, const char *end)
{
	const char *q = p;
	int groups = 0;

	while (q < end && is_digit(*q))
		q++;
	if (q == p || q == end)
		return false;
	if (*q == ',') {
		const char *r = ++q;

		while (q < end && is_digit(*q))
			q++;
		return q > r && q == end;
	}
	if (*q != '.' || q - p > 3)
		return false;
	while (end - q >= 4 && *q == '.' && is_digit(q[1]) && is_digit(q[2]) &&
	       is_digit(q[3]) && (end - q == 4 || !is_digit(q[4]))) {
		q += 4;
		groups++;
	}
	if (q == end)
		return groups >= 2;
	if (*q != ',' || groups < 1)
		return false;
	for (q++; q < end && is_digit(*q); q++)
		;
	return q == end;
}

/*
 * Decimal digits to a double without strtod (whose decimal point follows
 * LC_NUMERIC). Up to 19 significant digits go into an integer; when that
 * integer and the power of ten are both exact doubles, one division or
 * multiplication rounds correctly (Clinger's fast path), which covers
 * every real amount. The rest goes through long double: off by an ulp at
 * worst. *zero tells a true zero from an underflow.
 */
static double to_double(const struct numtext *nt, int scale, bool *zero)
{
	static const double p10[] = {
		1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
		1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21,
		1e22
	};
	uint64_t mant = 0;
	int e = scale + nt->exp;
	const char *q;
	long double v, p, b;
	unsigned k;

	for (q = nt->ip; q < nt->ie; q++) {
		if (*q == ',')
			continue;
		if (mant < 1000000000000000000ULL)
			mant = mant * 10 + (uint64_t)(*q - '0');
		else if (e < 1000000)
			e++;
	}
	for (q = nt->fp; q < nt->fe; q++) {
		if (mant < 1000000000000000000ULL) {
			mant = mant * 10 + (uint64_t)(*q - '0');
			e--;
		}
	}
	*zero = mant == 0;
	if (mant == 0)
		return 0.0;
	if (mant <= (1ULL << 53) && e >= -22 && e <= 22)
		return e < 0 ? (double)mant / p10[-e] : (double)mant * p10[e];
	/* mant < 1e19: beyond these the result is surely inf or 0. */
	if (e > 330)
		return HUGE_VAL;
	if (e < -360)
		return 0.0;
	v = (long double)mant;
	p = 1.0L;
	b = 10.0L;
	for (k = (unsigned)(e < 0 ? -e : e); k; k >>= 1) {
		if (k & 1)
			p *= b;
		b *= b;
	}
	return (double)(e < 0 ? v / p : v * p);
}

/* A currency symbol ($, £, €) at p, as UTF-8; its length or 0. */
static size_t currency_at(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);

	if (n >= 1 && *p == '$')
		return 1;
	if (n >= 2 && !memcmp(p, "\xc2\xa3", 2))
		return 2;
	if (n >= 3 && !memcmp(p, "\xe2\x82\xac", 3))
		return 3;
	return 0;
}

/* The same, ending at end. */
static size_t currency_before(const char *p, const char *end)
{
	if (end - p >= 1 && end[-1] == '$')
		return 1;
	if (end - p >= 2 && !memcmp(end - 2, "\xc2\xa3", 2))
		return 2;
	if (end - p >= 3 && !memcmp(end - 3, "\xe2\x82\xac", 3))
		return 3;
	return 0;
}

/* A space or a no-break space (spreadsheets put those after symbols). */
static size_t space_at(const char *p, const char *end)
{
	if (end - p >= 1 && *p == ' ')
		return 1;
	if (end - p >= 2 && !memcmp(p, "\xc2\xa0", 2))
		return 2;
	return 0;
}

static size_t space_before(const char *p, const char *end)
{
	if (end - p >= 1 && end[-1] == ' ')
		return 1;
	if (end - p >= 2 && !memcmp(end - 2, "\xc2\xa0", 2))
		return 2;
	return 0;
}

/* Three capitals, as in an ISO 4217 code ("USD", "EUR"). */
static bool is_code(const char *p)
{
	return is_upper(p[0]) && is_upper(p[1]) && is_upper(p[2]);
}

int cs_parse_decimal(const char *s, double *out, const char **why)
{
	const char *p = s, *end = s + strlen(s), *q;
	bool neg = false, paren = false, sign = false, zero;
	struct numtext nt;
	int scale = 0;
	size_t n;
	double v;

	/* Accounting negative: "(1,234)". No sign inside. */
	if (end - p >= 3 && *p == '(' && end[-1] == ')') {
		neg = paren = true;
		p++;
		end--;
	}
	if (!paren && p < end && (*p == '-' || *p == '+')) {
		neg = *p++ == '-';
		sign = true;
	}
	/* One currency marker, in front ("$5", "USD 5") or behind ("5 EUR"). */
	n = currency_at(p, end);
	if (!n && end - p > 3 && is_code(p) && !is_alpha(p[3]))
		n = 3;
	if (n) {
		p += n;
		p += space_at(p, end);
		if (!paren && !sign && p < end && (*p == '-' || *p == '+'))
			neg = *p++ == '-';
	} else if (end - p > 3 && is_code(end - 3) && !is_upper(end[-4])) {
		end -= 3;
		end -= space_before(p, end);
	} else if ((n = currency_before(p, end))) {
		end -= n;
		end -= space_before(p, end);
	}
	/* Multipliers: "$120k", "1.2M", "3bn", "3B". */
	if (end - p >= 3 && to_lower(end[-2]) == 'b' && to_lower(end[-1]) == 'n') {
		scale = 9;
		end -= 2;
	} else if (end - p >= 2) {
		switch (end[-1]) {
		case 'k': case 'K':
			scale = 3;
			break;
		case 'm': case 'M':
			scale = 6;
			break;
		case 'B':
			scale = 9;
			break;
		}
		if (scale)
			end--;
	}
	q = scan_number(p, end, true, &nt);
	if (q != end || !q)
		return fail(why, decimal_comma(p, end) ? E_AMBIG_NUM : E_NAN);
	v = to_double(&nt, scale, &zero);
	/* Too large is inf, too small underflowed: neither is an amount. */
	if (!(v <= DBL_MAX) || (v == 0.0 && !zero))
		return fail(why, E_NAN);
	/* Never hand out -0, which would print as "-0". */
	*out = neg && !zero ? -v : v;
	return 0;
}

int cs_parse_int(const char *s, int64_t *out, const char **why)
{
	const char *p = s, *end = s + strlen(s), *q;
	struct numtext nt;
	uint64_t v = 0, limit;
	bool neg = false;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	q = scan_number(p, end, false, &nt);
	if (!q || q != end || nt.ie == nt.ip)
		return fail(why, E_NAN);
	for (q = nt.fp; q < nt.fe; q++)
		if (*q != '0')
			return fail(why, E_NOT_WHOLE);
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (q = nt.ip; q < nt.ie; q++) {
		unsigned d;

		if (*q == ',')
			continue;
		d = (unsigned)(*q - '0');
		if (v > (limit - d) / 10)
			return fail(why, E_INT_RANGE);
		v = v * 10 + d;
	}
	/* -(INT64_MIN) does not exist: negate in unsigned arithmetic. */
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int cs_parse_bool(const char *s, int *out, const char **why)
{
	static const struct {
		const char *word;
		int val;
	} words[] = {
		{ "yes", 1 }, { "no", 0 }, { "y", 1 }, { "n", 0 },
		{ "true", 1 }, { "false", 0 }, { "t", 1 }, { "f", 0 },
		{ "1", 1 }, { "0", 0 }, { "on", 1 }, { "off", 0 }, { "x", 1 },
	};
	size_t i, k;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *w = words[i].word;

		for (k = 0; w[k] && to_lower(s[k]) == w[k]; k++)
			;
		if (!w[k] && !s[k]) {
			*out = words[i].val;
			return 0;
		}
	}
	return fail(why, E_NOT_BOOL);
}
