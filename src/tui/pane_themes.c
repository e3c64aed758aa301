/*
 * pane_themes.c — the dashboard's "Ticket themes" pane: the week's themes
 * by ARR (category, theme, tickets, customers, ARR, and whether the
 * theme-escalation rule flags it), straight from the dashboard's
 * cs_summary (summary.h: cs_themes() over the 7 days to the as-of date).
 *
 * Enter opens the themes drill-down (themes.c) on the selected theme; t
 * sends the theme's uncategorised tickets of the week to triage.
 */
#include <stdio.h>

#include "casey/summary.h"
#include "ticket.h"

struct themes {
	struct table table;
	int page;
};

static const struct column themes_cols[] = {
	{ "Category", 20, 0, false, 2, 0 },
	{ "Theme", 0, 12, false, 0, 48 },
	{ "Tickets", 7, 0, true, 0, 0 },
	{ "Cust.", 5, 0, true, 3, 0 },
	{ "ARR", 10, 0, true, 0, 0 },
	{ "Esc.", 4, 0, false, 1, 0 },
};

static int themes_load(struct pane *p)
{
	struct themes *th = p->priv;
	int sel = th->table.sel, top = th->table.top;	/* kept on a reload */

	th->table = (struct table){
		.cols = themes_cols,
		.ncols = (int)(sizeof(themes_cols) / sizeof(themes_cols[0])),
		.nrows = p->summary->nthemes,
		.header = true,
		.empty = "no tickets in the 7 days",
		.sel = sel,
		.top = top,
	};
	return 0;
}

static void themes_summary(struct pane *p, char *buf, size_t size)
{
	snprintf(buf, size, "%d days to %s", CS_SUMMARY_THEME_DAYS, p->tui->as_of_text);
}

static void themes_cell(void *ctx, int row, int col, struct cell *c, char *buf, size_t size)
{
	const struct cs_summary *s = ctx;

	switch (col) {
	case 0:
		c->text = s->themes[row].category[0] ? s->themes[row].category : "uncategorised";
		break;
	case 1:
		c->text = s->themes[row].theme;
		break;
	case 2:
		snprintf(buf, size, "%ld", s->themes[row].tickets);
		c->text = buf;
		break;
	case 3:
		snprintf(buf, size, "%ld", s->themes[row].customers);
		c->text = buf;
		break;
	case 4:
		fmt_money(buf, size, s->themes[row].arr, true);
		c->text = buf;
		break;
	default:
		c->text = s->themes[row].escalate ? "yes" : "";
		c->role = ROLE_RED;
		break;
	}
}

static void themes_draw(struct pane *p, struct rect r)
{
	struct themes *th = p->priv;

	th->table.focused = p->focused;
	th->page = table_page(&th->table, r);
	table_draw(&th->table, r, themes_cell, (void *)p->summary);
}

static unsigned themes_handle(struct pane *p, enum action a)
{
	struct themes *th = p->priv;

	if (table_move(&th->table, a, th->page))
		return R_HANDLED | R_REDRAW;
	if ((a == ACT_ENTER || a == ACT_TRIAGE) && th->table.nrows > 0) {
		const struct cs_summary *s = p->summary;
		char arg[CS_ID_MAX + 64];
		size_t n = 0;

		if (a == ACT_TRIAGE)
			n = (size_t)snprintf(arg, sizeof(arg), TRIAGE_THEME);
		theme_arg(arg + n, sizeof(arg) - n, CS_SUMMARY_THEME_DAYS,
			  s->themes[th->table.sel].category, s->themes[th->table.sel].theme);
		return R_HANDLED | tui_push(p->tui, a == ACT_ENTER ? &view_themes : &view_triage,
					    arg);
	}
	return 0;
}

const struct pane_ops pane_themes = {
	.title = "Ticket themes",
	.priv_size = sizeof(struct themes),
	.load = themes_load,
	.draw = themes_draw,
	.handle = themes_handle,
	.summary = themes_summary,
};
