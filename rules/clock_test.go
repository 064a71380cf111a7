package rules

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestClockGated: each case is a module; the clock-gated ones have a twin
// that is not, changed by the one thing that lets the clock through.
func TestClockGated(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want bool
	}{
		{"no clock", `package p
reasons contains r if { input.message.kind == "promotional"; r := {"code": "X"} }`, true},
		{"gated evidence", `package p
reasons contains r if {
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "evidence": input.time.local, "until": until}
}`, true},
		{"ungated evidence", `package p
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "QUIET_HOURS", "evidence": input.time.local}
}`, false},
		{"gated through a helper", `package p
local := sprintf("%s %s", [input.time.local, input.time.zone])
reasons contains r if {
	until := input.time.quiet_until[_]
	r := {"code": "QUIET_HOURS", "evidence": local, "until": until}
}`, true},
		{"helper used ungated", `package p
local := sprintf("%s %s", [input.time.local, input.time.zone])
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "QUIET_HOURS", "evidence": local}
}`, false},
		{"negated gate", `package p
reasons contains r if {
	not input.time.quiet_until.promotional
	r := {"code": "X", "evidence": input.time.local}
}`, false},
		{"gate in a comprehension", `package p
reasons contains r if {
	xs := [u | u := input.time.quiet_until.promotional]
	r := {"code": "X", "evidence": input.time.local, "n": count(xs)}
}`, false},
		{"whole quiet_until", `package p
reasons contains r if {
	q := input.time.quiet_until
	r := {"code": "X", "evidence": input.time.minute, "q": q}
}`, false},
		{"minute in a condition", `package p
reasons contains r if { input.time.minute > 1200; r := {"code": "X"} }`, false},
		{"gated through a function", `package p
quiet(k) := u if { u := input.time.quiet_until[k] }
reasons contains r if {
	until := quiet("promotional")
	r := {"code": "X", "evidence": input.time.local, "until": until}
}`, true},
		{"function with a default", `package p
default quiet(_) := "later"
quiet(k) := u if { u := input.time.quiet_until[k] }
reasons contains r if {
	until := quiet("promotional")
	r := {"code": "X", "evidence": input.time.local, "until": until}
}`, false},
		{"partial set is defined when empty", `package p
quiet contains u if { u := input.time.quiet_until[_] }
reasons contains r if {
	q := quiet
	r := {"code": "X", "evidence": input.time.local, "q": q}
}`, false},
		{"zone is no clock", `package p
reasons contains r if { input.time.zone == "Asia/Dubai"; r := {"code": "X"} }`, true},
		{"input by a variable key", `package p
reasons contains r if { some k; input[k].local; r := {"code": "X"} }`, false},
		{"clock in an else", `package p
f := 1 if { input.time.quiet_until.x } else := input.time.minute
reasons contains r if { f > 0; r := {"code": "X"} }`, false},
		{"jwt reads the evaluation time", `package p
reasons contains r if {
	[ok, _, _] := io.jwt.decode_verify(input.message.tag, {"secret": "s"})
	ok
	r := {"code": "X"}
}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			comp := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
			comp.Compile(map[string]*ast.Module{"p.rego": ast.MustParseModuleWithOpts(c.src, ast.ParserOptions{RegoVersion: ast.RegoV1})})
			if comp.Failed() {
				t.Fatal(comp.Errors)
			}
			if got := clockGated(comp.Modules); got != c.want {
				t.Errorf("clockGated(%s) = %v, want %v", c.name, got, c.want)
			}
		})
	}
}
