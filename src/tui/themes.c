/*
 * themes.c — the themes drill-down: the ticket themes of a window (7, 30
 * or 90 days to the as-of date; w goes round them) by ARR, with their
 * tickets, customers, ARR and whether the theme-escalation rule flags
 * them; Enter lists a theme's tickets, Enter on one of those opens it
 * (ticket.c), and t sends the selected theme's uncategorised tickets, or
 * the selected ticket, to triage.
 *
 * The themes come from cs_themes(), one grouping pass over the window's
 * tickets; the screen keeps the THEMES_MAX with the most ARR. The escalate
 * flag is the theme-escalation rule's, whatever the window shown: the
 * [theme_escalation] thresholds of rules.ini (min_tickets tickets, or
 * arr_at_least ARR) met by the theme's tickets of the last 7 days, as on
 * the dashboard's pane (the thresholds are a week's; over 90 days nearly
 * every theme would pass them).
 *
 * A theme's tickets are a virtual list, newest first, like the customer
 * list: at most LIST_CAP rows held, pages read from the core
 * (cs_list_tickets, keyset-paged) as the selection nears either end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/rules.h"
#include "ticket.h"

#define THEMES_MAX 2000

/* ------------------------------------------------------------------ */
/* The themes of a window                                               */

struct theme_row {
	char category[32];
	char theme[CS_THEME_MAX];
	long tickets, customers;
	double arr;
	bool escalate;
};

#define RULE_DAYS 7

struct themes_view {
	struct cs_rules rules;
	bool rules_ok;
	int days;
	struct theme_row *rows;
	int n;
	long more;		/* themes past THEMES_MAX, not kept */
	/* The week's themes the rule flags, "CATEGORY<US>THEME", sorted. */
	char **flagged;
	int nflagged, flagged_cap;
	struct table table;
	int page;
};

static const struct column theme_cols[] = {
	{ "Category", 20, 0, false, 2, 0 },
	{ "Theme", 0, 12, false, 0, 48 },
	{ "Tickets", 7, 0, true, 0, 0 },
	{ "Cust.", 5, 0, true, 3, 0 },
	{ "ARR", 10, 0, true, 0, 0 },
	{ "Esc.", 4, 0, false, 1, 0 },
};

static bool rule_fires(const struct themes_view *tv, const struct cs_theme *t)
{
	const struct cs_rule_cfg *c = &tv->rules.r[A_THEME];

	return tv->rules_ok && (t->tickets >= c->min_tickets || t->arr >= c->arr_at_least);
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *theme_key(const char *category, const char *theme)
{
	size_t n = strlen(category) + strlen(theme) + 2;
	char *k = malloc(n);

	if (k)
		snprintf(k, n, "%s%c%s", category, THEME_ARG_SEP, theme);
	return k;
}

static int add_flagged(void *ctx, const struct cs_theme *t)
{
	struct themes_view *tv = ctx;

	if (!rule_fires(tv, t))
		return 0;
	if (tv->nflagged == tv->flagged_cap) {
		int cap = tv->flagged_cap ? 2 * tv->flagged_cap : 64;
		char **f = realloc(tv->flagged, (size_t)cap * sizeof(*f));

		if (!f)
			return -1;
		tv->flagged = f;
		tv->flagged_cap = cap;
	}
	if (!(tv->flagged[tv->nflagged] = theme_key(t->category, t->theme)))
		return -1;
	tv->nflagged++;
	return 0;
}

static void flagged_free(struct themes_view *tv)
{
	for (int i = 0; i < tv->nflagged; i++)
		free(tv->flagged[i]);
	free(tv->flagged);
	tv->flagged = NULL;
	tv->nflagged = tv->flagged_cap = 0;
}

static int add_theme(void *ctx, const struct cs_theme *t)
{
	struct themes_view *tv = ctx;
	struct theme_row *r;

	if (tv->n == THEMES_MAX) {
		tv->more++;
		return 0;
	}
	r = &tv->rows[tv->n++];
	snprintf(r->category, sizeof(r->category), "%s", t->category);
	snprintf(r->theme, sizeof(r->theme), "%s", t->theme);
	r->tickets = t->tickets;
	r->customers = t->customers;
	r->arr = t->arr;
	if (tv->days == RULE_DAYS) {
		r->escalate = rule_fires(tv, t);
	} else if (tv->nflagged) {
		char *k = theme_key(t->category, t->theme);

		r->escalate = k && bsearch(&k, tv->flagged, (size_t)tv->nflagged,
					   sizeof(*tv->flagged), cmp_key);
		free(k);
	}
	return 0;
}

/* Read the window's themes; select category/theme when it is among them. */
static int themes_load(struct view *v, const char *category, const char *theme)
{
	struct themes_view *tv = v->priv;
	struct tui *t = v->tui;

	tv->n = 0;
	tv->more = 0;
	flagged_free(tv);
	if (tv->days != RULE_DAYS && tv->rules_ok) {
		/* The week's flags first, for a longer window's themes to look up. */
		if (cs_themes(t->db, t->as_of - RULE_DAYS + 1, t->as_of, add_flagged, tv,
			      &t->diag) < 0) {
			tui_message(t, ROLE_ERROR, "out of memory");
			flagged_free(tv);
		}
		qsort(tv->flagged, (size_t)tv->nflagged, sizeof(*tv->flagged), cmp_key);
	}
	if (cs_themes(t->db, t->as_of - tv->days + 1, t->as_of, add_theme, tv, &t->diag) < 0)
		return -1;
	tv->table.nrows = tv->n;
	tv->table.sel = 0;
	for (int i = 0; theme && i < tv->n; i++) {
		if (!strcmp(tv->rows[i].category, category) && !strcmp(tv->rows[i].theme, theme)) {
			tv->table.sel = i;
			break;
		}
	}
	snprintf(v->title, sizeof(v->title), "%d days to %s", tv->days, t->as_of_text);
	return 0;
}

static int themes_open(struct view *v, const char *arg)
{
	struct themes_view *tv = v->priv;
	char category[32] = "", theme[CS_THEME_MAX] = "";
	bool selected = arg[0] && theme_arg_parse(arg, &tv->days, category, theme);

	if (!selected)
		tv->days = 7;
	/* Without the rules the screen still works; it cannot flag themes. */
	tv->rules_ok = cs_rules_load("rules", &tv->rules, &v->tui->diag) == 0;
	if (!(tv->rows = malloc(THEMES_MAX * sizeof(*tv->rows)))) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	tv->table = (struct table){
		.cols = theme_cols,
		.ncols = (int)(sizeof(theme_cols) / sizeof(theme_cols[0])),
		.header = true,
		.focused = true,
		.empty = "no tickets in the window",
	};
	tv->page = 10;
	return themes_load(v, category, selected ? theme : NULL);
}

static void themes_close(struct view *v)
{
	struct themes_view *tv = v->priv;

	free(tv->rows);
	tv->rows = NULL;
	flagged_free(tv);
}

/* Read again, on the same theme if it is still there. */
static void themes_reload(struct view *v)
{
	struct themes_view *tv = v->priv;
	struct theme_row keep = { .category = "" };
	int top = tv->table.top;

	if (tv->n)
		keep = tv->rows[tv->table.sel];
	themes_load(v, keep.category, tv->n ? keep.theme : NULL);
	tv->table.top = top;
}

static void theme_cell(void *ctx, int row, int col, struct cell *c, char *buf, size_t size)
{
	const struct theme_row *r = &((const struct themes_view *)ctx)->rows[row];

	switch (col) {
	case 0:
		c->text = r->category[0] ? r->category : "uncategorised";
		c->role = r->category[0] ? ROLE_NORMAL : ROLE_MUTED;
		break;
	case 1:
		c->text = r->theme;
		break;
	case 2:
		snprintf(buf, size, "%ld", r->tickets);
		c->text = buf;
		break;
	case 3:
		snprintf(buf, size, "%ld", r->customers);
		c->text = buf;
		break;
	case 4:
		fmt_money(buf, size, r->arr, true);
		c->text = buf;
		break;
	default:
		c->text = r->escalate ? "yes" : "";
		c->role = ROLE_RED;
		break;
	}
}

static void themes_draw(struct view *v, struct rect b)
{
	struct themes_view *tv = v->priv;
	struct rect list = { b.y + 1, b.x + 1, b.h - 2, b.w - 2 };
	char right[64], rule[128] = "";

	tv->page = table_page(&tv->table, list);
	if (tv->more)
		snprintf(right, sizeof(right), "the %d with most ARR of %ld ", tv->n,
			 tv->n + tv->more);
	else
		snprintf(right, sizeof(right), "%d theme%s ", tv->n, tv->n == 1 ? "" : "s");
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " Ticket themes of the %d days to %s",
		   tv->days, v->tui->as_of_text);
	draw_text(b.y, b.x + b.w - text_width(right), text_width(right), right, ROLE_PANE, 0);
	table_draw(&tv->table, list, theme_cell, tv);
	if (tv->rules_ok) {
		char arr[32];

		fmt_money(arr, sizeof(arr), tv->rules.r[A_THEME].arr_at_least, true);
		snprintf(rule, sizeof(rule), "Esc. if %g+ tickets or %s+ a week",
			 tv->rules.r[A_THEME].min_tickets, arr);
	}
	if (draw_text(b.y + b.h - 1, b.x + 1, b.w - 2, "Enter tickets  t triage  w 7/30/90 days",
		      ROLE_MUTED, 0) + 2 + text_width(rule) <= b.w - 2)
		draw_text(b.y + b.h - 1, b.x + b.w - 1 - text_width(rule), text_width(rule), rule,
			  ROLE_MUTED, 0);
}

static unsigned themes_handle(struct view *v, enum action a)
{
	static const int windows[] = THEME_WINDOWS;
	struct themes_view *tv = v->priv;
	const struct theme_row *r = tv->n ? &tv->rows[tv->table.sel] : NULL;
	char arg[sizeof(v->arg)];
	size_t i;

	if (table_move(&tv->table, a, tv->page))
		return R_HANDLED | R_REDRAW;
	switch (a) {
	case ACT_ENTER:
		if (!r)
			return R_HANDLED;
		theme_arg(arg, sizeof(arg), tv->days, r->category, r->theme);
		return R_HANDLED | tui_push(v->tui, &view_theme_tickets, arg);
	case ACT_TRIAGE:
		if (!r)
			return R_HANDLED;
		snprintf(arg, sizeof(arg), TRIAGE_THEME);
		theme_arg(arg + strlen(arg), sizeof(arg) - strlen(arg), tv->days, r->category,
			  r->theme);
		return R_HANDLED | tui_push(v->tui, &view_triage, arg);
	case ACT_WINDOW:
		for (i = 0; i < sizeof(windows) / sizeof(windows[0]) && windows[i] != tv->days; i++)
			;
		tv->days = windows[(i + 1) % (sizeof(windows) / sizeof(windows[0]))];
		themes_reload(v);
		return R_HANDLED | R_REDRAW;
	case ACT_RELOAD:
		themes_reload(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
}

const struct view_ops view_themes = {
	.name = "Themes",
	.priv_size = sizeof(struct themes_view),
	.open = themes_open,
	.draw = themes_draw,
	.handle = themes_handle,
	.close = themes_close,
	.resume = themes_reload,
};

/* ------------------------------------------------------------------ */
/* A theme's tickets                                                    */

/* Rows kept in memory (about 1.3 KiB each); the first read; the least read after. */
#define LIST_CAP 512
#define FIRST_READ 100
#define CHUNK_MIN 40

struct theme_tickets {
	struct cs_tickets_config *cfg;
	struct cs_ticket_filter f;
	char category[32], theme[CS_THEME_MAX];
	int days;
	long total;
	struct cs_ticket_item *rows, *tmp;
	int n;
	bool at_start, at_end;		/* the window holds the first / last row */
	long base;			/* position of rows[0]; -1 unknown */
	struct table table;
	int page;
};

static const struct column ticket_cols[] = {
	{ "Created", 10, 0, false, 0, 0 },
	{ "Ticket", 8, 0, false, 3, 0 },
	{ "Customer", 0, 10, false, 0, 16 },
	{ "Subject", 0, 12, false, 0, 0 },
	{ "Source", 6, 0, false, 2, 0 },
	{ "Pri", 3, 0, false, 0, 0 },
	{ "Status", 8, 0, false, 1, 0 },
};

static int read_tickets(struct view *v, const struct cs_ticket_key *key, bool before, int max)
{
	struct theme_tickets *tt = v->priv;

	return cs_list_tickets(v->tui->db, &tt->f, key, before, tt->tmp,
			       max > LIST_CAP ? LIST_CAP : max, &v->tui->diag);
}

/* The window from the newest ticket (last: from the oldest), want rows at least. */
static int load_end(struct view *v, bool last, int want)
{
	struct theme_tickets *tt = v->priv;
	int got = read_tickets(v, NULL, last, want);

	tt->n = 0;
	tt->table.sel = tt->table.top = 0;
	tt->table.nrows = 0;
	if (got < 0)
		return -1;
	memcpy(tt->rows, tt->tmp, (size_t)got * sizeof(*tt->rows));
	tt->n = got;
	if (last) {
		tt->at_end = true;
		tt->at_start = got < want;
		tt->base = tt->at_start ? 0 : -1;
		tt->table.sel = got - 1;
		tt->table.top = got - tt->page > 0 ? got - tt->page : 0;
	} else {
		tt->at_start = true;
		tt->at_end = got < want;
		tt->base = 0;
	}
	tt->table.nrows = tt->n;
	return 0;
}

/* Up to want rows after the window, dropping as many from its front. */
static void extend_down(struct view *v, int want)
{
	struct theme_tickets *tt = v->priv;
	int got, drop;

	if (tt->at_end || !tt->n || (got = read_tickets(v, &tt->rows[tt->n - 1].key, false,
							  want)) < 0)
		return;
	if (got < want)
		tt->at_end = true;
	if ((drop = tt->n + got - LIST_CAP) > 0) {
		memmove(tt->rows, tt->rows + drop, (size_t)(tt->n - drop) * sizeof(*tt->rows));
		tt->n -= drop;
		tt->table.sel -= drop;
		tt->table.top -= drop;
		tt->at_start = false;
		if (tt->base >= 0)
			tt->base += drop;
	}
	memcpy(tt->rows + tt->n, tt->tmp, (size_t)got * sizeof(*tt->rows));
	tt->n += got;
	tt->table.nrows = tt->n;
}

/* Up to want rows before the window, dropping as many from its end. */
static void extend_up(struct view *v, int want)
{
	struct theme_tickets *tt = v->priv;
	int got, drop;

	if (tt->at_start || !tt->n || (got = read_tickets(v, &tt->rows[0].key, true, want)) < 0)
		return;
	if ((drop = tt->n + got - LIST_CAP) > 0) {
		tt->n -= drop;
		tt->at_end = false;
	}
	memmove(tt->rows + got, tt->rows, (size_t)tt->n * sizeof(*tt->rows));
	memcpy(tt->rows, tt->tmp, (size_t)got * sizeof(*tt->rows));
	tt->n += got;
	tt->table.sel += got;
	tt->table.top += got;
	if (got < want) {
		tt->at_start = true;
		tt->base = 0;
	} else if (tt->base >= 0) {
		tt->base -= got;
	}
	tt->table.nrows = tt->n;
}

static int theme_tickets_open(struct view *v, const char *arg)
{
	struct theme_tickets *tt = v->priv;
	struct tui *t = v->tui;

	if (!theme_arg_parse(arg, &tt->days, tt->category, tt->theme)) {
		tui_message(t, ROLE_ERROR, "not a theme");
		return -1;
	}
	tt->f = (struct cs_ticket_filter){ .as_of = t->as_of, .days = tt->days,
					   .category = tt->category, .theme = tt->theme };
	tt->rows = malloc(LIST_CAP * sizeof(*tt->rows));
	tt->tmp = malloc(LIST_CAP * sizeof(*tt->tmp));
	if (!tt->rows || !tt->tmp) {
		tui_message(t, ROLE_ERROR, "out of memory");
		return -1;
	}
	tt->table = (struct table){
		.cols = ticket_cols,
		.ncols = (int)(sizeof(ticket_cols) / sizeof(ticket_cols[0])),
		.header = true,
		.focused = true,
		.empty = "no tickets in the window",
	};
	tt->page = 20;
	snprintf(v->title, sizeof(v->title), "%s%s%s", category_label(cs_category_find(
		 tt->category)), glyph->dot, tt->theme);
	if (cs_tickets_config_load(NULL, &tt->cfg, &t->diag) ||
	    cs_count_tickets(t->db, &tt->f, &tt->total, &t->diag) ||
	    load_end(v, false, FIRST_READ))
		return -1;
	return 0;
}

static void theme_tickets_close(struct view *v)
{
	struct theme_tickets *tt = v->priv;

	free(tt->rows);
	free(tt->tmp);
	tt->rows = tt->tmp = NULL;
	cs_tickets_config_free(tt->cfg);
	tt->cfg = NULL;
}

/* A ticket changed (triage): read again from the top, as far down as the selection was. */
static void theme_tickets_resume(struct view *v)
{
	struct theme_tickets *tt = v->priv;
	int sel = tt->table.sel, top = tt->table.top;
	int want = tt->base == 0 && sel + tt->page + 1 > FIRST_READ ? sel + tt->page + 1 :
		   FIRST_READ;

	cs_count_tickets(v->tui->db, &tt->f, &tt->total, &v->tui->diag);
	if (load_end(v, false, want > LIST_CAP ? LIST_CAP : want))
		return;
	tt->table.sel = sel;
	tt->table.top = top;
	table_clamp(&tt->table, tt->page);
}

static void ticket_cell(void *ctx, int row, int col, struct cell *out, char *buf, size_t size)
{
	const struct theme_tickets *tt = ctx;
	const struct cs_ticket_item *r = &tt->rows[row];
	struct cs_priority p;

	switch (col) {
	case 0:
		snprintf(buf, size, "%.10s", r->created_at);
		out->text = buf;
		break;
	case 1:
		out->text = r->ticket_id;
		out->role = ROLE_MUTED;
		break;
	case 2:
		out->text = r->customer[0] ? r->customer : r->customer_id;
		break;
	case 3:
		out->text = r->subject;
		break;
	case 4:
		out->text = r->source ? cs_source_names[r->source] : "none";
		out->role = r->source == CS_SRC_RULE || r->source == CS_SRC_MODEL ||
			    !r->source ? ROLE_YELLOW : ROLE_NORMAL;
		break;
	case 5:
		cs_ticket_priority(tt->cfg, r->urgency, r->impact, &p);
		snprintf(buf, size, "P%d", p.level);
		out->text = buf;
		out->role = p.level <= 1 ? ROLE_RED : ROLE_NORMAL;
		break;
	default:
		out->text = r->status;
		break;
	}
}

static void theme_tickets_draw(struct view *v, struct rect b)
{
	struct theme_tickets *tt = v->priv;
	struct rect list = { b.y + 1, b.x + 1, b.h - 2, b.w - 2 };
	char where[64] = "";

	tt->page = table_page(&tt->table, list);
	if (tt->base >= 0 && tt->n)
		snprintf(where, sizeof(where), "%ld of %ld ", tt->base + tt->table.sel + 1,
			 tt->total);
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " %ld ticket%s of the %d days to %s, "
		   "newest first", tt->total, tt->total == 1 ? "" : "s", tt->days,
		   v->tui->as_of_text);
	draw_text(b.y, b.x + b.w - text_width(where), text_width(where), where, ROLE_PANE, 0);
	table_draw(&tt->table, list, ticket_cell, tt);
	draw_text(b.y + b.h - 1, b.x + 1, b.w - 2,
		  "Enter open the ticket  t triage it   Source: rule, model, none go to triage",
		  ROLE_MUTED, 0);
}

static unsigned theme_tickets_handle(struct view *v, enum action a)
{
	struct theme_tickets *tt = v->priv;
	int want = tt->page > CHUNK_MIN ? tt->page : CHUNK_MIN;
	char arg[sizeof(v->arg)];

	switch (a) {
	case ACT_UP:
		if (tt->table.sel == 0)
			extend_up(v, want);
		break;
	case ACT_DOWN:
		if (tt->table.sel >= tt->n - 1)
			extend_down(v, want);
		break;
	case ACT_PAGE_UP:
		if (tt->table.sel - tt->page < 0)
			extend_up(v, want);
		break;
	case ACT_PAGE_DOWN:
		if (tt->table.sel + tt->page >= tt->n)
			extend_down(v, want);
		break;
	case ACT_FIRST:
		if (!tt->at_start)
			load_end(v, false, FIRST_READ);
		break;
	case ACT_LAST:
		if (!tt->at_end)
			load_end(v, true, FIRST_READ);
		break;
	case ACT_ENTER:
		if (tt->n > 0)
			return R_HANDLED | tui_push(v->tui, &view_ticket,
						    tt->rows[tt->table.sel].ticket_id);
		return R_HANDLED;
	case ACT_TRIAGE:
		if (!tt->n)
			return R_HANDLED;
		snprintf(arg, sizeof(arg), TRIAGE_TICKET "%s", tt->rows[tt->table.sel].ticket_id);
		return R_HANDLED | tui_push(v->tui, &view_triage, arg);
	case ACT_RELOAD:
		theme_tickets_resume(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
	table_move(&tt->table, a, tt->page);
	return R_HANDLED | R_REDRAW;
}

const struct view_ops view_theme_tickets = {
	.name = "Theme",
	.priv_size = sizeof(struct theme_tickets),
	.open = theme_tickets_open,
	.draw = theme_tickets_draw,
	.handle = theme_tickets_handle,
	.close = theme_tickets_close,
	.resume = theme_tickets_resume,
};
