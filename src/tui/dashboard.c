/*
 * dashboard.c — the first screen: four panes over one cs_summary.
 *
 *   +-- Health distribution --+-- Today's actions ----+
 *   | Green/Yellow/Red bars   | (pane_actions.c)       |
 *   +-- At risk --------------+------------------------+
 *   | the at-risk customers, largest ARR first         |
 *   +-- Ticket themes (pane_themes.c) -----------------+
 *
 * Below 76 columns the actions pane moves under the themes. Tab and
 * S-Tab move the focus; the focused pane gets the moves and Enter. The
 * panes are the table below: a pane is a struct pane_ops (tui.h), and
 * layout() gives each slot of the table its rectangle.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/rules.h"
#include "casey/summary.h"
#include "tui.h"

enum { P_DISTRIBUTION, P_AT_RISK, P_THEMES, P_ACTIONS, NPANES };

static const struct pane_ops *const pane_table[NPANES] = {
	[P_DISTRIBUTION] = &pane_distribution,
	[P_AT_RISK] = &pane_at_risk,
	[P_THEMES] = &pane_themes,
	[P_ACTIONS] = &pane_actions,
};

/* The rows of the distribution pane's content, and its title. */
#define TOP_ROWS 5
/* From this width the distribution and actions panes sit side by side. */
#define SIDE_BY_SIDE_COLS 76

struct dashboard {
	struct cs_summary summary;
	struct cs_rules rules;		/* which themes to flag for escalation */
	bool rules_ok;
	struct pane panes[NPANES];
	int focus;
	int split_x;		/* the column between the top panes; 0: none */
	struct rect top;	/* the rows the separator runs down */
};

static int dashboard_open(struct view *v, const char *arg)
{
	struct dashboard *d = v->priv;
	struct tui *t = v->tui;
	bool rules_ok;
	int i;

	(void)arg;
	/* Without the rules the dashboard still works; it cannot flag themes. */
	rules_ok = d->rules_ok = cs_rules_load("rules", &d->rules, &t->diag) == 0;
	if (cs_summary_load(t->db, t->profile, rules_ok ? &d->rules : NULL, t->as_of,
			    &d->summary, &t->diag))
		return -1;
	d->focus = P_AT_RISK;
	for (i = 0; i < NPANES; i++) {
		struct pane *p = &d->panes[i];

		p->ops = pane_table[i];
		p->tui = t;
		p->summary = &d->summary;
		if (p->ops->priv_size && !(p->priv = calloc(1, p->ops->priv_size))) {
			tui_message(t, ROLE_ERROR, "out of memory");
			continue;
		}
		/* A pane that cannot load shows its error; the others still work. */
		if (p->ops->load)
			p->ops->load(p);
	}
	return 0;
}

static void dashboard_close(struct view *v)
{
	struct dashboard *d = v->priv;

	for (int i = 0; i < NPANES; i++) {
		struct pane *p = &d->panes[i];

		if (p->ops && p->ops->release && p->priv)
			p->ops->release(p);
		free(p->priv);
		p->priv = NULL;
	}
}

/* Back from a screen that changed the data: read it all again, the focus kept. */
static void dashboard_resume(struct view *v)
{
	struct dashboard *d = v->priv;
	struct tui *t = v->tui;

	cs_summary_load(t->db, t->profile, d->rules_ok ? &d->rules : NULL, t->as_of,
			&d->summary, &t->diag);
	for (int i = 0; i < NPANES; i++) {
		struct pane *p = &d->panes[i];

		if (!p->priv)
			continue;
		if (p->ops->release)
			p->ops->release(p);
		if (p->ops->load)
			p->ops->load(p);
	}
}

static void dashboard_layout(struct view *v, struct rect b)
{
	struct dashboard *d = v->priv;
	int rest = b.h - TOP_ROWS, themes_h, actions_h = 0, risk_h;

	d->top = (struct rect){ b.y, b.x, TOP_ROWS, b.w };
	if (b.w >= SIDE_BY_SIDE_COLS) {
		int left = b.w / 2;

		d->split_x = b.x + left;
		d->panes[P_DISTRIBUTION].r = (struct rect){ b.y, b.x, TOP_ROWS, left };
		d->panes[P_ACTIONS].r = (struct rect){ b.y, d->split_x + 1, TOP_ROWS,
						       b.w - left - 1 };
		themes_h = rest * 2 / 5;
	} else {
		d->split_x = 0;
		d->panes[P_DISTRIBUTION].r = (struct rect){ b.y, b.x, TOP_ROWS, b.w };
		actions_h = rest / 4 > 3 ? rest / 4 : 3;
		themes_h = rest / 4 > 3 ? rest / 4 : 3;
	}
	risk_h = rest - themes_h - actions_h;
	d->panes[P_AT_RISK].r = (struct rect){ b.y + TOP_ROWS, b.x, risk_h, b.w };
	d->panes[P_THEMES].r = (struct rect){ b.y + TOP_ROWS + risk_h, b.x, themes_h, b.w };
	if (actions_h)
		d->panes[P_ACTIONS].r = (struct rect){ b.y + TOP_ROWS + risk_h + themes_h, b.x,
						       actions_h, b.w };
}

static void draw_pane(struct pane *p)
{
	/* A column of margin on either side of the content. */
	struct rect r = p->r, body = { r.y + 1, r.x + 1, r.h - 1, r.w - 2 };
	enum role role = p->focused ? ROLE_PANE_FOCUS : ROLE_PANE;
	char title[128], summary[128] = "";
	int w = 0;

	if (r.h <= 0 || r.w <= 0)
		return;
	snprintf(title, sizeof(title), " %s", p->ops->title);
	if (p->ops->summary && p->priv)
		p->ops->summary(p, summary, sizeof(summary));
	draw_text(r.y, r.x, r.w, "", role, T_PAD);
	if (summary[0]) {
		w = text_width(summary) + 2;
		if (w > r.w - text_width(title) - 1)
			w = r.w - text_width(title) - 1;
		if (w > 0)
			draw_textf(r.y, r.x + r.w - w, w, role, T_RIGHT, "%s ", summary);
		else
			w = 0;
	}
	draw_text(r.y, r.x, r.w - w, title, role, 0);
	if (body.h > 0 && p->priv)
		p->ops->draw(p, body);
}

static void dashboard_draw(struct view *v, struct rect b)
{
	struct dashboard *d = v->priv;

	(void)b;
	for (int i = 0; i < NPANES; i++) {
		d->panes[i].focused = i == d->focus;
		draw_pane(&d->panes[i]);
	}
	if (d->split_x)
		for (int y = d->top.y; y < d->top.y + d->top.h; y++)
			draw_text(y, d->split_x, 1, glyph->vline,
				  y == d->top.y ? ROLE_PANE : ROLE_MUTED, 0);
}

static unsigned dashboard_handle(struct view *v, enum action a)
{
	struct dashboard *d = v->priv;
	struct pane *p;

	switch (a) {
	case ACT_NEXT_PANE:
		d->focus = (d->focus + 1) % NPANES;
		return R_HANDLED | R_REDRAW;
	case ACT_PREV_PANE:
		d->focus = (d->focus + NPANES - 1) % NPANES;
		return R_HANDLED | R_REDRAW;
	default:
		p = &d->panes[d->focus];
		if (p->ops->handle && p->priv)
			return p->ops->handle(p, a);
		return 0;
	}
}

const struct view_ops view_dashboard = {
	.name = "Dashboard",
	.priv_size = sizeof(struct dashboard),
	.open = dashboard_open,
	.layout = dashboard_layout,
	.draw = dashboard_draw,
	.handle = dashboard_handle,
	.close = dashboard_close,
	.resume = dashboard_resume,
};

/* ------------------------------------------------------------------ */
/* Health distribution                                                  */

struct distribution {
	int sel;		/* 0 green, 1 yellow, 2 red */
};

static const char *const band_labels[3] = { "Green", "Yellow", "Red" };
static const char *const band_keys[3] = { "green", "yellow", "red" };

static int distribution_load(struct pane *p)
{
	(void)p;
	return 0;
}

static void distribution_summary(struct pane *p, char *buf, size_t size)
{
	const struct cs_summary *s = p->summary;

	if (s->now.scored)
		snprintf(buf, size, "%ld scored of %ld", s->now.green + s->now.yellow + s->now.red,
			 s->customers);
}

/* A bar of fraction f (0..1) in w cells, with eighths in UTF-8. */
static void draw_bar(int y, int x, int w, double f, enum role role)
{
	char bar[512];
	size_t n = 0;
	double cells = f * w;
	int full = (int)floor(cells), part = (int)lround((cells - full) * 8), i;

	if (part == 8) {
		full++;
		part = 0;
	}
	for (i = 0; i < w && n + 8 < sizeof(bar); i++) {
		const char *g = i < full ? glyph->bar[8] : i == full ? glyph->bar[part] : " ";

		n += (size_t)snprintf(bar + n, sizeof(bar) - n, "%s", g);
	}
	draw_text(y, x, w, bar, role, T_PAD);
}

static void distribution_draw(struct pane *p, struct rect r)
{
	const struct cs_summary *s = p->summary;
	const struct cs_band_counts *b = &s->now, *wk = &s->week_ago;
	struct distribution *d = p->priv;
	long n[3] = { b->green, b->yellow, b->red }, before[3] = { wk->green, wk->yellow, wk->red };
	long total = b->green + b->yellow + b->red;
	int bar_w = r.w - 28, i;

	if (!b->scored) {
		draw_textf(r.y, r.x, r.w, ROLE_MUTED, 0, "%ld customers, not scored yet",
			   s->customers);
		draw_text(r.y + 1, r.x, r.w, "run: casey score", ROLE_MUTED, 0);
		return;
	}
	for (i = 0; i < 3 && i < r.h; i++) {
		int y = r.y + i, x = r.x;
		bool sel = p->focused && i == d->sel;
		enum role role = sel ? ROLE_SELECTED : band_role(band_keys[i]);
		char change[16] = "";

		if (wk->scored)
			snprintf(change, sizeof(change), "%+ld", n[i] - before[i]);
		if (sel)
			draw_text(y, r.x, r.w, "", ROLE_SELECTED, T_PAD);
		x += draw_text(y, x, 7, band_labels[i], role, T_PAD);
		x += draw_textf(y, x, 6, sel ? role : ROLE_NORMAL, T_PAD | T_RIGHT, "%ld", n[i]);
		x += draw_textf(y, x, 8, sel ? role : ROLE_NORMAL, T_PAD | T_RIGHT, "%.1f%% ",
				total ? 100.0 * (double)n[i] / (double)total : 0.0);
		if (bar_w > 0) {
			draw_bar(y, x, bar_w, total ? (double)n[i] / (double)total : 0, role);
			x += bar_w;
		}
		draw_text(y, x, r.x + r.w - x, change, sel ? role : ROLE_NORMAL, T_PAD | T_RIGHT);
	}
	if (r.h > 3) {
		if (wk->scored)
			draw_textf(r.y + 3, r.x, r.w, ROLE_NORMAL, 0, "Average %.1f  %+.1f vs %s",
				   b->average, b->average - wk->average, wk->date);
		else
			draw_textf(r.y + 3, r.x, r.w, ROLE_NORMAL, 0,
				   "Average %.1f  (no score a week before)", b->average);
	}
}

static unsigned distribution_handle(struct pane *p, enum action a)
{
	struct distribution *d = p->priv;

	switch (a) {
	case ACT_UP:
		d->sel = d->sel > 0 ? d->sel - 1 : 0;
		return R_HANDLED | R_REDRAW;
	case ACT_DOWN:
		d->sel = d->sel < 2 ? d->sel + 1 : 2;
		return R_HANDLED | R_REDRAW;
	case ACT_FIRST:
		d->sel = 0;
		return R_HANDLED | R_REDRAW;
	case ACT_LAST:
		d->sel = 2;
		return R_HANDLED | R_REDRAW;
	case ACT_ENTER: {
		char arg[32];

		if (!p->summary->now.scored)
			return R_HANDLED;
		snprintf(arg, sizeof(arg), TUI_BAND_ARG_PREFIX "%s", band_keys[d->sel]);
		return R_HANDLED | tui_push(p->tui, &view_customers, arg);
	}
	default:
		return 0;
	}
}

const struct pane_ops pane_distribution = {
	.title = "Health distribution",
	.priv_size = sizeof(struct distribution),
	.load = distribution_load,
	.draw = distribution_draw,
	.handle = distribution_handle,
	.summary = distribution_summary,
};

/* ------------------------------------------------------------------ */
/* At risk                                                              */

struct at_risk {
	struct table table;
	int page;
};

static const struct column at_risk_cols[] = {
	{ "Customer", 0, 12, false, 0, 44 },
	{ "ARR", 10, 0, true, 0, 0 },
	{ "Score", 5, 0, true, 0, 0 },
	{ "Band", 6, 0, false, 0, 0 },
	{ "Trend", 6, 0, false, 0, 0 },
	{ "Top reason", 17, 0, false, 1, 0 },
};

static int at_risk_load(struct pane *p)
{
	struct at_risk *a = p->priv;
	int sel = a->table.sel, top = a->table.top;	/* kept on a reload */

	a->table = (struct table){
		.cols = at_risk_cols,
		.ncols = (int)(sizeof(at_risk_cols) / sizeof(at_risk_cols[0])),
		.nrows = p->summary->nat_risk,
		.header = true,
		.empty = p->summary->now.scored ? "nobody is at risk" : "not scored yet",
		.sel = sel,
		.top = top,
	};
	return 0;
}

static void at_risk_summary(struct pane *p, char *buf, size_t size)
{
	char arr[32];

	if (!p->summary->now.scored)
		return;
	fmt_money(arr, sizeof(arr), p->summary->at_risk_arr, true);
	snprintf(buf, size, "%ld customers%s%s ARR", p->summary->at_risk_count, glyph->dot, arr);
}

static void at_risk_cell(void *ctx, int row, int col, struct cell *c, char *buf, size_t size)
{
	const struct cs_at_risk *a = &((const struct cs_summary *)ctx)->at_risk[row];

	switch (col) {
	case 0:
		c->text = a->name;
		break;
	case 1:
		fmt_money(buf, size, a->arr, a->arr_known);
		c->text = buf;
		break;
	case 2:
		snprintf(buf, size, "%d", a->score);
		c->text = buf;
		c->role = band_role(a->band);
		break;
	case 3:
		c->text = a->band;
		c->role = band_role(a->band);
		break;
	case 4:
		if (a->has_delta30 && a->delta30)
			snprintf(buf, size, "%s %+d", trend_arrow(a->trend), a->delta30);
		else if (a->has_delta30)
			snprintf(buf, size, "%s 0", trend_arrow(a->trend));
		else
			snprintf(buf, size, "%s", trend_arrow(a->trend));
		c->text = buf;
		c->role = trend_role(a->trend);
		break;
	default:
		/*
		 * "engagement.feature_breadth" reads as "feature breadth"; a
		 * one-word measure keeps its component: "growth trajectory".
		 */
		{
			const char *dot = strchr(a->top_reason, '.');

			snprintf(buf, size, "%s", dot && strchr(dot, '_') ? dot + 1 : a->top_reason);
		}
		for (char *u = buf; (u = strpbrk(u, "._")); )
			*u = ' ';
		c->text = buf;
		break;
	}
}

static void at_risk_draw(struct pane *p, struct rect r)
{
	struct at_risk *a = p->priv;

	a->table.focused = p->focused;
	a->page = table_page(&a->table, r);
	table_draw(&a->table, r, at_risk_cell, (void *)p->summary);
}

static unsigned at_risk_handle(struct pane *p, enum action act)
{
	struct at_risk *a = p->priv;

	if (table_move(&a->table, act, a->page))
		return R_HANDLED | R_REDRAW;
	if (act == ACT_ENTER && a->table.nrows > 0)
		return R_HANDLED | tui_push(p->tui, &view_detail,
					    p->summary->at_risk[a->table.sel].customer_id);
	return 0;
}

const struct pane_ops pane_at_risk = {
	.title = "At risk",
	.priv_size = sizeof(struct at_risk),
	.load = at_risk_load,
	.draw = at_risk_draw,
	.handle = at_risk_handle,
	.summary = at_risk_summary,
};
