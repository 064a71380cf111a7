package state_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/msgfilter/msgfilter/state"
	"github.com/msgfilter/msgfilter/state/storetest"
)

func TestMemoryConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) state.Store {
		return state.NewMemory(state.MemoryConfig{})
	})
}

func TestMemoryConformanceOneShard(t *testing.T) {
	// One shard puts every sender behind one lock: the suite must not care.
	storetest.Run(t, func(t *testing.T) state.Store {
		return state.NewMemory(state.MemoryConfig{Shards: 1})
	})
}

func key(i int) state.Key {
	return state.Key{Tenant: "t", Sender: "S", Recipient: fmt.Sprintf("+1555%07d", i), Channel: "sms"}
}

func TestMemoryStaysBounded(t *testing.T) {
	ctx := context.Background()
	m := state.NewMemory(state.MemoryConfig{MaxEntries: 64, Shards: 4})
	t0 := storetest.T0
	// Flood members live 1ms, so each is expired by the next step: live ones
	// are never evicted (TestMemoryEvictionKeepsLiveLimits).
	l := state.Limits{Rate: 1 << 30, RateWindow: time.Second, Flood: 1 << 30, FloodWindow: time.Millisecond}
	for i := range 10_000 {
		now := t0.Add(time.Duration(i) * time.Millisecond)
		if err := m.RecordInbound(ctx, state.Inbound{Key: key(i), At: now}); err != nil {
			t.Fatalf("RecordInbound(%d) = %v", i, err)
		}
		if _, err := m.Consume(ctx, key(i), l, "fp", now); err != nil {
			t.Fatalf("Consume(%d) = %v", i, err)
		}
	}
	if got, _ := m.Len(); got > 64 {
		t.Errorf("Len() entries = %d after 20000 inserts, want <= 64", got)
	}
	// The newest conversation survives: eviction prefers what expires first.
	snap, err := m.Snapshot(ctx, key(9_999), "", t0.Add(10*time.Second))
	if err != nil || !snap.HasInbound {
		t.Errorf("Snapshot(newest) = %+v, %v; want HasInbound", snap, err)
	}
}

func TestMemoryNeverEvictsOptOuts(t *testing.T) {
	ctx := context.Background()
	m := state.NewMemory(state.MemoryConfig{MaxEntries: 8, MaxOptOuts: 100, Shards: 1})
	t0 := storetest.T0
	for i := range 100 {
		if err := m.RecordInbound(ctx, state.Inbound{Key: key(i), At: t0, OptOut: true}); err != nil {
			t.Fatalf("RecordInbound(opt-out %d) = %v, want nil", i, err)
		}
	}
	for i := range 1000 { // churn the evictable entries
		if err := m.RecordInbound(ctx, state.Inbound{Key: key(1000 + i), At: t0}); err != nil {
			t.Fatalf("RecordInbound(%d) = %v", i, err)
		}
	}
	for i := range 100 {
		if snap, _ := m.Snapshot(ctx, key(i), "", t0); !snap.OptedOut {
			t.Fatalf("opt-out %d was lost under eviction", i)
		}
	}
	err := m.RecordInbound(ctx, state.Inbound{Key: key(100), At: t0, OptOut: true})
	if !errors.Is(err, state.ErrFull) {
		t.Errorf("RecordInbound(opt-out 101 of 100) = %v, want state.ErrFull", err)
	}
	// The ham twin: a repeated opt-out and an opt-in need no new room.
	if err := m.RecordInbound(ctx, state.Inbound{Key: key(5), At: t0.Add(time.Second), OptOut: true}); err != nil {
		t.Errorf("RecordInbound(repeat opt-out) = %v, want nil", err)
	}
	if err := m.RecordInbound(ctx, state.Inbound{Key: key(6), At: t0.Add(time.Second), OptIn: true}); err != nil {
		t.Errorf("RecordInbound(opt-in) = %v, want nil", err)
	}
	if _, outs := m.Len(); outs != 99 {
		t.Errorf("Len() opt-outs = %d, want 99", outs)
	}
	if err := m.RecordInbound(ctx, state.Inbound{Key: key(100), At: t0, OptOut: true}); err != nil {
		t.Errorf("RecordInbound(opt-out after an opt-in freed room) = %v, want nil", err)
	}
}

// TestMemoryEvictionKeepsLiveLimits reproduces, at a scale that runs in
// milliseconds, the attack that filled a store with 1.1M conversations of
// other senders: eviction took the victim sender's rate counter first (it
// expires within the hour, conversations in a day), and a sender limited to
// 3 messages an hour got most of 1,000 through.
func TestMemoryEvictionKeepsLiveLimits(t *testing.T) {
	ctx := context.Background()
	const maxEntries = 4096
	m := state.NewMemory(state.MemoryConfig{MaxEntries: maxEntries, Shards: 4})
	t0 := storetest.T0
	limited := state.Limits{Rate: 3, RateWindow: time.Hour, Flood: 2, FloodWindow: time.Hour}
	allowed, floodAllowed := 0, 0
	attack := 0
	for i := range 1000 {
		now := t0.Add(time.Duration(i) * time.Second)
		// 50 conversations of other senders per message: 12 times the bound
		// over the run, as 1.1M was for the default bound.
		for range 50 {
			k := state.Key{Tenant: "t", Sender: fmt.Sprintf("A%06d", attack), Recipient: "+15550000000", Channel: "sms"}
			attack++
			if err := m.RecordInbound(ctx, state.Inbound{Key: k, At: now}); err != nil {
				t.Fatalf("RecordInbound(attacker %d) = %v", attack, err)
			}
		}
		out, err := m.Consume(ctx, state.Key{Tenant: "t", Sender: "V", Recipient: fmt.Sprintf("+1555%07d", i), Channel: "sms"},
			state.Limits{Rate: limited.Rate, RateWindow: limited.RateWindow}, "", now)
		if err != nil {
			t.Fatalf("Consume(%d) = %v", i, err)
		}
		if out.Allowed {
			allowed++
		}
		out, err = m.Consume(ctx, state.Key{Tenant: "t", Sender: "F", Recipient: fmt.Sprintf("+1555%07d", i), Channel: "sms"},
			state.Limits{Flood: limited.Flood, FloodWindow: limited.FloodWindow}, "campaign", now)
		if err != nil {
			t.Fatalf("Consume(flood %d) = %v", i, err)
		}
		if out.Allowed {
			floodAllowed++
		}
	}
	if allowed != limited.Rate {
		t.Errorf("rate-limited sender got %d of 1000 messages through under eviction pressure, want %d", allowed, limited.Rate)
	}
	if floodAllowed != limited.Flood {
		t.Errorf("flood-limited sender reached %d recipients under eviction pressure, want %d", floodAllowed, limited.Flood)
	}
	if got, _ := m.Len(); got > maxEntries {
		t.Errorf("Len() = %d, want <= %d", got, maxEntries)
	}
}

// TestMemoryFullOfLiveLimitsFailsClosed: when a shard holds only live limit
// counters, a counter that does not fit is a limit the store cannot
// enforce, so the message is refused; once the windows pass, room returns.
func TestMemoryFullOfLiveLimitsFailsClosed(t *testing.T) {
	ctx := context.Background()
	m := state.NewMemory(state.MemoryConfig{MaxEntries: 8, Shards: 1})
	t0 := storetest.T0
	l := state.Limits{Rate: 10, RateWindow: time.Minute}
	sender := func(i int) state.Key {
		return state.Key{Tenant: "t", Sender: fmt.Sprintf("S%d", i), Recipient: "+15550000001", Channel: "sms"}
	}
	for i := range 8 {
		if out, err := m.Consume(ctx, sender(i), l, "", t0); err != nil || !out.Allowed {
			t.Fatalf("Consume(sender %d) = %+v, %v; want allowed", i, out, err)
		}
	}
	out, err := m.Consume(ctx, sender(8), l, "", t0)
	if err != nil || out.Allowed || out.Exceeded != state.LimitRate {
		t.Errorf("Consume(9th sender, store full of live counters) = %+v, %v; want refused with Exceeded=rate", out, err)
	}
	// A sender already counted is still served: its counter exists.
	if out, err := m.Consume(ctx, sender(3), l, "", t0); err != nil || !out.Allowed {
		t.Errorf("Consume(counted sender) = %+v, %v; want allowed", out, err)
	}
	// A conversation cannot be kept either: ErrFull, but an opt-out is.
	err = m.RecordInbound(ctx, state.Inbound{Key: sender(9), At: t0, OptOut: true})
	if !errors.Is(err, state.ErrFull) {
		t.Errorf("RecordInbound(store full of live counters) = %v, want state.ErrFull", err)
	}
	if snap, _ := m.Snapshot(ctx, sender(9), "", t0); !snap.OptedOut || snap.HasInbound {
		t.Errorf("Snapshot after refused conversation = %+v, want opted out without inbound", snap)
	}
	// Ham twin: after the window the counters are expired and evictable.
	later := t0.Add(time.Minute)
	if out, err := m.Consume(ctx, sender(8), l, "", later); err != nil || !out.Allowed {
		t.Errorf("Consume(9th sender, next window) = %+v, %v; want allowed", out, err)
	}
}

func TestLimitString(t *testing.T) {
	for _, tc := range []struct {
		l    state.Limit
		want string
	}{
		{0, "none"},
		{state.LimitSession, "session"},
		{state.LimitRate | state.LimitFlood, "rate|flood"},
		{state.LimitSession | 0x80, "session|0x80"},
	} {
		if got := tc.l.String(); got != tc.want {
			t.Errorf("Limit(%d).String() = %q, want %q", uint8(tc.l), got, tc.want)
		}
	}
}

func TestSubjectsConformance(t *testing.T) {
	storetest.RunSubjects(t, func(t *testing.T) state.Subjects {
		return state.NewMemory(state.MemoryConfig{})
	})
}

// TestMemorySubjectsFull: a full table that frees nothing refuses a new
// pair with ErrFull rather than forget a send; expired pairs make room.
func TestMemorySubjectsFull(t *testing.T) {
	m := state.NewMemory(state.MemoryConfig{MaxEntries: 2, Shards: 1})
	ctx, day := context.Background(), 24*time.Hour
	if err := m.RecordSubject(ctx, []uint64{1, 2}, "+13055550100", day, storetest.T0); err != nil {
		t.Fatalf("RecordSubject = %v", err)
	}
	if err := m.RecordSubject(ctx, []uint64{3}, "+13055550100", day, storetest.T0); !errors.Is(err, state.ErrFull) {
		t.Fatalf("full: RecordSubject = %v, want ErrFull", err)
	}
	if err := m.RecordSubject(ctx, []uint64{3}, "+13055550100", day, storetest.T0.Add(day)); err != nil {
		t.Fatalf("after expiry: RecordSubject = %v", err)
	}
}

func TestCampaignsConformance(t *testing.T) {
	storetest.RunCampaigns(t, func(t *testing.T) state.Campaigns {
		return state.NewMemory(state.MemoryConfig{})
	})
	t.Run("concurrent campaign", func(t *testing.T) {
		storetest.ConcurrentCampaign(t, context.Background(), []state.Campaigns{state.NewMemory(state.MemoryConfig{})}, 200, 60)
	})
}

func TestFleetConformance(t *testing.T) {
	storetest.RunFleet(t, func(t *testing.T) state.Fleet {
		return state.NewMemory(state.MemoryConfig{})
	})
}

// TestMemoryCampaignConcurrentBands: CountCampaign on many goroutines at
// once, over overlapping bands given in every order, loses no member and
// overshoots no bound (a store that locks several campaigns must take
// their locks in an order that does not depend on the call's, or deadlock
// here). Run it with -race.
func TestMemoryCampaignConcurrentBands(t *testing.T) {
	ctx := context.Background()
	pool := make([]uint64, 16) // spread over the key space, as band keys are
	for i := range pool {
		pool[i] = uint64(i+1) * 0x9E3779B97F4A7C15
	}
	sigOf := func(g int) []uint64 { // templates that share no value
		sig := make([]uint64, 8)
		for i := range sig {
			sig[i] = uint64(g<<8 | i)
		}
		return sig
	}
	t.Run("one campaign, bands in any order", func(t *testing.T) {
		m := state.NewMemory(state.MemoryConfig{Shards: 8})
		const calls, limit = 200, 60
		var wg sync.WaitGroup
		var allowed atomic.Int64
		for i := range calls {
			wg.Go(func() {
				bands := slices.Clone(pool[:8])
				for j := range bands { // a rotation and a reversal per call
					bands[j] = pool[(j+i)%8]
				}
				if i%2 == 1 {
					slices.Reverse(bands)
				}
				out, err := m.CountCampaign(ctx, bands, sigOf(0), 5, fmt.Sprint("+3749100", 1000+i), limit, time.Hour, storetest.T0)
				if err != nil {
					t.Errorf("CountCampaign: %v", err)
					return
				}
				if out.Allowed {
					allowed.Add(1)
				}
			})
		}
		wg.Wait()
		if got := allowed.Load(); got != limit {
			t.Errorf("%d concurrent recipients with a bound of %d: %d counted, want %d", calls, limit, got, limit)
		}
	})
	t.Run("overlapping campaigns", func(t *testing.T) {
		m := state.NewMemory(state.MemoryConfig{Shards: 8})
		const goroutines, calls = 8, 50
		bandsOf := func(g, i int) []uint64 {
			return []uint64{pool[(g+i)%16], pool[(3*g+i+5)%16], pool[(5*i+g)%16], pool[(7*i+2*g+1)%16]}
		}
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range calls {
					rcpt := fmt.Sprint("+37491", 100000+g*calls+i)
					out, err := m.CountCampaign(ctx, bandsOf(g, i), sigOf(g%3), 5, rcpt, 1<<20, time.Hour, storetest.T0)
					if err != nil || !out.Allowed {
						t.Errorf("CountCampaign(%v, %s) = %+v, %v; want allowed", bandsOf(g, i), rcpt, out, err)
						return
					}
				}
			})
		}
		wg.Wait()
		// Every recipient is a member of the campaign its call resolves to
		// (nothing lapsed): counted again with a bound of one, it is no
		// flood, while a new recipient is.
		for g := range goroutines {
			for i := range calls {
				rcpt := fmt.Sprint("+37491", 100000+g*calls+i)
				if out, err := m.CountCampaign(ctx, bandsOf(g, i), sigOf(g%3), 5, rcpt, 1, time.Hour, storetest.T0); err != nil || !out.Allowed {
					t.Fatalf("again (%v, %s) = %+v, %v; want allowed as a member", bandsOf(g, i), rcpt, out, err)
				}
			}
		}
		if out, err := m.CountCampaign(ctx, bandsOf(0, 0), sigOf(0), 5, "+37491999999", 1, time.Hour, storetest.T0); err != nil || out.Allowed {
			t.Errorf("a new recipient with a bound of one = %+v, %v; want refused", out, err)
		}
	})
}

// TestMemoryCountCampaignWindow: a campaign's count is the number of
// distinct recipients within the window, capped at the limit, as the
// recipients' sends come and go, some late (older than sends counted
// before); a new recipient over the limit is refused and not counted. A model of the campaign's members is the oracle; the
// bands each message names vary, and all resolve to the one campaign.
func TestMemoryCountCampaignWindow(t *testing.T) {
	ctx := context.Background()
	const window = 40 * time.Millisecond
	sig := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	for _, limit := range []int{3, 12, 1000} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			s := state.NewMemory(state.MemoryConfig{})
			model := map[string]time.Time{} // recipient → last send
			x := uint64(limit)
			next := func(n uint64) uint64 { // a fixed pseudo-random sequence
				x = x*6364136223846793005 + 1442695040888963407
				return x >> 33 % n
			}
			now := storetest.T0
			for i := range 4000 {
				now = now.Add(time.Duration(next(3)) * time.Millisecond)
				at := now
				if next(4) == 0 { // a late message, older than others counted
					at = now.Add(-time.Duration(next(20)) * time.Millisecond)
				}
				bands := []uint64{0, 1 + next(3)} // band 0 holds the campaign from the first call
				rcpt := fmt.Sprint("+3749100", 1000+next(120))
				live, member := 0, false
				for r, last := range model {
					if at.Sub(last) >= window {
						delete(model, r) // gone, even for a later message that is late
						continue
					}
					live++
					member = member || r == rcpt
				}
				want := min(live, limit)
				allowed := member || want+1 <= limit
				if allowed && !member {
					want++
				}
				out, err := s.CountCampaign(ctx, bands, sig, 5, rcpt, limit, window, at)
				if err != nil || out.Allowed != allowed || out.Count != want {
					t.Fatalf("call %d (bands %v, %s at %v): CountCampaign = %+v, %v; want allowed %v, count %d", i, bands, rcpt, at.Sub(storetest.T0), out, err, allowed, want)
				}
				if allowed {
					model[rcpt] = at
				}
			}
		})
	}
}

// TestMemoryCampaignFull: live recipients are never evicted. When every
// band of a full table is the last band of a campaign with live
// recipients, a new campaign is refused (fail closed: MaxEntries bounds
// both the bands and the recipients, and both are full); once their window
// has passed, it is counted. Evicting a band that takes a live count with
// it fails here.
func TestMemoryCampaignFull(t *testing.T) {
	ctx := context.Background()
	sigOf := func(g uint64) []uint64 {
		sig := make([]uint64, 8)
		for i := range sig {
			sig[i] = g<<8 | uint64(i)
		}
		return sig
	}
	for range 20 {
		m := state.NewMemory(state.MemoryConfig{MaxEntries: 4, Shards: 1})
		count := func(bands []uint64, g uint64, now time.Time) state.CampaignOutcome {
			t.Helper()
			out, err := m.CountCampaign(ctx, bands, sigOf(g), 5, fmt.Sprint("+3749100", 1000+g), 10, time.Hour, now)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		// Two campaigns fill the table; two more take a band from each.
		for g, bands := range [][]uint64{{1, 2}, {3, 4}, {5}, {6}} {
			if out := count(bands, uint64(g), storetest.T0); !out.Allowed {
				t.Fatalf("campaign %d: %+v, want allowed", g, out)
			}
		}
		if out := count([]uint64{7}, 4, storetest.T0.Add(time.Minute)); out.Allowed {
			t.Fatalf("a fifth campaign in a full table of live ones: %+v, want refused", out)
		}
		if out := count([]uint64{7}, 4, storetest.T0.Add(time.Hour+time.Minute)); !out.Allowed || out.Count != 1 {
			t.Fatalf("after the window: %+v, want allowed with count 1", out)
		}
	}
}

// TestMemoryResolveEviction: a full representative table gives up expired
// bands first, then live ones of other representatives, never a band the
// new representative has just taken. Eviction samples Go's map order, so
// each case runs on many fresh stores.
func TestMemoryResolveEviction(t *testing.T) {
	ctx := context.Background()
	first := []uint64{1, 2, 3, 4, 5, 6, 7, 8}
	other := []uint64{10, 20, 30, 40, 50, 60, 70, 80}
	third := []uint64{11, 21, 31, 41, 51, 61, 71, 81}
	resolve := func(t *testing.T, m *state.Memory, bands, sig []uint64, now time.Time) []uint64 {
		t.Helper()
		got, err := m.Resolve(ctx, bands, sig, 5, now)
		if err != nil {
			t.Fatalf("Resolve(%v) = %v", bands, err)
		}
		return slices.Sorted(slices.Values(got))
	}
	for _, tc := range []struct {
		name string
		run  func(t *testing.T, m *state.Memory)
	}{
		{"expired bands go first", func(t *testing.T, m *state.Memory) {
			resolve(t, m, []uint64{1, 2}, first, storetest.T0)
			live := storetest.T0.Add(23 * time.Hour)
			resolve(t, m, []uint64{3, 4}, other, live)
			later := storetest.T0.Add(25 * time.Hour) // bands 1 and 2 have lapsed
			resolve(t, m, []uint64{5, 6}, third, later)
			if got := resolve(t, m, []uint64{3}, other, later); !slices.Equal(got, []uint64{3, 4}) {
				t.Fatalf("live representative: Resolve = %v, want [3 4]", got)
			}
		}},
		{"a new representative keeps the bands it took", func(t *testing.T, m *state.Memory) {
			resolve(t, m, []uint64{1, 2, 3}, first, storetest.T0)
			// Four bands where one is free: the other three come from the
			// first representative, none from the new one.
			resolve(t, m, []uint64{5, 6, 7, 8}, other, storetest.T0)
			for _, b := range []uint64{5, 6, 7} {
				if got := resolve(t, m, []uint64{b}, other, storetest.T0); !slices.Equal(got, []uint64{5, 6, 7, 8}) {
					t.Fatalf("under band %d: Resolve = %v, want [5 6 7 8]", b, got)
				}
			}
		}},
		{"more bands than fit", func(t *testing.T, m *state.Memory) {
			// Held under the first four; answered with all six.
			resolve(t, m, []uint64{1, 2, 3, 4, 5, 6}, first, storetest.T0)
			for _, b := range []uint64{1, 4} {
				if got := resolve(t, m, []uint64{b}, first, storetest.T0); !slices.Equal(got, []uint64{1, 2, 3, 4, 5, 6}) {
					t.Fatalf("under band %d: Resolve = %v, want [1 2 3 4 5 6]", b, got)
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for range 50 {
				tc.run(t, state.NewMemory(state.MemoryConfig{MaxEntries: 4, Shards: 1}))
			}
		})
	}
}
