/* wrap.c — word-wrapping for the screen. See wrap.h. */
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "wrap.h"

struct wrap {
	char *cur;		/* the line being filled */
	size_t len;
	int width;
	int lines;
	void (*line)(void *ctx, const char *text);
	void *ctx;
};

static void emit(struct wrap *wr)
{
	wr->cur[wr->len] = '\0';
	wr->line(wr->ctx, wr->cur);
	wr->len = 0;
	wr->width = 0;
	wr->lines++;
}

static void append(struct wrap *wr, const char *s, size_t n, int width)
{
	memcpy(wr->cur + wr->len, s, n);
	wr->len += n;
	wr->width += width;
}

/* The bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
	size_t n = 1;

	while (s[n] && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

/* One word of n bytes (no blanks) into the line, w columns wide. */
static void add_word(struct wrap *wr, const char *word, size_t n, int w, char *tmp)
{
	int ww;

	memcpy(tmp, word, n);
	tmp[n] = '\0';
	ww = text_width(tmp);
	if (wr->len && wr->width + 1 + ww <= w) {
		append(wr, " ", 1, 1);
		append(wr, word, n, ww);
		return;
	}
	if (wr->len)
		emit(wr);
	if (ww <= w) {
		append(wr, word, n, ww);
		return;
	}
	/* Too wide for any line: a character at a time. */
	while (n) {
		size_t c = char_len(word);
		int cw;

		memcpy(tmp, word, c);
		tmp[c] = '\0';
		cw = text_width(tmp);
		if (wr->len && wr->width + cw > w)
			emit(wr);
		append(wr, word, c, cw);
		word += c;
		n -= c < n ? c : n;
	}
}

int wrap_text(const char *s, int w, void (*line)(void *ctx, const char *text), void *ctx)
{
	size_t size = strlen(s ? s : "") + 2;
	struct wrap wr = { malloc(size), 0, 0, 0, line, ctx };
	char *tmp = malloc(size);

	if (!wr.cur || !tmp) {
		free(wr.cur);
		free(tmp);
		return -1;
	}
	if (w < 1)
		w = 1;
	for (const char *p = s ? s : "";;) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n') {
			emit(&wr);
			if (!*p)
				break;
			p++;
			continue;
		}
		n = strcspn(p, " \t\n");
		add_word(&wr, p, n, w, tmp);
		p += n;
	}
	free(wr.cur);
	free(tmp);
	return wr.lines;
}
