package links

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"", "Hello.World", "see https://paypal.com@evil.example/x", "go [2001:db8::1]/x",
		"请访问example.com获取", "https://evil.com.获取奖金/x", "example。com", "http://", "a..com", "x.com.", "[::1", "https://[",
		"xn--pple-43d.com/login", "1.2.3.4:", "http://@/", "((example.com))", ".com", "www.\u0301.com",
		"paypaI.com", "appıe.com", "login.paypal.com.secure-verify.co.uk/x", "vvhatsapp.com", "a-b-c-d.duckdns.org/login",
		"U.S. Bank: verify at cardcheck.info/a", "A m a z o n bit.ly/x", "กสิกรไทย bit.ly/x kbank.co/y",
		"update at usps-redelivery.COm/track", "visit shop.example.Com today", "see www.Usps-Redelivery.Info",
		"thanks.Click here", "example.com.Live music tonight", "Prof.Dr.Ir.Yonny", "x.Info:8443/y", "Anda.Info:123",
		"waiting.Thanks.Click", ".Com", "a.Com", "xn--p1ai.Ir/x", "WWW.x.Info",
		"x.Info?id=5", "Paypal-Login.Co.Uk", "bt.co.Uk", "пример.РФ", "x.İİ", "usps.com-now", "http:/x.Info", "Prof.Dr.Ir", "Need more.Info?Call", "a.Click#/x", "example.ＣＯＭ", "ｅｘａｍｐｌｅ．ｃｏｍ/x", "example.cＯm", "thanks.ｓｏ", "x.ｘｎ－－ｐ１ａｉ", "x.\uff01\uff5e",
	} {
		f.Add(s)
	}
	a, err := New(Config{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		ls := a.Analyze(body)
		if len(ls) > len(body) {
			t.Fatalf("Analyze(%q) found %d links in %d bytes", body, len(ls), len(body))
		}
		for _, l := range ls {
			if l.URL == "" || !strings.Contains(body, l.URL) {
				t.Errorf("Analyze(%q): url %q is not a substring of the body", body, l.URL)
			}
			if l.Host == "" {
				t.Errorf("Analyze(%q): empty host for %q", body, l.URL)
			}
			if !l.IPLiteral {
				// The domain from the suffix looked up once is the library's
				// eTLD+1, or the host where there is none.
				want, err := publicsuffix.EffectiveTLDPlusOne(l.Host)
				if err != nil {
					want = l.Host
				}
				if l.Domain != want {
					t.Errorf("Analyze(%q): domain of %q = %q, want %q", body, l.Host, l.Domain, want)
				}
			}
			for _, s := range []string{l.Host, l.UnicodeHost, l.Domain, l.HomographOf} {
				if !utf8.ValidString(s) {
					t.Errorf("Analyze(%q): invalid UTF-8 %q", body, s)
				}
			}
			if l.Risk.BrandInText && l.Risk.BrandOf == "" {
				t.Errorf("Analyze(%q): BrandInText without BrandOf for %q", body, l.URL)
			}
			if l.Host != strings.ToLower(l.Host) {
				t.Errorf("Analyze(%q): host %q is not lower case", body, l.Host)
			}
			if !l.IPLiteral && !strings.HasSuffix(l.Host, l.Domain) {
				t.Errorf("Analyze(%q): domain %q is not a suffix of host %q", body, l.Domain, l.Host)
			}
		}
		if again := a.Analyze(body); len(again) != len(ls) {
			t.Errorf("Analyze(%q) is not deterministic: %d then %d links", body, len(ls), len(again))
		}
	})
}

func FuzzNormalizeHost(f *testing.F) {
	for _, s := range []string{"example.com", "EXAMPLE.COM.", "аpple.com", "xn--binnce-5za.com", "[2001:db8::1]",
		"bücher。de", "xn--", "a..b", "-a.com", "１２３.com", "\u200d.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ascii, uni, err := NormalizeHost(s)
		if err != nil {
			return
		}
		if !utf8.ValidString(uni) {
			t.Errorf("NormalizeHost(%q) unicode = %q, invalid UTF-8", s, uni)
		}
		for i := 0; i < len(ascii); i++ {
			if ascii[i] >= utf8.RuneSelf || (ascii[i] >= 'A' && ascii[i] <= 'Z') {
				t.Fatalf("NormalizeHost(%q) ascii = %q, want lower-case ASCII", s, ascii)
			}
		}
		// Without a punycode label the Unicode form is the ASCII one
		// unconverted: it must be what the IDNA profile gives. (An IP
		// literal is in neither form.)
		if _, ip := parseIP(ascii); !ip {
			if u, err := profile.ToUnicode(ascii); err != nil || u != uni {
				t.Errorf("NormalizeHost(%q) unicode = %q; ToUnicode of %q = %q, %v", s, uni, ascii, u, err)
			}
		}
		// Normalizing the result again must be a no-op.
		a2, u2, err := NormalizeHost(ascii)
		if err != nil || a2 != ascii || u2 != uni {
			t.Errorf("NormalizeHost(%q) = %q, %q, %v; want %q, %q (idempotent)", ascii, a2, u2, err, ascii, uni)
		}
	})
}

// FuzzLoadFeed: any input loads or gives an error, never a panic, and a
// loaded feed answers for any host and path.
func FuzzLoadFeed(f *testing.F) {
	for _, s := range []string{"evil.com\nbit.ly/abc\n", "sites.google.com/view/x/\n203.0.113.7\n", "not a domain", "&;\n[::1]\n", "github.io"} {
		f.Add(s, "bit.ly", "/abc")
	}
	f.Fuzz(func(t *testing.T, feed, host, path string) {
		fd, err := LoadFeed(strings.NewReader(feed))
		if err != nil {
			return
		}
		fd.match(host, path)
		fd.Contains(host)
	})
}

// FuzzMayHave checks that MayHave is a superset of Analyze: a body it
// rules out has no link for any analyzer, the brands' included.
func FuzzMayHave(f *testing.F) {
	for _, s := range mayHaveCases {
		f.Add(s.body)
	}
	a, err := New(Config{Shorteners: []string{"go.example"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if ls := a.Analyze(body); len(ls) > 0 && !MayHave(body) {
			t.Fatalf("MayHave(%q) = false, but Analyze found %q", body, ls[0].URL)
		}
	})
}
