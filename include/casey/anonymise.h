/*
 * anonymise.h — taking personal data out of quotes before they leave casey.
 *
 * Quotes from NPS and CSAT comments and from tickets go into reports and
 * escalations; PRODUCT.md §7 and seed 001 want them anonymised. A struct
 * cs_anon holds the names to remove; cs_anonymise() returns a copy of a
 * text in which
 *
 *   - e-mail addresses (local@domain.tld) become "[email]";
 *   - phone numbers become "[phone]": 7 to 15 digits, optionally starting
 *     with + or (, in groups separated by single spaces, dashes, dots or
 *     parentheses ("+1 (555) 010-2233", "030 1234 5678", "555-0142");
 *     without any separator it takes 9 digits or more, so "order 1234567"
 *     stays; dates ("2026-11-20", "20.11.2026") and amounts ("$1234567")
 *     are never phone numbers;
 *   - every registered name becomes its replacement: matched as a whole
 *     word, ignoring ASCII case, the longest name first.
 *
 * cs_anon_load() registers every customer of the database as
 * "a <segment> customer" ("an Enterprise customer", "a customer" when the
 * segment is unknown), both as written and without a trailing legal form
 * ("Acme Analytics Inc." is also "Acme Analytics"), and every CSM as
 * "[name]". Names shorter than 3 bytes (4 once the legal form is cut) are
 * never registered: they would blank out ordinary words.
 *
 * What it cannot do: recognise a person or company it was not told about
 * ("ask Bob"), or a phone number written in words. Reports should say that
 * quotes are anonymised "as far as casey knows the names".
 */
#ifndef CASEY_ANONYMISE_H
#define CASEY_ANONYMISE_H

#include "casey/diag.h"

struct sqlite3;
struct cs_anon;

/* An empty set of names (emails and phone numbers are always removed); NULL if out of memory. */
struct cs_anon *cs_anon_new(void);
void cs_anon_free(struct cs_anon *a);

/* Replace name (a whole word or words, any ASCII case) with replacement. -1 if out of memory. */
int cs_anon_add(struct cs_anon *a, const char *name, const char *replacement);
/* A customer: name, and name without its legal form, become "a <segment> customer". */
int cs_anon_add_customer(struct cs_anon *a, const char *name, const char *segment);
/*
 * Only for these texts: once called (before any name is added), a name is
 * kept only when a text passed here has its first word, where the name
 * could match; cs_anonymise() must then only be given these texts (or
 * parts of them cut at blanks). For a survey's comments against a million
 * customers it keeps a few thousand names instead of two million. -1 if
 * out of memory.
 */
int cs_anon_words(struct cs_anon *a, const char *text);
/* Every customer and CSM name in the database. */
int cs_anon_load(struct cs_anon *a, struct sqlite3 *db, struct cs_diag *diag);

/*
 * The anonymised copy of text (malloc'd, the caller frees it), or NULL if
 * out of memory. a may be NULL: then only emails and phone numbers go.
 * The first call after names were added sorts them (inside a): do not
 * share one struct cs_anon between threads before that.
 */
char *cs_anonymise(const struct cs_anon *a, const char *text);
/*
 * The same with every match replaced by a single space, for text mining:
 * the words of a comment without the names, addresses and numbers in it.
 */
char *cs_anonymise_blank(const struct cs_anon *a, const char *text);

#endif
