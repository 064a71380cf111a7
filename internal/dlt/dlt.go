// Package dlt matches message bodies against the content templates that
// Indian senders register on the operators' DLT (distributed ledger)
// platforms under TRAI's Telecom Commercial Communications Customer
// Preference Regulations, 2018 (TCCCPR). Operators deliver a commercial
// SMS only when its body fits one of the templates registered for its
// header; a template is fixed text with placeholders, each standing for at
// most 30 characters: the generic {#var#}, or since TRAI's 2026 variable
// tagging a typed one that admits only its kind of value ({#numeric#},
// {#alphanumeric#}, {#url#}, {#urlott#}, {#cbn#} for a call-back number,
// {#email#}). Placeholders are written in lower case, as the DLT portals
// require.
//
// Use it where a template registry is configured: Compile the registry once
// when the policies load, then call Registry.Match for every message to
// India. A Registry is immutable and safe for concurrent use; the zero
// Registry has no header, so nothing matches it.
//
// Matching is exact on the template's text, except that runs of white
// space (spaces, tabs, new lines) count as one space and leading and
// trailing white space is ignored on both sides (so an empty variable
// between two spaces leaves two spaces that no longer fit). Case counts:
// the body is compared with the text as registered.
package dlt

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Placeholder is the generic variable part of a template's text.
const Placeholder = "{#var#}"

// MaxVarLen is the longest value, in characters, a placeholder stands for.
const MaxVarLen = 30

// varKind is a placeholder's type: which characters its value may hold
// and what the whole value must look like.
type varKind uint8

const (
	kindVar varKind = iota
	kindNumeric
	kindAlphanumeric
	kindURL
	kindURLOTT
	kindCBN
	kindEmail
)

var varKinds = map[string]varKind{
	"var": kindVar, "numeric": kindNumeric, "alphanumeric": kindAlphanumeric,
	"url": kindURL, "urlott": kindURLOTT, "cbn": kindCBN, "email": kindEmail,
}

// allows reports whether r may appear in a value of kind k. Numbers keep
// their separators (amounts "1,500.00"), reference ids their dashes and
// slashes; links, call-back numbers and e-mail addresses never hold white
// space.
func (k varKind) allows(r rune) bool {
	switch k {
	case kindVar:
		return true
	case kindNumeric:
		return r >= '0' && r <= '9' || r == ',' || r == '.'
	case kindAlphanumeric:
		return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '/' || r == '_' || r == '.'
	case kindCBN:
		return r >= '0' && r <= '9' || r == '+' || r == '-'
	}
	return !unicode.IsSpace(r) // url, urlott, email
}

// fits reports whether a whole value suits kind k: typed values are never
// empty, links hold a dot, e-mail addresses an @ with a dot after it.
func (k varKind) fits(v string) bool {
	switch k {
	case kindVar:
		return true
	case kindURL, kindURLOTT:
		return strings.Contains(v, ".")
	case kindEmail:
		at := strings.IndexByte(v, '@')
		return at > 0 && strings.Contains(v[at:], ".")
	}
	return v != ""
}

// Template categories as the DLT platforms name them.
const (
	CategoryPromotional     = "promotional"
	CategoryTransactional   = "transactional"
	CategoryServiceImplicit = "service_implicit"
	CategoryServiceExplicit = "service_explicit"
)

// Template is one registered content template.
type Template struct {
	Header   string `json:"header"`   // the 6-character header, without operator prefix or type suffix
	ID       string `json:"id"`       // the DLT content template id
	Category string `json:"category"` // one of the Category constants
	Text     string `json:"text"`     // the registered text, with {#var#} placeholders
}

// Errors of Compile and Parse, wrapped in a *TemplateError.
var (
	ErrNoHeader    = errors.New("dlt: template has no header")
	ErrNoID        = errors.New("dlt: template has no id")
	ErrDuplicateID = errors.New("dlt: template id repeated for the header")
	ErrCategory    = errors.New("dlt: unknown template category")
	ErrEmpty       = errors.New("dlt: template has no fixed text")
	ErrPlaceholder = errors.New("dlt: malformed or unknown placeholder")
)

// TemplateError locates a bad template in a registry.
type TemplateError struct {
	Index  int    // position in the list given to Compile
	Header string // as given
	ID     string // as given
	Err    error
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("dlt: template %d (header %q, id %q): %v", e.Index, e.Header, e.ID, e.Err)
}

func (e *TemplateError) Unwrap() error { return e.Err }

// Parse reads a registry file: JSON Lines, one template object per line
// (a format OPA's loader does not mount as policy data).
func Parse(r io.Reader) ([]Template, error) {
	var ts []Template
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	for {
		var t Template
		err := dec.Decode(&t)
		if err == io.EOF {
			return ts, nil
		}
		if err != nil {
			return nil, fmt.Errorf("dlt: reading template %d: %w", len(ts)+1, err)
		}
		ts = append(ts, t)
	}
}

// Header returns the registry key of a sender as it appears on a handset or
// in an SMPP source address: upper case, without the two-letter
// operator-circle prefix ("VM-HDFCBK") and without TRAI's message-type
// suffix ("HDFCBK-S": -P, -S, -T, -G).
func Header(sender string) string {
	h := strings.ToUpper(strings.TrimSpace(sender))
	if len(h) > 3 && h[2] == '-' {
		h = h[3:]
	}
	if n := len(h); n > 2 && h[n-2] == '-' && strings.IndexByte("PSTG", h[n-1]) >= 0 {
		h = h[:n-2]
	}
	return h
}

// Registry is a compiled set of templates, one matcher per header.
type Registry struct {
	headers map[string]*trie
	count   int
}

// Len returns the number of templates compiled.
func (r *Registry) Len() int { return r.count }

// HasHeader reports whether any template is registered for header (as
// returned by Header).
func (r *Registry) HasHeader(header string) bool {
	_, ok := r.headers[header]
	return ok
}

// Compile checks every template and builds the matchers. A registry with a
// bad template does not compile: the error is a *TemplateError.
func Compile(ts []Template) (*Registry, error) {
	r := &Registry{headers: map[string]*trie{}}
	seen := map[[2]string]bool{}
	for i, t := range ts {
		fail := func(err error) (*Registry, error) {
			return nil, &TemplateError{Index: i, Header: t.Header, ID: t.ID, Err: err}
		}
		h := Header(t.Header)
		switch {
		case h == "":
			return fail(ErrNoHeader)
		case strings.TrimSpace(t.ID) == "":
			return fail(ErrNoID)
		case seen[[2]string{h, t.ID}]:
			return fail(ErrDuplicateID)
		}
		switch t.Category {
		case CategoryPromotional, CategoryTransactional, CategoryServiceImplicit, CategoryServiceExplicit:
		default:
			return fail(ErrCategory)
		}
		segs, err := split(t.Text)
		if err != nil {
			return fail(err)
		}
		seen[[2]string{h, t.ID}] = true
		tr := r.headers[h]
		if tr == nil {
			tr = newTrie()
			r.headers[h] = tr
		}
		t.Header = h
		tr.add(segs, t)
		r.count++
	}
	return r, nil
}

// Match returns the template of header that body fits, and whether one
// does. A header with no template fits nothing. When several templates
// fit, the one whose fixed text runs longest before a placeholder wins
// (then the first registered).
func (r *Registry) Match(header, body string) (Template, bool) {
	tr := r.headers[header]
	if tr == nil {
		return Template{}, false
	}
	return tr.match(collapse(body))
}

// segment is a run of fixed text, then a placeholder when hasVar.
type segment struct {
	text   string
	hasVar bool
	kind   varKind
}

// split turns a template's text into segments, white space collapsed.
func split(text string) ([]segment, error) {
	text = collapse(text)
	var segs []segment
	fixed := 0
	for {
		i := strings.Index(text, "{#")
		if i < 0 {
			break
		}
		end := strings.Index(text[i:], "#}")
		if end < 0 {
			return nil, ErrPlaceholder
		}
		kind, ok := varKinds[text[i+2:i+end]]
		if !ok {
			return nil, ErrPlaceholder
		}
		lit := text[:i]
		fixed += len(strings.TrimSpace(lit))
		segs = append(segs, segment{text: lit, hasVar: true, kind: kind})
		text = text[i+end+2:]
	}
	if strings.Contains(text, "#}") {
		return nil, ErrPlaceholder
	}
	fixed += len(strings.TrimSpace(text))
	if fixed == 0 {
		return nil, ErrEmpty
	}
	if text != "" || len(segs) == 0 {
		segs = append(segs, segment{text: text})
	}
	return segs, nil
}

// collapse trims s and turns every run of white space into one space. It
// does not allocate when s has nothing to change.
func collapse(s string) string {
	s = strings.TrimSpace(s)
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c == ' ' && s[i+1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// trie holds a header's templates: fixed bytes on edges, variable edges
// where placeholders are. Matching walks it once for all the templates.
type trie struct {
	nodes     []node
	templates []Template
}

type node struct {
	labels   []byte    // sorted; labels[i] leads to kids[i]
	kids     []int32   //
	vars     []varEdge // placeholder edges, one per kind
	template int32     // ≥ 0: index of the template that ends here
}

type varEdge struct {
	kind varKind
	kid  int32
}

func newTrie() *trie { return &trie{nodes: []node{{template: -1}}} }

func (t *trie) add(segs []segment, tmpl Template) {
	cur := int32(0)
	for _, s := range segs {
		for i := 0; i < len(s.text); i++ {
			cur = t.child(cur, s.text[i])
		}
		if s.hasVar {
			cur = t.varChild(cur, s.kind)
		}
	}
	if t.nodes[cur].template < 0 { // an identical earlier template keeps its place
		t.nodes[cur].template = int32(len(t.templates))
		t.templates = append(t.templates, tmpl)
	}
}

func (t *trie) child(n int32, b byte) int32 {
	nd := &t.nodes[n]
	i, found := slices.BinarySearch(nd.labels, b)
	if found {
		return nd.kids[i]
	}
	kid := int32(len(t.nodes))
	t.nodes = append(t.nodes, node{template: -1})
	nd = &t.nodes[n]
	nd.labels = slices.Insert(nd.labels, i, b)
	nd.kids = slices.Insert(nd.kids, i, kid)
	return kid
}

func (t *trie) varChild(n int32, kind varKind) int32 {
	for _, v := range t.nodes[n].vars {
		if v.kind == kind {
			return v.kid
		}
	}
	kid := int32(len(t.nodes))
	t.nodes = append(t.nodes, node{template: -1})
	t.nodes[n].vars = append(t.nodes[n].vars, varEdge{kind: kind, kid: kid})
	return kid
}

// stepBudget bounds a match without memory: past it (only bodies built to
// make placeholders backtrack get there), the match starts over with a memo
// of the (node, position) pairs already known to fail, which bounds the
// work by nodes × body length.
const stepBudget = 1 << 14

type walker struct {
	t     *trie
	s     string
	steps int
	memo  map[uint64]struct{} // failed (placeholder node, position); nil until needed
}

func (t *trie) match(s string) (Template, bool) {
	w := walker{t: t, s: s}
	i := w.walk(0, 0)
	if i == abort {
		w = walker{t: t, s: s, memo: map[uint64]struct{}{}, steps: -1 << 62}
		i = w.walk(0, 0)
	}
	if i < 0 {
		return Template{}, false
	}
	return t.templates[i], true
}

const abort = -2

// walk returns the template that s[pos:] completes from node n, -1 when
// none does, abort when the step budget ran out.
func (w *walker) walk(n int32, pos int) int32 {
	for {
		w.steps++
		if w.steps > stepBudget {
			return abort
		}
		nd := &w.t.nodes[n]
		if pos == len(w.s) {
			if nd.template >= 0 {
				return nd.template
			}
			// Only empty placeholders can still finish a template.
			for _, v := range nd.vars {
				if !v.kind.fits("") {
					continue
				}
				if r := w.after(v.kid, pos); r != -1 {
					return r
				}
			}
			return -1
		}
		if len(nd.vars) > 0 {
			break
		}
		i, ok := slices.BinarySearch(nd.labels, w.s[pos])
		if !ok {
			return -1
		}
		n, pos = nd.kids[i], pos+1
	}
	// A node with placeholders: fixed text first, then each placeholder
	// taking 0 to MaxVarLen characters of its kind.
	nd := &w.t.nodes[n]
	if i, ok := slices.BinarySearch(nd.labels, w.s[pos]); ok {
		if r := w.walk(nd.kids[i], pos+1); r != -1 {
			return r
		}
	}
	for _, v := range nd.vars {
		p := pos
		for c := 0; ; c++ {
			if w.mayContinue(v.kid, p) && v.kind.fits(w.s[pos:p]) {
				if r := w.after(v.kid, p); r != -1 {
					return r
				}
			}
			if c == MaxVarLen || p == len(w.s) {
				break
			}
			r, size := utf8.DecodeRuneInString(w.s[p:])
			if !v.kind.allows(r) {
				break
			}
			p += size
		}
	}
	return -1
}

// mayContinue is a cheap test before descending into node n at pos: the
// body ends where a template may end, or its next byte starts an edge.
func (w *walker) mayContinue(n int32, pos int) bool {
	nd := &w.t.nodes[n]
	if len(nd.vars) > 0 {
		return true
	}
	if pos == len(w.s) {
		return nd.template >= 0
	}
	_, ok := slices.BinarySearch(nd.labels, w.s[pos])
	return ok
}

// after is walk at the node a placeholder leads to, through the memo once
// there is one.
func (w *walker) after(n int32, pos int) int32 {
	if w.memo == nil {
		return w.walk(n, pos)
	}
	key := uint64(n)<<32 | uint64(pos)
	if _, failed := w.memo[key]; failed {
		return -1
	}
	r := w.walk(n, pos)
	if r == -1 {
		w.memo[key] = struct{}{}
	}
	return r
}
