package state_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/storetest"
)

// TestMemoryCampaignBoundUnderChurn: goroutines count distinct recipients
// of one template (exactly its bands, so most counts take quick's path
// without the table's lock, and the second moves on so that some take the
// lock) while others start campaigns of their own in a table too small for
// them, so that bands are evicted and representatives die between a
// resolve and its count. The template's campaign never lets more than its
// bound through: an allowed recipient is a counted one. Which no other
// test has: quick and the locked resolve under concurrent eviction (the
// campaign's bands, and its representative before its first recipient),
// with the bound checked. Run it with -race.
func TestMemoryCampaignBoundUnderChurn(t *testing.T) {
	ctx := context.Background()
	bands := []uint64{1 << 60, 2 << 60, 3 << 60, 4 << 60, 5 << 60, 6 << 60, 7 << 60, 8 << 60}
	sig := []uint64{11, 12, 13, 14, 15, 16, 17, 18}
	rounds := 200
	if testing.Short() {
		rounds = 40
	}
	for _, tt := range []struct {
		name       string
		maxEntries int
		limit      int
	}{
		{"a table of 16 bands", 16, 5},
		{"a table of 9 bands", 9, 3},
		{"a table of 64 bands", 64, 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			worst := 0
			for round := range rounds {
				m := state.NewMemory(state.MemoryConfig{MaxEntries: tt.maxEntries, Shards: 1})
				var next, allowed atomic.Int64
				var wg sync.WaitGroup
				errs := make(chan error, 8)
				for range 3 {
					wg.Go(func() {
						for {
							i := next.Add(1)
							if i > 4*int64(tt.limit) {
								return
							}
							now := storetest.T0.Add(time.Duration(i%3) * time.Second)
							out, err := m.CountCampaign(ctx, bands, sig, 5, fmt.Sprint("+37491", 100000+i), tt.limit, time.Hour, now)
							if err != nil {
								errs <- err
								return
							}
							if out.Allowed {
								allowed.Add(1)
							}
						}
					})
				}
				for g := range 3 {
					wg.Go(func() {
						r := rand.New(rand.NewPCG(uint64(round), uint64(g)))
						for k := range 40 {
							other := []uint64{r.Uint64(), r.Uint64()}
							osig := []uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
							if _, err := m.CountCampaign(ctx, other, osig, 5, fmt.Sprint("+37492", 100000+k), 100, time.Millisecond, storetest.T0); err != nil {
								errs <- err
								return
							}
						}
					})
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
				if n := int(allowed.Load()); n > tt.limit {
					t.Fatalf("round %d: %d distinct recipients allowed, the bound is %d", round, n, tt.limit)
				} else {
					worst = max(worst, n)
				}
			}
			if worst == 0 {
				t.Fatal("no recipient was ever allowed: the bound was never tested")
			}
		})
	}
}
