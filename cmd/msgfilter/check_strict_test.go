package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestCheckRefusesAmbiguousLines: a line whose keys repeat, differ only by
// case or carry invalid UTF-8 is an error line, never decided on one of
// its readings (issue 17, item 5). The ham twin is decided.
func TestCheckRefusesAmbiguousLines(t *testing.T) {
	const uae = `"channel":"sms","kind":"promotional","sender":"AD-Shop","recipient":"+971501234567","time":"2026-11-24T10:00:00Z"`
	tests := []struct {
		name, line, errPart, action string
	}{
		{"ham twin: the casino text alone", `{"id":"a",` + uae + `,"body":"casino jackpot"}`, "", "block"},
		{"duplicate body", `{"id":"a",` + uae + `,"body":"casino jackpot","body":"hello"}`, "invalid body: duplicate field", ""},
		{"body and BODY", `{"id":"a",` + uae + `,"body":"casino jackpot","BODY":"hello"}`, `invalid BODY: unknown field: keys are case-sensitive, want "body"`, ""},
		{"invalid UTF-8", "{\"id\":\"a\"," + uae + ",\"body\":\"ca\xffsino\"}", "invalid body: invalid UTF-8", ""},
		{"inbound with a duplicate body", `{"direction":"inbound","id":"a","channel":"sms","sender":"AD-Shop","recipient":"+971501234567","body":"hi","body":"STOP"}`, "invalid body: duplicate field", ""},
		{"inbound with Direction in another case", `{"Direction":"inbound","direction":"inbound","id":"a","channel":"sms","sender":"AD-Shop","recipient":"+971501234567","body":"STOP"}`, "invalid Direction: unknown field", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), []string{"check"}, strings.NewReader(tt.line+"\n"), &out, &errOut); code != 0 {
				t.Fatalf("check exit = %d, want 0 (stderr %q)", code, errOut.String())
			}
			var got struct{ ID, Action, Error string }
			if err := json.Unmarshal(out.Bytes(), &got); err != nil {
				t.Fatalf("output %q is not JSON: %v", out.String(), err)
			}
			if got.Action != tt.action || !strings.Contains(got.Error, tt.errPart) || (tt.errPart != "" && got.ID != "a") {
				t.Errorf("check(%q) = %s; want action %q, id a, error containing %q", tt.line, out.String(), tt.action, tt.errPart)
			}
		})
	}
}
