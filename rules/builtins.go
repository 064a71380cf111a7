package rules

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
)

// forbiddenBuiltins are left out of the policies' capabilities: they reach the
// network, expose the runtime, or are not deterministic (which would break
// the decision caches).
var forbiddenBuiltins = []string{
	"http.send",
	"net.lookup_ip_addr",
	"opa.runtime",
	"rand.intn",
	"uuid.rfc4122",
	"time.now_ns", // time comes from input.time: decisions must be reproducible
	// These read the wall clock when no time is given.
	"crypto.x509.parse_and_verify_certificates",
	"crypto.x509.parse_and_verify_certificates_with_options",
}

// quietUntil is msgfilter.quiet_until(spec, time): with spec a quiet-hours
// object (see QuietSpec) and time the facts' time object ({"local":
// "2006-01-02T15:04", "zone": "Europe/Paris"}), it is the first allowed
// instant (RFC 3339) when the time is quiet, and undefined otherwise.
var quietUntil = &rego.Function{
	Name:    "msgfilter.quiet_until",
	Decl:    types.NewFunction(types.Args(types.A, types.A), types.S),
	Memoize: true,
}

func quietUntilImpl(_ rego.BuiltinContext, specTerm, timeTerm *ast.Term) (*ast.Term, error) {
	spec, err := parsedSpec(specTerm.Value)
	if err != nil {
		return nil, err
	}
	obj, ok := timeTerm.Value.(ast.Object)
	if !ok {
		return nil, errors.New("rules: quiet hours: time must be the facts' time object")
	}
	local, _ := stringField(obj, "local")
	zone, _ := stringField(obj, "zone")
	loc, err := LoadZone(zone)
	if err != nil {
		return nil, err
	}
	now, err := time.ParseInLocation(localLayout, local, loc)
	if err != nil {
		return nil, errors.New("rules: quiet hours: time.local must be YYYY-MM-DDTHH:MM")
	}
	until, quiet := spec.Until(now)
	if !quiet {
		return nil, nil // undefined: not quiet
	}
	return ast.StringTerm(until.Format(time.RFC3339)), nil
}

// specCache holds parsed quiet-hours specs by the hash of their Rego value:
// a pack's spec is parsed once, not on every evaluation (France's holiday
// list made parsing the larger part of an evaluation). Specs live in pack
// data, so the cache is as small as the policies.
var specCache sync.Map // uint64 → []specEntry

type specEntry struct {
	value ast.Value
	spec  QuietSpec
}

func parsedSpec(v ast.Value) (QuietSpec, error) {
	h := uint64(v.Hash())
	entries, _ := specCache.Load(h)
	list, _ := entries.([]specEntry)
	for _, e := range list {
		if e.value.Compare(v) == 0 {
			return e.spec, nil
		}
	}
	specJSON, err := ast.JSON(v)
	if err != nil {
		return QuietSpec{}, err
	}
	spec, err := ParseQuietSpec(specJSON)
	if err != nil {
		return QuietSpec{}, err
	}
	if len(list) < 8 { // bound the chain under a hash collision storm
		specCache.Store(h, append(slices.Clip(list), specEntry{v, spec}))
	}
	return spec, nil
}

// localLayout is the layout of the facts' time.local field.
const localLayout = "2006-01-02T15:04"

func stringField(obj ast.Object, key string) (string, bool) {
	t := obj.Get(ast.InternedTerm(key))
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// capabilities returns OPA's capabilities less the forbidden built-ins, plus
// msgfilter's own.
func capabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(slices.Clone(caps.Builtins), func(b *ast.Builtin) bool {
		return slices.Contains(forbiddenBuiltins, b.Name)
	})
	caps.Builtins = append(caps.Builtins, &ast.Builtin{Name: quietUntil.Name, Decl: quietUntil.Decl})
	caps.AllowNet = []string{} // no host is reachable, whatever a built-in tries
	return caps
}

// regoBuiltins are the options that give a query msgfilter's built-ins.
func regoBuiltins() []func(*rego.Rego) {
	return []func(*rego.Rego){rego.Function2(quietUntil, quietUntilImpl)}
}

func testerBuiltins() []*tester.Builtin {
	return []*tester.Builtin{{
		Decl: &ast.Builtin{Name: quietUntil.Name, Decl: quietUntil.Decl},
		Func: rego.Function2(quietUntil, quietUntilImpl),
	}}
}
