package state_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
)

// FuzzMemoryInputs feeds arbitrary keys, fingerprints, limits and times:
// no panic, every error is ErrInvalid, and a valid call is answered the same
// way twice by Snapshot (it is read-only).
func FuzzMemoryInputs(f *testing.F) {
	f.Add("t", "ACME", "+37491000001", "viber", "fp", int64(1772359200000), 60, int64(86400000), true)
	f.Add("", "", "", "", "", int64(0), -1, int64(0), false)
	f.Add("{", "}", ":", "%", "\x00", int64(-1), 1, int64(1), true)
	f.Fuzz(func(t *testing.T, tenant, sender, recipient, channel, fp string, ms int64, n int, window int64, optOut bool) {
		m := state.NewMemory(state.MemoryConfig{MaxEntries: 64})
		ctx := context.Background()
		k := state.Key{Tenant: tenant, Sender: sender, Recipient: recipient, Channel: channel}
		now := time.UnixMilli(ms)
		w := time.Duration(window) * time.Millisecond
		l := state.Limits{Session: n, SessionWindow: w, Rate: n, RateWindow: w, Flood: n, FloodWindow: w, DenyOptedOut: optOut}
		check := func(what string, err error) {
			if err != nil && !errors.Is(err, state.ErrInvalid) {
				t.Fatalf("%s = %v, want nil or state.ErrInvalid", what, err)
			}
		}
		check("RecordInbound", m.RecordInbound(ctx, state.Inbound{Key: k, At: now, OptOut: optOut}))
		out, err := m.Consume(ctx, k, l, fp, now)
		check("Consume", err)
		if err == nil && n > 0 && (out.SessionCount > n || out.RateCount > n || out.FloodCount > n) {
			t.Fatalf("Consume = %+v, counters beyond limit %d", out, n)
		}
		a, errA := m.Snapshot(ctx, k, "", now)
		b, errB := m.Snapshot(ctx, k, "", now)
		check("Snapshot", errA)
		if a != b || (errA == nil) != (errB == nil) {
			t.Fatalf("Snapshot twice = %+v, %+v; want equal", a, b)
		}
		if errA == nil && optOut && !now.IsZero() && !a.OptedOut {
			t.Fatalf("Snapshot after an accepted opt-out = %+v, want OptedOut", a)
		}
	})
}
