package terms

// automaton is an Aho-Corasick automaton over bytes that reports every
// occurrence of every pattern, overlapping ones included, without
// allocating. It is immutable after build and safe for concurrent use.
//
// It is used instead of github.com/petar-dambovaliev/aho-corasick because
// that package allocates an iterator and a prefilter state on every search
// and a Match on every hit, and its leftmost semantics hide a term inside a
// longer one ("election" inside "presidential election"), while a score is
// the sum over all distinct terms found.
type automaton struct {
	root   [256]int32 // transitions from the root, dense: most bytes start there
	first  []int32    // per state: index of its first edge in edges
	nedge  []uint16   // per state: number of edges (sorted by byte)
	fail   []int32    // per state: failure link
	out    []int32    // per state: pattern ending here, or -1
	dict   []int32    // per state: next state on the failure chain with out >= 0, or -1
	labels []byte     // edges: byte
	dests  []int32    // edges: destination state
	plen   []int32    // per pattern: length in bytes
}

// buildAutomaton builds the automaton for patterns; pattern i is reported as
// i. Empty patterns are never reported.
func buildAutomaton(patterns [][]byte) *automaton {
	// Build the trie with per-state edge lists.
	type edge struct {
		b  byte
		to int32
	}
	children := [][]edge{nil}
	out := []int32{-1}
	a := &automaton{plen: make([]int32, len(patterns))}
	for p, pat := range patterns {
		a.plen[p] = int32(len(pat))
		if len(pat) == 0 {
			continue
		}
		s := int32(0)
		for _, c := range pat {
			next := int32(-1)
			for _, e := range children[s] {
				if e.b == c {
					next = e.to
					break
				}
			}
			if next < 0 {
				next = int32(len(children))
				children = append(children, nil)
				out = append(out, -1)
				children[s] = append(children[s], edge{c, next})
			}
			s = next
		}
		if out[s] < 0 {
			out[s] = int32(p)
		}
	}
	n := len(children)
	a.first = make([]int32, n)
	a.nedge = make([]uint16, n)
	a.fail = make([]int32, n)
	a.dict = make([]int32, n)
	a.out = out
	for s, es := range children {
		// Insertion sort: edge lists are short and this runs once.
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && es[j].b < es[j-1].b; j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
		a.first[s] = int32(len(a.labels))
		a.nedge[s] = uint16(len(es))
		for _, e := range es {
			a.labels = append(a.labels, e.b)
			a.dests = append(a.dests, e.to)
		}
	}
	for _, e := range children[0] {
		a.root[e.b] = e.to
	}
	// Breadth-first failure and dictionary links.
	queue := make([]int32, 0, n)
	a.dict[0] = -1
	for _, e := range children[0] {
		a.fail[e.to] = 0
		a.dict[e.to] = -1
		queue = append(queue, e.to)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, e := range children[s] {
			f := a.step(a.fail[s], e.b)
			a.fail[e.to] = f
			if a.out[f] >= 0 {
				a.dict[e.to] = f
			} else {
				a.dict[e.to] = a.dict[f]
			}
			queue = append(queue, e.to)
		}
	}
	return a
}

// child returns the transition of s on c, or -1.
func (a *automaton) child(s int32, c byte) int32 {
	lo, hi := int(a.first[s]), int(a.first[s])+int(a.nedge[s])
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch l := a.labels[m]; {
		case l == c:
			return a.dests[m]
		case l < c:
			lo = m + 1
		default:
			hi = m
		}
	}
	return -1
}

// step is the automaton's transition function.
func (a *automaton) step(s int32, c byte) int32 {
	for s != 0 {
		if t := a.child(s, c); t >= 0 {
			return t
		}
		s = a.fail[s]
	}
	return a.root[c]
}

// scan calls hit(pattern, start, end) for every occurrence of every pattern
// in text, in order of end position.
func (a *automaton) scan(text []byte, hit func(p, start, end int)) {
	s := int32(0)
	for i, c := range text {
		if s == 0 {
			s = a.root[c] // most bytes of ordinary text start from the root
		} else {
			s = a.step(s, c)
		}
		if a.out[s] < 0 && a.dict[s] < 0 {
			continue
		}
		for o := s; o > 0; o = a.dict[o] {
			if p := a.out[o]; p >= 0 {
				hit(int(p), i+1-int(a.plen[p]), i+1)
			}
		}
	}
}
