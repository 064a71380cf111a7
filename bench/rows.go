package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/msgfilter/msgfilter/filter"
)

// The rows of issue 13's table: streams of messages, each endless, so that
// a fresh code or amount is in every templated message however long a run.
const (
	rowExact     = "exact"     // one message repeated: exact-cache hits
	rowTemplated = "templated" // 7 A2P templates in 7 countries, a fresh code or amount in each message
	rowRealistic = "realistic" // 60% templated, 40% distinct corpus texts sent as promotional
)

// a2p is one real-world A2P template of the mix (countries in mix.go) with
// one slot that changes in every message.
type a2p struct {
	msg       filter.Message // channel, kind, sender, time
	pre, post string         // the body around the slot
	slot      string         // code, amount or ref
	rcpts     []string
	promo     string // the country's promotional sender
	code      string
}

// a2pPicks are the templates: OTPs, bank alerts and deliveries, by
// country, list (otp or notify), template, brand and the slot that varies.
var a2pPicks = []struct {
	cc, list  string
	tmpl, brd int
	slot      string
}{
	{"AE", "otp", 0, 0, "code"},      // Your ADCB verification code is {code}...
	{"IN", "otp", 0, 0, "code"},      // {code} is your OTP for login to HDFC Bank...
	{"FR", "notify", 0, 1, "ref"},    // Bonjour {name}, votre colis {ref} sera livré le {date}.
	{"TR", "notify", 1, 1, "amount"}, // Garanti BBVA kartınızdan {amount} TL harcama yapıldı.
	{"TH", "otp", 1, 0, "code"},      // Your KBank OTP is {code}. Ref {ref}. Valid 5 minutes.
	{"US", "notify", 1, 0, "amount"}, // Chase: a charge of ${amount} was made on your card ending {last4}.
	{"DE", "notify", 0, 0, "ref"},    // Ihr Paket {ref} wird heute zugestellt.
}

// a2pRecipients is how many recipients each template cycles through: a
// pool the engine's recipient cache holds, so that the rows measure the
// filter, not libphonenumber's parse of a first-seen number.
const a2pRecipients = 64

// rowBase is when the rows' traffic starts: 10:00 UTC on the mix's day.
var rowBase = day.Add(10 * time.Hour)

// newA2P builds the templates from the mix's countries; the placeholders
// other than the slot are filled once with a fixed seed.
func newA2P() []a2p {
	r := rand.New(rand.NewPCG(13, 13))
	out := make([]a2p, len(a2pPicks))
	for i, p := range a2pPicks {
		var c *country
		for j := range countries {
			if countries[j].code == p.cc {
				c = &countries[j]
			}
		}
		list, kind := c.otp, filter.OTP
		if p.list == "notify" {
			list, kind = c.notify, filter.Transactional
		}
		tmpl := list[p.tmpl]
		b := c.brands[p.brd]
		pre, post, _ := strings.Cut(tmpl, "{"+p.slot+"}")
		t := a2p{
			msg:   filter.Message{Channel: filter.SMS, Kind: kind, Sender: b.sender, Tenant: "acme", Time: rowBase},
			pre:   fill(r, pre, c, b),
			post:  fill(r, post, c, b),
			slot:  p.slot,
			promo: c.promoTx,
			code:  c.code,
		}
		for range a2pRecipients {
			t.rcpts = append(t.rcpts, c.mobile(r))
		}
		out[i] = t
	}
	return out
}

// message writes the templated message for v into m: the slot holds a
// value derived from v (unique for v below a million per template), the
// recipient cycles with v and the clock moves 10 ms per message: each
// template sends 100 messages a second, so a new minute (new facts) comes
// every 6,000 messages of a template, as at a gateway of modest traffic.
func (t *a2p) message(v int64, m *filter.Message, bs *bodies) {
	*m = t.msg
	m.Recipient = t.rcpts[v%a2pRecipients]
	m.Time = rowBase.Add(time.Duration(v) * 10 * time.Millisecond)
	// A bijection of [0, 1e6): consecutive messages get unrelated codes.
	x := uint64(v%1_000_000) * 387_403 % 1_000_000
	b := bs.grow(len(t.pre) + len(t.post) + 16)
	b = append(b, t.pre...)
	switch t.slot {
	case "amount":
		b = strconv.AppendUint(b, 1+x/100, 10)
		b = append(b, '.', byte('0'+x/10%10), byte('0'+x%10))
	case "ref":
		b = append(b, "00340434"...)
		fallthrough
	default:
		var d [6]byte
		for i := len(d) - 1; i >= 0; i-- {
			d[i] = byte('0' + x%10)
			x /= 10
		}
		b = append(b, d[:]...)
	}
	m.Body = bs.cut(append(b, t.post...))
}

// rowSource returns the stream of a row. corpus holds the realistic row's
// texts (the spam and smishing corpora, or the built-in set).
func rowSource(row string, corpus []spamBody) (source, error) {
	tmpls := newA2P()
	nt := int64(len(tmpls))
	templated := func(k int64, m *filter.Message, bs *bodies) { tmpls[k%nt].message(k/nt, m, bs) }
	switch row {
	case rowExact:
		var one filter.Message
		tmpls[0].message(0, &one, nil)
		return func(_ int64, m *filter.Message, _ *bodies) { *m = one }, nil
	case rowTemplated:
		return templated, nil
	case rowRealistic:
		if len(corpus) == 0 {
			return nil, fmt.Errorf("bench: the realistic row needs corpus texts")
		}
		byCC := map[string]*a2p{}
		for i := range tmpls {
			byCC[tmpls[i].code] = &tmpls[i]
		}
		nc := int64(len(corpus))
		return func(k int64, m *filter.Message, bs *bodies) {
			if k%5 < 3 {
				templated(k/5*3+k%5, m, bs)
				return
			}
			// The j-th corpus message: each pass over the corpus is a
			// minute later, over 8 hours, so that a text comes back as a
			// new message (an exact-cache miss), as a campaign's does.
			j := k/5*2 + k%5 - 3
			s := corpus[j%nc]
			t := byCC[s.country]
			if t == nil {
				t = &tmpls[j%nt]
			}
			*m = filter.Message{Channel: filter.SMS, Kind: filter.Promotional, Sender: t.promo, Tenant: "acme",
				Recipient: t.rcpts[j%a2pRecipients], Body: s.text,
				Time: rowBase.Add(time.Duration(j/nc%480) * time.Minute)}
		}, nil
	}
	return nil, fmt.Errorf("bench: unknown row %q", row)
}

// tableRow is one line of the table: a checker on a stream, on one core
// and on two.
type tableRow struct {
	Name   string  `json:"name"`
	One    result  `json:"one_core"`
	Two    result  `json:"two_cores"`
	Scale  float64 `json:"scaling"`  // checks/s on two goroutines over one
	NsOp   float64 `json:"ns_op"`    // on one core
	VsNaiv float64 `json:"vs_naive"` // the naive baseline's ns/op over this row's
	VsComp float64 `json:"vs_competent"`
}

// tableReport is the output of -table.
type tableReport struct {
	Go        string     `json:"go"`
	CPUs      int        `json:"cpus"`
	Corpus    []string   `json:"corpora"`
	Texts     int        `json:"corpus_texts"`
	Rows      []tableRow `json:"rows"`
	Agreement struct {
		N         int     `json:"n"`
		Naive     float64 `json:"naive"`     // share of the realistic row's messages where the naive baseline's action is the engine's
		Competent float64 `json:"competent"` // the same for the competent baseline
	} `json:"agreement"`
}

// distinctCorpus drops repeated texts, keeping the first country.
func distinctCorpus(in []spamBody) []spamBody {
	seen := map[string]bool{}
	var out []spamBody
	for _, s := range in {
		if !seen[s.text] {
			seen[s.text] = true
			out = append(out, s)
		}
	}
	return out
}

// table measures issue 13's rows in one process: the engine on the exact,
// templated and realistic rows (a new engine with default caches for each run),
// then the naive and competent baselines on the realistic row; each on one
// goroutine, then two.
func table(ctx context.Context, o options, log io.Writer) (*tableReport, error) {
	spam, files, err := loadSpam(o.dataDir)
	if err != nil {
		return nil, err
	}
	if len(spam) == 0 {
		spam = builtinSpam
	}
	corpus := distinctCorpus(spam)
	rep := &tableReport{Go: runtime.Version(), CPUs: runtime.NumCPU(), Corpus: files, Texts: len(corpus)}
	realistic, err := rowSource(rowRealistic, corpus)
	if err != nil {
		return nil, err
	}
	// measure runs a row on one goroutine, then on two. fresh, when not
	// nil, starts the two-goroutine run from an engine as cold as the first
	// run's: on the warm one, the realistic row's later passes hit the
	// caches more and its scaling would read above 2×.
	measure := func(name string, src source, check checkFunc, fresh func() error, d time.Duration) (tableRow, error) {
		fmt.Fprintf(log, "%s: one goroutine...\n", name)
		r := tableRow{Name: name}
		r.One = run(ctx, name, src, check, runConfig{goroutines: 1, duration: d})
		if fresh != nil {
			if err := fresh(); err != nil {
				return r, err
			}
		}
		fmt.Fprintf(log, "%s: two goroutines...\n", name)
		// The two-goroutine run goes on with new messages.
		r.Two = run(ctx, name, src, check, runConfig{goroutines: 2, duration: d, start: r.One.Checks})
		if r.One.Checks > 0 {
			r.NsOp = r.One.Seconds * 1e9 / float64(r.One.Checks)
			r.Scale = r.Two.ChecksPerSec / r.One.ChecksPerSec
		}
		return r, nil
	}
	fsys := policyFS(o)
	var engine *filter.Engine
	for _, row := range []string{rowExact, rowTemplated, rowRealistic} {
		src, err := rowSource(row, corpus)
		if err != nil {
			return nil, err
		}
		fresh := func() (err error) {
			fmt.Fprintf(log, "%s: loading policies...\n", row)
			engine, err = filter.New(filter.WithPolicies(fsys))
			return err
		}
		if err := fresh(); err != nil {
			return nil, err
		}
		check := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
			d, err := engine.Check(ctx, m)
			return d.Action, d.Cache, err
		}
		r, err := measure(row, src, check, fresh, o.duration)
		if err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, r)
	}
	nv, err := newNaive(ctx, fsys)
	if err != nil {
		return nil, err
	}
	naiveCheck := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
		a, err := nv.check(ctx, m)
		return a, "", err
	}
	cp, err := newCompetent(ctx, fsys)
	if err != nil {
		return nil, err
	}
	compCheck := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
		a, err := cp.check(ctx, m)
		return a, "", err
	}
	base := o.baseDur
	if base == 0 {
		base = o.duration
	}
	naiveRow, _ := measure("naive (straw man), realistic", realistic, naiveCheck, nil, base)
	compRow, _ := measure("competent OPA, realistic", realistic, compCheck, nil, base)
	rep.Rows = append(rep.Rows, naiveRow, compRow)
	for i := range rep.Rows {
		r := &rep.Rows[i]
		if r.NsOp > 0 {
			r.VsNaiv, r.VsComp = naiveRow.NsOp/r.NsOp, compRow.NsOp/r.NsOp
		}
		if r.One.Checks == 0 || r.One.Errors > 0 {
			return nil, fmt.Errorf("bench: row %s: %d checks, %d errors (%s)", r.Name, r.One.Checks, r.One.Errors, r.One.FirstError)
		}
	}
	// The last engine is the realistic row's: compare on its stream.
	engineCheck := func(ctx context.Context, m *filter.Message) (filter.Action, string, error) {
		d, err := engine.Check(ctx, m)
		return d.Action, d.Cache, err
	}
	rep.Agreement.N = o.agreeN
	rep.Agreement.Naive = agreement(ctx, realistic, engineCheck, naiveCheck, o.agreeN)
	rep.Agreement.Competent = agreement(ctx, realistic, engineCheck, compCheck, o.agreeN)
	return rep, nil
}

func printTable(w io.Writer, r *tableReport) {
	fmt.Fprintf(w, "%s, %d CPUs; realistic row: %d distinct corpus texts from %v\n", r.Go, r.CPUs, r.Texts, r.Corpus)
	fmt.Fprintln(w, "| row | µs/check | checks/s/core | allocs/check | p99 | 2 goroutines: checks/s | scaling | naive ÷ row | competent ÷ row |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	for _, x := range r.Rows {
		fmt.Fprintf(w, "| %s | %.2f | %.0f | %.1f | %v | %.0f | %.2f× | %.1f× | %.1f× |\n",
			x.Name, x.NsOp/1e3, x.One.ChecksPerCore, x.One.AllocsPerCheck, x.One.P99.Round(100*time.Nanosecond),
			x.Two.ChecksPerSec, x.Scale, x.VsNaiv, x.VsComp)
	}
	fmt.Fprint(w, "µs/check: wall time over all of the one-goroutine run's checks; p99: of a sample, one check in n timed (")
	for i, x := range r.Rows {
		if i > 0 {
			fmt.Fprint(w, "; ")
		}
		fmt.Fprintf(w, "%s: n = %.0f", x.Name, x.One.sampled())
	}
	fmt.Fprintf(w, "), so that the stopwatch (%v a check) costs at most %.2f%% of the run\n", r.Rows[0].One.Stopwatch, 100.0/stopwatchShare)
	fmt.Fprintf(w, "same action as the engine on the realistic row's first %d messages: naive %.1f%%, competent %.1f%%\n",
		r.Agreement.N, 100*r.Agreement.Naive, 100*r.Agreement.Competent)
	for _, x := range r.Rows {
		fmt.Fprintf(w, "%s: actions %v", x.Name, x.One.Actions)
		if len(x.One.Answered) > 0 && x.One.Answered["exact"]+x.One.Answered["facts"] > 0 {
			fmt.Fprintf(w, "; answered by %v", x.One.Answered)
		}
		fmt.Fprintln(w)
	}
}
