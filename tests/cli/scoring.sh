# Sourced by run.sh: the scoring core through the command line — the JSON
# contracts of PRODUCT.md §4 that outside tests rely on, explain, actions.
# Uses run.sh's helpers ($CASEY, $T, $TOP, expect_eq, ok, bad).

sdb="$T/scoring.db"
"$CASEY" --db "$sdb" --as-of 2026-11-20 import "$TOP"/sample-data/*.csv >/dev/null 2>&1
"$CASEY" --db "$sdb" --as-of 2026-11-20 score --from 2026-08-21 --to 2026-11-20 \
	>"$T/score.out" 2>&1
expect_eq "score history exits 0" 0 $?
expect_eq "score prints one line per week" 14 "$(grep -c ': default v1: ' "$T/score.out")"
expect_eq "the last date" \
	"2026-11-20: default v1: 296 customers scored: 162 green, 94 yellow, 40 red; average 75.8" \
	"$(grep '^2026-11-20' "$T/score.out")"

# summary --format json: every key of the contract, all three bands populated.
sj=$("$CASEY" --db "$sdb" --as-of 2026-11-20 summary --format json)
for key in '"as_of":"2026-11-20"' '"customers":300' \
	'"bands":{"green":162,"yellow":94,"red":40}' '"average_score":75.8' '"nps":41.5' \
	'"csat":{"responses":587,"average":3.67,"satisfied_pct":62.5}' '"at_risk":[{"customer_id":' \
	'"themes":[{"category":'; do
	case "$sj" in *"$key"*) ok ;; *) bad "summary json lacks $key" ;; esac
done
for key in customer_id name arr score band trend; do
	printf '%s' "$sj" | grep -q "\"at_risk\":\\[{.*\"$key\":" || bad "at_risk lacks $key"
done
for key in category theme tickets customers arr; do
	printf '%s' "$sj" | grep -q "\"themes\":\\[{.*\"$key\":" || bad "themes lacks $key"
done

# customers --format json: an array of objects with the contract's keys.
cj=$("$CASEY" --db "$sdb" --as-of 2026-11-20 customers --band red --format json)
expect_eq "customers --band red count" 40 "$(printf '%s' "$cj" | grep -o '"customer_id"' | wc -l)"
expect_eq "red customers are all red" 0 \
	"$(printf '%s' "$cj" | grep -o '"band":"[a-z]*"' | grep -vc '"band":"red"')"
first=$(printf '%s' "$cj" | head -1)
for key in customer_id name arr score band trend engagement sentiment growth; do
	case "$first" in *"\"$key\":"*) ok ;; *) bad "customers json lacks $key" ;; esac
done
"$CASEY" --db "$sdb" customers --band purple >/dev/null 2>&1
expect_eq "customers --band purple exits 2" 2 $?

# explain accounts for every point: the contributions add up to the total,
# which rounds to the score.
"$CASEY" --db "$sdb" --as-of 2026-11-20 explain --format json C00004 >"$T/explain.json"
expect_eq "explain exits 0" 0 $?
sum=$(grep -o '"contribution":[0-9.]*' "$T/explain.json" | cut -d: -f2 |
	awk '{ s += $1 } END { printf "%d", s + 0.5 }')
expect_eq "contributions round to the score" \
	"$(grep -o '"score":[0-9]*' "$T/explain.json" | head -1 | cut -d: -f2)" "$sum"
"$CASEY" --db "$sdb" --as-of 2026-11-20 explain C00004 >"$T/explain.txt"
expect_eq "explain text has the total line" 1 "$(grep -c '^total .* rounds to ' "$T/explain.txt")"
expect_eq "explain text has the change" 1 "$(grep -c '^Change since 2026-11-13' "$T/explain.txt")"
"$CASEY" --db "$sdb" explain NOPE >/dev/null 2>"$T/explain.err"
expect_eq "explain unknown customer" "1 casey: no customer 'NOPE'" "$? $(cat "$T/explain.err")"

# actions: every rule of PRODUCT.md §3 fires on the sample.
"$CASEY" --db "$sdb" --as-of 2026-11-20 actions --format json >"$T/actions.json"
for kind in at_risk immediate weekly_review churn_risk check_in product_gap \
	documentation_gap bug adoption_gap theme_escalation; do
	grep -q "\"kind\":\"$kind\"" "$T/actions.json" || bad "rule $kind never fires on the sample"
done
ok
# Acknowledging one survives a re-run; the re-run adds no duplicates.
id=$(grep -o '"id":[0-9]*,"kind":"churn_risk"' "$T/actions.json" | head -1 | sed 's/"id":\([0-9]*\).*/\1/')
"$CASEY" --db "$sdb" --as-of 2026-11-20 action "$id" acknowledged >/dev/null
n1=$(grep -o '"id":' "$T/actions.json" | wc -l)
"$CASEY" --db "$sdb" --as-of 2026-11-20 score >/dev/null
"$CASEY" --db "$sdb" --as-of 2026-11-20 actions --format json >"$T/actions2.json"
expect_eq "re-scoring adds no duplicate actions" "$n1" "$(grep -o '"id":' "$T/actions2.json" | wc -l)"
expect_eq "the acknowledgement survives" 1 \
	"$(grep -c "\"id\":$id,\"kind\":\"churn_risk\".*\"status\":\"acknowledged\"" "$T/actions2.json")"
"$CASEY" --db "$sdb" action "$id" maybe >/dev/null 2>"$T/act.err"
expect_eq "a bad status" "1 casey: 'maybe' is not a status (draft, sent, acknowledged, resolved, dismissed)" \
	"$? $(cat "$T/act.err")"

# The alternative profile scores from the same data.
"$CASEY" --db "$sdb" --as-of 2026-11-20 score --profile five-dimension >"$T/five.out"
expect_eq "five-dimension profile" 1 "$(grep -c '^2026-11-20: five-dimension v1: 296 customers scored' "$T/five.out")"

# A retention purge keeps the NPS trend: purged months come back from the
# monthly aggregates, so `casey nps` shows the same months before and after.
cp "$sdb" "$T/purge.db"
"$CASEY" --db "$T/purge.db" --as-of 2026-11-20 nps >"$T/nps.before"
"$CASEY" --db "$T/purge.db" --as-of 2026-11-20 purge --older-than 200d >/dev/null 2>&1
expect_eq "purge exits 0" 0 $?
"$CASEY" --db "$T/purge.db" --as-of 2026-11-20 nps >"$T/nps.after"
expect_eq "the NPS trend survives a purge" "" \
	"$(diff "$T/nps.before" "$T/nps.after" | grep '^[<>] *20[0-9][0-9]-' )"
expect_eq "the purge did remove answers" 1 \
	"$(sqlite3 "$T/purge.db" "SELECT count(*) > 0 FROM monthly_aggregates WHERE kind = 'nps'")"
