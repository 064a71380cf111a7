package filter

import (
	"io"
	"io/fs"
	"log/slog"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/msgfilter/msgfilter/state"
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
	store          state.Store // nil: a bounded state.Memory (see WithStore)
	storeSet       bool

	exactCacheBytes, factCacheBytes int

	life lifecycleOptions // reloads and observability (observe.go)
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

// WithStore keeps conversation state (opt-outs, windows, session, rate and
// flood counters) in s, which Inbound writes and Check reads and counts.
// The default is a bounded state.Memory for one node; a fleet of gateway
// nodes shares a state/redisstore Store so that every node sees the same
// opt-outs and counters. WithStore(nil) turns state off: no OPTED_OUT,
// SESSION_LIMIT, RATE_LIMIT or DUPLICATE_FLOOD, windows only from
// Message.LastInboundAt, and Inbound fails with ErrNoStore.
func WithStore(s state.Store) Option {
	return func(o *options) { o.store, o.storeSet = s, true }
}

// WithBundleVerification makes ReloadBundle and PollBundle accept only
// bundles signed with one of the keys of vc (OPA's bundle verification
// config); an unsigned or tampered bundle is refused and the running
// revision stays.
func WithBundleVerification(vc *bundle.VerificationConfig) Option {
	return func(o *options) { o.life.verification = vc }
}

// WithReloadTests sets whether Reload runs the packs' Rego tests and refuses
// a revision whose tests fail (the default: true). New never runs them.
func WithReloadTests(run bool) Option {
	return func(o *options) { o.life.skipTests = !run }
}

// WithReloadDebounce sets how long Watch waits after the last change to a
// policy file before reloading, so that an editor's or a deploy's burst of
// writes makes one reload. d <= 0 keeps the default (DefaultDebounce).
func WithReloadDebounce(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.life.debounce = d
		}
	}
}

// WithCheckBudget sets the deadline of a check whose context has none
// (default DefaultCheckBudget); d < 0 leaves such checks without one. A
// check past its deadline returns the context's error and a Decision that
// follows the fail mode with the reason ENGINE_TIMEOUT.
func WithCheckBudget(d time.Duration) Option {
	return func(o *options) { o.life.budget = d }
}

// WithReloadHook calls hook after every Reload, ReloadBundle, Rollback and
// watched or polled reload, successful or not, from the reloading
// goroutine. A panicking hook is ignored.
func WithReloadHook(hook func(ReloadEvent)) Option {
	return func(o *options) { o.life.hook = hook }
}

// WithLogger logs reloads (info), refused reloads (error) and checks that
// could not decide (warn) to l. Without it the Engine logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.life.logger = l }
}

// WithMetrics registers the Engine's Prometheus metrics with r (names under
// msgfilter_: checks_total{action,country}, check_duration_seconds,
// cache_hits_total, check_errors_total{kind}, reloads_total{result},
// policy_revision{revision}, policy_loaded_timestamp_seconds). New fails if
// they are already registered there.
func WithMetrics(r prometheus.Registerer) Option {
	return func(o *options) { o.life.registerer = r }
}

// WithDecisionLog writes one JSON line per Check and Explain to w: the time,
// the message's id, channel, kind, country, tenant, sender and recipient,
// the decision, the latency and any error. The body is never written, and
// phone numbers and OTP-like codes are masked (see MaskText) unless masked
// is false. Writes are serialized; a failing writer does not fail checks.
func WithDecisionLog(w io.Writer, masked bool) Option {
	return func(o *options) { o.life.decisionLog, o.life.unmasked = w, !masked }
}
