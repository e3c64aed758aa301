/* text.h — byte-level text checks shared by the core. Private. */
#ifndef CASEY_TEXT_H
#define CASEY_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Is s[0..len) well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF)? */
bool cs_utf8_valid(const char *s, size_t len);
/* Does s[0..len) hold a C0 control, DEL, or a C1 control (U+0080..U+009F)? */
bool cs_has_control(const char *s, size_t len);

#endif
