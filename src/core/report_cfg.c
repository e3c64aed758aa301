/*
 * report_cfg.c — loading report.ini and casey.ini, and the environment
 * every report, document and draft reads. See report.h.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "casey/assets.h"
#include "casey/report.h"

struct load {
	FILE *f;
	int line;
	char msg[300];
	int msg_line;
	void *cfg;
	unsigned seen;		/* bit per required key */
};

static char *reader(char *buf, int size, void *stream)
{
	struct load *ld = stream;
	char *s = fgets(buf, size, ld->f);

	if (s)
		ld->line++;
	return s;
}

__attribute__((format(printf, 2, 3)))
static int fail(struct load *ld, const char *fmt, ...)
{
	va_list ap;

	if (ld->msg[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(ld->msg, sizeof(ld->msg), fmt, ap);
	va_end(ap);
	ld->msg_line = ld->line;
	return 0;
}

static int number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return end == s || *end || !isfinite(*out) || *out < 0 ? -1 : 0;
}

static int whole(const char *s, int *out)
{
	double v;

	if (number(s, &v) || v != floor(v) || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

/* Append value to a text table's key, a continuation joined with one space; "\n" breaks. */
static int add_text(struct load *ld, struct cs_report_text *t, int *n, const char *key,
		    const char *value)
{
	struct cs_report_text *e = NULL;
	size_t len;
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(t[i].key, key))
			e = &t[i];
	if (!e) {
		if (*n == CS_REPORT_TEXTS)
			return fail(ld, "too many texts in one section (at most %d)",
				    CS_REPORT_TEXTS);
		e = &t[(*n)++];
		snprintf(e->key, sizeof(e->key), "%s", key);
		e->text[0] = '\0';
	}
	len = strlen(e->text);
	if (len && len + 1 < sizeof(e->text))
		e->text[len++] = ' ';
	for (; *value && len + 1 < sizeof(e->text); value++) {
		if (value[0] == '\\' && value[1] == 'n') {
			/* a break replaces the joining blank before it */
			if (len && e->text[len - 1] == ' ')
				len--;
			e->text[len++] = '\n';
			value++;
			continue;
		}
		e->text[len++] = *value;
	}
	e->text[len] = '\0';
	if (*value)
		return fail(ld, "'%s' is longer than %d bytes", key, CS_REPORT_TEXT - 1);
	return 1;
}

const char *cs_report_text(const struct cs_report_text *t, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			return t[i].text;
	return NULL;
}

/* ---- report.ini ----------------------------------------------------------- */

static const char *const weekdays[7] = {
	"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
};

/* The numeric keys: section, name, where, whole number or not. */
static const struct {
	const char *section, *name;
	size_t off;
	bool integer;
} nkeys[] = {
#define K(s, n, f, i) { s, n, offsetof(struct cs_report_cfg, f), i }
	K("report", "themes_summary", themes_summary, true),
	K("report", "themes_analysis", themes_analysis, true),
	K("report", "customers", customers, true),
	K("report", "escalations", escalations, true),
	K("report", "insights", insights, true),
	K("report", "quote_max", quote_max, true),
	K("kpi", "average_health_above", kpi_health, false),
	K("kpi", "churn_risk_below_pct", kpi_churn_pct, false),
	K("kpi", "tickets_per_customer_month_below", kpi_tickets_month, false),
	K("kpi", "nps_above", kpi_nps, false),
	K("kpi", "adoption_above_pct", kpi_adoption_pct, false),
	K("kpi", "red_alert_response_hours", kpi_red_hours, true),
	K("rice", "massive_arr", rice_massive_arr, false),
	K("rice", "high_arr", rice_high_arr, false),
	K("rice", "medium_arr", rice_medium_arr, false),
	K("rice", "high_tickets", rice_high_tickets, true),
	K("rice", "medium_tickets", rice_medium_tickets, true),
	K("bug_priority", "raise_customers", bug_raise_customers, true),
	K("bug_priority", "raise_arr", bug_raise_arr, false),
#undef K
};
#define NKEYS (sizeof(nkeys) / sizeof(nkeys[0]))
#define SEEN_WEEKDAY (1u << NKEYS)

static const char *const retention_keys[] = {
	"cancel_requested", "downgrade_requested", "usage_drop", "executive_escalation",
	"red", "default", NULL,
};

static bool listed(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static int report_handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	struct cs_report_cfg *c = ld->cfg;
	double v;
	size_t i;
	int k;

	if (!strcmp(section, "arr_tiers") || !strcmp(section, "tenure")) {
		bool tier = section[0] == 'a';
		int *n = tier ? &c->ntiers : &c->ntenure;

		if (*n == CS_REPORT_TIERS)
			return fail(ld, "[%s] has at most %d entries", section, CS_REPORT_TIERS);
		if (number(value, &v) || (!tier && (v != floor(v) || v > INT_MAX)))
			return fail(ld, "[%s] %s must be a %snon-negative number, not '%s'", section,
				    name, tier ? "" : "whole ", value);
		if (tier) {
			snprintf(c->tiers[*n].name, sizeof(c->tiers[0].name), "%s", name);
			c->tiers[*n].floor = v;
		} else {
			snprintf(c->tenure[*n].name, sizeof(c->tenure[0].name), "%s", name);
			c->tenure[*n].days = (int)v;
		}
		for (k = 0; k < *n; k++)
			if (tier ? c->tiers[k].floor <= v : c->tenure[k].days <= (int)v)
				return fail(ld, "[%s] lists the highest first: %s is not below the "
					    "one before", section, name);
		(*n)++;
		return 1;
	}
	if (!strcmp(section, "recommend")) {
		int cat = cs_category_find(name);

		if (strcmp(name, "default") && cat < 0)
			return fail(ld, "[recommend] '%s' is not a ticket category", name);
		return add_text(ld, c->recommend, &c->nrecommend,
				cat < 0 ? "default" : cs_category_names[cat], value);
	}
	if (!strcmp(section, "retention")) {
		if (!listed(retention_keys, name))
			return fail(ld, "[retention] '%s' is not a churn signal (cancel_requested, "
				    "downgrade_requested, usage_drop, executive_escalation, red, "
				    "default)", name);
		return add_text(ld, c->retention, &c->nretention, name, value);
	}
	if (!strcmp(section, "checkin"))
		return add_text(ld, c->checkin, &c->ncheckin, name, value);
	if (!strcmp(section, "announce"))
		return add_text(ld, c->announce, &c->nannounce, name, value);
	if (!strcmp(section, "report") && !strcmp(name, "due_weekday")) {
		for (k = 0; k < 7 && strcasecmp(value, weekdays[k]); k++)
			;
		if (k == 7)
			return fail(ld, "due_weekday is a day of the week, not '%s'", value);
		c->due_weekday = k;
		ld->seen |= SEEN_WEEKDAY;
		return 1;
	}
	for (i = 0; i < NKEYS; i++) {
		if (strcmp(section, nkeys[i].section) || strcmp(name, nkeys[i].name))
			continue;
		if (number(value, &v) || (nkeys[i].integer && (v != floor(v) || v > INT_MAX)))
			return fail(ld, "%s must be a %snon-negative number, not '%s'", name,
				    nkeys[i].integer ? "whole " : "", value);
		if (nkeys[i].integer)
			*(int *)((char *)c + nkeys[i].off) = (int)v;
		else
			*(double *)((char *)c + nkeys[i].off) = v;
		ld->seen |= 1u << i;
		return 1;
	}
	return fail(ld, "unknown setting '%s' in [%s]", name, section);
}

/* Open an asset (or a path) and parse it; FILE:LINE on any problem. */
static int parse(const char *name, char *path, size_t size, ini_handler h, struct load *ld,
		 struct cs_diag *diag)
{
	int rc;

	if (strchr(name, '/'))
		snprintf(path, size, "%s", name);
	else if (cs_asset_find(name, path, size))
		return cs_error(diag, "no '%s' in the assets directories", name);
	if (cs_asset_check_safe(path, diag))
		return -1;
	ld->f = fopen(path, "r");
	if (!ld->f)
		return cs_error(diag, "%s: cannot read it", path);
	rc = ini_parse_stream(reader, ld, h, ld);
	fclose(ld->f);
	if (rc || ld->msg[0])
		return cs_error(diag, "%s:%d: %s", path, ld->msg[0] ? ld->msg_line : rc,
				ld->msg[0] ? ld->msg : "syntax error");
	return 0;
}

static int report_cfg_load(const char *name, struct cs_report_cfg *c, struct cs_diag *diag)
{
	static const char *const texts[] = {
		"subject", "greeting", "opening", "closing", "signature", "default", NULL,
	};
	struct load ld = { .cfg = c };
	size_t i;

	memset(c, 0, sizeof(*c));
	if (parse(name, c->path, sizeof(c->path), report_handler, &ld, diag))
		return -1;
	for (i = 0; i < NKEYS; i++)
		if (!(ld.seen & (1u << i)))
			return cs_error(diag, "%s: [%s] %s is missing", c->path, nkeys[i].section,
					nkeys[i].name);
	if (!(ld.seen & SEEN_WEEKDAY))
		return cs_error(diag, "%s: [report] due_weekday is missing", c->path);
	if (!c->ntiers || !c->ntenure)
		return cs_error(diag, "%s: [%s] is empty", c->path,
				c->ntiers ? "tenure" : "arr_tiers");
	if (c->themes_summary < 1 || c->themes_analysis < c->themes_summary ||
	    c->themes_analysis > CS_REPORT_MAX_THEMES)
		return cs_error(diag, "%s: [report] needs 1 <= themes_summary <= themes_analysis "
				"<= %d", c->path, CS_REPORT_MAX_THEMES);
	if (c->customers < 1 || c->customers > CS_REPORT_MAX_ROWS || c->escalations < 1 ||
	    c->escalations > CS_REPORT_MAX_ROWS || c->insights < 1 ||
	    c->insights > CS_REPORT_MAX_INSIGHTS || c->quote_max < 40)
		return cs_error(diag, "%s: [report] needs customers and escalations 1..%d, "
				"insights 1..%d and quote_max of at least 40", c->path,
				CS_REPORT_MAX_ROWS, CS_REPORT_MAX_INSIGHTS);
	for (i = 0; texts[i]; i++)
		if (!cs_report_text(c->checkin, c->ncheckin, texts[i]))
			return cs_error(diag, "%s: [checkin] %s is missing", c->path, texts[i]);
	if (!cs_report_text(c->announce, c->nannounce, "default") ||
	    !cs_report_text(c->announce, c->nannounce, "subject") ||
	    !cs_report_text(c->announce, c->nannounce, "requested"))
		return cs_error(diag, "%s: [announce] needs subject, default and requested",
				c->path);
	if (!cs_report_text(c->recommend, c->nrecommend, "default") ||
	    !cs_report_text(c->retention, c->nretention, "default"))
		return cs_error(diag, "%s: [recommend] and [retention] need a default", c->path);
	return 0;
}

/* ---- casey.ini ------------------------------------------------------------ */

enum { SEEN_COMMAND = 1, SEEN_ARGS = 2, SEEN_KINDS = 4, SEEN_RETENTION = 8, SEEN_MIN = 16 };

static int casey_handler(void *user, const char *section, const char *name, const char *value)
{
	struct load *ld = user;
	struct cs_casey_cfg *c = ld->cfg;
	const char *p;
	int k;

	if (!strcmp(section, "intake") && !strcmp(name, "command")) {
		if (strlen(value) >= sizeof(c->command))
			return fail(ld, "the intake command is too long");
		snprintf(c->command, sizeof(c->command), "%s", value);
		ld->seen |= SEEN_COMMAND;
		return 1;
	}
	if (!strcmp(section, "intake") && !strcmp(name, "args")) {
		c->nargs = 0;
		for (p = value; *p;) {
			size_t n;

			p += strspn(p, " \t");
			n = strcspn(p, " \t");
			if (!n)
				break;
			if (c->nargs == CS_INTAKE_ARGS || n >= sizeof(c->args[0]))
				return fail(ld, "args: at most %d arguments of %zu bytes",
					    CS_INTAKE_ARGS, sizeof(c->args[0]) - 1);
			snprintf(c->args[c->nargs++], sizeof(c->args[0]), "%.*s", (int)n, p);
			p += n;
		}
		ld->seen |= SEEN_ARGS;
		return 1;
	}
	if (!strcmp(section, "intake") && !strcmp(name, "kinds")) {
		memset(c->intake_kind, 0, sizeof(c->intake_kind));
		for (p = value; *p;) {
			size_t n;

			p += strspn(p, " \t,");
			n = strcspn(p, " \t,");
			if (!n)
				break;
			for (k = 0; k < A_KIND_COUNT; k++)
				if (strlen(cs_action_names[k]) == n &&
				    !strncmp(cs_action_names[k], p, n))
					break;
			if (k == A_KIND_COUNT)
				return fail(ld, "kinds: '%.*s' is not an action kind", (int)n, p);
			c->intake_kind[k] = true;
			p += n;
		}
		ld->seen |= SEEN_KINDS;
		return 1;
	}
	if (!strcmp(section, "privacy") && (!strcmp(name, "retention_days") ||
					    !strcmp(name, "min_retention_days"))) {
		bool min = name[0] == 'm';

		if (whole(value, min ? &c->min_retention_days : &c->retention_days) ||
		    (!min && c->retention_days < 1))
			return fail(ld, "%s must be a whole number of days, not '%s'", name, value);
		ld->seen |= min ? SEEN_MIN : SEEN_RETENTION;
		return 1;
	}
	return fail(ld, "unknown setting '%s' in [%s]", name, section);
}

static int casey_cfg_load(const char *name, struct cs_casey_cfg *c, struct cs_diag *diag)
{
	static const char *const missing[] = {
		"[intake] command", "[intake] args", "[intake] kinds", "[privacy] retention_days",
		"[privacy] min_retention_days",
	};
	struct load ld = { .cfg = c };

	memset(c, 0, sizeof(*c));
	if (parse(name, c->path, sizeof(c->path), casey_handler, &ld, diag))
		return -1;
	for (int i = 0; i < 5; i++)
		if (!(ld.seen & (1u << i)))
			return cs_error(diag, "%s: %s is missing", c->path, missing[i]);
	return 0;
}

/* ---- the environment ------------------------------------------------------ */

struct cs_report_env *cs_report_env_load(const char *profile, struct cs_diag *diag)
{
	struct cs_report_env *env = calloc(1, sizeof(*env));

	if (!env) {
		cs_error(diag, "out of memory");
		return NULL;
	}
	snprintf(env->profile, sizeof(env->profile), "%s", profile);
	if (cs_profile_load(profile, &env->prof, diag) ||
	    report_cfg_load("report.ini", &env->cfg, diag) ||
	    casey_cfg_load("casey.ini", &env->casey, diag) ||
	    cs_rules_load("rules", &env->rules, diag) ||
	    cs_analytics_config_load(NULL, &env->analytics, diag) ||
	    cs_tickets_config_load(NULL, &env->tickets, diag) ||
	    cs_tiers_load(NULL, &env->tiers, diag)) {
		cs_report_env_free(env);
		return NULL;
	}
	return env;
}

void cs_report_describe(const struct cs_report_env *env, const char *comp, const char *measure,
			bool present, double raw, char *buf, size_t size)
{
	const struct cs_profile *p = &env->prof;
	int metric = -1;

	for (int i = 0; i < p->nmeasures; i++)
		if (!strcmp(p->measures[i].name, measure) &&
		    !strcmp(p->comps[p->measures[i].component].name, comp))
			metric = (int)p->measures[i].metric;
	if (!present) {
		snprintf(buf, size, "missing");
		return;
	}
	switch (metric) {
	case M_ACTIVE_DAYS_30D:
		snprintf(buf, size, "%.0f login day%s in 30", raw, raw == 1 ? "" : "s");
		break;
	case M_FEATURE_BREADTH:
		snprintf(buf, size, "%.0f%% of paid features used", 100 * raw);
		break;
	case M_CORE_ACTIONS_30D:
		snprintf(buf, size, "%.0f core actions in 30 days", raw);
		break;
	case M_SEAT_UTILISATION:
		snprintf(buf, size, "%.0f%% of seats active", 100 * raw);
		break;
	case M_NPS_LATEST:
		snprintf(buf, size, "latest NPS answer %.0f (%s)", raw,
			 raw >= 9 ? "promoter" : raw >= 7 ? "passive" : "detractor");
		break;
	case M_CSAT_AVG_90D:
		snprintf(buf, size, "CSAT %.1f of 5", raw);
		break;
	case M_TICKET_SENTIMENT:
		snprintf(buf, size, "ticket sentiment %.0f of 100", raw);
		break;
	case M_OUTREACH_RESPONSE:
		snprintf(buf, size, "%.0f%% of outreach answered", 100 * raw);
		break;
	case M_DAYS_SINCE_CONTACT:
		snprintf(buf, size, "%.0f days since the last contact", raw);
		break;
	case M_TICKETS_30D:
		snprintf(buf, size, "%.0f ticket%s in 30 days", raw, raw == 1 ? "" : "s");
		break;
	case M_GROWTH:
		snprintf(buf, size, "%s", raw < 0 ? "contracting" : raw > 0 ? "expanding" : "stable");
		break;
	case M_USAGE_CHANGE_30D:
		snprintf(buf, size, "usage %+.0f%% against 30 days ago", 100 * raw);
		break;
	case M_TENURE_DAYS:
		snprintf(buf, size, "a customer for %.0f days", raw);
		break;
	case M_ERRORS_30D:
		snprintf(buf, size, "%.0f errors in 30 days", raw);
		break;
	case M_SESSION_MINUTES:
		snprintf(buf, size, "%.0f-minute sessions on average", raw);
		break;
	default:
		snprintf(buf, size, "%g", raw);
	}
}

void cs_report_env_free(struct cs_report_env *env)
{
	if (!env)
		return;
	cs_tickets_config_free(env->tickets);
	free(env);
}
