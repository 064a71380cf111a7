package geo

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestClassifySender(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Sender
	}{
		{"e164 armenian mobile", "+37477123456", Sender{Kind: KindE164, Country: "AM", NumberType: TypeMobile, Valid: true}},
		{"e164 iranian mobile", "+989123456789", Sender{Kind: KindE164, Country: "IR", NumberType: TypeMobile, Valid: true}},
		{"e164 uae mobile", "+971501234567", Sender{Kind: KindE164, Country: "AE", NumberType: TypeMobile, Valid: true}},
		{"e164 indian mobile", "+918123456789", Sender{Kind: KindE164, Country: "IN", NumberType: TypeMobile, Valid: true}},
		{"e164 russian mobile shares +7", "+79123456789", Sender{Kind: KindE164, Country: "RU", NumberType: TypeMobile, Valid: true}},
		{"e164 kazakh mobile shares +7", "+77710009998", Sender{Kind: KindE164, Country: "KZ", NumberType: TypeMobile, Valid: true}},
		{"e164 uk premium rate", "+449061234567", Sender{Kind: KindE164, Country: "GB", NumberType: TypePremiumRate, Valid: true}},
		{"e164 uk mobile twin of premium", "+447400123456", Sender{Kind: KindE164, Country: "GB", NumberType: TypeMobile, Valid: true}},
		{"e164 us toll free", "+18002530000", Sender{Kind: KindE164, Country: "US", NumberType: TypeTollFree, Valid: true}},
		{"e164 us fixed or mobile", "+12015550123", Sender{Kind: KindE164, Country: "US", NumberType: TypeFixedLineOrMobile, Valid: true}},
		{"e164 non-geographic has no country", "+80012345678", Sender{Kind: KindE164, Country: "", NumberType: TypeTollFree, Valid: true}},
		{"e164 ascension maps to SH", "+24740123", Sender{Kind: KindE164, Country: "SH", NumberType: TypeMobile, Valid: true}},
		{"e164 surrounding space ignored", " +37477123456 ", Sender{Kind: KindE164, Country: "AM", NumberType: TypeMobile, Valid: true}},
		{"e164 not valid in plan", "+37400000000", Sender{Kind: KindE164, Reason: "e164 sender is not a valid number in any numbering plan"}},
		{"e164 unassigned calling code", "+99912345678", Sender{Kind: KindE164, Reason: "e164 sender does not parse: invalid country code"}},
		{"e164 too short", "+123456", Sender{Kind: KindE164, Reason: "e164 sender has 6 digits, want 7 to 15"}},
		{"e164 niue 7 digits", "+6837012", Sender{Kind: KindE164, Country: "NU", NumberType: TypeFixedLine, Valid: true}},
		{"e164 7 digits not valid", "+3741234", Sender{Kind: KindE164, Reason: "e164 sender is not a valid number in any numbering plan"}},
		{"e164 too long", "+1234567890123456", Sender{Kind: KindE164, Reason: "e164 sender has 16 digits, want 7 to 15"}},
		{"e164 with separators", "+374 77 123456", Sender{Kind: KindE164, Reason: "e164 sender has characters other than digits after +"}},
		{"digits-only international", "37477123456", Sender{Kind: KindE164, Country: "AM", NumberType: TypeMobile, Valid: true}},
		{"digits-only national is not placed", "0771234567", Sender{Kind: KindInvalid, Reason: "numeric sender is neither a short code nor a valid international number"}},
		{"short code 3 digits", "911", Sender{Kind: KindShortCode, Valid: true}},
		{"short code 5 digits", "72345", Sender{Kind: KindShortCode, Valid: true}},
		{"short code 8 digits", "12345678", Sender{Kind: KindShortCode, Valid: true}},
		{"two digits too short", "12", Sender{Kind: KindInvalid, Reason: "numeric sender has 2 digits, too short for a short code"}},
		{"16 digits too long", "1234567890123456", Sender{Kind: KindInvalid, Reason: "numeric sender has 16 digits, too long for a phone number"}},
		{"alphanumeric brand", "HSBC", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric 11 characters", "ABCDEFGHIJK", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric 12 characters", "ABCDEFGHIJKL", Sender{Kind: KindAlphanumeric, Reason: "alphanumeric sender has 12 characters, want at most 11"}},
		{"alphanumeric india header", "VM-HDFCBK", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric hong kong prefix", "#HSBC", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric allowed punctuation", "A&B_C.D+E F", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric single letter", "X", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric with digits", "Bank24", Sender{Kind: KindAlphanumeric, Valid: true}},
		{"alphanumeric with slash", "A/B", Sender{Kind: KindAlphanumeric, Reason: "alphanumeric sender has character '/' outside A-Z a-z 0-9 space -_.&#+"}},
		{"alphanumeric cyrillic", "Банк", Sender{Kind: KindAlphanumeric, Reason: "alphanumeric sender has character 'Б' outside A-Z a-z 0-9 space -_.&#+"}},
		{"alphanumeric zero width", "HS\u200bBC", Sender{Kind: KindAlphanumeric, Reason: "alphanumeric sender has character '\\u200b' outside A-Z a-z 0-9 space -_.&#+"}},
		{"empty", "", Sender{Kind: KindInvalid, Reason: "empty sender"}},
		{"only space", "   ", Sender{Kind: KindInvalid, Reason: "empty sender"}},
		{"punctuation only", "#&-", Sender{Kind: KindInvalid, Reason: "sender has no letters and is not a number"}},
		{"digits with dashes", "123-456", Sender{Kind: KindInvalid, Reason: "sender has no letters and is not a number"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Raw = tt.in
			if got := ClassifySender(tt.in); got != tt.want {
				t.Errorf("ClassifySender(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseRecipient(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		want       Recipient
		wantReason string
	}{
		{"armenian mobile", "+37477123456", Recipient{E164: "+37477123456", Country: "AM", NumberType: TypeMobile}, ""},
		{"thai mobile", "+66812345678", Recipient{E164: "+66812345678", Country: "TH", NumberType: TypeMobile}, ""},
		{"french mobile", "+33612345678", Recipient{E164: "+33612345678", Country: "FR", NumberType: TypeMobile}, ""},
		{"no plus", "37477123456", Recipient{}, "must start with +"},
		{"empty", "", Recipient{}, "empty"},
		{"separators", "+374-77-123456", Recipient{}, "must be + followed by digits only"},
		{"too short", "+3741", Recipient{}, "has 4 digits, want 7 to 15"},
		{"tokelau mobile", "+6907290", Recipient{E164: "+6907290", Country: "TK", NumberType: TypeMobile}, ""},
		{"invalid in plan", "+37400000000", Recipient{}, "not a valid number in any numbering plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRecipient(tt.in)
			if tt.wantReason == "" {
				if err != nil || got != tt.want {
					t.Fatalf("ParseRecipient(%q) = %+v, %v, want %+v, nil", tt.in, got, err, tt.want)
				}
				return
			}
			var ne *NumberError
			if !errors.As(err, &ne) || ne.Reason != tt.wantReason || ne.Field != "recipient" || ne.Value != tt.in {
				t.Fatalf("ParseRecipient(%q) error = %v, want *NumberError with reason %q", tt.in, err, tt.wantReason)
			}
			if !errors.Is(err, ErrInvalidNumber) {
				t.Errorf("errors.Is(%v, ErrInvalidNumber) = false, want true", err)
			}
			if got != (Recipient{}) {
				t.Errorf("ParseRecipient(%q) = %+v on error, want zero", tt.in, got)
			}
		})
	}
}

func TestCountryFromRecipient(t *testing.T) {
	if got, err := ParseRecipient("+989123456789"); got.Country != "IR" || err != nil {
		t.Errorf("ParseRecipient(+989123456789).Country = %q, %v, want IR, nil", got.Country, err)
	}
	if got, err := ParseRecipient("989123456789"); got.Country != "" || err == nil {
		t.Errorf("ParseRecipient(989123456789).Country = %q, %v, want \"\", error", got.Country, err)
	}
}

func TestNumbersMatchesUncached(t *testing.T) {
	var n Numbers // zero value must work
	inputs := []string{"+37477123456", "+37400000000", "72345", "HSBC", "37477123456", "", "+1234567"}
	for round := 0; round < 2; round++ { // second round is served from the cache
		for _, in := range inputs {
			if got, want := n.Sender(in), ClassifySender(in); got != want {
				t.Errorf("round %d: Numbers.Sender(%q) = %+v, want %+v", round, in, got, want)
			}
			gotR, gotErr := n.Recipient(in)
			wantR, wantErr := ParseRecipient(in)
			if gotR != wantR || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
				t.Errorf("round %d: Numbers.Recipient(%q) = %+v, %v, want %+v, %v", round, in, gotR, gotErr, wantR, wantErr)
			}
		}
	}
	s, r := n.len()
	// Only numbers are cached, by their digits: as senders +37477123456
	// and 37477123456 are one entry, and HSBC, 72345 and "" none; as
	// recipients the three of "+" and 7–15 digits, valid or not.
	if s != 3 || r != 3 {
		t.Errorf("cached senders, recipients = %d, %d, want 3, 3", s, r)
	}
}

func TestNumbersBounded(t *testing.T) {
	n := NewNumbers(64)
	for i := 0; i < 10000; i++ {
		n.Sender(fmt.Sprintf("+3747712%04d", i))
		n.Recipient(fmt.Sprintf("+3747712%04d", i))
	}
	s, r := n.len()
	if s > 64 || r > 64 {
		t.Errorf("after 10000 inserts, cached = %d, %d, want at most 64 each", s, r)
	}
	if s < 32 {
		t.Errorf("cached senders = %d, want the cache to be used (>= 32)", s)
	}
}

func TestNumbersConcurrent(t *testing.T) {
	n := NewNumbers(128)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				in := fmt.Sprintf("+3747712%04d", (i*7+g)%300)
				if got := n.Sender(in); !got.Valid || got.Country != "AM" {
					t.Errorf("Numbers.Sender(%q) = %+v, want valid AM", in, got)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

// TestExampleNumbers evaluates ClassifySender against every official
// libphonenumber example number; the TSV comes from a newer libphonenumber
// than the Go port's metadata, so small disagreements are expected and
// reported rather than failed.
func TestExampleNumbers(t *testing.T) {
	const path = "../../shared/data/libphonenumber/example_numbers.tsv"
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("example numbers not available: %v", err)
	}
	defer f.Close()
	types := map[string]NumberType{
		"fixedLine": TypeFixedLine, "mobile": TypeMobile, "tollFree": TypeTollFree,
		"premiumRate": TypePremiumRate, "sharedCost": TypeSharedCost, "personalNumber": TypePersonalNumber,
		"voip": TypeVoIP, "pager": TypePager, "uan": TypeUAN, "voicemail": TypeVoicemail,
	}
	var total, valid, countryOK, shared, typeOK, bothOK int
	var misses []string
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 {
			t.Fatalf("short row %q", sc.Text())
		}
		region, cc, typ, national := cols[0], cols[1], cols[2], cols[3]
		total++
		got := ClassifySender("+" + cc + national)
		wantCountry := isoRegion(region)
		cOK := got.Country == wantCountry
		if !cOK && got.Valid {
			// Numbers such as NANP toll-free +1 800 are valid in every
			// region of their calling code: no parser can name one country.
			if num, err := phonenumbers.Parse("+"+cc+national, ""); err == nil && phonenumbers.IsValidNumberForRegion(num, region) {
				shared++
				cOK = true
			}
		}
		// libphonenumber reports fixed_line_or_mobile where both patterns match.
		tOK := got.NumberType == types[typ] ||
			got.NumberType == TypeFixedLineOrMobile && (typ == "fixedLine" || typ == "mobile")
		if got.Valid {
			valid++
		}
		if cOK {
			countryOK++
		}
		if tOK {
			typeOK++
		}
		if cOK && tOK {
			bothOK++
		} else if len(misses) < 15 {
			misses = append(misses, fmt.Sprintf("%s %s +%s%s -> %+v", region, typ, cc, national, got))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	pct := func(n int) float64 { return 100 * float64(n) / float64(total) }
	t.Logf("%d example numbers: valid %.1f%%, country right %.1f%% (%.1f%% of them shared across regions of one calling code, counted right), type right %.1f%%, both %.1f%%",
		total, pct(valid), pct(countryOK), pct(shared), pct(typeOK), pct(bothOK))
	for _, m := range misses {
		t.Logf("miss: %s", m)
	}
	if pct(bothOK) < 95 {
		t.Errorf("country and type right for %.1f%% of examples, want >= 95%%", pct(bothOK))
	}
}

// alphanumericProblem's byte path agrees with the rune path on every byte
// at every place of IDs up to one past the length limit.
func TestAlphanumericProblemFastPath(t *testing.T) {
	for n := 1; n <= maxAlphanumeric+1; n++ {
		for i := range n {
			for b := range 256 {
				s := []byte(strings.Repeat("Ab", n)[:n])
				s[i] = byte(b)
				if got, want := alphanumericProblem(string(s)), runesProblem(string(s)); got != want {
					t.Fatalf("alphanumericProblem(%q) = %q, want %q", s, got, want)
				}
			}
		}
	}
}

// TestPlainSenderIDMatchesShape: every sender the one-pass path takes is
// classified by its shape as a valid alphanumeric ID, for every byte at
// every place of IDs up to two past the length limit, on letters, digits
// and spaces; and the path takes the common IDs.
func TestPlainSenderIDMatchesShape(t *testing.T) {
	want := func(s string) Sender { return Sender{Raw: s, Kind: KindAlphanumeric, Valid: true} }
	taken := 0
	for n := 0; n <= maxAlphanumeric+2; n++ {
		for _, base := range []string{"Ab", "12", "  ", "A1 -"} {
			for i := range max(n, 1) {
				for b := range 256 {
					s := []byte(strings.Repeat(base, n)[:n])
					if n > 0 {
						s[i] = byte(b)
					}
					if !plainSenderID(string(s)) {
						continue
					}
					taken++
					if got := classifyShape(string(s), nil); got != want(string(s)) {
						t.Fatalf("plainSenderID(%q) is true, classifyShape gives %+v", s, got)
					}
				}
			}
		}
	}
	for _, s := range []string{"ADCB", "VM-HDFCBK", "Chase", "KBank", "A", "Garanti BBV", " Acme "} {
		if !plainSenderID(s) {
			t.Errorf("plainSenderID(%q) = false, want the one-pass path", s)
		}
		if got := ClassifySender(s); got != want(s) {
			t.Errorf("ClassifySender(%q) = %+v", s, got)
		}
	}
	if taken < 10000 {
		t.Fatalf("the one-pass path took only %d IDs", taken)
	}
}
