package rules_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/msgfilter/msgfilter/rules"
)

func TestCheckUpgrade(t *testing.T) {
	t1 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	v := func(rev string, iat time.Time) rules.BundleVersion {
		return rules.BundleVersion{Revision: rev, Issued: iat}
	}
	tests := []struct {
		name          string
		running, next rules.BundleVersion
		refused       bool
	}{
		{"nothing known about the running bundle", v("", time.Time{}), v("1", t1), false},
		{"signed earlier", v("", t2), v("", t1), true},
		{"ham twin: signed later", v("", t1), v("", t2), false},
		{"signed at the same time: the same bundle re-read", v("x", t1), v("x", t1), false},
		{"signed earlier wins over a larger revision", v("41", t2), v("42", t1), true},
		{"older counter revision", v("42", time.Time{}), v("41", time.Time{}), true},
		{"ham twin: newer counter revision", v("41", time.Time{}), v("42", time.Time{}), false},
		{"counters compare as numbers, not text", v("9", time.Time{}), v("10", time.Time{}), false},
		{"older RFC 3339 revision", v("2026-03-02T00:00:00Z", time.Time{}), v("2026-03-01T23:00:00Z", time.Time{}), true},
		{"ham twin: newer RFC 3339 revision in another zone", v("2026-03-02T00:00:00Z", time.Time{}), v("2026-03-02T01:30:00+01:00", time.Time{}), false},
		{"unordered bundle after a signed one", v("", t1), v("abc123", time.Time{}), true},
		{"unordered bundle after a counter", v("42", time.Time{}), v("abc123", time.Time{}), true},
		{"bundle without version after a counter", v("42", time.Time{}), v("", time.Time{}), true},
		{"two unordered revisions: no order to enforce", v("abc123", time.Time{}), v("def456", time.Time{}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckUpgrade(tt.running, tt.next)
			var de *rules.DowngradeError
			if tt.refused != errors.Is(err, rules.ErrBundleDowngrade) || tt.refused != errors.As(err, &de) {
				t.Fatalf("CheckUpgrade(%v, %v) = %v, want refused=%v", tt.running, tt.next, err, tt.refused)
			}
		})
	}
}

// signedAt returns a signing config whose tokens carry iat = at, as
// "opa sign --claims-file" makes them.
func signedAt(t *testing.T, keys testKeys, at time.Time) *bundle.SigningConfig {
	t.Helper()
	claims := filepath.Join(t.TempDir(), "claims.json")
	if err := os.WriteFile(claims, []byte(`{"iat": `+strconv.FormatInt(at.Unix(), 10)+`}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return bundle.NewSigningConfig(keys.private, "RS256", claims)
}

// TestOpenBundleReplay: a signed bundle of an older revision, replayed
// after a newer one, is told apart by the versions OpenBundle reads from
// the signed manifest and the signature.
func TestOpenBundleReplay(t *testing.T) {
	keys := newKeys(t)
	t41 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	t42 := t41.Add(24 * time.Hour)
	src := func(rev string) fstest.MapFS {
		return fstest.MapFS{
			".manifest":          {Data: []byte(`{"revision": "` + rev + `"}`)},
			"global/global.rego": {Data: []byte("package msgfilter.global\n")},
		}
	}
	open := func(b []byte) *rules.Bundle {
		t.Helper()
		got, err := rules.OpenBundle(bytes.NewReader(b), rules.BundleOptions{Verification: keys.verification()})
		if err != nil {
			t.Fatalf("OpenBundle = %v", err)
		}
		return got
	}
	old := open(writeBundle(t, src("41"), signedAt(t, keys, t41)))
	cur := open(writeBundle(t, src("42"), signedAt(t, keys, t42)))
	if want := (rules.BundleVersion{Revision: "42", Issued: t42}); cur.Version != want {
		t.Fatalf("OpenBundle version = %v, want %v", cur.Version, want)
	}
	if _, err := fs.Stat(cur.FS, ".manifest"); err == nil {
		t.Errorf(".manifest left in the policy source")
	}
	if err := rules.CheckUpgrade(cur.Version, old.Version); !errors.Is(err, rules.ErrBundleDowngrade) {
		t.Errorf("CheckUpgrade(42 then replayed 41) = %v, want ErrBundleDowngrade", err)
	}
	if err := rules.CheckUpgrade(old.Version, cur.Version); err != nil {
		t.Errorf("CheckUpgrade(41 then 42) = %v, want nil", err)
	}

	// Without verification nothing about the signature is trusted: the
	// issue time stays zero and only the manifest speaks.
	unverified, err := rules.OpenBundle(bytes.NewReader(writeBundle(t, src("42"), signedAt(t, keys, t42))), rules.BundleOptions{})
	if err != nil || unverified.Version != (rules.BundleVersion{Revision: "42"}) {
		t.Errorf("OpenBundle(unverified) = %v, %v; want revision 42 without issue time", unverified.Version, err)
	}
	// A manifest that is not JSON is a malformed bundle.
	bad := tarGz(t, map[string][]byte{".manifest": []byte("{"), "global/global.rego": []byte("package msgfilter.global\n")})
	if _, err := rules.OpenBundle(bytes.NewReader(bad), rules.BundleOptions{}); !errors.Is(err, rules.ErrBundleFormat) {
		t.Errorf("OpenBundle(bad manifest) = %v, want ErrBundleFormat", err)
	}
}
