package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeKeyPair writes a fresh RSA key pair as PEM files, as an operator
// would hand to "bundle sign" and to the gateway, and returns their paths.
func writeKeyPair(t *testing.T) (private, public string) {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	private, public = filepath.Join(dir, "key.pem"), filepath.Join(dir, "key.pub.pem")
	if err := os.WriteFile(private, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(public, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644); err != nil {
		t.Fatal(err)
	}
	return private, public
}

// runCLI runs the tool and returns its exit status, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestBundleRoundTrip builds, signs and verifies a bundle of the shipped
// packs, then checks the examples with it: the decisions must equal those of
// the directory it was built from.
func TestBundleRoundTrip(t *testing.T) {
	src := copyPolicies(t, "", "", "")
	priv, pub := writeKeyPair(t)
	_, otherPub := writeKeyPair(t)
	dir := t.TempDir()
	b := filepath.Join(dir, "bundle.tar.gz")

	mustRun := func(wantOut string, args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, wantOut) {
			t.Fatalf("msgfilter %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", strings.Join(args, " "), code, out, errOut, wantOut)
		}
		return out
	}
	mustRun("wrote "+b, "bundle", "build", "-o", b, src)
	mustRun("signed: no", "bundle", "inspect", b)
	mustRun("signed "+b, "bundle", "sign", b, "-key", priv) // flags after the file
	mustRun("verified "+b, "bundle", "verify", "-key", pub, b)
	inspect := mustRun("signed: yes", "bundle", "inspect", b)
	for _, want := range []string{"countries/tr/tr.rego", "packs: channels/messenger", "revision: "} {
		if !strings.Contains(inspect, want) {
			t.Errorf("bundle inspect lacks %q:\n%s", want, inspect)
		}
	}

	fromDir := mustRun(`"v":1`, "check", "-policies", src, examplesFile)
	fromBundle := mustRun(`"v":1`, "check", "-policies", b, examplesFile)
	if fromDir != fromBundle {
		t.Errorf("check -policies bundle differs from check -policies dir:\n%s\nvs\n%s", fromBundle, fromDir)
	}
	if n := strings.Count(fromBundle, "\n"); n != 23 {
		t.Errorf("check -policies bundle wrote %d lines, want 23", n)
	}

	// A gateway holding another key, or a bundle changed after signing, is refused.
	if code, _, errOut := runCLI(t, "", "bundle", "verify", "-key", otherPub, b); code != 1 || !strings.Contains(errOut, "signature does not verify") {
		t.Errorf("verify with another key: exit %d, stderr %q; want 1 and a signature error", code, errOut)
	}
	unsigned := filepath.Join(dir, "unsigned.tar.gz")
	mustRun("wrote", "bundle", "build", "-o", unsigned, src)
	if code, _, errOut := runCLI(t, "", "bundle", "verify", "-key", pub, unsigned); code != 1 || !strings.Contains(errOut, "not signed") {
		t.Errorf("verify of an unsigned bundle: exit %d, stderr %q; want 1 and 'not signed'", code, errOut)
	}
}

// TestBundleTampered signs a bundle, swaps one signed file, and expects
// verify to refuse it.
func TestBundleTampered(t *testing.T) {
	priv, pub := writeKeyPair(t)
	dir := t.TempDir()
	b := filepath.Join(dir, "b.tar.gz")
	for _, args := range [][]string{
		{"bundle", "build", "-o", b, copyPolicies(t, "", "", "")},
		{"bundle", "sign", "-key", priv, b},
	} {
		if code, _, errOut := runCLI(t, "", args...); code != 0 {
			t.Fatalf("msgfilter %v: exit %d, %s", args, code, errOut)
		}
	}
	// Build a bundle with a changed rule and graft the signature of b on it.
	forged := filepath.Join(dir, "forged.tar.gz")
	changed := copyPolicies(t, "countries/tr/tr.rego", `"promotional"`, `"otp"`)
	if err := os.WriteFile(filepath.Join(changed, ".signatures.json"), bundleFile(t, b, ".signatures.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "", "bundle", "build", "-o", forged, changed); code != 0 {
		t.Fatalf("bundle build: exit %d, %s", code, errOut)
	}
	code, _, errOut := runCLI(t, "", "bundle", "verify", "-key", pub, forged)
	if code != 1 || !strings.Contains(errOut, "signature does not verify") {
		t.Errorf("verify of a changed bundle: exit %d, stderr %q; want 1 and a signature error", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "check", "-policies", forged+".nope", examplesFile); code != 1 {
		t.Errorf("check -policies with a missing bundle: exit %d, want 1", code)
	}
}

// bundleFile returns one file of a bundle.
func bundleFile(t *testing.T, path, name string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s has no %s: %v", path, name, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}
