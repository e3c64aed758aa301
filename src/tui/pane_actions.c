/*
 * pane_actions.c — the dashboard's "Today's actions" pane: the most urgent
 * open actions the rules raised (actions.h: overdue first, then by due
 * time) — immediate alerts, check-ins due, escalations awaiting
 * acknowledgement.
 *
 * It reads only the rows it can show (ACTIONS_MAX). Enter opens the
 * actions screen (actions.c) on the selected action.
 */
#include <stdio.h>
#include <string.h>

#include "casey/actions.h"
#include "tui.h"

#define ACTIONS_MAX 16

struct actions {
	struct table table;
	int page;
	int n;
	struct {
		char kind[24];
		char due[8];		/* "11-21", or "late" */
		bool overdue;
		char about[200];
		long id;
	} rows[ACTIONS_MAX];
};

static const struct column actions_cols[] = {
	{ "Due", 5, 0, false, 0, 0 },
	{ "Kind", 8, 0, false, 1, 0 },
	{ "About", 0, 12, false, 0, 0 },
};

/* Short names of the rules' kinds (rules.c: cs_action_names), for a narrow pane. */
static const struct {
	const char *kind, *label;
} kind_labels[] = {
	{ "immediate", "alert" }, { "churn_risk", "churn" }, { "at_risk", "at risk" },
	{ "check_in", "check-in" }, { "weekly_review", "review" }, { "product_gap", "product" },
	{ "documentation_gap", "docs" }, { "bug", "bug" }, { "adoption_gap", "adoption" },
	{ "theme_escalation", "theme" }, { "milestone", "plan" }, { "business_review", "biz rev" },
	{ "renewal", "renewal" },
};

static int add_row(void *ctx, const struct cs_action_row *r)
{
	struct actions *a = ctx;
	char *u;

	if (a->n == ACTIONS_MAX)
		return 1;
	snprintf(a->rows[a->n].kind, sizeof(a->rows[0].kind), "%s", r->kind);
	for (size_t i = 0; i < sizeof(kind_labels) / sizeof(kind_labels[0]); i++)
		if (!strcmp(r->kind, kind_labels[i].kind))
			snprintf(a->rows[a->n].kind, sizeof(a->rows[0].kind), "%s",
				 kind_labels[i].label);
	while ((u = strchr(a->rows[a->n].kind, '_')))
		*u = ' ';
	a->rows[a->n].overdue = r->overdue;
	a->rows[a->n].id = r->id;
	if (r->overdue)
		snprintf(a->rows[a->n].due, sizeof(a->rows[0].due), "late");
	else
		snprintf(a->rows[a->n].due, sizeof(a->rows[0].due), "%.5s",
			 strlen(r->due_at) >= 10 ? r->due_at + 5 : r->due_at);
	snprintf(a->rows[a->n].about, sizeof(a->rows[0].about), "%s%s%s",
		 r->name && r->name[0] ? r->name : "", r->name && r->name[0] ? ": " : "",
		 r->reason);
	a->n++;
	return 0;
}

static int actions_load(struct pane *p)
{
	struct actions *a = p->priv;
	struct cs_action_query q = { .as_of = p->tui->as_of, .limit = ACTIONS_MAX };
	int rc, sel = a->table.sel, top = a->table.top;	/* kept on a reload */

	a->n = 0;
	rc = cs_actions_list(p->tui->db, &q, add_row, a, &p->tui->diag);
	a->table = (struct table){
		.cols = actions_cols,
		.ncols = (int)(sizeof(actions_cols) / sizeof(actions_cols[0])),
		.nrows = a->n,
		.empty = rc < 0 ? "cannot read the actions" : "nothing to do",
		.sel = sel,
		.top = top,
	};
	return rc < 0 ? -1 : 0;
}

static void actions_cell(void *ctx, int row, int col, struct cell *c, char *buf, size_t size)
{
	const struct actions *a = ctx;

	(void)buf;
	(void)size;
	switch (col) {
	case 0:
		c->text = a->rows[row].due;
		c->role = a->rows[row].overdue ? ROLE_RED : ROLE_NORMAL;
		break;
	case 1:
		c->text = a->rows[row].kind;
		break;
	default:
		c->text = a->rows[row].about;
		break;
	}
}

static void actions_summary(struct pane *p, char *buf, size_t size)
{
	(void)p;
	snprintf(buf, size, "most urgent first");
}

static void actions_draw(struct pane *p, struct rect r)
{
	struct actions *a = p->priv;

	a->table.focused = p->focused;
	a->page = table_page(&a->table, r);
	table_draw(&a->table, r, actions_cell, a);
}

static unsigned actions_handle(struct pane *p, enum action act)
{
	struct actions *a = p->priv;

	if (table_move(&a->table, act, a->page))
		return R_HANDLED | R_REDRAW;
	if (act == ACT_ENTER && a->n > 0) {
		char arg[32];

		snprintf(arg, sizeof(arg), "%ld", a->rows[a->table.sel].id);
		return R_HANDLED | tui_push(p->tui, &view_actions, arg);
	}
	return 0;
}

const struct pane_ops pane_actions = {
	.title = "Today's actions",
	.priv_size = sizeof(struct actions),
	.load = actions_load,
	.draw = actions_draw,
	.handle = actions_handle,
	.summary = actions_summary,
};
