package state

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Errors callers branch on. Implementations wrap them with %w and add detail.
var (
	// ErrUnavailable means the store could not be reached or could not answer
	// (network failure, timeout, server loading or read-only). Nothing was
	// acknowledged: the caller retries RecordInbound, and for checks applies
	// its fail-open or fail-closed option.
	ErrUnavailable = errors.New("state: store unavailable")

	// ErrInvalid means an argument was rejected before touching the store.
	ErrInvalid = errors.New("state: invalid argument")

	// ErrFull means a bounded store refused to record an opt-out because it
	// holds as many as it may. Opt-outs are never evicted, so the store says
	// so instead of silently forgetting one; the caller retries or alerts.
	ErrFull = errors.New("state: store full")
)

// MaxFieldLen bounds every string of a Key and a fingerprint, in bytes, so
// one caller cannot make a store hold arbitrarily large keys.
const MaxFieldLen = 256

// Key names one conversation: a recipient talking to one sender of one tenant
// on one channel. Opt-outs ignore Channel (a STOP on SMS also stops Viber from
// the same sender); conversation windows and session counters use all four.
// Sender and Recipient are required; Tenant and Channel may be empty.
type Key struct {
	Tenant, Sender, Recipient, Channel string
}

// Validate reports whether k can be stored.
func (k Key) Validate() error {
	switch {
	case k.Sender == "":
		return fmt.Errorf("%w: empty sender", ErrInvalid)
	case k.Recipient == "":
		return fmt.Errorf("%w: empty recipient", ErrInvalid)
	case len(k.Tenant) > MaxFieldLen, len(k.Sender) > MaxFieldLen,
		len(k.Recipient) > MaxFieldLen, len(k.Channel) > MaxFieldLen:
		return fmt.Errorf("%w: key field longer than %d bytes", ErrInvalid, MaxFieldLen)
	}
	return nil
}

// Inbound is a message the recipient sent to the sender. Keyword detection
// (STOP, START, local equivalents) is the caller's job; the store records the
// outcome.
type Inbound struct {
	Key Key
	// At is when the recipient sent the message. It is also the store's
	// notion of "now" for this call.
	At time.Time
	// OptOut and OptIn record an unsubscribe or a resubscribe; at most one
	// may be set.
	OptOut, OptIn bool
}

// Validate reports whether in can be recorded.
func (in Inbound) Validate() error {
	if err := in.Key.Validate(); err != nil {
		return err
	}
	if in.At.IsZero() {
		return fmt.Errorf("%w: zero inbound time", ErrInvalid)
	}
	if in.OptOut && in.OptIn {
		return fmt.Errorf("%w: inbound both opts out and opts in", ErrInvalid)
	}
	return nil
}

// Snapshot is what a check reads about one conversation. The zero value means
// "nothing known": no inbound message within the retention, not opted out.
type Snapshot struct {
	// LastInbound is the newest inbound message time; meaningful only when
	// HasInbound is set. It is in UTC with millisecond precision.
	LastInbound time.Time
	// HasInbound reports whether the recipient wrote within the store's
	// retention before now.
	HasInbound bool
	// OptedOut reports whether the recipient's newest opt-out or opt-in for
	// this tenant and sender (any channel) was an opt-out.
	OptedOut bool
	// SessionCount is the number of messages Consume counted against the
	// session opened by LastInbound (0 without one).
	SessionCount int
}

// Limits are the caps Consume enforces. A zero count disables its limit; a
// count above zero needs a positive window.
type Limits struct {
	// Session caps the messages per session, a session being the
	// SessionWindow after the recipient's last inbound message (Viber: 60 in
	// 24 h). Outside a session nothing is counted and the cap does not apply:
	// whether a message may go out at all without one is the policy's call.
	Session       int
	SessionWindow time.Duration

	// Rate caps the messages per (Tenant, Sender) in fixed windows of
	// RateWindow aligned to the Unix epoch, so every node agrees on the
	// window boundaries. A burst of up to 2×Rate can straddle a boundary.
	Rate       int
	RateWindow time.Duration

	// Flood caps the distinct recipients of one template fingerprint per
	// (Tenant, Sender) within FloodWindow: a recipient counts while its last
	// message with that fingerprint is younger than FloodWindow. Resending
	// to a recipient already counted is not a flood. An empty fingerprint
	// skips the check.
	Flood       int
	FloodWindow time.Duration

	// DenyOptedOut makes Consume refuse, and count nothing for, a recipient
	// who opted out. Leave it false when the policy decides (for example
	// when one-time passwords may still be sent).
	DenyOptedOut bool
}

// Validate reports whether l is usable.
func (l Limits) Validate() error {
	check := func(name string, n int, w time.Duration) error {
		if n < 0 {
			return fmt.Errorf("%w: negative %s limit", ErrInvalid, name)
		}
		if n > 0 && w < time.Millisecond {
			return fmt.Errorf("%w: %s limit needs a window of at least 1ms", ErrInvalid, name)
		}
		return nil
	}
	return errors.Join(
		check("session", l.Session, l.SessionWindow),
		check("rate", l.Rate, l.RateWindow),
		check("flood", l.Flood, l.FloodWindow),
	)
}

// Limit names the limits a message would exceed, as a bit set.
type Limit uint8

// The limits, one bit each. Their reason codes are SESSION_LIMIT,
// RATE_LIMIT and DUPLICATE_FLOOD.
const (
	LimitSession Limit = 1 << iota
	LimitRate
	LimitFlood
)

var limitNames = [...]string{"session", "rate", "flood"}

// String returns the set limits joined by "|", or "none".
func (l Limit) String() string {
	if l == 0 {
		return "none"
	}
	var parts []string
	for i, name := range limitNames {
		if l&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if rest := l &^ (1<<len(limitNames) - 1); rest != 0 {
		parts = append(parts, fmt.Sprintf("0x%x", uint8(rest)))
	}
	return strings.Join(parts, "|")
}

// Outcome is the result of Consume.
type Outcome struct {
	// Snapshot is the conversation as it was before this message, so one
	// Consume call can replace a Snapshot call (one round trip).
	Snapshot Snapshot
	// Allowed reports whether the message was counted. It is false when a
	// limit is exceeded or when Limits.DenyOptedOut meets an opted-out
	// recipient (Exceeded is then zero).
	Allowed bool
	// Exceeded holds every limit the message would exceed.
	Exceeded Limit
	// SessionCount, RateCount and FloodCount are the counters after this
	// call: including the message when Allowed, unchanged otherwise.
	// Counters of disabled limits are zero.
	SessionCount, RateCount, FloodCount int
	// RateReset is when the current rate window ends (zero without a rate
	// limit): the earliest time a rate-limited message may be retried.
	RateReset time.Time
}

// Store keeps conversation state for checks. Each method is one atomic step
// (one round trip for a networked store). Implementations are safe for
// concurrent use, take all time from their arguments, and return errors
// wrapping ErrInvalid, ErrUnavailable or ErrFull where those apply.
type Store interface {
	// RecordInbound records a message from the recipient. A newer At opens
	// a new session (LastInbound = At, session counter reset); an older or
	// equal At leaves the window alone, so retries and late deliveries are
	// harmless. OptOut and OptIn apply when At is not older than the last
	// opt change for (Tenant, Sender, Recipient). When it returns nil the
	// change is as durable as the store can make it.
	RecordInbound(ctx context.Context, in Inbound) error

	// Snapshot reads the conversation k as of now without changing it.
	// When optOutSender is not empty, the snapshot's OptedOut is the opt
	// state recorded under (k.Tenant, optOutSender, k.Recipient) instead
	// of k's: an opt-out kept under one sender for several (a brand's),
	// read in the same call, so a check costs one round trip. An
	// optOutSender longer than MaxFieldLen is an error wrapping ErrInvalid.
	Snapshot(ctx context.Context, k Key, optOutSender string, now time.Time) (Snapshot, error)

	// Consume checks l for one outgoing message and, only when nothing is
	// exceeded, counts it against every enabled limit, atomically: two
	// callers never both pass the last allowed message.
	Consume(ctx context.Context, k Key, l Limits, fingerprint string, now time.Time) (Outcome, error)
}

// ValidateConsume checks the arguments of Store.Consume.
func ValidateConsume(k Key, l Limits, fingerprint string, now time.Time) error {
	if err := k.Validate(); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	if len(fingerprint) > MaxFieldLen {
		return fmt.Errorf("%w: fingerprint longer than %d bytes", ErrInvalid, MaxFieldLen)
	}
	if now.IsZero() {
		return fmt.Errorf("%w: zero time", ErrInvalid)
	}
	return nil
}
