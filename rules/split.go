package rules

import (
	"fmt"
	"maps"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Definitions apart. A pack's reasons rule is a set of definitions (one
// "reasons contains r if { ... }" each), and a finding of the pack is a
// finding of one of them: the pack's set is the union of theirs. So each
// definition gets a rule of its own, a copy under another name in its
// package (with its module's imports, so it reads what the written one
// reads), and a query (a Part). The engine keys each definition's findings
// by what that definition alone can read (its Reads): a rule that cites
// the text is evaluated once per text, and one that cites the sender once
// per sender, whatever else the message has. Definitions are what the
// queries read: a pack's residual rule's (partial.go) when it has one.
// Definitions that call a function in common are one part
// (groupDefinitions), so that OPA computes it once for them, as the union
// query does.

// definitionPrefix names the copies: "<prefix><n>" beside the reasons rule.
const definitionPrefix = "msgfilter_definition_"

// definitions returns modules with a copy of every definition of the rules
// at refs (as text), and each ref's copies' refs, in the order of the
// modules' names and their rules; nil when a copy's name is taken. A ref
// whose rules are not all multi-value definitions ("contains"), or that
// another rule may give a value (a rule at a prefix of it, below it, or
// at a ref with a variable), is left whole: it has no copies.
func definitions(modules map[string]*ast.Module, refs []string) (map[string]*ast.Module, map[string][]string) {
	want := map[string]bool{}
	wantRefs := make([]ast.Ref, 0, len(refs))
	for _, r := range refs {
		ref, err := ast.ParseRef(r)
		if err != nil {
			return nil, nil
		}
		want[r] = true
		wantRefs = append(wantRefs, ref)
	}
	whole := map[string]bool{}
	taken := map[string]bool{}
	for _, m := range modules {
		for _, r := range m.Rules {
			head := m.Package.Path.Extend(r.Head.Ref())
			taken[head.String()] = true
			if want[head.String()] {
				if r.Head.RuleKind() != ast.MultiValue || r.Default || r.Else != nil {
					whole[head.String()] = true
				}
				continue
			}
			prefix := head.GroundPrefix()
			for _, wr := range wantRefs {
				if wr.HasPrefix(prefix) || prefix.HasPrefix(wr) {
					whole[wr.String()] = true
				}
			}
		}
	}
	out := maps.Clone(modules)
	defs := map[string][]string{}
	n := 0
	for _, name := range sortedKeys(modules) {
		m := modules[name]
		var cp *ast.Module
		for _, r := range m.Rules {
			head := m.Package.Path.Extend(r.Head.Ref()).String()
			if !want[head] || whole[head] {
				continue
			}
			if cp == nil {
				cp = &ast.Module{Package: m.Package.Copy()}
				for _, imp := range m.Imports {
					cp.Imports = append(cp.Imports, imp.Copy())
				}
				out[name+"#"+definitionPrefix] = cp
			}
			d := r.Copy()
			d.Annotations = nil
			d.Module = cp
			ref := d.Head.Ref().Copy()
			def := fmt.Sprintf("%s%d", definitionPrefix, n)
			n++
			if len(ref) == 1 {
				ref[0] = ast.VarTerm(def)
			} else {
				ref[len(ref)-1] = ast.StringTerm(def)
			}
			d.Head.SetRef(ref)
			if d.Head.Name != "" {
				d.Head.Name = ast.Var(def)
			}
			full := m.Package.Path.Extend(ref).String()
			if taken[full] {
				return nil, nil
			}
			cp.Rules = append(cp.Rules, d)
			defs[head] = append(defs[head], full)
		}
	}
	if len(defs) == 0 {
		return nil, nil
	}
	return out, defs
}

// groupDefinitions groups the definitions at refs that call a function in
// common (directly or through the rules they refer to): OPA evaluates a
// function once per evaluation for the same arguments (a link's risk score
// for the rules that weigh a link's risk), so they are evaluated together.
// Groups keep the order of their first definitions.
func groupDefinitions(c *ast.Compiler, refs []string) [][]string {
	group := make([]int, len(refs)) // union-find parents
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			group[i] = group[group[i]]
			i = group[i]
		}
		return i
	}
	owner := map[*ast.Rule]int{} // a function → the first definition that calls it
	for i, ref := range refs {
		r, err := ast.ParseRef(ref)
		if err != nil {
			continue
		}
		seen := map[*ast.Rule]bool{}
		var visit func(r *ast.Rule)
		visit = func(r *ast.Rule) {
			if seen[r] {
				return
			}
			seen[r] = true
			if len(r.Head.Args) > 0 {
				if j, ok := owner[r]; ok {
					group[find(i)] = find(j)
				} else {
					owner[r] = i
				}
			}
			ast.WalkRefs(r, func(ref ast.Ref) bool {
				if ref.HasPrefix(ast.DefaultRootRef) {
					p := ref.GroundPrefix()
					for _, x := range c.GetRules(p) {
						visit(x)
					}
					for _, x := range c.GetRulesWithPrefix(p) {
						visit(x)
					}
				}
				return false
			})
		}
		for _, d := range c.GetRulesExact(r) {
			visit(d)
		}
	}
	var out [][]string
	at := map[int]int{} // a group's root → its index in out
	for i, ref := range refs {
		root := find(i)
		j, ok := at[root]
		if !ok {
			j = len(out)
			at[root] = j
			out = append(out, nil)
		}
		out[j] = append(out[j], ref)
	}
	return out
}
