/*
 * cmd_checklist.c — casey checklist: the release quality checklist of
 * spec 000 (PRODUCT.md §4, §5) from the command line.
 *
 * Each subcommand takes a fixed number of operands and a few options,
 * which may come before, between or after the operands ("--" ends them):
 * `checklist set 3 6 no --note "..."` reads as typed. Output for scripts is
 * stable: `new` and `revise` print only the new id; `list` and `show` have
 * --format json. Text typed by users reaches the terminal through
 * term_safe().
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "casey/checklist.h"
#include "casey/db.h"
#include "casey/value.h"
#include "cli.h"

enum {
	OPT_NOTE = 1 << 0,	/* --note TEXT */
	OPT_REVIEWER = 1 << 1,	/* --reviewer NAME */
	OPT_FORMAT = 1 << 2,	/* --format text|json */
	OPT_OUTPUT = 1 << 3,	/* -o FILE, --output FILE */
	OPT_FORCE = 1 << 4,	/* --force */
	OPT_REMOVE = 1 << 5,	/* --remove */
};

#define MAX_OPERANDS 3

struct args {
	const char *op[MAX_OPERANDS];
	int nop;
	const char *note, *reviewer, *format, *output;
	bool force, remove;
};

struct sub {
	const char *name;
	int (*run)(struct cli *cli, const struct sub *s, struct args *a);
	int nop;		/* operands, exactly */
	unsigned opts;		/* OPT_* accepted */
	const char *usage;
};

/* term_safe() into buf: for messages that quote an argument. */
static const char *safe(const char *in, char *buf, size_t size)
{
	FILE *mem;

	memset(buf, 0, size);
	mem = fmemopen(buf, size - 1, "w");
	if (mem) {
		term_safe(mem, in);
		fclose(mem);
	}
	return buf;
}

/* "checklist SUB: what's wrong" then the subcommand's usage line; exit 2. */
__attribute__((format(printf, 2, 3)))
static int usage(const struct sub *s, const char *fmt, ...)
{
	char msg[512], buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_usage("checklist %s: %s\nusage: casey %s", s->name,
			 safe(msg, buf, sizeof(buf)), s->usage);
}

/* Split argv (after "checklist SUB") into operands and the options s accepts. */
static int parse_args(const struct sub *s, int argc, char **argv, struct args *a)
{
	static const struct { const char *name; unsigned bit; bool value; } opts[] = {
		{ "--note", OPT_NOTE, true },
		{ "--reviewer", OPT_REVIEWER, true },
		{ "--format", OPT_FORMAT, true },
		{ "--output", OPT_OUTPUT, true },
		{ "-o", OPT_OUTPUT, true },
		{ "--force", OPT_FORCE, false },
		{ "--remove", OPT_REMOVE, false },
	};
	bool operands_only = false;
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i], *value = NULL, *eq;
		size_t len, k;

		if (operands_only || arg[0] != '-' || !arg[1]) {
			if (a->nop == s->nop)
				return usage(s, "unexpected argument '%s'", arg);
			a->op[a->nop++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			operands_only = true;
			continue;
		}
		eq = strncmp(arg, "--", 2) ? NULL : strchr(arg, '=');
		len = eq ? (size_t)(eq - arg) : strlen(arg);
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (strlen(opts[k].name) == len && !strncmp(opts[k].name, arg, len))
				break;
		if (k == sizeof(opts) / sizeof(opts[0]) || !(s->opts & opts[k].bit))
			return usage(s, "unknown option '%.*s'", (int)len, arg);
		if (opts[k].value) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return usage(s, "%s needs a value", opts[k].name);
		} else if (eq) {
			return usage(s, "%s takes no value", opts[k].name);
		}
		switch (opts[k].bit) {
		case OPT_NOTE:
			a->note = value;
			break;
		case OPT_REVIEWER:
			a->reviewer = value;
			break;
		case OPT_FORMAT:
			a->format = value;
			break;
		case OPT_OUTPUT:
			a->output = value;
			break;
		case OPT_FORCE:
			a->force = true;
			break;
		case OPT_REMOVE:
			a->remove = true;
			break;
		}
	}
	if (a->nop < s->nop)
		return usage(s, "missing arguments");
	if (a->format && strcmp(a->format, "text") && strcmp(a->format, "json"))
		return usage(s, "--format is text or json, not '%s'", a->format);
	return 0;
}

/* A positive decimal number, digits only, or -1. */
static int64_t parse_number(const char *s, int64_t max)
{
	int64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v ? v : -1;
}

static int parse_id(const struct sub *s, const char *arg, int64_t *id)
{
	*id = parse_number(arg, INT64_MAX);
	if (*id < 0)
		return usage(s, "ID is a checklist number, not '%s'", arg);
	return 0;
}

/* Load checklist id (malloc'd into *c); EXIT_FAIL when it cannot be. */
static int load(struct cli *cli, sqlite3 *db, int64_t id, struct cs_checklist **c)
{
	*c = malloc(sizeof(**c));
	if (!*c) {
		cs_error(&cli->diag, "out of memory");
		return EXIT_FAIL;
	}
	if (cs_checklist_load(db, id, *c, &cli->diag)) {
		free(*c);
		*c = NULL;
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* After CS_CHECKLIST_LOCKED: say how to change a signed checklist. */
static void locked_hint(sqlite3 *db, int64_t id)
{
	struct cs_diag quiet = { 0 };
	struct cs_checklist *c = malloc(sizeof(*c));

	if (c && !cs_checklist_load(db, id, c, &quiet) && !c->revised_by)
		fprintf(stderr, "casey: to change it, start revision %d (a draft copy): "
			"casey checklist revise %lld\n", c->revision + 1, (long long)id);
	free(c);
}

/* The exit status of a core change. */
static int changed(sqlite3 *db, int64_t id, int rc)
{
	if (rc == CS_CHECKLIST_LOCKED)
		locked_hint(db, id);
	return rc ? EXIT_FAIL : EXIT_OK;
}

/* Terminal-safe text whose lines after the first are indented by indent. */
static void print_block(const char *s, int indent)
{
	char *copy = strdup(s), *line, *next;

	if (!copy)
		return;
	for (line = copy; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line != copy)
			printf("\n%*s", *line ? indent : 0, "");
		term_safe(stdout, line);
	}
	free(copy);
}

/* ---- subcommands ------------------------------------------------------------- */

static int ck_new(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_checklist_def *def = malloc(sizeof(*def));
	sqlite3 *db = NULL;
	int64_t id;
	int rc = EXIT_FAIL;

	(void)s;
	if (!def)
		return EXIT_FAIL;
	if (cs_checklist_def_load(NULL, def, &cli->diag) || cli_create_db(cli, &db))
		goto out;
	if (cs_checklist_create(db, def, a->op[0], cli->as_of, &id, &cli->diag))
		goto out;
	printf("%lld\n", (long long)id);
	rc = EXIT_OK;
out:
	cs_db_close(db);
	free(def);
	return rc;
}

static void json_id_or_null(int64_t id)
{
	if (id)
		printf("%lld", (long long)id);
	else
		fputs("null", stdout);
}

/* A JSON string, or null for "". */
static void json_str_or_null(const char *s)
{
	json_str(stdout, *s ? s : NULL);
}

static int ck_list(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_checklist_summary *rows;
	bool json = a->format && !strcmp(a->format, "json");
	sqlite3 *db;
	int n, i;

	(void)s;
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (cs_checklist_list(db, &rows, &n, &cli->diag)) {
		cs_db_close(db);
		return EXIT_FAIL;
	}
	cs_db_close(db);
	if (json) {
		putchar('[');
		for (i = 0; i < n; i++) {
			const struct cs_checklist_summary *r = &rows[i];

			printf("%s{\"id\":%lld,\"title\":", i ? "," : "", (long long)r->id);
			json_str(stdout, r->title);
			printf(",\"version\":");
			json_str(stdout, r->version);
			printf(",\"revision\":%d,\"parent\":", r->revision);
			json_id_or_null(r->parent_id);
			printf(",\"revised_by\":");
			json_id_or_null(r->revised_by);
			printf(",\"status\":\"%s\",\"approval\":", r->is_signed ? "signed" : "draft");
			json_str(stdout, cs_approval_name(r->approval));
			printf(",\"reviewer\":");
			json_str_or_null(r->reviewer);
			printf(",\"signed_at\":");
			json_str_or_null(r->signed_at);
			printf(",\"created_at\":\"%s\",\"answered\":%d,\"items\":%d}",
			       r->created_at, r->answered, r->nitems);
		}
		puts("]");
	} else if (!n) {
		puts("no checklists yet (start one: casey checklist new TITLE)");
	} else {
		printf("%4s  %3s  %-6s  %-8s  %-8s  %s\n", "ID", "REV", "STATUS", "APPROVAL",
		       "ANSWERED", "TITLE");
		for (i = 0; i < n; i++) {
			const struct cs_checklist_summary *r = &rows[i];
			const char *ap = cs_approval_name(r->approval);
			char answered[24];

			snprintf(answered, sizeof(answered), "%d/%d", r->answered, r->nitems);
			printf("%4lld  %3d  %-6s  %-8s  %-8s  ", (long long)r->id, r->revision,
			       r->is_signed ? "signed" : "draft", ap ? ap : "-", answered);
			term_safe(stdout, r->title);
			putchar('\n');
		}
	}
	free(rows);
	return EXIT_OK;
}

static void show_json(const struct cs_checklist *c, const struct cs_checklist_problems *pr)
{
	int i;

	printf("{\"id\":%lld,\"title\":", (long long)c->id);
	json_str(stdout, c->title);
	printf(",\"version\":");
	json_str(stdout, c->version);
	printf(",\"revision\":%d,\"parent\":", c->revision);
	json_id_or_null(c->parent_id);
	printf(",\"revised_by\":");
	json_id_or_null(c->revised_by);
	printf(",\"status\":\"%s\",\"created_at\":\"%s\",\"approval\":",
	       c->is_signed ? "signed" : "draft", c->created_at);
	json_str(stdout, cs_approval_name(c->approval));
	printf(",\"notes\":");
	json_str_or_null(c->notes);
	printf(",\"reviewer\":");
	json_str_or_null(c->reviewer);
	printf(",\"signed_at\":");
	json_str_or_null(c->signed_at);
	printf(",\"items\":[");
	for (i = 0; i < c->nitems; i++) {
		const struct cs_checklist_item *it = &c->items[i];

		printf("%s{\"item\":%d,\"title\":", i ? "," : "", it->number);
		json_str(stdout, it->title);
		printf(",\"text\":");
		json_str(stdout, it->text);
		printf(",\"answer\":");
		json_str(stdout, cs_answer_name(it->answer));
		printf(",\"note\":");
		json_str_or_null(it->note);
		putchar('}');
	}
	printf("],\"gaps\":[");
	for (i = 0; i < c->ngaps; i++) {
		printf("%s{\"kind\":\"%s\",\"issue\":", i ? "," : "",
		       cs_gap_kind_name(c->gaps[i].kind));
		json_str(stdout, c->gaps[i].issue);
		putchar('}');
	}
	printf("],\"problems\":[");
	for (i = 0; i < pr->n; i++) {
		printf("%s", i ? "," : "");
		json_str(stdout, pr->p[i].msg);
	}
	printf("]}\n");
}

static void show_text(const struct cs_checklist *c, const struct cs_checklist_def *def,
		      const struct cs_checklist_problems *pr)
{
	static const char *const short_answer[] = { "-", "yes", "no", "n/a" };
	static const char *const note_name[] = { "note", "note", "risk", "justification" };
	int i, k, j;

	printf("checklist %lld: ", (long long)c->id);
	term_safe(stdout, c->title);
	printf("\nversion %s, revision %d", c->version, c->revision);
	if (c->parent_id)
		printf(" (revises checklist %lld)", (long long)c->parent_id);
	printf(", created %s\n\n", c->created_at);
	for (i = 0; i < c->nitems; i++) {
		const struct cs_checklist_item *it = &c->items[i];

		printf("%3d  %-3s  ", it->number, short_answer[it->answer]);
		term_safe(stdout, it->title);
		putchar('\n');
		if (it->note[0]) {
			printf("%10s%s: ", "", note_name[it->answer]);
			print_block(it->note, 12 + (int)strlen(note_name[it->answer]));
			putchar('\n');
		}
	}
	printf("\napproval: %s\n", c->approval ? def->approval_label[c->approval] : "-");
	printf("gaps:");
	if (!c->ngaps)
		printf("     -");
	for (k = 0; k < CS_GAP_KINDS; k++) {
		bool first = true;

		for (j = 0; j < c->ngaps; j++) {
			if (c->gaps[j].kind != (enum cs_gap_kind)k)
				continue;
			if (first)
				printf("%s%s: ", j ? "\n          " : "     ",
				       def->gap_label[k]);
			else
				printf(", ");
			term_safe(stdout, c->gaps[j].issue);
			first = false;
		}
	}
	printf("\nnotes:    ");
	if (c->notes[0])
		print_block(c->notes, 10);
	else
		putchar('-');
	putchar('\n');
	if (c->is_signed) {
		printf("signed:   by ");
		term_safe(stdout, c->reviewer);
		printf(" on %s, locked", c->signed_at);
		if (c->revised_by)
			printf("; revised as checklist %lld", (long long)c->revised_by);
		putchar('\n');
	} else if (!pr->n) {
		printf("draft:    ready to sign (casey checklist sign %lld --reviewer NAME)\n",
		       (long long)c->id);
	} else {
		printf("draft:    %d to fix before signing:\n", pr->n);
		for (i = 0; i < pr->n; i++) {
			printf("            ");
			term_safe(stdout, pr->p[i].msg);
			putchar('\n');
		}
	}
}

static int ck_show(struct cli *cli, const struct sub *s, struct args *a)
{
	bool json = a->format && !strcmp(a->format, "json");
	struct cs_checklist_def *def = NULL;
	struct cs_checklist_problems pr;
	struct cs_checklist *c = NULL;
	sqlite3 *db = NULL;
	int64_t id;
	int rc;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	rc = EXIT_FAIL;
	if (!json) {
		def = malloc(sizeof(*def));
		if (!def || cs_checklist_def_load(NULL, def, &cli->diag))
			goto out;
	}
	if (cli_open_db(cli, &db) || load(cli, db, id, &c))
		goto out;
	cs_checklist_problems(c, &pr);
	if (json)
		show_json(c, &pr);
	else
		show_text(c, def, &pr);
	rc = EXIT_OK;
out:
	cs_db_close(db);
	free(c);
	free(def);
	return rc;
}

static int ck_set(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_checklist_problems pr;
	struct cs_checklist *c = NULL;
	enum cs_answer answer;
	sqlite3 *db;
	int64_t id, item;
	int rc, i;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	/* The range is the checklist's own (1..13 in v1.0): checked once loaded. */
	item = parse_number(a->op[1], INT_MAX);
	if (item < 0)
		return usage(s, "ITEM is an item number, not '%s'", a->op[1]);
	if (cs_answer_parse(a->op[2], &answer))
		return usage(s, "the answer is yes, no or na, not '%s'", a->op[2]);
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (load(cli, db, id, &c)) {
		cs_db_close(db);
		return EXIT_FAIL;
	}
	if (item < 1 || item > c->nitems) {
		rc = usage(s, "ITEM is 1..%d, not '%s'", c->nitems, a->op[1]);
		goto out;
	}
	rc = changed(db, id, cs_checklist_set_answer(db, id, (int)item, answer, a->note,
						     &cli->diag));
	free(c);
	c = NULL;
	if (rc || load(cli, db, id, &c))
		goto out;
	printf("checklist %lld: item %d (", (long long)id, (int)item);
	term_safe(stdout, c->items[item - 1].title);
	printf("): %s\n", cs_answer_label(answer));
	/* A No or N/A still missing its note: say so now, not at signing. */
	cs_checklist_problems(c, &pr);
	for (i = 0; i < pr.n; i++)
		if (pr.p[i].item == item)
			fprintf(stderr, "casey: warning: %s; add it with --note TEXT before "
				"signing\n", pr.p[i].kind == CS_PROBLEM_NO_RISK ?
				"a No needs the customer-support risk written down" :
				"an N/A needs a justification");
out:
	free(c);
	cs_db_close(db);
	return rc;
}

static int ck_approve(struct cli *cli, const struct sub *s, struct args *a)
{
	enum cs_approval ap;
	sqlite3 *db;
	int64_t id;
	int rc;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	if (cs_approval_parse(a->op[1], &ap))
		return usage(s, "the approval is approved, gaps or unready, not '%s'", a->op[1]);
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = changed(db, id, cs_checklist_set_approval(db, id, ap, &cli->diag));
	cs_db_close(db);
	if (!rc)
		printf("checklist %lld: approval %s\n", (long long)id, cs_approval_name(ap));
	return rc;
}

static int ck_gap(struct cli *cli, const struct sub *s, struct args *a)
{
	char issue[CS_CHECKLIST_ISSUE_MAX + 1];
	enum cs_gap_kind kind;
	const char *why;
	sqlite3 *db;
	int64_t id;
	int rc;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	if (cs_gap_kind_parse(a->op[1], &kind))
		return usage(s, "the gap is docs, training or communication, not '%s'",
			     a->op[1]);
	if (cs_checklist_issue_norm(a->op[2], issue, &why))
		return usage(s, "'%s' %s", a->op[2], why);
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = changed(db, id, a->remove ?
		     cs_checklist_gap_remove(db, id, kind, issue, &cli->diag) :
		     cs_checklist_gap_add(db, id, kind, issue, &cli->diag));
	cs_db_close(db);
	if (!rc)
		printf("checklist %lld: %s gap %s %s\n", (long long)id, cs_gap_kind_name(kind),
		       issue, a->remove ? "removed" : "listed");
	return rc;
}

static int ck_notes(struct cli *cli, const struct sub *s, struct args *a)
{
	sqlite3 *db;
	int64_t id;
	int rc;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = changed(db, id, cs_checklist_set_notes(db, id, a->op[1], &cli->diag));
	cs_db_close(db);
	if (!rc)
		printf("checklist %lld: notes saved\n", (long long)id);
	return rc;
}

static int ck_sign(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_checklist *c = NULL;
	sqlite3 *db;
	int64_t id;
	int rc;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	if (!a->reviewer)
		return usage(s, "--reviewer NAME is required");
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = changed(db, id, cs_checklist_sign(db, id, a->reviewer, cli->as_of, NULL,
					       &cli->diag));
	if (!rc && !(rc = load(cli, db, id, &c))) {
		printf("checklist %lld signed by ", (long long)id);
		term_safe(stdout, c->reviewer);
		printf(" on %s; it is now locked\n", c->signed_at);
	}
	free(c);
	cs_db_close(db);
	return rc;
}

static int ck_revise(struct cli *cli, const struct sub *s, struct args *a)
{
	sqlite3 *db;
	int64_t id, nid;
	int rc;

	if ((rc = parse_id(s, a->op[0], &id)))
		return rc;
	if (cli_open_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_checklist_revise(db, id, cli->as_of, &nid, &cli->diag) ? EXIT_FAIL : EXIT_OK;
	cs_db_close(db);
	if (!rc)
		printf("%lld\n", (long long)nid);
	return rc;
}


static int ck_export(struct cli *cli, const struct sub *s, struct args *a)
{
	struct cs_checklist_def *def = malloc(sizeof(*def));
	struct cs_checklist *c = NULL;
	sqlite3 *db = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int64_t id;
	int rc;

	if (!def)
		return EXIT_FAIL;
	if ((rc = parse_id(s, a->op[0], &id))) {
		free(def);
		return rc;
	}
	if (a->force && !a->output) {
		free(def);
		return usage(s, "--force goes with -o FILE");
	}
	rc = EXIT_FAIL;
	if (cs_checklist_def_load(NULL, def, &cli->diag) || cli_open_db(cli, &db) ||
	    load(cli, db, id, &c))
		goto out;
	mem = open_memstream(&buf, &len);
	if (!mem) {
		cs_error(&cli->diag, "out of memory");
		goto out;
	}
	rc = cs_checklist_export_md(c, def, mem);
	if (fclose(mem) || rc) {
		rc = EXIT_FAIL;
		cs_error(&cli->diag, "out of memory");
		goto out;
	}
	rc = cli_output(cli, a->output, a->force, buf, len) ? EXIT_FAIL : EXIT_OK;
out:
	free(buf);
	free(c);
	cs_db_close(db);
	free(def);
	return rc;
}

static const struct sub subs[] = {
	{ "new", ck_new, 1, 0, "checklist new TITLE" },
	{ "list", ck_list, 0, OPT_FORMAT, "checklist list [--format text|json]" },
	{ "show", ck_show, 1, OPT_FORMAT, "checklist show ID [--format text|json]" },
	{ "set", ck_set, 3, OPT_NOTE, "checklist set ID ITEM yes|no|na [--note TEXT]" },
	{ "approve", ck_approve, 2, 0, "checklist approve ID approved|gaps|unready" },
	{ "gap", ck_gap, 3, OPT_REMOVE,
	  "checklist gap ID docs|training|communication ISSUE [--remove]" },
	{ "notes", ck_notes, 2, 0, "checklist notes ID TEXT" },
	{ "sign", ck_sign, 1, OPT_REVIEWER, "checklist sign ID --reviewer NAME" },
	{ "revise", ck_revise, 1, 0, "checklist revise ID" },
	{ "export", ck_export, 1, OPT_OUTPUT | OPT_FORCE,
	  "checklist export ID [-o FILE [--force]]" },
	{ NULL, NULL, 0, 0, NULL },
};

static void subcommand_help(FILE *out)
{
	const struct sub *s;

	fputs("usage:\n", out);
	for (s = subs; s->name; s++)
		fprintf(out, "  casey %s\n", s->usage);
	fputs("ITEM is the item's number, 1..13 in v1.0. A No needs --note with the\n"
	      "customer-support risk, an N/A --note with its justification. A signed\n"
	      "checklist is locked: 'revise' starts its next revision (a draft copy).\n"
	      "Dates are the --as-of day. 'export -o FILE' refuses an existing FILE\n"
	      "unless --force.\n", out);
}

int cmd_checklist(struct cli *cli, int argc, char **argv)
{
	const struct sub *s;
	struct args a;
	int rc;

	if (argc < 2) {
		subcommand_help(stderr);
		return cli_usage("checklist: which subcommand?");
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		subcommand_help(stdout);
		return EXIT_OK;
	}
	for (s = subs; s->name; s++)
		if (!strcmp(s->name, argv[1]))
			break;
	if (!s->name) {
		char buf[512];

		subcommand_help(stderr);
		return cli_usage("checklist: unknown subcommand '%s'",
				 safe(argv[1], buf, sizeof(buf)));
	}
	if ((rc = parse_args(s, argc - 2, argv + 2, &a)))
		return rc;
	return s->run(cli, s, &a);
}
