/*
 * command.c — the `:` prompt: every action by its name, with its answer.
 *
 *   :customers          the action named "customers", as its key would do
 *   :cust               any unambiguous start of a name
 *   :search acme        the action, then "acme" as the answer to the
 *                       question it asks (here the search text)
 *   :approval gaps      a chooser's answer: the start of a choice's label
 *                       (ignoring case) or its number
 *   :open C00042        a customer's detail, by id (or :customer C00042)
 *   :q  :?              quit (back) and help, as the keys read
 *
 * Tab completes the name and lists what it could be. The names are the
 * action table's (action.h), the ones the `?` screen shows, so a new
 * action is a command with nothing added here.
 */
#include <stdio.h>
#include <string.h>

#include "tui.h"

/* Commands that are not actions. */
static const char *const extra_names[] = { "open" };
#define N_EXTRA (sizeof(extra_names) / sizeof(extra_names[0]))

/* Short forms, looked up before any prefix matching. */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "q", "quit" }, { "q!", "quit-all" }, { "?", "help" }, { "customer", "open" },
};

/* Every command name in order: i < ACT_COUNT - 1 an action, then the extras. */
#define N_NAMES ((size_t)(ACT_COUNT - 1) + N_EXTRA)

static const char *name_at(size_t i)
{
	if (i < (size_t)(ACT_COUNT - 1))
		return action_table[i].action == ACT_COMMAND ? NULL : action_table[i].name;
	return extra_names[i - (size_t)(ACT_COUNT - 1)];
}

/*
 * The command called word (len bytes): an exact name or alias, else the
 * only name starting with it. Returns its index, -1 if none, -2 if several
 * (then *first and *second are two of them).
 */
static long lookup(const char *word, size_t len, const char **first, const char **second)
{
	long found = -1;

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i].alias) == len && !strncmp(aliases[i].alias, word, len)) {
			word = aliases[i].name;
			len = strlen(word);
			break;
		}
	for (size_t i = 0; i < N_NAMES; i++) {
		const char *n = name_at(i);

		if (n && strlen(n) == len && !strncmp(n, word, len))
			return (long)i;
	}
	for (size_t i = 0; i < N_NAMES; i++) {
		const char *n = name_at(i);

		if (!n || strncmp(n, word, len))
			continue;
		if (found >= 0) {
			*first = name_at((size_t)found);
			*second = n;
			return -2;
		}
		found = (long)i;
	}
	return found;
}

static void run(struct tui *t, const char *text)
{
	const char *word, *arg, *first = NULL, *second = NULL;
	size_t len;
	long i;

	while (*text == ' ')
		text++;
	if (!*text)
		return;
	word = text;
	len = strcspn(word, " ");
	for (arg = word + len; *arg == ' '; arg++)
		;
	i = lookup(word, len, &first, &second);
	if (i == -1) {
		tui_message(t, ROLE_ERROR, "no command '%.*s' (Tab lists them)",
			    (int)len, word);
		return;
	}
	if (i == -2) {
		tui_message(t, ROLE_ERROR, "'%.*s' could be %s, %s, ...: type more of it", (int)len,
			    word, first, second);
		return;
	}
	if ((size_t)i >= (size_t)(ACT_COUNT - 1)) {	/* open / customer */
		if (!*arg) {
			tui_message(t, ROLE_ERROR, "%s what? :%s CUSTOMER-ID", name_at((size_t)i),
				    name_at((size_t)i));
			return;
		}
		t->pending |= tui_push(t, &view_detail, arg);
		return;
	}
	{
		const struct action_info *ai = &action_table[i];
		unsigned r = tui_act(t, ai->action);

		t->pending |= r;
		if (!(r & (R_HANDLED | R_BACK | R_QUIT | R_REDRAW))) {
			tui_message(t, ROLE_ERROR, "'%s' does nothing on this screen", ai->name);
			return;
		}
		if (!*arg)
			return;
		if (!t->prompt.active) {
			tui_message(t, ROLE_STATUS, "'%s' asks nothing: '%s' was not used", ai->name,
				    arg);
			return;
		}
		if (prompt_answer(&t->prompt, arg)) {
			t->prompt.active = false;
			tui_message(t, ROLE_ERROR, "%s: no choice is '%s'", ai->name, arg);
		}
	}
}

static void command_done(struct view *v, const char *answer)
{
	run(v->tui, answer);
}

/* Tab: complete the name to what every candidate shares; list them. */
static void command_complete(struct prompt *p)
{
	const char *cand[N_NAMES];
	size_t n = 0, len = strcspn(p->text, " "), common = 0, hint = 0;

	if (len < p->len)	/* the name is typed: nothing to complete */
		return;
	for (size_t i = 0; i < N_NAMES; i++) {
		const char *name = name_at(i);

		if (name && !strncmp(name, p->text, len))
			cand[n++] = name;
	}
	if (!n) {
		snprintf(p->hint, sizeof(p->hint), "(no such command)");
		return;
	}
	common = strlen(cand[0]);
	for (size_t k = 1; k < n; k++) {
		size_t c = 0;

		while (c < common && cand[k][c] == cand[0][c])
			c++;
		common = c;
	}
	if (common + 1 < sizeof(p->text) && common <= p->max) {
		memcpy(p->text, cand[0], common);
		p->len = common;
		if (n == 1 && p->len < p->max)
			p->text[p->len++] = ' ';
		p->text[p->len] = '\0';
		p->cursor = p->len;
	}
	if (n == 1)
		return;
	for (size_t k = 0; k < n && hint + 1 < sizeof(p->hint); k++) {
		int w = snprintf(p->hint + hint, sizeof(p->hint) - hint, "%s%s", k ? " " : "",
				 cand[k]);

		if (w < 0 || (size_t)w >= sizeof(p->hint) - hint) {
			/* Cut at the last whole name, and say there are more. */
			p->hint[hint] = '\0';
			if (hint + 4 < sizeof(p->hint))
				memcpy(p->hint + hint, " ...", 5);
			break;
		}
		hint += (size_t)w;
	}
}

void command_start(struct tui *t)
{
	struct prompt *p = tui_prompt(t, t->stack[t->depth - 1], ":", NULL, command_done);

	p->max = 200;
	p->complete = command_complete;
}
