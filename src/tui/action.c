/* action.c — the action table and the key bindings it generates. See action.h. */
#include <stdio.h>
#include <string.h>

#include "action.h"

#define X(e, name, group, help, ...) static const int keys_##e[] = { __VA_ARGS__, 0 };
TUI_ACTIONS(X)
#undef X

const struct action_info action_table[ACT_COUNT - 1] = {
#define X(e, name, group, help, ...) { ACT_##e, name, GROUP_##group, help, keys_##e },
	TUI_ACTIONS(X)
#undef X
};

const char *const action_group_names[GROUP_COUNT] = {
	"General", "Screens", "Moving", "Lists", "Checklist", "Triage queue", "Actions screen",
	"Customer detail", "Success plan",
};

const struct action_info *action_info(enum action a)
{
	if (a <= ACT_NONE || a >= ACT_COUNT)
		return NULL;
	return &action_table[a - 1];
}

enum action action_for_key(int ch, int is_key)
{
	return action_next_for_key(ch, is_key, ACT_NONE);
}

enum action action_next_for_key(int ch, int is_key, enum action after)
{
	size_t i;

	/* Characters and KEY_* codes share one int space; keep them apart. */
	if (is_key ? ch < KEY_MIN : ch >= KEY_MIN)
		return ACT_NONE;
	/* action_table[i] is action i + 1: the entries after `after` start at index after. */
	for (i = (size_t)after; i < sizeof(action_table) / sizeof(action_table[0]); i++)
		for (const int *k = action_table[i].keys; *k; k++)
			if (*k == ch)
				return action_table[i].action;
	return ACT_NONE;
}

void key_label(int key, char *buf, size_t size)
{
	static const struct {
		int key;
		const char *label;
	} names[] = {
		{ '\r', "Enter" }, { '\n', "^J" }, { '\t', "Tab" }, { ' ', "Space" },
		{ 27, "Esc" }, { KEY_ENTER, "KP-Enter" }, { KEY_UP, "Up" },
		{ KEY_DOWN, "Down" }, { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
		{ KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" }, { KEY_HOME, "Home" },
		{ KEY_END, "End" }, { KEY_BTAB, "S-Tab" }, { KEY_BACKSPACE, "Backspace" },
		{ KEY_DC, "Delete" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].key == key) {
			snprintf(buf, size, "%s", names[i].label);
			return;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, size, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 0x20)
		snprintf(buf, size, "^%c", key + 0x40);
	else if (key > 0x20 && key < 0x7f)
		snprintf(buf, size, "%c", key);
	else
		snprintf(buf, size, "key %d", key);
}
