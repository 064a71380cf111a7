package links

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
)

// Link describes one link found in a message body. It is part of the policy
// input document: the JSON names are stable.
type Link struct {
	// URL is the link exactly as written in the body (a substring of it).
	URL string `json:"url"`
	// Host is the IDNA ASCII form, lower case; IP literals in canonical form.
	Host string `json:"host"`
	// UnicodeHost is Host with punycode labels decoded.
	UnicodeHost string `json:"unicode_host"`
	// Domain is the registrable domain (eTLD+1, ASCII) or, for an IP literal
	// or a bare public suffix, the host itself.
	Domain string `json:"domain"`
	// IPLiteral is set when the host is an IPv4 or IPv6 address, including
	// the numeric forms browsers read as IPv4 ("http://3221225985/").
	IPLiteral bool `json:"ip_literal"`
	// Shortener is set when the host is, or is below, a URL shortener.
	Shortener bool `json:"shortener"`
	// Punycode is set when any label of Host starts with "xn--".
	Punycode bool `json:"punycode"`
	// MixedScript is set when one label mixes scripts, such as Latin and
	// Cyrillic, other than the mixes Japanese, Chinese and Korean use.
	MixedScript bool `json:"mixed_script"`
	// Userinfo is set when the link carries a user name before '@', as in
	// "https://paypal.com@evil.example"; Host is then the real host.
	Userinfo bool `json:"userinfo"`
	// HomographOf is the protected brand domain the link imitates, or "".
	HomographOf string `json:"homograph_of"`
	// Phishing is set when the host is on the configured phishing feed.
	Phishing bool `json:"phishing"`
}

// ErrBadDomain reports an entry of a shortener or brand list that is not a
// usable domain name.
var ErrBadDomain = errors.New("links: bad domain")

// Config holds the data an Analyzer is built from. The zero Config gives the
// built-in shortener and brand lists and no phishing feed.
type Config struct {
	// Shorteners are added to the built-in list (see ReadDomainList to load
	// them from a file): a host matches when it is an entry or below one.
	Shorteners []string
	// NoBuiltinShorteners drops the built-in shortener list.
	NoBuiltinShorteners bool
	// Brands replaces the built-in protected brand list when non-nil. Each
	// entry must be a registrable domain ("paypal.com", "scb.co.th").
	Brands []string
	// Feed is the phishing feed; nil flags nothing.
	Feed *Feed
}

//go:embed data/shorteners.txt
var builtinShorteners string

//go:embed data/brands.txt
var builtinBrands string

// BuiltinShorteners returns a copy of the built-in shortener list.
func BuiltinShorteners() []string { return mustList(builtinShorteners) }

// BuiltinBrands returns a copy of the built-in protected brand list.
func BuiltinBrands() []string { return mustList(builtinBrands) }

func mustList(s string) []string {
	l, err := ReadDomainList(strings.NewReader(s))
	if err != nil {
		panic("links: embedded list: " + err.Error()) // embedded data is tested
	}
	return l
}

// Analyzer finds and describes links. Build one with New at load time; it is
// immutable afterwards and safe for concurrent use. The zero Analyzer finds
// links but knows no shortener, brand or phishing domain.
type Analyzer struct {
	shorteners map[string]struct{}
	brands     *brandIndex
	feed       *Feed
}

// New builds an Analyzer: it normalizes the shortener list and computes the
// confusable skeleton of every brand, so Analyze only looks things up.
func New(cfg Config) (*Analyzer, error) {
	a := &Analyzer{shorteners: map[string]struct{}{}, feed: cfg.Feed}
	var short []string
	if !cfg.NoBuiltinShorteners {
		short = BuiltinShorteners()
	}
	for _, s := range append(short, cfg.Shorteners...) {
		h, _, err := NormalizeHost(s)
		if err != nil {
			return nil, fmt.Errorf("%w: shortener %q: %w", ErrBadDomain, s, err)
		}
		a.shorteners[h] = struct{}{}
	}
	brands := cfg.Brands
	if brands == nil {
		brands = BuiltinBrands()
	}
	b, err := newBrandIndex(brands)
	if err != nil {
		return nil, err
	}
	a.brands = b
	return a, nil
}

// WithFeed returns a copy of a that checks links against f. It shares every
// other table with a, so swapping a reloaded feed costs one allocation.
func (a *Analyzer) WithFeed(f *Feed) *Analyzer {
	c := *a
	c.feed = f
	return &c
}

// Analyze returns the links in body in order of appearance, or nil when there
// are none. A body without a link candidate costs one byte scan and no
// allocation. Analyze never panics, whatever the input.
func (a *Analyzer) Analyze(body string) []Link {
	var out []Link
	for i := 0; i < len(body) && len(out) < MaxLinks; {
		sp, end, ok := next(body, i)
		if !ok {
			break
		}
		if end <= i {
			end = i + 1
		}
		i = end
		if l, ok := a.describe(body, sp); ok {
			out = append(out, l)
		}
	}
	return out
}

// MaxLinks bounds the links Analyze reports for one body: describing a link
// costs microseconds, and a 64 KiB body of nothing but links would otherwise
// cost tens of milliseconds. Rules need a link's presence and its worst
// flags; a body with more links than this is unusual enough to judge on the
// first ones.
const MaxLinks = 64

func (a *Analyzer) describe(body string, sp span) (Link, bool) {
	ascii, uni, err := normalizeLenient(body[sp.hostStart:sp.hostEnd])
	if err != nil {
		return Link{}, false
	}
	l := Link{
		URL:         body[sp.start:sp.end],
		Host:        ascii,
		UnicodeHost: uni,
		Userinfo:    sp.userinfo,
	}
	if _, ok := parseIP(ascii); ok || sp.numeric {
		l.IPLiteral = true
		l.Domain = ascii
	} else {
		l.Domain = RegistrableDomain(ascii)
		l.Punycode = strings.HasPrefix(ascii, "xn--") || strings.Contains(ascii, ".xn--")
		l.MixedScript = mixedScript(uni)
		l.Shortener = a.isShortener(ascii)
		if a.brands != nil {
			l.HomographOf = a.brands.match(ascii, l.Domain)
		}
	}
	l.Phishing = a.feed.Contains(ascii)
	return l, true
}

func (a *Analyzer) isShortener(host string) bool {
	if len(a.shorteners) == 0 {
		return false
	}
	for h := host; h != ""; h = parent(h) {
		if _, ok := a.shorteners[h]; ok {
			return true
		}
	}
	return false
}

// parent drops the first label of h: "a.b.c" → "b.c", "c" → "".
func parent(h string) string {
	i := strings.IndexByte(h, '.')
	if i < 0 {
		return ""
	}
	return h[i+1:]
}
