package terms

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/msgfilter/msgfilter/internal/textnorm"
)

// Matcher finds the terms of compiled lists in message bodies. It is
// immutable and safe for concurrent use. The zero value matches nothing;
// use Compile.
type Matcher struct {
	terms   []Term
	forms   [2]*formMatcher // textnorm.Words, textnorm.Joined
	scratch sync.Pool       // *scratch
}

// formMatcher matches the patterns of one normalized form.
type formMatcher struct {
	ac    *automaton
	first []int32 // per pattern: index of its first term in refs; len(patterns)+1 entries
	refs  []int32 // term indices
}

type hit struct {
	term   int32
	o0, o1 int32 // evidence span in the body
}

type scratch struct {
	text  textnorm.Text
	raw   Hits
	hits  []hit
	seen  []uint32 // per term: gen of the last call that found it
	index []int32  // per term: its entry in hits when seen
	gen   uint32
}

// Result is what Match found: the categories with at least one term.
// Its JSON form is the Categories object itself:
//
//	{"political": {"score": 3, "terms": ["election", "vote"], "evidence": ["ELECTION", "v.o.t.e"]}}
type Result struct {
	Categories map[string]Category // nil when nothing matched
}

// Category is the result for one category.
type Category struct {
	// Score is the sum of the weights of the distinct terms found.
	Score int `json:"score"`
	// Terms are the terms found, as written in their lists, sorted.
	Terms []string `json:"terms"`
	// Evidence[i] is the text of the body where Terms[i] was found first
	// (leftmost).
	Evidence []string `json:"evidence"`
}

// MarshalJSON writes the categories as one object, {} when there are none.
func (r Result) MarshalJSON() ([]byte, error) {
	if r.Categories == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(r.Categories)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (r *Result) UnmarshalJSON(b []byte) error {
	var m map[string]Category
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if len(m) == 0 {
		m = nil
	}
	r.Categories = m
	return nil
}

// Score returns the score of category c, 0 when it did not match.
func (r Result) Score(c string) int { return r.Categories[c].Score }

// Compile builds one matcher for terms. It validates every term as ParseList
// does, and rejects a term whose text normalizes to nothing (only
// punctuation or format characters). Terms that normalize to the same text
// in the same category count as one: the first one's Text and Word are
// kept, with the largest weight. Errors about one term are *EntryError with
// its index in terms.
func Compile(terms []Term) (*Matcher, error) {
	ms, err := CompileShared(terms)
	if err != nil {
		var le *ListError
		if errors.As(err, &le) {
			return nil, le.Err
		}
		return nil, err
	}
	return ms[0], nil
}

// ListError reports a bad list of CompileShared.
type ListError struct {
	List int // the list's index, from 0
	Err  error
}

func (e *ListError) Error() string { return fmt.Sprintf("terms: list %d: %v", e.List, e.Err) }

func (e *ListError) Unwrap() error { return e.Err }

// CompileShared builds one matcher per list, each matching exactly what
// Compile(lists[i]) matches, with the same results. The matchers share one
// automaton of every list's patterns: lists that overlap (every
// destination's list holds the global terms) take the memory of one, and a
// process matching for many lists keeps one structure in the CPU cache
// instead of one per list. Errors are *ListError, wrapping what Compile
// returns for that list.
func CompileShared(lists ...[]Term) ([]*Matcher, error) {
	var (
		patterns [2][]string
		patIndex = [2]map[string]int32{{}, {}}
		// per list and form: (shared pattern, term) pairs, in the order
		// Compile adds them
		pairs = make([][2][][2]int32, len(lists))
	)
	ms := make([]*Matcher, len(lists))
	for l, terms := range lists {
		m, err := compileTerms(terms, func(f textnorm.Form, pat string, term int) {
			p, ok := patIndex[f][pat]
			if !ok {
				p = int32(len(patterns[f]))
				patIndex[f][pat] = p
				patterns[f] = append(patterns[f], pat)
			}
			pairs[l][f] = append(pairs[l][f], [2]int32{p, int32(term)})
		})
		if err != nil {
			return nil, &ListError{List: l, Err: err}
		}
		ms[l] = m
	}
	for f := range patterns {
		bs := make([][]byte, len(patterns[f]))
		for p, pat := range patterns[f] {
			bs[p] = []byte(pat)
		}
		ac := buildAutomaton(bs)
		for l, m := range ms {
			// A stable sort by pattern keeps each pattern's terms in the
			// order they were added, as Compile's own refs had them.
			ps := pairs[l][f]
			slices.SortStableFunc(ps, func(a, b [2]int32) int { return cmp.Compare(a[0], b[0]) })
			fm := &formMatcher{ac: ac, first: make([]int32, len(bs)+1), refs: make([]int32, len(ps))}
			for i, pr := range ps {
				fm.first[pr[0]+1]++
				fm.refs[i] = pr[1]
			}
			for p := range bs {
				fm.first[p+1] += fm.first[p]
			}
			m.forms[f] = fm
		}
	}
	return ms, nil
}

// compileTerms validates and merges terms as Compile documents, and calls
// add for every non-empty pattern of every distinct term, terms in order.
func compileTerms(terms []Term, add func(f textnorm.Form, pat string, term int)) (*Matcher, error) {
	type key struct{ norm, cat string }
	index := make(map[key]int, len(terms))
	m := &Matcher{}
	addPat := func(f textnorm.Form, pat string, term int) {
		if pat != "" {
			add(f, pat, term)
		}
	}
	var text textnorm.Text
	for i, t := range terms {
		if err := t.validate(); err != nil {
			return nil, &EntryError{Index: i, Text: t.Text, Err: err}
		}
		text.Reset(t.Text)
		words := string(text.Bytes(textnorm.Words))
		if words == "" {
			return nil, &EntryError{Index: i, Text: t.Text, Err: ErrNothingToMatch}
		}
		k := key{words, t.Category}
		if j, ok := index[k]; ok {
			m.terms[j].Weight = max(m.terms[j].Weight, t.Weight)
			continue
		}
		index[k] = len(m.terms)
		id := len(m.terms)
		m.terms = append(m.terms, t)
		addPat(textnorm.Words, words, id)
		// Letters drawn with two: "rn" reads as m and "vv" as w at a glance
		// ("garnbling", "vvin"). The term is also looked for written that
		// way; text is never rewritten, so "corn" and "com" stay apart.
		for _, v := range glyphVariants(words) {
			addPat(textnorm.Words, v, id)
		}
		// Obfuscated text is matched in the Joined form, against the term's
		// Joined form and, for terms of several words, that form without
		// spaces: "o.y v.e.r" joins to "oyver". A term written with digits
		// ("4D" lottery) is matched in Words only: read as leetspeak it would
		// become another word ("ad").
		if strings.ContainsAny(words, "0123456789") {
			continue
		}
		joined := string(text.Bytes(textnorm.Joined))
		for _, j := range append([]string{joined}, glyphVariants(joined)...) {
			addPat(textnorm.Joined, j, id)
			if nospace := strings.ReplaceAll(j, " ", ""); nospace != j {
				addPat(textnorm.Joined, nospace, id)
			}
		}
	}
	n := len(m.terms)
	m.scratch.New = func() any { return &scratch{seen: make([]uint32, n), index: make([]int32, n)} }
	return m, nil
}

// glyphVariants returns a normalized term written with "rn" for every m,
// with "vv" for every w, and with both, leaving out the ones equal to the
// term; nil for a term without m or w.
func glyphVariants(term string) []string {
	var out []string
	for _, v := range [...]string{
		strings.ReplaceAll(term, "m", "rn"),
		strings.ReplaceAll(term, "w", "vv"),
		strings.ReplaceAll(strings.ReplaceAll(term, "m", "rn"), "w", "vv"),
	} {
		if v != term && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Len returns the number of distinct terms compiled.
func (m *Matcher) Len() int { return len(m.terms) }

// Match normalizes body and returns the categories of the terms it
// contains. It does not allocate when nothing matches.
func (m *Matcher) Match(body string) Result {
	if m == nil || m.forms[0] == nil {
		return Result{}
	}
	sc := m.scratch.Get().(*scratch)
	sc.text.Reset(body)
	r := m.match(sc, &sc.text)
	m.scratch.Put(sc)
	return r
}

// MatchText is Match for a body already normalized with textnorm, so that
// several matchers can share one normalization. Like every use of a
// textnorm.Text, calls sharing t must not run concurrently.
func (m *Matcher) MatchText(t *textnorm.Text) Result {
	if m == nil || m.forms[0] == nil || t == nil {
		return Result{}
	}
	sc := m.scratch.Get().(*scratch)
	r := m.match(sc, t)
	m.scratch.Put(sc)
	return r
}

func (m *Matcher) match(sc *scratch, t *textnorm.Text) Result {
	m.Scan(t, &sc.raw)
	return m.project(sc, &sc.raw, t.Source())
}

// Hits are the occurrences, in one normalized text, of the patterns of the
// automaton its matcher shares with the other matchers of its
// CompileShared call: what matching finds before any list's terms are
// read. Which of a list's terms they are, and the Result, follow from the
// hits alone (Project), so the matchers of every list can take their terms
// from one scan of a text, or from hits kept since it was scanned. The
// zero value holds no hits of any automaton. A Hits is written by Scan
// only; once scanned it may be projected by any number of goroutines at
// once.
type Hits struct {
	ac   [2]*automaton // the automata scanned, per form: nil for a zero matcher
	list []rawHit      // in the order Match meets them: Words by end position, then Joined
}

// rawHit is one occurrence of a pattern: what a term of it needs, whichever
// list the term is in.
type rawHit struct {
	p       int32 // the pattern, in its form's automaton
	o0, o1  int32 // its span in the body (textnorm.Text.Span)
	form    uint8 // textnorm.Words or textnorm.Joined
	bounded bool  // a word boundary on both sides (boundaryBefore, boundaryAfter)
}

// Len returns the number of occurrences h holds.
func (h *Hits) Len() int { return len(h.list) }

// Clone returns a copy of h that shares nothing with it.
func (h *Hits) Clone() *Hits {
	return &Hits{ac: h.ac, list: slices.Clone(h.list)}
}

// Scan sets h to the occurrences in t of the patterns of m's automaton,
// which every matcher of m's CompileShared call shares. It does not
// allocate once h has grown.
func (m *Matcher) Scan(t *textnorm.Text, h *Hits) {
	h.list, h.ac = h.list[:0], [2]*automaton{}
	if m == nil || m.forms[0] == nil || t == nil {
		return
	}
	h.ac = [2]*automaton{m.forms[0].ac, m.forms[1].ac}
	m.scanForm(h, t, textnorm.Words)
	if t.Deobfuscated() {
		m.scanForm(h, t, textnorm.Joined)
	}
}

func (m *Matcher) scanForm(h *Hits, t *textnorm.Text, f textnorm.Form) {
	text := t.Bytes(f)
	m.forms[f].ac.scan(text, func(p, start, end int) {
		o0, o1 := t.Span(f, start, end)
		h.list = append(h.list, rawHit{p: int32(p), o0: int32(o0), o1: int32(o1), form: uint8(f),
			bounded: boundaryBefore(text, start) && boundaryAfter(text, end)})
	})
}

// Project returns what MatchText returns for the text h was scanned from:
// the terms of m that its hits are. body gives the evidence: the text's
// source, or any text with the same bytes at the hits' spans. ok is false
// when h was scanned by a matcher of another CompileShared call (another
// automaton), whose hits say nothing of m's terms.
func (m *Matcher) Project(h *Hits, body string) (r Result, ok bool) {
	if m == nil || m.forms[0] == nil {
		return Result{}, true
	}
	if h.ac != [2]*automaton{m.forms[0].ac, m.forms[1].ac} {
		return Result{}, false
	}
	sc := m.scratch.Get().(*scratch)
	r = m.project(sc, h, body)
	m.scratch.Put(sc)
	return r, true
}

// project keeps, for each term, its first hit in Words (the Word terms'
// first with boundaries), replaced by a hit in Joined that begins earlier.
func (m *Matcher) project(sc *scratch, h *Hits, body string) Result {
	sc.hits = sc.hits[:0]
	sc.gen++
	if sc.gen == 0 { // wrapped: forget every mark
		clear(sc.seen)
		sc.gen = 1
	}
	for _, rh := range h.list {
		fm := m.forms[rh.form]
		for _, id := range fm.refs[fm.first[rh.p]:fm.first[rh.p+1]] {
			seen := sc.seen[id] == sc.gen
			if seen && rh.form == uint8(textnorm.Words) {
				continue // Words is scanned first, in order: the first hit stays
			}
			if m.terms[id].Word && !rh.bounded {
				continue
			}
			h := hit{term: id, o0: rh.o0, o1: rh.o1}
			if seen {
				// Found again in Joined: keep the earlier evidence.
				if prev := &sc.hits[sc.index[id]]; h.o0 < prev.o0 {
					*prev = h
				}
				continue
			}
			sc.seen[id] = sc.gen
			sc.index[id] = int32(len(sc.hits))
			sc.hits = append(sc.hits, h)
		}
	}
	if len(sc.hits) == 0 {
		return Result{}
	}
	return m.result(sc.hits, body)
}

// Normalized text separates words by one space; a change between ASCII and
// other scripts ("bet中") is a boundary too.
func boundaryBefore(text []byte, i int) bool {
	return i == 0 || text[i-1] == ' ' || (text[i-1] < 0x80) != (text[i] < 0x80)
}

func boundaryAfter(text []byte, i int) bool {
	return i == len(text) || text[i] == ' ' || (text[i-1] < 0x80) != (text[i] < 0x80)
}

func (m *Matcher) result(hits []hit, body string) Result {
	slices.SortFunc(hits, func(a, b hit) int {
		ta, tb := &m.terms[a.term], &m.terms[b.term]
		return cmp.Or(cmp.Compare(ta.Category, tb.Category), cmp.Compare(ta.Text, tb.Text), cmp.Compare(a.term, b.term))
	})
	r := Result{Categories: make(map[string]Category, 1)}
	for i := 0; i < len(hits); {
		cat := m.terms[hits[i].term].Category
		j := i
		for j < len(hits) && m.terms[hits[j].term].Category == cat {
			j++
		}
		c := Category{Terms: make([]string, 0, j-i), Evidence: make([]string, 0, j-i)}
		for _, h := range hits[i:j] {
			t := &m.terms[h.term]
			c.Score += t.Weight
			c.Terms = append(c.Terms, t.Text)
			c.Evidence = append(c.Evidence, body[h.o0:h.o1])
		}
		r.Categories[cat] = c
		i = j
	}
	return r
}

// String describes the matcher for logs.
func (m *Matcher) String() string {
	if m == nil || m.forms[0] == nil {
		return "terms.Matcher(empty)"
	}
	return fmt.Sprintf("terms.Matcher(%d terms, %d states)", len(m.terms), len(m.forms[0].ac.out)+len(m.forms[1].ac.out))
}

// DigitTokens reports how terms can match digits standing alone in a text
// (a token of digits only in its Words form, such as a one-time code). A
// term can match such a token only as one of its own tokens of digits only,
// equal to it, or, when the term is not word-bounded and begins or ends
// with such a token, as a part of it, next to the rest of the term.
// tokens are the distinct tokens of digits only in any term's Words form,
// in order of first appearance. anchors are, for each term of the second
// kind, its Words form without that edge token ("" for a term of digits
// only). Terms are matched in Words only when they hold a digit, and their
// Joined forms hold none (see Compile), so a text's token of digits that
// is none of tokens, in a text whose Words form holds no anchor, matches
// the same terms whatever its digits are.
func DigitTokens(ts []Term) (tokens, anchors []string) {
	var text textnorm.Text
	for _, t := range ts {
		text.Reset(t.Text)
		toks := strings.Fields(string(text.Bytes(textnorm.Words)))
		for i, tok := range toks {
			if strings.Trim(tok, "0123456789") != "" {
				continue
			}
			if !slices.Contains(tokens, tok) {
				tokens = append(tokens, tok)
			}
			if t.Word {
				continue
			}
			switch {
			case len(toks) == 1:
				anchors = append(anchors, "")
			case i == 0:
				anchors = append(anchors, strings.Join(toks[1:], " "))
			case i == len(toks)-1:
				anchors = append(anchors, strings.Join(toks[:i], " "))
			}
		}
	}
	return tokens, anchors
}
