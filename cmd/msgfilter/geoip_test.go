package main

import (
	"bytes"
	"context"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/geo"
)

// Tor's formats: integer IPv4 bounds, textual IPv6 bounds.
const (
	torV4 = `# tor geoip, as Debian ships it
84541440,84606975,AM
3758096128,3758096383,??
`
	torV6 = `2a00:1450::,2a00:1450:ffff:ffff:ffff:ffff:ffff:ffff,IE
`
)

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestGeoIPBuild(t *testing.T) {
	v4, v6 := writeTemp(t, "geoip", torV4), writeTemp(t, "geoip6", torV6)
	db := filepath.Join(t.TempDir(), "tor.mmdb")
	code, stdout, stderr := runCmd("geoip", "build", "-v4", v4, "-v6", v6, "-o", db)
	if code != 0 {
		t.Fatalf("geoip build exit %d, stderr %q", code, stderr)
	}
	if want := "2 ranges, 2 countries"; !strings.Contains(stdout, want) {
		t.Errorf("stdout = %q, want it to contain %q", stdout, want)
	}
	ipdb, err := geo.OpenIPDB(db)
	if err != nil {
		t.Fatalf("OpenIPDB(built file): %v", err)
	}
	defer ipdb.Close()
	tests := []struct {
		ip   string
		want geo.IPInfo
	}{
		{"5.10.0.1", geo.IPInfo{Country: "AM", Found: true}},
		{"2a00:1450:4001::1", geo.IPInfo{Country: "IE", Found: true}},
		{"223.255.255.1", geo.IPInfo{}},             // the "??" row is left out
		{"10.0.0.1", geo.IPInfo{Reserved: true}},    // private: never looked up
		{"2001:db8::1", geo.IPInfo{Reserved: true}}, // documentation
	}
	for _, tt := range tests {
		if got := ipdb.Lookup(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("Lookup(%s) = %+v, want %+v", tt.ip, got, tt.want)
		}
	}
	left, _ := filepath.Glob(db + ".tmp*")
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// The built file works where the CLI takes a GeoIP database.
func TestGeoIPBuildThenCheck(t *testing.T) {
	db := filepath.Join(t.TempDir(), "tor.mmdb")
	if code, _, stderr := runCmd("geoip", "build", "-v4", writeTemp(t, "geoip", torV4), "-v6", "", "-o", db); code != 0 {
		t.Fatalf("geoip build exit %d, stderr %q", code, stderr)
	}
	msg := `{"id":"m1","channel":"sms","kind":"transactional","sender":"ACME","recipient":"+4915123456789","source_ip":"5.10.0.1","body":"Your parcel arrives today."}`
	code, stdout, stderr := runCmd("check", "-geoip", db, "-explain", writeTemp(t, "in.jsonl", msg+"\n"))
	if code != 0 {
		t.Fatalf("check exit %d, stderr %q", code, stderr)
	}
	if want := `"country":"AM"`; !strings.Contains(stdout, want) {
		t.Errorf("check -explain output %q lacks the source country %s", stdout, want)
	}
}

func TestGeoIPBuildErrors(t *testing.T) {
	v4 := writeTemp(t, "geoip", torV4)
	bad := writeTemp(t, "bad", "1,2\n")
	missing := filepath.Join(t.TempDir(), "no-such-geoip")
	out := filepath.Join(t.TempDir(), "out.mmdb")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"missing v4 file", []string{"geoip", "build", "-v4", missing, "-v6", "", "-o", out}, 1, "apt-get install tor-geoipdb"},
		{"missing v6 file", []string{"geoip", "build", "-v4", v4, "-v6", missing, "-o", out}, 1, "apt-get install tor-geoipdb"},
		{"bad line", []string{"geoip", "build", "-v4", bad, "-v6", "", "-o", out}, 1, "line 1"},
		{"no output", []string{"geoip", "build", "-v4", v4}, 2, "-o FILE"},
		{"no inputs", []string{"geoip", "build", "-v4", "", "-v6", "", "-o", out}, 2, "-v4 or -v6"},
		{"no verb", []string{"geoip"}, 2, "build"},
		{"unknown verb", []string{"geoip", "fetch"}, 2, "build"},
		{"output directory missing", []string{"geoip", "build", "-v4", v4, "-v6", "", "-o", filepath.Join(missing, "x.mmdb")}, 1, "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(tt.args...)
			if code != tt.wantCode || !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("msgfilter %s: exit %d, stderr %q; want exit %d and %q",
					strings.Join(tt.args, " "), code, stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed build left %s behind", out)
	}
}

// The real tor-geoipdb files, when installed, build into a database that
// places well-known addresses.
func TestGeoIPBuildRealTorFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole tor database (tens of seconds)")
	}
	for _, p := range []string{torGeoIPv4, torGeoIPv6} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("%s absent (apt-get install tor-geoipdb): %v", p, err)
		}
	}
	db := filepath.Join(t.TempDir(), "tor.mmdb")
	code, stdout, stderr := runCmd("geoip", "build", "-o", db)
	if code != 0 {
		t.Fatalf("geoip build exit %d, stderr %q", code, stderr)
	}
	t.Log(strings.TrimSpace(stdout))
	ipdb, err := geo.OpenIPDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer ipdb.Close()
	for ip, want := range map[string]string{"8.8.8.8": "US", "2001:4860:4860::8888": "US"} {
		if got := ipdb.Lookup(netip.MustParseAddr(ip)); got.Country != want {
			t.Errorf("Lookup(%s) = %+v, want country %s", ip, got, want)
		}
	}
}
