package bodyphones

// Evaluations against the corpora in ../shared/data (outside the repository);
// each skips when its file is absent. Run: go test -run Eval -v ./internal/bodyphones/

import (
	"bufio"
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"

	"github.com/msgfilter/msgfilter/internal/corpus"
)

func dataFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := corpus.Path(rel)
	if err != nil {
		t.Skipf("corpus %s not present: %v", rel, err)
	}
	return p
}

// TestEvalExampleNumbers writes every libphonenumber example number into a
// sentence, in international and in national format, and checks Find
// returns it.
func TestEvalExampleNumbers(t *testing.T) {
	f, err := os.Open(dataFile(t, "libphonenumber/example_numbers.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	sc.Scan() // header
	var total, intl, national int
	var missed []string
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 {
			continue
		}
		region, cc, nsn := cols[0], cols[1], cols[3]
		want := "+" + cc + nsn
		num, err := phonenumbers.Parse(want, "ZZ")
		if err != nil || !phonenumbers.IsValidNumber(num) {
			continue // not valid in the Go port's metadata version
		}
		total++
		in := "Call us on " + phonenumbers.Format(num, phonenumbers.INTERNATIONAL) + " today."
		if got := Find(in, ""); len(got) == 1 && got[0].E164 == want {
			intl++
		} else {
			missed = append(missed, in)
		}
		if region == "001" {
			national++ // non-geographic numbers have no national format
			continue
		}
		nat := "Call us on " + phonenumbers.Format(num, phonenumbers.NATIONAL) + " today."
		if got := Find(nat, region); len(got) == 1 && got[0].E164 == want {
			national++
		} else if len(missed) < 40 {
			missed = append(missed, region+": "+nat)
		}
	}
	t.Logf("example numbers: %d; found in international format %d (%.1f%%), national format %d (%.1f%%)",
		total, intl, 100*float64(intl)/float64(total), national, 100*float64(national)/float64(total))
	t.Logf("missed (first 40): %q", missed[:min(40, len(missed))])
	if float64(intl) < 0.95*float64(total) {
		t.Errorf("international format recall %d/%d, want at least 95%%", intl, total)
	}
}

// TestEvalMendeleyPhones compares Find (default region GB, the set's main
// origin) with the dataset's PHONE flag, which also counts short codes.
func TestEvalMendeleyPhones(t *testing.T) {
	f, err := os.Open(dataFile(t, "mendeley-smishing-5971/Dataset_5971.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var tp, fp, fn, tn, fnShort, tpGBIN int
	var fps []string
	for _, r := range rows[1:] {
		flag := strings.EqualFold(r[4], "yes")
		ns := Find(r[1], "GB")
		got := len(ns) > 0
		if flag && (got || len(Find(r[1], "IN")) > 0) {
			tpGBIN++
		}
		switch {
		case got && flag:
			tp++
		case got && !flag:
			fp++
			fps = append(fps, ns[0].Text)
		case !got && flag:
			fn++
			if longestDigitRun(r[1]) < minDigits {
				fnShort++
			}
		default:
			tn++
		}
	}
	t.Logf("Mendeley PHONE flag (region GB): tp %d fp %d fn %d tn %d; recall %.3f precision %.3f",
		tp, fp, fn, tn, float64(tp)/float64(tp+fn), float64(tp)/float64(tp+fp))
	t.Logf("recall reading each body as GB, then IN (the set mixes UK and Indian messages): %.3f", float64(tpGBIN)/float64(tp+fn))
	t.Logf("of the %d missed, %d have no run of %d+ digits (short codes such as \"txt WIN to 87066\", which Find does not report by design)", fn, fnShort, minDigits)
	t.Logf("found where the flag says no: %q", fps[:min(30, len(fps))])
}

// longestDigitRun counts the digits of the longest run of digits and
// single spaces or hyphens in s.
func longestDigitRun(s string) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			cur++
			best = max(best, cur)
		case (c == ' ' || c == '-') && cur > 0 && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
		default:
			cur = 0
		}
	}
	return best
}
