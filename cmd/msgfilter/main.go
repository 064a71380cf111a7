// Command msgfilter checks business messages against msgfilter's per-country
// policies, for gateways without Go, rule authors and operators.
//
// Usage:
//
//	msgfilter check [-policies DIR] [-geoip FILE] [-phishing-feed FILE] [-explain] [FILE|-]
//	msgfilter test [-v] [DIR]
//	msgfilter eval [-data DIR]
//	msgfilter geoip build [-v4 FILE] [-v6 FILE] -o FILE
//
// check reads messages as JSON lines and writes one decision per input line,
// in order; a line it cannot read gives {"id": ..., "error": ...} and the run
// goes on. The exit status is 0 unless the tool itself failed.
//
// test runs the Rego unit tests of a policy directory (the embedded default
// packs when DIR is omitted) and exits 1 when any fails.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	_ "time/tzdata" // the packs' zones on any host, containers without a tz database included
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// errUsage marks errors in the command line: they print the usage.
var errUsage = errors.New("usage")

const usage = `usage:
  msgfilter check [-policies DIR] [-geoip FILE] [-phishing-feed FILE] [-explain] [FILE|-]
                                   decide on messages (JSON lines in, decisions out)
  msgfilter test [-v] [DIR]        run a policy directory's Rego tests
  msgfilter eval [-data DIR]       flag rates over the public corpora in ../shared/data
  msgfilter geoip build [-v4 FILE] [-v6 FILE] -o FILE
                                   build a GeoIP database from Debian's tor-geoipdb
`

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "check":
		err = runCheck(ctx, args[1:], stdin, stdout, stderr)
	case "test":
		var failed bool
		failed, err = runTest(ctx, args[1:], stdout, stderr)
		if err == nil && failed {
			return 1
		}
	case "eval":
		err = runEval(ctx, args[1:], stdout, stderr)
	case "geoip":
		err = runGeoIP(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = fmt.Errorf("%w: unknown command %q", errUsage, args[0])
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "msgfilter: %v\n%s", err, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "msgfilter: %v\n", err)
		return 1
	}
}
