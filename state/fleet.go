package state

import (
	"context"
	"fmt"
	"time"
)

// Fleet is what a fleet's traffic as a whole has seen, across tenants,
// senders and recipients: when each link domain first appeared and which
// campaigns were reported. A campaign is named by the band keys of its
// near-duplicate fingerprint (internal/campaign): a message belongs to the
// campaigns of all its bands. How many recipients each campaign reached is
// Campaigns' (campaign.go).
//
// A Store may implement Fleet (Memory and redisstore.Store do); an engine
// whose store does not has no first-seen or reported-campaign facts. Like
// Store, each method is one atomic step, is safe for concurrent use and
// takes all time from its arguments.
type Fleet interface {
	// Observe reads, in one step, when each of domains was first seen
	// (firstSeen[i] for domains[i]; len(firstSeen) must be len(domains)),
	// recording now for a domain never seen, and whether any of bands is
	// marked reported. Observation.Since is when the store began recording
	// domains: a domain first recorded soon after it was in the traffic
	// before, of an age nobody knows.
	Observe(ctx context.Context, domains []string, bands []uint64, now time.Time, firstSeen []time.Time) (Observation, error)

	// MarkReported marks bands as reported (until ReportTTL after now), or
	// clears their marks when reported is false.
	MarkReported(ctx context.Context, bands []uint64, reported bool, now time.Time) error
}

// Observation is what Observe read besides the first-seen times.
type Observation struct {
	// Since is when the store recorded its first domain (now, on the first
	// call), in UTC with millisecond precision.
	Since time.Time
	// Reported is set when any band is marked reported.
	Reported bool
}

// CampaignOutcome is the result of Campaigns.CountCampaign.
type CampaignOutcome struct {
	// Allowed reports whether the recipient was counted.
	Allowed bool
	// Count is the campaign's recipients after this call (up to limit
	// when refused).
	Count int
}

// Retention of fleet records.
const (
	// FirstSeenTTL is how long a store keeps a domain's first sighting
	// after it was last seen: a domain absent that long is new again.
	FirstSeenTTL = 400 * 24 * time.Hour
	// ReportTTL is how long a reported mark lasts.
	ReportTTL = 30 * 24 * time.Hour
	// MaxFleetItems bounds the domains and bands of one call.
	MaxFleetItems = 4096
)

var (
	errFirstSeenLen  = fmt.Errorf("%w: firstSeen and domains differ in length", ErrInvalid)
	errCampaignLimit = fmt.Errorf("%w: a campaign limit needs a positive window of at least 1ms", ErrInvalid)
)

// ValidateCampaign checks the limit and window of Campaigns.CountCampaign.
func ValidateCampaign(limit int, window time.Duration) error {
	if limit < 0 || limit > 0 && window < time.Millisecond {
		return errCampaignLimit
	}
	return nil
}

// ValidateFleet checks the domains, bands, recipient and time of a Fleet
// call.
func ValidateFleet(domains []string, bands []uint64, recipient string, now time.Time) error {
	switch {
	case len(domains) > MaxFleetItems || len(bands) > MaxFleetItems:
		return fmt.Errorf("%w: more than %d domains or bands", ErrInvalid, MaxFleetItems)
	case len(recipient) > MaxFieldLen:
		return fmt.Errorf("%w: recipient longer than %d bytes", ErrInvalid, MaxFieldLen)
	case now.IsZero():
		return fmt.Errorf("%w: zero time", ErrInvalid)
	}
	for _, d := range domains {
		if d == "" || len(d) > MaxFieldLen {
			return fmt.Errorf("%w: domain empty or longer than %d bytes", ErrInvalid, MaxFieldLen)
		}
	}
	return nil
}
