package filter

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/rules"
)

// TestPollBundleSlowServer: a server that sends its body at 1 byte/s must
// not hold the poller with the default client; a good bundle served later
// is fetched.
func TestPollBundleSlowServer(t *testing.T) {
	good := bundleOf(t, policyB, nil)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1) > 1 {
			w.Write(good)
			return
		}
		w.WriteHeader(http.StatusOK)
		for {
			w.Write([]byte{0x1f})
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	}))
	defer srv.Close()
	evs := newEvents()
	e := newEngine(t, WithPolicies(policyA), WithReloadHook(evs.hook))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	go e.PollBundle(ctx, srv.URL, 50*time.Millisecond, nil)

	ev, at := evs.wait(t)
	if !errors.Is(ev.Err, context.DeadlineExceeded) {
		t.Errorf("slow fetch: event %+v, want a deadline error", ev)
	}
	t.Logf("slow fetch abandoned after %v", at.Sub(start))
	if ev, at := evs.wait(t); ev.Err != nil || ev.Revision != revisionOf(t, policyB) {
		t.Errorf("next poll: %+v, want revision B", ev)
	} else {
		t.Logf("good bundle loaded after %v", at.Sub(start))
	}
}

// TestPollBundleRefusedNotRefetched: a refused bundle is not downloaded
// again while its ETag or Last-Modified is unchanged; one refused for its
// Content-Length is not downloaded at all.
func TestPollBundleRefusedNotRefetched(t *testing.T) {
	_, vc := signingKeys(t)
	unsigned := bundleOf(t, policyB, nil)
	const huge = 200 << 20
	lastModified := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	tests := []struct {
		name    string
		etag    string // "" = none
		lastMod bool
		size    int // 0 = the unsigned bundle; else zeros with this Content-Length
		wantErr error
	}{
		{"200 MB bundle with an ETag", `"big"`, false, huge, rules.ErrBundleTooLarge},
		{"200 MB bundle with Last-Modified only", "", true, huge, rules.ErrBundleTooLarge},
		{"unsigned bundle with Last-Modified only", "", true, 0, rules.ErrBundleUnsigned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var full, notMod, written atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.etag != "" && r.Header.Get("If-None-Match") == tt.etag ||
					tt.lastMod && r.Header.Get("If-Modified-Since") == lastModified {
					notMod.Add(1)
					w.WriteHeader(http.StatusNotModified)
					return
				}
				full.Add(1)
				if tt.etag != "" {
					w.Header().Set("ETag", tt.etag)
				}
				if tt.lastMod {
					w.Header().Set("Last-Modified", lastModified)
				}
				if tt.size == 0 {
					w.Write(unsigned)
					return
				}
				w.Header().Set("Content-Length", strconv.Itoa(tt.size))
				chunk := make([]byte, 64<<10)
				for n := 0; n < tt.size; n += len(chunk) {
					if _, err := w.Write(chunk); err != nil {
						return // the client hung up
					}
					written.Add(int64(len(chunk)))
				}
			}))
			defer srv.Close()
			var (
				mu       sync.Mutex
				firstErr error
			)
			hook := func(ev ReloadEvent) { // never blocks the poller
				mu.Lock()
				if firstErr == nil {
					firstErr = ev.Err
				}
				mu.Unlock()
			}
			e := newEngine(t, WithPolicies(policyA), WithBundleVerification(vc), WithReloadHook(hook))
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { e.PollBundle(ctx, srv.URL, 10*time.Millisecond, nil); close(done) }()
			for deadline := time.Now().Add(10 * time.Second); notMod.Load() < 3 && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			<-done
			if !errors.Is(firstErr, tt.wantErr) {
				t.Errorf("first poll: error %v, want %v", firstErr, tt.wantErr)
			}
			if full.Load() != 1 || notMod.Load() < 3 {
				t.Errorf("server saw %d full and %d not-modified requests, want 1 full and at least 3 not-modified",
					full.Load(), notMod.Load())
			}
			// Socket buffers take a few MB before the server notices that
			// the client hung up; reading the body would be 64 MiB a poll.
			t.Logf("%d full, %d not-modified requests; server wrote %d KiB", full.Load(), notMod.Load(), written.Load()>>10)
			if w := written.Load(); w > 16<<20 {
				t.Errorf("server wrote %d MiB of a refused bundle, want it refused from its Content-Length", w>>20)
			}
			if e.Revision() != revisionOf(t, policyA) {
				t.Errorf("revision = %s after refused bundles, want A", e.Revision())
			}
		})
	}
}

// TestPollBundleBacksOff: a server that sends no validators and a
// different refused bundle each time is polled less and less often.
func TestPollBundleBacksOff(t *testing.T) {
	_, vc := signingKeys(t)
	var (
		mu    sync.Mutex
		times []time.Time
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		w.Write([]byte("not a bundle " + strconv.Itoa(n))) // new content: no tag matches
	}))
	defer srv.Close()
	e := newEngine(t, WithPolicies(policyA), WithBundleVerification(vc))
	ctx, cancel := context.WithCancel(context.Background())
	const every = 10 * time.Millisecond
	done := make(chan struct{})
	go func() { e.PollBundle(ctx, srv.URL, every, nil); close(done) }()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := len(times)
		mu.Unlock()
		if n >= 7 {
			break
		}
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(times) < 7 {
		t.Fatalf("server saw %d requests in 20 s, want 7", len(times))
	}
	// After k refusals in a row the wait is every·2^k; a busy machine
	// only makes gaps longer.
	for k := 1; k <= 5; k++ {
		gap, want := times[k].Sub(times[k-1]), every<<k
		if gap < want {
			t.Errorf("gap before request %d = %v, want at least %v", k+1, gap, want)
		}
	}
	if d := pollDelay(every, 100); d != every<<6 {
		t.Errorf("pollDelay(%v, 100) = %v, want the cap %v", every, d, every<<6)
	}
	if d := pollDelay(time.Duration(1)<<62, 6); d <= 0 {
		t.Errorf("pollDelay(2^62 ns, 6) = %v, want no overflow", d)
	}
}
