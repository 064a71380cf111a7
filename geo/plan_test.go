package geo

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"google.golang.org/protobuf/proto"
)

// libraryClassify is what classifyDigits replaces: the library's region and
// type of the number it would hold for these digits.
func libraryClassify(digits string) (cc int, region string, t phonenumbers.PhoneNumberType) {
	for n := 1; n <= 3 && n < len(digits); n++ {
		c, _ := strconv.Atoi(digits[:n])
		if len(phonenumbers.GetRegionCodesForCountryCode(c)) == 0 {
			continue
		}
		num := phoneNumber(c, digits[n:])
		return c, phonenumbers.GetRegionCodeForNumber(num), phonenumbers.GetNumberType(num)
	}
	return 0, "", phonenumbers.UNKNOWN
}

// agreeingNumbers are real numbers of every region and type: the library's
// own examples, and with ../shared the official example numbers of a newer
// libphonenumber; each with variants around it (last or first national
// digit changed, one digit more or fewer), which are often of another type
// or invalid.
func agreeingNumbers(t *testing.T) []string {
	t.Helper()
	var base []string
	for region := range phonenumbers.GetSupportedRegions() {
		for typ := phonenumbers.FIXED_LINE; typ <= phonenumbers.VOICEMAIL; typ++ {
			if ex := phonenumbers.GetExampleNumberForType(region, typ); ex != nil {
				base = append(base, phonenumbers.Format(ex, phonenumbers.E164)[1:])
			}
		}
	}
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		if ex := phonenumbers.GetExampleNumberForNonGeoEntity(cc); ex != nil {
			base = append(base, phonenumbers.Format(ex, phonenumbers.E164)[1:])
		}
	}
	if f, err := os.Open("../../shared/data/libphonenumber/example_numbers.tsv"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if cols := strings.Split(sc.Text(), "\t"); len(cols) >= 4 && allDigits(cols[1]) && allDigits(cols[3]) {
				base = append(base, cols[1]+cols[3])
			}
		}
		f.Close()
	}
	var all []string
	for _, d := range base {
		all = append(all, d, d+"0", d[:len(d)-1])
		for c := byte('0'); c <= '9'; c++ {
			last := d[:len(d)-1] + string(c)
			all = append(all, last)
			if len(d) > 4 {
				all = append(all, d[:3]+string(c)+d[4:], d[:2]+string(c)+d[3:])
			}
		}
	}
	return all
}

func TestClassifyDigitsAgreesWithLibphonenumber(t *testing.T) {
	numbers := agreeingNumbers(t)
	regions := map[string]bool{}
	valid := 0
	for _, d := range numbers {
		if len(d) > maxE164Digits {
			continue
		}
		gotCC, _, gotRegion, gotType := classifyDigits(d)
		wantCC, wantRegion, wantType := libraryClassify(d)
		if gotCC != wantCC || gotRegion != wantRegion || gotType != wantType {
			t.Errorf("classifyDigits(%s) = %d %q %v, libphonenumber %d %q %v", d, gotCC, gotRegion, gotType, wantCC, wantRegion, wantType)
		}
		if wantType != phonenumbers.UNKNOWN {
			valid++
			regions[wantRegion] = true
		}
	}
	t.Logf("%d numbers, %d valid, of %d regions", len(numbers), valid, len(regions))
	if len(regions) < 200 || valid < 5000 {
		t.Errorf("only %d valid numbers of %d regions compared: the test would prove little", valid, len(regions))
	}
}

func FuzzClassifyDigits(f *testing.F) {
	for _, s := range []string{"37477123456", "14155550100", "79123456789", "77710009998", "80012345678", "447400123456", "390612345678", "2474012", "00", "1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, d string) {
		if !allDigits(d) || len(d) > maxE164Digits {
			return
		}
		gotCC, _, gotRegion, gotType := classifyDigits(d)
		wantCC, wantRegion, wantType := libraryClassify(d)
		if gotCC != wantCC || gotRegion != wantRegion || gotType != wantType {
			t.Fatalf("classifyDigits(%s) = %d %q %v, libphonenumber %d %q %v", d, gotCC, gotRegion, gotType, wantCC, wantRegion, wantType)
		}
	})
}

func TestParseRecipientDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes the regexp package's pools allocate")
	}
	for _, in := range []string{"+37477123456", "+14155550100", "+79123456789", "+447400123456"} {
		ParseRecipient(in) // compile the plan's patterns
		if n := testing.AllocsPerRun(100, func() { ParseRecipient(in) }); n != 0 {
			t.Errorf("ParseRecipient(%s) allocates %.0f times, want 0", in, n)
		}
	}
}

// phoneNumber is the library's number for calling code cc and a national
// significant number, as phonenumbers.Parse records it.
func phoneNumber(cc int, national string) *phonenumbers.PhoneNumber {
	nn, _ := strconv.ParseUint(national, 10, 64)
	num := &phonenumbers.PhoneNumber{CountryCode: proto.Int32(int32(cc)), NationalNumber: proto.Uint64(nn)}
	if len(national) > 1 && national[0] == '0' { // Italian leading zeros
		num.ItalianLeadingZero = proto.Bool(true)
		zeros := 1
		for zeros < len(national)-1 && national[zeros] == '0' {
			zeros++
		}
		if zeros != 1 {
			num.NumberOfLeadingZeros = proto.Int32(int32(zeros))
		}
	}
	return num
}
