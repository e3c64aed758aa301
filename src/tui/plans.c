/*
 * plans.c — one customer's success plans (plans.h): each plan with its
 * milestones by due date, overdue ones in red, and, for a Red customer
 * without an open recovery plan, the proposed recovery plan on top (Enter
 * accepts it: the recovery template of plans.ini, due from the as-of day).
 *
 * Keys (action.h, group "Success plan"): n new plan (a type, then its
 * title), a add a milestone to the selected plan (title, due date, owner,
 * priority), x tick the selected milestone done (again: reopen it), e edit
 * the selected milestone (or plan) field by field. Every question can be
 * cancelled with Esc, and nothing is written before the last answer; each
 * change is one core call, then the screen reads the plans again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/lists.h"
#include "casey/plans.h"
#include "casey/value.h"
#include "tui.h"

#define PLANS_MAX 16
#define ROWS_MAX (1 + PLANS_MAX * (CS_PLAN_MILESTONES_MAX + 1))

enum row_kind { ROW_PROPOSAL, ROW_PLAN, ROW_MS, ROW_EMPTY };

struct row {
	enum row_kind kind;
	int plan, ms;			/* indexes into plans[] and its ms[] */
};

/* What the questions of one change have gathered so far. */
struct pending {
	int plan;			/* the plan the change is about */
	int64_t ms_id;			/* the milestone, for edits */
	int type;			/* new plan: the type's index */
	int field;			/* edit: which field */
	char title[CS_PLAN_TITLE_MAX + 1];
	int32_t due;
	char owner[CS_PLAN_OWNER_MAX + 1];
};

struct plans_view {
	char customer_id[CS_ID_MAX + 1];
	struct cs_customer_info info;
	struct cs_plans_def *def;	/* NULL when plans.ini would not load */
	struct cs_plan *plans[PLANS_MAX];
	int nplans;
	long more;			/* plans beyond PLANS_MAX */
	bool proposed;
	int score;
	struct row *rows;
	int nrows, sel, top, page;
	struct pending q;
};

static int proposal_seen(void *ctx, const struct cs_plan_proposal *p)
{
	*(int *)ctx = p->score;
	return 0;
}

static void release(struct plans_view *pv)
{
	for (int i = 0; i < pv->nplans; i++)
		free(pv->plans[i]);
	pv->nplans = 0;
}

/* Read the plans again; keep the selection on the same row index. */
static int load(struct view *v)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	struct cs_plan_summary *list;
	int n, i, r = 0;
	long np;

	release(pv);
	pv->more = 0;
	np = cs_plans_proposed(t->db, t->profile, t->as_of, pv->customer_id, proposal_seen,
			       &pv->score, &t->diag);
	if (np < 0 || cs_plans_list(t->db, pv->customer_id, true, t->as_of, &list, &n, &t->diag))
		return -1;
	pv->proposed = np > 0;
	/* open plans first, then the closed ones; each in id order */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			bool open = list[i].status == CS_PLAN_ACTIVE ||
				    list[i].status == CS_PLAN_ON_HOLD;

			if (open != (pass == 0))
				continue;
			if (pv->nplans == PLANS_MAX) {
				pv->more++;
				continue;
			}
			pv->plans[pv->nplans] = malloc(sizeof(struct cs_plan));
			if (!pv->plans[pv->nplans] ||
			    cs_plan_load(t->db, list[i].id, t->as_of, pv->plans[pv->nplans],
					 &t->diag)) {
				free(pv->plans[pv->nplans]);
				free(list);
				return -1;
			}
			pv->nplans++;
		}
	}
	free(list);
	if (pv->proposed)
		pv->rows[r++] = (struct row){ ROW_PROPOSAL, -1, -1 };
	for (i = 0; i < pv->nplans; i++) {
		pv->rows[r++] = (struct row){ ROW_PLAN, i, -1 };
		if (!pv->plans[i]->nms)
			pv->rows[r++] = (struct row){ ROW_EMPTY, i, -1 };
		for (int m = 0; m < pv->plans[i]->nms; m++)
			pv->rows[r++] = (struct row){ ROW_MS, i, m };
	}
	pv->nrows = r;
	if (pv->sel >= r)
		pv->sel = r ? r - 1 : 0;
	return 0;
}

static int plans_open(struct view *v, const char *arg)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	struct cs_diag quiet = { 0 };
	bool found;

	snprintf(pv->customer_id, sizeof(pv->customer_id), "%s", arg);
	if (cs_customer_get(t->db, arg, &pv->info, &found, &t->diag))
		return -1;
	if (!found) {
		tui_message(t, ROLE_ERROR, "no customer with that id");
		return -1;
	}
	pv->rows = malloc(ROWS_MAX * sizeof(*pv->rows));
	pv->def = malloc(sizeof(*pv->def));
	if (!pv->rows || !pv->def) {
		tui_message(t, ROLE_ERROR, "out of memory");
		return -1;
	}
	if (cs_plans_def_load(NULL, pv->def, &quiet)) {
		free(pv->def);
		pv->def = NULL;
	}
	snprintf(v->title, sizeof(v->title), "%s", pv->info.name);
	pv->page = 10;
	return load(v);
}

static void plans_close(struct view *v)
{
	struct plans_view *pv = v->priv;

	release(pv);
	free(pv->rows);
	free(pv->def);
}

static void plans_resume(struct view *v)
{
	load(v);
}

static const char *type_label(const struct plans_view *pv, const char *key)
{
	int k = pv->def ? cs_plan_type_find(pv->def, key) : -1;

	return k >= 0 ? pv->def->types[k].label : key;
}

static const char *ms_status_label(const struct cs_milestone *m)
{
	if (m->overdue)
		return "overdue";
	switch (m->status) {
	case CS_MS_IN_PROGRESS:
		return "in progress";
	case CS_MS_COMPLETED:
		return "done";
	case CS_MS_CANCELLED:
		return "cancelled";
	default:
		return "pending";
	}
}

static void draw_row(struct plans_view *pv, const struct row *rw, int y, int x, int w,
		     bool selected)
{
	enum role base = selected ? ROLE_SELECTED : ROLE_NORMAL;
	char buf[512];

	draw_fill((struct rect){ y, x, 1, w }, base);
	switch (rw->kind) {
	case ROW_PROPOSAL: {
		int k = pv->def ? cs_plan_type_find(pv->def, "recovery") : -1;

		snprintf(buf, sizeof(buf), "Proposed: a recovery plan (Red, score %d) with %d "
			 "milestones%sEnter accepts", pv->score, k >= 0 ? pv->def->types[k].nms : 0,
			 glyph->dot);
		draw_text(y, x, w, buf, selected ? base : ROLE_RED, 0);
		break;
	}
	case ROW_PLAN: {
		const struct cs_plan *p = pv->plans[rw->plan];
		int n = draw_text(y, x, w, p->title, selected ? base : ROLE_HEADING, 0);

		snprintf(buf, sizeof(buf), "%s%s%s%s%s%d/%d done", glyph->dot,
			 type_label(pv, p->type), glyph->dot, cs_plan_status_name(p->status),
			 glyph->dot, p->done, p->nms);
		n += draw_text(y, x + n, w - n, buf, selected ? base : ROLE_MUTED, 0);
		if (p->overdue)
			draw_textf(y, x + n, w - n, selected ? base : ROLE_RED, 0, "%s%d overdue",
				   glyph->dot, p->overdue);
		break;
	}
	case ROW_EMPTY:
		draw_text(y, x + 2, w - 2, "no milestones yet (a adds one)",
			  selected ? base : ROLE_MUTED, 0);
		break;
	case ROW_MS: {
		const struct cs_milestone *m = &pv->plans[rw->plan]->ms[rw->ms];
		enum role role = selected ? base : m->status == CS_MS_COMPLETED ||
				 m->status == CS_MS_CANCELLED ? ROLE_MUTED : ROLE_NORMAL;
		int c = x + 2;

		draw_text(y, c, 4, m->status == CS_MS_COMPLETED ? "[x]" :
			  m->status == CS_MS_CANCELLED ? "[-]" : "[ ]", role, 0);
		c += 4;
		draw_text(y, c, 11, m->due, m->overdue && !selected ? ROLE_RED : role, 0);
		c += 11;
		draw_text(y, c, 9, cs_ms_priority_name(m->priority),
			  m->priority == CS_PRIO_CRITICAL && !selected ? ROLE_PROMPT : role, 0);
		c += 9;
		draw_text(y, c, 12, ms_status_label(m), m->overdue && !selected ? ROLE_RED : role,
			  0);
		c += 12;
		draw_text(y, c, 13, m->owner[0] ? m->owner : "-", role, 0);
		c += 14;
		if (c < x + w)
			draw_text(y, c, x + w - c, m->title, role, 0);
		break;
	}
	}
}

static void plans_draw(struct view *v, struct rect b)
{
	struct plans_view *pv = v->priv;
	int open = 0, overdue = 0, h = b.h - 2;

	for (int i = 0; i < pv->nplans; i++) {
		open += pv->plans[i]->status == CS_PLAN_ACTIVE ||
			pv->plans[i]->status == CS_PLAN_ON_HOLD;
		overdue += pv->plans[i]->overdue;
	}
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " Success plans%s%d open%s%d overdue "
		   "milestone%s%s", glyph->dot, open, glyph->dot, overdue, overdue == 1 ? "" : "s",
		   pv->more ? " (the first 16 plans)" : "");
	pv->page = h > 1 ? h : 1;
	if (pv->sel < pv->top)
		pv->top = pv->sel;
	if (pv->sel >= pv->top + pv->page)
		pv->top = pv->sel - pv->page + 1;
	if (!pv->nrows)
		draw_text(b.y + 1, b.x + 1, b.w - 2, "no success plans yet (n starts one)",
			  ROLE_MUTED, 0);
	for (int i = 0; i < pv->page && pv->top + i < pv->nrows; i++)
		draw_row(pv, &pv->rows[pv->top + i], b.y + 1 + i, b.x + 1, b.w - 2,
			 pv->top + i == pv->sel);
	draw_text(b.y + b.h - 1, b.x + 1, b.w - 2,
		  "n new plan  a add milestone  x tick done  e edit  Enter accept/edit", ROLE_MUTED,
		  0);
}

/* ------------------------------------------------------------------ */
/* Changes                                                              */

static const struct row *selected(struct plans_view *pv)
{
	return pv->nrows ? &pv->rows[pv->sel] : NULL;
}

/* After a change: read again, tell the other screens, say what happened. */
static void changed(struct view *v)
{
	tui_changed(v);
	load(v);
}

static void accept_proposal(struct view *v)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	int64_t id;

	if (!pv->def) {
		tui_message(t, ROLE_ERROR, "plans.ini would not load: no new plans");
		return;
	}
	if (cs_plan_create(t->db, pv->def, pv->customer_id, "recovery", NULL, true, t->as_of, &id,
			   &t->diag))
		return;
	changed(v);
	pv->sel = 0;
	tui_message(t, ROLE_STATUS, "recovery plan %lld started: %d milestones from plans.ini",
		    (long long)id, pv->nplans ? pv->plans[0]->nms : 0);
}

static void new_title_done(struct view *v, const char *title)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	int64_t id;

	if (cs_plan_create(t->db, pv->def, pv->customer_id, pv->def->types[pv->q.type].key, title,
			   true, t->as_of, &id, &t->diag))
		return;
	changed(v);
	for (int i = 0; i < pv->nrows; i++)
		if (pv->rows[i].kind == ROW_PLAN && pv->plans[pv->rows[i].plan]->id == id)
			pv->sel = i;
	tui_message(t, ROLE_STATUS, "plan %lld started", (long long)id);
}

static void new_type_chosen(struct view *v, int choice)
{
	struct plans_view *pv = v->priv;
	char title[CS_PLAN_TITLE_MAX + 1];

	pv->q.type = choice;
	snprintf(title, sizeof(title), "%s plan", pv->def->types[choice].label);
	tui_prompt(v->tui, v, "Title: ", title, new_title_done)->max = CS_PLAN_TITLE_MAX;
}

static unsigned new_plan(struct view *v)
{
	struct plans_view *pv = v->priv;
	const char *choices[PROMPT_CHOICES_MAX];
	int n = 0;

	if (!pv->def) {
		tui_message(v->tui, ROLE_ERROR, "plans.ini would not load: no new plans");
		return R_HANDLED | R_REDRAW;
	}
	for (; n < pv->def->ntypes && n < PROMPT_CHOICES_MAX; n++)
		choices[n] = pv->def->types[n].label;
	tui_choose(v->tui, v, "Type of plan: ", choices, n, 0, new_type_chosen);
	return R_HANDLED | R_REDRAW;
}

static const char *const priority_labels[] = { "low", "medium", "high", "critical" };

static void add_priority_chosen(struct view *v, int choice)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	int64_t id;

	if (cs_milestone_add(t->db, pv->plans[pv->q.plan]->id, pv->q.title, pv->q.due,
			     pv->q.owner, (enum cs_ms_priority)choice, t->as_of, &id, &t->diag))
		return;
	changed(v);
	for (int i = 0; i < pv->nrows; i++)
		if (pv->rows[i].kind == ROW_MS &&
		    pv->plans[pv->rows[i].plan]->ms[pv->rows[i].ms].id == id)
			pv->sel = i;
	tui_message(t, ROLE_STATUS, "milestone %lld added", (long long)id);
}

static void add_owner_done(struct view *v, const char *owner)
{
	struct plans_view *pv = v->priv;

	if (cs_plan_text(owner, false, CS_PLAN_OWNER_MAX, pv->q.owner, "the owner", &v->tui->diag))
		return;
	tui_choose(v->tui, v, "Priority: ", priority_labels, CS_PRIORITIES, CS_PRIO_MEDIUM,
		   add_priority_chosen);
}

/* A date typed in a prompt; reports and returns -1 when it is not one. */
static int typed_day(struct tui *t, const char *s, int32_t *day)
{
	char buf[64];

	if (!cs_plan_text(s, false, sizeof(buf) - 1, buf, "the date", &t->diag) &&
	    !cs_parse_day(buf, day))
		return 0;
	tui_message(t, ROLE_ERROR, "'%s' is not a date (YYYY-MM-DD); nothing changed", s);
	return -1;
}

static void add_due_done(struct view *v, const char *due)
{
	struct plans_view *pv = v->priv;

	if (typed_day(v->tui, due, &pv->q.due))
		return;
	tui_prompt(v->tui, v, "Owner: ", pv->info.csm, add_owner_done)->max = CS_PLAN_OWNER_MAX;
}

static void add_title_done(struct view *v, const char *title)
{
	struct plans_view *pv = v->priv;
	char due[11];

	if (cs_plan_text(title, false, CS_PLAN_TITLE_MAX, pv->q.title, "the title", &v->tui->diag))
		return;
	if (!pv->q.title[0]) {
		tui_message(v->tui, ROLE_ERROR, "a milestone needs a title; nothing changed");
		return;
	}
	cs_format_day(v->tui->as_of + 7, due);
	tui_prompt(v->tui, v, "Due (YYYY-MM-DD): ", due, add_due_done)->max = 10;
}

static unsigned add_milestone(struct view *v)
{
	struct plans_view *pv = v->priv;
	const struct row *rw = selected(pv);

	if (!rw || rw->kind == ROW_PROPOSAL) {
		tui_message(v->tui, ROLE_STATUS, "select a plan first (n starts one)");
		return R_HANDLED | R_REDRAW;
	}
	pv->q.plan = rw->plan;
	tui_prompt(v->tui, v, "Milestone: ", NULL, add_title_done)->max = CS_PLAN_TITLE_MAX;
	return R_HANDLED | R_REDRAW;
}

static void update_ms(struct view *v, int64_t id, const struct cs_milestone_change *ch,
		      const char *what)
{
	struct tui *t = v->tui;
	long resolved;

	if (cs_milestone_update(t->db, id, ch, t->as_of, &resolved, &t->diag))
		return;
	changed(v);
	if (resolved)
		tui_message(t, ROLE_STATUS, "milestone %lld %s; action %ld resolved", (long long)id,
			    what, resolved);
	else
		tui_message(t, ROLE_STATUS, "milestone %lld %s", (long long)id, what);
}

static unsigned tick(struct view *v)
{
	struct plans_view *pv = v->priv;
	const struct row *rw = selected(pv);
	const struct cs_milestone *m;
	struct cs_milestone_change ch = { .status_set = true };

	if (!rw || rw->kind != ROW_MS) {
		tui_message(v->tui, ROLE_STATUS, "select a milestone to tick");
		return R_HANDLED | R_REDRAW;
	}
	m = &pv->plans[rw->plan]->ms[rw->ms];
	ch.status = m->status == CS_MS_COMPLETED ? CS_MS_PENDING : CS_MS_COMPLETED;
	update_ms(v, m->id, &ch, ch.status == CS_MS_COMPLETED ? "done" : "reopened");
	return R_HANDLED | R_REDRAW;
}

enum { F_TITLE, F_DUE, F_OWNER, F_PRIORITY, F_STATUS, F_OBJECTIVES };

static void edit_text_done(struct view *v, const char *text)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	struct cs_milestone_change ch = { 0 };

	if (!pv->q.ms_id) {
		/* the plan's title or objectives */
		int64_t id = pv->plans[pv->q.plan]->id;

		if (cs_plan_update(t->db, id, pv->q.field == F_TITLE ? text : NULL, false, 0,
				   pv->q.field == F_OBJECTIVES ? text : NULL, t->as_of, &t->diag))
			return;
		changed(v);
		tui_message(t, ROLE_STATUS, "plan %lld updated", (long long)id);
		return;
	}
	if (pv->q.field == F_DUE) {
		if (typed_day(t, text, &ch.due))
			return;
		ch.due_set = true;
	} else if (pv->q.field == F_OWNER) {
		ch.owner = text;
	} else {
		ch.title = text;
	}
	update_ms(v, pv->q.ms_id, &ch, "updated");
}

static const char *const ms_status_labels[] = { "pending", "in progress", "completed",
						"cancelled" };
static const char *const plan_status_labels[] = { "active", "on hold", "completed",
						  "cancelled" };

static void edit_choice_done(struct view *v, int choice)
{
	struct plans_view *pv = v->priv;
	struct tui *t = v->tui;
	struct cs_milestone_change ch = { 0 };

	if (!pv->q.ms_id) {
		int64_t id = pv->plans[pv->q.plan]->id;

		if (cs_plan_update(t->db, id, NULL, true, (enum cs_plan_status)choice, NULL,
				   t->as_of, &t->diag))
			return;
		changed(v);
		tui_message(t, ROLE_STATUS, "plan %lld %s", (long long)id,
			    plan_status_labels[choice]);
		return;
	}
	if (pv->q.field == F_PRIORITY) {
		ch.priority_set = true;
		ch.priority = (enum cs_ms_priority)choice;
	} else {
		ch.status_set = true;
		ch.status = (enum cs_ms_status)choice;
	}
	update_ms(v, pv->q.ms_id, &ch, "updated");
}

static void ms_field_chosen(struct view *v, int choice)
{
	struct plans_view *pv = v->priv;
	const struct cs_milestone *m = NULL;

	for (int i = 0; i < pv->plans[pv->q.plan]->nms; i++)
		if (pv->plans[pv->q.plan]->ms[i].id == pv->q.ms_id)
			m = &pv->plans[pv->q.plan]->ms[i];
	if (!m)
		return;
	pv->q.field = choice;
	switch (choice) {
	case F_TITLE:
		tui_prompt(v->tui, v, "Milestone: ", m->title, edit_text_done)->max =
			CS_PLAN_TITLE_MAX;
		break;
	case F_DUE:
		tui_prompt(v->tui, v, "Due (YYYY-MM-DD): ", m->due, edit_text_done)->max = 10;
		break;
	case F_OWNER:
		tui_prompt(v->tui, v, "Owner (empty: none): ", m->owner, edit_text_done)->max =
			CS_PLAN_OWNER_MAX;
		break;
	case F_PRIORITY:
		tui_choose(v->tui, v, "Priority: ", priority_labels, CS_PRIORITIES, m->priority,
			   edit_choice_done);
		break;
	default:
		tui_choose(v->tui, v, "Status: ", ms_status_labels, CS_MS_STATUSES, m->status,
			   edit_choice_done);
		break;
	}
}

static void plan_field_chosen(struct view *v, int choice)
{
	struct plans_view *pv = v->priv;
	const struct cs_plan *p = pv->plans[pv->q.plan];

	pv->q.field = choice == 0 ? F_TITLE : choice == 1 ? F_STATUS : F_OBJECTIVES;
	if (pv->q.field == F_TITLE)
		tui_prompt(v->tui, v, "Title: ", p->title, edit_text_done)->max = CS_PLAN_TITLE_MAX;
	else if (pv->q.field == F_OBJECTIVES)
		tui_prompt(v->tui, v, "Objectives (empty: none): ", p->objectives,
			   edit_text_done)->max = CS_PLAN_TEXT_MAX;
	else
		tui_choose(v->tui, v, "Plan status: ", plan_status_labels, CS_PLAN_STATUSES,
			   p->status, edit_choice_done);
}

static unsigned edit(struct view *v)
{
	static const char *const ms_fields[] = { "title", "due date", "owner", "priority",
						 "status" };
	static const char *const plan_fields[] = { "title", "status", "objectives" };
	struct plans_view *pv = v->priv;
	const struct row *rw = selected(pv);

	if (!rw || rw->kind == ROW_PROPOSAL || rw->kind == ROW_EMPTY) {
		tui_message(v->tui, ROLE_STATUS, "select a plan or a milestone to edit");
		return R_HANDLED | R_REDRAW;
	}
	pv->q.plan = rw->plan;
	if (rw->kind == ROW_PLAN) {
		pv->q.ms_id = 0;
		tui_choose(v->tui, v, "Change the plan's: ", plan_fields, 3, 0, plan_field_chosen);
	} else {
		pv->q.ms_id = pv->plans[rw->plan]->ms[rw->ms].id;
		tui_choose(v->tui, v, "Change the milestone's: ", ms_fields, 5, 0,
			   ms_field_chosen);
	}
	return R_HANDLED | R_REDRAW;
}

static unsigned plans_handle(struct view *v, enum action a)
{
	struct plans_view *pv = v->priv;
	int last = pv->nrows ? pv->nrows - 1 : 0;

	switch (a) {
	case ACT_UP:
		pv->sel = pv->sel > 0 ? pv->sel - 1 : 0;
		return R_HANDLED | R_REDRAW;
	case ACT_DOWN:
		pv->sel = pv->sel < last ? pv->sel + 1 : last;
		return R_HANDLED | R_REDRAW;
	case ACT_PAGE_UP:
		pv->sel = pv->sel > pv->page ? pv->sel - pv->page : 0;
		return R_HANDLED | R_REDRAW;
	case ACT_PAGE_DOWN:
		pv->sel = pv->sel + pv->page < last ? pv->sel + pv->page : last;
		return R_HANDLED | R_REDRAW;
	case ACT_FIRST:
		pv->sel = 0;
		return R_HANDLED | R_REDRAW;
	case ACT_LAST:
		pv->sel = last;
		return R_HANDLED | R_REDRAW;
	case ACT_ENTER:
		if (selected(pv) && selected(pv)->kind == ROW_PROPOSAL) {
			accept_proposal(v);
			return R_HANDLED | R_REDRAW;
		}
		return edit(v);
	case ACT_NEW_PLAN:
		return new_plan(v);
	case ACT_ADD_MILESTONE:
		return add_milestone(v);
	case ACT_TICK:
		return tick(v);
	case ACT_EDIT:
		return edit(v);
	case ACT_RELOAD:
		load(v);
		tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
}

const struct view_ops view_plans = {
	.name = "Plans",
	.priv_size = sizeof(struct plans_view),
	.open = plans_open,
	.draw = plans_draw,
	.handle = plans_handle,
	.close = plans_close,
	.resume = plans_resume,
};
