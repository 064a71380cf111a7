package rules

import (
	"slices"

	"github.com/open-policy-agent/opa/v1/ast"
)

// forbiddenBuiltins are left out of the policies' capabilities: they reach the
// network, expose the runtime, or are not deterministic (which would break
// the decision caches).
var forbiddenBuiltins = []string{
	"http.send",
	"net.lookup_ip_addr",
	"opa.runtime",
	"rand.intn",
	"uuid.rfc4122",
	"time.now_ns", // time comes from input.time: decisions must be reproducible
	// These read the wall clock when no time is given.
	"crypto.x509.parse_and_verify_certificates",
	"crypto.x509.parse_and_verify_certificates_with_options",
}

// capabilities returns OPA's capabilities less the forbidden built-ins.
// msgfilter adds none: what a custom built-in would compute (quiet hours)
// Go computes into the facts, so that the stock opa tools run the packs as
// they are.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(slices.Clone(caps.Builtins), func(b *ast.Builtin) bool {
		return slices.Contains(forbiddenBuiltins, b.Name)
	})
	caps.AllowNet = []string{} // no host is reachable, whatever a built-in tries
	return caps
}
