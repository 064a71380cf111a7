package links

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/publicsuffix"
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
	// Phishing is set when the link is on the configured phishing feed (by
	// domain, host or URL prefix).
	Phishing bool `json:"phishing"`

	// Risk holds the link-risk signals (risk.go). It is not part of this
	// JSON form: the engine maps it into its own facts.
	Risk Risk `json:"-"`
}

// ErrBadDomain reports an entry of a shortener, domain or brand list that is
// not a usable domain name.
var ErrBadDomain = errors.New("links: bad domain")

// Config holds the data an Analyzer is built from. The zero Config gives the
// built-in shortener and brand lists and no phishing feed.
type Config struct {
	// Shorteners are added to the built-in list (see ReadDomainList to load
	// them from a file): a host matches when it is an entry or below one.
	Shorteners []string
	// NoBuiltinShorteners drops the built-in shortener list.
	NoBuiltinShorteners bool
	// Brands are added to the built-in protected brand list (BuiltinBrands):
	// a pack's or tenant's brands.json (ParseBrands).
	Brands []Brand
	// NoBuiltinBrands drops the built-in brand list.
	NoBuiltinBrands bool
	// Feed is the phishing feed; nil flags nothing.
	Feed *Feed
}

//go:embed data/shorteners.txt
var builtinShorteners string

// BuiltinShorteners returns a copy of the built-in shortener list.
func BuiltinShorteners() []string { return mustList(builtinShorteners) }

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
	names      *nameIndex // the brands' text names (BrandInText)
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
	var brands []Brand
	if !cfg.NoBuiltinBrands {
		brands = BuiltinBrands()
	}
	brands = append(brands, cfg.Brands...)
	b, err := newBrandIndex(brands)
	if err != nil {
		return nil, err
	}
	a.brands, a.names = b, newNameIndex(brands)
	return a, nil
}

// WithFeed returns a copy of a that checks links against f. It shares every
// other table with a, so swapping a reloaded feed costs one allocation.
func (a *Analyzer) WithFeed(f *Feed) *Analyzer {
	c := *a
	c.feed = f
	return &c
}

// Analyze returns every link in body in order of appearance, or nil when
// there are none: there is no cap on the number of links, so a harmful link
// cannot hide behind many harmless ones, and the cost stays linear in the
// body (bounded by the engine's body cap). A body without a link candidate
// costs one byte scan and no allocation. Analyze never panics, whatever the
// input.
func (a *Analyzer) Analyze(body string) []Link {
	var out []Link
	var spanBuf [4][2]int
	spans, foreign := spanBuf[:0], false
	for i := 0; i < len(body); {
		sp, end, ok := next(body, i)
		if !ok {
			break
		}
		if end <= i {
			end = i + 1
		}
		i = end
		spans = append(spans, [2]int{sp.start, sp.end})
		if l, ok := a.describe(body, sp); ok {
			foreign = foreign || a.foreign(&l)
			out = append(out, l)
		}
	}
	if foreign && a.names != nil {
		// The text is read once, and only when a link could carry the
		// signal.
		if br := a.names.named(body, spans); br != "" {
			for i := range out {
				if l := &out[i]; a.foreign(l) {
					l.Risk.BrandInText = true
					if l.Risk.BrandOf == "" {
						l.Risk.BrandOf = br
					}
				}
			}
		}
	}
	return out
}

// MayHave reports whether body may hold a link: false only when every
// Analyzer's Analyze(body) finds none, whatever its configuration (brands,
// shorteners, feed), because Analyze describes only the candidates this
// scan finds and the scan reads no configuration. It is the cost of Analyze
// on a body without a link candidate: one byte scan, no allocation. It is
// safe for concurrent use.
func MayHave(body string) bool {
	_, _, ok := next(body, 0)
	return ok
}

func (a *Analyzer) describe(body string, sp span) (Link, bool) {
	rawHost := body[sp.hostStart:sp.hostEnd]
	if sp.app != "" {
		rawHost = sp.app // an app's own link is on the app's domain
	}
	ascii, uni, err := normalizeLenient(rawHost)
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
		ps, icann := publicsuffix.PublicSuffix(ascii)
		l.Domain = registrable(ascii, ps)
		l.Punycode = strings.HasPrefix(ascii, "xn--") || strings.Contains(ascii, ".xn--")
		l.MixedScript = mixedScript(uni)
		l.Shortener = a.isShortener(ascii)
		if a.brands != nil {
			l.HomographOf = a.brands.match(ascii, l.Domain, ps)
		}
		a.risk(&l, ps, icann, rawHost, body[sp.hostEnd:sp.end])
		if sp.app != "" {
			l.Risk.ChatInvite = appInvite(sp.app, body[sp.hostStart:sp.hostEnd], body[sp.hostEnd:sp.end])
		}
	}
	l.Phishing = a.feed.match(ascii, pathOf(body[sp.hostEnd:sp.end]))
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

// Risk is what a link's host and path say about it: weak signals that
// policies weigh together (policies/global/linkrisk.rego, weights in the
// global pack's link_risk data). The JSON names are the proposed fact names.
// The zero Risk has no signal.
type Risk struct {
	// BrandOf is the primary domain of the protected brand the link names
	// or imitates without being on one of its domains, or else the brand
	// the text names (BrandInText), or "".
	BrandOf string `json:"brand_of"`
	// BrandInSubdomain: a subdomain label names a brand
	// ("login.paypal.com.secure-verify.co.uk").
	BrandInSubdomain bool `json:"brand_in_subdomain"`
	// BrandInPath: a word of the path names a brand ("evil.example/paypal/").
	BrandInPath bool `json:"brand_in_path"`
	// BrandInText: the body's text (outside its links) names a protected
	// brand and the link is on a domain no protected brand owns or names,
	// nor a notice service (named.go): "U.S. Bank: ... visitusbnks1.com".
	// BrandOf is then the named brand, unless the link names one itself.
	BrandInText bool `json:"brand_in_text"`
	// Typosquat: the registrable label is one or two edits from a brand, or
	// reads as it at a glance ("paypall", "vvhatsapp", "rnicrosoft").
	Typosquat bool `json:"typosquat"`
	// Combosquat: the registrable label is a brand with a lure word or
	// hyphens ("paypal-secure-login", "emirates-nbd").
	Combosquat bool `json:"combosquat"`
	// AbusedTLD: the TLD is one phishing uses out of proportion
	// (data/abused_tlds.txt).
	AbusedTLD bool `json:"abused_tld"`
	// FreeHosting: the host is a user's site on a free hosting or
	// site-builder platform (data/shared_hosting.txt, the private section
	// of the Public Suffix List), not an application on a cloud platform
	// (data/app_hosting.txt: CloudFront, Azure App Service, Firebase
	// Hosting), which businesses send their notices through.
	FreeHosting bool `json:"free_hosting"`
	// DynamicDNS: the host is below a dynamic DNS or tunnelling service
	// (data/dynamic_dns.txt).
	DynamicDNS bool `json:"dynamic_dns"`
	// ASCIILookalike: the registrable label is written outside ASCII but
	// reads as plain ASCII letters: Cyrillic or Greek look-alikes ("арр",
	// "сатрту"), or Latin letters with diacritics under a generic TLD
	// ("binānce.com", "coinbạsẹ.com"). Diacritics under a country-code TLD
	// ("münchen.de") are how the country writes, and do not count.
	ASCIILookalike bool `json:"ascii_lookalike"`
	// LureWords: the registrable label is made of lure words only, two at
	// least ("secure-account-verify", "parcel-redelivery").
	LureWords bool `json:"lure_words"`
	// RandomLabel: the registrable label looks machine-made. Never set on
	// a shortener or a hosting platform (FreeHosting), which name their
	// links and sites themselves; the same holds for DigitHeavy and
	// HyphenHeavy.
	RandomLabel bool `json:"random_label"`
	// DigitHeavy: four or more digits in the registrable label.
	DigitHeavy bool `json:"digit_heavy"`
	// HyphenHeavy: two or more hyphens in the registrable label, or three
	// in the host.
	HyphenHeavy bool `json:"hyphen_heavy"`
	// CredentialPath: the path asks for credentials or payment ("/login",
	// "/verify", "/wallet").
	CredentialPath bool `json:"credential_path"`
	// NonStandardPort: an explicit port other than 80 and 443.
	NonStandardPort bool `json:"non_standard_port"`
	// DeceptiveHost: the host spells another domain before its own
	// ("paypal.com.x.evil.com", "ezdrive.com-bejh.xin").
	DeceptiveHost bool `json:"deceptive_host"`
	// ChatInvite: the link invites the recipient into a messaging app's
	// private group or a private person's chat (chat.whatsapp.com/<code>,
	// whatsapp://chat?code=, t.me/+<hash>, t.me/joinchat/, line.me/ti/g/,
	// a LINE ID that is not an official account's "@" ID), not to a
	// business's official account (wa.me/<number>, line.me/R/ti/p/@shop,
	// lin.ee, a public t.me/<channel>): chat.go.
	ChatInvite bool `json:"chat_invite"`
	// KitPath: the path is where phishing kits are dropped (WordPress or
	// CGI directories) or holds a kit's random hex token.
	KitPath bool `json:"kit_path"`
	// RedirectPath: the path or query carries another URL.
	RedirectPath bool `json:"redirect_path"`
	// Scripts are the Unicode scripts ("Cyrillic", "Han", "Latin") of the
	// non-ASCII letters in the labels left of the public suffix, each once,
	// in a fixed order; nil for an ASCII host. Policies compare them with
	// the scripts the destination country and the TLD's country write in
	// (policies/global/expected_scripts.json): ASCII is read everywhere, a
	// Cyrillic name sent to Germany or under .de is not.
	Scripts []string `json:"scripts"`
	// TLDCountry is the country of a country-code TLD, ISO 3166-1 alpha-2
	// lower case ("de" for .de, "gb" for .uk, "ru" for .рф), or "" for a
	// generic TLD.
	TLDCountry string `json:"tld_country"`
}
