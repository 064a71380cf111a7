package rules_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/msgfilter/msgfilter/rules"
)

// bigData returns a data.json of about n bytes: an object of many small
// entries, the shape a feed or term table has.
func bigData(n int) string {
	var b strings.Builder
	b.WriteString(`{"feed": {`)
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"domain-%d.example": {"risk": %d, "tags": ["a", "b"]}`, i, i%100)
	}
	b.WriteString(`}}`)
	return b.String()
}

func TestLoadRefusesOversizedFiles(t *testing.T) {
	const capBytes = 1 << 20
	tests := []struct {
		name  string
		patch map[string]string
		opts  []rules.LoadOption
		file  string // the file the error names; "" = the load succeeds
	}{
		{"data.json over the per-file bound", map[string]string{"countries/ae/data.json": bigData(2 * capBytes)},
			[]rules.LoadOption{rules.WithMaxFileBytes(capBytes)}, "countries/ae/data.json"},
		{"ham twin: data.json under the bound", map[string]string{"countries/ae/data.json": bigData(capBytes / 2)},
			[]rules.LoadOption{rules.WithMaxFileBytes(capBytes)}, ""},
		{"term list over the per-file bound", map[string]string{"countries/ae/terms/en.jsonl": `["` + strings.Repeat("x", 2*capBytes) + `"]`},
			[]rules.LoadOption{rules.WithMaxFileBytes(capBytes)}, "countries/ae/terms/en.jsonl"},
		{"files each under the bound, together over the source bound", map[string]string{
			"countries/ae/terms/a.jsonl": bigData(capBytes / 2), "countries/ae/terms/b.jsonl": bigData(capBytes / 2),
			"countries/ae/terms/c.jsonl": bigData(capBytes / 2)},
			[]rules.LoadOption{rules.WithMaxFileBytes(capBytes), rules.WithMaxSourceBytes(capBytes)}, "countries/ae/terms/"},
		{"default bound refuses a file past DefaultMaxFileBytes", map[string]string{"countries/ae/data.json": bigData(rules.DefaultMaxFileBytes + 1)},
			nil, "countries/ae/data.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.Load(context.Background(), with(source(), tt.patch), tt.opts...)
			if tt.file == "" {
				if err != nil {
					t.Fatalf("Load = %v, want success", err)
				}
				return
			}
			var pe *rules.PolicyError
			if !errors.Is(err, rules.ErrPolicyTooLarge) || !errors.As(err, &pe) || !strings.HasPrefix(pe.File, tt.file) {
				t.Fatalf("Load = %v, want a *PolicyError on %s wrapping ErrPolicyTooLarge", err, tt.file)
			}
			if !strings.Contains(err.Error(), "size bound") {
				t.Errorf("Load error %q does not say which bound", err)
			}
		})
	}
}

// TestEvalStopsAtDeadline: a rule that walks a big document burns the
// budget; evaluation must stop at the deadline and say so. The walk reads
// the input, so that it happens at evaluation: on the data alone, Load's
// partial evaluation would do it (partial.go).
func TestEvalStopsAtDeadline(t *testing.T) {
	const walker = `package msgfilter.countries.ae

` + `# METADATA
# title: Rule ae/walk
# related_resources:
#   - ref: https://example.org/ae
#     description: UAE example
# custom:
#   id: ae/walk
#   effective: "2021"
reasons contains r if {
	n := count([p | walk(data.countries.ae.feed, [p, v]); v != input.threshold])
	n > input.threshold
	r := {"code": "GAMBLING_CONTENT", "rule": "ae/walk", "evidence": sprintf("%d", [n])}
}
`
	load := func(data string) *rules.Set {
		return mustLoad(t, with(source(), map[string]string{
			"countries/ae/ae.rego":      walker,
			"countries/ae/ae_test.rego": "",
			"countries/ae/data.json":    data,
		}))
	}
	big := bigData(rules.DefaultMaxFileBytes - 100)
	set := load(big)
	input, err := ast.InterfaceToValue(map[string]any{"threshold": 1})
	if err != nil {
		t.Fatal(err)
	}
	// What converting the document to Rego values costs on this machine
	// now: evaluation must not spend that after the deadline.
	var doc any
	dec := json.NewDecoder(strings.NewReader(big))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	// The whole walk takes seconds. Data read as Go values was converted to
	// Rego values on every evaluation, in one step OPA cannot interrupt
	// (about 0.7 s for this document on a quiet machine); data kept as
	// Rego values stops within milliseconds of the deadline. Each attempt
	// measures the conversion first, so the bound follows the machine's
	// load (inside OPA the conversion takes about half as long as measured
	// here); a load spike gets another attempt, a conversion never passes.
	const budget = 50 * time.Millisecond
	var took, conversion time.Duration
	for range 3 {
		convStart := time.Now()
		if _, err := ast.InterfaceToValue(doc); err != nil {
			t.Fatal(err)
		}
		conversion = time.Since(convStart)
		ctx, cancel := context.WithTimeout(context.Background(), budget)
		start := time.Now()
		_, err = set.Eval(ctx, "ae", "", input, time.Now())
		took = time.Since(start)
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Eval = %v, want an error wrapping context.DeadlineExceeded", err)
		}
		if took <= budget+conversion/4 {
			break
		}
	}
	if took > budget+conversion/4 {
		t.Errorf("Eval took %v with a %v budget (converting the document takes %v)", took, budget, conversion)
	}

	// Ham twin: with time to finish, the same rule decides.
	findings, err := load(bigData(10<<10)).Eval(context.Background(), "ae", "", input, time.Now())
	if err != nil || len(findings) != 1 {
		t.Fatalf("Eval without deadline = %v, %v; want one finding", findings, err)
	}
}

func TestLoadRefusesSymlinksOutOfTree(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "passwd")
	if err := os.WriteFile(secret, []byte(`["root"]`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		link    string // path of the link in the tree
		target  string
		wantErr string // substring; "" = loads
	}{
		{"absolute link out of the tree", "countries/ae/terms/en.jsonl", secret, "leaves the policy tree"},
		{"relative link climbing out", "countries/ae/terms/en.jsonl", "../../../../" + filepath.Base(outside) + "/passwd", "leaves the policy tree"},
		{"data.json linked out", "countries/ae/data.json", secret, "leaves the policy tree"},
		{"linked pack directory", "countries/qa", outside, "symbolic links"},
		{"link through a linked directory", "countries/ae/terms/ar.jsonl", "../../../outside/passwd", "linked or missing directory"},
		{"ham twin: link inside the tree", "countries/ae/terms/ar.jsonl", "en.jsonl", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "policies")
			for name, f := range source() {
				p := filepath.Join(root, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			// A linked directory at the top of the tree, outside every pack.
			if err := os.Symlink(outside, filepath.Join(root, "outside")); err != nil {
				t.Fatal(err)
			}
			link := filepath.Join(root, filepath.FromSlash(tt.link))
			os.Remove(link)
			target := tt.target
			if strings.HasPrefix(target, "../../../../") {
				// climb from the link's directory to the temp root that
				// holds both trees
				rel, err := filepath.Rel(filepath.Dir(link), secret)
				if err != nil {
					t.Fatal(err)
				}
				target = rel
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			set, err := rules.Load(context.Background(), os.DirFS(root))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Load = %v, want success", err)
				}
				if b, ok := set.Pack("countries/ae").File("terms/ar.jsonl"); !ok || string(b) != `["casino"]` {
					t.Errorf("linked file = %q, %v; want the in-tree target", b, ok)
				}
				return
			}
			var pe *rules.PolicyError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Load = %v, want a *PolicyError saying %q", err, tt.wantErr)
			}
		})
	}
}
