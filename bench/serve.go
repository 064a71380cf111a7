package main

// "go run ./bench serve" measures msgfilter through its HTTP service
// (package server) on loopback: batches of messages against the same mix
// checked in process, one message per request at a fixed rate for the
// latency quantiles, and a soak that watches RSS and goroutines.
//
//	go run ./bench serve -mode batch -batch 100
//	go run ./bench serve -mode rate -rate 5000 -duration 30s
//	go run ./bench serve -mode rate -rate 2000 -duration 2m -sample 10s   # a short soak
//
// By default the service runs in this process on a loopback port, so the
// CPU time measured includes the client's side (encoding requests, reading
// answers): the HTTP figures are a lower bound. -url measures a service
// running elsewhere (msgfilter serve); then only throughput and latency are
// reported.

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
	"sync"
	"sync/atomic"
	"time"

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
	fs.DurationVar(&o.sample, "sample", 0, "rate mode: print RSS and goroutines at this interval (a soak)")
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
	base := o.url
	newEngine := func() (*filter.Engine, error) { return filter.New() }
	if base == "" {
		e, err := newEngine()
		if err != nil {
			return err
		}
		h, err := server.New(e)
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
		return benchRate(ctx, o, msgs, base, client, out)
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

// benchRate sends one message per request at a fixed rate (open loop:
// latency counts from when the request was due, so a stalled server is
// not hidden by a client that waits for it).
func benchRate(ctx context.Context, o serveOptions, msgs []filter.Message, base string, client *http.Client, out io.Writer) error {
	bodies := make([][]byte, len(msgs))
	for i := range msgs {
		b, err := json.Marshal(&msgs[i])
		if err != nil {
			return err
		}
		bodies[i] = b
	}
	total := int(o.duration.Seconds() * float64(o.rate))
	type job struct {
		due  time.Time
		body []byte
	}
	jobs := make(chan job, 4096)
	workers := 256
	// Two clocks per request: from when it was due (open loop: a stalled
	// server is not excused, but neither is the pacer's own lateness: a
	// sleep overshoots by up to a millisecond on some machines) and from
	// when it was sent (the client and the server alone).
	hists := make([]histogram, workers)
	sent := make([]histogram, workers)
	var errs atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for j := range jobs {
				at := time.Now()
				if err := post(ctx, client, base+"/v1/check", j.body, "application/json"); err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
				hists[w].record(time.Since(j.due))
				sent[w].record(time.Since(at))
			}
		})
	}
	stopSampling := make(chan struct{})
	var sampled sync.WaitGroup
	if o.sample > 0 {
		sampled.Go(func() {
			t := time.NewTicker(o.sample)
			defer t.Stop()
			begin := time.Now()
			for {
				fmt.Fprintf(out, "  t=%4.0fs rss=%6.1f MiB goroutines=%d\n", time.Since(begin).Seconds(), mib(readStatus("VmRSS")), runtime.NumGoroutine())
				select {
				case <-stopSampling:
					return
				case <-t.C:
				}
			}
		})
	}
	interval := time.Second / time.Duration(o.rate)
	cpu0 := cpuTime()
	start := time.Now()
	late := 0
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		select {
		case jobs <- job{due, bodies[i%len(bodies)]}:
		default:
			late++ // every worker busy and the queue full: the server fell behind
			jobs <- job{due, bodies[i%len(bodies)]}
		}
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuTime() - cpu0
	close(stopSampling)
	sampled.Wait()
	var h, hs histogram
	for i := range hists {
		h.merge(&hists[i])
		hs.merge(&sent[i])
	}
	fmt.Fprintf(out, "rate: %d requests of 1 message in %.1fs (%.0f req/s, target %d), %d failed %v, %d queued late\n",
		total, elapsed.Seconds(), float64(total)/elapsed.Seconds(), o.rate, errs.Load(), firstErr.Load(), late)
	fmt.Fprintf(out, "latency from due time: p50 %v  p99 %v  p99.9 %v  max %v\n",
		h.quantile(0.5), h.quantile(0.99), h.quantile(0.999), time.Duration(h.max))
	fmt.Fprintf(out, "latency from send time: p50 %v  p99 %v  p99.9 %v  max %v\n",
		hs.quantile(0.5), hs.quantile(0.99), hs.quantile(0.999), time.Duration(hs.max))
	fmt.Fprintf(out, "CPU: %v per request (client included), %.2f cores busy; final rss %.1f MiB, %d goroutines\n",
		cpu/time.Duration(total), cpu.Seconds()/elapsed.Seconds(), mib(readStatus("VmRSS")), runtime.NumGoroutine())
	return nil
}
