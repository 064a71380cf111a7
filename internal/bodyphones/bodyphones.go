// Package bodyphones finds the phone numbers written in a message body, for
// rules such as the UAE's PHONE_NUMBER_NOT_ALLOWED.
//
// Use Find in the extract step of the filter pipeline. A body with fewer than
// seven digits is answered by one byte scan with no allocation. Otherwise
// phone-shaped runs of digits and separators are cut out of the text, the
// shapes that are not phone numbers (one-time codes, amounts, dates) are
// dropped, and each remaining candidate must parse and validate against the
// libphonenumber metadata (github.com/nyaruka/phonenumbers).
//
// Find is safe for concurrent use; it keeps no state.
package bodyphones

import (
	"hash/maphash"
	"math/bits"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/nyaruka/phonenumbers"
)

// Number is a phone number found in a body.
type Number struct {
	// Text is the number as written (a substring of the body).
	Text string `json:"text"`
	// E164 is the number in E.164 form, "+971501234567".
	E164 string `json:"e164"`
	// Region is the ISO 3166-1 alpha-2 region the number belongs to ("AE"),
	// or "001" for non-geographic numbers.
	Region string `json:"region"`
	// Type is the number's type from the libphonenumber metadata (mobile,
	// toll_free, premium_rate...), so that a premium-rate number written in
	// a promotional body can be a SENDER_PREMIUM_RATE signal. It is not in
	// the JSON form: the engine maps it into its own facts.
	Type geo.NumberType `json:"-"`
}

const (
	minDigits = 7  // the shortest national numbers in the metadata
	maxDigits = 17 // E.164 allows 15; leave room for a written trunk or IDD prefix
	maxTries  = 3  // parses per candidate: the whole run, then shorter prefixes
)

// Find returns the valid phone numbers written in body, in order. Numbers
// without a country calling code are read as national numbers of
// defaultRegion (ISO 3166-1 alpha-2, any case; "" accepts only numbers
// written with "+" or an international prefix). It returns nil when there are
// none.
//
// Not reported: runs of up to eight digits written without a separator or
// "+" (one-time codes), amounts (a currency next to them, or cents), and
// dates such as 2026-11-22 or 22/11/2026.
func Find(body string, defaultRegion string) []Number {
	return find(body, defaultRegion, nil)
}

// MaxNumbers bounds the numbers Find reports for one body: each costs a
// libphonenumber parse (10–35 µs), and a body full of numbers would otherwise
// take tens of milliseconds. Rules need to know that a body carries numbers,
// not every one of them.
const MaxNumbers = 16

// maxCandidates bounds the phone-shaped runs Find examines, valid or not.
const maxCandidates = 4 * MaxNumbers

func find(body, defaultRegion string, c *Finder) []Number {
	out, _ := scan(body, defaultRegion, c, false)
	return out
}

// NoneByShape reports that Find finds no number in body, whatever the
// values of its digits: every phone-shaped run in it is refused by its
// shape alone (too few digits, a one-time code's shape, an amount's
// currency or cents), before any test that reads what its digits are.
// Which bytes are digits, and the rest of the body, decide it; so a body
// that differs from body only in the values of ASCII digits has no number
// either. It does not allocate.
func NoneByShape(body string) bool {
	_, shaped := scan(body, "", nil, true)
	return shaped
}

// scan is Find, or with byShape NoneByShape's test: shaped is false as
// soon as a candidate would be decided by its digits' values. Both walk
// the same candidates in the same order, so that they cannot drift apart.
func scan(body, defaultRegion string, c *Finder, byShape bool) (out []Number, shaped bool) {
	if !enoughDigits(body) {
		return nil, true
	}
	region := strings.ToUpper(defaultRegion)
	if region == "" {
		region = "ZZ"
	}
	for i, tried := 0, 0; i < len(body) && len(out) < MaxNumbers && tried < maxCandidates; tried++ {
		start, end, ok := candidate(body, i)
		if !ok {
			break
		}
		i = end
		n, found, shapedHere := check(body, start, end, region, c, byShape)
		if byShape && !shapedHere {
			return nil, false
		}
		if found {
			out = append(out, n)
		}
	}
	// Past maxCandidates the rest of the body is not read: the count of
	// candidates is a matter of shape too.
	return out, true
}

// enoughDigits reports whether s holds at least minDigits decimal digits,
// ASCII or not. It does not allocate. ASCII digits are counted eight bytes
// at a time: with each byte's high bit cleared (so that no sum carries into
// the next byte), b+0x50 has its high bit when b >= '0' and b+0x46 when
// b > '9'; a byte that had its high bit is no ASCII digit, and makes the
// body one to read by runes.
func enoughDigits(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	n, high := 0, uint64(0)
	i := 0
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		y := x &^ highs
		high |= x
		if n += bits.OnesCount64((y + 0x50*ones) &^ (y + 0x46*ones) &^ x & highs); n >= minDigits {
			return true
		}
	}
	for ; i < len(s); i++ {
		c := s[i]
		high |= uint64(c)
		if isDigit(c) {
			if n++; n >= minDigits {
				return true
			}
		}
	}
	if high&highs == 0 {
		return false // ASCII: no other digits
	}
	n = 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			if n++; n >= minDigits {
				return true
			}
		}
	}
	return false
}

// candidate finds the next phone-shaped run at or after i: an optional '+',
// then digits, with up to three separators (space, '-', '.', '/', '(' and
// ')') between digit groups.
func candidate(s string, i int) (start, end int, ok bool) {
	for i < len(s) {
		// Most of a body is ASCII that cannot start a number: skipped
		// eight bytes at a time, without decoding.
		if i = nextStart(s, i); i == len(s) {
			break
		}
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		startsHere := unicode.IsDigit(r) ||
			((r == '+' || r == '(') && i+size < len(s) && startsDigit(s[i+size:]))
		if !startsHere {
			i += size
			continue
		}
		// A digit glued to a letter or another number's tail is part of a
		// word or code ("A123", "x2"), not the start of a phone number.
		if i > 0 && unicode.IsDigit(r) {
			p := rune(s[i-1])
			if p >= utf8.RuneSelf {
				p, _ = utf8.DecodeLastRuneInString(s[:i])
			}
			if unicode.IsLetter(p) || p == '_' || p == '/' || p == '.' || p == ',' {
				i = skipDigits(s, i)
				continue
			}
		}
		start = i
		end = i
		seps := 0
		for j := i; j < len(s); {
			if isDigit(s[j]) { // a run of ASCII digits, read at once
				for j++; j < len(s) && isDigit(s[j]); j++ {
				}
				end, seps = j, 0
				continue
			}
			// An ASCII byte is its own rune: decoded only past ASCII.
			r, size := rune(s[j]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(s[j:])
			}
			switch {
			case unicode.IsDigit(r):
				end = j + size
				seps = 0
			case j == start && (r == '+' || r == '('):
			case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')' || r == '\u00a0':
				if seps++; seps > 3 {
					return start, end, true
				}
			default:
				return start, end, true
			}
			j += size
		}
		return start, end, true
	}
	return 0, len(s), false
}

// nextStart returns the index of the first byte of s at or after i that
// may start a number (an ASCII digit, '+' or '(') or is not ASCII, or
// len(s). It tests eight bytes at a time: x^c has a zero byte where x has
// c, and a byte of y is under n when (y-n)&^y has its high bit; the lowest
// such flag of a word is always a true one (a borrow only runs upwards),
// so the index is exact, whatever the flags above it.
func nextStart(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8]
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		d, plus, open := x^'0'*ones, x^'+'*ones, x^'('*ones
		m := x | (d-10*ones)&^d | (plus-ones)&^plus | (open-ones)&^open
		if m &= highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || isDigit(c) || c == '+' || c == '(' {
			return i
		}
	}
	return i
}

func startsDigit(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsDigit(r)
}

func skipDigits(s string, i int) int {
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsDigit(r) {
			break
		}
		i += size
	}
	return i
}

// check decides whether body[start:end] is a phone number, trying shorter
// prefixes (by digit group) when the whole run is not: "call 050 123 4567 2
// times" still finds the number.
//
// With byShape it reads no digit's value: shaped is false when the run
// would go to a test that does (impossible, date, the parse), and no
// number is returned.
func check(body string, start, end int, region string, c *Finder, byShape bool) (n Number, found, shaped bool) {
	for try := 0; try < maxTries && end > start; try++ {
		text := body[start:end]
		digits, groups := shape(text)
		if digits < minDigits {
			return Number{}, false, true
		}
		if byShape {
			// otp and amount read shapes, currencies and separators only.
			if digits <= maxDigits && !otp(text, digits, groups) && !amount(body, start, end) {
				return Number{}, false, false
			}
		} else if digits <= maxDigits && !otp(text, digits, groups) && !impossible(text, region) && !amount(body, start, end) && !date(text) {
			// impossible goes first: it answers a parcel or reference
			// number for less than the currency scan of amount costs.
			if n, ok := c.parse(text, region); ok {
				return n, true, false
			}
		}
		// Drop the last digit group and its separators. A single group
		// (a parcel or reference number) leaves no digit: text is its
		// digits, or '+' or '(' and its digits (candidate puts no other
		// non-digit before a group), which the loop would cut to nothing.
		if groups == 1 {
			return Number{}, false, true
		}
		j := lastIndex(text, false)
		if j < 0 {
			return Number{}, false, true
		}
		end = start + lastIndex(text[:j+1], true) + 1
	}
	return Number{}, false, true
}

// Finder is Find with a bounded cache of parse results, for gateways where
// the same numbers recur across messages (campaigns, support lines):
// libphonenumber parsing and validation costs 10–100 µs a candidate, a cache
// hit about 100 ns. Only the context-free parse is cached; the OTP, amount
// and date checks run on every body, so results equal Find's.
//
// A Finder is safe for concurrent use. Its cache is a table of slots, each
// holding one parse behind an atomic pointer: a lookup loads the four slots
// of its text's bucket, with no lock or shared counter written, so cores
// reading it do not contend. A new parse takes an empty slot of its bucket,
// else replaces one at random. The zero Finder and a nil *Finder do not
// cache.
type Finder struct {
	slots []atomic.Pointer[cached]
	seed  maphash.Seed
}

// cached is one parse, immutable once stored.
type cached struct {
	text, region string
	n            Number
	ok           bool
}

// ways is the slots of a bucket: four ways keep a table a quarter full
// from evicting numbers that recur (one way would lose about a fifth of them
// to collisions).
const ways = 4

// NewFinder returns a Finder caching up to size candidates (size rounded up
// to a power of two, at least ways).
func NewFinder(size int) *Finder {
	metadata() // the fast path's tables (4 ms), built here rather than by the first check that needs them
	if size <= 0 {
		return &Finder{}
	}
	n := ways
	for n < size {
		n <<= 1
	}
	return &Finder{slots: make([]atomic.Pointer[cached], n), seed: maphash.MakeSeed()}
}

// Find is the package function Find, served from the cache when it can.
func (f *Finder) Find(body string, defaultRegion string) []Number {
	return find(body, defaultRegion, f)
}

func (f *Finder) parse(text, region string) (Number, bool) {
	if f == nil || len(f.slots) == 0 {
		return parse(text, region)
	}
	h := maphash.String(f.seed, text) ^ maphash.String(f.seed, region)*0x9e3779b97f4a7c15
	i := h & uint64(len(f.slots)-1) &^ (ways - 1)
	bucket := f.slots[i : i+ways : i+ways]
	for j := range bucket {
		if c := bucket[j].Load(); c != nil && c.text == text && c.region == region {
			return c.n, c.ok
		}
	}
	n, ok := parse(text, region)
	c := &cached{text: strings.Clone(text), region: region, ok: ok} // do not pin the whole body in the cache
	if ok {
		n.Text = c.text
	}
	c.n = n
	victim := &bucket[rand.IntN(ways)]
	for j := range bucket {
		if bucket[j].Load() == nil {
			victim = &bucket[j]
			break
		}
	}
	victim.Store(c)
	return n, ok
}

func parse(text, region string) (Number, bool) {
	num, err := phonenumbers.Parse(text, region)
	if err != nil {
		return Number{}, false
	}
	// IsValidNumber is exactly this, but would look the region up a second
	// time; for calling codes shared by several regions (+1, +7, +44) that
	// lookup runs their patterns and is most of the cost.
	r := phonenumbers.GetRegionCodeForNumber(num)
	if r == "" || !phonenumbers.IsValidNumberForRegion(num, r) {
		return Number{}, false
	}
	return Number{
		Text:   text,
		E164:   phonenumbers.Format(num, phonenumbers.E164),
		Region: r,
		Type:   geo.NumberTypeOf(phonenumbers.GetNumberType(num)),
	}, true
}

// lastIndex is strings.LastIndexFunc(s, f) for f = unicode.IsDigit (digit)
// or its negation: a byte loop while s is ASCII, as candidates mostly are.
func lastIndex(s string, digit bool) int {
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c >= utf8.RuneSelf {
			return strings.LastIndexFunc(s[:i+1], func(r rune) bool { return unicode.IsDigit(r) == digit })
		}
		if isDigit(c) == digit {
			return i
		}
	}
	return -1
}

// shape counts the digits and the digit groups of a candidate.
func shape(text string) (digits, groups int) {
	in := false
	for i := 0; i < len(text); {
		if isDigit(text[i]) { // a run of ASCII digits, counted at once
			j := i + 1
			for j < len(text) && isDigit(text[j]) {
				j++
			}
			digits += j - i
			if !in {
				groups++
				in = true
			}
			i = j
			continue
		}
		// An ASCII byte is its own rune: decoded only past ASCII (as
		// range does, an invalid byte is one utf8.RuneError).
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		if unicode.IsDigit(r) {
			digits++
			if !in {
				groups++
				in = true
			}
		} else {
			in = false
		}
	}
	return digits, groups
}

// otp reports a bare run of at most eight digits (a candidate of digits
// digits in groups groups, by shape): the shape of one-time codes, order
// numbers and PINs. Real phone numbers that short are local numbers
// written without an area code, which cannot be validated anyway.
func otp(text string, digits, groups int) bool {
	return groups == 1 && digits <= 8 && !strings.HasPrefix(text, "+")
}

// currencies are the markers that make a number next to them an amount.
var currencies = []string{
	"aed", "dhs", "dh", "rs", "inr", "usd", "eur", "gbp", "sar", "qar", "kwd", "omr", "bhd",
	"thb", "baht", "vnd", "idr", "rp", "myr", "rm", "php", "try", "tl", "amd", "irr", "rial",
	"toman", "cny", "rmb", "hkd", "twd", "ntd", "ngn", "kes", "zar", "egp", "pkr", "lkr", "bdt",
	"$", "€", "£", "₹", "¥", "฿", "₫", "₺", "₽", "₱", "₩", "﷼", "د.إ", "ر.س",
}

// amount reports a number with a currency marker just before or after it, or
// one that ends in cents ("1 250.00").
func amount(body string, start, end int) bool {
	text := body[start:end]
	if k := strings.LastIndexAny(text, ".,"); k >= 0 && len(text)-k-1 == 2 && !strings.HasPrefix(text, "+") {
		return true
	}
	before := strings.ToLower(strings.TrimRight(body[max(0, start-8):start], " \u00a0"))
	after := strings.ToLower(strings.TrimLeft(body[end:min(len(body), end+8)], " \u00a0"))
	for _, c := range currencies {
		if strings.HasSuffix(before, c) && wordEdgeBefore(before, c) {
			return true
		}
		if strings.HasPrefix(after, c) && wordEdgeAfter(after, c) {
			return true
		}
	}
	return false
}

func wordEdgeBefore(s, c string) bool {
	if len(s) == len(c) {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-len(c)])
	return !unicode.IsLetter(r)
}

func wordEdgeAfter(s, c string) bool {
	if len(s) == len(c) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[len(c):])
	return !unicode.IsLetter(r)
}

// date reports the shapes of written dates: YYYY-MM-DD, DD-MM-YYYY,
// MM/DD/YYYY and the same with '.', '/' or '-'.
func date(text string) bool {
	var parts [4]int
	var lens [4]int
	n := 0
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		if n == 3 {
			return false
		}
		j := i
		v := 0
		for j < len(text) && isDigit(text[j]) {
			v = v*10 + int(text[j]-'0')
			j++
		}
		if j-i > 4 {
			return false
		}
		parts[n], lens[n] = v, j-i
		n++
		i = j
	}
	if n != 3 {
		return false
	}
	switch {
	case lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2:
		return parts[1] >= 1 && parts[1] <= 12 && parts[2] >= 1 && parts[2] <= 31
	case lens[2] == 4 && lens[0] <= 2 && lens[1] <= 2:
		a, b := parts[0], parts[1]
		return a >= 1 && b >= 1 && (a <= 31 && b <= 12 || a <= 12 && b <= 31)
	}
	return false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
