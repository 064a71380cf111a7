package filter

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/rules"
)

// corpusMessages returns a generated mix of messages across countries,
// channels, kinds, senders and times, plus, when ../shared/data is present,
// real bodies from the UCI and Thai corpora.
func corpusMessages(t testing.TB) []Message {
	t.Helper()
	bodies := []string{
		"Your verification code is 482913. Do not share it.",
		"Your verification code is 771204. Do not share it.",
		"Black Friday: -20% sur les casques. STOP au 36111",
		"White Friday: up to 70% off electronics, today only.",
		"Vote for the opposition candidate in the presidential election!",
		"Vote for your favourite flavour and win a free scoop",
		"Your parcel is held at customs. Pay the fee: http://dhl-parcel.example/track",
		"Ihr Paket wird heute zugestellt: https://www.dhl.de/de/privatkunden.html",
		"Casino jackpot tonight, bet now at bit.ly/abc123",
		"Call us on +971 4 123 4567 for the offer",
		"انتخابات مجلس در راه است، رأی دهید",
		"บาคาร่า ฝาก-ถอน ไม่มีขั้นต่ำ",
		"Trendyol'da Efsane Kasım indirimleri başladı!",
		"PChome 雙11 限時優惠，全館免運！",
		strings.Repeat("long message ", 90),
	}
	dests := []struct{ country, recipient string }{
		{"AE", "+971501234567"}, {"IN", "+919876543210"}, {"FR", "+33612345678"}, {"TR", "+905321234567"},
		{"TH", "+66812345678"}, {"TW", "+886912345678"}, {"HK", "+85251234567"}, {"IR", "+989121234567"},
		{"US", "+12025550123"}, {"DE", "+4915123456789"}, {"CN", "+8613812345678"}, {"AM", "+37477123456"},
	}
	senders := []string{"AD-Noon", "Noon", "VM-512345", "VM-HDFCBK", "#HSBC", "+449012345678", "+66812345679", "22395", "TESTBANK"}
	channels := []Channel{SMS, Viber, WhatsApp, Messenger}
	kinds := []Kind{Promotional, Transactional, OTP, Service}
	base := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	var msgs []Message
	i := 0
	for _, body := range bodies {
		for _, d := range dests {
			i++
			// Kind, channel and sender vary independently of the
			// destination, and times cover day and night everywhere.
			m := Message{
				ID:        fmt.Sprint("gen-", i),
				Channel:   channels[(i/3)%len(channels)],
				Kind:      kinds[(i/2+i/7)%len(kinds)],
				Country:   d.country,
				Sender:    senders[(i*5+i/11)%len(senders)],
				Recipient: d.recipient,
				Body:      body,
				Time:      base.Add(time.Duration(i*37) * time.Minute),
				Tenant:    "acme",
			}
			if i%3 == 0 {
				m.LastInboundAt = m.Time.Add(-time.Duration(i*13) * time.Minute)
			}
			if i%5 == 0 {
				m.SourceIP = fmt.Sprintf("198.51.100.%d", i%250)
			}
			msgs = append(msgs, m)
		}
	}
	msgs = append(msgs, sharedCorpus(t, 600)...)
	return msgs
}

// sharedCorpus reads up to n bodies from the shared corpora when present.
func sharedCorpus(t testing.TB, n int) []Message {
	path, err := corpus.Path("uci-sms-spam-collection/SMSSpamCollection")
	if err != nil {
		t.Logf("shared corpora absent (%v): generated messages only", err)
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	uci, err := corpus.ReadUCI(f)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []Message
	dests := []string{"+971501234567", "+33612345678", "+12025550123", "+66812345678"}
	for _, m := range uci[:min(n, len(uci))] {
		body := m.Text
		k := len(msgs)
		msgs = append(msgs, Message{
			ID: fmt.Sprint("uci-", k), Channel: SMS, Kind: []Kind{Promotional, Transactional}[k%2],
			Sender: "Shop", Recipient: dests[k%len(dests)], Body: body,
			Time: time.Date(2026, 11, 24, k%24, k%60, 0, 0, time.UTC),
		})
	}
	return msgs
}

// TestCachedEqualsUncached is the caches' correctness property: with caches
// on, every decision equals the one an engine without caches makes, whether
// the policies, the fact cache or the exact cache answered.
func TestCachedEqualsUncached(t *testing.T) {
	// A tenant's model thresholds change its decisions on the same body
	// (tenant_test.go).
	cached := tenantModelEngine(t)
	uncached := tenantModelEngine(t, WithCacheSizes(-1, -1))
	msgs := corpusMessages(t)
	levels := map[string]int{}
	seen := map[Code]bool{}
	ctx := context.Background()
	// Stored state changes decisions for the same message: some recipients
	// opt out of some senders, and others open conversation windows.
	for i, m := range msgs[:min(200, len(msgs))] {
		body := "hello"
		if i%4 == 0 {
			body = "STOP"
		}
		in := &InboundMessage{Channel: m.Channel, Tenant: m.Tenant, Sender: m.Sender, Recipient: m.Recipient, Body: body, Time: m.Time.Add(-time.Hour)}
		for _, e := range []*Engine{cached, uncached} {
			if _, err := e.Inbound(ctx, in); err != nil {
				t.Fatalf("Inbound: %v", err)
			}
		}
	}
	// Templated messages that share facts within a minute: the fact cache.
	otp := Message{Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567", Time: time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)}
	for code := 100000; code < 100040; code++ {
		otp.ID, otp.Body = fmt.Sprint("otp-", code), fmt.Sprintf("Your ADCB code is %d. Do not share it.", code)
		msgs = append(msgs, otp)
	}
	// Templates with a fresh code or amount in each message, to several
	// countries: the template cache (template.go) gives their text facts.
	// The Persian body holds the anchor of the opt-out term "لغو ۱۱", so
	// its digits decide whether it instructs an opt-out.
	tmpls := []struct{ rcpt, format string }{
		{"+971501234567", "Your ADCB verification code is %06d. Do not share it with anyone."},
		{"+919876543210", "%06d is your OTP for login to HDFC Bank. Valid for 10 mins. Do not share it with anyone."},
		{"+66812345678", "Your KBank OTP is %06d. Ref 3K9F0A1. Valid 5 minutes."},
		{"+12025550123", "Chase: a charge of $%04d.31 was made on your card ending 4821."},
		{"+12025550123", "Buy an ar-15 today, %04d in stock"},
		{"+989121234567", "برای لغو %04d را ارسال کنید"},
	}
	var templated []Message
	for i, code := 0, 109000; i < 25; i, code = i+1, code+(i%3)*41 {
		for j, tm := range tmpls {
			templated = append(templated, Message{ID: fmt.Sprint("tmpl-", i, "-", j), Channel: SMS, Kind: []Kind{OTP, Transactional, Promotional}[(i+j)%3],
				Sender: "Shop", Recipient: tm.rcpt, Body: fmt.Sprintf(tm.format, code%10000+(i%2)*1100), Time: time.Date(2026, 11, 24, 9, i%3, 0, 0, time.UTC)})
		}
	}
	msgs = append(msgs, templated...)
	// The same messages with an approved template or a Messenger tag: the
	// channel rules decide differently, so both cache keys must see them.
	for _, m := range msgs[:min(300, len(msgs))] {
		switch m.Channel {
		case WhatsApp:
			m.ID, m.Template, m.TemplateCategory = m.ID+"-template", "winter_sale", Marketing
			msgs = append(msgs, m)
		case Messenger:
			m.ID, m.Tag = m.ID+"-tag", "ACCOUNT_UPDATE"
			msgs = append(msgs, m)
		}
	}
	// The same promotional message to US numbers in different zones and
	// states at the same instants: the decision follows the recipient's
	// clock (time.quiet_until, recipient.region), which the keys must cover.
	us := []string{"+14155550100", "+13055550100", "+12125550100", "+14055550100", "+18002752273"}
	for step := range 12 {
		for j, rcpt := range us {
			msgs = append(msgs, Message{
				ID: fmt.Sprint("us-", step, "-", j), Channel: SMS, Kind: Promotional, Sender: "+14155550123",
				Recipient: rcpt, Body: "Spring sale: 20% off everything. Reply STOP to opt out",
				Time: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC).Add(time.Duration(step*25) * time.Minute),
			})
		}
	}
	// Near-identical promotions to Miami, some repeated within a minute:
	// from the fourth, conversation.same_subject_24h defers them, which
	// both keys must cover.
	for i := range 6 {
		msgs = append(msgs, Message{ID: fmt.Sprint("subject-", i), Channel: SMS, Kind: Promotional, Sender: "+14155550123",
			Recipient: "+13055550100", Body: subjectBody(i % 2), Time: subjectStart.Add(time.Duration(i) * 20 * time.Second)})
	}
	// Reports change the model's scores for the same message: some before
	// the first round, more between the rounds, when the exact cache holds
	// the first round's decisions.
	// Links whose domains the store first sees while its history is young
	// (unknown) and two days on (known, fresh): first_seen facts.
	for i, body := range []string{
		"Your order has shipped: https://www.shop-example.de/account/login",
		"Account locked: https://paypal-secure-login.com/verify now",
		"Track it: https://www.neu-shop-example.de/account/login",
	} {
		for j, at := range []time.Time{tuesday, tuesday.Add(48 * time.Hour), tuesday.Add(48*time.Hour + 30*time.Minute)} {
			msgs = append(msgs, Message{ID: fmt.Sprint("link-", i, "-", j), Channel: SMS, Kind: Transactional, Sender: "SHOP",
				Recipient: "+4915123456001", Body: body, Time: at})
		}
	}
	// The same bodies without a tenant, then for tenants with stricter and
	// laxer model thresholds, within one minute: the keys must cover the
	// tenant (byTenant checks that the thresholds decided).
	byTenant := map[string]Action{}
	for i, body := range []string{suspendedCard, discount, shipped} {
		for _, tenant := range []string{"", "Strict", "STRICT", "lax", "other"} {
			msgs = append(msgs, Message{ID: fmt.Sprintf("tenant-model-%d-%s", i, tenant), Channel: SMS, Kind: Transactional, Tenant: tenant,
				Sender: "SHOP", Recipient: "+4915123456001", Body: body, Time: tuesday})
		}
	}
	// A campaign, some of whose messages are reported below (Report marks
	// the campaign: campaign.reported).
	msgs = append(msgs, campaignMessages()[:10]...)
	msgs = append(msgs, campaign)
	report := func(from, step int) {
		for i := from; i < len(msgs); i += step {
			if strings.HasPrefix(msgs[i].ID, "tenant-model-") {
				continue // reported, they would block for every tenant
			}
			if strings.HasPrefix(msgs[i].ID, "tmpl-") {
				continue // reported, they move the tenant-model bodies' scores off the tenants' thresholds
			}
			label := []Label{ReportFraud, ReportSpam, ReportHam}[i%3]
			for _, e := range []*Engine{cached, uncached} {
				if err := e.Report(ctx, &msgs[i], label); err != nil && !errors.Is(err, ErrInvalidMessage) {
					t.Fatalf("Report: %v", err)
				}
			}
		}
	}
	report(0, 7)
	// The second round would be a second sighting of each message but for
	// the reports just made; the third is, and puts them in the exact
	// cache (a key is admitted at its second sighting); the fourth hits it.
	for round := range 4 {
		if round == 1 {
			report(3, 5)
			reportN(t, cached, campaign, ReportFraud, 3)
			reportN(t, uncached, campaign, ReportFraud, 3)
		}
		for i := range msgs {
			m := msgs[i]
			want, wantErr := uncached.Check(ctx, &m)
			got, gotErr := cached.Check(ctx, &m)
			if (wantErr == nil) != (gotErr == nil) {
				t.Fatalf("round %d, %s: errors differ: cached %v, uncached %v", round, m.ID, gotErr, wantErr)
			}
			levels[got.Cache]++
			if strings.HasPrefix(m.ID, "tenant-model-") && round == 0 {
				byTenant[m.ID] = want.Action
			}
			for _, r := range want.Reasons {
				seen[r.Code] = true
			}
			got.Cache, got.Cached, got.Revision = "", false, ""
			want.Revision = ""
			if !reflect.DeepEqual(got, want) || !got.Until.Equal(want.Until) || got.Until.String() != want.Until.String() {
				t.Fatalf("round %d, %s: cached decision\n%+v\nwant\n%+v", round, m.ID, got, want)
			}
		}
	}
	// The reports move every score, so only some bodies stay between the
	// strict tenant's thresholds and the packs'.
	decided := 0
	for i := range 3 {
		id := fmt.Sprintf("tenant-model-%d-", i)
		if byTenant[id+"Strict"] != byTenant[id] {
			decided++
		}
		if byTenant[id+"Strict"] != byTenant[id+"STRICT"] || byTenant[id+"lax"] != byTenant[id] || byTenant[id+"other"] != byTenant[id] {
			t.Errorf("%s: decisions by tenant %v", id, byTenant)
		}
	}
	if decided == 0 {
		t.Errorf("the strict tenant's thresholds decided nothing: %v", byTenant)
	}
	t.Logf("%d messages, answered by: policies %d, fact cache %d, exact cache %d",
		len(msgs), levels[""], levels[CacheFacts], levels[CacheExact])
	for _, c := range []Code{QuietHours, OptedOut, OutsideSessionWindow, SenderIDFormat, PoliticalContent, FraudSuspected, SpamSuspected, SuspiciousLink, ReportedContent} {
		if !seen[c] {
			t.Errorf("no decision had %s: the corpus does not exercise it", c)
		}
	}
	// Four rounds, the second after reports that change the keys: the
	// exact cache answers in the fourth (less the messages it must not
	// answer: reported campaigns, ...). The 40 templated OTPs alone give 39
	// fact-cache answers.
	if levels[CacheExact] < len(msgs)/3 || levels[CacheFacts] < 30 {
		t.Errorf("the caches were hardly used: %v", levels)
	}
	// The template cache answered the templates with a fresh code (all
	// but the Persian one, whose anchor keeps it out).
	hits := 0
	for _, m := range templated {
		runs, _ := freeRuns(m.Body, cached.policy.Load().templateRun)
		b := []byte(m.Body)
		for _, r := range runs {
			for k := r[0]; k < r[1]; k++ {
				b[k] = '0' + (b[k]-'0'+7)%10
			}
		}
		m.Body = string(b)
		if templateHit(t, cached, m) {
			hits++
		}
	}
	if want := len(templated) * 4 / 6; hits < want {
		t.Errorf("template cache hits = %d of %d templated messages with new digits, want at least %d", hits, len(templated), want)
	}
}

// templateHit reports whether the template cache has the text facts of m.
func templateHit(t *testing.T, e *Engine, m Message) bool {
	t.Helper()
	hit, _ := templateLinks(t, e, m)
	return hit
}

func TestCacheLevels(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	m := Message{ID: "a", Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567", Body: "Your code is 482913", Time: tuesday}
	first, _ := e.Check(ctx, &m)
	second, _ := e.Check(ctx, &m) // admits the message to the exact cache
	again, _ := e.Check(ctx, &m)
	m2 := m
	m2.ID, m2.Body = "b", "Your code is 771204" // other body, same facts
	other, _ := e.Check(ctx, &m2)
	later := m
	// A new minute changes the local clock, which the packs do not read
	// (rules.Set.Clock): the facts of an OTP at 14:01 in Dubai are those
	// of 14:00.
	later.Time = tuesday.Add(time.Minute)
	next, _ := e.Check(ctx, &later)
	// A promotion at 23:00 in Dubai is held by quiet hours. The rule cites
	// the zone and the reopening instant, not the minute, so the next
	// minute's facts have the same key.
	night := Message{ID: "c", Channel: SMS, Kind: Promotional, Sender: "AD-Noon", Recipient: "+971501234567",
		Body: "White Friday: 70% off today", Time: time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)}
	held, _ := e.Check(ctx, &night)
	night.Time = night.Time.Add(time.Minute)
	heldNext, _ := e.Check(ctx, &night)
	for _, c := range []struct {
		name string
		d    Decision
		want string
	}{
		{"first", first, ""}, {"second sighting", second, CacheFacts}, {"third sighting", again, CacheExact},
		{"same facts", other, CacheFacts},
		{"next minute", next, CacheFacts}, {"quiet hours", held, ""}, {"quiet hours, next minute", heldNext, CacheFacts},
	} {
		if c.d.Cache != c.want {
			t.Errorf("%s: Cache = %q, want %q", c.name, c.d.Cache, c.want)
		}
	}
	if held.Action != Defer || heldNext.Action != Defer || !reflect.DeepEqual(held.Reasons, heldNext.Reasons) || !held.Until.Equal(heldNext.Until) {
		t.Errorf("quiet hours: %v %q, then %v %q; want the same deferral twice",
			held.Action, held.Reasons, heldNext.Action, heldNext.Reasons)
	}
	if other.ID != "b" || again.ID != "a" {
		t.Errorf("cached decisions carry ids %q, %q; want the asking message's", again.ID, other.ID)
	}
	// Fact lookups: two for each of the two misses (the facts' own key,
	// then the policy-aware one) and one for each hit, so every hit was by
	// the facts' own key.
	if s := e.CacheStats(); s.ExactHits != 1 || s.FactHits != 4 || s.FactLookups != 8 {
		t.Errorf("CacheStats = %+v, want one exact hit, four fact hits and eight fact lookups", s)
	}
	if use := e.policy.Load().set.Clock(); use != rules.ClockUnread {
		t.Errorf("the shipped packs' Clock() = %v, want ClockUnread: a rule reading the local time makes every minute of quiet hours a new key", use)
	}
}

func TestDecisionEncodingRoundTrip(t *testing.T) {
	e := newEngine(t)
	p := e.policy.Load()
	until := time.Date(2026, 11, 25, 7, 0, 0, 0, time.FixedZone("", 4*3600))
	d := Decision{Action: Defer, Until: until, Revision: p.set.Revision(), Reasons: []Reason{
		{Code: QuietHours, Rule: "ae/promotional-quiet-hours", Evidence: "2026-11-24T22:30"},
	}}
	d.Reasons[0].Country = p.ruleInfo["ae/promotional-quiet-hours"].country
	d.Reasons[0].Citation = p.ruleInfo["ae/promotional-quiet-hours"].citation
	got, ok := p.decodeDecision(encodeDecision(nil, &d))
	if !ok || !reflect.DeepEqual(got.Reasons, d.Reasons) || got.Action != d.Action || !got.Until.Equal(until) ||
		got.Until.Format(time.RFC3339) != "2026-11-25T07:00:00+04:00" {
		t.Fatalf("decode(encode(d)) = %+v, %v; want %+v", got, ok, d)
	}
	for _, bad := range [][]byte{nil, {9, 0, 0, 0}, {1, 7, 0, 0}, {1, 0, 0, 5, 1}, encodeDecision(nil, &d)[:8]} {
		if _, ok := p.decodeDecision(bad); ok {
			t.Errorf("decodeDecision(%v) accepted a malformed entry", bad)
		}
	}
}

// TestKeyHasherEqualsFieldWrites: gathering fields in keyHasher's buffer
// gives the key of writing each length-prefixed field (a uvarint length)
// to the two hashes directly, for fields shorter and longer than the buffer
// and across its edge, so that the buffer never merges or splits what
// fields say.
func TestKeyHasherEqualsFieldWrites(t *testing.T) {
	for _, n := range []int{0, 1, 7, 8, 200, 247, 248, 249, 255, 256, 257, 490, 495, 496, 497, 503, 504, 511, 512, 513, 600, 1200} {
		fields := []string{strings.Repeat("a", n), "b", strings.Repeat("c", n/2)}
		var k keyHasher
		k.reset()
		var h1, h2 maphash.Hash
		h1.SetSeed(keySeed1)
		h2.SetSeed(keySeed2)
		write := func(b []byte) { h1.Write(b); h2.Write(b) }
		for i, f := range fields {
			k.u64(uint64(i))
			k.str(f)
			write(binary.LittleEndian.AppendUint64(nil, uint64(i)))
			write(binary.AppendUvarint(nil, uint64(len(f))))
			write([]byte(f))
		}
		var want cacheKey
		binary.LittleEndian.PutUint64(want[:8], h1.Sum64())
		binary.LittleEndian.PutUint64(want[8:], h2.Sum64())
		if got := k.sum(); got != want {
			t.Errorf("fields of %d bytes: key %x, want %x", n, got, want)
		}
	}
}

// TestUnixMinute holds unixMinute to Truncate for times on and around
// minutes, before 1970, at the zero Time, in other zones and with a
// monotonic reading.
func TestUnixMinute(t *testing.T) {
	times := []time.Time{{}, time.Now(), tuesday, time.Unix(0, 0), time.Unix(-1, 0), time.Unix(-60, 0), time.Unix(-61, 999),
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(1, 1, 1, 0, 0, 59, 1, time.UTC),
		time.Date(2026, 3, 8, 2, 30, 45, 5, time.FixedZone("", 5*3600+45*60))}
	r := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		times = append(times, time.Unix(r.Int64N(1<<36)-1<<35, r.Int64N(1e9)))
	}
	for _, tm := range times {
		if got, want := unixMinute(tm), tm.Truncate(time.Minute).Unix(); got != want {
			t.Fatalf("unixMinute(%v) = %d, want %d", tm, got, want)
		}
	}
}

// TestClockCacheEqualsComputed: the time facts the clock cache gives are
// those computed for the message, whatever the second within the minute,
// for recipients in one zone, in several (US toll-free), and across a
// DST change, over the channels whose packs add quiet hours (48 minutes
// over three days, so that most lookups hit).
func TestClockCacheEqualsComputed(t *testing.T) {
	e := newEngine(t)
	r := rand.New(rand.NewPCG(3, 4))
	rcpts := []string{"+971501234567", "+33612345678", "+14155550100", "+18002752273", "+13055550100", "+66812345678"}
	base := time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC) // US DST starts on the 8th
	for i := range 3000 {
		m := Message{Channel: []Channel{SMS, WhatsApp, Viber}[i%3], Kind: Promotional, Sender: "Shop",
			Recipient: rcpts[r.IntN(len(rcpts))], Body: "hello",
			Time: base.Add(time.Duration(r.IntN(48)) * 90 * time.Minute).Add(time.Duration(r.IntN(60)) * time.Second)}
		c := e.newCheck(context.Background(), &m, false)
		if err := c.validate(); err != nil {
			t.Fatal(err)
		}
		c.localTime()
		got := c.facts.Time
		c.explain = true // computed, not cached
		c.localTime()
		if want := c.facts.Time; !reflect.DeepEqual(got, want) {
			t.Fatalf("%s at %s: cached time facts %+v, want %+v", m.Recipient, m.Time, got, want)
		}
		c.release()
	}
}

// TestCachedConcurrent: eight goroutines check the same messages through
// one engine's caches (exact, template, clock, fact) and each gets the
// decision an engine without caches makes; run with -race, it is the
// caches' concurrency test.
func TestCachedConcurrent(t *testing.T) {
	cached := newEngine(t, WithStore(nil))
	uncached := newEngine(t, WithStore(nil), WithCacheSizes(Off, Off))
	msgs := corpusMessages(t)[:150]
	for i := range 60 { // a template with a fresh code in each message
		msgs = append(msgs, Message{ID: fmt.Sprint("otp-", i), Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567",
			Body: fmt.Sprintf("Your ADCB code is %06d. Do not share it.", 104729*i%1000000), Time: tuesday.Add(time.Duration(i%3) * time.Minute)})
	}
	want := make([]Decision, len(msgs))
	for i := range msgs {
		want[i], _ = uncached.Check(context.Background(), &msgs[i])
	}
	errs := make(chan error, 8)
	for g := range 8 {
		go func() {
			for k := range 2 * len(msgs) {
				i := (k*7 + g*13) % len(msgs)
				m := msgs[i]
				d, _ := cached.Check(context.Background(), &m)
				d.Cache, d.Cached = "", false
				if !reflect.DeepEqual(d, want[i]) {
					errs <- fmt.Errorf("%s: concurrent cached decision %+v, uncached %+v", m.ID, d, want[i])
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestHotExactEntries checks the exact cache's hot entries (hotDecisions):
// a message checked a third time is answered from them with the decision
// the exact cache gave it, counted as an exact hit, and a caller changing
// the reasons it got does not change the next answer.
func TestHotExactEntries(t *testing.T) {
	e := newEngine(t)
	ctx := context.Background()
	m := Message{ID: "a", Channel: SMS, Kind: Transactional, Sender: "ADCB", Recipient: "+971501234567",
		Body: "Vote in the parliament elections this Friday", Time: tuesday}
	var got [5]Decision
	for i := range got {
		d, err := e.Check(ctx, &m)
		if err != nil {
			t.Fatal(err)
		}
		// A body seen once takes no exact-cache entry: most never repeat.
		if n, want := e.CacheStats().ExactEntries, int64(min(i, 1)); n != want {
			t.Errorf("after check %d: %d exact-cache entries, want %d", i+1, n, want)
		}
		got[i] = d
		got[i].Reasons = slices.Clone(d.Reasons) // as answered
		for j := range d.Reasons {
			d.Reasons[j].Evidence = "changed by the caller"
		}
	}
	if got[0].Action != Block || len(got[0].Reasons) == 0 {
		t.Fatalf("first decision %v %v, want a block with reasons", got[0].Action, got[0].Reasons)
	}
	// The second check admits the message to the exact cache (its second
	// sighting), the third is the first answer from it (freecache).
	want := got[2]
	if got[1].Cache != CacheFacts || want.Cache != CacheExact {
		t.Fatalf("second and third checks: Cache = %q, %q, want %q, %q", got[1].Cache, want.Cache, CacheFacts, CacheExact)
	}
	for i, d := range got[3:] {
		if !reflect.DeepEqual(d, want) {
			t.Errorf("check %d: %+v, want %+v", i+4, d, want)
		}
	}
	if s := e.CacheStats(); s.ExactHits != 3 || s.ExactLookups != 5 {
		t.Errorf("exact hits %d of %d lookups, want 3 of 5", s.ExactHits, s.ExactLookups)
	}
}

// TestHotFactEntries checks the fact cache's hot entries (hotDecisions):
// messages whose facts were decided before (one text with a fresh number in
// each) are answered from them once their key was hit twice in freecache,
// with the decision an uncached engine makes, counted as fact hits; a
// caller changing the reasons it got does not change the next answer.
func TestHotFactEntries(t *testing.T) {
	e := newEngine(t)
	uncached := newEngine(t, WithCacheSizes(Off, Off))
	ctx := context.Background()
	const n = 8
	var got [n]Decision
	for i := range got {
		m := Message{ID: "a", Channel: SMS, Kind: Transactional, Sender: "ADCB", Recipient: "+971501234567",
			Body: fmt.Sprintf("Vote in the parliament elections this Friday, ballot %d", 4821+i*7), Time: tuesday}
		d, err := e.Check(ctx, &m)
		if err != nil {
			t.Fatal(err)
		}
		want, err := uncached.Check(ctx, &m)
		if err != nil {
			t.Fatal(err)
		}
		got[i] = d
		got[i].Reasons = slices.Clone(d.Reasons) // as answered
		d.Cache, d.Cached, want.Cache, want.Cached = "", false, "", false
		if !reflect.DeepEqual(d, want) {
			t.Fatalf("check %d: %+v, uncached %+v", i+1, d, want)
		}
		for j := range d.Reasons {
			d.Reasons[j].Evidence = "changed by the caller"
		}
	}
	if got[0].Action != Block || len(got[0].Reasons) == 0 || got[0].Cache != "" {
		t.Fatalf("first decision %v %v (cache %q), want a block with reasons from the policies", got[0].Action, got[0].Reasons, got[0].Cache)
	}
	for i, d := range got[1:] {
		if d.Cache != CacheFacts {
			t.Errorf("check %d answered by %q, want %q", i+2, d.Cache, CacheFacts)
		}
		if !reflect.DeepEqual(d.Reasons, got[1].Reasons) {
			t.Errorf("check %d: reasons %+v, want %+v", i+2, d.Reasons, got[1].Reasons)
		}
	}
	// Checks 2 and 3 are freecache's (the third promotes the key), the
	// rest the hot entries'.
	var hot int64
	for i := range e.facts.hot.hits {
		hot += e.facts.hot.hits[i].n.Load()
	}
	if hot != n-3 {
		t.Errorf("%d answers from hot entries, want %d", hot, n-3)
	}
	if s := e.CacheStats(); s.FactHits != n-1 {
		t.Errorf("%d fact hits, want %d", s.FactHits, n-1)
	}
}

// TestExactAdmission checks the exact cache's admission slots: a key is
// admitted at its second sighting, a key whose slot another took since at
// its next, the two slots of a word are kept apart, and unique keys are
// rarely admitted (a fingerprint collision, one in 65,535).
func TestExactAdmission(t *testing.T) {
	c := newExactCache(1<<20, exactTTL, newCacheClock(time.Unix(1e9, 0)))
	r := rand.New(rand.NewPCG(1, 2))
	newKey := func() uint64 { return r.Uint64() } // a key's first half: all admission reads
	// sibling returns a key in the other slot of k's word, and one in k's
	// own slot with another fingerprint.
	sibling := func(k uint64) (other, same uint64) {
		w, shift, fp := c.seenSlot(k)
		for other == 0 || same == 0 {
			o := newKey()
			ow, oshift, ofp := c.seenSlot(o)
			switch {
			case ow == w && oshift != shift:
				other = o
			case ow == w && ofp != fp:
				same = o
			}
		}
		return other, same
	}

	k := newKey()
	if c.holds(k) || c.admit(k) {
		t.Fatal("a key never offered is held or admitted")
	}
	if !c.holds(k) || !c.admit(k) || !c.admit(k) {
		t.Fatal("a key offered before is not admitted")
	}
	other, same := sibling(k)
	if c.admit(other) {
		t.Fatal("a key never offered, in the other slot of a word, is admitted")
	}
	if !c.holds(k) || !c.holds(other) {
		t.Fatal("offering a key lost the other slot of its word")
	}
	if c.admit(same) {
		t.Fatal("a key never offered, whose slot holds another key, is admitted")
	}
	if c.holds(k) || !c.holds(other) {
		t.Fatal("a key whose slot another took is still held, or the word's other slot was lost")
	}
	if c.admit(k) || !c.admit(k) {
		t.Fatal("a key that lost its slot is not admitted at its next two sightings")
	}

	const n = 1 << 16
	admitted := 0
	for range n {
		if c.admit(newKey()) {
			admitted++
		}
	}
	if admitted > 16 { // about 1 expected
		t.Errorf("%d of %d unique keys admitted: the fingerprints collide", admitted, n)
	}
}

// TestExactKeyHalves checks that exactKey hashes a key's second half only
// when the exact cache may hold the key (its admission slot or a hot slot
// holds its first half), that a key not whole is never put, and that only
// the whole key answers: a key sharing another's first half is a miss,
// in freecache and in the hot slots.
func TestExactKeyHalves(t *testing.T) {
	x := newExactCache(1<<20, exactTTL, newCacheClock(time.Unix(1e9, 0)))
	p := &policy{generation: 7}
	m := &Message{Channel: SMS, Kind: OTP, Sender: "Acme", Recipient: "+14155550100", Body: "Your code is 482913"}
	now := time.Unix(1e9, 0)
	conv := &ConversationFacts{}
	key1, whole := exactKey(x, p, m, "US", now, conv, 0)
	if whole || binary.LittleEndian.Uint64(key1[8:]) != 0 {
		t.Fatal("a key no slot may hold was hashed whole")
	}
	d := Decision{Action: Block, Reasons: []Reason{}}
	x.putExact(key1, false, &d) // its first sighting: admitted from now on
	x.putExact(key1, false, &d) // admitted, but not whole: not put
	if n := x.c.EntryCount(); n != 0 {
		t.Fatalf("a key not whole was put (%d entries)", n)
	}
	key2, whole := exactKey(x, p, m, "US", now, conv, 0)
	if !whole || [8]byte(key2[:8]) != [8]byte(key1[:8]) || key2 == key1 {
		t.Fatalf("an admitted key is not hashed whole (%x, then %x)", key1, key2)
	}
	if other, _ := exactKey(x, p, &Message{Channel: SMS, Kind: OTP, Sender: "Acme", Recipient: "+14155550100",
		Body: "Your code is 482914"}, "US", now, conv, 0); [8]byte(other[:8]) == [8]byte(key1[:8]) {
		t.Fatal("two bodies share a first half")
	}
	x.putExact(key2, true, &d)
	forged := key2
	forged[15] ^= 1 // the same first half, another second
	for i, want := range []bool{false, true, false, true, false} {
		// freecache answers the key, which its first hit promotes to
		// its hot slot, which then answers it; never the forged key.
		k := key2
		if !want {
			k = forged
		}
		if _, ok := x.get(p, k); ok != want {
			t.Fatalf("lookup %d: hit %v, want %v", i, ok, want)
		}
	}
	if e := x.hot.slots[binary.LittleEndian.Uint64(key2[:8])%hotSlots].Load(); e == nil || e.key != key2 {
		t.Fatal("the key was not promoted to its hot slot")
	}
	for i := range x.seen {
		x.seen[i].Store(0) // other keys took every admission slot
	}
	if key3, whole := exactKey(x, p, m, "US", now, conv, 0); !whole || key3 != key2 {
		t.Fatal("a key its hot slot holds is not hashed whole once its admission slot is lost")
	}
	if _, ok := x.get(p, key2); !ok {
		t.Fatal("a key its hot slot holds is a miss once its admission slot is lost")
	}
}
