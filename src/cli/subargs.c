/* subargs.c — subcommands, operands and options of plan and review. See subargs.h. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casey/plans.h"
#include "subargs.h"

static const char *current_cmd = "";

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

int sub_usage(const struct sub *s, const char *fmt, ...)
{
	char msg[512], buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return cli_usage("%s %s: %s\nusage: casey %s", current_cmd, s->name,
			 safe(msg, buf, sizeof(buf)), s->usage);
}

int sub_id(const struct sub *s, const char *arg, const char *what, int64_t *id)
{
	int64_t v = 0;
	const char *p;

	for (p = arg; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - (*p - '0')) / 10)
			break;
		v = v * 10 + (*p - '0');
	}
	if (!*arg || *p || !v)
		return sub_usage(s, "%s, not '%s'", what, arg);
	*id = v;
	return 0;
}

static void keep_message(void *ctx, enum cs_level level, const char *msg)
{
	if (level == CS_ERROR)
		snprintf(ctx, 300, "%s", msg);
}

int sub_text(const struct sub *s, const char *text, bool multiline, size_t max,
	     const char *what)
{
	char msg[300] = "";
	struct cs_diag d = { .emit = keep_message, .ctx = msg };
	char *out;
	int rc;

	if (!text)
		return 0;
	out = malloc(max + 1);
	if (!out)
		return sub_usage(s, "out of memory");
	rc = cs_plan_text(text, multiline, max, out, what, &d);
	free(out);
	return rc ? sub_usage(s, "%s", msg) : 0;
}

bool sub_nonblank(const char *text)
{
	for (; text && *text; text++)
		if (!strchr(" \t\r\n\v\f", *text))
			return true;
	return false;
}

static int parse_args(const struct sub *s, int argc, char **argv, struct args *a)
{
	static const struct {
		const char *name;
		unsigned bit;
		size_t off;	/* of the const char * it sets; 0 for a flag */
	} opts[] = {
#define V(n, bit, f) { n, bit, offsetof(struct args, f) }
		V("--title", OPT_TITLE, title),
		V("--format", OPT_FORMAT, format),
		V("--status", OPT_STATUS, status),
		V("--objectives", OPT_OBJECTIVES, objectives),
		V("--profile", OPT_PROFILE, profile),
		V("--due", OPT_DUE, due),
		V("--owner", OPT_OWNER, owner),
		V("--priority", OPT_PRIORITY, priority),
		V("--date", OPT_DATE, date),
		V("--attendees", OPT_REVIEW, attendees),
		V("--achievements", OPT_REVIEW, achievements),
		V("--challenges", OPT_REVIEW, challenges),
		V("--decisions", OPT_REVIEW, decisions),
		V("--action-items", OPT_REVIEW, action_items),
		V("--rating", OPT_REVIEW, rating),
#undef V
		{ "--empty", OPT_EMPTY, 0 },
		{ "--all", OPT_ALL, 0 },
	};
	bool operands_only = false;

	memset(a, 0, sizeof(*a));
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *value = NULL, *eq;
		size_t len, k;

		if (operands_only || arg[0] != '-' || !arg[1]) {
			if (a->nop == s->max)
				return sub_usage(s, "unexpected argument '%s'", arg);
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
			return sub_usage(s, "unknown option '%.*s'", (int)len, arg);
		if (opts[k].off) {
			if (eq)
				value = eq + 1;
			else if (i + 1 < argc)
				value = argv[++i];
			else
				return sub_usage(s, "%s needs a value", opts[k].name);
			*(const char **)((char *)a + opts[k].off) = value;
		} else if (eq) {
			return sub_usage(s, "%s takes no value", opts[k].name);
		} else if (opts[k].bit == OPT_EMPTY) {
			a->empty = true;
		} else {
			a->all = true;
		}
	}
	if (a->nop < s->min)
		return sub_usage(s, "missing arguments");
	if (a->format && strcmp(a->format, "text") && strcmp(a->format, "json"))
		return sub_usage(s, "--format is text or json, not '%s'", a->format);
	a->json = a->format && !strcmp(a->format, "json");
	return 0;
}

static void help(FILE *out, const struct sub *subs, const char *notes)
{
	fputs("usage:\n", out);
	for (const struct sub *s = subs; s->name; s++)
		fprintf(out, "  casey %s\n", s->usage);
	fputs(notes, out);
}

static bool first_word(const struct sub *subs, const char *w)
{
	size_t n = strlen(w);

	for (const struct sub *s = subs; s->name; s++)
		if (!strncmp(s->name, w, n) && s->name[n] == ' ')
			return true;
	return false;
}

int sub_dispatch(struct cli *cli, const char *cmd, const struct sub *subs, const char *notes,
		 int argc, char **argv)
{
	const struct sub *s;
	struct args a;
	char name[64], buf[512];
	int used = 2, rc;

	current_cmd = cmd;
	if (argc < 2) {
		help(stderr, subs, notes);
		return cli_usage("%s: which subcommand?", cmd);
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
		help(stdout, subs, notes);
		return EXIT_OK;
	}
	for (s = subs; s->name && strcmp(s->name, argv[1]); s++)
		;
	snprintf(name, sizeof(name), "%s", argv[1]);
	/* "milestone add": the first word of a two-word subcommand, then the second */
	if (!s->name && first_word(subs, argv[1])) {
		snprintf(name, sizeof(name), "%s %s", argv[1], argc > 2 ? argv[2] : "");
		for (s = subs; s->name && strcmp(s->name, name); s++)
			;
		used = 3;
	}
	if (!s->name) {
		help(stderr, subs, notes);
		return cli_usage("%s: unknown subcommand '%s'", cmd, safe(name, buf, sizeof(buf)));
	}
	if ((rc = parse_args(s, argc - used, argv + used, &a)))
		return rc;
	return s->run(cli, s, &a);
}
