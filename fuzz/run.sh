#!/bin/sh
# Runs every Fuzz target of the module for DURATION each (default 30s), one
# after the other. A crasher is written to the target's testdata/fuzz/ and
# the script exits non-zero; "go test ./..." then replays it as a seed.
#
#   fuzz/run.sh 1m
set -eu
duration=${1:-30s}
cd "$(dirname "$0")/.."
status=0
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
	for target in $targets; do
		echo "== $pkg $target ($duration)"
		if ! go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$duration"; then
			status=1
		fi
	done
done
exit $status
