package main

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"

	"github.com/msgfilter/msgfilter/server"
	"github.com/msgfilter/msgfilter/server/config"
)

// engineGatherer gathers the metrics of the engine deciding now. A reload
// that needs a new Engine gives it a fresh registry; so that its counters
// do not fall back to zero (Prometheus reads a drop as a restart, and
// checks_total read directly would lose every earlier check), the counters
// and histograms of the engines it replaced are added to the new one's:
// live while the checks they started may still run (grace), then as a
// snapshot, so that a retired engine is not kept in memory. Gauges (cache
// sizes, the policy revision) are the current engine's only. Safe for
// concurrent use.
type engineGatherer struct {
	grace   time.Duration
	mu      sync.Mutex
	cur     *prometheus.Registry
	retired []*prometheus.Registry       // gathered live until folded into base
	base    map[string]*dto.MetricFamily // cumulative families of engines gone
}

// drainTime bounds how long a request may still use a replaced engine:
// the write timeout ends every answer.
func drainTime(c *config.Config) time.Duration {
	if c.Timeouts.Write > 0 {
		return c.Timeouts.Write
	}
	return server.DefaultTimeouts.Write
}

// swap makes reg the current engine's registry.
func (g *engineGatherer) swap(reg *prometheus.Registry) {
	g.mu.Lock()
	defer g.mu.Unlock()
	old := g.cur
	g.cur = reg
	if old == nil {
		return
	}
	g.retired = append(g.retired, old)
	time.AfterFunc(g.grace, func() { g.fold(old) })
}

// fold moves a retired registry's cumulative metrics into base.
func (g *engineGatherer) fold(old *prometheus.Registry) {
	fams, _ := old.Gather() // what could be gathered is kept
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.base == nil {
		g.base = map[string]*dto.MetricFamily{}
	}
	addCumulative(g.base, fams)
	g.retired = slices.DeleteFunc(g.retired, func(r *prometheus.Registry) bool { return r == old })
}

func (g *engineGatherer) Gather() ([]*dto.MetricFamily, error) {
	g.mu.Lock()
	cur, retired := g.cur, slices.Clone(g.retired)
	past := map[string]*dto.MetricFamily{}
	for name, f := range g.base {
		past[name] = proto.Clone(f).(*dto.MetricFamily)
	}
	g.mu.Unlock()
	for _, r := range retired {
		fams, _ := r.Gather()
		addCumulative(past, fams)
	}
	fams, err := cur.Gather()
	if len(past) == 0 {
		return fams, err
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	for name, p := range past {
		if f, ok := byName[name]; ok && f.GetType() == p.GetType() {
			addCumulative(byName, []*dto.MetricFamily{p})
		} else if !ok {
			fams = append(fams, p) // a series only earlier engines had
		}
	}
	return fams, err
}

// addCumulative adds the counters, histograms and summary counts of fams
// to dst (by family name and label set); gauges are skipped.
func addCumulative(dst map[string]*dto.MetricFamily, fams []*dto.MetricFamily) {
	for _, f := range fams {
		switch f.GetType() {
		case dto.MetricType_COUNTER, dto.MetricType_HISTOGRAM, dto.MetricType_SUMMARY:
		default:
			continue
		}
		d, ok := dst[f.GetName()]
		if !ok {
			dst[f.GetName()] = proto.Clone(f).(*dto.MetricFamily)
			continue
		}
		if d.GetType() != f.GetType() {
			continue
		}
		for _, m := range f.GetMetric() {
			i := slices.IndexFunc(d.Metric, func(x *dto.Metric) bool { return labelKey(x) == labelKey(m) })
			if i < 0 {
				d.Metric = append(d.Metric, proto.Clone(m).(*dto.Metric))
				continue
			}
			addMetric(d.Metric[i], m)
		}
	}
}

func addMetric(d, m *dto.Metric) {
	switch {
	case d.Counter != nil && m.Counter != nil:
		d.Counter.Value = proto.Float64(d.Counter.GetValue() + m.Counter.GetValue())
	case d.Histogram != nil && m.Histogram != nil:
		h := d.Histogram
		h.SampleCount = proto.Uint64(h.GetSampleCount() + m.Histogram.GetSampleCount())
		h.SampleSum = proto.Float64(h.GetSampleSum() + m.Histogram.GetSampleSum())
		for _, b := range m.Histogram.GetBucket() {
			for _, hb := range h.Bucket {
				if hb.GetUpperBound() == b.GetUpperBound() {
					hb.CumulativeCount = proto.Uint64(hb.GetCumulativeCount() + b.GetCumulativeCount())
				}
			}
		}
	case d.Summary != nil && m.Summary != nil:
		// Quantiles cannot be added: they stay the current engine's.
		d.Summary.SampleCount = proto.Uint64(d.Summary.GetSampleCount() + m.Summary.GetSampleCount())
		d.Summary.SampleSum = proto.Float64(d.Summary.GetSampleSum() + m.Summary.GetSampleSum())
	}
}

func labelKey(m *dto.Metric) string {
	var b strings.Builder
	for _, l := range m.GetLabel() {
		b.WriteString(l.GetName())
		b.WriteByte('=')
		b.WriteString(l.GetValue())
		b.WriteByte(0)
	}
	return b.String()
}
