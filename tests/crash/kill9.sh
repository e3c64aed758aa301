#!/bin/sh
# kill -9 in the middle of an import leaves a database that passes
# integrity_check and holds all of the file or none of it: a fresh import
# killed (none or all of 200,000 rows), then a re-import that changes every
# row killed (every row old, or every row new, never a mix).
NAME=kill9
CASEY=${1:?usage: kill9.sh CASEY}
. "$(dirname "$0")/lib.sh"

ROWS=200000
db="$T/k.db"
gen_customers "$T/old.csv" $ROWS 1
gen_customers "$T/new.csv" $ROWS 2
"$CASEY" --db "$db" init >/dev/null || bad "init"

# kill_mid_import FILE: start the import, SIGKILL it once its write-ahead
# log holds 256 KiB (it is writing, nothing is committed); sets $killed.
kill_mid_import() {
	"$CASEY" --db "$db" import "$1" >/dev/null 2>&1 &
	pid=$!
	killed=no
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 3000 ]; do
		if [ "$(size "$db-wal")" -gt 262144 ]; then
			kill -9 "$pid" 2>/dev/null
			break
		fi
		sleep 0.01
		i=$((i + 1))
	done
	wait "$pid" 2>/dev/null
	# 128 + SIGKILL: it died by the signal, not at its own end.
	[ $? -eq 137 ] && killed=yes
}

kill_mid_import "$T/old.csv"
expect_eq "the first import was killed while writing" yes "$killed"
expect_eq "integrity after killing a fresh import" ok "$(q "$db" 'PRAGMA integrity_check')"
n=$(q "$db" 'SELECT count(*) FROM customers')
case $n in
0 | $ROWS) ok ;;
*) bad "a killed import left $n of $ROWS rows" ;;
esac
# The database is usable afterwards: the same file imports whole.
"$CASEY" --db "$db" import "$T/old.csv" >/dev/null 2>"$T/err"
expect_eq "import after the kill exits 0" 0 $?
expect_eq "import after the kill prints no error" "" "$(cat "$T/err")"
expect_eq "every row is there" $ROWS "$(q "$db" 'SELECT count(*) FROM customers')"

# A re-import that changes every row, killed: the old values or the new.
kill_mid_import "$T/new.csv"
expect_eq "the re-import was killed while writing" yes "$killed"
expect_eq "integrity after killing a re-import" ok "$(q "$db" 'PRAGMA integrity_check')"
expect_eq "no row lost" $ROWS "$(q "$db" 'SELECT count(*) FROM customers')"
changed=$(q "$db" "SELECT count(*) FROM customers WHERE arr = 2 * CAST(substr(customer_id, 2) AS INTEGER)")
case $changed in
0 | $ROWS) ok ;;
*) bad "a killed re-import left $changed of $ROWS rows changed" ;;
esac
expect_eq "foreign keys hold" "" "$(q "$db" 'PRAGMA foreign_key_check')"
"$CASEY" --db "$db" --as-of 2026-11-20 summary >/dev/null 2>"$T/err"
expect_eq "casey reads the database afterwards" 0 $?

finish
