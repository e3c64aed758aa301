# Sourced by run.sh: the page size of new databases, and `casey compact`,
# which gives an older database that page size and a purged one its free
# space back, without losing a row, and refuses while anything else has
# the file open. Uses run.sh's helpers ($CASEY, $T, $TOP, expect_eq, ok, bad).

cdb="$T/compact.db"
C() { "$CASEY" --db "$cdb" --as-of 2026-11-20 "$@"; }
cq() { sqlite3 "$cdb" "$1"; }

"$CASEY" --db "$T/fresh.db" init >/dev/null 2>&1
expect_eq "a new database has 16 KiB pages, in WAL mode" "16384|wal" \
	"$(sqlite3 "$T/fresh.db" "PRAGMA page_size; PRAGMA journal_mode" | paste -sd'|')"

# A database made before that: 4 KiB pages, then the sample scored.
sqlite3 "$cdb" "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL" >/dev/null
chmod 600 "$cdb"
C import "$TOP"/sample-data/*.csv >/dev/null 2>&1
C score >/dev/null 2>&1
C summary --format json >"$T/compact.before"
expect_eq "the old database has 4 KiB pages" 4096 "$(cq "PRAGMA page_size")"

C compact >"$T/compact.out" 2>"$T/compact.err"
expect_eq "compact exits 0" 0 $?
expect_eq "compact says nothing on stderr" "" "$(cat "$T/compact.err")"
expect_eq "compact says what it did" "$cdb: 4096-byte pages -> 16384-byte pages," \
	"$(cut -d' ' -f1-6 "$T/compact.out")"
expect_eq "compact: 16 KiB pages, back in WAL mode, intact" "16384|wal|ok" \
	"$(cq "PRAGMA page_size; PRAGMA journal_mode; PRAGMA integrity_check" | paste -sd'|')"
C summary --format json >"$T/compact.after"
expect_file_eq "compact: the summary is the same" "$T/compact.before" "$T/compact.after"
expect_eq "compact keeps the file 0600" 600 "$(stat -c %a "$cdb")"

# A purge leaves free pages in the file; compact gives them back.
C purge --older-than 180d >/dev/null 2>&1
free=$(cq "PRAGMA freelist_count")
[ "$free" -gt 0 ] && ok || bad "purge leaves free pages ($free)"
size=$(stat -c %s "$cdb")
C compact >"$T/compact.out" 2>&1
expect_eq "compact after a purge exits 0" 0 $?
expect_eq "compact gives back the purge's free pages" "($free free pages given back)" \
	"$(grep -o '([0-9]* free pages given back)' "$T/compact.out")"
expect_eq "compact: no free page left" 0 "$(cq "PRAGMA freelist_count")"
[ "$(stat -c %s "$cdb")" -lt "$size" ] && ok || bad "compact after a purge shrinks the file"

# Anything else holding the file open: refused, nothing changed.
sqlite3 "$cdb" "PRAGMA page_size = 4096; PRAGMA journal_mode = DELETE; VACUUM;
	PRAGMA journal_mode = WAL" >/dev/null
rm -f "$T/holder.ready" "$T/holder.in"
mkfifo "$T/holder.in"
sqlite3 "$cdb" <"$T/holder.in" >/dev/null 2>&1 &
holder=$!
exec 9>"$T/holder.in"	# the shell reads until this closes
printf 'SELECT count(*) FROM customers;\n.shell touch %s\n' "$T/holder.ready" >&9
i=0
while [ ! -f "$T/holder.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
C compact >"$T/compact.out" 2>"$T/compact.err"
expect_eq "compact while the file is open elsewhere exits 1" 1 $?
expect_eq "compact says the file is in use" \
	"casey: $cdb: in use by another casey or program; close it and try again (compacting needs the file to itself)" \
	"$(cat "$T/compact.err")"
exec 9>&-
wait "$holder"
expect_eq "a refused compact changes nothing" "4096|wal|ok" \
	"$(cq "PRAGMA page_size; PRAGMA journal_mode; PRAGMA integrity_check" | paste -sd'|')"

# A disk too small for the rewrite: refused by SQLite, nothing changed.
C summary --format json >"$T/compact.before"
CASEY_TEST_MAX_PAGES=50 C compact >/dev/null 2>"$T/compact.err"
expect_eq "compact on a full disk exits 1" 1 $?
expect_eq "compact on a full disk says so" \
	"casey: $cdb: the disk is full; nothing was written" "$(cat "$T/compact.err")"
expect_eq "a compact that failed changes nothing" "4096|wal|ok" \
	"$(cq "PRAGMA page_size; PRAGMA journal_mode; PRAGMA integrity_check" | paste -sd'|')"
C summary --format json >"$T/compact.after"
expect_file_eq "a compact that failed loses no row" "$T/compact.before" "$T/compact.after"

"$CASEY" --db "$cdb" compact now >/dev/null 2>&1
expect_eq "compact with an argument is a usage error" 2 $?
"$CASEY" --db "$T/no-such.db" compact >/dev/null 2>"$T/compact.err"
expect_eq "compact of a missing database exits 1" 1 $?
[ -e "$T/no-such.db" ] && bad "compact created a missing database" || ok
