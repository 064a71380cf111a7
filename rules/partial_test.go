package rules_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/server/config"
	"github.com/open-policy-agent/opa/v1/ast"
)

// factDoc is a facts document as decoded JSON, so that it can be sent to
// another destination and channel.
type factDoc struct {
	name string
	doc  map[string]any
	own  bool // evaluated only on its own destination and channel
}

// to returns the document with the destination and channel set.
func (f factDoc) to(t testing.TB, country, channel string) ast.Value {
	t.Helper()
	doc := make(map[string]any, len(f.doc))
	for k, v := range f.doc {
		doc[k] = v
	}
	msg := map[string]any{}
	if m, ok := f.doc["message"].(map[string]any); ok {
		for k, v := range m {
			msg[k] = v
		}
	}
	msg["country"], msg["channel"] = strings.ToUpper(country), channel
	doc["message"] = msg
	v, err := ast.InterfaceToValue(doc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func decodeDoc(t testing.TB, name string, b []byte) factDoc {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return factDoc{name: name, doc: doc}
}

// destinations returns the set's country packs and a country without one
// ("jp"), and its channel packs: the pairs the residual and part tests
// evaluate.
func destinations(set *rules.Set) (countries, channels []string) {
	countries = []string{"jp"}
	for _, p := range set.Packs() {
		switch p.Kind {
		case rules.KindCountry:
			countries = append(countries, p.Code)
		case rules.KindChannel:
			channels = append(channels, p.Code)
		}
	}
	return countries, channels
}

// factDocs returns real facts: the engine's facts of the golden cases and
// of content-rich messages (testdata/eval_facts.jsonl), the inputs the
// packs' Rego tests give, and, when ../../shared/data holds the corpora, the
// engine's facts of a sample of their training split sent as promotional
// (compared on their own destination only, to keep the test short).
func factDocs(t *testing.T, set *rules.Set) []factDoc {
	t.Helper()
	var docs []factDoc
	rich, err := os.ReadFile("testdata/eval_facts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range bytes.Split(bytes.TrimSpace(rich), []byte("\n")) {
		docs = append(docs, decodeDoc(t, "eval_facts.jsonl:"+string(rune('1'+i)), line))
	}
	for i, v := range set.TestInputs() {
		docs = append(docs, decodeDoc(t, "rego test input "+string(rune('0'+i%10)), []byte(v.String())))
	}
	ctx := context.Background()
	e := goldenEngine(t)
	explain := func(name string, m *filter.Message, own bool) {
		x, err := e.Explain(ctx, m)
		if err != nil || x.Facts.Message.Country == "" {
			return // refused before the policies: no facts
		}
		b, err := json.Marshal(x.Facts)
		if err != nil {
			t.Fatal(err)
		}
		d := decodeDoc(t, name, b)
		d.own = own
		docs = append(docs, d)
	}
	files, _ := fs.Glob(policies.FS, "cases/*.jsonl")
	for _, file := range files {
		b, _ := fs.ReadFile(policies.FS, file)
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := bytes.TrimSpace(sc.Bytes())
			if len(line) == 0 || line[0] == '#' {
				continue
			}
			var c struct {
				Name    string         `json:"name"`
				Message filter.Message `json:"message"`
			}
			if err := json.Unmarshal(line, &c); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			explain(c.Name, &c.Message, false)
		}
	}
	data := filepath.Join("..", "..", "shared", "data")
	when := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC) // inside every pack's promotional hours
	for _, src := range corpus.Sources() {
		ms, err := src.Read(os.DirFS(data))
		if err != nil {
			continue // absent from a user's clone
		}
		n := 0
		for i, m := range ms {
			if !corpus.Train.Contains(m.Text) || i%23 != 0 {
				continue
			}
			if n++; n > 40 {
				break
			}
			cc := src.Countries[n%len(src.Countries)]
			explain(src.Name+" "+m.Label, &filter.Message{
				Channel: "sms", Kind: "promotional", Sender: "ACMEINFO", Recipient: corpusRecipients[cc],
				Body: m.Text, Time: when,
			}, true)
		}
	}
	return docs
}

// corpusRecipients are mobile numbers of the corpora's destinations.
var corpusRecipients = map[string]string{
	"GB": "+447400123456", "US": "+14155552671", "AE": "+971501234567",
	"TH": "+66812345678", "ID": "+6281234567890", "IR": "+989121234567",
}

// goldenEngine is the engine "msgfilter test" runs the golden cases on.
func goldenEngine(t *testing.T) *filter.Engine {
	t.Helper()
	opts := []filter.Option{filter.WithPolicies(policies.FS), filter.WithStore(nil), filter.WithCacheSizes(-1, -1)}
	b, err := fs.ReadFile(policies.FS, "cases/tenants.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse("cases/tenants.yaml", b)
	if err != nil {
		t.Fatal(err)
	}
	e, err := filter.New(append(opts, cfg.TenantOptions()...)...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestResidualEqualsWritten evaluates real facts sent to every destination
// pack (and one without a pack) on every channel with the queries of the
// residual rules and with queries of the written rules: the findings,
// evidence and citations must be the same.
func TestResidualEqualsWritten(t *testing.T) {
	ctx := context.Background()
	set, err := rules.Load(ctx, policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := set.ResidualPacks(), set.ReasonsPacks(); got != want || want < 30 {
		t.Fatalf("%d packs evaluated as residual rules, want all %d", got, want)
	}
	docs := factDocs(t, set)
	countries, channels := destinations(set)
	now := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
	findings, pairs := 0, 0
	for _, cc := range countries {
		for _, ch := range channels {
			// The race detector makes this ten times slower: there, every
			// destination on SMS and every channel to two destinations.
			if raceEnabled && ch != "sms" && cc != "gb" && cc != "jp" {
				continue
			}
			pairs++
			for _, d := range docs {
				if m, _ := d.doc["message"].(map[string]any); d.own && (m["country"] != strings.ToUpper(cc) || m["channel"] != ch) {
					continue
				}
				input := d.to(t, cc, ch)
				want, werr := set.EvalWritten(ctx, cc, ch, input, now)
				got, gerr := set.Eval(ctx, cc, ch, input, now)
				if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
					t.Errorf("%s/%s: %s:\nresidual %+v, %v\nwritten  %+v, %v", cc, ch, d.name, got, gerr, want, werr)
				}
				findings += len(want)
			}
		}
	}
	t.Logf("%d fact documents on %d pairs, %d findings", len(docs), pairs, findings)
	if findings == 0 {
		t.Error("no findings: the comparison proves nothing")
	}
}
