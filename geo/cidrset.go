package geo

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strings"

	"github.com/msgfilter/msgfilter/internal/lines"
)

// LineError reports a bad line in a text input (a CIDR list, a tor-geoipdb
// or CSV file): Source names the input, Line is 1-based, Text is the line
// and Reason says what is wrong with it.
type LineError struct {
	Source string
	Line   int
	Text   string
	Reason string
}

func (e *LineError) Error() string {
	return fmt.Sprintf("geo: %s line %d %q: %s", e.Source, e.Line, e.Text, e.Reason)
}

// CIDRSet is a set of IP networks (a block list per pack or tenant) held as
// sorted, merged ranges: Contains is a binary search with no allocation.
//
// A CIDRSet is immutable once built and safe for concurrent use. The zero
// value and a nil *CIDRSet are empty sets.
type CIDRSet struct {
	v4 []range4
	v6 []range6
}

type range4 struct{ lo, hi uint32 }

type u128 struct{ hi, lo uint64 }

type range6 struct{ lo, hi u128 }

func (a u128) cmp(b u128) int {
	if c := cmp.Compare(a.hi, b.hi); c != 0 {
		return c
	}
	return cmp.Compare(a.lo, b.lo)
}

func (a u128) next() (u128, bool) {
	if a.lo != ^uint64(0) {
		return u128{a.hi, a.lo + 1}, true
	}
	if a.hi != ^uint64(0) {
		return u128{a.hi + 1, 0}, true
	}
	return a, false
}

// ParseCIDRSet reads one network per line: a CIDR ("203.0.113.0/24",
// "2001:db8::/32") or a single address. Blank lines and everything after
// "#" are ignored. Host bits in a CIDR are dropped ("10.1.2.3/8" means
// 10.0.0.0/8) and IPv4-mapped IPv6 entries are taken as IPv4. name is used
// in errors, which are *LineError for the first bad line.
func ParseCIDRSet(name string, r io.Reader) (*CIDRSet, error) {
	var b cidrBuilder
	err := lines.Each(r, func(n int, entry, text string) error {
		if err := b.add(entry); err != nil {
			return &LineError{Source: name, Line: n, Text: text, Reason: err.Error()}
		}
		return nil
	})
	var le *LineError
	if errors.As(err, &le) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("geo: read %s: %w", name, err)
	}
	return b.build(), nil
}

// NewCIDRSet builds a set from entries in ParseCIDRSet's syntax, one per
// element (no comments). The *LineError's Line is the 1-based index.
func NewCIDRSet(entries ...string) (*CIDRSet, error) {
	var b cidrBuilder
	for i, e := range entries {
		if err := b.add(strings.TrimSpace(e)); err != nil {
			return nil, &LineError{Source: "cidr list", Line: i + 1, Text: e, Reason: err.Error()}
		}
	}
	return b.build(), nil
}

type cidrBuilder struct {
	v4 []range4
	v6 []range6
}

func (b *cidrBuilder) add(entry string) error {
	var p netip.Prefix
	if strings.IndexByte(entry, '/') >= 0 {
		var err error
		if p, err = netip.ParsePrefix(entry); err != nil {
			return fmt.Errorf("not a CIDR: %w", err)
		}
	} else {
		a, err := netip.ParseAddr(entry)
		if err != nil {
			return fmt.Errorf("not an IP address or CIDR: %w", err)
		}
		if a.Zone() != "" {
			return fmt.Errorf("address has a zone")
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	p = p.Masked()
	lo := p.Addr()
	if lo.Is4() {
		l := binary.BigEndian.Uint32(lo.AsSlice())
		hi := l | uint32(uint64(1)<<(32-p.Bits())-1)
		b.v4 = append(b.v4, range4{l, hi})
		return nil
	}
	a16 := lo.As16()
	l := u128{binary.BigEndian.Uint64(a16[:8]), binary.BigEndian.Uint64(a16[8:])}
	hostBits := 128 - p.Bits()
	h := l
	switch {
	case hostBits >= 64:
		h.lo = ^uint64(0)
		h.hi |= mask64(hostBits - 64)
	default:
		h.lo |= mask64(hostBits)
	}
	b.v6 = append(b.v6, range6{l, h})
	return nil
}

// mask64 returns n low one bits, 0 <= n <= 64.
func mask64(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return uint64(1)<<n - 1
}

func (b *cidrBuilder) build() *CIDRSet {
	slices.SortFunc(b.v4, func(x, y range4) int { return cmp.Compare(x.lo, y.lo) })
	var v4 []range4
	for _, r := range b.v4 {
		if n := len(v4); n > 0 && (r.lo <= v4[n-1].hi || v4[n-1].hi != ^uint32(0) && r.lo == v4[n-1].hi+1) {
			v4[n-1].hi = max(v4[n-1].hi, r.hi)
			continue
		}
		v4 = append(v4, r)
	}
	slices.SortFunc(b.v6, func(x, y range6) int { return x.lo.cmp(y.lo) })
	var v6 []range6
	for _, r := range b.v6 {
		if n := len(v6); n > 0 {
			last := &v6[n-1]
			nx, ok := last.hi.next()
			if r.lo.cmp(last.hi) <= 0 || ok && r.lo == nx {
				if r.hi.cmp(last.hi) > 0 {
					last.hi = r.hi
				}
				continue
			}
		}
		v6 = append(v6, r)
	}
	return &CIDRSet{v4: v4, v6: v6}
}

// Contains reports whether ip is in one of the set's networks. IPv4-mapped
// IPv6 addresses match IPv4 entries; an invalid Addr is in no set.
func (s *CIDRSet) Contains(ip netip.Addr) bool {
	if s == nil || !ip.IsValid() {
		return false
	}
	ip = ip.Unmap()
	if ip.Is4() {
		a4 := ip.As4()
		x := binary.BigEndian.Uint32(a4[:])
		// first range with lo > x, then check the one before it
		i, _ := slices.BinarySearchFunc(s.v4, x, func(r range4, x uint32) int {
			if r.lo <= x {
				return -1
			}
			return 1
		})
		return i > 0 && x <= s.v4[i-1].hi
	}
	a16 := ip.As16()
	x := u128{binary.BigEndian.Uint64(a16[:8]), binary.BigEndian.Uint64(a16[8:])}
	i, _ := slices.BinarySearchFunc(s.v6, x, func(r range6, x u128) int {
		if r.lo.cmp(x) <= 0 {
			return -1
		}
		return 1
	})
	return i > 0 && x.cmp(s.v6[i-1].hi) <= 0
}

// Len returns the number of disjoint ranges the set holds after merging
// overlapping and adjacent networks.
func (s *CIDRSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.v4) + len(s.v6)
}
