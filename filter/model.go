package filter

// The content model in the pipeline (stage classify) and learning from
// reports (Report). The model (internal/model) scores the normalized body
// as spam and fraud; the online layer adds what reports taught the fleet.
// The probabilities go into the facts, truncated, so the fact cache keys on
// them; the rules (policies/global/model.rego) compare them with the packs'
// thresholds. A report changes the scores of later messages, so the exact
// cache, which answers before the model runs, keys on the engine's report
// generation (see reports).

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/msgfilter/msgfilter/internal/model"
	"github.com/msgfilter/msgfilter/internal/terms"
	"github.com/msgfilter/msgfilter/internal/textnorm"
	"github.com/msgfilter/msgfilter/state"
)

// ModelError reports a model file New could not load (WithModel): missing,
// unreadable, corrupt or of another format version.
type ModelError struct {
	Path string
	Err  error
}

func (e *ModelError) Error() string { return fmt.Sprintf("filter: model %s: %v", e.Path, e.Err) }

func (e *ModelError) Unwrap() error { return e.Err }

// loadModel returns the model of path, or the shipped one for "".
func loadModel(path string) (*model.Model, error) {
	if path == "" {
		m, err := model.Default()
		if err != nil {
			return nil, &ModelError{Path: "(embedded)", Err: err}
		}
		return m, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, &ModelError{Path: path, Err: err}
	}
	defer f.Close()
	m, err := model.Load(f)
	if err != nil {
		return nil, &ModelError{Path: path, Err: err}
	}
	return m, nil
}

// reports is the engine's online layer: the counts of reported messages'
// features in the state store (a state.Memory for this process, a Redis
// store for the fleet) or, without a store, in memory of its own.
type reports struct {
	online *model.Online
	// local counts answer at once and say when they change: their
	// generation is part of the exact cache's key. Counts in a remote
	// store (shared is set) change whenever another node reports, which
	// no local number can know, so the exact cache is not consulted with
	// them (the fact cache, keyed on the scores, still is).
	local  localCounts
	shared bool
}

// localCounts are model counts in this process with a generation that
// changes with every report (state.Memory, memoryCounts).
type localCounts interface {
	model.Counts
	ReportGeneration() uint64
}

func newReports(store state.Store) *reports {
	switch c := store.(type) {
	case localCounts:
		return &reports{online: model.NewOnline(c, 0), local: c}
	case model.Counts:
		return &reports{online: model.NewOnline(c, 0), shared: true}
	}
	c := new(memoryCounts)
	return &reports{online: model.NewOnline(c, 0), local: c}
}

// generation is the local counts' generation (0 with shared counts).
func (r *reports) generation() uint64 {
	if r.local == nil {
		return 0
	}
	return r.local.ReportGeneration()
}

// memoryCounts keep reports for an engine without a state store.
type memoryCounts struct {
	model.Memory
	gen atomic.Uint64
}

func (m *memoryCounts) AddFeatureCounts(ctx context.Context, features []uint32, class model.Class, delta int64) error {
	m.gen.Add(1) // before and after: see state.Memory's
	defer m.gen.Add(1)
	return m.Memory.AddFeatureCounts(ctx, features, class, delta)
}

func (m *memoryCounts) ReportGeneration() uint64 { return m.gen.Load() }

// scratch is one goroutine's buffers for the model; checks borrow one from
// scratchPool, so scoring allocates nothing once they have grown.
type scratch struct {
	f    model.Features
	sc   model.Scratch
	hits terms.Hits // match: the shared automaton's hits, before the destination's terms
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// classify (stage 8) scores the normalized body with the content model and
// the online layer. The names of the features that weighed most are
// computed only when a model rule could fire (the scores reach the lowest
// threshold of the global or destination pack or of the tenant), since
// naming allocates.
func (c *check) classify() error {
	e := c.e
	f := &c.borrowScratch().f
	f.Extract(c.text)
	// The link stage's analysis, so the model weighs what it found (a
	// brand named beside a foreign link, a machine-made name) without
	// analysing the body again.
	f.Links(c.bodyLinks)
	s := e.model.Score(f)
	if err := c.adjust(f, &s); err != nil {
		return fmt.Errorf("filter: reading model reports: %w", err)
	}
	mf := &c.facts.Content.Model
	mf.Spam, mf.Fraud = trunc2(s.Spam), trunc2(s.Fraud)
	mf.Unwanted = sum2(mf.Spam, mf.Fraud)
	mf.Features = ModelFeatures{Spam: []string{}, Fraud: []string{}}
	// A template entry serves every destination and tenant: it names the
	// features whenever any of them could (policy.featureFloor), and each
	// check keeps them only when its own thresholds could fire.
	floor := c.featureFloor()
	if c.hasTemplate {
		floor = min(floor, c.p.featureFloor)
	}
	if mf.Unwanted >= floor {
		mf.Features.Spam = evidenceNames(e.model.Top(model.Spam, f))
		mf.Features.Fraud = evidenceNames(e.model.Top(model.Fraud, f))
	}
	c.named = mf.Features
	mf.Features = c.features(mf.Unwanted, c.named)
	return nil
}

// featureFloor is the lowest model threshold of the check's destination
// and tenant: below it no model rule can fire, and the features are not
// named.
func (c *check) featureFloor() float64 {
	_, low := c.p.modelThresholds(c.dest)
	return min(low, c.tenant.modelFloor())
}

// features returns named, the features named for a body whose unwanted
// score is unwanted, when a model rule of the check's destination or tenant
// could fire, else none.
func (c *check) features(unwanted float64, named ModelFeatures) ModelFeatures {
	if unwanted >= c.featureFloor() {
		return named
	}
	return ModelFeatures{Spam: []string{}, Fraud: []string{}}
}

// borrowScratch returns the check's model and match buffers, borrowed
// from scratchPool by the first stage that needs them.
func (c *check) borrowScratch() *scratch {
	if c.scratch == nil {
		c.scratch = scratchPool.Get().(*scratch)
	}
	return c.scratch
}

// modelThresholds resolves the model rules' thresholds for the check's
// destination and tenant (see ModelThresholdFacts): the destination's,
// resolved at load, made stricter by the tenant's. The facts get them on
// every check, not from the template cache, whose key has only the
// tenant's lowest threshold.
func (c *check) modelThresholds() ModelThresholdFacts {
	t, _ := c.p.modelThresholds(c.dest)
	if c.tenant != nil {
		t = t.stricter(c.tenant.thresholds)
	}
	return t
}

// adjust adds the online layer's evidence to s, under the check's
// deadline when the counts are in a remote store.
func (c *check) adjust(f *model.Features, s *model.Scores) error {
	r := c.e.reports
	if !r.shared {
		if r.generation() == 0 {
			return nil // nothing was ever reported here: spare the sort of the features
		}
		return r.online.Adjust(c.ctx, f, s, &c.scratch.sc)
	}
	ctx, err := c.bounded()
	if err != nil {
		return err
	}
	return r.online.Adjust(ctx, f, s, &c.scratch.sc)
}

func evidenceNames(ev []model.Evidence) []string {
	out := make([]string, len(ev))
	for i, e := range ev {
		out[i] = e.Feature
	}
	return out
}

// trunc2 truncates a probability to two decimals: coarser facts repeat,
// which the fact cache needs, and a threshold of two decimals (the packs'
// are) compares with the truncated score as with the exact one, where
// rounding would lift 0.495 over 0.5.
func trunc2(p float64) float64 { return math.Floor(p*100+1e-9) / 100 }

// sum2 is the sum of two scores of two decimals each, as the float64
// nearest the exact decimal sum, which is what OPA reads "0.45" as: the
// float64 sum of 0.15 and 0.3 is 0.44999999999999996, below the
// corroborated threshold of 0.45 that the decimal sum reaches.
func sum2(a, b float64) float64 { return (math.Round(a*100) + math.Round(b*100)) / 100 }

// Label is what a reported message is: ReportHam, ReportSpam or
// ReportFraud.
type Label string

// Labels of Report.
const (
	// ReportHam says a message is legitimate: it counts against the spam
	// and fraud evidence of its features, undoing a mistaken report.
	ReportHam Label = "ham"
	// ReportSpam says a message is unsolicited marketing.
	ReportSpam Label = "spam"
	// ReportFraud says a message is phishing, smishing or a scam.
	ReportFraud Label = "fraud"
)

// Report records that msg is of the given label, so that the model's
// online layer scores later messages that share its features accordingly.
// The counts go to the state store: a state/redisstore Store (every engine
// sharing it learns at once) or a state.Memory (the engines of this process
// that share it; gone on exit); with WithStore(nil), to the engine's own
// memory. Only the body is read; it must be valid
// UTF-8 and within WithMaxBodyBytes (else a *ValidationError). A report
// applies from the next Check on: decisions cached before it are not
// served for messages it changes. Report is safe for concurrent use.
func (e *Engine) Report(ctx context.Context, msg *Message, label Label) error {
	if e.policy.Load() == nil {
		return ErrZeroEngine
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if msg == nil {
		return invalid("message", "", "nil message")
	}
	var class model.Class
	switch label {
	case ReportHam:
		class = model.Ham
	case ReportSpam:
		class = model.Spam
	case ReportFraud:
		class = model.Fraud
	default:
		return invalid("label", string(label), "want ham, spam or fraud")
	}
	switch {
	case !utf8.ValidString(msg.Body):
		return invalid("body", "", "invalid UTF-8")
	case len(msg.Body) > e.opts.maxBodyBytes:
		return invalid("body", "", "longer than "+strconv.Itoa(e.opts.maxBodyBytes)+" bytes")
	case msg.Body == "":
		return invalid("body", "", "missing")
	}
	t := textPool.Get().(*textnorm.Text)
	defer textPool.Put(t)
	t.Reset(msg.Body)
	var f model.Features
	f.Extract(t)
	f.Links(e.policy.Load().analyzer(msg.Tenant).Analyze(msg.Body)) // as classify sees the body
	if err := e.reports.online.Report(ctx, &f, class); err != nil {
		return fmt.Errorf("filter: recording report: %w", err)
	}
	// The campaign half: fraud and spam mark the message's campaign
	// (REPORTED_CONTENT for its near-duplicates), ham lifts the mark.
	if e.fleet() != nil {
		if err := e.reportCampaign(ctx, msg, string(label)); err != nil {
			return err
		}
	}
	return nil
}
