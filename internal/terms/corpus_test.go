package terms

import (
	"os"
	"slices"
	"testing"

	"github.com/msgfilter/msgfilter/internal/corpus"
)

// readLabelled reads a "label<TAB>text" file of the shared corpora and
// returns the distinct texts whose label is one of labels. A clone without
// the corpora skips the test.
func readLabelled(t *testing.T, rel string, labels ...string) []string {
	t.Helper()
	path, err := corpus.Path(rel)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms, err := corpus.ReadTSV(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		if slices.Contains(labels, m.Label) {
			out = append(out, m.Text)
		}
	}
	return out
}

// TestHamCorpora checks that legitimate messages (English ham, Thai OK and
// OTP) rarely reach a blocking score with the testdata lists. It guards the
// de-obfuscation: leetspeak and letter joining must not turn ordinary
// numbers, codes and abbreviations into banned words.
func TestHamCorpora(t *testing.T) {
	m := loadLists(t, "testdata/en.jsonl", "testdata/mul.jsonl")
	tests := []struct {
		name    string
		path    string
		labels  []string
		maxRate float64
	}{
		{"uci ham", "uci-sms-spam-collection/SMSSpamCollection", []string{"ham"}, 0.005},
		{"thai ok and otp", "thai-sms-spam/thai_sms_dedup.tsv", []string{"OK", "OTP"}, 0.005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := readLabelled(t, tt.path, tt.labels...)
			if len(msgs) == 0 {
				t.Fatalf("no %v messages in %s", tt.labels, tt.path)
			}
			blocked := 0
			for _, body := range msgs {
				r := m.Match(body)
				for cat, c := range r.Categories {
					if cat != "opt_out" && c.Score >= 2 {
						blocked++
						if blocked <= 10 {
							t.Logf("%s %d: %q in %.80q", cat, c.Score, c.Evidence, body)
						}
						break
					}
				}
			}
			rate := float64(blocked) / float64(len(msgs))
			t.Logf("%d of %d ham messages reach a blocking score (%.2f%%)", blocked, len(msgs), 100*rate)
			if rate > tt.maxRate {
				t.Errorf("ham blocking rate = %.2f%%, want ≤ %.2f%%", 100*rate, 100*tt.maxRate)
			}
		})
	}
}
