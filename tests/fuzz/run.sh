#!/bin/sh
# Run each libFuzzer harness for a bounded time on its seed corpus.
#
#   sh tests/fuzz/run.sh SECONDS build-fuzz/fuzz/fuzz_import ...
#
# Harness build-fuzz/fuzz/fuzz_NAME reads tests/fuzz/corpus/NAME/ (the
# seeds, never written to) and build-fuzz/corpus/NAME/ (what it found,
# kept between runs), with tests/fuzz/NAME.dict when there is one. A
# crash, leak, sanitizer report or timeout fails the run; the input is
# left in build-fuzz/artifacts/ (replay: the harness with the file as its
# argument). FUZZ_ARGS adds libFuzzer options (e.g. -jobs=4 -workers=4).
set -u

SECONDS_EACH=${1:?usage: run.sh SECONDS HARNESS...}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
OUT="$TOP/build-fuzz"
status=0

cd "$TOP" || exit 1
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	seeds="$HERE/corpus/$name"
	found="$OUT/corpus/$name"
	mkdir -p "$found" "$OUT/artifacts"
	dict=
	[ -f "$HERE/$name.dict" ] && dict="-dict=$HERE/$name.dict"
	printf 'fuzz %s: %s s\n' "$name" "$SECONDS_EACH"
	# shellcheck disable=SC2086
	if ! "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
		-max_len=16384 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$name-" $dict ${FUZZ_ARGS:-} \
		"$found" "$seeds" >"$OUT/$name.log" 2>&1; then
		status=1
		printf 'FAILED: fuzz %s (log: %s)\n' "$name" "$OUT/$name.log" >&2
		grep -E 'ERROR|SUMMARY|runtime error|fuzz_[a-z]+: ' "$OUT/$name.log" | head -20 >&2
	fi
	grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' \
		"$OUT/$name.log" | sed "s/^/  $name /"
	grep -E '^#[0-9]+.*(DONE|cov:)' "$OUT/$name.log" | tail -1 | sed "s/^/  $name /"
done
exit $status
