// Package mask hides the personal data that text kept for later reading (a
// decision log, a report) must not carry: numbers written in any script and
// e-mail addresses. Use Text on every free-text field before it is written.
//
// Masking is one-way and deterministic: a masked rune becomes '*', one '*'
// per rune, so the shape of the text (and its length in characters) stays
// readable. Text is idempotent and safe for concurrent use.
package mask

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text returns s with:
//
//   - every run of four or more digits masked. Digits are the decimal digits
//     of every script (Unicode Nd: ASCII, Arabic-Indic, Persian, fullwidth,
//     Devanagari, Bengali, Thai...), mixed scripts included. A run may hold
//     the separators that phone numbers are written with (space, no-break
//     space, "-", ".", "(", ")") and invisible format characters (zero-width
//     space, joiners, direction marks: a sender's trick to hide a code must
//     not hide it from the mask). A run of at least eight digits keeps its
//     first two and last two digits, enough to tell a country prefix and
//     to match a number a user quotes; a shorter run (an OTP, a PIN) keeps
//     none. "+971501234567" → "+97********67", "code ٤٨٢٩١٣" → "code ******".
//   - the local part of every e-mail address masked but its first character:
//     "john.doe@example.com" → "j*******@example.com". The domain stays: it
//     is what a reader needs to tell a bank from a phishing host.
//
// Everything else is kept; invalid UTF-8 is kept byte for byte.
func Text(s string) string {
	return digits(emails(s))
}

// minRun is the shortest run of digits that is masked: shorter numbers are
// quantities, prices and dates, not secrets or identifiers.
const minRun = 4

// keepFrom is the run length from which the first and last keep digits stay.
const (
	keepFrom = 8
	keep     = 2
)

// digits masks the runs of digits of s.
func digits(s string) string {
	var out []byte
	copied := 0 // s[:copied] is in out (when out != nil)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && (c < '0' || c > '9') {
			i++ // the common case: ASCII, not a digit
			continue
		}
		r, size := decode(s, i)
		if !unicode.IsDigit(r) {
			i += size
			continue
		}
		// The run: digits with separators between them, ending on a digit.
		n, end := 0, i
		for j := i; j < len(s); {
			r, size := decode(s, j)
			if unicode.IsDigit(r) {
				n++
				end = j + size
			} else if !isSeparator(r) {
				break
			}
			j += size
		}
		if n < minRun {
			i = end
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(s))
		}
		out = append(out, s[copied:i]...)
		kept := 0
		if n >= keepFrom {
			kept = keep
		}
		seen := 0
		for j := i; j < end; {
			r, size := decode(s, j)
			if unicode.IsDigit(r) {
				seen++
				if seen > kept && seen <= n-kept {
					out = append(out, '*')
					j += size
					continue
				}
			}
			out = append(out, s[j:j+size]...)
			j += size
		}
		i, copied = end, end
	}
	if out == nil {
		return s
	}
	return string(append(out, s[copied:]...))
}

// isSeparator reports whether r may sit between the digits of one number.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '-', '.', '(', ')', '\u00a0':
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// emails masks the local parts of the e-mail addresses of s.
func emails(s string) string {
	at := strings.IndexByte(s, '@')
	if at < 0 {
		return s
	}
	var out []byte
	copied := 0
	for ; at >= 0; at = nextAt(s, at) {
		start := at
		for start > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:start])
			if !isLocal(r) {
				break
			}
			start -= size
		}
		if start == at || !isDomain(s[at+1:]) {
			continue
		}
		_, first := utf8.DecodeRuneInString(s[start:])
		if start+first == at {
			continue // one-character local part: nothing to hide past the first
		}
		if out == nil {
			out = make([]byte, 0, len(s))
		}
		out = append(out, s[copied:start+first]...)
		for range utf8.RuneCountInString(s[start+first : at]) {
			out = append(out, '*')
		}
		copied = at
	}
	if out == nil {
		return s
	}
	return string(append(out, s[copied:]...))
}

func nextAt(s string, at int) int {
	next := strings.IndexByte(s[at+1:], '@')
	if next < 0 {
		return -1
	}
	return at + 1 + next
}

// isLocal reports whether r may be part of an e-mail local part: letters
// and digits of any script (RFC 6531) and the usual punctuation, '*'
// included so that a masked address is masked again to itself.
func isLocal(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("._%+-'*!#$&=?^`{|}~/", r)
}

// isDomain reports whether s starts with a domain name of at least two
// labels (a trailing dot, as at the end of a sentence, is not part of it).
func isDomain(s string) bool {
	labels, n := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '-' {
			n++
			continue
		}
		if r == '.' && n > 0 {
			labels++
			n = 0
			continue
		}
		break
	}
	if n > 0 {
		labels++
	}
	return labels >= 2
}

// decode returns the rune at s[i] and its size; an invalid byte is
// utf8.RuneError of size 1, which is neither a digit nor a separator.
func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}
