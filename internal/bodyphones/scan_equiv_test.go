package bodyphones

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// checkScanSameAsOld fails t when scan and the old code (old_scan_test.go)
// disagree on body in region: the numbers Find reports, or NoneByShape's
// verdict.
func checkScanSameAsOld(t *testing.T, f *Finder, body, region string) bool {
	t.Helper()
	want, wantShaped := oldScan(body, region, f, false)
	got, gotShaped := scan(body, region, f, false)
	if fmt.Sprint(got) != fmt.Sprint(want) || gotShaped != wantShaped {
		t.Errorf("scan(%q, %q) = %v, %v; the old code %v, %v", body, region, got, gotShaped, want, wantShaped)
		return false
	}
	if got, want := enoughDigits(body), oldEnoughDigits(body); got != want {
		t.Errorf("enoughDigits(%q) = %v, the old code %v", body, got, want)
		return false
	}
	_, wantShaped = oldScan(body, "", nil, true)
	if _, gotShaped = scan(body, "", nil, true); gotShaped != wantShaped {
		t.Errorf("NoneByShape(%q) = %v, the old code %v", body, gotShaped, wantShaped)
		return false
	}
	return true
}

// scanAlphabet is what the random bodies are made of: every byte class
// candidate, shape and nextStart tell apart (digits, '+', '(' and the other
// separators, letters glued to digits, currencies, cents), and non-ASCII
// digits, letters, no-break spaces and broken UTF-8 at any place of a word.
var scanAlphabet = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "+", "(", ")", " ", "-", ".", "/", ",", "_",
	"a", "Z", "x", "é", "\u00a0", "٣", "๕", "２", "\xff", "\xe2", "$", "€", "AED ", " TL", "\n", ":", "#", "*", "'"}

// scanBodies returns bodies for the equivalence test: every example number
// of the metadata, for every region and type, written in each format in
// several places of a sentence, and random strings of scanAlphabet.
func scanBodies(r *rand.Rand, random int) []string {
	var out []string
	regions := slices.Sorted(maps.Keys(phonenumbers.GetSupportedRegions())) // the same bodies in the same order every run
	for _, region := range regions {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE,
			phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.UAN} {
			n := phonenumbers.GetExampleNumberForType(region, typ)
			if n == nil {
				continue
			}
			for _, format := range []phonenumbers.PhoneNumberFormat{phonenumbers.E164, phonenumbers.INTERNATIONAL, phonenumbers.NATIONAL} {
				s := phonenumbers.Format(n, format)
				out = append(out, s, "Call us on "+s+" today.", "Votre colis "+s+" sera livré le 23/08.",
					"AED "+s, s+" TL", "x"+s+"é", "("+s+")", "réf. "+s+", merci", "٣"+s+"\u00a0"+s)
			}
		}
	}
	for range random {
		var b strings.Builder
		for n := r.IntN(40); n > 0; n-- {
			b.WriteString(scanAlphabet[r.IntN(len(scanAlphabet))])
		}
		out = append(out, b.String())
	}
	return out
}

// TestScanMatchesOld holds scan's ASCII fast paths (nextStart's eight-byte
// skip, candidate's and shape's bytes read as runes only past ASCII, otp
// from shape's count) to the code they replace: the same numbers in the
// same order, and the same NoneByShape verdict, on the metadata's example
// numbers in many settings, random strings, and the corpora.
func TestScanMatchesOld(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 3))
	bodies := append(scanBodies(r, 50000), corpusBodies(t)...)
	f := NewFinder(1 << 14)
	regions := []string{"FR", "AE", "US", "IN", "", "de"}
	n, numbers, shaped := 0, 0, 0
	for i, body := range bodies {
		if i%raceStride != 0 {
			continue
		}
		n++
		region := regions[i%len(regions)]
		if !checkScanSameAsOld(t, f, body, region) {
			t.FailNow()
		}
		numbers += len(f.Find(body, region))
		if NoneByShape(body) {
			shaped++
		}
	}
	// A weak sample would pass whatever scan did.
	t.Logf("%d bodies: %d numbers found, %d without any by shape", n, numbers, shaped)
	if numbers < n/10 || shaped < n/10 || n-shaped < n/10 {
		t.Errorf("weak sample: %d numbers, %d of %d bodies without any by shape", numbers, shaped, n)
	}
}

func FuzzScanMatchesOld(f *testing.F) {
	for _, s := range []string{"Bonjour Hugo, votre colis 00340434490035 sera livré le 23/08.", "Ihr Paket 00340434490035 wird heute zugestellt.",
		"Call +44 20 7946 0958 now", "AED 1,250.00 on 2026-11-22", "x1234567 (050) 123-4567", "٠٥٠١٢٣٤٥٦٧", "12\xff34567890", "+(1234567"} {
		f.Add(s, "FR")
	}
	finder := NewFinder(64)
	f.Fuzz(func(t *testing.T, body, region string) {
		checkScanSameAsOld(t, finder, body, region)
	})
}

// TestNextStart: nextStart stops where a byte loop stops, from every
// start, on every byte value at every place of a word.
func TestNextStart(t *testing.T) {
	slow := func(s string, i int) int {
		for ; i < len(s); i++ {
			if c := s[i]; c >= 0x80 || isDigit(c) || c == '+' || c == '(' {
				return i
			}
		}
		return i
	}
	base := []byte("abcdefghijklmnopqrstuvwxyz, .-/)")
	for c := range 256 {
		for at := range len(base) {
			b := append([]byte(nil), base...)
			b[at] = byte(c)
			if at+1 < len(b) && c%3 == 0 {
				b[at+1] = byte(255 - c) // a second flagged byte above the first
			}
			s := string(b)
			for i := 0; i <= len(s); i++ {
				if got, want := nextStart(s, i), slow(s, i); got != want {
					t.Fatalf("nextStart(%q, %d) = %d, want %d", s, i, got, want)
				}
			}
		}
	}
}

// TestEnoughDigitsEveryByte: enoughDigits counts as the old byte loop does
// with each byte value at each place of a word, beside six, seven and
// eight ASCII digits spread over the words, and non-ASCII digits.
func TestEnoughDigitsEveryByte(t *testing.T) {
	for _, base := range []string{"a1b2c3d4e5f6ghijklmnopqrstuvwxyz", "123456abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz123456",
		"1 2 3 4 5 6 7 abcdefghijklmnopq", "abc٣٣٣٣٣٣defghijklmnopqrstuvwxyz", "abcdefgh12345"} {
		for c := range 256 {
			for at := range len(base) {
				b := []byte(base)
				b[at] = byte(c)
				for _, s := range []string{string(b), string(b[:len(b)-3]), string(b[at:])} {
					if got, want := enoughDigits(s), oldEnoughDigits(s); got != want {
						t.Fatalf("enoughDigits(%q) = %v, the old code %v", s, got, want)
					}
				}
			}
		}
	}
}
