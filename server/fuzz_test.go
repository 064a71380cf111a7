package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzCheckBody posts arbitrary bodies to /v1/check: the answer is always
// JSON with a documented status, never a panic, and a batch answers every
// item it read.
func FuzzCheckBody(f *testing.F) {
	for _, s := range []string{otpMsg, trPromo, aeNight, "[" + otpMsg + "," + hkSender + "]", otpMsg + "\n" + trPromo, "{", "[", "", "null", "[null,1,\"x\"]", "\n\n" + otpMsg + "\n\n"} {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(otpMsg), "application/x-ndjson")
	h, err := New(newEngine(f), WithMaxBodyBytes(1<<16))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/v1/check", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch w.Code {
		case 200, 400, 403, 413, 429, 503:
		default:
			t.Fatalf("status %d for %q", w.Code, body)
		}
		var v map[string]json.RawMessage
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatalf("answer %q to %q is not a JSON object: %v", w.Body, body, err)
		}
		if w.Code == 400 && v["error"] == nil {
			t.Fatalf("400 without an error: %s", w.Body)
		}
	})
}
