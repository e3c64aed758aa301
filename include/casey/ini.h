/*
 * ini.h — reading casey's INI configuration files (profiles, rules,
 * tickets, analytics, the checklist) with inih, plus what inih does not
 * give: the line each key is on, so every problem is reported as
 * FILE:LINE: what is wrong, and the lines too long for inih's buffer, which
 * it would otherwise split silently into two.
 *
 * A handler gets the parse state and returns 1 to go on, or the value of
 * cs_ini_fail() to stop with a message. Only the first message is kept:
 * it is the one to fix.
 */
#ifndef CASEY_INI_H
#define CASEY_INI_H

#include <stdio.h>

#include "casey/diag.h"

struct cs_ini {
	const char *path;
	int line;		/* the line being parsed, 1-based */
	void *user;		/* the caller's state */
	/* private */
	FILE *f;
	int too_long;		/* the first line longer than inih's buffer */
	char msg[300];
	int msg_line;
	int (*handler)(struct cs_ini *ini, const char *section, const char *name,
		       const char *value);
};

typedef int (*cs_ini_handler)(struct cs_ini *ini, const char *section, const char *name,
			      const char *value);

/*
 * Parse path, calling handler for every key. Returns 0, or -1 after
 * reporting "PATH:LINE: message" (or "PATH: cannot read: ...").
 */
int cs_ini_parse(const char *path, cs_ini_handler handler, void *user, struct cs_diag *diag);

/* Keep the first problem at the current line; returns 0 (inih: stop). */
int cs_ini_fail(struct cs_ini *ini, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A finite number filling all of s (blanks around it allowed); 0 or -1. */
int cs_ini_number(const char *s, double *out);

#endif
