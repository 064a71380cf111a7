package rules

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// ResidualPacks returns how many packs' reasons rules the queries read as
// residual rules.
func (s *Set) ResidualPacks() int { return len(s.residual) }

// ReasonsPacks returns how many packs define a reasons rule.
func (s *Set) ReasonsPacks() int {
	c := newCompiler()
	c.Compile(s.modules)
	return len(reasonsRefs(c))
}

var written struct {
	sync.Mutex
	set     *Set
	queries map[queryKey]*rego.PreparedEvalQuery
}

// EvalWritten is Eval with queries that union the packs' written reasons
// rules, as Load prepared them before residual rules.
func (s *Set) EvalWritten(ctx context.Context, country, channel string, input ast.Value, now time.Time) ([]Finding, error) {
	written.Lock()
	if written.set != s {
		written.set, written.queries = s, map[queryKey]*rego.PreparedEvalQuery{}
	}
	k := s.queryKey(country, channel)
	q, ok := written.queries[k]
	if !ok {
		c := newCompiler()
		c.Compile(s.modules)
		var parts []string
		for _, ref := range []ast.Ref{reasonsRef(KindGlobal, ""), reasonsRef(KindCountry, k.country), reasonsRef(KindChannel, k.channel)} {
			if len(c.GetRulesExact(ref)) > 0 {
				parts = append(parts, ref.String())
			}
		}
		union := "set()"
		if len(parts) > 0 {
			union = strings.Join(parts, " | ")
		}
		store := inmem.NewFromObjectWithOpts(s.data, inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true))
		pq, err := rego.New(rego.Compiler(c), rego.Store(store), rego.Query("reasons := "+union), rego.StrictBuiltinErrors(true)).PrepareForEval(ctx)
		if err != nil {
			written.Unlock()
			return nil, err
		}
		q = &pq
		written.queries[k] = q
	}
	written.Unlock()
	return s.eval(ctx, q, country, input, now)
}

// TestInputs returns the inputs the packs' Rego tests give literally
// ("with input as {...}").
func (s *Set) TestInputs() []ast.Value {
	var out []ast.Value
	for _, name := range sortedKeys(s.tests) {
		ast.WalkExprs(s.tests[name], func(e *ast.Expr) bool {
			for _, w := range e.With {
				if w.Target.Equal(ast.NewTerm(ast.InputRootRef)) && w.Value.IsGround() {
					if _, ok := w.Value.Value.(ast.Object); ok {
						out = append(out, w.Value.Value)
					}
				}
			}
			return false
		})
	}
	return out
}
