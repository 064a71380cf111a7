package countrydb

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/geo"
)

func TestBuildFromTorGeoIP(t *testing.T) {
	// 5.10.0.0 = 84541440; 5.10.255.255 = 84606975
	const v4 = `# converted from the IPFire Location database
16777216,16777471,AU
84541440,84606975,AM
3758096128,3758096383,??
84606976,84606977,EU
84606978,84606979,UK
`
	const v6 = `# comment
2a00:1450::,2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff,IE
2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP
2c0f:f000::,2c0f:f000:ffff:ffff:ffff:ffff:ffff:ffff,??
2002::,2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff,JP
2000:ffff::,2001:0:ffff:ffff:ffff:ffff:ffff:ffff,NL
`
	var buf bytes.Buffer
	stats, err := FromTorGeoIP(strings.NewReader(v4), strings.NewReader(v6), &buf)
	if err != nil {
		t.Fatal(err)
	}
	// 2002::/16 (6to4) is wholly an alias; the NL range loses its Teredo part.
	if want := (Stats{Ranges: 6, Unknown: 2, NonISO: 1, Aliased: 2, Countries: 6, Bytes: int64(buf.Len())}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	db, err := geo.OpenIPDBBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := db.DatabaseTypes(); len(got) != 1 || got[0] != DatabaseType {
		t.Errorf("DatabaseTypes() = %v, want [%s]", got, DatabaseType)
	}
	tests := []struct {
		ip   string
		want geo.IPInfo
	}{
		{"1.0.0.1", geo.IPInfo{Country: "AU", Found: true}},
		{"1.0.1.0", geo.IPInfo{}},
		{"224.0.0.1", geo.IPInfo{Reserved: true}},
		{"::ffff:224.0.0.2", geo.IPInfo{Reserved: true}},
		{"5.11.0.3", geo.IPInfo{Country: "GB", Found: true}}, // UK row
		{"5.10.0.0", geo.IPInfo{Country: "AM", Found: true}},
		{"5.10.255.255", geo.IPInfo{Country: "AM", Found: true}},
		{"5.11.0.0", geo.IPInfo{}}, // EU row skipped
		{"2a00:1450:4001::1", geo.IPInfo{Country: "IE", Found: true}},
		{"2001:200::1", geo.IPInfo{Country: "JP", Found: true}},
		{"2c0f:f000::1", geo.IPInfo{}},
		{"2000:ffff::1", geo.IPInfo{Country: "NL", Found: true}},
		{"2001:0:1::1", geo.IPInfo{}},                               // Teredo alias of 0.1.0.0: not NL
		{"2001:0:50a:1::1", geo.IPInfo{Country: "AM", Found: true}}, // Teredo server 5.10.0.1 answers with the IPv4 country
		{"2002:50a:1::", geo.IPInfo{Country: "AM", Found: true}},    // 6to4 of 5.10.0.1 likewise
	}
	for _, tt := range tests {
		if got := db.Lookup(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("Lookup(%s) = %+v, want %+v", tt.ip, got, tt.want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name, v4, v6 string
		wantLine     int
		wantSource   string
	}{
		{"two fields", "# c\n1,2\n", "", 2, "tor geoip"},
		{"not integers", "a,b,AU\n", "", 1, "tor geoip"},
		{"beyond 2^32", "1,4294967296,AU\n", "", 1, "tor geoip"},
		{"reversed", "20,10,AU\n", "", 1, "tor geoip"},
		{"bad country", "10,20,AUS\n", "", 1, "tor geoip"},
		{"bad v6", "", "2001:200::,nope,JP\n", 1, "tor geoip6"},
		{"mixed families", "", "2001:200::,1.2.3.4,JP\n", 1, "tor geoip6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FromTorGeoIP(strings.NewReader(tt.v4), strings.NewReader(tt.v6), io.Discard)
			var le *geo.LineError
			if !errors.As(err, &le) || le.Line != tt.wantLine || le.Source != tt.wantSource {
				t.Errorf("FromTorGeoIP(%s) error = %v, want *geo.LineError %s line %d", tt.name, err, tt.wantSource, tt.wantLine)
			}
		})
	}
	// The good twin of the bad rows builds.
	if _, err := FromTorGeoIP(strings.NewReader("10,20,AU\n"), nil, io.Discard); err != nil {
		t.Errorf("FromTorGeoIP(good row) = %v, want nil", err)
	}
}

func TestBuildFromCSV(t *testing.T) {
	const v4 = "1.0.0.0,1.0.0.255,AU\n5.10.0.0,5.10.255.255,am\n"
	const v6 = "2001:200::,2001:200:ffff:ffff:ffff:ffff:ffff:ffff,JP\n"
	var buf bytes.Buffer
	stats, err := FromCSV(&buf, strings.NewReader(v4), strings.NewReader(v6))
	if err != nil {
		t.Fatal(err)
	}
	if stats.Ranges != 3 || stats.Countries != 3 {
		t.Errorf("stats = %+v, want 3 ranges and 3 countries", stats)
	}
	db, err := geo.OpenIPDBBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for ip, want := range map[string]string{"1.0.0.9": "AU", "5.10.3.4": "AM", "2001:200::5": "JP", "1.0.1.0": ""} {
		if got := db.Lookup(netip.MustParseAddr(ip)).Country; got != want {
			t.Errorf("Lookup(%s).Country = %q, want %q", ip, got, want)
		}
	}
	_, err = FromCSV(io.Discard, strings.NewReader("1.0.0.0,1.0.0.255,AU\n1.0.0.0;1.0.0.255;AU\n"))
	var le *geo.LineError
	if !errors.As(err, &le) || le.Line != 2 || le.Source != "csv input 1" {
		t.Errorf("FromCSV(semicolons) error = %v, want *geo.LineError csv input 1 line 2", err)
	}
}

// TestBuildFromRealTorGeoIP converts Debian's tor-geoipdb files when they
// are installed (apt-get install tor-geoipdb) and reports time and size.
func TestBuildFromRealTorGeoIP(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: converts the full tor-geoipdb")
	}
	v4, err := os.Open("/usr/share/tor/geoip")
	if err != nil {
		t.Skipf("tor-geoipdb not installed: %v", err)
	}
	defer v4.Close()
	v6, err := os.Open("/usr/share/tor/geoip6")
	if err != nil {
		t.Skipf("tor-geoipdb not installed: %v", err)
	}
	defer v6.Close()
	var buf bytes.Buffer
	start := time.Now()
	stats, err := FromTorGeoIP(v4, v6, &buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tor-geoipdb: %+v in %v (%.1f MB)", stats, time.Since(start).Round(time.Millisecond), float64(stats.Bytes)/1e6)
	checkRealDB(t, buf.Bytes(), true)
}

// TestBuildFromRealCSV converts the ip-location-db files from ../shared
// when present.
func TestBuildFromRealCSV(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: converts the full ip-location-db files")
	}
	const dir = "../../shared/data/ip-to-country/"
	v4, err := os.Open(dir + "geo-whois-asn-country-ipv4.csv")
	if err != nil {
		t.Skipf("ip-to-country data not available: %v", err)
	}
	defer v4.Close()
	f6, err := os.Open(dir + "geo-whois-asn-country-ipv6.csv.gz")
	if err != nil {
		t.Skipf("ip-to-country data not available: %v", err)
	}
	defer f6.Close()
	v6, err := gzip.NewReader(f6)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	start := time.Now()
	stats, err := FromCSV(&buf, v4, v6)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ip-location-db: %+v in %v (%.1f MB)", stats, time.Since(start).Round(time.Millisecond), float64(stats.Bytes)/1e6)
	// ip-location-db puts 2001:200::/32 (WIDE, Japan) in AU: one of the
	// errors its README warns about, so only IPv4 is spot-checked.
	checkRealDB(t, buf.Bytes(), false)
}

// checkRealDB spot-checks long-stable allocations: registries assigned
// these blocks decades ago and they have not moved country.
func checkRealDB(t *testing.T, data []byte, v6 bool) {
	t.Helper()
	db, err := geo.OpenIPDBBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for ip, want := range map[string]string{
		"133.1.1.1":   "JP", // Osaka University, JPNIC
		"130.237.1.1": "SE", // KTH, Sweden
		"193.0.6.139": "NL", // RIPE NCC, Amsterdam
		"2001:200::1": "JP", // WIDE project, first APNIC IPv6 allocation
	} {
		if !v6 && strings.Contains(ip, ":") {
			continue
		}
		if got := db.Lookup(netip.MustParseAddr(ip)).Country; got != want {
			t.Errorf("Lookup(%s).Country = %q, want %q", ip, got, want)
		}
	}
}
