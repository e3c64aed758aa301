/*
 * checklist.h — the Customer Success release quality checklist (spec 000
 * v1.0, PRODUCT.md §5): the model behind `casey checklist` and the
 * checklist form.
 *
 * Wording is configuration. assets/checklist.ini holds the checklist's
 * name and version, every item's title and full text, the approval
 * options and the support-readiness gap kinds (struct cs_checklist_def).
 * A new checklist copies its items' titles and text into the database, so
 * it keeps the wording it was filled against when the file moves on to a
 * v1.1; approval and gap labels are read from the file when shown.
 *
 * Life cycle:
 *   - cs_checklist_create() makes a draft, revision 1, every item
 *     unanswered;
 *   - each item is answered Yes, No or N/A with an optional note (for a No
 *     the note is the customer-support risk, for an N/A the justification);
 *     an approval is chosen; gaps (docs, training, communication) are added
 *     with the issue that tracks them; free notes are written;
 *   - cs_checklist_sign() records the reviewer and the day. It is refused
 *     while cs_checklist_problems() finds anything: an unanswered item, a
 *     No without a risk note, an N/A without a justification, no approval.
 *     Which approval is not judged: the checklist is non-blocking, so a
 *     "Support Unready" checklist can be signed and shipped with its gaps
 *     documented;
 *   - a signed checklist is locked: every change returns
 *     CS_CHECKLIST_LOCKED (and the database's triggers refuse it too).
 *     cs_checklist_revise() copies it into a new unsigned draft with the
 *     next revision number and parent_id set. Only a signed checklist that
 *     has not been revised yet can be revised, so revisions form a chain.
 *
 * Conventions: every function that can fail reports through diag and
 * returns 0 or -1 (mutators may also return CS_CHECKLIST_LOCKED); an
 * unknown id is "no checklist N". Nothing is printed. Days are day numbers
 * (value.h) chosen by the caller — the --as-of day — so every stored date
 * and every export is reproducible. Texts are UTF-8 without control
 * characters (notes may hold newlines and tabs), trimmed of surrounding
 * blanks; an empty note is no note. Each mutator is one transaction.
 */
#ifndef CASEY_CHECKLIST_H
#define CASEY_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "casey/diag.h"

struct sqlite3;

#define CS_CHECKLIST_MAX_ITEMS 32	/* v1.0 has 13 */
#define CS_CHECKLIST_MAX_GAPS 32
/* Limits in bytes, excluding the NUL; longer input is refused, never cut. */
#define CS_CHECKLIST_NAME_MAX 100	/* the checklist's name, from the asset */
#define CS_CHECKLIST_VERSION_MAX 15
#define CS_CHECKLIST_ITEM_TITLE_MAX 80
#define CS_CHECKLIST_ITEM_TEXT_MAX 300
#define CS_CHECKLIST_LABEL_MAX 80
#define CS_CHECKLIST_TITLE_MAX 200	/* a checklist's title: the feature */
#define CS_CHECKLIST_NOTE_MAX 2000	/* an item's note */
#define CS_CHECKLIST_NOTES_MAX 4000	/* the checklist's notes */
#define CS_CHECKLIST_REVIEWER_MAX 100
#define CS_CHECKLIST_ISSUE_MAX 64

/* A mutator's return value when the checklist is signed (already reported). */
#define CS_CHECKLIST_LOCKED (-2)

enum cs_answer { CS_ANSWER_NONE, CS_ANSWER_YES, CS_ANSWER_NO, CS_ANSWER_NA };
enum cs_approval { CS_APPROVAL_NONE, CS_APPROVAL_APPROVED, CS_APPROVAL_GAPS,
		   CS_APPROVAL_UNREADY };
enum cs_gap_kind { CS_GAP_DOCS, CS_GAP_TRAINING, CS_GAP_COMMUNICATION };
#define CS_APPROVALS 4	/* including CS_APPROVAL_NONE */
#define CS_GAP_KINDS 3

/*
 * Names as stored, typed on the command line and written in JSON:
 * "yes" "no" "na" / "approved" "gaps" "unready" / "docs" "training"
 * "communication"; NULL for CS_ANSWER_NONE and CS_APPROVAL_NONE. The
 * parsers take exactly those names and return 0, or -1 for anything else
 * (nothing reported).
 */
const char *cs_answer_name(enum cs_answer a);
const char *cs_approval_name(enum cs_approval a);
const char *cs_gap_kind_name(enum cs_gap_kind k);
int cs_answer_parse(const char *s, enum cs_answer *out);
int cs_approval_parse(const char *s, enum cs_approval *out);
int cs_gap_kind_parse(const char *s, enum cs_gap_kind *out);
/* How an answer is shown to people: "Yes", "No", "N/A", "unanswered". */
const char *cs_answer_label(enum cs_answer a);

/* The checklist's wording, from assets/checklist.ini. */
struct cs_checklist_def {
	char path[512];
	char name[CS_CHECKLIST_NAME_MAX + 1];	/* "Customer Success Quality Checklist" */
	char version[CS_CHECKLIST_VERSION_MAX + 1];	/* "1.0" */
	int nitems;
	struct {
		char title[CS_CHECKLIST_ITEM_TITLE_MAX + 1];
		char text[CS_CHECKLIST_ITEM_TEXT_MAX + 1];
	} items[CS_CHECKLIST_MAX_ITEMS];	/* items[0] is item 1 */
	/* indexed by enum cs_approval; [CS_APPROVAL_NONE] is empty */
	char approval_label[CS_APPROVALS][CS_CHECKLIST_LABEL_MAX + 1];	/* "Approved with Gaps" */
	char approval_text[CS_APPROVALS][CS_CHECKLIST_LABEL_MAX + 1];	/* "documentation/training gaps, ..." */
	char gap_label[CS_GAP_KINDS][CS_CHECKLIST_LABEL_MAX + 1];	/* "Documentation incomplete" */
};

/*
 * Load and validate the definition: name NULL for the shipped
 * "checklist.ini" from the assets directories (assets.h), else a path.
 * Every problem is reported as FILE:LINE: what. Items must be numbered
 * 1..N without holes, each with a title and a text; all three approvals and
 * all three gap kinds must have a label.
 */
int cs_checklist_def_load(const char *name, struct cs_checklist_def *def,
			  struct cs_diag *diag);

struct cs_checklist_item {
	int number;		/* 1..nitems */
	char title[CS_CHECKLIST_ITEM_TITLE_MAX + 1];
	char text[CS_CHECKLIST_ITEM_TEXT_MAX + 1];
	enum cs_answer answer;
	char note[CS_CHECKLIST_NOTE_MAX + 1];	/* "" when none */
};

struct cs_checklist_gap {
	enum cs_gap_kind kind;
	char issue[CS_CHECKLIST_ISSUE_MAX + 1];	/* "#123", "PROJ-45", "org/repo#7" */
};

/*
 * One checklist, as loaded. Big (tens of KiB): allocate it. Gaps are in
 * kind order (docs, training, communication), then by issue.
 */
struct cs_checklist {
	int64_t id;
	char title[CS_CHECKLIST_TITLE_MAX + 1];
	char version[CS_CHECKLIST_VERSION_MAX + 1];
	int revision;		/* 1, 2, ... */
	int64_t parent_id;	/* the checklist this one revises, or 0 */
	int64_t revised_by;	/* the checklist that revises this one, or 0 */
	char created_at[11];	/* YYYY-MM-DD */
	enum cs_approval approval;
	char notes[CS_CHECKLIST_NOTES_MAX + 1];
	bool is_signed;		/* and therefore locked */
	char reviewer[CS_CHECKLIST_REVIEWER_MAX + 1];	/* "" unless signed */
	char signed_at[11];	/* YYYY-MM-DD, "" unless signed */
	int nitems;
	struct cs_checklist_item items[CS_CHECKLIST_MAX_ITEMS];	/* items[0] is item 1 */
	int ngaps;
	struct cs_checklist_gap gaps[CS_CHECKLIST_MAX_GAPS];
};

/* One row of cs_checklist_list(). */
struct cs_checklist_summary {
	int64_t id;
	char title[CS_CHECKLIST_TITLE_MAX + 1];
	char version[CS_CHECKLIST_VERSION_MAX + 1];
	int revision;
	int64_t parent_id, revised_by;	/* 0 when none */
	enum cs_approval approval;
	bool is_signed;
	char reviewer[CS_CHECKLIST_REVIEWER_MAX + 1];
	char signed_at[11];
	char created_at[11];
	int answered, nitems;	/* progress: items with an answer, of nitems */
};

/*
 * Create a draft titled title (usually the feature under review) with the
 * definition's version and items, created on day. *id is the new id.
 */
int cs_checklist_create(struct sqlite3 *db, const struct cs_checklist_def *def,
			const char *title, int32_t day, int64_t *id,
			struct cs_diag *diag);

/*
 * Every checklist, oldest first. *out is a malloc'd array of *n rows (NULL
 * when there are none), owned by the caller: free() it.
 */
int cs_checklist_list(struct sqlite3 *db, struct cs_checklist_summary **out,
		      int *n, struct cs_diag *diag);

/* Load checklist id into *c (overwritten entirely). */
int cs_checklist_load(struct sqlite3 *db, int64_t id, struct cs_checklist *c,
		      struct cs_diag *diag);

/*
 * Answer item (1..nitems) with answer; CS_ANSWER_NONE takes the answer back.
 * note NULL keeps the item's note, "" removes it, anything else replaces it.
 */
int cs_checklist_set_answer(struct sqlite3 *db, int64_t id, int item,
			    enum cs_answer answer, const char *note,
			    struct cs_diag *diag);
/* Replace an item's note ("" or NULL removes it), keeping its answer. */
int cs_checklist_set_item_note(struct sqlite3 *db, int64_t id, int item,
			       const char *note, struct cs_diag *diag);
/* Choose the approval; CS_APPROVAL_NONE withdraws the choice. */
int cs_checklist_set_approval(struct sqlite3 *db, int64_t id, enum cs_approval a,
			      struct cs_diag *diag);
/* Replace the free notes ("" or NULL removes them). */
int cs_checklist_set_notes(struct sqlite3 *db, int64_t id, const char *notes,
			   struct cs_diag *diag);

/*
 * Normalise an issue reference into out (CS_CHECKLIST_ISSUE_MAX + 1 bytes):
 * "#123" as is, a bare "123" as "#123", a tracker key "proj-45" as
 * "PROJ-45", "owner/repo#123" or "repo#123" as is. Returns 0, or -1 with
 * *why completing "'<issue>' <why>" (as in value.h). Exposed so a form can
 * check a field before saving it.
 */
int cs_checklist_issue_norm(const char *issue, char *out, const char **why);

/*
 * Add a support-readiness gap of kind tracked by issue (normalised as
 * above). Adding a gap already listed changes nothing and succeeds. At most
 * CS_CHECKLIST_MAX_GAPS per checklist.
 */
int cs_checklist_gap_add(struct sqlite3 *db, int64_t id, enum cs_gap_kind kind,
			 const char *issue, struct cs_diag *diag);
/* Remove a gap; removing one that is not listed is an error. */
int cs_checklist_gap_remove(struct sqlite3 *db, int64_t id, enum cs_gap_kind kind,
			    const char *issue, struct cs_diag *diag);

/* Why a checklist cannot be signed: one problem per reason. */
enum cs_checklist_problem_kind {
	CS_PROBLEM_UNANSWERED,	/* item unanswered */
	CS_PROBLEM_NO_RISK,	/* item answered No without a risk note */
	CS_PROBLEM_NA_REASON,	/* item answered N/A without a justification */
	CS_PROBLEM_NO_APPROVAL,	/* no approval chosen; item is 0 */
};

struct cs_checklist_problems {
	int n;
	struct {
		enum cs_checklist_problem_kind kind;
		int item;	/* 1..nitems, 0 for the approval */
		/* "item 4 (Support Team Training) is unanswered" */
		char msg[CS_CHECKLIST_ITEM_TITLE_MAX + 80];
	} p[CS_CHECKLIST_MAX_ITEMS + 1];
};

/*
 * Every reason c cannot be signed, items in order then the approval, into
 * *out; returns out->n (0: it can be signed, unless it already is). The
 * messages, in full:
 *   item N (TITLE) is unanswered
 *   item N (TITLE) is No without a customer-support risk note
 *   item N (TITLE) is N/A without a justification
 *   no approval chosen (approved, gaps or unready)
 */
int cs_checklist_problems(const struct cs_checklist *c,
			  struct cs_checklist_problems *out);

/*
 * Sign checklist id as reviewer on day, which locks it. While problems
 * remain, nothing is written, each problem is reported as its own error
 * line "cannot sign checklist N: <problem>", probs (when not NULL) receives
 * them, and -1 is returned. An already signed checklist: CS_CHECKLIST_LOCKED.
 */
int cs_checklist_sign(struct sqlite3 *db, int64_t id, const char *reviewer,
		      int32_t day, struct cs_checklist_problems *probs,
		      struct cs_diag *diag);

/*
 * Start the next revision of signed checklist id: a copy (title, version,
 * items with their text, answers and notes, approval, gaps, notes) with
 * revision + 1, parent_id = id, created on day, unsigned. *new_id is its
 * id. Refused for a draft (change it directly) and for a checklist already
 * revised (revise the newest one).
 */
int cs_checklist_revise(struct sqlite3 *db, int64_t id, int32_t day,
			int64_t *new_id, struct cs_diag *diag);

/*
 * Write c as Markdown for the release notes: the definition's name, the
 * title, version, revision, every item (number, title, full text, answer,
 * note), the approval options with the chosen one ticked, the gaps with
 * their issues, the notes, and the sign-off (reviewer, date, version,
 * signature). The output depends on nothing but c and def. Text typed by
 * users appears as typed: Markdown's special characters are escaped.
 * Returns 0, or -1 when writing to out failed.
 */
int cs_checklist_export_md(const struct cs_checklist *c,
			   const struct cs_checklist_def *def, FILE *out);

#endif
