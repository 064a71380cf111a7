package main

import (
	"bytes"
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// capabilitiesFile is the checked-in file that "opa check --capabilities"
// reads; go generate in policies/ rewrites it.
const capabilitiesFile = "../../capabilities.json"

// TestCapabilitiesFileCurrent checks that the checked-in capabilities equal
// what the engine compiles with today.
func TestCapabilitiesFileCurrent(t *testing.T) {
	want, err := capabilitiesJSON()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(capabilitiesFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: run go generate ./policies", capabilitiesFile)
	}
}

// TestCapabilitiesContent checks what the file must say for stock OPA to
// refuse what the engine refuses: no network, runtime or wall-clock
// built-ins, and no host.
func TestCapabilitiesContent(t *testing.T) {
	code, out, errOut := runCLI(t, "", "capabilities")
	if code != 0 {
		t.Fatalf("capabilities: exit %d, %s", code, errOut)
	}
	var caps struct {
		Builtins []struct{ Name string }
		AllowNet *[]string `json:"allow_net"`
	}
	if err := json.Unmarshal([]byte(out), &caps); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range caps.Builtins {
		names = append(names, b.Name)
	}
	for _, name := range []string{"http.send", "net.lookup_ip_addr", "opa.runtime", "time.now_ns", "rand.intn"} {
		if slices.Contains(names, name) {
			t.Errorf("capabilities declare %s, which policies must not use", name)
		}
	}
	for _, name := range []string{"count", "time.parse_rfc3339_ns", "regex.match"} {
		if !slices.Contains(names, name) {
			t.Errorf("capabilities lack %s", name)
		}
	}
	if caps.AllowNet == nil || len(*caps.AllowNet) != 0 {
		t.Errorf("allow_net = %v, want [] (no host)", caps.AllowNet)
	}
}
