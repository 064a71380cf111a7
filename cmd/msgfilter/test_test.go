package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const trPack = `package msgfilter.countries.tr

# METADATA
# title: No promotional messages to Turkey
# related_resources:
#   - ref: https://example.com/law
# custom:
#   id: tr/promotional
#   effective: "2015-05-01"
reasons contains r if {
	input.message.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "tr/promotional"}
}
`

const trCase = `{"name":"%s","message":{"id":"x","channel":"sms","kind":"promotional","sender":"Shop","recipient":"+905321234567","body":"Indirim","time":"2026-11-24T10:00:00Z"},"want":{"action":"%s","codes":[%s]}}`

func caseLine(name, action, codes string) string {
	return fmt.Sprintf(trCase, name, action, codes)
}

func TestTestVerb(t *testing.T) {
	tests := []struct {
		name     string
		args     func(t *testing.T) []string
		wantCode int
		wantOut  string
	}{
		{"embedded packs pass", func(t *testing.T) []string { return []string{"test"} }, 0, "cases: "},
		{"a passing golden case", func(t *testing.T) []string {
			return []string{"test", writeFiles(t, map[string]string{
				"countries/tr/tr.rego": trPack,
				"cases/tr.jsonl":       caseLine("promo blocked", "block", `"PROMOTIONAL_NOT_ALLOWED"`) + "\n",
			})}
		}, 0, "cases: 1 passed, 0 failed"},
		{"a failing golden case", func(t *testing.T) []string {
			return []string{"test", writeFiles(t, map[string]string{
				"countries/tr/tr.rego": trPack,
				"cases/tr.jsonl":       caseLine("promo allowed?", "allow", "") + "\n",
			})}
		}, 1, "cases: 0 passed, 1 failed"},
		{"no test at all", func(t *testing.T) []string {
			return []string{"test", writeFiles(t, map[string]string{"countries/tr/tr.rego": trPack})}
		}, 1, "no tests found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tt.args(t), strings.NewReader(""), &out, &errOut)
			if code != tt.wantCode || !strings.Contains(out.String(), tt.wantOut) {
				t.Errorf("msgfilter test: exit %d, output %q (stderr %q); want exit %d and %q",
					code, out.String(), errOut.String(), tt.wantCode, tt.wantOut)
			}
		})
	}
}

const trTests = `package msgfilter.countries.tr_test

import data.msgfilter.countries.tr

test_promotional_blocked if {
	got := tr.reasons with input as {"message": {"kind": "promotional"}}
	count(got) == 1
}

test_otp_blocked_by_mistake if {
	got := tr.reasons with input as {"message": {"kind": "otp"}}
	count(got) == 1
}
`

// TestTestVerbRego checks -run, the failing values and -coverage on a pack
// with one passing and one wrong test.
func TestTestVerbRego(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"countries/tr/tr.rego":      trPack,
		"countries/tr/tr_test.rego": trTests,
		"cases/tr.jsonl":            caseLine("promo blocked", "block", `"PROMOTIONAL_NOT_ALLOWED"`) + "\n",
	})
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
		notWant  []string
	}{
		{"a failing test shows the failed expression and values", []string{"test", dir}, 1,
			[]string{"test_otp_blocked_by_mistake: FAIL", "failed at countries/tr/tr_test.rego:12:", "count(got) == 1", "set()", "rego: 1 passed, 1 failed"},
			nil},
		{"-run selects tests and cases by name", []string{"test", dir, "-run", "promo"}, 0,
			[]string{"rego: 1 passed, 0 failed", "cases: 1 passed, 0 failed"},
			[]string{"otp"}},
		{"-run matching nothing fails", []string{"test", "-run", "^nothing$", dir}, 1,
			[]string{`no test matches -run "^nothing$"`}, nil},
		{"-coverage reports the policy files only", []string{"test", "-coverage", "-run", "promotional", dir}, 0,
			[]string{"coverage: 100.0% (", "countries/tr/tr.rego", "100.0%"},
			[]string{"tr_test.rego "}},
		{"-coverage shows the lines no test reached", []string{"test", "-coverage", "-run", "otp", dir}, 1,
			[]string{"coverage: 0.0% (0 of 3 lines)", "not covered: 10-12"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)\n%s", code, tt.wantCode, errOut, out)
			}
			for _, s := range tt.want {
				if !strings.Contains(out, s) {
					t.Errorf("output lacks %q:\n%s", s, out)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(out, s) {
					t.Errorf("output has %q:\n%s", s, out)
				}
			}
		})
	}
}

// TestTestVerbDefaultsToLocalPolicies checks that "msgfilter test" tests
// ./policies when it exists, and says so when it falls back to the
// embedded packs.
func TestTestVerbDefaultsToLocalPolicies(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"policies/countries/tr/tr.rego":      trPack,
		"policies/countries/tr/tr_test.rego": trTests,
	})
	t.Chdir(root)
	code, out, errOut := runCLI(t, "", "test")
	if code != 1 || !strings.Contains(out, "rego: 1 passed, 1 failed") || errOut != "" {
		t.Errorf("test in a directory with ./policies: exit %d, stdout %q, stderr %q; want its 2 tests run, quietly", code, out, errOut)
	}
	t.Chdir(t.TempDir())
	code, out, errOut = runCLI(t, "", "test")
	if code != 0 || !strings.Contains(errOut, "testing the packs built into this binary") || !strings.Contains(out, "cases: ") {
		t.Errorf("test without ./policies: exit %d, stdout %q, stderr %q; want the embedded packs and a note", code, out, errOut)
	}
}
