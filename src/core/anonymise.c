/* anonymise.c — removing names, emails and phone numbers from quotes. See anonymise.h. */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "casey/anonymise.h"
#include "casey/db.h"

/* Shorter names are never registered: they would blank out ordinary words. */
#define MIN_NAME 3
#define MIN_SHORT_NAME 4
/* Phone numbers have this many digits (E.164 allows 15). */
#define PHONE_MIN_DIGITS 7
#define PHONE_MAX_DIGITS 15
/* Without any separator, a run of digits must be this long to be a phone number. */
#define PHONE_BARE_DIGITS 9

struct name {
	char *name;
	size_t len;
	size_t klen;		/* its first word's bytes (see word_len), its key */
	char *repl;
	size_t seq;		/* insertion order, for a stable sort */
};

/*
 * Names are tried at each place in a text where one may start. Most
 * start with a word, and a name can only match where the text's word is
 * its first word (ASCII case ignored), so those are found by that word:
 * by_key lists them sorted by it. Trying every name with the same first
 * letter instead took hours for a survey's comments against a million
 * customer names. The few that start with another character (a quote, a
 * bracket) are tried by their first byte.
 */
/*
 * The names' text lives in blocks of an arena, freed together: a million
 * customers make two million names, and allocating and freeing each name
 * and replacement on its own was a tenth of `casey nps`'s time.
 */
#define ARENA_BLOCK 65536
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char text[];
};

/*
 * The words of the texts a set will be used on, when known first
 * (cs_anon_words): a name that starts with a word can only match where a
 * text has that word, so the others are never stored. A survey's
 * comments have some thousands of words; storing a million customers'
 * two million names for them took 190 MiB.
 */
struct word {
	const char *w;		/* in the arena; NULL: an empty slot */
	size_t len;
};

struct cs_anon {
	struct arena_block *arena;
	struct name *v;
	size_t n, cap;
	bool sorted;
	size_t first[257];	/* v[first[b] .. first[b + 1]) start with byte b (lowercase) */
	size_t *by_key;		/* indices into v of the names that start with a word */
	size_t nkey;
	bool only_words;	/* keep only names whose first word is in words */
	struct word *words;	/* open addressing, a power of two */
	size_t nwords, words_cap;
};

/* Legal forms cut from the end of a company name (lowercase, dots removed). */
static const char *const legal_forms[] = {
	"ab", "ag", "aps", "as", "bv", "co", "company", "corp", "corporation", "gmbh",
	"group", "holding", "holdings", "inc", "incorporated", "kg", "kk", "llc", "llp",
	"lp", "ltd", "ltda", "limited", "nv", "oy", "partners", "plc", "pty", "sa",
	"sarl", "sas", "sl", "spa", "srl", NULL,
};

struct cs_anon *cs_anon_new(void)
{
	return calloc(1, sizeof(struct cs_anon));
}

void cs_anon_free(struct cs_anon *a)
{
	if (!a)
		return;
	while (a->arena) {
		struct arena_block *next = a->arena->next;

		free(a->arena);
		a->arena = next;
	}
	free(a->v);
	free(a->by_key);
	free(a->words);
	free(a);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* A copy of text[0..len), terminated, in a's arena; NULL when out of memory. */
static char *arena_copy(struct cs_anon *a, const char *text, size_t len)
{
	struct arena_block *b = a->arena;
	char *p;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;

		if (!(b = malloc(sizeof(*b) + size)))
			return NULL;
		b->next = a->arena;
		b->used = 0;
		b->size = size;
		a->arena = b;
	}
	p = b->text + b->used;
	memcpy(p, text, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static size_t word_len(const unsigned char *p);
static bool words_has(const struct cs_anon *a, const unsigned char *w, size_t n);

int cs_anon_add(struct cs_anon *a, const char *name, const char *replacement)
{
	const char *end;
	struct name *nm;
	size_t key;

	while (isspace((unsigned char)*name))
		name++;
	end = name + strlen(name);
	while (end > name && isspace((unsigned char)end[-1]))
		end--;
	if (end - name < MIN_NAME)
		return 0;
	/* No text it will be used on has its first word: it cannot match. */
	if (a->only_words && (key = word_len((const unsigned char *)name)) &&
	    !words_has(a, (const unsigned char *)name, key))
		return 0;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 64;
		struct name *v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return -1;
		a->v = v;
		a->cap = cap;
	}
	nm = &a->v[a->n];
	nm->len = (size_t)(end - name);
	nm->seq = a->n;
	/* A customer's two names (with and without "Inc.") share one replacement. */
	if (a->n && !strcmp(a->v[a->n - 1].repl, replacement))
		nm->repl = a->v[a->n - 1].repl;
	else if (!(nm->repl = arena_copy(a, replacement, strlen(replacement))))
		return -1;
	if (!(nm->name = arena_copy(a, name, nm->len)))
		return -1;
	a->n++;
	a->sorted = false;
	return 0;
}

/* Is the last word of s[0..len) a legal form? Returns the length without it, else len. */
static size_t cut_legal_form(const char *s, size_t len)
{
	char word[16];
	size_t start = len, w = 0, i;

	while (start > 0 && s[start - 1] != ' ' && s[start - 1] != ',')
		start--;
	if (start == 0)
		return len;	/* a single word is the name itself */
	for (i = start; i < len; i++) {
		if (s[i] == '.')
			continue;
		if (w + 1 >= sizeof(word))
			return len;
		word[w++] = (char)lower((unsigned char)s[i]);
	}
	word[w] = '\0';
	for (i = 0; legal_forms[i]; i++)
		if (!strcmp(word, legal_forms[i]))
			break;
	if (!legal_forms[i])
		return len;
	/* "Smith & Co.", "Acme, Inc.": drop the separators before it too. */
	while (start > 0 && (s[start - 1] == ' ' || s[start - 1] == ',' || s[start - 1] == '&'))
		start--;
	return start;
}

int cs_anon_add_customer(struct cs_anon *a, const char *name, const char *segment)
{
	char repl[160], *copy;
	size_t len, cut;
	int rc, k;

	if (segment && *segment) {
		int vowel = strchr("AEIOUaeiou", segment[0]) != NULL;

		snprintf(repl, sizeof(repl), "%s %s customer", vowel ? "an" : "a", segment);
	} else {
		snprintf(repl, sizeof(repl), "a customer");
	}
	if (cs_anon_add(a, name, repl))
		return -1;
	copy = strdup(name);
	if (!copy)
		return -1;
	len = strlen(copy);
	while (len && isspace((unsigned char)copy[len - 1]))
		len--;
	/* "Acme Pty Ltd": up to three legal forms. */
	for (k = 0; k < 3 && (cut = cut_legal_form(copy, len)) != len; k++)
		len = cut;
	copy[len] = '\0';
	rc = 0;
	if (len >= MIN_SHORT_NAME && len < strlen(name))
		rc = cs_anon_add(a, copy, repl);
	free(copy);
	return rc;
}

int cs_anon_load(struct cs_anon *a, sqlite3 *db, struct cs_diag *diag)
{
	static const char sql[] =
		"SELECT name, segment, 0 FROM customers"
		" UNION ALL SELECT DISTINCT csm, NULL, 1 FROM customers WHERE csm IS NOT NULL";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return cs_db_error(db, diag, "reading customer names");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *segment = (const char *)sqlite3_column_text(st, 1);
		int failed;

		if (!name)
			continue;
		if (sqlite3_column_int(st, 2))
			failed = cs_anon_add(a, name, "[name]");
		else
			failed = cs_anon_add_customer(a, name, segment);
		if (failed) {
			sqlite3_finalize(st);
			return cs_error(diag, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cs_db_error(db, diag, "reading customer names");
	return 0;
}

static bool word_at(const unsigned char *p);

/* The bytes of the UTF-8 character at p (1 for a stray continuation byte). */
static size_t char_len(const unsigned char *p)
{
	size_t n = *p < 0xc0 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4, i;

	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return i;
	return n;
}

/* The bytes of the word at p: its run of word characters (0: none). */
static size_t word_len(const unsigned char *p)
{
	size_t n = 0;

	while (p[n] && word_at(p + n))
		n += char_len(p + n);
	return n;
}

/* Two keys, ASCII case ignored, then by length. */
static int key_cmp(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++)
		if (lower(a[i]) != lower(b[i]))
			return lower(a[i]) - lower(b[i]);
	return (na > nb) - (na < nb);
}

/* A name's key and place in v, to sort by key, each key's in the order of v. */
struct keyed {
	const unsigned char *key;
	size_t len, i;
};

static int by_key_then_index(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = key_cmp(a->key, a->len, b->key, b->len);

	return c ? c : (a->i > b->i) - (a->i < b->i);
}

static int by_first_then_longest(const void *x, const void *y)
{
	const struct name *a = x, *b = y;
	int fa = lower((unsigned char)a->name[0]), fb = lower((unsigned char)b->name[0]);

	if (fa != fb)
		return fa - fb;
	if (a->len != b->len)
		return a->len > b->len ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int sort_names(struct cs_anon *a)
{
	struct keyed *keyed;
	size_t i;
	int b;

	if (a->n)
		qsort(a->v, a->n, sizeof(*a->v), by_first_then_longest);
	for (b = 0, i = 0; b <= 256; b++) {
		while (i < a->n && lower((unsigned char)a->v[i].name[0]) < b)
			i++;
		a->first[b] = i;
	}
	free(a->by_key);
	a->nkey = 0;
	a->by_key = malloc((a->n ? a->n : 1) * sizeof(*a->by_key));
	keyed = malloc((a->n ? a->n : 1) * sizeof(*keyed));
	if (!a->by_key || !keyed) {
		free(keyed);
		return -1;
	}
	for (i = 0; i < a->n; i++) {
		a->v[i].klen = word_len((const unsigned char *)a->v[i].name);
		if (a->v[i].klen)
			keyed[a->nkey++] = (struct keyed){ (const unsigned char *)a->v[i].name,
							   a->v[i].klen, i };
	}
	qsort(keyed, a->nkey, sizeof(*keyed), by_key_then_index);
	for (i = 0; i < a->nkey; i++)
		a->by_key[i] = keyed[i].i;
	free(keyed);
	a->sorted = true;
	return 0;
}

/* The first of by_key whose key is the word s[0..n), or nkey. */
static size_t key_lower_bound(const struct cs_anon *a, const unsigned char *s, size_t n)
{
	size_t lo = 0, hi = a->nkey;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct name *nm = &a->v[a->by_key[mid]];

		if (key_cmp((const unsigned char *)nm->name, nm->klen, s, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Is the character starting at p part of a word? ASCII letters and digits
 * are; so is any other UTF-8 character except the common punctuation and
 * spaces (U+00A0..U+00BF bar ª µ º, U+2000..U+20FF, U+3000..U+303F), so
 * that "“Acme”" and "Müller" both work.
 */
static bool word_at(const unsigned char *p)
{
	if (*p < 0x80)
		return isalnum(*p);
	if (p[0] == 0xc2 && p[1] >= 0xa0 && p[1] <= 0xbf)
		return p[1] == 0xaa || p[1] == 0xb5 || p[1] == 0xba;
	if (p[0] == 0xe2 && p[1] >= 0x80 && p[1] <= 0x83)
		return false;
	if (p[0] == 0xe3 && p[1] == 0x80)
		return false;
	return true;
}

/* Is the character just before s[i] part of a word? */
static bool word_before(const unsigned char *s, size_t i)
{
	size_t j = i;

	if (i == 0)
		return false;
	j = i - 1;
	while (j > 0 && i - j < 4 && (s[j] & 0xc0) == 0x80)
		j--;
	return word_at(s + j);
}

/* FNV-1a of a word, ASCII case ignored (as key_cmp compares). */
static size_t word_hash(const unsigned char *w, size_t n)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (uint64_t)lower(w[i])) * 1099511628211u;
	return (size_t)h;
}

/* The slot of word w[0..n) in a->words: its own, or the empty one it would take. */
static size_t words_slot(const struct word *v, size_t cap, const unsigned char *w, size_t n)
{
	size_t i = word_hash(w, n) & (cap - 1);

	while (v[i].w && key_cmp((const unsigned char *)v[i].w, v[i].len, w, n))
		i = (i + 1) & (cap - 1);
	return i;
}

static bool words_has(const struct cs_anon *a, const unsigned char *w, size_t n)
{
	return a->words_cap && a->words[words_slot(a->words, a->words_cap, w, n)].w;
}

static int words_put(struct cs_anon *a, const unsigned char *w, size_t n)
{
	size_t i;

	if (2 * (a->nwords + 1) > a->words_cap) {
		size_t cap = a->words_cap ? 2 * a->words_cap : 1024, k;
		struct word *v = calloc(cap, sizeof(*v));

		if (!v)
			return -1;
		for (k = 0; k < a->words_cap; k++)
			if (a->words[k].w)
				v[words_slot(v, cap, (const unsigned char *)a->words[k].w,
					     a->words[k].len)] = a->words[k];
		free(a->words);
		a->words = v;
		a->words_cap = cap;
	}
	i = words_slot(a->words, a->words_cap, w, n);
	if (a->words[i].w)
		return 0;
	if (!(a->words[i].w = arena_copy(a, (const char *)w, n)))
		return -1;
	a->words[i].len = n;
	a->nwords++;
	return 0;
}

/*
 * Every word the anonymiser would look a name up by in text: at each byte
 * where a word starts with no word character before it, as anonymise()
 * walks a text (a byte at a time, so also inside a character).
 */
int cs_anon_words(struct cs_anon *a, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i;

	a->only_words = true;
	for (i = 0; s[i]; i++)
		if (word_at(s + i) && !word_before(s, i) &&
		    words_put(a, s + i, word_len(s + i)))
			return -1;
	return 0;
}

/*
 * Does name match at s (ASCII case ignored, a space matching any run of
 * blanks)? The length matched, or 0.
 */
static size_t name_match(const unsigned char *s, const struct name *nm)
{
	const unsigned char *n = (const unsigned char *)nm->name, *p = s;

	while (*n) {
		if (*n == ' ') {
			if (!isspace(*p))
				return 0;
			while (isspace(*p))
				p++;
			while (*n == ' ')
				n++;
			continue;
		}
		if (lower(*p) != lower(*n))
			return 0;
		p++;
		n++;
	}
	/* Whole words: no word character may continue it. */
	if (word_at((const unsigned char *)nm->name + nm->len - 1) && *p && word_at(p))
		return 0;
	return (size_t)(p - s);
}

static bool local_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static bool domain_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-';
}

/* An e-mail address around the '@' at s[at]: its span [*start, *end), or false. */
static bool email_at(const unsigned char *s, size_t at, size_t *start, size_t *end)
{
	size_t b = at, e = at + 1, dot = 0, k;
	int alpha = 0;

	while (b > 0 && local_char(s[b - 1]))
		b--;
	while (b < at && s[b] == '.')
		b++;
	if (b == at)
		return false;
	while (domain_char(s[e]))
		e++;
	while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-'))
		e--;
	if (e == at + 1 || s[at + 1] == '.')
		return false;
	for (k = at + 1; k < e; k++)
		if (s[k] == '.')
			dot = k;
	if (!dot)
		return false;
	for (k = dot + 1; k < e; k++)
		alpha += isalpha(s[k]) != 0;
	if (alpha < 2 || alpha != (int)(e - dot - 1))
		return false;
	*start = b;
	*end = e;
	return true;
}

/* Is the digit group p[0..len) a year 1900..2099? */
static bool year(const unsigned char *p, int len)
{
	return len == 4 && ((p[0] == '1' && p[1] == '9') || (p[0] == '2' && p[1] == '0'));
}

/*
 * A phone number starting at s[i]: its length, or 0. See anonymise.h for
 * what counts. The caller has checked that no word goes on before s[i].
 */
static size_t phone_at(const unsigned char *s, size_t i)
{
	const unsigned char *p = s + i;
	size_t j = 0, end = 0;
	int digits = 0, run = 0, ng = 0, len = 0;
	int glen[8], gpos[8];	/* the first 8 digit groups: length, offset */
	unsigned char gsep[8];	/* the separator after each, if exactly one character */
	bool plus = false, open = false, close = false, sep = false;

	if (i > 0 && strchr("$#/.,_@+-*%=", s[i - 1]))
		return 0;
	if (*p == '+') {
		plus = true;
		j++;
	}
	if (!isdigit(p[j]) && !(p[j] == '(' && isdigit(p[j + 1])))
		return 0;
	open = p[j] == '(';
	for (;;) {
		unsigned char c = p[j];

		if (isdigit(c)) {
			if (!len && ng < 8)
				gpos[ng] = (int)j;
			digits++;
			len++;
			run = 0;
			end = ++j;
			continue;
		}
		if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')')
			break;
		if (++run > 2)
			break;
		if (len) {
			if (ng < 8) {
				glen[ng] = len;
				gsep[ng] = p[j + 1] == ' ' || p[j + 1] == '-' || p[j + 1] == '.' ||
					   p[j + 1] == '(' || p[j + 1] == ')' ? 0 : c;
				ng++;
			}
			len = 0;
		}
		j++;
	}
	if (len && ng < 8) {
		glen[ng] = len;
		gsep[ng++] = 0;
	}
	if (digits < PHONE_MIN_DIGITS || digits > PHONE_MAX_DIGITS)
		return 0;
	if (p[end] && word_at(p + end))
		return 0;
	for (j = 0; j < end; j++) {
		sep |= p[j] == ' ' || p[j] == '-' || p[j] == '.' || p[j] == '(' || p[j] == ')';
		close |= p[j] == ')';
	}
	if (!sep && !plus && digits < PHONE_BARE_DIGITS)
		return 0;
	/* "(555" is an area code only when its parenthesis closes. */
	if (open && !close)
		return 0;
	if (plus)
		return end;
	/* A date: 2026-11-20, 20.11.2026, 11/20/2026 (one separator, the same twice). */
	if (ng >= 3 && gsep[0] && gsep[0] != ' ' && gsep[0] == gsep[1] &&
	    ((glen[0] == 4 && glen[1] <= 2 && glen[2] <= 2) ||
	     (glen[0] <= 2 && glen[1] <= 2 && glen[2] == 4)))
		return 0;
	/* A range of years (2025-2026) or a decimal number (1234567.89). */
	if (ng == 2 && ((year(p + gpos[0], glen[0]) && year(p + gpos[1], glen[1])) ||
			gsep[0] == '.'))
		return 0;
	return end;
}

struct buf {
	char *s;
	size_t n, cap;
	bool oom;
};

static void put(struct buf *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *s;

		while (b->n + n + 1 > cap)
			cap *= 2;
		s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* The replacements, or a space for each when blank. */
static char *anonymise(const struct cs_anon *ca, const char *text, bool blank)
{
	const unsigned char *s = (const unsigned char *)text;
	struct cs_anon *a = (struct cs_anon *)ca;	/* sorts its names on first use */
	size_t len = strlen(text), i = 0, next_at = 0, es = 0, ee = 0;
	bool have_email = false;
	struct buf out = { 0 };

	if (a && !a->sorted && sort_names(a))
		return NULL;
	put(&out, "", 0);
	while (i < len) {
		size_t k = 0, m;
		bool wb;

		/* The next e-mail address at or after i. */
		while (!have_email && next_at < len) {
			const char *at = memchr(text + next_at, '@', len - next_at);

			if (!at) {
				next_at = len;
				break;
			}
			next_at = (size_t)(at - text) + 1;
			if (email_at(s, next_at - 1, &es, &ee) && es >= i)
				have_email = true;
		}
		if (have_email && i == es) {
			put(&out, blank ? " " : "[email]", blank ? 1 : 7);
			i = ee;
			have_email = false;
			next_at = ee;
			continue;
		}
		wb = word_before(s, i);
		if (!wb && (m = phone_at(s, i))) {
			put(&out, blank ? " " : "[phone]", blank ? 1 : 7);
			i += m;
			continue;
		}
		m = 0;
		if (a && a->n && word_at(s + i)) {
			/* A name starting with a word starts where the text's word does. */
			size_t n = wb ? 0 : word_len(s + i), j;

			for (j = n ? key_lower_bound(a, s + i, n) : a->nkey; j < a->nkey; j++) {
				const struct name *nm = &a->v[k = a->by_key[j]];

				if (key_cmp((const unsigned char *)nm->name, nm->klen, s + i, n))
					break;
				if ((m = name_match(s + i, nm)))
					break;
			}
		} else if (a && a->n) {
			int b = lower(s[i]);

			for (k = a->first[b]; k < a->first[b + 1]; k++) {
				const struct name *nm = &a->v[k];

				/* A name starting with a letter starts a word. */
				if (wb && word_at((const unsigned char *)nm->name))
					continue;
				if ((m = name_match(s + i, nm)))
					break;
			}
		}
		if (m) {
			if (blank)
				put(&out, " ", 1);
			else
				put(&out, a->v[k].repl, strlen(a->v[k].repl));
			i += m;
			continue;
		}
		put(&out, s + i, 1);
		i++;
	}
	if (out.oom) {
		free(out.s);
		return NULL;
	}
	return out.s;
}

char *cs_anonymise(const struct cs_anon *a, const char *text)
{
	return anonymise(a, text, false);
}

char *cs_anonymise_blank(const struct cs_anon *a, const char *text)
{
	return anonymise(a, text, true);
}
