#!/bin/sh
# A signal stops the dashboard while it waits: SIGTERM (or Ctrl-C, or a
# hang-up) reaches a dashboard whose resolve is waiting for another
# writer's lock. It leaves at once, with 128 + the signal, instead of after
# the busy timeout (5 s for this one statement, up to 35 s for a write that
# retries its transaction), and nothing it was writing is half-written. The same flag stops a screen still reading a million rows
# (cs_db_cancel_when in db.h); this is the case a test can hold still.
NAME=interrupt
CASEY=${1:?usage: interrupt.sh CASEY}
. "$(dirname "$0")/lib.sh"

db="$T/i.db"
AS_OF=2026-11-20
if ! "$CASEY" --db "$db" --as-of $AS_OF import "$TOP"/sample-data/*.csv >"$T/build.log" 2>&1 ||
   ! "$CASEY" --db "$db" --as-of $AS_OF score >>"$T/build.log" 2>&1; then
	cat "$T/build.log" >&2
	bad "cannot build the sample database"
	finish
	exit 1
fi
open_before=$(q "$db" "SELECT count(*) FROM actions WHERE status = 'open'")

# The keys of tests/screen/actions-resolve.keys: resolve the first action.
printf '<Tab>\n<Tab>\n<Enter>\nr\nCalled them; they stay<Enter>\n' >"$T/resolve.keys"

# Another writer holds the lock, as a long `casey score` would.
hold_lock "$db"

TERM=xterm-256color "$CASEY" --db "$db" --as-of $AS_OF tui --keys "$T/resolve.keys" \
	--size 80x24 --dump "$T/screen.txt" 2>"$T/tui.err" &
tui=$!
# The keys take milliseconds; the resolve then waits for the lock.
sleep 1
expect_eq "the dashboard is still waiting for the lock" yes \
	"$(kill -0 $tui 2>/dev/null && echo yes)"
kill -TERM $tui
# Two seconds at most (the wait still has 4 s to go); then it is killed.
i=0
while kill -0 $tui 2>/dev/null && [ $i -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "SIGTERM ends the wait within 2 s" gone \
	"$(kill -0 $tui 2>/dev/null && echo waiting || echo gone)"
kill -KILL $tui 2>/dev/null
wait $tui
expect_eq "exit status 128 + SIGTERM" 143 $?
expect_eq "no error printed for the interrupted write" "" "$(cat "$T/tui.err")"
expect_eq "no screen dumped" no "$([ -f "$T/screen.txt" ] && echo yes || echo no)"

release_lock
expect_eq "the action stays open" "$open_before" \
	"$(q "$db" "SELECT count(*) FROM actions WHERE status = 'open'")"
expect_eq "integrity" ok "$(q "$db" 'PRAGMA integrity_check')"

finish
