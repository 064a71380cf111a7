package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/redis/go-redis/v9"

	"encoding/json"
	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/server/config"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServePrintConfig(t *testing.T) {
	cfg := writeFile(t, "svc.yaml", "addr: 127.0.0.1:9999\nbearer_token: tok-123\ntenants:\n  acme:\n    senders: [ACME]\n")
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"serve", "-config", cfg, "-addr", "127.0.0.1:7777", "-fail-mode", "open", "-print-config"}, nil, &out, &errOut)
	if code != 0 {
		t.Fatalf("serve -print-config = %d: %s", code, errOut.String())
	}
	for _, want := range []string{"addr: 127.0.0.1:7777", "fail_mode: open", "bearer_token: '***'", "- ACME", "type: memory"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("-print-config lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "tok-123") {
		t.Errorf("-print-config shows the token:\n%s", out.String())
	}
}

func TestServeConfigErrors(t *testing.T) {
	cfg := writeFile(t, "bad.yaml", "addr: 127.0.0.1:1\nstore:\n  type: redis\nmodel: m.bin\n")
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"serve", "-config", cfg}, nil, &out, &errOut); code != 1 {
		t.Fatalf("serve with a bad config = %d, want 1", code)
	}
	for _, want := range []string{"bad.yaml:2: store.addrs: at least one", "bad.yaml:4: model: stat m.bin"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("errors lack %q:\n%s", want, errOut.String())
		}
	}
	empty := writeFile(t, "token", "\n")
	errOut.Reset()
	if code := run(context.Background(), []string{"serve", "-token-file", empty, "-addr", "127.0.0.1:0"}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "is empty") {
		t.Errorf("serve with an empty token file = %d %q, want 1: an empty token must not turn the guard off", code, errOut.String())
	}
}

// startServe runs "msgfilter serve -config cfgPath" until cancel and
// returns its base URL; done gets the exit status.
func startServe(t *testing.T, cfgPath string) (string, context.CancelFunc, chan int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-config", cfgPath}, nil, io.Discard, pw)
		pw.Close()
	}()
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			var l struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &l) == nil && l.Msg == "serving" {
				addr <- l.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		return "http://" + a, cancel, done
	case code := <-done:
		t.Fatalf("serve exited with %d", code)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil, nil
}

// TestServeSignedBundleURL: policies from a URL load only when signed
// with the configured key.
func TestServeSignedBundleURL(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
	keyFile := writeFile(t, "pub.pem", string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})))
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	var signed, unsigned bytes.Buffer
	if err := rules.WriteBundle(&signed, policies.FS, bundle.NewSigningConfig(string(priv), "RS256", ""), "default"); err != nil {
		t.Fatal(err)
	}
	if err := rules.WriteBundle(&unsigned, policies.FS, nil, ""); err != nil {
		t.Fatal(err)
	}
	// The CDN serves whichever bundle body points at; each bundle is its
	// own slice, so switching bundles never writes memory a handler reads.
	var body atomic.Pointer[[]byte]
	signedBytes, unsignedBytes := signed.Bytes(), unsigned.Bytes()
	body.Store(&signedBytes)
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(*body.Load()) }))
	defer cdn.Close()
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\npolicies:\n  url: "+cdn.URL+"/b.tar.gz\n  verification_key: "+keyFile+"\n  poll: 1h\n")

	base, cancel, done := startServe(t, cfgPath)
	resp, err := http.Post(base+"/v1/check", "application/json", strings.NewReader(`{"id":"x","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+905321234567","body":"İndirim"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("check with the signed bundle's policies = %d, want 403", resp.StatusCode)
	}
	body.Store(&unsignedBytes)
	resp, err = http.Post(base+"/v1/reload", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("reload of an unsigned bundle = %d, want 500", resp.StatusCode)
	}
	cancel()
	<-done

	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"serve", "-config", cfgPath}, nil, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "not signed") {
		t.Errorf("serve from an unsigned bundle = %d %q, want 1 and a not-signed error", code, errOut.String())
	}
}

// TestServeReloadsTenants runs the command: a tenant added to the file
// serves after SIGHUP, a broken file is refused by /v1/reload while the
// running configuration keeps serving, and cancelling (what SIGTERM does)
// stops it cleanly.
func TestServeReloadsTenants(t *testing.T) {
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\ntenants:\n  acme: {}\n")
	base, cancel, done := startServe(t, cfgPath)
	msg := func(tenant string) string {
		return `{"id":"x","channel":"sms","kind":"otp","tenant":"` + tenant + `","sender":"Acme","recipient":"+12025550123","body":"Your code is 4821"}`
	}
	post := func(path, body string) int {
		t.Helper()
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post("/v1/check", msg("acme")); c != 200 {
		t.Errorf("configured tenant = %d, want 200", c)
	}
	if c := post("/v1/check", msg("zeta")); c != 400 {
		t.Errorf("unknown tenant = %d, want 400", c)
	}
	// Tenant names ignore case, as the engine's do: ACME is acme, on every
	// endpoint that takes a tenant.
	if c := post("/v1/check", msg("ACME")); c != 200 {
		t.Errorf("configured tenant in upper case = %d, want 200", c)
	}
	if c := post("/v1/inbound", `{"id":"i","channel":"sms","tenant":"Zeta","sender":"Acme","recipient":"+12025550123","body":"STOP"}`); c != 400 {
		t.Errorf("inbound for an unknown tenant = %d, want 400", c)
	}
	os.WriteFile(cfgPath, []byte("addr: 127.0.0.1:0\ntenants:\n  acme: {}\n  zeta: {}\n"), 0o644)
	syscall.Kill(syscall.Getpid(), syscall.SIGHUP)
	// A tenant change builds a new engine and runs the policy tests: a
	// minute allows for a race build on a loaded machine.
	deadline := time.Now().Add(time.Minute)
	for post("/v1/check", msg("zeta")) != 200 {
		if time.Now().After(deadline) {
			t.Fatal("tenant zeta still unknown a minute after SIGHUP")
		}
		time.Sleep(50 * time.Millisecond)
	}
	os.WriteFile(cfgPath, []byte("addr: 127.0.0.1:0\ntenants:\n  acme: {rate_limit: 5}\n"), 0o644)
	if c := post("/v1/reload", ""); c != 500 {
		t.Errorf("reload of a broken file = %d, want 500", c)
	}
	if c := post("/v1/check", msg("zeta")); c != 200 {
		t.Errorf("after a refused reload, tenant zeta = %d, want 200 (the running configuration stays)", c)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve after cancel = %d, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeConfigWiring checks that the file's keys reach the service: the
// bearer token file, the metrics namespace, the decision log (masked) and
// a Redis store that /readyz pings.
func TestServeConfigWiring(t *testing.T) {
	redisAddr := redistest.Addr(t)
	token := writeFile(t, "token", "s3cret\n")
	logPath := filepath.Join(t.TempDir(), "decisions.jsonl")
	var b [6]byte
	rand.Read(b[:])
	prefix := fmt.Sprintf("msgfilter-serve-test-%x:", b)
	admin := redis.NewClient(&redis.Options{Addr: redisAddr})
	t.Cleanup(func() {
		ctx := context.Background()
		iter := admin.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			admin.Del(ctx, iter.Val())
		}
		admin.Close()
	})
	cfgPath := writeFile(t, "svc.yaml", fmt.Sprintf(`addr: 127.0.0.1:0
bearer_token_file: %s
store:
  type: redis
  addrs: [%s]
  prefix: %q
decision_log:
  path: %s
metrics:
  namespace: gw
`, token, redisAddr, prefix, logPath))
	base, cancel, done := startServe(t, cfgPath)
	defer func() { cancel(); <-done }()
	get := func(path, auth string) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	if code, body := get("/readyz", ""); code != 200 {
		t.Errorf("readyz with Redis up = %d %s", code, body)
	}
	req, _ := http.NewRequest("POST", base+"/v1/check", strings.NewReader(`{"id":"m1","channel":"sms","kind":"otp","sender":"Acme","recipient":"+12025550123","body":"Your code is 4821"}`))
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("check with the token from the file = %d", resp.StatusCode)
	}
	if code, _ := get("/metrics", ""); code != 401 {
		t.Errorf("metrics without the token = %d, want 401", code)
	}
	code, body := get("/metrics", "s3cret")
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
	if code != 200 || err != nil {
		t.Fatalf("metrics = %d, %v", code, err)
	}
	for _, name := range []string{"gw_msgfilter_checks_total", "gw_http_requests_total", "gw_go_goroutines"} {
		if families[name] == nil {
			t.Errorf("metrics lack %s", name)
		}
	}
	log, err := os.ReadFile(logPath)
	if err != nil || !bytes.Contains(log, []byte(`"m1"`)) || bytes.Contains(log, []byte("2025550123")) {
		t.Errorf("decision log = %q, %v; want the decision with the recipient masked", log, err)
	}
}

// TestApplyRuntime: the file's gc_percent and memory_limit reach the Go
// runtime, and removing them restores the defaults.
func TestApplyRuntime(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT is set: the environment wins, as documented")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	applyRuntime(config.Runtime{GCPercent: 150, MemoryLimit: "3GiB"}, logger)
	if gc, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1); gc != 150 || limit != 3<<30 {
		t.Errorf("after applyRuntime(150, 3GiB): GC percent %d, memory limit %d", gc, limit)
	}
	applyRuntime(config.Runtime{}, logger)
	if gc, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1); gc != config.DefaultGCPercent || limit != math.MaxInt64 {
		t.Errorf("after applyRuntime of an empty section: GC percent %d, memory limit %d, want %d and none", gc, limit, config.DefaultGCPercent)
	}
}

// TestServeMemoryStoreBounds runs the command with store.max_opt_outs: 1:
// the first STOP is recorded, the second recipient's is refused with 503
// (the store is full, so the opt-out was not kept and the gateway must
// retry or escalate), which shows the bound reaches the memory store.
func TestServeMemoryStoreBounds(t *testing.T) {
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\nstore:\n  type: memory\n  max_opt_outs: 1\n")
	base, cancel, done := startServe(t, cfgPath)
	stop := func(recipient string) int {
		t.Helper()
		resp, err := http.Post(base+"/v1/inbound", "application/json", strings.NewReader(
			`{"id":"i","channel":"sms","sender":"Acme","recipient":"`+recipient+`","body":"STOP"}`))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := stop("+12025550123"); c != 200 {
		t.Errorf("first opt-out = %d, want 200", c)
	}
	if c := stop("+12025550124"); c != 503 {
		t.Errorf("opt-out past max_opt_outs = %d, want 503", c)
	}
	cancel()
	<-done
}
