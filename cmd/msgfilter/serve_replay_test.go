package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// TestServeRefusesReplayedBundle: a reload that finds an older signed
// bundle at the policy URL (a replay) is refused and the running policies
// stay; a newer one is accepted (issue 17, item 8). serve knows the running
// bundle's version from the start (filter.WithBundle) and from its first
// poll; this test cannot tell the two apart.
func TestServeRefusesReplayedBundle(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	keyFile := writeFile(t, "pub.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	sc := bundle.NewSigningConfig(string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})), "RS256", "")
	signed := func(rev string) []byte {
		t.Helper()
		src := fstest.MapFS{".manifest": {Data: []byte(`{"revision": "` + rev + `"}`)}}
		if err := fs.WalkDir(policies.FS, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(policies.FS, name)
			src[name] = &fstest.MapFile{Data: b}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := rules.WriteBundle(&buf, src, sc, "default"); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	var body atomic.Pointer[[]byte]
	b42 := signed("42")
	body.Store(&b42)
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(*body.Load()) }))
	defer cdn.Close()
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\npolicies:\n  url: "+cdn.URL+"/b.tar.gz\n  verification_key: "+keyFile+"\n")
	base, cancel, done := startServe(t, cfgPath)
	defer func() { cancel(); <-done }()

	reload := func() (int, string) {
		t.Helper()
		resp, err := http.Post(base+"/v1/reload", "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		msg, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(msg)
	}
	b41 := signed("41")
	body.Store(&b41)
	if code, msg := reload(); code != 500 || !strings.Contains(msg, "older revision") {
		t.Errorf("reload of bundle 41 after 42 = %d %s, want 500 and a downgrade", code, msg)
	}
	b43 := signed("43")
	body.Store(&b43)
	if code, msg := reload(); code != 200 {
		t.Errorf("reload of bundle 43 after 42 = %d %s, want 200", code, msg)
	}
}
