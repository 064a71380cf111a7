package state

import (
	"context"
	"testing"
	"time"
)

// TestCountCampaignEvictedBeforeCount: a new campaign's representative
// has no recipient until its first count, so a full table may evict it
// between the resolve and the count of that first message (another
// goroutine's new campaign). The count must not let the recipient through
// counted nowhere: with a bound of one, two recipients would then pass.
// CountCampaign resolves again instead.
func TestCountCampaignEvictedBeforeCount(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	ms, w := t0.UnixMilli(), time.Hour.Milliseconds()
	sigC := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	sigD := []uint64{21, 22, 23, 24, 25, 26, 27, 28}
	for round := range 50 { // eviction samples Go's map order
		m := NewMemory(MemoryConfig{MaxEntries: 2, Shards: 1})
		r := &m.reps
		// The first message of campaign C is resolved (CountCampaign's
		// locked path)...
		r.mu.Lock()
		reps, _, kept := r.resolve([]uint64{1, 2}, sigC, 5, ms, m.fleetCap(), nil)
		r.mu.Unlock()
		if !kept || len(reps) != 1 {
			t.Fatalf("round %d: C resolved to %d representatives, kept %v", round, len(reps), kept)
		}
		// ...then campaign D's first messages evict C's bands: it has no
		// recipient yet.
		for _, b := range []uint64{3, 4} {
			if _, err := m.CountCampaign(ctx, []uint64{b}, sigD, 5, "+37491000001", 10, time.Hour, t0); err != nil {
				t.Fatal(err)
			}
		}
		if !reps[0].dead {
			t.Fatalf("round %d: C's representative is alive: the case needs it evicted", round)
		}
		// ...and only then is C's first recipient counted with it.
		out, _, dead := r.count(reps, recipientKey("+37491000002"), 1, w, ms, m.fleetCap())
		if out.Allowed || !dead {
			t.Fatalf("round %d: counted with an evicted representative: %+v, dead %v; want refused, dead", round, out, dead)
		}
		// CountCampaign resolves again: C starts again and counts its
		// recipients, one at most.
		allowed := 0
		for _, rcpt := range []string{"+37491000002", "+37491000003"} {
			out, err := m.CountCampaign(ctx, []uint64{1, 2}, sigC, 5, rcpt, 1, time.Hour, t0)
			if err != nil {
				t.Fatal(err)
			}
			if out.Allowed {
				allowed++
			}
		}
		if allowed > 1 {
			t.Fatalf("round %d: %d recipients of a campaign bounded at one let through", round, allowed)
		}
	}
}

func TestShares(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []uint64
		n    int
		want bool
	}{
		{"all same, n of them", []uint64{1, 2, 3}, []uint64{1, 2, 3}, 3, true},
		{"all same, fewer wanted", []uint64{1, 2, 3}, []uint64{1, 2, 3}, 1, true},
		{"one short", []uint64{1, 2, 3, 4}, []uint64{1, 9, 3, 9}, 3, false},
		{"exactly n, last position", []uint64{1, 2, 3, 4}, []uint64{1, 9, 3, 4}, 3, true},
		{"same values at other positions", []uint64{1, 2}, []uint64{2, 1}, 1, false},
		{"longer b ignored past a", []uint64{1}, []uint64{1, 2}, 2, false},
		{"none wanted", []uint64{1}, []uint64{2}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := shares(tc.a, tc.b, tc.n); got != tc.want {
				t.Errorf("shares(%v, %v, %d) = %v, want %v", tc.a, tc.b, tc.n, got, tc.want)
			}
		})
	}
}
