package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

// stockOPA returns the stock opa binary (MSGFILTER_OPA, as installed by
// .ci/opa.sh), skipping the test without one.
func stockOPA(t *testing.T) string {
	t.Helper()
	opa := os.Getenv("MSGFILTER_OPA")
	if opa == "" {
		t.Skip("MSGFILTER_OPA not set: run with MSGFILTER_OPA=$(bash .ci/opa.sh)")
	}
	return opa
}

// TestStockOPA runs the stock opa binary over the packs as a rule author
// would: they are formatted as "opa fmt" writes them, "opa check" with the
// shipped capabilities accepts them, and "opa test" passes, with no custom
// built-in and the data mounted by OPA's own loader.
func TestStockOPA(t *testing.T) {
	opa := stockOPA(t)
	tests := []struct {
		name string
		args []string
	}{
		{"fmt", []string{"fmt", "--list", "--fail", "policies/"}},
		{"check", []string{"check", "--capabilities", "capabilities.json", "policies/"}},
		{"test", []string{"test", "policies/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(opa, tt.args...)
			cmd.Dir = "../.."
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("opa %v: %v\n%s", tt.args, err, out)
			}
		})
	}
}

// TestStockOPAEvalAgrees feeds the facts the engine explains to the stock
// "opa eval -d policies" and checks that OPA reports the reasons the engine
// decided on, a deferred message and its allowed twin included.
func TestStockOPAEvalAgrees(t *testing.T) {
	opa := stockOPA(t)
	e, err := filter.New(filter.WithPolicies(os.DirFS("../../policies")))
	if err != nil {
		t.Fatal(err)
	}
	const body = "Spring sale: 20% off everything. Reply STOP to opt out"
	tests := []struct {
		name       string
		m          filter.Message
		wantAction filter.Action
	}{
		// 21:10 in San Francisco, 00:10 in New York.
		{"us promotional to San Francisco at 21:10 Pacific deferred", filter.Message{
			Kind: filter.Promotional, Sender: "+14155550123", Recipient: "+14155550100", Body: body,
			Time: time.Date(2026, 3, 11, 4, 10, 0, 0, time.UTC)}, filter.Defer},
		{"us promotional to San Francisco at 20:50 Pacific allowed", filter.Message{
			Kind: filter.Promotional, Sender: "+14155550123", Recipient: "+14155550100", Body: body,
			Time: time.Date(2026, 3, 11, 3, 50, 0, 0, time.UTC)}, filter.Allow},
		{"us promotional to Miami at 20:40 deferred by Florida", filter.Message{
			Kind: filter.Promotional, Sender: "+14155550123", Recipient: "+13055550100", Body: body,
			Time: time.Date(2026, 3, 11, 0, 40, 0, 0, time.UTC)}, filter.Defer},
		{"fr promotional on a Sunday without STOP deferred and blocked", filter.Message{
			Kind: filter.Promotional, Sender: "Fnac", Recipient: "+33612345678", Body: "Derniers jours des soldes",
			Time: time.Date(2026, 11, 29, 11, 0, 0, 0, time.UTC)}, filter.Block},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.m.ID, tt.m.Channel = "m1", filter.SMS
			x, err := e.Explain(context.Background(), &tt.m)
			if err != nil {
				t.Fatal(err)
			}
			if x.Decision.Action != tt.wantAction {
				t.Fatalf("engine: %s %v, want %s", x.Decision.Action, x.Decision.Reasons, tt.wantAction)
			}
			var want []string
			for _, r := range x.Decision.Reasons {
				want = append(want, r.Rule+" "+string(r.Code))
			}
			facts, err := json.Marshal(x.Facts)
			if err != nil {
				t.Fatal(err)
			}
			input := filepath.Join(dir, "facts.json")
			if err := os.WriteFile(input, facts, 0o644); err != nil {
				t.Fatal(err)
			}
			country := map[string]string{"US": "us", "FR": "fr"}[x.Facts.Message.Country]
			query := "data.msgfilter.global.reasons | data.msgfilter.countries." + country + ".reasons | data.msgfilter.channels.sms.reasons"
			cmd := exec.Command(opa, "eval", "--format", "json", "-d", "policies", "-i", input, query)
			cmd.Dir = "../.."
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("opa eval: %v\n%s", err, out)
			}
			var res struct {
				Result []struct {
					Expressions []struct {
						Value []struct{ Code, Rule, Until string }
					}
				}
			}
			if err := json.Unmarshal(out, &res); err != nil || len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
				t.Fatalf("opa eval output %s: %v", out, err)
			}
			var got []string
			for _, r := range res.Result[0].Expressions[0].Value {
				got = append(got, r.Rule+" "+r.Code)
				if x.Decision.Action == filter.Defer && r.Until != x.Decision.Until.Format(time.RFC3339) {
					t.Errorf("opa eval: %s until %s, engine until %s", r.Rule, r.Until, x.Decision.Until.Format(time.RFC3339))
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("opa eval reasons = %q, engine = %q", got, want)
			}
		})
	}
}
