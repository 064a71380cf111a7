package filter

import (
	"context"
	"reflect"
	"strings"
	"testing"
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
	p := e.policy.Load()
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
	ctx := context.Background()
	now := testNow.Truncate(time.Minute)
	fromCache, evaluated, findings := 0, 0, 0
	for i := 0; i < len(docs); i += stride {
		for _, change := range changes {
			f := docs[i]
			change(&f)
			for _, dest := range []string{f.Message.Country, "US", "IN", "AE", "GB"} {
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
	}
	t.Logf("%d decisions from cached findings alone, %d evaluated in part, %d findings", fromCache, evaluated, findings)
	if fromCache < 1000 || evaluated < 50 || findings == 0 {
		t.Fatal("too few of each kind: the comparison proves little")
	}
}
