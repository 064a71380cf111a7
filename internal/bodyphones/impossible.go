package bodyphones

import (
	"math"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
)

// impossible reports whether parse(text, region) is certain to fail, read
// from the libphonenumber metadata without parsing: a 14-digit parcel number
// such as "00340434123456" in a French body would otherwise cost a full parse
// (about 10 µs and most of a body's allocations) to learn it is no number.
//
// It answers only for text of ASCII digits alone and a region with
// metadata; anything else is false (parse decides). For such text Parse
// keeps every digit (no extension, punctuation or alpha rules apply), and the
// national significant number (NSN) it validates is a suffix of the text:
// the digits left after stripping the region's international prefix and the
// calling code after it, or the region's own calling code, and the national
// prefix of the region whose metadata Parse uses then. Validation needs the
// NSN's length to be among the general possible lengths of a region of its
// calling code. impossible follows Parse's choices with the same metadata
// regular expressions, and where Parse could go two ways (strip a prefix or
// keep it) it keeps both, so it may answer false for a hopeless text but
// never true for one Parse accepts. A national prefix transform rule (it
// rewrites digits, as in Argentina's) makes it answer false. The property
// test TestImpossibleNeverRejectsAValidNumber holds it to that against the
// real Parse.
func impossible(text, region string) bool {
	if len(text) == 0 || len(text) > maxDigits {
		return false
	}
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			return false
		}
	}
	t := metadata()
	if t == nil {
		return false
	}
	r := t.region(region)
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
		c, n := t.callingCode(rest)
		if c == nil { // phonenumbers.ErrInvalidCountryCode
			return true
		}
		return !c.admits(rest[n:], c.main)
	}
	c := t.code(r.cc)
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

// prefixRules are the parsing rules of one region's metadata (or a
// non-geographic calling code's).
type prefixRules struct {
	cc     int
	ccText string
	idd    prefix // international prefix: Parse matches it unanchored, leftmost
	// national is the national prefix for parsing, which Parse anchors as
	// "^(?:" + prefix + ")"; its re is nil when the region has none.
	national  prefix
	transform bool // a national prefix transform rule: the NSN is not a suffix
}

// strip returns s with the national prefix stripped as Parse would, and
// whether it could tell: false when a transform rule may rewrite s.
func (p *prefixRules) strip(s string) (stripped string, matched, known bool) {
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

// prefix is a metadata expression matched at the start of a text of ASCII
// digits (impossible reads no other text).
type prefix struct {
	re *regexp.Regexp // matched at the start, as Parse matches it
	// trie is the expression's matches as a table of digits, when they are a
	// finite set of digit strings (every international prefix and the
	// simple national ones: "00", "0(?:0|1[2-9])"): end then walks the
	// text's first digits instead of running the expression. nil: end runs re.
	trie []trieNode
}

// trieNode is a node of a prefix's trie: the strings it matches that
// begin with the digits leading to this node.
type trieNode struct {
	next [10]uint16 // child by digit; 0: none (the root is no one's child)
	// rank is the place, in the order the expression prefers its
	// alternatives, of the match that ends here; noRank if none does.
	rank uint16
}

const (
	noRank       = math.MaxUint16
	maxTrieWords = 1024 // the largest set of matches kept as a trie
)

func newPrefix(expr string, anchored bool) (prefix, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return prefix{}, err
	}
	p := prefix{re: re}
	if words, ok := matches(expr); ok {
		p.trie = newTrie(words)
	}
	if anchored {
		if p.re, err = regexp.Compile("^(?:" + expr + ")"); err != nil {
			return prefix{}, err
		}
	}
	return p, nil
}

// end returns where the prefix's match at the start of s ends, or -1. s
// holds ASCII digits only.
func (p prefix) end(s string) int {
	if p.trie != nil {
		// Go's regexp, like Perl, takes the match its backtracking would
		// find first: of the matches that s begins with, the one the
		// expression prefers. The anchored and the unanchored expression
		// agree on it whenever a match starts at 0.
		end, best := -1, uint16(noRank)
		n := &p.trie[0]
		for i := 0; ; i++ {
			if n.rank < best {
				end, best = i, n.rank
			}
			if i == len(s) {
				break
			}
			d := s[i] - '0'
			if d > 9 { // not a digit: no match goes on (and no index past next)
				break
			}
			next := n.next[d]
			if next == 0 {
				break
			}
			n = &p.trie[next]
		}
		return end
	}
	ind := p.re.FindStringIndex(s)
	if ind == nil || ind[0] != 0 {
		return -1
	}
	return ind[1]
}

// newTrie builds the trie of words, given in the order of preference.
func newTrie(words []string) []trieNode {
	t := []trieNode{{rank: noRank}}
	for rank, w := range words {
		n := 0
		for i := 0; i < len(w); i++ {
			d := w[i] - '0'
			if t[n].next[d] == 0 {
				t[n].next[d] = uint16(len(t))
				t = append(t, trieNode{rank: noRank})
			}
			n = int(t[n].next[d])
		}
		if t[n].rank == noRank { // a word met again keeps its first place
			t[n].rank = uint16(rank)
		}
	}
	return t
}

// matches returns the digit strings expr matches, in the order Go's
// regexp prefers them (its leftmost-first, backtracking order), or false
// when they are not a small finite set of digits alone: an anchor, an
// unbounded repeat, more than maxTrieWords. It reads the same parse tree
// regexp.Compile builds.
func matches(expr string) ([]string, bool) {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil, false
	}
	return words(re)
}

func words(re *syntax.Regexp) ([]string, bool) {
	greedy := re.Flags&syntax.NonGreedy == 0
	switch re.Op {
	case syntax.OpNoMatch:
		return nil, true
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpLiteral:
		w := make([]byte, 0, len(re.Rune))
		for _, r := range re.Rune {
			if r < '0' || r > '9' {
				return nil, true // it never matches a text of digits
			}
			w = append(w, byte(r))
		}
		return []string{string(w)}, true
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		// One character: the digits it admits exclude each other, so
		// their order does not matter.
		var out []string
		for d := '0'; d <= '9'; d++ {
			if re.Op != syntax.OpCharClass || inClass(re.Rune, d) {
				out = append(out, string(d))
			}
		}
		return out, true
	case syntax.OpCapture:
		return words(re.Sub[0])
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			ws, ok := words(sub)
			if !ok {
				return nil, false
			}
			if out, ok = concat(out, ws); !ok {
				return nil, false
			}
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			ws, ok := words(sub)
			if !ok || len(out)+len(ws) > maxTrieWords {
				return nil, false
			}
			out = append(out, ws...)
		}
		return out, true
	case syntax.OpQuest:
		return repeat(re.Sub[0], 0, 1, greedy)
	case syntax.OpRepeat:
		if re.Max < 0 {
			return nil, false
		}
		return repeat(re.Sub[0], re.Min, re.Max, greedy)
	}
	return nil, false // anchors, word boundaries, unbounded repeats
}

// repeat is sub{min,max}: as regexp compiles it, sub min times then, max-min
// times over, sub again preferred to stopping (or, not greedy, stopping
// preferred).
func repeat(sub *syntax.Regexp, min, max int, greedy bool) ([]string, bool) {
	ws, ok := words(sub)
	if !ok {
		return nil, false
	}
	opt := []string{""} // sub{0,0}
	for range max - min {
		more, ok := concat(ws, opt)
		if !ok || len(more)+1 > maxTrieWords {
			return nil, false
		}
		if greedy {
			opt = append(more, "")
		} else {
			opt = append([]string{""}, more...)
		}
	}
	out := []string{""}
	for range min {
		if out, ok = concat(out, ws); !ok {
			return nil, false
		}
	}
	return concat(out, opt)
}

// concat is a followed by b, in the order of preference: a's first choice
// with each of b's in turn, then a's second...
func concat(a, b []string) ([]string, bool) {
	if len(a)*len(b) > maxTrieWords {
		return nil, false
	}
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out, true
}

func inClass(ranges []rune, r rune) bool {
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i] <= r && r <= ranges[i+1] {
			return true
		}
	}
	return false
}

// callingCode is what validation can accept for one calling code.
type callingCode struct {
	lengths uint64 // bit l set: an NSN of l digits is possible for a region of the code
	any     bool   // a region without possible lengths: every length passes
	main    *prefixRules
}

// admits reports whether an NSN of a possible length can be left from s by
// stripping, or not, the national prefix of each of strippers in turn.
func (c *callingCode) admits(s string, strippers ...*prefixRules) bool {
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

// tables are indexed by the region's two letters and by the calling code's
// value, so that impossible reads them with no hashing: it runs on every
// digits-only candidate of a body.
type tables struct {
	regions [26 * 26]*prefixRules // by region code, "AA" to "ZZ"
	// codes holds, for each value below 1000 that the library knows as a
	// calling code, what validation accepts for it; known marks the same
	// values (a known code whose metadata could not be read accepts anything).
	codes [1000]*callingCode
}

// region returns the parsing rules of region (upper case), nil if it has
// none: every region the library parses for has a two-letter code.
func (t *tables) region(region string) *prefixRules {
	if len(region) != 2 || region[0] < 'A' || region[0] > 'Z' || region[1] < 'A' || region[1] > 'Z' {
		return nil
	}
	return t.regions[int(region[0]-'A')*26+int(region[1]-'A')]
}

// code returns what validation accepts for the calling code cc, nil if it is
// unknown.
func (t *tables) code(cc int) *callingCode {
	if cc < 0 || cc >= len(t.codes) {
		return nil
	}
	return t.codes[cc]
}

// callingCode returns the calling code at the start of s as Parse's
// extractCountryCode reads it (the shortest known code), and its length.
// s holds ASCII digits only.
func (t *tables) callingCode(s string) (*callingCode, int) {
	if s[0] == '0' {
		return nil, 0
	}
	cc := 0
	for n := 1; n <= 3 && n <= len(s); n++ {
		cc = cc*10 + int(s[n-1]-'0')
		if c := t.codes[cc]; c != nil {
			return c, n
		}
	}
	return nil, 0
}

// metadata builds the tables once from the library's own metadata; nil if it
// cannot be read (impossible then always answers false).
var metadata = sync.OnceValue(func() *tables {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil
	}
	t := &tables{}
	nonGeo := map[int]*phonenumbers.PhoneMetadata{}
	byRegion := map[string]*phonenumbers.PhoneMetadata{}
	rules := map[*phonenumbers.PhoneMetadata]*prefixRules{}
	ruleOf := func(m *phonenumbers.PhoneMetadata) *prefixRules {
		if m == nil {
			return nil
		}
		if p := rules[m]; p != nil {
			return p
		}
		p := &prefixRules{
			cc:        int(m.GetCountryCode()),
			ccText:    strconv.Itoa(int(m.GetCountryCode())),
			transform: m.GetNationalPrefixTransformRule() != "",
		}
		var err error
		if p.idd, err = newPrefix(m.GetInternationalPrefix(), false); err != nil {
			return nil
		}
		if np := m.GetNationalPrefixForParsing(); np != "" {
			if p.national, err = newPrefix(np, true); err != nil {
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
		if len(region) != 2 || region[0] < 'A' || region[0] > 'Z' || region[1] < 'A' || region[1] > 'Z' {
			return nil // a region the tables cannot index: no fast path rather than a wrong one
		}
		if p := ruleOf(m); p != nil {
			t.regions[int(region[0]-'A')*26+int(region[1]-'A')] = p
		}
	}
	// Every calling code the library knows, as extractCountryCode asks it
	// (GetRegionCodesForCountryCode not empty).
	for cc := range t.codes {
		regions := phonenumbers.GetRegionCodesForCountryCode(cc)
		if len(regions) == 0 {
			continue
		}
		c := &callingCode{}
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
