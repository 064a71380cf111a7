package bodyphones

import (
	"fmt"
	"testing"

	"github.com/msgfilter/msgfilter/geo"
)

func TestFind(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		region string
		want   []string // E164 of each number found
	}{
		{"uae mobile national", "Call 050 123 4567 for offers", "AE", []string{"+971501234567"}},
		{"uae mobile international", "WhatsApp +971 50 123 4567 now", "AE", []string{"+971501234567"}},
		{"uae mobile glued", "Call 0501234567", "AE", []string{"+971501234567"}},
		{"uae landline dashes", "Tel: 04-234-5678", "AE", []string{"+97142345678"}},
		{"idd prefix", "call 00971501234567", "AE", []string{"+971501234567"}},
		{"foreign number in uae body", "Call +44 20 7946 0958", "AE", []string{"+442079460958"}},
		{"us parentheses", "Call (201) 555-0123 today", "US", []string{"+12015550123"}},
		{"two numbers", "050 123 4567 or +44 20 7946 0958", "AE", []string{"+971501234567", "+442079460958"}},
		{"trailing group", "call 050 123 4567 2 times", "AE", []string{"+971501234567"}},
		{"arabic-indic digits", "اتصل ٠٥٠١٢٣٤٥٦٧", "AE", []string{"+971501234567"}},
		{"no region needs plus", "Call +971501234567", "", []string{"+971501234567"}},
		{"lower-case region", "Call 050 123 4567", "ae", []string{"+971501234567"}},

		// Ham twins.
		{"otp", "Your code is 482913", "AE", nil},
		{"otp eight digits", "Your code is 48291302, valid 5 min", "AE", nil},
		{"amount", "Pay AED 1,250.00 by 2026-11-22", "AE", nil},
		{"big amount", "Balance AED 1 250 000.00", "AE", nil},
		{"amount currency after", "You won 5 000 000 AED", "AE", nil},
		{"iso date", "Due 2026-11-22 and 2026-12-22", "AE", nil},
		{"dmy date", "Due 22/11/2026 12:30", "AE", nil},
		{"no region national", "Call 050 123 4567", "", nil},
		{"invalid number", "Call 090 123 4567", "AE", nil},
		{"order number with letters", "Order A12345678 shipped", "AE", nil},
		{"few digits", "Meet at 5", "AE", nil},
		{"empty", "", "AE", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, n := range Find(tt.body, tt.region) {
				got = append(got, n.E164)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("Find(%q, %q) = %v, want %v", tt.body, tt.region, got, tt.want)
			}
		})
	}
}

func TestFindFields(t *testing.T) {
	body := "Call +971 50 123 4567."
	got := Find(body, "AE")
	want := Number{Text: "+971 50 123 4567", E164: "+971501234567", Region: "AE", Type: geo.TypeMobile}
	if len(got) != 1 || got[0] != want {
		t.Errorf("Find(%q) = %+v, want [%+v]", body, got, want)
	}
}

func TestFindFewDigitsAllocs(t *testing.T) {
	body := "Your OTP is 482913. Do not share it with anyone, including bank staff. Valid for 5 minutes."
	if n := testing.AllocsPerRun(100, func() { Find(body, "AE") }); n != 0 {
		t.Errorf("Find(6 digits) allocs = %v, want 0", n)
	}
}

func TestFinderMatchesFind(t *testing.T) {
	f := NewFinder(2)
	var zero Finder
	bodies := []string{
		"Call 050 123 4567 for offers", "WhatsApp +971 50 123 4567 now", "Your code is 482913",
		"Call +44 20 7946 0958", "Pay AED 1,250.00 by 2026-11-22", "Call 050 123 4567 for offers",
		"You won 050 123 4567 AED", // the same digits as an amount: context must still apply
	}
	for round := 0; round < 2; round++ {
		for _, body := range bodies {
			want := fmt.Sprint(Find(body, "AE"))
			if got := fmt.Sprint(f.Find(body, "AE")); got != want {
				t.Errorf("round %d: Finder.Find(%q) = %s, want %s", round, body, got, want)
			}
			if got := fmt.Sprint(zero.Find(body, "AE")); got != want {
				t.Errorf("zero Finder.Find(%q) = %s, want %s", body, got, want)
			}
		}
	}
}

// A premium-rate number in a body carries its type, so policies can treat it
// as SENDER_PREMIUM_RATE; its ham twins are ordinary and toll-free numbers.
func TestNumberType(t *testing.T) {
	tests := []struct {
		name, body, region string
		want               geo.NumberType
	}{
		{"uk premium rate", "Call 0909 879 0000 to claim your prize", "GB", geo.TypePremiumRate},
		{"us premium rate", "Call +1 900 555 0123 now", "US", geo.TypePremiumRate},
		{"uk mobile", "Text 07400 123456", "GB", geo.TypeMobile},
		{"uk toll free", "Freephone 0800 123 4567", "GB", geo.TypeTollFree},
		{"uae mobile", "Call 050 123 4567", "AE", geo.TypeMobile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Find(tt.body, tt.region)
			if len(got) != 1 || got[0].Type != tt.want {
				t.Errorf("Find(%q, %q) = %+v, want one number of type %s", tt.body, tt.region, got, tt.want)
			}
		})
	}
}
