package model

import (
	"unicode/utf8"
	"unsafe"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// FeatureVersion identifies the feature extraction. A model file records the
// version it was trained with, and a model of another version does not load:
// its weights would sit in the wrong buckets.
const FeatureVersion = 4

// kind is the family of a feature.
type kind uint8

// Feature kinds.
const (
	kindWord   kind = iota + 1 // a token of the Joined form, digit runs masked
	kindBigram                 // two adjacent tokens of the Joined form
	kindChars                  // charN runes of the Joined form with a non-ASCII one (spaces and masked digits included)
	kindShape                  // a property of the original text (links, currency, caps, length...)
)

// charN is the length of character n-grams in runes: long enough to hold a
// Latin stem or a Thai syllable pair, short enough to survive inflection.
const charN = 4

// feature is one occurrence of a feature in a body: its hash and where it
// came from, so that a feature can be named for evidence without a global
// dictionary.
type feature struct {
	hash       uint32
	kind       kind
	shape      shape // for kindShape
	start, end int32 // bytes of the Joined form (words, chars) or of the source (shapes)
}

// Features are the hashed features of one body. Reuse one per goroutine with
// Extract: once its buffer has grown, extraction allocates nothing. The zero
// value is empty and ready for use; a Features is not safe for concurrent
// use, and it refers to the Text it was extracted from until the next
// Extract.
type Features struct {
	t     *textnorm.Text
	feats []feature
	n     [3]int // occurrences per group: words and bigrams, chars, shapes

	moneyWords int   // currency codes among the words, for the shape features
	lure       uint8 // kinds of lure words found (bit s-shapeLureUrgent)

	shapeSrc string // the text the shapes were read from (spans refer to it)
	clean    []byte // buffer of shapeSrc when it differs from the source

	form textnorm.Form // the form words and chars were read from
	mapL bool          // hash l as i (form is Words standing in for Joined)
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// groups scale features so that a long message does not outweigh a short one
// by its length alone: every feature of a group weighs 1/sqrt(count).
const (
	groupWords = iota
	groupChars
	groupShape
)

func groupOf(k kind) int {
	switch k {
	case kindWord, kindBigram:
		return groupWords
	case kindChars:
		return groupChars
	}
	return groupShape
}

// Extract replaces f's features with those of t. t must not be Reset while
// f is in use.
func (f *Features) Extract(t *textnorm.Text) {
	f.t = t
	// Words come from the Joined form: Words with leetspeak and spaced-out
	// letters undone, so "p@yp4l" and "p a y p a l" are the word the model
	// learnt. When there was nothing to undo, Joined is Words with every l
	// written i, and on ASCII text textnorm builds it only on demand (a
	// microsecond): hash Words with l as i instead (TestWordsAsJoined).
	w := t.Bytes(textnorm.Words)
	ascii := isASCII(w)
	f.form, f.mapL = textnorm.Words, true
	if !ascii || t.Deobfuscated() {
		f.form, f.mapL = textnorm.Joined, false
	}
	form := t.Bytes(f.form)
	// At most two features a byte for words, one a rune plus the pads for
	// characters, and the shapes: grow once so that add never has to.
	if need := 3*len(form) + 2 + 3*int(numShapes) + len(t.Source())/2; cap(f.feats) < need {
		f.feats = make([]feature, 0, need)
	}
	f.feats = f.feats[:0]
	f.n = [3]int{}
	f.moneyWords, f.lure = 0, 0
	f.words(form)
	if !ascii {
		f.chars(form)
	}
	f.lures(form, ascii)
	f.shapeSrc = f.visible(t.Source())
	f.shapes(f.shapeSrc)
}

// hasInvisible reports whether s holds a character visible drops, in one
// byte scan (their encodings start with 0xC2, 0xE2 or 0xEF).
func hasInvisible(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch s[i] {
		case 0xC2:
			if s[i+1] == 0xAD {
				return true
			}
		case 0xE2:
			if i+2 < len(s) && (s[i+1] == 0x80 && s[i+2] >= 0x8B && s[i+2] <= 0x8D || s[i+1] == 0x81 && s[i+2] == 0xA0) {
				return true
			}
		case 0xEF:
			if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF {
				return true
			}
		}
	}
	return false
}

// visible returns src without zero-width and format characters (U+200B–
// U+200D, U+2060, U+FEFF, U+00AD), which would otherwise split a link or a
// phone number in two for the shape scan. The copy, made only when there is
// one to remove, lives in f's buffer until the next Extract.
func (f *Features) visible(src string) string {
	if !hasInvisible(src) {
		return src
	}
	f.clean = f.clean[:0]
	for _, r := range src {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad':
			continue
		}
		f.clean = utf8.AppendRune(f.clean, r)
	}
	return unsafe.String(unsafe.SliceData(f.clean), len(f.clean))
}

// Len returns the number of feature occurrences.
func (f *Features) Len() int { return len(f.feats) }

func (f *Features) add(ft feature) {
	if len(f.feats) < cap(f.feats) {
		f.feats = f.feats[:len(f.feats)+1]
		f.feats[len(f.feats)-1] = ft
	} else {
		f.feats = append(f.feats, ft)
	}
	f.n[groupOf(ft.kind)]++
}

// Hash seeds per kind keep a word, a bigram and a character n-gram with the
// same bytes in different buckets.
const (
	seedWord   = 0x9e3779b9
	seedBigram = 0x85ebca6b
	seedChars  = 0xc2b2ae35
	seedShape  = 0x27d4eb2f
)

const fnvPrime = 16777619

func fnvByte(h uint32, b byte) uint32 { return (h ^ uint32(b)) * fnvPrime }

// mix is murmur3's finalizer: FNV's low bits are weak and the bucket is
// taken from them.
func mix(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// digitClass masks a run of n digits by its length: prices and counts,
// codes (OTPs, short codes), local numbers, full phone numbers.
func digitClass(n int) byte {
	switch {
	case n <= 3:
		return 'a'
	case n <= 6:
		return 'b'
	case n <= 9:
		return 'c'
	case n <= 13:
		return 'd'
	}
	// longer than any phone number written without a +: references,
	// serials, card and account numbers
	return 'e'
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// hashToken hashes a token with its digit runs masked, and every l as i
// when mapL is set.
func hashToken(h uint32, tok []byte, mapL bool) uint32 {
	for i := 0; i < len(tok); {
		if isDigit(tok[i]) {
			j := i
			for j < len(tok) && isDigit(tok[j]) {
				j++
			}
			h = fnvByte(fnvByte(h, '#'), digitClass(j-i))
			i = j
			continue
		}
		c := tok[i]
		if mapL && c == 'l' {
			c = 'i'
		}
		h = fnvByte(h, c)
		i++
	}
	return h
}

// maskedToken writes tok for people, with its digit runs masked as
// hashToken sees them: "call 09061701461" → "call <10-13 digits>".
func maskedToken(tok []byte) string {
	var out []byte
	for i := 0; i < len(tok); {
		if isDigit(tok[i]) {
			j := i
			for j < len(tok) && isDigit(tok[j]) {
				j++
			}
			out = append(out, digitClassNames[digitClass(j-i)-'a']...)
			i = j
			continue
		}
		out = append(out, tok[i])
		i++
	}
	return string(out)
}

var digitClassNames = [...]string{"<1-3 digits>", "<4-6 digits>", "<7-9 digits>", "<10-13 digits>", "<14+ digits>"}

// maxTokenBytes caps the bytes of a token that are hashed: a Thai or Chinese
// sentence is one token in the Words form, and its n-grams carry it instead.
const maxTokenBytes = 48

func (f *Features) words(w []byte) {
	var prev uint32
	havePrev := false
	prevStart := 0
	for i := 0; i < len(w); {
		if w[i] == ' ' {
			i++
			continue
		}
		j := i
		for j < len(w) && w[j] != ' ' {
			j++
		}
		tok := w[i:j]
		if isMoneyWord(tok) {
			f.moneyWords++
		}
		if len(tok) > maxTokenBytes {
			havePrev = false
			i = j
			continue
		}
		h := hashToken(2166136261, tok, f.mapL)
		if s := lureOf(h); s != 0 {
			f.lure |= 1 << (s - shapeLureUrgent)
		}
		f.add(feature{hash: mix(h ^ seedWord), kind: kindWord, start: int32(i), end: int32(j)})
		if havePrev {
			f.add(feature{hash: mix((prev*fnvPrime)^h^seedBigram) ^ seedBigram, kind: kindBigram, start: int32(prevStart), end: int32(j)})
		}
		prev, havePrev, prevStart = h, true, i
		i = j
	}
}

// chars adds the charN-rune windows of the Joined form that hold a
// non-ASCII character, padded with a space at both ends so that word starts
// and ends are features too. They carry scripts written without spaces
// (Thai, Chinese), where a "word" is a whole phrase; on Latin text the
// words and bigrams do as well at a third of the cost (cross-validated on
// the train split, MODEL.md). A window's
// hash is a polynomial of its runes (digits masked as '0'): one multiply a
// rune instead of one a byte.
func (f *Features) chars(j []byte) {
	const k = 0x01000193
	// A local slice with room for every window (Extract grew it): the loop
	// then writes no slice header through f.
	feats := f.feats
	var (
		runes = [charN]uint32{' ', ' ', ' ', ' '}
		start = [charN]int32{0, 0, 0, 0} // byte offset of each rune in the window
		n     = 1                        // runes in the window, the leading pad included
	)
	for i := 0; i <= len(j); {
		size, r := 1, rune(' ')
		if i < len(j) {
			r = rune(j[i])
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(j[i:])
			} else if r >= '0' && r <= '9' {
				// A run of digits is one '0': codes and amounts vary, and
				// their length is the word features' business.
				if runes[charN-1] == '0' && i > 0 && isDigit(j[i-1]) {
					i++
					continue
				}
				r = '0'
			}
		}
		runes[0], runes[1], runes[2], runes[3] = runes[1], runes[2], runes[3], uint32(r)
		start[0], start[1], start[2], start[3] = start[1], start[2], start[3], int32(i)
		n++
		if n >= charN && (runes[0]|runes[1]|runes[2]|runes[3]) >= utf8.RuneSelf {
			h := ((runes[0]*k+runes[1])*k+runes[2])*k + runes[3]
			feats = append(feats, feature{hash: mix(h ^ seedChars), kind: kindChars,
				start: start[0], end: int32(min(i+size, len(j)))})
		}
		i += size
	}
	f.n[groupChars] += len(feats) - len(f.feats)
	f.feats = feats
}
