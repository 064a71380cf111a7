package filter

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/msgfilter/msgfilter/state"
)

// Shadow configures WithShadow. The zero value shadows every check through
// a queue of DefaultShadowQueue jobs.
type Shadow struct {
	// Every shadows one check in Every (0 or 1: every check). Sampling is
	// by count, so a test or a load of n checks shadows n/Every of them.
	Every int
	// Queue bounds the checks waiting for the candidate (0:
	// DefaultShadowQueue). A check that finds it full is not shadowed and
	// is counted as dropped: the live path never waits for the candidate.
	Queue int
}

// DefaultShadowQueue is the default bound of the shadow queue.
const DefaultShadowQueue = 1024

// WithShadow evaluates a candidate policy revision (the policy source of
// candidate, built once at New) beside the live one, so that an operator
// sees what a change would do under live traffic before switching it on.
//
// Each sampled check that decided (not invalid, not failed) is queued, with
// its time, after its decision is settled; one worker, started while there
// is work, checks it again on the candidate. The candidate reads the
// conversation state (opt-outs, windows, session counts) but never counts a
// message, so the store's counters stay the live engine's; it has no
// caches, metrics or decision log of its own. A live decision refused by a
// counter (SESSION_LIMIT, RATE_LIMIT or DUPLICATE_FLOOD added when the
// message was counted) is not compared: the candidate cannot see those.
//
// A difference in action or in reason codes is counted in
// shadow_differences_total{live,candidate,reason} (reason: the first code
// in one decision and not the other) and written to the decision log as
// the live decision's line with a "shadow" member holding the candidate's.
// shadow_checks_total{result} counts same, different, dropped (queue full)
// and failed (the candidate could not decide). The candidate does not
// follow reloads of the live revision.
func WithShadow(candidate fs.FS, cfg Shadow) Option {
	return func(o *options) { o.shadow, o.shadowCfg = candidate, cfg }
}

// shadow evaluates the candidate revision off the live path (shadow.go).
type shadow struct {
	cand    *Engine // no store writes, no caches, no observers
	queue   chan shadowJob
	every   uint64
	n       atomic.Uint64 // checks offered
	running atomic.Bool   // a worker is draining the queue
	ob      *observer     // the live engine's, for metrics and the log
}

// shadowJob is one live check to repeat on the candidate.
type shadowJob struct {
	msg  Message // with the live check's time
	live Decision
}

// newShadow builds the candidate engine of live from its resolved options.
func newShadow(live *Engine, o options) (*shadow, error) {
	ob := live.obs
	co := o
	co.policies, co.version = o.shadow, o.version
	co.shadow = nil
	co.registerer, co.decisionLog, co.logger, co.hook = nil, nil, nil, nil
	co.exactCacheBytes, co.factCacheBytes = 0, 0 // resolved: off
	if o.store != nil {
		co.store = readOnlyStore{o.store}
	}
	cand, err := build(co)
	if err != nil {
		return nil, err
	}
	// The model's online layer is the live one (the read-only store hides
	// its counts): the candidate scores reported campaigns as live does.
	cand.reports = live.reports
	q := o.shadowCfg.Queue
	if q <= 0 {
		q = DefaultShadowQueue
	}
	return &shadow{cand: cand, queue: make(chan shadowJob, q), every: uint64(max(o.shadowCfg.Every, 1)), ob: ob}, nil
}

// offer queues a settled live check for the candidate, or drops it when
// the queue is full. It never blocks.
func (s *shadow) offer(m *Message, now time.Time, d *Decision) {
	if s.n.Add(1)%s.every != 0 {
		return
	}
	j := shadowJob{msg: *m, live: *d}
	j.msg.Time = now
	select {
	case s.queue <- j:
	default:
		if s.ob != nil && s.ob.shadowDropped != nil {
			s.ob.shadowDropped.Inc() // bound once: the live path allocates nothing here
		}
		return
	}
	if s.running.CompareAndSwap(false, true) {
		go s.work()
	}
}

// work drains the queue, then exits: an idle engine keeps no goroutine.
func (s *shadow) work() {
	for {
		select {
		case j := <-s.queue:
			s.run(&j)
			continue
		default:
		}
		s.running.Store(false)
		// A job queued between the empty receive and the Store would wait
		// for the next offer: take it now, unless another worker did.
		if len(s.queue) == 0 || !s.running.CompareAndSwap(false, true) {
			return
		}
	}
}

// run checks one job on the candidate and reports a difference.
func (s *shadow) run(j *shadowJob) {
	if countedLimit(&j.live) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), max(s.cand.opts.budget, DefaultCheckBudget))
	defer cancel()
	cd, err := s.cand.Check(ctx, &j.msg)
	if err != nil {
		s.ob.shadowed("failed")
		return
	}
	reason, same := compareDecisions(&j.live, &cd)
	if same {
		s.ob.shadowed("same")
		return
	}
	s.ob.shadowed("different")
	s.ob.shadowDiffered(&j.msg, &j.live, &cd, reason)
}

// countedLimit reports whether d carries a reason added when the live
// check counted the message (conversation.go's count).
func countedLimit(d *Decision) bool {
	for _, r := range d.Reasons {
		// A channel pack's own SESSION_LIMIT rule shares the rule id: both
		// are left out rather than told apart.
		if r.Code == RateLimit && r.Rule == ruleRateLimit || r.Code == DuplicateFlood && r.Rule == ruleDuplicateFlood ||
			r.Code == SessionLimit && strings.HasSuffix(r.Rule, ruleSessionSuffix) {
			return true
		}
	}
	return false
}

// compareDecisions reports whether two decisions agree in action and
// reason codes, and otherwise the first code in one and not the other (""
// when only the action differs).
func compareDecisions(live, cand *Decision) (Code, bool) {
	codes := func(d *Decision) []Code {
		cs := make([]Code, len(d.Reasons))
		for i, r := range d.Reasons {
			cs[i] = r.Code
		}
		slices.Sort(cs)
		return slices.Compact(cs)
	}
	lc, cc := codes(live), codes(cand)
	if live.Action == cand.Action && slices.Equal(lc, cc) {
		return "", true
	}
	for _, c := range lc {
		if !slices.Contains(cc, c) {
			return c, false
		}
	}
	for _, c := range cc {
		if !slices.Contains(lc, c) {
			return c, false
		}
	}
	return "", false
}

// readOnlyStore lets the candidate read the conversation state and never
// change it: Consume answers from a Snapshot and counts nothing.
type readOnlyStore struct{ s state.Store }

func (r readOnlyStore) RecordInbound(context.Context, state.Inbound) error {
	return state.ErrInvalid // the candidate engine has no Inbound caller
}

func (r readOnlyStore) Snapshot(ctx context.Context, k state.Key, optOutSender string, now time.Time) (state.Snapshot, error) {
	return r.s.Snapshot(ctx, k, optOutSender, now)
}

func (r readOnlyStore) Consume(ctx context.Context, k state.Key, _ state.Limits, _ string, now time.Time) (state.Outcome, error) {
	snap, err := r.s.Snapshot(ctx, k, "", now)
	return state.Outcome{Snapshot: snap, Allowed: true}, err
}

// shadowMetrics registers the shadow's metrics with the observer's
// registry.
func (ob *observer) shadowMetrics(r prometheus.Registerer, ns string) error {
	ob.shadowChecks = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: ns, Name: "shadow_checks_total",
		Help: "Checks repeated on the shadow candidate, by result: same, different, dropped (queue full), failed.",
	}, []string{"result"})
	ob.shadowDiffs = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: ns, Name: "shadow_differences_total",
		Help: "Decisions of the shadow candidate that differ from the live ones, by live and candidate action and the first differing reason code.",
	}, []string{"live", "candidate", "reason"})
	ob.shadowDropped = ob.shadowChecks.WithLabelValues("dropped")
	for _, c := range []prometheus.Collector{ob.shadowChecks, ob.shadowDiffs} {
		if err := r.Register(c); err != nil {
			return err
		}
	}
	return nil
}

func (ob *observer) shadowed(result string) {
	if ob != nil && ob.shadowChecks != nil {
		ob.shadowChecks.WithLabelValues(result).Inc()
	}
}

func (ob *observer) shadowDiffered(m *Message, live, cand *Decision, reason Code) {
	if ob == nil {
		return
	}
	if ob.shadowDiffs != nil {
		ob.shadowDiffs.WithLabelValues(string(live.Action), string(cand.Action), string(reason)).Inc()
	}
	if ob.logW != nil {
		ob.logRecord(ob.record(m, live, nil, 0, cand))
	}
}
