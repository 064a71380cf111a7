package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/geo"
)

const checkSummary = `Reads messages (JSON lines; FILE or stdin) and writes one decision per input line,
in order. Every output line carries "v": 1, the version of its format (see the README).
A line that cannot be decided gives {"v":1,"id":...,"line":N,"error":...}; the run goes on.`

// outputVersion is the "v" field of every check output line: the version of
// the output format. Gateways read the decision's fields where they always
// were; "v" changes only when a field changes meaning or goes away.
const outputVersion = 1

// envelope adds the version to an output line. A field on each line, not a
// header line: line N of the output still answers line N of the input, and
// a reader that ignores unknown fields sees no change.
func envelope(result any) any {
	switch r := result.(type) {
	case filter.Decision:
		return struct {
			V int `json:"v"`
			filter.Decision
		}{outputVersion, r}
	case filter.Explanation:
		return struct {
			V int `json:"v"`
			filter.Explanation
		}{outputVersion, r}
	case lineError:
		return struct {
			V int `json:"v"`
			lineError
		}{outputVersion, r}
	}
	return result
}

// tally counts check's results for -summary and shows the progress line. A
// nil *tally does nothing. Not safe for concurrent use, except that the
// progress goroutine only reads atomics.
type tally struct {
	w       io.Writer
	summary bool
	lines   int
	byKey   map[string]map[string]int // "action", "code", "country", "tenant" → value → count

	// progress, when the input is a file and w a terminal
	size     int64
	read     atomic.Int64
	done     chan struct{}
	finished chan struct{}
}

// newTally returns nil when there is nothing to count or show: no summary
// asked for, and no progress line (input of unknown size, or stderr not a
// terminal, as isTerminal tells).
func newTally(summary bool, stderr io.Writer, size int64, terminal bool) *tally {
	progress := size > 0 && terminal
	if !summary && !progress {
		return nil
	}
	t := &tally{w: stderr, summary: summary, byKey: map[string]map[string]int{}}
	if progress {
		t.size = size
		t.done, t.finished = make(chan struct{}), make(chan struct{})
		go t.showProgress()
	}
	return t
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// reader counts the bytes check reads, for the progress line.
func (t *tally) reader(r io.Reader) io.Reader {
	if t == nil || t.done == nil {
		return r
	}
	return countingReader{r, &t.read}
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// showProgress rewrites one line on the terminal four times a second.
func (t *tally) showProgress() {
	defer close(t.finished)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	for {
		select {
		case <-t.done:
			fmt.Fprint(t.w, "\r\033[K") // erase the line
			return
		case <-tick.C:
			n := t.read.Load()
			fmt.Fprintf(t.w, "\rmsgfilter check: %3.0f%% (%s of %s) in %v\033[K",
				100*float64(n)/float64(t.size), byteSize(n), byteSize(t.size), time.Since(start).Round(time.Second))
		}
	}
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// add counts one output line. line is the input line it answers.
func (t *tally) add(line []byte, result any) {
	if t == nil || !t.summary {
		return
	}
	t.lines++
	country, tenant := routeOf(line)
	t.count("country", country)
	t.count("tenant", tenant)
	var d filter.Decision
	switch r := result.(type) {
	case filter.Decision:
		d = r
	case filter.Explanation:
		d = r.Decision
	case inboundAnswer:
		t.count("action", "inbound")
		return
	default:
		t.count("action", "error")
		return
	}
	t.count("action", string(d.Action))
	for _, c := range codesOf(d) {
		t.count("code", string(c))
	}
}

func (t *tally) count(key, value string) {
	m := t.byKey[key]
	if m == nil {
		m = map[string]int{}
		t.byKey[key] = m
	}
	m[value]++
}

// routeOf returns the destination country (upper case, as the engine
// settles it) and the tenant of an input line, "-" for what is unknown.
func routeOf(line []byte) (country, tenant string) {
	var m struct{ Country, Recipient, Tenant string }
	_ = json.Unmarshal(line, &m) // an unreadable line is counted as unknown
	country = strings.ToUpper(m.Country)
	if country == "" {
		r, _ := geo.ParseRecipient(m.Recipient)
		country = r.Country
	}
	return cmp.Or(country, "-"), cmp.Or(m.Tenant, "-")
}

// finish stops the progress line and prints the summary.
func (t *tally) finish() {
	if t == nil {
		return
	}
	if t.done != nil {
		close(t.done)
		<-t.finished
	}
	if t.summary {
		writeSummary(t.w, t.lines, t.byKey)
	}
}

// writeSummary prints totals per key, most frequent value first.
func writeSummary(w io.Writer, lines int, byKey map[string]map[string]int) {
	fmt.Fprintf(w, "summary: %d lines\n", lines)
	for _, key := range []string{"action", "code", "country", "tenant"} {
		counts := byKey[key]
		if len(counts) == 0 {
			fmt.Fprintf(w, "  by %s: none\n", key)
			continue
		}
		fmt.Fprintf(w, "  by %s:\n", key)
		for _, v := range byCount(counts) {
			fmt.Fprintf(w, "    %-28s %d\n", v, counts[v])
		}
	}
}

// byCount returns m's keys, most frequent first, then in order.
func byCount(m map[string]int) []string {
	return slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(a, b))
	})
}
