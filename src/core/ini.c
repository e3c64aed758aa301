/* ini.c — inih with line numbers. See ini.h. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "casey/ini.h"

/* fgets for ini_parse_stream(): counts lines and notices over-long ones. */
static char *reader(char *buf, int size, void *stream)
{
	struct cs_ini *ini = stream;
	char *s = fgets(buf, size, ini->f);
	size_t n;

	if (!s)
		return NULL;
	ini->line++;
	n = strlen(s);
	if ((!n || s[n - 1] != '\n') && !feof(ini->f) && !ini->too_long)
		ini->too_long = ini->line;
	/* The rest of an over-long line would read as a line of its own. */
	if (ini->too_long) {
		buf[0] = '\0';
		return buf;
	}
	return s;
}

static int trampoline(void *user, const char *section, const char *name, const char *value)
{
	struct cs_ini *ini = user;

	return ini->handler(ini, section, name, value);
}

int cs_ini_fail(struct cs_ini *ini, const char *fmt, ...)
{
	va_list ap;

	if (ini->msg[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(ini->msg, sizeof(ini->msg), fmt, ap);
	va_end(ap);
	ini->msg_line = ini->line;
	return 0;
}

int cs_ini_parse(const char *path, cs_ini_handler handler, void *user, struct cs_diag *diag)
{
	struct cs_ini ini = { .path = path, .user = user, .handler = handler };
	int rc;

	ini.f = fopen(path, "r");
	if (!ini.f)
		return cs_error(diag, "%s: cannot read: %s", path, strerror(errno));
	rc = ini_parse_stream(reader, &ini, trampoline, &ini);
	fclose(ini.f);
	if (ini.too_long)
		return cs_error(diag, "%s:%d: line longer than %d characters (continue a "
				"long value on an indented line)", path, ini.too_long,
				INI_MAX_LINE - 2);
	if (rc)
		return cs_error(diag, "%s:%d: %s", path, ini.msg[0] ? ini.msg_line : rc,
				ini.msg[0] ? ini.msg : "syntax error");
	return 0;
}

int cs_ini_number(const char *s, double *out)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	return *end || errno == ERANGE || !isfinite(*out) ? -1 : 0;
}
