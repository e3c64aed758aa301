/*
 * plans.h — success plans (seed 003): per customer, a plan of a type
 * (onboarding, quarterly, annual, expansion, recovery: assets/plans.ini)
 * with milestones, each with a title, a due date, an owner, a priority and
 * a status. The model behind `casey plan` and the dashboard's plan screen.
 *
 * Types and templates are configuration. assets/plans.ini lists the plan
 * types and, for each, the milestones a new plan starts with ("due N days
 * after the plan starts, owned by the customer's CSM, priority high"), and
 * the business-review types (reviews.h). Statuses and priorities are fixed
 * (the database checks them):
 *
 *   plan       active, on_hold, completed, cancelled
 *   milestone  pending, in_progress, completed, cancelled
 *   priority   low, medium, high, critical
 *
 * Overdue is never stored: a milestone is overdue on day D when it is due
 * before D (a milestone due today is not overdue yet), it is pending or in
 * progress, and its plan is active. A completed or cancelled milestone is
 * never overdue, nor is any milestone of a plan on hold, completed or
 * cancelled.
 *
 * Today's actions: cs_plans_raise_actions(), called once inside
 * `casey score`'s run (before cs_action_store_close()), raises one action
 * per overdue milestone, kind "milestone", rule_key "milestone:<id>", due
 * at the end of its due date, owned by the milestone's owner (else the
 * customer's CSM). A milestone that stops being overdue — completed,
 * cancelled, moved to a later date, its plan closed — has its action
 * resolved at once by the change, and by the next run in any case.
 *
 * Recovery: every customer whose latest score on or before the day (the
 * profile's latest run) is Red and who has no open (active or on hold)
 * recovery plan is *proposed* one: cs_plans_proposed() lists them (cheaply:
 * through the at-risk index) and the CSM accepts a proposal with
 * cs_plan_create(type "recovery", template). Nothing is created for them
 * unasked.
 *
 * Conventions as in checklist.h: every function reports through diag and
 * returns 0 or -1; unknown ids are "no plan N" / "no milestone N"; days
 * are day numbers (value.h) chosen by the caller — the --as-of day. Texts
 * are trimmed, valid UTF-8 without control characters (objectives may hold
 * newlines and tabs), refused (never cut) when too long. Each change is one
 * transaction: nothing half-written.
 */
#ifndef CASEY_PLANS_H
#define CASEY_PLANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/kinds.h"

struct sqlite3;

#define CS_PLAN_TYPES_MAX 16
#define CS_PLAN_TEMPLATE_MAX 16		/* milestones in a type's template */
#define CS_PLAN_MILESTONES_MAX 100	/* milestones in one plan */
/* Limits in bytes, excluding the NUL; longer input is refused, never cut. */
#define CS_PLAN_KEY_MAX 31		/* a type's key: "recovery", "qbr" */
#define CS_PLAN_LABEL_MAX 80		/* its label: "Recovery" */
#define CS_PLAN_TITLE_MAX 200		/* a plan's or a milestone's title */
#define CS_PLAN_OWNER_MAX 100
#define CS_PLAN_TEXT_MAX 4000		/* a plan's objectives */

enum cs_plan_status { CS_PLAN_ACTIVE, CS_PLAN_ON_HOLD, CS_PLAN_COMPLETED, CS_PLAN_CANCELLED };
enum cs_ms_status { CS_MS_PENDING, CS_MS_IN_PROGRESS, CS_MS_COMPLETED, CS_MS_CANCELLED };
enum cs_ms_priority { CS_PRIO_LOW, CS_PRIO_MEDIUM, CS_PRIO_HIGH, CS_PRIO_CRITICAL };
#define CS_PLAN_STATUSES 4
#define CS_MS_STATUSES 4
#define CS_PRIORITIES 4

/*
 * Names as stored, typed and written in JSON ("on_hold", "in_progress",
 * "critical"). The parsers take exactly those (and "on-hold",
 * "in-progress", "done" for completed) and return 0, or -1 (nothing
 * reported).
 */
const char *cs_plan_status_name(enum cs_plan_status s);
const char *cs_ms_status_name(enum cs_ms_status s);
const char *cs_ms_priority_name(enum cs_ms_priority p);
int cs_plan_status_parse(const char *s, enum cs_plan_status *out);
int cs_ms_status_parse(const char *s, enum cs_ms_status *out);
int cs_ms_priority_parse(const char *s, enum cs_ms_priority *out);

/* ---- assets/plans.ini ---------------------------------------------------- */

struct cs_plan_template {
	int days;			/* due this many days after the plan starts */
	bool owner_csm;			/* owner "csm": the customer's CSM */
	char owner[CS_PLAN_OWNER_MAX + 1];
	enum cs_ms_priority priority;
	char title[CS_PLAN_TITLE_MAX + 1];
};

struct cs_plan_type {
	char key[CS_PLAN_KEY_MAX + 1];	/* "recovery" */
	char label[CS_PLAN_LABEL_MAX + 1];	/* "Recovery" */
	int nms;
	struct cs_plan_template ms[CS_PLAN_TEMPLATE_MAX];
};

#define CS_REVIEW_ALIASES_MAX 240	/* bytes of a review type's aliases, normalised */

struct cs_review_type {
	char key[CS_PLAN_KEY_MAX + 1];	/* "qbr" */
	char label[CS_PLAN_LABEL_MAX + 1];	/* "Quarterly business review (QBR)" */
	/* other names exports use, normalised (cs_header_norm), '|'-separated */
	char aliases[CS_REVIEW_ALIASES_MAX + 1];
};

/* The file, loaded. Plain data; big (~70 KiB): allocate it. */
struct cs_plans_def {
	char path[512];
	int ntypes;
	struct cs_plan_type types[CS_PLAN_TYPES_MAX];	/* in the file's order */
	int nreviews;
	struct cs_review_type reviews[CS_PLAN_TYPES_MAX];
};

/*
 * Load name (NULL: the shipped "plans.ini" from the assets directories;
 * with a '/': a path). Every problem is FILE:LINE: what. Sections:
 * [type.KEY] with label and milestone.1, milestone.2, ... (numbered
 * without holes), each "DAYS | OWNER | PRIORITY | TITLE"; [review.KEY]
 * with label and optional aliases (comma-separated names exports use for
 * it, each naming one review type only). KEY is lowercase letters, digits
 * and '_'. The "recovery" type must exist (proposals use it), and at
 * least one review type.
 */
int cs_plans_def_load(const char *name, struct cs_plans_def *def, struct cs_diag *diag);
/* The index of the type or review type named key; -1 when there is none. */
int cs_plan_type_find(const struct cs_plans_def *def, const char *key);
int cs_review_type_find(const struct cs_plans_def *def, const char *key);
/*
 * The review type a name from an export means: its key, its label or one
 * of its aliases, ignoring case, blanks and punctuation ("QBR", "Quarterly
 * Business Review", "exec review"); -1 when none.
 */
int cs_review_type_match(const struct cs_plans_def *def, const char *name);
/* "onboarding, quarterly, ..." / "qbr, ebr, ...": for messages. */
void cs_plan_type_keys(const struct cs_plans_def *def, char *buf, size_t size);
void cs_review_type_keys(const struct cs_plans_def *def, char *buf, size_t size);

/* ---- text checks ---------------------------------------------------------- */

/*
 * Trim in into out (max + 1 bytes) and check it as every stored text is
 * checked; what names the field or argument in the message, e.g.
 * "--title must not contain control characters (nor line breaks or tabs)".
 * Returns 0 or -1 (reported). Exposed so the command line and the
 * dashboard can name the argument or field before anything is written.
 */
int cs_plan_text(const char *in, bool multiline, size_t max, char *out, const char *what,
		 struct cs_diag *diag);

/* ---- plans and milestones -------------------------------------------------- */

struct cs_milestone {
	int64_t id, plan_id;
	char title[CS_PLAN_TITLE_MAX + 1];
	char due[11];			/* YYYY-MM-DD */
	char owner[CS_PLAN_OWNER_MAX + 1];	/* "" when none */
	enum cs_ms_priority priority;
	enum cs_ms_status status;
	char completed_at[11];		/* "" unless completed */
	bool overdue;			/* as of the day it was loaded for */
};

/* One plan with its milestones by due date. Big (~50 KiB): allocate it. */
struct cs_plan {
	int64_t id;
	char customer_id[CS_ID_MAX + 1];
	char customer_name[256];
	char type[CS_PLAN_KEY_MAX + 1];
	char title[CS_PLAN_TITLE_MAX + 1];
	enum cs_plan_status status;
	char objectives[CS_PLAN_TEXT_MAX + 1];
	char created_at[11], updated_at[11];
	int nms, done, overdue;		/* milestones; completed ones; overdue ones */
	struct cs_milestone ms[CS_PLAN_MILESTONES_MAX];
};

/* One row of cs_plans_list(). */
struct cs_plan_summary {
	int64_t id;
	char customer_id[CS_ID_MAX + 1];
	char customer_name[256];
	char type[CS_PLAN_KEY_MAX + 1];
	char title[CS_PLAN_TITLE_MAX + 1];
	enum cs_plan_status status;
	char created_at[11];
	int nms, done, overdue;
	char next_due[11];		/* the earliest open milestone's date, or "" */
};

/*
 * Create a plan of type key for customer_id, starting on day: title NULL
 * or "" is the type's label + " plan"; with template, the type's
 * milestones are added (due day + their days, owner "csm" being the
 * customer's CSM, "" when it has none). *id is the new plan's id.
 */
int cs_plan_create(struct sqlite3 *db, const struct cs_plans_def *def,
		   const char *customer_id, const char *type, const char *title,
		   bool template, int32_t day, int64_t *id, struct cs_diag *diag);

/*
 * The plans of customer_id (NULL: every customer's), open ones only unless
 * all, by customer then id. *out is malloc'd (*n rows; NULL when none):
 * free() it. Overdue counts are as of day.
 */
int cs_plans_list(struct sqlite3 *db, const char *customer_id, bool all, int32_t day,
		  struct cs_plan_summary **out, int *n, struct cs_diag *diag);

/* Load plan id into *p, overdue flags as of day. */
int cs_plan_load(struct sqlite3 *db, int64_t id, int32_t day, struct cs_plan *p,
		 struct cs_diag *diag);

/*
 * Change a plan: title and objectives when not NULL ("" clears the
 * objectives; a title cannot be empty), status when status_set. Closing a
 * plan (completed, cancelled) or putting it on hold resolves its
 * milestones' open actions.
 */
int cs_plan_update(struct sqlite3 *db, int64_t id, const char *title, bool status_set,
		   enum cs_plan_status status, const char *objectives, int32_t day,
		   struct cs_diag *diag);

/*
 * Add a milestone to plan id: title, due day, owner (NULL or "": none),
 * priority. *ms_id (may be NULL) receives its id. A plan holds at most
 * CS_PLAN_MILESTONES_MAX.
 */
int cs_milestone_add(struct sqlite3 *db, int64_t plan_id, const char *title, int32_t due,
		     const char *owner, enum cs_ms_priority priority, int32_t day, int64_t *ms_id,
		     struct cs_diag *diag);

/* What cs_milestone_update() changes: the fields whose flag is set. */
struct cs_milestone_change {
	const char *title;		/* NULL: unchanged */
	bool due_set;
	int32_t due;
	const char *owner;		/* NULL: unchanged; "": none */
	bool priority_set;
	enum cs_ms_priority priority;
	bool status_set;
	enum cs_ms_status status;
};

/*
 * Change milestone id on day. Completing stamps completed_at = day;
 * reopening clears it. When the milestone is no longer overdue afterwards,
 * its open action (if any) is resolved, and *resolved (may be NULL) is
 * that action's id (0 when none).
 */
int cs_milestone_update(struct sqlite3 *db, int64_t id, const struct cs_milestone_change *ch,
			int32_t day, long *resolved, struct cs_diag *diag);

/* The plan a milestone belongs to; 0 with "no milestone N" reported when none. */
int64_t cs_milestone_plan(struct sqlite3 *db, int64_t id, struct cs_diag *diag);

/* ---- recovery proposals ---------------------------------------------------- */

struct cs_plan_proposal {
	const char *customer_id, *name, *csm;	/* valid during the callback */
	bool arr_known;
	double arr;
	int score;
	const char *as_of;		/* the snapshot's day */
};

typedef int (*cs_plan_proposal_cb)(void *ctx, const struct cs_plan_proposal *p);

/*
 * Every customer proposed a recovery plan on day (Red in the profile's
 * latest run on or before day, no open recovery plan), largest ARR first;
 * customer_id non-NULL: only that customer. cb returns non-zero to stop.
 * Returns how many were passed to cb, or -1.
 */
long cs_plans_proposed(struct sqlite3 *db, const char *profile, int32_t day,
		       const char *customer_id, cs_plan_proposal_cb cb, void *ctx,
		       struct cs_diag *diag);

/* ---- today's actions ---------------------------------------------------------- */

/*
 * Raise or refresh the action of every overdue milestone on day, in one
 * statement (the caller's transaction: `casey score`, before
 * cs_action_store_close()). Returns the number raised or refreshed, or -1.
 */
long cs_plans_raise_actions(struct sqlite3 *db, int32_t day, struct cs_diag *diag);

#endif
