package geo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// ErrZoneMissing is wrapped by the errors of ZoneOf and Zones.Lookup when
// libphonenumber names an IANA zone that the host's time-zone database
// does not have. The library does not embed time/tzdata (a gateway's
// binary should not carry it unasked): install the system tzdata package,
// or import _ "time/tzdata" in the main package.
var ErrZoneMissing = errors.New("geo: time zone not available")

// Zone is where a recipient number's clock is.
//
// All lists every IANA zone libphonenumber gives for the number, sorted by
// name and without duplicates: one for most numbers, several where a number
// range spans zones (Russian and Kazakh mobiles, a US toll-free number, a
// UK mobile that may be in Guernsey). When libphonenumber knows no zone for
// the number, All holds the zones of the country's example fixed-line
// number, so that every country gets its own clock and never UTC by
// default. Default is All's only zone, or with several the zone of the
// country's example fixed-line number when it is one of them (New York for
// +1, London for +44), else All[0]. Quiet-hours rules pick the strictest of
// All themselves; Default is for everything else.
//
// Region is the ISO 3166-2 subdivision where libphonenumber's geocoding
// data names one: only US states for now ("US-FL"), "" otherwise. It is a
// best guess: numbers are ported, and mobiles travel.
type Zone struct {
	Country string
	Region  string
	Default *time.Location
	All     []*time.Location
}

// Names returns the IANA names of z.All, in order.
func (z Zone) Names() []string {
	names := make([]string, len(z.All))
	for i, l := range z.All {
		names[i] = l.String()
	}
	return names
}

// ZoneOf returns the zone of a valid E.164 recipient ("+" and digits). It
// costs the numbering plan's patterns (about a microsecond): hot paths use
// Zones.Lookup. The error is a *NumberError for a number that is not
// valid, or wraps ErrZoneMissing.
func ZoneOf(e164 string) (Zone, error) {
	id, err := zoneID(e164)
	if err != nil {
		return Zone{}, err
	}
	return zones.get(id), nil
}

// zoneID returns the interned zone of a recipient.
func zoneID(e164 string) (uint32, error) {
	if reason := recipientShape(e164); reason != "" {
		return 0, &NumberError{Field: "recipient", Value: e164, Reason: reason}
	}
	cc, national, region, t := classifyDigits(e164[1:])
	if cc == 0 || t == phonenumbers.UNKNOWN || region == "" {
		return 0, &NumberError{Field: "recipient", Value: e164, Reason: invalidInPlans}
	}
	return classifiedZoneID(e164, national, region)
}

// classifiedZoneID returns the interned zone of a valid recipient that
// classifyDigits gave national and region.
func classifiedZoneID(e164, national, region string) (uint32, error) {
	// The library's GetTimezonesForNumber formats the number back to
	// this string first.
	names, _ := phonenumbers.GetTimezonesForPrefix(e164)
	state := ""
	if region == "US" {
		state = usStateOf(national)
	}
	// A zone is what these three give; most recipients share one.
	var buf [512]byte // a US toll-free number lists every US zone
	key := append(append(append(buf[:0], region...), '/'), state...)
	for _, n := range names {
		key = append(append(key, ' '), n...)
	}
	if id, ok := zones.lookup(key); ok {
		return id, nil
	}
	z, err := buildZone(e164, region, state, names)
	if err != nil {
		return 0, err
	}
	return zones.add(key, z), nil
}

// buildZone is the zone of a number of region, in US state (or ""),
// that libphonenumber gives the zones names.
func buildZone(e164, region, state string, names []string) (Zone, error) {
	names = knownZones(names)
	if len(names) == 0 {
		names = countryZones(region)
	}
	if len(names) == 0 {
		return Zone{}, fmt.Errorf("geo: no time zone for %s (region %q): %w", e164, region, ErrZoneMissing)
	}
	z := Zone{Country: isoRegion(region)}
	for _, n := range names {
		loc, err := loadZone(n)
		if err != nil {
			return Zone{}, err
		}
		z.All = append(z.All, loc)
	}
	z.Default = z.All[0]
	if len(names) > 1 {
		for _, p := range countryZones(region) {
			if i := slices.Index(names, p); i >= 0 {
				z.Default = z.All[i]
				break
			}
		}
	}
	if state != "" {
		z.Region = "US-" + state
	}
	return z, nil
}

// usStateOf returns the USPS code of the state libphonenumber's English
// geocoding places a US number (its national digits) in, "" when it names
// none. The library loads the geocoding of every country for it, 14 MB of
// pointers for the garbage collector to trace on every cycle; usStateRuns
// is the part that names states, generated from it and checked against it
// for every area code and exchange (TestUSStateTable).
func usStateOf(national string) string {
	if len(national) < 6 {
		return ""
	}
	x := uint32(0)
	for i := range 6 {
		x = x*10 + uint32(national[i]-'0')
	}
	i, found := slices.BinarySearch(usStateRuns[:], x<<usStateBits|(1<<usStateBits-1))
	if found || i == 0 { // found is impossible: no state has the last index
		return ""
	}
	s := int(usStateRuns[i-1] & (1<<usStateBits - 1))
	if s == 0 {
		return ""
	}
	return usStateList[2*s-2 : 2*s]
}

// usStateBits is the width of a state index in usStateRuns.
const usStateBits = 8

// zoneTable interns the zones ZoneOf returns, so that a cache of
// recipients holds a small integer for each and no pointers. It only
// grows, bounded by libphonenumber's data: a zone is a region, a US state
// and a list of zones of the time-zone data.
//
// get, on every check's enrich, reads all through an atomic pointer and
// writes no shared memory: an RWMutex's read lock wrote its reader count,
// a cache line two cores passed back and forth. add, on a first-seen zone,
// publishes a longer copy under mu.
type zoneTable struct {
	mu  sync.RWMutex
	ids map[string]uint32
	all atomic.Pointer[[]Zone]
}

var zones zoneTable

func (t *zoneTable) lookup(key []byte) (uint32, bool) {
	t.mu.RLock()
	id, ok := t.ids[string(key)] // no allocation: the compiler converts in place for a lookup
	t.mu.RUnlock()
	return id, ok
}

func (t *zoneTable) add(key []byte, z Zone) uint32 {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id, ok := t.ids[string(key)]; ok {
		return id
	}
	if t.ids == nil {
		t.ids = map[string]uint32{}
	}
	var all []Zone
	if p := t.all.Load(); p != nil {
		all = *p
	}
	id := uint32(len(all))
	all = append(all[:len(all):len(all)], z) // a copy: readers hold the old slice
	t.all.Store(&all)
	t.ids[string(key)] = id
	return id
}

// get returns the zone of id, which add returned.
func (t *zoneTable) get(id uint32) Zone {
	return (*t.all.Load())[id]
}

// knownZones drops libphonenumber's "Etc/Unknown" and sorts and dedups the
// rest.
func knownZones(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" && n != phonenumbers.UNKNOWN_TIMEZONE {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// countryZones returns the zones of a region's example fixed-line number
// (its capital's area in most numbering plans), nil when it has none.
func countryZones(region string) []string {
	ex := phonenumbers.GetExampleNumberForType(region, phonenumbers.FIXED_LINE)
	if ex == nil {
		ex = phonenumbers.GetExampleNumber(region)
	}
	if ex == nil {
		return nil
	}
	names, _ := phonenumbers.GetTimezonesForNumber(ex)
	return knownZones(names)
}

var locations sync.Map // IANA name → *time.Location

// loadZone is time.LoadLocation, cached (LoadLocation reads the zone file
// on every call), with ErrZoneMissing when the host lacks the zone.
func loadZone(name string) (*time.Location, error) {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location), nil
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("geo: time zone %q (install tzdata, or import _ \"time/tzdata\" in your main package): %w: %w", name, ErrZoneMissing, err)
	}
	locations.Store(name, l)
	return l, nil
}

// Zones caches ZoneOf per recipient, bounded like Numbers: at most capacity
// numbers (DefaultNumbersCapacity when zero). Only well-formed numbers ("+"
// and 7–15 digits) are cached, with their zone or their *NumberError; other
// errors (a zone missing from the host) are not. Like Numbers, it holds
// each number as two integers, which the garbage collector does not trace,
// and a hit does not allocate. The zero value is ready to use; a Zones is
// safe for concurrent use and must not be copied after first use.
type Zones struct {
	capacity int
	shards   [numberShards]codeShard
}

// noZone is the cached code of a number that is not valid; other codes are
// a zone's id in the zone table.
const noZone = ^uint32(0)

// NewZones returns a Zones that keeps up to capacity numbers; capacity <= 0
// means DefaultNumbersCapacity.
func NewZones(capacity int) *Zones { return &Zones{capacity: capacity} }

// Lookup returns ZoneOf(e164), from the cache when possible. The returned
// Zone shares its All slice with every lookup of the same zone: do not
// modify it.
func (c *Zones) Lookup(e164 string) (Zone, error) {
	k, ok := recipientKey(e164)
	if !ok {
		return ZoneOf(e164)
	}
	sh := &c.shards[keyShard(k)]
	id, ok := sh.get(k)
	if !ok {
		var err error
		id, err = zoneID(e164)
		var ne *NumberError
		switch {
		case errors.As(err, &ne):
			id = noZone
		case err != nil:
			return Zone{}, err
		}
		per := c.capacity
		if per <= 0 {
			per = DefaultNumbersCapacity
		}
		sh.put(k, id, max(1, per/numberShards))
	}
	if id == noZone {
		return Zone{}, &NumberError{Field: "recipient", Value: e164, Reason: invalidInPlans}
	}
	return zones.get(id), nil
}

// Warm reads libphonenumber's time-zone data and compiles the US numbering
// plan, which would otherwise be done on the first lookup that needs them
// (tens of milliseconds under load): a gateway calls it at start-up so that
// no check pays for it (filter.New does). It is safe for concurrent use and
// caches nothing in c.
func (c *Zones) Warm() { warmZones() }

// Warm is Zones.Warm, for RecipientZone: it caches nothing in n.
func (n *Numbers) Warm() { warmZones() }

func warmZones() {
	if ex := phonenumbers.GetExampleNumber("US"); ex != nil {
		_, _ = ZoneOf(phonenumbers.Format(ex, phonenumbers.E164))
	}
}

// usState returns the USPS code of the state libphonenumber's English
// geocoding names: "San Francisco, CA" → "CA", "Florida" → "FL",
// "Washington State" → "WA"; "" for "United States" and anything else.
func usState(place string) string {
	if i := strings.LastIndex(place, ", "); i >= 0 {
		code := place[i+2:]
		if _, ok := usStateCodes[code]; ok {
			return code
		}
		return ""
	}
	return usStateNames[place]
}

// usStateNames maps the state names in libphonenumber's US geocoding data
// to USPS codes.
var usStateNames = map[string]string{
	"Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
	"Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
	"Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
	"Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
	"Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS", "Missouri": "MO",
	"Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH", "New Jersey": "NJ",
	"New Mexico": "NM", "New York": "NY", "North Carolina": "NC", "North Dakota": "ND", "Ohio": "OH",
	"Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA", "Rhode Island": "RI", "South Carolina": "SC",
	"South Dakota": "SD", "Tennessee": "TN", "Texas": "TX", "Utah": "UT", "Vermont": "VT",
	"Virginia": "VA", "Washington": "WA", "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI",
	"Wyoming": "WY", "Washington D.C.": "DC", "District of Columbia": "DC",
}

var usStateCodes = func() map[string]struct{} {
	m := make(map[string]struct{}, len(usStateNames))
	for _, c := range usStateNames {
		m[c] = struct{}{}
	}
	return m
}()
