/*
 * ticket.h — what the ticket and action screens share (triage.c, ticket.c,
 * themes.c, actions.c and the dashboard's themes pane): one ticket on
 * screen, wrapped text in scrolled lines, and the short argument forms
 * that name a theme or a triage queue to tui_push().
 */
#ifndef CASEY_TUI_TICKET_H
#define CASEY_TUI_TICKET_H

#include <stdbool.h>
#include <stddef.h>

#include "casey/lists.h"
#include "casey/snapshot.h"
#include "casey/tickets.h"
#include "tui.h"

/*
 * A theme of a window as a view argument: "DAYS<US>CATEGORY<US>THEME"
 * (US the unit separator, 0x1f; the category "" for tickets without
 * one). The themes screen opens on it (selected), the theme's ticket list
 * lists it.
 */
#define THEME_ARG_SEP '\x1f'
void theme_arg(char *buf, size_t size, int days, const char *category, const char *theme);
/* false when arg is not one (days, category and theme are then untouched). */
bool theme_arg_parse(const char *arg, int *days, char category[32], char theme[CS_THEME_MAX]);

/*
 * The triage screen's argument: "" the whole queue; TRIAGE_THEME and a
 * theme argument, the uncategorised tickets of that theme and window;
 * TRIAGE_TICKET and a ticket_id, that one ticket, whatever its category.
 */
#define TRIAGE_THEME "theme:"
#define TRIAGE_TICKET "ticket:"

/* The windows of the themes screen, in the order 'w' goes round them. */
#define THEME_WINDOWS { 7, 30, 90 }

/* One ticket with what the screens show around it. */
struct ticket_card {
	struct cs_ticket_full t;
	struct cs_customer_info cust;
	bool cust_found;
	struct cs_snapshot snap;	/* the customer's latest score */
	bool scored;
	struct cs_priority pri;
	struct cs_sla sla;		/* as of the end of the as-of day */
};

/*
 * Read ticket id, its customer and the customer's band. Returns 0 with
 * *found set, or -1 (reported in the status line).
 */
int ticket_card_load(struct tui *t, const struct cs_tickets_config *cfg, const char *id,
		     struct ticket_card *c, bool *found);

/*
 * Draw the card's head in r (at most its height): subject, id and dates,
 * customer, priority with its SLAs, the SLA state, tags and theme, and
 * the category (labelled label: "Proposed" in triage) with its source,
 * confidence and owner. right (may be NULL) goes at the right of the
 * first row. Returns the rows drawn.
 */
int ticket_card_head(const struct ticket_card *c, const struct cs_tickets_config *cfg,
		     struct rect r, const char *label, const char *right);

/*
 * The rule above a scrolled text at row y of r: its title, and which of
 * its lines a page of page rows shows.
 */
void ticket_rule(const struct lines *l, int y, struct rect r, int page, const char *title);

/* The description, wrapped to width, into l (emptied first; the scroll kept). */
void ticket_card_description(const struct ticket_card *c, struct lines *l, int width);

/*
 * Add text to l wrapped to width columns (wrap.h: wrap_text()), each line
 * after indent blanks; "\r\n" is a newline and trailing newlines are
 * dropped. The lines are drawn through draw_text() like any other text.
 */
void lines_wrap(struct lines *l, enum role role, int indent, int width, const char *text);

/* "Bug Report" or "uncategorised"; the source as shown: "rule 0.95", "CSM". */
const char *category_label(int category);
void source_label(char *buf, size_t size, enum cs_source source, double confidence);

#endif
