/*
 * kinds.c — the table of importable kinds. See kinds.h.
 *
 * Aliases are in normalised form (lower-case ASCII letters and digits
 * only), most specific first. They cover the English labels of common
 * CRM, help-desk, telemetry and survey exports and a few German, French and
 * Spanish ones; a tool whose labels are not here gets a mapping profile in
 * assets/maps/ instead of more aliases.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "casey/kinds.h"

#define CUSTOMER_REF \
	{ "customer_id", CT_CUSTOMER, CF_REQUIRED | CF_KEY, "customer_id", NULL, \
	  "customerid|accountid|companyid|clientid|organizationid|organisationid|" \
	  "orgid|customer|account|organization|organisation|company|client|" \
	  "kundenid|kundennummer|idclient|idcliente", NULL }
#define CUSTOMER_REF_NOKEY \
	{ "customer_id", CT_CUSTOMER, CF_REQUIRED, "customer_id", NULL, \
	  "customerid|accountid|companyid|clientid|organizationid|organisationid|" \
	  "orgid|customer|account|organization|organisation|company|client|" \
	  "kundenid|kundennummer|idclient|idcliente", NULL }

static const struct cs_column customers_cols[] = {
	{ "customer_id", CT_ID, CF_REQUIRED | CF_KEY, "customer_id", NULL,
	  "customerid|accountid|companyid|clientid|recordid|id|kundenid|"
	  "kundennummer|idclient|idcliente", NULL },
	{ "name", CT_TEXT, CF_REQUIRED, "name", NULL,
	  "customername|accountname|companyname|company|organizationname|"
	  "organization|organisation|account|client|firmenname|nomduclient|nombre", NULL },
	{ "segment", CT_TEXT, 0, "segment", NULL,
	  "tier|customertier|customersegment|accounttier|accountsegment", NULL },
	{ "plan", CT_TEXT, 0, "plan", NULL,
	  "subscriptionplan|pricingplan|edition|subscription|product", NULL },
	{ "arr", CT_MONEY, 0, "arr", NULL,
	  "annualrecurringrevenue|arrusd|arreur|acv|annualcontractvalue|jahresumsatz", NULL },
	{ "seats", CT_COUNT, 0, "seats", NULL,
	  "licenses|licences|seatcount|licensedseats|numberofseats", NULL },
	{ "csm", CT_TEXT, 0, "csm", NULL,
	  "customersuccessmanager|csmowner|accountowner|companyowner|owner", NULL },
	{ "created_at", CT_DAY, 0, "created_at", NULL,
	  "createdat|createdate|created|createddate|customersince|startdate|"
	  "signupdate|contractstart|contractstartdate", NULL },
	{ "renewal_date", CT_DAY, 0, "renewal_date", NULL,
	  "renewaldate|renewal|renewson|nextrenewal|nextrenewaldate|contractend|"
	  "contractenddate", NULL },
	{ "status", CT_STATUS, 0, "status", NULL,
	  "accountstatus|customerstatus|lifecyclestatus", "active" },
	{ "last_contact_at", CT_DAY, 0, "last_contact_at", NULL,
	  "lastcontactat|lastcontact|lastcontacted|lastcontactdate|"
	  "lastactivitydate|lastengagementdate|lastactivity", NULL },
	{ "executive_escalation", CT_BOOL, 0, "executive_escalation", NULL,
	  "executiveescalation|execescalation|escalatedtoexecutive|escalated", "no" },
};

static const struct cs_column features_cols[] = {
	{ "feature_id", CT_ID, CF_REQUIRED | CF_KEY, "feature_id", NULL,
	  "featureid|featurekey|key|id", NULL },
	{ "name", CT_TEXT, CF_REQUIRED, "name", NULL, "featurename|feature|title", NULL },
	{ "released_at", CT_DAY, 0, "released_at", NULL,
	  "releasedat|releasedate|released|launchdate|launchedat|gadate|ga", NULL },
	{ "paid", CT_BOOL, 0, "paid", NULL, "ispaid|premium|paidfeature", NULL },
};

static const struct cs_column usage_cols[] = {
	CUSTOMER_REF,
	{ "date", CT_DAY, CF_REQUIRED | CF_KEY, "date", NULL,
	  "periodend|periodenddate|snapshotdate|weekending|asof|perioddate|day|week", NULL },
	{ "active_days_30d", CT_DAYS30, 0, "active_days_30d", NULL,
	  "activedays30d|logindays30d|logindays|activedays|daysactive|loginfrequency", NULL },
	{ "active_users", CT_COUNT, 0, "active_users", NULL,
	  "activeusers|monthlyactiveusers|mau|users", NULL },
	{ "seats", CT_COUNT, 0, "seats", NULL, "licenses|licences|seatcount", NULL },
	{ "paid_features_used", CT_COUNT, 0, "paid_features_used", NULL,
	  "paidfeaturesused|featuresused", NULL },
	{ "paid_features_total", CT_COUNT, 0, "paid_features_total", NULL,
	  "paidfeaturestotal|featurestotal|featuresavailable|paidfeatures", NULL },
	{ "core_actions_30d", CT_COUNT, 0, "core_actions_30d", NULL,
	  "coreactions30d|coreactions|keyactions|keyactions30d|actions30d|actions", NULL },
	{ "session_minutes_avg", CT_REAL, 0, "session_minutes_avg", NULL,
	  "sessionminutesavg|avgsessionminutes|averagesessionminutes|"
	  "avgsessionduration|sessionduration", NULL },
	{ "errors_30d", CT_COUNT, 0, "errors_30d", NULL, "errors30d|errors|errorcount", NULL },
};

static const struct cs_column tickets_cols[] = {
	{ "ticket_id", CT_ID, CF_REQUIRED | CF_KEY, "ticket_id", NULL,
	  "ticketid|ticketnumber|ticket|caseid|casenumber|issueid|id", NULL },
	CUSTOMER_REF_NOKEY,
	{ "created_at", CT_TIME, CF_REQUIRED, "created_at", NULL,
	  "createdat|created|createddate|createdon|openedat|opened|dateopened|"
	  "submittedat|submitted", NULL },
	{ "subject", CT_TEXT, 0, "subject", NULL, "title|summary|betreff|objet|asunto", NULL },
	{ "description", CT_TEXT, 0, "description", NULL,
	  "body|details|message|content|text|beschreibung", NULL },
	{ "category", CT_TEXT, 0, "export_category", NULL,
	  "tickettype|type|issuetype|casetype|reason|kategorie", NULL },
	{ "tags", CT_TEXT, 0, "tags", NULL, "labels|tag|label", NULL },
	{ "urgency", CT_LEVEL, 0, "urgency", NULL, "priority|severity|prio", NULL },
	{ "impact", CT_LEVEL, 0, "impact", NULL, "businessimpact", NULL },
	{ "status", CT_LOWER, 0, "status", NULL, "state|ticketstatus", NULL },
	{ "resolved_at", CT_TIME, 0, "resolved_at", NULL,
	  "resolvedat|solvedat|resolved|solved|closedat|dateclosed|closeddate|resolutiondate", NULL },
	{ "sentiment", CT_SENTIMENT, 0, "sentiment", NULL, "mood|tone", NULL },
	{ "csat", CT_CSAT, 0, "csat", "csat_good",
	  "satisfactionscore|satisfactionrating|satisfaction|csatscore|rating", NULL },
	{ "feature", CT_TEXT, 0, "feature", NULL,
	  "featureid|productarea|component|module", NULL },
};

static const struct cs_column nps_cols[] = {
	CUSTOMER_REF_NOKEY,
	{ "date", CT_DAY, CF_REQUIRED, "date", NULL,
	  "responsedate|respondedat|submittedat|surveydate|answeredat|createdat|created", NULL },
	{ "score", CT_NPS, CF_REQUIRED, "score", NULL,
	  "npsscore|nps|likelihoodtorecommend|howlikelyareyoutorecommendus|recommend|rating", NULL },
	{ "comment", CT_TEXT, 0, "comment", NULL,
	  "comments|feedback|reason|verbatim|whatisthemainreasonforyourscore|kommentar", NULL },
	{ "response_id", CT_ID, CF_OPTKEY, "response_key", NULL,
	  "responseid|surveyresponseid|answerid|id", NULL },
};

static const struct cs_column csat_cols[] = {
	CUSTOMER_REF_NOKEY,
	{ "date", CT_DAY, CF_REQUIRED, "date", NULL,
	  "responsedate|respondedat|submittedat|surveydate|ratedat|createdat|created", NULL },
	{ "score", CT_CSAT, CF_REQUIRED, "score", "good",
	  "csatscore|csat|satisfactionscore|satisfactionrating|satisfaction|rating", NULL },
	{ "context", CT_TEXT, 0, "context", NULL, "feature|workflow|topic|area|touchpoint", NULL },
	{ "ticket_id", CT_TEXT, 0, "ticket_id", NULL, "ticketid|ticket|caseid", NULL },
	{ "comment", CT_TEXT, 0, "comment", NULL, "comments|feedback|verbatim", NULL },
	{ "response_id", CT_ID, CF_OPTKEY, "response_key", NULL,
	  "responseid|surveyresponseid|answerid|id", NULL },
};

static const struct cs_column outreach_cols[] = {
	CUSTOMER_REF_NOKEY,
	{ "date", CT_TIME, CF_REQUIRED, "date", NULL,
	  "contactedat|sentat|activitydate|outreachdate|when", NULL },
	{ "channel", CT_LOWER, 0, "channel", NULL, "medium|activitytype|via", NULL },
	{ "responded", CT_BOOL, 0, "responded", NULL,
	  "replied|gotresponse|gotreply|response|answered", NULL },
	{ "note", CT_TEXT, 0, "note", NULL, "notes|summary|subject|body", NULL },
};

static const struct cs_column feature_usage_cols[] = {
	CUSTOMER_REF,
	{ "feature_id", CT_FEATURE, CF_REQUIRED | CF_KEY, "feature_id", NULL,
	  "featureid|feature|featurekey|featurename", NULL },
	{ "first_used_at", CT_DAY, 0, "first_used_at", NULL,
	  "firstusedat|firstused|firstuse|firstusedate|adoptedat|adopted", NULL },
	{ "uses", CT_COUNT, 0, "uses", NULL, "usecount|usagecount|events|count|usage", NULL },
};

static const struct cs_column onboarding_cols[] = {
	CUSTOMER_REF,
	{ "milestone", CT_LOWER, CF_REQUIRED | CF_KEY, "milestone", NULL,
	  "step|stage|onboardingstep|onboardingmilestone", NULL },
	{ "reached_at", CT_DAY, 0, "reached_at", NULL,
	  "reachedat|completedat|reached|completed|achievedat|date", NULL },
};

/* Billing: one row per invoice or charge (churn risk counts the failed ones). */
static const struct cs_column payments_cols[] = {
	{ "payment_id", CT_ID, CF_REQUIRED | CF_KEY, "payment_id", NULL,
	  "paymentid|invoiceid|invoicenumber|invoiceno|invoice|transactionid|chargeid|"
	  "billingid|rechnungsnummer", NULL },
	CUSTOMER_REF_NOKEY,
	{ "date", CT_DAY, CF_REQUIRED, "date", NULL,
	  "paymentdate|invoicedate|billingdate|chargedate|transactiondate|paidat|paidon|"
	  "attemptedat|duedate", NULL },
	{ "amount", CT_MONEY, 0, "amount", NULL,
	  "amountpaid|amountdue|invoiceamount|invoicetotal|totalamount|total|betrag|montant", NULL },
	{ "status", CT_PAYMENT, CF_REQUIRED, "status", NULL,
	  "paymentstatus|invoicestatus|billingstatus|chargestatus|outcome|state", NULL },
};

/*
 * Plan changes: the kind when the export names it, else derived in the
 * table from to_plan (none: cancel) or the ARR before and after.
 */
static const struct cs_column plan_changes_cols[] = {
	CUSTOMER_REF,
	{ "date", CT_DAY, CF_REQUIRED | CF_KEY, "date", NULL,
	  "changedate|effectivedate|changedat|effectiveat|effectiveon|changedon", NULL },
	{ "from_plan", CT_TEXT, CF_REQUIRED, "from_plan", NULL,
	  "fromplan|oldplan|previousplan|priorplan|planbefore|originalplan", NULL },
	{ "to_plan", CT_TEXT, 0, "to_plan", NULL,
	  "toplan|newplan|planafter|targetplan|requestedplan", NULL },
	{ "kind", CT_CHANGE, 0, "change_kind", NULL,
	  "changekind|changetype|typeofchange|movement|direction|type", NULL },
	{ "from_arr", CT_MONEY, 0, "from_arr", NULL,
	  "fromarr|oldarr|previousarr|arrbefore|priorarr", NULL },
	{ "to_arr", CT_MONEY, 0, "to_arr", NULL, "toarr|newarr|arrafter", NULL },
};

/*
 * Business reviews (seed 003) kept in a CRM or a spreadsheet before casey:
 * the table `casey review log` writes. Keyed by the export's id when it has
 * one, else by customer, date and type (and the occurrence).
 */
static const struct cs_column reviews_cols[] = {
	CUSTOMER_REF_NOKEY,
	{ "date", CT_DAY, CF_REQUIRED, "date", NULL,
	  "reviewdate|meetingdate|heldon|heldat|dateheld|meetingon|reviewedon|reviewedat|"
	  "datum", NULL },
	{ "type", CT_REVIEW, CF_REQUIRED, "type", NULL,
	  "reviewtype|meetingtype|typeofreview|kindofreview|review|meeting|format", NULL },
	{ "attendees", CT_TEXT, 0, "attendees", NULL,
	  "participants|attendedby|attendeelist|present|whoattended|teilnehmer", NULL },
	{ "achievements", CT_TEXT, 0, "achievements", NULL,
	  "wins|highlights|accomplishments|successes|progress", NULL },
	{ "challenges", CT_TEXT, 0, "challenges", NULL,
	  "issues|risks|blockers|concerns|problems|painpoints", NULL },
	{ "decisions", CT_TEXT, 0, "decisions", NULL,
	  "decisionsmade|agreements|agreed|outcome|outcomes", NULL },
	{ "action_items", CT_TEXT, 0, "action_items", NULL,
	  "actionitems|nextsteps|actions|followups|followup|todos|todo", NULL },
	{ "rating", CT_RATING, 0, "rating", NULL,
	  "reviewrating|meetingrating|score|stars|sentimentscore", NULL },
	{ "review_id", CT_ID, CF_OPTKEY, "import_key", NULL,
	  "reviewid|meetingid|activityid|recordid|id", NULL },
};

#define KIND(n, t, r, c, dk, df, pb) \
	{ n, t, r, c, (int)(sizeof(c) / sizeof(c[0])), dk, df, NULL, pb }

const struct cs_kind cs_kinds[] = {
	KIND("customers", "customers", 0, customers_cols, NULL, NULL, NULL),
	KIND("features", "features", 0, features_cols, NULL, NULL, NULL),
	KIND("usage", "usage", 1, usage_cols, NULL, NULL, "date"),
	KIND("tickets", "tickets", 1, tickets_cols, NULL, NULL, "created_at"),
	KIND("nps", "nps", 1, nps_cols, "response_key", "customer_id,date,score", "date"),
	KIND("csat", "csat", 1, csat_cols, "response_key",
	     "customer_id,date,ticket_id,context,score", "date"),
	KIND("outreach", "outreach", 1, outreach_cols, "outreach_key",
	     "customer_id,date,channel", "date"),
	KIND("feature_usage", "feature_usage", 1, feature_usage_cols, NULL, NULL, NULL),
	KIND("onboarding", "onboarding", 1, onboarding_cols, NULL, NULL, NULL),
	KIND("payments", "payments", 1, payments_cols, NULL, NULL, NULL),
	KIND("plan_changes", "plan_changes", 1, plan_changes_cols, NULL, NULL, NULL),
	{ "reviews", "business_reviews", 1, reviews_cols,
	  (int)(sizeof(reviews_cols) / sizeof(reviews_cols[0])), "import_key",
	  "customer_id,date,type", "logged_at", NULL },
};
const int cs_nkinds = (int)(sizeof(cs_kinds) / sizeof(cs_kinds[0]));

const struct cs_kind *cs_kind_find(const char *name)
{
	int i;

	for (i = 0; i < cs_nkinds; i++)
		if (!strcasecmp(cs_kinds[i].name, name))
			return &cs_kinds[i];
	return NULL;
}

/* The words of CT_PAYMENT and CT_CHANGE columns: synonyms (normalised), canonical. */
static const char *const payment_words[][2] = {
	{ "paid|succeeded|success|successful|settled|complete|completed|captured|collected|ok",
	  "paid" },
	{ "pending|open|due|processing|scheduled|draft|unpaid", "pending" },
	{ "overdue|pastdue|late|delinquent", "overdue" },
	{ "failed|failure|declined|carddeclined|error|bounced|chargefailed|paymentfailed",
	  "failed" },
	{ "refunded|refund|partiallyrefunded|chargeback|disputed|reversed", "refunded" },
	{ "void|voided|cancelled|canceled|writtenoff|uncollectible", "void" },
	{ NULL, NULL },
};

static const char *const change_words[][2] = {
	{ "upgrade|upgraded|upsell|expansion|expand|up", "upgrade" },
	{ "downgrade|downgraded|contraction|contract|down|downsell", "downgrade" },
	{ "cancel|cancelled|canceled|cancellation|churn|churned|terminated|termination",
	  "cancel" },
	{ NULL, NULL },
};

const char *cs_kind_word(enum cs_coltype type, const char *norm, const char **what)
{
	const char *const (*w)[2] = type == CT_PAYMENT ? payment_words : change_words;
	size_t len = strlen(norm);

	*what = type == CT_PAYMENT ?
		"a payment status (paid, pending, overdue, failed, refunded, void)" :
		"a plan change (upgrade, downgrade, cancel)";
	for (; (*w)[0]; w++) {
		const char *p = (*w)[0], *end;

		while (*p) {
			end = strchr(p, '|');
			if (!end)
				end = p + strlen(p);
			if ((size_t)(end - p) == len && !memcmp(p, norm, len))
				return (*w)[1];
			p = *end ? end + 1 : end;
		}
	}
	return NULL;
}

int cs_kind_column(const struct cs_kind *kind, const char *name)
{
	int i;

	for (i = 0; i < kind->ncols; i++)
		if (!strcmp(kind->cols[i].name, name))
			return i;
	return -1;
}

void cs_header_norm(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in && n + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;

		if (c < 0x80 && isalnum(c))
			out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

int cs_column_match(const struct cs_column *c, const char *norm)
{
	char canon[64];
	const char *p = c->aliases, *end;
	size_t len = strlen(norm);
	int first = 1;

	if (!*norm)
		return 0;
	cs_header_norm(c->name, canon, sizeof(canon));
	if (!strcmp(canon, norm))
		return 3;
	while (p && *p) {
		end = strchr(p, '|');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) == len && !memcmp(p, norm, len))
			return first ? 2 : 1;
		first = 0;
		p = *end ? end + 1 : end;
	}
	return 0;
}
