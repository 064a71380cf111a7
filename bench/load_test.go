package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunLoad drives a real loopback server with each client and checks
// that every request is counted once and that a stall is charged to the
// requests queued behind it (no coordinated omission).
func TestRunLoad(t *testing.T) {
	for _, proto := range []string{"raw", "nethttp", "h2c"} {
		t.Run(proto, func(t *testing.T) {
			var n, stalled atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				if n.Add(1) == 5 && stalled.CompareAndSwap(0, 1) {
					time.Sleep(200 * time.Millisecond)
				}
				w.Write([]byte(`{}`))
			}))
			var p http.Protocols
			p.SetHTTP1(true)
			p.SetUnencryptedHTTP2(true)
			srv.Config.Protocols = &p
			srv.Start()
			defer srv.Close()
			cfg := loadConfig{base: srv.URL, bodies: [][]byte{[]byte(`{"id":"1"}`)}, rate: 200, duration: time.Second, conns: 1, proto: proto}
			r, err := runLoad(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r.requests != 200 || r.failed != 0 || n.Load() != 200 {
				t.Fatalf("requests %d, failed %d (%s), served %d; want 200, 0, 200", r.requests, r.failed, r.firstErr, n.Load())
			}
			// One connection: the 200 ms stall delays the ~40 requests
			// due meanwhile. From their due time they are late; from
			// their send time only the stalled one is slow.
			if got := r.fromDue.quantile(0.9); got < 50*time.Millisecond {
				t.Errorf("p90 from due = %v, want the stall charged to the requests behind it (>= 50ms)", got)
			}
			if got := r.fromSend.quantile(0.9); got > 50*time.Millisecond {
				t.Errorf("p90 from send = %v, want only the stalled request slow", got)
			}
		})
	}
}
