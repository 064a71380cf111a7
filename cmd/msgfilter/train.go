package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/model"
)

// runTrain trains a content model and writes it to -o. With -data, the
// default training set is included: the train split of the permissively
// licensed corpora found there (UCI, Mendeley, Thai; never Smishtank or the
// Indonesian set) and the synthetic business ham the model package embeds.
// Each argument is a file of labelled lines. The same inputs give a
// byte-identical model.
func runTrain(ctx context.Context, args []string, stdout, _ io.Writer) error {
	flags := newVerb("train", "train -o MODEL [-data DIR] [LABELLED.jsonl ...]",
		"Trains a content model on labelled lines ({\"body\": ..., \"label\": \"ham|spam|fraud\"}),\nwith -data the default training set too, and writes it to MODEL.\nThe same inputs give the same bytes.")
	out := flags.String("o", "", "model file to write (required)")
	data := flags.String("data", "", "directory holding the default corpora: include the default training set (their train split and the synthetic business ham)")
	files, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	if *out == "" {
		return flags.usageErr("train needs -o MODEL")
	}
	var (
		ex      []model.Example
		sources []string
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
			ex = append(ex, model.Example{Text: l.Text, Class: c})
		}
		ham := model.BusinessHam()
		ex = append(ex, ham...)
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
		ex = append(ex, more...)
		sources = append(sources, fmt.Sprintf("%d labelled lines", len(more)))
	}
	if len(ex) == 0 {
		return flags.usageErr("nothing to train on (give -data DIR or labelled files)")
	}
	info := fmt.Sprintf("msgfilter train: %d examples (%s)", len(ex), strings.Join(sources, "; "))
	m, err := model.Train(ctx, ex, model.WithInfo(info))
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
	fmt.Fprintf(stdout, "%s: %s, %d bytes\n", *out, info, len(b))
	return nil
}
