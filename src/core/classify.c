/*
 * classify.c — the text side of tickets: tokens, phrase rules, theme keys
 * and the naive Bayes engine. See tickets.h and tickets_int.h.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "casey/kinds.h"
#include "tickets_int.h"

const char *const cs_category_names[CAT_COUNT] = {
	"Bug Report", "Feature Request", "Documentation Gap", "Usability Issue",
	"Performance Issue", "Integration Question", "How-To Question",
};

const char *const cs_source_names[5] = { NULL, "export", "rule", "model", "csm" };

/*
 * Normalised names (cs_header_norm) of each category: the full name first,
 * then the short forms people type and tools export.
 */
static const char *const category_aliases[CAT_COUNT] = {
	"bugreport|bug|bugs|defect|bugreports",
	"featurerequest|feature|features|featurerequests|fr|enhancement",
	"documentationgap|docs|doc|documentation|docgap|docsgap|documentationgaps",
	"usabilityissue|usability|ux|usabilityissues",
	"performanceissue|performance|perf|performanceissues",
	"integrationquestion|integration|integrations|integrationquestions",
	"howtoquestion|howto|howtoquestions",
};

int cs_category_find(const char *name)
{
	char norm[64];
	int c;

	if (!name)
		return -1;
	cs_header_norm(name, norm, sizeof(norm));
	if (!norm[0])
		return -1;
	for (c = 0; c < CAT_COUNT; c++) {
		const char *a = category_aliases[c];

		while (*a) {
			size_t n = strcspn(a, "|");

			if (n == strlen(norm) && !memcmp(a, norm, n))
				return c;
			a += n + (a[n] == '|');
		}
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* Hash sets and vectors                                                */

uint64_t tok_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;	/* 0 marks an empty slot */
}

size_t hslot(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

int hset_add(struct hset *s, uint64_t h)
{
	size_t i;

	if (2 * (s->used + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64, j;
		uint64_t *slot = calloc(cap, sizeof(*slot));

		if (!slot)
			return -1;
		for (j = 0; j < s->cap; j++) {
			if (!s->slot[j])
				continue;
			for (i = hslot(s->slot[j], cap); slot[i]; i = (i + 1) & (cap - 1))
				;
			slot[i] = s->slot[j];
		}
		free(s->slot);
		s->slot = slot;
		s->cap = cap;
	}
	for (i = hslot(h, s->cap); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return 0;
	s->slot[i] = h;
	s->used++;
	return 0;
}

bool hset_has(const struct hset *s, uint64_t h)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = hslot(h, s->cap); s->slot[i]; i = (i + 1) & (s->cap - 1))
		if (s->slot[i] == h)
			return true;
	return false;
}

void hset_free(struct hset *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static int hvec_push(struct hvec *v, uint64_t h)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 64;
		uint64_t *p = realloc(v->h, cap * sizeof(*p));

		if (!p)
			return -1;
		v->h = p;
		v->cap = cap;
	}
	v->h[v->n++] = h;
	return 0;
}

void hvec_free(struct hvec *v)
{
	free(v->h);
	memset(v, 0, sizeof(*v));
}

/* ------------------------------------------------------------------ */
/* Tokens                                                               */

/* Bytes of the UTF-8 sequence at p, 0 if it is not a valid one. */
static int utf8_len(const unsigned char *p)
{
	int n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* ASCII only, whatever the locale: the tokeniser's hot path. */
static inline bool ascii_alnum(unsigned char c)
{
	return (unsigned char)((c | 0x20) - 'a') < 26 || (unsigned char)(c - '0') < 10;
}

static inline char ascii_lower(unsigned char c)
{
	return (char)((unsigned char)(c - 'A') < 26 ? c | 0x20 : c);
}

/*
 * Bytes of the word character at p, or 0 for a separator (*skip then says
 * how far to move). ASCII letters and digits are word characters; so are
 * non-ASCII letters, roughly: everything from U+00C0 on except the general
 * punctuation block U+2000..U+206F.
 */
static inline int word_char(const unsigned char *p, int *skip)
{
	int n;

	if (p[0] < 0x80) {
		*skip = 1;
		return ascii_alnum(p[0]);
	}
	n = utf8_len(p);
	*skip = n ? n : 1;
	if (!n || p[0] == 0xc2 || (p[0] == 0xe2 && (p[1] == 0x80 || p[1] == 0x81)))
		return 0;
	return n;
}

static int apostrophe(const unsigned char *p)
{
	if (p[0] == '\'')
		return 1;
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0x99)	/* U+2019 */
		return 3;
	return 0;
}

size_t tok_next(const char **pp, char buf[TOKEN_MAX + 1])
{
	const unsigned char *p = (const unsigned char *)*pp;
	size_t n = 0;
	int w, skip, a;

	while (*p && !word_char(p, &skip))
		p += skip;
	while (*p) {
		if ((w = word_char(p, &skip))) {
			if (n + (size_t)w <= TOKEN_MAX) {
				if (w == 1)
					buf[n++] = ascii_lower(*p);
				else
					memcpy(buf + n, p, (size_t)w), n += (size_t)w;
			}
			p += w;
		} else if (n && (a = apostrophe(p)) && word_char(p + a, &skip)) {
			p += a;	/* don't -> dont */
		} else {
			break;
		}
	}
	buf[n] = '\0';
	*pp = (const char *)p;
	return n;
}

/* Is the token a plural whose 's' goes: not -ss, -us, -is; four letters or more. */
static inline bool plural(const char *tok, size_t len)
{
	return len >= 4 && tok[len - 1] == 's' && tok[len - 2] != 's' && tok[len - 2] != 'u' &&
	       tok[len - 2] != 'i';
}

size_t tok_feature(const struct cs_tickets_config *cfg, char *tok, size_t len)
{
	if (len < 2 || hset_has(&cfg->stop, tok_hash(tok, len)))
		return 0;
	if (plural(tok, len)) {
		tok[--len] = '\0';
		if (hset_has(&cfg->stop, tok_hash(tok, len)))
			return 0;
	}
	return len;
}

int tok_scan(const struct cs_tickets_config *cfg, const char *text, struct hvec *raw,
	     struct hvec *feat)
{
	char tok[TOKEN_MAX + 1];
	size_t n;

	while (text && (n = tok_next(&text, tok))) {
		/* FNV-1a, keeping the hash before the last byte for a plural. */
		uint64_t h = 0xcbf29ce484222325ULL, before = h;

		for (size_t i = 0; i < n; i++) {
			before = h;
			h = (h ^ (unsigned char)tok[i]) * 0x100000001b3ULL;
		}
		h = h ? h : 1;
		before = before ? before : 1;
		if (raw && hvec_push(raw, h))
			return -1;
		if (!feat || n < 2 || hset_has(&cfg->stop, h))
			continue;
		if (plural(tok, n)) {
			h = before;
			if (hset_has(&cfg->stop, h))
				continue;
		}
		if (hvec_push(feat, h))
			return -1;
	}
	return 0;
}

int hvec_raw(const char *text, struct hvec *v)
{
	return tok_scan(NULL, text, v, NULL);
}

int hvec_tags(const char *tags, struct hvec *v)
{
	char tag[64], norm[66];

	while (tags && *tags) {
		size_t n = strcspn(tags, " \t\r\n,;|");

		if (n && n < sizeof(tag)) {
			memcpy(tag, tags, n);
			tag[n] = '\0';
			norm[0] = '#';
			cs_header_norm(tag, norm + 1, sizeof(norm) - 1);
			if (norm[1] && hvec_push(v, tok_hash(norm, strlen(norm))))
				return -1;
		}
		tags += n;
		tags += strspn(tags, " \t\r\n,;|");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Phrase rules                                                         */

struct rule_best {
	int category;
	double confidence;
	int line;
	bool tie;
};

static void match_rules(const struct cs_tickets_config *cfg, const struct hvec *v,
			bool subject, struct rule_best *b)
{
	size_t i, cap = cfg->rule_cap;

	if (!cfg->nrules)
		return;
	for (i = 0; i < v->n; i++) {
		uint64_t k = v->h[i] | 1;
		size_t s;
		int r;

		for (s = hslot(k, cap); cfg->rule_key[s] && cfg->rule_key[s] != k;
		     s = (s + 1) & (cap - 1))
			;
		if (!cfg->rule_key[s])
			continue;
		for (r = cfg->rule_head[s]; r >= 0; r = cfg->rules[r].next) {
			const struct rule *ru = &cfg->rules[r];

			if ((ru->subject_only && !subject) || i + (size_t)ru->ntok > v->n ||
			    memcmp(ru->tok, v->h + i, (size_t)ru->ntok * sizeof(v->h[0])))
				continue;
			if (ru->confidence > b->confidence) {
				b->category = ru->category;
				b->confidence = ru->confidence;
				b->line = ru->line;
				b->tie = false;
			} else if (ru->confidence == b->confidence && ru->category != b->category) {
				b->tie = true;
			}
		}
	}
}

int rule_verdict(const struct cs_tickets_config *cfg, const struct hvec *subject,
		    const struct hvec *description, double *confidence, int *line)
{
	struct rule_best b = { -1, 0, 0, false };

	match_rules(cfg, subject, true, &b);
	match_rules(cfg, description, false, &b);
	if (b.category < 0 || b.tie)
		return -1;
	*confidence = b.confidence;
	if (line)
		*line = b.line;
	return b.category;
}

int cs_rule_category(const struct cs_tickets_config *cfg, const char *subject,
		     const char *description, double *confidence, int *line)
{
	struct hvec s = { 0 }, d = { 0 };
	int c = -1;

	if (!hvec_raw(subject, &s) && !hvec_raw(description, &d))
		c = rule_verdict(cfg, &s, &d, confidence, line);
	hvec_free(&s);
	hvec_free(&d);
	return c;
}

/* ------------------------------------------------------------------ */
/* Theme keys                                                           */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, deduplicated words joined by spaces, whole words only. */
static void join_sorted(char **w, int n, char out[CS_THEME_MAX])
{
	size_t len = 0;
	int i;

	qsort(w, (size_t)n, sizeof(*w), cmp_str);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t l = strlen(w[i]);

		if (i && !strcmp(w[i], w[i - 1]))
			continue;
		if (len + (len ? 1 : 0) + l >= CS_THEME_MAX)
			break;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, w[i], l + 1);
		len += l;
	}
}

#define MAX_THEME_WORDS 32

void cs_theme_from_tags(const char *tags, char out[CS_THEME_MAX])
{
	char buf[MAX_THEME_WORDS][64], *w[MAX_THEME_WORDS];
	int n = 0;

	while (tags && *tags && n < MAX_THEME_WORDS) {
		size_t len = strcspn(tags, " \t\r\n,;|"), i;

		if (len) {
			size_t keep = len < sizeof(buf[0]) ? len : sizeof(buf[0]) - 1;

			/* Never cut a UTF-8 sequence in two. */
			while (keep < len && keep && ((unsigned char)tags[keep] & 0xc0) == 0x80)
				keep--;
			for (i = 0; i < keep; i++) {
				char c = (char)tolower((unsigned char)tags[i]);

				buf[n][i] = c == '_' ? '-' : c;
			}
			buf[n][keep] = '\0';
			w[n] = buf[n];
			n++;
		}
		tags += len;
		tags += strspn(tags, " \t\r\n,;|");
	}
	join_sorted(w, n, out);
}

void cs_theme_from_subject(const struct cs_tickets_config *cfg, const char *subject,
			   char out[CS_THEME_MAX])
{
	char buf[8][TOKEN_MAX + 1], *w[8];
	int n = 0;
	size_t len;

	while (subject && n < cfg->subject_terms && (len = tok_next(&subject, buf[n]))) {
		if (strpbrk(buf[n], "0123456789") || !tok_feature(cfg, buf[n], len))
			continue;
		/* A word said twice counts once. */
		for (int i = 0; i < n; i++)
			if (!strcmp(buf[i], buf[n]))
				goto next;
		w[n] = buf[n];
		n++;
next:;
	}
	join_sorted(w, n, out);
}

/* ------------------------------------------------------------------ */
/* Naive Bayes                                                          */

struct nb {
	double alpha;
	/* vocabulary: word hash -> index */
	uint64_t *vkey;
	uint32_t *vidx;
	size_t vcap;
	uint32_t nwords;
	/* (word, class) -> occurrences, key (word + 1) << 32 | class */
	uint64_t *pkey;
	uint32_t *pcnt;
	size_t pcap, npairs;
	/* per class: training documents and word occurrences */
	long *docs;
	double *ntok;
	int ncls;
	long total;
	/* postings by word, rebuilt after training: class and log weight */
	bool dirty;
	uint32_t *start;
	uint32_t *pcls;
	double *pw;
	double *acc;
};

struct nb *nb_new(double alpha)
{
	struct nb *m = calloc(1, sizeof(*m));

	if (m)
		m->alpha = alpha;
	return m;
}

static void nb_free_postings(struct nb *m)
{
	free(m->start);
	free(m->pcls);
	free(m->pw);
	free(m->acc);
	m->start = m->pcls = NULL;
	m->pw = m->acc = NULL;
}

void nb_free(struct nb *m)
{
	if (!m)
		return;
	free(m->vkey);
	free(m->vidx);
	free(m->pkey);
	free(m->pcnt);
	free(m->docs);
	free(m->ntok);
	nb_free_postings(m);
	free(m);
}

/* Slot of key in a table of cap slots (0 = empty). */
static size_t find_slot(const uint64_t *keys, size_t cap, uint64_t k)
{
	size_t i;

	for (i = hslot(k, cap); keys[i] && keys[i] != k; i = (i + 1) & (cap - 1))
		;
	return i;
}

static int grow_vocab(struct nb *m)
{
	size_t cap = m->vcap ? 2 * m->vcap : 1024, i;
	uint64_t *key = calloc(cap, sizeof(*key));
	uint32_t *idx = malloc(cap * sizeof(*idx));

	if (!key || !idx) {
		free(key);
		free(idx);
		return -1;
	}
	for (i = 0; i < m->vcap; i++) {
		if (m->vkey[i]) {
			size_t s = find_slot(key, cap, m->vkey[i]);

			key[s] = m->vkey[i];
			idx[s] = m->vidx[i];
		}
	}
	free(m->vkey);
	free(m->vidx);
	m->vkey = key;
	m->vidx = idx;
	m->vcap = cap;
	return 0;
}

static int grow_pairs(struct nb *m)
{
	size_t cap = m->pcap ? 2 * m->pcap : 4096, i;
	uint64_t *key = calloc(cap, sizeof(*key));
	uint32_t *cnt = malloc(cap * sizeof(*cnt));

	if (!key || !cnt) {
		free(key);
		free(cnt);
		return -1;
	}
	for (i = 0; i < m->pcap; i++) {
		if (m->pkey[i]) {
			size_t s = find_slot(key, cap, m->pkey[i]);

			key[s] = m->pkey[i];
			cnt[s] = m->pcnt[i];
		}
	}
	free(m->pkey);
	free(m->pcnt);
	m->pkey = key;
	m->pcnt = cnt;
	m->pcap = cap;
	return 0;
}

static int grow_classes(struct nb *m, int c)
{
	int n = m->ncls, want = c + 1;
	long *docs;
	double *ntok;

	if (want <= n)
		return 0;
	docs = realloc(m->docs, (size_t)want * sizeof(*docs));
	if (!docs)
		return -1;
	m->docs = docs;
	ntok = realloc(m->ntok, (size_t)want * sizeof(*ntok));
	if (!ntok)
		return -1;
	m->ntok = ntok;
	memset(docs + n, 0, (size_t)(want - n) * sizeof(*docs));
	memset(ntok + n, 0, (size_t)(want - n) * sizeof(*ntok));
	m->ncls = want;
	return 0;
}

int nb_train(struct nb *m, const struct hvec *doc, int c)
{
	size_t i;

	if (c < 0 || grow_classes(m, c))
		return -1;
	m->dirty = true;
	m->docs[c]++;
	m->total++;
	for (i = 0; i < doc->n; i++) {
		uint64_t pk;
		size_t s;
		uint32_t w;

		if (2 * (m->nwords + 1) > m->vcap && grow_vocab(m))
			return -1;
		s = find_slot(m->vkey, m->vcap, doc->h[i]);
		if (!m->vkey[s]) {
			if (m->nwords == UINT32_MAX - 1)
				return -1;
			m->vkey[s] = doc->h[i];
			m->vidx[s] = m->nwords++;
		}
		w = m->vidx[s];
		if (2 * (m->npairs + 1) > m->pcap && grow_pairs(m))
			return -1;
		pk = ((uint64_t)w + 1) << 32 | (uint32_t)c;
		s = find_slot(m->pkey, m->pcap, pk);
		if (!m->pkey[s]) {
			m->pkey[s] = pk;
			m->pcnt[s] = 0;
			m->npairs++;
		}
		m->pcnt[s]++;
		m->ntok[c] += 1;
	}
	return 0;
}

long nb_docs(const struct nb *m, int c)
{
	if (c < 0)
		return m->total;
	return c < m->ncls ? m->docs[c] : 0;
}

/* Postings by word, in a deterministic order: by word, then class. */
static int build_postings(struct nb *m)
{
	size_t i;
	uint32_t w, *fill;
	double la = log(m->alpha);

	nb_free_postings(m);
	m->start = calloc((size_t)m->nwords + 1, sizeof(*m->start));
	m->pcls = malloc((m->npairs ? m->npairs : 1) * sizeof(*m->pcls));
	m->pw = malloc((m->npairs ? m->npairs : 1) * sizeof(*m->pw));
	m->acc = malloc((size_t)(m->ncls ? m->ncls : 1) * sizeof(*m->acc));
	fill = calloc((size_t)m->nwords + 1, sizeof(*fill));
	if (!m->start || !m->pcls || !m->pw || !m->acc || !fill) {
		free(fill);
		nb_free_postings(m);
		return -1;
	}
	for (i = 0; i < m->pcap; i++)
		if (m->pkey[i])
			m->start[(m->pkey[i] >> 32)]++;	/* word + 1 */
	for (w = 0; w < m->nwords; w++)
		m->start[w + 1] += m->start[w];
	for (i = 0; i < m->pcap; i++) {
		if (m->pkey[i]) {
			uint32_t word = (uint32_t)(m->pkey[i] >> 32) - 1, at;
			uint32_t c = (uint32_t)m->pkey[i];

			/* Insertion by class keeps each word's postings sorted. */
			at = m->start[word] + fill[word]++;
			while (at > m->start[word] && m->pcls[at - 1] > c) {
				m->pcls[at] = m->pcls[at - 1];
				m->pw[at] = m->pw[at - 1];
				at--;
			}
			m->pcls[at] = c;
			m->pw[at] = log((double)m->pcnt[i] + m->alpha) - la;
		}
	}
	free(fill);
	m->dirty = false;
	return 0;
}

int nb_predict(struct nb *m, const struct hvec *doc, const bool *allowed, double *post)
{
	double la = log(m->alpha), v, best = -INFINITY, sum = 0;
	long len = 0;
	int c, top = -1;
	size_t i;

	for (c = 0; c < m->ncls; c++)
		post[c] = 0;
	if (!m->total || (m->dirty && build_postings(m)))
		return -1;
	for (c = 0; c < m->ncls; c++)
		m->acc[c] = 0;
	v = (double)m->nwords;
	for (i = 0; i < doc->n; i++) {
		size_t s = find_slot(m->vkey, m->vcap, doc->h[i]);
		uint32_t w, k;

		if (!m->vkey[s])
			continue;	/* never seen in training: no evidence */
		len++;
		w = m->vidx[s];
		for (k = m->start[w]; k < m->start[w + 1]; k++)
			m->acc[m->pcls[k]] += m->pw[k];
	}
	/*
	 * log P(c) + sum over words of log((n(w,c) + a) / (N(c) + a V)), with
	 * the words c never saw contributing log a each: acc holds the rest.
	 */
	for (c = 0; c < m->ncls; c++) {
		if (!m->docs[c] || (allowed && !allowed[c])) {
			m->acc[c] = -INFINITY;
			continue;
		}
		m->acc[c] += log((double)m->docs[c] / (double)m->total) +
			     (double)len * (la - log(m->ntok[c] + m->alpha * v));
		if (m->acc[c] > best) {
			best = m->acc[c];
			top = c;
		}
	}
	if (top < 0)
		return -1;
	for (c = 0; c < m->ncls; c++)
		if (m->acc[c] > -INFINITY)
			sum += post[c] = exp(m->acc[c] - best);
	for (c = 0; c < m->ncls; c++)
		post[c] /= sum;
	return top;
}

/* ------------------------------------------------------------------ */
/* The category classifier                                              */

struct cs_classifier {
	const struct cs_tickets_config *cfg;
	struct nb *nb;
	struct hvec doc;
};

struct cs_classifier *cs_classifier_new(const struct cs_tickets_config *cfg)
{
	struct cs_classifier *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cfg = cfg;
	m->nb = nb_new(cfg->alpha);
	if (!m->nb || grow_classes(m->nb, CAT_COUNT - 1)) {
		cs_classifier_free(m);
		return NULL;
	}
	return m;
}

int ticket_tokens(const struct cs_tickets_config *cfg, const char *subject,
		  const char *description, const char *tags, struct hvec *raw_subject,
		  struct hvec *raw_description, struct hvec *doc, size_t *nwords)
{
	doc->n = 0;
	if (raw_subject)
		raw_subject->n = 0;
	if (raw_description)
		raw_description->n = 0;
	if (tok_scan(cfg, subject, raw_subject, doc) ||
	    tok_scan(cfg, description, raw_description, doc))
		return -1;
	if (nwords)
		*nwords = doc->n;
	return hvec_tags(tags, doc);
}

/* The features of a ticket into m->doc. */
static int ticket_doc(struct cs_classifier *m, const char *subject, const char *description,
		      const char *tags)
{
	return ticket_tokens(m->cfg, subject, description, tags, NULL, NULL, &m->doc, NULL);
}

int classifier_train_doc(struct cs_classifier *m, const struct hvec *doc, int category)
{
	if (category < 0 || category >= CAT_COUNT)
		return -1;
	return nb_train(m->nb, doc, category);
}

int classifier_predict_doc(struct cs_classifier *m, const struct hvec *doc,
			   double posterior[CAT_COUNT])
{
	return nb_predict(m->nb, doc, NULL, posterior);
}

int cs_classifier_train(struct cs_classifier *m, const char *subject, const char *description,
			const char *tags, int category)
{
	if (category < 0 || category >= CAT_COUNT)
		return -1;
	if (ticket_doc(m, subject, description, tags))
		return -1;
	return nb_train(m->nb, &m->doc, category);
}

long cs_classifier_size(const struct cs_classifier *m)
{
	return nb_docs(m->nb, -1);
}

int cs_classifier_predict(struct cs_classifier *m, const char *subject,
			  const char *description, const char *tags,
			  double posterior[CAT_COUNT])
{
	double post[CAT_COUNT];
	int c;

	if (ticket_doc(m, subject, description, tags))
		return -1;
	c = nb_predict(m->nb, &m->doc, NULL, post);
	if (posterior)
		memcpy(posterior, post, sizeof(post));
	return c;
}

void cs_classifier_free(struct cs_classifier *m)
{
	if (!m)
		return;
	nb_free(m->nb);
	hvec_free(&m->doc);
	free(m);
}
