/* diag.c — the one place core messages are formatted. See diag.h. */
#include <stdio.h>

#include "casey/diag.h"

int cs_vreport(struct cs_diag *d, enum cs_level level, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (level == CS_ERROR && d)
		d->errors++;
	if (d && d->emit)
		d->emit(d->ctx, level, buf);
	return level == CS_ERROR ? -1 : 0;
}

int cs_report(struct cs_diag *d, enum cs_level level, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cs_vreport(d, level, fmt, ap);
	va_end(ap);
	return rc;
}
