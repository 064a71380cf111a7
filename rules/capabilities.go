package rules

import "github.com/open-policy-agent/opa/v1/ast"

// Capabilities returns the OPA capabilities that policies compile with:
// OPA's own, less the network, runtime and non-deterministic built-ins, with
// no network host allowed. It is what "msgfilter capabilities" writes to
// capabilities.json at the repository's root for the stock
// "opa check --capabilities". Each call returns a new value.
func Capabilities() *ast.Capabilities { return capabilities() }
