package filter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// withCampaignBound returns the embedded policies with the global
// campaign_flood bound set to n recipients per hour.
func withCampaignBound(t testing.TB, n int) fs.FS {
	t.Helper()
	b, err := fs.ReadFile(policies.FS, "global/data.json")
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	data["campaign_flood"] = map[string]any{"recipients": n, "window_minutes": 60, "exempt_kinds": []string{"otp"}}
	out, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return policiesWith(t, map[string]string{"global/data.json": string(out)})
}

// campaignBody is a smishing text with its word i (of its first 20)
// replaced, so that every message differs from every other by a word or two.
func campaignBody(i int) string {
	words := strings.Fields("Dear customer your parcel could not be delivered because the street address was incomplete please confirm your details today to avoid it being returned")
	swaps := []string{"kindly", "valued", "package", "shipment", "cannot", "was", "sent", "as", "delivery", "house", "number", "missing", "now", "verify", "info", "tonight", "and", "stop", "this", "getting"}
	words[i%len(swaps)] = swaps[(i/len(swaps)+i)%len(swaps)]
	// Germany's pack wants an opt-out instruction in promotional messages.
	return strings.Join(words, " ") + ". Reply STOP to opt out"
}

func recipientDE(i int) string { return fmt.Sprintf("+4915123456%03d", i) }

// checkRun checks the messages in order on the engines in turn and returns
// the decisions.
func checkRun(t *testing.T, engines []*Engine, msgs []Message) []Decision {
	t.Helper()
	out := make([]Decision, len(msgs))
	for i := range msgs {
		d, err := engines[i%len(engines)].Check(context.Background(), &msgs[i])
		if err != nil {
			t.Fatalf("Check(%s) = %v", msgs[i].ID, err)
		}
		out[i] = d
	}
	return out
}

// campaignMessages is 50 near-identical promotional messages, one word
// changed per message, from 10 rotating senders to 50 recipients.
func campaignMessages() []Message {
	msgs := make([]Message, 50)
	for i := range msgs {
		msgs[i] = Message{
			ID: fmt.Sprint("c", i), Channel: SMS, Kind: Promotional, Sender: fmt.Sprintf("PARCEL%d", i%10),
			Recipient: recipientDE(i), Body: campaignBody(i), Time: tuesday.Add(time.Duration(i) * time.Second),
		}
	}
	return msgs
}

// hamTwins is 50 distinct business messages from one sender, another
// near-duplicate campaign below the bound, and 50 OTPs of one template from
// 10 senders.
func hamTwins() []Message {
	var msgs []Message
	items := []string{"shoes", "jackets", "lamps", "sofas", "bikes", "tents", "watches", "books", "plates", "rugs"}
	verbs := []string{"Spring sale on", "New arrivals in", "Members save on", "Last chance for", "Weekend offer on"}
	for i := range 50 {
		body := fmt.Sprintf("%s %s at Nordhaus: %s our %s stores near %s, open late on %s. Reply STOP to opt out",
			verbs[i%5], items[i/5], []string{"visit", "see", "try", "browse", "find"}[i%5],
			[]string{"city", "garden", "outlet", "harbour", "market"}[(i/5)%5],
			[]string{"Berlin", "Hamburg", "Munich", "Cologne", "Leipzig", "Bremen", "Dresden"}[i%7],
			[]string{"Fridays", "Thursdays", "Saturdays"}[i%3])
		msgs = append(msgs, Message{ID: fmt.Sprint("ham", i), Channel: SMS, Kind: Promotional, Sender: "NORDHAUS",
			Recipient: recipientDE(100 + i), Body: body, Time: tuesday.Add(time.Duration(i) * time.Second)})
	}
	// Another smishing campaign, below the bound, with the same opt-out
	// footer as the first and words of its own: it must not be counted
	// with it.
	for i := range testBound - 1 {
		words := strings.Fields("Final notice your electricity account is overdue and supply will be disconnected tonight unless the balance is settled online")
		words[i%len(words)] = []string{"last", "urgent", "power", "gas", "water", "energy"}[i%6]
		msgs = append(msgs, Message{ID: fmt.Sprint("bill", i), Channel: SMS, Kind: Promotional, Sender: fmt.Sprintf("POWER%d", i%10),
			Recipient: recipientDE(300 + i), Body: strings.Join(words, " ") + ". Reply STOP to opt out",
			Time: tuesday.Add(time.Duration(i) * time.Second)})
	}
	for i := range 50 {
		msgs = append(msgs, Message{ID: fmt.Sprint("otp", i), Channel: SMS, Kind: OTP, Sender: fmt.Sprintf("BANK%d", i%10),
			Recipient: recipientDE(200 + i), Body: fmt.Sprintf("Your verification code is %06d. Do not share it with anyone.", 100000+i*7919),
			Time: tuesday.Add(time.Duration(i) * time.Second)})
	}
	return msgs
}

const testBound = 20

// testCampaignFlood: below the bound every message passes; from the bound
// on, every message of the campaign is blocked (candidates by band keys,
// confirmed by signature: state.Campaigns), and neither the ham twins nor
// another campaign below the bound is.
func testCampaignFlood(t *testing.T, engines []*Engine) {
	t.Helper()
	ds := checkRun(t, engines, campaignMessages())
	passed := 0
	for i, d := range ds {
		flagged := hasCode(d, DuplicateFlood)
		if i < testBound && (flagged || d.Action != Allow) {
			t.Errorf("message %d (below the bound): %s %v, want allow", i, d.Action, codes(d))
		}
		if i >= testBound && (!flagged || d.Action != Block) {
			t.Errorf("message %d (from the bound on): %s %v, want block with DUPLICATE_FLOOD", i, d.Action, codes(d))
		}
		if d.Action == Allow {
			passed++
		}
	}
	t.Logf("%d of %d campaign messages passed with a bound of %d", passed, len(ds), testBound)
	ham := hamTwins()
	for i, d := range checkRun(t, engines, ham) {
		// The other campaign's lures are content reasons of their own;
		// what matters here is that it is not counted with the first.
		if d.Action != Allow && (hasCode(d, DuplicateFlood) || !strings.HasPrefix(ham[i].ID, "bill")) {
			t.Errorf("ham twin %s: %s %v, want allow", ham[i].ID, d.Action, codes(d))
		}
	}
}

func TestCampaignFloodMemory(t *testing.T) {
	testCampaignFlood(t, []*Engine{newEngine(t, WithPolicies(withCampaignBound(t, testBound)))})
}

func TestCampaignFloodRedisTwoEngines(t *testing.T) {
	testCampaignFlood(t, redisEngines(t, 2, WithPolicies(withCampaignBound(t, testBound))))
}

// TestCampaignFloodDefaultBound: the global default is on, and a campaign
// well under it passes.
func TestCampaignFloodDefaultBound(t *testing.T) {
	e := newEngine(t)
	if l := e.policy.Load().campaignLimitFor("DE", Promotional); l.n == 0 {
		t.Fatal("the global campaign_flood bound is off, want on")
	}
	if l := e.policy.Load().campaignLimitFor("DE", OTP); l.n != 0 {
		t.Errorf("otp campaign bound = %d, want exempt", l.n)
	}
	for i, d := range checkRun(t, []*Engine{e}, campaignMessages()) {
		if d.Action != Allow {
			t.Errorf("message %d under the default bound: %s %v, want allow", i, d.Action, codes(d))
		}
	}
}

func TestReportCampaign(t *testing.T) {
	for _, tc := range []struct {
		name    string
		engines func(t *testing.T) []*Engine
	}{
		{"memory", func(t *testing.T) []*Engine { return []*Engine{newEngine(t)} }},
		{"redis", func(t *testing.T) []*Engine { return redisEngines(t, 2) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			engines := tc.engines(t)
			ctx := context.Background()
			msgs := campaignMessages()
			reported := msgs[0]
			if err := engines[0].reportCampaign(ctx, &reported, "spam"); err != nil {
				t.Fatalf("reportCampaign(spam) = %v", err)
			}
			// Later messages of the campaign, other senders, one word
			// changed, checked through the other engine.
			later := msgs[1:6]
			for i, d := range checkRun(t, engines[len(engines)-1:], later) {
				if !hasCode(d, ReportedContent) || d.Action != Block {
					t.Errorf("campaign message %d after the report: %s %v, want block with REPORTED_CONTENT", i+1, d.Action, codes(d))
				}
			}
			for i, d := range checkRun(t, engines, hamTwins()) {
				if hasCode(d, ReportedContent) {
					t.Errorf("ham twin %d: %v, want no REPORTED_CONTENT", i, codes(d))
				}
			}
			// A ham report lifts the mark.
			if err := engines[0].reportCampaign(ctx, &reported, "ham"); err != nil {
				t.Fatalf("reportCampaign(ham) = %v", err)
			}
			for i, d := range checkRun(t, engines, later) {
				if hasCode(d, ReportedContent) {
					t.Errorf("campaign message %d after the ham report: %v, want no REPORTED_CONTENT", i+1, codes(d))
				}
			}
		})
	}
}

func TestReportCampaignInvalid(t *testing.T) {
	e := newEngine(t)
	m := campaignMessages()[0]
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		e     *Engine
		m     *Message
		label string
		want  error
	}{
		{"bad label", e, &m, "phishy", ErrInvalidMessage},
		{"nil message", e, nil, "spam", ErrInvalidMessage},
		{"invalid UTF-8", e, &Message{Body: "caf\xe9"}, "spam", ErrInvalidMessage},
		{"body over the cap", e, &Message{Body: strings.Repeat("x", 1<<20)}, "spam", ErrInvalidMessage},
		{"no store", newEngine(t, WithStore(nil)), &m, "spam", ErrNoStore},
		{"zero engine", &Engine{}, &m, "spam", ErrZeroEngine},
	} {
		if err := c.e.reportCampaign(ctx, c.m, c.label); !errors.Is(err, c.want) {
			t.Errorf("%s: reportCampaign = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestFirstSeenFacts(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 30, 0, time.UTC)
	for _, c := range []struct {
		name              string
		first, since, now time.Time
		want              FirstSeenFacts
	}{
		{"cold store", t0, t0, t0, FirstSeenFacts{}},
		{"recorded in the first day", t0.Add(23 * time.Hour), t0, t0.Add(72 * time.Hour), FirstSeenFacts{}},
		{"new to a warm store", t0.Add(25 * time.Hour), t0, t0.Add(25 * time.Hour), FirstSeenFacts{Known: true}},
		{"ten minutes", t0.Add(25 * time.Hour), t0, t0.Add(25*time.Hour + 10*time.Minute), FirstSeenFacts{Known: true, AgeMinutes: 5}},
		{"two days", t0.Add(25 * time.Hour), t0, t0.Add(73 * time.Hour), FirstSeenFacts{Known: true, AgeMinutes: 2880}},
		{"a year", t0.Add(25 * time.Hour), t0, t0.Add(400 * 24 * time.Hour), FirstSeenFacts{Known: true, AgeMinutes: 43200}},
	} {
		if got := firstSeenFacts(c.first, c.since, c.now); got != c.want {
			t.Errorf("%s: firstSeenFacts = %+v, want %+v", c.name, got, c.want)
		}
	}
}

// TestFirstSeenThroughEngine: a domain the fleet has carried for days adds
// nothing; a domain first seen now adds fresh_weight to a link that already
// has a signal, never to one without.
func TestFirstSeenThroughEngine(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	check := func(at time.Time, body string) Explanation {
		t.Helper()
		x, err := e.Explain(ctx, &Message{ID: "m", Channel: SMS, Kind: Transactional, Sender: "SHOP", Recipient: "+4915123456001", Body: body, Time: at})
		if err != nil {
			t.Fatalf("Explain(%q) = %v", body, err)
		}
		return x
	}
	old := "Your order has shipped: https://www.shop-example.de/account/login"
	x := check(tuesday, old)
	if fs := x.Facts.Links[0].FirstSeen; fs.Known {
		t.Errorf("a cold store: first_seen = %+v, want unknown", fs)
	}
	later := tuesday.Add(3 * 24 * time.Hour)
	if fs := check(later, old).Facts.Links[0].FirstSeen; fs.Known {
		t.Errorf("a domain recorded in the store's first day: first_seen = %+v, want unknown", fs)
	}
	// A new domain, with a weak signal of its own (a credential path):
	// fresh, it is held for review; known for days, it passes.
	fresh := "Your order has shipped: https://www.neu-shop-example.de/account/login"
	x = check(later, fresh)
	if fs := x.Facts.Links[0].FirstSeen; !fs.Known || fs.AgeMinutes != 0 {
		t.Errorf("a new domain in a warm store: first_seen = %+v, want known, age 0", fs)
	}
	if !hasCode(x.Decision, SuspiciousLink) {
		t.Errorf("a fresh domain with a credential path: %v, want SUSPICIOUS_LINK", codes(x.Decision))
	}
	x = check(later.Add(3*24*time.Hour), fresh)
	if fs := x.Facts.Links[0].FirstSeen; !fs.Known || fs.AgeMinutes != 2880 {
		t.Errorf("the same domain three days on: first_seen = %+v, want known, age bucket 2880", fs)
	}
	if hasCode(x.Decision, SuspiciousLink) {
		t.Errorf("a three-day-old domain with a credential path: %v, want no SUSPICIOUS_LINK", codes(x.Decision))
	}
	// Freshness alone never flags.
	x = check(later, "Your order has shipped: https://www.brandneu-laden.de/")
	if fs := x.Facts.Links[0].FirstSeen; !fs.Known || hasCode(x.Decision, SuspiciousLink) {
		t.Errorf("a fresh domain without another signal: first_seen %+v, %v; want known and no SUSPICIOUS_LINK", fs, codes(x.Decision))
	}
}

func TestLinkRiskFacts(t *testing.T) {
	e := newEngine(t, WithStore(nil))
	ctx := context.Background()
	for _, c := range []struct {
		name, body string
		want       bool
	}{
		{"combo-squat", "Your account is locked: https://paypal-secure-login.com/verify", true},
		{"brand's own domain", "Your receipt: https://www.paypal.com/myaccount/summary", false},
		{"brand in a subdomain", "Confirm now: https://login.paypal.com.secure-verify.co.uk/", true},
		{"typo-squat", "Your payment failed: https://paypall.com/", true},
		{"legitimate look-alike name", "Book a table: https://www.applebees.com/", false},
		{"IDN of a country", "Stadtinfo: https://www.münchen.de/", false},
	} {
		x, err := e.Explain(ctx, &Message{ID: "m", Channel: SMS, Kind: Transactional, Sender: "SHOP", Recipient: "+4915123456001", Body: c.body, Time: tuesday})
		if err != nil {
			t.Fatalf("%s: Explain = %v", c.name, err)
		}
		if got := hasCode(x.Decision, SuspiciousLink) || hasCode(x.Decision, IDNHomograph); got != c.want {
			t.Errorf("%s: %q: %v (link facts %+v), want flagged %v", c.name, c.body, codes(x.Decision), x.Facts.Links, c.want)
		}
	}
}

func TestLinksDeduplicated(t *testing.T) {
	e := newEngine(t, WithStore(nil))
	body := strings.Repeat("https://shop-example.de/a ", 1000) + "https://shop-example.de/b"
	x, err := e.Explain(context.Background(), &Message{ID: "m", Channel: SMS, Kind: Transactional, Sender: "SHOP", Recipient: "+4915123456001", Body: body, Time: tuesday})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Facts.Links) != 2 {
		t.Errorf("%d link facts for 1,001 links of 2 URLs, want 2", len(x.Facts.Links))
	}
}

func TestBodyPremiumRate(t *testing.T) {
	e := newEngine(t, WithStore(nil))
	for _, c := range []struct {
		name, body string
		want       bool
	}{
		{"premium rate", "Win a holiday! Call 0909 879 0000 now to claim your prize", true},
		{"mobile twin", "Win a holiday! Text 07400 123456 now to claim your prize", false},
		{"toll-free twin", "Questions about your order? Freephone 0800 123 4567", false},
	} {
		d, err := e.Check(context.Background(), &Message{ID: "m", Channel: SMS, Kind: Promotional, Sender: "SHOP", Recipient: "+447400123456", Body: c.body + " Reply STOP to opt out", Time: tuesday})
		if err != nil {
			t.Fatalf("%s: Check = %v", c.name, err)
		}
		if got := hasCode(d, SenderPremiumRate); got != c.want {
			t.Errorf("%s: %v, want SENDER_PREMIUM_RATE %v", c.name, codes(d), c.want)
		}
	}
}

// TestFirstSeenManyDomains: past a few links the domains are indexed by a
// map; every link still gets its domain's first sighting.
func TestFirstSeenManyDomains(t *testing.T) {
	e := newEngine(t)
	var b strings.Builder
	for i := range 20 {
		fmt.Fprintf(&b, "https://shop%d-example.de/a https://shop%d-example.de/b ", i, i)
	}
	ctx := context.Background()
	m := Message{ID: "m", Channel: SMS, Kind: Transactional, Sender: "SHOP", Recipient: "+4915123456001", Body: "warm up", Time: tuesday}
	if _, err := e.Explain(ctx, &Message{ID: "w", Channel: SMS, Kind: Transactional, Sender: "SHOP", Recipient: "+4915123456001", Body: "See https://warm-example.de/", Time: tuesday}); err != nil {
		t.Fatal(err)
	}
	m.Body, m.Time = b.String(), tuesday.Add(48*time.Hour)
	x, err := e.Explain(ctx, &m)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Facts.Links) != 40 {
		t.Fatalf("%d link facts, want 40", len(x.Facts.Links))
	}
	for _, l := range x.Facts.Links {
		if !l.FirstSeen.Known || l.FirstSeen.AgeMinutes != 0 {
			t.Errorf("%s: first_seen %+v, want known, age 0 (new to a warm store)", l.URL, l.FirstSeen)
		}
	}
}

// TestTenantBrands: a tenant's own brand is protected in the tenant's
// messages; other tenants' messages and the brand's own domain are not
// flagged.
func TestTenantBrands(t *testing.T) {
	e := newEngine(t, WithStore(nil), WithTenant("acme", Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}}))
	for _, c := range []struct {
		name, tenant, body string
		want               bool
	}{
		{"combo-squat of the tenant's brand", "acme", "Konto gesperrt: https://acmebank-login.com/verify", true},
		{"same link, another tenant", "other", "Konto gesperrt: https://acmebank-login.com/verify", false},
		{"the brand's own domain", "acme", "Ihr Konto: https://www.acmebank.de/login", false},
	} {
		d, err := e.Check(context.Background(), &Message{ID: "m", Channel: SMS, Kind: Transactional, Tenant: c.tenant, Sender: "ACME", Recipient: "+4915123456001", Body: c.body, Time: tuesday})
		if err != nil {
			t.Fatalf("%s: Check = %v", c.name, err)
		}
		if got := hasCode(d, SuspiciousLink); got != c.want {
			t.Errorf("%s: %v, want SUSPICIOUS_LINK %v", c.name, codes(d), c.want)
		}
	}
	if _, err := New(WithTenant("bad", Tenant{Brands: []Brand{{Name: "No domain"}}})); err == nil {
		t.Error("New with a brand without a domain: nil error, want one")
	}
}

// TestReportCampaignRepresentative: a report marks the bands of the
// campaign's representative, under which its messages are counted, not
// only the reported message's own: B, a near-duplicate of the campaign's
// first message R that shares no band with the reported A, is flagged, and
// a ham report on A lifts the mark. Another campaign is not.
func TestReportCampaignRepresentative(t *testing.T) {
	const tail = " parcel could not be delivered because the street address was incomplete please confirm your details today to avoid it being returned. Reply STOP to opt out"
	r := campaignMessages()[0]
	r.Body = "kindly cannot your" + tail
	a, b := r, r
	a.ID, a.Sender, a.Recipient, a.Body = "A", "PARCEL1", recipientDE(1), "kindly customer was"+tail
	b.ID, b.Sender, b.Recipient, b.Body = "B", "PARCEL2", recipientDE(2), "Dear customer your parcel cannot not be delivered because the street address was incomplete please confirm your details valued to avoid it being returned. Reply STOP to opt out"
	b.Time = r.Time.Add(time.Minute)
	// The case holds only while the fingerprints are what it needs.
	e := newEngine(t)
	bandsOf := func(m Message) []uint64 {
		c := check{e: e, p: e.policy.Load(), msg: m}
		if fp := c.campaignBands(); fp != nil {
			return fp.bands[:]
		}
		return nil
	}
	shared := func(x, y []uint64) bool {
		return slices.ContainsFunc(x, func(v uint64) bool { return slices.Contains(y, v) })
	}
	if rb, ab, bb := bandsOf(r), bandsOf(a), bandsOf(b); !shared(ab, rb) || !shared(bb, rb) || shared(ab, bb) {
		t.Fatal("A and B must each share a band with R and none with each other")
	}
	for _, tc := range []struct {
		name    string
		engines func(t *testing.T) []*Engine
	}{
		{"memory", func(t *testing.T) []*Engine { return []*Engine{newEngine(t)} }},
		{"redis", func(t *testing.T) []*Engine { return redisEngines(t, 2) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			engines := tc.engines(t)
			ctx := context.Background()
			// R, checked first, represents the campaign (the default
			// campaign bound is on).
			if d := checkRun(t, engines[:1], []Message{r})[0]; d.Action != Allow {
				t.Fatalf("R: %s %v, want allow", d.Action, codes(d))
			}
			if err := engines[0].reportCampaign(ctx, &a, "spam"); err != nil {
				t.Fatalf("reportCampaign(A, spam) = %v", err)
			}
			last := engines[len(engines)-1:]
			if d := checkRun(t, last, []Message{b})[0]; !hasCode(d, ReportedContent) || d.Action != Block {
				t.Errorf("B after the report on A: %s %v, want block with REPORTED_CONTENT", d.Action, codes(d))
			}
			for i, d := range checkRun(t, last, hamTwins()) {
				if hasCode(d, ReportedContent) {
					t.Errorf("ham twin %d: %v, want no REPORTED_CONTENT", i, codes(d))
				}
			}
			if err := engines[0].reportCampaign(ctx, &a, "ham"); err != nil {
				t.Fatalf("reportCampaign(A, ham) = %v", err)
			}
			if d := checkRun(t, last, []Message{b})[0]; hasCode(d, ReportedContent) {
				t.Errorf("B after the ham report on A: %v, want no REPORTED_CONTENT", codes(d))
			}
		})
	}
}

// TestCampaignBandsOneWay: the fingerprint a check takes from its
// normalized body equals the one a report (or stage state, or an
// exact-cache hit) computes from the body alone, and a link's text,
// however it is glued to the words, changes nothing; another text does.
func TestCampaignBandsOneWay(t *testing.T) {
	e := newEngine(t, WithCacheSizes(-1, -1))
	const text = "Your parcel could not be delivered, confirm your address today"
	for _, tc := range []struct{ name, body, rotated string }{
		{"no link", text, text},
		{"spaced link", text + " https://dhl-track.example/a1", text + " https://parcel-help.example/zz9"},
		{"glued link", text + ":https://dhl-track.example/a1!", text + ":https://parcel-help.example/zz9!"},
		{"link inside another", "moneycontrol.com " + text + " http://m.moneycontrol.com/MoM", "moneycontrol.com " + text + " http://m.moneycontrol.com/Other"},
		{"repeated link", text + " bit.ly/abc and bit.ly/abc", text + " bit.ly/xyz and bit.ly/xyz"},
		{"cyrillic", "Ваша посылка не доставлена, подтвердите адрес: https://dhl-track.example/a1 сегодня", "Ваша посылка не доставлена, подтвердите адрес: https://parcel-help.example/q сегодня"},
		{"html", "<p>" + text + "</p><br>https://dhl-track.example/a1", "<p>" + text + "</p><br>https://parcel-help.example/zz9"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := extractedDHL(t, e, tc.body)
			defer ch.release()
			inCheck := ch.campaignBands()
			alone := func(body string) *campaignPrint {
				t.Helper()
				c := check{e: e, p: e.policy.Load(), msg: Message{Body: body}}
				return c.campaignBands()
			}
			if inCheck == nil || *inCheck != *alone(tc.body) {
				t.Errorf("check's fingerprint %v, the body's alone %v: want equal", inCheck, alone(tc.body))
			}
			if r := alone(tc.rotated); r == nil || *r != *inCheck {
				t.Errorf("rotating the link changed the fingerprint")
			}
			if other := alone("Your invoice is ready, pay it today to keep your line " + tc.body[len(tc.body)-5:]); other != nil && other.bands == inCheck.bands {
				t.Errorf("another text has the same bands")
			}
		})
	}
}

// TestCampaignLimitExemptKinds: the kinds campaign_flood exempts, resolved
// at load, are exactly those it names, and a kind that is none is refused.
func TestCampaignLimitExemptKinds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		exempt []string
		counts []Kind // all others are exempt
	}{
		{"none", nil, []Kind{Transactional, Promotional, OTP, Service}},
		{"otp", []string{"otp"}, []Kind{Transactional, Promotional, Service}},
		{"otp and service", []string{"otp", "service"}, []Kind{Transactional, Promotional}},
		{"promotional", []string{"promotional"}, []Kind{Transactional, OTP, Service}},
		{"transactional twice", []string{"transactional", "transactional"}, []Kind{Promotional, OTP, Service}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := readCampaignLimit(&rules.Pack{Data: map[string]any{"campaign_flood": map[string]any{
				"recipients": 10, "window_minutes": 60, "exempt_kinds": tc.exempt}}})
			if err != nil {
				t.Fatal(err)
			}
			p := &policy{global: packConfig{campaign: l}}
			for _, k := range []Kind{Transactional, Promotional, OTP, Service} {
				want := 0
				if slices.Contains(tc.counts, k) {
					want = 10
				}
				if got := p.campaignLimitFor("DE", k).n; got != want {
					t.Errorf("%s: bound %d, want %d", k, got, want)
				}
			}
		})
	}
	_, err := readCampaignLimit(&rules.Pack{Data: map[string]any{"campaign_flood": map[string]any{
		"recipients": 10, "window_minutes": 60, "exempt_kinds": []string{"otp", "bulk"}}}})
	if err == nil {
		t.Error(`exempt kind "bulk" accepted, want an error`)
	}
}
