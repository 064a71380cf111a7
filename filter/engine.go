package filter

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/rules"
)

// ErrZeroEngine is returned by the methods of an Engine not made by New.
var ErrZeroEngine = errors.New("filter: Engine not made by New")

// Engine decides whether messages may be sent. New does all the expensive
// work (compiling policies, building matchers); Check reads them, and writes
// only the decision caches and, for a message it lets through, the
// conversation counters (session, rate, flood): checking the same message
// twice counts it twice. An Engine is safe for concurrent use. Its zero
// value decides nothing: its methods return ErrZeroEngine (Check with the
// fail mode's decision).
type Engine struct {
	opts     options
	numbers  *geo.Numbers           // senders, and recipients with their time zones, cached per number
	obs      *observer              // metrics and decision log (observe.go)
	reloadMu sync.Mutex             // serializes reloads (reload.go)
	prev     atomic.Pointer[policy] // the revision replaced last, for Rollback
	exact    *decisionCache         // nil when turned off
	cacheNow *cacheClock            // the decision caches' clock (cache.go)
	facts    *decisionCache         // nil when turned off
	template *templateCache         // nil when turned off (template.go)
	clocks   *clockCache            // recent checks' time facts (cache.go); nil when turned off
	policy   atomic.Pointer[policy] // the revision deciding (revision.go)
	conv     *conversations         // conversation state (conversation.go); nil without a store
	model    *model.Model           // the content model (model.go)
	reports  *reports               // its online layer, from Report

	// The bundle versions of the revision deciding and of prev (zero for
	// a directory or the embedded packs), for rules.CheckUpgrade; guarded
	// by reloadMu (reload.go).
	version, prevVersion rules.BundleVersion
	shadow               *shadow // the candidate of WithShadow (shadow.go); nil without one
}

// New compiles the policies and returns a ready Engine. A policy source that
// fails to load is an error: a *rules.LoadError listing every problem in the
// Rego and data.json files, or a *rules.PolicyError for the first problem in
// a file Go reads (term lists, lookup files, time zones, limits, reason
// codes); a missing or corrupt GeoIP database or phishing feed is an error
// too, and so is a model file that cannot be loaded (*ModelError).
func New(opts ...Option) (*Engine, error) {
	return build(resolveOptions(opts))
}

// build is New on resolved options (the shadow candidate's too).
func build(o options) (*Engine, error) {
	if o.tenantErr != nil {
		return nil, o.tenantErr
	}
	clk := newCacheClock(o.clock())
	e := &Engine{
		opts:     o,
		cacheNow: clk,
		numbers:  geo.NewNumbers(0),
		exact:    newExactCache(o.exactCacheBytes, exactTTL, clk),
		facts:    newDecisionCache(o.factCacheBytes, 0, clk),
		template: newTemplateCache(o.factCacheBytes),
		clocks:   newClockCache(o.factCacheBytes),
		conv:     newConversations(o.store),
		reports:  newReports(o.store),
	}
	var err error
	if e.model, err = loadModel(o.modelPath); err != nil {
		return nil, err
	}
	if e.obs, err = newObserver(o); err != nil {
		return nil, err
	}
	e.numbers.Warm() // the first US recipient would otherwise load libphonenumber's geocoding data
	p, err := e.loadRevision(context.Background(), o.policies, false)
	if err != nil {
		return nil, err
	}
	e.policy.Store(p)
	e.version = o.version
	e.obs.loaded(p.revision)
	if o.shadow != nil {
		if e.shadow, err = newShadow(e, o); err != nil {
			return nil, fmt.Errorf("filter: shadow candidate: %w", err)
		}
	}
	return e, nil
}

// ProtocolStatus is what a reason code means to a gateway protocol: the
// SMPP command_status to answer a submit_sm with and the HTTP status to
// answer an HTTP submission with (DESIGN.md, "Protocol mapping").
type ProtocolStatus struct {
	SMPP uint32 `json:"smpp"`
	HTTP int    `json:"http"`
}

// ProtocolMapping returns the running revision's overrides of the
// protocol statuses by reason code: the global pack's data.json
// "protocol_mapping", e.g. {"QUIET_HOURS": {"smpp": 100, "http": 429}}. It
// is nil when the pack sets none, and shared: do not modify it. A pack
// with an unknown code or an impossible HTTP status fails to load. Safe for
// concurrent use.
func (e *Engine) ProtocolMapping() map[Code]ProtocolStatus {
	if p := e.policy.Load(); p != nil {
		return p.global.protocol
	}
	return nil
}

// Revision returns the revision of the policies in use ("" for a zero
// Engine).
func (e *Engine) Revision() string {
	if p := e.policy.Load(); p != nil {
		return p.revision
	}
	return ""
}

// Check decides on one message. A message the policies refuse is a Decision
// with Action Block, Review or Defer and a nil error. A non-nil error means
// the engine could not decide: a *ValidationError for bad input (the
// Decision then carries only the message's id), or a failure (evaluation,
// state store, deadline, panic) for which the Decision follows the fail mode
// (see WithFailMode) and carries ENGINE_ERROR, or ENGINE_TIMEOUT when the
// check's deadline passed. Check is safe for concurrent use.
func (e *Engine) Check(ctx context.Context, m *Message) (d Decision, err error) {
	var c check
	e.startCheck(&c, ctx, m, false)
	defer func() { err = c.finish(&d, m, err, recover()) }()
	return Decision{}, c.run()
}

// Explanation is a decision with what led to it.
type Explanation struct {
	Decision Decision `json:"decision"`
	// Facts is the input document the policies evaluated.
	Facts Facts `json:"facts"`
	// Rules are the titles of the rules that fired, by rule id.
	Rules map[string]string `json:"rules,omitempty"`
}

// Explain is Check that also returns the facts and the titles of the rules
// that fired, for "why was this blocked?". It never answers from the exact
// cache, so that the facts are always there.
func (e *Engine) Explain(ctx context.Context, m *Message) (x Explanation, err error) {
	var c check
	e.startCheck(&c, ctx, m, true)
	defer func() {
		err = c.finish(&x.Decision, m, err, recover())
		x.Facts = c.facts
		for _, r := range x.Decision.Reasons {
			if cit, ok := c.p.citation(r.Rule); ok {
				if x.Rules == nil {
					x.Rules = map[string]string{}
				}
				x.Rules[r.Rule] = cit.Title
			}
		}
	}()
	return Explanation{}, c.run()
}

// finish settles the check of m into d, reports it to the observers and
// releases what it borrowed. It runs in Check's deferred function and must
// not panic. The decision is written in place, into the caller's result:
// returned by value it was copied four times, a twentieth of an exact-cache
// hit.
func (c *check) finish(d *Decision, m *Message, err error, recovered any) error {
	err = c.settle(d, err, recovered)
	if recovered != nil {
		c.e.obs.panicked(c.e.opts.logger, err)
	}
	c.e.obs.checked(m, c.dest, c.start, d, err)
	if c.e.shadow != nil && err == nil && !c.explain {
		c.e.shadow.offer(&c.msg, c.now, d) // queued, never waited for
	}
	c.release()
	return err
}
