package filter

import (
	"io"
	"io/fs"
	"log/slog"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// Option configures an Engine. Options apply in order at New; for every
// option, the zero value of its argument means the default, and Off turns
// off an option that takes a size or a duration.
type Option func(*options)

// Off turns off an option that takes a size or a duration: a decision cache
// (WithCacheSizes) or the check budget (WithCheckBudget).
const Off = -1

// FailMode says what Check's Decision is when the engine cannot decide (a
// policy evaluation error, a store outage, a check past its deadline).
// Check returns the error in both modes; the Decision carries ENGINE_ERROR,
// or ENGINE_TIMEOUT when the deadline passed.
type FailMode int

const (
	// FailClosed blocks the message: nothing goes out undecided. The default.
	FailClosed FailMode = iota
	// FailOpen allows the message: delivery matters more than filtering.
	FailOpen
)

// Masking says what the decision log hides (see WithDecisionLog).
type Masking int

const (
	// MaskNumbers masks every run of four or more digits, in any script
	// (ASCII, Arabic-Indic, Persian, fullwidth, Devanagari...; phone
	// numbers keep their first two and last two digits: "+971501234567" →
	// "+97********67", "code ٤٨٢٩١٣" → "code ******"), and the local part
	// of e-mail addresses ("john.doe@example.com" → "j*******@example.com").
	// The default.
	MaskNumbers Masking = iota
	// MaskOff writes sender, recipient, evidence and errors as they are.
	MaskOff
)

// Defaults.
const (
	DefaultMaxBodyBytes     = 64 << 10
	DefaultExactCacheBytes  = 16 << 20
	DefaultFactCacheBytes   = 32 << 20
	DefaultMetricsNamespace = "msgfilter"
	// DefaultCheckBudget is the deadline given to a check whose context has
	// none. It is generous (a check takes 0.1-1 ms; a body at the 64 KiB
	// cap takes tens of milliseconds); gateways should pass their own
	// deadline.
	DefaultCheckBudget = time.Second
)

// minCacheBytes is freecache's floor.
const minCacheBytes = 512 << 10

type options struct {
	policies       fs.FS
	clock          func() time.Time
	failMode       FailMode
	maxBodyBytes   int
	geoIPPaths     []string
	phishingFeed   string
	shortenerFiles []string
	modelPath      string
	tenants        map[string]*tenant // by tenantID
	tenantErr      error              // the first tenant that did not compile: New fails with it
	store          state.Store        // nil after resolve: no state (WithStore(nil))
	storeSet       bool

	exactCacheBytes, factCacheBytes int // 0 after resolve: off

	verification  *bundle.VerificationConfig
	version       rules.BundleVersion // of the policies, with WithBundle
	reloadTests   bool
	debounce      time.Duration
	budget        time.Duration // 0 after resolve: no budget
	hook          func(ReloadEvent)
	logger        *slog.Logger
	registerer    prometheus.Registerer
	namespace     string
	tenantMetrics bool
	shadow        fs.FS // candidate policies (WithShadow); nil: no shadow
	shadowCfg     Shadow
	decisionLog   io.Writer
	masking       Masking
}

// resolveOptions applies opts over the zero options and then fills in every
// default, in this one place: zero means the default, Off (any negative
// size or duration) means off.
func resolveOptions(opts []Option) options {
	o := options{reloadTests: true}
	for _, opt := range opts {
		opt(&o)
	}
	if o.policies == nil {
		o.policies = policies.FS
	}
	if o.clock == nil {
		o.clock = wallClock
	}
	if o.maxBodyBytes <= 0 {
		o.maxBodyBytes = DefaultMaxBodyBytes
	}
	if !o.storeSet {
		o.store = state.NewMemory(state.MemoryConfig{})
	}
	o.exactCacheBytes = cacheSize(o.exactCacheBytes, DefaultExactCacheBytes)
	o.factCacheBytes = cacheSize(o.factCacheBytes, DefaultFactCacheBytes)
	if o.debounce <= 0 {
		o.debounce = DefaultDebounce
	}
	switch {
	case o.budget == 0:
		o.budget = DefaultCheckBudget
	case o.budget < 0:
		o.budget = 0
	}
	if o.namespace == "" {
		o.namespace = DefaultMetricsNamespace
	}
	return o
}

func cacheSize(n, def int) int {
	switch {
	case n < 0:
		return 0
	case n == 0:
		return def
	}
	return max(n, minCacheBytes)
}

// WithPolicies loads the policy packs from fsys instead of the embedded
// defaults (package policies). fsys holds global/, countries/<cc>/ and
// channels/<name>/ at its top level; see package rules.
func WithPolicies(fsys fs.FS) Option {
	return func(o *options) { o.policies, o.version = fsys, rules.BundleVersion{} }
}

// WithBundle loads the policies of an opened bundle (rules.OpenBundle) and
// remembers its version, so that ReloadBundle and PollBundle refuse a later
// bundle older than it (see rules.CheckUpgrade). WithPolicies(b.FS) would
// load the same policies but let any bundle follow.
func WithBundle(b *rules.Bundle) Option {
	return func(o *options) { o.policies, o.version = b.FS, b.Version }
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
	return func(o *options) { o.maxBodyBytes = n }
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

// WithModel scores message bodies with the content model in the file at
// path (written by "msgfilter train") instead of the shipped one; "" keeps
// the shipped model (internal/model/MODEL.md). A missing, corrupt or
// incompatible file makes New fail with a *ModelError. Reports
// (Engine.Report) carry over to another model of the same feature version.
func WithModel(path string) Option {
	return func(o *options) { o.modelPath = path }
}

// WithTenant configures the tenant of that name; see Tenant. Names are
// case-insensitive: of two WithTenant whose names differ only in case, the
// later wins. A tenant that does not compile (a malformed DLT template)
// makes New fail.
func WithTenant(name string, t Tenant) Option {
	return func(o *options) {
		if o.tenants == nil {
			o.tenants = map[string]*tenant{}
		}
		ct, err := t.compile(name)
		if err != nil {
			if o.tenantErr == nil {
				o.tenantErr = err
			}
			return
		}
		o.tenants[tenantID(name)] = ct
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

// WithCacheSizes sets the exact-message and fact cache sizes in bytes. 0
// keeps a default (DefaultExactCacheBytes, DefaultFactCacheBytes); Off turns
// that cache off. Sizes below 512 KiB are raised to it. The template cache
// is on with the fact cache, and bounded by as many bytes again (at least
// 2 MiB).
func WithCacheSizes(exactBytes, factBytes int) Option {
	return func(o *options) { o.exactCacheBytes, o.factCacheBytes = exactBytes, factBytes }
}

// WithCheckBudget sets the deadline of a check whose context has none
// (0: DefaultCheckBudget; Off: no deadline), counted from the first stage
// that waits (the state store or the policies; the stages before it take
// microseconds). Every stage that waits, state store calls included, runs
// under it (state/redisstore returns by it whatever its client's socket
// timeouts; a Store of your own must honour the context too). A check
// past its deadline returns an error matching context.DeadlineExceeded and
// a Decision that follows the fail mode with the reason ENGINE_TIMEOUT.
func WithCheckBudget(d time.Duration) Option {
	return func(o *options) { o.budget = d }
}

// WithBundleVerification makes ReloadBundle and PollBundle accept only
// bundles signed with one of the keys of vc (OPA's bundle verification
// config); an unsigned or tampered bundle is refused and the running
// revision stays.
func WithBundleVerification(vc *bundle.VerificationConfig) Option {
	return func(o *options) { o.verification = vc }
}

// WithReloadTests sets whether Reload runs the packs' Rego tests and refuses
// a revision whose tests fail (the default: true). New never runs them.
func WithReloadTests(run bool) Option {
	return func(o *options) { o.reloadTests = run }
}

// WithReloadDebounce sets how long Watch waits after the last change to a
// policy file before reloading, so that an editor's or a deploy's burst of
// writes makes one reload. d <= 0 keeps the default (DefaultDebounce).
func WithReloadDebounce(d time.Duration) Option {
	return func(o *options) { o.debounce = d }
}

// WithReloadHook calls hook after every Reload, ReloadBundle, Rollback and
// watched or polled reload, successful or not, from the reloading
// goroutine. A panicking hook is ignored.
func WithReloadHook(hook func(ReloadEvent)) Option {
	return func(o *options) { o.hook = hook }
}

// WithLogger logs reloads (info), refused reloads (error) and checks that
// could not decide (warn) to l. Without it the Engine logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithMetrics registers the Engine's Prometheus metrics with r, named under
// the namespace of WithMetricsNamespace (msgfilter_ by default):
// checks_total{action,country,reason} (reason: the code that sets the
// action, "" for an allow without reasons; tenant too with
// WithTenantMetrics), check_duration_seconds, cache_hits_total,
// check_errors_total{kind}, reloads_total{result}, policy_revision{revision},
// policy_loaded_timestamp_seconds, and with WithShadow shadow_checks_total{result}
// and shadow_differences_total{live,candidate,reason}. New fails if they are already registered
// there: give a second engine on the same registry its own namespace.
func WithMetrics(r prometheus.Registerer) Option {
	return func(o *options) { o.registerer = r }
}

// WithTenantMetrics adds a tenant label to checks_total. Its values are the
// tenants configured with WithTenant, "" for messages without a tenant and
// "other" for every other name, so that a caller cannot grow the metric's
// cardinality with made-up tenant names.
func WithTenantMetrics() Option {
	return func(o *options) { o.tenantMetrics = true }
}

// WithMetricsNamespace sets the prefix of the metrics' names ("" keeps
// DefaultMetricsNamespace), so that two engines can share a registry.
func WithMetricsNamespace(ns string) Option {
	return func(o *options) { o.namespace = ns }
}

// WithDecisionLog writes one JSON line per Check and Explain to w: the time,
// the message's id, channel, kind, country, tenant, sender and recipient,
// the decision, the latency and any error. The body is never written, and
// numbers and e-mail addresses are masked (see MaskNumbers).
// Writes are serialized; a failing writer does not fail checks.
func WithDecisionLog(w io.Writer) Option {
	return func(o *options) { o.decisionLog = w }
}

// WithDecisionLogMasking sets what the decision log hides (the default:
// MaskNumbers).
func WithDecisionLogMasking(m Masking) Option {
	return func(o *options) { o.masking = m }
}
