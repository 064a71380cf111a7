package policies_test

import (
	"context"
	"testing"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// TestRego runs every *_test.rego of the embedded packs through OPA's tester.
func TestRego(t *testing.T) {
	set, err := rules.Load(context.Background(), policies.FS)
	if err != nil {
		t.Fatalf("loading the embedded policies: %v", err)
	}
	results, err := set.Test(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		t.Run(r.Package+"."+r.Name, func(t *testing.T) {
			if r.Err != nil {
				t.Fatalf("%s:%d: %v", r.File, r.Row, r.Err)
			}
			if !r.Pass {
				t.Fatalf("%s:%d: %s failed", r.File, r.Row, r.Name)
			}
		})
	}
}
