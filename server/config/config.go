// Package config reads the YAML configuration file of "msgfilter serve"
// (and the tenants of "msgfilter check -tenants"): one documented file,
// validated as a whole at start, where every error names its key and line.
// example.yaml beside this file documents every key.
//
// A Config is plain data; its zero value is the service's defaults.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/dlt"
	"github.com/msgfilter/msgfilter/server"
)

// DefaultAddr is where the service listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8686"

// Config is the service configuration. Zero fields take the defaults
// documented in example.yaml.
type Config struct {
	// Addr is the listen address, HOST:PORT.
	Addr string `yaml:"addr,omitempty"`
	// BearerToken, when set, guards every endpoint but /healthz and
	// /readyz; BearerTokenFile reads it from a file instead (preferred:
	// the token stays out of the file and of -print-config).
	BearerToken     string `yaml:"bearer_token,omitempty"`
	BearerTokenFile string `yaml:"bearer_token_file,omitempty"`
	// MaxRequestBytes caps a request body (server.DefaultMaxBodyBytes).
	MaxRequestBytes int64           `yaml:"max_request_bytes,omitempty"`
	Timeouts        server.Timeouts `yaml:"timeouts,omitempty"`

	Policies Policies `yaml:"policies,omitempty"`
	Store    Store    `yaml:"store,omitempty"`
	// GeoIP are MaxMind-format databases (filter.WithGeoIP).
	GeoIP []string `yaml:"geoip,omitempty"`
	// PhishingFeeds are phishing feed files (filter.WithPhishingFeed); the
	// engine takes one today, so more than one is refused.
	PhishingFeeds  []string `yaml:"phishing_feeds,omitempty"`
	ShortenerLists []string `yaml:"shortener_lists,omitempty"`
	// Model is a content model file written by "msgfilter train"
	// (filter.WithModel); empty: the shipped model.
	Model   string            `yaml:"model,omitempty"`
	Tenants map[string]Tenant `yaml:"tenants,omitempty"`

	// FailMode is "closed" (the default: hold what cannot be decided) or
	// "open".
	FailMode    string        `yaml:"fail_mode,omitempty"`
	CheckBudget time.Duration `yaml:"check_budget,omitempty"`
	// MaxMessageBodyBytes caps one message's body (filter.WithMaxBodyBytes).
	MaxMessageBodyBytes int `yaml:"max_message_body_bytes,omitempty"`

	DecisionLog DecisionLog `yaml:"decision_log,omitempty"`
	Metrics     Metrics     `yaml:"metrics,omitempty"`
	Shadow      Shadow      `yaml:"shadow,omitempty"`
	// ProtocolMapping overrides the SMPP and HTTP statuses of reason codes
	// (see server.Mapping).
	ProtocolMapping map[string]server.Status `yaml:"protocol_mapping,omitempty"`
	// Runtime is the garbage collector's setting for the service.
	Runtime Runtime `yaml:"runtime,omitempty"`

	lines map[string]int    // key path → line, for errors found after parsing
	flags map[string]string // key path → the flag that set it
}

// Runtime sets the Go garbage collector for the service. The environment's
// GOGC and GOMEMLIMIT, where set, win over it, as the Go runtime lets them
// for any program; -print-config shows the values in effect.
//
// The default gives the collector twice the room Go's does (GOGC 200, not
// 100): the service allocates for every request, and a GC cycle's mark
// phase takes one of the CPUs (with GOMAXPROCS 2, one of two) for tens of
// milliseconds, which is the tail of its latency. Half as many cycles cost
// a larger heap: README "Through the service" has the measured trade.
type Runtime struct {
	// GCPercent is GOGC: how far the heap may grow past what the last
	// collection found live before the next one starts, in percent. 0
	// means DefaultGCPercent; -1 turns the collector off, which needs a
	// MemoryLimit.
	GCPercent int `yaml:"gc_percent,omitempty"`
	// MemoryLimit is GOMEMLIMIT: a soft limit of the memory the Go runtime
	// uses, in bytes with an optional B, KiB, MiB, GiB or TiB suffix
	// ("1536MiB"). Near it the collector runs as often as it must, up to
	// half the CPU: set it below the container's limit. Empty: none.
	MemoryLimit string `yaml:"memory_limit,omitempty"`
}

// DefaultGCPercent is the service's GOGC unless the file or the
// environment sets one.
const DefaultGCPercent = 200

// Effective returns the GC percent and memory limit (0: none) that apply
// with the environment getenv, and the source of each ("GOGC",
// "runtime.gc_percent", "default"; "GOMEMLIMIT", "runtime.memory_limit",
// "none"). A value the environment sets is returned as -2 or -1 (GC
// percent, memory limit) when it does not parse: the Go runtime then
// decides, as it does for GOGC and GOMEMLIMIT.
func (r Runtime) Effective(getenv func(string) string) (gcPercent int, memoryLimit int64, gcFrom, limitFrom string) {
	switch env := getenv("GOGC"); {
	case env != "":
		gcPercent, gcFrom = -2, "GOGC"
		if env == "off" {
			gcPercent = -1
		} else if n, err := strconv.Atoi(env); err == nil {
			gcPercent = n
		}
	case r.GCPercent != 0:
		gcPercent, gcFrom = r.GCPercent, "runtime.gc_percent"
	default:
		gcPercent, gcFrom = DefaultGCPercent, "default"
	}
	switch env := getenv("GOMEMLIMIT"); {
	case env != "":
		memoryLimit, limitFrom = -1, "GOMEMLIMIT"
		if n, err := parseBytes(env); err == nil {
			memoryLimit = n
		}
	case r.MemoryLimit != "":
		memoryLimit, _ = parseBytes(r.MemoryLimit)
		limitFrom = "runtime.memory_limit"
	default:
		limitFrom = "none"
	}
	return gcPercent, memoryLimit, gcFrom, limitFrom
}

// parseBytes reads a size as GOMEMLIMIT writes it: a non-negative integer
// with an optional B, KiB, MiB, GiB or TiB suffix.
func parseBytes(s string) (int64, error) {
	num, unit := s, int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}} {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, unit = n, u.n
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/unit {
		return 0, fmt.Errorf("want a number of bytes with an optional B, KiB, MiB, GiB or TiB suffix, not %q", s)
	}
	return n * unit, nil
}

// SetByFlag records that a command-line flag set key (e.g. "addr" by
// "-addr"), so that its errors name the flag instead of a line of the file.
func (c *Config) SetByFlag(key, flag string) {
	if c.flags == nil {
		c.flags = map[string]string{}
	}
	c.flags[key] = flag
}

// Policies names where the policies come from: at most one of Dir, Bundle
// and URL; none means the embedded packs.
type Policies struct {
	Dir string `yaml:"dir,omitempty"`
	// Watch reloads Dir when a file under it changes.
	Watch  bool   `yaml:"watch,omitempty"`
	Bundle string `yaml:"bundle,omitempty"`
	URL    string `yaml:"url,omitempty"`
	// VerificationKey is a PEM public key file; with it, only bundles
	// signed with that key load.
	VerificationKey string `yaml:"verification_key,omitempty"`
	// VerificationKeyID and VerificationAlgorithm default to "default"
	// and "RS256".
	VerificationKeyID     string `yaml:"verification_key_id,omitempty"`
	VerificationAlgorithm string `yaml:"verification_algorithm,omitempty"`
	// Poll is how often Bundle or URL is checked for a new revision
	// (default 1m; a URL answers 304 when unchanged).
	Poll time.Duration `yaml:"poll,omitempty"`
}

// Store is the conversation state store.
type Store struct {
	// Type is "memory" (the default, one node), "redis", "redis-cluster"
	// or "none" (no opt-outs, sessions or counters).
	Type         string        `yaml:"type,omitempty"`
	Addrs        []string      `yaml:"addrs,omitempty"`
	Username     string        `yaml:"username,omitempty"`
	Password     string        `yaml:"password,omitempty"`
	PasswordFile string        `yaml:"password_file,omitempty"`
	DB           int           `yaml:"db,omitempty"`
	Prefix       string        `yaml:"prefix,omitempty"`
	Retention    time.Duration `yaml:"retention,omitempty"`
	// MaxEntries and MaxOptOuts bound the memory store (state.MemoryConfig;
	// 0 means its defaults): what its share of the service's RSS can grow
	// to. A Redis store is bounded by Redis's own maxmemory.
	MaxEntries int `yaml:"max_entries,omitempty"`
	MaxOptOuts int `yaml:"max_opt_outs,omitempty"`
	TLS        TLS `yaml:"tls,omitempty"`
}

// TLS configures the connection to Redis.
type TLS struct {
	Enabled    bool   `yaml:"enabled,omitempty"`
	CAFile     string `yaml:"ca_file,omitempty"`
	CertFile   string `yaml:"cert_file,omitempty"`
	KeyFile    string `yaml:"key_file,omitempty"`
	ServerName string `yaml:"server_name,omitempty"`
}

// Tenant is filter.Tenant in YAML.
type Tenant struct {
	BlockedNetworks []string      `yaml:"blocked_networks,omitempty"`
	BlockedDomains  []string      `yaml:"blocked_domains,omitempty"`
	Senders         []string      `yaml:"senders,omitempty"`
	RateLimit       int           `yaml:"rate_limit,omitempty"`
	RateWindow      time.Duration `yaml:"rate_window,omitempty"`
	FloodRecipients int           `yaml:"flood_recipients,omitempty"`
	FloodWindow     time.Duration `yaml:"flood_window,omitempty"`
	// OptOutScope is "brand" (the default: an opt-out covers every sender
	// of the tenant) or "sender".
	OptOutScope string `yaml:"opt_out_scope,omitempty"`
	// DLTTemplates is the tenant's registry of Indian DLT content
	// templates (filter.Tenant.DLTTemplates).
	DLTTemplates []DLTTemplate `yaml:"dlt_templates,omitempty"`
	// Model makes the content model's rules stricter for the tenant
	// (filter.Tenant.Model), never laxer.
	Model ModelThresholds `yaml:"model,omitempty"`
}

// ModelThresholds is filter.ModelThresholds in YAML: each key that is set
// must be in (0, 1] (0 would flag every message).
type ModelThresholds struct {
	FraudReview *float64 `yaml:"fraud_review,omitempty"`
	FraudBlock  *float64 `yaml:"fraud_block,omitempty"`
	SpamReview  *float64 `yaml:"spam_review,omitempty"`
	SpamBlock   *float64 `yaml:"spam_block,omitempty"`
	// Corroborated is the score from which a weak lure or a risky link
	// holds a message for review.
	Corroborated *float64 `yaml:"corroborated,omitempty"`
}

// DLTTemplate is filter.DLTTemplate in YAML.
type DLTTemplate struct {
	Header   string `yaml:"header"`
	ID       string `yaml:"id"`
	Category string `yaml:"category"`
	Text     string `yaml:"text"`
}

// DecisionLog is where one JSON line per decision goes.
type DecisionLog struct {
	// Path is a file (appended to), "stdout" or "stderr"; empty: no log.
	Path string `yaml:"path,omitempty"`
	// Mask masks phone numbers and codes (default true).
	Mask *bool `yaml:"mask,omitempty"`
}

// Metrics configures /metrics.
type Metrics struct {
	// Namespace prefixes every metric name ("gw" → gw_msgfilter_checks_total).
	Namespace string `yaml:"namespace,omitempty"`
	// Tenants adds a tenant label to checks_total (filter.WithTenantMetrics):
	// the configured tenants, "" and "other", so that made-up tenant names
	// cannot grow the metric.
	Tenants bool `yaml:"tenants,omitempty"`
}

// Shadow evaluates a candidate policy revision beside the live one
// (filter.WithShadow): differences go to shadow_differences_total and the
// decision log, never to the answers.
type Shadow struct {
	// Policies is the candidate: a policy directory or a bundle file
	// (verified with policies.verification_key when one is set); empty:
	// no shadow.
	Policies string `yaml:"policies,omitempty"`
	// Every shadows one check in Every (0 or 1: every check).
	Every int `yaml:"every,omitempty"`
	// Queue bounds the checks waiting for the candidate
	// (filter.DefaultShadowQueue); a check finding it full is not shadowed.
	Queue int `yaml:"queue,omitempty"`
}

// Error is one problem in the configuration.
type Error struct {
	File string
	Key  string // dotted path: "store.addrs[1]", "tenants.acme.rate_window"
	Line int    // 0 when the key is not in the file (a flag set it)
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Key != "":
		return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Key, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	case e.Key != "":
		return fmt.Sprintf("%s: %s: %s", e.File, e.Key, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Load reads and validates the file at path.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, b)
}

var lineRE = regexp.MustCompile(`line (\d+): `)

// Parse reads and validates a configuration; name is used in errors. All
// problems are reported at once, joined, each an *Error.
func Parse(name string, b []byte) (*Config, error) {
	c := &Config{lines: map[string]int{}}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, yamlErrors(name, err, nil)
	}
	if len(root.Content) > 0 {
		index(root.Content[0], "", c.lines)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) { // io.EOF: an empty file
		return nil, yamlErrors(name, err, c.lines)
	}
	if err := c.Validate(name); err != nil {
		return nil, err
	}
	return c, nil
}

// yamlErrors turns the YAML library's errors into *Errors naming the key
// of their line.
func yamlErrors(name string, err error, lines map[string]int) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	byLine := map[int]string{}
	for k, l := range lines {
		if cur, ok := byLine[l]; !ok || len(k) < len(cur) { // "adrs: [a:1]" names adrs, not adrs[0]
			byLine[l] = k
		}
	}
	var errs []error
	for _, m := range msgs {
		e := &Error{File: name, Msg: m}
		if loc := lineRE.FindStringSubmatchIndex(m); loc != nil {
			e.Line, _ = strconv.Atoi(m[loc[2]:loc[3]])
			e.Msg = m[:loc[0]] + m[loc[1]:]
			e.Key = byLine[e.Line]
		}
		errs = append(errs, e)
	}
	return errors.Join(errs...)
}

// index records the line of every key and sequence item under n.
func index(n *yaml.Node, path string, lines map[string]int) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if path != "" {
				k = path + "." + k
			}
			lines[k] = n.Content[i].Line
			index(n.Content[i+1], k, lines)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			k := fmt.Sprintf("%s[%d]", path, i)
			lines[k] = item.Line
			index(item, k, lines)
		}
	}
}

// Validate checks the whole configuration (after flags changed it) and
// returns every problem, joined, each an *Error; name is used in errors.
func (c *Config) Validate(name string) error {
	var errs []error
	bad := func(key, format string, args ...any) {
		e := &Error{File: name, Key: key, Line: c.line(key), Msg: fmt.Sprintf(format, args...)}
		for k, f := range c.flags {
			if key == k || strings.HasPrefix(key, k+".") || strings.HasPrefix(key, k+"[") {
				e.File, e.Line = f, 0
			}
		}
		errs = append(errs, e)
	}
	if c.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			bad("addr", "want HOST:PORT: %v", err)
		}
	}
	if c.BearerToken != "" && c.BearerTokenFile != "" {
		bad("bearer_token_file", "set bearer_token or bearer_token_file, not both")
	}
	if c.MaxRequestBytes < 0 {
		bad("max_request_bytes", "must not be negative")
	}
	for key, d := range map[string]time.Duration{
		"timeouts.read_header": c.Timeouts.ReadHeader, "timeouts.read": c.Timeouts.Read,
		"timeouts.write": c.Timeouts.Write, "timeouts.idle": c.Timeouts.Idle, "timeouts.shutdown": c.Timeouts.Shutdown,
	} {
		if d < 0 {
			bad(key, "must not be negative")
		}
	}

	p := c.Policies
	sources := 0
	for _, s := range []string{p.Dir, p.Bundle, p.URL} {
		if s != "" {
			sources++
		}
	}
	if sources > 1 {
		bad("policies", "set one of dir, bundle and url")
	}
	if p.Dir != "" {
		if fi, err := os.Stat(p.Dir); err != nil || !fi.IsDir() {
			bad("policies.dir", "%q is not a directory", p.Dir)
		}
	}
	if p.Watch && p.Dir == "" {
		bad("policies.watch", "only a policies.dir can be watched (bundles and URLs are polled)")
	}
	if p.Bundle != "" {
		mustFile(bad, "policies.bundle", p.Bundle)
	}
	if p.URL != "" && !strings.HasPrefix(p.URL, "https://") && !strings.HasPrefix(p.URL, "http://") {
		bad("policies.url", "want an http:// or https:// URL")
	}
	if p.VerificationKey != "" {
		mustFile(bad, "policies.verification_key", p.VerificationKey)
		if p.Dir != "" {
			bad("policies.verification_key", "a directory is not signed: use a bundle or url")
		}
	}
	if p.URL != "" && p.VerificationKey == "" {
		bad("policies.verification_key", "required with policies.url: policies fetched over the network must be signed")
	}
	switch p.VerificationAlgorithm {
	case "", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512":
	default:
		bad("policies.verification_algorithm", "unknown algorithm %q", p.VerificationAlgorithm)
	}
	if p.Poll < 0 {
		bad("policies.poll", "must not be negative")
	}

	s := c.Store
	switch s.Type {
	case "", "memory", "none":
		if len(s.Addrs) > 0 {
			bad("store.addrs", "only for store type redis or redis-cluster")
		}
	case "redis", "redis-cluster":
		if len(s.Addrs) == 0 {
			bad("store.addrs", "at least one HOST:PORT is required for %s", s.Type)
		}
		if s.Type == "redis" && len(s.Addrs) > 1 {
			bad("store.addrs", "one address for redis; several are a redis-cluster")
		}
		for i, a := range s.Addrs {
			if _, _, err := net.SplitHostPort(a); err != nil {
				bad(fmt.Sprintf("store.addrs[%d]", i), "want HOST:PORT: %v", err)
			}
		}
		if s.Password != "" && s.PasswordFile != "" {
			bad("store.password_file", "set password or password_file, not both")
		}
		if s.PasswordFile != "" {
			mustFile(bad, "store.password_file", s.PasswordFile)
		}
		if s.Type == "redis-cluster" && s.DB != 0 {
			bad("store.db", "Redis Cluster has only database 0")
		}
		if strings.ContainsAny(s.Prefix, "{}") {
			bad("store.prefix", "must not contain { or }")
		}
		for key, f := range map[string]string{"store.tls.ca_file": s.TLS.CAFile, "store.tls.cert_file": s.TLS.CertFile, "store.tls.key_file": s.TLS.KeyFile} {
			if f != "" {
				mustFile(bad, key, f)
				if !s.TLS.Enabled {
					bad(key, "set store.tls.enabled: true to use it")
				}
			}
		}
		if (s.TLS.CertFile == "") != (s.TLS.KeyFile == "") {
			bad("store.tls.cert_file", "cert_file and key_file go together")
		}
	default:
		bad("store.type", "want memory, redis, redis-cluster or none, not %q", s.Type)
	}
	if s.Retention < 0 {
		bad("store.retention", "must not be negative")
	}
	for _, b := range [...]struct {
		key string
		n   int
	}{{"store.max_entries", s.MaxEntries}, {"store.max_opt_outs", s.MaxOptOuts}} {
		switch {
		case b.n < 0:
			bad(b.key, "must not be negative")
		case b.n > 0 && (s.Type == "redis" || s.Type == "redis-cluster"):
			bad(b.key, "only for store type memory: Redis is bounded by its own maxmemory")
		case b.n > 0 && s.Type == "none":
			bad(b.key, "only for store type memory")
		}
	}

	for i, f := range c.GeoIP {
		mustFile(bad, fmt.Sprintf("geoip[%d]", i), f)
	}
	if len(c.PhishingFeeds) > 1 {
		bad("phishing_feeds[1]", "one phishing feed is supported today; merge the feeds into one file")
	}
	for i, f := range c.PhishingFeeds {
		mustFile(bad, fmt.Sprintf("phishing_feeds[%d]", i), f)
	}
	for i, f := range c.ShortenerLists {
		mustFile(bad, fmt.Sprintf("shortener_lists[%d]", i), f)
	}
	if c.Model != "" {
		mustFile(bad, "model", c.Model)
	}
	folded := map[string]string{}
	for _, name := range sortedKeys(c.Tenants) {
		// Tenant names are case-insensitive (filter.Tenant): "ACME" and
		// "acme" would be one tenant with two configurations.
		if other, ok := folded[strings.ToLower(name)]; ok {
			bad("tenants."+name, "the same tenant as %q: tenant names are case-insensitive", other)
		}
		folded[strings.ToLower(name)] = name
		if _, err := c.Tenants[name].filter(); err != nil {
			var te *tenantError
			if errors.As(err, &te) {
				bad("tenants."+name+"."+te.key, "%s", te.msg)
			}
		}
	}
	switch c.FailMode {
	case "", "closed", "open":
	default:
		bad("fail_mode", "want closed or open, not %q", c.FailMode)
	}
	if c.CheckBudget < 0 {
		bad("check_budget", "must not be negative")
	}
	if c.Runtime.GCPercent < -1 {
		bad("runtime.gc_percent", "want a percentage, 0 for the default or -1 for off, not %d", c.Runtime.GCPercent)
	}
	if c.Runtime.MemoryLimit != "" {
		if _, err := parseBytes(c.Runtime.MemoryLimit); err != nil {
			bad("runtime.memory_limit", "%v", err)
		}
	} else if c.Runtime.GCPercent == -1 {
		bad("runtime.gc_percent", "-1 turns the collector off: it needs runtime.memory_limit")
	}
	if c.MaxMessageBodyBytes < 0 {
		bad("max_message_body_bytes", "must not be negative")
	}
	if ns := c.Metrics.Namespace; ns != "" && !metricName.MatchString(ns) {
		bad("metrics.namespace", "%q is not a Prometheus name ([a-zA-Z_][a-zA-Z0-9_]*)", ns)
	}
	if sh := c.Shadow; sh.Policies != "" {
		if _, err := os.Stat(sh.Policies); err != nil {
			bad("shadow.policies", "%v", err)
		}
	} else if sh.Every != 0 || sh.Queue != 0 {
		bad("shadow.policies", "every and queue need the candidate's policies")
	}
	if c.Shadow.Every < 0 {
		bad("shadow.every", "must not be negative")
	}
	if c.Shadow.Queue < 0 {
		bad("shadow.queue", "must not be negative")
	}
	for _, code := range sortedKeys(c.ProtocolMapping) {
		st := c.ProtocolMapping[code]
		key := "protocol_mapping." + code
		if !codeName.MatchString(code) {
			bad(key, "%q is not a reason code (upper case, like RATE_LIMIT)", code)
		}
		if st.HTTP < 100 || st.HTTP > 599 {
			bad(key+".http", "want an HTTP status, 100 to 599, not %d", st.HTTP)
		}
	}
	slices.SortStableFunc(errs, func(a, b error) int { return a.(*Error).Line - b.(*Error).Line })
	return errors.Join(errs...)
}

// line returns the line of key or, for a key that is not in the file (a
// required one missing), of the nearest enclosing key that is.
func (c *Config) line(key string) int {
	for key != "" {
		if l, ok := c.lines[key]; ok {
			return l
		}
		i := strings.LastIndexAny(key, ".[")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return 0
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	codeName   = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

func mustFile(bad func(key, format string, args ...any), key, path string) {
	if fi, err := os.Stat(path); err != nil {
		bad(key, "%v", err)
	} else if fi.IsDir() {
		bad(key, "%s is a directory, want a file", path)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

type tenantError struct{ key, msg string }

func (e *tenantError) Error() string { return e.key + ": " + e.msg }

// filter converts t into the engine's Tenant.
func (t Tenant) filter() (filter.Tenant, error) {
	ft := filter.Tenant{
		BlockedDomains: t.BlockedDomains, Senders: t.Senders,
		RateLimit: t.RateLimit, RateWindow: t.RateWindow,
		FloodRecipients: t.FloodRecipients, FloodWindow: t.FloodWindow,
	}
	if len(t.BlockedNetworks) > 0 {
		set, err := geo.NewCIDRSet(t.BlockedNetworks...)
		if err != nil {
			var le *geo.LineError
			if errors.As(err, &le) {
				return ft, &tenantError{fmt.Sprintf("blocked_networks[%d]", le.Line-1), le.Reason}
			}
			return ft, &tenantError{"blocked_networks", err.Error()}
		}
		ft.BlockedNetworks = set
	}
	switch t.OptOutScope {
	case "", "brand":
	case "sender":
		ft.OptOutScope = filter.OptOutSender
	default:
		return ft, &tenantError{"opt_out_scope", fmt.Sprintf("want brand or sender, not %q", t.OptOutScope)}
	}
	if len(t.DLTTemplates) > 0 {
		ts := make([]dlt.Template, len(t.DLTTemplates))
		for i, d := range t.DLTTemplates {
			ts[i] = dlt.Template(d)
			ft.DLTTemplates = append(ft.DLTTemplates, filter.DLTTemplate(d))
		}
		if _, err := dlt.Compile(ts); err != nil {
			var te *dlt.TemplateError
			if errors.As(err, &te) {
				return ft, &tenantError{fmt.Sprintf("dlt_templates[%d]", te.Index), te.Err.Error()}
			}
			return ft, &tenantError{"dlt_templates", err.Error()}
		}
	}
	switch {
	case t.RateLimit < 0:
		return ft, &tenantError{"rate_limit", "must not be negative"}
	case t.RateLimit > 0 && t.RateWindow <= 0:
		return ft, &tenantError{"rate_window", "required with rate_limit"}
	case t.FloodRecipients < 0:
		return ft, &tenantError{"flood_recipients", "must not be negative"}
	case t.FloodRecipients > 0 && t.FloodWindow <= 0:
		return ft, &tenantError{"flood_window", "required with flood_recipients"}
	}
	for _, m := range [...]struct {
		key string
		v   *float64
		dst *float64
	}{{"fraud_review", t.Model.FraudReview, &ft.Model.FraudReview}, {"fraud_block", t.Model.FraudBlock, &ft.Model.FraudBlock},
		{"spam_review", t.Model.SpamReview, &ft.Model.SpamReview}, {"spam_block", t.Model.SpamBlock, &ft.Model.SpamBlock},
		{"corroborated", t.Model.Corroborated, &ft.Model.Corroborated}} {
		if m.v == nil {
			continue
		}
		if !(*m.v > 0 && *m.v <= 1) { // NaN too
			return ft, &tenantError{"model." + m.key, fmt.Sprintf("want a probability in (0, 1], not %v", *m.v)}
		}
		*m.dst = *m.v
	}
	return ft, nil
}

// KnownTenant reports whether a message naming tenant name may be checked
// under tenants: name is empty, no tenant is configured, or name is a
// configured tenant's in any case (tenant names are case-insensitive, as in
// filter.Tenant). "msgfilter serve" and "msgfilter check -tenants" refuse
// the others, so that a misspelt tenant cannot escape its configuration.
func KnownTenant(tenants map[string]Tenant, name string) bool {
	if name == "" || len(tenants) == 0 {
		return true
	}
	if _, ok := tenants[name]; ok {
		return true
	}
	for configured := range tenants {
		if strings.EqualFold(configured, name) {
			return true
		}
	}
	return false
}

// TenantOptions returns one filter.WithTenant per tenant. The
// configuration must have been validated.
func (c *Config) TenantOptions() []filter.Option {
	var opts []filter.Option
	for _, name := range sortedKeys(c.Tenants) {
		t, err := c.Tenants[name].filter()
		if err != nil {
			continue // Validate reported it
		}
		opts = append(opts, filter.WithTenant(name, t))
	}
	return opts
}

// Mapping returns the protocol mapping with the configured overrides.
func (c *Config) Mapping() server.Mapping {
	if len(c.ProtocolMapping) == 0 {
		return server.Mapping{}
	}
	m := server.Mapping{Overrides: map[filter.Code]server.Status{}}
	for code, st := range c.ProtocolMapping {
		m.Overrides[filter.Code(code)] = st
	}
	return m
}

// Masked reports whether the decision log masks numbers (default true).
func (d DecisionLog) Masked() bool { return d.Mask == nil || *d.Mask }

// Redacted returns a copy safe to print: secrets are replaced by "***".
func (c *Config) Redacted() *Config {
	r := *c
	if r.BearerToken != "" {
		r.BearerToken = "***"
	}
	if r.Store.Password != "" {
		r.Store.Password = "***"
	}
	return &r
}

// Marshal returns the configuration as YAML, with the defaults filled in
// and secrets redacted: what -print-config prints.
func (c *Config) Marshal() ([]byte, error) {
	r := c.Redacted().withDefaults()
	return yaml.Marshal(r)
}

// withDefaults fills in the defaults, for printing.
func (c *Config) withDefaults() *Config {
	r := *c
	if r.Addr == "" {
		r.Addr = DefaultAddr
	}
	if r.MaxRequestBytes == 0 {
		r.MaxRequestBytes = server.DefaultMaxBodyBytes
	}
	t := server.DefaultTimeouts
	for _, f := range []struct{ v, def *time.Duration }{
		{&r.Timeouts.ReadHeader, &t.ReadHeader}, {&r.Timeouts.Read, &t.Read}, {&r.Timeouts.Write, &t.Write},
		{&r.Timeouts.Idle, &t.Idle}, {&r.Timeouts.Shutdown, &t.Shutdown},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	if r.Store.Type == "" {
		r.Store.Type = "memory"
	}
	if r.FailMode == "" {
		r.FailMode = "closed"
	}
	if r.CheckBudget == 0 {
		r.CheckBudget = filter.DefaultCheckBudget
	}
	if r.MaxMessageBodyBytes == 0 {
		r.MaxMessageBodyBytes = filter.DefaultMaxBodyBytes
	}
	// What the runtime runs with: the environment wins over the file.
	r.Runtime.GCPercent, _, _, _ = r.Runtime.Effective(os.Getenv)
	if env := os.Getenv("GOMEMLIMIT"); env != "" {
		r.Runtime.MemoryLimit = env
	}
	if (r.Policies.Bundle != "" || r.Policies.URL != "") && r.Policies.Poll == 0 {
		r.Policies.Poll = DefaultPoll
	}
	if r.DecisionLog.Path != "" && r.DecisionLog.Mask == nil {
		on := true
		r.DecisionLog.Mask = &on
	}
	return &r
}

// DefaultPoll is how often a bundle file or URL is checked.
const DefaultPoll = time.Minute

// PollEvery returns the polling interval with its default.
func (p Policies) PollEvery() time.Duration {
	if p.Poll > 0 {
		return p.Poll
	}
	return DefaultPoll
}
