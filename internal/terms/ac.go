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
//
// The root and the shallowest levels of states, as many whole levels as
// fit in maxDense rows (one byte deep for the policies' content lists, two
// for their opt-out words), have dense rows, resolved through their failure links: a
// step from them is one load, and a failure chain ends at them, so a step
// costs at most one edge search per state deeper than that. Deeper states
// (tens of thousands: dense rows for all would take megabytes per list)
// keep sorted edge lists, and most have one edge, kept in the state
// itself. They are numbered depth first, so that the states of a word in
// progress follow each other in memory: a scan of ordinary text spends
// most of its steps on short chains of them.
type automaton struct {
	dense  []int32 // rows of 256 transitions for states 0..ndense
	ndense int32   // the last state with a dense row
	nodes  []node  // per state
	out    []int32 // per state: pattern ending here, or -1
	dict   []int32 // per state: next state on the failure chain with out >= 0, or -1
	labels []byte  // edges of states with several: byte
	dests  []int32 // edges of states with several: destination state
	plen   []int32 // per pattern: length in bytes
}

// maxDense bounds the dense rows of an automaton: 257 KiB, the root and
// every byte. Past the first level, the rows are also at most one per 16
// states, four times what the states take without them, so that a short
// list does not take a quarter of a megabyte.
const maxDense = 257

// node is what a step reads of a state, in one place.
type node struct {
	edge  int32  // one edge: its destination; several: the index of the first in labels and dests
	fail  int32  // failure link
	emit  int32  // the first state on its failure chain (itself included) with out >= 0, or -1
	nedge uint16 // number of edges (sorted by byte)
	label byte   // the byte of the one edge
}

// buildAutomaton builds the automaton for patterns; pattern i is reported as
// i. Empty patterns are never reported.
func buildAutomaton(patterns [][]byte) *automaton {
	// Build the trie with per-state edge lists, numbered as inserted.
	type edge struct {
		b  byte
		to int32
	}
	children := [][]edge{nil}
	outs := []int32{-1}
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
				outs = append(outs, -1)
				children[s] = append(children[s], edge{c, next})
			}
			s = next
		}
		if outs[s] < 0 {
			outs[s] = int32(p)
		}
	}
	n := len(children)
	// Sort each state's edges by byte (insertion sort: edge lists are
	// short and this runs once), then renumber: the root and the levels
	// with dense rows breadth first, then the deeper states depth first.
	for _, es := range children {
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && es[j].b < es[j-1].b; j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
	}
	order := make([]int32, 1, n) // new number -> trie number
	last := order                // the deepest level with dense rows
	for {
		var next []int32
		for _, s := range last {
			for _, e := range children[s] {
				next = append(next, e.to)
			}
		}
		if rows := len(order) + len(next); len(next) == 0 || rows > maxDense || len(order) > 1 && rows > n/16 {
			break
		}
		order = append(order, next...)
		last = order[len(order)-len(next):]
	}
	a.ndense = int32(len(order) - 1)
	var stack []int32
	for _, top := range last {
		for i := len(children[top]) - 1; i >= 0; i-- {
			stack = append(stack, children[top][i].to)
		}
		for len(stack) > 0 {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			order = append(order, s)
			for i := len(children[s]) - 1; i >= 0; i-- {
				stack = append(stack, children[s][i].to)
			}
		}
	}
	id := make([]int32, n) // trie number -> new number
	for s, old := range order {
		id[old] = int32(s)
	}
	a.nodes = make([]node, n)
	a.out = make([]int32, n)
	a.dict = make([]int32, n)
	for s, old := range order {
		a.out[s] = outs[old]
		nd, es := &a.nodes[s], children[old]
		nd.nedge = uint16(len(es))
		if len(es) == 1 {
			nd.edge, nd.label = id[es[0].to], es[0].b
			continue
		}
		nd.edge = int32(len(a.labels))
		for _, e := range es {
			a.labels = append(a.labels, e.b)
			a.dests = append(a.dests, id[e.to])
		}
	}
	// Failure and dictionary links, breadth first (a state's failure
	// chain, shallower, is done before it), and the dense rows as their
	// states come. The root's children fail to the root (the zero value)
	// and have no dictionary link.
	a.dense = make([]int32, 256*(a.ndense+1))
	for _, e := range children[0] {
		a.dense[e.b] = id[e.to]
	}
	a.dict[0], a.nodes[0].emit = -1, -1
	queue := make([]int32, 0, n) // trie numbers
	for _, e := range children[0] {
		a.dict[id[e.to]] = -1
		queue = append(queue, e.to)
	}
	for len(queue) > 0 {
		old := queue[0]
		queue = queue[1:]
		s := id[old]
		nd := &a.nodes[s]
		if nd.emit = a.dict[s]; a.out[s] >= 0 {
			nd.emit = s
		}
		if s <= a.ndense {
			row := a.dense[256*s : 256*(s+1)]
			copy(row, a.dense[256*nd.fail:])
			for _, e := range children[old] {
				row[e.b] = id[e.to]
			}
		}
		for _, e := range children[old] {
			to := id[e.to]
			f := a.step(nd.fail, e.b)
			a.nodes[to].fail = f
			if a.out[f] >= 0 {
				a.dict[to] = f
			} else {
				a.dict[to] = a.dict[f]
			}
			queue = append(queue, e.to)
		}
	}
	return a
}

// child returns the transition of s on c, or -1.
func (a *automaton) child(s int32, c byte) int32 {
	nd := &a.nodes[s]
	if nd.nedge == 1 {
		if nd.label == c {
			return nd.edge
		}
		return -1
	}
	lo, hi := int(nd.edge), int(nd.edge)+int(nd.nedge)
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

// step is the automaton's transition function. A failure link leads to a
// shallower state, so the chain ends at a dense row.
func (a *automaton) step(s int32, c byte) int32 {
	for s > a.ndense {
		if t := a.child(s, c); t >= 0 {
			return t
		}
		s = a.nodes[s].fail
	}
	return a.dense[int(s)<<8|int(c)]
}

// scan calls hit(pattern, start, end) for every occurrence of every pattern
// in text, in order of end position.
func (a *automaton) scan(text []byte, hit func(p, start, end int)) {
	s := int32(0)
	for i, c := range text {
		s = a.step(s, c)
		for o := a.nodes[s].emit; o > 0; o = a.dict[o] {
			p := a.out[o]
			hit(int(p), i+1-int(a.plen[p]), i+1)
		}
	}
}
