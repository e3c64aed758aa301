/*
 * script.c — scripted keystrokes and the screen dump: how the screen tests
 * and benchmarks drive the real dashboard (casey tui --keys --dump).
 *
 * A keys file is typed line by line. Every character of a line is a key
 * (UTF-8 is decoded), except <NAME> which names one:
 *
 *   <Enter> <Tab> <S-Tab> <Esc> <Space> <Backspace> <lt> (a '<')
 *   <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End> <F1>..<F12>
 *   <C-x>               the control key x (<C-l> redraws)
 *   <Resize 60x20>      the terminal becomes 60 columns by 20 lines
 *
 * The end of a line is not a key. Lines starting with '#' and blank lines
 * are ignored.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "tui.h"

struct script {
	struct script_event *ev;
	int n, cap, next;
};

static int push(struct script *s, enum script_kind kind, int code, int cols, int lines)
{
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 64;
		struct script_event *ev = realloc(s->ev, (size_t)cap * sizeof(*ev));

		if (!ev)
			return -1;
		s->ev = ev;
		s->cap = cap;
	}
	s->ev[s->n++] = (struct script_event){ kind, code, cols, lines };
	return 0;
}

/* The named key <name>; returns 0 with the event pushed, or -1. */
static int named(struct script *s, const char *name)
{
	static const struct {
		const char *name;
		enum script_kind kind;
		int code;
	} keys[] = {
		{ "Enter", SCRIPT_CHAR, '\r' }, { "Tab", SCRIPT_CHAR, '\t' },
		{ "S-Tab", SCRIPT_KEY, KEY_BTAB }, { "Esc", SCRIPT_CHAR, 27 },
		{ "Space", SCRIPT_CHAR, ' ' }, { "Backspace", SCRIPT_KEY, KEY_BACKSPACE },
		{ "lt", SCRIPT_CHAR, '<' }, { "Up", SCRIPT_KEY, KEY_UP },
		{ "Down", SCRIPT_KEY, KEY_DOWN }, { "Left", SCRIPT_KEY, KEY_LEFT },
		{ "Right", SCRIPT_KEY, KEY_RIGHT }, { "PgUp", SCRIPT_KEY, KEY_PPAGE },
		{ "PgDn", SCRIPT_KEY, KEY_NPAGE }, { "Home", SCRIPT_KEY, KEY_HOME },
		{ "End", SCRIPT_KEY, KEY_END },
	};
	int cols, lines, f;
	char c, tail;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(name, keys[i].name))
			return push(s, keys[i].kind, keys[i].code, 0, 0);
	if (sscanf(name, "Resize %dx%d%c", &cols, &lines, &tail) == 2 && cols > 0 &&
	    lines > 0 && cols <= 1000 && lines <= 1000)
		return push(s, SCRIPT_RESIZE, KEY_RESIZE, cols, lines);
	if (sscanf(name, "F%d%c", &f, &tail) == 1 && f >= 1 && f <= 12)
		return push(s, SCRIPT_KEY, KEY_F(f), 0, 0);
	if (sscanf(name, "C-%c%c", &c, &tail) == 1 && c >= '@' && c <= '~')
		return push(s, SCRIPT_CHAR, CTRL_KEY(c), 0, 0);
	return -1;
}

/* One UTF-8 character of p as a code point; its length, or 0 if invalid. */
static size_t decode(const unsigned char *p, int *cp)
{
	int n = p[0] < 0x80 ? 0 : p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : p[0] >= 0xc2 ? 1 : -1;
	int c = n == 0 ? p[0] : n == 1 ? p[0] & 0x1f : n == 2 ? p[0] & 0x0f : p[0] & 0x07;

	if (n < 0 || p[0] > 0xf4)
		return 0;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	*cp = c;
	return (size_t)n + 1;
}

struct script *script_load(const char *path, struct cs_diag *diag)
{
	struct script *s = calloc(1, sizeof(*s));
	char line[4096];
	int lineno = 0;
	FILE *f;

	if (!s) {
		cs_error(diag, "out of memory");
		return NULL;
	}
	if (!(f = fopen(path, "r"))) {
		cs_error(diag, "%s: %s", path, strerror(errno));
		free(s);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		const unsigned char *p = (const unsigned char *)line;

		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		while (*p) {
			const char *end;
			int cp;
			size_t n;

			if (*p == '<' && (end = strchr((const char *)p, '>'))) {
				char name[64];

				snprintf(name, sizeof(name), "%.*s", (int)(end - (const char *)p - 1),
					 (const char *)p + 1);
				if (named(s, name))
					goto bad;
				p = (const unsigned char *)end + 1;
				continue;
			}
			if (!(n = decode(p, &cp)) || push(s, SCRIPT_CHAR, cp, 0, 0))
				goto bad;
			p += n;
		}
	}
	fclose(f);
	return s;
bad:
	cs_error(diag, "%s:%d: cannot read this line of keys", path, lineno);
	fclose(f);
	script_free(s);
	return NULL;
}

bool script_next(struct script *s, struct script_event *ev)
{
	if (!s || s->next >= s->n)
		return false;
	*ev = s->ev[s->next++];
	return true;
}

void script_free(struct script *s)
{
	if (!s)
		return;
	free(s->ev);
	free(s);
}

/* ------------------------------------------------------------------ */
/* The dump                                                             */

/* Append wc as UTF-8 at out + n; returns the new length. */
static size_t put_utf8(char *out, size_t n, wchar_t wc)
{
	uint32_t c = (uint32_t)wc;

	if (c < 0x80) {
		out[n++] = (char)c;
	} else if (c < 0x800) {
		out[n++] = (char)(0xc0 | (c >> 6));
		out[n++] = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		out[n++] = (char)(0xe0 | (c >> 12));
		out[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[n++] = (char)(0x80 | (c & 0x3f));
	} else {
		out[n++] = (char)(0xf0 | (c >> 18));
		out[n++] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[n++] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[n++] = (char)(0x80 | (c & 0x3f));
	}
	return n;
}

/* A cell's attributes as one hex digit: bold 1, underline 2, reverse 4, dim 8. */
static char attr_code(attr_t a)
{
	int v = (a & A_BOLD ? 1 : 0) | (a & A_UNDERLINE ? 2 : 0) | (a & A_REVERSE ? 4 : 0) |
		(a & A_DIM ? 8 : 0);

	return v ? "0123456789abcdef"[v] : '.';
}

static char pair_code(short pair)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

	if (pair <= 0)
		return '.';
	return pair < (short)(sizeof(digits) - 1) ? digits[pair] : '+';
}

/*
 * One row into buf (at least COLS * 4 * CCHARW_MAX + 1 bytes): its text
 * (a wide character once, trailing blanks cut), or one code per column of
 * the attributes (what 0) or colour pairs (what 1).
 */
static void dump_row(char *buf, int y, int what)
{
	size_t n = 0, last = 0;
	int x = 0;

	while (x < COLS) {
		wchar_t wc[CCHARW_MAX + 1] = { 0 };
		cchar_t cc;
		attr_t attrs = 0;
		short pair = 0;
		int w, i;

		if (mvwin_wch(stdscr, y, x, &cc) == ERR ||
		    getcchar(&cc, wc, &attrs, &pair, NULL) == ERR) {
			wc[0] = L' ';
			wc[1] = 0;
			attrs = 0;
			pair = 0;
		}
		if (!wc[0])
			wc[0] = L' ';
		w = wcwidth(wc[0]);
		if (w < 1)
			w = 1;
		if (what < 0) {
			for (i = 0; i < CCHARW_MAX && wc[i]; i++)
				n = put_utf8(buf, n, wc[i]);
			if (wc[0] != L' ' || wc[1])
				last = n;
		} else {
			for (i = 0; i < w; i++)
				buf[n++] = what ? pair_code(pair) : attr_code(attrs);
			last = n;
		}
		x += w;
	}
	buf[last] = '\0';
}

int screen_dump(const char *path, bool attrs, struct cs_diag *diag)
{
	char *buf = malloc((size_t)COLS * 4 * (CCHARW_MAX + 1) + 1);
	FILE *f;
	int y;

	if (!buf)
		return cs_error(diag, "out of memory");
	if (!(f = fopen(path, "w"))) {
		free(buf);
		return cs_error(diag, "%s: %s", path, strerror(errno));
	}
	for (y = 0; y < LINES; y++) {
		dump_row(buf, y, -1);
		fprintf(f, "%s\n", buf);
	}
	if (attrs) {
		fprintf(f, "--- attributes (1 bold, 2 underline, 4 reverse, 8 dim; summed, hex)\n");
		for (y = 0; y < LINES; y++) {
			dump_row(buf, y, 0);
			fprintf(f, "%s\n", buf);
		}
		fprintf(f, "--- colour pairs\n");
		for (y = 0; y < LINES; y++) {
			dump_row(buf, y, 1);
			fprintf(f, "%s\n", buf);
		}
	}
	free(buf);
	if (fclose(f))
		return cs_error(diag, "%s: cannot write the dump", path);
	return 0;
}
