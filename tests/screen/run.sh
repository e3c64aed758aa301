#!/bin/sh
# Screen tests of the dashboard, the way tig tests its views: each
# tests/screen/NAME.keys is typed into the real dashboard on a virtual
# screen (casey tui --keys --size --dump: curses on newterm(), TERM, size
# and locale pinned), and the screen text is compared with NAME.screen.
# A mismatch prints a unified diff. Then one end-to-end test runs the real
# binary on a real terminal, in tmux.
#
#   sh tests/screen/run.sh /path/to/casey
#   CASEY_UPDATE_SCREENS=1 sh tests/screen/run.sh ./casey   # rewrite *.screen
#
# Directives at the top of a .keys file (the rest is keys; see
# src/tui/script.c for the syntax):
#   #! size COLSxLINES     the screen (default 80x24)
#   #! db sample|escape|many|growth|fresh  the database (default sample; escape adds
#                          customers whose names carry escape sequences;
#                          many has 3000 customers, more than a list holds;
#                          growth is many with 600-odd expansion opportunities;
#                          fresh is a copy of sample for this test alone,
#                          for keys that change the database)
#   #! db hostile          sample with a ticket carrying escape sequences
#   #! env NAME=VALUE      an environment variable for this test
#   #! attrs               dump attributes and colour pairs too
#   #! expect NAME         compare with NAME.screen instead
#
# When NAME.check exists it runs after the test (sh, with CASEY, DB — the
# test's database —, ORIG — sample.db, untouched — and AS_OF set) and
# fails the test, with what it prints, when it exits non-zero: it checks
# what the keys wrote (use #! db fresh).
set -u

CASEY=${1:?usage: run.sh CASEY}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/casey-screen-XXXXXX")
TMUX_SOCK="$T/tmux.sock"
cleanup() {
	if [ -S "$TMUX_SOCK" ]; then tmux -S "$TMUX_SOCK" kill-server 2>/dev/null; fi
	rm -rf "$T"
}
trap cleanup EXIT
export CASEY_ASSETS="$TOP/assets"
unset CASEY_DB NO_COLOR LC_CTYPE LANG LANGUAGE COLUMNS LINES
export TERM=xterm-256color LC_ALL=C.UTF-8 TZ=UTC
export XDG_DATA_HOME="$T/xdg" HOME="$T/home"
AS_OF=2026-11-20

pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*" >&2; }

# --- the databases, once per run --------------------------------------------
cd "$T" || exit 1
if ! "$CASEY" --db sample.db --as-of $AS_OF import "$TOP"/sample-data/*.csv >build.log 2>&1 ||
   ! "$CASEY" --db sample.db --as-of $AS_OF score --from 2026-08-21 --to $AS_OF \
	>>build.log 2>&1; then
	cat build.log >&2
	echo "screen: cannot build the sample database" >&2
	exit 1
fi
cp sample.db escape.db
printf 'customer_id,name,segment,arr,csm\nE1,"\033]0;pwned\007Evil Corp",Enterprise,500000,Maya Chen\nE2,"Evil \342\200\256gnp.exe Ltd",Enterprise,400000,Maya Chen\nE3,"\303\211vil \346\235\261\344\272\254 Trading",Enterprise,300000,Maya Chen\n' >escape.csv
if ! "$CASEY" --db escape.db import escape.csv >>build.log 2>&1 ||
   ! "$CASEY" --db escape.db --as-of $AS_OF score >>build.log 2>&1; then
	cat build.log >&2
	echo "screen: cannot build the escape database" >&2
	exit 1
fi

# A ticket carrying escape sequences, a bidi override, a tab and a word of
# wide characters longer than a line, in its subject, description and
# tags; the newest, so triage shows it first.
cp sample.db hostile.db
if ! sqlite3 hostile.db "
	INSERT INTO tickets(ticket_id, customer_id, created_at, subject, description, tags,
	                    urgency, impact, status)
	VALUES ('T999999', 'C00001', '2026-11-20 23:59:00',
	        char(27) || ']0;pwned' || char(7) || 'Export ' || char(8238) || 'gnp.exe fails',
	        'First line' || char(10) || char(27) || '[2J cleared?' || char(9) || 'tab' ||
	        char(10) || char(10) || replace(printf('%.45c', 'x'), 'x', char(26481)) || ' end',
	        'csv ' || char(27) || '[31mred', 'high', 'high', 'new');" >>build.log 2>&1; then
	cat build.log >&2
	echo "screen: cannot build the hostile database" >&2
	exit 1
fi

# More customers than the list keeps in memory (512), to page through.
if ! "$CASEY" --db many.db init >>build.log 2>&1 || ! sqlite3 many.db "
	BEGIN;
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
	INSERT INTO customers(customer_id, name, segment, arr)
	SELECT printf('M%04d', i), printf('Many %04d', i), 'Mid-Market', (i * 7919) % 100000
	  FROM n;
	INSERT INTO snapshots(customer_id, as_of, profile, profile_version, score, band,
	                      coverage, delta30, trend, components, measures)
	SELECT customer_id, '$AS_OF', 'default', '1', (rowid * 37) % 101,
	       CASE WHEN (rowid * 37) % 101 >= 80 THEN 'green'
	            WHEN (rowid * 37) % 101 >= 50 THEN 'yellow' ELSE 'red' END,
	       100, NULL, 'stable', '', '' FROM customers;
	COMMIT;" >>build.log 2>&1; then
	cat build.log >&2
	echo "screen: cannot build the database of many customers" >&2
	exit 1
fi

# More expansion opportunities than the expansion screen holds (240): each
# Green customer of many.db near its seat limit (95 of 100) and a promoter.
cp many.db growth.db
if ! sqlite3 growth.db "
	BEGIN;
	INSERT INTO usage(customer_id, date, active_users, seats, core_actions_30d)
	SELECT customer_id, '$AS_OF', 95, 100, 1000 FROM customers;
	INSERT INTO nps(response_key, customer_id, date, score)
	SELECT 'G' || customer_id, customer_id, '$AS_OF', 10 FROM customers;
	COMMIT;" >>build.log 2>&1; then
	cat build.log >&2
	echo "screen: cannot build the database of expansion opportunities" >&2
	exit 1
fi

# compare NAME EXPECTED ACTUAL
compare() {
	if [ -n "${CASEY_UPDATE_SCREENS:-}" ]; then
		cp "$3" "$2"
		ok
	elif cmp -s "$2" "$3"; then
		ok
	else
		bad "$1: the screen differs from $(basename "$2")"
		diff -u "$2" "$3" >&2
	fi
}

# --- the scripted screens ---------------------------------------------------
for keys in "$HERE"/*.keys; do
	name=$(basename "$keys" .keys)
	size=80x24 db=sample attrs= expect=$name envs=
	while read -r bang key value; do
		[ "$bang" = "#!" ] || break
		case $key in
		size) size=$value ;;
		db) db=$value ;;
		env) envs="$envs $value" ;;
		attrs) attrs=--dump-attrs ;;
		expect) expect=$value ;;
		*) bad "$name: unknown directive '$key'" ;;
		esac
	done <"$keys"
	if [ "$db" = fresh ]; then
		cp sample.db "$name.db"
		db=$name
	fi
	# shellcheck disable=SC2086
	env $envs "$CASEY" --db "$db.db" --as-of $AS_OF tui --keys "$keys" --size "$size" \
		--dump "$name.out" $attrs >"$name.stdout" 2>"$name.stderr"
	status=$?
	if [ $status -ne 0 ] || [ -s "$name.stdout" ] || [ -s "$name.stderr" ]; then
		bad "$name: exit $status, or output besides the dump"
		cat "$name.stdout" "$name.stderr" >&2
		continue
	fi
	# NAME.check: the database afterwards.
	if [ -f "$HERE/$name.check" ]; then
		if CASEY=$CASEY DB=$T/$db.db ORIG=$T/sample.db AS_OF=$AS_OF \
			sh "$HERE/$name.check" >"$name.check.out" 2>&1; then
			ok
		else
			bad "$name: $name.check: the database afterwards is not as expected"
			cat "$name.check.out" >&2
		fi
	fi
	if [ -n "${CASEY_UPDATE_SCREENS:-}" ] && [ "$expect" != "$name" ]; then
		ok
	else
		compare "$name" "$HERE/$expect.screen" "$name.out"
	fi
done

# --- the checklist exported by keys: the Markdown expected, private (0600) ---
md=checklist-1-r1.md
if [ ! -f "$md" ]; then
	bad "checklist-export: $md was not written"
elif [ -n "${CASEY_UPDATE_SCREENS:-}" ]; then
	cp "$md" "$HERE/checklist-export.md"
	ok
elif ! cmp -s "$HERE/checklist-export.md" "$md"; then
	bad "checklist-export: $md differs from checklist-export.md"
	diff -u "$HERE/checklist-export.md" "$md" >&2
elif [ "$(ls -l "$md" | cut -c1-10)" != "-rw-------" ]; then
	bad "checklist-export: $md is not private: $(ls -l "$md")"
else ok; fi

# --- what the screens must never contain ------------------------------------
esc=$(printf '\033')
for f in escape escape-detail; do
	if [ ! -f "$f.out" ]; then
		bad "$f: no dump"
	elif grep -q "$esc" "$f.out"; then
		bad "$f: an ESC byte reached the screen"
	elif ! grep -qF '^[]0;pwned^GEvil Corp' "$f.out"; then
		bad "$f: the escape sequence is not shown as placeholders"
	else ok; fi
done
if ! grep -qF 'Evil <BIDI>gnp.exe' escape.out 2>/dev/null; then
	bad "escape: the bidi override is not shown as a placeholder"
else ok; fi
if [ ! -f triage-escape.out ]; then
	bad "triage-escape: no dump"
elif grep -q "$esc" triage-escape.out; then
	bad "triage-escape: an ESC byte reached the screen"
elif ! grep -qF '^[]0;pwned^GExport <BIDI>gnp.exe fails' triage-escape.out ||
     ! grep -qF '^[[2J cleared? tab' triage-escape.out ||
     ! grep -qF 'csv ^[[31mred' triage-escape.out; then
	bad "triage-escape: the ticket's escapes are not shown as placeholders"
else ok; fi
if [ -f dashboard-nocolor.out ] &&
   sed -n '/^--- colour pairs$/,$p' dashboard-nocolor.out | sed 1d | grep -q '[^.]'; then
	bad "NO_COLOR=1: a colour pair is in use"
else ok; fi
if [ -f dashboard.out ] &&
   ! sed -n '/^--- colour pairs$/,$p' dashboard.out | sed 1d | grep -q '[^.]'; then
	bad "colour terminal: no colour pair is in use"
else ok; fi

# --- the way in, without a terminal -----------------------------------------
# No command and no terminal: the summary, as before the dashboard.
"$CASEY" --db sample.db --as-of $AS_OF </dev/null >nocmd.out 2>nocmd.err
if [ $? -eq 0 ] && grep -q '^casey summary as of 2026-11-20' nocmd.out && [ ! -s nocmd.err ]
then ok; else bad "casey without a command and without a terminal prints the summary"; fi
"$CASEY" --db sample.db tui </dev/null >notty.out 2>notty.err
if [ $? -eq 1 ] && [ ! -s notty.out ] &&
   [ "$(cat notty.err)" = "casey: the dashboard needs a terminal; 'casey summary' prints the same figures" ]
then ok; else bad "casey tui without a terminal: exit 1 and why"; cat notty.err >&2; fi
"$CASEY" --db sample.db tui --size 80x24 >/dev/null 2>&1
if [ $? -eq 2 ]; then ok; else bad "casey tui --size without --dump: exit 2"; fi
"$CASEY" --db sample.db tui --keys /nonexistent --dump x.out >/dev/null 2>keys.err
if [ $? -eq 1 ] && grep -q "^casey: /nonexistent: No such file" keys.err; then ok; else
	bad "casey tui with a missing keys file: exit 1 and why"; fi

# --- end to end: the real binary on a real terminal (tmux) ------------------
# Text of the expected screen (before any attribute section).
screen_text() {
	sed '/^--- attributes/,$d' "$HERE/$1.screen"
}

# wait_screen NAME EXPECTED: until the pane shows exactly EXPECTED (10 s).
wait_screen() {
	screen_text "$2" >"tmux-$1.expected"
	i=0
	while [ $i -lt 100 ]; do
		tmux -S "$TMUX_SOCK" capture-pane -p -t "$SESSION" >"tmux-$1.out" 2>/dev/null
		if cmp -s "tmux-$1.expected" "tmux-$1.out"; then
			ok
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	bad "tmux $1: the terminal does not show $2.screen"
	diff -u "tmux-$1.expected" "tmux-$1.out" >&2
	return 1
}

# pane FORMAT: a tmux format of the test pane.
pane() {
	tmux -S "$TMUX_SOCK" display-message -p -t "$SESSION" "$1"
}

# wait_dead: until the pane's program has exited (10 s).
wait_dead() {
	i=0
	while [ $i -lt 100 ] && [ "$(pane '#{pane_dead}')" != 1 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

if ! command -v tmux >/dev/null 2>&1; then
	echo "screen: SKIP the tmux end-to-end test: tmux is not installed (sh .ci/deps installs it)"
else
	TM="tmux -u -S $TMUX_SOCK -f /dev/null"
	# `casey` without a command, on a terminal, is the dashboard.
	SESSION=quit
	$TM new-session -d -s $SESSION -x 80 -y 24 \
		"cd '$T' && '$CASEY' --db sample.db --as-of $AS_OF 2>tmux.stderr; echo \$? >tmux.status" \; \
		set-option -g remain-on-exit on >/dev/null
	if wait_screen dashboard dashboard; then
		tmux -S "$TMUX_SOCK" send-keys -t "$SESSION" c
		wait_screen customers customers
		tmux -S "$TMUX_SOCK" send-keys -t "$SESSION" q
		wait_screen back dashboard
		tmux -S "$TMUX_SOCK" resize-window -t "$SESSION" -x 60 -y 20
		wait_screen resize resize
		tmux -S "$TMUX_SOCK" send-keys -t "$SESSION" q
		wait_dead
		if [ "$(cat tmux.status 2>/dev/null)" = 0 ] && [ ! -s tmux.stderr ] &&
		   [ "$(pane '#{alternate_on}')" = 0 ]; then ok; else
			bad "tmux: q did not leave cleanly (status $(cat tmux.status 2>/dev/null))"
			cat tmux.stderr >&2
		fi
	fi

	# SIGTERM restores the terminal. (A second session: the server ends
	# with its last one.)
	SESSION=term
	$TM new-session -d -s $SESSION -x 80 -y 24 \
		"cd '$T' && exec '$CASEY' --db sample.db --as-of $AS_OF tui 2>tmux-term.stderr" \; \
		set-option -g remain-on-exit on >/dev/null
	if wait_screen sigterm dashboard; then
		pid=$(pane '#{pane_pid}')
		if [ "$(pane '#{alternate_on}')" != 1 ]; then
			bad "tmux: the dashboard is not on the alternate screen"
		fi
		kill -TERM "$pid"
		wait_dead
		if [ "$(pane '#{pane_dead}')" = 1 ] && [ "$(pane '#{alternate_on}')" = 0 ] &&
		   [ ! -s tmux-term.stderr ]; then ok; else
			bad "tmux: SIGTERM did not end casey with the terminal restored"
			cat tmux-term.stderr >&2
		fi
	fi
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
fi

printf 'screen: %d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
