package filter

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/internal/dlt"
	"github.com/msgfilter/msgfilter/rules"
)

// India at 12:00 IST, outside the promotional quiet hours.
var indiaNoon = time.Date(2026, 3, 10, 6, 30, 0, 0, time.UTC)

const (
	hdfcDebit = "Rs 1,500.00 debited from a/c XX1234 on 10-03-26. Not you? Call 18002586161 - HDFC Bank"
	hdfcOTP   = "482913 is your OTP for txn of Rs 1,500.00. Valid for 5 mins. Do not share it with anyone - HDFC Bank"
)

func indiaSMS(sender, body string, kind Kind) *Message {
	return &Message{ID: "in", Channel: SMS, Kind: kind, Sender: sender, Recipient: "+919812345678", Body: body, Time: indiaNoon}
}

func explain(t *testing.T, e *Engine, m *Message) Explanation {
	t.Helper()
	x, err := e.Explain(context.Background(), m)
	if err != nil {
		t.Fatalf("Explain(%q): %v", m.Body, err)
	}
	return x
}

// TestDLTFromPack: the India pack's dlt_templates.json, once configured
// (the shipped .example is not), checks every SMS to India against its
// header's templates.
func TestDLTFromPack(t *testing.T) {
	e := newEngine(t, WithPolicies(policiesWith(t, map[string]string{
		"countries/in/dlt_templates.jsonl": exampleFile(t, "countries/in/dlt_templates.jsonl.example"),
	})))
	tests := []struct {
		name string
		m    *Message
		want DLTFacts
		code Code // "" for allow
	}{
		{"registered template with its variables filled", indiaSMS("VM-HDFCBK-T", hdfcDebit, Transactional),
			DLTFacts{Checked: true, Header: "HDFCBK", Matched: true, TemplateID: "1107160000000000001"}, ""},
		{"white space runs count as one space", indiaSMS("HDFCBK", "482913  is your OTP for txn of Rs 1,500.00.\nValid for 5 mins. Do not share it with anyone - HDFC Bank", Service),
			DLTFacts{Checked: true, Header: "HDFCBK", Matched: true, TemplateID: "1107160000000000002"}, ""},
		{"same body with an extra link", indiaSMS("VM-HDFCBK-T", hdfcDebit+" http://bit.ly/x", Transactional),
			DLTFacts{Checked: true, Header: "HDFCBK"}, TemplateNotRegistered},
		{"same body with an extra sentence", indiaSMS("VM-HDFCBK-T", hdfcDebit+". Claim your reward today!", Transactional),
			DLTFacts{Checked: true, Header: "HDFCBK"}, TemplateNotRegistered},
		{"words in a numeric placeholder", indiaSMS("VM-HDFCBK-S", "482913 is your OTP for txn of Rs FREE GIFT. Valid for 5 mins. Do not share it with anyone - HDFC Bank", Service),
			DLTFacts{Checked: true, Header: "HDFCBK"}, TemplateNotRegistered},
		{"a template of another header", indiaSMS("VM-SHOPCO-S", hdfcDebit, Service),
			DLTFacts{Checked: true, Header: "SHOPCO"}, TemplateNotRegistered},
		{"whatsapp is no DLT traffic", &Message{ID: "w", Channel: WhatsApp, Kind: Transactional, Sender: "+919812345679",
			Recipient: "+919812345678", Body: "anything at all", Time: indiaNoon}, DLTFacts{}, ""},
		{"another destination", &Message{ID: "ae", Channel: SMS, Kind: Transactional, Sender: "HDFCBK",
			Recipient: "+971501234567", Body: "anything at all", Time: indiaNoon}, DLTFacts{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := explain(t, e, tc.m)
			if x.Facts.DLT != tc.want {
				t.Errorf("dlt facts = %+v, want %+v", x.Facts.DLT, tc.want)
			}
			if got := hasCode(x.Decision, TemplateNotRegistered); got != (tc.code != "") {
				t.Errorf("Check = %s %v, want TEMPLATE_NOT_REGISTERED %v", x.Decision.Action, codes(x.Decision), tc.code != "")
			}
		})
	}
	// The shipped packs have no registry: the rule stays silent.
	x := explain(t, newEngine(t), indiaSMS("VM-SHOPCO-S", "Your order 1234 has shipped", Service))
	if x.Facts.DLT.Checked || hasCode(x.Decision, TemplateNotRegistered) {
		t.Errorf("default packs: dlt = %+v, codes %v; want unchecked and no TEMPLATE_NOT_REGISTERED", x.Facts.DLT, codes(x.Decision))
	}
}

func TestDLTFromTenant(t *testing.T) {
	e := newEngine(t, WithTenant("Bank", Tenant{DLTTemplates: []DLTTemplate{{
		Header: "HDFCBK", ID: "t1", Category: dlt.CategoryServiceImplicit,
		Text: "{#numeric#} is your OTP for txn of Rs {#numeric#}. Valid for 5 mins. Do not share it with anyone - HDFC Bank",
	}}}))
	m := indiaSMS("JD-HDFCBK-S", hdfcOTP, Service)
	m.Tenant = "bank"
	if x := explain(t, e, m); !x.Facts.DLT.Matched || x.Facts.DLT.TemplateID != "t1" || x.Decision.Action != Allow {
		t.Errorf("tenant template: dlt = %+v, decision %s %v; want matched t1, allow", x.Facts.DLT, x.Decision.Action, codes(x.Decision))
	}
	m.Body += " Win big: http://bit.ly/x"
	if x := explain(t, e, m); x.Facts.DLT.Matched || !hasCode(x.Decision, TemplateNotRegistered) {
		t.Errorf("tenant template with a link: dlt = %+v, codes %v; want TEMPLATE_NOT_REGISTERED", x.Facts.DLT, codes(x.Decision))
	}
	// Another tenant has no registry.
	m.Tenant = "other"
	if x := explain(t, e, m); x.Facts.DLT.Checked {
		t.Errorf("tenant without templates: dlt = %+v, want unchecked", x.Facts.DLT)
	}
}

func TestDLTRegistryErrors(t *testing.T) {
	_, err := New(WithTenant("bank", Tenant{DLTTemplates: []DLTTemplate{{Header: "HDFCBK", ID: "t1", Category: "promo", Text: "x {#var#}"}}}))
	if !errors.Is(err, dlt.ErrCategory) {
		t.Errorf("New with a bad tenant template: %v, want dlt.ErrCategory", err)
	}
	_, err = New(WithPolicies(policiesWith(t, map[string]string{"countries/in/dlt_templates.jsonl": `{"header": "HDFCBK"}`})))
	var pe *rules.PolicyError
	if !errors.As(err, &pe) || pe.File != "countries/in/dlt_templates.jsonl" {
		t.Errorf("New with a bad dlt_templates.jsonl: %v, want a *rules.PolicyError on the file", err)
	}
}

// TestChannelFacts: the message's template, template category and tag, and
// how its body travels as an SMS, reach the facts and the channel rules.
func TestChannelFacts(t *testing.T) {
	e := newEngine(t)
	br := func(ch Channel, kind Kind, body string) *Message {
		return &Message{ID: "b", Channel: ch, Kind: kind, Sender: "+5511912345678", Recipient: "+5521987654321", Body: body, Time: tuesday}
	}
	wa := br(WhatsApp, Promotional, "Spring sale: 20% off")
	if x := explain(t, e, wa); !hasCode(x.Decision, OutsideSessionWindow) {
		t.Errorf("free-form WhatsApp promotion outside the window: %v, want OUTSIDE_SESSION_WINDOW", codes(x.Decision))
	}
	wa.Template, wa.TemplateCategory = "spring_sale", Marketing
	x := explain(t, e, wa)
	if x.Facts.Message.Template != "spring_sale" || x.Facts.Message.TemplateCategory != "marketing" || hasCode(x.Decision, OutsideSessionWindow) {
		t.Errorf("approved template: message facts %+v, codes %v; want the template and no OUTSIDE_SESSION_WINDOW", x.Facts.Message, codes(x.Decision))
	}

	ms := &Message{ID: "m", Channel: Messenger, Kind: Service, Sender: "ACMEPAGE", Recipient: "+12025550123", Body: "Your order 1234 has shipped", Time: tuesday}
	if x := explain(t, e, ms); !hasCode(x.Decision, OutsideSessionWindow) {
		t.Errorf("Messenger service message without a tag: %v, want OUTSIDE_SESSION_WINDOW", codes(x.Decision))
	}
	ms.Tag = "POST_PURCHASE_UPDATE"
	if x := explain(t, e, ms); x.Facts.Message.Tag != "POST_PURCHASE_UPDATE" || x.Decision.Action != Allow {
		t.Errorf("Messenger with its tag: tag %q, %s %v; want allow", x.Facts.Message.Tag, x.Decision.Action, codes(x.Decision))
	}

	for _, tc := range []struct {
		body     string
		encoding string
		segments int
	}{
		{"Your code is 1234", "gsm7", 1},
		{"Ваш код 1234", "ucs2", 1},
		{strings.Repeat("a", 161), "gsm7", 2},
		{strings.Repeat("ж", 71), "ucs2", 2},
	} {
		x := explain(t, e, br(SMS, Transactional, tc.body))
		if x.Facts.Message.Encoding != tc.encoding || x.Facts.Message.Segments != tc.segments {
			t.Errorf("%q: encoding %q, %d segments; want %q, %d", tc.body, x.Facts.Message.Encoding, x.Facts.Message.Segments, tc.encoding, tc.segments)
		}
	}
}

func TestTemplateValidation(t *testing.T) {
	e := newEngine(t)
	for _, tc := range []struct {
		name  string
		edit  func(*Message)
		field string
	}{
		{"unknown category", func(m *Message) { m.Template, m.TemplateCategory = "t", "promo" }, "template_category"},
		{"category without a template", func(m *Message) { m.TemplateCategory = Utility }, "template_category"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := Message{ID: "v", Channel: WhatsApp, Kind: Service, Sender: "+5511912345678", Recipient: "+5521987654321", Body: "hi", Time: tuesday}
			tc.edit(&m)
			_, err := e.Check(context.Background(), &m)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Errorf("Check = %v, want a ValidationError on %s", err, tc.field)
			}
		})
	}
}

func TestOptOutInstruction(t *testing.T) {
	e := newEngine(t)
	for _, tc := range []struct {
		recipient, body string
		want            bool
	}{
		{"+447400123456", "Summer sale today: 30% off everything. To unsubscribe visit shop.co.uk/u", true},
		{"+447400123456", "Summer sale today: 30% off everything. Reply STOP to opt out", true},
		{"+4915112345678", "Sommerschlussverkauf: 30% auf alles. Abmelden unter shop.de/ab", true},
		// Ham twins: the same offers without a way to refuse.
		{"+447400123456", "Summer sale today: 30% off everything!", false},
		{"+447400123456", "Summer sale today: non-stop deals!", false},
		{"+4915112345678", "Sommerschlussverkauf: 30% auf alles!", false},
	} {
		m := &Message{ID: "o", Channel: SMS, Kind: Promotional, Sender: "SHOPCO", Recipient: tc.recipient, Body: tc.body, Time: tuesday}
		x := explain(t, e, m)
		if x.Facts.Content.OptOutInstruction != tc.want || hasCode(x.Decision, MissingOptOutText) == tc.want {
			t.Errorf("%q: opt_out_instruction %v, codes %v; want %v", tc.body, x.Facts.Content.OptOutInstruction, codes(x.Decision), tc.want)
		}
	}
}

func TestOptOutContentCategories(t *testing.T) {
	x := explain(t, newEngine(t), &Message{ID: "k", Channel: SMS, Kind: Service, Sender: "SHOPCO", Recipient: "+447400123456",
		Body: "Don't stop now: keep sending me the deals, stop texting is not what I want", Time: tuesday})
	for _, cat := range []string{"opt_out", "opt_in", "opt_keep"} {
		if _, ok := x.Facts.Content.Categories[cat]; ok {
			t.Errorf("content categories %v hold %s: opt-out words are no content category", x.Facts.Content.Categories, cat)
		}
	}
}

// TestOptOutIdentity (issue 17 item 3): one STOP covers every spelling of
// the sender it was sent to.
func TestOptOutIdentity(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, stopTo, recipient string
		kind                    Kind
		spellings               []string
	}{
		{"india promotional header", "VM-123456", "+919812345678", Promotional, []string{"VM-123456", "JD-123456", "VM-123456-P", "123456"}},
		{"india service header", "VM-HDFCBK-S", "+919812345678", Service, []string{"HDFCBK", "jd-hdfcbk", "AD-HDFCBK-S"}},
		{"e164 with and without plus", "+14155550100", "+12025550123", Service, []string{"14155550100", "+1 (415) 555-0100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, WithClock(func() time.Time { return indiaNoon }))
			check := func(sender string) Decision {
				t.Helper()
				d, err := e.Check(ctx, &Message{ID: "c", Channel: SMS, Kind: tc.kind, Sender: sender, Recipient: tc.recipient, Body: "Your order has shipped", Time: indiaNoon})
				if err != nil {
					t.Fatal(err)
				}
				return d
			}
			for _, s := range tc.spellings {
				if hasCode(check(s), OptedOut) {
					t.Fatalf("%s before any STOP: OPTED_OUT", s)
				}
			}
			if _, err := e.Inbound(ctx, &InboundMessage{ID: "i", Channel: SMS, Sender: tc.stopTo, Recipient: tc.recipient, Body: "STOP", Time: indiaNoon.Add(-time.Minute)}); err != nil {
				t.Fatal(err)
			}
			for _, s := range tc.spellings {
				if d := check(s); !hasCode(d, OptedOut) {
					t.Errorf("STOP to %s, then a message from %s: %s %v, want OPTED_OUT", tc.stopTo, s, d.Action, codes(d))
				}
			}
			// Ham twin: another sender is not covered (no tenant, no brand).
			if d := check("+14155550199"); hasCode(d, OptedOut) {
				t.Errorf("another sender after the STOP: %v, want no OPTED_OUT", codes(d))
			}
		})
	}
}

// TestRateLimitIdentity: limits count every spelling of a sender together.
func TestRateLimitIdentity(t *testing.T) {
	e := newEngine(t, WithTenant("acme", Tenant{RateLimit: 2, RateWindow: time.Hour}))
	ctx := context.Background()
	var last Decision
	for i, s := range []string{"+14155550100", "14155550100", "14155550100"} {
		d, err := e.Check(ctx, &Message{ID: "r", Channel: SMS, Kind: Transactional, Tenant: "ACME", Sender: s,
			Recipient: "+12025550123", Body: "Your order has shipped", Time: tuesday.Add(time.Duration(i) * time.Second)})
		if err != nil {
			t.Fatal(err)
		}
		last = d
	}
	if !hasCode(last, RateLimit) {
		t.Errorf("third message of one sender in three spellings, limit 2: %s %v, want RATE_LIMIT", last.Action, codes(last))
	}
}

// TestTenantCaseInsensitive (issue 17 item 15): "ACME" is tenant acme.
func TestTenantCaseInsensitive(t *testing.T) {
	e := newEngine(t, WithTenant("acme", Tenant{BlockedDomains: []string{"example.net"}}))
	for _, name := range []string{"acme", "ACME", "Acme"} {
		d, err := e.Check(context.Background(), &Message{ID: "t", Channel: SMS, Kind: Transactional, Tenant: name, Sender: "Acme",
			Recipient: "+12025550123", Body: "Your order: https://shop.example.net/o/1", Time: tuesday})
		if err != nil {
			t.Fatal(err)
		}
		if !hasCode(d, DomainBlocked) {
			t.Errorf("tenant %q: %v, want DOMAIN_BLOCKED from tenant acme's list", name, codes(d))
		}
	}
	// An opt-out recorded under one spelling holds for the others.
	ctx := context.Background()
	if _, err := e.Inbound(ctx, &InboundMessage{ID: "i", Channel: SMS, Tenant: "Acme", Sender: "ACMESHOP", Recipient: "+4915123456789", Body: "STOP", Time: tuesday}); err != nil {
		t.Fatal(err)
	}
	m := stateMsg(SMS, Promotional, tuesday.Add(time.Minute))
	m.Tenant = "ACME"
	wantDecision(t, "STOP under tenant Acme, message under ACME", stateCheck(t, e, m), Block, OptedOut)
}

// TestOptOutScope: an opt-out covers the tenant's brand by default, the
// sender only where the tenant says so; a START to any sender of the brand
// re-subscribes.
func TestOptOutScope(t *testing.T) {
	ctx := context.Background()
	fr := "+33612345678"
	msg := func(tenant, sender string, at time.Time) *Message {
		return &Message{ID: "f", Channel: SMS, Kind: Promotional, Tenant: tenant, Sender: sender, Recipient: fr,
			Body: "Promo -20% ce week-end. STOP au 36111", Time: at}
	}
	in := func(e *Engine, tenant, sender, body string, at time.Time) InboundResult {
		t.Helper()
		r, err := e.Inbound(ctx, &InboundMessage{ID: "i", Channel: SMS, Tenant: tenant, Sender: sender, Recipient: fr, Body: body, Time: at})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	at := tuesday // 11:00 in Paris, a working Tuesday

	brand := newEngine(t, WithTenant("fnac", Tenant{}))
	in(brand, "fnac", "Fnac", "please stop texting me", at)
	wantDecision(t, "brand: STOP to Fnac, message from FnacPromo", stateCheck(t, brand, msg("fnac", "FnacPromo", at.Add(time.Minute))), Block, OptedOut)
	wantDecision(t, "brand: STOP to Fnac, message from Fnac", stateCheck(t, brand, msg("fnac", "Fnac", at.Add(time.Minute))), Block, OptedOut)
	wantDecision(t, "brand: another tenant's Fnac", stateCheck(t, brand, msg("darty", "Fnac", at.Add(time.Minute))), Allow, "")
	// A sender no state key holds (over 256 bytes once upper-cased: "ɐ"
	// is 2 bytes, "Ɐ" 3) has no conversation, but its brand's opt-out holds.
	long := "Fnac" + strings.Repeat("ɐ", 126)
	for _, c := range []struct {
		tenant string
		want   bool
	}{{"fnac", true}, {"darty", false}} {
		x, err := brand.Explain(ctx, msg(c.tenant, long, at.Add(time.Minute)))
		if err != nil || x.Facts.Conversation.OptedOut != c.want {
			t.Errorf("brand %s, a sender too long for a key: opted out %v, %v; want %v", c.tenant, x.Facts.Conversation.OptedOut, err, c.want)
		}
	}
	if r := in(brand, "fnac", "FnacPromo", "START", at.Add(2*time.Minute)); !r.OptIn {
		t.Fatalf("START = %+v, want an opt-in", r)
	}
	wantDecision(t, "brand: START to FnacPromo, message from Fnac", stateCheck(t, brand, msg("fnac", "Fnac", at.Add(3*time.Minute))), Allow, "")

	// A tenant that is named but not configured gets the default scope.
	unconfigured := newEngine(t)
	in(unconfigured, "shop", "ShopA", "ABMELDEN", at)
	wantDecision(t, "unconfigured tenant: STOP to ShopA, message from ShopB", stateCheck(t, unconfigured, msg("shop", "ShopB", at.Add(time.Minute))), Block, OptedOut)

	perSender := newEngine(t, WithTenant("group", Tenant{OptOutScope: OptOutSender}))
	in(perSender, "group", "Fnac", "ՍՏՈՊ", at)
	wantDecision(t, "per sender: STOP to Fnac, message from Fnac", stateCheck(t, perSender, msg("group", "Fnac", at.Add(time.Minute))), Block, OptedOut)
	wantDecision(t, "per sender: STOP to Fnac, message from Darty", stateCheck(t, perSender, msg("group", "Darty", at.Add(time.Minute))), Allow, "")

	// Ham twin: an ordinary reply with the word stop opts nobody out.
	if r := in(brand, "fnac", "Fnac", "don't stop the deals", at.Add(4*time.Minute)); r.OptOut || r.OptIn {
		t.Errorf("Inbound(don't stop the deals) = %+v, want no opt change", r)
	}
	wantDecision(t, "brand: after a chatty reply", stateCheck(t, brand, msg("fnac", "FnacPromo", at.Add(5*time.Minute))), Allow, "")

	if _, err := New(WithTenant("x", Tenant{OptOutScope: 7})); err == nil {
		t.Error("New with an unknown opt-out scope: nil error")
	}
}
