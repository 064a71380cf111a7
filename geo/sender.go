package geo

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// SenderKind is the shape of a message's sender (its From).
type SenderKind string

// Sender kinds.
const (
	KindE164         SenderKind = "e164"         // "+" and 7–15 digits, or digits-only international form
	KindShortCode    SenderKind = "short_code"   // 3–8 digits without "+"
	KindAlphanumeric SenderKind = "alphanumeric" // a sender ID with at least one letter
	KindInvalid      SenderKind = "invalid"      // none of the above
)

// NumberType is libphonenumber's classification of a valid E.164 number.
type NumberType string

// Number types, named after libphonenumber's PhoneNumberType.
const (
	TypeMobile            NumberType = "mobile"
	TypeFixedLine         NumberType = "fixed_line"
	TypeFixedLineOrMobile NumberType = "fixed_line_or_mobile"
	TypeTollFree          NumberType = "toll_free"
	TypePremiumRate       NumberType = "premium_rate"
	TypeSharedCost        NumberType = "shared_cost"
	TypeVoIP              NumberType = "voip"
	TypePersonalNumber    NumberType = "personal_number"
	TypePager             NumberType = "pager"
	TypeUAN               NumberType = "uan"
	TypeVoicemail         NumberType = "voicemail"
	TypeUnknown           NumberType = "unknown"
)

// Sender is what the policies know about a sender. It is part of the
// policy input document, so its JSON form is a contract: every field is
// always present.
//
// Kind is the shape the sender has; Valid says whether it is acceptable in
// that shape (an alphanumeric ID of 12 characters has Kind alphanumeric and
// Valid false). Kind invalid always has Valid false. Country and NumberType
// are set only for E.164 senders: Country is "" when the number belongs to
// no single country (+800, +882...), NumberType is "" for other kinds.
type Sender struct {
	Raw        string     `json:"raw"`
	Kind       SenderKind `json:"kind"`
	Country    string     `json:"country"`
	NumberType NumberType `json:"number_type"`
	Valid      bool       `json:"valid"`
	Reason     string     `json:"reason"`
}

// Limits of the sender shapes.
//
// E.164 numbers go down to 7 digits: Niue (+683), Tokelau (+690) and
// Tristan da Cunha (+290 8) have 4-digit subscriber numbers, and
// libphonenumber's own examples include them.
const (
	minE164Digits      = 7
	maxE164Digits      = 15
	minShortCodeDigits = 3
	maxShortCodeDigits = 8
	maxAlphanumeric    = 11
)

// ClassifySender classifies a sender string; surrounding white space is
// ignored. It is pure and safe for concurrent use. Alphanumeric sender IDs
// take a cheap path (tens of nanoseconds); numeric senders of 9 or more
// digits are matched against libphonenumber's numbering plans (about a
// microsecond, and milliseconds for the first number of a plan, whose
// patterns it compiles), so hot paths should use a Numbers cache.
//
// Alphanumeric sender IDs are 1–11 characters of ASCII letters, digits,
// space and "-_.&#+" with at least one letter: those characters survive
// every GSM 7-bit network and carrier sender-ID registry. Anything else
// with a letter in it is an alphanumeric sender with Valid false.
func ClassifySender(s string) Sender { return classifySender(s, nil) }

// classifySender is ClassifySender with the numbers' codes from n's cache,
// or computed when n is nil.
func classifySender(s string, n *Numbers) Sender {
	if plainSenderID(s) {
		// Most senders, in one pass: what classifyShape gives them (trimming
		// keeps the letter, and a shorter ID of the same bytes).
		return Sender{Raw: s, Kind: KindAlphanumeric, Valid: true}
	}
	return classifyShape(s, n)
}

// plainSenderID reports whether s is 1–11 bytes senderIDRune accepts, one
// of them a letter.
func plainSenderID(s string) bool {
	if len(s) == 0 || len(s) > maxAlphanumeric {
		return false
	}
	all, any := byte(senderIDByte), byte(0)
	for i := 0; i < len(s); i++ {
		c := senderIDClass[s[i]]
		all &= c
		any |= c
	}
	return all&senderIDByte != 0 && any&senderIDLetter != 0
}

// classifyShape is classifySender by the sender's shape.
func classifyShape(s string, n *Numbers) Sender {
	raw := s
	s = strings.TrimSpace(s)
	out := Sender{Raw: raw, Kind: KindInvalid}
	switch {
	case s == "":
		out.Reason = "empty sender"
	case hasLetter(s):
		out.Kind = KindAlphanumeric
		out.Reason = alphanumericProblem(s)
		out.Valid = out.Reason == ""
	case s[0] == '+':
		out.Kind = KindE164
		digits := s[1:]
		if !allDigits(digits) {
			out.Reason = "e164 sender has characters other than digits after +"
			break
		}
		if n := len(digits); n < minE164Digits || n > maxE164Digits {
			out.Reason = fmt.Sprintf("e164 sender has %d digits, want %d to %d", n, minE164Digits, maxE164Digits)
			break
		}
		c := n.senderCode(digits)
		switch {
		case c&numberValid != 0:
			out.Country, out.NumberType, out.Valid = codeCountryName(c), codeType(c), true
		case c&noCallingCode != 0:
			out.Reason = noCallingCodeReason
		default:
			out.Reason = "e164 sender is not a valid number in any numbering plan"
		}
	case !allDigits(s):
		out.Reason = "sender has no letters and is not a number"
	case len(s) < minShortCodeDigits:
		out.Reason = fmt.Sprintf("numeric sender has %d digits, too short for a short code", len(s))
	case len(s) <= maxShortCodeDigits:
		out.Kind = KindShortCode
		out.Valid = true
	case len(s) > maxE164Digits:
		out.Reason = fmt.Sprintf("numeric sender has %d digits, too long for a phone number", len(s))
	default:
		// 9–15 digits without "+": an international number written
		// without its prefix, or a national number we cannot place.
		c := n.senderCode(s)
		if c&numberValid == 0 {
			out.Reason = "numeric sender is neither a short code nor a valid international number"
			break
		}
		out.Kind, out.Country, out.NumberType, out.Valid = KindE164, codeCountryName(c), codeType(c), true
	}
	return out
}

// noCallingCodeReason is why a "+" sender whose digits start with no
// calling code is invalid (phonenumbers.Parse's error for it).
var noCallingCodeReason = "e164 sender does not parse: " + phonenumbers.ErrInvalidCountryCode.Error()

// isoRegion maps a libphonenumber region to an ISO 3166-1 alpha-2 code.
// Ascension (AC) and Tristan da Cunha (TA) have their own calling-code
// regions but are part of SH in ISO 3166-1; "001" (non-geographic) and
// "ZZ" (unknown) have no country.
func isoRegion(region string) string {
	switch region {
	case "AC", "TA":
		return "SH"
	case "001", "ZZ", "":
		return ""
	}
	return region
}

// NumberTypeOf names libphonenumber's number type in this package's
// vocabulary, for other parsers of numbers (body phone numbers).
func NumberTypeOf(t phonenumbers.PhoneNumberType) NumberType { return numberType(t) }

func numberType(t phonenumbers.PhoneNumberType) NumberType {
	switch t {
	case phonenumbers.MOBILE:
		return TypeMobile
	case phonenumbers.FIXED_LINE:
		return TypeFixedLine
	case phonenumbers.FIXED_LINE_OR_MOBILE:
		return TypeFixedLineOrMobile
	case phonenumbers.TOLL_FREE:
		return TypeTollFree
	case phonenumbers.PREMIUM_RATE:
		return TypePremiumRate
	case phonenumbers.SHARED_COST:
		return TypeSharedCost
	case phonenumbers.VOIP:
		return TypeVoIP
	case phonenumbers.PERSONAL_NUMBER:
		return TypePersonalNumber
	case phonenumbers.PAGER:
		return TypePager
	case phonenumbers.UAN:
		return TypeUAN
	case phonenumbers.VOICEMAIL:
		return TypeVoicemail
	}
	return TypeUnknown
}

// alphanumericProblem returns why s is not an acceptable alphanumeric
// sender ID, or "".
func alphanumericProblem(s string) string {
	if len(s) <= maxAlphanumeric {
		ok := true
		for i := 0; i < len(s) && ok; i++ {
			ok = senderIDClass[s[i]]&senderIDByte != 0
		}
		if ok {
			return "" // the common case: a byte each, one table load each
		}
	}
	return runesProblem(s)
}

// runesProblem is alphanumericProblem read rune by rune.
func runesProblem(s string) string {
	if n := utf8.RuneCountInString(s); n > maxAlphanumeric {
		return fmt.Sprintf("alphanumeric sender has %d characters, want at most %d", n, maxAlphanumeric)
	}
	for _, r := range s {
		if !senderIDRune(r) {
			return fmt.Sprintf("alphanumeric sender has character %s outside A-Z a-z 0-9 space -_.&#+", strconv.QuoteRune(r))
		}
	}
	return ""
}

// senderIDClass marks the bytes senderIDRune accepts (all ASCII) with
// senderIDByte, and the ASCII letters among them with senderIDLetter too.
var senderIDClass = func() (t [256]byte) {
	for b := range 128 {
		if senderIDRune(rune(b)) {
			t[b] = senderIDByte
		}
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' {
			t[b] |= senderIDLetter
		}
	}
	return t
}()

const (
	senderIDByte   = 1
	senderIDLetter = 2
)

func senderIDRune(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
		return true
	}
	return strings.ContainsRune(" -_.&#+", r)
}

func hasLetter(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
			return true
		}
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				if unicode.IsLetter(r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ErrInvalidNumber is matched (errors.Is) by every *NumberError.
var ErrInvalidNumber = errors.New("geo: invalid phone number")

// NumberError reports a phone number that cannot be used: Field names the
// message field ("recipient"), Value is the input and Reason says why.
type NumberError struct {
	Field  string
	Value  string
	Reason string
}

func (e *NumberError) Error() string {
	return fmt.Sprintf("geo: %s %q: %s", e.Field, e.Value, e.Reason)
}

// Unwrap lets errors.Is(err, ErrInvalidNumber) match.
func (e *NumberError) Unwrap() error { return ErrInvalidNumber }

// Recipient is a parsed destination number. Country is "" for
// non-geographic numbers (+800, +882...), whose destination the caller must
// learn elsewhere.
type Recipient struct {
	E164       string     `json:"e164"`
	Country    string     `json:"country"`
	NumberType NumberType `json:"number_type"`
}

// ParseRecipient parses an E.164 recipient ("+" and 7–15 digits, no
// separators) that libphonenumber considers valid. Otherwise it returns a
// *NumberError with Field "recipient". It is pure and safe for concurrent
// use, and allocates only for an error, but matching the numbering plan's
// patterns costs about a microsecond: hot paths should use
// Numbers.Recipient.
func ParseRecipient(s string) (Recipient, error) {
	if reason := recipientShape(s); reason != "" {
		return Recipient{}, &NumberError{Field: "recipient", Value: s, Reason: reason}
	}
	return decodeRecipient(s, numberCode(s[1:]))
}

// invalidInPlans is the reason of a well-formed recipient that no
// numbering plan has.
const invalidInPlans = "not a valid number in any numbering plan"

// recipientShape returns why s is not "+" and 7–15 digits, or "".
func recipientShape(s string) string {
	switch {
	case s == "":
		return "empty"
	case s[0] != '+':
		return "must start with +"
	case !allDigits(s[1:]):
		return "must be + followed by digits only"
	case len(s)-1 < minE164Digits || len(s)-1 > maxE164Digits:
		return fmt.Sprintf("has %d digits, want %d to %d", len(s)-1, minE164Digits, maxE164Digits)
	}
	return ""
}

// A number code is a classified number (the digits of an E.164 number) in
// 32 bits, so that a cache of them holds no pointers for the garbage
// collector to trace: for a valid number, numberValid, the libphonenumber
// type shifted by codeTypeShift and the country's index (countryIndex, 0
// for none) in the low 10 bits, and in a recipient's code (recipientCode)
// its zone, by codeZoneShift; noCallingCode or 0 for one that is not.
const (
	numberValid   = 1 << 31
	noCallingCode = 1 << 30
	codeCountry   = 1<<10 - 1 // mask: countryIndex is below 1 + 26*26
	codeTypeShift = 10        // 4 bits: the library's types are 0 to 11
	codeZoneShift = 14        // 16 bits: the zone's id in the zone table + 1; 0 for none
	codeZoneMax   = 1<<16 - 1
)

// numberCode returns the code of the digits of an E.164 number.
func numberCode(digits string) uint32 {
	cc, _, region, t := classifyDigits(digits)
	return classifiedCode(cc, region, t)
}

// classifiedCode is the code of a number classifyDigits gave cc, region
// and t.
func classifiedCode(cc int, region string, t phonenumbers.PhoneNumberType) uint32 {
	switch {
	case cc == 0:
		return noCallingCode
	case t == phonenumbers.UNKNOWN || region == "":
		return 0
	}
	return numberValid | uint32(t)<<codeTypeShift | countryIndex(isoRegion(region))
}

// recipientCode returns the code of an E.164 recipient of valid shape,
// with its zone (ZoneOf) when the recipient is valid and its zone found:
// one classification gives both, and one cache slot keeps both
// (Numbers.RecipientZone).
func recipientCode(e164 string) uint32 {
	cc, national, region, t := classifyDigits(e164[1:])
	c := classifiedCode(cc, region, t)
	if c&numberValid == 0 {
		return c
	}
	// The zone table is bounded by libphonenumber's data, a few hundred
	// zones; one past codeZoneMax would be looked up on every call.
	if id, err := classifiedZoneID(e164, national, region); err == nil && id < codeZoneMax {
		c |= (id + 1) << codeZoneShift
	}
	return c
}

// codeType is the number type of a valid number's code.
func codeType(c uint32) NumberType {
	return numberType(phonenumbers.PhoneNumberType(c >> codeTypeShift & 0xf))
}

// codeCountryName is the country of a valid number's code.
func codeCountryName(c uint32) string { return countryNames[c&codeCountry] }

// decodeRecipient returns the recipient s with code c.
func decodeRecipient(s string, c uint32) (Recipient, error) {
	if c&numberValid == 0 {
		return Recipient{}, &NumberError{Field: "recipient", Value: s, Reason: invalidInPlans}
	}
	return Recipient{E164: s, Country: codeCountryName(c), NumberType: codeType(c)}, nil
}

// countryNames are the two-letter codes by countryIndex: "" and then
// "AA" to "ZZ".
var countryNames = func() (names [1 + 26*26]string) {
	for a := range 26 {
		for b := range 26 {
			names[1+a*26+b] = string([]byte{'A' + byte(a), 'A' + byte(b)})
		}
	}
	return names
}()

// countryIndex is the index of an ISO country code in countryNames, 0 for
// "" (or anything that is not two capital letters).
func countryIndex(c string) uint32 {
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return 0
	}
	return 1 + uint32(c[0]-'A')*26 + uint32(c[1]-'A')
}
