/*
 * tui.c — the dashboard's main loop: curses set-up and tear-down, signals,
 * the view stack, the title bar, the status line and prompt, layout on
 * KEY_RESIZE, and the headless mode the screen tests use. See tui.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "casey/db.h"
#include "casey/value.h"
#include "tui.h"

/* How often (ms) a blocked read wakes up to look at the signal flag. */
#define INPUT_TIMEOUT_MS 250
/* Esc on its own: how long to wait for the rest of an escape sequence. */
#define ESC_DELAY_MS 25

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* SIGHUP, SIGTERM, SIGINT only set a flag: the loop restores the terminal and leaves. */
static void catch_signals(struct sigaction *saved)
{
	static const int sigs[3] = { SIGHUP, SIGTERM, SIGINT };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a signal interrupts the blocked read at once */
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &saved[i]);
}

static void restore_signals(const struct sigaction *saved)
{
	static const int sigs[3] = { SIGHUP, SIGTERM, SIGINT };

	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &saved[i], NULL);
}

/* Core errors and warnings: kept for the status line, never printed. */
static void emit_status(void *ctx, enum cs_level level, const char *msg)
{
	struct tui *t = ctx;

	if (level == CS_PROGRESS || level == CS_NOTE)
		return;
	snprintf(t->msg, sizeof(t->msg), "%s", msg);
	t->msg_role = level == CS_ERROR ? ROLE_ERROR : ROLE_STATUS;
}

void tui_message(struct tui *t, enum role role, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->msg, sizeof(t->msg), fmt, ap);
	va_end(ap);
	t->msg_role = role;
}

/* ------------------------------------------------------------------ */
/* The view stack                                                       */

static void view_free(struct view *v)
{
	if (!v)
		return;
	if (v->ops->close)
		v->ops->close(v);
	free(v->priv);
	free(v);
}

unsigned tui_push(struct tui *t, const struct view_ops *ops, const char *arg)
{
	struct view *v;

	if (t->depth == TUI_MAX_DEPTH) {
		tui_message(t, ROLE_ERROR, "too many screens open; press q to go back");
		return R_REDRAW;
	}
	if (!(v = calloc(1, sizeof(*v))) || (ops->priv_size && !(v->priv = calloc(1, ops->priv_size)))) {
		free(v);
		tui_message(t, ROLE_ERROR, "out of memory");
		return R_REDRAW;
	}
	v->ops = ops;
	v->tui = t;
	v->gen = t->gen;
	snprintf(v->arg, sizeof(v->arg), "%s", arg ? arg : "");
	if (ops->open(v, v->arg)) {
		view_free(v);
		return R_REDRAW;	/* the error is in the status line */
	}
	v->body = t->body;
	if (ops->layout)
		ops->layout(v, t->body);
	t->stack[t->depth++] = v;
	return R_REDRAW;
}

void tui_changed(struct view *v)
{
	v->gen = ++v->tui->gen;
}

/* The top view, when a screen above it changed the data: read it again. */
static void resume(struct tui *t)
{
	struct view *v = t->stack[t->depth - 1];

	if (v->gen == t->gen || t->too_small)
		return;
	v->gen = t->gen;
	if (v->ops->resume)
		v->ops->resume(v);
}

static void pop(struct tui *t)
{
	if (t->depth > 0)
		view_free(t->stack[--t->depth]);
}

/* Read the top view's data again: close and open it with the same argument. */
static void reload(struct tui *t)
{
	struct view *v = t->stack[t->depth - 1];

	if (v->ops->close)
		v->ops->close(v);
	if (v->priv)
		memset(v->priv, 0, v->ops->priv_size);
	v->title[0] = '\0';
	if (v->ops->open(v, v->arg) == 0) {
		if (v->ops->layout)
			v->ops->layout(v, t->body);
		if (!t->msg[0])
			tui_message(t, ROLE_STATUS, "reloaded");
	} else if (t->depth > 1) {
		pop(t);
	}
}

/* ------------------------------------------------------------------ */
/* Layout and drawing                                                   */

/* The one place the screen size is read: after start-up and on KEY_RESIZE. */
static void layout(struct tui *t)
{
	t->too_small = COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
	t->body = (struct rect){ 1, 0, LINES - 2 > 0 ? LINES - 2 : 0, COLS };
	for (int i = 0; i < t->depth; i++) {
		t->stack[i]->body = t->body;
		if (t->stack[i]->ops->layout && !t->too_small)
			t->stack[i]->ops->layout(t->stack[i], t->body);
	}
}

static void draw_too_small(void)
{
	int y = LINES / 2 - 1 > 0 ? LINES / 2 - 1 : 0;

	draw_text(y, 0, COLS, "terminal too small", ROLE_ERROR, T_CENTRE);
	draw_textf(y + 1, 0, COLS, ROLE_NORMAL, T_CENTRE, "need %dx%d, have %dx%d",
		   TUI_MIN_COLS, TUI_MIN_LINES, COLS, LINES);
	draw_text(y + 2, 0, COLS, "q quits", ROLE_MUTED, T_CENTRE);
}

static void draw_title(struct view *v)
{
	char left[512];
	int w;

	snprintf(left, sizeof(left), " casey%s%s%s%s", glyph->dot, v->ops->name,
		 v->title[0] ? glyph->dot : "", v->title);
	draw_text(0, 0, COLS, "", ROLE_TITLE, T_PAD);
	w = draw_text(0, COLS - 22, 22, "? help  q back/quit ", ROLE_TITLE_KEYS, T_RIGHT | T_PAD);
	draw_text(0, 0, COLS - w - 1, left, ROLE_TITLE, 0);
}

static void draw_status(struct tui *t)
{
	char info[512];
	int y = LINES - 1, w = 0;

	if (t->prompt.active) {
		prompt_draw(&t->prompt, y, COLS);
		return;
	}
	snprintf(info, sizeof(info), "as of %s%sprofile %s%s%s ", t->as_of_text, glyph->dot,
		 t->profile, glyph->dot, t->db_path);
	draw_text(y, 0, COLS, "", ROLE_STATUS, T_PAD);
	if (t->msg[0]) {
		/* A message gets the room it needs; the as-of date stays in view. */
		int keep = COLS >= 48 ? 18 : COLS / 2;

		w = text_width(t->msg) + 2;
		if (w > COLS - keep)
			w = COLS - keep;
		draw_textf(y, COLS - w, w, t->msg_role, T_PAD, " %s", t->msg);
	}
	draw_text(y, 0, COLS - w, info, ROLE_STATUS, 0);
}

static void draw(struct tui *t)
{
	struct view *v = t->stack[t->depth - 1];

	erase();
	if (t->too_small) {
		draw_too_small();
	} else {
		draw_title(v);
		v->ops->draw(v, t->body);
		draw_status(t);
	}
	curs_set(t->prompt.active && !t->too_small ? 1 : 0);
	wnoutrefresh(stdscr);
	doupdate();
}

/* ------------------------------------------------------------------ */
/* Actions no view took                                                 */

static unsigned global_action(struct tui *t, enum action a)
{
	const struct view *top = t->stack[t->depth - 1];

	switch (a) {
	case ACT_QUIT:
		return t->depth > 1 ? R_BACK : R_QUIT;
	case ACT_BACK:
		return t->depth > 1 ? R_BACK : R_HANDLED;
	case ACT_QUIT_ALL:
		return R_QUIT;
	case ACT_HELP:
		if (top->ops == &view_help)
			return R_BACK;
		return tui_push(t, &view_help, NULL);
	case ACT_DASHBOARD:
		while (t->depth > 1)
			pop(t);
		return R_REDRAW;
	case ACT_CUSTOMERS:
		if (top->ops == &view_customers)
			return R_HANDLED;
		return tui_push(t, &view_customers, NULL);
	case ACT_TRIAGE:
		return top->ops == &view_triage ? R_HANDLED : tui_push(t, &view_triage, NULL);
	case ACT_CHECKLISTS:
		return top->ops == &view_checklists ? R_HANDLED : tui_push(t, &view_checklists, NULL);
	case ACT_SATISFACTION:
		return top->ops == &view_satisfaction ? R_HANDLED :
		       tui_push(t, &view_satisfaction, NULL);
	case ACT_ADOPTION:
		return top->ops == &view_adoption ? R_HANDLED : tui_push(t, &view_adoption, NULL);
	case ACT_ONBOARDING:
		return top->ops == &view_onboarding ? R_HANDLED :
		       tui_push(t, &view_onboarding, NULL);
	case ACT_RENEWALS:
		return top->ops == &view_renewals ? R_HANDLED : tui_push(t, &view_renewals, NULL);
	case ACT_EXPANSION:
		return top->ops == &view_expansion ? R_HANDLED :
		       tui_push(t, &view_expansion, NULL);
	case ACT_REFRESH:
		clearok(curscr, TRUE);
		return R_REDRAW;
	case ACT_RELOAD:
		reload(t);
		return R_REDRAW;
	case ACT_COMMAND:
		command_start(t);
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
}

unsigned tui_act(struct tui *t, enum action a)
{
	struct view *v = t->stack[t->depth - 1];
	unsigned r = 0;

	if (v->ops->handle && ((r = v->ops->handle(v, a)) & (R_HANDLED | R_BACK | R_QUIT)))
		return r;
	return r | global_action(t, a);
}

/*
 * Offer the actions bound to the key to the top view, in table order,
 * until it takes one; then, if it took none, to the global handler the
 * same way. So a screen's own meaning of a key comes before the global one.
 */
static unsigned dispatch(struct tui *t, int ch, bool is_key)
{
	struct view *v = t->stack[t->depth - 1];
	unsigned r = 0, g;
	enum action a;

	for (a = action_for_key(ch, is_key); a != ACT_NONE && v->ops->handle;
	     a = action_next_for_key(ch, is_key, a))
		if ((r |= v->ops->handle(v, a)) & (R_HANDLED | R_BACK | R_QUIT))
			return r;
	for (a = action_for_key(ch, is_key); a != ACT_NONE; a = action_next_for_key(ch, is_key, a))
		if ((g = global_action(t, a)))
			return r | g;
	return r;
}

/* ------------------------------------------------------------------ */
/* Input                                                                */

struct input {
	struct script *script;
	bool headless;		/* no terminal: the script is all there is */
};

/* The next key: 1 with *ch and *is_key set, 0 nothing yet, -1 no more input. */
static int next_key(struct input *in, int *ch, bool *is_key)
{
	struct script_event ev;
	wint_t wc;
	int rc;

	if (in->script) {
		if (script_next(in->script, &ev)) {
			if (ev.kind == SCRIPT_RESIZE) {
				/* What ncurses does on SIGWINCH, then the same KEY_RESIZE. */
				resizeterm(ev.lines, ev.cols);
				*ch = KEY_RESIZE;
				*is_key = true;
				return 1;
			}
			*ch = ev.code;
			*is_key = ev.kind == SCRIPT_KEY;
			return 1;
		}
		script_free(in->script);
		in->script = NULL;
	}
	if (in->headless)
		return -1;
	rc = wget_wch(stdscr, &wc);
	if (rc == ERR)
		return 0;	/* timeout, or a signal */
	*ch = (int)wc;
	*is_key = rc == KEY_CODE_YES;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Start, loop, stop                                                    */

static SCREEN *start_curses(const struct tui_opts *o, FILE **null_out, FILE **null_in,
			    struct cs_diag *err)
{
	SCREEN *scr;

	if (o->dump_path) {
		const char *term = getenv("TERM");

		/* Headless: a real screen that writes nowhere and reads nothing. */
		*null_out = fopen("/dev/null", "w");
		*null_in = fopen("/dev/null", "r");
		if (!*null_out || !*null_in) {
			cs_error(err, "/dev/null: %s", strerror(errno));
			return NULL;
		}
		scr = newterm(term && *term ? term : "xterm", *null_out, *null_in);
		if (!scr) {
			cs_error(err, "cannot start curses for TERM '%s'", term ? term : "");
			return NULL;
		}
		resizeterm(o->lines, o->cols);
	} else {
		scr = newterm(NULL, stdout, stdin);
		if (!scr) {
			cs_error(err, "cannot start curses: is TERM ('%s') right?",
				 getenv("TERM") ? getenv("TERM") : "");
			return NULL;
		}
	}
	set_term(scr);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS);
	wtimeout(stdscr, INPUT_TIMEOUT_MS);
	curs_set(0);
	return scr;
}

static void stop_curses(SCREEN *scr, FILE *null_out, FILE *null_in)
{
	if (scr) {
		endwin();
		delscreen(scr);
	}
	if (null_out)
		fclose(null_out);
	if (null_in)
		fclose(null_in);
}

/*
 * CASEY_FRAME_LOG=FILE: for benchmarks, the milliseconds from each key to
 * the frame that answers it, one per line.
 */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int tui_run(const struct tui_opts *o, struct cs_diag *err)
{
	struct tui t;
	struct input in = { NULL, o->dump_path != NULL };
	struct sigaction saved[3];
	FILE *null_out = NULL, *null_in = NULL, *frame_log = NULL;
	const char *frame_log_path = getenv("CASEY_FRAME_LOG");
	double key_at = -1;
	SCREEN *scr;
	unsigned need = R_REDRAW;
	int rc = 0, sig;

	memset(&t, 0, sizeof(t));
	t.db = o->db;
	t.db_path = o->db_path;
	t.profile = o->profile;
	t.tiers = o->tiers;
	t.as_of = o->as_of;
	cs_format_day(o->as_of, t.as_of_text);
	t.diag.emit = emit_status;
	t.diag.ctx = &t;
	t.utf8 = glyphs_init();
	if (o->keys_path && !(in.script = script_load(o->keys_path, err)))
		return 1;

	got_signal = 0;
	catch_signals(saved);
	/* A screen still reading, or waiting for another writer, stops for them too. */
	cs_db_cancel_when(t.db, &got_signal);
	t.cancel = &got_signal;
	if (!(scr = start_curses(o, &null_out, &null_in, err))) {
		stop_curses(NULL, null_out, null_in);
		cs_db_cancel_when(t.db, NULL);
		restore_signals(saved);
		script_free(in.script);
		return 1;
	}
	if (frame_log_path && *frame_log_path)
		frame_log = fopen(frame_log_path, "a");
	t.colour = theme_init(getenv("NO_COLOR") && *getenv("NO_COLOR"));
	layout(&t);
	tui_push(&t, &view_dashboard, NULL);
	if (!t.depth) {
		rc = 1;
		goto out;
	}

	while (!got_signal) {
		enum action a;
		unsigned r = 0;
		bool is_key;
		int ch, got;

		if (need & R_REDRAW) {
			resume(&t);
			draw(&t);
			if (frame_log && key_at >= 0)
				fprintf(frame_log, "%.3f\n", now_ms() - key_at);
		}
		need = 0;
		key_at = -1;
		got = next_key(&in, &ch, &is_key);
		if (got < 0)
			break;
		if (!got)
			continue;
		key_at = now_ms();
		if (is_key && ch == KEY_RESIZE) {
			layout(&t);
			need = R_REDRAW;
			continue;
		}
		need = R_REDRAW;
		if (t.prompt.active) {
			/* An answer may act: the `:` prompt's commands go back or quit. */
			t.pending = 0;
			prompt_key(&t.prompt, ch, is_key);
			if (t.pending & R_QUIT)
				break;
			if ((t.pending & R_BACK) && t.depth > 1)
				pop(&t);
			continue;
		}
		t.msg[0] = '\0';
		a = action_for_key(ch, is_key);
		if (a == ACT_NONE)
			continue;
		if (t.too_small) {
			/* Nothing is shown to act on; only leaving works. */
			if (a != ACT_QUIT && a != ACT_QUIT_ALL)
				continue;
			r = R_QUIT;
		} else {
			r = dispatch(&t, ch, is_key);
		}
		if (r & R_QUIT)
			break;
		if (r & R_BACK)
			pop(&t);
	}
	if (!got_signal && o->dump_path) {
		draw(&t);
		if (screen_dump(o->dump_path, o->dump_attrs, &t.diag))
			rc = 1;
	}
out:
	if (frame_log)
		fclose(frame_log);
	while (t.depth)
		pop(&t);
	stop_curses(scr, null_out, null_in);
	cs_db_cancel_when(t.db, NULL);
	restore_signals(saved);
	script_free(in.script);
	/*
	 * The terminal is the user's again: now errors may be printed, but not
	 * the one a signal caused by interrupting a screen's reading.
	 */
	if (rc && t.msg[0] && !got_signal)
		cs_error(err, "%s", t.msg);
	if ((sig = got_signal)) {
		signal(sig, SIG_DFL);
		raise(sig);
		return 128 + sig;
	}
	return rc;
}
