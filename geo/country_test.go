package geo

import (
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestIsCountry(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"AM", true}, {"am", true}, {"Am", true}, {"US", true}, {"XK", true}, {"xk", true},
		{"AQ", true}, {"SH", true},
		{"UK", false}, {"EU", false}, {"AC", false}, {"TA", false}, {"ZZ", false}, {"001", false},
		{"", false}, {"A", false}, {"USA", false}, {"ı", false}, {"a\x00", false},
	}
	for _, tt := range tests {
		if got := IsCountry(tt.code); got != tt.want {
			t.Errorf("IsCountry(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	if got, want := CountryName("am"), "Armenia"; got != want {
		t.Errorf("CountryName(am) = %q, want %q", got, want)
	}
	if got := CountryName("UK"); got != "" {
		t.Errorf("CountryName(UK) = %q, want \"\"", got)
	}
}

func TestCountryTableSize(t *testing.T) {
	// 249 ISO 3166-1 assigned codes plus XK.
	if got, want := len(countries), 250; got != want {
		t.Errorf("len(countries) = %d, want %d", got, want)
	}
	for code := range countries {
		if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
			t.Errorf("bad code %q in table", code)
		}
	}
}

// Every region libphonenumber can return must map to a real country, or
// recipients would produce countries the engine rejects.
func TestPhoneRegionsAreCountries(t *testing.T) {
	for region := range phonenumbers.GetSupportedRegions() {
		if cc := isoRegion(region); !IsCountry(cc) {
			t.Errorf("libphonenumber region %q maps to %q, which IsCountry rejects", region, cc)
		}
	}
}
