/*
 * tickets.h — support tickets: the seven categories, the categoriser,
 * themes, routing, priority and SLAs (PRODUCT.md §3, seeds 001 and 002).
 *
 * Every ticket ends up with a category, where it came from and how sure
 * casey is, in this order of authority:
 *
 *   csm     a CSM's decision (cs_ticket_set_category): never overridden;
 *   export  the export named it: its category column, or else its tags,
 *           map to exactly one category through assets/tickets.ini;
 *   rule    a phrase rule of tickets.ini matched the subject or the
 *           description (confidence: the rule's, written in the file);
 *   model   a multinomial naive Bayes over the words of subject,
 *           description and tags, trained on the csm and export tickets
 *           (confidence: the posterior probability of the category).
 *
 * A ticket that none of them can place (no rule matches, fewer training
 * tickets than [model] min_training) keeps a NULL category.
 *
 * Its theme is a short stable key: the ticket's tags, normalised (lower
 * case, deduplicated, sorted: "Export CSV" and "csv, export" are both
 * "csv export"); for a ticket without tags, the tag theme of the tickets it
 * reads like (a second naive Bayes, trained on the tagged tickets, used
 * only when its posterior reaches [themes] infer_min_posterior and the
 * theme belongs to the ticket's category); else the first salient words of
 * its subject (stop words and numbers dropped, sorted).
 *
 * All configuration — export and tag maps, phrase rules, stop words, model
 * settings, owners, the priority matrix and SLAs — lives in
 * assets/tickets.ini, read once into an immutable struct
 * cs_tickets_config. Nothing here prints; errors go through cs_diag, those
 * of the file as FILE:LINE.
 */
#ifndef CASEY_TICKETS_H
#define CASEY_TICKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/diag.h"

struct sqlite3;

/* The seven categories of spec 000, in its order. */
enum cs_category {
	CAT_BUG,
	CAT_FEATURE,
	CAT_DOCS,
	CAT_USABILITY,
	CAT_PERFORMANCE,
	CAT_INTEGRATION,
	CAT_HOWTO,
	CAT_COUNT
};

/* "Bug Report", "Feature Request", ... exactly as stored in tickets.category. */
extern const char *const cs_category_names[CAT_COUNT];

/*
 * The category called name, ignoring case, spaces and punctuation: the full
 * names and the usual short forms ("bug", "feature", "docs", "ux", "perf",
 * "integration", "how-to", ...). -1 if none.
 */
int cs_category_find(const char *name);

enum cs_source { CS_SRC_NONE, CS_SRC_EXPORT, CS_SRC_RULE, CS_SRC_MODEL, CS_SRC_CSM };
/* NULL, "export", "rule", "model", "csm": the tickets.category_source values. */
extern const char *const cs_source_names[5];

/* ------------------------------------------------------------------ */
/* Configuration                                                        */

/* The loaded tickets.ini: opaque, never changed after loading. */
struct cs_tickets_config;

/*
 * Load and validate name: NULL for "tickets.ini" in the assets
 * directories (assets.h), or a path (anything with a '/'). Every problem
 * is reported as FILE:LINE: what is wrong. On success *out is owned by the
 * caller: free it with cs_tickets_config_free().
 */
int cs_tickets_config_load(const char *name, struct cs_tickets_config **out,
			   struct cs_diag *diag);
void cs_tickets_config_free(struct cs_tickets_config *cfg);
/* The file it was read from. */
const char *cs_tickets_config_path(const struct cs_tickets_config *cfg);

/* Who a category is routed to ("Tucker (QA)"); "" for a category out of range. */
const char *cs_routing_owner(const struct cs_tickets_config *cfg, int category);

/*
 * The category the export gives a ticket: its export category when that
 * maps to one category; when it maps to several ("question"), the one of
 * them its tags also name; when it is empty or unknown, the one category
 * its tags name. -1 when there is none or the choice is ambiguous.
 */
int cs_export_category(const struct cs_tickets_config *cfg, const char *export_category,
		       const char *tags);

/*
 * The phrase rules' verdict on a ticket: the category of the
 * highest-confidence matching rule (*confidence set, *line the rule's line
 * in the file when line is not NULL), or -1 when none matches or the best
 * ones disagree.
 */
int cs_rule_category(const struct cs_tickets_config *cfg, const char *subject,
		     const char *description, double *confidence, int *line);

/* ------------------------------------------------------------------ */
/* Priority and SLAs (seed 002's matrix)                                */

struct cs_priority {
	int level;		/* 0..4: P0..P4 */
	int64_t response_s;	/* response SLA, seconds */
	int64_t resolution_s;	/* resolution SLA, seconds */
};

/*
 * Priority from urgency and impact, each "low", "medium" or "high" (as
 * stored by the import); NULL or anything else counts as [priority]
 * missing.
 */
void cs_ticket_priority(const struct cs_tickets_config *cfg, const char *urgency,
			const char *impact, struct cs_priority *out);

struct cs_sla {
	bool open;		/* not resolved as of now */
	bool response_breach;	/* in an unanswered status past the response SLA */
	bool resolution_breach;	/* open past the resolution SLA, or resolved later than it */
};

/*
 * A ticket's SLA state at the instant now (seconds since the epoch, UTC).
 * created_at and resolved_at are the stored ISO texts (resolved_at may be
 * NULL; one later than now counts as not yet resolved). A ticket whose
 * status is a [status] closed one but has no resolved_at is closed with no
 * breach known. Exactly at the SLA is not a breach; one second past is.
 */
void cs_ticket_sla(const struct cs_tickets_config *cfg, const struct cs_priority *p,
		   const char *status, const char *created_at, const char *resolved_at,
		   int64_t now, struct cs_sla *out);

/* ------------------------------------------------------------------ */
/* Themes                                                               */

#define CS_THEME_MAX 96

/*
 * The theme key of a tag list (separated by spaces, commas, semicolons or
 * '|'; '_' is '-'): lower case, deduplicated, sorted, space-separated, cut
 * at a whole tag to fit CS_THEME_MAX - 1 bytes. "" when there are no tags.
 */
void cs_theme_from_tags(const char *tags, char out[CS_THEME_MAX]);

/*
 * The theme key of a subject: its first [themes] subject_terms salient
 * words (stop words, words with digits and one-letter words dropped, a
 * plural 's' stripped), sorted. "" when none is left.
 */
void cs_theme_from_subject(const struct cs_tickets_config *cfg, const char *subject,
			   char out[CS_THEME_MAX]);

struct cs_theme {
	char category[32];	/* "" for tickets without a category */
	char theme[CS_THEME_MAX];
	long tickets;
	long customers;		/* distinct */
	double arr;		/* total ARR of those customers; unknown ARR counts 0 */
};

/*
 * Tickets created in [from_day, to_day] (days since the epoch, inclusive)
 * grouped by category and theme, ordered by ARR, then tickets, descending
 * (then category and theme). Reads the stored themes: run
 * cs_tickets_categorise() (or cs_tickets_ensure()) first. cb returns 0 to
 * go on, non-zero to stop (which is returned).
 */
int cs_themes(struct sqlite3 *db, int32_t from_day, int32_t to_day,
	      int (*cb)(void *ctx, const struct cs_theme *t), void *ctx,
	      struct cs_diag *diag);

/* ------------------------------------------------------------------ */
/* The classifier                                                       */

/*
 * A multinomial naive Bayes over the seven categories, with the stop words,
 * smoothing (alpha) and tokeniser of cfg, which must outlive it. Words are
 * the lower-cased letter/digit runs of subject, description and tags
 * (apostrophes dropped, a plural 's' stripped, stop words and one-letter
 * words left out):
 *
 *   P(c | words) ∝ P(c) · Π_w (n(w,c) + alpha) / (N(c) + alpha·V)
 *
 * with P(c) the share of training tickets in c, n(w,c) the occurrences of w
 * in c's tickets, N(c) all word occurrences in c, V the vocabulary. Words
 * never seen in training are ignored; categories without training tickets
 * get probability 0.
 */
struct cs_classifier;

struct cs_classifier *cs_classifier_new(const struct cs_tickets_config *cfg);
int cs_classifier_train(struct cs_classifier *m, const char *subject,
			const char *description, const char *tags, int category);
/* Training tickets so far. */
long cs_classifier_size(const struct cs_classifier *m);
/*
 * The most probable category (-1 when untrained) and, when posterior is not
 * NULL, every category's probability. Training may go on afterwards.
 */
int cs_classifier_predict(struct cs_classifier *m, const char *subject,
			  const char *description, const char *tags,
			  double posterior[CAT_COUNT]);
void cs_classifier_free(struct cs_classifier *m);

/* ------------------------------------------------------------------ */
/* Categorising the database                                            */

/*
 * Categorise every ticket the CSM has not, and give every ticket its
 * theme: export, then rules, then the model (trained once on the csm and
 * export tickets), as at the top of this file. One transaction; only rows
 * whose category, source, confidence or theme change are written, so a
 * second run changes nothing. Returns the number of tickets changed, or -1.
 * Export categories that tickets.ini does not know are reported once, as
 * a warning with their count and an example.
 * cs_tickets_categorise() loads tickets.ini from the assets itself.
 */
int cs_tickets_categorise(struct sqlite3 *db, struct cs_diag *diag);
int cs_tickets_categorise_cfg(struct sqlite3 *db, const struct cs_tickets_config *cfg,
			      struct cs_diag *diag);

/*
 * Categorise when some ticket has no theme yet (it was imported since the
 * last run). Returns the number changed (0 when nothing was needed) or -1.
 */
int cs_tickets_ensure(struct sqlite3 *db, const struct cs_tickets_config *cfg,
		      struct cs_diag *diag);

/*
 * Record the CSM's decision: category (source 'csm', confidence 1), which
 * no later categorisation overrides and which trains the model. category
 * -1 withdraws an earlier decision: the ticket is categorised again on the
 * next run. Errors: no such ticket, a category out of range.
 */
int cs_ticket_set_category(struct sqlite3 *db, const char *ticket_id, int category,
			   struct cs_diag *diag);

/*
 * A ticket's categorisation as stored: category, source, confidence and
 * theme, each with NULL kept apart from any value. Saved before a
 * decision, it puts the ticket back exactly as it was (the triage
 * screen's undo).
 */
struct cs_ticket_category_state {
	bool has_category, has_confidence, has_theme;
	char category[64];
	enum cs_source source;		/* CS_SRC_NONE: NULL */
	double confidence;
	char theme[CS_THEME_MAX];
};

/*
 * Read ticket_id's categorisation into *out. Errors: no such ticket; a
 * stored value too long for *out (it could not be put back exactly).
 */
int cs_ticket_category_save(struct sqlite3 *db, const char *ticket_id,
			    struct cs_ticket_category_state *out, struct cs_diag *diag);

/*
 * Write a saved categorisation back as it was, whatever was decided
 * since: a CSM decision undone this way is gone (it no longer trains the
 * model, and the next categorisation treats the ticket as before).
 * Errors: no such ticket.
 */
int cs_ticket_category_restore(struct sqlite3 *db, const char *ticket_id,
			       const struct cs_ticket_category_state *st,
			       struct cs_diag *diag);

/* ------------------------------------------------------------------ */
/* Listing and evaluation                                               */

struct cs_ticket_row {
	const char *ticket_id, *customer_id, *created_at, *subject, *status;
	const char *resolved_at;	/* NULL when not resolved */
	int category;			/* -1: none */
	enum cs_source source;
	double confidence;		/* 0 when no category */
	const char *owner;		/* "" when no category */
	const char *theme;		/* "" when none */
	struct cs_priority priority;
	struct cs_sla sla;		/* as of the end of the query's as_of day */
};

struct cs_ticket_query {
	int32_t as_of;		/* tickets created up to the end of this day */
	bool uncategorised;	/* only those not categorised by the export or a CSM */
};

/*
 * Tickets in created_at, ticket_id order. The row's strings are valid only
 * during the callback. cb returns 0 to go on, non-zero to stop (returned).
 */
int cs_tickets_list(struct sqlite3 *db, const struct cs_tickets_config *cfg,
		    const struct cs_ticket_query *q,
		    int (*cb)(void *ctx, const struct cs_ticket_row *row), void *ctx,
		    struct cs_diag *diag);

/*
 * The classifier measured on held-out tickets: of the tickets with a known
 * category (csm, or export as cs_export_category() decides), taken in
 * ticket_id order, every every-th is held out; the model is trained on the
 * others and the held-out ones are categorised as categorise would (rules,
 * then model) and compared with the truth.
 */
struct cs_eval {
	int every;
	long labelled, trained, held_out;
	long correct;			/* rules, then model */
	long model_correct;		/* the model alone */
	long rule_fired, rule_correct;	/* held-out tickets a rule decided */
	struct {
		long n;			/* held-out tickets of the category */
		long predicted;		/* held-out tickets put in it */
		long correct;
	} cat[CAT_COUNT];
};

int cs_tickets_evaluate(struct sqlite3 *db, const struct cs_tickets_config *cfg, int every,
			struct cs_eval *out, struct cs_diag *diag);

#endif
