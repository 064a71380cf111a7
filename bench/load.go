package main

// The open-loop load generator of "bench serve -mode rate": a fixed pool of
// keep-alive connections sends one message per request on a fixed
// schedule, and the service's own runtime figures are read from its
// /metrics before and after, so a tail can be told apart as the server's
// (its scheduler latency, GC) or the generator's (its lateness).

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/msgfilter/msgfilter/server"
)

// loadConfig is one open-loop run.
type loadConfig struct {
	base     string // http://host:port of the service
	bodies   [][]byte
	rate     int
	duration time.Duration
	conns    int    // connections (streams with h2c) in the pool
	proto    string // raw (HTTP/1.1 on net.Conn), nethttp (net/http's Transport) or h2c
}

// loadResult holds the three clocks of every request: from its due time
// (what a gateway whose messages arrive on that schedule sees: includes the
// wait for a free connection and the generator's own lateness), from when
// it was written (the network and the server alone) and the lateness
// between the two.
type loadResult struct {
	requests, failed int64
	firstErr         string
	elapsed          time.Duration
	fromDue          histogram
	fromSend         histogram
	late             histogram
}

// runLoad sends cfg.rate requests per second for cfg.duration. Request i is
// due at start + i/rate whatever happened before (no coordinated omission:
// a stalled server makes the requests behind it late, and that lateness
// counts); each connection takes the next request due, waits for its time
// and sends it.
func runLoad(ctx context.Context, cfg loadConfig) (*loadResult, error) {
	u, err := url.Parse(cfg.base)
	if err != nil {
		return nil, err
	}
	send, closeAll, err := newSenders(u, cfg)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	total := int64(cfg.duration.Seconds() * float64(cfg.rate))
	interval := float64(time.Second) / float64(cfg.rate)
	type perConn struct {
		due, sent, late histogram
		failed          int64
	}
	stats := make([]perConn, cfg.conns)
	var next atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now().Add(10 * time.Millisecond)
	for c := range cfg.conns {
		wg.Go(func() {
			st := &stats[c]
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= total {
					return
				}
				due := start.Add(time.Duration(float64(i) * interval))
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
				at := time.Now()
				err := send[c](cfg.bodies[i%int64(len(cfg.bodies))])
				end := time.Now()
				if err != nil {
					st.failed++
					firstErr.CompareAndSwap(nil, err.Error())
				}
				st.due.record(end.Sub(due))
				st.sent.record(end.Sub(at))
				st.late.record(at.Sub(due))
			}
		})
	}
	wg.Wait()
	r := &loadResult{requests: total, elapsed: time.Since(start)}
	for i := range stats {
		r.fromDue.merge(&stats[i].due)
		r.fromSend.merge(&stats[i].sent)
		r.late.merge(&stats[i].late)
		r.failed += stats[i].failed
	}
	if s, ok := firstErr.Load().(string); ok {
		r.firstErr = s
	}
	return r, ctx.Err()
}

// newSenders returns one send function per connection of the pool; each is
// used by one goroutine only.
func newSenders(u *url.URL, cfg loadConfig) ([]func([]byte) error, func(), error) {
	target := u.String() + "/v1/check"
	sends := make([]func([]byte) error, cfg.conns)
	switch cfg.proto {
	case "raw":
		var conns []*rawConn
		for i := range sends {
			rc := &rawConn{addr: u.Host}
			conns = append(conns, rc)
			sends[i] = rc.post
		}
		return sends, func() {
			for _, c := range conns {
				c.close()
			}
		}, nil
	case "nethttp", "h2c":
		tr := &http.Transport{MaxIdleConnsPerHost: cfg.conns, MaxConnsPerHost: cfg.conns, IdleConnTimeout: time.Minute}
		if cfg.proto == "h2c" {
			// One connection, cfg.conns concurrent streams on it.
			var p http.Protocols
			p.SetUnencryptedHTTP2(true)
			tr.Protocols = &p
		}
		client := &http.Client{Transport: tr}
		for i := range sends {
			sends[i] = func(body []byte) error {
				return post(context.Background(), client, target, body, "application/json")
			}
		}
		return sends, tr.CloseIdleConnections, nil
	}
	return nil, nil, fmt.Errorf("unknown -proto %q (want raw, nethttp or h2c)", cfg.proto)
}

// rawConn is one keep-alive HTTP/1.1 connection driven directly: the
// request is written in one write and the answer read on the same
// goroutine, so the generator adds no goroutine hand-offs of its own (net/http's
// client has a reader and a writer goroutine per connection). It redials
// after an error.
type rawConn struct {
	addr string
	conn net.Conn
	br   *bufio.Reader
	buf  []byte
}

func (c *rawConn) post(body []byte) error {
	if c.conn == nil {
		conn, err := net.Dial("tcp", c.addr)
		if err != nil {
			return err
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	c.buf = append(c.buf[:0], "POST /v1/check HTTP/1.1\r\nHost: "...)
	c.buf = append(c.buf, c.addr...)
	c.buf = append(c.buf, "\r\nContent-Type: application/json\r\nContent-Length: "...)
	c.buf = strconv.AppendInt(c.buf, int64(len(body)), 10)
	c.buf = append(c.buf, "\r\n\r\n"...)
	c.buf = append(c.buf, body...)
	err := c.roundTrip()
	if err != nil {
		c.close()
	}
	return err
}

func (c *rawConn) roundTrip() error {
	if _, err := c.conn.Write(c.buf); err != nil {
		return err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.Close {
		return errors.New("the server closed the connection")
	}
	// 403 and 429 are decisions (block, defer); 400 is a message the mix
	// should not hold.
	if resp.StatusCode >= 500 || resp.StatusCode == 400 || resp.StatusCode == 413 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func (c *rawConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// serverStats are the service's runtime figures read from its /metrics
// (msgfilter serve exports the Go runtime's scheduler, GC and CPU-class
// metrics; the names may carry a namespace prefix).
type serverStats struct {
	cpuSeconds  float64 // process_cpu_seconds_total
	rss         float64 // process_resident_memory_bytes
	goroutines  float64 // go_goroutines
	gcCycles    float64 // go_gc_cycles_total_gc_cycles_total
	allocBytes  float64 // go_gc_heap_allocs_bytes_total
	gcCPU       float64 // go_cpu_classes_gc_total_cpu_seconds_total
	assistCPU   float64 // go_cpu_classes_gc_mark_assist_cpu_seconds_total
	schedLat    *dto.Histogram
	gcPauses    *dto.Histogram
	gogc        float64 // GOGC in effect (off: the runtime reports 2^64)
	found       bool
	scrapeError string
}

func scrapeServer(base, token string) serverStats {
	var s serverStats
	req, err := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if err != nil {
		s.scrapeError = err.Error()
		return s
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.scrapeError = err.Error()
		return s
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		s.scrapeError = resp.Status
		return s
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		s.scrapeError = err.Error()
		return s
	}
	return runtimeStats(fams)
}

// selfStats are this process's runtime figures, read the way the
// service's are.
func selfStats() serverStats {
	reg := prometheus.NewRegistry()
	reg.MustRegister(server.RuntimeCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	fams, err := reg.Gather()
	if err != nil {
		return serverStats{scrapeError: err.Error()}
	}
	byName := make(map[string]*dto.MetricFamily, len(fams))
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	return runtimeStats(byName)
}

func runtimeStats(fams map[string]*dto.MetricFamily) serverStats {
	var s serverStats
	// The names carry the service's metrics namespace, if any.
	prefix := ""
	for name := range fams {
		if p, ok := strings.CutSuffix(name, "process_cpu_seconds_total"); ok {
			prefix = p
		}
	}
	for name, f := range fams {
		name, ok := strings.CutPrefix(name, prefix)
		if !ok || len(f.GetMetric()) == 0 {
			continue
		}
		m := f.GetMetric()[0]
		val := m.GetGauge().GetValue() + m.GetCounter().GetValue()
		switch name {
		case "process_cpu_seconds_total":
			s.cpuSeconds, s.found = val, true
		case "process_resident_memory_bytes":
			s.rss = val
		case "go_goroutines":
			s.goroutines = val
		case "go_gc_cycles_total_gc_cycles_total":
			s.gcCycles = val
		case "go_gc_gogc_percent":
			s.gogc = val
		case "go_gc_heap_allocs_bytes_total":
			s.allocBytes = val
		case "go_cpu_classes_gc_total_cpu_seconds_total":
			s.gcCPU = val
		case "go_cpu_classes_gc_mark_assist_cpu_seconds_total":
			s.assistCPU = val
		case "go_sched_latencies_seconds":
			s.schedLat = m.GetHistogram()
		case "go_sched_pauses_total_gc_seconds":
			s.gcPauses = m.GetHistogram()
		}
	}
	return s
}

// histQuantile returns the upper bound of the bucket holding the
// q-quantile of the observations made between a and b (cumulative
// Prometheus histograms of the same metric): "≤ 917.503µs", or "> 117ms"
// when it lies beyond the last finite bucket.
func histQuantile(a, b *dto.Histogram, q float64) string {
	if b == nil {
		return "-"
	}
	before := map[float64]uint64{}
	if a != nil {
		for _, bk := range a.GetBucket() {
			before[bk.GetUpperBound()] = bk.GetCumulativeCount()
		}
	}
	total := b.GetSampleCount() - a.GetSampleCount()
	if total == 0 {
		return "-"
	}
	rank := uint64(math.Ceil(q * float64(total)))
	last := 0.0
	for _, bk := range b.GetBucket() {
		if math.IsInf(bk.GetUpperBound(), 1) {
			break
		}
		last = bk.GetUpperBound()
		if bk.GetCumulativeCount()-before[bk.GetUpperBound()] >= rank {
			return "≤ " + time.Duration(last*float64(time.Second)).String()
		}
	}
	return "> " + time.Duration(last*float64(time.Second)).String()
}

func histCount(a, b *dto.Histogram) uint64 { return b.GetSampleCount() - a.GetSampleCount() }

// printRuntime writes what a process's runtime did during the run.
func printRuntime(out io.Writer, who string, r *loadResult, before, after serverStats) {
	if !after.found {
		if after.scrapeError != "" {
			fmt.Fprintf(out, "%s runtime: /metrics not read (%s)\n", who, after.scrapeError)
		}
		return
	}
	cpu := after.cpuSeconds - before.cpuSeconds
	gogc := strconv.FormatFloat(after.gogc, 'f', 0, 64)
	if after.gogc < 0 || after.gogc > math.MaxInt32 {
		gogc = "off"
	}
	fmt.Fprintf(out, "%s: %.1f µs CPU and %.1f KiB allocated per request (%.2f cores), rss %.1f MiB, %.0f goroutines; GOGC %s, %.0f GC cycles, GC %.1f%% of its CPU (assists %.1f%%)\n",
		who, cpu/float64(r.requests)*1e6, (after.allocBytes-before.allocBytes)/float64(r.requests)/1024, cpu/r.elapsed.Seconds(), after.rss/(1<<20), after.goroutines,
		gogc, after.gcCycles-before.gcCycles, 100*(after.gcCPU-before.gcCPU)/cpu, 100*(after.assistCPU-before.assistCPU)/cpu)
	// The runtime's histograms reach Prometheus with coarse buckets
	// (about one per factor of ten): the quantiles are bucket bounds.
	if after.schedLat != nil {
		fmt.Fprintf(out, "%s scheduler latency (runnable -> running, %d goroutine starts): p50 %s  p99 %s  p99.9 %s\n",
			who, histCount(before.schedLat, after.schedLat), histQuantile(before.schedLat, after.schedLat, 0.5),
			histQuantile(before.schedLat, after.schedLat, 0.99), histQuantile(before.schedLat, after.schedLat, 0.999))
	}
	if after.gcPauses != nil {
		fmt.Fprintf(out, "%s GC stop-the-world pauses (%d): p50 %s  p99 %s  max %s\n",
			who, histCount(before.gcPauses, after.gcPauses), histQuantile(before.gcPauses, after.gcPauses, 0.5),
			histQuantile(before.gcPauses, after.gcPauses, 0.99), histQuantile(before.gcPauses, after.gcPauses, 1))
	}
}

// printLoad writes the run's figures and, when the service's /metrics
// answered, what its runtime (who) did meanwhile.
func printLoad(out io.Writer, who string, cfg loadConfig, r *loadResult, before, after serverStats) {
	q := func(h *histogram) string {
		return fmt.Sprintf("p50 %v  p99 %v  p99.9 %v  max %v", h.quantile(0.5), h.quantile(0.99), h.quantile(0.999), time.Duration(h.max))
	}
	fmt.Fprintf(out, "rate: %d requests of 1 message in %.1fs (%.0f req/s, target %d) on %d %s connections, %d failed %s\n",
		r.requests, r.elapsed.Seconds(), float64(r.requests)/r.elapsed.Seconds(), cfg.rate, cfg.conns, cfg.proto, r.failed, r.firstErr)
	fmt.Fprintf(out, "latency from due time:  %s\n", q(&r.fromDue))
	fmt.Fprintf(out, "latency from send time: %s\n", q(&r.fromSend))
	fmt.Fprintf(out, "generator lateness (send - due): %s\n", q(&r.late))
	printRuntime(out, who, r, before, after)
}

// execServer starts command (split on spaces) with "serve -addr
// 127.0.0.1:PORT" appended on a free port, waits until /readyz answers and
// returns its base URL and how to stop it (SIGTERM, then wait).
func execServer(ctx context.Context, command string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	args := append(strings.Fields(command), "serve", "-addr", addr)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	base := "http://" + addr
	for deadline := time.Now().Add(time.Minute); ; {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("%s: not ready after a minute: %v", command, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
