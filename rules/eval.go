package rules

import (
	"context"
	"fmt"
	"sort"
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
// is the message time that time built-ins see. Findings come back sorted by
// rule id then evidence, so equal inputs give equal results.
//
// Evaluation stops when ctx is done (OPA checks for cancellation between
// evaluation steps, and its error wraps ctx.Err()): errors.Is(err,
// context.DeadlineExceeded) tells a rule that ran out of budget from a
// broken one. A check's deadline holds only if the caller passes it here.
func (s *Set) Eval(ctx context.Context, country, channel string, input ast.Value, now time.Time) ([]Finding, error) {
	return s.eval(ctx, s.queries[s.queryKey(country, channel)], country, input, now)
}

// eval evaluates q, a query that binds the reasons to "reasons".
func (s *Set) eval(ctx context.Context, q *rego.PreparedEvalQuery, country string, input ast.Value, now time.Time) ([]Finding, error) {
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input), rego.EvalTime(now))
	if err != nil {
		return nil, fmt.Errorf("rules: evaluating policies for %q: %w", country, err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("rules: policies for %q gave no result", country)
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
	sort.Slice(findings, func(i, j int) bool {
		if findings[i].Rule != findings[j].Rule {
			return findings[i].Rule < findings[j].Rule
		}
		return findings[i].Evidence < findings[j].Evidence
	})
	return findings, nil
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
