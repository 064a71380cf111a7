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
