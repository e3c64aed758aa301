# Sourced by run.sh: success plans (plans.h) through `casey plan` — the
# recovery plans proposed for the sample's Red customers, milestones as
# today's actions, exact errors, hostile text. Uses run.sh's helpers and
# scoring.sh's scored sample ($sdb).

pdb="$T/plans.db"
cp "$sdb" "$pdb"
pl() { "$CASEY" --db "$pdb" --as-of 2026-11-20 plan "$@"; }

# --- recovery proposals: exactly the 40 Red customers, until one is accepted ---
expect_eq "plan proposed: one per Red customer of 2026-11-20" 40 \
	"$(pl proposed --format json | grep -o '"customer_id"' | wc -l)"
expect_eq "plan proposed: the same customers as customers --band red" \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-20 customers --band red --format json |
		grep -o '"customer_id":"[^"]*"' | sort | paste -sd' ')" \
	"$(pl proposed --format json | grep -o '"customer_id":"[^"]*"' | sort | paste -sd' ')"
expect_eq "plan proposed: largest ARR first" \
	'ID         NAME                                      ARR SCORE  CSM
C00187     Upland Media Systems                   285400    40  Jonas Becker' \
	"$(pl proposed | head -2)"
expect_eq "plan accept prints the new plan's id" 1 "$(pl accept C00156 2>"$T/pl.err")"
expect_eq "plan accept writes nothing to stderr" "" "$(cat "$T/pl.err")"
expect_eq "an accepted proposal is no longer proposed" 39 \
	"$(pl proposed --format json | grep -o '"customer_id"' | wc -l)"
expect_eq "plan proposed closing line" \
	"39 Red customers without an open recovery plan; accept one with: casey plan accept CUSTOMER_ID" \
	"$(pl proposed | tail -1)"
pl accept C00156 >/dev/null 2>"$T/pl.err"
expect_eq "accepting twice exits 1" 1 $?
expect_eq "accepting twice says why" \
	"casey: no recovery plan is proposed for 'C00156' on 2026-11-20: it is not Red in its latest 'default' score, or it has an open recovery plan (casey plan list C00156)" \
	"$(cat "$T/pl.err")"
expect_eq "the recovery template, due from 2026-11-20, owned by the CSM" \
	"    1  2026-11-22  critical  pending      Priya Nair        Root cause of the health drop reviewed (weakest measures, tickets)
    2  2026-11-25  critical  pending      Priya Nair        Call with the sponsor: recovery goals agreed
    3  2026-12-04  high      pending      Priya Nair        Fix or workaround in place for the top blocking issue
    4  2026-12-20  high      pending      Priya Nair        Adoption back to the agreed level
    5  2027-01-04  medium    pending      Priya Nair        Recovery review: health out of Red, plan closed or escalated" \
	"$(pl show 1 | grep '^ *[0-9]  2026\|^ *[0-9]  2027')"
# cancelling the plan proposes it again
pl set 1 --status cancelled >/dev/null
expect_eq "a cancelled recovery plan is proposed again" 40 \
	"$(pl proposed --format json | grep -o '"customer_id"' | wc -l)"

# --- milestones: due yesterday, today, tomorrow; one action, resolved when ticked ---
expect_eq "plan new --empty prints the id" 2 "$(pl new C00001 quarterly --empty --title 'Q4 review')"
pl milestone add 2 'Sponsor call' --due 2026-11-19 --owner 'Sam Okafor' --priority high >/dev/null
pl milestone add 2 'Metrics pack' --due 2026-11-20 >/dev/null
expect_eq "milestone add prints the new milestone's id" 8 \
	"$(pl milestone add 2 'Agenda' --due 2026-11-21)"
expect_eq "plan show marks only the one due yesterday overdue" \
	"    6  2026-11-19  high      OVERDUE      Sam Okafor        Sponsor call
    7  2026-11-20  medium    pending      -                 Metrics pack
    8  2026-11-21  medium    pending      -                 Agenda

0 of 3 done, 1 overdue" \
	"$(pl show 2 | sed -n '/^ *6 /,$p')"
"$CASEY" --db "$pdb" --as-of 2026-11-20 score >/dev/null 2>&1
"$CASEY" --db "$pdb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "two runs raise one action for the overdue milestone" \
	'"kind":"milestone","customer_id":"C00001" "owner":"Sam Okafor","created_at":"2026-11-20","due_at":"2026-11-19 23:59:59","status":"open","overdue":true' \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --all --kind milestone --format json |
		grep -o '"kind":"milestone","customer_id":"[^"]*"\|"owner":.*"overdue":[a-z]*' | paste -sd' ')"
aid=$("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --kind milestone --format json | grep -o '"id":[0-9]*' | cut -d: -f2)
expect_eq "milestone done resolves its action" "milestone 6 completed; action $aid resolved" \
	"$(pl milestone done 6)"
expect_eq "no open milestone action left" "[]" \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --kind milestone --format json)"
"$CASEY" --db "$pdb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "the next run does not raise a completed milestone" "[]" \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --kind milestone --format json)"
expect_eq "plan list" \
	"  ID  CUSTOMER   TYPE       STATUS     DONE OVERDUE NEXT DUE    TITLE
   2  C00001     quarterly  active      1/3       0 2026-11-20  Q4 review" \
	"$(pl list)"
expect_eq "plan list --all shows the cancelled one" 2 "$(pl list --all --format json | grep -o '"id"' | wc -l)"
expect_eq "plan show --format json" \
	'{"id":6,"title":"Sponsor call","due":"2026-11-19","owner":"Sam Okafor","priority":"high","status":"completed","completed_at":"2026-11-20","overdue":false}' \
	"$(pl show 2 --format json | grep -o '{"id":6[^}]*}')"
expect_eq "milestone set moves and reassigns" "milestone 7 updated" \
	"$(pl milestone set 7 --due 2026-12-01 --owner 'Priya Nair' --status in-progress)"
expect_eq "milestone set stored it" "2026-12-01|Priya Nair|in_progress" \
	"$(sqlite3 "$pdb" "SELECT due_date, owner, status FROM milestones WHERE milestone_id = 7" | paste -sd'|')"

# --- errors: exit 2 naming the argument, exit 1 for what the data refuses; nothing written ---
before=$(sqlite3 "$pdb" "SELECT count(*) FROM milestones")
pl milestone add 2 'Late' --due 2026-02-30 >/dev/null 2>"$T/pl.err"
expect_eq "an impossible --due exits 2" 2 $?
expect_eq "an impossible --due is named" \
	"casey: plan milestone add: --due '2026-02-30' is not a date (YYYY-MM-DD)
usage: casey plan milestone add PLAN_ID TITLE --due DATE [--owner NAME] [--priority low|medium|high|critical]" \
	"$(head -2 "$T/pl.err")"
pl milestone add 2 'Late' >/dev/null 2>"$T/pl.err"
expect_eq "a milestone without --due" "casey: plan milestone add: --due DATE is required" \
	"$(head -1 "$T/pl.err")"
pl milestone add 2 'Late' --due 2026-12-01 --priority urgent >/dev/null 2>"$T/pl.err"
expect_eq "a bad --priority" \
	"casey: plan milestone add: --priority is low, medium, high or critical, not 'urgent'" \
	"$(head -1 "$T/pl.err")"
pl milestone add 2 "$(printf 'Call \033]0;pwned\007')" --due 2026-12-01 >/dev/null 2>"$T/pl.err"
expect_eq "an escape sequence in TITLE exits 2" 2 $?
expect_eq "an escape sequence in TITLE is refused by name" \
	"casey: plan milestone add: TITLE must not contain control characters (nor line breaks or tabs)" \
	"$(head -1 "$T/pl.err")"
pl milestone add x 'Late' --due 2026-12-01 >/dev/null 2>"$T/pl.err"
expect_eq "a bad PLAN_ID" "casey: plan milestone add: PLAN_ID is a plan number, not 'x'" \
	"$(head -1 "$T/pl.err")"
pl milestone add 99 'Late' --due 2026-12-01 >/dev/null 2>"$T/pl.err"
expect_eq "an unknown plan exits 1" 1 $?
expect_eq "an unknown plan is named" "casey: no plan 99" "$(cat "$T/pl.err")"
expect_eq "nothing was written by the refused commands" "$before" \
	"$(sqlite3 "$pdb" "SELECT count(*) FROM milestones")"
pl new C00001 renewal >/dev/null 2>"$T/pl.err"
expect_eq "an unknown TYPE comes from plans.ini" \
	"casey: plan new: TYPE is one of onboarding, quarterly, annual, expansion, recovery, not 'renewal'" \
	"$(head -1 "$T/pl.err")"
pl new NOPE recovery >/dev/null 2>"$T/pl.err"
expect_eq "an unknown customer exits 1" "1|casey: no customer 'NOPE'" "$?|$(cat "$T/pl.err")"
pl set 2 --status paused >/dev/null 2>"$T/pl.err"
expect_eq "a bad plan --status" \
	"casey: plan set: --status is active, on_hold, completed or cancelled, not 'paused'" \
	"$(head -1 "$T/pl.err")"
pl milestone set 7 >/dev/null 2>"$T/pl.err"
expect_eq "milestone set without a change" \
	"casey: plan milestone set: nothing to change (--title, --due, --owner, --priority, --status)" \
	"$(head -1 "$T/pl.err")"
pl milestone frob 7 >/dev/null 2>"$T/pl.err"
expect_eq "an unknown two-word subcommand" "casey: plan: unknown subcommand 'milestone frob'" \
	"$(grep '^casey:' "$T/pl.err")"
pl list --format xml >/dev/null 2>"$T/pl.err"
expect_eq "a bad --format" "casey: plan list: --format is text or json, not 'xml'" \
	"$(head -1 "$T/pl.err")"

# Hostile text: a bidi override is kept, shown as a placeholder, escaped in JSON.
pl milestone add 2 "$(printf 'Evil \342\200\256gnp.exe')" --due 2026-12-02 >/dev/null
expect_eq "a bidi override is a placeholder in plan show" 1 \
	"$(pl show 2 | grep -c 'Evil <BIDI>gnp.exe')"
expect_eq "a bidi override is escaped in JSON" 1 \
	"$(pl show 2 --format json | grep -c '"title":"Evil \\u202egnp.exe"')"
# A customer named with an escape sequence: placeholders in text, \u001b in JSON.
printf 'customer_id,name\nE1,"\033]0;pwned\007Evil"\n' >"$T/pl-esc.csv"
"$CASEY" --db "$pdb" import "$T/pl-esc.csv" >/dev/null 2>&1
expect_eq "refused plans took no id" 3 "$(pl new E1 onboarding --empty)"
pl show 3 >"$T/pl.out" 2>&1
if grep -q "$(printf '\033')" "$T/pl.out"; then bad "an ESC byte reached plan show"; else ok; fi
expect_eq "the customer's escape sequence is a placeholder" "customer: ^[]0;pwned^GEvil (E1)" \
	"$(grep '^customer:' "$T/pl.out")"
expect_eq "and escaped in JSON" 1 \
	"$(pl show 3 --format json | grep -c '"customer":"\\u001b]0;pwned\\u0007Evil"')"

# --- business reviews: the next one from the tier's cadence, overdue ones as actions ---
# The sample's review history (sample-data/reviews.csv, imported with the
# rest) keeps most customers on cadence; C00204 (Mid-Market, a customer
# since 2026-09-10) was never reviewed.
rv() { "$CASEY" --db "$pdb" --as-of 2026-11-20 review "$@"; }
expect_eq "never reviewed: due one cadence after created_at (2026-09-10 + 30)" \
	"Mid-Market, every 30 days; last review never (counted from created_at); next due 2026-10-10 (overdue)" \
	"$(rv due C00204)"
expect_eq "reviewed: due one cadence after the last review (2026-11-20 + 30)" \
	"Enterprise, every 30 days; last review 2026-11-20; next due 2026-12-20" "$(rv due C00187)"
expect_eq "Trial has no cadence" \
	"no business review due: the tier Trial/Freemium has no review cadence (or the customer churned)" \
	"$(rv due C00156)"
# Every non-churned customer of a tier with a cadence whose last review (else
# created_at) is more than a cadence before the day, counted in SQL apart from
# casey: the sample's segments are the tiers' names (Enterprise, Mid-Market 30
# days, Small Business 90, Trial none), all created_at known. By hand from
# reviews.csv and customers.csv: 17.
want=$(sqlite3 "$pdb" "SELECT count(*) FROM customers c WHERE status <> 'churned' AND
	date(coalesce((SELECT max(date) FROM business_reviews r WHERE r.customer_id = c.customer_id),
	created_at), '+' || CASE segment WHEN 'Enterprise' THEN 30 WHEN 'Mid-Market' THEN 30
	WHEN 'Small Business' THEN 90 END || ' days') < '2026-11-20'")
expect_eq "overdue reviews in the sample: 17" 17 "$want"
expect_eq "one overdue-review action per customer past due (2 runs)" "$want" \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --all --kind business_review --format json |
		grep -o '"kind":"business_review"' | wc -l)"
expect_eq "the overdue-review action of C00204" \
	'"owner":"Tom Gallagher","created_at":"2026-11-20","due_at":"2026-10-10 23:59:59","status":"open","overdue":true' \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --kind business_review --format json |
		grep '"customer_id":"C00204"' | grep -o '"owner":.*"overdue":[a-z]*')"
rid=$(rv log C00204 qbr --date 2026-10-21 --rating 4 --attendees 'Ana Silva (VP Ops), Tom Gallagher' \
	--achievements "$(printf 'SSO live\nExport fixed')" --decisions 'Annual plan' 2>"$T/rv.err")
expect_eq "review log prints the id (after the sample's 1597)" 1598 "$rid"
expect_eq "a review that catches up resolves the action" \
	"casey: action $("$CASEY" --db "$pdb" --as-of 2026-11-20 actions --all --kind business_review --format json |
		grep '"customer_id":"C00204"' | grep -o '"id":[0-9]*' | cut -d: -f2) (the overdue business review) resolved" \
	"$(cat "$T/rv.err")"
expect_eq "next due = last review + 30: due today is not overdue" \
	"Mid-Market, every 30 days; last review 2026-10-21; next due 2026-11-20" "$(rv due C00204)"
expect_eq "the day after, it is" \
	"Mid-Market, every 30 days; last review 2026-10-21; next due 2026-11-20 (overdue)" \
	"$("$CASEY" --db "$pdb" --as-of 2026-11-21 review due C00204)"
expect_eq "review show" \
	"review 1598: Quarterly business review (QBR) on 2026-10-21
customer:      $(sqlite3 "$pdb" "SELECT name FROM customers WHERE customer_id = 'C00204'") (C00204)
rating:        4/5
attendees:     Ana Silva (VP Ops), Tom Gallagher
achievements:  SSO live
               Export fixed
challenges:    -
decisions:     Annual plan
action items:  -
logged 2026-11-20" "$(rv show 1598)"
expect_eq "review list --format json" \
	"[{\"id\":1598,\"customer_id\":\"C00204\",\"customer\":\"$(sqlite3 "$pdb" "SELECT name FROM customers WHERE customer_id = 'C00204'")\",\"type\":\"qbr\",\"date\":\"2026-10-21\",\"rating\":4,\"attendees\":\"Ana Silva (VP Ops), Tom Gallagher\"}]" \
	"$(rv list C00204 --format json)"
expect_eq "review show --format json keeps the line break, escaped" 1 \
	"$(rv show 1598 --format json | grep -c '"achievements":"SSO live\\nExport fixed"')"
before=$(sqlite3 "$pdb" "SELECT count(*) FROM business_reviews")
rv log C00187 qbr --rating 7 >/dev/null 2>"$T/rv.err"
expect_eq "a rating out of range exits 2" 2 $?
expect_eq "a rating out of range is named" \
	"casey: review log: --rating is a whole number 1..5, not '7'
usage: casey review log CUSTOMER_ID TYPE [--date DATE] [--attendees TEXT] [--achievements TEXT] [--challenges TEXT] [--decisions TEXT] [--action-items TEXT] [--rating 1-5]" \
	"$(head -2 "$T/rv.err")"
rv log C00187 qbr --date 2026-11-21 >/dev/null 2>"$T/rv.err"
expect_eq "a review after --as-of" \
	"casey: review log: --date 2026-11-21 is after the as-of date 2026-11-20 (log a review once it is held)" \
	"$(head -1 "$T/rv.err")"
rv log C00187 qbr --date 21/11/2026 >/dev/null 2>"$T/rv.err"
expect_eq "a --date that is not ISO" "casey: review log: --date '21/11/2026' is not a date (YYYY-MM-DD)" \
	"$(head -1 "$T/rv.err")"
rv log C00187 quarterly >/dev/null 2>"$T/rv.err"
expect_eq "an unknown review TYPE comes from plans.ini" \
	"casey: review log: TYPE is one of weekly, monthly, qbr, annual, ebr, strategic, not 'quarterly'" \
	"$(head -1 "$T/rv.err")"
rv log C00187 qbr --decisions "$(printf 'ok \033[2J')" >/dev/null 2>"$T/rv.err"
expect_eq "an escape sequence in --decisions is refused by name" \
	"casey: review log: --decisions must not contain control characters" "$(head -1 "$T/rv.err")"
rv log NOPE qbr >/dev/null 2>"$T/rv.err"
expect_eq "an unknown customer exits 1" "1|casey: no customer 'NOPE'" "$?|$(cat "$T/rv.err")"
expect_eq "nothing was written by the refused reviews" "$before" \
	"$(sqlite3 "$pdb" "SELECT count(*) FROM business_reviews")"

# --- casey score checks tiers.ini and plans.ini before it touches the database ---
# (the run needs the tiers' review cadences at its end: a broken file found
# there would come after the scores were committed)
mkdir -p "$T/badlife"
cp -R "$TOP/assets/." "$T/badlife/"
sed 's/^review_days = 90$/review_days = quarterly/' "$TOP/assets/tiers.ini" >"$T/badlife/tiers.ini"
tline=$(grep -n '^review_days = quarterly$' "$T/badlife/tiers.ini" | cut -d: -f1)
sqlite3 "$pdb" .dump >"$T/life.before"
CASEY_ASSETS="$T/badlife" "$CASEY" --db "$pdb" --as-of 2026-11-21 score >"$T/life.out" 2>"$T/life.err"
expect_eq "a broken tiers.ini: score exits 1" 1 $?
expect_eq "a broken tiers.ini: FILE:LINE" \
	"casey: $T/badlife/tiers.ini:$tline: review_days is a whole number of days or 'none', not 'quarterly'" \
	"$(cat "$T/life.err")"
expect_eq "a broken tiers.ini: nothing scored" "" "$(cat "$T/life.out")"
sqlite3 "$pdb" .dump >"$T/life.after"
expect_file_eq "a broken tiers.ini: the database is unchanged" "$T/life.before" "$T/life.after"
cp "$TOP/assets/tiers.ini" "$T/badlife/tiers.ini"
sed 's/^label = Strategic review$/title = Strategic review/' "$TOP/assets/plans.ini" \
	>"$T/badlife/plans.ini"
pline=$(grep -n '^title = Strategic review$' "$T/badlife/plans.ini" | cut -d: -f1)
CASEY_ASSETS="$T/badlife" "$CASEY" --db "$pdb" --as-of 2026-11-21 score >"$T/life.out" 2>"$T/life.err"
expect_eq "a broken plans.ini: score exits 1" 1 $?
expect_eq "a broken plans.ini: FILE:LINE" \
	"casey: $T/badlife/plans.ini:$pline: unknown setting 'title' in [review.strategic]" \
	"$(cat "$T/life.err")"
sqlite3 "$pdb" .dump >"$T/life.after"
expect_file_eq "a broken plans.ini: the database is unchanged" "$T/life.before" "$T/life.after"

# --- importing the review history: the sample's 226 overdue reviews become 17 ---
# Without reviews.csv every customer of a tier with a cadence past its first
# due date is overdue (226 of 300, by hand from customers.csv); importing the
# history clears all but the 17 lapsed ones on the next run.
ndb="$T/noreviews.db"
cp "$sdb" "$ndb"
sqlite3 "$ndb" "DELETE FROM business_reviews"
"$CASEY" --db "$ndb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "no review history: 226 overdue-review actions" 226 \
	"$("$CASEY" --db "$ndb" --as-of 2026-11-20 actions --kind business_review --format json |
		grep -o '"kind":"business_review"' | wc -l)"
"$CASEY" --db "$ndb" --as-of 2026-11-20 import "$TOP/sample-data/reviews.csv" >"$T/ri.out" 2>&1
expect_eq "reviews.csv imports as reviews" \
	"$TOP/sample-data/reviews.csv: reviews: 1597 rows: 1597 inserted, 0 updated, 0 unchanged, 0 skipped" \
	"$(cat "$T/ri.out")"
"$CASEY" --db "$ndb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "after the import and a run: 17 open" 17 \
	"$("$CASEY" --db "$ndb" --as-of 2026-11-20 actions --kind business_review --format json |
		grep -o '"kind":"business_review"' | wc -l)"
expect_eq "and the other 209 resolved by the run" 209 \
	"$(sqlite3 "$ndb" "SELECT count(*) FROM actions WHERE kind = 'business_review'
		AND status = 'resolved'")"
expect_eq "review due sees the imported history" \
	"Enterprise, every 30 days; last review 2026-11-20; next due 2026-12-20" \
	"$("$CASEY" --db "$ndb" --as-of 2026-11-20 review due C00187)"
"$CASEY" --db "$ndb" --as-of 2026-11-20 import "$TOP/sample-data/reviews.csv" >"$T/ri.out" 2>&1
expect_eq "re-importing it changes nothing" \
	"$TOP/sample-data/reviews.csv: reviews: 1597 rows: 0 inserted, 0 updated, 1597 unchanged, 0 skipped" \
	"$(cat "$T/ri.out")"
# A bad row: its line and column, and nothing from the file is stored.
sqlite3 "$ndb" .dump >"$T/ri.before"
printf 'Account,Meeting date,Review type,Rating\nC00204,2026-10-21,QBR,5\nC00204,2026-11-02,Monthly check-in,6\n' \
	>"$T/crm-reviews.csv"
"$CASEY" --db "$ndb" --as-of 2026-11-20 import "$T/crm-reviews.csv" >/dev/null 2>"$T/ri.err"
expect_eq "a rating of 6: exit 1" 1 $?
expect_eq "a rating of 6: FILE:LINE: column" \
	"casey: $T/crm-reviews.csv:3: column 'Rating': '6' is not a rating (1-5)
casey: $T/crm-reviews.csv: nothing imported: 1 bad row (fix it or use --skip-bad)" \
	"$(cat "$T/ri.err")"
sqlite3 "$ndb" .dump >"$T/ri.after"
expect_file_eq "a refused reviews file stores nothing" "$T/ri.before" "$T/ri.after"
