package links

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/publicsuffix"
)

func TestFeedContains(t *testing.T) {
	feed := `# comment
evil.com
www.phish-bank.net   # trailing comment
https://login.hacked-site.org/wp/login.php
victim.weebly.com
user.github.io
http://bit.ly/abc
github.io
203.0.113.7
http://198.51.100.9:8080/x
`
	f, err := LoadFeed(strings.NewReader(feed))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		host string
		want bool
	}{
		{"evil.com", true},
		{"a.b.evil.com", true},
		{"notevil.com", false},
		{"phish-bank.net", true},
		{"secure.phish-bank.net", true},
		{"login.hacked-site.org", true},
		{"hacked-site.org", false}, // a subdomain entry does not condemn its parent
		{"victim.weebly.com", true},
		{"other.weebly.com", false},
		{"weebly.com", false},
		{"user.github.io", true},
		{"x.user.github.io", true},
		{"other.github.io", false},
		{"github.io", false},
		{"bit.ly", false}, // a path on a shortener: never the whole shortener
		{"203.0.113.7", true},
		{"198.51.100.9", true},
		{"203.0.113.8", false},
	}
	for _, tt := range tests {
		if got := f.Contains(tt.host); got != tt.want {
			t.Errorf("Feed.Contains(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
	if got, want := f.Skipped(), 1; got != want {
		t.Errorf("Feed.Skipped() = %d, want %d (github.io)", got, want)
	}
	var nilFeed *Feed
	if nilFeed.Contains("evil.com") || (&Feed{}).Contains("evil.com") || nilFeed.Len() != 0 {
		t.Errorf("nil or zero Feed matched something")
	}
}

func TestFeedURLPrefix(t *testing.T) {
	a := newTestAnalyzer(t, "bit.ly/abc\nhttps://sites.google.com/view/x/\nweebly.com\n")
	tests := []struct {
		body string
		want bool
	}{
		{"bit.ly/abc", true},
		{"https://bit.ly/abc?utm=1", true},
		{"https://BIT.LY/abc/", true},
		{"bit.ly/abcd", false}, // another short code
		{"bit.ly/ABC", false},  // short codes are case-sensitive
		{"bit.ly/xyz", false},  // the rest of the shortener
		{"https://sites.google.com/view/x", true},
		{"https://sites.google.com/view/x/home", true},
		{"https://sites.google.com/view/xy", false},
		{"https://sites.google.com/view/other", false},
		{"https://docs.google.com/view/x", false},
		{"https://mysite.weebly.com/", false}, // the platform line was skipped
	}
	for _, tt := range tests {
		ls := a.Analyze(tt.body)
		if len(ls) != 1 || ls[0].Phishing != tt.want {
			t.Errorf("Analyze(%q) = %+v, want one link with Phishing %v", tt.body, ls, tt.want)
		}
	}
}

func TestLoadFeedRefusesBadLines(t *testing.T) {
	for _, tt := range []struct {
		name, feed string
		line       int
	}{
		{"spaces", "evil.com\nnot a domain\n", 2},
		{"no dot", "evil.com\n\nlocalhost\n", 3},
		{"bad host", "http://exa mple.com/x\n", 1},
		{"punctuation", "evil.com\n\"quoted\".com\n", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFeed(strings.NewReader(tt.feed))
			var le *LineError
			if !errors.As(err, &le) || le.Line != tt.line || !errors.Is(err, ErrNotDomain) {
				t.Fatalf("LoadFeed(%q) error = %v, want a *LineError on line %d", tt.feed, err, tt.line)
			}
		})
	}
	// Ham twin: every kind of valid line loads.
	if _, err := LoadFeed(strings.NewReader("evil.com\nhttps://x.evil.net/a?b\n203.0.113.7\n[2001:db8::1]\nbücher-bank.de\n")); err != nil {
		t.Errorf("LoadFeed(valid lines) = %v", err)
	}
}

func TestReadDomainListRefusesBadLines(t *testing.T) {
	for _, in := range []string{"bit.ly\nhttps://x.com/a\n", "ok.com\nfoo bar\n", "x.com/path\n"} {
		_, err := ReadDomainList(strings.NewReader(in))
		var le *LineError
		if !errors.As(err, &le) {
			t.Errorf("ReadDomainList(%q) error = %v, want a *LineError", in, err)
		}
	}
}

func TestReadDomainList(t *testing.T) {
	got, err := ReadDomainList(strings.NewReader("# head\n\nBit.LY\n tinyurl.com # x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "bit.ly,tinyurl.com" {
		t.Errorf("ReadDomainList = %q, want [bit.ly tinyurl.com]", got)
	}
}

// The generated TLD table must agree with x/net's Public Suffix List copy.
func TestTLDTableMatchesPublicSuffix(t *testing.T) {
	var disagree []string
	for tld := range tlds {
		if strings.IndexFunc(tld, func(r rune) bool { return r >= 0x80 }) >= 0 {
			continue
		}
		if ps, icann := publicsuffix.PublicSuffix(tld); ps != tld || !icann {
			disagree = append(disagree, tld)
		}
	}
	// Wildcard-only TLDs ("*.np", "*.ck") are not suffixes by themselves for
	// x/net, and its copy of the list may be older than the generator's.
	if len(disagree) > len(tlds)/100 {
		t.Errorf("%d TLDs in the table are not ICANN suffixes for x/net: %v", len(disagree), sample(disagree, 20))
	}
	for _, w := range []string{"com", "ir", "xn--p1ai", "рф", "COM", "COm", "World", "XN--P1AI", "ｃｏｍ", "ＣＯＭ", "cＯm", "ｘｎ－－ｐ１ａｉ"} {
		if !isTLD(w) {
			t.Errorf("isTLD(%q) = false, want true", w)
		}
	}
	for _, w := range []string{"docx", "g", "", "c0m", "Docx", "xn-p1ai", "ｄｏｃｘ", "ｃ０ｍ", "c＿om"} {
		if isTLD(w) {
			t.Errorf("isTLD(%q) = true, want false", w)
		}
	}
}

// Adversarial bodies must be handled in linear time.
func TestAnalyzeLongBodies(t *testing.T) {
	a := newTestAnalyzer(t, "")
	for _, body := range []string{
		strings.Repeat("a.", 200000),
		strings.Repeat("http://", 100000),
		strings.Repeat("[1:", 100000),
		strings.Repeat("x.com", 50000),
		strings.Repeat("a.Info?b", 100000), // pathAfter reads a query boundedly
	} {
		start := time.Now()
		a.Analyze(body)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("Analyze(%q...) took %v", body[:20], d)
		}
	}
}
