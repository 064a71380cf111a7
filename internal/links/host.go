package links

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// ErrBadHost reports a host name that IDNA processing rejects.
var ErrBadHost = errors.New("links: bad host")

// profile is UTS #46 lookup processing (non-transitional, STD3 rules, Bidi and
// ContextJ checks) without CheckHyphens: browsers do not check hyphens, so
// real phishing hosts such as "www--bank--com--x.example" open on a phone and
// must be described, not dropped.
var profile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.CheckHyphens(false),
)

// NormalizeHost returns the lower-case IDNA ASCII form and the Unicode form of
// a host name as written in a message: full-width letters and ideographic dots
// are mapped, punycode labels are decoded for the Unicode form, and a trailing
// dot is dropped. IP literals (with or without brackets) come back in their
// canonical text form. NormalizeHost is safe for concurrent use.
func NormalizeHost(s string) (ascii, unicode string, err error) {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return "", "", fmt.Errorf("%w: empty", ErrBadHost)
	}
	if ip, ok := parseIP(s); ok {
		t := ip.String()
		return t, t, nil
	}
	ascii, err = profile.ToASCII(s)
	if err != nil {
		return "", "", fmt.Errorf("%w: %q: %v", ErrBadHost, s, err)
	}
	ascii = strings.TrimSuffix(ascii, ".")
	if ascii == "" || strings.HasPrefix(ascii, ".") || strings.HasSuffix(ascii, ".") || strings.Contains(ascii, "..") {
		return "", "", fmt.Errorf("%w: %q: empty label", ErrBadHost, s)
	}
	if !strings.Contains(ascii, "xn--") {
		// No punycode label: the Unicode form is the ASCII one, which
		// ToASCII has mapped and validated as ToUnicode would (ToUnicode
		// builds a copy of it, an allocation per link).
		return ascii, ascii, nil
	}
	unicode, err = profile.ToUnicode(ascii)
	if err != nil {
		return "", "", fmt.Errorf("%w: %q: %v", ErrBadHost, s, err)
	}
	return ascii, unicode, nil
}

// normalizeLenient is NormalizeHost, except that an ASCII host the STD3 rules
// reject (an underscore in a label, as on some free-hosting subdomains) is
// still returned lower-cased: the browser opens it, so policies must see it.
func normalizeLenient(s string) (ascii, unicode string, err error) {
	ascii, unicode, err = NormalizeHost(s)
	if err == nil {
		return ascii, unicode, nil
	}
	s = strings.TrimSuffix(s, ".")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || c == '-' || c == '_' || c == '.') {
			return "", "", err
		}
	}
	if s == "" || s[0] == '.' || strings.Contains(s, "..") {
		return "", "", err
	}
	l := strings.ToLower(s)
	return l, l, nil
}

// parseIP accepts IPv4, IPv6 and bracketed IPv6 literals.
func parseIP(s string) (netip.Addr, bool) {
	if len(s) > 2 && s[0] == '[' && s[len(s)-1] == ']' {
		s = s[1 : len(s)-1]
	}
	if s == "" {
		return netip.Addr{}, false
	}
	for i := 0; i < len(s); i++ {
		// Rule out host names before netip builds an error for them.
		if c := s[i]; !isHex(c) && c != ':' && c != '.' {
			return netip.Addr{}, false
		}
	}
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip, true
}

// RegistrableDomain returns the registrable domain (eTLD+1, using both the
// ICANN and private sections of the Public Suffix List) of an ASCII host, or
// the host itself when it is an IP literal or a public suffix. It returns ""
// for an empty host.
func RegistrableDomain(host string) string {
	if host == "" {
		return ""
	}
	if _, ok := parseIP(host); ok {
		return host
	}
	ps, _ := publicsuffix.PublicSuffix(host)
	return registrable(host, ps)
}

// registrable is publicsuffix.EffectiveTLDPlusOne of a host that is not an
// IP literal, given its public suffix ps, or host where that fails: Analyze
// looks the suffix up once per link for its domain, its homograph and its
// risk (each lookup also tries the host as an IP address, which allocates
// an error).
func registrable(host, ps string) string {
	if host == "" || host[0] == '.' || host[len(host)-1] == '.' || strings.Contains(host, "..") || len(host) <= len(ps) {
		return host
	}
	i := len(host) - len(ps) - 1
	if host[i] != '.' {
		return host
	}
	return host[1+strings.LastIndexByte(host[:i], '.'):]
}

// isTLD reports whether label is an ICANN top-level domain, in any case
// and width (foldLabel): DNS names are case-insensitive, and a phone opens
// "example.COm" and "example.ｃｏｍ". Whether a label in sentence case ends a
// host written without a scheme or starts the next sentence ("Hello.World")
// is for the scanner (sentence) to say. Any other non-ASCII label is looked
// up as written (an IDN TLD, "рф"). It does not allocate.
func isTLD(label string) bool {
	if len(label) < 2 {
		return false
	}
	var buf [63]byte
	t, ok := foldLabel(label, &buf)
	if !ok {
		return idnTLD(label)
	}
	punct := false
	for _, c := range t {
		switch {
		case c >= 'a' && c <= 'z':
		case isDigit(c) || c == '-':
			punct = true // only in an A-label ("xn--p1ai")
		default:
			return false
		}
	}
	if punct && !bytes.HasPrefix(t, []byte("xn--")) {
		return false
	}
	_, ok = tlds[string(t)]
	return ok
}

// idnTLD reports whether label, not ASCII, is an IDN top-level domain in
// any case: IDNA lower-cases a label, so a phone opens "пример.РФ" as
// "пример.рф". It does not allocate.
func idnTLD(label string) bool {
	if _, ok := tlds[label]; ok {
		return true
	}
	var buf [64]byte
	b := buf[:0]
	for _, r := range label {
		r = unicode.ToLower(r)
		if len(b)+utf8.RuneLen(r) > len(buf) {
			return false
		}
		b = utf8.AppendRune(b, r)
	}
	_, ok := tlds[string(b)]
	return ok
}

// foldLabel writes label into buf in lower case, reading fullwidth ASCII
// (U+FF01–U+FF5E) as the ASCII it stands for, as IDNA maps it: "ｃＯｍ" is
// "com". It reports false when label holds another non-ASCII character or
// folds to more than 63 bytes. Other ASCII bytes are copied as they are.
func foldLabel(label string, buf *[63]byte) ([]byte, bool) {
	n := 0
	for i := 0; i < len(label); i++ {
		c := label[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(label[i:])
			if r < 0xFF01 || r > 0xFF5E {
				return nil, false
			}
			c, i = byte(r-0xFEE0), i+size-1
		}
		if n == len(buf) {
			return nil, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return buf[:n], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool { return isDigit(c) || isAlpha(c) }
func isHex(c byte) bool   { return isDigit(c) || c|0x20 >= 'a' && c|0x20 <= 'f' }
