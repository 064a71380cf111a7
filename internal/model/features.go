package model

import (
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// FeatureVersion identifies the feature extraction. A model file records the
// version it was trained with, and a model of another version does not load:
// its weights would sit in the wrong buckets.
const FeatureVersion = 1

// Kind is the family of a feature.
type Kind uint8

// Feature kinds.
const (
	KindWord   Kind = iota + 1 // a token of the Words form, digit runs masked
	KindBigram                 // two adjacent tokens of the Words form
	KindChars                  // charN runes of the Joined form (spaces and masked digits included)
	KindShape                  // a property of the original text (links, currency, caps, length...)
)

// charN is the length of character n-grams in runes: long enough to hold a
// Latin stem or a Thai syllable pair, short enough to survive inflection.
const charN = 4

// feature is one occurrence of a feature in a body: its hash and where it
// came from, so that a feature can be named for evidence without a global
// dictionary.
type feature struct {
	hash       uint32
	kind       Kind
	shape      shape // for KindShape
	start, end int32 // bytes of the Words (word, bigram) or Joined (chars) form
}

// Features are the hashed features of one body. Reuse one per goroutine with
// Extract: once its buffer has grown, extraction allocates nothing. The zero
// value is empty and ready for use; a Features is not safe for concurrent
// use, and it refers to the Text it was extracted from until the next
// Extract.
type Features struct {
	t     *textnorm.Text
	feats []feature
	n     [4]int // occurrences per group: words+bigrams, chars, shape, unused
}

// groups scale features so that a long message does not outweigh a short one
// by its length alone: every feature of a group weighs 1/sqrt(count).
const (
	groupWords = iota
	groupChars
	groupShape
)

func groupOf(k Kind) int {
	switch k {
	case KindWord, KindBigram:
		return groupWords
	case KindChars:
		return groupChars
	}
	return groupShape
}

// Extract replaces f's features with those of t. t must not be Reset while
// f is in use.
func (f *Features) Extract(t *textnorm.Text) {
	f.t = t
	f.feats = f.feats[:0]
	f.n = [4]int{}
	f.words(t.Bytes(textnorm.Words))
	f.chars(t.Bytes(textnorm.Joined))
	f.shapes(t.Source())
}

// Len returns the number of feature occurrences.
func (f *Features) Len() int { return len(f.feats) }

func (f *Features) add(ft feature) {
	f.feats = append(f.feats, ft)
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
	}
	return 'd'
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// hashToken hashes a token with its digit runs masked.
func hashToken(h uint32, tok []byte) uint32 {
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
		h = fnvByte(h, tok[i])
		i++
	}
	return h
}

// maskedToken writes tok with its digit runs masked, as hashToken sees it.
func maskedToken(tok []byte) string {
	var out []byte
	for i := 0; i < len(tok); {
		if isDigit(tok[i]) {
			j := i
			for j < len(tok) && isDigit(tok[j]) {
				j++
			}
			out = append(out, '#', digitClass(j-i))
			i = j
			continue
		}
		out = append(out, tok[i])
		i++
	}
	return string(out)
}

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
		if len(tok) > maxTokenBytes {
			havePrev = false
			i = j
			continue
		}
		h := hashToken(2166136261, tok)
		f.add(feature{hash: mix(h ^ seedWord), kind: KindWord, start: int32(i), end: int32(j)})
		if havePrev {
			f.add(feature{hash: mix((prev*fnvPrime)^h^seedBigram) ^ seedBigram, kind: KindBigram, start: int32(prevStart), end: int32(j)})
		}
		prev, havePrev, prevStart = h, true, i
		i = j
	}
}

// chars adds the charN-rune windows of the Joined form, padded with a space
// at both ends so that word starts and ends are features too.
func (f *Features) chars(j []byte) {
	if len(j) == 0 {
		return
	}
	// starts holds the byte offsets of the last charN runes; -1 is the
	// leading pad.
	var starts [charN]int
	n := 0
	push := func(off int) {
		copy(starts[:], starts[1:])
		starts[charN-1] = off
		n++
	}
	emit := func(end int) {
		if n < charN {
			return
		}
		h := uint32(2166136261)
		s := starts[0]
		from := s
		if s < 0 {
			h = fnvByte(h, ' ')
			from = 0
		}
		e := min(end, len(j))
		for k := from; k < e; k++ {
			b := j[k]
			if isDigit(b) {
				b = '0'
			}
			h = fnvByte(h, b)
		}
		if end > len(j) {
			h = fnvByte(h, ' ')
		}
		f.add(feature{hash: mix(h ^ seedChars), kind: KindChars, start: int32(from), end: int32(e)})
	}
	push(-1)
	for i := 0; i < len(j); {
		_, size := utf8.DecodeRune(j[i:])
		push(i)
		emit(i + size)
		i += size
	}
	push(len(j))
	emit(len(j) + 1)
}
