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
 *
 * A key may be bound more than once when a screen gives it a meaning of
 * its own (s sorts lists, skips in triage, marks an action sent): the
 * loop offers the key's actions to the screen in table order, and to the
 * global handler only if the screen took none of them.
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
	X(COMMAND,   "command",        GENERAL, "run an action by name (:search acme, :open ID)", ':') \
	X(DASHBOARD, "dashboard",      SCREENS, "the dashboard",                      'd') \
	X(CUSTOMERS, "customers",      SCREENS, "the customer list",                  'c') \
	X(CHECKLISTS, "checklists",    SCREENS, "the release quality checklists",     'K') \
	X(SATISFACTION, "satisfaction", SCREENS, "NPS and CSAT",                      'p') \
	X(ADOPTION,  "adoption",       SCREENS, "feature adoption and its gaps",      'o') \
	X(ONBOARDING, "onboarding",    SCREENS, "onboarding: first value, where customers stall", 'O') \
	X(RENEWALS,  "renewals",       SCREENS, "renewals: ARR renewing by window, next steps", 'W') \
	X(TRIAGE,    "triage",         SCREENS, "the triage queue (on a theme or ticket: just that)", 't') \
	X(EXPANSION, "expansion",      SCREENS, "expansion opportunities near the seat limit", 'U') \
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
	X(TIER,      "filter-tier",    LISTS,   "next tier filter: all, each tier, no tier", 'T') \
	X(BEHAVIOUR, "filter-behaviour", LISTS, "next behavioural segment: all, each segment, none", 'B') \
	X(SEARCH,    "search",         LISTS,   "search names and ids (asks; empty clears)", '/') \
	X(CLEAR,     "clear-filters",  LISTS,   "clear every filter and the search",  'x') \
	X(YES,       "yes",            CHECKLIST, "answer the selected item Yes",     'y') \
	X(NO,        "no",             CHECKLIST, "No (asks the risk); in the list: new checklist", 'n') \
	X(NA,        "na",             CHECKLIST, "N/A (asks the justification)",     'a') \
	X(APPROVAL,  "approval",       CHECKLIST, "choose the approval",              'A') \
	X(GAP,       "add-gap",        CHECKLIST, "add a support-readiness gap and its issue", 'i') \
	X(REMOVE,    "remove",         CHECKLIST, "remove the selected gap, or an item's answer", 'D', KEY_DC) \
	X(NOTES,     "notes",          CHECKLIST, "write the checklist's notes",      'N') \
	X(SIGN,      "sign",           CHECKLIST, "sign (asks the reviewer)",         'S') \
	X(REVISE,    "revise",         CHECKLIST, "start the next revision of a signed checklist", 'r') \
	X(EXPORT,    "export",         CHECKLIST, "export as Markdown (asks the file)", 'E') \
	X(WINDOW,    "window",         LISTS,   "themes: next window, 7, 30 or 90 days; renewals: 30 to 120", 'w') \
	X(SET_BUG,   "set-bug",        TRIAGE,  "category 1: Bug Report",             '1') \
	X(SET_FEATURE, "set-feature",  TRIAGE,  "category 2: Feature Request",        '2') \
	X(SET_DOCS,  "set-docs",       TRIAGE,  "category 3: Documentation Gap",      '3') \
	X(SET_UX,    "set-ux",         TRIAGE,  "category 4: Usability Issue",        '4') \
	X(SET_PERF,  "set-performance", TRIAGE, "category 5: Performance Issue",      '5') \
	X(SET_INTEGRATION, "set-integration", TRIAGE, "category 6: Integration Question", '6') \
	X(SET_HOWTO, "set-how-to",     TRIAGE,  "category 7: How-To Question",        '7') \
	X(ACCEPT,    "accept",         TRIAGE,  "accept the proposed category",       '\r', '\n', KEY_ENTER) \
	X(SKIP,      "skip",           TRIAGE,  "skip the ticket (it stays in the queue)", 's') \
	X(UNDO,      "undo",           TRIAGE,  "undo the last decision: the category as it was", 'u') \
	X(MARK_SENT, "mark-sent",      ACTIONS, "mark the action sent to its owner",  's') \
	X(MARK_ACK,  "mark-acknowledged", ACTIONS, "mark the action acknowledged",    'a') \
	X(MARK_RESOLVED, "mark-resolved", ACTIONS, "mark the action resolved (asks the outcome)", 'r') \
	X(MARK_DISMISSED, "mark-dismissed", ACTIONS, "dismiss the action (asks why)",        'x') \
	X(DRAFT_CHECKIN, "draft-checkin", CUSTOMER, "draft a check-in in $EDITOR, then log the contact", 'C') \
	X(LOG_CONTACT, "log-contact",  CUSTOMER, "log a contact with the customer (asks the channel)", 'L') \
	X(ESCALATE,  "escalate",       CUSTOMER, "write the customer's escalation document in $EDITOR", 'X') \
	X(PLANS,     "plans",          CUSTOMER, "the customer's success plans (and a Red customer's proposed recovery plan)", 'P') \
	X(LOG_REVIEW, "log-review",    CUSTOMER, "log a business review (asks type, date, attendees, notes, rating)", 'V') \
	X(NEW_PLAN,  "new-plan",       PLAN,    "start a success plan (asks the type and the title)", 'n') \
	X(ADD_MILESTONE, "add-milestone", PLAN, "add a milestone to the selected plan (asks title, due date, owner, priority)", 'a', '+') \
	X(TICK,      "tick",           PLAN,    "tick the selected milestone done; again reopens it", 'x') \
	X(EDIT,      "edit",           PLAN,    "edit the selected milestone or plan (asks which field)", 'e')

enum action {
	ACT_NONE,
#define X(e, name, group, help, ...) ACT_##e,
	TUI_ACTIONS(X)
#undef X
	ACT_COUNT
};

enum action_group { GROUP_GENERAL, GROUP_SCREENS, GROUP_MOVING, GROUP_LISTS, GROUP_CHECKLIST,
		   GROUP_TRIAGE, GROUP_ACTIONS, GROUP_CUSTOMER, GROUP_PLAN, GROUP_COUNT };

struct action_info {
	enum action action;
	const char *name;
	enum action_group group;
	const char *help;
	const int *keys;		/* 0-terminated */
};

/* Every action, in TUI_ACTIONS order (index ACT_x - 1). */
extern const struct action_info action_table[ACT_COUNT - 1];
/* "General", ..., "Actions screen", "Customer detail". */
extern const char *const action_group_names[GROUP_COUNT];

/*
 * The action bound to a key: ch is a character when is_key is false, a
 * KEY_* code when true (as wget_wch() reports them). ACT_NONE if unbound.
 */
enum action action_for_key(int ch, int is_key);
/* The next action after `after` bound to the same key; ACT_NONE after the last. */
enum action action_next_for_key(int ch, int is_key, enum action after);

/* A key's name as the help screen shows it: "j", "Down", "Enter", "^L". */
void key_label(int key, char *buf, size_t size);

/* The action's entry; NULL for ACT_NONE. */
const struct action_info *action_info(enum action a);

#endif
