/*
 * assets.h — finding casey's configuration files (profiles, mapping
 * profiles, rule thresholds, routing) under assets/.
 *
 * A relative asset name such as "maps/zendesk.ini" is looked up, first hit
 * wins, in:
 *   1. $CASEY_ASSETS (tests and development point it at the source tree);
 *   2. $XDG_CONFIG_HOME/casey (or ~/.config/casey): the user's overrides;
 *   3. the assets/ directory beside the running binary (a build tree);
 *   4. ../share/casey relative to the binary (an installed tree);
 *   5. the compiled-in CASEY_DATADIR.
 */
#ifndef CASEY_ASSETS_H
#define CASEY_ASSETS_H

#include <stddef.h>

#include "casey/diag.h"

/* Find rel; returns 0 with the path in buf, or -1 (nothing reported). */
int cs_asset_find(const char *rel, char *buf, size_t size);

/*
 * Refuse a configuration file other users may write to: it decides which
 * commands casey runs and how customers are scored.
 */
int cs_asset_check_safe(const char *path, struct cs_diag *diag);

#endif
