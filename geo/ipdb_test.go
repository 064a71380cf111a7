package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"
)

// buildDB writes a small MaxMind DB of the given type, mapping each CIDR
// to its record, and returns its bytes.
func buildDB(t testing.TB, dbType string, records map[string]mmdbtype.Map) []byte {
	t.Helper()
	tree, err := mmdbwriter.New(mmdbwriter.Options{DatabaseType: dbType, IncludeReservedNetworks: true})
	if err != nil {
		t.Fatal(err)
	}
	for cidr, rec := range records {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			t.Fatal(err)
		}
		if err := tree.Insert(n, rec); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := tree.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func geoip2Country(cc string) mmdbtype.Map {
	return mmdbtype.Map{
		"country":            mmdbtype.Map{"iso_code": mmdbtype.String(cc), "names": mmdbtype.Map{"en": mmdbtype.String("x")}},
		"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String(cc)},
		"continent":          mmdbtype.Map{"code": mmdbtype.String("AS")},
	}
}

func countryDB(t testing.TB) []byte {
	return buildDB(t, "GeoLite2-Country", map[string]mmdbtype.Map{
		"5.10.0.0/16":    geoip2Country("AM"),
		"2.56.8.0/22":    geoip2Country("AE"),
		"2a00:1450::/32": geoip2Country("IE"),
		// anycast: only a registered country
		"1.1.1.0/24": {"registered_country": mmdbtype.Map{"iso_code": mmdbtype.String("AU")}},
	})
}

func asnDB(t testing.TB) []byte {
	return buildDB(t, "GeoLite2-ASN", map[string]mmdbtype.Map{
		"5.10.0.0/16": {"autonomous_system_number": mmdbtype.Uint32(44395), "autonomous_system_organization": mmdbtype.String("Ucom")},
		"1.1.1.0/24":  {"autonomous_system_number": mmdbtype.Uint32(13335)},
	})
}

func TestIPDBLookup(t *testing.T) {
	cityLike := buildDB(t, "GeoIP2-City", map[string]mmdbtype.Map{
		"81.16.0.0/20": {"city": mmdbtype.Map{"names": mmdbtype.Map{"en": mmdbtype.String("Yerevan")}}, "country": mmdbtype.Map{"iso_code": mmdbtype.String("AM")}},
	})
	ipLocationDB := buildDB(t, "ip-location-db", map[string]mmdbtype.Map{
		"94.200.0.0/14": {"country_code": mmdbtype.String("ae")},
	})
	country, err := OpenIPDBBytes(countryDB(t), asnDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer country.Close()
	city, err := OpenIPDB(writeFile(t, "city.mmdb", cityLike))
	if err != nil {
		t.Fatal(err)
	}
	defer city.Close()
	flat, err := OpenIPDBBytes(ipLocationDB)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		db   *IPDB
		ip   string
		want IPInfo
	}{
		{"country and asn", country, "5.10.1.2", IPInfo{Country: "AM", ASN: 44395, Found: true}},
		{"country only", country, "2.56.9.1", IPInfo{Country: "AE", Found: true}},
		{"registered country fallback", country, "1.1.1.1", IPInfo{Country: "AU", ASN: 13335, Found: true}},
		{"ipv6", country, "2a00:1450:4001::1", IPInfo{Country: "IE", Found: true}},
		{"ipv4-mapped ipv6", country, "::ffff:5.10.1.2", IPInfo{Country: "AM", ASN: 44395, Found: true}},
		{"not in db", country, "8.8.8.8", IPInfo{}},
		{"city schema", city, "81.16.1.1", IPInfo{Country: "AM", Found: true}},
		{"country_code schema upper-cased", flat, "94.200.0.1", IPInfo{Country: "AE", Found: true}},
		{"private 10/8", country, "10.1.2.3", IPInfo{Reserved: true}},
		{"private 192.168", country, "192.168.0.1", IPInfo{Reserved: true}},
		{"loopback", country, "127.0.0.1", IPInfo{Reserved: true}},
		{"loopback v6", country, "::1", IPInfo{Reserved: true}},
		{"link-local", country, "169.254.1.1", IPInfo{Reserved: true}},
		{"link-local v6 with zone", country, "fe80::1%eth0", IPInfo{Reserved: true}},
		{"cgnat", country, "100.64.0.1", IPInfo{Reserved: true}},
		{"documentation", country, "203.0.113.7", IPInfo{Reserved: true}},
		{"documentation v6", country, "2001:db8::1", IPInfo{Reserved: true}},
		{"unique local v6", country, "fd00::1", IPInfo{Reserved: true}},
		{"multicast", country, "224.0.0.1", IPInfo{Reserved: true}},
		{"broadcast", country, "255.255.255.255", IPInfo{Reserved: true}},
		{"this network", country, "0.1.2.3", IPInfo{Reserved: true}},
		{"cgnat twin just outside", country, "100.128.0.1", IPInfo{}},
		{"nil db still reports reserved", nil, "10.0.0.1", IPInfo{Reserved: true}},
		{"nil db finds nothing", nil, "5.10.1.2", IPInfo{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ip := netip.MustParseAddr(tt.ip)
			for round := range 2 { // the second round reads decoded records from the cache
				if got := tt.db.Lookup(ip); got != tt.want {
					t.Errorf("round %d: Lookup(%s) = %+v, want %+v", round, tt.ip, got, tt.want)
				}
			}
		})
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				tt := tests[(i+g)%len(tests)]
				if got := tt.db.Lookup(netip.MustParseAddr(tt.ip)); got != tt.want {
					t.Errorf("concurrent Lookup(%s) = %+v, want %+v", tt.ip, got, tt.want)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := country.Lookup(netip.Addr{}); got != (IPInfo{}) {
		t.Errorf("Lookup(invalid) = %+v, want zero", got)
	}
}

func TestIPInfoJSON(t *testing.T) {
	b, err := json.Marshal(IPInfo{Country: "AM", ASN: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"country":"AM","asn":1,"reserved":false,"found":false}`; got != want {
		t.Errorf("json = %s, want %s", got, want)
	}
}

func TestOpenIPDBErrors(t *testing.T) {
	unknown := buildDB(t, "Acme-Weather", map[string]mmdbtype.Map{
		"5.10.0.0/16": {"temperature": mmdbtype.Float64(21)},
	})
	tests := []struct {
		name    string
		path    string
		wantIs  error
		wantErr bool
	}{
		{"missing file", filepath.Join(t.TempDir(), "nope.mmdb"), fs.ErrNotExist, true},
		{"corrupt file", writeFile(t, "bad.mmdb", []byte("this is not a maxmind database at all")), ErrCorruptDB, true},
		{"empty file", writeFile(t, "empty.mmdb", nil), ErrCorruptDB, true},
		{"unknown schema", writeFile(t, "weather.mmdb", unknown), ErrUnknownSchema, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := OpenIPDB(tt.path)
			var de *DBError
			if !errors.As(err, &de) || de.Path != tt.path {
				t.Fatalf("OpenIPDB(%s) = %v, %v, want *DBError for the path", tt.name, db, err)
			}
			if !errors.Is(err, tt.wantIs) {
				t.Errorf("OpenIPDB(%s) error %v, want errors.Is %v", tt.name, err, tt.wantIs)
			}
		})
	}
	// The known twin of the unknown schema opens.
	if db, err := OpenIPDBBytes(countryDB(t)); err != nil {
		t.Errorf("OpenIPDBBytes(country db) = %v, want nil", err)
	} else {
		db.Close()
	}
	// A good first database and a bad second close the first and fail.
	if _, err := OpenIPDBBytes(countryDB(t), []byte("junk")); !errors.Is(err, ErrCorruptDB) {
		t.Errorf("OpenIPDBBytes(good, junk) = %v, want ErrCorruptDB", err)
	}
	// A database with an unrecognised type but country records is probed.
	probed := buildDB(t, "Custom", map[string]mmdbtype.Map{"5.10.0.0/16": geoip2Country("AM")})
	db, err := OpenIPDBBytes(probed)
	if err != nil {
		t.Fatalf("OpenIPDBBytes(custom type with country records) = %v, want nil", err)
	}
	defer db.Close()
	if got := db.Lookup(netip.MustParseAddr("5.10.0.1")).Country; got != "AM" {
		t.Errorf("probed db Lookup country = %q, want AM", got)
	}
}

func TestIsReserved(t *testing.T) {
	tests := []struct {
		ip   string
		want bool
	}{
		{"10.0.0.1", true}, {"172.16.5.4", true}, {"172.32.0.1", false},
		{"198.18.0.1", true}, {"198.20.0.1", false},
		{"192.0.2.1", true}, {"192.0.3.1", false},
		{"2001::1", false}, // Teredo is routable
		{"2001:2::1", true},
		{"3fff::1", true}, {"2a00::1", false},
		{"::ffff:10.0.0.1", true}, {"::ffff:8.8.8.8", false},
		{"8.8.8.8", false}, {"::", true},
	}
	for _, tt := range tests {
		if got := IsReserved(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("IsReserved(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
	if IsReserved(netip.Addr{}) {
		t.Error("IsReserved(invalid) = true, want false")
	}
}

func BenchmarkLookup(b *testing.B) {
	db, err := OpenIPDBBytes(countryDB(b), asnDB(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ name, ip string }{
		{"hit-country-asn", "5.10.1.2"},
		{"hit-v6", "2a00:1450:4001::1"},
		{"miss", "8.8.8.8"},
		{"reserved", "192.168.1.1"},
	} {
		ip := netip.MustParseAddr(c.ip)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					db.Lookup(ip)
				}
			})
		})
	}
}
