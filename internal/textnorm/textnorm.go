// Package textnorm turns a message body into forms suited to matching banned
// terms whatever obfuscation the sender used, and maps every normalized byte
// back to the original text so evidence shows what the sender wrote.
//
// Use it before any term matching (internal/terms does), and apply the very
// same transform to the terms: matching is then a plain byte comparison.
//
// Two forms are produced from one pass:
//
//   - Words: compatibility-decomposed (NFKD: NFKC without recomposition, so
//     that accents are separate marks that can be dropped), case-folded, format and
//     zero-width characters removed, Arabic/Persian letters unified, tatweel
//     and harakat removed, native digits made ASCII, accents stripped where
//     marks are accents (Latin, Greek, Cyrillic, Armenian, Arabic, Hebrew;
//     never Indic, Thai or other scripts whose marks are letters' vowels),
//     letters of Latin-like scripts replaced by their UTS #39 Latin
//     look-alikes, and every run of other characters (spaces, punctuation,
//     symbols, emoji, invalid bytes) replaced by one space. Word boundaries
//     are kept, so short words can be matched as whole words. Words is
//     idempotent: String(String(x)) == String(x).
//   - Joined: Words de-obfuscated further. Runs of three or more
//     single-character tokens are joined (v.o.t.e, v o t e, v_o_t_e → vote),
//     separators between letters of scripts written without spaces (Han, Kana,
//     Thai, Lao, Khmer, Myanmar) are removed, and inside a token that holds a
//     letter the leetspeak characters 0 1 3 4 5 7 @ $ become o i e a s t a s.
//     Tokens without letters are left alone, so an OTP "1234" stays digits and
//     never becomes a word. Because 1 stands for both i and l, Joined also
//     writes every l as i; terms are transformed the same way, so "a1coho1"
//     matches "alcohol". Digits that lead or trail a word's letters in runs
//     of two or more are a number, not leetspeak, and are set apart
//     ("b3t365" → "bet 365"). Between two letters, '!' and '|' read as i and
//     l ("cas!no", "cas|no"), and so do a '!' or '|' that starts a word after
//     a space ("!nvest", "|otto") and a '|' that ends one before a space
//     ("paypa|"); a '!' that ends a word is an exclamation. A line break
//     inside a word is removed. A letter written three or more times in a
//     row inside a word is written once ("caaasssino" → "casino"), and so is
//     a doubled letter that Latin-script words seldom double (a u y h j k q
//     w x: "caasino", "pokker"), never a common double ("coffee", "Bett").
//     Text under a bidi override (U+202D, U+202E) is written in the order
//     it is displayed, so a reversed "onisac" reads "casino": controls nest
//     as the Unicode Bidirectional Algorithm nests them, so the override
//     ends at its PDF, at the PDI of an isolate opened before it, or at the
//     end of the line, and an embedding or isolate opened inside it is not
//     reversed. Joined is only worth scanning when Deobfuscated reports that
//     it found something to undo.
//
// HTML character references (&#115; &#x73; and &amp; &lt; &gt; &quot;
// &apos; &nbsp;) are decoded in both forms, so "ca&#115;ino" is "casino".
// In a body that reads as HTML (a closing tag of a known element, or a
// <br>), tags are markup in both forms: an inline element's tags ("<b>",
// "</span>") are removed without a trace, so "ca<b>s</b>ino" is "casino",
// and a block element's ("<br>", "<p>") separate words. A tag's attributes
// stay text, since no channel renders HTML and the recipient reads them
// ("<a vote for X>"): only "<a" is markup then. Elsewhere '<' is a
// character like any other ("a<b and c>d"). Every bidi control (embedding,
// override, isolate) is removed from both forms.
//
// Invalid UTF-8 bytes count as separators; output is always valid UTF-8.
//
// Cost: ASCII text takes a fast path without x/text (about 0.3 µs for 160
// bytes); other text costs a few µs per 160 bytes. A Text reused with Reset
// does not allocate.
package textnorm

//go:generate go run gen.go -src data/confusables.txt

import (
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Form selects one of the normalized forms of a Text.
type Form int

const (
	// Words is the main normalized form, with word boundaries kept.
	Words Form = iota
	// Joined is Words with separators between single letters removed and
	// leetspeak undone.
	Joined
)

// confusable is one entry of the generated table.
type confusable struct {
	from rune
	to   string
}

// unit kinds.
const (
	kindSep    uint8 = iota // separator: space, punctuation, symbol, invalid byte
	kindLetter              // a letter (with its kept marks)
	kindDigit               // an ASCII digit (native digits already mapped)
	kindLeet                // $ @, or ! | between letters: a separator unless a letter shares the token
	kindBreak               // a line break between two letters: a separator in Words, nothing in Joined
)

// unit is one output character with the span of original text it came from.
type unit struct {
	kind    uint8
	noSpace bool  // letter of a script written without spaces
	b0, b1  int32 // bytes in Text.scratch
	o0, o1  int32 // span in the original text
}

// Text is a normalized message body. Reset it to reuse its buffers: a Text
// that is reset for every message allocates nothing once its buffers have
// grown. The zero value is an empty text, ready for Reset.
//
// A Text is not safe for concurrent use, not even its read methods: the
// Joined form of ASCII text is built on first use. The slices it returns are
// valid until the next Reset.
type Text struct {
	src          string
	scratch      []byte
	units        []unit
	form         [2][]byte
	spans        [2][]int32 // two entries per output byte: original start and end
	toks         []token
	joinedBuilt  bool
	iter         norm.Iter
	runeBuf      [4 * utf8.UTFMax]byte
	deobfuscated bool
	overrides    [][2]int32    // unit ranges under a bidi override, in display order for Joined
	bidi         [maxBidi]rune // open embeddings, overrides and isolates, innermost last
	depth        int           // entries of bidi in use (more are counted, not kept)
	deepest      int           // the most entries of bidi ever in use (BidiDepth)
	html         bool          // the body is HTML-ish: tags are markup, not text
}

// maxBidi is the nesting of bidi controls tracked; deeper ones are counted
// so that their terminators pair up, and read as not overriding. It is the
// Unicode Bidirectional Algorithm's max_depth: a phone honours an override
// under that many levels, and each control opens at least one. (Levels
// rise by one or two a control, so past 62 controls a phone may already
// ignore one counted here: that edge needs the levels, not a count.)
const maxBidi = 125

// Normalize returns the normalized forms of s.
func Normalize(s string) *Text {
	t := new(Text)
	t.Reset(s)
	return t
}

// String returns the Words form of s.
func String(s string) string {
	var t Text
	t.Reset(s)
	return string(t.form[Words])
}

// String returns the Words form.
func (t *Text) String() string { return string(t.form[Words]) }

// BidiDepth returns the deepest nesting of explicit bidi controls
// (embeddings, overrides, isolates) open at once in the text, paired as the
// Unicode Bidirectional Algorithm pairs them (a terminator with nothing to
// close closes nothing; a paragraph end closes all): 0 for text without
// any. Ordinary right-to-left text nests one or two; a renderer honours
// only so many levels (UAX #9's max_depth, 125, or fewer), and past them
// it may display what Joined does not read.
func (t *Text) BidiDepth() int { return t.deepest }

// Source returns the original text.
func (t *Text) Source() string { return t.src }

// Bytes returns the normalized form f. The slice is owned by t.
func (t *Text) Bytes(f Form) []byte {
	if f != Joined {
		return t.form[Words]
	}
	t.ensureJoined()
	return t.form[Joined]
}

// Deobfuscated reports whether Joined undid something Words kept (joined
// single letters or mapped leetspeak). When it is false, matching Joined
// finds nothing that matching Words does not.
func (t *Text) Deobfuscated() bool { return t.deobfuscated }

// Span returns the span of the original text that produced bytes
// [start, end) of form f. Out-of-range arguments are clamped; an empty range
// gives an empty span.
func (t *Text) Span(f Form, start, end int) (int, int) {
	if f != Joined {
		f = Words
	} else {
		t.ensureJoined()
	}
	n := len(t.form[f])
	start = max(0, min(start, n))
	end = max(start, min(end, n))
	if start == end {
		return 0, 0
	}
	sp := t.spans[f]
	s, e := sp[2*start], sp[2*(end-1)+1]
	if s > e || f == Joined && len(t.overrides) > 0 {
		// Joined writes overridden text in display order, so its spans
		// are not monotonic there: take the extent of the range.
		s, e = sp[2*start], sp[2*start+1]
		for i := start; i < end; i++ {
			s, e = min(s, sp[2*i]), max(e, sp[2*i+1])
		}
	}
	return int(s), int(e)
}

// Original returns the original text that produced bytes [start, end) of
// form f: the evidence of a match.
func (t *Text) Original(f Form, start, end int) string {
	s, e := t.Span(f, start, end)
	return t.src[s:e]
}

// Reset normalizes s into t, reusing t's buffers.
func (t *Text) Reset(s string) {
	t.src = s
	t.scratch = t.scratch[:0]
	t.units = t.units[:0]
	t.deobfuscated = false
	t.joinedBuilt = false
	t.overrides = t.overrides[:0]
	t.depth, t.deepest = 0, 0
	t.html = strings.IndexByte(s, '<') >= 0 && htmlish(s)
	if isASCII(s) && strings.IndexByte(s, '&') < 0 && !t.html {
		// Fast path: Words straight from the bytes; units and Joined only
		// when there is something to undo or someone asks for Joined.
		t.wordsASCII(s)
		if t.deobfuscated {
			t.ensureJoined()
		}
		return
	}
	t.unitsUnicode(s)
	t.buildWords()
	t.ensureJoined()
}

// ensureJoined builds the Joined form if Reset left it for later.
func (t *Text) ensureJoined() {
	if t.joinedBuilt {
		return
	}
	t.joinedBuilt = true
	if len(t.units) == 0 && len(t.src) > 0 && isASCII(t.src) && strings.IndexByte(t.src, '&') < 0 && !t.html {
		t.unitsASCII(t.src)
	}
	t.buildJoined()
}

// wordsASCII writes the Words form of ASCII s and sets deobfuscated as
// buildJoined would: a token (letters, digits, $ and @) that holds a letter
// and a leetspeak character, or a run of three single-character tokens.
func (t *Text) wordsASCII(s string) {
	w := slices.Grow(t.form[Words][:0], len(s))[:len(s)]
	sp := slices.Grow(t.spans[Words][:0], 2*len(s))[:2*len(s)]
	n := 0
	space := false
	singles := 0
	var tk asciiToken
	for i := 0; i < len(s); i++ {
		c := s[i]
		k := asciiKind[c]
		if k == kindSep && contextual[c] {
			k = kindAt(s, i)
		}
		switch k {
		case kindBreak:
			t.deobfuscated = true
			fallthrough
		case kindSep:
			if tk.n > 0 {
				t.endToken(s[i-tk.n:i], &tk, &singles)
				tk = asciiToken{}
			}
			space = n > 0
			continue
		case kindLetter:
			if c|0x20 == tk.prev {
				tk.run++
				tk.tripled = tk.tripled || tk.run >= 3 || rareDouble[c|0x20]
			} else {
				tk.run = 1
			}
			tk.letter, tk.trail, tk.prev = true, 0, c|0x20
		case kindDigit:
			tk.leet = tk.leet || leet[c] != c
			tk.trail++
			if !tk.letter && !tk.sym {
				tk.lead++
			}
			tk.prev = 0
		case kindLeet:
			tk.leet, tk.sym, tk.trail, tk.prev = true, true, 0, 0
		}
		tk.n++
		if k == kindLeet {
			space = n > 0
			continue
		}
		if space {
			w[n] = ' '
			sp[2*n], sp[2*n+1] = int32(i), int32(i)
			n++
			space = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		w[n] = c
		sp[2*n], sp[2*n+1] = int32(i), int32(i+1)
		n++
	}
	if tk.n > 0 {
		t.endToken(s[len(s)-tk.n:], &tk, &singles)
	}
	t.form[Words] = w[:n]
	t.spans[Words] = sp[:2*n]
}

// asciiToken is what the fast path learns of one token (a run of letters,
// digits and leetspeak symbols) to tell whether Joined will differ.
type asciiToken struct {
	n                 int  // bytes
	letter, leet, sym bool // a letter; a leetspeak character; a symbol ($ @ ! |)
	lead, trail       int  // digits before the first letter or symbol; after the last
	prev              byte // the previous letter, lower case, or 0
	run               int  // copies in a row of prev
	tripled           bool // a letter three times in a row, or a rare one twice
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// endToken records what one ASCII token, tok, means for the Joined form,
// as buildJoined decides it.
func (t *Text) endToken(tok string, tk *asciiToken, singles *int) {
	if tk.letter && (tk.leet || tk.lead >= 2 || tk.trail >= 2 || tk.tripled && variedASCII(tok)) {
		t.deobfuscated = true
	}
	if tk.n == 1 && !tk.sym {
		*singles++
		if *singles >= 3 {
			t.deobfuscated = true
		}
	} else {
		*singles = 0
	}
}

// variedASCII reports whether tok holds two different letters.
func variedASCII(tok string) bool {
	var first byte
	for i := 0; i < len(tok); i++ {
		if asciiKind[tok[i]] != kindLetter {
			continue
		}
		c := tok[i] | 0x20
		if first == 0 {
			first = c
		} else if c != first {
			return true
		}
	}
	return false
}

// unitsASCII is the fast path: no normalization, folding by table.
func (t *Text) unitsASCII(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		k := kindAt(s, i)
		if k == kindSep || k == kindBreak {
			t.units = append(t.units, unit{kind: k, o0: int32(i), o1: int32(i + 1)})
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b := int32(len(t.scratch))
		t.scratch = append(t.scratch, c)
		t.units = append(t.units, unit{kind: k, b0: b, b1: b + 1, o0: int32(i), o1: int32(i + 1)})
	}
}

var asciiKind = func() (k [128]uint8) {
	for c := '0'; c <= '9'; c++ {
		k[c] = kindDigit
	}
	for c := 'a'; c <= 'z'; c++ {
		k[c] = kindLetter
		k[c-'a'+'A'] = kindLetter
	}
	k['$'], k['@'] = kindLeet, kindLeet
	return k
}()

// contextual marks the separators whose kind depends on their neighbours.
var contextual = [256]bool{'!': true, '|': true, '\n': true, '\r': true}

// kindAt is the kind of the ASCII byte s[i] in its context: '!' and '|'
// between two letters stand for i and l, and a line break between two
// letters ("\n" or "\r\n") splits a word rather than ending it.
func kindAt(s string, i int) uint8 {
	c := s[i]
	k := asciiKind[c]
	if k != kindSep {
		return k
	}
	switch c {
	case '!', '|':
		before, after := letterBefore(s, i), letterAfter(s, i+1)
		// Between two letters both stand for a letter ("cas!no"); at the
		// start of a word after a space too ("!nvest", "|otto"), and '|'
		// at its end before one ("poke|"). A '!' that ends a word is an
		// exclamation, and "Now!!!Win" is punctuation.
		if before && after || after && spaceAt(s, i-1) || c == '|' && before && spaceAt(s, i+1) {
			return kindLeet
		}
	case '\n':
		if letterAfter(s, i+1) && (letterBefore(s, i) || i > 0 && s[i-1] == '\r' && letterBefore(s, i-1)) {
			return kindBreak
		}
	case '\r':
		if i+1 < len(s) && s[i+1] == '\n' && letterBefore(s, i) && letterAfter(s, i+2) {
			return kindBreak
		}
	}
	return kindSep
}

// spaceAt reports whether s[i] is ASCII white space or outside s (the text's
// start or end).
func spaceAt(s string, i int) bool {
	return i < 0 || i >= len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'
}

func letterBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r)
}

func letterAfter(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// entity decodes the HTML character reference at the start of s: numeric
// (&#115; &#x73;) or one of the few named ones plain-text bodies carry. It
// returns the character and the reference's length, or 0.
func entity(s string) (rune, int) {
	if len(s) < 4 || s[0] != '&' {
		return 0, 0
	}
	end := strings.IndexByte(s[:min(len(s), 12)], ';')
	if end < 2 {
		return 0, 0 // no ';', or "&;"
	}
	body := s[1:end]
	if body[0] != '#' {
		switch body {
		case "amp":
			return '&', end + 1
		case "lt":
			return '<', end + 1
		case "gt":
			return '>', end + 1
		case "quot":
			return '"', end + 1
		case "apos":
			return '\'', end + 1
		case "nbsp":
			return 0xA0, end + 1
		}
		return 0, 0
	}
	digits, base := body[1:], 10
	if len(digits) > 0 && digits[0]|0x20 == 'x' {
		digits, base = digits[1:], 16
	}
	if digits == "" {
		return 0, 0
	}
	var v rune
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c|0x20 >= 'a' && c|0x20 <= 'f':
			d = rune(c|0x20-'a') + 10
		default:
			return 0, 0
		}
		v = v*rune(base) + d
		if v > unicode.MaxRune {
			return 0, 0
		}
	}
	if v == 0 || !utf8.ValidRune(v) {
		return 0, 0
	}
	return v, end + 1
}

// htmlish reports whether s reads as HTML rather than text that happens to
// hold a '<': it has a closing tag of a known element ("</b>", "</span>")
// or a line break tag ("<br>", "<br/>"). Only then are tags markup.
func htmlish(s string) bool {
	for i := strings.IndexByte(s, '<'); i >= 0 && i+2 < len(s); {
		rest := s[i+1:]
		if rest[0] == '/' {
			if n, _ := tag(s[i:]); n > 0 {
				return true
			}
		} else if len(rest) >= 3 && rest[:2] == "br" || len(rest) >= 3 && rest[:2] == "BR" {
			if n, _ := tag(s[i:]); n > 0 {
				return true
			}
		}
		j := strings.IndexByte(rest, '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// tag returns the length of the HTML tag of a known element that s starts
// with ("<b>", "</span>", "<font color=red>", "<br/>"), and whether the
// element is inline (its tags are not word boundaries); 0 when s does not
// start with one. Attributes may not hold '<' or run past 200 bytes.
func tag(s string) (n int, inline bool) {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	j := i
	for j < len(s) && j-i < 10 && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z' || s[j] >= '1' && s[j] <= '6' && j > i) {
		j++
	}
	if j == i || j >= len(s) {
		return 0, false
	}
	kind, ok := htmlElements[strings.ToLower(s[i:j])]
	if !ok {
		return 0, false
	}
	if c := s[j]; c != '>' && c != ' ' && c != '/' && c != '\t' && c != '\n' {
		return 0, false
	}
	end := strings.IndexByte(s[j:min(len(s), j+200)], '>')
	if end < 0 || strings.IndexByte(s[j:j+end], '<') >= 0 {
		return 0, false
	}
	return j + end + 1, kind
}

// attributes returns the offset in the tag t where its attributes start, or
// 0 for a tag without any ("<b>", "</span>", "<br/>", "<br />").
func attributes(t string) int {
	i := 1
	if t[i] == '/' {
		i++
	}
	for i < len(t) && (t[i]|0x20 >= 'a' && t[i]|0x20 <= 'z' || t[i] >= '1' && t[i] <= '6') {
		i++
	}
	if strings.TrimSpace(strings.TrimSuffix(t[i:len(t)-1], "/")) == "" {
		return 0
	}
	return i
}

// htmlElements are the elements whose tags are markup, true for inline
// ones (no word boundary).
var htmlElements = map[string]bool{
	"a": true, "abbr": true, "b": true, "big": true, "code": true, "del": true, "em": true, "font": true,
	"i": true, "ins": true, "mark": true, "s": true, "small": true, "span": true, "strike": true,
	"strong": true, "sub": true, "sup": true, "tt": true, "u": true,
	"br": false, "p": false, "div": false, "li": false, "ul": false, "ol": false, "table": false,
	"tr": false, "td": false, "th": false, "h1": false, "h2": false, "h3": false, "h4": false,
	"h5": false, "h6": false, "hr": false, "body": false, "html": false, "head": false, "title": false,
	"img": false, "center": false, "blockquote": false, "pre": false,
}

// script context for combining marks.
const (
	ctxNone  = iota // no base: marks are dropped
	ctxStrip        // base of a script whose marks are accents: strip them
	ctxKeep         // base of a script whose marks are part of the letter
)

func (t *Text) unitsUnicode(s string) {
	it := &t.iter
	it.InitString(norm.NFKD, s)
	ctx := ctxNone
	ov := int32(-1) // first unit under a bidi override, or -1
	for !it.Done() {
		o0 := int32(it.Pos())
		if s[o0] == '&' {
			if r, n := entity(s[o0:]); n > 0 {
				// A character reference stands for its character, with
				// the reference as its span.
				var enc [utf8.UTFMax]byte
				d := norm.NFKD.Append(nil, enc[:utf8.EncodeRune(enc[:], r)]...) // rare: allocates
				for len(d) > 0 {
					r, size := utf8.DecodeRune(d)
					d = d[size:]
					t.addRune(s, r, o0, o0+int32(n), &ctx, &ov)
				}
				if _, err := it.Seek(int64(o0)+int64(n), io.SeekStart); err != nil {
					break // cannot happen: the offset is a character boundary
				}
				continue
			}
		}
		if s[o0] == '<' && t.html {
			if n, inline := tag(s[o0:]); n > 0 {
				// Markup: an inline tag is no text at all, so
				// "ca<b>s</b>ino" is one word; a block tag
				// (<br>, <p>) separates words. No channel
				// renders HTML, so attributes are text the
				// recipient reads ("<a vote for X>"): only
				// "<name" is markup then, and what follows is
				// read as text.
				if a := attributes(s[o0 : o0+int32(n)]); a > 0 {
					n = a
				}
				if !inline {
					t.units = append(t.units, unit{kind: kindSep, o0: o0, o1: o0 + int32(n)})
					ctx = ctxNone
				}
				if _, err := it.Seek(int64(o0)+int64(n), io.SeekStart); err != nil {
					break // cannot happen: '>' is followed by a character boundary
				}
				continue
			}
		}
		if j := t.simpleRun(s, int(o0), &ctx, &ov); j > int(o0) {
			if _, err := it.Seek(int64(j), io.SeekStart); err != nil {
				break // cannot happen: a simple character starts a segment
			}
			continue
		}
		seg := it.Next()
		o1 := int32(it.Pos())
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			if r == utf8.RuneError && size <= 1 {
				t.units = append(t.units, unit{kind: kindSep, o0: o0, o1: o1})
				ctx = ctxNone
				continue
			}
			t.addRune(s, r, o0, o1, &ctx, &ov)
		}
	}
	t.endOverride(&ov)
}

// simpleRun adds the units of the characters from s[i] on that are each a
// segment of their own, as the NFKD iterator would return them one call
// each (the iterator costs a call, a trie lookup and a copy per
// character), and returns where it stopped: i when s[i] is not one. Such a
// character is ASCII or inert (see pInert), and so is the next one: a
// combining mark after it would join its segment. The one before must be
// too: after a character whose decomposition is several segments, the
// iterator still holds the rest of them. It stops before '&' and '<',
// which the caller reads as references and tags.
func (t *Text) simpleRun(s string, i int, ctx *int, ov *int32) int {
	if !simpleAt(s, i) || i > 0 && !simpleBefore(s, i) {
		return i
	}
	j := i
	for j < len(s) {
		if c := s[j]; c < utf8.RuneSelf {
			if j > i && (c == '&' || c == '<') || j+1 < len(s) && s[j+1] >= utf8.RuneSelf && !simpleAt(s, j+1) {
				break
			}
			t.addRune(s, rune(c), int32(j), int32(j+1), ctx, ov)
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if !inert(r) || j+n < len(s) && !simpleAt(s, j+n) {
			break
		}
		t.addRune(s, r, int32(j), int32(j+n), ctx, ov)
		j += n
	}
	return j
}

// inert reports whether r is a character other than ASCII that NFKD leaves
// as it is and that begins and ends a segment (pInert).
func inert(r rune) bool { return r < 0x3100 && propTable()[r]&pInert != 0 }

// simpleAt reports whether the character at s[i] is ASCII or inert.
func simpleAt(s string, i int) bool {
	if s[i] < utf8.RuneSelf {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return inert(r)
}

// simpleBefore reports whether the character ending at s[i-1] is ASCII or
// inert.
func simpleBefore(s string, i int) bool {
	if s[i-1] < utf8.RuneSelf {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return inert(r)
}

// bidiControl follows the explicit bidi controls as the Unicode
// Bidirectional Algorithm nests them (rules X2-X8): an embedding (LRE, RLE),
// override (LRO, RLO) or isolate (LRI, RLI, FSI) opens a level, PDF closes
// the innermost embedding or override, PDI closes back to its isolate, a
// paragraph end closes everything. Text is displayed reversed while the
// innermost open level is an override: embeddings and isolates opened
// inside one display their letters in their own order. *ov is the first
// unit of the current reversed run, or -1.
func (t *Text) bidiControl(r rune, ov *int32) {
	switch {
	case r == 0x202C: // PDF
		if t.depth > 0 && (t.depth > maxBidi || !isolate(t.bidi[t.depth-1])) {
			t.depth--
		}
	case r == 0x2069: // PDI
		for d := min(t.depth, maxBidi); d > 0; d-- {
			if isolate(t.bidi[d-1]) {
				t.depth = d - 1
				break
			}
		}
	case r == 0x2029: // paragraph separator (and a line break)
		t.depth = 0
	default: // an opening control
		if t.depth < maxBidi {
			t.bidi[t.depth] = r
		}
		t.depth++
		t.deepest = max(t.deepest, t.depth)
	}
	overriding := t.depth > 0 && t.depth <= maxBidi && (t.bidi[t.depth-1] == 0x202D || t.bidi[t.depth-1] == 0x202E)
	switch {
	case overriding && *ov < 0:
		*ov = int32(len(t.units))
	case !overriding && *ov >= 0:
		t.endOverride(ov)
	}
}

func isolate(r rune) bool { return r >= 0x2066 && r <= 0x2068 }

// endOverride closes the bidi override run that started at unit *ov.
func (t *Text) endOverride(ov *int32) {
	if *ov >= 0 && int(*ov)+1 < len(t.units) {
		t.overrides = append(t.overrides, [2]int32{*ov, int32(len(t.units))})
	}
	*ov = -1
}

// addRune appends the units of one decomposed rune r that came from
// s[o0:o1].
func (t *Text) addRune(s string, r rune, o0, o1 int32, ctx *int, ov *int32) {
	if r < utf8.RuneSelf {
		k := asciiKind[r]
		if o1-o0 == 1 && s[o0] == byte(r) {
			k = kindAt(s, int(o0))
		}
		if r == '\n' && (*ov >= 0 || t.depth > 0) {
			if *ov >= 0 {
				k = kindSep // the line ends the reversed run: no word goes on across it
			}
			t.bidiControl(0x2029, ov)
		}
		if k == kindSep || k == kindBreak {
			t.units = append(t.units, unit{kind: k, o0: o0, o1: o1})
			*ctx = ctxNone
			return
		}
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		t.emit(k, false, o0, o1, byte(r))
		*ctx = ctxStrip
		if k != kindLetter {
			*ctx = ctxNone
		}
		return
	}
	if IsBidiControl(r) || r == 0x2029 {
		t.bidiControl(r, ov)
		if r != 0x2029 {
			return
		}
	}
	p := propsOf(r)
	if p&pIgnorable != 0 {
		return
	}
	if p&pMark != 0 {
		if *ctx == ctxKeep && len(t.units) > 0 {
			u := &t.units[len(t.units)-1]
			t.scratch = utf8.AppendRune(t.scratch, r)
			u.b1 = int32(len(t.scratch))
			u.o1 = max(u.o1, o1)
		}
		return
	}
	if p&pDigit != 0 {
		if d, ok := digitValue(r); ok {
			t.emit(kindDigit, false, o0, o1, '0'+d)
		} else {
			t.units = append(t.units, unit{kind: kindSep, o0: o0, o1: o1})
		}
		*ctx = ctxNone
		return
	}
	if p&pLetter == 0 {
		t.units = append(t.units, unit{kind: kindSep, o0: o0, o1: o1})
		*ctx = ctxNone
		return
	}
	if r == 'ß' || r == 'ẞ' { // full case folding: Straße = strasse
		t.emit(kindLetter, false, o0, o1, 's', 's')
		*ctx = ctxStrip
		return
	}
	r = foldLetter(r, &t.runeBuf)
	*ctx = ctxKeep
	if p&pStrip != 0 {
		*ctx = ctxStrip
	}
	if to, ok := lookupConfusable(r); ok {
		// The marks that follow are judged by the letter written
		// out, as a second pass would judge them: a Coptic shima
		// mapped to "o" takes Latin's rule (found by FuzzNormalize).
		if last, _ := utf8.DecodeLastRuneInString(to); last < utf8.RuneSelf || stripsMarks(last) {
			*ctx = ctxStrip
		}
		b := int32(len(t.scratch))
		t.scratch = append(t.scratch, to...)
		t.units = append(t.units, unit{kind: kindLetter, b0: b, b1: int32(len(t.scratch)), o0: o0, o1: o1})
		return
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	t.emit(kindLetter, p&pNoSpace != 0, o0, o1, buf[:n]...)
}

func (t *Text) emit(kind uint8, noSpace bool, o0, o1 int32, b ...byte) {
	b0 := int32(len(t.scratch))
	t.scratch = append(t.scratch, b...)
	t.units = append(t.units, unit{kind: kind, noSpace: noSpace, b0: b0, b1: int32(len(t.scratch)), o0: o0, o1: o1})
}

// props are the character properties the transform needs.
type props uint8

const (
	pIgnorable props = 1 << iota
	pMark
	pDigit
	pLetter
	pStrip   // a letter whose marks are accents
	pNoSpace // a letter of a script written without spaces
	// pInert (below U+3100 only) marks a character other than ASCII that
	// NFKD leaves as it is, of combining class 0, with a segment boundary
	// before and after it: read from the iterator, it is a segment of its
	// own when the next character is ASCII or inert too (simpleRun).
	pInert
)

// propTable caches props below U+3100 (most scripts, and kana), so that a
// character costs one load instead of a dozen range-table searches.
var propTable = sync.OnceValue(func() *[0x3100]props {
	var t [0x3100]props
	for r := range rune(len(t)) {
		t[r] = lookupProps(r)
		if r >= utf8.RuneSelf && utf8.ValidRune(r) {
			var b [utf8.UTFMax]byte
			p := norm.NFKD.Properties(b[:utf8.EncodeRune(b[:], r)])
			if len(p.Decomposition()) == 0 && p.CCC() == 0 && p.LeadCCC() == 0 && p.TrailCCC() == 0 &&
				p.BoundaryBefore() && p.BoundaryAfter() {
				t[r] |= pInert
			}
		}
	}
	return &t
})

func propsOf(r rune) props {
	switch {
	case r < 0x3100:
		return propTable()[r]
	case 0x4E00 <= r && r <= 0x9FFF: // CJK unified ideographs
		return pLetter | pNoSpace
	}
	return lookupProps(r)
}

func lookupProps(r rune) props {
	var p props
	switch {
	case ignorable(r):
		p = pIgnorable
	case unicode.IsMark(r):
		p = pMark
	case unicode.IsDigit(r):
		p = pDigit
	case unicode.IsLetter(r):
		p = pLetter
		if stripsMarks(r) {
			p |= pStrip
		}
		if noSpace(r) {
			p |= pNoSpace
		}
	}
	return p
}

// ignorable reports characters that are removed without a trace: format
// characters (ZWSP, ZWNJ, ZWJ, soft hyphen, word joiner, bidi controls, BOM),
// variation selectors, other default-ignorables and the Arabic tatweel.
func ignorable(r rune) bool {
	return r == 0x0640 || unicode.Is(unicode.Cf, r) ||
		unicode.Is(unicode.Variation_Selector, r) ||
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r)
}

// foldLetter lower-cases a letter and applies the letter unifications that
// neither NFKD nor the confusable table make.
// buf is scratch space that does not escape to the heap on each call.
func foldLetter(r rune, buf *[4 * utf8.UTFMax]byte) rune {
	switch r {
	case 'ı', 'İ': // Turkish dotless i; İ only when NFKD did not split it
		return 'i'
	case 'ς': // Greek final sigma
		return 'σ'
	case 'đ', 'Đ':
		return 'd'
	case 'ł', 'Ł':
		return 'l'
	case 'ø', 'Ø':
		return 'o'
	case 'ħ', 'Ħ':
		return 'h'
	// Arabic and Persian letter forms.
	case 'ی', 'ى', 'ې', 'ێ':
		return 'ي'
	case 'ک', 'ڪ':
		return 'ك'
	case 'ة', 'ە', 'ہ', 'ۀ', 'ھ':
		return 'ه'
	case 'ٱ':
		return 'ا'
	}
	l := unicode.ToLower(r)
	if l != r && l >= utf8.RuneSelf {
		n := utf8.EncodeRune(buf[:], l)
		if !norm.NFKD.IsNormal(buf[:n]) {
			// Rare: a lower-case form that decomposes; keep its base letter.
			var s [utf8.UTFMax]byte
			copy(s[:], buf[:n])
			base, _ := utf8.DecodeRune(norm.NFKD.Append(buf[:0], s[:n]...))
			return base
		}
	}
	return l
}

// stripsMarks reports whether the marks following r are accents (dropped)
// rather than vowels or other parts of the letter (kept).
func stripsMarks(r rune) bool {
	return unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic,
		unicode.Armenian, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana)
}

// noSpace reports letters of scripts written without spaces between words.
func noSpace(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

func lookupConfusable(r rune) (string, bool) {
	if r < confusables[0].from || r > confusables[len(confusables)-1].from {
		return "", false
	}
	i := sort.Search(len(confusables), func(i int) bool { return confusables[i].from >= r })
	if i < len(confusables) && confusables[i].from == r {
		return confusables[i].to, true
	}
	return "", false
}

// digitValue returns the value of a decimal digit (Nd) of any script. Nd
// digits come in runs of ten starting at zero.
func digitValue(r rune) (byte, bool) {
	for _, rg := range unicode.Nd.R16 {
		if r < rune(rg.Lo) {
			return 0, false
		}
		if r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10), true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r < rune(rg.Lo) {
			return 0, false
		}
		if r <= rune(rg.Hi) {
			return byte((r - rune(rg.Lo)) % 10), true
		}
	}
	return 0, false
}

func (t *Text) appendOut(f Form, b []byte, o0, o1 int32) {
	t.form[f] = append(t.form[f], b...)
	for range b {
		t.spans[f] = append(t.spans[f], o0, o1)
	}
}

// buildWords writes the Words form: letters and digits, one space for every
// run of anything else.
func (t *Text) buildWords() {
	t.form[Words] = t.form[Words][:0]
	t.spans[Words] = t.spans[Words][:0]
	space := false
	for i := range t.units {
		u := &t.units[i]
		if u.kind == kindSep || u.kind == kindLeet || u.kind == kindBreak {
			space = len(t.form[Words]) > 0
			continue
		}
		if space {
			t.appendOut(Words, spaceByte, u.o0, u.o0)
			space = false
		}
		t.appendOut(Words, t.scratch[u.b0:u.b1], u.o0, u.o1)
	}
}

var spaceByte = []byte{' '}

// token is a maximal run of non-separator units.
type token struct {
	u0, u1    int // units
	hasLetter bool
}

// buildJoined writes the Joined form (see the package documentation).
func (t *Text) buildJoined() {
	t.form[Joined] = t.form[Joined][:0]
	t.spans[Joined] = t.spans[Joined][:0]
	units := t.units
	for _, o := range t.overrides {
		slices.Reverse(units[o[0]:o[1]]) // display order; Words is built already
		t.deobfuscated = true
	}
	toks := t.toks[:0]
	for i := 0; i < len(units); {
		if units[i].kind == kindSep {
			i++
			continue
		}
		tk := token{u0: i}
		for ; i < len(units) && units[i].kind != kindSep; i++ {
			tk.hasLetter = tk.hasLetter || units[i].kind == kindLetter
			if units[i].kind == kindBreak {
				t.deobfuscated = true
			}
		}
		tk.u1 = i
		toks = append(toks, tk)
	}
	t.toks = toks
	single := func(k int) bool {
		return toks[k].u1-toks[k].u0 == 1 && units[toks[k].u0].kind != kindLeet
	}
	for k := 0; k < len(toks); {
		// The group [k, m) of tokens written without spaces between them.
		run := 0
		for j := k; j < len(toks) && single(j); j++ {
			run++
		}
		m := k + 1
		if run >= 3 {
			m = k + run
		} else {
			for m < len(toks) && units[toks[m-1].u1-1].noSpace && units[toks[m].u0].noSpace {
				m++
			}
		}
		if m-k > 1 {
			t.deobfuscated = true
		}
		hasLetter := false
		for j := k; j < m; j++ {
			hasLetter = hasLetter || toks[j].hasLetter
		}
		space := len(t.form[Joined]) > 0
		for j := k; j < m; j++ {
			first, last := letterBounds(units, toks[j], m-k == 1)
			// Letters written three or more times in a row inside a word
			// are written once ("caaasssino"): nobody writes a letter
			// three times except to dodge a filter. So are the letters
			// Latin-script words seldom double ("caasino", "pokker";
			// rareDouble), but not the common doubles ("coffee", "Bett":
			// folded, those would meet other words).
			varied := hasLetter && variedLetters(units, t.scratch, toks[j])
			runStart, runEnd := 0, 0
			for x := toks[j].u0; x < toks[j].u1; x++ {
				u := &units[x]
				if u.kind == kindSep || u.kind == kindBreak {
					continue
				}
				if u.kind == kindLeet && !hasLetter {
					space = len(t.form[Joined]) > 0
					continue
				}
				number := x < first || x > last // digits before or after the letters
				if number && x == last+1 {
					space = len(t.form[Joined]) > 0 // "b3t365" → "bet 365"
					t.deobfuscated = true
				}
				if space {
					t.appendOut(Joined, spaceByte, u.o0, u.o0)
					space = false
				}
				if !hasLetter || number {
					t.appendOut(Joined, t.scratch[u.b0:u.b1], u.o0, u.o1)
					if x == first-1 { // "365bet" → "365 bet"
						space, t.deobfuscated = true, true
					}
					continue
				}
				if varied && u.kind == kindLetter {
					if x >= runEnd {
						runStart, runEnd = x, x+1
						for runEnd < toks[j].u1 && sameLetter(units, t.scratch, x, runEnd) {
							runEnd++
						}
					}
					if x > runStart && (runEnd-runStart >= 3 || runEnd-runStart == 2 && rareDoubleAt(units, t.scratch, x)) {
						t.deobfuscated = true
						continue
					}
				}
				for _, c := range t.scratch[u.b0:u.b1] {
					l := leet[c]
					if l != c && c != 'l' {
						t.deobfuscated = true
					}
					t.form[Joined] = append(t.form[Joined], l)
					t.spans[Joined] = append(t.spans[Joined], u.o0, u.o1)
				}
			}
		}
		k = m
	}
}

// letterBounds returns the first and last letter units of tk when digits
// lead or trail its letters in a run of two or more ("365bet", "b3t365"),
// which are then a number rather than leetspeak; otherwise it returns bounds
// that hold the whole token. Only a token that stands alone (whole) counts.
func letterBounds(units []unit, tk token, whole bool) (first, last int) {
	first, last = tk.u0, tk.u1-1
	if !whole || !tk.hasLetter {
		return first, last
	}
	f, l := -1, -1
	for x := tk.u0; x < tk.u1; x++ {
		if units[x].kind == kindLetter {
			if f < 0 {
				f = x
			}
			l = x
		}
	}
	digitRun := func(a, b int) bool { // units [a, b) are all digits, two or more
		if b-a < 2 {
			return false
		}
		for x := a; x < b; x++ {
			if units[x].kind != kindDigit {
				return false
			}
		}
		return true
	}
	if digitRun(tk.u0, f) {
		first = f
	}
	if digitRun(l+1, tk.u1) {
		last = l
	}
	return first, last
}

// rareDouble marks the ASCII letters that words of the Latin-script
// languages the packs cover seldom write twice in a row (English, French,
// German, Spanish, Italian, Portuguese, Turkish): a, u, y, h, j, k, q, w, x.
// Dutch and Finnish double vowels (naar, tuuli) fold harmlessly: terms fold
// the same way. Not i: Joined writes l as i, so "ii" there is as often an
// ordinary "ll" ("click" and "Ciick" both read "ciick").
var rareDouble = [256]bool{'a': true, 'u': true, 'y': true, 'h': true, 'j': true, 'k': true, 'q': true, 'w': true, 'x': true}

// rareDoubleAt reports whether unit x is one ASCII letter of rareDouble.
func rareDoubleAt(units []unit, scratch []byte, x int) bool {
	u := &units[x]
	return u.b1-u.b0 == 1 && rareDouble[scratch[u.b0]]
}

// sameLetter reports whether units a and b are the same letter.
func sameLetter(units []unit, scratch []byte, a, b int) bool {
	ua, ub := &units[a], &units[b]
	return ua.kind == kindLetter && ub.kind == kindLetter && string(scratch[ua.b0:ua.b1]) == string(scratch[ub.b0:ub.b1])
}

// variedLetters reports whether tk holds two different letters: only then
// are repeated letters folded ("xxx" alone stays).
func variedLetters(units []unit, scratch []byte, tk token) bool {
	first := -1
	for y := tk.u0; y < tk.u1; y++ {
		if units[y].kind != kindLetter {
			continue
		}
		if first < 0 {
			first = y
		} else if !sameLetter(units, scratch, first, y) {
			return true
		}
	}
	return false
}

// leet maps leetspeak characters to the letters they stand for, and l to i
// because 1 stands for both.
var leet = func() (m [256]byte) {
	for i := range m {
		m[i] = byte(i)
	}
	for _, p := range [...][2]byte{{'0', 'o'}, {'1', 'i'}, {'l', 'i'}, {'3', 'e'}, {'4', 'a'}, {'5', 's'}, {'7', 't'}, {'@', 'a'}, {'$', 's'}, {'!', 'i'}, {'|', 'i'}} {
		m[p[0]] = p[1]
	}
	return m
}()

// IsBidiControl reports the embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069): the controls that change the order in
// which text displays, which Text reads in display order.
func IsBidiControl(r rune) bool {
	return 0x202A <= r && r <= 0x202E || 0x2066 <= r && r <= 0x2069
}

// HasBidiControl reports whether s holds a control IsBidiControl reports,
// without decoding s (each is the three bytes E2 80 AA–AE or E2 81 A6–A9).
func HasBidiControl(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != 0xE2 {
			continue
		}
		if s[i+1] == 0x80 && s[i+2] >= 0xAA && s[i+2] <= 0xAE || s[i+1] == 0x81 && s[i+2] >= 0xA6 && s[i+2] <= 0xA9 {
			return true
		}
	}
	return false
}
