#!/usr/bin/env bash
# Installs the stock `opa` binary at the version go.mod pins, built from the Go
# module proxy, and prints its path:
#
#   opa=$(bash .ci/opa.sh)
#   "$opa" check --capabilities capabilities.json policies/
#
# The binary is cached in $MSGFILTER_OPA_DIR (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/msgfilter/opa/<version>), so only the first
# run builds it (a few minutes on two cores). The version comes from go.mod so
# that `opa` and the engine always run the same OPA. Diagnostics go to stderr;
# stdout is only the path.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "opa.sh: $*" >&2; exit 1; }

version=$(go list -m -f '{{.Version}}' github.com/open-policy-agent/opa) ||
	die "cannot read the opa version from go.mod"
[[ $version == v* ]] || die "unexpected opa version $version"

dir=${MSGFILTER_OPA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/msgfilter/opa/$version}
bin=$dir/opa

if [[ ! -x $bin ]] || ! "$bin" version 2>/dev/null | grep -qx "Version: ${version#v}"; then
	mkdir -p "$dir"
	echo "opa.sh: building opa $version into $dir" >&2
	# Outside the module, so that go.mod's replace and tool lines do not apply
	# and the build is exactly the published module.
	(cd "$dir" && GOBIN=$dir go install "github.com/open-policy-agent/opa@$version") >&2 ||
		die "go install github.com/open-policy-agent/opa@$version failed"
	"$bin" version 2>/dev/null | grep -qx "Version: ${version#v}" ||
		die "$bin does not report version ${version#v}"
fi
echo "$bin"
