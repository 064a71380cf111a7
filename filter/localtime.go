package filter

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/rules"
)

// The recipient's clock (part of stage 9, enrich): which zones the recipient
// number may be in, the local time the facts show, and when each quiet-hours
// spec of the packs deciding the message lets it through.

// namedSpec is one quiet-hours spec of a pack's data.json.
type namedSpec struct {
	name string
	spec rules.QuietSpec
}

// quietSpecs returns a pack's specs sorted by name, for a deterministic walk.
func quietSpecs(specs map[string]rules.QuietSpec) []namedSpec {
	out := make([]namedSpec, 0, len(specs))
	for name, s := range specs {
		out = append(out, namedSpec{name, s})
	}
	slices.SortFunc(out, func(a, b namedSpec) int { return strings.Compare(a.name, b.name) })
	return out
}

// localTime fills the time facts and the recipient's zone and region. The
// zone comes from the recipient number (validate found it with the
// recipient: geo.Numbers.RecipientZone, cached per number); where the
// number spans several zones, the destination pack's time_zone when it is
// one of them, else the number's default zone (the country's own). The pack's
// time_zone stands in only when the number has no known zone, UTC when there
// is none either. Quiet hours are computed in every zone of the number and
// the latest end wins: the strictest reading.
func (c *check) localTime() {
	f := &c.facts
	packZone := c.p.pack(c.dest).zone
	zones, loc := []*time.Location(nil), packZone
	if z := &c.zone; len(z.All) > 0 {
		zones, loc = z.All, z.Default
		if len(z.All) > 1 && packZone != nil && slices.ContainsFunc(z.All, func(l *time.Location) bool { return l.String() == packZone.String() }) {
			loc = packZone
		}
		f.Recipient.Zone, f.Recipient.Region = z.Default.String(), z.Region
	}
	if loc == nil {
		loc = time.UTC
	}
	if zones == nil {
		zones = []*time.Location{loc}
	}
	if c.explain { // Explain's facts are the caller's: no shared map
		f.Time = c.clockFacts(zones, loc)
		return
	}
	f.Time, c.timeKey = c.e.clocks.facts(c, zones, loc)
}

// clockFacts are the time facts of the check's minute in loc, with the
// quiet-hours specs of the global, destination and channel packs that hold
// the message in any of zones.
func (c *check) clockFacts(zones []*time.Location, loc *time.Location) TimeFacts {
	t := timeFacts(c.now, loc)
	for _, pc := range [...]*packConfig{&c.p.global, c.p.pack(c.dest), c.p.channels[string(c.msg.Channel)]} {
		if pc == nil {
			continue
		}
		for _, s := range pc.quiet {
			if until, ok := quietUntil(s.spec, c.now, zones); ok {
				if t.QuietUntil == nil {
					t.QuietUntil = QuietUntil{}
				}
				t.QuietUntil[s.name] = until.Format(time.RFC3339)
			}
		}
	}
	return t
}

// quietUntil is the first instant the spec allows in every zone where now is
// quiet (the latest of their ends), and whether any zone is quiet.
func quietUntil(spec rules.QuietSpec, now time.Time, zones []*time.Location) (time.Time, bool) {
	var latest time.Time
	quiet := false
	for _, loc := range zones {
		if until, ok := spec.Until(now.In(loc)); ok && (!quiet || until.After(latest)) {
			latest, quiet = until, true
		}
	}
	return latest, quiet
}

// QuietUntil is, by quiet-hours spec name (data.json's quiet_hours of the
// global, destination and channel packs), the first instant the message is
// allowed (RFC 3339, in the recipient's offset) when it is quiet now; a spec
// that does not hold the message back is absent. Its JSON form is an object,
// {} when there are none.
type QuietUntil map[string]string

// MarshalJSON writes {} for none.
func (q QuietUntil) MarshalJSON() ([]byte, error) {
	if q == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(map[string]string(q))
}
