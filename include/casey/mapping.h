/*
 * mapping.h — mapping profiles: how a known tool's export header maps onto
 * casey's canonical columns (assets/maps/NAME.ini).
 *
 *   [profile]
 *   kind = tickets                 ; the kind of file this tool exports
 *   description = Zendesk Support ticket export
 *
 *   [columns]
 *   Id = ticket_id                 ; export header = canonical column
 *   Organization = customer_id
 *   Summation column = -           ; "-" ignores the column without a note
 *
 * Header names are matched like aliases: case, spaces and punctuation do
 * not matter. A column the profile does not name is still matched by the
 * kind's built-in aliases.
 */
#ifndef CASEY_MAPPING_H
#define CASEY_MAPPING_H

#include "casey/diag.h"
#include "casey/kinds.h"

#define CS_MAP_MAX 128

struct cs_mapping {
	char name[64];
	const struct cs_kind *kind;
	int n;
	struct {
		char from[96];	/* normalised export header */
		int to;		/* column index in kind, -1 to ignore */
	} entries[CS_MAP_MAX];
};

/*
 * Load the profile name (looked up as maps/NAME.ini among the assets) or,
 * when name contains a '/', the file at that path. Errors name FILE:LINE.
 */
int cs_mapping_load(const char *name, struct cs_mapping *m, struct cs_diag *diag);

/* The entry for a normalised header: column index, -1 ignore, -2 not named. */
int cs_mapping_lookup(const struct cs_mapping *m, const char *norm);

#endif
