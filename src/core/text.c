/*
 * text.c — UTF-8 and control-character checks, and the trimming of stored
 * text. See text.h and casey/termsafe.h.
 */
#include <stdio.h>
#include <string.h>

#include "casey/diag.h"
#include "casey/termsafe.h"
#include "text.h"

bool cs_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;

	while (s < end) {
		unsigned c = *s;
		size_t n;
		unsigned cp;

		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if ((size_t)(end - s) <= n)
			return false;
		for (size_t i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

bool cs_has_control(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return true;
		/* U+0080..U+009F are encoded C2 80..C2 9F */
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return true;
	}
	return false;
}

/* Length of a bidi control at p (U+202A..U+202E, U+2066..U+2069), else 0. */
static size_t bidi_len(const unsigned char *p)
{
	if (p[0] == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
		return 3;
	return 0;
}

size_t cs_term_unsafe(const char *s, unsigned flags, char ph[CS_TERM_PLACEHOLDER_MAX])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (*p == 0x1b) {
		snprintf(ph, CS_TERM_PLACEHOLDER_MAX, "^[");
		return 1;
	}
	if (*p && *p < 0x20) {
		if ((flags & CS_TERM_KEEP_LINES) && (*p == '\n' || *p == '\t'))
			return 0;
		snprintf(ph, CS_TERM_PLACEHOLDER_MAX, "^%c", *p + 0x40);
		return 1;
	}
	if (*p == 0x7f) {
		snprintf(ph, CS_TERM_PLACEHOLDER_MAX, "^?");
		return 1;
	}
	if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
		snprintf(ph, CS_TERM_PLACEHOLDER_MAX, "<%02X>", p[1]);
		return 2;
	}
	if ((n = bidi_len(p))) {
		snprintf(ph, CS_TERM_PLACEHOLDER_MAX, "<BIDI>");
		return n;
	}
	return 0;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' ||
	       ch == '\f';
}

int cs_text_clean(const char *in, bool multiline, size_t max, char *out, const char *what,
		  struct cs_diag *diag)
{
	const unsigned char *u;
	const char *end, *p;
	size_t n = 0, i;

	if (!in)
		in = "";
	while (*in && is_blank(*in))
		in++;
	end = in + strlen(in);
	while (end > in && is_blank(end[-1]))
		end--;
	for (p = in; p < end; p++) {
		if (multiline && *p == '\r' && p + 1 < end && p[1] == '\n')
			continue;
		if (n == max)
			return cs_error(diag, "%s must be at most %zu bytes", what, max);
		out[n++] = *p;
	}
	out[n] = '\0';
	if (!cs_utf8_valid(out, n))
		return cs_error(diag, "%s must be valid UTF-8", what);
	u = (const unsigned char *)out;
	for (i = 0; i < n; i++) {
		if (multiline && (u[i] == '\n' || u[i] == '\t'))
			continue;
		if (u[i] < 0x20 || u[i] == 0x7f ||
		    (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 && u[i + 1] <= 0x9f))
			return cs_error(diag, "%s must not contain control characters%s",
					what, multiline ? "" : " (nor line breaks or tabs)");
	}
	return 0;
}
