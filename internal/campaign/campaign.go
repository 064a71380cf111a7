// Package campaign computes a near-duplicate fingerprint of a message body,
// so that a campaign is recognised when its senders change a word, a code,
// an amount or a link from one message to the next.
//
// Use it in the classify step, on the normalized body (textnorm's words
// form), and give the fingerprint's band keys and signature to the state
// store, which counts a message with the campaign whose first message
// shares a band key with it and enough of its signature
// (state.Campaigns). Reported messages (REPORTED_CONTENT) are matched by
// band key: a message is a near-duplicate of a reported one when they
// share one.
//
// The fingerprint is MinHash over word 3-shingles, with LSH bands. Each word
// with a digit becomes one "#" token (codes, amounts, dates, phone numbers),
// and each link one link token, so rotating them changes nothing. Two
// bodies whose shingle sets have Jaccard similarity J share at least one of
// the Bands band keys with probability 1-(1-J²)^Bands: 0.99 at J = 0.7 (one
// word changed in a 20-word message), 0.83 at J = 0.45 (one word in ten),
// 0.08 at J = 0.1.
//
// Band keys name candidates only: a message of a campaign that shares no
// band with some earlier ones (one pair in 50 at J = 0.65) would count too
// few of the campaign's recipients, and looser bands let different
// templates meet. So a store confirms candidates by the signature
// (state.Campaigns): a message is counted with the campaign whose first
// message's signature shares at least Confirm of its Hashes values.
//
// Of allocates nothing and keeps no state; it is safe for concurrent use.
package campaign

import "unicode/utf8"

const (
	// Hashes is the number of MinHash values in a fingerprint.
	Hashes = 2 * Bands
	// Bands is the number of LSH band keys (two MinHash values each).
	Bands = 8

	shingle = 3 // words per shingle

	// Confirm is how many of the Hashes values a near-duplicate shares
	// with its campaign's first message at least: 7 of 16 estimates a
	// Jaccard similarity of 0.44. One word changed in twenty gives about
	// 0.75 (fewer than 7 shared one time in 200), one template with six
	// of its twenty words filled in differently about 0.2.
	Confirm = 7
)

// Fingerprint is the MinHash signature of a body. The zero Fingerprint is
// the fingerprint of a body without words; its band keys are all zero, which
// callers should not count (see Empty).
type Fingerprint struct {
	mins [Hashes]uint64
	n    int // shingles seen
}

// Empty reports whether the body had no word to fingerprint.
func (f Fingerprint) Empty() bool { return f.n == 0 }

// Bands returns the band keys: hashes of consecutive pairs of MinHash
// values. Near-duplicates share at least one with high probability (see
// the package documentation); unrelated bodies almost never do.
func (f Fingerprint) Bands() [Bands]uint64 {
	var k [Bands]uint64
	if f.n == 0 {
		return k
	}
	for i := range k {
		k[i] = mix(f.mins[2*i]^mix(f.mins[2*i+1]+uint64(i)+1)) | 1 // never 0
	}
	return k
}

// Signature returns the MinHash values, which a store keeps for a
// campaign's first message (state.Campaigns) and compares position by
// position.
func (f Fingerprint) Signature() [Hashes]uint64 { return f.mins }

// Similarity estimates the Jaccard similarity of the two bodies' shingle
// sets, from 0 to 1.
func (f Fingerprint) Similarity(g Fingerprint) float64 {
	if f.n == 0 || g.n == 0 {
		return 0
	}
	same := 0
	for i := range f.mins {
		if f.mins[i] == g.mins[i] {
			same++
		}
	}
	return float64(same) / Hashes
}

const (
	tokDigits = 0x9e3779b97f4a7c15 // a word with a digit
	tokLink   = 0xc2b2ae3d27d4eb4f // a link
)

// Of returns the fingerprint of body.
func Of(body string) Fingerprint {
	var f Fingerprint
	for i := range f.mins {
		f.mins[i] = ^uint64(0)
	}
	var ring [shingle]uint64
	tokens := 0
	emit := func(t uint64) {
		ring[0], ring[1], ring[2] = ring[1], ring[2], t
		tokens++
		if tokens >= shingle {
			f.add(ring[0]*0x100000001b3 ^ mix(ring[1])*31 ^ mix(mix(ring[2])))
		}
	}
	for i := 0; i < len(body); {
		// One whitespace-separated word at a time.
		for i < len(body) && body[i] <= ' ' {
			i++
		}
		start := i
		for i < len(body) && body[i] > ' ' {
			i++
		}
		if start == i {
			break
		}
		word := body[start:i]
		if isLink(word) {
			emit(tokLink)
			continue
		}
		tokenize(word, emit)
	}
	if tokens > 0 && tokens < shingle {
		// A body of one or two words: one shingle of what there is.
		f.add(ring[0]*0x100000001b3 ^ mix(ring[1])*31 ^ mix(mix(ring[2])))
	}
	return f
}

func (f *Fingerprint) add(s uint64) {
	f.n++
	for i := range f.mins {
		if v := mix(s ^ seeds[i]); v < f.mins[i] {
			f.mins[i] = v
		}
	}
}

// tokenize splits a word into runs of letters and digits and emits one token
// per run: tokDigits when the run holds a digit, else the hash of the run,
// ASCII lower-cased. A character of a script written without spaces (Han,
// kana, Thai...) is a token by itself, so one changed character changes one
// token.
func tokenize(w string, emit func(uint64)) {
	h, n, digit := uint64(fnvOffset), 0, false
	flush := func() {
		if n > 0 {
			if digit {
				emit(tokDigits)
			} else {
				emit(h)
			}
		}
		h, n, digit = fnvOffset, 0, false
	}
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= '0' && c <= '9':
				digit = true
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z':
			default:
				flush()
				continue
			}
			h = (h ^ uint64(c)) * fnvPrime
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if noSpace(r) {
			flush()
			emit(mix(uint64(r)))
			i += size
			continue
		}
		for j := 0; j < size; j++ {
			h = (h ^ uint64(w[i+j])) * fnvPrime
		}
		n++
		i += size
	}
	flush()
}

// isLink reports whether a whitespace-separated word is a link: it has a
// scheme, or a dot between two letters followed by more text or a slash.
func isLink(w string) bool {
	for i := 0; i+2 < len(w); i++ {
		switch {
		case w[i] == ':' && w[i+1] == '/' && w[i+2] == '/':
			return true
		case w[i] == '.' && i > 0 && isLetter(w[i-1]) && isLetter(w[i+1]) && isLetter(w[i+2]):
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= utf8.RuneSelf }

// noSpace reports whether r belongs to a script written without spaces.
func noSpace(r rune) bool {
	return r >= 0x0E00 && r <= 0x0EFF || // Thai, Lao
		r >= 0x1780 && r <= 0x17FF || // Khmer
		r >= 0x1000 && r <= 0x109F || // Myanmar
		r >= 0x2E80 && r <= 0x9FFF || // CJK radicals, kana, CJK ideographs
		r >= 0xAC00 && r <= 0xD7AF || // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF // CJK compatibility ideographs
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// mix is the SplitMix64 finalizer: a cheap 64-bit permutation whose output
// bits all depend on every input bit.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// seeds make Hashes independent permutations out of mix. They are fixed:
// fingerprints are stored and compared across engines and restarts.
var seeds = func() (s [Hashes]uint64) {
	x := uint64(0x6d736766696c7472) // "msgfiltr"
	for i := range s {
		x += 0x9e3779b97f4a7c15
		s[i] = mix(x)
	}
	return s
}()
