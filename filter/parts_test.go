package filter

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestPartFindingsCached: the corpus facts documents, each also changed in
// one fact at a time, sent to several destinations on every channel, one
// after another through one fact cache, are decided part by part
// (evaluateParts: findings of a part from the cache when its key was seen,
// none when its guards all fail) exactly as the destination's union query
// decides them. The cache is shared across documents, destinations and
// channels, so a part key that missed a fact its part reads, or let one
// part's findings stand for another's, gives another decision here. It
// also requires that some decisions come from cached findings alone and
// that some parts are evaluated (the test is not vacuous).
func TestPartFindingsCached(t *testing.T) {
	stride := 8
	if raceEnabled {
		stride = 32
	}
	_, docs := corpusFacts(t)
	e := newEngine(t)
	changes := []func(f *Facts){
		func(f *Facts) {},
		func(f *Facts) { f.Sender.Raw += "9" },
		func(f *Facts) { f.Content.Model.Fraud = min(f.Content.Model.Fraud+0.2, 1) },
		func(f *Facts) { f.Content.Model.Spam = min(f.Content.Model.Spam+0.2, 1) },
		func(f *Facts) { f.Message.Kind = Promotional },
		func(f *Facts) { f.Message.Segments += 3 },
		func(f *Facts) { f.Time.QuietUntil = QuietUntil{"promotional": "2026-11-25T08:00:00+04:00"} },
		func(f *Facts) {
			f.Links = append([]LinkFacts(nil), f.Links...)
			for i := range f.Links {
				f.Links[i].URL += "x"
			}
		},
		func(f *Facts) {
			f.Links = []LinkFacts{{URL: "http://198.51.100.7/pay", Host: "198.51.100.7", IPLiteral: true}}
		},
	}
	var all []Facts
	for i := 0; i < len(docs); i += stride {
		for _, change := range changes {
			f := docs[i]
			change(&f)
			all = append(all, f)
		}
	}
	fromCache, evaluated, findings := partsEqualQuery(t, e, all, "US", "IN", "AE", "GB")
	t.Logf("%d decisions from cached findings alone, %d evaluated in part, %d findings", fromCache, evaluated, findings)
	if fromCache < 1000 || evaluated < 50 || findings == 0 {
		t.Fatal("too few of each kind: the comparison proves little")
	}
}

// partsEqualQuery decides each of docs, for its own destination and each
// of dests on every channel, part by part through e's fact cache, and
// fails unless the findings are the union query's. It returns how many
// decisions came from cached findings alone, how many evaluated a part,
// and the findings.
func partsEqualQuery(t *testing.T, e *Engine, docs []Facts, dests ...string) (fromCache, evaluated, findings int) {
	t.Helper()
	p := e.policy.Load()
	ctx := context.Background()
	now := testNow.Truncate(time.Minute)
	for i, f := range docs {
		for _, dest := range append([]string{f.Message.Country}, dests...) {
			for _, ch := range channels {
				c := check{e: e, p: p, dest: dest, facts: f, msg: Message{Channel: ch}}
				if !c.readKey() || c.plan == nil {
					t.Fatalf("%s/%s: no parts", dest, ch)
				}
				cached, err := c.evaluateParts(ctx, now)
				if err != nil {
					t.Fatal(err)
				}
				want, err := p.set.Eval(ctx, strings.ToLower(dest), string(ch), f.walk(walker{build: true}), now)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(c.findings, want) {
					t.Fatalf("%s/%s, document %d: part by part\n%+v\nwant\n%+v", dest, ch, i, c.findings, want)
				}
				if cached {
					fromCache++
				} else {
					evaluated++
				}
				findings += len(want)
			}
		}
	}
	return fromCache, evaluated, findings
}

// firePolicy has a rule that fires on any element of an iteration, and
// one behind a comparison Go leaves to OPA (the order of two strings).
var firePolicy = fstest.MapFS{"global/global.rego": {Data: []byte(`package msgfilter.global

# METADATA
# title: Phishing link
# related_resources:
#   - ref: https://example.org/c
# custom:
#   id: global/c
#   effective: "2026-01-01"
reasons contains r if {
	some l in input.links
	l.phishing
	r := {"code": "PHISHING_DOMAIN", "rule": "global/c", "evidence": l.url}
}

# METADATA
# title: Late sender
# related_resources:
#   - ref: https://example.org/d
# custom:
#   id: global/d
#   effective: "2026-01-01"
reasons contains r if {
	input.sender.raw > "M"
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/d", "evidence": input.sender.raw}
}
`)}}

// TestPartsFire: a part can fire by any element of an iteration, and past
// a guard Go does not decide; part by part, the findings are the query's
// (the part is not taken for one that cannot fire).
func TestPartsFire(t *testing.T) {
	e := newEngine(t, WithPolicies(firePolicy))
	var docs []Facts
	for _, links := range [][]LinkFacts{
		nil,
		{{URL: "https://a.example/1"}, {URL: "https://p.example/2", Phishing: true}},
		{{URL: "https://p.example/3", Phishing: true}, {URL: "https://a.example/4"}},
		{{URL: "https://a.example/5"}, {URL: "https://a.example/6"}},
	} {
		for _, raw := range []string{"ALPHA", "ZULU"} {
			f := Facts{Schema: FactsSchema, Links: links}
			f.Message = MessageFacts{Channel: SMS, Kind: Transactional, Country: "AE"}
			f.Sender.Kind, f.Sender.Raw = "alphanumeric", raw
			docs = append(docs, f)
		}
	}
	_, _, findings := partsEqualQuery(t, e, docs)
	if findings == 0 {
		t.Fatal("no findings: the comparison proves nothing")
	}
}
