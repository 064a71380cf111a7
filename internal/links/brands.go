package links

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"golang.org/x/net/publicsuffix"
)

// Brand is a protected brand: the domains it owns and the names a link may
// use to impersonate it. Brands are data: the built-in list is
// data/brands.json, and a policy pack adds its own in the same format
// (ParseBrands).
type Brand struct {
	// Name is the brand as people know it ("Emirates NBD").
	Name string `json:"name"`
	// Country is the ISO 3166-1 alpha-2 code of the market where the brand
	// matters most, or "" for a global brand. It is informational: a
	// look-alike of a Thai bank is as suspicious in a message to France.
	Country string `json:"country,omitempty"`
	// Domains are the registrable domains the brand owns, primary first. A
	// link on one of them (or below) never carries a brand signal.
	Domains []string `json:"domains"`
	// Tokens are the names looked for in other domains' labels and paths.
	// Empty means the label of the primary domain ("emiratesnbd").
	Tokens []string `json:"tokens,omitempty"`
	// Word marks a brand whose name is an ordinary word ("orange", "live",
	// "booking"): only look-alikes of its whole domain count, never the
	// word in a subdomain, path or combination.
	Word bool `json:"word,omitempty"`
	// Names are what a message's text may call the brand besides its
	// tokens, in any script ("Wells Fargo" is found from its token;
	// "K PLUS", "กสิกรไทย" are not): the text names of BrandInText.
	Names []string `json:"names,omitempty"`
}

//go:embed data/brands.json
var builtinBrands []byte

// BuiltinBrands returns a copy of the built-in protected brand list.
func BuiltinBrands() []Brand {
	b, err := ParseBrands(bytes.NewReader(builtinBrands))
	if err != nil {
		panic("links: embedded brands: " + err.Error()) // embedded data is tested
	}
	return b
}

// ParseBrands reads a brand file: a JSON object {"brands": [Brand...]}. Every
// domain must be a registrable domain and every token a lower-case
// [a-z0-9] name of at least three characters; the error names the brand.
func ParseBrands(r io.Reader) ([]Brand, error) {
	var doc struct {
		Comment string  `json:"_comment"`
		Brands  []Brand `json:"brands"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("links: brands: %w", err)
	}
	for i := range doc.Brands {
		if err := checkBrand(&doc.Brands[i]); err != nil {
			return nil, fmt.Errorf("links: brands[%d] %q: %w", i, doc.Brands[i].Name, err)
		}
	}
	return doc.Brands, nil
}

func checkBrand(b *Brand) error {
	if b.Name == "" || len(b.Domains) == 0 {
		return fmt.Errorf("%w: a brand needs a name and at least one domain", ErrBadDomain)
	}
	for i, d := range b.Domains {
		h, _, err := NormalizeHost(d)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrBadDomain, err)
		}
		r, err := publicsuffix.EffectiveTLDPlusOne(h)
		if ps, icann := publicsuffix.PublicSuffix(h); (err != nil || r != h) && (icann || ps != h) {
			// A brand may own a suffix of the private section
			// ("googleapis.com"), never an ICANN one ("co.uk").
			return fmt.Errorf("%w: %q is not a registrable domain", ErrBadDomain, d)
		}
		b.Domains[i] = h
	}
	for _, t := range b.Tokens {
		if len(t) < 3 || strings.Trim(t, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			return fmt.Errorf("%w: token %q: want lower-case a-z0-9, 3 characters or more", ErrBadDomain, t)
		}
	}
	for _, n := range b.Names {
		if !strings.ContainsFunc(n, unicode.IsLetter) {
			return fmt.Errorf("%w: name %q: want a letter", ErrBadDomain, n)
		}
	}
	return nil
}

// tokens returns the names looked for in other domains.
func (b *Brand) tokens() []string {
	if b.Word {
		return nil
	}
	if len(b.Tokens) > 0 {
		return b.Tokens
	}
	return []string{strings.ReplaceAll(label(b.Domains[0]), "-", "")}
}

// label returns the registrable label of an ASCII domain: "scb" for
// "scb.co.th".
func label(domain string) string {
	ps, _ := publicsuffix.PublicSuffix(domain)
	if len(ps) >= len(domain) {
		return domain
	}
	return domain[:len(domain)-len(ps)-1]
}
