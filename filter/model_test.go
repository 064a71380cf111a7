package filter

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/state"
)

func checkMsg(t *testing.T, e *Engine, m Message) Decision {
	t.Helper()
	d, err := e.Check(context.Background(), &m)
	if err != nil {
		t.Fatalf("Check(%q): %v", m.Body, err)
	}
	return d
}

func reasonOf(d Decision, c Code) (Reason, bool) {
	for _, r := range d.Reasons {
		if r.Code == c {
			return r, true
		}
	}
	return Reason{}, false
}

// TestModelCodes: the content model's rules through the engine, each with
// its ham twin. Germany has no pack: the global rules alone.
func TestModelCodes(t *testing.T) {
	e := newEngine(t)
	msg := func(kind Kind, body string) Message {
		return Message{Channel: SMS, Kind: kind, Sender: "ACME", Recipient: "+4915123456789", Body: body}
	}
	fraud := "URGENT: your bank account has been suspended. Verify your details now at http://secure-verify-acc.top/login or lose access"
	spam := "WIN a brand new iPhone! Text WIN to 80086 now, only 1.50/msg. Claim your FREE prize today!"
	for _, c := range []struct {
		name string
		msg  Message
		want Code // "" for none of the model's codes
	}{
		{"fraud lure", msg(Transactional, fraud), FraudSuspected},
		{"fraud lure sent as promotional", msg(Promotional, fraud), FraudSuspected},
		{"ham twin: otp", msg(OTP, "Your ACME verification code is 482913. Do not share it with anyone."), ""},
		{"spam as transactional", msg(Transactional, spam), SpamSuspected},
		{"ham twin: the same spam declared promotional", msg(Promotional, spam), ""},
		{"ham twin: delivery notice", msg(Transactional, "Your parcel 4821 will be delivered today between 10:00 and 12:00."), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := checkMsg(t, e, c.msg)
			var got []Code
			for _, r := range d.Reasons {
				if r.Code == FraudSuspected || r.Code == SpamSuspected {
					got = append(got, r.Code)
				}
			}
			switch {
			case c.want == "" && len(got) > 0:
				t.Errorf("Check(%q) = %v, want no model reason", c.msg.Body, d.Reasons)
			case c.want != "" && !slices.Contains(got, c.want):
				t.Errorf("Check(%q) = %v, want %s", c.msg.Body, d.Reasons, c.want)
			}
			if r, ok := reasonOf(d, c.want); ok && c.want != "" {
				// The evidence names the features that weighed most.
				if !strings.Contains(r.Evidence, "word") && !strings.Contains(r.Evidence, "link") {
					t.Errorf("%s evidence %q names no feature", c.want, r.Evidence)
				}
			}
		})
	}
}

// TestModelFactsOnlyNamedNearThreshold: a clean body's facts carry its
// scores but no feature names (naming allocates; no rule can fire).
// TestUnwantedIsTheDecimalSum: content.model.unwanted must be the number
// OPA would make of spam + fraud (an exact decimal sum), or a rule reading
// it would decide a score on a threshold otherwise than the sum did. The
// float64 sum is not it: 0.15 + 0.3 gives 0.44999999999999996.
func TestUnwantedIsTheDecimalSum(t *testing.T) {
	for a := range 101 {
		for b := range 101 {
			spam, fraud := trunc2(float64(a)/100), trunc2(float64(b)/100)
			want, err := strconv.ParseFloat(strconv.Itoa(a+b)+"e-2", 64)
			if err != nil {
				t.Fatal(err)
			}
			if got := sum2(spam, fraud); got != want {
				t.Fatalf("sum2(%v, %v) = %v, want %v", spam, fraud, got, want)
			}
		}
	}
	if x, y := 0.15, 0.3; x+y == sum2(x, y) {
		t.Fatal("the float64 sum is exact here: the test no longer shows why sum2 exists")
	}
}

func TestModelFactsOnlyNamedNearThreshold(t *testing.T) {
	e := newEngine(t)
	x, err := e.Explain(context.Background(), &Message{Channel: SMS, Kind: OTP, Sender: "ACME", Recipient: "+4915123456789",
		Body: "Your ACME verification code is 482913. Do not share it with anyone."})
	if err != nil {
		t.Fatal(err)
	}
	mf := x.Facts.Content.Model
	if mf.Spam+mf.Fraud >= 0.5 || len(mf.Features.Spam)+len(mf.Features.Fraud) > 0 {
		t.Errorf("OTP model facts = %+v, want low scores and no names", mf)
	}
	x, err = e.Explain(context.Background(), &Message{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+4915123456789",
		Body: "URGENT: your bank account has been suspended. Verify your details now at http://secure-verify-acc.top/login"})
	if err != nil {
		t.Fatal(err)
	}
	if mf := x.Facts.Content.Model; mf.Fraud < 0.5 || len(mf.Features.Fraud) == 0 {
		t.Errorf("fraud lure model facts = %+v, want a high fraud score with names", mf)
	}
}

// TestClassifySeesLinks: the model scores a body with what the link stage
// found (model.Features.Links), as it was trained; a body whose link
// signs move its scores shows the wiring, and its twin without a link sign
// scores as the text alone.
func TestClassifySeesLinks(t *testing.T) {
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t)
	for _, c := range []struct {
		name, body string
		signs      bool
	}{
		{"brand named beside a foreign link", "PayPal: a payment of $349.99 is pending, review it at https://review-pending.com/r", true},
		{"twin: the brand's own link", "PayPal: a payment of $349.99 is pending, review it at https://www.paypal.com/r", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var (
				f  model.Features
				tn = textPool.Get().(*textnorm.Text)
			)
			defer textPool.Put(tn)
			tn.Reset(c.body)
			f.Extract(tn)
			text := m.Score(&f)
			f.Links(model.LinkAnalyzer().Analyze(c.body))
			withLinks := m.Score(&f)
			if moved := text != withLinks; moved != c.signs {
				t.Fatalf("link signs moved the scores = %v, want %v: the case no longer tests the wiring", moved, c.signs)
			}
			mf := explain(t, e, &Message{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+4915123456789", Body: c.body, Time: tuesday}).Facts.Content.Model
			if mf.Spam != trunc2(withLinks.Spam) || mf.Fraud != trunc2(withLinks.Fraud) {
				t.Errorf("engine model facts %v/%v, want %v/%v (the text alone: %v/%v)", mf.Spam, mf.Fraud,
					trunc2(withLinks.Spam), trunc2(withLinks.Fraud), trunc2(text.Spam), trunc2(text.Fraud))
			}
		})
	}
}

// campaign is a message the shipped model lets through, until reports
// teach it otherwise; twin is a notification that must stay clean.
var (
	campaign = Message{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+4915123456789",
		Body: "Your loyalty points expire tonight, claim them now at points-club.example/r", Time: tuesday}
	twin = Message{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+4915123456789",
		Body: "Your ACME verification code is 482913. Do not share it with anyone.", Time: tuesday}
)

// TestReportChangesNextDecision: fraud reports of a campaign flag its next
// message, including the very message the exact cache answered before the
// reports; the twin stays clean; ham reports undo it.
func TestReportChangesNextDecision(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		e    *Engine
	}{
		{"memory store", newEngine(t)},
		{"no store", newEngine(t, WithStore(nil))},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := c.e
			for range 2 { // the second check is answered by the exact cache
				if d := checkMsg(t, e, campaign); d.Action != Allow {
					t.Fatalf("before reports: %v %v, want allow", d.Action, d.Reasons)
				}
			}
			reportN(t, e, campaign, ReportFraud, 3)
			d := checkMsg(t, e, campaign)
			if _, ok := reasonOf(d, FraudSuspected); !ok {
				t.Fatalf("after fraud reports: %v %v (cache %q), want FRAUD_SUSPECTED", d.Action, d.Reasons, d.Cache)
			}
			if d := checkMsg(t, e, twin); d.Action != Allow {
				t.Errorf("twin after the reports: %v %v, want allow", d.Action, d.Reasons)
			}
			reportN(t, e, campaign, ReportHam, 6)
			if d := checkMsg(t, e, campaign); d.Action != Allow {
				t.Errorf("after ham reports: %v %v, want allow", d.Action, d.Reasons)
			}
			if err := e.Report(ctx, &campaign, "phishing"); !errors.Is(err, ErrInvalidMessage) {
				t.Errorf("Report(label phishing) = %v, want a *ValidationError", err)
			}
			if err := e.Report(ctx, &Message{}, ReportFraud); !errors.Is(err, ErrInvalidMessage) {
				t.Errorf("Report(empty body) = %v, want a *ValidationError", err)
			}
		})
	}
}

func reportN(t *testing.T, e *Engine, m Message, l Label, n int) {
	t.Helper()
	for range n {
		if err := e.Report(context.Background(), &m, l); err != nil {
			t.Fatalf("Report(%s): %v", l, err)
		}
	}
}

// TestReportReachesEveryEngine: two engines sharing one Redis are two
// gateway nodes; fraud reports on one flag the campaign's next message on
// the other, which had checked (and could have cached) it before.
func TestReportReachesEveryEngine(t *testing.T) {
	es := redisEngines(t, 2)
	for range 2 {
		if d := checkMsg(t, es[1], campaign); d.Action != Allow {
			t.Fatalf("node 2 before reports: %v %v, want allow", d.Action, d.Reasons)
		}
	}
	reportN(t, es[0], campaign, ReportFraud, 3)
	if d := checkMsg(t, es[1], campaign); d.Action == Allow {
		t.Errorf("node 2 after reports on node 1: allow, want FRAUD_SUSPECTED")
	}
	if d := checkMsg(t, es[1], twin); d.Action != Allow {
		t.Errorf("node 2, the twin: %v %v, want allow", d.Action, d.Reasons)
	}
}

func TestWithModelFile(t *testing.T) {
	dir := t.TempDir()
	m, err := model.Default()
	if err != nil {
		t.Fatal(err)
	}
	good, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	bad := slices.Clone(good)
	bad[len(bad)/2] ^= 0xff
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := New(WithModel(write("good.model", good))); err != nil {
		t.Errorf("New(WithModel(a copy of the shipped model)) = %v", err)
	}
	for _, c := range []struct {
		name, path string
		is         error
	}{
		{"corrupt", write("bad.model", bad), model.ErrCorrupt},
		{"not a model", write("text.model", []byte("hello")), model.ErrCorrupt},
		{"missing", filepath.Join(dir, "none.model"), os.ErrNotExist},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := New(WithModel(c.path))
			var me *ModelError
			if !errors.As(err, &me) || me.Path != c.path || !errors.Is(err, c.is) {
				t.Errorf("New(WithModel(%s)) = %v, want a *ModelError matching %v", c.name, err, c.is)
			}
		})
	}
}

// TestClassifyDoesNotAllocate: scoring a body that no model rule is near
// (the common case) allocates nothing once the scratch has grown, with
// reports in the memory counts too.
func TestClassifyDoesNotAllocate(t *testing.T) {
	e := newEngine(t)
	reportN(t, e, campaign, ReportFraud, 1)
	for _, body := range []string{
		"Your ACME verification code is 482913. Do not share it with anyone. It expires in 10 minutes, ACME never asks.",
		"รหัส OTP ของคุณคือ 482913 ห้ามบอกรหัสนี้กับผู้อื่น",
	} {
		m := twin
		m.Body = body
		c := e.newCheck(context.Background(), &m, false)
		if err := c.validate(); err != nil {
			t.Fatal(err)
		}
		c.normalize()
		run := func() {
			if err := c.classify(); err != nil {
				t.Fatal(err)
			}
			scratchPool.Put(c.scratch)
			c.scratch = nil
		}
		run()
		if n := testing.AllocsPerRun(100, run); n != 0 && !raceEnabled {
			t.Errorf("classify(%q) allocates %.0f times, want 0", body, n)
		}
		if f := c.facts.Content.Model; len(f.Features.Spam)+len(f.Features.Fraud) > 0 {
			t.Errorf("classify(%q) named features %+v: the body is not near a threshold", body, f.Features)
		}
		c.release()
	}
}

// BenchmarkClassify measures stage classify alone (features, score, the
// online layer over the memory counts) on a normalized body: what the model
// adds to a check that misses the exact cache.
func BenchmarkClassify(b *testing.B) {
	e := newEngine(b)
	for _, c := range []struct{ name, body string }{
		{"ascii160", "Your ACME verification code is 482913. It expires in 10 minutes. Do not share it with anyone; ACME staff will never ask you for it by phone, SMS or e-mail."},
		{"thai", "รหัส OTP ของคุณคือ 482913 ห้ามบอกรหัสนี้กับผู้อื่น รหัสจะหมดอายุใน 10 นาที"},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := twin
			m.Body = c.body
			ck := e.newCheck(context.Background(), &m, false)
			if err := ck.validate(); err != nil {
				b.Fatal(err)
			}
			ck.normalize()
			defer ck.release()
			b.SetBytes(int64(len(c.body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := ck.classify(); err != nil {
					b.Fatal(err)
				}
				scratchPool.Put(ck.scratch)
				ck.scratch = nil
			}
		})
	}
}

// TestReportSharedMemoryStore: engines sharing one state.Memory (a service
// rebuilding its engine on a configuration reload) share what reports
// taught, and the exact cache of the one that did not see the report
// still answers with the new scores.
func TestReportSharedMemoryStore(t *testing.T) {
	store := state.NewMemory(state.MemoryConfig{})
	a, b := newEngine(t, WithStore(store)), newEngine(t, WithStore(store))
	for range 2 {
		if d := checkMsg(t, b, campaign); d.Action != Allow {
			t.Fatalf("before reports: %v %v, want allow", d.Action, d.Reasons)
		}
	}
	reportN(t, a, campaign, ReportFraud, 3)
	if d := checkMsg(t, b, campaign); d.Action == Allow {
		t.Errorf("engine b after reports on engine a: allow (cache %q), want FRAUD_SUSPECTED", d.Cache)
	}
	if d := checkMsg(t, b, twin); d.Action != Allow {
		t.Errorf("the twin: %v %v, want allow", d.Action, d.Reasons)
	}
}

// TestModelThresholdsResolved checks the thresholds the model's rules get:
// for each, the lowest of the global pack's, the destination pack's and
// the tenant's, so that a pack or a tenant tightens a rule and never
// loosens it, and a threshold nobody sets stays absent.
func TestModelThresholdsResolved(t *testing.T) {
	fsys := policiesWith(t, map[string]string{
		"countries/de/data.json": `{"time_zone": "Europe/Berlin",
			"model": {"fraud_review": 0.4, "fraud_block": 0.99, "spam_block": 0.85, "not_a_rule": 0.01}}`,
	})
	e := newEngine(t, WithPolicies(fsys),
		WithTenant("acme", Tenant{Model: ModelThresholds{FraudReview: 0.45, FraudBlock: 0.95, SpamBlock: 0.8, Corroborated: 0.35}}),
		WithTenant("lax", Tenant{Model: ModelThresholds{Corroborated: 0.9}}))
	global := map[string]float64{"fraud_review": 0.5, "fraud_block": 0.9, "spam_review": 0.5, "corroborated": 0.45}
	for _, tc := range []struct {
		name, recipient, tenant string
		want                    map[string]float64
	}{
		{"no pack thresholds, no tenant: the global ones", "+33612345678", "", global},
		{"no pack thresholds, a tenant without any", "+33612345678", "other", global},
		{"pack tightens fraud_review and adds spam_block, cannot loosen fraud_block", "+4915123456001", "",
			map[string]float64{"fraud_review": 0.4, "fraud_block": 0.9, "spam_review": 0.5, "spam_block": 0.85, "corroborated": 0.45}},
		{"tenant tightens spam_block and corroborated, cannot loosen the pack's fraud_review", "+4915123456001", "acme",
			map[string]float64{"fraud_review": 0.4, "fraud_block": 0.9, "spam_review": 0.5, "spam_block": 0.8, "corroborated": 0.35}},
		{"tenant tightens the global fraud_review, adds spam_block", "+33612345678", "acme",
			map[string]float64{"fraud_review": 0.45, "fraud_block": 0.9, "spam_review": 0.5, "spam_block": 0.8, "corroborated": 0.35}},
		{"tenant cannot loosen corroborated", "+33612345678", "lax", global},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Message{ID: "m", Channel: SMS, Kind: Transactional, Tenant: tc.tenant, Sender: "SHOP",
				Recipient: tc.recipient, Body: "Your order has shipped.", Time: tuesday}
			x, err := e.Explain(context.Background(), &m)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(x.Facts.Content.Model.Thresholds)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]float64
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("thresholds %v, want %v", got, tc.want)
			}
		})
	}
}
