package geo

import (
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strings"
	"sync"

	"github.com/oschwald/maxminddb-golang/v2"
)

// IPInfo is what an IPDB knows about an address. It is part of the policy
// input document; every field is always present in JSON.
//
// Reserved addresses (private, loopback, link-local, CGNAT, documentation,
// multicast and other special-purpose ranges) are never looked up: they
// come back with Reserved true and Found false. Found says whether any
// opened database had a record for the address; Country is the ISO 3166-1
// alpha-2 code in upper case ("" when unknown) and ASN is 0 when unknown.
type IPInfo struct {
	Country  string `json:"country"`
	ASN      uint   `json:"asn"`
	Reserved bool   `json:"reserved"`
	Found    bool   `json:"found"`
}

// Errors from OpenIPDB and OpenIPDBBytes, inside a *DBError.
var (
	// ErrCorruptDB means the file is not a readable MaxMind DB.
	ErrCorruptDB = errors.New("geo: not a valid maxmind db")
	// ErrUnknownSchema means the database opened but holds neither
	// country nor ASN records this package understands.
	ErrUnknownSchema = errors.New("geo: unknown ip database schema")
)

// DBError reports a database that could not be opened: Path is the file
// ("" for bytes) and Err wraps the cause, which is fs.ErrNotExist and the
// like for a missing file, ErrCorruptDB or ErrUnknownSchema.
type DBError struct {
	Path string
	Err  error
}

func (e *DBError) Error() string {
	if e.Path == "" {
		return "geo: open ip database: " + e.Err.Error()
	}
	return fmt.Sprintf("geo: open ip database %s: %v", e.Path, e.Err)
}

func (e *DBError) Unwrap() error { return e.Err }

// IPDB maps IP addresses to countries and autonomous systems with one or
// more MaxMind-format databases: GeoIP2/GeoLite2 Country, City and
// Enterprise, GeoLite2-ASN and GeoIP2-ISP, DB-IP, and the flat
// {"country_code": "AE"} records of ip-location-db or geo/countrydb. When
// several databases are opened together (a country DB and an ASN DB), the
// first one with a country and the first one with an ASN win.
//
// An IPDB is safe for concurrent use. Its zero value and a nil *IPDB have
// no databases: Lookup still reports Reserved, and finds nothing else.
type IPDB struct {
	readers []*maxminddb.Reader
	types   []string
	decoded []recordCache // per reader
}

// maxCachedRecords bounds each reader's decoded-record cache. A country
// database has a few thousand distinct records, so it fits; a City
// database keeps the first records seen and decodes the rest each time.
const maxCachedRecords = 1 << 16

// recordCache remembers decoded records by their offset in the data
// section: records are immutable and shared by many networks, and
// decoding one costs far more than a map lookup.
type recordCache struct {
	mu sync.RWMutex
	m  map[uintptr]decoded
}

type decoded struct {
	country string
	asn     uint
}

// OpenIPDB opens MaxMind-format database files (memory-mapped) and checks
// that each holds country or ASN records. Pass a country database first
// and an ASN database after it to get both in one Lookup. Errors are
// *DBError.
func OpenIPDB(path string, more ...string) (*IPDB, error) {
	d := &IPDB{}
	for _, p := range append([]string{path}, more...) {
		r, err := maxminddb.Open(p)
		if err == nil {
			err = d.add(r)
		} else if !isPathError(err) {
			err = fmt.Errorf("%w: %w", ErrCorruptDB, err)
		}
		if err != nil {
			d.Close()
			return nil, &DBError{Path: p, Err: err}
		}
	}
	return d, nil
}

// OpenIPDBBytes is OpenIPDB from database contents held in memory, as a
// reloader that fetched a new database would have them. The IPDB keeps the
// slices: do not modify them while it is in use.
func OpenIPDBBytes(data []byte, more ...[]byte) (*IPDB, error) {
	d := &IPDB{}
	for _, b := range append([][]byte{data}, more...) {
		r, err := maxminddb.OpenBytes(b)
		if err != nil {
			err = fmt.Errorf("%w: %w", ErrCorruptDB, err)
		} else {
			err = d.add(r)
		}
		if err != nil {
			d.Close()
			return nil, &DBError{Err: err}
		}
	}
	return d, nil
}

func isPathError(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe)
}

// add checks r's schema and keeps it; on error it closes r.
func (d *IPDB) add(r *maxminddb.Reader) error {
	if err := checkSchema(r); err != nil {
		r.Close()
		return err
	}
	d.readers = append(d.readers, r)
	d.types = append(d.types, r.Metadata.DatabaseType)
	d.decoded = append(d.decoded, recordCache{m: map[uintptr]decoded{}})
	return nil
}

// checkSchema accepts a database whose type names a known country or ASN
// product, or whose first records carry a field Lookup reads.
func checkSchema(r *maxminddb.Reader) error {
	t := r.Metadata.DatabaseType
	for _, known := range []string{"Country", "City", "Enterprise", "ASN", "ISP", "country"} {
		if strings.Contains(t, known) {
			return nil
		}
	}
	seen := 0
	for res := range r.Networks(maxminddb.SkipEmptyValues()) {
		var rec map[string]any
		if err := res.Decode(&rec); err != nil {
			return fmt.Errorf("%w: %w", ErrCorruptDB, err)
		}
		for _, k := range []string{"country", "registered_country", "country_code", "autonomous_system_number"} {
			if _, ok := rec[k]; ok {
				return nil
			}
		}
		if seen++; seen >= 8 {
			break
		}
	}
	return fmt.Errorf("%w: database type %q", ErrUnknownSchema, t)
}

// DatabaseTypes returns the metadata database type of each opened file.
func (d *IPDB) DatabaseTypes() []string {
	if d == nil {
		return nil
	}
	return append([]string(nil), d.types...)
}

// Close releases the databases. Lookup must not be called after Close.
func (d *IPDB) Close() error {
	if d == nil {
		return nil
	}
	var errs []error
	for _, r := range d.readers {
		errs = append(errs, r.Close())
	}
	d.readers = nil
	return errors.Join(errs...)
}

// record holds the fields Lookup reads from any supported schema; the
// decoder skips everything else.
type record struct {
	Country struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"country"`
	RegisteredCountry struct {
		ISOCode string `maxminddb:"iso_code"`
	} `maxminddb:"registered_country"`
	CountryCode string `maxminddb:"country_code"`
	ASN         uint   `maxminddb:"autonomous_system_number"`
}

// Lookup returns what the databases know about ip. IPv4-mapped IPv6
// addresses are looked up as IPv4, zones are ignored, and an invalid
// address yields the zero IPInfo. A record that fails to decode counts as
// not found. The country is the located country, or the registered country
// when the database has no location (anycast, satellite).
func (d *IPDB) Lookup(ip netip.Addr) IPInfo {
	if !ip.IsValid() {
		return IPInfo{}
	}
	ip = ip.Unmap().WithZone("")
	if IsReserved(ip) {
		return IPInfo{Reserved: true}
	}
	var info IPInfo
	if d == nil {
		return info
	}
	for i, r := range d.readers {
		res := r.Lookup(ip)
		if !res.Found() {
			continue
		}
		rec, ok := d.decoded[i].decode(res)
		if !ok {
			continue
		}
		info.Found = true
		if info.Country == "" {
			info.Country = rec.country
		}
		if info.ASN == 0 {
			info.ASN = rec.asn
		}
	}
	return info
}

func (c *recordCache) decode(res maxminddb.Result) (decoded, bool) {
	off := res.Offset()
	c.mu.RLock()
	v, ok := c.m[off]
	c.mu.RUnlock()
	if ok {
		return v, true
	}
	var rec record
	if res.Decode(&rec) != nil {
		return decoded{}, false
	}
	v = decoded{
		country: firstCode(rec.Country.ISOCode, rec.RegisteredCountry.ISOCode, rec.CountryCode),
		asn:     rec.ASN,
	}
	c.mu.Lock()
	if len(c.m) < maxCachedRecords {
		c.m[off] = v
	}
	c.mu.Unlock()
	return v, true
}

func firstCode(codes ...string) string {
	for _, c := range codes {
		if c != "" {
			return strings.ToUpper(c)
		}
	}
	return ""
}
