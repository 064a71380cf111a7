// Package smsenc tells how an SMS body travels: in the GSM 7-bit default
// alphabet (3GPP TS 23.038) or in UCS-2, and in how many segments once it
// is split with a concatenation header (3GPP TS 23.040): 160 septets or 70
// UCS-2 units alone, 153 or 67 per segment when concatenated. Characters of
// the GSM extension table (€ [ ] { } \ ^ ~ | and form feed) take two
// septets; characters outside the BMP (emoji) take two UCS-2 units.
//
// Use it to fill the facts an SMS length rule reads. Measure is pure and
// safe for concurrent use.
package smsenc

import "unicode/utf16"

// Encoding names, as the facts carry them.
const (
	GSM7 = "gsm7"
	UCS2 = "ucs2"
)

// Limits of one SMS payload (140 octets) in characters of each encoding.
const (
	gsmSingle, gsmPart   = 160, 153
	ucs2Single, ucs2Part = 70, 67
)

// Size is how a body is sent.
type Size struct {
	Encoding string // GSM7 or UCS2
	Units    int    // septets (GSM7) or UTF-16 code units (UCS2)
	Segments int    // 1 for an empty body
}

// Measure returns the encoding, length in units and segment count of body.
func Measure(body string) Size {
	septets, gsm := 0, true
	for _, r := range body {
		switch {
		case isBasic(r):
			septets++
		case isExtension(r):
			septets += 2
		default:
			gsm = false
		}
		if !gsm {
			break
		}
	}
	if gsm {
		return Size{Encoding: GSM7, Units: septets, Segments: segments(septets, gsmSingle, gsmPart)}
	}
	units := 0
	for _, r := range body {
		units += utf16.RuneLen(r) // an invalid byte is sent as U+FFFD, one unit

	}
	return Size{Encoding: UCS2, Units: units, Segments: segments(units, ucs2Single, ucs2Part)}
}

func segments(n, single, part int) int {
	if n <= single {
		return 1
	}
	return (n + part - 1) / part
}

// basic is the GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1) outside
// ASCII letters and digits.
var basic = map[rune]bool{
	'@': true, '£': true, '$': true, '¥': true, 'è': true, 'é': true, 'ù': true, 'ì': true,
	'ò': true, 'Ç': true, '\n': true, 'Ø': true, 'ø': true, '\r': true, 'Å': true, 'å': true,
	'Δ': true, '_': true, 'Φ': true, 'Γ': true, 'Λ': true, 'Ω': true, 'Π': true, 'Ψ': true,
	'Σ': true, 'Θ': true, 'Ξ': true, 'Æ': true, 'æ': true, 'ß': true, 'É': true, ' ': true,
	'!': true, '"': true, '#': true, '¤': true, '%': true, '&': true, '\'': true, '(': true,
	')': true, '*': true, '+': true, ',': true, '-': true, '.': true, '/': true, ':': true,
	';': true, '<': true, '=': true, '>': true, '?': true, '¡': true, 'Ä': true, 'Ö': true,
	'Ñ': true, 'Ü': true, '§': true, '¿': true, 'ä': true, 'ö': true, 'ñ': true, 'ü': true,
	'à': true,
}

func isBasic(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || basic[r]
}

// isExtension reports the characters of the GSM extension table, sent as
// an escape and a septet.
func isExtension(r rune) bool {
	switch r {
	case '€', '[', ']', '{', '}', '\\', '^', '~', '|', '\f':
		return true
	}
	return false
}
