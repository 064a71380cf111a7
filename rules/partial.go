package rules

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// Residual rules: each pack's reasons rule partially evaluated once, at
// load, with the whole input unknown. OPA settles what depends only on the
// data (thresholds, lists, a pack's switches), inlines the helper rules and
// functions it can into each reasons body, and leaves rules that read only
// the input; the queries union those instead of the written rules. An
// evaluation of the realistic mix's misses costs about a third less, with
// the same findings (TestResidualEqualsWritten).
//
// Partial evaluation per (destination, channel) pair, with the pair's
// country and channel known as well, was measured first: it gave no more
// than this (the destination's lookups are a small part of an evaluation),
// and its 5-15 ms per pair had to be spent lazily, in the background, for
// the pairs seen often enough. Per pack, it is one partial evaluation of
// each pack and one compile at load (about 50 ms with the embedded packs).

// residualNamespace prefixes the package of each pack's residual rules: one
// namespace per pack, because partial evaluation names its helper rules
// (negations, "__not1_2_3__") by counters that restart with each run.
const residualNamespace = "msgfilter_residual_"

// residualBudget bounds the partial evaluations of a Load (about 10 ms for
// the embedded packs). Partial evaluation runs what depends only on the
// data at load: a rule that walks a big document would make Load walk it;
// past the budget, the packs left keep their written rules (and a rule
// that walks the data on every evaluation meets the check's deadline).
const residualBudget = time.Second

// residuals partially evaluates the reasons rule of every pack of compiler
// and returns a compiler holding the modules and the residual rules, with
// the residual ref (as text) of each pack's reasons ref. A pack whose
// partial evaluation fails, does not finish within residualBudget, or
// gives a residual of another shape than one rule keeps its written rule;
// if the residual rules do not compile, residuals returns compiler and no
// residual refs. Either way the queries decide the same.
//
// The compiler also holds a rule per definition of each pack's reasons
// (definitions, split.go), and defs gives their refs by the pack's reasons
// ref as the queries read it (residual or written); nil when they do not
// compile.
func residuals(ctx context.Context, compiler *ast.Compiler, store storage.Store, modules map[string]*ast.Module) (out *ast.Compiler, refs map[string]string, defs map[string][]string) {
	ctx, cancel := context.WithTimeout(ctx, residualBudget)
	defer cancel()
	all := maps.Clone(modules)
	refs = map[string]string{}
	packs := reasonsRefs(compiler)
	for i, ref := range packs {
		ns := fmt.Sprintf("%s%d", residualNamespace, i)
		pqs, err := rego.New(
			rego.Compiler(compiler),
			rego.Store(store),
			rego.Query("reasons = "+ref.String()),
			rego.PartialNamespace(ns),
			rego.StrictBuiltinErrors(true),
		).Partial(ctx)
		if err != nil {
			continue
		}
		residual, ok := residualRef(pqs, ns)
		if !ok {
			continue
		}
		for j, m := range pqs.Support {
			all[fmt.Sprintf("%s/%d", ns, j)] = m
		}
		refs[ref.String()] = residual.String()
	}
	read := make([]string, len(packs)) // each pack's reasons, as the queries read it
	for i, ref := range packs {
		read[i] = ref.String()
		if r, ok := refs[read[i]]; ok {
			read[i] = r
		}
	}
	if split, defs := definitions(all, read); defs != nil {
		out = newCompiler()
		out.Compile(split)
		if !out.Failed() {
			return out, refs, defs
		}
	}
	if len(refs) == 0 {
		return compiler, nil, nil
	}
	out = newCompiler()
	out.Compile(all)
	if out.Failed() {
		return compiler, nil, nil
	}
	return out, refs, nil
}

// reasonsRefs returns the ref of every pack's reasons rule, sorted.
func reasonsRefs(compiler *ast.Compiler) []ast.Ref {
	seen := map[string]bool{}
	var refs []ast.Ref
	for _, name := range sortedKeys(compiler.Modules) {
		ref := compiler.Modules[name].Package.Path.Append(ast.StringTerm(reasonsRule))
		if s := ref.String(); !seen[s] && len(compiler.GetRulesExact(ref)) > 0 {
			seen[s] = true
			refs = append(refs, ref)
		}
	}
	return refs
}

// residualRef returns the ref of the residual reasons rule when the
// partial evaluation of "reasons = <pack's reasons>" gave the one query
// "<ref under ns> = reasons".
func residualRef(pqs *rego.PartialQueries, ns string) (ast.Ref, bool) {
	if len(pqs.Queries) != 1 || len(pqs.Queries[0]) != 1 {
		return nil, false
	}
	expr := pqs.Queries[0][0]
	if !expr.IsEquality() || expr.Negated || len(expr.With) > 0 {
		return nil, false
	}
	a, b := expr.Operand(0), expr.Operand(1)
	if _, ok := a.Value.(ast.Var); ok {
		a, b = b, a
	}
	ref, ok := a.Value.(ast.Ref)
	if !ok || !ref.IsGround() || !b.Equal(ast.VarTerm(reasonsRule)) {
		return nil, false
	}
	if !ref.HasPrefix(ast.Ref{ast.DefaultRootDocument, ast.StringTerm(ns)}) {
		return nil, false
	}
	return ref, true
}
