package filter

import (
	"io/fs"
	"time"
)

// FailMode says what Check's Decision is when the engine cannot decide (a
// policy evaluation error, a cancelled context). Check returns the error in
// both modes; the Decision carries the ENGINE_ERROR reason.
type FailMode int

const (
	// FailClosed blocks the message: nothing goes out undecided. The default.
	FailClosed FailMode = iota
	// FailOpen allows the message: delivery matters more than filtering.
	FailOpen
)

// DefaultMaxBodyBytes is the default cap on a message body.
const DefaultMaxBodyBytes = 64 << 10

// Option configures an Engine.
type Option func(*options)

type options struct {
	policies     fs.FS
	clock        func() time.Time
	failMode     FailMode
	maxBodyBytes int
}

func defaultOptions() options {
	return options{
		clock:        time.Now,
		failMode:     FailClosed,
		maxBodyBytes: DefaultMaxBodyBytes,
	}
}

// WithPolicies loads the policy packs from fsys instead of the embedded
// defaults (package policies). fsys holds global/, countries/<cc>/ and
// channels/<name>/ at its top level; see package rules.
func WithPolicies(fsys fs.FS) Option {
	return func(o *options) { o.policies = fsys }
}

// WithClock sets the clock used for messages without a Time. Tests inject a
// fixed clock so decisions never depend on the wall clock.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.clock = now }
}

// WithFailMode sets what happens when the engine cannot decide.
func WithFailMode(m FailMode) Option {
	return func(o *options) { o.failMode = m }
}

// WithMaxBodyBytes caps message bodies; a longer body is a validation error.
// n <= 0 keeps the default (DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int) Option {
	return func(o *options) {
		if n > 0 {
			o.maxBodyBytes = n
		}
	}
}
