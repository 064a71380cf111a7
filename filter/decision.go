package filter

import "time"

// Action is what the gateway should do with a message.
type Action string

// Actions, from weakest to strongest.
const (
	Allow  Action = "allow"
	Review Action = "review" // hold for a human or a slower check
	Defer  Action = "defer"  // send at Decision.Until, not now
	Block  Action = "block"
)

// strength orders actions: block > defer > review > allow.
func (a Action) strength() int {
	switch a {
	case Block:
		return 3
	case Defer:
		return 2
	case Review:
		return 1
	}
	return 0
}

// Decision is the engine's answer for one message. A blocked message is a
// Decision, not an error. Its JSON form is the CLI's output line.
type Decision struct {
	ID      string   `json:"id"`
	Action  Action   `json:"action"`
	Reasons []Reason `json:"reasons"`
	// Until is the first instant the message may be sent, with Defer.
	Until time.Time `json:"until,omitzero"`
	// Revision identifies the policy set that decided.
	Revision string `json:"revision"`
	// Cache names the level that answered: CacheExact (the same message
	// was decided in the same minute) or CacheFacts (a message with the
	// same facts was, or, for each part of the policies, one with the
	// facts that part reads, or the facts show that no part can fire);
	// empty when OPA evaluated a part of the policies.
	Cache string `json:"cache,omitempty"`
	// Cached reports whether a cache answered instead of the policies:
	// Cache != "". Both are set by answeredBy.
	Cached bool `json:"cached"`
}

// answeredBy records the cache level that answered (CacheExact or
// CacheFacts).
func (d *Decision) answeredBy(level string) {
	d.Cache, d.Cached = level, level != ""
}

// Reason is one rule that fired. Code is from the stable vocabulary in
// DESIGN.md; Rule and Citation come from the rule's METADATA.
type Reason struct {
	Code Code `json:"code"`
	// Rule is the id of the rule that fired, e.g. "ae/promotional-quiet-hours".
	Rule string `json:"rule"`
	// Country is the destination whose pack the rule belongs to; empty for
	// global and channel rules.
	Country string `json:"country,omitempty"`
	// Evidence is what triggered the rule, as the sender wrote it.
	Evidence string `json:"evidence,omitempty"`
	// Citation is the regulation or guideline behind the rule.
	Citation string `json:"citation,omitempty"`
}
