package model_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// shippedThresholds reads the global pack's model thresholds, the single
// owner of those numbers.
func shippedThresholds(t *testing.T) (fraudReview, spamReview float64) {
	t.Helper()
	b, err := os.ReadFile("../../policies/global/data.json")
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
	return data.Model.FraudReview, data.Model.SpamReview
}

// TestExamplesNotFlagged: the messages of examples/ are legitimate business
// traffic; none may reach FRAUD_SUSPECTED, and none declared
// transactional, otp or service may reach SPAM_SUSPECTED.
func TestExamplesNotFlagged(t *testing.T) {
	fraudReview, spamReview := shippedThresholds(t)
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.Open("../../examples/messages.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	n := 0
	for sc.Scan() {
		var msg struct{ ID, Kind, Body string }
		if json.Unmarshal(sc.Bytes(), &msg) != nil || msg.Body == "" {
			continue // the examples include deliberately malformed lines
		}
		n++
		var f model.Features
		f.Extract(textnorm.Normalize(msg.Body))
		f.Links(model.LinkAnalyzer().Analyze(msg.Body))
		s := m.Score(&f)
		if s.Fraud >= fraudReview {
			t.Errorf("%s: Fraud = %.2f on %q (%v)", msg.ID, s.Fraud, msg.Body, m.Top(model.Fraud, &f))
		}
		if msg.Kind != "promotional" && s.Spam+s.Fraud >= spamReview {
			t.Errorf("%s (%s): spam+fraud = %.2f on %q (%v)", msg.ID, msg.Kind, s.Spam+s.Fraud, msg.Body, m.Top(model.Spam, &f))
		}
	}
	if n < 10 {
		t.Fatalf("read %d example messages, want the examples file", n)
	}
}

// TestLinkNoticesNotFlagged: a short notification that is little more
// than a link (none of these is in the training set), scored with its
// link signs as the engine scores it, is business ham on
// a transactional route, while the same kind of link behind a lure is
// still flagged. Before the synthetic link notifications, the shipped
// model flagged 93 % of "See https://<a top site>/" bodies (MODEL.md).
func TestLinkNoticesNotFlagged(t *testing.T) {
	fraudReview, spamReview := shippedThresholds(t)
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, body string
		flagged    bool
	}{
		{"see link", "See https://northwind-books.com/", false},
		{"details link", "Details: https://parcelhub.de/account", false},
		{"order link", "Your order: https://cityrail.fr/o/1", false},
		{"bare link", "https://mediclinic.in/r/7Hx2", false},
		{"french order", "Votre commande : https://www.fnac.com/compte", false},
		{"german invoice", "Ihre Rechnung: https://www.telekom.de/rechnung", false},
		// bank and delivery notices link to a CDN customer's machine-made
		// ID or an app's deep-link service on an abused TLD
		{"CDN tracking link", "Your parcel 4471 is out for delivery. Live map: https://d2x7kq9vb1c4mz.cloudfront.net/t/4471", false},
		{"CDN statement link", "Northbank: your March statement is ready. https://d1f8a3kq7z0pwe.cloudfront.net/s/0325", false},
		{"deep link", "Track order 5512 in the app: https://shopwise.app.link/o/5512", false},
		{"verify lure", "Verify your account now at https://secure-login-paypa1.com/verify", true},
		{"suspended lure", "URGENT: your account is suspended, login at http://bit.ly/3xYz to restore", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			var f model.Features
			f.Extract(textnorm.Normalize(c.body))
			f.Links(model.LinkAnalyzer().Analyze(c.body))
			s := m.Score(&f)
			if got := s.Fraud >= fraudReview || s.Spam+s.Fraud >= spamReview; got != c.flagged {
				t.Errorf("%q: spam %.2f fraud %.2f, flagged %v, want %v", c.body, s.Spam, s.Fraud, got, c.flagged)
			}
		})
	}
}
