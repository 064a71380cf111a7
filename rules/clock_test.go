package rules

import (
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestClock: each case is a module; the clock-gated and clock-free ones
// have a twin one step laxer, changed by the one thing that lets the clock
// through.
func TestClock(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want ClockUse
	}{
		{"no clock", `package p
reasons contains r if { input.message.kind == "promotional"; r := {"code": "X"} }`, ClockUnread},
		{"gated evidence", `package p
reasons contains r if {
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "evidence": input.time.local, "until": until}
}`, ClockGated},
		{"quiet hours citing the zone", `package p
reasons contains r if {
	until := input.time.quiet_until.promotional
	r := {"code": "QUIET_HOURS", "evidence": sprintf("quiet hours in %s until %s", [input.time.zone, until]), "until": until}
}`, ClockUnread},
		{"ungated evidence", `package p
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "QUIET_HOURS", "evidence": input.time.local}
}`, ClockRead},
		{"gated through a helper", `package p
local := sprintf("%s %s", [input.time.local, input.time.zone])
reasons contains r if {
	until := input.time.quiet_until[_]
	r := {"code": "QUIET_HOURS", "evidence": local, "until": until}
}`, ClockGated},
		{"helper used ungated", `package p
local := sprintf("%s %s", [input.time.local, input.time.zone])
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "QUIET_HOURS", "evidence": local}
}`, ClockRead},
		{"negated gate", `package p
reasons contains r if {
	not input.time.quiet_until.promotional
	r := {"code": "X", "evidence": input.time.local}
}`, ClockRead},
		{"gate in a comprehension", `package p
reasons contains r if {
	xs := [u | u := input.time.quiet_until.promotional]
	r := {"code": "X", "evidence": input.time.local, "n": count(xs)}
}`, ClockRead},
		{"whole quiet_until", `package p
reasons contains r if {
	q := input.time.quiet_until
	r := {"code": "X", "evidence": input.time.minute, "q": q}
}`, ClockRead},
		{"minute in a condition", `package p
reasons contains r if { input.time.minute > 1200; r := {"code": "X"} }`, ClockRead},
		{"gated through a function", `package p
quiet(k) := u if { u := input.time.quiet_until[k] }
reasons contains r if {
	until := quiet("promotional")
	r := {"code": "X", "evidence": input.time.local, "until": until}
}`, ClockGated},
		{"function with a default", `package p
default quiet(_) := "later"
quiet(k) := u if { u := input.time.quiet_until[k] }
reasons contains r if {
	until := quiet("promotional")
	r := {"code": "X", "evidence": input.time.local, "until": until}
}`, ClockRead},
		{"partial set is defined when empty", `package p
quiet contains u if { u := input.time.quiet_until[_] }
reasons contains r if {
	q := quiet
	r := {"code": "X", "evidence": input.time.local, "q": q}
}`, ClockRead},
		{"zone is no clock", `package p
reasons contains r if { input.time.zone == "Asia/Dubai"; r := {"code": "X"} }`, ClockUnread},
		{"input by a variable key", `package p
reasons contains r if { some k; input[k].local; r := {"code": "X"} }`, ClockRead},
		{"clock in an else", `package p
f := 1 if { input.time.quiet_until.x } else := input.time.minute
reasons contains r if { f > 0; r := {"code": "X"} }`, ClockRead},
		{"jwt reads the evaluation time", `package p
reasons contains r if {
	[ok, _, _] := io.jwt.decode_verify(input.message.tag, {"secret": "s"})
	ok
	r := {"code": "X"}
}`, ClockRead},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			comp := ast.NewCompiler().WithDefaultRegoVersion(ast.RegoV1)
			comp.Compile(map[string]*ast.Module{"p.rego": ast.MustParseModuleWithOpts(c.src, ast.ParserOptions{RegoVersion: ast.RegoV1})})
			if comp.Failed() {
				t.Fatal(comp.Errors)
			}
			if got := clockUse(comp.Modules); got != c.want {
				t.Errorf("clockUse(%s) = %v, want %v", c.name, got, c.want)
			}
		})
	}
}
