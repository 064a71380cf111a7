package bodyphones

import (
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// This file keeps impossible as it was before its tables were indexed by
// region and calling code (main 488f6d6, impossible.go, identifiers renamed
// with "old"): the reference TestImpossibleMatchesOld and FuzzImpossibleMatchesOld
// hold the new code to, answer for answer.

func oldImpossible(text, region string) bool {
	if len(text) == 0 || len(text) > maxDigits {
		return false
	}
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			return false
		}
	}
	t := oldMetadata()
	if t == nil {
		return false
	}
	r := t.regions[region]
	if r == nil {
		return false
	}
	// Parse's parsePrefixAsIdd: an international prefix matched at the start
	// (the same unanchored expression, leftmost match) and not followed by
	// '0' is stripped, and a calling code must follow.
	if end := r.idd.end(text); end >= 0 && (end == len(text) || text[end] != '0') {
		rest := text[end:]
		if len(rest) <= 2 { // phonenumbers.ErrTooShortAfterIDD
			return true
		}
		c, n := t.oldCallingCode(rest)
		if c == nil { // phonenumbers.ErrInvalidCountryCode
			return true
		}
		return !c.admits(rest[n:], c.main)
	}
	c := t.codes[r.cc]
	if c == nil {
		return false
	}
	// Without a calling code written, the NSN is the text, perhaps with the
	// region's national prefix stripped.
	if c.admits(text, r) {
		return false
	}
	// With the region's calling code written first, maybeExtractCountryCode
	// strips it and the region's national prefix, then parseHelper strips the
	// national prefix of the calling code's main region.
	if rest, ok := strings.CutPrefix(text, r.ccText); ok && c.admits(rest, r, c.main) {
		return false
	}
	return true
}

// oldPrefixRules are the parsing rules of one region's metadata (or a
// non-geographic calling code's).
type oldPrefixRules struct {
	cc     int
	ccText string
	idd    oldPrefix // international prefix: Parse matches it unanchored, leftmost
	// national is the national prefix for parsing, which Parse anchors as
	// "^(?:" + prefix + ")"; its re is nil when the region has none.
	national  oldPrefix
	transform bool // a national prefix transform rule: the NSN is not a suffix
}

// strip returns s with the national prefix stripped as Parse would, and
// whether it could tell: false when a transform rule may rewrite s.
func (p *oldPrefixRules) strip(s string) (stripped string, matched, known bool) {
	if p == nil || p.national.re == nil || s == "" {
		return s, false, true
	}
	end := p.national.end(s)
	if end < 0 {
		return s, false, true
	}
	if p.transform {
		return "", true, false
	}
	return s[end:], true, true
}

// oldPrefix is a metadata expression matched at the start of a text.
type oldPrefix struct {
	re *regexp.Regexp // matched at the start, as Parse matches it
	// literal is the expression when it is nothing but a literal ("00",
	// "0"): it then matches at the start exactly when the text begins with
	// it, without the regexp's work and allocation.
	literal   string
	isLiteral bool
}

func oldNewPrefix(expr string, anchored bool) (oldPrefix, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return oldPrefix{}, err
	}
	p := oldPrefix{re: re}
	p.literal, p.isLiteral = re.LiteralPrefix()
	if anchored {
		if p.re, err = regexp.Compile("^(?:" + expr + ")"); err != nil {
			return oldPrefix{}, err
		}
	}
	return p, nil
}

// end returns where the prefix's match at the start of s ends, or -1.
func (p oldPrefix) end(s string) int {
	if p.isLiteral {
		if strings.HasPrefix(s, p.literal) {
			return len(p.literal)
		}
		return -1
	}
	ind := p.re.FindStringIndex(s)
	if ind == nil || ind[0] != 0 {
		return -1
	}
	return ind[1]
}

// oldCallingCode is what validation can accept for one calling code.
type oldCallingCode struct {
	lengths uint64 // bit l set: an NSN of l digits is possible for a region of the code
	any     bool   // a region without possible lengths: every length passes
	main    *oldPrefixRules
}

// admits reports whether an NSN of a possible length can be left from s by
// stripping, or not, the national prefix of each of strippers in turn.
func (c *oldCallingCode) admits(s string, strippers ...*oldPrefixRules) bool {
	if c.any || (len(s) < 64 && c.lengths&(1<<len(s)) != 0) {
		return true
	}
	if len(strippers) == 0 {
		return false
	}
	if c.admits(s, strippers[1:]...) {
		return true
	}
	stripped, matched, known := strippers[0].strip(s)
	if !known {
		return true
	}
	return matched && c.admits(stripped, strippers[1:]...)
}

type oldTables struct {
	regions map[string]*oldPrefixRules
	codes   map[int]*oldCallingCode
}

// oldCallingCode returns the calling code at the start of s as Parse's
// extractCountryCode reads it (the shortest known code), and its length.
func (t *oldTables) oldCallingCode(s string) (*oldCallingCode, int) {
	if s[0] == '0' {
		return nil, 0
	}
	for n := 1; n <= 3 && n <= len(s); n++ {
		cc, _ := strconv.Atoi(s[:n])
		if len(phonenumbers.GetRegionCodesForCountryCode(cc)) > 0 {
			c := t.codes[cc]
			if c == nil {
				// Known to the library but not to the tables: accept anything.
				c = &oldCallingCode{any: true}
			}
			return c, n
		}
	}
	return nil, 0
}

// oldMetadata builds the oldTables once from the library's own metadata; nil if it
// cannot be read (oldImpossible then always answers false).
var oldMetadata = sync.OnceValue(func() *oldTables {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil
	}
	t := &oldTables{regions: map[string]*oldPrefixRules{}, codes: map[int]*oldCallingCode{}}
	nonGeo := map[int]*phonenumbers.PhoneMetadata{}
	byRegion := map[string]*phonenumbers.PhoneMetadata{}
	rules := map[*phonenumbers.PhoneMetadata]*oldPrefixRules{}
	ruleOf := func(m *phonenumbers.PhoneMetadata) *oldPrefixRules {
		if m == nil {
			return nil
		}
		if p := rules[m]; p != nil {
			return p
		}
		p := &oldPrefixRules{
			cc:        int(m.GetCountryCode()),
			ccText:    strconv.Itoa(int(m.GetCountryCode())),
			transform: m.GetNationalPrefixTransformRule() != "",
		}
		var err error
		if p.idd, err = oldNewPrefix(m.GetInternationalPrefix(), false); err != nil {
			return nil
		}
		if np := m.GetNationalPrefixForParsing(); np != "" {
			if p.national, err = oldNewPrefix(np, true); err != nil {
				return nil
			}
		}
		rules[m] = p
		return p
	}
	for _, m := range coll.GetMetadata() {
		if m.GetId() == "001" {
			nonGeo[int(m.GetCountryCode())] = m
		} else {
			byRegion[m.GetId()] = m
		}
	}
	for region, m := range byRegion {
		// Only regions the library itself parses for, with the calling
		// code it gives them.
		if phonenumbers.GetCountryCodeForRegion(region) != int(m.GetCountryCode()) {
			continue
		}
		if p := ruleOf(m); p != nil {
			t.regions[region] = p
		}
	}
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		c := &oldCallingCode{}
		regions := phonenumbers.GetRegionCodesForCountryCode(cc)
		for i, region := range regions {
			m := byRegion[region]
			if region == "001" {
				m = nonGeo[cc]
			}
			if m == nil || m.GetGeneralDesc() == nil || len(m.GetGeneralDesc().GetPossibleLength()) == 0 {
				c.any = true
				continue
			}
			for _, l := range m.GetGeneralDesc().GetPossibleLength() {
				if l >= 0 && l < 64 {
					c.lengths |= 1 << l
				}
			}
			if i == 0 {
				c.main = ruleOf(m)
			}
		}
		if len(regions) == 0 || c.main == nil {
			c.any = true
		}
		t.codes[cc] = c
	}
	return t
})
