# Sourced by run.sh: customer tiers (seed 003) and renewals (seed 004)
# through the command line. Uses run.sh's helpers ($CASEY, $T, $TOP,
# expect_eq, ok, bad).

# --- tiers: the edges to the cent, a named tier over the ARR, unknown ARR ----
tdb="$T/tiers.db"
cat >"$T/tiers.csv" <<'CSV'
customer_id,name,segment,arr
T01,At 100k,,100000.00
T02,Just under 100k,,99999.99
T03,At 25k,,25000
T04,Just under 25k,,24999.99
T05,At 5k,,5000.00
T06,Just under 5k,,4999.99
T07,Named Enterprise,Enterprise,1200
T08,Named mid market,mid market,
T09,Nothing known,,
T10,Unknown segment,Public Sector,
T11,Unknown segment with ARR,Public Sector,30000
T12,Named trial,TRIAL,250000
CSV
"$CASEY" --db "$tdb" import "$T/tiers.csv" >/dev/null 2>&1
"$CASEY" --db "$tdb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "tier of each customer (csv)" \
"T01,Enterprise
T02,Mid-Market
T03,Mid-Market
T04,Small Business
T05,Small Business
T06,Trial/Freemium
T07,Enterprise
T08,Mid-Market
T09,
T10,
T11,Mid-Market
T12,Trial/Freemium" \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --format csv | tail -n +2 | sort |
	   awk -F, '{ print $1 "," $NF }')"
tj=$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --format json)
case "$tj" in
*'"customer_id":"T09","name":"Nothing known","segment":null,"tier":null,"arr":null'*) ok ;;
*) bad "customers json: no tier is null" ;;
esac
case "$tj" in
*'"customer_id":"T02","name":"Just under 100k","segment":null,"tier":"Mid-Market","arr":99999.99'*) ok ;;
*) bad "customers json: the tier beside the segment" ;;
esac
expect_eq "customers --tier enterprise" "T01 T07 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier enterprise --format csv |
	   tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')"
expect_eq "customers --tier 'Small-Business' (case and punctuation do not count)" "T04 T05 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier Small-Business --format csv |
	   tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')"
expect_eq "customers --tier none" "T09 T10 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier none --format csv |
	   tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')"
expect_eq "customers table: the tier column, - for none" \
	"T09        Nothing known                         unknown" \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers | grep '^T09 ' | cut -c1-56)"
expect_eq "customers table: no tier is -" "-" \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers | grep '^T09 ' | awk '{ print $NF }')"
"$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier gold >"$T/tier.out" 2>&1
expect_eq "customers --tier gold exits 2" 2 $?
expect_eq "customers --tier gold says which tiers there are" \
	"casey: customers: --tier is one of Enterprise, Mid-Market, Small Business, Trial/Freemium, none, not 'gold'" \
	"$(head -1 "$T/tier.out")"

# A broken tiers.ini is refused with its FILE:LINE, before the database is read.
mkdir -p "$T/badassets"
cp -R "$TOP/assets/." "$T/badassets/"
sed 's/^arr_below = 100000$/arr_below = 99999.99/' "$TOP/assets/tiers.ini" >"$T/badassets/tiers.ini"
CASEY_ASSETS="$T/badassets" "$CASEY" --db "$tdb" --as-of 2026-11-20 customers >"$T/badtier.out" 2>&1
expect_eq "a gap in tiers.ini: customers exits 1" 1 $?
expect_eq "a gap in tiers.ini is named with its line" \
	"casey: $T/badassets/tiers.ini:29: ARR from 99999.99 to 100000.00 has no tier ([Mid-Market] ends, [Enterprise] starts later)" \
	"$(cat "$T/badtier.out")"
sed 's/^csm_ratio = 1:20$/csm_ratio = twenty/' "$TOP/assets/tiers.ini" >"$T/badassets/tiers.ini"
CASEY_ASSETS="$T/badassets" "$CASEY" --db "$tdb" --as-of 2026-11-20 customers >"$T/badtier.out" 2>&1
expect_eq "a bad csm_ratio is named with its line" \
	"casey: $T/badassets/tiers.ini:43: csm_ratio is '1:N' or 'automated', not 'twenty'" \
	"$(cat "$T/badtier.out")"
cp "$TOP/assets/tiers.ini" "$T/badassets/tiers.ini"

# --- renewals: the steps a scoring run raises, once; resolved stays resolved ---
ndb="$T/renewals.db"
N() { day=$1; shift; "$CASEY" --db "$ndb" --as-of "$day" "$@"; }
nq() { sqlite3 "$ndb" "$1"; }
cat >"$T/renewals.csv" <<'CSV'
customer_id,name,segment,arr,csm,renewal_date,status
R1,Renews in February,Enterprise,120000,Maya Chen,2027-02-09,active
R2,Renews before Christmas,,30000,,2026-12-20,active
R3,Churned,,5000,Maya Chen,2026-12-01,churned
R4,No renewal date,,5000,Maya Chen,,active
CSV
N 2026-11-11 import "$T/renewals.csv" >/dev/null 2>&1
# 2026-11-11 is R1's T-90 (2027-02-09 - 90 days) and R2 is 39 days out.
N 2026-11-11 score >/dev/null 2>&1
expect_eq "score raises every due step of every renewing customer" \
"renewal:R1:2027-02-09:T-120|2026-10-12 00:00:00|Maya Chen|open
renewal:R1:2027-02-09:T-90|2026-11-11 00:00:00|Maya Chen|open
renewal:R2:2026-12-20:T-120|2026-08-22 00:00:00|CSM|open
renewal:R2:2026-12-20:T-60|2026-10-21 00:00:00|CSM|open
renewal:R2:2026-12-20:T-90|2026-09-21 00:00:00|CSM|open" \
	"$(nq "SELECT rule_key, due_at, owner, status FROM actions WHERE kind = 'renewal' ORDER BY rule_key")"
N 2026-11-11 score >/dev/null 2>&1
expect_eq "scoring the same day again raises nothing twice" 5 \
	"$(nq "SELECT count(*) FROM actions WHERE kind = 'renewal'")"
expect_eq "casey actions lists a step with its reason" \
	'"reason":"Executive engagement (T-90 of the renewal on 2027-02-09)","owner":"Maya Chen","created_at":"2026-11-11","due_at":"2026-11-11 00:00:00","status":"open","overdue":true,"evidence":"Engage the customer'"'"'s executives and hold the QBR"' \
	"$(N 2026-11-11 actions --kind renewal --format json | grep -o '"reason":"Executive engagement (T-90 of the renewal on 2027-02-09)[^}]*QBR"')"
kick=$(nq "SELECT action_id FROM actions WHERE rule_key = 'renewal:R1:2027-02-09:T-120'")
N 2026-11-12 action --outcome "ROI documented" "$kick" resolved >/dev/null
N 2026-11-12 score >/dev/null 2>&1
expect_eq "a resolved step stays resolved on the next run" \
	"renewal:R1:2027-02-09:T-120|resolved|ROI documented" \
	"$(nq "SELECT rule_key, status, outcome FROM actions WHERE customer_id = 'R1' AND rule_key LIKE '%T-120'")"
expect_eq "and is not raised again" 4 \
	"$(nq "SELECT count(*) FROM actions WHERE kind = 'renewal' AND status = 'open'")"

# --- the pipeline command ------------------------------------------------------
expect_eq "renewals --format csv: the customers within 60 days, their next step" \
"renewal_date,days,customer_id,name,arr,tier,csm,next_step,next_step_title,next_step_date,next_step_due
2026-12-20,38,R2,Renews before Christmas,30000.00,Mid-Market,,T-120,Internal kickoff,2026-08-22,yes" \
	"$(N 2026-11-12 renewals --within 60 --format csv | cut -d, -f1-7,12-)"
expect_eq "renewals --within 90: R1 next step is T-90 (T-120 is resolved)" \
	"R1,T-90,Executive engagement,2026-11-11,yes" \
	"$(N 2026-11-12 renewals --within 90 --format csv | grep '^2027' | cut -d, -f3,12-)"
N 2026-11-12 renewals --format json >"$T/ren.json"
json_ok "renewals --format json" "$T/ren.json"
case $(cat "$T/ren.json") in
*'"within":120,"windows":[{"from":0,"to":30,"customers":0,'*'"total":{"from":0,"to":120,"customers":2,"arr":150000.00,"arr_unknown":0,'*) ok ;;
*) bad "renewals json: windows and total" ;;
esac
case $(cat "$T/ren.json") in
*'"next_step":{"step":"T-90","title":"Executive engagement","date":"2026-11-11","due":true,"due_steps":1}'*) ok ;;
*) bad "renewals json: R1's next step" ;;
esac
expect_eq "renewals table: the total line" \
	"Renewals within 120 days of 2026-11-12 (health of 2026-11-12): 2 customers, ARR 150000" \
	"$(N 2026-11-12 renewals | head -1)"
N 2026-11-12 renewals --within soon >"$T/w.out" 2>&1
expect_eq "renewals --within soon exits 2" 2 $?
expect_eq "renewals --within soon says why" \
	"casey: renewals: --within is a number of days 0-3650, not 'soon'" "$(head -1 "$T/w.out")"
N 2026-11-12 renewals --format xml >/dev/null 2>&1
expect_eq "renewals --format xml exits 2" 2 $?

# An import that makes R2 churned: its open steps are cleared on the next run.
printf 'customer_id,name,status\nR2,Renews before Christmas,churned\n' >"$T/churn.csv"
N 2026-11-13 import "$T/churn.csv" >/dev/null 2>&1
N 2026-11-13 score >/dev/null 2>&1
expect_eq "a customer imported as churned has no open step left" \
	"0|3" "$(nq "SELECT total(status = 'open'), total(outcome = 'cleared: the rule no longer fires')
	        FROM actions WHERE kind = 'renewal' AND customer_id = 'R2'" | sed 's/\.0//g')"

# After R1's renewal: nothing due; its open steps are cleared by the next run.
N 2027-02-10 score >"$T/late.out" 2>&1 || cat "$T/late.out" >&2
expect_eq "the day after the renewal every open step of it is cleared" 0 \
	"$(nq "SELECT count(*) FROM actions WHERE kind = 'renewal' AND customer_id = 'R1' AND status = 'open'")"

# A broken renewals.ini stops casey score before the database is touched.
sed 's/^offset_days = 60$/offset_days = sixty/' "$TOP/assets/renewals.ini" >"$T/badassets/renewals.ini"
before=$(nq "SELECT count(*) FROM snapshots")
CASEY_ASSETS="$T/badassets" "$CASEY" --db "$ndb" --as-of 2027-02-11 score >"$T/badren.out" 2>&1
expect_eq "a bad renewals.ini: score exits 1" 1 $?
expect_eq "a bad renewals.ini is named with its line" \
	"casey: $T/badassets/renewals.ini:32: offset_days is a whole number of days 0-3650, not 'sixty'" \
	"$(cat "$T/badren.out")"
expect_eq "a bad renewals.ini: nothing scored" "$before" "$(nq "SELECT count(*) FROM snapshots")"
cp "$TOP/assets/renewals.ini" "$T/badassets/renewals.ini"

# --- at-risk ARR by tier: summary and the weekly report, against SQL ------------
# The sample's segments all name a tier, so grouping the run's at-risk
# snapshots by segment in SQL must give the same figures.
sj=$("$CASEY" --db "$sdb" --as-of 2026-11-20 summary --format json)
want=$(sqlite3 "$sdb" "SELECT group_concat(x, ',') FROM (SELECT printf('{\"tier\":\"%s\",\"customers\":%d,\"arr\":%.2f}',
	CASE c.segment WHEN 'Trial' THEN 'Trial/Freemium' ELSE c.segment END, count(*), total(s.arr)) AS x
	FROM snapshots s JOIN customers c USING (customer_id)
	WHERE s.profile = 'default' AND s.as_of = '2026-11-20' AND s.at_risk = 1
	GROUP BY c.segment ORDER BY CASE c.segment WHEN 'Enterprise' THEN 1 WHEN 'Mid-Market' THEN 2
	WHEN 'Small Business' THEN 3 ELSE 4 END)")
expect_eq "summary json: at-risk ARR by tier" \
	"\"at_risk_by_tier\":[$want,{\"tier\":null,\"customers\":0,\"arr\":0.00}]" \
	"$(printf '%s' "$sj" | grep -o '"at_risk_by_tier":[^]]*]')"
expect_eq "summary text: at-risk by tier" \
	"  by tier: Enterprise 6, \$1407400; Mid-Market 22, \$784458; Small Business 25, \$219225; Trial/Freemium 12, \$20407" \
	"$("$CASEY" --db "$sdb" --as-of 2026-11-20 summary | grep '^  by tier:')"
expect_eq "weekly report: at-risk ARR by tier" \
	"- **At-risk ARR by tier**: Enterprise \$1,407,400 (6), Mid-Market \$784,458 (22), Small Business \$219,225 (25), Trial/Freemium \$20,407 (12)" \
	"$("$CASEY" --db "$sdb" --as-of 2026-11-20 report weekly | grep '^- \*\*At-risk ARR by tier')"

# --- the metrics export by tier: every scored customer, in tiers.ini's order ----
"$CASEY" --db "$sdb" --as-of 2026-11-20 export metrics --by tier >"$T/mt.csv" 2>&1
expect_eq "export metrics --by tier exits 0" 0 $?
expect_eq "export metrics --by tier: the tiers and their customers" \
	"Enterprise,38 Mid-Market,82 Small Business,123 Trial/Freemium,53 " \
	"$(tail -n +2 "$T/mt.csv" | cut -d, -f1-2 | tr '\n' ' ')"
for t in Enterprise Mid-Market "Small Business" Trial/Freemium; do
	expect_eq "export metrics --by tier: $t as customers --tier counts it" \
		"$("$CASEY" --db "$sdb" --as-of 2026-11-20 customers --tier "$t" --format csv | tail -n +2 | wc -l | tr -d ' ')" \
		"$(grep "^$t," "$T/mt.csv" | cut -d, -f2)"
done
"$CASEY" --db "$tdb" --as-of 2026-11-20 export metrics --by tier --format json >"$T/mt.json"
json_ok "export metrics --by tier --format json" "$T/mt.json"
expect_eq "export metrics --by tier: no tier last, as (none)" \
	"Enterprise,2 Mid-Market,4 Small Business,2 Trial/Freemium,2 (none),2 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 export metrics --by tier | tail -n +2 | cut -d, -f1-2 | tr '\n' ' ')"
