package filter

import (
	"context"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/internal/corpus"
)

// linkFlagged reports whether a check of body gets a link reason.
func linkFlagged(t *testing.T, e *Engine, body string, at time.Time) bool {
	t.Helper()
	m := Message{Channel: SMS, Kind: Transactional, Sender: "ACME", Recipient: "+4915123456789", Body: body, Time: at}
	d, err := e.Check(context.Background(), &m)
	if err != nil {
		t.Fatalf("Check(%q): %v", body, err)
	}
	for _, c := range []Code{IDNHomograph, SuspiciousLink, PhishingDomain, IPLiteralURL, URLShortener, DomainBlocked} {
		if hasCode(d, c) {
			return true
		}
	}
	return false
}

// smishtankURLs reads the Url column of the Smishtank reports (test-only
// data: its misses are never printed, so that nothing is tuned on it).
func smishtankURLs(t *testing.T) []string {
	t.Helper()
	path, err := corpus.Path("smishtank/smishtank.csv")
	if err == nil {
		_, err = os.Stat(path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("smishtank not present: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.LazyQuotes = true
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if strings.TrimSpace(h) == "Url" {
			col = i
		}
	}
	var out []string
	for _, row := range rows[1:] {
		// About 500 bytes of the file are not UTF-8: decoded with
		// replacement, as its SOURCE.md says.
		if u := strings.ToValidUTF8(strings.TrimSpace(row[col]), "\uFFFD"); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// TestEvalLinkRiskThroughEngine measures, through the Engine and the global
// pack without a phishing feed, the share of Smishtank links (test-only)
// and punycode phishing domains that get a link reason, and the Tranco top
// sites that do (false positives); then what first_seen adds when a warm
// store has carried the Tranco domains for two days and meets the phishing
// domains for the first time.
func TestEvalLinkRiskThroughEngine(t *testing.T) {
	smish := smishtankURLs(t)
	var puny []string
	for _, l := range corpusLines(t, "phishing-domains/phishing-domains-punycode.tsv")[1:] {
		domain, _, _ := strings.Cut(l, "\t")
		puny = append(puny, "https://"+domain+"/")
	}
	var tranco []string
	for _, d := range corpusLines(t, "phishing-domains/smishgrade_tranco_top1200.txt") {
		tranco = append(tranco, "https://"+d+"/")
	}
	count := func(e *Engine, prefix string, urls []string, at time.Time) (n int, flagged []string) {
		for _, u := range urls {
			if linkFlagged(t, e, prefix+u, at) {
				n++
				flagged = append(flagged, u)
			}
		}
		return n, flagged
	}

	noStore := newEngine(t, WithStore(nil))
	s, _ := count(noStore, "Verify now: ", smish, tuesday)
	p, _ := count(noStore, "Verify now: ", puny, tuesday)
	tr, fp := count(noStore, "See ", tranco, tuesday)
	t.Logf("no store: Smishtank links %s, punycode phishing %s, Tranco %s %v",
		pct(s, len(smish)), pct(p, len(puny)), pct(tr, len(tranco)), fp)

	// A store that has carried the Tranco domains since its first day (so
	// they are "unknown", never fresh), and meets the phishing domains two
	// days later (known, first seen now).
	warm := newEngine(t)
	count(warm, "See ", tranco, tuesday)
	later := tuesday.Add(48 * time.Hour)
	ws, _ := count(warm, "Verify now: ", smish, later)
	wp, _ := count(warm, "Verify now: ", puny, later)
	wtr, wfp := count(warm, "See ", tranco, later)
	t.Logf("warm store: Smishtank links %s, punycode phishing %s, Tranco %s %v",
		pct(ws, len(smish)), pct(wp, len(puny)), pct(wtr, len(tranco)), wfp)

	// The punycode target (>= 90% without a store or feed) is met by the
	// script and look-alike signals; Smishtank's (>= 95%) is not: most of
	// its links are random names on ordinary TLDs (see the note).
	// The floors guard against regressions; they were not tuned on the data.
	if 100*s < 8*len(smish) || 100*p < 90*len(puny) || 100*wp < 95*len(puny) || ws <= s {
		t.Errorf("link reasons fell: Smishtank %s (warm %s), punycode %s (warm %s)",
			pct(s, len(smish)), pct(ws, len(smish)), pct(p, len(puny)), pct(wp, len(puny)))
	}
	if tr > 0 || wtr > 0 {
		t.Errorf("Tranco top sites flagged: %d without a store %v, %d with a warm store %v; want 0", tr, fp, wtr, wfp)
	}
}
