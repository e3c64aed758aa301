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
	"$(printf '%s' "$json" | grep -o '"customers":[0-9]*,')"
expect_eq "summary as_of honours --as-of" '"as_of":"2026-11-20"' \
	"$(printf '%s' "$json" | grep -o '"as_of":"[0-9-]*"')"
for kind in customers features usage tickets nps csat outreach feature_usage onboarding; do
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

printf 'cli: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
