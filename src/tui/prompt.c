/* prompt.c — the status line's text prompt and chooser. See prompt.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "casey/termsafe.h"
#include "tui.h"

/* ------------------------------------------------------------------ */
/* Characters of the text                                               */

static size_t next_char(const char *s, size_t i, size_t len)
{
	if (i < len)
		i++;
	while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

static size_t prev_char(const char *s, size_t i)
{
	if (i > 0)
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

/* The columns bytes [a, b) of s take on the screen, as draw_text() draws them. */
static int width_of(const char *s, size_t a, size_t b)
{
	char buf[PROMPT_TEXT_MAX];

	if (b <= a)
		return 0;
	memcpy(buf, s + a, b - a);
	buf[b - a] = '\0';
	return text_width(buf);
}

/* A combining mark (it takes no column): it belongs to the character before it. */
static bool joins(const char *s, size_t i, size_t len)
{
	return i < len && width_of(s, i, next_char(s, i, len)) == 0;
}

/* The next and previous character boundaries, a character with its marks as one. */
static size_t next_cluster(const char *s, size_t i, size_t len)
{
	i = next_char(s, i, len);
	while (joins(s, i, len))
		i = next_char(s, i, len);
	return i;
}

static size_t prev_cluster(const char *s, size_t i, size_t len)
{
	i = prev_char(s, i);
	while (i > 0 && joins(s, i, len))
		i = prev_char(s, i);
	return i;
}

/* Encode code point c as UTF-8 into mb; its length, or 0 if c cannot be typed. */
static size_t encode(int c, char mb[4])
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0xd800 && c < 0xe000) ||
	    c > 0x10ffff)
		return 0;
	if (c < 0x80) {
		mb[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		mb[0] = (char)(0xc0 | (c >> 6));
		mb[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		mb[0] = (char)(0xe0 | (c >> 12));
		mb[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		mb[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	mb[0] = (char)(0xf0 | (c >> 18));
	mb[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	mb[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	mb[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/* ------------------------------------------------------------------ */
/* Editing                                                              */

static void insert(struct prompt *p, int c)
{
	char mb[CS_TERM_PLACEHOLDER_MAX] = { 0 }, ph[CS_TERM_PLACEHOLDER_MAX];
	size_t m = encode(c, mb);

	/* Nothing a terminal would act on: no bidi overrides either. */
	if (!m || cs_term_unsafe(mb, 0, ph) || p->len + m > p->max)
		return;
	memmove(p->text + p->cursor + m, p->text + p->cursor, p->len - p->cursor + 1);
	memcpy(p->text + p->cursor, mb, m);
	p->len += m;
	p->cursor += m;
}

/* Delete bytes [a, b) and leave the cursor at a. */
static void cut(struct prompt *p, size_t a, size_t b)
{
	if (b <= a)
		return;
	memmove(p->text + a, p->text + b, p->len - b + 1);
	p->len -= b - a;
	p->cursor = a;
	if (p->first > a)
		p->first = a;
}

static size_t word_start(const struct prompt *p)
{
	size_t i = p->cursor;

	while (i > 0 && p->text[i - 1] == ' ')
		i--;
	while (i > 0 && p->text[i - 1] != ' ')
		i = prev_char(p->text, i);
	return i;
}

void prompt_text(struct prompt *p, const char *label, const char *initial, size_t max)
{
	p->active = true;
	p->nchoices = 0;
	snprintf(p->label, sizeof(p->label), "%s", label);
	p->max = max && max < sizeof(p->text) ? max : sizeof(p->text) - 1;
	snprintf(p->text, sizeof(p->text), "%s", initial ? initial : "");
	p->len = strlen(p->text);
	/* An initial text cut at max would end mid-character: step back to a boundary. */
	if (p->len > p->max) {
		p->len = p->max;
		while (p->len > 0 && ((unsigned char)p->text[p->len] & 0xc0) == 0x80)
			p->len--;
		p->text[p->len] = '\0';
	}
	p->cursor = p->len;
	p->first = 0;
	p->complete = NULL;
	p->hint[0] = '\0';
}

void prompt_choose(struct prompt *p, const char *label, const char *const *choices, int n,
		   int initial)
{
	p->active = true;
	snprintf(p->label, sizeof(p->label), "%s", label);
	p->text[0] = '\0';
	p->len = p->cursor = p->first = 0;
	p->nchoices = n < PROMPT_CHOICES_MAX ? n : PROMPT_CHOICES_MAX;
	for (int i = 0; i < p->nchoices; i++)
		snprintf(p->choices[i], sizeof(p->choices[i]), "%s", choices[i]);
	p->choice = initial >= 0 && initial < p->nchoices ? initial : 0;
	p->complete = NULL;
	p->hint[0] = '\0';
}

/* Close the prompt, then call back (accept) with a copy of the answer. */
static void finish(struct prompt *p, bool accept)
{
	struct view *v = p->view;

	p->active = false;
	if (!accept)
		return;
	if (p->nchoices) {
		if (p->chosen)
			p->chosen(v, p->choice);
	} else if (p->done) {
		char answer[PROMPT_TEXT_MAX];

		memcpy(answer, p->text, p->len + 1);
		p->done(v, answer);
	}
}

static void choose_key(struct prompt *p, int ch, bool is_key)
{
	if (is_key) {
		switch (ch) {
		case KEY_UP:
			p->choice = p->choice > 0 ? p->choice - 1 : 0;
			break;
		case KEY_DOWN:
			p->choice = p->choice < p->nchoices - 1 ? p->choice + 1 : p->choice;
			break;
		case KEY_HOME:
			p->choice = 0;
			break;
		case KEY_END:
			p->choice = p->nchoices - 1;
			break;
		case KEY_ENTER:
			finish(p, true);
			break;
		}
		return;
	}
	if (ch == 'k')
		choose_key(p, KEY_UP, true);
	else if (ch == 'j')
		choose_key(p, KEY_DOWN, true);
	else if (ch == '\r' || ch == '\n')
		finish(p, true);
	else if (ch == 27 || ch == 'q' || ch == CTRL_KEY('g'))
		finish(p, false);
	else if (ch >= '1' && ch < '1' + p->nchoices) {
		p->choice = ch - '1';
		finish(p, true);
	}
}

int prompt_answer(struct prompt *p, const char *answer)
{
	if (p->nchoices) {
		size_t n = strlen(answer);
		char *end;
		long k = strtol(answer, &end, 10);

		if (n && !*end && k >= 1 && k <= p->nchoices) {
			p->choice = (int)k - 1;
			finish(p, true);
			return 0;
		}
		for (int i = 0; n && i < p->nchoices; i++)
			if (!strncasecmp(p->choices[i], answer, n)) {
				p->choice = i;
				finish(p, true);
				return 0;
			}
		return -1;
	}
	{
		char label[sizeof(p->label)];

		memcpy(label, p->label, sizeof(label));
		prompt_text(p, label, answer, p->max);
	}
	finish(p, true);
	return 0;
}

void prompt_key(struct prompt *p, int ch, bool is_key)
{
	p->hint[0] = '\0';
	if (p->nchoices) {
		choose_key(p, ch, is_key);
		return;
	}
	if (is_key) {
		switch (ch) {
		case KEY_BACKSPACE:
			cut(p, prev_cluster(p->text, p->cursor, p->len), p->cursor);
			break;
		case KEY_DC:
			cut(p, p->cursor, next_cluster(p->text, p->cursor, p->len));
			break;
		case KEY_LEFT:
			p->cursor = prev_cluster(p->text, p->cursor, p->len);
			break;
		case KEY_RIGHT:
			p->cursor = next_cluster(p->text, p->cursor, p->len);
			break;
		case KEY_HOME:
			p->cursor = 0;
			break;
		case KEY_END:
			p->cursor = p->len;
			break;
		case KEY_ENTER:
			finish(p, true);
			break;
		}
		return;
	}
	switch (ch) {
	case '\r':
	case '\n':
		finish(p, true);
		break;
	case 27:
	case CTRL_KEY('g'):
		finish(p, false);
		break;
	case 127:
	case CTRL_KEY('h'):
		prompt_key(p, KEY_BACKSPACE, true);
		break;
	case CTRL_KEY('d'):
		prompt_key(p, KEY_DC, true);
		break;
	case CTRL_KEY('b'):
		prompt_key(p, KEY_LEFT, true);
		break;
	case CTRL_KEY('f'):
		prompt_key(p, KEY_RIGHT, true);
		break;
	case CTRL_KEY('a'):
		p->cursor = 0;
		break;
	case CTRL_KEY('e'):
		p->cursor = p->len;
		break;
	case CTRL_KEY('u'):
		cut(p, 0, p->cursor);
		break;
	case CTRL_KEY('k'):
		cut(p, p->cursor, p->len);
		break;
	case CTRL_KEY('w'):
		cut(p, word_start(p), p->cursor);
		break;
	case '\t':
		if (p->complete)
			p->complete(p);
		break;
	default:
		insert(p, ch);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

/* The choices in rows across the screen above the status line, covering what is there. */
static void draw_choices(struct prompt *p, int y, int w)
{
	int top = y - p->nchoices;

	for (int i = 0; i < p->nchoices; i++) {
		bool sel = i == p->choice;

		draw_textf(top + i, 0, w, sel ? ROLE_SELECTED : ROLE_TITLE, T_PAD, "%s%d %s",
			   sel ? " > " : "   ", i + 1, p->choices[i]);
	}
	move(top + p->choice, 1);
}

/*
 * The hint at column x, after the text: its space-separated words as far
 * as they fit whole, then "..." when some are left out.
 */
static void draw_hint(const struct prompt *p, int y, int x, int w)
{
	char shown[sizeof(p->hint) + 4];
	const char *s = p->hint;
	size_t len = 0;

	while (*s) {
		size_t n = strcspn(s, " ");
		const char *rest = s + n + strspn(s + n, " ");
		size_t sep = len ? 1 : 0, more = *rest ? 4 : 0;	/* " ..." */

		if (x + (int)(len + sep + n + more) > w) {
			/* The previous word kept room for this. */
			if (len) {
				memcpy(shown + len, " ...", 4);
				len += 4;
			}
			break;
		}
		if (sep)
			shown[len++] = ' ';
		memcpy(shown + len, s, n);
		len += n;
		s = rest;
	}
	shown[len] = '\0';
	if (len && x < w)
		draw_text(y, x, w - x, shown, ROLE_MUTED, 0);
}

void prompt_draw(struct prompt *p, int y, int w)
{
	/* The label never takes the whole line: there must be room to type. */
	int x = draw_text(y, 0, w > 24 ? w - 16 : w / 2, p->label, ROLE_PROMPT, 0);
	int x0, room, cw;

	if (p->nchoices) {
		draw_textf(y, x, w - x, ROLE_MUTED, T_PAD, "Up/Down or 1-%d, Enter chooses, "
			   "Esc cancels", p->nchoices);
		draw_choices(p, y, w);
		return;
	}
	/* Scroll sideways so the cursor is in view, a marker showing text to the left. */
	if (p->cursor < p->first)
		p->first = p->cursor;
	x0 = x + (p->first ? 1 : 0);
	room = w - x0 - 1;	/* the cursor's column after the text must fit */
	cw = width_of(p->text, p->first, p->cursor);
	while (p->first < p->cursor && cw > room) {
		size_t next = next_cluster(p->text, p->first, p->len);

		cw -= width_of(p->text, p->first, next);
		p->first = next;
		x0 = x + 1;
		room = w - x0 - 1;
	}
	if (p->first)
		draw_text(y, x, 1, glyph->ellipsis, ROLE_MUTED, 0);
	draw_text(y, x0, w - x0, p->text + p->first, ROLE_NORMAL, T_PAD);
	/* The hint after the text and a space, only where it fits whole. */
	if (p->hint[0])
		draw_hint(p, y, x0 + width_of(p->text, p->first, p->len) + 2, w);
	move(y, x0 + cw < w ? x0 + cw : w - 1);
}

/* ------------------------------------------------------------------ */
/* The dashboard's prompt (tui.h)                                       */

struct prompt *tui_prompt(struct tui *t, struct view *v, const char *label, const char *initial,
			  void (*done)(struct view *v, const char *answer))
{
	prompt_text(&t->prompt, label, initial, 0);
	t->prompt.view = v;
	t->prompt.done = done;
	t->prompt.chosen = NULL;
	return &t->prompt;
}

void tui_choose(struct tui *t, struct view *v, const char *label, const char *const *choices,
		int n, int initial, void (*chosen)(struct view *v, int choice))
{
	prompt_choose(&t->prompt, label, choices, n, initial);
	t->prompt.view = v;
	t->prompt.done = NULL;
	t->prompt.chosen = chosen;
}
