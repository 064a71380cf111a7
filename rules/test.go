package rules

import (
	"context"
	"fmt"
	"maps"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego unit test (a test_ rule in a
// *_test.rego file).
type TestResult struct {
	Package  string // e.g. "data.msgfilter.countries.ae_test"
	Name     string // e.g. "test_promotional_at_night_deferred"
	File     string
	Row      int
	Pass     bool
	Err      error // set when the test could not be evaluated
	Duration time.Duration
}

func (r TestResult) String() string {
	status := "PASS"
	switch {
	case r.Err != nil:
		status = "ERROR: " + r.Err.Error()
	case !r.Pass:
		status = "FAIL"
	}
	return fmt.Sprintf("%s:%d: %s.%s: %s", r.File, r.Row, r.Package, r.Name, status)
}

// Test runs the Rego unit tests of the set's packs with OPA's tester, against
// the same data and built-ins the policies see, and returns every result
// sorted by file and row.
func (s *Set) Test(ctx context.Context) ([]TestResult, error) {
	modules := make(map[string]*ast.Module, len(s.modules)+len(s.tests))
	for name, m := range s.modules {
		modules[name] = m.Copy()
	}
	for name, m := range s.tests {
		modules[name] = m.Copy()
	}
	store := inmem.NewFromObjectWithOpts(s.data, inmem.OptRoundTripOnWrite(false))
	runner := tester.NewRunner().
		SetCompiler(newCompiler()).
		SetStore(store).
		AddCustomBuiltins(testerBuiltins()).
		RaiseBuiltinErrors(true).
		SetModules(maps.Clone(modules))
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("rules: compiling tests: %w", err)
	}
	var results []TestResult
	for r := range ch {
		tr := TestResult{
			Package:  r.Package,
			Name:     r.Name,
			Pass:     r.Pass(),
			Err:      r.Error,
			Duration: r.Duration,
		}
		if r.Location != nil {
			tr.File, tr.Row = r.Location.File, r.Location.Row
		}
		results = append(results, tr)
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].File != results[j].File {
			return results[i].File < results[j].File
		}
		return results[i].Row < results[j].Row
	})
	return results, nil
}
