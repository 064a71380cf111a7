package terms

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/msgfilter/msgfilter/internal/corpus"
	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// syntheticTerms returns the testdata lists plus generated terms up to n:
// names and phrases built from syllables of Latin (with accents), Cyrillic,
// Arabic, Thai and Han, the shape of real lists (party, candidate and brand
// names, multi-word phrases), deterministic from the seed.
func syntheticTerms(tb testing.TB, n int) []Term {
	tb.Helper()
	m := loadLists(tb, "testdata/en.jsonl", "testdata/mul.jsonl")
	terms := append([]Term(nil), m.terms...)
	syllables := [][]string{
		{"ka", "ro", "mi", "sel", "tor", "van", "dek", "lu", "bra", "zin", "pol", "ste", "gar", "nu", "ve"},
		{"çe", "şi", "ğa", "lü", "öz", "ba", "ké", "mà", "tôn", "ný"},
		{"ка", "ро", "ми", "сел", "тор", "ван", "дек", "лу", "бра", "зин"},
		{"ال", "كا", "مي", "سل", "تر", "ون", "دك", "لو", "بر", "زن"},
		{"กา", "โร", "มิ", "เซล", "ตอร์", "วัน", "เดค", "ลู", "บรา", "ซิน"},
		{"国", "民", "党", "选", "赌", "场", "金", "彩", "票", "会"},
	}
	cats := []string{"political", "religious", "gambling", "adult", "alcohol", "tobacco", "firearms", "drugs", "hate", "loan", "crypto", "fraud_lure"}
	x := uint32(2463534242)
	rnd := func(k int) int {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return int(x % uint32(k))
	}
	for len(terms) < n {
		set := syllables[rnd(len(syllables))]
		var b strings.Builder
		words := 1 + rnd(2)
		for w := 0; w < words; w++ {
			if w > 0 && set[0] != "国" && set[0] != "กา" {
				b.WriteByte(' ')
			}
			for s := 2 + rnd(3); s > 0; s-- {
				b.WriteString(set[rnd(len(set))])
			}
		}
		text := b.String()
		terms = append(terms, Term{
			Text: text, Category: cats[rnd(len(cats))], Lang: "x",
			Weight: 1 + rnd(2), Word: set[0] == "ka" && len(text) <= 6,
		})
	}
	return terms
}

var benchBodies = []struct{ name, body string }{
	// 160 bytes each.
	{"ascii160", "Dear customer, your parcel 4821 is waiting at the depot. Confirm the delivery time at the link below or call us on 0800 123 456. Thank you for choosing us!"},
	{"ascii160_hit", "Big night at the CASINO: place your b3t, win the jackpot and vote for the best DJ. Confirm at the link below or reply STOP to opt out. Thanks for coming!!"},
	{"nonascii160", "Sayın müşterimiz, kampanya için indirim! Ödeme: ٣٤٥ TL. Подробнее на сайте. ขอบคุณค่ะ"},
}

func BenchmarkMatch(b *testing.B) {
	m, err := Compile(syntheticTerms(b, 2000))
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range benchBodies {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				m.Match(bc.body)
			}
		})
	}
}

func BenchmarkMatchParallel(b *testing.B) {
	m, err := Compile(syntheticTerms(b, 2000))
	if err != nil {
		b.Fatal(err)
	}
	body := benchBodies[0].body
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Match(body)
		}
	})
}

// BenchmarkCompile measures loading: time per Compile and the heap a
// compiled matcher keeps (heap-MB).
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		terms := syntheticTerms(b, n)
		b.Run(itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var keep *Matcher
			for b.Loop() {
				var err error
				if keep, err = Compile(terms); err != nil {
					b.Fatal(err)
				}
			}
			var before, after runtime.MemStats
			keep = nil
			runtime.GC()
			runtime.ReadMemStats(&before)
			keep, _ = Compile(terms)
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
			runtime.KeepAlive(keep)
		})
	}
}

// BenchmarkMatchPolicies matches against every term list of the policy packs
// in this repository compiled together (about 2,000 distinct terms when
// written), the lists Match really meets. BenchmarkMatch uses a fixed
// synthetic list instead so that its numbers compare across commits.
func BenchmarkMatchPolicies(b *testing.B) {
	m := policyMatcher(b)
	for _, bc := range benchBodies {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				m.Match(bc.body)
			}
		})
	}
}

// BenchmarkMatchText is BenchmarkMatchPolicies on bodies normalized once,
// as the engine calls it (one normalization for every matcher): the scan
// of the automaton and the results alone.
func BenchmarkMatchText(b *testing.B) {
	m := policyMatcher(b)
	for _, bc := range benchBodies {
		b.Run(bc.name, func(b *testing.B) {
			var t textnorm.Text
			t.Reset(bc.body)
			b.ReportAllocs()
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				m.MatchText(&t)
			}
		})
	}
}

func policyMatcher(b *testing.B) *Matcher {
	b.Helper()
	var files []string
	for _, g := range []string{"../../policies/*/terms/*.jsonl", "../../policies/*/*/terms/*.jsonl"} {
		f, _ := filepath.Glob(g)
		files = append(files, f...)
	}
	if len(files) == 0 {
		b.Skip("no policy term lists found")
	}
	m, err := Compile(parseLists(b, files...))
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkMatchDestinations matches corpus texts (the benchmark bodies
// without the corpora) for the shipped policies' destinations in turn, as
// a gateway's mix does: matchers compiled one per list ("own") or sharing
// one automaton ("shared", what filter builds). Each destination's own
// matcher repeats the global terms, so together they do not stay in the
// CPU cache.
func BenchmarkMatchDestinations(b *testing.B) {
	_, lists := policyLists(b)
	var bodies []string
	if dir, err := corpus.DataDir(); err == nil {
		if ms, err := corpus.Sources()[0].Read(os.DirFS(dir)); err == nil {
			for _, m := range ms[:min(len(ms), 4000)] {
				bodies = append(bodies, m.Text)
			}
		}
	}
	if bodies == nil {
		for _, bc := range benchBodies {
			bodies = append(bodies, bc.body)
		}
	}
	shared, own := compileBoth(b, lists)
	for _, bc := range []struct {
		name string
		ms   []*Matcher
	}{{"own", own}, {"shared", shared}} {
		b.Run(bc.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				bc.ms[i%len(bc.ms)].Match(bodies[i%len(bodies)])
				i++
			}
		})
	}
}
