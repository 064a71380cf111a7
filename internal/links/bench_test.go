package links

import (
	"strings"
	"testing"
)

func BenchmarkAnalyze(b *testing.B) {
	a := newTestAnalyzer(b, "evil-login.com\n")
	cases := []struct{ name, body string }{
		// 160 bytes of ordinary text: the path most messages take.
		{"no-link", "Dear customer, your salary of AED 12,500.00 has been credited to your account. Do not share your OTP 482913 with anyone. Thank you for banking with us today!!!"},
		// Text full of dots that look like links until the TLD test.
		{"no-link-tricky", "Dear customer, your OTP is 482913. Pay AED 1.500 by 22.11.2026, e.g. today. Hello.World! Thanks for banking with us; see you soon at the branch.ok?"},
		{"one-link", "Dear customer, your parcel is on hold. Pay the 1.99 fee at https://dhl-parcel-fee.example.com/track?id=88231 within 24 hours."},
		{"idn", "Уважаемый клиент, подтвердите вход: https://аpple.com/verify или пример.рф/вход до конца дня, иначе аккаунт будет заблокирован."},
		{"shortener", "Win a prize! Claim now at bit.ly/3xYz9Qa before midnight, reply STOP to opt out."},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				a.Analyze(c.body)
			}
		})
	}
}

func BenchmarkNormalizeHost(b *testing.B) {
	for _, h := range []string{"www.example.com", "аpple.com", "xn--binnce-5za.com"} {
		b.Run(h, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(h)))
			for b.Loop() {
				NormalizeHost(h)
			}
		})
	}
}

func BenchmarkFeedContains(b *testing.B) {
	var sb strings.Builder
	for i := range 50000 {
		sb.WriteString("phish")
		sb.WriteString(strings.Repeat("x", i%7))
		sb.WriteByte(byte('a' + i%26))
		sb.WriteString(".example\n")
	}
	f, err := LoadFeed(strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f.Contains("login.secure.account.example.com")
	}
}

// BenchmarkAnalyzeRisk times links that go through every link-risk test:
// the squats of the brand list and a long path.
func BenchmarkAnalyzeRisk(b *testing.B) {
	a := newTestAnalyzer(b, "")
	for _, c := range []struct{ name, body string }{
		{"combosquat", "Your account is locked: https://paypal-secure-login.com/signin/verify?id=88231"},
		{"subdomain", "Pay the toll: http://login.paypal.com.secure-verify.co.uk/x/y"},
		{"typo", "Claim at vvhatsapp.com/gift now"},
		{"plain-long", "Read https://www.example-newspaper.com/2026/11/29/world/some-long-article-title-here?utm_source=sms"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				a.Analyze(c.body)
			}
		})
	}
}

// BenchmarkAnalyzeManyLinks is the worst case without a link cap: 64 KiB of
// distinct links, every one described.
func BenchmarkAnalyzeManyLinks(b *testing.B) {
	a := newTestAnalyzer(b, "")
	var sb strings.Builder
	for i := 0; sb.Len() < 64<<10; i++ {
		sb.WriteString("https://s")
		sb.WriteString(strings.Repeat("x", i%9))
		sb.WriteString(".example.com/a ")
	}
	body := sb.String()
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		a.Analyze(body)
	}
}
