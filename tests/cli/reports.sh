# Sourced by run.sh: reports and hand-offs (#5) through the command line —
# the weekly report of the sample against its expected text, every
# escalation document, Peter's intake run without a shell, drafts and
# contacts, the metrics export, and the retention purge keeping the trends.
# Uses run.sh's helpers ($CASEY, $T, $TOP, $HERE, expect_eq, expect_file_eq,
# json_ok, ok, bad).

rdb="$T/report.db"
R() { "$CASEY" --db "$rdb" --as-of 2026-11-20 "$@"; }
sq() { sqlite3 "$rdb" "$1"; }
"$CASEY" --db "$rdb" import "$TOP"/sample-data/*.csv >/dev/null 2>&1
R score --from 2026-08-21 --to 2026-11-20 >/dev/null 2>&1
expect_eq "reports: the sample scores" 0 $?

# --- the weekly report ------------------------------------------------------
# The sample's report as of its last day, byte for byte. After a deliberate
# change to the report, its assets, the rules or the sample, look at the diff,
# then regenerate the expected text:
#   rm -f /tmp/w.db && ./casey --db /tmp/w.db import sample-data/*.csv &&
#   ./casey --db /tmp/w.db --as-of 2026-11-20 score --from 2026-08-21 --to 2026-11-20 &&
#   CASEY_ASSETS=$PWD/assets ./casey --db /tmp/w.db --as-of 2026-11-20 report weekly \
#     >tests/cli/weekly-2026-11-20.md
R report weekly >"$T/weekly.md" 2>"$T/weekly.err"
expect_eq "report weekly exits 0" 0 $?
expect_eq "report weekly writes nothing to stderr" "" "$(cat "$T/weekly.err")"
expect_file_eq "the weekly report of the sample" "$HERE/weekly-2026-11-20.md" "$T/weekly.md"
R report weekly >"$T/weekly2.md" 2>&1
expect_file_eq "the weekly report is reproducible" "$T/weekly.md" "$T/weekly2.md"
R report weekly -o "$T/weekly-file.md" >"$T/w.out" 2>&1
expect_eq "report weekly -o exits 0" 0 $?
expect_eq "report weekly -o prints nothing" "" "$(cat "$T/w.out")"
expect_file_eq "report weekly -o writes the same report" "$T/weekly.md" "$T/weekly-file.md"
expect_eq "report weekly -o is private" 600 "$(stat -c %a "$T/weekly-file.md")"
R report weekly -o "$T/weekly-file.md" >/dev/null 2>"$T/w.err"
expect_eq "report weekly -o refuses an existing file" 1 $?
expect_eq "report weekly -o refusal message" \
	"casey: $T/weekly-file.md exists; give --force to replace it" "$(cat "$T/w.err")"
R report monthly >/dev/null 2>&1
expect_eq "report monthly exits 2" 2 $?
R report weekly --force >/dev/null 2>&1
expect_eq "report --force without -o exits 2" 2 $?

# --- escalation documents -----------------------------------------------------
first() { sq "SELECT min(action_id) FROM actions WHERE kind = '$1'"; }
for pair in "product_gap:# Feature Request Escalation: " "bug:# Bug Escalation: " \
	"documentation_gap:# Documentation Gap: " "churn_risk:# Churn Alert: " \
	"immediate:# Churn Alert: " "at_risk:# At-Risk Customer Escalation: " \
	"adoption_gap:# Feature Adoption Gap: " "theme_escalation:# Feature Request Escalation: " \
	"check_in:To: "; do
	kind=${pair%%:*}
	head=${pair#*:}
	id=$(first "$kind")
	R escalate "$id" >"$T/esc-$kind.md" 2>"$T/esc.err"
	expect_eq "escalate $kind exits 0" 0 $?
	expect_eq "escalate $kind writes nothing to stderr" "" "$(cat "$T/esc.err")"
	case $(head -1 "$T/esc-$kind.md") in
	"$head"*) ok ;;
	*) bad "escalate $kind: first line $(head -1 "$T/esc-$kind.md")" ;;
	esac
	expect_eq "escalate $kind marks it draft" draft \
		"$(sq "SELECT status FROM actions WHERE action_id = $id")"
	sq "SELECT writefile('$T/stored-$kind.md', document) FROM actions WHERE action_id = $id" \
		>/dev/null
	expect_file_eq "escalate $kind stores what it printed" "$T/esc-$kind.md" \
		"$T/stored-$kind.md"
done
# A feature request names no customer; the CSM's own view does.
fr=$(first product_gap)
top=$(grep -o '^| a[n]* [A-Za-z -]* customer (C[0-9]*)' "$T/esc-product_gap.md" | head -1 |
	grep -o 'C[0-9]*')
topname=$(sq "SELECT name FROM customers WHERE customer_id = '$top'")
expect_eq "a feature request lists its customers by id" yes "$([ -n "$top" ] && echo yes)"
if grep -qF "$topname" "$T/esc-product_gap.md"; then
	bad "the feature request names $topname"
else ok; fi
R escalate "$fr" --names >"$T/names.md"
expect_eq "escalate --names shows the names" yes \
	"$(grep -qF "| $topname ($top) |" "$T/names.md" && echo yes)"
R escalate "$fr" --names -o "$T/names-file.md" >/dev/null 2>&1
expect_eq "escalate --names never goes to a file" 2 $?
expect_eq "... and writes nothing" no "$([ -e "$T/names-file.md" ] && echo yes || echo no)"
R escalate "$(first bug)" -o "$T/bug.md" >"$T/esc.out"
expect_eq "escalate -o says where it went" \
	"action $(first bug): bug document written to $T/bug.md (status draft)" "$(cat "$T/esc.out")"
expect_eq "escalate -o is private" 600 "$(stat -c %a "$T/bug.md")"
R escalate "$(first weekly_review)" >/dev/null 2>"$T/esc.err"
expect_eq "a weekly review has no document: exit 1" 1 $?
R escalate 999999 >/dev/null 2>"$T/esc.err"
expect_eq "an unknown action exits 1" 1 $?
expect_eq "an unknown action message" "casey: no action 999999" "$(cat "$T/esc.err")"
R escalate 12x >/dev/null 2>&1
expect_eq "a bad action id exits 2" 2 $?

# --- Peter's intake: the document is one argument, never seen by a shell -------
mkdir -p "$T/bin"
cat >"$T/bin/peter" <<'EOF'
#!/bin/sh
d=$(dirname "$0")
i=0
for a in "$@"; do i=$((i + 1)); printf '%s' "$a" >"$d/arg$i"; done
echo "$i" >"$d/argc"
echo "intake #42 created"
EOF
chmod 755 "$T/bin/peter"
# A request whose text holds quotes, $(...), backquotes and ';'.
printf '%s\n' 'ticket_id,customer_id,created_at,subject,description,category,tags' \
	"TQ1,C00031,2026-11-20,\"Say \"\"SSO now\"\"; \$(touch $T/pwned1)\",\"We need SSO; really: \$(touch $T/pwned2) && echo \"\"done\"\" ; \`touch $T/pwned3\`\",Feature Request,saml security sso" \
	>"$T/quote-ticket.csv"
"$CASEY" --db "$rdb" import "$T/quote-ticket.csv" >/dev/null 2>&1
R tickets categorise >/dev/null 2>&1
sso=$(sq "SELECT action_id FROM actions WHERE rule_key = 'product_gap:Feature Request/saml security sso'")
PATH="$T/bin:$PATH" R escalate "$sso" --send >"$T/send.out" 2>"$T/send.err"
expect_eq "escalate --send exits 0" 0 $?
expect_eq "escalate --send says so" \
	"action $sso: sent to Peter (Product) through peter intake customer-success
intake #42 created" "$(cat "$T/send.out")"
expect_eq "the intake got three arguments" 3 "$(cat "$T/bin/argc")"
expect_eq "the intake's first argument" intake "$(cat "$T/bin/arg1")"
expect_eq "the intake's second argument" customer-success "$(cat "$T/bin/arg2")"
sq "SELECT writefile('$T/sent.md', document) FROM actions WHERE action_id = $sso" >/dev/null
expect_file_eq "the request is the stored document, byte for byte" "$T/sent.md" "$T/bin/arg3"
expect_eq "the request holds the quotes, \$(...) and ; verbatim" yes \
	"$(grep -qF "Say \"SSO now\"; \$(touch $T/pwned1)" "$T/bin/arg3" &&
	   grep -qF "really: \$(touch $T/pwned2) && echo \"done\" ;" "$T/bin/arg3" && echo yes)"
expect_eq "nothing in the request ran" "" "$(ls "$T" | grep pwned)"
expect_eq "the action is sent" sent "$(sq "SELECT status FROM actions WHERE action_id = $sso")"
expect_eq "its deadline: 48 hours from the day it was sent" "2026-11-22 00:00:00" \
	"$(sq "SELECT due_at FROM actions WHERE action_id = $sso")"
PATH="$T/bin:$PATH" R escalate "$sso" --send >/dev/null 2>"$T/send.err"
expect_eq "sending twice exits 1" 1 $?
# Without the intake on PATH the command is printed, quoted for a shell.
other=$(sq "SELECT min(action_id) FROM actions WHERE kind = 'product_gap' AND action_id <> $sso")
PATH=/usr/bin:/bin R escalate "$other" --send >"$T/print.out" 2>&1
expect_eq "no intake on PATH: exit 0" 0 $?
expect_eq "no intake on PATH: what to run" \
	"'peter' is not on PATH; run this yourself, then 'casey action $other sent':" \
	"$(head -1 "$T/print.out")"
expect_eq "no intake on PATH: the command line" "peter intake customer-success '# Feature Request Escalation: $(sq "SELECT theme FROM actions WHERE action_id = $other")" \
	"$(sed -n 2p "$T/print.out")"
expect_eq "no intake on PATH: still a draft" draft \
	"$(sq "SELECT status FROM actions WHERE action_id = $other")"
PATH="$T/bin:$PATH" R escalate "$(first bug)" --send >/dev/null 2>"$T/send.err"
expect_eq "a bug has no intake: exit 1" 1 $?

# Overdue escalations come first in 'casey actions' and in the report.
"$CASEY" --db "$rdb" --as-of 2026-11-23 actions >"$T/late.out"
expect_eq "the sent escalation is overdue on 2026-11-23" yes \
	"$(grep "^$sso " "$T/late.out" | grep -q OVERDUE && echo yes)"
expect_eq "overdue actions first" yes "$(sed -n 2p "$T/late.out" | grep -q OVERDUE && echo yes)"
"$CASEY" --db "$rdb" --as-of 2026-11-23 report weekly >"$T/late.md"
expect_eq "the report follows it up" yes \
	"$(grep -q "^| $sso | product_gap | saml security sso | Peter (Product) | sent | 2026-11-20 | 3 d | \*\*OVERDUE\*\* 2026-11-22 00:00 |" "$T/late.md" && echo yes)"
expect_eq "the report counts it" "- **Sent, awaiting acknowledgement**: 1 (1 overdue)" \
	"$(grep 'Sent, awaiting acknowledgement' "$T/late.md")"
R action "$sso" acknowledged >/dev/null
"$CASEY" --db "$rdb" --as-of 2026-11-23 report weekly >"$T/ack.md"
expect_eq "acknowledged, it is in progress" "- **Acknowledged, in progress**: 1" \
	"$(grep 'Acknowledged, in progress' "$T/ack.md")"

# --- drafts and contacts --------------------------------------------------------
R draft checkin C00090 >"$T/checkin.txt" 2>&1
expect_eq "draft checkin exits 0" 0 $?
expect_eq "draft checkin is addressed" "To: Driftwood Health Corp. (C00090), Enterprise, plan Enterprise" \
	"$(head -1 "$T/checkin.txt")"
expect_eq "draft checkin has talking points" yes \
	"$(grep -q '^Talking points (for the CSM, not for sending)$' "$T/checkin.txt" && echo yes)"
R draft announce F11 -o "$T/announce.txt" >/dev/null 2>&1
expect_eq "draft announce -o exits 0" 0 $?
expect_eq "draft announce: a draft per segment" 4 "$(grep -c '^=== .* not using it yet) ===$' "$T/announce.txt")"
expect_eq "draft announce is private" 600 "$(stat -c %a "$T/announce.txt")"
R draft checkin NOPE >/dev/null 2>"$T/d.err"
expect_eq "draft for an unknown customer exits 1" 1 $?
expect_eq "draft for an unknown customer message" "casey: no customer 'NOPE'" "$(cat "$T/d.err")"
R draft letter C00090 >/dev/null 2>&1
expect_eq "draft letter exits 2" 2 $?
checkin=$(sq "SELECT action_id FROM actions WHERE kind = 'check_in' AND customer_id = 'C00090' AND status NOT IN ('resolved', 'dismissed')")
expect_eq "contact logs the contact" \
	"contact logged: C00090 by call on 2026-11-20, no response; check-in action $checkin resolved" \
	"$(R contact C00090 --channel call --responded no --note 'Left a voicemail; =SUM(A1)')"
expect_eq "the contact is an outreach row" "call|0|Left a voicemail; =SUM(A1)" \
	"$(sq "SELECT channel, responded, note FROM outreach WHERE outreach_key = 'casey:C00090:2026-11-20:1'")"
R contact C00090 >/dev/null 2>&1
expect_eq "contact without --channel exits 2" 2 $?
R contact C00090 --channel email --responded maybe >/dev/null 2>&1
expect_eq "contact --responded maybe exits 2" 2 $?

# --- metrics for the analytics dashboards ----------------------------------------
for by in segment plan tenure arr_tier; do
	R export metrics --by $by >"$T/m.csv" 2>&1
	expect_eq "export metrics --by $by exits 0" 0 $?
	expect_eq "export metrics --by $by header" \
		"$by,customers,arr,average_health,engagement,sentiment,growth,green,yellow,red,green_pct,yellow_pct,red_pct" \
		"$(head -1 "$T/m.csv")"
	expect_eq "export metrics --by $by covers every scored customer" 296 \
		"$(tail -n +2 "$T/m.csv" | awk -F, '{ n += $2 } END { print n }')"
	R export metrics --by $by --format json >"$T/m.json"
	json_ok "export metrics --by $by --format json" "$T/m.json"
done
expect_eq "ARR tiers of seed 003" "Enterprise Mid-Market Small Business Trial (none) " \
	"$(R export metrics --by arr_tier | tail -n +2 | cut -d, -f1 | tr '\n' ' ')"
R export team --format json >"$T/team.json"
json_ok "export team --format json" "$T/team.json"
for want in '"customers":296' '"distribution":{"green":162,"yellow":94,"red":40,' \
	'"nps":{"score":41.5,"responses":159,' '"churn":{"rate_pct":' '"top_issues":[{"category":'; do
	case $(cat "$T/team.json") in
	*"$want"*) ok ;;
	*) bad "export team has $want" ;;
	esac
done
expect_eq "export team csv" "metric,value
as_of,2026-11-20" "$(R export team | head -2)"
R export metrics >/dev/null 2>&1
expect_eq "export metrics without --by exits 2" 2 $?
R export metrics --by region >/dev/null 2>&1
expect_eq "export metrics --by region exits 2" 2 $?
R export team --format xml >/dev/null 2>&1
expect_eq "export --format xml exits 2" 2 $?
# A segment that is a formula is defused in the CSV.
fdb="$T/formula.db"
printf 'customer_id,name,segment,arr\nFX1,Formula Co,"=HYPERLINK(""x"")",10\n' >"$T/fx.csv"
"$CASEY" --db "$fdb" import "$T/fx.csv" >/dev/null 2>&1
"$CASEY" --db "$fdb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "a formula segment is defused" "\"'=HYPERLINK(\"\"x\"\")\"" \
	"$("$CASEY" --db "$fdb" --as-of 2026-11-20 export metrics --by segment | sed -n 2p | sed 's/,1,.*//')"

# --- retention: individual events go, aggregates and history stay ----------------
snaps=$(sq "SELECT count(*) FROM snapshots")
R export team --format json | grep -o '"nps_trend":.*' >"$T/trend.before"
R nps --format json | grep -o '{"period":"2026-\(0[6-9]\|1[0-2]\)"[^}]*}' >"$T/nps.before"
R purge --older-than 200d --dry-run >"$T/purge.out" 2>&1
expect_eq "purge --dry-run exits 0" 0 $?
expect_eq "purge --dry-run changes nothing" 0 "$(sq "SELECT count(*) FROM monthly_aggregates")"
R purge --older-than 200d >"$T/purge.out" 2>&1
expect_eq "purge exits 0" 0 $?
expect_eq "purge says what went" \
	"purged events dated before 2026-06-01 (older than 200d as of the --as-of day, up to a month boundary):" \
	"$(head -1 "$T/purge.out")"
expect_eq "no NPS answer before the cutoff" 0 "$(sq "SELECT count(*) FROM nps WHERE date < '2026-06-01'")"
expect_eq "no ticket before the cutoff" 0 "$(sq "SELECT count(*) FROM tickets WHERE created_at < '2026-06-01'")"
expect_eq "monthly aggregates kept" yes "$([ "$(sq "SELECT count(*) FROM monthly_aggregates")" -gt 0 ] && echo yes)"
expect_eq "snapshots kept" "$snaps" "$(sq "SELECT count(*) FROM snapshots")"
R export team --format json | grep -o '"nps_trend":.*' >"$T/trend.after"
expect_file_eq "the NPS trend reads the same after the purge" "$T/trend.before" "$T/trend.after"
R nps --format json | grep -o '{"period":"2026-\(0[6-9]\|1[0-2]\)"[^}]*}' >"$T/nps.after"
expect_file_eq "casey nps: the months after the cutoff are unchanged" "$T/nps.before" "$T/nps.after"
# The daily import of full exports after a purge: the purged period is left
# out, so the next purge does not add it to the aggregates a second time.
agg="SELECT group_concat(month || kind || category || events || ',' || customers || ','
     || promoters || ',' || detractors || ',' || satisfied || ',' || responded, ';')
     FROM monthly_aggregates"
agg_before=$(sq "$agg")
"$CASEY" --db "$rdb" import "$TOP"/sample-data/*.csv >"$T/reimport.out" 2>&1
expect_eq "re-import after a purge exits 0" 0 $?
expect_eq "re-import: the purged tickets are left out, and said so" \
	"$TOP/sample-data/tickets.csv: tickets: 2490 rows: 0 inserted, 0 updated, 2439 unchanged, 0 skipped, 51 dated before 2026-06-01 left out (purged: kept as monthly aggregates)" \
	"$(grep '/tickets.csv:' "$T/reimport.out")"
expect_eq "re-import: the purged NPS answers are left out" \
	"233 dated before 2026-06-01 left out" \
	"$(grep -o '233 dated before 2026-06-01 left out' "$T/reimport.out")"
expect_eq "re-import: no event before the cutoff comes back" 0 "$(sq "SELECT
	(SELECT count(*) FROM tickets WHERE created_at < '2026-06-01') +
	(SELECT count(*) FROM nps WHERE date < '2026-06-01') +
	(SELECT count(*) FROM csat WHERE date < '2026-06-01') +
	(SELECT count(*) FROM outreach WHERE date < '2026-06-01') +
	(SELECT count(*) FROM usage WHERE date < '2026-06-01')")"
R purge --older-than 200d >/dev/null 2>&1
expect_eq "a second purge adds nothing to the aggregates" "$agg_before" "$(sq "$agg")"
expect_eq "each purge keeps its cutoff" "2026-11-20|2026-06-01;2026-11-20|2026-06-01" \
	"$(sq "SELECT group_concat(purged_on || '|' || cutoff, ';') FROM purges")"
R export team --format json | grep -o '"nps_trend":.*' >"$T/trend.again"
expect_file_eq "the NPS trend reads the same after re-import and purge" "$T/trend.before" \
	"$T/trend.again"
R purge --older-than 90d >/dev/null 2>"$T/purge.err"
expect_eq "purge shorter than the scoring windows exits 1" 1 $?
R purge --older-than soon >/dev/null 2>&1
expect_eq "purge --older-than soon exits 2" 2 $?
R report weekly >/dev/null 2>&1
expect_eq "the report still runs after a purge" 0 $?
