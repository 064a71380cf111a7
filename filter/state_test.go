package filter

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
)

func TestDetectOpt(t *testing.T) {
	e := newEngine(t)
	kw := e.policy.Load().optOuts
	tests := []struct {
		name    string
		body    string
		optOut  bool
		optIn   bool
		keyword string
	}{
		{"stop", "STOP", true, false, "STOP"},
		{"stop lower case with full stop", "stop.", true, false, "stop."},
		{"stop mixed case padded", "  Stop!! ", true, false, "Stop!!"},
		{"stop all spaced", "stop all", true, false, "stop all"},
		{"stopall", "STOPALL", true, false, "STOPALL"},
		{"unsubscribe", "Unsubscribe", true, false, "Unsubscribe"},
		{"end", "END", true, false, "END"},
		{"quit", "quit", true, false, "quit"},
		{"cancel", "Cancel", true, false, "Cancel"},
		{"optout", "OPTOUT", true, false, "OPTOUT"},
		{"opt out spaced", "opt out", true, false, "opt out"},
		{"revoke", "revoke", true, false, "revoke"},
		{"arabic cancel", "إلغاء", true, false, "إلغاء"},
		{"chinese unsubscribe", "退订", true, false, "退订"},
		{"french unsubscribe phrase", "je veux me désabonner", true, false, "désabonn"},
		{"please unsubscribe me", "please unsubscribe me", true, false, "unsubscribe"},
		{"start", "START", false, true, "START"},
		{"unstop", "unstop", false, true, "unstop"},
		{"yes", "Yes", false, true, "Yes"},
		// Revocation in plain words and other languages (issue 15).
		{"please stop texting me", "please stop texting me", true, false, "stop stop texting"},
		{"armenian stop", "ՍՏՈՊ", true, false, "ՍՏՈՊ"},
		{"german abmelden", "ABMELDEN", true, false, "ABMELDEN"},
		// Ham twins: the same words inside ordinary replies.
		{"dont stop the deals", "Don't stop the deals", false, false, ""},
		{"bus stop", "I'm at the bus stop", false, false, ""},
		{"end of the week", "see you at the end of the week", false, false, ""},
		{"cancel my order question", "can I cancel my order?", false, false, ""},
		{"start time question", "what time does it start", false, false, ""},
		{"stop word inside another", "nonstop", false, false, ""},
		{"thanks", "Thanks!", false, false, ""},
		{"empty", "", false, false, ""},
		{"punctuation only", "?!", false, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, in, keyword := detectOpt(kw, tc.body)
			if out != tc.optOut || in != tc.optIn || keyword != tc.keyword {
				t.Errorf("detectOpt(%q) = %v, %v, %q; want %v, %v, %q", tc.body, out, in, keyword, tc.optOut, tc.optIn, tc.keyword)
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	same := [][2]string{
		{"Your code is 4821", "Your code is 1177"},
		{"Hi Anna, your order 55-12 ships today", "Hi Omar, your order 98-03 ships today"},
		{"Pay 1,299.00 AED now", "Pay 12.50 AED now"},
		{"Win now: https://x.co/a?id=1", "Win now: https://promo.example/abc?id=77"},
		{"Claim at bit.ly/3xYz", "Claim at bit.ly/9QqQ"},
		{"your  code\tis 1", "Your code is 2"},
		{"Ваш код 1234, Ольга", "Ваш код 9999, Ирина"},
	}
	for _, p := range same {
		if a, b := fingerprint(p[0]), fingerprint(p[1]); a != b {
			t.Errorf("fingerprint(%q) = %s, fingerprint(%q) = %s; want equal", p[0], a, p[1], b)
		}
	}
	// Ham twins: different templates stay apart.
	differ := [][2]string{
		{"Your code is 4821", "Your PIN is 4821"},
		{"Your parcel is delayed", "Your parcel was delivered"},
		{"STOP to end", "START to begin"},
		{"Hi, call us", "Hi, email us"},
		{"订单已发货", "订单已取消"},
	}
	for _, p := range differ {
		if a, b := fingerprint(p[0]), fingerprint(p[1]); a == b {
			t.Errorf("fingerprint(%q) = fingerprint(%q) = %s; want different", p[0], p[1], a)
		}
	}
	if got := fingerprint("x"); len(got) != 16 {
		t.Errorf("fingerprint(%q) = %q, want 16 hex digits", "x", got)
	}
}

func FuzzFingerprint(f *testing.F) {
	for _, s := range []string{"", "Your code is 4821", "Hi Anna, see https://x.co/1", "1,2.3", "\xff\xfe", "Ab Cd. Ef,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := fingerprint(body)
		if len(got) != 16 || got != fingerprint(body) {
			t.Fatalf("fingerprint(%q) = %q: want 16 hex digits, deterministic", body, got)
		}
		// Digits are masked: changing every digit keeps the template.
		swapped := []byte(body)
		for i, b := range swapped {
			if '0' <= b && b <= '8' {
				swapped[i] = b + 1
			}
		}
		if g2 := fingerprint(string(swapped)); g2 != got {
			t.Fatalf("fingerprint(%q) = %s but fingerprint(%q) = %s; digits should be masked", body, got, swapped, g2)
		}
	})
}

func FuzzInboundKeyword(f *testing.F) {
	e := newEngine(f)
	kw := e.policy.Load().optOuts
	for _, s := range []string{"STOP", "stop all", "Don't stop", "إلغاء", "退订", "", "\x00", "s t o p"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		out, in, keyword := detectOpt(kw, body)
		if out && in {
			t.Fatalf("detectOpt(%q) both opts out and in", body)
		}
		if (out || in) != (keyword != "") {
			t.Fatalf("detectOpt(%q) = %v, %v, %q: a keyword iff an opt change", body, out, in, keyword)
		}
	})
}

func TestSenderStateID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+1 (555) 010-0000", "+15550100000"},
		{"+15550100000", "+15550100000"},
		{" AcmeBank ", "ACMEBANK"},
		{"AD-Noon", "NOON"},
		{"12345", "+12345"},
		// Issue 17 item 3: one sender, several spellings.
		{"VM-123456", "+123456"},
		{"JD-123456", "+123456"},
		{"VM-123456-P", "+123456"},
		{"123456", "+123456"},
		{"VM-HDFCBK-S", "HDFCBK"},
		{"jd-HdfcBk", "HDFCBK"},
		{"HDFCBK-T", "HDFCBK"},
		{"14155550100", "+14155550100"},
		{"+1 415-555-0100", "+14155550100"},
		// Twins that stay apart.
		{"HDFCBANK", "HDFCBANK"},
		{"+", "+"},
		// Upper case of letters past ASCII, and of no letter.
		{"Café", "CAFÉ"},
		{"CAFé", "CAFÉ"},
		{"#HSBC", "#HSBC"},
		{"中華郵政", "中華郵政"},
	}
	for range 2 { // the second time from senderIDs or upperIDs
		for _, tc := range tests {
			if got := senderStateID(tc.in); got != tc.want {
				t.Errorf("senderStateID(%q) = %q, want %q", tc.in, got, tc.want)
			}
		}
	}
	// More short codes than senderIDs has slots: slots are shared and
	// replaced, never answered for another code.
	for range 2 {
		for n := 10000; n < 12000; n++ {
			code := strconv.Itoa(n)
			if got := senderStateID(code); got != "+"+code {
				t.Fatalf("senderStateID(%q) = %q", code, got)
			}
		}
	}
	// More mixed-case sender IDs than upperIDs has slots, likewise.
	for range 2 {
		for n := range 2000 {
			id := fmt.Sprintf("Shop%dx", n)
			if got := senderStateID(id); got != strings.ToUpper(id) {
				t.Fatalf("senderStateID(%q) = %q", id, got)
			}
		}
	}
	// Two spellings of one pair of upperIDs slots both stay interned,
	// whatever the slots held before.
	a, b := "Brand0x", ""
	for n := 1; b == ""; n++ {
		if c := fmt.Sprintf("Brand%dx", n); upperPair(c) == upperPair(a) {
			b = c
		}
	}
	senderStateID(a)
	senderStateID(b)
	if n := testing.AllocsPerRun(100, func() { senderStateID(a); senderStateID(b) }); n != 0 {
		t.Errorf("senderStateID(%q), then (%q), of one pair of slots, allocate %v times", a, b, n)
	}
	for _, in := range []string{"24273", "+15550100000", "VM-HDFCBK", "HDFCBK", "AcmeBank", " AcmeBank "} {
		senderStateID(in)
		if n := testing.AllocsPerRun(100, func() { senderStateID(in) }); n != 0 {
			t.Errorf("senderStateID(%q) allocates %v times", in, n)
		}
	}
}

// stateMsg is a message of one conversation: recipient +4915123456789 and
// sender ACMESHOP of tenant acme; tests vary channel, kind and time.
func stateMsg(ch Channel, kind Kind, at time.Time) *Message {
	return &Message{
		ID: "m", Channel: ch, Kind: kind, Sender: "ACMESHOP", Recipient: "+4915123456789",
		Tenant: "acme", Body: "Your order has shipped. Reply STOP to opt out", Time: at,
	}
}

func stateInbound(ch Channel, body string, at time.Time) *InboundMessage {
	return &InboundMessage{ID: "in", Channel: ch, Tenant: "acme", Sender: "AcmeShop", Recipient: "+4915123456789", Body: body, Time: at}
}

func stateCheck(t *testing.T, e *Engine, m *Message) Decision {
	t.Helper()
	d, err := e.Check(context.Background(), m)
	if err != nil {
		t.Fatalf("Check(%s %s at %s) error = %v", m.Channel, m.Kind, m.Time.Format(time.RFC3339), err)
	}
	return d
}

func mustInbound(t *testing.T, e *Engine, in *InboundMessage) InboundResult {
	t.Helper()
	r, err := e.Inbound(context.Background(), in)
	if err != nil {
		t.Fatalf("Inbound(%q) error = %v", in.Body, err)
	}
	return r
}

func hasCode(d Decision, c Code) bool {
	return slices.ContainsFunc(d.Reasons, func(r Reason) bool { return r.Code == c })
}

func wantDecision(t *testing.T, what string, d Decision, action Action, code Code) {
	t.Helper()
	if d.Action != action || code != "" && !hasCode(d, code) || code == "" && len(d.Reasons) > 0 && action == Allow {
		t.Errorf("%s: Check = %s %v, want %s %s", what, d.Action, codes(d), action, code)
	}
}

// testOptOut runs STOP and START through an engine: promotional and service
// messages stop, transactional and OTP still go, START resumes.
func testOptOut(t *testing.T, e *Engine, tenant string) {
	t.Helper()
	at := tuesday
	msg := func(ch Channel, kind Kind) *Message {
		m := stateMsg(ch, kind, at)
		m.Tenant = tenant
		return m
	}
	in := func(body string) *InboundMessage {
		m := stateInbound(SMS, body, at)
		m.Tenant = tenant
		return m
	}
	wantDecision(t, "before STOP, promotional", stateCheck(t, e, msg(SMS, Promotional)), Allow, "")

	at = at.Add(time.Minute)
	if r := mustInbound(t, e, in("Don't stop the deals")); r.OptOut || r.OptIn {
		t.Errorf("Inbound(%q) = %+v, want no opt change", "Don't stop the deals", r)
	}
	wantDecision(t, "after a chatty reply, promotional", stateCheck(t, e, msg(SMS, Promotional)), Allow, "")

	at = at.Add(time.Minute)
	if r := mustInbound(t, e, in("Stop.")); !r.OptOut {
		t.Errorf("Inbound(%q) = %+v, want an opt-out", "Stop.", r)
	}
	d := stateCheck(t, e, msg(SMS, Promotional))
	wantDecision(t, "after STOP, promotional", d, Block, OptedOut)
	for _, r := range d.Reasons {
		if r.Code == OptedOut && (r.Rule != "global/opted-out" || r.Citation == "") {
			t.Errorf("OPTED_OUT reason = %+v, want rule global/opted-out with a citation", r)
		}
	}
	// The opt-out is per sender across channels: Viber promotional stops too.
	wantDecision(t, "after STOP on SMS, Viber promotional", stateCheck(t, e, msg(Viber, Promotional)), Block, OptedOut)
	wantDecision(t, "after STOP, transactional", stateCheck(t, e, msg(SMS, Transactional)), Allow, "")
	wantDecision(t, "after STOP, OTP", stateCheck(t, e, msg(SMS, OTP)), Allow, "")
	// The opt-out is the brand's: another sender of the same tenant stops
	// too, a sender of another tenant does not.
	other := msg(SMS, Promotional)
	other.Sender = "OTHERSHOP"
	wantDecision(t, "after STOP, another sender of the tenant", stateCheck(t, e, other), Block, OptedOut)
	other.Tenant = tenant + "-other"
	wantDecision(t, "after STOP, a sender of another tenant", stateCheck(t, e, other), Allow, "")

	at = at.Add(time.Minute)
	if r := mustInbound(t, e, in("START")); !r.OptIn {
		t.Errorf("Inbound(%q) = %+v, want an opt-in", "START", r)
	}
	wantDecision(t, "after START, promotional", stateCheck(t, e, msg(SMS, Promotional)), Allow, "")
}

func TestInboundOptOutMemory(t *testing.T) {
	testOptOut(t, newEngine(t), "acme")
}

func TestInboundOpensWindow(t *testing.T) {
	e := newEngine(t)
	at := tuesday
	wa := func() *Message { return stateMsg(WhatsApp, Promotional, at) }
	wantDecision(t, "WhatsApp promotional, nobody wrote", stateCheck(t, e, wa()), Block, OutsideSessionWindow)

	mustInbound(t, e, stateInbound(WhatsApp, "hello, is my order on its way?", at))
	at = at.Add(23 * time.Hour)
	wantDecision(t, "WhatsApp promotional 23 h after the recipient wrote", stateCheck(t, e, wa()), Allow, "")
	// A window on WhatsApp is not one on Messenger.
	wantDecision(t, "Messenger promotional, written on WhatsApp", stateCheck(t, e, stateMsg(Messenger, Promotional, at)), Block, OutsideSessionWindow)

	at = at.Add(time.Hour)
	wantDecision(t, "WhatsApp promotional 24 h after", stateCheck(t, e, wa()), Block, OutsideSessionWindow)

	// A message's own last_inbound_at wins over the store.
	m := wa()
	m.LastInboundAt = at.Add(-time.Hour)
	wantDecision(t, "WhatsApp promotional with last_inbound_at 1 h ago", stateCheck(t, e, m), Allow, "")
}

func TestViberSessionLimit(t *testing.T) {
	e := newEngine(t)
	at := tuesday
	mustInbound(t, e, stateInbound(Viber, "hi", at))
	for i := 1; i <= 60; i++ {
		at = at.Add(time.Second)
		if d := stateCheck(t, e, stateMsg(Viber, Service, at)); d.Action != Allow {
			t.Fatalf("Viber service message %d of the session: Check = %s %v, want allow", i, d.Action, codes(d))
		}
	}
	at = at.Add(time.Second)
	d := stateCheck(t, e, stateMsg(Viber, Service, at))
	wantDecision(t, "61st Viber message of the session", d, Block, SessionLimit)
	for _, r := range d.Reasons {
		if r.Code == SessionLimit && (r.Rule != "viber/session-limit" || r.Citation == "") {
			t.Errorf("SESSION_LIMIT reason = %+v, want rule viber/session-limit with a citation", r)
		}
	}
	// The recipient's next message opens a new session.
	at = at.Add(time.Minute)
	mustInbound(t, e, stateInbound(Viber, "one more question", at))
	at = at.Add(time.Second)
	wantDecision(t, "first message of a new session", stateCheck(t, e, stateMsg(Viber, Service, at)), Allow, "")
}

func TestRateLimitTenant(t *testing.T) {
	e := newEngine(t, WithTenant("acme", Tenant{RateLimit: 3, RateWindow: time.Minute}))
	at := tuesday
	for i := 1; i <= 3; i++ {
		m := stateMsg(SMS, Transactional, at)
		m.Recipient = fmt.Sprintf("+49151234567%02d", i)
		wantDecision(t, fmt.Sprintf("message %d of 3 per minute", i), stateCheck(t, e, m), Allow, "")
	}
	m := stateMsg(SMS, Transactional, at)
	d := stateCheck(t, e, m)
	wantDecision(t, "4th message in the minute", d, Defer, RateLimit)
	if want := at.Truncate(time.Minute).Add(time.Minute); !d.Until.Equal(want) {
		t.Errorf("RATE_LIMIT until = %v, want %v (the next window)", d.Until, want)
	}
	for _, r := range d.Reasons {
		if r.Code == RateLimit && (r.Rule != "global/rate-limit" || r.Citation == "") {
			t.Errorf("RATE_LIMIT reason = %+v, want rule global/rate-limit with a citation", r)
		}
	}
	// Ham twins: another sender, another tenant, the next window.
	other := stateMsg(SMS, Transactional, at)
	other.Sender = "OTHERSHOP"
	wantDecision(t, "another sender in the same minute", stateCheck(t, e, other), Allow, "")
	untenanted := stateMsg(SMS, Transactional, at)
	untenanted.Tenant = "globex"
	wantDecision(t, "a tenant without a rate limit", stateCheck(t, e, untenanted), Allow, "")
	wantDecision(t, "the next minute", stateCheck(t, e, stateMsg(SMS, Transactional, at.Add(time.Minute))), Allow, "")
}

func TestDuplicateFloodTenant(t *testing.T) {
	e := newEngine(t, WithTenant("acme", Tenant{FloodRecipients: 2, FloodWindow: time.Hour}))
	at := tuesday
	otp := func(rcpt, body string) *Message {
		m := stateMsg(SMS, OTP, at)
		m.Recipient, m.Body = rcpt, body
		return m
	}
	wantDecision(t, "template to recipient 1", stateCheck(t, e, otp("+4915123456701", "Hi Anna, your code is 1234")), Allow, "")
	wantDecision(t, "template to recipient 2", stateCheck(t, e, otp("+4915123456702", "Hi Omar, your code is 9876")), Allow, "")
	d := stateCheck(t, e, otp("+4915123456703", "Hi Lea, your code is 5555"))
	wantDecision(t, "template to recipient 3", d, Block, DuplicateFlood)
	// Ham twins: another template, the same recipient again, an hour later.
	wantDecision(t, "another template to recipient 3", stateCheck(t, e, otp("+4915123456703", "Your parcel arrives today")), Allow, "")
	wantDecision(t, "the template again to recipient 1", stateCheck(t, e, otp("+4915123456701", "Hi Anna, your code is 4321")), Allow, "")
	at = at.Add(time.Hour)
	wantDecision(t, "template to recipient 3 an hour later", stateCheck(t, e, otp("+4915123456703", "Hi Lea, your code is 5555")), Allow, "")
}

// Blocked and deferred messages count against nothing: they are not sent.
func TestBlockedMessagesNotCounted(t *testing.T) {
	e := newEngine(t, WithTenant("acme", Tenant{RateLimit: 1, RateWindow: time.Minute}))
	blocked := stateMsg(SMS, Promotional, tuesday)
	blocked.Sender = "ACMESHOPPINGX" // 13 characters: SENDER_ID_FORMAT
	for range 3 {
		wantDecision(t, "over-long sender ID", stateCheck(t, e, blocked), Block, SenderIDFormat)
	}
	ok := stateMsg(SMS, Promotional, tuesday)
	ok.Sender = "ACMESHOPPINGX"[:11]
	wantDecision(t, "first valid message of the minute", stateCheck(t, e, ok), Allow, "")
}

func TestWithoutStore(t *testing.T) {
	e := newEngine(t, WithStore(nil))
	if _, err := e.Inbound(context.Background(), stateInbound(SMS, "STOP", tuesday)); !errors.Is(err, ErrNoStore) {
		t.Errorf("Inbound without a store = %v, want ErrNoStore", err)
	}
	wantDecision(t, "promotional without a store", stateCheck(t, e, stateMsg(SMS, Promotional, tuesday)), Allow, "")
}

func TestInboundInvalid(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		name  string
		in    *InboundMessage
		field string
	}{
		{"nil", nil, "message"},
		{"no channel", &InboundMessage{Sender: "A", Recipient: "+4915123456789"}, "channel"},
		{"bad channel", &InboundMessage{Channel: "fax", Sender: "A", Recipient: "+4915123456789"}, "channel"},
		{"no sender", &InboundMessage{Channel: SMS, Recipient: "+4915123456789"}, "sender"},
		{"bad recipient", &InboundMessage{Channel: SMS, Sender: "A", Recipient: "12"}, "recipient"},
		{"bad utf-8", &InboundMessage{Channel: SMS, Sender: "A", Recipient: "+4915123456789", Body: "\xff"}, "body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.Inbound(context.Background(), tc.in)
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Errorf("Inbound = %v, want a *ValidationError for %s", err, tc.field)
			}
		})
	}
}

// redisEngines returns n engines, each with its own client, sharing one
// Redis under a key prefix no other test uses (its keys are deleted after).
func redisEngines(tb testing.TB, n int, opts ...Option) []*Engine {
	tb.Helper()
	addr := redistest.Addr(tb)
	var b [8]byte
	rand.Read(b[:])
	prefix := "msgfilter-test:" + hex.EncodeToString(b[:]) + ":"
	admin := redis.NewClient(&redis.Options{Addr: addr})
	tb.Cleanup(func() {
		ctx := context.Background()
		iter := admin.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			admin.Del(ctx, iter.Val())
		}
		admin.Close()
	})
	engines := make([]*Engine, n)
	for i := range engines {
		c := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 32})
		tb.Cleanup(func() { c.Close() })
		s, err := redisstore.New(c, redisstore.Config{Prefix: prefix})
		if err != nil {
			tb.Fatal(err)
		}
		engines[i] = newEngine(tb, append([]Option{WithStore(s)}, opts...)...)
	}
	return engines
}

func TestInboundOptOutRedis(t *testing.T) {
	e := redisEngines(t, 1)[0]
	testOptOut(t, e, "acme")
}

// TestTwoEnginesShareSessionLimit: two engines on one Redis check Viber
// messages of one session concurrently; exactly 60 go out.
func TestTwoEnginesShareSessionLimit(t *testing.T) {
	engines := redisEngines(t, 2)
	mustInbound(t, engines[0], stateInbound(Viber, "hi", tuesday))
	// The other engine sees the window the first one recorded.
	wantDecision(t, "service message on the other engine", stateCheck(t, engines[1], stateMsg(Viber, Transactional, tuesday.Add(time.Second))), Allow, "")

	const perWorker, workers = 20, 8 // 160 attempts for 59 remaining places
	var allowed, limited atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			e := engines[w%2]
			for i := range perWorker {
				m := stateMsg(Viber, Service, tuesday.Add(time.Minute+time.Duration(i)*time.Millisecond))
				d, err := e.Check(context.Background(), m)
				switch {
				case err != nil:
					t.Errorf("Check error = %v", err)
				case d.Action == Allow:
					allowed.Add(1)
				case hasCode(d, SessionLimit):
					limited.Add(1)
				default:
					t.Errorf("Check = %s %v, want allow or SESSION_LIMIT", d.Action, codes(d))
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 59 {
		t.Errorf("two engines allowed %d session messages after the first, want exactly 59 (60 in all)", got)
	}
	if got := limited.Load(); got != workers*perWorker-59 {
		t.Errorf("SESSION_LIMIT decisions = %d, want %d", got, workers*perWorker-59)
	}
}

// TestTwoEnginesShareRateLimit: the same for a tenant's rate limit.
func TestTwoEnginesShareRateLimit(t *testing.T) {
	engines := redisEngines(t, 2, WithTenant("acme", Tenant{RateLimit: 25, RateWindow: time.Hour}))
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for w := range 6 {
		wg.Go(func() {
			for i := range 15 {
				m := stateMsg(SMS, Transactional, tuesday)
				m.Recipient = fmt.Sprintf("+49151234%02d%03d", w, i)
				d, err := engines[w%2].Check(context.Background(), m)
				if err != nil {
					t.Errorf("Check error = %v", err)
				}
				if d.Action == Allow {
					allowed.Add(1)
				} else if !hasCode(d, RateLimit) {
					t.Errorf("Check = %s %v, want allow or RATE_LIMIT", d.Action, codes(d))
				}
			}
		})
	}
	wg.Wait()
	if got := allowed.Load(); got != 25 {
		t.Errorf("two engines allowed %d messages under a limit of 25", got)
	}
}

// TestStalledStoreKeepsBudget: a Redis that accepts connections and never
// answers, behind a client with long socket timeouts, must not hold a check
// past its budget: the check reports ENGINE_TIMEOUT and follows the fail
// mode.
func TestStalledStoreKeepsBudget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // read nothing, answer nothing
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	}()
	c := redis.NewClient(&redis.Options{Addr: ln.Addr().String(), MaxRetries: -1, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second})
	defer c.Close()
	s, err := redisstore.New(c, redisstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const budget = 100 * time.Millisecond
	for _, tt := range []struct {
		mode FailMode
		want Action
	}{{FailClosed, Block}, {FailOpen, Allow}} {
		e := newEngine(t, WithStore(s), WithCheckBudget(budget), WithFailMode(tt.mode))
		start := time.Now()
		d, err := e.Check(context.Background(), stateMsg(SMS, Transactional, tuesday))
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) || d.Action != tt.want || !hasCode(d, EngineTimeout) {
			t.Errorf("fail mode %v: Check with a stalled store = %s %v, %v; want %s ENGINE_TIMEOUT and DeadlineExceeded", tt.mode, d.Action, codes(d), err, tt.want)
		}
		t.Logf("fail mode %v: %v", tt.mode, took)
		if took > 20*budget {
			t.Errorf("fail mode %v: Check with a stalled store took %v, budget %v", tt.mode, took, budget)
		}
	}
}

// TestRedisOutage stops Redis mid-run: Inbound reports the error for the
// caller to retry, Check follows the fail mode, and the opt-out Inbound
// acknowledged before the outage is still there after the restart.
func TestRedisOutage(t *testing.T) {
	srv := redistest.Start(t)
	c := redis.NewClient(&redis.Options{
		Addr: srv.Addr(), MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: time.Second,
	})
	defer c.Close()
	s, err := redisstore.New(c, redisstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	closed := newEngine(t, WithStore(s))
	open := newEngine(t, WithStore(s), WithFailMode(FailOpen))
	ctx := context.Background()

	if r := mustInbound(t, closed, stateInbound(SMS, "STOP", tuesday)); !r.OptOut {
		t.Fatalf("Inbound(STOP) = %+v, want an opt-out", r)
	}
	wantDecision(t, "before the outage, promotional", stateCheck(t, closed, stateMsg(SMS, Promotional, tuesday.Add(time.Second))), Block, OptedOut)
	wantDecision(t, "before the outage, transactional", stateCheck(t, closed, stateMsg(SMS, Transactional, tuesday.Add(time.Second))), Allow, "")

	srv.Kill()
	other := stateInbound(SMS, "STOP", tuesday.Add(time.Minute))
	other.Recipient = "+4915123456700"
	if _, err := closed.Inbound(ctx, other); !errors.Is(err, state.ErrUnavailable) {
		t.Errorf("Inbound during the outage = %v, want an error wrapping state.ErrUnavailable", err)
	}
	m := stateMsg(SMS, Transactional, tuesday.Add(time.Minute))
	d, err := closed.Check(ctx, m)
	// The reason is ENGINE_ERROR, or ENGINE_TIMEOUT when reconnecting ran
	// past the check's budget; the error wraps state.ErrUnavailable either way.
	undecided := func(d Decision) bool { return hasCode(d, EngineError) || hasCode(d, EngineTimeout) }
	if !errors.Is(err, state.ErrUnavailable) || d.Action != Block || !undecided(d) {
		t.Errorf("fail-closed Check during the outage = %s %v, %v; want block ENGINE_ERROR and state.ErrUnavailable", d.Action, codes(d), err)
	}
	d, err = open.Check(ctx, m)
	if !errors.Is(err, state.ErrUnavailable) || d.Action != Allow || !undecided(d) {
		t.Errorf("fail-open Check during the outage = %s %v, %v; want allow ENGINE_ERROR and state.ErrUnavailable", d.Action, codes(d), err)
	}

	srv.Start()
	wantDecision(t, "after the restart, promotional to the opted-out recipient", stateCheck(t, closed, stateMsg(SMS, Promotional, tuesday.Add(2*time.Minute))), Block, OptedOut)
	// The caller retries the refused Inbound; now it holds.
	if _, err := closed.Inbound(ctx, other); err != nil {
		t.Fatalf("retried Inbound after the restart = %v", err)
	}
	m = stateMsg(SMS, Promotional, tuesday.Add(2*time.Minute))
	m.Recipient = other.Recipient
	wantDecision(t, "after the retried STOP", stateCheck(t, closed, m), Block, OptedOut)
	// Ham twin: a recipient who never wrote STOP.
	m.Recipient = "+4915123456701"
	wantDecision(t, "a recipient who never opted out", stateCheck(t, closed, m), Allow, "")
}

// TestPackByCode: the array pack looks in holds every country pack, and
// nothing else.
func TestPackByCode(t *testing.T) {
	p := newEngine(t).policy.Load()
	for cc, pc := range p.countries {
		if got := p.pack(cc); got != pc {
			t.Errorf("pack(%q) is not its pack", cc)
		}
	}
	for _, cc := range []string{"", "A", "ae", "Ae", "AE ", "ZZ", "[A", "@Z", "ÄE"} {
		if _, ok := p.countries[cc]; !ok && p.pack(cc) != &noPack {
			t.Errorf("pack(%q) is a pack, want none", cc)
		}
	}
	if len(p.countries) < 10 {
		t.Errorf("%d country packs: the test compares little", len(p.countries))
	}
}

// TestNumberByte holds numberByte to the list of bytes a sender number may
// be written with: a byte it misreads would change a sender's identity.
func TestNumberByte(t *testing.T) {
	for b := range 256 {
		want := strings.IndexByte("+0123456789 -().", byte(b)) >= 0
		if got := numberByte(byte(b)); got != want {
			t.Errorf("numberByte(%q) = %v, want %v", byte(b), got, want)
		}
	}
}

// TestTrimSpaceEveryByte: trimSpace is strings.TrimSpace for every byte
// value first and last (alone, and around ASCII letters, a no-break space
// and an ideographic space), where it skips the call for printable ASCII.
func TestTrimSpaceEveryByte(t *testing.T) {
	for b := range 256 {
		for _, s := range []string{
			string(rune(b)), string([]byte{byte(b)}), string([]byte{byte(b)}) + "Shop", "Shop" + string([]byte{byte(b)}),
			string([]byte{byte(b)}) + "Shop" + string([]byte{byte(b)}), "\u00a0Shop" + string([]byte{byte(b)}),
			string([]byte{byte(b)}) + "Shop\u3000", "",
		} {
			if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
				t.Fatalf("trimSpace(%q) = %q, want %q", s, got, want)
			}
		}
	}
}
