package filter

import (
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"testing"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/rules"
)

// globalDataWith returns the shipped global data.json with key set to v.
func globalDataWith(t *testing.T, key string, v any) string {
	t.Helper()
	b, err := fs.ReadFile(policies.FS, "global/data.json")
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	data[key] = v
	if b, err = json.Marshal(data); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestProtocolMapping(t *testing.T) {
	if got := newEngine(t).ProtocolMapping(); got != nil {
		t.Errorf("ProtocolMapping of the shipped packs = %v, want nil (the default table)", got)
	}
	mapping := map[string]any{"QUIET_HOURS": map[string]any{"smpp": 0x64, "http": 503}}
	e, err := New(WithPolicies(policiesWith(t, map[string]string{"global/data.json": globalDataWith(t, "protocol_mapping", mapping)})))
	if err != nil {
		t.Fatal(err)
	}
	want := map[Code]ProtocolStatus{QuietHours: {SMPP: 0x64, HTTP: 503}}
	if got := e.ProtocolMapping(); !reflect.DeepEqual(got, want) {
		t.Errorf("ProtocolMapping() = %v, want %v", got, want)
	}
}

// TestProtocolMappingRefused: a mapping the gateway could not use fails the
// load, so the running policies stay.
func TestProtocolMappingRefused(t *testing.T) {
	for name, mapping := range map[string]any{
		"unknown code":   map[string]any{"NOT_A_CODE": map[string]any{"smpp": 0x65, "http": 403}},
		"no http status": map[string]any{"QUIET_HOURS": map[string]any{"smpp": 0x64}},
		"negative smpp":  map[string]any{"QUIET_HOURS": map[string]any{"smpp": -1, "http": 429}},
		"not an object":  []any{"QUIET_HOURS"},
	} {
		_, err := New(WithPolicies(policiesWith(t, map[string]string{"global/data.json": globalDataWith(t, "protocol_mapping", mapping)})))
		var pe *rules.PolicyError
		if !errors.As(err, &pe) || pe.File != "global/data.json" {
			t.Errorf("%s: New = %v, want a PolicyError on global/data.json", name, err)
		}
	}
}
