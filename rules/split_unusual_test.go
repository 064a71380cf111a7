package rules_test

import (
	"context"
	"reflect"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestPartsUnusualSource: policy sources a -policies directory may hold
// that the splitting must either split soundly or leave whole: a rule of
// the pack named as a copy would be (the copies live in the residual's
// namespace, so the pack is split and the rule still read as written), a
// pack's reasons written in
// two modules with a helper each, and a definition with a with (no read
// program, so no keys: the parts must still equal the query). Each case's
// parts, evaluated alone and merged, give what the query gives. Which
// TestPartsAdversarial lacks: the name collision, definitions across
// modules with their own imports, and a with.
func TestPartsUnusualSource(t *testing.T) {
	meta := func(id string) string {
		return "# METADATA\n# title: T\n# related_resources:\n#   - ref: https://example.org/a\n# custom:\n#   id: " + id + "\n#   effective: \"2026-01-01\"\n"
	}
	sender := func(id string) string {
		return meta(id) + `reasons contains r if {
	count(input.sender.raw) > 5
	r := {"code": "SENDER_ID_FORMAT", "rule": "` + id + `", "evidence": input.sender.raw}
}
`
	}
	for _, tt := range []struct {
		name      string
		src       fstest.MapFS
		wantParts int // of the global pack
		wantReads bool
	}{
		{"a rule named as a copy would be", fstest.MapFS{"global/global.rego": {Data: []byte("package msgfilter.global\n\nmsgfilter_definition_0 := 1\n\n" +
			sender("global/a") + "\n" + meta("global/b") + `reasons contains r if {
	input.message.kind == "promotional"
	msgfilter_definition_0 == 1
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/b", "evidence": "p"}
}
`)}}, 2, true},
		{"reasons in two modules with their own imports", fstest.MapFS{
			"global/a.rego": {Data: []byte("package msgfilter.global\n\nimport input.sender as s\n\n" + meta("global/a") + `reasons contains r if {
	count(s.raw) > 5
	r := {"code": "SENDER_ID_FORMAT", "rule": "global/a", "evidence": s.raw}
}
`)},
			"global/b.rego": {Data: []byte("package msgfilter.global\n\nimport input.message as s\n\n" + meta("global/b") + `reasons contains r if {
	s.kind == "promotional"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/b", "evidence": s.kind}
}
`)},
		}, 2, true},
		{"a definition with a with", fstest.MapFS{"global/global.rego": {Data: []byte("package msgfilter.global\n\nlong if count(input.sender.raw) > 5\n\n" +
			sender("global/a") + "\n" + meta("global/b") + `reasons contains r if {
	input.message.kind == "promotional"
	not long with input.sender.raw as "x"
	r := {"code": "PROMOTIONAL_NOT_ALLOWED", "rule": "global/b", "evidence": "p"}
}
`)}}, 2, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			set := mustLoad(t, tt.src)
			parts := set.Parts("", "sms")
			if len(parts) != tt.wantParts {
				t.Fatalf("%d parts, want %d", len(parts), tt.wantParts)
			}
			for _, p := range parts {
				if (p.Reads() != nil) != tt.wantReads {
					t.Fatalf("part %s has reads %v, want %v", p.Name, p.Reads() != nil, tt.wantReads)
				}
			}
			now := time.Date(2026, 11, 24, 14, 0, 0, 0, time.UTC)
			findings := 0
			for _, raw := range []string{"SHORT", "MUCHTOOLONG"} {
				for _, kind := range []string{"promotional", "transactional"} {
					v, err := ast.InterfaceToValue(map[string]any{"sender": map[string]any{"raw": raw}, "message": map[string]any{"kind": kind}})
					if err != nil {
						t.Fatal(err)
					}
					want, werr := set.Eval(context.Background(), "", "sms", v, now)
					got, gerr := evalParts(t, set, "", "sms", v, now)
					if werr != nil || gerr != nil || !reflect.DeepEqual(got, want) {
						t.Errorf("%s %s: parts %+v, %v; query %+v, %v", raw, kind, got, gerr, want, werr)
					}
					findings += len(want)
				}
			}
			if findings == 0 {
				t.Fatal("no findings: the comparison proves nothing")
			}
		})
	}
}
