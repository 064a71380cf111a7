package state_test

import (
	"context"
	"errors"
	"fmt"
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
	l := state.Limits{Rate: 1 << 30, RateWindow: time.Second, Flood: 1 << 30, FloodWindow: time.Hour}
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
	snap, err := m.Snapshot(ctx, key(9_999), t0.Add(10*time.Second))
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
		if snap, _ := m.Snapshot(ctx, key(i), t0); !snap.OptedOut {
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
