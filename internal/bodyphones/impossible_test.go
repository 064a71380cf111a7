package bodyphones

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

var impossibleN = flag.Int("impossible.n", 1500, "digit strings per region in TestImpossibleNeverRejectsAValidNumber")

func TestImpossible(t *testing.T) {
	tests := []struct {
		name, text, region string
		want               bool
	}{
		// The templated row's parcel references: "00" is the French and
		// German international prefix, 34 is Spain, and Spanish NSNs have
		// nine digits, not ten.
		{"fr parcel reference", "00340434123456", "FR", true},
		{"de parcel reference", "00340434987654", "DE", true},
		{"ae idd then unknown calling code", "00801234567", "AE", true},
		{"fr too long national", "061234567890", "FR", true},

		// Ham twins: what parse accepts, impossible must leave to it.
		{"fr idd italian mobile", "00393123456789", "FR", false},
		{"de idd spanish mobile", "0034612345678", "DE", false},
		{"fr national mobile", "0612345678", "FR", false},
		{"ae national mobile", "0501234567", "AE", false},
		{"us idd uk number", "011442079460958", "US", false},
		{"argentina transform rule", "0111512345678", "AR", false},
		{"not only digits", "0034 0434123456", "FR", false},
		{"plus", "+340434123456", "FR", false},
		{"unknown region", "00340434123456", "ZZ", false},
		{"too long for a candidate", "003404341234567890", "FR", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := impossible(tt.text, tt.region); got != tt.want {
				t.Errorf("impossible(%q, %q) = %v, want %v", tt.text, tt.region, got, tt.want)
			}
			if _, ok := parse(tt.text, tt.region); ok && tt.want {
				t.Errorf("parse(%q, %q) accepts what the case says is impossible", tt.text, tt.region)
			}
		})
	}
}

// TestImpossibleNeverRejectsAValidNumber is the proof the fast path needs:
// Finder.parse differs from parse only where impossible is true, so Find's
// results are unchanged if and only if parse rejects every text impossible
// rejects. It checks that against the real library for every supported
// region, on random digit strings of 6 to 17 digits and on real example
// numbers written nationally, with the region's or another calling code and
// international prefix, then mutated (digits changed, added, dropped).
// -impossible.n scales it (go test -run NeverRejects -impossible.n 20000).
func TestImpossibleNeverRejectsAValidNumber(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 0))
	regions := make([]string, 0, 256)
	for region := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, region)
	}
	slices.Sort(regions)
	examples := exampleNumbers()
	var checked, rejected, accepted, parsed int
	for _, region := range regions {
		for range *impossibleN {
			text := digitString(r, region, examples)
			checked++
			sure := impossible(text, region)
			// Parse every rejected text, and a sample of the others to
			// show the strings reach valid numbers.
			if !sure && r.IntN(4) != 0 {
				continue
			}
			parsed++
			_, ok := parse(text, region)
			if ok {
				accepted++
			}
			if sure {
				rejected++
				if ok {
					t.Errorf("impossible(%q, %q) = true, but parse accepts it", text, region)
				}
			}
		}
	}
	t.Logf("%d regions, %d digit strings: impossible rejected %d; %d parsed, %d valid",
		len(regions), checked, rejected, parsed, accepted)
	// A generator that never reaches a valid number, or a fast path that
	// rejects nothing, would make this test pass without proving anything.
	if accepted < checked/100 || rejected < checked/10 {
		t.Errorf("weak sample: %d valid numbers and %d rejections in %d strings", accepted, rejected, checked)
	}
}

// exampleNumbers are the metadata's example NSNs with their calling code.
func exampleNumbers() []struct{ cc, nsn string } {
	var out []struct{ cc, nsn string }
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE,
			phonenumbers.TOLL_FREE, phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.UAN} {
			if n := phonenumbers.GetExampleNumberForType(region, typ); n != nil {
				out = append(out, struct{ cc, nsn string }{strconv.Itoa(int(n.GetCountryCode())), phonenumbers.GetNationalSignificantNumber(n)})
			}
		}
	}
	for cc := range phonenumbers.GetSupportedGlobalNetworkCallingCodes() {
		if n := phonenumbers.GetExampleNumberForNonGeoEntity(cc); n != nil {
			out = append(out, struct{ cc, nsn string }{strconv.Itoa(cc), phonenumbers.GetNationalSignificantNumber(n)})
		}
	}
	slices.SortFunc(out, func(a, b struct{ cc, nsn string }) int { return strings.Compare(a.cc+" "+a.nsn, b.cc+" "+b.nsn) })
	return out
}

// prefixes are international and trunk prefixes from around the world.
var prefixes = []string{"", "0", "00", "000", "01", "011", "0011", "001", "002", "010", "0019", "009", "8", "810", "1", "9", "119", "0015", "0021"}

func digitString(r *rand.Rand, region string, examples []struct{ cc, nsn string }) string {
	own := strconv.Itoa(phonenumbers.GetCountryCodeForRegion(region))
	var b strings.Builder
	switch r.IntN(4) {
	case 0: // random digits behind a prefix
		b.WriteString(prefixes[r.IntN(len(prefixes))])
		for n := 6 + r.IntN(12); b.Len() < n; {
			b.WriteByte(byte('0' + r.IntN(10)))
		}
	case 1: // the region's own number, nationally or with its calling code
		e := examples[r.IntN(len(examples))]
		for range 20 {
			if e.cc == own {
				break
			}
			e = examples[r.IntN(len(examples))]
		}
		b.WriteString([]string{"", "0", "1", "8", own, own + "0", "00" + own, "011" + own}[r.IntN(8)])
		b.WriteString(e.nsn)
	default: // any number behind a prefix
		e := examples[r.IntN(len(examples))]
		b.WriteString(prefixes[r.IntN(len(prefixes))])
		b.WriteString(e.cc)
		if r.IntN(4) == 0 {
			b.WriteByte('0')
		}
		b.WriteString(e.nsn)
	}
	d := []byte(b.String())
	switch r.IntN(6) { // half of them mutated
	case 0: // change a digit
		if len(d) > 0 {
			d[r.IntN(len(d))] = byte('0' + r.IntN(10))
		}
	case 1: // add one
		i := r.IntN(len(d) + 1)
		d = slices.Insert(d, i, byte('0'+r.IntN(10)))
	case 2: // drop one
		if len(d) > 1 {
			i := r.IntN(len(d))
			d = slices.Delete(d, i, i+1)
		}
	}
	if len(d) > maxDigits {
		d = d[:maxDigits]
	}
	return string(d)
}

func FuzzImpossible(f *testing.F) {
	for _, s := range []string{"00340434123456", "00393123456789", "0612345678", "011442079460958", "0111512345678"} {
		f.Add(s, "FR")
	}
	f.Add("0501234567", "AE")
	f.Add("12015550123", "US")
	f.Fuzz(func(t *testing.T, text, region string) {
		if impossible(text, region) {
			if _, ok := parse(text, region); ok {
				t.Errorf("impossible(%q, %q) = true, but parse accepts it", text, region)
			}
		}
	})
}

// TestPrefixTrieMatchesRegexp: a prefix answered from its trie ends where
// the metadata's regular expression, as Parse runs it, ends: on every digit
// string of up to five digits, and on random numbers behind prefixes.
func TestPrefixTrieMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	examples := exampleNumbers()
	var all []string // every digit string of 0 to 5 digits
	for n, k := 0, 1; n <= 5; n, k = n+1, k*10 {
		for v := range k {
			all = append(all, fmt.Sprintf("%0*d", n, v)[:n])
		}
	}
	seen := map[*regexp.Regexp]bool{}
	tries, regexps := 0, 0
	for i, p := range metadata().regions {
		if p == nil {
			continue
		}
		region := string([]byte{byte('A' + i/26), byte('A' + i%26)})
		for _, x := range []prefix{p.idd, p.national} {
			if x.re == nil || seen[x.re] {
				continue
			}
			seen[x.re] = true
			if x.trie == nil {
				regexps++
				continue
			}
			tries++
			texts := slices.Clone(all)
			for range 500 {
				texts = append(texts, digitString(r, region, examples))
			}
			for j := 0; j < len(texts); j += raceStride {
				s := texts[j]
				want := -1
				if ind := x.re.FindStringIndex(s); ind != nil && ind[0] == 0 {
					want = ind[1]
				}
				if got := x.end(s); got != want {
					t.Errorf("%s: prefix %q ends %d in %q, its regexp %d", region, x.re, got, s, want)
				}
			}
		}
	}
	t.Logf("%d prefixes answered by a trie, %d by their regexp", tries, regexps)
	if tries < 200 {
		t.Errorf("only %d prefixes have a trie: the test checks too little", tries)
	}
}

// TestMatchesOrder: the words of an expression come in the order Go's
// regexp prefers them, which decides where a prefix ends.
func TestMatchesOrder(t *testing.T) {
	tests := []struct {
		name, expr string
		want       []string
		ok         bool
	}{
		{"literal", "00", []string{"00"}, true},
		{"alternation keeps its order", "0(?:0|011)", []string{"00", "0011"}, true},
		{"greedy quest prefers the longer", "00(?:1\\d)?", []string{"0010", "0011", "0012", "0013", "0014", "0015", "0016", "0017", "0018", "0019", "00"}, true},
		{"lazy quest prefers the shorter", "0(?:1)??", []string{"0", "01"}, true},
		{"bounded repeat", "1{1,2}", []string{"11", "1"}, true},
		{"non-digits never match", "0|a", []string{"0"}, true},
		{"anchor refused", "(5\\d{6})$|1", nil, false},
		{"unbounded refused", "0\\d*", nil, false},
		{"too many refused", "\\d{4}", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := matches(tt.expr)
			if ok != tt.ok || !slices.Equal(got, tt.want) {
				t.Errorf("matches(%q) = %q, %v; want %q, %v", tt.expr, got, ok, tt.want, tt.ok)
			}
		})
	}
}
