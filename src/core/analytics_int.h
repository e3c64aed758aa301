/* analytics_int.h — what the analytics sources share. Private to src/core. */
#ifndef CASEY_ANALYTICS_INT_H
#define CASEY_ANALYTICS_INT_H

#include <stdint.h>

/*
 * The SQL condition "customer u uses the feature as of ?AS_OF" for a
 * feature_usage row u (analytics.h): first use known and not after the
 * day, or unknown; uses not 0.
 */
#define CS_USED_AS_OF(asof) \
	"(u.uses IS NULL OR u.uses <> 0)" \
	" AND (u.first_used_at IS NULL OR u.first_used_at <= " asof ")"

/* The survey window [as_of - 89, as_of] as satisfaction.c computes it. */
void cs_survey_window(int32_t as_of, char *from, char *to);

#endif
