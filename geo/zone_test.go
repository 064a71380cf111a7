package geo

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestZoneOf(t *testing.T) {
	tests := []struct {
		name, number    string
		country, region string
		def             string
		all             []string
	}{
		{"san francisco", "+14155550100", "US", "US-CA", "America/Los_Angeles", []string{"America/Los_Angeles"}},
		{"miami", "+13055550100", "US", "US-FL", "America/New_York", []string{"America/New_York"}},
		{"new york", "+12125550100", "US", "US-NY", "America/New_York", []string{"America/New_York"}},
		{"oklahoma city", "+14055550100", "US", "US-OK", "America/Chicago", []string{"America/Chicago"}},
		{"maryland", "+13015550100", "US", "US-MD", "America/New_York", []string{"America/New_York"}},
		{"seattle", "+12065550100", "US", "US-WA", "America/Los_Angeles", []string{"America/Los_Angeles"}},
		{"canada has no US state", "+12505550100", "CA", "", "America/Vancouver", []string{"America/Vancouver"}},
		{"russian mobile", "+79161234567", "RU", "", "Europe/Moscow", []string{"Europe/Moscow"}},
		{"kazakh mobile spans zones", "+77011234567", "KZ", "", "Asia/Aqtobe", []string{"Asia/Almaty", "Asia/Aqtobe"}},
		{"saudi mobile", "+966501234567", "SA", "", "Asia/Riyadh", []string{"Asia/Riyadh"}},
		{"india", "+919812345678", "IN", "", "Asia/Calcutta", []string{"Asia/Calcutta"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := ZoneOf(tt.number)
			if err != nil {
				t.Fatalf("ZoneOf(%q): %v", tt.number, err)
			}
			if z.Country != tt.country || z.Region != tt.region || z.Default.String() != tt.def || !slices.Equal(z.Names(), tt.all) {
				t.Errorf("ZoneOf(%q) = {%s %s %s %v}, want {%s %s %s %v}", tt.number,
					z.Country, z.Region, z.Default, z.Names(), tt.country, tt.region, tt.def, tt.all)
			}
		})
	}
}

// A +1 toll-free number may ring anywhere in the NANP: every zone is listed,
// and the default is the country's own (New York), not the first by name.
func TestZoneOfTollFreeListsEveryZone(t *testing.T) {
	z, err := ZoneOf("+18005550100")
	if err != nil {
		t.Fatal(err)
	}
	names := z.Names()
	for _, want := range []string{"America/New_York", "America/Los_Angeles", "Pacific/Honolulu", "America/Anchorage"} {
		if !slices.Contains(names, want) {
			t.Errorf("ZoneOf(+1 800).All = %v, missing %s", names, want)
		}
	}
	if z.Default.String() != "America/New_York" || z.Region != "" {
		t.Errorf("ZoneOf(+1 800) default %s region %q, want America/New_York and no state", z.Default, z.Region)
	}
}

func TestZoneOfInvalid(t *testing.T) {
	for _, s := range []string{"", "14155550100", "+1415", "+999999999999"} {
		_, err := ZoneOf(s)
		var ne *NumberError
		if !errors.As(err, &ne) {
			t.Errorf("ZoneOf(%q) error = %v, want *NumberError", s, err)
		}
	}
}

func TestLoadZoneMissing(t *testing.T) {
	_, err := loadZone("Mars/Olympus_Mons")
	if !errors.Is(err, ErrZoneMissing) {
		t.Errorf("loadZone(Mars/Olympus_Mons) = %v, want ErrZoneMissing", err)
	}
}

func TestZonesCachesResultsAndErrors(t *testing.T) {
	var c Zones
	a, err := c.Lookup("+14155550100")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Lookup("+14155550100")
	if a.Default != b.Default || &a.All[0] != &b.All[0] {
		t.Error("second Lookup did not come from the cache")
	}
	if _, err := c.Lookup("+1415"); err == nil {
		t.Error("Lookup(+1415) = nil error, want one")
	}
	if _, err := c.Lookup("+1415"); err == nil {
		t.Error("cached Lookup(+1415) = nil error, want one")
	}
}

func TestUSState(t *testing.T) {
	for place, want := range map[string]string{
		"San Francisco, CA": "CA", "Florida": "FL", "Washington State": "WA",
		"United States": "", "Paris, FR": "", "": "",
	} {
		if got := usState(place); got != want {
			t.Errorf("usState(%q) = %q, want %q", place, got, want)
		}
	}
}

// BenchmarkZonesLookup is a cached recipient's zone, on every check's
// enrich; Parallel on every core, as a gateway's checks run.
func BenchmarkZonesLookup(b *testing.B) {
	var c Zones
	if _, err := c.Lookup("+14155550100"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Lookup("+14155550100")
	}
}

func BenchmarkZonesLookupParallel(b *testing.B) {
	var c Zones
	if _, err := c.Lookup("+14155550100"); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			c.Lookup("+14155550100")
		}
	})
}

// Warm loads data, not results: lookups after it are what they were.
func TestZonesWarm(t *testing.T) {
	var z Zones
	z.Warm()
	got, err := z.Lookup("+13055550100")
	if err != nil || got.Region != "US-FL" || got.Default.String() != "America/New_York" {
		t.Fatalf("Lookup(+13055550100) after Warm = %+v, %v; want New York, US-FL", got, err)
	}
}

// BenchmarkZoneOf is a new recipient's zone (what Zones.Lookup pays on a
// miss), with a US state and without.
func BenchmarkZoneOf(b *testing.B) {
	for _, in := range []string{"+13055550100", "+33612345678"} {
		b.Run(in, func(b *testing.B) {
			if _, err := ZoneOf(in); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				ZoneOf(in)
			}
		})
	}
}

// TestZonesConcurrent looks up, on several goroutines at once, numbers
// whose zones the table does not hold yet (a zone is added while others
// are read; run with -race), and checks each against ZoneOf.
func TestZonesConcurrent(t *testing.T) {
	var numbers []string
	for _, region := range []string{"US", "CA", "RU", "KZ", "SA", "IN", "BR", "AU", "MX", "ID", "FR", "JP", "ZA", "NZ", "CL", "AR"} {
		for _, typ := range []phonenumbers.PhoneNumberType{phonenumbers.MOBILE, phonenumbers.FIXED_LINE} {
			if ex := phonenumbers.GetExampleNumberForType(region, typ); ex != nil {
				numbers = append(numbers, phonenumbers.Format(ex, phonenumbers.E164))
			}
		}
	}
	z := NewZones(0)
	got := make([][]Zone, 4)
	var wg sync.WaitGroup
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range numbers {
				n := numbers[(i+g*7)%len(numbers)]
				zone, err := z.Lookup(n)
				if err != nil {
					t.Errorf("Lookup(%q): %v", n, err)
				}
				got[g] = append(got[g], zone)
			}
		}()
	}
	wg.Wait()
	for g := range got {
		for i, zone := range got[g] {
			n := numbers[(i+g*7)%len(numbers)]
			want, err := ZoneOf(n)
			if err != nil {
				t.Fatalf("ZoneOf(%q): %v", n, err)
			}
			if zone.Country != want.Country || zone.Region != want.Region || zone.Default != want.Default || !slices.Equal(zone.All, want.All) {
				t.Errorf("goroutine %d: Lookup(%q) = {%s %s %v}, ZoneOf = {%s %s %v}", g, n,
					zone.Country, zone.Region, zone.Names(), want.Country, want.Region, want.Names())
			}
		}
	}
}

// RecipientZone gives, from one cache slot, exactly what Recipient and
// Zones.Lookup give from two, for libphonenumber's example numbers of
// every region and type and their variants (valid, of another type or
// invalid, agreeingNumbers): on a miss, on a hit, and when Recipient
// filled the slot first. It fails when the zone is not kept in the
// recipient's code (or is kept for the wrong number): a zone taken from
// the code is checked against ZoneOf, and most must come from it.
func TestRecipientZoneMatchesLookups(t *testing.T) {
	all := agreeingNumbers(t)
	step := 1
	if raceEnabled || testing.Short() {
		step = 16 // every number is still classified by the other tests
	}
	var n, first Numbers
	var z Zones
	fromCode, valid := 0, 0
	for i := 0; i < len(all); i += step {
		s := "+" + all[i]
		wantR, wantErr := ParseRecipient(s)
		wantZ, zerr := z.Lookup(s)
		if zerr != nil {
			wantZ = Zone{} // RecipientZone's zone for an invalid recipient or a missing zone
		}
		if _, err := first.Recipient(s); fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("Recipient(%s) error %v, want %v", s, err, wantErr)
		}
		for round, c := range []*Numbers{&n, &n, &first} { // miss, hit, filled by Recipient
			r, zone, err := c.RecipientZone(s)
			if r != wantR || fmt.Sprint(err) != fmt.Sprint(wantErr) || !reflect.DeepEqual(zone, wantZ) {
				t.Fatalf("round %d: RecipientZone(%s) = %+v, %v, %v; want %+v, %v, %v (Lookup: %v)",
					round, s, r, zone.Names(), err, wantR, wantZ.Names(), wantErr, zerr)
			}
		}
		if wantErr == nil {
			valid++
			if recipientCode(s)>>codeZoneShift&codeZoneMax != 0 {
				fromCode++
			}
		}
	}
	if valid < 500 || fromCode < valid*9/10 {
		t.Errorf("%d valid recipients, %d with their zone in the code; want >= 500, >= 90%%", valid, fromCode)
	}
	if c := recipientCode("+12015550123"); codeType(c) != TypeFixedLineOrMobile || codeCountryName(c) != "US" {
		t.Errorf("code of +12015550123: %v in %q, want fixed line or mobile in US", codeType(c), codeCountryName(c))
	}
}

// RecipientZone of a number of bad shape is ParseRecipient's error and no
// zone, and a hit does not allocate.
func TestRecipientZoneInvalidAndAllocs(t *testing.T) {
	var n Numbers
	for _, s := range []string{"", "12345678", "+12ab", "+123", "+10000000000"} {
		r, z, err := n.RecipientZone(s)
		wantR, wantErr := ParseRecipient(s)
		if r != wantR || fmt.Sprint(err) != fmt.Sprint(wantErr) || err == nil || z.Default != nil || z.All != nil {
			t.Errorf("RecipientZone(%q) = %+v, %+v, %v; want %+v, zero zone, %v", s, r, z, err, wantR, wantErr)
		}
	}
	n.RecipientZone("+33612345678")
	if raceEnabled {
		return
	}
	if a := testing.AllocsPerRun(100, func() { n.RecipientZone("+33612345678") }); a != 0 {
		t.Errorf("a RecipientZone hit allocates %.0f times, want 0", a)
	}
}
