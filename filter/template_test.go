package filter

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"math/bits"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/internal/bodyphones"
	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/smsenc"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/state"
)

// templateBodies are A2P templates and bodies built to tempt the template
// cache into a wrong answer: digits next to terms with digits, leetspeak,
// spaced letters, phone-shaped chains, amounts, scripts without spaces.
var templateBodies = []string{
	"Your ADCB verification code is 482913. Do not share it with anyone.",
	"482913 is your OTP for login to HDFC Bank. Valid for 10 mins. Do not share it with anyone.",
	"Garanti BBVA kartınızdan 1234.56 TL harcama yapıldı.",
	"Chase: a charge of $1234.56 was made on your card ending 4821.",
	"Your KBank OTP is 482913. Ref 3K9F0A1. Valid 5 minutes.",
	"รหัส OTP ของคุณคือ 482913 (Ref: 3K9F) ห้ามบอกรหัสนี้กับผู้อื่น",
	"رمز التحقق الخاص بك من ADCB هو 482913. لا تشاركه مع أي شخص.",
	"PChome 雙11 限時優惠 1234 元，全館免運！",
	"Bonjour Camille, votre colis 00340434123456 sera livré le 12/03.",
	"Call 050 123 4567 now for the offer 1234",
	"Ihr Paket 00340434123456 wird heute zugestellt.",
	"Call 0906170146 now to claim your 1000 prize",
	"Call 09061701461 or 0800 123 4567",
	"Buy an ar-15 today, 1500 in stock",
	"ar 1500 rifles and 9mm ammo, delta 8 and delta 1234 gummies",
	"article 2300 of the code, 420 friendly, 4200 seeds",
	"bet 3650 now at mega 8888 and pussy 8880, bets 1000",
	"c a s 1 n o 2024 bonus, v.o.t.e 1234 today",
	"Win 1000 dollars: claim your prize 9999 today!",
	"Reply STOP 1234 to opt out, or send 5678 to unsubscribe",
	"Your code: 1234-5678. Ref (2024) 99/12.",
	"Transfer 10,000 to account 12 34 56 78 90 now",
	"برای لغو 1100 را ارسال کنید", // "لغو ۱۱" (cancel 11) is a term that can match part of a run
}

// textResult is what the text stages make of a body for one check.
type textResult struct {
	categories Categories
	optOutText bool
	instructs  bool
	model      ModelFacts
	print      *campaignPrint
	noPhones   bool
	size       smsenc.Size
	runes      int
}

// textFacts runs the text stages on m without the template cache; ok is
// false for a message the template cache would not store.
func textFacts(t *testing.T, e *Engine, m Message) (_ textResult, ok bool) {
	t.Helper()
	c := e.newCheck(context.Background(), &m, false)
	defer c.release()
	if err := c.validate(); err != nil {
		return textResult{}, false
	}
	c.extract()
	c.links()
	if len(c.facts.Links) > 0 {
		return textResult{}, false // never cached
	}
	c.normalize()
	for _, a := range c.p.templateAnchors {
		if bytes.Contains(c.text.Bytes(textnorm.Words), a) {
			return textResult{}, false
		}
	}
	c.match()
	if err := c.classify(); err != nil {
		t.Fatal(err)
	}
	f := &c.facts.Content
	return textResult{categories: f.Categories, optOutText: f.OptOutText, instructs: c.instructs, model: f.Model, print: c.campaignBands(),
		noPhones: bodyphones.NoneByShape(m.Body),
		size:     smsenc.Measure(m.Body), runes: utf8.RuneCountInString(m.Body)}, true
}

// testMaskRule returns the rule of runs of two digits or more with tokens.
func testMaskRule(tokens ...string) maskRule {
	rule := maskRule{run: 2}
	for _, t := range tokens {
		rule.add(t)
	}
	return rule
}

// TestMaskRuleMasks: masks answers as its definition does (a run of at
// least rule.run digits equal to no token), for every run of one to five
// digits, with tokens of every length from one to five digits (the short
// table's and the list's), the embedded packs' among them.
func TestMaskRuleMasks(t *testing.T) {
	for _, tokens := range [][]string{nil, {"11", "15", "23", "8", "9", "420", "100"}, {"00", "99", "000", "999", "0", "1234", "56789"}, {"01", "010", "0100"}} {
		for _, run := range []int{2, 4} {
			rule := maskRule{run: run}
			for _, tok := range tokens {
				rule.add(tok)
			}
			for n, k := 1, 10; n <= 5; n, k = n+1, k*10 {
				for v := range k {
					r := fmt.Sprintf("%0*d", n, v)
					want := len(r) >= run && !slices.Contains(tokens, r)
					if got := rule.masks(r); got != want {
						t.Fatalf("tokens %q, run %d: masks(%q) = %v, want %v", tokens, run, r, got, want)
					}
				}
			}
		}
	}
	if (&maskRule{}).masks("12") {
		t.Error("the zero rule masks a run")
	}
}

// freeRuns returns the runs maskRuns masks in body, and whether the body
// may use the template cache.
func freeRuns(body string, rule maskRule) ([][2]int, bool) {
	var runs [][2]int
	ok := maskRuns(body, &rule, func(i, j int) { runs = append(runs, [2]int{i, j}) })
	return runs, ok
}

// TestTemplateDigitsDoNotMatter is the template cache's property: a body
// whose free runs get other digits (the same template key) gets the same
// text facts, computed without the cache; the runs found, and whether the
// body may be cached, do not change either.
func TestTemplateDigitsDoNotMatter(t *testing.T) {
	e := newEngine(t)
	p := e.policy.Load()
	if p.templateRun.run == 0 {
		t.Fatal("the embedded packs turn the template cache off (a term that is not word-bounded begins or ends with digits)")
	}
	// Reports move the model's scores through the online layer: the
	// property must hold with them too.
	ctx := context.Background()
	for _, b := range templateBodies[:4] {
		if err := e.Report(ctx, &Message{Channel: SMS, Kind: Promotional, Sender: "X", Recipient: "+971501234567", Body: b}, ReportSpam); err != nil {
			t.Fatal(err)
		}
	}
	msgs := corpusMessages(t)
	for i, b := range templateBodies {
		for _, d := range []struct{ cc, rcpt string }{{"AE", "+971501234567"}, {"IN", "+919876543210"}, {"TH", "+66812345678"}, {"US", "+12025550123"}, {"DE", "+4915123456789"}} {
			msgs = append(msgs, Message{ID: fmt.Sprint("tmpl-", i, "-", d.cc), Channel: SMS, Kind: Promotional, Sender: "Shop",
				Recipient: d.rcpt, Body: b, Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)})
		}
	}
	msgs = append(msgs, templateCorpus(t)...)
	r := rand.New(rand.NewPCG(1, 2))
	tested, refused := 0, 0
	for _, m := range msgs {
		runs, ok := freeRuns(m.Body, p.templateRun)
		if !ok {
			refused++
			continue
		}
		if len(runs) == 0 {
			continue
		}
		want, ok := textFacts(t, e, m)
		if !ok {
			continue
		}
		tested++
		for range 5 {
			b := []byte(m.Body)
			for _, run := range runs {
				for first := true; first || !p.templateRun.masks(string(b[run[0]:run[1]])); first = false {
					for k := run[0]; k < run[1]; k++ {
						b[k] = byte('0' + r.IntN(10)) // digits another body of the key may have
					}
				}
			}
			v := m
			v.Body = string(b)
			if got, ok := freeRuns(v.Body, p.templateRun); !ok || !reflect.DeepEqual(got, runs) {
				t.Fatalf("%q: free runs %v (ok %v), but %q has %v", m.Body, runs, true, v.Body, got)
			}
			got, ok := textFacts(t, e, v)
			if !ok {
				t.Fatalf("%q would be stored, %q would not", m.Body, v.Body)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("text facts of %q (to %s)\n%+v\ndiffer from those of %q\n%+v", v.Body, v.Recipient, got, m.Body, want)
			}
		}
	}
	t.Logf("%d bodies with free runs checked with 5 digit substitutions each; %d refused", tested, refused)
	if tested < 100 {
		t.Errorf("only %d bodies had free runs: the property was hardly tested", tested)
	}
}

func TestMaskRuns(t *testing.T) {
	cases := []struct {
		name string
		body string
		runs [][2]int
		ok   bool
	}{
		{"otp", "Your code is 482913.", [][2]int{{13, 19}}, true},
		{"two digits, not one", "Valid for 10 mins, 5 tries", [][2]int{{10, 12}}, true},
		{"a term's token stays", "buy 420 today, ar 15 or m 16", [][2]int{{26, 28}}, true},
		{"glued to letters", "Ref 3K9F0A1234 and A1234", nil, true},
		{"dollar amount", "a charge of $1234.56", [][2]int{{13, 17}, {18, 20}}, true},
		{"three-digit amount", "a charge of $395.16", [][2]int{{13, 16}, {17, 19}}, true},
		{"glued dollar", "US$1234", nil, true},
		{"html reference", "&#1234; x", nil, true},
		{"phone-shaped chain", "call 050 123 4567", nil, false},
		{"phone-shaped run on its own", "colis 00340434123456 livré", [][2]int{{9, 20}}, true},
		{"phone-shaped run in a chain", "colis 00340434123456 12 livré", nil, false},
		{"eight digits in a chain", "code 1234-5678", [][2]int{{5, 9}, {10, 14}}, true},
		{"bidi override", "code 1234 \u202eonisac", nil, false},
	}
	rule := testMaskRule("15", "420")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			runs, ok := freeRuns(c.body, rule)
			if ok != c.ok || ok && !reflect.DeepEqual(runs, c.runs) {
				t.Errorf("maskRuns(%q) = %v, %v, want %v, %v", c.body, runs, ok, c.runs, c.ok)
			}
		})
	}
}

// TestTemplateAnchor: the opt-out term "لغو ۱۱" matches the start of a free
// run, so the digits of a body holding its anchor matter, and the template
// cache must not store it.
func TestTemplateAnchor(t *testing.T) {
	e := newEngine(t)
	msg := func(body string) Message {
		return Message{Channel: SMS, Kind: Promotional, Sender: "Shop", Recipient: "+989121234567", Body: body, Time: testNow}
	}
	instructs := func(body string) bool {
		t.Helper()
		m := msg(body)
		c := e.newCheck(context.Background(), &m, false)
		defer c.release()
		if err := c.validate(); err != nil {
			t.Fatal(err)
		}
		c.extract()
		c.normalize()
		c.match()
		return c.instructs
	}
	const match, other = "برای لغو 1100 را ارسال کنید", "برای لغو 2200 را ارسال کنید"
	if !instructs(match) || instructs(other) {
		t.Fatalf("instructions: %q %v, %q %v; want true, false", match, instructs(match), other, instructs(other))
	}
	for _, body := range []string{match, other} {
		m := msg(body)
		if _, err := e.Check(context.Background(), &m); err != nil {
			t.Fatal(err)
		}
		c := e.newCheck(context.Background(), &m, false)
		if err := c.validate(); err != nil {
			t.Fatal(err)
		}
		c.extract()
		if c.templateCache() {
			t.Errorf("%q was answered by the template cache: its anchor makes its digits matter", body)
		}
		c.release()
	}
}

// TestTemplateLiteral: a body that cannot be masked (a link, a
// phone-shaped number) is keyed as written: the same body is served, one
// digit changed is not.
func TestTemplateLiteral(t *testing.T) {
	e := newEngine(t)
	for _, c := range []struct{ body, other string }{
		{"Track parcel 482913 at https://dhl.example/t/482913 today", "Track parcel 482913 at https://dhl.example/t/482914 today"},
		{"Call 050 123 4567 for your code 482913", "Call 050 123 4567 for your code 482914"},
	} {
		m := Message{Channel: SMS, Kind: Transactional, Sender: "Shop", Recipient: "+971501234567", Body: c.body, Time: testNow}
		if _, err := e.Check(context.Background(), &m); err != nil {
			t.Fatal(err)
		}
		if !templateHit(t, e, m) {
			t.Errorf("%q checked again: not served by the template cache", c.body)
		}
		m.Body = c.other
		if templateHit(t, e, m) {
			t.Errorf("%q served with the facts of %q", c.other, c.body)
		}
	}
}

// templateCorpus is the Thai, Persian and Mendeley corpora's bodies that
// hold a run of four digits or more, to their countries (none when the
// corpora are absent): scripts written without spaces, native digits and
// the opt-out term with digits ("لغو ۱۱") meet the template cache there.
func templateCorpus(t *testing.T) []Message {
	t.Helper()
	var msgs []Message
	add := func(rcpt string, ms []corpus.Message) {
		n := 0
		for _, m := range ms {
			if n < 1500 && strings.ContainsFunc(m.Text, func(r rune) bool { return r >= '0' && r <= '9' }) {
				msgs = append(msgs, Message{Channel: SMS, Kind: Promotional, Sender: "Shop", Recipient: rcpt, Body: m.Text,
					Time: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)})
				n++
			}
		}
	}
	if dir, err := corpus.Path("thai-sms-spam"); err == nil {
		if ms, err := corpus.ReadThai(os.DirFS(dir)); err == nil {
			add("+66812345678", ms)
		}
	}
	for _, c := range []struct {
		rel, rcpt string
		read      func(io.Reader) ([]corpus.Message, error)
	}{
		{"persian-sms-semnan/sms_data.utf8.txt", "+989121234567", corpus.ReadPersian},
		{"mendeley-smishing-5971/Dataset_5971.csv", "+919876543210", corpus.ReadMendeley},
	} {
		path, err := corpus.Path(c.rel)
		if err != nil {
			continue
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := c.read(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		add(c.rcpt, ms)
	}
	if len(msgs) == 0 {
		t.Log("Thai, Persian and Mendeley corpora absent: their bodies are not tested")
	}
	return msgs
}

// TestBidiOverflow: bidi controls nested past maxBidiNesting hold the
// message for review (global/bidi-overflow), whether its text facts were
// computed or came from the template cache; right-to-left text with marks
// and an isolate, the ham twin, passes.
func TestBidiOverflow(t *testing.T) {
	nest := func(n int) string {
		return "Your parcel is waiting " + strings.Repeat("\u202e", n) + "ereh kcilc" + strings.Repeat("\u202c", n) + " today"
	}
	for _, tc := range []struct {
		name, body string
		want       Action
	}{
		{"nested 17 deep", nest(17), Review},
		{"nested 16 deep", nest(16), Allow},
		{"arabic with marks and an isolate", "تم شحن طلبك \u200fرقم\u200f \u2066AB-123\u2069 وسيصل غدا", Allow},
	} {
		for name, e := range map[string]*Engine{"cached": newEngine(t), "uncached": newEngine(t, WithCacheSizes(-1, -1))} {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				for i := range 3 { // fresh recipients: the template cache, not the exact one
					m := Message{Channel: SMS, Kind: Transactional, Sender: "INFO", Recipient: fmt.Sprintf("+97150123456%d", i),
						Body: tc.body, Time: tuesday}
					d, err := e.Check(context.Background(), &m)
					if err != nil {
						t.Fatalf("Check = %v", err)
					}
					if d.Action != tc.want || (tc.want == Review) != hasCode(d, FraudSuspected) {
						t.Errorf("message %d: %s %v, want %s", i, d.Action, codes(d), tc.want)
					}
				}
			})
		}
	}
}

// TestTemplateHitSize: a template hit takes the body's size (length,
// encoding, segments) from the entry, which another body stored: the
// message facts must be those computed for this body. The bodies are GSM-7
// and UCS-2, in one segment and in several.
func TestTemplateHitSize(t *testing.T) {
	ctx := context.Background()
	cached, uncached := newEngine(t), newEngine(t, WithCacheSizes(Off, Off))
	long := strings.Repeat("Your parcel is on its way and will be delivered tomorrow. ", 3)
	for _, format := range []string{
		"Your ADCB verification code is %06d. Do not share it with anyone.",
		"رمز التحقق الخاص بك هو %06d. لا تشاركه مع أي شخص.",
		long + "Tracking %06d.",
		"您的驗證碼為 %06d，請於10分鐘內輸入，切勿提供給他人。" + strings.Repeat("謝謝", 40),
	} {
		for i, code := range []int{482913, 1177, 90210} {
			m := Message{ID: "size", Channel: SMS, Kind: OTP, Sender: "ADCB", Recipient: "+971501234567",
				Body: fmt.Sprintf(format, code), Time: tuesday}
			if _, err := cached.Check(ctx, &m); err != nil {
				t.Fatal(err)
			}
			x, err := uncached.Explain(ctx, &m)
			if err != nil {
				t.Fatal(err)
			}
			c := cached.newCheck(ctx, &m, false)
			if err := c.validate(); err != nil {
				t.Fatal(err)
			}
			c.extract()
			hit := c.templateCache()
			c.enrich()
			if i > 0 && !hit {
				t.Fatalf("%q: no template hit", m.Body)
			}
			if got, want := c.facts.Message, x.Facts.Message; got != want {
				t.Errorf("%q (template hit %v): message facts %+v, want %+v", m.Body, hit, got, want)
			}
			c.release()
		}
	}
}

// TestTemplateCacheWays: keys of one set all stay until the set is full
// (with one slot per key, the second key of a slot evicted the first); one
// more key takes a slot, found after, and the rest of the set stays.
func TestTemplateCacheWays(t *testing.T) {
	c := newTemplateCache(1)
	sets := uint64(len(c.slots) / templateWays)
	// The hashes of set 3 (h*sets/2^64 = 3) follow floor(3*2^64/sets).
	set3, _ := bits.Div64(3, 0, sets)
	entry := func(i int) *templateEntry { // every key in set 3
		return &templateEntry{hash: set3 + 1 + uint64(i), key: "key " + strconv.Itoa(i)}
	}
	get := func(e *templateEntry) *templateEntry { return c.get(e.hash, []byte(e.key)) }
	for i := range templateWays {
		c.put(entry(i))
		c.put(entry(i)) // again: its own slot, not another
	}
	for i := range templateWays {
		if e := get(entry(i)); e == nil || e.key != entry(i).key {
			t.Fatalf("key %d of a full set: get = %v", i, e)
		}
	}
	c.put(entry(templateWays))
	if get(entry(templateWays)) == nil {
		t.Fatal("a key stored in a full set is not found")
	}
	kept := 0
	for i := range templateWays {
		if get(entry(i)) != nil {
			kept++
		}
	}
	if kept != templateWays-1 {
		t.Errorf("after one more key, %d of the set's %d keys stay; want %d", kept, templateWays, templateWays-1)
	}
	if get(entry(templateWays+1)) != nil {
		t.Error("a key never stored is found")
	}
}

// TestTemplateCacheComparesKeys: the hash only picks the set and is the
// tag; the key is compared whole. Keys whose hashes are equal (a
// collision) each find their own entry, and a key that differs from a
// stored one in one byte, or is a prefix of it, finds nothing.
func TestTemplateCacheComparesKeys(t *testing.T) {
	c := newTemplateCache(1)
	const h = 0x1234_5678_9abc_def0
	a := &templateEntry{hash: h, key: "\x01\x02masked \xff\xff\xff\xff body"}
	b := &templateEntry{hash: h, key: "\x01\x02masked \xff\xff\xff\xfe body"}
	c.put(a)
	for _, k := range []string{b.key, a.key[:len(a.key)-1], a.key + "!", ""} {
		if e := c.get(h, []byte(k)); e != nil {
			t.Errorf("key %q (the hash of %q) finds %q", k, a.key, e.key)
		}
	}
	c.put(b)
	for _, want := range []*templateEntry{a, b} {
		if e := c.get(h, []byte(want.key)); e != want {
			t.Errorf("key %q of a shared hash: get = %v", want.key, e)
		}
	}
}

// BenchmarkTemplateCacheParallel reads the template cache as templated
// traffic does on every core: 7 templates, hit on every lookup.
func BenchmarkTemplateCacheParallel(b *testing.B) {
	t := newTemplateCache(32 << 20)
	entries := make([]*templateEntry, 7)
	for i := range entries {
		key := "Your code is \xff\xff\xff\xff\xff\xff. Template " + strconv.Itoa(i)
		entries[i] = &templateEntry{hash: maphash.String(keySeed1, key), key: key}
		t.put(entries[i])
	}
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			e := entries[i%len(entries)]
			if t.get(e.hash, []byte(e.key)) == nil {
				b.Fatal("miss")
			}
		}
	})
}

// BenchmarkMaskRuns times the template key's scan of a body for free runs
// on one-time-password and alert bodies like the templated row's.
func BenchmarkMaskRuns(b *testing.B) {
	bodies := []string{
		"Your ACME verification code is 482913. Do not share it with anyone.",
		"482913 is your OTP for login to HDFC Bank. Valid for 10 mins. Do not share it with anyone.",
		"Dear Priya, 482913 is the OTP for your transaction of Rs 12,450.00. Never share your OTP.",
		"Votre code de vérification Ameli est 482913. Il expire dans 10 minutes.",
		"رمز التحقق الخاص بك من Careem هو 482913. لا تشاركه مع أي شخص.",
		"รหัส OTP ของคุณคือ 482913 (Ref: QXZP) ห้ามบอกรหัสนี้กับผู้อื่น",
		"您的蝦皮驗證碼為 482913，請於10分鐘內輸入，切勿提供給他人。",
	}
	n := 0
	for b.Loop() {
		for _, body := range bodies {
			if maskRuns(body, &maskRule{run: 4}, func(i, j int) { n += j - i }) {
				n++
			}
		}
	}
	if n == 0 {
		b.Fatal("no run masked")
	}
}

// TestNextDigit: the word-at-a-time scan finds the first ASCII digit a
// byte loop finds, from every start, among bytes each side of the digits
// (a word test could be fooled by a borrow or a high bit).
func TestNextDigit(t *testing.T) {
	alphabet := []byte{'/', '0', '5', '9', ':', 0, 9, 10, 0x80 | '0', 0xB9, 0xE2, 'a', ' ', 0xFF}
	x := uint64(1)
	for n := range 2000 {
		b := make([]byte, n%40)
		for i := range b {
			x = x*6364136223846793005 + 1442695040888963407
			b[i] = alphabet[x>>33%uint64(len(alphabet))]
		}
		s := string(b)
		for i := 0; i <= len(s); i++ {
			want := i
			for want < len(s) && !isASCIIDigit(s[want]) {
				want++
			}
			if got := nextDigit(s, i); got != want {
				t.Fatalf("nextDigit(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
	}
}

// templateLinks runs a check of m up to its links (stage extract's, after
// the template cache) and returns whether the template cache answered and
// the links' facts.
func templateLinks(t *testing.T, e *Engine, m Message) (hit bool, ls []LinkFacts) {
	t.Helper()
	c := e.newCheck(context.Background(), &m, false)
	defer c.release()
	if err := c.validate(); err != nil {
		t.Fatal(err)
	}
	c.extract()
	hit = c.templateCache()
	c.links()
	return hit, c.facts.Links
}

// TestTemplateLinksPerTenant: a template entry keeps its body's links, and a
// tenant's own brands change them (BrandInText: the brand named beside a
// link to another domain), so a tenant with brands of its own does not share
// another tenant's entry, whichever checked the body first; each hit gives
// the links an uncached engine finds.
func TestTemplateLinksPerTenant(t *testing.T) {
	const body = "Acme Bank: your account is locked, verify it at https://secure-verify.example/x today"
	acme := WithTenant("acme", Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}})
	uncached := newEngine(t, WithStore(nil), WithCacheSizes(Off, Off), acme)
	msg := func(tenant string) Message {
		return Message{Channel: SMS, Kind: Transactional, Tenant: tenant, Sender: "ACME", Recipient: "+4915123456001", Body: body, Time: tuesday}
	}
	want := map[string]bool{"acme": true, "other": false} // BrandInText
	for _, order := range [][]string{{"acme", "other"}, {"other", "acme"}} {
		e := newEngine(t, WithStore(nil), acme)
		for _, tenant := range order {
			m := msg(tenant)
			if hit, _ := templateLinks(t, e, m); hit {
				t.Fatalf("%v: %s hit another tenant's template entry", order, tenant)
			}
			if _, err := e.Check(context.Background(), &m); err != nil {
				t.Fatal(err)
			}
			hit, ls := templateLinks(t, e, m)
			if !hit {
				t.Fatalf("%v: %s: no template hit after a check", order, tenant)
			}
			x, err := uncached.Explain(context.Background(), &m)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ls, x.Facts.Links) {
				t.Errorf("%v: %s: links on a template hit %+v, want %+v", order, tenant, ls, x.Facts.Links)
			}
			if len(ls) != 1 || ls[0].BrandInText != want[tenant] {
				t.Errorf("%v: %s: links %+v, want one with BrandInText %v", order, tenant, ls, want[tenant])
			}
		}
	}
}

// TestTenantBrandsAnyCase: a message naming its tenant in another case gets
// the tenant's own brands, as it gets the tenant's other settings (tenantID);
// the link analyzer was once looked up by the name as written, so "ACME"
// lost the brands of tenant acme, uncached and on a template hit alike.
func TestTenantBrandsAnyCase(t *testing.T) {
	acme := WithTenant("acme", Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}})
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"uncached", []Option{WithStore(nil), WithCacheSizes(Off, Off), acme}},
		{"cached", []Option{WithStore(nil), acme}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, tc.opts...)
			for _, tenant := range []string{"acme", "ACME", "Acme", "acme"} {
				m := Message{Channel: SMS, Kind: Transactional, Tenant: tenant, Sender: "ACME", Recipient: "+4915123456001",
					Body: "Acme Bank: your account is locked, verify it at https://secure-verify.example/x today", Time: tuesday}
				if _, err := e.Check(context.Background(), &m); err != nil {
					t.Fatal(err)
				}
				x, err := e.Explain(context.Background(), &m)
				if err != nil {
					t.Fatal(err)
				}
				if len(x.Facts.Links) != 1 || !x.Facts.Links[0].BrandInText {
					t.Errorf("tenant %q: links %+v, want one naming the tenant's brand (BrandInText)", tenant, x.Facts.Links)
				}
			}
		})
	}
}

// TestTemplateLinkBlockedPerTenant: a link's lists are the check's, not the
// template entry's: the tenant that blocks the link's domain is blocked on a
// hit of an entry another tenant's check stored, and that tenant, checked
// on a hit of an entry the blocking tenant stored, is not.
func TestTemplateLinkBlockedPerTenant(t *testing.T) {
	const body = "Your order ships today, see https://shop.rival.example/o/xk"
	for _, order := range [][]string{{"other", "acme"}, {"acme", "other"}} {
		e := newEngine(t, WithStore(nil), WithTenant("acme", Tenant{BlockedDomains: []string{"rival.example"}}))
		for i, tenant := range order {
			m := Message{Channel: SMS, Kind: Transactional, Tenant: tenant, Sender: "ACME", Recipient: "+4915123456001", Body: body, Time: tuesday}
			if hit := templateHit(t, e, m); hit != (i > 0) {
				t.Fatalf("%v: %s: template hit %v, want %v", order, tenant, hit, i > 0)
			}
			d, err := e.Check(context.Background(), &m)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := hasCode(d, DomainBlocked), tenant == "acme"; got != want || (d.Action == Block) != want {
				t.Errorf("%v: %s: %s %v, want DOMAIN_BLOCKED %v", order, tenant, d.Action, codes(d), want)
			}
		}
	}
}

// BenchmarkTemplateCacheFull looks up keys never stored in a full cache of
// the default size, as a templated check with a fresh literal body does:
// every set holds templateWays entries.
func BenchmarkTemplateCacheFull(b *testing.B) {
	t := newTemplateCache(32 << 20)
	for i := range len(t.slots) * 2 {
		t.put(&templateEntry{hash: uint64(i) * 0x9e3779b97f4a7c15, key: strconv.Itoa(i)})
	}
	key := []byte("a body never stored")
	for i := 0; b.Loop(); i++ {
		if t.get(uint64(i)*0x9e3779b97f4a7c15+1, key) != nil {
			b.Fatal("a key never stored is found")
		}
	}
}

// textStages runs a check of m through the text stages as run does, with
// the template cache when e has one (a miss stores the entry), and returns
// what they leave for the facts: the content facts (phone numbers
// included), the links, the size and the campaign fingerprint.
func textStages(t *testing.T, e *Engine, m Message) (hit bool, content ContentFacts, ls []LinkFacts, size smsenc.Size, runes int, print *campaignPrint) {
	t.Helper()
	c := e.newCheck(context.Background(), &m, false)
	defer c.release()
	if err := c.validate(); err != nil {
		t.Fatalf("%q to %s: %v", m.Body, m.Recipient, err)
	}
	c.extract()
	hit = c.templateCache()
	c.links()
	if !hit {
		c.normalize()
		c.match()
		if err := c.classify(); err != nil {
			t.Fatal(err)
		}
		c.rememberTemplate()
	}
	c.phones()
	c.measure()
	print = c.print
	if print == nil {
		print = c.campaignBands()
	}
	return hit, c.facts.Content, c.facts.Links, c.size, c.runes, print
}

// TestTemplateSharedAcrossDestinations is the property of a template entry
// kept for every destination and tenant: whichever destination and tenant
// checked a body first, every other one that hits its entry gets the text
// facts an engine without caches computes (categories and evidence from its
// own terms, the opt-out instruction, scores and named features by its own
// thresholds, links by its own brands, phone numbers, size, fingerprint).
// Over corpus texts and templates with fresh digits, to destinations whose
// lists differ (AE, IN, IR, TH have terms of their own) and tenants with
// stricter and laxer model thresholds and brands of their own.
func TestTemplateSharedAcrossDestinations(t *testing.T) {
	acme := WithTenant("acme", Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}})
	cached := tenantModelEngine(t, acme)
	uncached := tenantModelEngine(t, acme, WithCacheSizes(Off, Off))
	if uncached.template != nil {
		t.Fatal("an engine without caches has a template cache")
	}
	dests := []string{"+971501234567", "+919876543210", "+989121234567", "+66812345678", "+12025550123", "+4915123456789", "+33612345678"}
	tenants := []string{"", "Strict", "lax", "acme"}
	var bodies []string
	seen := map[string]bool{}
	add := func(b string) {
		if !seen[b] {
			seen[b] = true
			bodies = append(bodies, b)
		}
	}
	for _, b := range templateBodies {
		add(b)
	}
	for _, m := range corpusMessages(t) {
		add(m.Body)
	}
	add("Acme Bank: your account is locked, verify it at https://secure-verify.example/x today")
	for _, m := range templateCorpus(t) {
		add(m.Body)
	}
	if testing.Short() {
		bodies = bodies[:min(len(bodies), 400)]
	}
	r := rand.New(rand.NewPCG(3, 4))
	checks, hits, termHits, named := 0, 0, 0, 0
	for i, body := range bodies {
		// A template sent again with other digits in its free runs takes
		// the entry its first sighting stored.
		variant := func(b string) string {
			runs, ok := freeRuns(b, cached.policy.Load().templateRun)
			if !ok {
				return b
			}
			bs := []byte(b)
			for _, run := range runs {
				for k := run[0]; k < run[1]; k++ {
					bs[k] = byte('0' + r.IntN(10))
				}
			}
			return string(bs)
		}
		for j := range len(dests) * len(tenants) {
			// Each body starts at another destination and tenant, so
			// that every one of them stores entries the others read.
			k := (i + j) % (len(dests) * len(tenants))
			m := Message{ID: fmt.Sprint("shared-", i, "-", j), Channel: SMS, Kind: Promotional, Sender: "Shop",
				Tenant: tenants[k%len(tenants)], Recipient: dests[k/len(tenants)], Body: variant(body), Time: tuesday}
			hit, got, gotLinks, gotSize, gotRunes, gotPrint := textStages(t, cached, m)
			_, want, wantLinks, wantSize, wantRunes, wantPrint := textStages(t, uncached, m)
			checks++
			if hit {
				hits++
				if len(want.Categories) > 0 {
					termHits++
				}
				if len(want.Model.Features.Spam) > 0 {
					named++
				}
			}
			if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotLinks, wantLinks) || gotSize != wantSize || gotRunes != wantRunes ||
				!reflect.DeepEqual(gotPrint, wantPrint) {
				t.Fatalf("%q to %s for tenant %q (template hit %v):\ncached   %+v\n         links %+v\nuncached %+v\n         links %+v",
					m.Body, m.Recipient, m.Tenant, hit, got, gotLinks, want, wantLinks)
			}
		}
	}
	t.Logf("%d bodies, %d checks: %d template hits, %d of them with terms, %d with named features", len(bodies), checks, hits, termHits, named)
	if hits < checks/2 || termHits < 100 || named < 100 {
		t.Errorf("%d hits of %d checks, %d with terms, %d with named features: the entries were hardly shared", hits, checks, termHits, named)
	}
}

// TestTemplateTokenRunKeptAsWritten: a free run equal to a token of digits
// of a term ("420", the "15" of "ar-15") is keyed as written, so a body
// with it never takes the entry of the same text with other digits, whose
// terms differ, nor gives it its own; other runs of its length are masked
// and shared.
func TestTemplateTokenRunKeptAsWritten(t *testing.T) {
	e := newEngine(t, WithCacheSizes(Off, 0))
	ctx := context.Background()
	run := func(body string) (hit bool, cats Categories) {
		t.Helper()
		m := Message{Channel: SMS, Kind: Promotional, Sender: "Shop", Recipient: "+12025550123", Body: body, Time: testNow}
		c := e.newCheck(ctx, &m, false)
		defer c.release()
		if err := c.run(); err != nil {
			t.Fatal(err)
		}
		return c.template != nil, c.facts.Content.Categories
	}
	for _, c := range []struct{ format, token, cat string }{
		{"Party pack %s ready, see you at 8", "420", "drugs"},
		{"Range day: bring your ar-%s, 9 sharp", "15", "firearms"},
	} {
		others := []string{"421", "733", "999"}
		if len(c.token) == 2 {
			others = []string{"16", "73", "99"}
		}
		for i, other := range others {
			hit, cats := run(fmt.Sprintf(c.format, other))
			if _, ok := cats[c.cat]; ok {
				t.Errorf("%q: category %s", fmt.Sprintf(c.format, other), c.cat)
			}
			if i > 0 && !hit {
				t.Errorf("%q: no template hit: a run of %d digits that is no term's is masked", fmt.Sprintf(c.format, other), len(other))
			}
			_, cats = run(fmt.Sprintf(c.format, c.token))
			if _, ok := cats[c.cat]; !ok {
				t.Errorf("%q after %q: no category %s, the other body's entry answered", fmt.Sprintf(c.format, c.token), fmt.Sprintf(c.format, other), c.cat)
			}
		}
	}
}

// FuzzMaskRuns: the word-at-a-time digit scan agrees with a byte loop on
// any bytes, and every run maskRuns masks is digits only, in order, inside
// the body, and ends where the digits do.
func FuzzMaskRuns(f *testing.F) {
	for _, s := range []string{
		"Your code is 482913. Do not share it.",
		"Ihr Paket 00340434482913 wird heute zugestellt.",
		"Chase: a charge of $4829.13 was made on your card ending 4821.",
		"Call 1-800-555-0199 or 420 ar-15",
		"Garanti BBVA kartınızdan 4829.13 TL harcama yapıldı.",
		"\u202e482913",
	} {
		f.Add(s)
	}
	rule := testMaskRule("420", "15")
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i <= len(s) && i < 256; i++ {
			want := i
			for want < len(s) && !isASCIIDigit(s[want]) {
				want++
			}
			if got := nextDigit(s, i); got != want {
				t.Fatalf("nextDigit(%q, %d) = %d, want %d", s, i, got, want)
			}
		}
		runs, _ := freeRuns(s, rule)
		last := 0
		for _, r := range runs {
			if r[0] < last || r[1] <= r[0] || r[1] > len(s) {
				t.Fatalf("maskRuns(%q): run %v out of order or bounds (after %d)", s, r, last)
			}
			for k := r[0]; k < r[1]; k++ {
				if !isASCIIDigit(s[k]) {
					t.Fatalf("maskRuns(%q): run %v holds %q", s, r, s[k])
				}
			}
			if r[1] < len(s) && isASCIIDigit(s[r[1]]) {
				t.Fatalf("maskRuns(%q): run %v stops inside digits", s, r)
			}
			// A run starts where the digits do, or after a long number's
			// first three digits.
			start := r[0]
			for start > 0 && isASCIIDigit(s[start-1]) {
				start--
			}
			if start != r[0] && (start != r[0]-3 || r[1]-start < 9) {
				t.Fatalf("maskRuns(%q): run %v starts inside digits from %d", s, r, start)
			}
			last = r[1]
		}
	})
}

// TestContentKeySameThresholds: contentKey.same tells apart thresholds
// that the walk writes differently (each value's bits, -0 from 0, and
// each threshold set or not), and categories that are another map with
// the same contents, and takes a copy of the same thresholds and map.
func TestContentKeySameThresholds(t *testing.T) {
	cats := Categories{"gambling": {Score: 2}}
	var base ModelThresholdFacts
	for i := range base.v {
		base.v[i], base.set[i] = 0.5+float64(i)/10, i%2 == 0
	}
	k := &contentKey{f: ContentFacts{Categories: cats, Model: ModelFacts{Thresholds: base}}}
	same := ContentFacts{Categories: cats, Model: ModelFacts{Thresholds: base}}
	if !k.same(&same) {
		t.Fatal("the same thresholds and categories: not the same")
	}
	for i := range base.v {
		for name, change := range map[string]func(*ModelThresholdFacts){
			"value":     func(m *ModelThresholdFacts) { m.v[i] += 0.01 },
			"set":       func(m *ModelThresholdFacts) { m.set[i] = !m.set[i] },
			"zero sign": func(m *ModelThresholdFacts) { m.v[i] = math.Copysign(0, -1) },
		} {
			f := same
			change(&f.Model.Thresholds)
			if name == "zero sign" {
				k.f.Model.Thresholds.v[i] = 0
			}
			if k.same(&f) {
				t.Errorf("threshold %d: another %s is the same", i, name)
			}
			k.f.Model.Thresholds = base
		}
	}
	other := same
	other.Categories = Categories{"gambling": {Score: 2}}
	if k.same(&other) {
		t.Error("another map with the same categories is the same: same compares maps by identity (the bytes kept are those of the entry's map)")
	}
}

// TestTemplateKeyBytes: writeTemplateKey writes the generations, the kind,
// the tenant whose own brands change a literal body's links, and the body
// with exactly the free runs masked (none when maskRuns refuses the body,
// even after it found some), whatever the array it is written in (the
// small one of short bodies, or the largest key's).
func TestTemplateKeyBytes(t *testing.T) {
	acme := WithTenant("acme", Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}})
	e := tenantModelEngine(t, acme, WithStore(nil))
	bodies := append([]string{
		"Call 678 012 4567 now for the offer 1234", // runs found, then refused: a phone-shaped chain
		"Your code is 12345678901234567890, valid 10 minutes",
		"Pay at https://acmebank.de/p/4821 by 10 May",
		strings.Repeat("Your parcel 48213 is on its way. ", 30),
	}, templateBodies...)
	for _, body := range bodies {
		for _, tenant := range []string{"", "ACME", "Strict"} {
			m := Message{Channel: SMS, Kind: Transactional, Sender: "Shop", Recipient: "+4915123456789", Tenant: tenant, Body: body, Time: testNow}
			c := e.newCheck(context.Background(), &m, false)
			if err := c.validate(); err != nil {
				t.Fatal(err)
			}
			want := binary.LittleEndian.AppendUint64(nil, c.p.generation)
			want = binary.LittleEndian.AppendUint64(want, e.reports.generation())
			runs, ok := freeRuns(body, c.p.templateRun)
			masked := ok && len(runs) > 0 && !links.MayHave(body)
			switch {
			case masked:
				want = append(want, keyMasked)
			case tenant == "ACME":
				want = append(want, keyLiteralTenant, 4)
				want = append(want, "acme"...)
			default:
				want = append(want, keyLiteral)
			}
			b := []byte(body)
			if masked {
				for _, r := range runs {
					for k := r[0]; k < r[1]; k++ {
						b[k] = 0xFF
					}
				}
			}
			want = append(want, b...)
			for _, n := range []int{templateKeyHead + len(tenantID(tenant)) + len(body), templateKeyCap} {
				buf := make([]byte, n)
				if got := c.writeTemplateKey(buf); !bytes.Equal(got, want) || c.templateMasked != masked {
					t.Errorf("%q for %q in %d bytes: key %q (masked %v), want %q (masked %v)", body, tenant, n, got, c.templateMasked, want, masked)
				}
			}
			c.release()
		}
	}
}

// TestTemplateKeyTooLong: a tenant id that lower-cases longer than its
// name ("Ⱥ" is two bytes, "ⱥ" three) may leave no room for a long body in
// the largest key: that check does without the template cache (it is
// computed in full) rather than store a cut key, and a body that fits is
// still keyed.
func TestTemplateKeyTooLong(t *testing.T) {
	name := strings.Repeat("Ⱥ", state.MaxFieldLen/2)
	brands := WithTenant(name, Tenant{Brands: []Brand{{Name: "Acme Bank", Country: "DE", Domains: []string{"acmebank.de"}}}})
	e := newEngine(t, brands, WithStore(nil))
	link := "Pay at https://acmebank.de/p/4821 now. "
	long := strings.Repeat(link, maxTemplateBody/len(link)+1)[:maxTemplateBody]
	for _, c := range []struct {
		body string
		fits bool
	}{{long, false}, {link, true}} {
		m := Message{Channel: SMS, Kind: Transactional, Sender: "Shop", Recipient: "+4915123456789", Tenant: name, Body: c.body, Time: testNow}
		ch := e.newCheck(context.Background(), &m, false)
		if err := ch.validate(); err != nil {
			t.Fatal(err)
		}
		if key := ch.writeTemplateKey(make([]byte, templateKeyCap)); (key != nil) != c.fits {
			t.Errorf("%d-byte body for a %d-byte tenant id: key of %d bytes, want one: %v", len(c.body), len(tenantID(name)), len(key), c.fits)
		}
		if ch.templateCache(); ch.hasTemplate != c.fits {
			t.Errorf("%d-byte body: hasTemplate %v, want %v", len(c.body), ch.hasTemplate, c.fits)
		}
		ch.release()
	}
}
