#!/bin/sh
# Several caseys on one database at once lose nothing and never print a
# bare "database is locked": two imports of 50,000 rows each and a reader
# in a loop; four `casey init` racing to create the same database; and a
# writer that never lets go, which gets the clear "busy" message after
# retrying (CASEY_TEST_BUSY_MS shortens the wait for the test).
NAME=concurrent
CASEY=${1:?usage: concurrent.sh CASEY}
. "$(dirname "$0")/lib.sh"

ROWS=50000
db="$T/c.db"
gen_customers "$T/a.csv" $ROWS 1 A
gen_customers "$T/b.csv" $ROWS 1 B
printf 'ticket_id,customer_id,created_at,subject\n' >"$T/t.csv"
awk -v n=20000 'BEGIN { for (i = 1; i <= n; i++)
	printf "T%06d,A%06d,2026-11-%02d,Subject %d\n", i, i, i % 28 + 1, i }' >>"$T/t.csv"
"$CASEY" --db "$db" init >/dev/null || bad "init"

# A reader, in a loop until the writers are done.
( while [ ! -f "$T/stop" ]; do
	"$CASEY" --db "$db" --as-of 2026-11-20 summary --format json >/dev/null \
		2>>"$T/reader.err" || echo "exit $?" >>"$T/reader.fail"
	echo >>"$T/reader.runs"
done ) &
reader=$!
"$CASEY" --db "$db" import "$T/a.csv" >/dev/null 2>"$T/a.err" &
a=$!
"$CASEY" --db "$db" import "$T/b.csv" >/dev/null 2>"$T/b.err" &
b=$!
wait $a
expect_eq "first import exits 0" 0 $?
wait $b
expect_eq "second import exits 0" 0 $?
# Tickets of the A customers, while the reader still reads.
"$CASEY" --db "$db" import "$T/t.csv" >/dev/null 2>"$T/t.err"
expect_eq "tickets import exits 0" 0 $?
touch "$T/stop"
wait $reader
expect_eq "no row lost" $((2 * ROWS)) "$(q "$db" 'SELECT count(*) FROM customers')"
expect_eq "every ticket" 20000 "$(q "$db" 'SELECT count(*) FROM tickets')"
expect_eq "the writers print nothing on stderr" "" "$(cat "$T/a.err" "$T/b.err" "$T/t.err")"
expect_eq "the reader never failed" "" "$(cat "$T/reader.fail" "$T/reader.err" 2>/dev/null)"
expect_eq "the reader ran while they wrote" yes \
	"$([ "$(wc -l <"$T/reader.runs")" -ge 2 ] && echo yes)"
expect_eq "integrity" ok "$(q "$db" 'PRAGMA integrity_check')"

# Four processes creating the same new database at once, ten times over
# (switching a new file to WAL is the racy part).
for r in 0 1 2 3 4 5 6 7 8 9; do
	for i in 1 2 3 4; do
		"$CASEY" --db "$T/new$r/fresh.db" init >/dev/null 2>>"$T/init.err" &
		eval "p$i=\$!"
	done
	codes=
	for i in 1 2 3 4; do
		eval "wait \$p$i"
		codes="$codes$?"
	done
	expect_eq "four racing inits exit 0 (round $r)" 0000 "$codes"
done
expect_eq "racing inits print nothing" "" "$(cat "$T/init.err")"
expect_eq "the raced database has the schema" ok \
	"$(q "$T/new9/fresh.db" "SELECT CASE WHEN count(*) > 0 THEN 'ok' END FROM sqlite_master WHERE name = 'customers'")"
expect_eq "database mode 0600" 600 "$(stat -c %a "$T/new9/fresh.db")"

# A writer that holds the lock: casey retries, then says so plainly.
hold_lock "$db"
CASEY_TEST_BUSY_MS=150 "$CASEY" --db "$db" import "$T/a.csv" >/dev/null 2>"$T/busy.err"
expect_eq "import against a held lock exits 1" 1 $?
expect_eq "the busy message" \
	"casey: the database is busy: another casey has been writing to it for over 1 s; try again when it is done" \
	"$(cat "$T/busy.err")"
release_lock
"$CASEY" --db "$db" import "$T/a.csv" >/dev/null 2>"$T/after.err"
expect_eq "import once the lock is free exits 0" 0 $?
if grep -qi 'locked' "$T"/*.err 2>/dev/null; then
	bad "a bare 'database is locked' was printed: $(grep -hi locked "$T"/*.err | head -1)"
else ok; fi

finish
