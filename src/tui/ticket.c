/*
 * ticket.c — one ticket: the card the ticket and triage screens share
 * (ticket.h), and the ticket screen the themes drill-down opens, from
 * which `t` sends the ticket to triage.
 *
 * The card reads the ticket, its customer and the customer's latest
 * score through the core, and works out the priority (urgency × impact)
 * and the SLA state as of the end of the as-of day, as `casey tickets`
 * does. The description is wrapped to the screen and scrolled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticket.h"
#include "wrap.h"

/* ------------------------------------------------------------------ */
/* Argument forms                                                       */

void theme_arg(char *buf, size_t size, int days, const char *category, const char *theme)
{
	snprintf(buf, size, "%d%c%s%c%s", days, THEME_ARG_SEP, category ? category : "",
		 THEME_ARG_SEP, theme ? theme : "");
}

bool theme_arg_parse(const char *arg, int *days, char category[32], char theme[CS_THEME_MAX])
{
	const char *a = strchr(arg, THEME_ARG_SEP), *b = a ? strchr(a + 1, THEME_ARG_SEP) : NULL;
	char *end;
	long d = strtol(arg, &end, 10);

	/* The category is one of seven names or ""; the theme is the rest. */
	if (!a || !b || end != a || d <= 0 || d > 3660 || b - a - 1 >= 32)
		return false;
	*days = (int)d;
	snprintf(category, 32, "%.*s", (int)(b - a - 1), a + 1);
	snprintf(theme, CS_THEME_MAX, "%s", b + 1);
	return true;
}

/* ------------------------------------------------------------------ */
/* Wrapped text                                                         */

struct wrapped {
	struct lines *l;
	enum role role;
	int indent;
};

static void wrapped_line(void *ctx, const char *text)
{
	struct wrapped *w = ctx;

	lines_add(w->l);
	if (w->indent)
		span_add(w->l, w->role, w->indent, false, "");
	span_add(w->l, w->role, 0, false, text);
}

void lines_wrap(struct lines *l, enum role role, int indent, int width, const char *text)
{
	struct wrapped w = { l, role, indent > 0 ? indent : 0 };
	size_t n = strlen(text ? text : "");
	char *copy = malloc(n + 1), *o = copy;

	if (!copy) {
		l->oom = true;
		return;
	}
	for (const char *p = text ? text : ""; *p; p++)
		if (!(*p == '\r' && p[1] == '\n'))
			*o++ = *p;
	while (o > copy && o[-1] == '\n')
		o--;
	*o = '\0';
	if (wrap_text(copy, width - w.indent, wrapped_line, &w) < 0)
		l->oom = true;
	free(copy);
}

/* ------------------------------------------------------------------ */
/* The card                                                             */

const char *category_label(int category)
{
	return category >= 0 && category < CAT_COUNT ? cs_category_names[category] :
	       "uncategorised";
}

void source_label(char *buf, size_t size, enum cs_source source, double confidence)
{
	switch (source) {
	case CS_SRC_CSM:
		snprintf(buf, size, "a CSM's decision");
		break;
	case CS_SRC_EXPORT:
		snprintf(buf, size, "from the export");
		break;
	case CS_SRC_RULE:
	case CS_SRC_MODEL:
		snprintf(buf, size, "%s, confidence %.2f", cs_source_names[source], confidence);
		break;
	default:
		snprintf(buf, size, "no rule or model could say");
		break;
	}
}

int ticket_card_load(struct tui *t, const struct cs_tickets_config *cfg, const char *id,
		     struct ticket_card *c, bool *found)
{
	const struct cs_ticket_item *it = &c->t.t;

	memset(c, 0, sizeof(*c));
	if (cs_ticket_get(t->db, id, &c->t, found, &t->diag))
		return -1;
	if (!*found)
		return 0;
	if (cs_customer_get(t->db, it->customer_id, &c->cust, &c->cust_found, &t->diag) ||
	    cs_snapshot_get(t->db, t->profile, it->customer_id, t->as_of, &c->snap, &c->scored,
			    NULL, NULL, &t->diag))
		return -1;
	cs_ticket_priority(cfg, it->urgency, it->impact, &c->pri);
	cs_ticket_sla(cfg, &c->pri, it->status, it->created_at,
		      it->resolved_at[0] ? it->resolved_at : NULL,
		      ((int64_t)t->as_of + 1) * 86400, &c->sla);
	return 0;
}

/* "30 min", "4 h", "5 d". */
static void fmt_duration(char *buf, size_t size, int64_t s)
{
	if (s >= 86400 && s % 86400 == 0)
		snprintf(buf, size, "%lld d", (long long)(s / 86400));
	else if (s >= 3600 && s % 3600 == 0)
		snprintf(buf, size, "%lld h", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lld min", (long long)((s + 59) / 60));
}

/* A row being drawn: text after text from x, never past the rectangle. */
struct row {
	int y, x, end;
};

static void put(struct row *rw, const char *s, enum role role)
{
	if (rw->x < rw->end)
		rw->x += draw_text(rw->y, rw->x, rw->end - rw->x, s, role, 0);
}

static void label(struct row *rw, struct rect r, int y, const char *text)
{
	*rw = (struct row){ y, r.x, r.x + r.w };
	draw_text(y, r.x, 10, text, ROLE_MUTED, T_PAD);
	rw->x = r.x + 10;
}

static enum role priority_role(int level)
{
	return level <= 1 ? ROLE_RED : level == 2 ? ROLE_YELLOW : ROLE_NORMAL;
}

int ticket_card_head(const struct ticket_card *c, const struct cs_tickets_config *cfg,
		     struct rect r, const char *what, const char *right)
{
	const struct cs_ticket_item *it = &c->t.t;
	char buf[512], a[32], b[32];
	struct row rw;
	int y = r.y, rw_right = right ? text_width(right) + 1 : 0;

	if (r.h <= 0 || r.w <= 0)
		return 0;
	/* The subject, and the counter on its right. */
	if (rw_right > r.w / 2)
		rw_right = r.w / 2;
	draw_text(y, r.x, r.w - rw_right, it->subject[0] ? it->subject : "(no subject)",
		  ROLE_HEADING, 0);
	if (right)
		draw_text(y, r.x + r.w - rw_right, rw_right, right, ROLE_PANE, T_RIGHT);
	if (++y >= r.y + r.h)
		return y - r.y;

	/* id, created, status, sentiment */
	rw = (struct row){ y, r.x, r.x + r.w };
	snprintf(buf, sizeof(buf), "%s%screated %.16s%s%s", it->ticket_id, glyph->dot,
		 it->created_at, glyph->dot, it->status[0] ? it->status : "no status");
	put(&rw, buf, ROLE_MUTED);
	if (it->resolved_at[0]) {
		snprintf(buf, sizeof(buf), "%sresolved %.16s", glyph->dot, it->resolved_at);
		put(&rw, buf, ROLE_MUTED);
	}
	if (c->t.sentiment[0]) {
		snprintf(buf, sizeof(buf), "%s", glyph->dot);
		put(&rw, buf, ROLE_MUTED);
		put(&rw, c->t.sentiment, !strcmp(c->t.sentiment, "angry") ||
			 !strcmp(c->t.sentiment, "frustrated") ? ROLE_RED : ROLE_MUTED);
	}
	if (++y >= r.y + r.h)
		return y - r.y;

	/* The customer: name, band and score, ARR, id (what narrow screens lose first). */
	label(&rw, r, y, "Customer");
	put(&rw, c->cust_found ? c->cust.name : it->customer_id, ROLE_NORMAL);
	if (c->cust_found) {
		put(&rw, glyph->dot, ROLE_NORMAL);
		if (c->scored) {
			snprintf(buf, sizeof(buf), "%s %d", c->snap.band, c->snap.score);
			put(&rw, buf, band_role(c->snap.band));
		} else {
			put(&rw, "not scored", ROLE_MUTED);
		}
		fmt_money(a, sizeof(a), c->cust.arr, c->cust.arr_known);
		snprintf(buf, sizeof(buf), "%sARR %s%s", glyph->dot, a, glyph->dot);
		put(&rw, buf, ROLE_NORMAL);
		put(&rw, it->customer_id, ROLE_MUTED);
	} else {
		put(&rw, "  (no such customer)", ROLE_MUTED);
	}
	if (++y >= r.y + r.h)
		return y - r.y;

	/* Priority: urgency x impact, and its SLAs. */
	label(&rw, r, y, "Priority");
	snprintf(buf, sizeof(buf), "P%d", c->pri.level);
	put(&rw, buf, priority_role(c->pri.level));
	fmt_duration(a, sizeof(a), c->pri.response_s);
	fmt_duration(b, sizeof(b), c->pri.resolution_s);
	snprintf(buf, sizeof(buf), "%surgency %s, impact %s%srespond in %s, resolve in %s",
		 glyph->dot, it->urgency[0] ? it->urgency : "unknown",
		 it->impact[0] ? it->impact : "unknown", glyph->dot, a, b);
	put(&rw, buf, ROLE_NORMAL);
	if (++y >= r.y + r.h)
		return y - r.y;

	/* The SLA state as of the end of the as-of day. */
	label(&rw, r, y, "SLA");
	if (c->sla.response_breach && c->sla.resolution_breach)
		put(&rw, "response and resolution SLAs breached", ROLE_RED);
	else if (c->sla.response_breach)
		put(&rw, "response SLA breached", ROLE_RED);
	else if (c->sla.resolution_breach)
		put(&rw, "resolution SLA breached", ROLE_RED);
	else if (c->sla.open)
		put(&rw, "open, within its SLAs", ROLE_NORMAL);
	else
		put(&rw, it->resolved_at[0] ? "resolved within its SLAs" : "closed",
		    ROLE_NORMAL);
	if (++y >= r.y + r.h)
		return y - r.y;

	/* Tags and theme. */
	label(&rw, r, y, "Tags");
	put(&rw, c->t.tags[0] ? c->t.tags : "none", c->t.tags[0] ? ROLE_NORMAL : ROLE_MUTED);
	snprintf(buf, sizeof(buf), "%stheme ", glyph->dot);
	put(&rw, buf, ROLE_MUTED);
	put(&rw, it->theme[0] ? it->theme : "none yet", ROLE_NORMAL);
	if (++y >= r.y + r.h)
		return y - r.y;

	/* The category: source, confidence, owner. */
	label(&rw, r, y, what);
	put(&rw, category_label(it->category), it->category >= 0 ? ROLE_PROMPT : ROLE_MUTED);
	source_label(a, sizeof(a), it->source, it->confidence);
	snprintf(buf, sizeof(buf), "  (%s)", a);
	put(&rw, buf, ROLE_MUTED);
	if (it->category >= 0) {
		snprintf(buf, sizeof(buf), "%sowner ", glyph->dot);
		put(&rw, buf, ROLE_MUTED);
		put(&rw, cs_routing_owner(cfg, it->category), ROLE_NORMAL);
	}
	return ++y - r.y;
}

void ticket_card_description(const struct ticket_card *c, struct lines *l, int width)
{
	int top = l->top;

	lines_release(l);
	lines_wrap(l, ROLE_NORMAL, 0, width,
		   c->t.description[0] ? c->t.description : "(no description)");
	if (c->t.description_cut) {
		lines_add(l);
		span_add(l, ROLE_MUTED, 0, false, "(the description goes on; cut here)");
	}
	l->top = top;
}

/* ------------------------------------------------------------------ */
/* The ticket screen                                                    */

struct ticket_view {
	struct cs_tickets_config *cfg;
	struct ticket_card card;
	struct lines desc;
	int built_w;
	int page;		/* rows of the description shown */
};

static int ticket_open(struct view *v, const char *id)
{
	struct ticket_view *tv = v->priv;
	bool found;

	lines_init(&tv->desc);
	if (cs_tickets_config_load(NULL, &tv->cfg, &v->tui->diag) ||
	    ticket_card_load(v->tui, tv->cfg, id, &tv->card, &found))
		return -1;
	if (!found) {
		tui_message(v->tui, ROLE_ERROR, "no ticket with that id");
		return -1;
	}
	snprintf(v->title, sizeof(v->title), "%s", tv->card.t.t.ticket_id);
	return 0;
}

static void ticket_close(struct view *v)
{
	struct ticket_view *tv = v->priv;

	lines_release(&tv->desc);
	cs_tickets_config_free(tv->cfg);
	tv->cfg = NULL;
}

/* Triage changed it: read it again, keeping the scroll. */
static void ticket_resume(struct view *v)
{
	struct ticket_view *tv = v->priv;
	bool found;

	if (ticket_card_load(v->tui, tv->cfg, v->arg, &tv->card, &found) == 0 && found)
		tv->built_w = 0;
}

/* The separator above the description: its title and where the scroll is. */
void ticket_rule(const struct lines *l, int y, struct rect r, int page, const char *title)
{
	char where[48] = "";

	draw_text(y, r.x, r.w, "", ROLE_HEADER, T_PAD);
	draw_text(y, r.x, r.w, title, ROLE_HEADER, 0);
	if (l->n > page && page > 0) {
		int last = l->top + page < l->n ? l->top + page : l->n;

		snprintf(where, sizeof(where), "lines %d-%d of %d ", l->top + 1, last, l->n);
		draw_text(y, r.x + r.w - text_width(where), text_width(where), where,
			  ROLE_HEADER, 0);
	}
}

static void ticket_draw(struct view *v, struct rect b)
{
	struct ticket_view *tv = v->priv;
	struct rect r = { b.y, b.x + 1, b.h - 1, b.w - 2 };
	int used = ticket_card_head(&tv->card, tv->cfg, r, "Category", NULL);
	struct rect d = { r.y + used + 1, r.x, r.h - used - 1, r.w };

	if (tv->built_w != r.w) {
		ticket_card_description(&tv->card, &tv->desc, r.w);
		tv->built_w = r.w;
	}
	if (tv->desc.oom)
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	tv->page = d.h > 0 ? d.h : 0;
	if (used < r.h)
		ticket_rule(&tv->desc, r.y + used, r, tv->page, "Description");
	if (d.h > 0)
		lines_draw(&tv->desc, d);
	draw_text(b.y + b.h - 1, r.x, r.w, "t triage this ticket   j/k scroll   q back",
		  ROLE_MUTED, 0);
}

static unsigned ticket_handle(struct view *v, enum action a)
{
	struct ticket_view *tv = v->priv;
	char arg[sizeof(v->arg)];

	if (lines_scroll(&tv->desc, a, tv->page))
		return R_HANDLED | R_REDRAW;
	if (a == ACT_TRIAGE) {
		snprintf(arg, sizeof(arg), TRIAGE_TICKET "%s", tv->card.t.t.ticket_id);
		return R_HANDLED | tui_push(v->tui, &view_triage, arg);
	}
	return 0;
}

const struct view_ops view_ticket = {
	.name = "Ticket",
	.priv_size = sizeof(struct ticket_view),
	.open = ticket_open,
	.draw = ticket_draw,
	.handle = ticket_handle,
	.close = ticket_close,
	.resume = ticket_resume,
};
