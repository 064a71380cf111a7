package links

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/publicsuffix"
)

func newTestAnalyzer(t testing.TB, feed string) *Analyzer {
	t.Helper()
	f, err := LoadFeed(strings.NewReader(feed))
	if err != nil {
		t.Fatalf("LoadFeed: %v", err)
	}
	a, err := New(Config{Feed: f})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func urls(ls []Link) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.URL)
	}
	return out
}

func TestAnalyzeExtraction(t *testing.T) {
	a := newTestAnalyzer(t, "")
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"https", "Login at https://example.com/a?b=c now", []string{"https://example.com/a?b=c"}},
		{"http upper scheme", "HTTP://EXAMPLE.COM/X", []string{"HTTP://EXAMPLE.COM/X"}},
		{"www", "see www.example.co.uk.", []string{"www.example.co.uk"}},
		{"bare with path", "Pay at x.ir/path today", []string{"x.ir/path"}},
		{"telegram", "Join t.me/freegift", []string{"t.me/freegift"}},
		{"shortener", "Claim: bit.ly/abc123!", []string{"bit.ly/abc123"}},
		{"upper bare", "VISIT BANK.COM NOW", []string{"BANK.COM"}},
		{"ipv4 with scheme", "go http://192.0.2.1/login", []string{"http://192.0.2.1/login"}},
		{"ipv4 bare path", "go 192.0.2.1/login", []string{"192.0.2.1/login"}},
		{"ipv4 bare port", "go 192.0.2.1:8080", []string{"192.0.2.1:8080"}},
		{"ipv6 bracketed", "go [2001:db8::1]/x", []string{"[2001:db8::1]/x"}},
		{"ipv6 with scheme", "go http://[2001:db8::1]:80/x", []string{"http://[2001:db8::1]:80/x"}},
		{"decimal ip", "go http://3221225985/x", []string{"http://3221225985/x"}},
		{"punycode", "go xn--pple-43d.com/login", []string{"xn--pple-43d.com/login"}},
		{"idn", "go bücher.de/angebot", []string{"bücher.de/angebot"}},
		{"cyrillic tld", "сайт пример.рф сегодня", []string{"пример.рф"}},
		// IDNA lower-cases an IDN TLD as DNS does an ASCII one.
		{"cyrillic tld in upper case", "сайт пример.РФ сегодня", []string{"пример.РФ"}},
		{"cyrillic tld in title case", "сайт пример.Рф сегодня", []string{"пример.Рф"}},
		{"greek tld in upper case", "ΔΕΙΤΕ ΠΑΡΆΔΕΙΓΜΑ.ΕΛ ΤΩΡΑ", []string{"ΠΑΡΆΔΕΙΓΜΑ.ΕΛ"}},
		{"cyrillic sentence without a space", "Спасибо.Ждем вас", nil},
		{"ideographic dot", "go example。com/x", []string{"example。com/x"}},
		{"glued to chinese", "请访问example.com获取奖励", []string{"example.com"}},
		{"chinese label after an ascii one", "访问 https://web.安全检测.com/x 吧", []string{"https://web.安全检测.com/x"}},
		{"chinese glued after a host's dot", "点击 https://evil.com.获取奖金 吧", []string{"https://evil.com"}},
		{"chinese glued after a dot, bare", "点击 evil.com.获取奖金", []string{"evil.com"}},
		{"chinese TLD after a dot", "访问 https://example.中国/x 吧", []string{"https://example.中国/x"}},
		{"hangul host with a scheme", "http://고.한국 방문", []string{"http://고.한국"}},
		{"glued to thai", "คลิกexample.com/xรับเงิน", []string{"example.com/x"}},
		{"no space after sentence", "Go to example.com.Thanks", []string{"example.com"}},
		{"parenthesised", "(see https://example.com/a_(b))", []string{"https://example.com/a_(b)"}},
		{"closing paren", "(see example.com/x)", []string{"example.com/x"}},
		{"userinfo", "https://paypal.com@evil.example/x", []string{"https://paypal.com@evil.example/x"}},
		{"two links", "a.com and https://b.org/x", []string{"a.com", "https://b.org/x"}},
		{"quoted", `"example.com/x"`, []string{"example.com/x"}},
		{"hyphen hosts", "https://www--wellsfargo--com--le49.wsipv6.com", []string{"https://www--wellsfargo--com--le49.wsipv6.com"}},

		// Ham twins: ordinary text that must not become a link.
		{"capitalised word after dot", "Hello.World how are you", nil},
		{"decimal", "It costs 3.5 now", nil},
		{"amount", "Pay AED 1.500 today", nil},
		{"eg", "fruit, e.g. apples", nil},
		{"us", "made in the U.S. by us", nil},
		{"version", "update to 1.2.3.4 today", nil},
		{"date", "on 22.11.2026 at 10.30", nil},
		{"email", "write to john.smith@example.com", nil},
		{"unknown tld", "see file.docx or main.go2", nil},
		{"unknown scheme keeps the host", "javascript://example.com", []string{"example.com"}},
		{"missing space ccTLD word", "see you in 2 days.so call me", nil},
		{"missing space gTLD word", "I am at home.love you", nil},
		{"machine-made name on a word ccTLD", "Hi juytrplmwsaqz.us", []string{"juytrplmwsaqz.us"}},
		{"digits between letters on a word ccTLD", "Hi poelacnewu33sdf.us", []string{"poelacnewu33sdf.us"}},
		{"missing space after a long word, word ccTLD", "thanks for the message.it was great", nil},
		{"missing space after a number, word ccTLD", "call me at 12345678.so sorry", nil},
		{"word TLD with www", "www.home.love", []string{"www.home.love"}},
		{"word TLD with path", "home.love/x", []string{"home.love/x"}},
		{"bare ccTLD", "verify at sbi-kyc.in now", []string{"sbi-kyc.in"}},
		{"single slash scheme", "go http:/bit.do/Claim-Tax", []string{"bit.do/Claim-Tax"}},
		{"glued scheme", "experiencehttp://www.vouch4me.com/x", []string{"http://www.vouch4me.com/x"}},
		{"and/or", "this and/or.com that", nil},

		// A TLD in another case is a TLD: a sender must not pick laxer
		// rules by the case of a host. Each has its twin, the missing
		// space after a full stop that the title case alone marks.
		{"mixed-case TLD with a path", "update at usps-redelivery.COm/track", []string{"usps-redelivery.COm/track"}},
		{"mixed-case TLD, bare", "update at usps-redelivery.cOM", []string{"usps-redelivery.cOM"}},
		{"last letter upper", "go YR431.coM/KDO0JQ9", []string{"YR431.coM/KDO0JQ9"}},
		{"mixed-case word TLD, bare", "win at prize-draw.iNfo", []string{"prize-draw.iNfo"}},
		{"title-case com after a subdomain", "visit shop.example.Com today", []string{"shop.example.Com"}},
		{"title-case com", "update at Usps-Redelivery.Com", []string{"Usps-Redelivery.Com"}},
		{"title-case com after lower case", "update at usps-redelivery.Com.", []string{"usps-redelivery.Com"}},
		{"title-case org", "Login at Example.Org now", []string{"Example.Org"}},
		{"title-case with www", "see www.Usps-Redelivery.Com", []string{"www.Usps-Redelivery.Com"}},
		{"title-case word TLD with www", "see www.Usps-Redelivery.Info", []string{"www.Usps-Redelivery.Info"}},
		{"title-case word TLD with a path", "track at Usps-Redelivery.Info/track", []string{"Usps-Redelivery.Info/track"}},
		{"title-case word TLD with a port and path", "track at usps-redelivery.Info:8443/x", []string{"usps-redelivery.Info:8443/x"}},
		{"title-case word TLD after two labels", "pay at secure.usps-redelivery.Click now", []string{"secure.usps-redelivery.Click"}},
		{"title-case ccTLD after two labels", "visit shop.example.Ir today", []string{"shop.example.Ir"}},
		// A country's second level ("co.uk", "com.br") is no sentence's
		// word before a country code: the host is the whole run, as the
		// browser opens it, and no case of it is no link.
		{"title-case second level and ccTLD", "login at Paypal-Login.Co.Uk now", []string{"Paypal-Login.Co.Uk"}},
		{"second level, title-case ccTLD", "login at paypal-login.co.Uk now", []string{"paypal-login.co.Uk"}},
		{"title-case second level, Indonesia", "verifikasi Bri-Login.Co.Id sekarang", []string{"Bri-Login.Co.Id"}},
		{"title-case com and ccTLD", "acesse santander.Com.Br hoje", []string{"santander.Com.Br"}},
		{"second level after a short label is a sentence", "see e.g.Co.Uk", nil},
		{"second level after a host is the next sentence", "example.com.Go on", []string{"example.com"}},
		{"no country second level after a host", "example.com.It was great", []string{"example.com"}},
		{"no space after a sentence, lower case", "thanks.Click here", nil},
		{"no space after a sentence, title case", "Your parcel is waiting.Thanks.Click here", nil},
		{"no space after a sentence, then a colon", "Your order shipped.Info: call us", nil},
		{"no space after a sentence, then a short code", "gadget Anda.Info:123", nil},
		// A path marks a host as it does in lower case ("ready.click/tap"),
		// even where a sentence went on with a slash.
		{"no space after a sentence, then a slash", "Your order is ready.Click/tap below", []string{"ready.Click/tap"}},
		// A query or fragment marks a host as a path does: the lower-case
		// "usps-redelivery.info?id=5" is a link, so its title case must be.
		{"title-case word TLD with a query", "track at usps-redelivery.Info?id=5 now", []string{"usps-redelivery.Info?id=5"}},
		{"title-case word TLD with a port and query", "track at usps-redelivery.Click:8443?t=1", []string{"usps-redelivery.Click:8443?t=1"}},
		{"title-case word TLD with a fragment route", "track at usps-redelivery.Info#/login", []string{"usps-redelivery.Info#/login"}},
		{"no space after a sentence, then a question", "Need more.Info? Call us", nil},
		{"no space after a sentence, then a question, no space", "Need more.Info?Call us", nil},
		{"no space after a sentence, then a hash tag", "Join us.Click#win today", nil},
		{"no space after a hyphenated word", "Connect to Wi-Fi.Info at the desk", nil},
		{"no space after a host", "example.com.Live music tonight", []string{"example.com"}},
		// A run longer than any DNS name still starts with a host: a phone
		// links "usps-redelivery.com" with a long run glued after it.
		{"host before a run longer than a DNS name", "go usps-redelivery.com." + strings.Repeat("a", 260) + " now", []string{"usps-redelivery.com"}},
		{"host before a long dotted run", "go usps-redelivery.com" + strings.Repeat(".aaaa", 60), []string{"usps-redelivery.com"}},
		{"long run of sentence words", strings.Repeat("Thanks.", 50), nil},
		{"long run of one label", "go " + strings.Repeat("a", 300) + ".com", nil},
		{"trailing dot before a slash", "see ready.Info./tap", nil},
		// A hyphen glued after a TLD ends the host, as a phone links it.
		// A mistyped scheme marks a host as "www." does.
		{"title-case word TLD after a mistyped scheme", "go http:/usps-redelivery.Info now", []string{"usps-redelivery.Info"}},
		{"title-case word TLD after a scheme without its colon", "go http//usps-redelivery.Click now", []string{"usps-redelivery.Click"}},
		{"slash before a sentence", "and/or.Info desk", nil},
		{"hyphen glued after a TLD", "visit usps-redelivery.com-now", []string{"usps-redelivery.com"}},
		{"hyphen glued after a title-case com", "visit usps-redelivery.Com-today", []string{"usps-redelivery.Com"}},
		{"hyphen glued after a second level", "visit shop.co.uk-now", []string{"shop.co.uk"}},
		{"hyphen inside an A-label TLD", "go example.xn--p1ai-x", nil},
		{"hyphen after a sentence", "thanks.Info-desk opens", nil},
		{"hyphen after a word ccTLD", "thanks.so-called deal", nil},
		{"no space after a host, title-case com", "example.com.Com", []string{"example.com"}},
		{"title after initials", "Prof.Dr.Ir.Yonny Koesmaryono", nil},
		{"title after an initial", "Direktur M.Si hubungi kami", nil},
		{"title after an abbreviation", "dari PT.Bank Rakyat", nil},
		{"title after a.m.", "at 10 a.m.In case you are late", nil},
		// Fullwidth ASCII is the ASCII it stands for (IDNA maps it): a
		// browser opens "example.ｃｏｍ" as example.com.
		{"fullwidth TLD", "visit example.ＣＯＭ today", []string{"example.ＣＯＭ"}},
		{"fullwidth host and dot", "visit ｅｘａｍｐｌｅ．ｃｏｍ today", []string{"ｅｘａｍｐｌｅ．ｃｏｍ"}},
		{"one fullwidth letter in the TLD", "visit example.cＯm today", []string{"example.cＯm"}},
		{"fullwidth word ccTLD, bare", "thanks.ｓｏ see you", nil},
		{"fullwidth letters that are no TLD", "ｈｅｌｌｏ．ｗｏｒｌｄｘ", nil},
		{"plain", "Your code is 482913", nil},
		{"empty", "", nil},
		{"ellipsis", "wait... ok", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := urls(a.Analyze(tt.body))
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Analyze(%q) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestAnalyzeFields(t *testing.T) {
	a := newTestAnalyzer(t, "evil-login.com\nvictim.github.io\n")
	tests := []struct {
		name string
		body string
		want Link
	}{
		{"plain", "https://Support.Apple.com/x", Link{URL: "https://Support.Apple.com/x", Host: "support.apple.com", UnicodeHost: "support.apple.com", Domain: "apple.com"}},
		{"userinfo", "https://paypal.com@evil.example/x", Link{URL: "https://paypal.com@evil.example/x", Host: "evil.example", UnicodeHost: "evil.example", Domain: "evil.example", Userinfo: true}},
		{"ip", "http://192.0.2.1/login", Link{URL: "http://192.0.2.1/login", Host: "192.0.2.1", UnicodeHost: "192.0.2.1", Domain: "192.0.2.1", IPLiteral: true}},
		{"ipv6", "[2001:DB8::1]", Link{URL: "[2001:DB8::1]", Host: "2001:db8::1", UnicodeHost: "2001:db8::1", Domain: "2001:db8::1", IPLiteral: true}},
		{"shortener", "bit.ly/abc", Link{URL: "bit.ly/abc", Host: "bit.ly", UnicodeHost: "bit.ly", Domain: "bit.ly", Shortener: true, Risk: Risk{TLDCountry: "ly"}}},
		{"regional shortener", "tiny.jio.com/x", Link{URL: "tiny.jio.com/x", Host: "tiny.jio.com", UnicodeHost: "tiny.jio.com", Domain: "jio.com", Shortener: true}},
		{"not a shortener", "www.jio.com/x", Link{URL: "www.jio.com/x", Host: "www.jio.com", UnicodeHost: "www.jio.com", Domain: "jio.com"}},
		{"cyrillic a homograph", "https://аpple.com/id", Link{URL: "https://аpple.com/id", Host: "xn--pple-43d.com", UnicodeHost: "аpple.com", Domain: "xn--pple-43d.com", Punycode: true, MixedScript: true, HomographOf: "apple.com", Risk: Risk{ASCIILookalike: true, Scripts: []string{"Cyrillic"}}}},
		{"digit homograph", "paypa1-secure.com/login", Link{URL: "paypa1-secure.com/login", Host: "paypa1-secure.com", UnicodeHost: "paypa1-secure.com", Domain: "paypa1-secure.com", HomographOf: "paypal.com", Risk: Risk{CredentialPath: true}}},
		{"diacritic homograph", "xn--binnce-5za.com", Link{URL: "xn--binnce-5za.com", Host: "xn--binnce-5za.com", UnicodeHost: "binānce.com", Domain: "xn--binnce-5za.com", Punycode: true, HomographOf: "binance.com", Risk: Risk{ASCIILookalike: true, Scripts: []string{"Latin"}}}},
		{"rn for m", "arnazon.com/x", Link{URL: "arnazon.com/x", Host: "arnazon.com", UnicodeHost: "arnazon.com", Domain: "arnazon.com", HomographOf: "amazon.com"}},
		{"brand itself", "apple.com", Link{URL: "apple.com", Host: "apple.com", UnicodeHost: "apple.com", Domain: "apple.com"}},
		{"brand in a longer word", "applebees.com", Link{URL: "applebees.com", Host: "applebees.com", UnicodeHost: "applebees.com", Domain: "applebees.com"}},
		{"brand with a lure word", "paypal-secure.com", Link{URL: "paypal-secure.com", Host: "paypal-secure.com", UnicodeHost: "paypal-secure.com", Domain: "paypal-secure.com", Risk: Risk{BrandOf: "paypal.com", Combosquat: true}}},
		{"feed registrable", "https://login.evil-login.com/x", Link{URL: "https://login.evil-login.com/x", Host: "login.evil-login.com", UnicodeHost: "login.evil-login.com", Domain: "evil-login.com", Phishing: true}},
		{"feed shared host", "https://victim.github.io/x", Link{URL: "https://victim.github.io/x", Host: "victim.github.io", UnicodeHost: "victim.github.io", Domain: "victim.github.io", Phishing: true, Risk: Risk{FreeHosting: true, TLDCountry: "io"}}},
		{"feed shared host twin", "https://someone.github.io/x", Link{URL: "https://someone.github.io/x", Host: "someone.github.io", UnicodeHost: "someone.github.io", Domain: "someone.github.io", Risk: Risk{FreeHosting: true, TLDCountry: "io"}}},
		{"japanese mix is not mixed", "https://ドメイン名例.jp", Link{URL: "https://ドメイン名例.jp", Host: "xn--eckwd4c7cu47r2wf.jp", UnicodeHost: "ドメイン名例.jp", Domain: "xn--eckwd4c7cu47r2wf.jp", Punycode: true, Risk: Risk{Scripts: []string{"Han", "Katakana"}, TLDCountry: "jp"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := a.Analyze(tt.body)
			if len(got) != 1 {
				t.Fatalf("Analyze(%q) = %+v, want one link", tt.body, got)
			}
			if !reflect.DeepEqual(got[0], tt.want) {
				t.Errorf("Analyze(%q) =\n %+v\nwant\n %+v", tt.body, got[0], tt.want)
			}
		})
	}
}

func TestHomographOf(t *testing.T) {
	a := newTestAnalyzer(t, "")
	tests := []struct{ body, want string }{
		{"https://xn--cenla-6ua.com", ""}, // "cūenta"-like, no brand
		{"https://cūenta-nētflix.tāblerō.com/x", "netflix.com"},
		{"https://netflix.account-check.com/x", ""}, // brand spelled literally in a subdomain
		{"https://goógłe.com", "google.com"},
		{"https://g00gle.com", "google.com"},
		{"https://google.com.evil.com", ""},
		{"https://faceb00kphoto.filesusr.com", "facebook.com"},
		{"https://rnicrosoft-support.com", "microsoft.com"},
		{"https://support.microsoft.com", ""},
		{"https://ups-tracking.com", ""},
		{"https://groups.io", ""},
		{"https://0ups.com", ""}, // short brands only match a whole label
		{"https://dh1.com", "dhl.com"},
		{"https://scb.co.th", ""},
	}
	for _, tt := range tests {
		ls := a.Analyze(tt.body)
		if len(ls) != 1 {
			t.Fatalf("Analyze(%q) = %+v, want one link", tt.body, ls)
		}
		if got := ls[0].HomographOf; got != tt.want {
			t.Errorf("Analyze(%q).HomographOf = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestAnalyzeNoLinkAllocs(t *testing.T) {
	a := newTestAnalyzer(t, "")
	body := "Hello.World! Your OTP is 482913. Pay AED 1.500 by 22.11.2026, e.g. today. Thanks for banking with us, see you soon at the branch."
	if got := a.Analyze(body); got != nil {
		t.Fatalf("Analyze(%q) = %v, want nil", body, got)
	}
	if n := testing.AllocsPerRun(100, func() { a.Analyze(body) }); n != 0 {
		t.Errorf("Analyze(no link) allocs = %v, want 0", n)
	}
}

func TestZeroAnalyzer(t *testing.T) {
	var a Analyzer
	got := a.Analyze("bit.ly/x and аpple.com")
	if len(got) != 2 || got[0].Shortener || got[1].HomographOf != "" {
		t.Errorf("zero Analyzer.Analyze = %+v, want two plain links", got)
	}
}

func TestNewRejectsBadEntries(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
	}{
		{"shortener", Config{Shorteners: []string{"bad host!"}}},
		{"brand not registrable", Config{Brands: []Brand{{Name: "X", Domains: []string{"co.uk"}}}}},
		{"brand subdomain", Config{Brands: []Brand{{Name: "PayPal", Domains: []string{"www.paypal.com"}}}}},
		{"brand without domain", Config{Brands: []Brand{{Name: "PayPal"}}}},
		{"brand bad token", Config{Brands: []Brand{{Name: "PayPal", Domains: []string{"paypal.com"}, Tokens: []string{"Pay Pal"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(tt.cfg); err == nil {
				t.Errorf("New(%+v) error = nil, want ErrBadDomain", tt.cfg)
			}
		})
	}
}

// TestGluedAfterDotDomain: text of a script written without spaces glued
// after a host's dot is not a label, so the feed finds the domain; a
// Chinese TLD stays one.
func TestGluedAfterDotDomain(t *testing.T) {
	a := newTestAnalyzer(t, "evil-login.com\n")
	for _, tc := range []struct {
		name, body, domain string
		phishing           bool
	}{
		{"glued chinese", "点击 https://evil-login.com.获取奖金", "evil-login.com", true},
		{"glued japanese", "https://evil-login.com.こちらへ", "evil-login.com", true},
		{"chinese tld", "https://evil-login.中国/x", "evil-login.中国", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ls := a.Analyze(tc.body)
			if len(ls) != 1 {
				t.Fatalf("Analyze(%q) = %d links, want 1", tc.body, len(ls))
			}
			if ls[0].Domain != tc.domain && ls[0].UnicodeHost != tc.domain || ls[0].Phishing != tc.phishing {
				t.Errorf("Analyze(%q): domain %q (unicode host %q), phishing %v; want %q, %v", tc.body, ls[0].Domain, ls[0].UnicodeHost, ls[0].Phishing, tc.domain, tc.phishing)
			}
		})
	}
}

// TestRegistrableDomain: the registrable domain from the public suffix
// Analyze looks up once is publicsuffix.EffectiveTLDPlusOne's, or the host
// itself where that fails (an IP literal, a public suffix, an empty label).
func TestRegistrableDomain(t *testing.T) {
	for _, c := range []struct{ name, host, want string }{
		{"plain", "www.example.com", "example.com"},
		{"two-label suffix", "login.example.co.uk", "example.co.uk"},
		{"private section", "evil.blogspot.com", "evil.blogspot.com"},
		{"wildcard rule", "a.b.kawasaki.jp", "a.b.kawasaki.jp"},
		{"exception rule", "a.www.ck", "www.ck"},
		{"public suffix", "co.uk", "co.uk"},
		{"tld", "com", "com"},
		{"unlisted tld", "host.localdomain", "host.localdomain"},
		{"punycode", "xn--pple-43d.com", "xn--pple-43d.com"},
		{"ipv4", "192.0.2.1", "192.0.2.1"},
		{"ipv6", "2001:db8::1", "2001:db8::1"},
		{"leading dot", ".example.com", ".example.com"},
		{"trailing dot", "example.com.", "example.com."},
		{"empty label", "a..example.com", "a..example.com"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := RegistrableDomain(c.host)
			if got != c.want {
				t.Errorf("RegistrableDomain(%q) = %q, want %q", c.host, got, c.want)
			}
			if _, ip := parseIP(c.host); !ip && c.host != "" {
				ref, err := publicsuffix.EffectiveTLDPlusOne(c.host)
				if err != nil {
					ref = c.host
				}
				if got != ref {
					t.Errorf("RegistrableDomain(%q) = %q, EffectiveTLDPlusOne gives %q", c.host, got, ref)
				}
			}
		})
	}
}

// mayHaveCases are bodies with and without links, among them the shapes
// the scanner refuses (a full stop before a number, a bare "word.word", an
// e-mail address): MayHave is false only where Analyze finds nothing.
var mayHaveCases = []struct {
	name, body string
	want       bool
}{
	{"empty", "", false},
	{"otp", "Your code is 482913. Valid for 5 min. Do not share it.", false},
	{"amount with a dot", "Rs.500.00 credited to a/c XX1234 on 12.03.2026: ref 99812.", false},
	{"missing space", "See you in 3 days.so call me", false},
	{"word dot word", "Hello.World", false},
	{"email", "write to help@example.com today", false},
	{"version", "update to v1.2.3 now", false},
	{"time", "at 10:30 call", false},
	{"scheme", "see https://example.com/x", true},
	{"bare domain", "visit example.com today", true},
	{"shortener path", "bit.ly/3xYz", true},
	{"ipv4 path", "go to 192.0.2.1/login", true},
	{"ipv6", "go [2001:db8::1]/x", true},
	{"ideographic dot", "请访问example。com获取", true},
	{"www", "www.example.so", true},
}

func TestMayHave(t *testing.T) {
	a, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range mayHaveCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := MayHave(tc.body); got != tc.want {
				t.Errorf("MayHave(%q) = %v, want %v", tc.body, got, tc.want)
			}
			if got := len(a.Analyze(tc.body)) > 0; got != tc.want {
				t.Errorf("Analyze(%q) found a link: %v, want %v (the case is mislabelled)", tc.body, got, tc.want)
			}
		})
	}
}

// quiet stops at the first trigger byte when it is in a whole word, else
// at the start of the tail shorter than a word, and skips none: bytes of
// every kind at every offset and alignment.
func TestQuietSkipsNoTrigger(t *testing.T) {
	alphabet := []byte{'a', 'Z', '0', ' ', '/', '-', 0x80, 0xE2, 0xE4, 0xEE, 0xF0, 0xFF, '.' - 1, '.' + 1, ':' + 1, '[' - 1, 0}
	triggers := []byte{'.', ':', '[', 0xE3, 0xEF}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		b := make([]byte, r.IntN(40))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		if len(b) > 0 && r.IntN(2) == 0 {
			b[r.IntN(len(b))] = triggers[r.IntN(len(triggers))]
		}
		s := string(b)
		for i := 0; i <= len(s); i++ {
			j := quiet(s, i)
			first := len(s) // first trigger at or after i
			for k := i; k < len(s); k++ {
				if trigger[s[k]] {
					first = k
					break
				}
			}
			if j < i || j > first || j != first && ((j-i)%8 != 0 || j+8 <= len(s)) {
				t.Fatalf("quiet(%q, %d) = %d; first trigger at %d", s, i, j, first)
			}
		}
	}
}

// TestNumberDotsAsSchemeless: wherever numberDots answers for a dot,
// schemeless answers the same (no link, resuming at the same end), on
// random strings of digits, dots, letters, the separators around hosts,
// paths, ports, e-mail's '@' and another script; and it answers for the
// amounts and versions it is there for.
func TestNumberDotsAsSchemeless(t *testing.T) {
	alphabet := []string{"0", "1", "9", ".", ".", "a", "Z", "-", "_", "/", ":", "@", " ", "$", ",", "é", "\\", "\u3002", "www", "com", "x.co"}
	r := rand.New(rand.NewPCG(13, 4))
	answered := 0
	check := func(s string) {
		t.Helper()
		for dot := 1; dot+1 < len(s); dot++ {
			if s[dot] != '.' {
				continue
			}
			end, ok := numberDots(s, dot)
			if !ok {
				continue
			}
			answered++
			if sp, wantEnd, found := schemeless(s, dot, 1); found || wantEnd != end {
				t.Fatalf("numberDots(%q, %d) = %d, no link; schemeless %+v, %d, %v", s, dot, end, sp, wantEnd, found)
			}
		}
	}
	for _, s := range []string{"a charge of $4901.35 was made", "4901.35 TL harcama", "version 1.2.3 is out", "1.2.3.4 is not a link", "at 10.30."} {
		before := answered
		check(s)
		if answered == before {
			t.Errorf("numberDots does not answer for %q", s)
		}
	}
	// IPv4 literals with a path or a port are links: numberDots must leave
	// them to schemeless.
	for _, s := range []string{"see 10.0.0.1/login now", "via 192.168.1.1:8080 today", "1.2.3.4/x"} {
		check(s)
	}
	for range 200000 {
		var b strings.Builder
		for n := 2 + r.IntN(14); n > 0; n-- {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		check(b.String())
	}
	t.Logf("%d dots answered", answered)
}
