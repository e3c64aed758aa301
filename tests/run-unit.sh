#!/bin/sh
# Run each cmocka test binary given on the command line; fail if any fails.
status=0
for t in "$@"; do
	if ! "$t"; then
		echo "FAILED: $t" >&2
		status=1
	fi
done
exit $status
