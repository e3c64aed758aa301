#!/bin/sh
# The crash-safety tests, each a few seconds: kill -9 mid-import, several
# caseys on one database, a full disk. Fails if any fails.
#
#   sh tests/crash/run.sh /path/to/casey
CASEY=${1:?usage: run.sh CASEY}
HERE=$(cd "$(dirname "$0")" && pwd)
status=0
for t in kill9 concurrent diskfull interrupt; do
	sh "$HERE/$t.sh" "$CASEY" || status=1
done
exit $status
