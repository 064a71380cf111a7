package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// runTest runs a policy directory's tests — the packs' Rego unit tests and
// the golden message cases under cases/ — and reports whether any failed.
// A directory with no test at all fails too: nothing was checked.
func runTest(ctx context.Context, args []string, stdout, stderr io.Writer) (failed bool, err error) {
	flags := flag.NewFlagSet("test", flag.ContinueOnError)
	flags.SetOutput(stderr)
	verbose := flags.Bool("v", false, "list passing tests too")
	if err := flags.Parse(args); err != nil {
		return false, fmt.Errorf("%w: %v", errUsage, err)
	}
	var src fs.FS = policies.FS
	switch flags.NArg() {
	case 0:
	case 1:
		if _, err := os.Stat(flags.Arg(0)); err != nil {
			return false, err
		}
		src = os.DirFS(flags.Arg(0))
	default:
		return false, fmt.Errorf("%w: test takes one policy directory", errUsage)
	}
	set, err := rules.Load(ctx, src)
	if err != nil {
		return false, err
	}
	results, err := set.Test(ctx)
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
	}
	fmt.Fprintf(stdout, "rego: %d passed, %d failed\n", pass, fail)

	cpass, cfail, err := runCases(ctx, src, stdout, *verbose)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "cases: %d passed, %d failed\n", cpass, cfail)
	pass, fail = pass+cpass, fail+cfail
	fmt.Fprintf(stdout, "total: %d passed, %d failed\n", pass, fail)
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

// runCases checks every golden case of src's cases/ directory through an
// Engine on src, without stored conversation state.
func runCases(ctx context.Context, src fs.FS, stdout io.Writer, verbose bool) (pass, fail int, err error) {
	files, err := fs.Glob(src, "cases/*.jsonl")
	if err != nil || len(files) == 0 {
		return 0, 0, err
	}
	engine, err := filter.New(filter.WithPolicies(src), filter.WithStore(nil), filter.WithCacheSizes(-1, -1))
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
