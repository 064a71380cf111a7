package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/policies"
)

// sharedData is the corpora directory seen from this package; tests that
// want it skip when it is absent (a user's clone has no ../shared).
const sharedData = "../../shared/data"

func TestBuildMixDeterministic(t *testing.T) {
	for _, kind := range []string{mixTemplated, mixRealistic} {
		t.Run(kind, func(t *testing.T) {
			cfg := mixConfig{kind: kind, n: 500, seed: 7, minutes: 48}
			a, sa, err := buildMix(cfg)
			if err != nil {
				t.Fatal(err)
			}
			b, sb, err := buildMix(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(sa, sb) {
				t.Errorf("buildMix(%+v) twice gave different mixes", cfg)
			}
			cfg.seed = 8
			c, _, err := buildMix(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if reflect.DeepEqual(a, c) {
				t.Errorf("buildMix with seeds 7 and 8 gave the same mix")
			}
		})
	}
}

func TestBuildMixShape(t *testing.T) {
	msgs, st, err := buildMix(mixConfig{kind: mixRealistic, n: 4000, seed: 1, minutes: 24})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Countries; got != len(countries) {
		t.Errorf("countries = %d, want %d", got, len(countries))
	}
	for class, lo := range map[string]int{"templated": 2600, "marketing": 450, "spam": 450} {
		if got := st.ByClass[class]; got < lo {
			t.Errorf("%s messages = %d, want at least %d of 4000", class, got, lo)
		}
	}
	minutes := map[int]bool{}
	for _, m := range msgs {
		minutes[m.Time.Hour()*60+m.Time.Minute()] = true
	}
	if got := len(minutes); got != 24 {
		t.Errorf("distinct minutes = %d, want 24", got)
	}
	if _, _, err := buildMix(mixConfig{kind: "nope", n: 1}); err == nil {
		t.Errorf("buildMix(kind nope) = nil error, want one")
	}
	if _, _, err := buildMix(mixConfig{kind: mixTemplated, n: 0}); err == nil {
		t.Errorf("buildMix(n 0) = nil error, want one")
	}
}

func TestBuildMixRecipientPool(t *testing.T) {
	msgs, _, err := buildMix(mixConfig{kind: mixTemplated, n: 2000, seed: 1, minutes: 48, recipients: 3})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		seen[m.Recipient] = true
	}
	if got, want := len(seen), 3*len(countries); got > want {
		t.Errorf("distinct recipients = %d, want at most %d", got, want)
	}
}

func TestLoadSpamCorpora(t *testing.T) {
	if _, err := os.Stat(filepath.Join(sharedData, "uci-sms-spam-collection")); err != nil {
		t.Skipf("corpora not found at %s", sharedData)
	}
	spam, files, err := loadSpam(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 || len(spam) < 1500 {
		t.Errorf("loadSpam = %d bodies from %v, want 1500+ from 3 files", len(spam), files)
	}
}

// newTestEngine is an engine on the embedded packs with a fixed clock, two
// days after day: the mix's messages (day and, shifted, the next day) must
// not be ahead of the engine's clock (filter.MaxClockSkew).
func newTestEngine(t testing.TB) *filter.Engine {
	t.Helper()
	// No check budget: under -race an uncached check can take longer than
	// the default second, and the tests are about the mix, not the budget.
	now := day.Add(48 * time.Hour)
	e, err := filter.New(filter.WithClock(func() time.Time { return now }), filter.WithCheckBudget(-1))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// Every message of the mix must be one the engine can decide: a mix
// message the engine rejects measures validation, not filtering.
func TestMixMessagesValidate(t *testing.T) {
	e := newTestEngine(t)
	dir := ""
	if _, err := os.Stat(sharedData); err == nil {
		dir = sharedData
	}
	msgs, _, err := buildMix(mixConfig{kind: mixRealistic, n: 600, seed: 3, minutes: 48, dataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[filter.Action]int{}
	for i := range msgs {
		d, err := e.Check(context.Background(), &msgs[i])
		if err != nil {
			t.Fatalf("Check(%q to %s from %s) = %v", msgs[i].Body, msgs[i].Recipient, msgs[i].Sender, err)
		}
		actions[d.Action]++
	}
	for _, a := range []filter.Action{filter.Allow, filter.Block, filter.Defer} {
		if actions[a] == 0 {
			t.Errorf("no %s decision in 600 mixed messages (%v), want some", a, actions)
		}
	}
}

func TestNaive(t *testing.T) {
	nv, err := newNaive(context.Background(), policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	noon := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)   // 13:00 in Dubai, 10:00 in Paris
	night := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC) // 23:00 in Dubai, 20:00 in Paris
	msg := func(kind filter.Kind, sender, rcpt, body string, at time.Time) filter.Message {
		return filter.Message{Channel: filter.SMS, Kind: kind, Sender: sender, Recipient: rcpt, Body: body, Time: at}
	}
	const ae, fr, ir, hk = "+971501234567", "+33612345678", "+989121234567", "+85251234567"
	// Each spam case is followed by its ham twin.
	cases := []struct {
		name string
		msg  filter.Message
		want filter.Action
	}{
		{"ae/political", msg(filter.Transactional, "ADCB", ae, "Vote in the parliament elections this Friday", noon), filter.Block},
		{"ae/political-ham", msg(filter.Transactional, "ADCB", ae, "Your ADCB card statement is ready", noon), filter.Allow},
		{"ae/promo-night", msg(filter.Promotional, "AD-Noon", ae, "White Friday: 70% off today", night), filter.Defer},
		{"ae/promo-day", msg(filter.Promotional, "AD-Noon", ae, "White Friday: 70% off today", noon), filter.Allow},
		{"ae/promo-no-prefix", msg(filter.Promotional, "Noon", ae, "White Friday: 70% off today", noon), filter.Block},
		{"ir/link", msg(filter.OTP, "Snapp", ir, "Your code is 1234 https://snapp.ir/a", noon), filter.Block},
		{"ir/no-link", msg(filter.OTP, "Snapp", ir, "Your code is 1234", noon), filter.Allow},
		{"fr/no-stop", msg(filter.Promotional, "Fnac", fr, "Soldes Fnac : -20% sur tout", noon), filter.Block},
		{"fr/stop", msg(filter.Promotional, "Fnac", fr, "Soldes Fnac : -20% sur tout. STOP au 36111", noon), filter.Allow},
		{"hk/no-hash", msg(filter.Transactional, "HSBC", hk, "Your card was used for HKD 320", noon), filter.Block},
		{"hk/hash", msg(filter.Transactional, "#HSBC", hk, "Your card was used for HKD 320", noon), filter.Allow},
		{"global/lure", msg(filter.Service, "INFO12", fr, "Claim your prize today", noon), filter.Review},
		{"global/lure-ham", msg(filter.Service, "INFO12", fr, "Your prize draw ticket is 12", noon), filter.Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := nv.check(context.Background(), &c.msg)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("naive check(%q from %s) = %s, want %s", c.msg.Body, c.msg.Sender, got, c.want)
			}
		})
	}
}

// TestBench runs both checkers on a small mix for a fraction of a second
// and checks that the report is sane.
func TestBench(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the engine and the baseline for a second")
	}
	o := options{mix: mixRealistic, n: 2000, seed: 1, minutes: 48, goroutines: 2,
		duration: 300 * time.Millisecond, baseline: true, baseDur: 300 * time.Millisecond, agreeN: 50,
		budget: -1} // no budget: under -race on a loaded machine an uncached check can pass a second
	rep, err := bench(context.Background(), o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*result{&rep.Engine, rep.Baseline} {
		if r == nil {
			t.Fatal("no baseline result with baseline on")
		}
		if r.Checks == 0 || r.Errors != 0 {
			t.Errorf("%s: %d checks, %d errors (%s); want some checks and no errors", r.Name, r.Checks, r.Errors, r.FirstError)
		}
		if !(0 < r.P50 && r.P50 <= r.P99 && r.P99 <= r.P999 && r.P999 <= r.Max) {
			t.Errorf("%s: latencies p50 %v p99 %v p99.9 %v max %v, want 0 < p50 <= p99 <= p99.9 <= max", r.Name, r.P50, r.P99, r.P999, r.Max)
		}
		if r.ChecksPerCore <= 0 || r.AllocsPerCheck <= 0 || r.Seconds < 0.3 {
			t.Errorf("%s: %.0f checks/core, %.1f allocs/check in %.2fs; want positive rates over at least 0.3s", r.Name, r.ChecksPerCore, r.AllocsPerCheck, r.Seconds)
		}
		var sum int64
		for _, n := range r.Actions {
			sum += n
		}
		if sum != r.Checks-r.Errors {
			t.Errorf("%s: actions add up to %d, want %d", r.Name, sum, r.Checks-r.Errors)
		}
	}
	if c := rep.Engine.Cache; c == nil || c.ExactHitRatio < 0 || c.ExactHitRatio > 1 || c.FactHitRatio < 0 || c.FactHitRatio > 1 {
		t.Errorf("engine cache report %+v, want ratios in [0, 1]", rep.Engine.Cache)
	}
	if rep.Speedup <= 0 || rep.Agreement <= 0.5 {
		t.Errorf("speed-up %.2f, agreement %.2f; want a positive speed-up and agreement above half", rep.Speedup, rep.Agreement)
	}
	if _, err := os.Stat("/proc/self/status"); err == nil && rep.Engine.PeakRSS < rep.Engine.RSSBefore/2 {
		t.Errorf("peak RSS %d below RSS before %d", rep.Engine.PeakRSS, rep.Engine.RSSBefore)
	}
}

// A templated mix replayed as it is answers from the exact cache the third
// time (a message enters it at its second sighting); replayed as the next
// day, it does not.
func TestReplayCaching(t *testing.T) {
	msgs, _, err := buildMix(mixConfig{kind: mixTemplated, n: 500, seed: 2, minutes: 48})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		nextDay   bool
		wantExact bool
		checks    int64 // passes over the mix: two for the next day, within the engine's clock skew
	}{{"same", false, true, 1500}, {"nextday", true, false, 1000}} {
		t.Run(c.name, func(t *testing.T) {
			e := newTestEngine(t) // empty caches
			check := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
				d, err := e.Check(ctx, m)
				return d.Action, d.Cache, err
			}
			r := run(context.Background(), c.name, poolSource(msgs, c.nextDay), check, runConfig{goroutines: 2, checks: c.checks})
			if r.Checks != c.checks || r.Errors != 0 {
				t.Fatalf("%d checks, %d errors (%s); want %d and none", r.Checks, r.Errors, r.FirstError, c.checks)
			}
			got := r.Answered[filter.CacheExact]
			if c.wantExact && got < 475 {
				t.Errorf("exact-cache answers = %d, want at least 475 (95%% of the third pass)", got)
			}
			if !c.wantExact && got > 50 {
				t.Errorf("exact-cache answers = %d, want (almost) none for new days", got)
			}
		})
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	var sample []time.Duration
	for i := range 10000 {
		d := time.Duration(i*i%99991) * time.Nanosecond * 37
		h.record(d)
		sample = append(sample, d)
	}
	slices.Sort(sample)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999, 1} {
		want := sample[max(int(q*float64(len(sample)))-1, 0)]
		got := h.quantile(q)
		if got < want || float64(got) > float64(want)*(1+1.0/64)+1 {
			t.Errorf("quantile(%v) = %v, want %v within +1.6%%", q, got, want)
		}
	}
	var empty histogram
	if got := empty.quantile(0.5); got != 0 {
		t.Errorf("empty quantile = %v, want 0", got)
	}
}

// run's latency quantiles come from a sample of the checks: a slow check
// in every 32, a period that timing every n-th check (n a power of two)
// would line up with, must show at p99 and not at p50, and fewer checks
// are timed than run wherever the stopwatch costs more than a 400th of one.
func TestRunSampledQuantiles(t *testing.T) {
	const n, slow = 300_000, 20 * time.Microsecond
	src := func(k int64, m *filter.Message, _ *bodies) {
		m.Tenant = ""
		if k%32 == 0 {
			m.Tenant = "slow"
		}
	}
	check := func(_ context.Context, m *filter.Message) (filter.Action, string, error) {
		if m.Tenant == "slow" {
			for t0 := time.Now(); time.Since(t0) < slow; {
			}
		}
		return filter.Allow, "", nil
	}
	r := run(context.Background(), "sampled", src, check, runConfig{goroutines: 1, checks: n})
	if r.Checks != n {
		t.Fatalf("%d checks, want %d", r.Checks, n)
	}
	if r.P50 >= slow || r.P99 < slow || r.Max < slow {
		t.Errorf("p50 %v, p99 %v, max %v; want p50 below %v, p99 and max at least that (1 check in 32 is slow)", r.P50, r.P99, r.Max, slow)
	}
	per := time.Duration(r.Seconds * 1e9 / n)
	if sampleEvery(r.Stopwatch, per) >= 4 && r.Timed > n/2 {
		t.Errorf("%d of %d checks timed with a stopwatch of %v and %v a check; want a sample", r.Timed, n, r.Stopwatch, per)
	}
}

func TestSampleEvery(t *testing.T) {
	for _, c := range []struct {
		name    string
		sw, per time.Duration
		want    int64
	}{
		{"exact row", 90 * time.Nanosecond, 400 * time.Nanosecond, 128},     // 90 ns ≤ 1/400 of 128 × 0.4 µs
		{"templated row", 90 * time.Nanosecond, 1200 * time.Nanosecond, 32}, // 1/400 of 32 × 1.2 µs = 96 ns
		{"realistic row", 90 * time.Nanosecond, 4 * time.Microsecond, 16},   // 160 ns
		{"baseline", 90 * time.Nanosecond, 140 * time.Microsecond, 1},       // 350 ns
		{"free stopwatch", 0, time.Microsecond, 1},                          //
		{"instant checks", 90 * time.Nanosecond, 0, 1024},                   // the cap
		{"on the bound", 25 * time.Nanosecond, 10 * time.Microsecond, 1},    // exactly 1/400
		{"just above the bound", 26 * time.Nanosecond, 10 * time.Microsecond, 2},
	} {
		if got := sampleEvery(c.sw, c.per); got != c.want {
			t.Errorf("%s: sampleEvery(%v, %v) = %d, want %d", c.name, c.sw, c.per, got, c.want)
		}
	}
}

// FuzzHistogram: a quantile is never below the true one nor more than one
// bucket (1/64) above it, and buckets are ordered.
func FuzzHistogram(f *testing.F) {
	f.Add(uint64(0), uint64(1), uint64(127), uint64(128))
	f.Add(uint64(1<<40), uint64(255), uint64(1<<63), uint64(50_000))
	f.Fuzz(func(t *testing.T, a, b, c, d uint64) {
		vals := []uint64{a >> 1, b >> 1, c >> 1, d >> 1} // time.Duration is signed
		var h histogram
		for _, v := range vals {
			if i := bucketOf(v); i < 0 || i >= histBuckets || bucketHigh(i) < v || (i > 0 && bucketHigh(i-1) >= v) {
				t.Fatalf("bucketOf(%d) = %d, with high %d", v, i, bucketHigh(i))
			}
			h.record(time.Duration(v))
		}
		slices.Sort(vals)
		for k := 1; k <= len(vals); k++ {
			want := vals[k-1]
			got := uint64(h.quantile(float64(k) / float64(len(vals))))
			if got < want || float64(got) > float64(want)*(1+1.0/64)+1 {
				t.Fatalf("quantile(%d/4) = %d, want %d within 1/64", k, got, want)
			}
		}
	})
}

// BenchmarkCheckMix measures the engine on each mix, as the command does
// but under the testing harness: go test -bench CheckMix ./bench.
func BenchmarkCheckMix(b *testing.B) {
	for _, kind := range []string{mixTemplated, mixRealistic} {
		b.Run(kind, func(b *testing.B) {
			e := newTestEngine(b)
			msgs, st, err := buildMix(mixConfig{kind: kind, n: 20000, seed: 1, minutes: 48})
			if err != nil {
				b.Fatal(err)
			}
			replay(b, poolSource(msgs, false), st.BodyBytes/int64(st.Messages), nil, engineCheck(e))
		})
	}
}

// BenchmarkNaive measures the baseline on the realistic mix.
func BenchmarkNaive(b *testing.B) {
	nv, err := newNaive(context.Background(), policies.FS)
	if err != nil {
		b.Fatal(err)
	}
	msgs, st, err := buildMix(mixConfig{kind: mixRealistic, n: 2000, seed: 1, minutes: 48})
	if err != nil {
		b.Fatal(err)
	}
	replay(b, poolSource(msgs, false), st.BodyBytes/int64(st.Messages), nil, func(ctx context.Context, m *filter.Message) error {
		_, err := nv.check(ctx, m)
		return err
	})
}

// BenchmarkMix measures issue 13's rows, as go run ./bench -table does:
// the engine (default caches) on the exact, templated and realistic rows,
// and the naive and competent OPA baselines on the realistic row. Run it
// with -cpu 1,2 for one core and two, and -count 10 for benchstat:
//
//	go test -run '^$' -bench 'BenchmarkMix' -cpu 1,2 -count 10 ./bench
func BenchmarkMix(b *testing.B) {
	corpus := testCorpus()
	for _, row := range []string{rowExact, rowTemplated, rowRealistic, "naive", "competent"} {
		b.Run(row, func(b *testing.B) {
			var check func(context.Context, *filter.Message) error
			switch row {
			case "naive":
				nv, err := newNaive(context.Background(), policies.FS)
				if err != nil {
					b.Fatal(err)
				}
				check = func(ctx context.Context, m *filter.Message) error { _, err := nv.check(ctx, m); return err }
			case "competent":
				cp, err := newCompetent(context.Background(), policies.FS)
				if err != nil {
					b.Fatal(err)
				}
				check = func(ctx context.Context, m *filter.Message) error { _, err := cp.check(ctx, m); return err }
			default:
				check = engineCheck(mixEngine(b, row))
			}
			name := row
			if row == "naive" || row == "competent" {
				name = rowRealistic
			}
			src, err := rowSource(name, corpus)
			if err != nil {
				b.Fatal(err)
			}
			replay(b, src, 0, mixNext(row), check)
		})
	}
}

// BenchmarkMix keeps one engine and one message counter per row across
// its rounds and -count runs: loading the packs costs seconds, a row's
// caches stay warm as at a gateway, and no round repeats an earlier one's
// messages. Benchmarks run one at a time, so the maps need no lock.
var (
	mixEngines = map[string]*filter.Engine{}
	mixNexts   = map[string]*atomic.Int64{}
)

func mixEngine(b *testing.B, row string) *filter.Engine {
	b.Helper()
	if e, ok := mixEngines[row]; ok {
		return e
	}
	e, err := filter.New()
	if err != nil {
		b.Fatal(err)
	}
	mixEngines[row] = e
	return e
}

func mixNext(row string) *atomic.Int64 {
	if mixNexts[row] == nil {
		mixNexts[row] = new(atomic.Int64)
	}
	return mixNexts[row]
}

func engineCheck(e *filter.Engine) func(context.Context, *filter.Message) error {
	return func(ctx context.Context, m *filter.Message) error {
		_, err := e.Check(ctx, m)
		return err
	}
}

// testCorpus is the realistic row's texts: the corpora when ../shared is
// there, the built-in set otherwise.
func testCorpus() []spamBody {
	spam, _, err := loadSpam(sharedData)
	if err != nil || len(spam) == 0 {
		spam = builtinSpam
	}
	return distinctCorpus(spam)
}

// replay runs check over the stream on RunParallel's goroutines. next,
// when not nil, numbers the messages across calls (benchmark rounds), so
// that a later round does not repeat an earlier one's messages.
func replay(b *testing.B, src source, bytesPerMsg int64, next *atomic.Int64, check func(context.Context, *filter.Message) error) {
	if next == nil {
		next = new(atomic.Int64)
	}
	b.ReportAllocs()
	b.SetBytes(bytesPerMsg)
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		var m filter.Message
		var bs bodies
		// Numbers are claimed chunk at a time, as go run ./bench does: one
		// shared counter added to by every check had two cores write one
		// cache line per message, a cost no gateway's checks share.
		var k, last int64
		for pb.Next() {
			if k == last {
				k = next.Add(chunk) - chunk
				last = k + chunk
			}
			k++
			src(k, &m, &bs)
			if err := check(ctx, &m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	// The process's CPU time per check: on a shared machine, time the
	// benchmark waited for a core inflates ns/op but not this.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

func TestCompetent(t *testing.T) {
	cp, err := newCompetent(context.Background(), policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	noon := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)   // 13:00 in Dubai, 10:00 in Paris
	night := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC) // 23:00 in Dubai, 20:00 in Paris
	msg := func(ch filter.Channel, kind filter.Kind, sender, rcpt, body string, at time.Time) filter.Message {
		return filter.Message{Channel: ch, Kind: kind, Sender: sender, Recipient: rcpt, Body: body, Time: at}
	}
	const ae, fr, ir, hk, tw, th = "+971501234567", "+33612345678", "+989121234567", "+85251234567", "+886912345678", "+66812345678"
	// Each spam case is followed by its ham twin.
	cases := []struct {
		name string
		msg  filter.Message
		want filter.Action
	}{
		{"ae/political", msg(filter.SMS, filter.Transactional, "ADCB", ae, "Vote in the parliament elections this Friday", noon), filter.Block},
		{"ae/political-ham", msg(filter.SMS, filter.Transactional, "ADCB", ae, "Your ADCB card statement is ready", noon), filter.Allow},
		{"ae/phone", msg(filter.SMS, filter.Transactional, "ADCB", ae, "Call us on 04 223 2100 to activate", noon), filter.Block},
		{"ae/phone-ham", msg(filter.SMS, filter.Transactional, "ADCB", ae, "Your code is 4821", noon), filter.Allow},
		{"ae/promo-night", msg(filter.SMS, filter.Promotional, "AD-Noon", ae, "White Friday: 70% off today", night), filter.Defer},
		{"ae/promo-day", msg(filter.SMS, filter.Promotional, "AD-Noon", ae, "White Friday: 70% off today", noon), filter.Allow},
		{"ae/promo-no-prefix", msg(filter.SMS, filter.Promotional, "Noon", ae, "White Friday: 70% off today", noon), filter.Block},
		{"ir/link", msg(filter.SMS, filter.OTP, "Snapp", ir, "Your code is 1234 https://snapp.ir/a", noon), filter.Block},
		{"ir/no-link", msg(filter.SMS, filter.OTP, "Snapp", ir, "Your code is 1234", noon), filter.Allow},
		{"tw/shortener", msg(filter.SMS, filter.Transactional, "PChome", tw, "Track it at bit.ly/3xAbc", noon), filter.Block},
		{"tw/own-link", msg(filter.SMS, filter.Transactional, "PChome", tw, "Track it at https://pchome.com.tw/t/3xAbc", noon), filter.Allow},
		{"th/foreign-number", msg(filter.SMS, filter.Transactional, "+447400123456", th, "Your parcel is here", noon), filter.Block},
		{"th/local-number", msg(filter.SMS, filter.Transactional, "+66812345679", th, "Your parcel is here", noon), filter.Allow},
		{"fr/no-stop", msg(filter.SMS, filter.Promotional, "Fnac", fr, "Soldes Fnac : -20% sur tout", noon), filter.Block},
		{"fr/stop", msg(filter.SMS, filter.Promotional, "Fnac", fr, "Soldes Fnac : -20% sur tout. STOP au 36111", noon), filter.Allow},
		{"hk/no-hash", msg(filter.SMS, filter.Transactional, "HSBC", hk, "Your card was used for HKD 320", noon), filter.Block},
		{"hk/hash", msg(filter.SMS, filter.Transactional, "#HSBC", hk, "Your card was used for HKD 320", noon), filter.Allow},
		{"whatsapp/outside-window", msg(filter.WhatsApp, filter.Promotional, "Fnac", fr, "Soldes Fnac. STOP au 36111", noon), filter.Block},
		{"whatsapp/otp", msg(filter.WhatsApp, filter.OTP, "Fnac", fr, "Votre code est 123456", noon), filter.Allow},
		{"global/lure", msg(filter.SMS, filter.Service, "INFO12", fr, "Claim your prize today", noon), filter.Review},
		{"global/lure-ham", msg(filter.SMS, filter.Service, "INFO12", fr, "Your prize draw ticket is 12", noon), filter.Allow},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := cp.check(context.Background(), &c.msg)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("competent check(%q from %s) = %s, want %s", c.msg.Body, c.msg.Sender, got, c.want)
			}
		})
	}
}

func TestLinkHostsAndPhones(t *testing.T) {
	for _, c := range []struct {
		body   string
		hosts  []string
		phones int
	}{
		{"Go to https://Secure-Login.example.com/acc now.", []string{"secure-login.example.com"}, 0},
		{"see www.fnac.fr or bit.ly/x, call 800 2232 1234", []string{"www.fnac.fr", "bit.ly"}, 1},
		{"Version 2.0 is out. Total 12.50", nil, 0},
		{"Your code is 482913", nil, 0},
		{"Call +971 50 123 4567 or 0501234567", nil, 2},
	} {
		if got := linkHosts(c.body); !slices.Equal(got, c.hosts) {
			t.Errorf("linkHosts(%q) = %q, want %q", c.body, got, c.hosts)
		}
		if got := phoneRuns(c.body); got != c.phones {
			t.Errorf("phoneRuns(%q) = %d, want %d", c.body, got, c.phones)
		}
	}
}

// The rows' streams: the exact row repeats one message; every templated
// message is new, from 7 templates in 7 countries; the realistic row is
// 60% templated and 40% promotional corpus texts.
func TestRowSources(t *testing.T) {
	corpus := distinctCorpus(builtinSpam)
	const n = 7000
	for _, row := range []string{rowExact, rowTemplated, rowRealistic} {
		t.Run(row, func(t *testing.T) {
			src, err := rowSource(row, corpus)
			if err != nil {
				t.Fatal(err)
			}
			var bs bodies
			var kept, copies []string // bodies from several chunks, and copies made as they came
			bodies, senders, promo := map[string]bool{}, map[string]bool{}, 0
			var m filter.Message
			for k := range int64(n) {
				src(k, &m, &bs)
				if k%7 == 0 {
					kept, copies = append(kept, m.Body), append(copies, strings.Clone(m.Body))
				}
				bodies[m.Body] = true
				senders[m.Sender] = true
				if m.Kind == filter.Promotional {
					promo++
				}
			}
			// A body cut from a chunk stays what it was when it came,
			// however many bodies were cut after it.
			for i := range kept {
				if kept[i] != copies[i] {
					t.Fatalf("body %d changed after it was handed out: %q, was %q", i*7, kept[i], copies[i])
				}
			}
			switch row {
			case rowExact:
				if len(bodies) != 1 {
					t.Errorf("%d distinct bodies, want 1", len(bodies))
				}
			case rowTemplated:
				if len(bodies) != n || len(senders) != len(a2pPicks) || promo != 0 {
					t.Errorf("%d distinct bodies, %d senders, %d promotional; want %d, %d, 0", len(bodies), len(senders), promo, n, len(a2pPicks))
				}
			case rowRealistic:
				if promo != n*2/5 {
					t.Errorf("%d promotional messages, want %d", promo, n*2/5)
				}
			}
		})
	}
	if _, err := rowSource("nope", corpus); err == nil {
		t.Errorf("rowSource(nope) = nil error, want one")
	}
}

// TestTable runs -table briefly and checks that every row decided.
func TestTable(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the packs three times and runs five rows")
	}
	o := options{duration: 100 * time.Millisecond, agreeN: 50}
	rep, err := table(context.Background(), o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.One.Checks == 0 || r.Two.Checks == 0 || r.NsOp <= 0 || r.VsComp <= 0 {
			t.Errorf("row %s: %d and %d checks, %.0f ns/op, competent ratio %.2f; want positive", r.Name, r.One.Checks, r.Two.Checks, r.NsOp, r.VsComp)
		}
	}
	if rep.Agreement.Competent < 0.8 || rep.Agreement.Naive < 0.8 {
		t.Errorf("agreement naive %.2f, competent %.2f; want above 0.8", rep.Agreement.Naive, rep.Agreement.Competent)
	}
}

// BenchmarkRowSource measures what making a row's message costs, the
// harness's share of each check in the table and in BenchmarkMix.
func BenchmarkRowSource(b *testing.B) {
	corpus := testCorpus()
	for _, row := range []string{rowExact, rowTemplated, rowRealistic} {
		b.Run(row, func(b *testing.B) {
			src, err := rowSource(row, corpus)
			if err != nil {
				b.Fatal(err)
			}
			var m filter.Message
			var bs bodies
			b.ReportAllocs()
			cpu0 := cpuTime()
			for k := int64(0); b.Loop(); k++ {
				src(k, &m, &bs)
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}
