package model

import (
	"context"
	"math"
	"slices"
	"sync"
)

// Counts is where the online layer keeps reports: per feature (its 32-bit
// hash, independent of the model's table size, so that a new model keeps
// the fleet's reports as long as FeatureVersion is the same), how many
// reported messages of each class had it. A state store implements it
// (Memory here; Redis with one hash per class, HINCRBY to add and HMGET to
// read). Implementations must be safe for concurrent use.
type Counts interface {
	// AddFeatureCounts adds delta (1 to report, -1 to undo a report) to the
	// counts of class for each of the features, which are distinct.
	AddFeatureCounts(ctx context.Context, features []uint32, class Class, delta int64) error
	// FeatureCounts fills dst[i] with the counts of features[i] per class
	// (indexed by Class); a feature never reported reads as zeros, and a
	// count below zero (more undos than reports) as zero.
	FeatureCounts(ctx context.Context, features []uint32, dst [][3]int64) error
}

// Online is the layer that learns from reports: it adds to the base model's
// logits the evidence of the reported messages that shared features with
// the body. The evidence of a feature is the log-ratio of its reports as a
// class to its ham reports, capped per feature; the sum over the body is
// capped at Bound, so a flood of fake reports can move a score by at most a
// factor of e^Bound in odds and cannot flip a confidently scored message.
//
// An Online is safe for concurrent use if its Counts is. The zero value has
// no Counts: use NewOnline.
type Online struct {
	counts Counts
	bound  float64
}

// DefaultBound caps the online layer's contribution to a logit: e^3 ≈ 20 in
// odds, enough to carry a borderline message of a reported campaign over a
// threshold, too little to flag a confident ham.
const DefaultBound = 3.0

// perFeatureCap caps the evidence of one feature in nats, so that one
// feature reported a thousand times does not weigh as a thousand.
const perFeatureCap = 2.0

// NewOnline returns the online layer over counts, with the total
// contribution to a logit capped at bound (DefaultBound if bound <= 0). It
// works with any model of this FeatureVersion.
func NewOnline(counts Counts, bound float64) *Online {
	if bound <= 0 {
		bound = DefaultBound
	}
	return &Online{counts: counts, bound: bound}
}

// Scratch holds the buffers of one goroutine's online scoring; the zero
// value is ready, and it allocates nothing once grown.
type Scratch struct {
	features []uint32
	counts   [][3]int64
}

// distinct fills sc.features with the distinct feature hashes of f.
func (o *Online) distinct(f *Features, sc *Scratch) []uint32 {
	sc.features = sc.features[:0]
	for i := range f.feats {
		sc.features = append(sc.features, f.feats[i].hash)
	}
	slices.Sort(sc.features)
	sc.features = slices.Compact(sc.features)
	return sc.features
}

// Report records that the body f was extracted from is of class c (a ham
// report counts against spam and fraud evidence). Each distinct feature is
// counted once per report.
func (o *Online) Report(ctx context.Context, f *Features, c Class) error {
	var sc Scratch
	return o.counts.AddFeatureCounts(ctx, o.distinct(f, &sc), c, 1)
}

// Undo withdraws an earlier Report of the same body as class c.
func (o *Online) Undo(ctx context.Context, f *Features, c Class) error {
	var sc Scratch
	return o.counts.AddFeatureCounts(ctx, o.distinct(f, &sc), c, -1)
}

// Adjust adds the online evidence for f to s, a model's Scores of f. It
// does not allocate once sc has grown (with Memory counts). On error s is left as it was (the base model's verdict stands).
func (o *Online) Adjust(ctx context.Context, f *Features, s *Scores, sc *Scratch) error {
	bs := o.distinct(f, sc)
	if cap(sc.counts) < len(bs) {
		sc.counts = make([][3]int64, len(bs))
	}
	sc.counts = sc.counts[:len(bs)]
	clear(sc.counts)
	if err := o.counts.FeatureCounts(ctx, bs, sc.counts); err != nil {
		return err
	}
	var sum [2]float64
	n := 0
	for _, c := range sc.counts {
		if c == [3]int64{} {
			continue
		}
		n++
		ham := float64(max(c[Ham], 0))
		for k := range 2 {
			e := math.Log((float64(max(c[k+1], 0)) + 1) / (ham + 1))
			sum[k] += math.Max(-perFeatureCap, math.Min(perFeatureCap, e))
		}
	}
	if n == 0 {
		return nil
	}
	// Scale like the base model's groups: a body is judged by the share of
	// its features that were reported, not by its length.
	scale := 1 / math.Sqrt(float64(len(bs)))
	for k := range 2 {
		s.logit[k] += math.Max(-o.bound, math.Min(o.bound, sum[k]*scale))
	}
	s.settle()
	return nil
}

// Memory is an in-process Counts. It is safe for concurrent use; the zero
// value is empty and ready.
type Memory struct {
	mu sync.RWMutex
	m  map[uint32][3]int64
}

// AddFeatureCounts implements Counts.
func (m *Memory) AddFeatureCounts(ctx context.Context, features []uint32, class Class, delta int64) error {
	if class >= numClasses {
		return ErrClass
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = make(map[uint32][3]int64)
	}
	for _, b := range features {
		c := m.m[b]
		c[class] += delta
		if c == [3]int64{} {
			delete(m.m, b)
			continue
		}
		m.m[b] = c
	}
	return nil
}

// FeatureCounts implements Counts.
func (m *Memory) FeatureCounts(ctx context.Context, features []uint32, dst [][3]int64) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.m) == 0 {
		clear(dst) // nothing reported: the common case costs no lookups
		return nil
	}
	for i, b := range features {
		c := m.m[b]
		for k := range c {
			c[k] = max(c[k], 0)
		}
		dst[i] = c
	}
	return nil
}
