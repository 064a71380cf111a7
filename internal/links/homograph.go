package links

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// minSubstring is the shortest brand label looked for inside a longer label
// ("paypa1-secure"): shorter ones ("ups", "dhl", "scb") only match a whole
// label, or they would hit inside ordinary words.
const minSubstring = 5

type brand struct {
	domain    string // "paypal.com"
	label     string // "paypal": the domain without its public suffix
	labelSkel string // skeleton(label)
}

// token is a brand name looked for in other domains.
type token struct {
	name  string // "paypal"
	brand string // the brand's primary domain
}

// brandIndex answers "which protected brand does this domain imitate?".
// It is immutable once built.
type brandIndex struct {
	domains    map[string]string // every owned domain → the brand's primary domain
	bySkeleton map[string]string // skeleton(domain) → domain
	list       []brand           // longest label first
	tokens     map[string]string // token → primary domain
	typo       []token           // tokens long enough for edit-distance matching, by length
	// typoFirst and typoLast hold typo by first and by last byte: a
	// squat keeps one end of the name (near), so only those are compared.
	typoFirst, typoLast [256][]token
	gluePrefix          map[string][]token // tokens of minGlue or more by their first minGlue bytes, shortest first
	glueSuffix          map[string][]token // the same by their last minGlue bytes

	// Indexes of list for matchLabel: by whole label skeleton, and by the
	// first three bytes of the skeletons of labels of minSubstring or more.
	byLabelSkel  map[string][]int
	bySkelPrefix map[string][]int
}

func newBrandIndex(brands []Brand) (*brandIndex, error) {
	b := &brandIndex{domains: map[string]string{}, bySkeleton: map[string]string{}, tokens: map[string]string{},
		gluePrefix: map[string][]token{}, glueSuffix: map[string][]token{}}
	for i := range brands {
		br := brands[i]
		br.Domains = append([]string(nil), br.Domains...)
		if err := checkBrand(&br); err != nil {
			return nil, fmt.Errorf("brand %q: %w", br.Name, err)
		}
		primary := br.Domains[0]
		for _, h := range br.Domains {
			if _, dup := b.domains[h]; dup {
				continue
			}
			b.domains[h] = primary
			u := toUnicode(h)
			if _, taken := b.bySkeleton[skeleton(u)]; !taken {
				b.bySkeleton[skeleton(u)] = h
			}
		}
		// Substring look-alikes are searched for the primary domain only:
		// the brand's other domains mark ownership.
		l := label(primary)
		b.list = append(b.list, brand{domain: primary, label: l, labelSkel: skeleton(l)})
		for _, t := range br.tokens() {
			if _, dup := b.tokens[t]; dup {
				continue
			}
			b.tokens[t] = primary
			if len(t) >= minTypo {
				b.typo = append(b.typo, token{name: t, brand: primary})
			}
			if len(t) >= minGlue {
				tk := token{name: t, brand: primary}
				b.gluePrefix[t[:minGlue]] = append(b.gluePrefix[t[:minGlue]], tk)
				b.glueSuffix[t[len(t)-minGlue:]] = append(b.glueSuffix[t[len(t)-minGlue:]], tk)
			}
		}
	}
	sort.SliceStable(b.list, func(i, j int) bool { return len(b.list[i].label) > len(b.list[j].label) })
	b.byLabelSkel, b.bySkelPrefix = map[string][]int{}, map[string][]int{}
	for k, br := range b.list {
		b.byLabelSkel[br.labelSkel] = append(b.byLabelSkel[br.labelSkel], k)
		if len(br.label) >= minSubstring && len(br.labelSkel) >= 3 {
			p := br.labelSkel[:3]
			b.bySkelPrefix[p] = append(b.bySkelPrefix[p], k)
		}
	}
	sort.SliceStable(b.typo, func(i, j int) bool { return len(b.typo[i].name) < len(b.typo[j].name) })
	for _, t := range b.typo {
		b.typoFirst[t.name[0]] = append(b.typoFirst[t.name[0]], t)
		b.typoLast[t.name[len(t.name)-1]] = append(b.typoLast[t.name[len(t.name)-1]], t)
	}
	for _, m := range []map[string][]token{b.gluePrefix, b.glueSuffix} {
		for _, l := range m {
			sort.SliceStable(l, func(i, j int) bool { return len(l[i].name) < len(l[j].name) })
		}
	}
	return b, nil
}

// match returns the brand domain that host imitates, or "". It looks at the
// whole registrable domain ("аpple.com" vs "apple.com") and then at every
// label left of the public suffix, so a look-alike brand in a subdomain
// ("cūenta-nētflix.tāblerō.com") counts too. A brand's own domain and its
// subdomains never match, and neither does a label that spells the brand
// literally ("applebees.com", "paypal-help.com", "paypal.evil.com"): those
// are not homographs.
func (b *brandIndex) match(host, domain, ps string) string {
	if _, own := b.domains[domain]; own || domain == "" {
		return ""
	}
	if br, ok := b.bySkeleton[skeleton(toUnicode(domain))]; ok {
		return br
	}
	if len(ps) >= len(host) || !strings.HasSuffix(host, domain) {
		return ""
	}
	// The registrable label first, then the subdomain labels.
	rest := host[:len(host)-len(ps)-1]
	regLabel := rest[strings.LastIndexByte(rest, '.')+1:]
	if br := b.matchLabel(regLabel); br != "" {
		return br
	}
	for rest != regLabel {
		i := strings.IndexByte(rest, '.')
		if br := b.matchLabel(rest[:i]); br != "" {
			return br
		}
		rest = rest[i+1:]
	}
	return ""
}

// matchLabel returns the brand whose label one ASCII host label imitates.
func (b *brandIndex) matchLabel(label string) string {
	ulabel := toUnicode(label)
	skel := skeleton(ulabel)
	if skel == ulabel && !strings.Contains(skel, "rn") && !strings.Contains(skel, "vv") {
		// Nothing was substituted, so only a literal spelling could match,
		// and a literal spelling is not a homograph.
		return ""
	}
	// The first brand of the list (the longest label) whose skeleton is
	// the label's, or, for labels of minSubstring or more, inside it; a
	// brand spelled literally in the label does not count.
	best := len(b.list)
	try := func(k int) {
		if k < best && !strings.Contains(ulabel, b.list[k].label) {
			best = k
		}
	}
	for _, k := range b.byLabelSkel[skel] {
		try(k)
	}
	for i := 0; i+3 <= len(skel); i++ {
		for _, k := range b.bySkelPrefix[skel[i:i+3]] {
			if strings.HasPrefix(skel[i:], b.list[k].labelSkel) {
				try(k)
			}
		}
	}
	if best < len(b.list) {
		return b.list[best].domain
	}
	return ""
}

// toUnicode decodes the punycode labels of an ASCII host; hosts without any
// skip the IDNA machinery.
func toUnicode(h string) string {
	if !strings.HasPrefix(h, "xn--") && !strings.Contains(h, ".xn--") {
		return h
	}
	u, err := profile.ToUnicode(h)
	if err != nil {
		return h
	}
	return u
}

// skeleton is the UTS #39 skeleton restricted to what domains need: NFD,
// nonspacing marks removed (so "binānce" and "coinbạsẹ" meet their brands),
// lower case, then each code point replaced by its prototype. Both sides of a
// comparison go through it.
func skeleton(s string) string {
	if ascii, ok := asciiSkeleton(s); ok {
		return ascii
	}
	return generalSkeleton(s)
}

func generalSkeleton(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if t, ok := strokes[r]; ok {
			r = t
		}
		if t, ok := confusables[r]; ok {
			b.WriteString(t)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mixedScript reports whether any label of a Unicode host mixes scripts, other
// than Latin with the Han-based mixes UTS #39 calls highly restrictive
// (Japanese, Chinese with Bopomofo, Korean).
func mixedScript(host string) bool {
	for label := range strings.SplitSeq(host, ".") {
		if labelMixed(label) {
			return true
		}
	}
	return false
}

var scriptOrder = []string{"Latin", "Cyrillic", "Greek", "Armenian", "Georgian", "Arabic", "Hebrew",
	"Thai", "Devanagari", "Bengali", "Tamil", "Han", "Hiragana", "Katakana", "Hangul", "Bopomofo", "Cherokee"}

const (
	bitLatin = 1 << iota
	bitHan
	bitHiragana
	bitKatakana
	bitHangul
	bitBopomofo
)

func labelMixed(label string) bool {
	ascii := true
	for i := 0; i < len(label); i++ {
		if label[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return false
	}
	seen := map[string]struct{}{}
	for _, r := range label {
		if !unicode.IsLetter(r) {
			continue
		}
		seen[scriptOf(r)] = struct{}{}
	}
	if len(seen) <= 1 {
		return false
	}
	var bits int
	for s := range seen {
		switch s {
		case "Latin":
			bits |= bitLatin
		case "Han":
			bits |= bitHan
		case "Hiragana":
			bits |= bitHiragana
		case "Katakana":
			bits |= bitKatakana
		case "Hangul":
			bits |= bitHangul
		case "Bopomofo":
			bits |= bitBopomofo
		default:
			return true
		}
	}
	switch {
	case bits&^(bitLatin|bitHan|bitHiragana|bitKatakana) == 0,
		bits&^(bitLatin|bitHan|bitBopomofo) == 0,
		bits&^(bitLatin|bitHan|bitHangul) == 0:
		return false
	}
	return true
}

func scriptOf(r rune) string {
	for _, name := range scriptOrder {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, t := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(t, r) {
			return name
		}
	}
	return "Common"
}

// asciiSkeleton is skeleton for ASCII, by table: s itself when no
// character changes (lower-case without a character the confusable table
// maps), else a copy built from asciiSkel. ASCII is its own NFD and holds no
// mark, so the skeleton of ASCII is the skeletons of its characters one
// after the other; the general path costs two map lookups per character,
// and "m" (read as "rn") is in every .com. It returns "", false when s is
// not ASCII.
func asciiSkeleton(s string) (string, bool) {
	same := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return "", false
		}
		same = same && asciiSkel[c] == string(c)
	}
	if same {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		b.WriteString(asciiSkel[s[i]])
	}
	return b.String(), true
}

// asciiSkel is the skeleton of each ASCII character, from the general path.
var asciiSkel = func() (t [utf8.RuneSelf]string) {
	for c := range t {
		t[c] = generalSkeleton(string(rune(c)))
	}
	return t
}()

// strokes maps the Latin letters with a stroke or hook, which have no
// decomposition to strip, to the letter they are read as: "goógłe",
// "dofus-reŧro". UTS #39 maps them to sequences with a combining overlay,
// which would never meet an ASCII brand.
var strokes = map[rune]rune{
	'ł': 'l', 'ƚ': 'l', 'ɫ': 'l', 'ø': 'o', 'ɵ': 'o', 'đ': 'd', 'ɗ': 'd', 'ħ': 'h', 'ŧ': 't',
	'ƀ': 'b', 'ɓ': 'b', 'ɨ': 'i', 'ƶ': 'z', 'ǥ': 'g', 'ɇ': 'e', 'ɍ': 'r', 'ƈ': 'c', 'ƙ': 'k',
	'ƥ': 'p', 'ɏ': 'y', 'ƴ': 'y', 'ȼ': 'c', 'ꞓ': 'c', 'ʙ': 'b', 'ɪ': 'i', 'ʟ': 'l', 'ɴ': 'n',
	'ʀ': 'r', 'ʏ': 'y', 'ᴀ': 'a', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ᴊ': 'j', 'ᴋ': 'k', 'ᴍ': 'm',
	'ᴏ': 'o', 'ᴘ': 'p', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ᴢ': 'z', 'ɩ': 'i',
}
