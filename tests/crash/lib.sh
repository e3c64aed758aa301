# lib.sh — what every crash test sources: the binary, a scratch directory
# removed at exit, counters and checks, and a generator of large files.
#
#   CASEY=/path/to/casey . tests/crash/lib.sh
set -u

: "${CASEY:?CASEY must name the casey binary}"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/casey-crash-XXXXXX")
trap 'rm -rf "$T"' EXIT
unset CASEY_DB CASEY_TEST_BUSY_MS CASEY_TEST_MAX_PAGES
export CASEY_ASSETS="$TOP/assets"
# A copy: the tests run it hundreds of times, and a rebuild of the original
# meanwhile must not turn into "Text file busy".
cp "$CASEY" "$T/casey" || exit 1
CASEY="$T/casey"
export XDG_DATA_HOME="$T/xdg"
export HOME="$T/home"

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s: %s\n' "$NAME" "$*" >&2; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then ok; else
		bad "$1"
		printf '  expected: %s\n  actual:   %s\n' "$2" "$3" >&2
	fi
}

# q DB SQL: one value, through the sqlite3 shell (which also recovers a
# WAL left by a killed process, as any next opener would).
q() { sqlite3 "$1" "$2"; }

# gen_customers FILE ROWS ARR_FACTOR [PREFIX]: ROWS customers PREFIX000001...,
# arr = i * ARR_FACTOR, so a file's rows can be told apart from another's.
gen_customers() {
	awk -v n="$2" -v f="$3" -v p="${4:-C}" 'BEGIN {
		print "customer_id,name,segment,arr,seats,created_at,status"
		for (i = 1; i <= n; i++)
			printf "%s%06d,Customer number %d,Enterprise,%d,%d,2024-01-%02d,active\n",
			       p, i, i, i * f, i % 500, i % 28 + 1
	}' >"$1"
}

# hold_lock DB: another writer, the sqlite3 shell, takes DB's write lock and
# keeps it (as a long `casey score` would) until release_lock.
hold_lock() {
	mkfifo "$T/hold"
	sqlite3 "$1" <"$T/hold" >"$T/hold.out" 2>&1 &
	holder=$!
	exec 3>"$T/hold"
	printf "BEGIN IMMEDIATE;\nSELECT 'locked';\n" >&3
	i=0
	while [ "$(cat "$T/hold.out")" != locked ] && [ $i -lt 500 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	expect_eq "the lock is held" locked "$(cat "$T/hold.out")"
}

release_lock() {
	printf 'COMMIT;\n' >&3
	exec 3>&-
	wait $holder
	rm -f "$T/hold" "$T/hold.out"
}

# size FILE: its size in bytes, 0 when it does not exist.
size() { if [ -f "$1" ]; then wc -c <"$1" | tr -d ' '; else echo 0; fi; }

finish() {
	printf 'crash %s: %d passed, %d failed\n' "$NAME" "$pass" "$fail"
	[ "$fail" -eq 0 ]
}
