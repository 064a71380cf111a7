package main

// Rules over the model's scores (policies/global/model.rego) are weighed on
// the train split through the whole engine: each message checked by an
// engine whose model did not train on it. Run:
//
//	go test -run EvalEngine -v ./cmd/msgfilter
//
// MSGFILTER_FACTS=FILE also writes each check's facts and reasons as JSON
// lines, to weigh a candidate rule offline before writing it. The eval
// split is not read.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/model"
)

// trainSplit returns the train split of the model's corpora and the
// synthetic business ham as labelled messages, or skips without the data.
func trainSplit(t *testing.T) []corpus.Labelled {
	t.Helper()
	dir := os.Getenv("MSGFILTER_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	ls, err := corpus.ReadLabelled(os.DirFS(dir), corpus.Train, corpus.ModelCorpora...)
	if err != nil {
		t.Skipf("corpora not present in %s: %v", dir, err)
	}
	for _, e := range model.BusinessHam() {
		ls = append(ls, corpus.Labelled{Corpus: "synthetic", Label: "business ham", Class: "ham", Text: e.Text})
	}
	return ls
}

// foldOf is internal/model's cross-validation fold (eval_test.go): a hash
// of the text independent of the eval split's.
func foldOf(text string) int {
	const k = 5
	h := uint32(0x12345678)
	for i := 0; i < len(text); i++ {
		h = (h ^ uint32(text[i])) * 16777619
	}
	return int(h % k)
}

// engineChecker checks held-out messages with engines trained on the rest,
// tallies them per corpus and label, and writes the facts to
// MSGFILTER_FACTS when it is set.
type engineChecker struct {
	t    *testing.T
	rows map[[2]string]*corpus.Row
	keys [][2]string
	enc  *json.Encoder
}

func newEngineChecker(t *testing.T) *engineChecker {
	t.Helper()
	c := &engineChecker{t: t, rows: map[[2]string]*corpus.Row{}}
	if name := os.Getenv("MSGFILTER_FACTS"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		c.enc = json.NewEncoder(f)
	}
	return c
}

// destinations of the train split's corpora, as "msgfilter eval" sends
// them (the first of each corpus's destinations).
var destinations = map[string][2]string{
	"uci": {"GB", "+447400123456"}, "mendeley": {"US", "+14155552671"},
	"thai": {"TH", "+66812345678"}, "synthetic": {"US", "+14155552671"},
}

// check trains a model on train and checks every message of held with it.
func (c *engineChecker) check(train []corpus.Labelled, held []corpus.Labelled) {
	t := c.t
	t.Helper()
	ex := make([]model.Example, 0, len(train))
	for _, l := range train {
		cl, err := model.ParseClass(l.Class)
		if err != nil {
			t.Fatal(err)
		}
		ex = append(ex, model.Example{Text: l.Text, Class: cl})
	}
	m, err := model.Train(context.Background(), ex)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "held-out.model")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := filter.New(filter.WithClock(func() time.Time { return corpus.At }), filter.WithModel(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range held {
		dest := destinations[l.Corpus]
		x, err := e.Explain(context.Background(), &filter.Message{Channel: filter.SMS, Kind: filter.Transactional,
			Country: dest[0], Sender: "ACMEINFO", Recipient: dest[1], Body: l.Text, Time: corpus.At})
		if err != nil {
			t.Fatalf("%q: %v", l.Text, err)
		}
		k := [2]string{l.Corpus, l.Label}
		row := c.rows[k]
		if row == nil {
			row = &corpus.Row{Corpus: l.Corpus, Country: dest[0], Label: l.Label, Codes: map[string]int{}}
			c.rows[k] = row
			c.keys = append(c.keys, k)
		}
		row.Messages++
		if x.Decision.Action != filter.Allow {
			row.Flagged++
		}
		codes := map[string]bool{}
		for _, r := range x.Decision.Reasons {
			codes[string(r.Code)] = true
		}
		for code := range codes {
			row.Codes[code]++
			if corpus.IsContent(code) {
				row.Content++
			}
		}
		if c.enc != nil {
			if err := c.enc.Encode(map[string]any{"corpus": l.Corpus, "label": l.Label, "class": l.Class, "text": l.Text,
				"action": x.Decision.Action, "reasons": x.Decision.Reasons, "content": x.Facts.Content, "links": x.Facts.Links}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func (c *engineChecker) report() {
	t := c.t
	t.Helper()
	slices.SortFunc(c.keys, func(a, b [2]string) int {
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	})
	rep := &corpus.Report{Split: corpus.Train}
	for _, k := range c.keys {
		rep.Rows = append(rep.Rows, *c.rows[k])
	}
	var b strings.Builder
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + b.String())
}

// TestEvalEngineFolds checks every train-split message (and the synthetic
// business ham) through the engine with a model trained on the other four
// of five folds: what the rules decide on text the model did not see.
func TestEvalEngineFolds(t *testing.T) {
	ls := trainSplit(t)
	c := newEngineChecker(t)
	for i := range 5 {
		var train, held []corpus.Labelled
		for _, l := range ls {
			if foldOf(l.Text) == i {
				held = append(held, l)
			} else {
				train = append(train, l)
			}
		}
		c.check(train, held)
	}
	c.report()
}

// TestEvalEngineZeroShot checks each of Mendeley and Thai (train split)
// through the engine with a model trained on the other corpora and the
// business ham: the stand-ins for smishing and languages the model never
// saw (internal/model's TestEvalZeroShot, with the rules). Messages with a
// link are counted apart, since link rules are what Smishtank needs.
func TestEvalEngineZeroShot(t *testing.T) {
	ls := trainSplit(t)
	c := newEngineChecker(t)
	for _, out := range []string{"mendeley", "thai"} {
		train, held := corpus.HoldOut(ls, out)
		c.check(train, held)
	}
	c.report()
}
