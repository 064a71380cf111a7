package filter

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/geo/countrydb"
	"github.com/msgfilter/msgfilter/rules"
	"github.com/msgfilter/msgfilter/state"
)

// tinyPolicy is a one-rule policy source that refuses one message kind, with
// a Rego test that expects wantRefused to be refused. Reloading it takes
// milliseconds, so tests can reload it a hundred times.
func tinyPolicy(refused, wantRefused string) fstest.MapFS {
	return fstest.MapFS{
		"global/global.rego": {Data: []byte(`package msgfilter.global

# METADATA
# title: Kinds this deployment refuses
# related_resources:
#   - ref: https://example.org/policy
# custom:
#   id: global/kind
#   effective: "2026-01-01"
reasons contains r if {
	input.message.kind in data.global.refused_kinds
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/kind", "evidence": input.message.kind}
}
`)},
		"global/data.json": {Data: []byte(`{"refused_kinds": ["` + refused + `"]}`)},
		"global/global_test.rego": {Data: []byte(`package msgfilter.global_test

import data.msgfilter.global

test_refused_kind_blocked if {
	some r in global.reasons with input as {"message": {"kind": "` + wantRefused + `"}}
	r.code == "PROMOTIONAL_NOT_ALLOWED"
}

test_transactional_allowed if {
	count(global.reasons) == 0 with input as {"message": {"kind": "transactional"}}
}
`)},
	}
}

var (
	policyA = tinyPolicy("promotional", "promotional") // refuses promotional
	policyB = tinyPolicy("otp", "otp")                 // refuses otp
)

func promo() *Message {
	return &Message{ID: "p1", Channel: SMS, Kind: Promotional, Sender: "Shop", Recipient: "+37491123456", Body: "Sale", Time: tuesday}
}

func revisionOf(t testing.TB, fsys fs.FS) string {
	t.Helper()
	s, err := rules.Load(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s.Revision()
}

func mustCheck(t testing.TB, e *Engine, m *Message) Decision {
	t.Helper()
	d, err := e.Check(context.Background(), m)
	if err != nil {
		t.Fatalf("Check(%s): %v", m.ID, err)
	}
	return d
}

func TestReloadSwapsAndRollsBack(t *testing.T) {
	var events []ReloadEvent
	e := newEngine(t, WithPolicies(policyA), WithReloadHook(func(ev ReloadEvent) { events = append(events, ev) }))
	revA, revB := revisionOf(t, policyA), revisionOf(t, policyB)
	if err := e.Rollback(); !errors.Is(err, ErrNoPrevious) {
		t.Fatalf("Rollback before a reload = %v, want ErrNoPrevious", err)
	}
	steps := []struct {
		name   string
		do     func() error
		rev    string
		action Action // of a promotional message
	}{
		{"initial", func() error { return nil }, revA, Block},
		{"reload B", func() error { return e.Reload(context.Background(), policyB) }, revB, Allow},
		{"rollback to A", e.Rollback, revA, Block},
		{"rollback undone", e.Rollback, revB, Allow},
		{"reload A again", func() error { return e.Reload(context.Background(), policyA) }, revA, Block},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		d := mustCheck(t, e, promo())
		if d.Revision != s.rev || d.Action != s.action || e.Revision() != s.rev {
			t.Errorf("%s: Check = %s by %s (engine at %s), want %s by %s", s.name, d.Action, d.Revision, e.Revision(), s.action, s.rev)
		}
	}
	if len(events) != 4 || events[1].Source != "rollback" || events[1].Revision != revA || events[1].Previous != revB {
		t.Errorf("reload events = %+v, want 4 with the first rollback from B to A", events)
	}
}

func TestReloadRefusesBrokenSets(t *testing.T) {
	broken := func(edit func(fstest.MapFS)) fstest.MapFS {
		fsys := tinyPolicy("otp", "otp")
		edit(fsys)
		return fsys
	}
	tests := []struct {
		name string
		fsys fs.FS
		want error // nil: any error
	}{
		{"rego syntax error", broken(func(f fstest.MapFS) {
			f["global/global.rego"].Data = []byte("package msgfilter.global\n\nreasons contains r if {")
		}), nil},
		{"failing rego test", tinyPolicy("otp", "promotional"), ErrPolicyTests},
		{"network built-in", broken(func(f fstest.MapFS) {
			f["global/net.rego"] = &fstest.MapFile{Data: []byte("package msgfilter.global\n\nx := http.send({\"method\": \"get\", \"url\": \"http://example.org\"})\n")}
		}), nil},
		{"empty source", fstest.MapFS{}, rules.ErrNoPolicies},
		{"data.json not an object", broken(func(f fstest.MapFS) { f["global/data.json"].Data = []byte(`[1]`) }), nil},
	}
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	var events []ReloadEvent
	e := newEngine(t, WithPolicies(policyA), WithMetrics(reg),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))),
		WithReloadHook(func(ev ReloadEvent) { events = append(events, ev) }))
	revA := e.Revision()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := e.Reload(context.Background(), tt.fsys)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Reload = %v, want %v", err, tt.want)
			}
			if d := mustCheck(t, e, promo()); d.Revision != revA || d.Action != Block {
				t.Errorf("after a refused reload Check = %s by %s, want block by %s", d.Action, d.Revision, revA)
			}
			if len(events) != i+1 || events[i].Err == nil || events[i].Previous != revA {
				t.Errorf("hook events = %+v, want a failure from %s", events, revA)
			}
		})
	}
	if got := counterValue(e.obs.reloads.WithLabelValues("failed")); got != float64(len(tests)) {
		t.Errorf("reloads_total{result=failed} = %v, want %d", got, len(tests))
	}
	if !strings.Contains(logs.String(), "policy reload refused") {
		t.Errorf("log = %q, want the refused reloads", logs.String())
	}
}

// writeGeoDB builds a MaxMind DB mapping 203.0.113.0/24 (documentation
// space is reserved, so use 8.8.8.0/24) to cc.
func writeGeoDB(t *testing.T, path, cc string) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := countrydb.FromCSV(&buf, strings.NewReader("8.8.8.0,8.8.8.255,"+cc+"\n")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReloadReopensGeoIPAndFeed(t *testing.T) {
	dir := t.TempDir()
	dbPath, feedPath := filepath.Join(dir, "geo.mmdb"), filepath.Join(dir, "feed.txt")
	writeGeoDB(t, dbPath, "AM")
	write := func(path, s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(feedPath, "evil-login.example\n")
	e := newEngine(t, WithPolicies(policyA), WithGeoIP(dbPath), WithPhishingFeed(feedPath))
	msg := func() *Message {
		m := promo()
		m.Kind, m.SourceIP, m.Body = Transactional, "8.8.8.8", "see https://evil-login.example/x"
		return m
	}
	look := func() (string, bool) {
		t.Helper()
		x, err := e.Explain(context.Background(), msg())
		if err != nil {
			t.Fatal(err)
		}
		return x.Facts.Source.Country, len(x.Facts.Links) == 1 && x.Facts.Links[0].Phishing
	}
	steps := []struct {
		name     string
		edit     func()
		wantErr  error
		country  string
		phishing bool
	}{
		{"initial", func() {}, nil, "AM", true},
		{"new database", func() { writeGeoDB(t, dbPath, "AE") }, nil, "AE", true},
		{"database vanished", func() { os.Remove(dbPath) }, fs.ErrNotExist, "AE", true},
		{"database corrupt", func() { write(dbPath, "this is not a maxmind database") }, geo.ErrCorruptDB, "AE", true},
		{"database truncated", func() { writeGeoDB(t, dbPath, "AM"); b, _ := os.ReadFile(dbPath); write(dbPath, string(b[:len(b)/2])) }, geo.ErrCorruptDB, "AE", true},
		{"database back", func() { writeGeoDB(t, dbPath, "AM") }, nil, "AM", true},
		{"feed vanished", func() { os.Remove(feedPath) }, fs.ErrNotExist, "AM", true},
		{"feed corrupt", func() { write(feedPath, strings.Repeat("x", 2<<20)) }, nil, "AM", true},
		{"feed without the domain", func() { write(feedPath, "other.example\n") }, nil, "AM", false},
	}
	for _, s := range steps {
		s.edit()
		err := e.Reload(context.Background(), nil)
		switch {
		case s.name == "initial":
		case s.wantErr == nil && s.name != "feed corrupt" && err != nil:
			t.Errorf("%s: Reload = %v, want nil", s.name, err)
		case s.name == "feed corrupt" && err == nil:
			t.Errorf("%s: Reload = nil, want an error", s.name)
		case s.wantErr != nil && !errors.Is(err, s.wantErr):
			t.Errorf("%s: Reload = %v, want %v", s.name, err, s.wantErr)
		}
		if cc, phish := look(); cc != s.country || phish != s.phishing {
			t.Errorf("%s: source country, phishing = %s, %v; want %s, %v", s.name, cc, phish, s.country, s.phishing)
		}
	}
}

func TestCheckDeadline(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		opts   []Option
		action Action
		code   Code // "" for a normal decision
	}{
		{"caller's deadline passed, fail closed", expired, nil, Block, EngineTimeout},
		{"caller's deadline passed, fail open", expired, []Option{WithFailMode(FailOpen)}, Allow, EngineTimeout},
		{"default budget used up, fail closed", context.Background(), []Option{WithCheckBudget(time.Nanosecond)}, Block, EngineTimeout},
		{"default budget used up, fail open", context.Background(), []Option{WithCheckBudget(time.Nanosecond), WithFailMode(FailOpen)}, Allow, EngineTimeout},
		{"default budget is enough", context.Background(), nil, Block, PromotionalNotAllowed},
		{"no budget at all", context.Background(), []Option{WithCheckBudget(-1)}, Block, PromotionalNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEngine(t, append([]Option{WithPolicies(policyA)}, tt.opts...)...)
			d, err := e.Check(tt.ctx, promo())
			if tt.code == EngineTimeout && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Check error = %v, want DeadlineExceeded", err)
			}
			if tt.code != EngineTimeout && err != nil {
				t.Errorf("Check error = %v, want nil", err)
			}
			if d.Action != tt.action || len(d.Reasons) != 1 || d.Reasons[0].Code != tt.code {
				t.Errorf("Check = %s %v, want %s [%s]", d.Action, codes(d), tt.action, tt.code)
			}
		})
	}
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("disk on fire") }

// panicStore is a state store whose reads panic, as a faulty custom store
// might.
type panicStore struct{ state.Store }

func (panicStore) Snapshot(context.Context, state.Key, string, time.Time) (state.Snapshot, error) {
	panic("store on fire")
}

func TestZeroEngine(t *testing.T) {
	var zero Engine // not made by New
	d, err := zero.Check(context.Background(), promo())
	if !errors.Is(err, ErrZeroEngine) || d.Action != Block || d.ID != "p1" || len(d.Reasons) != 1 || d.Reasons[0].Code != EngineError {
		t.Errorf("zero Engine Check = %+v, %v; want block with ENGINE_ERROR and ErrZeroEngine", d, err)
	}
	x, err := zero.Explain(context.Background(), promo())
	if !errors.Is(err, ErrZeroEngine) || x.Decision.Action != Block {
		t.Errorf("zero Engine Explain = %+v, %v; want block and ErrZeroEngine", x.Decision, err)
	}
	if _, err := zero.Inbound(context.Background(), stateInbound(SMS, "STOP", tuesday)); !errors.Is(err, ErrZeroEngine) {
		t.Errorf("zero Engine Inbound = %v, want ErrZeroEngine", err)
	}
	if err := zero.Reload(context.Background(), policyA); !errors.Is(err, ErrZeroEngine) {
		t.Errorf("zero Engine Reload = %v, want ErrZeroEngine", err)
	}
	if err := zero.Rollback(); !errors.Is(err, ErrZeroEngine) {
		t.Errorf("zero Engine Rollback = %v, want ErrZeroEngine", err)
	}
}

func TestCheckRecoversPanics(t *testing.T) {
	for _, mode := range []FailMode{FailClosed, FailOpen} {
		e := newEngine(t, WithPolicies(policyA), WithStore(panicStore{}), WithFailMode(mode))
		d, err := e.Check(context.Background(), promo())
		want := map[FailMode]Action{FailClosed: Block, FailOpen: Allow}[mode]
		if !errors.Is(err, ErrPanic) || d.Action != want || d.ID != "p1" || len(d.Reasons) != 1 || d.Reasons[0].Code != EngineError {
			t.Errorf("Check with a panicking store, fail mode %v = %+v, %v; want %s with ENGINE_ERROR and ErrPanic", mode, d, err, want)
		}
	}
	e := newEngine(t, WithPolicies(policyA), WithDecisionLog(panicWriter{}))
	if d := mustCheck(t, e, promo()); d.Action != Block {
		t.Errorf("with a panicking decision log Check = %s, want block", d.Action)
	}
}

func TestCheckBodyAtCap(t *testing.T) {
	e := newEngine(t, WithMaxBodyBytes(1000))
	tests := []struct {
		name    string
		body    string
		wantErr bool
	}{
		{"ascii at the cap", strings.Repeat("a", 1000), false},
		{"multi-byte at the cap", strings.Repeat("ä", 500), false},
		{"one byte over", strings.Repeat("a", 1001), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := promo()
			m.Kind, m.Body = Transactional, tt.body
			_, err := e.Check(context.Background(), m)
			if (err != nil) != tt.wantErr || tt.wantErr && !errors.Is(err, ErrInvalidMessage) {
				t.Errorf("Check(%d bytes) error = %v, want error %v", len(tt.body), err, tt.wantErr)
			}
		})
	}
	big := newEngine(t) // the real packs, the default cap
	m := &Message{Channel: SMS, Kind: Promotional, Sender: "AD-Noon", Recipient: "+971501234567", Time: tuesday,
		Body: strings.Repeat("Casino jackpot https://bit.ly/x vote 0501234567 ", DefaultMaxBodyBytes/48+1)[:DefaultMaxBodyBytes]}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	d, err := big.Check(ctx, m)
	if err != nil || d.Action != Block {
		t.Errorf("Check(body at %d bytes) = %s, %v; want block", len(m.Body), d.Action, err)
	}
	t.Logf("a %d-byte body took %v", len(m.Body), time.Since(start))
}

func TestConcurrentChecksDuringReloads(t *testing.T) {
	const checks, reloads, workers = 10000, 100, 32
	e := newEngine(t, WithPolicies(policyA))
	revA, revB := revisionOf(t, policyA), revisionOf(t, policyB)
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	var next, bad atomic.Int64
	var maxLatency atomic.Int64
	done := make(chan struct{})
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= checks {
				start := time.Now()
				d, err := e.Check(context.Background(), promo())
				if l := int64(time.Since(start)); l > maxLatency.Load() {
					maxLatency.Store(l)
				}
				// Each revision must decide as a whole: A blocks promotional, B allows it.
				ok := err == nil && (d.Revision == revA && d.Action == Block || d.Revision == revB && d.Action == Allow)
				if !ok {
					if bad.Add(1) == 1 {
						t.Errorf("Check during reload = %s by %s, %v", d.Action, d.Revision, err)
					}
				}
			}
		}()
	}
	go func() {
		defer close(done)
		for i := range reloads {
			src := policyA
			if i%2 == 0 {
				src = policyB
			}
			if err := e.Reload(context.Background(), src); err != nil {
				t.Errorf("reload %d: %v", i, err)
				return
			}
		}
	}()
	wg.Wait()
	<-done
	if bad.Load() != 0 {
		t.Errorf("%d checks of %d were wrong", bad.Load(), checks)
	}
	t.Logf("max check latency during reloads: %v", time.Duration(maxLatency.Load()))
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		t.Errorf("goroutines = %d after the run, %d before: a leak", n, before)
	}
}

func TestMetricsAndDecisionLog(t *testing.T) {
	reg := prometheus.NewRegistry()
	var masked, plain bytes.Buffer
	e := newEngine(t, WithPolicies(policyA), WithMetrics(reg), WithDecisionLog(&masked))
	m := &Message{ID: "otp-1", Channel: SMS, Kind: OTP, Sender: "+37410123456", Recipient: "+37491123456", Body: "Your code is 482913", Time: tuesday}
	mustCheck(t, e, m)
	mustCheck(t, e, promo())
	if _, err := e.Check(context.Background(), &Message{Channel: "fax"}); err == nil {
		t.Fatal("Check(fax) = nil error")
	}
	for _, c := range []struct {
		name string
		c    prometheus.Counter
		want float64
	}{
		{"checks{allow,AM}", e.obs.checks.WithLabelValues("allow", "AM", ""), 1},
		{"checks{block,AM,PROMOTIONAL_NOT_ALLOWED}", e.obs.checks.WithLabelValues("block", "AM", "PROMOTIONAL_NOT_ALLOWED"), 1},
		{"errors{invalid}", e.obs.errors.WithLabelValues("invalid"), 1},
	} {
		if got := counterValue(c.c); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	var h dto.Metric
	if err := e.obs.latency.Write(&h); err != nil || h.GetHistogram().GetSampleCount() != 3 {
		t.Errorf("latency histogram count = %d (%v), want 3", h.GetHistogram().GetSampleCount(), err)
	}
	if fams, err := reg.Gather(); err != nil || len(fams) < 4 {
		t.Errorf("Gather = %d families, %v; want the engine's metrics", len(fams), err)
	}
	lines := strings.Split(strings.TrimSpace(masked.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("decision log has %d lines, want 3:\n%s", len(lines), masked.String())
	}
	for _, secret := range []string{"482913", "91123456", "10123456", "Your code"} {
		if strings.Contains(masked.String(), secret) {
			t.Errorf("masked decision log contains %q:\n%s", secret, masked.String())
		}
	}
	if !strings.Contains(lines[0], `"id":"otp-1"`) || !strings.Contains(lines[0], `"recipient":"+37*******56"`) {
		t.Errorf("decision log line = %s, want the id and a masked recipient", lines[0])
	}
	u := newEngine(t, WithPolicies(policyA), WithDecisionLog(&plain), WithDecisionLogMasking(MaskOff))
	mustCheck(t, u, m)
	if !strings.Contains(plain.String(), "+37491123456") {
		t.Errorf("unmasked decision log = %s, want the recipient", plain.String())
	}
	if _, err := New(WithPolicies(policyA), WithMetrics(reg)); err == nil {
		t.Errorf("New with metrics registered twice = nil error, want one")
	}
}

func counterValue(c prometheus.Counter) float64 {
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		return -1
	}
	return m.GetCounter().GetValue()
}
