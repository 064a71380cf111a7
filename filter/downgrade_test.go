package filter

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/msgfilter/msgfilter/rules"
)

// signedBundles signs bundles with one key, as "opa sign --claims-file"
// does, with an "iat" claim when asked.
type signedBundles struct {
	t       *testing.T
	private string
	vc      *bundle.VerificationConfig
}

func newSignedBundles(t *testing.T) *signedBundles {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	return &signedBundles{
		t:       t,
		private: string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})),
		vc: bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{
			"ops": {Key: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), Algorithm: "RS256"},
		}, "ops", "", nil),
	}
}

// bundle returns src as a signed bundle whose manifest says rev, signed at
// iat (zero: no "iat" claim).
func (s *signedBundles) bundle(src fstest.MapFS, rev string, iat time.Time) []byte {
	s.t.Helper()
	fsys := maps.Clone(src)
	fsys[".manifest"] = &fstest.MapFile{Data: []byte(`{"revision": "` + rev + `"}`)}
	claims := ""
	if !iat.IsZero() {
		claims = filepath.Join(s.t.TempDir(), "claims.json")
		if err := os.WriteFile(claims, []byte(`{"iat": `+strconv.FormatInt(iat.Unix(), 10)+`}`), 0o600); err != nil {
			s.t.Fatal(err)
		}
	}
	return bundleOf(s.t, fsys, bundle.NewSigningConfig(s.private, "RS256", claims))
}

// TestReloadBundleRefusesDowngrade: a signed bundle older than the one
// deciding is a replay and is refused; Rollback and RollbackBundle go back
// on purpose (issue 17, item 8).
func TestReloadBundleRefusesDowngrade(t *testing.T) {
	sb := newSignedBundles(t)
	t41 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	b41 := sb.bundle(policyB, "41", t41)                   // refuses otp
	b42 := sb.bundle(policyA, "42", t41.Add(24*time.Hour)) // refuses promotional
	b43 := sb.bundle(policyB, "43", t41.Add(48*time.Hour)) // refuses otp again
	counter40 := sb.bundle(policyB, "40", time.Time{})     // ordered by its revision only
	unordered := sb.bundle(policyB, "abc123", time.Time{}) // no order at all
	revA, revB := revisionOf(t, policyA), revisionOf(t, policyB)
	var events []ReloadEvent
	e := newEngine(t, WithPolicies(policyA), WithBundleVerification(sb.vc),
		WithReloadHook(func(ev ReloadEvent) { events = append(events, ev) }))
	ctx := context.Background()
	reload := func(b []byte) func() error { return func() error { return e.ReloadBundle(ctx, bytes.NewReader(b)) } }
	steps := []struct {
		name      string
		do        func() error
		downgrade bool
		rev       string
	}{
		{"41 after a directory: nothing to order against", reload(b41), false, revB},
		{"42 after 41", reload(b42), false, revA},
		{"41 replayed after 42", reload(b41), true, revA},
		{"40 by revision after 42", reload(counter40), true, revA},
		{"an unordered bundle after 42", reload(unordered), true, revA},
		{"Rollback to 41", e.Rollback, false, revB},
		{"42 after the rollback to 41", reload(b42), false, revA},
		{"42 again: the same bundle re-read", reload(b42), false, revA},
		{"RollbackBundle to 41", func() error { return e.RollbackBundle(ctx, bytes.NewReader(b41)) }, false, revB},
		{"43 after 41", reload(b43), false, revB},
		{"42 replayed after 43", reload(b42), true, revB},
	}
	for _, s := range steps {
		err := s.do()
		if s.downgrade != errors.Is(err, rules.ErrBundleDowngrade) || !s.downgrade && err != nil {
			t.Fatalf("%s: %v, want downgrade refused = %v", s.name, err, s.downgrade)
		}
		if e.Revision() != s.rev {
			t.Errorf("%s: revision %s, want %s", s.name, e.Revision(), s.rev)
		}
	}
	if ev := events[2]; !errors.Is(ev.Err, rules.ErrBundleDowngrade) || ev.Source != "bundle" || ev.Previous != revA {
		t.Errorf("reload event of the replay = %+v, want the downgrade reported", ev)
	}
}

// TestWithBundleKeepsItsVersion: an engine started from a bundle refuses a
// replay of an older one from the first reload on.
func TestWithBundleKeepsItsVersion(t *testing.T) {
	sb := newSignedBundles(t)
	t42 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	start, err := rules.OpenBundle(bytes.NewReader(sb.bundle(policyA, "42", t42)), rules.BundleOptions{Verification: sb.vc})
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, WithBundle(start), WithBundleVerification(sb.vc))
	ctx := context.Background()
	// Reload(nil) reads the same bundle again: it keeps its version.
	if err := e.Reload(ctx, nil); err != nil {
		t.Fatalf("Reload(nil) = %v", err)
	}
	if err := e.ReloadBundle(ctx, bytes.NewReader(sb.bundle(policyB, "41", t42.Add(-time.Hour)))); !errors.Is(err, rules.ErrBundleDowngrade) {
		t.Errorf("ReloadBundle(41) after starting on 42 = %v, want ErrBundleDowngrade", err)
	}
	if err := e.ReloadBundle(ctx, bytes.NewReader(sb.bundle(policyB, "43", t42.Add(time.Hour)))); err != nil {
		t.Errorf("ReloadBundle(43) after starting on 42 = %v, want nil", err)
	}
	if e.Revision() != revisionOf(t, policyB) {
		t.Errorf("revision %s after 43, want B's", e.Revision())
	}
}
