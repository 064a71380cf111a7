package filter

import (
	"encoding/json"
	"io/fs"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/policies"
	"github.com/msgfilter/msgfilter/state"
)

// TestLimitsForMatchesResolve holds the load-time limit table to the
// resolution from the packs: every country pack and a destination without
// one, every channel and one no pack has, with and without a tenant's own
// limits.
func TestLimitsForMatchesResolve(t *testing.T) {
	b, err := fs.ReadFile(policies.FS, "global/data.json")
	if err != nil {
		t.Fatal(err)
	}
	var global map[string]any
	if err := json.Unmarshal(b, &global); err != nil {
		t.Fatal(err)
	}
	global["rate_limit"] = map[string]any{"messages": 10, "window_seconds": 60}
	global["duplicate_flood"] = map[string]any{"recipients": 20, "window_minutes": 60}
	out, err := json.Marshal(global)
	if err != nil {
		t.Fatal(err)
	}
	src := policiesWith(t, map[string]string{
		"global/data.json":       string(out),
		"countries/de/data.json": `{"time_zone": "Europe/Berlin", "rate_limit": {"messages": 5, "window_seconds": 30}}`,
	})
	e := newEngine(t, WithPolicies(src),
		WithTenant("rate", Tenant{RateLimit: 3, RateWindow: time.Hour}),
		WithTenant("flood", Tenant{FloodRecipients: 4, FloodWindow: time.Minute}),
		WithTenant("tiny", Tenant{RateLimit: 5, RateWindow: time.Microsecond}),
		WithTenant("plain", Tenant{}))
	p := e.policy.Load()
	dests := []string{"", "ZZ", "de", "A"}
	for cc := range p.countries {
		dests = append(dests, cc)
	}
	tenants := []*tenant{nil}
	for _, name := range []string{"rate", "flood", "tiny", "plain"} {
		tn := e.opts.tenants[name]
		if tn == nil {
			t.Fatalf("tenant %q not configured", name)
		}
		tenants = append(tenants, tn)
	}
	var session, rate, flood bool
	for _, dest := range dests {
		for _, ch := range append(channels[:], "pager") {
			for i, tn := range tenants {
				got, want := p.limitsFor(dest, ch, tn), p.resolveLimits(dest, ch, tn)
				if got != want {
					t.Errorf("limitsFor(%q, %q, tenant %d) = %+v, want %+v", dest, ch, i, got, want)
				}
				session = session || got.Session > 0
				rate = rate || tn == nil && got.Rate > 0
				flood = flood || tn == nil && got.Flood > 0
			}
		}
	}
	if !session || !rate || !flood {
		t.Errorf("the packs set a session cap %v, a rate %v, a flood %v: the test compares little", session, rate, flood)
	}
	if de, fr := p.limitsFor("DE", SMS, nil), p.limitsFor("FR", SMS, nil); de.Rate != 5 || fr.Rate != 10 || de.Flood != 20 {
		t.Errorf("SMS limits in DE %+v, in FR %+v: want DE's own rate, FR the global one, and the global flood in both", de, fr)
	}
	if v := p.limitsFor("DE", Viber, nil); v.Session == 0 || v == (state.Limits{}) {
		t.Errorf("Viber limits in DE %+v, want its session cap", v)
	}
}
