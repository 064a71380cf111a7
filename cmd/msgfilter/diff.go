package main

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

const diffSummary = `Decides every message of the traffic (JSON lines, as check reads them; FILE or
stdin) with both policy sources and reports what would change: transitions
(allow -> block, ...) counted by reason code (+CODE appears in the new decision,
-CODE disappears from it), destination country and tenant, with examples. A
message whose action stays the same but whose codes change is reported too.
Both engines see the same clock (each message's time; a message without one
gets the run's start time) and no conversation store, so only the policies differ.`

// defaultDiffExamples is how many examples each transition keeps.
const defaultDiffExamples = 3

func runDiff(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	flags := newVerb("diff", "diff -old DIR|BUNDLE -new DIR|BUNDLE [-json] [-examples N] [FILE|-]", diffSummary)
	oldPath := flags.String("old", "", "the live policies: directory or bundle (required)")
	newPath := flags.String("new", "", "the candidate policies: directory or bundle (required)")
	asJSON := flags.Bool("json", false, "print the report as one JSON object")
	examples := flags.Int("examples", defaultDiffExamples, "examples kept per transition")
	rest, err := flags.parse(args, stdout)
	if err != nil {
		return err
	}
	switch {
	case *oldPath == "" || *newPath == "":
		return flags.usageErr("diff needs -old and -new")
	case len(rest) > 1:
		return flags.usageErr("diff takes one traffic file")
	case *examples < 0:
		return flags.usageErr("-examples must be 0 or more")
	}
	in := stdin
	if len(rest) == 1 && rest[0] != "-" {
		f, err := os.Open(rest[0])
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	start := time.Now().UTC()
	var engines [2]*filter.Engine
	for i, path := range []string{*oldPath, *newPath} {
		src, err := openPolicies(path, nil)
		if err != nil {
			return err
		}
		engines[i], err = filter.New(
			filter.WithPolicies(src),
			filter.WithClock(func() time.Time { return start }),
			filter.WithStore(nil),
			filter.WithCacheSizes(-1, -1),
		)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	rep, err := diffTraffic(ctx, engines[0], engines[1], in, *examples)
	if err != nil {
		return err
	}
	if rep.OldRevision == rep.NewRevision {
		fmt.Fprintf(stderr, "msgfilter diff: -old and -new have the same revision %s: nothing can differ\n", rep.OldRevision)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.write(stdout)
}

// diffReport is diff's result; its JSON form is diff -json's output.
type diffReport struct {
	OldRevision string `json:"old_revision"`
	NewRevision string `json:"new_revision"`
	Messages    int    `json:"messages"` // input lines
	Changed     int    `json:"changed"`
	Invalid     int    `json:"invalid"` // lines neither engine could decide, with the same error
	// Transitions has one entry per (from, to) pair that occurred, most
	// frequent first.
	Transitions []*transition `json:"transitions"`
}

// transition counts the messages whose decision went From → To.
type transition struct {
	From      string         `json:"from"` // an action, or "error"
	To        string         `json:"to"`
	Count     int            `json:"count"`
	Codes     map[string]int `json:"codes"` // "+CODE" added, "-CODE" removed
	Countries map[string]int `json:"countries"`
	Tenants   map[string]int `json:"tenants"`
	Examples  []diffExample  `json:"examples"`
}

type diffExample struct {
	Line int     `json:"line"`
	ID   string  `json:"id"`
	Old  outcome `json:"old"`
	New  outcome `json:"new"`
}

// outcome is one engine's answer for a message, reduced to what is compared.
type outcome struct {
	Action string   `json:"action"` // "error" when the engine could not decide
	Codes  []string `json:"codes,omitempty"`
	Error  string   `json:"error,omitempty"`
}

func (o outcome) equal(p outcome) bool {
	return o.Action == p.Action && slices.Equal(o.Codes, p.Codes) && o.Error == p.Error
}

func (o outcome) String() string {
	if o.Action == "error" {
		return "error (" + o.Error + ")"
	}
	return fmt.Sprintf("%s [%s]", o.Action, strings.Join(o.Codes, " "))
}

// diffTraffic decides each line of in with both engines and tallies the
// differences.
func diffTraffic(ctx context.Context, old, cand *filter.Engine, in io.Reader, examples int) (*diffReport, error) {
	rep := &diffReport{OldRevision: old.Revision(), NewRevision: cand.Revision(), Transitions: []*transition{}}
	byPair := map[[2]string]*transition{}
	r := bufio.NewReaderSize(in, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !errors.Is(err, errLineTooLong) {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rep.Messages++
		line = bytes.TrimSpace(line)
		if err != nil || len(line) == 0 {
			rep.Invalid++
			continue
		}
		m, err := filter.DecodeMessage(line) // as check and serve read it
		if err != nil {
			rep.Invalid++ // unreadable for both: the policies play no part
			continue
		}
		// Each engine gets its own copy: Check may fill defaults in.
		m1, m2 := *m, *m
		o1, o2 := decideOutcome(ctx, old, &m1), decideOutcome(ctx, cand, &m2)
		if o1.equal(o2) {
			if o1.Action == "error" {
				rep.Invalid++
			}
			continue
		}
		rep.Changed++
		key := [2]string{o1.Action, o2.Action}
		t := byPair[key]
		if t == nil {
			t = &transition{From: o1.Action, To: o2.Action, Codes: map[string]int{}, Countries: map[string]int{}, Tenants: map[string]int{}}
			byPair[key] = t
			rep.Transitions = append(rep.Transitions, t)
		}
		t.Count++
		for _, c := range o2.Codes {
			if !slices.Contains(o1.Codes, c) {
				t.Codes["+"+c]++
			}
		}
		for _, c := range o1.Codes {
			if !slices.Contains(o2.Codes, c) {
				t.Codes["-"+c]++
			}
		}
		country, tenant := routeOf(line)
		t.Countries[country]++
		t.Tenants[tenant]++
		if len(t.Examples) < examples {
			t.Examples = append(t.Examples, diffExample{Line: n, ID: m.ID, Old: o1, New: o2})
		}
	}
	slices.SortStableFunc(rep.Transitions, func(a, b *transition) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.From, b.From), strings.Compare(a.To, b.To))
	})
	return rep, nil
}

func decideOutcome(ctx context.Context, e *filter.Engine, m *filter.Message) outcome {
	d, err := e.Check(ctx, m)
	if err != nil {
		return outcome{Action: "error", Error: err.Error()}
	}
	o := outcome{Action: string(d.Action)}
	for _, c := range codesOf(d) {
		o.Codes = append(o.Codes, string(c))
	}
	return o
}

func (rep *diffReport) write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "diff: %d messages, %d changed, %d undecidable by both\n", rep.Messages, rep.Changed, rep.Invalid)
	fmt.Fprintf(bw, "revisions: old %s, new %s\n", rep.OldRevision, rep.NewRevision)
	for _, t := range rep.Transitions {
		fmt.Fprintf(bw, "\n%s -> %s: %d\n", t.From, t.To, t.Count)
		for _, part := range []struct {
			name   string
			counts map[string]int
		}{{"code", t.Codes}, {"country", t.Countries}, {"tenant", t.Tenants}} {
			var items []string
			for _, k := range byCount(part.counts) {
				items = append(items, fmt.Sprintf("%s %d", k, part.counts[k]))
			}
			if len(items) == 0 {
				items = []string{"-"}
			}
			fmt.Fprintf(bw, "  by %-8s %s\n", part.name+":", strings.Join(items, ", "))
		}
		for _, ex := range t.Examples {
			fmt.Fprintf(bw, "  line %d id %q: %s -> %s\n", ex.Line, ex.ID, ex.Old, ex.New)
		}
	}
	return bw.Flush()
}
