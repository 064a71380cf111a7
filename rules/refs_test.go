package rules

import (
	"context"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// readsOf loads a global pack with the given reasons bodies and returns
// the read program of its query (nil when the analysis failed).
func readsOf(t *testing.T, bodies ...string) *Reads {
	t.Helper()
	src := "package msgfilter.global\n\n"
	for i, b := range bodies {
		src += "# METADATA\n# title: T\n# related_resources:\n#   - ref: https://example.org/a\n# custom:\n" +
			"#   id: global/r" + string(rune('a'+i)) + "\n#   effective: \"2026-01-01\"\n" +
			"reasons contains r if {\n" + b + "\n\tr := {\"code\": \"FRAUD_LURE\", \"rule\": \"global/r" + string(rune('a'+i)) + "\", \"evidence\": \"x\"}\n}\n\n"
	}
	s, err := Load(context.Background(), fstest.MapFS{"global/global.rego": {Data: []byte(src)}})
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	return s.Reads("", "sms")
}

// steps flattens a program's steps, as "read a.b", "guard equal a.b",
// "rule".
//
// A step of an iteration's body is prefixed "each links: ", and a path in
// the element is written "[].type".
func steps(r *Reads) []string {
	var out []string
	path := func(p []string, elem bool) string {
		if elem {
			return "[]." + strings.Join(p, ".")
		}
		return strings.Join(p, ".")
	}
	var body func(prefix string, b []ReadStep)
	body = func(prefix string, b []ReadStep) {
		for _, st := range b {
			switch st.Kind {
			case StepRead:
				out = append(out, prefix+"read "+path(st.Path, st.Elem))
			case StepGuard:
				out = append(out, prefix+"guard "+st.Cmp+" "+path(st.A.Path, st.A.Elem))
			case StepRule:
				out = append(out, prefix+"rule")
			case StepEach:
				p := "each " + strings.Join(st.Path, ".") + ": "
				out = append(out, p)
				body(p, st.Body)
			}
		}
	}
	for _, rr := range r.Rules {
		for _, b := range rr.Bodies {
			body("", b)
		}
	}
	return out
}

func TestReadsAnalysis(t *testing.T) {
	for _, c := range []struct {
		name      string
		body      string
		want, not []string
	}{
		{"equality guard", `input.sender.kind == "alphanumeric"`, []string{"guard equal sender.kind"}, []string{"read sender.kind"}},
		{"assignment then comparison", "x := input.content.model.fraud\n\tx >= 0.5",
			[]string{"guard defined content.model.fraud", "guard gte content.model.fraud"}, []string{"read content.model.fraud"}},
		{"evidence is a read", `count(input.sender.raw) > 11`, []string{"read sender.raw"}, nil},
		{"membership", `input.message.kind in {"otp", "service"}`, []string{"guard member message.kind"}, nil},
		{"negation", `not input.sender.valid`, []string{"guard truthy sender.valid"}, nil},
		{"dynamic key iterates the object", "some k\n\tinput.dlt[k] == \"X\"",
			[]string{"each dlt: guard equal []."}, []string{"read dlt", "guard equal dlt"}},
		{"iteration reads fields of each element", "some l in input.links\n\tl.phishing\n\tl.url != \"\"",
			[]string{"each links: guard truthy [].phishing", "each links: guard neq [].url"}, []string{"read links"}},
		{"an element passed to a function is read whole", "some l in input.links\n\tcount(object.keys(l)) > 3",
			[]string{"each links: read []."}, []string{"read links"}},
		{"steps after an iteration are in its body", "some n in input.content.phone_numbers\n\tn.type == \"mobile\"\n\tinput.message.kind == \"promotional\"",
			[]string{"each content.phone_numbers: guard equal [].type", "each content.phone_numbers: guard equal message.kind"}, []string{"guard equal message.kind"}},
		{"an iteration in a comprehension reads the array", "count([u | u := input.links[_].url]) > 1", []string{"read links"}, []string{"each links: "}},
		{"a second iteration reads its array whole", "some l in input.links\n\tsome n in input.content.phone_numbers\n\tl.url == n.text",
			[]string{"each links: read content.phone_numbers"}, nil},
		{"an element compared to a fixed one reads the array", "some l in input.links\n\tl.url == input.links[0].url",
			[]string{"each links: read links"}, nil},
		{"an iteration in an array term is the body's", "x := [input.links[_].url]\n\tcount(x) > 0",
			[]string{"each links: read [].url"}, []string{"read links"}},
		{"a ref into an assigned path reads under it", "x := input.links\n\tx[0].url == \"a\"", []string{"read links"}, nil},
		{"object.get with a computed key reads the object", "k := concat(\"\", [\"a\", \"b\"])\n\tobject.get(input.content, k, \"\") == \"x\"",
			[]string{"read content"}, nil},
		{"walk reads everything", "walk(input, [p, v])\n\tv == \"x\"", []string{"read "}, nil},
		{"input whole", `json.marshal(input) != ""`, []string{"read "}, nil},
		{"a number Go would round is left to OPA", `input.content.model.fraud >= 0.30000000000000001`,
			[]string{"read content.model.fraud"}, []string{"guard gte content.model.fraud"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := readsOf(t, c.body)
			if r == nil {
				t.Fatal("no program")
			}
			got := steps(r)
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("steps %q lack %q", got, w)
				}
			}
			for _, n := range c.not {
				if slices.Contains(got, n) {
					t.Errorf("steps %q have %q", got, n)
				}
			}
		})
	}
}

// TestReadsAnalysisFails: what the analysis cannot see through leaves the
// query without a program (the engine keys by every fact).
func TestReadsAnalysisFails(t *testing.T) {
	for name, body := range map[string]string{
		"with":                    "input.message.kind == \"otp\" with input.message.kind as \"otp\"",
		"with in a comprehension": "count([k | some k in input.links; k.phishing with input.message.kind as \"otp\"]) > 0",
		"clock of a token":        "io.jwt.decode_verify(\"x\", {\"secret\": \"s\"})[0]",
	} {
		t.Run(name, func(t *testing.T) {
			if r := readsOf(t, body); r != nil {
				t.Fatalf("a program: %q", steps(r))
			}
		})
	}
	if r := readsOf(t, `input.message.kind == "otp"`); r == nil {
		t.Fatal("a plain pack has no program")
	}
}
