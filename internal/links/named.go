package links

import (
	"bytes"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// A brand named in the text with a link elsewhere: "U.S. Bank: a purchase
// of $651.79 ... visit https://visitusbnks1.com". Smishing names the brand
// it impersonates in the text and sends the recipient to a domain the brand
// does not own; a brand's own notice links to its own domains (APWG Phishing
// Activity Trends Reports; Interisle, Phishing Landscape: most phishing
// names a brand while the domain is unrelated to it). The signal is
// Risk.BrandInText.
//
// The text is read in its normalized forms (internal/textnorm): case,
// accents, look-alike letters, zero-width characters, leetspeak and
// spaced letters are undone ("C i t i b a n k", "Amaz0n", "Ρaypal" with a
// Greek Rho). A name matches as whole words, and a name written as one word
// also matches when the text splits it in up to three words ("U.S. Bank",
// "Wells Fargo", "Bank of America"); a name in a script written without spaces
// (Thai, Chinese) matches anywhere. The links themselves are not text: a
// brand in a link is what the squat and subdomain signals look at.
//
// What a name is: a brand's tokens (unless the brand's name is an ordinary
// word, Brand.Word) and its Names. A link does not carry the signal when it
// is on a protected brand's own domain (any brand's: a shop's notice links
// to the carrier that delivers), when its registrable label, one of the
// label's hyphen-separated parts, or its top-level domain is a brand's token
// (the brand on a country domain it does not list, "lazada.co.th", a
// subsidiary, "maybank-ke.co.th", its own TLD, "scbcx.scb": the squat
// signals judge those), when it is an IP literal (IP_LITERAL_URL), or when
// it is on a notice service (data/notice_services.txt: the tracking, link
// and commerce platforms businesses send their notices through).

// maxNameWords is how many words of the text one name written as one word
// may be split into ("u s bank").
const maxNameWords = 3

// nameIndex finds protected brand names in normalized text. It is
// immutable once built and safe for concurrent use.
type nameIndex struct {
	// words and joined hold the names written without spaces, as they
	// read in the Words and the Joined forms.
	words, joined nameTrie
	// nospace are names in scripts written without spaces, in the Words
	// form: found anywhere.
	nospace []nameBytes
}

type nameBytes struct {
	name  []byte
	brand string
}

// nameTrie is a byte trie of names; node 0 is the root, whose children
// are also in a table: every word of the text starts there.
type nameTrie struct {
	nodes []nameNode
	root  [256]int32 // the root's child by byte, 0 for none
}

type nameNode struct {
	next  []nameEdge // few: searched in order
	brand string     // the primary domain of the brand a name ending here names, or ""
}

type nameEdge struct {
	c    byte
	node int32
}

func (t *nameTrie) add(name, brand string) {
	if len(t.nodes) == 0 {
		t.nodes = append(t.nodes, nameNode{})
	}
	n := int32(0)
	for i := 0; i < len(name); i++ {
		next := t.child(n, name[i])
		if next < 0 {
			next = int32(len(t.nodes))
			t.nodes = append(t.nodes, nameNode{})
			t.nodes[n].next = append(t.nodes[n].next, nameEdge{name[i], next})
			if n == 0 {
				t.root[name[i]] = next
			}
		}
		n = next
	}
	if t.nodes[n].brand == "" {
		t.nodes[n].brand = brand
	}
}

func (t *nameTrie) child(n int32, c byte) int32 {
	if n == 0 && len(t.nodes) > 0 {
		if r := t.root[c]; r > 0 {
			return r
		}
		return -1
	}
	for _, e := range t.nodes[n].next {
		if e.c == c {
			return e.node
		}
	}
	return -1
}

// newNameIndex indexes the text names of brands.
func newNameIndex(brands []Brand) *nameIndex {
	x := &nameIndex{}
	var t textnorm.Text
	seen := map[string]bool{}
	for i := range brands {
		b := &brands[i]
		primary := b.Domains[0]
		for _, n := range append(b.tokens(), b.Names...) {
			t.Reset(n)
			words := string(t.Bytes(textnorm.Words))
			if words == "" || seen[words] {
				continue
			}
			seen[words] = true
			if strings.ContainsFunc(words, noSpaceScript) {
				x.nospace = append(x.nospace, nameBytes{[]byte(words), primary})
				continue
			}
			x.words.add(strings.ReplaceAll(words, " ", ""), primary)
			x.joined.add(strings.ReplaceAll(string(t.Bytes(textnorm.Joined)), " ", ""), primary)
		}
	}
	return x
}

//go:embed data/notice_services.txt
var builtinNoticeServices string

var noticeServices = setOf(mustList(builtinNoticeServices))

var textPool = sync.Pool{New: func() any { return new(textnorm.Text) }}

// named returns the primary domain of the first brand body names outside
// its links (spans: pairs of byte offsets, in order), or "". The text
// between the links is read piece by piece: a name never spans a link, and
// a link's letters and digits, which read as leetspeak, are not read.
func (x *nameIndex) named(body string, spans [][2]int) string {
	t := textPool.Get().(*textnorm.Text)
	defer textPool.Put(t)
	from := 0
	for i := 0; i <= len(spans); i++ {
		to := len(body)
		if i < len(spans) {
			to = spans[i][0]
		}
		if to > from {
			if br := x.namedIn(t, body[from:to]); br != "" {
				return br
			}
		}
		if i < len(spans) {
			from = max(from, spans[i][1])
		}
	}
	return ""
}

// namedIn returns the brand a piece of text without links names, or "".
func (x *nameIndex) namedIn(t *textnorm.Text, s string) string {
	t.Reset(s)
	if br := x.words.find(t, textnorm.Words); br != "" {
		return br
	}
	if t.Deobfuscated() {
		if br := x.joined.find(t, textnorm.Joined); br != "" {
			return br
		}
	}
	if len(x.nospace) > 0 && !isASCIIString(s) {
		w := t.Bytes(textnorm.Words)
		for _, n := range x.nospace {
			if bytes.Contains(w, n.name) {
				return n.brand
			}
		}
	}
	return ""
}

// find walks the trie from every word start of text, across at most
// maxNameWords words, and returns the brand of the first name that ends at
// a word end, in form f of t. A short name read out of a code is skipped
// (inCode).
func (tr *nameTrie) find(t *textnorm.Text, f textnorm.Form) string {
	text := t.Bytes(f)
	if len(tr.nodes) == 0 {
		return ""
	}
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' || !wordStart(text, i) {
			continue
		}
		n, words := int32(0), 1
		for j := i; j < len(text); j++ {
			c := text[j]
			if c == ' ' {
				if words == maxNameWords {
					break
				}
				words++
				continue
			}
			if n = tr.child(n, c); n < 0 {
				break
			}
			if br := tr.nodes[n].brand; br != "" && wordEnd(text, j+1) {
				if j+1-i <= maxCodeName && inCode(t, f, i, j+1) {
					continue // a longer name may still start here
				}
				return br
			}
		}
	}
	return ""
}

// maxCodeName is the longest name inCode judges: acronyms ("BDO", "UOB",
// "HSBC") are what codes are made of; longer names are not.
const maxCodeName = 4

// inCode reports whether bytes [start, end) of t's form f were written as
// one half of a pair of codes: in capitals, joined by '-' or '/' to two or
// three other capitals ("PDG-BDO", "CGK/BDO": an airport route, BDO being
// Bandung's IATA code; "NY-USA"). IATA airport and airline codes, ISO
// country and currency codes are written that way, in two or three
// capitals, as most bank acronyms are. A brand mention stands as a word, or
// heads a longer tag or a reference of its own ("BOFA-ALERT", "UPS-ZOF05",
// "SCB-2723", "IRS_TAX_REFUND"): those still count.
func inCode(t *textnorm.Text, f textnorm.Form, start, end int) bool {
	s, e := t.Span(f, start, end)
	src := t.Source()
	if s >= e || e > len(src) || !capitals(src[s:e]) {
		return false
	}
	if s >= 3 && (src[s-1] == '-' || src[s-1] == '/') {
		i := s - 1
		for i > 0 && isAlpha(src[i-1]) {
			i--
		}
		if n := s - 1 - i; n >= 2 && n <= 3 && capitals(src[i:s-1]) && (i == 0 || !isAlnum(src[i-1])) {
			return true
		}
	}
	if e+3 <= len(src) && (src[e] == '-' || src[e] == '/') {
		j := e + 1
		for j < len(src) && isAlpha(src[j]) {
			j++
		}
		if n := j - e - 1; n >= 2 && n <= 3 && capitals(src[e+1:j]) && (j == len(src) || !isAlnum(src[j])) {
			return true
		}
	}
	return false
}

// capitals reports whether s is made of the ASCII capitals A-Z only.
func capitals(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// wordStart and wordEnd: normalized text separates words by one space; a
// change between ASCII and other scripts ("plusบน") is a boundary too.
func wordStart(text []byte, i int) bool {
	return i == 0 || text[i-1] == ' ' || (text[i-1] < utf8.RuneSelf) != (text[i] < utf8.RuneSelf)
}

func wordEnd(text []byte, i int) bool {
	return i == len(text) || text[i] == ' ' || (text[i-1] < utf8.RuneSelf) != (text[i] < utf8.RuneSelf)
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// onNoticeService reports whether host is a notice service or below one.
func onNoticeService(host string) bool {
	for h := host; h != ""; h = parent(h) {
		if _, ok := noticeServices[h]; ok {
			return true
		}
	}
	return false
}

// foreign reports whether l may carry BrandInText: a link on a host name
// that no protected brand owns or names (see the comment at the top).
func (a *Analyzer) foreign(l *Link) bool {
	b := a.brands
	if l.IPLiteral || b == nil || l.Domain == "" {
		return false
	}
	if _, own := b.domains[l.Domain]; own {
		return false
	}
	if onNoticeService(l.Host) {
		return false
	}
	// Domain is the registrable domain: its first label is the
	// registrable label, the rest the public suffix.
	dot := strings.IndexByte(l.Domain, '.')
	if dot <= 0 {
		return false
	}
	if _, ok := b.tokens[l.Domain[strings.LastIndexByte(l.Domain, '.')+1:]]; ok {
		return false // the brand's own TLD
	}
	reg := l.Domain[:dot]
	// The label without its hyphens, built without allocating (the map
	// lookup converts the buffer in place), then each hyphen part.
	var buf [64]byte
	flat := buf[:0]
	for i := 0; i < len(reg) && len(flat) < len(buf); i++ {
		if reg[i] != '-' {
			flat = append(flat, reg[i])
		}
	}
	if _, ok := b.tokens[string(flat)]; ok {
		return false
	}
	for part := range strings.SplitSeq(reg, "-") {
		if _, ok := b.tokens[part]; ok {
			return false
		}
	}
	return true
}
