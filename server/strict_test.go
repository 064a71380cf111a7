package server

import (
	"strings"
	"testing"
)

// TestAmbiguousJSONIsRefused: a body whose keys repeat, differ only by case
// or carry invalid UTF-8 gets 400 naming the key, alone or inside a batch
// (issue 17, item 5); the ham twin is decided.
func TestAmbiguousJSONIsRefused(t *testing.T) {
	s := newTestServer(t, nil)
	const uae = `"channel":"sms","kind":"promotional","sender":"AD-Shop","recipient":"+971501234567"`
	casino := `{"id":"c",` + uae + `,"body":"casino jackpot"}`
	tests := []struct {
		name, path, body string
		code             int
		field, errPart   string
	}{
		{"ham twin: the casino text", "/v1/check", casino, 403, "", ""},
		{"duplicate body", "/v1/check", `{"id":"c",` + uae + `,"body":"casino jackpot","body":"hello"}`, 400, "body", "duplicate field"},
		{"body and BODY", "/v1/check", `{"id":"c",` + uae + `,"body":"casino jackpot","BODY":"hello"}`, 400, "BODY", "case-sensitive"},
		{"invalid UTF-8", "/v1/check", "{\"id\":\"c\"," + uae + ",\"body\":\"ca\xffsino\"}", 400, "body", "invalid UTF-8"},
		{"explain with body and BODY", "/v1/explain", `{"id":"c",` + uae + `,"body":"casino jackpot","BODY":"hello"}`, 400, "BODY", "case-sensitive"},
		{"inbound with a duplicate body", "/v1/inbound", `{"id":"i","channel":"sms","sender":"AD-Shop","recipient":"+971501234567","body":"hi","body":"STOP"}`, 400, "body", "duplicate field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, "POST", s.url+tc.path, tc.body)
			var got errorBody
			r.decode(t, &got)
			if r.code != tc.code || got.Field != tc.field || !strings.Contains(got.Error, tc.errPart) {
				t.Errorf("POST %s (%s) = %d %+v, want %d, field %q, error containing %q", tc.path, tc.name, r.code, got, tc.code, tc.field, tc.errPart)
			}
		})
	}

	// In a batch (array and JSON lines), the ambiguous item gets its own
	// 400 result and its neighbours their decisions.
	dup := `{"id":"d",` + uae + `,"body":"casino jackpot","BODY":"hello"}`
	for _, body := range []string{"[" + casino + "," + dup + "]", casino + "\n" + dup + "\n"} {
		r := do(t, "POST", s.url+"/v1/check", body)
		var got struct {
			Decisions []struct {
				ID, Action, Error, Field string
				HTTPStatus               int `json:"http_status"`
			}
		}
		r.decode(t, &got)
		if len(got.Decisions) != 2 || got.Decisions[0].Action != "block" ||
			got.Decisions[1].HTTPStatus != 400 || got.Decisions[1].Field != "BODY" || got.Decisions[1].ID != "d" {
			t.Errorf("POST /v1/check batch %q = %d %s; want block, then 400 on BODY", body, r.code, r.body)
		}
	}
}
