/* mapping.c — loading mapping profiles with inih. See mapping.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "casey/assets.h"
#include "casey/mapping.h"

struct load_ctx {
	struct cs_mapping *m;
	char msg[256];	/* why the handler stopped; ini_parse() gives the line */
};

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct load_ctx *ctx = user;
	struct cs_mapping *m = ctx->m;
	int col;

	if (!strcmp(section, "profile")) {
		if (!strcmp(name, "kind")) {
			m->kind = cs_kind_find(value);
			if (!m->kind) {
				snprintf(ctx->msg, sizeof(ctx->msg), "unknown kind '%s'", value);
				return 0;
			}
		} else if (strcmp(name, "description")) {
			snprintf(ctx->msg, sizeof(ctx->msg), "unknown setting '%s' in [profile]", name);
			return 0;
		}
		return 1;
	}
	if (strcmp(section, "columns")) {
		snprintf(ctx->msg, sizeof(ctx->msg), "unknown section [%s]", section);
		return 0;
	}
	if (!m->kind) {
		snprintf(ctx->msg, sizeof(ctx->msg), "[profile] kind must come before [columns]");
		return 0;
	}
	if (!strcmp(value, "-")) {
		col = -1;
	} else if ((col = cs_kind_column(m->kind, value)) < 0) {
		snprintf(ctx->msg, sizeof(ctx->msg), "'%s' is not a column of %s files",
			 value, m->kind->name);
		return 0;
	}
	if (m->n == CS_MAP_MAX) {
		snprintf(ctx->msg, sizeof(ctx->msg), "more than %d columns", CS_MAP_MAX);
		return 0;
	}
	cs_header_norm(name, m->entries[m->n].from, sizeof(m->entries[m->n].from));
	if (!m->entries[m->n].from[0]) {
		snprintf(ctx->msg, sizeof(ctx->msg), "empty column name");
		return 0;
	}
	m->entries[m->n].to = col;
	m->n++;
	return 1;
}

int cs_mapping_load(const char *name, struct cs_mapping *m, struct cs_diag *diag)
{
	char path[PATH_MAX], rel[PATH_MAX];
	struct load_ctx ctx = { .m = m };
	const char *base;
	int rc;

	memset(m, 0, sizeof(*m));
	if (strchr(name, '/')) {
		snprintf(path, sizeof(path), "%s", name);
	} else {
		snprintf(rel, sizeof(rel), "maps/%s.ini", name);
		if (cs_asset_find(rel, path, sizeof(path)))
			return cs_error(diag, "no mapping profile '%s' (looked for %s "
					"in the assets directories)", name, rel);
	}
	if (cs_asset_check_safe(path, diag))
		return -1;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(m->name, sizeof(m->name), "%.*s", (int)strcspn(base, "."), base);
	rc = ini_parse(path, handler, &ctx);
	if (rc < 0)
		return cs_error(diag, "%s: cannot read mapping profile", path);
	if (rc > 0)
		return cs_error(diag, "%s:%d: %s", path, rc,
				ctx.msg[0] ? ctx.msg : "syntax error");
	if (!m->kind)
		return cs_error(diag, "%s: no 'kind' in [profile]", path);
	return 0;
}

int cs_mapping_lookup(const struct cs_mapping *m, const char *norm)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->entries[i].from, norm))
			return m->entries[i].to;
	return -2;
}
