#!/bin/sh
# A full disk in the middle of an import: the clear "the disk is full;
# nothing was written", exit 1, and the database as it was (integrity_check
# passes, the rows before are all there, none of the file is). The disk is
# "filled" with CASEY_TEST_MAX_PAGES (PRAGMA max_page_count: SQLITE_FULL,
# what a full filesystem gives), no root or special filesystem needed. A
# write the system refuses outright (a file size limit: EFBIG, like a quota
# or an I/O error) is tested the same way with ulimit -f.
NAME=diskfull
CASEY=${1:?usage: diskfull.sh CASEY}
. "$(dirname "$0")/lib.sh"

db="$T/d.db"
gen_customers "$T/small.csv" 1000 1 S
gen_customers "$T/big.csv" 200000 1 B
"$CASEY" --db "$db" import "$T/small.csv" >/dev/null 2>&1 || bad "small import"
pages=$(q "$db" 'PRAGMA page_count')

CASEY_TEST_MAX_PAGES=$((pages + 25)) "$CASEY" --db "$db" import "$T/big.csv" \
	>"$T/full.out" 2>"$T/full.err"
expect_eq "a full disk exits 1" 1 $?
expect_eq "the full-disk message" "ok" \
	"$(grep -qx "casey: $T/big.csv:[0-9]*: the disk is full; nothing was written" \
		"$T/full.err" && [ "$(wc -l <"$T/full.err")" -eq 1 ] && echo ok || cat "$T/full.err")"
expect_eq "no closing line" "" "$(cat "$T/full.out")"
expect_eq "integrity after a full disk" ok "$(q "$db" 'PRAGMA integrity_check')"
expect_eq "the rows before are all there, none of the file" "1000|0" \
	"$(q "$db" "SELECT count(*), count(*) FILTER (WHERE customer_id LIKE 'B%') FROM customers")"
expect_eq "the import log has no entry for the file" 0 \
	"$(q "$db" "SELECT count(*) FROM imports WHERE file = 'big.csv'")"

# Refused writes: a 2 MB file size limit (SIGXFSZ ignored, so write() fails
# with EFBIG, as with a quota).
( trap '' XFSZ; ulimit -f 4096; exec "$CASEY" --db "$db" import "$T/big.csv" ) \
	>/dev/null 2>"$T/limit.err"
expect_eq "a refused write exits 1" 1 $?
# The import's page cache holds the whole file, so the refused write is
# usually the COMMIT's (no row to blame: no line number), else a row's.
expect_eq "the refused-write message" "ok" \
	"$(grep -qx "casey: $T/big.csv\(:[0-9]*\)\{0,1\}: cannot write to the disk (File too large); nothing was written" \
		"$T/limit.err" && echo ok || cat "$T/limit.err")"
expect_eq "integrity after a refused write" ok "$(q "$db" 'PRAGMA integrity_check')"
expect_eq "the rows before are all there, again" 1000 "$(q "$db" 'SELECT count(*) FROM customers')"

# With room again, the same file imports whole.
"$CASEY" --db "$db" import "$T/big.csv" >/dev/null 2>"$T/room.err"
expect_eq "import with room exits 0" 0 $?
expect_eq "every row" 201000 "$(q "$db" 'SELECT count(*) FROM customers')"

finish
