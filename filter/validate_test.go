package filter

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/state"
)

// checkInvalid checks m and reports the field of its *ValidationError, ""
// when m was decided.
func checkInvalid(t *testing.T, e *Engine, m Message) (Decision, string) {
	t.Helper()
	d, err := e.Check(context.Background(), &m)
	if err == nil {
		return d, ""
	}
	var ve *ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidMessage) {
		t.Fatalf("Check(%+v) = %v, want a decision or a *ValidationError", m, err)
	}
	return d, ve.Field
}

// TestDestinationIsTheRecipients: naming another country than the
// recipient's must not pick that country's (laxer) rules (issue 17, item 1).
func TestDestinationIsTheRecipients(t *testing.T) {
	e := newEngine(t)
	casino := Message{ID: "c", Channel: SMS, Kind: Promotional, Sender: "AD-Casino", Recipient: "+971501234567",
		Body: "casino jackpot https://bit.ly/x", Time: tuesday}
	tests := []struct {
		name, country string
		field         string // of the ValidationError; "" when decided
	}{
		{"no country: the recipient's", "", ""},
		{"the recipient's country", "AE", ""},
		{"the recipient's country in lower case", "ae", ""},
		{"another country", "DE", "country"},
		{"another country in lower case", "de", "country"},
		{"not a country", "ZZ", "country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := casino
			m.Country = tt.country
			d, field := checkInvalid(t, e, m)
			if field != tt.field {
				t.Fatalf("Check(country %q) invalid field = %q, want %q (decision %v %v)", tt.country, field, tt.field, d.Action, codes(d))
			}
			if field == "" && d.Action != Block {
				t.Errorf("Check(country %q) = %v %v, want block", tt.country, d.Action, codes(d))
			}
		})
	}
}

// TestTimeBounds: a message time outside [MinTime, clock+MaxClockSkew] or a
// last inbound message after the message is invalid; past times stay valid
// (issue 17, item 6).
func TestTimeBounds(t *testing.T) {
	e := newEngine(t)
	msg := Message{ID: "t", Channel: WhatsApp, Kind: Promotional, Sender: "+4915123456789", Recipient: "+4915223456789", Body: "Hi. Reply STOP to opt out"}
	tests := []struct {
		name              string
		time, lastInbound time.Time
		field             string
	}{
		{"the year 9999", time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC), time.Time{}, "time"},
		{"an hour ahead of the clock", testNow.Add(time.Hour), time.Time{}, "time"},
		{"ham twin: within the skew ahead of the clock", testNow.Add(MaxClockSkew), time.Time{}, ""},
		{"before the floor", MinTime.Add(-time.Second), time.Time{}, "time"},
		{"the year 1", time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), time.Time{}, "time"},
		{"ham twin: an old log replayed", MinTime, time.Time{}, ""},
		{"ham twin: a fixed evaluation date", tuesday, tuesday.Add(-time.Hour), ""},
		{"last inbound in 2099, no time", time.Time{}, time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), "last_inbound_at"},
		{"last inbound after the message", tuesday, tuesday.Add(MaxClockSkew + time.Second), "last_inbound_at"},
		{"ham twin: last inbound within the skew after the message", tuesday, tuesday.Add(MaxClockSkew), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := msg
			m.Time, m.LastInboundAt = tt.time, tt.lastInbound
			d, field := checkInvalid(t, e, m)
			if field != tt.field {
				t.Fatalf("Check(time %v, last inbound %v) invalid field = %q, want %q (decision %v %v)",
					tt.time, tt.lastInbound, field, tt.field, d.Action, codes(d))
			}
		})
	}

	// The future window the issue found: last_inbound_at in 2099 opened
	// WhatsApp's 24-hour window. Its ham twin, a real reply an hour ago,
	// opens it.
	m := msg
	m.Time, m.LastInboundAt = tuesday, tuesday.Add(-time.Hour)
	if d, field := checkInvalid(t, e, m); field != "" || d.Action != Allow {
		t.Errorf("Check(reply an hour ago) = %v %v (invalid %q), want allow", d.Action, codes(d), field)
	}
}

// TestInboundTimeBounds: an inbound message dated in the future would open
// a conversation window in the store for ever; it is invalid, and its ham
// twin, a reply an hour ago, is recorded.
func TestInboundTimeBounds(t *testing.T) {
	e := newEngine(t)
	in := InboundMessage{ID: "i", Channel: WhatsApp, Sender: "+4915123456789", Recipient: "+4915223456789", Body: "hello"}
	for _, tt := range []struct {
		name  string
		at    time.Time
		field string
	}{
		{"in 2099", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), "time"},
		{"before the floor", MinTime.Add(-time.Hour), "time"},
		{"ham twin: an hour ago", testNow.Add(-time.Hour), ""},
	} {
		m := in
		m.Time = tt.at
		_, err := e.Inbound(context.Background(), &m)
		var ve *ValidationError
		if tt.field == "" && err != nil || tt.field != "" && (!errors.As(err, &ve) || ve.Field != tt.field) {
			t.Errorf("Inbound(%s) = %v, want invalid field %q", tt.name, err, tt.field)
		}
	}
	// The refused reply opened no window; the accepted one did.
	future := in
	future.Sender, future.Time = "+4915123456780", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	e.Inbound(context.Background(), &future)
	for _, tt := range []struct {
		sender string
		want   Action
	}{{future.Sender, Block}, {in.Sender, Allow}} {
		m := Message{ID: "w", Channel: WhatsApp, Kind: Promotional, Sender: tt.sender, Recipient: in.Recipient, Body: "Hi. Reply STOP to opt out", Time: testNow}
		if d, err := e.Check(context.Background(), &m); err != nil || d.Action != tt.want {
			t.Errorf("Check(whatsapp from %s after its reply) = %v %v, %v; want %v", tt.sender, d.Action, codes(d), err, tt.want)
		}
	}
}

// highBits sets 0x80 exactly when a byte of s is not ASCII, wherever it is:
// in a full word at any position, or in the tail.
func TestHighBits(t *testing.T) {
	for n := range 40 {
		b := []byte(strings.Repeat("a", n))
		if got := highBits(string(b)) & 0x80; got != 0 {
			t.Fatalf("highBits(%q) & 0x80 = %#x, want 0", b, got)
		}
		for i := range b {
			for _, c := range []byte{0x80, 0xc3, 0xff} {
				b[i] = c
				if highBits(string(b))&0x80 == 0 {
					t.Fatalf("highBits(%q) & 0x80 = 0, want it set", b)
				}
				b[i] = 0x7f
				if highBits(string(b))&0x80 != 0 {
					t.Fatalf("highBits(%q) & 0x80 set, want 0", b)
				}
				b[i] = 'a'
			}
		}
	}
}

// everyField is a message that Check decides with every string field set,
// each to ASCII.
var everyField = Message{ID: "m-1", Channel: WhatsApp, Kind: Promotional, Country: "BR", Sender: "+5511912345678",
	Recipient: "+5521987654321", SourceIP: "192.0.2.1", Body: "Spring sale: 20% off. Reply STOP to opt out",
	Time: tuesday, Tenant: "acme", Template: "spring_sale", TemplateCategory: Marketing, Tag: "ACCOUNT_UPDATE"}

// stringFields returns the JSON names and values of m's string fields,
// found by reflection so that a field added later is covered.
func stringFields(m *Message) map[string]reflect.Value {
	fields := map[string]reflect.Value{}
	v := reflect.ValueOf(m).Elem()
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.String {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			fields[name] = v.Field(i)
		}
	}
	return fields
}

// TestEveryStringFieldValidUTF8: a bad byte in any string field of a
// message, the others ASCII (validate's fast path), is a *ValidationError
// naming that field; the message without it is decided.
func TestEveryStringFieldValidUTF8(t *testing.T) {
	e := newEngine(t)
	if _, field := checkInvalid(t, e, everyField); field != "" {
		t.Fatalf("the valid message is invalid on %s", field)
	}
	names := stringFields(new(Message))
	for _, name := range []string{"id", "channel", "body", "template", "template_category", "tag"} {
		if _, ok := names[name]; !ok {
			t.Fatalf("stringFields misses %s: %v", name, names)
		}
	}
	for name := range names {
		for _, bad := range []string{"\xff", "\xc3", "\xed\xa0\x80", "é\xe9"} {
			m := everyField
			f := stringFields(&m)[name]
			f.SetString(f.String() + bad)
			if _, field := checkInvalid(t, e, m); field != name {
				t.Errorf("%s %q: invalid field %q, want %q", name, f.String(), field, name)
			}
		}
	}
}

// FuzzCheckFields sets a message's string fields to any bytes, as a Go
// caller may (the JSON decoders refuse invalid UTF-8 before Check): Check
// returns a decision or a *ValidationError, and decides only a message
// whose every string field is valid UTF-8 and within its cap.
func FuzzCheckFields(f *testing.F) {
	m := everyField
	f.Add(m.ID, m.Sender, m.Recipient, m.Body, m.Tenant, m.Template, string(m.TemplateCategory), m.Tag)
	f.Add("é", "Élan", m.Recipient, "Colis livré \xc3", "acmé", "soldes_d_été", "utility", "POST_PURCHASE_\xff")
	f.Add("", "Acme", "+12025550123", "code 1234", "", "spring\xff", "", "")
	f.Add("", "Acme", "+12025550123", "code 1234", "", "", "marketing", "\xed\xa0\x80")
	e := newEngine(f, WithCheckBudget(-1)) // fuzzing under -race is slow; a timeout is not a finding
	f.Fuzz(func(t *testing.T, id, sender, recipient, body, tenant, template, category, tag string) {
		m := Message{ID: id, Channel: WhatsApp, Kind: Promotional, Sender: sender, Recipient: recipient, Body: body,
			Time: tuesday, Tenant: tenant, Template: template, TemplateCategory: TemplateCategory(category), Tag: tag}
		if _, field := checkInvalid(t, e, m); field != "" {
			return
		}
		for name, v := range stringFields(&m) {
			if !utf8.ValidString(v.String()) {
				t.Fatalf("decided a message with invalid UTF-8 in %s: %q", name, v.String())
			}
		}
		if max(len(template), len(tag)) > maxNameBytes || max(len(sender), len(recipient), len(tenant)) > state.MaxFieldLen ||
			len(body) > e.opts.maxBodyBytes {
			t.Fatalf("decided a message over a cap: %+v", m)
		}
		if category != "" && (template == "" || !slices.Contains([]TemplateCategory{Marketing, Utility, Authentication}, m.TemplateCategory)) {
			t.Fatalf("decided template_category %q with template %q", category, template)
		}
	})
}

// TestValidationErrorValue: the value an error shows is valid UTF-8 and
// at most 64 bytes, whatever bytes a Go caller passed, so that it can be
// written as JSON.
func TestValidationErrorValue(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"short ASCII kept", "promo", "promo"},
		{"64 bytes kept", strings.Repeat("a", 64), strings.Repeat("a", 64)},
		{"65 bytes cut", strings.Repeat("a", 65), strings.Repeat("a", 64)},
		{"cut before a character split at 64", strings.Repeat("a", 63) + "é", strings.Repeat("a", 63)},
		{"character ending at 64 kept", strings.Repeat("a", 62) + "é", strings.Repeat("a", 62) + "é"},
		{"bad byte replaced", "pro\xffmo", "pro\uFFFDmo"},
		{"bad bytes past the cut", strings.Repeat("a", 64) + "\xff", strings.Repeat("a", 64)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := invalid("kind", tt.in, "test").Value
			if got != tt.want {
				t.Errorf("Value = %q, want %q", got, tt.want)
			}
			if !utf8.ValidString(got) || len(got) > 64 {
				t.Errorf("Value %q: valid %v, %d bytes", got, utf8.ValidString(got), len(got))
			}
		})
	}
}
