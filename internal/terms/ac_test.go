package terms

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

type occurrence struct{ p, start, end int }

// naiveOccurrences is every occurrence of every non-empty pattern in text,
// by end position then pattern, as scan reports them.
func naiveOccurrences(patterns [][]byte, text []byte) []occurrence {
	var out []occurrence
	for p, pat := range patterns {
		if len(pat) == 0 {
			continue
		}
		for i := 0; i+len(pat) <= len(text); i++ {
			if bytes.Equal(text[i:i+len(pat)], pat) {
				out = append(out, occurrence{p, i, i + len(pat)})
			}
		}
	}
	return out
}

func scanned(a *automaton, text []byte) []occurrence {
	var out []occurrence
	a.scan(text, func(p, start, end int) { out = append(out, occurrence{p, start, end}) })
	return out
}

func byEndThenPattern(x, y occurrence) int {
	if x.end != y.end {
		return x.end - y.end
	}
	return x.p - y.p
}

// TestAutomatonFindsEveryOccurrence compares scan with a naive search on
// patterns that nest, overlap and share prefixes and suffixes (a small
// alphabet, with bytes above 0x7f as UTF-8 brings), in texts that repeat
// them: every occurrence, overlapping ones included, in order of end.
func TestAutomatonFindsEveryOccurrence(t *testing.T) {
	alphabet := []byte{'a', 'b', 'c', ' ', 0xe0, 0xb8, 0xff, 0x00}
	r := rand.New(rand.NewPCG(1, 2))
	word := func(max int) []byte {
		b := make([]byte, r.IntN(max+1))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return b
	}
	fixed := [][]byte{[]byte("a"), []byte("ab"), []byte("bab"), []byte("abab"), []byte("b"), nil, []byte("ab")}
	for round := range 300 {
		patterns := fixed
		if round > 0 {
			patterns = nil
			// Every third automaton is large enough for dense rows two
			// bytes deep (see maxDense).
			n, length := 1+r.IntN(40), 6
			if round%3 == 0 {
				n, length = 300+r.IntN(300), 8
			}
			for range n {
				patterns = append(patterns, word(length))
			}
		}
		a := buildAutomaton(patterns)
		for range 20 {
			text := word(60)
			if len(patterns) > 0 && r.IntN(2) == 0 {
				text = append(text, patterns[r.IntN(len(patterns))]...)
				text = append(text, word(5)...)
			}
			got, want := scanned(a, text), naiveOccurrences(patterns, text)
			// scan reports each end position's patterns in failure-chain
			// order, the naive search by pattern: compare sorted, and
			// check that scan's ends never go back.
			for i := 1; i < len(got); i++ {
				if got[i].end < got[i-1].end {
					t.Fatalf("patterns %q, text %q: ends out of order: %v", patterns, text, got)
				}
			}
			// A pattern listed twice is reported under its first index.
			for i := range want {
				for q := range want[i].p {
					if bytes.Equal(patterns[q], patterns[want[i].p]) {
						want[i].p = q
						break
					}
				}
			}
			want = slices.Compact(slices.SortedFunc(slices.Values(want), byEndThenPattern))
			slices.SortFunc(got, byEndThenPattern)
			if !slices.Equal(got, want) {
				t.Fatalf("patterns %q, text %q:\n got %v\nwant %v", patterns, text, got, want)
			}
		}
	}
}
