package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
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

func TestCheckTenants(t *testing.T) {
	tenants := writeFile(t, "tenants.yaml", "tenants:\n  acme:\n    blocked_domains: [example.net]\n  other: {}\n")
	link := `{"id":"%s","channel":"sms","kind":"transactional","tenant":"%s","sender":"Acme","recipient":"+12025550123","body":"Your order: https://shop.example.net/o/1","time":"2026-11-24T15:00:00Z"}`
	input := strings.Join([]string{
		fmt.Sprintf(link, "acme", "acme"),
		fmt.Sprintf(link, "other", "other"),
		fmt.Sprintf(link, "nobody", "nobody"),
	}, "\n") + "\n"
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "-tenants", tenants}, strings.NewReader(input), &out, &errOut); code != 0 {
		t.Fatalf("check -tenants = %d: %s", code, errOut.String())
	}
	want := []string{`"id":"acme","action":"block","reasons":[{"code":"DOMAIN_BLOCKED"`, `"id":"other","action":"allow"`, `unknown tenant \"nobody\"`}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, w := range want {
		if i >= len(lines) || !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %v, want it to contain %s", i+1, lines, w)
		}
	}
}
