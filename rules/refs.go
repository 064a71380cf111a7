package rules

import (
	"errors"
	"math/big"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"
)

// Reads is what a prepared query's rules can read of the input, as a
// program the engine's fact cache runs on each message to key it by the
// facts the query can see, and no others (policy-aware fact keys).
//
// Each rule definition the query can reach is a list of bodies (the
// definition and its else chain), each a list of steps in the order OPA
// evaluates the compiled body's expressions:
//   - StepGuard: an expression over input paths and constants that Go can
//     decide (an equality, a comparison, set membership, a type test, a
//     path that must be defined or true, or the negation of one). Each
//     is false when an operand is undefined, as in Rego. Only its
//     outcome enters the key; when it is false OPA evaluates nothing after
//     it in that body, so neither does the key.
//   - StepRead: an input path whose whole subtree the expression can see
//     (passed to a function, iterated, an evidence string, a comparison Go
//     does not decide); nil is the whole input.
//   - StepRule: a rule or function the expression refers to: its own
//     program, run once per message however many expressions refer to it.
//   - StepEach: the body iterates the array or object at Path with an
//     index variable no expression before has bound (input.links[i], as
//     "some l in input.links" compiles). The steps from that expression
//     to the end of the body, head included, are its Body, run once per
//     element in order after the number of elements; an operand or read
//     with Elem is a path in the element. One iteration per body: a
//     second one inside it reads its collection whole.
//
// Why this is sound: a body's findings are a function of the values its
// expressions read, and OPA evaluates a compiled body's expressions in
// order, stopping at the first one that is false or undefined. A guard's
// outcome does not depend on the bindings of the expressions before it
// (its operands are ground input paths and constants), so when the key
// says it is false, no binding gets past it in either message. Two inputs
// that agree on every outcome and every read value the program reaches
// therefore reach the same expressions with the same values, and the
// query gives both the same reasons. An iteration's bindings are the
// element and its index: two inputs with as many elements that agree,
// element by element, on what the body reads of each (its index is its
// place) give the same bindings the same findings. A variable bound
// inside a negation, comprehension or every is local to it, so none of
// those starts an iteration of the body. The head is read after the body.
// An else definition is read as well as its rule, whether or not OPA
// reaches it (a superset is sound). Numbers are compared by Go only when
// the constant is the shortest decimal of a float64, as every number of
// the facts is: that map is monotonic, so float64 comparison orders them
// as Rego does.
//
// An expression with "with" (the input would not be the facts) or a call
// of io.jwt.decode_verify (it reads the evaluation's clock) makes the
// analysis fail; the engine then keys by every fact, as before.
type Reads struct {
	// ID tells the queries of a Set apart: the same facts may be decided
	// differently by two queries, so a key includes it.
	ID int
	// Units are the rule definitions the query unions (indexes of Rules).
	Units []int
	// Rules are the programs of every rule definition the Set's queries
	// can reach, shared by the Set's Reads.
	Rules []ReadRule
}

// ReadRule is one rule definition's program: its body and those of its
// else chain.
type ReadRule struct {
	Bodies [][]ReadStep
}

// StepKind is a ReadStep's kind.
type StepKind uint8

// Step kinds.
const (
	StepGuard StepKind = iota + 1
	StepRead
	StepRule
	StepEach
)

// Guard comparisons.
const (
	CmpDefined  = "defined" // A is defined (an assignment from it)
	CmpTruthy   = "truthy"  // A is defined and not false (an expression of A alone)
	CmpEqual    = "equal"   // A == B
	CmpNotEqual = "neq"     // A != B
	CmpGT       = "gt"      // A > B (numbers)
	CmpGTE      = "gte"
	CmpLT       = "lt"
	CmpLTE      = "lte"
	CmpMember   = "member" // A is in Set
	CmpType     = "type"   // A has type Type
)

// ReadStep is one step of a ReadRule's body.
type ReadStep struct {
	Kind StepKind
	// StepGuard: Cmp over A and B (B may be a constant), true when Negate
	// is false and the comparison holds, or Negate is true and it does not
	// (an undefined operand: it does not hold).
	Cmp    string
	Negate bool
	A, B   Operand
	Set    []any  // CmpMember: scalars (string, float64, bool, nil)
	Type   string // CmpType: "string", "number", "boolean", "null", "array", "object", "set"
	// StepRead: the path read whole (nil: all the input). StepEach: the
	// collection iterated.
	Path []string
	// Elem: Path is in the element of the enclosing StepEach (StepRead;
	// nil: the whole element).
	Elem bool
	// StepRule: an index of Reads.Rules.
	Rule int
	// StepEach: the steps run for each element.
	Body []ReadStep
}

// Operand is an input path or a scalar constant.
type Operand struct {
	Path  []string // an input path, when IsPath
	Const any      // string, float64, bool or nil, when !IsPath
	// IsPath tells a path from a constant.
	IsPath bool
	// Elem: Path is in the element of the enclosing StepEach.
	Elem bool
}

// Reads returns the read program of the query Eval uses for country (lower
// case) and channel, or nil when the analysis failed at load: then the
// query can see every fact.
func (s *Set) Reads(country, channel string) *Reads {
	return s.reads[s.queryKey(country, channel)]
}

// errNoAnalysis: the query's reads cannot be analysed.
var errNoAnalysis = errors.New("rules: reads not analysable")

// readAnalysis builds the programs of one compiler's rules, shared by the
// queries prepared on it.
type readAnalysis struct {
	compiler *ast.Compiler
	ids      map[*ast.Rule]int
	rules    []ReadRule
	err      error
}

func newReadAnalysis(c *ast.Compiler) *readAnalysis {
	return &readAnalysis{compiler: c, ids: map[*ast.Rule]int{}}
}

// query returns the program of a query that unions the rules refs name,
// or nil when an analysis failed.
func (a *readAnalysis) query(id int, refs []ast.Ref) *Reads {
	var units []int
	for _, ref := range refs {
		units = append(units, a.refRules(ref)...)
	}
	if a.err != nil {
		return nil
	}
	return &Reads{ID: id, Units: units}
}

// finish gives every query's program the rule table, or returns false
// when any analysis failed.
func (a *readAnalysis) finish(all map[queryKey]*Reads) bool {
	if a.err != nil {
		return false
	}
	for _, r := range all {
		r.Rules = a.rules
	}
	return true
}

// refRules returns the ids of the rule definitions ref can refer to: the
// rules at or above its ground prefix and those below it.
func (a *readAnalysis) refRules(ref ast.Ref) []int {
	prefix := ref.GroundPrefix()
	seen := map[*ast.Rule]bool{}
	var ids []int
	add := func(rs []*ast.Rule) {
		for _, r := range rs {
			if !seen[r] {
				seen[r] = true
				ids = append(ids, a.rule(r))
			}
		}
	}
	add(a.compiler.GetRules(prefix))
	add(a.compiler.GetRulesWithPrefix(prefix))
	return ids
}

// rule returns the id of a rule definition, analysing it the first time.
func (a *readAnalysis) rule(r *ast.Rule) int {
	if id, ok := a.ids[r]; ok {
		return id
	}
	id := len(a.rules)
	a.ids[r] = id
	a.rules = append(a.rules, ReadRule{})
	var bodies [][]ReadStep
	for d := r; d != nil; d = d.Else {
		bodies = append(bodies, a.body(d))
	}
	a.rules[id].Bodies = bodies
	return id
}

// body analyses one definition: its body's expressions in order, then its
// head.
func (a *readAnalysis) body(r *ast.Rule) []ReadStep {
	b := &bodyAnalysis{a: a, loads: map[ast.Var]origin{}, opaqueVars: map[ast.Var]bool{}, seen: map[ast.Var]bool{}}
	for _, arg := range r.Head.Args {
		ast.WalkVars(arg, func(v ast.Var) bool {
			b.opaqueVars[v] = true
			b.seen[v] = true
			return false
		})
	}
	for _, e := range r.Body {
		if b.loop == nil {
			if l, ok := b.loopStart(e); ok {
				b.loop, b.outer, b.steps = l, b.steps, nil
			}
		}
		b.expr(e)
		ast.WalkVars(e, func(v ast.Var) bool {
			b.seen[v] = true
			return false
		})
	}
	b.opaque(r.Head)
	if b.loop != nil {
		return append(b.outer, ReadStep{Kind: StepEach, Path: b.loop.path, Body: b.steps})
	}
	return b.steps
}

type bodyAnalysis struct {
	a     *readAnalysis
	loads map[ast.Var]origin // variables assigned a ground input path
	// opaqueVars are the variables bound otherwise: a function's
	// arguments, and every variable of an expression Go does not decide.
	opaqueVars map[ast.Var]bool
	seen       map[ast.Var]bool // every variable of the expressions before
	steps      []ReadStep
	loop       *loop      // the body's iteration, once it started
	outer      []ReadStep // the steps before it
}

// origin is the path a variable was assigned: in the input, or in the
// iteration's element.
type origin struct {
	path []string
	elem bool
}

// loop is a body's iteration: the collection at path, by the index var.
type loop struct {
	path []string
	v    ast.Var
}

// loopStart returns the iteration e starts: a ref input.p[v] (p string
// keys) with a variable no expression before has bound, outside any
// negation, comprehension or every (their variables are their own).
func (b *bodyAnalysis) loopStart(e *ast.Expr) (*loop, bool) {
	if e.Negated {
		return nil, false
	}
	if _, ok := e.Terms.(*ast.Every); ok {
		return nil, false
	}
	var found *loop
	ast.WalkTerms(e, func(t *ast.Term) bool {
		switch v := t.Value.(type) {
		case *ast.ArrayComprehension, *ast.SetComprehension, *ast.ObjectComprehension:
			return true
		case ast.Ref:
			if found != nil || !v.HasPrefix(ast.InputRootRef) {
				return false
			}
			p := []string{}
			for _, k := range v[1:] {
				switch kv := k.Value.(type) {
				case ast.String:
					p = append(p, string(kv))
					continue
				case ast.Var:
					_, loaded := b.loads[kv]
					if !b.seen[kv] && !loaded && !b.opaqueVars[kv] {
						found = &loop{path: p, v: kv}
					}
				}
				break
			}
		}
		return false
	})
	return found, found != nil
}

// elemKeys returns the keys of ref after the iteration's index, when ref
// is input.<loop path>[<loop var>]...
func (b *bodyAnalysis) elemKeys(ref ast.Ref) (ast.Ref, bool) {
	if b.loop == nil || len(ref) < len(b.loop.path)+2 || !ref.HasPrefix(ast.InputRootRef) {
		return nil, false
	}
	for i, k := range b.loop.path {
		if s, ok := ref[i+1].Value.(ast.String); !ok || string(s) != k {
			return nil, false
		}
	}
	if v, ok := ref[len(b.loop.path)+1].Value.(ast.Var); !ok || v != b.loop.v {
		return nil, false
	}
	return ref[len(b.loop.path)+2:], true
}

func (b *bodyAnalysis) expr(e *ast.Expr) {
	if len(e.With) > 0 {
		b.a.err = errNoAnalysis // the input would not be the facts
		return
	}
	if g, ok := b.guard(e); ok {
		b.steps = append(b.steps, g)
		return
	}
	b.opaque(e)
}

// guard returns the guard step e is, if it is one.
func (b *bodyAnalysis) guard(e *ast.Expr) (ReadStep, bool) {
	switch t := e.Terms.(type) {
	case *ast.Term:
		if op, ok := b.operand(t); ok && op.IsPath {
			return ReadStep{Kind: StepGuard, Cmp: CmpTruthy, Negate: e.Negated, A: op}, true
		}
	case []*ast.Term:
		if len(t) == 0 {
			return ReadStep{}, false
		}
		args := t[1:]
		switch name := t[0].String(); name {
		case "eq":
			if len(args) != 2 {
				return ReadStep{}, false
			}
			// v = input.path, v not yet bound: an assignment, which
			// holds when the path is defined.
			for i := range 2 {
				v, isVar := args[i].Value.(ast.Var)
				op, ok := b.operand(args[1-i])
				if isVar && ok && op.IsPath && !e.Negated && !b.bound(e, v) {
					b.loads[v] = origin{path: op.Path, elem: op.Elem}
					return ReadStep{Kind: StepGuard, Cmp: CmpDefined, A: op}, true
				}
			}
			return b.compare(CmpEqual, false, e.Negated, args)
		case "equal":
			return b.compare(CmpEqual, false, e.Negated, args)
		case "neq":
			return b.compare(CmpEqual, true, e.Negated, args)
		case "gt", "gte", "lt", "lte":
			return b.compare(name, false, e.Negated, args)
		case "internal.member_2":
			if len(args) != 2 {
				return ReadStep{}, false
			}
			a, ok := b.operand(args[0])
			set, sok := constSet(args[1])
			if ok && a.IsPath && sok {
				return ReadStep{Kind: StepGuard, Cmp: CmpMember, Negate: e.Negated, A: a, Set: set}, true
			}
		case "is_string", "is_number", "is_boolean", "is_null", "is_array", "is_object", "is_set":
			if len(args) != 1 {
				return ReadStep{}, false
			}
			if a, ok := b.operand(args[0]); ok && a.IsPath {
				return ReadStep{Kind: StepGuard, Cmp: CmpType, Negate: e.Negated, A: a, Type: name[3:]}, true
			}
		}
	}
	return ReadStep{}, false
}

// compare is the guard of a comparison of two operands, at least one an
// input path; neq is the negation of equality.
func (b *bodyAnalysis) compare(cmp string, neq, negated bool, args []*ast.Term) (ReadStep, bool) {
	if len(args) != 2 {
		return ReadStep{}, false // with an output variable: a value, not a test
	}
	x, xok := b.operand(args[0])
	y, yok := b.operand(args[1])
	if !xok || !yok || !x.IsPath && !y.IsPath {
		return ReadStep{}, false
	}
	if !x.IsPath { // the path first: a < b is b > a
		x, y = y, x
		cmp = map[string]string{CmpEqual: CmpEqual, CmpGT: CmpLT, CmpGTE: CmpLTE, CmpLT: CmpGT, CmpLTE: CmpGTE}[cmp]
	}
	if neq {
		cmp = CmpNotEqual // undefined, as equal, when an operand is
	}
	return ReadStep{Kind: StepGuard, Cmp: cmp, Negate: negated, A: x, B: y}, true
}

// bound reports whether v occurs in the body before e: then "v = x" is a
// test, not an assignment.
func (b *bodyAnalysis) bound(e *ast.Expr, v ast.Var) bool {
	if _, ok := b.loads[v]; ok {
		return true
	}
	return b.opaqueVars[v]
}

// operand returns an input path (a ground ref or a variable assigned
// one) or a scalar constant Go compares as Rego does.
func (b *bodyAnalysis) operand(t *ast.Term) (Operand, bool) {
	if o, ok := b.inputPath(t); ok {
		return Operand{Path: o.path, Elem: o.elem, IsPath: true}, true
	}
	if c, ok := scalar(t.Value); ok {
		return Operand{Const: c}, true
	}
	return Operand{}, false
}

// inputPath returns the path of a ground input ref with string keys (in
// the input, or in the iteration's element), of a ref with such keys into
// a variable assigned one, or of such a variable.
func (b *bodyAnalysis) inputPath(t *ast.Term) (origin, bool) {
	switch v := t.Value.(type) {
	case ast.Var:
		o, ok := b.loads[v]
		return o, ok
	case ast.Ref:
		var o origin
		keys := v[1:]
		ek, inElem := b.elemKeys(v)
		hv, _ := v[0].Value.(ast.Var)
		base, loaded := b.loads[hv]
		switch {
		case inElem:
			o.elem, keys = true, ek
		case v.HasPrefix(ast.InputRootRef):
		case loaded:
			o = base
		default:
			return origin{}, false
		}
		p := make([]string, len(o.path), len(o.path)+len(keys))
		copy(p, o.path)
		for _, k := range keys {
			s, ok := k.Value.(ast.String)
			if !ok {
				return origin{}, false
			}
			p = append(p, string(s))
		}
		o.path = p
		return o, true
	}
	return origin{}, false
}

// stringPrefix returns the string keys of keys up to the first other.
func stringPrefix(base []string, keys ast.Ref) []string {
	p := append([]string(nil), base...)
	for _, k := range keys {
		s, ok := k.Value.(ast.String)
		if !ok {
			break
		}
		p = append(p, string(s))
	}
	return p
}

// opaque records what an expression or head Go does not decide can read:
// every input ref's string-keyed prefix whole, every variable assigned an
// input path whole, and every rule it refers to.
func (b *bodyAnalysis) opaque(x any) {
	var visit func(t *ast.Term) bool
	visit = func(t *ast.Term) bool {
		switch v := t.Value.(type) {
		case ast.Var:
			if o, ok := b.loads[v]; ok {
				b.steps = append(b.steps, ReadStep{Kind: StepRead, Path: o.path, Elem: o.elem})
			} else if v.Equal(ast.InputRootDocument.Value) {
				b.steps = append(b.steps, ReadStep{Kind: StepRead, Path: nil})
			}
			b.opaqueVars[v] = true
		case ast.Ref:
			var read origin
			keys, into := b.elemKeys(v)
			if into {
				read.elem = true
			} else if hv, ok := v[0].Value.(ast.Var); ok {
				read, into = b.loads[hv] // a ref into a variable assigned a path
				keys = v[1:]
			}
			if into {
				b.steps = append(b.steps, ReadStep{Kind: StepRead, Path: stringPrefix(read.path, keys), Elem: read.elem})
				for _, k := range keys {
					ast.WalkTerms(k, visit)
				}
				return true
			}
			switch {
			case v.HasPrefix(ast.InputRootRef):
				b.steps = append(b.steps, ReadStep{Kind: StepRead, Path: stringPrefix(nil, v[1:])})
			case v.Equal(jwtVerify):
				b.a.err = errNoAnalysis // reads the evaluation's clock, not the input
			case v.HasPrefix(ast.DefaultRootRef):
				for _, id := range b.a.refRules(v) {
					b.steps = append(b.steps, ReadStep{Kind: StepRule, Rule: id})
				}
			}
			// The head is the ref's root (input, data, a built-in's
			// name, a variable bound otherwise): what its keys read
			// is walked on its own.
			for _, k := range v[1:] {
				ast.WalkTerms(k, visit)
			}
			return true
		case *ast.ArrayComprehension, *ast.SetComprehension, *ast.ObjectComprehension:
			b.nestedWith(v)
		}
		return false
	}
	ast.WalkTerms(x, visit)
	if ex, ok := x.(*ast.Expr); ok {
		if ev, ok := ex.Terms.(*ast.Every); ok {
			b.nestedWith(ev)
		}
	}
}

// nestedWith fails the analysis for a with inside a comprehension or
// every.
func (b *bodyAnalysis) nestedWith(x any) {
	ast.WalkExprs(x, func(e *ast.Expr) bool {
		if len(e.With) > 0 {
			b.a.err = errNoAnalysis
		}
		return false
	})
}

// scalar returns a constant Go compares as Rego does: a string, a
// boolean, null, or a number that is the shortest decimal of its float64.
func scalar(v ast.Value) (any, bool) {
	switch c := v.(type) {
	case ast.String:
		return string(c), true
	case ast.Boolean:
		return bool(c), true
	case ast.Null:
		return nil, true
	case ast.Number:
		f, err := strconv.ParseFloat(string(c), 64)
		if err != nil {
			return nil, false
		}
		written, ok1 := new(big.Rat).SetString(string(c))
		shortest, ok2 := new(big.Rat).SetString(strconv.FormatFloat(f, 'f', -1, 64))
		if !ok1 || !ok2 || written.Cmp(shortest) != 0 {
			return nil, false
		}
		return f, true
	}
	return nil, false
}

// constSet returns the scalars of a constant set or array.
func constSet(t *ast.Term) ([]any, bool) {
	var out []any
	ok := true
	each := func(e *ast.Term) {
		c, isScalar := scalar(e.Value)
		if !isScalar {
			ok = false
		}
		out = append(out, c)
	}
	switch v := t.Value.(type) {
	case ast.Set:
		v.Foreach(each)
	case *ast.Array:
		v.Foreach(each)
	default:
		return nil, false
	}
	return out, ok
}
