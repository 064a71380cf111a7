package server

import (
	"regexp"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// RuntimeCollector returns the Go runtime's collector with, beside the
// default figures, the scheduler's (go_sched_latencies_seconds: how long
// runnable goroutines waited for a CPU; go_sched_pauses_*: stop-the-world
// pauses), the GC's (cycles, heap goal) and the CPU classes
// (go_cpu_classes_gc_mark_assist_cpu_seconds_total and the like): what a
// latency tail is made of when the handler itself is fast. Register it
// once per registry; it reads runtime/metrics at each scrape and costs
// nothing in between.
func RuntimeCollector() prometheus.Collector {
	return collectors.NewGoCollector(collectors.WithGoCollectorRuntimeMetrics(
		collectors.MetricsScheduler, collectors.MetricsGC,
		collectors.GoRuntimeMetricsRule{Matcher: regexp.MustCompile(`^/cpu/classes/`)},
	))
}
