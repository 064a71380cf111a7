package bodyphones

import (
	"math/rand/v2"
	"testing"
)

// shapeCases pair bodies whose numbers are refused by shape with twins
// whose digits must be read.
var shapeCases = []struct {
	name, body string
	byShape    bool
}{
	{"few digits", "Your code is 482913. Do not share it.", true},
	{"an otp run of eight", "Your code is 48291377. Do not share it. Valid 5 minutes.", true},
	{"an amount with cents", "A charge of $1234.56 was made on your card ending 4821.", true},
	{"an amount with a currency", "Garanti BBVA kartinizdan 1234 TL harcama yapildi, bakiye 5678901 TL.", true},
	{"no digits", "Your parcel is on its way.", true},
	{"a national number", "Call us on 050 123 4567 today.", false},
	{"an international number", "WhatsApp +971 50 123 4567 now.", false},
	{"a parcel number", "Bonjour, votre colis 00340434123456 sera livre demain.", false},
	{"a date", "Your appointment is on 2026-11-22 at the branch, ref 5531.", false},
	{"a grouped reference", "Ref 123 456 789 for your claim.", false},
}

func TestNoneByShape(t *testing.T) {
	for _, tc := range shapeCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := NoneByShape(tc.body); got != tc.byShape {
				t.Errorf("NoneByShape(%q) = %v, want %v", tc.body, got, tc.byShape)
			}
		})
	}
}

// TestNoneByShapeDigitsDoNotMatter: a body refused by shape has no number
// whatever its digits are, in any region: every ASCII digit is replaced at
// random, many times.
func TestNoneByShapeDigitsDoNotMatter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	bodies := []string{"Call 1234567", "1234567 is your code", "(050) 1234567", "+1234567", "12 34 56 78 90",
		"Pay 1,250.00 now or 12345678 later", "AED 1234567 is due", "1234567 AED is due", "a1234567 b2345678"}
	for _, tc := range shapeCases {
		bodies = append(bodies, tc.body)
	}
	checked := 0
	for _, body := range bodies {
		if !NoneByShape(body) {
			continue
		}
		checked++
		for range 200 {
			b := []byte(body)
			for i, c := range b {
				if isDigit(c) {
					b[i] = byte('0' + r.IntN(10))
				}
			}
			if !NoneByShape(string(b)) {
				t.Fatalf("NoneByShape(%q) but not of %q", body, b)
			}
			for _, region := range []string{"AE", "GB", "US", "IN", "FR", "DE", "TR", "TH", ""} {
				if ns := Find(string(b), region); ns != nil {
					t.Fatalf("NoneByShape(%q), but Find(%q, %q) = %v", body, b, region, ns)
				}
			}
		}
	}
	if checked < 8 {
		t.Errorf("only %d bodies were refused by shape: the property was hardly tested", checked)
	}
}

// FuzzNoneByShape: whatever the body, when NoneByShape holds no digit
// substitution makes Find report a number.
func FuzzNoneByShape(f *testing.F) {
	for _, tc := range shapeCases {
		f.Add(tc.body, uint64(1))
	}
	f.Fuzz(func(t *testing.T, body string, seed uint64) {
		if !NoneByShape(body) {
			return
		}
		r := rand.New(rand.NewPCG(seed, seed))
		b := []byte(body)
		for i, c := range b {
			if isDigit(c) {
				b[i] = byte('0' + r.IntN(10))
			}
		}
		for _, region := range []string{"AE", "GB", "US", "IN"} {
			if ns := Find(string(b), region); ns != nil {
				t.Errorf("NoneByShape(%q), but Find(%q, %q) = %v", body, b, region, ns)
			}
		}
	})
}
