package filter

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/msgfilter/msgfilter/rules"
	"github.com/open-policy-agent/opa/v1/ast"
)

// Findings cached part by part. A destination's query unions the reasons
// of the global pack, the destination's pack and the channel's; each
// pack's reasons are definitions, evaluated apart in groups that call no
// function in common (rules.Set.Parts). When the fact cache has no
// decision for a message (neither key of factCache), each part's findings
// are looked up under a key of the facts that part alone can see (its read
// program, rules.Part.Reads), and only the parts whose key misses are
// evaluated. A rule that cites the text (a link's URL, the model's scores
// and features) then runs once per text, not once per text and
// destination, and one that cites the sender once per sender. The decision
// is that of the merged findings (rules.MergeFindings, Eval's order), so it
// equals the union query's: the union of the parts' reason sets is the
// union query's set, and each part's findings are a function of what its
// program reads (rules.Reads says why). A part that reads another pack's
// rules or data (a helper of the global pack, a stricter threshold in the
// facts) has those reads in its own program, and a part's key holds the
// part and the policy generation. A part whose every body stops at a guard
// that does not hold gives nothing, and is neither looked up nor
// evaluated. Decided this way from cached findings alone, a decision is
// answered by the fact cache (CacheFacts).

// partPlan is the read program of one pack's part.
type partPlan struct {
	id    int
	units []int
	part  *rules.Part
}

// evaluateParts evaluates the destination's query part by part (c.plan's
// parts, after readKey): a part whose every body stops at a guard gives
// nothing, another's findings come from the fact cache when its key was
// seen, and the rest are evaluated, on one input built for them all. It
// reports whether no part was evaluated.
func (c *check) evaluateParts(ctx context.Context, now time.Time) (cached bool, err error) {
	q := c.plan
	lists := make([][]rules.Finding, len(q.parts))
	var input ast.Value
	k := hasherPool.Get().(*keyHasher)
	defer hasherPool.Put(k)
	cached = true
	for i := range q.parts {
		pp := &q.parts[i]
		k.reset()
		k.u64(c.p.generation)
		k.byte(kindPart) // never another key
		k.uvarint(uint64(pp.id))
		done := k.doneBits(len(q.plan.rules))
		reached := false
		for _, u := range pp.units {
			if q.plan.run(walker{k: k}, c.readFacts, u, done) {
				reached = true
			}
		}
		if !reached {
			continue // every body of the part stops at a guard: no findings
		}
		key := k.sum()
		fs, ok := c.e.facts.getFindings(c.p, key)
		if !ok {
			if input == nil {
				input = c.facts.walk(walker{build: true})
			}
			if fs, err = c.p.set.EvalPart(ctx, pp.part, input, now); err != nil {
				return false, err
			}
			c.e.facts.putFindings(key, fs)
			cached = false
		}
		lists[i] = fs
	}
	c.findings = rules.MergeFindings(lists...)
	return cached, nil
}

// The findings' encoding in the fact cache: a version of its own, then
// each finding's code, rule, action, evidence and until. Citations come
// back from the policy set.
const findingsEncoding = 0x46

func (c *decisionCache) putFindings(key cacheKey, fs []rules.Finding) {
	if c == nil {
		return
	}
	bp := bufPool.Get().(*[]byte)
	b := append((*bp)[:0], findingsEncoding)
	b = binary.AppendUvarint(b, uint64(len(fs)))
	for i := range fs {
		f := &fs[i]
		b = appendString(b, f.Code)
		b = appendString(b, f.Rule)
		b = appendString(b, f.Action)
		b = appendString(b, f.Evidence)
		b = appendString(b, f.Until)
	}
	_ = c.c.Set(key[:], b, c.ttl) // too large: not cached
	*bp = b[:0]
	bufPool.Put(bp)
}

// getFindings returns the findings cached under a part's key. It peeks
// (the cache's hit counters are the decisions'); a malformed entry is a
// miss.
func (c *decisionCache) getFindings(p *policy, key cacheKey) ([]rules.Finding, bool) {
	if c == nil {
		return nil, false
	}
	var fs []rules.Finding
	ok := false
	_ = c.c.PeekFn(key[:], func(b []byte) error {
		fs, ok = decodeFindings(p.set, b)
		return nil
	})
	return fs, ok
}

func decodeFindings(set *rules.Set, b []byte) ([]rules.Finding, bool) {
	if len(b) < 2 || b[0] != findingsEncoding {
		return nil, false
	}
	count, n := binary.Uvarint(b[1:])
	if n <= 0 || count > uint64(len(b)) {
		return nil, false
	}
	b = b[1+n:]
	if count == 0 {
		return nil, len(b) == 0
	}
	fs := make([]rules.Finding, count)
	for i := range fs {
		var fields [5][]byte
		for j := range fields {
			var ok bool
			if fields[j], b, ok = readString(b); !ok {
				return nil, false
			}
		}
		f := rules.Finding{Code: string(fields[0]), Rule: string(fields[1]), Action: string(fields[2]),
			Evidence: string(fields[3]), Until: string(fields[4])}
		f.Citation, _ = set.Citation(f.Rule) // as Eval gives it
		fs[i] = f
	}
	return fs, len(b) == 0
}
