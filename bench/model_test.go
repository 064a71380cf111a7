package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// TestModelPassesTemplatedTraffic: no OTP or notification of the templated
// mix may reach the shipped thresholds of the content model
// (policies/global/data.json) for FRAUD_SUSPECTED or SPAM_SUSPECTED, and no
// promotional message may reach FRAUD_SUSPECTED's.
func TestModelPassesTemplatedTraffic(t *testing.T) {
	b, err := os.ReadFile("../policies/global/data.json")
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Model struct {
			FraudReview float64 `json:"fraud_review"`
			SpamReview  float64 `json:"spam_review"`
		} `json:"model"`
	}
	if err := json.Unmarshal(b, &data); err != nil || data.Model.FraudReview == 0 || data.Model.SpamReview == 0 {
		t.Fatalf("policies/global/data.json has no model thresholds: %v", err)
	}
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	msgs, _, err := buildMix(mixConfig{kind: mixTemplated, n: 5000, seed: 1, minutes: 48})
	if err != nil {
		t.Fatal(err)
	}
	var (
		tx   textnorm.Text
		f    model.Features
		seen = map[string]bool{}
	)
	for _, msg := range msgs {
		if seen[msg.Body] {
			continue
		}
		seen[msg.Body] = true
		tx.Reset(msg.Body)
		f.Extract(&tx)
		s := m.Score(&f)
		if s.Fraud >= data.Model.FraudReview {
			t.Errorf("FRAUD_SUSPECTED %.2f on %s %q: %v", s.Fraud, msg.Kind, msg.Body, m.Top(model.Fraud, &f))
		}
		if msg.Kind != filter.Promotional && s.Spam+s.Fraud >= data.Model.SpamReview {
			t.Errorf("SPAM_SUSPECTED %.2f on %s %q: %v", s.Spam+s.Fraud, msg.Kind, msg.Body, m.Top(model.Spam, &f))
		}
	}
	t.Logf("%d distinct templated bodies checked", len(seen))
}

// TestEnginePassesTemplatedTraffic is TestModelPassesTemplatedTraffic
// through the engine: the facts it builds, the online layer (empty here)
// and the packs' rules. No templated message may get FRAUD_SUSPECTED or a
// link-risk reason, and no non-promotional one SPAM_SUSPECTED.
func TestEnginePassesTemplatedTraffic(t *testing.T) {
	// No check budget: the test is about the model, and under -race on a
	// loaded machine an uncached check can take longer than a second.
	e, err := filter.New(filter.WithCheckBudget(-1))
	if err != nil {
		t.Fatal(err)
	}
	msgs, _, err := buildMix(mixConfig{kind: mixTemplated, n: 5000, seed: 1, minutes: 48})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, msg := range msgs {
		if seen[string(msg.Kind)+msg.Body] {
			continue
		}
		seen[string(msg.Kind)+msg.Body] = true
		d, err := e.Check(context.Background(), &msg)
		if err != nil {
			t.Fatalf("Check(%q): %v", msg.Body, err)
		}
		for _, r := range d.Reasons {
			switch r.Code {
			case filter.FraudSuspected, filter.SpamSuspected, filter.SuspiciousLink, filter.IDNHomograph, filter.IPLiteralURL:
				t.Errorf("%s on %s %q: %s", r.Code, msg.Kind, msg.Body, r.Evidence)
			}
		}
	}
	if len(seen) < 50 {
		t.Fatalf("only %d distinct templated messages", len(seen))
	}
}
