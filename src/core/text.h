/* text.h — byte-level text checks shared by the core. Private. */
#ifndef CASEY_TEXT_H
#define CASEY_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Is s[0..len) well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF)? */
bool cs_utf8_valid(const char *s, size_t len);
/* Does s[0..len) hold a C0 control, DEL, or a C1 control (U+0080..U+009F)? */
bool cs_has_control(const char *s, size_t len);

/*
 * Trim in into out (max + 1 bytes) and check it as every stored text is
 * checked: valid UTF-8, no control characters (multiline text may hold
 * newlines and tabs; CRLF becomes LF), at most max bytes. what names the
 * field in messages ("the title"). 0, or -1 reported through diag.
 */
struct cs_diag;
int cs_text_clean(const char *in, bool multiline, size_t max, char *out, const char *what,
		  struct cs_diag *diag);

#endif
