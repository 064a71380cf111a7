package state

import (
	"context"
	"fmt"
	"time"
)

// Campaigns confirms near-duplicates before they are counted together. Band
// keys only name candidates: two messages of one campaign share a band with
// high probability, but a message that shares none with some of the
// campaign's earlier messages would see fewer of its recipients (LSH
// recall), and the loosest bands that fix that let different templates
// meet. So each campaign keeps a representative: the signature (MinHash
// values, internal/campaign) and bands of its first message. Resolve finds
// the representatives under a message's bands, keeps those whose signature
// shares enough values with the message's, and answers their bands: every
// message of the campaign is then counted (Fleet.CountCampaign) under the
// same bands, whatever bands it has of its own.
//
// A Store may implement Campaigns (Memory and redisstore.Store do); an
// engine whose store does not counts a message under its own bands. Each
// method is one atomic step, is safe for concurrent use and takes all time
// from its arguments.
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
	// is kept until RepresentativeTTL after the last Resolve that named it
	// and confirmed the representative (or made it), and then lapses on its
	// own, while the representative answers its full bands under those
	// still held. Refreshing only the bands a message names keeps Resolve
	// one step over its own keys in a shared store.
	//
	// The result may share memory with the store: callers must not modify
	// it.
	Resolve(ctx context.Context, bands, sig []uint64, minSame int, now time.Time) ([]uint64, error)
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

// sameValues counts the positions where a and b hold the same value.
func sameValues(a, b []uint64) int {
	n := 0
	for i := range min(len(a), len(b)) {
		if a[i] == b[i] {
			n++
		}
	}
	return n
}
