/*
 * casey-gen — deterministic CSV exports of a fictional B2B SaaS company,
 * for casey's sample data, tests and benchmarks.
 *
 * Every value comes from --seed through our own PRNG (splitmix64 seeding
 * xoshiro256**) and integer arithmetic only: no rand(), no time(), no
 * floating point, so the same arguments give byte-identical files on every
 * machine and compiler. Never call the PRNG twice in one expression: the
 * order of evaluation of operands and arguments is unspecified in C.
 *
 * Each customer has its own random stream per file, so its usage history
 * or outreach can be recomputed wherever another file needs it (seats and
 * last contact in customers.csv, first use in feature_usage.csv). Rows are
 * streamed through large buffers; only a small record per customer stays
 * in memory, which keeps a million customers and two million tickets fast.
 *
 * The data is shaped so that every rule of PRODUCT.md §3 fires on the
 * default sample set: latent archetypes drive usage, sentiment and ticket
 * volume, and a few planted ticket clusters guarantee the theme thresholds.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NWEEKS		13	/* weekly usage snapshots ending on the as-of date */
#define TICKET_DAYS	180	/* tickets span this many days up to the as-of date */
#define PAID_TOTAL	8	/* paid features in features.csv */
#define OUT_BUFSZ	(1u << 20)
#define TEXT_MAX	4096	/* longest generated subject or description */
#define NO_DAY		INT32_MIN

/* ------------------------------------------------------------------ */
/* Random numbers                                                       */

struct rng {
	uint64_t s[4];
};

/* Independent streams: one per purpose, indexed by customer where useful. */
enum stream {
	S_BUILD = 1, S_CUSTOMER, S_NAME, S_USAGE, S_OUTREACH, S_NPS, S_CSAT,
	S_FEATURES, S_ONBOARDING, S_TICKETS,
	/* Added later: new streams go last so the older files stay identical. */
	S_PAYMENTS, S_PLANS, S_REVIEWS,
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_init(struct rng *r, uint64_t seed, enum stream stream, uint64_t index)
{
	uint64_t x = seed + (uint64_t)stream * 0xD1B54A32D192ED03ull;
	int k;

	x = splitmix64(&x) ^ index;
	for (k = 0; k < 4; k++)
		r->s[k] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift; the bias is negligible). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static int rng_range(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static int rng_pct(struct rng *r, int percent)
{
	return (int)rng_below(r, 100) < percent;
}

static int rng_permille(struct rng *r, int permille)
{
	return (int)rng_below(r, 1000) < permille;
}

/* An index into w[0..n) drawn with the given integer weights. */
static int rng_weighted(struct rng *r, const int *w, int n)
{
	int total = 0, i, x;

	for (i = 0; i < n; i++)
		total += w[i];
	if (total <= 0)
		return 0;
	x = (int)rng_below(r, (uint32_t)total);
	for (i = 0; i < n - 1; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define PICK(r, a) ((a)[rng_below((r), (uint32_t)NELEM(a))])

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static int maxi(int a, int b)
{
	return a > b ? a : b;
}

static int mini(int a, int b)
{
	return a < b ? a : b;
}

static int isqrt(int v)
{
	int x = 0;

	while ((x + 1) * (x + 1) <= v)
		x++;
	return x;
}

/* ------------------------------------------------------------------ */
/* Dates as day numbers since 1970-01-01 (proleptic Gregorian)          */

static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/* 0 = Sunday. 1970-01-01 was a Thursday. */
static int weekday(int32_t day)
{
	return (int)(((day % 7) + 11) % 7);
}

/* The first anniversary of `created` strictly after `asof` (29 Feb → 28 Feb). */
static int32_t anniversary_after(int32_t created, int32_t asof)
{
	int cy, cm, cd, ay, am, ad, y;
	int32_t t;

	civil_from_days(created, &cy, &cm, &cd);
	civil_from_days(asof, &ay, &am, &ad);
	for (y = ay; ; y++) {
		t = days_from_civil(y, cm, mini(cd, days_in_month(y, cm)));
		if (t > asof)
			return t;
	}
}

static int parse_date(const char *s, int32_t *out)
{
	int y, m, d;
	char tail;

	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return -1;
	if (s[4] != '-' || s[7] != '-' || y < 2000 || y > 2090 || m < 1 || m > 12 ||
	    d < 1 || d > days_in_month(y, m))
		return -1;
	*out = days_from_civil(y, m, d);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Buffered CSV output (RFC 4180, LF line ends)                         */

struct out {
	FILE *f;
	char path[4096];
	unsigned long long rows;	/* data rows, header excluded */
	size_t len;
	int failed;
	char *buf;
};

static void out_flush(struct out *o)
{
	if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = 1;
	o->len = 0;
}

static void out_bytes(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_BUFSZ) {
		out_flush(o);
		if (n > OUT_BUFSZ) {
			if (fwrite(s, 1, n, o->f) != n)
				o->failed = 1;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_char(struct out *o, char c)
{
	if (o->len == OUT_BUFSZ)
		out_flush(o);
	o->buf[o->len++] = c;
}

static void out_raw(struct out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

/* A field, quoted only when it holds a comma, a quote or a line break. */
static void out_field(struct out *o, const char *s)
{
	const char *p;

	if (!s)
		return;
	if (!strpbrk(s, ",\"\n\r")) {
		out_raw(o, s);
		return;
	}
	out_char(o, '"');
	for (p = s; *p; p++) {
		if (*p == '"')
			out_char(o, '"');
		out_char(o, *p);
	}
	out_char(o, '"');
}

static void out_uint(struct out *o, unsigned long long v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out_char(o, tmp[--n]);
}

/* An id like C00042: prefix and zero-padded number (wider when needed). */
static void out_id(struct out *o, char prefix, unsigned long long v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	out_char(o, prefix);
	while (n)
		out_char(o, tmp[--n]);
}

static void out_2(struct out *o, int v)
{
	out_char(o, (char)('0' + v / 10));
	out_char(o, (char)('0' + v % 10));
}

static void out_date(struct out *o, int32_t day)
{
	int y, m, d;

	if (day == NO_DAY)
		return;
	civil_from_days(day, &y, &m, &d);
	out_uint(o, (unsigned)y);
	out_char(o, '-');
	out_2(o, m);
	out_char(o, '-');
	out_2(o, d);
}

/* ISO date-time in UTC, minute precision: 2026-11-18T09:14:00Z. */
static void out_datetime(struct out *o, int32_t day, int minute)
{
	out_date(o, day);
	out_char(o, 'T');
	out_2(o, minute / 60);
	out_char(o, ':');
	out_2(o, minute % 60);
	out_raw(o, ":00Z");
}

/* Plain decimal dollars: 48000 or 125000.50. */
static void out_money(struct out *o, int32_t cents)
{
	if (cents < 0)
		return;
	out_uint(o, (unsigned)(cents / 100));
	if (cents % 100) {
		out_char(o, '.');
		out_2(o, cents % 100);
	}
}

static void out_tenths(struct out *o, int v)
{
	out_uint(o, (unsigned)(v / 10));
	out_char(o, '.');
	out_char(o, (char)('0' + v % 10));
}

static void out_sep(struct out *o)
{
	out_char(o, ',');
}

static void out_eol(struct out *o)
{
	out_char(o, '\n');
	o->rows++;
}

static int out_open(struct out *o, const char *dir, const char *name, const char *header)
{
	memset(o, 0, sizeof(*o));
	if ((size_t)snprintf(o->path, sizeof(o->path), "%s/%s", dir, name) >= sizeof(o->path)) {
		fprintf(stderr, "casey-gen: %s/%s: path too long\n", dir, name);
		return -1;
	}
	o->buf = malloc(OUT_BUFSZ);
	o->f = o->buf ? fopen(o->path, "w") : NULL;
	if (!o->f) {
		fprintf(stderr, "casey-gen: %s: %s\n", o->path, strerror(errno));
		free(o->buf);
		o->buf = NULL;
		return -1;
	}
	out_raw(o, header);
	out_char(o, '\n');
	return 0;
}

/* Closes a file that will not be completed, quietly. */
static void out_discard(struct out *o)
{
	fclose(o->f);
	free(o->buf);
	o->buf = NULL;
}

/* Flushes and closes; prints the one line per file that callers rely on. */
static int out_close(struct out *o)
{
	int err;

	out_flush(o);
	err = o->failed || ferror(o->f);
	if (fclose(o->f) != 0)
		err = 1;
	free(o->buf);
	o->buf = NULL;
	if (err) {
		fprintf(stderr, "casey-gen: %s: write failed: %s\n", o->path, strerror(errno));
		return -1;
	}
	printf("%s: %llu rows\n", o->path, o->rows);
	return 0;
}

/* A small string builder for subjects and descriptions. */
struct text {
	size_t len;
	char s[TEXT_MAX];
};

static void text_add(struct text *t, const char *s)
{
	size_t n = strlen(s);

	if (t->len + n >= TEXT_MAX)
		n = TEXT_MAX - 1 - t->len;
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static void text_num(struct text *t, int v)
{
	char tmp[16];

	snprintf(tmp, sizeof(tmp), "%d", v);
	text_add(t, tmp);
}

/* ------------------------------------------------------------------ */
/* The company: reference tables                                       */

enum segment { SEG_ENTERPRISE, SEG_MIDMARKET, SEG_SMALL, SEG_TRIAL, SEG_N };
enum plan { PLAN_STARTER, PLAN_GROWTH, PLAN_BUSINESS, PLAN_ENTERPRISE, PLAN_N };
enum status { ST_ACTIVE, ST_CANCEL, ST_DOWNGRADE, ST_CHURNED, ST_N };

/* ARR bands follow the segment definitions casey uses. */
static const struct segment_def {
	const char *name;
	int share;		/* percent of customers */
	int32_t arr_lo, arr_hi;	/* whole dollars, inclusive */
	int plan_mix[PLAN_N];	/* percent */
	int ticket_mult;	/* relative ticket volume ×10: bigger teams file more */
} SEGMENTS[SEG_N] = {
	{ "Enterprise",     10, 100000, 650000, {  0,  0, 20, 80 }, 25 },
	{ "Mid-Market",     28,  25000,  99998, {  0, 40, 55,  5 }, 15 },
	{ "Small Business", 47,   5000,  24998, { 50, 50,  0,  0 }, 10 },
	{ "Trial",          15,    600,   4800, { 60, 40,  0,  0 },  6 },
};

static const struct plan_def {
	const char *name;
	int seat_price;		/* dollars per seat per year */
} PLANS[PLAN_N] = {
	{ "Starter", 240 }, { "Growth", 480 }, { "Business", 720 }, { "Enterprise", 1080 },
};

static const char *const STATUS[ST_N] = {
	"active", "cancel_requested", "downgrade_requested", "churned",
};

static const char *const CSMS[] = {
	"Maya Chen", "Jonas Becker", "Priya Nair", "Diego Ramos", "Aisha Bello", "Tom Gallagher",
};

/* Company names: prefix × core × suffix, walked by a bijection so that the
 * first 20,000 customers never share a name. */
static const char *const NAME_PREFIX[] = {
	"Acme", "Northwind", "Blue Harbor", "Granite", "Cobalt", "Summit", "Pioneer",
	"Redwood", "Silverline", "Brightpath", "Evergreen", "Ironclad", "Lakeside",
	"Meridian", "Nimbus", "Orchard", "Pinnacle", "Quarry", "Riverbend", "Saltwater",
	"Tidewater", "Upland", "Vantage", "Westbrook", "Zephyr", "Aurora", "Beacon",
	"Cedar", "Driftwood", "Ember", "Falcon", "Harborlight", "Indigo", "Juniper",
	"Keystone", "Lumen", "Maple", "Nova", "Oakridge", "Polaris", "Quantum",
	"Riverside", "Sterling", "Trailhead", "Union", "Vertex", "Willow", "Copperleaf",
	"Foxglove", "Highland",
};
static const char *const NAME_CORE[] = {
	"Logistics", "Analytics", "Health", "Foods", "Robotics", "Media", "Labs",
	"Energy", "Freight", "Dental", "Insurance", "Software", "Apparel", "Biotech",
	"Capital", "Consulting", "Design", "Education", "Engineering", "Fitness",
	"Furniture", "Hospitality", "Legal", "Manufacturing", "Marketing", "Mobility",
	"Outdoor", "Pharma", "Printing", "Properties", "Retail", "Security", "Staffing",
	"Supply", "Telecom", "Travel", "Ventures", "Water", "Wellness", "Textiles",
};
static const char *const NAME_SUFFIX[] = {
	"Inc.", "LLC", "Ltd", "Group", "Co.", "Corp.", "Partners", "Holdings", "", "Systems",
};

/* Names that exercise UTF-8 and CSV quoting, spread over the id range. */
static const char *const SPECIAL_NAMES[] = {
	"Müller Logistik GmbH", "Société Lumière", "Łódź Freight", "Sakura 株式会社",
	"Smith, Jones & Partners", "Øresund Data ApS", "The \"Daily Grind\" Coffee Co.",
	"Zürich Präzision AG", "São Paulo Têxteis Ltda", "Baker, Fox and Sons, LLC",
	"Café Olé S.L.", "O'Neill & Daughters", "Αθηνά Analytics", "Kraków Żagle",
};

/* The paid ones are the PAID_TOTAL counted by usage.csv; the last two are new
 * (released 35–50 days before the as-of date) and adopted by few. */
static const struct feature_def {
	const char *id, *name;
	int age;		/* days between release and the as-of date */
	int paid;
	int pop;		/* adoption weight among paid; per mille for free */
} FEATURES[] = {
	{ "F01", "Dashboards",           712, 0, 930 },
	{ "F02", "Scheduled Reports",    668, 1,  90 },
	{ "F03", "CSV Export",           640, 1,  85 },
	{ "F04", "Salesforce Sync",      581, 1,  60 },
	{ "F05", "Custom Roles",         522, 1,  55 },
	{ "F06", "Audit Log",            455, 1,  35 },
	{ "F07", "Public API",           410, 0, 300 },
	{ "F08", "Workflow Automations", 362, 1,  50 },
	{ "F09", "Forecasting",          298, 1,  40 },
	{ "F10", "Slack Alerts",         214, 1,  45 },
	{ "F11", "AI Insights",           45, 0,  70 },
	{ "F12", "Bulk Import Wizard",    38, 0,  85 },
};
#define NFEATURES NELEM(FEATURES)

/* ------------------------------------------------------------------ */
/* Archetypes: the latent story behind each customer                    */

enum reach {
	R_RESPONSIVE, R_SOMETIMES, R_RARELY, R_SILENT, R_SINGLE, R_NONE, R_STALE, R_N,
};

enum arch {
	A_HEALTHY, A_EXPANDING, A_MIDDLING, A_POOR, A_DECL_STEEP, A_DECL_LATE,
	A_DECL_SLOW, A_IMPROVING, A_CONTRACTING, A_N,
};

/*
 * Engagement is a latent level 0..1000 that moves linearly from lvl0 (until
 * week turn0) to lvl1 (from week turn1), week 12 being the as-of snapshot.
 * The usage columns, ticket volume and mood, NPS and CSAT all follow it.
 * Shares are tuned so that PRODUCT.md §2 gives about 55% Green, 30% Yellow
 * and 15% Red at the as-of date.
 */
static const struct arch_def {
	const char *name;
	int share;			/* per mille of customers */
	int lvl0_lo, lvl0_hi, lvl1_lo, lvl1_hi;
	int turn0_lo, turn0_hi, turn1_lo, turn1_hi;
	int moves;			/* paid features follow the level */
	int seat_up_early, seat_up_late, seat_down_late, pf_down_late;	/* per mille */
	int reach[R_N];			/* outreach profile mix, percent */
} ARCH[A_N] = {
	/* name             ‰    lvl0      lvl1     turns        mv  seats/pf changes      resp some rare sil sing none stale */
	{ "healthy",       275, 780, 960, 780, 960,  0, 0, 12, 12, 0, 100,  200,   0,   0, { 70, 10,  1,  0,  2, 12,  5 } },
	{ "expanding",     355, 760, 950, 760, 950,  0, 0, 12, 12, 0, 600, 1000,   0,   0, { 65, 12,  3,  0,  2, 13,  5 } },
	{ "middling",       90, 430, 650, 430, 650,  0, 0, 12, 12, 0, 100,    0,   0,   0, { 25, 20,  8,  5,  7, 10, 25 } },
	{ "poor",          115,  50, 300,  50, 300,  0, 0, 12, 12, 0,   0,    0,   0,   0, {  5, 15, 20, 25, 15, 10, 10 } },
	{ "declining-steep", 35, 800, 950, 100, 300,  8, 8, 11, 12, 1,   0,    0, 400,   0, { 15, 20, 20, 20, 10,  5, 10 } },
	{ "declining-late",  25, 800, 940, 430, 540,  7, 8, 12, 12, 1,   0,    0, 300,   0, { 20, 20, 15, 15, 10,  5, 15 } },
	{ "declining-slow",  15, 760, 900, 300, 520,  2, 4, 12, 12, 1,   0,    0, 300,   0, { 15, 20, 20, 20, 10,  5, 10 } },
	{ "improving",      45, 200, 380, 620, 860,  1, 4,  8, 11, 1,   0,  300,   0,   0, { 35, 25, 10,  5,  5, 10, 10 } },
	{ "contracting",    45, 520, 760, 500, 740,  0, 0, 12, 12, 0,   0,    0, 600, 600, { 20, 25, 15, 10, 10,  5, 15 } },
};

/* Mood at a point in time, from the latent level. */
enum state { ST_GOOD, ST_MID, ST_BAD, ST_NEW, NSTATE };

static enum state state_of_level(int level)
{
	return level >= 650 ? ST_GOOD : level >= 380 ? ST_MID : ST_BAD;
}

/* Onboarding milestones, in order; a stalled customer never reaches its
 * `stall` milestone, the others reach all of them in time. */
enum milestone { M_KICKOFF, M_ADMIN_SETUP, M_DATA_IMPORT, M_FIRST_VALUE, M_TEAM_ROLLOUT, M_N };

static const char *const MILESTONES[M_N] = {
	"kickoff", "admin_setup", "data_import", "first_value", "team_rollout",
};

#define F_EXEC		0x01	/* executive escalation */
#define F_COHORT	0x02	/* created in the last 60 days, onboarding */

/* What later files need to know about a customer; everything else
 * (name, usage noise, surveys) is recomputed from its own streams. */
struct customer {
	int32_t created, end;		/* end: churn date, else the as-of date */
	int32_t arr_cents;		/* -1: the CRM has no ARR */
	int32_t seats0;			/* seats at the start of the usage window */
	int16_t lvl0, lvl1;
	int8_t turn0, turn1;
	uint8_t arch, seg, plan, status, csm, reach, flags, stall;
};

struct world {
	uint64_t seed;
	uint32_t ncust;
	uint64_t ntickets;
	int32_t asof;
	const char *dir;
	struct customer *cust;
};

/* Snapshot w (0..12) is taken 7 × (12 − w) days before the as-of date. */
static int32_t snap_day(const struct world *w, int wk)
{
	return w->asof - 7 * (NWEEKS - 1 - wk);
}

/* The latent level at a day, in tenths of a week so tickets interpolate. */
static int level_at(const struct world *w, const struct customer *c, int32_t day)
{
	int wt = 120 - (int)(w->asof - day) * 10 / 7;
	int a = c->turn0 * 10, b = c->turn1 * 10;

	if (wt <= a)
		return c->lvl0;
	if (wt >= b)
		return c->lvl1;
	return c->lvl0 + (c->lvl1 - c->lvl0) * (wt - a) / (b - a);
}

static enum state state_at(const struct world *w, const struct customer *c, int32_t day)
{
	return state_of_level(level_at(w, c, day));
}

/* ------------------------------------------------------------------ */
/* Building the customer base                                          */

static int32_t arr_for(struct rng *r, const struct segment_def *sd)
{
	int32_t span = sd->arr_hi - sd->arr_lo, dollars;
	int u1 = rng_range(r, 0, 1000);
	int u2 = rng_range(r, 0, 1000);

	/* Skewed towards the low end of the band, as real ARR is. */
	dollars = sd->arr_lo + (int32_t)((int64_t)span * u1 / 1000 * u2 / 1000);
	if (rng_pct(r, 15))
		return dollars * 100 + rng_range(r, 1, 99);
	return (dollars / 100) * 10000;	/* round hundreds */
}

static void customer_init(const struct world *w, uint32_t idx, struct customer *c)
{
	static const int seg_share[SEG_N] = { 10, 28, 47, 15 };
	const struct arch_def *a = &ARCH[c->arch];
	struct rng r;
	int32_t start = w->asof - 1782, last = w->asof - 61, span, arr;
	int u1, u2;

	rng_init(&r, w->seed, S_CUSTOMER, idx);
	c->seg = (uint8_t)rng_weighted(&r, seg_share, SEG_N);
	c->plan = (uint8_t)rng_weighted(&r, SEGMENTS[c->seg].plan_mix, PLAN_N);
	arr = arr_for(&r, &SEGMENTS[c->seg]);
	c->seats0 = arr / 100 / PLANS[c->plan].seat_price;
	if (c->seats0 < 1)
		c->seats0 = rng_range(&r, 1, 10);
	c->arr_cents = rng_pct(&r, 2) ? -1 : arr;
	c->csm = (uint8_t)rng_below(&r, (uint32_t)NELEM(CSMS));

	/* A growing company: more customers signed recently (max of two
	 * uniforms). Customers with a story to tell get a full usage window. */
	span = last - start;
	do {
		u1 = rng_range(&r, 0, 10000);
		u2 = rng_range(&r, 0, 10000);
		c->created = start + (int32_t)((int64_t)span * maxi(u1, u2) / 10000);
	} while (a->moves && c->created > w->asof - 100);
	c->end = w->asof;

	c->lvl0 = (int16_t)rng_range(&r, a->lvl0_lo, a->lvl0_hi);
	if (a->moves)
		c->lvl1 = (int16_t)rng_range(&r, a->lvl1_lo, a->lvl1_hi);
	else
		c->lvl1 = (int16_t)clampi(c->lvl0 + rng_range(&r, -40, 40), 0, 1000);
	c->turn0 = (int8_t)rng_range(&r, a->turn0_lo, a->turn0_hi);
	c->turn1 = (int8_t)rng_range(&r, a->turn1_lo, a->turn1_hi);
	c->reach = (uint8_t)rng_weighted(&r, a->reach, R_N);
	c->status = ST_ACTIVE;
	c->stall = M_N;			/* onboarding never stalls */
}

#define MASK(a) (1u << (a))
#define M_ANY 0xFFFFu

/* A random customer of one of the archetypes in `mask`, still active and
 * not special; UINT32_MAX when there is none. */
static uint32_t pick_customer(struct world *w, struct rng *r, unsigned mask, int want_seg)
{
	uint32_t i, tries, n = w->ncust;
	struct customer *c;

	for (tries = 0; tries < 64 + 8 * n; tries++) {
		i = rng_below(r, n);
		c = &w->cust[i];
		if (!(mask & MASK(c->arch)) || c->status != ST_ACTIVE || c->flags)
			continue;
		if (want_seg >= 0 && c->seg != want_seg && tries < 4 * n)
			continue;
		return i;
	}
	for (i = 0; i < n; i++) {
		c = &w->cust[i];
		if ((mask & MASK(c->arch)) && c->status == ST_ACTIVE && !c->flags)
			return i;
	}
	return UINT32_MAX;
}

/* Special cases scale with the base: 4 cancellations, 6 downgrades, 4 churned,
 * 3 executive escalations and 25 onboarding customers per 300. */
static uint32_t per300(uint32_t n, uint32_t k)
{
	uint32_t v = (uint32_t)(((uint64_t)n * k + 150) / 300);

	return v ? v : (n >= 30 ? 1 : 0);
}

static void make_churned(struct world *w, struct customer *c, struct rng *r)
{
	c->status = ST_CHURNED;
	c->end = w->asof - rng_range(r, 10, 150);
	if (c->created > c->end - 200)
		c->created = c->end - rng_range(r, 200, 600);
	/* Usage fades out in the month before they leave. */
	c->turn1 = (int8_t)(12 - (w->asof - c->end) / 7);
	c->turn0 = (int8_t)(c->turn1 - 4);
	c->lvl1 = (int16_t)rng_range(r, 30, 150);
}

static void make_cohort(struct world *w, struct customer *c, struct rng *r, int min_age,
			enum milestone stall)
{
	c->flags |= F_COHORT;
	c->created = w->asof - rng_range(r, min_age, 59);
	c->stall = (uint8_t)stall;
	if (stall < M_N) {
		/* Stuck before first value: they barely use the product. */
		c->lvl0 = (int16_t)rng_range(r, 150, 380);
		c->lvl1 = c->lvl0;
	}
}

static int build_customers(struct world *w)
{
	const unsigned m_poor = MASK(A_POOR);
	const unsigned m_decl = MASK(A_DECL_STEEP) | MASK(A_DECL_LATE) | MASK(A_DECL_SLOW);
	const unsigned m_shrink = MASK(A_CONTRACTING) | MASK(A_MIDDLING);
	const unsigned m_trouble = m_poor | m_decl | MASK(A_CONTRACTING);
	struct rng r;
	uint32_t i, j, n = w->ncust, k, quota[A_N], cohort;
	uint32_t todo;
	int a;

	w->cust = calloc(n, sizeof(*w->cust));
	if (!w->cust) {
		fprintf(stderr, "casey-gen: out of memory for %u customers\n", n);
		return -1;
	}
	rng_init(&r, w->seed, S_BUILD, 0);

	/* Exact archetype quotas, shuffled, so small sets keep the intended mix. */
	k = 0;
	for (a = 0; a < A_N; a++) {
		quota[a] = (uint32_t)((uint64_t)n * (uint32_t)ARCH[a].share / 1000);
		k += quota[a];
	}
	quota[A_HEALTHY] += n - k;
	for (a = 0, i = 0; a < A_N; a++)
		for (k = 0; k < quota[a]; k++)
			w->cust[i++].arch = (uint8_t)a;
	for (i = n; i > 1; i--) {
		uint8_t t;

		j = rng_below(&r, i);
		t = w->cust[i - 1].arch;
		w->cust[i - 1].arch = w->cust[j].arch;
		w->cust[j].arch = t;
	}
	for (i = 0; i < n; i++)
		customer_init(w, i, &w->cust[i]);

	for (todo = per300(n, 4); todo; todo--)
		if ((i = pick_customer(w, &r, m_poor, -1)) != UINT32_MAX)
			make_churned(w, &w->cust[i], &r);
	for (todo = per300(n, 4); todo; todo--)
		if ((i = pick_customer(w, &r, m_poor | m_decl, -1)) != UINT32_MAX)
			w->cust[i].status = ST_CANCEL;
	for (todo = per300(n, 6); todo; todo--)
		if ((i = pick_customer(w, &r, m_shrink | m_poor, -1)) != UINT32_MAX)
			w->cust[i].status = ST_DOWNGRADE;
	/* Executives escalate for large accounts in trouble. */
	for (todo = per300(n, 3); todo; todo--)
		if ((i = pick_customer(w, &r, m_trouble, SEG_ENTERPRISE)) != UINT32_MAX)
			w->cust[i].flags |= F_EXEC;

	/* The onboarding cohort: a few stuck at admin_setup or data_import,
	 * old enough for the stall to show, the rest progressing. */
	cohort = per300(n, 25);
	for (k = 0; k < cohort; k++) {
		enum milestone stall = k < cohort / 12 + 1 ? M_ADMIN_SETUP
				     : k < cohort / 4 + 1 ? M_DATA_IMPORT : M_N;
		unsigned mask = stall < M_N ? m_poor | MASK(A_MIDDLING)
				: MASK(A_HEALTHY) | MASK(A_EXPANDING) | MASK(A_MIDDLING) | m_poor;

		if ((i = pick_customer(w, &r, mask, -1)) != UINT32_MAX)
			make_cohort(w, &w->cust[i], &r, stall < M_N ? 20 : 0, stall);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Usage: 13 weekly snapshots per customer                              */

struct snap {
	int32_t day;
	int level, seats, users, days, pf, core, session, errors;
};

static int pf_for_level(int level)
{
	static const int step[] = { 60, 150, 250, 350, 450, 560, 700, 850 };
	int pf = 0;

	while (pf < NELEM(step) && level >= step[pf])
		pf++;
	return pf;
}

/* The customer's snapshots on or after its creation and not after churn,
 * oldest first; returns how many. Deterministic per customer. */
static int usage_track(const struct world *w, uint32_t idx, struct snap out[NWEEKS])
{
	const struct customer *c = &w->cust[idx];
	const struct arch_def *a = &ARCH[c->arch];
	int seat_delta[NWEEKS] = { 0 }, pf_delta[NWEEKS] = { 0 };
	/* Paid features follow the level for the moving archetypes, churners
	 * and ramping newcomers; stalled onboarding customers adopt nothing. */
	int cohort = c->flags & F_COHORT;
	int moves = a->moves || c->status == ST_CHURNED || (cohort && c->stall == M_N);
	int jitter, power, step, wk, n = 0, seats, pf, pf_prev = -1, kind;
	struct rng r;

	rng_init(&r, w->seed, S_USAGE, idx);
	jitter = rng_pct(&r, 30) ? -1 : rng_pct(&r, 20) ? 1 : 0;
	power = rng_range(&r, 70, 140);		/* how action-heavy this team is */
	step = maxi(1, c->seats0 * rng_range(&r, 4, 15) / 100);
	/* Early growth lands in weeks 4..7, inside the window that the score
	 * of 30 days ago compares, so steady expanders trend stable. */
	if (rng_permille(&r, a->seat_up_early))
		seat_delta[rng_range(&r, 4, 7)] += step;
	if (rng_permille(&r, a->seat_up_late))
		seat_delta[rng_range(&r, 8, 12)] += step;
	/* Contraction (seats, paid features or both) lands after week 7 so the
	 * growth comparison with 30 days earlier sees it. */
	kind = rng_permille(&r, a->seat_down_late);
	kind |= rng_permille(&r, a->pf_down_late) << 1;
	if (c->arch == A_CONTRACTING && !kind)
		kind = 1;
	if (kind & 1) {
		wk = rng_range(&r, 8, 12);
		seat_delta[wk] -= maxi(1, c->seats0 * rng_range(&r, 8, 30) / 100);
	}
	if (kind & 2) {
		wk = rng_range(&r, 8, 12);
		pf_delta[wk] -= rng_range(&r, 1, 2);
	}

	seats = c->seats0;
	pf = clampi(pf_for_level(c->lvl0) + jitter, 1, PAID_TOTAL);
	for (wk = 0; wk < NWEEKS; wk++) {
		struct snap *s = &out[n];
		int32_t day = snap_day(w, wk);
		int base = level_at(w, c, day), level, age, ramp = 1000, act;

		level = clampi(base + rng_range(&r, -30, 30), 0, 1000);
		if (cohort) {
			/* New customers ramp up over their first five weeks. */
			age = (int)(day - c->created);
			ramp = clampi(age * 1000 / 35, 0, 1000);
			level = level * ramp / 1000;
			base = base * ramp / 1000;
		}
		seats = maxi(1, seats + seat_delta[wk]);
		if (moves) {
			pf = clampi(pf_for_level(base) + jitter, 0, PAID_TOTAL);
			/* Decliners only lose features, others only gain them. */
			if (pf_prev >= 0 && c->lvl1 < c->lvl0 && !cohort)
				pf = mini(pf, pf_prev);
			else if (pf_prev >= 0)
				pf = maxi(pf, pf_prev);
		}
		pf = clampi(pf + pf_delta[wk], 0, PAID_TOTAL);
		pf_prev = pf;

		s->day = day;
		s->level = level;
		s->seats = seats;
		s->pf = pf;
		act = level < 50 ? 0 : clampi((level * 30 + rng_range(&r, -1500, 1500)) / 1000, 0, 30);
		if (cohort)
			act = mini(act, maxi(0, (int)(day - c->created) + 1));
		s->days = act;
		s->users = act ? clampi(seats * (150 + level * 8 / 10) / 1000, 1, seats) : 0;
		/* Intensity grows faster than the level: engaged teams do much more,
		 * so depth ranks follow health more than company size. */
		s->core = act ? act * (10 + level * level / 6000) * (3 + 4 * isqrt(s->users)) * power / 1000
			      : 0;
		s->session = act ? maxi(10, 30 + level * 26 / 100 + rng_range(&r, -20, 20)) : 0;
		s->errors = s->users * (1100 - level) / 3000 + rng_range(&r, 0, 4);
		if (day >= c->created && day <= c->end)
			n++;
	}
	return n;
}

static int write_usage(const struct world *w)
{
	struct out o;
	struct snap s[NWEEKS];
	uint32_t i;
	int k, n;

	if (out_open(&o, w->dir, "usage.csv",
		     "customer_id,date,active_days_30d,active_users,seats,paid_features_used,"
		     "paid_features_total,core_actions_30d,session_minutes_avg,errors_30d") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		n = usage_track(w, i, s);
		for (k = 0; k < n; k++) {
			out_id(&o, 'C', i + 1, 5);
			out_sep(&o);
			out_date(&o, s[k].day);
			out_sep(&o);
			out_uint(&o, (unsigned)s[k].days);
			out_sep(&o);
			out_uint(&o, (unsigned)s[k].users);
			out_sep(&o);
			out_uint(&o, (unsigned)s[k].seats);
			out_sep(&o);
			out_uint(&o, (unsigned)s[k].pf);
			out_sep(&o);
			out_uint(&o, PAID_TOTAL);
			out_sep(&o);
			out_uint(&o, (unsigned)s[k].core);
			out_sep(&o);
			out_tenths(&o, s[k].session);
			out_sep(&o);
			out_uint(&o, (unsigned)s[k].errors);
			out_eol(&o);
		}
	}
	return out_close(&o);
}

/* ------------------------------------------------------------------ */
/* Outreach, and the last contact it implies                            */

enum channel { CH_EMAIL, CH_CALL, CH_MEETING, CH_INAPP, CH_N };

static const char *const CHANNELS[CH_N] = { "email", "call", "meeting", "in-app" };

static const char *const OUTREACH_NOTE[CH_N][2][3] = {
	[CH_EMAIL] = {
		{ "Check-in email, no reply", "Sent usage summary, no reply", "Renewal reminder unanswered" },
		{ "Replied to check-in email", "Answered renewal questions by email", "Confirmed QBR date by email" },
	},
	[CH_CALL] = {
		{ "Left voicemail", "No answer, left voicemail", "Call scheduled, admin did not join" },
		{ "Call about usage dip", "Renewal call, pricing concerns", "Walked through scheduled reports" },
	},
	[CH_MEETING] = {
		{ "Meeting no-show", "Meeting declined", "QBR postponed by customer" },
		{ "Quarterly business review", "Roadmap session with sponsor", "Training session for admins" },
	},
	[CH_INAPP] = {
		{ "In-app message not opened", "In-app nudge ignored", "In-app survey dismissed" },
		{ "Replied to in-app survey", "Booked training via in-app message", "Clicked through to webinar" },
	},
};

struct contact {
	int32_t day;
	uint8_t channel, responded, note;
};

#define MAX_CONTACTS 12

static void add_contact(struct contact *cs, int *n, struct rng *r, int32_t day, int responded)
{
	static const int mix[CH_N] = { 50, 25, 10, 15 };
	struct contact *k;

	if (*n >= MAX_CONTACTS)
		return;
	k = &cs[(*n)++];
	k->day = day;
	k->channel = (uint8_t)rng_weighted(r, mix, CH_N);
	k->responded = (uint8_t)responded;
	k->note = (uint8_t)rng_below(r, 3);
}

/* The customer's outreach over the last 180 days, oldest first, shaped by
 * its reach profile so every outreach-response bucket of §2 is populated.
 * Returns the count; *last gets the latest answered contact or NO_DAY. */
static int outreach_plan(const struct world *w, uint32_t idx, struct contact cs[MAX_CONTACTS],
			 int32_t *last)
{
	const struct customer *c = &w->cust[idx];
	struct rng r;
	int n = 0, k, m, attempts, yes, i, j;
	int32_t lo, hi, d;

	rng_init(&r, w->seed, S_OUTREACH, idx);
	/* Older history, mostly answered: gives a last contact > 30 days ago. */
	m = rng_pct(&r, 10) ? 0 : rng_range(&r, 1, 2);
	for (k = 0; k < m; k++) {
		d = w->asof - rng_range(&r, 91, 180);
		add_contact(cs, &n, &r, d, rng_pct(&r, 85));
	}
	if (c->flags & F_COHORT) {
		d = c->created + rng_range(&r, 0, 3);
		add_contact(cs, &n, &r, d, 1);	/* kickoff */
	}

	lo = 1;
	hi = 88;
	switch (c->reach) {
	case R_RESPONSIVE:
		attempts = rng_range(&r, 2, 4);
		yes = attempts == 4 ? 3 + rng_pct(&r, 50) : attempts;
		break;
	case R_SOMETIMES:
		attempts = rng_range(&r, 2, 4);
		yes = attempts == 3 ? 2 : attempts / 2;
		break;
	case R_RARELY:
		attempts = rng_range(&r, 3, 4);
		yes = 1;
		break;
	case R_SILENT:
		attempts = rng_range(&r, 2, 3);
		yes = 0;
		break;
	case R_SINGLE:
		attempts = 1;
		yes = 0;
		break;
	case R_STALE:
		/* Nothing in the last 30 days: the check-in rule's Yellow cases. */
		attempts = rng_range(&r, 1, 2);
		yes = attempts;
		lo = 32;
		break;
	default:
		attempts = 0;
		yes = 0;
		break;
	}
	for (k = 0; k < attempts; k++) {
		/* CSMs touch most accounts monthly: the first attempt is recent. */
		d = w->asof - rng_range(&r, lo, k == 0 && lo == 1 ? 28 : hi);
		add_contact(cs, &n, &r, d, k < yes);
	}

	/* Drop what falls outside the customer's life; sort by date. */
	for (i = j = 0; i < n; i++)
		if (cs[i].day >= c->created && cs[i].day <= c->end)
			cs[j++] = cs[i];
	n = j;
	for (i = 1; i < n; i++) {
		struct contact t = cs[i];

		for (j = i; j > 0 && cs[j - 1].day > t.day; j--)
			cs[j] = cs[j - 1];
		cs[j] = t;
	}
	*last = NO_DAY;
	for (i = 0; i < n; i++)
		if (cs[i].responded)
			*last = cs[i].day;
	return n;
}

static int write_outreach(const struct world *w)
{
	struct out o;
	struct contact cs[MAX_CONTACTS];
	int32_t last;
	uint32_t i;
	int k, n;

	if (out_open(&o, w->dir, "outreach.csv", "customer_id,date,channel,responded,note") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		n = outreach_plan(w, i, cs, &last);
		for (k = 0; k < n; k++) {
			out_id(&o, 'C', i + 1, 5);
			out_sep(&o);
			out_date(&o, cs[k].day);
			out_sep(&o);
			out_raw(&o, CHANNELS[cs[k].channel]);
			out_sep(&o);
			out_raw(&o, cs[k].responded ? "yes" : "no");
			out_sep(&o);
			out_field(&o, OUTREACH_NOTE[cs[k].channel][cs[k].responded][cs[k].note]);
			out_eol(&o);
		}
	}
	return out_close(&o);
}

/* ------------------------------------------------------------------ */
/* customers.csv and features.csv                                      */

static void company_name(const struct world *w, uint32_t idx, struct text *t)
{
	const uint32_t np = NELEM(NAME_PREFIX), nc = NELEM(NAME_CORE), ns = NELEM(NAME_SUFFIX);
	const uint32_t nk = NELEM(SPECIAL_NAMES);
	uint32_t m = np * nc * ns, k, slot;
	struct rng r;

	t->len = 0;
	t->s[0] = '\0';
	/* Special names sit in the middle of equal slices of the id range. */
	slot = w->ncust >= nk ? (uint32_t)((uint64_t)idx * nk / w->ncust) : idx;
	if (slot < nk && (w->ncust < nk ||
			  idx == (uint32_t)(((uint64_t)(2 * slot + 1) * w->ncust) / (2 * nk)))) {
		text_add(t, SPECIAL_NAMES[slot]);
		return;
	}
	rng_init(&r, w->seed, S_NAME, 0);
	/* 7919 is prime and coprime with m: a bijection on [0, m). */
	k = (uint32_t)((rng_below(&r, m) + (uint64_t)idx * 7919) % m);
	text_add(t, NAME_PREFIX[k % np]);
	text_add(t, " ");
	text_add(t, NAME_CORE[(k / np) % nc]);
	if (*NAME_SUFFIX[k / np / nc]) {
		text_add(t, " ");
		text_add(t, NAME_SUFFIX[k / np / nc]);
	}
}

static int write_customers(const struct world *w)
{
	struct out o;
	struct text name;
	struct snap s[NWEEKS];
	struct contact cs[MAX_CONTACTS];
	int32_t last;
	uint32_t i;
	int n;

	if (out_open(&o, w->dir, "customers.csv",
		     "customer_id,name,segment,plan,arr,seats,csm,created_at,renewal_date,"
		     "status,last_contact_at,executive_escalation") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];

		company_name(w, i, &name);
		n = usage_track(w, i, s);
		outreach_plan(w, i, cs, &last);
		out_id(&o, 'C', i + 1, 5);
		out_sep(&o);
		out_field(&o, name.s);
		out_sep(&o);
		out_raw(&o, SEGMENTS[c->seg].name);
		out_sep(&o);
		out_raw(&o, PLANS[c->plan].name);
		out_sep(&o);
		out_money(&o, c->arr_cents);
		out_sep(&o);
		out_uint(&o, (unsigned)(n ? s[n - 1].seats : c->seats0));
		out_sep(&o);
		out_raw(&o, CSMS[c->csm]);
		out_sep(&o);
		out_date(&o, c->created);
		out_sep(&o);
		/* A churned customer has no renewal ahead. */
		out_date(&o, c->status == ST_CHURNED ? NO_DAY : anniversary_after(c->created, w->asof));
		out_sep(&o);
		out_raw(&o, STATUS[c->status]);
		out_sep(&o);
		out_date(&o, last);
		out_sep(&o);
		out_raw(&o, c->flags & F_EXEC ? "yes" : "no");
		out_eol(&o);
	}
	return out_close(&o);
}

static int write_features(const struct world *w)
{
	struct out o;
	int f;

	if (out_open(&o, w->dir, "features.csv", "feature_id,name,released_at,paid") < 0)
		return -1;
	for (f = 0; f < NFEATURES; f++) {
		out_raw(&o, FEATURES[f].id);
		out_sep(&o);
		out_field(&o, FEATURES[f].name);
		out_sep(&o);
		out_date(&o, w->asof - FEATURES[f].age);
		out_sep(&o);
		out_raw(&o, FEATURES[f].paid ? "yes" : "no");
		out_eol(&o);
	}
	return out_close(&o);
}

/* ------------------------------------------------------------------ */
/* feature_usage.csv: consistent with the paid-feature counts in usage   */

static int32_t day_between(struct rng *r, int32_t lo, int32_t hi)
{
	return hi <= lo ? lo : lo + (int32_t)rng_below(r, (uint32_t)(hi - lo + 1));
}

static void out_feature_use(struct out *o, uint32_t idx, int f, int32_t first, int32_t until,
			    int level, struct rng *r)
{
	int per_week = 1 + level / 60 + rng_range(r, 0, 6);
	int uses = maxi(1, (int)(until - first + 1) * per_week / 7);

	out_id(o, 'C', idx + 1, 5);
	out_sep(o);
	out_raw(o, FEATURES[f].id);
	out_sep(o);
	out_date(o, first);
	out_sep(o);
	out_uint(o, (unsigned)uses);
	out_eol(o);
}

static int write_feature_usage(const struct world *w)
{
	struct out o;
	struct snap s[NWEEKS];
	struct rng r;
	uint32_t i;
	int n, f, k, used, order[NFEATURES], weights[NFEATURES];

	if (out_open(&o, w->dir, "feature_usage.csv", "customer_id,feature_id,first_used_at,uses") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];
		int level;

		n = usage_track(w, i, s);
		if (!n)
			continue;
		rng_init(&r, w->seed, S_FEATURES, i);
		level = s[n - 1].level;
		/* Which paid features, most popular first (weighted, no repeats). */
		for (f = 0; f < NFEATURES; f++)
			weights[f] = FEATURES[f].paid ? FEATURES[f].pop : 0;
		for (k = 0; k < PAID_TOTAL; k++) {
			order[k] = rng_weighted(&r, weights, NFEATURES);
			weights[order[k]] = 0;
		}
		used = 0;
		for (k = 0; k < n; k++)
			used = maxi(used, s[k].pf);

		for (f = 0; f < NFEATURES; f++) {
			int32_t release = w->asof - FEATURES[f].age, lo = maxi(release, c->created);
			int32_t first = NO_DAY;

			if (FEATURES[f].paid) {
				/* The j-th feature was first used before the first
				 * snapshot that counts j paid features. */
				int j, wk;

				for (j = 0; j < used && order[j] != f; j++)
					;
				if (j == used)
					continue;
				for (wk = 0; wk < n && s[wk].pf <= j; wk++)
					;
				if (wk == n)
					wk = n - 1;
				if (wk)
					lo = maxi(lo, s[wk - 1].day + 1);
				first = day_between(&r, lo, s[wk].day);
			} else {
				int chance = FEATURES[f].pop;

				if (FEATURES[f].age < 90)	/* new: the keen ones only */
					chance = level >= 500 ? chance * 2 : chance / 3;
				else if (c->seg == SEG_ENTERPRISE)
					chance = mini(900, chance * 2);
				if (lo > c->end || !rng_permille(&r, chance))
					continue;
				first = day_between(&r, lo, mini(c->end, lo + 30));
			}
			if (first < lo || first > c->end)
				continue;
			out_feature_use(&o, i, f, first, c->end, level, &r);
		}
	}
	return out_close(&o);
}

/* ------------------------------------------------------------------ */
/* onboarding.csv                                                      */

static int write_onboarding(const struct world *w)
{
	/* Days from the previous milestone, for a team that keeps going. */
	static const int gap_lo[M_N] = { 0, 1, 2, 2, 3 }, gap_hi[M_N] = { 3, 6, 10, 10, 14 };
	struct out o;
	struct rng r;
	uint32_t i;
	int k;

	if (out_open(&o, w->dir, "onboarding.csv", "customer_id,milestone,reached_at") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];
		int32_t day = c->created;
		int slow;

		if (!(c->flags & F_COHORT))
			continue;
		rng_init(&r, w->seed, S_ONBOARDING, i);
		slow = c->arch == A_MIDDLING ? 2 : 1;
		for (k = 0; k < c->stall; k++) {
			day += rng_range(&r, gap_lo[k], gap_hi[k]) * slow;
			if (day > w->asof)
				break;
			out_id(&o, 'C', i + 1, 5);
			out_sep(&o);
			out_raw(&o, MILESTONES[k]);
			out_sep(&o);
			out_date(&o, day);
			out_eol(&o);
		}
	}
	return out_close(&o);
}

/* ------------------------------------------------------------------ */
/* payments.csv and plan_changes.csv: billing, for the churn-risk score */

#define BILL_DAYS	30	/* an invoice every 30 days from creation */
#define BILL_WINDOW	90	/* invoices of the last 90 days */

/*
 * Invoices every BILL_DAYS days after creation, those of the last
 * BILL_WINDOW days up to churn or the as-of date. Customers in trouble
 * have more failed charges; the newest invoice may still be pending.
 * Customers without a known ARR have no amount.
 */
static int write_payments(const struct world *w)
{
	static const int fail_pct[NSTATE] = { [ST_GOOD] = 1, [ST_MID] = 6, [ST_BAD] = 15 };
	struct out o;
	struct rng r;
	uint64_t seq = 0;
	uint32_t i;

	if (out_open(&o, w->dir, "payments.csv", "payment_id,customer_id,date,amount,status") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];
		int32_t last = mini(c->end, w->asof), d;
		int k, fail;
		const char *st;

		rng_init(&r, w->seed, S_PAYMENTS, i);
		k = (int)((last - c->created) / BILL_DAYS);
		for (d = c->created + BILL_DAYS * (k - 2); d <= last; d += BILL_DAYS) {
			if (d <= c->created || d <= w->asof - BILL_WINDOW)
				continue;
			fail = fail_pct[state_at(w, c, d)];
			if (c->status == ST_CANCEL || c->status == ST_CHURNED)
				fail += 10;
			if (w->asof - d < 3 && rng_pct(&r, 40))
				st = "pending";
			else if (rng_pct(&r, fail))
				st = "failed";
			else if (rng_permille(&r, 8))
				st = "refunded";
			else
				st = "paid";
			out_id(&o, 'P', ++seq, 6);
			out_sep(&o);
			out_id(&o, 'C', i + 1, 5);
			out_sep(&o);
			out_date(&o, d);
			out_sep(&o);
			if (c->arr_cents >= 0)
				out_money(&o, c->arr_cents / 12);
			out_sep(&o);
			out_raw(&o, st);
			out_eol(&o);
		}
	}
	return out_close(&o);
}

/*
 * Business reviews (seed 003) as a CRM keeps them: for the tiers with a
 * cadence (Enterprise and Mid-Market monthly, Small Business quarterly, as
 * in assets/tiers.ini; Trial none), the reviews of the last REVIEW_WINDOW
 * days, each about one cadence after the one before. Most customers are on
 * their cadence: the last review within one cadence of the as-of date (or
 * none yet, when they signed up less than a cadence before it). A few
 * lapsed: about 5% are overdue by 1 to 30 days, 2% by two months to a
 * year (that last review is exported even when it is older than the
 * window). Churned customers were reviewed until they left. Enterprise
 * and Mid-Market hold a QBR every third review (Enterprise an EBR once a
 * year instead), Small Business QBRs only; the rest are monthly check-ins,
 * with fewer notes. Ratings follow the customer's state.
 */
#define REVIEW_WINDOW	365
#define REVIEW_MAX	32	/* reviews of one customer in the window, and then some */

static const char *const REVIEW_CONTACTS[] = {
	"Ana Silva (VP Operations)", "Ben Okafor (COO)", "Carla Jensen (Head of Support)",
	"David Kim (IT Director)", "Elena Petrova (CFO)", "Farid Haddad (Product Lead)",
	"Grace Liu (Operations Manager)", "Hugo Martin (CEO)", "Ines Duarte (Team Lead)",
	"Jamal Wright (Procurement)",
};
static const char *const REVIEW_WINS[] = {
	"Rollout finished in every team", "SSO live", "Usage up since the last review",
	"Support tickets down", "Reporting adopted by the managers", "API integration live",
	"Onboarded the new hires", "Time saved on weekly reporting",
};
static const char *const REVIEW_ISSUES[] = {
	"Export is slow on large accounts", "Low adoption in one team", "Budget under review",
	"Open tickets on the integration", "Champion left the company", "Training backlog",
	"Renewal pricing questions",
};
static const char *const REVIEW_DECISIONS[] = {
	"Keep the current plan", "Pilot the automation add-on", "Expand to a second team",
	"Move to the annual plan", "Run a training session", "Escalate the open bug",
};
static const char *const REVIEW_ACTIONS[] = {
	"Send the usage report", "Book admin training", "Share the roadmap",
	"Follow up on the open tickets", "Prepare the renewal proposal",
	"Introduce the new champion",
};

static int write_reviews(const struct world *w)
{
	static const int cadence[SEG_N] = { 30, 30, 90, 0 };
	/* ratings 1..5 by state */
	static const int rating_mix[NSTATE][5] = {
		[ST_GOOD] = { 0, 1, 10, 45, 44 }, [ST_MID] = { 2, 12, 46, 32, 8 },
		[ST_BAD] = { 14, 36, 36, 12, 2 }, [ST_NEW] = { 0, 4, 30, 46, 20 },
	};
	struct out o;
	struct rng r;
	uint64_t seq = 0;
	uint32_t i;

	if (out_open(&o, w->dir, "reviews.csv",
		     "review_id,customer_id,date,type,attendees,achievements,challenges,"
		     "decisions,action_items,rating") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];
		int32_t day[REVIEW_MAX], last, end = mini(c->end, w->asof), d;
		int cad = cadence[c->seg], n = 0, k, lapse;

		if (!cad)
			continue;
		rng_init(&r, w->seed, S_REVIEWS, i);
		lapse = (int)rng_below(&r, 1000);
		if (c->status != ST_CHURNED && lapse < 20)
			last = end - cad - rng_range(&r, 60, 365);	/* lapsed a lot */
		else if (c->status != ST_CHURNED && lapse < 70)
			last = end - cad - rng_range(&r, 1, 30);	/* lapsed a little */
		else
			last = end - rng_range(&r, 0, cad - 1);		/* on cadence */
		/* The history, newest first: about one cadence apart. */
		for (d = last; d > c->created && n < REVIEW_MAX; n++) {
			if (n && d <= w->asof - REVIEW_WINDOW)
				break;
			day[n] = d;
			d -= cad + (cad > 30 ? rng_range(&r, -10, 6) : rng_range(&r, -4, 3));
		}
		for (k = n - 1; k >= 0; k--) {
			enum state st = c->created > w->asof - 60 ? ST_NEW : state_at(w, c, day[k]);
			int big, rating;
			const char *type;

			/* counted from the newest: every third a QBR, one in twelve an EBR */
			if (c->seg == SEG_ENTERPRISE && k % 12 == 6)
				type = "Executive Business Review";
			else if (c->seg == SEG_SMALL || k % 3 == 0)
				type = "QBR";
			else
				type = "Monthly check-in";
			big = type[0] != 'M';
			out_id(&o, 'R', ++seq, 6);
			out_sep(&o);
			out_id(&o, 'C', i + 1, 5);
			out_sep(&o);
			out_date(&o, day[k]);
			out_sep(&o);
			out_raw(&o, type);
			out_sep(&o);
			/* the customer's contact(s), then the CSM */
			{
				struct text t;

				t.len = 0;
				t.s[0] = '\0';
				text_add(&t, PICK(&r, REVIEW_CONTACTS));
				if (big && rng_pct(&r, 60)) {
					text_add(&t, ", ");
					text_add(&t, PICK(&r, REVIEW_CONTACTS));
				}
				text_add(&t, ", ");
				text_add(&t, CSMS[c->csm]);
				out_field(&o, t.s);
			}
			out_sep(&o);
			if (st != ST_BAD && rng_pct(&r, big ? 90 : 50))
				out_raw(&o, PICK(&r, REVIEW_WINS));
			out_sep(&o);
			if (rng_pct(&r, st == ST_BAD ? 90 : big ? 50 : 20))
				out_raw(&o, PICK(&r, REVIEW_ISSUES));
			out_sep(&o);
			if (big && rng_pct(&r, 70))
				out_raw(&o, PICK(&r, REVIEW_DECISIONS));
			out_sep(&o);
			if (rng_pct(&r, big ? 80 : 30))
				out_raw(&o, PICK(&r, REVIEW_ACTIONS));
			out_sep(&o);
			rating = 1 + rng_weighted(&r, rating_mix[st], 5);
			if (!rng_pct(&r, 10))
				out_uint(&o, (unsigned)rating);
			out_eol(&o);
		}
	}
	return out_close(&o);
}

/*
 * At most one plan change per customer: the cancellation of those who
 * asked to cancel or left, the downgrade of those who asked for one, an
 * earlier upgrade of some expanders, an earlier downgrade of some
 * contracting ones. Some upgrades leave the kind out: casey derives it
 * from the ARR before and after.
 */
static int write_plan_changes(const struct world *w)
{
	struct out o;
	struct rng r;
	uint32_t i;

	if (out_open(&o, w->dir, "plan_changes.csv",
		     "customer_id,date,from_plan,to_plan,kind,from_arr,to_arr") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];
		int from = c->plan, to = c->plan, pct = 100;
		int32_t day, arr = c->arr_cents;
		const char *kind;

		rng_init(&r, w->seed, S_PLANS, i);
		if (c->status == ST_CANCEL) {
			kind = "cancel";
			day = w->asof - rng_range(&r, 3, 45);
			to = -1;
		} else if (c->status == ST_CHURNED) {
			kind = "cancel";
			day = c->end - rng_range(&r, 15, 40);
			to = -1;
		} else if (c->status == ST_DOWNGRADE) {
			kind = "downgrade";
			day = w->asof - rng_range(&r, 3, 45);
			to = maxi(from - 1, 0);
			pct = rng_range(&r, 60, 80);
		} else if (c->arch == A_EXPANDING && c->plan > PLAN_STARTER && rng_pct(&r, 15)) {
			kind = rng_pct(&r, 50) ? "upgrade" : "";
			day = w->asof - rng_range(&r, 20, 180);
			from = c->plan - 1;
			pct = 100 * 100 / rng_range(&r, 130, 200);
			/* the ARR before is the smaller one */
		} else if (c->arch == A_CONTRACTING && rng_pct(&r, 20)) {
			kind = "downgrade";
			day = w->asof - rng_range(&r, 20, 120);
			from = mini(c->plan + 1, PLAN_ENTERPRISE);
			pct = 100 * 100 / rng_range(&r, 120, 160);
		} else {
			continue;
		}
		if (day <= c->created)
			day = c->created + 1;
		out_id(&o, 'C', i + 1, 5);
		out_sep(&o);
		out_date(&o, day);
		out_sep(&o);
		out_raw(&o, PLANS[from].name);
		out_sep(&o);
		if (to >= 0)
			out_raw(&o, PLANS[to].name);
		out_sep(&o);
		out_raw(&o, kind);
		out_sep(&o);
		/* from_arr, to_arr: a downgrade keeps pct% of the ARR, an upgrade or
		 * a contracting customer's earlier downgrade came from pct% / to it. */
		if (arr >= 0) {
			int32_t before = arr, after = arr;

			if (c->status == ST_DOWNGRADE)
				after = (int32_t)((int64_t)arr * pct / 100);
			else if (c->arch == A_EXPANDING && to == c->plan && from < to)
				before = (int32_t)((int64_t)arr * pct / 100);
			else if (to >= 0 && from != to)
				before = (int32_t)((int64_t)arr * 10000 / pct / 100);
			out_money(&o, before);
			out_sep(&o);
			if (to >= 0)
				out_money(&o, after);
		} else {
			out_sep(&o);
		}
		out_eol(&o);
	}
	return out_close(&o);
}

/* ------------------------------------------------------------------ */
/* NPS and CSAT surveys                                                */

/* Score weights 0..10 by mood. */
static const int NPS_MIX[3][11] = {
	[ST_GOOD] = { 0, 0, 0, 0, 0, 1, 2, 6, 14, 35, 42 },
	[ST_MID]  = { 1, 1, 2, 3, 5, 8, 12, 22, 22, 14, 10 },
	[ST_BAD]  = { 6, 7, 10, 12, 13, 14, 12, 10, 8, 5, 3 },
};

static const char *const NPS_DETRACTOR[] = {
	"Reports are painfully slow once we pass 50k rows.",
	"Still no SSO. Our security team asks about it every quarter.",
	"Too expensive for what we actually use.",
	"Support takes days to answer, even for urgent tickets.",
	"The Salesforce sync keeps creating duplicates and nobody fixes it.",
	"Onboarding was confusing and we never finished the data import.",
	"CSV exports time out, so we copy data by hand.",
	"The report builder is confusing; only one person here can use it.",
	"We were promised webhooks a year ago.",
	"Price went up at renewal, value did not.",
	"Too many bugs since the last release, dashboards lose their filters.",
	"Our admin left and nobody can figure out the permissions, \"roles\" are a mess.",
};
static const char *const NPS_PASSIVE[] = {
	"Solid product, but the report builder needs work.",
	"Does the job. Exports could be faster.",
	"Good overall; we miss an Excel export.",
	"Fine for us, although SSO would make IT happier.",
	"Useful dashboards, clunky settings.",
};
static const char *const NPS_PROMOTER[] = {
	"Scheduled reports save my team hours every week.",
	"Great support, our CSM is fantastic.",
	"The Salesforce sync just works.",
	"Dashboards are the first thing I open every morning.",
	"Automations replaced two spreadsheets and a lot of nagging.",
	"Easy to roll out, the team adopted it in a week.",
};

static int write_nps(const struct world *w)
{
	/* Quarterly survey waves, days before the as-of date. */
	static const int wave_lo[] = { 20, 110, 200, 290 }, wave_hi[] = { 40, 130, 220, 310 };
	struct out o;
	struct rng r;
	uint32_t i;
	unsigned long long id = 0;
	int k, pattern, took[4];
	int32_t day[4];

	if (out_open(&o, w->dir, "nps.csv", "response_id,customer_id,date,score,comment") < 0)
		return -1;
	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];
		/* None, old answers only, regular; happy customers answer more. */
		static const int pattern_mix[2][3] = { { 12, 10, 78 }, { 5, 5, 90 } };
		int happy = state_of_level(c->lvl1) == ST_GOOD;

		rng_init(&r, w->seed, S_NPS, i);
		pattern = rng_weighted(&r, pattern_mix[happy], 3);
		for (k = 0; k < 4; k++) {
			day[k] = w->asof - rng_range(&r, wave_lo[k], wave_hi[k]);
			took[k] = rng_pct(&r, happy ? 65 : 55);
			if (pattern == 0 || (pattern == 1 && k < 2))
				took[k] = 0;
		}
		if (pattern == 1 && !took[2] && !took[3])
			took[3] = 1;
		if (pattern == 2 && !took[0] && !took[1])
			took[rng_below(&r, 2)] = 1;
		for (k = 3; k >= 0; k--) {
			enum state st;
			int score;
			const char *comment = NULL;

			if (!took[k] || day[k] < c->created || day[k] > c->end)
				continue;
			st = state_at(w, c, day[k]);
			score = rng_weighted(&r, NPS_MIX[st], 11);
			if (score <= 6 && rng_pct(&r, 80))
				comment = PICK(&r, NPS_DETRACTOR);
			else if (score >= 9 && rng_pct(&r, 35))
				comment = PICK(&r, NPS_PROMOTER);
			else if (score >= 7 && score <= 8 && rng_pct(&r, 40))
				comment = PICK(&r, NPS_PASSIVE);
			out_id(&o, 'N', ++id, 6);
			out_sep(&o);
			out_id(&o, 'C', i + 1, 5);
			out_sep(&o);
			out_date(&o, day[k]);
			out_sep(&o);
			out_uint(&o, (unsigned)score);
			out_sep(&o);
			out_field(&o, comment);
			out_eol(&o);
		}
	}
	return out_close(&o);
}

/* CSAT weights for scores 1..5 by mood. */
static const int CSAT_MIX[3][5] = {
	[ST_GOOD] = { 2, 3, 10, 35, 50 },
	[ST_MID]  = { 8, 12, 25, 35, 20 },
	[ST_BAD]  = { 25, 25, 25, 15, 10 },
};

static const char *const CSAT_CONTEXTS[] = {
	"Reporting", "Onboarding", "Billing", "CSV export", "Dashboards", "Salesforce sync",
	"Support", "Scheduled reports", "Automations", "API",
};
static const char *const CSAT_LOW[] = {
	"Took three tries to get it working.",
	"The export dropped half of our rows.",
	"Nobody answered for two days.",
	"Confusing, we gave up and used a spreadsheet.",
	"Still broken after the fix.",
};
static const char *const CSAT_HIGH[] = {
	"Quick and easy.",
	"Exactly what we needed.",
	"Fast answer, thank you!",
	"Works great, saves us time.",
};

struct csat_out {
	struct out o;
	unsigned long long id;
};

static void csat_row(struct csat_out *co, struct rng *r, uint32_t cust, int32_t day, int score,
		     const char *context, unsigned long long ticket)
{
	struct out *o = &co->o;
	const char *comment = NULL;

	if (score <= 2 && rng_pct(r, 60))
		comment = PICK(r, CSAT_LOW);
	else if (score >= 4 && rng_pct(r, 30))
		comment = PICK(r, CSAT_HIGH);
	out_id(o, 'S', ++co->id, 6);
	out_sep(o);
	out_id(o, 'C', cust + 1, 5);
	out_sep(o);
	out_date(o, day);
	out_sep(o);
	out_uint(o, (unsigned)score);
	out_sep(o);
	out_field(o, context);
	out_sep(o);
	if (ticket)
		out_id(o, 'T', ticket, 6);
	out_sep(o);
	out_field(o, comment);
	out_eol(o);
}

/* Feature and workflow surveys, after the ticket-linked rows. */
static void write_csat_surveys(const struct world *w, struct csat_out *co)
{
	struct rng r;
	uint32_t i;
	int k, n;

	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];

		rng_init(&r, w->seed, S_CSAT, i);
		n = rng_range(&r, 0, c->seg == SEG_ENTERPRISE ? 4 : 2);
		for (k = 0; k < n; k++) {
			int32_t day = w->asof - rng_range(&r, 0, 179);
			enum state st;
			const char *ctx;
			int score;

			if (day < c->created || day > c->end)
				continue;
			st = (c->flags & F_COHORT) ? ST_MID : state_at(w, c, day);
			score = 1 + rng_weighted(&r, CSAT_MIX[st], 5);
			ctx = (c->flags & F_COHORT) && rng_pct(&r, 60) ? "Onboarding" : PICK(&r, CSAT_CONTEXTS);
			csat_row(co, &r, i, day, score, ctx, 0);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Tickets: ~40 recurring themes in the seven categories                */

enum category { CAT_BUG, CAT_FR, CAT_DOC, CAT_UX, CAT_PERF, CAT_INT, CAT_HOWTO, CAT_N };

static const char *const CATEGORY[CAT_N] = {
	"Bug Report", "Feature Request", "Documentation Gap", "Usability Issue",
	"Performance Issue", "Integration Question", "How-To Question",
};

/*
 * Subjects and descriptions may use {n} (2–9), {N} (a row count like
 * 48,000), {min} (minutes), {day} (a weekday), {colleague} (a first name).
 * Bug themes carry "|"-separated steps to reproduce and the result.
 */
struct theme {
	const char *slug;
	enum category cat;
	int weight;
	const char *tags;
	const char *feature;	/* feature_id, or NULL */
	const char *context;	/* CSAT context */
	const char *subject[4];
	const char *detail[3];
	const char *steps;
	const char *result;
};

static const struct theme THEMES[] = {
	/* Bug Report */
	{ "export-encoding", CAT_BUG, 5, "export csv encoding", "F03", "CSV export",
	  { "CSV export garbles accented characters", "Umlauts broken in exported CSV",
	    "Export turns customer names into question marks" },
	  { "When we export the customer list to CSV, every name with an accent comes out garbled, e.g. \"Müller\" becomes \"MÃ¼ller\".",
	    "Our exported CSV files show question marks instead of non-English letters since {day}. The German and Polish accounts are unreadable." },
	  "Open Reports > Customers|Click Export > CSV|Open the file in Excel or a text editor",
	  "Expected: names exactly as in the app. Actual: mangled characters." },
	{ "dashboard-filters-reset", CAT_BUG, 5, "dashboard filters", "F01", "Dashboards",
	  { "Dashboard filters reset after every refresh", "Saved filters disappear on dashboards",
	    "Filters on shared dashboard are not saved" },
	  { "Every time the dashboard auto-refreshes, the date range and region filters jump back to the defaults.",
	    "Saved filters on our team dashboard vanish when a colleague opens it. {colleague} has re-created them {n} times this week." },
	  "Open any dashboard|Set a date range filter and click Save|Wait for the 5-minute auto-refresh or reload the page",
	  "Expected: the filter stays applied. Actual: the dashboard shows all data again." },
	{ "scheduled-report-not-sent", CAT_BUG, 5, "reports email scheduled", "F02", "Scheduled reports",
	  { "Scheduled report emails not arriving", "Weekly report did not go out on {day}",
	    "Report schedule silently stopped" },
	  { "Our Monday 8:00 scheduled report has not arrived for {n} weeks, although the schedule still shows as active.",
	    "The scheduled pipeline report was not delivered to anyone on {day}; there is nothing in spam either." },
	  "Create a report and open Schedule|Choose weekly, Monday 08:00, add two recipients|Wait for the next run and check the inbox and the run history",
	  "Expected: an email with the PDF. Actual: no email, yet the history says \"Delivered\"." },
	{ "salesforce-duplicates", CAT_BUG, 4, "salesforce sync duplicates", "F04", "Salesforce sync",
	  { "Salesforce sync creating duplicate accounts", "Duplicate contacts after Salesforce sync",
	    "Sync doubled our opportunity records" },
	  { "After last night's sync we have {N} duplicate account records in Salesforce.",
	    "Every sync run creates a second copy of contacts whose email has uppercase letters." },
	  "Connect a Salesforce org with existing accounts|Run a full sync from Settings > Integrations|Run the sync a second time",
	  "Expected: records are matched and updated. Actual: a new duplicate is created on each run." },
	{ "custom-role-save-error", CAT_BUG, 3, "permissions roles error", "F05", "Permissions",
	  { "Error when saving a custom role", "Cannot save role: \"Something went wrong\"",
	    "Custom role permissions not saving" },
	  { "Saving a custom role with more than {n} permissions fails with \"Something went wrong (code 500)\".",
	    "Our admin cannot save changes to the Finance Viewer role; the spinner runs and the changes are lost." },
	  "Go to Settings > Roles|Duplicate the Viewer role and tick 12 permissions|Click Save",
	  "Expected: the role is saved. Actual: an error toast and nothing is stored." },
	{ "timezone-dates", CAT_BUG, 3, "timezone dates", "F01", "Dashboards",
	  { "Dates shown one day off", "Timezone wrong on activity timeline",
	    "Report dates are in UTC instead of our timezone" },
	  { "All timestamps on the activity timeline are shifted by {n} hours even though our workspace timezone is Europe/Berlin.",
	    "Deals closed late in the evening show up on the next day in reports, which breaks our month-end numbers." },
	  "Set the workspace timezone to Europe/Berlin|Create a record at 23:30 local time|Open the activity timeline and the daily report",
	  "Expected: the record on today's date. Actual: it appears on tomorrow's date." },
	{ "automation-double-fire", CAT_BUG, 3, "automation workflow trigger", "F08", "Automations",
	  { "Automation fires twice", "Workflow sends duplicate emails", "Trigger runs two times for one update" },
	  { "Our renewal reminder automation sends every email twice since the last release.",
	    "The \"deal won\" workflow created {n} duplicate tasks for the same deal." },
	  "Create an automation triggered on record update|Add an action that sends an email|Edit one field on a record and save",
	  "Expected: one email. Actual: two identical emails a few seconds apart." },

	/* Feature Request */
	{ "sso-saml", CAT_FR, 5, "sso saml security", NULL, "Security",
	  { "Request: SAML single sign-on", "Do you support SSO with Okta?", "SSO needed for our security review",
	    "Any roadmap date for SAML SSO?" },
	  { "Our security team requires SAML SSO (Okta) for every tool with customer data; without it we cannot roll out to the remaining {n}0 users.",
	    "We are going through a SOC 2 audit and need single sign-on plus enforced MFA. Is this on the roadmap?",
	    "Would it be possible to log in with Azure AD? Managing separate passwords for {n}0 people is a real burden." },
	  NULL, NULL },
	{ "webhooks", CAT_FR, 4, "api webhooks", "F07", "API",
	  { "Feature request: webhooks for record changes", "Outbound webhooks?", "Push events instead of polling the API" },
	  { "We poll the API every {n} minutes to detect changes; webhooks on create/update would save us a lot of requests.",
	    "It would be great to get a webhook when a deal stage changes so our ERP can react immediately." },
	  NULL, NULL },
	{ "xlsx-export", CAT_FR, 4, "export excel xlsx", "F03", "CSV export",
	  { "Export to Excel (XLSX) please", "Native XLSX export", "Keep number formats when exporting" },
	  { "Our finance team needs XLSX with proper number formats; the CSV loses leading zeros in account numbers.",
	    "Could you add an Excel export option next to CSV? Everyone here opens the files in Excel anyway." },
	  NULL, NULL },
	{ "custom-fields", CAT_FR, 3, "custom-fields accounts", NULL, "Accounts",
	  { "Custom fields on accounts", "Need more custom fields", "Request: custom picklist fields" },
	  { "We need to track contract type and region on each account. Custom fields would solve this.",
	    "The limit of {n} custom fields is too low for us; we need at least 25." },
	  NULL, NULL },
	{ "dark-mode", CAT_FR, 2, "ui dark-mode", NULL, "User interface",
	  { "Dark mode?", "Please add a dark theme", "Dark mode for the dashboard" },
	  { "Several of our analysts work late and would love a dark theme.",
	    "A dark mode would help our support team, who keep the dashboard open all day." },
	  NULL, NULL },
	{ "forecast-scenarios", CAT_FR, 2, "forecasting scenarios", "F09", "Forecasting",
	  { "What-if scenarios in forecasts", "Compare forecast scenarios", "Request: best/worst case forecast" },
	  { "We would like to model a best case and a worst case next to the committed forecast.",
	    "Our CFO asked for scenario planning: change the win rate and see the effect on the quarter." },
	  NULL, NULL },
	{ "mobile-app", CAT_FR, 2, "mobile app", NULL, "Mobile",
	  { "Is there a mobile app?", "Request: iOS app for the field team", "Mobile access to dashboards" },
	  { "Our field team needs to check account health on their phones; the web app is hard to use on mobile.",
	    "An iOS and Android app with offline dashboards would help our sales reps a lot." },
	  NULL, NULL },

	/* Documentation Gap */
	{ "api-pagination-docs", CAT_DOC, 3, "api docs pagination", "F07", "API",
	  { "API docs don't explain pagination", "How does the cursor parameter work? Not in the docs",
	    "Missing docs for list endpoints" },
	  { "The API reference mentions a cursor but never says where it comes from or when the list ends.",
	    "We only get the first 100 records from /v2/accounts and the docs do not explain how to fetch the rest." },
	  NULL, NULL },
	{ "roles-matrix-docs", CAT_DOC, 2, "permissions docs roles", "F05", "Permissions",
	  { "Which permissions does each role have?", "No documentation of the role permission matrix",
	    "Docs for custom roles are incomplete" },
	  { "There is no page that lists what each built-in role can see and do, so our admin has to test it by hand.",
	    "The help article on custom roles shows an old screen and does not explain the \"export\" permission." },
	  NULL, NULL },
	{ "sync-mapping-docs", CAT_DOC, 2, "salesforce docs mapping", "F04", "Salesforce sync",
	  { "Salesforce field mapping docs outdated", "Docs don't match the sync settings screen",
	    "Where is the field mapping documented?" },
	  { "The field-mapping article shows settings that no longer exist, and custom objects are not mentioned at all.",
	    "We could not find which Salesforce fields are synced by default; the docs page stops after step 3." },
	  NULL, NULL },
	{ "audit-log-docs", CAT_DOC, 2, "audit-log docs retention", "F06", "Audit log",
	  { "How long are audit logs kept?", "Audit log retention not documented", "Audit log export format undocumented" },
	  { "Our compliance team asks how long audit events are retained and the documentation does not say.",
	    "The audit log export has columns that are not explained anywhere in the docs." },
	  NULL, NULL },
	{ "ai-insights-docs", CAT_DOC, 2, "ai-insights docs", "F11", "AI Insights",
	  { "What data does AI Insights use?", "No docs for AI Insights", "How are AI Insights calculated?" },
	  { "We turned on AI Insights but there is no documentation on what data it reads or how the suggestions are made.",
	    "Our legal team wants to know whether AI Insights sends data to a third party; the docs only have a marketing page." },
	  NULL, NULL },

	/* Usability Issue */
	{ "report-builder-confusing", CAT_UX, 4, "reports builder ux", "F02", "Reporting",
	  { "Report builder is confusing", "Hard to build a simple report", "Too many steps to create a report" },
	  { "It took our manager {min} minutes to build a simple pipeline-by-region report; the grouping options are hidden behind three menus.",
	    "Nobody on our team understands the difference between \"segments\" and \"groups\" in the report builder." },
	  NULL, NULL },
	{ "settings-hard-to-find", CAT_UX, 3, "settings navigation ux", NULL, "User interface",
	  { "Can't find the notification settings", "Settings menu is a maze", "Where did the user settings go?" },
	  { "After the redesign our users cannot find where to change notification and language settings.",
	    "Settings are split between the profile menu and the admin area, and people keep asking where things are." },
	  NULL, NULL },
	{ "filters-too-many-clicks", CAT_UX, 3, "filters ux", "F01", "Dashboards",
	  { "Filtering takes too many clicks", "Filter panel is clumsy", "No quick filter on tables" },
	  { "Changing one filter means opening a panel, scrolling and clicking Apply every time; a quick filter bar would help.",
	    "Our team uses the same {n} filters every day and has to rebuild them each morning." },
	  NULL, NULL },
	{ "import-wizard-confusing", CAT_UX, 3, "import wizard ux", "F12", "Bulk import",
	  { "Bulk import wizard: mapping step is confusing", "Import wizard lost my column mapping",
	    "Which columns does the import wizard need?" },
	  { "The new bulk import wizard asks us to map columns but shows no preview, so we imported {N} rows into the wrong fields.",
	    "The mapping step in the import wizard resets when you go back one step, which is very frustrating." },
	  NULL, NULL },
	{ "notification-overload", CAT_UX, 2, "notifications slack email", "F10", "Notifications",
	  { "Too many notification emails", "Alert noise in our Slack channel", "Can we batch notifications?" },
	  { "Each user gets dozens of alert emails a day and they have started ignoring all of them.",
	    "The Slack alert channel posts every small change; we need a daily digest instead." },
	  NULL, NULL },

	/* Performance Issue */
	{ "export-timeout", CAT_PERF, 5, "export csv timeout", "F03", "CSV export",
	  { "Large CSV export times out", "Export of {N} rows fails with a timeout", "CSV export never finishes" },
	  { "Exporting our full contact list ({N} rows) runs for several minutes and then fails with \"504 Gateway Timeout\".",
	    "CSV exports over about 50,000 rows never finish; smaller ones work fine." },
	  NULL, NULL },
	{ "dashboard-slow", CAT_PERF, 4, "dashboard performance slow", "F01", "Dashboards",
	  { "Dashboards very slow to load", "Dashboard takes {n}0 seconds to open", "Slow dashboards since the last release" },
	  { "Our main dashboard takes {n}0 seconds to load in the morning; the widgets show spinners for a long time.",
	    "Since the last release every dashboard with more than {n} widgets is painfully slow." },
	  NULL, NULL },
	{ "sync-lag", CAT_PERF, 3, "salesforce sync performance", "F04", "Salesforce sync",
	  { "Salesforce sync hours behind", "Sync delay is getting worse", "Changes take half a day to sync" },
	  { "Changes made in Salesforce show up {n} hours later; the sync used to take minutes.",
	    "The sync queue shows thousands of pending items and our reps see stale data." },
	  NULL, NULL },
	{ "report-generation-slow", CAT_PERF, 3, "reports performance", "F02", "Reporting",
	  { "Reports take minutes to generate", "Monthly report generation very slow", "Report preview keeps spinning" },
	  { "Generating the monthly revenue report now takes more than {n} minutes and often fails.",
	    "Report previews over a 12-month range spin forever and then show an empty table." },
	  NULL, NULL },
	{ "api-timeouts", CAT_PERF, 2, "api performance timeout", "F07", "API",
	  { "API requests timing out", "Intermittent 504s from the API", "API latency spikes" },
	  { "Around {n}0% of our calls to /v2/deals fail with 504 during European business hours.",
	    "API responses that used to take 200 ms now take several seconds and our nightly job fails." },
	  NULL, NULL },

	/* Integration Question */
	{ "api-auth", CAT_INT, 4, "api authentication token", "F07", "API",
	  { "How do we create an API token?", "OAuth flow returns invalid_grant", "API key or OAuth: which should we use?" },
	  { "We want to connect our data warehouse. Should we use an API key or OAuth, and which scopes do we need?",
	    "Our OAuth token exchange returns \"invalid_grant\" although the client id and secret are correct." },
	  NULL, NULL },
	{ "salesforce-connect", CAT_INT, 4, "salesforce integration setup", "F04", "Salesforce sync",
	  { "Connecting a Salesforce sandbox", "Which Salesforce permissions does the sync need?",
	    "Salesforce connection fails with INVALID_SESSION_ID" },
	  { "We want to test the sync against our Salesforce sandbox first. Is that supported, and how do we point the connector at it?",
	    "Our Salesforce admin asks which profile permissions the integration user needs." },
	  NULL, NULL },
	{ "slack-setup", CAT_INT, 3, "slack integration alerts", "F10", "Slack alerts",
	  { "Slack alerts to a private channel", "Slack integration not posting", "Route alerts to different Slack channels?" },
	  { "We connected Slack but alerts only go to #general; we want them in a private channel per team.",
	    "Can different alert types go to different Slack channels?" },
	  NULL, NULL },
	{ "zapier", CAT_INT, 2, "zapier integration", "F07", "Integrations",
	  { "Is there a Zapier integration?", "Connecting with Make (Integromat)", "Zapier trigger for new accounts" },
	  { "Is there a Zapier app, or do we need to call the API ourselves?",
	    "We want to create a Zap that adds new accounts to our onboarding tool." },
	  NULL, NULL },
	{ "hubspot-integration", CAT_INT, 2, "hubspot integration", NULL, "Integrations",
	  { "Do you integrate with HubSpot?", "HubSpot contact sync question", "Moving from HubSpot: import options?" },
	  { "Part of our team uses HubSpot. Is there a native integration or should we build one with the API?",
	    "How do HubSpot company ids map to your account ids when importing?" },
	  NULL, NULL },

	/* How-To Question */
	{ "howto-schedule-report", CAT_HOWTO, 5, "reports schedule how-to", "F02", "Scheduled reports",
	  { "How do I schedule a report?", "How to send a report every Monday?", "Set up a recurring report email",
	    "Schedule a report for my team" },
	  { "How do I send the pipeline report to my team every Monday morning?",
	    "I created a report but cannot find where to make it run weekly. Is that possible?" },
	  NULL, NULL },
	{ "howto-add-users", CAT_HOWTO, 4, "users seats how-to", NULL, "Account admin",
	  { "How do I add new users?", "How to remove a user who left", "Adding seats to our plan" },
	  { "We hired {n} new people. How do I invite them, and will it change our bill?",
	    "A colleague left the company. How do I deactivate the account and reassign the records?" },
	  NULL, NULL },
	{ "howto-custom-role", CAT_HOWTO, 3, "roles how-to permissions", "F05", "Permissions",
	  { "How to create a read-only role?", "How do I restrict access to finance data?", "Custom role for contractors" },
	  { "We need a role that can view dashboards but not export anything. How do we set that up?",
	    "How do I make sure contractors only see the accounts assigned to them?" },
	  NULL, NULL },
	{ "howto-export-all", CAT_HOWTO, 3, "export how-to", "F03", "CSV export",
	  { "How to export all our data?", "Full data export for a backup", "How do I export activity history?" },
	  { "For our annual audit we need a full export of all accounts and activities. What is the best way?",
	    "How can I export the activity history, not just the account list?" },
	  NULL, NULL },
	{ "howto-automation", CAT_HOWTO, 3, "automation how-to", "F08", "Automations",
	  { "How to build an automation for renewals?", "Automation: reminder 30 days before renewal",
	    "How do automation conditions work?" },
	  { "How do I create a workflow that emails the account owner 30 days before renewal?",
	    "I don't understand how to combine two conditions in an automation (AND vs OR)." },
	  NULL, NULL },
	{ "howto-invoices", CAT_HOWTO, 3, "billing invoices how-to", NULL, "Billing",
	  { "Where can I download invoices?", "How to change the billing email", "How do I update our VAT number?" },
	  { "Our accounts payable team needs the last {n} invoices as PDF. Where can I download them?",
	    "How do I change the email address that receives invoices?" },
	  NULL, NULL },
};
#define NTHEMES NELEM(THEMES)

/* Category mix of new tickets by the customer's mood (onboarding last). */
static const int CAT_MIX[NSTATE][CAT_N] = {
	[ST_GOOD] = { 16, 20, 8, 12, 9, 15, 20 },
	[ST_MID]  = { 20, 15, 8, 13, 13, 13, 18 },
	[ST_BAD]  = { 27, 10, 6, 13, 20, 10, 14 },
	[ST_NEW]  = { 10, 8, 10, 12, 5, 20, 35 },
};

enum sentiment { SE_POSITIVE, SE_NEUTRAL, SE_FRUSTRATED, SE_ANGRY, SE_N, SE_NONE = SE_N };

static const char *const SENTIMENT[SE_N] = { "positive", "neutral", "frustrated", "angry" };

/* CSAT weights for scores 1..5 on a ticket whose sentiment is known. */
static const int CSAT_BY_SENTIMENT[SE_N][5] = {
	[SE_POSITIVE] = { 0, 0, 5, 35, 60 },
	[SE_NEUTRAL] = { 2, 5, 20, 43, 30 },
	[SE_FRUSTRATED] = { 15, 30, 30, 20, 5 },
	[SE_ANGRY] = { 45, 30, 15, 7, 3 },
};

static const int SENTIMENT_MIX[NSTATE][SE_N] = {
	[ST_GOOD] = { 45, 45, 8, 2 },
	[ST_MID]  = { 15, 45, 30, 10 },
	[ST_BAD]  = { 5, 25, 40, 30 },
	[ST_NEW]  = { 25, 50, 20, 5 },
};

/* How often a customer in each mood files a ticket, ×10. */
static const int TICKET_RATE[NSTATE] = { 10, 16, 26, 14 };
#define TICKET_WMAX (26 * 25)

static const char *const PRIORITY[] = { "urgent", "high", "normal", "low" };
static const int PRIORITY_MIX[CAT_N][4] = {
	[CAT_BUG] = { 10, 30, 45, 15 }, [CAT_FR] = { 0, 10, 50, 40 },
	[CAT_DOC] = { 0, 5, 55, 40 },   [CAT_UX] = { 2, 15, 58, 25 },
	[CAT_PERF] = { 15, 35, 40, 10 }, [CAT_INT] = { 3, 17, 55, 25 },
	[CAT_HOWTO] = { 0, 5, 55, 40 },
};
static const char *const IMPACT[] = { "high", "medium", "low" };
static const int IMPACT_MIX[4][3] = {
	{ 70, 25, 5 }, { 40, 45, 15 }, { 10, 50, 40 }, { 3, 27, 70 },
};
/* Resolution time in hours by priority. */
static const int RESOLVE_LO[4] = { 1, 3, 6, 12 }, RESOLVE_HI[4] = { 24, 72, 168, 336 };

static const char *const CLOSER[SE_N][3] = {
	[SE_POSITIVE] = { "Thanks, the team loves the product otherwise!", "Appreciate the quick help last time.",
			  "No rush, just curious." },
	[SE_NEUTRAL] = { "Let me know if you need more details.", "Screenshots are attached.",
			 "Happy to jump on a call if that helps." },
	[SE_FRUSTRATED] = { "This is slowing our team down quite a bit.", "We have already lost several hours on this.",
			    "Can someone please look at this soon?" },
	[SE_ANGRY] = { "This is the {ord} time we report this and nothing has changed.",
		       "Honestly, we are evaluating alternatives if this is not fixed this week.",
		       "Our leadership is asking why we pay for a tool that does not work." },
};
static const char *const ERROR_TEXT[] = {
	"Something went wrong (code 500)", "Request failed: timeout after 30s",
	"Export failed. Please try again later.", "Error 504: Gateway Timeout",
};
static const char *const GREETING[] = { "Hi team,\n", "Hello,\n\n", "Hi support,\n" };
/* A second sentence of context, by category. */
static const char *const CONTEXT_LINE[CAT_N][3] = {
	[CAT_BUG] = { "This started after the last release.", "It happens in both Chrome and Firefox.",
		      "It affects {n} of our users so far." },
	[CAT_FR] = { "We would be happy to beta test it.", "This came up again in our last planning meeting.",
		     "It would make our renewal discussion much easier." },
	[CAT_DOC] = { "I searched the help center for a while before writing.", "The search in the docs only finds release notes.",
		      "Our new admin, {colleague}, asked the same thing last week." },
	[CAT_UX] = { "New team members struggle with this the most.", "We had to write an internal guide just for this.",
		     "{colleague} on our team gave up and asked me to do it." },
	[CAT_PERF] = { "It is worst on Monday mornings.", "Other tools on the same network are fast.",
		       "It got noticeably worse over the last {n} weeks." },
	[CAT_INT] = { "Our IT team is waiting for this before go-live.", "We are planning the rollout for next month.",
		      "Our developer {colleague} will do the setup." },
	[CAT_HOWTO] = { "Sorry if this is documented somewhere.", "I am new to the admin role.",
			"We are still in our first weeks with the product." },
};
static const char *const CONTACT_LINE[] = {
	"You can reach me at {email} or {phone}.",
	"Please call me on {phone} if that is easier.",
	"Loop in {fullname} ({email}), who owns this on our side.",
	"Reply to {email}, I am the admin for our account.",
};
static const char *const WEEKDAYS[] = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" };
static const char *const ORDINALS[] = { "second", "third", "fourth" };

/* People quoted in tickets: display name and its ASCII form for emails. */
static const struct person_name {
	const char *name, *ascii;
} FIRST_NAMES[] = {
	{ "Jane", "jane" }, { "John", "john" }, { "Priya", "priya" }, { "Wei", "wei" },
	{ "Carlos", "carlos" }, { "Fatima", "fatima" }, { "Lukas", "lukas" }, { "Sofia", "sofia" },
	{ "Mateo", "mateo" }, { "Aiko", "aiko" }, { "Olu", "olu" }, { "Emma", "emma" },
	{ "Noah", "noah" }, { "José", "jose" }, { "Zoë", "zoe" }, { "Björn", "bjorn" },
	{ "Anaïs", "anais" }, { "Dmitri", "dmitri" }, { "Grace", "grace" }, { "Hannah", "hannah" },
	{ "Ravi", "ravi" }, { "Chloé", "chloe" }, { "Kenji", "kenji" }, { "Amara", "amara" },
}, LAST_NAMES[] = {
	{ "Doe", "doe" }, { "Smith", "smith" }, { "Patel", "patel" }, { "Zhang", "zhang" },
	{ "García", "garcia" }, { "Okafor", "okafor" }, { "Schneider", "schneider" }, { "Rossi", "rossi" },
	{ "Nakamura", "nakamura" }, { "Kowalski", "kowalski" }, { "Johansson", "johansson" },
	{ "O'Connor", "oconnor" }, { "Dubois", "dubois" }, { "Novak", "novak" }, { "Silva", "silva" },
	{ "Müller", "mueller" }, { "Brown", "brown" }, { "Kim", "kim" }, { "Haddad", "haddad" },
	{ "Nguyen", "nguyen" },
};
static const char *const EMAIL_DOMAINS[] = { "example.com", "example.org", "example.net" };
static const int US_AREA[] = { 212, 415, 617, 312, 206, 512 };

/* The person writing one ticket, so name, email and phone agree. */
struct writer {
	int first, last, email_style, domain, phone_style, area, phone;
};

static void add_email(struct text *t, const struct writer *p)
{
	const char *f = FIRST_NAMES[p->first].ascii, *l = LAST_NAMES[p->last].ascii;
	char init[2] = { f[0], '\0' };

	switch (p->email_style) {
	case 0:
		text_add(t, f);
		text_add(t, ".");
		text_add(t, l);
		break;
	case 1:
		text_add(t, f);
		break;
	default:
		text_add(t, init);
		text_add(t, ".");
		text_add(t, l);
		break;
	}
	text_add(t, "@");
	text_add(t, EMAIL_DOMAINS[p->domain]);
}

/* Fictional numbers only: US 555-01xx and the UK's 020 7946 0xxx. */
static void add_phone(struct text *t, const struct writer *p)
{
	char tmp[32];

	if (p->phone_style == 0)
		snprintf(tmp, sizeof(tmp), "+1 %d 555 01%02d", US_AREA[p->area], p->phone % 100);
	else
		snprintf(tmp, sizeof(tmp), "+44 20 7946 0%03d", p->phone % 1000);
	text_add(t, tmp);
}

/* Appends `tmpl` with its {placeholders} filled in. */
static void expand(struct text *t, const char *tmpl, struct rng *r, const struct writer *p)
{
	const char *s = tmpl, *e;
	char key[16];
	size_t n;

	while (*s) {
		if (*s != '{' || !(e = strchr(s, '}')) || (n = (size_t)(e - s - 1)) >= sizeof(key)) {
			char one[2] = { *s++, '\0' };

			text_add(t, one);
			continue;
		}
		memcpy(key, s + 1, n);
		key[n] = '\0';
		s = e + 1;
		if (!strcmp(key, "n")) {
			text_num(t, rng_range(r, 2, 9));
		} else if (!strcmp(key, "N")) {
			text_num(t, rng_range(r, 12, 480));
			text_add(t, ",000");
		} else if (!strcmp(key, "min")) {
			text_num(t, rng_range(r, 20, 90));
		} else if (!strcmp(key, "day")) {
			text_add(t, PICK(r, WEEKDAYS));
		} else if (!strcmp(key, "ord")) {
			text_add(t, PICK(r, ORDINALS));
		} else if (!strcmp(key, "colleague")) {
			text_add(t, PICK(r, FIRST_NAMES).name);
		} else if (!strcmp(key, "first")) {
			text_add(t, FIRST_NAMES[p->first].name);
		} else if (!strcmp(key, "fullname")) {
			text_add(t, FIRST_NAMES[p->first].name);
			text_add(t, " ");
			text_add(t, LAST_NAMES[p->last].name);
		} else if (!strcmp(key, "email")) {
			add_email(t, p);
		} else if (!strcmp(key, "phone")) {
			add_phone(t, p);
		}
	}
}

static int count_strings(const char *const *v, int max)
{
	int n = 0;

	while (n < max && v[n])
		n++;
	return n;
}

/* A multi-sentence description: the problem, maybe the error text on its
 * own line, steps to reproduce for bugs, the mood, maybe contact details
 * and a signature (names, emails and phones for the anonymiser to find). */
static void describe(struct text *t, const struct theme *th, enum sentiment se, struct rng *r,
		     const struct writer *p)
{
	int multiline = rng_pct(r, 50);

	if (rng_pct(r, 30))
		text_add(t, PICK(r, GREETING));
	expand(t, th->detail[rng_below(r, (uint32_t)count_strings(th->detail, 3))], r, p);
	if (rng_pct(r, 65)) {
		text_add(t, " ");
		expand(t, CONTEXT_LINE[th->cat][rng_below(r, 3)], r, p);
	}
	if ((th->cat == CAT_BUG || th->cat == CAT_PERF) && !strchr(t->s, '"') && rng_pct(r, 35)) {
		text_add(t, " The message says:\n\"");
		text_add(t, PICK(r, ERROR_TEXT));
		text_add(t, "\"");
	}
	if (th->steps) {
		const char *s = th->steps, *bar;
		int k = 1;

		text_add(t, multiline ? "\n\nSteps to reproduce:" : " Steps to reproduce:");
		while (s) {
			char step[256];
			size_t n;

			bar = strchr(s, '|');
			n = bar ? (size_t)(bar - s) : strlen(s);
			if (n >= sizeof(step))
				n = sizeof(step) - 1;
			memcpy(step, s, n);
			step[n] = '\0';
			text_add(t, multiline ? "\n" : " ");
			text_num(t, k++);
			text_add(t, ". ");
			text_add(t, step);
			text_add(t, ".");
			s = bar ? bar + 1 : NULL;
		}
		text_add(t, multiline ? "\n" : " ");
		text_add(t, th->result);
	}
	if (se != SE_NONE && rng_pct(r, 70)) {
		text_add(t, " ");
		expand(t, CLOSER[se][rng_below(r, 3)], r, p);
	}
	if (rng_pct(r, 18)) {
		text_add(t, " ");
		expand(t, PICK(r, CONTACT_LINE), r, p);
	}
	switch (rng_below(r, 5)) {
	case 0:
		expand(t, "\n\n— {fullname}", r, p);
		break;
	case 1:
		expand(t, "\nThanks,\n{first}", r, p);
		break;
	case 2:
		expand(t, " Regards, {fullname}", r, p);
		break;
	default:
		break;
	}
}

/* Tickets planted so that every ticket rule of §3 fires on the sample. */
struct planted {
	int32_t day;
	uint32_t cust;
	int theme;
	enum sentiment se;
};

struct ticket_gen {
	const struct world *w;
	struct out o;
	struct csat_out csat;
	struct rng r;
	unsigned long long id;
	int theme_w[NTHEMES];
	struct planted plant[64];
	int nplant;
};

static int theme_index(const char *slug)
{
	int k;

	for (k = 0; k < NTHEMES; k++)
		if (!strcmp(THEMES[k].slug, slug))
			return k;
	return 0;
}

static int random_theme(struct ticket_gen *g, enum state st)
{
	int cat = rng_weighted(&g->r, CAT_MIX[st], CAT_N), k, w[NTHEMES];

	for (k = 0; k < NTHEMES; k++)
		w[k] = THEMES[k].cat == (enum category)cat ? THEMES[k].weight : 0;
	return rng_weighted(&g->r, w, NTHEMES);
}

static void emit_ticket(struct ticket_gen *g, int32_t day, int minute, uint32_t ci, int theme,
			enum sentiment se_forced)
{
	const struct world *w = g->w;
	const struct customer *c = &w->cust[ci];
	struct rng *r = &g->r;
	struct out *o = &g->o;
	struct text t;
	struct writer p;
	enum state st;
	const struct theme *th;
	enum sentiment se;
	int planted = theme >= 0, pri, imp, csat = 0, resolved = 0, rday = 0, rmin = 0;
	const char *status;
	int64_t age_min, res_min;

	st = (c->flags & F_COHORT) && day - c->created < 45 ? ST_NEW : state_at(w, c, day);
	if (!planted)
		theme = random_theme(g, st);
	th = &THEMES[theme];
	g->id++;

	if (planted)
		se = se_forced;
	else
		se = rng_pct(r, 40) ? (enum sentiment)rng_weighted(r, SENTIMENT_MIX[st], SE_N) : SE_NONE;

	pri = rng_weighted(r, PRIORITY_MIX[th->cat], 4);
	if (pri > 0 && (se == SE_ANGRY || c->seg == SEG_ENTERPRISE) && rng_pct(r, 35))
		pri--;
	imp = rng_weighted(r, IMPACT_MIX[pri], 3);

	/* Resolution: feature requests often stay open with product. */
	age_min = (int64_t)(w->asof - day) * 1440 + (1439 - minute);
	res_min = (int64_t)rng_range(r, RESOLVE_LO[pri], RESOLVE_HI[pri]) * 60;
	res_min += rng_range(r, 0, 59);
	if (th->cat == CAT_FR)
		res_min *= 3;
	if (!(th->cat == CAT_FR && rng_pct(r, 40)) && res_min <= age_min) {
		int64_t at = (int64_t)day * 1440 + minute + res_min;

		resolved = 1;
		rday = (int)(at / 1440);
		rmin = (int)(at % 1440);
	}
	if (resolved)
		status = rday <= w->asof - 4 && rng_pct(r, 90) ? "closed" : "solved";
	else if (age_min < 1440)
		status = rng_pct(r, 60) ? "new" : "open";
	else
		status = rng_pct(r, 55) ? "open" : "pending";
	if (resolved && rng_pct(r, 30)) {
		const int *mix = se != SE_NONE ? CSAT_BY_SENTIMENT[se]
				 : CSAT_MIX[st == ST_NEW ? ST_MID : st];

		csat = 1 + rng_weighted(r, mix, 5);
	}

	p.first = (int)rng_below(r, (uint32_t)NELEM(FIRST_NAMES));
	p.last = (int)rng_below(r, (uint32_t)NELEM(LAST_NAMES));
	p.email_style = (int)rng_below(r, 3);
	p.domain = (int)rng_below(r, (uint32_t)NELEM(EMAIL_DOMAINS));
	p.phone_style = (int)rng_below(r, 2);
	p.area = (int)rng_below(r, (uint32_t)NELEM(US_AREA));
	p.phone = (int)rng_below(r, 1000);

	out_id(o, 'T', g->id, 6);
	out_sep(o);
	out_id(o, 'C', ci + 1, 5);
	out_sep(o);
	out_datetime(o, day, minute);
	out_sep(o);
	t.len = 0;
	t.s[0] = '\0';
	expand(&t, th->subject[rng_below(r, (uint32_t)count_strings(th->subject, 4))], r, &p);
	out_field(o, t.s);
	out_sep(o);
	t.len = 0;
	t.s[0] = '\0';
	describe(&t, th, se, r, &p);
	out_field(o, t.s);
	out_sep(o);
	/* Planted tickets are fully labelled; the rest leave triage work. */
	if (planted || rng_pct(r, 60))
		out_raw(o, CATEGORY[th->cat]);
	out_sep(o);
	if (planted || rng_pct(r, 50)) {
		if (rng_pct(r, 30)) {
			/* The comma-separated spelling some help desks use. */
			const char *s;

			t.len = 0;
			t.s[0] = '\0';
			for (s = th->tags; *s; s++) {
				char one[2] = { *s == ' ' ? ',' : *s, '\0' };

				text_add(&t, one);
			}
			out_field(o, t.s);
		} else {
			out_raw(o, th->tags);
		}
	}
	out_sep(o);
	out_raw(o, PRIORITY[pri]);
	out_sep(o);
	if (!rng_pct(r, 15))
		out_raw(o, IMPACT[imp]);
	out_sep(o);
	out_raw(o, status);
	out_sep(o);
	if (resolved)
		out_datetime(o, rday, rmin);
	out_sep(o);
	if (se != SE_NONE)
		out_raw(o, SENTIMENT[se]);
	out_sep(o);
	if (csat)
		out_uint(o, (unsigned)csat);
	out_sep(o);
	if (th->feature && rng_pct(r, 65))
		out_raw(o, th->feature);
	out_eol(o);

	if (csat) {
		int32_t sday = mini(w->asof, rday + rng_range(r, 0, 2));

		csat_row(&g->csat, r, ci, sday, csat, th->context, g->id);
	}
}

/* The rank-th largest ARR among active customers created by `created_by`. */
static uint32_t top_arr(const struct world *w, int rank, int32_t created_by)
{
	uint32_t best[8], i;
	int n = 0, k;

	for (i = 0; i < w->ncust; i++) {
		const struct customer *c = &w->cust[i];

		if (c->status != ST_ACTIVE || c->created > created_by || c->arr_cents < 0)
			continue;
		/* Insert into the short descending list. */
		for (k = n; k > 0 && w->cust[best[k - 1]].arr_cents < c->arr_cents; k--)
			if (k < NELEM(best))
				best[k] = best[k - 1];
		if (k < NELEM(best)) {
			best[k] = i;
			n = mini(n + 1, NELEM(best));
		}
	}
	return rank < n ? best[rank] : UINT32_MAX;
}

static int plant_cmp(const void *a, const void *b)
{
	const struct planted *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

static void plant(struct ticket_gen *g, int32_t day, uint32_t cust, const char *slug, enum sentiment se)
{
	if (cust == UINT32_MAX || g->nplant >= NELEM(g->plant))
		return;
	g->plant[g->nplant++] = (struct planted){ day, cust, theme_index(slug), se };
}

/* A random long-standing active customer, optionally of given archetypes. */
static uint32_t plant_pick(struct ticket_gen *g, unsigned mask, const uint32_t *avoid, int navoid)
{
	const struct world *w = g->w;
	uint32_t i, tries;
	int k;

	for (tries = 0; tries < 100000; tries++) {
		const struct customer *c;

		i = rng_below(&g->r, w->ncust);
		c = &w->cust[i];
		if (!(mask & MASK(c->arch)) || c->status == ST_CHURNED || c->created > w->asof - 100)
			continue;
		for (k = 0; k < navoid && avoid[k] != i; k++)
			;
		if (k == navoid)
			return i;
	}
	return UINT32_MAX;
}

static void plan_tickets(struct ticket_gen *g)
{
	static const int sso_days[] = { 78, 55, 37, 20, 8 };
	static const int howto_days[] = { 70, 52, 33, 21, 12, 4 };
	static const int burst_days[] = { 26, 21, 15, 10, 6, 2 };
	static const char *const burst_themes[] = {
		"export-timeout", "dashboard-filters-reset", "salesforce-duplicates", "dashboard-slow",
		"scheduled-report-not-sent", "sync-lag",
	};
	const struct world *w = g->w;
	const unsigned troubled = MASK(A_POOR) | MASK(A_DECL_STEEP) | MASK(A_DECL_LATE);
	uint32_t used[8];
	int k, b;

	/* Too small to plant without crowding out the random tickets. */
	if (w->ntickets < 200 || w->ncust < 20)
		return;

	/* Feature request: 5 tickets in 90 days, the two largest accounts
	 * among them, so both the count and the ARR trigger fire. */
	used[0] = top_arr(w, 0, w->asof - 100);
	used[1] = top_arr(w, 1, w->asof - 100);
	for (k = 2; k < 5; k++)
		used[k] = plant_pick(g, M_ANY, used, k);
	for (k = 0; k < 5; k++)
		plant(g, w->asof - sso_days[k], used[k], "sso-saml", k < 2 ? SE_FRUSTRATED : SE_NEUTRAL);

	/* Weekly theme: 4 export timeouts in the last 5 days, ≥ $50K ARR. */
	used[0] = top_arr(w, 2, w->asof - 100);
	for (k = 1; k < 4; k++)
		used[k] = plant_pick(g, M_ANY, used, k);
	for (k = 0; k < 4; k++)
		plant(g, w->asof - 1 - k, used[k], "export-timeout", k ? SE_FRUSTRATED : SE_ANGRY);

	/* Documentation gap: 6 how-to tickets on scheduling reports. */
	for (k = 0; k < 6; k++) {
		used[k] = plant_pick(g, M_ANY, used, k);
		plant(g, w->asof - howto_days[k], used[k], "howto-schedule-report", SE_NEUTRAL);
	}

	/* Three troubled customers with 6 tickets each in the last 30 days. */
	for (b = 0; b < 3; b++) {
		used[b] = plant_pick(g, troubled, used, b);
		for (k = 0; k < 6; k++)
			plant(g, w->asof - burst_days[k], used[b], burst_themes[(b + k) % NELEM(burst_themes)],
			      k % 2 ? SE_ANGRY : SE_FRUSTRATED);
	}
	qsort(g->plant, (size_t)g->nplant, sizeof(g->plant[0]), plant_cmp);
}

/* A customer for a random ticket on `day`: alive, weighted by mood and size
 * so unhealthy and larger customers file more. */
static uint32_t ticket_customer(struct ticket_gen *g, int32_t *day)
{
	const struct world *w = g->w;
	uint32_t i, tries;

	for (tries = 0; tries < 2000; tries++) {
		const struct customer *c;
		int weight;

		i = rng_below(&g->r, w->ncust);
		c = &w->cust[i];
		if (*day < c->created || *day > c->end)
			continue;
		weight = TICKET_RATE[(c->flags & F_COHORT) ? ST_NEW : state_at(w, c, *day)] *
			 SEGMENTS[c->seg].ticket_mult;
		if ((int)rng_below(&g->r, TICKET_WMAX) < weight)
			return i;
	}
	/* Nobody alive that day (tiny or very young bases): move the ticket
	 * into the customer's lifetime rather than break the date rules. */
	i = rng_below(&g->r, w->ncust);
	*day = clampi(*day, w->cust[i].created, w->cust[i].end);
	return i;
}

static int write_tickets_and_csat(const struct world *w)
{
	/* Help desks are busiest in office hours (UTC, customers worldwide). */
	static const int hour_w[24] = {
		2, 1, 1, 1, 2, 3, 5, 8, 12, 14, 14, 13, 11, 12, 13, 13, 12, 10, 8, 6, 5, 4, 3, 2,
	};
	struct ticket_gen *g;
	int32_t first = w->asof - (TICKET_DAYS - 1), day;
	int64_t wsum = 0, cum = 0, done = 0, nrandom;
	int k, m, rc, pi = 0;
	unsigned hist[1440];

	g = calloc(1, sizeof(*g));
	if (!g) {
		fprintf(stderr, "casey-gen: out of memory\n");
		return -1;
	}
	g->w = w;
	rng_init(&g->r, w->seed, S_TICKETS, 0);
	if (out_open(&g->o, w->dir, "tickets.csv",
		     "ticket_id,customer_id,created_at,subject,description,category,tags,priority,"
		     "impact,status,resolved_at,sentiment,csat,feature") < 0) {
		free(g);
		return -1;
	}
	if (out_open(&g->csat.o, w->dir, "csat.csv",
		     "response_id,customer_id,date,score,context,ticket_id,comment") < 0) {
		out_discard(&g->o);
		free(g);
		return -1;
	}
	plan_tickets(g);
	nrandom = (int64_t)w->ntickets - g->nplant;

	/* Daily volume grows towards the as-of date; weekends are quiet. */
	for (day = first; day <= w->asof; day++)
		wsum += (weekday(day) % 6 ? 100 : 35) * (100 + (day - first));
	for (day = first; day <= w->asof; day++) {
		int64_t want, total, left, nplanted = 0;

		cum += (weekday(day) % 6 ? 100 : 35) * (100 + (day - first));
		want = nrandom * cum / wsum - done;
		done += want;
		while (pi + nplanted < g->nplant && g->plant[pi + nplanted].day == day)
			nplanted++;
		total = want + nplanted;

		/* Sorted times of day by counting, so ids follow created_at. */
		memset(hist, 0, sizeof(hist));
		for (k = 0; k < total; k++) {
			int hour = rng_weighted(&g->r, hour_w, 24);

			hist[hour * 60 + rng_range(&g->r, 0, 59)]++;
		}
		left = total;
		for (m = 0; m < 1440; m++) {
			for (; hist[m]; hist[m]--) {
				/* Planted tickets take random slots of the day. */
				if (nplanted && (int64_t)rng_below(&g->r, (uint32_t)left) < nplanted) {
					const struct planted *pl = &g->plant[pi++];

					emit_ticket(g, day, m, pl->cust, pl->theme, pl->se);
					nplanted--;
				} else {
					int32_t d = day;
					uint32_t ci = ticket_customer(g, &d);

					emit_ticket(g, d, m, ci, -1, SE_NONE);
				}
				left--;
			}
		}
	}
	rc = out_close(&g->o);
	write_csat_surveys(w, &g->csat);
	if (out_close(&g->csat.o) < 0)
		rc = -1;
	free(g);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */

static void usage(FILE *f)
{
	fputs("usage: casey-gen [--customers N] [--tickets N] [--as-of YYYY-MM-DD] [--seed S] -o DIR\n"
	      "\n"
	      "Writes the CSV exports of a fictional B2B SaaS company into DIR:\n"
	      "customers, usage, tickets, nps, csat, outreach, features,\n"
	      "feature_usage, onboarding, payments and plan_changes (.csv). The same\n"
	      "arguments always give byte-identical files.\n"
	      "\n"
	      "  --customers N     customers to generate (default 300)\n"
	      "  --tickets N       support tickets (default 8.3 per customer)\n"
	      "  --as-of DATE      the export date; nothing is dated later (default 2026-11-20)\n"
	      "  --seed S          random seed, an unsigned integer (default 20261120)\n"
	      "  -o, --output DIR  output directory, created if missing\n"
	      "  -h, --help        show this help\n", f);
}

static int parse_count(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!s || !*s || *s == '-' || *s == '+') {
		fprintf(stderr, "casey-gen: %s: '%s' is not a number\n", opt, s ? s : "");
		return -1;
	}
	v = strtoull(s, &end, 10);
	if (*end || errno) {
		fprintf(stderr, "casey-gen: %s: '%s' is not a number\n", opt, s);
		return -1;
	}
	if (v > max) {
		fprintf(stderr, "casey-gen: %s: %llu is too large (at most %llu)\n", opt, v,
			(unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

/* "--name VALUE" or "--name=VALUE"; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (strcmp(argv[*i], name))
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "casey-gen: %s needs a value\n", name);
		exit(1);
	}
	return argv[++*i];
}

int main(int argc, char **argv)
{
	struct world w = { 0 };
	uint64_t ncust = 300, ntickets = 0, seed = 20261120;
	int have_tickets = 0, i;
	const char *v;

	w.asof = days_from_civil(2026, 11, 20);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if ((v = opt_value(argc, argv, &i, "--customers"))) {
			if (parse_count("--customers", v, 10000000, &ncust) < 0)
				return 1;
		} else if ((v = opt_value(argc, argv, &i, "--tickets"))) {
			if (parse_count("--tickets", v, 100000000, &ntickets) < 0)
				return 1;
			have_tickets = 1;
		} else if ((v = opt_value(argc, argv, &i, "--seed"))) {
			if (parse_count("--seed", v, UINT64_MAX, &seed) < 0)
				return 1;
		} else if ((v = opt_value(argc, argv, &i, "--as-of"))) {
			if (parse_date(v, &w.asof) < 0) {
				fprintf(stderr, "casey-gen: --as-of: '%s' is not a date (YYYY-MM-DD)\n", v);
				return 1;
			}
		} else if ((v = opt_value(argc, argv, &i, "-o")) || (v = opt_value(argc, argv, &i, "--output"))) {
			w.dir = v;
		} else {
			fprintf(stderr, "casey-gen: unknown argument '%s' (try --help)\n", argv[i]);
			return 1;
		}
	}
	if (!w.dir || !*w.dir) {
		fprintf(stderr, "casey-gen: no output directory (-o DIR)\n");
		usage(stderr);
		return 1;
	}
	if (ncust < 1) {
		fprintf(stderr, "casey-gen: --customers must be at least 1\n");
		return 1;
	}
	w.seed = seed;
	w.ncust = (uint32_t)ncust;
	w.ntickets = have_tickets ? ntickets : ncust * 83 / 10;
	if (mkdir(w.dir, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "casey-gen: %s: %s\n", w.dir, strerror(errno));
		return 1;
	}

	if (build_customers(&w) < 0 || write_features(&w) < 0 || write_customers(&w) < 0 ||
	    write_usage(&w) < 0 || write_feature_usage(&w) < 0 || write_onboarding(&w) < 0 ||
	    write_nps(&w) < 0 || write_outreach(&w) < 0 || write_tickets_and_csat(&w) < 0 ||
	    write_payments(&w) < 0 || write_plan_changes(&w) < 0 || write_reviews(&w) < 0) {
		free(w.cust);
		return 1;
	}
	free(w.cust);
	return 0;
}
