/*
 * termsafe.h — which bytes of a text may reach a terminal.
 *
 * Customer names, ticket subjects and survey comments come from files
 * casey does not control; written to a terminal as they are, an escape
 * sequence in a name could retitle the window, move the cursor or worse,
 * and a bidi override could make "exe.txt" read as "txt.exe". One rule,
 * shared by the command line (term_safe() in src/cli/out.c) and every text
 * the dashboard draws, replaces each such sequence with a visible
 * placeholder:
 *
 *   ESC                                   ^[
 *   other C0 controls (0x00-0x1f)         ^@ .. ^_   (e.g. BEL is ^G)
 *   DEL                                   ^?
 *   C1 controls U+0080..U+009F            <80> .. <9F>
 *   bidi embeddings, overrides, isolates  <BIDI>
 *     (U+202A..U+202E, U+2066..U+2069)
 *
 * With CS_TERM_KEEP_LINES, '\n' and '\t' pass (the command line's
 * multi-line output); the dashboard draws single lines and replaces them
 * too. Everything else, valid or not, is left to the caller: the command
 * line writes the other bytes as they are, the dashboard decodes them and
 * measures their width. Pure, no locale, no allocation.
 */
#ifndef CASEY_TERMSAFE_H
#define CASEY_TERMSAFE_H

#include <stddef.h>

/* A placeholder and its NUL fit in this many bytes. */
#define CS_TERM_PLACEHOLDER_MAX 8

enum {
	CS_TERM_KEEP_LINES = 1 << 0,	/* '\n' and '\t' are safe */
};

/*
 * If the NUL-terminated s starts with a sequence that must not reach a
 * terminal, write its placeholder into ph and return how many bytes of s
 * it replaces; else return 0 (and leave ph alone). Never reads past the
 * terminating NUL.
 */
size_t cs_term_unsafe(const char *s, unsigned flags, char ph[CS_TERM_PLACEHOLDER_MAX]);

#endif
