/*
 * tickets_config.c — loading assets/tickets.ini; routing, the export and
 * tag maps, priority and SLAs. See tickets.h and the comments in the file.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "casey/assets.h"
#include "casey/ini.h"
#include "casey/kinds.h"
#include "casey/value.h"
#include "tickets_int.h"

/* Scalar settings that must each appear once. */
enum {
	K_ALPHA, K_MIN_TRAINING, K_SUBJECT_TERMS, K_INFER, K_INFER_POST, K_INFER_TICKETS,
	K_INFER_THEMES, K_FALLBACK, K_MISSING, K_CLOSED, K_UNANSWERED, K_STOP, N_KEYS
};

static const char *const key_where[N_KEYS] = {
	"[model] alpha", "[model] min_training", "[themes] subject_terms", "[themes] infer",
	"[themes] infer_min_posterior", "[themes] infer_min_tickets",
	"[themes] infer_max_themes", "[themes] fallback", "[priority] missing",
	"[status] closed", "[status] unanswered", "[text] stop_words",
};

struct load {
	struct cs_tickets_config *cfg;
	struct cs_ini *ini;
	int line;		/* the line of the key being read, then the last one */
	bool seen[N_KEYS];
	int owner_line[CAT_COUNT];
	bool cell_seen[N_LEVELS][N_LEVELS];
	bool sla_seen[N_PRIORITIES];
	int section_line;	/* first key of the section being read */
	char section[64];
};

#define fail(ld, ...) cs_ini_fail((ld)->ini, __VA_ARGS__)

static const char *skip_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

#define number cs_ini_number

static int whole(const char *s, long lo, long hi, long *out)
{
	double v;

	if (number(s, &v) || v != floor(v) || v < (double)lo || v > (double)hi)
		return -1;
	*out = (long)v;
	return 0;
}

int level_index(const char *s)
{
	static const char *const names[N_LEVELS] = { "low", "medium", "high" };
	int i;

	for (i = 0; s && i < N_LEVELS; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
}

/* "P0".."P4" -> 0..4, else -1. */
static int priority_index(const char *s)
{
	s = skip_blank(s);
	if ((s[0] == 'P' || s[0] == 'p') && s[1] >= '0' && s[1] < '0' + N_PRIORITIES &&
	    !*skip_blank(s + 2))
		return s[1] - '0';
	return -1;
}

/* "30m", "4h", "5d", "2 hours": seconds, or -1. */
static int64_t duration(const char *s)
{
	static const struct {
		const char *unit;
		int64_t seconds;
	} units[] = {
		{ "m", 60 }, { "min", 60 }, { "minute", 60 }, { "minutes", 60 },
		{ "h", 3600 }, { "hour", 3600 }, { "hours", 3600 },
		{ "d", 86400 }, { "day", 86400 }, { "days", 86400 },
	};
	char unit[16];
	char *end;
	double v;
	size_t i, n;

	s = skip_blank(s);
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || v <= 0 || v > 3650)
		return -1;
	end = (char *)skip_blank(end);
	for (n = 0; n + 1 < sizeof(unit) && isalpha((unsigned char)end[n]); n++)
		unit[n] = (char)tolower((unsigned char)end[n]);
	unit[n] = '\0';
	if (*skip_blank(end + n))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(unit, units[i].unit))
			return (int64_t)llround(v * (double)units[i].seconds);
	return -1;
}

/* Make room for element n of an array grown in powers of two from 16. */
static int grow(void **arr, int n, size_t size)
{
	void *p;

	if (n && (n < 16 || (n & (n - 1))))
		return 0;
	p = realloc(*arr, (size_t)(n ? 2 * n : 16) * size);
	if (!p)
		return -1;
	*arr = p;
	return 0;
}

/* "Bug Report" or "How-To Question | Integration Question" -> a mask. */
static int category_mask(struct load *ld, const char *value, unsigned *mask)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", value);
	*mask = 0;
	for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		int c = cs_category_find(tok);

		if (c < 0)
			return fail(ld, "'%s' is not one of the seven categories",
				    skip_blank(tok));
		*mask |= 1u << c;
	}
	if (!*mask)
		return fail(ld, "no category given");
	return 1;
}

static int map_entry(struct load *ld, struct catmap **map, int *n, const char *name,
		     const char *value)
{
	char key[64];
	unsigned mask;
	int i;

	cs_header_norm(name, key, sizeof(key));
	if (!key[0])
		return fail(ld, "'%s' has no letters or digits to match", name);
	if (!category_mask(ld, value, &mask))
		return 0;
	for (i = 0; i < *n; i++)
		if (!strcmp((*map)[i].key, key))
			return fail(ld, "'%s' is already mapped on line %d (write 'A | B' "
				    "for a value that may mean either)", name, (*map)[i].line);
	if (grow((void **)map, *n, sizeof(**map))) {
		return fail(ld, "out of memory");
	}
	snprintf((*map)[*n].key, sizeof((*map)[*n].key), "%s", key);
	(*map)[*n].mask = mask;
	(*map)[*n].line = ld->line;
	(*n)++;
	return 1;
}

static int add_rule(struct load *ld, const char *phrase, const char *value, bool subject_only)
{
	struct cs_tickets_config *cfg = ld->cfg;
	char buf[256], *comma;
	struct hvec v = { 0 };
	struct rule *r;
	double conf;
	int c, i;

	snprintf(buf, sizeof(buf), "%s", value);
	comma = strrchr(buf, ',');
	if (!comma)
		return fail(ld, "a rule is 'phrase = Category, confidence'");
	*comma = '\0';
	c = cs_category_find(buf);
	if (c < 0)
		return fail(ld, "'%s' is not one of the seven categories", skip_blank(buf));
	if (number(comma + 1, &conf) || conf <= 0 || conf > 1)
		return fail(ld, "the confidence of a rule is a number above 0, at most 1");
	if (hvec_raw(phrase, &v)) {
		return fail(ld, "out of memory");
	}
	if (!v.n) {
		hvec_free(&v);
		return fail(ld, "the phrase '%s' has no words", phrase);
	}
	for (i = 0; i < cfg->nrules; i++) {
		const struct rule *o = &cfg->rules[i];

		if (o->subject_only == subject_only && o->ntok == (int)v.n &&
		    !memcmp(o->tok, v.h, v.n * sizeof(v.h[0]))) {
			hvec_free(&v);
			return fail(ld, "the phrase '%s' already has a rule on line %d", phrase,
				    o->line);
		}
	}
	if (grow((void **)&cfg->rules, cfg->nrules, sizeof(*cfg->rules))) {
		hvec_free(&v);
		return fail(ld, "out of memory");
	}
	r = &cfg->rules[cfg->nrules++];
	r->tok = v.h;
	r->ntok = (int)v.n;
	r->subject_only = subject_only;
	r->category = c;
	r->confidence = conf;
	r->line = ld->line;
	r->next = -1;
	return 1;
}

/* "a, b, c" -> a list of lower-case words. */
static int word_list(struct load *ld, const char *value, char list[][24], int max, int *n)
{
	char buf[256], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", value);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (*n == max)
			return fail(ld, "more than %d statuses", max);
		if (strlen(tok) >= sizeof(list[0]))
			return fail(ld, "status '%s' is too long", tok);
		for (char *p = tok; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		snprintf(list[(*n)++], sizeof(list[0]), "%s", tok);
	}
	return 1;
}

static int once(struct load *ld, int key)
{
	if (ld->seen[key] && key != K_STOP)
		return fail(ld, "%s is set twice", key_where[key]);
	ld->seen[key] = true;
	return 1;
}

static int model_key(struct load *ld, const char *name, const char *value)
{
	struct cs_tickets_config *cfg = ld->cfg;

	if (!strcmp(name, "alpha")) {
		if (number(value, &cfg->alpha) || cfg->alpha <= 0 || cfg->alpha > 100)
			return fail(ld, "alpha is a number above 0 (1 is Laplace smoothing)");
		return once(ld, K_ALPHA);
	}
	if (!strcmp(name, "min_training")) {
		if (whole(value, 1, 1000000000L, &cfg->min_training))
			return fail(ld, "min_training is a whole number of tickets, at least 1");
		return once(ld, K_MIN_TRAINING);
	}
	return fail(ld, "unknown setting '%s' in [model]", name);
}

static int themes_key(struct load *ld, const char *name, const char *value)
{
	struct cs_tickets_config *cfg = ld->cfg;
	long v;

	if (!strcmp(name, "subject_terms")) {
		if (whole(value, 1, 8, &v))
			return fail(ld, "subject_terms is a whole number from 1 to 8");
		cfg->subject_terms = (int)v;
		return once(ld, K_SUBJECT_TERMS);
	}
	if (!strcmp(name, "infer")) {
		const char *why;
		int b;

		if (cs_parse_bool(skip_blank(value), &b, &why))
			return fail(ld, "infer is yes or no");
		cfg->infer = b;
		return once(ld, K_INFER);
	}
	if (!strcmp(name, "infer_min_posterior")) {
		if (number(value, &cfg->infer_min_posterior) || cfg->infer_min_posterior < 0 ||
		    cfg->infer_min_posterior > 1)
			return fail(ld, "infer_min_posterior is a probability from 0 to 1");
		return once(ld, K_INFER_POST);
	}
	if (!strcmp(name, "infer_min_tickets")) {
		if (whole(value, 1, 1000000000L, &cfg->infer_min_tickets))
			return fail(ld, "infer_min_tickets is a whole number, at least 1");
		return once(ld, K_INFER_TICKETS);
	}
	if (!strcmp(name, "infer_max_themes")) {
		if (whole(value, 1, 100000, &v))
			return fail(ld, "infer_max_themes is a whole number from 1 to 100000");
		cfg->infer_max_themes = (int)v;
		return once(ld, K_INFER_THEMES);
	}
	if (!strcmp(name, "fallback")) {
		value = skip_blank(value);
		if (!*value || strlen(value) >= sizeof(cfg->fallback))
			return fail(ld, "fallback is a short non-empty theme name");
		snprintf(cfg->fallback, sizeof(cfg->fallback), "%s", value);
		return once(ld, K_FALLBACK);
	}
	return fail(ld, "unknown setting '%s' in [themes]", name);
}

static int priority_key(struct load *ld, const char *name, const char *value)
{
	struct cs_tickets_config *cfg = ld->cfg;
	char buf[64], *slash;
	int u, i, p;

	if (!strcmp(name, "missing")) {
		cfg->missing_level = level_index(skip_blank(value));
		if (cfg->missing_level < 0)
			return fail(ld, "missing is low, medium or high");
		return once(ld, K_MISSING);
	}
	snprintf(buf, sizeof(buf), "%s", name);
	slash = strchr(buf, '/');
	if (!slash)
		return fail(ld, "a matrix cell is 'URGENCY/IMPACT = Pn', not '%s'", name);
	*slash = '\0';
	for (char *e = buf + strlen(buf); e > buf && isspace((unsigned char)e[-1]); )
		*--e = '\0';
	u = level_index(buf);
	i = level_index(skip_blank(slash + 1));
	if (u < 0 || i < 0)
		return fail(ld, "urgency and impact are low, medium or high, not '%s'", name);
	p = priority_index(value);
	if (p < 0)
		return fail(ld, "priority '%s' is not P0..P4", value);
	if (ld->cell_seen[u][i])
		return fail(ld, "the cell %s is set twice", name);
	ld->cell_seen[u][i] = true;
	cfg->matrix[u][i] = p;
	return 1;
}

static int sla_key(struct load *ld, const char *name, const char *value)
{
	struct cs_tickets_config *cfg = ld->cfg;
	int p = priority_index(name);
	char buf[64], *comma;
	int64_t resp, res;

	if (p < 0)
		return fail(ld, "an SLA is for a priority P0..P4, not '%s'", name);
	snprintf(buf, sizeof(buf), "%s", value);
	comma = strchr(buf, ',');
	if (!comma)
		return fail(ld, "an SLA is 'Pn = RESPONSE, RESOLUTION' (like 1h, 4h)");
	*comma = '\0';
	resp = duration(buf);
	res = duration(comma + 1);
	if (resp < 0 || res < 0)
		return fail(ld, "'%s' is not two durations like 1h, 4h (m, h or d)", value);
	if (res < resp)
		return fail(ld, "the resolution SLA of %s is shorter than its response SLA", name);
	if (ld->sla_seen[p])
		return fail(ld, "the SLA of %s is set twice", name);
	ld->sla_seen[p] = true;
	cfg->response_s[p] = resp;
	cfg->resolution_s[p] = res;
	return 1;
}

static int stop_words(struct load *ld, const char *value)
{
	const char *p = value;
	char tok[TOKEN_MAX + 1];
	size_t n;

	while ((n = tok_next(&p, tok)))
		if (hset_add(&ld->cfg->stop, tok_hash(tok, n))) {
			return fail(ld, "out of memory");
		}
	return once(ld, K_STOP);
}

static int handler(struct cs_ini *ini, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = ini->user;
	struct cs_tickets_config *cfg = ld->cfg;

	ld->ini = ini;
	ld->line = ini->line;
	if (strcmp(section, ld->section)) {
		snprintf(ld->section, sizeof(ld->section), "%s", section);
		ld->section_line = ld->line;
	}
	if (!strcmp(section, "routing")) {
		int c = cs_category_find(name);

		if (c < 0)
			return fail(ld, "'%s' is not one of the seven categories", name);
		if (ld->owner_line[c])
			return fail(ld, "'%s' already has an owner on line %d",
				    cs_category_names[c], ld->owner_line[c]);
		value = skip_blank(value);
		if (!*value || strlen(value) >= sizeof(cfg->owner[c]))
			return fail(ld, "the owner of '%s' must be a short non-empty name",
				    cs_category_names[c]);
		snprintf(cfg->owner[c], sizeof(cfg->owner[c]), "%s", value);
		ld->owner_line[c] = ld->line;
		return 1;
	}
	if (!strcmp(section, "export"))
		return map_entry(ld, &cfg->exports, &cfg->nexports, name, value);
	if (!strcmp(section, "tags"))
		return map_entry(ld, &cfg->tags, &cfg->ntags, name, value);
	if (!strcmp(section, "rules.subject"))
		return add_rule(ld, name, value, true);
	if (!strcmp(section, "rules.text"))
		return add_rule(ld, name, value, false);
	if (!strcmp(section, "model"))
		return model_key(ld, name, value);
	if (!strcmp(section, "themes"))
		return themes_key(ld, name, value);
	if (!strcmp(section, "text")) {
		if (strcmp(name, "stop_words"))
			return fail(ld, "unknown setting '%s' in [text]", name);
		return stop_words(ld, value);
	}
	if (!strcmp(section, "priority"))
		return priority_key(ld, name, value);
	if (!strcmp(section, "sla"))
		return sla_key(ld, name, value);
	if (!strcmp(section, "status")) {
		if (!strcmp(name, "closed"))
			return word_list(ld, value, cfg->closed, 8, &cfg->nclosed) &&
			       once(ld, K_CLOSED);
		if (!strcmp(name, "unanswered"))
			return word_list(ld, value, cfg->unanswered, 8, &cfg->nunanswered) &&
			       once(ld, K_UNANSWERED);
		return fail(ld, "unknown setting '%s' in [status]", name);
	}
	return fail(ld, "unknown section [%s]", section);
}

/* Index the rules by their first token. */
static int index_rules(struct cs_tickets_config *cfg)
{
	size_t cap = 16, i;

	while (cap < 2 * (size_t)cfg->nrules)
		cap *= 2;
	cfg->rule_key = calloc(cap, sizeof(*cfg->rule_key));
	cfg->rule_head = malloc(cap * sizeof(*cfg->rule_head));
	if (!cfg->rule_key || !cfg->rule_head)
		return -1;
	cfg->rule_cap = cap;
	for (i = 0; i < cap; i++)
		cfg->rule_head[i] = -1;
	/* Backwards, so each chain lists its rules in file order. */
	for (int r = cfg->nrules - 1; r >= 0; r--) {
		uint64_t k = cfg->rules[r].tok[0] | 1;	/* never 0 (empty) */

		for (i = hslot(k, cap); cfg->rule_key[i] && cfg->rule_key[i] != k;
		     i = (i + 1) & (cap - 1))
			;
		cfg->rule_key[i] = k;
		cfg->rules[r].next = cfg->rule_head[i];
		cfg->rule_head[i] = r;
	}
	return 0;
}

/* Everything that must be in the file, once it has been read. */
static int validate(struct load *ld, struct cs_diag *diag)
{
	struct cs_tickets_config *cfg = ld->cfg;
	int c, u, i, k;

	for (c = 0; c < CAT_COUNT; c++)
		if (!ld->owner_line[c])
			return cs_error(diag, "%s:%d: [routing] has no owner for '%s'", cfg->path,
					ld->line, cs_category_names[c]);
	for (u = 0; u < N_LEVELS; u++)
		for (i = 0; i < N_LEVELS; i++)
			if (!ld->cell_seen[u][i]) {
				static const char *const lv[N_LEVELS] = { "low", "medium", "high" };

				return cs_error(diag, "%s:%d: [priority] has no cell %s/%s "
						"(urgency/impact)", cfg->path, ld->line, lv[u],
						lv[i]);
			}
	for (i = 0; i < N_PRIORITIES; i++)
		if (!ld->sla_seen[i])
			return cs_error(diag, "%s:%d: [sla] has no P%d", cfg->path, ld->line, i);
	for (k = 0; k < N_KEYS; k++)
		if (!ld->seen[k])
			return cs_error(diag, "%s:%d: %s is missing", cfg->path, ld->line,
					key_where[k]);
	return 0;
}

int cs_tickets_config_load(const char *name, struct cs_tickets_config **out,
			   struct cs_diag *diag)
{
	struct cs_tickets_config *cfg;
	struct load ld = { 0 };

	*out = NULL;
	cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return cs_error(diag, "out of memory loading tickets.ini");
	ld.cfg = cfg;
	if (name && strchr(name, '/')) {
		snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	} else if (cs_asset_find(name ? name : "tickets.ini", cfg->path, sizeof(cfg->path))) {
		cs_error(diag, "no %s in the assets directories", name ? name : "tickets.ini");
		goto fail;
	}
	if (cs_asset_check_safe(cfg->path, diag))
		goto fail;
	if (cs_ini_parse(cfg->path, handler, &ld, diag))
		goto fail;
	if (validate(&ld, diag))
		goto fail;
	if (index_rules(cfg)) {
		cs_error(diag, "%s: out of memory", cfg->path);
		goto fail;
	}
	*out = cfg;
	return 0;
fail:
	cs_tickets_config_free(cfg);
	return -1;
}

void cs_tickets_config_free(struct cs_tickets_config *cfg)
{
	int i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nrules; i++)
		free(cfg->rules[i].tok);
	free(cfg->rules);
	free(cfg->rule_key);
	free(cfg->rule_head);
	free(cfg->exports);
	free(cfg->tags);
	hset_free(&cfg->stop);
	free(cfg);
}

const char *cs_tickets_config_path(const struct cs_tickets_config *cfg)
{
	return cfg->path;
}

const char *cs_routing_owner(const struct cs_tickets_config *cfg, int category)
{
	return category >= 0 && category < CAT_COUNT ? cfg->owner[category] : "";
}

/* The categories a normalised word maps to in map, or 0. */
static unsigned map_lookup(const struct catmap *map, int n, const char *norm)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(map[i].key, norm))
			return map[i].mask;
	return 0;
}

static int single(unsigned mask)
{
	int c;

	if (!mask || (mask & (mask - 1)))
		return -1;
	for (c = 0; !(mask & (1u << c)); c++)
		;
	return c;
}

bool export_value_known(const struct cs_tickets_config *cfg, const char *value)
{
	char norm[64];

	cs_header_norm(value, norm, sizeof(norm));
	return map_lookup(cfg->exports, cfg->nexports, norm) || cs_category_find(value) >= 0;
}

int cs_export_category(const struct cs_tickets_config *cfg, const char *export_category,
		       const char *tags)
{
	unsigned e = 0, t = 0;
	char norm[64];

	if (export_category && *export_category) {
		int c;

		cs_header_norm(export_category, norm, sizeof(norm));
		e = map_lookup(cfg->exports, cfg->nexports, norm);
		/* The seven names and their short forms need no line in the file. */
		if (!e && (c = cs_category_find(export_category)) >= 0)
			e = 1u << c;
		if (single(e) >= 0)
			return single(e);
	}
	if (tags && *tags) {
		const char *p = tags;

		while (*p) {
			char tag[64];
			size_t n = strcspn(p, " \t,;|");

			if (n && n < sizeof(tag)) {
				memcpy(tag, p, n);
				tag[n] = '\0';
				cs_header_norm(tag, norm, sizeof(norm));
				if (norm[0])
					t |= map_lookup(cfg->tags, cfg->ntags, norm);
			}
			p += n;
			p += strspn(p, " \t,;|");
		}
	}
	return single(e ? e & t : t);
}

void cs_ticket_priority(const struct cs_tickets_config *cfg, const char *urgency,
			const char *impact, struct cs_priority *out)
{
	int u = level_index(urgency), i = level_index(impact);

	if (u < 0)
		u = cfg->missing_level;
	if (i < 0)
		i = cfg->missing_level;
	out->level = cfg->matrix[u][i];
	out->response_s = cfg->response_s[out->level];
	out->resolution_s = cfg->resolution_s[out->level];
}

static bool in_list(const char list[][24], int n, const char *s)
{
	int i;

	for (i = 0; s && i < n; i++)
		if (!strcasecmp(list[i], s))
			return true;
	return false;
}

/* Seconds since the epoch of a stored ISO text; false if it does not parse. */
static bool epoch_of(const char *s, int64_t *out)
{
	struct cs_time t;
	const char *why;

	if (!s || !*s || cs_parse_time(s, NULL, &t, &why))
		return false;
	*out = t.epoch;
	return true;
}

void cs_ticket_sla(const struct cs_tickets_config *cfg, const struct cs_priority *p,
		   const char *status, const char *created_at, const char *resolved_at,
		   int64_t now, struct cs_sla *out)
{
	int64_t created, resolved;

	memset(out, 0, sizeof(*out));
	if (!epoch_of(created_at, &created))
		return;
	if (epoch_of(resolved_at, &resolved) && resolved <= now) {
		out->resolution_breach = resolved - created > p->resolution_s;
		return;
	}
	if (!resolved_at && in_list(cfg->closed, cfg->nclosed, status))
		return;	/* closed, but when is not known */
	out->open = true;
	out->resolution_breach = now - created > p->resolution_s;
	out->response_breach = in_list(cfg->unanswered, cfg->nunanswered, status) &&
			       now - created > p->response_s;
}
