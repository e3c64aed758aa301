/*
 * editor.h — handing a text to the user's editor and back to curses.
 *
 * The text is written to a private temporary file (0600) and opened with
 * $VISUAL, else $EDITOR, else vi, while curses is suspended; the file is
 * kept so the CSM can send it from there. The editor command is the user's
 * own setting, run by /bin/sh with the file as its argument ($1): nothing
 * from the data is ever part of a command line.
 */
#ifndef CASEY_TUI_EDITOR_H
#define CASEY_TUI_EDITOR_H

#include <stddef.h>

struct tui;

/*
 * Write text to a new private file named after hint ("checkin-C00042"),
 * open it in the editor, and put the file's path into path. Returns 0, or
 * -1 with the reason in the status line.
 */
int tui_edit_text(struct tui *t, const char *hint, const char *text, char *path,
		  size_t size);

#endif
