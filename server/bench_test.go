package server

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/filter"
)

// BenchmarkHandler measures what the service adds to a check: one
// message that the exact cache answers, through the Handler without a
// network, against the engine's own Check.
func BenchmarkHandler(b *testing.B) {
	e := newEngine(b)
	h, err := New(e)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(otpMsg)
	b.Run("engine", func(b *testing.B) {
		m, err := filter.DecodeMessage(body)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			mc := *m
			if _, err := e.Check(context.Background(), &mc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/v1/check", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json") // as gateways send it
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code, w.Body)
			}
		}
	})
	batch := []byte(strings.Repeat(otpMsg+"\n", 100))
	b.Run("batch100", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(batch)))
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/v1/check", bytes.NewReader(batch)))
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
}
