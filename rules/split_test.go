package rules_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/open-policy-agent/opa/v1/ast"
)

// evalParts is Eval part by part: every part of the query evaluated alone,
// the findings merged.
func evalParts(t *testing.T, set *rules.Set, cc, ch string, input ast.Value, now time.Time) ([]rules.Finding, error) {
	t.Helper()
	parts := set.Parts(cc, ch)
	lists := make([][]rules.Finding, len(parts))
	for i, p := range parts {
		fs, err := set.EvalPart(context.Background(), p, input, now)
		if err != nil {
			return nil, err
		}
		lists[i] = fs
	}
	return rules.MergeFindings(lists...), nil
}

// TestPartsEqualEval: with the shipped packs, the parts of every query,
// each evaluated alone and merged, give what the query gives, on the fact
// documents TestResidualEqualsWritten uses, for every destination and
// channel; and the global pack is split (the test is not vacuous).
func TestPartsEqualEval(t *testing.T) {
	ctx := context.Background()
	set, err := rules.Load(ctx, policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(set.Parts("", "")); n < 10 {
		t.Fatalf("the global pack has %d parts, want one per definition or group", n)
	}
	docs := factDocs(t, set)
	countries, channels := destinations(set)
	now := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
	findings := 0
	for _, cc := range countries {
		for _, ch := range channels {
			// Every destination on SMS, every channel to two: the
			// parts are evaluated one by one, four times the query.
			if ch != "sms" && cc != "gb" && cc != "jp" {
				continue
			}
			for _, d := range docs {
				if m, _ := d.doc["message"].(map[string]any); d.own && (m["country"] != strings.ToUpper(cc) || m["channel"] != ch) {
					continue
				}
				input := d.to(t, cc, ch)
				want, werr := set.Eval(ctx, cc, ch, input, now)
				got, gerr := evalParts(t, set, cc, ch, input, now)
				if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
					t.Errorf("%s/%s: %s:\nparts %+v, %v\nquery %+v, %v", cc, ch, d.name, got, gerr, want, werr)
				}
				findings += len(want)
			}
		}
	}
	if findings == 0 {
		t.Error("no findings: the comparison proves nothing")
	}
}

// splitSource is a policy source whose packs meet each other: a country
// rule that calls a global function and reports what a global rule
// reports (the union holds it once), two global rules that share a
// function (one part), a pack whose reasons is one complete rule (whole),
// a pack whose reasons is a complete rule of two definitions (whole: apart,
// the one that does not hold would be undefined), a rule that iterates,
// and a threshold read from the input.
func splitSource() fstest.MapFS {
	meta := func(id string) string {
		return "# METADATA\n# title: T\n# related_resources:\n#   - ref: https://example.org/a\n# custom:\n#   id: " + id + "\n#   effective: \"2026-01-01\"\n"
	}
	return fstest.MapFS{
		"global/global.rego": {Data: []byte(`package msgfilter.global

# With an else, partial evaluation keeps the function: both link rules
# call it.
risky(l) := s if {
	s := count(l.url)
	s > 0
} else := 0

` + meta("global/long-url") + `reasons contains r if {
	some l in input.links
	risky(l) > input.thresholds.url
	r := {"code": "SUSPICIOUS_LINK", "rule": "global/long-url", "evidence": l.url}
}

` + meta("global/long-url-review") + `reasons contains r if {
	some l in input.links
	risky(l) > 3
	r := {"code": "SUSPICIOUS_LINK", "rule": "global/long-url-review", "evidence": l.url, "action": "review"}
}

` + meta("global/sender") + `reasons contains r if {
	input.sender.kind == "alphanumeric"
	count(input.sender.raw) > 11
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/sender", "evidence": input.sender.raw}
}
`)},
		"countries/ae/ae.rego": {Data: []byte(`package msgfilter.countries.ae

` + meta("ae/url") + `reasons contains r if {
	some l in input.links
	data.msgfilter.global.risky(l) > data.countries.ae.max_url
	r := {"code": "URL_NOT_ALLOWED", "rule": "ae/url", "evidence": l.url}
}

# The global rule's finding, reported by the country as well.
` + meta("global/sender") + `reasons contains r if {
	input.sender.kind == "alphanumeric"
	count(input.sender.raw) > 11
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/sender", "evidence": input.sender.raw}
}
`)},
		"countries/ae/data.json": {Data: []byte(`{"max_url": 10}`)},
		"countries/fr/fr.rego": {Data: []byte(`package msgfilter.countries.fr

` + meta("fr/kind") + `reasons := {r |
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "fr/kind", "evidence": input.message.kind}
}
`)},
		"countries/de/de.rego": {Data: []byte(`package msgfilter.countries.de

` + meta("de/promotional") + `reasons := {r} if {
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "de/promotional", "evidence": "x"}
}

` + meta("de/transactional") + `reasons := {r} if {
	input.message.kind == "transactional"
	r := {"code": "SENDER_INVALID", "rule": "de/transactional", "evidence": "y"}
}
`)},
		"channels/sms/sms.rego": {Data: []byte(`package msgfilter.channels.sms

` + meta("sms/segments") + `reasons contains r if {
	input.message.segments > 3
	r := {"code": "TOO_LONG", "rule": "sms/segments", "evidence": "x"}
}
`)},
	}
}

// TestPartsAdversarial: on packs that meet each other, the parts give what
// the query gives, rules that share a function are one part, and a pack
// whose reasons is not a set of definitions is one part.
func TestPartsAdversarial(t *testing.T) {
	set := mustLoad(t, splitSource())
	names := func(cc, ch string) []string {
		var out []string
		for _, p := range set.Parts(cc, ch) {
			out = append(out, p.Name)
		}
		return out
	}
	if got, want := names("ae", "sms"), []string{"global#0", "global#1", "countries/ae#0", "countries/ae#1", "channels/sms#0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ae/sms parts %v, want %v (the global link rules share a function)", got, want)
	}
	if got, want := names("fr", ""), []string{"global#0", "global#1", "countries/fr#0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("fr parts %v, want %v (a complete reasons rule is whole)", got, want)
	}
	if got, want := names("de", ""), []string{"global#0", "global#1", "countries/de#0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("de parts %v, want %v (a complete reasons rule's definitions are whole)", got, want)
	}
	for _, p := range set.Parts("ae", "sms") {
		if p.Reads() == nil {
			t.Fatalf("part %s has no read program", p.Name)
		}
	}
	now := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
	var inputs []map[string]any
	for _, url := range []string{"", "https://a.example", "https://a-much-longer.example/path"} {
		for _, raw := range []string{"SHORT", "MUCHTOOLONGSENDER"} {
			for _, kind := range []string{"promotional", "transactional"} {
				for _, segs := range []float64{1, 5} {
					in := map[string]any{
						"message":    map[string]any{"kind": kind, "segments": segs},
						"sender":     map[string]any{"kind": "alphanumeric", "raw": raw},
						"thresholds": map[string]any{"url": 20.0},
						"links":      []any{},
					}
					if url != "" {
						in["links"] = []any{map[string]any{"url": url}, map[string]any{"url": url + "/2"}}
					}
					inputs = append(inputs, in)
				}
			}
		}
	}
	findings, twice := 0, 0
	for _, cc := range []string{"ae", "de", "fr", "jp"} {
		for _, ch := range []string{"sms", "viber"} {
			for _, in := range inputs {
				v, err := ast.InterfaceToValue(in)
				if err != nil {
					t.Fatal(err)
				}
				want, werr := set.Eval(context.Background(), cc, ch, v, now)
				got, gerr := evalParts(t, set, cc, ch, v, now)
				if werr != nil || gerr != nil || !reflect.DeepEqual(got, want) {
					t.Errorf("%s/%s %v:\nparts %+v, %v\nquery %+v, %v", cc, ch, in, got, gerr, want, werr)
				}
				findings += len(want)
				if cc == "ae" && in["sender"].(map[string]any)["raw"] == "MUCHTOOLONGSENDER" {
					twice++ // reported by two packs, once in the union
				}
			}
		}
	}
	if findings == 0 || twice == 0 {
		t.Fatalf("%d findings, %d inputs reported by two packs: the comparison proves nothing", findings, twice)
	}
}

// TestMergeFindings: sorted by rule, evidence and the rest; equal findings
// once; lists left as they are apart from the order of the only one.
func TestMergeFindings(t *testing.T) {
	a := rules.Finding{Code: "X", Rule: "r/a", Evidence: "1"}
	b := rules.Finding{Code: "X", Rule: "r/a", Evidence: "2"}
	c := rules.Finding{Code: "Y", Rule: "r/a", Evidence: "2"}
	d := rules.Finding{Code: "X", Rule: "r/b", Evidence: "0", Action: "review"}
	for _, tt := range []struct {
		name  string
		lists [][]rules.Finding
		want  []rules.Finding
	}{
		{"none", nil, nil},
		{"empty lists", [][]rules.Finding{nil, {}}, nil},
		{"one list sorted", [][]rules.Finding{{d, c, a, b}}, []rules.Finding{a, b, c, d}},
		{"two lists merged", [][]rules.Finding{{d, b}, {c, a}}, []rules.Finding{a, b, c, d}},
		{"a finding in two lists once", [][]rules.Finding{{a, d}, {d, b}}, []rules.Finding{a, b, d}},
		{"code tells apart", [][]rules.Finding{{c}, {b}}, []rules.Finding{b, c}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := rules.MergeFindings(tt.lists...); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("MergeFindings = %+v, want %+v", got, tt.want)
			}
		})
	}
}
