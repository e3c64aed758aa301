/*
 * actions.c — the actions screen: every open action the rules raised
 * (open, draft, sent, acknowledged), overdue first, then by due time, as
 * `casey actions` lists them; Enter shows one action's reason and
 * evidence. On either screen s, a, r and x mark the action sent,
 * acknowledged, resolved or dismissed (cs_action_set_status, stamped with
 * the as-of date; resolving and dismissing ask for the outcome first, and
 * Esc there changes nothing), and the list is read again.
 *
 * The core lists actions through a callback, most urgent first: the
 * screen reads the ACTIONS_MAX most urgent and has the core count them
 * all from an index (a million customers have more than a million open
 * actions). One action's screen reads it by id (resolved and dismissed
 * ones included, so it can show what was just done).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/actions.h"
#include "ticket.h"

#define ACTIONS_MAX 2000

/* The rules' kinds (rules.c: cs_action_names): short for the list, long for the screen. */
static const struct {
	const char *kind, *label, *name;
} kinds[] = {
	{ "immediate", "alert", "Immediate alert" }, { "churn_risk", "churn", "Churn risk" },
	{ "at_risk", "at risk", "At risk: escalation" }, { "check_in", "check-in", "Check-in" },
	{ "weekly_review", "review", "Weekly review" },
	{ "product_gap", "product", "Product gap" },
	{ "documentation_gap", "docs", "Documentation gap" }, { "bug", "bug", "Bug escalation" },
	{ "adoption_gap", "adoption", "Adoption gap" },
	{ "theme_escalation", "theme", "Theme escalation" },
	/* success plans and reviews (plans.h, reviews.h) */
	{ "milestone", "plan", "Success-plan milestone overdue" },
	{ "business_review", "biz rev", "Business review overdue" },
	{ "renewal", "renewal", "Renewal step" },	/* renewals.h */
};

static void kind_label(char *buf, size_t size, const char *kind, bool long_name)
{
	char *u;

	snprintf(buf, size, "%s", kind ? kind : "");
	for (size_t i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].kind))
			snprintf(buf, size, "%s", long_name ? kinds[i].name : kinds[i].label);
	while ((u = strchr(buf, '_')))
		*u = ' ';
}

/* What an action is about: the customer, else the category and theme (or feature). */
static void about(char *buf, size_t size, const struct cs_action_row *r)
{
	if (r->name && r->name[0])
		snprintf(buf, size, "%s", r->name);
	else if (r->category && r->category[0])
		snprintf(buf, size, "%s%s%s", r->category, glyph->dot, r->theme ? r->theme : "");
	else
		snprintf(buf, size, "%s", r->theme ? r->theme : r->rule_key ? r->rule_key : "");
}

/* ------------------------------------------------------------------ */
/* Marking, shared by both screens                                      */

/* The first member of both screens' state: the action a prompt is about. */
struct marking {
	long id;			/* the action the prompt will mark */
	const char *status;
	void (*reload)(struct view *v);	/* the screen, after a change */
};

static unsigned mark(struct view *v, long id, const char *status, const char *outcome)
{
	struct marking *m = v->priv;

	if (cs_action_set_status(v->tui->db, id, status, outcome, v->tui->as_of,
				 &v->tui->diag) == 0) {
		tui_changed(v);
		tui_message(v->tui, ROLE_STATUS, "action %ld: %s", id, status);
		m->reload(v);
	}
	return R_HANDLED | R_REDRAW;
}

static void outcome_done(struct view *v, const char *answer)
{
	struct marking *m = v->priv;

	mark(v, m->id, m->status, answer[0] ? answer : NULL);
}

/* The marking actions on action id; 0 for any other action. */
static unsigned mark_action(struct view *v, enum action a, long id)
{
	struct marking *m = v->priv;

	if (a != ACT_MARK_SENT && a != ACT_MARK_ACK && a != ACT_MARK_RESOLVED &&
	    a != ACT_MARK_DISMISSED)
		return 0;
	if (id <= 0)
		return R_HANDLED;
	if (a == ACT_MARK_SENT)
		return mark(v, id, "sent", NULL);
	if (a == ACT_MARK_ACK)
		return mark(v, id, "acknowledged", NULL);
	m->id = id;
	m->status = a == ACT_MARK_RESOLVED ? "resolved" : "dismissed";
	tui_prompt(v->tui, v, a == ACT_MARK_RESOLVED ? "Outcome (Enter resolves): " :
		   "Why dismiss it (Enter dismisses): ", "", outcome_done);
	return R_HANDLED | R_REDRAW;
}

/* ------------------------------------------------------------------ */
/* The list                                                             */

struct action_line {
	long id;
	char kind[24];
	char about[256];
	char owner[128];
	char due[16];			/* "11-21 14:00", "late 11-19", "" */
	char status[16];
	bool overdue;
};

struct actions_view {
	struct marking m;
	struct action_line *rows;
	int n;
	long total, overdue;
	struct table table;
	int page;
};

static const struct column action_cols[] = {
	{ "Kind", 8, 0, false, 0, 0 },
	{ "About", 0, 12, false, 0, 0 },
	{ "Owner", 16, 0, false, 1, 0 },
	{ "Due", 11, 0, false, 0, 0 },
	{ "Status", 12, 0, false, 0, 0 },
};

static int add_action(void *ctx, const struct cs_action_row *r)
{
	struct actions_view *av = ctx;
	struct action_line *l;

	if (av->n == ACTIONS_MAX)
		return 0;
	l = &av->rows[av->n++];
	l->id = r->id;
	l->overdue = r->overdue;
	kind_label(l->kind, sizeof(l->kind), r->kind, false);
	about(l->about, sizeof(l->about), r);
	snprintf(l->owner, sizeof(l->owner), "%s", r->owner ? r->owner : "");
	snprintf(l->status, sizeof(l->status), "%s", r->status ? r->status : "");
	if (!r->due_at || strlen(r->due_at) < 16)
		snprintf(l->due, sizeof(l->due), "%s", r->due_at ? r->due_at : "");
	else if (r->overdue)
		snprintf(l->due, sizeof(l->due), "late %.5s", r->due_at + 5);
	else
		snprintf(l->due, sizeof(l->due), "%.11s", r->due_at + 5);
	return 0;
}

/* Read the open actions; select action id when it is among them, else row sel. */
static void actions_load(struct view *v, long id, int sel)
{
	struct actions_view *av = v->priv;
	struct cs_action_query q = { .as_of = v->tui->as_of, .limit = ACTIONS_MAX };

	av->n = 0;
	if (cs_actions_list(v->tui->db, &q, add_action, av, &v->tui->diag) < 0 ||
	    cs_actions_count(v->tui->db, &q, &av->total, &av->overdue, &v->tui->diag))
		av->total = av->overdue = 0;
	av->table.nrows = av->n;
	av->table.sel = sel;
	for (int i = 0; i < av->n; i++)
		if (av->rows[i].id == id)
			av->table.sel = i;
	table_clamp(&av->table, av->page);
}

static void actions_reload(struct view *v)
{
	struct actions_view *av = v->priv;

	actions_load(v, av->n ? av->rows[av->table.sel].id : 0, av->table.sel);
}

static int actions_open(struct view *v, const char *arg)
{
	struct actions_view *av = v->priv;

	if (!(av->rows = malloc(ACTIONS_MAX * sizeof(*av->rows)))) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	av->m.reload = actions_reload;
	av->table = (struct table){
		.cols = action_cols,
		.ncols = (int)(sizeof(action_cols) / sizeof(action_cols[0])),
		.header = true,
		.focused = true,
		.empty = "no open actions",
	};
	av->page = 20;
	actions_load(v, strtol(arg, NULL, 10), 0);
	return 0;
}

static void actions_close(struct view *v)
{
	struct actions_view *av = v->priv;

	free(av->rows);
	av->rows = NULL;
}

static void action_cell(void *ctx, int row, int col, struct cell *c, char *buf, size_t size)
{
	const struct action_line *l = &((const struct actions_view *)ctx)->rows[row];

	(void)buf;
	(void)size;
	switch (col) {
	case 0:
		c->text = l->kind;
		break;
	case 1:
		c->text = l->about;
		break;
	case 2:
		c->text = l->owner;
		break;
	case 3:
		c->text = l->due;
		c->role = l->overdue ? ROLE_RED : ROLE_NORMAL;
		break;
	default:
		c->text = l->status;
		c->role = !strcmp(l->status, "open") ? ROLE_PROMPT : ROLE_NORMAL;
		break;
	}
}

static void actions_draw(struct view *v, struct rect b)
{
	struct actions_view *av = v->priv;
	struct rect list = { b.y + 1, b.x + 1, b.h - 2, b.w - 2 };
	char right[64];

	av->page = table_page(&av->table, list);
	if (av->total > av->n)
		snprintf(right, sizeof(right), "the %d most urgent of %ld ", av->n, av->total);
	else
		snprintf(right, sizeof(right), "%ld overdue ", av->overdue);
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " %ld open action%s, overdue first",
		   av->total, av->total == 1 ? "" : "s");
	draw_text(b.y, b.x + b.w - text_width(right), text_width(right), right, ROLE_PANE, 0);
	table_draw(&av->table, list, action_cell, av);
	draw_text(b.y + b.h - 1, b.x + 1, b.w - 2,
		  "Enter details  s sent  a acknowledged  r resolved  x dismiss", ROLE_MUTED, 0);
}

static unsigned actions_handle(struct view *v, enum action a)
{
	struct actions_view *av = v->priv;
	long id = av->n ? av->rows[av->table.sel].id : 0;
	unsigned r;
	char arg[32];

	if (table_move(&av->table, a, av->page))
		return R_HANDLED | R_REDRAW;
	if ((r = mark_action(v, a, id)))
		return r;
	switch (a) {
	case ACT_ENTER:
		if (!id)
			return R_HANDLED;
		snprintf(arg, sizeof(arg), "%ld", id);
		return R_HANDLED | tui_push(v->tui, &view_action, arg);
	case ACT_RELOAD:
		actions_reload(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
}

const struct view_ops view_actions = {
	.name = "Actions",
	.priv_size = sizeof(struct actions_view),
	.open = actions_open,
	.draw = actions_draw,
	.handle = actions_handle,
	.close = actions_close,
	.resume = actions_reload,
};

/* ------------------------------------------------------------------ */
/* One action                                                           */

struct action_view {
	struct marking m;
	long id;
	bool found;
	/* A copy of the row (its strings live only during the callback). */
	char kind[32], about[512], customer_id[CS_ID_MAX + 1], owner[128], status[16];
	char created[20], due[20], acknowledged[20], resolved[20];
	char *reason, *evidence, *outcome;
	bool arr_known, overdue;
	double arr;
	struct lines lines;
	int built_w, page;
};

static void action_free_text(struct action_view *av)
{
	free(av->reason);
	free(av->evidence);
	free(av->outcome);
	av->reason = av->evidence = av->outcome = NULL;
}

static int find_action(void *ctx, const struct cs_action_row *r)
{
	struct action_view *av = ctx;

	if (r->id != av->id)
		return 0;
	av->found = true;
	kind_label(av->kind, sizeof(av->kind), r->kind, true);
	about(av->about, sizeof(av->about), r);
	snprintf(av->customer_id, sizeof(av->customer_id), "%s", r->customer_id ? r->customer_id : "");
	snprintf(av->owner, sizeof(av->owner), "%s", r->owner ? r->owner : "");
	snprintf(av->status, sizeof(av->status), "%s", r->status ? r->status : "");
	snprintf(av->created, sizeof(av->created), "%.16s", r->created_at ? r->created_at : "");
	snprintf(av->due, sizeof(av->due), "%.16s", r->due_at ? r->due_at : "");
	snprintf(av->acknowledged, sizeof(av->acknowledged), "%.16s",
		 r->acknowledged_at ? r->acknowledged_at : "");
	snprintf(av->resolved, sizeof(av->resolved), "%.16s", r->resolved_at ? r->resolved_at : "");
	av->arr_known = r->arr_known;
	av->arr = r->arr;
	av->overdue = r->overdue;
	action_free_text(av);
	av->reason = strdup(r->reason ? r->reason : "");
	av->evidence = strdup(r->evidence ? r->evidence : "");
	av->outcome = r->outcome ? strdup(r->outcome) : NULL;
	return 1;
}

/* Read the action again (any status); -1 when it cannot be read or is gone. */
static int action_read(struct view *v)
{
	struct action_view *av = v->priv;
	struct cs_action_query q = { .as_of = v->tui->as_of, .all = true, .id = av->id };

	av->found = false;
	if (cs_actions_list(v->tui->db, &q, find_action, av, &v->tui->diag) < 0)
		return -1;
	if (!av->found) {
		tui_message(v->tui, ROLE_ERROR, "no action %ld", av->id);
		return -1;
	}
	if (!av->reason || !av->evidence) {
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	av->built_w = 0;
	return 0;
}

static void action_reread(struct view *v)
{
	action_read(v);
}

static int action_open(struct view *v, const char *arg)
{
	struct action_view *av = v->priv;

	lines_init(&av->lines);
	av->m.reload = action_reread;
	av->id = strtol(arg, NULL, 10);
	if (action_read(v))
		return -1;
	{
		/* The title bar cuts it anyway; here only at a character boundary. */
		int n = (int)strlen(av->about);

		if (n > 160)
			for (n = 160; n > 0 && ((unsigned char)av->about[n] & 0xc0) == 0x80; n--)
				;
		snprintf(v->title, sizeof(v->title), "%ld%s%.*s", av->id, glyph->dot, n,
			 av->about);
	}
	return 0;
}

static void action_close(struct view *v)
{
	struct action_view *av = v->priv;

	lines_release(&av->lines);
	action_free_text(av);
}

/* A labelled line: the label muted in 10 columns, then the text. */
static void field(struct lines *l, const char *label, const char *text, enum role role)
{
	lines_add(l);
	span_add(l, ROLE_MUTED, 10, false, label);
	span_add(l, role, 0, false, text);
}

static void action_build(struct action_view *av, int w)
{
	struct lines *l = &av->lines;
	char buf[1024], arr[32];
	int top = l->top;

	lines_release(l);
	span_add(l, ROLE_HEADING, 0, false, av->kind);
	span_addf(l, ROLE_NORMAL, 0, false, "%s", glyph->dot);
	span_add(l, !strcmp(av->status, "open") ? ROLE_PROMPT : ROLE_NORMAL, 0, false,
		 av->status);
	if (av->overdue)
		span_addf(l, ROLE_RED, 0, false, "%soverdue", glyph->dot);
	fmt_money(arr, sizeof(arr), av->arr, av->arr_known);
	if (av->customer_id[0])
		snprintf(buf, sizeof(buf), "%s%s%s%sARR %s", av->about, glyph->dot, av->customer_id,
			 glyph->dot, arr);
	else
		snprintf(buf, sizeof(buf), "%s%sARR %s", av->about, glyph->dot, arr);
	field(l, "About", buf, ROLE_NORMAL);
	field(l, "Owner", av->owner[0] ? av->owner : "nobody named", ROLE_NORMAL);
	snprintf(buf, sizeof(buf), "%s%s", av->due[0] ? av->due : "none",
		 av->overdue ? " (overdue)" : "");
	field(l, "Due", buf, av->overdue ? ROLE_RED : ROLE_NORMAL);
	snprintf(buf, sizeof(buf), "raised %s", av->created);
	if (av->acknowledged[0])
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%sacknowledged %s",
			 glyph->dot, av->acknowledged);
	if (av->resolved[0])
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%sclosed %s", glyph->dot,
			 av->resolved);
	field(l, "History", buf, ROLE_NORMAL);
	if (av->outcome)
		field(l, "Outcome", av->outcome, ROLE_NORMAL);
	lines_add(l);
	lines_add(l);
	span_add(l, ROLE_HEADER, w, false, "Reason");
	lines_wrap(l, ROLE_NORMAL, 0, w, av->reason);
	lines_add(l);
	lines_add(l);
	span_add(l, ROLE_HEADER, w, false, "Evidence");
	lines_wrap(l, ROLE_NORMAL, 0, w, av->evidence);
	l->top = top;
	av->built_w = w;
}

static void action_draw(struct view *v, struct rect b)
{
	struct action_view *av = v->priv;
	struct rect r = { b.y, b.x + 1, b.h - 1, b.w - 2 };

	if (av->built_w != r.w)
		action_build(av, r.w);
	if (av->lines.oom)
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	av->page = r.h;
	lines_draw(&av->lines, r);
	draw_text(b.y + b.h - 1, r.x, r.w,
		  "s sent  a acknowledged  r resolved  x dismiss  j/k scroll  q back",
		  ROLE_MUTED, 0);
}

static unsigned action_handle(struct view *v, enum action a)
{
	struct action_view *av = v->priv;

	if (lines_scroll(&av->lines, a, av->page))
		return R_HANDLED | R_REDRAW;
	if (a == ACT_RELOAD) {
		action_read(v);
		return R_HANDLED | R_REDRAW;
	}
	return mark_action(v, a, av->id);
}

const struct view_ops view_action = {
	.name = "Action",
	.priv_size = sizeof(struct action_view),
	.open = action_open,
	.draw = action_draw,
	.handle = action_handle,
	.close = action_close,
};
