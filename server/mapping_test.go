package server

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/msgfilter/msgfilter/filter"
	"github.com/msgfilter/msgfilter/policies"
)

// packMappingEngine is an engine on the shipped packs whose global
// data.json maps PROMOTIONAL_NOT_ALLOWED to 0x45 / 451.
func packMappingEngine(t *testing.T) *filter.Engine {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, policies.FS); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "global", "data.json")
	b, err := fs.ReadFile(policies.FS, "global/data.json")
	if err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(b, &data); err != nil {
		t.Fatal(err)
	}
	data["protocol_mapping"] = map[string]any{"PROMOTIONAL_NOT_ALLOWED": map[string]any{"smpp": 0x45, "http": 451}}
	if b, err = json.Marshal(data); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return newEngine(t, filter.WithPolicies(os.DirFS(dir)))
}

func TestMappingFromPolicies(t *testing.T) {
	e := packMappingEngine(t)
	tests := []struct {
		name     string
		opts     []Option
		body     string
		wantHTTP int
		wantSMPP uint32
	}{
		{"the pack's override", nil, trPromo, 451, 0x45},
		{"a code the pack does not map keeps the default", nil, hkSender, 403, ESMERINVSRCADR},
		{"the service's override wins over the pack's", []Option{WithMapping(Mapping{Overrides: map[filter.Code]Status{
			filter.PromotionalNotAllowed: {SMPP: 0x61, HTTP: 409}}})}, trPromo, 409, 0x61},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, e, tc.opts...)
			var got struct{ Decision Result }
			r := do(t, "POST", s.url+"/v1/check", tc.body)
			r.decode(t, &got)
			if r.code != tc.wantHTTP || got.Decision.SMPPStatus != tc.wantSMPP {
				t.Errorf("POST /v1/check = %d, smpp_status %#x (%s); want %d, %#x", r.code, got.Decision.SMPPStatus, r.body, tc.wantHTTP, tc.wantSMPP)
			}
		})
	}
}
