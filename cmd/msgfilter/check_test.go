package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

const otpLine = `{"id":"%s","channel":"sms","kind":"otp","sender":"Acme","recipient":"+12025550123","body":"Your code is 4821","time":"2026-11-24T10:00:00Z"}`

func TestCheckOneOutputLinePerInputLine(t *testing.T) {
	input := strings.Join([]string{
		strings.Replace(otpLine, "%s", "ok-1", 1),
		"",
		`{"id":"bad-kind","channel":"sms","kind":"marketing","sender":"Acme","recipient":"+12025550123","body":"x"}`,
		`{"id":"typo","channel":"sms","kind":"otp","sender":"Acme","recipent":"+12025550123","body":"x"}`,
		`not json`,
		`{"id":"promo-tr","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+905321234567","body":"İndirim","time":"2026-11-24T10:00:00Z"}`,
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check"}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("check exit = %d, want 0 (stderr %q)", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	want := []struct{ id, action, errPart string }{
		{"ok-1", "allow", ""},
		{"", "", "empty line"},
		{"bad-kind", "", "invalid kind"},
		{"typo", "", "unknown field"},
		{"", "", "malformed message"},
		{"promo-tr", "block", ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("check wrote %d lines for %d input lines:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		var got struct {
			ID, Action, Error string
			Line              int
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		if got.ID != w.id || got.Action != w.action || !strings.Contains(got.Error, w.errPart) || (w.errPart != "" && got.Line != i+1) {
			t.Errorf("output line %d = %s; want id %q, action %q, error containing %q", i+1, lines[i], w.id, w.action, w.errPart)
		}
	}
}

// TestCheckStreams checks that a decision comes out as soon as its message
// is in, before the input ends: gateways write one message and wait.
func TestCheckStreams(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"check"}, inR, outW, io.Discard)
		outW.Close()
	}()
	lines := bufio.NewScanner(outR)
	for _, id := range []string{"s-1", "s-2"} {
		if _, err := io.WriteString(inW, strings.Replace(otpLine, "%s", id, 1)+"\n"); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			if lines.Scan() {
				got <- lines.Text()
			}
			close(got)
		}()
		select {
		case line := <-got:
			if !strings.Contains(line, `"id":"`+id+`"`) {
				t.Fatalf("decision %q, want the one for %s", line, id)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no decision for %s while the input stays open", id)
		}
	}
	inW.Close()
	if code := <-done; code != 0 {
		t.Errorf("check exit = %d, want 0", code)
	}
}

// TestCheckInboundLines: a replayed conversation log records the STOP, so
// the promotion after it is OPTED_OUT; the one before it goes out.
func TestCheckInboundLines(t *testing.T) {
	input := strings.Join([]string{
		`{"id":"before","channel":"sms","kind":"promotional","sender":"+12025550100","recipient":"+12025550199","body":"Sale this weekend, reply STOP to opt out","time":"2026-11-24T16:00:00Z"}`,
		`{"direction":"inbound","id":"in-1","channel":"sms","sender":"+12025550100","recipient":"+12025550199","body":"STOP","time":"2026-11-24T17:00:00Z"}`,
		`{"direction":"outbound","id":"after","channel":"sms","kind":"promotional","sender":"+12025550100","recipient":"+12025550199","body":"Sale this weekend, reply STOP to opt out","time":"2026-11-24T18:00:00Z"}`,
		`{"direction":"sideways","id":"odd"}`,
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check"}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("check = %d: %s", code, errOut.String())
	}
	want := []string{`"id":"before","action":"allow"`, `"direction":"inbound","id":"in-1","opt_out":true`, `"id":"after","action":"block","reasons":[{"code":"OPTED_OUT"`, `unknown direction`}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("check wrote %d lines, want %d:\n%s", len(lines), len(want), out.String())
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %s, want it to contain %s", i+1, lines[i], w)
		}
	}
}

// TestCheckEnvelope checks that every output line, decision, explanation or
// error, carries "v": 1 beside the decision fields where they always were.
func TestCheckEnvelope(t *testing.T) {
	for _, args := range [][]string{{"check", examplesFile}, {"check", "-explain", examplesFile}} {
		code, out, errOut := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d, %s", args, code, errOut)
		}
		for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			var got struct {
				V        *int
				Action   string
				Error    string
				Decision struct{ Action string }
			}
			if err := json.Unmarshal([]byte(line), &got); err != nil {
				t.Fatalf("%v: line %d is not JSON: %v", args, i+1, err)
			}
			if got.V == nil || *got.V != 1 {
				t.Errorf("%v: line %d has no \"v\":1: %s", args, i+1, line)
			}
			if got.Action == "" && got.Decision.Action == "" && got.Error == "" {
				t.Errorf("%v: line %d has neither action nor error: %s", args, i+1, line)
			}
		}
	}
}

func TestCheckTenants(t *testing.T) {
	tenants := writeFile(t, "tenants.yaml", "tenants:\n  acme:\n    blocked_domains: [example.net]\n  other: {}\n")
	link := `{"id":"%s","channel":"sms","kind":"transactional","tenant":"%s","sender":"Acme","recipient":"+12025550123","body":"Your order has shipped. Track it: https://shop.example.net/o/1","time":"2026-11-24T15:00:00Z"}`
	input := strings.Join([]string{
		fmt.Sprintf(link, "acme", "acme"),
		fmt.Sprintf(link, "other", "other"),
		fmt.Sprintf(link, "nobody", "nobody"),
		fmt.Sprintf(link, "ACME", "ACME"), // tenant names ignore case
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "-tenants", tenants}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("check -tenants = %d: %s", code, errOut.String())
	}
	want := []string{`"id":"acme","action":"block","reasons":[{"code":"DOMAIN_BLOCKED"`, `"id":"other","action":"allow"`, `unknown tenant \"nobody\"`, `"id":"ACME","action":"block","reasons":[{"code":"DOMAIN_BLOCKED"`}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %v, want it to contain %s", i+1, lines, w)
		}
	}
}

// TestCheckTenantModel: a tenant's model thresholds from the -tenants file
// hold a body for review that the packs' thresholds allow; the ham twin
// and another tenant stay allowed.
func TestCheckTenantModel(t *testing.T) {
	tenants := writeFile(t, "tenants.yaml", "tenants:\n  strict:\n    model: {spam_review: 0.4}\n  other: {}\n")
	msg := `{"id":"%s","channel":"sms","kind":"transactional","tenant":"%s","sender":"SHOP","recipient":"+4915123456001","body":"%s","time":"2026-11-24T10:00:00Z"}`
	marketing := "Good news! You are eligible for a discount on your next order, visit our shop today"
	input := strings.Join([]string{
		fmt.Sprintf(msg, "strict", "strict", marketing),
		fmt.Sprintf(msg, "other", "other", marketing),
		fmt.Sprintf(msg, "ham", "strict", "Your order 4412 has shipped and arrives Tuesday."),
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "-tenants", tenants}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("check -tenants = %d: %s", code, errOut.String())
	}
	want := []string{`"id":"strict","action":"review","reasons":[{"code":"SPAM_SUSPECTED"`, `"id":"other","action":"allow"`, `"id":"ham","action":"allow"`}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %v, want it to contain %s", i+1, lines, w)
		}
	}
}

// TestCheckSummary checks -summary's totals on the examples: 23 lines, of
// which 9 blocked and 2 errors; Turkey's promotional ban once.
func TestCheckSummary(t *testing.T) {
	code, out, errOut := runCLI(t, "", "check", examplesFile, "-summary")
	if code != 0 || strings.Count(out, "\n") != 23 {
		t.Fatalf("check -summary: exit %d, %d output lines, stderr %q", code, strings.Count(out, "\n"), errOut)
	}
	for _, want := range []string{
		"summary: 23 lines",
		"  by action:\n    block                        9\n    allow                        7\n    defer                        5\n    error                        2\n",
		"    PROMOTIONAL_NOT_ALLOWED      1\n",
		"    QUIET_HOURS                  5\n",
		"  by country:\n    AE                           3\n",
		"  by tenant:\n    acme                         21\n    -                            2\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("summary lacks %q:\n%s", want, errOut)
		}
	}
	if _, _, errOut := runCLI(t, "", "check", examplesFile); errOut != "" {
		t.Errorf("check without -summary wrote %q on stderr", errOut)
	}
}

// TestCheckProgress checks the progress line shown on a terminal for a
// file input, and that it is erased at the end.
func TestCheckProgress(t *testing.T) {
	var stderr syncBuffer
	tl := newTally(false, &stderr, 100, true)
	r := tl.reader(strings.NewReader(strings.Repeat("x", 50)))
	if _, err := io.ReadAll(r); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stderr.String(), " 50% (50 B of 100 B)") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	tl.finish()
	got := stderr.String()
	if !strings.Contains(got, " 50% (50 B of 100 B)") || !strings.HasSuffix(got, "\r\033[K") {
		t.Errorf("progress output %q, want a 50%% line then the line erased", got)
	}
	if newTally(false, &stderr, 100, false) != nil || newTally(false, &stderr, 0, true) != nil {
		t.Error("a tally without summary, terminal or input size should be nil")
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
