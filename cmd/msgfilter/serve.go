package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/open-policy-agent/opa/v1/bundle"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/server"
	"github.com/msgfilter/msgfilter/server/config"
	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore"
)

// override is a flag that sets one configuration key.
type override struct {
	key string
	set func(*config.Config, string) error
}

// serveFlags are the flags of serve that override the configuration file.
type serveFlags struct {
	fs          *verb
	configPath  string
	printConfig bool
}

const serveSummary = `Runs the engine as an HTTP service (package server): POST /v1/check, /v1/inbound,
/v1/explain, /v1/reload, /v1/report; GET /healthz, /readyz, /metrics. The
configuration file (YAML, documented in server/config/example.yaml) is
validated whole at start; the flags below override its keys. SIGHUP reloads
the file and the policies; SIGTERM drains the requests in flight and exits.`

func newServeFlags() (*serveFlags, map[string]override) {
	f := &serveFlags{fs: newVerb("serve", "serve [-config FILE] [flags]", serveSummary)}
	f.fs.StringVar(&f.configPath, "config", "", "YAML configuration file (see server/config/example.yaml)")
	f.fs.BoolVar(&f.printConfig, "print-config", false, "print the effective configuration (secrets redacted) and exit")
	// Each override flag sets one key; it is applied only when given, so
	// the file's value stays otherwise.
	overrides := map[string]override{
		"addr": {"addr", func(c *config.Config, v string) error { c.Addr = v; return nil }},
		"policies": {"policies", func(c *config.Config, v string) error {
			c.Policies.Dir, c.Policies.Bundle, c.Policies.URL = "", "", ""
			switch fi, err := os.Stat(v); {
			case strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://"):
				c.Policies.URL = v
			case err == nil && fi.IsDir():
				c.Policies.Dir = v
			default:
				c.Policies.Bundle = v
			}
			return nil
		}},
		"verification-key": {"policies.verification_key", func(c *config.Config, v string) error { c.Policies.VerificationKey = v; return nil }},
		"geoip":            {"geoip", func(c *config.Config, v string) error { c.GeoIP = []string{v}; return nil }},
		"phishing-feed":    {"phishing_feeds", func(c *config.Config, v string) error { c.PhishingFeeds = []string{v}; return nil }},
		"redis": {"store", func(c *config.Config, v string) error {
			c.Store.Type, c.Store.Addrs = "redis", strings.Split(v, ",")
			if len(c.Store.Addrs) > 1 {
				c.Store.Type = "redis-cluster"
			}
			return nil
		}},
		"fail-mode": {"fail_mode", func(c *config.Config, v string) error { c.FailMode = v; return nil }},
		"check-budget": {"check_budget", func(c *config.Config, v string) (err error) {
			c.CheckBudget, err = time.ParseDuration(v)
			return err
		}},
		"decision-log":      {"decision_log.path", func(c *config.Config, v string) error { c.DecisionLog.Path = v; return nil }},
		"token-file":        {"bearer_token_file", func(c *config.Config, v string) error { c.BearerToken, c.BearerTokenFile = "", v; return nil }},
		"metrics-namespace": {"metrics.namespace", func(c *config.Config, v string) error { c.Metrics.Namespace = v; return nil }},
	}
	help := map[string]string{
		"addr":              "listen address HOST:PORT (default " + config.DefaultAddr + ")",
		"policies":          "policy directory, bundle file or bundle URL (default: the embedded packs)",
		"verification-key":  "PEM public key bundles must be signed with",
		"geoip":             "MaxMind-format database for source IP countries",
		"phishing-feed":     "phishing feed, one domain or URL per line",
		"redis":             "Redis address for shared state (several, comma-separated: Redis Cluster)",
		"fail-mode":         "closed (hold what cannot be decided) or open",
		"check-budget":      "deadline of one check, e.g. 50ms",
		"decision-log":      "decision log: a file, stdout or stderr",
		"token-file":        "file holding the bearer token",
		"metrics-namespace": "prefix of the metric names",
	}
	for name := range overrides {
		f.fs.String(name, "", help[name])
	}
	return f, overrides
}

// loadServeConfig reads the file (if any) and applies the flags given.
func loadServeConfig(f *serveFlags, overrides map[string]override) (*config.Config, error) {
	c := &config.Config{}
	name := "flags"
	if f.configPath != "" {
		var err error
		if c, err = config.Load(f.configPath); err != nil {
			return nil, err
		}
		name = f.configPath
	}
	var ferr error
	f.fs.Visit(func(fl *flag.Flag) {
		if o, ok := overrides[fl.Name]; ok && ferr == nil {
			if err := o.set(c, fl.Value.String()); err != nil {
				ferr = fmt.Errorf("-%s: %w", fl.Name, err)
			}
			c.SetByFlag(o.key, "-"+fl.Name)
		}
	})
	if ferr != nil {
		return nil, f.fs.usageErr("%v", ferr)
	}
	if err := c.Validate(name); err != nil {
		return nil, err
	}
	return c, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, overrides := newServeFlags()
	rest, err := f.fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return f.fs.usageErr("serve takes no arguments")
	}
	cfg, err := loadServeConfig(f, overrides)
	if err != nil {
		return err
	}
	if f.printConfig {
		b, err := cfg.Marshal()
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	applyRuntime(cfg.Runtime, logger)
	svc, err := newService(ctx, cfg, func() (*config.Config, error) { return loadServeConfig(f, overrides) }, logger)
	if err != nil {
		return err
	}
	defer svc.close()

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if err := svc.reload(ctx); err != nil {
					logger.Error("SIGHUP reload refused; the running revision stays", "revision", svc.handler.Engine().Revision(), "err", err)
				}
			}
		}
	}()

	addr := cfg.Addr
	if addr == "" {
		addr = config.DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := server.NewServer(addr, svc.handler, cfg.Timeouts)
	srv.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() && cfg.BearerToken == "" && cfg.BearerTokenFile == "" {
		logger.Warn("serving beyond loopback without a bearer token: anyone who reaches the port can check, report inbound messages and reload")
	}
	logger.Info("serving", "addr", ln.Addr().String(), "revision", svc.handler.Engine().Revision(), "store", storeType(cfg))
	err = server.Serve(ctx, srv, ln, cfg.Timeouts.Shutdown)
	logger.Info("stopped", "err", err)
	return err
}

// applyRuntime sets the garbage collector as the configuration says where
// the environment does not (the Go runtime has read GOGC and GOMEMLIMIT
// itself), and logs what applies.
func applyRuntime(r config.Runtime, logger *slog.Logger) {
	gc, limit, gcFrom, limitFrom := r.Effective(os.Getenv)
	if gcFrom != "GOGC" {
		debug.SetGCPercent(gc)
	}
	switch limitFrom {
	case "runtime.memory_limit":
		debug.SetMemoryLimit(limit)
	case "none": // a reload that removed the key: the runtime's own default
		debug.SetMemoryLimit(math.MaxInt64)
	}
	logger.Info("garbage collector", "gc_percent", gc, "from", gcFrom, "memory_limit", limit, "limit_from", limitFrom)
}

func storeType(c *config.Config) string {
	if c.Store.Type == "" {
		return "memory"
	}
	return c.Store.Type
}

// service is the running engine with what a reload may change.
type service struct {
	logger   *slog.Logger
	reread   func() (*config.Config, error)
	handler  *server.Handler
	store    state.Store // nil with store type none
	closers  []func() error
	logW     io.Writer       // the decision log, opened once
	metrics  *engineGatherer // the current engine's registry
	prefix   string          // metric name prefix
	mu       sync.Mutex      // serializes reloads
	cfg      *config.Config  // guarded by mu
	tenants  atomic.Pointer[map[string]config.Tenant]
	bgCancel context.CancelFunc // stops the current engine's watch or poll
	ctx      context.Context
}

func newService(ctx context.Context, cfg *config.Config, reread func() (*config.Config, error), logger *slog.Logger) (*service, error) {
	s := &service{logger: logger, reread: reread, cfg: cfg, metrics: &engineGatherer{grace: drainTime(cfg)}, ctx: ctx}
	s.tenants.Store(&cfg.Tenants)
	if cfg.Metrics.Namespace != "" {
		s.prefix = cfg.Metrics.Namespace + "_"
	}
	var ready func(context.Context) (string, error)
	var err error
	if s.store, ready, err = s.openStore(cfg.Store); err != nil {
		s.close()
		return nil, err
	}
	if err := s.openDecisionLog(cfg.DecisionLog.Path); err != nil {
		s.close()
		return nil, err
	}
	e, reg, err := s.buildEngine(ctx, cfg, rules.BundleVersion{})
	if err != nil {
		s.close()
		return nil, err
	}
	s.metrics.swap(reg)
	own := prometheus.NewRegistry()
	ownReg := prometheus.WrapRegistererWithPrefix(s.prefix, own)
	ownReg.MustRegister(server.RuntimeCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	token := cfg.BearerToken
	if cfg.BearerTokenFile != "" {
		b, err := os.ReadFile(cfg.BearerTokenFile)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("bearer_token_file: %w", err)
		}
		token = strings.TrimSpace(string(b))
		if token == "" {
			// An empty file must not turn the guard off unnoticed.
			s.close()
			return nil, fmt.Errorf("bearer_token_file: %s is empty", cfg.BearerTokenFile)
		}
	}
	opts := []server.Option{
		server.WithBearerToken(token),
		server.WithMaxBodyBytes(cfg.MaxRequestBytes),
		server.WithMapping(cfg.Mapping()),
		server.WithMetrics(ownReg, prometheus.Gatherers{own, s.metrics}),
		server.WithReload(s.reload),
		server.WithLogger(logger),
		server.WithTenants(func(name string) bool { return config.KnownTenant(*s.tenants.Load(), name) }),
	}
	if ready != nil {
		opts = append(opts, server.WithReadiness(ready))
	}
	if s.handler, err = server.New(e, opts...); err != nil {
		s.close()
		return nil, err
	}
	s.background(e, cfg)
	return s, nil
}

func (s *service) close() {
	if s.bgCancel != nil {
		s.bgCancel()
	}
	for _, c := range s.closers {
		c()
	}
}

// buildEngine is the one place the configuration becomes filter options.
// A bundle older than running (the bundle version of the engine it
// replaces; zero at start) is refused, as Engine.ReloadBundle refuses it:
// a rebuild must not let a replayed bundle back in either.
func (s *service) buildEngine(ctx context.Context, cfg *config.Config, running rules.BundleVersion) (*filter.Engine, *prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	opts := []filter.Option{
		filter.WithStore(s.store),
		filter.WithMetrics(prometheus.WrapRegistererWithPrefix(s.prefix, reg)),
		filter.WithLogger(s.logger),
	}
	p := cfg.Policies
	if p.VerificationKey != "" {
		vc, err := verification(p)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, filter.WithBundleVerification(vc))
	}
	switch {
	case p.Dir != "":
		opts = append(opts, filter.WithPolicies(os.DirFS(p.Dir)))
	case p.Bundle != "" || p.URL != "":
		body, err := fetchPolicies(ctx, p)
		if err != nil {
			return nil, nil, err
		}
		var vc *bundle.VerificationConfig
		if p.VerificationKey != "" {
			if vc, err = verification(p); err != nil {
				return nil, nil, err
			}
		}
		b, err := rules.OpenBundle(bytes.NewReader(body), rules.BundleOptions{Verification: vc})
		if err != nil {
			return nil, nil, fmt.Errorf("policies: %w", err)
		}
		if err := rules.CheckUpgrade(running, b.Version); err != nil {
			return nil, nil, fmt.Errorf("policies: %w", err)
		}
		// With its version, so that a poll cannot replay an older bundle.
		opts = append(opts, filter.WithBundle(b))
	}
	if len(cfg.GeoIP) > 0 {
		opts = append(opts, filter.WithGeoIP(cfg.GeoIP...))
	}
	for _, f := range cfg.PhishingFeeds {
		opts = append(opts, filter.WithPhishingFeed(f))
	}
	for _, f := range cfg.ShortenerLists {
		opts = append(opts, filter.WithShortenerList(f))
	}
	opts = append(opts, filter.WithModel(cfg.Model))
	opts = append(opts, cfg.TenantOptions()...)
	if cfg.FailMode == "open" {
		opts = append(opts, filter.WithFailMode(filter.FailOpen))
	}
	if cfg.Metrics.Tenants {
		opts = append(opts, filter.WithTenantMetrics())
	}
	if sh := cfg.Shadow; sh.Policies != "" {
		cand, err := shadowPolicies(sh.Policies, p)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, filter.WithShadow(cand, filter.Shadow{Every: sh.Every, Queue: sh.Queue}))
	}
	if cfg.CheckBudget > 0 {
		opts = append(opts, filter.WithCheckBudget(cfg.CheckBudget))
	}
	if cfg.MaxMessageBodyBytes > 0 {
		opts = append(opts, filter.WithMaxBodyBytes(cfg.MaxMessageBodyBytes))
	}
	if s.logW != nil {
		opts = append(opts, filter.WithDecisionLog(s.logW))
		if !cfg.DecisionLog.Masked() {
			opts = append(opts, filter.WithDecisionLogMasking(filter.MaskOff))
		}
	}
	e, err := filter.New(opts...)
	if err != nil {
		return nil, nil, err
	}
	return e, reg, nil
}

// shadowPolicies opens the shadow's candidate: a directory, or a bundle
// file verified like the live policies.
func shadowPolicies(path string, p config.Policies) (fs.FS, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("shadow.policies: %w", err)
	} else if fi.IsDir() {
		return os.DirFS(path), nil
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("shadow.policies: %w", err)
	}
	var vc *bundle.VerificationConfig
	if p.VerificationKey != "" {
		if vc, err = verification(p); err != nil {
			return nil, err
		}
	}
	b, err := rules.OpenBundle(bytes.NewReader(body), rules.BundleOptions{Verification: vc})
	if err != nil {
		return nil, fmt.Errorf("shadow.policies: %w", err)
	}
	return b.FS, nil
}

func verification(p config.Policies) (*bundle.VerificationConfig, error) {
	pem, err := os.ReadFile(p.VerificationKey)
	if err != nil {
		return nil, fmt.Errorf("policies.verification_key: %w", err)
	}
	id, alg := p.VerificationKeyID, p.VerificationAlgorithm
	if id == "" {
		id = "default"
	}
	if alg == "" {
		alg = "RS256"
	}
	return bundle.NewVerificationConfig(map[string]*bundle.KeyConfig{id: {Key: string(pem), Algorithm: alg}}, id, "", nil), nil
}

// fetchPolicies reads the bundle file or downloads the bundle URL.
func fetchPolicies(ctx context.Context, p config.Policies) ([]byte, error) {
	if p.Bundle != "" {
		b, err := os.ReadFile(p.Bundle)
		if err != nil {
			return nil, fmt.Errorf("policies.bundle: %w", err)
		}
		return b, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.URL, nil)
	if err != nil {
		return nil, fmt.Errorf("policies.url: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("policies.url: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("policies.url %s: %s", p.URL, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, rules.DefaultMaxBundleBytes+1))
	if err != nil {
		return nil, fmt.Errorf("policies.url: %w", err)
	}
	if len(b) > rules.DefaultMaxBundleBytes {
		return nil, fmt.Errorf("policies.url: %w", rules.ErrBundleTooLarge)
	}
	return b, nil
}

// background starts the watch or poll of e's policy source.
func (s *service) background(e *filter.Engine, cfg *config.Config) {
	if s.bgCancel != nil {
		s.bgCancel()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.bgCancel = cancel
	p := cfg.Policies
	switch {
	case p.Dir != "" && p.Watch:
		go func() {
			if err := e.Watch(ctx, p.Dir); err != nil {
				s.logger.Error("watching the policies stopped", "dir", p.Dir, "err", err)
			}
		}()
	case p.Bundle != "" || p.URL != "":
		src := p.Bundle
		if src == "" {
			src = p.URL
		}
		go e.PollBundle(ctx, src, p.PollEvery(), nil)
	}
}

func (s *service) openStore(c config.Store) (state.Store, func(context.Context) (string, error), error) {
	switch c.Type {
	case "none":
		return nil, nil, nil
	case "", "memory":
		return state.NewMemory(state.MemoryConfig{Retention: c.Retention, MaxEntries: c.MaxEntries, MaxOptOuts: c.MaxOptOuts}), nil, nil
	}
	password := c.Password
	if c.PasswordFile != "" {
		b, err := os.ReadFile(c.PasswordFile)
		if err != nil {
			return nil, nil, fmt.Errorf("store.password_file: %w", err)
		}
		password = strings.TrimSpace(string(b))
	}
	var tc *tls.Config
	if c.TLS.Enabled {
		tc = &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.TLS.ServerName}
		if c.TLS.CAFile != "" {
			pem, err := os.ReadFile(c.TLS.CAFile)
			if err != nil {
				return nil, nil, fmt.Errorf("store.tls.ca_file: %w", err)
			}
			tc.RootCAs = x509.NewCertPool()
			if !tc.RootCAs.AppendCertsFromPEM(pem) {
				return nil, nil, fmt.Errorf("store.tls.ca_file: no PEM certificate in %s", c.TLS.CAFile)
			}
		}
		if c.TLS.CertFile != "" {
			cert, err := tls.LoadX509KeyPair(c.TLS.CertFile, c.TLS.KeyFile)
			if err != nil {
				return nil, nil, fmt.Errorf("store.tls.cert_file: %w", err)
			}
			tc.Certificates = []tls.Certificate{cert}
		}
	}
	var client redis.UniversalClient
	if c.Type == "redis-cluster" {
		client = redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Addrs, Username: c.Username, Password: password, TLSConfig: tc,
			ContextTimeoutEnabled: true}) // store calls end at the check's deadline
	} else {
		client = redis.NewClient(&redis.Options{Addr: c.Addrs[0], Username: c.Username, Password: password, DB: c.DB, TLSConfig: tc,
			ContextTimeoutEnabled: true})
	}
	s.closers = append(s.closers, client.Close)
	st, err := redisstore.New(client, redisstore.Config{Prefix: c.Prefix, Retention: c.Retention, Logger: s.logger})
	if err != nil {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	// ready pings Redis and reports its persistence settings, read once
	// (CheckPersistence warns when opt-outs would not survive a restart).
	var persistence atomic.Pointer[string]
	ready := func(ctx context.Context) (string, error) {
		if err := client.Ping(ctx).Err(); err != nil {
			return "", err
		}
		if p := persistence.Load(); p != nil {
			return *p, nil
		}
		p, err := st.CheckPersistence(ctx)
		if err != nil {
			return "persistence unknown: " + err.Error(), nil
		}
		desc := "redis " + p.String()
		persistence.Store(&desc)
		return desc, nil
	}
	pctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if _, err := ready(pctx); err != nil {
		// Start anyway: /readyz says not ready until Redis answers, and
		// checks follow the fail mode meanwhile.
		s.logger.Warn("the store does not answer yet", "addrs", c.Addrs, "err", err)
	}
	return st, ready, nil
}

func (s *service) openDecisionLog(path string) error {
	switch path {
	case "":
	case "stdout":
		s.logW = os.Stdout
	case "stderr":
		s.logW = os.Stderr
	default:
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			return fmt.Errorf("decision_log.path: %w", err)
		}
		s.closers = append(s.closers, f.Close)
		s.logW = f
	}
	return nil
}

// reload re-reads the configuration and reloads the policies with it. The
// tenants, feeds, GeoIP databases, fail mode and check budget are taken
// from the new file (a new Engine when they changed); what is bound to the
// process (listen address, timeouts, store, decision log path, token,
// metrics namespace, protocol mapping) needs a restart, and a file that
// changes it is refused. On any error the running engine stays.
func (s *service) reload(ctx context.Context) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cfg, err := s.reread()
	if err != nil {
		return err
	}
	if key := restartKey(s.cfg, cfg); key != "" {
		return fmt.Errorf("%s changed: restart msgfilter serve to apply it", key)
	}
	defer func() {
		if err == nil {
			applyRuntime(cfg.Runtime, s.logger)
		}
	}()
	old := s.handler.Engine()
	if reflect.DeepEqual(engineParts(s.cfg), engineParts(cfg)) {
		switch p := cfg.Policies; {
		case p.Bundle != "" || p.URL != "":
			body, err := fetchPolicies(ctx, p)
			if err != nil {
				return err
			}
			return old.ReloadBundle(ctx, bytes.NewReader(body))
		default:
			return old.Reload(ctx, nil) // the directory read again, or the embedded packs
		}
	}
	e, reg, err := s.buildEngine(ctx, cfg, old.BundleVersion())
	if err != nil {
		return err
	}
	// New does not run the packs' Rego tests; a reload must.
	if err := e.Reload(ctx, nil); err != nil {
		return err
	}
	s.metrics.swap(reg)
	s.handler.SetEngine(e)
	s.cfg = cfg
	s.tenants.Store(&cfg.Tenants)
	s.background(e, cfg)
	s.logger.Info("configuration reloaded", "revision", e.Revision(), "previous", old.Revision())
	return nil
}

// restartKey names the first setting that differs between a and b and
// cannot change without a restart; "" when none does.
func restartKey(a, b *config.Config) string {
	for _, f := range []struct {
		key  string
		x, y any
	}{
		{"addr", a.Addr, b.Addr}, {"timeouts", a.Timeouts, b.Timeouts},
		{"bearer_token", a.BearerToken + "\x00" + a.BearerTokenFile, b.BearerToken + "\x00" + b.BearerTokenFile},
		{"max_request_bytes", a.MaxRequestBytes, b.MaxRequestBytes}, {"store", a.Store, b.Store},
		{"decision_log.path", a.DecisionLog.Path, b.DecisionLog.Path}, {"metrics", a.Metrics, b.Metrics},
		{"protocol_mapping", a.ProtocolMapping, b.ProtocolMapping},
	} {
		if !reflect.DeepEqual(f.x, f.y) {
			return f.key
		}
	}
	return ""
}

// engineParts is what a new Engine is needed for.
func engineParts(c *config.Config) any {
	return []any{c.Policies, c.GeoIP, c.PhishingFeeds, c.ShortenerLists, c.Model, c.Tenants, c.FailMode,
		c.CheckBudget, c.MaxMessageBodyBytes, c.DecisionLog.Masked(), c.Shadow}
}
