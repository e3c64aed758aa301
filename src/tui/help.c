/*
 * help.c — the `?` screen, generated from the action table (action.h):
 * every action with its keys and help text, by group. A key bound in
 * action.h appears here by construction.
 */
#include <stdio.h>
#include <string.h>

#include "tui.h"

#define KEYS_WIDTH 24

struct help {
	struct lines lines;
};

static void keys_of(const struct action_info *ai, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const int *k = ai->keys; *k && len < size; k++) {
		char label[32];

		key_label(*k, label, sizeof(label));
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", label);
	}
}

static int help_open(struct view *v, const char *arg)
{
	struct help *h = v->priv;
	char keys[128];

	(void)arg;
	lines_init(&h->lines);
	span_add(&h->lines, ROLE_HEADING, 0, false, "Keys");
	span_add(&h->lines, ROLE_MUTED, 0, false, " (q or ? closes this screen)");
	for (int g = 0; g < GROUP_COUNT; g++) {
		lines_add(&h->lines);
		lines_add(&h->lines);
		span_add(&h->lines, ROLE_HEADING, 0, false, action_group_names[g]);
		for (int i = 0; i < ACT_COUNT - 1; i++) {
			const struct action_info *ai = &action_table[i];

			if (ai->group != (enum action_group)g)
				continue;
			keys_of(ai, keys, sizeof(keys));
			lines_add(&h->lines);
			span_addf(&h->lines, ROLE_NORMAL, KEYS_WIDTH, false, "  %s", keys);
			span_add(&h->lines, ROLE_NORMAL, 0, false, ai->help);
		}
	}
	lines_add(&h->lines);
	lines_add(&h->lines);
	span_add(&h->lines, ROLE_HEADING, 0, false, "Screen");
	lines_add(&h->lines);
	span_addf(&h->lines, ROLE_NORMAL, 0, false,
		  "  Made for 80x24; needs at least %dx%d. NO_COLOR=1 turns colours off.",
		  TUI_MIN_COLS, TUI_MIN_LINES);
	lines_add(&h->lines);
	span_add(&h->lines, ROLE_NORMAL, 0, false,
		 "  Control characters in data show as ^X, <9B> or <BIDI>, in reverse video.");
	if (h->lines.oom) {
		lines_release(&h->lines);
		tui_message(v->tui, ROLE_ERROR, "out of memory");
		return -1;
	}
	return 0;
}

static void help_close(struct view *v)
{
	struct help *h = v->priv;

	lines_release(&h->lines);
}

static void help_draw(struct view *v, struct rect b)
{
	struct help *h = v->priv;

	lines_draw(&h->lines, (struct rect){ b.y, b.x + 1, b.h, b.w - 1 });
}

static unsigned help_handle(struct view *v, enum action a)
{
	struct help *h = v->priv;

	if (lines_scroll(&h->lines, a, v->body.h))
		return R_HANDLED | R_REDRAW;
	return 0;
}

const struct view_ops view_help = {
	.name = "Help",
	.priv_size = sizeof(struct help),
	.open = help_open,
	.draw = help_draw,
	.handle = help_handle,
	.close = help_close,
};
