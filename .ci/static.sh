#!/usr/bin/env bash
# The Dockerfile's build stage without Docker: the same go build must give a
# static binary that runs alone in an empty root (what distroless/static
# gives it, minus even /etc), with the policies, libphonenumber's metadata
# and the time zones embedded. `docker build` itself needs a Docker engine
# and the golang and distroless base images.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$root/msgfilter" ./cmd/msgfilter
if ldd "$root/msgfilter" >/dev/null 2>&1; then
	echo "msgfilter is dynamically linked" >&2
	exit 1
fi
# A French promotion at 23:30 Paris time: deferred to 08:00 Paris time
# only if the zone database is inside the binary.
msg='{"id":"tz","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+33612345678","body":"Soldes -50% ce week-end, STOP au 36111","time":"2026-11-28T22:30:00Z"}'
want='"until":"2026-11-30T08:00:00+01:00"'
if unshare -r true 2>/dev/null; then
	unshare -r chroot "$root" /msgfilter version
	echo "$msg" | unshare -r chroot "$root" /msgfilter check - | grep -q "$want"
else
	echo "(no user namespaces: running with an empty environment instead of an empty root)"
	(cd "$root" && env -i ./msgfilter version)
	echo "$msg" | (cd "$root" && env -i ZONEINFO=/nonexistent ./msgfilter check -) | grep -q "$want"
fi
echo "static binary: ok"
