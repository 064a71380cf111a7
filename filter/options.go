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
	policies       fs.FS
	clock          func() time.Time
	failMode       FailMode
	maxBodyBytes   int
	geoIPPaths     []string
	phishingFeed   string
	shortenerFiles []string
	tenants        map[string]*tenant
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

// WithGeoIP opens MaxMind-format databases (GeoIP2/GeoLite2 Country or
// City, GeoLite2-ASN, ip-location-db, or one built by "msgfilter geoip
// build") to find the source IP's country and network. A missing or corrupt
// file makes New fail. Without a database the source country is unknown:
// source.found is false and country rules on it never fire.
func WithGeoIP(paths ...string) Option {
	return func(o *options) { o.geoIPPaths = append(o.geoIPPaths, paths...) }
}

// WithPhishingFeed loads a phishing feed (one domain or URL per line, '#'
// comments): links on it are PHISHING_DOMAIN. A missing file makes New fail.
func WithPhishingFeed(path string) Option {
	return func(o *options) { o.phishingFeed = path }
}

// WithShortenerList adds the URL shortener domains of a file (one per line)
// to the built-in list and the global pack's shorteners.txt.
func WithShortenerList(path string) Option {
	return func(o *options) { o.shortenerFiles = append(o.shortenerFiles, path) }
}

// WithTenant configures the tenant of that name; see Tenant.
func WithTenant(name string, t Tenant) Option {
	return func(o *options) {
		if o.tenants == nil {
			o.tenants = map[string]*tenant{}
		}
		o.tenants[name] = t.compile()
	}
}
