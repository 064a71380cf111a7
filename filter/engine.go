package filter

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/msgfilter/msgfilter/geo"
	"github.com/msgfilter/msgfilter/internal/bodyphones"
	"github.com/msgfilter/msgfilter/internal/links"
	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// Engine decides whether messages may be sent. New does all the expensive
// work (compiling policies, building matchers); Check reads them, and writes
// only the decision caches and, for a message it lets through, the
// conversation counters (session, rate, flood): checking the same message
// twice counts it twice. An Engine is safe for concurrent use. The zero
// value is not usable: call New.
type Engine struct {
	opts     options
	numbers  *geo.Numbers
	obs      *observer              // metrics and decision log (observe.go)
	reloadMu sync.Mutex             // serializes reloads (reload.go)
	prev     atomic.Pointer[policy] // the revision replaced last, for Rollback
	exact    *decisionCache         // nil when turned off
	facts    *decisionCache         // nil when turned off
	policy   atomic.Pointer[policy]
	conv     *conversations // conversation state (state.go); nil without a store
}

// policy is one loaded policy revision with everything derived from it. It is
// swapped whole, so a check never sees half a reload.
type policy struct {
	set      *rules.Set
	zones    map[string]*time.Location // upper-case country → the pack's zone
	content  map[string]*terms.Matcher // upper-case country → global + country terms; "" → global
	keywords *terms.Matcher            // opt-out and opt-in keywords, for inbound messages
	links    *links.Analyzer
	phones   *bodyphones.Finder     // caches number parses across messages
	lookups  map[string]packLookups // "" → the global pack; upper-case country → its pack
	ipdb     *geo.IPDB              // nil without WithGeoIP; per revision, so a reload re-opens it

	generation uint64               // unique per load: part of every cache key
	ruleInfo   map[string]*ruleInfo // rule id → what its reasons carry
	limits     *limitTable          // the packs' session, rate and flood limits

	// revision names what decides: the rules' revision, plus a digest of
	// the files read beside them (phishing feed, shortener lists, GeoIP
	// databases) when there are any, so that Decision.Revision changes when
	// a reload only brings a new feed.
	revision string
}

// phoneCacheSize bounds the phone numbers a policy remembers parsing:
// templated messages repeat the same call-back numbers.
const phoneCacheSize = 1 << 14

// matcher returns the content matcher for a destination.
func (p *policy) matcher(country string) *terms.Matcher {
	if m, ok := p.content[country]; ok {
		return m
	}
	return p.content[""]
}

func (p *policy) zone(country string) *time.Location {
	if loc, ok := p.zones[country]; ok {
		return loc
	}
	return time.UTC
}

// New compiles the policies and returns a ready Engine. A policy source that
// fails to load is an error: a *rules.LoadError listing every problem in the
// Rego and data.json files, or a *rules.PolicyError for the first problem in
// a file Go reads (term lists, lookup files, time zones); a missing or
// corrupt GeoIP database or phishing feed is an error too.
func New(opts ...Option) (*Engine, error) {
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	if o.policies == nil {
		o.policies = policies.FS
	}
	e := &Engine{
		opts:    o,
		numbers: geo.NewNumbers(0),
		exact:   newDecisionCache(o.exactCacheBytes, DefaultExactCacheBytes),
		facts:   newDecisionCache(o.factCacheBytes, DefaultFactCacheBytes),
	}
	e.conv = newConversations(o)
	var err error
	if e.obs, err = newObserver(o.life); err != nil {
		return nil, err
	}
	p, err := e.loadRevision(context.Background(), o.policies, false)
	if err != nil {
		return nil, err
	}
	e.policy.Store(p)
	e.obs.loaded(p.revision)
	return e, nil
}

// Close exists for symmetry with resources an Engine may hold in the
// future; revisions (GeoIP databases included) are held in memory and freed
// by the garbage collector once no check uses them. It always returns nil.
func (e *Engine) Close() error { return nil }

// loadPolicy compiles a policy source and everything Go derives from it.
func (e *Engine) loadPolicy(ctx context.Context, fsys fs.FS) (*policy, error) {
	set, err := rules.Load(ctx, fsys)
	if err != nil {
		return nil, err
	}
	inputs := sha256.New()
	p := &policy{
		set:        set,
		zones:      map[string]*time.Location{},
		content:    map[string]*terms.Matcher{},
		lookups:    map[string]packLookups{},
		phones:     bodyphones.NewFinder(phoneCacheSize),
		generation: generations.Add(1),
		ruleInfo:   map[string]*ruleInfo{},
	}
	if p.limits, err = newLimitTable(set); err != nil {
		return nil, err
	}
	for id, c := range set.Citations() {
		ri := &ruleInfo{rule: id, citation: c.String()}
		if cc, ok := strings.CutPrefix(c.Pack, rules.KindCountry+"/"); ok {
			ri.country = strings.ToUpper(cc)
		}
		p.ruleInfo[id] = ri
	}
	var globalTerms []terms.Term
	if g := set.Pack(rules.KindGlobal); g != nil {
		all, err := readTerms(g)
		if err != nil {
			return nil, err
		}
		content, keywords := splitKeywords(all)
		globalTerms = content
		if p.keywords, err = terms.Compile(keywords); err != nil {
			return nil, &rules.PolicyError{File: g.Name + "/terms", Msg: err.Error()}
		}
	}
	if p.content[""], err = terms.Compile(globalTerms); err != nil {
		return nil, &rules.PolicyError{File: "global/terms", Msg: err.Error()}
	}
	linkCfg, err := e.linkConfig(set, inputs)
	if err != nil {
		return nil, err
	}
	if p.links, err = links.New(linkCfg); err != nil {
		return nil, fmt.Errorf("filter: links: %w", err)
	}
	for _, pack := range set.Packs() {
		key := ""
		switch pack.Kind {
		case rules.KindCountry:
			key = strings.ToUpper(pack.Code)
			if !geo.IsCountry(key) {
				return nil, &rules.PolicyError{File: pack.Name, Msg: fmt.Sprintf("%q is not an ISO 3166-1 alpha-2 country code", pack.Code)}
			}
		case rules.KindChannel:
			continue
		}
		if p.lookups[key], err = readPackLookups(pack); err != nil {
			return nil, err
		}
		if pack.Kind != rules.KindCountry {
			continue
		}
		own, err := readTerms(pack)
		if err != nil {
			return nil, err
		}
		if len(own) > 0 {
			content, _ := splitKeywords(own)
			if p.content[key], err = terms.Compile(append(slices.Clip(globalTerms), content...)); err != nil {
				return nil, &rules.PolicyError{File: pack.Name + "/terms", Msg: err.Error()}
			}
		}
		if name, ok := pack.Data["time_zone"].(string); ok {
			loc, err := rules.LoadZone(name)
			if err != nil {
				return nil, &rules.PolicyError{File: pack.Name + "/data.json", Msg: err.Error()}
			}
			p.zones[key] = loc
		}
	}
	if p.ipdb, err = openGeoIP(e.opts.geoIPPaths, inputs); err != nil {
		return nil, err
	}
	p.revision = set.Revision()
	if e.opts.phishingFeed != "" || len(e.opts.shortenerFiles) > 0 || len(e.opts.geoIPPaths) > 0 {
		p.revision += "+" + hex.EncodeToString(inputs.Sum(nil))[:8]
	}
	return p, nil
}

// linkConfig gathers the shortener lists and the phishing feed.
func (e *Engine) linkConfig(set *rules.Set, inputs hash.Hash) (links.Config, error) {
	var cfg links.Config
	if g := set.Pack(rules.KindGlobal); g != nil {
		if b, ok := g.File(shortenersTxt); ok {
			list, err := links.ReadDomainList(bytes.NewReader(b))
			if err != nil {
				return cfg, &rules.PolicyError{File: g.Name + "/" + shortenersTxt, Msg: err.Error()}
			}
			cfg.Shorteners = append(cfg.Shorteners, list...)
		}
	}
	for _, path := range e.opts.shortenerFiles {
		b, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("filter: shortener list: %w", err)
		}
		inputs.Write(b)
		list, err := links.ReadDomainList(bytes.NewReader(b))
		if err != nil {
			return cfg, fmt.Errorf("filter: shortener list %s: %w", path, err)
		}
		cfg.Shorteners = append(cfg.Shorteners, list...)
	}
	if e.opts.phishingFeed != "" {
		b, err := os.ReadFile(e.opts.phishingFeed)
		if err != nil {
			return cfg, fmt.Errorf("filter: phishing feed: %w", err)
		}
		inputs.Write(b)
		if cfg.Feed, err = links.LoadFeed(bytes.NewReader(b)); err != nil {
			return cfg, fmt.Errorf("filter: phishing feed %s: %w", e.opts.phishingFeed, err)
		}
	}
	return cfg, nil
}

// Revision returns the revision of the policies in use.
func (e *Engine) Revision() string { return e.policy.Load().revision }

// Check decides on one message. A message the policies refuse is a Decision
// with Action Block, Review or Defer and a nil error. A non-nil error means
// the engine could not decide: a *ValidationError for bad input (the
// Decision is then empty), or an evaluation failure, for which the Decision
// follows the fail mode (see WithFailMode) and carries ENGINE_ERROR.
// Check is safe for concurrent use.
func (e *Engine) Check(ctx context.Context, m *Message) (d Decision, err error) {
	ctx, start := e.begin(ctx)
	defer func() { e.finish(m, &d, &err, start, recover()) }()
	d, _, _, err = e.check(ctx, m, false)
	return d, err
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
// that fired, for "why was this blocked?".
func (e *Engine) Explain(ctx context.Context, m *Message) (x Explanation, err error) {
	ctx, start := e.begin(ctx)
	defer func() { e.finish(m, &x.Decision, &err, start, recover()) }()
	d, facts, p, err := e.check(ctx, m, true)
	x = Explanation{Decision: d, Facts: facts}
	for _, r := range d.Reasons {
		if c, ok := p.set.Citation(r.Rule); p != nil && ok {
			if x.Rules == nil {
				x.Rules = map[string]string{}
			}
			x.Rules[r.Rule] = c.Title
		}
	}
	return x, err
}

// check validates m, decides on it with one policy revision (returned, nil
// for an invalid message) and counts it against the conversation limits.
func (e *Engine) check(ctx context.Context, m *Message, explain bool) (Decision, Facts, *policy, error) {
	country, rcpt, srcIP, err := e.validate(m)
	if err != nil {
		d := Decision{}
		if m != nil {
			d.ID = m.ID
		}
		return d, Facts{}, nil, err
	}
	p := e.policy.Load()
	if err := ctx.Err(); err != nil { // OPA notices cancellation only in long evaluations
		return e.failed(m, p, err), Facts{}, p, err
	}
	now := m.Time
	if now.IsZero() {
		now = e.opts.clock()
	}
	// Store calls take the check budget too, unless the store is in memory
	// (a timer would cost more than the call).
	sctx := ctx
	if e.conv != nil && !e.conv.local {
		var cancel context.CancelFunc
		sctx, cancel = e.budgeted(ctx)
		defer cancel()
	}
	r := recipientFacts(rcpt)
	d, facts, err := e.decideMessage(ctx, sctx, p, m, country, r, srcIP, now, explain)
	if err != nil {
		return d, facts, p, err
	}
	d, err = e.consume(sctx, p, m, country, r, &facts, d, now)
	return d, facts, p, err
}

// decideMessage answers from the exact cache, the fact cache or the
// policies, in that order.
func (e *Engine) decideMessage(ctx, sctx context.Context, p *policy, m *Message, country string, rcpt RecipientFacts,
	srcIP netip.Addr, now time.Time, explain bool) (Decision, Facts, error) {
	// The conversation comes first: it is part of what the exact cache
	// must key on (an opt-out changes the decision for the same message).
	cf := Facts{Recipient: rcpt, Conversation: messageConversation(m, now)}
	if err := e.conv.apply(sctx, p, m, &cf, now); err != nil {
		return e.failed(m, p, err), cf, err
	}
	var ek cacheKey
	useExact := e.exact != nil && !explain
	if useExact {
		ek = exactKey(p, m, country, now, &cf.Conversation)
		if d, ok := e.exact.get(p, ek); ok {
			d.ID, d.Cached, d.Cache = m.ID, true, CacheExact
			return d, cf, nil
		}
	}
	facts := e.buildFacts(p, m, country, rcpt, srcIP, now)
	facts.Conversation = cf.Conversation
	var fk cacheKey
	if e.facts != nil {
		encoded, err := facts.encode()
		if err != nil {
			return e.failed(m, p, err), facts, err
		}
		fk = factKey(p, encoded)
		if d, ok := e.facts.get(p, fk); ok {
			if useExact {
				e.exact.put(ek, &d)
			}
			d.ID, d.Cached, d.Cache = m.ID, true, CacheFacts
			return d, facts, nil
		}
	}
	evalCtx, cancel := e.budgeted(ctx)
	findings, err := p.set.Eval(evalCtx, strings.ToLower(country), string(m.Channel), facts.value(), now.Truncate(time.Minute))
	if err == nil {
		err = evalCtx.Err() // OPA notices a deadline only in long evaluations
	}
	cancel()
	if err != nil {
		return e.failed(m, p, err), facts, err
	}
	d, err := p.decide(findings)
	if err != nil {
		return e.failed(m, p, err), facts, err
	}
	if e.facts != nil {
		e.facts.put(fk, &d)
	}
	if useExact {
		e.exact.put(ek, &d)
	}
	d.ID = m.ID
	return d, facts, nil
}

// decide turns findings into a decision: the strongest action wins
// (block > defer > review > allow) and every reason is reported. The
// decision has no id: it may be cached for other messages.
func (p *policy) decide(findings []rules.Finding) (Decision, error) {
	d := Decision{Action: Allow, Revision: p.revision, Reasons: []Reason{}}
	if len(findings) > 0 {
		d.Reasons = make([]Reason, 0, len(findings))
	}
	for _, f := range findings {
		code := Code(f.Code)
		action := code.DefaultAction()
		if f.Action != "" {
			action = Action(f.Action)
		}
		if action.strength() > d.Action.strength() {
			d.Action = action
		}
		if action == Defer {
			until, err := time.Parse(time.RFC3339, f.Until)
			if err != nil {
				return Decision{}, fmt.Errorf("filter: rule %s deferred without a valid until %q", f.Rule, f.Until)
			}
			// One representation whatever the host's zone, so that a
			// decision from a cache equals one from the policies.
			_, off := until.Zone()
			until = time.Unix(until.Unix(), 0).In(fixedZone(off))
			if until.After(d.Until) {
				d.Until = until
			}
		}
		r := Reason{Code: code, Rule: f.Rule, Evidence: f.Evidence}
		if ri, ok := p.ruleInfo[f.Rule]; ok {
			r.Rule, r.Country, r.Citation = ri.rule, ri.country, ri.citation
		}
		d.Reasons = append(d.Reasons, r)
	}
	if d.Action != Defer {
		d.Until = time.Time{}
	}
	return d, nil
}

// failed is the decision when the engine could not decide.
func (e *Engine) failed(m *Message, p *policy, err error) Decision {
	action := Block
	if e.opts.failMode == FailOpen {
		action = Allow
	}
	evidence := err.Error()
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		evidence = "no decision before the deadline: " + evidence
	}
	return Decision{
		ID:       m.ID,
		Action:   action,
		Revision: p.revision,
		Reasons:  []Reason{{Code: EngineError, Rule: "engine", Evidence: evidence}},
	}
}
