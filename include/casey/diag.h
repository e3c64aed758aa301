/*
 * diag.h — how the core reports errors, warnings and progress.
 *
 * The core never writes to stdout or stderr itself: while curses owns the
 * screen a stray fprintf would corrupt it, and tests want to read the exact
 * message. Every function that can fail takes a struct cs_diag and reports
 * through it; the command line prints to stderr, the dashboard shows the
 * last error in its status line, tests collect the lines.
 *
 * Messages are complete lines without the trailing newline, in the form
 * the user reads them: "tickets.csv:17: column 'created_at': 'yesterday' is
 * not a date". They never contain customer data beyond the offending field
 * value that the user must see to fix the file.
 */
#ifndef CASEY_DIAG_H
#define CASEY_DIAG_H

#include <stdarg.h>

enum cs_level {
	CS_ERROR,	/* the operation failed */
	CS_WARN,	/* something was skipped or ignored; the operation goes on */
	CS_NOTE,	/* informative: a closing line, an ignored column */
	CS_PROGRESS,	/* transient: overwrite the previous progress line */
};

struct cs_diag {
	void (*emit)(void *ctx, enum cs_level level, const char *msg);
	void *ctx;
	int errors;	/* CS_ERROR lines reported so far */
};

/* Report a line; returns -1 for CS_ERROR (so `return cs_error(...)` reads well), else 0. */
int cs_report(struct cs_diag *d, enum cs_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int cs_vreport(struct cs_diag *d, enum cs_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define cs_error(d, ...) cs_report((d), CS_ERROR, __VA_ARGS__)
#define cs_warn(d, ...)  cs_report((d), CS_WARN, __VA_ARGS__)
#define cs_note(d, ...)  cs_report((d), CS_NOTE, __VA_ARGS__)

#endif
