// Command msgfilter checks business messages against msgfilter's per-country
// policies, for gateways without Go, rule authors and operators.
//
// Usage:
//
//	msgfilter check [-policies DIR|BUNDLE] [-geoip FILE] [-phishing-feed FILE] [-model FILE] [-explain] [-summary] [FILE|-]
//	msgfilter test [-v] [-run REGEX] [-coverage] [DIR|BUNDLE]
//	msgfilter diff -old DIR|BUNDLE -new DIR|BUNDLE [-json] [FILE|-]
//	msgfilter bundle build|sign|verify|inspect ...
//	msgfilter eval [-data DIR]
//	msgfilter train -o MODEL [-data DIR] [LABELLED.jsonl ...]
//	msgfilter learn -label fraud|spam|ham (-redis ADDR | -config FILE) [FILE|-]
//	msgfilter geoip build [-v4 FILE] [-v6 FILE] -o FILE
//	msgfilter serve [-config FILE] [-addr HOST:PORT] [-print-config] [flags]
//	msgfilter version
//
// check reads messages as JSON lines and writes one decision per input line,
// in order; a line it cannot read gives {"id": ..., "error": ...} and the run
// goes on. The exit status is 0 unless the tool itself failed.
//
// test runs the Rego unit tests and golden cases of a policy directory
// (./policies, or the embedded packs when there is none, when DIR is omitted)
// and exits 1 when any fails.
//
// Every verb prints its usage with -h (exit 0) and takes its flags before or
// after its file arguments. A verb's mistakes in the command line exit 2; a
// failure of the tool (a missing file, a policy that does not load) exits 1.
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

const usage = `usage:
  msgfilter check [-policies DIR|BUNDLE] [-geoip FILE] [-phishing-feed FILE] [-model FILE] [-tenants FILE] [-explain] [-summary] [FILE|-]
                                   decide on messages (JSON lines in, decisions out);
                                   {"direction":"inbound",...} lines record replies and STOPs
  msgfilter test [-v] [-run REGEX] [-coverage] [DIR|BUNDLE]
                                   run a policy directory's Rego tests and golden cases
  msgfilter diff -old DIR|BUNDLE -new DIR|BUNDLE [-json] [FILE|-]
                                   what a policy change would change on recorded traffic
  msgfilter bundle build|sign|verify|inspect ...
                                   build, sign and check policy bundles
  msgfilter eval [-data DIR]       flag rates over the public corpora in ../shared/data
  msgfilter train -o MODEL [-data DIR] [LABELLED.jsonl ...]
                                   train a content model (deterministic)
  msgfilter learn -label fraud|spam|ham (-redis ADDR | -config FILE) [FILE|-]
                                   report messages to the fleet's store: the model learns
  msgfilter geoip build [-v4 FILE] [-v6 FILE] -o FILE
                                   build a GeoIP database from Debian's tor-geoipdb
  msgfilter serve [-config FILE] [-addr HOST:PORT] [-print-config] [flags]
                                   the engine as an HTTP service (serve -h lists the flags)
  msgfilter version                module, Go and embedded policy versions
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
	case "train":
		err = runTrain(ctx, args[1:], stdout, stderr)
	case "learn":
		err = runLearn(ctx, args[1:], stdin, stdout, stderr)
	case "geoip":
		err = runGeoIP(ctx, args[1:], stdout, stderr)
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "version":
		err = runVersion(args[1:], stdout)
	case "bundle":
		err = runBundle(ctx, args[1:], stdout, stderr)
	case "diff":
		err = runDiff(ctx, args[1:], stdin, stdout, stderr)
	case "capabilities":
		err = runCapabilities(ctx, args[1:], stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		err = &usageError{msg: fmt.Sprintf("unknown command %q", args[0])}
	}
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		u := ue.usage
		if u == "" {
			u = usage
		}
		fmt.Fprintf(stderr, "msgfilter: %v\n%s", err, u)
		return 2
	default:
		fmt.Fprintf(stderr, "msgfilter: %v\n", err)
		return 1
	}
}
