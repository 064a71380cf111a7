package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/msgfilter/msgfilter/filter"
)

// runVersion prints the module version, the Go version and the revision of
// the embedded policies (what decisions carry in "revision" when no other
// policies are given).
func runVersion(args []string, stdout io.Writer) error {
	fs := newVerb("version", "version", "Prints the module version, the Go version and the embedded policies' revision.")
	rest, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fs.usageErr("version takes no arguments")
	}
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	e, err := filter.New(filter.WithStore(nil))
	if err != nil {
		return fmt.Errorf("embedded policies: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "msgfilter %s\ngo %s %s/%s\npolicies %s (embedded)\n",
		version, runtime.Version(), runtime.GOOS, runtime.GOARCH, e.Revision())
	return err
}
