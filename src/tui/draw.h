/*
 * draw.h — everything the dashboard puts on the screen goes through here:
 * colour roles and themes, glyphs with ASCII fallbacks, sanitised and
 * width-correct text, the shared column renderer (table) and scrolled
 * text (lines).
 *
 * Text. draw_text() is the only function that writes data to curses. It
 * applies casey/termsafe.h's rule (control characters, escapes and bidi
 * controls become placeholders such as ^[ and <BIDI>, drawn in reverse),
 * decodes UTF-8 itself (an invalid byte becomes <FF>), measures every
 * character with wcwidth() (wide CJK takes two columns, combining marks
 * none) and never writes past the width it is given. Outside a UTF-8
 * locale every non-ASCII character is drawn as '?'.
 *
 * Colours. A role names what something is ("red band", "selected row");
 * the theme maps roles to curses attributes. The colour theme uses colour
 * pairs; the monochrome theme (NO_COLOR set, or a terminal without
 * colours) uses attributes only — bold, underline, reverse — so nothing
 * depends on colour.
 */
#ifndef CASEY_TUI_DRAW_H
#define CASEY_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "action.h"

struct rect {
	int y, x, h, w;
};

/*      role            fg             bg            colour attrs           monochrome attrs */
#define TUI_ROLES(X) \
	X(NORMAL,       -1,            -1,           A_NORMAL,              A_NORMAL) \
	X(TITLE,        COLOR_BLACK,   COLOR_CYAN,   A_NORMAL,              A_REVERSE) \
	X(TITLE_KEYS,   COLOR_BLACK,   COLOR_CYAN,   A_NORMAL,              A_REVERSE) \
	X(STATUS,       COLOR_BLACK,   COLOR_WHITE,  A_NORMAL,              A_REVERSE) \
	X(ERROR,        COLOR_WHITE,   COLOR_RED,    A_BOLD,                A_REVERSE | A_BOLD) \
	X(PANE,         COLOR_CYAN,    -1,           A_BOLD,                A_BOLD | A_UNDERLINE) \
	X(PANE_FOCUS,   COLOR_BLACK,   COLOR_CYAN,   A_BOLD,                A_REVERSE | A_BOLD) \
	X(HEADER,       -1,            -1,           A_UNDERLINE,           A_UNDERLINE) \
	X(HEADING,      COLOR_CYAN,    -1,           A_BOLD,                A_BOLD) \
	X(SELECTED,     COLOR_BLACK,   COLOR_WHITE,  A_NORMAL,              A_REVERSE) \
	X(MUTED,        -1,            -1,           A_DIM,                 A_NORMAL) \
	X(GREEN,        COLOR_GREEN,   -1,           A_NORMAL,              A_NORMAL) \
	X(YELLOW,       COLOR_YELLOW,  -1,           A_NORMAL,              A_UNDERLINE) \
	X(RED,          COLOR_RED,     -1,           A_BOLD,                A_BOLD) \
	X(UP,           COLOR_GREEN,   -1,           A_NORMAL,              A_NORMAL) \
	X(DOWN,         COLOR_RED,     -1,           A_BOLD,                A_BOLD) \
	X(PROMPT,       -1,            -1,           A_BOLD,                A_BOLD)

enum role {
#define X(name, fg, bg, attr, mono) ROLE_##name,
	TUI_ROLES(X)
#undef X
	ROLE_COUNT
};

/*
 * Choose the theme once curses is up: monochrome when mono is true or the
 * terminal has no colours. Returns whether colours are in use.
 */
bool theme_init(bool mono);
attr_t role_attr(enum role r);
/* The role of a band name ("green", ...): ROLE_GREEN, ...; NORMAL if unknown. */
enum role band_role(const char *band);
/* The role of a churn-risk segment (signals.h): high red, medium yellow. */
enum role churn_role(int segment);

/* Glyphs, with their ASCII fallbacks outside a UTF-8 locale. */
struct glyphs {
	const char *up, *down, *flat;	/* trend arrows: ↑ ↓ →  or  ^ v - */
	const char *vline;		/* pane separator */
	const char *ellipsis;		/* text cut short */
	const char *dot;		/* list separator " · " */
	const char *bar[9];		/* 0/8 .. 8/8 of a bar cell */
	const char *spark[8];		/* sparkline levels, lowest first */
};

/* Set up the glyphs from the locale's codeset; returns whether it is UTF-8. */
bool glyphs_init(void);
extern const struct glyphs *glyph;
/* The arrow of a trend name, and its role. */
const char *trend_arrow(const char *trend);
enum role trend_role(const char *trend);

/* draw_text() flags */
enum {
	T_RIGHT = 1 << 0,	/* right-align within the width */
	T_PAD = 1 << 1,		/* fill the rest of the width with blanks */
	T_CENTRE = 1 << 2,	/* centre within the width */
};

/*
 * Draw s at (y, x) in at most w columns with role's attributes, cut with
 * an ellipsis when too wide. Returns the columns drawn (w when padded).
 * NULL draws nothing.
 */
int draw_text(int y, int x, int w, const char *s, enum role role, unsigned flags);
/* printf into a buffer, then draw_text(). */
int draw_textf(int y, int x, int w, enum role role, unsigned flags, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* The columns s takes on the screen, placeholders included. */
int text_width(const char *s);
/* Blank a rectangle with a role's attributes. */
void draw_fill(struct rect r, enum role role);

/* "$1,234,567" (no cents); "unknown" when !known. */
void fmt_money(char *buf, size_t size, double amount, bool known);
/* "$1.2M", "$341k", "$950": at most 6 columns. */
void fmt_money_short(char *buf, size_t size, double amount, bool known);

/* ------------------------------------------------------------------ */
/* The shared column renderer                                          */

struct column {
	const char *title;
	int width;		/* columns; 0 = flexible: shares what is left */
	int min;		/* a flexible column's least width */
	bool right;		/* right-aligned */
	int drop;		/* when too narrow, higher drop goes first; 0 never */
	int max;		/* a flexible column grows to this at most; 0 no limit */
};

struct cell {
	const char *text;
	enum role role;
};

/*
 * Called for each visible cell: fill out->text (buf may hold it) and
 * out->role (preset to ROLE_NORMAL, out->text to "").
 */
typedef void (*cell_fn)(void *ctx, int row, int col, struct cell *out, char *buf,
			size_t size);

struct table {
	const struct column *cols;
	int ncols;
	int nrows;		/* rows available (loaded) */
	int sel;		/* selected row, or -1 for none */
	int top;		/* first row shown */
	bool focused;		/* draw the selection */
	bool header;		/* a header row of column titles */
	const char *empty;	/* shown when nrows is 0 */
};

/* Draw the table in r (header, rows from top, selection when focused). */
void table_draw(struct table *t, struct rect r, cell_fn cell, void *ctx);
/* The rows r shows (r's height less the header). */
int table_page(const struct table *t, struct rect r);
/* Keep sel within [0, nrows) and visible in a page of page rows. */
void table_clamp(struct table *t, int page);
/*
 * Move the selection for UP, DOWN, PAGE_UP, PAGE_DOWN, FIRST, LAST. Returns
 * true if the action was a move (whether or not the selection changed).
 */
bool table_move(struct table *t, enum action a, int page);

/* ------------------------------------------------------------------ */
/* Scrolled text: lines of spans (detail and help screens)             */

struct span {
	enum role role;
	int width;		/* 0: as wide as the text */
	bool right;
	char *text;
};

struct lines {
	struct span *spans;
	int nspans, spans_cap;
	int *first;		/* first[i]: index of line i's first span */
	int n, cap;
	int top;		/* first line shown */
	bool oom;
};

void lines_init(struct lines *l);
void lines_release(struct lines *l);
/* Start a new line. */
void lines_add(struct lines *l);
/* Append a span to the current line (a line is started if there is none). */
void span_add(struct lines *l, enum role role, int width, bool right, const char *text);
void span_addf(struct lines *l, enum role role, int width, bool right, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void lines_draw(struct lines *l, struct rect r);
/* Scroll for the moving actions; returns true if a was one. */
bool lines_scroll(struct lines *l, enum action a, int page);

#endif
