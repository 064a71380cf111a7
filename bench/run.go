package main

import (
	"bufio"
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/msgfilter/msgfilter/filter"
)

// checkFunc decides on one message; the engine and the baseline both fit.
// It must be safe for concurrent use.
type checkFunc func(ctx context.Context, m *filter.Message) (action filter.Action, cache string, err error)

// source writes the k-th message of an endless stream into m, taking a
// new body's bytes from b (one bodies per goroutine; nil allocates each
// body on its own). It must be safe for concurrent use and cheap next to
// a check: its cost is measured with the check's.
type source func(k int64, m *filter.Message, b *bodies)

// bodies hands out message bodies carved from 16 KiB chunks that are
// never written again once a body is cut: each body is a new immutable
// string, as a gateway's decoder would make, for a hundredth of a heap
// allocation (one chunk per ~200 templated bodies). A nil *bodies
// allocates every body. Not safe for concurrent use: one per goroutine.
type bodies struct{ chunk []byte }

// grow returns an empty slice with room for n bytes: append a body to it
// and pass it to cut, and the body is written once, in place.
func (b *bodies) grow(n int) []byte {
	if b == nil {
		return make([]byte, 0, n)
	}
	if n > cap(b.chunk)-len(b.chunk) {
		b.chunk = make([]byte, 0, max(16<<10, n))
	}
	return b.chunk[len(b.chunk):len(b.chunk)]
}

// cut returns p, grow's slice with a body appended, as a string, and
// keeps its bytes from being handed out again. A body that outgrew grow's
// room is where append moved it, and no other body is written there.
func (b *bodies) cut(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	if b != nil {
		if free := b.chunk[len(b.chunk):]; cap(free) >= len(p) && unsafe.SliceData(free) == unsafe.SliceData(p) {
			b.chunk = b.chunk[:len(b.chunk)+len(p)]
		}
	}
	return unsafe.String(unsafe.SliceData(p), len(p))
}

// poolSource replays msgs round-robin. With nextDay each replay of the pool
// is one day later, so that a replayed message is a new message (new
// minute, new date) for the caches, as tomorrow's traffic is; without it a
// replay repeats the same messages.
func poolSource(msgs []filter.Message, nextDay bool) source {
	n := int64(len(msgs))
	return func(k int64, m *filter.Message, _ *bodies) {
		*m = msgs[k%n]
		if pass := k / n; nextDay && pass > 0 {
			d := time.Duration(pass) * 24 * time.Hour
			m.Time = m.Time.Add(d)
			if !m.LastInboundAt.IsZero() {
				m.LastInboundAt = m.LastInboundAt.Add(d)
			}
		}
	}
}

// runConfig says how long to run a stream and on how many goroutines.
type runConfig struct {
	goroutines int
	duration   time.Duration // stop after this long; with checks 0
	checks     int64         // or run exactly this many checks
	start      int64         // the stream's first message: later runs go on with new messages
}

// result is one run's measurements.
type result struct {
	Name            string           `json:"name"`
	Goroutines      int              `json:"goroutines"`
	Procs           int              `json:"procs"` // GOMAXPROCS used: min(goroutines, GOMAXPROCS)
	Seconds         float64          `json:"seconds"`
	Checks          int64            `json:"checks"`
	Errors          int64            `json:"errors"`
	FirstError      string           `json:"first_error,omitempty"`
	ChecksPerSec    float64          `json:"checks_per_sec"`
	ChecksPerCore   float64          `json:"checks_per_core"`    // ChecksPerSec / Procs
	ChecksPerCPUSec float64          `json:"checks_per_cpu_sec"` // checks per second of process CPU time (GC included)
	P50             time.Duration    `json:"p50_ns"`
	P99             time.Duration    `json:"p99_ns"`
	P999            time.Duration    `json:"p999_ns"`
	Max             time.Duration    `json:"max_ns"`
	Timed           int64            `json:"timed"`        // checks the quantiles sampled (see run)
	Stopwatch       time.Duration    `json:"stopwatch_ns"` // what timing one check costs: two reads of the clock
	AllocsPerCheck  float64          `json:"allocs_per_check"`
	BytesPerCheck   float64          `json:"bytes_per_check"`
	Actions         map[string]int64 `json:"actions"`
	// Answered counts checks by the cache level that answered ("exact",
	// "facts") or "policy" when OPA decided.
	Answered map[string]int64 `json:"answered,omitempty"`
	Cache    *cacheReport     `json:"cache,omitempty"`
	// RSSBefore is the resident set before the run; PeakRSS the most it
	// reached during it (VmHWM, reset before the run where the kernel
	// allows). Both include the mix and the loaded policies.
	RSSBefore int64  `json:"rss_before_bytes"`
	PeakRSS   int64  `json:"peak_rss_bytes"`
	HeapInuse uint64 `json:"heap_inuse_bytes"` // after the run
	NumGC     uint32 `json:"num_gc"`
}

// cacheReport is the engine's cache counters over the run.
type cacheReport struct {
	ExactHitRatio float64 `json:"exact_hit_ratio"` // hits / lookups of the exact cache
	FactHitRatio  float64 `json:"fact_hit_ratio"`  // hits / lookups of the fact cache
	ExactEntries  int64   `json:"exact_entries"`
	FactEntries   int64   `json:"fact_entries"`
}

// worker state, padded apart so that workers do not share cache lines.
type worker struct {
	hist     histogram
	checks   int64
	timed    int64 // checks the stopwatch timed (see run)
	errors   int64
	firstErr error
	actions  [4]int64 // by rank
	answered [3]int64 // policy, exact, facts
	bodies   bodies
	_        [64]byte
}

const chunk = 64 // messages a worker claims at a time

// stopwatchShare bounds what the stopwatch costs a run (see run): at most
// one part in stopwatchShare, a quarter of a percent.
const stopwatchShare = 400

// run sends the stream's messages through check on cfg.goroutines
// goroutines and measures.
//
// Throughput is the run's wall time over all its checks. The latency
// quantiles come from a sample: two reads of the clock cost 86 ns on the
// project's 2-core machine, 7 % of a templated check, and timing every
// check put that in the throughput. Each worker times one check in n on average and counts its
// latency n times. n is a power of two, picked after each chunk of checks
// from that chunk's mean, such that the stopwatch costs at most a
// stopwatchShare-th of the checks' time (n is 1 for checks of tens of
// microseconds). The gap to the next timed check is drawn at random with
// mean n, so that no period of the stream (7 templates, 64 recipients)
// lines up with the timed checks, and never depends on a check's latency:
// the quantiles stand for every check within the histogram's precision
// and the sample's size. Max is the largest latency timed.
func run(ctx context.Context, name string, src source, check checkFunc, cfg runConfig) result {
	g := max(cfg.goroutines, 1)
	var total int64 = -1 // unbounded: until the deadline
	if cfg.checks > 0 {
		total = cfg.checks
	}
	workers := make([]worker, g)
	var next atomic.Int64
	var stop atomic.Bool

	runtime.GC()
	stopwatch := stopwatchCost()
	resetPeakRSS()
	rssBefore := readStatus("VmRSS")
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(cfg.duration)

	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func(wk *worker) {
			defer wg.Done()
			every, skip := int64(1), int64(0) // time one check in every (on average); skip checks before the next
			var m filter.Message
			for !stop.Load() {
				first := next.Add(chunk) - chunk
				if total >= 0 && first >= total {
					return
				}
				last := first + chunk
				if total >= 0 {
					last = min(last, total)
				}
				c0 := time.Now()
				for k := first; k < last; k++ {
					src(cfg.start+k, &m, &wk.bodies)
					var (
						action filter.Action
						cache  string
						err    error
					)
					if skip > 0 {
						skip--
						action, cache, err = check(ctx, &m)
					} else {
						skip = rand.Int64N(2*every - 1)
						t0 := time.Now()
						action, cache, err = check(ctx, &m)
						t1 := time.Now()
						wk.hist.recordN(t1.Sub(t0), uint64(every))
						wk.timed++
						if total < 0 && t1.After(deadline) {
							stop.Store(true)
						}
					}
					wk.checks++
					if err != nil {
						if wk.errors == 0 {
							wk.firstErr = err
						}
						wk.errors++
						continue
					}
					wk.actions[rank(action)]++
					switch cache {
					case filter.CacheExact:
						wk.answered[1]++
					case filter.CacheFacts:
						wk.answered[2]++
					default:
						wk.answered[0]++
					}
				}
				c1 := time.Now()
				if total < 0 && c1.After(deadline) {
					stop.Store(true)
				}
				every = sampleEvery(stopwatch, c1.Sub(c0)/time.Duration(last-first))
				skip = min(skip, 2*every-2)
			}
		}(&workers[w])
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	runtime.ReadMemStats(&ms1)

	res := result{
		Name:       name,
		Stopwatch:  stopwatch,
		Goroutines: g,
		Procs:      min(g, runtime.GOMAXPROCS(0)),
		Seconds:    elapsed.Seconds(),
		Actions:    map[string]int64{},
		Answered:   map[string]int64{},
		RSSBefore:  rssBefore,
		PeakRSS:    readStatus("VmHWM"),
		HeapInuse:  ms1.HeapInuse,
		NumGC:      ms1.NumGC - ms0.NumGC,
	}
	var h histogram
	for i := range workers {
		wk := &workers[i]
		h.merge(&wk.hist)
		res.Checks += wk.checks
		res.Timed += wk.timed
		res.Errors += wk.errors
		if wk.firstErr != nil && res.FirstError == "" {
			res.FirstError = wk.firstErr.Error()
		}
		for r, c := range wk.actions {
			if c > 0 {
				res.Actions[string([]filter.Action{filter.Allow, filter.Review, filter.Defer, filter.Block}[r])] += c
			}
		}
		for l, c := range wk.answered {
			if c > 0 {
				res.Answered[[]string{"policy", filter.CacheExact, filter.CacheFacts}[l]] += c
			}
		}
	}
	if res.Checks > 0 {
		res.ChecksPerSec = float64(res.Checks) / elapsed.Seconds()
		res.ChecksPerCore = res.ChecksPerSec / float64(res.Procs)
		if cpu > 0 {
			res.ChecksPerCPUSec = float64(res.Checks) / cpu.Seconds()
		}
		res.AllocsPerCheck = float64(ms1.Mallocs-ms0.Mallocs) / float64(res.Checks)
		res.BytesPerCheck = float64(ms1.TotalAlloc-ms0.TotalAlloc) / float64(res.Checks)
	}
	res.P50, res.P99, res.P999, res.Max = h.quantile(0.50), h.quantile(0.99), h.quantile(0.999), time.Duration(h.max)
	return res
}

// sampled is how many checks the run made per check it timed.
func (r *result) sampled() float64 { return ratio(r.Checks, r.Timed) }

// sampleEvery is how many checks of mean cost per run times one of, with
// a stopwatch of cost sw: the least power of two (at most 1024) at which
// the stopwatch costs at most a stopwatchShare-th of the checks' time.
func sampleEvery(sw, per time.Duration) int64 {
	n := int64(1)
	for n < 1024 && int64(sw)*stopwatchShare > n*int64(per) {
		n *= 2
	}
	return n
}

// stopwatchCost is what timing one check costs: two reads of the clock
// as run makes them, the least mean of five rounds of a thousand.
func stopwatchCost() time.Duration {
	const n = 1000
	best := time.Duration(math.MaxInt64)
	for range 5 {
		t := time.Now()
		for range n {
			t0 := time.Now()
			_ = time.Now().Sub(t0)
		}
		best = min(best, time.Since(t)/n)
	}
	return best
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// readStatus returns a kB field of /proc/self/status in bytes; 0 where
// there is no /proc.
func readStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		name, rest, ok := strings.Cut(s.Text(), ":")
		if !ok || name != field {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		if err != nil {
			return 0
		}
		return kb << 10
	}
	return 0
}

// resetPeakRSS makes VmHWM start again from the current RSS (Linux 4.0+),
// so that each run reports its own peak. Elsewhere it does nothing and the
// peak is the process's.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// errNoChecks means a run finished without deciding anything.
var errNoChecks = errors.New("bench: no checks ran")
