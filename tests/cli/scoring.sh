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
# The scores, trends and rules' texts are worked out on the metrics
# reader's thread (score.c, metrics.c), the overdue reviews and the day's
# figures on a connection of their own (aside.h): the same history scored
# on one thread stores the same snapshots, actions and figures, row for
# row.
odb="$T/one-thread.db"
"$CASEY" --db "$odb" --as-of 2026-11-20 import "$TOP"/sample-data/*.csv >/dev/null 2>&1
CASEY_ONE_THREAD=1 "$CASEY" --db "$odb" --as-of 2026-11-20 score --from 2026-08-21 \
	--to 2026-11-20 >"$T/score-one.out" 2>&1
expect_file_eq "one thread prints the same run" "$T/score.out" "$T/score-one.out"
for q in "SELECT * FROM snapshots ORDER BY profile, as_of, customer_id" \
	"SELECT kind, rule_key, customer_id, arr, reason, owner, status, evidence, due_at,
	        last_seen FROM actions ORDER BY kind, rule_key" \
	"SELECT * FROM run_figures ORDER BY as_of" \
	"SELECT * FROM run_themes ORDER BY as_of, rank" \
	"SELECT * FROM run_at_risk ORDER BY profile, as_of, rank" \
	"SELECT * FROM tier_risk ORDER BY profile, as_of, tier"; do
	sqlite3 "$sdb" "$q" >"$T/two.rows"
	sqlite3 "$odb" "$q" >"$T/one.rows"
	expect_file_eq "one thread stores the same: ${q%% FROM*} FROM ..." "$T/two.rows" "$T/one.rows"
done
expect_eq "the sample raises actions of the five customer rules" 5 \
	"$(sqlite3 "$odb" "SELECT count(DISTINCT kind) FROM actions WHERE kind IN
	   ('at_risk','immediate','weekly_review','churn_risk','check_in')")"

# A run that fails part way (a trigger refuses one customer's snapshot)
# stores nothing and resolves nothing: the actions it did not get to
# raise are not "no longer firing".
n_open=$(sqlite3 "$odb" "SELECT count(*) FROM actions WHERE status = 'open'")
expect_eq "open actions to keep" 1 "$([ "$n_open" -gt 100 ] && echo 1)"
sqlite3 "$odb" "CREATE TRIGGER boom BEFORE INSERT ON snapshots
	WHEN NEW.customer_id = 'C00150' BEGIN SELECT RAISE(ABORT, 'boom'); END"
"$CASEY" --db "$odb" --as-of 2026-11-27 score >/dev/null 2>"$T/fail.err"
expect_eq "a failed run exits 1 and says why" "1 casey: storing the snapshot: boom" \
	"$? $(cat "$T/fail.err")"
expect_eq "a failed run resolves no action" "$n_open" \
	"$(sqlite3 "$odb" "SELECT count(*) FROM actions WHERE status = 'open'")"
expect_eq "a failed run stores no snapshot" 0 \
	"$(sqlite3 "$odb" "SELECT count(*) FROM snapshots WHERE as_of = '2026-11-27'")"

sqlite3 "$odb" "DROP TRIGGER boom"

# Work done beside the run that fails (the reviews' due pass, on its own
# connection, finds no business_reviews table) fails the run after its
# scores: its error on stderr, the scores and the customer rules' actions
# kept (the pipeline committed them), no action cleared, no figures kept.
sqlite3 "$odb" "ALTER TABLE business_reviews RENAME TO br_gone"
"$CASEY" --db "$odb" --as-of 2026-11-27 score >/dev/null 2>"$T/aside.err"
expect_eq "a run whose review pass fails exits 1 and says why" \
	"1 casey: business reviews: no such table: business_reviews" "$? $(cat "$T/aside.err")"
expect_eq "... and clears no action" 0 \
	"$(sqlite3 "$odb" "SELECT count(*) FROM actions WHERE resolved_at >= '2026-11-27'")"
expect_eq "... and keeps no figures for the day" 0 \
	"$(sqlite3 "$odb" "SELECT count(*) FROM run_figures WHERE as_of = '2026-11-27'")"
sqlite3 "$odb" "ALTER TABLE br_gone RENAME TO business_reviews"

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

# The theme rules count themes in the scoring pass (rules.c): their
# reasons match a count straight from the tickets, each customer's ARR once
# per theme, for the 90-day Feature Request rule and the 7-day theme rule.
sq_themes() {	# DAYS -> "category|theme|tickets|customers|arr" per theme
	sqlite3 "$sdb" "SELECT t.category, t.theme, sum(t.n), count(*),
		printf('%.0f', total(c.arr)) FROM (SELECT coalesce(category, '') AS category,
		theme, customer_id, count(*) AS n FROM tickets
		WHERE created_at >= date('2026-11-20', '-$(($1 - 1)) days')
		  AND created_at < '2026-11-21' AND theme IS NOT NULL GROUP BY 1, 2, 3) t
		LEFT JOIN customers c USING (customer_id) GROUP BY 1, 2"
}
sq_themes 90 | awk -F'|' '$1 == "Feature Request" && ($3 >= 3 || $5 > 100000) {
	printf "Feature Request '"'"'%s'"'"': %d ticket%s from %d customer%s, $%s ARR in 90 days\n",
		$2, $3, $3 == 1 ? "" : "s", $4, $4 == 1 ? "" : "s", $5 }' | sort >"$T/pg.want"
sqlite3 "$sdb" "SELECT reason FROM actions WHERE kind = 'product_gap'
	AND last_seen = '2026-11-20' AND status NOT IN ('resolved','dismissed')" | sort >"$T/pg.got"
expect_eq "product-gap themes as counted from the tickets" "" "$(diff "$T/pg.want" "$T/pg.got")"
expect_eq "some product-gap themes" 1 "$([ -s "$T/pg.got" ] && echo 1)"
sq_themes 7 | awk -F'|' '$3 >= 3 || $5 >= 50000 {
	printf "%s '"'"'%s'"'"': %d ticket%s from %d customer%s, $%s ARR in 7 days\n",
		$1, $2, $3, $3 == 1 ? "" : "s", $4, $4 == 1 ? "" : "s", $5 }' | sort >"$T/th.want"
sqlite3 "$sdb" "SELECT reason FROM actions WHERE kind = 'theme_escalation'
	AND last_seen = '2026-11-20' AND status NOT IN ('resolved','dismissed')" | sort >"$T/th.got"
expect_eq "weekly theme escalations as counted from the tickets" "" "$(diff "$T/th.want" "$T/th.got")"

# Re-scoring a day rewrites only what changed (score.c): unchanged data
# leaves the snapshots as they were; a customer who churned since loses
# the day's snapshot, the others keep theirs.
snap_sum() { sqlite3 "$sdb" "SELECT * FROM snapshots WHERE profile = 'default'
	AND as_of = '2026-11-20' ORDER BY customer_id" | cksum; }
before=$(snap_sum)
"$CASEY" --db "$sdb" --as-of 2026-11-20 score >/dev/null
expect_eq "a re-run of unchanged data keeps the snapshots" "$before" "$(snap_sum)"
gone=$(sqlite3 "$sdb" "SELECT customer_id FROM snapshots WHERE profile = 'default'
	AND as_of = '2026-11-20' ORDER BY customer_id LIMIT 1")
sqlite3 "$sdb" "UPDATE customers SET status = 'churned' WHERE customer_id = '$gone'"
"$CASEY" --db "$sdb" --as-of 2026-11-20 score >"$T/rescore.out"
expect_eq "the churned customer is no longer scored" 1 \
	"$(grep -c '^2026-11-20: default v1: 295 customers scored' "$T/rescore.out")"
expect_eq "nor has a snapshot that day" "0|295|1" "$(sqlite3 "$sdb" "SELECT
	(SELECT count(*) FROM snapshots WHERE customer_id = '$gone' AND as_of = '2026-11-20'),
	(SELECT count(*) FROM snapshots WHERE profile = 'default' AND as_of = '2026-11-20'),
	(SELECT count(*) FROM snapshots WHERE customer_id = '$gone' AND as_of = '2026-11-13')")"
"$CASEY" --db "$sdb" --as-of 2026-11-20 explain "$gone" >"$T/gone.txt"
expect_eq "explain falls back to the week before" 1 \
	"$(grep -c 'as of 2026-11-13, profile default' "$T/gone.txt")"
sqlite3 "$sdb" "UPDATE customers SET status = 'active' WHERE customer_id = '$gone'"
"$CASEY" --db "$sdb" --as-of 2026-11-20 score >/dev/null
expect_eq "back again, the day is as before" "$before" "$(snap_sum)"
sqlite3 "$sdb" "UPDATE customers SET arr = 123456.5 WHERE customer_id = '$gone'"
"$CASEY" --db "$sdb" --as-of 2026-11-20 score >/dev/null
expect_eq "a changed ARR is stored on a re-run" "123456.5" "$(sqlite3 "$sdb" "SELECT arr
	FROM snapshots WHERE customer_id = '$gone' AND as_of = '2026-11-20'")"

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
