// Package countrydb writes MaxMind-format country databases from IP range
// lists (Debian's tor-geoipdb files, or "from,to,country" CSV), for
// "msgfilter geoip build" and for tests that need a small database. It is
// tooling: a gateway reads databases with package geo and never imports
// this package (nor, through it, mmdbwriter).
package countrydb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/maxmind/mmdbwriter"
	"github.com/maxmind/mmdbwriter/mmdbtype"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/lines"
)

// DatabaseType is the metadata database type of the files
// FromTorGeoIP and FromCSV write. Their records have the
// GeoIP2-Country shape {"country": {"iso_code": "AE"}}, so other MaxMind
// readers understand them too.
const DatabaseType = "msgfilter-Country"

// Stats describes a database build.
type Stats struct {
	Ranges    int   // ranges inserted
	Unknown   int   // ranges skipped for an unknown country ("??", "ZZ", "")
	NonISO    int   // ranges skipped for a code that is not a current country (EU, AP, SU, CS...)
	Aliased   int   // IPv6 ranges dropped (wholly or in part) inside IPv4 alias networks
	Countries int   // distinct country codes inserted
	Bytes     int64 // size of the written database
}

// FromTorGeoIP converts Debian's tor-geoipdb files into a MaxMind DB
// that OpenIPDB reads. v4 has lines "FROM,TO,CC" with inclusive integer
// IPv4 bounds (/usr/share/tor/geoip), v6 has "FROM_IPV6,TO_IPV6,CC"
// (/usr/share/tor/geoip6); "#" starts a comment and "??" marks an unknown
// country, which is skipped, as are codes IsCountry rejects (tor's data
// has EU, AP, SU...; UK becomes GB). Either reader may be nil. Bad lines are
// *geo.LineError. The whole database is built in memory (about 1 GB peak and
// tens of seconds for the full tor files; see the package tests) before it
// is written to w.
func FromTorGeoIP(v4, v6 io.Reader, w io.Writer) (Stats, error) {
	b, err := newBuilder("tor-geoipdb ranges converted by msgfilter")
	if err != nil {
		return Stats{}, err
	}
	if v4 != nil {
		err := eachLine("tor geoip", v4, func(f []string) error {
			lo, err1 := strconv.ParseUint(f[0], 10, 32)
			hi, err2 := strconv.ParseUint(f[1], 10, 32)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("bounds must be integers below 2^32")
			}
			return b.add(u32Addr(uint32(lo)), u32Addr(uint32(hi)), f[2])
		})
		if err != nil {
			return b.stats, err
		}
	}
	if v6 != nil {
		if err := eachLine("tor geoip6", v6, b.addText); err != nil {
			return b.stats, err
		}
	}
	return b.write(w)
}

// FromCSV converts ip-location-db style CSV files (lines
// "START,END,CC" with inclusive textual IPv4 or IPv6 bounds, no header,
// e.g. geo-whois-asn-country-ipv4.csv) into a MaxMind DB that OpenIPDB
// reads. Pass the IPv4 and IPv6 files as separate inputs (decompressed).
// Bad lines are *geo.LineError.
func FromCSV(w io.Writer, inputs ...io.Reader) (Stats, error) {
	b, err := newBuilder("ip-location-db country ranges converted by msgfilter")
	if err != nil {
		return Stats{}, err
	}
	for i, in := range inputs {
		if err := eachLine(fmt.Sprintf("csv input %d", i+1), in, b.addText); err != nil {
			return b.stats, err
		}
	}
	return b.write(w)
}

type builder struct {
	tree      *mmdbwriter.Tree
	values    map[string]mmdbtype.Map
	stats     Stats
	countries map[string]bool
}

func newBuilder(desc string) (*builder, error) {
	tree, err := mmdbwriter.New(mmdbwriter.Options{
		DatabaseType:            DatabaseType,
		Description:             map[string]string{"en": desc},
		IncludeReservedNetworks: true,
		IPVersion:               6,
	})
	if err != nil {
		return nil, fmt.Errorf("countrydb: new mmdb tree: %w", err)
	}
	return &builder{tree: tree, values: map[string]mmdbtype.Map{}, countries: map[string]bool{}}, nil
}

// addText adds a line of textual "START,END,CC".
func (b *builder) addText(f []string) error {
	lo, err1 := netip.ParseAddr(f[0])
	hi, err2 := netip.ParseAddr(f[1])
	if err1 != nil || err2 != nil {
		return fmt.Errorf("bounds must be IP addresses")
	}
	return b.add(lo, hi, f[2])
}

func (b *builder) add(lo, hi netip.Addr, cc string) error {
	lo, hi = lo.Unmap(), hi.Unmap()
	if lo.Is4() != hi.Is4() {
		return fmt.Errorf("bounds mix IPv4 and IPv6")
	}
	if hi.Less(lo) {
		return fmt.Errorf("range ends before it starts")
	}
	cc = strings.ToUpper(strings.TrimSpace(cc))
	if cc == "??" || cc == "ZZ" || cc == "" {
		b.stats.Unknown++
		return nil
	}
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return fmt.Errorf("country %q is not a two-letter code", cc)
	}
	if cc == "UK" { // reserved by ISO for the United Kingdom; some sources use it
		cc = "GB"
	}
	if !geo.IsCountry(cc) {
		// Regions (EU, AP), deleted codes (SU, CS, AN) and private ones
		// would reach policies as countries that do not exist.
		b.stats.NonISO++
		return nil
	}
	v, ok := b.values[cc]
	if !ok {
		v = mmdbtype.Map{"country": mmdbtype.Map{"iso_code": mmdbtype.String(cc)}}
		b.values[cc] = v
		b.countries[cc] = true
	}
	pieces := outsideAliases(lo, hi)
	if len(pieces) != 1 || pieces[0] != [2]netip.Addr{lo, hi} {
		b.stats.Aliased++
	}
	for _, p := range pieces {
		if err := b.tree.InsertRange(net.IP(p[0].AsSlice()), net.IP(p[1].AsSlice()), v); err != nil {
			return fmt.Errorf("insert: %w", err)
		}
	}
	if len(pieces) > 0 {
		b.stats.Ranges++
	}
	return nil
}

// ipv4Aliases are the IPv6 networks that a MaxMind IPv6 tree points at its
// IPv4 subtree (IPv4-mapped, Teredo, 6to4): a lookup there answers with the
// embedded IPv4 address's country, and mmdbwriter refuses inserts into
// them. Some sources list them (tor has 2002::/16 as JP), so builds drop
// those parts.
var ipv4Aliases = []netip.Prefix{
	netip.MustParsePrefix("::ffff:0:0/96"),
	netip.MustParsePrefix("2001::/32"),
	netip.MustParsePrefix("2002::/16"),
}

// outsideAliases returns the parts of [lo, hi] outside ipv4Aliases.
func outsideAliases(lo, hi netip.Addr) [][2]netip.Addr {
	parts := [][2]netip.Addr{{lo, hi}}
	if lo.Is4() {
		return parts
	}
	for _, a := range ipv4Aliases {
		aLo := a.Masked().Addr()
		aHi := lastAddr(a)
		var next [][2]netip.Addr
		for _, p := range parts {
			if p[1].Less(aLo) || aHi.Less(p[0]) { // disjoint
				next = append(next, p)
				continue
			}
			if p[0].Less(aLo) {
				next = append(next, [2]netip.Addr{p[0], aLo.Prev()})
			}
			if aHi.Less(p[1]) {
				next = append(next, [2]netip.Addr{aHi.Next(), p[1]})
			}
		}
		parts = next
	}
	return parts
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As16()
	for bit := p.Bits(); bit < 128; bit++ {
		a[bit/8] |= 1 << (7 - bit%8)
	}
	return netip.AddrFrom16(a)
}

func (b *builder) write(w io.Writer) (Stats, error) {
	b.stats.Countries = len(b.countries)
	n, err := b.tree.WriteTo(w)
	b.stats.Bytes = n
	if err != nil {
		return b.stats, fmt.Errorf("countrydb: write mmdb: %w", err)
	}
	return b.stats, nil
}

func u32Addr(x uint32) netip.Addr {
	var a [4]byte
	binary.BigEndian.PutUint32(a[:], x)
	return netip.AddrFrom4(a)
}

// eachLine calls fn with the three comma-separated fields of every entry
// (see package lines), wrapping errors as *geo.LineError.
func eachLine(source string, r io.Reader, fn func([]string) error) error {
	err := lines.Each(r, func(n int, entry, text string) error {
		f := strings.Split(entry, ",")
		var err error
		if len(f) != 3 {
			err = fmt.Errorf("want 3 comma-separated fields, got %d", len(f))
		} else {
			for i := range f {
				f[i] = strings.TrimSpace(f[i])
			}
			err = fn(f)
		}
		if err != nil {
			return &geo.LineError{Source: source, Line: n, Text: text, Reason: err.Error()}
		}
		return nil
	})
	var le *geo.LineError
	if err != nil && !errors.As(err, &le) {
		return fmt.Errorf("countrydb: read %s: %w", source, err)
	}
	return err
}
