// Command bench is msgfilter's load generator: it replays a deterministic
// mix of business messages through one filter.Engine on N goroutines and
// reports checks per second per core, latency quantiles, allocations per
// check, cache hit ratios and peak RSS. With -baseline it replays the same
// mix through a naive OPA policy (naive.rego: term lists as Rego data, the
// raw message as input, no caches) and prints the engine's speed-up. With
// -table it measures issue 13's rows instead (rows.go): the engine on one
// message repeated, on 7 A2P templates with a fresh code in each message
// and on a realistic stream, then the naive and a competent OPA baseline
// (competent.rego: Go tokenizes, Rego looks tokens up in term sets), each
// on one goroutine and on two.
//
// Use it to size a gateway node and to see what a change does to the hot
// path end to end; per-package costs are in each package's benchmarks.
//
//	go run ./bench -mix templated -duration 10s
//	go run ./bench -mix realistic -duration 10s -baseline -cpuprofile cpu.out
//	go run ./bench -table -duration 3s
//
// See the Benchmarks section of README.md for what the mixes hold.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/policies"
)

// options are the command's flags.
type options struct {
	mix        string
	n          int
	seed       uint64
	minutes    int
	dataDir    string
	policyDir  string
	goroutines int
	duration   time.Duration
	repeat     int
	replay     string // same, nextday or "" (the mix's default)
	baseline   bool
	baseDur    time.Duration
	exactBytes int
	factBytes  int
	noState    bool
	cpuProfile string
	memProfile string
	jsonOut    bool
	table      bool
	agreeN     int // messages compared between the engine and the baseline
	recipients int
	budget     time.Duration // the engine's check budget (0: filter.DefaultCheckBudget)
}

// report is the whole output of one invocation.
type report struct {
	Mix      string   `json:"mix"`
	Replay   string   `json:"replay"`
	Seed     uint64   `json:"seed"`
	Go       string   `json:"go"`
	CPUs     int      `json:"cpus"`
	Stats    mixStats `json:"mix_stats"`
	Engine   result   `json:"engine"`
	Baseline *result  `json:"baseline,omitempty"`
	// Speedup is the engine's checks per core over the baseline's.
	Speedup float64 `json:"speedup,omitempty"`
	// Agreement is the share of the first AgreementN messages on which the
	// baseline's action equals the engine's: the baseline approximates the
	// packs, so this says how equivalent the comparison is.
	Agreement  float64 `json:"agreement,omitempty"`
	AgreementN int     `json:"agreement_n,omitempty"`
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		os.Exit(serveMain(os.Args[2:])) // bench/serve.go
	}
	var o options
	flag.StringVar(&o.mix, "mix", mixRealistic, "message mix: templated (hit-heavy OTPs and notifications) or realistic")
	flag.IntVar(&o.n, "n", 0, "messages in the mix (default 20000 templated, 200000 realistic)")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the mix")
	flag.IntVar(&o.minutes, "minutes", 48, "distinct minutes of the day the mix's times fall in (fewer: denser traffic per minute)")
	flag.IntVar(&o.recipients, "recipients", 0, "recipients per country (0: a new recipient for every message)")
	flag.StringVar(&o.dataDir, "data", "../shared/data", "corpora directory (UCI spam, Mendeley smishing, Thai scam); a built-in set when absent")
	flag.StringVar(&o.policyDir, "policies", "", "policy directory (default: the embedded packs)")
	flag.IntVar(&o.goroutines, "g", runtime.GOMAXPROCS(0), "goroutines calling Check")
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "how long to run (ignored with -repeat)")
	flag.IntVar(&o.repeat, "repeat", 0, "replay the mix exactly this many times instead of for -duration")
	flag.StringVar(&o.replay, "replay", "", "same (replays repeat messages: exact-cache hits) or nextday (each replay is a day later: new messages); default same for templated, nextday for realistic")
	flag.BoolVar(&o.baseline, "baseline", false, "also run the naive OPA baseline on the same mix")
	flag.DurationVar(&o.baseDur, "baseline-duration", 0, "how long to run the baseline (default -duration)")
	flag.IntVar(&o.exactBytes, "exact-cache", 0, "exact cache bytes (0 default, negative off)")
	flag.IntVar(&o.factBytes, "fact-cache", 0, "fact cache bytes (0 default, negative off)")
	flag.DurationVar(&o.budget, "budget", 0, "the engine's check budget (0: the default second; negative: none)")
	flag.BoolVar(&o.noState, "nostate", false, "run the engine without a state store (no rate, flood or session counting)")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the engine run to this file")
	flag.StringVar(&o.memProfile, "memprofile", "", "write a heap profile after the engine run to this file")
	flag.BoolVar(&o.jsonOut, "json", false, "print the report as JSON")
	flag.BoolVar(&o.table, "table", false, "measure issue 13's rows (exact, templated, realistic, both OPA baselines) on one and two goroutines, for -duration each")
	flag.IntVar(&o.agreeN, "agree", 2000, "messages on which to compare the engine's and the baseline's actions")
	flag.Parse()

	var rep any
	var err error
	if o.table {
		rep, err = table(context.Background(), o, os.Stderr)
	} else {
		rep, err = bench(context.Background(), o, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if o.jsonOut {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	switch r := rep.(type) {
	case *tableReport:
		printTable(os.Stdout, r)
	case *report:
		printReport(os.Stdout, r)
	}
}

// policyFS is the policies the engine and the baselines load.
func policyFS(o options) fs.FS {
	if o.policyDir != "" {
		return os.DirFS(o.policyDir)
	}
	return policies.FS
}

// bench builds the mix and the engine, runs them (and the baseline) and
// returns the report. Progress goes to log.
func bench(ctx context.Context, o options, log io.Writer) (*report, error) {
	if o.n == 0 {
		o.n = 200_000
		if o.mix == mixTemplated {
			o.n = 20_000
		}
	}
	if o.replay == "" {
		o.replay = "nextday"
		if o.mix == mixTemplated {
			o.replay = "same"
		}
	}
	if o.replay != "same" && o.replay != "nextday" {
		return nil, fmt.Errorf("unknown -replay %q (want same or nextday)", o.replay)
	}
	msgs, st, err := buildMix(mixConfig{kind: o.mix, n: o.n, seed: o.seed, dataDir: o.dataDir, minutes: o.minutes, recipients: o.recipients})
	if err != nil {
		return nil, err
	}
	fsys := policyFS(o)
	opts := []filter.Option{filter.WithPolicies(fsys), filter.WithCacheSizes(o.exactBytes, o.factBytes), filter.WithCheckBudget(o.budget)}
	if o.noState {
		opts = append(opts, filter.WithStore(nil))
	}
	fmt.Fprintf(log, "mix %s: %d messages (%v), loading policies...\n", o.mix, st.Messages, st.ByClass)
	engine, err := filter.New(opts...)
	if err != nil {
		return nil, err
	}
	check := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
		d, err := engine.Check(ctx, m)
		return d.Action, d.Cache, err
	}
	cfg := runConfig{goroutines: o.goroutines, duration: o.duration, checks: int64(o.repeat) * int64(len(msgs))}
	src := poolSource(msgs, o.replay == "nextday")

	rep := &report{Mix: o.mix, Replay: o.replay, Seed: o.seed, Go: runtime.Version(), CPUs: runtime.NumCPU(), Stats: st}
	fmt.Fprintf(log, "engine: %d goroutines, GOMAXPROCS %d...\n", cfg.goroutines, runtime.GOMAXPROCS(0))
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		defer f.Close()
	}
	c0 := engine.CacheStats()
	rep.Engine = run(ctx, "engine", src, check, cfg)
	c1 := engine.CacheStats()
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	rep.Engine.Cache = &cacheReport{
		ExactHitRatio: ratio(c1.ExactHits-c0.ExactHits, c1.ExactLookups-c0.ExactLookups),
		FactHitRatio:  ratio(c1.FactHits-c0.FactHits, c1.FactLookups-c0.FactLookups),
		ExactEntries:  c1.ExactEntries,
		FactEntries:   c1.FactEntries,
	}
	if o.memProfile != "" {
		f, err := os.Create(o.memProfile)
		if err != nil {
			return nil, err
		}
		runtime.GC()
		err = pprof.WriteHeapProfile(f)
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	if rep.Engine.Checks == 0 {
		return nil, errNoChecks
	}
	if !o.baseline {
		return rep, nil
	}

	fmt.Fprintln(log, "baseline: preparing the naive OPA policy...")
	nv, err := newNaive(ctx, fsys)
	if err != nil {
		return nil, err
	}
	naiveCheck := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
		a, err := nv.check(ctx, m)
		return a, "", err
	}
	if o.baseDur > 0 {
		cfg.duration = o.baseDur
	}
	b := run(ctx, "naive", src, naiveCheck, cfg)
	if b.Checks == 0 {
		return nil, errNoChecks
	}
	rep.Baseline = &b
	rep.Speedup = rep.Engine.ChecksPerCore / b.ChecksPerCore
	rep.AgreementN = min(o.agreeN, len(msgs))
	rep.Agreement = agreement(ctx, src, check, naiveCheck, rep.AgreementN)
	return rep, nil
}

// agreement is the share of the stream's first n messages on which both
// checkers give the same action.
func agreement(ctx context.Context, src source, a, b checkFunc, n int) float64 {
	same := 0
	var m filter.Message
	for i := range n {
		src(int64(i), &m, nil)
		x, _, err1 := a(ctx, &m)
		y, _, err2 := b(ctx, &m)
		if err1 == nil && err2 == nil && x == y {
			same++
		}
	}
	return ratio(int64(same), int64(n))
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func printReport(w io.Writer, r *report) {
	fmt.Fprintf(w, "mix %s (replay %s, seed %d): %d messages, %d distinct bodies, %d countries, %d minutes, %v; corpora %v\n",
		r.Mix, r.Replay, r.Seed, r.Stats.Messages, r.Stats.Distinct, r.Stats.Countries, r.Stats.Minutes, r.Stats.ByClass, r.Stats.Corpora)
	fmt.Fprintf(w, "%s, %d CPUs\n", r.Go, r.CPUs)
	printResult(w, &r.Engine)
	if r.Baseline != nil {
		printResult(w, r.Baseline)
		fmt.Fprintf(w, "speed-up (engine/naive, checks per core): %.1fx; same action on %.1f%% of the first %d messages\n",
			r.Speedup, 100*r.Agreement, r.AgreementN)
	}
}

func printResult(w io.Writer, r *result) {
	fmt.Fprintf(w, "%s: %d checks in %.2fs on %d goroutines (%d procs): %.0f checks/s, %.0f per core, %.0f per CPU-second\n",
		r.Name, r.Checks, r.Seconds, r.Goroutines, r.Procs, r.ChecksPerSec, r.ChecksPerCore, r.ChecksPerCPUSec)
	fmt.Fprintf(w, "  latency p50 %v  p99 %v  p99.9 %v  max %v, of %d checks timed (one in %.0f; the stopwatch costs %v a check)\n",
		r.P50, r.P99, r.P999, r.Max, r.Timed, r.sampled(), r.Stopwatch)
	fmt.Fprintf(w, "  %.1f allocs/check, %.0f B/check, %d GCs; RSS %.1f MiB before, peak %.1f MiB; heap in use %.1f MiB\n",
		r.AllocsPerCheck, r.BytesPerCheck, r.NumGC, mib(r.RSSBefore), mib(r.PeakRSS), mib(int64(r.HeapInuse)))
	fmt.Fprintf(w, "  actions %v", r.Actions)
	if len(r.Answered) > 0 && r.Cache != nil {
		fmt.Fprintf(w, "; answered by %v", r.Answered)
	}
	fmt.Fprintln(w)
	if r.Cache != nil {
		fmt.Fprintf(w, "  cache hit ratio: exact %.3f, facts %.3f; entries exact %d, facts %d\n",
			r.Cache.ExactHitRatio, r.Cache.FactHitRatio, r.Cache.ExactEntries, r.Cache.FactEntries)
	}
	if r.Errors > 0 {
		fmt.Fprintf(w, "  %d errors, first: %s\n", r.Errors, r.FirstError)
	}
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
