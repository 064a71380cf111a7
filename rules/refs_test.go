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
func steps(r *Reads) []string {
	var out []string
	for _, rr := range r.Rules {
		for _, b := range rr.Bodies {
			for _, st := range b {
				switch st.Kind {
				case StepRead:
					out = append(out, "read "+strings.Join(st.Path, "."))
				case StepGuard:
					out = append(out, "guard "+st.Cmp+" "+strings.Join(st.A.Path, "."))
				case StepRule:
					out = append(out, "rule")
				}
			}
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
		{"dynamic key reads the subtree", "some k\n\tinput.dlt[k] == \"X\"", []string{"read dlt"}, []string{"guard equal dlt"}},
		{"iteration reads the array", "some l in input.links\n\tl.phishing", []string{"read links"}, nil},
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
