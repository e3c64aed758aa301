/*
 * test_checklist.c — the release quality checklist: its definition file,
 * signing refused with the exact list of reasons and each fix removing its
 * own, the lock after signing (in the core and in the database), revisions,
 * issue references, and the exact Markdown export.
 */
#include "testutil.h"

#include <sqlite3.h>

#include "casey/checklist.h"
#include "casey/db.h"
#include "casey/value.h"

struct fixture {
	sqlite3 *db;
	struct captured cap;
	struct cs_diag diag;
	struct cs_checklist_def def;
	struct cs_checklist c;
	struct cs_checklist_problems pr;
};

static int32_t day(const char *s)
{
	int32_t d;

	if (cs_parse_day(s, &d))
		abort();
	return d;
}

static int setup(void **state)
{
	static int n;
	struct fixture *f = calloc(1, sizeof(*f));
	char path[512];

	f->diag = capture_diag(&f->cap);
	snprintf(path, sizeof(path), "%s/c%d.db", scratch_dir(), n++);
	assert_int_equal(cs_db_open(path, CS_DB_OPEN, &f->db, &f->diag), 0);
	assert_int_equal(cs_checklist_def_load(NULL, &f->def, &f->diag), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cs_db_close(f->db);
	free(f);
	return 0;
}

/* Forget the lines captured so far. */
static void reset(struct fixture *f)
{
	f->diag = capture_diag(&f->cap);
}

static int64_t create(struct fixture *f, const char *title)
{
	int64_t id = 0;

	assert_int_equal(cs_checklist_create(f->db, &f->def, title, day("2026-11-18"), &id,
					     &f->diag), 0);
	return id;
}

static void load(struct fixture *f, int64_t id)
{
	assert_int_equal(cs_checklist_load(f->db, id, &f->c, &f->diag), 0);
}

static void answer(struct fixture *f, int64_t id, int item, enum cs_answer a,
		   const char *note)
{
	assert_int_equal(cs_checklist_set_answer(f->db, id, item, a, note, &f->diag), 0);
}

/* The problems of checklist id right now. */
static int problems(struct fixture *f, int64_t id)
{
	load(f, id);
	return cs_checklist_problems(&f->c, &f->pr);
}

/* Every item Yes except those the caller changes afterwards. */
static void all_yes(struct fixture *f, int64_t id)
{
	int i;

	for (i = 1; i <= 13; i++)
		answer(f, id, i, CS_ANSWER_YES, NULL);
}

/* The filled checklist of the export test: answers, notes, gaps, approval. */
static int64_t filled(struct fixture *f)
{
	int64_t id = create(f, "Bulk export (v2.1)");

	all_yes(f, id);
	answer(f, id, 2, CS_ANSWER_NO, "Customers will open how-to tickets until\n"
	       "DOCS-7 ships: *CSV* exports_only.");
	answer(f, id, 10, CS_ANSWER_NA, "  No existing behaviour changes.  ");
	answer(f, id, 13, CS_ANSWER_YES, "Tucker (QA) for P0/P1.");
	assert_int_equal(cs_checklist_set_approval(f->db, id, CS_APPROVAL_GAPS, &f->diag), 0);
	assert_int_equal(cs_checklist_gap_add(f->db, id, CS_GAP_DOCS, "DOCS-7", &f->diag), 0);
	assert_int_equal(cs_checklist_gap_add(f->db, id, CS_GAP_DOCS, "123", &f->diag), 0);
	assert_int_equal(cs_checklist_gap_add(f->db, id, CS_GAP_COMMUNICATION, "proj-45",
					      &f->diag), 0);
	assert_int_equal(cs_checklist_set_notes(f->db, id, "Enterprise first.\n\n"
						"# not a heading", &f->diag), 0);
	return id;
}

static long long q_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -999;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* ---- the definition ----------------------------------------------------- */

static void test_definition(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(f->def.name, "Customer Success Quality Checklist");
	assert_string_equal(f->def.version, "1.0");
	assert_int_equal(f->def.nitems, 13);
	assert_string_equal(f->def.items[0].title, "Customer Communication");
	assert_string_equal(f->def.items[0].text, "Customer-facing announcement drafted "
			    "(release notes, blog post, email)");
	assert_string_equal(f->def.items[5].title, "Migration Path");
	assert_string_equal(f->def.items[5].text, "Existing users have clear "
			    "migration/upgrade path (if feature changes behavior)");
	assert_string_equal(f->def.items[12].title, "Escalation Path");
	assert_string_equal(f->def.approval_label[CS_APPROVAL_GAPS], "Approved with Gaps");
	assert_string_equal(f->def.approval_label[CS_APPROVAL_UNREADY], "Support Unready");
	assert_string_equal(f->def.gap_label[CS_GAP_TRAINING], "Support team not trained");
}

static void test_definition_errors(void **state)
{
	struct fixture *f = *state;
	struct cs_checklist_def *d = malloc(sizeof(*d));
	const char *path;
	char want[600];

	path = write_file("holes.ini", "[checklist]\nname = X\nversion = 1.1\n"
			  "[item.1]\ntitle = A\ntext = a\n[item.3]\ntitle = C\ntext = c\n"
			  "[approval.approved]\nlabel = OK\n[approval.gaps]\nlabel = G\n"
			  "[approval.unready]\nlabel = U\n[gap.docs]\nlabel = D\n"
			  "[gap.training]\nlabel = T\n[gap.communication]\nlabel = C\n");
	reset(f);
	assert_int_equal(cs_checklist_def_load(path, d, &f->diag), -1);
	snprintf(want, sizeof(want), "%s: no [item.2] (items are numbered 1..3 without "
		 "holes)", path);
	assert_true(captured_has(&f->cap, want));

	path = write_file("badkey.ini", "[checklist]\nname = X\n\n[approval.maybe]\n"
			  "label = M\n");
	reset(f);
	assert_int_equal(cs_checklist_def_load(path, d, &f->diag), -1);
	snprintf(want, sizeof(want), "%s:5: [approval.maybe]: the approvals are "
		 "approved, gaps and unready", path);
	assert_true(captured_has(&f->cap, want));

	path = write_file("nolabel.ini", "[checklist]\nname = X\nversion = 1\n"
			  "[item.1]\ntitle = A\ntext = a\n[approval.approved]\nlabel = OK\n"
			  "[approval.gaps]\nlabel = G\n[approval.unready]\nlabel = U\n"
			  "[gap.docs]\nlabel = D\n[gap.training]\nlabel = T\n");
	reset(f);
	assert_int_equal(cs_checklist_def_load(path, d, &f->diag), -1);
	snprintf(want, sizeof(want), "%s: no label for [gap.communication]", path);
	assert_true(captured_has(&f->cap, want));
	free(d);
}

/* ---- creating, loading, listing ---------------------------------------- */

static void test_create_and_load(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "  Bulk export  ");
	int i;

	assert_int_equal(id, 1);
	load(f, id);
	assert_string_equal(f->c.title, "Bulk export");
	assert_string_equal(f->c.version, "1.0");
	assert_int_equal(f->c.revision, 1);
	assert_int_equal(f->c.parent_id, 0);
	assert_int_equal(f->c.revised_by, 0);
	assert_string_equal(f->c.created_at, "2026-11-18");
	assert_false(f->c.is_signed);
	assert_int_equal(f->c.approval, CS_APPROVAL_NONE);
	assert_int_equal(f->c.nitems, 13);
	for (i = 0; i < 13; i++) {
		assert_int_equal(f->c.items[i].number, i + 1);
		assert_int_equal(f->c.items[i].answer, CS_ANSWER_NONE);
		assert_string_equal(f->c.items[i].title, f->def.items[i].title);
		assert_string_equal(f->c.items[i].text, f->def.items[i].text);
		assert_string_equal(f->c.items[i].note, "");
	}
	assert_int_equal(f->c.ngaps, 0);

	reset(f);
	assert_int_equal(cs_checklist_load(f->db, 42, &f->c, &f->diag), -1);
	assert_true(captured_has(&f->cap, "no checklist 42"));
	reset(f);
	assert_int_equal(cs_checklist_set_answer(f->db, 42, 1, CS_ANSWER_YES, NULL,
						 &f->diag), -1);
	assert_true(captured_has(&f->cap, "no checklist 42"));
}

static void test_list(void **state)
{
	struct fixture *f = *state;
	struct cs_checklist_summary *rows;
	int64_t a = create(f, "Alpha"), b = create(f, "Beta");
	int n;

	answer(f, b, 1, CS_ANSWER_YES, NULL);
	answer(f, b, 2, CS_ANSWER_NA, "internal only");
	assert_int_equal(cs_checklist_set_approval(f->db, b, CS_APPROVAL_UNREADY, &f->diag), 0);
	assert_int_equal(cs_checklist_list(f->db, &rows, &n, &f->diag), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, a);
	assert_string_equal(rows[0].title, "Alpha");
	assert_int_equal(rows[0].answered, 0);
	assert_int_equal(rows[0].nitems, 13);
	assert_int_equal(rows[0].approval, CS_APPROVAL_NONE);
	assert_int_equal(rows[1].id, b);
	assert_int_equal(rows[1].answered, 2);
	assert_int_equal(rows[1].approval, CS_APPROVAL_UNREADY);
	assert_false(rows[1].is_signed);
	assert_int_equal(rows[1].revision, 1);
	free(rows);
}

static void test_bad_input(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "Checks"), other;
	char big[CS_CHECKLIST_NOTE_MAX + 2];

	reset(f);
	assert_int_equal(cs_checklist_create(f->db, &f->def, " \t", 0, &other, &f->diag), -1);
	assert_true(captured_has(&f->cap, "the title is empty"));
	reset(f);
	assert_int_equal(cs_checklist_create(f->db, &f->def, "a\033[2Jb", 0, &other,
					     &f->diag), -1);
	assert_true(captured_has(&f->cap, "the title must not contain control characters "
				 "(nor line breaks or tabs)"));
	reset(f);
	assert_int_equal(cs_checklist_set_answer(f->db, id, 14, CS_ANSWER_YES, NULL,
						 &f->diag), -1);
	assert_true(captured_has(&f->cap, "checklist 1 has no item 14 (items are 1..13)"));
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	reset(f);
	assert_int_equal(cs_checklist_set_answer(f->db, id, 2, CS_ANSWER_NO, big,
						 &f->diag), -1);
	assert_true(captured_has(&f->cap, "the note of item 2 must be at most 2000 bytes"));
	reset(f);
	assert_int_equal(cs_checklist_gap_add(f->db, id, CS_GAP_DOCS, "soon", &f->diag), -1);
	assert_true(captured_has(&f->cap, "'soon' is not an issue reference (#123, "
				 "PROJ-45 or owner/repo#123)"));
	reset(f);
	assert_int_equal(cs_checklist_gap_remove(f->db, id, CS_GAP_TRAINING, "#9",
						 &f->diag), -1);
	assert_true(captured_has(&f->cap, "checklist 1 has no training gap #9"));
	reset(f);
	assert_int_equal(cs_checklist_sign(f->db, id, "  ", 0, NULL, &f->diag), -1);
	assert_true(captured_has(&f->cap, "the reviewer's name is empty"));
	/* Nothing of that was stored. */
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM checklists"), 1);
	assert_int_equal(q_int(f->db, "SELECT count(answer) + count(note) FROM "
			       "checklist_items"), 0);
}

static void test_issue_references(void **state)
{
	static const struct { const char *in, *out; } ok[] = {
		{ "#123", "#123" },
		{ "123", "#123" },
		{ " PROJ-45 ", "PROJ-45" },
		{ "proj-45", "PROJ-45" },
		{ "Ab_2-7", "AB_2-7" },
		{ "casey#12", "casey#12" },
		{ "acme/casey#12", "acme/casey#12" },
	};
	static const char *const bad[] = {
		"", "#", "#12a", "PROJ-", "-45", "PROJ 45", "a/b/c#1", "/x#1", "x/#1",
		"soon", "4-5", "PROJ-45-1",
	};
	char out[CS_CHECKLIST_ISSUE_MAX + 1];
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(cs_checklist_issue_norm(ok[i].in, out, &why), 0);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!cs_checklist_issue_norm(bad[i], out, &why))
			fail_msg("'%s' accepted as '%s'", bad[i], out);
		assert_string_equal(why, "is not an issue reference (#123, PROJ-45 or "
				    "owner/repo#123)");
	}
}

/* ---- signing ------------------------------------------------------------ */

static void test_sign_refused_with_every_reason(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "Bulk export");
	struct cs_checklist_problems pr;
	int i;

	answer(f, id, 1, CS_ANSWER_YES, NULL);
	answer(f, id, 2, CS_ANSWER_NO, NULL);
	answer(f, id, 3, CS_ANSWER_NA, NULL);
	for (i = 5; i <= 13; i++)
		answer(f, id, i, CS_ANSWER_YES, NULL);
	reset(f);
	assert_int_equal(cs_checklist_sign(f->db, id, "Casey", day("2026-11-20"), &pr,
					   &f->diag), -1);
	assert_int_equal(f->cap.n, 4);
	assert_string_equal(f->cap.lines[0], "cannot sign checklist 1: item 2 (Support "
			    "Documentation) is No without a customer-support risk note");
	assert_string_equal(f->cap.lines[1], "cannot sign checklist 1: item 3 (FAQ "
			    "Prepared) is N/A without a justification");
	assert_string_equal(f->cap.lines[2], "cannot sign checklist 1: item 4 (Support "
			    "Team Training) is unanswered");
	assert_string_equal(f->cap.lines[3], "cannot sign checklist 1: no approval chosen "
			    "(approved, gaps or unready)");
	for (i = 0; i < 4; i++)
		assert_int_equal(f->cap.level[i], CS_ERROR);
	/* The same list, for a form. */
	assert_int_equal(pr.n, 4);
	assert_int_equal(pr.p[0].kind, CS_PROBLEM_NO_RISK);
	assert_int_equal(pr.p[0].item, 2);
	assert_int_equal(pr.p[1].kind, CS_PROBLEM_NA_REASON);
	assert_int_equal(pr.p[1].item, 3);
	assert_int_equal(pr.p[2].kind, CS_PROBLEM_UNANSWERED);
	assert_int_equal(pr.p[2].item, 4);
	assert_int_equal(pr.p[3].kind, CS_PROBLEM_NO_APPROVAL);
	assert_int_equal(pr.p[3].item, 0);
	assert_string_equal(pr.p[2].msg, "item 4 (Support Team Training) is unanswered");
	/* Nothing was written. */
	load(f, id);
	assert_false(f->c.is_signed);
	assert_int_equal(q_int(f->db, "SELECT count(*) FROM checklists WHERE "
			       "reviewer IS NOT NULL OR signed_at IS NOT NULL"), 0);

	/* A fresh checklist: all thirteen items and the approval. */
	assert_int_equal(problems(f, create(f, "Empty")), 14);
	assert_string_equal(f->pr.p[0].msg, "item 1 (Customer Communication) is unanswered");
	assert_string_equal(f->pr.p[12].msg, "item 13 (Escalation Path) is unanswered");
	assert_int_equal(f->pr.p[13].kind, CS_PROBLEM_NO_APPROVAL);
}

static void test_each_fix_removes_its_reason(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "Bulk export");

	all_yes(f, id);
	answer(f, id, 6, CS_ANSWER_NO, NULL);
	answer(f, id, 10, CS_ANSWER_NA, NULL);
	answer(f, id, 12, CS_ANSWER_NONE, NULL);
	assert_int_equal(problems(f, id), 4);
	assert_string_equal(f->pr.p[0].msg, "item 6 (Migration Path) is No without a "
			    "customer-support risk note");
	assert_string_equal(f->pr.p[1].msg, "item 10 (Breaking Changes) is N/A without a "
			    "justification");
	assert_string_equal(f->pr.p[2].msg, "item 12 (Support Ticket Tagging) is unanswered");

	/* The risk note, given separately from the answer. */
	assert_int_equal(cs_checklist_set_item_note(f->db, id, 6, "Existing exports "
						    "change format", &f->diag), 0);
	assert_int_equal(problems(f, id), 3);
	assert_int_equal(f->pr.p[0].item, 10);
	/* Answering again without a note keeps it. */
	answer(f, id, 6, CS_ANSWER_NO, NULL);
	assert_int_equal(problems(f, id), 3);

	/* A blank justification is no justification. */
	answer(f, id, 10, CS_ANSWER_NA, " \n\t ");
	assert_int_equal(problems(f, id), 3);
	assert_int_equal(f->pr.p[0].kind, CS_PROBLEM_NA_REASON);
	answer(f, id, 10, CS_ANSWER_NA, "No breaking changes in this release");
	assert_int_equal(problems(f, id), 2);
	assert_int_equal(f->pr.p[0].item, 12);

	answer(f, id, 12, CS_ANSWER_YES, NULL);
	assert_int_equal(problems(f, id), 1);
	assert_int_equal(f->pr.p[0].kind, CS_PROBLEM_NO_APPROVAL);

	/* Non-blocking: Support Unready can be signed. */
	assert_int_equal(cs_checklist_set_approval(f->db, id, CS_APPROVAL_UNREADY,
						   &f->diag), 0);
	assert_int_equal(problems(f, id), 0);
	reset(f);
	assert_int_equal(cs_checklist_sign(f->db, id, " Casey (Customer Success) ",
					   day("2026-11-20"), NULL, &f->diag), 0);
	assert_int_equal(f->cap.n, 0);
	load(f, id);
	assert_true(f->c.is_signed);
	assert_string_equal(f->c.reviewer, "Casey (Customer Success)");
	assert_string_equal(f->c.signed_at, "2026-11-20");
	/* The note survives a change of answer unless replaced. */
	assert_string_equal(f->c.items[5].note, "Existing exports change format");
}

static void test_signed_is_locked(void **state)
{
	struct fixture *f = *state;
	int64_t id = filled(f), nid;
	static const char locked[] = "checklist 1 was signed by Casey on 2026-11-20 and "
				     "is locked; changes need a new revision";
	char *err = NULL;

	assert_int_equal(cs_checklist_sign(f->db, id, "Casey", day("2026-11-20"), NULL,
					   &f->diag), 0);
#define REFUSED(call)							\
	do {								\
		reset(f);						\
		assert_int_equal((call), CS_CHECKLIST_LOCKED);		\
		assert_int_equal(f->cap.n, 1);				\
		assert_string_equal(f->cap.lines[0], locked);		\
	} while (0)
	REFUSED(cs_checklist_set_answer(f->db, id, 1, CS_ANSWER_NO, "x", &f->diag));
	REFUSED(cs_checklist_set_item_note(f->db, id, 2, "changed", &f->diag));
	REFUSED(cs_checklist_set_approval(f->db, id, CS_APPROVAL_APPROVED, &f->diag));
	REFUSED(cs_checklist_set_notes(f->db, id, "changed", &f->diag));
	REFUSED(cs_checklist_gap_add(f->db, id, CS_GAP_TRAINING, "#9", &f->diag));
	REFUSED(cs_checklist_gap_remove(f->db, id, CS_GAP_DOCS, "#123", &f->diag));
	REFUSED(cs_checklist_sign(f->db, id, "Someone else", day("2026-11-21"), NULL,
				  &f->diag));
#undef REFUSED
	load(f, id);
	assert_int_equal(f->c.items[0].answer, CS_ANSWER_YES);
	assert_string_equal(f->c.reviewer, "Casey");
	assert_string_equal(f->c.signed_at, "2026-11-20");
	assert_int_equal(f->c.ngaps, 3);

	/* The database refuses too, whoever writes. */
	assert_int_not_equal(sqlite3_exec(f->db, "UPDATE checklist_items SET answer = 'no' "
					  "WHERE checklist_id = 1 AND item = 1", NULL, NULL,
					  &err), SQLITE_OK);
	assert_string_equal(err, "the checklist is signed and locked");
	sqlite3_free(err);
	assert_int_not_equal(sqlite3_exec(f->db, "UPDATE checklists SET notes = 'x' WHERE "
					  "checklist_id = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(f->db, "DELETE FROM checklist_gaps", NULL, NULL,
					  NULL), SQLITE_OK);

	/* Once revised, the message points at the revision. */
	assert_int_equal(cs_checklist_revise(f->db, id, day("2026-11-21"), &nid, &f->diag), 0);
	reset(f);
	assert_int_equal(cs_checklist_set_notes(f->db, id, "x", &f->diag), CS_CHECKLIST_LOCKED);
	assert_true(captured_has(&f->cap, "checklist 1 was signed by Casey on 2026-11-20 "
				 "and is locked; it was revised as checklist 2"));
}

static void test_revise(void **state)
{
	struct fixture *f = *state;
	struct cs_checklist *old = malloc(sizeof(*old));
	int64_t id = filled(f), nid = 0, nid2;
	int i;

	reset(f);
	assert_int_equal(cs_checklist_revise(f->db, id, day("2026-11-21"), &nid, &f->diag), -1);
	assert_true(captured_has(&f->cap, "checklist 1 is not signed: change it directly "
				 "(a new revision is for a signed checklist)"));
	assert_int_equal(cs_checklist_sign(f->db, id, "Casey", day("2026-11-20"), NULL,
					   &f->diag), 0);
	assert_int_equal(cs_checklist_revise(f->db, id, day("2026-11-21"), &nid, &f->diag), 0);
	assert_int_equal(nid, 2);
	assert_int_equal(cs_checklist_load(f->db, id, old, &f->diag), 0);
	assert_int_equal(old->revised_by, nid);
	load(f, nid);
	assert_int_equal(f->c.revision, 2);
	assert_int_equal(f->c.parent_id, id);
	assert_int_equal(f->c.revised_by, 0);
	assert_false(f->c.is_signed);
	assert_string_equal(f->c.reviewer, "");
	assert_string_equal(f->c.signed_at, "");
	assert_string_equal(f->c.created_at, "2026-11-21");
	assert_string_equal(f->c.title, old->title);
	assert_string_equal(f->c.version, old->version);
	assert_string_equal(f->c.notes, old->notes);
	assert_int_equal(f->c.approval, CS_APPROVAL_GAPS);
	assert_int_equal(f->c.nitems, 13);
	for (i = 0; i < 13; i++) {
		assert_int_equal(f->c.items[i].answer, old->items[i].answer);
		assert_string_equal(f->c.items[i].note, old->items[i].note);
		assert_string_equal(f->c.items[i].text, old->items[i].text);
	}
	assert_int_equal(f->c.ngaps, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(f->c.gaps[i].kind, old->gaps[i].kind);
		assert_string_equal(f->c.gaps[i].issue, old->gaps[i].issue);
	}
	/* Nothing blocks signing it as is; it is editable. */
	assert_int_equal(problems(f, nid), 0);
	answer(f, nid, 4, CS_ANSWER_NO, "Training moved to next week");
	assert_int_equal(cs_checklist_gap_add(f->db, nid, CS_GAP_TRAINING, "#88", &f->diag), 0);
	assert_int_equal(cs_checklist_load(f->db, id, old, &f->diag), 0);
	assert_int_equal(old->items[3].answer, CS_ANSWER_YES);	/* the original is intact */
	assert_int_equal(old->ngaps, 3);

	/* A chain: revise the newest, not the same one twice. */
	reset(f);
	assert_int_equal(cs_checklist_revise(f->db, id, day("2026-11-22"), &nid2, &f->diag), -1);
	assert_true(captured_has(&f->cap, "checklist 1 was already revised as checklist 2"));
	assert_int_equal(cs_checklist_sign(f->db, nid, "Casey", day("2026-11-22"), NULL,
					   &f->diag), 0);
	assert_int_equal(cs_checklist_revise(f->db, nid, day("2026-11-23"), &nid2, &f->diag), 0);
	load(f, nid2);
	assert_int_equal(f->c.revision, 3);
	assert_int_equal(f->c.parent_id, nid);
	free(old);
}

/* ---- export ------------------------------------------------------------- */

static const char expected_md[] =
"# Customer Success Quality Checklist: Bulk export (v2.1)\n"
"\n"
"- **Checklist Version**: 1.0\n"
"- **Revision**: 1\n"
"- **Status**: Signed\n"
"\n"
"## Checklist Items\n"
"\n"
"1. **Customer Communication**: Customer-facing announcement drafted (release notes, blog post, email)\n"
"   - **Answer**: Yes\n"
"2. **Support Documentation**: Help center articles created or updated for new feature\n"
"   - **Answer**: No\n"
"   - **Customer-support risk**: Customers will open how-to tickets until\\\n"
"     DOCS-7 ships: \\*CSV\\* exports\\_only.\n"
"3. **FAQ Prepared**: Common questions anticipated and answers documented\n"
"   - **Answer**: Yes\n"
"4. **Support Team Training**: Support team trained on new feature functionality\n"
"   - **Answer**: Yes\n"
"5. **User Onboarding**: In-app onboarding or tooltips created for feature discovery\n"
"   - **Answer**: Yes\n"
"6. **Migration Path**: Existing users have clear migration/upgrade path (if feature changes behavior)\n"
"   - **Answer**: Yes\n"
"7. **Rollback Communication**: Plan for communicating rollback to customers (if needed)\n"
"   - **Answer**: Yes\n"
"8. **Feedback Mechanism**: Way for users to provide feedback on new feature (survey, feedback form)\n"
"   - **Answer**: Yes\n"
"9. **Success Metrics Communication**: How feature success will be measured and communicated to customers\n"
"   - **Answer**: Yes\n"
"10. **Breaking Changes**: Breaking changes clearly communicated with sufficient notice\n"
"    - **Answer**: N/A\n"
"    - **Justification**: No existing behaviour changes.\n"
"11. **Customer Segmentation**: Identified which customer segments benefit most from feature\n"
"    - **Answer**: Yes\n"
"12. **Support Ticket Tagging**: New tags/categories created for feature-related support tickets\n"
"    - **Answer**: Yes\n"
"13. **Escalation Path**: Escalation path defined for critical issues with new feature\n"
"    - **Answer**: Yes\n"
"    - **Note**: Tucker (QA) for P0/P1.\n"
"\n"
"## Approval\n"
"\n"
"- [ ] Approved (customer success ready)\n"
"- [x] Approved with Gaps (documentation/training gaps, will address quickly post-launch)\n"
"- [ ] Support Unready (significant gaps, recommend delaying launch)\n"
"\n"
"## Support Readiness Gaps\n"
"\n"
"- [x] Documentation incomplete (issues: #123, DOCS-7)\n"
"- [ ] Support team not trained\n"
"- [x] Customer communication not drafted (issue: PROJ-45)\n"
"\n"
"## Notes\n"
"\n"
"Enterprise first.\n"
"\n"
"\\# not a heading\n"
"\n"
"## Sign-off\n"
"\n"
"- **Reviewer**: Casey (Customer Success)\n"
"- **Date**: 2026-11-20\n"
"- **Checklist Version**: 1.0\n"
"- **Signature**: /s/ Casey (Customer Success)\n";

static char *export_string(struct fixture *f, int64_t id)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	load(f, id);
	assert_int_equal(cs_checklist_export_md(&f->c, &f->def, mem), 0);
	fclose(mem);
	return buf;
}

static void test_export_markdown(void **state)
{
	struct fixture *f = *state;
	int64_t id = filled(f);
	char *md, *again;

	assert_int_equal(cs_checklist_sign(f->db, id, "Casey (Customer Success)",
					   day("2026-11-20"), NULL, &f->diag), 0);
	md = export_string(f, id);
	assert_string_equal(md, expected_md);
	/* Deterministic: the same bytes every time. */
	again = export_string(f, id);
	assert_string_equal(md, again);
	free(md);
	free(again);
}

static void test_export_draft(void **state)
{
	struct fixture *f = *state;
	int64_t id = create(f, "Draft [beta] <b>");
	char *md;

	md = export_string(f, id);
	assert_non_null(strstr(md, "# Customer Success Quality Checklist: Draft \\[beta\\] "
			       "\\<b>\n"));
	assert_non_null(strstr(md, "- **Status**: Draft (not signed)\n"));
	assert_non_null(strstr(md, "4. **Support Team Training**: Support team trained on "
			       "new feature functionality\n   - **Answer**: _unanswered_\n"));
	assert_non_null(strstr(md, "- [ ] Approved (customer success ready)\n"
			       "- [ ] Approved with Gaps"));
	assert_non_null(strstr(md, "## Notes\n\n_None._\n"));
	assert_non_null(strstr(md, "- **Reviewer**: _not signed_\n- **Date**: _not signed_\n"
			       "- **Checklist Version**: 1.0\n- **Signature**: _not signed_\n"));
	free(md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_definition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_definition_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
		cmocka_unit_test(test_issue_references),
		cmocka_unit_test_setup_teardown(test_sign_refused_with_every_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_each_fix_removes_its_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_signed_is_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revise, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_markdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_export_draft, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
