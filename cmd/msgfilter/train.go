package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/model"
)

// runTrain trains a content model and writes it to -o. With -data, the
// default training set is included: the train split of the permissively
// licensed corpora found there (UCI, Mendeley, Thai; never Smishtank or the
// Indonesian set) and the synthetic business ham the model package embeds.
// Each argument is a file of labelled lines, the user's own traffic: with
// them, train cross-validates inside those lines (model.TrainUser) and
// prints what they support out of fold, per label and threshold, before
// the model is deployed; -max-ham calibrates the model on them. The same
// inputs give a byte-identical model.
func runTrain(ctx context.Context, args []string, stdout, _ io.Writer) error {
	flags := newVerb("train", "train -o MODEL [-data DIR] [-user-weight W] [-max-ham SHARE] [-folds K] [LABELLED.jsonl ...]",
		"Trains a content model on labelled lines ({\"body\": ..., \"label\": \"ham|spam|fraud\"}),\nwith -data the default training set too, and writes it to MODEL.\nWith labelled lines it prints their out-of-fold table (K-fold cross-validation\ninside them): the share of each label whose spam + fraud score reaches each\nthreshold, what the lines support before you deploy the model.\nThe same inputs give the same bytes.")
	out := flags.String("o", "", "model file to write (required)")
	data := flags.String("data", "", "directory holding the default corpora: include the default training set (their train split and the synthetic business ham)")
	weight := flags.Float64("user-weight", 1, "weight of each labelled line against the default training set")
	maxHam := flags.Float64("max-ham", model.DefaultMaxHam, "calibrate: lower the model's scores until at most this share of the labelled ham reaches 0.5 out of fold (0.01 = 1 %; 1 leaves them as trained)")
	folds := flags.Int("folds", model.DefaultFolds, "cross-validation folds inside the labelled lines")
	files, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if *out == "" {
		return flags.usageErr("train needs -o MODEL")
	}
	for _, name := range []string{"user-weight", "max-ham", "folds"} {
		if len(files) == 0 && flags.isSet(name) {
			return flags.usageErr("-%s applies to labelled lines; none given", name)
		}
	}
	var (
		base, user []model.Example
		sources    []string
	)
	if *data != "" {
		ls, err := corpus.ReadLabelled(os.DirFS(*data), corpus.Train, corpus.ModelCorpora...)
		if err != nil {
			return err
		}
		for _, l := range ls {
			c, err := model.ParseClass(l.Class)
			if err != nil {
				return err
			}
			base = append(base, model.Example{Text: l.Text, Class: c})
		}
		ham := model.BusinessHam()
		base = append(base, ham...)
		sources = append(sources, "train split of "+strings.Join(corpus.ModelCorpora, ", "), fmt.Sprintf("%d synthetic business ham", len(ham)))
	}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		more, err := model.ReadExamples(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		user = append(user, more...)
		sources = append(sources, fmt.Sprintf("%d labelled lines", len(more)))
	}
	if len(base)+len(user) == 0 {
		return flags.usageErr("nothing to train on (give -data DIR or labelled files)")
	}
	info := fmt.Sprintf("msgfilter train: %d examples (%s)", len(base)+len(user), strings.Join(sources, "; "))
	var (
		m   *model.Model
		fit *model.UserFit
	)
	if len(user) == 0 {
		m, err = model.Train(ctx, base, model.WithInfo(info))
	} else {
		if *weight != 1 {
			info += fmt.Sprintf("; labelled lines weighted %g", *weight)
		}
		m, fit, err = model.TrainUser(ctx, base, user, model.WithInfo(info),
			model.WithUserWeight(*weight), model.WithMaxHam(*maxHam), model.WithFolds(*folds))
	}
	if err != nil {
		return err
	}
	b, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s, %d bytes\n", *out, m.Info(), len(b))
	if fit != nil {
		writeFit(stdout, user, fit)
	}
	return nil
}

// trainThresholds are the columns of train's out-of-fold table: the
// global pack's review (0.5) and block (0.9) thresholds and those around.
var trainThresholds = []float64{0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// writeFit prints what the labelled lines support out of fold: per label,
// the share whose spam + fraud score reaches each threshold (for ham, the
// false positives; for spam and fraud, the catches), and the share whose
// fraud score alone reaches 0.9, the global pack's block threshold.
func writeFit(w io.Writer, user []model.Example, fit *model.UserFit) {
	if fit.Folds == 0 {
		fmt.Fprintf(w, "no out-of-fold table: cross-validation needs at least as many ham lines, and spam and fraud lines, as folds\n")
		return
	}
	fmt.Fprintf(w, "out of fold (%d folds inside the labelled lines, each scored by a model trained without it):\n", fit.Folds)
	if fit.Shift != 0 {
		fmt.Fprintf(w, "calibrated: logits %+.3f, labelled ham at 0.5 %.2f %% -> at most %.2f %%\n", fit.Shift, 100*fit.HamBefore, 100*fit.MaxHam)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "label\tn\t")
	for _, th := range trainThresholds {
		fmt.Fprintf(tw, "%.1f\t", th)
	}
	fmt.Fprint(tw, "fraud>=0.9\t\n")
	for c := model.Ham; c <= model.Fraud; c++ {
		n, fraud := 0, 0
		reach := make([]int, len(trainThresholds))
		for i, e := range user {
			if e.Class != c {
				continue
			}
			n++
			s := fit.OutOfFold[i]
			for j, th := range trainThresholds {
				if s.Spam+s.Fraud >= th {
					reach[j]++
				}
			}
			if s.Fraud >= 0.9 {
				fraud++
			}
		}
		if n == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t", c, n)
		for _, r := range reach {
			fmt.Fprintf(tw, "%.2f%%\t", 100*float64(r)/float64(n))
		}
		fmt.Fprintf(tw, "%.2f%%\t\n", 100*float64(fraud)/float64(n))
	}
	tw.Flush()
}
