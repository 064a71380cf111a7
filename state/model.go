package state

import (
	"context"

	"github.com/msgfilter/msgfilter/internal/model"
)

// The content model's online layer (model.Counts) in a Memory store: the
// reports live as long as the store, so an engine rebuilt over the same
// store (a service's configuration reload) keeps what it learnt, and
// engines sharing the store learn together. ReportGeneration changes with
// every report, for the decision caches of those engines.

var _ model.Counts = (*Memory)(nil)

// AddFeatureCounts implements model.Counts.
func (m *Memory) AddFeatureCounts(ctx context.Context, features []uint32, class model.Class, delta int64) error {
	// The generation moves before and after the counts: a check that read
	// the old counts cannot cache its decision under the new generation.
	m.reports.Add(1)
	defer m.reports.Add(1)
	return m.model.AddFeatureCounts(ctx, features, class, delta)
}

// FeatureCounts implements model.Counts.
func (m *Memory) FeatureCounts(ctx context.Context, features []uint32, dst [][3]int64) error {
	return m.model.FeatureCounts(ctx, features, dst)
}

// ReportGeneration returns a number that changes whenever the model counts
// do (0 until the first report).
func (m *Memory) ReportGeneration() uint64 { return m.reports.Load() }
