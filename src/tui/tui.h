/*
 * tui.h — the dashboard's framework: the application state, views as ops
 * tables, dashboard panes as ops tables, and the main loop's contract.
 *
 * The loop (tui.c) owns the screen. It reads a key, maps it to an action
 * through the one action table (action.h), offers the action to the view
 * on top of the stack, handles it globally when the view does not, and
 * draws when the result asks for it. Handlers never draw; they return a
 * bitmask (R_*). KEY_RESIZE is handled in one place: tui.c recomputes the
 * body rectangle and calls every view's layout(), then draws.
 *
 * Adding a screen: write a struct view_ops (open/layout/draw/handle/close)
 * in its own file, declare it below, and reach it with tui_push() from an
 * action (a new line in action.h plus a case in tui.c's global handler) or
 * from another view's ACT_ENTER. Adding a dashboard pane: write a struct
 * pane_ops (load/draw/handle/summary/release), declare it below and put
 * it in the panes table of dashboard.c, which also places it.
 *
 * Views and panes read data only through core functions (include/casey/),
 * never sqlite3_*; the core reports errors through t->diag, which shows
 * them in the status line (nothing is written to stderr while curses owns
 * the terminal).
 */
#ifndef CASEY_TUI_H
#define CASEY_TUI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "casey/diag.h"
#include "casey/kinds.h"
#include "action.h"
#include "draw.h"
#include "prompt.h"

struct sqlite3;
struct cs_summary;
struct cs_tiers;

/*
 * Below this size the dashboard shows only "terminal too small". 80x24 is
 * the size every screen is designed for; 60x18 still shows every pane with
 * a few rows each.
 */
#define TUI_MIN_COLS 60
#define TUI_MIN_LINES 18

/* What a handler asks of the loop. 0: not handled (the loop may handle it). */
enum {
	R_HANDLED = 1 << 0,	/* the action was consumed */
	R_REDRAW = 1 << 1,	/* draw the screen again */
	R_BACK = 1 << 2,	/* close this view */
	R_QUIT = 1 << 3,	/* leave the dashboard */
};

struct view;

struct view_ops {
	const char *name;		/* the title bar's screen name */
	size_t priv_size;		/* zeroed private state at v->priv */
	/* Read the data; arg is the view's argument (a customer_id, a band). -1: failed, reported. */
	int (*open)(struct view *v, const char *arg);
	/* The body rectangle changed (optional). */
	void (*layout)(struct view *v, struct rect body);
	void (*draw)(struct view *v, struct rect body);
	unsigned (*handle)(struct view *v, enum action a);
	/* Free what open allocated (optional); priv itself is freed by the loop. */
	void (*close)(struct view *v);
	/*
	 * Back on top after a screen above it changed the data (tui_changed()):
	 * read it again, keeping the place (optional).
	 */
	void (*resume)(struct view *v);
};

struct view {
	const struct view_ops *ops;
	struct tui *tui;
	void *priv;
	char arg[CS_ID_MAX + 64];	/* as given to open, for a reload: an id, or a screen's own form */
	char title[256];		/* after the name in the title bar, e.g. a customer */
	struct rect body;		/* as last laid out */
	unsigned gen;			/* the tui's gen when it last read the data */
};

#define TUI_MAX_DEPTH 16

struct tui {
	struct sqlite3 *db;
	const char *db_path;
	const char *profile;
	const struct cs_tiers *tiers;	/* casey_tier() is registered on db */
	int32_t as_of;
	char as_of_text[11];
	struct cs_diag diag;		/* core errors: shown in the status line */
	const volatile sig_atomic_t *cancel;	/* what cs_db_cancel_when() watches on db */
	char msg[256];
	enum role msg_role;
	bool colour, utf8;
	bool too_small;
	struct rect body;		/* between the title bar and the status line */
	struct view *stack[TUI_MAX_DEPTH];
	int depth;
	struct prompt prompt;
	unsigned gen;			/* counts the screens' writes (tui_changed()) */
	unsigned pending;		/* R_* of what a prompt's answer did, for the loop */
};

/*
 * Do action a as its key would: the top view first, then the dashboard's
 * global handling. Returns the R_* flags (0: nothing took it).
 */
unsigned tui_act(struct tui *t, enum action a);
/* The `:` prompt (command.c). */
void command_start(struct tui *t);
/* Open ops with arg on top of the stack. Returns R_REDRAW, or 0 if it failed. */
unsigned tui_push(struct tui *t, const struct view_ops *ops, const char *arg);
/*
 * Ask a question in the status line (prompt.h); done() gets the answer
 * (not on Esc). Returns the prompt, whose max a caller may lower.
 */
struct prompt *tui_prompt(struct tui *t, struct view *v, const char *label, const char *initial,
			  void (*done)(struct view *v, const char *answer));
/* Offer n choices above the status line; chosen() gets the index (not on Esc). */
void tui_choose(struct tui *t, struct view *v, const char *label, const char *const *choices,
		int n, int initial, void (*chosen)(struct view *v, int choice));
/* A message in the status line until the next key. */
void tui_message(struct tui *t, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * v wrote to the database: every other screen reads its data again
 * (view_ops.resume) when it is next on top. v may be still opening.
 */
void tui_changed(struct view *v);

/* The screens. */
extern const struct view_ops view_dashboard;
extern const struct view_ops view_customers;
extern const struct view_ops view_detail;
extern const struct view_ops view_help;
extern const struct view_ops view_checklists;	/* checklist.c */
extern const struct view_ops view_checklist;	/* arg: the checklist's id */
extern const struct view_ops view_satisfaction;	/* insights.c */
extern const struct view_ops view_adoption;
extern const struct view_ops view_onboarding;
extern const struct view_ops view_expansion;
extern const struct view_ops view_triage;	/* triage.c */
extern const struct view_ops view_ticket;	/* ticket.c: arg a ticket_id */
extern const struct view_ops view_themes;	/* themes.c */
extern const struct view_ops view_theme_tickets;
extern const struct view_ops view_actions;	/* actions.c */
extern const struct view_ops view_action;	/* arg: the action's id */
extern const struct view_ops view_plans;	/* plans.c: arg a customer_id */
extern const struct view_ops view_renewals;	/* renewals.c */

/* ------------------------------------------------------------------ */
/* Dashboard panes                                                      */

struct pane;

struct pane_ops {
	const char *title;
	size_t priv_size;		/* zeroed private state at p->priv */
	/* (Re)read the pane's data; -1: failed, reported through p->tui->diag. */
	int (*load)(struct pane *p);
	/* Draw the pane's content in r (below its title row). */
	void (*draw)(struct pane *p, struct rect r);
	/* Moves and ENTER while the pane has the focus (optional). */
	unsigned (*handle)(struct pane *p, enum action a);
	/* A short line for the right of the title row (optional). */
	void (*summary)(struct pane *p, char *buf, size_t size);
	/* Free what load allocated (optional); priv itself is freed by the dashboard. */
	void (*release)(struct pane *p);
};

struct pane {
	const struct pane_ops *ops;
	struct tui *tui;
	void *priv;
	const struct cs_summary *summary;	/* the dashboard's figures, shared */
	bool focused;
	struct rect r;			/* the whole pane, title row included */
};

extern const struct pane_ops pane_distribution;
extern const struct pane_ops pane_at_risk;
extern const struct pane_ops pane_themes;
extern const struct pane_ops pane_actions;

/* The band the distribution pane's Enter opens, for the customer list: "red". */
#define TUI_BAND_ARG_PREFIX "band:"

/* ------------------------------------------------------------------ */
/* Running it                                                           */

struct tui_opts {
	struct sqlite3 *db;
	const char *db_path;
	const char *profile;
	const struct cs_tiers *tiers;	/* loaded, with casey_tier() on db */
	int32_t as_of;
	const char *keys_path;		/* scripted keys (see script.c), or NULL */
	const char *dump_path;		/* headless: play the keys, dump, exit */
	int cols, lines;		/* the headless screen */
	bool dump_attrs;		/* the dump also maps attributes and colours */
};

/*
 * Run the dashboard until the user quits (0), a signal ends it (the
 * terminal is restored first; returns 128 + the signal), or it fails (1,
 * with the error reported through err after the terminal is restored).
 */
int tui_run(const struct tui_opts *o, struct cs_diag *err);

/* script.c: scripted input for tests and benchmarks, and the screen dump. */
struct script;
enum script_kind { SCRIPT_CHAR, SCRIPT_KEY, SCRIPT_RESIZE };
struct script_event {
	enum script_kind kind;
	int code;			/* the character, or the KEY_* code */
	int cols, lines;		/* SCRIPT_RESIZE */
};

/* Read a keys file; NULL with the error reported. */
struct script *script_load(const char *path, struct cs_diag *diag);
/* The next event; false at the end. */
bool script_next(struct script *s, struct script_event *ev);
void script_free(struct script *s);
/* Write the screen's text (UTF-8, trailing blanks cut) and, with attrs, its attributes. */
int screen_dump(const char *path, bool attrs, struct cs_diag *diag);

#endif
