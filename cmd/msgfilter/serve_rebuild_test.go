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
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/bundle"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

const (
	otpFor  = `{"id":"o","channel":"sms","kind":"otp","tenant":"%s","sender":"Acme","recipient":"+12025550123","body":"Your code is 4821"}`
	trPromo = `{"id":"p","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+905321234567","body":"İndirim"}`
)

// postTo posts body to base+path and returns the status and the answer.
func postTo(t *testing.T, base, path, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// revisedBundle is the shipped packs as a bundle signed with private whose
// manifest says revision rev.
func revisedBundle(t *testing.T, private, rev string) []byte {
	t.Helper()
	fsys := fstest.MapFS{".manifest": {Data: []byte(`{"revision": "` + rev + `"}`)}}
	err := fs.WalkDir(policies.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(policies.FS, name)
		fsys[name] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rules.WriteBundle(&buf, fsys, bundle.NewSigningConfig(private, "RS256", ""), "default"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestServeRebuildRefusesOlderBundle: a reload that builds a new Engine (a
// tenant added) from a replayed older signed bundle is refused, as a plain
// bundle reload is, and the running configuration keeps serving; a newer
// bundle with the same change goes through.
func TestServeRebuildRefusesOlderBundle(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	keyFile := writeFile(t, "pub.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	private := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	bundlePath := writeFile(t, "b.tar.gz", string(revisedBundle(t, private, "2")))
	config := func(tenants string) string {
		return "addr: 127.0.0.1:0\npolicies:\n  bundle: " + bundlePath + "\n  verification_key: " + keyFile + "\n  poll: 1h\ntenants:\n" + tenants
	}
	cfgPath := writeFile(t, "svc.yaml", config("  acme: {}\n"))
	base, cancel, done := startServe(t, cfgPath)
	defer func() { cancel(); <-done }()
	zeta := strings.Replace(otpFor, "%s", "zeta", 1)

	os.WriteFile(bundlePath, revisedBundle(t, private, "1"), 0o644)
	os.WriteFile(cfgPath, []byte(config("  acme: {}\n  zeta: {}\n")), 0o644)
	if c, body := postTo(t, base, "/v1/reload", ""); c != 500 || !strings.Contains(body, "older revision") {
		t.Errorf("rebuild from revision 1 after 2 = %d %s, want 500 naming the older revision", c, body)
	}
	if c, _ := postTo(t, base, "/v1/check", zeta); c != 400 {
		t.Errorf("tenant zeta after the refused rebuild = %d, want 400 (the running configuration stays)", c)
	}

	os.WriteFile(bundlePath, revisedBundle(t, private, "3"), 0o644)
	if c, body := postTo(t, base, "/v1/reload", ""); c != 200 {
		t.Fatalf("rebuild from revision 3 after 2 = %d %s, want 200", c, body)
	}
	if c, body := postTo(t, base, "/v1/check", zeta); c != 200 {
		t.Errorf("tenant zeta after the rebuild = %d %s, want 200", c, body)
	}
	// The rebuilt engine remembers revision 3: a plain reload of 2 is a
	// replay too.
	os.WriteFile(bundlePath, revisedBundle(t, private, "2"), 0o644)
	if c, body := postTo(t, base, "/v1/reload", ""); c != 500 || !strings.Contains(body, "older revision") {
		t.Errorf("reload of revision 2 after 3 = %d %s, want 500", c, body)
	}
}
