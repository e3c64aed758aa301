/*
 * triage.c — the triage queue: the tickets no export or CSM has
 * categorised (no category, or one a rule or the model proposed: what
 * `casey tickets --uncategorised` lists), one at a time, newest first —
 * this week's themes and escalations depend on the latest tickets most.
 *
 * Each ticket shows its subject, customer (ARR, band), dates,
 * description, tags, the proposed category with its source, confidence
 * and owner, and its priority (urgency × impact) with the SLAs and
 * whether they are breached. Keys 1-7 put it in one of the seven
 * categories, Enter takes the proposal, s skips it (it stays in the
 * queue), u undoes the last decision. Every decision is a CSM's
 * (cs_ticket_set_category): no later categorisation overrides it, and it
 * trains the model. Undo puts back exactly what was stored before it
 * (cs_ticket_category_restore) and shows that ticket again.
 *
 * The queue is read a page at a time from the ticket after the current
 * one (cs_list_tickets, keyset-paged): nothing loads every ticket. Its
 * size is counted once, at open; "12 of 340 left" is that count less the
 * tickets decided or skipped since.
 *
 * The argument (ticket.h) narrows the queue to the uncategorised tickets
 * of one theme and window (from the themes screens), or to one ticket,
 * categorised or not (sent from the ticket screen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticket.h"

/* Tickets read at a time; decisions that can be undone. */
#define PAGE 32
#define HISTORY_MAX 200
/* The card's head: subject, dates, customer, priority, SLA, tags, category. */
#define HEAD_ROWS 7

enum mode { Q_ALL, Q_THEME, Q_TICKET };

struct decision {
	char ticket_id[CS_ID_MAX + 1];
	struct cs_ticket_key key;
	struct cs_ticket_category_state before;
	long pos, decided, skipped;	/* the counters before it */
};

struct triage {
	struct cs_tickets_config *cfg;
	enum mode mode;
	struct cs_ticket_filter f;
	char category[32], theme[CS_THEME_MAX];
	int days;
	struct cs_ticket_item page[PAGE];
	int npage, at;			/* the current ticket is page[at] */
	bool page_last;			/* nothing after the page */
	bool empty;			/* no current ticket: the queue is done */
	struct ticket_card card;
	long total, pos, decided, skipped;
	struct decision hist[HISTORY_MAX];
	int nhist;
	struct lines desc;
	int built_w, desc_rows;
};

/* The current ticket's card, from page[at]; the queue is done past the page. */
static void show(struct view *v)
{
	struct triage *tr = v->priv;
	bool found = false;

	tr->empty = tr->at >= tr->npage;
	tr->built_w = 0;
	tr->desc.top = 0;
	if (tr->empty)
		return;
	if (ticket_card_load(v->tui, tr->cfg, tr->page[tr->at].ticket_id, &tr->card, &found) ||
	    !found) {
		/* Gone since the page was read (or unreadable): say so, show what the page has. */
		if (!found)
			tui_message(v->tui, ROLE_ERROR, "ticket %s is gone",
				    tr->page[tr->at].ticket_id);
		memset(&tr->card, 0, sizeof(tr->card));
		tr->card.t.t = tr->page[tr->at];
	}
}

/* The page after key (from the newest when NULL); the current ticket its first. */
static void read_page(struct view *v, const struct cs_ticket_key *key)
{
	struct triage *tr = v->priv;
	int got = cs_list_tickets(v->tui->db, &tr->f, key, false, tr->page, PAGE, &v->tui->diag);

	tr->npage = got > 0 ? got : 0;
	tr->page_last = got < PAGE;
	tr->at = 0;
}

static void advance(struct view *v)
{
	struct triage *tr = v->priv;

	tr->pos++;
	if (++tr->at >= tr->npage && !tr->page_last)
		read_page(v, &tr->page[tr->npage - 1].key);
	show(v);
}

static int triage_open(struct view *v, const char *arg)
{
	struct triage *tr = v->priv;
	struct tui *t = v->tui;
	int changed;

	lines_init(&tr->desc);
	if (cs_tickets_config_load(NULL, &tr->cfg, &t->diag))
		return -1;
	/* Tickets imported since the last run get their proposals first. */
	if ((changed = cs_tickets_ensure(t->db, tr->cfg, &t->diag)) < 0)
		return -1;
	if (changed)
		tui_changed(v);
	tr->f = (struct cs_ticket_filter){ .as_of = t->as_of, .uncategorised = true };
	if (!strncmp(arg, TRIAGE_TICKET, strlen(TRIAGE_TICKET))) {
		bool found;

		tr->mode = Q_TICKET;
		if (ticket_card_load(t, tr->cfg, arg + strlen(TRIAGE_TICKET), &tr->card, &found))
			return -1;
		if (!found) {
			tui_message(t, ROLE_ERROR, "no ticket with that id");
			return -1;
		}
		tr->page[0] = tr->card.t.t;
		tr->npage = 1;
		tr->page_last = true;
		tr->total = 1;
		snprintf(v->title, sizeof(v->title), "ticket %s", tr->card.t.t.ticket_id);
		return 0;
	}
	if (!strncmp(arg, TRIAGE_THEME, strlen(TRIAGE_THEME))) {
		if (!theme_arg_parse(arg + strlen(TRIAGE_THEME), &tr->days, tr->category,
				     tr->theme)) {
			tui_message(t, ROLE_ERROR, "not a theme");
			return -1;
		}
		tr->mode = Q_THEME;
		tr->f.days = tr->days;
		tr->f.category = tr->category;
		tr->f.theme = tr->theme;
		snprintf(v->title, sizeof(v->title), "%s%s%s%s%d days", category_label(
			 cs_category_find(tr->category)), glyph->dot, tr->theme, glyph->dot,
			 tr->days);
	} else {
		tr->mode = Q_ALL;
		snprintf(v->title, sizeof(v->title), "uncategorised tickets, newest first");
	}
	if (cs_count_tickets(t->db, &tr->f, &tr->total, &t->diag))
		return -1;
	read_page(v, NULL);
	show(v);
	return 0;
}

static void triage_close(struct view *v)
{
	struct triage *tr = v->priv;

	lines_release(&tr->desc);
	cs_tickets_config_free(tr->cfg);
	tr->cfg = NULL;
}

/* ------------------------------------------------------------------ */
/* Decisions                                                            */

static unsigned decide(struct view *v, int category)
{
	struct triage *tr = v->priv;
	struct tui *t = v->tui;
	const struct cs_ticket_item *it;
	struct decision *h;

	if (tr->empty) {
		tui_message(t, ROLE_STATUS, "nothing left to triage");
		return R_HANDLED | R_REDRAW;
	}
	it = &tr->page[tr->at];
	if (tr->nhist == HISTORY_MAX) {
		/* The oldest decision can no longer be undone. */
		memmove(tr->hist, tr->hist + 1, (HISTORY_MAX - 1) * sizeof(tr->hist[0]));
		tr->nhist--;
	}
	h = &tr->hist[tr->nhist];
	if (cs_ticket_category_save(t->db, it->ticket_id, &h->before, &t->diag) ||
	    cs_ticket_set_category(t->db, it->ticket_id, category, &t->diag))
		return R_HANDLED | R_REDRAW;	/* the error is in the status line */
	memcpy(h->ticket_id, it->ticket_id, sizeof(h->ticket_id));
	h->key = it->key;
	h->pos = tr->pos;
	h->decided = tr->decided;
	h->skipped = tr->skipped;
	tr->nhist++;
	tr->decided++;
	tui_changed(v);
	tui_message(t, ROLE_STATUS, "%s: %s (u undoes)", it->ticket_id,
		    cs_category_names[category]);
	advance(v);
	return R_HANDLED | R_REDRAW;
}

static unsigned accept(struct view *v)
{
	struct triage *tr = v->priv;

	if (!tr->empty && tr->card.t.t.category < 0) {
		tui_message(v->tui, ROLE_STATUS, "nothing proposed: choose a category, 1-7");
		return R_HANDLED | R_REDRAW;
	}
	return decide(v, tr->card.t.t.category);
}

static unsigned skip(struct view *v)
{
	struct triage *tr = v->priv;

	if (tr->empty) {
		tui_message(v->tui, ROLE_STATUS, "nothing left to triage");
		return R_HANDLED | R_REDRAW;
	}
	tui_message(v->tui, ROLE_STATUS, "%s skipped", tr->page[tr->at].ticket_id);
	tr->skipped++;
	advance(v);
	return R_HANDLED | R_REDRAW;
}

/* The last decision undone: the ticket as it was stored, and current again. */
static unsigned undo(struct view *v)
{
	struct triage *tr = v->priv;
	struct tui *t = v->tui;
	struct decision *h;
	bool found;
	int got;

	if (!tr->nhist) {
		tui_message(t, ROLE_STATUS, "no decision to undo");
		return R_HANDLED | R_REDRAW;
	}
	h = &tr->hist[tr->nhist - 1];
	if (cs_ticket_category_restore(t->db, h->ticket_id, &h->before, &t->diag))
		return R_HANDLED | R_REDRAW;
	tr->nhist--;
	tui_changed(v);
	tr->pos = h->pos;
	tr->decided = h->decided;
	tr->skipped = h->skipped;
	/* It, then the queue after it. */
	if (ticket_card_load(t, tr->cfg, h->ticket_id, &tr->card, &found) || !found) {
		read_page(v, &h->key);
		show(v);
		return R_HANDLED | R_REDRAW;
	}
	tr->page[0] = tr->card.t.t;
	tr->npage = 1;
	tr->page_last = true;
	if (tr->mode != Q_TICKET) {
		got = cs_list_tickets(t->db, &tr->f, &h->key, false, tr->page + 1, PAGE - 1,
				      &t->diag);
		tr->npage += got > 0 ? got : 0;
		tr->page_last = got < PAGE - 1;
	}
	tr->at = 0;
	show(v);
	tui_message(t, ROLE_STATUS, "%s: decision undone", h->ticket_id);
	return R_HANDLED | R_REDRAW;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                              */

/*
 * The seven categories with their keys, as many to a row as fit; the
 * proposed one selected. Returns the rows used (drawing only when draw).
 */
static int legend(const struct triage *tr, struct rect r, bool draw)
{
	int y = r.y, x = r.x;

	for (int c = 0; c < CAT_COUNT; c++) {
		char item[40];
		int w;
		bool sel = !tr->empty && c == tr->card.t.t.category;

		snprintf(item, sizeof(item), "%d %s", c + 1, cs_category_names[c]);
		w = text_width(item);
		if (x > r.x && x + w > r.x + r.w) {
			y++;
			x = r.x;
		}
		if (draw && y < r.y + r.h) {
			draw_textf(y, x, 1, sel ? ROLE_SELECTED : ROLE_PROMPT, 0, "%d", c + 1);
			draw_text(y, x + 1, w - 1, item + 1, sel ? ROLE_SELECTED : ROLE_NORMAL, 0);
		}
		x += w + 2;
	}
	return y - r.y + 1;
}

static void draw_keys(const struct triage *tr, int y, struct rect r)
{
	char right[64];
	int w;

	snprintf(right, sizeof(right), "%ld decided, %ld skipped", tr->decided, tr->skipped);
	w = text_width(right);
	if (w > r.w / 2)
		w = 0;
	draw_text(y, r.x, r.w - w - 1, "Enter accept  s skip  u undo  j/k scroll  ? help",
		  ROLE_MUTED, 0);
	if (w)
		draw_text(y, r.x + r.w - w, w, right, ROLE_MUTED, 0);
}

static void triage_draw(struct view *v, struct rect b)
{
	struct triage *tr = v->priv;
	struct rect r = { b.y, b.x + 1, b.h, b.w - 2 };
	int leg_rows = legend(tr, r, false), bottom = leg_rows + 1, used, y;
	long left = tr->total - tr->pos;
	char counter[64];
	struct rect d;

	if (left < 0)
		left = 0;
	if (tr->mode == Q_TICKET)
		snprintf(counter, sizeof(counter), "%s", tr->empty ? "done" : "1 ticket");
	else
		snprintf(counter, sizeof(counter), "%ld of %ld left", left, tr->total);
	/* The legend and the keys at the bottom, a rule above them. */
	legend(tr, (struct rect){ r.y + r.h - bottom, r.x, leg_rows, r.w }, true);
	draw_keys(tr, r.y + r.h - 1, r);
	if (tr->empty) {
		y = r.y + (r.h - bottom) / 2 - 2;
		draw_text(r.y, r.x, r.w, counter, ROLE_PANE, T_RIGHT);
		draw_text(y, r.x, r.w, tr->mode == Q_TICKET ? "Done." :
			  tr->total ? "Nothing left to triage." :
			  "Nothing to triage: every ticket has a category from the export or a CSM.",
			  ROLE_HEADING, T_CENTRE);
		if (tr->nhist)
			draw_text(y + 2, r.x, r.w, "u undoes the last decision; q goes back",
				  ROLE_MUTED, T_CENTRE);
		else
			draw_text(y + 2, r.x, r.w, "q goes back", ROLE_MUTED, T_CENTRE);
		return;
	}
	used = ticket_card_head(&tr->card, tr->cfg, (struct rect){ r.y, r.x, HEAD_ROWS, r.w },
				"Proposed", counter);
	d = (struct rect){ r.y + used + 1, r.x, r.h - used - 1 - bottom - 1, r.w };
	if (tr->built_w != r.w) {
		ticket_card_description(&tr->card, &tr->desc, r.w);
		tr->built_w = r.w;
	}
	if (tr->desc.oom)
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	tr->desc_rows = d.h > 0 ? d.h : 0;
	if (r.y + used < r.y + r.h - bottom - 1)
		ticket_rule(&tr->desc, r.y + used, r, tr->desc_rows, "Description");
	if (d.h > 0)
		lines_draw(&tr->desc, d);
	draw_text(r.y + r.h - bottom - 1, r.x, r.w, "", ROLE_HEADER, T_PAD);
	draw_text(r.y + r.h - bottom - 1, r.x, r.w, "Category: 1-7, or Enter for the proposal",
		  ROLE_HEADER, 0);
}

static unsigned triage_handle(struct view *v, enum action a)
{
	struct triage *tr = v->priv;

	if (!tr->empty && lines_scroll(&tr->desc, a, tr->desc_rows))
		return R_HANDLED | R_REDRAW;
	switch (a) {
	case ACT_SET_BUG:
	case ACT_SET_FEATURE:
	case ACT_SET_DOCS:
	case ACT_SET_UX:
	case ACT_SET_PERF:
	case ACT_SET_INTEGRATION:
	case ACT_SET_HOWTO:
		/* In spec order, as the categories are (tickets.h). */
		return decide(v, CAT_BUG + (int)(a - ACT_SET_BUG));
	case ACT_ACCEPT:
		return accept(v);
	case ACT_SKIP:
		return skip(v);
	case ACT_UNDO:
		return undo(v);
	case ACT_TRIAGE:
		return R_HANDLED;
	default:
		return 0;
	}
}

const struct view_ops view_triage = {
	.name = "Triage",
	.priv_size = sizeof(struct triage),
	.open = triage_open,
	.draw = triage_draw,
	.handle = triage_handle,
	.close = triage_close,
};
