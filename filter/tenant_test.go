package filter

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"unsafe"
)

// Bodies whose content-model scores sit between the shipped thresholds
// (policies/global/data.json: fraud_review 0.5, fraud_block 0.9,
// spam_review 0.5), so that a tenant's thresholds decide. checkScores
// fails the test, naming the body, if a new model moves them.
const (
	// Fraud about 0.65: held for review by the global pack.
	suspendedCard = "Your bank card has been suspended, update your details to restore access"
	// Spam about 0.46, fraud about 0.03: below the global spam_review.
	discount = "Good news! You are eligible for a discount on your next order, visit our shop today"
	// Spam about 0.95: SPAM_SUSPECTED for the global pack.
	freeEntry = "Free entry this week only, text WIN to 80082 for your chance"
	// The ham twin: nothing for any tenant.
	shipped = "Your order 4412 has shipped and arrives Tuesday."
)

// tenantModelEngine has a strict tenant, whose thresholds are under the
// packs', and a lax one, whose thresholds are over them.
func tenantModelEngine(t testing.TB, opts ...Option) *Engine {
	t.Helper()
	return newEngine(t, append([]Option{
		WithTenant("Strict", Tenant{Model: ModelThresholds{FraudReview: 0.3, FraudBlock: 0.6, SpamReview: 0.4}}),
		WithTenant("lax", Tenant{Model: ModelThresholds{FraudReview: 0.99, FraudBlock: 0.99, SpamReview: 0.99, SpamBlock: 0.99}}),
	}, opts...)...)
}

// checkScores fails unless body's scores (without a tenant) are within
// [lo, hi] for spam+fraud (unwanted) and fraud, as the cases assume.
func checkScores(t *testing.T, e *Engine, body string, unwantedLo, unwantedHi, fraudLo, fraudHi float64) {
	t.Helper()
	m := Message{ID: "probe", Channel: SMS, Kind: Transactional, Sender: "SHOP", Recipient: "+4915123456001", Body: body, Time: tuesday}
	x, err := e.Explain(context.Background(), &m)
	if err != nil {
		t.Fatalf("Explain: %v", err)
	}
	s := x.Facts.Content.Model
	if u := s.Spam + s.Fraud; u < unwantedLo || u > unwantedHi || s.Fraud < fraudLo || s.Fraud > fraudHi {
		t.Fatalf("%q scores spam %.2f, fraud %.2f with this model: pick a body with spam+fraud in [%.2f, %.2f] and fraud in [%.2f, %.2f]",
			body, s.Spam, s.Fraud, unwantedLo, unwantedHi, fraudLo, fraudHi)
	}
}

func TestTenantModelThresholds(t *testing.T) {
	e := tenantModelEngine(t)
	checkScores(t, e, suspendedCard, 0, 2, 0.6, 0.89)
	checkScores(t, e, discount, 0.4, 0.49, 0, 0.29)
	checkScores(t, e, freeEntry, 0.5, 0.98, 0, 0.29)
	checkScores(t, e, shipped, 0, 0.29, 0, 0.29)
	for _, tc := range []struct {
		name, tenant, body string
		code               Code   // "" for no model reason
		action             Action // of the decision, which has no other reason
	}{
		{"fraud, no tenant: the global review", "", suspendedCard, FraudSuspected, Review},
		{"fraud, strict tenant: its block threshold", "Strict", suspendedCard, FraudSuspected, Block},
		{"fraud, strict tenant in another case", "STRICT", suspendedCard, FraudSuspected, Block},
		{"fraud, lax tenant: still the global review", "lax", suspendedCard, FraudSuspected, Review},
		{"marketing on a transactional route, no tenant: under the global threshold", "", discount, "", Allow},
		{"marketing on a transactional route, strict tenant: its review threshold", "Strict", discount, SpamSuspected, Review},
		{"marketing on a transactional route, lax tenant", "lax", discount, "", Allow},
		{"spam, lax tenant: still the global review", "lax", freeEntry, SpamSuspected, Review},
		{"spam, unconfigured tenant: the global review", "other", freeEntry, SpamSuspected, Review},
		{"ham twin, strict tenant", "Strict", shipped, "", Allow},
		{"ham twin, no tenant", "", shipped, "", Allow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Message{ID: "m", Channel: SMS, Kind: Transactional, Tenant: tc.tenant, Sender: "SHOP",
				Recipient: "+4915123456001", Body: tc.body, Time: tuesday}
			d, err := e.Check(context.Background(), &m)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if d.Action != tc.action {
				t.Errorf("action %s (reasons %+v), want %s", d.Action, d.Reasons, tc.action)
			}
			switch {
			case tc.code == "" && len(d.Reasons) > 0:
				t.Errorf("reasons %+v, want none", d.Reasons)
			case tc.code == "":
			case len(d.Reasons) != 1 || d.Reasons[0].Code != tc.code:
				t.Errorf("reasons %+v, want %s alone", d.Reasons, tc.code)
			case strings.HasSuffix(d.Reasons[0].Evidence, ": "):
				// Under the packs' lowest threshold, the features are
				// named for the tenant whose threshold it reaches.
				t.Errorf("evidence %q names no feature", d.Reasons[0].Evidence)
			}
		})
	}
}

// A tenant's thresholds only ever add: for every body and kind, the strict
// and lax tenants' decisions have at least the reasons of no tenant's.
func TestTenantModelNeverLaxer(t *testing.T) {
	e := tenantModelEngine(t)
	ctx := context.Background()
	severity := map[Action]int{Allow: 0, Defer: 1, Review: 2, Block: 3}
	for _, body := range []string{suspendedCard, discount, freeEntry, shipped} {
		for _, kind := range []Kind{Transactional, OTP, Promotional} {
			m := Message{ID: "m", Channel: SMS, Kind: kind, Sender: "SHOP", Recipient: "+4915123456001", Body: body, Time: tuesday}
			base, err := e.Check(ctx, &m)
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			for _, tenant := range []string{"Strict", "lax"} {
				m.Tenant = tenant
				d, err := e.Check(ctx, &m)
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if severity[d.Action] < severity[base.Action] {
					t.Errorf("%s, %s, tenant %s: %s, laxer than %s without a tenant", kind, body, tenant, d.Action, base.Action)
				}
			}
		}
	}
}

func TestTenantModelRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		model ModelThresholds
		field string
	}{
		{"negative", ModelThresholds{FraudReview: -0.1}, "Model.FraudReview"},
		{"above one", ModelThresholds{FraudBlock: 1.5}, "Model.FraudBlock"},
		{"NaN", ModelThresholds{SpamReview: math.NaN()}, "Model.SpamReview"},
		{"infinite", ModelThresholds{SpamBlock: math.Inf(1)}, "Model.SpamBlock"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(WithTenant("Acme", Tenant{Model: tc.model}))
			var te *TenantError
			if !errors.As(err, &te) || te.Tenant != "Acme" || te.Field != tc.field {
				t.Fatalf("New = %v, want a *TenantError for tenant Acme, field %s", err, tc.field)
			}
			if !strings.Contains(err.Error(), `tenant "Acme"`) || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q names neither the tenant nor the field", err)
			}
		})
	}
	// The valid twins: the bounds themselves.
	if _, err := New(WithTenant("Acme", Tenant{Model: ModelThresholds{FraudReview: 1, SpamBlock: 0.01}})); err != nil {
		t.Errorf("New with thresholds 1 and 0.01: %v", err)
	}
}

// A reload loads the policies again: the tenants' thresholds come with them.
func TestTenantModelSurvivesReload(t *testing.T) {
	e := tenantModelEngine(t)
	ctx := context.Background()
	if err := e.Reload(ctx, nil); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	for _, tc := range []struct {
		tenant string
		want   Action
	}{{"Strict", Block}, {"", Review}} {
		m := Message{ID: "m", Channel: SMS, Kind: Transactional, Tenant: tc.tenant, Sender: "SHOP", Recipient: "+4915123456001", Body: suspendedCard, Time: tuesday}
		d, err := e.Check(ctx, &m)
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if d.Action != tc.want {
			t.Errorf("tenant %q after a reload: %s (%+v), want %s", tc.tenant, d.Action, d.Reasons, tc.want)
		}
	}
}

// TestTenantIDEveryByte: tenantID is strings.ToLower for every byte value
// at every place of a name, where it returns a lower-case ASCII name as
// it is.
func TestTenantIDEveryByte(t *testing.T) {
	for b := range 256 {
		for _, s := range []string{string([]byte{byte(b)}), string(rune(b)), "acme" + string(rune(b)), string(rune(b)) + "acme-bank", "ac" + string([]byte{byte(b)}) + "me"} {
			if got, want := tenantID(s), strings.ToLower(s); got != want {
				t.Fatalf("tenantID(%q) = %q, want %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"", "acme", "acme-bank_2"} {
		if got := tenantID(s); unsafe.StringData(got) != unsafe.StringData(s) {
			t.Errorf("tenantID(%q) is a copy: a lower-case ASCII name is its own id", s)
		}
	}
}
