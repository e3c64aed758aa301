/*
 * schema.sql.h — the migrations, in order. Migration N (1-based) brings a
 * database from user_version N-1 to N. Never edit a migration that has
 * shipped: add a new one.
 *
 * Dates are ISO 8601 text: 'YYYY-MM-DD' for days, 'YYYY-MM-DD HH:MM:SS'
 * (UTC) for instants, so they sort as text and SQLite's date functions read
 * them. Money is REAL in the account's currency; NULL means unknown.
 */
#ifndef CASEY_SCHEMA_SQL_H
#define CASEY_SCHEMA_SQL_H

static const char *const cs_migrations[] = {
/* 1: the data model of PRODUCT.md §1 plus snapshots, actions, checklists */
"CREATE TABLE customers ("
"  customer_id TEXT PRIMARY KEY NOT NULL,"
"  name TEXT NOT NULL,"
"  segment TEXT,"
"  plan TEXT,"
"  arr REAL CHECK (arr IS NULL OR arr >= 0),"
"  seats INTEGER,"
"  csm TEXT,"
"  created_at TEXT,"
"  renewal_date TEXT,"
"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN"
"    ('active','cancel_requested','downgrade_requested','churned')),"
"  last_contact_at TEXT,"
"  executive_escalation INTEGER NOT NULL DEFAULT 0"
");"
"CREATE INDEX customers_name ON customers(name);"

"CREATE TABLE features ("
"  feature_id TEXT PRIMARY KEY NOT NULL,"
"  name TEXT NOT NULL,"
"  released_at TEXT,"
"  paid INTEGER"
");"

"CREATE TABLE usage ("
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  date TEXT NOT NULL,"
"  active_days_30d INTEGER CHECK (active_days_30d IS NULL OR active_days_30d BETWEEN 0 AND 31),"
"  active_users INTEGER,"
"  seats INTEGER,"
"  paid_features_used INTEGER,"
"  paid_features_total INTEGER,"
"  core_actions_30d INTEGER,"
"  session_minutes_avg REAL,"
"  errors_30d INTEGER,"
"  PRIMARY KEY (customer_id, date)"
") WITHOUT ROWID;"
"CREATE INDEX usage_date ON usage(date, core_actions_30d);"

"CREATE TABLE tickets ("
"  ticket_id TEXT PRIMARY KEY NOT NULL,"
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  created_at TEXT NOT NULL,"
"  subject TEXT,"
"  description TEXT,"
"  export_category TEXT,"	/* the category as the export named it */
"  tags TEXT,"
"  urgency TEXT,"	/* low/medium/high, from priority or urgency */
"  impact TEXT,"	/* low/medium/high */
"  status TEXT,"
"  resolved_at TEXT,"
"  sentiment TEXT CHECK (sentiment IS NULL OR sentiment IN"
"    ('positive','neutral','frustrated','angry')),"
"  csat INTEGER CHECK (csat IS NULL OR csat BETWEEN 1 AND 5),"
"  csat_good INTEGER,"	/* 1 Good, 0 Bad, for Good/Bad ratings */
"  feature TEXT,"
/* filled by the categoriser (scoring issue): one of the seven categories */
"  category TEXT,"
"  category_source TEXT CHECK (category_source IS NULL OR category_source IN"
"    ('export','rule','model','csm')),"
"  confidence REAL,"
"  theme TEXT"
");"
"CREATE INDEX tickets_customer ON tickets(customer_id, created_at);"
"CREATE INDEX tickets_created ON tickets(created_at);"

"CREATE TABLE nps ("
"  response_key TEXT PRIMARY KEY NOT NULL,"	/* response_id, or derived from the content */
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  date TEXT NOT NULL,"
"  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),"
"  comment TEXT"
");"
"CREATE INDEX nps_customer ON nps(customer_id, date);"
"CREATE INDEX nps_date ON nps(date, score);"	/* covering: NPS of a window */

"CREATE TABLE csat ("
"  response_key TEXT PRIMARY KEY NOT NULL,"
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  date TEXT NOT NULL,"
"  score INTEGER CHECK (score IS NULL OR score BETWEEN 1 AND 5),"
"  good INTEGER,"	/* Good/Bad ratings: 1/0, score NULL */
"  context TEXT,"
"  ticket_id TEXT,"
"  comment TEXT,"
"  CHECK (score IS NOT NULL OR good IS NOT NULL)"
");"
"CREATE INDEX csat_customer ON csat(customer_id, date);"
"CREATE INDEX csat_date ON csat(date, score, good);"	/* covering: CSAT of a window */

"CREATE TABLE outreach ("
"  outreach_key TEXT PRIMARY KEY NOT NULL,"
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  date TEXT NOT NULL,"
"  channel TEXT,"
"  responded INTEGER,"
"  note TEXT"
");"
"CREATE INDEX outreach_customer ON outreach(customer_id, date);"

"CREATE TABLE feature_usage ("
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  feature_id TEXT NOT NULL REFERENCES features(feature_id) ON DELETE CASCADE,"
"  first_used_at TEXT,"
"  uses INTEGER,"
"  PRIMARY KEY (customer_id, feature_id)"
") WITHOUT ROWID;"
"CREATE INDEX feature_usage_feature ON feature_usage(feature_id);"

"CREATE TABLE onboarding ("
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  milestone TEXT NOT NULL,"
"  reached_at TEXT,"
"  PRIMARY KEY (customer_id, milestone)"
") WITHOUT ROWID;"

/* one row per imported file: what was loaded when, never customer data */
"CREATE TABLE imports ("
"  import_id INTEGER PRIMARY KEY,"
"  file TEXT NOT NULL,"
"  kind TEXT NOT NULL,"
"  imported_at TEXT NOT NULL,"
"  rows_inserted INTEGER NOT NULL,"
"  rows_updated INTEGER NOT NULL,"
"  rows_unchanged INTEGER NOT NULL,"
"  rows_skipped INTEGER NOT NULL"
");"

/* dated health-score snapshots (scoring issue) */
"CREATE TABLE snapshots ("
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  as_of TEXT NOT NULL,"
"  profile TEXT NOT NULL,"
"  profile_version TEXT NOT NULL,"
"  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),"
"  band TEXT NOT NULL CHECK (band IN ('green','yellow','red')),"
"  engagement REAL,"	/* the default model's components, NULL in other profiles */
"  sentiment REAL,"
"  growth REAL,"
"  coverage REAL NOT NULL,"
"  delta30 INTEGER,"	/* score minus the one about 30 days before, NULL if none */
"  trend TEXT NOT NULL CHECK (trend IN ('improving','stable','declining')),"
"  drop20 INTEGER NOT NULL DEFAULT 0,"	/* fell 20+ points in 30 days */
/* "NAME=points:weight;..." of every component, "COMP.MEASURE=raw:points:weight;..." of
 * every measure (raw "-" when missing): self-describing, so a snapshot can be
 * explained after the profile file changed. From migration 14 the names and
 * weights are in the run's snapshot_stats.layout and the row holds the values
 * (score.c). */
"  components TEXT NOT NULL,"
"  measures TEXT NOT NULL,"
"  at_risk INTEGER NOT NULL DEFAULT 0,"	/* Red, or Yellow and declining */
"  arr REAL,"		/* the customer's ARR when scored, for the at-risk list */
"  PRIMARY KEY (profile, as_of, customer_id)"
") WITHOUT ROWID;"
"CREATE INDEX snapshots_customer ON snapshots(customer_id, profile, as_of);"
/* the at-risk list, largest ARR first, without sorting a million rows */
"CREATE INDEX snapshots_at_risk ON snapshots(profile, as_of, arr DESC)"
"  WHERE at_risk = 1;"
/* one row per scoring run: the summary reads this, not every snapshot */
"CREATE TABLE snapshot_stats ("
"  profile TEXT NOT NULL,"
"  as_of TEXT NOT NULL,"
"  customers INTEGER NOT NULL,"
"  green INTEGER NOT NULL,"
"  yellow INTEGER NOT NULL,"
"  red INTEGER NOT NULL,"
"  average REAL,"
"  at_risk INTEGER NOT NULL,"
"  at_risk_arr REAL NOT NULL,"
"  PRIMARY KEY (profile, as_of)"
") WITHOUT ROWID;"
/* the customer list's keyset orders (see lists.c) */
"CREATE INDEX snapshots_score ON snapshots(profile, as_of, score);"
"CREATE INDEX snapshots_trend ON snapshots(profile, as_of, delta30);"
"CREATE INDEX customers_arr ON customers(arr, customer_id);"
"CREATE INDEX customers_renewal ON customers(renewal_date, customer_id);"

/* actions and escalations produced by the rules (scoring/report issues) */
"CREATE TABLE actions ("
"  action_id INTEGER PRIMARY KEY,"
"  kind TEXT NOT NULL,"
/* what the action is about, e.g. "churn_risk:C00042" or
 * "product_gap:Feature Request/sso": one open action per key */
"  rule_key TEXT NOT NULL,"
"  customer_id TEXT REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  category TEXT,"
"  theme TEXT,"
"  arr REAL,"
"  reason TEXT NOT NULL,"
"  owner TEXT,"
"  created_at TEXT NOT NULL,"
"  last_seen TEXT NOT NULL,"	/* the run that raised it new (rules.c: a daily run's close
				   clears the open ones before its day it did not raise),
				   9999-12-31 while a review is overdue (reviews.c) */
"  due_at TEXT,"
"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN"
"    ('open','draft','sent','acknowledged','resolved','dismissed')),"
"  acknowledged_at TEXT,"
"  resolved_at TEXT,"
"  outcome TEXT,"
"  evidence TEXT,"
"  document TEXT,"	/* the hand-off as written and sent (escalate.h): anonymised */
"  sent_at TEXT"	/* first marked sent: the acknowledgement clock starts */
");"
"CREATE INDEX actions_status ON actions(status, due_at);"
"CREATE UNIQUE INDEX actions_open ON actions(rule_key)"
"  WHERE status NOT IN ('resolved','dismissed');"
/* today's actions: the open ones by due time, first page without a sort */
"CREATE INDEX actions_open_due ON actions(due_at)"
"  WHERE status NOT IN ('resolved','dismissed');"
"CREATE INDEX actions_customer ON actions(customer_id);"
/* the weekly report reads every open action through this index, not the table */
"CREATE INDEX actions_report ON actions(kind, status, customer_id, arr, due_at, created_at,"
"  resolved_at, sent_at, acknowledged_at);"

/* what a retention purge deleted, per calendar month, so trends survive (report.h) */
"CREATE TABLE monthly_aggregates ("
"  month TEXT NOT NULL,"	/* 'YYYY-MM' */
"  kind TEXT NOT NULL CHECK (kind IN ('nps','csat','tickets','outreach','usage')),"
"  category TEXT NOT NULL DEFAULT '',"	/* tickets: their category ('' none) */
"  events INTEGER NOT NULL DEFAULT 0,"	/* answers, tickets, contacts, usage rows */
"  customers INTEGER NOT NULL DEFAULT 0,"	/* distinct customers among them, summed per purge */
"  promoters INTEGER NOT NULL DEFAULT 0,"	/* nps */
"  passives INTEGER NOT NULL DEFAULT 0,"
"  detractors INTEGER NOT NULL DEFAULT 0,"
"  scored INTEGER NOT NULL DEFAULT 0,"	/* csat: answers on the 1-5 scale ... */
"  score_sum INTEGER NOT NULL DEFAULT 0,"	/* ... their sum */
"  satisfied INTEGER NOT NULL DEFAULT 0,"	/* csat: 4-5 of 5, or Good */
"  responded INTEGER NOT NULL DEFAULT 0,"	/* outreach */
"  PRIMARY KEY (month, kind, category)"
") WITHOUT ROWID;"

/* the release quality checklist of spec 000 v1.0 (dashboard issue) */
"CREATE TABLE checklists ("
"  checklist_id INTEGER PRIMARY KEY,"
"  title TEXT NOT NULL,"
"  revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),"
/* the signed checklist this revises; each is revised at most once */
"  parent_id INTEGER UNIQUE REFERENCES checklists(checklist_id),"
"  version TEXT NOT NULL DEFAULT '1.0',"
"  approval TEXT CHECK (approval IS NULL OR approval IN ('approved','gaps','unready')),"
"  notes TEXT,"
"  reviewer TEXT,"
"  signed_at TEXT,"	/* set when signed, with reviewer: then locked */
"  created_at TEXT NOT NULL,"
"  CHECK ((reviewer IS NULL) = (signed_at IS NULL))"
");"
"CREATE TABLE checklist_items ("
"  checklist_id INTEGER NOT NULL REFERENCES checklists(checklist_id) ON DELETE CASCADE,"
"  item INTEGER NOT NULL CHECK (item >= 1),"	/* 1..13 in v1.0 */
/* the item's wording when the checklist was created (assets/checklist.ini) */
"  title TEXT NOT NULL,"
"  text TEXT NOT NULL,"
"  answer TEXT CHECK (answer IS NULL OR answer IN ('yes','no','na')),"
"  note TEXT,"	/* a No's support risk, an N/A's justification, a Yes's comment */
"  PRIMARY KEY (checklist_id, item)"
") WITHOUT ROWID;"
"CREATE TABLE checklist_gaps ("
"  checklist_id INTEGER NOT NULL REFERENCES checklists(checklist_id) ON DELETE CASCADE,"
"  kind TEXT NOT NULL CHECK (kind IN ('docs','training','communication')),"
"  issue TEXT NOT NULL,"
"  PRIMARY KEY (checklist_id, kind, issue)"
") WITHOUT ROWID;"
/* a signed checklist is locked, whoever writes to the database */
"CREATE TRIGGER checklists_locked BEFORE UPDATE ON checklists"
"  WHEN OLD.signed_at IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'the checklist is signed and locked'); END;"
"CREATE TRIGGER checklist_items_locked_i BEFORE INSERT ON checklist_items"
"  WHEN (SELECT signed_at FROM checklists WHERE checklist_id = NEW.checklist_id) IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'the checklist is signed and locked'); END;"
"CREATE TRIGGER checklist_items_locked_u BEFORE UPDATE ON checklist_items"
"  WHEN (SELECT signed_at FROM checklists WHERE checklist_id = OLD.checklist_id) IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'the checklist is signed and locked'); END;"
"CREATE TRIGGER checklist_items_locked_d BEFORE DELETE ON checklist_items"
"  WHEN (SELECT signed_at FROM checklists WHERE checklist_id = OLD.checklist_id) IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'the checklist is signed and locked'); END;"
"CREATE TRIGGER checklist_gaps_locked_i BEFORE INSERT ON checklist_gaps"
"  WHEN (SELECT signed_at FROM checklists WHERE checklist_id = NEW.checklist_id) IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'the checklist is signed and locked'); END;"
"CREATE TRIGGER checklist_gaps_locked_d BEFORE DELETE ON checklist_gaps"
"  WHEN (SELECT signed_at FROM checklists WHERE checklist_id = OLD.checklist_id) IS NOT NULL"
"  BEGIN SELECT RAISE(ABORT, 'the checklist is signed and locked'); END;",

/* 2: billing and plan changes, for the churn-risk score (lifecycle issue) */
"CREATE TABLE payments ("
"  payment_id TEXT PRIMARY KEY NOT NULL,"
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  date TEXT NOT NULL,"
"  amount REAL CHECK (amount IS NULL OR amount >= 0),"
"  status TEXT NOT NULL CHECK (status IN"
"    ('paid','pending','overdue','failed','refunded','void'))"
");"
/* covering: a customer's failed payments of a window */
"CREATE INDEX payments_customer ON payments(customer_id, status, date);"
"CREATE TABLE plan_changes ("
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  date TEXT NOT NULL,"
"  from_plan TEXT NOT NULL,"
"  to_plan TEXT,"
"  change_kind TEXT CHECK (change_kind IS NULL OR change_kind IN"
"    ('upgrade','downgrade','cancel')),"	/* as the export named it */
"  from_arr REAL CHECK (from_arr IS NULL OR from_arr >= 0),"
"  to_arr REAL CHECK (to_arr IS NULL OR to_arr >= 0),"
/* the kind as named, else no plan after it (cancel), else the ARR moved;
 * NULL when nothing tells */
"  kind TEXT GENERATED ALWAYS AS (coalesce(change_kind,"
"    CASE WHEN to_plan IS NULL OR lower(to_plan) IN"
"           ('none','cancelled','canceled','cancel','churned','-') THEN 'cancel'"
"         WHEN to_arr < from_arr THEN 'downgrade'"
"         WHEN to_arr > from_arr THEN 'upgrade' END)) STORED,"
"  PRIMARY KEY (customer_id, date)"
") WITHOUT ROWID;",

/* 3: churn risk counts a customer's unresolved critical tickets (signals.c):
 * covering and partial, so it reads a few entries instead of every ticket */
"CREATE INDEX tickets_critical ON tickets(customer_id, created_at, resolved_at, status)"
"  WHERE urgency = 'high';",

/* 4: success plans with their milestones, and business reviews (lifecycle
 * issue; plans.h, reviews.h). Overdue is never stored: it depends on the day. */
"CREATE TABLE success_plans ("
"  plan_id INTEGER PRIMARY KEY,"
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  type TEXT NOT NULL,"	/* a [type.KEY] of assets/plans.ini */
"  title TEXT NOT NULL,"
"  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN"
"    ('active','on_hold','completed','cancelled')),"
"  objectives TEXT,"
"  created_at TEXT NOT NULL,"
"  updated_at TEXT NOT NULL"
");"
/* a customer's plans; "has it an open recovery plan?" */
"CREATE INDEX success_plans_customer ON success_plans(customer_id, type, status);"
"CREATE TABLE milestones ("
"  milestone_id INTEGER PRIMARY KEY,"
"  plan_id INTEGER NOT NULL REFERENCES success_plans(plan_id) ON DELETE CASCADE,"
"  title TEXT NOT NULL,"
"  due_date TEXT NOT NULL,"	/* 'YYYY-MM-DD' */
"  owner TEXT,"
"  priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN"
"    ('low','medium','high','critical')),"
"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN"
"    ('pending','in_progress','completed','cancelled')),"
"  completed_at TEXT,"
"  CHECK ((status = 'completed') = (completed_at IS NOT NULL))"
");"
"CREATE INDEX milestones_plan ON milestones(plan_id, due_date);"
/* the open ones by due date: overdue milestones without reading the done ones */
"CREATE INDEX milestones_open_due ON milestones(due_date, plan_id)"
"  WHERE status IN ('pending','in_progress');"
"CREATE TABLE business_reviews ("
"  review_id INTEGER PRIMARY KEY,"
"  customer_id TEXT NOT NULL REFERENCES customers(customer_id) ON DELETE CASCADE,"
"  type TEXT NOT NULL,"	/* a [review.KEY] of assets/plans.ini */
"  date TEXT NOT NULL,"	/* the day it was held, 'YYYY-MM-DD' */
"  attendees TEXT,"
"  achievements TEXT,"
"  challenges TEXT,"
"  decisions TEXT,"
"  action_items TEXT,"
"  rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),"
"  logged_at TEXT NOT NULL"
");"
/* the latest review of each customer: the next one's due date */
"CREATE INDEX business_reviews_customer ON business_reviews(customer_id, date);",

/* 5: renewal steps (renewals.c): what the last pass covered, so a scoring
 * run looks only at the steps that came due since, unless customers were
 * imported or the timeline changed */
"CREATE TABLE renewal_state ("
"  id INTEGER PRIMARY KEY CHECK (id = 1),"
"  as_of TEXT NOT NULL,"	/* the day of the last pass */
"  steps TEXT NOT NULL,"	/* its timeline, 'LABEL=OFFSET,...' */
"  import_id INTEGER NOT NULL"	/* the latest import it saw (imports.import_id) */
");",

/* 6: the figures of a scoring run's as-of windows (figures.c), so the summary,
 * the dashboard and the reports read them instead of scanning every answer and
 * ticket; and today's actions in their display order, for a first page
 * without a sort */
"CREATE TABLE run_figures ("
"  as_of TEXT PRIMARY KEY,"	/* the run's date: the windows end on it */
/* max(imports.import_id) when they were computed: an import since makes them stale */
"  import_id INTEGER NOT NULL,"
"  customers INTEGER NOT NULL,"
"  churned INTEGER NOT NULL,"
"  nps_promoters INTEGER NOT NULL,"	/* the 90 days to as_of (satisfaction.h) */
"  nps_passives INTEGER NOT NULL,"
"  nps_detractors INTEGER NOT NULL,"
"  csat_responses INTEGER NOT NULL,"
"  csat_scored INTEGER NOT NULL,"
"  csat_satisfied INTEGER NOT NULL,"
"  csat_average REAL NOT NULL,"	/* as cs_csat_window() computed them */
"  csat_satisfied_pct REAL NOT NULL,"
"  themes_ok INTEGER NOT NULL DEFAULT 1"	/* 0: a ticket was recategorised since */
") WITHOUT ROWID;"
/* every theme of the 7 days to as_of, in cs_themes() order (rank) */
"CREATE TABLE run_themes ("
"  as_of TEXT NOT NULL REFERENCES run_figures(as_of) ON DELETE CASCADE,"
"  rank INTEGER NOT NULL,"
"  category TEXT NOT NULL,"
"  theme TEXT NOT NULL,"
"  tickets INTEGER NOT NULL,"
"  customers INTEGER NOT NULL,"
"  arr REAL NOT NULL,"
"  PRIMARY KEY (as_of, rank)"
") WITHOUT ROWID;"
"DROP INDEX actions_open_due;"
"CREATE INDEX actions_open_due ON actions(due_at, arr IS NULL, arr DESC)"
"  WHERE status NOT IN ('resolved','dismissed');",

/* 7: business reviews imported from a CRM or spreadsheet (the reviews import
 * kind, kinds.c): the row's identity in its export — its id, else customer,
 * date and type with the occurrence — so re-importing is idempotent. NULL
 * for the reviews 'casey review log' writes. */
"ALTER TABLE business_reviews ADD COLUMN import_key TEXT;"
"CREATE UNIQUE INDEX business_reviews_import ON business_reviews(import_key);",

/* 8: a scoring run's at-risk customers by tier (tiers.h), kept so the
 * summary and the weekly report read a few rows; valid while no import
 * came after it (import_id) and tiers.ini says the same (tiers) */
"CREATE TABLE tier_risk ("
"  profile TEXT NOT NULL,"
"  as_of TEXT NOT NULL,"
"  tiers TEXT NOT NULL,"	/* the tiers it was counted with (cs_tiers_at_risk_store()) */
"  import_id INTEGER NOT NULL,"	/* the newest import then */
"  tier INTEGER NOT NULL,"	/* the tier's index; the count of tiers: none */
"  customers INTEGER NOT NULL,"
"  arr REAL NOT NULL,"
"  PRIMARY KEY (profile, as_of, tier)"
") WITHOUT ROWID;",

/* 9: the head of a run's at-risk list (figures.c), so the dashboard's first
 * frame reads a page of it instead of 25 snapshots and their customers */
"CREATE TABLE run_lists ("	/* one row per run whose head is kept */
"  profile TEXT NOT NULL,"
"  as_of TEXT NOT NULL,"
"  import_id INTEGER NOT NULL,"	/* as run_figures.import_id */
"  PRIMARY KEY (profile, as_of)"
") WITHOUT ROWID;"
"CREATE TABLE run_at_risk ("
"  profile TEXT NOT NULL,"
"  as_of TEXT NOT NULL,"
"  rank INTEGER NOT NULL,"	/* largest ARR first, as summary.h lists them */
"  customer_id TEXT NOT NULL,"
"  name TEXT NOT NULL,"
"  arr REAL,"
"  score INTEGER NOT NULL,"
"  band TEXT NOT NULL,"
"  trend TEXT NOT NULL,"
"  delta30 INTEGER,"
"  top_reason TEXT NOT NULL,"	/* the weakest measure, "component.measure" */
"  PRIMARY KEY (profile, as_of, rank)"
") WITHOUT ROWID;",

/* 10: the weekly report without reading a window's tickets or every
 * customer (report_data.c): tickets_created also holds the feature, so the
 * tickets about a feature are found in the index; the feature requests
 * have their own partial index (empty at import: the categoriser sets the
 * category); the customers with a churn signal other than their score
 * have theirs */
"DROP INDEX tickets_created;"
"CREATE INDEX tickets_created ON tickets(created_at, feature);"
"CREATE INDEX tickets_requests ON tickets(created_at, customer_id, theme)"
"  WHERE category = 'Feature Request';"
"CREATE INDEX customers_signals ON customers(customer_id)"
"  WHERE status IN ('cancel_requested', 'downgrade_requested')"
"     OR executive_escalation <> 0;",

/* 11: a lighter scoring run (issue 6): "any ticket without a theme?" and
 * "which open actions did this run not raise?" read small partial indexes
 * instead of whole tables. */
"CREATE INDEX tickets_uncategorised ON tickets(ticket_id) WHERE theme IS NULL;"
"CREATE INDEX actions_open_seen ON actions(last_seen) WHERE status = 'open';",

/* 12: a cheaper scoring run (issue 6): no per-customer snapshot index. Every
 * run inserted a row into it at a random place for each customer; a
 * customer's snapshots are found by walking the run dates by primary key
 * (snapshot.c, lists.c, signals.c) */
"DROP INDEX snapshots_customer;",

/* 13: a cheaper scoring read (issue 6): the per-customer indexes of NPS,
 * CSAT and outreach also hold the columns the scoring pass reads
 * (metrics.c), which then reads them in customer order from the index
 * alone, instead of finding the window's rows through the date indexes,
 * looking each up in the table and sorting them */
"DROP INDEX nps_customer;"
"CREATE INDEX nps_customer ON nps(customer_id, date, response_key, score);"
"DROP INDEX csat_customer;"
"CREATE INDEX csat_customer ON csat(customer_id, date, score, good);"
"DROP INDEX outreach_customer;"
"CREATE INDEX outreach_customer ON outreach(customer_id, date, responded);",

/* 14: smaller snapshots (issue 6): a run stores its profile's layout (the
 * components' and measures' names with their weights) once, and each of
 * its rows only the values (score.c); rows written before keep naming
 * everything themselves, and snapshot.c reads both forms */
"ALTER TABLE snapshot_stats ADD COLUMN layout TEXT;",

/* 15: cheaper row writes (issue 6): a CHECK (x IN ('a','b','c')) is coded
 * by SQLite as a temporary B-tree of the list, built, filled and dropped
 * at every row written (for a list of more than two constants), so every
 * snapshot row, action, customer, ticket and payment paid for one or two
 * of them. Written as x = 'a' OR x = 'b' OR ..., the same constraints are
 * a few comparisons. The tables stay as they are on disk: only the text
 * of their CHECKs changes, by SQLite's documented writable_schema edit
 * ("making other kinds of table schema changes" in its ALTER TABLE page)
 * where a table rebuild would copy every row. An edit whose text is not
 * found changes nothing and leaves that constraint as it was. RESET
 * reloads this connection's schema; the two DDL statements advance the
 * schema cookie, so that other connections reload theirs. */
"PRAGMA writable_schema = ON;"
"UPDATE sqlite_schema SET sql = replace(sql,"
"  'status IN    (''active'',''cancel_requested'',''downgrade_requested'',''churned'')',"
"  '(status = ''active'' OR status = ''cancel_requested''' ||"
"  ' OR status = ''downgrade_requested'' OR status = ''churned'')')"
" WHERE type = 'table' AND name = 'customers';"
"UPDATE sqlite_schema SET sql = replace(replace(sql,"
"  'sentiment IN    (''positive'',''neutral'',''frustrated'',''angry'')',"
"  '(sentiment = ''positive'' OR sentiment = ''neutral''' ||"
"  ' OR sentiment = ''frustrated'' OR sentiment = ''angry'')'),"
"  'category_source IN    (''export'',''rule'',''model'',''csm'')',"
"  '(category_source = ''export'' OR category_source = ''rule''' ||"
"  ' OR category_source = ''model'' OR category_source = ''csm'')')"
" WHERE type = 'table' AND name = 'tickets';"
"UPDATE sqlite_schema SET sql = replace(replace(sql,"
"  'band IN (''green'',''yellow'',''red'')',"
"  '(band = ''green'' OR band = ''yellow'' OR band = ''red'')'),"
"  'trend IN (''improving'',''stable'',''declining'')',"
"  '(trend = ''improving'' OR trend = ''stable'' OR trend = ''declining'')')"
" WHERE type = 'table' AND name = 'snapshots';"
"UPDATE sqlite_schema SET sql = replace(sql,"
"  'status IN    (''open'',''draft'',''sent'',''acknowledged'',''resolved'',''dismissed'')',"
"  '(status = ''open'' OR status = ''draft'' OR status = ''sent''' ||"
"  ' OR status = ''acknowledged'' OR status = ''resolved'' OR status = ''dismissed'')')"
" WHERE type = 'table' AND name = 'actions';"
"UPDATE sqlite_schema SET sql = replace(sql,"
"  'status IN    (''paid'',''pending'',''overdue'',''failed'',''refunded'',''void'')',"
"  '(status = ''paid'' OR status = ''pending'' OR status = ''overdue''' ||"
"  ' OR status = ''failed'' OR status = ''refunded'' OR status = ''void'')')"
" WHERE type = 'table' AND name = 'payments';"
"UPDATE sqlite_schema SET sql = replace(sql,"
"  'change_kind IN    (''upgrade'',''downgrade'',''cancel'')',"
"  '(change_kind = ''upgrade'' OR change_kind = ''downgrade'' OR change_kind = ''cancel'')')"
" WHERE type = 'table' AND name = 'plan_changes';"
"PRAGMA writable_schema = RESET;"
"CREATE TABLE schema_cookie_step (x);"
"DROP TABLE schema_cookie_step;",

/* 16: a faster satisfaction screen (issue 6): the CSAT date index also
 * holds the answer's context and ticket, so grouping a window's answers by
 * context or by their ticket's feature (analytics_sat.c) reads the index
 * alone instead of looking each answer up in the table: at a million
 * customers, 1.7 -> 0.7 s and 2.5 -> 1.2 s */
"DROP INDEX csat_date;"
"CREATE INDEX csat_date ON csat(date, score, good, context, ticket_id);",

/* 17: each retention purge's cutoff (purge.c), so that an import leaves
 * out the events of a purged period (import.c) instead of storing them
 * again for the next purge to count twice in monthly_aggregates. A
 * database purged before this migration gets the cutoff its aggregates
 * show: the first day after their latest month. */
"CREATE TABLE IF NOT EXISTS purges ("
"  purged_on TEXT NOT NULL,"	/* the as-of day of the purge; '' before migration 17 */
"  cutoff TEXT NOT NULL"	/* events dated before this day were deleted */
");"
"INSERT INTO purges (purged_on, cutoff)"
" SELECT '', date(max(month) || '-01', '+1 month') FROM monthly_aggregates"
" WHERE NOT EXISTS (SELECT 1 FROM purges) HAVING count(*) > 0;",

/* 18: the triage queue (issue 6): the tickets no export or CSM has
 * categorised, in the queue's order, so that counting them and paging
 * through them read this index instead of every ticket: at a million
 * customers (573,000 of 2,000,000 tickets waiting) the triage screen
 * opened in 0.7 s, looking up each ticket to read its category_source.
 * The WHERE is CS_TRIAGE_WAITING (tickets_int.h), word for word. */
"CREATE INDEX IF NOT EXISTS tickets_triage ON tickets(created_at, ticket_id)"
" WHERE category_source IS NULL OR category_source = 'rule'"
" OR category_source = 'model';",
};

#endif
