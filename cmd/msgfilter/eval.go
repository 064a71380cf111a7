package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/internal/corpus"
)

// runEval checks the public corpora of the data directory through the
// policies and prints, per corpus, destination and label, the share of
// messages flagged per reason code. Report figures on the eval split (the
// default); tune term lists on the train split only.
func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := newVerb("eval", "eval [-data DIR] [-split eval|train|all] [-policies DIR|BUNDLE]",
		"Prints the share of the public corpora's messages flagged, per corpus, destination,\nlabel and reason code.")
	data := flags.String("data", "../shared/data", "directory holding the corpora (each folder with its SOURCE.md)")
	splitName := flags.String("split", "eval", "messages to check: eval (FNV-1a hash of the text divisible by 5), train or all")
	policyDir := flags.String("policies", "", "policy directory or bundle (default: the embedded packs)")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return flags.usageErr("eval takes no arguments")
	}
	split, err := corpus.ParseSplit(*splitName)
	if err != nil {
		return flags.usageErr("%v", err)
	}
	if st, err := os.Stat(*data); err != nil || !st.IsDir() {
		if flags.isSet("data") {
			// A directory the user named must exist: a typo is not "no data".
			return fmt.Errorf("eval: -data %s is not a directory", *data)
		}
		fmt.Fprintf(stderr, "msgfilter eval: no data directory %s; skipping (give one with -data)\n", *data)
		return nil
	}
	opts := []filter.Option{filter.WithClock(func() time.Time { return corpus.At })}
	if *policyDir != "" {
		src, err := openPolicies(*policyDir, nil)
		if err != nil {
			return err
		}
		opts = append(opts, filter.WithPolicies(src))
	}
	engine, err := filter.New(opts...)
	if err != nil {
		return err
	}
	start := time.Now()
	rep, err := corpus.Evaluate(ctx, engineDecide(engine), os.DirFS(*data), split)
	if errors.Is(err, corpus.ErrNoData) {
		fmt.Fprintf(stderr, "msgfilter eval: no corpus in %s; skipping\n", *data)
		rep.Write(stderr)
		return nil
	}
	if err != nil {
		return err
	}
	if err := rep.Write(stdout); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "msgfilter eval: %s split of %s in %v\n", split, *data, time.Since(start).Round(time.Millisecond))
	return nil
}

// engineDecide checks corpus samples as SMS through e.
func engineDecide(e *filter.Engine) corpus.Decide {
	return func(ctx context.Context, s corpus.Sample) (string, []string, error) {
		d, err := e.Check(ctx, &filter.Message{
			ID: s.ID, Channel: filter.SMS, Kind: filter.Kind(s.Kind), Country: s.Country,
			Sender: s.Sender, Recipient: s.Recipient, Body: s.Body, Time: s.Time,
		})
		if err != nil {
			return "", nil, err
		}
		codes := make([]string, len(d.Reasons))
		for i, r := range d.Reasons {
			codes[i] = string(r.Code)
		}
		return string(d.Action), codes, nil
	}
}
