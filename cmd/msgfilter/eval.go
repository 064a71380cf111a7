package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
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
		"Prints the share of the public corpora's messages flagged, per corpus, destination,\nlabel and reason code (every message sent as transactional), then the content\nmodel's threshold table: per corpus and label, the share whose spam + fraud\nscore (content.model, as the engine computes it) reaches each threshold.")
	data := flags.String("data", "../shared/data", "directory holding the corpora (each folder with its SOURCE.md)")
	splitName := flags.String("split", "eval", "messages to check: eval (FNV-1a hash of the text divisible by 5), train or all")
	policyDir := flags.String("policies", "", "policy directory or bundle (default: the embedded packs)")
	modelFile := flags.String("model", "", "content model file from msgfilter train (default: the shipped model)")
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
	opts := []filter.Option{filter.WithClock(func() time.Time { return corpus.At }), filter.WithModel(*modelFile)}
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
	if err := modelTable(ctx, engine, os.DirFS(*data), split, stdout); err != nil {
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

// modelThresholds are the columns of the model's threshold table.
var modelThresholds = []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// modelTable prints, per corpus and label of the split, the share of
// messages whose spam + fraud score in the engine's facts reaches each
// threshold: what global/spam-suspected flags on a transactional message
// at that spam_review (and global/fraud-suspected at most adds to it).
func modelTable(ctx context.Context, e *filter.Engine, data fs.FS, split corpus.Split, w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\nmodel\tlabel\tmsgs")
	for _, t := range modelThresholds {
		fmt.Fprintf(tw, "\t>=%.1f", t)
	}
	fmt.Fprintf(tw, "\t (share with spam+fraud at or above, %s split)\n", split)
	for _, src := range corpus.Sources() {
		ls, err := corpus.ReadLabelled(data, split, src.Name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			if strings.Contains(err.Error(), "no labelled corpus") {
				continue // a corpus without model classes (persian)
			}
			return err
		}
		type row struct{ n, over []int }
		byLabel := map[string]*row{}
		var labels []string
		for _, l := range ls {
			x, err := e.Explain(ctx, &filter.Message{Channel: filter.SMS, Kind: filter.Transactional,
				Sender: "ACMEINFO", Recipient: "+447911123456", Body: l.Text, Time: corpus.At})
			if err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				continue
			}
			r := byLabel[l.Label]
			if r == nil {
				r = &row{n: []int{0}, over: make([]int, len(modelThresholds))}
				byLabel[l.Label] = r
				labels = append(labels, l.Label)
			}
			r.n[0]++
			u := x.Facts.Content.Model.Unwanted
			for i, t := range modelThresholds {
				if u >= t {
					r.over[i]++
				}
			}
		}
		slices.Sort(labels)
		for _, label := range labels {
			r := byLabel[label]
			fmt.Fprintf(tw, "%s\t%s\t%d", src.Name, label, r.n[0])
			for _, o := range r.over {
				fmt.Fprintf(tw, "\t%.2f%%", 100*float64(o)/float64(r.n[0]))
			}
			fmt.Fprintln(tw, "\t")
		}
	}
	return tw.Flush()
}
