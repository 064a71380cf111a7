package main

// "go run ./bench serve" measures msgfilter through its HTTP service
// (package server) on loopback: batches of messages against the same mix
// checked in process, one message per request at a fixed rate for the
// latency quantiles, and a soak that watches the server's RSS and
// goroutines.
//
//	go run ./bench serve -mode batch -batch 100
//	go run ./bench serve -mode rate -rate 5000 -duration 30s
//	go run ./bench serve -mode rate -rate 2000 -duration 2m -sample 10s   # a short soak
//
// By default the service runs in this process on a loopback port, so the
// generator and the server share one Go runtime (its scheduler and GC): the
// CPU measured includes the client's side and the latencies include the
// generator's own scheduling. -exec runs the service as its own process
// (msgfilter serve, built beforehand) and -url measures one running
// elsewhere; the server's CPU, scheduler latency and GC are then read from
// its /metrics:
//
//	go build -o /tmp/msgfilter ./cmd/msgfilter && go build -o /tmp/bench ./bench
//	/tmp/bench serve -mode rate -rate 5000 -duration 15s -mix templated -exec /tmp/msgfilter
//	taskset -c 1 /tmp/bench serve -mode rate -exec "taskset -c 0 /tmp/msgfilter"   # a core each

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/server"
)

type serveOptions struct {
	mode       string
	url        string
	mix        string
	n          int
	seed       uint64
	dataDir    string
	batch      int
	clients    int
	rate       int
	duration   time.Duration
	sample     time.Duration
	goroutines int
	conns      int
	proto      string
	trace      string
	memProfile string
	exec       string
	token      string
}

// serveMain is the serve subcommand; it returns the exit status.
func serveMain(args []string) int {
	var o serveOptions
	fs := flag.NewFlagSet("bench serve", flag.ContinueOnError)
	fs.StringVar(&o.mode, "mode", "batch", "batch (throughput of batches vs in process) or rate (one message per request at -rate)")
	fs.StringVar(&o.url, "url", "", "base URL of a running msgfilter serve (default: serve in this process on loopback)")
	fs.StringVar(&o.mix, "mix", mixRealistic, "message mix: templated or realistic")
	fs.IntVar(&o.n, "n", 50_000, "messages in the mix")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the mix")
	fs.StringVar(&o.dataDir, "data", "../shared/data", "corpora directory; a built-in set when absent")
	fs.IntVar(&o.batch, "batch", 100, "messages per request in batch mode")
	fs.IntVar(&o.clients, "clients", 2*runtime.GOMAXPROCS(0), "concurrent requests in batch mode")
	fs.IntVar(&o.goroutines, "g", runtime.GOMAXPROCS(0), "goroutines of the in-process comparison run")
	fs.IntVar(&o.rate, "rate", 5000, "requests per second in rate mode")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long rate mode runs")
	fs.DurationVar(&o.sample, "sample", 0, "rate mode: print the server's RSS and goroutines at this interval (a soak)")
	fs.IntVar(&o.conns, "conns", 16, "rate mode: keep-alive connections in the pool (streams of one connection with -proto h2c)")
	fs.StringVar(&o.proto, "proto", "raw", "rate mode: raw (HTTP/1.1 written on the connection), nethttp (net/http's client) or h2c")
	fs.StringVar(&o.trace, "trace", "", "rate mode: write a runtime/trace of this process to FILE (go tool trace FILE); the server's too when it runs in process")
	fs.StringVar(&o.memProfile, "memprofile", "", "rate mode: write this process's allocation profile to FILE at the end (the server's too when it runs in process)")
	fs.StringVar(&o.exec, "exec", "", "run the service as its own process: COMMAND (e.g. /tmp/msgfilter, or \"taskset -c 0 /tmp/msgfilter\"), to which \"serve -addr 127.0.0.1:PORT\" is appended")
	fs.StringVar(&o.token, "token", "", "bearer token of the service at -url")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := benchServe(context.Background(), o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench serve:", err)
		return 1
	}
	return 0
}

func benchServe(ctx context.Context, o serveOptions, out io.Writer) error {
	msgs, st, err := buildMix(mixConfig{kind: o.mix, n: o.n, seed: o.seed, dataDir: o.dataDir, minutes: 48})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "mix %s: %d messages %v; GOMAXPROCS %d, %d CPUs\n", o.mix, st.Messages, st.ByClass, runtime.GOMAXPROCS(0), runtime.NumCPU())
	base, inProcess := o.url, o.url == "" && o.exec == ""
	newEngine := func() (*filter.Engine, error) { return filter.New() }
	switch {
	case o.exec != "":
		var stop func()
		if base, stop, err = execServer(ctx, o.exec); err != nil {
			return err
		}
		defer stop()
	case inProcess:
		// The same metrics as msgfilter serve: the engine's, the
		// handler's and the Go runtime's.
		reg := prometheus.NewRegistry()
		reg.MustRegister(server.RuntimeCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		e, err := filter.New(filter.WithMetrics(reg))
		if err != nil {
			return err
		}
		h, err := server.New(e, server.WithMetrics(reg, reg))
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := server.NewServer("", h, server.Timeouts{})
		sctx, stop := context.WithCancel(ctx)
		defer stop()
		go server.Serve(sctx, srv, ln, time.Second)
		base = "http://" + ln.Addr().String()
	}
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024, IdleConnTimeout: time.Minute,
	}}
	switch o.mode {
	case "batch":
		return benchBatches(ctx, o, msgs, base, client, newEngine, out)
	case "rate":
		return benchRate(ctx, o, msgs, base, inProcess, out)
	}
	return fmt.Errorf("unknown -mode %q (want batch or rate)", o.mode)
}

// benchBatches posts the mix once in batches, then checks the same mix once
// in process on a fresh engine, and compares messages per CPU second.
func benchBatches(ctx context.Context, o serveOptions, msgs []filter.Message, base string, client *http.Client,
	newEngine func() (*filter.Engine, error), out io.Writer) error {
	var bodies [][]byte
	for i := 0; i < len(msgs); i += o.batch {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		for _, m := range msgs[i:min(i+o.batch, len(msgs))] {
			if err := enc.Encode(&m); err != nil {
				return err
			}
		}
		bodies = append(bodies, b.Bytes())
	}
	runtime.GC()
	var next atomic.Int64
	var errs atomic.Int64
	var firstErr atomic.Value
	cpu0, t0 := cpuTime(), time.Now()
	var wg sync.WaitGroup
	for range o.clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(bodies) {
					return
				}
				if err := post(ctx, client, base+"/v1/check", bodies[i], "application/x-ndjson"); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
		})
	}
	wg.Wait()
	httpSec, httpCPU := time.Since(t0).Seconds(), (cpuTime() - cpu0).Seconds()
	fmt.Fprintf(out, "http: %d messages in %d requests of %d, %d clients: %.0f msg/s, %.0f msg per CPU second (client included), %d failed requests %v\n",
		len(msgs), len(bodies), o.batch, o.clients, float64(len(msgs))/httpSec, float64(len(msgs))/httpCPU, errs.Load(), firstErr.Load())

	e, err := newEngine()
	if err != nil {
		return err
	}
	check := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
		d, err := e.Check(ctx, m)
		return d.Action, d.Cache, err
	}
	r := run(ctx, "in-process", poolSource(msgs, false), check, runConfig{goroutines: o.goroutines, checks: int64(len(msgs))})
	fmt.Fprintf(out, "in process: %d messages, %d goroutines: %.0f msg/s, %.0f msg per CPU second\n",
		r.Checks, r.Goroutines, r.ChecksPerSec, r.ChecksPerCPUSec)
	fmt.Fprintf(out, "http / in process, per CPU second: %.0f %%\n", 100*float64(len(msgs))/httpCPU/r.ChecksPerCPUSec)
	return nil
}

func post(ctx context.Context, client *http.Client, url string, body []byte, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	// 403 and 429 are decisions (block, defer); 400 is a message the
	// mix should not hold.
	if resp.StatusCode >= 500 || resp.StatusCode == 400 || resp.StatusCode == 413 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

// benchRate sends one message per request at a fixed rate on a fixed pool
// of connections (runLoad) and prints the three latency clocks, the CPU
// spent and what the service's runtime did meanwhile.
func benchRate(ctx context.Context, o serveOptions, msgs []filter.Message, base string, inProcess bool, out io.Writer) error {
	bodies := make([][]byte, len(msgs))
	for i := range msgs {
		b, err := json.Marshal(&msgs[i])
		if err != nil {
			return err
		}
		bodies[i] = b
	}
	stopSampling := make(chan struct{})
	var sampled sync.WaitGroup
	if o.sample > 0 {
		sampled.Go(func() {
			t := time.NewTicker(o.sample)
			defer t.Stop()
			begin := time.Now()
			for {
				s := scrapeServer(base, o.token)
				fmt.Fprintf(out, "  t=%4.0fs server rss=%6.1f MiB goroutines=%.0f\n", time.Since(begin).Seconds(), s.rss/(1<<20), s.goroutines)
				select {
				case <-stopSampling:
					return
				case <-t.C:
				}
			}
		})
	}
	if o.trace != "" {
		f, err := os.Create(o.trace)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := trace.Start(f); err != nil {
			return err
		}
		defer trace.Stop()
	}
	cfg := loadConfig{base: base, bodies: bodies, rate: o.rate, duration: o.duration, conns: o.conns, proto: o.proto}
	runtime.GC()
	before, self0 := scrapeServer(base, o.token), selfStats()
	r, err := runLoad(ctx, cfg)
	if err != nil {
		return err
	}
	after, self1 := scrapeServer(base, o.token), selfStats()
	close(stopSampling)
	sampled.Wait()
	who := "server"
	if inProcess {
		who = "server and generator (one process)"
	}
	printLoad(out, who, cfg, r, before, after)
	if o.memProfile != "" {
		if err := writeAllocs(o.memProfile); err != nil {
			return err
		}
	}
	if !inProcess {
		printRuntime(out, "generator", r, self0, self1)
	}
	fmt.Fprintf(out, "load average %s (the machine's, this run included)\n", loadAverage())
	return nil
}

// loadAverage is the first three fields of /proc/loadavg: how busy the
// machine was, to judge the latencies by.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
