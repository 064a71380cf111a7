package filter

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/msgfilter/msgfilter/rules"
)

// writeTree writes a MapFS under dir.
func writeTree(t *testing.T, dir string, fsys fstest.MapFS) {
	t.Helper()
	for name, f := range fsys {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// events collects reload events for a test to wait on.
type events struct {
	mu  sync.Mutex
	evs []ReloadEvent
	at  []time.Time
	ch  chan struct{}
}

func newEvents() *events { return &events{ch: make(chan struct{}, 100)} }

func (e *events) hook(ev ReloadEvent) {
	e.mu.Lock()
	e.evs, e.at = append(e.evs, ev), append(e.at, time.Now())
	e.mu.Unlock()
	e.ch <- struct{}{}
}

// wait returns the next event and when it came.
func (e *events) wait(t *testing.T) (ReloadEvent, time.Time) {
	t.Helper()
	select {
	case <-e.ch:
	case <-time.After(20 * time.Second):
		t.Fatal("no reload event within 20s")
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.evs[len(e.evs)-1], e.at[len(e.at)-1]
}

// waitOK returns the first successful reload event from now on. A save
// of several files can be caught halfway (a file read mid-write); such a
// reload fails and leaves the running revision, and the rest of the save
// triggers another.
func (e *events) waitOK(t *testing.T) (ReloadEvent, time.Time) {
	t.Helper()
	for {
		ev, at := e.wait(t)
		if ev.Err == nil {
			return ev, at
		}
		t.Logf("reload of a partial save failed, as it should: %v", ev.Err)
	}
}

func TestWatchReloadsOnChange(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, policyA)
	evs := newEvents()
	e := newEngine(t, WithPolicies(os.DirFS(dir)), WithReloadDebounce(20*time.Millisecond), WithReloadHook(evs.hook))
	ctx, cancel := context.WithCancel(context.Background())
	watchErr := make(chan error, 1)
	go func() { watchErr <- e.Watch(ctx, dir) }()
	time.Sleep(100 * time.Millisecond) // let the watcher start

	changed := time.Now()
	writeTree(t, dir, policyB)
	ev, at := evs.waitOK(t)
	if ev.Err != nil || ev.Source != "watch" || ev.Revision != revisionOf(t, policyB) {
		t.Fatalf("after a change: event %+v, want revision B from watch", ev)
	}
	if d := mustCheck(t, e, promo()); d.Action != Allow {
		t.Errorf("after the watched reload Check = %s, want allow (revision B)", d.Action)
	}
	t.Logf("file change → new revision serving: %v (debounce 20ms)", at.Sub(changed))

	if err := os.WriteFile(filepath.Join(dir, "global/global.rego"), []byte("package msgfilter.global\n\nreasons contains r if {"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ev, _ := evs.wait(t); ev.Err == nil || e.Revision() != revisionOf(t, policyB) {
		t.Errorf("after a broken save: event %+v, engine at %s; want an error and revision B", ev, e.Revision())
	}
	writeTree(t, dir, policyA) // repaired, in a new pack directory too
	if err := os.MkdirAll(filepath.Join(dir, "countries", "am"), 0o755); err != nil {
		t.Fatal(err)
	}
	if ev, _ := evs.waitOK(t); ev.Revision != revisionOf(t, policyA) {
		t.Errorf("after the repair: revision %s, want A", ev.Revision)
	}
	cancel()
	if err := <-watchErr; err != nil {
		t.Errorf("Watch = %v after cancel, want nil", err)
	}
}

func TestWatchMissingDir(t *testing.T) {
	e := newEngine(t, WithPolicies(policyA))
	if err := e.Watch(context.Background(), filepath.Join(t.TempDir(), "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Watch(missing dir) = %v, want ErrNotExist", err)
	}
}

func signingKeys(t *testing.T) (*bundle.SigningConfig, *bundle.VerificationConfig) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	return bundle.NewSigningConfig(string(priv), "RS256", ""),
		bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{"ops": {Key: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), Algorithm: "RS256"}}, "ops", "", nil)
}

func bundleOf(t *testing.T, fsys fs.FS, sc *bundle.SigningConfig) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := rules.WriteBundle(&buf, fsys, sc, "ops"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestPollBundleHTTP(t *testing.T) {
	sc, vc := signingKeys(t)
	var (
		mu           sync.Mutex
		body         = bundleOf(t, policyB, sc)
		etag         = `"b"`
		full, notMod atomic.Int64
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			notMod.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", etag)
		w.Write(body)
	}))
	defer srv.Close()
	evs := newEvents()
	e := newEngine(t, WithPolicies(policyA), WithBundleVerification(vc), WithReloadHook(evs.hook))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.PollBundle(ctx, srv.URL, 10*time.Millisecond, srv.Client()) }()

	if ev, _ := evs.wait(t); ev.Err != nil || ev.Revision != revisionOf(t, policyB) {
		t.Fatalf("first poll: %+v, want revision B", ev)
	}
	// An unsigned bundle under a new ETag: refused once, B keeps deciding.
	tampered := bundleOf(t, policyA, nil)
	mu.Lock()
	body, etag = tampered, `"tampered"`
	mu.Unlock()
	if ev, _ := evs.wait(t); !errors.Is(ev.Err, rules.ErrBundleUnsigned) {
		t.Errorf("tampered bundle: event error %v, want ErrBundleUnsigned", ev.Err)
	}
	time.Sleep(100 * time.Millisecond)
	if d := mustCheck(t, e, promo()); d.Action != Allow || e.Revision() != revisionOf(t, policyB) {
		t.Errorf("after a refused bundle Check = %s at %s, want allow at B", d.Action, e.Revision())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("PollBundle = %v after cancel, want nil", err)
	}
	if full.Load() != 2 || notMod.Load() < 2 {
		t.Errorf("server saw %d full and %d not-modified requests, want 2 full and several 304s", full.Load(), notMod.Load())
	}
}

func TestPollBundleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bundle.tar.gz")
	if err := os.WriteFile(path, bundleOf(t, policyB, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	evs := newEvents()
	e := newEngine(t, WithPolicies(policyA), WithReloadHook(evs.hook))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go e.PollBundle(ctx, path, 10*time.Millisecond, nil)
	if ev, _ := evs.wait(t); ev.Err != nil || ev.Revision != revisionOf(t, policyB) {
		t.Fatalf("file poll: %+v, want revision B", ev)
	}
	if err := os.WriteFile(path, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ev, _ := evs.wait(t); !errors.Is(ev.Err, rules.ErrBundleFormat) || e.Revision() != revisionOf(t, policyB) {
		t.Errorf("corrupt bundle file: %+v at %s, want ErrBundleFormat and B", ev, e.Revision())
	}
}
