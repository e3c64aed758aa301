/*
 * outreach.h — customer communication (spec 000 "Customer Communication
 * Coordination", seed 001 "Customer Check-In Playbook"): the personalised
 * check-in draft, feature announcements per segment, and logging a
 * contact.
 *
 * A draft is plain text for the CSM to edit (the dashboard opens it in
 * $EDITOR) and send: the message, then talking points for the CSM that are
 * not for sending. Its wording comes from assets/report.ini ([checkin],
 * [announce]); the data it quotes back (ticket subjects, survey comments)
 * is anonymised like every quote, and control characters in the data are
 * shown as placeholders (termsafe.h).
 */
#ifndef CASEY_OUTREACH_H
#define CASEY_OUTREACH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "casey/diag.h"
#include "casey/report.h"

struct sqlite3;

/*
 * The check-in for customer_id as of as_of: a message personalised from
 * the customer's two weakest measures (the [checkin] paragraph of each
 * one's metric), then talking points: why now, usage, recent tickets, the
 * latest NPS answer, unused paid features, objectives, and the command
 * that logs the contact. Fails (reported) for an unknown customer.
 */
int cs_draft_checkin(struct sqlite3 *db, const struct cs_report_env *env,
		     const char *customer_id, int32_t as_of, FILE *out, struct cs_diag *diag);

/*
 * The announcement of feature_id: who would benefit — the customers who
 * asked for it (Feature Request tickets naming it), those who struggle
 * with it (other tickets naming it), and the active customers not using
 * it yet, by segment — then one draft per segment ([announce] by segment
 * name, else default), a draft for the customers who asked, and the docs
 * check with Thomas (how-to and documentation tickets about it).
 */
int cs_draft_announce(struct sqlite3 *db, const struct cs_report_env *env,
		      const char *feature_id, int32_t as_of, FILE *out, struct cs_diag *diag);

enum cs_draft_kind { CS_DRAFT_CHECKIN, CS_DRAFT_ANNOUNCE };

/*
 * A draft's text, malloc'd (the caller frees it), for the dashboard:
 * id is a customer_id (check-in) or a feature_id (announcement). NULL
 * after reporting an error.
 */
char *cs_draft_text(struct sqlite3 *db, const struct cs_report_env *env,
		    enum cs_draft_kind kind, const char *id, int32_t as_of,
		    struct cs_diag *diag);

struct cs_contact {
	const char *customer_id;
	int32_t date;		/* the day of the contact */
	const char *channel;	/* email, call, meeting, ... */
	int responded;		/* 1 yes, 0 no, -1 not known yet */
	const char *note;	/* may be NULL */
};

/*
 * Log a contact as an outreach row (key "casey:CUSTOMER:DATE:N", never
 * clashing with imported rows), and resolve the customer's check-in
 * action, if one is open, with the contact as its outcome. The next score
 * run counts it (days since contact, response rate). *resolved (may be
 * NULL) is the check-in action resolved, or 0. One transaction.
 */
int cs_contact_log(struct sqlite3 *db, const struct cs_contact *c, long *resolved,
		   struct cs_diag *diag);

#endif
