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
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

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

// scrape returns the families of base's /metrics.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// counterSum adds a counter family's series whose labels include want.
func counterSum(f *dto.MetricFamily, want map[string]string) float64 {
	var sum float64
	for _, m := range f.GetMetric() {
		match := 0
		for _, l := range m.GetLabel() {
			if v, ok := want[l.GetName()]; ok && v == l.GetValue() {
				match++
			}
		}
		if match == len(want) {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

// TestServeRebuildKeepsMetrics: a reload that needs a new Engine (a tenant
// added) keeps the engine's counters (checks_total goes on from where it
// was, it does not fall back to zero), and metrics.tenants labels them by
// tenant.
func TestServeRebuildKeepsMetrics(t *testing.T) {
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\nmetrics:\n  tenants: true\ntenants:\n  acme: {}\n")
	base, cancel, done := startServe(t, cfgPath)
	defer func() { cancel(); <-done }()
	for range 3 {
		if c, body := postTo(t, base, "/v1/check", strings.Replace(otpFor, "%s", "acme", 1)); c != 200 {
			t.Fatalf("check = %d %s", c, body)
		}
	}
	checks := func() (all, acme float64) {
		t.Helper()
		f := scrape(t, base)["msgfilter_checks_total"]
		if f == nil {
			t.Fatal("no msgfilter_checks_total")
		}
		return counterSum(f, nil), counterSum(f, map[string]string{"tenant": "acme"})
	}
	if all, acme := checks(); all != 3 || acme != 3 {
		t.Fatalf("before the reload: checks_total %v, tenant acme %v; want 3 and 3", all, acme)
	}
	if err := os.WriteFile(cfgPath, []byte("addr: 127.0.0.1:0\nmetrics:\n  tenants: true\ntenants:\n  acme: {}\n  zeta: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, body := postTo(t, base, "/v1/reload", ""); c != 200 {
		t.Fatalf("reload = %d %s", c, body)
	}
	if all, _ := checks(); all != 3 {
		t.Errorf("right after the rebuild: checks_total %v, want 3 (not reset)", all)
	}
	for _, tenant := range []string{"acme", "zeta"} {
		if c, body := postTo(t, base, "/v1/check", strings.Replace(otpFor, "%s", tenant, 1)); c != 200 {
			t.Fatalf("check for %s = %d %s", tenant, c, body)
		}
	}
	if all, acme := checks(); all != 5 || acme != 4 {
		t.Errorf("after two more checks: checks_total %v, tenant acme %v; want 5 and 4", all, acme)
	}
	// The runtime figures the load generator reads are exported.
	if scrape(t, base)["go_sched_latencies_seconds"] == nil {
		t.Error("/metrics lacks go_sched_latencies_seconds")
	}
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

// TestServeShadowFromConfig: the shadow section evaluates a candidate
// revision beside the live one. The candidate moves Turkey's promotional
// ban onto OTP messages: the live answer to a Turkish promotion stays a
// block, and the difference is counted in shadow_differences_total; an OTP
// to the US (the ham twin) is the same under both.
func TestServeShadowFromConfig(t *testing.T) {
	cand := copyPolicies(t, "countries/tr/tr.rego",
		`input.message.kind == "promotional"`+"\n\tr := {\"code\": \"PROMOTIONAL_NOT_ALLOWED\"",
		`input.message.kind == "otp"`+"\n\tr := {\"code\": \"PROMOTIONAL_NOT_ALLOWED\"")
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\nshadow:\n  policies: "+cand+"\n  every: 1\n  queue: 16\n")
	base, cancel, done := startServe(t, cfgPath)
	defer func() { cancel(); <-done }()
	if c, body := postTo(t, base, "/v1/check", strings.Replace(otpFor, "%s", "", 1)); c != 200 {
		t.Fatalf("US otp = %d %s", c, body)
	}
	if c, body := postTo(t, base, "/v1/check", trPromo); c != 403 {
		t.Fatalf("Turkish promotion = %d %s, want 403 from the live revision", c, body)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		fams := scrape(t, base)
		same := counterSum(fams["msgfilter_shadow_checks_total"], map[string]string{"result": "same"})
		diff := counterSum(fams["msgfilter_shadow_differences_total"], map[string]string{"live": "block", "candidate": "allow"})
		if same == 1 && diff == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("shadow: same %v, block->allow differences %v a minute after the checks; want 1 and 1", same, diff)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
