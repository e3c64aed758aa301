/*
 * fuzz_ini.c — libFuzzer harness for the INI parsers: mapping profiles,
 * health profiles and the rules file.
 *
 * Each input is written to one temporary file and loaded by all of them
 * (cs_mapping_load, cs_profile_load, cs_rules_load, cs_signals_config_load,
 * cs_tiers_load, cs_renewals_load), as `casey import --map FILE`, `casey
 * score --profile FILE`, the rules, churn risk, tiers and renewals would
 * load it.
 * A profile that loads is then used to score a few customers, and rules
 * that load are run on one of them, so what a file can say is also what
 * the code that reads the parsed values can take.
 *
 * Besides the sanitizers, it aborts when a loader breaks a promise: every
 * error names the file ("FILE:LINE: problem" or "FILE: problem") and a
 * line the file has; a loaded profile scores 0..100 with a coverage of
 * 0..100 %.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casey/diag.h"
#include "casey/mapping.h"
#include "casey/metrics.h"
#include "casey/profile.h"
#include "casey/renewals.h"
#include "casey/rules.h"
#include "casey/signals.h"
#include "casey/tiers.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[256];
static struct cs_profile *profile, *base_profile;
static struct cs_rules *rules;
static struct cs_mapping *mapping;
static struct cs_signals_config *signals;
static struct cs_tiers *tiers;
static struct cs_renewals *renewals;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_ini: %s\n", what);
	abort();
}

static long nlines;		/* lines in the current input */

static void check_emit(void *ctx, enum cs_level level, const char *msg)
{
	size_t n = strlen(path);
	char *end;
	long line;

	(void)ctx;
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "[%d] %s\n", level, msg);
	if (strncmp(msg, path, n) || msg[n] != ':') {
		fprintf(stderr, "message does not name the file: %s\n", msg);
		die("a message without the file name");
	}
	/* FILE:LINE: must name a line the file has. */
	line = strtol(msg + n + 1, &end, 10);
	if (end != msg + n + 1 && *end == ':' && (line < 1 || line > nlines)) {
		fprintf(stderr, "line %ld of a %ld-line file: %s\n", line, nlines, msg);
		die("an error names a line the file does not have");
	}
}

static void remove_file(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/casey-fuzz-ini-%ld.ini",
		 tmp && *tmp ? tmp : "/tmp", (long)getpid());
	atexit(remove_file);
	profile = malloc(sizeof(*profile));
	base_profile = malloc(sizeof(*base_profile));
	rules = malloc(sizeof(*rules));
	mapping = malloc(sizeof(*mapping));
	signals = malloc(sizeof(*signals));
	tiers = malloc(sizeof(*tiers));
	renewals = malloc(sizeof(*renewals));
	if (!profile || !base_profile || !rules || !mapping || !signals || !tiers || !renewals)
		die("out of memory");
	/* Rules run against the shipped default profile (the source tree's). */
	setenv("CASEY_ASSETS", "assets", 0);
	if (cs_profile_load("default", base_profile, NULL))
		die("cannot load the default profile (run from the source tree)");
	return 0;
}

static int count_action(void *ctx, const struct cs_action *a)
{
	(void)a;
	++*(int *)ctx;
	return 0;
}

/* A customer with every metric present at value v (and n observations). */
static void customer(struct cs_customer_metrics *cm, double v, long n)
{
	int i;

	memset(cm, 0, sizeof(*cm));
	snprintf(cm->customer_id, sizeof(cm->customer_id), "C1");
	snprintf(cm->name, sizeof(cm->name), "Acme");
	snprintf(cm->status, sizeof(cm->status), n ? "active" : "cancel_requested");
	cm->arr = n ? 1000 * v : NAN;
	cm->core_lower = n;
	cm->core_ranked = 2 * n;
	for (i = 0; i < M_COUNT; i++) {
		cm->m[i].present = n != 1;
		cm->m[i].value = v;
		cm->m[i].n = n;
	}
}

static void score_some(const struct cs_profile *p, const struct cs_rules *r)
{
	static const double values[] = { 0, 0.5, 1, 7, 100, -3, 1e300 };
	struct cs_customer_metrics cm;
	struct cs_score s;
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		customer(&cm, values[i], (long)i);
		cs_profile_score(p, &cm, &s);
		if (s.score < 0 || s.score > 100 || !(s.coverage >= 0 && s.coverage <= 100 + 1e-9))
			die("a loaded profile scores out of range");
		if (r) {
			struct cs_rule_customer in = { .cm = &cm, .profile = p, .score = &s,
						       .has_delta30 = i & 1,
						       .delta30 = -(int)(i * 5) };
			int n = 0;

			cs_rules_customer(r, &in, 20000, count_action, &n);
		}
	}
}

/* A loaded signals configuration scores within 0..100 and names a segment. */
static void signals_some(const struct cs_signals_config *c)
{
	static const int values[] = { -5, 0, 1, 39, 40, 80, 100, 1000000 };
	struct cs_churn_factors f;
	struct cs_expansion_inputs in;
	struct cs_expansion x;
	struct cs_churn ch;
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		int v = values[i];

		f = (struct cs_churn_factors){ .health_known = i & 1, .health = v,
					       .usage_known = i & 2, .inactive_days = v,
					       .tickets = v, .critical = v & 0xffff,
					       .failed_payments = v & 0xff, .downgrade = i & 1,
					       .cancel = i & 4 };
		cs_churn_score(c, &f, &ch);
		if (ch.score < 0 || ch.score > 100 || (unsigned)ch.segment >= CS_CHURN_NSEG ||
		    !ch.step)
			die("a loaded signals configuration scores out of range");
		if ((unsigned)cs_behaviour_of(c, i & 1, v, i & 2, v % 11) >= CS_BEH_N)
			die("a behavioural segment out of range");
		in = (struct cs_expansion_inputs){ .health_known = true, .health = v,
						   .usage_known = true, .users = v, .seats = v / 2,
						   .core = v, .earlier_known = i & 1,
						   .earlier_users = v / 3, .earlier_core = v,
						   .nps_known = true, .nps = v % 11,
						   .arr_known = i & 2, .arr = v };
		cs_expansion_eval(c, &in, &x);
		if (!x.action)
			die("an expansion without an action");
	}
}

/*
 * Loaded tiers cover every ARR from 0 up once (each amount has a tier, the
 * one whose range holds it) and each tier's name finds it.
 */
static void tiers_some(const struct cs_tiers *t)
{
	static const double arrs[] = { 0, 0.01, 4999.99, 5000, 99999.99, 1e5, 1e7, 1e15 };

	for (size_t i = 0; i < sizeof(arrs) / sizeof(arrs[0]); i++) {
		int k = cs_tier_of_arr(t, true, arrs[i]);

		if (k < 0 || k >= t->n)
			die("loaded tiers leave an amount without a tier");
		if (arrs[i] < t->t[k].arr_min ||
		    (t->t[k].has_arr_below && arrs[i] >= t->t[k].arr_below))
			die("an amount in a tier whose range does not hold it");
	}
	for (int k = 0; k < t->n; k++)
		if (cs_tier_find(t, t->t[k].name) != k)
			die("a tier's name does not find it");
}

/* A loaded timeline is in order and its current step is one of its steps. */
static void renewals_some(const struct cs_renewals *r)
{
	for (int i = 1; i < r->nsteps; i++)
		if (r->steps[i].offset >= r->steps[i - 1].offset)
			die("renewal steps out of order");
	for (int d = -2; d < 400; d += 7) {
		int k = cs_renewal_current_step(r, 20000 + d, 20000);

		if (k < -1 || k >= r->nsteps || (k >= 0 && r->steps[k].offset < d))
			die("a current renewal step that is not due");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_diag diag = { check_emit, NULL, 0 };
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		die("cannot write the temporary file");
	nlines = 1;
	for (size_t i = 0; i + 1 < size; i++)
		nlines += data[i] == '\n';
	if (!cs_mapping_load(path, mapping, &diag)) {
		cs_mapping_lookup(mapping, "id");
		cs_mapping_lookup(mapping, "");
	}
	if (!cs_profile_load(path, profile, &diag))
		score_some(profile, NULL);
	if (!cs_rules_load(path, rules, &diag))
		score_some(base_profile, rules);
	if (!cs_signals_config_load(path, signals, &diag))
		signals_some(signals);
	if (!cs_tiers_load(path, tiers, &diag))
		tiers_some(tiers);
	if (!cs_renewals_load(path, renewals, &diag))
		renewals_some(renewals);
	return 0;
}
