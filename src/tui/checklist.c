/*
 * checklist.c — the release quality checklists (spec 000, PRODUCT.md §5):
 * the list of checklists, and the form that fills, signs, revises and
 * exports one.
 *
 * The form is a column of entries — the items with their full text and
 * note, the approval, the support-readiness gaps, the notes and the
 * sign-off — of which one is selected. Every change is one core call
 * (casey/checklist.h) followed by reading the checklist again, so what is
 * shown is what is stored; the core refuses what the rules refuse (a
 * signed checklist is locked, signing needs every answer and note), and
 * the form says why in the status line or, for a refused signing, in a
 * panel listing cs_checklist_problems() until they are fixed. Questions
 * (a risk note, a title, a file) go through the status line's prompt.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casey/checklist.h"
#include "tui.h"
#include "wrap.h"

/* ------------------------------------------------------------------ */
/* The list                                                             */

struct list {
	struct cs_checklist_summary *rows;
	int n;
	struct cs_checklist_def *def;	/* NULL when checklist.ini would not load */
	struct table table;
	int page;
};

static const struct column list_cols[] = {
	{ "ID", 4, 0, true, 0, 0 },
	{ "Title", 0, 14, false, 0, 0 },
	{ "Rev", 3, 0, true, 3, 0 },
	{ "Status", 6, 0, false, 0, 0 },
	{ "Approval", 18, 0, false, 2, 0 },
	{ "Progress", 14, 0, false, 1, 0 },
};

/* Read the list again, keeping the selected checklist (or selecting id). */
static int list_load(struct view *v, int64_t id)
{
	struct list *l = v->priv;
	struct cs_checklist_summary *rows;
	int n;

	if (!id && l->n > 0 && l->table.sel < l->n)
		id = l->rows[l->table.sel].id;
	if (cs_checklist_list(v->tui->db, &rows, &n, &v->tui->diag))
		return -1;
	free(l->rows);
	l->rows = rows;
	l->n = l->table.nrows = n;
	for (int i = 0; i < n; i++)
		if (rows[i].id == id)
			l->table.sel = i;
	table_clamp(&l->table, l->page);
	return 0;
}

static int list_open(struct view *v, const char *arg)
{
	struct list *l = v->priv;
	struct cs_diag quiet = { 0 };

	(void)arg;
	l->table = (struct table){
		.cols = list_cols,
		.ncols = (int)(sizeof(list_cols) / sizeof(list_cols[0])),
		.header = true,
		.focused = true,
		.empty = "no checklists yet: n starts one",
	};
	l->page = 10;
	/* Without the wording the list still shows; new checklists need it. */
	if ((l->def = malloc(sizeof(*l->def))) && cs_checklist_def_load(NULL, l->def, &quiet)) {
		free(l->def);
		l->def = NULL;
	}
	return list_load(v, 0);
}

static void list_close(struct view *v)
{
	struct list *l = v->priv;

	free(l->rows);
	free(l->def);
	l->rows = NULL;
	l->def = NULL;
}

static const char *approval_label(const struct cs_checklist_def *def, enum cs_approval a)
{
	if (a == CS_APPROVAL_NONE)
		return NULL;
	return def ? def->approval_label[a] : cs_approval_name(a);
}

static void list_cell(void *ctx, int row, int col, struct cell *out, char *buf, size_t size)
{
	const struct list *l = ctx;
	const struct cs_checklist_summary *r = &l->rows[row];
	const char *ap;

	switch (col) {
	case 0:
		snprintf(buf, size, "%lld", (long long)r->id);
		out->text = buf;
		break;
	case 1:
		out->text = r->title;
		break;
	case 2:
		snprintf(buf, size, "%d", r->revision);
		out->text = buf;
		break;
	case 3:
		out->text = r->is_signed ? "signed" : "draft";
		out->role = r->is_signed ? ROLE_GREEN : ROLE_NORMAL;
		break;
	case 4:
		ap = approval_label(l->def, r->approval);
		out->text = ap ? ap : "-";
		out->role = ap ? ROLE_NORMAL : ROLE_MUTED;
		break;
	default:
		snprintf(buf, size, "%d/%d answered", r->answered, r->nitems);
		out->text = buf;
		out->role = r->answered == r->nitems ? ROLE_NORMAL : ROLE_YELLOW;
		break;
	}
}

static void list_draw(struct view *v, struct rect b)
{
	struct list *l = v->priv;
	struct rect r = { b.y + 1, b.x + 1, b.h - 2, b.w - 2 };

	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " %s%s%d checklist%s",
		   l->def ? l->def->name : "Release quality checklists", glyph->dot, l->n,
		   l->n == 1 ? "" : "s");
	l->page = table_page(&l->table, r);
	table_draw(&l->table, r, list_cell, l);
	draw_text(b.y + b.h - 1, b.x, b.w,
		  " Enter opens the selected checklist  n starts a new one (asks the title)",
		  ROLE_MUTED, T_PAD);
}

static void new_done(struct view *v, const char *title)
{
	struct list *l = v->priv;
	struct tui *t = v->tui;
	char arg[32];
	int64_t id;

	if (!l->def) {
		tui_message(t, ROLE_ERROR, "checklist.ini would not load: no new checklists");
		return;
	}
	if (cs_checklist_create(t->db, l->def, title, t->as_of, &id, &t->diag))
		return;
	list_load(v, id);
	snprintf(arg, sizeof(arg), "%lld", (long long)id);
	tui_push(t, &view_checklist, arg);
}

static unsigned list_handle(struct view *v, enum action a)
{
	struct list *l = v->priv;
	char arg[32];

	if (table_move(&l->table, a, l->page))
		return R_HANDLED | R_REDRAW;
	switch (a) {
	case ACT_ENTER:
		if (!l->n)
			return R_HANDLED;
		snprintf(arg, sizeof(arg), "%lld", (long long)l->rows[l->table.sel].id);
		return R_HANDLED | tui_push(v->tui, &view_checklist, arg);
	case ACT_NO:
		tui_prompt(v->tui, v, "Title of the new checklist: ", NULL, new_done)->max =
			CS_CHECKLIST_TITLE_MAX;
		return R_HANDLED | R_REDRAW;
	case ACT_RELOAD:
		if (!list_load(v, 0))
			tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
}

const struct view_ops view_checklists = {
	.name = "Checklists",
	.priv_size = sizeof(struct list),
	.open = list_open,
	.draw = list_draw,
	.handle = list_handle,
	.close = list_close,
};

/* Every checklist list on the stack reads again: a form below it changed something. */
static void refresh_lists(struct tui *t)
{
	for (int i = 0; i < t->depth; i++)
		if (t->stack[i]->ops == &view_checklists)
			list_load(t->stack[i], 0);
}

/* ------------------------------------------------------------------ */
/* The form                                                             */

enum entry_kind { E_ITEM, E_APPROVAL, E_GAPS, E_GAP, E_NOTES, E_SIGNOFF };

struct entry {
	enum entry_kind kind;
	int index;		/* the item (0-based) or the gap */
	int line, nlines;	/* where it is in the built lines */
};

#define MAX_ENTRIES (CS_CHECKLIST_MAX_ITEMS + CS_CHECKLIST_MAX_GAPS + 4)
/* The columns before an item's text: " 12  N/A  " */
#define ITEM_INDENT 10
/* The columns before the value of the approval, gaps, notes and sign-off. */
#define FIELD_INDENT 11

struct form {
	struct cs_checklist *c;
	struct cs_checklist_def *def;
	struct cs_checklist_problems pr;
	bool show_problems;	/* a signing was refused: list what to fix */
	struct entry entries[MAX_ENTRIES];
	int nentries, sel;
	int note_item;		/* the item (1-based) a note prompt is for */
	int gap_kind;		/* the kind an issue prompt is for */
	char export_path[PROMPT_TEXT_MAX];	/* a file that exists, to replace */
	char reviewer[CS_CHECKLIST_REVIEWER_MAX + 1];	/* the last one given */
	struct lines lines;
	int built_w;		/* the width the lines were built for; 0: build */
};

static void entries_make(struct form *f)
{
	int n = 0;

	for (int i = 0; i < f->c->nitems; i++)
		f->entries[n++] = (struct entry){ E_ITEM, i, 0, 0 };
	f->entries[n++] = (struct entry){ E_APPROVAL, 0, 0, 0 };
	f->entries[n++] = (struct entry){ E_GAPS, 0, 0, 0 };
	for (int i = 0; i < f->c->ngaps; i++)
		f->entries[n++] = (struct entry){ E_GAP, i, 0, 0 };
	f->entries[n++] = (struct entry){ E_NOTES, 0, 0, 0 };
	f->entries[n++] = (struct entry){ E_SIGNOFF, 0, 0, 0 };
	f->nentries = n;
	if (f->sel >= n)
		f->sel = n - 1;
	if (f->sel < 0)
		f->sel = 0;
}

/* Read the checklist again (after every change); on failure the last one read stays. */
static int form_load(struct view *v)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	struct cs_checklist *c = malloc(sizeof(*c));

	if (!c) {
		tui_message(t, ROLE_ERROR, "out of memory");
		return -1;
	}
	if (cs_checklist_load(t->db, strtoll(v->arg, NULL, 10), c, &t->diag)) {
		free(c);
		return -1;
	}
	free(f->c);
	f->c = c;
	cs_checklist_problems(f->c, &f->pr);
	if (!f->pr.n || f->c->is_signed)
		f->show_problems = false;
	entries_make(f);
	f->built_w = 0;
	snprintf(v->title, sizeof(v->title), "#%lld %s", (long long)f->c->id, f->c->title);
	return 0;
}

static int form_open(struct view *v, const char *arg)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	char *end;

	lines_init(&f->lines);
	errno = 0;
	if (strtoll(arg, &end, 10) <= 0 || *end || errno) {
		tui_message(t, ROLE_ERROR, "no checklist '%s'", arg);
		return -1;
	}
	if (!(f->def = malloc(sizeof(*f->def)))) {
		tui_message(t, ROLE_ERROR, "out of memory");
		return -1;
	}
	if (cs_checklist_def_load(NULL, f->def, &t->diag))
		return -1;
	return form_load(v);
}

static void form_close(struct view *v)
{
	struct form *f = v->priv;

	lines_release(&f->lines);
	free(f->c);
	free(f->def);
	f->c = NULL;
	f->def = NULL;
}

/* Whether an answered item lacks its note: a No its risk, an N/A its justification. */
static bool note_missing(const struct form *f, int item)
{
	for (int i = 0; i < f->pr.n; i++)
		if (f->pr.p[i].item == item && (f->pr.p[i].kind == CS_PROBLEM_NO_RISK ||
						f->pr.p[i].kind == CS_PROBLEM_NA_REASON))
			return true;
	return false;
}

static const char *note_name(enum cs_answer a)
{
	return a == CS_ANSWER_NO ? "Risk" : a == CS_ANSWER_NA ? "Justification" : "Note";
}

/* ---- building the lines ------------------------------------------ */

/* Wrapped text, each line indented; the first may start with a label of its own role. */
struct para {
	struct lines *l;
	int indent;
	enum role role;
	const char *label;	/* "Risk:" */
	enum role label_role;
	bool first;
	bool continues;		/* the first line is already started (after a label span) */
};

static void para_line(void *ctx, const char *text)
{
	struct para *p = ctx;
	size_t n = p->label ? strlen(p->label) : 0;

	if (!(p->first && p->continues)) {
		lines_add(p->l);
		span_add(p->l, ROLE_NORMAL, p->indent, false, "");
	}
	if (p->first && n && !strncmp(text, p->label, n)) {
		span_add(p->l, p->label_role, 0, false, p->label);
		text += n;
	}
	span_add(p->l, p->role, 0, false, text);
	p->first = false;
}

static void para(struct lines *l, int w, int indent, enum role role, const char *label,
		 enum role label_role, const char *text, bool continues)
{
	struct para p = { l, indent, role, label, label_role, true, continues };
	size_t size = (label ? strlen(label) : 0) + strlen(text) + 1;
	char *s = NULL;

	if (label) {
		if (!(s = malloc(size))) {
			l->oom = true;
			return;
		}
		snprintf(s, size, "%s%s", label, text);
	}
	if (wrap_text(s ? s : text, w - indent, para_line, &p) < 0)
		l->oom = true;
	free(s);
}

/* A span of the first line of an entry: in the selection's role when selected. */
static void put(struct lines *l, bool sel, enum role role, int width, const char *text, int *used)
{
	span_add(l, sel ? ROLE_SELECTED : role, width, false, text);
	*used += width ? width : text_width(text);
}

/* The rest of a selected first line, so the selection spans the width. */
static void pad(struct lines *l, bool sel, int w, int used)
{
	if (sel && w > used)
		span_add(l, ROLE_SELECTED, w - used, false, "");
}

static enum role answer_role(enum cs_answer a)
{
	return a == CS_ANSWER_YES ? ROLE_GREEN : a == CS_ANSWER_NO ? ROLE_RED :
	       a == CS_ANSWER_NA ? ROLE_NORMAL : ROLE_MUTED;
}

static void build_item(struct form *f, int i, bool sel, int w)
{
	const struct cs_checklist_item *it = &f->c->items[i];
	struct lines *l = &f->lines;
	char num[16], label[32];
	int used = 0;

	lines_add(l);
	/* The marker shows the selection without colours or attributes too. */
	snprintf(num, sizeof(num), "%s%2d  ", sel ? ">" : " ", it->number);
	put(l, sel, ROLE_NORMAL, 5, num, &used);
	put(l, sel, answer_role(it->answer), 5,
	    it->answer == CS_ANSWER_NONE ? "--" : cs_answer_label(it->answer), &used);
	put(l, sel, ROLE_HEADING, 0, it->title, &used);
	pad(l, sel, w, used);
	para(l, w, ITEM_INDENT, ROLE_NORMAL, NULL, ROLE_NORMAL, it->text, false);
	snprintf(label, sizeof(label), "%s: ", note_name(it->answer));
	if (note_missing(f, it->number))
		para(l, w, ITEM_INDENT, ROLE_RED, label, ROLE_RED,
		     it->answer == CS_ANSWER_NO ?
		     "missing: a No needs the customer-support risk (Enter writes it)" :
		     "missing (Enter writes it)", false);
	else if (it->note[0])
		para(l, w, ITEM_INDENT, ROLE_NORMAL, label, ROLE_MUTED, it->note, false);
}

/* The first line of a field: its name, then text wrapped under the value column. */
static void build_field(struct form *f, bool sel, int w, const char *name, enum role role,
			const char *text)
{
	struct lines *l = &f->lines;
	int used = 0;

	lines_add(l);
	put(l, sel, ROLE_HEADING, 1, sel ? ">" : "", &used);
	put(l, sel, ROLE_HEADING, FIELD_INDENT - 1, name, &used);
	if (!sel) {
		para(l, w, FIELD_INDENT, role, NULL, ROLE_NORMAL, text, true);
		return;
	}
	/* Selected: the first line of the text in the selection's role, padded. */
	{
		struct lines tmp;
		int end;

		lines_init(&tmp);
		para(&tmp, w, FIELD_INDENT, role, NULL, ROLE_NORMAL, text, true);
		end = tmp.n > 1 ? tmp.first[1] : tmp.nspans;
		for (int s = 0; s < end; s++)
			put(l, true, role, 0, tmp.spans[s].text, &used);
		pad(l, true, w, used);
		for (int line = 1; line < tmp.n; line++) {
			int last = line + 1 < tmp.n ? tmp.first[line + 1] : tmp.nspans;

			lines_add(l);
			for (int s = tmp.first[line]; s < last; s++)
				span_add(l, tmp.spans[s].role, tmp.spans[s].width, false,
					 tmp.spans[s].text);
		}
		if (tmp.oom)
			l->oom = true;
		lines_release(&tmp);
	}
}

static void build_entry(struct form *f, int e, int w)
{
	const struct cs_checklist *c = f->c;
	const struct entry *en = &f->entries[e];
	bool sel = e == f->sel;
	char buf[600];

	switch (en->kind) {
	case E_ITEM:
		build_item(f, en->index, sel, w);
		break;
	case E_APPROVAL:
		lines_add(&f->lines);
		if (c->approval) {
			snprintf(buf, sizeof(buf), "%s (%s)", f->def->approval_label[c->approval],
				 f->def->approval_text[c->approval]);
			build_field(f, sel, w, "Approval", c->approval == CS_APPROVAL_UNREADY ?
				    ROLE_RED : ROLE_NORMAL, buf);
		} else {
			build_field(f, sel, w, "Approval", f->show_problems ? ROLE_RED : ROLE_MUTED,
				    c->is_signed ? "none" : "not chosen yet (A chooses)");
		}
		break;
	case E_GAPS:
		/* How to change it, while it can change. */
		if (c->ngaps)
			snprintf(buf, sizeof(buf), "%d support-readiness gap%s%s", c->ngaps,
				 c->ngaps == 1 ? "" : "s", c->is_signed ? "" :
				 " (i adds one, D removes the selected)");
		else
			snprintf(buf, sizeof(buf), "none%s", c->is_signed ? "" :
				 " (i adds one: docs, training or communication, with its issue)");
		build_field(f, sel, w, "Gaps", c->ngaps ? ROLE_NORMAL : ROLE_MUTED, buf);
		break;
	case E_GAP:
		snprintf(buf, sizeof(buf), "%s: %s", f->def->gap_label[c->gaps[en->index].kind],
			 c->gaps[en->index].issue);
		build_field(f, sel, w, "", ROLE_NORMAL, buf);
		break;
	case E_NOTES:
		build_field(f, sel, w, "Notes", c->notes[0] ? ROLE_NORMAL : ROLE_MUTED,
			    c->notes[0] ? c->notes :
			    c->is_signed ? "none" : "none (N writes them)");
		break;
	case E_SIGNOFF:
		lines_add(&f->lines);
		if (c->is_signed && c->revised_by)
			snprintf(buf, sizeof(buf), "signed by %s on %s, locked; revised as "
				 "checklist %lld", c->reviewer, c->signed_at,
				 (long long)c->revised_by);
		else if (c->is_signed)
			snprintf(buf, sizeof(buf), "signed by %s on %s, locked (r starts "
				 "revision %d)", c->reviewer, c->signed_at, c->revision + 1);
		else if (f->pr.n)
			snprintf(buf, sizeof(buf), "draft: %d to fix before signing (S lists them)",
				 f->pr.n);
		else
			snprintf(buf, sizeof(buf), "draft: ready to sign (S asks the reviewer)");
		build_field(f, sel, w, "Sign-off", c->is_signed ? ROLE_GREEN :
			    f->pr.n ? ROLE_YELLOW : ROLE_NORMAL, buf);
		break;
	}
}

static void build(struct form *f, int w)
{
	int top = f->lines.top;

	lines_release(&f->lines);
	for (int e = 0; e < f->nentries; e++) {
		f->entries[e].line = f->lines.n;
		build_entry(f, e, w);
		f->entries[e].nlines = f->lines.n - f->entries[e].line;
	}
	f->lines.top = top;
	f->built_w = w;
}

/* ---- drawing ------------------------------------------------------- */

/* The rows of the problems panel in a body h rows high (0: none). */
static int problems_rows(const struct form *f, int h)
{
	int k = (h - 4) / 3;

	if (!f->show_problems || !f->pr.n)
		return 0;
	if (k < 1)
		k = 1;
	return 1 + (f->pr.n < k ? f->pr.n : k);
}

static void draw_problems(const struct form *f, struct rect r)
{
	int shown = r.h - 1;

	draw_textf(r.y, r.x, r.w, ROLE_ERROR, T_PAD, " Cannot sign yet: %d to fix", f->pr.n);
	for (int i = 0; i < shown; i++) {
		if (i == shown - 1 && f->pr.n > shown)
			draw_textf(r.y + 1 + i, r.x, r.w, ROLE_RED, T_PAD, "   and %d more",
				   f->pr.n - i);
		else
			draw_textf(r.y + 1 + i, r.x, r.w, ROLE_RED, T_PAD, "   %s", f->pr.p[i].msg);
	}
}

static void form_draw(struct view *v, struct rect b)
{
	struct form *f = v->priv;
	const struct cs_checklist *c = f->c;
	int prob = problems_rows(f, b.h), answered = 0;
	struct rect list = { b.y + 1, b.x + 1, b.h - 2 - prob, b.w - 2 };
	const struct entry *e;

	for (int i = 0; i < c->nitems; i++)
		answered += c->items[i].answer != CS_ANSWER_NONE;
	draw_textf(b.y, b.x, b.w, ROLE_PANE, T_PAD, " %s%srevision %d%s%d/%d answered%s%s v%s",
		   c->is_signed ? "Signed" : "Draft", glyph->dot, c->revision, glyph->dot,
		   answered, c->nitems, glyph->dot, f->def->name, c->version);
	if (list.h <= 0 || list.w <= 0)
		return;
	if (f->built_w != list.w)
		build(f, list.w);
	if (f->lines.oom)
		tui_message(v->tui, ROLE_ERROR, "out of memory");
	/* The selected entry in view, its first line at least. */
	e = &f->entries[f->sel];
	if (e->line + e->nlines > f->lines.top + list.h)
		f->lines.top = e->line + e->nlines - list.h;
	if (e->line < f->lines.top || e->nlines > list.h)
		f->lines.top = e->line;
	lines_draw(&f->lines, list);
	if (prob)
		draw_problems(f, (struct rect){ list.y + list.h, b.x, prob, b.w });
	if (c->is_signed)
		draw_textf(b.y + b.h - 1, b.x, b.w, ROLE_MUTED, T_PAD,
			   " signed and locked: r starts revision %d  E export  q back",
			   c->revision + 1);
	else
		draw_text(b.y + b.h - 1, b.x, b.w, b.w >= 72 ?
			  " y/n/a answer  Enter note  A approval  i gap  N notes  S sign  E export"
			  : " y/n/a  A approval  i gap  N notes  S sign  E export",
			  ROLE_MUTED, T_PAD);
}

/* ---- changing it ----------------------------------------------------- */

/* Read it again after a change (rc from the core), and the lists below. */
static void changed(struct view *v, int rc)
{
	struct form *f = v->priv;

	form_load(v);
	refresh_lists(v->tui);
	if (rc == CS_CHECKLIST_LOCKED && !f->c->revised_by)
		tui_message(v->tui, ROLE_ERROR, "signed meanwhile: press r to start revision %d",
			    f->c->revision + 1);
}

/* True (and says so) when the checklist is signed: nothing may change. */
static bool locked(struct view *v)
{
	struct form *f = v->priv;

	if (!f->c->is_signed)
		return false;
	if (f->c->revised_by)
		tui_message(v->tui, ROLE_STATUS, "signed and locked; revised as checklist %lld",
			    (long long)f->c->revised_by);
	else
		tui_message(v->tui, ROLE_STATUS, "signed: press r to start revision %d",
			    f->c->revision + 1);
	return true;
}

static int64_t form_id(const struct form *f)
{
	return f->c->id;
}

/* Select the first entry of a kind. */
static void select_kind(struct form *f, enum entry_kind kind)
{
	for (int e = 0; e < f->nentries; e++) {
		if (f->entries[e].kind == kind) {
			f->sel = e;
			break;
		}
	}
	f->built_w = 0;
}

static void next_entry(struct form *f)
{
	if (f->sel < f->nentries - 1)
		f->sel++;
	f->built_w = 0;
}

static void note_done(struct view *v, const char *note)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	int rc = cs_checklist_set_item_note(t->db, form_id(f), f->note_item, note, &t->diag);

	changed(v, rc);
	if (!rc && note[0] && f->entries[f->sel].kind == E_ITEM &&
	    f->entries[f->sel].index == f->note_item - 1)
		next_entry(f);
}

/* Ask for the note of item (1-based), named after its answer. */
static void ask_note(struct view *v, int item)
{
	struct form *f = v->priv;
	const struct cs_checklist_item *it = &f->c->items[item - 1];
	char label[64];

	f->note_item = item;
	snprintf(label, sizeof(label), "%s for item %d: ", note_name(it->answer), item);
	tui_prompt(v->tui, v, label, it->note, note_done)->max = CS_CHECKLIST_NOTE_MAX;
}

static unsigned answer(struct view *v, enum cs_answer a)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	const struct entry *e = &f->entries[f->sel];
	int item, rc;

	if (locked(v))
		return R_HANDLED | R_REDRAW;
	if (e->kind != E_ITEM) {
		tui_message(t, ROLE_STATUS, "select an item (1-%d) to answer it", f->c->nitems);
		return R_HANDLED | R_REDRAW;
	}
	item = e->index + 1;
	rc = cs_checklist_set_answer(t->db, form_id(f), item, a, NULL, &t->diag);
	changed(v, rc);
	if (rc)
		return R_HANDLED | R_REDRAW;
	if (a == CS_ANSWER_YES)
		next_entry(f);
	else
		ask_note(v, item);	/* a No needs its risk, an N/A its justification */
	return R_HANDLED | R_REDRAW;
}

static void approval_chosen(struct view *v, int choice)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	enum cs_approval a = choice < 3 ? (enum cs_approval)(choice + 1) : CS_APPROVAL_NONE;
	int rc = cs_checklist_set_approval(t->db, form_id(f), a, &t->diag);

	changed(v, rc);
	select_kind(f, E_APPROVAL);
	if (!rc)
		tui_message(t, ROLE_STATUS, "approval: %s",
			    a ? f->def->approval_label[a] : "withdrawn");
}

static void choose_approval(struct view *v)
{
	struct form *f = v->priv;
	const char *choices[4] = {
		f->def->approval_label[CS_APPROVAL_APPROVED],
		f->def->approval_label[CS_APPROVAL_GAPS],
		f->def->approval_label[CS_APPROVAL_UNREADY],
		"none (withdraw the choice)",
	};

	tui_choose(v->tui, v, "Approval: ", choices, f->c->approval ? 4 : 3,
		   f->c->approval ? (int)f->c->approval - 1 : 0, approval_chosen);
}

static void issue_done(struct view *v, const char *answer_text)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	char issue[CS_CHECKLIST_ISSUE_MAX + 1];
	const char *why;
	int rc;

	if (cs_checklist_issue_norm(answer_text, issue, &why)) {
		tui_message(t, ROLE_ERROR, "'%s' %s", answer_text, why);
		return;
	}
	rc = cs_checklist_gap_add(t->db, form_id(f), (enum cs_gap_kind)f->gap_kind, issue,
				  &t->diag);
	changed(v, rc);
	if (rc)
		return;
	for (int e = 0; e < f->nentries; e++) {
		const struct cs_checklist_gap *g;

		if (f->entries[e].kind != E_GAP)
			continue;
		g = &f->c->gaps[f->entries[e].index];
		if (g->kind == (enum cs_gap_kind)f->gap_kind && !strcmp(g->issue, issue))
			f->sel = e;
	}
	tui_message(t, ROLE_STATUS, "%s gap %s listed", cs_gap_kind_name(f->gap_kind), issue);
}

static void gap_kind_chosen(struct view *v, int kind)
{
	struct form *f = v->priv;
	char label[64];

	f->gap_kind = kind;
	snprintf(label, sizeof(label), "Issue for the %s gap: ", cs_gap_kind_name(kind));
	tui_prompt(v->tui, v, label, NULL, issue_done)->max = 128;
}

static void choose_gap_kind(struct view *v)
{
	struct form *f = v->priv;
	const char *choices[CS_GAP_KINDS];

	for (int k = 0; k < CS_GAP_KINDS; k++)
		choices[k] = f->def->gap_label[k];
	tui_choose(v->tui, v, "Gap: ", choices, CS_GAP_KINDS, 0, gap_kind_chosen);
}

static unsigned remove_selected(struct view *v)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	const struct entry *e = &f->entries[f->sel];
	struct cs_checklist_gap g;
	int rc;

	if (locked(v))
		return R_HANDLED | R_REDRAW;
	if (e->kind == E_GAP) {
		g = f->c->gaps[e->index];
		rc = cs_checklist_gap_remove(t->db, form_id(f), g.kind, g.issue, &t->diag);
		changed(v, rc);
		if (!rc)
			tui_message(t, ROLE_STATUS, "%s gap %s removed", cs_gap_kind_name(g.kind),
				    g.issue);
	} else if (e->kind == E_ITEM && f->c->items[e->index].answer != CS_ANSWER_NONE) {
		rc = cs_checklist_set_answer(t->db, form_id(f), e->index + 1, CS_ANSWER_NONE, NULL,
					     &t->diag);
		changed(v, rc);
		if (!rc)
			tui_message(t, ROLE_STATUS, "item %d: answer taken back", e->index + 1);
	} else {
		tui_message(t, ROLE_STATUS, "select a gap or an answered item to remove");
	}
	return R_HANDLED | R_REDRAW;
}

static void notes_done(struct view *v, const char *notes)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	int rc = cs_checklist_set_notes(t->db, form_id(f), notes, &t->diag);

	changed(v, rc);
	select_kind(f, E_NOTES);
	if (!rc)
		tui_message(t, ROLE_STATUS, notes[0] ? "notes saved" : "notes removed");
}

static void sign_done(struct view *v, const char *reviewer)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	int rc;

	snprintf(f->reviewer, sizeof(f->reviewer), "%s", reviewer);
	rc = cs_checklist_sign(t->db, form_id(f), reviewer, t->as_of, &f->pr, &t->diag);
	changed(v, rc);
	select_kind(f, E_SIGNOFF);
	if (rc == -1 && f->pr.n) {
		f->show_problems = true;
		tui_message(t, ROLE_ERROR, "cannot sign: %d to fix, listed below", f->pr.n);
	} else if (!rc) {
		tui_message(t, ROLE_STATUS, "signed on %s; now locked", f->c->signed_at);
	}
}

static unsigned sign(struct view *v)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;

	if (locked(v))
		return R_HANDLED | R_REDRAW;
	/* Refused before asking: the reasons, in a panel until they are fixed. */
	if (f->pr.n) {
		f->show_problems = true;
		tui_message(t, ROLE_ERROR, "cannot sign: %d to fix, listed below", f->pr.n);
		return R_HANDLED | R_REDRAW;
	}
	tui_prompt(t, v, "Reviewer: ", f->reviewer, sign_done)->max = CS_CHECKLIST_REVIEWER_MAX;
	return R_HANDLED | R_REDRAW;
}

static unsigned revise(struct view *v)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	int64_t old = form_id(f), nid;

	if (!f->c->is_signed) {
		tui_message(t, ROLE_STATUS, "a draft changes directly; r revises signed ones");
		return R_HANDLED | R_REDRAW;
	}
	if (f->c->revised_by) {
		tui_message(t, ROLE_STATUS, "already revised as checklist %lld",
			    (long long)f->c->revised_by);
		return R_HANDLED | R_REDRAW;
	}
	if (cs_checklist_revise(t->db, old, t->as_of, &nid, &t->diag))
		return R_HANDLED | R_REDRAW;
	/* The form goes on with the new draft. */
	snprintf(v->arg, sizeof(v->arg), "%lld", (long long)nid);
	f->sel = 0;
	f->lines.top = 0;
	changed(v, 0);
	tui_message(t, ROLE_STATUS, "revision %d started as checklist %lld, a draft copy of %lld",
		    f->c->revision, (long long)nid, (long long)old);
	return R_HANDLED | R_REDRAW;
}

/* ---- export ------------------------------------------------------------- */

/* Write the export to fd; closes it. 0, or -1 with errno set. */
static int write_md(struct form *f, int fd)
{
	FILE *out = fdopen(fd, "w");
	int rc, err;

	if (!out) {
		err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	rc = cs_checklist_export_md(f->c, f->def, out);
	if (!rc && (fflush(out) || fsync(fd)))
		rc = -1;
	err = errno;
	if (fclose(out))
		rc = -1;
	else
		errno = err;
	if (rc && !errno)
		errno = EIO;
	return rc;
}

static void replace_done(struct view *v, const char *yes);

/* Export to path, private to the user (0600); replace: atomically over an existing file. */
static void export_to(struct view *v, const char *path, bool replace)
{
	struct form *f = v->priv;
	struct tui *t = v->tui;
	char tmp[PROMPT_TEXT_MAX + 8];
	int fd;

	if (!replace) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST) {
			snprintf(f->export_path, sizeof(f->export_path), "%s", path);
			tui_prompt(t, v, "That file exists. Replace it? (y/n) ", NULL,
				   replace_done)->max = 8;
			return;
		}
		if (fd < 0 || write_md(f, fd)) {
			tui_message(t, ROLE_ERROR, "%s: %s", path, strerror(errno));
			if (fd >= 0)
				unlink(path);
			return;
		}
	} else {
		snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
		fd = mkstemp(tmp);	/* 0600 */
		if (fd < 0 || write_md(f, fd) || rename(tmp, path)) {
			tui_message(t, ROLE_ERROR, "%s: %s", path, strerror(errno));
			if (fd >= 0)
				unlink(tmp);
			return;
		}
	}
	/* The status line is short: the file first. */
	tui_message(t, ROLE_STATUS, "exported%s: %s", f->c->is_signed ? "" : " a draft", path);
}

static void replace_done(struct view *v, const char *yes)
{
	struct form *f = v->priv;

	if (yes[0] == 'y' || yes[0] == 'Y')
		export_to(v, f->export_path, true);
	else
		tui_message(v->tui, ROLE_STATUS, "not exported");
}

static void export_done(struct view *v, const char *path)
{
	if (!path[0]) {
		tui_message(v->tui, ROLE_STATUS, "not exported: no file given");
		return;
	}
	/* What is stored, not what was last read. */
	if (!form_load(v))
		export_to(v, path, false);
}

static unsigned export(struct view *v)
{
	struct form *f = v->priv;
	char name[64];

	snprintf(name, sizeof(name), "checklist-%lld-r%d.md", (long long)form_id(f),
		 f->c->revision);
	tui_prompt(v->tui, v, "Export to: ", name, export_done)->max = PROMPT_TEXT_MAX - 16;
	return R_HANDLED | R_REDRAW;
}

/* ---- keys ------------------------------------------------------------------ */

static void move_sel(struct view *v, enum action a)
{
	struct form *f = v->priv;
	int page = v->body.h > 6 ? v->body.h - 4 : 1, target;

	switch (a) {
	case ACT_UP:
		f->sel--;
		break;
	case ACT_DOWN:
		f->sel++;
		break;
	case ACT_FIRST:
		f->sel = 0;
		break;
	case ACT_LAST:
		f->sel = f->nentries - 1;
		break;
	case ACT_PAGE_DOWN:
		target = f->entries[f->sel].line + page;
		while (f->sel < f->nentries - 1 && f->entries[f->sel + 1].line <= target)
			f->sel++;
		break;
	case ACT_PAGE_UP:
		target = f->entries[f->sel].line - page;
		while (f->sel > 0 && f->entries[f->sel - 1].line >= target)
			f->sel--;
		break;
	default:
		break;
	}
	if (f->sel < 0)
		f->sel = 0;
	if (f->sel >= f->nentries)
		f->sel = f->nentries - 1;
	f->built_w = 0;
}

static unsigned enter(struct view *v)
{
	struct form *f = v->priv;
	const struct entry *e = &f->entries[f->sel];

	if (locked(v))
		return R_HANDLED | R_REDRAW;
	switch (e->kind) {
	case E_ITEM:
		if (f->c->items[e->index].answer == CS_ANSWER_NONE)
			tui_message(v->tui, ROLE_STATUS, "answer it first: y, n or a");
		else
			ask_note(v, e->index + 1);
		break;
	case E_APPROVAL:
		choose_approval(v);
		break;
	case E_GAPS:
	case E_GAP:
		choose_gap_kind(v);
		break;
	case E_NOTES:
		tui_prompt(v->tui, v, "Notes: ", f->c->notes, notes_done)->max =
			CS_CHECKLIST_NOTES_MAX;
		break;
	case E_SIGNOFF:
		return sign(v);
	}
	return R_HANDLED | R_REDRAW;
}

static unsigned form_handle(struct view *v, enum action a)
{
	struct form *f = v->priv;

	switch (a) {
	case ACT_UP:
	case ACT_DOWN:
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
	case ACT_FIRST:
	case ACT_LAST:
		move_sel(v, a);
		return R_HANDLED | R_REDRAW;
	case ACT_ENTER:
		return enter(v);
	case ACT_YES:
		return answer(v, CS_ANSWER_YES);
	case ACT_NO:
		return answer(v, CS_ANSWER_NO);
	case ACT_NA:
		return answer(v, CS_ANSWER_NA);
	case ACT_APPROVAL:
		if (!locked(v))
			choose_approval(v);
		return R_HANDLED | R_REDRAW;
	case ACT_GAP:
		if (!locked(v))
			choose_gap_kind(v);
		return R_HANDLED | R_REDRAW;
	case ACT_REMOVE:
		return remove_selected(v);
	case ACT_NOTES:
		if (!locked(v))
			tui_prompt(v->tui, v, "Notes: ", f->c->notes, notes_done)->max =
				CS_CHECKLIST_NOTES_MAX;
		return R_HANDLED | R_REDRAW;
	case ACT_SIGN:
		return sign(v);
	case ACT_REVISE:
		return revise(v);
	case ACT_EXPORT:
		return export(v);
	case ACT_RELOAD:
		if (!form_load(v))
			tui_message(v->tui, ROLE_STATUS, "reloaded");
		return R_HANDLED | R_REDRAW;
	default:
		return 0;
	}
}

const struct view_ops view_checklist = {
	.name = "Checklist",
	.priv_size = sizeof(struct form),
	.open = form_open,
	.draw = form_draw,
	.handle = form_handle,
	.close = form_close,
};
