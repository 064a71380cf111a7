package rules

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// Finding is one reason a policy reported, with its rule's citation.
type Finding struct {
	Code     string // reason code, e.g. "SENDER_ID_FORMAT"
	Rule     string // rule id from METADATA
	Action   string // "block", "review" or "defer"; "" = the code's default
	Evidence string
	Until    string // RFC 3339, with defer
	Citation Citation
}

// Eval evaluates the policies for one message: the global rules, the
// destination's pack (country, lower case; the global and channel rules alone
// when it has none) and the channel's pack. input is the facts document; now
// is the message time that time built-ins see. Findings come back as
// MergeFindings gives them: sorted by rule id, then evidence, then the other
// fields, without duplicates, so equal inputs give equal results.
//
// Evaluation stops when ctx is done (OPA checks for cancellation between
// evaluation steps, and its error wraps ctx.Err()): errors.Is(err,
// context.DeadlineExceeded) tells a rule that ran out of budget from a
// broken one. A check's deadline holds only if the caller passes it here.
func (s *Set) Eval(ctx context.Context, country, channel string, input ast.Value, now time.Time) ([]Finding, error) {
	return s.eval(ctx, s.queries[s.queryKey(country, channel)], country, input, now)
}

// Part is a share of a destination's query: the query unions the reasons
// of the global pack, the destination's and the channel's, each a set of
// definitions, and a Part evaluates some definitions of one pack alone
// (EvalPart): one, or those that call a function in common, which OPA
// then computes once (split.go); a pack whose definitions cannot be told
// apart is one Part. The findings of Eval are MergeFindings of its Parts'
// findings, so a caller may cache each part's findings under a key of
// what that part can read (Reads) and evaluate only the parts whose key it
// has not seen. A Part is immutable and safe for concurrent use; it
// belongs to its Set.
type Part struct {
	// Name is the pack's and the part's number in it: "global#3",
	// "countries/ae#0".
	Name  string
	query *rego.PreparedEvalQuery
	reads *Reads
}

// Reads returns the read program of the part's query, or nil when the
// analysis failed at load (then no query has one). Its ID numbers the
// Set's parts, apart from the queries' IDs.
func (p *Part) Reads() *Reads { return p.reads }

// Parts returns the parts of the query Eval uses for country (lower case)
// and channel: the global pack's, the country's, then the channel's; a
// pack without reasons has none. The slice is shared: never modify it.
func (s *Set) Parts(country, channel string) []*Part {
	return s.parts[s.queryKey(country, channel)]
}

// EvalPart evaluates one part of a query, as Eval does the whole: the same
// input, clock and cancellation.
func (s *Set) EvalPart(ctx context.Context, p *Part, input ast.Value, now time.Time) ([]Finding, error) {
	return s.eval(ctx, p.query, p.Name, input, now)
}

// MergeFindings returns the findings of every list in Eval's order: sorted
// by rule id, then evidence, code, action and until, with equal findings
// once (the union of two packs' reason sets holds a reason both report
// once). It may reorder the lists' elements; the result is a new slice
// when more than one list is given.
func MergeFindings(lists ...[]Finding) []Finding {
	var all []Finding
	switch len(lists) {
	case 0:
		return nil
	case 1:
		all = lists[0]
	default:
		n := 0
		for _, l := range lists {
			n += len(l)
		}
		if n == 0 {
			return nil
		}
		all = make([]Finding, 0, n)
		for _, l := range lists {
			all = append(all, l...)
		}
	}
	if len(all) == 0 {
		return nil
	}
	slices.SortFunc(all, compareFindings)
	return slices.CompactFunc(all, func(a, b Finding) bool { return compareFindings(a, b) == 0 })
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		strings.Compare(a.Rule, b.Rule),
		strings.Compare(a.Evidence, b.Evidence),
		strings.Compare(a.Code, b.Code),
		strings.Compare(a.Action, b.Action),
		strings.Compare(a.Until, b.Until),
	)
}

// eval evaluates q, a query that binds the reasons to "reasons"; name
// (a country or a pack) is for its errors.
func (s *Set) eval(ctx context.Context, q *rego.PreparedEvalQuery, name string, input ast.Value, now time.Time) ([]Finding, error) {
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalTime(now))
	if err != nil {
		return nil, fmt.Errorf("rules: evaluating policies for %q: %w", name, err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("rules: policies for %q gave no result", name)
	}
	set, ok := rs[0].Bindings["reasons"].([]any)
	if !ok {
		return nil, fmt.Errorf("rules: reasons is %T, want a set", rs[0].Bindings["reasons"])
	}
	if len(set) == 0 {
		return nil, nil
	}
	findings := make([]Finding, 0, len(set))
	for _, item := range set {
		obj, ok := item.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("rules: a reason is %T, want an object", item)
		}
		f := Finding{
			Code:     str(obj["code"]),
			Rule:     str(obj["rule"]),
			Action:   str(obj["action"]),
			Evidence: str(obj["evidence"]),
			Until:    str(obj["until"]),
		}
		if f.Code == "" || f.Rule == "" {
			return nil, fmt.Errorf("rules: reason %v lacks code or rule", obj)
		}
		switch f.Action {
		case "", "block", "review", "defer":
		default:
			return nil, fmt.Errorf("rules: rule %s: unknown action %q", f.Rule, f.Action)
		}
		f.Citation = s.citations[f.Rule]
		findings = append(findings, f)
	}
	return MergeFindings(findings), nil
}

func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}
