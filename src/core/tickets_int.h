/*
 * tickets_int.h — what the ticket modules share: the loaded tickets.ini,
 * the tokeniser and the naive Bayes engine. Private to src/core.
 *
 *   tickets_config.c  loading tickets.ini; routing, priority, SLAs, export map
 *   classify.c        tokens, phrase rules, theme keys, naive Bayes
 *   tickets.c         the database: categorise, themes, list, evaluate
 */
#ifndef CASEY_TICKETS_INT_H
#define CASEY_TICKETS_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/tickets.h"

/*
 * "ticket t waits for triage": no category, or one a rule or the model
 * gave, not the export or a CSM. Spelled exactly as the WHERE of the
 * partial index tickets_triage (migration 18), so that SQLite can use it.
 */
#define CS_TRIAGE_WAITING(t) \
	"(" t "category_source IS NULL OR " t "category_source = 'rule'" \
	" OR " t "category_source = 'model')"

/* Longer tokens are cut to this many bytes (no real word is longer). */
#define TOKEN_MAX 40
/* Priority levels P0..P4 and urgency/impact levels low, medium, high. */
#define N_PRIORITIES 5
#define N_LEVELS 3

/* A set of 64-bit token hashes (open addressing, 0 = empty). */
struct hset {
	uint64_t *slot;
	size_t cap, used;
};

/* The home slot of a 64-bit key in a power-of-two table of cap slots. */
size_t hslot(uint64_t k, size_t cap);
int hset_add(struct hset *s, uint64_t h);	/* 0, or -1 out of memory */
bool hset_has(const struct hset *s, uint64_t h);
void hset_free(struct hset *s);

/* A word of a map section: normalised key -> bit mask of categories. */
struct catmap {
	char key[64];
	unsigned mask;
	int line;
};

/* A phrase rule: a run of raw tokens (hashes) -> category. */
struct rule {
	uint64_t *tok;
	int ntok;
	bool subject_only;
	int category;
	double confidence;
	int line;
	int next;	/* next rule with the same first token, -1 */
};

struct cs_tickets_config {
	char path[PATH_MAX];
	char owner[CAT_COUNT][96];

	struct catmap *exports, *tags;
	int nexports, ntags;

	struct rule *rules;
	int nrules;
	/* first token -> first rule index, open addressing over rule_cap slots */
	uint64_t *rule_key;
	int *rule_head;
	size_t rule_cap;

	struct hset stop;	/* stop words, by token hash */

	double alpha;		/* [model] */
	long min_training;

	int subject_terms;	/* [themes] */
	bool infer;
	double infer_min_posterior;
	long infer_min_tickets;
	int infer_max_themes;
	char fallback[CS_THEME_MAX];

	int matrix[N_LEVELS][N_LEVELS];	/* [urgency][impact] -> P level */
	int missing_level;
	int64_t response_s[N_PRIORITIES], resolution_s[N_PRIORITIES];

	char closed[8][24];	/* [status] */
	int nclosed;
	char unanswered[8][24];
	int nunanswered;
};

/* FNV-1a of len bytes. */
uint64_t tok_hash(const char *s, size_t len);

/*
 * The next raw token of *pp into buf (NUL-terminated): ASCII letters and
 * digits lower-cased, non-ASCII letters kept as they are, apostrophes
 * (' and U+2019) inside a word dropped; everything else separates. Returns
 * its length, 0 at the end of the text.
 */
size_t tok_next(const char **pp, char buf[TOKEN_MAX + 1]);

/*
 * Turn a raw token into a feature in place: returns 0 (no feature) for
 * one-letter words and stop words, else strips a plural 's' and returns
 * the new length.
 */
size_t tok_feature(const struct cs_tickets_config *cfg, char *tok, size_t len);

/* A growing vector of token hashes; functions that fill it return 0 or -1 (memory). */
struct hvec {
	uint64_t *h;
	size_t n, cap;
};
/* The raw tokens of a text, for phrase rules. */
int hvec_raw(const char *text, struct hvec *v);
/*
 * Tags as features of their own: "#" and the normalised tag, so the tag
 * "docs" and the word "docs" are told apart.
 */
int hvec_tags(const char *tags, struct hvec *v);
void hvec_free(struct hvec *v);

/*
 * The naive Bayes engine: any number of classes, counts kept sparse, so
 * the theme model's hundreds of classes cost only what they use.
 */
struct nb;

struct nb *nb_new(double alpha);
void nb_free(struct nb *m);
/* Add a training document of class c (any non-negative int). */
int nb_train(struct nb *m, const struct hvec *doc, int c);
long nb_docs(const struct nb *m, int c);	/* c < 0: all */
/*
 * Posterior over the classes allowed (allowed NULL: every class with
 * training documents), written to post[0..nclasses). Returns the best class
 * or -1 (untrained, nothing allowed, out of memory).
 */
int nb_predict(struct nb *m, const struct hvec *doc, const bool *allowed, double *post);

/*
 * Tokenise scan text once: raw tokens (for rules) into raw and features
 * (for the models) appended to feat; either may be NULL (cfg too, then).
 */
int tok_scan(const struct cs_tickets_config *cfg, const char *text, struct hvec *raw,
	     struct hvec *feat);

/*
 * A ticket, tokenised once: the raw tokens of subject and description
 * (either vector may be NULL), and the classifier's document in doc: the
 * word features of both, *nwords of them (when not NULL), then the tags.
 */
int ticket_tokens(const struct cs_tickets_config *cfg, const char *subject,
		  const char *description, const char *tags, struct hvec *raw_subject,
		  struct hvec *raw_description, struct hvec *doc, size_t *nwords);
/* cs_classifier_train() and _predict() on a document from ticket_tokens(). */
int classifier_train_doc(struct cs_classifier *m, const struct hvec *doc, int category);
int classifier_predict_doc(struct cs_classifier *m, const struct hvec *doc,
			   double posterior[CAT_COUNT]);

/* cs_rule_category() on raw tokens (hvec_raw) of subject and description. */
int rule_verdict(const struct cs_tickets_config *cfg, const struct hvec *subject,
		 const struct hvec *description, double *confidence, int *line);

/* tickets_config.c: does [export] (or the category names) know value? */
bool export_value_known(const struct cs_tickets_config *cfg, const char *value);

/* tickets_config.c: the level index of "low"/"medium"/"high", else -1. */
int level_index(const char *s);

#endif
