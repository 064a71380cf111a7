package bodyphones

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/nyaruka/phonenumbers"

	"github.com/msgfilter/msgfilter/internal/corpus"
)

// equivRegions are every region the library parses for, and region codes it
// does not know, in both cases.
func equivRegions() []string {
	regions := []string{"", "ZZ", "001", "USA", "fr", "Fr", "A", "1Z", "Z[", "@A"}
	for region := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, region)
	}
	slices.Sort(regions)
	return regions
}

// checkSameAsOld fails t when impossible and the old code disagree on text
// in any of regions.
func checkSameAsOld(t *testing.T, regions []string, text string) bool {
	t.Helper()
	for _, region := range regions {
		if got, want := impossible(text, region), oldImpossible(text, region); got != want {
			t.Errorf("impossible(%q, %q) = %v, the old code %v", text, region, got, want)
			return false
		}
	}
	return true
}

// TestImpossibleMatchesOld holds the indexed tables and the prefix tries to
// the code they replace, answer for answer, in every region: on every run of
// digits in the corpora (and each of its leading parts), on every digit
// string of up to four digits, on numbers written behind each calling code
// and international prefix, and on random mutated numbers.
func TestImpossibleMatchesOld(t *testing.T) {
	regions := equivRegions()
	texts := map[string]bool{}
	for n, k := 0, 1; n <= 4; n, k = n+1, k*10 {
		for v := range k {
			texts[strconv.Itoa(k + v)[1:]] = true
		}
	}
	for cc := 1; cc < 1000; cc++ {
		for _, idd := range prefixes {
			for _, tail := range []string{"0434123456", "612345678", "1234567", "0", "12"} {
				s := idd + strconv.Itoa(cc) + tail
				texts[s[:min(len(s), maxDigits+1)]] = true
			}
		}
	}
	r := rand.New(rand.NewPCG(13, 2))
	examples := exampleNumbers()
	for range 20000 {
		texts[digitString(r, regions[r.IntN(len(regions))], examples)] = true
	}
	checkAll := func(what string) {
		t.Helper()
		n, i := 0, 0
		for text := range texts {
			if i++; i%raceStride != 0 {
				continue
			}
			if !checkSameAsOld(t, regions, text) {
				t.FailNow()
			}
			n++
		}
		t.Logf("%s: %d texts in %d regions", what, n, len(regions))
	}
	checkAll("digit strings and numbers")

	texts = map[string]bool{}
	bodies := corpusBodies(t)
	for _, body := range bodies {
		for i := 0; i < len(body); {
			if !isDigit(body[i]) {
				i++
				continue
			}
			j := i
			for j < len(body) && isDigit(body[j]) {
				j++
			}
			for k := i + 1; k <= j; k++ {
				texts[body[i:k]] = true
			}
			i = j
		}
	}
	if len(bodies) == 0 {
		t.Skip("no corpus in the data directory: the corpus half is not run")
	}
	checkAll("corpus digit runs")
}

// corpusBodies returns every text of the corpora Evaluate knows (nil when
// the data directory is absent).
func corpusBodies(t *testing.T) []string {
	t.Helper()
	dir, err := corpus.DataDir()
	if err != nil {
		return nil
	}
	var out []string
	for _, s := range corpus.Sources() {
		ms, err := s.Read(os.DirFS(dir))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			out = append(out, m.Text)
		}
	}
	return out
}

func FuzzImpossibleMatchesOld(f *testing.F) {
	for _, s := range []string{"00340434123456", "00393123456789", "0612345678", "011442079460958", "0111512345678", "0019112345678", "8101234567890"} {
		f.Add(s, "FR")
		f.Add(s, "AU")
	}
	f.Add("0501234567", "AE")
	f.Add("12015550123", "US")
	f.Add("00", "Z[")
	f.Fuzz(func(t *testing.T, text, region string) {
		if got, want := impossible(text, region), oldImpossible(text, region); got != want {
			t.Errorf("impossible(%q, %q) = %v, the old code %v", text, region, got, want)
		}
	})
}

// TestFinderMatchesFindOnCorpora: a Finder of one bucket, and one whose cache
// is far smaller than the numbers it sees (slots shared, parses replaced)
// used from four goroutines at once, answer every corpus body in several regions as the
// uncached Find does. Run it with -race as well.
func TestFinderMatchesFindOnCorpora(t *testing.T) {
	bodies := corpusBodies(t)
	// Bodies of the shapes the corpora lack, and the same number text read
	// in regions where it means different numbers.
	bodies = append(bodies, "Call 050 123 4567 now", "Call 0501234567 now", "Ring 020 7946 0958", "Call (212) 555-0123",
		"Bel 06 12345678", "Appelez le 06 12 34 56 78", "WhatsApp +971 50 123 4567", "Call 1800 123 456")
	if len(bodies) < 100 {
		t.Log("no corpus in the data directory: only the built-in bodies")
	}
	regions := []string{"US", "GB", "AE", "FR", "TH", "ID", "IN", "AU", ""}
	f := NewFinder(8)
	want := make([][]string, len(regions))
	for i, region := range regions {
		for _, body := range bodies {
			want[i] = append(want[i], fmt.Sprint(Find(body, region)))
		}
	}
	// One bucket, each body read in every region in turn: a number's text
	// meets its own cached parse for another region.
	one := NewFinder(1)
	for j, body := range bodies {
		for i, region := range regions {
			if got := fmt.Sprint(one.Find(body, region)); got != want[i][j] {
				t.Fatalf("one-bucket Finder.Find(%q, %q) = %s, Find %s", body, region, got, want[i][j])
			}
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4)
	for g := range 4 {
		wg.Go(func() {
			// Each goroutine walks the regions in another order, so that
			// the same text is parsed for several regions at once.
			for k := range regions {
				i := (k + g) % len(regions)
				for j, body := range bodies {
					if got := fmt.Sprint(f.Find(body, regions[i])); got != want[i][j] {
						select {
						case errs <- fmt.Sprintf("Finder.Find(%q, %q) = %s, Find %s", body, regions[i], got, want[i][j]):
						default:
						}
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestLastIndexMatchesLastIndexFunc: check's byte loop finds the digit, or
// the non-digit, that strings.LastIndexFunc finds, on every corpus body and
// its tails, and on mixed scripts and broken UTF-8.
func TestLastIndexMatchesLastIndexFunc(t *testing.T) {
	texts := append(corpusBodies(t), "", "1", "a", "12 34", "050 123 4567", "+971 50", "٠٥٠ ١٢٣", "12٣4", "٣4 5", "4٣", "12\xff34", "\xff", "12\u00a034",
		"๐๘๑ 234 5678", "1 ２３", "２３ 4")
	n := 0
	for _, s := range texts {
		for i := 0; i <= len(s); i += 1 + len(s)/16 {
			tail := s[i:]
			n++
			if got, want := lastIndex(tail, true), strings.LastIndexFunc(tail, unicode.IsDigit); got != want {
				t.Fatalf("lastIndex(%q, digit) = %d, LastIndexFunc %d", tail, got, want)
			}
			if got, want := lastIndex(tail, false), strings.LastIndexFunc(tail, func(r rune) bool { return !unicode.IsDigit(r) }); got != want {
				t.Fatalf("lastIndex(%q, non-digit) = %d, LastIndexFunc %d", tail, got, want)
			}
		}
	}
	t.Logf("%d texts", n)
}

func FuzzLastIndex(f *testing.F) {
	for _, s := range []string{"12 34", "٠٥٠ ١٢٣", "12\xff34", "a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := lastIndex(s, true), strings.LastIndexFunc(s, unicode.IsDigit); got != want {
			t.Errorf("lastIndex(%q, digit) = %d, LastIndexFunc %d", s, got, want)
		}
		if got, want := lastIndex(s, false), strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) }); got != want {
			t.Errorf("lastIndex(%q, non-digit) = %d, LastIndexFunc %d", s, got, want)
		}
	})
}
