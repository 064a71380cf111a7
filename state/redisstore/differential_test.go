package redisstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/redisstore/redistest"
	"github.com/msgfilter/msgfilter/state/storetest"
)

// TestMatchesMemory replays one random workload against Redis and the memory
// store and requires identical answers: the conformance table pins chosen
// behaviours, this catches the ones nobody thought to list.
func TestMatchesMemory(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	rs := newStore(t, c, testPrefix(t, c))
	ms := state.NewMemory(state.MemoryConfig{})
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	limits := []state.Limits{
		{Session: 3, SessionWindow: time.Hour, Rate: 2, RateWindow: 10 * time.Minute, Flood: 2, FloodWindow: 30 * time.Minute},
		{Session: 2, SessionWindow: 24 * time.Hour, DenyOptedOut: true},
		{Rate: 4, RateWindow: time.Hour, Flood: 3, FloodWindow: time.Hour, DenyOptedOut: true},
	}
	now := storetest.T0
	seen := map[string]int{} // what the workload exercised, so it cannot pass vacuously
	for i := range 3000 {
		now = now.Add(time.Duration(rng.IntN(90)) * time.Second)
		k := state.Key{
			Tenant:    "t",
			Sender:    fmt.Sprintf("S%d", rng.IntN(3)),
			Recipient: fmt.Sprintf("+1555000000%d", rng.IntN(5)),
			Channel:   []string{"sms", "viber"}[rng.IntN(2)],
		}
		switch op := rng.IntN(10); {
		case op < 3:
			in := state.Inbound{Key: k, At: now.Add(-time.Duration(rng.IntN(3)) * 20 * time.Minute)}
			switch rng.IntN(6) {
			case 0:
				in.OptOut = true
			case 1:
				in.OptIn = true
			}
			errR, errM := rs.RecordInbound(ctx, in), ms.RecordInbound(ctx, in)
			if errR != nil || errM != nil {
				t.Fatalf("op %d: RecordInbound(%+v) = %v (redis), %v (memory)", i, in, errR, errM)
			}
		case op < 5:
			r, errR := rs.Snapshot(ctx, k, "", now)
			m, errM := ms.Snapshot(ctx, k, "", now)
			if errR != nil || errM != nil || !sameSnapshot(r, m) {
				t.Fatalf("op %d: Snapshot(%+v) = %+v, %v (redis); %+v, %v (memory)", i, k, r, errR, m, errM)
			}
		default:
			l := limits[rng.IntN(len(limits))]
			fp := []string{"", "fpA", "fpB"}[rng.IntN(3)]
			r, errR := rs.Consume(ctx, k, l, fp, now)
			m, errM := ms.Consume(ctx, k, l, fp, now)
			if errR != nil || errM != nil || !sameOutcome(r, m) {
				t.Fatalf("op %d: Consume(%+v, %+v, %q) =\n%+v, %v (redis)\n%+v, %v (memory)", i, k, l, fp, r, errR, m, errM)
			}
			switch {
			case r.Allowed:
				seen["allowed"]++
			case r.Exceeded == 0:
				seen["opted out"]++
			default:
				for _, lim := range []state.Limit{state.LimitSession, state.LimitRate, state.LimitFlood} {
					if r.Exceeded&lim != 0 {
						seen[lim.String()]++
					}
				}
			}
		}
	}
	for _, what := range []string{"allowed", "opted out", "session", "rate", "flood"} {
		if seen[what] == 0 {
			t.Errorf("workload never produced %q outcomes: %v", what, seen)
		}
	}
	t.Logf("outcomes: %v", seen)
}

func sameSnapshot(a, b state.Snapshot) bool {
	return a.LastInbound.Equal(b.LastInbound) && a.HasInbound == b.HasInbound &&
		a.OptedOut == b.OptedOut && a.SessionCount == b.SessionCount
}

func sameOutcome(a, b state.Outcome) bool {
	return sameSnapshot(a.Snapshot, b.Snapshot) && a.Allowed == b.Allowed && a.Exceeded == b.Exceeded &&
		a.SessionCount == b.SessionCount && a.RateCount == b.RateCount && a.FloodCount == b.FloodCount &&
		a.RateReset.Equal(b.RateReset)
}

// TestCampaignsMatchMemory replays one random campaign workload against
// Redis and the memory store and requires identical answers: templates
// whose band keys overlap, near-duplicates, recipients coming and going
// within the window, representatives confirmed together.
func TestCampaignsMatchMemory(t *testing.T) {
	addr := redistest.Addr(t)
	c := newClient(t, addr)
	rs := newStore(t, c, testPrefix(t, c))
	ms := state.NewMemory(state.MemoryConfig{})
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	// Three templates of 8 values; a near-duplicate changes two of them.
	sigs := [][]uint64{{1, 2, 3, 4, 5, 6, 7, 8}, {1, 20, 30, 40, 50, 60, 70, 80}, {11, 12, 13, 14, 15, 16, 17, 18}}
	now := storetest.T0
	seen := map[string]int{}
	for i := range 3000 {
		now = now.Add(time.Duration(rng.IntN(3000)) * time.Millisecond)
		sig := slices.Clone(sigs[rng.IntN(len(sigs))])
		if rng.IntN(2) == 0 {
			sig[rng.IntN(8)], sig[rng.IntN(8)] = 99, 98
		}
		bands := make([]uint64, 1+rng.IntN(4))
		for j := range bands {
			bands[j] = 1 + uint64(rng.IntN(12))
		}
		rcpt := fmt.Sprintf("+3749100%04d", rng.IntN(30))
		limit := []int{3, 10, 25}[rng.IntN(3)]
		window := []time.Duration{time.Minute, 10 * time.Minute}[rng.IntN(2)]
		if rng.IntN(8) == 0 {
			r, errR := rs.Resolve(ctx, bands, sig, 5, now)
			m, errM := ms.Resolve(ctx, bands, sig, 5, now)
			// As sets: Redis answers a band given twice once.
			r, m = slices.Compact(slices.Sorted(slices.Values(r))), slices.Compact(slices.Sorted(slices.Values(m)))
			if errR != nil || errM != nil || !slices.Equal(r, m) {
				t.Fatalf("op %d: Resolve(%v, %v) = %v, %v (redis); %v, %v (memory)", i, bands, sig, r, errR, m, errM)
			}
			continue
		}
		r, errR := rs.CountCampaign(ctx, bands, sig, 5, rcpt, limit, window, now)
		m, errM := ms.CountCampaign(ctx, bands, sig, 5, rcpt, limit, window, now)
		if errR != nil || errM != nil || r != m {
			t.Fatalf("op %d: CountCampaign(%v, %v, %s, %d, %v) = %+v, %v (redis); %+v, %v (memory)", i, bands, sig, rcpt, limit, window, r, errR, m, errM)
		}
		if r.Allowed {
			seen["allowed"]++
		} else {
			seen["refused"]++
		}
	}
	for _, what := range []string{"allowed", "refused"} {
		if seen[what] == 0 {
			t.Errorf("workload never produced %q outcomes: %v", what, seen)
		}
	}
	t.Logf("outcomes: %v", seen)
}
