#!/bin/sh
# End-to-end tests of the casey binary: what a script or a user at a shell
# sees — exit codes, exact messages, files on disk.
#
#   sh tests/cli/run.sh /path/to/casey
set -u

CASEY=${1:?usage: run.sh CASEY}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/casey-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
export CASEY_ASSETS="$TOP/assets"
unset CASEY_DB
export XDG_DATA_HOME="$T/xdg"
export HOME="$T/home"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else
		bad "$1"
		printf '  expected: %s\n  actual:   %s\n' "$2" "$3" >&2
	fi
}

# expect_file_eq NAME EXPECTED_FILE ACTUAL_FILE
expect_file_eq() {
	if cmp -s "$2" "$3"; then ok; else
		bad "$1"
		diff -u "$2" "$3" | head -20 >&2
	fi
}

db="$T/sample.db"

# --- the sample data imports, and the summary counts every customer -------
"$CASEY" --db "$db" import "$TOP"/sample-data/*.csv >"$T/import.out" 2>"$T/import.err"
expect_eq "sample import exits 0" 0 $?
expect_eq "sample import writes nothing to stderr" "" "$(cat "$T/import.err")"
rows=$(sqlite3 :memory: ".import --csv $TOP/sample-data/customers.csv c" "SELECT count(*) FROM c")
json=$("$CASEY" --db "$db" --as-of 2026-11-20 summary --format json)
expect_eq "summary customers = rows of customers.csv" "\"customers\":$rows," \
	"$(printf '%s' "$json" | grep -o '"customers":[0-9]*,' | head -1)"
expect_eq "summary as_of honours --as-of" '"as_of":"2026-11-20"' \
	"$(printf '%s' "$json" | grep -o '"as_of":"[0-9-]*"')"
for kind in customers features usage tickets nps csat outreach feature_usage onboarding \
	payments plan_changes reviews; do
	grep -q ": $kind: [0-9]* rows: " "$T/import.out" || bad "closing line for $kind"
done
ok

# Re-importing everything changes nothing.
"$CASEY" --db "$db" import "$TOP"/sample-data/*.csv >"$T/again.out" 2>&1
expect_eq "re-import exits 0" 0 $?
expect_eq "re-import inserts and updates nothing" "" \
	"$(grep -v ': 0 inserted, 0 updated, ' "$T/again.out")"

# The database is private.
expect_eq "database mode 0600" 600 "$(stat -c %a "$db")"

# --- a file with one bad row: exit 1, the exact line, nothing stored -----
sqlite3 "$db" .dump >"$T/before.sql"
printf 'customer_id,name,arr\nN1,New One,100\nN2,New Two,abc\n' >"$T/bad.csv"
"$CASEY" --db "$db" import "$T/bad.csv" >"$T/bad.out" 2>"$T/bad.err"
expect_eq "bad row exits 1" 1 $?
expect_eq "bad row message" \
	"casey: $T/bad.csv:3: column 'arr': 'abc' is not a number
casey: $T/bad.csv: nothing imported: 1 bad row (fix it or use --skip-bad)" \
	"$(cat "$T/bad.err")"
sqlite3 "$db" .dump >"$T/after.sql"
expect_file_eq "database unchanged after a bad file" "$T/before.sql" "$T/after.sql"

# --skip-bad keeps the good row and says which it skipped.
"$CASEY" --db "$db" import --skip-bad "$T/bad.csv" >"$T/skip.out" 2>"$T/skip.err"
expect_eq "skip-bad exits 0" 0 $?
expect_eq "skip-bad lists the row" \
	"casey: warning: $T/bad.csv:3: column 'arr': 'abc' is not a number (row skipped)" \
	"$(cat "$T/skip.err")"
expect_eq "skip-bad closing line" \
	"$T/bad.csv: customers: 2 rows: 1 inserted, 0 updated, 0 unchanged, 1 skipped" \
	"$(cat "$T/skip.out")"

# --- escape sequences in data never reach the terminal -------------------
printf 'customer_id,name\nE1,"\033]0;pwned\007Evil"\n' >"$T/esc.csv"
printf 'ticket_id,customer_id,created_at\nX1,"\033[2J",2026-11-01\n' >"$T/esc2.csv"
"$CASEY" --db "$db" import "$T/esc.csv" "$T/esc2.csv" >"$T/esc.out" 2>"$T/esc.err"
if grep -q "$(printf '\033')" "$T/esc.err" "$T/esc.out"; then
	bad "an escape sequence from the data reached the output"
else ok; fi
expect_eq "unknown customer shown with placeholders" \
	"casey: $T/esc2.csv:2: column 'customer_id': unknown customer '^[[2J'" \
	"$(head -1 "$T/esc.err")"

# --- the command line -----------------------------------------------------
"$CASEY" --db "$db" frobnicate >/dev/null 2>"$T/usage.err"
expect_eq "unknown command exits 2" 2 $?
expect_eq "unknown command message" "casey: unknown command 'frobnicate'" \
	"$(head -1 "$T/usage.err")"
"$CASEY" --db "$db" --as-of 2026-02-30 summary >/dev/null 2>"$T/asof.err"
expect_eq "invalid --as-of exits 2" 2 $?
expect_eq "invalid --as-of message" "casey: --as-of '2026-02-30' is not a date (YYYY-MM-DD)" \
	"$(head -1 "$T/asof.err")"
"$CASEY" --db "$db" import >/dev/null 2>&1
expect_eq "import without files exits 2" 2 $?
"$CASEY" --db "$db" import --map nosuch "$T/bad.csv" >/dev/null 2>"$T/map.err"
expect_eq "unknown mapping profile exits 1" 1 $?
expect_eq "unknown mapping profile message" \
	"casey: no mapping profile 'nosuch' (looked for maps/nosuch.ini in the assets directories)" \
	"$(cat "$T/map.err")"
"$CASEY" --db "$db" summary --format xml >/dev/null 2>&1
expect_eq "bad --format exits 2" 2 $?

# A broken mapping profile names its file and line.
printf '[profile]\nkind = tickets\n[columns]\nId = ticket_id\nWhen = opened_at\n' >"$T/broken.ini"
"$CASEY" --db "$db" import --map "$T/broken.ini" "$T/bad.csv" >/dev/null 2>"$T/ini.err"
expect_eq "broken mapping profile exits 1" 1 $?
expect_eq "broken mapping profile message" \
	"casey: $T/broken.ini:5: 'opened_at' is not a column of tickets files" \
	"$(cat "$T/ini.err")"

# --db falls back to $CASEY_DB, then $XDG_DATA_HOME.
CASEY_DB="$T/env.db" "$CASEY" init >/dev/null
expect_eq "CASEY_DB is used" yes "$([ -f "$T/env.db" ] && echo yes)"
"$CASEY" init >/dev/null
expect_eq "XDG_DATA_HOME is used" yes "$([ -f "$XDG_DATA_HOME/casey/casey.db" ] && echo yes)"

# A --db that names no database (a typo) is refused, not created empty:
# only init, import and checklist new create one.
: >"$T/none.keys"
for cmd in summary customers actions score "report weekly" "explain C00001" \
	"tui --keys $T/none.keys --size 80x24 --dump $T/typo.screen"; do
	# shellcheck disable=SC2086
	"$CASEY" --db "$T/typo.db" $cmd >/dev/null 2>"$T/typo.err"
	expect_eq "$cmd on a missing database exits 1" 1 $?
	expect_eq "$cmd on a missing database says so" \
		"casey: $T/typo.db: no such database; run 'casey init' and 'casey import' first" \
		"$(cat "$T/typo.err")"
	expect_eq "$cmd on a missing database creates nothing" no \
		"$([ -e "$T/typo.db" ] && echo yes || echo no)"
done
"$CASEY" --db "$T/typo.db" init >/dev/null
expect_eq "init creates it" yes "$([ -f "$T/typo.db" ] && echo yes)"
"$CASEY" --db "$T/typo.db" summary >/dev/null
expect_eq "then summary reads it" 0 $?

# --- checklist: the release quality checklist (PRODUCT.md §4, §5) -----------
ckdb="$T/checklist.db"
ck() { "$CASEY" --db "$ckdb" --as-of 2026-11-20 checklist "$@"; }

expect_eq "checklist new prints just the id" 1 "$(ck new 'Bulk export' 2>"$T/ck.err")"
expect_eq "checklist new writes nothing to stderr" "" "$(cat "$T/ck.err")"
expect_eq "the second checklist is 2" 2 "$(ck new 'Scratch')"

ck set 1 14 yes >/dev/null 2>"$T/ck.err"
expect_eq "checklist set ITEM 14 exits 2" 2 $?
expect_eq "checklist set ITEM 14 message" \
	"casey: checklist set: ITEM is 1..13, not '14'
usage: casey checklist set ID ITEM yes|no|na [--note TEXT]" \
	"$(head -2 "$T/ck.err")"
ck set 1 2 maybe >/dev/null 2>"$T/ck.err"
expect_eq "checklist set 'maybe' exits 2" 2 $?
expect_eq "checklist set 'maybe' message" \
	"casey: checklist set: the answer is yes, no or na, not 'maybe'" \
	"$(head -1 "$T/ck.err")"
ck set 1 0 yes >/dev/null 2>&1
expect_eq "checklist set ITEM 0 exits 2" 2 $?
ck approve 1 perhaps >/dev/null 2>&1
expect_eq "checklist approve with a bad value exits 2" 2 $?
ck gap 1 legal '#1' >/dev/null 2>&1
expect_eq "checklist gap with a bad kind exits 2" 2 $?
ck gap 1 docs soon >/dev/null 2>&1
expect_eq "checklist gap with a bad issue exits 2" 2 $?
ck sign 1 >/dev/null 2>&1
expect_eq "checklist sign without --reviewer exits 2" 2 $?
ck show 99 >/dev/null 2>"$T/ck.err"
expect_eq "unknown checklist exits 1" 1 $?
expect_eq "unknown checklist message" "casey: no checklist 99" "$(cat "$T/ck.err")"
ck set 99 1 yes >/dev/null 2>"$T/ck.err"
expect_eq "set on an unknown checklist exits 1" 1 $?
expect_eq "set on an unknown checklist message" "casey: no checklist 99" "$(cat "$T/ck.err")"

# Signing is refused, with every reason on its own line, until all is said.
for i in 1 4 5 6 7 8 9 10 11 12; do ck set 1 $i yes >/dev/null; done
expect_eq "checklist set prints the answer" \
	"checklist 1: item 2 (Support Documentation): No" \
	"$(ck set 1 2 no 2>"$T/ck.err")"
expect_eq "a No without a note warns at once" \
	"casey: warning: a No needs the customer-support risk written down; add it with --note TEXT before signing" \
	"$(cat "$T/ck.err")"
ck set 1 3 na >/dev/null 2>&1
ck sign 1 --reviewer 'Casey (Customer Success)' >"$T/ck.out" 2>"$T/ck.err"
expect_eq "checklist sign refused exits 1" 1 $?
expect_eq "checklist sign refused says why" \
	"casey: cannot sign checklist 1: item 2 (Support Documentation) is No without a customer-support risk note
casey: cannot sign checklist 1: item 3 (FAQ Prepared) is N/A without a justification
casey: cannot sign checklist 1: item 13 (Escalation Path) is unanswered
casey: cannot sign checklist 1: no approval chosen (approved, gaps or unready)" \
	"$(cat "$T/ck.err")"
expect_eq "checklist sign refused prints nothing" "" "$(cat "$T/ck.out")"

ck set 1 2 no --note 'Customers will open how-to tickets until DOCS-7 ships' >/dev/null
ck set 1 --note 'Not a new feature for support' 3 na >/dev/null
ck set 1 13 yes --note='Tucker (QA) for P0/P1' >/dev/null
expect_eq "checklist approve" "checklist 1: approval gaps" "$(ck approve 1 gaps)"
expect_eq "checklist gap" "checklist 1: docs gap DOCS-7 listed" "$(ck gap 1 docs docs-7)"
ck gap 1 docs 123 >/dev/null
ck gap 1 training '#9' >/dev/null
expect_eq "checklist gap --remove" "checklist 1: training gap #9 removed" \
	"$(ck gap 1 training 9 --remove)"
ck notes 1 'Enterprise customers first.' >/dev/null
expect_eq "checklist notes exits 0" 0 $?
expect_eq "checklist list before signing" \
	"  ID  REV  STATUS  APPROVAL  ANSWERED  TITLE
   1    1  draft   gaps      13/13     Bulk export
   2    1  draft   -         0/13      Scratch" \
	"$(ck list)"
expect_eq "checklist sign" \
	"checklist 1 signed by Casey (Customer Success) on 2026-11-20; it is now locked" \
	"$(ck sign 1 --reviewer 'Casey (Customer Success)' 2>&1)"

# Signed means locked; the message says how to change it.
ck set 1 4 no --note 'x' >"$T/ck.out" 2>"$T/ck.err"
expect_eq "set on a signed checklist exits 1" 1 $?
expect_eq "set on a signed checklist says how to revise" \
	"casey: checklist 1 was signed by Casey (Customer Success) on 2026-11-20 and is locked; changes need a new revision
casey: to change it, start revision 2 (a draft copy): casey checklist revise 1" \
	"$(cat "$T/ck.err")"
ck approve 1 approved >/dev/null 2>&1
expect_eq "approve on a signed checklist exits 1" 1 $?

# Export: Markdown for the release notes, a private file, never clobbered.
cat >"$T/ck.expected" <<'EOF'
# Customer Success Quality Checklist: Bulk export

- **Checklist Version**: 1.0
- **Revision**: 1
- **Status**: Signed

## Checklist Items

1. **Customer Communication**: Customer-facing announcement drafted (release notes, blog post, email)
   - **Answer**: Yes
2. **Support Documentation**: Help center articles created or updated for new feature
   - **Answer**: No
   - **Customer-support risk**: Customers will open how-to tickets until DOCS-7 ships
3. **FAQ Prepared**: Common questions anticipated and answers documented
   - **Answer**: N/A
   - **Justification**: Not a new feature for support
4. **Support Team Training**: Support team trained on new feature functionality
   - **Answer**: Yes
5. **User Onboarding**: In-app onboarding or tooltips created for feature discovery
   - **Answer**: Yes
6. **Migration Path**: Existing users have clear migration/upgrade path (if feature changes behavior)
   - **Answer**: Yes
7. **Rollback Communication**: Plan for communicating rollback to customers (if needed)
   - **Answer**: Yes
8. **Feedback Mechanism**: Way for users to provide feedback on new feature (survey, feedback form)
   - **Answer**: Yes
9. **Success Metrics Communication**: How feature success will be measured and communicated to customers
   - **Answer**: Yes
10. **Breaking Changes**: Breaking changes clearly communicated with sufficient notice
    - **Answer**: Yes
11. **Customer Segmentation**: Identified which customer segments benefit most from feature
    - **Answer**: Yes
12. **Support Ticket Tagging**: New tags/categories created for feature-related support tickets
    - **Answer**: Yes
13. **Escalation Path**: Escalation path defined for critical issues with new feature
    - **Answer**: Yes
    - **Note**: Tucker (QA) for P0/P1

## Approval

- [ ] Approved (customer success ready)
- [x] Approved with Gaps (documentation/training gaps, will address quickly post-launch)
- [ ] Support Unready (significant gaps, recommend delaying launch)

## Support Readiness Gaps

- [x] Documentation incomplete (issues: #123, DOCS-7)
- [ ] Support team not trained
- [ ] Customer communication not drafted

## Notes

Enterprise customers first.

## Sign-off

- **Reviewer**: Casey (Customer Success)
- **Date**: 2026-11-20
- **Checklist Version**: 1.0
- **Signature**: /s/ Casey (Customer Success)
EOF
ck export 1 -o "$T/ck.md" >"$T/ck.out" 2>&1
expect_eq "checklist export -o exits 0" 0 $?
expect_eq "checklist export -o prints nothing" "" "$(cat "$T/ck.out")"
expect_file_eq "checklist export Markdown" "$T/ck.expected" "$T/ck.md"
expect_eq "checklist export file mode 0600" 600 "$(stat -c %a "$T/ck.md")"
ck export 1 >"$T/ck.stdout"
expect_file_eq "checklist export to stdout is the same" "$T/ck.expected" "$T/ck.stdout"
"$CASEY" --db "$ckdb" --as-of 2027-01-01 checklist export 1 >"$T/ck.later"
expect_file_eq "checklist export does not depend on --as-of" "$T/ck.expected" "$T/ck.later"
echo keep >"$T/ck.keep"
ck export 1 -o "$T/ck.keep" >/dev/null 2>"$T/ck.err"
expect_eq "checklist export refuses an existing file" 1 $?
expect_eq "checklist export refusal message" \
	"casey: $T/ck.keep exists; give --force to replace it" "$(cat "$T/ck.err")"
expect_eq "the existing file is untouched" keep "$(cat "$T/ck.keep")"
ck export 1 -o "$T/ck.keep" --force >/dev/null 2>&1
expect_file_eq "checklist export --force replaces it" "$T/ck.expected" "$T/ck.keep"
expect_eq "the replaced file is 0600" 600 "$(stat -c %a "$T/ck.keep")"

# A revision: a draft copy, revision 2, editable; the signed one stays.
expect_eq "checklist revise prints the new id" 3 \
	"$("$CASEY" --db "$ckdb" --as-of 2026-11-21 checklist revise 1)"
ck revise 1 >/dev/null 2>"$T/ck.err"
expect_eq "revising twice exits 1" 1 $?
expect_eq "revising twice message" "casey: checklist 1 was already revised as checklist 3" \
	"$(cat "$T/ck.err")"
ck set 3 4 no --note 'Training slips a week' >/dev/null
expect_eq "the revision is editable" 0 $?
ck show 3 --format json >"$T/ck.json"
for want in '"id":3' '"revision":2' '"parent":1' '"status":"draft"' \
	'"approval":"gaps"' '"created_at":"2026-11-21"' '"reviewer":null' \
	'{"item":4,"title":"Support Team Training","text":"Support team trained on new feature functionality","answer":"no","note":"Training slips a week"}' \
	'"gaps":[{"kind":"docs","issue":"#123"},{"kind":"docs","issue":"DOCS-7"}]' \
	'"problems":[]'; do
	case $(cat "$T/ck.json") in
	*"$want"*) ok ;;
	*) bad "checklist show --format json has $want" ;;
	esac
done
expect_eq "the signed original is unchanged" "$T/ck.expected" \
	"$(ck export 1 -o "$T/ck.again" && cmp -s "$T/ck.expected" "$T/ck.again" && echo "$T/ck.expected")"
ck list --format json >"$T/ck.list"
case $(cat "$T/ck.list") in
*'{"id":1,"title":"Bulk export","version":"1.0","revision":1,"parent":null,"revised_by":3,"status":"signed","approval":"gaps","reviewer":"Casey (Customer Success)","signed_at":"2026-11-20"'*) ok ;;
*) bad "checklist list --format json: $(cat "$T/ck.list")" ;;
esac

# Text from users cannot drive the terminal.
ck notes 2 "$(printf 'see \033[2Jhere')" >/dev/null 2>"$T/ck.err"
expect_eq "notes with an escape are refused" 1 $?
expect_eq "notes with an escape message" \
	"casey: the notes must not contain control characters" "$(cat "$T/ck.err")"

# --- analytics: nps, csat, adoption, onboarding ---------------------------
an="$T/analytics.db"
A() { "$CASEY" --db "$an" --as-of 2026-11-20 "$@"; }
# has NAME FILE STRING: the file contains the string
has() {
	case $(cat "$2") in
	*"$3"*) ok ;;
	*) bad "$1: no $3"; head -c 600 "$2" >&2; echo >&2 ;;
	esac
}
json_ok() {
	expect_eq "$1 is valid JSON" 1 \
		"$(sqlite3 :memory: "SELECT json_valid(readfile('$2'))")"
}
"$CASEY" --db "$an" import "$TOP"/sample-data/*.csv >/dev/null 2>&1
expect_eq "analytics sample import exits 0" 0 $?

A nps --format json >"$T/nps.json"
expect_eq "nps exits 0" 0 $?
json_ok "nps --format json" "$T/nps.json"
has "nps json" "$T/nps.json" '{"as_of":"2026-11-20","window":{"from":"2026-08-23","to":"2026-11-20"},"nps":41.5,"responses":159,"promoters":91,"passives":43,"detractors":25,'
has "nps monthly trend" "$T/nps.json" '{"period":"2026-10","from":"2026-10-01","to":"2026-10-31","nps":41.5,"responses":159,'
has "nps quarterly trend" "$T/nps.json" '{"period":"2026-Q4","from":"2026-10-01","to":"2026-11-20",'
has "nps detractor reasons" "$T/nps.json" '"detractor_reasons":{"commented":19,"uncommented":6,'
has "nps correlation note" "$T/nps.json" '"by_feature_use":{"note":"correlation, not causation","min_n":5,'
A nps >"$T/nps.txt"
has "nps text" "$T/nps.txt" 'NPS         +42  (159 responses)'
has "nps text note" "$T/nps.txt" '(correlation, not causation)'
"$CASEY" --db "$an" --as-of 2026-08-01 nps --format json >"$T/nps-aug.json"
has "nps honours --as-of" "$T/nps-aug.json" '{"as_of":"2026-08-01","window":{"from":"2026-05-04","to":"2026-08-01"},'

A csat --format json >"$T/csat.json"
expect_eq "csat exits 0" 0 $?
json_ok "csat --format json" "$T/csat.json"
has "csat json" "$T/csat.json" '"responses":587,"average":3.67,"satisfied_pct":62.5,"scored":587,"satisfied":367,"flag_rule":{"min_n":5,"points_below":10}'
has "csat flags a context" "$T/csat.json" '{"group":"User interface","responses":19,"average":3.42,"satisfied_pct":47.4,"points_below":15.2,"flagged":true}'
has "csat never flags n<5" "$T/csat.json" '{"group":"AI Insights","responses":2,"average":3.50,"satisfied_pct":50.0,"points_below":12.5,"flagged":false}'
A csat >"$T/csat.txt"
has "csat text" "$T/csat.txt" 'Satisfied   62.5% (367 of 587: 4-5 of 5, or Good)'

# Adoption before any score: no bands, and it says so.
A adoption >"$T/adopt0.txt"
has "adoption without scores says so" "$T/adopt0.txt" "No 'default' scores on or before 2026-11-20"
A score >/dev/null
A adoption --format json >"$T/adopt.json"
expect_eq "adoption exits 0" 0 $?
json_ok "adoption --format json" "$T/adopt.json"
has "adoption json" "$T/adopt.json" '{"as_of":"2026-11-20","active_customers":296,"thresholds":{"low_pct":20,"min_days_since_release":30,"target_pct":30,"recent_days":60},"bands":{"profile":"default","snapshot":"2026-11-20",'
has "adoption gap F11" "$T/adopt.json" '"feature_id":"F11","name":"AI Insights","released_at":"2026-10-06","days_since_release":45,'
has "adoption gap F11 status" "$T/adopt.json" '"status":"gap","gap":{"tickets":{"docs":10,"usability":0,"other":0},"likely_cause":"docs","owner":"Thomas"}'
expect_eq "adoption gaps" '"gaps":2' "$(grep -o '"gaps":[0-9]*' "$T/adopt.json")"

A onboarding --format json >"$T/onb.json"
expect_eq "onboarding exits 0" 0 $?
json_ok "onboarding --format json" "$T/onb.json"
has "onboarding json" "$T/onb.json" '"cohort":{"from":"2026-08-23","to":"2026-11-20","customers":34},"first_value_milestone":"first_value","time_to_first_value":{"reached":11,"median_days":16.0,'
has "onboarding activation" "$T/onb.json" '"activation":{"days":30,"eligible":22,"activated":8,"rate_pct":36.4,'

for c in nps csat adoption onboarding; do
	A $c --format xml >/dev/null 2>&1
	expect_eq "$c --format xml exits 2" 2 $?
	A $c extra >/dev/null 2>&1
	expect_eq "$c with an argument exits 2" 2 $?
done

# Quotes are anonymised; data cannot drive the terminal.
printf 'customer_id,name,segment\nQ1,Acme Analytics Inc.,Mid-Market\n' >"$T/q-cust.csv"
printf 'customer_id,date,score,comment\nQ1,2026-11-01,2,"Acme Analytics is leaving: mail jo@acme.io or call +1 555 010 2233"\n' >"$T/q-nps.csv"
printf 'feature_id,name,released_at\nFX,"\033[2JEvil",2026-01-01\n' >"$T/q-feat.csv"
"$CASEY" --db "$T/q.db" import "$T/q-cust.csv" "$T/q-nps.csv" "$T/q-feat.csv" >/dev/null 2>&1
"$CASEY" --db "$T/q.db" --as-of 2026-11-20 nps --format json >"$T/q.json"
has "quotes are anonymised" "$T/q.json" '"quote":"a Mid-Market customer is leaving: mail [email] or call [phone]"'
"$CASEY" --db "$T/q.db" --as-of 2026-11-20 adoption >"$T/q.txt" 2>&1
"$CASEY" --db "$T/q.db" --as-of 2026-11-20 nps >>"$T/q.txt" 2>&1
if grep -q "$(printf '\033')" "$T/q.txt"; then
	bad "an escape sequence reached the analytics output"
else ok; fi

# --- tickets and themes: categories, routing, priority, SLAs --------------
tkdb="$T/tickets.db"
tk() { "$CASEY" --db "$tkdb" --as-of 2026-11-20 "$@"; }
tk import "$TOP"/sample-data/customers.csv "$TOP"/sample-data/tickets.csv >/dev/null

tk tickets --format json >"$T/tk.json" 2>"$T/tk.err"
expect_eq "tickets exits 0" 0 $?
expect_eq "tickets writes nothing to stderr" "" "$(cat "$T/tk.err")"
expect_eq "tickets lists every ticket" 2490 "$(grep -o '"ticket_id":' "$T/tk.json" | wc -l)"
expect_eq "every ticket is categorised" "" \
	"$(grep -o '"category_source":[^,]*' "$T/tk.json" | grep -v -E '"(export|rule|model)"')"
expect_eq "every ticket has a theme" "" "$(grep -o '"theme":null' "$T/tk.json")"

tk tickets --format csv >"$T/tk.csv"
expect_eq "tickets csv header" \
	"ticket_id,customer_id,created_at,status,category,category_source,confidence,owner,priority,sla_breach,theme,subject" \
	"$(head -1 "$T/tk.csv")"
expect_eq "routing: each category to its owner" \
	"Bug Report,Tucker (QA)
Documentation Gap,Thomas (Docs)
Feature Request,Peter (Product)
How-To Question,Thomas (Docs)
Integration Question,Axel (API)
Performance Issue,Engrid + Isabel (Engineering)
Usability Issue,Peter + Dexter (UX)" \
	"$(tail -n +2 "$T/tk.csv" | cut -d, -f5,8 | sort -u)"
expect_eq "priorities are P0..P4" "P0 P1 P2 P3 P4 " \
	"$(tail -n +2 "$T/tk.csv" | cut -d, -f9 | sort -u | tr '\n' ' ')"
expect_eq "--uncategorised lists only the rules' and the model's" "model rule " \
	"$(tk tickets --uncategorised --format csv | tail -n +2 | cut -d, -f6 | sort -u | tr '\n' ' ')"
expect_eq "--as-of: no ticket created after it" "" \
	"$("$CASEY" --db "$tkdb" --as-of 2026-06-01 tickets --format csv | tail -n +2 |
	   cut -d, -f3 | awk '$0 >= "2026-06-02"')"

# A CSM's decision is kept by every later run.
expect_eq "tickets set prints the decision" "T000002: Bug Report" \
	"$(tk tickets set T000002 bug)"
tk tickets categorise >/dev/null
expect_eq "the CSM's category survives categorisation" "T000002,Bug Report,csm,1.000" \
	"$(tk tickets --format csv | grep '^T000002,' | cut -d, -f1,5-7)"
tk tickets set NOPE bug >/dev/null 2>"$T/tk.err"
expect_eq "tickets set on an unknown ticket exits 1" 1 $?
expect_eq "tickets set on an unknown ticket message" "casey: no ticket 'NOPE'" \
	"$(cat "$T/tk.err")"
tk tickets set T000002 billing >/dev/null 2>&1
expect_eq "tickets set with an unknown category exits 2" 2 $?
expect_eq "tickets categorise twice changes nothing" "0 tickets changed" \
	"$(tk tickets categorise)"
tk tickets --format xml >/dev/null 2>&1
expect_eq "tickets --format xml exits 2" 2 $?

# The classifier on held-out tickets.
ev=$(tk tickets evaluate --format json)
expect_eq "evaluate holds out one in five" '"held_out":355' \
	"$(printf '%s' "$ev" | grep -o '"held_out":[0-9]*')"
acc=$(printf '%s' "$ev" | grep -o '"accuracy":[0-9.]*' | cut -d: -f2)
expect_eq "evaluate accuracy at least 0.95 (is $acc)" yes \
	"$(awk -v a="$acc" 'BEGIN { print (a >= 0.95) ? "yes" : "no" }')"
expect_eq "evaluate text names every category" 7 \
	"$(tk tickets evaluate | grep -c -E '^(Bug Report|Feature Request|Documentation Gap|Usability Issue|Performance Issue|Integration Question|How-To Question) ')"

# Themes of the week to --as-of, by ARR.
tk themes --format json >"$T/th.json" 2>"$T/th.err"
expect_eq "themes exits 0" 0 $?
expect_eq "themes writes nothing to stderr" "" "$(cat "$T/th.err")"
expect_eq "the week's export timeouts are one theme" \
	'{"category":"Performance Issue","theme":"csv export timeout","tickets":10,' \
	"$(grep -o '{"category":"Performance Issue","theme":"csv export timeout","tickets":[0-9]*,' "$T/th.json")"
expect_eq "themes over the whole sample recur: about 40" 40 \
	"$(tk themes --days 365 --format csv | tail -n +2 | cut -d, -f2 | sort -u | wc -l)"
tk themes --days 0 >/dev/null 2>&1
expect_eq "themes --days 0 exits 2" 2 $?

# Terminal-safe and spreadsheet-safe: a hostile subject.
printf 'ticket_id,customer_id,created_at,subject\nTX1,C00001,2026-11-19,"=HYPERLINK(1) \033]0;pwned\007"\n' \
	>"$T/tkesc.csv"
tk import "$T/tkesc.csv" >/dev/null
tk tickets >"$T/tk.table" 2>&1
if grep -q "$(printf '\033')" "$T/tk.table"; then
	bad "an escape sequence from a ticket reached the terminal"
else ok; fi
expect_eq "a formula in a subject is defused in CSV" '"'"'"'=HYPERLINK(1)' \
	"$(tk tickets --format csv | grep '^TX1,' | sed 's/.*,\("[^ ]*\) .*/\1/')"

# A broken tickets.ini names its file and line.
mkdir -p "$T/badassets"
sed 's/^low\/low = P4$/low\/low = P9/' "$TOP/assets/tickets.ini" >"$T/badassets/tickets.ini"
badline=$(grep -n '^low/low = P9$' "$T/badassets/tickets.ini" | cut -d: -f1)
CASEY_ASSETS="$T/badassets" "$CASEY" --db "$tkdb" tickets >/dev/null 2>"$T/tk.err"
expect_eq "a broken tickets.ini exits 1" 1 $?
expect_eq "a broken tickets.ini message" \
	"casey: $T/badassets/tickets.ini:$badline: priority 'P9' is not P0..P4" "$(cat "$T/tk.err")"

# --- hardening (#7): configuration errors, private files, hostile names ---
# A broken mapping profile, health profile or rules file: FILE:LINE and the
# problem, exit 1, and the database not touched (byte for byte), nor
# created when it did not exist.
hdb="$T/hard.db"
"$CASEY" --db "$hdb" import "$TOP/sample-data/customers.csv" >/dev/null 2>&1
cp "$hdb" "$T/hard.before"
"$CASEY" --db "$hdb" import --map "$T/broken.ini" "$T/bad.csv" >/dev/null 2>"$T/h.err"
expect_eq "broken mapping: exit 1" 1 $?
expect_eq "broken mapping: FILE:LINE" \
	"casey: $T/broken.ini:5: 'opened_at' is not a column of tickets files" "$(cat "$T/h.err")"
expect_eq "broken mapping: database untouched" same \
	"$(cmp -s "$hdb" "$T/hard.before" && echo same)"
"$CASEY" --db "$T/none.db" import --map "$T/broken.ini" "$T/bad.csv" >/dev/null 2>&1
expect_eq "broken mapping: no database created" no "$([ -e "$T/none.db" ] && echo yes || echo no)"

sed 's/^metric = active_days_30d$/metric = logins_per_day/' \
	"$TOP/assets/profiles/default.ini" >"$T/bad-profile.ini"
pline=$(grep -n '^metric = logins_per_day$' "$T/bad-profile.ini" | cut -d: -f1)
"$CASEY" --db "$hdb" --as-of 2026-11-20 score --profile "$T/bad-profile.ini" \
	>/dev/null 2>"$T/h.err"
expect_eq "broken profile: exit 1" 1 $?
expect_eq "broken profile: FILE:LINE" \
	"casey: $T/bad-profile.ini:$pline: unknown metric 'logins_per_day'" "$(cat "$T/h.err")"
expect_eq "broken profile: database untouched" same \
	"$(cmp -s "$hdb" "$T/hard.before" && echo same)"
"$CASEY" --db "$T/none.db" score --profile "$T/bad-profile.ini" >/dev/null 2>&1
expect_eq "broken profile: no database created" no "$([ -e "$T/none.db" ] && echo yes || echo no)"

mkdir -p "$T/badrules"
cp -R "$TOP/assets/." "$T/badrules/"
sed '0,/^due_hours = 48$/s//due_hours = soon/' "$TOP/assets/rules.ini" >"$T/badrules/rules.ini"
rline=$(grep -n '^due_hours = soon$' "$T/badrules/rules.ini" | cut -d: -f1)
CASEY_ASSETS="$T/badrules" "$CASEY" --db "$hdb" --as-of 2026-11-20 score >/dev/null 2>"$T/h.err"
expect_eq "broken rules: exit 1" 1 $?
expect_eq "broken rules: FILE:LINE" \
	"casey: $T/badrules/rules.ini:$rline: due_hours must be a whole non-negative number, not 'soon'" \
	"$(cat "$T/h.err")"
expect_eq "broken rules: database untouched" same \
	"$(cmp -s "$hdb" "$T/hard.before" && echo same)"

# Files: what casey writes is private whatever the umask; a database or a
# configuration file that every user may write to is refused, with why.
(umask 000; "$CASEY" --db "$T/private/p.db" import "$TOP/sample-data/customers.csv" \
	>/dev/null 2>&1)
expect_eq "database 0600 under umask 000" 600 "$(stat -c %a "$T/private/p.db")"
expect_eq "its directory 0700" 700 "$(stat -c %a "$T/private")"
expect_eq "no group or world access to anything casey left" "" \
	"$(find "$T/private" -perm /077 -print)"
clid=$("$CASEY" --db "$T/private/p.db" checklist new "Release 1.0" 2>/dev/null)
for exp in "report weekly -o $T/private/weekly.md" "checklist export ${clid:-1} -o $T/private/cl.md"; do
	# shellcheck disable=SC2086
	(umask 000; "$CASEY" --db "$T/private/p.db" --as-of 2026-11-20 $exp >/dev/null 2>&1)
	case $? in
	0) expect_eq "export '${exp%% -o*}' is 0600" 600 "$(stat -c %a "${exp##* }")" ;;
	2) printf 'cli: not yet testable: %s (no such command)\n' "${exp%% -o*}" >&2 ;;
	*) bad "export '$exp' failed" ;;
	esac
done
# Replacing a file that others could read (--force) leaves it private too.
(umask 022; echo old >"$T/private/shared.md")
(umask 000; "$CASEY" --db "$T/private/p.db" --as-of 2026-11-20 report weekly \
	-o "$T/private/shared.md" --force >/dev/null 2>&1)
case $? in
0) expect_eq "an export replacing a 0644 file is 0600" 600 "$(stat -c %a "$T/private/shared.md")" ;;
2) printf 'cli: not yet testable: report weekly --force\n' >&2 ;;
*) bad "report weekly -o --force failed" ;;
esac
cp "$hdb" "$T/ww.db"
chmod 666 "$T/ww.db"
"$CASEY" --db "$T/ww.db" summary >/dev/null 2>"$T/h.err"
expect_eq "world-writable database: exit 1" 1 $?
expect_eq "world-writable database: why" \
	"casey: $T/ww.db: refusing a database that every user may write to (mode 666); run chmod 600 on it" \
	"$(cat "$T/h.err")"
cp "$TOP/assets/profiles/default.ini" "$T/ww-profile.ini"
chmod 666 "$T/ww-profile.ini"
"$CASEY" --db "$hdb" score --profile "$T/ww-profile.ini" >/dev/null 2>"$T/h.err"
expect_eq "world-writable profile: exit 1" 1 $?
expect_eq "world-writable profile: why" \
	"casey: $T/ww-profile.ini: refusing a configuration file that every user may write to (mode 666)" \
	"$(cat "$T/h.err")"
cp "$TOP/assets/maps/zendesk.ini" "$T/ww-map.ini"
chmod 666 "$T/ww-map.ini"
"$CASEY" --db "$hdb" import --map "$T/ww-map.ini" "$T/bad.csv" >/dev/null 2>"$T/h.err"
expect_eq "world-writable mapping: exit 1" 1 $?
expect_eq "world-writable mapping: why" \
	"casey: $T/ww-map.ini: refusing a configuration file that every user may write to (mode 666)" \
	"$(cat "$T/h.err")"
mkdir -p "$T/wwrules"
cp -R "$TOP/assets/." "$T/wwrules/"
chmod 666 "$T/wwrules/rules.ini"
CASEY_ASSETS="$T/wwrules" "$CASEY" --db "$hdb" score >/dev/null 2>"$T/h.err"
expect_eq "world-writable rules: exit 1" 1 $?
expect_eq "world-writable rules: why" \
	"casey: $T/wwrules/rules.ini: refusing a configuration file that every user may write to (mode 666)" \
	"$(cat "$T/h.err")"
expect_eq "refused configurations: database untouched" same \
	"$(cmp -s "$hdb" "$T/hard.before" && echo same)"

# Hostile names: a formula is stored as written and defused in CSV output;
# an escape sequence and a bidi override reach the table as placeholders.
ndb="$T/names.db"
printf 'customer_id,name,arr\nN1,"=HYPERLINK(""http://x.example"",""Click"")",10\nN2,"\033]0;pwned\007Evil \342\200\256txt.exe",20\nN3,'"'"'); DROP TABLE customers;--,30\n' \
	>"$T/names.csv"
"$CASEY" --db "$ndb" import "$T/names.csv" >/dev/null 2>&1
"$CASEY" --db "$ndb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "a formula is stored verbatim" '=HYPERLINK("http://x.example","Click")' \
	"$(sqlite3 "$ndb" "SELECT name FROM customers WHERE customer_id = 'N1'")"
expect_eq "a formula is defused in --format csv" \
	"N1,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"Click\"\")\"" \
	"$("$CASEY" --db "$ndb" --as-of 2026-11-20 customers --format csv | grep '^N1,' | cut -d, -f1-3)"
expect_eq "SQL in a name is stored verbatim, the table intact" "'); DROP TABLE customers;--|3" \
	"$(sqlite3 "$ndb" "SELECT name FROM customers WHERE customer_id = 'N3'; SELECT count(*) FROM customers" | paste -sd'|')"
"$CASEY" --db "$ndb" --as-of 2026-11-20 customers >"$T/names.out" 2>&1
if grep -q "$(printf '\033')" "$T/names.out" || grep -q "$(printf '\342\200\256')" "$T/names.out"; then
	bad "an escape sequence or a bidi override reached the customers table"
else ok; fi
expect_eq "placeholders in the customers table" 'N2         ^[]0;pwned^GEvil <BIDI>txt.exe' \
	"$(grep '^N2 ' "$T/names.out" | sed 's/ *[0-9]* *[0-9]* [a-z]* *[a-z]* *[^ ]*$//')"

. "$HERE/scoring.sh"
. "$HERE/figures.sh"

# --- page size and casey compact (#6): tests/cli/compact.sh -------------------
. "$HERE/compact.sh"

# --- reports and hand-offs (#5): tests/cli/reports.sh ------------------------
. "$HERE/reports.sh"

# --- tiers and renewals (#8): tests/cli/renewals.sh ----------------------------
. "$HERE/renewals.sh"

# --- churn risk, segments, expansion (#8): tests/cli/signals.sh ---------------
. "$HERE/signals.sh"

# --- success plans and business reviews (#8): tests/cli/plans.sh -------------
. "$HERE/plans.sh"

printf 'cli: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
