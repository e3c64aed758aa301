# Sourced by run.sh: churn risk, behavioural segments and expansion
# opportunities through the command line, on the sample as of 2026-11-20.
# Uses run.sh's helpers ($CASEY, $T, $TOP, expect_eq, ok, bad).

gdb="$T/signals.db"
"$CASEY" --db "$gdb" import "$TOP"/sample-data/*.csv >/dev/null 2>&1
"$CASEY" --db "$gdb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "signals: sample scored" 0 $?

# C00187 by hand from sample-data/: health 40 (+25); the 2026-11-20 usage row
# has 3 active days, so about 30 / 3 = 10 days inactive (+15); tickets
# T002248 and T002379 in the 30 days (+10); one critical ticket unresolved
# (+10); P000512 failed on 2026-08-28, inside 90 days (+10); it asked to
# cancel (+50): 120, capped at 100, high.
"$CASEY" --db "$gdb" --as-of 2026-11-20 explain C00187 >"$T/churn-explain.txt" 2>&1
expect_eq "explain C00187 churn line" "Churn risk 100, high (assets/signals.ini)" \
	"$(grep '^Churn risk' "$T/churn-explain.txt")"
expect_eq "explain C00187 churn factors" \
"  health             health 40                       +25
  inactivity         about 10 days inactive          +15
  tickets            2 tickets in 30 days            +10
  critical_tickets   1 critical unresolved           +10
  failed_payments    1 failed in 90 days             +10
  downgrade          none                             +0
  cancellation       cancellation                    +50
  total                                              120, capped at 100" \
	"$(sed -n '/^Churn risk/,/^  total/p' "$T/churn-explain.txt" | tail -n +2)"
"$CASEY" --db "$gdb" --as-of 2026-11-20 explain --format json C00187 >"$T/churn-explain.json"
expect_eq "explain json has the churn risk" \
	'"churn_risk":{"score":100,"segment":"high","factors":{"health":{"points":25,"what":"health 40"}' \
	"$(grep -o '"churn_risk":{"score":[0-9]*,"segment":"[a-z]*","factors":{"health":{[^}]*}' \
		"$T/churn-explain.json")"

# casey churn: high risk by ARR; the largest is C00187 (285,400).
"$CASEY" --db "$gdb" --as-of 2026-11-20 churn --segment high --format csv >"$T/churn.csv"
expect_eq "churn csv exits 0" 0 $?
expect_eq "churn csv header" \
	"customer_id,name,arr,health,band,churn_risk,segment,health_points,inactivity_points,tickets_points,critical_tickets_points,failed_payments_points,downgrade_points,cancellation_points,step" \
	"$(head -1 "$T/churn.csv")"
expect_eq "churn csv first row" "C00187,Upland Media Systems,285400.00,40,red,100,high,25,15,10,10,10,0,50" \
	"$(sed -n 2p "$T/churn.csv" | cut -d, -f1-14)"
expect_eq "churn --segment high lists only high" 0 \
	"$(tail -n +2 "$T/churn.csv" | awk -F, '$7 != "high"' | wc -l)"
"$CASEY" --db "$gdb" --as-of 2026-11-20 churn --segment all --format json >"$T/churn.json"
expect_eq "churn --segment all lists every scored customer" 296 \
	"$(grep -o '"customer_id"' "$T/churn.json" | wc -l)"
expect_eq "churn --limit 3 prints a header and 3 rows" 4 \
	"$("$CASEY" --db "$gdb" --as-of 2026-11-20 churn --limit 3 | wc -l)"
"$CASEY" --db "$gdb" churn --segment severe >/dev/null 2>"$T/churn.err"
expect_eq "churn --segment severe exits 2" 2 $?
expect_eq "churn --segment severe says why" \
	"casey: churn: --segment is high, medium, low, none (or several, comma-separated, or all), not 'severe'" \
	"$(head -1 "$T/churn.err")"

# casey segments: every scored customer in one of seed 002's segments.
"$CASEY" --db "$gdb" --as-of 2026-11-20 segments --format csv >"$T/segments.csv"
expect_eq "segments csv exits 0" 0 $?
expect_eq "segments cover every scored customer" 296 \
	"$(tail -n +2 "$T/segments.csv" | awk -F, '{ n += $3 } END { print n }')"
expect_eq "segments csv: the detractors" "detractor,Detractors,20,6.8,884835.42" \
	"$(grep '^detractor,' "$T/segments.csv" | cut -d, -f1-5)"
# C00257 by hand: health 84 (not 40-60), its latest answer (2026-10-14) a 6:
# not a champion (9+) nor a loyalist (7+), a detractor (NPS 0-6).
"$CASEY" --db "$gdb" --as-of 2026-11-20 segments --segment detractor --format csv \
	>"$T/detractors.csv"
expect_eq "segments --segment detractor: by ARR, C00257 first" \
	"C00257,Northwind Apparel Partners,328600.00,84,green,6,2026-10-14" \
	"$(sed -n 2p "$T/detractors.csv")"
expect_eq "segments --segment detractor lists the 20" 20 "$(tail -n +2 "$T/detractors.csv" | wc -l)"
expect_eq "explain names the segment" "Segment Detractors (health 84, NPS 6 on 2026-10-14)" \
	"$("$CASEY" --db "$gdb" --as-of 2026-11-20 explain C00257 | grep '^Segment ')"
"$CASEY" --db "$gdb" segments --segment fans >/dev/null 2>&1
expect_eq "segments --segment fans exits 2" 2 $?

# casey expansion: C00120 by hand from sample-data/: health 85 (Green), its
# 2026-11-20 usage row has 42 active users of 45 seats (93%, at least 90%),
# its latest NPS answer (2026-10-24) is a 10; 20% more seats is 9, at
# 33,100 / 45 = 735.56 each: 6,620.00.
"$CASEY" --db "$gdb" --as-of 2026-11-20 expansion --format csv >"$T/expansion.csv"
expect_eq "expansion csv exits 0" 0 $?
expect_eq "expansion: six opportunities in the sample" 6 "$(tail -n +2 "$T/expansion.csv" | wc -l)"
expect_eq "expansion: C00120's row" \
	"C00120,Foxglove Supply Group,33100.00,85,42,45,93,yes,no,9,6620.00,42 of 45 seats in use (93%); promoter (NPS 10)" \
	"$(grep '^C00120,' "$T/expansion.csv" | cut -d, -f1-12)"
expect_eq "expansion: by ARR, largest first" "C00105 C00158 C00290 C00135 C00120 C00074" \
	"$(tail -n +2 "$T/expansion.csv" | cut -d, -f1 | paste -sd' ')"
"$CASEY" --db "$gdb" --as-of 2026-11-20 explain C00120 >"$T/exp-explain.txt"
expect_eq "explain: the opportunity" \
"Expansion: an opportunity (42 of 45 seats in use (93%); promoter (NPS 10))
  Estimate: +9 seats at 735.56 = +6620.00 ARR" \
	"$(grep -A1 '^Expansion: ' "$T/exp-explain.txt")"
"$CASEY" --db "$gdb" --as-of 2026-11-20 explain --format json C00120 >"$T/exp-explain.json"
expect_eq "explain json: the opportunity" '"expansion":{"opportunity":true,' \
	"$(grep -o '"expansion":{"opportunity":[a-z]*,' "$T/exp-explain.json")"
expect_eq "expansion --limit 2 --format json: two objects" 2 \
	"$("$CASEY" --db "$gdb" --as-of 2026-11-20 expansion --limit 2 --format json |
		grep -o '"customer_id"' | wc -l)"
"$CASEY" --db "$gdb" expansion --format xml >/dev/null 2>&1
expect_eq "expansion --format xml exits 2" 2 $?
