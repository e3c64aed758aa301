/*
 * satisfaction.h — NPS and CSAT over a window, as PRODUCT.md §3 defines
 * them: promoters answer 9-10, passives 7-8, detractors 0-6, and
 * NPS = %promoters - %detractors over the responses of the 90 days before
 * the as-of date; CSAT is the mean 1-5 score and the share satisfied
 * (4-5 of 5, or Good of Good+Bad) over the same window.
 */
#ifndef CASEY_SATISFACTION_H
#define CASEY_SATISFACTION_H

#include <stdint.h>

#include "casey/diag.h"

struct sqlite3;

/* The reporting window: the 90 days up to and including the as-of date. */
#define CS_SURVEY_WINDOW_DAYS 90

struct cs_nps {
	long promoters, passives, detractors;
	long responses;
	double score;		/* -100..100; meaningful only when responses > 0 */
};

struct cs_csat {
	long responses;		/* all rated answers: 1-5 and Good/Bad */
	long scored;		/* answers on the 1-5 scale */
	long satisfied;		/* 4-5 of 5, and Good */
	double average;		/* mean of the 1-5 answers; when scored > 0 */
	double satisfied_pct;	/* 0..100; when responses > 0 */
};

/* Pure arithmetic, for tests and for the database functions below. */
void cs_nps_add(struct cs_nps *n, int score);
void cs_nps_finish(struct cs_nps *n);
void cs_csat_add(struct cs_csat *c, int score /* 1-5, or 0 */, int good /* 1, 0, or -1 */);
void cs_csat_finish(struct cs_csat *c);

/* Over the window [as_of - 89 days, as_of] (days since the epoch). */
int cs_nps_window(struct sqlite3 *db, int32_t as_of, struct cs_nps *out,
		  struct cs_diag *diag);
int cs_csat_window(struct sqlite3 *db, int32_t as_of, struct cs_csat *out,
		   struct cs_diag *diag);

#endif
