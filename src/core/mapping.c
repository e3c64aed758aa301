/* mapping.c — loading mapping profiles (cs_ini_parse). See mapping.h. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "casey/assets.h"
#include "casey/ini.h"
#include "casey/mapping.h"

#define fail(ini, ...) cs_ini_fail((ini), __VA_ARGS__)

static int handler(struct cs_ini *ini, const char *section, const char *name,
		   const char *value)
{
	struct cs_mapping *m = ini->user;
	int col;

	if (!strcmp(section, "profile")) {
		if (!strcmp(name, "kind")) {
			m->kind = cs_kind_find(value);
			if (!m->kind)
				return fail(ini, "unknown kind '%s'", value);
		} else if (strcmp(name, "description")) {
			return fail(ini, "unknown setting '%s' in [profile]", name);
		}
		return 1;
	}
	if (strcmp(section, "columns"))
		return fail(ini, "unknown section [%s]", section);
	if (!m->kind)
		return fail(ini, "[profile] kind must come before [columns]");
	if (!strcmp(value, "-"))
		col = -1;
	else if ((col = cs_kind_column(m->kind, value)) < 0)
		return fail(ini, "'%s' is not a column of %s files", value, m->kind->name);
	if (m->n == CS_MAP_MAX)
		return fail(ini, "more than %d columns", CS_MAP_MAX);
	cs_header_norm(name, m->entries[m->n].from, sizeof(m->entries[m->n].from));
	if (!m->entries[m->n].from[0])
		return fail(ini, "empty column name");
	m->entries[m->n].to = col;
	m->n++;
	return 1;
}

int cs_mapping_load(const char *name, struct cs_mapping *m, struct cs_diag *diag)
{
	char path[PATH_MAX], rel[PATH_MAX];
	const char *base;

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
	if (cs_ini_parse(path, handler, m, diag))
		return -1;
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
