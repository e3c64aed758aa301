/*
 * action.h — every user action of the dashboard, defined once.
 *
 * TUI_ACTIONS is the one list. Each entry gives the action's enum suffix,
 * its name, the group the help screen lists it under, its help text and
 * its default keys (curses key codes: characters, KEY_*, CTRL_KEY()). The
 * list generates the enum, the table below (names, help, keys), the key
 * bindings and the `?` help screen; there is no other place a key is
 * bound. Views receive actions, never key codes.
 *
 * Adding an action: one line here, then handle ACT_<NAME> in the views
 * that understand it (or in tui.c's global handler when it is global).
 */
#ifndef CASEY_TUI_ACTION_H
#define CASEY_TUI_ACTION_H

#include <curses.h>

#define CTRL_KEY(c) ((c) & 0x1f)

/*      enum         name              group    help text                          keys */
#define TUI_ACTIONS(X) \
	X(QUIT,      "quit",           GENERAL, "back to the previous screen; quit on the dashboard", 'q') \
	X(QUIT_ALL,  "quit-all",       GENERAL, "quit casey from any screen",         'Q') \
	X(HELP,      "help",           GENERAL, "this help",                          '?', KEY_F(1)) \
	X(BACK,      "back",           GENERAL, "back to the previous screen",        KEY_LEFT, 'h', KEY_BACKSPACE) \
	X(REFRESH,   "refresh",        GENERAL, "redraw the screen",                  CTRL_KEY('l')) \
	X(RELOAD,    "reload",         GENERAL, "read the database again",            'R') \
	X(DASHBOARD, "dashboard",      SCREENS, "the dashboard",                      'd') \
	X(CUSTOMERS, "customers",      SCREENS, "the customer list",                  'c') \
	X(UP,        "move-up",        MOVING,  "previous line",                      KEY_UP, 'k') \
	X(DOWN,      "move-down",      MOVING,  "next line",                          KEY_DOWN, 'j') \
	X(PAGE_UP,   "page-up",        MOVING,  "previous page",                      KEY_PPAGE, CTRL_KEY('b')) \
	X(PAGE_DOWN, "page-down",      MOVING,  "next page",                          KEY_NPAGE, CTRL_KEY('f'), ' ') \
	X(FIRST,     "first",          MOVING,  "first line",                         KEY_HOME, 'g') \
	X(LAST,      "last",           MOVING,  "last line",                          KEY_END, 'G') \
	X(NEXT_PANE, "next-pane",      MOVING,  "next pane of the dashboard",         '\t') \
	X(PREV_PANE, "prev-pane",      MOVING,  "previous pane of the dashboard",     KEY_BTAB) \
	X(ENTER,     "enter",          MOVING,  "open the selected line",             '\r', '\n', KEY_ENTER, KEY_RIGHT, 'l') \
	X(SORT,      "sort",           LISTS,   "next order: score, ARR, trend, renewal", 's') \
	X(BAND,      "filter-band",    LISTS,   "next band filter: all, red, yellow, green", 'b') \
	X(SEGMENT,   "filter-segment", LISTS,   "filter by segment (asks; empty clears)", 'e') \
	X(CSM,       "filter-csm",     LISTS,   "filter by CSM (asks; empty clears)", 'm') \
	X(SEARCH,    "search",         LISTS,   "search names and ids (asks; empty clears)", '/') \
	X(CLEAR,     "clear-filters",  LISTS,   "clear every filter and the search",  'x')

enum action {
	ACT_NONE,
#define X(e, name, group, help, ...) ACT_##e,
	TUI_ACTIONS(X)
#undef X
	ACT_COUNT
};

enum action_group { GROUP_GENERAL, GROUP_SCREENS, GROUP_MOVING, GROUP_LISTS, GROUP_COUNT };

struct action_info {
	enum action action;
	const char *name;
	enum action_group group;
	const char *help;
	const int *keys;		/* 0-terminated */
};

/* Every action, in TUI_ACTIONS order (index ACT_x - 1). */
extern const struct action_info action_table[ACT_COUNT - 1];
/* "General", "Screens", "Moving", "Lists". */
extern const char *const action_group_names[GROUP_COUNT];

/*
 * The action bound to a key: ch is a character when is_key is false, a
 * KEY_* code when true (as wget_wch() reports them). ACT_NONE if unbound.
 */
enum action action_for_key(int ch, int is_key);

/* A key's name as the help screen shows it: "j", "Down", "Enter", "^L". */
void key_label(int key, char *buf, size_t size);

/* The action's entry; NULL for ACT_NONE. */
const struct action_info *action_info(enum action a);

#endif
