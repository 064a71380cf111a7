package links

import (
	"sort"
	"strings"
	"testing"
)

// TestEvalPhishingLinkRisk measures the link facts alone on the Phishing.Database
// samples (development data: MIT licence, not a held-out set), by signal.
func TestEvalPhishingLinkRisk(t *testing.T) {
	r := loadLinkRisk(t)
	a, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"smishgrade_600_active_links.txt", "smishgrade_300_new_domains.txt", "phishing-links-ACTIVE-20200930-sample.txt"} {
		lines := readLines(t, dataFile(t, "phishing-domains/"+name))
		var n, hit int
		signals := map[string]int{}
		for _, l := range lines {
			if !strings.Contains(l, "://") {
				l = "https://" + l
			}
			ls := a.Analyze(l)
			if len(ls) == 0 {
				continue
			}
			n++
			if r.flagged(t, ls[0]) {
				hit++
			}
			for k, v := range r.fields(ls[0]) {
				if v {
					signals[k]++
				}
			}
		}
		var keys []string
		for k := range signals {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return signals[keys[i]] > signals[keys[j]] })
		var out []string
		for _, k := range keys {
			out = append(out, k+":"+itoa(signals[k]))
		}
		t.Logf("%s: flagged %d/%d (%.1f%%); signals %v", name, hit, n, 100*float64(hit)/float64(n), out)
	}
}
