/*
 * customers.c — the customer list: every scored customer, sorted by score,
 * ARR, trend or renewal, filtered by band, tier, behavioural segment,
 * segment, CSM and a search.
 *
 * The list is virtual. It holds at most LIST_CAP rows, a window onto the
 * full order, and moving past either end of the window reads the next
 * page from the core (cs_list_customers(), keyset-paged): the rows after
 * the last one held, or before the first. The window then drops rows from
 * its other end. Nothing ever counts or loads every customer, so a list of
 * a million opens as fast as one of three hundred. The row number shown is
 * known while the window has been reached from the top; after a jump to
 * the end it is not (counting would read every row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/lists.h"
#include "casey/signals.h"
#include "casey/snapshot.h"
#include "casey/tiers.h"
#include "tui.h"

/* Rows kept in memory (about 1 KiB each); the first read; the least read after. */
#define LIST_CAP 512
#define FIRST_READ 120
#define CHUNK_MIN 40
#define RISK_CACHE 256		/* direct-mapped by a hash of the customer_id */
#define VIS_MAX LIST_CAP	/* rows drawn at most */

struct customers {
	struct cs_list_query q;
	char band[8], segment[64], csm[128], search[128];
	char tier[32];			/* a tier's name, CS_TIER_NONE, or "" */
	int behaviour;			/* a behavioural segment (signals.h), or -1 */
	struct cs_list_row *rows;
	struct cs_list_row *tmp;	/* a page being read */
	int n;
	bool at_start, at_end;		/* the window holds the first / last row */
	long base;			/* position of rows[0] in the list; -1 unknown */
	bool scored;			/* a snapshot exists at all */
	struct table table;
	int page;
	const struct cs_tiers *tiers;
	/*
	 * Churn risk is computed for the rows drawn, when drawn (a handful of
	 * index lookups each, signals.h), and kept here by customer_id until
	 * the list is read again.
	 */
	struct cs_signals_config *signals;	/* NULL: assets/signals.ini is broken */
	struct risk_cache {
		char customer_id[CS_ID_MAX + 1];
		int score;			/* -1: not known */
		enum cs_churn_segment segment;
	} risk[RISK_CACHE], vis[VIS_MAX];	/* vis: the rows drawn, from top */
	int nvis;
};

static const struct column list_cols[] = {
	{ "Customer", 0, 20, false, 0, 44 },
	{ "ARR", 10, 0, true, 0, 0 },
	{ "Score", 5, 0, true, 0, 0 },
	{ "Risk", 4, 0, true, 1, 0 },
	{ "Band", 6, 0, false, 0, 0 },
	{ "Trend", 6, 0, false, 0, 0 },
	{ "Tier", 5, 0, false, 1, 0 },
	{ "Renewal", 10, 0, false, 2, 0 },
	{ "Segment", 14, 0, false, 3, 0 },
	{ "CSM", 16, 0, false, 4, 0 },
};

static const char *const sort_label[CS_SORT_COUNT] = {
	[CS_SORT_SCORE] = "score",
	[CS_SORT_ARR] = "ARR",
	[CS_SORT_TREND] = "trend",
	[CS_SORT_RENEWAL] = "renewal",
};

static const char *const sort_help[CS_SORT_COUNT] = {
	[CS_SORT_SCORE] = "lowest score first",
	[CS_SORT_ARR] = "largest ARR first",
	[CS_SORT_TREND] = "steepest 30-day fall first",
	[CS_SORT_RENEWAL] = "soonest renewal first",
};

static int read_page(struct view *v, const struct cs_list_key *key, bool before, int max)
{
	struct customers *c = v->priv;

	if (max > LIST_CAP)
		max = LIST_CAP;
	return cs_list_customers(v->tui->db, &c->q, key, before, c->tmp, max, &v->tui->diag);
}

/* The window from the first row (last: from the last row). */
static int load_end(struct view *v, bool last)
{
	struct customers *c = v->priv;
	int got = read_page(v, NULL, last, FIRST_READ);

	c->n = 0;
	c->table.sel = c->table.top = 0;
	if (got < 0)
		return -1;
	memcpy(c->rows, c->tmp, (size_t)got * sizeof(*c->rows));
	c->n = got;
	if (last) {
		c->at_end = true;
		c->at_start = got < FIRST_READ;
		c->base = c->at_start ? 0 : -1;
		c->table.sel = got - 1;
		c->table.top = got - c->page > 0 ? got - c->page : 0;
	} else {
		c->at_start = true;
		c->at_end = got < FIRST_READ;
		c->base = 0;
	}
	c->table.nrows = c->n;
	return 0;
}

/* Read up to want rows after the window, dropping as many from its front. */
static void extend_down(struct view *v, int want)
{
	struct customers *c = v->priv;
	int got, drop;

	if (c->at_end || !c->n)
		return;
	got = read_page(v, &c->rows[c->n - 1].key, false, want);
	if (got < 0)
		return;
	if (got < want)
		c->at_end = true;
	drop = c->n + got - LIST_CAP;
	if (drop > 0) {
		memmove(c->rows, c->rows + drop, (size_t)(c->n - drop) * sizeof(*c->rows));
		c->n -= drop;
		c->table.sel -= drop;
		c->table.top -= drop;
		c->at_start = false;
		if (c->base >= 0)
			c->base += drop;
	}
	memcpy(c->rows + c->n, c->tmp, (size_t)got * sizeof(*c->rows));
	c->n += got;
	c->table.nrows = c->n;
}

/* Read up to want rows before the window, dropping as many from its end. */
static void extend_up(struct view *v, int want)
{
	struct customers *c = v->priv;
	int got, drop;

	if (c->at_start || !c->n)
		return;
	got = read_page(v, &c->rows[0].key, true, want);
	if (got < 0)
		return;
	drop = c->n + got - LIST_CAP;
	if (drop > 0) {
		c->n -= drop;
		c->at_end = false;
	}
	memmove(c->rows + got, c->rows, (size_t)c->n * sizeof(*c->rows));
	memcpy(c->rows, c->tmp, (size_t)got * sizeof(*c->rows));
	c->n += got;
	c->table.sel += got;
	c->table.top += got;
	if (got < want) {
		c->at_start = true;
		c->base = 0;
	} else if (c->base >= 0) {
		c->base -= got;
	}
	c->table.nrows = c->n;
}

/* The cache entry of a customer_id (its slot, whoever is in it). */
static struct risk_cache *risk_slot(struct customers *c, const char *id)
{
	unsigned h = 5381;

	for (const char *p = id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return &c->risk[h % RISK_CACHE];
}

/* The churn risk of visible row `row`, as fill_risk() left it. */
static const struct risk_cache *row_risk(struct customers *c, int row)
{
	static const struct risk_cache unknown = { .score = -1 };
	int i = row - c->table.top;

	return i >= 0 && i < c->nvis ? &c->vis[i] : &unknown;
}

/*
 * The churn risk of the rows about to be drawn: from the cache, the rest
 * computed in one go and cached (a slot taken by another id is replaced).
 */
static void fill_risk(struct view *v)
{
	struct customers *c = v->priv;
	const char *ids[VIS_MAX];
	int at[VIS_MAX], n = 0;
	struct cs_churn out[VIS_MAX];
	bool found[VIS_MAX];

	c->nvis = 0;
	for (int i = c->table.top; i < c->table.top + c->page && i < c->n && c->nvis < VIS_MAX;
	     i++) {
		const struct risk_cache *e = risk_slot(c, c->rows[i].customer_id);
		struct risk_cache *d = &c->vis[c->nvis];

		if (!strcmp(e->customer_id, c->rows[i].customer_id)) {
			*d = *e;
		} else {
			snprintf(d->customer_id, sizeof(d->customer_id), "%s",
				 c->rows[i].customer_id);
			d->score = -1;
			ids[n] = c->rows[i].customer_id;
			at[n++] = c->nvis;
		}
		c->nvis++;
	}
	if (!n || !c->signals ||
	    cs_churn_get_many(v->tui->db, c->signals, ids, n, v->tui->as_of, out, found,
			      &v->tui->diag))
		return;
	for (int k = 0; k < n; k++) {
		struct risk_cache *d = &c->vis[at[k]];

		d->score = found[k] ? out[k].score : -1;
		d->segment = out[k].segment;
		*risk_slot(c, d->customer_id) = *d;
	}
}

static void requery(struct view *v)
{
	struct customers *c = v->priv;
	char *p = v->title;
	size_t left = sizeof(v->title);
	int w;

	c->q.band = c->band;
	c->q.segment = c->segment;
	c->q.csm = c->csm;
	c->q.search = c->search;
	c->q.tier = c->tier;
	c->q.signals = c->signals;
	c->q.behaviour = c->behaviour >= 0 ? cs_behaviour_names[c->behaviour] : NULL;
	memset(c->risk, 0, sizeof(c->risk));
	load_end(v, false);
	/* The title bar names the filters. */
	v->title[0] = '\0';
#define PUT(...) do { w = snprintf(p, left, __VA_ARGS__); \
		if (w > 0 && (size_t)w < left) { p += w; left -= (size_t)w; } } while (0)
	if (c->band[0])
		PUT("%s", c->band);
	if (c->behaviour >= 0)
		PUT("%s%s", v->title[0] ? ", " : "", cs_behaviour_labels[c->behaviour]);
	if (!strcmp(c->tier, CS_TIER_NONE))
		PUT("%sno tier", v->title[0] ? ", " : "");
	else if (c->tier[0])
		PUT("%s%s", v->title[0] ? ", " : "", c->tier);
	if (c->segment[0])
		PUT("%ssegment %s*", v->title[0] ? ", " : "", c->segment);
	if (c->csm[0])
		PUT("%sCSM %s*", v->title[0] ? ", " : "", c->csm);
	if (c->search[0])
		PUT("%s\"%s\"", v->title[0] ? ", " : "", c->search);
#undef PUT
}

static int customers_open(struct view *v, const char *arg)
{
	struct customers *c = v->priv;
	char day[11];

	c->rows = malloc(LIST_CAP * sizeof(*c->rows));
	c->tmp = malloc(LIST_CAP * sizeof(*c->tmp));
	c->signals = malloc(sizeof(*c->signals));
	if (!c->rows || !c->tmp || !c->signals) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	if (cs_signals_config_load(NULL, c->signals, &v->tui->diag)) {
		free(c->signals);
		c->signals = NULL;
	}
	c->q.profile = v->tui->profile;
	c->tiers = v->tui->tiers;
	c->behaviour = -1;
	c->q.as_of = v->tui->as_of;
	c->q.sort = CS_SORT_SCORE;
	c->page = 20;
	if (!strncmp(arg, TUI_BAND_ARG_PREFIX, strlen(TUI_BAND_ARG_PREFIX)))
		snprintf(c->band, sizeof(c->band), "%s", arg + strlen(TUI_BAND_ARG_PREFIX));
	c->table = (struct table){
		.cols = list_cols,
		.ncols = (int)(sizeof(list_cols) / sizeof(list_cols[0])),
		.header = true,
		.focused = true,
	};
	c->scored = cs_snapshot_latest_date(v->tui->db, v->tui->profile, v->tui->as_of, day,
					    &v->tui->diag) > 0;
	requery(v);
	return 0;
}

static void customers_close(struct view *v)
{
	struct customers *c = v->priv;

	free(c->rows);
	free(c->tmp);
	free(c->signals);
	c->rows = c->tmp = NULL;
	c->signals = NULL;
}

static void list_cell(void *ctx, int row, int col, struct cell *out, char *buf, size_t size)
{
	struct view *v = ctx;
	const struct cs_list_row *r = &((const struct customers *)v->priv)->rows[row];
	const struct risk_cache *risk;

	switch (col) {
	case 0:
		out->text = r->name;
		break;
	case 1:
		fmt_money(buf, size, r->arr, r->arr_known);
		out->text = buf;
		break;
	case 2:
		snprintf(buf, size, "%d", r->score);
		out->text = buf;
		out->role = band_role(r->band);
		break;
	case 3:
		risk = row_risk(v->priv, row);
		if (risk->score < 0)
			snprintf(buf, size, "-");
		else
			snprintf(buf, size, "%d", risk->score);
		out->text = buf;
		out->role = risk->score < 0 ? ROLE_NORMAL : churn_role(risk->segment);
		break;
	case 4:
		out->text = r->band;
		out->role = band_role(r->band);
		break;
	case 5:
		if (r->has_delta30 && r->delta30)
			snprintf(buf, size, "%s %+d", trend_arrow(r->trend), r->delta30);
		else if (r->has_delta30)
			snprintf(buf, size, "%s 0", trend_arrow(r->trend));
		else
			snprintf(buf, size, "%s", trend_arrow(r->trend));
		out->text = buf;
		out->role = trend_role(r->trend);
		break;
	case 6: {
		const struct cs_tiers *tiers = ((const struct customers *)v->priv)->tiers;
		int t = cs_tier_of(tiers, r->segment, r->arr_known, r->arr);

		out->text = t >= 0 ? tiers->t[t].label : "-";
		break;
	}
	case 7:
		out->text = r->renewal_date;
		break;
	case 8:
		out->text = r->segment;
		break;
	default:
		out->text = r->csm;
		break;
	}
}

static void customers_draw(struct view *v, struct rect b)
{
	struct customers *c = v->priv;
	struct rect list = { b.y + 1, b.x + 1, b.h - 1, b.w - 2 };
	char where[64] = "";

	c->page = table_page(&c->table, list);
	if (c->base >= 0 && c->n) {
		if (c->at_start && c->at_end)
			snprintf(where, sizeof(where), "%ld of %d ", c->base + c->table.sel + 1, c->n);
		else
			snprintf(where, sizeof(where), "row %ld ", c->base + c->table.sel + 1);
	}
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " Sorted by %s (%s)",
		   sort_label[c->q.sort], sort_help[c->q.sort]);
	draw_text(b.y, b.x + b.w - text_width(where), text_width(where), where, ROLE_PANE, 0);
	c->table.empty = !c->scored ? "not scored yet; run: casey score" :
			 "no customer matches (x clears the filters)";
	table_clamp(&c->table, c->page);
	fill_risk(v);
	table_draw(&c->table, list, list_cell, v);
}

/* The prompts' answers. */
static void set_filter(struct view *v, char *field, size_t size, const char *answer)
{
	snprintf(field, size, "%s", answer);
	requery(v);
}

static void segment_done(struct view *v, const char *answer)
{
	struct customers *c = v->priv;

	set_filter(v, c->segment, sizeof(c->segment), answer);
}

static void csm_done(struct view *v, const char *answer)
{
	struct customers *c = v->priv;

	set_filter(v, c->csm, sizeof(c->csm), answer);
}

static void search_done(struct view *v, const char *answer)
{
	struct customers *c = v->priv;

	set_filter(v, c->search, sizeof(c->search), answer);
}

static unsigned customers_handle(struct view *v, enum action a)
{
	static const char *const bands[] = { "", "red", "yellow", "green" };
	struct customers *c = v->priv;
	int want = c->page > CHUNK_MIN ? c->page : CHUNK_MIN;
	int i;

	if (want > LIST_CAP / 2)
		want = LIST_CAP / 2;

	switch (a) {
	case ACT_UP:
		if (c->table.sel == 0)
			extend_up(v, want);
		break;
	case ACT_DOWN:
		if (c->table.sel >= c->n - 1)
			extend_down(v, want);
		break;
	case ACT_PAGE_UP:
		if (c->table.sel - c->page < 0)
			extend_up(v, want);
		break;
	case ACT_PAGE_DOWN:
		if (c->table.sel + c->page >= c->n)
			extend_down(v, want);
		break;
	case ACT_FIRST:
		if (!c->at_start)
			load_end(v, false);
		break;
	case ACT_LAST:
		if (!c->at_end)
			load_end(v, true);
		break;
	case ACT_ENTER:
		if (c->n > 0)
			return R_HANDLED | tui_push(v->tui, &view_detail,
						    c->rows[c->table.sel].customer_id);
		return R_HANDLED;
	case ACT_SORT:
		c->q.sort = (c->q.sort + 1) % CS_SORT_COUNT;
		requery(v);
		return R_HANDLED | R_REDRAW;
	case ACT_BAND:
		for (i = 0; i < 4 && strcmp(bands[i], c->band); i++)
			;
		snprintf(c->band, sizeof(c->band), "%s", bands[(i + 1) % 4]);
		requery(v);
		return R_HANDLED | R_REDRAW;
	case ACT_BEHAVIOUR:
		if (!c->signals) {
			tui_message(v->tui, ROLE_ERROR, "no behavioural segments: assets/signals.ini "
				    "could not be read");
			return R_HANDLED | R_REDRAW;
		}
		/* all, each segment in seed 002's order, all again */
		c->behaviour = c->behaviour + 1 < CS_BEH_N ? c->behaviour + 1 : -1;
		requery(v);
		return R_HANDLED | R_REDRAW;
	case ACT_TIER:
		/* all, each tier in the file's order, no tier, all again */
		if (!c->tier[0])
			i = 0;
		else if (!strcmp(c->tier, CS_TIER_NONE))
			i = c->tiers->n + 1;
		else
			i = cs_tier_find(c->tiers, c->tier) + 1;
		i = (i + 1) % (c->tiers->n + 2);
		snprintf(c->tier, sizeof(c->tier), "%s", !i ? "" : i > c->tiers->n ? CS_TIER_NONE :
			 c->tiers->t[i - 1].name);
		requery(v);
		return R_HANDLED | R_REDRAW;
	case ACT_SEGMENT:
		tui_prompt(v->tui, v, "Segment starts with: ", c->segment, segment_done)->max =
			sizeof(c->segment) - 1;
		return R_HANDLED | R_REDRAW;
	case ACT_CSM:
		tui_prompt(v->tui, v, "CSM starts with: ", c->csm, csm_done)->max =
			sizeof(c->csm) - 1;
		return R_HANDLED | R_REDRAW;
	case ACT_SEARCH:
		tui_prompt(v->tui, v, "Search: ", c->search, search_done)->max =
			sizeof(c->search) - 1;
		return R_HANDLED | R_REDRAW;
	case ACT_RELOAD:
		/* Read again, keeping the order and the filters. */
		requery(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	case ACT_CLEAR:
		c->band[0] = c->segment[0] = c->csm[0] = c->search[0] = c->tier[0] = '\0';
		c->behaviour = -1;
		requery(v);
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
	table_move(&c->table, a, c->page);
	return R_HANDLED | R_REDRAW;
}

const struct view_ops view_customers = {
	.name = "Customers",
	.priv_size = sizeof(struct customers),
	.open = customers_open,
	.draw = customers_draw,
	.handle = customers_handle,
	.close = customers_close,
};
