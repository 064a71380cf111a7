package filter

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

// TestDecodeMessage: every key is read once and exactly as written, on the
// raw bytes (issue 17, item 5). Each ambiguous line has a ham twin.
func TestDecodeMessage(t *testing.T) {
	const base = `"channel":"sms","kind":"promotional","recipient":"+971501234567","sender":"AD-Shop"`
	tests := []struct {
		name, line string
		field      string // of the *ValidationError; "" when decoded
		body       string // when decoded
	}{
		{"ham twin: one body", `{` + base + `,"body":"casino jackpot"}`, "", "casino jackpot"},
		{"duplicate key", `{` + base + `,"body":"casino jackpot","body":"hello"}`, "body", ""},
		{"duplicate key spelt with an escape", `{` + base + `,"body":"casino jackpot","bo\u0064y":"hello"}`, "body", ""},
		{"key differing only by case", `{` + base + `,"body":"casino jackpot","BODY":"hello"}`, "BODY", ""},
		{"key in the wrong case alone", `{` + base + `,"Body":"hello"}`, "Body", ""},
		{"unknown key", `{` + base + `,"recipent":"+971501234567","body":"x"}`, "recipent", ""},
		{"invalid UTF-8 in the body", "{" + base + ",\"body\":\"ca\xffsino\"}", "body", ""},
		{"ham twin: the same body escaped", `{` + base + `,"body":"ca\u00ffsino"}`, "", "caÿsino"},
		{"invalid UTF-8 in a key", "{" + base + ",\"bo\xffdy\":\"x\"}", "", ""},
		{"a number for a string", `{` + base + `,"body":1}`, "body", ""},
		{"a time that does not parse", `{` + base + `,"body":"x","time":"9999-99"}`, "time", ""},
		{"two objects", `{` + base + `,"body":"x"} {}`, "", ""},
		{"not an object", `[1]`, "", ""},
		{"truncated", `{` + base, "", ""},
		{"ham twin: outbound direction", `{"direction":"outbound",` + base + `,"body":"x"}`, "", "x"},
		{"inbound direction", `{"direction":"inbound",` + base + `,"body":"x"}`, "direction", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeMessage([]byte(tt.line))
			if tt.field == "" && tt.body != "" {
				if err != nil || m.Body != tt.body {
					t.Fatalf("DecodeMessage(%q) = %+v, %v; want body %q", tt.line, m, err, tt.body)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("DecodeMessage(%q) = %+v, %v; want a *ValidationError", tt.line, m, err)
			}
			if ve.Field != tt.field {
				t.Errorf("DecodeMessage(%q) = %v, want field %q", tt.line, err, tt.field)
			}
		})
	}
}

func TestDecodeMessageNamesTheKey(t *testing.T) {
	_, err := DecodeMessage([]byte(`{"body":"casino","BODY":"hello"}`))
	if want := `filter: invalid BODY: unknown field: keys are case-sensitive, want "body"`; err == nil || err.Error() != want {
		t.Errorf("DecodeMessage(body and BODY) = %v, want %s", err, want)
	}
	_, err = DecodeMessage([]byte(`{"body":"casino","body":"hello"}`))
	if want := `filter: invalid body: duplicate field`; err == nil || err.Error() != want {
		t.Errorf("DecodeMessage(body twice) = %v, want %s", err, want)
	}
}

func TestDecodeInboundMessage(t *testing.T) {
	const base = `"channel":"sms","recipient":"+971501234567","sender":"AD-Shop"`
	tests := []struct {
		name, line, field string
	}{
		{"ham twin: a STOP", `{` + base + `,"body":"STOP"}`, ""},
		{"ham twin: with its direction", `{"direction":"inbound",` + base + `,"body":"STOP"}`, ""},
		{"duplicate body", `{` + base + `,"body":"STOP","body":"hi"}`, "body"},
		{"sender in another case", `{` + base + `,"Sender":"Other","body":"STOP"}`, "Sender"},
		{"outbound direction", `{"direction":"outbound",` + base + `,"body":"STOP"}`, "direction"},
		{"invalid UTF-8", "{" + base + ",\"body\":\"ST\xffOP\"}", "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := DecodeInboundMessage([]byte(tt.line))
			var ve *ValidationError
			switch {
			case tt.field == "" && (err != nil || in.Body != "STOP"):
				t.Fatalf("DecodeInboundMessage(%q) = %+v, %v; want body STOP", tt.line, in, err)
			case tt.field != "" && (!errors.As(err, &ve) || ve.Field != tt.field):
				t.Fatalf("DecodeInboundMessage(%q) = %v, want a *ValidationError on %q", tt.line, err, tt.field)
			}
		})
	}
}

func TestDecodeReport(t *testing.T) {
	const base = `"channel":"sms","kind":"promotional","recipient":"+971501234567","sender":"AD-Shop","body":"casino"`
	if m, label, err := DecodeReport([]byte(`{"label":"spam",` + base + `}`)); err != nil || label != ReportSpam || m.Body != "casino" {
		t.Errorf("DecodeReport(spam) = %+v, %q, %v; want the message labelled spam", m, label, err)
	}
	for _, line := range []string{`{"label":"ham","label":"spam",` + base + `}`, `{"LABEL":"ham",` + base + `}`} {
		var ve *ValidationError
		if _, _, err := DecodeReport([]byte(line)); !errors.As(err, &ve) {
			t.Errorf("DecodeReport(%s) = %v, want a *ValidationError", line, err)
		}
	}
}

// FuzzDecodeMessage: DecodeMessage never panics, fails only with a
// *ValidationError, keeps only valid UTF-8, and what it decodes survives a
// round trip through the Message's JSON form.
func FuzzDecodeMessage(f *testing.F) {
	for _, s := range []string{
		`{"channel":"sms","kind":"otp","sender":"A","recipient":"+971501234567","body":"code 1234","time":"2026-11-24T10:00:00Z"}`,
		`{"body":"casino","BODY":"hello"}`, `{"body":"a","bo\u0064y":"b"}`, "{\"body\":\"ca\xffsino\"}",
		`{"direction":"outbound","body":"x"}`, `{"direction":"inbound"}`, `[]`, `{`, `null`,
		"{\"template\":\"spring\xff\",\"template_category\":\"market\xc3\",\"tag\":\"\xed\xa0\x80\"}",
		`{"template":"soldes_d_\u00e9t\u00e9","template_category":"utility","tag":"ACCOUNT_UPDATE"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeMessage(b)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("DecodeMessage(%q) = %v, want a *ValidationError", b, err)
			}
			return
		}
		for name, v := range stringFields(m) {
			if !utf8.ValidString(v.String()) {
				t.Fatalf("DecodeMessage(%q) kept invalid UTF-8 %q in %s", b, v.String(), name)
			}
		}
		out, err := json.Marshal(m)
		if err != nil {
			return // a time json cannot write (a year past 9999): Check refuses it anyway
		}
		again, err := DecodeMessage(out)
		if err != nil || !reflect.DeepEqual(stripMono(*again), stripMono(*m)) {
			t.Fatalf("DecodeMessage(%q) = %+v, round trip %s = %+v, %v", b, m, out, again, err)
		}
	})
}

// stripMono makes times comparable by value for the round trip.
func stripMono(m Message) Message {
	m.Time, m.LastInboundAt = m.Time.UTC(), m.LastInboundAt.UTC()
	return m
}
