/* draw.c — themes, glyphs, safe text, tables and scrolled lines. See draw.h. */
#include <langinfo.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "casey/termsafe.h"
#include "draw.h"

/* ------------------------------------------------------------------ */
/* Themes                                                               */

static const struct {
	short fg, bg;
	attr_t colour, mono;
} roles[ROLE_COUNT] = {
#define X(name, fg, bg, attr, mono) { fg, bg, attr, mono },
	TUI_ROLES(X)
#undef X
};

static attr_t theme[ROLE_COUNT];

bool theme_init(bool mono)
{
	bool defaults;
	int i;

	if (mono || !has_colors() || start_color() == ERR || COLOR_PAIRS < ROLE_COUNT + 1) {
		for (i = 0; i < ROLE_COUNT; i++)
			theme[i] = roles[i].mono;
		return false;
	}
	/* -1 is the terminal's own colour where it has one. */
	defaults = use_default_colors() == OK;
	for (i = 0; i < ROLE_COUNT; i++) {
		short fg = roles[i].fg, bg = roles[i].bg;

		theme[i] = roles[i].colour;
		if (fg == -1 && bg == -1)
			continue;
		if (!defaults) {
			fg = fg == -1 ? COLOR_WHITE : fg;
			bg = bg == -1 ? COLOR_BLACK : bg;
		}
		init_pair((short)(i + 1), fg, bg);
		theme[i] |= COLOR_PAIR(i + 1);
	}
	return true;
}

attr_t role_attr(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? theme[r] : A_NORMAL;
}

enum role band_role(const char *band)
{
	if (!band)
		return ROLE_NORMAL;
	if (!strcmp(band, "green"))
		return ROLE_GREEN;
	if (!strcmp(band, "yellow"))
		return ROLE_YELLOW;
	if (!strcmp(band, "red"))
		return ROLE_RED;
	return ROLE_NORMAL;
}

enum role churn_role(int segment)
{
	return segment == 0 ? ROLE_RED : segment == 1 ? ROLE_YELLOW : ROLE_NORMAL;
}

/* ------------------------------------------------------------------ */
/* Glyphs                                                               */

static const struct glyphs utf8_glyphs = {
	"↑", "↓", "→", "│", "…", " · ",
	{ " ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█" },
	{ "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" },
};

static const struct glyphs ascii_glyphs = {
	"^", "v", "-", "|", "~", " - ",
	{ " ", " ", " ", " ", "#", "#", "#", "#", "#" },
	{ "_", ".", "-", "=", "+", "*", "#", "@" },
};

const struct glyphs *glyph = &ascii_glyphs;
static bool utf8;

bool glyphs_init(void)
{
	const char *cs = nl_langinfo(CODESET);

	utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	glyph = utf8 ? &utf8_glyphs : &ascii_glyphs;
	return utf8;
}

const char *trend_arrow(const char *trend)
{
	if (trend && !strcmp(trend, "improving"))
		return glyph->up;
	if (trend && !strcmp(trend, "declining"))
		return glyph->down;
	return glyph->flat;
}

enum role trend_role(const char *trend)
{
	if (trend && !strcmp(trend, "improving"))
		return ROLE_UP;
	if (trend && !strcmp(trend, "declining"))
		return ROLE_DOWN;
	return ROLE_NORMAL;
}

/* ------------------------------------------------------------------ */
/* Safe, width-correct text                                             */

/* One thing to draw: a character of the text, or a placeholder for bytes of it. */
struct unit {
	size_t len;		/* bytes of the text it stands for */
	int width;		/* columns */
	wchar_t wc;		/* the character, when ph is NULL */
	const char *ph;		/* the placeholder (ASCII), or NULL */
	char buf[CS_TERM_PLACEHOLDER_MAX];
};

/* Decode one UTF-8 character; 0 when s does not start a valid one. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c = s[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 1;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 2;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 3;
		c &= 0x07;
	} else {
		return 0;
	}
	for (i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n + 1;
}

static void next_unit(const char *s, struct unit *u)
{
	uint32_t cp;
	size_t n;
	int w;

	u->ph = NULL;
	if ((n = cs_term_unsafe(s, 0, u->buf))) {
		u->ph = u->buf;
		u->len = n;
		u->width = (int)strlen(u->buf);
		return;
	}
	if (!(n = utf8_decode((const unsigned char *)s, &cp))) {
		snprintf(u->buf, sizeof(u->buf), "<%02X>", (unsigned char)*s);
		u->ph = u->buf;
		u->len = 1;
		u->width = 4;
		return;
	}
	u->len = n;
	if (cp < 0x80) {
		u->wc = (wchar_t)cp;
		u->width = 1;
		return;
	}
	if (!utf8) {
		/* The terminal cannot show it; say so without guessing a width. */
		u->wc = L'?';
		u->width = 1;
		return;
	}
	u->wc = (wchar_t)cp;
	w = wcwidth(u->wc);
	if (w < 0) {
		/* Not printable (unassigned, a non-character): a visible stand-in. */
		snprintf(u->buf, sizeof(u->buf), "?");
		u->ph = u->buf;
		u->width = 1;
		return;
	}
	u->width = w;
}

int text_width(const char *s)
{
	struct unit u;
	int w = 0;

	if (!s)
		return 0;
	while (*s) {
		next_unit(s, &u);
		w += u.width;
		s += u.len;
	}
	return w;
}

/* Characters of one attribute, gathered for one waddnwstr(). */
struct run {
	wchar_t wc[256];
	int n;
	attr_t attr;
};

static void run_flush(struct run *r)
{
	if (!r->n)
		return;
	attrset(r->attr);
	addnwstr(r->wc, r->n);
	r->n = 0;
}

/* Draw s from the current position in at most w columns; returns the columns used. */
static int put_text(const char *s, int w, attr_t attr)
{
	struct run run = { .n = 0, .attr = attr };
	struct unit u;
	bool base = false;	/* a character a combining mark may attach to */
	int used = 0;

	while (*s) {
		next_unit(s, &u);
		if (used + u.width > w)
			break;
		if (u.ph) {
			run_flush(&run);
			attrset(attr ^ A_REVERSE);
			addstr(u.ph);
			base = false;
		} else if (u.width == 0) {
			/* A combining mark: only after a character of this text. */
			if (base) {
				if (run.n == (int)(sizeof(run.wc) / sizeof(run.wc[0])))
					run_flush(&run);
				run.wc[run.n++] = u.wc;
			}
		} else {
			if (run.n >= (int)(sizeof(run.wc) / sizeof(run.wc[0])) - 1)
				run_flush(&run);
			run.wc[run.n++] = u.wc;
			base = true;
		}
		used += u.width;
		s += u.len;
	}
	run_flush(&run);
	return used;
}

static void blanks(int n, attr_t attr)
{
	attrset(attr);
	for (; n > 0; n--)
		addch(' ');
}

int draw_text(int y, int x, int w, const char *s, enum role role, unsigned flags)
{
	attr_t attr = role_attr(role);
	int total, used, lead = 0;

	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	total = text_width(s ? s : "");
	if (total < w && (flags & (T_RIGHT | T_CENTRE)))
		lead = flags & T_RIGHT ? w - total : (w - total) / 2;
	move(y, x);
	if (lead && (flags & T_PAD))
		blanks(lead, attr);
	else if (lead)
		move(y, x + lead);
	if (total <= w) {
		used = lead + put_text(s ? s : "", w, attr);
	} else {
		int ew = text_width(glyph->ellipsis);

		used = put_text(s, w - ew, attr);
		attrset(attr);
		addstr(glyph->ellipsis);
		used += ew;
	}
	if (flags & T_PAD) {
		blanks(w - used, attr);
		used = w;
	}
	attrset(A_NORMAL);
	return used;
}

int draw_textf(int y, int x, int w, enum role role, unsigned flags, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(y, x, w, buf, role, flags);
}

void draw_fill(struct rect r, enum role role)
{
	for (int y = r.y; y < r.y + r.h; y++)
		draw_text(y, r.x, r.w, "", role, T_PAD);
}

void fmt_money(char *buf, size_t size, double amount, bool known)
{
	char digits[32], out[48];
	int n, o = 0, i;

	if (!known) {
		snprintf(buf, size, "unknown");
		return;
	}
	n = snprintf(digits, sizeof(digits), "%.0f", fabs(amount));
	if (n <= 0 || n >= (int)sizeof(digits)) {
		snprintf(buf, size, "?");
		return;
	}
	if (amount < 0 && lround(amount) != 0)
		out[o++] = '-';
	out[o++] = '$';
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(buf, size, "%s", out);
}

void fmt_money_short(char *buf, size_t size, double amount, bool known)
{
	if (!known)
		snprintf(buf, size, "?");
	else if (amount >= 9.995e5)
		snprintf(buf, size, "$%.1fM", amount / 1e6);
	else if (amount >= 9999.5)
		snprintf(buf, size, "$%.0fk", amount / 1e3);
	else
		snprintf(buf, size, "$%.0f", amount);
}

/* ------------------------------------------------------------------ */
/* Tables                                                               */

#define MAX_COLUMNS 16

/* Which columns fit in w, and how wide each is (0: not shown). */
static void table_widths(const struct table *t, int w, int *widths)
{
	bool shown[MAX_COLUMNS];
	int i, n = t->ncols < MAX_COLUMNS ? t->ncols : MAX_COLUMNS;

	for (i = 0; i < n; i++)
		shown[i] = true;
	for (;;) {
		int need = -1, drop = -1;

		for (i = 0; i < n; i++) {
			if (!shown[i])
				continue;
			need += 1 + (t->cols[i].width ? t->cols[i].width : t->cols[i].min);
			if (t->cols[i].drop && (drop < 0 || t->cols[i].drop > t->cols[drop].drop))
				drop = i;
		}
		if (need <= w || drop < 0) {
			int rest = w - need;

			for (i = 0; i < n; i++)
				widths[i] = !shown[i] ? 0 : t->cols[i].width ? t->cols[i].width :
					    t->cols[i].min;
			/* The rest, a column at a time, to the flexible ones below their max. */
			while (rest > 0) {
				bool grew = false;

				for (i = 0; i < n && rest > 0; i++) {
					if (!shown[i] || t->cols[i].width ||
					    (t->cols[i].max && widths[i] >= t->cols[i].max))
						continue;
					widths[i]++;
					rest--;
					grew = true;
				}
				if (!grew)
					break;
			}
			return;
		}
		shown[drop] = false;
	}
}

int table_page(const struct table *t, struct rect r)
{
	int page = r.h - (t->header ? 1 : 0);

	return page > 0 ? page : 0;
}

void table_clamp(struct table *t, int page)
{
	if (t->nrows <= 0) {
		t->sel = t->top = 0;
		return;
	}
	if (t->sel >= t->nrows)
		t->sel = t->nrows - 1;
	if (t->sel < 0)
		t->sel = 0;
	if (page <= 0)
		return;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + page)
		t->top = t->sel - page + 1;
	if (t->top > t->nrows - page)
		t->top = t->nrows - page;
	if (t->top < 0)
		t->top = 0;
}

bool table_move(struct table *t, enum action a, int page)
{
	int step = page > 1 ? page - 1 : 1;

	switch (a) {
	case ACT_UP:
		t->sel--;
		break;
	case ACT_DOWN:
		t->sel++;
		break;
	case ACT_PAGE_UP:
		t->sel -= step;
		t->top -= step;
		break;
	case ACT_PAGE_DOWN:
		t->sel += step;
		t->top += step;
		break;
	case ACT_FIRST:
		t->sel = 0;
		break;
	case ACT_LAST:
		t->sel = t->nrows - 1;
		break;
	default:
		return false;
	}
	table_clamp(t, page);
	return true;
}

void table_draw(struct table *t, struct rect r, cell_fn cell, void *ctx)
{
	int widths[MAX_COLUMNS], n = t->ncols < MAX_COLUMNS ? t->ncols : MAX_COLUMNS;
	int y = r.y, page = table_page(t, r), i, row;
	char buf[512];

	if (r.h <= 0 || r.w <= 0)
		return;
	table_widths(t, r.w, widths);
	table_clamp(t, page);
	if (t->header) {
		int x = r.x;

		draw_text(y, r.x, r.w, "", ROLE_HEADER, T_PAD);
		for (i = 0; i < n; i++) {
			if (!widths[i])
				continue;
			draw_text(y, x, widths[i], t->cols[i].title, ROLE_HEADER,
				  T_PAD | (t->cols[i].right ? T_RIGHT : 0));
			x += widths[i] + 1;
		}
		y++;
	}
	if (t->nrows <= 0 && t->empty) {
		draw_text(y, r.x, r.w, t->empty, ROLE_MUTED, 0);
		return;
	}
	for (row = t->top; row < t->nrows && y < r.y + r.h; row++, y++) {
		bool selected = t->focused && row == t->sel;
		int x = r.x;

		if (selected)
			draw_text(y, r.x, r.w, "", ROLE_SELECTED, T_PAD);
		for (i = 0; i < n; i++) {
			struct cell c = { "", ROLE_NORMAL };

			if (!widths[i])
				continue;
			buf[0] = '\0';
			cell(ctx, row, i, &c, buf, sizeof(buf));
			draw_text(y, x, widths[i], c.text, selected ? ROLE_SELECTED : c.role,
				  T_PAD | (t->cols[i].right ? T_RIGHT : 0));
			x += widths[i] + 1;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Scrolled lines                                                       */

void lines_init(struct lines *l)
{
	memset(l, 0, sizeof(*l));
}

void lines_release(struct lines *l)
{
	for (int i = 0; i < l->nspans; i++)
		free(l->spans[i].text);
	free(l->spans);
	free(l->first);
	lines_init(l);
}

void lines_add(struct lines *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 64;
		int *first = realloc(l->first, (size_t)cap * sizeof(*first));

		if (!first) {
			l->oom = true;
			return;
		}
		l->first = first;
		l->cap = cap;
	}
	l->first[l->n++] = l->nspans;
}

void span_add(struct lines *l, enum role role, int width, bool right, const char *text)
{
	char *copy;

	if (!l->n)
		lines_add(l);
	if (l->oom)
		return;
	if (l->nspans == l->spans_cap) {
		int cap = l->spans_cap ? 2 * l->spans_cap : 128;
		struct span *spans = realloc(l->spans, (size_t)cap * sizeof(*spans));

		if (!spans) {
			l->oom = true;
			return;
		}
		l->spans = spans;
		l->spans_cap = cap;
	}
	if (!(copy = strdup(text ? text : ""))) {
		l->oom = true;
		return;
	}
	l->spans[l->nspans++] = (struct span){ role, width, right, copy };
}

void span_addf(struct lines *l, enum role role, int width, bool right, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	span_add(l, role, width, right, buf);
}

void lines_draw(struct lines *l, struct rect r)
{
	int max_top = l->n - r.h > 0 ? l->n - r.h : 0;

	if (l->top > max_top)
		l->top = max_top;
	if (l->top < 0)
		l->top = 0;
	for (int i = l->top, y = r.y; i < l->n && y < r.y + r.h; i++, y++) {
		int end = i + 1 < l->n ? l->first[i + 1] : l->nspans, x = r.x;

		for (int s = l->first[i]; s < end && x < r.x + r.w; s++) {
			const struct span *sp = &l->spans[s];
			int w = sp->width ? sp->width : text_width(sp->text);

			if (x + w > r.x + r.w)
				w = r.x + r.w - x;
			x += draw_text(y, x, w, sp->text, sp->role,
				       (sp->width ? T_PAD : 0) | (sp->right ? T_RIGHT : 0));
		}
	}
}

bool lines_scroll(struct lines *l, enum action a, int page)
{
	int step = page > 1 ? page - 1 : 1, max_top = l->n - page > 0 ? l->n - page : 0;

	switch (a) {
	case ACT_UP:
		l->top--;
		break;
	case ACT_DOWN:
		l->top++;
		break;
	case ACT_PAGE_UP:
		l->top -= step;
		break;
	case ACT_PAGE_DOWN:
		l->top += step;
		break;
	case ACT_FIRST:
		l->top = 0;
		break;
	case ACT_LAST:
		l->top = max_top;
		break;
	default:
		return false;
	}
	if (l->top > max_top)
		l->top = max_top;
	if (l->top < 0)
		l->top = 0;
	return true;
}
