package filter

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// readKey is the fact cache's key by the read program of f for a
// destination and channel (check.readKey), or, without a program, the
// facts' own.
func readKey(t *testing.T, p *policy, dest string, ch Channel, f *Facts) cacheKey {
	t.Helper()
	c := check{p: p, dest: dest, facts: *f, msg: Message{Channel: ch}}
	c.e = &Engine{facts: &decisionCache{}}
	if c.readKey() {
		return c.readsKey
	}
	c.buildFacts()
	return c.factKey
}

// TestResolveFactMatchesValue holds the read program's getters to the
// input OPA gets (the walk's value, which TestFactsValueMatchesJSON holds
// to the facts' JSON): every path of every corpus facts document has the
// kind and value the input has there, and a path it lacks reads as
// absent.
func TestResolveFactMatchesValue(t *testing.T) {
	e := newEngine(t, WithCacheSizes(Off, Off))
	registered := true
	extra := Facts{Schema: FactsSchema}
	extra.Sender.Registered = &registered
	extra.Source = SourceFacts{Present: true, Blocked: true, IP: "203.0.113.9"}
	extra.Conversation.SameSubject = SameSubjectFacts{Count: 3, Reopens: "2026-03-11T12:00:00-04:00"}
	extra.Time.QuietUntil = QuietUntil{"promotional": "2026-11-29T08:00:00Z"}
	extra.Content.Categories = Categories{"lottery": {Score: 2, Terms: []string{"win"}, Evidence: []string{"Win"}}}
	extra.Content.Model.Thresholds = thresholdsOf(map[string]float64{"fraud_review": 0.5})
	extra.Content.Model.Spam, extra.Content.Model.Fraud, extra.Content.Model.Unwanted = 0.15, 0.3, sum2(0.15, 0.3)
	extra.Links = []LinkFacts{{URL: "https://xn--pple-43d.com/a", Scripts: featureNames{"Cyrillic"}, SenderRegistered: &registered,
		FirstSeen: FirstSeenFacts{Known: true, AgeMinutes: 5}}}
	extra.Content.PhoneNumbers = []PhoneNumberFacts{{Text: "0900 123", E164: "+44900123", Region: "GB", Type: "premium_rate"}}
	facts := []Facts{extra}
	for _, m := range corpusMessages(t) {
		if x, err := e.Explain(context.Background(), &m); err == nil {
			facts = append(facts, x.Facts)
		}
	}
	paths, elems := 0, 0
	for i := range facts {
		f := &facts[i]
		doc := f.walk(walker{build: true})
		var visit func(path []string, v ast.Value)
		visit = func(path []string, v ast.Value) {
			paths++
			got, ok := resolveFact(path).get(f)
			name := strings.Join(path, ".")
			if !ok {
				t.Fatalf("%s: absent, want %v", name, v)
			}
			if want := leafOf(v); got != want {
				t.Fatalf("%s: %+v, want %+v", name, got, want)
			}
			if arr, ok := v.(*ast.Array); ok {
				if c, ok := resolveCollection(path); ok {
					if n := c.n(f); n != arr.Len() {
						t.Fatalf("%s: %d elements, want %d", name, n, arr.Len())
					}
					for j := range arr.Len() {
						elems += visitElem(t, f, c, j, nil, arr.Elem(j).Value)
					}
				}
			}
			obj, isObj := v.(ast.Object)
			if !isObj {
				if _, ok := resolveFact(append(path[:len(path):len(path)], "x")).get(f); ok {
					t.Fatalf("%s.x: present under a %T", name, v)
				}
				return
			}
			if _, ok := resolveFact(append(path[:len(path):len(path)], "no_such_field")).get(f); ok {
				t.Fatalf("%s.no_such_field: present", name)
			}
			obj.Foreach(func(k, child *ast.Term) {
				visit(append(path[:len(path):len(path)], string(k.Value.(ast.String))), child.Value)
			})
		}
		visit(nil, doc)
	}
	if paths < 1000 || elems < 1000 {
		t.Fatalf("only %d paths and %d paths in elements compared", paths, elems)
	}
}

// visitElem compares the reader of each path in the j-th element of a
// collection to the input's value there, and returns how many it did.
func visitElem(t *testing.T, f *Facts, c collection, j int, path []string, v ast.Value) int {
	t.Helper()
	got, ok := c.elem(path).get(f, j)
	if !ok {
		t.Fatalf("[%d].%s: absent, want %v", j, strings.Join(path, "."), v)
	}
	if want := leafOf(v); got != want {
		t.Fatalf("[%d].%s: %+v, want %+v", j, strings.Join(path, "."), got, want)
	}
	if _, ok := c.elem(append(path[:len(path):len(path)], "no_such_field")).get(f, j); ok {
		t.Fatalf("[%d].%s.no_such_field: present", j, strings.Join(path, "."))
	}
	n := 1
	if obj, ok := v.(ast.Object); ok {
		obj.Foreach(func(k, child *ast.Term) {
			n += visitElem(t, f, c, j, append(path[:len(path):len(path)], string(k.Value.(ast.String))), child.Value)
		})
	}
	return n
}

func leafOf(v ast.Value) leaf {
	switch x := v.(type) {
	case ast.String:
		return leaf{kind: kindString, s: string(x)}
	case ast.Number:
		f, _ := x.Float64()
		return leaf{kind: kindNumber, f: f}
	case ast.Boolean:
		return leaf{kind: kindBool, b: bool(x)}
	case *ast.Array:
		return leaf{kind: kindArray}
	case ast.Object:
		return leaf{kind: kindObject}
	}
	return leaf{kind: kindNull}
}

// readPolicy is a pack whose rules read the facts in each way the
// analysis tells apart: behind guards, as evidence, by iteration, by a
// dynamic key, through a helper rule.
var readPolicy = fstest.MapFS{"global/global.rego": {Data: []byte(`package msgfilter.global

# METADATA
# title: Long alphanumeric sender
# related_resources:
#   - ref: https://example.org/a
# custom:
#   id: global/a
#   effective: "2026-01-01"
reasons contains r if {
	input.sender.kind == "alphanumeric"
	count(input.sender.raw) > 11
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/a", "evidence": input.sender.raw}
}

# METADATA
# title: Fraud score
# related_resources:
#   - ref: https://example.org/b
# custom:
#   id: global/b
#   effective: "2026-01-01"
reasons contains r if {
	input.content.model.fraud >= 0.5
	r := {"code": "FRAUD_SUSPECTED", "rule": "global/b", "evidence": sprintf("%v", [input.content.model.fraud])}
}

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
# title: A DLT field by a key the rule computes
# related_resources:
#   - ref: https://example.org/d
# custom:
#   id: global/d
#   effective: "2026-01-01"
reasons contains r if {
	some k
	input.dlt[k] == "BLOCKME"
	r := {"code": "TEMPLATE_NOT_REGISTERED", "rule": "global/d", "evidence": k}
}

promo if input.message.kind == "promotional"

# METADATA
# title: Premium-rate number in the body
# related_resources:
#   - ref: https://example.org/f
# custom:
#   id: global/f
#   effective: "2026-01-01"
reasons contains r if {
	some n in input.content.phone_numbers
	n.type == "premium_rate"
	r := {"code": "SENDER_PREMIUM_RATE", "rule": "global/f", "evidence": n.text}
}

# METADATA
# title: A number of a foreign region
# related_resources:
#   - ref: https://example.org/g
# custom:
#   id: global/g
#   effective: "2026-01-01"
reasons contains r if {
	some n in input.content.phone_numbers
	foreign(n)
	r := {"code": "PHONE_NUMBER_NOT_ALLOWED", "rule": "global/g", "evidence": "foreign"}
}

foreign(n) if n.region != input.message.country

# METADATA
# title: Promotions to a recipient zone
# related_resources:
#   - ref: https://example.org/e
# custom:
#   id: global/e
#   effective: "2026-01-01"
reasons contains r if {
	promo
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/e", "evidence": input.recipient.zone}
}
`)}}

// TestReadKeys: two facts documents share a fact key when they differ
// only where the destination's rules cannot look, and not when they
// differ in a fact a rule reads (behind a guard that holds, as evidence,
// iterated, by a dynamic key); every pair that shares a key is decided
// the same by OPA.
func TestReadKeys(t *testing.T) {
	e := newEngine(t, WithPolicies(readPolicy))
	p := e.policy.Load()
	base := func() Facts {
		f := Facts{Schema: FactsSchema}
		f.Message = MessageFacts{Channel: SMS, Kind: Transactional, Country: "AE", Length: 20}
		f.Sender.Kind, f.Sender.Raw = "e164", "+447400123456"
		f.Recipient.Zone = "Asia/Dubai"
		f.Content.Model.Fraud = 0.1
		f.Links = []LinkFacts{{URL: "https://a.example/x", Host: "a.example"}}
		f.Content.PhoneNumbers = []PhoneNumberFacts{{Text: "+971 4 000 0000", E164: "+97140000000", Region: "AE", Type: "fixed_line"}}
		f.Time = TimeFacts{Local: "2026-11-24T10:00", Minute: 600, Zone: "Asia/Dubai"}
		return f
	}
	for _, c := range []struct {
		name   string
		change func(f *Facts)
		shared bool
	}{
		{"e164 sender's number, behind a kind guard that fails", func(f *Facts) { f.Sender.Raw = "+447400999999" }, true},
		{"body length, read by no rule", func(f *Facts) { f.Message.Length = 140 }, true},
		{"fraud score, on the same side of the threshold", func(f *Facts) { f.Content.Model.Fraud = 0.3 }, true},
		{"local clock, read by no rule", func(f *Facts) { f.Time.Local, f.Time.Minute = "2026-11-24T10:01", 601 }, true},
		{"recipient zone, behind a helper rule that fails", func(f *Facts) { f.Recipient.Zone = "Asia/Tokyo" }, true},
		{"alphanumeric sender", func(f *Facts) { f.Sender.Kind = "alphanumeric" }, false},
		{"fraud score across the threshold", func(f *Facts) { f.Content.Model.Fraud = 0.5 }, false},
		{"link url, behind the link's phishing guard that fails", func(f *Facts) { f.Links[0].URL = "https://b.example/x" }, true},
		{"link host, read by no rule", func(f *Facts) { f.Links[0].Host = "b.example" }, true},
		{"phone number's text, behind its type guard that fails", func(f *Facts) { f.Content.PhoneNumbers[0].Text = "+971 4 000 0001" }, true},
		{"phishing link", func(f *Facts) { f.Links[0].Phishing = true }, false},
		{"a second link", func(f *Facts) { f.Links = append(f.Links, LinkFacts{URL: "https://a.example/x"}) }, false},
		{"no link", func(f *Facts) { f.Links = nil }, false},
		{"premium-rate phone number", func(f *Facts) { f.Content.PhoneNumbers[0].Type = "premium_rate" }, false},
		{"phone number's region, compared by a helper function", func(f *Facts) { f.Content.PhoneNumbers[0].Region = "GB" }, false},
		{"dlt header, read by a dynamic key", func(f *Facts) { f.DLT.Header = "BLOCKME" }, false},
		{"dlt template, read by a dynamic key", func(f *Facts) { f.DLT.TemplateID = "123" }, false},
		{"kind, which the helper rule reads", func(f *Facts) { f.Message.Kind = Promotional }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := base(), base()
			c.change(&b)
			if got := readKey(t, p, "AE", SMS, &a) == readKey(t, p, "AE", SMS, &b); got != c.shared {
				t.Fatalf("shared key = %v, want %v", got, c.shared)
			}
			if c.shared {
				sameFindings(t, p, "AE", SMS, &a, &b)
			}
		})
	}
	// Once the guards hold, what they guarded is read, element by element.
	t.Run("phishing links' urls", func(t *testing.T) {
		a, b := base(), base()
		a.Links = append(a.Links, LinkFacts{URL: "https://p.example/x", Phishing: true})
		b.Links = append(b.Links, LinkFacts{URL: "https://p.example/y", Phishing: true})
		if readKey(t, p, "AE", SMS, &a) == readKey(t, p, "AE", SMS, &b) {
			t.Fatal("two phishing links share a key")
		}
		b.Links[1].URL, b.Links[1].Host = a.Links[1].URL, "p.example"
		if readKey(t, p, "AE", SMS, &a) != readKey(t, p, "AE", SMS, &b) {
			t.Fatal("phishing links differing in an unread host do not share a key")
		}
		sameFindings(t, p, "AE", SMS, &a, &b)
		a.Links[0], a.Links[1] = a.Links[1], a.Links[0]
		if readKey(t, p, "AE", SMS, &a) == readKey(t, p, "AE", SMS, &b) {
			t.Fatal("the same links in another order share a key")
		}
	})
	t.Run("alphanumeric senders' ids", func(t *testing.T) {
		a, b := base(), base()
		a.Sender.Kind, b.Sender.Kind = "alphanumeric", "alphanumeric"
		a.Sender.Raw, b.Sender.Raw = "INFO12", "INFO13"
		if readKey(t, p, "AE", SMS, &a) == readKey(t, p, "AE", SMS, &b) {
			t.Fatal("two alphanumeric senders share a key")
		}
		a.Message.Kind, b.Message.Kind = Promotional, Promotional
		a.Recipient.Zone, b.Recipient.Zone = "Asia/Dubai", "Asia/Tokyo"
		a.Sender.Raw = b.Sender.Raw
		if readKey(t, p, "AE", SMS, &a) == readKey(t, p, "AE", SMS, &b) {
			t.Fatal("promotions to two zones share a key")
		}
	})
}

// sameFindings fails unless OPA decides a and b the same.
func sameFindings(t *testing.T, p *policy, dest string, ch Channel, a, b *Facts) {
	t.Helper()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	fa, err := p.set.Eval(context.Background(), strings.ToLower(dest), string(ch), a.walk(walker{build: true}), now)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := p.set.Eval(context.Background(), strings.ToLower(dest), string(ch), b.walk(walker{build: true}), now)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fa, fb) {
		t.Fatalf("shared key, different findings:\n%+v\n%+v", fa, fb)
	}
}

// TestReadKeysShippedPolicies: with the shipped packs, a corpus facts
// document and each change of one fact that keeps its key are decided the
// same by OPA, for every destination and channel the changes meet; and
// the keys do share (the test is not vacuous). It takes every eighth
// document (every 32nd under -race): all of them made 338,340 shared pairs,
// two evaluations each, 70 s without the race detector and the longest
// part of CI with it, for no kind of fact the sample does not meet.
func TestReadKeysShippedPolicies(t *testing.T) {
	stride := 8
	if raceEnabled {
		stride = 32
	}
	e, docs := corpusFacts(t)
	p := e.policy.Load()
	changes := map[string]func(f *Facts){
		"sender id": func(f *Facts) { f.Sender.Raw += "9" },
		"length":    func(f *Facts) { f.Message.Length += 7 },
		"segments":  func(f *Facts) { f.Message.Segments += 1 },
		"fraud":     func(f *Facts) { f.Content.Model.Fraud = min(f.Content.Model.Fraud+0.01, 1) },
		"spam":      func(f *Facts) { f.Content.Model.Spam = min(f.Content.Model.Spam+0.01, 1) },
		"minute":    func(f *Facts) { f.Time.Minute++; f.Time.Local += "x" },
		"zone":      func(f *Facts) { f.Recipient.Zone = "Etc/UTC" },
		"region":    func(f *Facts) { f.Recipient.Region = "US-FL" },
		"kind":      func(f *Facts) { f.Message.Kind = Service },
		"tenant":    func(f *Facts) { f.Message.Tenant = "other" },
		"features":  func(f *Facts) { f.Content.Model.Features.Spam = append(f.Content.Model.Features.Spam, "word x") },
		"no links":  func(f *Facts) { f.Links = []LinkFacts{} },
		"link url": func(f *Facts) {
			for i := range f.Links {
				f.Links[i].URL += "x"
			}
		},
		"link host": func(f *Facts) {
			for i := range f.Links {
				f.Links[i].Host, f.Links[i].Domain = "x"+f.Links[i].Host, "x"+f.Links[i].Domain
			}
		},
		"link shortener": func(f *Facts) {
			for i := range f.Links {
				f.Links[i].Shortener = !f.Links[i].Shortener
			}
		},
		"link registered": func(f *Facts) {
			registered := false
			for i := range f.Links {
				f.Links[i].SenderRegistered = &registered
			}
		},
		"phone type": func(f *Facts) {
			for i := range f.Content.PhoneNumbers {
				f.Content.PhoneNumbers[i].Type = "premium_rate"
			}
		},
		"phone text": func(f *Facts) {
			for i := range f.Content.PhoneNumbers {
				f.Content.PhoneNumbers[i].Text += "0"
			}
		},
		"phone": func(f *Facts) {
			f.Content.PhoneNumbers = append(f.Content.PhoneNumbers, PhoneNumberFacts{Text: "1", E164: "+1"})
		},
		"opted out":      func(f *Facts) { f.Conversation.OptedOut = !f.Conversation.OptedOut },
		"inbound age":    func(f *Facts) { f.Conversation.InboundAgeMinutes += 30 },
		"template":       func(f *Facts) { f.Message.Template = "t1" },
		"source country": func(f *Facts) { f.Source.Country = "RU" },
		"category score": func(f *Facts) {
			f.Content.Categories = Categories{"gambling": {Score: 1, Terms: []string{"bet"}, Evidence: []string{"bet"}}}
		},
		"encoding":        func(f *Facts) { f.Message.Encoding = "ucs2" },
		"number type":     func(f *Facts) { f.Sender.NumberType = "premium_rate" },
		"quiet promo":     func(f *Facts) { f.Time.QuietUntil = QuietUntil{"promotional": "2026-11-25T08:00:00+04:00"} },
		"campaign":        func(f *Facts) { f.Campaign.Reported = !f.Campaign.Reported },
		"sender validity": func(f *Facts) { f.Sender.Valid = !f.Sender.Valid },
	}
	shared, differ := 0, 0
	for i := 0; i < len(docs); i += stride {
		a := &docs[i]
		for _, ch := range channels {
			for _, dest := range []string{a.Message.Country, "US", "IN", "TH"} {
				for name, change := range changes {
					b := *a
					b.Links = append([]LinkFacts(nil), a.Links...)
					b.Content.PhoneNumbers = append([]PhoneNumberFacts(nil), a.Content.PhoneNumbers...)
					b.Content.Model.Features.Spam = append(featureNames(nil), a.Content.Model.Features.Spam...)
					change(&b)
					if readKey(t, p, dest, ch, a) != readKey(t, p, dest, ch, &b) {
						differ++
						continue
					}
					shared++
					t.Run(name, func(t *testing.T) { sameFindings(t, p, dest, ch, a, &b) })
				}
			}
		}
	}
	if shared < 1000 || differ < 1000 {
		t.Fatalf("%d changes kept the key, %d changed it: want many of each", shared, differ)
	}
}

// TestReadKeysFallBack: a pack the analysis cannot read (an expression
// with "with") gets no read programs, and the fact key is then today's,
// of every fact.
func TestReadKeysFallBack(t *testing.T) {
	src := fstest.MapFS{"global/global.rego": {Data: []byte(`package msgfilter.global

kind := input.message.kind

# METADATA
# title: Kind
# related_resources:
#   - ref: https://example.org/a
# custom:
#   id: global/a
#   effective: "2026-01-01"
reasons contains r if {
	kind == "promotional" with input.message.kind as "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/a", "evidence": "x"}
}
`)}}
	e := newEngine(t, WithPolicies(src))
	p := e.policy.Load()
	if p.set.Reads("", "sms") != nil || p.reads.plan("AE", SMS) != nil {
		t.Fatal("a pack with with has read programs")
	}
	a := Facts{Schema: FactsSchema}
	b := a
	b.Message.Length = 9 // no rule reads it, but nothing says so
	if readKey(t, p, "AE", SMS, &a) == readKey(t, p, "AE", SMS, &b) {
		t.Fatal("without read programs, two facts documents share a key")
	}
}

// BenchmarkReadKey is the second fact-cache key of a corpus facts
// document, which a check computes only when the facts' own key misses.
func BenchmarkReadKey(b *testing.B) {
	e, docs := corpusFacts(b)
	p := e.policy.Load()
	e.facts = &decisionCache{} // readKey computes nothing without a fact cache
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		f := &docs[i%len(docs)]
		c := check{e: e, p: p, dest: f.Message.Country, facts: *f, msg: Message{Channel: f.Message.Channel}}
		if !c.readKey() {
			b.Fatal("no read program")
		}
	}
}

// corpusFacts returns an engine without caches and the facts it explains
// for the corpus messages.
func corpusFacts(tb testing.TB) (*Engine, []Facts) {
	tb.Helper()
	e := newEngine(tb, WithCacheSizes(Off, Off))
	var docs []Facts
	for _, m := range corpusMessages(tb) {
		if x, err := e.Explain(context.Background(), &m); err == nil {
			docs = append(docs, x.Facts)
		}
	}
	return e, docs
}
