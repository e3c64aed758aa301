/*
 * renewals.c — the renewal pipeline screen (casey/renewals.h): what
 * `casey renewals` prints, for the terminal.
 *
 *   top     ARR renewing in each window (0-30, 31-60, 61-90, 91-120 days)
 *           and in all, by health band, by trend and at high and medium
 *           renewal risk;
 *   below   the renewing customers, soonest first, with ARR, tier, band,
 *           risk and next step; Enter opens the customer.
 *
 * w steps the horizon through the configured windows (120 first). The
 * list is virtual like the customer list's: a window of at most LIST_CAP
 * rows onto the order, extended a page at a time from the row at either
 * end (cs_renewal_list() walks customers_renewal from a key), so a million
 * renewing customers open as fast as the sample's. The figures above read
 * each renewing customer once, when the screen opens or the horizon
 * changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/renewals.h"
#include "casey/tiers.h"
#include "tui.h"

#define LIST_CAP 400
#define FIRST_READ 100
#define CHUNK 40

struct renewals_view {
	struct cs_renewals cfg;
	struct cs_pipeline pipe;
	int within;
	struct cs_renewal_row *rows, *tmp;
	int n;
	bool at_start, at_end;
	struct table sums, list;
	int page;
};

static const struct column sum_cols[] = {
	{ "Days", 7, 0, false, 0, 0 },
	{ "Cust", 4, 0, true, 0, 0 },
	{ "ARR", 6, 0, true, 0, 0 },
	{ "Green", 6, 0, true, 0, 0 },
	{ "Yellow", 6, 0, true, 0, 0 },
	{ "Red", 6, 0, true, 0, 0 },
	{ "Impr", 6, 0, true, 4, 0 },
	{ "Stable", 6, 0, true, 4, 0 },
	{ "Decl", 6, 0, true, 2, 0 },
	{ "High", 6, 0, true, 1, 0 },
	{ "Medium", 6, 0, true, 3, 0 },
};

static const struct column list_cols[] = {
	{ "Renewal", 10, 0, false, 0, 0 },
	{ "Days", 4, 0, true, 0, 0 },
	{ "Customer", 0, 12, false, 0, 30 },
	{ "ARR", 8, 0, true, 0, 0 },
	{ "Tier", 5, 0, false, 2, 0 },
	{ "Band", 6, 0, false, 1, 0 },
	{ "Risk", 6, 0, false, 0, 0 },
	{ "Next step", 0, 10, false, 0, 0 },
};

static int read_page(struct view *v, const struct cs_renewal_key *key, bool before, int max)
{
	struct renewals_view *rv = v->priv;

	if (max > LIST_CAP)
		max = LIST_CAP;
	return cs_renewal_list(v->tui->db, &rv->cfg, v->tui->profile, v->tui->as_of, rv->within,
			       key, before, rv->tmp, max, &v->tui->diag);
}

/* The window from the first row (last: from the last row). */
static void load_end(struct view *v, bool last)
{
	struct renewals_view *rv = v->priv;
	int got = read_page(v, NULL, last, FIRST_READ);

	rv->n = 0;
	rv->list.sel = rv->list.top = 0;
	if (got > 0) {
		memcpy(rv->rows, rv->tmp, (size_t)got * sizeof(*rv->rows));
		rv->n = got;
	}
	rv->at_start = !last || got < FIRST_READ;
	rv->at_end = last || got < FIRST_READ;
	if (last && got > 0) {
		rv->list.sel = got - 1;
		rv->list.top = got - rv->page > 0 ? got - rv->page : 0;
	}
	rv->list.nrows = rv->n;
}

static void extend(struct view *v, bool down)
{
	struct renewals_view *rv = v->priv;
	int got, drop;

	if ((down ? rv->at_end : rv->at_start) || !rv->n)
		return;
	got = read_page(v, &rv->rows[down ? rv->n - 1 : 0].key, !down, CHUNK);
	if (got < 0)
		return;
	if (got < CHUNK) {
		if (down)
			rv->at_end = true;
		else
			rv->at_start = true;
	}
	drop = rv->n + got - LIST_CAP;
	if (down) {
		if (drop > 0) {
			memmove(rv->rows, rv->rows + drop, (size_t)(rv->n - drop) * sizeof(*rv->rows));
			rv->n -= drop;
			rv->list.sel -= drop;
			rv->list.top -= drop;
			rv->at_start = false;
		}
		memcpy(rv->rows + rv->n, rv->tmp, (size_t)got * sizeof(*rv->rows));
	} else {
		if (drop > 0) {
			rv->n -= drop;
			rv->at_end = false;
		}
		memmove(rv->rows + got, rv->rows, (size_t)rv->n * sizeof(*rv->rows));
		memcpy(rv->rows, rv->tmp, (size_t)got * sizeof(*rv->rows));
		rv->list.sel += got;
		rv->list.top += got;
	}
	rv->n += got;
	rv->list.nrows = rv->n;
}

/* Read the figures and the first rows for the horizon. */
static void requery(struct view *v)
{
	struct renewals_view *rv = v->priv;

	if (cs_renewal_pipeline(v->tui->db, &rv->cfg, v->tui->profile, v->tui->as_of, rv->within,
				&rv->pipe, &v->tui->diag))
		memset(&rv->pipe, 0, sizeof(rv->pipe));
	rv->sums.nrows = rv->pipe.nwindows ? rv->pipe.nwindows + 1 : 0;
	load_end(v, false);
	snprintf(v->title, sizeof(v->title), "within %d days", rv->within);
}

static int renewals_open(struct view *v, const char *arg)
{
	struct renewals_view *rv = v->priv;

	(void)arg;
	if (cs_renewals_load(NULL, &rv->cfg, &v->tui->diag))
		return -1;
	rv->rows = malloc(LIST_CAP * sizeof(*rv->rows));
	rv->tmp = malloc(LIST_CAP * sizeof(*rv->tmp));
	if (!rv->rows || !rv->tmp) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	rv->within = rv->cfg.windows[rv->cfg.nwindows - 1];
	rv->page = 10;
	rv->sums = (struct table){ .cols = sum_cols, .ncols = 11, .header = true, .sel = -1 };
	rv->list = (struct table){ .cols = list_cols, .ncols = 8, .header = true, .focused = true,
				   .empty = "no customer renews in this window" };
	requery(v);
	return 0;
}

static void renewals_close(struct view *v)
{
	struct renewals_view *rv = v->priv;

	free(rv->rows);
	free(rv->tmp);
	rv->rows = rv->tmp = NULL;
}

static void renewals_resume(struct view *v)
{
	requery(v);
}

static void sum_cell(void *ctx, int row, int col, struct cell *out, char *buf, size_t size)
{
	const struct renewals_view *rv = ctx;
	const struct cs_pipeline_window *w = row < rv->pipe.nwindows ? &rv->pipe.w[row] :
					     &rv->pipe.total;
	const struct cs_pipeline_cell *c = NULL;

	switch (col) {
	case 0:
		if (row < rv->pipe.nwindows)
			snprintf(buf, size, "%d-%d", w->from, w->to);
		else
			snprintf(buf, size, "all");
		out->text = buf;
		return;
	case 1:
		snprintf(buf, size, "%ld", w->all.customers);
		out->text = buf;
		return;
	case 2: c = &w->all; break;
	case 3: c = &w->band[CS_PB_GREEN]; out->role = ROLE_GREEN; break;
	case 4: c = &w->band[CS_PB_YELLOW]; out->role = ROLE_YELLOW; break;
	case 5: c = &w->band[CS_PB_RED]; out->role = ROLE_RED; break;
	case 6: c = &w->trend[CS_PT_IMPROVING]; break;
	case 7: c = &w->trend[CS_PT_STABLE]; break;
	case 8: c = &w->trend[CS_PT_DECLINING]; break;
	case 9: c = &w->risk[CS_RISK_HIGH]; out->role = ROLE_RED; break;
	default: c = &w->risk[CS_RISK_MEDIUM]; break;
	}
	if (!c->customers) {
		out->text = "-";
		out->role = ROLE_MUTED;
		return;
	}
	fmt_money_short(buf, size, c->arr, true);
	out->text = buf;
}

static enum role risk_role(enum cs_renewal_risk r)
{
	return r == CS_RISK_HIGH ? ROLE_RED : r == CS_RISK_MEDIUM ? ROLE_YELLOW :
	       r == CS_RISK_LOW ? ROLE_GREEN : ROLE_MUTED;
}

struct list_ctx {
	const struct renewals_view *rv;
	const struct cs_tiers *tiers;
};

static void list_cell(void *ctx, int row, int col, struct cell *out, char *buf, size_t size)
{
	const struct list_ctx *lc = ctx;
	const struct renewals_view *rv = lc->rv;
	const struct cs_renewal_row *r = &rv->rows[row];
	const struct cs_renewal_step *s = r->step >= 0 ? &rv->cfg.steps[r->step] : NULL;
	int t;

	switch (col) {
	case 0:
		out->text = r->renewal_date;
		break;
	case 1:
		snprintf(buf, size, "%d", r->days);
		out->text = buf;
		break;
	case 2:
		out->text = r->name;
		break;
	case 3:
		fmt_money(buf, size, r->arr, r->arr_known);
		out->text = buf;
		break;
	case 4:
		t = cs_tier_of(lc->tiers, r->segment, r->arr_known, r->arr);
		out->text = t >= 0 ? lc->tiers->t[t].label : "-";
		break;
	case 5:
		out->text = r->scored ? r->band : "-";
		out->role = r->scored ? band_role(r->band) : ROLE_MUTED;
		break;
	case 6:
		out->text = cs_renewal_risk_names[r->risk];
		out->role = risk_role(r->risk);
		break;
	default:
		/* the first step not done: due (with how many more are), or when */
		if (!s) {
			out->text = "all done";
			out->role = ROLE_MUTED;
		} else if (r->step_due && r->ndue > 1) {
			snprintf(buf, size, "%s due +%d %s", s->label, r->ndue - 1, s->title);
			out->role = ROLE_RED;
		} else if (r->step_due) {
			snprintf(buf, size, "%s %s", s->label, s->title);
			out->role = ROLE_RED;
		} else {
			snprintf(buf, size, "%s on %s", s->label, r->step_date);
		}
		if (s)
			out->text = buf;
		break;
	}
}

static void renewals_draw(struct view *v, struct rect b)
{
	struct renewals_view *rv = v->priv;
	const struct cs_pipeline *p = &rv->pipe;
	struct list_ctx lc = { rv, v->tui->tiers };
	int sums_h = rv->sums.nrows + 1;
	struct rect sums = { b.y + 1, b.x + 1, sums_h, b.w - 2 };
	struct rect list = { b.y + 2 + sums_h, b.x + 1, b.h - 2 - sums_h, b.w - 2 };
	char arr[32];

	fmt_money(arr, sizeof(arr), p->total.all.arr, true);
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " Renewing within %d days: %ld customers, %s%s",
		   rv->within, p->total.all.customers, arr,
		   p->snapshot[0] ? "" : " (not scored yet)");
	table_draw(&rv->sums, sums, sum_cell, rv);
	if (list.h < 2)
		return;
	rv->page = table_page(&rv->list, list);
	table_draw(&rv->list, list, list_cell, &lc);
}

static unsigned renewals_handle(struct view *v, enum action a)
{
	struct renewals_view *rv = v->priv;
	int i;

	switch (a) {
	case ACT_UP:
		if (rv->list.sel == 0)
			extend(v, false);
		break;
	case ACT_DOWN:
		if (rv->list.sel >= rv->n - 1)
			extend(v, true);
		break;
	case ACT_PAGE_UP:
		if (rv->list.sel - rv->page < 0)
			extend(v, false);
		break;
	case ACT_PAGE_DOWN:
		if (rv->list.sel + rv->page >= rv->n)
			extend(v, true);
		break;
	case ACT_FIRST:
		if (!rv->at_start)
			load_end(v, false);
		break;
	case ACT_LAST:
		if (!rv->at_end)
			load_end(v, true);
		break;
	case ACT_ENTER:
		if (rv->n > 0)
			return R_HANDLED | tui_push(v->tui, &view_detail,
						    rv->rows[rv->list.sel].customer_id);
		return R_HANDLED;
	case ACT_WINDOW:
		/* the next configured window, after the last the first */
		for (i = 0; i < rv->cfg.nwindows && rv->cfg.windows[i] <= rv->within; i++)
			;
		rv->within = rv->cfg.windows[i < rv->cfg.nwindows ? i : 0];
		requery(v);
		return R_HANDLED | R_REDRAW;
	case ACT_RELOAD:
		requery(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
	table_move(&rv->list, a, rv->page);
	return R_HANDLED | R_REDRAW;
}

const struct view_ops view_renewals = {
	.name = "Renewals",
	.priv_size = sizeof(struct renewals_view),
	.open = renewals_open,
	.draw = renewals_draw,
	.handle = renewals_handle,
	.close = renewals_close,
	.resume = renewals_resume,
};
