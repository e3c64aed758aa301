/*
 * expansion.c — the expansion opportunities of seed 003: healthy, engaged
 * customers near their seat limit, largest ARR first, with the reason,
 * the estimated revenue and (for the selected one) the suggested action.
 *
 * Virtual like the customer list: the core hands out pages after a key
 * (cs_expansion_list), and the screen holds at most WINDOW pages. The key
 * each page starts from is remembered, so going back above the window
 * reads the page before it again; nothing ever reads every customer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/signals.h"
#include "tui.h"

#define PAGE 60			/* rows per page read */
#define WINDOW 4		/* pages held */

struct expansion {
	struct cs_signals_config *cfg;	/* NULL: assets/signals.ini is broken */
	struct cs_expansion_row *rows;	/* WINDOW * PAGE */
	int n;
	int first;			/* the window's first page */
	int npages;			/* pages held */
	bool at_end;			/* the last page read was short */
	struct cs_signal_key *starts;	/* starts[p]: the key page p is read after */
	int nstarts, cap;
	struct table table;
	int page;
};

static const struct column cols[] = {
	{ "Customer", 0, 14, false, 0, 28 },
	{ "ARR", 10, 0, true, 0, 0 },
	{ "Health", 6, 0, true, 0, 0 },
	{ "Seats", 9, 0, true, 0, 0 },
	{ "Est. +ARR", 10, 0, true, 0, 0 },
	{ "Why", 0, 12, false, 1, 0 },
};

/* Remember where page p starts (its predecessor's last key). */
static int note_start(struct expansion *e, int p, const struct cs_signal_key *key)
{
	if (p < e->nstarts)
		return 0;
	if (p >= e->cap) {
		int cap = e->cap ? e->cap * 2 : 64;
		struct cs_signal_key *s = realloc(e->starts, (size_t)cap * sizeof(*s));

		if (!s)
			return -1;
		e->starts = s;
		e->cap = cap;
	}
	e->starts[p] = *key;
	e->nstarts = p + 1;
	return 0;
}

/* Read page p into rows[at]; returns how many, or -1. */
static int read_page(struct view *v, int p, struct cs_expansion_row *at)
{
	struct expansion *e = v->priv;

	return cs_expansion_list(v->tui->db, e->cfg, v->tui->as_of, &e->starts[p], at, PAGE,
				 &v->tui->diag);
}

/* The window from the first page. */
static void load_first(struct view *v)
{
	struct expansion *e = v->priv;
	struct cs_signal_key none = { .set = false };
	int got;

	e->n = e->npages = e->first = 0;
	e->at_end = true;
	e->table.sel = e->table.top = 0;
	e->table.nrows = 0;
	if (!e->cfg || note_start(e, 0, &none))
		return;
	got = read_page(v, 0, e->rows);
	if (got < 0)
		return;
	e->n = got;
	e->npages = 1;
	e->at_end = got < PAGE;
	e->table.nrows = e->n;
}

/* The page after the window; the first page drops out when the window is full. */
static void extend_down(struct view *v)
{
	struct expansion *e = v->priv;
	int p = e->first + e->npages, got;

	if (e->at_end || !e->n || note_start(e, p, &e->rows[e->n - 1].key))
		return;
	if (e->npages == WINDOW) {
		memmove(e->rows, e->rows + PAGE, (size_t)(e->n - PAGE) * sizeof(*e->rows));
		e->n -= PAGE;
		e->first++;
		e->npages--;
		e->table.sel -= PAGE;
		e->table.top -= PAGE;
	}
	got = read_page(v, p, e->rows + e->n);
	if (got < 0)
		return;
	e->n += got;
	e->npages++;
	e->at_end = got < PAGE;
	e->table.nrows = e->n;
}

/* The page before the window; the last page drops out when the window is full. */
static void extend_up(struct view *v)
{
	struct expansion *e = v->priv;
	int got;

	if (!e->first)
		return;
	if (e->npages == WINDOW) {
		e->n = (WINDOW - 1) * PAGE;
		e->npages--;
		e->at_end = false;
	}
	memmove(e->rows + PAGE, e->rows, (size_t)e->n * sizeof(*e->rows));
	got = read_page(v, e->first - 1, e->rows);
	if (got != PAGE) {
		/* The data changed under us: start again from the top. */
		load_first(v);
		return;
	}
	e->first--;
	e->npages++;
	e->n += PAGE;
	e->table.sel += PAGE;
	e->table.top += PAGE;
	e->table.nrows = e->n;
}

static int expansion_open(struct view *v, const char *arg)
{
	struct expansion *e = v->priv;

	(void)arg;
	e->rows = malloc(WINDOW * PAGE * sizeof(*e->rows));
	e->cfg = malloc(sizeof(*e->cfg));
	if (!e->rows || !e->cfg) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	if (cs_signals_config_load(NULL, e->cfg, &v->tui->diag)) {
		free(e->cfg);
		e->cfg = NULL;
	}
	e->table = (struct table){
		.cols = cols,
		.ncols = (int)(sizeof(cols) / sizeof(cols[0])),
		.header = true,
		.focused = true,
	};
	e->page = 20;
	load_first(v);
	return 0;
}

static void expansion_close(struct view *v)
{
	struct expansion *e = v->priv;

	free(e->rows);
	free(e->cfg);
	free(e->starts);
	e->rows = NULL;
	e->cfg = NULL;
	e->starts = NULL;
}

static void cell(void *ctx, int row, int col, struct cell *out, char *buf, size_t size)
{
	const struct cs_expansion_row *r = &((const struct expansion *)ctx)->rows[row];

	switch (col) {
	case 0:
		out->text = r->name;
		break;
	case 1:
		fmt_money(buf, size, r->arr, r->arr_known);
		out->text = buf;
		break;
	case 2:
		snprintf(buf, size, "%d", r->in.health);
		out->text = buf;
		out->role = band_role(r->band);
		break;
	case 3:
		snprintf(buf, size, "%ld/%ld", r->in.users, r->in.seats);
		out->text = buf;
		break;
	case 4:
		fmt_money(buf + 1, size - 1, r->x.estimate, r->x.estimate_known);
		buf[0] = '+';
		out->text = r->x.estimate_known ? buf : buf + 1;
		out->role = ROLE_GREEN;
		break;
	default:
		out->text = r->x.reason;
		break;
	}
}

static void expansion_draw(struct view *v, struct rect b)
{
	struct expansion *e = v->priv;
	struct rect list = { b.y + 1, b.x + 1, b.h - 3, b.w - 2 };
	const struct cs_expansion_row *r;
	char where[48] = "";

	e->page = table_page(&e->table, list);
	if (e->n && e->at_end && !e->first)
		snprintf(where, sizeof(where), "%d of %d ", e->table.sel + 1, e->n);
	else if (e->n)
		snprintf(where, sizeof(where), "row %d ", e->first * PAGE + e->table.sel + 1);
	draw_text(b.y, b.x, b.w, "", ROLE_PANE, T_PAD);
	draw_text(b.y, b.x, b.w - text_width(where) - 1,
		  " Healthy, engaged customers near their seat limit, by ARR", ROLE_PANE, 0);
	draw_text(b.y, b.x + b.w - text_width(where), text_width(where), where, ROLE_PANE, 0);
	e->table.empty = !e->cfg ? "assets/signals.ini could not be read" :
			 "no expansion opportunity as of this day";
	table_draw(&e->table, list, cell, e);
	if (!e->n)
		return;
	r = &e->rows[e->table.sel];
	draw_textf(b.y + b.h - 2, b.x + 1, b.w - 2, ROLE_NORMAL, T_PAD, "%s%s+%ld seats",
		   r->x.reason, glyph->dot, r->x.extra_seats);
	draw_textf(b.y + b.h - 1, b.x + 1, b.w - 2, ROLE_NORMAL, T_PAD, "Action: %s",
		   r->x.action);
}

static unsigned expansion_handle(struct view *v, enum action a)
{
	struct expansion *e = v->priv;

	switch (a) {
	case ACT_UP:
		if (e->table.sel == 0)
			extend_up(v);
		break;
	case ACT_DOWN:
		if (e->table.sel >= e->n - 1)
			extend_down(v);
		break;
	case ACT_PAGE_UP:
		if (e->table.sel - e->page < 0)
			extend_up(v);
		break;
	case ACT_PAGE_DOWN:
		if (e->table.sel + e->page >= e->n)
			extend_down(v);
		break;
	case ACT_FIRST:
		if (e->first)
			load_first(v);
		break;
	case ACT_ENTER:
		if (e->n > 0)
			return R_HANDLED | tui_push(v->tui, &view_detail,
						    e->rows[e->table.sel].customer_id);
		return R_HANDLED;
	case ACT_RELOAD:
		load_first(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
	table_move(&e->table, a, e->page);
	return R_HANDLED | R_REDRAW;
}

static void expansion_resume(struct view *v)
{
	load_first(v);
}

const struct view_ops view_expansion = {
	.name = "Expansion",
	.priv_size = sizeof(struct expansion),
	.open = expansion_open,
	.draw = expansion_draw,
	.handle = expansion_handle,
	.close = expansion_close,
	.resume = expansion_resume,
};
