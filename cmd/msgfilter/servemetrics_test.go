package main

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// engineRegistry is what one engine registers: a labelled counter, a
// histogram and a gauge.
func engineRegistry(t *testing.T, checks float64, gauge float64, observe ...float64) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "checks_total"}, []string{"action"})
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "check_seconds", Buckets: []float64{0.001, 0.01}})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "cache_entries"})
	reg.MustRegister(c, h, g)
	c.WithLabelValues("allow").Add(checks)
	for _, v := range observe {
		h.Observe(v)
	}
	g.Set(gauge)
	return reg
}

func family(t *testing.T, g prometheus.Gatherer, name string) *dto.MetricFamily {
	t.Helper()
	fams, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == name {
			return f
		}
	}
	return nil
}

// TestEngineGathererCarriesOver: counters and histograms of a replaced
// engine's registry are added to the current one's, both while it is
// retired (live) and after it was folded into the snapshot; gauges are
// the current engine's only.
func TestEngineGathererCarriesOver(t *testing.T) {
	for _, tc := range []struct {
		name  string
		grace time.Duration
	}{{"live during the grace", time.Hour}, {"folded after it", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			g := &engineGatherer{grace: tc.grace}
			g.swap(engineRegistry(t, 3, 100, 0.0005, 0.005))
			g.swap(engineRegistry(t, 2, 7, 0.0005))
			if tc.grace == 0 {
				deadline := time.Now().Add(10 * time.Second)
				for {
					g.mu.Lock()
					n := len(g.retired)
					g.mu.Unlock()
					if n == 0 {
						break
					}
					if time.Now().After(deadline) {
						t.Fatal("the retired registry was not folded")
					}
					time.Sleep(time.Millisecond)
				}
			}
			if got := family(t, g, "checks_total").GetMetric()[0].GetCounter().GetValue(); got != 5 {
				t.Errorf("checks_total = %v, want 3 + 2", got)
			}
			h := family(t, g, "check_seconds").GetMetric()[0].GetHistogram()
			if h.GetSampleCount() != 3 || h.GetBucket()[0].GetCumulativeCount() != 2 || h.GetBucket()[1].GetCumulativeCount() != 3 {
				t.Errorf("check_seconds count %d, buckets %v; want 3 observations, 2 under 1 ms", h.GetSampleCount(), h.GetBucket())
			}
			if got := family(t, g, "cache_entries").GetMetric()[0].GetGauge().GetValue(); got != 7 {
				t.Errorf("cache_entries = %v, want the current engine's 7", got)
			}
			// Gathering twice must not add the past twice.
			if got := family(t, g, "checks_total").GetMetric()[0].GetCounter().GetValue(); got != 5 {
				t.Errorf("checks_total on a second scrape = %v, want 5", got)
			}
		})
	}
}
