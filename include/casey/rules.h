/*
 * rules.h — the escalation rules of PRODUCT.md §3, evaluated into actions.
 *
 * Every threshold, owner and deadline is in assets/rules.ini; the rules
 * themselves are one table in rules.c (kind, what it looks at, how it
 * decides). Customer rules run on each scored customer during a scoring
 * run; theme and feature rules run once per run over the tickets and
 * adoption of their windows. Each firing is an action: kind, the customer
 * or theme it is about, a reason, an owner, a due time and the evidence.
 *
 * Actions are stored with one open action per subject (rule_key): a rule
 * that keeps firing refreshes its open action instead of piling up
 * duplicates, and a CSM's status (sent, acknowledged, ...) survives
 * re-runs.
 */
#ifndef CASEY_RULES_H
#define CASEY_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/metrics.h"
#include "casey/profile.h"

struct sqlite3;

enum cs_action_kind {
	A_AT_RISK, A_IMMEDIATE, A_WEEKLY_REVIEW, A_CHURN_RISK, A_CHECK_IN,
	A_PRODUCT_GAP, A_DOCS_GAP, A_BUG, A_ADOPTION_GAP, A_THEME, A_KIND_COUNT
};
extern const char *const cs_action_names[A_KIND_COUNT];

struct cs_rule_cfg {
	char owner[128];
	int due_hours;
	bool enabled;
	/* thresholds; which apply depends on the rule (see assets/rules.ini) */
	double min_tickets;	/* fires at >= this many tickets */
	double arr_above;	/* fires when ARR is strictly above (product gap) */
	double arr_at_least;	/* fires when ARR is at least (theme escalation) */
	int window_days;
	int drop_points;	/* immediate: Yellow with this drop in 30 days */
	double usage_drop;	/* churn risk: usage down by more than this share */
	int no_contact_days;	/* check-in */
	int tickets_30d;	/* weekly review */
	int min_days_released;	/* adoption gap */
	double max_share;	/* adoption gap: used by less than this share */
};

struct cs_rules {
	char path[512];
	struct cs_rule_cfg r[A_KIND_COUNT];
	int weakest;		/* root causes listed: this many weakest measures */
	/* advice per measure name, for recommended actions */
	int nadvice;
	struct {
		char measure[32];
		char text[200];
	} advice[CS_MAX_MEASURES];
};

/* Load assets/rules.ini (or a path with '/'); FILE:LINE on any problem. */
int cs_rules_load(const char *name, struct cs_rules *r, struct cs_diag *diag);

/* What a customer rule looks at: the metrics, the score and its trend. */
struct cs_rule_customer {
	const struct cs_customer_metrics *cm;
	const struct cs_profile *profile;
	const struct cs_score *score;
	bool has_delta30;
	int delta30;
};

struct cs_action {
	enum cs_action_kind kind;
	char rule_key[300];
	const char *customer_id;	/* NULL for theme and feature actions */
	const char *name;		/* the customer's or feature's name */
	char category[32];
	char theme[128];
	double arr;			/* ARR concerned; NaN unknown */
	char reason[300];
	char owner[128];
	char due_at[20];		/* 'YYYY-MM-DD HH:MM:SS' */
	char evidence[1024];
};

typedef int (*cs_action_cb)(void *ctx, const struct cs_action *a);

/*
 * The actions the customer rules raise for one customer, kept to be
 * stored later: a scoring run works them out, with their fingerprints
 * (cs_action_content), on the metrics reader's thread and stores them
 * on its own (score.h) with cs_action_store_known. cs_action_list_add is
 * a cs_action_cb; it refuses (-1) a sixth action, which no customer raises.
 */
#define CS_CUSTOMER_ACTIONS (A_CHECK_IN + 1)	/* at risk .. check-in, one each */
struct cs_action_list {
	int n;
	struct cs_action a[CS_CUSTOMER_ACTIONS];
	uint64_t content[CS_CUSTOMER_ACTIONS];
};
int cs_action_list_add(void *list, const struct cs_action *a);

/* The customer rules for one scored customer, as of as_of. */
int cs_rules_customer(const struct cs_rules *r, const struct cs_rule_customer *in,
		      int32_t as_of, cs_action_cb cb, void *ctx);

/* The theme, bug and adoption rules over the database, as of as_of. */
int cs_rules_themes(struct sqlite3 *db, const struct cs_rules *r, int32_t as_of,
		    cs_action_cb cb, void *ctx, struct cs_diag *diag);

/*
 * The same rules, with the tickets' themes counted during the scoring
 * pass: make an accumulator, give cs_theme_acc_add and cs_theme_acc_from
 * to the run as its ticket observer (metrics.h), then evaluate.
 */
struct cs_theme_acc;
struct cs_customer_metrics;
struct cs_theme_acc *cs_theme_acc_new(const struct cs_rules *r, int32_t as_of);
int32_t cs_theme_acc_from(const struct cs_theme_acc *a);
int cs_theme_acc_add(void *acc, const struct cs_customer_metrics *cm, const char *created_at,
		     const char *category, const char *theme);
int cs_rules_themes_acc(struct sqlite3 *db, const struct cs_theme_acc *acc, cs_action_cb cb,
			void *ctx, struct cs_diag *diag);
void cs_theme_acc_free(struct cs_theme_acc *a);

/*
 * A sink that stores actions: open one with cs_action_store_open() inside
 * a transaction, pass cs_action_store as the callback, close it after.
 */
struct cs_action_store;
struct cs_action_store *cs_action_store_open(struct sqlite3 *db, int32_t as_of,
					     struct cs_diag *diag);
int cs_action_store(void *store, const struct cs_action *a);
/*
 * What the store compares to tell an unchanged action (its key, reason,
 * evidence, ARR, owner), and the store given it already worked out.
 */
uint64_t cs_action_content(const struct cs_action *a);
int cs_action_store_known(void *store, const struct cs_action *a, uint64_t content);
/* Close; returns the number of actions stored (new or refreshed) or -1. */
long cs_action_store_close(struct cs_action_store *s);
/*
 * Close after a failed run, clearing nothing: the actions it did not get
 * to raise are not "no longer firing". (NULL is fine.)
 */
void cs_action_store_discard(struct cs_action_store *s);

#endif
