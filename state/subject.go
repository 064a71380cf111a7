package state

import (
	"context"
	"fmt"
	"time"
)

// Subjects counts the messages of one campaign sent to one recipient: how
// many messages on the same subject a recipient got in a window (Florida's,
// Oklahoma's and Maryland's three in 24 hours). A campaign is named by the
// band keys of its near-duplicate fingerprint (internal/campaign), as in
// Fleet: a send is recorded under each band, and a read answers for the
// band that holds the most sends, so one changed word does not make another
// subject.
//
// A Store may implement Subjects (Memory and redisstore.Store do); an engine
// whose store does not has no same-subject fact. Each method is one atomic
// step, is safe for concurrent use and takes all time from its arguments.
type Subjects interface {
	// RecentSubject reads the sends recorded for recipient under any of
	// bands within window before now: the largest count of one band, and
	// when that count first drops (its oldest send leaves the window; the
	// latest such time when several bands hold the largest count). A zero
	// SubjectCount when nothing was recorded.
	RecentSubject(ctx context.Context, bands []uint64, recipient string, window time.Duration, now time.Time) (SubjectCount, error)

	// RecordSubject records one send to recipient at now under each of
	// bands, kept for window. A band keeps at most MaxSubjectSends sends,
	// dropping its oldest: counts saturate there, and the reopening time
	// can only move later.
	RecordSubject(ctx context.Context, bands []uint64, recipient string, window time.Duration, now time.Time) error
}

// SubjectCount is the result of RecentSubject.
type SubjectCount struct {
	// Count is the largest number of sends within the window under one band.
	Count int
	// Reopens is when Count first drops, in UTC with millisecond precision;
	// zero when Count is 0.
	Reopens time.Time
}

// MaxSubjectSends bounds the sends a store keeps per band and recipient.
const MaxSubjectSends = 64

// ValidateSubject checks the arguments of a Subjects call.
func ValidateSubject(bands []uint64, recipient string, window time.Duration, now time.Time) error {
	if err := ValidateFleet(nil, bands, recipient, now); err != nil {
		return err
	}
	if window < time.Millisecond {
		return fmt.Errorf("%w: a subject window must be at least 1ms", ErrInvalid)
	}
	return nil
}
