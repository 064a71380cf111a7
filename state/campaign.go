package state

import (
	"context"
	"fmt"
	"time"
)

// Campaigns confirms near-duplicates before they are counted together, and
// counts each campaign's recipients. Band keys only name candidates: two
// messages of one campaign share a band with high probability, but a
// message that shares none with some of the campaign's earlier messages
// would see fewer of its recipients (LSH recall), and the loosest bands
// that fix that let different templates meet. So each campaign keeps a
// representative: the signature (MinHash values, internal/campaign) and
// bands of its first message. Resolve finds the representatives under a
// message's bands, keeps those whose signature shares enough values with
// the message's, and answers their bands; CountCampaign resolves the same
// way and counts the recipient with the representative itself.
//
// A campaign's recipients are one set kept with its representative. They
// used to be kept per band (eight sets a message, each written on every
// count, all under one lock in Memory): counting under the representative
// is one set a campaign, so a check writes one set, and two campaigns
// share no lock or cache line. It also no longer carries one template's
// recipients over to another that later takes a lapsed band.
//
// A Store may implement Campaigns (Memory and redisstore.Store do); an
// engine whose store does not has no campaign-flood facts. Each method is
// one atomic step, is safe for concurrent use and takes all time from its
// arguments.
type Campaigns interface {
	// Resolve returns the bands a message is counted under: the bands of
	// each representative (at most MaxRepresentatives) held under one of
	// bands whose signature has at least minSame values equal, position by
	// position, to sig (over the shorter of the two signatures). When none
	// has, the message becomes the representative of those of its bands no
	// representative holds, and Resolve returns them (bands itself when
	// all are held).
	//
	// A representative is held under each of its bands separately: a band
	// is kept until RepresentativeTTL after the last Resolve (or
	// CountCampaign) that named it and confirmed the representative (or
	// made it), and then lapses on its own, while the representative
	// answers its full bands under those still held. Refreshing only the
	// bands a message names keeps Resolve one step over its own keys in a
	// shared store. A store may round an expiry up by at most a second, so
	// that a campaign's checks do not all write it.
	//
	// The result may share memory with the store: callers must not modify
	// it.
	Resolve(ctx context.Context, bands, sig []uint64, minSame int, now time.Time) ([]uint64, error)

	// CountCampaign resolves a message's campaign as Resolve does (with
	// the same refreshes, or the same new representative), then counts
	// recipient in it, as Consume counts a flood: the campaign's
	// recipients are the distinct recipients counted with its
	// representative whose last message is younger than window. With
	// several representatives confirmed (two gateways started the campaign
	// at once) they are the recipients of all of them, and the recipient
	// is counted with each. A message that no representative confirms and
	// none of whose bands is free counts with the representatives holding
	// its bands (the first 2×MaxRepresentatives of them), as a message
	// counted under those bands would.
	//
	// When a new recipient would make the recipients more than limit,
	// nothing is counted and the outcome is not Allowed. A zero limit
	// counts nothing, resolves nothing and allows. A campaign's recipients
	// live as long as its representative: a campaign silent for
	// RepresentativeTTL starts again, whatever the window.
	CountCampaign(ctx context.Context, bands, sig []uint64, minSame int, recipient string, limit int, window time.Duration, now time.Time) (CampaignOutcome, error)
}

const (
	// RepresentativeTTL is how long a campaign's representative is kept
	// under a band after a message with that band last matched it.
	RepresentativeTTL = 24 * time.Hour
	// MaxRepresentatives bounds the representatives one Resolve answers
	// for (two gateways may start a campaign at once, each with its own).
	MaxRepresentatives = 4
	// MaxSignature bounds the length of a signature.
	MaxSignature = 64
)

// ValidateResolve checks the arguments of Campaigns.Resolve.
func ValidateResolve(bands, sig []uint64, minSame int, now time.Time) error {
	if err := ValidateFleet(nil, bands, "", now); err != nil {
		return err
	}
	if len(sig) == 0 || len(sig) > MaxSignature || minSame < 1 || minSame > len(sig) {
		return fmt.Errorf("%w: signature of %d values with %d to share", ErrInvalid, len(sig), minSame)
	}
	return nil
}

// shares reports whether a and b hold the same value in at least n
// positions. It stops at the n-th: a near-duplicate of a template often
// shares all its values, and CountCampaign confirms one per check.
func shares(a, b []uint64, n int) bool {
	if n <= 0 {
		return true
	}
	for i := range min(len(a), len(b)) {
		if a[i] == b[i] {
			if n--; n == 0 {
				return true
			}
		}
	}
	return false
}
