package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/policies"
)

// examplesFile is the repository's sample traffic.
const examplesFile = "../../examples/messages.jsonl"

// copyPolicies copies the shipped packs to a temporary directory and applies
// edit to one file, as an author changing a rule would.
func copyPolicies(t *testing.T, file, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, policies.FS); err != nil {
		t.Fatal(err)
	}
	if file == "" {
		return dir
	}
	path := filepath.Join(dir, file)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDiffPlantedRuleChange moves Turkey's promotional ban onto OTP messages:
// on the examples, tr-promo must go block -> allow and tr-otp allow -> block,
// both in TR for tenant acme, and nothing else may change.
func TestDiffPlantedRuleChange(t *testing.T) {
	oldDir := copyPolicies(t, "", "", "")
	newDir := copyPolicies(t, "countries/tr/tr.rego",
		`input.message.kind == "promotional"`+"\n\tr := {\"code\": \"PROMOTIONAL_NOT_ALLOWED\"",
		`input.message.kind == "otp"`+"\n\tr := {\"code\": \"PROMOTIONAL_NOT_ALLOWED\"")

	var out, errOut bytes.Buffer
	// Flags after the file, as users type them.
	code := run(context.Background(), []string{"diff", examplesFile, "-old", oldDir, "-new", newDir, "-json"}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("diff exit %d, stderr %q", code, errOut.String())
	}
	var rep diffReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("diff -json output is not a report: %v\n%s", err, out.String())
	}
	if rep.Messages != 23 || rep.Changed != 2 || rep.Invalid != 2 {
		t.Errorf("diff counted %d messages, %d changed, %d invalid; want 23, 2, 2", rep.Messages, rep.Changed, rep.Invalid)
	}
	if rep.OldRevision == rep.NewRevision {
		t.Errorf("old and new revisions are both %s", rep.OldRevision)
	}
	want := map[string]struct {
		code, id string
		line     int
	}{
		"block->allow": {"-PROMOTIONAL_NOT_ALLOWED", "tr-promo", 10},
		"allow->block": {"+PROMOTIONAL_NOT_ALLOWED", "tr-otp", 11},
	}
	if len(rep.Transitions) != len(want) {
		t.Fatalf("diff found %d transitions, want %d: %s", len(rep.Transitions), len(want), out.String())
	}
	for _, tr := range rep.Transitions {
		w, ok := want[tr.From+"->"+tr.To]
		if !ok {
			t.Errorf("unexpected transition %s -> %s", tr.From, tr.To)
			continue
		}
		if tr.Count != 1 || tr.Codes[w.code] != 1 || len(tr.Codes) != 1 || tr.Countries["TR"] != 1 || tr.Tenants["acme"] != 1 {
			t.Errorf("%s -> %s = count %d, codes %v, countries %v, tenants %v; want 1, {%s:1}, {TR:1}, {acme:1}",
				tr.From, tr.To, tr.Count, tr.Codes, tr.Countries, tr.Tenants, w.code)
		}
		if len(tr.Examples) != 1 || tr.Examples[0].ID != w.id || tr.Examples[0].Line != w.line {
			t.Errorf("%s -> %s examples = %+v, want %s on line %d", tr.From, tr.To, tr.Examples, w.id, w.line)
		}
	}

	// The text form says the same.
	out.Reset()
	if code := run(context.Background(), []string{"diff", "-old", oldDir, "-new", newDir, examplesFile}, strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("diff exit %d, stderr %q", code, errOut.String())
	}
	for _, s := range []string{
		"diff: 23 messages, 2 changed",
		"allow -> block: 1", "+PROMOTIONAL_NOT_ALLOWED 1", `id "tr-otp": allow [] -> block [PROMOTIONAL_NOT_ALLOWED]`,
		"block -> allow: 1", "-PROMOTIONAL_NOT_ALLOWED 1", `id "tr-promo": block [PROMOTIONAL_NOT_ALLOWED] -> allow []`,
		"by country: TR 1", "by tenant:  acme 1",
	} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("diff text report lacks %q:\n%s", s, out.String())
		}
	}
}

// TestDiffSameRules checks that a revision that changes no rule reports no
// change on the examples, and that diffing a source with itself is called out.
func TestDiffSameRules(t *testing.T) {
	dir := copyPolicies(t, "", "", "")
	other := copyPolicies(t, "countries/tr/tr.rego", "# Turkey", "# Türkiye") // another revision, same rules
	tests := []struct {
		name, old, new string
		wantWarning    bool
	}{
		{"comment changed", dir, other, false},
		{"same source", dir, dir, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(context.Background(), []string{"diff", "-old", tt.old, "-new", tt.new, "-json", examplesFile}, strings.NewReader(""), &out, &errOut); code != 0 {
				t.Fatalf("diff exit %d, stderr %q", code, errOut.String())
			}
			var rep diffReport
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Messages != 23 || rep.Changed != 0 || len(rep.Transitions) != 0 {
				t.Errorf("diff = %d messages, %d changed; want 23, 0: %s", rep.Messages, rep.Changed, out.String())
			}
			if got := strings.Contains(errOut.String(), "same revision"); got != tt.wantWarning {
				t.Errorf("same-revision warning = %v, want %v (stderr %q)", got, tt.wantWarning, errOut.String())
			}
		})
	}
}
