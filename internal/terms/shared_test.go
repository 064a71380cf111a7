package terms

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// policyLists returns the shipped policies' term lists as filter builds
// its matchers: the global terms alone, then the global terms with each
// country's.
func policyLists(tb testing.TB) (names []string, lists [][]Term) {
	tb.Helper()
	read := func(dir string) []Term {
		files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
		if err != nil {
			tb.Fatal(err)
		}
		return parseLists(tb, files...)
	}
	global := read("../../policies/global/terms")
	if len(global) == 0 {
		tb.Fatal("no global terms in ../../policies/global/terms")
	}
	names, lists = []string{"global"}, [][]Term{global}
	dirs, err := filepath.Glob("../../policies/countries/*/terms")
	if err != nil {
		tb.Fatal(err)
	}
	for _, d := range dirs {
		names = append(names, filepath.Base(filepath.Dir(d)))
		lists = append(lists, slices.Concat(global, read(d)))
	}
	return names, lists
}

// overlapLists are lists that share patterns with different terms behind
// them: the same text in one list at two weights and in two categories, in
// another at a third weight, as a Words pattern in one and a Joined one in
// another, and a glyph variant that is another list's term.
func overlapLists() [][]Term {
	base := []Term{
		{Text: "casino", Category: "gambling", Weight: 1},
		{Text: "vote", Category: "political", Weight: 2, Word: true},
		{Text: "bet 365", Category: "gambling", Weight: 2},
	}
	return [][]Term{
		base,
		slices.Concat(base, []Term{
			{Text: "CASINO", Category: "gambling", Weight: 3},
			{Text: "casino", Category: "adult", Weight: 1},
			{Text: "bet365", Category: "gambling", Weight: 1},
		}),
		slices.Concat([]Term{{Text: "Casinò", Category: "gambling", Weight: 2, Word: true}}, base, []Term{
			{Text: "corn", Category: "food", Weight: 1},
			{Text: "vvote", Category: "political", Weight: 1},
			{Text: "v o t e", Category: "spam", Weight: 1},
		}),
		{{Text: "com", Category: "x", Weight: 1}, {Text: "m", Category: "y", Weight: 1}},
	}
}

var adversarialBodies = []string{
	"",
	"casino CASINO c.a.s.i.n.o c4s1n0 casinò kasino",
	"vote vvote v o t e v.o.t.e vote2024 devote",
	"bet 365 bet365 b e t 3 6 5 8et365",
	"corn com c o r n cornm rnrn m m",
	"Vote at the casino, bet365 today! Reply STOP to opt out. ٣٦٥ bet",
	"\u200bca\u00adsi\u200dno v\u0301ote ｃａｓｉｎｏ",
	"ไม่ casino中vote中 bet中365",
}

// checkSame fails when a matcher of CompileShared finds anything else than
// the matcher Compile builds from the same list, by Match or by projecting
// the hits another matcher of the same CompileShared call scanned
// (scanner): one scan serves every list.
func checkSame(t *testing.T, name string, shared, scanner, own *Matcher, body string) {
	t.Helper()
	want := own.Match(body)
	if got := shared.Match(body); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Match(%q) shared = %+v, own = %+v", name, body, got, want)
	}
	var text textnorm.Text
	text.Reset(body)
	var h Hits
	scanner.Scan(&text, &h)
	if got, ok := shared.Project(h.Clone(), body); !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Project(%q) of another list's scan = %+v (ok %v), own Match = %+v", name, body, got, ok, want)
	}
	if _, ok := own.Project(&h, body); ok {
		t.Fatalf("%s: a matcher of another automaton projected hits of %q", name, body)
	}
}

func compileBoth(tb testing.TB, lists [][]Term) (shared, own []*Matcher) {
	tb.Helper()
	shared, err := CompileShared(lists...)
	if err != nil {
		tb.Fatal(err)
	}
	for _, l := range lists {
		m, err := Compile(l)
		if err != nil {
			tb.Fatal(err)
		}
		own = append(own, m)
	}
	return shared, own
}

// TestCompileSharedEqualsCompile checks that every matcher of one shared
// automaton finds the same terms, categories, scores and evidence, in the
// same order, as a matcher compiled alone from its list: over the shipped
// policies' lists with every corpus text, and over lists built to overlap
// with adversarial bodies.
func TestCompileSharedEqualsCompile(t *testing.T) {
	t.Run("overlapping lists", func(t *testing.T) {
		lists := overlapLists()
		shared, own := compileBoth(t, lists)
		for i := range lists {
			if shared[i].Len() != own[i].Len() {
				t.Fatalf("list %d: Len shared = %d, own = %d", i, shared[i].Len(), own[i].Len())
			}
			for _, body := range adversarialBodies {
				checkSame(t, fmt.Sprint("list ", i), shared[i], shared[(i+1)%len(lists)], own[i], body)
			}
		}
		// The lists give the same text different weights: a shared
		// matcher must not take another list's.
		if got := shared[0].Match("casino").Score("gambling"); got != 1 {
			t.Errorf("list 0 casino score = %d, want 1", got)
		}
		if got := shared[1].Match("casino").Score("gambling"); got != 3 {
			t.Errorf("list 1 casino score = %d, want 3", got)
		}
	})
	t.Run("policies and corpora", func(t *testing.T) {
		names, lists := policyLists(t)
		shared, own := compileBoth(t, lists)
		dir, err := corpus.DataDir()
		if err != nil {
			t.Skipf("corpora not available: %v", err)
		}
		var bodies []string
		for _, s := range corpus.Sources() {
			ms, err := s.Read(os.DirFS(dir))
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				bodies = append(bodies, m.Text)
			}
		}
		bodies = append(bodies, adversarialBodies...)
		if testing.Short() {
			bodies = bodies[:min(len(bodies), 2000)]
		}
		hits := 0
		for i := range lists {
			for _, body := range bodies {
				checkSame(t, names[i], shared[i], shared[(i+1)%len(lists)], own[i], body)
				if i == 0 && own[i].Match(body).Categories != nil {
					hits++
				}
			}
		}
		t.Logf("%d lists × %d bodies, %d bodies with a global term", len(lists), len(bodies), hits)
		if hits == 0 {
			t.Fatal("no body matched a global term: the comparison proves nothing")
		}
	})
}

func TestCompileSharedErrors(t *testing.T) {
	_, err := CompileShared([]Term{{Text: "ok", Category: "x", Weight: 1}}, []Term{{Text: "ok", Category: "x", Weight: 1}, {Text: "...", Category: "x", Weight: 1}})
	var le *ListError
	var ee *EntryError
	if !errors.As(err, &le) || le.List != 1 || !errors.As(err, &ee) || ee.Index != 1 || !errors.Is(err, ErrNothingToMatch) {
		t.Fatalf("CompileShared error = %v, want list 1 entry 1 ErrNothingToMatch", err)
	}
}

func FuzzCompileShared(f *testing.F) {
	for _, b := range adversarialBodies {
		f.Add(b)
	}
	for _, tt := range matchTests {
		f.Add(tt.body)
	}
	lists := slices.Concat(overlapLists(), func() [][]Term { _, l := policyLists(f); return l }())
	shared, own := compileBoth(f, lists)
	f.Fuzz(func(t *testing.T, body string) {
		for i := range lists {
			checkSame(t, fmt.Sprint("list ", i), shared[i], shared[(i+1)%len(lists)], own[i], body)
		}
	})
}
