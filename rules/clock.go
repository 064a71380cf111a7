package rules

import (
	"github.com/open-policy-agent/opa/v1/ast"
)

// ClockUse says when a Set's reasons can depend on the message's local
// clock (input.time other than quiet_until and zone: local, date, weekday,
// minute). The engine's fact cache leaves the clock out of its key when the
// reasons cannot depend on it. The zero value, ClockRead, is the safe
// answer.
type ClockUse uint8

const (
	// ClockRead: the reasons may depend on the clock at any time.
	ClockRead ClockUse = iota
	// ClockGated: only while a quiet-hours spec holds the message
	// (input.time.quiet_until has an entry). A check whose quiet_until is
	// empty is decided the same at any minute.
	ClockGated
	// ClockUnread: never. The policies' quiet-hours rules decide from
	// quiet_until and cite the zone and the reopening instant, so a check
	// held for the night is decided the same at every minute of it.
	ClockUnread
)

// Clock reports when the Set's reasons can read the local clock.
//
// It is computed once at load, conservatively, over the compiled modules: a
// rule reads the clock when it refers to input.time other than
// input.time.quiet_until and input.time.zone (or to input or input.time
// whole, or to either by a variable key), calls io.jwt.decode_verify (which
// reads the evaluation time), or refers to a rule that reads it. The Set is
// ClockUnread when no reasons rule reads the clock. A rule definition is
// gated when its body has a top-level, non-negated expression without with
// that refers to an entry of input.time.quiet_until, or to a complete rule
// or function all of whose definitions are gated, outside any
// comprehension: with quiet_until empty that expression is undefined, so
// the definition produces nothing whatever the clock says, and what refers
// to it does not depend on the clock either. The Set is ClockGated when no
// reasons rule reads the clock through a definition that is not gated.
func (s *Set) Clock() ClockUse { return s.clock }

// clockUse computes Clock for the compiled modules.
func clockUse(modules map[string]*ast.Module) ClockUse {
	var defs []clockDef
	for _, file := range sortedKeys(modules) {
		m := modules[file]
		for _, r := range m.Rules {
			path := m.Package.Path.Extend(r.Head.Ref().GroundPrefix())
			single := r.Head.RuleKind() == ast.SingleValue && r.Head.Ref().IsGround()
			for d := r; d != nil; d = d.Else {
				defs = append(defs, clockDef{path: path, rule: d, single: single})
			}
		}
	}
	// gatedPaths are rules and functions every definition of which is
	// gated: with quiet_until empty they are undefined, and so is an
	// expression that refers to them (state_quiet(region) in the US pack).
	// Grown to a fixed point.
	var gatedPaths []ast.Ref
	gate := func(ref ast.Ref) bool {
		if len(ref) > len(inputQuiet) && ref.HasPrefix(inputQuiet) {
			return true
		}
		for _, g := range gatedPaths {
			if ref.HasPrefix(g) {
				return true
			}
		}
		return false
	}
	for {
		all := map[string]bool{}
		var paths []ast.Ref
		for i := range defs {
			d := &defs[i]
			d.gated = gatedBody(d.rule.Body, gate)
			k := d.path.String()
			if _, seen := all[k]; !seen {
				all[k] = true
				paths = append(paths, d.path)
			}
			all[k] = all[k] && d.gated && d.single
		}
		var next []ast.Ref
		for _, p := range paths {
			if all[p.String()] {
				next = append(next, p)
			}
		}
		if len(next) == len(gatedPaths) {
			break
		}
		gatedPaths = next
	}
	switch {
	case !reasonsRead(defs, false):
		return ClockUnread
	case !reasonsRead(defs, true):
		return ClockGated
	}
	return ClockRead
}

// clockDef is one definition of a rule, for clockUse.
type clockDef struct {
	path   ast.Ref
	rule   *ast.Rule // one definition: its head and body, without its else
	single bool      // of a complete rule or function with a ground head: undefined when its body is
	gated  bool
}

// reasonsRead reports whether a reasons rule reads the clock through a
// definition (through any definition unless gating, else through one that
// is not gated).
func reasonsRead(defs []clockDef, gating bool) bool {
	// tainted holds the paths of rules with a definition that reads the
	// clock and is not exempt; grown to a fixed point.
	var tainted []ast.Ref
	isTainted := func(ref ast.Ref) bool {
		for _, t := range tainted {
			if ref.HasPrefix(t) || t.HasPrefix(ref.GroundPrefix()) {
				return true
			}
		}
		return false
	}
	done := make([]bool, len(defs))
	for changed := true; changed; {
		changed = false
		for i, d := range defs {
			if done[i] || gating && d.gated || !readsClock(d.rule, isTainted) {
				continue
			}
			done[i], changed = true, true
			if !isTainted(d.path) {
				tainted = append(tainted, d.path)
			}
		}
	}
	for _, d := range defs {
		if n := len(d.path); n > 0 && d.path[n-1].Equal(ast.StringTerm(reasonsRule)) && isTainted(d.path) {
			return true
		}
	}
	return false
}

// readsClock reports whether a rule definition (head and body, not its
// else) refers to the clock or to a tainted rule.
func readsClock(r *ast.Rule, tainted func(ast.Ref) bool) bool {
	found := false
	check := func(x any) {
		ast.WalkTerms(x, func(t *ast.Term) bool {
			switch v := t.Value.(type) {
			case ast.Ref: // a call's operator too
				if clockRef(v) || v.HasPrefix(ast.DefaultRootRef) && tainted(v) || v.Equal(jwtVerify) {
					found = true
				}
			}
			return found
		})
	}
	check(r.Head)
	check(r.Body)
	return found
}

var (
	inputTime  = ast.MustParseRef("input.time")
	inputQuiet = ast.MustParseRef("input.time.quiet_until")
	jwtVerify  = ast.MustParseRef("io.jwt.decode_verify")
)

// clockRef reports a reference to input that can reach the clock.
func clockRef(ref ast.Ref) bool {
	if !ref.HasPrefix(ast.InputRootRef) {
		return false
	}
	if len(ref) < 2 {
		return true // input whole
	}
	if _, ok := ref[1].Value.(ast.String); !ok {
		return true // input[x]
	}
	if !ref.HasPrefix(inputTime) {
		return false
	}
	if len(ref) < 3 {
		return true // input.time whole
	}
	return !ref[2].Equal(ast.StringTerm("quiet_until")) && !ref[2].Equal(ast.StringTerm("zone"))
}

// gatedBody reports a top-level, non-negated expression without with that
// has a gate (a reference to an entry of input.time.quiet_until, or to a
// gated rule) outside comprehensions.
func gatedBody(body ast.Body, gate func(ast.Ref) bool) bool {
	for _, e := range body {
		if e.Negated || len(e.With) > 0 {
			continue
		}
		if _, every := e.Terms.(*ast.Every); every {
			continue
		}
		found := false
		vis := ast.NewGenericVisitor(func(x any) bool {
			switch v := x.(type) {
			case *ast.ArrayComprehension, *ast.SetComprehension, *ast.ObjectComprehension, *ast.Every:
				return true // an undefined entry there leaves the expression defined
			case ast.Ref:
				if gate(v) {
					found = true
				}
			}
			return found
		})
		vis.Walk(e)
		if found {
			return true
		}
	}
	return false
}
