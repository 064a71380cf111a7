package geo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"testing"
)

func TestCIDRSetContains(t *testing.T) {
	const list = `# tenant block list
203.0.113.0/24
198.51.100.7        # one host
10.1.2.3/8          # host bits dropped: all of 10/8
2001:db8:1::/48
::ffff:192.0.2.0/120
5.10.0.0/17
5.10.128.0/17       # adjacent: merges with the line above

0.0.0.0/0x`
	_, err := ParseCIDRSet("tenant-a", strings.NewReader(list))
	var le *LineError
	if !errors.As(err, &le) || le.Line != 10 || le.Source != "tenant-a" || le.Text != "0.0.0.0/0x" {
		t.Fatalf("ParseCIDRSet(bad last line) error = %v, want *LineError at line 10", err)
	}
	set, err := ParseCIDRSet("tenant-a", strings.NewReader(strings.TrimSuffix(list, "0.0.0.0/0x")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ip   string
		want bool
	}{
		{"203.0.113.0", true}, {"203.0.113.255", true}, {"203.0.112.255", false}, {"203.0.114.0", false},
		{"198.51.100.7", true}, {"198.51.100.8", false}, {"198.51.100.6", false},
		{"10.0.0.0", true}, {"10.255.255.255", true}, {"11.0.0.0", false}, {"9.255.255.255", false},
		{"2001:db8:1::1", true}, {"2001:db8:1:ffff:ffff:ffff:ffff:ffff", true}, {"2001:db8:2::", false}, {"2001:db8::ffff", false},
		{"192.0.2.9", true}, {"::ffff:192.0.2.9", true}, {"192.0.3.0", false},
		{"::ffff:203.0.113.1", true},
		{"5.10.0.0", true}, {"5.10.127.255", true}, {"5.10.128.0", true}, {"5.10.255.255", true}, {"5.11.0.0", false},
		{"8.8.8.8", false}, {"::", false}, {"ffff::", false},
	}
	for _, tt := range tests {
		if got := set.Contains(netip.MustParseAddr(tt.ip)); got != tt.want {
			t.Errorf("Contains(%s) = %v, want %v", tt.ip, got, tt.want)
		}
	}
	if got, want := set.Len(), 6; got != want {
		t.Errorf("Len() = %d, want %d (six networks, the 5.10/17 pair merged)", got, want)
	}
	var empty *CIDRSet
	if empty.Contains(netip.MustParseAddr("10.0.0.1")) || (&CIDRSet{}).Contains(netip.MustParseAddr("10.0.0.1")) {
		t.Error("empty set contains 10.0.0.1, want false")
	}
	if set.Contains(netip.Addr{}) {
		t.Error("Contains(invalid) = true, want false")
	}
}

func TestCIDRSetEdges(t *testing.T) {
	set, err := NewCIDRSet("0.0.0.0/0", "::/0")
	if err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"0.0.0.0", "255.255.255.255", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"} {
		if !set.Contains(netip.MustParseAddr(ip)) {
			t.Errorf("everything set: Contains(%s) = false, want true", ip)
		}
	}
	set, err = NewCIDRSet("255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "::/128")
	if err != nil {
		t.Fatal(err)
	}
	for ip, want := range map[string]bool{"255.255.255.255": true, "255.255.255.254": false, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff": true, "::": true, "::1": false} {
		if got := set.Contains(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Contains(%s) = %v, want %v", ip, got, want)
		}
	}
	for _, bad := range []string{"300.1.1.1", "1.2.3.4/33", "fe80::1%eth0", "example.com", "1.2.3.4-1.2.3.9"} {
		_, err := NewCIDRSet("1.1.1.1", bad)
		var le *LineError
		if !errors.As(err, &le) || le.Line != 2 || le.Text != bad {
			t.Errorf("NewCIDRSet(%q) error = %v, want *LineError on line 2", bad, err)
		}
	}
}

// TestCIDRSetMatchesPrefixes checks the range representation against
// netip.Prefix.Contains on random sets.
func TestCIDRSetMatchesPrefixes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 50; round++ {
		var prefixes []netip.Prefix
		var entries []string
		for i := 0; i < 20; i++ {
			p := randPrefix(r)
			prefixes = append(prefixes, p.Masked())
			entries = append(entries, p.String())
		}
		set, err := NewCIDRSet(entries...)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 500; i++ {
			ip := randPrefix(r).Addr()
			if i%2 == 0 { // probe near the set's own networks too
				ip = prefixes[r.IntN(len(prefixes))].Addr()
			}
			want := false
			for _, p := range prefixes {
				want = want || p.Contains(ip)
			}
			if got := set.Contains(ip); got != want {
				t.Fatalf("set %v: Contains(%s) = %v, want %v", entries, ip, got, want)
			}
		}
	}
}

func randPrefix(r *rand.Rand) netip.Prefix {
	if r.IntN(2) == 0 {
		var a [4]byte
		for i := range a {
			a[i] = byte(r.IntN(4)) // a small space, so networks overlap
		}
		return netip.PrefixFrom(netip.AddrFrom4(a), r.IntN(33))
	}
	var a [16]byte
	for i := range a {
		a[i] = byte(r.IntN(3))
	}
	return netip.PrefixFrom(netip.AddrFrom16(a), r.IntN(129))
}

func FuzzParseCIDRSet(f *testing.F) {
	f.Add("10.0.0.0/8\n# c\n2001:db8::/32", "10.1.1.1")
	f.Add("::ffff:1.2.3.0/120", "1.2.3.4")
	f.Add("1.2.3.4/33", "1.2.3.4")
	f.Fuzz(func(t *testing.T, list, probe string) {
		set, err := ParseCIDRSet("fuzz", strings.NewReader(list))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("ParseCIDRSet error %v is not a *LineError", err)
			}
			return
		}
		ip, err := netip.ParseAddr(probe)
		if err != nil {
			return
		}
		got := set.Contains(ip)
		// Every line that parses alone must agree with the whole set.
		want := false
		for _, line := range strings.Split(list, "\n") {
			if i := strings.IndexByte(line, '#'); i >= 0 {
				line = line[:i]
			}
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			one, err := NewCIDRSet(line)
			if err != nil {
				t.Fatalf("line %q parsed in the list but not alone: %v", line, err)
			}
			want = want || one.Contains(ip)
		}
		if got != want {
			t.Fatalf("Contains(%s) = %v, but the lines one by one say %v", ip, got, want)
		}
	})
}

func BenchmarkCIDRSetContains(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{10, 1000, 100000} {
		entries := make([]string, n)
		for i := range entries {
			if i%4 == 0 {
				entries[i] = fmt.Sprintf("2001:%x:%x::/48", r.IntN(1<<16), r.IntN(1<<16))
			} else {
				entries[i] = fmt.Sprintf("%d.%d.%d.0/24", r.IntN(224), r.IntN(256), r.IntN(256))
			}
		}
		set, err := NewCIDRSet(entries...)
		if err != nil {
			b.Fatal(err)
		}
		v4 := netip.MustParseAddr("93.184.216.34")
		v6 := netip.MustParseAddr("2001:4860:4860::8888")
		b.Run(fmt.Sprintf("v4/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				set.Contains(v4)
			}
		})
		b.Run(fmt.Sprintf("v6/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				set.Contains(v6)
			}
		})
	}
}
