package filter

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/msgfilter/msgfilter/rules"
)

// tuesday is a fixed clock: 2026-11-24 10:00 UTC, a Tuesday.
var tuesday = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// testNow is newEngine's clock: a Tuesday after every message time of the
// tests, which may not be ahead of the engine's clock (MaxClockSkew).
var testNow = time.Date(2027, 1, 5, 10, 0, 0, 0, time.UTC)

func newEngine(t testing.TB, opts ...Option) *Engine {
	t.Helper()
	e, err := New(append([]Option{WithClock(func() time.Time { return testNow })}, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// newCheck starts a check of m, for tests that run stages one by one.
func (e *Engine) newCheck(ctx context.Context, m *Message, explain bool) check {
	var c check
	e.startCheck(&c, ctx, m, explain)
	return c
}

func codes(d Decision) []string {
	var cs []string
	for _, r := range d.Reasons {
		cs = append(cs, string(r.Code))
	}
	return cs
}

func TestCheck(t *testing.T) {
	e := newEngine(t)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	tests := []struct {
		name      string
		msg       Message
		action    Action
		codes     string
		until     string
		country   string // of the first reason
		hasRuleID bool
	}{
		{
			name:   "uae otp at night allowed",
			msg:    Message{Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567", Body: "Code 482913", Time: at("2026-11-24T20:30:00Z")},
			action: Allow,
		},
		{
			name:    "uae promotional at night deferred to 07:00 Dubai",
			msg:     Message{Channel: SMS, Kind: Promotional, Sender: "AD-Noon", Recipient: "+971501234567", Body: "Sale", Time: at("2026-11-24T18:30:00Z")},
			action:  Defer,
			codes:   "QUIET_HOURS",
			until:   "2026-11-25T07:00:00+04:00",
			country: "AE",
		},
		{
			name:    "uae promotional without AD- blocked even when also quiet",
			msg:     Message{Channel: SMS, Kind: Promotional, Sender: "Noon", Recipient: "+971501234567", Body: "Sale", Time: at("2026-11-24T18:30:00Z")},
			action:  Block,
			codes:   "SENDER_ID_FORMAT QUIET_HOURS",
			country: "AE",
		},
		{
			name:   "country is case-insensitive",
			msg:    Message{Channel: SMS, Kind: Promotional, Country: "Tr", Sender: "Shop", Recipient: "+905321234567", Body: "İndirim"},
			action: Block,
			codes:  "PROMOTIONAL_NOT_ALLOWED",
		},
		{
			name:   "country derived from the recipient",
			msg:    Message{Channel: SMS, Kind: Promotional, Sender: "Shop", Recipient: "+905321234567", Body: "İndirim"},
			action: Block,
			codes:  "PROMOTIONAL_NOT_ALLOWED",
		},
		{
			name:   "a country without a pack gets the global rules",
			msg:    Message{Channel: SMS, Kind: Promotional, Country: "PL", Sender: "+449012345678", Recipient: "+48512345678", Body: "Call back"},
			action: Block,
			codes:  "SENDER_PREMIUM_RATE",
		},
		{
			name:   "a country without a pack allows an ordinary message",
			msg:    Message{Channel: SMS, Kind: Promotional, Country: "PL", Sender: "Zalando", Recipient: "+48512345678", Body: "Sale"},
			action: Allow,
		},
		{
			name:    "france promotional on a holiday deferred to the next working day",
			msg:     Message{Channel: SMS, Kind: Promotional, Sender: "Fnac", Recipient: "+33612345678", Body: "Promo. STOP au 36111", Time: at("2026-12-25T10:00:00Z")},
			action:  Defer,
			codes:   "QUIET_HOURS",
			until:   "2026-12-26T08:00:00+01:00",
			country: "FR",
		},
		{
			name:   "whatsapp promotional inside the window allowed",
			msg:    Message{Channel: WhatsApp, Kind: Promotional, Sender: "+4915123456789", Recipient: "+4915223456789", Body: "Hi. Reply STOP to opt out", Time: tuesday, LastInboundAt: tuesday.Add(-23*time.Hour - 59*time.Minute)},
			action: Allow,
		},
		{
			name:   "whatsapp promotional at 24 hours outside the window",
			msg:    Message{Channel: WhatsApp, Kind: Promotional, Sender: "+4915123456789", Recipient: "+4915223456789", Body: "Hi. Reply STOP to opt out", LastInboundAt: tuesday.Add(-24 * time.Hour)},
			action: Block,
			codes:  "OUTSIDE_SESSION_WINDOW",
		},
		{
			name:   "viber body over 1000 characters",
			msg:    Message{Channel: Viber, Kind: Transactional, Sender: "Bank", Recipient: "+380501234567", Body: strings.Repeat("я", 1001)},
			action: Block,
			codes:  "BODY_TOO_LONG",
		},
		{
			name:   "viber body of 1000 multi-byte characters allowed",
			msg:    Message{Channel: Viber, Kind: Transactional, Sender: "Bank", Recipient: "+380501234567", Body: strings.Repeat("я", 1000)},
			action: Allow,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.msg.ID = tt.name
			d, err := e.Check(context.Background(), &tt.msg)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if d.ID != tt.name || d.Revision != e.Revision() {
				t.Errorf("Check id, revision = %q, %q; want %q, %q", d.ID, d.Revision, tt.name, e.Revision())
			}
			if d.Action != tt.action {
				t.Errorf("Check action = %v, want %v (reasons %+v)", d.Action, tt.action, d.Reasons)
			}
			if got := strings.Join(codes(d), " "); got != tt.codes {
				t.Errorf("Check codes = %q, want %q", got, tt.codes)
			}
			gotUntil := ""
			if !d.Until.IsZero() {
				gotUntil = d.Until.Format(time.RFC3339)
			}
			if gotUntil != tt.until {
				t.Errorf("Check until = %q, want %q", gotUntil, tt.until)
			}
			for _, r := range d.Reasons {
				if r.Rule == "" || r.Citation == "" {
					t.Errorf("reason %+v lacks a rule id or citation", r)
				}
			}
			if tt.country != "" && d.Reasons[0].Country != tt.country {
				t.Errorf("reason country = %q, want %q", d.Reasons[0].Country, tt.country)
			}
		})
	}
}

func TestCheckInvalid(t *testing.T) {
	e := newEngine(t, WithMaxBodyBytes(100))
	valid := Message{Channel: SMS, Kind: OTP, Sender: "Acme", Recipient: "+12025550123", Body: "Your code is 1234"}
	tests := []struct {
		name  string
		edit  func(m *Message)
		field string
	}{
		{"missing channel", func(m *Message) { m.Channel = "" }, "channel"},
		{"unknown channel", func(m *Message) { m.Channel = "telegram" }, "channel"},
		{"missing kind", func(m *Message) { m.Kind = "" }, "kind"},
		{"unknown kind", func(m *Message) { m.Kind = "marketing" }, "kind"},
		{"unknown country", func(m *Message) { m.Country = "XX" }, "country"},
		{"three-letter country", func(m *Message) { m.Country = "USA" }, "country"},
		{"missing recipient", func(m *Message) { m.Recipient = "" }, "recipient"},
		{"recipient without plus", func(m *Message) { m.Recipient = "12025550123" }, "recipient"},
		{"recipient not a number", func(m *Message) { m.Recipient = "+1202555012x" }, "recipient"},
		{"missing sender", func(m *Message) { m.Sender = " " }, "sender"},
		{"sender of a tab and a no-break space", func(m *Message) { m.Sender = "\t\u00a0" }, "sender"},
		{"sender of a next-line", func(m *Message) { m.Sender = "\u0085" }, "sender"},
		{"sender longer than a state key holds", func(m *Message) { m.Sender = strings.Repeat("s", 257) }, "sender"},
		{"invalid utf-8 after an accent in the body", func(m *Message) { m.Body = "Colis livré, code \xc3 12345678 à 10:00" }, "body"},
		{"surrogate after two accents in one word", func(m *Message) { m.Body = "kartınızdan 12\xed\xa0\x80 TL harcama yapıldı" }, "body"},
		{"overlong slash in the body", func(m *Message) { m.Body = "Your code is \xc0\xaf 12345678, valid 5 minutes" }, "body"},
		{"invalid utf-8 body", func(m *Message) { m.Body = "code \xff\xfe" }, "body"},
		{"invalid utf-8 sender", func(m *Message) { m.Sender = "Ac\xc3" }, "sender"},
		{"invalid utf-8 id", func(m *Message) { m.ID = "msg-\xc3(" }, "id"},
		{"invalid utf-8 source_ip", func(m *Message) { m.SourceIP = "192.0.2.\xff" }, "source_ip"},
		{"invalid utf-8 tenant", func(m *Message) { m.Tenant = "acme\xe2\x82" }, "tenant"},
		{"invalid utf-8 country", func(m *Message) { m.Country = "U\xd5" }, "country"},
		{"invalid utf-8 in the body's last word", func(m *Message) { m.Body = "Your code is 12345678\xed\xa0\x80" }, "body"},
		{"invalid utf-8 in the body's tail", func(m *Message) { m.Body = "Your code is 1234567\xff" }, "body"},
		{"body over the cap", func(m *Message) { m.Body = strings.Repeat("a", 101) }, "body"},
		{"tenant longer than a state key holds", func(m *Message) { m.Tenant = strings.Repeat("t", 257) }, "tenant"},
		{"invalid utf-8 template", func(m *Message) { m.Template = "spring_sale\xff" }, "template"},
		{"invalid utf-8 after an accent in the template", func(m *Message) { m.Template = "soldes_d_été_\xc3" }, "template"},
		{"invalid utf-8 tag", func(m *Message) { m.Tag = "ACCOUNT_\xc3" }, "tag"},
		{"surrogate in the tag", func(m *Message) { m.Tag = "POST_PURCHASE_\xed\xa0\x80" }, "tag"},
		{"template longer than 512 bytes", func(m *Message) { m.Template = strings.Repeat("t", 513) }, "template"},
		{"tag longer than 512 bytes", func(m *Message) { m.Tag = strings.Repeat("T", 513) }, "tag"},
		{"template_category of bad bytes", func(m *Message) { m.Template, m.TemplateCategory = "spring", "market\xffing" }, "template_category"},
		{"inbound after the message", func(m *Message) {
			m.Time = tuesday
			m.LastInboundAt = tuesday.Add(time.Hour)
		}, "last_inbound_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid
			tt.edit(&m)
			_, err := e.Check(context.Background(), &m)
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("Check error = %v, want a *ValidationError", err)
			}
			if ve.Field != tt.field {
				t.Errorf("ValidationError.Field = %q, want %q (%v)", ve.Field, tt.field, err)
			}
		})
	}
	t.Run("nil message", func(t *testing.T) {
		if _, err := e.Check(context.Background(), nil); !errors.Is(err, ErrInvalidMessage) {
			t.Errorf("Check(nil) error = %v, want ErrInvalidMessage", err)
		}
	})
	// The twins: senders that start with a printable byte or a letter
	// beyond ASCII, bodies, template names and tags whose accents and
	// U+FFFD are valid UTF-8, names at the cap, a known category.
	for _, edit := range []func(m *Message){
		func(m *Message) { m.Sender = "!Acme" },
		func(m *Message) { m.Sender = "\u00c9lan" },
		func(m *Message) { m.Sender = " Acme" },
		func(m *Message) { m.Body = "Colis livré, code 12345678 à 10:00" },
		func(m *Message) { m.Body = "kartınızdan 12 TL harcama yapıldı \ufffd" },
		func(m *Message) { m.Body = "code 🙂 1234 𝔸" },
		func(m *Message) { m.Template = "spring_sale" },
		func(m *Message) { m.Template = "soldes_d_été_\ufffd" },
		func(m *Message) { m.Tag = "ACCOUNT_UPDATE" },
		func(m *Message) { m.Tag = "POST_PURCHASE_🙂" },
		func(m *Message) { m.Template = strings.Repeat("t", 512) },
		func(m *Message) { m.Tag = strings.Repeat("T", 512) },
		func(m *Message) { m.Template, m.TemplateCategory = "spring", Marketing },
	} {
		m := valid
		edit(&m)
		if _, err := e.Check(context.Background(), &m); err != nil {
			t.Errorf("Check(sender %q, body %q, template %.20q, category %q, tag %.20q): %v, want a decision",
				m.Sender, m.Body, m.Template, m.TemplateCategory, m.Tag, err)
		}
	}
	t.Run("body at the cap", func(t *testing.T) {
		m := valid
		m.Body = strings.Repeat("a", 100)
		if _, err := e.Check(context.Background(), &m); err != nil {
			t.Errorf("Check with a body at the cap: %v", err)
		}
	})
}

// brokenPolicies fail at evaluation time: a built-in errs on the message's
// kind, which only evaluation can tell (built-in errors are strict).
var brokenPolicies = fstest.MapFS{
	"global/global.rego": {Data: []byte(`package msgfilter.global

# METADATA
# title: Broken rule
# related_resources:
#   - ref: https://example.com/rule
# custom:
#   id: global/broken
#   effective: "2026-01-01"
reasons contains r if {
	n := to_number(input.message.kind)
	r := {"code": "BODY_TOO_LONG", "rule": "global/broken", "evidence": sprintf("%d", [n])}
}
`)},
}

func TestCheckFailMode(t *testing.T) {
	m := Message{ID: "m1", Channel: SMS, Kind: OTP, Sender: "Acme", Recipient: "+12025550123", Body: "Your code is 1234"}
	for _, tt := range []struct {
		mode FailMode
		want Action
	}{{FailClosed, Block}, {FailOpen, Allow}} {
		e := newEngine(t, WithPolicies(brokenPolicies), WithFailMode(tt.mode))
		d, err := e.Check(context.Background(), &m)
		if err == nil {
			t.Fatalf("Check with a broken policy: no error")
		}
		if d.Action != tt.want || len(d.Reasons) != 1 || d.Reasons[0].Code != EngineError || d.ID != "m1" {
			t.Errorf("fail mode %v: decision = %+v, want %v with ENGINE_ERROR", tt.mode, d, tt.want)
		}
	}
}

func TestCheckCancelledContext(t *testing.T) {
	e := newEngine(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := Message{Channel: SMS, Kind: OTP, Sender: "Acme", Recipient: "+12025550123", Body: "Your code is 1234"}
	d, err := e.Check(ctx, &m)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Check on a cancelled context: err = %v, want context.Canceled", err)
	}
	if d.Action != Block {
		t.Errorf("Check on a cancelled context, fail closed: action = %v, want block", d.Action)
	}
}

func TestNewRejectsBrokenPolicies(t *testing.T) {
	_, err := New(WithPolicies(fstest.MapFS{
		"countries/ae/ae.rego": {Data: []byte("package msgfilter.countries.ae\nreasons contains x if {")},
	}))
	if err == nil {
		t.Fatal("New with a policy that does not parse: no error")
	}
}

func TestOptOutText(t *testing.T) {
	for body, want := range map[string]bool{
		"Promo -20%. STOP au 36111":       true,
		"promo. stop sms 36180":           true,
		"Répondez STOP":                   true,
		"STOP":                            true,
		"Non-stop deals all weekend":      false,
		"Bus stops near you":              false,
		"Nonstop flights to Nice":         false,
		"Arrêtez-vous au stand (STOPPER)": false,
	} {
		if got := hasOptOutText(body); got != want {
			t.Errorf("hasOptOutText(%q) = %v, want %v", body, got, want)
		}
	}
}

// TestCheckConcurrent runs uncached checks of different messages on many
// goroutines (under -race in CI): each must equal the decision the same
// message gets alone.
func TestCheckConcurrent(t *testing.T) {
	e := newEngine(t, WithCacheSizes(-1, -1), WithStore(nil))
	msgs := corpusMessages(t)[:120]
	want := make([]Decision, len(msgs))
	for i := range msgs {
		want[i], _ = e.Check(context.Background(), &msgs[i])
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for k := range msgs {
				i := (k*7 + g*13) % len(msgs)
				m := msgs[i]
				d, _ := e.Check(context.Background(), &m)
				if !reflect.DeepEqual(d, want[i]) {
					errs <- fmt.Errorf("%s: concurrent decision %+v, alone %+v", m.ID, d, want[i])
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestNewRejectsMalformedLimits: a limit read as 0 would silently turn it
// off, so a malformed one fails the load.
func TestNewRejectsMalformedLimits(t *testing.T) {
	for file, data := range map[string]string{
		"channels/viber/data.json": `{"max_length": 1000, "session_minutes": 1440, "session_max_messages": "sixty"}`,
		"global/data.json":         `{"rate_limit": {"messages": 10}}`,
		"countries/ae/data.json":   `{"time_zone": "Asia/Dubai", "duplicate_flood": {"recipients": -1, "window_minutes": 60}}`,
	} {
		_, err := New(WithPolicies(policiesWith(t, map[string]string{file: data})))
		var pe *rules.PolicyError
		if !errors.As(err, &pe) || pe.File != file {
			t.Errorf("New with %s = %s: err = %v, want a PolicyError on that file", file, data, err)
		}
	}
}

// TestRevisionCoversFeed: a reload that only brings a new phishing feed
// changes the revision decisions carry, and the same inputs give the same one.
func TestRevisionCoversFeed(t *testing.T) {
	feed := writeTestFile(t, "feed.txt", []byte("evil.example\n"))
	e := newEngine(t, WithPhishingFeed(feed))
	plain := newEngine(t)
	first := e.Revision()
	if first == plain.Revision() || !strings.HasPrefix(first, plain.Revision()+"+") {
		t.Fatalf("revision with a feed = %q, without = %q: want the rules' revision plus a digest", first, plain.Revision())
	}
	if err := os.WriteFile(feed, []byte("evil.example\nworse.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	second := e.Revision()
	if second == first {
		t.Errorf("revision after a new feed = %q, unchanged", second)
	}
	if err := os.WriteFile(feed, []byte("evil.example\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Reload(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if third := e.Revision(); third != first {
		t.Errorf("revision after restoring the feed = %q, want %q again", third, first)
	}
}

// TestNewRejectsUnknownCode: the reason codes are a closed vocabulary, so a
// pack whose rules name another code does not load.
func TestNewRejectsUnknownCode(t *testing.T) {
	src := tinyPolicy("promotional", "promotional")
	rego := strings.Replace(string(src["global/global.rego"].Data), `"PROMOTIONAL_NOT_ALLOWED"`, `"PROMO_FORBIDDEN"`, 1)
	src["global/global.rego"] = &fstest.MapFile{Data: []byte(rego)}
	delete(src, "global/global_test.rego")
	_, err := New(WithPolicies(src))
	var pe *rules.PolicyError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "PROMO_FORBIDDEN") {
		t.Errorf("New with a rule reporting PROMO_FORBIDDEN = %v, want a PolicyError naming it", err)
	}
	// Ham twin: the same pack with a code of the vocabulary loads.
	if _, err := New(WithPolicies(tinyPolicy("promotional", "promotional"))); err != nil {
		t.Errorf("New with a known code = %v", err)
	}
}

// TestNewRejectsUncitedLimit: Go reports RATE_LIMIT with the METADATA of
// the global pack's limits rule, so a pack that sets a rate limit without
// that rule does not load.
func TestNewRejectsUncitedLimit(t *testing.T) {
	src := tinyPolicy("promotional", "promotional")
	src["global/data.json"] = &fstest.MapFile{Data: []byte(`{"refused_kinds": ["promotional"], "rate_limit": {"messages": 10, "window_seconds": 60}}`)}
	_, err := New(WithPolicies(src))
	var pe *rules.PolicyError
	if !errors.As(err, &pe) || pe.File != "global/data.json" || !strings.Contains(pe.Msg, "global/rate-limit") {
		t.Errorf("New with an uncited rate_limit = %v, want a PolicyError on global/data.json naming global/rate-limit", err)
	}
	// Ham twin: a rate limit of 0 (none) needs no rule.
	src["global/data.json"] = &fstest.MapFile{Data: []byte(`{"refused_kinds": ["promotional"], "rate_limit": {"messages": 0, "window_seconds": 60}}`)}
	if _, err := New(WithPolicies(src)); err != nil {
		t.Errorf("New with rate_limit 0 = %v", err)
	}
}

// TestCheckUnknownCodeAtEvaluation: a code the load could not see (built at
// evaluation) is not reported as a decision: the engine could not decide.
func TestCheckUnknownCodeAtEvaluation(t *testing.T) {
	src := tinyPolicy("promotional", "promotional")
	rego := strings.Replace(string(src["global/global.rego"].Data), `"code": "PROMOTIONAL_NOT_ALLOWED"`, `"code": concat("_", ["PROMO", "FORBIDDEN"])`, 1)
	src["global/global.rego"] = &fstest.MapFile{Data: []byte(rego)}
	delete(src, "global/global_test.rego")
	e := newEngine(t, WithPolicies(src))
	d, err := e.Check(context.Background(), promo())
	if err == nil || !strings.Contains(err.Error(), "PROMO_FORBIDDEN") || d.Action != Block || !hasCode(d, EngineError) {
		t.Errorf("Check with a rule reporting PROMO_FORBIDDEN = %s %v, %v; want block ENGINE_ERROR and an error naming it", d.Action, codes(d), err)
	}
	// Ham twin: a message the rule does not fire on is decided.
	m := promo()
	m.Kind = Transactional
	if d := mustCheck(t, e, m); d.Action != Allow {
		t.Errorf("Check(transactional) = %s %v, want allow", d.Action, codes(d))
	}
}
