/*
 * prompt.h — the status line's questions: a one-line text prompt and a
 * chooser. There is one of each kind at a time (struct tui's prompt);
 * while it is active the loop gives it every key, raw, before any action
 * mapping, so Esc, digits and letters reach it.
 *
 * The text prompt edits UTF-8: the cursor moves over whole characters (a
 * base character with its combining marks), wide characters take their
 * two columns, and a long text scrolls sideways to keep the cursor in
 * view. Only what could be typed is inserted: printable characters, never
 * controls, escapes or bidi overrides (casey/termsafe.h); what is shown
 * goes through draw_text() like any other data. Keys:
 *
 *   characters        insert at the cursor
 *   Backspace, ^H     delete before the cursor     Delete, ^D  at the cursor
 *   Left, ^B          one character left           Right, ^F   right
 *   Home, ^A          start of the text            End, ^E     its end
 *   ^U                delete to the start          ^K          to the end
 *   ^W                delete the word before the cursor
 *   Enter             accept: done() gets the text (even when empty)
 *   Esc, ^G           cancel: done() is not called
 *   Tab               complete, when the asker gave a complete() callback
 *
 * The chooser offers up to PROMPT_CHOICES_MAX labels in a box above the
 * status line: Up/Down (k/j), Home/End move, a digit picks and accepts,
 * Enter accepts, Esc (or q) cancels; chosen() gets the index.
 *
 * Callbacks run after the prompt has closed, with their own copy of the
 * answer, so a callback may open the next question.
 */
#ifndef CASEY_TUI_PROMPT_H
#define CASEY_TUI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of text a prompt holds, its NUL included: a checklist's notes fit. */
#define PROMPT_TEXT_MAX 4096
#define PROMPT_CHOICES_MAX 8
#define PROMPT_CHOICE_LEN 96

struct view;

struct prompt {
	bool active;
	char label[128];
	/* the text prompt */
	char text[PROMPT_TEXT_MAX];
	size_t len;		/* bytes of text */
	size_t cursor;		/* byte offset, on a character boundary */
	size_t max;		/* most bytes accepted, < PROMPT_TEXT_MAX */
	size_t first;		/* first byte shown: the sideways scroll */
	/* the chooser: nchoices > 0 */
	int nchoices, choice;
	char choices[PROMPT_CHOICES_MAX][PROMPT_CHOICE_LEN];
	/* who asked */
	struct view *view;
	void (*done)(struct view *v, const char *answer);
	void (*chosen)(struct view *v, int choice);
	/* Tab: rewrite text/len/cursor (optional; cleared by every new prompt) */
	void (*complete)(struct prompt *p);
	/* shown muted after the text until the next key: e.g. the completions */
	char hint[160];
};

/* Start a text prompt with initial text (NULL: empty), at most max bytes (0: all it holds). */
void prompt_text(struct prompt *p, const char *label, const char *initial, size_t max);
/* Start a chooser of n labels (at most PROMPT_CHOICES_MAX), initial selected. */
void prompt_choose(struct prompt *p, const char *label, const char *const *choices, int n,
		   int initial);
/*
 * Answer the active prompt as if typed and accepted: a text prompt takes
 * answer (cut at its max on a character boundary); a chooser takes the
 * choice whose label starts with answer (ignoring case; the first one of
 * several) or whose number it is. Returns 0 when accepted, -1 when no
 * choice matched (the chooser stays open).
 */
int prompt_answer(struct prompt *p, const char *answer);
/* A key for the active prompt (as wget_wch() reports it); calls back on accept. */
void prompt_key(struct prompt *p, int ch, bool is_key);
/*
 * Draw the prompt on row y, w columns wide, and a chooser's box above it;
 * leaves the curses cursor where typing goes.
 */
void prompt_draw(struct prompt *p, int y, int w);

#endif
