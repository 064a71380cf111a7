package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
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
	for _, want := range []string{"bad.yaml:2: store.addrs: at least one", "bad.yaml:4: model: not supported yet"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("errors lack %q:\n%s", want, errOut.String())
		}
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestServeReloadsTenants runs the command: a tenant added to the file
// serves after SIGHUP, a broken file is refused by /v1/reload while the
// running configuration keeps serving, and cancelling (what SIGTERM does)
// stops it cleanly.
func TestServeReloadsTenants(t *testing.T) {
	cfgPath := writeFile(t, "svc.yaml", "addr: 127.0.0.1:0\ntenants:\n  acme: {}\n")
	ctx, cancel := context.WithCancel(context.Background())
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
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case code := <-done:
		t.Fatalf("serve exited with %d", code)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not start")
	}
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
	os.WriteFile(cfgPath, []byte("addr: 127.0.0.1:0\ntenants:\n  acme: {}\n  zeta: {}\n"), 0o644)
	syscall.Kill(syscall.Getpid(), syscall.SIGHUP)
	deadline := time.Now().Add(10 * time.Second)
	for post("/v1/check", msg("zeta")) != 200 {
		if time.Now().After(deadline) {
			t.Fatal("tenant zeta still unknown 10s after SIGHUP")
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
