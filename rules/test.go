package rules

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
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
	// Trace is the evaluation trace of a failed test, with the values of
	// its local variables, when Test ran with TestTrace; nil otherwise.
	Trace []*topdown.Event
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

// TestOption configures Set.Test.
type TestOption func(*testOptions)

type testOptions struct {
	run      string
	trace    bool
	coverage *cover.Report
}

// TestRun runs only the tests whose name (package path and rule, e.g.
// "data.msgfilter.countries.ae_test.test_night_deferred") matches the
// regular expression, as "opa test --run" does.
func TestRun(regex string) TestOption { return func(o *testOptions) { o.run = regex } }

// TestTrace keeps the evaluation trace of each failed test in
// TestResult.Trace, with its variables' values ("opa test --var-values").
func TestTrace() TestOption { return func(o *testOptions) { o.trace = true } }

// TestCoverage makes Test fill r with the coverage of the policy modules
// (test modules excluded) by the tests that ran.
func TestCoverage(r *cover.Report) TestOption { return func(o *testOptions) { o.coverage = r } }

// Test runs the Rego unit tests of the set's packs with OPA's tester, against
// the same data and built-ins the policies see, and returns every result
// sorted by file and row.
func (s *Set) Test(ctx context.Context, opts ...TestOption) ([]TestResult, error) {
	var o testOptions
	for _, opt := range opts {
		opt(&o)
	}
	if _, err := regexp.Compile(o.run); err != nil {
		return nil, fmt.Errorf("rules: test filter: %w", err)
	}
	modules := make(map[string]*ast.Module, len(s.modules)+len(s.tests))
	for name, m := range s.modules {
		modules[name] = m.Copy()
	}
	for name, m := range s.tests {
		modules[name] = m.Copy()
	}
	store := inmem.NewFromObjectWithOpts(s.data, inmem.OptRoundTripOnWrite(false))
	compiler := newCompiler().WithRewriteTestRules(o.trace)
	var cov *cover.Cover
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(store).
		RaiseBuiltinErrors(true).
		EnableTracing(o.trace).
		Filter(o.run).
		SetModules(maps.Clone(modules))
	if o.coverage != nil {
		cov = cover.New()
		runner.SetCoverageQueryTracer(cov)
	}
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
		if !tr.Pass || tr.Err != nil {
			tr.Trace = r.Trace
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
	if cov != nil {
		*o.coverage = policyCoverage(cov.Report(compiler.Modules))
	}
	return results, nil
}

// policyCoverage is r without the test modules, whose own lines say nothing
// about how well the policies are tested, and its totals recomputed.
func policyCoverage(r cover.Report) cover.Report {
	r.CoveredLines, r.NotCoveredLines = 0, 0
	for name, f := range r.Files {
		if strings.HasSuffix(name, "_test.rego") {
			delete(r.Files, name)
			continue
		}
		r.CoveredLines += f.CoveredLines
		r.NotCoveredLines += f.NotCoveredLines
	}
	r.Coverage = 0
	if total := r.CoveredLines + r.NotCoveredLines; total > 0 {
		r.Coverage = 100 * float64(r.CoveredLines) / float64(total)
	}
	return r
}
