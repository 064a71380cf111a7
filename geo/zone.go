package geo

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/msgfilter/msgfilter/internal/fnv1a"
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
// costs a libphonenumber parse (10–35 µs): hot paths use Zones.Lookup. The
// error is a *NumberError for a number that is not valid, or wraps
// ErrZoneMissing.
func ZoneOf(e164 string) (Zone, error) {
	r, err := ParseRecipient(e164)
	if err != nil {
		return Zone{}, err
	}
	num, err := parseE164(e164)
	if err != nil {
		return Zone{}, &NumberError{Field: "recipient", Value: e164, Reason: err.Error()}
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	names, _ := phonenumbers.GetTimezonesForNumber(num)
	names = knownZones(names)
	if len(names) == 0 {
		names = countryZones(region)
	}
	if len(names) == 0 {
		return Zone{}, fmt.Errorf("geo: no time zone for %s (region %q): %w", e164, region, ErrZoneMissing)
	}
	z := Zone{Country: r.Country}
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
	if region == "US" {
		if place, err := phonenumbers.GetGeocodingForNumber(num, "en"); err == nil {
			if st := usState(place); st != "" {
				z.Region = "US-" + st
			}
		}
	}
	return z, nil
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
// numbers (DefaultNumbersCapacity when zero), each key at most 32 bytes.
// Errors are cached too. The zero value is ready to use; a Zones is safe
// for concurrent use and must not be copied after first use.
type Zones struct {
	capacity int
	shards   [numberShards]shard[zoneResult]
}

type zoneResult struct {
	z   Zone
	err error
}

// NewZones returns a Zones that keeps up to capacity numbers; capacity <= 0
// means DefaultNumbersCapacity.
func NewZones(capacity int) *Zones { return &Zones{capacity: capacity} }

// Lookup returns ZoneOf(e164), from the cache when possible. The returned
// Zone shares its All slice with the cache: do not modify it.
func (c *Zones) Lookup(e164 string) (Zone, error) {
	if len(e164) > maxCachedLen {
		return ZoneOf(e164)
	}
	sh := &c.shards[fnv1a.String32(e164)%numberShards]
	if v, ok := sh.get(e164); ok {
		return v.z, v.err
	}
	z, err := ZoneOf(e164)
	per := c.capacity
	if per <= 0 {
		per = DefaultNumbersCapacity
	}
	sh.put(e164, zoneResult{z, err}, max(1, per/numberShards))
	return z, err
}

// Warm reads libphonenumber's time-zone data and its US geocoding data,
// which it otherwise loads on the first lookup that needs them (about 50 ms,
// several times that under load): a gateway calls it at start-up so that no
// check pays for it (filter.New does). It is safe for concurrent use and
// caches nothing in c.
func (c *Zones) Warm() {
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
