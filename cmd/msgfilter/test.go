package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/server/config"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// runTest runs a policy directory's tests — the packs' Rego unit tests and
// the golden message cases under cases/ — and reports whether any failed.
// A directory with no test at all fails too: nothing was checked.
func runTest(ctx context.Context, args []string, stdout, stderr io.Writer) (failed bool, err error) {
	flags := newVerb("test", "test [-v] [-run REGEX] [-coverage] [DIR|BUNDLE]", testSummary)
	verbose := flags.Bool("v", false, "list passing tests too")
	runRE := flags.String("run", "", "run only the Rego tests and golden cases whose name matches the regular expression")
	coverage := flags.Bool("coverage", false, "print the Rego tests' coverage of the policies, per file, with the lines never evaluated")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return false, err
	}
	run, err := regexp.Compile(*runRE)
	if err != nil {
		return false, flags.usageErr("-run: %v", err)
	}
	var src fs.FS
	switch len(rest) {
	case 0:
		src, err = defaultPolicies(stderr)
	case 1:
		src, err = openPolicies(rest[0], nil)
	default:
		return false, flags.usageErr("test takes one policy directory or bundle")
	}
	if err != nil {
		return false, err
	}
	set, err := rules.Load(ctx, src)
	if err != nil {
		return false, err
	}
	opts := []rules.TestOption{rules.TestRun(*runRE), rules.TestTrace()}
	var report cover.Report
	if *coverage {
		opts = append(opts, rules.TestCoverage(&report))
	}
	results, err := set.Test(ctx, opts...)
	if err != nil {
		return false, err
	}
	var pass, fail int
	for _, r := range results {
		if r.Pass && r.Err == nil {
			pass++
			if *verbose {
				fmt.Fprintln(stdout, r)
			}
			continue
		}
		fail++
		fmt.Fprintln(stdout, r)
		writeFailure(stdout, r.Trace)
	}
	fmt.Fprintf(stdout, "rego: %d passed, %d failed\n", pass, fail)
	if *coverage {
		writeCoverage(stdout, report)
	}

	cpass, cfail, err := runCases(ctx, src, stdout, *verbose, run)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "cases: %d passed, %d failed\n", cpass, cfail)
	pass, fail = pass+cpass, fail+cfail
	fmt.Fprintf(stdout, "total: %d passed, %d failed\n", pass, fail)
	if pass+fail == 0 && *runRE != "" {
		fmt.Fprintf(stdout, "no test matches -run %q\n", *runRE)
		return true, nil
	}
	if pass+fail == 0 {
		fmt.Fprintln(stdout, "no tests found: write *_test.rego files beside the packs or cases/*.jsonl")
		return true, nil
	}
	return fail > 0, nil
}

// goldenCase is one line of a cases/*.jsonl file: a message and the decision
// it must get. Codes are compared as a set; the message needs a time so that
// the case does not depend on the clock.
type goldenCase struct {
	Name    string         `json:"name"`
	Message filter.Message `json:"message"`
	Want    struct {
		Action filter.Action `json:"action"`
		Codes  []filter.Code `json:"codes"`
	} `json:"want"`
}

const testSummary = `Runs a policy directory's Rego unit tests (*_test.rego, with OPA's tester) and its
golden message cases (cases/*.jsonl), and exits 1 when any fails. Without DIR it
tests ./policies when that directory exists, and the packs built into the binary
otherwise (with a note on stderr). A failing Rego test prints the expression that
failed with its variables' values.`

// writeFailure prints the expression a failed test stopped at, with the
// values of its variables, as "opa test --var-values" does: the last failed
// expression of the test's own query.
func writeFailure(w io.Writer, trace []*topdown.Event) {
	for _, e := range slices.Backward(trace) {
		if e.Op != topdown.FailOp || e.Location == nil || e.QueryID == 0 {
			continue
		}
		if expr, ok := e.Node.(*ast.Expr); ok {
			if _, every := expr.Terms.(*ast.Every); every {
				continue // the failing expression is inside the every body
			}
		}
		fmt.Fprintf(w, "    failed at %s:%d:\n", e.Location.File, e.Location.Row)
		var b strings.Builder
		if err := topdown.PrettyEvent(&b, e, topdown.PrettyEventOpts{PrettyVars: true}); err != nil {
			fmt.Fprintf(w, "      (cannot print the event: %v)\n", err)
			return
		}
		for line := range strings.Lines(b.String()) {
			fmt.Fprintf(w, "      %s", strings.TrimPrefix(line, "\t"))
		}
		fmt.Fprintln(w)
		return
	}
}

// writeCoverage prints the coverage per policy file with the line ranges
// that no test evaluated.
func writeCoverage(w io.Writer, r cover.Report) {
	fmt.Fprintf(w, "coverage: %.1f%% (%d of %d lines)\n", r.Coverage, r.CoveredLines, r.CoveredLines+r.NotCoveredLines)
	for _, name := range slices.Sorted(maps.Keys(r.Files)) {
		f := r.Files[name]
		rows := map[int]bool{}
		for _, rg := range f.NotCovered {
			for row := rg.Start.Row; row <= rg.End.Row; row++ {
				rows[row] = true
			}
		}
		var missed []string
		for _, row := range slices.Sorted(maps.Keys(rows)) {
			if n := len(missed); n > 0 && rows[row-1] {
				// extend the run "a" or "a-b" that ends at row-1
				first, _, _ := strings.Cut(missed[n-1], "-")
				missed[n-1] = first + "-" + strconv.Itoa(row)
				continue
			}
			missed = append(missed, strconv.Itoa(row))
		}
		fmt.Fprintf(w, "  %-40s %5.1f%%", name, f.Coverage)
		if len(missed) > 0 {
			fmt.Fprintf(w, "  not covered: %s", strings.Join(missed, ", "))
		}
		fmt.Fprintln(w)
	}
}

// casesTenants configures the tenants the golden cases name, in the YAML
// of "msgfilter serve" (only its tenants: section is read), so that cases
// can exercise what only a tenant configures (a DLT template registry, a
// sender registry) while the packs' own registries stay examples.
const casesTenants = "cases/tenants.yaml"

// runCases checks every golden case of src's cases/ directory through an
// Engine on src and the tenants of cases/tenants.yaml, without stored
// conversation state.
func runCases(ctx context.Context, src fs.FS, stdout io.Writer, verbose bool, run *regexp.Regexp) (pass, fail int, err error) {
	files, err := fs.Glob(src, "cases/*.jsonl")
	if err != nil || len(files) == 0 {
		return 0, 0, err
	}
	opts := []filter.Option{filter.WithPolicies(src), filter.WithStore(nil), filter.WithCacheSizes(-1, -1)}
	if b, err := fs.ReadFile(src, casesTenants); err == nil {
		cfg, err := config.Parse(casesTenants, b)
		if err != nil {
			return 0, 0, err
		}
		opts = append(opts, cfg.TenantOptions()...)
	}
	engine, err := filter.New(opts...)
	if err != nil {
		return 0, 0, err
	}
	for _, file := range files {
		b, err := fs.ReadFile(src, file)
		if err != nil {
			return 0, 0, err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, maxLineBytes)
		for n := 1; sc.Scan(); n++ {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 || line[0] == '#' {
				continue
			}
			where := fmt.Sprintf("%s:%d", file, n)
			var c goldenCase
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&c); err != nil {
				return 0, 0, fmt.Errorf("%s: %w", where, err)
			}
			if !run.MatchString(c.Name) {
				continue
			}
			if c.Message.Time.IsZero() {
				return 0, 0, fmt.Errorf("%s: %s: the message needs a time", where, c.Name)
			}
			d, err := engine.Check(ctx, &c.Message)
			got := codesOf(d)
			want := slices.Sorted(slices.Values(c.Want.Codes))
			switch {
			case err != nil:
				fail++
				fmt.Fprintf(stdout, "%s: %s: FAIL: %v\n", where, c.Name, err)
			case d.Action != c.Want.Action || !slices.Equal(got, want):
				fail++
				fmt.Fprintf(stdout, "%s: %s: FAIL: got %s %v, want %s %v\n", where, c.Name, d.Action, got, c.Want.Action, want)
			default:
				pass++
				if verbose {
					fmt.Fprintf(stdout, "%s: %s: PASS\n", where, c.Name)
				}
			}
		}
		if err := sc.Err(); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", file, err)
		}
	}
	return pass, fail, nil
}

func codesOf(d filter.Decision) []filter.Code {
	codes := make([]filter.Code, 0, len(d.Reasons))
	for _, r := range d.Reasons {
		if !slices.Contains(codes, r.Code) {
			codes = append(codes, r.Code)
		}
	}
	slices.SortFunc(codes, func(a, b filter.Code) int { return strings.Compare(string(a), string(b)) })
	return codes
}
