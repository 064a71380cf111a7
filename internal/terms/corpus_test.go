package terms

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds the shared corpora; a clone without them skips these tests.
var corpusDir = filepath.Join("..", "..", "..", "shared", "data")

// readLabelled reads "label<sep>text" lines and returns the texts whose label
// is one of labels.
func readLabelled(t *testing.T, path, sep string, labels ...string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		label, text, ok := strings.Cut(sc.Text(), sep)
		if !ok {
			continue
		}
		for _, l := range labels {
			if label == l {
				out = append(out, text)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestHamCorpora checks that legitimate messages (English ham, Thai OK and
// OTP) rarely reach a blocking score with the testdata lists. It guards the
// de-obfuscation: leetspeak and letter joining must not turn ordinary
// numbers, codes and abbreviations into banned words.
func TestHamCorpora(t *testing.T) {
	m := loadLists(t, "testdata/en.json", "testdata/multi.json")
	tests := []struct {
		name    string
		path    string
		sep     string
		labels  []string
		maxRate float64
	}{
		{"uci ham", filepath.Join(corpusDir, "uci-sms-spam-collection", "SMSSpamCollection"), "\t", []string{"ham"}, 0.005},
		{"thai ok and otp", filepath.Join(corpusDir, "thai-sms-spam", "thai_sms_dedup.tsv"), "\t", []string{"OK", "OTP"}, 0.005},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := readLabelled(t, tt.path, tt.sep, tt.labels...)
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
