package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// runTest runs the Rego tests of a policy directory and reports whether any
// failed.
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
	return fail > 0, nil
}
