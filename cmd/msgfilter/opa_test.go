package main

import (
	"os"
	"os/exec"
	"testing"
)

// TestStockOPA runs the stock opa binary (MSGFILTER_OPA, as installed by
// .ci/opa.sh) over the packs: they are formatted as "opa fmt" writes them,
// and "opa check" with the shipped capabilities accepts them. It skips
// without MSGFILTER_OPA.
func TestStockOPA(t *testing.T) {
	opa := os.Getenv("MSGFILTER_OPA")
	if opa == "" {
		t.Skip("MSGFILTER_OPA not set: run with MSGFILTER_OPA=$(bash .ci/opa.sh)")
	}
	tests := []struct {
		name string
		args []string
	}{
		{"fmt", []string{"fmt", "--list", "--fail", "policies/"}},
		{"check", []string{"check", "--capabilities", "policies/capabilities.json", "policies/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(opa, tt.args...)
			cmd.Dir = "../.."
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("opa %v: %v\n%s", tt.args, err, out)
			}
		})
	}
}
