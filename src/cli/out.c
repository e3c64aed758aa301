/* out.c — safe output: JSON strings and terminal-safe text. See cli.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "casey/termsafe.h"
#include "cli.h"

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("casey: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see 'casey help')\n", stderr);
	return EXIT_USAGE;
}

void json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				fprintf(out, "\\u%04x", *p);
			} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
				/* C1 controls: escaped, so a terminal never sees them raw */
				fprintf(out, "\\u%04x", p[1]);
				p++;
			} else if (*p == 0xe2 && p[1] == 0x80 &&
				   ((p[2] >= 0xa8 && p[2] <= 0xae))) {
				/* line/paragraph separators and bidi embeddings/overrides */
				fprintf(out, "\\u20%02x", p[2] - 0x80);
				p += 2;
			} else if (*p == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) {
				/* bidi isolates */
				fprintf(out, "\\u20%02x", p[2] - 0x80 + 0x40);
				p += 2;
			} else {
				putc(*p, out);
			}
		}
	}
	putc('"', out);
}

void term_safe(FILE *out, const char *s)
{
	char ph[CS_TERM_PLACEHOLDER_MAX];
	size_t n;

	while (*s) {
		if ((n = cs_term_unsafe(s, CS_TERM_KEEP_LINES, ph))) {
			fputs(ph, out);
			s += n;
		} else {
			putc(*s++, out);
		}
	}
}

/* Display width of a UTF-8 string; invalid bytes count as one column. */
static int display_width(const char *s, int stop_at, const char **cut)
{
	mbstate_t ps;
	int used = 0;

	memset(&ps, 0, sizeof(ps));
	*cut = s;
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &ps);
		int w;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			n = 1;
			w = 1;
			memset(&ps, 0, sizeof(ps));
		} else if ((w = wcwidth(wc)) < 0) {
			w = 1;
		}
		if (used + w > stop_at)
			return used;
		used += w;
		s += n;
		*cut = s;
	}
	return used;
}

void term_safe_width(FILE *out, const char *s, int width)
{
	char buf[4096];
	const char *cut;
	int used;
	FILE *mem = fmemopen(buf, sizeof(buf) - 1, "w");

	/* Sanitise first, then measure what will really be shown. */
	if (!mem)
		return;
	term_safe(mem, s);
	fclose(mem);
	buf[sizeof(buf) - 1] = '\0';
	used = display_width(buf, width, &cut);
	if (*cut) {
		/* Too wide: as much as fits in width - 1, then an ellipsis. */
		used = display_width(buf, width - 1, &cut);
		fwrite(buf, 1, (size_t)(cut - buf), out);
		fputs("…", out);
		used++;
	} else {
		fputs(buf, out);
	}
	for (; used < width; used++)
		putc(' ', out);
}

/* The cell as CSV wants it: quoted when needed, formulas defused. */
static void csv_cell_raw(FILE *out, const char *s)
{
	const char *p;
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@' ||
		       *s == '\t' || *s == '\r';

	if (!quote && !formula) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	if (formula)
		putc('\'', out);
	for (p = s; *p; p++) {
		if (*p == '"')
			putc('"', out);
		putc(*p, out);
	}
	putc('"', out);
}

void csv_cell(FILE *out, const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	/* CSV printed on a terminal is read by the terminal first. */
	if (!isatty(fileno(out)) || !(mem = open_memstream(&buf, &len))) {
		csv_cell_raw(out, s);
		return;
	}
	csv_cell_raw(mem, s);
	fclose(mem);
	term_safe(out, buf);
	free(buf);
}

/* Write len bytes to fd, however many calls it takes. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int cli_output(struct cli *cli, const char *path, bool force, const char *buf, size_t len)
{
	char tmp[PATH_MAX];
	int fd;

	if (!path) {
		if (isatty(STDOUT_FILENO))
			term_safe(stdout, buf);
		else
			fwrite(buf, 1, len, stdout);
		if (fflush(stdout))
			return cs_error(&cli->diag, "writing the output: %s", strerror(errno));
		return 0;
	}
	if (!force) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			return cs_error(&cli->diag, "%s exists; give --force to replace it", path);
		if (fd < 0)
			return cs_error(&cli->diag, "%s: %s", path, strerror(errno));
		if (write_all(fd, buf, len) || close(fd)) {
			cs_error(&cli->diag, "%s: %s", path, strerror(errno));
			unlink(path);
			return -1;
		}
		return 0;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp))
		return cs_error(&cli->diag, "%s: the path is too long", path);
	fd = mkstemp(tmp);	/* mode 0600 */
	if (fd < 0)
		return cs_error(&cli->diag, "%s: %s", path, strerror(errno));
	if (write_all(fd, buf, len) || fsync(fd) || close(fd) || rename(tmp, path)) {
		cs_error(&cli->diag, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
