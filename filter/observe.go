package filter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/msgfilter/msgfilter/internal/mask"
)

// ErrPanic is matched (errors.Is) by the error Check returns when a stage
// panicked: the panic is recovered, the decision follows the fail mode and
// carries ENGINE_ERROR.
var ErrPanic = errors.New("filter: panic during check")

// ReloadEvent reports one Reload, ReloadBundle or Rollback to the hook of
// WithReloadHook, the log and the metrics.
type ReloadEvent struct {
	Source   string        // "fs", "bundle", "watch", "poll" or "rollback"
	Revision string        // the revision now deciding; "" when Err is set
	Previous string        // the revision that decided before
	Err      error         // why the reload was refused; the previous revision stays
	Duration time.Duration // to build and test the revision
}

// observer holds what checks and reloads report to: metrics, the log and the
// decision log. It only observes: it never changes a decision. A nil or zero
// observer reports nothing.
type observer struct {
	checks    *prometheus.CounterVec // action, country, reason[, tenant]
	tenants   map[string]bool        // tenant label values, with WithTenantMetrics; nil: no tenant label
	latency   prometheus.Histogram   // seconds
	cacheHits *prometheus.CounterVec // level
	errors    *prometheus.CounterVec // kind
	reloads   *prometheus.CounterVec // result
	revision  *prometheus.GaugeVec   // revision; 1 for the one deciding
	lastLoad  prometheus.Gauge       // unix seconds of the last successful reload
	logger    *slog.Logger
	logMu     sync.Mutex // one decision-log line per Write
	logW      io.Writer
	logBuf    []byte
	masked    bool // mask.Text the decision log

	shadowChecks  *prometheus.CounterVec // result (shadow.go)
	shadowDiffs   *prometheus.CounterVec // live, candidate, reason
	shadowDropped prometheus.Counter     // shadowChecks{result="dropped"}
}

// newObserver registers the metrics; a nil Registerer registers none.
func newObserver(o options) (*observer, error) {
	ob := &observer{logW: o.decisionLog, logger: o.logger, masked: o.masking == MaskNumbers}
	if o.registerer == nil {
		return ob, nil
	}
	ns := o.namespace
	labels := []string{"action", "country", "reason"}
	if o.tenantMetrics {
		labels = append(labels, "tenant")
		ob.tenants = map[string]bool{}
		for name := range o.tenants {
			ob.tenants[name] = true
		}
	}
	ob.checks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: ns, Name: "checks_total",
		Help: "Checks decided, by action, destination country and deciding reason code (errors included, with the fail mode's action and ENGINE_ERROR or ENGINE_TIMEOUT).",
	}, labels)
	ob.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Namespace: ns, Name: "check_duration_seconds",
		Help:    "Time to decide one message.",
		Buckets: prometheus.ExponentialBuckets(5e-6, 2.5, 12), // 5 µs .. ~300 ms
	})
	ob.cacheHits = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: ns, Name: "cache_hits_total",
		Help: "Checks answered from a decision cache.",
	}, []string{"level"})
	ob.errors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: ns, Name: "check_errors_total",
		Help: "Checks that could not decide, by kind: invalid, timeout, panic, engine.",
	}, []string{"kind"})
	ob.reloads = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: ns, Name: "reloads_total",
		Help: "Policy reloads and rollbacks, by result: ok or failed.",
	}, []string{"result"})
	ob.revision = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: ns, Name: "policy_revision",
		Help: "1 for the policy revision deciding.",
	}, []string{"revision"})
	ob.lastLoad = prometheus.NewGauge(prometheus.GaugeOpts{
		Namespace: ns, Name: "policy_loaded_timestamp_seconds",
		Help: "When the deciding revision was loaded.",
	})
	for _, c := range []prometheus.Collector{ob.checks, ob.latency, ob.cacheHits, ob.errors, ob.reloads, ob.revision, ob.lastLoad} {
		if err := o.registerer.Register(c); err != nil {
			return nil, fmt.Errorf("filter: metrics: %w", err)
		}
	}
	if o.shadow != nil {
		if err := ob.shadowMetrics(o.registerer, ns); err != nil {
			return nil, fmt.Errorf("filter: metrics: %w", err)
		}
	}
	return ob, nil
}

// loaded records the revision now deciding.
func (ob *observer) loaded(rev string) {
	if ob == nil || ob.revision == nil {
		return
	}
	ob.revision.Reset()
	ob.revision.WithLabelValues(rev).Set(1)
	ob.lastLoad.SetToCurrentTime()
}

// reported tells the hook, the log and the metrics about a reload.
func (e *Engine) reported(ev ReloadEvent) {
	ob := e.obs
	result := "ok"
	if ev.Err != nil {
		result = "failed"
	}
	if ob != nil && ob.reloads != nil {
		ob.reloads.WithLabelValues(result).Inc()
	}
	if ev.Err == nil {
		ob.loaded(ev.Revision)
	}
	if l := e.opts.logger; l != nil {
		if ev.Err != nil {
			l.Error("policy reload refused; the running revision stays", "source", ev.Source,
				"revision", ev.Previous, "error", ev.Err, "duration", ev.Duration)
		} else {
			l.Info("policy revision loaded", "source", ev.Source, "revision", ev.Revision,
				"previous", ev.Previous, "duration", ev.Duration)
		}
	}
	if h := e.opts.hook; h != nil {
		func() {
			defer func() { _ = recover() }() // a faulty hook must not take the reloader down
			h(ev)
		}()
	}
}

// timed reports whether the observer needs each check's latency.
func (ob *observer) timed() bool {
	return ob != nil && (ob.checks != nil || ob.logW != nil)
}

// panicked logs a recovered panic with its stack.
func (ob *observer) panicked(l *slog.Logger, err error) {
	if l != nil {
		l.Error("check panicked", "error", err, "stack", string(debug.Stack()))
	}
}

// checked reports a settled check of m (to dest, "" when invalid) to the
// metrics, the log and the decision log.
func (ob *observer) checked(m *Message, dest string, start time.Time, d *Decision, err error) {
	if ob == nil {
		return
	}
	kind := ""
	switch {
	case err == nil:
	case errors.Is(err, ErrInvalidMessage):
		kind = "invalid"
	case errors.Is(err, ErrPanic):
		kind = "panic"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		kind = "timeout"
	default:
		kind = "engine"
	}
	if ob.checks == nil && ob.logW == nil && (ob.logger == nil || kind == "" || kind == "invalid") {
		return
	}
	var elapsed time.Duration
	if !start.IsZero() {
		elapsed = time.Since(start)
	}
	if ob.checks != nil {
		country := dest
		if country == "" && m != nil {
			country = strings.ToUpper(m.Country)
		}
		ob.latency.Observe(elapsed.Seconds())
		if kind != "" {
			ob.errors.WithLabelValues(kind).Inc()
		}
		if d.Action != "" {
			reason := string(decidingCode(d))
			if ob.tenants != nil {
				ob.checks.WithLabelValues(string(d.Action), country, reason, ob.tenantLabel(m)).Inc()
			} else {
				ob.checks.WithLabelValues(string(d.Action), country, reason).Inc()
			}
		}
		if d.Cache != "" {
			ob.cacheHits.WithLabelValues(d.Cache).Inc()
		}
	}
	if ob.logger != nil && kind != "" && kind != "invalid" {
		ob.logger.Warn("check could not decide", "id", d.ID, "kind", kind, "action", d.Action, "error", err)
	}
	if ob.logW != nil {
		ob.logDecision(m, d, err, elapsed)
	}
}

// decidingCode is the code of the reason that sets d's action: the first
// reason whose code's default action is the strongest ("" for none). A
// pack may override a code's action; the label then still names the code
// that carries the decision by default, which is what a dashboard groups.
func decidingCode(d *Decision) Code {
	var code Code
	best := -1
	for _, r := range d.Reasons {
		if s := r.Code.DefaultAction().strength(); s > best {
			code, best = r.Code, s
		}
	}
	return code
}

// tenantLabel is the tenant label of m: a configured tenant's id (its
// name in lower case, as tenants are matched), "" for none, and "other"
// for any other name, so that the label's values are bounded by the
// configuration, not by what requests carry.
func (ob *observer) tenantLabel(m *Message) string {
	if m == nil || m.Tenant == "" {
		return ""
	}
	if id := tenantID(m.Tenant); ob.tenants[id] {
		return id
	}
	return "other"
}

// decisionRecord is one line of the decision log.
type decisionRecord struct {
	Time      time.Time `json:"time"`
	ID        string    `json:"id"`
	Channel   Channel   `json:"channel,omitempty"`
	Kind      Kind      `json:"kind,omitempty"`
	Country   string    `json:"country,omitempty"`
	Tenant    string    `json:"tenant,omitempty"`
	Sender    string    `json:"sender,omitempty"`
	Recipient string    `json:"recipient,omitempty"`
	Action    Action    `json:"action,omitempty"`
	Reasons   []Reason  `json:"reasons,omitempty"`
	Until     time.Time `json:"until,omitzero"`
	Revision  string    `json:"revision,omitempty"`
	Cached    bool      `json:"cached,omitempty"`
	Micros    int64     `json:"micros"`
	Error     string    `json:"error,omitempty"`
	// Shadow is the candidate's decision where it differs from this one
	// (WithShadow).
	Shadow *shadowRecord `json:"shadow,omitempty"`
}

// shadowRecord is a shadow candidate's decision in the decision log.
type shadowRecord struct {
	Action   Action    `json:"action"`
	Reasons  []Reason  `json:"reasons"`
	Until    time.Time `json:"until,omitzero"`
	Revision string    `json:"revision"`
}

// logDecision writes one JSON line. The body is never logged; numbers in
// every script (phone numbers, OTP-like codes) and e-mail addresses in the
// sender, recipient, evidence and error are masked with internal/mask
// unless WithDecisionLogMasking says MaskOff.
func (ob *observer) logDecision(m *Message, d *Decision, err error, elapsed time.Duration) {
	ob.logRecord(ob.record(m, d, err, elapsed, nil))
}

// record is the decision log's line for a check of m, with the shadow
// candidate's decision when it differs (nil otherwise), masked unless
// MaskOff.
func (ob *observer) record(m *Message, d *Decision, err error, elapsed time.Duration, cand *Decision) *decisionRecord {
	r := &decisionRecord{
		Time: time.Now().UTC(), ID: d.ID, Action: d.Action, Until: d.Until,
		Revision: d.Revision, Cached: d.Cached, Micros: elapsed.Microseconds(),
	}
	if m != nil {
		r.Channel, r.Kind, r.Country, r.Tenant, r.Sender, r.Recipient = m.Channel, m.Kind, strings.ToUpper(m.Country), m.Tenant, m.Sender, m.Recipient
	}
	r.Reasons = ob.reasons(d.Reasons)
	if err != nil {
		r.Error = err.Error()
	}
	if cand != nil {
		r.Shadow = &shadowRecord{Action: cand.Action, Reasons: ob.reasons(cand.Reasons), Until: cand.Until, Revision: cand.Revision}
		if r.Shadow.Reasons == nil {
			r.Shadow.Reasons = []Reason{}
		}
	}
	if ob.masked {
		r.Sender, r.Recipient, r.Error = mask.Text(r.Sender), mask.Text(r.Recipient), mask.Text(r.Error)
	}
	return r
}

// reasons copies reasons for the log, their evidence masked unless
// MaskOff; nil for none.
func (ob *observer) reasons(rs []Reason) []Reason {
	if len(rs) == 0 {
		return nil
	}
	out := make([]Reason, len(rs))
	copy(out, rs)
	if ob.masked {
		for i := range out {
			out[i].Evidence = mask.Text(out[i].Evidence)
		}
	}
	return out
}

// logRecord writes one JSON line.
func (ob *observer) logRecord(r *decisionRecord) {
	ob.logMu.Lock()
	defer ob.logMu.Unlock()
	defer func() { _ = recover() }() // a panicking writer must not fail checks
	buf := ob.logBuf[:0]
	line, jerr := json.Marshal(r)
	if jerr != nil {
		return
	}
	buf = append(append(buf, line...), '\n')
	ob.logW.Write(buf) // a decision log that fails must not fail checks
	ob.logBuf = buf
}
