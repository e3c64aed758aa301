/*
 * wrap.h — word-wrapping text for the screen: lines of at most a given
 * number of columns as draw_text() measures them (wide characters take
 * two, combining marks none, placeholders their own width).
 */
#ifndef CASEY_TUI_WRAP_H
#define CASEY_TUI_WRAP_H

/*
 * Call line(ctx, text) for each line of s wrapped to w columns: breaks at
 * spaces (runs of blanks become one; tabs count as blanks), a word wider
 * than w is cut across lines, '\n' ends a line. Returns the lines given,
 * at least one (an empty s is one empty line), or -1 out of memory.
 */
int wrap_text(const char *s, int w, void (*line)(void *ctx, const char *text), void *ctx);

#endif
