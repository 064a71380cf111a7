package filter

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/msgfilter/msgfilter/rules"
)

// TestFactsValueMatchesJSON holds Facts.walk to what decoding the facts'
// JSON gives, for every message of the test corpus: rules must see the
// document policies/README.md documents.
func TestFactsValueMatchesJSON(t *testing.T) {
	e := newEngine(t, WithCacheSizes(-1, -1))
	registered, unregistered := true, false
	extra := Facts{Schema: FactsSchema}
	extra.Sender.Registered = &registered
	extra.Source = SourceFacts{Present: true, Blocked: true, IP: "203.0.113.9"}
	extra.Links = []LinkFacts{{SenderRegistered: &unregistered}}
	extra.Conversation.SameSubject = SameSubjectFacts{Count: 3, Reopens: "2026-03-11T12:00:00-04:00"}
	extra.Content.PhoneNumbers = []PhoneNumberFacts{{Text: "04 123 4567", E164: "+97141234567", Region: "AE"}}
	checked := 0
	facts := []Facts{extra}
	for _, m := range corpusMessages(t) {
		x, err := e.Explain(context.Background(), &m)
		if err != nil {
			continue
		}
		facts = append(facts, x.Facts)
	}
	for i := range facts {
		f := &facts[i]
		encoded, err := json.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ast.ValueFromReader(bytes.NewReader(encoded))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.walk(walker{build: true}); got.Compare(want) != 0 {
			t.Fatalf("facts value\n%v\nwant (from JSON)\n%v", got, want)
		}
		checked++
	}
	if checked < 100 {
		t.Fatalf("only %d facts documents compared", checked)
	}
}

// TestFactKeyFollowsValue: the fact cache's key, hashed by the walk that
// builds OPA's input, is equal for equal inputs and differs for different
// ones, over every facts document of the test corpus.
func TestFactKeyFollowsValue(t *testing.T) {
	e := newEngine(t, WithCacheSizes(Off, Off))
	byKey := map[cacheKey]ast.Value{}
	key := func(f *Facts) cacheKey {
		var k keyHasher
		k.reset()
		f.walk(walker{k: &k})
		return k.sum()
	}
	for _, m := range corpusMessages(t) {
		x, err := e.Explain(context.Background(), &m)
		if err != nil {
			continue
		}
		v := x.Facts.walk(walker{build: true})
		k := key(&x.Facts)
		if prev, ok := byKey[k]; ok && prev.Compare(v) != 0 {
			t.Fatalf("%s: two different facts documents share a key:\n%v\n%v", m.ID, prev, v)
		}
		byKey[k] = v
	}
	seen := map[string]cacheKey{}
	for k, v := range byKey {
		if other, ok := seen[v.String()]; ok && other != k {
			t.Fatalf("equal facts documents have two keys: %v", v)
		}
		seen[v.String()] = k
	}
	if len(byKey) < 100 {
		t.Fatalf("only %d distinct facts documents", len(byKey))
	}
}

// TestFactKeyClock: the local clock is in the key exactly when the
// policies can read it for the message (rules.Set.Clock): two minutes of
// one night share a key only when they cannot, and a key without the clock
// is never one with it.
func TestFactKeyClock(t *testing.T) {
	key := func(use rules.ClockUse, minute int, quiet bool) cacheKey {
		f := Facts{Schema: FactsSchema, Time: TimeFacts{Zone: "Asia/Dubai", Local: fmt.Sprintf("23:%02d", minute), Minute: 23*60 + minute}}
		if quiet {
			f.Time.QuietUntil = QuietUntil{"promotional": "2026-11-25T08:00:00+04:00"}
		}
		var k keyHasher
		k.reset()
		f.walk(walker{k: &k, clockUse: use})
		return k.sum()
	}
	for _, c := range []struct {
		name      string
		use       rules.ClockUse
		quiet     bool
		sameAfter bool // the next minute has the same key
	}{
		{"read, quiet", rules.ClockRead, true, false},
		{"read", rules.ClockRead, false, false},
		{"gated, quiet", rules.ClockGated, true, false},
		{"gated", rules.ClockGated, false, true},
		{"unread, quiet", rules.ClockUnread, true, true},
		{"unread", rules.ClockUnread, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if same := key(c.use, 1, c.quiet) == key(c.use, 2, c.quiet); same != c.sameAfter {
				t.Errorf("23:01 and 23:02 share a key: %v, want %v", same, c.sameAfter)
			}
			if c.sameAfter && key(c.use, 1, c.quiet) == key(rules.ClockRead, 1, c.quiet) {
				t.Error("a key without the clock equals the key with it")
			}
		})
	}
}

// TestFactKeyTellsShapesApart: the fact key leaves field names out (a field
// is known by its place in the walk), so documents that differ only in an
// optional field's presence or in a map's keys must still differ in key.
func TestFactKeyTellsShapesApart(t *testing.T) {
	key := func(f *Facts) cacheKey {
		var k keyHasher
		k.reset()
		f.walk(walker{k: &k})
		return k.sum()
	}
	yes := true
	cat := CategoryFacts{Score: 2, Terms: []string{"win"}, Evidence: []string{"win"}}
	docs := map[string]func(f *Facts){
		"base":                 func(f *Facts) {},
		"sender registered":    func(f *Facts) { f.Sender.Registered = &yes },
		"source ip":            func(f *Facts) { f.Source.IP = "203.0.113.9" },
		"same subject":         func(f *Facts) { f.Conversation.SameSubject.Count = 1 },
		"category lottery":     func(f *Facts) { f.Content.Categories = Categories{"lottery": cat} },
		"category gambling":    func(f *Facts) { f.Content.Categories = Categories{"gambling": cat} },
		"quiet_until promo":    func(f *Facts) { f.Time.QuietUntil = QuietUntil{"promotional": "2026-11-29T08:00:00Z"} },
		"quiet_until transact": func(f *Facts) { f.Time.QuietUntil = QuietUntil{"transactional": "2026-11-29T08:00:00Z"} },
		"link":                 func(f *Facts) { f.Links = []LinkFacts{{}} },
		"link registered":      func(f *Facts) { f.Links = []LinkFacts{{SenderRegistered: &yes}} },
		"tenant in tag":        func(f *Facts) { f.Message.Tag = "acme" },
		"tenant":               func(f *Facts) { f.Message.Tenant = "acme" },
		"fraud_review 0.5":     func(f *Facts) { f.Content.Model.Thresholds = thresholdsOf(map[string]float64{"fraud_review": 0.5}) },
		"spam_review 0.5":      func(f *Facts) { f.Content.Model.Thresholds = thresholdsOf(map[string]float64{"spam_review": 0.5}) },
	}
	seen := map[cacheKey]string{}
	for name, change := range docs {
		f := Facts{Schema: FactsSchema}
		change(&f)
		k := key(&f)
		if other, ok := seen[k]; ok {
			t.Errorf("%q and %q share a fact key", name, other)
		}
		seen[k] = name
	}
}

// BenchmarkFactKey is the fact cache's key of a corpus facts document, the
// walk every check past the exact cache takes (buildFacts).
func BenchmarkFactKey(b *testing.B) {
	_, docs := corpusFacts(b)
	var k keyHasher
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		k.reset()
		docs[i%len(docs)].walk(walker{k: &k, clockUse: rules.ClockGated})
		_ = k.sum()
	}
}

// TestThresholdsKey holds the hash-only walk of the model thresholds (the
// one every check takes) to the walk that builds OPA's input, for every
// set of thresholds: a byte of difference would let two sets share a fact
// key, or split one set under two.
func TestThresholdsKey(t *testing.T) {
	for mask := range 1 << len(modelThresholdNames) {
		var th ModelThresholdFacts
		for i := range modelThresholdNames {
			if mask&(1<<i) != 0 {
				th.v[i], th.set[i] = 0.25+float64(i)/8, true
			}
		}
		var fast, general keyHasher
		fast.reset()
		general.reset()
		walker{k: &fast}.thresholds(&th)
		walker{k: &general, build: true}.thresholds(&th)
		if fast.sum() != general.sum() {
			t.Errorf("thresholds %05b: the hash-only walk hashes other bytes than the building walk", mask)
		}
	}
}

// TestTimeKeyEqualsWalk holds the time facts' bytes kept in the clock cache
// (timeKey), which a check copies into its fact key, to the walk of the
// check's time facts: corpus messages at every hour of a day, to every
// destination (quiet hours held and not), each checked twice so that the
// second takes its bytes from the clock cache. A byte of difference would
// give the facts another key than their own.
func TestTimeKeyEqualsWalk(t *testing.T) {
	e := newEngine(t, WithCacheSizes(Off, 0))
	ctx := context.Background()
	used, quiet := 0, 0
	for _, m := range corpusMessages(t) {
		for range 2 {
			c := e.newCheck(ctx, &m, false)
			if err := c.run(); err != nil {
				t.Fatalf("%s: %v", m.ID, err)
			}
			if c.timeKey == nil {
				c.release()
				continue
			}
			used++
			if len(c.facts.Time.QuietUntil) > 0 {
				quiet++
			}
			if walkedKey(&c) != c.factKey {
				t.Errorf("%s at %s: the fact key with the clock cache's time bytes differs from the walk's", m.ID, m.Time)
			}
			c.release()
		}
	}
	if used == 0 || quiet == 0 {
		t.Fatalf("%d checks used the time bytes, %d of them in quiet hours: want both > 0", used, quiet)
	}
}

// TestContentKeyEqualsWalk holds the content facts' bytes kept in template
// entries (templateEntry.contentKey), which a template hit copies into its
// fact key, to the walk of the check's content facts: templates with a
// fresh code in each message, each sent to every destination (one entry,
// the destinations' own terms), from tenants with their own model
// thresholds and without (one entry, other thresholds and features),
// bodies with phone numbers or not by their masked digits, and the corpus
// from each tenant.
// A byte of difference would give the facts another key than their own.
func TestContentKeyEqualsWalk(t *testing.T) {
	e := newEngine(t, WithCacheSizes(Off, 0),
		WithTenant("Strict", Tenant{Model: ModelThresholds{FraudReview: 0.3, FraudBlock: 0.6, SpamReview: 0.4}}),
		WithTenant("lax", Tenant{Model: ModelThresholds{FraudReview: 0.3, FraudBlock: 0.99, SpamReview: 0.99, SpamBlock: 0.99}}))
	ctx := context.Background()
	rcpts := []string{"+971501234567", "+919876543210", "+66812345678", "+12025550123", "+33612345678", "+4915123456789"}
	formats := []string{
		"Your ADCB verification code is %06d. Do not share it with anyone.",
		"%06d is your OTP for login to HDFC Bank. Valid for 10 mins. Do not share it with anyone.",
		"Your KBank OTP is %06d. Ref 3K9F0A1. Valid 5 minutes.",
		"Chase: a charge of $%04d.31 was made on your card ending 4821.",
		"Bonjour, votre colis 0034%010d sera livré demain.",
		"Win a free cruise, claim %06d now, reply STOP to opt out",
		"URGENT your account is suspended, verify with code %06d or lose access",
		"Ihr Paket %06d: Fragen unter 030 1234567",
	}
	var msgs []Message
	for i := range 12 {
		for j, f := range formats {
			for r, rcpt := range rcpts {
				msgs = append(msgs, Message{ID: fmt.Sprint("tmpl-", i, "-", j, "-", r), Channel: SMS,
					Kind: []Kind{OTP, Transactional, Promotional}[(i+j)%3], Tenant: []string{"", "Strict", "lax"}[(i+r)%3],
					Sender: "Shop", Recipient: rcpt, Body: fmt.Sprintf(f, 104729*(i*len(rcpts)+r+1)%1000000),
					Time: testNow.Add(-time.Duration(i) * time.Minute)})
			}
		}
	}
	// One masked entry whose bodies have a phone number or not by the
	// masked digits (NPA 201 is a US area code, 200 is not).
	for i := range 6 {
		msgs = append(msgs, Message{ID: fmt.Sprint("call-", i), Channel: SMS, Kind: Transactional, Sender: "Shop",
			Recipient: "+12025550123", Body: fmt.Sprintf("Call +120%d5550%03d for your order", i%2, i), Time: testNow})
	}
	// The corpus from each tenant in turn: the second and third hit the
	// first's entry with other thresholds, so other features kept.
	for _, m := range corpusMessages(t) {
		for _, tenant := range []string{"", "Strict", "lax"} {
			m.Tenant = tenant
			msgs = append(msgs, m)
		}
	}
	used, dests, phones := map[string]int{}, map[string]bool{}, 0
	for _, m := range msgs {
		c := e.newCheck(ctx, &m, false)
		if err := c.run(); err != nil {
			t.Fatalf("%s: %v", m.ID, err)
		}
		if walkedKey(&c) != c.factKey {
			t.Errorf("%s (%q, tenant %q): the fact key with the template entry's content bytes differs from the walk's", m.ID, m.Body, m.Tenant)
		}
		if c.template != nil {
			if len(c.facts.Content.PhoneNumbers) > 0 {
				phones++
			} else if ck := c.template.content.Load(); ck != nil && ck.same(&c.facts.Content) {
				used[m.Tenant]++
				dests[c.dest] = true
			}
		}
		c.release()
	}
	if used[""] == 0 || used["Strict"] == 0 || used["lax"] == 0 || len(dests) < len(rcpts) || phones == 0 {
		t.Fatalf("template hits that took content bytes, by tenant: %v, destinations %d; with phone numbers: %d; want some of each", used, len(dests), phones)
	}
}

// TestContentKeySameCoversFields fails when the content facts gain a field:
// contentKey.same must then compare it, or two checks with facts that
// differ in it would share one fact key.
func TestContentKeySameCoversFields(t *testing.T) {
	for _, c := range []struct {
		typ  reflect.Type
		want int
	}{
		{reflect.TypeFor[ContentFacts](), 6},
		{reflect.TypeFor[ModelFacts](), 5},
		{reflect.TypeFor[ModelFeatures](), 2},
	} {
		if n := c.typ.NumField(); n != c.want {
			t.Errorf("%s has %d fields, contentKey.same compares %d: compare the new ones there, then update this test", c.typ, n, c.want)
		}
	}
}

// walkedKey is the fact key of c's facts as the full walk makes it, with
// no clock-cache or template-entry bytes: what every shortcut must equal.
func walkedKey(c *check) cacheKey {
	var k keyHasher
	k.reset()
	k.u64(c.p.generation)
	c.facts.walk(walker{k: &k, clockUse: c.p.set.Clock()})
	return k.sum()
}
