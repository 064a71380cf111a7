package filter

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// regoMeta is the METADATA every rule that can block carries.
func regoMeta(id string) string {
	return "# METADATA\n# title: T\n# related_resources:\n#   - ref: https://example.org/r\n# custom:\n#   id: " + id + "\n#   effective: \"2026-01-01\"\n"
}

// unusualRego holds policy sources whose definitions read what a part key
// must see in less common ways: another pack's data by a key from the
// input, another pack's reasons, a helper with an else chain and a
// default, every and not, the whole of an input object, and reasons whose
// objects differ only in a field Eval does not read.
func unusualRego() map[string]fstest.MapFS {
	global := func(body string) string { return "package msgfilter.global\n\n" + body }
	return map[string]fstest.MapFS{
		"data by a key from the input": {
			"global/global.rego": {Data: []byte(global(regoMeta("global/len") + `reasons contains r if {
	lim := data.msgfilter.countries[lower(input.message.country)].max_sender
	count(input.sender.raw) > lim
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/len", "evidence": input.sender.raw}
}
`))},
			"countries/ae/ae.rego":   {Data: []byte("package msgfilter.countries.ae\n\nmax_sender := data.countries.ae.max\n")},
			"countries/ae/data.json": {Data: []byte(`{"max": 4}`)},
			"countries/us/us.rego":   {Data: []byte("package msgfilter.countries.us\n\nmax_sender := 6\n")},
		},
		"another pack's reasons": {
			"global/global.rego": {Data: []byte(global(regoMeta("global/sender") + `reasons contains r if {
	input.sender.kind == "alphanumeric"
	count(input.sender.raw) > 5
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/sender", "evidence": input.sender.raw}
}

` + regoMeta("global/kind") + `reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/kind", "evidence": "promotional"}
}
`))},
			"countries/ae/ae.rego": {Data: []byte("package msgfilter.countries.ae\n\n" + regoMeta("ae/echo") + `reasons contains r if {
	some g in data.msgfilter.global.reasons
	g.code == "SENDER_ID_FORMAT"
	r := {"code": "SENDER_INVALID", "rule": "ae/echo", "evidence": g.evidence}
}

` + regoMeta("ae/none") + `reasons contains r if {
	count(data.msgfilter.global.reasons) == 0
	input.sender.kind == "alphanumeric"
	r := {"code": "SENDER_INVALID", "rule": "ae/none", "evidence": "quiet"}
}
`)},
		},
		"else chain and default": {
			"global/global.rego": {Data: []byte(global(`level := "a" if {
	input.sender.kind == "alphanumeric"
} else := "b" if {
	input.message.kind == "promotional"
} else := "c"

default limit := 3

limit := 9 if input.message.segments > 2

` + regoMeta("global/level") + `reasons contains r if {
	level != "c"
	count(input.sender.raw) > limit
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/level", "evidence": level}
}

` + regoMeta("global/c") + `reasons contains r if {
	level == "c"
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/c", "evidence": sprintf("%d", [limit])}
}
`))},
		},
		"every, not and a whole object": {
			"global/global.rego": {Data: []byte(global(regoMeta("global/every") + `reasons contains r if {
	count(input.links) > 0
	every l in input.links {
		not l.phishing
		startswith(l.url, "https://")
	}
	r := {"code": "SUSPICIOUS_LINK", "rule": "global/every", "evidence": "all https"}
}

` + regoMeta("global/whole") + `reasons contains r if {
	s := json.marshal(input.sender)
	contains(s, "Z")
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/whole", "evidence": s}
}
`))},
		},
		"objects that differ in a field Eval does not read": {
			"global/global.rego": {Data: []byte(global(regoMeta("global/dup") + `reasons contains r if {
	input.sender.kind == "alphanumeric"
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/dup", "evidence": "x", "weight": 1}
}

` + regoMeta("global/dup") + `reasons contains r if {
	count(input.sender.raw) > 3
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/dup", "evidence": "x", "weight": 2}
}
`))},
		},
	}
}

// unusualDocs varies what the unusual sources read: the sender, the kind,
// the segments, the destination and the links.
func unusualDocs() []Facts {
	var docs []Facts
	for _, cc := range []string{"AE", "US", "FR"} {
		for _, raw := range []string{"ZED", "ALPHABET", "Zulu77", "ABCDE"} {
			for _, kind := range []Kind{Transactional, Promotional} {
				for _, links := range [][]LinkFacts{nil, {{URL: "https://a.example/1"}}, {{URL: "https://a.example/1"}, {URL: "http://b.example/2"}}, {{URL: "https://p.example/3", Phishing: true}}} {
					for _, segs := range []int{1, 4} {
						f := Facts{Schema: FactsSchema, Links: links}
						f.Message = MessageFacts{Channel: SMS, Kind: kind, Country: cc, Segments: segs}
						f.Sender.Kind, f.Sender.Raw = "alphanumeric", raw
						if raw == "Zulu77" {
							f.Sender.Kind = "numeric"
						}
						docs = append(docs, f)
					}
				}
			}
		}
	}
	return docs
}

// TestPartsUnusualRego: policies that read across packs and through
// helpers in less common ways are decided part by part through one fact
// cache as their union query decides them, every document twice (the
// second time from cached findings), to its own destination and three
// others. Which of them the shipped packs' tests lack: data under a key
// from the input, another pack's reasons (the union holds each reason
// once), an else chain with a default, every over an iteration, the whole
// of an input object, and reasons that differ only in a field Eval does not
// read.
func TestPartsUnusualRego(t *testing.T) {
	for name, src := range unusualRego() {
		t.Run(name, func(t *testing.T) {
			e := newEngine(t, WithPolicies(src))
			docs := unusualDocs()
			docs = append(docs, docs...)
			fromCache, evaluated, findings := partsEqualQuery(t, e, docs, "AE", "US", "DE")
			if fromCache == 0 || evaluated == 0 || findings == 0 {
				t.Fatalf("%d from cache, %d evaluated, %d findings: the comparison proves little", fromCache, evaluated, findings)
			}
		})
	}
}

// evidencePolicy refuses promotional messages with action and evidence:
// two of them have the same parts and read programs.
func evidencePolicy(action, evidence string) fstest.MapFS {
	return fstest.MapFS{"global/global.rego": {Data: []byte("package msgfilter.global\n\n" + regoMeta("global/kind") + `reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/kind", "action": "` + action + `", "evidence": "` + evidence + `"}
}
`)}}
}

// TestPartsReload: after a reload to policies of the same shape (the same
// parts, read programs and part numbers) that decide otherwise, a message
// checked before is decided as an engine started on the new policies
// decides it: a part's cached findings are keyed by the policy generation
// as well. No other test fails when the part key leaves the generation
// out (checked by removing it).
func TestPartsReload(t *testing.T) {
	for _, tt := range []struct {
		name string
		a, b fstest.MapFS
	}{
		{"another evidence", evidencePolicy("block", "a"), evidencePolicy("block", "b")},
		{"another action", evidencePolicy("block", "a"), evidencePolicy("review", "a")},
		{"promotional refused, then otp", tinyPolicy("promotional", "promotional"), tinyPolicy("otp", "otp")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := newEngine(t, WithPolicies(tt.a))
			fresh := newEngine(t, WithPolicies(tt.b))
			var msgs []Message
			for i, kind := range []Kind{Promotional, OTP, Promotional, OTP} {
				msgs = append(msgs, Message{ID: fmt.Sprint("r-", i), Channel: SMS, Kind: kind, Sender: "Shop",
					Recipient: []string{"+33612345678", "+971501234567"}[i/2], Body: fmt.Sprint("Your order ", i, " has shipped"), Time: tuesday})
			}
			for i := range msgs {
				if _, err := e.Check(ctx, &msgs[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.Reload(ctx, tt.b); err != nil {
				t.Fatal(err)
			}
			blocked := 0
			for i := range msgs {
				got, err := e.Check(ctx, &msgs[i])
				if err != nil {
					t.Fatal(err)
				}
				want, err := fresh.Check(ctx, &msgs[i])
				if err != nil {
					t.Fatal(err)
				}
				if got.Action != want.Action || !reflect.DeepEqual(got.Reasons, want.Reasons) {
					t.Errorf("%s (%s) after the reload: %s %v, an engine on the new policies: %s %v", msgs[i].ID, msgs[i].Kind, got.Action, got.Reasons, want.Action, want.Reasons)
				}
				if want.Action != Allow {
					blocked++
				}
			}
			if blocked == 0 {
				t.Fatal("nothing blocked: the comparison proves little")
			}
		})
	}
}

// TestPartsDeadline: a check whose budget runs out while its parts are
// evaluated one by one (the first evaluated and cached, the next too slow)
// fails as a union query that ran out would: ENGINE_TIMEOUT with
// DeadlineExceeded, blocked when failing closed, never the first part's
// findings alone; on a first sighting and when the first part's findings
// come from the cache. TestCheckDeadline's budgets run out before any
// part is evaluated. (evaluate's alive check after the parts would catch
// the deadline even if evaluateParts dropped the part's error.)
func TestPartsDeadline(t *testing.T) {
	src := fstest.MapFS{"global/global.rego": {Data: []byte("package msgfilter.global\n\n" + regoMeta("global/cheap") + `reasons contains r if {
	input.message.kind == "transactional"
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/cheap", "evidence": "cheap", "action": "review"}
}

` + regoMeta("global/slow") + `reasons contains r if {
	xs := numbers.range(1, 300)
	n := count([1 | some a in xs; some b in xs; some c in xs; a + b + c == input.message.length])
	n > 0
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/slow", "evidence": "slow"}
}
`)}}
	for _, tt := range []struct {
		name string
		mode FailMode
		want Action
	}{
		{"fail closed", FailClosed, Block},
		{"fail open", FailOpen, Allow},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, WithPolicies(src), WithCheckBudget(50*time.Millisecond), WithFailMode(tt.mode))
			if n := len(e.policy.Load().set.Parts("fr", "sms")); n != 2 {
				t.Fatalf("%d parts, want 2", n)
			}
			for i, body := range []string{"Your order has shipped", "Your order has shipped today"} {
				// The second body has another length: the slow part's key
				// is new, the cheap one's is cached.
				m := Message{ID: fmt.Sprint("d-", i), Channel: SMS, Kind: Transactional, Sender: "Shop", Recipient: "+33612345678", Body: body, Time: tuesday}
				d, err := e.Check(context.Background(), &m)
				if !errors.Is(err, context.DeadlineExceeded) || d.Action != tt.want || len(d.Reasons) != 1 || d.Reasons[0].Code != EngineTimeout {
					t.Fatalf("%q: Check = %s %v, %v; want %s [ENGINE_TIMEOUT] and DeadlineExceeded", body, d.Action, codes(d), err, tt.want)
				}
			}
		})
	}
}
